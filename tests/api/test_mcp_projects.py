"""A project's MCP settings, URLs and editor installs (/api/v1/mcp/project/...) and each user's MCP server
list (/api/v2/mcp/servers), as Langflow 1.13 answers them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_mcp import mcp_flow, project_id, recorded, rpc
from tests.api.test_projects import opened
from tests.conftest import KEY, create_flow, new_api_key, other_user_key

UNKNOWN = "00000000-0000-4000-8000-000000000000"
SSE_SUFFIX = "/sse"


def test_list_project_tools_is_the_recorded_answer(client: TestClient, key_headers: dict[str, str],
                                                   chat_flow: dict[str, Any], webhook_flow: dict[str, Any]) -> None:
    flow = mcp_flow(client, key_headers, chat_flow, "contract_chat_io")
    create_flow(client, key_headers, webhook_flow)  # not MCP-enabled: not listed
    response = client.get(f"/api/v1/mcp/project/{project_id(client, key_headers)}", headers=key_headers)
    assert response.status_code == 200
    real = recorded("mcp_project_list_tools")["response"]["body"]
    real["tools"][0]["id"] = flow["id"]
    assert response.json() == real


def test_list_project_tools_of_an_unknown_project_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get(f"/api/v1/mcp/project/{UNKNOWN}", headers=key_headers)
    assert (response.status_code, response.json()) == (404, {"detail": "Project not found"})


def test_list_project_tools_can_include_flows_not_enabled(client: TestClient, key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "No Words", "data": {"nodes": [], "edges": []}})
    pid = project_id(client, key_headers)
    response = client.get(f"/api/v1/mcp/project/{pid}", params={"mcp_enabled": "false"}, headers=key_headers)
    assert response.json()["tools"] == [{"id": flow["id"], "mcp_enabled": False, "action_name": "no_words",
                                         "action_description": "Tool generated from flow: no_words",
                                         "name": "No Words", "description": None}]


def test_patch_sets_each_listed_flows_mcp_settings(client: TestClient, key_headers: dict[str, str],
                                                   chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    pid = project_id(client, key_headers)
    empty = client.patch(f"/api/v1/mcp/project/{pid}", headers=key_headers,
                         json={"settings": [], "auth_settings": {"auth_type": "none"}})
    assert (empty.status_code, empty.json()) == (200, recorded("mcp_project_patch_settings")["response"]["body"])
    settings = [{"id": flow["id"], "mcp_enabled": True, "action_name": "echo", "action_description": "Echoes."}]
    response = client.patch(f"/api/v1/mcp/project/{pid}", headers=key_headers, json={"settings": settings})
    assert response.json() == {"message": "Updated MCP settings for 1 flows and project auth settings"}
    tools = client.get(f"/api/v1/mcp/project/{pid}", headers=key_headers).json()
    assert [(t["action_name"], t["action_description"]) for t in tools["tools"]] == [("echo", "Echoes.")]
    assert tools["auth_settings"]["auth_type"] == "none"
    stored = client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json()
    assert (stored["mcp_enabled"], stored["action_name"]) == (True, "echo")


def test_patch_to_oauth_keeps_secrets_and_says_composer_is_disabled(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    pid = project_id(client, key_headers)
    oauth = {"auth_type": "oauth", "oauth_client_id": "app", "oauth_client_secret": "s3cret"}
    response = client.patch(f"/api/v1/mcp/project/{pid}", headers=key_headers,
                            json={"settings": [], "auth_settings": oauth})
    assert response.json()["result"] == {"project_id": pid, "uses_composer": False,
                                         "error_message": errors.MCP_COMPOSER_DISABLED}
    shown = client.get(f"/api/v1/mcp/project/{pid}", headers=key_headers).json()["auth_settings"]
    assert (shown["oauth_client_id"], shown["oauth_client_secret"]) == ("app", "**********")
    # the frontend sends the mask back to mean "unchanged"
    masked = {**oauth, "oauth_client_secret": "*******", "oauth_client_id": "app2"}
    client.patch(f"/api/v1/mcp/project/{pid}", headers=key_headers, json={"settings": [], "auth_settings": masked})
    project = client.get("/api/v1/projects/", headers=key_headers).json()[0]
    sealed = project["auth_settings"].pop("oauth_client_secret")
    assert project["auth_settings"] == {"auth_type": "oauth", "oauth_client_id": "app2"}
    assert opened(client, sealed) == "s3cret"  # stored encrypted, as Langflow stores it
    back = client.patch(f"/api/v1/mcp/project/{pid}", headers=key_headers,
                        json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    assert back.json()["result"]["uses_composer"] is False
    assert back.json()["result"]["legacy_sse_url"].endswith(f"/api/v1/mcp/project/{pid}/sse")


@pytest.mark.parametrize(("version", "move"), [("1.8.4", "batch"), ("1.7.1", "batch"), ("1.7.1", "patch")])
def test_before_1_13_another_users_flow_in_the_project_is_listed_but_not_patched(
        make_client: Callable[..., TestClient], version: str, move: str, chat_flow: dict[str, Any]) -> None:
    """Langflow selects a project's flows by folder alone. Before 1.13 Bob can put his flow into Alice's project
    (a batch create, or 1.7.1's PATCH): her settings GET and tools/list show it, her PATCH skips it."""
    client = make_client(api_key=KEY, langflow_version=version)
    alice = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, alice)}
    pid = client.post("/api/v1/projects/", json={"name": "Alice's"}, headers=alice).json()["id"]
    tool = {"mcp_enabled": True, "action_name": "bobs_tool"}
    if move == "batch":  # a PATCH of his would take it back to his own project in 1.8
        made = client.post("/api/v1/flows/batch/", headers=bob,
                           json={"flows": [{**chat_flow, **tool, "name": "Bobs", "folder_id": pid}]})
        flow = made.json()[0]
    else:
        flow = create_flow(client, bob, {**chat_flow, "name": "Bobs"})
        flow = client.patch(f"/api/v1/flows/{flow['id']}", headers=bob, json={**tool, "folder_id": pid}).json()
    assert flow["folder_id"] == pid
    listed = client.get(f"/api/v1/mcp/project/{pid}", headers=alice)
    assert listed.status_code == 200
    assert [(t["id"], t["action_name"]) for t in listed.json()["tools"]] == [(flow["id"], "bobs_tool")]
    tools = rpc(client, f"/api/v1/mcp/project/{pid}/streamable", alice, "tools/list")["result"]["tools"]
    assert [t["name"] for t in tools] == ["bobs_tool"]
    settings = [{"id": flow["id"], "mcp_enabled": False, "action_name": "taken", "action_description": "Mine."}]
    patched = client.patch(f"/api/v1/mcp/project/{pid}", headers=alice, json={"settings": settings})
    assert patched.json() == {"message": "Updated MCP settings for 0 flows and project auth settings"}
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=bob).json()["action_name"] == "bobs_tool"


def test_patch_of_an_unknown_project_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.patch(f"/api/v1/mcp/project/{UNKNOWN}", headers=key_headers, json={"settings": []})
    assert (response.status_code, response.json()) == (404, {"detail": "Project not found"})


def test_composer_url_gives_the_projects_direct_urls(make_client: Callable[..., TestClient]) -> None:
    client = make_client(host="0.0.0.0", port=7999)
    headers = {"x-api-key": new_api_key(client)}
    pid = project_id(client, headers)
    response = client.get(f"/api/v1/mcp/project/{pid}/composer-url", headers=headers)
    assert response.status_code == 200
    base = f"http://localhost:7999/api/v1/mcp/project/{pid}"
    assert response.json() == {"project_id": pid, "uses_composer": False, "streamable_http_url": f"{base}/streamable",
                               "legacy_sse_url": f"{base}/sse", "error_message": None}
    unknown = client.get(f"/api/v1/mcp/project/{UNKNOWN}/composer-url", headers=headers)
    assert unknown.status_code == 200
    assert unknown.json() == {"project_id": UNKNOWN, "uses_composer": True, "streamable_http_url": None,
                              "legacy_sse_url": None, "error_message": errors.MCP_COMPOSER_URL_FAILED}


# --- installs --------------------------------------------------------------------------------------------


def test_installed_reports_no_editor_on_a_machine_without_them(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get(f"/api/v1/mcp/project/{project_id(client, key_headers)}/installed", headers=key_headers)
    assert response.json() == recorded("mcp_project_installed")["response"]["body"]


def local(client: TestClient) -> TestClient:
    """The same app, called from the server's own machine (TestClient's own address, "testclient", is not)."""
    return TestClient(client.app, client=("127.0.0.1", 50000))


def test_install_refusals(client: TestClient, key_headers: dict[str, str]) -> None:
    path = f"/api/v1/mcp/project/{project_id(client, key_headers)}/install"
    remote = client.post(path, headers=key_headers, json={"client": "cursor"})
    assert (remote.status_code, remote.json()) == (500, {"detail": errors.MCP_INSTALL_NOT_LOCAL})
    headers = key_headers
    client = local(client)
    unsupported = client.post(path, headers=headers, json={"client": "not-a-client"})
    assert (unsupported.status_code, unsupported.json()) == (400, {"detail": "Unsupported client"})
    missing = client.post(path, headers=headers, json={"client": "cursor", "transport": "streamablehttp"})
    assert (missing.status_code, missing.json()) == (
        400, {"detail": "Cursor is not installed on this system. Please install Cursor first."})
    bad_transport = client.post(path, headers=headers, json={"client": "cursor", "transport": "websocket"})
    assert bad_transport.status_code == 422
    unknown = client.post(f"/api/v1/mcp/project/{UNKNOWN}/install", headers=headers, json={"client": "cursor"})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Project not found"})


@pytest.mark.parametrize(("version", "trust_proxy", "forwarded", "local_call"), [
    ("1.13.0", False, "127.0.0.1", False), ("1.13.0", True, "127.0.0.1", True),
    ("1.13.0", True, "127.0.0.1, 203.0.113.9", False), ("1.13.0", True, "203.0.113.9, 127.0.0.1", True),
    ("1.8", False, "127.0.0.1, 203.0.113.9", True), ("1.8", False, "203.0.113.9", False)])
def test_install_believes_x_forwarded_for_only_behind_a_trusted_proxy_in_1_13(
        make_client: Callable[..., TestClient], version: str, trust_proxy: bool, forwarded: str,
        local_call: bool) -> None:
    client = make_client(langflow_version=version, rate_limit_trust_proxy=trust_proxy)
    headers = {"x-api-key": new_api_key(client)}
    path = f"/api/v1/mcp/project/{project_id(client, headers)}/install"
    response = client.post(path, headers={**headers, "X-Forwarded-For": forwarded}, json={"client": "cursor"})
    # from the server's own machine the install goes on, to the missing editor's 400
    expected = (400, errors.mcp_client_not_installed("cursor")) if local_call else (500, errors.MCP_INSTALL_NOT_LOCAL)
    assert (response.status_code, response.json()) == (expected[0], {"detail": expected[1]})


def test_install_is_recorded_in_the_mock_not_written_to_the_editor(make_client: Callable[..., TestClient],
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(Path, "home", lambda: home)
    client = make_client(mcp_clients=["cursor", "windsurf"])
    headers = {"x-api-key": new_api_key(client)}
    path = f"/api/v1/mcp/project/{project_id(client, headers)}"
    client = local(client)
    first = client.post(f"{path}/install", headers=headers, json={"client": "cursor", "transport": "streamablehttp"})
    assert first.status_code == 200
    assert first.json() == {"message": "Successfully installed MCP configuration for cursor"}
    again = client.post(f"{path}/install", headers=headers, json={"client": "cursor"})
    assert again.json() == {"message": "Successfully reinstalled MCP configuration for cursor "
                                       "(replaced existing servers: lf-starter_project)"}
    status = client.get(f"{path}/installed", headers=headers).json()
    assert status == [{"name": "cursor", "installed": True, "available": True},
                      {"name": "windsurf", "installed": False, "available": True},
                      {"name": "claude", "installed": False, "available": False}]
    assert list(home.iterdir()) == []
    entry = client.app.state.mock.store.mcp.client_servers("cursor")["lf-starter_project"]  # type: ignore[attr-defined]
    assert entry["args"][:3] == ["--with", "mcp~=1.28", "mcp-proxy"] and entry["args"][-1].endswith(SSE_SUFFIX)


def test_install_into_a_project_that_wants_api_keys_makes_a_key(make_client: Callable[..., TestClient]) -> None:
    client = make_client(mcp_clients=["claude"])
    key = new_api_key(client)
    headers = {"x-api-key": key}
    pid = project_id(client, headers)
    client = local(client)
    client.patch(f"/api/v1/mcp/project/{pid}", headers=headers,
                 json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    response = client.post(f"/api/v1/mcp/project/{pid}/install", headers=headers,
                           json={"client": "Claude", "transport": "streamablehttp"})
    assert response.json() == {"message": "Successfully installed MCP configuration for Claude"}
    names = [k["name"] for k in client.get("/api/v1/api_key/", headers=headers).json()["api_keys"]]
    assert "MCP Server Starter Project" in names
    entry = client.app.state.mock.store.mcp.client_servers("claude")["lf-starter_project"]  # type: ignore[attr-defined]
    assert entry["args"][:5] == ["--with", "mcp~=1.28", "mcp-proxy", "--headers", "x-api-key"]
    assert entry["args"][6:8] == ["--transport", "streamablehttp"]
    assert entry["args"][-1].endswith(f"/api/v1/mcp/project/{pid}/streamable")


@pytest.mark.parametrize(("version", "settings", "keyed"), [
    ("1.13.0", {}, True), ("1.13.0", {"skip_auth_auto_login": True}, False), ("1.8", {}, False)])
def test_install_gives_a_key_while_auto_login_wants_one_in_1_13(make_client: Callable[..., TestClient], version: str,
                                                                settings: dict[str, Any], keyed: bool) -> None:
    client = make_client(mcp_clients=["cursor"], langflow_version=version, **settings)
    headers = {"x-api-key": new_api_key(client)}
    pid = project_id(client, headers)
    client = local(client)
    response = client.post(f"/api/v1/mcp/project/{pid}/install", headers=headers, json={"client": "cursor"})
    assert response.status_code == 200, response.text
    names = [k["name"] for k in client.get("/api/v1/api_key/", headers=headers).json()["api_keys"]]
    assert ("MCP Server Starter Project" in names) is keyed
    entry = client.app.state.mock.store.mcp.client_servers("cursor")["lf-starter_project"]  # type: ignore[attr-defined]
    assert ("--headers" in entry["args"]) is keyed


# --- /api/v2/mcp/servers ---------------------------------------------------------------------------------


def test_server_list_starts_with_the_starter_project(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v2/mcp/servers", headers=key_headers)
    assert (response.status_code, response.json()) == (200, [{"name": "lf-starter_project", "mode": None,
                                                              "toolsCount": None}])
    config = client.get("/api/v2/mcp/servers/lf-starter_project", headers=key_headers).json()
    pid = project_id(client, key_headers)
    assert config == {"command": "uvx", "args": ["--with", "mcp~=1.28", "mcp-proxy", "--transport", "streamablehttp",
                                                 f"http://127.0.0.1:7860/api/v1/mcp/project/{pid}/streamable"]}


def stored_servers(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """The caller's server configs as stored, credentials unmasked (no answer shows them so in 1.13)."""
    me = UUID(client.get("/api/v1/users/whoami", headers=headers).json()["id"])
    servers: dict[str, Any] = client.app.state.mock.store.mcp.servers(me)  # type: ignore[attr-defined]
    return servers


def test_servers_can_be_added_changed_and_deleted(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13: 409 for a name in use, 404 for an unknown one, PATCH merges, credentials are masked in answers."""
    path = "/api/v2/mcp/servers/weather"
    added = client.post(path, headers=key_headers, json={"command": "uvx", "args": ["weather-mcp"],
                                                         "env": {"TOKEN": "t0p"}})
    assert (added.status_code, added.json()) == (200, {"command": "uvx", "args": ["weather-mcp"],
                                                       "env": {"TOKEN": "********"}})
    again = client.post(path, headers=key_headers, json={"url": "http://x"})
    assert (again.status_code, again.json()) == (409, {"detail": "Server already exists."})
    changed = client.patch(path, headers=key_headers, json={"url": "http://example.test/mcp", "headers": {"a": "b"},
                                                            "env": {"TOKEN": "********", "MORE": ""}})
    assert changed.json() == {"command": "uvx", "args": ["weather-mcp"], "url": "http://example.test/mcp",
                              "headers": {"a": "********"}, "env": {"TOKEN": "********", "MORE": ""}}
    stored = stored_servers(client, key_headers)["weather"]
    assert stored["env"] == {"TOKEN": "t0p", "MORE": ""} and stored["headers"] == {"a": "b"}
    assert client.get(path, headers=key_headers).json() == changed.json()
    names = [s["name"] for s in client.get("/api/v2/mcp/servers", headers=key_headers).json()]
    assert names == ["lf-starter_project", "weather"]
    deleted = client.delete(path, headers=key_headers)
    assert (deleted.status_code, deleted.json()) == (200, None)
    for response in (client.delete(path, headers=key_headers), client.get(path, headers=key_headers),
                     client.patch(path, headers=key_headers, json={"url": "http://x"})):
        assert (response.status_code, response.json()) == (404, {"detail": "Server not found."})


@pytest.mark.parametrize(("body", "detail"), [
    ({"name": "other", "command": "uvx"}, errors.mcp_server_name_immutable("weather", "other")),
    ({"command": "uvx", "env": {"TOKEN": "********"}}, errors.MCP_MASK_WITHOUT_VALUE),
    ({"command": "uvx", "args": ["mcp-proxy", "--headers", "x-api-key", "********"]},
     errors.MCP_MASKED_HEADERS_CHANGED),
    ({"command": "uvx", "args": ["mcp-proxy", "********"]}, errors.MCP_MASKED_ARG_WITHOUT_VALUE)])
def test_a_new_server_cannot_rename_itself_or_keep_a_masked_value(client: TestClient, key_headers: dict[str, str],
                                                                  body: dict[str, Any], detail: str) -> None:
    response = client.post("/api/v2/mcp/servers/weather", headers=key_headers, json=body)
    assert (response.status_code, response.json()) == (422, {"detail": detail})
    assert [s["name"] for s in client.get("/api/v2/mcp/servers", headers=key_headers).json()] == [
        "lf-starter_project"]
    same = client.post("/api/v2/mcp/servers/weather", headers=key_headers, json={"name": "weather", "url": "u"})
    assert same.json() == {"url": "u"}


def test_before_1_13_servers_are_replaced_and_unknown_names_are_500s(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    key_headers = {"x-api-key": new_api_key(client)}
    path = "/api/v2/mcp/servers/weather"
    added = client.post(path, headers=key_headers, json={"command": "uvx", "args": ["weather-mcp"]})
    assert (added.status_code, added.json()) == (200, {"command": "uvx", "args": ["weather-mcp"]})
    again = client.post(path, headers=key_headers, json={"url": "http://x"})
    assert (again.status_code, again.json()) == (500, {"detail": "Server already exists."})
    changed = client.patch(path, headers=key_headers, json={"url": "http://example.test/mcp", "headers": {"a": "b"}})
    assert changed.json() == {"url": "http://example.test/mcp", "headers": {"a": "b"}}
    assert client.delete(path, headers=key_headers).json() is None
    gone = client.delete(path, headers=key_headers)
    assert (gone.status_code, gone.json()) == (500, {"detail": "Server not found."})
    assert client.get(path, headers=key_headers).json() is None


@pytest.mark.parametrize("version", ["1.13.0", "1.8"])
def test_locked_servers_are_edited_by_superusers_only_in_1_13(make_client: Callable[..., TestClient],
                                                               version: str) -> None:
    """LANGFLOW_MCP_SERVERS_LOCKED=true (1.13): anyone but a superuser gets a 403 adding, changing or deleting a
    server, and /config says so; 1.8 has no such setting."""
    client = make_client(langflow_version=version, mcp_servers_locked=True)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    path = "/api/v2/mcp/servers/weather"
    assert client.post(path, headers=admin, json={"url": "http://x"}).status_code == 200
    answers = [client.post("/api/v2/mcp/servers/mine", headers=bob, json={"url": "http://x"}),
               client.patch("/api/v2/mcp/servers/mine", headers=bob, json={"url": "http://y"}),
               client.delete("/api/v2/mcp/servers/mine", headers=bob)]
    if version == "1.13.0":
        for response in answers:
            assert (response.status_code, response.json()) == (403, {"detail": (
                "MCP server configuration is locked. Contact an administrator to manage external MCP servers.")})
        assert client.get("/api/v1/config", headers=bob).json()["mcp_servers_locked"] is True
    else:
        assert [r.status_code for r in answers] == [200, 200, 200]
    assert client.get("/api/v2/mcp/servers", headers=bob).status_code == 200  # reading stays open


def test_server_list_needs_credentials(client: TestClient) -> None:
    response = client.get("/api/v2/mcp/servers")
    assert (response.status_code, response.json()) == (403, {"detail": errors.NO_CREDENTIALS})


def test_action_count_counts_the_tools_of_the_mocks_own_projects(client: TestClient, key_headers: dict[str, str],
                                                                 chat_flow: dict[str, Any]) -> None:
    client.post("/api/v2/mcp/servers/elsewhere", headers=key_headers, json={"command": "npx", "args": ["x"]})
    empty = client.get("/api/v2/mcp/servers", params={"action_count": "true"}, headers=key_headers).json()
    assert empty[0] == {"name": "lf-starter_project", "mode": "stdio", "toolsCount": 0, "error": errors.MCP_NO_TOOLS}
    assert empty[1] == {"name": "elsewhere", "mode": None, "toolsCount": None, "error": errors.MCP_EXTERNAL_SERVER}
    mcp_flow(client, key_headers, chat_flow, "echo")
    counted = client.get("/api/v2/mcp/servers", params={"action_count": "true"}, headers=key_headers).json()
    assert counted[0] == {"name": "lf-starter_project", "mode": "stdio", "toolsCount": 1}


@pytest.mark.parametrize(("version", "pin", "key_name"), [
    ("1.13.0", ["--with", "mcp~=1.28"], "MCP Project Starter Project - default"),
    ("1.8.4", [], "MCP Project Starter Project - admin")])
def test_without_auto_login_projects_want_api_keys_and_the_starter_entry_carries_one(
        make_client: Callable[..., TestClient], version: str, pin: list[str], key_name: str) -> None:
    """1.13 first gives every project with API-key auth its entry ("MCP Project <name> - default" key), then
    the Starter Project's entry is already there; 1.8 makes the Starter Project's with a key named after the
    user. Both run mcp-proxy on the project's streamable HTTP URL, and 1.13 pins the MCP SDK."""
    client = make_client(auto_login=False, superuser="admin", superuser_password="pw",
                         api_key="sk-" + "A" * 43, langflow_version=version)
    headers = {"x-api-key": "sk-" + "A" * 43}
    project = client.get("/api/v1/projects/", headers=headers).json()[0]
    assert project["auth_settings"] == {"auth_type": "apikey"}
    config = client.get("/api/v2/mcp/servers/lf-starter_project", headers=headers).json()
    args = stored_servers(client, headers)["lf-starter_project"]["args"]
    assert args[:-2] == [*pin, "mcp-proxy", "--transport", "streamablehttp", "--headers", "x-api-key"]
    assert args[-2].startswith("sk-") and args[-1].endswith(f"/{project['id']}/streamable")
    if version == "1.13.0":
        assert config["args"][-2] == "********"  # 1.13 masks it
    keys = [k["name"] for k in client.get("/api/v1/api_key/", headers=headers).json()["api_keys"]]
    assert key_name in keys


def key_names(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [k["name"] for k in client.get("/api/v1/api_key/", headers=headers).json()["api_keys"]]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_start_makes_the_starter_projects_key_even_for_an_entry_without_one(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str) -> None:
    """Every release's start (auto_configure_starter_projects_mcp) makes the key "MCP Project Starter Project -
    <user>" before it looks at the project's auth: with auto-login on (auth "none") the entry runs without it,
    yet the key is listed. A start that finds the entry in place makes none."""
    settings = {"ephemeral": False, "data_dir": tmp_path / "kept", "langflow_version": version}
    first = make_client(**settings)
    headers = {"x-api-key": new_api_key(first)}
    args = first.get("/api/v2/mcp/servers/lf-starter_project", headers=headers).json()["args"]
    assert "--headers" not in args
    assert key_names(first, headers) == ["MCP Project Starter Project - langflow", "test"]
    first.__exit__(None, None, None)
    again = make_client(**settings)
    assert key_names(again, headers) == ["MCP Project Starter Project - langflow", "test"]


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_a_start_makes_the_starter_projects_key_though_the_servers_file_is_broken_before_1_13(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str) -> None:
    """1.8.4's and 1.7.1's start pass over a servers file they cannot read when they look for the entry, make the
    key (and, auto-login off, API-key auth), then fail to write the entry, log it and commit the rest: one more
    key at each start."""
    settings = {"ephemeral": False, "data_dir": tmp_path / "kept", "langflow_version": version}
    first = make_client(**settings)
    headers = {"x-api-key": new_api_key(first)}
    user_id = first.get("/api/v1/users/whoami", headers=headers).json()["id"]
    assert first.post("/api/v2/files", headers=headers, files={
        "file": (f"_mcp_servers_{user_id}.json", b"{not json", "application/json")}).status_code == 201
    first.__exit__(None, None, None)
    for starts in (2, 3):
        again = make_client(**settings, auto_login=False, superuser="langflow", superuser_password="pw")
        assert key_names(again, headers).count("MCP Project Starter Project - langflow") == starts
        starter = next(p for p in again.get("/api/v1/projects/", headers=headers).json()
                       if p["name"] == "Starter Project")
        assert starter["auth_settings"] == {"auth_type": "apikey"}
        again.__exit__(None, None, None)


@pytest.mark.parametrize("auto_login", [True, False])
def test_a_start_turns_oauth_projects_back(make_client: Callable[..., TestClient], tmp_path: Path,
                                           auto_login: bool) -> None:
    """MCP Composer never runs here, and Langflow's start with it disabled resets OAuth projects: to API keys
    with auto-login off, to none with it on; their OAuth settings are gone."""
    settings = {"ephemeral": False, "data_dir": tmp_path / "kept", "auto_login": auto_login,
                "superuser_password": "pw", "api_key": "sk-" + "O" * 43}
    headers = {"x-api-key": "sk-" + "O" * 43}
    first = make_client(**settings)
    pid = project_id(first, headers)
    oauth = {"auth_type": "oauth", "oauth_client_id": "app", "oauth_client_secret": "s3cret"}
    first.patch(f"/api/v1/mcp/project/{pid}", headers=headers, json={"settings": [], "auth_settings": oauth})
    first.__exit__(None, None, None)
    again = make_client(**settings)
    expected = {"auth_type": "none" if auto_login else "apikey"}
    assert again.get(f"/api/v1/projects/{pid}", headers=headers).json()["auth_settings"] == expected


def test_an_oauth_callback_path_stands_for_the_callback_url(client: TestClient, key_headers: dict[str, str]) -> None:
    """Older clients send oauth_callback_path; Langflow's AuthSettings copies it to oauth_callback_url."""
    pid = project_id(client, key_headers)
    old = {"auth_type": "oauth", "oauth_callback_path": "/cb"}
    client.patch(f"/api/v1/mcp/project/{pid}", headers=key_headers, json={"settings": [], "auth_settings": old})
    shown = client.get(f"/api/v1/mcp/project/{pid}", headers=key_headers).json()["auth_settings"]
    assert (shown["oauth_callback_path"], shown["oauth_callback_url"]) == ("/cb", "/cb")
    both = {**old, "oauth_callback_url": "https://x/cb"}
    client.patch(f"/api/v1/mcp/project/{pid}", headers=key_headers, json={"settings": [], "auth_settings": both})
    stored = client.get(f"/api/v1/projects/{pid}", headers=key_headers).json()["auth_settings"]
    assert stored["oauth_callback_url"] == "https://x/cb"


# --- a project's entry in the MCP server list --------------------------------------------------------------

PIN = ["--with", "mcp~=1.28"]


def server_names(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [s["name"] for s in client.get("/api/v2/mcp/servers", headers=headers).json()]


def test_a_project_has_an_entry_in_the_server_list_from_create_to_delete(client: TestClient,
                                                                       key_headers: dict[str, str]) -> None:
    """Langflow adds each new project to its owner's MCP server list, renames the entry with the project and
    removes it with the project."""
    keys_before = client.get("/api/v1/api_key/", headers=key_headers).json()["total_count"]
    project = client.post("/api/v1/projects/", json={"name": "Reports"}, headers=key_headers).json()
    assert server_names(client, key_headers) == ["lf-starter_project", "lf-reports"]
    url = f"http://127.0.0.1:7860/api/v1/mcp/project/{project['id']}/streamable"
    assert client.get("/api/v2/mcp/servers/lf-reports", headers=key_headers).json() == {
        "command": "uvx", "args": [*PIN, "mcp-proxy", "--transport", "streamablehttp", url]}
    assert client.get("/api/v1/api_key/", headers=key_headers).json()["total_count"] == keys_before  # no auth
    client.post("/api/v2/mcp/servers/weather", headers=key_headers, json={"command": "uvx", "args": ["w"]})
    renamed = client.patch(f"/api/v1/projects/{project['id']}", json={"name": "Monthly Reports"},
                           headers=key_headers)
    assert renamed.status_code == 200
    assert server_names(client, key_headers) == ["lf-starter_project", "weather", "lf-monthly_reports"]
    assert client.delete(f"/api/v1/projects/{project['id']}", headers=key_headers).status_code == 204
    assert server_names(client, key_headers) == ["lf-starter_project", "weather"]


def test_a_projects_entry_follows_its_auth_in_1_13(client: TestClient, key_headers: dict[str, str]) -> None:
    project = client.post("/api/v1/projects/", json={"name": "Keyed", "auth_settings": {"auth_type": "apikey"}},
                          headers=key_headers).json()
    keys = client.get("/api/v1/api_key/", headers=key_headers).json()["api_keys"]
    assert [k["name"] for k in keys].count("MCP Project Keyed - default") == 1
    stored = stored_servers(client, key_headers)["lf-keyed"]["args"]
    assert stored[:-2] == [*PIN, "mcp-proxy", "--transport", "streamablehttp", "--headers", "x-api-key"]
    assert stored[-2].startswith("sk-")
    client.patch(f"/api/v1/projects/{project['id']}", json={"auth_settings": {"auth_type": "none"}},
                 headers=key_headers)
    assert "--headers" not in stored_servers(client, key_headers)["lf-keyed"]["args"]
    client.patch(f"/api/v1/mcp/project/{project['id']}", headers=key_headers,
                 json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    assert "--headers" in stored_servers(client, key_headers)["lf-keyed"]["args"]
    oauth = client.post("/api/v1/projects/", json={"name": "Composer", "auth_settings": {"auth_type": "oauth"}},
                        headers=key_headers)
    assert oauth.status_code == 201 and "lf-composer" not in server_names(client, key_headers)


def test_before_1_13_the_entry_is_made_once_with_the_default_auth(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    project = client.post("/api/v1/projects/", json={"name": "Keyed", "auth_settings": {"auth_type": "apikey"}},
                          headers=headers).json()
    args = stored_servers(client, headers)["lf-keyed"]["args"]
    assert args == ["mcp-proxy", "--transport", "streamablehttp",
                    f"http://127.0.0.1:7860/api/v1/mcp/project/{project['id']}/streamable"]
    client.patch(f"/api/v1/mcp/project/{project['id']}", headers=headers,
                 json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    assert stored_servers(client, headers)["lf-keyed"]["args"] == args


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_server_name_another_project_holds(make_client: Callable[..., TestClient], version: str) -> None:
    """1.13 gives the new project's entry a name ending in its id; 1.8 refuses the project (409) and creates
    nothing. A rename onto such a name is a 409 in both, and the project keeps its name."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    elsewhere = {"command": "uvx", "args": ["mcp-proxy", f"http://h/api/v1/mcp/project/{UNKNOWN}/sse"]}
    client.post("/api/v2/mcp/servers/lf-reports", headers=headers, json=elsewhere)
    created = client.post("/api/v1/projects/", json={"name": "Reports"}, headers=headers)
    names = [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()]
    if version == "1.8.4":
        assert created.status_code == 409
        assert created.json()["detail"].startswith("MCP server name conflict: 'lf-reports' already exists for a "
                                                   "different project. Cannot create MCP server for project "
                                                   "'Reports' (ID: ")
        assert "Reports" not in names
        created = client.post("/api/v1/projects/", json={"name": "Other"}, headers=headers)
    else:
        assert created.status_code == 201
        assert f"lf-reports-{UUID(created.json()['id']).hex[:8]}" in server_names(client, headers)
    pid = created.json()["id"]
    old_name = created.json()["name"]
    taken = client.patch(f"/api/v1/projects/{pid}", json={"name": "Reports" if version == "1.8.4" else "Reports 2"},
                         headers=headers)
    if version == "1.8.4":
        assert taken.status_code == 409 and "Cannot update MCP server for project 'Reports'" in taken.json()["detail"]
        assert client.get(f"/api/v1/projects/{pid}", headers=headers).json()["name"] == old_name
    else:  # the entry leaves its id-suffixed name for the new project name's
        assert taken.status_code == 200
        assert server_names(client, headers) == ["lf-starter_project", "lf-reports", "lf-reports_2"]


def test_an_oauth_project_is_refused_when_its_entry_has_no_free_name(make_client: Callable[..., TestClient]) -> None:
    """1.13 checks the entry's name before it looks at the auth: a project created with OAuth (which gets no
    entry) is still a 409 when both names its entry could have are another project's."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    pid = UUID(int=42)
    elsewhere = {"command": "uvx", "args": ["mcp-proxy", f"http://h/api/v1/mcp/project/{UNKNOWN}/sse"]}
    for name in ("lf-reports", f"lf-reports-{pid.hex[:8]}"):
        assert client.post(f"/api/v2/mcp/servers/{name}", headers=headers, json=elsewhere).status_code == 200
    oauth = {"auth_type": "oauth", "oauth_host": "localhost", "oauth_port": "9000",
             "oauth_server_url": "http://localhost:9000", "oauth_client_id": "c", "oauth_client_secret": "s",
             "oauth_auth_url": "http://a", "oauth_token_url": "http://t"}
    created = client.put(f"/api/v1/projects/{pid}", json={"name": "Reports", "auth_settings": oauth}, headers=headers)
    assert (created.status_code, created.json()) == (409, {"detail": (
        "MCP server name conflict: 'lf-reports' already exists for a different project. Cannot create MCP server "
        f"for project 'Reports' (ID: {pid})")})


def test_server_names_keep_letters_of_any_script_in_1_13(make_client: Callable[..., TestClient]) -> None:
    for version, expected in (("1.13.0", "lf-データ_分析"), ("1.8.4", "lf-unnamed")):
        client = make_client(langflow_version=version)
        headers = {"x-api-key": new_api_key(client)}
        project = client.post("/api/v1/projects/", json={"name": "データ 分析"}, headers=headers).json()
        assert expected in server_names(client, headers)
        tools = client.get(f"/api/v1/mcp/project/{project['id']}", headers=headers).json()
        assert tools.get("server_name", expected) == expected  # (1.8 does not say)


def test_a_start_gives_back_the_entry_of_a_project_with_auth(make_client: Callable[..., TestClient],
                                                             tmp_path: Path) -> None:
    settings = {"ephemeral": False, "data_dir": tmp_path / "kept", "api_key": "sk-" + "E" * 43}
    headers = {"x-api-key": "sk-" + "E" * 43}
    first = make_client(**settings)
    first.post("/api/v1/projects/", json={"name": "Open", "auth_settings": {"auth_type": "none"}}, headers=headers)
    first.post("/api/v1/projects/", json={"name": "Plain"}, headers=headers)
    for name in ("lf-open", "lf-plain"):
        assert first.delete(f"/api/v2/mcp/servers/{name}", headers=headers).status_code == 200
    first.__exit__(None, None, None)
    again = make_client(**settings)
    assert server_names(again, headers) == ["lf-starter_project", "lf-open"]  # "Plain" has no auth settings


def test_with_add_projects_to_mcp_servers_off_the_list_is_left_alone(make_client: Callable[..., TestClient]) -> None:
    client = make_client(add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    project = client.post("/api/v1/projects/", json={"name": "Quiet"}, headers=headers).json()
    client.patch(f"/api/v1/projects/{project['id']}", json={"name": "Still Quiet"}, headers=headers)
    assert client.get("/api/v2/mcp/servers", headers=headers).json() == []


def test_an_auth_change_checks_the_server_name_only_for_keys_or_none(client: TestClient,
                                                                    key_headers: dict[str, str]) -> None:
    """1.13 rewrites a project's entry (and may find both its names taken: a 409 that changes nothing) only
    when the new auth is "apikey" or "none"; OAuth leaves the list alone."""
    project = client.post("/api/v1/projects/", json={"name": "Reports"}, headers=key_headers).json()
    client.delete("/api/v2/mcp/servers/lf-reports", headers=key_headers)
    elsewhere = {"command": "uvx", "args": ["mcp-proxy", f"http://h/api/v1/mcp/project/{UNKNOWN}/sse"]}
    for name in ("lf-reports", f"lf-reports-{UUID(project['id']).hex[:8]}"):
        client.post(f"/api/v2/mcp/servers/{name}", headers=key_headers, json=elsewhere)
    url = f"/api/v1/mcp/project/{project['id']}"
    oauth = client.patch(url, headers=key_headers, json={"settings": [], "auth_settings": {"auth_type": "oauth"}})
    assert oauth.status_code == 200
    keyed = client.patch(url, headers=key_headers, json={"settings": [], "auth_settings": {"auth_type": "apikey"}})
    assert keyed.status_code == 409 and "Cannot create MCP server for project 'Reports'" in keyed.json()["detail"]
    assert client.get(f"/api/v1/projects/{project['id']}", headers=key_headers).json()["auth_settings"] == {
        "auth_type": "oauth"}


@pytest.mark.parametrize("add_projects", [True, False])
def test_a_start_exposes_the_starter_projects_flows_left_unset(make_client: Callable[..., TestClient],
                                                               tmp_path: Path, add_projects: bool) -> None:
    """Each start, Langflow turns MCP on for the Starter Project's flows whose mcp_enabled is null (a PATCH of
    the project's MCP settings that left it out stores a null), naming the action after the flow and
    describing it, when it adds projects to the MCP server list. Flows set to false, components and other
    projects' flows stay as they are."""
    settings = {"ephemeral": False, "data_dir": tmp_path / "kept", "api_key": "sk-" + "U" * 43,
                "add_projects_to_mcp_servers": add_projects}
    headers = {"x-api-key": "sk-" + "U" * 43}
    first = make_client(**settings)
    starter = project_id(first, headers)
    other = first.post("/api/v1/projects/", json={"name": "Elsewhere"}, headers=headers).json()["id"]
    unset = create_flow(first, headers, {"name": "Ask Me 2!", "data": {"nodes": [], "edges": []}})
    described = create_flow(first, headers, {"name": "Described", "description": "Says hello"})
    off = create_flow(first, headers, {"name": "Off", "mcp_enabled": True})
    component = create_flow(first, headers, {"name": "Comp", "is_component": True})
    away = create_flow(first, headers, {"name": "Away", "folder_id": other})
    for project, changes in ((starter, [{"id": unset["id"]}, {"id": described["id"], "action_name": "Kept Name"},
                                        {"id": off["id"], "mcp_enabled": False}, {"id": component["id"]}]),
                             (other, [{"id": away["id"]}])):
        answer = first.patch(f"/api/v1/mcp/project/{project}", json={"settings": changes}, headers=headers)
        assert answer.status_code == 200, answer.text
    before = first.get(f"/api/v1/flows/{unset['id']}", headers=headers).json()
    assert (unset["folder_id"], before["mcp_enabled"]) == (starter, None)
    first.__exit__(None, None, None)

    again = make_client(**settings)

    def flow(created: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = again.get(f"/api/v1/flows/{created['id']}", headers=headers).json()
        return answer

    if not add_projects:
        assert [flow(f)["mcp_enabled"] for f in (unset, described)] == [None, None]
        return
    turned_on = flow(unset)
    assert (turned_on["mcp_enabled"], turned_on["action_name"], turned_on["action_description"]) == (
        True, "ask_me_2", "Starter project: Ask Me 2!")
    assert (flow(described)["action_name"], flow(described)["action_description"]) == ("Kept Name", "Says hello")
    assert [flow(f)["mcp_enabled"] for f in (off, component, away)] == [False, None, None]
    tools = again.get(f"/api/v1/mcp/project/{starter}", headers=headers).json()["tools"]
    assert {t["action_name"] for t in tools} == {"ask_me_2", "kept_name"}


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_the_auto_login_superuser_reading_another_users_project_tools_before_1_13(
        make_client: Callable[..., TestClient], version: str) -> None:
    """1.8.4's and 1.7.1's GET /mcp/project/{id} serves a caller without a key (auto-login) as the superuser, then
    looks the project up among the caller's: another user's project is its 404, which the route's catch-all turns
    into a 500 "404: Project not found"; its owner's key is served."""
    client = make_client(langflow_version=version)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    project = client.post("/api/v1/projects/", headers=bob, json={"name": "bobs"}).json()
    for headers in ({}, admin):
        response = client.get(f"/api/v1/mcp/project/{project['id']}", headers=headers)
        assert (response.status_code, response.json()) == (500, {"detail": "404: Project not found"})
    assert client.get(f"/api/v1/mcp/project/{project['id']}", headers=bob).status_code == 200


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_installed_on_a_project_not_the_callers_is_a_wrapped_500(make_client: Callable[..., TestClient],
                                                                 version: str) -> None:
    """Every release's GET /mcp/project/{id}/installed looks the project up inside a catch-all that turns its own
    404 into a 500 "404: Project not found": for an unknown project and for another user's."""
    client = make_client(langflow_version=version)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    project = client.post("/api/v1/projects/", headers=bob, json={"name": "bobs"}).json()
    for wanted in (project["id"], "00000000-0000-4000-8000-000000000000"):
        response = client.get(f"/api/v1/mcp/project/{wanted}/installed", headers=admin)
        assert (response.status_code, response.json()) == (500, {"detail": "404: Project not found"})
    assert client.get(f"/api/v1/mcp/project/{project['id']}/installed", headers=bob).status_code == 200
