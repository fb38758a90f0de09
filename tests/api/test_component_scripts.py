"""Scripted custom components on every run path: /run, build, webhook and the v2 Workflow API; from script
files and from the control API; a scripted delay that a stop really cancels."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, load_json, new_api_key

CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"
SLOW = "CustomComponent-sL0w1"
WF = "/api/v2/workflows"

Setup = tuple[TestClient, dict[str, str]]


def slow_flow(delay: int = 0) -> dict[str, Any]:
    """Chat Input -> Slow Echo (custom code: sleeps `delay` s, then "slow echo: <input>") -> Chat Output."""
    flow = copy.deepcopy(load_json("flow_slow_echo.json"))
    node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
    node["data"]["node"]["template"]["delay"]["value"] = delay
    return flow


def scripted_client(make_client: Callable[..., TestClient], tmp_path: Path, component: str, output: str,
                    version: str | None = None) -> tuple[TestClient, dict[str, str]]:
    """A server (of `version`, else the default) whose script has `component` answer `output`, and a key's
    headers."""
    script = tmp_path / "component.yaml"
    script.write_text(f'components:\n  - component: {component}\n    output: "{output}"\n')
    extra = {"langflow_version": version} if version is not None else {}
    client = make_client(scripts=[script], job_latency_ms=0, **extra)
    return client, {"x-api-key": new_api_key(client)}


def webhook_slow_flow() -> dict[str, Any]:
    """Webhook -> Slow Echo -> Chat Output: the webhook fixture with the custom component put in between."""
    hook, slow = load_json("flow_webhook.json"), slow_flow()
    webhook = next(n for n in hook["data"]["nodes"] if n["id"].startswith("Webhook"))
    echo = next(n for n in slow["data"]["nodes"] if n["id"] == SLOW)
    echo["data"]["node"]["template"]["input_value"]["input_types"] = ["Data", "Message"]  # (it takes the Data too)
    output = next(n for n in hook["data"]["nodes"] if n["id"].startswith("ChatOutput"))

    def edge(source: str, output_name: str, target: str) -> dict[str, Any]:
        return {"source": source, "target": target,
                "data": {"sourceHandle": {"dataType": source.split("-")[0], "id": source, "name": output_name,
                                          "output_types": ["Data" if output_name == "output_data" else "Message"]},
                         "targetHandle": {"id": target, "fieldName": "input_value"}}}

    edges = [edge(webhook["id"], "output_data", SLOW), edge(SLOW, "message", output["id"])]
    return {"name": "Hook Echo", "endpoint_name": "hook-echo", "data": {"nodes": [webhook, echo, output],
                                                                        "edges": edges}}


@pytest.fixture
def scripted(make_client: Callable[..., TestClient]) -> Setup:
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    return client, {"x-api-key": new_api_key(client)}


def run_text(client: TestClient, headers: dict[str, str], flow: str, text: str, **body: Any) -> str:
    response = client.post(f"/api/v1/run/{flow}", json={"input_value": text, **body}, headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"])


def stored(client: TestClient, headers: dict[str, str], flow_id: str) -> list[tuple[str, str]]:
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    return [(m["sender"], m["text"]) for m in messages]


def test_run_answers_with_the_scripted_output(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, slow_flow())
    assert run_text(client, headers, flow["id"], "hi") == "slow echo: hi"
    assert stored(client, headers, flow["id"]) == [("User", "hi"), ("Machine", "slow echo: hi")]


def test_a_scripted_error_fails_the_run_as_a_raising_component(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, load_json("flow_boom.json"))
    response = client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hi"}, headers=headers)
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "Error running graph: Error building Component Boom: \n\ncontract boom: hi")


def test_build_events_carry_the_scripted_output(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, slow_flow())
    response = client.post(f"/api/v1/build/{flow['id']}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "built"}}, headers=headers)
    blocks = [json.loads(b) for b in response.text.strip().split("\n\n")]
    texts = [b["data"]["text"] for b in blocks if b["event"] == "add_message"]
    assert texts == ["built", "slow echo: built"]


def test_a_webhook_run_goes_through_the_scripted_component(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, webhook_slow_flow())
    assert client.post("/api/v1/webhook/hook-echo", json={"n": 1}, headers=headers).status_code == 202
    for _ in range(300):
        if stored(client, headers, flow["id"]):
            break
        time.sleep(0.01)
    [(sender, text)] = stored(client, headers, flow["id"])
    assert sender == "Machine" and text.startswith("slow echo: ```json") and '"n": 1' in text


def test_the_current_v2_workflow_api_runs_it_too(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, slow_flow())
    body = client.post(WF, json={"flow_id": flow["id"], "input_value": "v2"}, headers=headers).json()
    assert body["output"]["text"] == "slow echo: v2"


def test_without_a_script_a_custom_component_passes_its_input_through(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, slow_flow())
    assert run_text(client, headers, flow["id"], "unchanged") == "unchanged"


def test_control_api_components_win_over_files_and_can_be_cleared(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, slow_flow())
    script = {"components": [{"component": "Slow Echo", "output": "{input_value} in {session_id}"}]}
    assert client.post("/_mock/scripts", json=script, headers=headers).status_code == 201
    listed = client.get("/_mock/scripts", headers=headers).json()["components"]
    assert [(c["source"], c["component"]) for c in listed] == [
        (f"file:{CONTRACT_SCRIPT}", "SlowEcho"), (f"file:{CONTRACT_SCRIPT}", "Boom"), ("api", "Slow Echo")]
    assert run_text(client, headers, flow["id"], "hi", session_id="s1") == "hi in s1"
    client.delete("/_mock/scripts", headers=headers)
    assert run_text(client, headers, flow["id"], "hi") == "slow echo: hi"


def test_an_entry_for_another_flow_does_not_apply(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, slow_flow())
    other = {"components": [{"component": "SlowEcho", "flow": "some-other-flow", "output": "not here"},
                            {"component": "SlowEcho", "flow": "contract-slow", "output": "here: {delay}"}]}
    client.post("/_mock/scripts", json=other, headers=headers)
    assert run_text(client, headers, flow["id"], "hi") == "here: 0"


def test_a_stop_cancels_a_scripted_delay_and_the_reply_is_never_stored(scripted: Setup) -> None:
    client, headers = scripted
    flow = create_flow(client, headers, slow_flow(delay=60))
    job = client.post(WF, json={"flow_id": flow["id"], "input_value": "stop me", "mode": "background"},
                      headers=headers).json()["job_id"]
    running = client.app.state.mock.jobs.is_running  # type: ignore[attr-defined]
    for _ in range(300):  # until the Chat Input ran and the component is waiting
        if stored(client, headers, flow["id"]):
            break
        time.sleep(0.01)
    stopped = client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).json()
    assert stopped["message"] == f"Job {job} cancelled successfully."
    for _ in range(300):  # the component's 60 s wait was cancelled, not left to run out
        if not running(UUID(job)):
            break
        time.sleep(0.01)
    assert not running(UUID(job))
    assert client.get(WF, params={"job_id": job}, headers=headers).json()["status"] == "cancelled"
    assert stored(client, headers, flow["id"]) == [("User", "stop me")]


def test_the_v2_error_type_is_valueerror_whatever_the_component_raised(scripted: Setup) -> None:
    """Langflow's graph wraps a component's exception in ValueError("Error running graph: ..."), so a sync run's
    error_type names that wrapper, never the scripted class."""
    client, headers = scripted
    flow = create_flow(client, headers, load_json("flow_boom.json"))
    script = {"components": [{"component": "Boom", "error": {"type": "RuntimeError", "message": "no {input_value}"}}]}
    client.post("/_mock/scripts", json=script, headers=headers)
    body = client.post(WF, json={"flow_id": flow["id"], "input_value": "luck"}, headers=headers).json()
    assert body["errors"] == [{"error": "Error running graph: Error building Component Boom: \n\nno luck",
                               "code": "EXECUTION_ERROR",
                               "details": {"flow_id": flow["id"], "error_type": "ValueError"}}]


def builds_of(client: TestClient, headers: dict[str, str], flow_id: str, count: int) -> dict[str, Any]:
    """The flow's logged vertex builds once `count` vertices have one (a webhook runs after its 202)."""
    for _ in range(300):
        listed: dict[str, Any] = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id},
                                            headers=headers).json()["vertex_builds"]
        if len(listed) >= count:
            return listed
        time.sleep(0.01)
    raise AssertionError(f"expected {count} vertices with builds, got {listed}")


def test_a_run_logs_no_build_for_the_vertex_that_raised(scripted: Setup) -> None:
    """Langflow's graph loop logs the vertices built before the failure; the one that raised only in a flow with
    a webhook input (see the next test)."""
    client, headers = scripted
    flow = create_flow(client, headers, load_json("flow_boom.json"))
    assert client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hi"}, headers=headers).status_code == 500
    listed = builds_of(client, headers, flow["id"], 1)
    assert [(vertex, build["valid"]) for vertex, [build] in listed.items()] == [("ChatInput-aB1cD", True)]


def test_a_webhook_flow_logs_the_vertex_that_raised_as_an_invalid_build(scripted: Setup) -> None:
    """In a flow with a webhook input, Langflow's graph loop logs a raising vertex: invalid, its error text as
    params, no results, and its first output holding the error and its traceback."""
    client, headers = scripted
    flow = webhook_slow_flow()
    boom = next(n for n in load_json("flow_boom.json")["data"]["nodes"] if n["id"] == "CustomComponent-bO0m1")
    boom["data"]["node"]["template"]["input_value"]["input_types"] = ["Data", "Message"]  # (it takes the Data too)
    flow["data"]["nodes"][1] = boom
    for edge in flow["data"]["edges"]:
        for end in ("source", "target"):
            if edge[end] == SLOW:
                edge[end] = boom["id"]
                edge["data"]["sourceHandle" if end == "source" else "targetHandle"]["id"] = boom["id"]
    created = create_flow(client, headers, flow)
    assert client.post("/api/v1/webhook/hook-echo", json={"n": 1}, headers=headers).status_code == 202
    listed = builds_of(client, headers, created["id"], 2)
    assert sorted(listed) == ["CustomComponent-bO0m1", "Webhook-iJ3kL"]
    [failed] = listed["CustomComponent-bO0m1"]
    assert (failed["valid"], failed["artifacts"]) == (False, {})
    assert failed["params"].startswith("Error building Component Boom: \n\ncontract boom: ")
    assert failed["job_id"] == listed["Webhook-iJ3kL"][0]["job_id"]
    data = failed["data"]
    assert (data["results"], data["logs"], data["message"], data["timedelta"]) == ({}, {}, {}, None)
    [(name, output)] = data["outputs"].items()
    assert (name, output["type"], output["message"]["errorMessage"]) == ("message", "error", failed["params"])
    assert output["message"]["stackTrace"].startswith("Traceback (most recent call last):\n")


@pytest.mark.parametrize(("version", "url"), [("1.13", ""), ("1.8", "sqlite:///other.db")])
def test_a_request_variable_does_not_fill_a_protected_field_in_1_13(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str, url: str) -> None:
    """1.13 ignores a request's global variable (X-LANGFLOW-GLOBAL-VAR-*) for a field a tweak may not change (a
    SQL component's database_url): the field loads the user's variable, here none, so a /run leaves it empty; any
    other field takes the request's value. 1.8 fills both."""
    client, headers = scripted_client(make_client, tmp_path, "SQLComponent", "db={database_url} label={label}",
                                      version)
    flow = slow_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
    node["data"]["type"] = "SQLComponent"
    template = node["data"]["node"]["template"]
    for name in ("database_url", "label"):
        template[name] = {"name": name, "type": "str", "show": True, "value": "DB_URL", "load_from_db": True}
    flow_id = create_flow(client, headers, flow)["id"]
    text = run_text(client, {**headers, "X-LANGFLOW-GLOBAL-VAR-DB_URL": "sqlite:///other.db"}, flow_id, "q")
    assert text == f"db={url} label=sqlite:///other.db"


def test_a_runs_field_loads_the_users_variable_or_is_left_empty(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """A /run fills a field that loads a global variable from the user's variables; one the user does not hold
    (nor the server's environment) leaves it None, not the variable's name."""
    client, headers = scripted_client(make_client, tmp_path, "SlowEcho", "label={label}")
    flow = slow_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
    node["data"]["node"]["template"]["label"] = {"name": "label", "type": "str", "show": True, "value": "MY_LABEL",
                                                 "load_from_db": True}
    flow_id = create_flow(client, headers, flow)["id"]
    assert run_text(client, headers, flow_id, "q") == "label="
    made = client.post("/api/v1/variables/", json={"name": "MY_LABEL", "value": "stored", "type": "Generic",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    assert run_text(client, headers, flow_id, "q") == "label=stored"


def label_flow(client: TestClient, headers: dict[str, str], variable: str) -> str:
    """A stored Slow Echo flow whose `label` field loads the global variable `variable`; its id."""
    flow = slow_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
    node["data"]["node"]["template"]["label"] = {"name": "label", "type": "str", "show": True, "value": variable,
                                                 "load_from_db": True}
    return str(create_flow(client, headers, flow)["id"])


@pytest.mark.parametrize(("version", "guarded"), [("1.13", ""), ("1.8", "reserved")])
def test_a_runs_field_falls_back_to_the_servers_environment_variable(
        make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str,
        guarded: str) -> None:
    """A /run's field loading a global variable the user does not hold reads the server's environment variable
    of that exact name, at run time (LANGFLOW_FALLBACK_TO_ENV_VAR, on by default); the user's stored variable
    comes first. 1.13 reads a LANGFLOW_* (or DATABASE_URL...) name as unset; 1.8 reads any. The mock's own
    MOCK_LANGFLOW_* settings are never read."""
    client, headers = scripted_client(make_client, tmp_path, "SlowEcho", "label={label}", version)
    monkeypatch.setenv("VARS_TEST_LABEL", "from-env")
    monkeypatch.setenv("LANGFLOW_VARS_TEST", "reserved")
    monkeypatch.setenv("MOCK_LANGFLOW_VARS_TEST", "mock-setting")
    monkeypatch.delenv("VARS_TEST_UNSET", raising=False)
    answers = {name: run_text(client, headers, label_flow(client, headers, name), "q")
               for name in ("VARS_TEST_LABEL", "LANGFLOW_VARS_TEST", "MOCK_LANGFLOW_VARS_TEST", "VARS_TEST_UNSET")}
    assert answers == {"VARS_TEST_LABEL": "label=from-env", "LANGFLOW_VARS_TEST": f"label={guarded}",
                       "MOCK_LANGFLOW_VARS_TEST": "label=", "VARS_TEST_UNSET": "label="}
    flow_id = label_flow(client, headers, "VARS_TEST_LABEL")
    made = client.post("/api/v1/variables/", json={"name": "VARS_TEST_LABEL", "value": "stored", "type": "Generic",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    assert run_text(client, headers, flow_id, "q") == "label=stored"


def test_without_the_environment_fallback_a_runs_unknown_variable_fails_it(
        make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LANGFLOW_FALLBACK_TO_ENV_VAR=false: a /run whose field names a global variable the user does not hold
    fails as the component's error (500, "<name> variable not found."), even with the name set in the
    environment."""
    monkeypatch.setenv("LANGFLOW_FALLBACK_TO_ENV_VAR", "false")
    monkeypatch.setenv("VARS_TEST_LABEL", "from-env")
    client, headers = scripted_client(make_client, tmp_path, "SlowEcho", "label={label}")
    response = client.post(f"/api/v1/run/{label_flow(client, headers, 'VARS_TEST_LABEL')}",
                           json={"input_value": "q"}, headers=headers)
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "Error running graph: Error building Component Slow Echo: \n\nVARS_TEST_LABEL variable not found.")


def test_a_credential_fills_a_password_field_and_fails_a_text_field_in_1_13(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13: a Credential variable fills a password field (SecretStrInput, a Multiline one marked password) and
    the component runs; a StrInput field loading it fails the run with pydantic's field error."""
    client, headers = scripted_client(make_client, tmp_path, "SlowEcho", "ran")
    made = client.post("/api/v1/variables/", json={"name": "MY_KEY", "value": "sk-1", "type": "Credential",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201

    def flow_with(**fields: dict[str, Any]) -> str:
        flow = slow_flow()
        node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
        for name, entry in fields.items():
            node["data"]["node"]["template"][name] = {"name": name, "type": "str", "show": True, "value": "MY_KEY",
                                                      "load_from_db": True, **entry}
        return str(create_flow(client, headers, flow)["id"])

    secret = flow_with(api_key={"_input_type": "SecretStrInput", "password": True},
                       note={"_input_type": "MultilineInput", "password": True})
    assert run_text(client, headers, secret, "q") == "ran"
    response = client.post(f"/api/v1/run/{flow_with(label={'_input_type': 'StrInput'})}", json={"input_value": "q"},
                           headers=headers)
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "Error running graph: Error building Component Slow Echo: \n\n1 validation error for StrInput\nvalue\n  "
        "Value error, Cannot use a "
        "Credential-typed global variable in 'label'. Credential variables are only allowed in secret fields (API "
        "keys, tokens, etc.) to prevent the value from being exposed in component outputs, logs, or traces. Either "
        "select a Generic-typed variable, or change this variable's type to Generic if it is not actually sensitive. "
        "[type=value_error, input_value=SecretStr('**********'), input_type=SecretStr]\n    For further information "
        "visit https://errors.pydantic.dev/2.13/v/value_error")


@pytest.mark.parametrize(("version", "bound"), [("1.13", "bound"), ("1.8", "")])
def test_a_run_binds_a_variables_default_fields_to_empty_text_fields_in_1_13(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str, bound: str) -> None:
    """1.13's /run fills an empty, shown text field whose display name a user variable's default_fields list
    with that variable (as the frontend would on opening the flow); a field holding a value or hidden keeps it.
    1.8 binds nothing."""
    client, headers = scripted_client(make_client, tmp_path, "SlowEcho", "a={a} b={b} c={c}", version)
    made = client.post("/api/v1/variables/", json={"name": "LABEL_VAR", "value": "bound", "type": "Generic",
                                                   "default_fields": ["Label", "Kept", "Hidden"]}, headers=headers)
    assert made.status_code == 201
    flow = slow_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
    for name, shown, value, show in (("a", "Label", "", True), ("b", "Kept", "mine", True), ("c", "Hidden", "", False)):
        node["data"]["node"]["template"][name] = {"name": name, "display_name": shown, "type": "str", "show": show,
                                                  "value": value, "load_from_db": False}
    flow_id = create_flow(client, headers, flow)["id"]
    assert run_text(client, headers, flow_id, "q") == f"a={bound} b=mine c="


@pytest.mark.parametrize(("version", "shown"), [("1.13", "key=**********"), ("1.8", "key=sk-secret-1")])
def test_a_password_fields_value_is_masked_in_the_results_1_13_shows(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str, shown: str) -> None:
    """1.13 masks a component's password field value wherever its results show it, and in the results of the
    components it feeds (the Chat Output's /run result), while the stored chat message keeps the text. 1.8 masks
    nothing."""
    client, headers = scripted_client(make_client, tmp_path, "SlowEcho", "key={api_key}", version)
    flow = slow_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
    node["data"]["node"]["template"]["api_key"] = {"name": "api_key", "type": "str", "show": True, "password": True,
                                                   "_input_type": "SecretStrInput", "value": "sk-secret-1",
                                                   "load_from_db": False}
    flow_id = str(create_flow(client, headers, flow)["id"])
    assert run_text(client, headers, flow_id, "q") == shown
    assert stored(client, headers, flow_id)[-1] == ("Machine", "key=sk-secret-1")


TABLE_ROWS = [{"k": "TBL_VAR", "__load_from_db_fields": ["k"]}, {"__load_from_db_fields": {"k": False}, "k": "TBL_VAR"},
              {"k": "MISSING_VAR"}, {"k": "TBL_VAR"}]


@pytest.mark.parametrize(("version", "shown"), [
    ("1.13", "[{'k': 'v1'}, {'k': 'TBL_VAR'}, {'k': 'MISSING_VAR'}, {'k': 'v1'}]"),
    ("1.8", "[{'k': 'v1', '__load_from_db_fields': ['k']}, {'__load_from_db_fields': {'k': False}, 'k': 'v1'}, "
            "{'k': None}, {'k': 'v1'}]"),
], ids=["1.13", "1.8"])
def test_a_tables_load_from_db_column_cells_take_the_variables_they_name(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str, shown: str) -> None:
    """A table field whose schema marks a column load_from_db: each cell names a variable and takes its value.
    1.13 lets a row's __load_from_db_fields choose (a list, or {column: bool}; dropped from the row) and keeps a
    cell's text when a row does not say and no variable is found; 1.8 loads every cell (None when not found)."""
    client, headers = scripted_client(make_client, tmp_path, "SlowEcho", "{rows}", version)
    made = client.post("/api/v1/variables/", json={"name": "TBL_VAR", "value": "v1", "type": "Generic",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    flow = slow_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"] == SLOW)
    node["data"]["node"]["template"]["rows"] = {"name": "rows", "type": "table", "show": True, "value": TABLE_ROWS,
                                                "table_schema": [{"name": "k", "load_from_db": True}],
                                                "load_from_db": False}
    assert run_text(client, headers, str(create_flow(client, headers, flow)["id"]), "q") == shown
