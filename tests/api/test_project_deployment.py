"""1.13's project deployment routes: the deployment snapshot and atomic project replacement with its receipts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app
from tests.conftest import create_flow, new_api_key, other_user_key

CODE = "x-langflow-error-code"


def replacement(client: TestClient, headers: dict[str, str], project_id: str, body: dict[str, Any],
                operation_id: str | None = None) -> Any:
    return client.put(f"/api/v1/projects/{project_id}/replacement-operations/{operation_id or uuid4()}", json=body,
                      headers=headers)


def assert_refused(response: Any, status: int, detail: str, code: str) -> None:
    """A refusal as 1.13 answers it: the status, Langflow's detail, and the reason's code in a header."""
    assert response.status_code == status, response.text
    assert response.json() == {"detail": detail}
    assert response.headers[CODE] == code


def flow_body(graph: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    return {"id": str(uuid4()), "name": name, "data": copy.deepcopy(graph), **fields}


def with_field(graph: dict[str, Any], key: str, field: dict[str, Any]) -> dict[str, Any]:
    """The graph with one more template field on its first node."""
    graph = copy.deepcopy(graph)
    graph["nodes"][0]["data"]["node"]["template"][key] = field
    return graph


def deployed(client: TestClient, headers: dict[str, str], graph: dict[str, Any], *flows: dict[str, Any],
             name: str = "my-app") -> str:
    """A new deployment project (made by a replacement) holding `flows`; its id."""
    project_id = str(uuid4())
    response = replacement(client, headers, project_id, {"description": "CI", "project_name": name,
                                                         "flows": list(flows) or [flow_body(graph, "Main")]})
    assert response.status_code == 200, response.text
    return project_id


def project_flows(client: TestClient, headers: dict[str, str], project_id: str) -> dict[str, dict[str, Any]]:
    response = client.get(f"/api/v1/projects/{project_id}", headers=headers)
    assert response.status_code == 200, response.text
    return {flow["name"]: flow for flow in response.json()["flows"]}


# --- the deployment snapshot ----------------------------------------------------------------------------------


def test_snapshot_lists_the_flows_and_what_serving_them_needs(client: TestClient, key_headers: dict[str, str],
                                                              chat_flow: dict[str, Any]) -> None:
    created = client.post("/api/v1/variables/", json={"name": "MY_KEY", "value": "s3cret", "type": "Credential",
                                                     "default_fields": []},
                          headers=key_headers)
    assert created.status_code == 201, created.text
    graph = with_field(chat_flow["data"], "api_key", {"name": "api_key", "type": "str", "password": True,
                                                      "load_from_db": True, "value": "MY_KEY"})
    graph = with_field(graph, "account", {"name": "account", "type": "connection_ref", "value": "github/ci_bot",
                                          "required_scopes": ["repo"]})
    graph = with_field(graph, "model", {"name": "model", "type": "model", "model_type": "language",
                                        "value": [{"provider": "OpenAI", "name": "gpt-4o-mini"}]})
    first, second = flow_body(graph, "Main", endpoint_name="main", tags=["a"]), flow_body(chat_flow["data"], "Other")
    project_id = deployed(client, key_headers, graph, first, second)

    response = client.get(f"/api/v1/projects/{project_id}/deployment-snapshot", headers=key_headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["project"] == {"id": project_id, "name": "my-app", "description": "CI"}
    assert [flow["id"] for flow in body["flows"]] == sorted([first["id"], second["id"]])
    main = next(flow for flow in body["flows"] if flow["name"] == "Main")
    assert main["data"] == graph  # kept whole: nothing in it is secret
    assert (main["endpoint_name"], main["tags"], main["access_type"], main["flow_type"]) == (
        "main", ["a"], "PRIVATE", "workflow")
    assert not {"user_id", "folder_id", "workspace_id", "updated_at", "version_token"} & main.keys()
    assert {key: value for key, value in body.items() if key not in ("project", "flows")} == {
        "dependencies": {}, "required_variables": ["MY_KEY"],
        "required_connections": [{"provider": "github", "name": "ci_bot", "scopes": ["repo"]}],
        "required_providers": ["openai"],
        "required_models": [{"provider": "openai", "name": "gpt-4o-mini", "model_type": "llm"}],
        "unresolved_model_fields": 0, "required_mcp_variables": [], "required_mcp_projects": []}


def test_snapshot_refuses_a_flow_holding_a_secret(client: TestClient, key_headers: dict[str, str],
                                                  chat_flow: dict[str, Any]) -> None:
    for field in ({"name": "api_key", "type": "str", "password": True, "value": "sk-live-abcdefghijkl"},
                  {"name": "api_key", "type": "str", "load_from_db": True, "value": "NOT_A_VARIABLE"}):
        graph = with_field(chat_flow["data"], "api_key", field)
        name = f"app-{uuid4().hex[:8]}"
        project_id = deployed(client, key_headers, graph, flow_body(graph, name), name=name)
        response = client.get(f"/api/v1/projects/{project_id}/deployment-snapshot", headers=key_headers)
        assert_refused(response, 422, "Project snapshot could not be captured safely", "snapshot_unsafe")


def test_snapshot_refuses_a_flow_naming_a_base_of_the_local_store(client: TestClient, key_headers: dict[str, str],
                                                                   chat_flow: dict[str, Any]) -> None:
    # Langflow resolves a named memory or knowledge base after packing every flow: one it cannot find, and one in a
    # local store (every base of the mock's is in SQLite), cannot be provisioned on the target
    kb = {"name": "Docs", "embedding_provider": "OpenAI", "embedding_model": "text-embedding-3-small"}
    assert client.post("/api/v1/knowledge_bases", json=kb, headers=key_headers).status_code == 201
    for name in ("Docs", "Nowhere"):
        graph = with_field(chat_flow["data"], "knowledge_base", {"type": "str", "value": name})
        app = f"app-{uuid4().hex[:8]}"
        project_id = deployed(client, key_headers, graph, flow_body(graph, app), name=app)
        response = client.get(f"/api/v1/projects/{project_id}/deployment-snapshot", headers=key_headers)
        assert_refused(response, 422, "Project snapshot could not be captured safely", "snapshot_unsafe")
    # a group's inner flow is not read for them
    inner = with_field(chat_flow["data"], "knowledge_base", {"type": "str", "value": "Docs"})
    group = copy.deepcopy(chat_flow["data"])
    group["nodes"][0]["data"]["node"]["flow"] = {"data": inner}
    project_id = deployed(client, key_headers, group, flow_body(group, "grouped"), name="grouped")
    assert client.get(f"/api/v1/projects/{project_id}/deployment-snapshot", headers=key_headers).status_code == 200


def test_snapshot_errors_carry_their_code(client: TestClient, key_headers: dict[str, str],
                                          chat_flow: dict[str, Any]) -> None:
    unknown = client.get(f"/api/v1/projects/{uuid4()}/deployment-snapshot", headers=key_headers)
    assert_refused(unknown, 404, "Project not found", "snapshot_project_not_found")

    empty = client.post("/api/v1/projects/", json={"name": "Empty"}, headers=key_headers).json()
    response = client.get(f"/api/v1/projects/{empty['id']}/deployment-snapshot", headers=key_headers)
    assert_refused(response, 422, "project has no flows to package", "snapshot_empty")

    deep: Any = "leaf"
    for _ in range(130):
        deep = {"inner": deep}
    graph = {**copy.deepcopy(chat_flow["data"]), "deep": deep}
    flow = create_flow(client, key_headers, {"name": "Deep", "data": graph, "folder_id": empty["id"]})
    response = client.get(f"/api/v1/projects/{empty['id']}/deployment-snapshot", headers=key_headers)
    assert_refused(response, 413, f"flow file {flow['id']} exceeds the 128-level nesting limit", "snapshot_too_large")


def test_another_users_project_is_not_found(client: TestClient, key_headers: dict[str, str],
                                            chat_flow: dict[str, Any]) -> None:
    project_id = deployed(client, key_headers, chat_flow["data"])
    bob = {"x-api-key": other_user_key(client, key_headers)}
    response = client.get(f"/api/v1/projects/{project_id}/deployment-snapshot", headers=bob)
    assert (response.status_code, response.headers[CODE]) == (404, "snapshot_project_not_found")
    response = replacement(client, bob, project_id, {"description": None, "flows": []})
    assert_refused(response, 404, "Project not found", "replacement_project_not_found")


# --- replacement operations ---------------------------------------------------------------------------------


def test_replacement_replaces_the_whole_flow_set(client: TestClient, key_headers: dict[str, str],
                                                 chat_flow: dict[str, Any]) -> None:
    graph = chat_flow["data"]
    keep, drop = flow_body(graph, "Keep", endpoint_name="keep"), flow_body(graph, "Drop")
    project_id = deployed(client, key_headers, graph, keep, drop)
    # the project it made has its MCP server entry, as a project a POST makes
    servers = client.get("/api/v2/mcp/servers", headers=key_headers).json()
    assert "lf-my_app" in [server["name"] for server in servers]
    added = flow_body(graph, "Added", endpoint_name="added")
    operation = str(uuid4())
    # the kept flow takes the name the added flow had nowhere yet, and the names may be swapped freely
    body = {"description": "v2", "flows": [{**keep, "name": "Renamed", "description": "new"}, added]}
    response = replacement(client, key_headers, project_id, body, operation)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["project"] == {"id": project_id, "name": "my-app", "description": "v2", "auth_settings": None,
                                 "parent_id": None}
    assert [(f["id"], f["name"], f["endpoint_name"], f["description"]) for f in result["flows"]] == [
        (keep["id"], "Renamed", "keep", "new"), (added["id"], "Added", "added", None)]
    assert set(project_flows(client, key_headers, project_id)) == {"Renamed", "Added"}
    assert client.get(f"/api/v1/flows/{drop['id']}", headers=key_headers).status_code == 404

    read = client.get(f"/api/v1/projects/{project_id}/replacement-operations/{operation}", headers=key_headers)
    assert read.status_code == 200
    assert read.json() == result
    missing = client.get(f"/api/v1/projects/{project_id}/replacement-operations/{uuid4()}", headers=key_headers)
    assert_refused(missing, 404, "Replacement operation not found", "replacement_operation_not_found")


def test_a_retry_answers_the_receipt_and_another_body_is_refused(client: TestClient, key_headers: dict[str, str],
                                                                 chat_flow: dict[str, Any]) -> None:
    project_id = deployed(client, key_headers, chat_flow["data"])
    operation = str(uuid4())
    body = {"description": "v2", "flows": [flow_body(chat_flow["data"], "Fresh")]}
    first = replacement(client, key_headers, project_id, body, operation)
    assert first.status_code == 200, first.text
    flow_id = first.json()["flows"][0]["id"]
    patched = client.patch(f"/api/v1/flows/{flow_id}", json={"name": "Edited since"}, headers=key_headers)
    assert patched.status_code == 200, patched.text

    retry = replacement(client, key_headers, project_id, body, operation)
    assert retry.status_code == 200
    assert retry.json() == first.json()  # the committed answer, not a second replacement
    assert set(project_flows(client, key_headers, project_id)) == {"Edited since"}

    other = replacement(client, key_headers, project_id, {**body, "description": "v3"}, operation)
    assert_refused(other, 409, "Operation ID already used with a different request",
                   "replacement_operation_id_conflict")


def test_a_refused_replacement_changes_nothing(client: TestClient, key_headers: dict[str, str],
                                              chat_flow: dict[str, Any]) -> None:
    graph = chat_flow["data"]
    locked, other = flow_body(graph, "Locked", locked=True), flow_body(graph, "Other")
    project_id = deployed(client, key_headers, graph, locked, other)
    before = project_flows(client, key_headers, project_id)
    operation = str(uuid4())
    # Other goes first, then the locked flow's change is refused (423): the deletion is rolled back with it
    response = replacement(client, key_headers, project_id,
                           {"description": "v2", "flows": [{**locked, "name": "Changed"}]}, operation)
    assert response.status_code == 423, response.text
    assert project_flows(client, key_headers, project_id) == before
    assert client.get(f"/api/v1/projects/{project_id}/replacement-operations/{operation}",
                      headers=key_headers).status_code == 404

    create_flow(client, key_headers, {"name": "Elsewhere", "data": graph})
    clash = replacement(client, key_headers, project_id,
                        {"description": None, "flows": [flow_body(graph, "Elsewhere")]})
    assert_refused(clash, 409, "Name must be unique", "replacement_flow_name_conflict")
    assert project_flows(client, key_headers, project_id) == before


def test_replacement_refusals_name_their_reason(client: TestClient, key_headers: dict[str, str],
                                                chat_flow: dict[str, Any]) -> None:
    graph = chat_flow["data"]
    project_id = deployed(client, key_headers, graph)
    twice = flow_body(graph, "Twice")
    cases = [
        (str(uuid4()), {"description": None, "flows": []}, 404, "replacement_project_not_found"),
        (str(uuid4()), {"description": None, "flows": [], "project_name": "Not A Slug"}, 422,
         "replacement_invalid_project_name"),
        (project_id, {"description": None, "flows": [], "project_name": "my-app"}, 409,
         "replacement_project_already_exists"),
        (project_id, {"description": None, "flows": [twice, twice]}, 422, "replacement_duplicate_flow_ids"),
        (project_id, {"description": None, "flows": [flow_body(graph, "A"), flow_body(graph, "A")]}, 409,
         "replacement_duplicate_flow_names"),
        (project_id, {"description": None, "flows": [flow_body(graph, "A", folder_id=str(uuid4()))]}, 409,
         "replacement_flow_folder_mismatch"),
    ]
    for target, body, status, code in cases:
        response = replacement(client, key_headers, target, body)
        assert (response.status_code, response.headers.get(CODE)) == (status, code), body
    starter = client.get("/api/v1/projects/", headers=key_headers).json()[0]
    response = replacement(client, key_headers, starter["id"], {"description": None, "flows": []})
    assert (response.status_code, response.headers[CODE]) == (404, "replacement_project_not_found")
    extra = replacement(client, key_headers, project_id, {"description": None, "flows": [], "extra": 1})
    assert extra.status_code == 422
    assert extra.json()["detail"][0]["type"] == "extra_forbidden"


def test_a_receipt_survives_a_restart_of_a_kept_data_dir(tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    settings = Settings(data_dir=tmp_path / "kept", ephemeral=False)
    operation, project_id = str(uuid4()), str(uuid4())
    body = {"description": "CI", "project_name": "kept-app", "flows": [flow_body(chat_flow["data"], "Main")]}
    with TestClient(create_app(settings)) as first:
        headers = {"x-api-key": new_api_key(first)}
        committed = replacement(first, headers, project_id, body, operation)
        assert committed.status_code == 200, committed.text
    with TestClient(create_app(settings)) as second:
        read = second.get(f"/api/v1/projects/{project_id}/replacement-operations/{operation}", headers=headers)
        assert read.status_code == 200
        assert read.json() == committed.json()
        assert replacement(second, headers, project_id, body, operation).json() == committed.json()


def test_older_releases_have_no_deployment_routes(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    project_id = client.get("/api/v1/projects/", headers=headers).json()[0]["id"]
    assert client.get(f"/api/v1/projects/{project_id}/deployment-snapshot", headers=headers).status_code == 404
    response = replacement(client, headers, project_id, {"description": None, "flows": []})
    assert response.status_code in (404, 405)


def test_a_project_keeps_its_newest_ten_receipts(client: TestClient, key_headers: dict[str, str],
                                                 chat_flow: dict[str, Any]) -> None:
    project_id = deployed(client, key_headers, chat_flow["data"])
    operations = sorted(str(uuid4()) for _ in range(11))  # (ascending: a tie in time ranks the first oldest)
    for index, operation in enumerate(operations):
        body = {"description": f"v{index}", "flows": []}
        assert replacement(client, key_headers, project_id, body, operation).status_code == 200
    oldest = client.get(f"/api/v1/projects/{project_id}/replacement-operations/{operations[0]}", headers=key_headers)
    assert_refused(oldest, 410, "Replacement receipt has expired", "replacement_receipt_expired")
    retry = replacement(client, key_headers, project_id, {"description": "v0", "flows": []}, operations[0])
    assert_refused(retry, 410, "Replacement receipt has expired", "replacement_receipt_expired")
    assert client.get(f"/api/v1/projects/{project_id}", headers=key_headers).json()["description"] == "v10"
    newest = client.get(f"/api/v1/projects/{project_id}/replacement-operations/{operations[1]}", headers=key_headers)
    assert newest.status_code == 200


def test_a_reset_forgets_the_receipts(client: TestClient, key_headers: dict[str, str],
                                      chat_flow: dict[str, Any]) -> None:
    operation, project_id = str(uuid4()), str(uuid4())
    body = {"description": None, "project_name": "reset-app", "flows": [flow_body(chat_flow["data"], "Main")]}
    assert replacement(client, key_headers, project_id, body, operation).status_code == 200
    assert client.post("/_mock/reset", headers=key_headers).status_code == 200
    read = client.get(f"/api/v1/projects/{project_id}/replacement-operations/{operation}", headers=key_headers)
    assert read.status_code == 404
    again = replacement(client, key_headers, project_id, body, operation)  # a new operation: the project again
    assert again.status_code == 200, again.text
