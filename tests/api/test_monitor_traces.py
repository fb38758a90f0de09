"""/api/v1/monitor/traces (Langflow 1.8 and 1.13): the native trace every run leaves, listed, read and deleted by
the owner of its flow; and 1.13's superuser-only GET /api/v1/monitor/job_queue."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

import pytest
from fastapi.testclient import TestClient

from tests.conftest import auto_login_token, create_flow, load_json, new_api_key, other_user_key

TRACES = "/api/v1/monitor/traces"
SPAN_NAMESPACE = UUID("a3e1c2d4-5b6f-7890-abcd-ef1234567890")  # Langflow's, for a component span's uuid5
CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"
FLOWS = Path(__file__).parents[2] / "fixtures" / "flows"
UNKNOWN = "00000000-0000-4000-8000-000000000001"
SUMMARY_KEYS = {"id", "name", "status", "startTime", "totalLatencyMs", "totalTokens", "flowId", "sessionId", "input",
                "output"}
SPAN_KEYS = {"id", "name", "type", "status", "startTime", "endTime", "latencyMs", "inputs", "outputs", "error",
             "modelName", "tokenUsage", "children"}


def ran(client: TestClient, headers: dict[str, str], flow: dict[str, Any], text: str, session: str) -> None:
    response = client.post(f"/api/v1/run/{flow['id']}", json={"input_value": text, "session_id": session},
                           headers=headers)
    assert response.status_code == 200, response.text


def listed(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get(TRACES, params=params, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


@pytest.fixture
def flow(client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> dict[str, Any]:
    created = create_flow(client, key_headers, chat_flow)
    ran(client, key_headers, created, "first", "s1")
    ran(client, key_headers, created, "second", "s2")
    return created


def graph_run_ids(client: TestClient, headers: dict[str, str], flow_id: str) -> list[str]:
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    return list(dict.fromkeys(m["session_metadata"]["graph_run_id"] for m in stored))


def test_each_run_leaves_a_trace_named_after_its_flow_the_latest_first(
        client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    page = listed(client, key_headers)
    assert (page["total"], page["pages"]) == (2, 1)
    latest, earliest = page["traces"]
    assert set(latest) == SUMMARY_KEYS
    # the trace's id is the run's, which its messages carry as graph_run_id
    assert [earliest["id"], latest["id"]] == graph_run_ids(client, key_headers, flow["id"])
    assert latest["name"] == f"{flow['name']} - {flow['id']}"
    assert (latest["status"], latest["flowId"], latest["sessionId"], latest["totalTokens"]) == (
        "ok", flow["id"], "s2", 0)
    # the input is the Chat Input's text, the output what the last component built gave
    assert latest["input"] == {"input_value": "second"}
    assert latest["output"]["message"]["text"] == "second"
    # times as Langflow's SQLite columns give them back: UTC, without a zone
    assert "+" not in latest["startTime"] and not latest["startTime"].endswith("Z")


def test_a_trace_holds_a_span_per_component_built(client: TestClient, key_headers: dict[str, str],
                                                  flow: dict[str, Any]) -> None:
    trace_id = listed(client, key_headers, session_id="s1")["traces"][0]["id"]
    response = client.get(f"{TRACES}/{trace_id}", headers=key_headers)
    assert response.status_code == 200
    trace = response.json()
    assert set(trace) == SUMMARY_KEYS | {"endTime", "spans"}
    assert trace["input"] == {"input_value": "first"}
    spans = trace["spans"]
    assert [(s["name"], s["type"], s["status"], s["error"], s["children"]) for s in spans] == [
        ("Chat Input", "chain", "ok", None, []), ("Chat Output", "chain", "ok", None, [])]
    assert set(spans[0]) == SPAN_KEYS
    # a component's span id is Langflow's uuid5 of "<trace id>-<vertex id>"
    assert spans[0]["id"] == str(uuid5(SPAN_NAMESPACE, f"{trace_id}-ChatInput-aB1cD"))
    assert spans[0]["inputs"]["input_value"] == "first"
    assert spans[1]["outputs"]["message"]["text"] == "first"
    assert (spans[0]["modelName"], spans[0]["tokenUsage"]) == (None, None)


@pytest.mark.parametrize("route", ["run", "build"])
def test_a_component_that_raises_fails_its_span_and_the_trace(make_client: Callable[..., TestClient],
                                                              route: str) -> None:
    """Whether the run stops there (/run: a 500) or goes on without what depends on it (a build)."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    boom = create_flow(client, headers, load_json("flow_boom.json"))
    if route == "run":
        response = client.post(f"/api/v1/run/{boom['id']}", json={"input_value": "kaboom"}, headers=headers)
        assert response.status_code == 500
    else:
        response = client.post(f"/api/v1/build/{boom['id']}/flow", params={"event_delivery": "direct"},
                               json={"inputs": {"input_value": "kaboom"}}, headers=headers)
        assert response.status_code == 200
    summary = listed(client, headers, flow_id=boom["id"])["traces"][0]
    assert summary["status"] == "error" and summary["input"] == {"input_value": "kaboom"}
    assert listed(client, headers, status="error")["total"] == 1
    assert listed(client, headers, status="ok")["total"] == 0
    spans = client.get(f"{TRACES}/{summary['id']}", headers=headers).json()["spans"]
    assert [(s["name"], s["status"]) for s in spans] == [("Chat Input", "ok"), ("Boom", "error")]
    assert spans[1]["error"] == "contract boom: kaboom"
    assert spans[1]["outputs"] == {"error": "contract boom: kaboom"}


def test_filters_search_and_pages(client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    first, second = reversed(listed(client, key_headers)["traces"])
    assert [t["id"] for t in listed(client, key_headers, flow_id=flow["id"], session_id="s1")["traces"]] == [
        first["id"]]
    assert listed(client, key_headers, flow_id=UNKNOWN)["total"] == 0
    # the search looks into the name, the id as stored (32 hex digits, no hyphens) and the session
    assert listed(client, key_headers, query="s2")["traces"][0]["id"] == second["id"]
    assert listed(client, key_headers, query=first["id"].replace("-", "")[:20])["total"] == 1
    assert listed(client, key_headers, query=first["id"])["total"] == 0
    assert listed(client, key_headers, query=flow["name"].upper())["total"] == 2
    assert listed(client, key_headers, query="\x01 \t")["total"] == 2  # nothing printable left: no search
    assert listed(client, key_headers, query="_")["total"] == 0  # 1.13: _ is no wildcard
    assert listed(client, key_headers, start_time="2999-01-01T00:00:00")["total"] == 0
    assert listed(client, key_headers, end_time="2000-01-01T00:00:00Z")["total"] == 0
    assert listed(client, key_headers, start_time="2000-01-01T00:00:00+02:00")["total"] == 2
    paged = listed(client, key_headers, size=1, page=2)
    assert (paged["total"], paged["pages"], [t["id"] for t in paged["traces"]]) == (2, 2, [first["id"]])
    assert listed(client, key_headers, size=1, page=0)["traces"][0]["id"] == second["id"]  # page 0 is page 1
    assert listed(client, key_headers, size=1, page=3)["traces"] == []


def test_1_13_a_time_filter_past_the_calendar_in_utc_is_langflows_500(client: TestClient,
                                                                      key_headers: dict[str, str]) -> None:
    """1.13 moves an offset time filter to UTC first; one that falls off the calendar there raises, and its
    exception handler answers the error's text."""
    response = client.get(TRACES, params={"start_time": "0001-01-01T00:00:00+14:00"}, headers=key_headers)
    assert (response.status_code, response.json()) == (500, {"message": "date value out of range"})


@pytest.mark.parametrize(("params", "field"), [
    ({"page": -1}, "page"), ({"size": 0}, "size"), ({"size": 201}, "size"), ({"status": "done"}, "status"),
    ({"flow_id": "abc"}, "flow_id"), ({"start_time": "yesterday"}, "start_time")])
def test_bad_query_parameters_are_422(client: TestClient, key_headers: dict[str, str], params: dict[str, Any],
                                      field: str) -> None:
    response = client.get(TRACES, params=params, headers=key_headers)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_no_runs_give_the_empty_page(client: TestClient, key_headers: dict[str, str]) -> None:
    assert listed(client, key_headers) == {"traces": [], "total": 0, "pages": 0}


def test_another_users_traces_are_not_found(client: TestClient, key_headers: dict[str, str],
                                            flow: dict[str, Any]) -> None:
    trace_id = listed(client, key_headers)["traces"][0]["id"]
    bob = {"x-api-key": other_user_key(client, {"Authorization": f"Bearer {auto_login_token(client)}"})}
    assert listed(client, bob) == {"traces": [], "total": 0, "pages": 0}
    assert listed(client, bob, flow_id=flow["id"])["total"] == 0
    for method in ("GET", "DELETE"):
        response = client.request(method, f"{TRACES}/{trace_id}", headers=bob)
        assert (response.status_code, response.json()) == (404, {"detail": "Trace not found"})
    response = client.delete(TRACES, params={"flow_id": flow["id"]}, headers=bob)
    assert (response.status_code, response.json()) == (404, {"detail": "Flow not found"})
    assert listed(client, key_headers)["total"] == 2


def test_delete_one_trace_then_a_flows_traces(client: TestClient, key_headers: dict[str, str],
                                              flow: dict[str, Any]) -> None:
    latest, earliest = listed(client, key_headers)["traces"]
    response = client.delete(f"{TRACES}/{latest['id']}", headers=key_headers)
    assert (response.status_code, response.content, response.headers["content-type"]) == (
        204, b"", "application/json")
    assert client.get(f"{TRACES}/{latest['id']}", headers=key_headers).status_code == 404
    assert [t["id"] for t in listed(client, key_headers)["traces"]] == [earliest["id"]]
    response = client.delete(TRACES, params={"flow_id": flow["id"]}, headers=key_headers)
    assert (response.status_code, response.content) == (204, b"")
    assert listed(client, key_headers)["total"] == 0
    # a flow of the caller's without traces: 204 all the same; no flow_id: 422
    assert client.delete(TRACES, params={"flow_id": flow["id"]}, headers=key_headers).status_code == 204
    missing = client.delete(TRACES, headers=key_headers)
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["query", "flow_id"]


def test_a_deleted_flow_takes_its_traces_along(client: TestClient, key_headers: dict[str, str],
                                               flow: dict[str, Any]) -> None:
    trace_id = listed(client, key_headers)["traces"][0]["id"]
    assert client.delete(f"/api/v1/flows/{flow['id']}", headers=key_headers).status_code == 200
    assert client.get(f"{TRACES}/{trace_id}", headers=key_headers).status_code == 404
    assert listed(client, key_headers)["total"] == 0


def test_1_8_search_treats_percent_and_underscore_as_wildcards(make_client: Callable[..., TestClient],
                                                               chat_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    created = create_flow(client, headers, chat_flow)
    ran(client, headers, created, "hi", "s1")
    assert listed(client, headers, query="_")["total"] == 1
    assert listed(client, headers, query="s_")["total"] == 1
    document = client.get("/openapi.json").json()
    assert document["paths"].get("/api/v1/monitor/job_queue") is None
    # 1.8's trace input and output are an object or null, never text (1.13 allows a string)
    for shape in ("TraceSummaryRead", "TraceRead"):
        assert [b.get("type") for b in document["components"]["schemas"][shape]["properties"]["input"]["anyOf"]] == [
            "object", "null"]


def test_1_7_1_has_no_traces(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.7.1")
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(TRACES)]


def test_job_queue_is_the_memory_backends_snapshot_for_superusers(make_client: Callable[..., TestClient],
                                                                  chat_flow: dict[str, Any]) -> None:
    client = make_client(job_latency_ms=0)
    admin = {"Authorization": f"Bearer {auto_login_token(client)}"}
    response = client.get("/api/v1/monitor/job_queue", headers=admin)
    assert (response.status_code, response.json()) == (200, {"backend": "memory", "active_jobs": 0})
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime.now(UTC)
    created = create_flow(client, admin, chat_flow)
    built = client.post(f"/api/v1/build/{created['id']}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "hi"}}, headers=admin)
    assert built.status_code == 200
    # a finished build's queue stays a while (Langflow drops it at a sweep after a 5-minute grace), and so does
    # the queue of the memory-base capture task the owner's build fired as it ended
    assert queued(client, admin) == 2
    bob = {"x-api-key": other_user_key(client, admin)}
    refused = client.get("/api/v1/monitor/job_queue", headers=bob)
    assert (refused.status_code, refused.json()) == (403, {"detail": "The user doesn't have enough privileges"})
    assert "x-langflow-error-code" not in refused.headers
    clock.frozen += timedelta(seconds=301)
    assert queued(client, admin) == 0


def queued(client: TestClient, admin: dict[str, str]) -> int:
    response = client.get("/api/v1/monitor/job_queue", headers=admin)
    assert response.status_code == 200
    assert response.json()["backend"] == "memory"
    active: int = response.json()["active_jobs"]
    return active


def test_job_queue_counts_the_memory_base_capture_of_each_owners_run(make_client: Callable[..., TestClient],
                                                                     chat_flow: dict[str, Any],
                                                                     webhook_flow: dict[str, Any]) -> None:
    """1.13 fires a memory-base capture task, with a job queue of its own, after each run of the caller's own
    flow that ran (/run, its stream, /run/advanced once per request, a webhook, a v2 run); a failed run or
    another user's run fires none, and a webhook's or a v2 run's own task has no queue."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    admin = {"Authorization": f"Bearer {auto_login_token(client)}"}
    headers = {"x-api-key": new_api_key(client)}
    mine = create_flow(client, headers, chat_flow)
    ran(client, headers, mine, "hi", "s1")
    assert queued(client, admin) == 1
    streamed = client.post(f"/api/v1/run/{mine['id']}", params={"stream": "true"}, json={"input_value": "hi"},
                           headers=headers)
    assert streamed.status_code == 200
    assert queued(client, admin) == 2
    advanced = client.post(f"/api/v1/run/advanced/{mine['id']}", headers=headers,
                           json={"inputs": [{"input_value": "a"}, {"input_value": "b"}]})
    assert advanced.status_code == 200
    assert queued(client, admin) == 3
    v2 = client.post("/api/v2/workflows", json={"flow_id": mine["id"], "input_value": "hi"}, headers=headers)
    assert v2.status_code == 200, v2.text
    assert queued(client, admin) == 4
    hook = create_flow(client, headers, webhook_flow)
    response = client.post(f"/api/v1/webhook/{hook['id']}", json={"any": "payload"}, headers=headers)
    assert response.status_code == 202
    for _ in range(200):  # the webhook's run happens after its 202
        if listed(client, headers, flow_id=hook["id"])["total"]:
            break
        time.sleep(0.01)
    assert queued(client, admin) == 5  # its capture's queue; the webhook's own task has none
    boom = create_flow(client, headers, load_json("flow_boom.json"))
    assert client.post(f"/api/v1/run/{boom['id']}", json={"input_value": "kaboom"}, headers=headers).status_code == 500
    assert queued(client, admin) == 5
    # the count is the process's: another owner's run adds its own
    bob = {"x-api-key": other_user_key(client, admin)}
    theirs = create_flow(client, bob, chat_flow)
    ran(client, bob, theirs, "hi", "s1")
    assert queued(client, admin) == 6


@pytest.mark.parametrize("setting", [{"native_tracing": "False"}, {"native_tracing": "0"},
                                     {"deactivate_tracing": True}])
def test_tracing_turned_off_leaves_no_trace(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
                                            setting: dict[str, Any]) -> None:
    """LANGFLOW_NATIVE_TRACING=false (or 0, no) or LANGFLOW_DEACTIVATE_TRACING=true: the routes stay, empty."""
    client = make_client(**setting)
    headers = {"x-api-key": new_api_key(client)}
    ran(client, headers, create_flow(client, headers, chat_flow), "hi", "s1")
    assert listed(client, headers) == {"traces": [], "total": 0, "pages": 0}


def test_1_13_span_inputs_are_the_components_declared_inputs_with_secrets_hidden(
        make_client: Callable[..., TestClient]) -> None:
    """Langflow's tracer records a component's declared inputs (not a prompt's variables, which its template
    adds), a password field's value as ten asterisks, and any key holding api_key, password or server_url
    as five, at any depth of a dict value."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    chain = load_json("flow_prompt_chain.json")
    nodes = {n["id"]: n["data"]["node"]["template"] for n in chain["data"]["nodes"]}
    nodes["ChatInput-4N48B"]["token"] = {"name": "token", "type": "str", "show": True, "password": True,
                                         "_input_type": "SecretStrInput", "value": "s3cret"}
    nodes["ChatInput-4N48B"]["extra"] = {"name": "extra", "type": "dict", "show": True, "_input_type": "DictInput",
                                         "value": {"headers": {"X_API_KEY": "k", "accept": "json"}}}
    created = create_flow(client, headers, chain)
    ran(client, headers, created, "Ada", "s1")
    trace_id = listed(client, headers)["traces"][0]["id"]
    spans = {s["name"]: s for s in client.get(f"{TRACES}/{trace_id}", headers=headers).json()["spans"]}
    given = spans["Chat Input"]["inputs"]
    assert (given["input_value"], given["token"]) == ("Ada", "**********")
    assert given["extra"] == {"headers": {"X_API_KEY": "*****", "accept": "json"}}
    prompt = spans["Prompt Template"]["inputs"]
    assert "template" in prompt and not {"name", "SUFFIX"} & set(prompt)


def test_a_text_inputs_traced_value_is_the_text_it_was_handed(make_client: Callable[..., TestClient],
                                                               chat_flow: dict[str, Any]) -> None:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["input_value"]["_input_type"] = "MessageTextInput"
    ran(client, headers, create_flow(client, headers, chat_flow), "plain", "s1")
    trace_id = listed(client, headers)["traces"][0]["id"]
    spans = client.get(f"{TRACES}/{trace_id}", headers=headers).json()["spans"]
    assert spans[1]["inputs"]["input_value"] == "plain"


def test_1_8_keeps_a_password_fields_traced_value(make_client: Callable[..., TestClient],
                                                  chat_flow: dict[str, Any]) -> None:
    """1.8's tracer shows a password field's value; only the key words hide one."""
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    template = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")["data"]["node"]["template"]
    template["token"] = {"name": "token", "type": "str", "show": True, "password": True, "value": "s3cret"}
    template["my_api_key"] = {"name": "my_api_key", "type": "str", "show": True, "password": True, "value": "k"}
    ran(client, headers, create_flow(client, headers, chat_flow), "hi", "s1")
    trace_id = listed(client, headers)["traces"][0]["id"]
    given = client.get(f"{TRACES}/{trace_id}", headers=headers).json()["spans"][0]["inputs"]
    assert (given["token"], given["my_api_key"]) == ("s3cret", "*****")


@pytest.mark.parametrize(("delivery", "status"), [("polling", "ok"), ("direct", "error")])
def test_a_build_whose_vertex_failed_before_its_component_built(make_client: Callable[..., TestClient],
                                                                 chat_flow: dict[str, Any], delivery: str,
                                                                 status: str) -> None:
    """A field's global variable not found fails its vertex before its component (and its span) starts: the trace
    has no span of it. Langflow ends the trace with that error on the POST's background tasks, which a direct
    build's streamed response runs after the build, and a polled one's before the build got there: the trace is
    then ok."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": delivery},
                           json={"inputs": {"input_value": "hi"}}, headers=headers)
    assert response.status_code == 200
    if delivery == "polling":
        events = client.get(f"/api/v1/build/{response.json()['job_id']}/events", headers=headers)
        assert events.status_code == 200 and "BOT_NAME variable not found." in events.text
    summary = listed(client, headers)["traces"][0]
    assert summary["status"] == status
    spans = client.get(f"{TRACES}/{summary['id']}", headers=headers).json()["spans"]
    assert [(s["name"], s["status"]) for s in spans] == [("Chat Input", "ok")]


def test_run_advanced_leaves_one_trace_for_its_inputs(client: TestClient, key_headers: dict[str, str],
                                                      chat_flow: dict[str, Any]) -> None:
    """/run/advanced runs its graph once per input under one run id; Langflow's tracer merges the trace and spans
    of each over the last's."""
    created = create_flow(client, key_headers, chat_flow)
    response = client.post(f"/api/v1/run/advanced/{created['id']}", headers=key_headers,
                           json={"inputs": [{"input_value": "a"}, {"input_value": "b"}]})
    assert response.status_code == 200
    page = listed(client, key_headers)
    assert page["total"] == 1
    spans = client.get(f"{TRACES}/{page['traces'][0]['id']}", headers=key_headers).json()["spans"]
    assert [(s["name"], s["inputs"]["input_value"]) for s in spans][0] == ("Chat Input", "b")


def spans_of_last_trace(client: TestClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    trace_id = listed(client, headers)["traces"][0]["id"]
    response = client.get(f"{TRACES}/{trace_id}", headers=headers)
    assert response.status_code == 200
    return {s["name"]: s for s in response.json()["spans"]}


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_span_inputs_hold_every_declared_input_as_the_component_holds_it(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    """Langflow traces the value each declared input holds as the component builds: a hidden field, one of type
    "other" left unconnected and an optional one without a value keep the value their input has (the one the
    template holds), though they are no parameter of the vertex; a field that loads a global variable holds the
    variable's value, where the transaction logs its name."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    template = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")["data"]["node"]["template"]
    template["background_color"] = {"name": "background_color", "type": "str", "show": False, "value": "teal",
                                    "_input_type": "MessageTextInput"}
    template["tools"] = {"name": "tools", "type": "other", "show": True, "value": "", "_input_type": "HandleInput"}
    template["limit"] = {"name": "limit", "type": "int", "show": True, "value": None, "_input_type": "IntInput"}
    template["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    made = client.post("/api/v1/variables/", json={"name": "BOT_NAME", "value": "Robo", "type": "Generic",
                                                     "default_fields": []}, headers=headers)
    assert made.status_code == 201
    created = create_flow(client, headers, chat_flow)
    ran(client, headers, created, "hi", "s1")
    given = spans_of_last_trace(client, headers)["Chat Input"]["inputs"]
    assert (given["background_color"], given["tools"], given["limit"], given["sender_name"]) == (
        "teal", "", None, "Robo")
    assert "code" not in given
    if version == "1.13":
        items = client.get("/api/v1/monitor/transactions", params={"flow_id": created["id"]},
                           headers=headers).json()["items"]
        logged = next(t["inputs"] for t in items if t["vertex_id"] == "ChatInput-aB1cD")
        assert logged["sender_name"] == "BOT_NAME" and "background_color" not in logged


def test_1_13_a_hidden_password_field_is_traced_hidden(make_client: Callable[..., TestClient],
                                                       chat_flow: dict[str, Any]) -> None:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    template = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")["data"]["node"]["template"]
    template["token"] = {"name": "token", "type": "str", "show": False, "password": True, "value": "s3cret",
                         "_input_type": "SecretStrInput"}
    ran(client, headers, create_flow(client, headers, chat_flow), "hi", "s1")
    assert spans_of_last_trace(client, headers)["Chat Input"]["inputs"]["token"] == "**********"


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_models_output_is_traced_as_the_bare_message_it_returns(make_client: Callable[..., TestClient],
                                                                  version: str) -> None:
    """A language model component returns Message(text=...), on which lfx sets the flow id: its span's output,
    and the Chat Output's input it feeds, is that message's dump, its data holding only the text and flow id, no
    sender, session or run."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    prompting = json.loads((FLOWS / "basic_prompting.json").read_text(encoding="utf-8"))
    created = create_flow(client, headers, prompting)
    ran(client, headers, created, "hello", "s1")
    spans = spans_of_last_trace(client, headers)
    model = spans["Language Model"]
    assert model["type"] == "llm"
    answer = model["outputs"]["text_output"]
    text = answer["text"]
    assert text and answer["data"] == {"text": text, "flow_id": created["id"]}
    assert (answer["text_key"], answer["default_value"], answer["sender"], answer["sender_name"],
            answer["session_id"], answer["context_id"], answer["flow_id"], answer["category"],
            answer["content_blocks"], answer["files"]) == ("text", "", None, None, "", "", created["id"], "message",
                                                           [], [])
    assert answer["properties"]["source"] == {"id": None, "display_name": None, "source": None}
    if version == "1.13":
        assert (answer["run_id"], answer["session_metadata"]) == (None, None)
    else:
        assert "run_id" not in answer and "session_metadata" not in answer
    assert spans["Chat Output"]["inputs"]["input_value"] == answer
    # the Chat Output's own output is the message it stored, of the run's session
    assert spans["Chat Output"]["outputs"]["message"]["session_id"] == "s1"


def test_1_13_a_span_output_shows_a_secret_masked_as_the_results_do(make_client: Callable[..., TestClient],
                                                                    chat_flow: dict[str, Any]) -> None:
    """1.13 traces the results it shows, in which the text of a secret the component holds is masked; what the
    component passed on (the next one's input) keeps it. The run's results show the same message."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    template = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")["data"]["node"]["template"]
    template["token"] = {"name": "token", "type": "str", "show": True, "password": True, "value": "s3cret",
                         "_input_type": "SecretStrInput"}
    created = create_flow(client, headers, chat_flow)
    response = client.post(f"/api/v1/run/{created['id']}?stream=false", json={"input_value": "my s3cret"},
                           headers=headers)
    assert response.status_code == 200
    spans = spans_of_last_trace(client, headers)
    shown = spans["Chat Input"]["outputs"]["message"]
    assert shown["text"] == "my **********"
    # lfx sets the masked copy's text, which puts it in a text content block
    assert shown["content_blocks"] == [{"type": "text", "id": None, "duration": None, "header": {}, "contents": [],
                                        "text": "my **********"}]
    assert spans["Chat Output"]["inputs"]["input_value"]["text"] == "my s3cret"
    # the Chat Output holds its source's secret too: its result, shown and traced, is masked the same way; /run
    # shows its content blocks as a v1 client sees them, the text block dropped (the trace keeps it)
    result = response.json()["outputs"][0]["outputs"][0]["results"]["message"]
    traced = spans["Chat Output"]["outputs"]["message"]
    assert [b["text"] for b in traced["content_blocks"]] == [traced["text"]] == ["my **********"]
    assert (result["text"], result["content_blocks"], result["data"]["content_blocks"]) == ("my **********", [], [])
    assert result == {**traced, "content_blocks": [], "data": {**traced["data"], "content_blocks": []}}
