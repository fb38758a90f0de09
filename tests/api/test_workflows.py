"""/api/v2/workflows: sync, stream (langflow and AG-UI), background jobs with status, stop and re-attach."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import (
    KEY,
    copy_of_example,
    create_flow,
    load_json,
    new_api_key,
    other_user_key,
    paced_streaming_flow,
    sink,
    start_server,
    stop_server,
    two_outputs,
)

NIL = "00000000-0000-4000-8000-000000000000"
WF = "/api/v2/workflows"


@pytest.fixture
def setup(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> tuple[TestClient, dict[str, str], str]:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, chat_flow)["id"]


def sse(text: str) -> list[tuple[dict[str, Any], str]]:
    """(data, id) of every frame; each frame is `data: <json>` then `id: <n>` and a blank line."""
    frames = []
    assert text.endswith("\n\n")
    for frame in text[:-2].split("\n\n"):
        data_line, id_line = frame.split("\n")
        assert data_line.startswith("data: ") and id_line.startswith("id: ")
        frames.append((json.loads(data_line[6:]), id_line[4:]))
    return frames


def wait_status(client: TestClient, headers: dict[str, str], job_id: str, done: set[str]) -> dict[str, Any]:
    for _ in range(500):
        body: dict[str, Any] = client.get(WF, params={"job_id": job_id}, headers=headers).json()
        if body.get("status") in done:
            return body
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} never reached {done}")


def test_a_workflow_body_is_checked_before_the_caller(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """lfx's router, which serves POST /api/v2/workflows in 1.13, finds the caller inside the handler: a body it
    refuses is the 422 whoever sends it, with or without credentials; a good one without them is the 403."""
    client, _headers, flow_id = setup
    missing = {"detail": [{"type": "missing", "loc": ["body", "flow_id"], "msg": "Field required"}]}
    for headers in ({}, {"x-api-key": "sk-not-a-key"}):
        response = client.post("/api/v2/workflows", json={}, headers=headers)
        assert (response.status_code, response.json()) == (422, missing)
    malformed = client.post("/api/v2/workflows", json={"flow_id": "x"})
    assert malformed.json()["detail"][0]["msg"] == "Value error, Invalid flow_id, must be a UUID"
    assert client.post("/api/v2/workflows", json={"flow_id": flow_id}).status_code == 403


def test_sync_answers_the_response_object(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(WF, json={"flow_id": flow_id, "input_value": "wf sync hello"}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"flow_id", "session_id", "job_id", "object", "created_timestamp", "status", "output",
                         "errors", "warnings", "inputs", "globals", "outputs", "human_request", "has_errors"}
    assert (body["object"], body["status"], body["has_errors"]) == ("response", "completed", False)
    assert body["output"] == {"reason": "single", "text": "wf sync hello", "source": "ChatOutput-eF2gH"}
    assert body["outputs"] == {"ChatOutput-eF2gH": {"type": "message", "status": "completed",
                                                    "display_name": "Chat Output", "content": "wf sync hello",
                                                    "metadata": {"component_type": "ChatOutput"}}}
    assert body["created_timestamp"].endswith("+00:00")


def test_tweaks_and_globals_are_applied_and_echoed(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    tweaks = {"ChatOutput-eF2gH": {"sender_name": "WFBot"}}
    body = client.post(WF, headers=headers, json={"flow_id": flow_id, "input_value": "wf tweaks", "session_id": "wf-s",
                                                  "tweaks": tweaks, "globals": {"MY_VAR": "v"},
                                                  "output_ids": ["ChatOutput-eF2gH"]}).json()
    assert (body["session_id"], body["inputs"], body["globals"]) == ("wf-s", tweaks, {"MY_VAR": "v"})
    stored = client.get("/api/v1/monitor/messages", params={"session_id": "wf-s"}, headers=headers).json()
    assert stored[-1]["sender_name"] == "WFBot"


def run_with_tweaks(setup: tuple[TestClient, dict[str, str], str], mode: str, session_id: str,
                    tweaks: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the flow in `mode` with these tweaks (a background run waited for) and read the session's messages."""
    client, headers, flow_id = setup
    response = client.post(WF, json={"flow_id": flow_id, "input_value": "t", "session_id": session_id,
                                     "mode": mode, "tweaks": tweaks}, headers=headers)
    assert response.status_code == 200
    if mode == "background":
        wait_status(client, headers, response.json()["job_id"], {"completed"})
    stored: list[dict[str, Any]] = client.get("/api/v1/monitor/messages", params={"session_id": session_id},
                                              headers=headers).json()
    return stored


@pytest.mark.parametrize("mode", ["sync", "stream", "background"])
def test_a_stream_or_background_run_takes_tweaks_by_node_id_only_and_as_sent(
        setup: tuple[TestClient, dict[str, str], str], mode: str) -> None:
    """1.13 applies a stream or background run's tweaks to the graph it built: a display name names no node
    there, and a value reaches the vertex as sent, where a sync run's are matched by display name too and
    converted by the field's type (a str field's "\\n" becomes a newline)."""
    client, headers, flow_id = setup
    tweaks = {"Chat Output": {"sender_name": "ByName"}, "ChatInput-aB1cD": {"sender_name": "A\\nB"}}
    stored = run_with_tweaks(setup, mode, f"tw-{mode}", tweaks)
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    senders = {t["vertex_id"]: t["inputs"]["sender_name"] for t in logged["items"]}
    built = mode != "sync"
    assert stored[-1]["sender_name"] == ("AI" if built else "ByName")
    assert senders == {"ChatInput-aB1cD": "A\\nB" if built else "A\nB",
                       "ChatOutput-eF2gH": "AI" if built else "ByName"}


@pytest.mark.parametrize("mode", ["stream", "background"])
def test_a_stream_or_background_run_drops_a_nodes_tweaks_when_one_names_a_connected_field(
        setup: tuple[TestClient, dict[str, str], str], mode: str) -> None:
    """1.13 leaves a built vertex's parameters alone when a tweak names a field an edge feeds, and its build
    remakes them from the flow: none of that node's tweaks apply (its other nodes' do)."""
    tweaks = {"ChatOutput-eF2gH": {"input_value": "X", "sender_name": "Bot"},
              "ChatInput-aB1cD": {"sender_name": "Ann"}}
    stored = run_with_tweaks(setup, mode, f"cf-{mode}", tweaks)
    assert [(m["sender_name"], m["text"]) for m in stored] == [("Ann", "t"), ("AI", "t")]


def test_a_sync_run_takes_global_var_headers_as_globals_and_echoes_them(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13's sync run merges X-LANGFLOW-GLOBAL-VAR-<NAME> headers (name upper-cased) into its globals, the
    body's winning, applies them and echoes the merged set."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow = copy.deepcopy(chat_flow)
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    flow_id = create_flow(client, headers, flow)["id"]
    sent = {**headers, "X-LANGFLOW-GLOBAL-VAR-bot_name": "HeaderBot", "X-LANGFLOW-GLOBAL-VAR-both": "header"}
    body = client.post(WF, headers=sent, json={"flow_id": flow_id, "input_value": "g", "session_id": "g-s",
                                               "globals": {"BOTH": "body"}}).json()
    assert (body["status"], body["globals"]) == ("completed", {"BOT_NAME": "HeaderBot", "BOTH": "body"})
    stored = client.get("/api/v1/monitor/messages", params={"session_id": "g-s"}, headers=headers).json()
    assert stored[-1]["sender_name"] == "HeaderBot"


def test_a_sync_run_without_input_value_keeps_the_chat_inputs_stored_text(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13 hands a sync run's graph no input when input_value is empty: the Chat Input's stored text is sent."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow = copy.deepcopy(chat_flow)
    chat_input = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")
    chat_input["data"]["node"]["template"]["input_value"]["value"] = "stored hi"
    flow_id = create_flow(client, headers, flow)["id"]
    for body in ({"flow_id": flow_id}, {"flow_id": flow_id, "input_value": ""}):
        answer = client.post(WF, headers=headers, json=body).json()
        assert answer["output"] == {"reason": "single", "text": "stored hi", "source": "ChatOutput-eF2gH"}


def test_a_sync_jobs_status_is_rebuilt_without_the_requests_inputs_globals_or_choice(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13 keeps no sync result by default: the status of a sync run's job is rebuilt from its outputs, without
    the tweaks and globals its answer echoed, and its output_ids no longer pick the answer."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, two_outputs(chat_flow))["id"]
    answer = client.post(WF, headers=headers, json={
        "flow_id": flow_id, "input_value": "st", "tweaks": {"ChatOutput-eF2gH": {"sender_name": "T"}},
        "globals": {"A": "b"}, "output_ids": ["ChatOutput-sEc0n"]}).json()
    assert (answer["inputs"], answer["globals"], answer["output"]["reason"]) == (
        {"ChatOutput-eF2gH": {"sender_name": "T"}}, {"A": "b"}, "single")
    status = client.get(WF, params={"job_id": answer["job_id"]}, headers=headers).json()
    assert (status["status"], status["inputs"], status["globals"]) == ("completed", {}, {})
    assert (status["output"], status["outputs"]) == (
        {"reason": "multiple", "text": None, "source": None}, answer["outputs"])


def test_the_1_13_body_refuses_the_beta_fields(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(WF, headers=headers, json={"flow_id": flow_id, "background": False, "stream": False,
                                                      "inputs": {"ChatInput-aB1cD.input_value": "x"}})
    assert response.status_code == 422
    assert [i["loc"] for i in response.json()["detail"]] == [["body", "background"], ["body", "stream"],
                                                             ["body", "inputs"]]
    assert {i["type"] for i in response.json()["detail"]} == {"extra_forbidden"}


def test_flow_id_must_be_a_uuid_and_must_exist(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    bad = client.post(WF, json={"flow_id": "contract-chat-io", "input_value": "x"}, headers=headers)
    assert bad.json() == {"detail": [{"type": "value_error", "loc": ["body"],
                                      "msg": "Value error, Invalid flow_id, must be a UUID"}]}
    missing = client.post(WF, json={"flow_id": NIL, "input_value": "x"}, headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"error": "Flow not found", "code": "FLOW_NOT_FOUND",  # top level, no "detail"
                              "message": f"Flow '{NIL}' does not exist. Verify the flow_id and try again.",
                              "flow_id": NIL}


def test_a_flow_without_data_is_a_wrapped_400(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    empty = create_flow(client, headers, {"name": "Empty"})["id"]
    response = client.post(WF, json={"flow_id": empty, "input_value": "x"}, headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"]["code"] == "INVALID_FLOW_DATA"


def test_stream_mode_sends_sse_frames_numbered_from_zero(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(WF, json={"flow_id": flow_id, "input_value": "wf stream", "mode": "stream"},
                           headers=headers)
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    frames = sse(response.text)
    assert [f[1] for f in frames] == [str(i) for i in range(len(frames))]
    assert [f[0]["event"] for f in frames] == ["vertices_sorted", "build_start", "add_message", "end_vertex",
                                               "add_message", "end_vertex", "output", "end"]
    output = frames[-2][0]["data"]
    assert (output["component_id"], output["content"]) == ("ChatOutput-eF2gH", "wf stream")


@pytest.mark.parametrize("mode", ["stream", "background"])
def test_each_output_event_follows_its_own_end_vertex(make_client: Callable[..., TestClient],
                                                      chat_flow: dict[str, Any], mode: str) -> None:
    """1.13's langflow adapter sends a terminal vertex's `output` event right after that vertex's end_vertex,
    not all of them at the end of the run."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, two_outputs(chat_flow))["id"]
    response = client.post(WF, json={"flow_id": flow_id, "input_value": "two", "mode": mode}, headers=headers)
    assert response.status_code == 200
    if mode == "background":
        job = response.json()["job_id"]
        wait_status(client, headers, job, {"completed"})
        response = client.get(f"{WF}/{job}/events", headers=headers)
    frames = [data for data, _ in sse(response.text)]
    shown = [(f["event"], f["data"].get("component_id") or f["data"].get("build_data", {}).get("id"))
             for f in frames if f["event"] in ("end_vertex", "output", "end")]
    assert shown == [("end_vertex", "ChatInput-aB1cD"),
                     ("end_vertex", "ChatOutput-eF2gH"), ("output", "ChatOutput-eF2gH"),
                     ("end_vertex", "ChatOutput-sEc0n"), ("output", "ChatOutput-sEc0n"), ("end", None)]


def test_output_ids_pick_the_answer_but_hide_no_output(make_client: Callable[..., TestClient],
                                                       chat_flow: dict[str, Any]) -> None:
    """1.13 resolves `output` from the outputs: two text answers are "multiple" (no text), and output_ids pick
    the answer among them while `outputs` keeps every one; a background job's status resolves it the same way."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, two_outputs(chat_flow))["id"]
    described = {"type": "message", "status": "completed", "display_name": "Chat Output", "content": "two",
                 "metadata": {"component_type": "ChatOutput"}}
    both = {"ChatOutput-eF2gH": described, "ChatOutput-sEc0n": described}
    body = client.post(WF, json={"flow_id": flow_id, "input_value": "two"}, headers=headers).json()
    assert (body["output"], body["outputs"]) == ({"reason": "multiple", "text": None, "source": None}, both)
    body = client.post(WF, json={"flow_id": flow_id, "input_value": "two", "output_ids": ["ChatOutput-sEc0n"]},
                       headers=headers).json()
    assert (body["output"], body["outputs"]) == (
        {"reason": "single", "text": "two", "source": "ChatOutput-sEc0n"}, both)
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "two", "mode": "background"},
                      headers=headers).json()["job_id"]
    status = wait_status(client, headers, job, {"completed"})
    assert (status["output"], status["outputs"]) == ({"reason": "multiple", "text": None, "source": None}, both)


def test_a_stream_without_graph_state_carries_only_the_conversation(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13's expose_graph_state=false: no per-component events, and messages do not say which component (or
    model) produced them; the answer's `output` event stays. Re-attaching replays the same narrowed stream."""
    client, headers, flow_id = setup
    body = {"flow_id": flow_id, "input_value": "quiet", "mode": "stream", "expose_graph_state": False}
    frames = sse(client.post(WF, json=body, headers=headers).text)
    assert [f[0]["event"] for f in frames] == ["build_start", "add_message", "add_message", "output", "end"]
    assert [f[1] for f in frames] == ["0", "1", "2", "3", "4"]  # Langflow numbers the frames it sends
    for message in (frames[1][0]["data"], frames[2][0]["data"]):
        assert set(message["properties"]["source"].values()) == {None} and message["properties"]["source"]
        if isinstance(message.get("data"), dict) and "properties" in message["data"]:
            assert set(message["data"]["properties"]["source"].values()) == {None}
    assert frames[3][0]["data"]["content"] == "quiet"
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()["job_id"]
    replay = sse(client.get(f"{WF}/{job}/events", headers=headers).text)
    assert [(f[0]["event"], f[1]) for f in replay] == [("build_start", "1"), ("add_message", "2"),
                                                       ("add_message", "3"), ("output", "4"), ("end", "5")]
    resumed = sse(client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": "3"}).text)
    assert [(f[0]["event"], f[1]) for f in resumed] == [("output", "4"), ("end", "5")]
    shown = sse(client.post(WF, json={**body, "expose_graph_state": None}, headers=headers).text)
    assert [f[0]["event"] for f in shown][0] == "vertices_sorted"


@pytest.mark.parametrize(("field", "value", "kind"), [
    ("input_value", None, "string_type"), ("tweaks", None, "dict_type"), ("globals", None, "dict_type"),
    ("globals", {"": "x"}, "string_too_short"), ("globals", {"K" * 257: "x"}, "string_too_long"),
    ("globals", {"K": "v" * 65537}, "string_too_long"), ("idempotency_key", "k" * 256, "string_too_long")])
def test_the_workflow_body_is_as_strict_as_1_13s(setup: tuple[TestClient, dict[str, str], str], field: str,
                                                 value: Any, kind: str) -> None:
    client, headers, flow_id = setup
    response = client.post(WF, json={"flow_id": flow_id, field: value}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == kind and response.json()["detail"][0]["loc"][:2] == ["body", field]


def test_1_13_refuses_fields_a_mode_would_ignore(setup: tuple[TestClient, dict[str, str], str],
                                                 chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup
    sync = client.post(WF, json={"flow_id": flow_id, "data": chat_flow["data"], "files": ["a/b.txt"],
                                 "stop_component_id": "ChatOutput-eF2gH"}, headers=headers)
    assert sync.status_code == 422
    assert sync.json()["detail"]["code"] == "SYNC_MODE_UNSUPPORTED_FIELDS"
    assert sync.json()["detail"]["fields"] == ["data", "files", "stop_component_id"]
    background = client.post(WF, json={"flow_id": flow_id, "mode": "background", "output_ids": ["x"]},
                             headers=headers)
    assert (background.status_code, background.json()["detail"]["code"]) == (422, "MODE_UNSUPPORTED_FIELDS")
    unknown = client.post(WF, json={"flow_id": flow_id, "output_ids": ["ChatOutput-eF2gH", "Nope-1"]},
                          headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == {"error": "Unknown output_ids", "code": "UNKNOWN_OUTPUT_IDS",
                                        "message": "output_ids not produced by this flow: ['Nope-1'].",
                                        "available": ["ChatOutput-eF2gH"]}
    chosen = client.post(WF, json={"flow_id": flow_id, "input_value": "hi", "output_ids": ["ChatOutput-eF2gH"]},
                         headers=headers)
    assert chosen.status_code == 200 and list(chosen.json()["outputs"]) == ["ChatOutput-eF2gH"]
    streamed = client.post(WF, json={"flow_id": flow_id, "mode": "stream", "data": chat_flow["data"]},
                           headers=headers)
    assert streamed.status_code == 200
    bad_protocol = client.post(WF, json={"flow_id": NIL, "stream_protocol": "smoke"}, headers=headers)
    assert (bad_protocol.status_code, bad_protocol.json()["detail"]["code"]) == (422, "UNKNOWN_STREAM_PROTOCOL")




def streaming_prompting(make_client: Callable[..., TestClient], tmp_path: Path,
                        rules: str) -> tuple[TestClient, dict[str, str], str]:
    """Basic Prompting with its model streaming (its `stream` field on), under a script of these rules."""
    script = tmp_path / "streaming.yaml"
    script.write_text(rules, encoding="utf-8")
    client = make_client(scripts=[script], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow = copy_of_example(client, headers, "Basic Prompting")
    body = {k: flow[k] for k in ("name", "description", "data")}
    model = next(n for n in body["data"]["nodes"] if n["id"].startswith("LanguageModelComponent"))
    model["data"]["node"]["template"]["stream"]["value"] = True
    return client, headers, create_flow(client, headers, {**body, "name": "Streaming"})["id"]


def failing_stream(make_client: Callable[..., TestClient], tmp_path: Path) -> tuple[TestClient, dict[str, str], str]:
    """Basic Prompting with its model streaming a reply that fails after three tokens, so Chat Output fails."""
    rules = 'rules:\n  - reply: "one two three four"\n    error: "Rate limit exceeded"\n    stream: {error_after: 3}\n'
    return streaming_prompting(make_client, tmp_path, rules)




def failing_output(make_client: Callable[..., TestClient], tmp_path: Path) -> tuple[TestClient, dict[str, str], str]:
    """Basic Prompting whose Chat Output's sender name loads a global variable nobody has: the Chat Output fails."""
    client, headers, flow_id = streaming_prompting(make_client, tmp_path, "rules: []\n")
    flow = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()
    output = next(n for n in flow["data"]["nodes"] if n["id"].startswith("ChatOutput"))
    output["data"]["node"]["template"]["sender_name"].update(value="NO_SUCH_VARIABLE", load_from_db=True)
    return client, headers, create_flow(client, headers, {"name": "Failing output", "data": flow["data"]})["id"]


def test_a_failed_output_vertex_still_has_its_output_event(make_client: Callable[..., TestClient],
                                                          tmp_path: Path) -> None:
    """1.13's langflow stream follows an output vertex's end_vertex with its `output` event, also when the vertex
    failed: status "failed", its content the error outputs of its build data."""
    client, headers, flow_id = failing_output(make_client, tmp_path)
    frames = [f for f, _ in sse(client.post(WF, json={"flow_id": flow_id, "input_value": "go", "mode": "stream"},
                                            headers=headers).text)]
    # (its global variable is not found before it builds: no error message of its own)
    assert [f["event"] for f in frames[-3:]] == ["end_vertex", "output", "end"]
    failed = frames[-3]["data"]["build_data"]
    output = frames[-2]["data"]
    assert output == {"type": "message", "status": "failed", "display_name": "Chat Output",
                      "content": failed["data"]["outputs"], "metadata": {"component_type": "ChatOutput"},
                      "component_id": failed["id"]}
    assert output["content"]["message"]["type"] == "error"


def test_background_job_moves_from_running_to_completed(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    submitted = client.post(WF, json={"flow_id": flow_id, "input_value": "wf bg", "mode": "background"},
                            headers=headers).json()
    job = submitted["job_id"]
    assert (submitted["object"], submitted["status"]) == ("job", "queued")
    assert submitted["links"] == {"status": f"{WF}?job_id={job}", "events": f"{WF}/{job}/events",
                                  "stop": f"{WF}/stop"}
    early = client.get(WF, params={"job_id": job}, headers=headers).json()
    assert (early["object"], early["status"]) == ("job", "in_progress")
    done = wait_status(client, headers, job, {"completed"})
    assert done["object"] == "response" and done["output"]["text"] == "wf bg"
    finished = client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).json()
    assert finished == {"job_id": job, "message": f"Job {job} already finished (completed)."}


def test_reattach_replays_events_from_id_one_and_after_last_event_id(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "again", "mode": "background"},
                      headers=headers).json()["job_id"]
    frames = sse(client.get(f"{WF}/{job}/events", headers=headers).text)
    assert frames[0][1] == "1" and frames[-1][0]["event"] == "end"
    rest = sse(client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": "6"}).text)
    assert [f[1] for f in rest] == [f[1] for f in frames[6:]]


def waiting_background_run(client: TestClient, headers: dict[str, str], **body: Any) -> tuple[str, str]:
    """A background run of a flow whose slow component waits a minute, once its Chat Input ran: (flow, job)."""
    flow = load_json("flow_slow_echo.json")
    flow["data"]["nodes"][1]["data"]["node"]["template"]["delay"]["value"] = 60
    flow_id = create_flow(client, headers, flow)["id"]
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "x", "mode": "background", **body},
                      headers=headers).json()["job_id"]
    wait_status(client, headers, job, {"in_progress"})
    for _ in range(300):  # until the Chat Input ran and the slow component waits
        if client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json():
            break
        time.sleep(0.01)
    return flow_id, job


def test_a_stopped_background_jobs_events_end_with_the_cancelled_mark(make_client: Callable[..., TestClient]) -> None:
    """1.13's background runner closes a stopped run's stored events with {"type": "cancelled"} (no event/data
    envelope), numbered after the events the run had sent; a second stop adds nothing."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    _, job = waiting_background_run(client, headers)
    assert client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).status_code == 200
    client.post(f"{WF}/stop", json={"job_id": job}, headers=headers)
    frames = sse(client.get(f"{WF}/{job}/events", headers=headers).text)
    assert [f["event"] for f, _ in frames[:3]] == ["vertices_sorted", "build_start", "add_message"]
    assert frames[-1] == ({"type": "cancelled"}, str(len(frames)))
    assert all("event" in f for f, _ in frames[:-1])


def test_background_runs_past_the_concurrency_limit_wait_queued(make_client: Callable[..., TestClient],
                                                                chat_flow: dict[str, Any]) -> None:
    """LANGFLOW_BACKGROUND_MAX_CONCURRENCY (1.13; 5 by default): so many background runs go on at once, the next
    one stays queued until one of them ends; a queued one that is stopped never runs."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0, background_max_concurrency=2)
    headers = {"x-api-key": new_api_key(client)}
    _, first = waiting_background_run(client, headers)
    waiting_background_run(client, headers)
    quick = create_flow(client, headers, chat_flow)["id"]
    waits, dropped = (client.post(WF, json={"flow_id": quick, "input_value": text, "session_id": text,
                                            "mode": "background"}, headers=headers).json()["job_id"]
                      for text in ("waits", "dropped"))
    time.sleep(0.3)
    assert [wait_status(client, headers, job, {"queued"})["status"] for job in (waits, dropped)] == ["queued"] * 2
    stopped = client.post(f"{WF}/stop", json={"job_id": dropped}, headers=headers).json()
    assert stopped == {"job_id": dropped, "message": f"Job {dropped} cancelled successfully."}
    client.post(f"{WF}/stop", json={"job_id": first}, headers=headers)
    assert wait_status(client, headers, waits, {"completed"})["output"]["text"] == "waits"
    assert wait_status(client, headers, dropped, {"cancelled"})["status"] == "cancelled"
    kept = client.get("/api/v1/monitor/messages", params={"flow_id": quick}, headers=headers).json()
    assert {m["session_id"] for m in kept} == {"waits"}


def test_a_stream_jobs_status_is_rebuilt_from_nothing(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13 keeps no outputs and logs no vertex builds of a live stream: its completed job's status is the
    response rebuilt from nothing, under the flow's id as session, whatever the stream carried."""
    client, headers, flow_id = setup
    frames = sse(client.post(WF, json={"flow_id": flow_id, "input_value": "s", "session_id": "mine", "mode": "stream",
                                       "stream_protocol": "agui", "globals": {"g": "v"}}, headers=headers).text)
    job = frames[0][0]["runId"]
    assert frames[2][0]["delta"] == "s"
    response = client.get(WF, params={"job_id": job}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    del body["created_timestamp"]
    assert body == {"flow_id": flow_id, "session_id": flow_id, "job_id": job, "object": "response",
                    "status": "completed", "output": {"reason": "none", "text": None, "source": None}, "errors": [],
                    "warnings": [], "inputs": {}, "globals": {}, "outputs": {}, "human_request": None,
                    "has_errors": False}
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers)
    assert builds.json() == {"vertex_builds": {}}  # a live stream logs none
    background = client.post(WF, json={"flow_id": flow_id, "input_value": "s", "mode": "background"},
                             headers=headers).json()["job_id"]
    wait_status(client, headers, background, {"completed"})
    logged = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert sorted(logged["vertex_builds"]) == ["ChatInput-aB1cD", "ChatOutput-eF2gH"]  # a background run does


def test_a_client_that_leaves_a_stream_stops_its_run_and_the_job_fails(tmp_path: Path) -> None:
    """1.13 cancels a live stream's build when its response closes: the run stops where it was (the reply is
    never completed) and its job, cancelled by the system rather than by a stop, reads as failed, with no
    error_detail."""
    server = start_server(tmp_path / "data")
    try:
        with server.client() as http:
            flow_id = paced_streaming_flow(http, 40)
            body = {"flow_id": flow_id, "input_value": "hi", "mode": "stream", "stream_protocol": "agui"}
            with http.stream("POST", WF, json=body) as response:
                first = next(response.iter_lines())
            job = json.loads(first.removeprefix("data: "))["runId"]
            detail = None
            for _ in range(400):
                status = http.get(WF, params={"job_id": job})
                if status.status_code == 500:
                    detail = status.json()["detail"]
                    break
                assert status.json()["status"] == "in_progress"
                time.sleep(0.01)
            assert detail == {"error": "Job failed", "code": "JOB_FAILED",
                              "message": f"Job {job} has failed execution.", "job_id": job, "error_detail": None}
            time.sleep(0.3)
            stored = http.get("/api/v1/monitor/messages", params={"flow_id": flow_id}).json()
            assert [m["text"] for m in stored if m["sender"] == "Machine"] in ([], [""])  # never completed
    finally:
        stop_server(server)


def test_a_replay_holds_no_tokens_and_counts_stored_events(make_client: Callable[..., TestClient],
                                                           tmp_path: Path) -> None:
    """1.13 stores a background run's durable events only: re-attaching after the run replays no `token` events,
    its ids count the stored events from 1, and Last-Event-ID counts them too."""
    client, headers, flow_id = streaming_prompting(make_client, tmp_path, 'rules:\n  - reply: "one two three"\n')
    streamed = sse(client.post(WF, json={"flow_id": flow_id, "input_value": "go", "mode": "stream"},
                               headers=headers).text)
    assert "token" in [f["event"] for f, _ in streamed]  # a live stream sends them
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "go", "mode": "background"},
                      headers=headers).json()["job_id"]
    wait_status(client, headers, job, {"completed"})
    frames = sse(client.get(f"{WF}/{job}/events", headers=headers).text)
    assert [f["event"] for f, _ in frames] == [f["event"] for f, _ in streamed if f["event"] != "token"]
    assert [i for _, i in frames] == [str(n) for n in range(1, len(frames) + 1)]
    rest = sse(client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": "6"}).text)
    assert rest == frames[6:]






def test_idempotency_key_returns_the_same_job(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    body = {"flow_id": flow_id, "input_value": "idem", "mode": "background", "idempotency_key": "k1"}
    first = client.post(WF, json=body, headers=headers).json()
    second = client.post(WF, json=body, headers=headers).json()
    assert first["job_id"] == second["job_id"]


def test_stop_during_a_slow_job_cancels_it_and_no_reply_is_stored(make_client: Callable[..., TestClient],
                                                                  chat_flow: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text("jobs:\n  - run_ms: 3000\n")
    client = make_client(scripts=[path])
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "slow", "mode": "background"},
                      headers=headers).json()["job_id"]
    assert client.get(WF, params={"job_id": job}, headers=headers).json()["status"] == "in_progress"
    stopped = client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).json()
    assert stopped == {"job_id": job, "message": f"Job {job} cancelled successfully."}
    status = client.get(WF, params={"job_id": job}, headers=headers).json()
    assert (status["object"], status["status"]) == ("job", "cancelled")
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []


def test_a_slow_scripted_job_is_queued_then_running_then_done(make_client: Callable[..., TestClient],
                                                              chat_flow: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text("jobs:\n  - queued_ms: 300\n    run_ms: 300\n")
    client = make_client(scripts=[path], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "x", "mode": "background"},
                      headers=headers).json()["job_id"]
    assert client.get(WF, params={"job_id": job}, headers=headers).json()["status"] == "queued"
    wait_status(client, headers, job, {"in_progress"})
    assert wait_status(client, headers, job, {"completed"})["object"] == "response"


def test_status_and_stop_errors_have_langflows_mixed_shapes(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    missing = client.get(WF, headers=headers)
    assert (missing.status_code, missing.json()) == (400, {"detail": {
        "error": "Missing required parameter", "code": "MISSING_PARAMETER", "message": "Job ID must be provided"}})
    bad = client.get(WF, params={"job_id": "not-a-job"}, headers=headers)
    assert bad.json() == {"detail": [{"type": "value_error", "loc": ["query", "job_id"],
                                      "msg": "Value error, Invalid job_id, must be a UUID"}]}
    unknown = client.get(WF, params={"job_id": NIL}, headers=headers)
    assert unknown.json() == {"error": "Workflow job not found", "code": "JOB_NOT_FOUND",
                              "message": f"Workflow job {NIL} not found", "job_id": NIL}
    stop = client.post(f"{WF}/stop", json={"job_id": NIL}, headers=headers)
    assert stop.json() == {"error": "Job not found", "code": "JOB_NOT_FOUND", "message": f"Job {NIL} not found",
                           "job_id": NIL}
    assert client.post(f"{WF}/stop", json={}, headers=headers).status_code == 422
    assert client.get(f"{WF}/pending", params={"flow_id": NIL}, headers=headers).json() == []


def test_only_background_jobs_can_be_stopped(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13 answers a stop of a sync or stream run with 409 JOB_NOT_CANCELLABLE; a cancelled job stays so."""
    client, headers, flow_id = setup
    sync = client.post(WF, json={"flow_id": flow_id, "input_value": "s"}, headers=headers).json()["job_id"]
    refused = client.post(f"{WF}/stop", json={"job_id": sync}, headers=headers)
    assert refused.status_code == 409
    assert refused.json() == {"detail": {"error": "Job cannot be stopped", "code": "JOB_NOT_CANCELLABLE",
                                         "message": "Only background workflow jobs can be stopped.",
                                         "job_id": sync, "mode": "unknown"}}
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "b", "mode": "background"},
                      headers=headers).json()["job_id"]
    first = client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).json()["message"]
    again = client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).json()["message"]
    if first == f"Job {job} cancelled successfully.":
        assert again == f"Job {job} is already cancelled."
    else:  # it had finished before the stop arrived
        assert first == again == f"Job {job} already finished (completed)."


def test_the_same_script_gives_the_same_text_on_every_path(make_client: Callable[..., TestClient],
                                                           tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text('rules:\n  - reply: "Consistent answer."\n')
    client = make_client(scripts=[path], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    fid = copy_of_example(client, headers, "Basic Prompting")["id"]
    run = client.post(f"/api/v1/run/{fid}", json={"input_value": "q"}, headers=headers).json()
    via_run = run["outputs"][0]["outputs"][0]["results"]["message"]["text"]
    build = client.post(f"/api/v1/build/{fid}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "q"}}, headers=headers).text
    via_build = [json.loads(b)["data"]["text"] for b in build.strip().split("\n\n")
                 if json.loads(b)["event"] == "add_message"][-1]
    via_sync = client.post(WF, json={"flow_id": fid, "input_value": "q"}, headers=headers).json()["output"]["text"]
    job = client.post(WF, json={"flow_id": fid, "input_value": "q", "mode": "background"},
                      headers=headers).json()["job_id"]
    via_poll = wait_status(client, headers, job, {"completed"})["output"]["text"]
    frames = sse(client.post(WF, json={"flow_id": fid, "input_value": "q", "mode": "stream"}, headers=headers).text)
    via_stream = next(f[0]["data"]["content"] for f in frames if f[0]["event"] == "output")
    assert via_run == via_build == via_sync == via_poll == via_stream == "Consistent answer."


def test_a_finished_job_survives_a_restart(tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    server = start_server(tmp_path / "data")
    try:
        with server.client() as http:
            flow_id = http.post("/api/v1/flows/", json=chat_flow).json()["id"]
            job = http.post(WF, json={"flow_id": flow_id, "input_value": "persist", "mode": "background"}).json()
            for _ in range(300):
                if http.get(WF, params={"job_id": job["job_id"]}).json()["status"] == "completed":
                    break
                time.sleep(0.01)
    finally:
        stop_server(server)
    server = start_server(tmp_path / "data")
    try:
        with httpx.Client(base_url=server.url, headers={"x-api-key": server.api_key}) as http:
            body = http.get(WF, params={"job_id": job["job_id"]}).json()
            assert (body["status"], body["output"]["text"]) == ("completed", "persist")
    finally:
        stop_server(server)


def test_resume_answers_as_1_13_for_runs_that_never_pause(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A job that never paused (a sync run's) is 409 NOT_RESUMABLE: it has no request that limits the decision,
    and it is not suspended; one that is not the caller's (or no UUID) is 1.13's 404 without a message."""
    client, headers, flow_id = setup
    done = client.post(WF, json={"flow_id": flow_id, "input_value": "x"}, headers=headers).json()
    answer = client.post(f"{WF}/{done['job_id']}/resume", json={"request_id": "r1", "decision": {}}, headers=headers)
    assert (answer.status_code, answer.json()["detail"]) == (409, {
        "error": "Job is not resumable", "code": "NOT_RESUMABLE",
        "message": "Job is not suspended, already resumed, or the request_id is stale.", "job_id": done["job_id"]})
    for unknown in (NIL, "not-a-uuid"):
        missing = client.post(f"{WF}/{unknown}/resume", json={"request_id": "r1"}, headers=headers)
        assert (missing.status_code, missing.json()) == (404, {  # a 404's dict detail is at the top level
            "error": "Workflow job not found", "code": "JOB_NOT_FOUND", "job_id": unknown})
    assert client.post(f"{WF}/{done['job_id']}/resume", json={}, headers=headers).status_code == 422


def test_a_superuser_resuming_another_users_job_meets_the_flow_lookup(make_client: Callable[..., TestClient],
                                                                        chat_flow: dict[str, Any]) -> None:
    """1.13's resume lets a superuser past its owner check (owner or superuser), then re-checks the execute
    permission by looking the job's flow up as the caller's (hitl.ensure_resume_execute_permission), which finds
    no other user's flow: the lookup's bare 404. Another ordinary user gets the job's own 404."""
    client = make_client(api_key=KEY)
    admin = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, admin)}
    flow_id = create_flow(client, bob, chat_flow)["id"]
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "x"}, headers=bob).json()["job_id"]
    answer = client.post(f"{WF}/{job}/resume", json={"request_id": "r1"}, headers=admin)
    assert (answer.status_code, answer.json()) == (404, {"detail": f"Flow identifier {flow_id} not found"})
    alice = {"x-api-key": other_user_key(client, admin, "alice")}
    missing = client.post(f"{WF}/{job}/resume", json={"request_id": "r1"}, headers=alice)
    assert (missing.status_code, missing.json()) == (404, {"error": "Workflow job not found", "code": "JOB_NOT_FOUND",
                                                           "job_id": job})


def test_events_of_an_unknown_job_and_a_stop_without_a_uuid(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    events = client.get(f"{WF}/{NIL}/events", headers=headers)
    assert (events.status_code, events.json()) == (404, {
        "error": "Background run not found", "code": "JOB_NOT_FOUND", "message": f"No background run for job {NIL}.",
        "job_id": NIL})
    for job_id in ("not-a-uuid", None, 123):
        stop = client.post(f"{WF}/stop", json={"job_id": job_id}, headers=headers)
        assert stop.status_code == 422
        assert [(e["type"], e["msg"]) for e in stop.json()["detail"]] == [
            ("value_error", "Value error, Invalid job_id, must be a UUID")]


def test_an_idempotency_key_returns_only_a_live_or_completed_background_job(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """Only background jobs carry their key; a retry returns the caller's queued, running or completed one (with
    the retry's own flow_id and no globals), and runs again after a cancelled one."""
    client = make_client(job_latency_ms=5000)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    chat_flow["name"] = "Other"
    other = create_flow(client, headers, chat_flow)["id"]
    sync = client.post(WF, json={"flow_id": flow_id, "input_value": "x"}, headers={**headers, "Idempotency-Key": "K"})
    body = {"flow_id": flow_id, "input_value": "x", "mode": "background", "idempotency_key": "K",
            "globals": {"A": "b"}}
    first = client.post(WF, json=body, headers=headers).json()
    assert first["job_id"] != sync.json()["job_id"] and first["globals"] == {}
    again = client.post(WF, json={**body, "flow_id": other}, headers=headers).json()
    assert (again["job_id"], again["flow_id"], again["status"]) == (first["job_id"], other, "queued")
    assert client.post(f"{WF}/stop", json={"job_id": first["job_id"]}, headers=headers).status_code == 200
    retried = client.post(WF, json=body, headers=headers).json()
    assert retried["job_id"] != first["job_id"]


def test_a_finished_background_job_echoes_no_inputs_or_globals(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    body = {"flow_id": flow_id, "input_value": "x", "mode": "background", "globals": {"A": "b"},
            "tweaks": {"ChatOutput-eF2gH": {"sender_name": "T"}}}
    job = client.post(WF, json=body, headers=headers).json()
    done = wait_status(client, headers, job["job_id"], {"completed"})
    assert (done["inputs"], done["globals"]) == ({}, {})


# --- runs that fail, and jobs a stop or a re-attach cannot reach (1.13) -------------------------------------

CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"
CODE_TWEAK = {"ChatInput-aB1cD": {"code": "print('x')"}}
REFUSED_TEXT = "Refused tweak keys ['code']: The field is protected and keeps the value set by the flow author."


def wait_failed(client: TestClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    """The detail of a job's 500 status answer, once it has failed."""
    for _ in range(500):
        response = client.get(WF, params={"job_id": job_id}, headers=headers)
        if response.status_code == 500:
            detail: dict[str, Any] = response.json()["detail"]
            return detail
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} never failed")


def error_events(text: str) -> list[dict[str, Any]]:
    return [data["data"] for data, _ in sse(text) if data["event"] == "error"]


BOOM_EVENTS = ["vertices_sorted", "build_start", "add_message", "end_vertex", "error", "end_vertex", "end"]


def test_a_component_that_raises_fails_its_vertex_and_a_stream_or_background_run_goes_on(
        make_client: Callable[..., TestClient]) -> None:
    """1.13 runs a stream or background run through the v1 build loop: the failing component's error Message is
    an `error` event, its vertex ends invalid, and the run still ends with `end`. A background job is failed all
    the same (its stream held an `error`), its status carrying that Message as error_detail; a live stream's job
    completes. A sync run fails as a whole, and its job keeps no error (null)."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    boom = create_flow(client, headers, load_json("flow_boom.json"))["id"]
    job = client.post(WF, json={"flow_id": boom, "input_value": "bg boom", "mode": "background"},
                      headers=headers).json()["job_id"]
    detail = wait_failed(client, headers, job)
    replayed = [data for data, _ in sse(client.get(f"{WF}/{job}/events", headers=headers).text)]
    assert [d["event"] for d in replayed] == BOOM_EVENTS
    error = replayed[4]["data"]
    assert (error["category"], error["sender"], error["text"]) == ("error", "Boom", "contract boom: bg boom\n")
    failed = replayed[5]["data"]["build_data"]
    assert (failed["id"], failed["valid"]) == ("CustomComponent-bO0m1", False)
    assert failed["params"] == "Error building Component Boom: \n\ncontract boom: bg boom"
    assert detail == {"error": "Job failed", "code": "JOB_FAILED", "message": f"Job {job} has failed execution.",
                      "job_id": job, "error_detail": error}
    sync = client.post(WF, json={"flow_id": boom, "input_value": "sync boom"}, headers=headers).json()["job_id"]
    assert wait_failed(client, headers, sync)["error_detail"] is None
    stream = sse(client.post(WF, json={"flow_id": boom, "input_value": "s", "mode": "stream"}, headers=headers).text)
    assert [d["event"] for d, _ in stream] == BOOM_EVENTS
    assert [i for _, i in stream] == [str(n) for n in range(7)]
    assert stream[4][0]["data"]["text"] == "contract boom: s\n"
    agui = sse(client.post(WF, json={"flow_id": boom, "input_value": "s", "mode": "stream",
                                     "stream_protocol": "agui"}, headers=headers).text)
    assert [f["type"] for f, _ in agui] == ["RUN_STARTED", "RUN_ERROR", "RUN_FINISHED"]
    assert agui[1][0] == {"type": "RUN_ERROR", "message": "contract boom: s"}
    status = client.get(WF, params={"job_id": agui[0][0]["runId"]}, headers=headers)
    assert (status.status_code, status.json()["status"]) == (200, "completed")


def test_a_failed_sync_run_names_no_session_and_echoes_the_requests_tweaks_and_globals(
        make_client: Callable[..., TestClient]) -> None:
    """1.13's error response for a sync run whose component raised: no session, an output whose reason is
    "failed", and the request's tweaks and globals echoed as a successful run echoes them."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    boom = create_flow(client, headers, load_json("flow_boom.json"))["id"]
    tweaks = {"ChatInput-aB1cD": {"sender_name": "Ann"}}
    response = client.post(WF, json={"flow_id": boom, "input_value": "sync boom", "session_id": "mine",
                                     "tweaks": tweaks, "globals": {"region": "eu"}}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body == {"flow_id": boom, "session_id": None, "job_id": body["job_id"], "object": "response",
                    "created_timestamp": body["created_timestamp"], "status": "failed",
                    "output": {"reason": "failed", "text": None, "source": None},
                    "errors": [{"error": "Error running graph: Error building Component Boom: \n\n"
                                         "contract boom: sync boom",
                                "code": "EXECUTION_ERROR", "details": {"flow_id": boom, "error_type": "ValueError"}}],
                    "warnings": [], "inputs": tweaks, "globals": {"region": "eu"}, "outputs": {},
                    "human_request": None, "has_errors": True}


def test_protected_tweaks_fail_a_stream_or_background_run_after_it_is_accepted(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13 applies a stream or background run's tweaks to the graph it builds: a protected one (a component's
    code) is refused there, once the stream or the job exists. The stream is one error event; the job is queued,
    then failed with that error. Tweaks there name a node by its id only."""
    client, headers, flow_id = setup
    body = {"flow_id": flow_id, "input_value": "x", "session_id": "tw", "tweaks": CODE_TWEAK}
    stream = client.post(WF, json={**body, "mode": "stream"}, headers=headers)
    assert stream.status_code == 200
    [(frame, frame_id)] = sse(stream.text)
    assert (frame["event"], frame_id) == ("error", "0")
    error = frame["data"]
    assert (error["category"], error["text"], error["session_id"], error["flow_id"]) == (
        "error", REFUSED_TEXT + "\n", "tw", flow_id)
    assert error["content_blocks"][1]["contents"][0]["reason"] == (
        f"**TweakRefusedError**\n - **Details: {REFUSED_TEXT}**\n")
    agui = sse(client.post(WF, json={**body, "mode": "stream", "stream_protocol": "agui"}, headers=headers).text)
    assert [f[0]["type"] for f in agui] == ["RUN_STARTED", "RUN_ERROR"]
    assert agui[1][0]["message"] == REFUSED_TEXT
    submitted = client.post(WF, json={**body, "mode": "background"}, headers=headers)
    assert (submitted.status_code, submitted.json()["status"]) == (200, "queued")
    job = submitted.json()["job_id"]
    detail = wait_failed(client, headers, job)
    [(replayed, replayed_id)] = sse(client.get(f"{WF}/{job}/events", headers=headers).text)
    assert (replayed["event"], replayed_id, replayed["data"]["text"]) == ("error", "1", REFUSED_TEXT + "\n")
    assert detail["error_detail"] == replayed["data"]
    by_name = client.post(WF, json={**body, "mode": "stream", "tweaks": {"Chat Input": {"code": "x"}}},
                          headers=headers)
    assert sse(by_name.text)[-1][0]["event"] == "end"


@pytest.mark.parametrize("value", [-1, "abc", True, [1], 1.5])
def test_a_nodes_tweaks_that_are_no_object_fail_a_stream_or_background_run(
        setup: tuple[TestClient, dict[str, str], str], value: Any) -> None:
    """1.13's build loop reads a node's tweaks as a mapping: a value that is not one (and not empty) fails the
    build with Python's AttributeError (a 500's error event, no session named without a session_id); the job is
    queued, then failed with the same error. A sync run passes over it; an empty value or a key naming no node
    changes nothing anywhere."""
    client, headers, flow_id = setup
    text = f"'{type(value).__name__}' object has no attribute 'items'"
    body = {"flow_id": flow_id, "input_value": "x", "tweaks": {"ChatInput-aB1cD": value}}
    [(frame, frame_id)] = sse(client.post(WF, json={**body, "mode": "stream"}, headers=headers).text)
    error = frame["data"]
    assert (frame["event"], frame_id, error["text"], error["session_id"]) == ("error", "0", text + "\n", None)
    reason = error["content_blocks"][1]["contents"][0]["reason"]
    assert reason == "**HTTPException**\n - **An unknown error occurred.**\n"
    agui = sse(client.post(WF, json={**body, "mode": "stream", "stream_protocol": "agui"}, headers=headers).text)
    assert [(f[0]["type"], f[0].get("message")) for f in agui] == [("RUN_STARTED", None), ("RUN_ERROR", text)]
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()["job_id"]
    assert wait_failed(client, headers, job)["error_detail"]["text"] == text + "\n"
    assert client.post(WF, json=body, headers=headers).json()["status"] == "completed"
    for harmless in ({"ChatInput-aB1cD": 0}, {"ChatInput-aB1cD": []}, {"ChatInput-aB1cD": None}, {"nope": 5}):
        frames = sse(client.post(WF, json={**body, "mode": "stream", "tweaks": harmless}, headers=headers).text)
        assert frames[-1][0]["event"] == "end", harmless


def test_a_stream_without_session_or_input_value_keeps_a_tweaked_chat_input_text(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13's build loop is given an input only when a stream or background run names a session or an input
    value: without either, a tweak of the Chat Input's text stands (the session is the flow's id); with a session
    the empty input_value replaces it."""
    client, headers, flow_id = setup
    tweaks = {"ChatInput-aB1cD": {"input_value": "from the tweak"}}

    def answer(**extra: Any) -> tuple[str, str]:
        frames = sse(client.post(WF, json={"flow_id": flow_id, "mode": "stream", "tweaks": tweaks, **extra},
                                 headers=headers).text)
        output = next(f[0]["data"] for f in frames if f[0]["event"] == "output")
        sent = next(f[0]["data"] for f in frames if f[0]["event"] == "add_message")
        return output["content"], sent["session_id"]

    assert answer() == ("from the tweak", flow_id)
    assert answer(session_id="s-tw") == ("", "s-tw")
    assert answer(input_value="typed") == ("typed", flow_id)


@pytest.mark.parametrize(("text", "shown"), [
    ("hello there", "hello there"), ("", "''"), ("yes", "'yes'"), ("Null", "'Null'"), ("42", "'42'"),
    ("a: b", "'a: b'"), ("it's", "it's"), ("#tag", "'#tag'"), (" lead", "' lead'"), ("tab\there", '"tab\\there"'),
    ("two\nlines", "'two\n\n    lines'"), ("héllo", "héllo"),
    ("word " * 18 + "end", "word " * 14 + "word\n    " + "word " * 3 + "end")])
def test_a_chat_vertexs_params_are_its_artifacts_as_yaml(setup: tuple[TestClient, dict[str, str], str], text: str,
                                                        shown: str) -> None:
    """build_data's `params` of a Chat Input or Output is PyYAML's block dump of its artifacts: quoting, escapes
    and the folding of long lines as PyYAML writes them (each case's YAML is PyYAML's own)."""
    client, headers, flow_id = setup
    frames = sse(client.post(WF, json={"flow_id": flow_id, "mode": "stream", "input_value": text, "session_id": "y"},
                             headers=headers).text)
    params = [f[0]["data"]["build_data"]["params"] for f in frames if f[0]["event"] == "end_vertex"]
    # the machine's message is ChatOutputResponse's: its line breaks doubled, as markdown wants them
    machine = shown.replace("\n\n    ", "\n\n\n    ")
    assert params == [f"- Files: []\n  Message: {shown}\n  Sender: User\n  Sender Name: User\n  Type: object\n",
                      f"- Files: []\n  Message: {machine}\n  Sender: Machine\n  Sender Name: AI\n  Type: object\n"]


def test_a_flow_without_data_fails_a_stream_or_background_run_after_it_is_accepted(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A stored flow whose data is null: only a sync run is refused up front (400). A stream is one error event
    (the build's "Invalid flow ID"); a background job is queued, then fails with that error."""
    client, headers, _ = setup
    empty = create_flow(client, headers, {"name": "Empty"})["id"]
    body = {"flow_id": empty, "input_value": "x", "tweaks": CODE_TWEAK}
    [(frame, frame_id)] = sse(client.post(WF, json={**body, "mode": "stream"}, headers=headers).text)
    assert (frame["event"], frame_id, frame["data"]["text"]) == ("error", "0", "Invalid flow ID\n")
    assert frame["data"]["session_id"] is None  # an input_value without a session_id: the build has no session
    quiet = sse(client.post(WF, json={"flow_id": empty, "mode": "stream"}, headers=headers).text)
    assert quiet[0][0]["data"]["session_id"] == empty  # neither: the build's own session, the flow's id
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()
    assert job["status"] == "queued"
    detail = wait_failed(client, headers, job["job_id"])
    [(replayed, replayed_id)] = sse(client.get(f"{WF}/{job['job_id']}/events", headers=headers).text)
    assert (replayed["event"], replayed_id) == ("error", "1")
    assert detail["error_detail"] == replayed["data"] and replayed["data"]["text"] == "Invalid flow ID\n"


def test_a_sync_or_stream_job_reads_as_mode_unknown_and_has_no_events(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """Only a background job keeps the request it ran (1.13's job_metadata["request"]): a stop of any other job
    names its mode "unknown", and its events, which only a background run records, are an empty stream."""
    client, headers, flow_id = setup
    sync = client.post(WF, json={"flow_id": flow_id, "input_value": "s"}, headers=headers).json()["job_id"]
    started = sse(client.post(WF, json={"flow_id": flow_id, "input_value": "s", "mode": "stream",
                                        "stream_protocol": "agui"}, headers=headers).text)[0][0]
    for job in (sync, started["runId"]):
        refused = client.post(f"{WF}/stop", json={"job_id": job}, headers=headers)
        assert (refused.status_code, refused.json()["detail"]["mode"]) == (409, "unknown")
        events = client.get(f"{WF}/{job}/events", headers=headers)
        assert events.status_code == 200
        assert (events.headers["content-type"], events.text) == ("text/event-stream; charset=utf-8", "")


def two_sinks(chat_flow: dict[str, Any]) -> dict[str, Any]:
    """Chat Input -> Chat Output, the Chat Input also feeding a data component and a message one that feed nothing."""
    return sink(sink(chat_flow, "Tally-dAt4x", ["Data"]), "Note-t3xtx", ["Message"])


CHAT_OUTPUT = {"type": "message", "status": "completed", "display_name": "Chat Output", "content": "dangle",
               "metadata": {"component_type": "ChatOutput"}}
# 1.13 shows a data output's value (the outputs its build holds, when none is named result/results), never the
# message of a component that is no output
DATA_SINK = {"type": "data", "status": "completed", "display_name": "Tally", "metadata": {"component_type": "Tally"},
             "content": {"out": {"message": "dangle", "type": "text"}}}
TEXT_SINK = {"type": "message", "status": "completed", "display_name": "Note", "content": None,
             "metadata": {"component_type": "Note"}}


def test_a_sync_runs_outputs_are_every_component_that_feeds_nothing(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13's outputs are the flow's terminal vertices (no edge leaves them), in the graph's order, output
    components or not; a Chat Output that feeds another component is none of them."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    dangling = create_flow(client, headers, two_sinks(chat_flow))
    body = client.post(WF, json={"flow_id": dangling["id"], "input_value": "dangle"}, headers=headers).json()
    assert list(body["outputs"].items()) == [("ChatOutput-eF2gH", CHAT_OUTPUT), ("Tally-dAt4x", DATA_SINK),
                                             ("Note-t3xtx", TEXT_SINK)]
    assert body["output"] == {"reason": "single", "text": "dangle", "source": "ChatOutput-eF2gH"}
    fed = create_flow(client, headers, sink(chat_flow, "Note-t3xtx", ["Message"], source="ChatOutput-eF2gH"))
    body = client.post(WF, json={"flow_id": fed["id"], "input_value": "dangle"}, headers=headers).json()
    assert body["outputs"] == {"Note-t3xtx": TEXT_SINK}
    assert body["output"] == {"reason": "non_string", "text": None, "source": None}


def test_a_stream_sends_each_terminal_components_output_and_a_job_keeps_them(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13's langflow stream follows every terminal vertex's end_vertex with its `output` event (without graph
    state, only an output component's), and a background job's status lists every terminal vertex it built."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, two_sinks(chat_flow))["id"]
    body = {"flow_id": flow_id, "input_value": "dangle", "mode": "stream"}
    frames = [f for f, _ in sse(client.post(WF, json=body, headers=headers).text)]
    sent = {f["data"].pop("component_id"): f["data"] for f in frames if f["event"] == "output"}
    assert sent == {"ChatOutput-eF2gH": CHAT_OUTPUT, "Tally-dAt4x": DATA_SINK, "Note-t3xtx": TEXT_SINK}
    meta = {f["data"]["output_meta"]["component_id"]: f["data"]["output_meta"]["is_terminal"]
            for f in frames if f["event"] == "end_vertex"}
    assert meta == {"ChatInput-aB1cD": False, "ChatOutput-eF2gH": True, "Tally-dAt4x": True, "Note-t3xtx": True}
    narrowed = sse(client.post(WF, json={**body, "expose_graph_state": False}, headers=headers).text)
    assert [f["data"]["component_id"] for f, _ in narrowed if f["event"] == "output"] == ["ChatOutput-eF2gH"]
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()["job_id"]
    done = wait_status(client, headers, job, {"completed"})
    assert done["outputs"] == {"ChatOutput-eF2gH": CHAT_OUTPUT, "Tally-dAt4x": DATA_SINK, "Note-t3xtx": TEXT_SINK}


def test_output_meta_reads_the_flows_graph_and_the_first_outputs_types(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13's end_vertex output_meta: `is_terminal` whether an edge leaves the vertex in the flow (a stop component
    that cuts the run short changes nothing), `output_types` its first output's types only."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    frames = sse(client.post(WF, json={"flow_id": flow_id, "input_value": "cut", "mode": "stream",
                                       "stop_component_id": "ChatInput-aB1cD"}, headers=headers).text)
    [meta] = [f["data"]["output_meta"] for f, _ in frames if f["event"] == "end_vertex"]
    assert (meta["component_id"], meta["is_terminal"]) == ("ChatInput-aB1cD", False)
    assert "output" not in [f["event"] for f, _ in frames]
    prompting = copy_of_example(client, headers, "Basic Prompting")["id"]
    frames = sse(client.post(WF, json={"flow_id": prompting, "input_value": "hi", "mode": "stream"},
                             headers=headers).text)
    model = next(f["data"]["output_meta"] for f, _ in frames if f["event"] == "end_vertex"
                 and f["data"]["output_meta"]["vertex_type"] == "LanguageModelComponent")
    assert (model["output_types"], model["is_terminal"]) == (["Message"], False)


def test_a_stream_or_background_run_takes_no_globals(make_client: Callable[..., TestClient],
                                                     chat_flow: dict[str, Any]) -> None:
    """1.13 hands the request's globals (body or X-LANGFLOW-GLOBAL-VAR-* headers) to a sync run only: a stream or
    background run builds its graph without them, so a field that loads a global variable does not get them: it
    loads the user's own variable of that name."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/variables/", json={"name": "BOT_NAME", "value": "Stored", "type": "Generic",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    flow = copy.deepcopy(chat_flow)
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    flow_id = create_flow(client, headers, flow)["id"]
    sent = {**headers, "X-LANGFLOW-GLOBAL-VAR-BOT_NAME": "HeaderBot"}
    for mode, body_globals in (("stream", {"BOT_NAME": "BodyBot"}), ("stream", {}), ("background", {"BOT_NAME": "B"})):
        session = f"{mode}-{len(body_globals)}"
        answer = client.post(WF, headers=sent, json={"flow_id": flow_id, "input_value": "g", "mode": mode,
                                                     "session_id": session, "globals": body_globals})
        assert answer.status_code == 200
        if mode == "background":
            wait_status(client, headers, answer.json()["job_id"], {"completed"})
        stored = client.get("/api/v1/monitor/messages", params={"session_id": session}, headers=headers).json()
        assert stored[-1]["sender_name"] == "Stored"


def test_a_sync_run_logs_each_vertexs_result_under_its_job(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13 runs a sync run through the graph's own loop, which logs each vertex's result (a run response's
    ResultData: messages, component_id... and no `message`) under the run's id, the job's."""
    client, headers, flow_id = setup
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "logged"}, headers=headers).json()["job_id"]
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()["vertex_builds"]
    assert sorted(builds) == ["ChatInput-aB1cD", "ChatOutput-eF2gH"]
    for vertex_id, [build] in builds.items():
        assert build["job_id"] == job
        assert set(build["data"]) == {"results", "artifacts", "outputs", "logs", "messages", "timedelta", "duration",
                                      "component_display_name", "component_id", "used_frozen_result", "token_usage"}
        assert build["data"]["component_id"] == vertex_id
    assert builds["ChatOutput-eF2gH"][0]["data"]["messages"][0]["message"] == "logged"


def test_a_global_applies_to_a_field_naming_it_in_the_same_case(make_client: Callable[..., TestClient],
                                                                 chat_flow: dict[str, Any]) -> None:
    """1.13 looks a field's variable up by its exact name among the request's globals: a header's name is
    upper-cased, a body global's kept as sent, so `bot_name` in a field matches neither BOT_NAME nor a header."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    names = []
    for field_value, sent, body_globals in (("BOT_NAME", {}, {"bot_name": "Lower"}),
                                            ("bot_name", {"X-LANGFLOW-GLOBAL-VAR-bot_name": "Header"}, {}),
                                            ("bot_name", {}, {"bot_name": "Exact"})):
        flow = copy.deepcopy(chat_flow)
        output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
        output["data"]["node"]["template"]["sender_name"].update({"value": field_value, "load_from_db": True})
        flow_id = create_flow(client, headers, flow)["id"]
        session = f"case-{len(names)}"
        answer = client.post(WF, headers={**headers, **sent}, json={"flow_id": flow_id, "input_value": "c",
                                                                     "session_id": session, "globals": body_globals})
        assert answer.status_code == 200
        stored = client.get("/api/v1/monitor/messages", params={"session_id": session}, headers=headers).json()
        names.append(stored[-1]["sender_name"])
    assert names[0] != "Lower" and names[1] != "Header" and names[2] == "Exact"


def test_only_an_output_vertex_shows_its_message_as_content(make_client: Callable[..., TestClient],
                                                            chat_flow: dict[str, Any]) -> None:
    """1.13's v2 outputs show a message as content for an output vertex only, told by its type or id prefix
    (ChatOutput, DataOutput, TextOutput) or its node's is_output flag: a custom "MyChatOutput" shows none."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    renamed = json.loads(json.dumps(chat_flow).replace("ChatOutput-eF2gH", "Reply-eF2gH"))
    node = next(n for n in renamed["data"]["nodes"] if n["id"] == "Reply-eF2gH")
    node["data"]["type"] = "MyChatOutput"
    contents = []
    for flag in (False, True):
        node["data"]["node"]["is_output"] = flag
        flow_id = create_flow(client, headers, {**renamed, "name": f"Reply {flag}"})["id"]
        body = client.post(WF, headers=headers, json={"flow_id": flow_id, "input_value": "shown?"}).json()
        contents.append(body["outputs"]["Reply-eF2gH"]["content"])
    assert contents == [None, "shown?"]


def test_a_background_run_fails_on_a_fields_unknown_global_variable(make_client: Callable[..., TestClient],
                                                                    chat_flow: dict[str, Any]) -> None:
    """1.13 builds a background (or stream) run through the v1 build loop, which has no environment fallback: a
    field loading a global variable the user does not hold fails its vertex ("<name> variable not found."), where
    a sync run leaves the field empty and completes."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    sync = client.post(WF, headers=headers, json={"flow_id": flow_id, "input_value": "s"})
    assert (sync.status_code, sync.json()["status"]) == (200, "completed")
    job = client.post(WF, headers=headers, json={"flow_id": flow_id, "input_value": "b", "mode": "background"})
    job_id = job.json()["job_id"]
    for _ in range(500):
        status = client.get(WF, params={"job_id": job_id}, headers=headers).json()
        if "status" not in status:
            break
        time.sleep(0.01)
    assert status["detail"]["code"] == "JOB_FAILED"  # a failed job's status answer
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    failed = [b for b in builds["vertex_builds"]["ChatOutput-eF2gH"] if not b["valid"]]
    assert [b["params"] for b in failed] == ["Error building Component Chat Output: \n\nBOT_NAME variable not found."]


@pytest.mark.parametrize("mode", ["stream", "background"])
@pytest.mark.parametrize("show", [True, False])
def test_a_stream_or_background_runs_tweak_of_a_variable_field_is_taken_as_sent(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], mode: str, show: bool) -> None:
    """1.13 applies a stream or background run's tweaks to the graph it built (apply_tweaks_on_vertex): a tweak
    giving a shown field a value takes it off the fields that load a global variable, and a hidden field was never
    on them, so the value reaches the component as sent; no variable of that name is looked up (that run's build
    would fail the vertex on one the user lacks)."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    chat_input = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")
    chat_input["data"]["node"]["template"]["sender_name"].update(
        {"value": "SENDER_VARIABLE", "load_from_db": True, "show": show})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    stored = run_with_tweaks((client, headers, flow_id), mode, f"lv-{mode}-{show}",
                             {"ChatInput-aB1cD": {"sender_name": "NO_SUCH_VARIABLE"}})
    assert [(m["sender_name"], m["text"]) for m in stored] == [("NO_SUCH_VARIABLE", "t"), ("AI", "t")]


def test_a_graph_lacking_a_part_is_a_sync_400_and_fails_a_stream_or_background_run_as_its_build(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    """1.13's sync run makes the graph with process_tweaks then Graph.from_payload, in a try that words any error
    "Failed to build graph from flow data: <text>" (a 400 INVALID_FLOW_DATA), before it reads output_ids; a stream
    or background run makes it in the v1 build loop, whose graph step fails with the loader's text (a 500): the
    stream is that one error Message, the background job fails with it. Nothing runs, nothing is stored."""
    client, headers, _ = setup
    chat_flow["data"]["edges"][0]["target"] = "Nope-1"
    broken = create_flow(client, headers, chat_flow)["id"]
    sync = client.post(WF, json={"flow_id": broken, "input_value": "x", "output_ids": ["nope"]}, headers=headers)
    assert sync.status_code == 400
    assert sync.json()["detail"] == {"error": "Workflow validation error", "code": "INVALID_FLOW_DATA",
                                     "message": "Failed to build graph from flow data: Vertex Nope-1 not found",
                                     "flow_id": broken}
    body = {"flow_id": broken, "input_value": "x", "session_id": "s1"}
    [(frame, frame_id)] = sse(client.post(WF, json={**body, "mode": "stream"}, headers=headers).text)
    assert (frame["event"], frame_id, frame["data"]["text"]) == ("error", "0", "Vertex Nope-1 not found\n")
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()
    detail = wait_failed(client, headers, job["job_id"])
    assert detail["error_detail"]["text"] == "Vertex Nope-1 not found\n"
    assert client.get("/api/v1/monitor/messages", params={"flow_id": broken}, headers=headers).json() == []
    empty = create_flow(client, headers, {"name": "Empty", "data": {}})["id"]
    refused = client.post(WF, json={"flow_id": empty, "input_value": "x"}, headers=headers)
    assert refused.json()["detail"]["message"] == f"Failed to build graph from flow data: {errors.TWEAKS_WITHOUT_NODES}"


def test_a_chat_input_that_stores_nothing_shows_the_message_it_made(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A Chat Input with should_store_message off sends no add_message and its vertex's result is its Message as
    made: no id, run or session metadata, the fields in the order lfx's ChatInput creates it with."""
    client, headers, flow_id = setup
    frames = sse(client.post(WF, json={"flow_id": flow_id, "mode": "stream", "input_value": "q", "session_id": "n",
                                       "tweaks": {"ChatInput-aB1cD": {"should_store_message": False}}},
                             headers=headers).text)
    assert [f[0]["event"] for f in frames] == ["vertices_sorted", "build_start", "end_vertex", "add_message",
                                               "end_vertex", "output", "end"]
    message = frames[2][0]["data"]["build_data"]["data"]["results"]["message"]
    assert list(message["data"])[:7] == ["text", "sender", "sender_name", "session_id", "context_id", "files",
                                         "run_id"]
    assert "id" not in message["data"] and message["session_metadata"] is None
