"""Health, version, config, the component catalog, deprecated routes, unknown routes, CORS, gzip, the body
size limit and global variables, as Langflow 1.13 answers them (facts 5, 13, 17, 39, 43-45)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from mock_langflow.app import create_app
from mock_langflow.settings import Settings
from tests.api.test_projects import opened
from tests.conftest import auto_login_token, new_api_key, other_user_key, restore_not_null

FLOW_ID = "cbdd79bc-9a40-47eb-9449-bc9dda06ba67"
# /api/v1/config without credentials (config.json) ...
CONFIG_PUBLIC: dict[str, Any] = {
    "feature_flags": {"wxo_deployments": False, "mvp_components": False, "instance_migration": False,
                      "data_subject_requests": False},
    "max_file_size_upload": 1024, "event_delivery": "streaming", "voice_mode_available": False,
    "frontend_timeout": 0, "mcp_base_url": "", "enable_extension_reload": False, "authz_enabled": False,
    "catalog_governance_enabled": False, "substitute_outdated_component_code": True, "type": "public",
    "allow_custom_components": True,
}
# ... and with an API key (config_with_key.json): every public key plus 25 more.
CONFIG_FULL: dict[str, Any] = {
    **CONFIG_PUBLIC, "type": "full", "serialization_max_items_length": 1000, "serialization_max_text_length": 6000,
    "auto_saving": True, "auto_saving_interval": 5000, "health_check_max_retries": 5, "webhook_polling_interval": 0,
    "public_flow_cleanup_interval": 3600, "public_flow_expiration": 86400, "webhook_auth_enable": True,
    "default_folder_name": "Starter Project", "hide_getting_started_progress": False, "embedded_mode": False,
    "hide_logout_button": False, "hide_new_project_button": False, "hide_new_flow_button": False,
    "hide_starter_projects": False, "mcp_servers_locked": False, "custom_component_admin_only": False,
    "a2a_enabled": False, "agentic_experience": True, "assistant_max_message_length": 2000,
    "local_vector_store_available": True, "default_vector_store_backend": "sqlite",
    "configured_vector_store_backends": [], "blocked_component_types": [],
}
CREDENTIAL_NAMES = ["ASTRA_TOKEN", "COMPONENT_ID", "FIELD_NAME", "FLOW_ID"]
METHOD_NOT_ALLOWED = {"detail": errors.METHOD_NOT_ALLOWED}
NOT_FOUND = {"detail": errors.NOT_FOUND}


def allowed(response: Any) -> set[str]:
    return {m.strip() for m in response.headers["allow"].split(",")}


# --- health, version, config --------------------------------------------------------------------------


def test_health_routes_answer_without_credentials(client: TestClient) -> None:
    expected = {"/health": {"status": "ok"}, "/health_check": {"status": "ok", "chat": "ok", "db": "ok"},
                "/healthz": {"status": "ok", "chat": "ok", "db": "ok"}}
    for path, body in expected.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json() == body


def test_version_names_langflow_1_13_0(client: TestClient, key_headers: dict[str, str]) -> None:
    for headers in ({}, key_headers):
        response = client.get("/api/v1/version", headers=headers)
        assert response.status_code == 200
        assert response.json() == {"version": "1.13.0", "main_version": "1.13.0", "package": "Langflow"}


def test_config_without_credentials_is_the_public_shape(client: TestClient) -> None:
    response = client.get("/api/v1/config")
    assert response.status_code == 200
    assert response.json() == CONFIG_PUBLIC


def test_config_with_a_key_is_the_full_shape(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/config", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == CONFIG_FULL


def test_config_reports_the_upload_limit_setting(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_file_size_upload=5)
    assert client.get("/api/v1/config").json() == {**CONFIG_PUBLIC, "max_file_size_upload": 5}
    full = client.get("/api/v1/config", headers={"x-api-key": new_api_key(client)}).json()
    assert full["max_file_size_upload"] == 5


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_config_shows_langflows_ui_settings_where_the_release_has_them(make_client: Callable[..., TestClient],
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       version: str) -> None:
    """A front end configured through Langflow's environment (auto-save, event delivery, embedding) reads the
    same /config from the mock; a key the release's /config lacks is not added, an unset one keeps its value."""
    default = make_client(langflow_version=version)
    for name, value in (("AUTO_SAVING", "false"), ("AUTO_SAVING_INTERVAL", "250"), ("EVENT_DELIVERY", "direct"),
                        ("FRONTEND_TIMEOUT", "30"), ("PUBLIC_FLOW_EXPIRATION", "7200"), ("MAX_TEXT_LENGTH", "99"),
                        ("EMBEDDED_MODE", "true"), ("ENABLE_EXTENSION_RELOAD", "true")):
        monkeypatch.setenv(f"LANGFLOW_{name}", value)
    client = make_client(langflow_version=version)
    shown, before = (c.get("/api/v1/config", headers={"Authorization": f"Bearer {auto_login_token(c)}"}).json()
                     for c in (client, default))
    assert set(shown) == set(before)
    changed = {key: value for key, value in shown.items() if before[key] != value}
    expected = {"auto_saving": False, "auto_saving_interval": 250, "event_delivery": "direct", "frontend_timeout": 30,
                "public_flow_expiration": 7200, "serialization_max_text_length": 99}
    if version == "1.13.0":  # embedded mode shows every hide flag on; 1.13 shows the extension reload switch
        expected |= {"embedded_mode": True, "hide_logout_button": True, "hide_new_project_button": True,
                     "hide_new_flow_button": True, "hide_starter_projects": True, "enable_extension_reload": True}
    assert changed == expected


def test_1_13s_assistant_refuses_a_message_over_its_configured_length(make_client: Callable[..., TestClient]) -> None:
    client = make_client(assistant_max_message_length=10)
    headers = {"x-api-key": new_api_key(client)}
    assert client.get("/api/v1/config", headers=headers).json()["assistant_max_message_length"] == 10
    response = client.post("/api/v1/agentic/assist/run", json={"instruction": "x" * 11}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Value error, Message is too long: 11 characters, limit is 10."


@pytest.mark.parametrize(("name", "value"), [("LANGFLOW_PUBLIC_FLOW_EXPIRATION", "600"),
                                             ("LANGFLOW_EVENT_DELIVERY", "websocket"),
                                             ("LANGFLOW_ASSISTANT_MAX_MESSAGE_LENGTH", "0")])
def test_a_config_setting_langflow_refuses_stops_the_start(monkeypatch: pytest.MonkeyPatch, name: str,
                                                           value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        Settings()


# --- the component catalog ----------------------------------------------------------------------------


def test_all_needs_credentials(client: TestClient) -> None:
    response = client.get("/api/v1/all")
    assert response.status_code == 403
    assert response.json() == {"detail": errors.NO_CREDENTIALS}


def test_all_lists_component_templates_by_category(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/all", headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert {"ChatInput", "ChatOutput"} <= set(body["input_output"])
    assert body["input_output"]["ChatInput"]["display_name"] == "Chat Input"
    assert body["input_output"]["ChatOutput"]["display_name"] == "Chat Output"
    components = [c for category, members in body.items() if category != "component_display_names"
                  for c in members.values()]
    assert components
    for component in components:
        template = component["template"]
        assert template["_type"] == "Component"
        fields = {name: f for name, f in template.items() if name != "_type"}
        assert all(f["name"] == name and isinstance(f["type"], str) for name, f in fields.items())
        assert fields["code"]["type"] == "code"


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_all_holds_only_categories(make_client: Callable[..., TestClient], version: str) -> None:
    # component_display_names came with 1.13: before, every key of the body is a category of components.
    client = make_client(langflow_version=version)
    body = client.get("/api/v1/all", headers={"x-api-key": new_api_key(client)}).json()
    assert "component_display_names" not in body
    assert all(isinstance(c, dict) and "template" in c for members in body.values() for c in members.values())


def test_1_13_all_lists_each_components_known_names(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's `component_display_names`: for each component's key, every name its display name, description and
    fields' display names are known by (Langflow's locale files add their translations; the mock ships none)."""
    names = client.get("/api/v1/all", headers=key_headers).json()["component_display_names"]
    assert names["chatinput"] == {
        "display_name": ["Chat Input"], "description": ["Takes the chat message a user sends to the flow."],
        "fields": {"context_id": {"display_name": ["Context ID"]}, "files": {"display_name": ["Files"]},
                   "input_value": {"display_name": ["Input Text"]}, "sender": {"display_name": ["Sender Type"]},
                   "sender_name": {"display_name": ["Sender Name"]}, "session_id": {"display_name": ["Session ID"]},
                   "should_store_message": {"display_name": ["Store Messages"]}}}


def test_all_serves_no_langflow_source_code(client: TestClient, key_headers: dict[str, str]) -> None:
    body = client.get("/api/v1/all", headers=key_headers).json()
    codes = [c["template"]["code"]["value"] for category, members in body.items()
             if category != "component_display_names" for c in members.values()]
    assert codes
    assert not [code for code in codes if "lfx" in code]


# --- deprecated routes --------------------------------------------------------------------------------


def test_task_is_deprecated_and_needs_no_credentials(client: TestClient) -> None:
    response = client.get("/api/v1/task/x")
    assert response.status_code == 400
    assert response.json() == {"detail": "The /task endpoint is deprecated and will be removed in a future version. "
                                         "Please use /run instead."}


def test_process_and_predict_are_deprecated(client: TestClient, key_headers: dict[str, str]) -> None:
    for route in ("process", "predict"):
        response = client.post(f"/api/v1/{route}/{FLOW_ID}", json={}, headers=key_headers)
        assert response.status_code == 400
        assert response.json() == {"detail": "The /process endpoint is deprecated and will be removed in a future "
                                             "version. Please use /run instead."}


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_process_and_predict_check_the_api_key_before_the_deprecation(make_client: Callable[..., TestClient],
                                                                      version: str) -> None:
    """Their API key check is a route dependency (api_key_security): without a valid key a client gets /run's
    403, never the 400."""
    client = make_client(langflow_version=version)
    for route in ("process", "predict"):
        missing = client.post(f"/api/v1/{route}/{FLOW_ID}", json={})
        assert missing.status_code == 403
        assert missing.json()["detail"].startswith("Since v1.5, LANGFLOW_AUTO_LOGIN requires a valid API key.")
        wrong = client.post(f"/api/v1/{route}/{FLOW_ID}", json={}, headers={"x-api-key": "sk-wrong"})
        assert (wrong.status_code, wrong.json()) == (403, {"detail": "Invalid or missing API key"})


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_the_store_checks_say_the_store_is_on_and_whether_the_caller_saved_a_key(
        make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    assert client.get("/api/v1/store/check/").json() == {"enabled": True}
    headers = {"x-api-key": new_api_key(client)}
    assert client.get("/api/v1/store/check/api_key").status_code == 403
    assert client.get("/api/v1/store/check/api_key", headers=headers).json() == {
        "has_api_key": False, "is_valid": False}
    assert client.post("/api/v1/api_key/store", json={"api_key": "store-key"}, headers=headers).status_code == 200
    assert client.get("/api/v1/store/check/api_key", headers=headers).json() == {
        "has_api_key": True, "is_valid": False}


# --- unknown routes and methods -----------------------------------------------------------------------


def test_unknown_api_get_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    for path in ("/api/v1/does-not-exist", "/api/v2/nope"):
        response = client.get(path, headers=key_headers)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_unknown_api_post_is_405_allowing_get_and_head(client: TestClient) -> None:
    response = client.post("/api/v1/does-not-exist")
    assert response.status_code == 405
    assert response.json() == METHOD_NOT_ALLOWED
    assert allowed(response) == {"GET", "HEAD"}


def test_post_to_version_is_405_allowing_get(client: TestClient) -> None:
    response = client.post("/api/v1/version")
    assert response.status_code == 405
    assert response.json() == METHOD_NOT_ALLOWED
    assert response.headers["allow"] == "GET"


def test_put_on_the_flows_collection_is_405_allowing_post(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.put("/api/v1/flows/", json={}, headers=key_headers)
    assert response.status_code == 405
    assert response.json() == METHOD_NOT_ALLOWED
    assert response.headers["allow"] == "POST"


def test_get_on_run_is_404_not_405(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get(f"/api/v1/run/{FLOW_ID}", headers=key_headers)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_non_api_get_is_the_frontend_page(client: TestClient) -> None:
    for path in ("/some/frontend/route", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.text.startswith("<!doctype html>")
        assert "<title>Langflow" in response.text


def test_a_head_of_a_health_route_is_its_405(client: TestClient) -> None:
    # 1.13 serves its frontend files as low-priority routes: a route matching by path alone answers first.
    for path in ("/health", "/health_check", "/healthz"):
        response = client.head(path)
        assert response.status_code == 405, path
        assert response.headers["allow"] == "GET"


def test_other_methods_on_an_unknown_page_get_the_page(client: TestClient) -> None:
    # Langflow 1.13's frontend files refuse them with a 404, which its 404 handler answers with the page.
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        response = client.request(method, "/some/frontend/route")
        assert response.status_code == 200, method
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.text.startswith("<!doctype html>")
    root = client.post("/")
    assert root.status_code == 405
    assert allowed(root) == {"GET", "HEAD"}


def test_a_page_path_with_a_slash_too_many_redirects_to_its_route(client: TestClient) -> None:
    response = client.get("/health/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"].endswith("/health")


def test_backend_only_has_no_frontend_page(make_client: Callable[..., TestClient]) -> None:
    client = make_client(backend_only=True)
    for path in ("/some/frontend/route", "/api/v1/does-not-exist"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == NOT_FOUND


# --- CORS, gzip, size limit ---------------------------------------------------------------------------


def test_cors_preflight_allows_any_origin(client: TestClient) -> None:
    response = client.options(f"/api/v1/run/{FLOW_ID}", headers={
        "Origin": "http://example.test", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-api-key,content-type"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert response.text == "OK"


def test_simple_request_with_an_origin_allows_any_origin(client: TestClient) -> None:
    response = client.get("/api/v1/version", headers={"Origin": "http://example.test"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.json()["version"] == "1.13.0"


def cors_from_environment(make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, methods: str,
                          headers: str) -> TestClient:
    monkeypatch.setenv("LANGFLOW_CORS_ORIGINS", "http://example.test")
    monkeypatch.setenv("LANGFLOW_CORS_ALLOW_METHODS", methods)
    monkeypatch.setenv("LANGFLOW_CORS_ALLOW_HEADERS", headers)
    monkeypatch.setenv("LANGFLOW_CORS_ALLOW_CREDENTIALS", "false")
    return make_client()


PREFLIGHT = {"Origin": "http://example.test", "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "x-trace"}


def test_the_cors_lists_are_read_from_the_environment_as_json(make_client: Callable[..., TestClient],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    client = cors_from_environment(make_client, monkeypatch, '["GET", "POST"]', '["X-Api-Key", "X-Trace"]')
    response = client.options(f"/api/v1/run/{FLOW_ID}", headers=PREFLIGHT)
    assert (response.status_code, response.text) == (200, "OK")
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    assert response.headers["access-control-allow-headers"] == (
        "Accept, Accept-Language, Content-Language, Content-Type, X-Api-Key, X-Trace")
    assert "access-control-allow-credentials" not in response.headers
    refused = client.options(f"/api/v1/run/{FLOW_ID}", headers={**PREFLIGHT, "Access-Control-Request-Method": "PATCH"})
    assert (refused.status_code, refused.text) == (400, "Disallowed CORS method")


def test_comma_separated_cors_lists_are_one_string_as_langflow_reads_them(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    """Langflow keeps such text whole and Starlette goes through it letter by letter: a method passes as a
    substring of it, a named header never does. A deployment configured so fails its browser's preflights, here
    as there (a JSON list is what works)."""
    client = cors_from_environment(make_client, monkeypatch, "GET, POST", "X-Api-Key, X-Trace")
    response = client.options(f"/api/v1/run/{FLOW_ID}", headers=PREFLIGHT)
    assert (response.status_code, response.text) == (400, "Disallowed CORS headers")
    assert response.headers["access-control-allow-methods"] == ", ".join("GET, POST")
    plain = client.options(f"/api/v1/run/{FLOW_ID}", headers={k: v for k, v in PREFLIGHT.items()
                                                                 if k != "Access-Control-Request-Headers"})
    assert (plain.status_code, plain.text) == (200, "OK")


def test_json_bodies_of_1000_bytes_or_more_are_gzipped(client: TestClient, key_headers: dict[str, str]) -> None:
    big = client.get("/api/v1/config", headers={**key_headers, "Accept-Encoding": "gzip"})
    assert big.status_code == 200
    assert len(json.dumps(big.json(), separators=(",", ":"))) >= 1000
    assert big.headers["content-encoding"] == "gzip"
    assert big.json() == CONFIG_FULL
    small = client.get("/api/v1/config", headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 200
    assert "content-encoding" not in small.headers
    assert small.json() == CONFIG_PUBLIC


def test_a_body_over_the_size_limit_is_413_and_nothing_is_created(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_file_size_upload=1)
    headers = {"x-api-key": new_api_key(client)}
    name = b'{"name": "too big", "description": "'
    body = name + b"a" * (1024 * 1024 + 10 - len(name) - 2) + b'"}'
    assert len(body) == 1024 * 1024 + 10
    response = client.post("/api/v1/flows/", content=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "Content size limit exceeded. Maximum allowed is 1MB and got 1.0MB."}
    listed = client.get("/api/v1/flows/", params={"get_all": "false"}, headers=headers).json()
    assert listed["total"] == 0


# --- global variables ---------------------------------------------------------------------------------

NO_FIELDS = {"default_fields": []}  # a create body must carry default_fields (Langflow's VariableCreate)


def test_variables_list_the_four_credentials_without_values(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/variables/", headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert [v["name"] for v in body] == CREDENTIAL_NAMES
    for variable in body:
        assert {k: v for k, v in variable.items() if k != "id"} == {
            "name": variable["name"], "type": "Credential", "value": None, "has_value": False, "default_fields": [],
            "is_owner": True, "can_manage_shares": True, "validation_error": None, "is_valid": None}


def test_a_variable_sent_without_a_type_is_a_credential_listed_without_its_value(
        client: TestClient, key_headers: dict[str, str]) -> None:
    created = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "MY_TOKEN", "value": "secret"},
                          headers=key_headers)
    assert created.status_code == 201
    assert (created.json()["type"], created.json()["has_value"]) == ("Credential", True)
    listed = [v for v in client.get("/api/v1/variables/", headers=key_headers).json() if v["name"] == "MY_TOKEN"]
    assert [(v["type"], v["value"]) for v in listed] == [("Credential", None)]


def test_a_variable_create_needs_default_fields_which_may_be_null(client: TestClient,
                                                                  key_headers: dict[str, str]) -> None:
    """Langflow's VariableCreate declares default_fields without a default: left out, it is a 422; null is
    accepted and stored as []."""
    missing = client.post("/api/v1/variables/", json={"name": "NO_FIELDS", "value": "v"}, headers=key_headers)
    assert missing.status_code == 422
    assert [(e["type"], e["loc"]) for e in missing.json()["detail"]] == [("missing", ["body", "default_fields"])]
    assert "NO_FIELDS" not in [v["name"] for v in client.get("/api/v1/variables/", headers=key_headers).json()]
    null = client.post("/api/v1/variables/", json={"name": "NULL_FIELDS", "value": "v", "default_fields": None,
                                                   "type": "Generic"}, headers=key_headers)
    assert null.status_code == 201
    assert (null.json()["default_fields"], null.json()["value"]) == ([], "v")


@pytest.mark.parametrize("version", ["1.13.0", "1.8", "1.7.1"])
def test_a_variable_delete_is_an_empty_204_saying_json(make_client: Callable[..., TestClient], version: str) -> None:
    """Every release's delete handler returns nothing, which FastAPI answers with a JSON content type (as the
    message deletes; a project delete, returning its own empty answer, has none)."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/variables/", json={"name": "GONE", "value": "v", "type": "Generic",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    deleted = client.delete(f"/api/v1/variables/{made.json()['id']}", headers=headers)
    assert (deleted.status_code, deleted.content, deleted.headers.get("content-type")) == (
        204, b"", "application/json")


def test_a_sign_in_brings_back_the_default_credentials(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow 1.13 adds its agentic Credentials at every login and auto-login, each one the user lacks."""
    listed = client.get("/api/v1/variables/", headers=key_headers).json()
    for variable in listed:
        assert client.delete(f"/api/v1/variables/{variable['id']}", headers=key_headers).status_code == 204
    assert client.get("/api/v1/variables/", headers=key_headers).json() == []
    auto_login_token(client)
    again = client.get("/api/v1/variables/", headers=key_headers).json()
    assert [(v["name"], v["type"], v["has_value"]) for v in again] == \
        [(name, "Credential", False) for name in CREDENTIAL_NAMES]
    assert not {v["id"] for v in again} & {v["id"] for v in listed}  # new variables
    auto_login_token(client)
    assert client.get("/api/v1/variables/", headers=key_headers).json() == again  # none twice


def test_a_restart_brings_back_the_agentic_variables_as_unlisted_placeholders(tmp_path: Path) -> None:
    """Langflow's start gives every user lacking FLOW_ID, COMPONENT_ID or FIELD_NAME a Generic variable of that
    name with an empty value, which 1.13's list leaves out and which holds no name; its next sign-in adds the
    Credentials it lacks."""
    key = "sk-" + "r" * 43
    headers = {"x-api-key": key}
    settings = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key)
    with TestClient(create_app(settings)) as client:
        for variable in client.get("/api/v1/variables/", headers=headers).json():
            client.delete(f"/api/v1/variables/{variable['id']}", headers=headers)
        assert client.get("/api/v1/variables/", headers=headers).json() == []
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/variables/", headers=headers).json() == []
        created = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "FLOW_ID", "value": "f"},
                              headers=headers)
        assert created.status_code == 201
        auto_login_token(client)
        again = client.get("/api/v1/variables/", headers=headers).json()
        assert [v["name"] for v in again] == CREDENTIAL_NAMES


def test_before_1_8_a_start_with_the_agentic_experience_on_lists_its_placeholders(
        make_client: Callable[..., TestClient]) -> None:
    """1.7.1 lists every variable, so the start's empty Generic FLOW_ID, COMPONENT_ID and FIELD_NAME show (their
    value decrypted to ""), and hold their names: a login then adds only the ASTRA_TOKEN Credential."""
    client = make_client(langflow_version="1.7.1", agentic_experience="true")
    headers = {"x-api-key": new_api_key(client)}
    assert [(v["name"], v["type"], v["value"]) for v in client.get("/api/v1/variables/", headers=headers).json()] \
        == [("FLOW_ID", "Generic", ""), ("COMPONENT_ID", "Generic", ""), ("FIELD_NAME", "Generic", "")]
    password_login(client)
    assert [(v["name"], v["type"]) for v in client.get("/api/v1/variables/", headers=headers).json()] == [
        ("FLOW_ID", "Generic"), ("COMPONENT_ID", "Generic"), ("FIELD_NAME", "Generic"), ("ASTRA_TOKEN", "Credential")]


def listed(client: TestClient, headers: dict[str, str]) -> dict[str, tuple[str, bool | None, Any]]:
    """{name: (type, has_value, default_fields)} of the caller's variables."""
    return {v["name"]: (v["type"], v.get("has_value"), v["default_fields"])
            for v in client.get("/api/v1/variables/", headers=headers).json()}


@pytest.mark.parametrize(("version", "groq"), [("1.13", None), ("1.8", "Credential")])
def test_a_server_stores_its_environments_provider_keys_as_the_users_credentials(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, version: str,
        groq: str | None) -> None:
    """Langflow stores the server environment's provider keys (and LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT's
    names) that are set as the users' Credentials, without default fields. 1.13 skips a model provider's key
    set to the placeholder "dummy" (Groq's is none in 1.8); the mock's own settings are never stored."""
    monkeypatch.setenv("OPENAI_API_KEY", "  sk-from-env  ")
    monkeypatch.setenv("GROQ_API_KEY", "Dummy")
    monkeypatch.setenv("TAVILY_API_KEY", "   ")
    monkeypatch.setenv("VARS_TEST_EXTRA", "extra")
    monkeypatch.setenv("MOCK_LANGFLOW_VARS_TEST", "mock-setting")
    client = make_client(langflow_version=version,
                         variables_to_get_from_environment="VARS_TEST_EXTRA,MOCK_LANGFLOW_VARS_TEST")
    headers = {"x-api-key": new_api_key(client)}
    names = listed(client, headers)
    assert names["OPENAI_API_KEY"][0] == names["VARS_TEST_EXTRA"][0] == "Credential"
    assert names["OPENAI_API_KEY"][2] == names["VARS_TEST_EXTRA"][2] == []
    assert names.get("GROQ_API_KEY", (None,))[0] == groq
    assert "TAVILY_API_KEY" not in names and "MOCK_LANGFLOW_VARS_TEST" not in names
    made = client.post("/api/v1/variables/", json={"name": "OPENAI_API_KEY", "value": "mine", "default_fields": []},
                       headers=headers)
    assert made.status_code == 400 and made.json() == {"detail": "Variable name already exists"}


@pytest.mark.parametrize(("version", "stored"), [("1.13", True), ("1.8", True), ("1.7.1", False)])
def test_the_watsonx_names_come_from_the_environment_since_1_8(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, version: str, stored: bool) -> None:
    """1.7.1's list of environment names (lfx 0.2's) has no IBM WatsonX names: a WATSONX_APIKEY set on the server
    is no Credential there, where 1.8 and 1.13 store it (an added LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT name
    is stored in every release)."""
    monkeypatch.setenv("WATSONX_APIKEY", "ibm-key")
    monkeypatch.setenv("COHERE_API_KEY", "co-key")
    client = make_client(langflow_version=version)
    names = listed(client, {"x-api-key": new_api_key(client)})
    assert ("WATSONX_APIKEY" in names, "COHERE_API_KEY" in names) == (stored, True)


@pytest.mark.parametrize(("version", "setting", "agentic", "stored"), [
    ("1.8", "VARS_TEST_EXTRA", None, True), ("1.7.1", "VARS_TEST_EXTRA", "TRUE", True),
    ("1.8", "VARS_TEST_EXTRA", "false", False), ("1.8", None, None, False),
])
def test_before_1_13_a_names_setting_brings_the_agentic_names_from_the_environment(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, version: str, setting: str | None,
        agentic: str | None, stored: bool) -> None:
    """1.8's and 1.7.1's settings add the agentic names (FLOW_ID, COMPONENT_ID, FIELD_NAME, ASTRA_TOKEN) to the
    LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT names, unless LANGFLOW_AGENTIC_EXPERIENCE says other than "true":
    a FLOW_ID set on the server is then stored as a Credential. Without that setting it is not."""
    monkeypatch.setenv("FLOW_ID", "flow-from-env")
    if agentic is not None:
        monkeypatch.setenv("LANGFLOW_AGENTIC_EXPERIENCE", agentic)
    client = make_client(langflow_version=version, **({} if setting is None else
                                                      {"variables_to_get_from_environment": setting}))
    names = listed(client, {"x-api-key": new_api_key(client)})
    assert ("FLOW_ID" in names) == stored


@pytest.mark.parametrize(("setting", "agentic", "stored"), [
    ("VARS_TEST_EXTRA", None, True), ("VARS_TEST_EXTRA", "1", True), ("VARS_TEST_EXTRA", "off", False),
    (None, None, False),
])
def test_1_13_a_names_setting_brings_the_agentic_names_from_the_environment(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, setting: str | None,
        agentic: str | None, stored: bool) -> None:
    """1.13's settings add the agentic names to the LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT names while its
    agentic experience is on (the boolean: on by default, "1" too). Its import runs before the agentic variables
    are added, so the superuser's FLOW_ID is then the environment's value, and so is a new user's at its login;
    else FLOW_ID is the empty Credential the agentic experience gives (or, off, no variable)."""
    monkeypatch.setenv("FLOW_ID", "flow-from-env")
    client = make_client(**({} if setting is None else {"variables_to_get_from_environment": setting}),
                         **({} if agentic is None else {"agentic_experience": agentic}))
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}  # made, then logged in
    expected = ("Credential", True, []) if stored else None if agentic == "off" else ("Credential", False, [])
    assert (listed(client, admin).get("FLOW_ID"), listed(client, bob).get("FLOW_ID")) == (expected, expected)
    users = client.app.state.mock.store.users  # type: ignore[attr-defined]
    value = users.variable_for_run(client.app.state.mock.superuser_id, "FLOW_ID")[0]  # type: ignore[attr-defined]
    assert value == ("flow-from-env" if stored else None)


def test_without_store_environment_variables_no_credential_comes_from_the_environment(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    client = make_client(store_environment_variables=False)
    assert "OPENAI_API_KEY" not in listed(client, {"x-api-key": new_api_key(client)})


def test_a_login_stores_the_environments_credentials_for_that_user(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    """A user added after start-up gets the environment's Credentials when it logs in (1.13 and 1.8)."""
    client = make_client(langflow_version="1.8")
    admin = {"x-api-key": new_api_key(client)}
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env")
    bob = {"x-api-key": other_user_key(client, admin)}
    assert "ANTHROPIC_API_KEY" in listed(client, bob)
    assert "ANTHROPIC_API_KEY" not in listed(client, admin)  # 1.8's superuser only at start-up and its own login


@pytest.mark.parametrize(("version", "made"), [("1.13", "mine"), ("1.8", "second"), ("1.7.1", "second")])
def test_an_environment_credential_follows_the_environment_until_the_user_sets_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, made: str) -> None:
    """A restart with another value replaces a Credential stored from the environment, unless (1.13, 1.8) the
    user changed it since; 1.13 never replaces a variable the user made, 1.8 one never changed since, 1.7.1 any.
    (The value a run would read for the variable.)"""
    key = "sk-" + "e" * 43
    settings = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, langflow_version=version)
    headers = {"x-api-key": key}
    monkeypatch.setenv("OPENAI_API_KEY", "first")
    monkeypatch.setenv("COHERE_API_KEY", "first")
    with TestClient(create_app(settings)) as client:
        ids = {v["name"]: v["id"] for v in client.get("/api/v1/variables/", headers=headers).json()}
        client.patch(f"/api/v1/variables/{ids['COHERE_API_KEY']}", headers=headers,
                     json={"id": ids["COHERE_API_KEY"], "value": "user-set"})
        client.post("/api/v1/variables/", json={"name": "PINECONE_API_KEY", "value": "mine", "type": "Generic",
                                                "default_fields": []}, headers=headers)
    for name in ("OPENAI_API_KEY", "COHERE_API_KEY", "PINECONE_API_KEY"):
        monkeypatch.setenv(name, "second")
    with TestClient(create_app(settings)) as client:
        users = client.app.state.mock.store.users  # type: ignore[attr-defined]
        user_id = client.app.state.mock.superuser_id  # type: ignore[attr-defined]
        values = {name: users.variable_for_run(user_id, name)[0]
                  for name in ("OPENAI_API_KEY", "COHERE_API_KEY", "PINECONE_API_KEY")}
    assert values == {"OPENAI_API_KEY": "second", "COHERE_API_KEY": "second" if version == "1.7.1" else "user-set",
                      "PINECONE_API_KEY": made}


@pytest.mark.parametrize(("version", "last"), [("1.13", "third"), ("1.8", "second"), ("1.7.1", "third")])
def test_1_8_stops_following_the_environment_once_an_import_has_updated_a_variable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, last: str) -> None:
    """1.8's import writes the environment's value into a variable it finds (the same value too) and stamps it
    updated, and leaves alone a variable updated since its creation: a third start with a new value keeps the
    second one. 1.13 follows the environment while the variable is its own, 1.7.1 always. (The value a run
    would read for the variable.)"""
    key = "sk-" + "h" * 43
    settings = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, langflow_version=version)
    values = []
    for value in ("first", "second", "third"):
        monkeypatch.setenv("OPENAI_API_KEY", value)
        with TestClient(create_app(settings)) as client:
            users = client.app.state.mock.store.users  # type: ignore[attr-defined]
            values.append(users.variable_for_run(client.app.state.mock.superuser_id,  # type: ignore[attr-defined]
                                                 "OPENAI_API_KEY")[0])
    assert values == ["first", "second", last]


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_1_8_gives_provider_variables_from_the_environment_their_providers_default_fields(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    """1.8 stores a model provider's variable from the environment with the default fields [provider, display
    name] where its key check cannot fail (WatsonX's settings and key, Ollama's URL); OpenAI's key would need
    a call to OpenAI, which the mock does not make (none). 1.13 gives none: its providers read them at run
    time."""
    for name, value in (("WATSONX_APIKEY", "ibm-key"), ("WATSONX_PROJECT_ID", "proj"),
                        ("WATSONX_URL", "https://us-south.ml.cloud.ibm.com"), ("OLLAMA_BASE_URL", "http://ollama"),
                        ("OPENAI_API_KEY", "sk-env")):
        monkeypatch.setenv(name, value)
    client = make_client(langflow_version=version, variables_to_get_from_environment="OLLAMA_BASE_URL")
    names = listed(client, {"x-api-key": new_api_key(client)})
    fields = {name: names[name][2] for name in ("WATSONX_APIKEY", "WATSONX_PROJECT_ID", "WATSONX_URL",
                                                "OLLAMA_BASE_URL", "OPENAI_API_KEY")}
    assert fields == ({name: [] for name in fields} if version == "1.13" else {
        "WATSONX_APIKEY": ["IBM WatsonX", "API Key"], "WATSONX_PROJECT_ID": ["IBM WatsonX", "Project ID"],
        "WATSONX_URL": ["IBM WatsonX", "Endpoint URL"], "OLLAMA_BASE_URL": ["Ollama", "Ollama Base URL"],
        "OPENAI_API_KEY": []})


def test_1_8_gives_a_held_provider_variable_without_default_fields_its_providers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A WatsonX setting the user made without default fields and changed since keeps its value at 1.8's next
    import, and gets the provider's default fields; one that has default fields keeps them."""
    key = "sk-" + "k" * 43
    headers = {"x-api-key": key}
    settings = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, langflow_version="1.8")
    with TestClient(create_app(settings)) as client:
        for name, fields in (("WATSONX_URL", []), ("WATSONX_PROJECT_ID", ["Mine"])):
            made = client.post("/api/v1/variables/", json={"name": name, "value": "user", "type": "Generic",
                                                           "default_fields": fields}, headers=headers).json()
            client.patch(f"/api/v1/variables/{made['id']}", json={"id": made["id"], "value": "user-set"},
                         headers=headers)
    monkeypatch.setenv("WATSONX_URL", "https://eu-de.ml.cloud.ibm.com")
    monkeypatch.setenv("WATSONX_PROJECT_ID", "env-project")
    with TestClient(create_app(settings)) as client:
        variables = {v["name"]: (v["value"], v["default_fields"])
                     for v in client.get("/api/v1/variables/", headers=headers).json()}
    assert variables == {"WATSONX_URL": ("user-set", ["IBM WatsonX", "Endpoint URL"]),
                         "WATSONX_PROJECT_ID": ("user-set", ["Mine"])}


@pytest.mark.parametrize(("version", "secret", "shown"), [
    ("1.7.1", "same", "plain"), ("1.7.1", "other", "token"),
    ("1.8", "same", "plain"), ("1.8", "other", None),
    ("1.13", "same", None), ("1.13", "other", None),
])
def test_a_generic_variable_stored_encrypted_by_1_7_1_is_listed_by_the_releases_rule(
        tmp_path: Path, version: str, secret: str, shown: str | None) -> None:
    """1.7.1 stores a Generic variable's value encrypted, and a data dir it leaves keeps it so. Its list shows the
    value decrypted, the token as stored when it does not decrypt (another secret key); 1.8's shows it decrypted
    and leaves it out when it does not decrypt; 1.13's leaves out any Generic holding a token. A variable left
    out does not hold its name: a create with that name makes another."""
    key = "sk-" + "g" * 43
    headers = {"x-api-key": key}
    first = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, langflow_version="1.7.1",
                     secret_key="first-secret-key-for-this-test-0123456789")
    with TestClient(create_app(first)) as client:
        made = client.post("/api/v1/variables/", json={"name": "MY_SETTING", "value": "plain", "type": "Generic",
                                                       "default_fields": []}, headers=headers)
        assert made.status_code == 201
        token = made.json()["value"]
        assert token.startswith("gAAAAA")
    again = first.model_copy(update={"langflow_version": version, "secret_key": "other-secret-key-for-this-test-01"
                                     if secret == "other" else first.secret_key})
    with TestClient(create_app(again)) as client:
        values = [v["value"] for v in client.get("/api/v1/variables/", headers=headers).json()
                  if v["name"] == "MY_SETTING"]
        assert values == ([] if shown is None else [{"plain": "plain", "token": token}[shown]])
        second = client.post("/api/v1/variables/", json={"name": "MY_SETTING", "value": "new", "type": "Generic",
                                                         "default_fields": []}, headers=headers)
        assert second.status_code == (201 if shown is None else 400)


def test_before_1_13_a_sign_in_adds_no_variables(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    auto_login_token(client)
    assert client.get("/api/v1/variables/", headers=headers).json() == []


@pytest.mark.parametrize(("body", "detail"), [
    ({"name": "", "value": "", "default_fields": []}, "Variable name and value cannot be empty"),
    ({"name": "", "value": "v", "default_fields": []}, "Variable name cannot be empty"),
    ({"name": "EMPTY", "value": "", "default_fields": []}, "Variable value cannot be empty"),
])
def test_a_variable_with_an_empty_name_or_value_is_400(client: TestClient, key_headers: dict[str, str],
                                                        body: dict[str, str], detail: str) -> None:
    response = client.post("/api/v1/variables/", json=body, headers=key_headers)
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert "EMPTY" not in [v["name"] for v in client.get("/api/v1/variables/", headers=key_headers).json()]


def test_a_variable_can_be_created_changed_and_deleted(client: TestClient, key_headers: dict[str, str]) -> None:
    created = client.post("/api/v1/variables/",
                          json={**NO_FIELDS, "name": "MY_SETTING", "value": "one", "type": "Generic"},
                          headers=key_headers)
    assert created.status_code == 201
    variable = created.json()
    assert {k: v for k, v in variable.items() if k != "id"} == {
        "name": "MY_SETTING", "type": "Generic", "value": "one", "has_value": True, "default_fields": [],
        "is_owner": True, "can_manage_shares": True, "validation_error": None, "is_valid": None}
    listed = client.get("/api/v1/variables/", headers=key_headers).json()
    assert variable in listed
    patched = client.patch(f"/api/v1/variables/{variable['id']}", json={"id": variable["id"], "value": "two"},
                           headers=key_headers)
    assert patched.status_code == 200
    assert patched.json() == {**variable, "value": "two"}
    assert {**variable, "value": "two"} in client.get("/api/v1/variables/", headers=key_headers).json()
    deleted = client.delete(f"/api/v1/variables/{variable['id']}", headers=key_headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    names = [v["name"] for v in client.get("/api/v1/variables/", headers=key_headers).json()]
    assert names == CREDENTIAL_NAMES


def test_a_variable_patch_needs_its_id_and_writes_the_fields_sent(client: TestClient,
                                                                   key_headers: dict[str, str]) -> None:
    """As Langflow 1.13's VariableUpdate and update_variable_fields: `id` is required in the body, and only the
    fields sent change; a Generic variable with an empty value leaves the list."""
    variable = client.post("/api/v1/variables/",
                           json={**NO_FIELDS, "name": "TO_RENAME", "value": "kept", "type": "Generic"},
                           headers=key_headers).json()
    path = f"/api/v1/variables/{variable['id']}"
    missing = client.patch(path, json={"name": "RENAMED"}, headers=key_headers)
    assert missing.status_code == 422
    assert [(e["type"], e["loc"]) for e in missing.json()["detail"]] == [("missing", ["body", "id"])]
    assert variable in client.get("/api/v1/variables/", headers=key_headers).json()  # nothing changed
    renamed = client.patch(path, json={"id": variable["id"], "name": "RENAMED"}, headers=key_headers)
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["value"]) == ("RENAMED", "kept")
    spaces = client.patch(path, json={"id": variable["id"], "value": "  "}, headers=key_headers).json()
    assert (spaces["value"], spaces["has_value"]) == ("  ", False)
    emptied = client.patch(path, json={"id": variable["id"], "value": "", "default_fields": None},
                           headers=key_headers).json()
    assert (emptied["value"], emptied["has_value"], emptied["default_fields"]) == ("", False, None)
    assert "RENAMED" not in [v["name"] for v in client.get("/api/v1/variables/", headers=key_headers).json()]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_variable_patch_cannot_null_the_name_or_value(make_client: Callable[..., TestClient],
                                                        version: str) -> None:
    """Langflow's name and value columns are NOT NULL: a PATCH setting either to null fails (Langflow: a 500 with
    the database's text) and changes nothing."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    secret = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "S", "value": "s3cret"},
                         headers=headers).json()
    for column in ("name", "value"):
        refused = client.patch(f"/api/v1/variables/{secret['id']}", headers=headers,
                               json={"id": secret["id"], column: None, "default_fields": ["x"]})
        assert refused.status_code == 400
        assert refused.json() == {"detail": f"NOT NULL constraint failed: variable.{column}"}
    listed = [v for v in client.get("/api/v1/variables/", headers=headers).json() if v["name"] == "S"]
    assert [(v["type"], v["value"], v["default_fields"]) for v in listed] == [("Credential", None, [])]


def test_a_credential_given_another_type_shows_its_stored_value(client: TestClient,
                                                                key_headers: dict[str, str]) -> None:
    """Langflow hides a Credential's value and decrypts a Generic's; a variable of any other type (a PATCH takes
    any string) answers and lists its value as stored: a former Credential's as the encrypted token."""
    secret = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "S", "value": "s3cret"},
                         headers=key_headers).json()
    other = client.patch(f"/api/v1/variables/{secret['id']}", json={"id": secret["id"], "type": "Other"},
                         headers=key_headers)
    assert other.status_code == 200
    token = other.json()["value"]
    assert (other.json()["type"], opened(client, token)) == ("Other", "s3cret")
    assert token != "s3cret"
    listed = [v for v in client.get("/api/v1/variables/", headers=key_headers).json() if v["name"] == "S"]
    assert [(v["type"], v["value"]) for v in listed] == [("Other", token)]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_variable_patched_with_a_null_type_has_no_type(make_client: Callable[..., TestClient],
                                                         version: str) -> None:
    """Langflow writes every field a PATCH sends onto its nullable type column: `"type": null` stores null, and
    the variable answers and lists with no type and its value as stored."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    variable = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "G", "value": "plain", "type": "Generic"},
                           headers=headers).json()
    patched = client.patch(f"/api/v1/variables/{variable['id']}", json={"id": variable["id"], "type": None},
                           headers=headers)
    assert patched.status_code == 200
    assert (patched.json()["type"], patched.json()["value"]) == (None, "plain")
    listed = [v for v in client.get("/api/v1/variables/", headers=headers).json() if v["name"] == "G"]
    assert [(v["type"], v["value"]) for v in listed] == [(None, "plain")]


@pytest.mark.parametrize(("version", "listed_value"), [("1.13.0", "v"), ("1.8.4", "v"), ("1.7.1", None)])
def test_a_variable_of_another_type_lists_its_value_by_the_releases_rule(
        make_client: Callable[..., TestClient], version: str, listed_value: str | None) -> None:
    """A type other than Credential or Generic: 1.13 and 1.8 list its value as stored (plain); 1.7.1's list
    gives a value to Generic variables only (none to any other type), while its create answers the stored,
    encrypted value."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    created = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "OTHER", "value": "v", "type": "Other"},
                          headers=headers)
    assert created.status_code == 201
    assert created.json()["value"] == "v" if listed_value else created.json()["value"].startswith("gAAAAA")
    listed = [v for v in client.get("/api/v1/variables/", headers=headers).json() if v["name"] == "OTHER"]
    assert [(v["type"], v["value"]) for v in listed] == [("Other", listed_value)]


def test_a_default_credential_without_a_type_has_a_value(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow decrypts only a Credential's value to tell whether it has one: a default Credential whose type is
    PATCHed away shows its stored token (the empty secret, encrypted), which counts as a value."""
    flow_id = next(v for v in client.get("/api/v1/variables/", headers=key_headers).json() if v["name"] == "FLOW_ID")
    patched = client.patch(f"/api/v1/variables/{flow_id['id']}", json={"id": flow_id["id"], "type": None},
                           headers=key_headers)
    assert patched.status_code == 200
    body = patched.json()
    assert (body["type"], body["has_value"], opened(client, body["value"])) == (None, True, "")
    listed = [v for v in client.get("/api/v1/variables/", headers=key_headers).json() if v["name"] == "FLOW_ID"]
    assert [(v["type"], v["value"], v["has_value"]) for v in listed] == [(None, body["value"], True)]


def test_a_data_dir_kept_from_before_null_variable_types_keeps_its_variables(tmp_path: Path) -> None:
    """An older mock made variable.type NOT NULL; the table is remade on start-up, its rows kept, so a PATCH can
    then store a null type."""
    key = "sk-" + "v" * 43
    settings = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, langflow_version="1.8.4")
    headers = {"x-api-key": key}
    with TestClient(create_app(settings)) as client:
        variable = client.post("/api/v1/variables/", headers=headers,
                               json={**NO_FIELDS, "name": "G", "value": "plain", "type": "Generic"}).json()
    restore_not_null(tmp_path / "kept" / "mock-langflow.db", "variable", "type")  # the older shape
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/variables/", headers=headers).json() == [variable]
        patched = client.patch(f"/api/v1/variables/{variable['id']}", json={"id": variable["id"], "type": None},
                               headers=headers)
        assert (patched.status_code, patched.json()) == (200, {**variable, "type": None})


def test_before_1_8_a_variable_patch_replaces_the_value_and_answers_it_encrypted(
        make_client: Callable[..., TestClient]) -> None:
    """Langflow 1.7.1 writes the value whatever is sent (left out: empty) and stores every value encrypted: the
    PATCH answer shows a Generic's value as a Fernet token, the list the value itself."""
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    variable = client.post("/api/v1/variables/",
                           json={**NO_FIELDS, "name": "TO_RENAME", "value": "kept", "type": "Generic"},
                           headers=headers).json()
    assert opened(client, variable["value"]) == "kept"
    assert set(variable) == {"id", "name", "type", "value", "default_fields"}  # 1.7.1's VariableRead
    renamed = client.patch(f"/api/v1/variables/{variable['id']}", json={"id": variable["id"], "name": "RENAMED"},
                           headers=headers).json()
    assert opened(client, renamed["value"]) == ""
    listed = client.get("/api/v1/variables/", headers=headers).json()
    assert [(v["name"], v["value"]) for v in listed] == [("RENAMED", "")]


@pytest.mark.parametrize(("version", "status"), [("1.13.0", 201), ("1.8.4", 201), ("1.7.1", 400)])
def test_a_generic_variable_without_a_value_does_not_hold_its_name(make_client: Callable[..., TestClient],
                                                                   version: str, status: int) -> None:
    """Langflow checks a new name against its variable service's list, which (1.13, 1.8) leaves out a Generic
    variable without a value: a create with that name then makes a second variable."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    old = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "E", "value": "x", "type": "Generic"},
                      headers=headers).json()
    assert client.patch(f"/api/v1/variables/{old['id']}", json={"id": old["id"], "value": ""},
                        headers=headers).status_code == 200
    again = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "E", "value": "y", "type": "Generic"},
                        headers=headers)
    assert again.status_code == status
    listed = [(v["name"], v["value"]) for v in client.get("/api/v1/variables/", headers=headers).json()
              if v["name"] == "E"]
    if status == 201:
        assert (again.json()["name"], again.json()["value"]) == ("E", "y")
        assert listed == [("E", "y")]
    else:
        assert again.json() == {"detail": "Variable name already exists"}
        assert listed == [("E", "")]


def test_before_1_8_a_variable_patch_ignores_the_type(make_client: Callable[..., TestClient]) -> None:
    """Langflow 1.7.1's update model has no `type`: a PATCH sending one keeps the variable's type."""
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    variable = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "G", "value": "plain", "type": "Generic"},
                           headers=headers).json()
    patched = client.patch(f"/api/v1/variables/{variable['id']}", headers=headers,
                           json={"id": variable["id"], "type": "Credential", "value": "new"})
    assert patched.status_code == 200
    assert (patched.json()["type"], opened(client, patched.json()["value"])) == ("Generic", "new")
    listed = client.get("/api/v1/variables/", headers=headers).json()
    assert [(v["name"], v["type"], v["value"]) for v in listed] == [("G", "Generic", "new")]
    for junk in (5, ["Credential"], {"kind": "Credential"}, True):  # not read, so never a 422
        again = client.patch(f"/api/v1/variables/{variable['id']}", headers=headers,
                             json={"id": variable["id"], "type": junk, "value": "newer"})
        assert (again.status_code, again.json()["type"]) == (200, "Generic")


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_variable_patch_type_that_is_no_string_is_a_422_where_the_release_reads_it(
        make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    variable = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "G", "value": "plain", "type": "Generic"},
                           headers=headers).json()
    patched = client.patch(f"/api/v1/variables/{variable['id']}", headers=headers,
                           json={"id": variable["id"], "type": 5})
    assert patched.status_code == 422
    assert [(e["type"], e["loc"]) for e in patched.json()["detail"]] == [("string_type", ["body", "type"])]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_generic_value_that_looks_encrypted_is_refused(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    created = client.post("/api/v1/variables/",
                          json={**NO_FIELDS, "name": "G", "value": "gAAAAA-not-mine", "type": "Generic"},
                          headers=headers)
    assert (created.status_code, created.json()) == (500, {"detail": errors.generic_looks_encrypted("G")})
    variable = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "G", "value": "plain", "type": "Generic"},
                           headers=headers).json()
    patched = client.patch(f"/api/v1/variables/{variable['id']}", headers=headers,
                           json={"id": variable["id"], "value": "gAAAAA-not-mine"})
    assert (patched.status_code, patched.json()) == (404, {"detail": "Variable not found"})
    assert [v["value"] for v in client.get("/api/v1/variables/", headers=headers).json() if v["name"] == "G"] == \
        ["plain"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_credential_turned_generic(make_client: Callable[..., TestClient], version: str) -> None:
    """1.13 refuses to relabel a Credential Generic without a new value (its secret would show, 404); 1.8 does
    it, and the list then shows the secret."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    secret = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": "S", "value": "s3cret"},
                         headers=headers).json()
    turned = client.patch(f"/api/v1/variables/{secret['id']}", json={"id": secret["id"], "type": "Generic"},
                          headers=headers)
    listed = {v["name"]: v["value"] for v in client.get("/api/v1/variables/", headers=headers).json()}
    if version == "1.13.0":
        assert (turned.status_code, turned.json()) == (404, {"detail": "Variable not found"})
        assert listed["S"] is None
    else:
        assert turned.status_code == 200 and listed["S"] == "s3cret"
        assert set(turned.json()) == {"id", "name", "type", "value", "default_fields", "validation_error",
                                      "is_valid"}  # 1.8.4's VariableRead
    fresh = client.patch(f"/api/v1/variables/{secret['id']}", headers=headers,
                         json={"id": secret["id"], "type": "Generic", "value": "open"})
    assert (fresh.status_code, fresh.json()["value"]) == (200, "open")


def test_a_default_credential_cannot_turn_generic_without_a_value(client: TestClient,
                                                                  key_headers: dict[str, str]) -> None:
    """1.13 stores its default Credentials with an empty value encrypted: like any Credential, one relabelled
    Generic without a new value is a 404."""
    flow_id = next(v for v in client.get("/api/v1/variables/", headers=key_headers).json() if v["name"] == "FLOW_ID")
    turned = client.patch(f"/api/v1/variables/{flow_id['id']}", json={"id": flow_id["id"], "type": "Generic"},
                          headers=key_headers)
    assert (turned.status_code, turned.json()) == (404, {"detail": "Variable not found"})
    assert flow_id in client.get("/api/v1/variables/", headers=key_headers).json()


def test_the_list_hides_internal_names_and_marks_provider_keys(make_client: Callable[..., TestClient]) -> None:
    """1.13 orders the list by name, 1.8 and 1.7.1 keep the order of creation; 1.13 and 1.8 hide __names__ and
    say a model provider's key is valid (1.7.1 has no is_valid)."""
    for version, expected, valid in (("1.13.0", ["ANTHROPIC_API_KEY", "ZED"], True),
                                     ("1.8.4", ["ZED", "ANTHROPIC_API_KEY"], True),
                                     ("1.7.1", ["ZED", "__INTERNAL__", "ANTHROPIC_API_KEY"], None)):
        client = make_client(langflow_version=version)
        headers = {"x-api-key": new_api_key(client)}
        for name in ("ZED", "__INTERNAL__", "ANTHROPIC_API_KEY"):
            created = client.post("/api/v1/variables/", json={**NO_FIELDS, "name": name, "value": "v"}, headers=headers)
            assert created.json().get("is_valid") is None  # only the list says it
        listed = [v for v in client.get("/api/v1/variables/", headers=headers).json()
                  if v["name"] not in CREDENTIAL_NAMES]
        assert [v["name"] for v in listed] == expected
        assert listed[expected.index("ANTHROPIC_API_KEY")].get("is_valid") is valid


@pytest.mark.parametrize(("version", "detail"), [
    ("1.13.0", "Variable not found"),  # 1.13's route finds the caller's variable first
    ("1.8.4", "{id} variable not found."),  # 1.8's route passes on the variable service's error
    # 1.7.1 as 1.8 (a 500 in Langflow): an error, not the frontend page 1.7.1 answers a route's 404 with.
    ("1.7.1", "{id} variable not found."),
])
def test_deleting_a_variable_the_caller_does_not_have_says_so_in_langflows_words(
        make_client: Callable[..., TestClient], version: str, detail: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    unknown = "6f1c1d8e-2b0a-4c55-9a57-0d7f3e1b2c3d"
    response = client.delete(f"/api/v1/variables/{unknown}", headers=headers)
    assert (response.status_code, response.json()) == (404, {"detail": detail.format(id=unknown)})
    bob = {"x-api-key": other_user_key(client, headers)}
    mine = client.post("/api/v1/variables/", json={"name": "MINE", "value": "v", "default_fields": []},
                       headers=headers).json()
    theirs = client.delete(f"/api/v1/variables/{mine['id']}", headers=bob)
    assert (theirs.status_code, theirs.json()) == (404, {"detail": detail.format(id=mine["id"])})
    assert "MINE" in [v["name"] for v in client.get("/api/v1/variables/", headers=headers).json()]


DISABLED = ["OpenAI::gpt-4o", "gpt-4o", "Anthropic::claude-2.1", "my-model"]
ENABLED = ["OpenAI::o1", "gpt-4o-mini"]


@pytest.mark.parametrize(("version", "deleted", "enabled", "disabled_left", "enabled_left"), [
    ("1.13", "OPENAI_BASE_URL", ENABLED, ["gpt-4o", "Anthropic::claude-2.1", "my-model"], ["gpt-4o-mini"]),
    ("1.13", "OPENAI_API_KEY", ["OpenAI::o1"], ["gpt-4o", "Anthropic::claude-2.1", "my-model"], None),
    ("1.13", "ANTHROPIC_API_KEY", ENABLED, ["OpenAI::gpt-4o", "gpt-4o", "my-model"], ENABLED),
    ("1.8.4", "OPENAI_API_KEY", ENABLED, ["OpenAI::gpt-4o", "Anthropic::claude-2.1", "my-model"], ["OpenAI::o1"]),
    ("1.8.4", "OPENAI_API_KEY", ["gpt-4o-mini"], ["OpenAI::gpt-4o", "Anthropic::claude-2.1", "my-model"], None),
    ("1.8.4", "OPENAI_BASE_URL", ENABLED, DISABLED, ENABLED),
    ("1.7.1", "OPENAI_API_KEY", ENABLED, DISABLED, ENABLED),
])
def test_deleting_a_providers_variable_prunes_its_models_from_the_model_status_lists(
        make_client: Callable[..., TestClient], version: str, deleted: str, enabled: list[str],
        disabled_left: list[str], enabled_left: list[str] | None) -> None:
    """Deleting a model provider's variable makes Langflow drop that provider's models from __disabled_models__
    and __enabled_models__ (a list left empty is deleted, None here: its name is then free); the rest stay: 1.13
    drops its "<provider>::<model>" entries, for any variable the provider declares (a bare name is kept here, as
    1.13 qualifies only those its catalog knows); 1.8 its catalog's model names, for the provider's key only;
    1.7.1 none."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}

    def create(name: str, value: str, kind: str = "Generic") -> dict[str, Any]:
        response = client.post("/api/v1/variables/", json={"name": name, "value": value, "default_fields": [],
                                                           "type": kind}, headers=headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    lists = {"__disabled_models__": create("__disabled_models__", json.dumps(DISABLED)),
             "__enabled_models__": create("__enabled_models__", json.dumps(enabled))}
    target = create(deleted, "https://api.openai.com/v1" if deleted == "OPENAI_BASE_URL" else "sk-test",
                    "Generic" if deleted == "OPENAI_BASE_URL" else "Credential")
    assert client.delete(f"/api/v1/variables/{target['id']}", headers=headers).status_code == 204
    if version == "1.7.1":  # its list shows every variable, decrypted
        shown = {v["name"]: json.loads(v["value"]) for v in client.get("/api/v1/variables/", headers=headers).json()}
    else:  # a PATCH changing nothing answers a Generic's stored value
        shown = {name: json.loads(r.json()["value"]) for name, variable in lists.items()
                 if (r := client.patch(f"/api/v1/variables/{variable['id']}", json={"id": variable["id"]},
                                       headers=headers)).status_code == 200}
    assert shown == {"__disabled_models__": disabled_left,
                     **({} if enabled_left is None else {"__enabled_models__": enabled_left})}
    if enabled_left is None:
        create("__enabled_models__", "[]")  # the name is free again


# Langflow's refusal of an Ollama base URL it cannot even try: 1.8 hands "<value>/api/tags" to requests, which
# refuses a URL without an http(s) scheme before connecting; 1.13's connector guard refuses it first.
CONNECTOR_URL = ("Connector URL must be an http(s) URL with a host for SSRF validation; got {url!r}. Use an "
                 "explicit scheme (e.g. 'http://host:port'); to reach an internal host, also add it to "
                 "LANGFLOW_SSRF_ALLOWED_HOSTS (allowlisting alone does not permit a scheme-less host).")


@pytest.mark.parametrize(("version", "value", "detail"), [
    ("1.8.4", "localhost:11434", "No connection adapters were found for 'localhost:11434/api/tags'"),
    ("1.8.4", "ollama/", "Invalid URL 'ollama/api/tags': No scheme supplied. Perhaps you meant "
                         "https://ollama/api/tags?"),
    ("1.8.4", "  ftp://host:21", "No connection adapters were found for 'ftp://host:21/api/tags'"),
    ("1.13", "localhost:11434", CONNECTOR_URL.format(url="localhost:11434/api/tags")),
    ("1.13", "ollama/", CONNECTOR_URL.format(url="ollama/api/tags")),
    ("1.13", "http://", CONNECTOR_URL.format(url="http:/api/tags")),
])
def test_an_ollama_base_url_without_a_scheme_is_a_400(make_client: Callable[..., TestClient], version: str,
                                                      value: str, detail: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    body = {"name": "OLLAMA_BASE_URL", "value": value, "default_fields": [], "type": "Generic"}
    refused = client.post("/api/v1/variables/", json=body, headers=headers)
    assert (refused.status_code, refused.json()) == (400, {"detail": detail})
    assert "OLLAMA_BASE_URL" not in [v["name"] for v in client.get("/api/v1/variables/", headers=headers).json()]
    created = client.post("/api/v1/variables/", json={**body, "value": "http://ollama:11434"}, headers=headers)
    assert created.status_code == 201
    variable = created.json()
    patched = client.patch(f"/api/v1/variables/{variable['id']}", json={"id": variable["id"], "value": value},
                           headers=headers)
    assert (patched.status_code, patched.json()) == (400, {"detail": detail})
    assert [v["value"] for v in client.get("/api/v1/variables/", headers=headers).json()
            if v["name"] == "OLLAMA_BASE_URL"] == ["http://ollama:11434"]


@pytest.mark.parametrize(("version", "status"), [("1.8.4", 200), ("1.13", 400)])
def test_a_variable_renamed_to_ollama_base_url_has_its_url_checked_from_1_13(
        make_client: Callable[..., TestClient], version: str, status: int) -> None:
    """1.13 checks the name a PATCH leaves the variable with; 1.8 the name it had."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    variable = client.post("/api/v1/variables/", json={"name": "URL", "value": "x", "default_fields": [],
                                                       "type": "Generic"}, headers=headers).json()
    patched = client.patch(f"/api/v1/variables/{variable['id']}",
                           json={"id": variable["id"], "name": "OLLAMA_BASE_URL", "value": "ollama"},
                           headers=headers)
    assert patched.status_code == status


def blocked_address(host: str) -> str:
    return (f"Access to IP address {host} is blocked by SSRF protection. To allow this IP, add it to "
            "LANGFLOW_SSRF_ALLOWED_HOSTS environment variable.")


@pytest.mark.parametrize(("version", "value", "settings", "detail"), [
    ("1.13", "http://10.0.0.5:11434", {}, blocked_address("10.0.0.5")),
    ("1.13", "http://169.254.169.254", {}, blocked_address("169.254.169.254")),
    ("1.13", "http://[FD00::1]:11434/", {}, blocked_address("fd00::1")),
    ("1.13", "http://[2002:c0a8:101::]", {}, blocked_address("2002:c0a8:101::")),  # 6to4 of 192.168.1.1
    ("1.13", "http://127.0.0.1:11434", {"connector_ssrf_allow_loopback": "false"}, blocked_address("127.0.0.1")),
    ("1.13", "http://127.0.0.1:11434", {}, None),
    ("1.13", "http://8.8.8.8:11434", {}, None),
    ("1.13", "http://ollama.internal:11434", {}, None),
    ("1.13", "http://10.0.0.5:11434", {"ssrf_allowed_hosts": "10.0.0.0/8"}, None),
    ("1.13", "http://10.0.0.5:11434", {"ssrf_allowed_hosts": "other, 10.0.0.5"}, None),
    ("1.13", "http://10.0.0.5:11434", {"ssrf_protection_enabled": "false"}, None),
    ("1.13", "http://10.0.0.5:11434", {"connector_ssrf_validation_enabled": "t"}, None),  # lfx: "t" is off
    ("1.13", "localhost:11434", {"connector_ssrf_validation_enabled": "off"},
     "No connection adapters were found for 'localhost:11434/api/tags'"),
    ("1.13", "ollama/", {"ssrf_protection_enabled": "0"},
     "Invalid URL 'ollama/api/tags': No scheme supplied. Perhaps you meant https://ollama/api/tags?"),
    ("1.13", "ollama/", {"ssrf_allowed_hosts": "ollama"}, CONNECTOR_URL.format(url="ollama/api/tags")),
    ("1.8.4", "http://10.0.0.5:11434", {}, None),
])
def test_1_13_guards_an_ollama_base_url_by_its_ssrf_settings(
        make_client: Callable[..., TestClient], version: str, value: str, settings: dict[str, str],
        detail: str | None) -> None:
    """1.13's connector guard refuses, before connecting, a host written as an address in a blocked range (a
    literal loopback passes while LANGFLOW_CONNECTOR_SSRF_ALLOW_LOOPBACK is on), unless LANGFLOW_SSRF_ALLOWED_HOSTS
    lets it through; with LANGFLOW_SSRF_PROTECTION_ENABLED or LANGFLOW_CONNECTOR_SSRF_VALIDATION_ENABLED off
    nothing is guarded and requests' own refusal of a URL without a scheme comes through."""
    client = make_client(langflow_version=version, **settings)
    headers = {"x-api-key": new_api_key(client)}
    body = {"name": "OLLAMA_BASE_URL", "value": value, "default_fields": [], "type": "Generic"}
    response = client.post("/api/v1/variables/", json=body, headers=headers)
    if detail is None:
        assert response.status_code == 201, response.text
    else:
        assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_an_ssrf_setting_that_is_no_boolean_is_refused() -> None:
    with pytest.raises(ValueError, match="ssrf_protection_enabled"):
        Settings(ssrf_protection_enabled="maybe")


def test_1_13_stores_an_openai_key_whatever_the_stored_base_url(make_client: Callable[..., TestClient]) -> None:
    """langflow-base 1.13 checks OpenAI's key (and its base URL) through langchain-openai, which it does not
    install: the check gives up, and the key is stored, even beside a base URL the SSRF guard would refuse."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    client.post("/api/v1/variables/", json={"name": "OPENAI_BASE_URL", "value": "http://10.1.2.3/v1",
                                            "default_fields": [], "type": "Generic"}, headers=headers)
    created = client.post("/api/v1/variables/", json={"name": "OPENAI_API_KEY", "value": "sk-test",
                                                      "default_fields": []}, headers=headers)
    assert created.status_code == 201


@pytest.mark.parametrize(("version", "refused"), [("1.13", True), ("1.8.4", False)])
def test_1_13_refuses_every_azure_ai_foundry_key(make_client: Callable[..., TestClient], version: str,
                                                 refused: bool) -> None:
    """langflow-base 1.13 checks an Azure AI Foundry key with langchain-azure-ai, which it does not install: its
    check refuses the key (create, or PATCH with a value) before trying it; the endpoint is stored unchecked."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    endpoint = client.post("/api/v1/variables/", json={"name": "AZURE_AI_FOUNDRY_ENDPOINT", "value": "https://x",
                                                       "default_fields": [], "type": "Generic"}, headers=headers)
    assert endpoint.status_code == 201
    created = client.post("/api/v1/variables/", json={"name": "AZURE_AI_FOUNDRY_API_KEY", "value": "key",
                                                      "default_fields": []}, headers=headers)
    if not refused:
        assert created.status_code == 201
        return
    detail = ("Azure AI Foundry credential validation requires the 'langchain-azure-ai' package, but it is not "
              "installed.")
    assert (created.status_code, created.json()) == (400, {"detail": detail})
    other = client.post("/api/v1/variables/", json={"name": "KEY", "value": "key", "default_fields": []},
                        headers=headers).json()
    renamed = client.patch(f"/api/v1/variables/{other['id']}",
                           json={"id": other["id"], "name": "AZURE_AI_FOUNDRY_API_KEY", "value": "key2"},
                           headers=headers)
    assert (renamed.status_code, renamed.json()) == (400, {"detail": detail})


@pytest.mark.parametrize("variable", ["WATSONX_URL", "LANGFLOW_WATSONX_URL"])
def test_1_13_reads_watsonxs_url_from_the_environment_when_the_user_has_none(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "http://192.168.0.7:8000")
    client = make_client(store_environment_variables=False)
    headers = {"x-api-key": new_api_key(client)}
    client.post("/api/v1/variables/", json={"name": "WATSONX_PROJECT_ID", "value": "proj", "default_fields": [],
                                            "type": "Generic"}, headers=headers)
    body = {"name": "WATSONX_APIKEY", "value": "ibm-key", "default_fields": []}
    created = client.post("/api/v1/variables/", json=body, headers=headers)
    assert (created.status_code, created.json()) == (400, {"detail": blocked_address("192.168.0.7")})
    # the user's own URL comes first
    client.post("/api/v1/variables/", json={"name": "WATSONX_URL", "value": "https://eu-de.ml.cloud.ibm.com",
                                            "default_fields": [], "type": "Credential"}, headers=headers)
    assert client.post("/api/v1/variables/", json=body, headers=headers).status_code == 201


@pytest.mark.parametrize(("project", "url", "detail", "unguarded"), [
    ("proj", "http://192.168.1.10", blocked_address("192.168.1.10"), False),
    ("proj", "us-south.ml.cloud.ibm.com", CONNECTOR_URL.format(url="us-south.ml.cloud.ibm.com"), False),
    ("proj", None, None, False),
    (None, "http://192.168.1.10", None, False),
    ("proj", "us-south.ml.cloud.ibm.com", "No IBM WatsonX chat model is available to validate credentials", True),
    ("proj", "http://192.168.1.10", None, True),
])
def test_1_13_checks_a_watsonx_key_with_the_stored_project_and_url(
        make_client: Callable[..., TestClient], project: str | None, url: str | None, detail: str | None,
        unguarded: bool) -> None:
    """1.13 checks WatsonX's key with the user's project and URL (its default URL without one): a URL its SSRF
    guard refuses is a 400 before any call; without a project nothing is checked. Without the guard it asks the
    URL for its models, and a URL requests refuses leaves it no model to try the key with: a 400 too."""
    client = make_client(**({"ssrf_protection_enabled": "false"} if unguarded else {}))
    headers = {"x-api-key": new_api_key(client)}
    for name, value in (("WATSONX_PROJECT_ID", project), ("WATSONX_URL", url)):
        if value is not None:
            client.post("/api/v1/variables/", json={"name": name, "value": value, "default_fields": [],
                                                    "type": "Generic"}, headers=headers)
    created = client.post("/api/v1/variables/", json={"name": "WATSONX_APIKEY", "value": "ibm-key",
                                                      "default_fields": []}, headers=headers)
    if detail is None:
        assert created.status_code == 201
    else:
        assert (created.status_code, created.json()) == (400, {"detail": detail})


def test_1_7_1_stores_any_ollama_base_url(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    created = client.post("/api/v1/variables/", json={"name": "OLLAMA_BASE_URL", "value": "localhost:11434",
                                                      "default_fields": []}, headers=headers)
    assert created.status_code == 201


# --- the agentic experience's variables (LANGFLOW_AGENTIC_EXPERIENCE) ----------------------------------------

AGENTIC_CREATED = ["FLOW_ID", "COMPONENT_ID", "FIELD_NAME", "ASTRA_TOKEN"]  # lfx's AGENTIC_VARIABLES, in order


def password_login(client: TestClient) -> None:
    """A login as the auto-login superuser (before 1.13: password langflow)."""
    response = client.post("/api/v1/login", data={"username": "langflow", "password": "langflow"})
    assert response.status_code == 200, response.text
    client.cookies.clear()


@pytest.mark.parametrize("flag", ["false", "0", "Off"])
def test_1_13_with_the_agentic_experience_off_gives_no_agentic_variables(tmp_path: Path, flag: str) -> None:
    """Langflow 1.13 makes FLOW_ID, COMPONENT_ID, FIELD_NAME and ASTRA_TOKEN only while agentic_experience is on:
    not at its start, not at a login or auto-login."""
    key = "sk-" + "a" * 43
    settings = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, agentic_experience=flag)
    headers = {"x-api-key": key}
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/variables/", headers=headers).json() == []
        auto_login_token(client)
        bob = {"x-api-key": other_user_key(client, headers)}  # a user who logged in
        assert client.get("/api/v1/variables/", headers=bob).json() == []
        assert client.get("/api/v1/variables/", headers=headers).json() == []
        created = client.post("/api/v1/variables/", json={"name": "FLOW_ID", "value": "f", "default_fields": []},
                              headers=headers)
        assert created.status_code == 201
    with TestClient(create_app(settings)) as client:
        assert [v["name"] for v in client.get("/api/v1/variables/", headers=headers).json()] == ["FLOW_ID"]


def test_1_8_with_the_agentic_experience_on_gives_a_signed_in_user_the_agentic_variables(
        make_client: Callable[..., TestClient]) -> None:
    """1.8 has the flag off by default; on, a login or auto-login adds the four empty Credentials the user lacks
    (the start's empty Generic placeholders hold no name), in lfx's order, which 1.8 lists as created."""
    client = make_client(langflow_version="1.8.4", agentic_experience="True")
    headers = {"x-api-key": new_api_key(client)}  # an auto-login
    assert [v["name"] for v in client.get("/api/v1/variables/", headers=headers).json()] == AGENTIC_CREATED
    password_login(client)
    listed = client.get("/api/v1/variables/", headers=headers).json()
    assert [(v["name"], v["type"], v["value"]) for v in listed] == [(n, "Credential", None) for n in AGENTIC_CREATED]
    password_login(client)
    assert client.get("/api/v1/variables/", headers=headers).json() == listed  # none twice


def test_a_login_stores_the_environments_credentials_before_the_agentic_ones(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    """Langflow's login imports the environment's variables first, then adds the agentic ones: 1.8 lists them
    in that order (as created)."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    client = make_client(langflow_version="1.8.4", agentic_experience="true")
    bob = {"x-api-key": other_user_key(client, {"x-api-key": new_api_key(client)})}
    assert [v["name"] for v in client.get("/api/v1/variables/", headers=bob).json()] == \
        ["OPENAI_API_KEY", *AGENTIC_CREATED]


def test_1_13_config_tells_whether_the_agentic_experience_is_on(make_client: Callable[..., TestClient]) -> None:
    client = make_client(agentic_experience="off")
    headers = {"x-api-key": new_api_key(client)}
    assert client.get("/api/v1/config", headers=headers).json()["agentic_experience"] is False


def test_an_agentic_experience_flag_that_is_no_boolean_is_refused() -> None:
    """Langflow's setting is a boolean: a server given another text does not start."""
    with pytest.raises(ValueError, match="agentic_experience"):
        Settings(agentic_experience="maybe")


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_the_mvp_components_flag_shows_in_config_as_set(make_client: Callable[..., TestClient], version: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Langflow's frontend reads it from /config; LANGFLOW_FEATURE_MVP_COMPONENTS sets it in every release
    for value in (False, True):
        monkeypatch.setenv("LANGFLOW_FEATURE_MVP_COMPONENTS", str(value).lower())
        client = make_client(langflow_version=version)
        headers = {"Authorization": f"Bearer {auto_login_token(client)}"}
        flags = client.get("/api/v1/config", headers=headers).json()["feature_flags"]
        assert flags["mvp_components"] is value
        assert [name for name, on in flags.items() if on] == (["mvp_components"] if value else [])
