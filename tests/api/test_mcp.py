"""MCP as Langflow 1.13 serves it (fact 42): the streamable HTTP transport answered byte for byte as
recorded, flows as tools, project settings, editor installs and the v2 server list."""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_auth import deactivated_user
from tests.api.test_build import CONTRACT_SCRIPT
from tests.api.test_build_public import prompt_with, slow_echo_flow
from tests.api.test_run import with_human_input
from tests.conftest import DATA, KEY, create_flow, new_api_key, other_user_key

ACCEPT = {"Accept": "application/json, text/event-stream"}
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-03-26", "capabilities": {},
                   "clientInfo": {"name": "contract-capture", "version": "0.0.1"}}}
SCRIPT = """
rules:
  - name: capital
    match:
      input_contains: "capital of France"
    reply: "Paris, says the script."
"""


def recorded(name: str) -> dict[str, Any]:
    exchange: dict[str, Any] = json.loads((DATA / "mcp" / f"{name}.json").read_text(encoding="utf-8"))
    return exchange


def sse_message(response: Any) -> dict[str, Any]:
    """The one `message` event a streamable HTTP POST is answered with, CRLF-framed."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/event-stream"
    text: str = response.text
    assert text.startswith("event: message\r\ndata: ") and text.endswith("\r\n\r\n"), repr(text)
    body: dict[str, Any] = json.loads(text[len("event: message\r\ndata: "):-4])
    return body


def rpc(client: TestClient, path: str, headers: dict[str, str], method: str, params: dict[str, Any] | None = None,
        rpc_id: int = 2) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": rpc_id, "method": method}
    if params is not None:
        message["params"] = params
    response = client.post(path, json=message, headers={**headers, **ACCEPT, "mcp-protocol-version": "2025-03-26"})
    return sse_message(response)


def call(client: TestClient, path: str, headers: dict[str, str], name: str, **arguments: Any) -> dict[str, Any]:
    result: dict[str, Any] = rpc(client, path, headers, "tools/call", {"name": name, "arguments": arguments},
                                 rpc_id=3)["result"]
    return result


def project_id(client: TestClient, headers: dict[str, str]) -> str:
    return str(client.get("/api/v1/projects/", headers=headers).json()[0]["id"])


def mcp_flow(client: TestClient, headers: dict[str, str], body: dict[str, Any], action: str,
             description: str = "echo chat") -> dict[str, Any]:
    """A flow of the default project, MCP-enabled under an action name, as the recording's scenario does."""
    flow = create_flow(client, headers, body)
    response = client.patch(f"/api/v1/flows/{flow['id']}", headers=headers,
                            json={"mcp_enabled": True, "action_name": action, "action_description": description})
    assert response.status_code == 200, response.text
    return flow


# --- the transport, as recorded -------------------------------------------------------------------------


def test_streamable_initialize_is_the_recorded_answer_byte_for_byte(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/mcp/streamable", json=INIT, headers={**key_headers, **ACCEPT})
    assert response.status_code == 200
    assert "mcp-session-id" not in response.headers  # stateless
    assert response.text == recorded("mcp_streamable_initialize")["response"]["stream"]["raw_text"]


def test_project_streamable_initialize_names_the_project_server(client: TestClient,
                                                                 key_headers: dict[str, str]) -> None:
    pid = project_id(client, key_headers)
    response = client.post(f"/api/v1/mcp/project/{pid}/streamable", json=INIT, headers={**key_headers, **ACCEPT})
    real = recorded("mcp_project_streamable_initialize")
    real_pid = real["request"]["path"].split("/")[5]
    assert response.text == real["response"]["stream"]["raw_text"].replace(real_pid, pid)


def test_streamable_post_without_event_stream_in_accept_is_the_recorded_406(client: TestClient,
                                                                             key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/mcp/streamable", json=INIT, headers=key_headers)
    assert response.status_code == 406
    assert response.json() == recorded("mcp_streamable_initialize_no_accept")["response"]["body"]


def test_streamable_notification_is_202_with_an_empty_body(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/mcp/streamable", json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                           headers={**key_headers, **ACCEPT, "mcp-protocol-version": "2025-03-26"})
    assert response.status_code == 202
    assert response.headers["content-type"] == "application/json"
    assert response.content == b""


def test_the_streamable_managers_live_as_long_as_the_apps_lifespan(tmp_path: Path) -> None:
    """A manager starts on the first streamable request and stops when the app shuts down; outside the
    lifespan the transport is the 503 Langflow answers before its manager is up; a new lifespan serves again."""
    from mock_langflow import Settings, create_app

    app = create_app(Settings(ephemeral=True, data_dir=tmp_path / "data"))
    outside = TestClient(app)  # not entered: no lifespan
    for _ in range(2):
        with TestClient(app) as client:
            headers = {"x-api-key": new_api_key(client)}
            assert rpc(client, "/api/v1/mcp/streamable", headers, "ping")["result"] == {}
            pid = project_id(client, headers)
            assert rpc(client, f"/api/v1/mcp/project/{pid}/streamable", headers, "ping")["result"] == {}
        response = outside.post("/api/v1/mcp/streamable", json=INIT, headers={**headers, **ACCEPT})
        assert (response.status_code, response.json()) == (503, {"detail": errors.MCP_NOT_RUNNING})


def test_first_streamable_requests_at_once_share_one_manager_in_every_lifespan(tmp_path: Path) -> None:
    """Four clients' first requests arrive together and all wait for the one manager that starts; a server
    started again (a new lifespan on another event loop) does the same."""
    from mock_langflow import Settings, create_app

    key = "sk-" + "k" * 43
    app = create_app(Settings(ephemeral=True, data_dir=tmp_path / "data", api_key=key))
    headers = {"x-api-key": key, **ACCEPT, "mcp-protocol-version": "2025-03-26"}

    async def one_lifespan() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                return await asyncio.gather(*(
                    client.post("/api/v1/mcp/streamable", json={"jsonrpc": "2.0", "id": n, "method": "ping"},
                                headers=headers) for n in range(4)))

    for _ in range(2):
        answers = asyncio.run(one_lifespan())
        assert [sse_message(answer) for answer in answers] == [
            {"jsonrpc": "2.0", "id": n, "result": {}} for n in range(4)]


def test_ping_prompts_and_resources_answer_empty(client: TestClient, key_headers: dict[str, str]) -> None:
    path = "/api/v1/mcp/streamable"
    assert rpc(client, path, key_headers, "ping") == {"jsonrpc": "2.0", "id": 2, "result": {}}
    assert rpc(client, path, key_headers, "prompts/list")["result"] == {"prompts": []}
    assert rpc(client, path, key_headers, "resources/list")["result"] == {"resources": []}


def test_resources_are_the_files_of_the_callers_flows_and_the_callers_own(client: TestClient,
                                                                         key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "With File", "data": {"nodes": [], "edges": []}})
    stored = client.post(f"/api/v1/files/upload/{flow['id']}", files={"file": ("a b.txt", b"hello")},
                         headers=key_headers).json()["file_path"].split("/")[1]
    mine = client.post("/api/v2/files", files={"file": ("notes.txt", b"mine")}, headers=key_headers).json()
    user_id = mine["path"].split("/")[0]
    flow_uri = f"http://127.0.0.1:7860/api/v1/files/download/{flow['id']}/{stored.replace(' ', '%20')}"
    user_uri = f"http://127.0.0.1:7860/api/v1/files/download/{user_id}/notes.txt"
    listed = rpc(client, "/api/v1/mcp/streamable", key_headers, "resources/list")["result"]["resources"]
    assert listed == [
        {"name": stored, "uri": flow_uri, "description": "File in flow: With File",
         "mimeType": "application/octet-stream"},
        {"name": "notes.txt", "uri": user_uri, "description": "User file uploaded via File Manager",
         "mimeType": "application/octet-stream"}]
    read = rpc(client, "/api/v1/mcp/streamable", key_headers, "resources/read", {"uri": flow_uri})["result"]
    # Langflow hands the SDK the content base64-encoded, and the SDK encodes that once more
    assert read == {"contents": [{"uri": flow_uri, "mimeType": "application/octet-stream",
                                  "blob": base64.b64encode(base64.b64encode(b"hello")).decode()}]}
    project = f"/api/v1/mcp/project/{project_id(client, key_headers)}/streamable"
    assert [r["name"] for r in rpc(client, project, key_headers, "resources/list")["result"]["resources"]] == [stored]
    denied = rpc(client, project, key_headers, "resources/read", {"uri": user_uri})["error"]
    assert denied == {"code": 0, "message": "Resource not found or access denied"}


def test_before_1_13_a_projects_resources_include_the_callers_files(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    client.post("/api/v2/files", files={"file": ("notes.txt", b"mine")}, headers=headers)
    project = f"/api/v1/mcp/project/{project_id(client, headers)}/streamable"
    listed = rpc(client, project, headers, "resources/list")["result"]["resources"]
    assert [r["name"] for r in listed] == ["notes.txt"]
    blob = rpc(client, project, headers, "resources/read", {"uri": listed[0]["uri"]})["result"]["contents"][0]["blob"]
    assert base64.b64decode(base64.b64decode(blob)) == b"mine"


@pytest.mark.parametrize("path", ["/api/v1/mcp/streamable", "/api/v1/mcp/streamable/", "/api/mcp/streamable"])
def test_streamable_wants_an_api_key(client: TestClient, path: str) -> None:
    none = client.post(path, json=INIT, headers=ACCEPT)
    assert (none.status_code, none.json()) == (403, {"detail": errors.AUTO_LOGIN_NEEDS_KEY})
    bad = client.post(path, json=INIT, headers={**ACCEPT, "x-api-key": "sk-wrong"})
    assert (bad.status_code, bad.json()) == (403, {"detail": errors.INVALID_OR_MISSING_API_KEY})


def test_sse_without_a_key_is_refused_as_recorded(make_client: Callable[..., TestClient]) -> None:
    auto = make_client().get("/api/v1/mcp/sse")
    assert (auto.status_code, auto.json()) == (403, {"detail": errors.AUTO_LOGIN_NEEDS_KEY})
    noauto = make_client(auto_login=False, superuser="admin", superuser_password="pw").get("/api/v1/mcp/sse")
    assert (noauto.status_code, noauto.json()) == (403, {"detail": errors.API_KEY_MUST_BE_PASSED})


def test_with_sse_disabled_its_routes_are_404_before_auth(make_client: Callable[..., TestClient]) -> None:
    client = make_client(mcp_sse_enabled=False)
    headers = {"x-api-key": new_api_key(client)}
    pid = project_id(client, headers)
    for method, path in (("GET", "/api/v1/mcp/sse"), ("HEAD", "/api/v1/mcp/sse"), ("POST", "/api/v1/mcp/"),
                         ("GET", f"/api/v1/mcp/project/{pid}/sse"), ("POST", f"/api/v1/mcp/project/{pid}/")):
        for given in ({}, headers):
            response = client.request(method, path, headers=given)
            assert response.status_code == 404, (method, path)
            if method != "HEAD":
                assert response.json() == {"detail": errors.MCP_SSE_DISABLED}
    assert sse_message(client.post("/api/v1/mcp/streamable", json=INIT, headers={**headers, **ACCEPT}))["result"]
    old = make_client(langflow_version="1.8", mcp_sse_enabled=False)  # no such setting before 1.13
    assert old.head("/api/v1/mcp/sse").status_code == 200


def test_with_the_mcp_server_disabled_only_its_unversioned_copy_is_gone(
        make_client: Callable[..., TestClient]) -> None:
    """LANGFLOW_MCP_SERVER_ENABLED=false: Langflow then skips only its second mount of the global MCP server
    (/api/mcp/...); the /api/v1/mcp routes, project servers included, still answer."""
    for version in ("1.13.0", "1.8", "1.7.1"):
        client = make_client(langflow_version=version, mcp_server_enabled=False, backend_only=True)
        headers = {"x-api-key": new_api_key(client)}
        for path in ("/api/mcp/sse", "/api/mcp/streamable"):
            assert client.head(path).status_code == 404, (version, path)
        assert client.head("/api/v1/mcp/sse").status_code == 200
        assert client.head(f"/api/v1/mcp/project/{project_id(client, headers)}/sse").status_code == 200
        assert make_client(langflow_version=version, backend_only=True).head("/api/mcp/sse").status_code == 200


def test_health_routes_answer_head_without_auth(client: TestClient, key_headers: dict[str, str]) -> None:
    pid = project_id(client, key_headers)
    for path in ("/api/v1/mcp/sse", "/api/v1/mcp/streamable", "/api/mcp/sse", f"/api/v1/mcp/project/{pid}/sse",
                 f"/api/v1/mcp/project/{pid}/streamable"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""


def test_project_transports_look_the_project_up_before_auth(client: TestClient, key_headers: dict[str, str]) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    for headers in ({}, key_headers):
        response = client.post(f"/api/v1/mcp/project/{unknown}/streamable", json=INIT, headers={**headers, **ACCEPT})
        assert (response.status_code, response.json()) == (404, {"detail": errors.PROJECT_NOT_FOUND})
    pid = project_id(client, key_headers)
    response = client.post(f"/api/v1/mcp/project/{pid}/streamable", json=INIT, headers=ACCEPT)
    assert (response.status_code, response.json()) == (403, {"detail": errors.AUTO_LOGIN_NEEDS_KEY})


def set_project_auth(client: TestClient, headers: dict[str, str], pid: str, auth: dict[str, Any]) -> None:
    response = client.patch(f"/api/v1/mcp/project/{pid}", headers=headers, json={"settings": [], "auth_settings": auth})
    assert response.status_code == 200, response.text


def test_project_transports_check_keys_with_401s(client: TestClient, key_headers: dict[str, str]) -> None:
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    bad = client.post(path, json=INIT, headers={**ACCEPT, "x-api-key": "sk-wrong"})
    assert (bad.status_code, bad.json()) == (401, {"detail": "Invalid API key"})
    set_project_auth(client, key_headers, pid, {"auth_type": "apikey"})
    for transport in ("/streamable", "/sse"):
        none = client.request("POST" if transport == "/streamable" else "GET", f"/api/v1/mcp/project/{pid}{transport}",
                              json=INIT, headers=ACCEPT)
        assert (none.status_code, none.json()) == (401, {
            "detail": "API key required for this project. Provide x-api-key header or query parameter."})
    set_project_auth(client, key_headers, pid, {"auth_type": "oauth"})
    oauth = client.post(path, json=INIT, headers=ACCEPT)
    assert oauth.status_code == 401
    assert oauth.json()["detail"].startswith("This project is configured for OAuth authentication, but the MCP")
    assert sse_message(client.post(path, json=INIT, headers={**key_headers, **ACCEPT}))["result"]["serverInfo"]


@pytest.mark.parametrize(("version", "by_key", "by_token"), [
    ("1.13.0", (403, errors.INVALID_OR_MISSING_API_KEY), (401, errors.ACCOUNT_INACTIVE)),
    ("1.8.4", (401, errors.INACTIVE_USER), (401, errors.ACCOUNT_INACTIVE)),
    ("1.7.1", (401, errors.INACTIVE_USER), (401, errors.JWT_USER_GONE))])
def test_a_deactivated_user_on_the_mcp_routes(make_client: Callable[..., TestClient], version: str,
                                              by_key: tuple[int, str], by_token: tuple[int, str]) -> None:
    """The MCP transport and a project's MCP settings: 1.13's key check never finds a deactivated user's key
    (the /run-style 403); before, it finds the user and the MCP active-user check answers 401 'Inactive user'.
    A token of that user is refused as on the user routes."""
    client = make_client(langflow_version=version, api_key=KEY)
    key, bearer, pid = deactivated_user(client)
    for headers, (status, detail) in ((key, by_key), (bearer, by_token)):
        for answer in (client.post("/api/v1/mcp/streamable", json=INIT, headers={**headers, **ACCEPT}),
                       client.get(f"/api/v1/mcp/project/{pid}", headers=headers)):
            assert (answer.status_code, answer.json()) == (status, {"detail": detail}), (version, headers)


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_deactivated_owners_key_on_a_project_transport(make_client: Callable[..., TestClient],
                                                         version: str) -> None:
    """A project transport that wants a key (auto-login off): 1.13 refuses a deactivated owner's key as an
    invalid one; before, the project's key check looks at no user's is_active and serves its owner."""
    client = make_client(langflow_version=version, api_key=KEY, auto_login=False, superuser="admin",
                         superuser_password="pw")
    key, _, pid = deactivated_user(client)
    answer = client.post(f"/api/v1/mcp/project/{pid}/streamable", json=INIT, headers={**key, **ACCEPT})
    if version == "1.13.0":
        assert (answer.status_code, answer.json()) == (401, {"detail": errors.INVALID_API_KEY})
    else:
        assert sse_message(answer)["result"]["serverInfo"]


def test_a_project_with_auth_none_serves_anyone_as_its_owner(client: TestClient, key_headers: dict[str, str],
                                                            chat_flow: dict[str, Any]) -> None:
    mcp_flow(client, key_headers, chat_flow, "contract_chat_io")
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    set_project_auth(client, key_headers, pid, {"auth_type": "none"})
    for headers in ({}, {"x-api-key": "sk-wrong"}):  # a key is not even read
        tools = rpc(client, path, headers, "tools/list")["result"]["tools"]
        assert [t["name"] for t in tools] == ["contract_chat_io"]
        assert call(client, path, headers, "contract_chat_io", input_value="hi") == {
            "content": [{"type": "text", "text": "hi"}], "isError": False}


def test_a_public_projects_tool_runs_no_flow_a_visitor_may_not(client: TestClient, key_headers: dict[str, str],
                                                                chat_flow: dict[str, Any]) -> None:
    flow = copy.deepcopy(chat_flow)
    node = flow["data"]["nodes"][0]["data"]
    node["node"]["display_name"] = "Python Interpreter"  # a component that runs code
    mcp_flow(client, key_headers, flow, "coder")
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    assert call(client, path, key_headers, "coder", input_value="x")["isError"] is False  # the owner's call
    set_project_auth(client, key_headers, pid, {"auth_type": "none"})
    for headers in ({}, key_headers):  # auth "none" reads no key: every call is a visitor's
        assert call(client, path, headers, "coder", input_value="x") == {"content": [
            {"type": "text", "text": "This flow cannot be executed through a public MCP project."}], "isError": True}


def test_a_public_projects_tool_refuses_a_flow_pausing_for_a_person_first(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """1.13 checks for Human-in-the-Loop before it checks what a visitor may run."""
    flow = with_human_input(copy.deepcopy(chat_flow), connected=True)
    flow["data"]["nodes"][0]["data"]["node"]["display_name"] = "Python Interpreter"
    mcp_flow(client, key_headers, flow, "coder")
    pid = project_id(client, key_headers)
    set_project_auth(client, key_headers, pid, {"auth_type": "none"})
    assert call(client, f"/api/v1/mcp/project/{pid}/streamable", {}, "coder", input_value="x") == {
        "content": [{"type": "text", "text": errors.HITL_UNSUPPORTED}], "isError": True}


def test_a_visitors_session_lives_under_its_mcp_connection(client: TestClient, key_headers: dict[str, str],
                                                          chat_flow: dict[str, Any]) -> None:
    """1.13 puts the session id a visitor of an auth-none project gives under a namespace of its MCP connection
    ("<uuid>:<session id>"); a stateless streamable request is a connection of its own."""
    flow = mcp_flow(client, key_headers, chat_flow, "contract_chat_io")
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    set_project_auth(client, key_headers, pid, {"auth_type": "none"})
    for _ in range(2):
        assert call(client, path, {}, "contract_chat_io", input_value="hi", session_id="visitor")["isError"] is False
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=key_headers).json()
    sessions = [m["session_id"] for m in messages]
    assert len(sessions) == 4 and len(set(sessions)) == 2, sessions
    for session in sessions:
        namespace, _, given = session.partition(":")
        assert given == "visitor" and str(uuid.UUID(namespace)) == namespace
    assert client.get("/api/v1/monitor/messages", params={"session_id": "visitor"}, headers=key_headers).json() == []


def test_before_1_13_a_project_without_auth_settings_serves_the_superuser(make_client: Callable[..., TestClient],
                                                                         chat_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8")
    key_headers = {"x-api-key": new_api_key(client)}
    mcp_flow(client, key_headers, chat_flow, "contract_chat_io")
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    for headers in ({}, {"x-api-key": "sk-wrong"}):
        assert [t["name"] for t in rpc(client, path, headers, "tools/list")["result"]["tools"]] == ["contract_chat_io"]
    set_project_auth(client, key_headers, pid, {"auth_type": "apikey"})
    bad = client.post(path, json=INIT, headers={**ACCEPT, "x-api-key": "sk-wrong"})
    assert (bad.status_code, bad.json()) == (401, {"detail": "Invalid API key"})


@pytest.mark.parametrize(("version", "listed"), [("1.13.0", []), ("1.8", ["contract_chat_io"])])
def test_the_superuser_fallback_serves_the_streamable_route_of_anyones_project(
        make_client: Callable[..., TestClient], version: str, listed: list[str], chat_flow: dict[str, Any]) -> None:
    """Serving the superuser without a key, Langflow's streamable route checks no ownership (1.13 lists the
    superuser's flows there: none; 1.8 all the project's); the SSE route does, 404."""
    client = make_client(langflow_version=version, skip_auth_auto_login=True)
    bob = {"x-api-key": other_user_key(client, {"x-api-key": new_api_key(client)})}
    mcp_flow(client, bob, chat_flow, "contract_chat_io")
    pid = project_id(client, bob)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    assert sse_message(client.post(path, json=INIT, headers=ACCEPT))["result"]["serverInfo"]["name"] == (
        f"langflow-mcp-project-{pid}")
    assert [t["name"] for t in rpc(client, path, {}, "tools/list")["result"]["tools"]] == listed
    sse = client.get(f"/api/v1/mcp/project/{pid}/sse")
    assert (sse.status_code, sse.json()) == (404, {"detail": errors.PROJECT_NOT_FOUND})


@pytest.mark.parametrize(("version", "skip_auth"), [("1.13.0", True), ("1.8", False), ("1.7.1", False)])
def test_the_superuser_fallback_without_its_superuser_is_403_invalid_user(
        make_client: Callable[..., TestClient], version: str, skip_auth: bool) -> None:
    """A project transport that would serve the superuser (1.13: with skip-auth; before: auto-login is enough)
    looks it up by name: deleted since, 403 'Invalid user', on the SSE route as on the streamable one."""
    client = make_client(langflow_version=version, skip_auth_auto_login=skip_auth, api_key=KEY)
    admin = {"x-api-key": KEY}
    root = {"x-api-key": other_user_key(client, admin, "root")}
    users = client.get("/api/v1/users/", headers=admin).json()["users"]
    promoted = client.patch(f"/api/v1/users/{next(u['id'] for u in users if u['username'] == 'root')}",
                            json={"is_superuser": True}, headers=admin)
    assert promoted.status_code == 200, promoted.text
    pid = project_id(client, root)
    langflow = next(u["id"] for u in users if u["username"] == "langflow")
    assert client.delete(f"/api/v1/users/{langflow}", headers=root).status_code in (200, 202)
    for method, path in (("post", f"/api/v1/mcp/project/{pid}/streamable"), ("get", f"/api/v1/mcp/project/{pid}/sse"),
                         ("post", f"/api/v1/mcp/project/{pid}/")):
        answer = client.request(method, path, json=INIT, headers=ACCEPT)
        assert (answer.status_code, answer.json()) == (403, {"detail": errors.SUPERUSER_FALLBACK_GONE}), path


def test_sse_message_wants_credentials_then_a_known_session(make_client: Callable[..., TestClient]) -> None:
    path, ping = "/api/v1/mcp/?session_id=" + "0" * 32, {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    client = make_client()
    anonymous = client.post(path, json=ping)
    assert (anonymous.status_code, anonymous.json()) == (403, {"detail": errors.AUTO_LOGIN_NEEDS_KEY})
    keyed = client.post(path, json=ping, headers={"x-api-key": new_api_key(client)})
    assert (keyed.status_code, keyed.text) == (404, "Could not find session")
    before = make_client(langflow_version="1.8").post(path, json=ping)  # the session id was the credential
    assert (before.status_code, before.text) == (404, "Could not find session")


def test_mcp_routes_other_than_project_transports_take_an_access_token(client: TestClient,
                                                                        jwt_headers: dict[str, str]) -> None:
    pid = project_id(client, jwt_headers)
    for path in (f"/api/v1/mcp/project/{pid}", f"/api/v1/mcp/project/{pid}/installed",
                 f"/api/v1/mcp/project/{pid}/composer-url"):
        assert client.get(path, headers=jwt_headers).status_code == 200, path
        bad = client.get(path, headers={"Authorization": "Bearer not-a-token"})
        assert (bad.status_code, bad.json()) == (401, {"detail": "Invalid token"})
    patched = client.patch(f"/api/v1/mcp/project/{pid}", headers=jwt_headers, json={"settings": []})
    assert patched.status_code == 200
    assert rpc(client, "/api/v1/mcp/streamable", jwt_headers, "tools/list")["result"] == {"tools": []}
    # a project's own transports read keys only
    transport = client.post(f"/api/v1/mcp/project/{pid}/streamable", json=INIT, headers={**jwt_headers, **ACCEPT})
    assert (transport.status_code, transport.json()) == (403, {"detail": errors.AUTO_LOGIN_NEEDS_KEY})


@pytest.mark.parametrize(("version", "status"), [("1.8", 200), ("1.7.1", 403)])
def test_an_access_token_in_the_cookie_counts_from_1_8_on(make_client: Callable[..., TestClient], version: str,
                                                          status: int) -> None:
    """1.7.1 reads an access token from the Authorization header only; 1.8 also from the access_token_lf
    cookie. Without auto-login a cookie-only caller is one without credentials there."""
    client = make_client(langflow_version=version, auto_login=False)
    login = client.post("/api/v1/login", data={"username": "langflow", "password": "langflow"})
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    pid = project_id(client, {"Authorization": f"Bearer {token}"})
    client.cookies.clear()
    client.cookies.set("access_token_lf", token)
    for path in (f"/api/v1/mcp/project/{pid}", "/api/v1/flows/"):
        response = client.get(path)
        assert response.status_code == status, (path, response.text)
        if status == 403:
            assert response.json() == {"detail": errors.API_KEY_MUST_BE_PASSED}


# --- tools ---------------------------------------------------------------------------------------------


def test_project_tools_list_and_call_are_the_recorded_answers(client: TestClient, key_headers: dict[str, str],
                                                               chat_flow: dict[str, Any]) -> None:
    mcp_flow(client, key_headers, chat_flow, "contract_chat_io")
    path = f"/api/v1/mcp/project/{project_id(client, key_headers)}/streamable"
    h = {**key_headers, **ACCEPT, "mcp-protocol-version": "2025-03-26"}
    listed = client.post(path, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers=h)
    assert listed.text == recorded("mcp_project_streamable_tools_list")["response"]["stream"]["raw_text"]
    called = client.post(path, headers=h, json={"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
        "name": "contract_chat_io", "arguments": {"input_value": "via mcp"}}})
    assert called.text == recorded("mcp_project_streamable_tools_call")["response"]["stream"]["raw_text"]


def test_global_server_lists_every_flow_of_the_caller_by_flow_id(client: TestClient, key_headers: dict[str, str],
                                                                  chat_flow: dict[str, Any],
                                                                  webhook_flow: dict[str, Any]) -> None:
    chat = create_flow(client, key_headers, chat_flow)
    hook = create_flow(client, key_headers, webhook_flow)
    tools = rpc(client, "/api/v1/mcp/streamable", key_headers, "tools/list")["result"]["tools"]
    assert [t["name"] for t in tools] == [n for _, n in sorted([(chat["id"], "contract_chat_io"),
                                                                  (hook["id"], "contract_webhook")])]
    by_name = {t["name"]: t for t in tools}
    assert by_name["contract_chat_io"]["description"] == f"{chat['id']}: Chat Input -> Chat Output, no LLM"
    assert by_name["contract_webhook"]["inputSchema"] == {
        "type": "object", "required": [],
        "properties": {"endpoint": {"type": "string", "description": ""},
                       "session_id": {"type": "string", "description": (
                           "Optional session identifier used to persist conversation history across tool calls. "
                           "Omit to start a new session.")}}}


@pytest.mark.parametrize(("version", "listed"), [("1.13.0", ["mine"]), ("1.8", ["bobs", "mine"])])
def test_before_1_13_tools_list_offers_every_users_flows(make_client: Callable[..., TestClient], version: str,
                                                          listed: list[str], chat_flow: dict[str, Any]) -> None:
    """1.8's tools/list selects every flow with an owner (a project's: every flow in it); its tools/call still
    finds only the caller's."""
    client = make_client(langflow_version=version)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    create_flow(client, admin, {**chat_flow, "name": "mine"})
    create_flow(client, bob, {**chat_flow, "name": "bobs"})
    tools = rpc(client, "/api/v1/mcp/streamable", admin, "tools/list")["result"]["tools"]
    assert sorted(t["name"] for t in tools) == listed
    assert call(client, "/api/v1/mcp/streamable", admin, "bobs", input_value="x") == {
        "content": [{"type": "text", "text": "Flow with name 'bobs' not found"}], "isError": True}


def test_tool_call_runs_the_flow_through_the_run_engine(client: TestClient, key_headers: dict[str, str],
                                                         chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    result = call(client, "/api/v1/mcp/streamable", key_headers, "contract_chat_io", input_value="hello there",
                  session_id="mcp-session")
    assert result == {"content": [{"type": "text", "text": "hello there"}], "isError": False}
    messages = client.get("/api/v1/monitor/messages", params={"session_id": "mcp-session"}, headers=key_headers)
    assert [(m["sender"], m["text"], m["flow_id"]) for m in messages.json()] == [
        ("User", "hello there", flow["id"]), ("Machine", "hello there", flow["id"])]


def test_tool_call_answers_with_the_scripted_llm_reply(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    script = tmp_path / "capital.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    client = make_client(scripts=[script])
    headers = {"x-api-key": new_api_key(client)}
    prompting = json.loads((Path(__file__).parents[2] / "fixtures" / "flows" / "basic_prompting.json").read_text())
    mcp_flow(client, headers, prompting, "ask")
    result = call(client, f"/api/v1/mcp/project/{project_id(client, headers)}/streamable", headers, "ask",
                  input_value="What is the capital of France?")
    assert result == {"content": [{"type": "text", "text": "Paris, says the script."}], "isError": False}


def test_tool_call_of_an_unknown_tool_is_an_error_result(client: TestClient, key_headers: dict[str, str]) -> None:
    result = call(client, "/api/v1/mcp/streamable", key_headers, "no_such_flow", input_value="x")
    assert result == {"content": [{"type": "text", "text": "Flow with name 'no_such_flow' not found"}], "isError": True}


def test_tool_call_of_a_flow_without_data_fails_as_an_error_result(client: TestClient,
                                                                    key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "Empty One"})
    result = call(client, "/api/v1/mcp/streamable", key_headers, "empty_one")
    assert result["isError"] is True
    assert result["content"][0]["text"] == f"Error Executing the Empty One tool. Error: Flow {flow['id']} has no data"


def test_tool_call_of_a_flow_that_would_pause_for_a_person_is_an_error_result(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """1.13 refuses to run a Human-in-the-Loop flow as a tool, with the v1 runs' text as the result."""
    create_flow(client, key_headers, with_human_input(chat_flow, connected=True))
    result = call(client, "/api/v1/mcp/streamable", key_headers, "contract_chat_io", input_value="x")
    assert result == {"content": [{"type": "text", "text": errors.HITL_UNSUPPORTED}], "isError": True}


def test_a_project_serves_only_its_mcp_enabled_flows(client: TestClient, key_headers: dict[str, str],
                                                      chat_flow: dict[str, Any]) -> None:
    create_flow(client, key_headers, chat_flow)
    path = f"/api/v1/mcp/project/{project_id(client, key_headers)}/streamable"
    assert rpc(client, path, key_headers, "tools/list")["result"] == {"tools": []}
    assert call(client, path, key_headers, "contract_chat_io", input_value="x")["isError"] is True


def test_tools_with_the_same_action_name_get_numbered(client: TestClient, key_headers: dict[str, str],
                                                      chat_flow: dict[str, Any]) -> None:
    mcp_flow(client, key_headers, chat_flow, "Echo It!")
    mcp_flow(client, key_headers, {**copy.deepcopy(chat_flow), "name": "Other"}, "echo it")
    tools = rpc(client, f"/api/v1/mcp/project/{project_id(client, key_headers)}/streamable", key_headers,
                "tools/list")["result"]["tools"]
    assert [t["name"] for t in tools] == ["echo_it", "echo_it_1"]


def test_a_numbered_tool_can_be_called(client: TestClient, key_headers: dict[str, str],
                                       chat_flow: dict[str, Any], make_client: Callable[..., TestClient]) -> None:
    flows = [mcp_flow(client, key_headers, {**copy.deepcopy(chat_flow), "name": n}, "echo") for n in ("A", "B")]
    path = f"/api/v1/mcp/project/{project_id(client, key_headers)}/streamable"
    assert [t["name"] for t in rpc(client, path, key_headers, "tools/list")["result"]["tools"]] == ["echo", "echo_1"]
    assert call(client, path, key_headers, "echo_1", input_value="x") == {
        "content": [{"type": "text", "text": "x"}], "isError": False}
    # the name belongs to the flow with the greater id: its run is the one that stored messages
    call(client, path, key_headers, "echo_1", input_value="y", session_id="numbered")
    stored = client.get("/api/v1/monitor/messages", params={"session_id": "numbered"}, headers=key_headers).json()
    assert {m["flow_id"] for m in stored} == {max(f["id"] for f in flows)}
    old = make_client(langflow_version="1.8")
    old_headers = {"x-api-key": new_api_key(old)}
    for n in ("A", "B"):
        mcp_flow(old, old_headers, {**copy.deepcopy(chat_flow), "name": n}, "echo")
    old_path = f"/api/v1/mcp/project/{project_id(old, old_headers)}/streamable"
    assert call(old, old_path, old_headers, "echo_1", input_value="x") == {
        "content": [{"type": "text", "text": "Flow with name 'echo_1' not found"}], "isError": True}


def test_a_flow_that_is_no_graph_is_reported_and_keeps_its_name(client: TestClient, key_headers: dict[str, str],
                                                                 chat_flow: dict[str, Any]) -> None:
    broken = mcp_flow(client, key_headers, {"name": "Broken"}, "echo")
    path = f"/api/v1/mcp/project/{project_id(client, key_headers)}/streamable"
    alone = rpc(client, path, key_headers, "tools/list")
    assert alone["error"]["message"] == (
        f"No MCP tools could be built. Excluded flows: echo ({broken['id']}): ValueError")
    good = mcp_flow(client, key_headers, chat_flow, "echo")
    listed = rpc(client, path, key_headers, "tools/list")["result"]
    # a flow left out keeps the name it would have had: the other one is numbered after it, or before it
    expected = "echo_1" if broken["id"] < good["id"] else "echo"
    assert [t["name"] for t in listed["tools"]] == [expected]
    assert listed["_meta"] == {"langflow.org/excluded-flows": [
        {"flow_id": broken["id"], "tool_name": "echo" if expected == "echo_1" else "echo_1", "reason": "ValueError"}]}


@pytest.mark.parametrize(("version", "listed"), [("1.13.0", ["later", "first"]), ("1.8.4", ["first", "later"]),
                                                 ("1.7.1", ["first", "later"])])
def test_tools_list_orders_flows_by_id_in_1_13_and_as_created_before(make_client: Callable[..., TestClient],
                                                                       chat_flow: dict[str, Any], version: str,
                                                                       listed: list[str]) -> None:
    """1.13 sorts the flows by id; earlier releases select them unsorted, as SQLite stores them, so the first flow
    made is listed first and keeps a shared name, the next one getting "_1". The flow made later has the lower
    id: 1.13 keeps the ids sent; earlier releases read none, so the later flow is made again until its id is."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    for _ in range(64):  # before 1.13 the id is new: one in the upper half leaves room for a lower one below
        first = create_flow(client, headers, {**chat_flow, "name": "first",
                                              "id": "f0000000-0000-4000-8000-000000000000"})
        if first["id"] >= "8":
            break
        assert client.delete(f"/api/v1/flows/{first['id']}", headers=headers).status_code == 200
    for _ in range(64):
        later = create_flow(client, headers, {**chat_flow, "name": "later",
                                              "id": "00000000-0000-4000-8000-00000000000f"})
        if later["id"] < first["id"]:
            break
        assert client.delete(f"/api/v1/flows/{later['id']}", headers=headers).status_code == 200
    assert later["id"] < first["id"]
    tools = rpc(client, "/api/v1/mcp/streamable", headers, "tools/list")["result"]["tools"]
    assert [t["name"] for t in tools] == listed
    for flow, name in ((first, "same"), (later, "Same")):  # one tool name for both
        assert client.patch(f"/api/v1/flows/{flow['id']}", json={"name": name}, headers=headers).status_code == 200
    tools = rpc(client, "/api/v1/mcp/streamable", headers, "tools/list")["result"]["tools"]
    order = [later["id"], first["id"]] if version == "1.13.0" else [first["id"], later["id"]]
    assert [(t["name"], t["description"].split(":")[0]) for t in tools] == [("same", order[0]), ("same_1", order[1])]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_before_1_13_a_project_tool_call_looks_in_all_the_callers_flows(make_client: Callable[..., TestClient],
                                                                         chat_flow: dict[str, Any],
                                                                         version: str) -> None:
    """1.8 finds a project's tool among all the caller's flows (enabled for MCP or not, the first made first) and
    only then refuses one of another project; 1.13 calls the project's own MCP tools alone."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    home = project_id(client, headers)
    other = client.post("/api/v1/projects/", json={"name": "Other", "description": ""}, headers=headers).json()
    elsewhere = mcp_flow(client, headers, {**copy.deepcopy(chat_flow), "name": "A"}, "echo")
    assert client.patch(f"/api/v1/flows/{elsewhere['id']}", json={"folder_id": other["id"]},
                        headers=headers).json()["folder_id"] == other["id"]
    mcp_flow(client, headers, {**copy.deepcopy(chat_flow), "name": "B"}, "echo")
    create_flow(client, headers, {**copy.deepcopy(chat_flow), "name": "plain", "endpoint_name": None})
    path = f"/api/v1/mcp/project/{home}/streamable"
    echoed = call(client, path, headers, "echo", input_value="x")
    plain = call(client, path, headers, "plain", input_value="y")
    if version == "1.13.0":
        assert echoed == {"content": [{"type": "text", "text": "x"}], "isError": False}
        assert plain == {"content": [{"type": "text", "text": "Flow with name 'plain' not found"}], "isError": True}
    else:
        assert echoed == {"content": [{"type": "text", "text": f"Flow 'echo' not found in project {home}"}],
                          "isError": True}
        assert plain == {"content": [{"type": "text", "text": "y"}], "isError": False}


def test_a_visitors_tool_call_loads_none_of_the_owners_global_variables(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """1.13 runs a visitor's call of an auth-none project's tool as an anonymous principal, which has no global
    variables: a field that loads one is left empty, as for an unknown variable, where the owner's own call loads
    the owner's value. The messages are still the owner's to read."""
    made = mcp_flow(client, key_headers, bot_named_flow(chat_flow), "contract_chat_io")
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"

    def run_as(headers: dict[str, str], session: str) -> None:
        assert call(client, path, headers, "contract_chat_io", input_value="hi", session_id=session)["isError"] is False

    run_as(key_headers, "unknown")
    variable = {"name": "BOT_NAME", "value": "Robo", "type": "Generic", "default_fields": []}
    assert client.post("/api/v1/variables/", json=variable, headers=key_headers).status_code == 201
    run_as(key_headers, "owner")
    set_project_auth(client, key_headers, pid, {"auth_type": "none"})
    run_as({}, "visitor")
    names = reply_senders(client, key_headers, made["id"])
    assert names["owner"] == "Robo"
    assert names["visitor"] == names["unknown"] != "BOT_NAME"


STRICT_FAILURE = ("Error running graph: Error building Component Language Model: \n\nNo scripted reply matches this "
                  "call (strict mode). Input: 'x'")


def failing_tool(make_client: Callable[..., TestClient], version: str) -> tuple[TestClient, dict[str, str], str]:
    """A server whose Basic Prompting flow, MCP-enabled as "ask", fails in its model (strict scripts): the client,
    the owner's key headers and the project's streamable path."""
    client = make_client(strict_scripts=True, langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    prompting = json.loads((Path(__file__).parents[2] / "fixtures" / "flows" / "basic_prompting.json").read_text())
    mcp_flow(client, headers, prompting, "ask")
    return client, headers, f"/api/v1/mcp/project/{project_id(client, headers)}/streamable"


def test_a_failed_tool_run_is_an_error_result_worded_as_the_runs_500(make_client: Callable[..., TestClient]) -> None:
    """1.13 words a tool call whose run fails as the 500 the run raised, "<status>: <the /run error body>"; a
    visitor of an auth-none project is not told the component's error."""
    client, headers, path = failing_tool(make_client, "1.13.0")
    tail = ',"traceback":null,"description":null,"code":null,"suggestion":null}'
    owner = "Error Executing the Basic Prompting tool. Error: 500: {\"message\":\"Error running graph: Error " \
            "building Component Language Model: \\n\\nNo scripted reply matches this call (strict mode). " \
            "Input: 'x'\"" + tail
    assert call(client, path, headers, "ask", input_value="x") == {
        "content": [{"type": "text", "text": owner}], "isError": True}
    assert call(client, "/api/v1/mcp/streamable", headers, "basic_prompting", input_value="x") == {
        "content": [{"type": "text", "text": owner}], "isError": True}
    set_project_auth(client, headers, project_id(client, headers), {"auth_type": "none"})
    visitor = 'Error Executing the Basic Prompting tool. Error: 500: {"message":"Workflow execution failed."' + tail
    assert call(client, path, {}, "ask", input_value="x") == {
        "content": [{"type": "text", "text": visitor}], "isError": True}


def test_before_1_13_a_failed_tool_run_is_the_calls_content(make_client: Callable[..., TestClient]) -> None:
    """1.8 catches the run's failure and answers it as the tool's text, in a result that is no error."""
    client, headers, _ = failing_tool(make_client, "1.8")
    assert call(client, "/api/v1/mcp/streamable", headers, "basic_prompting", input_value="x") == {
        "content": [{"type": "text", "text": f"Error Executing the Basic Prompting tool. Error: {STRICT_FAILURE}"}],
        "isError": False}
    flow = create_flow(client, headers, {"name": "Empty One"})
    assert call(client, "/api/v1/mcp/streamable", headers, "empty_one") == {"content": [
        {"type": "text", "text": f"Error Executing the Empty One tool. Error: Flow {flow['id']} has no data"}],
        "isError": False}


def bot_named_flow(chat_flow: dict[str, Any]) -> dict[str, Any]:
    """The chat flow, its reply's sender name loaded from the global variable BOT_NAME."""
    flow = copy.deepcopy(chat_flow)
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    return flow


def reply_senders(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, str]:
    """The sender name of each session's reply, by the session id the caller gave."""
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    return {m["session_id"].rpartition(":")[2]: m["sender_name"] for m in messages if m["sender"] == "Machine"}


@pytest.mark.parametrize(("version", "taken"), [("1.13.0", True), ("1.8", True), ("1.7.1", False)])
def test_project_tool_calls_take_global_variable_headers(make_client: Callable[..., TestClient],
                                                         chat_flow: dict[str, Any], version: str, taken: bool) -> None:
    """A project transport's X-LANGFLOW-GLOBAL-VAR-<NAME> headers are its tool runs' request variables, as /run's
    (1.8 on; 1.7.1 reads none, and its run fails on the variable the user lacks, so no reply); the global server
    reads none."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = mcp_flow(client, headers, bot_named_flow(chat_flow), "contract_chat_io")
    pid = project_id(client, headers)
    with_var = {**headers, "X-LANGFLOW-GLOBAL-VAR-BOT_NAME": "Header Bot"}
    for path, session in ((f"/api/v1/mcp/project/{pid}/streamable", "project"), ("/api/v1/mcp/streamable", "global")):
        result = call(client, path, with_var, "contract_chat_io", input_value="hi", session_id=session)
        assert result["isError"] is False
    senders = reply_senders(client, headers, flow["id"])
    assert (senders.get("project") == "Header Bot") is taken
    assert senders.get("global") != "Header Bot"


@pytest.mark.parametrize(("version", "taken"), [("1.13.0", True), ("1.8", False)])
def test_1_13_project_tool_calls_take_the_api_key_header_as_a_variable(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str, taken: bool) -> None:
    """1.13 also hands a project transport's x-api-key header to its tool runs, as a variable named "x-api-key"."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = json.loads(json.dumps(bot_named_flow(chat_flow)).replace('"BOT_NAME"', '"x-api-key"'))
    made = mcp_flow(client, headers, flow, "contract_chat_io")
    path = f"/api/v1/mcp/project/{project_id(client, headers)}/streamable"
    assert call(client, path, headers, "contract_chat_io", input_value="hi", session_id="s")["isError"] is False
    assert (reply_senders(client, headers, made["id"])["s"] == headers["x-api-key"]) is taken


@pytest.mark.parametrize(("value", "shown"), [(5, "input_value=5, input_type=int"),
                                              ({"a": 1}, "input_value={'a': 1}, input_type=dict")])
def test_a_non_string_input_value_the_schema_does_not_declare_fails_the_call(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any], value: Any, shown: str) -> None:
    """With input_value left out of the tool's schema (here an advanced field), the SDK lets any value through,
    and 1.13's run request refuses one that is no string with pydantic's text, before the flow runs."""
    node = next(n for n in chat_flow["data"]["nodes"] if n["id"].startswith("ChatInput"))
    node["data"]["node"]["template"]["input_value"]["advanced"] = True
    create_flow(client, key_headers, chat_flow)
    tools = rpc(client, "/api/v1/mcp/streamable", key_headers, "tools/list")["result"]["tools"]
    assert "input_value" not in tools[0]["inputSchema"]["properties"]
    result = call(client, "/api/v1/mcp/streamable", key_headers, "contract_chat_io", input_value=value,
                  session_id="typed")
    text = ("1 validation error for SimplifiedAPIRequest\ninput_value\n  Input should be a valid string "
            f"[type=string_type, {shown}]\n    For further information visit "
            "https://errors.pydantic.dev/2.13/v/string_type")
    assert result == {"content": [{"type": "text", "text": text}], "isError": True}
    messages = client.get("/api/v1/monitor/messages", params={"session_id": "typed"}, headers=key_headers)
    assert messages.json() == []
    # a null input_value is taken, and runs as /run's null does: as if none was sent (not the text "None")
    result = call(client, "/api/v1/mcp/streamable", key_headers, "contract_chat_io", input_value=None)
    assert result == {"content": [{"type": "text", "text": ""}], "isError": False}


def test_a_visitors_tool_call_runs_without_the_values_of_secret_fields(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """1.13 takes the stored values of password (or secret-named) fields out of the graph a visitor of an auth
    "none" project runs, so the component's default applies; a field loading a variable the request hands over
    keeps its name. The owner's own call keeps every value."""
    flow = copy.deepcopy(chat_flow)
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "Robo", "password": True})
    made = mcp_flow(client, key_headers, flow, "contract_chat_io")
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    assert call(client, path, key_headers, "contract_chat_io", input_value="hi", session_id="owner")["isError"] is False
    set_project_auth(client, key_headers, pid, {"auth_type": "none"})
    assert call(client, path, {}, "contract_chat_io", input_value="hi", session_id="visitor")["isError"] is False
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    assert client.patch(f"/api/v1/flows/{made['id']}", json={"data": flow["data"]},
                        headers=key_headers).status_code == 200
    header = {"X-LANGFLOW-GLOBAL-VAR-BOT_NAME": "Header Bot"}
    assert call(client, path, header, "contract_chat_io", input_value="hi", session_id="header")["isError"] is False
    assert reply_senders(client, key_headers, made["id"]) == {"owner": "Robo", "visitor": "AI",
                                                              "header": "Header Bot"}


def test_a_visitors_tool_call_scrubs_secrets_inside_field_values(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """A visitor's tool call runs the graph 1.13's scrubber left, as the public build does: secret-like entries
    inside a field's value and URLs with credentials are nulled, the rest is kept; the owner's call sees all."""
    nested = {"model": "m1", "token": "t1", "hooks": ["https://u:p@h.example/x", "https://h.example/y"]}
    mcp_flow(client, key_headers, prompt_with(cfg={"type": "dict", "value": nested}), "prompt")
    pid = project_id(client, key_headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    owner = call(client, path, key_headers, "prompt", input_value="hi")
    assert owner["content"][0]["text"] == f"hi|{nested}"
    set_project_auth(client, key_headers, pid, {"auth_type": "none"})
    scrubbed = {"model": "m1", "token": None, "hooks": [None, "https://h.example/y"]}
    assert call(client, path, {}, "prompt", input_value="hi")["content"] == [{"type": "text",
                                                                             "text": f"hi|{scrubbed}"}]


def test_a_visitors_tool_call_runs_only_the_servers_code(make_client: Callable[..., TestClient]) -> None:
    """1.13 prepares a visitor's graph as the public build does: a node carrying code of a type the server has no
    code for refuses the call; a Custom Component runs the server's template, not its own code, so its output
    method is missing. The owner's call runs the flow's own code."""
    client = make_client(scripts=[CONTRACT_SCRIPT])
    headers = {"x-api-key": new_api_key(client)}
    mcp_flow(client, headers, slow_echo_flow(), "echo")
    mcp_flow(client, headers, slow_echo_flow("SlowEcho"), "unknown")
    pid = project_id(client, headers)
    path = f"/api/v1/mcp/project/{pid}/streamable"
    owner = call(client, path, headers, "echo", input_value="hi")
    assert owner == {"content": [{"type": "text", "text": "slow echo: hi"}], "isError": False}
    set_project_auth(client, headers, pid, {"auth_type": "none"})
    assert call(client, path, {}, "unknown", input_value="hi") == {"content": [
        {"type": "text", "text": "This flow cannot be executed through a public MCP project."}], "isError": True}
    failed = ('Error Executing the Contract Slow Flow tool. Error: 500: {"message":"Workflow execution failed.",'
              '"traceback":null,"description":null,"code":null,"suggestion":null}')
    assert call(client, path, {}, "echo", input_value="hi") == {"content": [{"type": "text", "text": failed}],
                                                                "isError": True}


def test_before_1_13_the_refused_input_value_links_pydantic_2_11(make_client: Callable[..., TestClient],
                                                                 chat_flow: dict[str, Any]) -> None:
    """1.8 builds the same run request, under pydantic 2.11: its text links that release's docs."""
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    node = next(n for n in chat_flow["data"]["nodes"] if n["id"].startswith("ChatInput"))
    node["data"]["node"]["template"]["input_value"]["advanced"] = True
    create_flow(client, headers, chat_flow)
    result = call(client, "/api/v1/mcp/streamable", headers, "contract_chat_io", input_value=7)
    assert result["isError"] is True
    assert result["content"][0]["text"].endswith("input_value=7, input_type=int]\n    For further information visit "
                                                 "https://errors.pydantic.dev/2.11/v/string_type")


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_flow_lacking_a_part_of_its_graph_is_no_tool_and_its_call_fails_before_the_run(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    """Every release makes a tool's schema from lfx's Graph.from_payload, so a flow whose graph lacks a part the
    loader reads (here an edge naming no node) is left out of tools/list. Called by name all the same, its run
    stops at the same loader error before any vertex: 1.13 raises it (an error result, the text as is, as for a
    flow without data), 1.8 returns it as the call's content."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    create_flow(client, headers, {**copy.deepcopy(chat_flow), "name": "Good", "endpoint_name": None})
    chat_flow["data"]["edges"][0]["target"] = "Nope-1"
    flow = create_flow(client, headers, chat_flow)
    listed = rpc(client, "/api/v1/mcp/streamable", headers, "tools/list")["result"]["tools"]
    assert [t["name"] for t in listed] == ["good"]
    result = call(client, "/api/v1/mcp/streamable", headers, "contract_chat_io", input_value="x")
    text = "Error Executing the Contract Chat IO tool. Error: Vertex Nope-1 not found"
    assert result == {"content": [{"type": "text", "text": text}], "isError": version == "1.13.0"}
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json() == []
