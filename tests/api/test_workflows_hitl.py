"""/api/v2/workflows in 1.13 with a Human Input node: a background run suspends for a person, /pending lists it,
/resume goes on with the chosen branch; sync and stream runs go through the node without pausing."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app, errors
from tests.conftest import KEY, create_flow, load_json, new_api_key, other_user_key

WF = "/api/v2/workflows"
HUMAN, APPROVED, REJECTED = "HumanInput-hU1aN", "ChatOutput-eF2gH", "ChatOutput-rEj3C"


def _edge(source: str, output: str, target: str, field: str) -> dict[str, Any]:
    return {"source": source, "target": target, "data": {
        "sourceHandle": {"dataType": source.split("-")[0], "id": source, "name": output, "output_types": ["Message"]},
        "targetHandle": {"id": target, "fieldName": field}}}


def hitl_flow(*, fallback: bool = False) -> dict[str, Any]:
    """Chat Input -> Human Input (its prompt) -> branch_approve -> Chat Output, branch_reject -> another."""
    flow = copy.deepcopy(load_json("flow_chat_io.json"))
    data = flow["data"]
    rejected = copy.deepcopy(next(n for n in data["nodes"] if n["id"] == APPROVED))
    rejected["id"] = rejected["data"]["id"] = REJECTED
    template: dict[str, Any] = {"_type": "Component",
                                "prompt": {"name": "prompt", "type": "str", "value": "", "show": True,
                                           "input_types": ["Message"]},
                                "decisions": {"name": "decisions", "type": "str", "value": ["Approve", "Reject"],
                                              "show": True}}
    outputs = [{"name": f"branch_{key}", "types": ["Message"], "method": "route_branch", "group_outputs": True}
               for key in ("approve", "reject")]
    if fallback:
        template["enable_fallback"] = {"name": "enable_fallback", "type": "bool", "value": True, "show": True}
        template["timeout"] = {"name": "timeout", "type": "dict", "value": {"value": 1, "unit": "Hours"},
                               "show": True}
        outputs.append({"name": "branch_fallback", "types": ["Message"], "method": "route_branch"})
    human = {"display_name": "Human Input", "template": template, "outputs": outputs}
    data["nodes"] += [rejected, {"id": HUMAN, "type": "genericNode",
                                 "data": {"id": HUMAN, "type": "HumanInput", "node": human}}]
    data["edges"] = [_edge("ChatInput-aB1cD", "message", HUMAN, "prompt"),
                     _edge(HUMAN, "branch_approve", APPROVED, "input_value"),
                     _edge(HUMAN, "branch_reject", REJECTED, "input_value")]
    if fallback:
        fallen = copy.deepcopy(rejected)
        fallen["id"] = fallen["data"]["id"] = "ChatOutput-fA1lB"
        data["nodes"].append(fallen)
        data["edges"].append(_edge(HUMAN, "branch_fallback", "ChatOutput-fA1lB", "input_value"))
    return flow


@pytest.fixture
def setup(make_client: Callable[..., TestClient]) -> tuple[TestClient, dict[str, str], str]:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, hitl_flow())["id"]


def frames(text: str) -> list[tuple[dict[str, Any], str]]:
    """(data, id) of every SSE frame."""
    out = []
    for frame in text.strip("\n").split("\n\n"):
        data_line, id_line = frame.split("\n")
        out.append((json.loads(data_line.removeprefix("data: ")), id_line.removeprefix("id: ")))
    return out


def settled(client: TestClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    """The job's status once it is neither queued nor in progress."""
    for _ in range(500):
        body: dict[str, Any] = client.get(WF, params={"job_id": job_id}, headers=headers).json()
        if body.get("status") not in ("queued", "in_progress"):
            return body
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} never settled")


def suspended_job(client: TestClient, headers: dict[str, str], flow_id: str, text: str = "ship it?",
                  **extra: Any) -> str:
    job: str = client.post(WF, json={"flow_id": flow_id, "input_value": text, "mode": "background", **extra},
                           headers=headers).json()["job_id"]
    assert settled(client, headers, job)["status"] == "suspended"
    return job


def card(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, Any]:
    """The human_input content of the flow's card message."""
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    cards = [m for m in messages if m["content_blocks"]]
    assert len(cards) == 1
    leaf: dict[str, Any] = cards[0]["content_blocks"][0]["contents"][0]
    return leaf


def test_a_background_run_suspends_at_human_input_and_resumes_on_the_chosen_branch(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = client.post(WF, json={"flow_id": flow_id, "input_value": "ship it?", "mode": "background",
                                "session_id": "s-1"}, headers=headers).json()["job_id"]
    status = settled(client, headers, job)
    assert (status["object"], status["status"]) == ("job", "suspended")
    request_id = f"{HUMAN}:{job}"

    paused = frames(client.get(f"{WF}/{job}/events", headers=headers).text)
    assert [f[0]["event"] for f in paused] == ["vertices_sorted", "build_start", "add_message", "end_vertex",
                                               "end_vertex", "human_input_required"]
    request = paused[-1][0]["data"]
    assert {k: v for k, v in request.items() if k != "paused_at"} == {
        "request_id": request_id, "kind": "node_input", "prompt": "ship it?",
        "options": [{"action_id": "approve", "label": "Approve"}, {"action_id": "reject", "label": "Reject"}],
        "allowed_decisions": ["approve", "reject"], "timeout_seconds": 3 * 86400, "fallback_action": None}

    pending = client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json()
    assert [{k: v for k, v in row.items() if k != "created_at"} for row in pending] == [{
        "job_id": job, "flow_id": flow_id, "session_id": "s-1", "request_id": request_id, "kind": "node_input",
        "prompt": "ship it?", "options": request["options"], "allowed_decisions": ["approve", "reject"]}]
    datetime.fromisoformat(pending[0]["created_at"])
    leaf = card(client, headers, flow_id)
    assert (leaf["type"], leaf["request_id"], leaf["job_id"], leaf["submitted_action"]) == (
        "human_input", request_id, job, None)

    answer = client.post(f"{WF}/{job}/resume", json={"request_id": request_id, "decision": {"action_id": "reject"}},
                         headers=headers)
    assert (answer.status_code, answer.json()) == (200, {"job_id": job, "status": "resuming",
                                                         "message": "Resume accepted"})
    done = settled(client, headers, job)
    assert (done["status"], done["output"]) == ("completed", {"reason": "single", "text": "ship it?",
                                                             "source": REJECTED})
    assert list(done["outputs"]) == [REJECTED]
    assert card(client, headers, flow_id)["submitted_action"] == "reject"
    assert client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json() == []

    # the same job's events go on after the pause, numbered on; the branch not chosen is never built
    rest = frames(client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": "6"}).text)
    assert [f[1] for f in rest] == [str(i) for i in range(7, 7 + len(rest))]
    assert [f[0]["event"] for f in rest] == ["vertices_sorted", "build_start", "end_vertex", "add_message",
                                             "end_vertex", "output", "end"]
    assert rest[0][0]["data"]["ids"] == [HUMAN]
    built = [f[0]["data"]["build_data"] for f in rest if f[0]["event"] == "end_vertex"]
    assert [b["id"] for b in built] == [HUMAN, REJECTED]
    # the node's build shows the branch it stopped as inactivated, and only the chosen one as next
    assert (built[0]["inactivated_vertices"], built[0]["next_vertices_ids"]) == ([APPROVED], [REJECTED])
    assert paused[4][0]["data"]["build_data"]["inactivated_vertices"] == []
    texts = [m["text"] for m in client.get("/api/v1/monitor/messages", params={"flow_id": flow_id},
                                           headers=headers).json()]
    assert texts == ["ship it?", "", "ship it?"]  # the question, the card, the answer (no second question)


def test_an_agui_runs_pause_and_resumed_part_replay_in_agui(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13 stores a background AG-UI run's pause as the translator's CUSTOM langflow.human_input_required event
    (the request as its value; no RUN_FINISHED), and its resumed part as a new translation, RUN_STARTED again,
    numbered on; a stop of a suspended AG-UI run ends its events with the runner's cancelled mark."""
    client, headers, flow_id = setup
    job = suspended_job(client, headers, flow_id, session_id="s-a", stream_protocol="agui")
    request_id = f"{HUMAN}:{job}"
    text = client.get(f"{WF}/{job}/events", headers=headers).text
    paused = frames(text)
    assert [f[1] for f in paused] == ["1", "2"]
    assert paused[0][0] == {"type": "RUN_STARTED", "threadId": "s-a", "runId": job}
    custom = paused[1][0]
    assert (custom["type"], custom["name"]) == ("CUSTOM", "langflow.human_input_required")
    assert {k: v for k, v in custom["value"].items() if k != "paused_at"} == {
        "request_id": request_id, "kind": "node_input", "prompt": "ship it?",
        "options": [{"action_id": "approve", "label": "Approve"}, {"action_id": "reject", "label": "Reject"}],
        "allowed_decisions": ["approve", "reject"], "timeout_seconds": 3 * 86400, "fallback_action": None}
    assert text.split("\n")[3].startswith('data: {"type":"CUSTOM","name":"langflow.human_input_required",'
                                           f'"value":{{"request_id":"{request_id}",')
    pending = client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json()
    assert [row["request_id"] for row in pending] == [request_id]

    answer = client.post(f"{WF}/{job}/resume", json={"request_id": request_id, "decision": {"action_id": "approve"}},
                         headers=headers)
    assert answer.status_code == 200
    assert settled(client, headers, job)["output"]["text"] == "ship it?"
    rest = frames(client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": "2"}).text)
    assert [(f[0]["type"], f[1]) for f in rest] == [("RUN_STARTED", "3"), ("TEXT_MESSAGE_START", "4"),
                                                    ("TEXT_MESSAGE_END", "5"), ("RUN_FINISHED", "6")]
    assert rest[0][0] == rest[3][0] | {"type": "RUN_STARTED"} == paused[0][0]

    stopped = suspended_job(client, headers, flow_id, stream_protocol="agui")
    assert client.post(f"{WF}/stop", json={"job_id": stopped}, headers=headers).status_code == 200
    ended = frames(client.get(f"{WF}/{stopped}/events", headers=headers).text)
    assert [(f[0].get("name", f[0]["type"]), f[1]) for f in ended] == [
        ("RUN_STARTED", "1"), ("langflow.human_input_required", "2"), ("cancelled", "3")]


def test_a_resume_is_checked_as_1_13_checks_it(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key=KEY)
    admin = {"x-api-key": KEY}
    headers = {"x-api-key": other_user_key(client, admin)}
    flow_id = create_flow(client, headers, hitl_flow())["id"]
    job = suspended_job(client, headers, flow_id)
    request_id = f"{HUMAN}:{job}"

    def resume(rid: str, action: Any, who: dict[str, str] = headers) -> Any:
        return client.post(f"{WF}/{job}/resume", json={"request_id": rid, "decision": {"action_id": action}},
                           headers=who)

    refused = resume(request_id, "maybe")
    assert (refused.status_code, refused.json()["detail"]) == (422, {
        "error": "Invalid decision", "code": "INVALID_DECISION",
        "message": "decision.action_id is not one of the pending request's allowed_decisions.", "job_id": job})
    stale = resume("HumanInput-hU1aN:another-run", "approve")
    assert (stale.status_code, stale.json()["detail"]["code"]) == (409, "NOT_RESUMABLE")
    alice = {"x-api-key": other_user_key(client, admin, "alice")}
    assert resume(request_id, "approve", alice).json() == {"error": "Workflow job not found",
                                                           "code": "JOB_NOT_FOUND", "job_id": job}
    assert resume(request_id, "approve").status_code == 200
    assert resume(request_id, "approve").json()["detail"] == {
        "error": "Job is not resumable", "code": "NOT_RESUMABLE",
        "message": "Job is not suspended, already resumed, or the request_id is stale.", "job_id": job}
    assert settled(client, headers, job)["output"]["source"] == APPROVED
    # the job's last request still holds the allowed actions: another is refused before the job's state is read
    assert resume(request_id, "maybe").status_code == 422
    assert errors.InvalidDecision(job).status_code == 422


def test_sync_and_stream_runs_go_through_human_input_without_pausing(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13 arms the pause only for a background run: elsewhere the node gives each branch an empty text."""
    client, headers, flow_id = setup
    body = client.post(WF, json={"flow_id": flow_id, "input_value": "ship it?"}, headers=headers).json()
    assert (body["status"], body["human_request"]) == ("completed", None)
    assert {k: v["content"] for k, v in body["outputs"].items()} == {APPROVED: "", REJECTED: ""}
    streamed = frames(client.post(WF, json={"flow_id": flow_id, "input_value": "ship it?", "mode": "stream"},
                                  headers=headers).text)
    events = [f[0]["event"] for f in streamed]
    assert "human_input_required" not in events and events[-1] == "end"
    assert [f[0]["data"]["content"] for f in streamed if f[0]["event"] == "output"] == ["", ""]
    assert client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json() == []


def test_a_stop_or_a_new_run_of_the_session_cancels_a_suspended_job(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = suspended_job(client, headers, flow_id)
    stopped = client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).json()
    assert stopped == {"job_id": job, "message": f"Job {job} cancelled successfully."}
    assert settled(client, headers, job)["status"] == "cancelled"
    assert frames(client.get(f"{WF}/{job}/events", headers=headers).text)[-1][0] == {"type": "cancelled"}
    assert card(client, headers, flow_id)["superseded"] is True
    resumed = client.post(f"{WF}/{job}/resume", json={"request_id": f"{HUMAN}:{job}",
                                                      "decision": {"action_id": "approve"}}, headers=headers)
    assert resumed.status_code == 409

    other = suspended_job(client, headers, flow_id, session_id="elsewhere")
    first = suspended_job(client, headers, flow_id)
    second = suspended_job(client, headers, flow_id)  # the same session (the flow's): it replaces `first`
    assert settled(client, headers, first)["status"] == "cancelled"
    pending = client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json()
    assert [row["job_id"] for row in pending] == [other, second]


def test_a_late_answer_takes_the_fallback_branch(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime(2026, 5, 1, 12, tzinfo=UTC)
    flow_id = create_flow(client, headers, hitl_flow(fallback=True))["id"]
    job = suspended_job(client, headers, flow_id)
    pending = client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json()
    assert pending[0]["allowed_decisions"] == ["approve", "reject", "fallback"]
    clock.frozen += timedelta(hours=1, seconds=1)
    assert client.post(f"{WF}/{job}/resume", json={"request_id": f"{HUMAN}:{job}",
                                                    "decision": {"action_id": "approve"}},
                       headers=headers).status_code == 200
    assert settled(client, headers, job)["output"]["source"] == "ChatOutput-fA1lB"
    assert card(client, headers, flow_id)["submitted_action"] == "approve"  # the card keeps what was sent


def test_a_reset_of_jobs_clears_suspended_runs(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = suspended_job(client, headers, flow_id)
    assert client.post("/_mock/reset", json={"parts": ["jobs"]}, headers=headers).status_code == 200
    assert client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json() == []
    assert client.get(WF, params={"job_id": job}, headers=headers).status_code == 404


def test_a_suspended_run_survives_a_restart_and_resumes(tmp_path: Path) -> None:
    """The pause is kept in the data dir (1.13 keeps it in its database): after a restart the run is still
    pending and a resume finishes it."""
    settings = Settings(data_dir=tmp_path / "data", ephemeral=False)
    with TestClient(create_app(settings)) as client:
        headers = {"x-api-key": new_api_key(client)}
        flow_id = create_flow(client, headers, hitl_flow())["id"]
        job = suspended_job(client, headers, flow_id)
    with TestClient(create_app(settings)) as client:
        assert [row["job_id"] for row in client.get(f"{WF}/pending", params={"flow_id": flow_id},
                                                    headers=headers).json()] == [job]
        assert client.post(f"{WF}/{job}/resume", json={"request_id": f"{HUMAN}:{job}",
                                                        "decision": {"action_id": "approve"}},
                           headers=headers).status_code == 200
        assert settled(client, headers, job)["output"] == {"reason": "single", "text": "ship it?",
                                                          "source": APPROVED}


def two_gates() -> dict[str, Any]:
    """Chat Input -> a first Human Input, whose Approve leads to a second one (Reject to its own output), whose
    branches lead to an output each."""
    flow = hitl_flow()
    data = flow["data"]
    human = next(n for n in data["nodes"] if n["id"] == HUMAN)
    output = next(n for n in data["nodes"] if n["id"] == APPROVED)
    second = copy.deepcopy(human)
    second["id"] = second["data"]["id"] = "HumanInput-sEc0N"
    data["nodes"].append(second)
    for node_id in ("ChatOutput-a2A2a", "ChatOutput-r2R2r"):
        extra = copy.deepcopy(output)
        extra["id"] = extra["data"]["id"] = node_id
        data["nodes"].append(extra)
    data["nodes"].remove(output)
    data["edges"] = [_edge("ChatInput-aB1cD", "message", HUMAN, "prompt"),
                     _edge(HUMAN, "branch_approve", "HumanInput-sEc0N", "prompt"),
                     _edge(HUMAN, "branch_reject", REJECTED, "input_value"),
                     _edge("HumanInput-sEc0N", "branch_approve", "ChatOutput-a2A2a", "input_value"),
                     _edge("HumanInput-sEc0N", "branch_reject", "ChatOutput-r2R2r", "input_value")]
    return flow


def test_a_run_pauses_at_each_human_input_it_reaches(make_client: Callable[..., TestClient]) -> None:
    """Resumed past a first node, the run pauses again at a second one: its events go on, /pending shows the new
    request, the first request is stale, and the first decision's dead branch stays dead (1.13 keeps it
    excluded with the pause, so every later build shows it inactivated)."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, two_gates())["id"]
    job = suspended_job(client, headers, flow_id)
    first, second = f"{HUMAN}:{job}", f"HumanInput-sEc0N:{job}"
    assert client.post(f"{WF}/{job}/resume", json={"request_id": first, "decision": {"action_id": "approve"}},
                       headers=headers).status_code == 200
    assert settled(client, headers, job)["status"] == "suspended"
    pending = client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json()
    assert [row["request_id"] for row in pending] == [second]
    stale = client.post(f"{WF}/{job}/resume", json={"request_id": first, "decision": {"action_id": "approve"}},
                        headers=headers)
    assert stale.status_code == 409
    assert client.post(f"{WF}/{job}/resume", json={"request_id": second, "decision": {"action_id": "reject"}},
                       headers=headers).status_code == 200
    done = settled(client, headers, job)
    assert (list(done["outputs"]), done["output"]["text"]) == (["ChatOutput-r2R2r"], "ship it?")
    events = [f[0] for f in frames(client.get(f"{WF}/{job}/events", headers=headers).text)]
    assert [e["event"] for e in events].count("human_input_required") == 2
    last = [e["data"]["build_data"] for e in events[events.index(
        next(e for e in reversed(events) if e["event"] == "human_input_required")):] if e["event"] == "end_vertex"]
    assert [(b["id"], b["inactivated_vertices"]) for b in last] == [
        ("HumanInput-sEc0N", ["ChatOutput-a2A2a", REJECTED]), ("ChatOutput-r2R2r", [REJECTED])]
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    answered = [m["content_blocks"][0]["contents"][0]["submitted_action"] for m in messages if m["content_blocks"]]
    assert answered == ["approve", "reject"]


def test_a_resumed_runs_trace_holds_both_parts_and_the_gate_passed(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13 writes the native trace of what ran before the pause, and the resumed run merges its own into it (the
    same trace, the run's id), with a span for the gate passed: "Human In The Loop — <the option's label>"."""
    client, headers, flow_id = setup
    job = suspended_job(client, headers, flow_id)
    paused = client.get(f"/api/v1/monitor/traces/{job}", headers=headers).json()
    assert [s["name"] for s in paused["spans"]] == ["Chat Input", "Human Input"]
    assert client.post(f"{WF}/{job}/resume", json={"request_id": f"{HUMAN}:{job}",
                                                    "decision": {"action_id": "reject"}},
                       headers=headers).status_code == 200
    settled(client, headers, job)
    trace = client.get(f"/api/v1/monitor/traces/{job}", headers=headers).json()
    spans = {s["name"]: s for s in trace["spans"]}
    assert sorted(spans) == ["Chat Input", "Chat Output", "Human In The Loop \u2014 Reject", "Human Input"]
    gate = spans["Human In The Loop \u2014 Reject"]
    assert (gate["type"], gate["inputs"], gate["outputs"]) == ("chain", {}, {"decision": "reject"})
    assert trace["input"] == {"input_value": "ship it?"}
    listed = client.get("/api/v1/monitor/traces", params={"flow_id": flow_id}, headers=headers).json()
    assert [t["id"] for t in listed["traces"]] == [job]


def test_a_run_waiting_past_its_input_deadline_fails_at_the_watchdogs_next_pass(
        make_client: Callable[..., TestClient]) -> None:
    """LANGFLOW_BACKGROUND_INPUT_DEADLINE_S (1.13): a run suspended for a person that long fails at the watchdog's
    next pass (every LANGFLOW_BACKGROUND_WATCHDOG_INTERVAL_S from the start): its status the JOB_FAILED 500 with
    error_detail {"type": "input_timed_out"}, its events closed by that mark, no longer pending nor resumable.
    Until the pass comes, a late answer still resumes it."""
    client = make_client(background_input_deadline_s=50, background_watchdog_interval_s=15)
    headers = {"x-api-key": new_api_key(client)}
    state = client.app.state.mock  # type: ignore[attr-defined]
    state.clock.frozen = start = state.jobs.watchdog_from  # the watchdog's first pass
    flow_id = create_flow(client, headers, hitl_flow())["id"]
    late, lost = suspended_job(client, headers, flow_id, session_id="late"), suspended_job(client, headers, flow_id)
    state.clock.frozen = start + timedelta(seconds=59)  # past the deadline (50 s), before the pass at 60 s
    answer = client.post(f"{WF}/{late}/resume", json={"request_id": f"{HUMAN}:{late}",
                                                      "decision": {"action_id": "approve"}}, headers=headers)
    assert answer.status_code == 200
    assert client.get(WF, params={"job_id": lost}, headers=headers).json()["status"] == "suspended"
    state.clock.frozen = start + timedelta(seconds=60)
    failed = client.get(WF, params={"job_id": lost}, headers=headers)
    assert failed.status_code == 500
    assert failed.json()["detail"] == {"error": "Job failed", "code": "JOB_FAILED",
                                       "message": f"Job {lost} has failed execution.", "job_id": lost,
                                       "error_detail": {"type": "input_timed_out"}}
    assert frames(client.get(f"{WF}/{lost}/events", headers=headers).text)[-1][0] == {"type": "input_timed_out"}
    assert lost not in [row["job_id"] for row in client.get(f"{WF}/pending", params={"flow_id": flow_id},
                                                            headers=headers).json()]
    resumed = client.post(f"{WF}/{lost}/resume", json={"request_id": f"{HUMAN}:{lost}",
                                                       "decision": {"action_id": "approve"}}, headers=headers)
    assert resumed.status_code == 409


def test_without_an_input_deadline_a_run_waits_for_ever(make_client: Callable[..., TestClient]) -> None:
    client = make_client(background_watchdog_interval_s=1)
    headers = {"x-api-key": new_api_key(client)}
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime(2026, 5, 1, 12, tzinfo=UTC)
    job = suspended_job(client, headers, create_flow(client, headers, hitl_flow())["id"])
    clock.frozen += timedelta(days=30)
    assert client.get(WF, params={"job_id": job}, headers=headers).json()["status"] == "suspended"
