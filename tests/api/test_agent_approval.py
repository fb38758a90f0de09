"""1.13: an Agent whose model calls a tool that needs approval (its tools_metadata row's approval_actions) in a v2
background run: the run suspends as at a Human Input node (lfx's ToolApprovalMixin over LangChain's
HumanInTheLoopMiddleware), /pending lists the tool-approval request, /resume goes on with the decision."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app
from tests.api.test_agent import (
    ANSWER,
    ANTHROPIC_CALL_ID,
    OPENAI_CALL_ID,
    agent_client,
    steps,
    tool_message_of,
    with_model,
    with_output,
    with_tools,
)
from tests.api.test_workflows_hitl import WF, frames, settled
from tests.conftest import copy_of_example, new_api_key

AGENT, TOOL, OUTPUT = "Agent-tGjX5", "CalculatorComponent-t1", "ChatOutput-XGhGb"
CALL = '{name: evaluate_expression, input: {expression: "1+1"}, output: "2"}'
PROMPT = "Tool execution requires approval\n\nTool: evaluate_expression\nArgs: {'expression': '1+1'}"
ALL = ["approve", "edit", "reject", "respond"]


def approval_flow(make_client: Callable[..., TestClient], tmp_path: Path, allowed: list[str], *,
                  calls: str = CALL) -> tuple[TestClient, dict[str, str], str]:
    """The Simple Agent with a Calculator whose evaluate_expression tool needs approval; the model calls it
    (`calls`) before it answers."""
    rule = f'reply: "{ANSWER}"\n    tool_calls: [{calls}]'
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=rule)
    rows = [{"name": "evaluate_expression", "description": "", "tags": ["evaluate_expression"], "status": True,
             "approval_actions": allowed}]
    return client, headers, with_tools(client, headers, flow_id, "CalculatorComponent", "Calculator", rows)


def suspended(client: TestClient, headers: dict[str, str], flow_id: str) -> tuple[str, list[dict[str, Any]]]:
    """A background run's job, suspended, and its events."""
    job: str = client.post(WF, json={"flow_id": flow_id, "input_value": "weather?", "mode": "background",
                                     "session_id": "s1"}, headers=headers).json()["job_id"]
    assert settled(client, headers, job)["status"] == "suspended"
    return job, [data for data, _ in frames(client.get(f"{WF}/{job}/events", headers=headers).text)]


def resumed(client: TestClient, headers: dict[str, str], job: str, request_id: str, decision: dict[str, Any],
            seen: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The job's status once resumed with `decision`, and its events after the `seen` first."""
    answer = client.post(f"{WF}/{job}/resume", json={"request_id": request_id, "decision": decision},
                         headers=headers)
    assert (answer.status_code, answer.json()["status"]) == (200, "resuming"), answer.text
    status = settled(client, headers, job)
    rest = frames(client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": str(seen)}).text)
    return status, [data for data, _ in rest]


def built(events: list[dict[str, Any]]) -> list[str]:
    return [e["data"]["build_data"]["id"] for e in events if e["event"] == "end_vertex"]


def agent_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Agent's announced messages (not the user's, nor the Chat Output's, whose source names the Agent)."""
    return [e["data"] for e in events if e["event"] == "add_message"
            and e["data"]["sender"] == "Machine" and e["data"]["properties"]["source"]["id"] is None]


def stored(client: TestClient, headers: dict[str, str], flow_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id},
                                             headers=headers).json()
    return found


def executed(leaf: dict[str, Any], tool_input: dict[str, Any], call_id: str = OPENAI_CALL_ID) -> dict[str, Any]:
    """The evaluate_expression call, executed, as v1 sees it in the Agent's steps."""
    return {"type": "tool_use", "duration": 0, "name": "evaluate_expression", "tool_input": tool_input,
            "header": {"title": "Executed **evaluate_expression**", "icon": "Hammer"},
            "output": tool_message_of(leaf, "2", call_id=call_id), "error": None}


ANSWER_STEP = {"type": "text", "duration": 0, "header": {}, "text": ANSWER}


def test_a_background_run_suspends_before_a_gated_tool_call_and_approval_runs_it(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13: the model's tool call stops the Agent (the middleware interrupts after that model turn): its message,
    announced, is deleted and removed from the chat, its vertex ends, and the run suspends before the Chat Output
    with a tool_approval request; an approval builds the tools and the Agent again, whose new message logs the
    executed call and the answer."""
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve", "reject"])
    job, events = suspended(client, headers, flow_id)
    assert [e["event"] for e in events] == ["vertices_sorted", "build_start", "add_message", "end_vertex",
                                            "end_vertex", "add_message", "remove_message", "end_vertex",
                                            "human_input_required"]
    assert sorted(built(events)) == sorted(["ChatInput-qxyDD", TOOL, AGENT])
    partial = agent_messages(events)
    assert [(m["text"], m["properties"]["state"]) for m in partial] == [("", "partial")]
    assert events[6]["data"] == {"id": partial[0]["id"]}
    request = events[-1]["data"]
    assert re.fullmatch(rf"{AGENT}:{job}:[0-9a-f]{{32}}", request["request_id"])
    assert request == {"request_id": request["request_id"], "kind": "tool_approval", "prompt": PROMPT,
                       "options": [{"action_id": "approve", "label": "Approve"},
                                   {"action_id": "reject", "label": "Reject"}],
                       "allowed_decisions": ["approve", "reject"],
                       "action_requests": [{"name": "evaluate_expression", "args": {"expression": "1+1"},
                                            "description": PROMPT}]}

    pending = client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json()
    assert [(row["request_id"], row["kind"], row["prompt"], row["allowed_decisions"]) for row in pending] == [
        (request["request_id"], "tool_approval", PROMPT, ["approve", "reject"])]
    messages = stored(client, headers, flow_id)
    assert [m["text"] for m in messages] == ["weather?", ""]  # the Agent's message is gone: the card is left
    leaf = messages[1]["content_blocks"][0]["contents"][0]
    assert (leaf["type"], leaf["kind"], leaf["request_id"], leaf["prompt"], leaf["fields"]) == (
        "human_input", "tool_approval", request["request_id"], PROMPT, [])

    status, rest = resumed(client, headers, job, request["request_id"], {"action_id": "approve"}, len(events))
    assert (status["status"], status["output"]["text"]) == ("completed", ANSWER)
    assert rest[0]["data"]["ids"] == [TOOL]  # the tool a checkpoint cannot keep is built again, then the Agent
    assert built(rest) == [TOOL, AGENT, OUTPUT]
    assert rest[-1]["event"] == "end"
    answered = agent_messages(rest)
    assert answered[0]["id"] != partial[0]["id"]  # a new message
    assert [len(m["content_blocks"]) for m in answered] == [0, 1, 1, 2, 1]  # its log, then stored: one group
    messages = stored(client, headers, flow_id)
    assert [m["text"] for m in messages] == ["weather?", "", ANSWER]
    assert messages[1]["content_blocks"][0]["contents"][0]["submitted_action"] == "approve"
    call = messages[2]["content_blocks"][0]["contents"][0]
    assert messages[2]["content_blocks"] == with_output(steps(executed(call, {"expression": "1+1"}), ANSWER_STEP))
    assert client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json() == []


@pytest.mark.parametrize("action", ["reject", "respond"])
def test_a_rejected_or_answered_call_never_runs_the_tool(make_client: Callable[..., TestClient], tmp_path: Path,
                                                         action: str) -> None:
    """Reject and respond: the middleware answers the model for the tool with a ToolMessage of its own, so no
    tool starts and the resumed Agent's log holds the answer alone."""
    client, headers, flow_id = approval_flow(make_client, tmp_path, ALL)
    job, events = suspended(client, headers, flow_id)
    decision = {"action_id": action, "values": {"message": "not now"}}
    status, rest = resumed(client, headers, job, events[-1]["data"]["request_id"], decision, len(events))
    assert (status["status"], status["output"]["text"]) == ("completed", ANSWER)
    answers = [m["content_blocks"] for m in agent_messages(rest)]  # the log, then as stored (no group: nothing)
    assert answers[-2:] == [[{"type": "text", "id": None, "duration": 0, "header": {}, "contents": [], "text": ANSWER}],
                            []]
    assert stored(client, headers, flow_id)[-1]["content_blocks"] == []  # a tool-less answer, as v1 sees it


def test_an_edit_runs_the_tool_with_the_edited_arguments(make_client: Callable[..., TestClient],
                                                         tmp_path: Path) -> None:
    client, headers, flow_id = approval_flow(make_client, tmp_path, ALL)
    job, events = suspended(client, headers, flow_id)
    decision = {"action_id": "edit", "values": {"args": {"expression": "2+2"}}}
    status, _ = resumed(client, headers, job, events[-1]["data"]["request_id"], decision, len(events))
    assert status["status"] == "completed"
    call = stored(client, headers, flow_id)[-1]["content_blocks"][0]["contents"][0]
    assert call == executed(call, {"expression": "2+2"})


def test_a_resume_refuses_a_decision_the_tool_does_not_allow(make_client: Callable[..., TestClient],
                                                             tmp_path: Path) -> None:
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve", "reject"])
    job, events = suspended(client, headers, flow_id)
    request_id = events[-1]["data"]["request_id"]
    refused = client.post(f"{WF}/{job}/resume", json={"request_id": request_id, "decision": {"action_id": "edit"}},
                          headers=headers)
    assert (refused.status_code, refused.json()["detail"]["code"]) == (422, "INVALID_DECISION")
    # the request id without its interrupt part is not the one the pause waits on
    stale = client.post(f"{WF}/{job}/resume", json={"request_id": f"{AGENT}:{job}",
                                                    "decision": {"action_id": "approve"}}, headers=headers)
    assert (stale.status_code, stale.json()["detail"]["code"]) == (409, "NOT_RESUMABLE")
    assert settled(client, headers, job)["status"] == "suspended"


def test_each_gated_call_pauses_the_run_once(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """A second gated call pauses again with its own request id; the message made in between is removed too, so
    the final one logs only the calls after the last pause."""
    second = '{name: evaluate_expression, input: {expression: "3*3"}, output: "2"}'
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve"], calls=f"{CALL}, {second}")
    job, events = suspended(client, headers, flow_id)
    first_id = events[-1]["data"]["request_id"]
    status, rest = resumed(client, headers, job, first_id, {"action_id": "approve"}, len(events))
    assert status["status"] == "suspended"
    assert [e["event"] for e in rest][-3:] == ["remove_message", "end_vertex", "human_input_required"]
    request = rest[-1]["data"]
    assert request["request_id"] != first_id and request["request_id"].startswith(f"{AGENT}:{job}:")
    assert request["action_requests"][0]["args"] == {"expression": "3*3"}
    status, _ = resumed(client, headers, job, request["request_id"], {"action_id": "approve"},
                        len(events) + len(rest))
    assert (status["status"], status["output"]["text"]) == ("completed", ANSWER)
    messages = stored(client, headers, flow_id)
    assert [m["text"] for m in messages] == ["weather?", "", "", ANSWER]  # two cards
    call = messages[-1]["content_blocks"][0]["contents"][0]
    assert messages[-1]["content_blocks"] == with_output(steps(executed(call, {"expression": "3*3"}), ANSWER_STEP))


def test_an_anthropic_agent_logs_the_call_at_its_turns_end_before_it_pauses(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """Anthropic's tool-calling turn holds the call as a tool_use block, which the turn's end adds (its input
    empty) and announces before the Agent stops; the resumed message gets the call at the tool's start, with its
    input, as no turn of its own held it."""
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve"])
    flow_id = with_model(client, headers, flow_id, [{"provider": "Anthropic", "name": "claude-sonnet-4-5"}])
    job, events = suspended(client, headers, flow_id)
    partial = agent_messages(events)
    assert [[leaf["tool_input"] for leaf in m["content_blocks"]] for m in partial] == [[], [{}]]
    status, rest = resumed(client, headers, job, events[-1]["data"]["request_id"], {"action_id": "approve"},
                           len(events))
    assert status["status"] == "completed"
    assert [[leaf.get("tool_input") for leaf in m["content_blocks"]] for m in agent_messages(rest)][:3] == [
        [], [{"expression": "1+1"}], [{"expression": "1+1"}]]
    call = stored(client, headers, flow_id)[-1]["content_blocks"][0]["contents"][0]
    assert call == executed(call, {"expression": "1+1"}, ANTHROPIC_CALL_ID)


def test_the_resumed_runs_trace_holds_the_approval_gate(make_client: Callable[..., TestClient],
                                                        tmp_path: Path) -> None:
    """The resumed run's trace records the gate passed as 1.13's build.py does for any pause it resumes: a span
    "Human In The Loop — <the option's label>"."""
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve", "reject"])
    job, events = suspended(client, headers, flow_id)
    resumed(client, headers, job, events[-1]["data"]["request_id"], {"action_id": "approve"}, len(events))
    spans = client.get(f"/api/v1/monitor/traces/{job}", headers=headers).json()["spans"]
    gate = next(s for s in spans if s["name"] == "Human In The Loop \u2014 Approve")
    assert gate["outputs"] == {"decision": "approve"}


def test_a_paused_agent_survives_a_restart_and_goes_on_with_the_same_reply(tmp_path: Path) -> None:
    """The pause keeps the Agent's conversation with it (1.13 keeps the agent's LangGraph thread in its
    database): after a restart the resumed Agent answers from it, with no new model call (the rule, spent after
    one use, is not asked again)."""
    script = tmp_path / "agent.yaml"
    script.write_text(f"rules:\n  - match: {{input_contains: weather}}\n    times: 1\n    reply: \"{ANSWER}\"\n"
                      f"    tool_calls: [{CALL}]\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", ephemeral=False, langflow_version="1.13.0", scripts=[script],
                        job_latency_ms=0)
    rows = [{"name": "evaluate_expression", "description": "", "tags": ["evaluate_expression"], "status": True,
             "approval_actions": ["approve"]}]
    with TestClient(create_app(settings)) as client:
        headers = {"x-api-key": new_api_key(client)}
        flow_id = copy_of_example(client, headers, "Simple Agent")["id"]
        flow_id = with_tools(client, headers, flow_id, "CalculatorComponent", "Calculator", rows)
        job, events = suspended(client, headers, flow_id)
    with TestClient(create_app(settings)) as client:
        status, _ = resumed(client, headers, job, events[-1]["data"]["request_id"], {"action_id": "approve"},
                            len(events))
        assert (status["status"], status["output"]["text"]) == ("completed", ANSWER)
        calls = client.get("/_mock/llm-calls", params={"session": "s1"}, headers=headers).json()["calls"]
        assert [call["reply"] for call in calls] == [ANSWER]
