"""/api/v1/projects as Langflow 1.13 answers it, and the old /api/v1/folders paths (fact 41)."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from typing import Any
from uuid import UUID

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from mock_langflow import errors, tokens
from tests.conftest import create_flow, new_api_key, other_user_key

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
DEFAULT_PROJECT = {"name": "Starter Project", "description": "Manage your own flows. Download and upload projects.",
                   "auth_settings": None, "parent_id": None}


def create_project(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/projects/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def folder_of(client: TestClient, headers: dict[str, str], flow_id: str) -> str:
    return str(client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()["folder_id"])


def test_list_has_the_default_project_with_its_owner(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/projects/", headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert body == [{**DEFAULT_PROJECT, "id": body[0]["id"], "owner_username": "langflow", "is_owner": True}]
    assert str(UUID(body[0]["id"])) == body[0]["id"]


def test_create_answers_201_with_the_folder_read_fields(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/projects/", json={"name": "Contract Project", "description": "made by capture"},
                           headers=key_headers)
    assert response.status_code == 201
    body = response.json()
    assert body == {"name": "Contract Project", "description": "made by capture", "auth_settings": None,
                    "id": body["id"], "parent_id": None}
    listed = client.get("/api/v1/projects/", headers=key_headers).json()
    assert [p["name"] for p in listed] == ["Starter Project", "Contract Project"]


def test_a_taken_project_name_is_numbered(client: TestClient, key_headers: dict[str, str]) -> None:
    names = [create_project(client, key_headers, {"name": "Contract Project"})["name"] for _ in range(3)]
    assert names == ["Contract Project", "Contract Project (1)", "Contract Project (2)"]


def test_get_returns_the_project_with_its_flows(client: TestClient, key_headers: dict[str, str]) -> None:
    project = create_project(client, key_headers, {"name": "Contract Project", "description": "made by capture"})
    empty = client.get(f"/api/v1/projects/{project['id']}", headers=key_headers)
    assert empty.status_code == 200
    assert empty.json() == {**project, "flows": []}
    flow = create_flow(client, key_headers, {"name": "Inside", "folder_id": project["id"]})
    create_flow(client, key_headers, {"name": "Outside"})
    response = client.get(f"/api/v1/projects/{project['id']}", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {**project, "flows": [flow]}


def test_get_with_page_and_size_pages_the_flows(client: TestClient, key_headers: dict[str, str]) -> None:
    project = create_project(client, key_headers, {"name": "Contract Project", "description": "made by capture"})
    empty = client.get(f"/api/v1/projects/{project['id']}", params={"page": 1, "size": 10}, headers=key_headers)
    assert empty.status_code == 200
    assert empty.json() == {"folder": project, "flows": {"items": [], "total": 0, "page": 1, "size": 10, "pages": 0}}
    flows = [create_flow(client, key_headers, {"name": f"Flow {i}", "folder_id": project["id"]}) for i in range(3)]
    pages = [client.get(f"/api/v1/projects/{project['id']}", params={"page": n, "size": 2}, headers=key_headers)
             for n in (1, 2)]
    assert [p.status_code for p in pages] == [200, 200]
    # As Langflow's: a page lists the most recently updated flows first.
    assert pages[0].json() == {"folder": project, "flows": {"items": [flows[2], flows[1]], "total": 3, "page": 1,
                                                            "size": 2, "pages": 2}}
    assert pages[1].json()["flows"]["items"] == [flows[0]]
    touched = client.patch(f"/api/v1/flows/{flows[0]['id']}", json={"description": "now"}, headers=key_headers)
    first = client.get(f"/api/v1/projects/{project['id']}", params={"page": 1, "size": 1}, headers=key_headers)
    assert first.json()["flows"]["items"] == [touched.json()]


def test_a_page_or_size_out_of_bounds_is_listed_before_and_after_the_project_id(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13 checks page and size in custom_params and again as the route's own query parameters: each error twice,
    the first before the path's project_id, the second after it, before the other query parameters."""
    page = {"type": "greater_than_equal", "loc": ["query", "page"], "msg": "Input should be greater than or equal to 1",
            "ctx": {"ge": 1}}
    size = {"type": "int_parsing", "loc": ["query", "size"],
            "msg": "Input should be a valid integer, unable to parse string as an integer"}
    bad_id = client.get("/api/v1/projects/not-a-uuid", params={"page": 0, "size": "x", "is_flow": "maybe"},
                        headers=key_headers)
    assert bad_id.status_code == 422
    detail = bad_id.json()["detail"]
    assert [detail[0], detail[1], detail[3], detail[4]] == [page, size, page, size]
    assert [e["loc"] for e in detail[2::3]] == [["path", "project_id"], ["query", "is_flow"]]
    project = create_project(client, key_headers, {"name": "Paged"})
    own = client.get(f"/api/v1/projects/{project['id']}", params={"page": 0}, headers=key_headers)
    assert own.json() == {"detail": [page, page]}


def test_the_list_is_in_name_order_the_starter_project_first(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow reads the list through its (user, name) index: byte order of the names (upper case first), a
    renamed project moves; "Starter Project" is put first."""
    made = [create_project(client, key_headers, {"name": name})["id"] for name in ("np", "b", "np (10)", "np (2)", "B")]
    client.patch(f"/api/v1/projects/{made[1]}", json={"name": "zz"}, headers=key_headers)
    listed = client.get("/api/v1/projects/", headers=key_headers).json()
    assert [p["name"] for p in listed] == ["Starter Project", "B", "np", "np (10)", "np (2)", "zz"]


def test_filters_apply_to_a_page_and_not_to_the_whole_project(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    project = create_project(client, key_headers, {"name": "Mixed"})
    flow = create_flow(client, key_headers, {"name": "Weather flow", "folder_id": project["id"]})
    component = create_flow(client, key_headers, {"name": "Weather component", "is_component": True,
                                                  "folder_id": project["id"]})
    other = create_flow(client, key_headers, {"name": "Other", "folder_id": project["id"]})
    url = f"/api/v1/projects/{project['id']}"

    def page(**params: Any) -> list[str]:
        got = client.get(url, params={"page": 1, "size": 50, **params}, headers=key_headers)
        assert got.status_code == 200
        return [f["name"] for f in got.json()["flows"]["items"]]

    assert page(is_flow="true") == [other["name"], flow["name"]]
    assert page(is_component="true") == [component["name"]]
    assert page(is_component="true", is_flow="true") == []
    assert page(search="WEATHER") == [component["name"], flow["name"]]
    whole = client.get(url, params={"search": "weather", "is_component": "true"}, headers=key_headers).json()
    assert [f["name"] for f in whole["flows"]] == [flow["name"], component["name"], other["name"]]


def searched(client: TestClient, headers: dict[str, str], project: dict[str, Any], search: str) -> list[str]:
    """The names of the project's flows a search finds (its first page)."""
    got = client.get(f"/api/v1/projects/{project['id']}", params={"page": 1, "size": 10, "search": search},
                     headers=headers)
    assert got.status_code == 200
    return sorted(f["name"] for f in got.json()["flows"]["items"])


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_search_ignores_the_case_of_ascii_letters_only(make_client: Any, version: str) -> None:
    """Langflow filters a project's flows with SQL LIKE, which SQLite (its default database) matches without
    regard to case for ASCII letters only: "É" does not find "é"."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": "Accents"})
    for name in ("École", "école", "Ecole"):
        create_flow(client, headers, {"name": name, "folder_id": project["id"]})

    assert searched(client, headers, project, "É") == ["École"]
    assert searched(client, headers, project, "é") == ["école"]
    assert searched(client, headers, project, "COLE") == ["Ecole", "École", "école"]


def test_patch_renames_the_project(client: TestClient, key_headers: dict[str, str]) -> None:
    project = create_project(client, key_headers, {"name": "Contract Project", "description": "made by capture"})
    response = client.patch(f"/api/v1/projects/{project['id']}", json={"name": "Contract Project 2"},
                            headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {**project, "name": "Contract Project 2"}
    assert client.get(f"/api/v1/projects/{project['id']}", headers=key_headers).json()["name"] == "Contract Project 2"


def test_patch_with_flows_or_components_moves_nothing(client: TestClient, key_headers: dict[str, str]) -> None:
    # Langflow replaces the body's lists with what the project holds: a flow moves by its own PATCH.
    project = create_project(client, key_headers, {"name": "Target"})
    inside = create_flow(client, key_headers, {"name": "Inside", "folder_id": project["id"]})
    outside = create_flow(client, key_headers, {"name": "Outside"})
    response = client.patch(f"/api/v1/projects/{project['id']}", json={"flows": [outside["id"]], "components": []},
                            headers=key_headers)
    assert response.status_code == 200
    assert folder_of(client, key_headers, outside["id"]) == outside["folder_id"]
    assert folder_of(client, key_headers, inside["id"]) == project["id"]


def test_patch_to_a_name_in_use_is_409_and_changes_nothing(client: TestClient, key_headers: dict[str, str]) -> None:
    first = create_project(client, key_headers, {"name": "First"})
    second = create_project(client, key_headers, {"name": "Second"})
    response = client.patch(f"/api/v1/projects/{second['id']}", json={"name": "First", "description": "new"},
                            headers=key_headers)
    assert (response.status_code, response.json()) == (409, {"detail": "Project name must be unique"})
    assert client.get(f"/api/v1/projects/{second['id']}", headers=key_headers).json()["description"] is None
    same = client.patch(f"/api/v1/projects/{first['id']}", json={"name": "First"}, headers=key_headers)
    assert same.status_code == 200


def test_patch_to_a_parent_that_is_not_the_callers_project_is_404(client: TestClient,
                                                                  key_headers: dict[str, str]) -> None:
    child = create_project(client, key_headers, {"name": "Child"})
    parent = create_project(client, key_headers, {"name": "Parent"})
    missing = client.patch(f"/api/v1/projects/{child['id']}", json={"parent_id": UNKNOWN_ID}, headers=key_headers)
    assert (missing.status_code, missing.json()) == (404, {"detail": "Parent project not found"})
    moved = client.patch(f"/api/v1/projects/{child['id']}", json={"parent_id": parent["id"]}, headers=key_headers)
    assert (moved.status_code, moved.json()["parent_id"]) == (200, parent["id"])


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_a_patch_stores_any_parent_id(make_client: Any, version: str) -> None:
    """0.8.4's and 0.7.1's update_project set parent_id as sent, with no lookup, and SQLite checks no foreign key."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    child = create_project(client, headers, {"name": "Child"})
    moved = client.patch(f"/api/v1/projects/{child['id']}", json={"parent_id": UNKNOWN_ID}, headers=headers)
    assert (moved.status_code, moved.json()["parent_id"]) == (200, UNKNOWN_ID)
    assert client.get(f"/api/v1/projects/{child['id']}", headers=headers).json()["parent_id"] == UNKNOWN_ID


def test_deleting_a_parent_leaves_its_sub_projects_without_one(client: TestClient,
                                                               key_headers: dict[str, str]) -> None:
    """Langflow's ORM sets a child's parent_id to null when its parent goes; the child and its flows stay."""
    parent = create_project(client, key_headers, {"name": "Parent"})
    child = create_project(client, key_headers, {"name": "Child"})
    client.patch(f"/api/v1/projects/{child['id']}", json={"parent_id": parent["id"]}, headers=key_headers)
    flow = client.post("/api/v1/flows/", json={"name": "Kept", "data": {"nodes": [], "edges": []},
                                               "folder_id": child["id"]}, headers=key_headers).json()
    assert client.delete(f"/api/v1/projects/{parent['id']}", headers=key_headers).status_code == 204
    listed = {p["id"]: p for p in client.get("/api/v1/projects/", headers=key_headers).json()}
    assert parent["id"] not in listed and listed[child["id"]]["parent_id"] is None
    read = client.get(f"/api/v1/projects/{child['id']}", headers=key_headers).json()
    assert read["parent_id"] is None and [f["id"] for f in read["flows"]] == [flow["id"]]


@pytest.mark.parametrize("auth", [{"auth_type": True}, {"auth_type": "basic"}, {"oauth_port": 8080},
                                  {"oauth_client_secret": ["s"]}])
def test_auth_settings_the_mcp_listing_could_not_read_are_a_422(client: TestClient, key_headers: dict[str, str],
                                                                 auth: dict[str, Any]) -> None:
    """Langflow would store them and then fail every GET /mcp/project/{id} with a 500; the mock refuses them
    when they are sent, and the project stays listable."""
    created = client.post("/api/v1/projects/", json={"name": "A", "auth_settings": auth}, headers=key_headers)
    assert created.status_code == 422
    assert created.json()["detail"][0]["loc"] == ["body", "auth_settings", next(iter(auth))]
    project = client.post("/api/v1/projects/", json={"name": "B", "auth_settings": {"auth_type": "apikey", "note": 1}},
                          headers=key_headers)
    assert project.status_code == 201 and project.json()["auth_settings"] == {"auth_type": "apikey", "note": 1}
    patched = client.patch(f"/api/v1/projects/{project.json()['id']}", json={"auth_settings": auth},
                           headers=key_headers)
    assert patched.status_code == 422
    tools = client.get(f"/api/v1/mcp/project/{project.json()['id']}", headers=key_headers)
    assert tools.status_code == 200 and tools.json()["auth_settings"]["auth_type"] == "apikey"


def opened(client: TestClient, sealed: str) -> str:
    """What a Fernet token holds, opened by the cryptography library's own Fernet with the server's key."""
    key = tokens.fernet_key(client.app.state.mock.secret_key)  # type: ignore[attr-defined]
    assert sealed.startswith("gAAAAAB")
    return Fernet(base64.urlsafe_b64encode(key)).decrypt(sealed).decode()


def test_auth_settings_secrets_are_stored_encrypted(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow keeps api_key and oauth_client_secret as Fernet tokens: a project read back shows the token,
    never the secret. A token sent back, or the mask the MCP listing shows, keeps the secret."""
    project = create_project(client, key_headers, {"name": "Sealed", "auth_settings": {
        "auth_type": "apikey", "api_key": "k-1", "oauth_client_id": "app", "oauth_client_secret": ""}})
    settings = project["auth_settings"]
    assert opened(client, settings["api_key"]) == "k-1"
    assert {**settings, "api_key": None} == {"auth_type": "apikey", "api_key": None, "oauth_client_id": "app",
                                             "oauth_client_secret": ""}  # an empty secret stays as it is
    url = f"/api/v1/projects/{project['id']}"
    assert client.get(url, headers=key_headers).json()["auth_settings"] == settings
    mcp = client.get(f"/api/v1/mcp/project/{project['id']}", headers=key_headers).json()["auth_settings"]
    assert "api_key" not in mcp and mcp["auth_type"] == "apikey"
    masked = client.patch(url, json={"auth_settings": {"auth_type": "apikey", "api_key": "*******"}},
                          headers=key_headers).json()["auth_settings"]
    assert opened(client, masked["api_key"]) == "k-1" and masked["api_key"] != settings["api_key"]
    back = client.patch(url, json={"auth_settings": masked}, headers=key_headers).json()["auth_settings"]
    assert back == masked  # a token is not sealed twice
    unicode = client.patch(url, json={"auth_settings": {"auth_type": "apikey", "api_key": "clé ✓"}},
                           headers=key_headers)
    assert opened(client, unicode.json()["auth_settings"]["api_key"]) == "clé ✓"


def test_patch_with_null_auth_settings_clears_them(client: TestClient, key_headers: dict[str, str]) -> None:
    project = create_project(client, key_headers, {"name": "Cleared", "auth_settings": {"auth_type": "apikey"}})
    url = f"/api/v1/projects/{project['id']}"
    renamed = client.patch(url, json={"name": "Still Keyed"}, headers=key_headers).json()
    assert renamed["auth_settings"] == {"auth_type": "apikey"}  # not sent: left as it is
    cleared = client.patch(url, json={"auth_settings": None}, headers=key_headers)
    assert cleared.status_code == 200 and cleared.json()["auth_settings"] is None
    assert client.get(url, headers=key_headers).json()["auth_settings"] is None


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_new_project_keeps_its_secrets_as_sent(make_client: Any, version: str) -> None:
    """Before 1.13 only changes seal the secrets; and 1.7.1 seals again a token it cannot open."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": "Plain", "auth_settings": {"auth_type": "apikey",
                                                                                  "api_key": "k-1"}})
    assert project["auth_settings"] == {"auth_type": "apikey", "api_key": "k-1"}
    foreign = Fernet(Fernet.generate_key()).encrypt(b"k-2").decode()
    patched = client.patch(f"/api/v1/projects/{project['id']}", headers=headers,
                           json={"auth_settings": {"auth_type": "apikey", "api_key": foreign}})
    stored = patched.json()["auth_settings"]["api_key"]
    assert (stored == foreign) is (version == "1.8.4")
    if version == "1.7.1":
        assert opened(client, stored) == foreign


def test_create_with_a_flows_list_moves_those_flows_into_it(client: TestClient, key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "Mover"})
    project = create_project(client, key_headers, {"name": "Target", "flows_list": [flow["id"]]})
    assert folder_of(client, key_headers, flow["id"]) == project["id"]
    listed = client.get(f"/api/v1/projects/{project['id']}", headers=key_headers).json()["flows"]
    assert [f["id"] for f in listed] == [flow["id"]]


def test_delete_answers_204_and_takes_its_flows_with_it(client: TestClient, key_headers: dict[str, str]) -> None:
    project = create_project(client, key_headers, {"name": "Doomed"})
    inside = create_flow(client, key_headers, {"name": "Inside", "folder_id": project["id"]})
    outside = create_flow(client, key_headers, {"name": "Outside"})
    response = client.delete(f"/api/v1/projects/{project['id']}", headers=key_headers)
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert client.get(f"/api/v1/projects/{project['id']}", headers=key_headers).status_code == 404
    gone = client.get(f"/api/v1/flows/{inside['id']}", headers=key_headers)
    assert (gone.status_code, gone.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})
    assert client.get(f"/api/v1/flows/{outside['id']}", headers=key_headers).status_code == 200
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()] == ["Starter Project"]


def test_download_is_a_zip_of_the_projects_flows(client: TestClient, key_headers: dict[str, str],
                                                 chat_flow: dict[str, Any]) -> None:
    project = create_project(client, key_headers, {"name": "Exported"})
    flow = create_flow(client, key_headers, {**chat_flow, "folder_id": project["id"]})
    create_flow(client, key_headers, {"name": "Elsewhere"})
    response = client.get(f"/api/v1/projects/download/{project['id']}", headers=key_headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-zip-compressed"
    assert "content-length" not in response.headers  # streamed, as Langflow's StreamingResponse
    assert re.fullmatch(r'attachment; filename="\d{8}_\d{6}_Exported_flows\.zip".*',
                        response.headers["content-disposition"])
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["Contract Chat IO.json"]
    entry = json.loads(archive.read("Contract Chat IO.json"))
    assert (entry["id"], entry["name"], entry["data"]["edges"]) == (flow["id"], flow["name"],
                                                                     chat_flow["data"]["edges"])


# One flow of 1.13's project download: its FlowRead without owner, folder, time, access type or gradient (so,
# unlike a flow's own download, with name_key and without fs_path or last_modified_by).
PROJECT_ENTRY_KEYS = {
    "name", "description", "icon", "icon_bg_color", "data", "is_component", "webhook", "endpoint_name", "tags",
    "locked", "mcp_enabled", "action_name", "action_description", "flow_type", "a2a_enabled", "a2a_card_overrides",
    "id", "workspace_id", "name_key", "version_token",
}


def test_a_projects_download_holds_each_flows_export_under_a_safe_file_name(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    project = create_project(client, key_headers, {"name": "Exported"})
    for node in chat_flow["data"]["nodes"]:
        node["positionAbsolute"] = {"x": 1, "y": 2}
    flow = create_flow(client, key_headers, {**chat_flow, "name": "a/..b", "folder_id": project["id"]})
    archive = zipfile.ZipFile(io.BytesIO(
        client.get(f"/api/v1/projects/download/{project['id']}", headers=key_headers).content))
    assert archive.namelist() == ["a__b.json"]
    raw = archive.read("a__b.json")
    assert raw == json.dumps(json.loads(raw), indent=2, sort_keys=True, ensure_ascii=False).encode()
    entry = json.loads(raw)
    assert set(entry) == PROJECT_ENTRY_KEYS
    assert {k: entry[k] for k in PROJECT_ENTRY_KEYS - {"data"}} == {k: flow[k] for k in PROJECT_ENTRY_KEYS - {"data"}}
    single = client.post("/api/v1/flows/download/", json=[flow["id"]], headers=key_headers).json()
    assert entry["data"] == single["data"]
    assert all(set(node).isdisjoint({"positionAbsolute", "selected", "dragging"}) for node in entry["data"]["nodes"])


def test_before_1_13_a_projects_download_holds_each_flow_as_read(make_client: Any,
                                                                 chat_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": "Exported"})
    flow = create_flow(client, headers, {**chat_flow, "name": "a/b", "folder_id": project["id"]})
    archive = zipfile.ZipFile(io.BytesIO(
        client.get(f"/api/v1/projects/download/{project['id']}", headers=headers).content))
    assert archive.namelist() == ["a/b.json"]
    raw = archive.read("a/b.json")
    assert raw == json.dumps(json.loads(raw)).encode()
    entry = json.loads(raw)
    assert {k: v for k, v in entry.items() if k != "data"} == {k: v for k, v in flow.items() if k != "data"}
    assert entry["data"]["nodes"] == chat_flow["data"]["nodes"]


@pytest.mark.parametrize(("version", "detail"), [("1.13", errors.PROJECT_DOWNLOAD_FAILED),
                                                  ("1.8", errors.NONE_HAS_NO_GET), ("1.7.1", errors.NONE_HAS_NO_GET)])
def test_download_of_a_project_holding_a_flow_without_data_is_a_500(make_client: Any, version: str,
                                                                   detail: str) -> None:
    # Langflow's export reads every flow's graph; a flow created without one fails it, whatever else is there.
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": "Half empty"})
    for body in ({"name": "Fine", "data": {"nodes": [], "edges": []}}, {"name": "Without data"}):
        create_flow(client, headers, {**body, "folder_id": project["id"]})
    response = client.get(f"/api/v1/projects/download/{project['id']}", headers=headers)
    assert (response.status_code, response.json()) == (500, {"detail": detail})


def test_download_of_an_empty_project_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    project = create_project(client, key_headers, {"name": "Empty"})
    response = client.get(f"/api/v1/projects/download/{project['id']}", headers=key_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": errors.NO_FLOWS_IN_PROJECT}


def test_unknown_project_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    for response in (client.get(f"/api/v1/projects/{UNKNOWN_ID}", headers=key_headers),
                     client.patch(f"/api/v1/projects/{UNKNOWN_ID}", json={"name": "x"}, headers=key_headers),
                     client.delete(f"/api/v1/projects/{UNKNOWN_ID}", headers=key_headers)):
        assert response.status_code == 404
        assert response.json() == {"detail": errors.PROJECT_NOT_FOUND}


def test_projects_without_credentials_are_403(client: TestClient) -> None:
    response = client.get("/api/v1/projects/")
    assert response.status_code == 403
    assert response.json() == {"detail": errors.NO_CREDENTIALS}


def test_folders_with_a_slash_redirects_307_to_projects(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/folders/", headers=key_headers, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/api/v1/projects/"
    assert response.content == b""


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/v1/folders/"), ("POST", "/api/v1/folders/upload/"),
                                            ("DELETE", f"/api/v1/folders/{UUID(int=7)}")])
def test_a_folder_write_redirects_307_whatever_its_declared_status(client: TestClient, key_headers: dict[str, str],
                                                                   method: str, path: str) -> None:
    response = client.request(method, path, headers=key_headers, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == path.replace("/folders/", "/projects/")


def test_folders_without_a_slash_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/folders", headers=key_headers, follow_redirects=False)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def upload_project(client: TestClient, headers: dict[str, str], content: bytes,
                   filename: str = "project.json") -> Any:
    return client.post("/api/v1/projects/upload/", files={"file": (filename, content)}, headers=headers)


def test_an_uploaded_project_gets_free_names_and_its_flows(client: TestClient, key_headers: dict[str, str]) -> None:
    create_project(client, key_headers, {"name": "Imported"})
    create_flow(client, key_headers, {"name": "Taken"})
    body = {"folder_name": "Imported", "folder_description": "from a file",
            "flows": [{"name": "Taken", "data": {"nodes": [], "edges": []}}, {"name": "Taken"}, {"name": "Fresh"}]}
    response = upload_project(client, key_headers, json.dumps(body).encode())
    assert response.status_code == 201
    flows = response.json()
    # upload_project_flows numbers the second "Taken" after the name the first was given
    assert [f["name"] for f in flows] == ["Taken (1)", "Taken (1) (1)", "Fresh"]
    project = next(p for p in client.get("/api/v1/projects/", headers=key_headers).json()
                   if p["name"] == "Imported (1)")
    assert project["description"] == "from a file"
    assert {f["folder_id"] for f in flows} == {project["id"]}


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_an_uploaded_project_gives_a_user_without_projects_no_default_one(make_client: Any, version: str) -> None:
    """Langflow puts an uploaded project's flows in the new project and never looks up a default project: a user
    who deleted every project has only the uploaded one afterwards."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    for project in client.get("/api/v1/projects/", headers=headers).json():
        assert client.delete(f"/api/v1/projects/{project['id']}", headers=headers).status_code == 204
    body = {"folder_name": "Uploaded", "folder_description": "", "flows": [{"name": "F", "data": None}]}
    uploaded = upload_project(client, headers, json.dumps(body).encode())
    assert uploaded.status_code == 201
    listed = client.get("/api/v1/projects/", headers=headers).json()
    assert [p["name"] for p in listed] == ["Uploaded"]
    assert [f["folder_id"] for f in uploaded.json()] == [listed[0]["id"]]


def test_an_uploaded_project_with_a_flow_its_model_refuses_is_422_and_creates_nothing(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13 reads the flows as a batch's body before it makes the project: pydantic's report, as a 422."""
    before = client.get("/api/v1/projects/", headers=key_headers).json()
    body = {"folder_name": "Broken", "flows": [{"name": "Fine"}, {"name": "No edges", "data": {"nodes": []}}]}
    response = upload_project(client, key_headers, json.dumps(body).encode())
    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        "1 validation error for FlowListCreate\nflows.1.data\n  Value error, Flow must have edges")
    not_a_list = upload_project(client, key_headers, json.dumps({"folder_name": "B", "flows": "x"}).encode())
    assert not_a_list.status_code == 422
    assert not_a_list.json()["detail"].startswith("1 validation error for FlowListCreate\nflows\n")
    assert client.get("/api/v1/projects/", headers=key_headers).json() == before


def test_an_uploaded_project_giving_one_new_id_twice_is_a_409_and_creates_nothing(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's project upload hands its flows to the batch create, whose insert fails on the id the second time:
    409 "Id must be unique", no project made."""
    before = client.get("/api/v1/projects/", headers=key_headers).json()
    same = "22222222-0000-4000-8000-000000000002"
    body = {"folder_name": "Twice", "flows": [{"name": "A", "id": same}, {"name": "B", "id": same}]}
    response = upload_project(client, key_headers, json.dumps(body).encode())
    assert (response.status_code, response.json()) == (409, {"detail": "Id must be unique"})
    assert client.get("/api/v1/projects/", headers=key_headers).json() == before


def test_a_project_zip_goes_back_once_its_flows_are_gone(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13 takes the ZIP its download makes, named after the file. Its flows keep their ids, which Langflow's
    batch create refuses while they exist (422): the round trip works into a server without them."""
    project = create_project(client, key_headers, {"name": "Round Trip"})
    for name in ("One", "Two"):
        create_flow(client, key_headers, {"name": name, "folder_id": project["id"], "data": {"nodes": [], "edges": []}})
    archive = client.get(f"/api/v1/projects/download/{project['id']}", headers=key_headers).content
    clash = upload_project(client, key_headers, archive, "round_trip.zip")
    assert clash.status_code == 422
    assert clash.json()["detail"].startswith("Flow(s) with the following IDs already exist: ")
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()].count("round_trip") == 0
    assert client.delete(f"/api/v1/projects/{project['id']}", headers=key_headers).status_code == 204
    response = upload_project(client, key_headers, archive, "round_trip.zip")
    assert response.status_code == 201
    assert sorted(f["name"] for f in response.json()) == ["One", "Two"]
    names = [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()]
    assert "round_trip" in names


def test_a_project_file_that_is_not_one_is_a_400_in_langflows_words(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    before = client.get("/api/v1/projects/", headers=key_headers).json()
    for content, detail in [
        (b"", "The uploaded file is empty"),
        (b"[]", "No flows found in the file"),
        (b"[1]", "Invalid project data: expected a JSON object with 'folder_name' and 'flows' fields"),
        (b'{"flows": []}', "Missing required field(s): folder_name"),
        (b'{"name": "x"}', "Missing required field(s): folder_name, flows"),
    ]:
        response = upload_project(client, key_headers, content)
        assert (response.status_code, response.json()) == (400, {"detail": detail}), content
    bad = upload_project(client, key_headers, b"{nope")
    assert bad.status_code == 400 and bad.json()["detail"].startswith("Invalid JSON file: ")
    endpoint = create_flow(client, key_headers, {"name": "Has endpoint", "endpoint_name": "kept"})
    clash = upload_project(client, key_headers, json.dumps(
        {"folder_name": "Never made", "flows": [{"name": "New", "endpoint_name": endpoint["endpoint_name"]}]}).encode())
    assert (clash.status_code, clash.json()) == (409, {"detail": "Endpoint name must be unique"})  # create_flows
    assert client.get("/api/v1/projects/", headers=key_headers).json() == before  # no project left behind


def test_a_project_file_whose_flows_are_null_creates_nothing(client: TestClient, key_headers: dict[str, str]) -> None:
    before = client.get("/api/v1/projects/", headers=key_headers).json()
    response = upload_project(client, key_headers, json.dumps({"folder_name": "Nulls", "flows": None}).encode())
    # 1.13 reads the flows as a batch's body (FlowListCreate) before it makes the project: a 422.
    assert response.status_code == 422
    assert response.json()["detail"].startswith("1 validation error for FlowListCreate\nflows\n  Input should be")
    assert client.get("/api/v1/projects/", headers=key_headers).json() == before


def test_with_auto_login_off_a_new_project_asks_for_an_api_key(make_client: Any) -> None:
    """Langflow gives a project created or uploaded without auth settings API-key auth when auto-login is off."""
    client = make_client(auto_login=False, superuser_password="pw", api_key="sk-" + "k" * 43)
    headers = {"x-api-key": "sk-" + "k" * 43}
    created = client.post("/api/v1/projects/", json={"name": "Keyed"}, headers=headers).json()
    assert created["auth_settings"] == {"auth_type": "apikey"}
    given = client.post("/api/v1/projects/", json={"name": "Open", "auth_settings": {"auth_type": "none"}},
                        headers=headers).json()
    assert given["auth_settings"] == {"auth_type": "none"}
    uploaded = client.post("/api/v1/projects/upload/", headers=headers, files={"file": (
        "p.json", b'{"folder_name": "Up", "folder_description": "", "flows": []}')})
    assert uploaded.status_code == 201
    listed = {p["name"]: p["auth_settings"] for p in client.get("/api/v1/projects/", headers=headers).json()}
    assert listed["Up"] == {"auth_type": "apikey"} and listed["Open"] == {"auth_type": "none"}
    on = make_client()
    key = {"x-api-key": new_api_key(on)}
    assert on.post("/api/v1/projects/", json={"name": "Auto"}, headers=key).json()["auth_settings"] is None


@pytest.mark.parametrize(("version", "detail"), [("1.13.0", errors.ASSISTANT_UNDELETABLE),
                                                  ("1.7.1", errors.ASSISTANT_UNDELETABLE_OLD)])
def test_a_project_named_langflow_assistant_cannot_be_deleted(make_client: Any, version: str, detail: str) -> None:
    """Langflow keeps its assistant's flows in "Langflow Assistant" and refuses to delete a project of that name."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": "Langflow Assistant"})
    flow = create_flow(client, headers, {"name": "Kept", "folder_id": project["id"]})
    refused = client.delete(f"/api/v1/projects/{project['id']}", headers=headers)
    assert (refused.status_code, refused.json()) == (403, {"detail": detail})
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=headers).status_code == 200
    renamed = client.patch(f"/api/v1/projects/{project['id']}", json={"name": "Mine"}, headers=headers)
    assert renamed.status_code == 200
    assert client.delete(f"/api/v1/projects/{project['id']}", headers=headers).status_code == 204


@pytest.mark.parametrize(("name", "message"), [
    ("Launch \U0001f680", "Project names cannot contain emoji"),
    ("\u2728 Sparkle", "Project names cannot contain emoji"),
    ("---", "Project names must contain at least one letter or number"),
])
def test_1_13_refuses_a_project_name_with_emoji_or_without_a_letter_or_digit(
        client: TestClient, key_headers: dict[str, str], name: str, message: str) -> None:
    """1.13's project model checks the name (its MCP server's name comes from it) on create, PATCH and upload."""
    item = {"type": "invalid_project_name", "loc": ["body", "name"], "msg": message}
    created = client.post("/api/v1/projects/", json={"name": name}, headers=key_headers)
    assert created.status_code == 422
    assert created.json() == {"detail": [item]}
    project = create_project(client, key_headers, {"name": "Fine"})
    patched = client.patch(f"/api/v1/projects/{project['id']}", json={"name": name}, headers=key_headers)
    assert patched.status_code == 422
    assert patched.json() == {"detail": [item]}
    uploaded = upload_project(client, key_headers, json.dumps({"folder_name": name, "flows": []}).encode())
    assert uploaded.status_code == 422
    assert uploaded.json() == {"detail": message}
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()] == [
        "Starter Project", "Fine"]



def test_before_1_13_any_project_name_is_taken(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    assert create_project(client, headers, {"name": "Launch \U0001f680"})["name"] == "Launch \U0001f680"


def test_a_created_name_is_numbered_past_every_number_ending_a_name_it_starts(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow's create looks at every project whose name starts with the taken one (SQL LIKE, so ASCII case is
    ignored) and takes one past the highest "(n)" it finds in them."""
    for name in ("Proj", "project (5)", "Proj (x)"):
        create_project(client, key_headers, {"name": name})
    assert create_project(client, key_headers, {"name": "Proj"})["name"] == "Proj (6)"
    create_project(client, key_headers, {"name": "50%"})
    create_project(client, key_headers, {"name": "50 (9)"})  # "%" is no wildcard: this one is not looked at
    assert create_project(client, key_headers, {"name": "50%"})["name"] == "50% (1)"


def test_an_uploaded_name_takes_the_first_free_number(client: TestClient, key_headers: dict[str, str]) -> None:
    """Unlike a create, Langflow's upload tries "Name (1)", "Name (2)"... and fills a gap; with no
    folder_description the project's description is ""."""
    for name in ("Gap", "Gap (2)"):
        create_project(client, key_headers, {"name": name})
    response = upload_project(client, key_headers, b'{"folder_name": "Gap", "flows": []}')
    assert response.status_code == 201
    listed = {p["name"]: p for p in client.get("/api/v1/projects/", headers=key_headers).json()}
    assert listed["Gap (1)"]["description"] == ""
    assert create_project(client, key_headers, {"name": "Gap"})["name"] == "Gap (3)"


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_an_uploaded_projects_flows_take_the_first_free_number(make_client: Any, version: str) -> None:
    """generate_unique_flow_name tries "Name (1)", "Name (2)"... against the caller's flows, filling a gap."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    for name in ("Gap", "Gap (2)"):
        create_flow(client, headers, {"name": name})
    body = {"folder_name": "Up", "folder_description": "", "flows": [{"name": "Gap"}, {"name": "Gap (2)"}]}
    response = upload_project(client, headers, json.dumps(body).encode())
    assert response.status_code == 201
    assert [f["name"] for f in response.json()] == ["Gap (1)", "Gap (2) (1)"]


def test_an_uploaded_projects_flow_names_are_numbered_once(client: TestClient, key_headers: dict[str, str]) -> None:
    """The names a project upload chose are stored as chosen (a create's "one past the highest" is not applied
    on top), next to a name differing only in case, which SQLite's = tells apart; a name an earlier flow of the
    file was given counts as taken."""
    for name in ("Taken", "taken (1)", "Taken (5)"):
        create_flow(client, key_headers, {"name": name})
    flows = [{"name": "Taken"}, {"name": "Taken"}, {"name": "taken (1)"}]
    body = {"folder_name": "Up", "folder_description": "", "flows": flows}
    response = upload_project(client, key_headers, json.dumps(body).encode())
    assert response.status_code == 201
    assert [f["name"] for f in response.json()] == ["Taken (1)", "Taken (1) (1)", "taken (1) (1)"]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_an_uploaded_projects_flows_go_in_as_a_batch_with_only_stored_names_numbered(
        make_client: Any, version: str) -> None:
    """1.8.4's and 1.7.1's upload numbers each flow name against the database alone (generate_unique_flow_name)
    and hands the flows to the batch create, which numbers no endpoint name: a name the file gives twice, or an
    endpoint name in use, fails the insert on the (user_id, name) or (user_id, endpoint_name) constraint, a 500
    there and, as the batch's own clash, the mock's 400 with the column's text; nothing is created."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    for name in ("Taken", "taken (1)", "Taken (5)"):
        create_flow(client, headers, {"name": name, **({"endpoint_name": "ep"} if name == "Taken" else {})})
    before = (client.get("/api/v1/projects/", headers=headers).json(), own_flow_names(client, headers))
    for flows, detail in (([{"name": "Taken"}, {"name": "Taken"}], "Name must be unique"),
                          ([{"name": "New"}, {"name": "New"}], "Name must be unique"),
                          ([{"name": "New", "endpoint_name": "ep"}], "Endpoint name must be unique"),
                          ([{"name": "A", "endpoint_name": "e2"}, {"name": "B", "endpoint_name": "e2"}],
                           "Endpoint name must be unique")):
        body = {"folder_name": "Up", "folder_description": "", "flows": flows}
        response = upload_project(client, headers, json.dumps(body).encode())
        assert (response.status_code, response.json()) == (400, {"detail": detail})
        assert (client.get("/api/v1/projects/", headers=headers).json(), own_flow_names(client, headers)) == before
    body = {"folder_name": "Up", "folder_description": "", "flows": [{"name": "Taken"}, {"name": "taken (1)"}]}
    response = upload_project(client, headers, json.dumps(body).encode())
    assert response.status_code == 201
    assert [f["name"] for f in response.json()] == ["Taken (1)", "taken (1) (1)"]


def own_flow_names(client: TestClient, headers: dict[str, str]) -> list[str]:
    return sorted(f["name"] for f in client.get("/api/v1/flows/", params={"remove_example_flows": "true"},
                                                headers=headers).json())


@pytest.mark.parametrize(("version", "listed"), [("1.13", True), ("1.8", False), ("1.7.1", False)])
def test_a_project_named_as_the_examples_folder_is_listed_from_1_13(make_client: Any, version: str,
                                                                     listed: bool) -> None:
    """1.8.4's and 1.7.1's read_projects leave out every project named "Starter Projects"; 1.13 only the
    ownerless one."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    made = create_project(client, headers, {"name": "Starter Projects"})
    names = [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()]
    assert ("Starter Projects" in names) is listed
    assert client.get(f"/api/v1/projects/{made['id']}", headers=headers).status_code == 200


def test_1_13_gives_no_new_default_project_to_a_user_who_renamed_it(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's get_or_create_default_folder makes a "Starter Project" only for a user with no project: once the
    default is renamed, listing brings no new one back, and a flow made without a folder goes to the user's
    project with the lowest id (here the only one)."""
    default = client.get("/api/v1/projects/", headers=key_headers).json()[0]
    renamed = client.patch(f"/api/v1/projects/{default['id']}", json={"name": "Mine"}, headers=key_headers)
    assert renamed.status_code == 200
    listed = client.get("/api/v1/projects/", headers=key_headers).json()
    assert [(p["name"], p["id"]) for p in listed] == [("Mine", default["id"])]
    flow = create_flow(client, key_headers, {"name": "Loose"})
    assert flow["folder_id"] == default["id"]
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()] == ["Mine"]


def test_before_1_13_a_renamed_default_project_is_made_again(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    default = client.get("/api/v1/projects/", headers=headers).json()[0]
    client.patch(f"/api/v1/projects/{default['id']}", json={"name": "Mine"}, headers=headers)
    flow = create_flow(client, headers, {"name": "Loose"})
    listed = client.get("/api/v1/projects/", headers=headers).json()
    assert [p["name"] for p in listed] == ["Starter Project", "Mine"]
    assert flow["folder_id"] == next(p["id"] for p in listed if p["name"] == "Starter Project")


def test_a_project_named_starter_project_is_listed_first(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow sorts the list by that name alone: a "Starter Project" made after the default was renamed comes
    before it."""
    default = client.get("/api/v1/projects/", headers=key_headers).json()[0]
    client.patch(f"/api/v1/projects/{default['id']}", json={"name": "Mine"}, headers=key_headers)
    create_project(client, key_headers, {"name": "Other"})
    create_project(client, key_headers, {"name": "Starter Project"})
    listed = client.get("/api/v1/projects/", headers=key_headers).json()
    assert [p["name"] for p in listed] == ["Starter Project", "Mine", "Other"]


@pytest.mark.parametrize(("version", "expected"), [
    ("1.13", "attachment; filename=\"<t>_Q\\\"x\\\\y ?_z_flows.zip\"; "
             "filename*=UTF-8''<t>_Q%22x%5Cy%20%C3%A9_z_flows.zip"),
    ("1.8", "attachment; filename*=UTF-8''<t>_Q%22x%5Cy%20%C3%A9%09z_flows.zip"),
    ("1.7.1", "attachment; filename*=UTF-8''<t>_Q%22x%5Cy%20%C3%A9%09z_flows.zip"),
])
def test_a_projects_download_names_its_zip_as_the_release_does(make_client: Any, version: str,
                                                               expected: str) -> None:
    """1.13 escapes `"` and `\\` in the quoted name and turns control characters into "_"; 1.8 and 1.7.1 send only
    the percent-encoded name."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": 'Q"x\\y \u00e9\tz'})
    create_flow(client, headers, {"name": "Inside", "data": {"nodes": [], "edges": []}, "folder_id": project["id"]})
    response = client.get(f"/api/v1/projects/download/{project['id']}", headers=headers)
    assert response.status_code == 200
    assert re.sub(r"\d{8}_\d{6}", "<t>", response.headers["content-disposition"]) == expected


def test_folders_redirects_parse_the_id_and_rebuild_a_reads_query(client: TestClient) -> None:
    """Langflow's /folders routes take a UUID (else 422) and no credentials; a read's Location carries its own
    parameters only, page and size together once either is sent; the other routes drop the query."""
    folder = "7F9A9821-8D4C-4288-95FF-A9F91E93BE00"
    cases = [
        ("GET", f"/api/v1/folders/{folder}?page=2&foo=1&is_flow=true&is_component=false",
         "/api/v1/projects/7f9a9821-8d4c-4288-95ff-a9f91e93be00?is_flow=True&page=2&size=50"),
        ("GET", f"/api/v1/folders/{folder}?size=5&search=chat",
         "/api/v1/projects/7f9a9821-8d4c-4288-95ff-a9f91e93be00?search=chat&page=1&size=5"),
        ("PATCH", f"/api/v1/folders/{folder}?x=1", "/api/v1/projects/7f9a9821-8d4c-4288-95ff-a9f91e93be00"),
        ("DELETE", f"/api/v1/folders/{folder}", "/api/v1/projects/7f9a9821-8d4c-4288-95ff-a9f91e93be00"),
        ("GET", f"/api/v1/folders/download/{folder}?x=1",
         "/api/v1/projects/download/7f9a9821-8d4c-4288-95ff-a9f91e93be00"),
        ("GET", "/api/v1/folders/?x=1", "/api/v1/projects/"),
        ("POST", "/api/v1/folders/upload/?x=1", "/api/v1/projects/upload/"),
    ]
    for method, path, location in cases:
        response = client.request(method, path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (307, location)
    bad = client.get("/api/v1/folders/not-a-uuid", follow_redirects=False)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["path", "folder_id"]
    too_big = client.get(f"/api/v1/folders/{folder}?size=101", follow_redirects=False)
    assert too_big.status_code == 422


def test_1_8_fails_numbering_a_name_next_to_a_parenthesis_without_a_number(make_client: Any) -> None:
    """1.8's create reads the number in every "(...)" of the names starting with the taken one: one holding no
    number is a 500 with int()'s message, and `_` is a LIKE wildcard there."""
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    for name in ("Plan_A", "PlanBA (draft)"):
        create_project(client, headers, {"name": name})
    response = client.post("/api/v1/projects/", json={"name": "Plan_A"}, headers=headers)
    assert response.status_code == 500
    assert response.json() == {"detail": "invalid literal for int() with base 10: 'draft'"}
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()] == [
        "Starter Project", "PlanBA (draft)", "Plan_A"]


@pytest.mark.parametrize("body", [{"folder_name": 5, "flows": []}, {"folder_name": None, "flows": []},
                                  {"folder_name": "Typed", "folder_description": 5, "flows": []}])
def test_1_13_reads_an_uploaded_projects_name_and_description_as_strings(
        client: TestClient, key_headers: dict[str, str], body: dict[str, Any]) -> None:
    response = upload_project(client, key_headers, json.dumps(body).encode())
    assert response.status_code == 422
    assert response.json() == {"detail": "Input should be a valid string"}
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()] == ["Starter Project"]


SYNCED_ID = "11111111-2222-4333-8444-555555555555"


def test_put_creates_a_project_at_its_id_then_updates_it(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's PUT /projects/{id}: 201 with a new project at that id (a name in use is a 409, not numbered),
    then 200 updating only the fields sent; moving flows on an update is a 400."""
    created = client.put(f"/api/v1/projects/{SYNCED_ID}", json={"name": "Synced", "description": "d"},
                         headers=key_headers)
    assert created.status_code == 201
    assert created.json() == {"name": "Synced", "description": "d", "auth_settings": None, "id": SYNCED_ID,
                              "parent_id": None}
    updated = client.put(f"/api/v1/projects/{SYNCED_ID}", json={"name": "Synced 2"}, headers=key_headers)
    assert updated.status_code == 200
    assert updated.json() == {**created.json(), "name": "Synced 2"}
    taken = client.put(f"/api/v1/projects/{SYNCED_ID}", json={"name": "Starter Project"}, headers=key_headers)
    assert (taken.status_code, taken.json()) == (409, {"detail": "Project name must be unique"})
    other = "11111111-2222-4333-8444-555555555556"
    clash = client.put(f"/api/v1/projects/{other}", json={"name": "Synced 2"}, headers=key_headers)
    assert (clash.status_code, clash.json()) == (409, {"detail": "Project name must be unique"})
    moves = client.put(f"/api/v1/projects/{SYNCED_ID}", json={"name": "X", "flows_list": [SYNCED_ID]},
                       headers=key_headers)
    assert moves.status_code == 400
    assert moves.json() == {"detail": "flows_list/components_list are not supported when updating an existing "
                                      "project; set a flow's project via PUT /api/v1/flows/{flow_id} instead."}
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()] == [
        "Starter Project", "Synced 2"]


def test_put_on_another_users_project_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    client.put(f"/api/v1/projects/{SYNCED_ID}", json={"name": "Mine"}, headers=key_headers)
    bob = {"x-api-key": other_user_key(client, key_headers)}
    response = client.put(f"/api/v1/projects/{SYNCED_ID}", json={"name": "Taken over"}, headers=bob)
    assert (response.status_code, response.json()) == (404, {"detail": "Project not found"})


def test_before_1_13_there_is_no_put_on_a_project(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    response = client.put(f"/api/v1/projects/{SYNCED_ID}", json={"name": "Synced"}, headers=headers)
    assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})


def test_listing_or_creating_projects_makes_no_default_project(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow makes the default project at sign-up, sign-in and start-up, and for a flow made without a
    project, never for GET or POST /projects/: a user who deleted it has no project left."""
    default = client.get("/api/v1/projects/", headers=key_headers).json()[0]
    assert client.delete(f"/api/v1/projects/{default['id']}", headers=key_headers).status_code == 204
    assert client.get("/api/v1/projects/", headers=key_headers).json() == []
    made = create_project(client, key_headers, {"name": "Only"})
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()] == ["Only"]
    assert create_flow(client, key_headers, {"name": "Loose"})["folder_id"] == made["id"]


def test_before_1_13_listing_gives_a_renamed_default_project_no_successor(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    default = client.get("/api/v1/projects/", headers=headers).json()[0]
    client.patch(f"/api/v1/projects/{default['id']}", json={"name": "Mine"}, headers=headers)
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()] == ["Mine"]


def test_1_8_reads_page_or_size_0_as_their_defaults_and_limits_nothing_in_its_document(make_client: Any) -> None:
    # 1.8's custom_params: `page or 1`, `size or 50`; a page only when both are sent. 1.13 refuses 0 (422).
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": "Paged"})
    flow = create_flow(client, headers, {"name": "Only", "folder_id": project["id"]})
    url = f"/api/v1/projects/{project['id']}"
    both = client.get(url, params={"page": 0, "size": 0}, headers=headers)
    assert both.status_code == 200
    assert both.json() == {"folder": project, "flows": {"items": [flow], "total": 1, "page": 1, "size": 50,
                                                        "pages": 1}}
    one = client.get(url, params={"page": 0}, headers=headers)
    assert (one.status_code, one.json()) == (200, {**project, "flows": [flow]})
    over = client.get(url, params={"page": 1, "size": 101}, headers=headers)
    assert over.status_code == 422
    assert [item["loc"] for item in over.json()["detail"]] == [["query", "size"]]
    declared = client.get("/openapi.json").json()["paths"]["/api/v1/projects/{project_id}"]["get"]["parameters"]
    assert [p["schema"] for p in declared if p["name"] in ("page", "size")] == [
        {"anyOf": [{"type": "integer"}, {"type": "null"}], "title": name} for name in ("Page", "Size")]
    folder = client.get(f"/api/v1/folders/{project['id']}", params={"page": 0}, headers=headers,
                        follow_redirects=False)
    assert (folder.status_code, folder.headers["location"]) == (307, f"{url}?page=1&size=50")
    current = make_client()
    current_headers = {"x-api-key": new_api_key(current)}
    mine = create_project(current, current_headers, {"name": "Paged"})
    refused = current.get(f"/api/v1/projects/{mine['id']}", params={"page": 0, "size": 0}, headers=current_headers)
    assert refused.status_code == 422
    assert [item["loc"] for item in refused.json()["detail"]] == [["query", "page"], ["query", "size"]] * 2
    # 1.13 checks them in its paging dependency, so they are listed first, and again as the route's own parameters
    mixed = current.get(f"/api/v1/projects/{mine['id']}", params={"page": 0, "size": 5, "is_flow": "maybe"},
                        headers=current_headers)
    assert mixed.status_code == 422
    assert [item["loc"] for item in mixed.json()["detail"]] == [["query", "page"], ["query", "page"],
                                                                ["query", "is_flow"]]


def test_1_8_search_is_a_like_pattern(make_client: Any) -> None:
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    project = create_project(client, headers, {"name": "Searched"})
    for name in ("a_b", "a%b", "axb", "other"):
        create_flow(client, headers, {"name": name, "folder_id": project["id"]})

    assert searched(client, headers, project, "a_b") == ["a%b", "a_b", "axb"]
    assert searched(client, headers, project, "A%") == ["a%b", "a_b", "axb"]
    assert searched(client, headers, project, "x") == ["axb"]


@pytest.mark.parametrize(("body", "detail"), [
    ({"folder_name": "No description", "flows": []}, "Invalid project file"),
    ({"folder_name": "No flows", "folder_description": ""}, "No flows found in the data"),
    ({}, "No flows found in the file"),
])
def test_1_8_upload_without_description_or_flows_is_a_400_and_creates_nothing(
        make_client: Any, body: dict[str, Any], detail: str) -> None:
    # Langflow 1.8 reads folder_description with [] (a 500 when absent) and checks for flows after it.
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    response = upload_project(client, headers, json.dumps(body).encode())
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()] == ["Starter Project"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_before_1_13_a_projects_page_and_download_hold_other_users_flows_in_it(make_client: Any,
                                                                               version: str) -> None:
    """A flow of Bob's that got into Alice's project (the batch create of 1.8 and 1.7.1 stores a folder_id as
    sent) is on a page of that project and in its download before 1.13, not in its plain read, until a PATCH of
    the project moves it out; 1.13 puts Bob's flow in his own project, so Alice's holds her flow only."""
    client = make_client(langflow_version=version)
    alice = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, alice)}
    project = create_project(client, alice, {"name": "Alice's"})["id"]
    graph = {"nodes": [], "edges": []}
    assert client.post("/api/v1/flows/", json={"name": "Hers", "data": graph, "folder_id": project},
                       headers=alice).status_code == 201
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "His", "data": graph, "folder_id": project}]},
                        headers=bob)
    assert batch.status_code == 201
    foreign = ["His"] if version != "1.13.0" else []
    plain = client.get(f"/api/v1/projects/{project}", headers=alice).json()
    assert [f["name"] for f in plain["flows"]] == ["Hers"]
    paged = client.get(f"/api/v1/projects/{project}", params={"page": 1, "size": 10}, headers=alice).json()
    assert sorted(f["name"] for f in paged["flows"]["items"]) == sorted(["Hers", *foreign])
    download = client.get(f"/api/v1/projects/download/{project}", headers=alice)
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert len(archive.namelist()) == 1 + len(foreign)
    # Before 1.13 a PATCH of the project counts Bob's flow as left out of it: it goes to the first "Starter
    # Project" there is (Alice's here, the first user's).
    alices_starter = next(p["id"] for p in client.get("/api/v1/projects/", headers=alice).json()
                          if p["name"] == "Starter Project")
    assert client.patch(f"/api/v1/projects/{project}", json={"name": "Renamed"}, headers=alice).status_code == 200
    his = client.get(f"/api/v1/flows/{batch.json()[0]['id']}", headers=bob).json()["folder_id"]
    assert his == (alices_starter if foreign else batch.json()[0]["folder_id"])
    paged = client.get(f"/api/v1/projects/{project}", params={"page": 1, "size": 10}, headers=alice).json()
    assert [f["name"] for f in paged["flows"]["items"]] == ["Hers"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_before_1_13_a_project_created_with_a_flows_list_takes_any_users_flows(make_client: Any,
                                                                              version: str) -> None:
    """0.8.4's and 0.7.1's create_project move the listed ids' flows by id alone; 1.13 moves the caller's only."""
    client = make_client(langflow_version=version)
    alice = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, alice)}
    his = create_flow(client, bob, {"name": "His", "data": {"nodes": [], "edges": []}})
    project = create_project(client, alice, {"name": "Alice's", "flows_list": [his["id"]]})
    moved = client.get(f"/api/v1/flows/{his['id']}", headers=bob).json()["folder_id"]
    assert (moved == project["id"]) is (version != "1.13.0")


def autoflushed_rename_clash(settings: str, new_name: str, project_id: str) -> str:
    """SQLAlchemy 2.0's text for a flush after the new name's autoflush failed on the (user_id, name) constraint."""
    return ("This Session's transaction has been rolled back due to a previous exception during flush. To begin a "
            "new transaction with this Session, first issue Session.rollback(). Original exception was: (raised as "
            "a result of Query-invoked autoflush; consider using a session.no_autoflush block if this flush is "
            "occurring prematurely)\n(sqlite3.IntegrityError) UNIQUE constraint failed: folder.user_id, folder.name\n"
            f"[SQL: UPDATE folder SET name=?{settings and ', auth_settings=?'} WHERE folder.id = ?]\n"
            f"[parameters: ({new_name!r}, {settings and repr(settings) + ', '}'{UUID(project_id).hex}')]\n"
            "(Background on this error at: https://sqlalche.me/e/20/gkpj) "
            "(Background on this error at: https://sqlalche.me/e/20/7s2a)")


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_rename_to_a_taken_name_is_a_500_that_changes_nothing(make_client: Any, version: str) -> None:
    """1.8.4's and 1.7.1's update_project check no name: the MCP server rename's first query flushes the new name
    into the folder table's (user_id, name) constraint, and the catch-all answers the update's flush as a 500 with
    SQLAlchemy's text. The session is rolled back: neither the name nor the description nor the MCP entry changes."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    create_project(client, headers, {"name": "First"})
    second = create_project(client, headers, {"name": "Second"})
    servers = client.get("/api/v2/mcp/servers", headers=headers).json()
    response = client.patch(f"/api/v1/projects/{second['id']}", json={"name": "First", "description": "new"},
                            headers=headers)
    assert (response.status_code, response.json()) == (500, {"detail": autoflushed_rename_clash("", "First",
                                                                                                second["id"])})
    with_settings = client.patch(f"/api/v1/projects/{second['id']}",
                                 json={"name": "First", "auth_settings": {"auth_type": "none"}}, headers=headers)
    assert with_settings.status_code == 500
    assert with_settings.json()["detail"] == autoflushed_rename_clash('{"auth_type": "none"}', "First", second["id"])
    assert client.get("/api/v1/projects/", headers=headers).json()[-1] == {**second, "description": None}
    assert client.get("/api/v2/mcp/servers", headers=headers).json() == servers
    assert client.patch(f"/api/v1/projects/{second['id']}", json={"name": "Second"}, headers=headers).status_code == 200


def test_1_8_without_mcp_servers_a_rename_to_a_taken_name_fails_the_updates_own_flush(make_client: Any) -> None:
    """With LANGFLOW_ADD_PROJECTS_TO_MCP_SERVERS off nothing flushes the name early: the update's flush fails
    with every column the body changed, in the table's order."""
    client = make_client(langflow_version="1.8.4", add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    first = create_project(client, headers, {"name": "First"})
    second = create_project(client, headers, {"name": "Second", "description": "same"})
    response = client.patch(f"/api/v1/projects/{second['id']}",
                            json={"name": "First", "description": "d" * 400, "parent_id": first["id"]},
                            headers=headers)
    assert response.status_code == 500
    cut = "d" * 149
    assert response.json() == {"detail": (
        "(sqlite3.IntegrityError) UNIQUE constraint failed: folder.user_id, folder.name\n"
        "[SQL: UPDATE folder SET name=?, description=?, parent_id=? WHERE folder.id = ?]\n"
        f"[parameters: ('First', '{cut} ... (102 characters truncated) ... {cut}', '{UUID(first['id']).hex}', "
        f"'{UUID(second['id']).hex}')]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)")}
    same = client.patch(f"/api/v1/projects/{second['id']}", json={"name": "First", "description": "same"},
                        headers=headers)
    assert "SET name=? WHERE" in same.json()["detail"]
    assert client.get("/api/v1/projects/", headers=headers).json()[-1] == second


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_an_uploaded_projects_flows_get_new_ids(make_client: Any, version: str) -> None:
    """1.8.4's and 1.7.1's FlowCreate has no id: an uploaded project's flows get new ids, whether the file's ids are
    in use or not, so a project's download goes back in beside its flows."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    kept = create_flow(client, headers, {"name": "Kept", "description": "mine"})
    free = "33333333-0000-4000-8000-000000000003"
    body = {"folder_name": "Again", "folder_description": "",
            "flows": [{"name": "Kept", "id": kept["id"]}, {"name": "Other", "id": free}]}
    response = upload_project(client, headers, json.dumps(body).encode())
    assert response.status_code == 201
    ids = [f["id"] for f in response.json()]
    assert [f["name"] for f in response.json()] == ["Kept (1)", "Other"]
    assert not {kept["id"], free} & set(ids) and len(set(ids)) == 2
    assert client.get(f"/api/v1/flows/{kept['id']}", headers=headers).json()["description"] == "mine"
    listed = [f["id"] for f in client.get("/api/v1/flows/", headers=headers).json()]
    assert set(ids) <= set(listed) and free not in listed


def test_1_13_stores_an_uploaded_projects_name_as_the_file_writes_it(client: TestClient,
                                                                    key_headers: dict[str, str]) -> None:
    """1.13's upload neither strips nor normalises folder_name: surrounding spaces stay, an NFD name is another name
    than its NFC form, and a name in use gets " (n)" after it as written."""
    nfd, nfc = "Cafe\u0301", "Caf\u00e9"
    for name in (" Proj ", " Proj ", "Proj", nfd, nfc, nfd):
        body = {"folder_name": name, "flows": []}
        assert upload_project(client, key_headers, json.dumps(body).encode()).status_code == 201
    names = [p["name"] for p in client.get("/api/v1/projects/", headers=key_headers).json()]
    assert names == ["Starter Project", " Proj ", " Proj  (1)", nfd, f"{nfd} (1)", nfc, "Proj"]  # (UTF-8 byte order)
