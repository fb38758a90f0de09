"""An Agent's model turn that asks for several tools at once, or says something before its calls: a script rule's
`tool_calls` entry {say, calls} (lfx's base/agents/events.py: the turn's end, then every tool's start, then every
tool's end, as LangGraph's ToolNode and AgentExecutor run a turn's calls side by side)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_agent import (
    ANSWER,
    ANTHROPIC_CALL_ID,
    agent_client,
    agui_frames,
    message_of,
    step,
    steps,
    streamed_agent_events,
    tool_message_of,
    tool_use,
    with_model,
    with_output,
)
from tests.api.test_agent_approval import CALL, PROMPT, agent_messages, approval_flow, resumed, stored, suspended
from tests.api.test_workflows import WF
from tests.conftest import create_flow

SAY = "I'll look that up."
ZONE = {"timezone": "Europe/Zurich"}
# one model turn: the text, then two calls of the Agent's Current Date tool
TURN = (f'reply: "{ANSWER}"\n    tool_calls: [{{say: "{SAY}", calls: [{{name: get_current_date, '
        'input: {timezone: UTC}, output: one}, {name: get_current_date, input: {timezone: Europe/Zurich}, '
        'output: two}]}]')
ANTHROPIC = [{"provider": "Anthropic", "name": "claude-sonnet-4-5"}]


def said(text: str) -> dict[str, Any]:
    """A text leaf of 1.13's agent log (a model turn's text) as v1 sees it in the "Agent Steps" group."""
    return {"type": "text", "duration": 0, "header": {}, "text": text}


def shown(events: list[dict[str, Any]]) -> list[Any]:
    """The agent's part of a stream: its tokens joined between announcements, and each announcement's text and
    content blocks."""
    out: list[Any] = []
    for event in events:
        if event["event"] == "token":
            if out and isinstance(out[-1], str):
                out[-1] += event["data"]["chunk"]
            else:
                out.append(event["data"]["chunk"])
        else:
            message = message_of(event)
            out.append((message["text"], message["content_blocks"]))
    return out


def zone(output: Any = None, *, done: bool = False) -> dict[str, Any]:
    return tool_use(output, done=done, tool_input=ZONE)


def test_1_13_an_openai_turn_logs_its_text_then_each_call_as_its_tool_starts(make_client: Callable[..., TestClient],
                                                                             tmp_path: Path) -> None:
    """OpenAI's turn holds its text as content and its calls outside it: the text streams as the agent's tokens,
    the turn's end logs it as a text leaf and announces it (v1 sees no group yet: no tool_use leaf); the tools then
    run one after another, each added "Accessing" and announced as it starts, and announcing the message before
    it is marked "Executed" as it ends. The message's text is its log's text leaves: the turn's text, then the
    answer."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TURN)
    events = shown(streamed_agent_events(client, headers, flow_id))
    final = events[-1][1][0]["contents"]
    done = steps(said(SAY), tool_use(tool_message_of(final[1], "one"), done=True),
                 zone(tool_message_of(final[2], "two"), done=True), said(ANSWER))
    assert events == [
        ("", []), SAY, (SAY, []),
        (SAY, steps(said(SAY), tool_use())), (SAY, steps(said(SAY), tool_use())),
        *[(SAY, steps(said(SAY), tool_use(tool_message_of(final[1], "one"), done=True), zone()))] * 2,
        ANSWER, *[(SAY + ANSWER, done)] * 2, (SAY + ANSWER, with_output(done, SAY + ANSWER))]
    assert final[1]["output"]["tool_call_id"] != final[2]["output"]["tool_call_id"]
    stored = client.get("/api/v1/monitor/messages", headers=headers, params={"session_id": "s1"}).json()
    assert (stored[-1]["text"], stored[-1]["content_blocks"]) == (SAY + ANSWER, with_output(done, SAY + ANSWER))


def test_1_13_an_anthropic_turn_logs_its_text_and_its_calls_at_its_end(make_client: Callable[..., TestClient],
                                                                       tmp_path: Path) -> None:
    """Anthropic's turn holds a text block and a tool_use block per call: its end logs them in that order (the
    calls with the streamed snapshot's empty input) and announces them once; each tool's start fills its input in
    unannounced, so each tool's end is the first announcement to show it."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TURN)
    flow_id = with_model(client, headers, flow_id, ANTHROPIC)
    events = shown(streamed_agent_events(client, headers, flow_id))
    final = events[-1][1][0]["contents"]
    first = tool_use(tool_message_of(final[1], "one", call_id=ANTHROPIC_CALL_ID), done=True)
    done = steps(said(SAY), first, zone(tool_message_of(final[2], "two", call_id=ANTHROPIC_CALL_ID), done=True),
                 said(ANSWER))
    assert events == [
        ("", []), SAY, (SAY, steps(said(SAY), tool_use(tool_input={}), tool_use(tool_input={}))),
        (SAY, steps(said(SAY), tool_use(), tool_use(tool_input={}))), (SAY, steps(said(SAY), first, zone())),
        ANSWER, *[(SAY + ANSWER, done)] * 2, (SAY + ANSWER, with_output(done, SAY + ANSWER))]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_turns_text_streams_but_only_its_calls_are_steps(make_client: Callable[..., TestClient],
                                                                       tmp_path: Path, version: str) -> None:
    """AgentExecutor's agent (lfx 0.3/0.2) logs no model turn's end: the turn's text goes out as tokens of the
    agent's message only; its calls run side by side (asyncio.gather): each step "Accessing" its tool added and
    announced as the tool starts, then each announced again as it ends; the message's text is the answer."""
    client, headers, flow_id = agent_client(make_client, tmp_path, version, rule=TURN)
    events = shown(streamed_agent_events(client, headers, flow_id))
    asked = step("Input", "weather?")
    done = steps(asked, tool_use("one", done=True), zone("two", done=True), step("Output", ANSWER))
    assert events == [
        ("", steps()), ("", steps(asked)), SAY, ("", steps(asked, tool_use())), ("", steps(asked, tool_use(), zone())),
        ("", steps(asked, tool_use(), zone())), ("", steps(asked, tool_use("one", done=True), zone())),
        ANSWER, *[(ANSWER, done)] * 2]


def test_the_model_calls_list_a_turn_as_the_script_gives_it(make_client: Callable[..., TestClient],
                                                            tmp_path: Path) -> None:
    rule = TURN.replace("tool_calls: [", "tool_calls: [{name: get_current_date, input: {}, output: zero}, ")
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=rule)
    streamed_agent_events(client, headers, flow_id)
    calls = client.get("/_mock/llm-calls", params={"session": "s1"}, headers=headers).json()["calls"]
    assert calls[-1]["tool_calls"] == [
        {"name": "get_current_date", "input": {}, "output": "zero"},
        {"say": SAY, "calls": [{"name": "get_current_date", "input": {"timezone": "UTC"}, "output": "one"},
                               {"name": "get_current_date", "input": ZONE, "output": "two"}]}]


def test_1_13_the_responses_api_shows_a_turns_calls_and_its_text(make_client: Callable[..., TestClient],
                                                                 tmp_path: Path) -> None:
    """openai_responses.py makes a function_call item of each tool_use step, in the log's order, and the message
    of the answer's text: 1.13's, the turn's text then the answer; streamed, the text deltas say the same."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TURN)
    answer = client.post("/api/v1/responses", headers=headers, json={"model": flow_id, "input": "weather?"}).json()
    assert [(item["id"], item["arguments"]) for item in answer["output"][:-1]] == [
        ("fc_1", '{"timezone": "UTC"}'), ("fc_2", json.dumps(ZONE))]
    assert answer["output"][-1]["content"][0]["text"] == SAY + ANSWER
    stream = client.post("/api/v1/responses", headers=headers,
                         json={"model": flow_id, "input": "weather?", "stream": True}).text
    data = [json.loads(line[6:]) for line in stream.split("\n") if line.startswith("data: {")]
    text = "".join(d["delta"].get("content", "") for d in data if d.get("object") == "response.chunk")
    assert text == SAY + ANSWER
    assert [d["item"]["arguments"] for d in data if d.get("type") == "response.output_item.done"] == [
        '{"timezone": "UTC"}', json.dumps(ZONE)]


def test_agui_streams_a_turns_text_and_shows_both_calls(make_client: Callable[..., TestClient],
                                                        tmp_path: Path) -> None:
    """1.13's AG-UI translator opens the agent's message with the turn's first token, and turns each tool_use leaf
    of the announced log into its TOOL_CALL_* events, the calls in the log's order."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TURN)
    response = client.post(WF, headers=headers, json={
        "flow_id": flow_id, "input_value": "weather?", "mode": "stream", "stream_protocol": "agui"})
    frames = agui_frames(response.text)
    kinds = [f["type"] for f in frames]
    assert kinds[:2] == ["RUN_STARTED", "TEXT_MESSAGE_START"]
    content = "".join(f["delta"] for f in frames if f["type"] == "TEXT_MESSAGE_CONTENT")
    assert content == SAY + ANSWER
    assert [f["delta"] for f in frames if f["type"] == "TOOL_CALL_ARGS"] == ['{"timezone": "UTC"}', json.dumps(ZONE)]
    assert [json.loads(f["content"])["content"] for f in frames if f["type"] == "TOOL_CALL_RESULT"] == ["one", "two"]


def test_a_turn_that_calls_a_gated_tool_says_its_text_before_the_pause_and_later_turns_go_on(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """The middleware interrupts after the gated call's turn, whose end logged its text in the message the pause
    removes; the resumed Agent's new message starts at the tool's start, and a later turn's calls run as any."""
    dates = ('{calls: [{name: get_current_date, input: {timezone: UTC}, output: one}, '
             '{name: get_current_date, input: {timezone: Europe/Zurich}, output: two}]}')
    turns = f'{{say: "{SAY}", calls: [{CALL}]}}, {dates}'
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve"], calls=turns)
    job, events = suspended(client, headers, flow_id)
    assert [(m["text"], m["content_blocks"]) for m in agent_messages(events)] == [
        ("", []), (SAY, [{"type": "text", "id": None, "duration": 0, "header": {}, "contents": [], "text": SAY}])]
    status, rest = resumed(client, headers, job, events[-1]["data"]["request_id"], {"action_id": "approve"},
                           len(events))
    assert (status["status"], status["output"]["text"]) == ("completed", ANSWER)
    final = stored(client, headers, flow_id)[-1]
    assert final["text"] == ANSWER
    assert [(leaf["name"], leaf["tool_input"]) for leaf in final["content_blocks"][0]["contents"][:3]] == [
        ("evaluate_expression", {"expression": "1+1"}), ("get_current_date", {"timezone": "UTC"}),
        ("get_current_date", ZONE)]


NINE = '{name: evaluate_expression, input: {expression: "3*3"}, output: "9"}'
MIXED = f'{{calls: [{CALL}, {{name: get_current_date, input: {{timezone: UTC}}, output: one}}, {NINE}]}}'


def test_one_approval_answers_all_gated_calls_of_a_turn(make_client: Callable[..., TestClient],
                                                        tmp_path: Path) -> None:
    """HumanInTheLoopMiddleware asks once for every gated call of a turn (one action request each, the first one's
    description as the prompt); none of the turn's tools runs before the decision, which lfx applies to each
    gated call; then the turn's calls run in their order, the tool that needs no approval among them."""
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve", "reject"], calls=MIXED)
    job, events = suspended(client, headers, flow_id)
    request = events[-1]["data"]
    nine = "Tool execution requires approval\n\nTool: evaluate_expression\nArgs: {'expression': '3*3'}"
    assert request["action_requests"] == [
        {"name": "evaluate_expression", "args": {"expression": "1+1"}, "description": PROMPT},
        {"name": "evaluate_expression", "args": {"expression": "3*3"}, "description": nine}]
    assert (request["prompt"], request["allowed_decisions"]) == (PROMPT, ["approve", "reject"])
    assert not any(e["event"] == "add_message" and any(leaf.get("type") == "tool_use" and leaf.get("output")
                   for block in message_of(e)["content_blocks"] for leaf in block.get("contents", []))
                   for e in events)
    status, _ = resumed(client, headers, job, request["request_id"], {"action_id": "approve"}, len(events))
    assert (status["status"], status["output"]["text"]) == ("completed", ANSWER)
    contents = stored(client, headers, flow_id)[-1]["content_blocks"][0]["contents"]
    assert [(leaf["name"], leaf["tool_input"]) for leaf in contents if leaf["type"] == "tool_use"] == [
        ("evaluate_expression", {"expression": "1+1"}), ("get_current_date", {"timezone": "UTC"}),
        ("evaluate_expression", {"expression": "3*3"})]


@pytest.mark.parametrize(("decision", "ran"), [
    ({"action_id": "reject"}, [("get_current_date", {"timezone": "UTC"})]),
    ({"action_id": "edit", "values": {"args": {"expression": "5-5"}}},
     [("evaluate_expression", {"expression": "5-5"}), ("get_current_date", {"timezone": "UTC"}),
      ("evaluate_expression", {"expression": "5-5"})])])
def test_a_rejection_or_an_edit_applies_to_every_gated_call_of_the_turn(
        make_client: Callable[..., TestClient], tmp_path: Path, decision: dict[str, Any],
        ran: list[tuple[str, dict[str, str]]]) -> None:
    """lfx turns the one decision into one per gated call: a rejection answers each for the model (no tool runs
    but the turn's other one), an edit runs each with the edited arguments."""
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["edit", "reject"], calls=MIXED)
    job, events = suspended(client, headers, flow_id)
    status, _ = resumed(client, headers, job, events[-1]["data"]["request_id"], decision, len(events))
    assert status["status"] == "completed"
    contents = stored(client, headers, flow_id)[-1]["content_blocks"][0]["contents"]
    assert [(leaf["name"], leaf["tool_input"]) for leaf in contents if leaf["type"] == "tool_use"] == ran


@pytest.mark.parametrize(("version", "text"), [("1.13.0", SAY + ANSWER), ("1.8.4", ANSWER)])
def test_an_agent_with_no_chat_output_answers_with_its_turns_text_on_1_13(make_client: Callable[..., TestClient],
                                                                          tmp_path: Path, version: str,
                                                                          text: str) -> None:
    """An Agent no Chat Output is connected to stores and announces nothing, but logs as any: 1.13's answer is
    its log's text leaves, the turn's text then the reply (a build's end_vertex shows it in the Agent's artifact);
    AgentExecutor's is the reply."""
    client, headers, flow_id = agent_client(make_client, tmp_path, version, rule=TURN)
    data = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()["data"]
    data["nodes"] = [n for n in data["nodes"] if n["data"]["type"] != "ChatOutput"]
    data["edges"] = [e for e in data["edges"] if not e["target"].startswith("ChatOutput")]
    flow_id = create_flow(client, headers, {"name": "Agent alone", "data": data})["id"]
    started = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "weather?"}},
                          headers=headers)
    events = client.get(f"/api/v1/build/{started.json()['job_id']}/events", headers=headers).text
    built = next(e["data"]["build_data"] for e in map(json.loads, filter(str.strip, events.splitlines()))
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "Agent-tGjX5")
    # an Agent's vertex is a component's, no interface one: no results, what it made in its artifact
    assert (built["data"]["results"], built["data"]["artifacts"]["response"]["raw"]) == ({}, text)
