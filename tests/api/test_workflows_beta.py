"""/api/v2/workflows as Langflow 1.8 answers it: the beta body {flow_id, background, stream, inputs}, dotted
inputs, background jobs, status and stop, the developer-API gate, auth and the 1.8 error shapes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import (
    LiveServer,
    create_flow,
    load_json,
    new_api_key,
    other_user_key,
    start_server,
    stop_server,
)

CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"
NIL = "00000000-0000-4000-8000-000000000000"
WF = "/api/v2/workflows"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")
DOC_INPUTS = {"ChatInput-aB1cD.input_type": "chat", "ChatInput-aB1cD.input_value": "what is 2+2",
              "ChatInput-aB1cD.session_id": "session-123"}
SINCE_V1_5 = ("Since v1.5, LANGFLOW_AUTO_LOGIN requires a valid API key. Set LANGFLOW_SKIP_AUTH_AUTO_LOGIN=true to "
              "skip this check. Please update your authentication method.")
DISABLED = {"detail": {"error": "Developer API disabled", "code": "DEVELOPER_API_DISABLED",
                       "message": "Developer API is not enabled. Contact administrator to enable this feature."}}


class Beta:
    """A Langflow 1.8 app with the developer API on and the contract's custom components scripted."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers
        self.chat = create_flow(client, headers, load_json("flow_chat_io.json"))["id"]

    def flow(self, name: str) -> str:
        return str(create_flow(self.client, self.headers, load_json(name))["id"])

    def post(self, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.client.post(WF, json=body, headers=self.headers if headers is None else headers)

    def run(self, inputs: dict[str, Any] | None = None, **body: Any) -> dict[str, Any]:
        response = self.post({"flow_id": self.chat, "inputs": inputs, **body})
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def status(self, job_id: str | None, **params: str) -> httpx.Response:
        query = {**({"job_id": job_id} if job_id is not None else {}), **params}
        return self.client.get(WF, params=query, headers=self.headers)

    def stop(self, body: Any) -> httpx.Response:
        return self.client.post(f"{WF}/stop", json=body, headers=self.headers)

    def wait(self, job_id: str, done: set[str]) -> dict[str, Any]:
        for _ in range(1000):
            response = self.status(job_id)
            if response.status_code != 200 or response.json()["status"] in done:
                return {"http": response.status_code, **response.json()}
            time.sleep(0.01)
        raise AssertionError(f"job {job_id} never reached {done}")

    def messages(self, **params: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.client.get("/api/v1/monitor/messages", params=params,
                                                      headers=self.headers).json()
        return found


def beta_app(make_client: Callable[..., TestClient], **settings: Any) -> Beta:
    client = make_client(langflow_version="1.8", scripts=[CONTRACT_SCRIPT], **settings)
    return Beta(client, {"x-api-key": new_api_key(client)})


@pytest.fixture
def beta(make_client: Callable[..., TestClient]) -> Beta:
    return beta_app(make_client, developer_api_enabled=True)


def content(answer: dict[str, Any]) -> Any:
    return answer["outputs"]["ChatOutput-eF2gH"]["content"]


# --- synchronous runs ----------------------------------------------------------------------------------


def test_a_sync_run_answers_the_terminal_outputs_and_echoes_the_inputs(beta: Beta) -> None:
    answer = beta.run(DOC_INPUTS, background=False)
    assert set(answer) == {"flow_id", "job_id", "object", "created_timestamp", "status", "errors", "inputs",
                           "outputs"}
    assert (answer["flow_id"], answer["object"], answer["status"], answer["errors"]) == (
        beta.chat, "response", "completed", [])
    assert answer["inputs"] == DOC_INPUTS
    assert answer["outputs"] == {"ChatOutput-eF2gH": {"type": "message", "status": "completed",
                                                      "content": "what is 2+2",
                                                      "metadata": {"component_type": "ChatOutput"}}}
    assert TIMESTAMP.fullmatch(answer["created_timestamp"])


def test_flow_id_is_a_uuid_or_an_endpoint_name_but_never_the_flow_name(beta: Beta) -> None:
    by_endpoint = beta.post({"flow_id": "contract-chat-io", "inputs": {"ChatInput-aB1cD.input_value": "e"}})
    assert (by_endpoint.json()["flow_id"], content(by_endpoint.json())) == ("contract-chat-io", "e")
    for unknown in ("Contract Chat IO", NIL, "flow_67ccd2be17f0819081ff3bb2cf6508e60bb6a6b452d3795b"):
        response = beta.post({"flow_id": unknown, "stream": True})
        assert response.status_code == 404  # before stream's 501
        assert response.json() == {"detail": {  # backend-only, 1.8's default: the detail stays wrapped
            "error": "Flow not found", "code": "FLOW_NOT_FOUND",
            "message": f"Flow '{unknown}' does not exist. Verify the flow_id and try again.", "flow_id": unknown}}


@pytest.mark.parametrize(("inputs", "expected"), [
    (None, ""),  # no input value at all: the Chat Input's saved (empty) one
    ({}, ""),
    ({"Chat Input.input_value": "by display name"}, "by display name"),
    ({"ChatInput.input_value": "by type name"}, ""),
    ({"NoSuchNode-zzz.foo": "bar", "ChatInput-aB1cD.input_value": "known"}, "known"),
    ({"ChatInput-aB1cD.no_such_param": 1, "ChatInput-aB1cD.input_value": "unknown param"}, "unknown param"),
    ({"input_value": "top-level scalar", "session_id": "scalar-sess"}, ""),
    ({"ChatInput-aB1cD.input_value.extra": "nested"}, ""),
    ({"ChatInput-aB1cD": {"input_value": "dict style"}}, "dict style"),
    ({"ChatInput-aB1cD.code": "raise SystemExit", "ChatInput-aB1cD.input_value": "code ignored"}, "code ignored"),
    ({"ChatInput-abc.input_value": "the docs' node id"}, ""),
])
def test_dotted_inputs_reach_components_by_id_or_display_name(beta: Beta, inputs: dict[str, Any] | None,
                                                              expected: str) -> None:
    answer = beta.run(inputs)
    assert (answer["status"], content(answer), answer["inputs"]) == ("completed", expected, inputs or {})


def test_the_first_session_id_key_is_the_run_session_for_every_component(beta: Beta) -> None:
    beta.run({"ChatOutput-eF2gH.session_id": "first", "ChatInput-aB1cD.session_id": "second",
              "ChatInput-aB1cD.input_value": "two sessions"})
    beta.run({"ChatInput-aB1cD": {"input_value": "dict", "session_id": "dict-sess"}})
    beta.run({"ChatInput-abc.session_id": "docs-sess"})  # an unknown component still names the session
    sessions = beta.client.get("/api/v1/monitor/messages/sessions", params={"flow_id": beta.chat},
                               headers=beta.headers).json()
    assert sessions == ["first", beta.chat, "docs-sess"]
    assert [m["text"] for m in beta.messages(session_id="first")] == ["two sessions", "two sessions"]


def test_other_params_are_applied(beta: Beta) -> None:
    beta.run({"ChatInput-aB1cD.input_value": "x", "ChatOutput-eF2gH.sender_name": "DocBot"})
    assert beta.messages(flow_id=beta.chat)[-1]["sender_name"] == "DocBot"


def test_a_component_failure_is_a_200_with_status_failed(beta: Beta) -> None:
    boom = beta.flow("flow_boom.json")
    answer = beta.post({"flow_id": boom, "inputs": {"ChatInput-aB1cD.input_value": "sync boom"}}).json()
    assert (answer["status"], answer["outputs"], answer["inputs"]) == (
        "failed", {}, {"ChatInput-aB1cD.input_value": "sync boom"})
    assert answer["errors"] == [{"error": "Error running graph: Error building Component Boom: \n\ncontract boom: "
                                          "sync boom", "code": "EXECUTION_ERROR",
                                 "details": {"flow_id": boom, "error_type": "ValueError"}}]


def test_the_error_type_is_valueerror_whatever_the_component_raised(beta: Beta) -> None:
    """1.8's graph wraps a component's exception in a ValueError, whose class is the error_type."""
    boom = beta.flow("flow_boom.json")
    script = {"components": [{"component": "Boom", "error": {"type": "RuntimeError", "message": "no luck"}}]}
    beta.client.post("/_mock/scripts", json=script, headers=beta.headers)
    answer = beta.post({"flow_id": boom, "inputs": {"ChatInput-aB1cD.input_value": "x"}}).json()
    assert answer["errors"] == [{"error": "Error running graph: Error building Component Boom: \n\nno luck",
                                 "code": "EXECUTION_ERROR", "details": {"flow_id": boom, "error_type": "ValueError"}}]


def test_a_number_for_the_chat_input_fails_the_run(beta: Beta) -> None:
    answer = beta.run({"ChatInput-aB1cD.input_value": 42})
    assert answer["status"] == "failed"
    assert answer["errors"][0]["error"] == ("Error running graph: Error building Component Chat Input: \n\nThe "
                                            "message does not have the required fields (text, sender, sender_name).")


def test_a_slow_custom_component_takes_its_scripted_time(beta: Beta) -> None:
    slow = beta.flow("flow_slow_echo.json")
    answer = beta.post({"flow_id": slow, "inputs": {"ChatInput-aB1cD.input_value": "slow sync",
                                                    "CustomComponent-sL0w1.delay": 0}}).json()
    assert content(answer) == "slow echo: slow sync"


def test_a_flow_without_data(beta: Beta) -> None:
    empty = create_flow(beta.client, beta.headers, {"name": "Empty"})["id"]
    sync = beta.post({"flow_id": empty, "inputs": {}})
    assert (sync.status_code, sync.json()) == (400, {"detail": {
        "error": "Workflow validation error", "code": "INVALID_FLOW_DATA",
        "message": f"Flow {empty} has no data. The flow may be corrupted.", "flow_id": empty}})
    background = beta.post({"flow_id": empty, "background": True})
    assert (background.status_code, background.json()) == (500, {"detail": {
        "error": "Internal server error", "code": "INTERNAL_SERVER_ERROR",
        "message": f"An unexpected error occurred: Flow {empty} has no data", "flow_id": empty}})


def test_a_graph_lacking_a_part_is_refused_before_any_job(beta: Beta, chat_flow: dict[str, Any]) -> None:
    """1.8 makes the graph in the request in both modes (process_tweaks, then Graph.from_payload; 1.8's loader
    reads every edge's handles first): a sync run wraps the error as "Failed to build graph from flow data: ..."
    (a 400), a background submit answers it with its catch-all 500, before any job exists."""
    chat_flow["data"]["edges"] = [{"source": e["source"], "target": e["target"]} for e in chat_flow["data"]["edges"]]
    broken = create_flow(beta.client, beta.headers, chat_flow)["id"]
    text = "Error while creating graph from payload: 'data'"
    sync = beta.post({"flow_id": broken, "inputs": {}})
    assert (sync.status_code, sync.json()) == (400, {"detail": {
        "error": "Workflow validation error", "code": "INVALID_FLOW_DATA",
        "message": f"Failed to build graph from flow data: {text}", "flow_id": broken}})
    background = beta.post({"flow_id": broken, "background": True})
    assert (background.status_code, background.json()) == (500, {"detail": {
        "error": "Internal server error", "code": "INTERNAL_SERVER_ERROR",
        "message": f"An unexpected error occurred: {text}", "flow_id": broken}})
    assert beta.client.get("/api/v1/monitor/messages", params={"flow_id": broken},
                           headers=beta.headers).json() == []


def test_stream_true_is_not_implemented(beta: Beta) -> None:
    response = beta.post({"flow_id": beta.chat, "stream": True, "inputs": DOC_INPUTS},
                         headers={**beta.headers, "accept": "text/event-stream"})
    assert (response.status_code, response.json()) == (501, {"detail": {
        "error": "Not implemented", "code": "NOT_IMPLEMENTED", "message": "Streaming execution not yet implemented"}})


# --- request validation --------------------------------------------------------------------------------


def test_both_background_and_stream_is_a_body_error(beta: Beta) -> None:
    body = {"flow_id": beta.chat, "background": True, "stream": True}
    response = beta.post(body)
    assert (response.status_code, response.json()) == (422, {"detail": [{
        "type": "value_error", "loc": ["body"], "msg": "Value error, Both 'background' and 'stream' cannot be True",
        "input": body, "ctx": {"error": {}}}]})


@pytest.mark.parametrize(("extra", "items"), [
    ({"flow_version": "abc123"}, [("extra_forbidden", ["body", "flow_version"])]),
    ({"tweaks": {"ChatOutput-eF2gH": {"sender_name": "X"}}}, [("extra_forbidden", ["body", "tweaks"])]),
    ({"input_value": "x", "mode": "sync"}, [("extra_forbidden", ["body", "input_value"]),
                                            ("extra_forbidden", ["body", "mode"])]),
    ({"background": "maybe"}, [("bool_parsing", ["body", "background"])]),
    ({"flow_id": None}, [("string_type", ["body", "flow_id"])]),
    ({"flow_id": 123}, [("string_type", ["body", "flow_id"])]),
    ({"inputs": "what is 2+2"}, [("dict_type", ["body", "inputs"])]),
    ({"inputs": [{"ChatInput-aB1cD.input_value": "x"}]}, [("dict_type", ["body", "inputs"])]),
])
def test_the_body_is_validated_strictly(beta: Beta, extra: dict[str, Any], items: list[tuple[str, list[str]]]
                                        ) -> None:
    response = beta.post({"flow_id": beta.chat, **extra})
    assert response.status_code == 422
    assert [(i["type"], i["loc"]) for i in response.json()["detail"]] == items
    assert all("input" in i for i in response.json()["detail"])  # 1.8 keeps pydantic's input


def test_booleans_are_lax(beta: Beta) -> None:
    assert beta.post({"flow_id": beta.chat, "background": "yes"}).json()["object"] == "job"


def test_bodies_that_are_not_an_object(beta: Beta) -> None:
    listed = beta.post([{"flow_id": beta.chat}]).json()["detail"]
    assert [(i["type"], i["loc"]) for i in listed] == [("model_attributes_type", ["body"])]
    text = beta.client.post(WF, content=b'{"flow_id": "x"}', headers={**beta.headers, "content-type": "text/plain"})
    assert text.json()["detail"][0]["input"] == '{"flow_id": "x"}'
    empty = beta.client.post(WF, headers=beta.headers)
    assert empty.json() == {"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}
    broken = beta.client.post(WF, content=b'{"flow_id": ', headers={**beta.headers, "content-type": "application/json"})
    assert broken.json() == {"detail": [{"type": "json_invalid", "loc": ["body", 12], "msg": "JSON decode error",
                                         "input": {}, "ctx": {"error": "Expecting value"}}]}


# --- routes --------------------------------------------------------------------------------------------


def test_only_the_three_routes_exist(beta: Beta) -> None:
    assert beta.client.get(f"{WF}/pending", headers=beta.headers).status_code == 404
    assert beta.client.get(f"{WF}/{NIL}/events", headers=beta.headers).status_code == 404
    slash = beta.client.post(f"{WF}/", json={"flow_id": beta.chat}, headers=beta.headers, follow_redirects=False)
    assert (slash.status_code, slash.headers["location"]) == (307, f"http://testserver{WF}")
    for method, path in (("DELETE", WF), ("GET", f"{WF}/stop")):
        response = beta.client.request(method, path, headers=beta.headers)
        assert (response.status_code, response.headers["allow"]) == (405, "POST")


def test_answers_are_never_gzipped(beta: Beta) -> None:
    response = beta.client.post(WF, json={"flow_id": beta.chat, "inputs": {"ChatInput-aB1cD.input_value": "z" * 2000}},
                                headers={**beta.headers, "Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers


# --- auth and the developer-API gate -------------------------------------------------------------------


def test_an_api_key_is_required_in_the_header_or_the_query(beta: Beta) -> None:
    body = {"flow_id": beta.chat, "inputs": {"ChatInput-aB1cD.input_value": "q"}}
    assert beta.post(body, headers={}).json() == {"detail": SINCE_V1_5}
    assert beta.post({"nope": 1}, headers={}).status_code == 403  # the key before the body
    assert beta.post(body, headers={"x-api-key": "sk-invalid-000"}).json() == {"detail": "Invalid or missing API key"}
    token = beta.client.get("/api/v1/auto_login").json()["access_token"]
    beta.client.cookies.clear()
    assert beta.post(body, headers={"Authorization": f"Bearer {token}"}).status_code == 403
    in_query = beta.client.post(WF, params={"x-api-key": beta.headers["x-api-key"]}, json=body)
    assert content(in_query.json()) == "q"
    assert beta.client.get(WF, params={"job_id": NIL}).json() == {"detail": SINCE_V1_5}
    assert beta.client.post(f"{WF}/stop", json={"job_id": NIL}).json() == {"detail": SINCE_V1_5}


def test_skip_auth_lifts_the_key_requirement_but_a_wrong_key_is_still_refused(
        make_client: Callable[..., TestClient]) -> None:
    beta = beta_app(make_client, developer_api_enabled=True, skip_auth_auto_login=True)
    body = {"flow_id": beta.chat, "inputs": {"ChatInput-aB1cD.input_value": "doc body"}}
    assert content(beta.post(body, headers={}).json()) == "doc body"
    assert beta.post(body, headers={"x-api-key": "sk-invalid-000"}).status_code == 403


def test_without_auto_login_the_key_texts_change(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8", developer_api_enabled=True, auto_login=False,
                         superuser="admin", superuser_password="admin", api_key="sk-" + "A" * 43)
    response = client.post(WF, json={"flow_id": NIL})
    assert (response.status_code, response.json()) == (403, {"detail": "An API key must be passed as query or header"})


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", WF, {"flow_id": NIL, "background": True, "stream": True}),
    ("POST", WF, {"nope": 1}),
    ("GET", f"{WF}?job_id=not-a-uuid", None),
    ("GET", WF, None),
    ("POST", f"{WF}/stop", {}),
])
def test_with_the_developer_api_off_every_call_is_refused_first(make_client: Callable[..., TestClient], method: str,
                                                               path: str, body: Any) -> None:
    beta = beta_app(make_client)  # LANGFLOW_DEVELOPER_API_ENABLED defaults to false, as in Langflow 1.8
    for headers in (beta.headers, {}, {"x-api-key": "sk-invalid-000"}):
        response = beta.client.request(method, path, json=body, headers=headers)
        assert (response.status_code, response.json()) == (403, DISABLED)


def test_with_the_developer_api_off_malformed_json_and_unknown_paths_keep_their_answers(
        make_client: Callable[..., TestClient]) -> None:
    beta = beta_app(make_client)
    broken = beta.client.post(WF, content=b"{", headers={**beta.headers, "content-type": "application/json"})
    assert (broken.status_code, broken.json()["detail"][0]["type"]) == (422, "json_invalid")
    assert beta.client.get(f"{WF}/pending", headers=beta.headers).status_code == 404
    assert beta.client.post("/api/v1/run/contract-chat-io", json={"input_value": "v1"},
                            headers=beta.headers).status_code == 200


def test_the_current_api_has_no_gate(make_client: Callable[..., TestClient]) -> None:
    client = make_client()  # 1.13: the flag does nothing
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, load_json("flow_chat_io.json"))["id"]
    assert client.post(WF, json={"flow_id": flow, "input_value": "x"}, headers=headers).status_code == 200


# --- background jobs, status and stop ------------------------------------------------------------------


def test_a_background_job_is_in_progress_then_completed(make_client: Callable[..., TestClient]) -> None:
    # in progress for three seconds at least, so the first poll sees it running even on a loaded machine (one
    # second was not enough beside a long fuzz run)
    beta = beta_app(make_client, developer_api_enabled=True, job_latency_ms=3000)
    inputs = {**DOC_INPUTS, "ChatInput-aB1cD.input_value": "Process this in the background"}
    submitted = beta.post({"flow_id": "contract-chat-io", "background": True, "stream": False, "inputs": inputs})
    assert submitted.status_code == 200
    job = submitted.json()["job_id"]
    assert submitted.json() == {"job_id": job, "flow_id": "contract-chat-io", "object": "job",
                                "created_timestamp": submitted.json()["created_timestamp"], "status": "queued",
                                "links": {"status": f"{WF}?job_id={job}", "stop": f"{WF}/stop"}, "errors": []}
    running = beta.status(job).json()
    assert (running["object"], running["status"], running["flow_id"]) == ("job", "in_progress", beta.chat)
    done = beta.wait(job, {"completed"})
    assert (done["object"], done["flow_id"], done["inputs"], content(done)) == (
        "response", beta.chat, {}, "Process this in the background")
    again = beta.status(job, stream="true", sequence_id="0").json()  # the docs' parameters change nothing
    assert again["outputs"] == done["outputs"] and TIMESTAMP.fullmatch(again["created_timestamp"])


def test_a_sync_runs_job_id_can_be_polled_and_stopped(beta: Beta) -> None:
    job = beta.run({"ChatInput-aB1cD.input_value": "sync job lookup"})["job_id"]
    polled = beta.status(job).json()
    assert (polled["object"], polled["status"], polled["inputs"], content(polled)) == (
        "response", "completed", {}, "sync job lookup")
    assert beta.stop({"job_id": job}).json() == {"job_id": job, "message": f"Job {job} cancelled successfully."}
    assert beta.status(job).json()["status"] == "cancelled"


@pytest.mark.parametrize("background", [False, True])
def test_a_runs_vertex_builds_hold_each_vertexs_result_under_the_job_id(beta: Beta, background: bool) -> None:
    """1.8 runs a v2 job through the graph's own loop, as /run does: /monitor/builds lists each vertex under the
    job's id holding its result (component_id, messages), not the build loop's build data (its `message`)."""
    job = beta.post({"flow_id": beta.chat, "background": background,
                     "inputs": {"ChatInput-aB1cD.input_value": "logged"}}).json()["job_id"]
    beta.wait(job, {"completed"})
    builds = beta.client.get("/api/v1/monitor/builds", params={"flow_id": beta.chat},
                             headers=beta.headers).json()["vertex_builds"]
    assert sorted(builds) == ["ChatInput-aB1cD", "ChatOutput-eF2gH"]
    for vertex_id, [build] in builds.items():
        assert (build["job_id"], build["valid"], build["data"]["component_id"]) == (job, True, vertex_id)
        assert "message" not in build["data"]
    assert builds["ChatOutput-eF2gH"][0]["data"]["messages"][0]["message"] == "logged"


def test_a_failed_job_reads_as_a_500_until_it_is_stopped(beta: Beta) -> None:
    boom = beta.flow("flow_boom.json")
    job = beta.post({"flow_id": boom, "background": True, "inputs": {"ChatInput-aB1cD.input_value": "bg"}}).json()
    failed = beta.wait(job["job_id"], {"failed"})
    assert failed == {"http": 500, "detail": {"error": "Job failed", "code": "JOB_FAILED",
                                              "message": f"Job {job['job_id']} has failed execution.",
                                              "job_id": job["job_id"]}}
    sync_job = beta.post({"flow_id": boom, "inputs": {}}).json()["job_id"]
    assert beta.status(sync_job).status_code == 500
    assert beta.stop({"job_id": job["job_id"]}).json()["message"] == f"Job {job['job_id']} cancelled successfully."
    after = beta.status(job["job_id"]).json()
    assert (after["object"], after["status"]) == ("job", "cancelled")


def test_stopping_a_finished_job_flips_it_to_cancelled_once(beta: Beta) -> None:
    job = beta.post({"flow_id": beta.chat, "background": True}).json()["job_id"]
    beta.wait(job, {"completed"})
    assert beta.stop({"job_id": job, "force": True}).json()["message"] == f"Job {job} cancelled successfully."
    assert beta.status(job).json()["status"] == "cancelled"
    assert beta.stop({"job_id": job}).json() == {"job_id": job, "message": f"Job {job} is already cancelled."}


def test_another_users_flow_and_jobs_are_found_by_id(beta: Beta) -> None:
    """1.8.4's get_flow_by_id_or_endpoint_name finds a flow by id whoever owns it (by endpoint name only the
    caller's), and the status and stop routes look a job up by its id alone (workflow.py: get_job_by_job_id
    without the user)."""
    bob = {"x-api-key": other_user_key(beta.client, beta.headers)}
    ran = beta.post({"flow_id": beta.chat, "inputs": {"ChatInput-aB1cD.input_value": "bob's run"}}, headers=bob)
    assert (ran.status_code, ran.json()["status"], content(ran.json())) == (200, "completed", "bob's run")
    by_name = beta.post({"flow_id": "contract-chat-io"}, headers=bob)
    assert (by_name.status_code, by_name.json()["detail"]["code"]) == (404, "FLOW_NOT_FOUND")
    job = beta.run({"ChatInput-aB1cD.input_value": "the owner's run"})["job_id"]
    polled = beta.client.get(WF, params={"job_id": job}, headers=bob)
    assert (polled.status_code, content(polled.json())) == (200, "the owner's run")
    stopped = beta.client.post(f"{WF}/stop", json={"job_id": job}, headers=bob)
    assert stopped.json() == {"job_id": job, "message": f"Job {job} cancelled successfully."}
    assert beta.status(job).json()["status"] == "cancelled"


def test_status_errors(beta: Beta) -> None:
    missing = beta.status(None)
    assert (missing.status_code, missing.json()) == (400, {"detail": {
        "error": "Missing required parameter", "code": "MISSING_PARAMETER", "message": "Job ID must be provided"}})
    for bad in ("", "job_id_1234567890"):
        response = beta.status(bad)
        assert (response.status_code, response.json()) == (422, {"detail": [{
            "type": "value_error", "loc": ["query", "job_id"], "msg": "Value error, Invalid job_id, must be a UUID",
            "input": bad, "ctx": {"error": {}}}]})
    unknown = beta.status(NIL)
    assert (unknown.status_code, unknown.json()) == (404, {"detail": {
        "error": "Workflow job not found", "code": "JOB_NOT_FOUND", "message": f"Workflow job {NIL} not found",
        "job_id": NIL}})


def test_stop_errors(beta: Beta) -> None:
    unknown = beta.stop({"job_id": NIL})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": {
        "error": "Job not found", "code": "JOB_NOT_FOUND", "message": f"Job {NIL} not found", "job_id": NIL}})
    for bad in (None, "job_id_1234567890"):
        response = beta.stop({"job_id": bad})
        assert response.json() == {"detail": [{"type": "value_error", "loc": ["body", "job_id"],
                                               "msg": "Value error, Invalid job_id, must be a UUID", "input": bad,
                                               "ctx": {"error": {}}}]}
    assert beta.stop({}).json()["detail"][0]["type"] == "missing"


def test_with_the_frontend_served_404s_lose_their_wrapper(make_client: Callable[..., TestClient]) -> None:
    beta = beta_app(make_client, developer_api_enabled=True, backend_only=False)
    assert beta.post({"flow_id": NIL}).json()["code"] == "FLOW_NOT_FOUND"
    assert beta.status(NIL).json()["error"] == "Workflow job not found"
    assert beta.stop({"job_id": NIL}).json()["error"] == "Job not found"
    assert beta.status(None).json()["detail"]["code"] == "MISSING_PARAMETER"  # other statuses keep it


# --- a real server: a slow component, polled and stopped ------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(tmp_path / "live", "--langflow-version", "1.8", "--scripts", str(CONTRACT_SCRIPT),
                        env={"LANGFLOW_DEVELOPER_API_ENABLED": "true"})
    yield live
    stop_server(live)


def poll(http: httpx.Client, job: str, until: Callable[[httpx.Response], bool]) -> httpx.Response:
    for _ in range(2000):
        response = http.get(WF, params={"job_id": job})
        if until(response):
            return response
        time.sleep(0.01)
    raise AssertionError(f"job {job}: {response.status_code} {response.text}")


def test_a_slow_job_runs_then_completes_and_a_stopped_one_never_answers(server: LiveServer) -> None:
    with server.client() as http:
        slow = http.post("/api/v1/flows/", json=load_json("flow_slow_echo.json")).json()["id"]

        def submit(text: str, delay: float) -> str:
            body = {"flow_id": slow, "background": True,
                    "inputs": {"ChatInput-aB1cD.input_value": text, "CustomComponent-sL0w1.delay": delay}}
            return str(http.post(WF, json=body).json()["job_id"])

        finishing = submit("slow bg", 2)  # seconds: the first poll finds it running even on a loaded machine
        assert http.get(WF, params={"job_id": finishing}).json()["status"] == "in_progress"
        done = poll(http, finishing, lambda r: r.json()["status"] != "in_progress").json()
        assert (done["status"], done["outputs"]["ChatOutput-eF2gH"]["content"]) == ("completed", "slow echo: slow bg")

        stopped = submit("stop me", 30)
        poll(http, stopped, lambda r: r.json()["status"] == "in_progress")
        assert http.post(f"{WF}/stop", json={"job_id": stopped}).json()["message"] == (
            f"Job {stopped} cancelled successfully.")
        assert http.get(WF, params={"job_id": stopped}).json()["status"] == "cancelled"
        texts = [m["text"] for m in http.get("/api/v1/monitor/messages", params={"flow_id": slow}).json()]
        assert texts == ["slow bg", "slow echo: slow bg", "stop me"]
