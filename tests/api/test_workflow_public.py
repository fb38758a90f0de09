"""POST /api/v2/workflows/public (1.13's api/v2/workflow_public.py): the shareable playground's v2 stream of a
PUBLIC flow, for a visitor without credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_build_public import VISITOR, virtual
from tests.api.test_workflows import sse
from tests.conftest import create_flow, new_api_key

URL = "/api/v2/workflows/public"


@pytest.fixture
def setup(make_client: Callable[..., TestClient],
          chat_flow: dict[str, Any]) -> tuple[TestClient, dict[str, str], str, str]:
    """A client, its owner's headers, a PUBLIC flow and a PRIVATE one."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    private = create_flow(client, headers, {**chat_flow, "name": "mine"})["id"]
    client.cookies.clear()  # a visitor: no credentials but the client_id cookie
    return client, headers, public, private


def run(client: TestClient, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return client.post(URL, json=body, headers=VISITOR if headers is None else headers)


def test_a_visitor_streams_a_public_flow_under_their_virtual_flow_id(
        setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, headers, public, _ = setup
    response = run(client, {"flow_id": public, "input_value": "hello there", "session_id": "s1"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert (response.headers["cache-control"], response.headers["x-accel-buffering"]) == ("no-cache", "no")
    frames = sse(response.text)
    # no graph state: the conversation and the answer only, numbered from 0
    assert [f[0]["event"] for f in frames] == ["build_start", "add_message", "add_message", "output", "end"]
    assert [f[1] for f in frames] == [str(i) for i in range(len(frames))]
    messages = [f[0]["data"] for f in frames if f[0]["event"] == "add_message"]
    assert {m["flow_id"] for m in messages} == {virtual(public)}
    assert {m["session_id"] for m in messages} == {f"{virtual(public)}:s1"}  # the session, namespaced
    assert all(set(m["properties"]["source"].values()) == {None} for m in messages)
    assert frames[3][0]["data"]["content"] == "hello there"
    # the owner's message list shows nothing of the visitor's conversation
    assert client.get("/api/v1/monitor/messages", params={"flow_id": public}, headers=headers).json() == []


def test_only_a_public_flow_runs_and_only_for_a_visitor(
        setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, private = setup
    for flow_id in (private, "00000000-0000-4000-8000-000000000000"):
        response = run(client, {"flow_id": flow_id})
        assert (response.status_code, response.json()) == (404, {"detail": "Flow not found"})
    without_cookie = run(client, {"flow_id": public}, headers={})
    assert (without_cookie.status_code, without_cookie.json()) == (400, {"detail": "No client_id cookie found"})


def test_the_body_is_narrower_than_a_runs(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, _ = setup
    for extra in ({"tweaks": {}}, {"data": {}}, {"mode": "sync"}, {"mode": "background"}, {"globals": {}},
                  {"session_id": "s" * 257}, {"input_value": "x" * (64 * 1024 + 1)}):
        assert run(client, {"flow_id": public, **extra}).status_code == 422, extra
    response = run(client, {"flow_id": "not-a-uuid"})
    assert response.status_code == 422
    assert "Invalid flow_id, must be a UUID" in response.json()["detail"][0]["msg"]
    unknown = run(client, {"flow_id": public, "stream_protocol": "carrier-pigeon"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"]["code"] == "UNKNOWN_STREAM_PROTOCOL"


def test_files_outside_the_flows_folder_are_refused_first(
        setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, _ = setup
    cases = {"../etc/passwd": "Invalid file path", "notes.txt": "Invalid file path format",
             "00000000-0000-4000-8000-000000000000/a.txt": "File not in this flow's namespace"}
    for entry, detail in cases.items():
        response = run(client, {"flow_id": public, "files": [entry]}, headers={})  # before the cookie check
        assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_a_flow_a_visitor_may_not_run_is_a_400(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    empty = create_flow(client, headers, {"name": "Empty", "access_type": "PUBLIC"})["id"]
    response = run(client, {"flow_id": empty})
    assert (response.status_code, response.json()) == (400, {"detail": "This flow cannot be executed."})


def test_runs_are_limited_per_client(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    client = make_client(job_latency_ms=0, rate_limit_enabled=True, public_flow_rate_limit_per_minute=1)
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    assert run(client, {"flow_id": public, "input_value": "one"}).status_code == 200
    limited = run(client, {"flow_id": public, "input_value": "two"})
    assert limited.status_code == 429
    assert "retry-after" not in limited.headers
    assert limited.json() == {"detail": {"error": "Too many requests", "code": "RATE_LIMITED",
                                         "message": "Too many public workflow runs from this client. "
                                                    "Please retry shortly."}}


def test_the_route_is_1_13s(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    assert run(client, {"flow_id": public}).status_code in (404, 405)
