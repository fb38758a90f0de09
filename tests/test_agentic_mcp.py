"""Langflow 1.13's agentic MCP server (/api/v1/agentic/mcp) through its streamable HTTP transport: the handshake,
the tool list and its gate, the caller's credentials carried into every tool's REST calls, and each flow and run
tool answering as lfx 1.13's own tool answered on the same REST answers (tests/data/agentic_mcp/lfx_calls.json:
lfx's tools run against this mock, ids and times blanked)."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from mcp import ClientSession

from tests.api.test_mcp import ACCEPT, INIT, rpc, sse_message
from tests.api.test_mcp_clients import streamable
from tests.api.test_run import streaming_flow
from tests.conftest import (
    DATA,
    LiveServer,
    auto_login_token,
    copy_of_example,
    create_flow,
    load_json,
    new_api_key,
    other_user_key,
)

PATH = "/api/v1/agentic/mcp"
CALLS = load_json("agentic_mcp/lfx_calls.json")["calls"]
TOOLS = json.loads((DATA.parent.parent / "mock_langflow" / "data" / "agentic_mcp_tools_1.13.json").read_text())
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}| UTC)?")


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(client)}


def messages(client: TestClient, headers: dict[str, str], tool: str, **arguments: Any) -> list[dict[str, Any]]:
    """Every message of a tools/call's answer stream: its notifications, then its result."""
    response = client.post(PATH, headers={**headers, **ACCEPT, "mcp-protocol-version": "2025-03-26"}, json={
        "jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": tool, "arguments": arguments,
                                                                      "_meta": {"progressToken": 9}}})
    assert response.status_code == 200, response.text
    frames = response.text.split("\r\n\r\n")
    assert frames[-1] == "" and all(f.startswith("event: message\r\ndata: ") for f in frames[:-1]), response.text
    return [json.loads(f[len("event: message\r\ndata: "):]) for f in frames[:-1]]


def call(client: TestClient, headers: dict[str, str], tool: str, **arguments: Any) -> dict[str, Any]:
    result: dict[str, Any] = messages(client, headers, tool, **arguments)[-1]["result"]
    return result


def flows_as_recorded(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    """The flows the recording made first, by the names its scenarios give them."""
    made = {}
    for label, name in (("{chat}", "flow_chat_io.json"), ("{boom}", "flow_boom.json")):
        body = copy.deepcopy(load_json(name))
        body.pop("endpoint_name", None)
        made[label] = create_flow(client, headers, body)["id"]
    example = copy_of_example(client, headers, "Basic Prompting")
    made["{prompting}"] = client.patch(f"/api/v1/flows/{example['id']}", json={"name": "Prompting"},
                                       headers=headers).json()["id"]
    made["{empty}"] = create_flow(client, headers, {"name": "Empty one", "data": {"nodes": [], "edges": []}})["id"]
    return made


def filled(value: Any, flows: dict[str, str]) -> Any:
    text = json.dumps(value)
    for label, flow_id in flows.items():
        text = text.replace(label, flow_id)
    return json.loads(text)


def blanked(value: Any, flows: dict[str, str]) -> Any:
    text = json.dumps(value)
    for label, flow_id in flows.items():
        text = text.replace(flow_id, label)
    return json.loads(TIME.sub("<time>", UUID.sub("<id>", text)))


# --- the transport -------------------------------------------------------------------------------------------


def test_head_is_an_unauthenticated_health_check(client: TestClient) -> None:
    response = client.head(PATH)
    assert (response.status_code, response.content) == (200, b"")


def test_initialize_names_the_langflow_mcp_server(client: TestClient, headers: dict[str, str]) -> None:
    for path in (PATH, f"{PATH}/"):
        response = client.post(path, json=INIT, headers={**headers, **ACCEPT})
        assert sse_message(response)["result"] == {
            "protocolVersion": "2025-03-26",
            "capabilities": {"experimental": {}, "prompts": {"listChanged": False},
                             "resources": {"subscribe": False, "listChanged": False},
                             "tools": {"listChanged": False}},
            "serverInfo": {"name": "langflow-mcp", "version": "1.30.0"}}
        assert "mcp-session-id" not in response.headers  # stateless, as Langflow's transports are


def test_no_credentials_are_refused_as_on_the_other_mcp_transports(client: TestClient) -> None:
    refused = client.post(PATH, json=INIT, headers=ACCEPT)
    global_transport = client.post("/api/v1/mcp/streamable", json=INIT, headers=ACCEPT)
    assert refused.status_code in (401, 403)
    assert (refused.status_code, refused.json()) == (global_transport.status_code, global_transport.json())


def test_tools_list_is_lfxs_less_login(client: TestClient, headers: dict[str, str]) -> None:
    tools = rpc(client, PATH, headers, "tools/list")["result"]["tools"]
    assert tools == [tool for tool in TOOLS["tools"] if tool["name"] != "login"]
    assert len(tools) == 32


def test_run_assistant_is_hidden_and_refused_while_the_agentic_experience_is_off(
        make_client: Callable[..., TestClient]) -> None:
    off = make_client(agentic_experience="false")
    headers = {"x-api-key": new_api_key(off)}
    names = [tool["name"] for tool in rpc(off, PATH, headers, "tools/list")["result"]["tools"]]
    assert "run_assistant" not in names and "login" not in names and len(names) == 31
    assert call(off, headers, "run_assistant", instruction="x") == {"content": [{"type": "text", "text": (
        "Tool 'run_assistant' requires the Langflow Assistant, which is disabled on this server "
        "(LANGFLOW_AGENTIC_EXPERIENCE is not enabled). The other tools remain available.")}], "isError": True}
    assert call(off, headers, "list_starter_projects")["isError"] is False  # the other tools stay


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_earlier_releases_have_no_agentic_mcp_route(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    for method in ("HEAD", "GET", "POST", "DELETE"):
        ours = client.request(method, PATH, headers={**headers, **ACCEPT}, json=INIT)
        unknown = client.request(method, "/api/v1/agentic/nothing-here", headers={**headers, **ACCEPT}, json=INIT)
        assert (ours.status_code, ours.content) == (unknown.status_code, unknown.content)


# --- the tools, as lfx's -------------------------------------------------------------------------------------


def test_each_tool_answers_as_lfxs_own_on_the_same_rest_answers(client: TestClient, headers: dict[str, str]) -> None:
    flows = flows_as_recorded(client, headers)
    for step in CALLS:
        if step["label"] == "setup":
            path = "/api/v1/variables/" if step["tool"] == "credential" else "/_mock/scripts"
            assert client.post(path, content=json.dumps(step["arguments"]),
                               headers={**headers, "content-type": "application/json"}).status_code == 201
            continue
        result = call(client, headers, step["tool"], **filled(step["arguments"], flows))
        assert blanked(result, flows) == step["result"], step["label"]


def test_the_assistant_s_progress_reaches_the_caller_as_progress_and_log_notifications(
        client: TestClient, headers: dict[str, str]) -> None:
    flow = create_flow(client, headers, {"name": "Canvas", "data": {"nodes": [], "edges": []}})
    assert client.post("/api/v1/variables/", headers=headers, json={
        "name": "OPENAI_API_KEY", "value": "sk-test", "type": "Credential", "default_fields": []}).status_code == 201
    *notes, last = messages(client, headers, "run_assistant", instruction="How?", flow_id=flow["id"])
    assert notes == [
        {"method": "notifications/progress", "params": {"progressToken": 9, "progress": 1.0,
                                                        "message": "Generating response..."}, "jsonrpc": "2.0"},
        {"method": "notifications/message", "params": {"level": "info", "data": "Generating response..."},
         "jsonrpc": "2.0"},
        {"method": "notifications/progress", "params": {"progressToken": 9, "progress": 2.0,
                                                        "message": "Response ready"}, "jsonrpc": "2.0"},
        {"method": "notifications/message", "params": {"level": "info", "data": "Response ready"}, "jsonrpc": "2.0"}]
    assert last["result"]["structuredContent"]["flow_id"] == flow["id"]


def test_run_flow_passes_each_streamed_token_on_as_progress(client: TestClient, headers: dict[str, str]) -> None:
    rules = {"rules": [{"reply": "one two three", "stream": {"chunking": "words"}}]}
    assert client.post("/_mock/scripts", content=json.dumps(rules), headers=headers).status_code == 201
    flow = streaming_flow(client, headers)
    *notes, last = messages(client, headers, "run_flow", flow_id=flow["id"], input_value="go")
    assert notes == [{"method": "notifications/progress", "params": {"progressToken": 9, "progress": n,
                                                                     "message": chunk}, "jsonrpc": "2.0"}
                     for n, chunk in ((1, "one "), (2, "two "), (3, "three"))]
    result = last["result"]["structuredContent"]  # the `end` event's result
    assert result["outputs"][0]["outputs"][0]["results"]["message"]["text"] == "one two three"


def test_tools_run_against_a_kept_database_without_waiting_on_the_mcp_request(
        make_client: Callable[..., TestClient]) -> None:
    """On a database file (SQLite, one writer), nothing of the MCP request holds it while its tools' REST calls
    write: a tool that writes, then reads back, answers at once."""
    kept = make_client(ephemeral=False)
    headers = {"x-api-key": new_api_key(kept)}
    result = call(kept, headers, "batch", actions=[{"tool": "create_flow", "args": {"name": "Kept"}},
                                                   {"tool": "rename_flow", "args": {"flow_id": "$0.id", "name": "K"}},
                                                   {"tool": "notify_done", "args": {"flow_id": "$0.id"}}])
    assert [r.get("name", r.get("status")) for r in result["structuredContent"]["result"]] == ["Kept", "K", "ok"]


def test_tools_act_with_the_callers_credentials(client: TestClient, headers: dict[str, str]) -> None:
    """Every tool call is a REST call as the MCP caller: another user's flow is theirs to see, not the caller's."""
    mine = create_flow(client, headers, {"name": "Mine", "data": {"nodes": [], "edges": []}})
    bob = {"x-api-key": other_user_key(client, headers)}
    refused = call(client, bob, "get_flow_info", flow_id=mine["id"])
    assert refused == {"content": [{"type": "text", "text": (
        f"Error executing tool get_flow_info: GET /flows/{mine['id']} failed (404)")}], "isError": True}
    assert call(client, bob, "list_flows", query="Mine")["structuredContent"] == {"result": []}
    created = call(client, bob, "create_flow", name="Bob's")["structuredContent"]
    assert client.get(f"/api/v1/flows/{created['id']}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/flows/{created['id']}", headers=bob).json()["name"] == "Bob's"


def test_an_access_token_is_carried_as_the_callers_bearer(client: TestClient, headers: dict[str, str]) -> None:
    bearer = {"Authorization": f"Bearer {auto_login_token(client)}"}
    created = call(client, bearer, "create_flow", name="By token")["structuredContent"]
    assert client.get(f"/api/v1/flows/{created['id']}", headers=headers).json()["name"] == "By token"


def test_a_key_in_the_query_is_carried_as_the_callers_key(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(f"{PATH}?x-api-key={headers['x-api-key']}", headers=ACCEPT, json={
        "jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "create_flow",
                                                                      "arguments": {"name": "By query key"}}})
    created = sse_message(response)["result"]["structuredContent"]
    assert client.get(f"/api/v1/flows/{created['id']}", headers=headers).json()["name"] == "By query key"


def test_arguments_sent_as_json_text_are_parsed_as_fastmcp_does(client: TestClient, headers: dict[str, str]) -> None:
    actions = json.dumps([{"tool": "create_flow", "args": {"name": "From text"}}])
    result = call(client, headers, "batch", actions=actions)
    assert result["structuredContent"]["result"][0]["name"] == "From text"
    wrong = call(client, headers, "batch", actions="not json")
    assert wrong["isError"] is True
    assert wrong["content"][0]["text"].startswith(
        "Error executing tool batch: 1 validation error for batchArguments\nactions\n  Input should be a valid list")


def test_tools_change_stored_flows_only_through_the_rest_api(client: TestClient, headers: dict[str, str]) -> None:
    flow = create_flow(client, headers, {"name": "Before", "data": {"nodes": [], "edges": []}})
    assert call(client, headers, "rename_flow", flow_id=flow["id"], name="After")["structuredContent"] == {
        "id": flow["id"], "name": "After", "description": None}  # the stored null, as lfx passes it on
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=headers).json()["name"] == "After"
    assert call(client, headers, "delete_flow", flow_id=flow["id"])["structuredContent"] == {"deleted": flow["id"]}
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=headers).status_code == 404


def test_an_sdk_client_drives_the_tools_on_a_real_server(live_server: LiveServer) -> None:
    """Under uvicorn, with the mcp SDK's own client: the tools' REST calls reach the same server in-process."""

    async def session_calls() -> tuple[list[str], Any, Any]:
        async with streamable(f"{live_server.url}{PATH}", live_server.api_key) as streams, \
                ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            names = [tool.name for tool in (await session.list_tools()).tools]
            made = await session.call_tool("create_flow", {"name": "Over uvicorn"})
            missing = await session.call_tool("get_flow_info", {"flow_id": "00000000-0000-4000-8000-000000000000"})
        return names, made, missing

    names, made, missing = asyncio.run(session_calls())
    assert len(names) == 32 and "login" not in names
    assert made.isError is False and made.structuredContent["name"] == "Over uvicorn"
    with live_server.client() as http:
        assert http.get(f"/api/v1/flows/{made.structuredContent['id']}").json()["name"] == "Over uvicorn"
    assert (missing.isError, missing.content[0].text) == (
        True, "Error executing tool get_flow_info: GET /flows/00000000-0000-4000-8000-000000000000 failed (404)")
