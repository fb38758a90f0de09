"""1.13's audit trail: the reads (/api/v1/audits and its export, /flows/audits, /projects/audits) as a default
install answers them (auditing off: nothing recorded), and, with LANGFLOW_AUDIT_ENABLED, the events the flow and
project routes record."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from mock_langflow.app import build_state, create_app
from mock_langflow.clock import Clock
from mock_langflow.settings import Settings
from tests.conftest import auto_login_token, create_flow, other_user_key

FEED, EXPORT, FLOWS, PROJECTS = "/api/v1/audits", "/api/v1/audits/export", "/api/v1/flows/audits", \
    "/api/v1/projects/audits"
EMPTY_GRAPH = {"nodes": [], "edges": []}
PLACED = ["folder_id", "name", "workspace_id"]  # what every flow create writes, besides what was sent


@pytest.fixture
def audited(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(audit_enabled=True)


def admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {auto_login_token(client)}"}


def key_of(client: TestClient, headers: dict[str, str]) -> tuple[dict[str, str], str]:
    """A new API key of the caller: its headers and its id."""
    made = client.post("/api/v1/api_key/", json={"name": "audit"}, headers=headers).json()
    return {"x-api-key": made["api_key"]}, made["id"]


def items(client: TestClient, path: str, headers: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    response = client.get(path, params=query, headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def project(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/projects/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


# --- a default install ------------------------------------------------------------------------------------------

def test_a_default_install_records_nothing_and_reads_empty_pages(client: TestClient) -> None:
    headers = admin(client)
    flow = create_flow(client, headers, {"name": "quiet", "data": EMPTY_GRAPH})
    assert client.patch(f"/api/v1/flows/{flow['id']}", json={"name": "still quiet"}, headers=headers).status_code == 200
    assert client.delete(f"/api/v1/flows/{flow['id']}", headers=headers).status_code == 200
    made = project(client, headers, name="Quiet")
    assert client.delete(f"/api/v1/projects/{made['id']}", headers=headers).status_code == 204
    kept = create_flow(client, headers, {"name": "Kept", "data": EMPTY_GRAPH})
    assert upload(client, "/api/v1/flows/upload/", headers, {"name": "Up", "data": EMPTY_GRAPH}).status_code == 201
    assert upload(client, "/api/v1/projects/upload/", headers, {"folder_name": "Up", "flows": []}).status_code == 201
    assert client.patch(f"/api/v1/mcp/project/{kept['folder_id']}", json={"settings": [], "auth_settings": {
        "auth_type": "none"}}, headers=headers).status_code == 200
    version = client.post(f"/api/v1/flows/{kept['id']}/versions/", json={}, headers=headers).json()
    assert client.post(f"/api/v1/flows/{kept['id']}/versions/{version['id']}/activate",
                       headers=headers).status_code == 200
    for path in (FLOWS, PROJECTS):
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        assert response.json() == {"items": [], "next_cursor": None}
    response = client.get(FEED, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None, "total": None}
    assert client.get(FEED, params={"include_total": "true"}, headers=headers).json()["total"] == 0


# --- what the flow routes record ----------------------------------------------------------------------------------

def test_a_flows_create_update_and_delete_are_recorded_newest_first(audited: TestClient) -> None:
    headers = admin(audited)
    me = audited.get("/api/v1/users/whoami", headers=headers).json()["id"]
    flow = create_flow(audited, headers, {"name": "Audited", "data": EMPTY_GRAPH})
    response = audited.patch(f"/api/v1/flows/{flow['id']}", json={"name": "Renamed", "description": "d", "tags": None},
                             headers=headers)
    assert response.status_code == 200
    assert audited.delete(f"/api/v1/flows/{flow['id']}", headers=headers).status_code == 200

    deleted, patched, created = items(audited, FLOWS, headers)
    actor = {"type": "user", "id": me, "user_id": me, "acting_issuer": None, "acting_subject": None}
    common = {"event_type": "action", "result": "succeeded", "error_code": None, "actor": actor,
              "flow_id": flow["id"]}
    assert {k: created[k] for k in common} == common
    assert (created["action"], created["operation"], created["flow_name"]) == ("flow:create", "create", "Audited")
    # a create writes the project Langflow's destination check puts in the body too
    assert created["details"] == {"schema_version": 1, "written_fields": ["data", *PLACED],
                                  "project": {"before_id": None, "after_id": flow["folder_id"]}}
    assert (patched["action"], patched["operation"], patched["flow_name"]) == ("flow:write", "patch", "Renamed")
    assert patched["details"] == {"schema_version": 1, "written_fields": ["description", "name"]}
    assert (deleted["action"], deleted["operation"], deleted["flow_name"]) == ("flow:delete", "delete", "Renamed")
    assert deleted["details"] == {"schema_version": 1, "project": {"before_id": flow["folder_id"], "after_id": None}}
    # one request id per request, a time in full with its zone
    assert len({e["request_id"] for e in (created, patched, deleted)}) == 3
    assert created["timestamp"].endswith("Z") and len(created["timestamp"]) == len("2026-01-01T00:00:00.000000Z")


def test_a_patch_clearing_the_endpoint_name_records_it_written(audited: TestClient) -> None:
    headers = admin(audited)
    flow = create_flow(audited, headers, {"name": "Pointed", "data": EMPTY_GRAPH, "endpoint_name": "pointed"})
    response = audited.patch(f"/api/v1/flows/{flow['id']}", json={"endpoint_name": None}, headers=headers)
    assert response.json()["endpoint_name"] is None
    assert items(audited, FLOWS, headers)[0]["details"] == {"schema_version": 1, "written_fields": ["endpoint_name"]}

def test_an_api_key_caller_is_recorded_as_its_key(audited: TestClient) -> None:
    headers, key_id = key_of(audited, admin(audited))
    create_flow(audited, headers, {"name": "By key", "data": EMPTY_GRAPH})
    [event] = items(audited, FLOWS, headers)
    assert event["actor"]["type"] == "api_key"
    assert event["actor"]["id"] == key_id
    assert event["actor"]["user_id"] == audited.get("/api/v1/users/whoami", headers=headers).json()["id"]


def test_a_failure_after_authorization_is_one_failed_event_and_a_refused_lookup_none(audited: TestClient) -> None:
    headers = admin(audited)
    flow = create_flow(audited, headers, {"name": "Guarded", "data": EMPTY_GRAPH})
    stale = {**headers, "If-Match": f'"{uuid4()}"'}
    assert audited.patch(f"/api/v1/flows/{flow['id']}", json={"name": "x"}, headers=stale).status_code == 409
    assert audited.patch(f"/api/v1/flows/{uuid4()}", json={"name": "x"}, headers=headers).status_code == 404
    assert audited.delete(f"/api/v1/flows/{uuid4()}", headers=headers).status_code == 404
    failed, _created = items(audited, FLOWS, headers)
    assert (failed["action"], failed["operation"], failed["result"]) == ("flow:write", "patch", "failed")
    # Langflow's classification of a 409 on a flow; the error's own text is never stored
    assert failed["error_code"] == "FLOW_NAME_CONFLICT"
    assert failed["details"] == {"schema_version": 1, "attempted_fields": ["name"]}
    assert (failed["flow_id"], failed["flow_name"]) == (flow["id"], "Guarded")


def test_a_batch_create_and_delete_record_one_event_a_flow(audited: TestClient) -> None:
    headers = admin(audited)
    made = audited.post("/api/v1/flows/batch/", json={"flows": [{"name": "one"}, {"name": "two", "data": EMPTY_GRAPH}]},
                        headers=headers).json()
    response = audited.request("DELETE", "/api/v1/flows/", json=[f["id"] for f in made], headers=headers)
    assert response.status_code == 200
    events = items(audited, FLOWS, headers)
    assert sorted((e["action"], e["flow_name"]) for e in events) == [
        ("flow:create", "one"), ("flow:create", "two"), ("flow:delete", "one"), ("flow:delete", "two")]
    written = {e["flow_name"]: e["details"]["written_fields"] for e in events if e["action"] == "flow:create"}
    assert written == {"one": PLACED, "two": ["data", *PLACED]}


def test_a_put_records_a_create_then_a_replace(audited: TestClient) -> None:
    headers, flow_id = admin(audited), str(uuid4())
    assert audited.put(f"/api/v1/flows/{flow_id}", json={"name": "Put"}, headers=headers).status_code == 201
    assert audited.put(f"/api/v1/flows/{flow_id}", json={"name": "Put", "description": "d"},
                       headers=headers).status_code == 200
    bad = {**headers, "If-Match": "not a token"}
    assert audited.put(f"/api/v1/flows/{flow_id}", json={"name": "Put"}, headers=bad).status_code == 400
    replaced, created = items(audited, FLOWS, headers)  # (the malformed If-Match is refused unrecorded)
    assert (created["action"], created["operation"]) == ("flow:create", "create")
    assert (replaced["action"], replaced["operation"]) == ("flow:write", "replace")
    assert replaced["details"] == {"schema_version": 1, "written_fields": ["description", "name"]}


def test_excluded_events_are_not_recorded(make_client: Callable[..., TestClient]) -> None:
    client = make_client(audit_enabled=True, audit_exclude_events=["flow:write", "nothing:here"])
    headers = admin(client)
    flow = create_flow(client, headers, {"name": "Half", "data": EMPTY_GRAPH})
    client.patch(f"/api/v1/flows/{flow['id']}", json={"name": "Half 2"}, headers=headers)
    assert [e["action"] for e in items(client, FLOWS, headers)] == ["flow:create"]


# --- what the project routes record -------------------------------------------------------------------------------

def test_a_projects_life_is_recorded_with_its_flows(audited: TestClient) -> None:
    headers = admin(audited)
    flow = create_flow(audited, headers, {"name": "Member", "data": EMPTY_GRAPH})
    made = project(audited, headers, name="Audited", description="first", flows_list=[flow["id"]])
    assert audited.patch(f"/api/v1/projects/{made['id']}", json={"name": "Renamed"}, headers=headers).status_code == 200
    assert audited.delete(f"/api/v1/projects/{made['id']}", headers=headers).status_code == 204

    deleted, patched, created = items(audited, PROJECTS, headers)
    member = {"id": flow["id"], "name": "Member"}
    assert (created["action"], created["project_id"], created["project_name"]) == ("project:create", made["id"],
                                                                                   "Audited")
    assert created["details"] == {"schema_version": 1, "description": "first", "flows": {
        "before_count": 0, "after_count": 1, "updated_count": 0, "changes": [{**member, "change": "added"}],
        "truncated": False}}
    assert (patched["action"], patched["operation"], patched["details"]) == ("project:write", "patch",
                                                                             {"schema_version": 1})
    assert deleted["details"]["flows"]["changes"] == [{**member, "change": "removed"}]
    # the flow's own trail: moved in by the project's create, deleted with it, in the same request as the project
    flow_deleted, moved, _created = items(audited, FLOWS, headers)
    assert (moved["action"], moved["details"]) == ("flow:write", {
        "schema_version": 1, "written_fields": ["folder_id"],
        "project": {"before_id": flow["folder_id"], "after_id": made["id"]}})
    assert moved["request_id"] == created["request_id"]
    assert flow_deleted["details"]["project"] == {"before_id": made["id"], "after_id": None}
    assert flow_deleted["request_id"] == deleted["request_id"]


def test_a_project_name_conflict_is_recorded_as_one(audited: TestClient) -> None:
    headers = admin(audited)
    project(audited, headers, name="Taken")
    project_id = str(uuid4())
    assert audited.put(f"/api/v1/projects/{project_id}", json={"name": "Taken"}, headers=headers).status_code == 409
    failed = items(audited, PROJECTS, headers, result="failed")
    # a PUT at a free id is a create, once authorized
    assert [(e["action"], e["operation"], e["project_id"], e["error_code"], e["details"]) for e in failed] == [
        ("project:create", "create", project_id, "PROJECT_NAME_CONFLICT",
         {"schema_version": 1, "attempted_fields": ["name"]})]


# --- uploads, MCP settings, version activations -------------------------------------------------------------------

def upload(client: TestClient, path: str, headers: dict[str, str], body: Any, **params: str) -> Any:
    return client.post(path, params=params, headers=headers,
                       files={"file": ("upload.json", json.dumps(body).encode(), "application/json")})


def test_a_flow_upload_records_a_replace_of_an_owned_flow_and_a_create_of_a_new_one(audited: TestClient) -> None:
    headers = admin(audited)
    mine = create_flow(audited, headers, {"name": "Mine", "data": EMPTY_GRAPH})
    target = project(audited, headers, name="Target")
    response = upload(audited, "/api/v1/flows/upload/", headers, {"flows": [
        {"id": mine["id"], "name": "Mine again", "description": None}, {"name": "Fresh", "data": EMPTY_GRAPH}]},
        folder_id=target["id"])
    assert response.status_code == 201
    moved, fresh = response.json()
    assert moved["folder_id"] == fresh["folder_id"] == target["id"]
    replaced, created = sorted(items(audited, FLOWS, headers, operation="replace,create")[:2],
                               key=lambda e: e["operation"], reverse=True)
    assert (replaced["action"], replaced["flow_id"], replaced["flow_name"]) == ("flow:write", mine["id"], "Mine again")
    # an owned flow's project is always written: the one sent, else the one it had
    assert replaced["details"] == {"schema_version": 1, "written_fields": ["folder_id", "name"],
                                   "project": {"before_id": mine["folder_id"], "after_id": target["id"]}}
    assert (created["action"], created["flow_id"], created["flow_name"]) == ("flow:create", fresh["id"], "Fresh")
    assert created["details"] == {"schema_version": 1, "written_fields": ["data", *PLACED],
                                  "project": {"before_id": None, "after_id": target["id"]}}
    assert replaced["request_id"] == created["request_id"]


def test_a_flow_upload_failing_once_its_flows_are_read_is_one_failed_event(audited: TestClient) -> None:
    headers, path, same = admin(audited), "/api/v1/flows/upload/", str(uuid4())
    # refused before any flow is authorized: unrecorded
    bad = audited.post(path, headers=headers, files={"file": ("bad.json", b"{nope", "application/json")})
    assert bad.status_code == 400
    twice = upload(audited, path, headers, {"flows": [{"id": same, "name": "a"}, {"id": same, "name": "b"}]})
    assert twice.status_code == 422
    assert upload(audited, path, headers, {"flows": []}).json() == []
    escaping = upload(audited, path, headers, {"name": "Escaping", "fs_path": "../outside.json"})
    assert escaping.status_code == 400
    [failed] = items(audited, FLOWS, headers)
    assert (failed["action"], failed["operation"], failed["result"], failed["error_code"]) == (
        "flow:create", "create", "failed", "INVALID_CONTENT")
    # Langflow's upload names neither the flow nor the fields it attempted
    assert (failed["flow_id"], failed["flow_name"]) == (str(UUID(int=0)), None)
    assert failed["details"] == {"schema_version": 1}


def test_a_project_upload_records_each_flows_create_then_the_projects(audited: TestClient) -> None:
    headers = admin(audited)
    response = upload(audited, "/api/v1/projects/upload/", headers, {
        "folder_name": "Imported", "folder_description": "from a file",
        "flows": [{"name": "One", "data": EMPTY_GRAPH}, {"name": "Two", "description": "d"}]})
    assert response.status_code == 201
    flows = response.json()
    [made] = items(audited, PROJECTS, headers)
    assert (made["action"], made["operation"], made["project_id"], made["project_name"]) == (
        "project:create", "create", flows[0]["folder_id"], "Imported")
    added = sorted(({"id": f["id"], "name": f["name"], "change": "added"} for f in flows), key=lambda c: c["id"])
    assert made["details"] == {"schema_version": 1, "description": "from a file", "flows": {
        "before_count": 0, "after_count": 2, "updated_count": 0, "changes": added, "truncated": False}}
    created = items(audited, FLOWS, headers)
    assert sorted((e["action"], e["flow_name"], e["details"]["written_fields"]) for e in created) == [
        ("flow:create", "One", ["data", *PLACED]), ("flow:create", "Two", ["description", *PLACED])]
    assert {e["request_id"] for e in created} == {made["request_id"]}


def test_a_project_upload_is_authorized_before_its_file_is_read(audited: TestClient) -> None:
    headers, path = admin(audited), "/api/v1/projects/upload/"
    assert audited.post(path, headers=headers).status_code == 400  # no file
    assert upload(audited, path, headers, {"folder_name": "No flows"}).status_code == 400
    failed = items(audited, PROJECTS, headers)
    assert [(e["action"], e["result"], e["error_code"], e["project_id"], e["project_name"], e["details"])
            for e in failed] == 2 * [("project:create", "failed", "INVALID_CONTENT", str(UUID(int=0)), None,
                                      {"schema_version": 1})]


def test_an_excluded_flow_create_leaves_a_project_uploads_own_event(make_client: Callable[..., TestClient]) -> None:
    client = make_client(audit_enabled=True, audit_exclude_events=["flow:*"])
    headers = admin(client)
    body = {"folder_name": "Half", "flows": [{"name": "Left out", "data": EMPTY_GRAPH}]}
    assert upload(client, "/api/v1/projects/upload/", headers, body).status_code == 201
    assert items(client, FLOWS, headers) == []
    assert [e["action"] for e in items(client, PROJECTS, headers)] == ["project:create"]


def test_mcp_settings_record_each_listed_flow_and_the_projects_auth(audited: TestClient) -> None:
    headers = admin(audited)
    listed = create_flow(audited, headers, {"name": "Tool", "data": EMPTY_GRAPH})
    create_flow(audited, headers, {"name": "Unlisted", "data": EMPTY_GRAPH})
    pid, path = listed["folder_id"], f"/api/v1/mcp/project/{listed['folder_id']}"
    settings = [{"id": listed["id"], "mcp_enabled": True, "action_name": "tool", "action_description": "A tool."}]
    assert audited.patch(path, json={"settings": settings}, headers=headers).json() == {
        "message": "Updated MCP settings for 1 flows and project auth settings"}
    assert audited.patch(path, json={"settings": [], "auth_settings": {"auth_type": "none"}},
                         headers=headers).status_code == 200
    assert audited.patch(f"/api/v1/mcp/project/{uuid4()}", json={"settings": []}, headers=headers).status_code == 404
    [written] = items(audited, FLOWS, headers, operation="patch")
    assert (written["action"], written["flow_id"], written["flow_name"], written["details"]) == (
        "flow:write", listed["id"], "Tool",
        {"schema_version": 1, "written_fields": ["action_description", "action_name", "mcp_enabled"]})
    # only the request that sent auth settings writes the project; an unknown project records nothing
    [auth] = items(audited, PROJECTS, headers)
    name = next(p["name"] for p in audited.get("/api/v1/projects/", headers=headers).json() if p["id"] == pid)
    assert (auth["action"], auth["operation"], auth["project_id"], auth["project_name"], auth["details"]) == (
        "project:write", "patch", pid, name, {"schema_version": 1})


def test_a_version_activation_records_a_patch_of_the_graph(audited: TestClient) -> None:
    headers = admin(audited)
    flow = create_flow(audited, headers, {"name": "Versioned", "data": EMPTY_GRAPH})
    base = f"/api/v1/flows/{flow['id']}/versions"
    version = audited.post(f"{base}/", json={"description": "kept"}, headers=headers).json()
    assert audited.post(f"{base}/{version['id']}/activate", headers=headers).status_code == 200
    # refused before authorization (a stale If-Match, an unknown flow): unrecorded
    stale = {**headers, "If-Match": f'"{uuid4()}"'}
    assert audited.post(f"{base}/{version['id']}/activate", headers=stale).status_code == 409
    assert audited.post(f"/api/v1/flows/{uuid4()}/versions/{version['id']}/activate",
                        headers=headers).status_code == 404
    assert audited.post(f"{base}/{uuid4()}/activate", headers=headers).status_code == 404
    failed, activated, _created = items(audited, FLOWS, headers)
    assert (activated["action"], activated["operation"], activated["flow_name"], activated["details"]) == (
        "flow:write", "patch", "Versioned", {"schema_version": 1, "written_fields": ["data"]})
    assert (failed["result"], failed["error_code"], failed["flow_id"], failed["flow_name"], failed["details"]) == (
        "failed", "FLOW_NOT_FOUND", flow["id"], "Versioned", {"schema_version": 1})


# --- who reads what -----------------------------------------------------------------------------------------------

def test_the_feed_and_its_export_are_for_superusers(audited: TestClient) -> None:
    bob = {"x-api-key": other_user_key(audited, admin(audited))}
    for path in (FEED, EXPORT):
        response = audited.get(path, headers=bob)
        assert response.status_code == 403
        assert response.json() == {"detail": "The user doesn't have enough privileges"}


def test_an_ordinary_user_reads_their_own_flows_and_doings(audited: TestClient) -> None:
    headers = admin(audited)
    bob = {"x-api-key": other_user_key(audited, headers)}
    create_flow(audited, headers, {"name": "Admin's", "data": EMPTY_GRAPH})
    create_flow(audited, bob, {"name": "Bob's", "data": EMPTY_GRAPH})
    assert [e["flow_name"] for e in items(audited, FLOWS, bob)] == ["Bob's"]
    assert sorted(e["flow_name"] for e in items(audited, FLOWS, headers)) == ["Admin's", "Bob's"]


# --- the feed -----------------------------------------------------------------------------------------------------

def test_the_feed_pages_by_cursor_and_offset_newest_first(audited: TestClient) -> None:
    headers = admin(audited)
    for n in range(5):
        create_flow(audited, headers, {"name": f"f{n}", "data": EMPTY_GRAPH})
    first = audited.get(FEED, params={"limit": 2, "include_total": "true"}, headers=headers).json()
    assert [i["resource_name"] for i in first["items"]] == ["f4", "f3"] and first["total"] == 5
    item = first["items"][0]
    assert (item["source"], item["kind"], item["resource_type"], item["operation"]) == ("resource", "action", "flow",
                                                                                        "create")
    assert item["actor"]["id"] == item["actor_id"] and item["actor_type"] == "user"
    second = audited.get(FEED, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers).json()
    assert [i["resource_name"] for i in second["items"]] == ["f2", "f1"]
    jumped = audited.get(FEED, params={"limit": 2, "offset": 4}, headers=headers).json()
    assert [i["resource_name"] for i in jumped["items"]] == ["f0"] and jumped["next_cursor"] is None
    assert audited.get(FEED, params={"offset": 9}, headers=headers).json()["items"] == []
    # a cursor is bound to the filters it was issued for
    other = audited.get(FEED, params={"cursor": first["next_cursor"], "source": "resource"}, headers=headers)
    assert other.status_code == 400
    assert other.json() == {"detail": "Cursor was issued for different filters"}
    assert audited.get(FEED, params={"cursor": "nonsense!"}, headers=headers).json() == {"detail": "Malformed cursor"}


def test_the_feed_filters_and_searches(audited: TestClient) -> None:
    headers = admin(audited)
    flow = create_flow(audited, headers, {"name": "Invoice 100%", "data": EMPTY_GRAPH})
    create_flow(audited, headers, {"name": "Other", "data": EMPTY_GRAPH})
    audited.delete(f"/api/v1/flows/{flow['id']}", headers=headers)
    names = [i["resource_name"] for i in items(audited, FEED, headers, q="invoice 100%")]
    assert names == ["Invoice 100%", "Invoice 100%"]
    assert [i["action"] for i in items(audited, FEED, headers, action="flow:delete")] == ["flow:delete"]
    # a comma-separated list is a list, as Langflow's middleware splits it
    assert len(items(audited, FEED, headers, operation="create,delete")) == 3
    assert items(audited, FEED, headers, exclude_action="flow:create") == items(audited, FEED, headers,
                                                                                 operation="delete")
    assert items(audited, FEED, headers, resource_id=flow["id"], source="authz") == []
    assert items(audited, FEED, headers, result="failed") == []


def test_the_feed_takes_the_authorization_log_too(make_client: Callable[..., TestClient]) -> None:
    client = make_client(audit_enabled=True, authz_audit_enabled=True)
    headers = admin(client)
    assert client.post("/api/v1/authz/roles", json={"name": "auditor", "permissions": ["flow:read"]},
                       headers=headers).status_code == 201
    create_flow(client, headers, {"name": "Mixed", "data": EMPTY_GRAPH})
    feed = items(client, FEED, headers)
    assert [i["source"] for i in feed] == ["resource", "authz"]
    role = feed[1]
    assert (role["kind"], role["operation"], role["resource_name"], role["error_code"]) == ("action", None, None, None)
    assert role["request_id"] == role["details"]["request_id"]
    assert [i["source"] for i in items(client, FEED, headers, source="authz")] == ["authz"]
    assert [i["source"] for i in items(client, FEED, headers, operation="create")] == ["resource"]


@pytest.mark.parametrize(("path", "query", "detail"), [
    (FEED, {"color": "red"}, "Unknown query parameter: color"),
    (FEED, {"source": ""}, "Empty value for query parameter: source"),
    (FEED, {"limit": "0"}, "limit must be an integer from 1 through 200"),
    (FEED, {"limit": "1,2"}, "Query parameter may appear once: limit"),
    (FEED, {"source": "elsewhere"}, "Unsupported value for source"),
    (FEED, {"action": "no spaces"}, "Unsupported value for action"),
    (FEED, {"user_id": "me"}, "user_id must be a UUID"),
    (FEED, {"since": "2026-01-01"}, "since must be an RFC 3339 timestamp with a timezone offset"),
    (FEED, {"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00+00:00"}, "until must be later than since"),
    (FEED, {"q": "  "}, "q must be 1 to 200 characters"),
    (FEED, {"offset": "-1"}, "offset must be an integer from 0 through 1000000"),
    (FEED, {"offset": "2", "cursor": "x"}, "offset and cursor cannot be combined"),
    (FEED, {"include_total": "yes"}, "include_total must be true or false"),
    (EXPORT, {"cursor": "x"}, "Unknown query parameter: cursor"),
    (FLOWS, {"project_id": "x"}, "Unknown query parameter: project_id"),
    (FLOWS, {"operation": "rename"}, "Unsupported value for operation"),
    (FLOWS, {"event_type": "authz"}, "Unsupported value for event_type"),
    (FLOWS, {"result": "allow"}, "Unsupported value for result"),
    (FLOWS, {"acting_issuer": "https://idp"}, "acting_issuer must be paired with acting_subject"),
    (FLOWS, {"acting_subject": "s" * 513}, "acting_subject is longer than 512 characters"),
    (PROJECTS, {"limit": "201"}, "limit must be an integer from 1 through 200"),
    (PROJECTS, {"cursor": "x"}, "Malformed cursor"),
])
def test_a_query_the_reads_cannot_honour_is_a_400(audited: TestClient, path: str, query: dict[str, str],
                                                  detail: str) -> None:
    response = audited.get(path, params=query, headers=admin(audited))
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


def test_the_flow_trail_pages_and_filters(audited: TestClient) -> None:
    headers = admin(audited)
    flows = [create_flow(audited, headers, {"name": f"p{n}", "data": EMPTY_GRAPH}) for n in range(3)]
    audited.delete(f"/api/v1/flows/{flows[0]['id']}", headers=headers)
    page = audited.get(FLOWS, params={"limit": 3}, headers=headers).json()
    assert [e["flow_name"] for e in page["items"]] == ["p0", "p2", "p1"]
    rest = audited.get(FLOWS, params={"limit": 3, "cursor": page["next_cursor"]}, headers=headers).json()
    assert ([e["flow_name"] for e in rest["items"]], rest["next_cursor"]) == (["p0"], None)
    one = items(audited, FLOWS, headers, flow_id=flows[0]["id"])
    assert [e["operation"] for e in one] == ["delete", "create"]
    assert [e["flow_name"] for e in items(audited, FLOWS, headers, operation="delete")] == ["p0"]
    request_id = one[0]["request_id"]
    assert [e["id"] for e in items(audited, FLOWS, headers, request_id=request_id)] == [one[0]["id"]]


# --- the export ---------------------------------------------------------------------------------------------------

def test_the_export_is_csv_with_formulas_defused_or_ndjson(audited: TestClient) -> None:
    headers = admin(audited)
    create_flow(audited, headers, {"name": "=HYPERLINK(1)", "data": EMPTY_GRAPH})
    response = audited.get(EXPORT, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith('attachment; filename="langflow-audit-')
    assert response.headers["content-disposition"].endswith('.csv"')
    header, row = list(csv.reader(io.StringIO(response.text)))
    assert header == ["timestamp", "user_id", "actor_type", "actor_id", "action", "resource_type", "resource_id",
                      "result", "details", "source", "kind", "resource_name", "operation", "error_code", "request_id"]
    record = dict(zip(header, row, strict=True))
    assert record["resource_name"] == "'=HYPERLINK(1)"
    assert record["timestamp"].endswith("Z") and len(record["timestamp"]) == len("2026-01-01T00:00:00Z")
    assert json.loads(record["details"])["written_fields"] == ["data", *PLACED]
    assert response.text.endswith("\r\n")

    ndjson = audited.get(EXPORT, params={"format": "ndjson"}, headers=headers)
    assert ndjson.headers["content-type"] == "application/x-ndjson"
    [line] = ndjson.text.splitlines()
    assert json.loads(line) == items(audited, FEED, headers)[0]
    refused = audited.get(EXPORT, params={"format": "xlsx"}, headers=headers)
    assert refused.status_code == 400
    assert refused.json() == {"detail": "format must be csv or ndjson"}


# --- releases and resets ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_releases_have_no_audit_reads(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    headers = admin(client)
    nobody = client.get("/api/v1/no-such-route", headers=headers)  # 1.7.1 serves its frontend's page, 1.8 a 404
    for path in (FEED, EXPORT):
        response = client.get(path, headers=headers)
        assert (response.status_code, response.text) == (nobody.status_code, nobody.text)
    # a flow id, as in those releases
    assert client.get(FLOWS, headers=headers).status_code == 422


def test_a_reset_of_the_authz_part_empties_the_trail(audited: TestClient) -> None:
    headers = admin(audited)
    create_flow(audited, headers, {"name": "Gone", "data": EMPTY_GRAPH})
    assert audited.post("/_mock/reset", json={"parts": ["authz"]}, headers=key_of(audited, headers)[0]).status_code \
        == 200
    assert items(audited, FEED, headers) == []
    assert UUID(create_flow(audited, headers, {"name": "Again", "data": EMPTY_GRAPH})["id"])


# --- retention ------------------------------------------------------------------------------------------------

def feed_sources(client: TestClient) -> list[str]:
    return [i["source"] for i in items(client, FEED, admin(client))]


def test_rows_age_out_at_the_first_sweep_past_their_retention(make_client: Callable[..., TestClient]) -> None:
    """Langflow's workers sweep once an interval (a day by default), deleting what is older than 90 days then: a
    row is still read at 90 days and a half, and gone at 91, from the trail and the authorization log alike."""
    client = make_client(audit_enabled=True, authz_audit_enabled=True)
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime.now(UTC)
    headers = admin(client)
    assert client.post("/api/v1/authz/roles", json={"name": "old", "permissions": ["flow:read"]},
                       headers=headers).status_code == 201
    create_flow(client, headers, {"name": "Old", "data": EMPTY_GRAPH})
    clock.frozen += timedelta(days=90, hours=12)
    assert sorted(feed_sources(client)) == ["authz", "resource"]
    headers = admin(client)  # (a token lives an hour)
    create_flow(client, headers, {"name": "Newer", "data": EMPTY_GRAPH})
    clock.frozen += timedelta(hours=12)
    headers = admin(client)
    assert [i["resource_name"] for i in items(client, FEED, headers)] == ["Newer"]
    assert client.get("/api/v1/authz/audit", headers=headers).json()["total"] == 0
    assert [i["flow_name"] for i in items(client, FLOWS, headers)] == ["Newer"]


def test_retention_zero_keeps_rows_and_the_authorization_log_ages_only_while_it_records(
        make_client: Callable[..., TestClient]) -> None:
    """LANGFLOW_AUDIT_RETENTION_DAYS 0 keeps the trail for ever; without LANGFLOW_AUTHZ_AUDIT_ENABLED the
    authorization log's worker does not run, so its rows (the data subject routes') wait for a restart."""
    client = make_client(audit_enabled=True, audit_retention_days=0, data_subject_requests=True)
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime.now(UTC)
    headers = admin(client)
    create_flow(client, headers, {"name": "Forever", "data": EMPTY_GRAPH})
    assert client.post("/api/v1/users/", json={"username": "bob", "password": "pw-bob"},
                       headers=headers).status_code == 201
    asked = client.post("/api/v1/data-subjects/requests", json={"subject_type": "builder", "username": "bob"},
                        headers=headers)
    assert asked.status_code == 201, asked.text
    before = feed_sources(client)
    assert "authz" in before and "resource" in before
    clock.frozen += timedelta(days=400)
    assert feed_sources(client) == before


def test_a_start_sweeps_what_expired_while_the_server_was_down(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "kept", audit_enabled=True, authz_audit_retention_days=1)
    start = datetime.now(UTC)
    state = build_state(settings, clock=Clock(frozen=start))
    with TestClient(create_app(state=state)) as client:
        headers = admin(client)
        create_flow(client, headers, {"name": "Before", "data": EMPTY_GRAPH})
    state.dispose()
    later = build_state(settings, clock=Clock(frozen=start + timedelta(days=90, minutes=1)))
    with TestClient(create_app(state=later)) as client:
        assert items(client, FEED, admin(client)) == []
    later.dispose()


@pytest.mark.parametrize(("name", "value"), [("LANGFLOW_AUTHZ_AUDIT_RETENTION_DAYS", "-1"),
                                             ("LANGFLOW_AUTHZ_AUDIT_CLEANUP_INTERVAL", "299")])
def test_a_retention_setting_out_of_range_stops_the_start(monkeypatch: pytest.MonkeyPatch, name: str,
                                                          value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
