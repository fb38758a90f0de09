"""Version profiles: one server answers as Langflow 1.13.0, 1.8.4 or 1.7.1, field for field.

The expected key sets, event orders and time formats come from tests/data/profile-facts/<version>.json, which
scripts/profile-facts distilled from recordings of the real releases."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import auto_login_token, create_flow, load_json, new_api_key

VERSIONS = ("1.13.0", "1.8.4", "1.7.1")
AUTO_LOGIN_NEEDS_KEY = (
    "Since v1.5, LANGFLOW_AUTO_LOGIN requires a valid API key. Set LANGFLOW_SKIP_AUTH_AUTO_LOGIN=true to skip "
    "this check. Please update your authentication method."
)


def facts(version: str) -> dict[str, Any]:
    found: dict[str, Any] = load_json(f"profile-facts/{version}.json")
    return found


def time_format(value: str) -> str:
    return re.sub(r"\d", "9", value)


Make = Callable[..., TestClient]


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server(make_client: Make, version: str) -> TestClient:
    return make_client(langflow_version=version)


@pytest.fixture
def key(server: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(server)}


@pytest.fixture
def flow(server: TestClient, key: dict[str, str], chat_flow: dict[str, Any]) -> dict[str, Any]:
    return create_flow(server, key, chat_flow)


# --- identity and configuration -------------------------------------------------------------------------


def test_version_names_the_emulated_release(server: TestClient, version: str) -> None:
    response = server.get("/api/v1/version")
    assert response.status_code == 200
    assert response.json() == {"version": version, "main_version": version, "package": "Langflow"}


def test_short_version_names_select_the_same_profile(make_client: Make) -> None:
    assert make_client(langflow_version="1.8").get("/api/v1/version").json()["version"] == "1.8.4"
    assert make_client(langflow_version="1.13").get("/api/v1/version").json()["version"] == "1.13.0"


def test_config_keys_follow_the_release(server: TestClient, key: dict[str, str], version: str) -> None:
    expected = facts(version)
    anonymous = server.get("/api/v1/config")
    if expected["config_public"] is None:
        assert anonymous.status_code == 403
        assert anonymous.json() == {"detail": AUTO_LOGIN_NEEDS_KEY}
    else:
        assert anonymous.status_code == 200
        assert sorted(anonymous.json()) == expected["config_public"]
    assert sorted(server.get("/api/v1/config", headers=key).json()) == expected["config_full"]


# --- shapes ----------------------------------------------------------------------------------------------


def test_flow_shapes_carry_the_release_fields(server: TestClient, key: dict[str, str], flow: dict[str, Any],
                                              version: str) -> None:
    expected = facts(version)
    assert sorted(flow) == expected["flow_read"]
    assert sorted(server.get(f"/api/v1/flows/{flow['id']}", headers=key).json()) == expected["flow_read"]
    headers = server.get("/api/v1/flows/", params={"header_flows": "true", "remove_example_flows": "true"},
                         headers=key).json()
    assert sorted(headers[0]) == expected["flow_header"]
    page = server.get("/api/v1/flows/", params={"header_flows": "true", "get_all": "false"}, headers=key).json()
    assert sorted(page["items"][0]) == expected["paged_header_item"]
    download = server.post("/api/v1/flows/download/", json=[flow["id"]], headers=key).json()
    assert sorted(download) == expected["flow_download"]


def test_openapi_flow_schema_lists_the_release_fields(server: TestClient, version: str) -> None:
    schema = server.get("/openapi.json").json()["components"]["schemas"]["FlowRead"]
    assert sorted(schema["properties"]) == facts(version)["flow_read"]


def test_project_list_and_api_key_shapes(server: TestClient, key: dict[str, str], version: str) -> None:
    expected = facts(version)
    assert sorted(server.get("/api/v1/projects/", headers=key).json()[0]) == expected["project_listed"]
    token = auto_login_token(server)
    created = server.post("/api/v1/api_key/", json={"name": "k"}, headers={"Authorization": f"Bearer {token}"})
    assert sorted(created.json()) == expected["api_key_created"]


def test_times_are_written_as_the_release_writes_them(server: TestClient, key: dict[str, str], version: str) -> None:
    expected = facts(version)["times"]
    assert time_format(server.get("/api/v1/users/whoami", headers=key).json()["create_at"]) == expected["user"]
    token = auto_login_token(server)
    listed = server.get("/api/v1/api_key/", headers={"Authorization": f"Bearer {token}"}).json()
    assert time_format(listed["api_keys"][0]["created_at"]) == expected["api_key"]
    server.post("/api/v2/files", files={"file": ("notes.txt", b"hi", "text/plain")}, headers=key)
    assert time_format(server.get("/api/v2/files", headers=key).json()[0]["created_at"]) == expected["file"]


def test_run_results_and_messages_follow_the_release(server: TestClient, key: dict[str, str], flow: dict[str, Any],
                                                     version: str) -> None:
    expected = facts(version)
    result = server.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hello"}, headers=key).json()
    output = result["outputs"][0]["outputs"][0]
    assert sorted(output) == expected["run_output"]
    message = output["results"]["message"]
    assert sorted(message) == expected["run_message"]
    assert sorted(message["data"]) == expected["run_message_data"]
    assert time_format(message["data"]["timestamp"]) == expected["times"]["message"]
    assert time_format(message["timestamp"]) == expected["times"]["message_top"]
    stored = server.get("/api/v1/monitor/messages", headers=key).json()
    items = stored["items"] if isinstance(stored, dict) else stored
    assert sorted(items[0]) == expected["monitor_message"]


def test_stream_events_carry_the_release_message_form(server: TestClient, key: dict[str, str],
                                                      flow: dict[str, Any], version: str) -> None:
    response = server.post(f"/api/v1/run/{flow['id']}?stream=true", json={"input_value": "hi"}, headers=key)
    first = json.loads(response.text.split("\n\n")[0])
    assert first["event"] == "add_message"
    assert sorted(first["data"]) == facts(version)["stream_event_message"]


def test_build_events_follow_the_release(server: TestClient, key: dict[str, str], flow: dict[str, Any],
                                         version: str) -> None:
    expected = facts(version)
    job = server.post(f"/api/v1/build/{flow['id']}/flow", json={"inputs": {"input_value": "hi"}}, headers=key)
    body = server.get(f"/api/v1/build/{job.json()['job_id']}/events", headers=key).text
    events = [json.loads(line) for line in body.split("\n") if line.strip()]
    assert [e["event"] for e in events] == expected["build_events"]
    assert sorted(events[-1]["data"]) == expected["build_end"]
    end_vertex = next(e for e in events if e["event"] == "end_vertex")
    assert ("output_meta" in end_vertex["data"]) is (version == "1.13.0")
    builds = server.get("/api/v1/monitor/builds", params={"flow_id": flow["id"]}, headers=key).json()
    assert sorted(next(iter(builds["vertex_builds"].values()))[0]) == expected["vertex_build"]


# --- auth -----------------------------------------------------------------------------------------------


def test_user_routes_refuse_as_the_release_does(server: TestClient, version: str) -> None:
    no_credentials = server.get("/api/v1/flows/")
    assert no_credentials.status_code == 403
    assert no_credentials.json()["detail"] == (AUTO_LOGIN_NEEDS_KEY if version == "1.7.1"
                                               else "No authentication credentials provided")
    wrong_key = server.get("/api/v1/flows/", headers={"x-api-key": "sk-" + "x" * 43})
    assert wrong_key.json()["detail"] == ("Invalid or missing API key" if version == "1.7.1" else "Invalid API key")
    bad_jwt = server.get("/api/v1/users/whoami", headers={"Authorization": "Bearer not.a.jwt"})
    assert bad_jwt.status_code == 401
    if version == "1.7.1":
        assert bad_jwt.json() == {"detail": "Could not validate credentials"}
        assert bad_jwt.headers["www-authenticate"] == "Bearer"
    else:
        assert bad_jwt.json() == {"detail": "Invalid token"}
        assert "www-authenticate" not in bad_jwt.headers


def test_user_list_filters_exist_only_in_1_13(server: TestClient, key: dict[str, str], version: str) -> None:
    for name in ("ada", "grace", "adam"):
        assert server.post("/api/v1/users/", json={"username": name, "password": "pw-" + name},
                           headers=key).status_code == 201
    found = server.get("/api/v1/users/", params={"search": "AD", "limit": 1}, headers=key).json()
    everyone = server.get("/api/v1/users/", headers=key).json()
    params = {p["name"] for p in server.get("/openapi.json").json()["paths"]["/api/v1/users/"]["get"]["parameters"]}
    if version == "1.13.0":
        # filtered before paging: the count is of the matching users, the page is one of them
        assert found["total_count"] == 2
        assert [u["username"] for u in found["users"]] == ["ada"]
        assert {"search", "username", "role_name", "deletion_requested", "X-Langflow-Operation-ID"} <= params
    else:  # an unknown query parameter, ignored
        assert found["total_count"] == everyone["total_count"] == 4
        assert params == {"skip", "limit"}


def test_webhooks_need_a_key_only_in_1_13(server: TestClient, key: dict[str, str], webhook_flow: dict[str, Any],
                                          version: str) -> None:
    hook = create_flow(server, key, webhook_flow)
    without = server.post(f"/api/v1/webhook/{hook['id']}", json={"a": 1})
    wrong = server.post(f"/api/v1/webhook/{hook['id']}", json={"a": 1}, headers={"x-api-key": "sk-" + "x" * 43})
    if version == "1.13.0":
        assert (without.status_code, wrong.status_code) == (403, 403)
    else:
        assert (without.status_code, wrong.status_code) == (202, 202)
        assert without.json() == {"message": "Task started in the background", "status": "in progress"}


def test_auto_login_hands_out_what_the_release_does(server: TestClient, version: str) -> None:
    response = server.get("/api/v1/auto_login")
    names = sorted(c.split("=", 1)[0] for c in response.headers.get_list("set-cookie"))
    if version == "1.13.0":
        assert response.json()["refresh_token"] is not None
        assert names == ["access_token_lf", "apikey_tkn_lflw", "refresh_token_lf"]
    else:
        assert response.json()["refresh_token"] is None
        assert names == ["access_token_lf", "apikey_tkn_lflw"]
        assert all("HttpOnly" not in c for c in response.headers.get_list("set-cookie"))


def test_default_password_logs_in_before_1_13(server: TestClient, version: str) -> None:
    response = server.post("/api/v1/login", data={"username": "langflow", "password": "langflow"})
    assert response.status_code == (401 if version == "1.13.0" else 200)


def test_auto_login_disabled_answers_as_the_release(make_client: Make) -> None:
    old = make_client(langflow_version="1.7.1", auto_login=False, superuser="admin", superuser_password="pw")
    assert old.get("/api/v1/auto_login").status_code == 400
    assert old.get("/api/v1/auto_login").json() == {
        "detail": {"message": "Auto login is disabled. Please enable it in the settings", "auto_login": False}}
    new = make_client(auto_login=False, superuser="admin", superuser_password="pw")
    assert new.get("/api/v1/auto_login").status_code == 403


def test_skip_auth_is_narrow_in_1_8(make_client: Make, chat_flow: dict[str, Any]) -> None:
    server = make_client(langflow_version="1.8", skip_auth_auto_login=True)
    assert server.get("/api/v1/flows/").status_code == 403
    old = make_client(langflow_version="1.7.1", skip_auth_auto_login=True)
    assert old.get("/api/v1/flows/").status_code == 200


# --- HTTP behaviour ---------------------------------------------------------------------------------------


def test_1_7_1_answers_api_404s_with_the_frontend_page(make_client: Make) -> None:
    server = make_client(langflow_version="1.7.1")
    key = {"x-api-key": new_api_key(server)}
    missing = server.get("/api/v1/flows/00000000-0000-4000-8000-000000000000", headers=key)
    assert missing.status_code == 200
    assert missing.headers["content-type"].startswith("text/html")
    assert missing.headers["etag"].startswith('"') and "last-modified" in missing.headers
    not_allowed = server.post("/api/v1/version")
    assert not_allowed.status_code == 405
    assert not_allowed.json() == {"detail": "Method Not Allowed"}
    assert "allow" not in not_allowed.headers
    backend = make_client(langflow_version="1.7.1", backend_only=True)
    backend_key = {"x-api-key": new_api_key(backend)}
    plain = backend.get("/api/v1/flows/00000000-0000-4000-8000-000000000000", headers=backend_key)
    assert (plain.status_code, plain.json()) == (404, {"detail": "Flow not found"})


def test_1_8_is_backend_only_unless_told_otherwise(make_client: Make) -> None:
    assert make_client(langflow_version="1.8").get("/").status_code == 404
    page = make_client(langflow_version="1.8", backend_only=False).get("/some/page")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert make_client(langflow_version="1.8", backend_only=False).get("/api/v1/nope").status_code == 404


def test_older_releases_gzip_the_flow_list_even_for_identity(server: TestClient, key: dict[str, str],
                                                             version: str) -> None:
    response = server.get("/api/v1/flows/", headers={**key, "accept-encoding": "identity"})
    if version == "1.13.0":
        assert "content-encoding" not in response.headers
    else:
        assert response.headers["content-encoding"] == "gzip"
        assert isinstance(response.json(), list)  # httpx decompressed it


def test_cors_follows_the_release(server: TestClient, version: str) -> None:
    origin = {"origin": "http://example.test"}
    simple = server.get("/api/v1/version", headers=origin)
    preflight = server.options("/api/v1/run/x", headers={**origin, "access-control-request-method": "POST"})
    if version == "1.13.0":
        assert simple.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in simple.headers
        assert preflight.headers["access-control-allow-origin"] == "*"
    else:
        assert preflight.headers["access-control-allow-origin"] == "http://example.test"
        assert preflight.headers["access-control-allow-credentials"] == "true"
        assert simple.headers["access-control-allow-credentials"] == "true"
        assert simple.headers["access-control-allow-origin"] == ("*" if version == "1.7.1" else "http://example.test")


ORIGIN = {"origin": "http://example.test"}


def preflight(client: TestClient, method: str, headers: str | None = None) -> Any:
    asked = {**ORIGIN, "access-control-request-method": method}
    if headers is not None:
        asked["access-control-request-headers"] = headers
    return client.options("/api/v1/run/x", headers=asked)


def test_cors_allow_methods_limits_preflights_not_requests(make_client: Make, version: str) -> None:
    client = make_client(langflow_version=version, cors_allow_methods=["GET", "POST"])
    allowed, refused = preflight(client, "POST"), preflight(client, "PUT")
    assert (allowed.status_code, allowed.text) == (200, "OK")
    assert (refused.status_code, refused.text) == (400, "Disallowed CORS method")
    for answer in (allowed, refused):
        assert answer.headers["access-control-allow-methods"] == "GET, POST"
    # A method is checked as Starlette spells it: no case folding
    assert preflight(client, "post").text == "Disallowed CORS method"
    # What a browser sends without a preflight is answered as ever
    simple = client.delete("/api/v1/version", headers=ORIGIN)
    assert simple.status_code == 405 and "access-control-allow-origin" in simple.headers
    # "*" stands for the release's whole list, which still refuses a method outside it
    everything = make_client(langflow_version=version)
    assert preflight(everything, "TRACE").text == "Disallowed CORS method"
    assert preflight(everything, "DELETE").headers["access-control-allow-methods"].startswith("DELETE, GET, HEAD")


def test_cors_allow_headers_limits_preflights_to_a_fixed_list(make_client: Make, version: str) -> None:
    client = make_client(langflow_version=version, cors_allow_headers=["X-Api-Key"])
    allowed = preflight(client, "POST", "x-api-key, Content-Type")
    assert (allowed.status_code, allowed.text) == (200, "OK")
    # Starlette's safelisted headers join the configured ones, sorted, in place of the requested ones
    listed = "Accept, Accept-Language, Content-Language, Content-Type, X-Api-Key"
    assert allowed.headers["access-control-allow-headers"] == listed
    refused = preflight(client, "POST", "x-api-key,authorization")
    assert (refused.status_code, refused.text) == (400, "Disallowed CORS headers")
    assert refused.headers["access-control-allow-headers"] == listed
    assert "access-control-allow-headers" in preflight(client, "POST").headers
    # Every failure is named, in Starlette's order
    both = make_client(langflow_version=version, cors_origins=["http://other.test"], cors_allow_methods=["GET"],
                       cors_allow_headers=["X-Api-Key"])
    answer = preflight(both, "POST", "authorization")
    assert (answer.status_code, answer.text) == (400, "Disallowed CORS origin, method, headers")
    assert "access-control-allow-origin" not in answer.headers


def test_a_private_network_preflight_is_refused_from_1_8_on(server: TestClient, version: str) -> None:
    # Starlette 0.51 began checking it (Langflow never allows it); 1.7.1 shipped 0.50
    answer = server.options("/api/v1/run/x", headers={**ORIGIN, "access-control-request-method": "GET",
                                                      "access-control-request-private-network": "true"})
    assert (answer.status_code, answer.text) == ((200, "OK") if version == "1.7.1" else
                                                 (400, "Disallowed CORS private-network"))


def test_cors_allow_credentials_off_drops_the_credentials_header(make_client: Make, version: str) -> None:
    listed = make_client(langflow_version=version, cors_origins=["http://example.test"], cors_allow_credentials=False)
    answers = (listed.get("/api/v1/version", headers=ORIGIN), preflight(listed, "POST"))
    for answer in answers:
        assert answer.headers["access-control-allow-origin"] == "http://example.test"
        assert "access-control-allow-credentials" not in answer.headers
        assert answer.headers["vary"].startswith("Origin")
    # With every origin allowed, nothing depends on the Origin any more: `*`, and no `vary` where the release only
    # sent one for an echoed origin (1.13 already forces credentials off here)
    wildcard = make_client(langflow_version=version, cors_allow_credentials=False)
    simple, asked = wildcard.get("/api/v1/version", headers=ORIGIN), preflight(wildcard, "POST")
    for answer in (simple, asked):
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in answer.headers
        assert ("vary" in answer.headers) == (version == "1.13.0")


def test_422_items_keep_input_before_1_13(server: TestClient, key: dict[str, str], version: str) -> None:
    items = server.get("/api/v1/flows/not-a-uuid", headers=key).json()["detail"]
    if version == "1.13.0":
        assert len(items) == 2 and "input" not in items[0]
    else:
        assert len(items) == 1
        assert items[0]["input"] == "not-a-uuid"
        assert "expected an optional prefix of `urn:uuid:`" in items[0]["msg"]


# --- flows, files, projects, MCP --------------------------------------------------------------------------


def test_patch_semantics_of_1_7_1(make_client: Make, chat_flow: dict[str, Any]) -> None:
    server = make_client(langflow_version="1.7.1")
    key = {"x-api-key": new_api_key(server)}
    flow = create_flow(server, key, {**chat_flow, "endpoint_name": "chat"})
    create_flow(server, key, {"name": "Other", "endpoint_name": "taken", "data": chat_flow["data"]})
    patched = server.patch(f"/api/v1/flows/{flow['id']}", json={"description": "d"}, headers=key)
    assert patched.status_code == 200 and patched.json()["endpoint_name"] is None
    taken = server.patch(f"/api/v1/flows/{flow['id']}", json={"endpoint_name": "taken"}, headers=key)
    assert (taken.status_code, taken.json()) == (400, {"detail": " flow must be unique"})
    empty = create_flow(server, key, {"name": "No data"})
    broken = server.patch(f"/api/v1/flows/{empty['id']}", json={}, headers=key)
    assert (broken.status_code, broken.json()) == (500, {"detail": "argument of type 'NoneType' is not iterable"})
    assert server.put(f"/api/v1/flows/{flow['id']}", json=chat_flow, headers=key).status_code == 405


def test_upload_errors_before_1_13(make_client: Make) -> None:
    server = make_client(langflow_version="1.8")
    key = {"x-api-key": new_api_key(server)}
    bad = server.post("/api/v1/flows/upload/", files={"file": ("bad.json", b"{not json", "application/json")},
                      headers=key)
    assert (bad.status_code, bad.json()) == (500, {"message": "unexpected character: line 1 column 2 (char 1)"})
    missing = server.post("/api/v1/flows/upload/", headers=key)
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "file"]
    invalid = server.post("/api/v1/flows/", json={"name": "x", "endpoint_name": "has spaces"}, headers=key)
    assert invalid.json() == {
        "detail": "Endpoint name must contain only letters, numbers, hyphens, and underscores"}


def test_download_names_follow_the_release(server: TestClient, key: dict[str, str], flow: dict[str, Any],
                                           chat_flow: dict[str, Any], version: str) -> None:
    second = create_flow(server, key, {**chat_flow, "name": "Second"})
    archive = server.post("/api/v1/flows/download/", json=[flow["id"], second["id"]], headers=key)
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    disposition = archive.headers["content-disposition"]
    if version == "1.13.0":
        assert disposition.startswith('attachment; filename="') and "filename*=" in disposition
    else:
        assert re.fullmatch(r"attachment; filename=\d{8}_\d{6}_langflow_flows\.zip", disposition)
    uploaded = server.post("/api/v2/files", files={"file": ("notes.txt", b"hi", "text/plain")}, headers=key).json()
    v2 = server.get(f"/api/v2/files/{uploaded['id']}", headers=key).headers["content-disposition"]
    assert v2 == ('attachment; filename="notes.txt"; filename*=UTF-8\'\'notes.txt' if version == "1.13.0"
                  else 'attachment; filename="notes.txt"')


def test_wrapped_500s_before_1_13(server: TestClient, key: dict[str, str], version: str) -> None:
    nil = "00000000-0000-4000-8000-000000000000"
    rename = server.put(f"/api/v2/files/{nil}", params={"name": "x"}, headers=key)
    project = server.get(f"/api/v1/mcp/project/{nil}", headers=key)
    if version == "1.13.0":
        assert (rename.status_code, project.status_code) == (404, 404)
    else:
        assert (rename.status_code, rename.json()) == (500, {"detail": "Error editing file: 404: File not found"})
        assert (project.status_code, project.json()) == (500, {"detail": "404: Project not found"})


def test_mcp_server_list_is_a_hidden_file_before_1_13(server: TestClient, key: dict[str, str],
                                                      version: str) -> None:
    assert len(server.get("/api/v2/mcp/servers", headers=key).json()) == 1
    server.post("/api/v2/files", files={"file": ("a.txt", b"a", "text/plain")}, headers=key)
    deleted = server.delete("/api/v2/files", headers=key).json()["message"]
    servers = server.get("/api/v2/mcp/servers", headers=key).json()
    if version == "1.13.0":
        assert (deleted, len(servers)) == ("All 1 files deleted successfully", 1)
    else:
        assert (deleted, servers) == ("All 2 files deleted successfully", [])


def test_mcp_tools_and_server_info_follow_the_release(server: TestClient, key: dict[str, str],
                                                      flow: dict[str, Any], version: str) -> None:
    headers = {**key, "accept": "application/json, text/event-stream", "content-type": "application/json"}
    init = server.post("/api/v1/mcp/streamable", headers=headers, json={
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    info = json.loads(init.text.split("data: ", 1)[1].strip())["result"]["serverInfo"]
    assert info["version"] == {"1.13.0": "1.30.0", "1.8.4": "1.26.0", "1.7.1": "1.25.0"}[version]
    tools = server.post("/api/v1/mcp/streamable", headers=headers,
                        json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    listed = json.loads(tools.text.split("data: ", 1)[1].strip())["result"]["tools"]
    assert ("session_id" in listed[0]["inputSchema"]["properties"]) is (version == "1.13.0")


def test_run_stream_errors_are_empty_in_1_7_1(make_client: Make) -> None:
    server = make_client(langflow_version="1.7.1")
    key = {"x-api-key": new_api_key(server)}
    empty = create_flow(server, key, {"name": "No data"})
    response = server.post(f"/api/v1/run/{empty['id']}?stream=true", json={"input_value": "x"}, headers=key)
    assert (response.status_code, response.content) == (200, b"")


def test_workflow_api_is_absent_in_1_7_1(make_client: Make) -> None:
    server = make_client(langflow_version="1.7.1")
    key = {"x-api-key": new_api_key(server)}
    assert server.post("/api/v2/workflows", json={"flow_id": "x"}, headers=key).status_code == 405
    assert server.get("/api/v2/workflows", params={"job_id": "x"}, headers=key).headers["content-type"].startswith(
        "text/html")
    backend = make_client(langflow_version="1.7.1", backend_only=True)
    assert backend.post("/api/v2/workflows", json={"flow_id": "x"}).status_code == 404


def test_example_flows_are_listed_only_with_auto_login(make_client: Make, version: str) -> None:
    with_auto = make_client(langflow_version=version)
    key = {"x-api-key": new_api_key(with_auto)}
    assert with_auto.get("/api/v1/flows/", params={"header_flows": "true"}, headers=key).json() != []
    without = make_client(langflow_version=version, auto_login=False, superuser="admin", superuser_password="pw")
    token = without.post("/api/v1/login", data={"username": "admin", "password": "pw"}).json()["access_token"]
    without.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    listed = without.get("/api/v1/flows/", params={"header_flows": "true"}, headers=bearer)
    assert (listed.status_code, listed.json()) == (200, [])
