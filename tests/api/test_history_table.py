"""A Message History's table (its `dataframe` output: Langflow's DataFrame of the session's messages) handed to a
Chat Output or a Parser, as live Langflow 1.13.0 and 1.8.4 servers answered three runs of each flow in a fresh
session (tests/data/history_table/live.json, made by scripts/record-live): each message's row in the release's
columns, tabulate's pipe table of them (a text cell's line breaks, pipes, Basic Clean Data), and a Parser's
template filled from each row (a column no row has: KeyError)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_if_else import RELEASES, Http
from tests.conftest import build_job_events, new_api_key

LIVE = Path(__file__).resolve().parent.parent / "data" / "history_table" / "live.json"
COLUMNS_1_13 = ("sender_name", "timestamp", "session_id", "text", "error", "id", "run_id", "is_output", "category",
                "sender", "context_id", "edit", "flow_id", "user_id", "files", "properties", "content_blocks",
                "session_metadata", "duration")
COLUMNS_1_8 = ("session_id", "timestamp", "text", "edit", "properties", "content_blocks", "flow_id", "sender_name",
               "context_id", "sender", "error", "files", "category", "id", "duration")
# case -> the Chat Output's field values, and the Parser's (None: the table goes to the Chat Output itself)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {
    "chat_output": ({}, None),
    "chat_output_uncleaned": ({"clean_data": False}, None),
    "columns_1_13": ({}, {"pattern": "|".join(f"{{{c}}}" for c in COLUMNS_1_13)}),
    "columns_1_8": ({}, {"pattern": "|".join(f"{{{c}}}" for c in COLUMNS_1_8)}),
    "separator": ({}, {"pattern": "{sender_name}:{text}", "sep": " || "}),
    "stringify": ({}, {"mode": "Stringify"}),
    "stringify_cleaned": ({}, {"mode": "Stringify", "clean_data": True}),
    "missing_column": ({}, {"pattern": "{nope}"}),
    "positional": ({}, {"pattern": "{}"}),
}
# Stringify's Clean Data: a field the editor adds when its mode changes (lfx's update_build_config)
CLEAN_DATA = {"_input_type": "BoolInput", "advanced": True, "display_name": "Clean Data", "dynamic": False, "info": "",
              "list": False, "name": "clean_data", "placeholder": "", "required": False, "show": True,
              "title_case": False, "tool_mode": False, "trace_as_metadata": True, "type": "bool", "value": True}
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? UTC")


def _blind(text: str) -> str:
    """Ids and times masked, each kept as long as it is (a table's widths follow them)."""
    text = UUID_TEXT.sub("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", text)
    return TIMESTAMP.sub(lambda m: re.sub(r"\d", "d", m.group(0)), text)


def exchange(client: Http, headers: dict[str, str], components: dict[str, Any], case: str) -> list[Any]:
    """Message History (table) -> [Parser ->] Chat Output, run three times in a new session: each run's status and
    answers, or its error."""
    chat, parsing = CASES[case]
    history = node(components, "Memory", "Memory-mmmmm")
    out = node(components, "ChatOutput", "ChatOutput-ooooo", **chat)
    if parsing is None:
        nodes, edges = [history, out], [edge(history, "dataframe", out, "input_value")]
    else:
        parser = node(components, "ParserComponent", "ParserComponent-ppppp",
                      **{k: v for k, v in parsing.items() if k != "clean_data"})
        if "clean_data" in parsing:
            parser["data"]["node"]["template"]["clean_data"] = dict(CLEAN_DATA)
        nodes = [history, parser, out]
        edges = [edge(history, "dataframe", parser, "input_data"), edge(parser, "parsed_text", out, "input_value")]
    created = client.post("/api/v1/flows/", json={"name": f"table {case}", "data": {"nodes": nodes, "edges": edges}},
                          headers=headers)
    assert created.status_code == 201, created.text
    flow_id, session = created.json()["id"], str(uuid.uuid4())
    answers: list[Any] = []
    for _ in range(3):
        run = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hello", "session_id": session},
                          headers=headers)
        if run.status_code == 200:
            outputs = run.json()["outputs"][0]["outputs"]
            answers.append([200, [_blind(o["results"]["message"]["text"]) for o in outputs]])
        else:
            answers.append([run.status_code, _blind(json.loads(run.json()["detail"])["message"])])
    return answers


def record(client: Http, headers: dict[str, str], components: dict[str, Any], release: str) -> dict[str, Any]:
    """Every case, as exchange() keeps it (scripts/record-live)."""
    return {case: exchange(client, headers, components, case) for case in CASES}


@pytest.mark.parametrize(("release", "case"), [(r, c) for r in RELEASES for c in CASES])
def test_the_table_reads_as_the_live_server_wrote_it(make_client: Callable[..., TestClient],
                                                     live: dict[str, dict[str, Any]], release: str, case: str) -> None:
    client = make_client(langflow_version=RELEASES[release], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    assert exchange(client, headers, catalog(client, headers), case) == live[release][case]


def test_a_build_shows_the_table_as_its_rows(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    history, out = node(components, "Memory", "Memory-mmmmm"), node(components, "ChatOutput", "ChatOutput-ooooo")
    created = client.post("/api/v1/flows/", headers=headers, json={"name": "table", "data": {
        "nodes": [history, out], "edges": [edge(history, "dataframe", out, "input_value")]}})
    flow_id = created.json()["id"]
    for _ in range(2):  # two answers stored in the session
        client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi", "session_id": "s"}, headers=headers)
    events = build_job_events(client, headers, flow_id, {"inputs": {"input_value": "hi", "session": "s"}})
    built = next(e["data"]["build_data"]["data"] for e in events
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "Memory-mmmmm")
    rows = built["outputs"]["dataframe"]["message"]
    # as a live 1.13.0 showed it: the rows as JSON, typed "array", the artifact's repr "None"
    assert built["outputs"]["dataframe"]["type"] == "array"
    assert [list(row) for row in rows] == [list(COLUMNS_1_13)] * 2
    assert [(row["sender_name"], row["session_id"], row["error"], row["is_output"]) for row in rows] == \
        [("AI", "s", False, False)] * 2
    assert built["artifacts"]["dataframe"] == {"repr": "None", "raw": rows, "type": "array"}


def test_the_table_never_reads_the_template(make_client: Callable[..., TestClient]) -> None:
    """Only `messages_text` writes the messages by the template (lfx's retrieve_messages_dataframe reads none), so a
    template Python cannot fill fails that output alone."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    history = node(components, "Memory", "Memory-mmmmm", template="{0}")
    history["data"]["node"]["template"]["template"]["show"] = True  # (a hidden one keeps its default)
    out = node(components, "ChatOutput", "ChatOutput-ooooo")
    for output, status in (("dataframe", 200), ("messages_text", 500)):
        created = client.post("/api/v1/flows/", headers=headers, json={"name": output, "data": {
            "nodes": [history, out], "edges": [edge(history, output, out, "input_value")]}})
        runs = [client.post(f"/api/v1/run/{created.json()['id']}", json={"input_value": "hi", "session_id": output},
                            headers=headers) for _ in range(2)]  # the second reads the first's answer
        assert [run.status_code for run in runs] == [200, status]
