"""1.13's authorization administration (/api/v1/authz/...): roles, role assignments, teams and members, shares,
the capabilities document and the audit log, as a community install (no authorization plugin) answers them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, other_user_key

ROLES, TEAMS, ASSIGNMENTS = "/api/v1/authz/roles", "/api/v1/authz/teams", "/api/v1/authz/role-assignments"
SHARES, AUDIT = "/api/v1/authz/shares", "/api/v1/authz/audit"
DENIED = {"x-langflow-error-code": "administration_denied"}


def whoami(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    me: dict[str, Any] = client.get("/api/v1/users/whoami", headers=headers).json()
    return me


def bob(client: TestClient, admin: dict[str, str]) -> tuple[dict[str, str], str]:
    """An ordinary user's headers and id."""
    headers = {"x-api-key": other_user_key(client, admin)}
    return headers, whoami(client, headers)["id"]


def made(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_capabilities_say_only_a_superuser_administers(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/authz/capabilities", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"administration": {"user": True, "team": True, "role": True},
                               "features": {"team_role_assignments": False}}
    headers, _ = bob(client, key_headers)
    assert client.get("/api/v1/authz/capabilities/", headers=headers).json() == {
        "administration": {"user": False, "team": False, "role": False}, "features": {"team_role_assignments": False}}


def test_a_new_install_lists_its_three_system_roles(client: TestClient, key_headers: dict[str, str]) -> None:
    roles = client.get(ROLES, headers=key_headers).json()
    assert [(r["name"], r["is_system"], r["created_by"]) for r in roles] == [
        ("admin", True, None), ("developer", True, None), ("viewer", True, None)]
    viewer = roles[2]
    assert viewer["permissions"] == ["flow:read", "flow:execute", "deployment:read", "project:read",
                                     "knowledge_base:read", "variable:read", "file:read"]
    assert "flow:create" in roles[1]["permissions"] and "share:delete" in roles[0]["permissions"]
    assert client.get(f"{ROLES}/{viewer['id']}", headers=key_headers).json() == viewer
    # a system role is read-only
    patched = client.patch(f"{ROLES}/{viewer['id']}", headers=key_headers, json={"description": "x"})
    assert (patched.status_code, patched.json()) == (400, {"detail": "System roles cannot be modified"})
    deleted = client.delete(f"{ROLES}/{viewer['id']}", headers=key_headers)
    assert (deleted.status_code, deleted.json()) == (400, {"detail": "System roles cannot be deleted"})


def test_roles_are_created_updated_and_deleted(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post(ROLES, headers=key_headers,
                           json={"name": "Ops", "permissions": ["flow:read", "team:manage"]})
    role = made(response)
    assert response.headers["location"] == f"/api/v1/authz/roles/{role['id']}"
    assert role["is_system"] is False and role["created_by"] == whoami(client, key_headers)["id"]
    assert role["created_at"] == role["updated_at"] and "+" not in role["created_at"] and "Z" not in role["created_at"]
    child = made(client.post(ROLES, headers=key_headers, json={"name": "ops-child", "parent_role_id": role["id"]}))
    patched = made(client.patch(f"{ROLES}/{role['id']}", headers=key_headers,
                                json={"description": "d", "permissions": []}), 200)
    assert (patched["description"], patched["permissions"], patched["name"]) == ("d", [], "Ops")
    cleared = made(client.patch(f"{ROLES}/{role['id']}", headers=key_headers, json={"description": None}), 200)
    assert cleared["description"] is None
    # a parent of its own descendant is a cycle
    cycle = client.patch(f"{ROLES}/{role['id']}", headers=key_headers, json={"parent_role_id": child["id"]})
    assert cycle.json() == {"detail": "Setting this parent would create a role hierarchy cycle"}
    assert client.delete(f"{ROLES}/{role['id']}", headers=key_headers).status_code == 204
    assert client.get(f"{ROLES}/{child['id']}", headers=key_headers).json()["parent_role_id"] is None
    gone = client.get(f"{ROLES}/{role['id']}", headers=key_headers)
    assert (gone.status_code, gone.json()) == (404, {"detail": "Role not found"})


def test_role_refusals_carry_langflows_texts(client: TestClient, key_headers: dict[str, str]) -> None:
    role = made(client.post(ROLES, headers=key_headers, json={"name": "ops"}))
    url = f"{ROLES}/{role['id']}"
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        ("post", {"name": "ops"}, 409, "Role with name 'ops' already exists"),
        ("post", {"name": "x", "parent_role_id": str(uuid4())}, 400,
         "parent_role_id does not reference an existing role"),
        ("patch", {"name": "viewer"}, 409, "Name conflict \u2014 another role already uses this name"),
        ("patch", {"name": None}, 400, "name cannot be null"),
        ("patch", {"permissions": None}, 400, "permissions cannot be null; pass an empty list to clear"),
        ("patch", {"parent_role_id": role["id"]}, 400, "A role cannot be its own parent"),
    ]
    for method, body, status, detail in cases:
        response = client.request(method.upper(), ROLES if method == "post" else url, headers=key_headers, json=body)
        assert (response.status_code, response.json()) == (status, {"detail": detail}), body
    assert client.get(url, headers=key_headers).json() == role  # nothing of the refused changes stayed
    bad = client.post(ROLES, headers=key_headers, json={"name": "x", "permissions": ["flow:fly"]})
    assert bad.status_code == 422
    # 1.13's 422 puts "[redacted]" where a validator's message quotes a value sent of 8 characters or more
    assert "permission '[redacted]' has unknown action 'fly' for resource 'flow'" in bad.json()["detail"][0]["msg"]
    for slug in ("flow", "*:read", "robot:read", "team:*"):
        assert client.post(ROLES, headers=key_headers, json={"name": "y", "permissions": [slug]}).status_code == 422
    ok = client.post(ROLES, headers=key_headers, json={"name": "m", "permissions": ["component:models/openai:read"]})
    assert ok.status_code == 201
    assert client.post(ROLES, headers=key_headers, json={"name": ""}).status_code == 422
    assert client.patch(f"{ROLES}/{uuid4()}", headers=key_headers, json={}).json() == {"detail": "Role not found"}


def test_only_a_superuser_administers_whatever_they_send(client: TestClient, key_headers: dict[str, str]) -> None:
    headers, _ = bob(client, key_headers)
    role = client.get(ROLES, headers=headers).json()[0]  # anyone signed in reads
    team = made(client.post(TEAMS, headers=key_headers, json={"team_name": "T", "adom_name": "t"}))
    cases = [("POST", ROLES, "roles"), ("PATCH", f"{ROLES}/{role['id']}", "roles"),
             ("DELETE", f"{ROLES}/{role['id']}", "roles"), ("POST", ASSIGNMENTS, "role assignments"),
             ("DELETE", f"{ASSIGNMENTS}/{uuid4()}", "role assignments"), ("POST", TEAMS, "teams"),
             ("PATCH", f"{TEAMS}/{team['id']}", "teams"), ("POST", f"{TEAMS}/{team['id']}/members", "teams"),
             ("DELETE", f"{TEAMS}/{team['id']}/members/{uuid4()}", "teams")]
    for method, url, what in cases:
        # refused before the body is read: a bad body gets the same 403 as a good one
        response = client.request(method, url, headers=headers, json={"bad": 1})
        assert response.status_code == 403, (method, url)
        assert response.json() == {"detail": f"Superuser required to administer {what}."}
        assert response.headers["x-langflow-error-code"] == "administration_denied"
    assert client.get(TEAMS, headers=headers).json() == [team]
    anonymous = client.get(ROLES)
    assert (anonymous.status_code, anonymous.json()) == (403, {"detail": "No authentication credentials provided"})


def test_operation_id_header_is_bounded(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post(TEAMS, headers={**key_headers, "X-Langflow-Operation-ID": "x" * 129},
                           json={"team_name": "T", "adom_name": "t"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "X-Langflow-Operation-ID"]
    ok = client.post(TEAMS, headers={**key_headers, "X-Langflow-Operation-ID": "x" * 128},
                     json={"team_name": "T", "adom_name": "t"})
    assert ok.status_code == 201


def test_role_assignments_one_role_a_scope(client: TestClient, key_headers: dict[str, str]) -> None:
    headers, bob_id = bob(client, key_headers)
    viewer, developer = (r for r in client.get(ROLES, headers=key_headers).json() if r["name"] != "admin")
    response = client.post(ASSIGNMENTS, headers=key_headers, json={"user_id": bob_id, "role_id": viewer["id"]})
    assignment = made(response)
    admin_id = whoami(client, key_headers)["id"]
    assert response.headers["location"] == f"/api/v1/authz/role-assignments/{assignment['id']}"
    assert assignment == {"id": assignment["id"], "user_id": bob_id, "role_id": viewer["id"], "domain_type": "global",
                          "domain_id": None, "assigned_at": assignment["assigned_at"], "assigned_by": admin_id,
                          "grant_sources": [{"source_kind": "manual", "provider_id": None, "external_group": None,
                                             "administrative_actor": admin_id,
                                             "created_at": assignment["assigned_at"],
                                             "updated_at": assignment["assigned_at"]}]}
    again = client.post(ASSIGNMENTS, headers=key_headers, json={"user_id": bob_id, "role_id": viewer["id"]})
    assert (again.status_code, again.json()) == (
        409, {"detail": "Manual assignment already exists for this user/role/domain"})
    other = client.post(ASSIGNMENTS, headers=key_headers, json={"user_id": bob_id, "role_id": developer["id"]})
    assert other.status_code == 409
    assert other.json()["detail"].startswith("A role already exists for this user with this scope.")
    project = made(client.post(ASSIGNMENTS, headers=key_headers, json={
        "user_id": bob_id, "role_id": developer["id"], "domain_type": "project", "domain_id": str(uuid4())}))
    # a user reads their own; another's takes a superuser
    assert [a["id"] for a in client.get(ASSIGNMENTS, headers=headers).json()] == [project["id"], assignment["id"]]
    assert client.get(ASSIGNMENTS, headers=key_headers).json() == []
    assert len(client.get(f"{ASSIGNMENTS}/?user_id={bob_id}&domain_type=project", headers=key_headers).json()) == 1
    refused = client.get(f"{ASSIGNMENTS}?user_id={admin_id}", headers=headers)
    assert (refused.status_code, refused.json()) == (
        403, {"detail": "Superuser required to administer role assignments."})
    # a custom role held cannot go; revoked, it can
    custom = made(client.post(ROLES, headers=key_headers, json={"name": "c"}))
    bound = made(client.post(ASSIGNMENTS, headers=key_headers, json={
        "user_id": bob_id, "role_id": custom["id"], "domain_type": "workspace", "domain_id": str(uuid4())}))
    busy = client.delete(f"{ROLES}/{custom['id']}", headers=key_headers)
    assert (busy.status_code, busy.json()) == (
        409, {"detail": "Role still has active assignments \u2014 revoke them before deleting"})
    revoked = client.delete(f"{ASSIGNMENTS}/{bound['id']}", headers=key_headers)
    assert (revoked.status_code, revoked.content) == (204, b"")
    assert client.delete(f"{ASSIGNMENTS}/{bound['id']}", headers=key_headers).json() == {
        "detail": "Assignment not found"}
    assert client.delete(f"{ROLES}/{custom['id']}", headers=key_headers).status_code == 204


def test_role_assignment_refusals(client: TestClient, key_headers: dict[str, str]) -> None:
    viewer = client.get(f"{ROLES}?exact_name=viewer", headers=key_headers).json()[0]
    me = whoami(client, key_headers)["id"]
    cases: list[tuple[dict[str, Any], int, Any]] = [
        ({"user_id": str(uuid4()), "role_id": viewer["id"]}, 404, "user_id not found"),
        ({"user_id": me, "role_id": str(uuid4())}, 404, "role_id not found"),
    ]
    for body, status, detail in cases:
        response = client.post(ASSIGNMENTS, headers=key_headers, json=body)
        assert (response.status_code, response.json()) == (status, {"detail": detail})
    for body in ({"user_id": me, "role_id": viewer["id"], "domain_id": str(uuid4())},
                 {"user_id": me, "role_id": viewer["id"], "domain_type": "project"},
                 {"user_id": me, "role_id": viewer["id"], "domain_type": "organization", "domain_id": str(uuid4())}):
        assert client.post(ASSIGNMENTS, headers=key_headers, json=body).status_code == 422
    created = client.post("/api/v1/users/", json={"username": "idle", "password": "pw-idle"}, headers=key_headers)
    inactive = client.post(ASSIGNMENTS, headers=key_headers,
                           json={"user_id": created.json()["id"], "role_id": viewer["id"]})
    assert (inactive.status_code, inactive.json()) == (409, {"detail": "Cannot assign roles to an inactive user"})


def test_teams_and_their_members(client: TestClient, key_headers: dict[str, str]) -> None:
    _, bob_id = bob(client, key_headers)
    response = client.post(TEAMS, headers=key_headers, json={"team_name": "Data", "adom_name": "grp-data"})
    team = made(response)
    assert response.headers["location"] == f"/api/v1/authz/teams/{team['id']}"
    assert (team["is_active"], team["description"]) == (True, None)
    taken = client.post(TEAMS, headers=key_headers, json={"team_name": "Other", "adom_name": "grp-data"})
    assert (taken.status_code, taken.json()) == (409, {"detail": "Team with adom_name 'grp-data' already exists"})
    second = made(client.post(TEAMS, headers=key_headers, json={"team_name": "Apps", "adom_name": "grp_apps",
                                                                "is_active": False}))
    assert [t["team_name"] for t in client.get(TEAMS, headers=key_headers).json()] == ["Apps", "Data"]
    assert client.get(f"{TEAMS}?search=GRP_", headers=key_headers).json() == [second]  # _ is no wildcard
    assert client.get(f"{TEAMS}?is_active=true", headers=key_headers).json() == [team]
    clash = client.patch(f"{TEAMS}/{second['id']}", headers=key_headers, json={"adom_name": "grp-data"})
    assert (clash.status_code, clash.json()) == (
        409, {"detail": "adom_name conflict \u2014 another team already uses this slug"})
    patched = made(client.patch(f"{TEAMS}/{team['id']}", headers=key_headers,
                                json={"description": "d", "team_name": None}), 200)
    assert (patched["team_name"], patched["description"]) == ("Data", "d")
    members = f"{TEAMS}/{team['id']}/members"
    response = client.post(members, headers=key_headers, json={"user_id": bob_id})
    member = made(response)
    assert response.headers["location"] == f"{members}/{bob_id}"
    assert (member["team_id"], member["user_id"], member["source"]) == (team["id"], bob_id, "manual")
    twice = client.post(members, headers=key_headers, json={"user_id": bob_id})
    assert (twice.status_code, twice.json()) == (409, {"detail": "User is already a manual member of this team"})
    assert client.post(members, headers=key_headers, json={"user_id": str(uuid4())}).json() == {
        "detail": "user_id not found"}
    assert client.post(members, headers=key_headers, json={"user_id": bob_id, "source": "sso"}).status_code == 422
    assert client.get(members, headers=key_headers).json() == [member]
    assert client.delete(f"{members}/{bob_id}", headers=key_headers).status_code == 204
    assert client.delete(f"{members}/{bob_id}", headers=key_headers).json() == {"detail": "Membership not found"}
    made(client.post(members, headers=key_headers, json={"user_id": bob_id}))
    assert client.delete(f"{TEAMS}/{team['id']}", headers=key_headers).status_code == 204
    for url in (f"{TEAMS}/{team['id']}", members):
        gone = client.get(url, headers=key_headers)
        assert (gone.status_code, gone.json()) == (404, {"detail": "Team not found"})


def test_deleting_a_user_takes_their_assignments_and_memberships(client: TestClient,
                                                                  key_headers: dict[str, str]) -> None:
    _, bob_id = bob(client, key_headers)
    viewer = client.get(f"{ROLES}?name=VIEW", headers=key_headers).json()[0]
    made(client.post(ASSIGNMENTS, headers=key_headers, json={"user_id": bob_id, "role_id": viewer["id"]}))
    team = made(client.post(TEAMS, headers=key_headers, json={"team_name": "T", "adom_name": "t"}))
    made(client.post(f"{TEAMS}/{team['id']}/members", headers=key_headers, json={"user_id": bob_id}))
    assert client.delete(f"/api/v1/users/{bob_id}", headers=key_headers).status_code == 202
    assert client.get(f"{TEAMS}/{team['id']}/members", headers=key_headers).json() == []
    assert client.get(f"{ASSIGNMENTS}?user_id={bob_id}", headers=key_headers).json() == []


def test_lists_are_capped_at_200(client: TestClient, key_headers: dict[str, str]) -> None:
    for url in (ROLES, TEAMS, ASSIGNMENTS, SHARES):
        assert client.get(f"{url}?limit=201", headers=key_headers).status_code == 422
        assert client.get(f"{url}?offset=-1", headers=key_headers).status_code == 422
    assert [r["name"] for r in client.get(f"{ROLES}?limit=1&offset=1", headers=key_headers).json()] == ["developer"]


def test_shares_of_a_flow(client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    headers, bob_id = bob(client, key_headers)
    flow = create_flow(client, key_headers, chat_flow)
    response = client.post(SHARES, headers=key_headers, json={
        "resource_type": "flow", "resource_id": flow["id"], "scope": "user", "target_id": bob_id,
        "permission_level": "write"})
    share = made(response)
    assert share == {"id": share["id"], "resource_type": "flow", "resource_id": flow["id"], "scope": "user",
                     "target_id": bob_id, "target_name": "bob", "permission_level": "write",
                     "created_by": whoami(client, key_headers)["id"], "created_at": share["created_at"]}
    twice = client.post(SHARES, headers=key_headers, json={
        "resource_type": "flow", "resource_id": flow["id"], "scope": "user", "target_id": bob_id})
    assert (twice.status_code, twice.json()) == (409, {"detail": (
        "Share could not be created: it may already exist or conflict with an existing share.")})
    # its target sees it, and may not change it
    assert client.get(SHARES, headers=headers).json() == [share]
    assert client.get(f"{SHARES}/{share['id']}", headers=headers).json() == share
    refused = client.patch(f"{SHARES}/{share['id']}", headers=headers, json={"permission_level": "read"})
    assert (refused.status_code, refused.json()) == (403, {"detail": (
        "Only the resource owner or a superuser may administer shares for this resource.")})
    # someone else's flow is no resource for bob
    theirs = client.post(SHARES, headers=headers, json={"resource_type": "flow", "resource_id": flow["id"],
                                                        "scope": "private"})
    assert (theirs.status_code, theirs.json()) == (404, {"detail": "Resource not found"})
    public = client.post(SHARES, headers=key_headers, json={"resource_type": "flow", "resource_id": flow["id"],
                                                            "scope": "public"})
    assert (public.status_code, public.json()) == (
        422, {"detail": "PUBLIC flow shares require permission_level 'execute'."})
    made(client.post(SHARES, headers=key_headers, json={"resource_type": "flow", "resource_id": flow["id"],
                                                        "scope": "public", "permission_level": "execute"}))
    assert len(client.get(SHARES, headers=headers).json()) == 1  # a public share lists to none but its owners
    assert len(client.get(f"{SHARES}?scope=public", headers=key_headers).json()) == 1
    unknown = client.get(f"{SHARES}?scope=world", headers=key_headers)
    assert (unknown.status_code, unknown.json()) == (400, {"detail": "Unknown scope 'world'"})
    patched = made(client.patch(f"{SHARES}/{share['id']}", headers=key_headers, json={"permission_level": "admin"}),
                   200)
    assert patched["permission_level"] == "admin"
    assert client.delete(f"{SHARES}/{share['id']}", headers=key_headers).status_code == 204
    assert client.get(f"{SHARES}/{share['id']}", headers=key_headers).json() == {"detail": "Share not found"}
    for body in ({"resource_type": "flow", "resource_id": flow["id"], "scope": "user"},
                 {"resource_type": "flow", "resource_id": flow["id"], "scope": "private", "target_id": bob_id},
                 {"resource_type": "robot", "resource_id": flow["id"], "scope": "private"}):
        assert client.post(SHARES, headers=key_headers, json=body).status_code == 422


def test_team_shares_list_to_active_members(client: TestClient, key_headers: dict[str, str],
                                            chat_flow: dict[str, Any]) -> None:
    headers, bob_id = bob(client, key_headers)
    flow = create_flow(client, key_headers, chat_flow)
    team = made(client.post(TEAMS, headers=key_headers, json={"team_name": "T", "adom_name": "t"}))
    share = made(client.post(SHARES, headers=key_headers, json={
        "resource_type": "flow", "resource_id": flow["id"], "scope": "team", "target_id": team["id"]}))
    assert share["target_name"] == "T"
    assert client.get(SHARES, headers=headers).json() == []
    made(client.post(f"{TEAMS}/{team['id']}/members", headers=key_headers, json={"user_id": bob_id}))
    assert client.get(SHARES, headers=headers).json() == [share]
    made(client.patch(f"{TEAMS}/{team['id']}", headers=key_headers, json={"is_active": False}), 200)
    assert client.get(f"{SHARES}/{share['id']}", headers=headers).status_code == 404
    # the team's deletion leaves the share, its target unnamed
    assert client.delete(f"{TEAMS}/{team['id']}", headers=key_headers).status_code == 204
    assert client.get(f"{SHARES}/{share['id']}", headers=key_headers).json()["target_name"] is None


def test_audit_log_is_empty_unless_enabled(client: TestClient, key_headers: dict[str, str]) -> None:
    made(client.post(TEAMS, headers=key_headers, json={"team_name": "T", "adom_name": "t"}))
    response = client.get(AUDIT, headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0, "page": 1, "size": 50, "pages": 0}
    headers, _ = bob(client, key_headers)
    refused = client.get(f"{AUDIT}/", headers=headers)
    assert (refused.status_code, refused.json()) == (403, {"detail": "The user doesn't have enough privileges"})
    window = client.get(f"{AUDIT}?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00", headers=key_headers)
    assert (window.status_code, window.json()) == (400, {"detail": "`since` must be strictly less than `until`"})


def test_audit_log_records_administration_when_enabled(make_client: Callable[..., TestClient]) -> None:
    client = make_client(authz_audit_enabled=True)
    token = client.get("/api/v1/auto_login").json()["access_token"]
    client.cookies.clear()
    admin = {"Authorization": f"Bearer {token}"}
    admin_id = whoami(client, admin)["id"]
    headers, bob_id = bob(client, admin)
    team = made(client.post(TEAMS, headers={**admin, "X-Langflow-Operation-ID": "op-1"},
                            json={"team_name": "T", "adom_name": "t"}))
    assert client.post(TEAMS, headers=admin, json={"team_name": "T", "adom_name": "t"}).status_code == 409
    assert client.post(ROLES, headers=headers, json={"name": "x"}).status_code == 403
    # (the user routes' rows for bob's account left out)
    page = client.get(AUDIT, params={"exclude_action": ["user:create", "user:update"]}, headers=admin).json()
    assert page["total"] == 3 and page["pages"] == 1
    denied_bob, conflict, created = page["items"]
    assert (created["action"], created["result"], created["resource_type"], created["resource_id"]) == (
        "team:create", "allow", "team", team["id"])
    assert (created["user_id"], created["actor_type"], created["actor_id"]) == (admin_id, "user", admin_id)
    assert {k: v for k, v in created["details"].items() if k != "request_id"} == {
        "event": "mutation", "team_name": "T", "adom_name": "t", "source": "manual", "operation_id": "op-1",
        "auth_method": "jwt"}
    assert (conflict["result"], conflict["details"]["reason"], conflict["details"]["status_code"]) == (
        "deny", "team_slug_conflict", 409)
    assert (denied_bob["action"], denied_bob["user_id"], denied_bob["actor_type"]) == ("role:create", bob_id, "api_key")
    assert denied_bob["details"]["reason"] == "administration_required"
    assert denied_bob["details"]["auth_method"] == "api_key"
    only = client.get(f"{AUDIT}?result=allow&event=mutation&resource_type=team", headers=admin).json()
    assert [i["id"] for i in only["items"]] == [created["id"]]
    assert client.get(f"{AUDIT}?exclude_event=access&resource_type=team&size=1&page=2",
                      headers=admin).json()["items"] == []


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_authz_administration_is_1_13_only(make_client: Callable[..., TestClient], version: str) -> None:
    """(1.7.1 answers an unknown route's GET with its frontend page.)"""
    client = make_client(langflow_version=version)
    for url in ("/api/v1/authz/capabilities", ROLES, TEAMS, ASSIGNMENTS, SHARES, AUDIT):
        response = client.get(url)
        if version == "1.8":
            assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), url
        else:
            assert response.headers["content-type"].startswith("text/html"), url


def test_a_reset_empties_the_administration_but_the_system_roles(client: TestClient,
                                                                  key_headers: dict[str, str]) -> None:
    """The pytest fixture resets before each test: one test's roles, teams and assignments do not leak into the
    next; the system roles stay, with their ids."""
    _, bob_id = bob(client, key_headers)
    system = client.get(ROLES, headers=key_headers).json()
    role = made(client.post(ROLES, headers=key_headers, json={"name": "auditor", "permissions": ["flow:read"]}))
    made(client.post(TEAMS, headers=key_headers, json={"team_name": "Data", "adom_name": "grp-data"}))
    made(client.post(ASSIGNMENTS, headers=key_headers, json={"user_id": bob_id, "role_id": role["id"]}))
    assert client.post("/_mock/reset", json={"parts": ["authz"]}, headers=key_headers).status_code == 200
    assert client.get(ROLES, headers=key_headers).json() == system
    assert client.get(TEAMS, headers=key_headers).json() == []
    assert client.get(ASSIGNMENTS, headers=key_headers, params={"user_id": bob_id}).json() == []
    assert client.post("/_mock/reset", headers=key_headers).status_code == 200  # every part, made or not


def test_an_audit_window_at_the_edge_of_the_calendar_reads_as_the_nearest_time(
        make_client: Callable[..., TestClient]) -> None:
    """A `since` or `until` whose UTC falls outside the years a datetime holds (year 1 at +01:00, year 9999 at
    -01:00) reads as the nearest time it holds: no bound left, or nothing past it; never the 500 of the
    database's conversion (found by the hidden-routes fuzz)."""
    client = make_client(authz_audit_enabled=True)
    token = client.get("/api/v1/auto_login").json()["access_token"]
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    made(client.post(TEAMS, headers=headers, json={"team_name": "T", "adom_name": "t"}))
    everything = client.get(AUDIT, headers=headers).json()["total"]
    assert everything > 0
    low, high = "0001-01-01T00:00:00%2B01:00", "9999-12-31T23:59:59-01:00"
    for query, total in ((f"since={low}", everything), (f"until={high}", everything),
                         (f"since={low}&until={high}", everything), (f"since={high}", 0), (f"until={low}", 0)):
        response = client.get(f"{AUDIT}?{query}", headers=headers)
        assert (response.status_code, response.json()["total"]) == (200, total), query
