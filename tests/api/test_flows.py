"""/api/v1/flows as Langflow 1.13 answers it: create, list, read, update, delete, upload and download
(facts 31-36 of the recordings)."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import (
    KEY,
    as_an_older_mock_left_it,
    create_flow,
    new_api_key,
    other_user_key,
    start_server,
    stop_server,
)

# FlowRead, key for key, as flows_create_201 answers it.
FLOW_READ_KEYS = {
    "name", "description", "icon", "icon_bg_color", "gradient", "data", "is_component", "updated_at", "webhook",
    "endpoint_name", "tags", "locked", "mcp_enabled", "action_name", "action_description", "access_type",
    "flow_type", "a2a_enabled", "a2a_card_overrides", "id", "user_id", "folder_id", "workspace_id", "name_key",
    "version_token",
}
# The light listing of ?header_flows=true (flows_list_header_flows).
FLOW_HEADER_KEYS = {
    "id", "name", "folder_id", "is_component", "endpoint_name", "description", "data", "access_type", "tags",
    "mcp_enabled", "flow_type", "a2a_enabled", "a2a_card_overrides", "action_name", "action_description",
    "updated_at",
}
# One flow from POST /flows/download/ (flows_download_single).
FLOW_DOWNLOAD_KEYS = {
    "flow_type", "tags", "workspace_id", "last_modified_by", "action_name", "is_component", "action_description",
    "a2a_enabled", "a2a_card_overrides", "webhook", "id", "icon", "endpoint_name", "mcp_enabled", "name",
    "icon_bg_color", "data", "locked", "fs_path", "description", "version_token",
}
# The example flows the mock ships (fixtures/flows/), as every user's flow list shows them.
EXAMPLE_NAMES = sorted(json.loads(path.read_text(encoding="utf-8"))["name"]
                       for path in (Path(__file__).resolve().parents[2] / "fixtures" / "flows").glob("*.json"))
ENDPOINT_NAME_ERROR = {
    "type": "value_error", "loc": ["body", "endpoint_name"],
    "msg": "Value error, Endpoint name must contain only letters, numbers, hyphens, and underscores",
}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def own_flows(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get("/api/v1/flows/", params={"get_all": "false"}, headers=headers)
    assert response.status_code == 200
    page: dict[str, Any] = response.json()
    return page


def delete_many(client: TestClient, headers: dict[str, str], body: Any = None) -> Any:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    return client.request("DELETE", "/api/v1/flows/", headers=headers, **kwargs)


def second_user_headers(client: TestClient, key_headers: dict[str, str]) -> dict[str, str]:
    """A plain, active user "bob", signed in with a JWT."""
    user_id = client.post("/api/v1/users/", json={"username": "bob", "password": "pw-bob"},
                          headers=key_headers).json()["id"]
    assert client.patch(f"/api/v1/users/{user_id}", json={"is_active": True}, headers=key_headers).status_code == 200
    token = client.post("/api/v1/login", data={"username": "bob", "password": "pw-bob"}).json()["access_token"]
    client.cookies.clear()  # login's cookie would otherwise authenticate every later request as bob
    return {"Authorization": f"Bearer {token}"}


# --- create -------------------------------------------------------------------------------------------


def test_create_answers_201_with_every_flow_read_field_and_the_data_unchanged(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    response = client.post("/api/v1/flows/", json=chat_flow, headers=key_headers)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == FLOW_READ_KEYS
    assert body["data"] == chat_flow["data"]
    assert {k: body[k] for k in ("name", "description", "endpoint_name", "access_type", "flow_type", "is_component",
                                 "webhook", "locked", "mcp_enabled", "name_key", "workspace_id")} == {
        "name": "Contract Chat IO", "description": "Chat Input -> Chat Output, no LLM",
        "endpoint_name": "contract-chat-io", "access_type": "PRIVATE", "flow_type": "workflow", "is_component": False,
        "webhook": False, "locked": False, "mcp_enabled": False, "name_key": None, "workspace_id": None,
    }
    assert str(UUID(body["id"])) == body["id"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", body["updated_at"])
    whoami = client.get("/api/v1/users/whoami", headers=key_headers).json()
    assert body["user_id"] == whoami["id"]
    default_project = client.get("/api/v1/projects/", headers=key_headers).json()[0]
    assert body["folder_id"] == default_project["id"]


def test_create_minimal_flow_fills_the_defaults(client: TestClient, key_headers: dict[str, str]) -> None:
    body = create_flow(client, key_headers, {"name": "Minimal Flow"})
    assert {k: v for k, v in body.items() if k not in ("id", "user_id", "folder_id", "updated_at",
                                                       "version_token")} == {
        "name": "Minimal Flow", "description": None, "icon": None, "icon_bg_color": None, "gradient": None,
        "data": None, "is_component": False, "webhook": False, "endpoint_name": None, "tags": None, "locked": False,
        "mcp_enabled": False, "action_name": None, "action_description": None, "access_type": "PRIVATE",
        "flow_type": "workflow", "a2a_enabled": False, "a2a_card_overrides": None, "workspace_id": None,
        "name_key": None,
    }


def test_duplicate_names_are_numbered(client: TestClient, key_headers: dict[str, str]) -> None:
    names = [create_flow(client, key_headers, {"name": "Minimal Flow"})["name"] for _ in range(3)]
    assert names == ["Minimal Flow", "Minimal Flow (1)", "Minimal Flow (2)"]


def test_duplicate_endpoint_name_gets_a_numeric_suffix(client: TestClient, key_headers: dict[str, str],
                                                       chat_flow: dict[str, Any]) -> None:
    create_flow(client, key_headers, chat_flow)
    another = create_flow(client, key_headers, {"name": "Another", "endpoint_name": "contract-chat-io"})
    assert another["endpoint_name"] == "contract-chat-io-1"
    assert another["name"] == "Another"


def test_an_endpoint_name_in_use_is_numbered_after_any_number_ending_a_like_name(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow takes the number after the last "-" of every endpoint name of the owner's LIKE "<name>-%" (so
    "chat-bot-2" counts, and "CHAT-7" too: SQLite's LIKE ignores ASCII case), and goes one higher."""
    for name, endpoint in (("A", "chat"), ("B", "chat-bot-2"), ("C", "chat-x")):
        assert create_flow(client, key_headers, {"name": name, "endpoint_name": endpoint})["endpoint_name"] == endpoint
    assert create_flow(client, key_headers, {"name": "D", "endpoint_name": "chat"})["endpoint_name"] == "chat-3"
    create_flow(client, key_headers, {"name": "E", "endpoint_name": "CHAT-7"})
    assert create_flow(client, key_headers, {"name": "F", "endpoint_name": "chat"})["endpoint_name"] == "chat-8"


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_a_like_endpoint_name_without_a_number_fails_numbering_with_a_500(
        make_client: Any, version: str) -> None:
    """1.8.4's and 1.7.1's _new_flow call int() on the part after the last "-" of each such name, unguarded."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    for name, endpoint in (("A", "chat"), ("B", "chat-bot")):
        create_flow(client, headers, {"name": name, "endpoint_name": endpoint})
    response = client.post("/api/v1/flows/", json={"name": "C", "endpoint_name": "chat"}, headers=headers)
    assert (response.status_code, response.json()) == (500, {"detail": "invalid literal for int() with base 10: 'bot'"})
    upload = client.post("/api/v1/flows/upload/", headers=headers,
                         files={"file": ("f.json", json.dumps({"name": "C", "endpoint_name": "chat"}))})
    assert upload.status_code == 500
    assert [f["name"] for f in client.get("/api/v1/flows/", headers=headers).json() if f["user_id"]] == ["A", "B"]


def test_invalid_endpoint_name_is_422_listed_twice(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/flows/", json={"name": "Bad EP", "endpoint_name": "has spaces/slash"},
                           headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [ENDPOINT_NAME_ERROR, ENDPOINT_NAME_ERROR]}
    assert own_flows(client, key_headers)["total"] == 0


def test_missing_name_is_422_listed_twice(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/flows/", json={"description": "no name"}, headers=key_headers)
    assert response.status_code == 422
    missing = {"type": "missing", "loc": ["body", "name"], "msg": "Field required"}
    assert response.json() == {"detail": [missing, missing]}


def test_malformed_json_is_422_json_invalid_at_the_byte_offset(client: TestClient,
                                                               key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/flows/", content=b'{"name": "x",',
                           headers={**key_headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "json_invalid", "loc": ["body", 13], "msg": "JSON decode error"}]}


def test_create_without_credentials_is_403(client: TestClient) -> None:
    response = client.post("/api/v1/flows/", json={"name": "x"})
    assert response.status_code == 403
    assert response.json() == {"detail": errors.NO_CREDENTIALS}


# --- list ---------------------------------------------------------------------------------------------


def test_default_list_is_a_plain_list_with_the_examples_and_own_flows(
        client: TestClient, key_headers: dict[str, str]) -> None:
    own = create_flow(client, key_headers, {"name": "Mine"})
    response = client.get("/api/v1/flows/", headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert all(set(flow) == FLOW_READ_KEYS for flow in body)
    examples = [flow for flow in body if flow["user_id"] is None]
    assert sorted(flow["name"] for flow in examples) == EXAMPLE_NAMES
    assert all(flow["folder_id"] != own["folder_id"] for flow in examples)  # the examples live in their own folder
    assert [flow for flow in body if flow["user_id"] is not None] == [own]
    assert client.get("/api/v1/flows/", params={"get_all": "true"}, headers=key_headers).json() == body


def test_get_all_false_is_a_page_of_own_flows_only(client: TestClient, key_headers: dict[str, str]) -> None:
    first = create_flow(client, key_headers, {"name": "One"})
    second = create_flow(client, key_headers, {"name": "Two"})
    assert own_flows(client, key_headers) == {"items": [first, second], "total": 2, "page": 1, "size": 50,
                                              "pages": 1}


def test_pages_split_own_flows_by_size(client: TestClient, key_headers: dict[str, str]) -> None:
    flows = [create_flow(client, key_headers, {"name": f"Flow {i}"}) for i in range(3)]
    pages = [client.get("/api/v1/flows/", params={"get_all": "false", "page": page, "size": 2},
                        headers=key_headers) for page in (1, 2)]
    assert [p.status_code for p in pages] == [200, 200]
    assert pages[0].json() == {"items": flows[:2], "total": 3, "page": 1, "size": 2, "pages": 2}
    assert pages[1].json() == {"items": flows[2:], "total": 3, "page": 2, "size": 2, "pages": 2}


def test_a_page_holds_the_default_project_and_the_whole_list_ignores_folder_id(
        client: TestClient, key_headers: dict[str, str]) -> None:
    # As Langflow's read_flows: a page without folder_id is the "Starter Project"; get_all ignores folder_id.
    home = create_flow(client, key_headers, {"name": "At home"})
    project = client.post("/api/v1/projects/", json={"name": "Elsewhere"}, headers=key_headers).json()
    away = create_flow(client, key_headers, {"name": "Away", "folder_id": project["id"]})
    assert away["folder_id"] == project["id"] != home["folder_id"]
    assert own_flows(client, key_headers) == {"items": [home], "total": 1, "page": 1, "size": 50, "pages": 1}
    there = client.get("/api/v1/flows/", params={"get_all": "false", "folder_id": project["id"]}, headers=key_headers)
    assert there.json() == {"items": [away], "total": 1, "page": 1, "size": 50, "pages": 1}
    whole = client.get("/api/v1/flows/", params={"get_all": "true", "folder_id": project["id"],
                                                 "remove_example_flows": "true"}, headers=key_headers)
    assert whole.json() == [home, away]


def test_a_page_of_the_examples_folder_lists_the_examples(client: TestClient, key_headers: dict[str, str]) -> None:
    examples = [f for f in client.get("/api/v1/flows/", headers=key_headers).json() if f["user_id"] is None]
    folder = examples[0]["folder_id"]
    page = client.get("/api/v1/flows/", params={"get_all": "false", "folder_id": folder}, headers=key_headers).json()
    assert sorted(f["name"] for f in page["items"]) == EXAMPLE_NAMES
    assert page["total"] == len(EXAMPLE_NAMES)
    without = client.get("/api/v1/flows/", params={"get_all": "false", "folder_id": folder,
                                                   "remove_example_flows": "true"}, headers=key_headers).json()
    assert (without["items"], without["total"]) == ([], 0)


def test_a_second_users_page_defaults_to_the_first_starter_project_as_langflows_does(
        client: TestClient, key_headers: dict[str, str]) -> None:
    # Langflow finds the page's default project by name alone, without an owner: the first "Starter Project"
    # is the superuser's, so another user's page without folder_id holds none of their flows.
    bob = second_user_headers(client, key_headers)
    bobs = create_flow(client, bob, {"name": "Bob's"})
    assert own_flows(client, bob) == {"items": [], "total": 0, "page": 1, "size": 50, "pages": 0}
    mine = client.get("/api/v1/flows/", params={"get_all": "false", "folder_id": bobs["folder_id"]}, headers=bob)
    assert mine.json()["items"] == [bobs]


ODD_GRAPH = {"nodes": [{"id": "n1", "data": {"big": 2**70, "negative": -(2**64), "tenth": 0.1, "tiny": 1e-300,
                                            "text": "é ☃ \\ \" / \u0000", "nested": [[], {}, [None, True]]}}],
             "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}}


def test_listings_give_each_graph_back_exactly_as_stored(client: TestClient, key_headers: dict[str, str]) -> None:
    """Listings pass stored graphs through without parsing them: big integers, floats, escapes and unicode
    must come back exactly as a single read gives them."""
    created = create_flow(client, key_headers, {"name": "Odd", "data": ODD_GRAPH})
    one = client.get(f"/api/v1/flows/{created['id']}", headers=key_headers).json()
    assert one["data"] == ODD_GRAPH == created["data"]
    page = own_flows(client, key_headers)
    everything = client.get("/api/v1/flows/", headers=key_headers).json()
    assert page["items"] == [one]
    assert [f for f in everything if f["id"] == one["id"]] == [one]


FULL_FLOW = {"name": "Every field", "description": "all set", "icon": "Bot", "icon_bg_color": "#FF0000",
             "gradient": "2", "data": {"nodes": [], "edges": []}, "webhook": True, "endpoint_name": "every-field",
             "tags": ["a", "b"], "locked": True, "mcp_enabled": True, "action_name": "act",
             "action_description": "acts", "access_type": "PUBLIC", "flow_type": "agent", "a2a_enabled": True,
             "a2a_card_overrides": {"skills": [{"id": "s", "big": 2**40}]}}


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_every_listing_writes_a_flow_exactly_as_a_single_read_does(tmp_path: Path, version: str) -> None:
    """Listings build their items from rows without the ORM: each field must still come out as a read writes
    it, in the same order, with the release's own fields."""
    from mock_langflow.app import create_app
    from mock_langflow.settings import Settings

    with TestClient(create_app(Settings(data_dir=tmp_path / "data", api_key=KEY, langflow_version=version))) as client:
        headers = {"x-api-key": KEY}
        made = client.post("/api/v1/flows/", json=FULL_FLOW, headers=headers)
        assert made.status_code == 201, made.text
        one = client.get(f"/api/v1/flows/{made.json()['id']}", headers=headers)
        page = client.get("/api/v1/flows/", params={"get_all": "false"}, headers=headers).json()["items"]
        whole = client.get("/api/v1/flows/", params={"remove_example_flows": "true"}, headers=headers).json()
        for listed in (page, whole):
            assert listed == [one.json()]
            assert list(listed[0]) == list(one.json())  # the same keys, in the same order


def test_1_13_lists_a_bad_flow_id_twice_on_patch_delete_and_note_translations(make_client: Any) -> None:
    """A dependency of these 1.13 routes reads the flow id from the path too: its error comes first, then the
    route's own, then the body's (once). 1.8 lists it once."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    bad = {"type": "uuid_parsing", "loc": ["path", "flow_id"],
           "msg": "Input should be a valid UUID, invalid character: found `n` at 1"}
    patched = client.patch("/api/v1/flows/not-a-uuid", json={"name": 5}, headers=headers)
    assert patched.json()["detail"] == [bad, bad, {"type": "string_type", "loc": ["body", "name"],
                                                   "msg": "Input should be a valid string"}]
    assert client.delete("/api/v1/flows/not-a-uuid", headers=headers).json()["detail"] == [bad, bad]
    notes = client.get("/api/v1/flows/not-a-uuid/note_translations", headers=headers)
    assert notes.json()["detail"] == [bad, bad]
    older = make_client(langflow_version="1.8.4")
    assert len(older.delete("/api/v1/flows/not-a-uuid", headers={"x-api-key": new_api_key(older)}).json()[
        "detail"]) == 1


@pytest.mark.parametrize(("nodes", "kind"), [(True, "bool"), (7, "int"), (1.5, "float")])
def test_1_13_refuses_a_graph_whose_nodes_are_a_number_or_true(make_client: Any, nodes: Any, kind: str) -> None:
    """1.13 walks every written graph's nodes for MCP credentials: a truthy number fails there (a 500 of the
    write in Langflow), so no such flow is ever stored; the mock refuses it up front in that TypeError's words.
    0, false and a string walk as nothing; 1.8 stores any of them."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    graph = {"nodes": nodes, "edges": []}
    text = f"Value error, '{kind}' object is not iterable"
    created = client.post("/api/v1/flows/", json={"name": "n", "data": graph}, headers=headers)
    assert created.status_code == 422 and {e["msg"] for e in created.json()["detail"]} == {text}
    flow = client.post("/api/v1/flows/", json={"name": "kept", "data": {"nodes": [], "edges": []}},
                       headers=headers).json()
    patched = client.patch(f"/api/v1/flows/{flow['id']}", json={"data": graph}, headers=headers)
    assert patched.status_code == 422 and patched.json()["detail"][0]["msg"] == text
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "b", "data": graph}]}, headers=headers)
    assert batch.status_code == 422 and batch.json()["detail"][0]["loc"] == ["body", "flows", 0, "data"]
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=headers).json()["data"] == {"nodes": [], "edges": []}
    for harmless in (0, False, "abc"):
        assert client.post("/api/v1/flows/", json={"name": "h", "data": {"nodes": harmless, "edges": []}},
                           headers=headers).status_code == 201
    older = make_client(langflow_version="1.8.4")
    assert older.post("/api/v1/flows/", json={"name": "n", "data": graph},
                      headers={"x-api-key": new_api_key(older)}).status_code == 201


def test_a_big_integer_outside_the_graph_still_lists_with_the_graph(client: TestClient,
                                                                   key_headers: dict[str, str]) -> None:
    """orjson cannot write an integer past 64 bits: such an item takes the slower writer, graph included."""
    created = create_flow(client, key_headers, {"name": "Big card", "data": ODD_GRAPH,
                                                "a2a_card_overrides": {"n": 2**70}})
    one = client.get(f"/api/v1/flows/{created['id']}", headers=key_headers).json()
    assert one["a2a_card_overrides"] == {"n": 2**70} and one["data"] == ODD_GRAPH
    assert own_flows(client, key_headers)["items"] == [one]


def test_a_graph_with_nan_lists_it_as_null_as_a_single_read_does(client: TestClient,
                                                                 key_headers: dict[str, str]) -> None:
    body = b'{"name": "Odd numbers", "data": {"nodes": [], "edges": [], "score": NaN, "top": Infinity}}'
    created = client.post("/api/v1/flows/", content=body, headers={**key_headers, "Content-Type": "application/json"})
    assert created.status_code == 201, created.text
    one = client.get(f"/api/v1/flows/{created.json()['id']}", headers=key_headers)
    page = client.get("/api/v1/flows/", params={"get_all": "false"}, headers=key_headers)
    assert b"NaN" not in page.content and b"Infinity" not in page.content
    assert one.json()["data"] == {"nodes": [], "edges": [], "score": None, "top": None}
    assert page.json()["items"] == [one.json()]


def test_graphs_stored_by_an_older_mock_list_the_same(tmp_path: Path) -> None:
    """A data dir from an earlier version holds graphs as Python's json module wrote them (spaces, ASCII
    escapes, NaN as a bare word): they list as the same JSON."""
    from sqlalchemy import text

    from mock_langflow.app import create_app
    from mock_langflow.settings import Settings

    app = create_app(Settings(data_dir=tmp_path / "data", api_key=KEY))
    with TestClient(app) as client:
        headers = {"x-api-key": KEY}
        flows = [create_flow(client, headers, {"name": n, "data": {"nodes": [], "edges": []}}) for n in "ab"]
        old = [{"nodes": [], "edges": [], "note": "caf\u00e9", "big": 2**70},
               {"nodes": [], "edges": [], "x": float("nan")}]
        with app.state.mock.store.db.engine.begin() as conn:
            for flow, graph in zip(flows, old, strict=True):
                conn.execute(text("UPDATE flow SET data = :d WHERE id = :i"),
                             {"d": json.dumps(graph), "i": UUID(flow["id"]).hex})
        page = client.get("/api/v1/flows/", params={"get_all": "false"}, headers=headers)
        assert page.status_code == 200 and b"NaN" not in page.content
        assert [item["data"] for item in page.json()["items"]] == [
            {"nodes": [], "edges": [], "note": "caf\u00e9", "big": 2**70}, {"nodes": [], "edges": [], "x": None}]


def test_a_data_dir_from_before_the_page_index_keeps_its_flows_and_gets_the_index(tmp_path: Path) -> None:
    """A page reads one owner's flows in one project through ix_flow_owner_folder; a data dir an older mock made
    has no such index: the next start adds it, and the flows are all still there."""
    import sqlite3
    from contextlib import closing

    from mock_langflow.app import create_app
    from mock_langflow.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", api_key=KEY)
    app = create_app(settings)
    with TestClient(app) as client:
        made = [create_flow(client, {"x-api-key": KEY}, {"name": n}) for n in "ab"]
    app.state.mock.store.db.dispose()
    as_an_older_mock_left_it(settings.resolved().database_path, "DROP INDEX ix_flow_owner_folder")
    with TestClient(create_app(settings)) as client:
        page = client.get("/api/v1/flows/", params={"get_all": "false"}, headers={"x-api-key": KEY}).json()
        assert page["items"] == made
    with closing(sqlite3.connect(settings.resolved().database_path)) as conn:
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM flow WHERE user_id = ? AND folder_id = ?",
                            ("a", "b")).fetchall()
    assert "ix_flow_owner_folder" in str(plan)


def test_flow_type_keeps_only_that_kind_in_every_listing(client: TestClient, key_headers: dict[str, str]) -> None:
    """The filter is part of the query: a page holds `size` flows of that kind and counts only them."""
    agents = []
    for n in range(3):
        create_flow(client, key_headers, {"name": f"Plain {n}"})
        agents.append(create_flow(client, key_headers, {"name": f"Helper {n}", "flow_type": "agent"}))
    listed = [client.get("/api/v1/flows/", params={"flow_type": "agent", **extra}, headers=key_headers).json()
              for extra in ({}, {"get_all": "false", "size": 2}, {"get_all": "false", "header_flows": "true"})]
    assert [f["id"] for f in listed[0]] == [a["id"] for a in agents]  # the examples are workflows
    assert listed[1] == {"items": agents[:2], "total": 3, "page": 1, "size": 2, "pages": 2}
    assert [(f["id"], f["flow_type"]) for f in listed[2]["items"]] == [(a["id"], "agent") for a in agents]


def test_header_flows_leave_out_the_data(client: TestClient, key_headers: dict[str, str],
                                         chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = client.get("/api/v1/flows/", params={"header_flows": "true", "get_all": "false", "page": 1,
                                                    "size": 2}, headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["page"], body["size"], body["pages"]) == (1, 1, 2, 1)
    assert body["items"] == [{
        "id": flow["id"], "name": "Contract Chat IO", "folder_id": flow["folder_id"], "is_component": False,
        "endpoint_name": "contract-chat-io", "description": "Chat Input -> Chat Output, no LLM", "data": None,
        "access_type": "PRIVATE", "tags": None, "mcp_enabled": False, "flow_type": "workflow", "a2a_enabled": False,
        "a2a_card_overrides": None, "action_name": None, "action_description": None,
        "updated_at": flow["updated_at"],
    }]
    everything = client.get("/api/v1/flows/", params={"header_flows": "true"}, headers=key_headers).json()
    assert all(set(h) == FLOW_HEADER_KEYS and h["data"] is None for h in everything)
    assert len(everything) == len(EXAMPLE_NAMES) + 1


def test_remove_example_flows_drops_the_examples(client: TestClient, key_headers: dict[str, str]) -> None:
    own = create_flow(client, key_headers, {"name": "Mine"})
    response = client.get("/api/v1/flows/", params={"remove_example_flows": "true"}, headers=key_headers)
    assert response.status_code == 200
    assert response.json() == [own]


def test_1_7_1_lists_a_flow_in_no_project_but_not_without_the_examples_and_pages_it_without_a_default(
        make_client: Any) -> None:
    # Langflow's remove_example_flows is SQL `folder_id != <examples' folder>`, which a null folder fails; a page
    # asked without folder_id when no project is named "Starter Project" is `folder_id IS NULL`.
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    default = next(p for p in client.get("/api/v1/projects/", headers=headers).json()
                   if p["name"] == "Starter Project")
    assert client.patch(f"/api/v1/projects/{default['id']}", json={"name": "Mine"}, headers=headers).status_code == 200
    loose = create_flow(client, headers, {"name": "Loose"})
    assert loose["folder_id"] is None  # 1.7.1 puts it in no project when the caller has no "Starter Project"

    def own(params: dict[str, str]) -> list[str]:
        body = client.get("/api/v1/flows/", params=params, headers=headers).json()
        return [f["name"] for f in (body["items"] if isinstance(body, dict) else body) if f["user_id"]]

    assert own({}) == ["Loose"]
    assert own({"remove_example_flows": "true"}) == []
    assert own({"get_all": "false"}) == ["Loose"]
    assert own({"get_all": "false", "remove_example_flows": "true"}) == []


def test_components_only_lists_only_components(client: TestClient, key_headers: dict[str, str]) -> None:
    create_flow(client, key_headers, {"name": "A flow"})
    assert client.get("/api/v1/flows/", params={"components_only": "true"}, headers=key_headers).json() == []
    component = create_flow(client, key_headers, {"name": "A component", "is_component": True,
                                                  "data": {"nodes": [], "edges": []}})
    response = client.get("/api/v1/flows/", params={"components_only": "true"}, headers=key_headers)
    assert response.status_code == 200
    assert response.json() == [component]


def test_page_zero_is_422_greater_than_equal(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/flows/", params={"get_all": "false", "page": 0, "size": 2}, headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "greater_than_equal", "loc": ["query", "page"],
                                           "msg": "Input should be greater than or equal to 1", "ctx": {"ge": 1}}]}


def test_a_bool_parameter_that_is_no_bool_is_422_bool_parsing(client: TestClient,
                                                                key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/flows/", params={"get_all": "maybe"}, headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "bool_parsing", "loc": ["query", "get_all"],
                                           "msg": "Input should be a valid boolean, unable to interpret input"}]}


# --- read ---------------------------------------------------------------------------------------------


def test_read_by_id_returns_the_flow_as_created(client: TestClient, key_headers: dict[str, str],
                                                chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == flow


def test_read_by_endpoint_name_is_422_uuid_parsing_listed_twice(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    create_flow(client, key_headers, chat_flow)
    response = client.get("/api/v1/flows/contract-chat-io", headers=key_headers)
    assert response.status_code == 422
    error = {"type": "uuid_parsing", "loc": ["path", "flow_id"],
             "msg": "Input should be a valid UUID, invalid character: found `o` at 2"}
    assert response.json() == {"detail": [error, error]}


def test_read_unknown_id_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get(f"/api/v1/flows/{UNKNOWN_ID}", headers=key_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": errors.FLOW_NOT_FOUND}


# --- update -------------------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(client: TestClient, key_headers: dict[str, str],
                                            chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = client.patch(f"/api/v1/flows/{flow['id']}",
                            json={"name": "Renamed", "description": "patched"}, headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "updated_at"} == {
        **{k: v for k, v in flow.items() if k != "updated_at"}, "name": "Renamed", "description": "patched",
    }
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == body


def test_patch_to_a_taken_endpoint_name_is_400(client: TestClient, key_headers: dict[str, str],
                                               chat_flow: dict[str, Any]) -> None:
    create_flow(client, key_headers, chat_flow)
    other = create_flow(client, key_headers, {"name": "Minimal Flow"})
    response = client.patch(f"/api/v1/flows/{other['id']}", json={"endpoint_name": "contract-chat-io"},
                            headers=key_headers)
    assert response.status_code == 400
    assert response.json() == {"detail": errors.ENDPOINT_NAME_TAKEN}
    assert client.get(f"/api/v1/flows/{other['id']}", headers=key_headers).json()["endpoint_name"] is None


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_patch_into_a_project_not_the_callers_moves_the_flow_to_the_default_project(
        make_client: Any, version: str) -> None:
    """Langflow's PATCH does not refuse a folder_id it cannot use (unknown, or another user's project): the flow
    goes to the caller's default project, wherever it was."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    default = create_flow(client, headers, {"name": "In the default project"})["folder_id"]
    elsewhere = client.post("/api/v1/projects/", json={"name": "Elsewhere"}, headers=headers).json()["id"]
    bob = second_user_headers(client, headers)
    bobs_project = client.post("/api/v1/projects/", json={"name": "Bob's"}, headers=bob).json()["id"]
    # (with a graph: before 1.13 a PATCH of a flow without one fails)
    flow = create_flow(client, headers, {"name": "Moved", "folder_id": elsewhere, "data": {"nodes": [], "edges": []}})
    assert flow["folder_id"] == elsewhere
    url = f"/api/v1/flows/{flow['id']}"
    for folder in (UNKNOWN_ID, bobs_project):
        assert client.patch(url, json={"folder_id": elsewhere}, headers=headers).json()["folder_id"] == elsewhere
        response = client.patch(url, json={"folder_id": folder, "description": "moved"}, headers=headers)
        assert response.status_code == 200, folder
        assert (response.json()["folder_id"], response.json()["description"]) == (default, "moved")
        assert client.get(url, headers=headers).json()["folder_id"] == default
    # A folder_id sent as null changes nothing.
    assert client.patch(url, json={"folder_id": elsewhere}, headers=headers).json()["folder_id"] == elsewhere
    assert client.patch(url, json={"folder_id": None}, headers=headers).json()["folder_id"] == elsewhere


def test_an_upload_into_a_project_not_the_callers_lands_in_the_default_project(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's upload sends each flow, a new one or one the caller owns, to its default project when the folder
    it names (the query's `folder_id` first, else the flow's own) is not the caller's: never a 400."""
    default = create_flow(client, key_headers, {"name": "In the default project"})["folder_id"]
    elsewhere = client.post("/api/v1/projects/", json={"name": "Elsewhere"}, headers=key_headers).json()["id"]
    mine = create_flow(client, key_headers, {"name": "Mine", "folder_id": elsewhere})
    body = {"flows": [{"id": mine["id"], "name": "Mine", "folder_id": UNKNOWN_ID},
                      {"name": "New", "folder_id": UNKNOWN_ID}]}
    response = upload(client, key_headers, json.dumps(body).encode())
    assert response.status_code == 201, response.text
    assert [(f["id"] == mine["id"], f["folder_id"]) for f in response.json()] == [(True, default), (False, default)]
    assert client.patch(f"/api/v1/flows/{mine['id']}", json={"folder_id": elsewhere},
                        headers=key_headers).status_code == 200
    file = ("flow.json", json.dumps({"id": mine["id"], "name": "Mine"}), "application/json")
    queried = client.post("/api/v1/flows/upload/", params={"folder_id": UNKNOWN_ID}, headers=key_headers,
                          files={"file": file})
    assert (queried.status_code, queried.json()[0]["folder_id"]) == (201, default)
    # Without a folder anywhere, a flow the caller owns stays where it is.
    assert client.patch(f"/api/v1/flows/{mine['id']}", json={"folder_id": elsewhere},
                        headers=key_headers).status_code == 200
    kept = upload(client, key_headers, json.dumps({"id": mine["id"], "name": "Mine"}).encode())
    assert (kept.status_code, kept.json()[0]["folder_id"]) == (201, elsewhere)


def test_patch_with_an_empty_body_changes_nothing(client: TestClient, key_headers: dict[str, str],
                                                  chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = client.patch(f"/api/v1/flows/{flow['id']}", json={}, headers=key_headers)
    assert response.status_code == 200
    assert {k: v for k, v in response.json().items() if k != "updated_at"} == {
        k: v for k, v in flow.items() if k != "updated_at"}


def test_patch_with_wrong_types_is_422_for_each_field(client: TestClient, key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "Minimal Flow"})
    response = client.patch(f"/api/v1/flows/{flow['id']}", json={"name": 123, "locked": "notabool"},
                            headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string"},
        {"type": "bool_parsing", "loc": ["body", "locked"],
         "msg": "Input should be a valid boolean, unable to interpret input"},
    ]}


def test_patch_unknown_id_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.patch(f"/api/v1/flows/{UNKNOWN_ID}", json={"name": "x"}, headers=key_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": errors.FLOW_NOT_FOUND}


@pytest.mark.parametrize(("version", "omitted_keeps"), [("1.13", True), ("1.8", False), ("1.7.1", False)])
def test_patch_clears_an_endpoint_name_sent_as_null_and_before_1_13_one_left_out(
        make_client: Any, version: str, omitted_keeps: bool) -> None:
    # 1.13's _patch_flow clears a name sent as null; 1.8.4 and 1.7.1 clear it whenever the body's is None, so a
    # body without one clears it too (real-1.8 flows_patch_clears_endpoint_name).
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, {"name": "EP", "endpoint_name": "ep", "data": {"nodes": [], "edges": []}})
    url = f"/api/v1/flows/{flow['id']}"
    left_out = client.patch(url, json={"description": "only description"}, headers=headers)
    assert (left_out.status_code, left_out.json()["endpoint_name"]) == (200, "ep" if omitted_keeps else None)
    client.patch(url, json={"endpoint_name": "ep"}, headers=headers)
    nulled = client.patch(url, json={"endpoint_name": None}, headers=headers)
    assert (nulled.status_code, nulled.json()["endpoint_name"]) == (200, None)
    assert client.get(url, headers=headers).json()["endpoint_name"] is None


def test_every_patch_sets_webhook_from_the_graph_it_leaves(client: TestClient, key_headers: dict[str, str]) -> None:
    # _patch_flow sets webhook from the flow's graph after the update, whether the body sent one or not; a node
    # counts when its id holds "Webhook" anywhere.
    hook = {"nodes": [{"id": "MyWebhook-1", "data": {}}], "edges": []}
    flow = create_flow(client, key_headers, {"name": "Hooked", "webhook": True, "data": {"nodes": [], "edges": []}})
    assert flow["webhook"] is True  # a create stores it as sent
    url = f"/api/v1/flows/{flow['id']}"
    assert client.patch(url, json={"description": "d"}, headers=key_headers).json()["webhook"] is False
    assert client.patch(url, json={"data": hook}, headers=key_headers).json()["webhook"] is True
    assert client.patch(url, json={"data": {"nodes": [], "edges": []}}, headers=key_headers).json()["webhook"] is False


def test_1_13_stores_no_workspace_id_a_body_sends(client: TestClient, key_headers: dict[str, str]) -> None:
    # Every 1.13 write sets a flow's workspace_id to its project's, which no route here gives a project.
    workspace = str(uuid4())
    flow = create_flow(client, key_headers, {"name": "W", "workspace_id": workspace})
    patched = client.patch(f"/api/v1/flows/{flow['id']}", json={"workspace_id": workspace}, headers=key_headers)
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "WB", "workspace_id": workspace}]},
                        headers=key_headers)
    upload = client.post("/api/v1/flows/upload/", headers=key_headers,
                         files={"file": ("f.json", json.dumps({"name": "WU", "workspace_id": workspace}))})
    put = client.put(f"/api/v1/flows/{uuid4()}", json={"name": "WP", "workspace_id": workspace}, headers=key_headers)
    assert [flow["workspace_id"], patched.json()["workspace_id"], batch.json()[0]["workspace_id"],
            upload.json()[0]["workspace_id"], put.json()["workspace_id"]] == [None] * 5


def test_1_13_refuses_changing_a_locked_flow_with_a_423_but_lets_it_be_unlocked(
        client: TestClient, key_headers: dict[str, str]) -> None:
    # flow/guards.py ensure_flow_update_allowed, through PATCH, PUT and an upload of an own flow.
    graph = {"nodes": [], "edges": []}
    flow = create_flow(client, key_headers, {"name": "Locked", "locked": True, "data": graph})
    url = f"/api/v1/flows/{flow['id']}"
    locked = {"detail": errors.FLOW_LOCKED}
    for response in (
            client.patch(url, json={"name": "Renamed"}, headers=key_headers),
            client.patch(url, json={"locked": False, "description": "and more"}, headers=key_headers),
            client.put(url, json={"name": "Locked", "description": "d"}, headers=key_headers),
            client.put(url, json={"name": "Locked", "updated_at": flow["updated_at"]}, headers=key_headers),
            client.post("/api/v1/flows/upload/", headers=key_headers, files={"file": ("f.json", json.dumps(
                {"id": flow["id"], "name": "Locked", "description": "d"}))}),
            # _patch_flow checks the lock before it verifies an fs_path
            client.patch(url, json={"fs_path": ""}, headers=key_headers)):
        assert (response.status_code, response.json()) == (423, locked)
    assert client.get(url, headers=key_headers).json() == flow
    # re-sending what the flow holds changes nothing and passes
    same = client.patch(url, json={"name": "Locked", "locked": True, "data": graph}, headers=key_headers)
    assert (same.status_code, same.json()["locked"]) == (200, True)
    same = client.put(url, json={"name": "Locked", "locked": True}, headers=key_headers)
    assert same.status_code == 200
    unlocked = client.patch(url, json={"name": "Locked", "locked": False}, headers=key_headers)
    assert (unlocked.status_code, unlocked.json()["locked"]) == (200, False)
    assert client.patch(url, json={"name": "Renamed"}, headers=key_headers).json()["name"] == "Renamed"


@pytest.mark.parametrize(("version", "unknown"),
                         [("1.13", errors.FLOW_NOT_FOUND), ("1.8", errors.FLOW_NOT_FOUND_WRAPPED)])
def test_a_patch_finds_the_flow_before_it_checks_an_fs_path(make_client: Any, version: str, unknown: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    response = client.patch(f"/api/v1/flows/{UNKNOWN_ID}", json={"fs_path": ""}, headers=headers)
    assert (response.status_code, response.json()) == (404, {"detail": unknown})
    # before 1.13 the fs_path is checked before the graph is read: a flow without one is a 400, not the 500, its
    # text wrapped as update_flow's handler wraps every HTTPException ("400: ...")
    flow = create_flow(client, headers, {"name": "No graph"})
    response = client.patch(f"/api/v1/flows/{flow['id']}", json={"fs_path": ""}, headers=headers)
    wrapped = "400: " if version == "1.8" else ""
    assert (response.status_code, response.json()) == (400, {"detail": wrapped + errors.FS_PATH_EMPTY})


def test_1_8_lets_a_locked_flow_be_changed(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, {"name": "Locked", "locked": True, "data": {"nodes": [], "edges": []}})
    response = client.patch(f"/api/v1/flows/{flow['id']}", json={"name": "Renamed"}, headers=headers)
    assert (response.status_code, response.json()["name"], response.json()["locked"]) == (200, "Renamed", True)


def test_put_to_a_new_id_creates_the_flow_under_that_id(client: TestClient, key_headers: dict[str, str]) -> None:
    flow_id = "11111111-1111-4111-8111-111111111111"
    response = client.put(f"/api/v1/flows/{flow_id}",
                          json={"name": "Upserted Flow", "data": {"nodes": [], "edges": []}}, headers=key_headers)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == FLOW_READ_KEYS
    assert (body["id"], body["name"], body["data"]) == (flow_id, "Upserted Flow", {"nodes": [], "edges": []})
    assert client.get(f"/api/v1/flows/{flow_id}", headers=key_headers).json() == body


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_put_that_creates_keeps_its_project_and_endpoint_name_or_fails(make_client: Any, version: str) -> None:
    """Langflow's PUT creates a missing flow under its id, but unlike a create it does not move it or rename its
    endpoint: a project not the caller's is a 400, an endpoint name another of the caller's flows has a 409. Only
    a name in use is numbered, as a create numbers it."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    create_flow(client, headers, {"name": "Taken", "endpoint_name": "taken"})
    bob = second_user_headers(client, headers)
    bobs_project = client.post("/api/v1/projects/", json={"name": "Bob's"}, headers=bob).json()["id"]
    for folder in (UNKNOWN_ID, bobs_project):
        moved = client.put(f"/api/v1/flows/{uuid4()}", json={"name": "New", "folder_id": folder}, headers=headers)
        assert (moved.status_code, moved.json()) == (400, {"detail": errors.FOLDER_NOT_FOUND}), folder
    renamed = client.put(f"/api/v1/flows/{uuid4()}", json={"name": "New", "endpoint_name": "taken"}, headers=headers)
    assert (renamed.status_code, renamed.json()) == (409, {"detail": errors.ENDPOINT_NAME_TAKEN})
    assert own_flows(client, headers)["total"] == 1
    flow_id = str(uuid4())
    numbered = client.put(f"/api/v1/flows/{flow_id}", json={"name": "Taken", "endpoint_name": "free"},
                          headers=headers)
    assert numbered.status_code == 201
    assert (numbered.json()["id"], numbered.json()["name"], numbered.json()["endpoint_name"]) == (
        flow_id, "Taken (1)", "free")


# --- If-Match (1.13's optimistic concurrency) ----------------------------------------------------------


def test_a_stale_if_match_is_409_naming_the_current_version_and_changes_nothing(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    stale = flow["version_token"]
    edited = {**flow["data"], "viewport": {"x": 1, "y": 2, "zoom": 1}}
    first = client.patch(f"/api/v1/flows/{flow['id']}", json={"data": edited},
                         headers={**key_headers, "If-Match": f'"{stale}"'})
    assert first.status_code == 200
    current = first.json()["version_token"]
    assert current != stale
    stored = client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json()
    for method, body in (("PATCH", {"name": "Mine"}), ("PUT", {"name": "Mine", "data": flow["data"]})):
        response = client.request(method, f"/api/v1/flows/{flow['id']}", json=body,
                                  headers={**key_headers, "If-Match": stale})
        assert response.status_code == 409, method
        detail = response.json()["detail"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?", detail.pop("modified_at"))
        assert detail == {
            "code": "flow_version_conflict", "message": "This flow was changed by someone else after you loaded it.",
            "flow_id": flow["id"], "expected_version_token": stale, "current_version_token": current,
            "modified_by": {"id": flow["user_id"], "username": "langflow"},
        }
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == stored
    # The current token, weak or quoted as an ETag library sends it, lets the write through.
    renamed = client.put(f"/api/v1/flows/{flow['id']}", json={"name": "Mine", "data": edited},
                         headers={**key_headers, "If-Match": f'W/"{current}"'})
    assert (renamed.status_code, renamed.json()["name"]) == (200, "Mine")


@pytest.mark.parametrize("value", ["", "  ", "*", "not-a-token", '"12345"'])
def test_a_malformed_if_match_is_400_on_patch_and_put(client: TestClient, key_headers: dict[str, str],
                                                      value: str) -> None:
    flow = create_flow(client, key_headers, {"name": "Minimal Flow"})
    for method, url in (("PATCH", f"/api/v1/flows/{flow['id']}"), ("PUT", f"/api/v1/flows/{flow['id']}"),
                        ("PUT", f"/api/v1/flows/{uuid4()}")):
        response = client.request(method, url, json={"name": "x"}, headers={**key_headers, "If-Match": value})
        assert (response.status_code, response.json()) == (400, {"detail": errors.IF_MATCH_INVALID}), (method, url)
    assert own_flows(client, key_headers)["total"] == 1
    # PATCH finds the flow first: an unknown one is a 404 whatever the header.
    unknown = client.patch(f"/api/v1/flows/{UNKNOWN_ID}", json={}, headers={**key_headers, "If-Match": value})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})


def test_only_a_changed_graph_makes_a_new_version_token(client: TestClient, key_headers: dict[str, str],
                                                        chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    token, url = flow["version_token"], f"/api/v1/flows/{flow['id']}"
    assert client.patch(url, json={"name": "Renamed"}, headers=key_headers).json()["version_token"] == token
    assert client.patch(url, json={"data": flow["data"]}, headers=key_headers).json()["version_token"] == token
    assert client.put(url, json={"name": "Again", "data": flow["data"]},
                      headers=key_headers).json()["version_token"] == token
    assert client.put(url, json={"name": "Again"}, headers=key_headers).json()["version_token"] == token
    changed = client.put(url, json={"name": "Again", "data": {"nodes": [], "edges": []}}, headers=key_headers)
    assert changed.json()["version_token"] != token


def test_1_8_ignores_if_match(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, {"name": "Minimal Flow", "data": {"nodes": [], "edges": []}})
    for value in ("not-a-token", str(uuid4())):
        response = client.patch(f"/api/v1/flows/{flow['id']}", json={"description": value},
                                headers={**headers, "If-Match": value})
        assert (response.status_code, response.json()["description"]) == (200, value)


# --- the flow model's validators (Langflow's FlowBase) --------------------------------------------------


def value_error(field: str, msg: str, *loc: Any) -> dict[str, Any]:
    return {"type": "value_error", "loc": ["body", *loc, field], "msg": f"Value error, {msg}"}


@pytest.mark.parametrize(("field", "value", "msg"), [
    ("data", {"nodes": []}, "Flow must have edges"),
    ("data", {"edges": []}, "Flow must have nodes"),
    ("icon_bg_color", "ff0000", "Icon background color must start with #"),
    ("icon_bg_color", "#ff00", "Icon background color must be 7 characters long"),
    ("icon", ":rocket", "Invalid emoji. :rocket is not a valid emoji."),
    ("icon", "rocket:", "Invalid emoji. rocket: is not a valid emoji."),
    ("icon", ":", "Icon must be lowercase"),
    ("icon", ":no such emoji:", "Icon must contain only letters and hyphens"),
])
def test_a_flow_body_its_model_refuses_is_422_on_every_write_and_stores_nothing(
        client: TestClient, key_headers: dict[str, str], field: str, value: Any, msg: str) -> None:
    body = {"name": "Refused", field: value}
    created = client.post("/api/v1/flows/", json=body, headers=key_headers)
    assert created.status_code == 422
    assert created.json() == {"detail": [value_error(field, msg)] * 2}
    put = client.put(f"/api/v1/flows/{uuid4()}", json=body, headers=key_headers)
    # Listed once: only create_flow's body is read twice (by its RequireFlowCreate dependency too).
    assert (put.status_code, put.json()) == (422, {"detail": [value_error(field, msg)]})
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "Fine"}, body]}, headers=key_headers)
    assert (batch.status_code, batch.json()) == (422, {"detail": [value_error(field, msg, "flows", 1)]})
    uploaded = upload(client, key_headers, json.dumps(body).encode())
    assert uploaded.status_code == 422
    assert uploaded.json()["detail"].startswith(f"1 validation error for FlowCreate\n{field}\n  Value error, {msg}")
    assert own_flows(client, key_headers)["total"] == 0


def test_the_models_validators_let_an_empty_graph_colour_and_a_plain_icon_through(
        client: TestClient, key_headers: dict[str, str]) -> None:
    body = {"name": "Lenient", "data": {}, "icon_bg_color": "", "icon": "Not A Lucide Name", "gradient": "x"}
    created = create_flow(client, key_headers, body)
    assert {k: created[k] for k in body} == body



@pytest.mark.parametrize(("icon", "stored"), [(":rocket:", "\U0001f680"), (":rocket::fire:", "\U0001f680\U0001f525"),
                                          (":red_heart:", "\u2764\ufe0f")])
def test_a_colon_named_icon_is_stored_as_its_emoji(client: TestClient, key_headers: dict[str, str], icon: str,
                                                   stored: str) -> None:
    created = create_flow(client, key_headers, {"name": "Emoji", "icon": icon})
    assert created["icon"] == stored
    assert client.get(f"/api/v1/flows/{created['id']}", headers=key_headers).json()["icon"] == stored
    # the same names in a batch and an upload
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "Batched", "icon": icon}]},
                        headers=key_headers)
    assert batch.status_code == 201 and batch.json()[0]["icon"] == stored
    uploaded = upload(client, key_headers, json.dumps({"name": "Uploaded", "icon": icon}).encode())
    assert uploaded.status_code == 201 and uploaded.json()[0]["icon"] == stored


def test_a_colon_named_icon_no_emoji_has_is_refused(client: TestClient, key_headers: dict[str, str]) -> None:
    # not an emoji's name (the names are lower case): Langflow's icon-name checks refuse it
    for icon, msg in ((":Rocket:", "Icon must be lowercase"), (":rocket_ship:", "Icon must contain only letters and "
                                                                                 "hyphens")):
        refused = client.post("/api/v1/flows/", json={"name": "Refused", "icon": icon}, headers=key_headers)
        assert refused.status_code == 422
        assert refused.json()["detail"][0] == value_error("icon", msg)
    assert own_flows(client, key_headers)["total"] == 0


def test_a_patch_with_a_graph_lacking_edges_is_422_and_leaves_the_flow(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    # Langflow stores it, fails building the answer and rolls back: 500 "Could not update the flow.".
    flow = create_flow(client, key_headers, chat_flow)
    response = client.patch(f"/api/v1/flows/{flow['id']}", json={"name": "Renamed", "data": {"nodes": []}},
                            headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [value_error("data", "Flow must have edges")]}
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == flow


def test_1_8_refuses_the_same_bodies(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    response = client.post("/api/v1/flows/", json={"name": "x", "data": {"nodes": []}}, headers=headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [{**value_error("data", "Flow must have edges"), "input": {"nodes": []},
                                           "ctx": {"error": {}}}]}
    uploaded = upload(client, headers, json.dumps({"name": "x", "icon_bg_color": "red"}).encode())
    assert (uploaded.status_code, uploaded.json()) == (
        400, {"detail": "Invalid flow file: Value error, Icon background color must start with #"})


def code_graph(**template: Any) -> dict[str, Any]:
    """A graph of one node whose template holds `template`'s fields."""
    return {"nodes": [{"id": "Custom-1", "data": {"node": {"template": template}}}], "edges": []}


def stored_template(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, Any]:
    flow = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()
    template: dict[str, Any] = flow["data"]["nodes"][0]["data"]["node"]["template"]
    return template


# Every field of type "code" sent as a list of lines (as 1.13 exports it), whatever its name; other fields as sent.
AS_LINES = {"code": {"type": "code", "value": ["def f():", "    return 1", ""]},
            "script": {"type": "code", "value": ["x = 1"]},
            "listed": {"type": "str", "value": ["a", "b"]}}
JOINED = {"code": {"type": "code", "value": "def f():\n    return 1\n"}, "script": {"type": "code", "value": "x = 1"},
          "listed": {"type": "str", "value": ["a", "b"]}}


def test_1_13_joins_code_sent_as_lines_on_every_write(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's flow models join a code field's lines (create, PUT, PATCH, batch, uploads), the way back from its
    export; only fields of type "code" are code, whatever their name."""
    created = create_flow(client, key_headers, {"name": "Lines", "data": code_graph(**AS_LINES)})
    assert stored_template(client, key_headers, created["id"]) == JOINED
    url = f"/api/v1/flows/{created['id']}"
    assert client.patch(url, json={"data": code_graph(code={"type": "code", "value": ["a", "b"]})},
                        headers=key_headers).status_code == 200
    assert stored_template(client, key_headers, created["id"]) == {"code": {"type": "code", "value": "a\nb"}}
    named_code = {"code": {"type": "str", "value": ["not", "code"]}}
    assert client.put(url, json={"name": "Lines", "data": code_graph(**named_code)},
                      headers=key_headers).status_code == 200
    assert stored_template(client, key_headers, created["id"]) == named_code
    put = client.put(f"/api/v1/flows/{uuid4()}", json={"name": "Put", "data": code_graph(**AS_LINES)},
                     headers=key_headers)
    assert put.status_code == 201 and stored_template(client, key_headers, put.json()["id"]) == JOINED
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "Batch", "data": code_graph(**AS_LINES)}]},
                        headers=key_headers)
    assert batch.status_code == 201 and stored_template(client, key_headers, batch.json()[0]["id"]) == JOINED
    # A graph under a "data" key of the graph is the one Langflow looks in, as in an export's envelope.
    wrapped = {"nodes": [], "edges": [], "data": code_graph(**AS_LINES)}
    enveloped = create_flow(client, key_headers, {"name": "Enveloped", "data": wrapped})
    assert enveloped["data"] == {**wrapped, "data": code_graph(**JOINED)}


def test_1_13_refuses_code_lines_that_are_not_all_strings(client: TestClient, key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "Kept", "data": code_graph(**JOINED)})
    data = code_graph(code={"type": "code", "value": ["x = 1", 2]})
    created = client.post("/api/v1/flows/", json={"name": "Refused", "data": data}, headers=key_headers)
    assert created.status_code == 422
    assert created.json() == {"detail": [value_error("data", "Code lines must all be strings")] * 2}
    put = client.put(f"/api/v1/flows/{uuid4()}", json={"name": "Refused", "data": data}, headers=key_headers)
    for response in (put, client.patch(f"/api/v1/flows/{flow['id']}", json={"data": data}, headers=key_headers)):
        assert (response.status_code, response.json()) == (
            422, {"detail": [value_error("data", "Code lines must all be strings")]})
    uploaded = upload(client, key_headers, json.dumps({"name": "Refused", "data": data}).encode())
    assert uploaded.status_code == 422
    assert uploaded.json()["detail"].startswith("1 validation error for FlowCreate\ndata\n  Value error, Code lines")
    assert [f["name"] for f in own_flows(client, key_headers)["items"]] == ["Kept"]
    assert stored_template(client, key_headers, flow["id"]) == JOINED


def test_before_1_13_code_lines_are_stored_as_sent(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    created = create_flow(client, headers, {"name": "Lines", "data": code_graph(**AS_LINES)})
    assert stored_template(client, headers, created["id"]) == AS_LINES
    odd = code_graph(code={"type": "code", "value": ["x", 2]})
    patched = client.patch(f"/api/v1/flows/{created['id']}", json={"data": odd}, headers=headers)
    assert patched.status_code == 200 and patched.json()["data"] == odd


# --- delete -------------------------------------------------------------------------------------------


def test_delete_one_then_it_is_gone(client: TestClient, key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "Minimal Flow"})
    response = client.delete(f"/api/v1/flows/{flow['id']}", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"message": "Flow deleted successfully"}
    gone = client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers)
    assert (gone.status_code, gone.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})
    again = client.delete(f"/api/v1/flows/{flow['id']}", headers=key_headers)
    assert (again.status_code, again.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})


def test_delete_many_takes_a_json_array_and_counts_what_it_deleted(client: TestClient,
                                                                    key_headers: dict[str, str]) -> None:
    ids = [create_flow(client, key_headers, {"name": f"Flow {i}"})["id"] for i in range(3)]
    response = delete_many(client, key_headers, [ids[0], ids[1], UNKNOWN_ID])
    assert response.status_code == 200
    assert response.json() == {"deleted": 2}
    assert [f["id"] for f in own_flows(client, key_headers)["items"]] == [ids[2]]


def test_delete_many_of_unknown_ids_deletes_nothing(client: TestClient, key_headers: dict[str, str]) -> None:
    for body in ([UNKNOWN_ID], []):
        response = delete_many(client, key_headers, body)
        assert response.status_code == 200
        assert response.json() == {"deleted": 0}


def test_delete_many_without_a_body_is_422(client: TestClient, key_headers: dict[str, str]) -> None:
    response = delete_many(client, key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required"}]}


# --- upload -------------------------------------------------------------------------------------------


def upload(client: TestClient, headers: dict[str, str], content: bytes, filename: str = "flow.json") -> Any:
    return client.post("/api/v1/flows/upload/", files={"file": (filename, content, "application/json")},
                       headers=headers)


def test_upload_a_single_flow_answers_201_with_a_list(client: TestClient, key_headers: dict[str, str],
                                                      chat_flow: dict[str, Any]) -> None:
    file = {**chat_flow, "name": "Uploaded Flow"}
    del file["endpoint_name"]
    response = upload(client, key_headers, json.dumps(file).encode())
    assert response.status_code == 201
    body = response.json()
    assert [(f["name"], f["data"], set(f)) for f in body] == [("Uploaded Flow", chat_flow["data"], FLOW_READ_KEYS)]
    assert own_flows(client, key_headers)["items"] == body


def test_an_empty_upload_gives_a_user_without_projects_no_default_one(client: TestClient,
                                                                      key_headers: dict[str, str]) -> None:
    """Langflow looks up (and makes) the default project for each uploaded flow: a file with no flows makes none."""
    for project in client.get("/api/v1/projects/", headers=key_headers).json():
        assert client.delete(f"/api/v1/projects/{project['id']}", headers=key_headers).status_code == 204
    response = upload(client, key_headers, json.dumps({"flows": []}).encode())
    assert (response.status_code, response.json()) == (201, [])
    assert client.get("/api/v1/projects/", headers=key_headers).json() == []
    one = upload(client, key_headers, json.dumps({"name": "One", "data": None}).encode())
    listed = client.get("/api/v1/projects/", headers=key_headers).json()
    assert [(p["name"], p["id"]) for p in listed] == [("Starter Project", one.json()[0]["folder_id"])]


def test_upload_a_flows_file_creates_each_flow(client: TestClient, key_headers: dict[str, str],
                                               chat_flow: dict[str, Any]) -> None:
    flows = [{"name": "Uploaded A", "description": chat_flow["description"], "data": chat_flow["data"]},
             {"name": "Uploaded B", "data": {"nodes": [], "edges": []}}]
    response = upload(client, key_headers, json.dumps({"flows": flows}).encode(), "flows.json")
    assert response.status_code == 201
    body = response.json()
    assert [(f["name"], f["description"], f["data"]) for f in body] == [
        ("Uploaded A", "Chat Input -> Chat Output, no LLM", chat_flow["data"]),
        ("Uploaded B", None, {"nodes": [], "edges": []}),
    ]
    assert own_flows(client, key_headers)["total"] == 2


def test_uploading_a_flow_the_caller_owns_updates_it_in_place(client: TestClient, key_headers: dict[str, str],
                                                               chat_flow: dict[str, Any]) -> None:
    # 1.13 describes its upload as having "upsert semantics for flows with stable IDs".
    mine = create_flow(client, key_headers, {**chat_flow, "name": "Round trip", "description": "before"})
    exported = download(client, key_headers, [mine["id"]]).json()
    edited = {**exported, "description": "after", "locked": None}
    response = upload(client, key_headers, json.dumps(edited).encode())
    assert response.status_code == 201
    [updated] = response.json()
    assert (updated["id"], updated["name"], updated["description"]) == (mine["id"], "Round trip", "after")
    assert updated["folder_id"] == mine["folder_id"] and updated["locked"] == mine["locked"]  # null keeps a value
    assert [n["id"] for n in updated["data"]["nodes"]] == [n["id"] for n in mine["data"]["nodes"]]
    assert client.get(f"/api/v1/flows/{mine['id']}", headers=key_headers).json() == updated
    assert [f["id"] for f in own_flows(client, key_headers)["items"]] == [mine["id"]]


def test_uploading_another_users_flow_makes_a_copy_with_a_new_id(client: TestClient, key_headers: dict[str, str],
                                                                 chat_flow: dict[str, Any]) -> None:
    theirs = create_flow(client, key_headers, {**chat_flow, "name": "Theirs"})
    bob = second_user_headers(client, key_headers)
    response = upload(client, bob, json.dumps({**chat_flow, "id": theirs["id"], "name": "Theirs"}).encode())
    assert response.status_code == 201
    [copy] = response.json()
    assert copy["id"] != theirs["id"] and copy["name"] == "Theirs"
    assert client.get(f"/api/v1/flows/{theirs['id']}", headers=key_headers).json()["description"] == \
        theirs["description"]


def test_a_zip_of_flows_uploads_as_its_json_entries(client: TestClient, key_headers: dict[str, str],
                                                    chat_flow: dict[str, Any]) -> None:
    # 1.13: "Upload flows from a JSON or ZIP file"; the zip a download of several flows makes round-trips.
    flows = [create_flow(client, key_headers, {**chat_flow, "name": n}) for n in ("Zip A", "Zip B")]
    archive = download(client, key_headers, [f["id"] for f in flows]).content
    again = upload(client, key_headers, archive, filename="flows.zip")
    assert again.status_code == 201
    assert sorted((f["id"], f["name"]) for f in again.json()) == sorted((f["id"], f["name"]) for f in flows)
    assert own_flows(client, key_headers)["total"] == 2  # updated in place, not copied
    fresh = io.BytesIO()
    with zipfile.ZipFile(fresh, "w") as z:
        z.writestr("new.json", json.dumps({**chat_flow, "name": "From zip"}))
        z.writestr("broken.json", "{not json")
        z.writestr("notes.txt", "not a flow")
    made = upload(client, key_headers, fresh.getvalue(), filename="new.zip")
    assert made.status_code == 201 and [f["name"] for f in made.json()] == ["From zip"]
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("notes.txt", "nothing")
    refused = upload(client, key_headers, empty.getvalue(), filename="empty.zip")
    assert (refused.status_code, refused.json()) == (400, {"detail": "No valid flow JSON files found in the ZIP"})


def test_a_zip_whose_entries_expand_past_100_mb_is_refused_and_creates_nothing(
        client: TestClient, key_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    # zip_utils.py: the .json entries may declare, and expand to, 100 MB together (the limit is lowered here so
    # that the test need not build 100 MB); one declaring more than 50 MB is skipped unread.
    from mock_langflow.routers import flows as flows_router

    assert flows_router.MAX_ZIP_TOTAL_BYTES == 100 * 1024 * 1024
    monkeypatch.setattr(flows_router, "MAX_ZIP_TOTAL_BYTES", 1_000_000)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(2):
            z.writestr(f"flow{n}.json", json.dumps({"name": f"Big {n}", "description": "x" * 700_000}))
    assert len(archive.getvalue()) < 100_000
    declared = sum(i.file_size for i in zipfile.ZipFile(archive).infolist())
    refused = upload(client, key_headers, archive.getvalue(), filename="big.zip")
    assert (refused.status_code, refused.json()) == (400, {"detail": (
        f"ZIP entries declare {declared} uncompressed bytes in total, exceeding the aggregate limit of 1000000 bytes")})
    project = client.post("/api/v1/projects/upload/", headers=key_headers,
                          files={"file": ("big.zip", archive.getvalue())})
    assert project.status_code == 400
    assert own_flows(client, key_headers)["total"] == 0


def test_a_file_that_looks_like_a_zip_but_does_not_open_is_langflows_400(
        client: TestClient, key_headers: dict[str, str]) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("flow.json", json.dumps({"name": "F"}))
    raw = bytearray(archive.getvalue())
    central = raw.rfind(b"PK\x01\x02")
    raw[central:central + 4] = b"XXXX"  # the end record still says ZIP; the central directory does not
    refused = upload(client, key_headers, bytes(raw), filename="bad.zip")
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Uploaded file is not a valid ZIP archive: ")


def test_an_upload_naming_one_id_twice_is_422_and_an_update_onto_a_taken_name_is_409(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    mine = create_flow(client, key_headers, {**chat_flow, "name": "Mine"})
    create_flow(client, key_headers, {**chat_flow, "name": "Taken"})
    twice = {"flows": [{**chat_flow, "id": mine["id"], "name": "Mine"}, {**chat_flow, "id": mine["id"]}]}
    response = upload(client, key_headers, json.dumps(twice).encode())
    assert (response.status_code, response.json()) == (422, {"detail": errors.DUPLICATE_UPLOAD_IDS})
    both = {"flows": [{**chat_flow, "name": "Fresh"}, {**chat_flow, "id": mine["id"], "name": "Taken"}]}
    clash = upload(client, key_headers, json.dumps(both).encode())
    assert (clash.status_code, clash.json()) == (409, {"detail": errors.NAME_TAKEN})
    names = sorted(f["name"] for f in own_flows(client, key_headers)["items"])
    assert names == ["Mine", "Taken"]  # all or nothing


def test_put_onto_a_folder_that_is_not_the_callers_is_400_and_nulls_keep_values(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    mine = create_flow(client, key_headers, {**chat_flow, "name": "Kept", "description": "kept"})
    url = f"/api/v1/flows/{mine['id']}"
    foreign = client.put(url, json={"name": "Kept", "folder_id": UNKNOWN_ID}, headers=key_headers)
    assert (foreign.status_code, foreign.json()) == (400, {"detail": errors.FOLDER_NOT_FOUND})
    same = client.put(url, json={"name": "Kept", "description": None, "data": None}, headers=key_headers)
    assert same.status_code == 200
    assert (same.json()["description"], same.json()["data"]) == ("kept", mine["data"])


@pytest.mark.parametrize(("version", "left_out"), [("1.13", "ep"), ("1.8", None)])
def test_a_put_onto_a_flow_clears_an_endpoint_name_sent_as_null_and_in_1_8_one_left_out(
        make_client: Any, version: str, left_out: str | None) -> None:
    # 1.8.4's _update_existing_flow clears it whenever the body's is None, as its PATCH does.
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, {"name": "EP", "endpoint_name": "ep"})
    url = f"/api/v1/flows/{flow['id']}"
    assert client.put(url, json={"name": "EP"}, headers=headers).json()["endpoint_name"] == left_out
    client.put(url, json={"name": "EP", "endpoint_name": "ep"}, headers=headers)
    assert client.put(url, json={"name": "EP", "endpoint_name": None}, headers=headers).json()["endpoint_name"] is None


def test_upload_of_bad_json_is_400_with_the_parser_message(client: TestClient, key_headers: dict[str, str]) -> None:
    response = upload(client, key_headers, b"{not json", "bad.json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid JSON file: unexpected character, expected a string key: line 1 column 2 (char 1)"}


@pytest.mark.parametrize(("body", "detail"), [
    ({"flows": 1.5}, "Invalid JSON: 'flows' must be a list of flow objects"),
    ({"flows": "two flows"}, "Invalid JSON: 'flows' must be a list of flow objects"),
    ({"flows": {"name": "one flow"}}, "Invalid JSON: 'flows' must be a list of flow objects"),
    ({"flows": None}, "Invalid JSON: 'flows' must be a list of flow objects"),
    ({"flows": [{"name": "ok"}, 7]}, "Invalid JSON: flows[1] is not an object"),
    ([{"name": "a list"}], "Invalid JSON: expected an object with 'flows' or a single flow object"),
    ("a string", "Invalid JSON: expected an object with 'flows' or a single flow object")])
def test_upload_of_a_file_shaped_wrong_is_1_13s_422_and_creates_nothing(client: TestClient, key_headers: dict[str, str],
                                                                        body: Any, detail: str) -> None:
    before = client.get("/api/v1/flows/", params={"get_all": "true"}, headers=key_headers).json()
    response = upload(client, key_headers, json.dumps(body).encode(), "flows.json")
    # {"flows": 1.5} was once a 500; a string was read letter by letter, an object key by key, null as no flows
    assert (response.status_code, response.json()) == (422, {"detail": detail})
    assert client.get("/api/v1/flows/", params={"get_all": "true"}, headers=key_headers).json() == before


def test_upload_of_a_flow_its_model_refuses_is_422_with_pydantics_report(client: TestClient,
                                                                         key_headers: dict[str, str]) -> None:
    one = upload(client, key_headers, json.dumps({"description": "no name"}).encode(), "flow.json")
    assert one.status_code == 422
    assert one.json()["detail"].startswith("1 validation error for FlowCreate\nname\n  Field required")
    listed = upload(client, key_headers, json.dumps({"flows": [{"name": "a"}, {"name": 5}]}).encode(), "f.json")
    assert listed.status_code == 422
    assert listed.json()["detail"].startswith("1 validation error for FlowListCreate\nflows.1.name\n")


def test_upload_without_a_file_is_400(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/flows/upload/", headers=key_headers)
    assert response.status_code == 400
    assert response.json() == {"detail": errors.NO_FILE_PROVIDED}


def test_upload_of_an_empty_file_is_400_saying_so(client: TestClient, key_headers: dict[str, str]) -> None:
    response = upload(client, key_headers, b"", "empty.json")
    assert (response.status_code, response.json()) == (400, {"detail": "The uploaded file is empty"})


# --- download -----------------------------------------------------------------------------------------


def download(client: TestClient, headers: dict[str, str], ids: list[str]) -> Any:
    return client.post("/api/v1/flows/download/", json=ids, headers=headers)


def exported(node: dict[str, Any]) -> dict[str, Any]:
    """A node as a download shows it (flows_download_single): no editor state, and each code field's source
    as a list of its lines."""
    node = copy.deepcopy({k: v for k, v in node.items() if k not in ("selected", "dragging", "positionAbsolute")})
    for field in node["data"]["node"]["template"].values():
        if isinstance(field, dict) and field.get("type") == "code":
            field["value"] = field["value"].split("\n")
    return node


def test_download_one_flow_is_json_without_owner_fields_editor_state_or_code_strings(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = download(client, key_headers, [flow["id"]])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == FLOW_DOWNLOAD_KEYS
    assert body["fs_path"] is None
    assert body["last_modified_by"] == flow["user_id"]
    assert {k: body[k] for k in FLOW_DOWNLOAD_KEYS - {"data", "fs_path", "last_modified_by"}} == {
        k: flow[k] for k in FLOW_DOWNLOAD_KEYS - {"data", "fs_path", "last_modified_by"}}
    sent_nodes = chat_flow["data"]["nodes"]
    assert all({"selected", "dragging"} <= set(node) for node in sent_nodes)
    assert body["data"]["nodes"] == [exported(node) for node in sent_nodes]
    assert body["data"]["edges"] == chat_flow["data"]["edges"]


def test_download_several_flows_is_a_zip_of_stored_json_files(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    first = create_flow(client, key_headers, chat_flow)
    second = create_flow(client, key_headers, {**chat_flow, "name": "Second Chat IO", "endpoint_name": None})
    response = download(client, key_headers, [first["id"], second["id"]])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-zip-compressed"
    assert "content-length" not in response.headers  # streamed, as Langflow's (flows_download_multi: chunked)
    match = re.fullmatch(r"attachment; filename=\"(\d{8}_\d{6}_langflow_flows\.zip)\"; filename\*=UTF-8''(\S+)",
                         response.headers["content-disposition"])
    assert match and match.group(1) == match.group(2)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(i.filename for i in archive.infolist()) == ["Contract Chat IO.json", "Second Chat IO.json"]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())
    for flow in (first, second):
        single = download(client, key_headers, [flow["id"]]).json()
        assert json.loads(archive.read(f"{flow['name']}.json")) == single


def test_download_zip_entries_are_indented_json_with_sorted_keys(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    first = create_flow(client, key_headers, chat_flow)
    second = create_flow(client, key_headers, {**chat_flow, "name": "Second Chat IO", "endpoint_name": None})
    archive = zipfile.ZipFile(io.BytesIO(download(client, key_headers, [first["id"], second["id"]]).content))
    for info in archive.infolist():
        raw = archive.read(info)
        assert raw == json.dumps(json.loads(raw), indent=2, sort_keys=True, ensure_ascii=False).encode()


def test_download_several_with_a_flow_without_data_is_the_recorded_500(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    with_data = create_flow(client, key_headers, chat_flow)
    without = create_flow(client, key_headers, {"name": "Minimal Flow"})
    response = download(client, key_headers, [with_data["id"], without["id"]])
    assert response.status_code == 500
    assert response.json() == {"message": "'NoneType' object has no attribute 'get'"}


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_download_leaves_out_the_nodes_absolute_position_from_1_13(make_client: Any, chat_flow: dict[str, Any],
                                                                      version: str) -> None:
    """1.13 exports a flow without the editor's node state: `positionAbsolute` as well as `selected` and
    `dragging` (its normalize_flow_for_export); before 1.13 a node is downloaded as stored. The stored flow keeps
    it either way."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    for node in chat_flow["data"]["nodes"]:
        node["positionAbsolute"] = {"x": 1, "y": 2}
    flows = [create_flow(client, headers, chat_flow),
             create_flow(client, headers, {**chat_flow, "name": "Second", "endpoint_name": None})]
    kept = version != "1.13"
    single = download(client, headers, [flows[0]["id"]]).json()
    assert [("positionAbsolute" in n) for n in single["data"]["nodes"]] == [kept, kept]
    archive = zipfile.ZipFile(io.BytesIO(download(client, headers, [f["id"] for f in flows]).content))
    for name in archive.namelist():
        assert [("positionAbsolute" in n) for n in json.loads(archive.read(name))["data"]["nodes"]] == [kept, kept]
    stored = client.get(f"/api/v1/flows/{flows[0]['id']}", headers=headers).json()
    assert all(n["positionAbsolute"] == {"x": 1, "y": 2} for n in stored["data"]["nodes"])


# A flow's name -> its entry in 1.13's zip: separators and ".." become "_", NULs go, the ends are trimmed, a
# Windows device name gets a "_" before it, and a name left empty becomes the flow's id (None here).
ZIP_ENTRY_NAMES = {"a/b": "a_b.json", "x\\y": "x_y.json", "..hidden": "_hidden.json", "v1..2": "v1_2.json",
                   " Spaced ": "Spaced.json", "CON": "_CON.json", "lpt1.txt": "_lpt1.txt.json",
                   "Console": "Console.json", "Plain": "Plain.json", "   ": None}


def test_zip_entries_are_named_after_the_flows_made_safe_as_file_names(
        client: TestClient, key_headers: dict[str, str]) -> None:
    flows = {name: create_flow(client, key_headers, {"name": name, "data": {"nodes": [], "edges": []}})
             for name in ZIP_ENTRY_NAMES}
    response = download(client, key_headers, [f["id"] for f in flows.values()])
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    expected = {entry or f"{flows[name]['id']}.json": name for name, entry in ZIP_ENTRY_NAMES.items()}
    assert sorted(archive.namelist()) == sorted(expected)
    for entry, name in expected.items():
        assert json.loads(archive.read(entry))["name"] == name


def test_before_1_13_zip_entries_are_compact_json_named_as_the_flows_are(make_client: Any) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    flows = [create_flow(client, headers, {"name": name, "data": {"nodes": [], "edges": []}})
             for name in ("a/b", " CON ", "Plain")]
    archive = zipfile.ZipFile(io.BytesIO(download(client, headers, [f["id"] for f in flows]).content))
    assert sorted(archive.namelist()) == sorted(["a/b.json", " CON .json", "Plain.json"])
    for info in archive.infolist():
        raw = archive.read(info)
        assert raw == json.dumps(json.loads(raw)).encode()  # json.dumps as Langflow 1.8 writes it


def test_1_13_downloads_keep_bindings_to_the_owners_variables_and_scrub_the_rest(
        client: TestClient, key_headers: dict[str, str]) -> None:
    # utils/flow_secrets.py strip_flow_secrets with the owner's variable names: a bound field keeps a value that
    # names one of them; a password or secret-named field loses a value (an empty one stays empty); a URL with
    # credentials goes; an inlined group's nodes are scrubbed too.
    created = client.post("/api/v1/variables/", json={"name": "MY_KEY_VAR", "value": "secret", "type": "Credential",
                                                                "default_fields": []},
                          headers=key_headers)
    assert created.status_code == 201
    fields = {
        "bound": {"password": True, "load_from_db": True, "value": "MY_KEY_VAR"},
        "bound_unknown": {"password": True, "load_from_db": True, "value": "NOT_A_VARIABLE"},
        "bound_token": {"load_from_db": True, "value": "sk-abcdefghijkl"},
        "empty_pw": {"password": True, "value": ""},
        "db_pw": {"password": True, "value": "pw"},
        "auth_token": {"value": "plain"},
        "base_url": {"value": "https://user:pw@example.com/x"},
        "model": {"value": "gpt"},
    }
    template = {name: {"name": name, **field} for name, field in fields.items()}
    group = {"id": "G-1", "data": {"node": {"flow": {"data": {"nodes": [
        {"id": "N-2", "data": {"node": {"template": {"db_pw": {"name": "db_pw", "password": True, "value": "x"}}}}}],
        "edges": []}}}}}
    graph = {"nodes": [{"id": "N-1", "data": {"node": {"template": template}}}, group], "edges": []}
    flows = [create_flow(client, key_headers, {"name": name, "data": graph}) for name in ("One", "Two")]
    single = download(client, key_headers, [flows[0]["id"]]).json()
    archive = zipfile.ZipFile(io.BytesIO(download(client, key_headers, [f["id"] for f in flows]).content))
    for body in (single, json.loads(archive.read("Two.json"))):
        nodes = body["data"]["nodes"]
        assert {k: v["value"] for k, v in nodes[0]["data"]["node"]["template"].items()} == {
            "bound": "MY_KEY_VAR", "bound_unknown": None, "bound_token": None, "empty_pw": "", "db_pw": None,
            "auth_token": None, "base_url": None, "model": "gpt"}
        inner = nodes[1]["data"]["node"]["flow"]["data"]["nodes"][0]["data"]["node"]["template"]
        assert inner["db_pw"]["value"] is None


@pytest.mark.parametrize(("version", "kept"), [("1.13", []), ("1.8", ["pw", "sk"]), ("1.7.1", ["pw", "sk"])])
def test_a_download_empties_every_password_field_or_before_1_13_api_credentials_alone(
        make_client: Any, version: str, kept: list[str]) -> None:
    # Before 1.13 the export runs remove_api_keys: a password field whose name holds "api" and "key" (or "token"
    # but not "tokens") is emptied, any other keeps its value; 1.13 empties every password field.
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    template = {name: {"name": name, "password": True, "value": value} for name, value in (
        ("openai_api_key", "k1"), ("api_token", "k2"), ("db_password", "pw"), ("secret_key", "sk"))}
    graph = {"nodes": [{"id": "N-1", "data": {"node": {"template": template}}}], "edges": []}
    flow = create_flow(client, headers, {"name": "Secrets", "data": graph})
    exported = download(client, headers, [flow["id"]]).json()["data"]["nodes"][0]["data"]["node"]["template"]
    assert sorted(f["value"] for f in exported.values() if f["value"] is not None) == kept


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_remove_api_keys_empties_them_when_a_graph_is_updated_not_when_created(make_client: Any,
                                                                                version: str) -> None:
    """LANGFLOW_REMOVE_API_KEYS: a PATCH (and, from 1.8, a PUT over an existing flow) stores the graph with its
    API key fields emptied; a new flow keeps them, as Langflow's create does."""
    client = make_client(langflow_version=version, remove_api_keys=True)
    headers = {"x-api-key": new_api_key(client)}
    template = {name: {"name": name, "password": password, "value": "v"} for name, password in (
        ("openai_api_key", True), ("api_token", True), ("max_tokens_api", True), ("db_password", True),
        ("api_key_hint", False))}
    graph = {"nodes": [{"id": "N-1", "data": {"node": {"template": template}}}], "edges": []}

    def stored(flow_id: str) -> dict[str, Any]:
        node = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()["data"]["nodes"][0]
        return {name: field["value"] for name, field in node["data"]["node"]["template"].items()}

    flow = create_flow(client, headers, {"name": "Keys", "data": graph})
    assert set(stored(flow["id"]).values()) == {"v"}
    patched = client.patch(f"/api/v1/flows/{flow['id']}", json={"data": graph}, headers=headers)
    assert patched.status_code == 200
    emptied = {"openai_api_key": None, "api_token": None, "max_tokens_api": "v", "db_password": "v",
               "api_key_hint": "v"}
    assert stored(flow["id"]) == emptied
    if version != "1.7.1":
        again = create_flow(client, headers, {"name": "Keys 2", "data": graph})
        put = client.put(f"/api/v1/flows/{again['id']}", json={"name": "Keys 2", "data": graph}, headers=headers)
        assert put.status_code == 200 and stored(again["id"]) == emptied


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_download_of_one_flow_without_data_is_the_same_500(make_client: Any, version: str) -> None:
    # Langflow strips every flow's secrets before it counts them: one flow fails as a zip of several does.
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    without = create_flow(client, headers, {"name": "Minimal Flow"})
    response = download(client, headers, [without["id"]])
    assert (response.status_code, response.json()) == (500, {"message": errors.NONE_HAS_NO_GET})
    # That is Langflow's catch-all handler's answer, which Starlette gives outside every middleware: a browser on
    # another origin gets no CORS headers with it (an error it handles in the mock must fail there too).
    origin = {**headers, "origin": "http://app.example"}
    uncaught = client.post("/api/v1/flows/download/", json=[without["id"]], headers=origin)
    assert uncaught.status_code == 500
    assert not [h for h in uncaught.headers if h.startswith(("access-control", "vary", "x-mock"))]
    missing = client.get(f"/api/v1/flows/{UNKNOWN_ID}", headers=origin)  # an API error: CORS headers as ever
    assert "access-control-allow-origin" in missing.headers


def test_download_unknown_ids_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    response = download(client, key_headers, [UNKNOWN_ID])
    assert response.status_code == 404
    assert response.json() == {"detail": errors.NO_FLOWS_FOUND}


# --- ownership, persistence, examples -----------------------------------------------------------------


def test_one_users_flows_are_invisible_to_another(client: TestClient, key_headers: dict[str, str]) -> None:
    mine = create_flow(client, key_headers, {"name": "Superuser's"})
    bob = second_user_headers(client, key_headers)
    hidden = client.get(f"/api/v1/flows/{mine['id']}", headers=bob)
    assert (hidden.status_code, hidden.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})
    assert own_flows(client, bob)["total"] == 0
    listed = client.get("/api/v1/flows/", headers=bob).json()
    assert sorted(f["name"] for f in listed) == EXAMPLE_NAMES
    assert client.patch(f"/api/v1/flows/{mine['id']}", json={"name": "x"}, headers=bob).status_code == 404
    assert delete_many(client, bob, [mine["id"]]).json() == {"deleted": 0}
    assert download(client, bob, [mine["id"]]).status_code == 404
    bobs = create_flow(client, bob, {"name": "Superuser's"})
    assert bobs["name"] == "Superuser's"  # names are unique per user, not across users
    assert [f["id"] for f in own_flows(client, key_headers)["items"]] == [mine["id"]]
    assert [f["id"] for f in client.get("/api/v1/flows/", params={"remove_example_flows": "true"},
                                        headers=bob).json()] == [bobs["id"]]
    assert client.get(f"/api/v1/flows/{bobs['id']}", headers=key_headers).status_code == 404


def test_a_flow_survives_a_server_restart_on_the_same_data_dir(tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    data_dir = tmp_path / "data"
    server = start_server(data_dir)
    try:
        with server.client() as http:
            created = http.post("/api/v1/flows/", json=chat_flow)
            assert created.status_code == 201
    finally:
        stop_server(server)
    server = start_server(data_dir)
    try:
        with server.client() as http:
            response = http.get(f"/api/v1/flows/{created.json()['id']}")
            assert response.status_code == 200
            assert response.json() == created.json()
            assert http.get("/api/v1/flows/", params={"get_all": "false"}).json()["total"] == 1
    finally:
        stop_server(server)


def test_basic_examples_are_the_shipped_example_flows(client: TestClient, key_headers: dict[str, str]) -> None:
    assert "Simple Chat" in EXAMPLE_NAMES
    response = client.get("/api/v1/flows/basic_examples/", headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert sorted(f["name"] for f in body) == EXAMPLE_NAMES
    assert all(set(f) == FLOW_READ_KEYS and f["user_id"] is None and f["data"]["nodes"] for f in body)


def test_starter_projects_list_the_shipped_examples_as_graphs(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/starter-projects/", headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert sorted(p["name"] for p in body) == EXAMPLE_NAMES
    assert all(p["is_component"] is False and p["data"]["nodes"] for p in body)
    examples = {f["name"]: f for f in client.get("/api/v1/flows/basic_examples/", headers=key_headers).json()}
    assert all(p["data"] == examples[p["name"]]["data"] for p in body)


def test_without_starter_projects_a_new_server_has_no_example_flows(make_client: Any) -> None:
    """LANGFLOW_CREATE_STARTER_PROJECTS=false, as CI setups use for an empty Langflow: no example flows are stored
    (basic_examples is empty), while the starter project templates are still listed from the shipped files."""
    client = make_client(create_starter_projects=False)
    headers = {"x-api-key": new_api_key(client)}
    assert client.get("/api/v1/flows/basic_examples/", headers=headers).json() == []
    listed = client.get("/api/v1/flows/", params={"remove_example_flows": False}, headers=headers).json()
    assert all(f["user_id"] is not None for f in listed)
    starters = client.get("/api/v1/starter-projects/", headers=headers).json()
    assert sorted(p["name"] for p in starters) == EXAMPLE_NAMES


def test_a_batch_creates_its_flows_as_given_or_none_of_them(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow's create_flows never renames: a name or endpoint name the caller has, or one given twice, fails
    the whole batch (1.13 maps the insert's failure to a 409); ids any flow has are a 422 naming them."""
    created = client.post("/api/v1/flows/batch/", json={"flows": [
        {"name": "Batch A", "endpoint_name": "batch-a", "data": {"nodes": [], "edges": []}},
        {"name": "Batch B", "data": {"nodes": [], "edges": []}}]}, headers=key_headers)
    assert created.status_code == 201
    first = created.json()
    assert [(f["name"], f["endpoint_name"]) for f in first] == [("Batch A", "batch-a"), ("Batch B", None)]
    before = own_flows(client, key_headers)
    for flows, detail in [
        ([{"name": "Batch C"}, {"name": "Batch A"}], "Name must be unique"),
        ([{"name": "Batch C"}, {"name": "Batch C"}], "Name must be unique"),
        ([{"name": "Batch C", "endpoint_name": "batch-a"}], "Endpoint name must be unique"),
        ([{"name": ""}, {"name": ""}], "Name must be unique"),  # an empty name is a name too (found by fuzzing)
    ]:
        response = client.post("/api/v1/flows/batch/", json={"flows": flows}, headers=key_headers)
        assert (response.status_code, response.json()) == (409, {"detail": detail})
    taken = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "Batch C", "id": first[1]["id"]}]},
                        headers=key_headers)
    assert taken.status_code == 422
    assert taken.json() == {"detail": f"Flow(s) with the following IDs already exist: {first[1]['id']}. "
                                      "Use the update endpoint or upload_file() for upsert semantics."}
    assert own_flows(client, key_headers) == before  # nothing of a refused batch was written


def test_a_batch_giving_one_new_id_twice_is_a_409_and_known_ids_are_listed_in_id_order(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's up-front check only looks for ids already stored (another user's too), listing them as its SQLite
    query returns them (in id order); one new id given twice passes it and fails the insert: a 409 "Id must be
    unique", nothing created."""
    low, high = "00000000-0000-4000-8000-000000000001", "ffffffff-0000-4000-8000-000000000001"
    other = {"x-api-key": other_user_key(client, key_headers)}
    for flow_id, headers in ((high, key_headers), (low, other)):
        assert client.post("/api/v1/flows/", json={"name": f"Has {flow_id}", "id": flow_id},
                           headers=headers).status_code == 201
    before = own_flows(client, key_headers)
    fresh = "11111111-0000-4000-8000-000000000001"
    both = client.post("/api/v1/flows/batch/", json={"flows": [
        {"name": "N1", "id": high}, {"name": "N2", "id": fresh}, {"name": "N3", "id": fresh},
        {"name": "N4", "id": low}]}, headers=key_headers)
    assert (both.status_code, both.json()) == (422, {"detail": errors.flow_ids_exist([low, high])})
    twice = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "N1", "id": fresh},
                                                                {"name": "N2", "id": fresh}]}, headers=key_headers)
    assert (twice.status_code, twice.json()) == (409, {"detail": "Id must be unique"})
    assert own_flows(client, key_headers) == before


def not_found(version: str, response: Any) -> bool:
    """A flow read found nothing: 404, or in 1.7.1 (whose own 404s are its frontend page) that page."""
    if version == "1.7.1":
        return response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    return response.status_code == 404


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_a_flow_id_sent_to_a_create_is_kept_from_1_13_only(make_client: Any, version: str) -> None:
    """1.13's FlowCreate has an id, which a create, a batch and an upload keep. 1.8.4's and 1.7.1's has none:
    pydantic drops the one sent and the row draws a uuid4, so the flow answers with another id and nothing is
    found at the one sent; nor can a batch fail on an id, one in use or one given twice."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    graph = {"nodes": [], "edges": []}
    sent = {how: f"1111111{n}-0000-4000-8000-000000000001" for n, how in enumerate(("create", "batch", "upload"))}
    made = {
        "create": client.post("/api/v1/flows/", json={"name": "Create", "id": sent["create"]}, headers=headers),
        "batch": client.post("/api/v1/flows/batch/", json={"flows": [{"name": "Batch", "id": sent["batch"]}]},
                             headers=headers),
        "upload": upload(client, headers, json.dumps({"flows": [{"name": "Upload", "id": sent["upload"],
                                                                 "data": graph}]}).encode()),
    }
    for how, response in made.items():
        assert response.status_code == 201, how
        flow = response.json() if how == "create" else response.json()[0]
        at_sent = client.get(f"/api/v1/flows/{sent[how]}", headers=headers)
        if version == "1.13":
            assert flow["id"] == sent[how] and at_sent.json()["id"] == sent[how]
        else:
            assert flow["id"] != sent[how] and not_found(version, at_sent), how
            assert client.get(f"/api/v1/flows/{flow['id']}", headers=headers).json()["name"] == flow["name"]
    if version != "1.13":
        taken = made["create"].json()["id"]
        again = client.post("/api/v1/flows/batch/", json={"flows": [
            {"name": "A", "id": taken}, {"name": "B", "id": sent["batch"]}, {"name": "C", "id": sent["batch"]}]},
            headers=headers)
        assert again.status_code == 201
        assert not {f["id"] for f in again.json()} & {taken, sent["batch"]}
        assert len({f["id"] for f in again.json()}) == 3


def test_before_1_13_a_batch_name_in_use_is_a_400(make_client: Any) -> None:
    """1.8's and 1.7.1's insert fails unhandled (their 500): the mock answers 400 with the column's text."""
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    body = {"flows": [{"name": "Same", "data": {"nodes": [], "edges": []}}]}
    assert client.post("/api/v1/flows/batch/", json=body, headers=headers).status_code == 201
    again = client.post("/api/v1/flows/batch/", json=body, headers=headers)
    assert (again.status_code, again.json()) == (400, {"detail": "Name must be unique"})


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_batch_keeps_the_update_time_it_is_sent_where_a_create_stamps_its_own(make_client: Any,
                                                                                version: str) -> None:
    # create_flows stores the body's model as it is (FlowBase reads the time into UTC); _new_flow stamps now.
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    sent = "2020-01-02T03:04:05+02:00"
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "Old", "updated_at": sent}]},
                        headers=headers)
    assert batch.json()[0]["updated_at"] == "2020-01-02T01:04:05+00:00"
    assert client.get(f"/api/v1/flows/{batch.json()[0]['id']}", headers=headers).json()["updated_at"] == \
        "2020-01-02T01:04:05+00:00"
    created = create_flow(client, headers, {"name": "New", "updated_at": sent})
    assert not created["updated_at"].startswith("2020")
    project = {"folder_name": "P", "folder_description": "", "flows": [{"name": "Up", "updated_at": sent}]}
    uploaded = client.post("/api/v1/projects/upload/", headers=headers,
                           files={"file": ("p.json", json.dumps(project).encode(), "application/json")})
    assert uploaded.json()[0]["updated_at"] == "2020-01-02T01:04:05+00:00"


def test_flows_with_an_unreadable_graph_are_still_deleted(client: TestClient, key_headers: dict[str, str]) -> None:
    """Deleting drops flows by id and never reads their graphs (it decoded each one only to throw it away), so
    a flow whose stored graph cannot be read goes by any of the three deletes."""
    project = client.post("/api/v1/projects/", json={"name": "Doomed"}, headers=key_headers).json()
    one, many, inside = (create_flow(client, key_headers, {"name": name, **extra}) for name, extra in
                         (("One", {}), ("Many", {}), ("Inside", {"folder_id": project["id"]})))
    with client.app.state.mock.store.db.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("UPDATE flow SET data = '{not json' WHERE name IN ('One', 'Many', 'Inside')")
    assert client.delete(f"/api/v1/flows/{one['id']}", headers=key_headers).status_code == 200
    batch = client.request("DELETE", "/api/v1/flows/", json=[many["id"]], headers=key_headers)
    assert batch.json() == {"deleted": 1}
    assert client.delete(f"/api/v1/projects/{project['id']}", headers=key_headers).status_code == 204
    for flow in (one, many, inside):
        assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).status_code == 404


def test_1_13_keeps_version_5_uuids_from_new_flows(make_client: Any, chat_flow: dict[str, Any]) -> None:
    """Clients that derive stable flow ids with uuid5 meet Langflow 1.13's 400 on every path that creates."""
    client = make_client(api_key=KEY)
    headers = {"x-api-key": KEY}
    reserved = str(uuid5(NAMESPACE_URL, "my-flow"))
    refused = {"detail": errors.RESERVED_FLOW_ID}
    body = {**chat_flow, "id": reserved}
    for response in (client.post("/api/v1/flows/", json=body, headers=headers),
                     client.put(f"/api/v1/flows/{reserved}", json=chat_flow, headers=headers),
                     client.post("/api/v1/flows/batch/", json={"flows": [{**chat_flow, "name": "x"}, body]},
                                 headers=headers),
                     upload(client, headers, json.dumps({"flows": [body]}).encode()),
                     client.post("/api/v1/projects/upload/", headers=headers, files={"file": (
                         "p.json", json.dumps({"folder_name": "P", "flows": [body]}).encode())})):
        assert (response.status_code, response.json()) == (400, refused)
    assert client.get("/api/v1/flows/", params={"get_all": "true", "remove_example_flows": "true"},
                      headers=headers).json() == []
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()] == ["Starter Project"]
    fine = client.post("/api/v1/flows/", json={**chat_flow, "id": str(uuid4())}, headers=headers)
    assert fine.status_code == 201
    old = make_client(api_key=KEY, langflow_version="1.8")
    made = old.post("/api/v1/flows/", json=body, headers=headers)  # never refused: 1.8 reads no id from a body
    assert (made.status_code, made.json()["id"] == reserved) == (201, False)


def test_basic_examples_need_no_credentials_and_blocked_ones_a_superuser(make_client: Any) -> None:
    """Langflow serves its example flows to anyone; 1.13's include_blocked is for superusers only."""
    client = make_client(api_key=KEY)
    anonymous = client.get("/api/v1/flows/basic_examples/")
    assert anonymous.status_code == 200 and anonymous.json()
    refused = client.get("/api/v1/flows/basic_examples/", params={"include_blocked": "true"})
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.BLOCKED_TEMPLATES})
    admin = {"x-api-key": KEY}
    assert client.get("/api/v1/flows/basic_examples/", params={"include_blocked": "true"},
                      headers=admin).json() == anonymous.json()
    bob = {"x-api-key": other_user_key(client, admin)}
    for url, detail in (("/api/v1/starter-projects/", errors.BLOCKED_TEMPLATES),
                        ("/api/v1/all", errors.BLOCKED_COMPONENTS)):
        plain = client.get(url, params={"include_blocked": "true"}, headers=bob)
        assert (plain.status_code, plain.json()) == (403, {"detail": detail})
        assert client.get(url, params={"include_blocked": "true"}, headers=admin).status_code == 200
    old = make_client(api_key=KEY, langflow_version="1.8")
    assert old.get("/api/v1/flows/basic_examples/", params={"include_blocked": "true"}).status_code == 200
    assert "include_blocked" not in str(old.get("/openapi.json").json()["paths"]["/api/v1/all"])


@pytest.mark.parametrize(("fs_path", "detail"), [
    ("", errors.FS_PATH_EMPTY), ("../elsewhere.json", errors.FS_PATH_TRAVERSAL),
    ("a\\..\\b.json", errors.FS_PATH_TRAVERSAL), ("a\x00.json", errors.FS_PATH_NUL),
    ("/etc/flow.json", errors.FS_PATH_OUTSIDE), ("C:/flows/x.json", errors.FS_PATH_OUTSIDE)])
def test_an_fs_path_outside_the_callers_flows_folder_is_refused(client: TestClient, key_headers: dict[str, str],
                                                              chat_flow: dict[str, Any], fs_path: str,
                                                              detail: str) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    for response in (client.post("/api/v1/flows/", json={**chat_flow, "fs_path": fs_path}, headers=key_headers),
                     client.patch(f"/api/v1/flows/{flow['id']}", json={"fs_path": fs_path}, headers=key_headers),
                     client.put(f"/api/v1/flows/{flow['id']}", json={**chat_flow, "fs_path": fs_path},
                                headers=key_headers),
                     client.post("/api/v1/flows/batch/", json={"flows": [{**chat_flow, "name": "b",
                                                                          "fs_path": fs_path}]}, headers=key_headers),
                     upload(client, key_headers, json.dumps({**chat_flow, "fs_path": fs_path}).encode())):
        assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert [f["id"] for f in client.get("/api/v1/flows/", params={"get_all": "true", "remove_example_flows": "true"},
                                        headers=key_headers).json()] == [flow["id"]]


def test_a_relative_fs_path_or_one_inside_the_flows_folder_is_kept(make_client: Any, tmp_path: Path,
                                                                    chat_flow: dict[str, Any]) -> None:
    client = make_client(api_key=KEY, data_dir=tmp_path / "data", langflow_version="1.8")
    headers = {"x-api-key": KEY}
    me = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
    inside = f"{tmp_path / 'data' / 'flows' / me}/mine.json"
    for fs_path in ("team/flow.json", inside):
        created = client.post("/api/v1/flows/", json={**chat_flow, "name": fs_path, "fs_path": fs_path},
                              headers=headers)
        assert created.status_code == 201, created.text
    outside = client.post("/api/v1/flows/", json={**chat_flow, "fs_path": "/tmp/x.json"}, headers=headers)
    assert outside.json() == {"detail": f"{errors.FS_PATH_OUTSIDE}: {tmp_path / 'data' / 'flows' / me}"}


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_flow_written_into_an_own_project_makes_no_default_project(make_client: Any,
                                                                                 version: str) -> None:
    """Langflow looks the default project up (making a "Starter Project" for a user who renamed theirs) only for
    a flow that names no project of the caller's: a create, batch or upload into the caller's own project, or a
    PUT of an existing flow, makes none."""
    client = make_client(api_key=KEY, langflow_version=version)
    headers = {"x-api-key": KEY}
    starter = client.get("/api/v1/projects/", headers=headers).json()[0]
    assert client.patch(f"/api/v1/projects/{starter['id']}", json={"name": "Mine"}, headers=headers).status_code == 200
    graph = {"nodes": [], "edges": []}
    made = client.post("/api/v1/flows/", json={"name": "A", "data": graph, "folder_id": starter["id"]},
                       headers=headers)
    assert (made.status_code, made.json()["folder_id"]) == (201, starter["id"])
    batch = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "B", "data": graph,
                                                                 "folder_id": starter["id"]}]}, headers=headers)
    assert (batch.status_code, batch.json()[0]["folder_id"]) == (201, starter["id"])
    uploaded = client.post("/api/v1/flows/upload/", params={"folder_id": starter["id"]}, headers=headers,
                           files={"file": ("f.json", json.dumps({"name": "C", "data": graph}), "application/json")})
    assert (uploaded.status_code, uploaded.json()[0]["folder_id"]) == (201, starter["id"])
    if version == "1.8.4":  # 1.7.1 has no PUT
        put = client.put(f"/api/v1/flows/{made.json()['id']}", json={"name": "A2", "data": graph}, headers=headers)
        assert (put.status_code, put.json()["folder_id"]) == (200, starter["id"])
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()] == ["Mine"]


def test_1_8_a_flow_without_a_project_of_the_callers_gets_a_new_default_one(make_client: Any) -> None:
    """1.8 makes a new "Starter Project" for the user who renamed theirs once a flow needs the default."""
    client = make_client(api_key=KEY, langflow_version="1.8.4")
    headers = {"x-api-key": KEY}
    starter = client.get("/api/v1/projects/", headers=headers).json()[0]
    assert client.patch(f"/api/v1/projects/{starter['id']}", json={"name": "Mine"}, headers=headers).status_code == 200
    made = client.post("/api/v1/flows/", json={"name": "A", "data": {"nodes": [], "edges": []}}, headers=headers)
    assert made.status_code == 201
    listed = client.get("/api/v1/projects/", headers=headers).json()
    assert [(p["name"], p["id"] == made.json()["folder_id"]) for p in listed] == [("Starter Project", True),
                                                                                    ("Mine", False)]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_1_7_1_patches_a_flow_into_another_users_project_as_sent(make_client: Any, version: str) -> None:
    """1.7.1's PATCH sets folder_id without looking at the project's owner: Bob's flow moves into Alice's project
    (1.8 puts it in Bob's default project instead). Alice deleting that project deletes only her own flows."""
    client = make_client(api_key=KEY, langflow_version=version)
    alice = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, alice)}
    project = client.post("/api/v1/projects/", json={"name": "Alice's"}, headers=alice).json()
    flow = create_flow(client, bob, {"name": "Bob's flow", "data": {"nodes": [], "edges": []}})
    moved = client.patch(f"/api/v1/flows/{flow['id']}", json={"folder_id": project["id"]}, headers=bob)
    expected = project["id"] if version == "1.7.1" else flow["folder_id"]
    assert (moved.status_code, moved.json()["folder_id"]) == (200, expected)
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=bob).json()["folder_id"] == expected
    assert client.delete(f"/api/v1/projects/{project['id']}", headers=alice).status_code == 204
    kept = client.get(f"/api/v1/flows/{flow['id']}", headers=bob)
    assert (kept.status_code, kept.json()["name"]) == (200, "Bob's flow")


@pytest.mark.parametrize(("version", "folders"), [("1.13.0", ["default", "default"]), ("1.8.4", [None, "alice"]),
                                                  ("1.7.1", [None, "alice"])])
def test_before_1_13_a_batch_stores_each_folder_id_as_sent(make_client: Any, version: str,
                                                          folders: list[str | None]) -> None:
    """1.8's and 1.7.1's POST /flows/batch/ validate no folder: a flow without one is in no project, and one
    naming another user's project goes there; 1.13 puts both in the caller's default project."""
    client = make_client(api_key=KEY, langflow_version=version)
    alice = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, alice)}
    project = client.post("/api/v1/projects/", json={"name": "Alice's"}, headers=alice).json()["id"]
    default = client.get("/api/v1/projects/", headers=bob).json()[0]["id"]
    graph = {"nodes": [], "edges": []}
    made = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "A", "data": graph},
                                                               {"name": "B", "data": graph, "folder_id": project}]},
                       headers=bob)
    assert made.status_code == 201
    named = {None: None, project: "alice", default: "default"}
    assert [named.get(f["folder_id"], f["folder_id"]) for f in made.json()] == folders


def test_1_7_1_creates_flows_in_the_project_named_whoever_owns_it(make_client: Any) -> None:
    """1.7.1's create and upload keep any folder_id sent; without one a flow goes to the caller's "Starter
    Project", or, when the caller has none by that name, into no project (no default project is made)."""
    client = make_client(api_key=KEY, langflow_version="1.7.1")
    alice = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, alice)}
    project = client.post("/api/v1/projects/", json={"name": "Alice's"}, headers=alice).json()["id"]
    graph = {"nodes": [], "edges": []}
    made = client.post("/api/v1/flows/", json={"name": "A", "data": graph, "folder_id": project}, headers=bob)
    assert (made.status_code, made.json()["folder_id"]) == (201, project)
    uploaded = client.post("/api/v1/flows/upload/", params={"folder_id": project}, headers=bob,
                           files={"file": ("f.json", json.dumps({"name": "B", "data": graph}), "application/json")})
    assert (uploaded.status_code, uploaded.json()[0]["folder_id"]) == (201, project)
    starter = client.get("/api/v1/projects/", headers=bob).json()[0]
    plain = client.post("/api/v1/flows/", json={"name": "C", "data": graph}, headers=bob)
    assert (plain.status_code, plain.json()["folder_id"]) == (201, starter["id"])
    assert client.patch(f"/api/v1/projects/{starter['id']}", json={"name": "Mine"}, headers=bob).status_code == 200
    homeless = client.post("/api/v1/flows/", json={"name": "D", "data": graph}, headers=bob)
    assert (homeless.status_code, homeless.json()["folder_id"]) == (201, None)
    assert [p["name"] for p in client.get("/api/v1/projects/", headers=bob).json()] == ["Mine"]


@pytest.mark.parametrize(("version", "after"), [("1.8.4", ["bob", "bob"]), ("1.7.1", ["first starter", "alice"])])
def test_before_1_13_a_patch_settles_a_flow_a_batch_left_without_a_project_of_its_owners(
        make_client: Any, version: str, after: list[str]) -> None:
    """1.8 checks the folder a flow ends up with on every PATCH: none, or another user's, becomes the caller's
    default project. 1.7.1 keeps another user's and gives a flow without one the first "Starter Project" there
    is, whoever's."""
    client = make_client(api_key=KEY, langflow_version=version)
    alice = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, alice)}
    project = client.post("/api/v1/projects/", json={"name": "Alice's"}, headers=alice).json()["id"]
    alices_starter = next(p["id"] for p in client.get("/api/v1/projects/", headers=alice).json()
                          if p["name"] == "Starter Project")
    named = {project: "alice", alices_starter: "first starter",
             client.get("/api/v1/projects/", headers=bob).json()[0]["id"]: "bob"}
    graph = {"nodes": [], "edges": []}
    made = client.post("/api/v1/flows/batch/", json={"flows": [{"name": "A", "data": graph},
                                                               {"name": "B", "data": graph, "folder_id": project}]},
                       headers=bob).json()
    patched = [client.patch(f"/api/v1/flows/{f['id']}", json={"description": "x"}, headers=bob) for f in made]
    assert [(p.status_code, named.get(p.json()["folder_id"])) for p in patched] == [(200, name) for name in after]
