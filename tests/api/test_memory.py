"""The Message History component (Memory): the session's earlier messages as "<sender name>: <text>" lines, as
Langflow's MemoryComponent reads them: the last `n_messages` (0: none), none that failed, in 1.13 only the
flow's (1.8: every flow's that used the session id)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

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
