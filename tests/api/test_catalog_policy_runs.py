"""1.13's catalog policy where Langflow enforces it beyond flow writes: running, building, uploading and activating
a flow whose graph uses a blocked component (lfx validate_catalog_policy_for_flow, as each route answers it)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_mcp import call, mcp_flow, project_id
from tests.api.test_project_deployment import deployed, flow_body, project_flows, replacement
from tests.api.test_responses import frames
from tests.conftest import create_flow, new_api_key

BLOCKED = "Flow build blocked: catalog policy blocks components: ChatOutput"
REFUSED = {"detail": BLOCKED}
VISITOR = {"Cookie": "client_id=visitor-1"}
Make = Callable[..., TestClient]


def block(client: TestClient, headers: dict[str, str], *keys: str) -> None:
    answer = client.put("/api/v1/catalog-policy/components", json={"blocked": list(keys)}, headers=headers)
    assert answer.status_code == 200


def messages(client: TestClient, headers: dict[str, str], flow_id: str) -> list[Any]:
    listed: list[Any] = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    return listed


def blocks(text: str) -> list[Any]:
    """A /run stream's JSON blocks."""
    return [json.loads(block) for block in text.split("\n\n") if block.strip()]


@pytest.fixture
def blocked(client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> str:
    """A flow stored before its Chat Output was blocked (a write is checked when it happens, not later)."""
    flow_id: str = create_flow(client, key_headers, {"name": "chat", "data": chat_flow["data"]})["id"]
    block(client, key_headers, "ChatOutput", "Agent")
    return flow_id


def test_a_run_is_refused_with_a_400_and_runs_nothing(client: TestClient, key_headers: dict[str, str],
                                                     blocked: str) -> None:
    body = {"input_value": "hello"}
    plain = client.post(f"/api/v1/run/{blocked}", json=body, headers=key_headers)
    assert (plain.status_code, plain.json()) == (400, REFUSED)
    advanced = client.post(f"/api/v1/run/advanced/{blocked}", json={"inputs": [{"input_value": "hello"}]},
                           headers=key_headers)
    assert (advanced.status_code, advanced.json()) == (400, REFUSED)
    # a stream is a 200 carrying the refusal as its one error event
    streamed = client.post(f"/api/v1/run/{blocked}", params={"stream": "true"}, json=body, headers=key_headers)
    assert streamed.status_code == 200
    assert blocks(streamed.text) == [{"event": "error", "data": {"error": BLOCKED}}]
    assert messages(client, key_headers, blocked) == []
    # an input/tweak clash is refused first, as Langflow checks the request before the graph
    clash = client.post(f"/api/v1/run/{blocked}", headers=key_headers, json={
        "input_value": "a", "tweaks": {"ChatInput-aB1cD": {"input_value": "b"}}})
    assert clash.status_code == 400 and clash.json() != REFUSED
    # and before tweaks of protected fields, which Langflow reads once it checked the graph
    code = {"input_value": "a", "tweaks": {"ChatOutput-eF2gH": {"code": "x"}}}
    for path in (f"/api/v1/run/{blocked}", f"/api/v1/run/advanced/{blocked}"):
        assert client.post(path, json=code, headers=key_headers).json() == REFUSED, path
    block(client, key_headers)
    assert client.post(f"/api/v1/run/{blocked}", json=code, headers=key_headers).status_code == 422
    ran = client.post(f"/api/v1/run/{blocked}", json=body, headers=key_headers)
    assert ran.status_code == 200 and len(messages(client, key_headers, blocked)) == 2


def test_a_nested_flows_blocked_component_refuses_the_run(client: TestClient, key_headers: dict[str, str],
                                                          chat_flow: dict[str, Any]) -> None:
    data = json.loads(json.dumps(chat_flow["data"]))
    data["nodes"][0]["data"]["node"]["flow"] = {"data": {"nodes": [{"data": {"type": "Secret"}}]}}
    flow_id = create_flow(client, key_headers, {"name": "nested", "data": data})["id"]
    block(client, key_headers, "Secret")
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "x"}, headers=key_headers)
    assert (answer.status_code, answer.json()) == (
        400, {"detail": "Flow build blocked: catalog policy blocks components: Secret"})


def test_a_build_is_refused_before_any_job(client: TestClient, key_headers: dict[str, str], blocked: str) -> None:
    refused = client.post(f"/api/v1/build/{blocked}/flow", json={"inputs": {"input_value": "hi"}},
                          headers=key_headers)
    assert (refused.status_code, refused.json()) == (400, REFUSED)
    direct = client.post(f"/api/v1/build/{blocked}/flow", params={"event_delivery": "direct"}, json={},
                         headers=key_headers)
    assert (direct.status_code, direct.json()) == (400, REFUSED)
    # the graph sent with the request is the one checked
    sent = client.post(f"/api/v1/build/{blocked}/flow", json={"data": {"nodes": [], "edges": []}},
                       headers=key_headers)
    assert sent.status_code == 200 and "job_id" in sent.json()
    block(client, key_headers)
    assert client.post(f"/api/v1/build/{blocked}/flow", json={}, headers=key_headers).status_code == 200


def test_a_visitor_is_not_told_which_components(client: TestClient, key_headers: dict[str, str],
                                                 chat_flow: dict[str, Any]) -> None:
    public = create_flow(client, key_headers, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    block(client, key_headers, "ChatOutput")
    client.cookies.clear()
    not_executable = {"detail": errors.PUBLIC_FLOW_NOT_EXECUTABLE}
    build = client.post(f"/api/v1/build_public_tmp/{public}/flow", json={}, headers=VISITOR)
    assert (build.status_code, build.json()) == (400, not_executable)
    v2 = client.post("/api/v2/workflows/public", json={"flow_id": public, "input_value": "hi"}, headers=VISITOR)
    assert (v2.status_code, v2.json()) == (400, not_executable)
    block(client, key_headers)
    assert client.post(f"/api/v1/build_public_tmp/{public}/flow", json={}, headers=VISITOR).status_code == 200


@pytest.mark.parametrize("mode", ["sync", "stream", "background"])
def test_every_v2_mode_is_refused_before_it_runs(client: TestClient, key_headers: dict[str, str], blocked: str,
                                                 mode: str) -> None:
    body = {"flow_id": blocked, "input_value": "hi", "mode": mode}
    refused = client.post("/api/v2/workflows", json=body, headers=key_headers)
    assert (refused.status_code, refused.json()) == (400, REFUSED)
    assert messages(client, key_headers, blocked) == []
    block(client, key_headers)
    assert client.post("/api/v2/workflows", json=body, headers=key_headers).status_code == 200


def test_a_webhook_answers_202_and_its_run_fails(client: TestClient, key_headers: dict[str, str],
                                                 webhook_flow: dict[str, Any]) -> None:
    hook = create_flow(client, key_headers, webhook_flow)["id"]
    block(client, key_headers, "Webhook")
    accepted = client.post(f"/api/v1/webhook/{hook}", json={"n": 1}, headers=key_headers)
    assert accepted.status_code == 202
    jobs = client.app.state.mock.jobs  # type: ignore[attr-defined]
    for _ in range(500):  # the run happens after the 202
        if not jobs.running():
            break
        time.sleep(0.01)
    assert messages(client, key_headers, hook) == []
    block(client, key_headers)
    assert client.post(f"/api/v1/webhook/{hook}", json={"n": 1}, headers=key_headers).status_code == 202
    for _ in range(500):
        if messages(client, key_headers, hook):
            break
        time.sleep(0.01)
    assert len(messages(client, key_headers, hook)) == 1


def test_the_responses_api_answers_its_own_error(client: TestClient, key_headers: dict[str, str],
                                                 blocked: str) -> None:
    answer = client.post("/api/v1/responses", json={"model": blocked, "input": "hi"}, headers=key_headers)
    assert (answer.status_code, answer.json()) == (200, {"error": {
        "message": BLOCKED, "type": "invalid_request_error", "code": "custom_components_blocked"}})
    streamed = client.post("/api/v1/responses", json={"model": blocked, "input": "hi", "stream": True},
                           headers=key_headers)
    parsed = frames(streamed.text)
    assert parsed[-1] == (None, "[DONE]")
    failed = parsed[-2][1]
    assert (failed["delta"], failed["status"], failed["finish_reason"]) == ({"content": BLOCKED}, "failed", "error")
    assert messages(client, key_headers, blocked) == []


def test_an_mcp_tool_call_is_an_error_naming_the_tool(client: TestClient, key_headers: dict[str, str],
                                                      chat_flow: dict[str, Any]) -> None:
    mcp_flow(client, key_headers, {**chat_flow, "name": "Chat"}, "chat")
    block(client, key_headers, "ChatOutput")
    path = f"/api/v1/mcp/project/{project_id(client, key_headers)}/streamable"
    assert call(client, path, key_headers, "chat", input_value="hi") == {"content": [
        {"type": "text", "text": f"Flow build blocked for the Chat tool. Error: {BLOCKED}"}], "isError": True}
    block(client, key_headers)
    assert call(client, path, key_headers, "chat", input_value="hi")["isError"] is False


def test_a_project_upload_is_refused_whole(client: TestClient, key_headers: dict[str, str],
                                           chat_flow: dict[str, Any]) -> None:
    block(client, key_headers, "ChatOutput")
    before = client.get("/api/v1/projects/", headers=key_headers).json()
    project = {"folder_name": "up", "folder_description": "", "flows": [
        {"name": "bare", "data": {"nodes": [], "edges": []}}, {"name": "chat", "data": chat_flow["data"]}]}
    upload = client.post("/api/v1/projects/upload/", headers=key_headers,
                         files={"file": ("p.json", json.dumps(project), "application/json")})
    assert (upload.status_code, upload.json()) == (400, REFUSED)
    assert client.get("/api/v1/projects/", headers=key_headers).json() == before
    block(client, key_headers)
    assert client.post("/api/v1/projects/upload/", headers=key_headers, files={
        "file": ("p.json", json.dumps(project), "application/json")}).status_code == 201


def test_activating_a_version_with_a_blocked_component_changes_nothing(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow_id = create_flow(client, key_headers, {"name": "versioned", "data": chat_flow["data"]})["id"]
    version = client.post(f"/api/v1/flows/{flow_id}/versions/", json=None, headers=key_headers).json()["id"]
    bare = {"nodes": [], "edges": []}
    assert client.patch(f"/api/v1/flows/{flow_id}", json={"data": bare}, headers=key_headers).status_code == 200
    block(client, key_headers, "ChatOutput")
    url = f"/api/v1/flows/{flow_id}/versions/{version}/activate"
    refused = client.post(url, headers=key_headers)
    assert (refused.status_code, refused.json()) == (400, REFUSED)
    assert client.get(f"/api/v1/flows/{flow_id}", headers=key_headers).json()["data"]["nodes"] == []
    listed = client.get(f"/api/v1/flows/{flow_id}/versions/", headers=key_headers).json()
    assert len(listed["entries"] if isinstance(listed, dict) else listed) == 1  # no draft kept either
    block(client, key_headers)
    assert client.post(url, headers=key_headers).status_code == 200


def test_a_fork_or_overwrite_with_a_blocked_component_writes_nothing(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    created = create_flow(client, key_headers, {"name": "kept", "data": chat_flow["data"]})
    block(client, key_headers, "ChatOutput")
    fork = client.post(f"/api/v1/flows/{created['id']}/fork", json={}, headers=key_headers)
    assert (fork.status_code, fork.json()) == (400, REFUSED)
    bare = {"nodes": [], "edges": []}
    assert client.post(f"/api/v1/flows/{created['id']}/fork", json={"data": bare},
                       headers=key_headers).status_code == 201
    token = {**key_headers, "If-Match": f'"{created["version_token"]}"'}
    overwrite = client.post(f"/api/v1/flows/{created['id']}/overwrite", json={"data": chat_flow["data"]},
                            headers=token)
    assert (overwrite.status_code, overwrite.json()) == (400, REFUSED)
    assert client.get(f"/api/v1/flows/{created['id']}", headers=key_headers).json()["version_token"] == (
        created["version_token"])


def test_a_project_replacement_is_refused_after_its_other_checks(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    bare = {"nodes": [], "edges": []}
    project = deployed(client, key_headers, bare, flow_body(bare, "Main"))
    block(client, key_headers, "ChatOutput")
    body = {"description": "CI", "flows": [flow_body(chat_flow["data"], "Main")]}
    refused = replacement(client, key_headers, project, body)
    assert (refused.status_code, refused.json()) == (400, REFUSED)
    assert project_flows(client, key_headers, project)["Main"]["data"]["nodes"] == []
    twice = [*body["flows"], flow_body(chat_flow["data"], "Main")]
    clash = replacement(client, key_headers, project, {**body, "flows": twice})
    assert clash.status_code == 409  # (one name twice: refused before the graphs are looked at)
    made = replacement(client, key_headers, str(uuid4()), {
        "description": "CI", "project_name": "new-app", "flows": [flow_body(chat_flow["data"], "Other")]})
    assert (made.status_code, made.json()) == (400, REFUSED)
    assert "new-app" not in [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()]


def test_a_kept_1_13_policy_binds_1_13_but_no_1_8_run(make_client: Make, tmp_path: Path,
                                                            chat_flow: dict[str, Any]) -> None:
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    key = {"x-api-key": new_api_key(first)}
    flow_id = create_flow(first, key, {"name": "chat", "data": chat_flow["data"]})["id"]
    block(first, key, "ChatOutput")
    assert first.post(f"/api/v1/run/{flow_id}", json={"input_value": "x"}, headers=key).status_code == 400
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir)  # the kept policy binds the next start
    assert again.post(f"/api/v1/run/{flow_id}", json={"input_value": "x"}, headers=key).json() == REFUSED
    again.__exit__(None, None, None)
    older = make_client(ephemeral=False, data_dir=data_dir, langflow_version="1.8")
    assert older.post(f"/api/v1/run/{flow_id}", json={"input_value": "x"}, headers=key).status_code == 200
    assert older.post(f"/api/v1/build/{flow_id}/flow", json={}, headers=key).status_code == 200
