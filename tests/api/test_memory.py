"""The Message History component (Memory): the session's earlier messages as "<sender name>: <text>" lines, as
Langflow's MemoryComponent reads them: the last `n_messages` (0: none), none that failed, in 1.13 only the
flow's (1.8: every flow's that used the session id)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_catalog_components import catalog, edge, node
from tests.conftest import create_flow, new_api_key

ECHO = {"nodes": [{"id": "ChatInput-i", "type": "ChatInput"}, {"id": "ChatOutput-o", "type": "ChatOutput"}],
        "edges": [{"source": "ChatInput-i", "source_output": "message", "target": "ChatOutput-o",
                   "target_input": "input_value"}]}
RECALL = {"nodes": [{"id": "Memory-m", "type": "Memory"}, {"id": "ChatOutput-o", "type": "ChatOutput"}],
          "edges": [{"source": "Memory-m", "source_output": "messages_text", "target": "ChatOutput-o",
                     "target_input": "input_value"}]}


def flows(make_client: Callable[..., TestClient], version: str) -> tuple[TestClient, dict[str, str], str, str]:
    """A server with two flows made from compact ones: one that echoes its input, one that recalls the session."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    made = []
    for name, compact in (("echo", ECHO), ("recall", RECALL)):
        data = client.post("/api/v1/flows/expand/", json=compact, headers=headers).json()
        made.append(create_flow(client, headers, {"name": name, "data": data})["id"])
    return client, headers, made[0], made[1]


def said(client: TestClient, headers: dict[str, str], flow_id: str, text: str, **extra: Any) -> str:
    body = {"input_value": text, "session_id": "s1", **extra}
    response = client.post(f"/api/v1/run/{flow_id}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    answer: str = response.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"]
    return answer


@pytest.mark.parametrize(("version", "shared"), [("1.13", False), ("1.8", True)])
def test_message_history_reads_the_sessions_last_messages(make_client: Callable[..., TestClient], version: str,
                                                           shared: bool) -> None:
    client, headers, echo, recall = flows(make_client, version)
    said(client, headers, echo, "from the echo flow")
    first = said(client, headers, recall, "ignored")
    assert first == ("User: from the echo flow\nAI: from the echo flow" if shared else "")
    second = said(client, headers, recall, "ignored")
    assert second.endswith(f"AI: {first}") if first else second == "AI: "
    assert said(client, headers, recall, "x", tweaks={"Memory-m": {"n_messages": 1}}) == f"AI: {second}"
    assert said(client, headers, recall, "x", tweaks={"Memory-m": {"n_messages": 0}}) == ""


@pytest.mark.parametrize(("version", "answers"), [
    ("1.13.0", ["first", "second", "third", "fourth"]),
    # timestamps of whole seconds: of the three stored within one second the earliest is read back first
    ("1.8", ["first", "first", "first", "fourth"])])
def test_a_storing_message_history_hands_on_the_message_the_store_reads_back(
        make_client: Callable[..., TestClient], version: str, answers: list[str]) -> None:
    """Chat Input -> Message History (Store) -> Chat Output, run four times in one session, the last a second
    later: lfx's store_message hands on the first of the session's messages from its sender the store reads back,
    newest first, as live 1.13.0 and 1.8.4 servers answered; its status is that message as the message table's
    row, stored without a run id or session metadata."""
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    chat_in, out = node(components, "ChatInput", "ChatInput-i"), node(components, "ChatOutput", "ChatOutput-o")
    memory = node(components, "Memory", "Memory-m", mode="Store")
    # (its Store mode's one output, as Langflow's editor sets it)
    memory["data"]["node"]["outputs"] = [{**memory["data"]["node"]["outputs"][0], "name": "stored_messages",
                                          "display_name": "Stored Messages", "method": "store_message",
                                          "types": ["Message"], "selected": "Message"}]
    flow_id = create_flow(client, headers, {"name": "store", "data": {"nodes": [chat_in, memory, out], "edges": [
        edge(chat_in, "message", memory, "message"), edge(memory, "stored_messages", out, "input_value")]}})["id"]
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    start = datetime(2026, 5, 1, 12, 0, 0, 100000, tzinfo=UTC)
    got = []
    for at, text in zip((0.0, 0.2, 0.4, 1.2), ("first", "second", "third", "fourth"), strict=True):
        clock.frozen = start + timedelta(seconds=at)
        got.append(said(client, headers, flow_id, text))
    assert got == answers
    clock.frozen = start + timedelta(seconds=3)  # (a build in a second of its own: its own message read back)
    job = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "fifth", "session": "s1"}},
                      headers=headers).json()["job_id"]
    events = [json.loads(line) for line in client.get(f"/api/v1/build/{job}/events", headers=headers).text.splitlines()
              if line.strip()]
    built = next(e["data"]["build_data"]["data"] for e in events
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "Memory-m")
    row = json.loads(built["artifacts"]["stored_messages"]["repr"])
    assert (row["text"], row["sender"], row["sender_name"], row["session_id"]) == ("fifth", "Machine", "AI", "s1")
    assert row["properties"]["source"] == {"id": None, "display_name": None, "source": None}
    if version == "1.13.0":
        assert set(row) == {"timestamp", "session_id", "sender_name", "text", "error", "id", "run_id", "is_output",
                            "category", "context_id", "sender", "edit", "flow_id", "user_id", "files", "properties",
                            "content_blocks", "session_metadata", "duration"}
        assert (row["run_id"], row["session_metadata"], row["is_output"]) == (None, None, False)
    else:
        assert set(row) == {"session_id", "timestamp", "text", "edit", "properties", "content_blocks", "flow_id",
                            "sender_name", "context_id", "sender", "error", "files", "category", "id", "duration"}
