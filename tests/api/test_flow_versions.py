"""1.13's routes for a flow two people edit: GET /flows/{id}/version-state, POST /flows/{id}/fork and
POST /flows/{id}/overwrite (Langflow's api/v1/flow_conflict_routes.py), around the If-Match token of a flow
PATCH."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import create_flow, new_api_key, other_user_key

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
NAIVE_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?"


def edited(graph: dict[str, Any], x: int) -> dict[str, Any]:
    return {**graph, "viewport": {"x": x, "y": 0, "zoom": 1}}


def state_of(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/flows/{flow_id}/version-state", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def overwrite(client: TestClient, headers: dict[str, str], flow_id: str, data: Any, token: str | None) -> Any:
    sent = headers if token is None else {**headers, "If-Match": token}
    return client.post(f"/api/v1/flows/{flow_id}/overwrite", json={"data": data}, headers=sent)


# --- version-state ------------------------------------------------------------------------------------------


def test_version_state_names_the_current_token_its_author_and_time(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    state = state_of(client, key_headers, flow["id"])
    assert re.fullmatch(NAIVE_TIME, state.pop("updated_at"))
    assert state == {"version_token": flow["version_token"], "last_modified_by": flow["user_id"],
                     "last_modified_by_username": "langflow"}
    # A rename keeps the version; a changed graph makes a new one, which the state then names.
    url = f"/api/v1/flows/{flow['id']}"
    client.patch(url, json={"name": "Renamed"}, headers=key_headers)
    assert state_of(client, key_headers, flow["id"])["version_token"] == flow["version_token"]
    patched = client.patch(url, json={"data": edited(flow["data"], 1)}, headers=key_headers).json()
    assert state_of(client, key_headers, flow["id"])["version_token"] == patched["version_token"] != flow[
        "version_token"]


def test_a_batch_created_flow_has_no_version_until_its_graph_changes(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """1.13's batch create (and the project upload that goes through it) stores the rows as sent: no version
    token, no author, so an If-Match PATCH of it is not checked; the first graph change stamps both."""
    created = client.post("/api/v1/flows/batch/", json={"flows": [{**chat_flow, "name": "From a batch"}]},
                          headers=key_headers)
    assert created.status_code == 201, created.text
    flow = created.json()[0]
    assert flow["version_token"] is None
    state = state_of(client, key_headers, flow["id"])
    assert (state["version_token"], state["last_modified_by"], state["last_modified_by_username"]) == (
        None, None, None)
    url = f"/api/v1/flows/{flow['id']}"
    stale = {**key_headers, "If-Match": UNKNOWN_ID}
    patched = client.patch(url, json={"data": edited(flow["data"], 1)}, headers=stale)
    assert patched.status_code == 200, patched.text
    assert patched.json()["version_token"] is not None
    state = state_of(client, key_headers, flow["id"])
    assert (state["version_token"], state["last_modified_by"], state["last_modified_by_username"]) == (
        patched.json()["version_token"], flow["user_id"], "langflow")


def test_the_conflict_routes_are_the_owners_alone(client: TestClient, key_headers: dict[str, str],
                                                  chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    bob = {"x-api-key": other_user_key(client, key_headers)}
    example = client.get("/api/v1/flows/basic_examples/", headers=key_headers).json()[0]["id"]
    for flow_id, headers in ((flow["id"], bob), (UNKNOWN_ID, key_headers), (example, key_headers)):
        # The flow is looked up first: a body or header the route would refuse is not read.
        for method, path, kwargs in (("GET", "version-state", {}), ("POST", "fork", {"json": []}),
                                     ("POST", "overwrite", {"json": {}})):
            response = client.request(method, f"/api/v1/flows/{flow_id}/{path}", headers=headers, **kwargs)
            assert (response.status_code, response.json()) == (404, {"detail": errors.FLOW_NOT_FOUND}), path
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == flow
    bad_id = client.get("/api/v1/flows/not-a-uuid/version-state", headers=key_headers)
    assert bad_id.status_code == 422
    anonymous = client.get(f"/api/v1/flows/{flow['id']}/version-state")
    assert (anonymous.status_code, anonymous.json()) == (403, {"detail": "No authentication credentials provided"})


# --- fork -------------------------------------------------------------------------------------------------------


def test_a_fork_is_an_inert_copy_in_the_callers_default_project(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any],
        webhook_flow: dict[str, Any]) -> None:
    source = create_flow(client, key_headers, {
        **chat_flow, "name": "Shared", "description": "the team's", "endpoint_name": "shared", "tags": ["a"],
        "mcp_enabled": True, "access_type": "PUBLIC", "icon": "Bot", "gradient": "2", "action_name": "act"})
    locked = client.patch(f"/api/v1/flows/{source['id']}", json={"locked": True}, headers=key_headers)
    assert locked.status_code == 200
    response = client.post(f"/api/v1/flows/{source['id']}/fork", json={}, headers=key_headers)
    assert response.status_code == 201, response.text
    fork = response.json()
    assert fork["id"] != source["id"] and fork["version_token"] not in (None, source["version_token"])
    assert {k: fork[k] for k in ("name", "description", "data", "tags", "icon", "gradient", "user_id")} == {
        "name": "Shared (copy)", "description": "the team's", "data": source["data"], "tags": ["a"], "icon": "Bot",
        "gradient": "2", "user_id": source["user_id"]}
    assert {k: fork[k] for k in ("endpoint_name", "mcp_enabled", "locked", "access_type", "webhook",
                                 "action_name")} == {
        "endpoint_name": None, "mcp_enabled": False, "locked": False, "access_type": "PRIVATE", "webhook": False,
        "action_name": None}
    default = client.get("/api/v1/projects/", headers=key_headers).json()
    assert fork["folder_id"] in [p["id"] for p in default]
    # The copy's name is numbered once taken; a name and a graph sent are the copy's.
    again = client.post(f"/api/v1/flows/{source['id']}/fork", json={"name": None}, headers=key_headers).json()
    assert again["name"] == "Shared (copy) (1)"
    mine = edited(source["data"], 7)
    named = client.post(f"/api/v1/flows/{source['id']}/fork", json={"name": "Mine", "data": mine},
                        headers=key_headers).json()
    assert (named["name"], named["data"]) == ("Mine", mine)
    # A copy of a graph with a webhook starts without one (nothing listens for it).
    hooked = client.post(f"/api/v1/flows/{source['id']}/fork", json={"data": webhook_flow["data"]},
                         headers=key_headers).json()
    assert hooked["webhook"] is False
    assert client.get(f"/api/v1/flows/{source['id']}", headers=key_headers).json() == locked.json()


def test_a_fork_of_a_graph_without_nodes_is_refused(client: TestClient, key_headers: dict[str, str]) -> None:
    source = create_flow(client, key_headers, {"name": "Empty"})
    response = client.post(f"/api/v1/flows/{source['id']}/fork", json={"data": {"edges": []}}, headers=key_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "data"]
    assert client.get("/api/v1/flows/", params={"remove_example_flows": True}, headers=key_headers).json() == [
        client.get(f"/api/v1/flows/{source['id']}", headers=key_headers).json()]


# --- overwrite --------------------------------------------------------------------------------------------------


def test_an_overwrite_needs_the_reviewed_token(client: TestClient, key_headers: dict[str, str],
                                                chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    url = f"/api/v1/flows/{flow['id']}"
    missing = overwrite(client, key_headers, flow["id"], edited(flow["data"], 1), None)
    assert (missing.status_code, missing.json()) == (428, {"detail": errors.OVERWRITE_NEEDS_IF_MATCH})
    for value in ("", "*", "not-a-token"):
        malformed = overwrite(client, key_headers, flow["id"], edited(flow["data"], 1), value)
        assert (malformed.status_code, malformed.json()) == (400, {"detail": errors.IF_MATCH_INVALID}), value
    # Someone else's save lands; the stale token is a 409 naming the version that replaced it.
    theirs = client.patch(url, json={"data": edited(flow["data"], 2)}, headers=key_headers).json()
    stale = overwrite(client, key_headers, flow["id"], edited(flow["data"], 1), flow["version_token"])
    assert stale.status_code == 409
    detail = stale.json()["detail"]
    assert re.fullmatch(NAIVE_TIME, detail.pop("modified_at"))
    assert detail == {
        "code": "flow_version_conflict", "message": errors.FLOW_VERSION_CONFLICT, "flow_id": flow["id"],
        "expected_version_token": flow["version_token"], "current_version_token": theirs["version_token"],
        "modified_by": {"id": flow["user_id"], "username": "langflow"}}
    assert client.get(url, headers=key_headers).json() == theirs
    missing_data = client.post(f"{url}/overwrite", json={}, headers={**key_headers, "If-Match": "x"})
    assert missing_data.status_code == 422


def test_an_overwrite_of_the_reviewed_version_replaces_the_graph_under_a_new_token(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any],
        webhook_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, {**chat_flow, "name": "Ours"})
    merged = webhook_flow["data"]
    response = overwrite(client, key_headers, flow["id"], merged, f'"{flow["version_token"]}"')
    assert response.status_code == 200, response.text
    written = response.json()
    assert (written["data"], written["webhook"], written["name"]) == (merged, True, "Ours")
    assert written["version_token"] not in (None, flow["version_token"])
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == written
    assert state_of(client, key_headers, flow["id"])["version_token"] == written["version_token"]
    # The token it replaced is stale now; the same graph written again still takes a new token.
    assert overwrite(client, key_headers, flow["id"], merged, flow["version_token"]).status_code == 409
    same = overwrite(client, key_headers, flow["id"], merged, written["version_token"])
    assert same.status_code == 200
    assert same.json()["data"] == merged and same.json()["version_token"] != written["version_token"]


def test_an_overwrite_of_a_locked_flow_is_423_and_writes_nothing(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    locked = client.patch(f"/api/v1/flows/{flow['id']}", json={"locked": True}, headers=key_headers).json()
    response = overwrite(client, key_headers, flow["id"], edited(flow["data"], 3), locked["version_token"])
    assert (response.status_code, response.json()) == (423, {"detail": errors.FLOW_LOCKED})
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == locked
    # The graph it already has is no change: the write goes through.
    unchanged = overwrite(client, key_headers, flow["id"], flow["data"], locked["version_token"])
    assert unchanged.status_code == 200 and unchanged.json()["locked"] is True


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_releases_have_no_conflict_routes(make_client: Callable[..., TestClient], version: str) -> None:
    paths = make_client(langflow_version=version).get("/openapi.json").json()["paths"]
    assert [p for p in paths if p.endswith(("/version-state", "/fork", "/overwrite"))] == []


# --- the version history an overwrite keeps ----------------------------------------------------------------------


def versions(client: TestClient, headers: dict[str, str], flow_id: str, **params: Any) -> Any:
    return client.get(f"/api/v1/flows/{flow_id}/versions/", params=params, headers=headers)


def test_an_overwrite_keeps_the_graph_it_replaced_as_the_next_version(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    assert versions(client, key_headers, flow["id"]).json() == {"entries": [], "max_entries": 50}
    token = flow["version_token"]
    for x in (1, 2):
        written = overwrite(client, key_headers, flow["id"], edited(flow["data"], x), token)
        assert written.status_code == 200
        token = written.json()["version_token"]
    # Refused overwrites keep nothing.
    assert overwrite(client, key_headers, flow["id"], edited(flow["data"], 3), flow["version_token"]).status_code \
        == 409
    assert overwrite(client, key_headers, flow["id"], edited(flow["data"], 3), None).status_code == 428
    listed = versions(client, key_headers, flow["id"])
    assert listed.status_code == 200
    entries = listed.json()["entries"]
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", entry.pop("created_at"))
        assert re.fullmatch(r"[0-9a-f-]{36}", entry.pop("id"))
    assert entries == [
        {"flow_id": flow["id"], "user_id": flow["user_id"], "version_number": n,
         "description": "Replaced by a newer edit", "retained": False, "username": "langflow",
         "version_tag": f"v{n}"} for n in (2, 1)]
    page = versions(client, key_headers, flow["id"], limit=1, offset=1).json()["entries"]
    assert [e["version_number"] for e in page] == [1]
    assert versions(client, key_headers, flow["id"], limit=0).status_code == 422
    provider = versions(client, key_headers, flow["id"], deployment_provider_id=UNKNOWN_ID)
    assert (provider.status_code, provider.json()) == (400, {"detail": errors.DEPLOYMENTS_DISABLED})


def test_a_flows_versions_are_its_owners_and_go_with_it(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    assert overwrite(client, key_headers, flow["id"], edited(flow["data"], 1), flow["version_token"]).status_code \
        == 200
    bob = {"x-api-key": other_user_key(client, key_headers)}
    for flow_id, headers in ((flow["id"], bob), (UNKNOWN_ID, key_headers)):
        response = versions(client, headers, flow_id)
        assert (response.status_code, response.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})
    assert client.delete(f"/api/v1/flows/{flow['id']}", headers=key_headers).status_code == 200
    again = client.put(f"/api/v1/flows/{flow['id']}", json=chat_flow, headers=key_headers)
    assert again.status_code == 201
    assert versions(client, key_headers, flow["id"]).json()["entries"] == []


def test_an_older_release_has_no_version_list(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4")  # 1.7.1's are 1.8's, less some (profiles/v1_7_1.py)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, {"name": "Minimal Flow"})
    response = versions(client, headers, flow["id"])
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


# --- snapshots, one version, activation and delete (1.13's api/v1/flow_version.py) -----------------------------

SECOND_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"


def snapshot(client: TestClient, headers: dict[str, str], flow_id: str, body: Any = None) -> Any:
    return client.post(f"/api/v1/flows/{flow_id}/versions/", json=body, headers=headers)


def version_url(flow_id: str, version_id: str, action: str = "") -> str:
    return f"/api/v1/flows/{flow_id}/versions/{version_id}{action}"


def with_key(graph: dict[str, Any], value: str) -> dict[str, Any]:
    """The graph with a password field holding `value` on its Chat Output."""
    graph = copy.deepcopy(graph)
    output = next(n for n in graph["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["openai_api_key"] = {
        "name": "openai_api_key", "type": "str", "password": True, "value": value, "show": True}
    return graph


def test_a_snapshot_keeps_the_flows_graph_or_the_one_sent_as_the_next_version(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = snapshot(client, key_headers, flow["id"])  # no body at all
    assert response.status_code == 201, response.text
    first = response.json()
    assert re.fullmatch(SECOND_TIME, first.pop("created_at"))
    version_id = first.pop("id")
    # Every field but is_deployed, null ones too; the author's name only the list resolves.
    assert list(first) == ["flow_id", "user_id", "version_number", "description", "retained", "retained_reason",
                           "username", "version_tag"]
    assert first == {"flow_id": flow["id"], "user_id": flow["user_id"], "version_number": 1, "description": None,
                     "retained": False, "retained_reason": None, "username": None, "version_tag": "v1"}
    canvas = edited(flow["data"], 9)
    second = snapshot(client, key_headers, flow["id"], {"description": "before the demo", "data": canvas,
                                                        "extra": "ignored"})
    assert second.status_code == 201, second.text
    assert (second.json()["version_number"], second.json()["description"]) == (2, "before the demo")
    # The flow itself is untouched; the versions hold its graph and the one sent.
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == flow
    kept = client.get(version_url(flow["id"], version_id), headers=key_headers).json()["data"]
    assert kept == flow["data"]
    assert client.get(version_url(flow["id"], second.json()["id"]), headers=key_headers).json()["data"] == canvas
    listed = versions(client, key_headers, flow["id"]).json()["entries"]
    assert [(e["version_number"], e["username"]) for e in listed] == [(2, "langflow"), (1, "langflow")]


def test_a_snapshot_body_is_read_before_the_flow_is_looked_up(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    for flow_id in (flow["id"], UNKNOWN_ID):
        too_long = snapshot(client, key_headers, flow_id, {"description": "x" * 501})
        assert too_long.status_code == 422
        assert too_long.json()["detail"][0]["loc"] == ["body", "description"]
        not_a_graph = snapshot(client, key_headers, flow_id, {"data": ["nodes"]})
        assert not_a_graph.status_code == 422
    assert snapshot(client, key_headers, flow["id"], {"description": "x" * 500}).status_code == 201
    bob = {"x-api-key": other_user_key(client, key_headers)}
    for flow_id, headers in ((flow["id"], bob), (UNKNOWN_ID, key_headers)):
        response = snapshot(client, headers, flow_id, {"description": "mine"})
        assert (response.status_code, response.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})
    assert len(versions(client, key_headers, flow["id"]).json()["entries"]) == 1


def test_a_snapshot_past_the_limit_drops_the_oldest_version(
        client: TestClient, key_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, {"name": "Minimal Flow"})
    ids = [snapshot(client, key_headers, flow["id"], {"description": f"n{n}"}).json()["id"] for n in range(51)]
    listed = versions(client, key_headers, flow["id"], limit=100).json()
    assert listed["max_entries"] == 50
    assert [e["version_number"] for e in listed["entries"]] == list(range(51, 1, -1))
    gone = client.get(version_url(flow["id"], ids[0]), headers=key_headers)
    assert (gone.status_code, gone.json()) == (404, {"detail": errors.VERSION_NOT_FOUND})


def test_the_version_limit_is_langflows_setting(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_flow_version_entries_per_flow=2)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, {"name": "Minimal Flow"})
    for n in range(3):
        snapshot(client, headers, flow["id"], {"description": f"n{n}"})
    listed = versions(client, headers, flow["id"]).json()
    assert listed["max_entries"] == 2
    assert [(e["version_number"], e["description"]) for e in listed["entries"]] == [(3, "n2"), (2, "n1")]


def test_one_version_comes_with_its_graph_without_secret_values(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, {**chat_flow, "data": with_key(chat_flow["data"], "sk-owner-secret")})
    made = snapshot(client, key_headers, flow["id"], {"description": "keyed"}).json()
    response = client.get(version_url(flow["id"], made["id"]), headers=key_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["id", "flow_id", "user_id", "version_number", "description", "retained",
                          "retained_reason", "created_at", "username", "is_deployed", "data", "version_tag"]
    assert {k: v for k, v in body.items() if k not in ("data", "is_deployed")} == made
    assert body["is_deployed"] is None
    assert body["data"] == with_key(flow["data"], None)  # stored with the key, read without it
    other = create_flow(client, key_headers, {**chat_flow, "name": "Other"})
    bob = {"x-api-key": other_user_key(client, key_headers)}
    for flow_id, version_id, headers, detail in (
            (other["id"], made["id"], key_headers, errors.VERSION_NOT_FOUND),  # a version of another flow
            (flow["id"], UNKNOWN_ID, key_headers, errors.VERSION_NOT_FOUND),
            (flow["id"], made["id"], bob, errors.FLOW_NOT_FOUND), (UNKNOWN_ID, made["id"], key_headers,
                                                                   errors.FLOW_NOT_FOUND)):
        response = client.get(version_url(flow_id, version_id), headers=headers)
        assert (response.status_code, response.json()) == (404, {"detail": detail})
    assert client.get(version_url(flow["id"], "v1"), headers=key_headers).status_code == 422


def test_activating_a_version_keeps_the_draft_then_writes_its_graph_under_a_new_token(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    v1 = snapshot(client, key_headers, flow["id"]).json()
    url = f"/api/v1/flows/{flow['id']}"
    draft = client.patch(url, json={"data": edited(flow["data"], 5)}, headers=key_headers).json()
    response = client.post(version_url(flow["id"], v1["id"], "/activate"), headers=key_headers)
    assert response.status_code == 200, response.text
    active = response.json()
    assert active == client.get(url, headers=key_headers).json()
    assert active["data"] == flow["data"]
    assert active["version_token"] not in (None, draft["version_token"], flow["version_token"])
    assert active["updated_at"] >= draft["updated_at"]
    assert {k: v for k, v in active.items() if k not in ("data", "version_token", "updated_at")} == {
        k: v for k, v in draft.items() if k not in ("data", "version_token", "updated_at")}
    state = state_of(client, key_headers, flow["id"])
    assert (state["version_token"], state["last_modified_by"]) == (active["version_token"], flow["user_id"])
    # The graph it replaced is the next version.
    entries = versions(client, key_headers, flow["id"]).json()["entries"]
    assert [(e["version_number"], e.get("description")) for e in entries] == [  # a null field is left out
        (2, "Auto-saved before activating v1"), (1, None)]
    assert client.get(version_url(flow["id"], entries[0]["id"]), headers=key_headers).json()["data"] == draft["data"]
    # save_draft=false keeps nothing; If-Match is read as a PATCH reads it.
    again = client.post(version_url(flow["id"], entries[0]["id"], "/activate"), params={"save_draft": "false"},
                        headers={**key_headers, "If-Match": f'W/"{active["version_token"]}"'})
    assert again.status_code == 200, again.text
    assert again.json()["data"] == draft["data"]
    assert len(versions(client, key_headers, flow["id"]).json()["entries"]) == 2


def test_a_refused_activation_writes_nothing(client: TestClient, key_headers: dict[str, str],
                                             chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    v1 = snapshot(client, key_headers, flow["id"]).json()
    empty = create_flow(client, key_headers, {"name": "Minimal Flow"})  # no graph
    hollow = snapshot(client, key_headers, empty["id"]).json()
    bob = {"x-api-key": other_user_key(client, key_headers)}
    stale = {**key_headers, "If-Match": UNKNOWN_ID}
    for flow_id, version_id, headers, status, detail in (
            (flow["id"], v1["id"], bob, 404, errors.FLOW_NOT_FOUND),
            (UNKNOWN_ID, v1["id"], {**key_headers, "If-Match": "nonsense"}, 404, errors.FLOW_NOT_FOUND),
            (flow["id"], UNKNOWN_ID, {**key_headers, "If-Match": "nonsense"}, 400, errors.IF_MATCH_INVALID),
            (flow["id"], UNKNOWN_ID, key_headers, 404, errors.VERSION_NOT_FOUND),
            (flow["id"], hollow["id"], key_headers, 404, errors.VERSION_NOT_FOUND),
            (empty["id"], hollow["id"], key_headers, 400, errors.VERSION_WITHOUT_DATA)):
        response = client.post(version_url(flow_id, version_id, "/activate"), headers=headers)
        assert (response.status_code, response.json()) == (status, {"detail": detail})
    conflict = client.post(version_url(flow["id"], v1["id"], "/activate"), headers=stale)
    assert conflict.status_code == 409
    assert conflict.json()["detail"]["current_version_token"] == flow["version_token"]
    assert client.post(version_url(flow["id"], v1["id"], "/activate"), params={"save_draft": "maybe"},
                       headers=key_headers).status_code == 422
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == flow
    assert len(versions(client, key_headers, flow["id"]).json()["entries"]) == 1


def test_an_activation_ignores_the_lock_and_leaves_the_webhook_flag(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any],
        webhook_flow: dict[str, Any]) -> None:
    """1.13 writes the version's graph straight into the row: neither the guard of a locked flow nor the webhook
    detection of a PATCH runs."""
    flow = create_flow(client, key_headers, chat_flow)
    hooked = snapshot(client, key_headers, flow["id"], {"data": webhook_flow["data"]}).json()
    locked = client.patch(f"/api/v1/flows/{flow['id']}", json={"locked": True}, headers=key_headers).json()
    response = client.post(version_url(flow["id"], hooked["id"], "/activate"), headers=key_headers)
    assert response.status_code == 200, response.text
    assert (response.json()["data"], response.json()["locked"], response.json()["webhook"]) == (
        webhook_flow["data"], True, locked["webhook"])


def test_activating_a_version_whose_graph_langflow_cannot_read_back_is_its_500(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """A snapshot keeps any object; 1.13's activation answers with its FlowRead, which refuses a graph without
    nodes or edges: a 500, the write rolled back."""
    flow = create_flow(client, key_headers, chat_flow)
    odd = snapshot(client, key_headers, flow["id"], {"data": {"nodes": []}})
    assert odd.status_code == 201
    response = client.post(version_url(flow["id"], odd.json()["id"], "/activate"), headers=key_headers)
    assert response.status_code == 500
    assert "Flow must have edges" in response.json()["message"]
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == flow
    assert len(versions(client, key_headers, flow["id"]).json()["entries"]) == 1


def test_deleting_a_version_leaves_the_flow_and_the_others(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    made = [snapshot(client, key_headers, flow["id"]).json() for _ in range(3)]
    response = client.delete(version_url(flow["id"], made[2]["id"]), headers=key_headers)
    assert (response.status_code, response.content) == (204, b"")
    assert response.headers["content-type"] == "application/json"
    again = client.delete(version_url(flow["id"], made[2]["id"]), headers=key_headers)
    assert (again.status_code, again.json()) == (404, {"detail": f"Version entry {made[2]['id']} not found"})
    assert [e["version_number"] for e in versions(client, key_headers, flow["id"]).json()["entries"]] == [2, 1]
    # Numbers go on from the highest kept.
    assert snapshot(client, key_headers, flow["id"]).json()["version_number"] == 3
    assert client.get(f"/api/v1/flows/{flow['id']}", headers=key_headers).json() == flow
    bob = {"x-api-key": other_user_key(client, key_headers)}
    other = create_flow(client, key_headers, {**chat_flow, "name": "Other"})
    for flow_id, headers, detail in ((flow["id"], bob, errors.FLOW_NOT_FOUND),
                                     (UNKNOWN_ID, key_headers, errors.FLOW_NOT_FOUND),
                                     (other["id"], key_headers, f"Version entry {made[0]['id']} not found")):
        refused = client.delete(version_url(flow_id, made[0]["id"]), headers=headers)
        assert (refused.status_code, refused.json()) == (404, {"detail": detail})
    assert len(versions(client, key_headers, flow["id"]).json()["entries"]) == 3


def test_the_version_routes_are_hidden_and_1_13s_alone(
        client: TestClient, make_client: Callable[..., TestClient]) -> None:
    assert [p for p in client.get("/openapi.json").json()["paths"] if "/versions" in p] == []
    older = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(older)}
    flow = create_flow(older, headers, {"name": "Minimal Flow"})
    for method, url in (("POST", f"/api/v1/flows/{flow['id']}/versions/"),
                        ("GET", version_url(flow["id"], UNKNOWN_ID)),
                        ("POST", version_url(flow["id"], UNKNOWN_ID, "/activate")),
                        ("DELETE", version_url(flow["id"], UNKNOWN_ID))):
        response = older.request(method, url, headers=headers)
        assert response.status_code in (404, 405), (method, url, response.text)


def test_activating_the_oldest_of_a_full_history_drops_it_for_the_draft(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """The draft kept first is a snapshot like any other: with 50 versions kept, the oldest goes, even when it is
    the one activated (its graph was read before)."""
    flow = create_flow(client, key_headers, chat_flow)
    ids = [snapshot(client, key_headers, flow["id"], {"data": edited(flow["data"], n)}).json()["id"]
           for n in range(50)]
    response = client.post(version_url(flow["id"], ids[0], "/activate"), headers=key_headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == edited(flow["data"], 0)
    entries = versions(client, key_headers, flow["id"], limit=100).json()["entries"]
    assert [e["version_number"] for e in entries] == list(range(51, 1, -1))
    assert client.get(version_url(flow["id"], ids[0]), headers=key_headers).status_code == 404


def test_a_deleted_flows_versions_go_with_it_and_a_kept_data_dir_keeps_the_others(
        tmp_path: Any, chat_flow: dict[str, Any]) -> None:
    """A flow's kept versions go when it is deleted (Langflow's foreign key cascades), also in a data dir a
    restart keeps; the other flow's stay, numbered as before."""
    from mock_langflow.app import create_app
    from mock_langflow.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", api_key="sk-" + "V" * 43)
    headers = {"x-api-key": "sk-" + "V" * 43}
    with TestClient(create_app(settings)) as client:
        gone = create_flow(client, headers, chat_flow)
        kept = create_flow(client, headers, {**chat_flow, "name": "Kept"})
        for flow in (gone, kept, gone):
            assert snapshot(client, headers, flow["id"]).status_code == 201
    with TestClient(create_app(settings)) as client:  # a restart: the version store is not loaded yet
        assert client.delete(f"/api/v1/flows/{gone['id']}", headers=headers).status_code == 200
        assert [e["version_number"] for e in versions(client, headers, kept["id"]).json()["entries"]] == [1]
        again = create_flow(client, headers, {**chat_flow, "id": gone["id"], "name": "Again"})
        assert again["id"] == gone["id"]
        assert versions(client, headers, again["id"]).json()["entries"] == []
