"""Langflow's Type Convert (TypeConverterComponent) turns a message, JSON or a table into one of the three, as live
Langflow 1.13.0 and 1.8.4 servers did (tests/data/type_convert/live.json, made by scripts/record-live): JSON as a
message of its "text" or of Python's str of it, a message as {"text": ...} or (Auto Parse) the JSON or CSV it
holds, tables as pandas makes them (every column in each row, NaN where a row had none, integers with a gap turned
floats) and shows them (the build's repr), written as pipe tables by a Chat Output or a Parser."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.live_flows import seen
from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_if_else import RELEASES, Http
from tests.api.test_read_file_parsing import reader_flow, unstored
from tests.conftest import new_api_key

LIVE = Path(__file__).resolve().parent.parent / "data" / "type_convert" / "live.json"
CONVERTER, OUT, PARSER = "TypeConverterComponent-ttttt", "ChatOutput-ooooo", "ParserComponent-ppppp"
METHODS = {"data_output": "convert_to_data", "dataframe_output": "convert_to_dataframe"}
ITEM = {"name": "Ann", "n": 3, "tags": ["a", "b"], "nested": {"k": 1.5}, "none": None, "t": True, "f": 2.0}
ROWS = {"rows": [{"a": 1, "b": "x"}, {"a": 2}, {"c": True}]}
CSV = 'name,note,flag,score\n"Ann, B","say ""hi""",True,1.5\nBob,,False,\nCy,NA,true,2'
NESTED = '[{"a": {"x": [1, 2]}, "b": ["p", "q"], "c": "multi\\nline | pipe", "d": 1e20, "e": 0.000001}]'
# case -> (source: "chat" with its message, "webhook" with its data typed, "file" a text file's bytes Read File
# reads, None: nothing connected; the output
# taken: message, data or table; where it goes: "chat" (Chat Output), "stringify" or "template" (a Parser); the
# converter's Auto Parse)
CASES: dict[str, tuple[str | None, Any, str, str, bool]] = {
    "text_message": ("chat", "hello there", "message", "chat", False),
    "text_data": ("chat", "hello there", "data", "chat", False),
    "text_table": ("chat", "hello there", "table", "chat", False),
    "json_text_unparsed": ("chat", '{"a": 1}', "data", "chat", False),
    "json_object_parsed": ("chat", '{"a": 1, "b": [1, 2], "c": null, "text": "tx"}', "data", "chat", True),
    "json_object_table": ("chat", '{"a": 1, "b": [1, 2], "c": null, "text": "tx"}', "table", "chat", True),
    "json_list_parsed": ("chat", '[{"a": 1}, {"a": 2, "b": "x"}]', "data", "chat", True),
    "json_list_table": ("chat", '[{"a": 1}, {"a": 2, "b": "x"}]', "table", "chat", True),
    "json_bom_blanks": ("chat", '\ufeff  {"a": [1, {"b": null}]}  ', "data", "chat", True),
    "json_scalar_list": ("chat", "[1, 2]", "data", "chat", True),
    "json_empty_list": ("chat", "[]", "table", "chat", True),
    "json_nan": ("chat", '{"a": NaN, "b": Infinity}', "data", "chat", True),
    "csv_data": ("chat", "a,b\n1,2\n3,", "data", "chat", True),
    "csv_table": ("chat", "a,b\n1,2\n3,", "table", "chat", True),
    "csv_extra_field": ("chat", "a,b\n1,2,3\n4", "data", "chat", True),
    "csv_quoted": ("chat", CSV, "table", "chat", True),
    "nested_table": ("chat", NESTED, "table", "chat", True),
    "long_table": ("chat", json.dumps([{"i": i, "sq": i * i} for i in range(70)]), "table", "chat", True),
    "item_message": ("webhook", ITEM, "message", "chat", False),
    "item_text_message": ("webhook", {"text": "the text", "x": 1}, "message", "chat", False),
    "item_text_number": ("webhook", {"text": 5}, "message", "chat", False),
    "item_text_zero": ("webhook", {"text": 0}, "message", "chat", False),
    "item_text_list": ("webhook", {"text": [1, "a", {"b": 2}]}, "message", "chat", False),
    "item_text_object": ("webhook", {"text": {"a": [1, 2.5], "u": "\u00e9"}}, "message", "chat", False),
    "item_text_null": ("webhook", {"text": None}, "message", "chat", False),
    "item_data": ("webhook", ITEM, "data", "chat", False),
    "item_table": ("webhook", ITEM, "table", "chat", False),
    "rows_message": ("webhook", ROWS, "message", "chat", False),
    "rows_table": ("webhook", ROWS, "table", "chat", False),
    "rows_table_stringify": ("webhook", ROWS, "table", "stringify", False),
    "rows_table_template": ("webhook", ROWS, "table", "template", False),
    "empty_rows_table": ("webhook", {"rows": []}, "table", "chat", False),
    "empty_item_table": ("webhook", {}, "table", "chat", False),
    "empty_item_message": ("webhook", {}, "message", "chat", False),
    "text_data_template": ("chat", "hello", "data", "template", False),
    "text_table_stringify": ("chat", "hello", "table", "stringify", False),
    "long_cell_table": ("chat", "text,n\n" + "x" * 70 + " tail,1\nshort,2", "table", "chat", True),
    "file_message": ("file", b"Line one.\nLine two.\n", "message", "chat", False),
    "file_data": ("file", b"Line one.\nLine two.\n", "data", "chat", False),
    "nothing_data": (None, None, "data", "chat", False),
    "nothing_message": (None, None, "message", "chat", False),
}
OUTPUTS = {"message": "message_output", "data": "data_output", "table": "dataframe_output"}
TYPES = {"1.13.0": {"message": "Message", "data": "JSON", "table": "Table"},
         "1.8.4": {"message": "Message", "data": "Data", "table": "DataFrame"}}
# (1.8.4's build of a failing flow never ends its event stream: those cases are recorded by their runs alone)
FAILING = {"rows_table_template", "nothing_data", "nothing_message", "item_text_number", "item_text_zero",
           "item_text_list", "item_text_object", "item_text_null"}


def converter(components: dict[str, Any], release: str, output: str, auto_parse: bool) -> dict[str, Any]:
    """The converter's node with its Output Type set, listing the outputs the release's frontend shows: 1.13 all
    three, 1.8 only the chosen one (lfx 0.3's update_outputs)."""
    shown = TYPES[release][output]
    made = node(components, "TypeConverterComponent", CONVERTER, output_type=shown, auto_parse=auto_parse)
    outputs = made["data"]["node"]["outputs"]
    if OUTPUTS[output] not in [o["name"] for o in outputs]:
        chosen = {**outputs[0], "name": OUTPUTS[output], "display_name": f"{shown} Output",
                  "method": METHODS[OUTPUTS[output]], "types": [shown], "selected": shown}
        made["data"]["node"]["outputs"] = [chosen]
    return made


def exchange(client: Http, headers: dict[str, str], components: dict[str, Any], release: str, case: str, *,
             build: bool) -> dict[str, Any]:
    """Source -> Type Convert -> Chat Output (or a Parser before it), built (where `build`) and run."""
    source, given, output, sink, auto_parse = CASES[case]
    made = converter(components, release, output, auto_parse)
    out = node(components, "ChatOutput", OUT)
    nodes, edges = [made, out], []
    fed = source_node(client, headers, components, source, given, case)
    if fed is not None:
        nodes.append(fed[0])
        edges.append(edge(*fed, made, "input_data"))
    parser = None if sink == "chat" else {"mode": "Stringify"} if sink == "stringify" else {"pattern": "<{a}|{text}>"}
    more_nodes, more_edges = written_out(components, made, OUTPUTS[output], out, parser)
    text = given if source == "chat" else "x"
    got = seen(client, headers, f"type convert {case}", {"nodes": nodes + more_nodes, "edges": edges + more_edges},
               text, CONVERTER, build=build)
    return unstored(got) if source == "file" else got


def source_node(client: Http, headers: dict[str, str], components: dict[str, Any], source: str | None, given: Any,
                name: str) -> tuple[dict[str, Any], str] | None:
    """A live-recorded case's source and the output it hands on: a Chat Input, a Webhook (`given` typed as its
    data), Read File (`given` uploaded as <name>.txt); None for any other source."""
    if source == "chat":
        return node(components, "ChatInput", "ChatInput-iiiii"), "message"
    if source == "webhook":
        return node(components, "Webhook", "Webhook-wwwww", data=json.dumps(given)), "output_data"
    if source == "file":
        return reader_flow(client, headers, components, [(f"{name}.txt", given)])["nodes"][0], "message"
    return None


def written_out(components: dict[str, Any], vertex: dict[str, Any], output: str, out: dict[str, Any],
                parser: dict[str, Any] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes and edges that take `vertex`'s `output` to the Chat Output `out`: directly, or (`parser`: its
    field values) through a Parser."""
    if parser is None:
        return [], [edge(vertex, output, out, "input_value")]
    made = node(components, "ParserComponent", PARSER, **parser)
    return [made], [edge(vertex, output, made, "input_data"), edge(made, "parsed_text", out, "input_value")]


def builds(release: str, case: str) -> bool:
    return release == "1.13.0" or case not in FAILING


def record(client: Http, headers: dict[str, str], components: dict[str, Any], release: str) -> dict[str, Any]:
    """Every case, as live_flows.summary() keeps it (scripts/record-live): the user's files deleted first, so that
    each upload keeps its name."""
    assert client.delete("/api/v2/files", headers=headers).status_code == 200
    return {case: exchange(client, headers, components, release, case, build=builds(release, case))
            for case in CASES}


@pytest.mark.parametrize(("release", "case"), [(r, c) for r in RELEASES for c in CASES])
def test_the_mock_converts_as_the_live_server_did(make_client: Callable[..., TestClient],
                                                 live: dict[str, dict[str, Any]], release: str, case: str) -> None:
    client = make_client(langflow_version=RELEASES[release], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    got = exchange(client, headers, catalog(client, headers), release, case, build=builds(release, case))
    assert got == live[release][case]


def test_a_history_table_converts_to_json_and_to_its_pipe_table(make_client: Callable[..., TestClient]) -> None:
    """Message History's table -> Type Convert as JSON and as a Message -> two Chat Outputs: the second run reads
    the first run's answers as {"results": rows}, each row the table's, and as the pipe table, its text cells
    cleaned, their line breaks written <br/>."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    memory = node(components, "Memory", "Memory-mmmmm")
    as_json, as_text = (converter(components, "1.13.0", kind, False) for kind in ("data", "message"))
    as_text["id"] = as_text["data"]["id"] = "TypeConverterComponent-mmmmm"
    outs = [node(components, "ChatOutput", f"ChatOutput-{n}") for n in ("jjjjj", "ttttt")]
    flow = {"nodes": [memory, as_json, as_text, *outs], "edges": [
        edge(memory, "dataframe", as_json, "input_data"), edge(memory, "dataframe", as_text, "input_data"),
        edge(as_json, "data_output", outs[0], "input_value"), edge(as_text, "message_output", outs[1], "input_value")]}
    created = client.post("/api/v1/flows/", json={"name": "history convert", "data": flow}, headers=headers)
    assert created.status_code == 201, created.text
    session, answers = str(uuid.uuid4()), []
    for _ in range(2):
        run = client.post(f"/api/v1/run/{created.json()['id']}", json={"input_value": "x", "session_id": session},
                          headers=headers)
        assert run.status_code == 200, run.text
        outputs = run.json()["outputs"][0]["outputs"]
        answers.append({o["component_id"]: o["results"]["message"]["text"] for o in outputs})
    first, second = answers
    assert first == {"ChatOutput-jjjjj": '```json\n{\n  "results": []\n}\n```', "ChatOutput-ttttt": ""}
    rows = json.loads(second["ChatOutput-jjjjj"].removeprefix("```json\n").removesuffix("\n```"))["results"]
    assert sorted(row["text"] for row in rows) == sorted(first.values())
    assert {row["session_id"] for row in rows} == {session}
    assert '| ```json<br/>{<br/>  "results": []<br/>}<br/>``` ' in second["ChatOutput-ttttt"]


@pytest.mark.parametrize(("version", "types", "outputs"), [
    ("1.13.0", ["Message", "JSON", "Table"], ["message_output", "data_output", "dataframe_output"]),
    ("1.8", ["Message", "Data", "DataFrame"], ["message_output"]),
    ("1.7.1", ["Message", "Data", "DataFrame"], ["message_output"])])
def test_the_catalog_lists_type_convert_as_the_release_does(make_client: Callable[..., TestClient], version: str,
                                                            types: list[str], outputs: list[str]) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    listed = client.get("/api/v1/all", headers=headers).json()["processing"]["TypeConverterComponent"]
    assert (listed["display_name"], [o["name"] for o in listed["outputs"]]) == ("Type Convert", outputs)
    assert listed["template"]["output_type"]["options"] == types
    assert listed["template"]["output_type"]["value"] == "Message"
    assert listed["template"]["auto_parse"]["value"] is False
