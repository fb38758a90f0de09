"""The /_mock control API: reset, scripts, journal and verify, faults, seeding, and its protection."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import copy_of_example, create_flow, new_api_key, other_user_key, start_server, stop_server


@pytest.fixture
def setup(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> tuple[TestClient, dict[str, str], str]:
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, chat_flow)["id"]


def run(client: TestClient, headers: dict[str, str], flow_id: str, text: str = "x", **body: Any) -> Any:
    return client.post(f"/api/v1/run/{flow_id}", json={"input_value": text, **body}, headers=headers)


def test_the_control_api_needs_a_superusers_key(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, _, _ = setup
    assert client.post("/_mock/reset").status_code == 403
    assert client.post("/_mock/reset", headers={"x-api-key": "sk-nope"}).status_code == 403


def test_the_control_api_can_be_turned_off(make_client: Callable[..., TestClient]) -> None:
    client = make_client(control_api=False)
    headers = {"x-api-key": new_api_key(client)}
    reset = client.post("/_mock/reset", headers=headers)  # just an unknown path now: 1.13's page, for any method
    assert (reset.status_code, reset.headers["content-type"].split(";")[0]) == (200, "text/html")
    page = client.get("/_mock/requests", headers=headers)  # the frontend catch-all's page, as for any path
    assert page.headers["content-type"].startswith("text/html")


def test_the_control_api_is_not_in_the_openapi_document(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, _, _ = setup
    assert not [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/_mock")]


def test_reset_everything_keeps_users_keys_and_examples(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    run(client, headers, flow_id)
    response = client.post("/_mock/reset", headers=headers)
    assert response.status_code == 200
    assert set(response.json()["reset"]) == {"flows", "files", "messages", "jobs", "scripts", "journal", "faults",
                                            "rate_limits", "variables", "mcp_servers", "authz"}
    assert client.get("/api/v1/flows/", params={"get_all": "false"}, headers=headers).json()["total"] == 0
    assert client.get("/api/v1/monitor/messages", headers=headers).json() == []
    assert client.get("/api/v1/flows/basic_examples/", headers=headers).json()  # examples stay
    journal = client.get("/_mock/requests", headers=headers).json()["requests"]
    assert journal[-1]["path"] == "/api/v1/flows/basic_examples/"  # the journal restarted too


def test_reset_reads_no_flows_graph(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """Reset deletes a test's flows by id without loading them (it decoded every graph, 0.45 ms a flow at
    every test's reset), so a flow whose stored graph cannot be read goes like any other."""
    client, headers, _ = setup
    create_flow(client, headers, {"name": "Unreadable"})
    db = client.app.state.mock.store.db  # type: ignore[attr-defined]
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE flow SET data = '{not json' WHERE name = 'Unreadable'")
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert client.get("/api/v1/flows/", params={"get_all": "false"}, headers=headers).json()["total"] == 0
    assert client.get("/api/v1/flows/basic_examples/", headers=headers).json()  # examples stay


def test_reset_one_part_only(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    run(client, headers, flow_id, session_id="keep-flow")
    response = client.post("/_mock/reset", json={"parts": ["messages"]}, headers=headers)
    assert response.json()["reset"] == ["messages"]
    assert client.get("/api/v1/monitor/messages", headers=headers).json() == []
    assert client.get(f"/api/v1/flows/{flow_id}", headers=headers).status_code == 200
    bad = client.post("/_mock/reset", params={"parts": "flows,nonsense"}, headers=headers)
    assert bad.status_code == 422 and "nonsense" in bad.json()["detail"]


def starter_state(client: TestClient, headers: dict[str, str]) -> tuple[list[dict[str, Any]], Any, dict[str, Any]]:
    """The user's projects, MCP server list, and the Starter Project's entry as stored (its key unmasked)."""
    me = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
    servers = client.app.state.mock.store.mcp.servers(UUID(me))  # type: ignore[attr-defined]
    return (client.get("/api/v1/projects/", headers=headers).json(),
            client.get("/api/v2/mcp/servers", headers=headers).json(), servers)


def test_reset_gives_the_starter_project_back_as_start_up_left_it(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A test's PATCH of the Starter Project (description, API-key auth, which 1.13 follows with a keyed MCP
    entry) and its own project (with its entry) are gone after a reset: the next test sees start-up's."""
    client, headers, _ = setup
    start = starter_state(client, headers)
    starter_id = start[0][0]["id"]
    assert start[0][0]["auth_settings"] is None  # auto-login on: no auth settings
    changed = client.patch(f"/api/v1/projects/{starter_id}", headers=headers,
                           json={"description": "changed by a test", "auth_settings": {"auth_type": "apikey"}})
    assert changed.status_code == 200
    assert "--headers" in starter_state(client, headers)[2]["lf-starter_project"]["args"]
    assert client.post("/api/v1/projects/", json={"name": "Other"}, headers=headers).status_code == 201
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert starter_state(client, headers) == start


def test_reset_without_auto_login_gives_the_starter_project_api_keys_again(
        make_client: Callable[..., TestClient]) -> None:
    """Auto-login off, a start gives the Starter Project API-key auth and a keyed entry; a test that turned its
    auth to "none" (its entry losing the key) leaves the next test the start-up one."""
    client = make_client(auto_login=False, superuser="admin", superuser_password="pw", api_key="sk-" + "A" * 43)
    headers = {"x-api-key": "sk-" + "A" * 43}
    projects, servers, _ = starter_state(client, headers)
    starter_id = projects[0]["id"]
    assert projects[0]["auth_settings"] == {"auth_type": "apikey"}
    changed = client.patch(f"/api/v1/projects/{starter_id}", headers=headers,
                           json={"description": "changed by a test", "auth_settings": {"auth_type": "none"}})
    assert changed.status_code == 200
    assert "--headers" not in starter_state(client, headers)[2]["lf-starter_project"]["args"]
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    after, listed, stored = starter_state(client, headers)
    assert after == projects and listed == servers
    args = stored["lf-starter_project"]["args"]
    assert args[-4:-1] == ["--headers", "x-api-key", args[-2]] and args[-2].startswith("sk-")
    assert args[-1].endswith(f"/{starter_id}/streamable")


def test_reset_names_a_renamed_starter_project_back_keeping_its_id(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A reset deleted a renamed Starter Project and left its MCP entry ("lf-renamed"), the user with no
    project; now the project keeps its id and gets its name, and its entry, back."""
    client, headers, _ = setup
    start = starter_state(client, headers)
    starter_id = start[0][0]["id"]
    parent = client.post("/api/v1/projects/", json={"name": "Parent"}, headers=headers).json()["id"]
    renamed = client.patch(f"/api/v1/projects/{starter_id}", headers=headers,
                           json={"name": "Renamed", "parent_id": parent})
    assert renamed.status_code == 200
    assert sorted(s["name"] for s in starter_state(client, headers)[1]) == ["lf-parent", "lf-renamed"]
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert starter_state(client, headers) == start
    assert client.get(f"/api/v1/projects/{starter_id}", headers=headers).json()["parent_id"] is None


def variables_of(client: TestClient, headers: dict[str, str]) -> dict[str, tuple[str, bool | None, Any]]:
    """{name: (type, has_value (1.13), default_fields)} of the caller's variables, as listed."""
    return {v["name"]: (v["type"], v.get("has_value"), v["default_fields"])
            for v in client.get("/api/v1/variables/", headers=headers).json()}


def run_value(client: TestClient, headers: dict[str, str], name: str) -> str | None:
    """The value a run of the caller's would read for its variable `name`."""
    me = UUID(client.get("/api/v1/users/whoami", headers=headers).json()["id"])
    return client.app.state.mock.store.users.variable_for_run(me, name)[0]  # type: ignore[attr-defined,no-any-return]


def test_reset_gives_back_the_variables_a_start_gives(make_client: Callable[..., TestClient],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A test's variable is gone after a reset (the next test may create one of that name again), and the start's
    come back as the start left them: a deleted environment Credential, with the value of the server's
    environment at its start, and an agentic Credential a test gave a value."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-at-start")
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    start = variables_of(client, headers)
    assert start["OPENAI_API_KEY"] == ("Credential", True, []) and start["FLOW_ID"] == ("Credential", False, [])
    ids = {v["name"]: v["id"] for v in client.get("/api/v1/variables/", headers=headers).json()}
    mine = {"name": "MY_SETTING", "value": "x", "type": "Generic", "default_fields": []}
    assert client.post("/api/v1/variables/", json=mine, headers=headers).status_code == 201
    assert client.delete(f"/api/v1/variables/{ids['OPENAI_API_KEY']}", headers=headers).status_code == 204
    assert client.patch(f"/api/v1/variables/{ids['FLOW_ID']}", json={"id": ids["FLOW_ID"], "value": "set"},
                        headers=headers).status_code == 200
    again = client.post("/api/v1/variables/", json=mine, headers=headers)
    assert (again.status_code, again.json()) == (400, {"detail": "Variable name already exists"})
    monkeypatch.setenv("OPENAI_API_KEY", "sk-changed-later")  # the start's value is the one given back
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert variables_of(client, headers) == start
    assert run_value(client, headers, "OPENAI_API_KEY") == "sk-at-start"
    assert client.post("/api/v1/variables/", json=mine, headers=headers).status_code == 201


@pytest.mark.parametrize(("version", "admin", "bob"), [
    pytest.param("1.13", ["ASTRA_TOKEN", "COMPONENT_ID", "FIELD_NAME", "FLOW_ID", "OPENAI_API_KEY"],
                 ["ASTRA_TOKEN", "COMPONENT_ID", "FIELD_NAME", "FLOW_ID", "OPENAI_API_KEY"], id="1.13"),
    pytest.param("1.8", ["OPENAI_API_KEY"], [], id="1.8"),
])
def test_reset_gives_a_user_made_since_the_start_what_a_new_user_and_a_start_give(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, version: str, admin: list[str],
        bob: list[str]) -> None:
    """1.13 gives a new user the agentic Credentials and its start stores the environment's for every user; 1.8
    gives a new user none and stores the environment's for its auto-login superuser only (a user gets them at
    its login, and gets them back at its next one)."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-at-start")
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    bob_headers = {"x-api-key": other_user_key(client, headers)}  # made, then logged in
    assert "OPENAI_API_KEY" in variables_of(client, bob_headers)  # from the environment, at the login
    assert client.post("/api/v1/variables/", json={"name": "BOBS", "value": "x", "type": "Generic",
                                                   "default_fields": []}, headers=bob_headers).status_code == 201
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert (sorted(variables_of(client, headers)), sorted(variables_of(client, bob_headers))) == (admin, bob)


def server_names(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [s["name"] for s in client.get("/api/v2/mcp/servers", headers=headers).json()]


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_reset_leaves_each_user_the_mcp_servers_the_start_left(make_client: Callable[..., TestClient],
                                                               version: str) -> None:
    """A server a test added goes, a project's entry stays (before 1.13 the list is a file, which the reset of
    the files no longer takes with it: the Starter Project's entry was lost), and the Starter Project's entry a
    test deleted comes back as a start writes it."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    start = client.get("/api/v2/mcp/servers/lf-starter_project", headers=headers).json()
    added = client.post("/api/v2/mcp/servers/weather", json={"command": "uvx", "args": ["weather-mcp"]},
                        headers=headers)
    assert added.status_code == 200
    assert server_names(client, headers) == ["lf-starter_project", "weather"]
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert server_names(client, headers) == ["lf-starter_project"]
    assert client.get("/api/v2/mcp/servers/lf-starter_project", headers=headers).json() == start
    assert client.post("/api/v2/mcp/servers/weather", json={"url": "http://example.test/mcp"},
                       headers=headers).status_code == 200  # the name is free again
    assert client.delete("/api/v2/mcp/servers/lf-starter_project", headers=headers).status_code == 200
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert server_names(client, headers) == ["lf-starter_project"]
    assert client.get("/api/v2/mcp/servers/lf-starter_project", headers=headers).json() == start


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_reset_writes_a_servers_file_a_test_broke_anew(make_client: Callable[..., TestClient], version: str) -> None:
    """Before 1.13 the list is the user's servers file: one a test uploaded that is no JSON (every server route a
    500) is written anew with the Starter Project's entry, and the test's other files go."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    start = client.get("/api/v2/mcp/servers", headers=headers).json()
    user_id = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
    for name, body in ((f"_mcp_servers_{user_id}.json", b"{not json"), ("notes.txt", b"n")):
        assert client.post("/api/v2/files", headers=headers,
                           files={"file": (name, body, "application/json")}).status_code == 201
    assert client.get("/api/v2/mcp/servers", headers=headers).status_code == 500
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert client.get("/api/v2/mcp/servers", headers=headers).json() == start
    assert client.get("/api/v2/files", headers=headers).json() == []


def test_reset_rewrites_the_starter_projects_entry_a_test_pointed_elsewhere(
        make_client: Callable[..., TestClient]) -> None:
    """Auto-login off, a start gives the Starter Project an entry with an API key; one a test pointed at another
    URL is no longer the project's: the reset removes it and writes the project's, keyed, as a start does."""
    client = make_client(auto_login=False, superuser="admin", superuser_password="pw", api_key="sk-" + "A" * 43)
    headers = {"x-api-key": "sk-" + "A" * 43}
    _, _, stored = starter_state(client, headers)
    url = stored["lf-starter_project"]["args"][-1]
    changed = client.patch("/api/v2/mcp/servers/lf-starter_project", headers=headers,
                           json={"command": "uvx", "args": ["mcp-proxy", "http://example.test/elsewhere"]})
    assert changed.status_code == 200
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    args = starter_state(client, headers)[2]["lf-starter_project"]["args"]
    assert args[-1] == url and args[-4:-2] == ["--headers", "x-api-key"] and args[-2].startswith("sk-")


def test_reset_empties_the_editor_configs_installs_wrote(make_client: Callable[..., TestClient]) -> None:
    """An install of the Starter Project (same id after a reset) into an editor is no longer reported installed
    to the next test."""
    client = make_client(mcp_clients=["cursor"])
    headers = {"x-api-key": new_api_key(client)}
    project = client.get("/api/v1/projects/", headers=headers).json()[0]["id"]
    path = f"/api/v1/mcp/project/{project}"
    here = TestClient(client.app, client=("127.0.0.1", 50000))  # an install is taken from the server's machine only
    assert here.post(f"{path}/install", headers=headers, json={"client": "cursor"}).status_code == 200
    assert here.get(f"{path}/installed", headers=headers).json()[0] == {"name": "cursor", "installed": True,
                                                                         "available": True}
    assert client.post("/_mock/reset", headers=headers).status_code == 200
    assert here.get(f"{path}/installed", headers=headers).json()[0] == {"name": "cursor", "installed": False,
                                                                         "available": True}


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_reset_of_variables_or_mcp_servers_alone(make_client: Callable[..., TestClient], version: str) -> None:
    """Each part goes alone: the variables leave the servers as they are and the other way round; the files
    (before 1.13 the server list is a file) leave both."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    mine = {"name": "MY_SETTING", "value": "x", "type": "Generic", "default_fields": []}
    assert client.post("/api/v1/variables/", json=mine, headers=headers).status_code == 201
    assert client.post("/api/v2/mcp/servers/weather", json={"command": "uvx", "args": ["weather-mcp"]},
                       headers=headers).status_code == 200
    for parts in (["files"], ["flows"]):
        assert client.post("/_mock/reset", json={"parts": parts}, headers=headers).json()["reset"] == parts
        assert "MY_SETTING" in variables_of(client, headers)
        assert server_names(client, headers) == ["lf-starter_project", "weather"]
    assert client.post("/_mock/reset", params={"parts": "variables"}, headers=headers).json()["reset"] == [
        "variables"]
    assert "MY_SETTING" not in variables_of(client, headers)
    assert server_names(client, headers) == ["lf-starter_project", "weather"]
    assert client.post("/api/v1/variables/", json=mine, headers=headers).status_code == 201
    assert client.post("/_mock/reset", params={"parts": "mcp_servers"}, headers=headers).json()["reset"] == [
        "mcp_servers"]
    assert server_names(client, headers) == ["lf-starter_project"]
    assert "MY_SETTING" in variables_of(client, headers)


def test_scripts_added_at_run_time_answer_and_can_be_cleared(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    flow = copy_of_example(client, headers, "Basic Prompting")
    added = client.post("/_mock/scripts", content="rules:\n  - match: {input: ping}\n    reply: pong\n",
                        headers=headers)
    assert added.status_code == 201 and len(added.json()["ids"]) == 1
    listed = client.get("/_mock/scripts", headers=headers).json()["rules"]
    assert listed[-1]["source"] == "api" and listed[-1]["reply"] == "pong"
    reply = run(client, headers, flow["id"], "ping").json()["outputs"][0]["outputs"][0]["results"]["message"]["text"]
    assert reply == "pong"
    assert client.get("/_mock/llm-calls", params={"flow": flow["id"]}, headers=headers).json()["calls"][-1][
        "reply"] == "pong"
    assert client.delete("/_mock/scripts", headers=headers).json() == {"removed": 1}


def test_a_bad_script_is_refused_with_where_and_what(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    script = "rules:\n  - {match: {input: a}, reply: A}\n  - match: {input: b}\n"
    response = client.post("/_mock/scripts", content=script, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "request body, line 3: rule: a rule needs one of reply, replies or error"


def test_the_journal_records_requests_without_secrets(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    run(client, headers, flow_id, "journaled", session_id="j1")
    entries = client.get("/_mock/requests", params={"path": "/api/v1/run/*", "session": "j1"},
                         headers=headers).json()["requests"]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["method"], entry["status"], entry["flow"]) == ("POST", 200, flow_id)
    assert json.loads(entry["body"]) == {"input_value": "journaled", "session_id": "j1"}
    assert entry["headers"]["x-api-key"] == "<redacted>"
    by_name = client.get("/_mock/requests", params={"flow": "contract-chat-io"}, headers=headers).json()["requests"]
    assert [e["path"] for e in by_name if e["method"] == "POST" and "/run/" in e["path"]] == [entry["path"]]


def test_a_refused_request_naming_a_lone_surrogate_session_is_journaled(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """The body is refused (422), but the journal read the session from it: the surrogate made the journal's
    row unstorable, and the writes committed with it were lost."""
    client, headers, flow_id = setup
    refused = client.post(f"/api/v1/run/{flow_id}", content=b'{"input_value": "x", "session_id": "\\ud800"}',
                          headers={**headers, "content-type": "application/json"})
    assert refused.status_code == 422
    entries = client.get("/_mock/requests", params={"path": "/api/v1/run/*"}, headers=headers).json()["requests"]
    assert [(e["status"], e["session_id"]) for e in entries] == [(422, "\\ud800")]


def test_verify_counts_matches_and_explains_near_misses(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    run(client, headers, flow_id, "hello")
    ok = client.post("/_mock/verify", json={"method": "POST", "path": f"/api/v1/run/{flow_id}",
                                            "json_body": {"input_value": "hello"}, "count": 1}, headers=headers)
    assert ok.json() == {"matched": 1, "expected": 1, "ok": True}
    missed = client.post("/_mock/verify", json={"method": "GET", "path": f"/api/v1/run/{flow_id}"},
                         headers=headers).json()
    assert (missed["matched"], missed["ok"]) == (0, False)
    assert missed["near_misses"][0]["differences"] == ["method POST != GET"]


def test_an_error_fault_answers_in_langflows_shape_for_the_next_request_only(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    added = client.post("/_mock/faults", json={"kind": "error", "status": 429, "route": "/api/v1/run/*",
                                               "count": 1, "retry_after": 7}, headers=headers)
    assert added.status_code == 201
    limited = run(client, headers, flow_id)
    assert (limited.status_code, limited.json(), limited.headers["retry-after"]) == (
        429, {"detail": "Too Many Requests"}, "7")
    assert run(client, headers, flow_id).status_code == 200
    assert client.get("/_mock/faults", headers=headers).json()["faults"][0]["remaining"] == 0


@pytest.mark.parametrize("status", [500, 503, 504])
def test_server_error_faults(setup: tuple[TestClient, dict[str, str], str], status: int) -> None:
    client, headers, flow_id = setup
    client.post("/_mock/faults", json={"kind": "error", "status": status, "flow": "contract-chat-io"},
                headers=headers)
    assert run(client, headers, flow_id).status_code == status
    assert client.get("/api/v1/version").status_code == 200  # another route is untouched


def test_a_latency_fault_delays_the_answer(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    client.post("/_mock/faults", json={"kind": "latency", "latency_ms": 150, "route": "/api/v1/version"},
                headers=headers)
    assert client.get("/api/v1/version").status_code == 200
    entry = client.get("/_mock/requests", params={"path": "/api/v1/version"}, headers=headers).json()["requests"][-1]
    assert entry["duration_ms"] >= 150 and entry["fault_id"] == 1


def test_a_fault_at_a_rate_hits_some_requests(make_client: Callable[..., TestClient]) -> None:
    client = make_client(random_seed=7)
    headers = {"x-api-key": new_api_key(client)}
    client.post("/_mock/faults", json={"kind": "error", "status": 503, "route": "/health", "rate": 0.5},
                headers=headers)
    statuses = [client.get("/health").status_code for _ in range(40)]
    assert 0 < statuses.count(503) < 40


def test_a_never_finish_fault_leaves_a_job_in_progress_until_stopped(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    client.post("/_mock/faults", json={"kind": "never_finish", "route": "/api/v2/workflows", "method": "POST",
                                       "count": 1}, headers=headers)
    job = client.post("/api/v2/workflows", json={"flow_id": flow_id, "input_value": "x", "mode": "background"},
                      headers=headers).json()["job_id"]
    time.sleep(0.3)
    assert client.get("/api/v2/workflows", params={"job_id": job}, headers=headers).json()["status"] == "in_progress"
    client.post("/api/v2/workflows/stop", json={"job_id": job}, headers=headers)
    assert client.get("/api/v2/workflows", params={"job_id": job}, headers=headers).json()["status"] == "cancelled"


def test_faults_are_listed_and_removed(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    fault_id = client.post("/_mock/faults", json={"kind": "drop", "route": "/nowhere"}, headers=headers).json()["id"]
    assert [f["id"] for f in client.get("/_mock/faults", headers=headers).json()["faults"]] == [fault_id]
    assert client.delete(f"/_mock/faults/{fault_id}", headers=headers).json() == {"removed": 1}
    assert client.delete(f"/_mock/faults/{fault_id}", headers=headers).status_code == 404
    bad = client.post("/_mock/faults", json={"kind": "latency"}, headers=headers)
    assert bad.status_code == 422


def test_seeding_a_langflow_export_through_the_api(setup: tuple[TestClient, dict[str, str], str],
                                                   chat_flow: dict[str, Any]) -> None:
    client, headers, _ = setup
    export = {"folder_name": "Seeded", "flows": [{**chat_flow, "name": "Seeded Chat", "endpoint_name": None}]}
    response = client.post("/_mock/seed", json={"export": export}, headers=headers)
    assert response.json() == {"flows": 1, "projects": 1}
    projects = {p["name"]: p["id"] for p in client.get("/api/v1/projects/", headers=headers).json()}
    seeded = client.get(f"/api/v1/projects/{projects['Seeded']}", headers=headers).json()["flows"]
    assert [f["name"] for f in seeded] == ["Seeded Chat"]


# --- on a real server: dropped connections and cut streams, seeding at start-up ------------------------


def test_a_drop_fault_closes_the_connection_without_an_answer(live_server: Any) -> None:
    with live_server.client() as http:
        http.post("/_mock/faults", json={"kind": "drop", "route": "/api/v1/version", "count": 1})
        with pytest.raises(httpx.HTTPError):
            http.get("/api/v1/version")
        assert http.get("/api/v1/version").status_code == 200


def test_a_stream_cut_after_n_events_is_seen_truncated(live_server: Any, chat_flow: dict[str, Any]) -> None:
    with live_server.client() as http:
        flow_id = http.post("/api/v1/flows/", json=chat_flow).json()["id"]
        http.post("/_mock/faults", json={"kind": "cut_stream", "route": "/api/v1/run/*", "after_events": 1,
                                         "count": 1})
        received = []
        with pytest.raises(httpx.HTTPError):
            with http.stream("POST", f"/api/v1/run/{flow_id}", params={"stream": "true"},
                             json={"input_value": "cut me"}) as response:
                assert response.status_code == 200
                for chunk in response.iter_text():
                    received.append(chunk)
        events = [json.loads(b) for b in "".join(received).split("\n\n") if b.strip()]
        assert [e["event"] for e in events] == ["add_message"]  # the user message, then nothing


def test_seed_folder_at_start_up(tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    seed = tmp_path / "seed"
    (seed / "Support").mkdir(parents=True)
    (seed / "chat.json").write_text(json.dumps({**chat_flow, "name": "Top Level"}))
    (seed / "Support" / "bot.json").write_text(json.dumps({**chat_flow, "name": "Support Bot",
                                                           "endpoint_name": "support"}))
    server = start_server(tmp_path / "data", "--seed", str(seed))
    try:
        with server.client() as http:
            listed = http.get("/api/v1/flows/", params={"remove_example_flows": "true"}).json()
            assert {f["name"] for f in listed} == {"Top Level", "Support Bot"}
            projects = {p["name"]: p["id"] for p in http.get("/api/v1/projects/").json()}
            in_support = http.get(f"/api/v1/projects/{projects['Support']}").json()["flows"]
            assert [f["name"] for f in in_support] == ["Support Bot"]
            page = http.get("/api/v1/flows/", params={"get_all": "false"}).json()["items"]
            assert [f["name"] for f in page] == ["Top Level"]  # a page holds the default project
    finally:
        stop_server(server)


def test_seeding_every_start_of_a_kept_data_dir_updates_instead_of_adding_copies(
        tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    """A Docker volume or a kept data dir with MOCK_LANGFLOW_SEED seeds at every start: each one used to add
    "Name (1)", "Name (2)", ... and "notes (1)"."""
    seed = tmp_path / "seed"
    (seed / "Support").mkdir(parents=True)
    (seed / "files").mkdir()
    exported_id = "3f1e7c52-6d0a-4f51-9d6e-0b8e3c1a2b4d"  # Langflow's exports carry the flow's id
    (seed / "exported.json").write_text(json.dumps({**chat_flow, "id": exported_id, "name": "Exported",
                                                    "endpoint_name": "exported", "description": "first"}))
    (seed / "Support" / "bot.json").write_text(json.dumps({**chat_flow, "name": "Support Bot", "endpoint_name": None,
                                                           "description": "first"}))
    (seed / "files" / "notes.txt").write_bytes(b"first notes")

    def state() -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, bytes]]]:
        with server.client() as http:
            flows = {f["name"]: (f["id"], f["description"])
                     for f in http.get("/api/v1/flows/", params={"remove_example_flows": "true"}).json()}
            files = [(f["id"], f["name"], http.get(f"/api/v2/files/{f['id']}").content)
                     for f in http.get("/api/v2/files").json()]
        return flows, files

    server = start_server(tmp_path / "data", "--seed", str(seed))
    try:
        flows, files = state()
    finally:
        stop_server(server)
    assert flows["Exported"] == (exported_id, "first") and set(flows) == {"Exported", "Support Bot"}
    assert [(name, content) for _, name, content in files] == [("notes", b"first notes")]
    for path in (seed / "exported.json", seed / "Support" / "bot.json"):
        path.write_text(path.read_text().replace('"first"', '"second"'))
    (seed / "files" / "notes.txt").write_bytes(b"second notes")
    for _ in range(2):
        server = start_server(tmp_path / "data", "--seed", str(seed))
        try:
            again, files_again = state()
        finally:
            stop_server(server)
        assert again == {name: (flow_id, "second") for name, (flow_id, _) in flows.items()}
        assert files_again == [(files[0][0], "notes", b"second notes")]


def test_seeding_the_same_export_twice_through_the_api_keeps_one_copy(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    client, headers, _ = setup
    export = {"folder_name": "Seeded", "flows": [{**chat_flow, "name": "Seeded Chat", "endpoint_name": None}]}
    assert client.post("/_mock/seed", json={"export": export}, headers=headers).json() == {"flows": 1, "projects": 1}
    assert client.post("/_mock/seed", json={"export": export}, headers=headers).json() == {"flows": 1, "projects": 0}
    projects = {p["name"]: p["id"] for p in client.get("/api/v1/projects/", headers=headers).json()}
    seeded = client.get(f"/api/v1/projects/{projects['Seeded']}", headers=headers).json()["flows"]
    assert [f["name"] for f in seeded] == ["Seeded Chat"]


@pytest.mark.parametrize(("method", "path", "body", "status", "says"), [
    # a journal query with a regular expression that is none (500 once the journal held a request)
    ("GET", "/_mock/requests?path=re:(", None, 422, "path is not a valid regular expression"),
    ("POST", "/_mock/verify", {"path": "re:("}, 422, "path is not a valid regular expression"),
    ("GET", "/_mock/requests?limit=-1", None, 422, "greater than or equal to 1"),  # was every entry but the first
    # faults past what can be stored or slept (500s), or infinite (stored, then GET /_mock/faults was a 500)
    ("POST", "/_mock/faults", {"kind": "drop", "count": 10**30}, 422, "less than or equal to 9223372036854775807"),
    ("POST", "/_mock/faults", "kind: latency\nlatency_ms: .inf\n", 422, "finite number"),
    ("POST", "/_mock/faults", {"kind": "latency", "latency_ms": 1e300}, 422, "less than or equal to 86400000"),
    ("DELETE", "/_mock/faults/99999999999999999999999", None, 404, "No fault 99999999999999999999999"),
])
def test_the_control_api_refuses_what_it_cannot_keep_and_stays_readable(
        setup: tuple[TestClient, dict[str, str], str], method: str, path: str, body: Any, status: int,
        says: str) -> None:
    client, headers, flow_id = setup
    assert run(client, headers, flow_id).status_code == 200  # the journal holds a request
    content = body if isinstance(body, str) else None
    answer = client.request(method, path, headers=headers, json=None if content else body, content=content)
    assert answer.status_code == status
    assert says in json.dumps(answer.json()["detail"])
    assert client.get("/_mock/faults", headers=headers).json() == {"faults": []}
    assert client.get("/_mock/requests", headers=headers).status_code == 200


@pytest.mark.parametrize(("script", "says"), [
    ("defaults:\n  stream:\n    first_token_delay_ms: 1180591620717411303424\n", "less than or equal to 86400000"),
    ("rules:\n  - reply: x\n    stream: {tokens_per_second: 1e-300}\n", "slower than one token a day"),
    ("jobs:\n  - run_ms: 1e300\n", "less than or equal to 86400000"),
    ("components:\n  - component: ChatOutput\n    delay: 1e12\n", "less than or equal to 86400"),
])
def test_a_script_that_waits_past_a_day_is_refused(setup: tuple[TestClient, dict[str, str], str], script: str,
                                                   says: str) -> None:
    """As a latency fault: past a day is a unit mistake or a wish never to finish (the never_finish fault).
    Before, the first such delay was taken and every run after it hung."""
    client, headers, flow_id = setup
    answer = client.post("/_mock/scripts", content=script, headers={**headers, "content-type": "application/yaml"})
    assert answer.status_code == 422
    assert says in answer.json()["detail"]
    assert run(client, headers, flow_id, "not held").status_code == 200


@pytest.mark.parametrize("script", [
    "defaults:\n  stream:\n    first_token_delay_ms: .inf\n",
    "rules:\n  - reply: x\n    stream: {tokens_per_second: .nan}\n",
    "jobs:\n  - queued_ms: .inf\n",
    "components:\n  - component: ChatOutput\n    delay: -.inf\n",
])
def test_a_script_with_an_infinity_is_refused_and_the_scripts_stay_usable(
        setup: tuple[TestClient, dict[str, str], str], script: str) -> None:
    """YAML's .inf and .nan were stored as null: every model call after it failed, GET /_mock/scripts was a 500
    and clearing the scripts broke the connection, until a reset."""
    client, headers, flow_id = setup
    answer = client.post("/_mock/scripts", content=script, headers={**headers, "content-type": "application/yaml"})
    assert answer.status_code == 422
    assert "finite number" in answer.json()["detail"]
    assert client.get("/_mock/scripts", headers=headers).status_code == 200
    assert client.delete("/_mock/scripts", params={"source": "all"}, headers=headers).status_code == 200
    assert run(client, headers, flow_id, "still fine").status_code == 200


@pytest.mark.parametrize("script", [
    'rules:\n  - reply: "half \\ud800 a character"\n',
    'rules:\n  - match: {input_contains: "\\udc00"}\n    reply: ok\n',
    'components:\n  - component: ChatOutput\n    output: "\\udfff"\n',
])
def test_a_script_with_a_lone_surrogate_is_refused(setup: tuple[TestClient, dict[str, str], str],
                                                    script: str) -> None:
    """YAML's "\\ud800" is a lone surrogate, which no message row can hold: the run after such a reply was a
    500, the writes batched with it were lost, and GET /_mock/scripts was a 500 until a reset."""
    client, headers, flow_id = setup
    answer = client.post("/_mock/scripts", content=script, headers={**headers, "content-type": "application/yaml"})
    assert answer.status_code == 422
    assert "lone surrogate" in answer.json()["detail"]
    assert client.get("/_mock/scripts", headers=headers).status_code == 200
    assert run(client, headers, flow_id, "still fine").status_code == 200


@pytest.mark.parametrize("script", [
    "rules: &a [*a]",  # a list that holds itself
    # nine lists of nine, six levels deep: 9**7 strings if each alias were followed again
    "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else ', '.join(['x'] * 9)}]\n" for n in range(7))
    + "rules: []\n",
])
def test_a_script_whose_yaml_aliases_loop_or_multiply_is_answered_at_once(
        setup: tuple[TestClient, dict[str, str], str], script: str) -> None:
    """The check for lone surrogates walked the self-holding list for ever (the request never came back)."""
    client, headers, _ = setup
    answer = client.post("/_mock/scripts", content=script, headers={**headers, "content-type": "application/yaml"})
    assert answer.status_code == 422, answer.text
    assert client.get("/_mock/scripts", headers=headers).status_code == 200


@pytest.mark.skipif(sys.platform != "linux", reason="other systems keep file names in Unicode")
def test_a_script_file_whose_name_is_not_utf8_loads(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """Its path was the rules' source as Python read it (with lone surrogates): the start failed in SQLite."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    Path(os.fsdecode(os.fsencode(folder) + b"/bot\xff.yaml")).write_text("rules:\n  - reply: from the odd file\n")
    client = make_client(scripts=[folder])
    rules = client.get("/_mock/scripts", headers={"x-api-key": new_api_key(client)}).json()["rules"]
    assert [r["source"] for r in rules if r.get("reply") == "from the odd file"] == [f"file:{folder}/bot\ufffd.yaml"]


@pytest.mark.parametrize("flows", [1.5, None, "a flow"])
def test_seeding_an_export_whose_flows_are_no_list_is_a_422(setup: tuple[TestClient, dict[str, str], str],
                                                            flows: Any) -> None:
    client, headers, _ = setup
    answer = client.post("/_mock/seed", json={"export": {"folder_name": "Seeded", "flows": flows}}, headers=headers)
    assert answer.status_code == 422  # 1.5 and null were 500s
    assert answer.json()["detail"] == "request body: flows is not a list of flows"


def test_seeding_a_damaged_zip_through_the_api_is_a_422(setup: tuple[TestClient, dict[str, str], str],
                                                        tmp_path: Path) -> None:
    (tmp_path / "export.zip").write_bytes(b"PK\x03\x04 but nothing after it")
    client, headers, _ = setup
    answer = client.post("/_mock/seed", json={"path": str(tmp_path / "export.zip")}, headers=headers)
    assert answer.status_code == 422 and "not a readable zip file" in answer.json()["detail"]


@pytest.mark.parametrize("path", ["/_mock/scripts", "/_mock/faults"])
def test_yaml_nested_too_deeply_is_a_422(setup: tuple[TestClient, dict[str, str], str], path: str) -> None:
    client, headers, _ = setup
    answer = client.post(path, content="- " * 3000 + "x", headers={**headers, "content-type": "application/yaml"})
    assert answer.status_code == 422 and "nested too deeply" in answer.json()["detail"]  # was a 500
