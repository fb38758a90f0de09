"""/api/v1/a2a: 1.13's A2A protocol for agent flows (Langflow's api/v1/a2a.py, a2a_utils.py, a2a_executor.py),
behind LANGFLOW_A2A_ENABLED."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_DNS, uuid5

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from mock_langflow.routers.a2a import data_part
from tests.conftest import create_flow, load_json, new_api_key, other_user_key, sink, two_outputs

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
    assert task["history"][0]["parts"] == [{"kind": "text", "text": "hello agent"}]
    assert task["history"] == [{"contextId": task["contextId"], "kind": "message", "messageId": "m-1",
                                "parts": [{"kind": "text", "text": "hello agent"}], "role": "user",
                                "taskId": task["id"]}]
    assert list(task) == ["artifacts", "contextId", "history", "id", "kind", "status"]
    assert task["status"]["timestamp"].endswith("Z")
    got = rpc(on, flow["id"], "tasks/get", {"id": task["id"]}).json()
    assert got == {"id": 7, "jsonrpc": "2.0", "result": task}
    # a message on an ended task is refused; every task the flow answers has ended
    again = rpc(on, flow["id"], "message/send", message("more", taskId=task["id"])).json()
    assert again["error"]["code"] == -32602


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
