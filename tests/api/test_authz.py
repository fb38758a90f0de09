"""1.13's permission gate (POST /api/v1/authz/me/permissions), which Langflow's own frontend asks on every page."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient


def test_permissions_grant_every_action_on_every_id(client: TestClient, key_headers: dict[str, str]) -> None:
    """Without an authorization plugin Langflow grants everything: the frontend's buttons stay enabled."""
    ids = [str(uuid4()), str(uuid4())]
    response = client.post("/api/v1/authz/me/permissions", headers=key_headers,
                           json={"resource_type": "flow", "resource_ids": ids, "domain": "project:x"})
    assert response.status_code == 200
    assert response.json() == {"resource_type": "flow", "permissions": {
        i: ["read", "write", "execute", "delete", "create"] for i in ids}}


def test_permissions_take_the_asked_actions_normalized(client: TestClient, key_headers: dict[str, str]) -> None:
    rid = str(uuid4())
    response = client.post("/api/v1/authz/me/permissions", headers=key_headers,
                           json={"resource_type": "project", "resource_ids": [rid, rid],
                                 "actions": [" Read", "read", "", "MANAGE"]})
    assert response.status_code == 200
    assert response.json() == {"resource_type": "project", "permissions": {rid: ["read", "manage"]}}
    empty = client.post("/api/v1/authz/me/permissions", headers=key_headers,
                        json={"resource_type": "file", "resource_ids": []})
    assert empty.json() == {"resource_type": "file", "permissions": {}}


def test_permissions_refuse_bad_requests(client: TestClient, key_headers: dict[str, str]) -> None:
    url = "/api/v1/authz/me/permissions"
    too_many = client.post(url, headers=key_headers,
                           json={"resource_type": "flow", "resource_ids": [str(uuid4()) for _ in range(501)]})
    assert too_many.status_code == 400
    assert too_many.json() == {"detail": "resource_ids capped at 500"}
    for body in ({"resource_type": "robot", "resource_ids": []},
                 {"resource_type": "flow", "resource_ids": ["nope"]},
                 {"resource_type": "flow", "resource_ids": [], "actions": [f"a{i}" for i in range(11)]}):
        assert client.post(url, headers=key_headers, json=body).status_code == 422
    anonymous = client.post(url, json={"resource_type": "flow", "resource_ids": []})
    assert anonymous.status_code == 403
    assert anonymous.json() == {"detail": "No authentication credentials provided"}


def test_permissions_route_is_1_13_only(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    response = client.post("/api/v1/authz/me/permissions", json={"resource_type": "flow", "resource_ids": []})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
