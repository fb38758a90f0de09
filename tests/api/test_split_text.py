"""Langflow's Split Text cuts the text it is handed into chunks, as live Langflow 1.13.0 and 1.8.4 servers did
(tests/data/split_text/live.json, made by scripts/record-live): langchain's character splitter (the pieces between
separators merged back up to Chunk Size, neighbours sharing up to Chunk Overlap, Keep Separator's three ways), a
table of a row per chunk carrying the fields of the message, JSON or table row it came from (texts first, system
fields last; Clean Output: the chunk alone), and the splitter's refusals failing the build and the run. The
table reaches a Chat Output or a Parser as tables do; Vector Store RAG's File -> Split Text -> Parser included."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.live_flows import seen
from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_if_else import RELEASES, Http
from tests.api.test_read_file_parsing import unstored
from tests.api.test_type_convert import converter, source_node, written_out
from tests.conftest import new_api_key

LIVE = Path(__file__).resolve().parent.parent / "data" / "split_text" / "live.json"
SPLITTER, OUT, PARSER = "SplitText-sssss", "ChatOutput-ooooo", "ParserComponent-ppppp"
# what differs from run to run, written out as the same number of characters (a table's widths stay the same)
IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMES = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})? UTC")
TEXT = "alpha beta gamma\ndelta epsilon\n\nzeta eta theta iota\nkappa"
CSV = "text,n\nhello world foo,1\nbar baz qux quux,2\n"
NOTES = ("Paragraph one has words.\nIt goes on a bit.\n\nParagraph two is here.\nAnd ends.\n" * 3).encode()
WORDS = {"chunk_size": 20, "chunk_overlap": 5, "separator": " "}
SHORT = {"chunk_size": 8, "chunk_overlap": 0, "separator": " "}
CLEAN = {**SHORT, "clean_output": True}
FILE_TEMPLATE = {"pattern": "{filename} {mimetype} {file_size} [{properties}] {text}"}
# case -> (source: "chat" (its message), "webhook" (its JSON), "table" (CSV a Type Convert reads), "file" (a text
# file Read File reads) or None; Split Text's field values; where its chunks go: "chat" (a Chat Output),
# "stringify" or "template" (a Parser, with these field values))
CASES: dict[str, tuple[str | None, Any, dict[str, Any], str | dict[str, Any]]] = {
    "message_words": ("chat", TEXT, WORDS, "chat"),
    "message_defaults": ("chat", TEXT, {}, "chat"),
    "message_template": ("chat", TEXT, WORDS, {"pattern": "{text}", "sep": "\n--\n"}),
    "message_stringify": ("chat", TEXT, {**WORDS, "separator": "\\n"}, "stringify"),
    "keep_start": ("chat", TEXT, {**WORDS, "chunk_overlap": 0, "keep_separator": "Start"}, {"pattern": "<{text}>"}),
    "keep_end": ("chat", TEXT, {**WORDS, "chunk_overlap": 0, "keep_separator": "End"}, {"pattern": "<{text}>"}),
    "keep_true": ("chat", TEXT, {**WORDS, "chunk_overlap": 0, "keep_separator": "True"}, {"pattern": "<{text}>"}),
    "clean_output": ("chat", TEXT, {**WORDS, "clean_output": True}, "chat"),
    "overlap_larger": ("chat", TEXT, {"chunk_size": 5, "chunk_overlap": 10}, "chat"),
    "size_zero": ("chat", TEXT, {"chunk_size": 0, "chunk_overlap": 0}, "chat"),
    "overlap_negative": ("chat", TEXT, {"chunk_size": 5, "chunk_overlap": -1}, "chat"),
    "empty_message": ("chat", "", {}, "chat"),
    "piece_too_long": ("chat", "tiny wordthatislong x", {**SHORT, "chunk_size": 5}, {"pattern": "<{text}>"}),
    "slash_n": ("chat", TEXT, {"chunk_size": 10, "chunk_overlap": 0, "separator": "/n"}, {"pattern": "<{text}>"}),
    "tab_typed": ("chat", "a\\tb\tc\\td", {**CLEAN, "chunk_size": 10, "separator": "\\t"}, "chat"),
    "characters": ("chat", "abcdefgh", {"chunk_size": 3, "chunk_overlap": 1, "separator": ""},
                   {"pattern": "<{text}>"}),
    "wide_characters": ("chat", "日本語 テキスト 😀 emoji ok", {**CLEAN, "chunk_size": 6}, "chat"),
    "message_text_key": ("chat", "m n o p q r s t", {**SHORT, "text_key": "zz"}, {"pattern": "<{text}|{sender}>"}),
    "table_rows": ("table", CSV, SHORT, "chat"),
    "table_text_key": ("table", CSV, {**SHORT, "text_key": "n"}, "chat"),
    "table_missing_key": ("table", CSV, {**SHORT, "text_key": "nope"}, "chat"),
    "table_clean": ("table", CSV, CLEAN, "chat"),
    "json_item": ("webhook", {"text": "a b c d e f g h i j", "k": 1, "content": "z"}, SHORT, "chat"),
    "json_text_key": ("webhook", {"body": "x y z w v u t", "text": "orig", "_x": 2}, {**SHORT, "text_key": "body"},
                      "chat"),
    "json_number_text": ("webhook", {"text": 1234353637}, {"chunk_size": 3, "chunk_overlap": 0, "separator": "3"},
                         "chat"),
    "json_without_text": ("webhook", {"other": 1}, SHORT, "chat"),
    "unconnected": (None, None, {}, "chat"),
    "file_paragraphs": ("file", NOTES, {"chunk_size": 60, "chunk_overlap": 20, "separator": "\n\n"}, FILE_TEMPLATE),
    "file_defaults": ("file", NOTES, {}, FILE_TEMPLATE),
}


def scrubbed(got: dict[str, Any]) -> dict[str, Any]:
    """The summary with ids, times and storage directories written the same each run, each as long as it was."""
    text = json.dumps(unstored(got), ensure_ascii=False)
    text = TIMES.sub(lambda m: re.sub(r"\d", "0", m.group()), IDS.sub(lambda m: "x" * len(m.group()), text))
    return json.loads(text)


def exchange(client: Http, headers: dict[str, str], components: dict[str, Any], release: str,
             case: str) -> dict[str, Any]:
    """Source -> Split Text -> Chat Output (or a Parser before it), built and run: what live_flows keeps."""
    source, given, values, sink = CASES[case]
    splitter, out = node(components, "SplitText", SPLITTER, **values), node(components, "ChatOutput", OUT)
    nodes, edges = [splitter, out], []
    if source == "table":
        made, chat = converter(components, release, "table", True), node(components, "ChatInput", "ChatInput-iiiii")
        nodes += [made, chat]
        edges += [edge(chat, "message", made, "input_data"), edge(made, "dataframe_output", splitter, "data_inputs")]
    elif (fed := source_node(client, headers, components, source, given, case)) is not None:
        nodes.append(fed[0])
        edges.append(edge(*fed, splitter, "data_inputs"))
    parser = None if sink == "chat" else {"mode": "Stringify"} if sink == "stringify" else sink
    more_nodes, more_edges = written_out(components, splitter, "dataframe", out, parser)
    text = given if source in ("chat", "table") else "x"
    return scrubbed(seen(client, headers, f"split text {case}", {"nodes": nodes + more_nodes,
                                                                "edges": edges + more_edges}, text, SPLITTER,
                         build=True))


def record(client: Http, headers: dict[str, str], components: dict[str, Any], release: str) -> dict[str, Any]:
    """Every case, as exchange() keeps it (scripts/record-live): the user's files deleted first, so that each
    upload keeps its name."""
    assert client.delete("/api/v2/files", headers=headers).status_code == 200
    return {case: exchange(client, headers, components, release, case) for case in CASES}


@pytest.mark.parametrize(("release", "case"), [(r, c) for r in RELEASES for c in CASES])
def test_the_mock_splits_as_the_live_server_did(make_client: Callable[..., TestClient],
                                               live: dict[str, dict[str, Any]], release: str, case: str) -> None:
    client = make_client(langflow_version=RELEASES[release], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    assert exchange(client, headers, catalog(client, headers), release, case) == live[release][case]


def test_a_text_split_past_ten_thousand_chunks_is_refused_not_made(make_client: Callable[..., TestClient]) -> None:
    """A deliberate difference: past 10,000 chunks (or 20,000,000 characters of them: a tiny Chunk Size with a
    large overlap writes the text out thousands of times) the mock fails the component rather than take the
    server's memory; below it, every chunk is made."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    splitter = node(components, "SplitText", SPLITTER, chunk_size=1, chunk_overlap=0, separator=" ", clean_output=True)
    chat, out = node(components, "ChatInput", "ChatInput-iiiii"), node(components, "ChatOutput", OUT)
    data = {"nodes": [chat, splitter, out], "edges": [edge(chat, "message", splitter, "data_inputs"),
                                                      edge(splitter, "dataframe", out, "input_value")]}
    flow_id = client.post("/api/v1/flows/", json={"name": "many chunks", "data": data}, headers=headers).json()["id"]
    refused = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "w " * 10_001}, headers=headers)
    assert refused.status_code == 500
    assert json.loads(refused.json()["detail"])["message"].endswith(
        'Error running method "split_text": Error splitting text: mock-langflow refuses to make more than 10,000 '
        "chunks or 20,000,000 characters of chunks from one text")
    made = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "w " * 10_000}, headers=headers)
    assert made.status_code == 200
    assert made.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"].count("\n| w ") == 10_000
