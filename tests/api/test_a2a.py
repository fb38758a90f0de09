"""/api/v1/a2a: 1.13's A2A protocol for agent flows (Langflow's api/v1/a2a.py, a2a_utils.py, a2a_executor.py),
behind LANGFLOW_A2A_ENABLED."""

from __future__ import annotations

import copy
import json
import logging
import queue
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_DNS, uuid5

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from mock_langflow.a2a import rpc as a2a_rpc
from mock_langflow.a2a.rpc import data_part
from tests.api import test_agent_approval as approval
from tests.api.test_workflows_hitl import APPROVED, HUMAN, REJECTED, hitl_flow, two_gates
from tests.conftest import (
    as_an_older_mock_left_it,
    copy_of_example,
    create_flow,
    load_json,
    new_api_key,
    other_user_key,
    sink,
    two_outputs,
)

FLOW_ID = "00000000-0000-4000-8000-00000000a2a0"
CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"


@pytest.fixture
def on(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(a2a_enabled=True)


def agent(client: TestClient, headers: dict[str, str], chat_flow: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {**chat_flow, "flow_type": "agent", "a2a_enabled": True, **fields}
    return create_flow(client, headers, body)


def rpc(client: TestClient, flow_id: str, method: str, params: dict[str, Any], **headers: str) -> Any:
    return client.post(f"/api/v1/a2a/{flow_id}/jsonrpc", headers=headers,
                       json={"jsonrpc": "2.0", "id": 7, "method": method, "params": params})


def message(text: str, **fields: Any) -> dict[str, Any]:
    return {"message": {"role": "user", "messageId": "m-1", "kind": "message",
                        "parts": [{"kind": "text", "text": text}], **fields}}


# --- the flag ----------------------------------------------------------------------------------------------


def test_off_by_default_every_route_answers_as_unmounted(client: TestClient, key_headers: dict[str, str],
                                                         chat_flow: dict[str, Any]) -> None:
    flow = agent(client, key_headers, chat_flow)
    # before authentication: no credentials still get the 404, not a 403
    assert (client.get("/api/v1/a2a/agents").status_code, client.get("/api/v1/a2a/agents").json()) == (
        404, {"detail": errors.NOT_FOUND})
    card = client.get(f"/api/v1/a2a/{flow['id']}/.well-known/agent-card.json")
    assert (card.status_code, card.json()) == (404, {"detail": "Not Found"})
    assert rpc(client, flow["id"], "tasks/get", {"id": "x"}).status_code == 404
    assert client.get("/api/v1/config", headers=key_headers).json()["a2a_enabled"] is False


def test_the_flag_shows_in_the_config(on: TestClient) -> None:
    headers = {"x-api-key": new_api_key(on)}
    assert on.get("/api/v1/config", headers=headers).json()["a2a_enabled"] is True


def test_1_8_has_no_a2a_routes(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4", a2a_enabled=True)
    assert "/api/v1/a2a/agents" not in client.get("/openapi.json").json()["paths"]
    assert client.get(f"/api/v1/a2a/{FLOW_ID}/.well-known/agent-card.json").status_code == 404


# --- the agent card ----------------------------------------------------------------------------------------


def test_the_card_describes_the_flow_for_anyone(on: TestClient, chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow, name="Helper", description="")
    response = on.get(f"/api/v1/a2a/{flow['id']}/.well-known/agent-card.json")
    assert response.status_code == 200
    card = response.json()
    assert list(card) == ["capabilities", "defaultInputModes", "defaultOutputModes", "description", "name",
                          "preferredTransport", "protocolVersion", "skills", "url", "version"]
    assert card["capabilities"] == {"pushNotifications": True, "streaming": True}
    assert (card["name"], card["description"], card["version"], card["protocolVersion"]) == (
        "Helper", "A2A agent for flow Helper", "1.13.0", "0.3.0")
    assert card["url"] == f"http://testserver/api/v1/a2a/{flow['id']}/jsonrpc"
    assert card["defaultInputModes"] == card["defaultOutputModes"] == ["application/json"]
    [skill] = card["skills"]
    assert list(skill) == ["description", "id", "inputModes", "name", "outputModes", "tags", "inputSchema"]
    assert (skill["id"], skill["name"], skill["tags"]) == (flow["id"], "Helper", ["langflow"])
    assert skill["inputSchema"]["type"] == "object" and "session_id" in skill["inputSchema"]["properties"]


def test_overrides_name_the_card_and_bad_ones_are_ignored(on: TestClient, chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    overrides = {"name": "Bot", "description": "Helps.", "version": 3, "tags": ["a", "b"], "examples": ["hi"]}
    flow = agent(on, headers, chat_flow, name="Helper", a2a_card_overrides=overrides)
    card = on.get(f"/api/v1/a2a/{flow['id']}/.well-known/agent-card.json").json()
    assert (card["name"], card["description"], card["version"]) == ("Bot", "Helps.", "1.13.0")
    assert (card["skills"][0]["tags"], card["skills"][0]["examples"]) == (["a", "b"], ["hi"])


@pytest.mark.parametrize("fields", [{"flow_type": "workflow"}, {"a2a_enabled": False}], ids=["workflow", "off"])
def test_only_an_a2a_enabled_agent_has_a_card(on: TestClient, chat_flow: dict[str, Any],
                                              fields: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow, **fields)
    for response in (on.get(f"/api/v1/a2a/{flow['id']}/.well-known/agent-card.json"),
                     rpc(on, flow["id"], "tasks/get", {"id": "x"})):
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert on.get(f"/api/v1/a2a/{FLOW_ID}/.well-known/agent-card.json").status_code == 404


def test_a_project_that_wants_a_key_shows_it_on_the_card(on: TestClient, chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    on.patch(f"/api/v1/mcp/project/{flow['folder_id']}", headers=headers,
             json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    card = on.get(f"/api/v1/a2a/{flow['id']}/.well-known/agent-card.json").json()
    assert card["security"] == [{"apiKey": []}]
    assert card["securitySchemes"] == {"apiKey": {"description": "API key passed in the x-api-key header.",
                                                  "in": "header", "name": "x-api-key", "type": "apiKey"}}


# --- the list ----------------------------------------------------------------------------------------------


def test_the_list_is_the_callers_own_enabled_agents(on: TestClient, chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    one = agent(on, headers, chat_flow, name="One", description="first")
    agent(on, headers, chat_flow, name="Off", a2a_enabled=False)
    agent(on, headers, chat_flow, name="Plain", flow_type="workflow")
    listed = on.get("/api/v1/a2a/agents", headers=headers)
    assert listed.status_code == 200
    assert listed.json() == [{"id": one["id"], "name": "One", "description": "first",
                              "cardUrl": f"http://testserver/api/v1/a2a/{one['id']}/.well-known/agent-card.json"}]
    bob = {"x-api-key": other_user_key(on, headers)}
    assert on.get("/api/v1/a2a/agents", headers=bob).json() == []
    assert on.get("/api/v1/a2a/agents").status_code == 403


# --- JSON-RPC ----------------------------------------------------------------------------------------------


def test_message_send_runs_the_flow_and_tasks_get_reads_the_task_back(on: TestClient,
                                                                       chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    sent = rpc(on, flow["id"], "message/send", message("hello agent"))
    assert sent.status_code == 200
    body = sent.json()
    assert (body["jsonrpc"], body["id"]) == ("2.0", 7)
    task = body["result"]
    assert (task["kind"], task["status"]["state"]) == ("task", "completed")
    assert task["artifacts"][0]["name"] == "result"
    assert task["artifacts"][0]["parts"] == [{"kind": "text", "text": "hello agent"}]
    # 1.13's executor submits its task before the SDK would file the message under it: no history
    assert list(task) == ["artifacts", "contextId", "id", "kind", "status"]
    assert task["status"]["timestamp"].endswith("Z")
    got = rpc(on, flow["id"], "tasks/get", {"id": task["id"]}).json()
    assert got == {"id": 7, "jsonrpc": "2.0", "result": task}


def test_a_message_on_a_task_it_cannot_reach_is_refused_as_the_sdk_refuses_it(on: TestClient,
                                                                              chat_flow: dict[str, Any]) -> None:
    """A follow-up message names a task: one not found, of another context, or ended gets the a2a SDK's error
    (with the task's id in its text), the task untouched."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    task = rpc(on, flow["id"], "message/send", message("hello", contextId="ctx-a")).json()["result"]

    def refusal(**fields: Any) -> dict[str, Any]:
        return rpc(on, flow["id"], "message/send", message("more", **fields)).json()["error"]

    assert refusal(taskId="nope") == {"code": -32001, "message": "Task nope not found", "data": None}
    assert refusal(taskId=task["id"], contextId="ctx-b") == {
        "code": -32602, "message": f"Context ctx-b does not match context ctx-a of task {task['id']}", "data": None}
    assert refusal(taskId=task["id"]) == {
        "code": -32004, "message": f"Task {task['id']} is in terminal state: TASK_STATE_COMPLETED", "data": None}
    assert rpc(on, flow["id"], "tasks/get", {"id": task["id"]}).json()["result"] == task


def test_a_public_agent_runs_as_a_visitor_and_one_with_code_it_will_not_serve_fails(
        on: TestClient, chat_flow: dict[str, Any]) -> None:
    """A flow of a project without key auth is run for anyone as 1.13 runs a visitor's: a flow holding a
    component that runs code is refused (a failed task, its reason not shown), as the public build refuses it."""
    headers = {"x-api-key": new_api_key(on)}
    coder = copy.deepcopy(chat_flow["data"]["nodes"][0])
    coder["id"] = coder["data"]["id"] = "PythonREPLComponent-x1"
    coder["data"]["type"] = "PythonREPLComponent"
    flow = agent(on, headers, {**chat_flow, "data": {**chat_flow["data"],
                                                    "nodes": [*chat_flow["data"]["nodes"], coder]}})
    task = rpc(on, flow["id"], "message/send", message("hello")).json()["result"]
    assert task["status"]["state"] == "failed"
    assert task["status"]["message"]["parts"] == [{"kind": "text", "text": errors.A2A_FLOW_FAILED}]
    assert on.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json() == []


def test_a_flows_reset_forgets_the_agents_tasks(on: TestClient, chat_flow: dict[str, Any]) -> None:
    """/_mock/reset of the flows leaves no task behind for a flow made again under the same id."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    task = rpc(on, flow["id"], "message/send", message("hello")).json()["result"]
    assert on.post("/_mock/reset", json={"parts": ["flows"]}, headers=headers).status_code == 200
    again = agent(on, headers, {**chat_flow, "id": flow["id"]})
    assert again["id"] == flow["id"]
    assert rpc(on, flow["id"], "tasks/get", {"id": task["id"]}).json()["error"]["code"] == -32001


def test_a_context_id_is_one_conversation_in_a_session_of_the_caller_and_flow(on: TestClient,
                                                                              chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    on.patch(f"/api/v1/mcp/project/{flow['folder_id']}", headers=headers,
             json={"settings": [], "auth_settings": {"auth_type": "apikey"}})  # the owner's own runs
    first = rpc(on, flow["id"], "message/send", message("one", contextId="ctx-1"), **headers).json()["result"]
    second = rpc(on, flow["id"], "message/send", message("two", contextId="ctx-1"), **headers).json()["result"]
    assert first["contextId"] == second["contextId"] == "ctx-1" and first["id"] != second["id"]
    stored = on.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    namespace = uuid5(NAMESPACE_DNS, f"{flow['user_id']}_{flow['id']}")
    assert {m["session_id"] for m in stored} == {f"{namespace}:ctx-1"}
    assert [m["text"] for m in stored if m["sender"] == "User"] == ["one", "two"]


def test_an_unknown_task_and_method_are_json_rpc_errors(on: TestClient, chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    missing = rpc(on, flow["id"], "tasks/get", {"id": "nope"})
    assert (missing.status_code, missing.json()) == (
        200, {"jsonrpc": "2.0", "id": 7, "error": {"code": -32001, "message": "Task not found", "data": None}})
    unknown = rpc(on, flow["id"], "agents/dance", {}).json()
    assert unknown["error"] == {"code": -32601, "message": "Method not found"}
    bad = on.post(f"/api/v1/a2a/{flow['id']}/jsonrpc", content=b"{", headers={"content-type": "application/json"})
    assert bad.status_code == 200 and bad.json()["id"] is None
    assert bad.json()["error"] == {"code": -32700, "message": "Expecting property name enclosed in double quotes: "
                                                             "line 1 column 2 (char 1)"}
    batch = on.post(f"/api/v1/a2a/{flow['id']}/jsonrpc", json=[{"jsonrpc": "2.0", "id": 1, "method": "tasks/get"}])
    assert batch.json()["error"] == {"code": -32600, "message": "Batch requests are not supported"}
    no_message = rpc(on, flow["id"], "message/send", {"message": {"role": "user"}}).json()
    assert (no_message["id"], no_message["error"]["code"], no_message["error"]["message"]) == (
        7, -32600, "Invalid Request")


def test_a_project_that_wants_a_key_takes_only_the_owners(on: TestClient, chat_flow: dict[str, Any]) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    on.patch(f"/api/v1/mcp/project/{flow['folder_id']}", headers=headers,
             json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    bob = other_user_key(on, headers)
    for sent, detail in ((rpc(on, flow["id"], "tasks/get", {"id": "x"}), "API key required"),
                         (rpc(on, flow["id"], "tasks/get", {"id": "x"}, **{"x-api-key": bob}), "Invalid API key"),
                         (rpc(on, flow["id"], "tasks/get", {"id": "x"}, **{"x-api-key": "sk-nope"}),
                          "Invalid API key")):
        assert (sent.status_code, sent.json()) == (401, {"detail": detail})
    owner = rpc(on, flow["id"], "message/send", message("mine"), **headers).json()["result"]
    assert owner["status"]["state"] == "completed"
    # a task is the principal's: the public principal never sees the owner's
    assert rpc(on, flow["id"], "tasks/get", {"id": owner["id"]}, **headers).json()["result"]["id"] == owner["id"]


def test_a_run_that_fails_is_a_failed_task_without_its_error(make_client: Callable[..., TestClient]) -> None:
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])  # its "Boom" component raises
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, load_json("flow_boom.json"))
    task = rpc(on, flow["id"], "message/send", message("go")).json()["result"]
    assert "artifacts" not in task
    status = task["status"]
    assert (status["state"], status["message"]["role"], status["message"]["parts"]) == (
        "failed", "agent", [{"kind": "text", "text": "Flow execution failed"}])
    assert (status["message"]["taskId"], status["message"]["contextId"]) == (task["id"], task["contextId"])


# --- the answer's parts ------------------------------------------------------------------------------------

TALLY = {"out": {"message": "hi", "type": "text"}}  # a data component's content: the outputs its build holds


def answered(client: TestClient, body: dict[str, Any]) -> list[dict[str, Any]]:
    headers = {"x-api-key": new_api_key(client)}
    flow = agent(client, headers, body)
    task = rpc(client, flow["id"], "message/send", message("hi")).json()["result"]
    assert task["status"]["state"] == "completed"
    return task["artifacts"][0]["parts"]


def test_outputs_other_than_one_text_answer_are_a_part_each(on: TestClient, chat_flow: dict[str, Any]) -> None:
    """1.13's executor answers a single text output's text alone (a data output beside it left out); other
    outputs give a part each, in the graph's order: text for a string message, JSON data for the rest, and
    none for an output with no content (only an empty text part when no output has any)."""
    assert answered(on, sink(chat_flow, "Tally-dAt4x", ["Data"])) == [{"kind": "text", "text": "hi"}]
    assert answered(on, sink(two_outputs(chat_flow), "Tally-dAt4x", ["Data"])) == [
        {"kind": "text", "text": "hi"}, {"kind": "text", "text": "hi"}, {"data": TALLY, "kind": "data"}]
    # the Chat Output feeds a component: the flow's only output is that one's
    assert answered(on, sink(chat_flow, "Tally-dAt4x", ["Data"], source="ChatOutput-eF2gH")) == [
        {"data": TALLY, "kind": "data"}]
    assert answered(on, sink(chat_flow, "Note-t3xtx", ["Message"], source="ChatOutput-eF2gH")) == [
        {"kind": "text", "text": ""}]


def test_a_data_part_holds_json_as_a_protobuf_value() -> None:
    """1.13 stores a data output in a protobuf Value (every number a double), and the SDK's 0.3 adapter wraps
    what is not an object, marking it data_part_compat."""
    assert data_part({"n": 3, "ok": True, "list": [1, 2.5, None, "x"]}) == {
        "data": {"n": 3.0, "ok": True, "list": [1.0, 2.5, None, "x"]}, "kind": "data"}
    assert data_part([1, {"a": 2}]) == {"data": {"value": [1.0, {"a": 2.0}]}, "kind": "data",
                                        "metadata": {"data_part_compat": True}}
    assert data_part("text") == {"data": {"value": "text"}, "kind": "data", "metadata": {"data_part_compat": True}}


# --- streaming, resubscribe and cancel ---------------------------------------------------------------------

RPC_ID = 7


def frames(lines: Any, count: int | None = None) -> list[dict[str, Any]]:
    """The JSON-RPC responses of an SSE answer's `data:` lines (`count` of them, else all that come)."""
    found: list[dict[str, Any]] = []
    for line in lines:
        if line.startswith("data: "):
            found.append(json.loads(line[len("data: "):]))
            if count is not None and len(found) == count:
                break
    return found


def stream(client: TestClient, flow_id: str, method: str, params: dict[str, Any], **headers: str) -> Any:
    return client.stream("POST", f"/api/v1/a2a/{flow_id}/jsonrpc", headers=headers,
                         json={"jsonrpc": "2.0", "id": RPC_ID, "method": method, "params": params})


def slow_agent(client: TestClient, seconds: int) -> tuple[dict[str, Any], dict[str, str]]:
    """An agent flow Chat Input -> Slow Echo (`seconds` long under CONTRACT_SCRIPT) -> Chat Output, in a project
    that wants the owner's key (a public agent's code component would not run for a visitor), and its headers."""
    headers = {"x-api-key": new_api_key(client)}
    flow = load_json("flow_slow_echo.json")
    for node in flow["data"]["nodes"]:
        if "delay" in node["data"]["node"]["template"]:
            node["data"]["node"]["template"]["delay"]["value"] = seconds
    created = agent(client, headers, flow)
    client.patch(f"/api/v1/mcp/project/{created['folder_id']}", headers=headers,
                 json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    return created, headers


def test_message_stream_sends_the_runs_lifecycle_as_sse(on: TestClient, chat_flow: dict[str, Any]) -> None:
    """As 1.13 streams a run (the a2a SDK's 0.3 adapter, sse-starlette): `data:` frames of JSON-RPC responses,
    the submitted task, "working", the answer as one whole artifact, then the final "completed"."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    with stream(on, flow["id"], "message/stream", message("hello agent", contextId="ctx-s")) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert (response.headers["cache-control"], response.headers["x-accel-buffering"]) == ("no-store", "no")
        raw = response.read().decode()
    assert raw.endswith("\r\n\r\n") and all(block.startswith("data: {") for block in raw.split("\r\n\r\n")[:-1])
    sent = frames(raw.split("\r\n\r\n"))
    assert {(f["jsonrpc"], f["id"]) for f in sent} == {("2.0", RPC_ID)}
    submitted, working, artifact, completed = (f["result"] for f in sent)
    task_id = submitted["id"]
    assert submitted == {"contextId": "ctx-s", "id": task_id, "kind": "task", "status": {"state": "submitted"}}
    assert (working["kind"], working["final"], working["status"]["state"], working["taskId"]) == (
        "status-update", False, "working", task_id)
    assert list(artifact) == ["append", "artifact", "contextId", "kind", "lastChunk", "taskId"]
    assert (artifact["kind"], artifact["append"], artifact["lastChunk"]) == ("artifact-update", False, False)
    assert (artifact["artifact"]["name"], artifact["artifact"]["parts"]) == (
        "result", [{"kind": "text", "text": "hello agent"}])
    assert list(completed) == ["contextId", "final", "kind", "status", "taskId"]
    assert (completed["final"], completed["status"]["state"]) == (True, "completed")
    stored = rpc(on, flow["id"], "tasks/get", {"id": task_id}).json()["result"]
    assert stored == {"artifacts": [artifact["artifact"]], "contextId": "ctx-s", "id": task_id, "kind": "task",
                      "status": completed["status"]}


def test_a_streamed_run_that_fails_ends_with_a_failed_status(make_client: Callable[..., TestClient]) -> None:
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])  # its "Boom" component raises
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, load_json("flow_boom.json"))
    with stream(on, flow["id"], "message/stream", message("go")) as response:
        sent = [f["result"] for f in frames(response.iter_lines())]
    assert [(f["kind"], f["status"]["state"]) for f in sent] == [
        ("task", "submitted"), ("status-update", "working"), ("status-update", "failed")]
    failed = sent[-1]
    assert (failed["final"], failed["status"]["message"]["parts"]) == (True, [{"kind": "text", "text":
                                                                               errors.A2A_FLOW_FAILED}])
    stored = rpc(on, flow["id"], "tasks/get", {"id": failed["taskId"]}).json()["result"]
    assert (stored["status"], "artifacts" in stored) == (failed["status"], False)


def test_a_running_task_can_be_followed_and_canceled(make_client: Callable[..., TestClient]) -> None:
    """While its run goes on, tasks/get shows the task "working", tasks/resubscribe follows it (the task as it
    is, then what comes) and a message naming it follows it too; tasks/cancel stops the run: every follower
    gets "canceled" (1.13's executor sends it twice, from its cancel and from its run stopping) and the answer
    is the canceled task. An ended task is not canceled again nor resubscribed to."""
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    flow, headers = slow_agent(on, 60)
    with stream(on, flow["id"], "message/stream", message("slow"), **headers) as first:
        lines = first.iter_lines()
        submitted, working = (f["result"] for f in frames(lines, 2))
        task_id = submitted["id"]
        live = rpc(on, flow["id"], "tasks/get", {"id": task_id}, **headers).json()["result"]
        assert live == {"contextId": submitted["contextId"], "id": task_id, "kind": "task",
                        "status": working["status"]}
        with stream(on, flow["id"], "tasks/resubscribe", {"id": task_id}, **headers) as again, \
                stream(on, flow["id"], "message/stream", message("more", taskId=task_id), **headers) as more:
            again_lines = again.iter_lines()
            assert frames(again_lines, 1)[0]["result"] == live
            canceled = rpc(on, flow["id"], "tasks/cancel", {"id": task_id}, **headers).json()
            assert canceled["result"]["status"]["state"] == "canceled"
            assert {k: v for k, v in canceled["result"].items() if k != "status"} == {
                "contextId": submitted["contextId"], "id": task_id, "kind": "task"}
            for follower in (again_lines, more.iter_lines(), lines):
                ends = [(f["result"]["kind"], f["result"]["final"], f["result"]["status"]["state"])
                        for f in frames(follower)]
                assert ends == [("status-update", True, "canceled")] * 2
    stored = rpc(on, flow["id"], "tasks/get", {"id": task_id}, **headers).json()["result"]
    assert (stored["status"]["state"], "artifacts" in stored) == ("canceled", False)
    assert rpc(on, flow["id"], "tasks/cancel", {"id": task_id}, **headers).json()["error"] == {
        "code": -32002, "message": "Task cannot be canceled", "data": None}
    with stream(on, flow["id"], "tasks/resubscribe", {"id": task_id}, **headers) as ended:
        assert frames(ended.iter_lines()) == [{"error": {"code": -32603, "message": errors.A2A_NO_ACTIVE_STREAM.format(
            task_id=task_id)}, "id": RPC_ID, "jsonrpc": "2.0"}]


def test_resubscribe_and_cancel_of_unknown_tasks_are_the_sdks_errors(on: TestClient,
                                                                     chat_flow: dict[str, Any]) -> None:
    """tasks/cancel answers -32001; tasks/resubscribe and a streamed follow-up answer as a stream whose one
    frame is the error the SDK's 0.3 stream reports for anything: -32603 with the error's text."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    assert rpc(on, flow["id"], "tasks/cancel", {"id": "nope"}).json() == {
        "jsonrpc": "2.0", "id": RPC_ID, "error": {"code": -32001, "message": "Task not found", "data": None}}
    for method, params, text in (("tasks/resubscribe", {"id": "nope"}, "Task not found"),
                                 ("message/stream", message("x", taskId="nope"), "Task nope not found")):
        with stream(on, flow["id"], method, params) as response:
            assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
            assert frames(response.iter_lines()) == [
                {"error": {"code": -32603, "message": text}, "id": RPC_ID, "jsonrpc": "2.0"}]
    # a negative historyLength: the SDK's -32602, a frame of the stream like any error met there
    task = rpc(on, flow["id"], "message/send", message("hello")).json()["result"]
    assert rpc(on, flow["id"], "tasks/get", {"id": task["id"], "historyLength": -1}).json()["error"] == {
        "code": -32602, "message": "history length must be non-negative", "data": None}
    negative = {**message("x"), "configuration": {"historyLength": -2}}
    assert rpc(on, flow["id"], "message/send", negative).json()["error"]["code"] == -32602
    with stream(on, flow["id"], "message/stream", negative) as response:
        assert frames(response.iter_lines()) == [{"error": {"code": -32603, "message": "history length must be "
                                                            "non-negative"}, "id": RPC_ID, "jsonrpc": "2.0"}]
    # a message the request model refuses is an Invalid Request before any stream
    refused = rpc(on, flow["id"], "message/stream", {"message": {"role": "user"}})
    assert (refused.headers["content-type"], refused.json()["error"]["code"]) == ("application/json", -32600)


def test_a_task_whose_run_a_restart_stopped_stays_working_until_canceled(make_client: Callable[..., TestClient],
                                                                         tmp_path: Path) -> None:
    """A shutdown stops the runs going on where they are, their tasks left "working" as saved (the a2a SDK drains
    its active tasks without a last save). After the restart such a task has no run to follow (resubscribe is
    refused) and tasks/cancel writes it canceled as it stands, its status time kept."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    flow, headers = slow_agent(first, 60)
    with stream(first, flow["id"], "message/stream", message("slow"), **headers) as response:
        submitted, working = (f["result"] for f in frames(response.iter_lines(), 2))
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    task_id = submitted["id"]
    kept = rpc(again, flow["id"], "tasks/get", {"id": task_id}, **headers).json()["result"]
    assert kept["status"] == working["status"]
    with stream(again, flow["id"], "tasks/resubscribe", {"id": task_id}, **headers) as response:
        assert frames(response.iter_lines())[0]["error"]["message"] == errors.A2A_NO_ACTIVE_STREAM.format(
            task_id=task_id)
    canceled = rpc(again, flow["id"], "tasks/cancel", {"id": task_id}, **headers).json()["result"]
    assert canceled == {**kept, "status": {**working["status"], "state": "canceled"}}
    assert rpc(again, flow["id"], "tasks/get", {"id": task_id}, **headers).json()["result"] == canceled


def test_a_message_sent_without_blocking_answers_the_submitted_task_at_once(make_client: Callable[..., TestClient],
                                                                           ) -> None:
    """configuration.blocking false: the answer is the task as submitted while its run goes on (tasks/get shows
    it "working"), as the SDK returns the first task its executor sends."""
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    flow, headers = slow_agent(on, 60)
    sent = rpc(on, flow["id"], "message/send", {**message("slow"), "configuration": {"blocking": False}},
               **headers).json()["result"]
    assert sent == {"contextId": sent["contextId"], "id": sent["id"], "kind": "task", "status": {"state": "submitted"}}
    assert rpc(on, flow["id"], "tasks/get", {"id": sent["id"]}, **headers).json()["result"]["status"]["state"] == (
        "working")
    assert rpc(on, flow["id"], "tasks/cancel", {"id": sent["id"]}, **headers).json()["result"]["status"][
        "state"] == "canceled"


def test_a_model_that_streams_its_reply_still_makes_one_whole_artifact(on: TestClient) -> None:
    """1.13's executor runs the flow to its end (the v2 sync run) before it sends the answer: a model streaming
    its tokens makes no artifact chunks, only the one artifact with the whole reply."""
    headers = {"x-api-key": new_api_key(on)}
    script = {"rules": [{"reply": "one two three four", "stream": {"tokens_per_second": 1000}}]}
    assert on.post("/_mock/scripts", content=json.dumps(script), headers=headers).status_code == 201
    example = next(f for f in on.get("/api/v1/flows/basic_examples/", headers=headers).json()
                   if f["name"] == "Basic Prompting")
    data = copy.deepcopy(example["data"])
    model = next(n for n in data["nodes"] if n["id"].startswith("LanguageModelComponent"))
    model["data"]["node"]["template"]["stream"]["value"] = True
    flow = agent(on, headers, {"name": "Streaming agent", "data": data})
    with stream(on, flow["id"], "message/stream", message("hi")) as response:
        sent = [f["result"] for f in frames(response.iter_lines())]
    assert [f["kind"] for f in sent] == ["task", "status-update", "artifact-update", "status-update"]
    assert sent[2]["artifact"]["parts"] == [{"kind": "text", "text": "one two three four"}]
    assert (sent[2]["append"], sent[2]["lastChunk"], sent[3]["status"]["state"]) == (False, False, "completed")


# --- push notifications ------------------------------------------------------------------------------------


class Webhook:
    """A local HTTP server that keeps what is POSTed to it (headers, JSON body)."""

    def __init__(self) -> None:
        received = self.received = queue.Queue()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["content-length"]))
                received.put((dict(self.headers.items()), json.loads(body)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self, count: int) -> list[tuple[dict[str, str], dict[str, Any]]]:
        return [self.received.get(timeout=10) for _ in range(count)]


@pytest.fixture
def webhook() -> Any:
    hook = Webhook()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


def test_push_notification_configs_are_kept_per_task(on: TestClient, chat_flow: dict[str, Any]) -> None:
    """1.13 serves the push notification methods (its card says pushNotifications): configs of a task of this flow
    and caller, kept as the SDK keeps them (the task's id when the config has none, one authentication scheme),
    a webhook URL checked first (http(s), a host, no blocked address)."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    task_id = rpc(on, flow["id"], "message/send", message("hello")).json()["result"]["id"]

    def call(name: str, **params: Any) -> dict[str, Any]:
        return rpc(on, flow["id"], f"tasks/pushNotificationConfig/{name}", params).json()

    public = "http://8.8.8.8/hook"  # an address needs no DNS look-up
    assert call("set", taskId="nope", pushNotificationConfig={"url": public})["error"] == {
        "code": -32001, "message": "Task not found", "data": None}
    for url, text in (("ftp://8.8.8.8/x", "webhook url must be http or https"),
                      ("http://127.0.0.1:9/x", "webhook url resolves to a blocked address: 127.0.0.1")):
        assert call("set", taskId=task_id, pushNotificationConfig={"url": url})["error"] == {
            "code": -32602, "message": text, "data": None}
    assert call("set", taskId=task_id, pushNotificationConfig={})["error"]["code"] == -32600
    first = call("set", taskId=task_id, pushNotificationConfig={"url": public})
    assert first == {"id": RPC_ID, "jsonrpc": "2.0", "result": {"pushNotificationConfig": {
        "id": task_id, "url": public}, "taskId": task_id}}
    second = call("set", taskId=task_id, pushNotificationConfig={
        "url": public, "id": "cfg-2", "token": "tok", "authentication": {"schemes": ["Bearer", "Basic"],
                                                                         "credentials": "secret"}})["result"]
    assert list(second["pushNotificationConfig"]) == ["authentication", "id", "token", "url"]
    assert second["pushNotificationConfig"]["authentication"] == {"credentials": "secret", "schemes": ["Bearer"]}
    assert call("list", id=task_id)["result"] == [first["result"], second]
    assert call("get", id=task_id, pushNotificationConfigId="cfg-2")["result"] == second
    assert call("get", id=task_id)["error"] == {"code": -32602, "message": "Validation failed", "data": None}
    assert call("get", id=task_id, pushNotificationConfigId="zz")["error"]["code"] == -32001
    assert call("delete", id=task_id, pushNotificationConfigId="cfg-2") == {"id": RPC_ID, "jsonrpc": "2.0"}
    assert call("list", id=task_id)["result"] == [first["result"]]
    assert call("list", id="nope")["error"]["code"] == -32001


def test_push_configs_are_kept_until_a_restart(make_client: Callable[..., TestClient], tmp_path: Path,
                                                          chat_flow: dict[str, Any]) -> None:
    """A task's push configs are kept while the server runs (in its database), and gone after a restart, as
    1.13's, which holds them in memory; the task itself is kept."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True)
    headers = {"x-api-key": new_api_key(first)}
    flow = agent(first, headers, chat_flow)
    task_id = rpc(first, flow["id"], "message/send", message("hello")).json()["result"]["id"]
    config = {"url": "http://8.8.8.8/hook", "id": "cfg"}
    assert rpc(first, flow["id"], "tasks/pushNotificationConfig/set",
               {"taskId": task_id, "pushNotificationConfig": config}).json()["result"]["taskId"] == task_id
    assert [c["pushNotificationConfig"]["id"] for c in rpc(
        first, flow["id"], "tasks/pushNotificationConfig/list", {"id": task_id}).json()["result"]] == ["cfg"]
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True)
    assert rpc(again, flow["id"], "tasks/get", {"id": task_id}, **headers).json()["result"]["id"] == task_id
    assert rpc(again, flow["id"], "tasks/pushNotificationConfig/list", {"id": task_id},
               **headers).json()["result"] == []


def test_a_tasks_events_are_posted_to_its_webhook(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
                                                  webhook: Webhook) -> None:
    """A webhook set with the message gets each event of the run, as the SDK posts them: protocol 1.0 JSON
    (task, statusUpdate, artifactUpdate), the config's token and authentication as headers. A private address
    is taken only with LANGFLOW_A2A_ALLOW_PRIVATE_WEBHOOKS."""
    on = make_client(a2a_enabled=True, a2a_allow_private_webhooks=True)
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    config = {"url": webhook.url, "token": "tok", "authentication": {"schemes": ["Bearer"], "credentials": "c"}}
    task = rpc(on, flow["id"], "message/send", {**message("hello"), "configuration": {
        "pushNotificationConfig": config}}).json()["result"]
    posts = webhook.take(4)
    assert {(h["X-A2A-Notification-Token"], h["Authorization"]) for h, _ in posts} == {("tok", "Bearer c")}
    ids = {"taskId": task["id"], "contextId": task["contextId"]}
    submitted, working, artifact, completed = (body for _, body in posts)
    assert submitted == {"task": {"id": task["id"], "contextId": task["contextId"],
                                  "status": {"state": "TASK_STATE_SUBMITTED"}}}
    assert working["statusUpdate"]["status"]["state"] == "TASK_STATE_WORKING"
    assert artifact == {"artifactUpdate": {**ids, "artifact": {
        "artifactId": task["artifacts"][0]["artifactId"], "name": "result", "parts": [{"text": "hello"}]}}}
    assert completed == {"statusUpdate": {**ids, "status": {"state": "TASK_STATE_COMPLETED",
                                                            "timestamp": task["status"]["timestamp"]}}}


def test_a_stream_sends_keep_alive_pings_as_sse_starlette(make_client: Callable[..., TestClient],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """sse-starlette (the SDK's SSE answer) sends a `: ping - <UTC time>` comment every 15 s (here made
    shorter) while the run goes on."""
    monkeypatch.setattr(a2a_rpc, "PING_SECONDS", 0.05)
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    flow, headers = slow_agent(on, 60)
    with stream(on, flow["id"], "message/stream", message("slow"), **headers) as response:
        lines = response.iter_lines()
        task_id = frames(lines, 1)[0]["result"]["id"]
        ping = next(line for line in lines if line.startswith(":"))
        assert re.fullmatch(r": ping - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00:00", ping)
        assert rpc(on, flow["id"], "tasks/cancel", {"id": task_id}, **headers).json()["result"]["status"][
            "state"] == "canceled"


# --- bad input and odd sequences -------------------------------------------------------------------------

A2A_METHODS = ["message/send", "message/stream", "tasks/get", "tasks/resubscribe", "tasks/cancel",
               *(f"tasks/pushNotificationConfig/{name}" for name in ("set", "get", "list", "delete"))]
GOOD = {"role": "user", "messageId": "m", "kind": "message", "parts": [{"kind": "text", "text": "x"}]}
HOOK = "http://example.com/hook"
TASK = "<task>"  # replaced by a task of the flow's, so the checks past the task's look-up are reached too
BAD_PARAMS: dict[str, Any] = {
    "missing": ..., "list": [1], "number": 3, "null": None, "string": "x", "empty": {},
    "no parts": {"message": {"role": "user", "messageId": "m"}},
    "parts a string": {"message": {**GOOD, "parts": "abc"}},
    "parts not objects": {"message": {**GOOD, "parts": [1, None]}},
    "part metadata a number": {"message": {**GOOD, "parts": [{"kind": "text", "text": "a", "metadata": 1}]}},
    "file part bytes a number": {"message": {**GOOD, "parts": [{"kind": "file", "file": {"bytes": 3}}]}},
    "data part a list": {"message": {**GOOD, "parts": [{"kind": "data", "data": [1]}]}},
    "messageId an int": {"message": {**GOOD, "messageId": 5}},
    "role a number": {"message": {**GOOD, "role": 3}},
    "taskId an int": {"message": {**GOOD, "taskId": 5}},
    "taskId a bool": {"message": {**GOOD, "taskId": True}},
    "taskId an object": {"message": {**GOOD, "taskId": {"a": 1}}},
    "contextId a list": {"message": {**GOOD, "contextId": [1]}},
    "contextId huge": {"message": {**GOOD, "contextId": "c" * 100_000}},
    "contextId empty": {"message": {**GOOD, "contextId": ""}},
    "text huge": {"message": {**GOOD, "parts": [{"kind": "text", "text": "y" * 200_000}]}},
    "unknown keys": {"message": {**GOOD, "zz": 1}, "zz": 2},
    "metadata a number": {"message": {**GOOD, "metadata": 3}},
    "extensions not strings": {"message": {**GOOD, "extensions": [1, {}]}},
    "configuration a list": {"message": GOOD, "configuration": [1]},
    "historyLength a string": {"message": GOOD, "configuration": {"historyLength": "3"}},
    "historyLength a float": {"message": GOOD, "configuration": {"historyLength": 2.5}},
    "historyLength a bool": {"message": GOOD, "configuration": {"historyLength": True}},
    "blocking a word": {"message": GOOD, "configuration": {"blocking": "maybe"}},
    "webhook url an int": {"message": GOOD, "configuration": {"pushNotificationConfig": {"url": 3}}},
    "webhook bad IPv6": {"message": GOOD, "configuration": {"pushNotificationConfig": {"url": "http://[::1/"}}},
    "id an int": {"id": 5}, "id a bool": {"id": True}, "id an object": {"id": {"a": 1}},
    "id huge": {"id": "i" * 100_000}, "id empty": {"id": ""},
    "get historyLength a float": {"id": TASK, "historyLength": 1.5},
    "get historyLength a bool": {"id": TASK, "historyLength": True},
    "set url an int": {"taskId": TASK, "pushNotificationConfig": {"url": 3}},
    "set taskId an int": {"taskId": 3, "pushNotificationConfig": {"url": HOOK}},
    "set config a list": {"taskId": TASK, "pushNotificationConfig": [1]},
    "set url bad IPv6": {"taskId": TASK, "pushNotificationConfig": {"url": "http://[::1"}},
    "set url a long name": {"taskId": TASK, "pushNotificationConfig": {"url": "http://" + "a" * 300 + ".com/"}},
    "set url huge": {"taskId": TASK, "pushNotificationConfig": {"url": "http://" + "a" * 70_000 + "/"}},
    "set schemes empty": {"taskId": TASK, "pushNotificationConfig": {"url": "ftp://x/",
                                                                     "authentication": {"schemes": []}}},
    "set schemes a string": {"taskId": TASK, "pushNotificationConfig": {"url": HOOK,
                                                                        "authentication": {"schemes": "B"}}},
    "set schemes not strings": {"taskId": TASK, "pushNotificationConfig": {"url": HOOK,
                                                                           "authentication": {"schemes": [None]}}},
    "config id an int": {"id": TASK, "pushNotificationConfigId": 3},
    "config id empty": {"id": TASK, "pushNotificationConfigId": ""},
}


def _envelope(answer: dict[str, Any]) -> None:
    assert (answer["jsonrpc"], answer["id"]) == ("2.0", RPC_ID)
    assert len({"result", "error"} & set(answer)) <= 1
    if "error" in answer:
        assert isinstance(answer["error"]["code"], int) and isinstance(answer["error"]["message"], str)


@pytest.mark.parametrize("method", A2A_METHODS)
def test_bad_params_are_json_rpc_answers_never_a_500(on: TestClient, chat_flow: dict[str, Any],
                                                     method: str) -> None:
    """Whatever the params, every method answers 200 with a JSON-RPC response (a stream: frames of them, and
    it ends), and the server goes on answering."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    task_id = rpc(on, flow["id"], "message/send", {"message": GOOD}).json()["result"]["id"]
    for name, params in BAD_PARAMS.items():
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": RPC_ID, "method": method}
        if params is not ...:
            body["params"] = json.loads(json.dumps(params).replace(json.dumps(TASK), json.dumps(task_id)))
        response = on.post(f"/api/v1/a2a/{flow['id']}/jsonrpc", json=body)
        assert response.status_code == 200, name
        if response.headers["content-type"].startswith("text/event-stream"):
            sent = frames(response.text.split("\r\n\r\n"))
            assert sent, name
            for frame in sent:
                _envelope(frame)
        else:
            _envelope(response.json())
    answer = rpc(on, flow["id"], "message/send", {"message": GOOD}).json()
    assert answer["result"]["status"]["state"] == "completed"


@pytest.mark.parametrize("fields", [{"taskId": 5}, {"taskId": True}, {"contextId": {"a": 1}}, {"contextId": [1]},
                                    {"metadata": 3}, {"extensions": [1]}, {"referenceTaskIds": [{}]}],
                         ids=["taskId-int", "taskId-bool", "contextId-object", "contextId-list", "metadata",
                              "extensions", "referenceTaskIds"])
def test_a_message_field_of_the_wrong_type_is_an_invalid_request(on: TestClient, chat_flow: dict[str, Any],
                                                                 fields: dict[str, Any]) -> None:
    """The SDK's 0.3 Message model wants its ids as strings (no int, bool or object made one), metadata an
    object and its lists of strings: anything else is an Invalid Request, for message/stream before any
    stream, and no task is made."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    for method in ("message/send", "message/stream"):
        response = rpc(on, flow["id"], method, {"message": {**GOOD, **fields}})
        assert response.headers["content-type"] == "application/json"
        assert (response.json()["error"]["code"], response.json()["error"]["message"]) == (-32600,
                                                                                            "Invalid Request")


@pytest.mark.parametrize(("configuration", "code"), [
    ([1], -32600), ("x", -32600), ({"historyLength": 2.5}, -32600), ({"historyLength": "x"}, -32600),
    ({"blocking": "maybe"}, -32600), ({"acceptedOutputModes": 3}, -32600), ({"historyLength": "-1"}, -32602)],
    ids=["list", "string", "history-float", "history-word", "blocking-word", "modes-number", "history-text-neg"])
def test_a_configuration_the_sdk_model_refuses_is_an_error(on: TestClient, chat_flow: dict[str, Any],
                                                            configuration: Any, code: int) -> None:
    """MessageSendConfiguration is read as pydantic reads it: an object whose historyLength is a whole number
    ("-1" is one, and negative) and blocking a boolean."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    answer = rpc(on, flow["id"], "message/send", {"message": GOOD, "configuration": configuration}).json()
    assert answer["error"]["code"] == code


def test_blocking_as_pydantic_reads_it(make_client: Callable[..., TestClient]) -> None:
    """blocking "false" is false to the SDK's model: the answer is the submitted task at once."""
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    flow, headers = slow_agent(on, 60)
    sent = rpc(on, flow["id"], "message/send", {**message("slow"), "configuration": {"blocking": "false"}},
               **headers).json()["result"]
    assert sent["status"] == {"state": "submitted"}
    rpc(on, flow["id"], "tasks/cancel", {"id": sent["id"]}, **headers)


def test_a_webhook_url_urlparse_refuses_is_1_13s_invalid_params(on: TestClient, chat_flow: dict[str, Any]) -> None:
    """1.13 answers any ValueError of its webhook check as -32602 with its text: urlparse's too."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, chat_flow)
    task_id = rpc(on, flow["id"], "message/send", {"message": GOOD}).json()["result"]["id"]
    bad = {"url": "http://[::1/"}
    expected = {"code": -32602, "message": "Invalid IPv6 URL", "data": None}
    assert rpc(on, flow["id"], "tasks/pushNotificationConfig/set",
               {"taskId": task_id, "pushNotificationConfig": bad}).json()["error"] == expected
    assert rpc(on, flow["id"], "message/send", {"message": GOOD, "configuration": {
        "pushNotificationConfig": bad}}).json()["error"] == expected


def _no_loop_errors(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing went wrong in a background task ("Task exception was never retrieved" and the like)."""
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio" and r.levelno >= logging.ERROR] == []


def test_a_flows_reset_stops_the_runs_going_on(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
                                                caplog: pytest.LogCaptureFixture) -> None:
    """/_mock/reset of the flows puts the server back as at its start, where no run goes on: a run of a flow
    it takes away stops as at a shutdown, and a stream following it ends (rather than go on, uncancelable, its
    task gone, until the run's end)."""
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    flow, headers = slow_agent(on, 60)
    with stream(on, flow["id"], "message/stream", message("slow"), **headers) as response:
        lines = response.iter_lines()
        assert len(frames(lines, 2)) == 2
        assert on.post("/_mock/reset", json={"parts": ["flows"]}, headers=headers).status_code == 200
        assert frames(lines) == []
    assert on.app.state.mock.a2a_live == {}
    again = agent(on, headers, chat_flow)
    answer = rpc(on, again["id"], "message/send", {"message": GOOD}, **headers).json()
    assert answer["result"]["status"]["state"] == "completed"
    _no_loop_errors(caplog)


def test_odd_sequences_leave_every_stream_ended_and_nothing_raised(make_client: Callable[..., TestClient],
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A client gone from its stream mid-run, two resubscribers at once and the flow deleted mid-run: the run
    goes on to its end (as 1.13's executor, which holds the graph it runs) and every stream still following
    ends with the final status; nothing raises in the background."""
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT])
    flow, headers = slow_agent(on, 1)
    with stream(on, flow["id"], "message/stream", message("slow"), **headers) as gone:
        task_id = frames(gone.iter_lines(), 1)[0]["result"]["id"]  # then the client leaves
    ends: list[list[str]] = []

    def follow() -> None:
        with stream(on, flow["id"], "tasks/resubscribe", {"id": task_id}, **headers) as response:
            ends.append([f["result"]["kind"] for f in frames(response.iter_lines())])

    followers = [threading.Thread(target=follow) for _ in range(2)]
    for thread in followers:
        thread.start()
    for thread in followers:
        thread.join(10)
    assert ends == [["task", "artifact-update", "status-update"]] * 2
    assert rpc(on, flow["id"], "tasks/get", {"id": task_id}, **headers).json()["result"]["status"]["state"] == (
        "completed")
    with stream(on, flow["id"], "message/stream", message("slow"), **headers) as response:
        lines = response.iter_lines()
        assert len(frames(lines, 2)) == 2
        assert on.delete(f"/api/v1/flows/{flow['id']}", headers=headers).status_code == 200
        assert [(f["result"]["kind"], f["result"].get("final")) for f in frames(lines)] == [
            ("artifact-update", None), ("status-update", True)]
    _no_loop_errors(caplog)


def test_cancels_at_once_cancel_once_and_a_shutdown_stops_a_run_quietly(make_client: Callable[..., TestClient],
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    """Three tasks/cancel at once: one answers the canceled task, the others find it ended (-32002). A
    non-blocking send whose run (and webhook) goes on when the server stops: the exit stops it, nothing
    raised."""
    on = make_client(a2a_enabled=True, scripts=[CONTRACT_SCRIPT], a2a_allow_private_webhooks=True)
    flow, headers = slow_agent(on, 60)
    first = rpc(on, flow["id"], "message/send", {**message("slow"), "configuration": {"blocking": False}},
                **headers).json()["result"]
    answers: list[dict[str, Any]] = []

    def cancel() -> None:
        answers.append(rpc(on, flow["id"], "tasks/cancel", {"id": first["id"]}, **headers).json())

    cancels = [threading.Thread(target=cancel) for _ in range(3)]
    for thread in cancels:
        thread.start()
    for thread in cancels:
        thread.join(10)
    assert sorted(str(a["result"]["status"]["state"] if "result" in a else a["error"]["code"]) for a in answers) == [
        "-32002", "-32002", "canceled"]
    hook = {"url": "http://127.0.0.1:9/hook"}  # nothing listens: each POST fails, quietly
    rpc(on, flow["id"], "message/send", {**message("slow"), "configuration": {
        "blocking": False, "pushNotificationConfig": hook}}, **headers)
    on.__exit__(None, None, None)
    assert on.app.state.mock.a2a_live == {}
    _no_loop_errors(caplog)


# --- tasks that wait for a person (input-required) ---------------------------------------------------------

PROMPT = "ship it?"


def answer(text: str, task: dict[str, Any], number: int = 2, **fields: Any) -> dict[str, Any]:
    """A follow-up message on the task: the person's answer."""
    return message(text, taskId=task["id"], contextId=task["contextId"], messageId=f"m-{number}", **fields)


def agent_said(task: dict[str, Any], text: str) -> None:
    """The task's status message is an agent message of the task saying `text`."""
    said = task["status"]["message"]
    assert list(said) == ["contextId", "kind", "messageId", "parts", "role", "taskId"]
    assert (said["role"], said["parts"], said["taskId"], said["contextId"]) == (
        "agent", [{"kind": "text", "text": text}], task["id"], task["contextId"])


def built(client: TestClient, headers: dict[str, str], flow_id: str) -> set[str]:
    """The vertices the flow's runs built (their logged builds)."""
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    return set(builds["vertex_builds"])


def test_a_human_input_parks_the_task_until_a_message_answers_it(on: TestClient) -> None:
    """1.13 runs an A2A message with a checkpoint store: the run stops at a Human Input node that feeds a vertex,
    and the task waits for a person, "input-required" with the node's prompt as an agent message (not ended: no
    artifact, final false). A message on the task is the answer: one that is no offered action parks it again
    (the same prompt in a new message), the option's label (or its id) runs the chosen branch from the pause
    (the vertices built before it are not built again), and the task completes with that branch's answer. Each
    message goes into the task's history after the status message it answers, as the SDK files them."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, hitl_flow())
    parked = rpc(on, flow["id"], "message/send", message(PROMPT, contextId="ctx-h")).json()["result"]
    assert list(parked) == ["contextId", "id", "kind", "status"]
    assert parked["status"]["state"] == "input-required"
    agent_said(parked, PROMPT)
    assert rpc(on, flow["id"], "tasks/get", {"id": parked["id"]}).json()["result"] == parked
    assert built(on, headers, flow["id"]) == {"ChatInput-aB1cD", HUMAN}
    again = rpc(on, flow["id"], "message/send", answer("maybe later", parked)).json()["result"]
    assert (again["status"]["state"], [m["messageId"] for m in again["history"]]) == (
        "input-required", [parked["status"]["message"]["messageId"], "m-2"])
    assert again["history"][0] == parked["status"]["message"]
    assert again["history"][1] == {"contextId": "ctx-h", "kind": "message", "messageId": "m-2", "parts": [
        {"kind": "text", "text": "maybe later"}], "role": "user", "taskId": parked["id"]}
    agent_said(again, PROMPT)
    assert again["status"]["message"]["messageId"] != parked["status"]["message"]["messageId"]
    done = rpc(on, flow["id"], "message/send", answer(" approve ", parked, 3)).json()["result"]
    assert list(done) == ["artifacts", "contextId", "history", "id", "kind", "status"]
    assert list(done["status"]) == ["state", "timestamp"] and done["status"]["state"] == "completed"
    assert done["artifacts"][0]["parts"] == [{"kind": "text", "text": PROMPT}]
    assert [m["messageId"] for m in done["history"]] == [
        *(m["messageId"] for m in again["history"]), again["status"]["message"]["messageId"], "m-3"]
    assert built(on, headers, flow["id"]) == {"ChatInput-aB1cD", HUMAN, APPROVED}
    assert rpc(on, flow["id"], "tasks/get", {"id": parked["id"]}).json()["result"] == done
    trimmed = rpc(on, flow["id"], "tasks/get", {"id": parked["id"], "historyLength": 1}).json()["result"]
    assert trimmed["history"] == done["history"][-1:]
    assert rpc(on, flow["id"], "message/send", answer("approve", parked, 4)).json()["error"]["code"] == -32004


def test_only_the_answered_part_of_a_run_leaves_a_trace(on: TestClient) -> None:
    """1.13's graph loop writes no trace at a pause (only the build loop of a background run flushes one): the
    trace, under the task's id, is the resumed pass's, the vertices it built."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, hitl_flow())
    parked = rpc(on, flow["id"], "message/send", message(PROMPT)).json()["result"]
    assert on.get(f"/api/v1/monitor/traces/{parked['id']}", headers=headers).status_code == 404
    rpc(on, flow["id"], "message/send", answer("approve", parked))
    trace = on.get(f"/api/v1/monitor/traces/{parked['id']}", headers=headers).json()
    assert sorted(s["name"] for s in trace["spans"]) == ["Chat Output", "Human Input"]


@pytest.mark.parametrize(("text", "branch"), [("Reject", REJECTED), ("REJECT", REJECTED), ("approve", APPROVED)],
                         ids=["label", "any-case", "action-id"])
def test_an_answer_picks_an_action_by_its_id_or_its_label(on: TestClient, text: str, branch: str) -> None:
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, hitl_flow())
    parked = rpc(on, flow["id"], "message/send", message(PROMPT)).json()["result"]
    done = rpc(on, flow["id"], "message/send", answer(text, parked)).json()["result"]
    assert done["status"]["state"] == "completed"
    assert built(on, headers, flow["id"]) == {"ChatInput-aB1cD", HUMAN, branch}


def test_an_answered_run_may_wait_for_a_person_again(on: TestClient) -> None:
    """Past a first Human Input the run reaches a second: the task waits again (the second node's request); its
    answer completes it, the first decision's other branch never built."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, two_gates())
    parked = rpc(on, flow["id"], "message/send", message(PROMPT)).json()["result"]
    again = rpc(on, flow["id"], "message/send", answer("Approve", parked)).json()["result"]
    assert again["status"]["state"] == "input-required" and len(again["history"]) == 2
    agent_said(again, PROMPT)
    # not blocking: the task as the answer's first update left it, "working", the answer filed
    going = rpc(on, flow["id"], "message/send", {**answer("Reject", parked, 3), "configuration": {
        "blocking": False}}).json()["result"]
    assert (going["status"]["state"], going["history"][-1]["messageId"], "message" in going["status"]) == (
        "working", "m-3", False)
    done = rpc(on, flow["id"], "tasks/get", {"id": parked["id"]}).json()["result"]
    for _ in range(500):
        if done["status"]["state"] != "working":
            break
        time.sleep(0.01)
        done = rpc(on, flow["id"], "tasks/get", {"id": parked["id"]}).json()["result"]
    assert (done["status"]["state"], done["artifacts"][0]["parts"]) == ("completed", [{"kind": "text",
                                                                                        "text": PROMPT}])
    assert built(on, headers, flow["id"]) == {"ChatInput-aB1cD", HUMAN, "HumanInput-sEc0N", "ChatOutput-r2R2r"}
    stored = on.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    assert [(m["sender"], m["text"]) for m in stored] == [("User", PROMPT), ("Machine", PROMPT)]
    assert len({m["session_id"] for m in stored}) == 1  # the answer runs in the conversation's session


def test_a_late_answer_to_a_task_takes_the_fallback_branch(make_client: Callable[..., TestClient]) -> None:
    on = make_client(a2a_enabled=True)
    headers = {"x-api-key": new_api_key(on)}
    clock = on.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime(2026, 5, 1, 12, tzinfo=UTC)
    flow = agent(on, headers, hitl_flow(fallback=True))
    parked = rpc(on, flow["id"], "message/send", message(PROMPT)).json()["result"]
    clock.frozen += timedelta(hours=1, seconds=1)
    assert rpc(on, flow["id"], "message/send", answer("Approve", parked)).json()["result"]["status"]["state"] == (
        "completed")
    assert built(on, headers, flow["id"]) == {"ChatInput-aB1cD", HUMAN, "ChatOutput-fA1lB"}


def test_a_streamed_task_ends_its_stream_where_it_waits_for_a_person(on: TestClient) -> None:
    """message/stream sends the submitted task, "working", then "input-required" (final false) and ends, as the
    SDK ends a request's stream once its executor returns; there is no run to resubscribe to. A streamed answer
    sends no task: "working", the artifact, then "completed"."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, hitl_flow())
    with stream(on, flow["id"], "message/stream", message(PROMPT, contextId="ctx-s")) as response:
        submitted, working, waiting = (f["result"] for f in frames(response.iter_lines()))
    task_id = submitted["id"]
    assert (submitted["kind"], working["status"]["state"]) == ("task", "working")
    assert list(waiting) == ["contextId", "final", "kind", "status", "taskId"]
    assert (waiting["kind"], waiting["final"], waiting["status"]["state"]) == ("status-update", False,
                                                                               "input-required")
    agent_said({"id": task_id, "contextId": "ctx-s", "status": waiting["status"]}, PROMPT)
    with stream(on, flow["id"], "tasks/resubscribe", {"id": task_id}) as response:
        assert frames(response.iter_lines())[0]["error"]["message"] == errors.A2A_NO_ACTIVE_STREAM.format(
            task_id=task_id)
    task = {"id": task_id, "contextId": "ctx-s"}
    with stream(on, flow["id"], "message/stream", answer("not now", task)) as response:  # parked again
        assert [(f["result"]["status"]["state"], f["result"]["final"]) for f in frames(response.iter_lines())] == [
            ("working", False), ("input-required", False)]
    with stream(on, flow["id"], "message/stream", answer("Approve", task, 3)) as response:
        sent = [f["result"] for f in frames(response.iter_lines())]
    assert [(f["kind"], f.get("final"), f.get("status", {}).get("state")) for f in sent] == [
        ("status-update", False, "working"), ("artifact-update", None, None), ("status-update", True, "completed")]
    assert {f["contextId"] for f in sent} == {"ctx-s"}
    assert sent[1]["artifact"]["parts"] == [{"kind": "text", "text": PROMPT}]


def test_an_answer_without_the_context_gets_updates_of_a_new_one(on: TestClient) -> None:
    """The SDK makes a contextId for a message naming a task without one, and the executor's updates carry it;
    the task keeps its own."""
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, hitl_flow())
    parked = rpc(on, flow["id"], "message/send", message(PROMPT, contextId="ctx-k")).json()["result"]
    with stream(on, flow["id"], "message/stream", message("approve", taskId=parked["id"])) as response:
        sent = [f["result"] for f in frames(response.iter_lines())]
    [context] = {f["contextId"] for f in sent}
    assert context != "ctx-k"
    done = rpc(on, flow["id"], "tasks/get", {"id": parked["id"]}).json()["result"]
    assert (done["contextId"], done["history"][-1]["contextId"]) == ("ctx-k", context)


def test_a_task_waiting_for_a_person_is_pushed_and_canceled(make_client: Callable[..., TestClient],
                                                            webhook: Webhook) -> None:
    """Its webhook gets the "input-required" update (TASK_STATE_INPUT_REQUIRED with the prompt); tasks/cancel
    cancels it (the SDK's active task sends one "canceled", the prompt moving to the history) and drops its
    checkpoint: an answer then finds it ended."""
    on = make_client(a2a_enabled=True, a2a_allow_private_webhooks=True)
    headers = {"x-api-key": new_api_key(on)}
    flow = agent(on, headers, hitl_flow())
    parked = rpc(on, flow["id"], "message/send", {**message(PROMPT), "configuration": {
        "pushNotificationConfig": {"url": webhook.url}}}).json()["result"]
    waiting = webhook.take(3)[2][1]
    said = parked["status"]["message"]
    assert waiting == {"statusUpdate": {"taskId": parked["id"], "contextId": parked["contextId"], "status": {
        "state": "TASK_STATE_INPUT_REQUIRED", "message": {
            "messageId": said["messageId"], "contextId": parked["contextId"], "taskId": parked["id"],
            "role": "ROLE_AGENT", "parts": [{"text": PROMPT}]}, "timestamp": parked["status"]["timestamp"]}}}
    canceled = rpc(on, flow["id"], "tasks/cancel", {"id": parked["id"]}).json()["result"]
    assert list(canceled) == ["contextId", "history", "id", "kind", "status"]
    assert (canceled["history"], list(canceled["status"]), canceled["status"]["state"]) == (
        [said], ["state", "timestamp"], "canceled")
    assert webhook.take(1)[0][1]["statusUpdate"]["status"]["state"] == "TASK_STATE_CANCELED"
    assert rpc(on, flow["id"], "tasks/get", {"id": parked["id"]}).json()["result"] == canceled
    assert rpc(on, flow["id"], "message/send", answer("approve", parked)).json()["error"]["code"] == -32004
    assert rpc(on, flow["id"], "tasks/cancel", {"id": parked["id"]}).json()["error"]["code"] == -32002


def test_a_task_waiting_for_a_person_survives_a_restart(make_client: Callable[..., TestClient],
                                                        tmp_path: Path) -> None:
    """Its checkpoint is in SQLite (1.13's a2a_checkpoints): after a restart an answer still runs the chosen
    branch; another task canceled after the restart is written canceled as it stands (no active task)."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True)
    headers = {"x-api-key": new_api_key(first)}
    flow = agent(first, headers, hitl_flow())
    one = rpc(first, flow["id"], "message/send", message(PROMPT)).json()["result"]
    two = rpc(first, flow["id"], "message/send", message(PROMPT)).json()["result"]
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True)
    done = rpc(again, flow["id"], "message/send", answer("Reject", one)).json()["result"]
    assert (done["status"]["state"], done["artifacts"][0]["parts"]) == ("completed", [{"kind": "text",
                                                                                        "text": PROMPT}])
    assert REJECTED in built(again, headers, flow["id"])
    canceled = rpc(again, flow["id"], "tasks/cancel", {"id": two["id"]}).json()["result"]
    assert canceled == {**two, "status": {**two["status"], "state": "canceled"}}
    assert rpc(again, flow["id"], "message/send", answer("approve", two)).json()["error"]["code"] == -32004


def test_a_data_dir_kept_from_before_task_checkpoints_takes_them(make_client: Callable[..., TestClient],
                                                                 chat_flow: dict[str, Any], tmp_path: Path) -> None:
    """An older mock's a2a_tasks had no checkpoint column: start-up adds it, the old tasks stay readable, and a
    task can wait for a person."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True)
    headers = {"x-api-key": new_api_key(first)}
    old = agent(first, headers, chat_flow)
    task = rpc(first, old["id"], "message/send", message("hello")).json()["result"]
    first.__exit__(None, None, None)
    as_an_older_mock_left_it(data_dir / "mock-langflow.db", "ALTER TABLE a2a_tasks DROP COLUMN checkpoint")
    again = make_client(ephemeral=False, data_dir=data_dir, a2a_enabled=True)
    assert rpc(again, old["id"], "tasks/get", {"id": task["id"]}).json()["result"] == task
    flow = agent(again, headers, hitl_flow())
    parked = rpc(again, flow["id"], "message/send", message(PROMPT)).json()["result"]
    assert rpc(again, flow["id"], "message/send", answer("approve", parked)).json()["result"]["status"][
        "state"] == "completed"
    assert not list(data_dir.glob("*.bak"))


def test_a_paused_owners_run_fires_no_memory_capture(on: TestClient, chat_flow: dict[str, Any]) -> None:
    """1.13's sync executor fires the owner's memory-base capture once a run is done (an A2A run of a flow in a
    key project is the owner's): a run that pauses is not done, and its resume runs the graph itself, without
    one. (Each capture task keeps a job queue a while: GET /monitor/job_queue counts them.)"""
    headers = {"x-api-key": new_api_key(on)}

    def owners(body: dict[str, Any]) -> dict[str, Any]:
        flow = agent(on, headers, body)
        on.patch(f"/api/v1/mcp/project/{flow['folder_id']}", headers=headers,
                 json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
        return flow

    def queues() -> int:
        return int(on.get("/api/v1/monitor/job_queue", headers=headers).json()["active_jobs"])

    flow = owners(hitl_flow())
    parked = rpc(on, flow["id"], "message/send", message(PROMPT), **headers).json()["result"]
    assert rpc(on, flow["id"], "message/send", answer("approve", parked), **headers).json()["result"]["status"][
        "state"] == "completed"
    assert queues() == 0
    plain = owners(chat_flow)
    assert rpc(on, plain["id"], "message/send", message("hello"), **headers).json()["result"]["status"][
        "state"] == "completed"
    assert queues() == 1


def test_an_agents_tool_needing_approval_waits_for_a_person_too(make_client: Callable[..., TestClient],
                                                                 tmp_path: Path) -> None:
    """An Agent whose model calls a tool that needs approval pauses the run the same way (its request's prompt the
    call's description); "approve" lets the call go on and the task completes with the Agent's answer."""
    script = tmp_path / "agent.yaml"
    script.write_text(f"rules:\n  - match: {{input_contains: weather}}\n    reply: \"{approval.ANSWER}\"\n"
                      f"    tool_calls: [{approval.CALL}]\n", encoding="utf-8")
    on = make_client(scripts=[script], a2a_enabled=True)
    headers = {"x-api-key": new_api_key(on)}
    rows = [{"name": "evaluate_expression", "description": "", "tags": ["evaluate_expression"], "status": True,
             "approval_actions": ["approve", "reject"]}]
    flow_id = approval.with_tools(on, headers, copy_of_example(on, headers, "Simple Agent")["id"],
                                  "CalculatorComponent", "Calculator", rows)
    flow = on.patch(f"/api/v1/flows/{flow_id}", headers=headers, json={"flow_type": "agent", "a2a_enabled": True})
    on.patch(f"/api/v1/mcp/project/{flow.json()['folder_id']}", headers=headers,
             json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    parked = rpc(on, flow_id, "message/send", message("weather?"), **headers).json()["result"]
    assert parked["status"]["state"] == "input-required"
    agent_said(parked, approval.PROMPT)
    done = rpc(on, flow_id, "message/send", answer("Approve", parked), **headers).json()["result"]
    assert (done["status"]["state"], done["artifacts"][0]["parts"]) == (
        "completed", [{"kind": "text", "text": approval.ANSWER}])


def test_a_waiting_tasks_checkpoint_is_taken_once(on: TestClient) -> None:
    """Two answers at once: only the one that takes the checkpoint runs the chosen branch (1.13's conditional
    DELETE); a task that never waited has none to take."""
    store = on.app.state.mock.store.a2a
    store.save("flow:user", {"id": "t-1", "kind": "task"}, create=True)
    store.save("flow:user", {"id": "t-2", "kind": "task"}, create=True)
    store.park("flow:user", "t-1", {"request_id": "r"})
    assert [store.claim_checkpoint("flow:user", "t-1") for _ in range(2)] == [True, False]
    assert store.checkpoint("flow:user", "t-1") is None
    assert store.claim_checkpoint("flow:user", "t-2") is False
