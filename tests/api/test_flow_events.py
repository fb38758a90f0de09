"""1.13's flow event queue (/api/v1/flows/{flow_id}/events), which the 1.13 frontend polls while a flow is open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient

from tests.conftest import create_flow

START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def events_url(flow_id: str) -> str:
    return f"/api/v1/flows/{flow_id}/events"


def test_a_new_flow_has_no_events_and_is_settled(client: TestClient, key_headers: dict[str, str],
                                                 chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = client.get(events_url(flow["id"]), params={"since": 1796467400.387}, headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"events": [], "settled": True}


def test_appended_events_are_read_back_after_since_and_settle(client: TestClient, key_headers: dict[str, str],
                                                              chat_flow: dict[str, Any]) -> None:
    headers = key_headers
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = START
    flow_id = create_flow(client, headers, chat_flow)["id"]
    added = client.post(events_url(flow_id), json={"type": "component_added", "summary": "Added Chat Input"},
                        headers=headers)
    assert added.status_code == 201
    assert added.json() == {"type": "component_added", "timestamp": START.timestamp(), "summary": "Added Chat Input"}
    clock.frozen = START + timedelta(seconds=1)
    client.post(events_url(flow_id), json={"type": "flow_updated"}, headers=headers)
    busy = client.get(events_url(flow_id), headers=headers).json()
    assert busy == {"settled": False, "events": [
        {"type": "component_added", "timestamp": START.timestamp(), "summary": "Added Chat Input"},
        {"type": "flow_updated", "timestamp": START.timestamp() + 1, "summary": ""}]}
    later = client.get(events_url(flow_id), params={"since": START.timestamp()}, headers=headers).json()
    assert [e["type"] for e in later["events"]] == ["flow_updated"]
    clock.frozen = START + timedelta(seconds=11)  # ten seconds after the last event: settled
    assert client.get(events_url(flow_id), headers=headers).json()["settled"] is True
    clock.frozen = START + timedelta(seconds=60.5)  # a minute after it was added, an event is gone
    assert [e["type"] for e in client.get(events_url(flow_id), headers=headers).json()["events"]] == ["flow_updated"]
    client.post(events_url(flow_id), json={"type": "flow_settled"}, headers=headers)
    assert client.get(events_url(flow_id), headers=headers).json()["settled"] is True


def test_flow_events_refuse_other_flows_and_bad_events(client: TestClient, key_headers: dict[str, str],
                                                       chat_flow: dict[str, Any]) -> None:
    missing = client.get(events_url(str(uuid4())), headers=key_headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Flow not found"}
    flow_id = create_flow(client, key_headers, chat_flow)["id"]
    for body in ({"type": "exploded"}, {"type": "flow_updated", "summary": "x" * 501}, {}):
        assert client.post(events_url(flow_id), json=body, headers=key_headers).status_code == 422
    assert client.get(events_url(flow_id), params={"since": "soon"}, headers=key_headers).status_code == 422
    assert client.get(events_url(flow_id)).status_code == 403


def test_flow_events_are_1_13_only(make_client: Callable[..., TestClient]) -> None:
    response = make_client(langflow_version="1.8").get(events_url(str(uuid4())))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
