"""LANGFLOW_LOAD_FLOWS_PATH: a folder's flows upserted into the superuser's at every start, as Langflow does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow.app import build_state, create_app
from mock_langflow.clock import Clock
from mock_langflow.control.seed import SeedError
from mock_langflow.settings import Settings
from tests.conftest import auto_login_token, create_flow, other_user_key
from tests.test_cli import one_line_error, run_cli

GRAPH = {"nodes": [], "edges": []}
FLOW_ID = "0b5a2d1e-6c1f-4f55-9a51-3f8c1d2e4a77"
OTHER_ID = "5d0e7a4c-2b9f-4e1a-8c3d-6f7a8b9c0d1e"
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@contextmanager
def started(data_dir: Path, flows: Path | None, *, at: datetime = START, **settings: Any) -> Iterator[TestClient]:
    """A server on a kept data dir, started with the folder as LANGFLOW_LOAD_FLOWS_PATH (a restart is a second
    `started` on the same data dir)."""
    state = build_state(Settings(data_dir=data_dir, load_flows_path=flows, **settings), clock=Clock(frozen=at))
    try:
        with TestClient(create_app(state=state)) as client:
            yield client
    finally:
        state.dispose()


def admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {auto_login_token(client)}"}


def flow_file(folder: Path, name: str, body: Any) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(body))
    return path


def read(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/flows/{flow_id}", headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def names(client: TestClient, headers: dict[str, str]) -> list[str]:
    listed = client.get("/api/v1/flows/", params={"get_all": True, "remove_example_flows": True}, headers=headers)
    return sorted(flow["name"] for flow in listed.json())


def bound(name: str) -> dict[str, Any]:
    """A graph whose one component's api_key field holds `name`, a global variable's when `load_from_db`."""
    return {"edges": [], "nodes": [{"id": "Model-1", "data": {"id": "Model-1", "node": {"template": {
        "api_key": {"type": "str", "value": name, "load_from_db": name == "OPENAI_API_KEY"}}}}}]}


def api_key_field(flow: dict[str, Any]) -> dict[str, Any]:
    field: dict[str, Any] = flow["data"]["nodes"][0]["data"]["node"]["template"]["api_key"]
    return field


def test_a_new_flow_is_the_superusers_in_its_default_project_with_the_file_stem_as_id(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    code = {"type": "code", "value": ["def build():", "    return 1"]}
    graph = {"edges": [], "nodes": [{"id": "C-1", "data": {"node": {"template": {"code": code}}}}]}
    flow_file(flows, f"{FLOW_ID}.json", {"id": OTHER_ID, "name": "Support bot", "data": graph,
                                         "folder_id": OTHER_ID, "updated_at": "2020-01-01T00:00:00"})
    with started(tmp_path / "data", flows) as client:
        headers = admin(client)
        me = client.get("/api/v1/users/whoami", headers=headers).json()
        made = create_flow(client, headers, {"name": "Made here", "data": GRAPH})  # lands in the default project
        loaded = read(client, headers, FLOW_ID)
    assert (loaded["name"], loaded["user_id"], loaded["folder_id"]) == ("Support bot", me["id"], made["folder_id"])
    assert loaded["updated_at"].startswith("2026-03-01T12:00:00")  # the time of the start, not the file's
    # 1.13 joins code given as lines, as its import does
    assert loaded["data"]["nodes"][0]["data"]["node"]["template"]["code"]["value"] == "def build():\n    return 1"


def test_a_restart_updates_the_flow_from_the_changed_file_instead_of_adding_one(tmp_path: Path) -> None:
    flows, data = tmp_path / "flows", tmp_path / "data"
    path = flow_file(flows, f"{FLOW_ID}.json", {"name": "Support bot", "description": "v1", "data": GRAPH})
    with started(data, flows) as client:
        first = read(client, admin(client), FLOW_ID)
    flow_file(flows, path.name, {"name": "Support bot", "description": "v2", "data": GRAPH})
    with started(data, flows, at=START + timedelta(days=1)) as client:
        headers = admin(client)
        second = read(client, headers, FLOW_ID)
        assert names(client, headers) == ["Support bot"]
    assert (first["description"], second["description"]) == ("v1", "v2")
    assert second["updated_at"] > first["updated_at"]


@pytest.mark.parametrize(("overwrite", "description"), [(False, "made in the UI"), (True, "from the file")])
def test_a_flow_of_the_name_with_another_id_is_left_alone_unless_told_to_overwrite(
        tmp_path: Path, overwrite: bool, description: str) -> None:
    flows, data = tmp_path / "flows", tmp_path / "data"
    with started(data, None, create_starter_projects=False) as client:
        ui = create_flow(client, admin(client), {"name": "Support bot", "description": "made in the UI",
                                                 "data": GRAPH})
    flow_file(flows, f"{FLOW_ID}.json", {"name": "Support bot", "description": "from the file", "data": GRAPH})
    with started(data, flows, load_flows_overwrite_on_name_match=overwrite) as client:
        headers = admin(client)
        assert names(client, headers) == ["Support bot"]
        assert read(client, headers, ui["id"])["description"] == description  # the flow keeps its own id
        assert client.get(f"/api/v1/flows/{FLOW_ID}", headers=headers).status_code == 404


@pytest.mark.parametrize(("preserve", "value"), [(True, "OPENAI_API_KEY"), (False, "")])
def test_a_global_variable_bound_in_the_ui_survives_a_reload_while_bindings_are_preserved(
        tmp_path: Path, preserve: bool, value: str) -> None:
    flows, data = tmp_path / "flows", tmp_path / "data"
    path = flow_file(flows, f"{FLOW_ID}.json", {"name": "Agent", "data": bound("")})
    with started(data, flows) as client:
        headers = admin(client)
        patched = client.patch(f"/api/v1/flows/{FLOW_ID}", json={"data": bound("OPENAI_API_KEY")}, headers=headers)
        assert patched.status_code == 200, patched.text
    flow_file(flows, path.name, {"name": "Agent", "description": "new", "data": bound("")})
    with started(data, flows, load_flows_preserve_variable_bindings=preserve) as client:
        reloaded = read(client, admin(client), FLOW_ID)
    assert reloaded["description"] == "new"
    assert api_key_field(reloaded) == {"type": "str", "value": value, "load_from_db": preserve}


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_the_endpoint_name_finds_anyones_flow_and_every_field_of_the_file_is_set(
        tmp_path: Path, version: str) -> None:
    flows, data = tmp_path / "flows", tmp_path / "data"
    with started(data, None, langflow_version=version) as client:
        headers = admin(client)
        me = client.get("/api/v1/users/whoami", headers=headers).json()
        bob = {"x-api-key": other_user_key(client, headers)}
        theirs = create_flow(client, bob, {"name": "Bob's", "endpoint_name": "support", "data": GRAPH})
        project = client.post("/api/v1/projects/", json={"name": "Ops"}, headers=headers).json()
    flow_file(flows, f"{FLOW_ID}.json", {"name": "Support", "endpoint_name": "support", "data": GRAPH,
                                         "folder_id": project["id"], "is_component": True})
    with started(data, flows, langflow_version=version) as client:
        updated = read(client, admin(client), theirs["id"])
    assert (updated["name"], updated["user_id"], updated["folder_id"], updated["is_component"]) == (
        "Support", me["id"], project["id"], True)


def test_before_1_13_a_new_flow_named_as_one_of_the_superusers_stops_the_start(tmp_path: Path) -> None:
    """1.8 looks for no flow by name: the insert fails on the superuser's unique names, and so does the start."""
    flows, data = tmp_path / "flows", tmp_path / "data"
    with started(data, None, langflow_version="1.8.4") as client:
        create_flow(client, admin(client), {"name": "Support", "data": GRAPH})
    path = flow_file(flows, f"{FLOW_ID}.json", {"name": "Support", "data": GRAPH})
    with pytest.raises(SeedError) as raised:
        build_state(Settings(data_dir=data, load_flows_path=flows, langflow_version="1.8.4"))
    assert str(raised.value) == f"{path}: cannot be stored (Name must be unique)"


def test_in_1_13_another_users_endpoint_name_matches_nothing(tmp_path: Path) -> None:
    flows, data = tmp_path / "flows", tmp_path / "data"
    with started(data, None) as client:
        headers = admin(client)
        bob = {"x-api-key": other_user_key(client, headers)}
        theirs = create_flow(client, bob, {"name": "Bob's", "endpoint_name": "support", "data": GRAPH})
    flow_file(flows, f"{FLOW_ID}.json", {"name": "Support", "endpoint_name": "support", "data": GRAPH})
    with started(data, flows) as client:
        headers = admin(client)
        assert read(client, headers, FLOW_ID)["endpoint_name"] == "support"
        assert read(client, {"x-api-key": bob["x-api-key"]}, theirs["id"])["name"] == "Bob's"


def test_only_json_files_at_the_folders_top_are_flows_and_an_id_that_is_no_uuid_is_skipped(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flow_file(flows, "kept.json", {"name": "Kept", "data": GRAPH})
    flow_file(flows, "upper.JSON", {"name": "Upper case suffix", "data": GRAPH})
    flow_file(flows, "notes.txt", {"name": "Text file", "data": GRAPH})
    flow_file(flows, "bad-id.json", {"id": "not-a-uuid", "name": "Bad id", "data": GRAPH})
    flow_file(flows / "nested", "inner.json", {"name": "Nested", "data": GRAPH})
    (flows / "folder.json").mkdir()
    with started(tmp_path / "data", flows, create_starter_projects=False) as client:
        assert names(client, admin(client)) == ["Kept"]


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "not valid JSON"),
    ("[]", "not a Langflow flow (a JSON object is expected)"),
    ('{"description": "no name"}', "not a Langflow flow (name: Field required)"),
])
def test_a_bad_file_stops_the_start_and_writes_none_of_the_folder(tmp_path: Path, content: str, reason: str) -> None:
    flows, data = tmp_path / "flows", tmp_path / "data"
    flow_file(flows, "a-good.json", {"name": "Good", "data": GRAPH})
    (flows / "b-bad.json").write_text(content)
    with pytest.raises(SeedError) as raised:
        build_state(Settings(data_dir=data, load_flows_path=flows))
    assert str(raised.value).startswith(f"{flows / 'b-bad.json'}: {reason}")
    with started(data, None, create_starter_projects=False) as client:
        assert names(client, admin(client)) == []


def test_the_server_command_reports_a_bad_file_on_one_line(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "broken.json").write_text("[1, 2]")
    result = run_cli("serve", "--port", "0", "--data-dir", str(tmp_path / "data"),
                     env={"LANGFLOW_LOAD_FLOWS_PATH": str(flows)})
    assert one_line_error(result) == (f"mock-langflow: {flows / 'broken.json'}: not a Langflow flow "
                                      "(a JSON object is expected)")


def test_a_folder_that_is_not_there_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="no such folder"):
        build_state(Settings(data_dir=tmp_path / "data", load_flows_path=tmp_path / "missing"))
