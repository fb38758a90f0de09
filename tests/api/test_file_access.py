"""1.13's restricted local file access (LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS, on by default) on every run path:
each refuses a file field naming a path outside the caller's and the flow's storage in its own error shape;
1.8 and 1.7.1 check nothing."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_files_run import LOCAL_FILE_ACCESS_DENIED, file_flow, prompting_flow
from tests.api.test_mcp import call, mcp_flow, project_id, set_project_auth
from tests.api.test_run import with_human_input
from tests.conftest import create_flow, new_api_key

RELEASES = ["1.13.0", "1.8.4", "1.7.1"]


def server(make_client: Callable[..., TestClient], version: str = "1.13.0") -> tuple[TestClient, dict[str, str]]:
    client = make_client(langflow_version=version, job_latency_ms=0)
    return client, {"x-api-key": new_api_key(client)}


def chat_input_id(flow: dict[str, Any]) -> str:
    return next(n["id"] for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))


def reading_passwd() -> dict[str, Any]:
    """The File-reading flow whose saved path (file_path) is a server file, no storage key."""
    flow = file_flow()
    reader = next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")
    reader["data"]["node"]["template"]["path"].update({"value": ["passwd"], "file_path": ["/etc/passwd"]})
    return flow


def prompting_with_stored_files(path: str) -> dict[str, Any]:
    """Basic Prompting whose Chat Input holds `path` among its saved files."""
    flow = prompting_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))
    node["data"]["node"]["template"]["files"].update({"value": [path], "file_path": [path]})
    return flow


def idle(client: TestClient) -> None:
    """Wait for the app's background runs (a webhook's) to end."""
    jobs = client.app.state.mock.jobs  # type: ignore[attr-defined]
    for _ in range(500):
        if not jobs.running():
            return
        time.sleep(0.01)
    raise AssertionError("a background run never ended")


def transactions(client: TestClient, headers: dict[str, str], flow_id: str) -> list[str]:
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    return sorted(t["vertex_id"] for t in logged["items"])


@pytest.mark.parametrize("version", RELEASES)
def test_run_advanced_answers_a_file_outside_storage_with_its_plain_500(make_client: Callable[..., TestClient],
                                                                      version: str) -> None:
    """/run/advanced builds its graph as /run does, so 1.13 refuses a saved path or a tweak's path outside the
    caller's storage; every release answers a graph or run that failed there with a 500 whose detail is the
    error's text alone (not /run's JSON text). 1.8 and 1.7.1 run the tweak and fail reading the saved file."""
    client, headers = server(make_client, version)
    reader = create_flow(client, headers, reading_passwd())
    stored = client.post(f"/api/v1/run/advanced/{reader['id']}", headers=headers,
                         json={"inputs": [{"input_value": "go"}]})
    prompting = create_flow(client, headers, prompting_flow())
    tweaked = client.post(f"/api/v1/run/advanced/{prompting['id']}", headers=headers,
                          json={"tweaks": {chat_input_id(prompting): {"files": ["/etc/passwd"]}}})
    if version == "1.13.0":
        assert (stored.status_code, stored.json()) == (500, {"detail": LOCAL_FILE_ACCESS_DENIED})
        assert (tweaked.status_code, tweaked.json()) == (500, {"detail": LOCAL_FILE_ACCESS_DENIED})
        assert transactions(client, headers, prompting["id"]) == []
    else:
        assert (stored.status_code, stored.json()) == (
            500, {"detail": "Error building Component Read File: \n\nFile not found: /etc/passwd"})
        assert tweaked.status_code == 200, tweaked.text


@pytest.mark.parametrize("version", RELEASES)
def test_a_webhook_run_with_a_file_outside_storage_runs_no_component(make_client: Callable[..., TestClient],
                                                                     version: str) -> None:
    """The webhook answers 202 before its run; in 1.13 that run's graph is refused, so no vertex is built (none
    logs a transaction, no message is stored). 1.8 and 1.7.1 run the flow."""
    client, headers = server(make_client, version)
    flow = create_flow(client, headers, prompting_with_stored_files("/etc/passwd"))
    hooked = client.post(f"/api/v1/webhook/{flow['id']}", json={"any": "thing"}, headers=headers)
    assert hooked.status_code == 202
    idle(client)
    ran = transactions(client, headers, flow["id"])
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    if version == "1.13.0":
        assert (ran, messages) == ([], [])
    else:
        assert any(m["sender"] == "User" for m in messages), messages


def test_a_tool_call_with_a_file_outside_storage_is_an_error_result_with_the_refusal(
        make_client: Callable[..., TestClient]) -> None:
    """1.13's MCP tool call refuses the graph before its run: an error result, "Error Executing the <flow> tool.
    Error: <the refusal>", its text not hidden from a visitor of an auth-none project (it is no run's 500)."""
    client, headers = server(make_client)
    mcp_flow(client, headers, prompting_with_stored_files("/etc/passwd"), "ask")
    pid = project_id(client, headers)
    refused = {"content": [{"type": "text", "text": f"Error Executing the Files prompting tool. Error: "
                                                    f"{LOCAL_FILE_ACCESS_DENIED}"}], "isError": True}
    assert call(client, "/api/v1/mcp/streamable", headers, "files_prompting", input_value="x") == refused
    path = f"/api/v1/mcp/project/{pid}/streamable"
    assert call(client, path, headers, "ask", input_value="x") == refused
    set_project_auth(client, headers, pid, {"auth_type": "none"})
    assert call(client, path, {}, "ask", input_value="x") == refused


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_tool_call_reads_any_file_path(make_client: Callable[..., TestClient], version: str) -> None:
    client, headers = server(make_client, version)
    create_flow(client, headers, prompting_with_stored_files("/etc/passwd"))
    result = call(client, "/api/v1/mcp/streamable", headers, "files_prompting", input_value="x")
    assert result["isError"] is False, result


def test_a_run_refuses_a_flow_that_would_pause_for_a_person_before_its_files(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13's /run checks for a Human-in-the-Loop node on the flow's data, then builds its graph (which checks its
    files): a flow with both is the 400 of the former."""
    client, headers = server(make_client)
    body = with_human_input(copy.deepcopy(chat_flow), connected=True)
    node = next(n for n in body["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")
    node["data"]["node"]["template"]["files"].update({"value": ["/etc/passwd"], "file_path": ["/etc/passwd"]})
    flow = create_flow(client, headers, body)
    response = client.post(f"/api/v1/run/{flow['id']}", headers=headers, json={"input_value": "hi"})
    assert response.status_code == 400, response.text
