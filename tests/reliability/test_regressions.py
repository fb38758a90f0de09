"""Bugs the reliability work found (schemathesis, hostile input, load), one test each: every one of them was a
500 from the mock's own code, or a stored thing that could not be read back."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import create_flow, new_api_key, other_user_key
from tests.reliability.fuzzing import as_pydantic_reads_body, query_as_fastapi_reads_it, validate

BIG = 10**20  # past SQLite's 64-bit integers


def test_a_page_past_sqlites_integers_is_an_empty_page(client: TestClient, key_headers: dict[str, str],
                                                       chat_flow: dict[str, Any]) -> None:
    """Was OverflowError ("Python int too large to convert to SQLite INTEGER"): a 500."""
    flow = create_flow(client, key_headers, chat_flow)
    response = client.get("/api/v1/flows/", params={"get_all": "false", "page": BIG}, headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 1, "page": BIG, "size": 50, "pages": 1}
    for path, params in (("/api/v1/monitor/messages", {"offset": BIG, "limit": BIG}),
                         ("/api/v1/monitor/transactions", {"flow_id": flow["id"], "page": BIG}),
                         ("/api/v1/projects/", {"page": BIG, "size": 10})):
        answer = client.get(path, params=params, headers=key_headers)
        assert answer.status_code == 200, (path, answer.text)


def test_put_onto_a_taken_name_is_refused_with_langflows_409(client: TestClient, key_headers: dict[str, str],
                                                             chat_flow: dict[str, Any]) -> None:
    """Was sqlite3.IntegrityError (UNIQUE flow.user_id, flow.name): a 500. Langflow's PUT update path
    (_update_existing_flow) checks both names first and answers 409."""
    create_flow(client, key_headers, {**chat_flow, "name": "taken", "endpoint_name": "taken-ep"})
    mine = create_flow(client, key_headers, {**chat_flow, "name": "mine"})
    url = f"/api/v1/flows/{mine['id']}"
    clash = client.put(url, json={**chat_flow, "name": "taken"}, headers=key_headers)
    assert (clash.status_code, clash.json()) == (409, {"detail": errors.NAME_TAKEN})
    endpoint = client.put(url, json={**chat_flow, "name": "mine", "endpoint_name": "taken-ep"}, headers=key_headers)
    assert (endpoint.status_code, endpoint.json()) == (409, {"detail": errors.ENDPOINT_NAME_TAKEN})
    assert client.get(url, headers=key_headers).json()["name"] == "mine"  # nothing changed
    again = client.put(url, json={**chat_flow, "name": "mine", "description": "d"}, headers=key_headers)
    assert (again.status_code, again.json()["description"]) == (200, "d")


def test_patch_user_with_nulls_leaves_required_fields_alone(client: TestClient, key_headers: dict[str, str]) -> None:
    """Was sqlite3.IntegrityError (NOT NULL user.is_active): a 500; and a null password became "None"."""
    me = client.get("/api/v1/users/whoami", headers=key_headers).json()
    response = client.patch(f"/api/v1/users/{me['id']}", headers=key_headers,
                            json={"username": None, "password": None, "is_active": None, "is_superuser": None,
                                  "profile_image": None})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["username"], body["is_active"], body["is_superuser"]) == ("langflow", True, True)
    state = client.app.state.mock  # type: ignore[attr-defined]
    assert state.store.users.authenticate("langflow", "None") is None


def test_patch_user_onto_a_taken_username_is_400(client: TestClient, key_headers: dict[str, str]) -> None:
    """Was sqlite3.IntegrityError (UNIQUE user.username): a 500."""
    other = client.post("/api/v1/users/", json={"username": "bob", "password": "pw"}, headers=key_headers).json()
    response = client.patch(f"/api/v1/users/{other['id']}", json={"username": "langflow"}, headers=key_headers)
    assert (response.status_code, response.json()) == (400, {"detail": "This username is unavailable."})
    same = client.patch(f"/api/v1/users/{other['id']}", json={"username": "bob"}, headers=key_headers)
    assert same.status_code == 200


def test_a_last_event_id_of_unicode_digits_is_ignored(client: TestClient, key_headers: dict[str, str],
                                                      chat_flow: dict[str, Any]) -> None:
    """Was ValueError from int("²") (str.isdigit admits it), and OverflowError for 20 digits: 500s."""
    flow = create_flow(client, key_headers, chat_flow)
    job = client.post("/api/v2/workflows", json={"flow_id": flow["id"], "input_value": "x", "mode": "sync"},
                      headers=key_headers).json()["job_id"]
    for last in ("²".encode("latin-1"), b"9" * 20):  # the server reads header bytes as latin-1
        response = client.get(f"/api/v2/workflows/{job}/events", headers={**key_headers, "Last-Event-ID": last})
        assert response.status_code == 200, response.text


def test_a_bearer_token_whose_header_is_deep_json_is_an_invalid_token(client: TestClient) -> None:
    """Was RecursionError out of json.loads in the JWT check (and AttributeError for a non-object): 500s."""
    for header in (b"[" * 50_000, b"[1]", b'"x"'):
        token = base64.urlsafe_b64encode(header).decode().rstrip("=") + ".e30.sig"
        response = client.get("/api/v1/flows/", headers={"Authorization": f"Bearer {token}"})
        assert (response.status_code, response.json()) == (401, {"detail": errors.INVALID_TOKEN})


def test_downloads_and_streams_document_the_content_types_they_send(client: TestClient) -> None:
    """schemathesis: a v2 download answered application/octet-stream where the document said only JSON. The
    recordings win (files_v2_download, files_v1_download, flows_download_multi, build events...), so the document
    lists what the routes send."""
    paths = client.get("/openapi.json").json()["paths"]

    def content(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"]["200"]["content"])

    assert content("/api/v2/files/{file_id}", "get") == {"application/json", "application/octet-stream"}
    assert content("/api/v1/files/download/{flow_id}/{file_name}", "get") == {"application/octet-stream"}
    assert content("/api/v1/files/images/{flow_id}/{file_name}", "get") == {"image/*"}
    assert content("/api/v1/flows/download/", "post") == {"application/json", "application/x-zip-compressed"}
    assert content("/api/v1/projects/download/{project_id}", "get") == {"application/x-zip-compressed"}
    assert content("/api/v2/files/batch/", "post") == {"application/x-zip-compressed"}
    assert content("/api/v1/run/{flow_id_or_name}", "post") == {"application/json", "text/event-stream"}
    assert content("/api/v1/build/{job_id}/events", "get") == {"application/x-ndjson"}
    assert content("/api/v2/workflows/{job_id}/events", "get") == {"text/event-stream"}
    json.dumps(paths)  # the document stays plain JSON


# --- found by schemathesis with Langflow's own document: inputs Langflow checks and the mock did not ---------


def test_user_routes_refuse_an_operation_id_over_128_characters(client: TestClient,
                                                                key_headers: dict[str, str]) -> None:
    """Langflow 1.13 declares an X-Langflow-Operation-ID header (at most 128 characters) on its user routes."""
    ok = client.get("/api/v1/users/", headers={**key_headers, "X-Langflow-Operation-ID": "op-1"})
    assert ok.status_code == 200
    long = client.get("/api/v1/users/", headers={**key_headers, "X-Langflow-Operation-ID": "x" * 129})
    assert long.status_code == 422
    assert long.json()["detail"][0]["loc"] == ["header", "X-Langflow-Operation-ID"]


def test_user_list_takes_langflows_filters(client: TestClient, key_headers: dict[str, str]) -> None:
    assert client.get("/api/v1/users/", params={"deletion_requested": "maybe"}, headers=key_headers).status_code == 422
    found = client.get("/api/v1/users/", params={"search": "LANG"}, headers=key_headers).json()["users"]
    assert [u["username"] for u in found] == ["langflow"]
    assert client.get("/api/v1/users/", params={"role_name": "admin"}, headers=key_headers).json()["users"] == []


def test_healthz_takes_require_storage_ready(client: TestClient) -> None:
    assert client.get("/healthz", params={"require_storage_ready": "true"}).json()["status"] == "ok"
    assert client.get("/healthz", params={"require_storage_ready": "often"}).status_code == 422


def test_starter_projects_carry_the_name_key_langflows_schema_requires(client: TestClient,
                                                                       key_headers: dict[str, str]) -> None:
    starters = client.get("/api/v1/starter-projects/", headers=key_headers).json()
    assert starters and all(isinstance(s["name_key"], str) and s["name_key"] for s in starters)
    assert {"Basic Prompting": "basic_prompting"}.items() <= {s["name"]: s["name_key"] for s in starters}.items()


def test_skip_auth_after_the_superuser_was_deleted_is_refused_not_crashed(
        make_client: Callable[..., TestClient]) -> None:
    """Was an AssertionError (a 500; under python -O an AttributeError) once another superuser had deleted the
    one the server started as."""
    client = make_client(skip_auth_auto_login=True)
    langflow = client.get("/api/v1/users/whoami").json()
    # sign-up without credentials has no caller even under skip-auth (as Langflow's), so the superuser's key adds
    superuser = {"x-api-key": client.post("/api/v1/api_key/", json={"name": "su"}).json()["api_key"]}
    admin = {"x-api-key": other_user_key(client, superuser, "boss")}
    boss = client.get("/api/v1/users/whoami", headers=admin).json()
    assert client.patch(f"/api/v1/users/{boss['id']}", json={"is_superuser": True}).status_code == 200
    assert client.delete(f"/api/v1/users/{langflow['id']}", headers=admin).status_code == 202
    response = client.get("/api/v1/flows/")
    # 1.13's own answer for skip-auth's missing superuser (the other releases' 500s are the mock's 403 there)
    assert (response.status_code, response.json()) == (403, {"detail": errors.SUPERUSER_NOT_FOUND})


def test_runtime_stats_of_the_control_api(client: TestClient, key_headers: dict[str, str]) -> None:
    stats = client.get("/_mock/stats", headers=key_headers).json()
    assert set(stats) == {"tasks", "jobs_running", "db_sessions_open", "db_connections_checked_out", "rss_bytes"}
    assert stats["jobs_running"] == 0 and stats["db_sessions_open"] == 0 and stats["tasks"] >= 1
    assert client.get("/_mock/stats").status_code == 403


def test_a_batch_without_flows_is_a_422_as_in_langflow(client: TestClient, key_headers: dict[str, str],
                                                        chat_flow: dict[str, Any]) -> None:
    """The long schemathesis run with Langflow's document: {} was 201 [] where Langflow's FlowListCreate
    requires `flows`."""
    response = client.post("/api/v1/flows/batch/", json={}, headers=key_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "flows"]
    created = client.post("/api/v1/flows/batch/", json={"flows": [chat_flow]}, headers=key_headers)
    assert created.status_code == 201 and len(created.json()) == 1


def test_a_number_for_a_flows_updated_at_is_read_as_a_unix_timestamp(client: TestClient,
                                                                      key_headers: dict[str, str]) -> None:
    """Found by schemathesis: the schema says updated_at is a date-time string, but FastAPI's pydantic (Langflow's
    too) reads a number as a Unix timestamp, so the flow is created; the server sets updated_at itself."""
    made = client.post("/api/v1/flows/", json={"name": "Stamped", "updated_at": -74958}, headers=key_headers)
    assert made.status_code == 201
    assert made.json()["updated_at"].startswith("20")
    spec = client.get("/openapi.json").json()
    schema = spec["paths"]["/api/v1/flows/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    read = as_pydantic_reads_body({"name": "x", "updated_at": -74958, "tags": ["a"]}, schema, spec["components"])
    assert read == {"name": "x", "updated_at": "1970-01-01T00:00:00Z", "tags": ["a"]}
    assert as_pydantic_reads_body({"name": "x", "updated_at": True}, schema, spec["components"])["updated_at"] is True


@pytest.mark.parametrize(("version", "status"), [("1.8", 500), ("1.13.0", 404)])
def test_a_deliberate_500_answered_for_another_route_passes_the_fuzzing_checks(
        make_client: Callable[..., TestClient], version: str, status: int) -> None:
    """Found by schemathesis: DELETE /api/v2/mcp/servers/%0A reaches the route without a name (Starlette's `$`)
    and gets 1.8's deliberate 500 "Server not found." (1.13: a 404); with every check excused, the harness passed
    no checks to schemathesis, which then ran all of its defaults."""
    client = make_client(langflow_version=version)
    key_headers = {"x-api-key": new_api_key(client)}
    answer = client.delete("/api/v2/mcp/servers/%0A", headers=key_headers)
    assert (answer.status_code, answer.json()) == (status, {"detail": errors.MCP_SERVER_NOT_FOUND})
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operation = schema["/api/v2/mcp/servers/{server_name}"]["DELETE"]
    case = operation.Case(path_parameters={"server_name": "%0A"}, headers=key_headers)
    validate(case, answer)  # raises if a check ran and failed


def test_langflows_422_for_a_batch_id_in_use_passes_the_fuzzing_checks(client: TestClient,
                                                                       key_headers: dict[str, str],
                                                                       chat_flow: dict[str, Any]) -> None:
    """Found by schemathesis (CI): a generated batch reused the id of a flow an earlier case had made, and got
    Langflow's 422 whose detail is a sentence, where the document declares HTTPValidationError's list. Real
    Langflow answers the same (create_flows), so the harness excuses it like the deliberate 500s; the stored
    flow is untouched."""
    flow = create_flow(client, key_headers, chat_flow)
    body = {"flows": [{"name": "other", "id": flow["id"]}]}
    answer = client.post("/api/v1/flows/batch/", json=body, headers=key_headers)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(f"Flow(s) with the following IDs already exist: {flow['id']}.")
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json()["name"] == flow["name"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    case = schema["/api/v1/flows/batch/"]["POST"].Case(body=body, headers=key_headers)
    validate(case, answer)  # raises if a check ran and failed


def test_a_number_for_a_boolean_field_is_read_as_pydantic_reads_it(client: TestClient, key_headers: dict[str, str],
                                                                    chat_flow: dict[str, Any]) -> None:
    """Found by schemathesis (the long profile): PUT /flows/{id} with `"is_component": 0.0` was counted as invalid
    input accepted; pydantic's lax mode (Langflow's too) reads 0.0 as false, so the update is right to succeed.
    A value pydantic refuses (2) is still refused."""
    flow = create_flow(client, key_headers, {**chat_flow, "is_component": True})
    put = client.put(f"/api/v1/flows/{flow['id']}", json={"name": "Lax", "is_component": 0.0}, headers=key_headers)
    assert put.status_code == 200 and put.json()["is_component"] is False
    refused = client.put(f"/api/v1/flows/{flow['id']}", json={"name": "Lax", "is_component": 2}, headers=key_headers)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "is_component"]
    spec = client.get("/openapi.json").json()
    schema = spec["paths"]["/api/v1/flows/{flow_id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    read = as_pydantic_reads_body({"is_component": 0.0, "locked": "yes", "name": "x"}, schema, spec["components"])
    assert read == {"is_component": False, "locked": True, "name": "x"}
    assert as_pydantic_reads_body({"is_component": 2}, schema, spec["components"]) == {"is_component": 2}


def test_a_repeated_query_value_is_read_as_fastapi_reads_what_went_out(client: TestClient,
                                                                       key_headers: dict[str, str]) -> None:
    """Found by schemathesis (the long profile, twice): GET /monitor/messages with `offset` generated as
    [true, 0.0, null] was counted as invalid input accepted. A null (or an empty list) is not on the wire at all,
    so FastAPI (Langflow's too) reads the last value that went out, "0.0", the integer 0; the harness now reads
    the request's URL as FastAPI does instead of guessing from the generated values."""
    assert client.get("/api/v1/monitor/messages?offset=true&offset=0.0", headers=key_headers).status_code == 200
    refused = client.get("/api/v1/monitor/messages?offset=0.0&offset=true", headers=key_headers)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["query", "offset"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operation = schema["/api/v1/monitor/messages"]["GET"]
    case = operation.Case(query={"offset": ["true", 0.0, None], "limit": [], "order": "DESC"}, headers=key_headers)
    answer = case.call()
    assert answer.status_code == 200
    declared = {p["name"]: p["schema"] for p in operation.definition.raw["parameters"] if p["in"] == "query"}
    assert query_as_fastapi_reads_it(answer.request.url, declared) == {"offset": 0, "order": "DESC"}
    assert query_as_fastapi_reads_it("/x?limit=yes&offset=1e3", declared) == {"limit": "yes", "offset": "1e3"}


def test_a_target_handle_whose_field_name_is_no_text_does_not_break_the_table_check(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """Was TypeError ("unhashable type: 'dict'") in the graph's table field check, a 500 from the mock's own code:
    an edge's targetHandle.fieldName that is an object. The loader now refuses that handle first, with the text of
    Langflow's pydantic model of it, as Langflow's loader does, before any table field is read."""
    agent = {"id": "Agent-t1", "type": "genericNode", "data": {"id": "Agent-t1", "type": "Agent", "node": {
        "template": {"_type": "Component", "output_schema": {"type": "table", "show": True, "value": ["x"]}},
        "outputs": [{"name": "response", "types": ["Message"]}]}}}
    odd = {"source": "Agent-t1", "target": "Agent-t1", "data": {
        "sourceHandle": {"dataType": "Agent", "id": "Agent-t1", "name": "response", "output_types": ["Message"]},
        "targetHandle": {"id": "Agent-t1", "fieldName": {}, "inputTypes": ["Message"], "type": "str"}}}
    flow = create_flow(client, key_headers, {"name": "odd handle", "data": {"nodes": [agent], "edges": [odd]}})
    response = client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hi"}, headers=key_headers)
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "1 validation error for TargetHandle\nfieldName\n  Input should be a valid string [type=string_type, "
        "input_value={}, input_type=dict]\n    For further information visit "
        "https://errors.pydantic.dev/2.13/v/string_type")
