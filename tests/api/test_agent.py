"""The Agent component answering without calling a tool, as each release's Agent does it (lfx's
base/agents/agent.py run_agent and base/agents/events.py process_agent_events): its own message, stored and
announced while it works, then taken over by the Chat Output it feeds (the "Simple Agent" example)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tests.api.test_workflows import WF, wait_status
from tests.conftest import copy_of_example, create_flow, new_api_key

ANSWER = "Sunny and warm."
STEPS = "Agent Steps"
RELEASES = ["1.13.0", "1.8.4", "1.7.1"]


def agent_client(make_client: Callable[..., TestClient], tmp_path: Path, version: str,
                 rule: str = f'reply: "{ANSWER}"') -> tuple[TestClient, dict[str, str], str]:
    script = tmp_path / "agent.yaml"
    script.write_text(f"rules:\n  - match: {{input_contains: weather}}\n    {rule}\n", encoding="utf-8")
    client = make_client(langflow_version=version, scripts=[script], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, copy_of_example(client, headers, "Simple Agent")["id"]


def step(title: str, text: str) -> dict[str, Any]:
    return {"type": "text", "duration": 0, "header": {"title": title, "icon": "MessageSquare"}, "text": text}


def steps(*contents: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"title": STEPS, "contents": list(contents), "allow_markdown": True, "media_url": None}]


def answer_blocks(version: str, question: str) -> list[dict[str, Any]]:
    """A tool-less answer's content blocks: none on 1.13's v1 wire, the Input and Output steps before."""
    if version == "1.13.0":
        return []
    return steps(step("Input", question), step("Output", ANSWER))


# the answer as 1.13 folds it into an Agent's steps once a Chat Output took its message over (set its text, stored it)
OUTPUT_STEP = {"type": "text", "duration": None, "header": {"title": "Output", "icon": "MessageSquare"}, "text": ANSWER}


def with_output(blocks: list[dict[str, Any]], text: str = ANSWER) -> list[dict[str, Any]]:
    """An Agent's v1 steps as the Chat Output's message shows them: its text folded in as the Output step."""
    (group,) = blocks
    return [{**group, "contents": [*group["contents"], {**OUTPUT_STEP, "text": text}]}]


def message_of(event: dict[str, Any]) -> dict[str, Any]:
    """An add_message event's message fields (1.7.1's events carry the flat message dict, later ones the
    Message object's dump, which lists them at its top too: its content blocks as the message holds them, where
    1.13's `data` keeps those it was made with, or read back from the store)."""
    data: dict[str, Any] = event["data"]
    return data


@pytest.mark.parametrize("version", RELEASES)
def test_an_agent_run_stores_one_message_the_chat_output_shows(make_client: Callable[..., TestClient],
                                                             tmp_path: Path, version: str) -> None:
    client, headers, flow_id = agent_client(make_client, tmp_path, version)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?", "session_id": "s1"},
                           headers=headers)
    assert response.status_code == 200, response.text
    shown = response.json()["outputs"][0]["outputs"][0]["results"]["message"]
    stored = client.get("/api/v1/monitor/messages", headers=headers, params={"session_id": "s1"}).json()
    assert [m["sender"] for m in stored] == ["User", "Machine"]  # the agent's message, updated: no second one
    agent = stored[1]
    assert agent["id"] == shown["data"]["id"]
    assert (agent["text"], agent["sender_name"]) == (ANSWER, "AI")
    assert (agent["properties"]["icon"], agent["properties"]["state"]) == ("Bot", "complete")
    assert agent["properties"]["source"]["id"] == "Agent-tGjX5"  # set by the Chat Output as it stored it again
    assert agent["content_blocks"] == shown["content_blocks"] == answer_blocks(version, "weather?")
    assert (shown["properties"]["icon"], shown["text"]) == ("Bot", ANSWER)


@pytest.mark.parametrize("version", RELEASES)
def test_an_agent_stream_announces_its_message_before_its_tokens(make_client: Callable[..., TestClient],
                                                                tmp_path: Path, version: str) -> None:
    client, headers, flow_id = agent_client(make_client, tmp_path, version)
    response = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "weather?"}, headers=headers)
    events = [json.loads(part) for part in response.text[:-2].split("\n\n")]
    user, *agent_events, end = [event for event in events if event["event"] != "log"]  # (1.13's: test_agent_log)
    assert (user["event"], end["event"]) == ("add_message", "end")
    kinds = [e["event"] for e in agent_events]
    announced = [message_of(e) for e in agent_events if e["event"] == "add_message"]
    tokens = [e["data"] for e in agent_events if e["event"] == "token"]
    ids = {m["id"] for m in announced} | {t["id"] for t in tokens}
    assert len(ids) == 1  # one message throughout: the agent's, then the Chat Output's update of it
    assert "".join(t["chunk"] for t in tokens) == ANSWER
    states = [(m["text"], m["properties"]["state"], m["properties"]["icon"]) for m in announced]
    if version == "1.13.0":
        assert kinds == ["add_message", *["token"] * len(tokens), "add_message", "add_message", "add_message"]
        assert states == [("", "partial", "Bot"), (ANSWER, "partial", "Bot"), (ANSWER, "complete", "Bot"),
                          (ANSWER, "complete", "Bot")]
        assert all(m["content_blocks"] == [] for m in announced)
    else:
        assert kinds == ["add_message", "add_message", *["token"] * len(tokens), "add_message", "add_message"]
        assert states == [("", "partial", "Bot"), ("", "partial", "Bot"), (ANSWER, "complete", "Bot"),
                          (ANSWER, "complete", "Bot")]
        assert [m["content_blocks"] for m in announced] == [
            steps(), steps(step("Input", "weather?")), *[answer_blocks(version, "weather?")] * 2]
    # the agent's own message has no source; the Chat Output's storing of it names the agent
    assert [m["properties"]["source"]["id"] for m in announced] == [None] * (len(announced) - 1) + ["Agent-tGjX5"]
    result = end["data"]["result"]["outputs"][0]["outputs"][0]["results"]["message"]
    assert (result["data"]["id"], result["text"]) == (ids.pop(), ANSWER)


@pytest.mark.parametrize(("version", "blank"), [("1.8.4", True), ("1.7.1", False)])
def test_only_1_7_1_keeps_a_whitespace_chunk_from_the_tokens(make_client: Callable[..., TestClient], tmp_path: Path,
                                                             version: str, blank: bool) -> None:
    client, headers, flow_id = agent_client(make_client, tmp_path, version,
                                            rule=f'reply: "{ANSWER}"\n    stream: {{chunking: chars}}')
    response = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "weather?"}, headers=headers)
    chunks = [e["data"]["chunk"] for e in map(json.loads, response.text[:-2].split("\n\n")) if e["event"] == "token"]
    assert "".join(chunks) == (ANSWER if blank else ANSWER.replace(" ", ""))
    assert (" " in chunks) is blank


@pytest.mark.parametrize("version", RELEASES)
def test_a_failing_model_takes_the_agents_message_back(make_client: Callable[..., TestClient], tmp_path: Path,
                                                       version: str) -> None:
    client, headers, flow_id = agent_client(make_client, tmp_path, version, rule='error: "Rate limit exceeded"')
    started = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "weather?"}},
                          headers=headers)
    text = client.get(f"/api/v1/build/{started.json()['job_id']}/events", headers=headers).text
    events = [json.loads(line) for line in text.splitlines() if line.strip()]
    kinds = [e["event"] for e in events]
    agent_id = message_of(events[kinds.index("add_message", kinds.index("end_vertex"))])["id"]
    assert events[kinds.index("remove_message")]["data"] == {"id": agent_id}
    failed = next(e["data"]["build_data"] for e in events if e["event"] == "end_vertex"
                  and e["data"]["build_data"]["id"] == "Agent-tGjX5")
    # lfx's ExceptionWithMessageError: the model's error, and a full stop
    assert failed["params"] == "Error building Component Agent: \n\nRate limit exceeded."
    stored = client.get("/api/v1/monitor/messages", headers=headers).json()
    assert agent_id not in [m["id"] for m in stored]
    assert [m["properties"]["icon"] for m in stored] == [None, "error"]


def test_agui_streams_the_agents_answer_once(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13's AG-UI translator opens the agent's message with its first token and closes it when the message is
    complete; the Chat Output's storing of that same message (a closed id) adds nothing."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0")
    response = client.post("/api/v2/workflows", headers=headers, json={
        "flow_id": flow_id, "input_value": "weather?", "mode": "stream", "stream_protocol": "agui"})
    frames = [json.loads(frame.split("\n")[0][6:]) for frame in response.text[:-2].split("\n\n")]
    kinds = [f["type"] for f in frames]
    assert kinds == ["RUN_STARTED", "TEXT_MESSAGE_START", *["TEXT_MESSAGE_CONTENT"] * (len(kinds) - 4),
                     "TEXT_MESSAGE_END", "RUN_FINISHED"]
    assert "".join(f["delta"] for f in frames if f["type"] == "TEXT_MESSAGE_CONTENT") == ANSWER
    assert len({f["messageId"] for f in frames if "messageId" in f}) == 1


def test_agui_opens_no_message_for_an_agent_that_fails_and_shows_its_removal(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13's AG-UI translator opens a text message with its text or its first token, not on an empty or partial
    add_message: an Agent whose model fails before answering sends none, only the removal of its message (CUSTOM
    langflow.message.removed), the run's error and its end."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule='error: "Rate limit exceeded"')
    response = client.post("/api/v2/workflows", headers=headers, json={
        "flow_id": flow_id, "input_value": "weather?", "mode": "stream", "stream_protocol": "agui"})
    frames = [json.loads(frame.split("\n")[0][6:]) for frame in response.text[:-2].split("\n\n")]
    assert [f["type"] for f in frames] == ["RUN_STARTED", "CUSTOM", "RUN_ERROR", "RUN_FINISHED"]
    assert frames[1]["name"] == "langflow.message.removed" and set(frames[1]["value"]) == {"message_id"}
    UUID(frames[1]["value"]["message_id"])  # the agent's message
    assert frames[2] == {"type": "RUN_ERROR", "message": "Rate limit exceeded."}


def test_before_1_13_a_blank_input_reaches_the_agent_as_a_request_to_continue(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """lfx's run_agent never hands the model an empty input: the Input step shows what it sends instead."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.8.4")
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": " ", "session_id": "s1"}, headers=headers)
    shown = response.json()["outputs"][0]["outputs"][0]["results"]["message"]
    assert shown["content_blocks"][0]["contents"][0] == step("Input", "Continue the conversation.")


# --- an agent calling a tool (script rules' tool_calls) -------------------------------------------------------

TOOL_RULE = ('reply: "' + ANSWER + '"\n    tool_calls: [{name: get_current_date, input: {timezone: UTC}, '
             'output: "Current date and time in UTC: 2026-01-02 03:04:05 UTC"}]')


def tool_use(output: str | None = None, *, done: bool = False,
             tool_input: dict[str, Any] | None = None) -> dict[str, Any]:
    """lfx's ToolContent of the Agent's own Current Date tool, dumped as its content blocks show it."""
    tool_input = {"timezone": "UTC"} if tool_input is None else tool_input
    return {"type": "tool_use", "duration": 0, "name": "get_current_date", "tool_input": tool_input,
            "header": {"title": f"{'Executed' if done else 'Accessing'} **get_current_date**", "icon": "Hammer"},
            "output": output, "error": None}


def streamed_agent_events(client: TestClient, headers: dict[str, str], flow_id: str) -> list[dict[str, Any]]:
    """The events of a streamed /run asking "weather?" in session s1, between the user's message and `end`, but
    1.13's Agent's `log` events (tests/api/test_agent_log.py)."""
    response = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "weather?", "session_id": "s1"},
                           headers=headers)
    events = [json.loads(part) for part in response.text[:-2].split("\n\n")][1:-1]
    return [event for event in events if event["event"] != "log"]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_a_tool_call_shows_as_a_step_that_is_executed_only_in_the_final_message(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str) -> None:
    """lfx's handle_on_tool_start announces the step "Accessing" the tool; handle_on_tool_end announces the message
    again before it marks the step "Executed" with the tool's output, which only the final message shows."""
    client, headers, flow_id = agent_client(make_client, tmp_path, version, rule=TOOL_RULE)
    events = streamed_agent_events(client, headers, flow_id)
    kinds = [e["event"] for e in events]
    tokens = kinds.count("token")
    assert kinds == ["add_message"] * 4 + ["token"] * tokens + ["add_message"] * 2
    announced = [message_of(e)["content_blocks"] for e in events if e["event"] == "add_message"]
    output = "Current date and time in UTC: 2026-01-02 03:04:05 UTC"
    final = steps(step("Input", "weather?"), tool_use(output, done=True), step("Output", ANSWER))
    assert announced == [steps(), steps(step("Input", "weather?")), *[steps(step("Input", "weather?"), tool_use())] * 2,
                         final, final]
    stored = client.get("/api/v1/monitor/messages", headers=headers, params={"session_id": "s1"}).json()
    assert (stored[-1]["text"], stored[-1]["content_blocks"]) == (ANSWER, final)
    calls = client.get("/_mock/llm-calls", params={"session": "s1"}, headers=headers).json()["calls"]
    assert calls[-1]["tool_calls"] == [{"name": "get_current_date", "input": {"timezone": "UTC"}, "output": output}]


def test_a_second_call_with_the_same_input_updates_the_first_step(make_client: Callable[..., TestClient],
                                                                  tmp_path: Path) -> None:
    """handle_on_tool_end finds the step to mark by tool name and input: the first such step, already executed,
    gets the second call's output, and the second stays "Accessing"."""
    rule = ('reply: "' + ANSWER + '"\n    tool_calls: [{name: get_current_date, input: {timezone: UTC}, output: one},'
            ' {name: get_current_date, input: {timezone: UTC}, output: two}]')
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.8.4", rule=rule)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    shown = response.json()["outputs"][0]["outputs"][0]["results"]["message"]
    assert shown["content_blocks"] == steps(step("Input", "weather?"), tool_use("two", done=True), tool_use(),
                                            step("Output", ANSWER))


@pytest.mark.parametrize(("enabled", "status"), [(True, 200), (False, 500)])
def test_a_scripted_tool_the_agent_lacks_fails_the_agent(make_client: Callable[..., TestClient], tmp_path: Path,
                                                         enabled: bool, status: int) -> None:
    """The model is only offered the agent's tools: its Current Date tool is there unless switched off."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.8.4", rule=TOOL_RULE)
    data = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()["data"]
    agent = next(n for n in data["nodes"] if n["data"]["id"] == "Agent-tGjX5")
    agent["data"]["node"]["template"]["add_current_date_tool"] = {
        "name": "add_current_date_tool", "type": "bool", "value": enabled, "show": True, "advanced": True}
    flow_id = create_flow(client, headers, {"name": "Agent with its tools", "data": data})["id"]
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    assert response.status_code == status, response.text
    if not enabled:
        assert ("'get_current_date': Agent-tGjX5 has no such tool (its tools: none)"
                in response.json()["detail"])


@pytest.mark.parametrize(("rule", "problem"), [
    ('{"reply": "x", "tool_calls": [{"name": "t"}]}', "tool_calls.0: a tool call needs one of output or error"),
    ('{"reply": "x", "tool_calls": [{"name": "t", "output": "o", "error": "e"}]}', "give either output or error"),
    ('{"reply": "x", "tool_calls": [{"name": "t", "error": ""}]}', "tool_calls.0.error"),
    ('{"error": "x", "tool_calls": [{"name": "t", "output": "o"}]}', "not error"),
    ('{"reply": "x", "tool_calls": [{"name": "t", "input": "i", "output": "o"}]}', "tool_calls.0.input"),
    # a model turn: {calls, say}, a mapping (see test_agent_turns.py)
    ('{"reply": "x", "tool_calls": [[{"name": "t", "output": "o"}]]}',
     "tool_calls.0: an entry is a tool call {name, input, output} or a model turn"),
    ('{"reply": "x", "tool_calls": [{"calls": []}]}', "tool_calls.0.calls: List should have at least 1 item"),
    ('{"reply": "x", "tool_calls": [{"say": "", "calls": [{"name": "t", "output": "o"}]}]}',
     "tool_calls.0.say: String should have at least 1"),
    ('{"reply": "x", "tool_calls": [{"say": "x", "calls": [{"name": "t"}]}]}',
     "tool_calls.0.calls.0: a tool call needs one of output or error"),
    ('{"reply": "x", "tool_calls": [{"name": "t", "calls": [{"name": "t", "output": "o"}]}]}',
     "tool_calls.0.name: Extra inputs are not permitted"),
    ('{"reply": "x", "tool_calls": [{"say": "x"}]}', "tool_calls.0.calls: Field required"),
])
def test_a_bad_tool_call_rule_is_refused(make_client: Callable[..., TestClient], rule: str, problem: str) -> None:
    client = make_client(langflow_version="1.8.4")
    response = client.post("/_mock/scripts", content=f'{{"rules": [{rule}]}}',
                           headers={"x-api-key": new_api_key(client)})
    assert response.status_code == 422
    assert problem in response.text


def with_model(client: TestClient, headers: dict[str, str], flow_id: str, model: list[dict[str, Any]]) -> str:
    """A copy of the flow whose Agent selects this model (1.13's `model` field, which wins over agent_llm)."""
    data = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()["data"]
    agent = next(n for n in data["nodes"] if n["data"]["id"] == "Agent-tGjX5")
    agent["data"]["node"]["template"]["model"] = {"name": "model", "type": "model", "value": model, "show": True}
    return str(create_flow(client, headers, {"name": "Agent with its model", "data": data})["id"])


OPENAI_CALL_ID = r"call_[A-Za-z0-9]{24}"
ANTHROPIC_CALL_ID = r"toolu_01[A-Za-z0-9]{22}"
UUID4_CALL_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


@pytest.mark.parametrize(("model", "call_id", "provider"), [
    ([], OPENAI_CALL_ID, None),  # the example's agent_llm: OpenAI
    ([{"provider": "OpenAI", "name": "gpt-4.1"}], OPENAI_CALL_ID, None),
    ([{"provider": "Anthropic", "name": "claude-sonnet-4-5"}], ANTHROPIC_CALL_ID, None),
    ([{"provider": "Google Generative AI", "name": "gemini-2.5-flash"}], UUID4_CALL_ID, None),
    ([{"provider": "Ollama", "name": "llama3.2"}], UUID4_CALL_ID, None),
    ([{"provider": "Azure OpenAI", "name": "gpt-4o"}], OPENAI_CALL_ID, None),
    # get_llm resolves a provider's registry id (and any casing of its name) to the provider
    ([{"provider": "google-generative-ai", "name": "gemini-2.5-flash"}], UUID4_CALL_ID, None),
    ([{"provider": "anthropic", "name": "claude-sonnet-4-5"}], ANTHROPIC_CALL_ID, None),
    ([{"provider": "Groq", "name": "llama-3.3-70b-versatile"}], None, "Groq"),
    ([{"provider": "IBM watsonx.ai", "name": "ibm/granite-3-8b-instruct"}], None, "IBM WatsonX"),
    ([{"provider": "OpenRouter", "name": "openai/gpt-4o"}], None, "OpenRouter"),
    ([{"provider": "Azure AI Foundry", "name": "gpt-4o"}], None, "Azure AI Foundry"),
], ids=["agent_llm", "openai", "anthropic", "google", "ollama", "azure-openai", "google-id", "anthropic-lower", "groq",
        "watsonx", "openrouter", "azure-ai-foundry"])
def test_1_13_emulates_tool_calls_for_the_agents_of_known_model_providers_only(
        make_client: Callable[..., TestClient], tmp_path: Path, model: list[dict[str, Any]], call_id: str | None,
        provider: str | None) -> None:
    """1.13 logs an agent's steps as its model provider's messages shape them, the tool's ToolMessage carrying
    the id the provider's LangChain integration hands on: the mock emulates OpenAI's and Azure OpenAI's
    (call_ ids), Anthropic's (toolu_01 ids), Google Generative AI's and Ollama's (uuid4 ids the integration
    makes); an agent of a provider whose ids are its serving backend's fails with the mock's error."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TOOL_RULE)
    added = client.post("/_mock/scripts", headers=headers,
                        content='{"rules": [{"match": {"input_contains": "other"}, "reply": "x", '
                                '"tool_calls": [{"name": "t", "output": "o"}]}]}')
    assert added.status_code == 201, added.text  # accepted: whether it is emulated depends on the agent it reaches
    if model:
        flow_id = with_model(client, headers, flow_id, model)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?", "session_id": "s1"},
                           headers=headers)
    assert response.status_code == (500 if provider else 200), response.text
    if provider:
        assert ("tool_calls are scripted for an Agent whose model provider is OpenAI, Anthropic, Google Generative "
                f"AI, Ollama or Azure OpenAI on Langflow 1.13.0 (this one's: {provider})"
                ) in response.json()["detail"]
        return
    stored = client.get("/api/v1/monitor/messages", headers=headers, params={"session_id": "s1"}).json()
    executed = stored[-1]["content_blocks"][0]["contents"][0]
    assert re.fullmatch(str(call_id), executed["output"]["tool_call_id"]), executed


def tool_message_of(leaf: dict[str, Any], content: Any = "Current date and time in UTC: 2026-01-02 03:04:05 UTC",
                    artifact: Any = None, call_id: str = OPENAI_CALL_ID) -> dict[str, Any]:
    """The ToolMessage a 1.13 agent's log keeps as a tool's output, checked for its ids (the model provider's
    call id, LangGraph's uuid)."""
    shown = leaf["output"]
    assert re.fullmatch(call_id, shown["tool_call_id"]) and UUID(shown["id"]).version == 4
    return {"content": content, "additional_kwargs": {}, "response_metadata": {}, "type": "tool",
            "name": leaf["name"], "id": shown["id"], "tool_call_id": shown["tool_call_id"], "artifact": artifact,
            "status": "success"}


@pytest.mark.parametrize(("model", "call_id"), [
    ([], OPENAI_CALL_ID),  # the example's agent_llm: OpenAI
    ([{"provider": "Google Generative AI", "name": "gemini-2.5-flash"}], UUID4_CALL_ID),
    ([{"provider": "Ollama", "name": "llama3.2"}], UUID4_CALL_ID),
], ids=["openai", "google", "ollama"])
def test_1_13_logs_an_openai_agents_tool_call_that_v1_sees_as_agent_steps(make_client: Callable[..., TestClient],
                                                                           tmp_path: Path, model: list[dict[str, Any]],
                                                                           call_id: str) -> None:
    """lfx 1.13's events.py with an OpenAI model: the tool-calling turn's message has no text and no tool_use block,
    so handle_on_tool_start adds the call "Accessing" the tool and announces it; handle_on_tool_end announces the
    message unchanged, then makes the call "Executed" with the tool's ToolMessage; the answer's model end adds
    its text and announces the log. v1 sees the flat log as one "Agent Steps" group (legacy_render). A Google
    Generative AI (langchain-google-genai) or Ollama (langchain-ollama) model's turn is alike, its calls outside
    the message's content, each with the uuid4 the integration makes for it as its id."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TOOL_RULE)
    if model:
        flow_id = with_model(client, headers, flow_id, model)
    events = streamed_agent_events(client, headers, flow_id)
    kinds = [e["event"] for e in events]
    tokens = kinds.count("token")
    assert kinds == ["add_message"] * 3 + ["token"] * tokens + ["add_message"] * 3
    announced = [message_of(e) for e in events if e["event"] == "add_message"]
    final_blocks = announced[-1]["content_blocks"]
    executed = final_blocks[0]["contents"][0]
    final = steps(tool_use(tool_message_of(executed, call_id=call_id), done=True),
                  {"type": "text", "duration": 0, "header": {}, "text": ANSWER})
    assert [m["content_blocks"] for m in announced] == [[], *[steps(tool_use())] * 2, final, final,
                                                        with_output(final)]
    assert [(m["text"], m["properties"]["state"]) for m in announced] == [
        ("", "partial"), ("", "partial"), ("", "partial"), (ANSWER, "partial"), (ANSWER, "complete"),
        (ANSWER, "complete")]
    stored = client.get("/api/v1/monitor/messages", headers=headers, params={"session_id": "s1"}).json()
    assert (stored[-1]["text"], stored[-1]["content_blocks"]) == (ANSWER, with_output(final))


def test_1_13_logs_an_anthropic_agents_tool_call_at_the_model_turns_end(make_client: Callable[..., TestClient],
                                                                        tmp_path: Path) -> None:
    """lfx 1.13's events.py with an Anthropic model (langchain-anthropic, tools bound, streaming): the tool-calling
    turn's message holds the call as a tool_use block, which handle_on_chat_model_end adds "Accessing" the tool
    and announces with the streamed snapshot's empty input; handle_on_tool_start fills the input in unannounced,
    handle_on_tool_end announces the message, then makes the call "Executed" with the ToolMessage, whose
    tool_call_id is Anthropic's toolu_ id. The answer's end is as with OpenAI."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TOOL_RULE)
    flow_id = with_model(client, headers, flow_id, [{"provider": "Anthropic", "name": "claude-sonnet-4-5"}])
    events = streamed_agent_events(client, headers, flow_id)
    kinds = [e["event"] for e in events]
    tokens = kinds.count("token")
    assert kinds == ["add_message"] * 3 + ["token"] * tokens + ["add_message"] * 3
    announced = [message_of(e) for e in events if e["event"] == "add_message"]
    executed = announced[-1]["content_blocks"][0]["contents"][0]
    final = steps(tool_use(tool_message_of(executed, call_id=ANTHROPIC_CALL_ID), done=True),
                  {"type": "text", "duration": 0, "header": {}, "text": ANSWER})
    assert [m["content_blocks"] for m in announced] == [[], steps(tool_use(tool_input={})), steps(tool_use()),
                                                        final, final, with_output(final)]
    stored = client.get("/api/v1/monitor/messages", headers=headers, params={"session_id": "s1"}).json()
    assert (stored[-1]["text"], stored[-1]["content_blocks"]) == (ANSWER, with_output(final))


def test_1_13_marks_each_call_executed_and_keeps_a_data_output_as_json_text(make_client: Callable[..., TestClient],
                                                                            tmp_path: Path) -> None:
    """1.13's handle_on_tool_end marks the unexecuted call of that name and input, so a second like call gets
    its own output; a tool's object output is the ToolMessage's JSON text and its artifact (lfx's
    ComponentStructuredTool, LangChain's _format_output)."""
    rule = ('reply: "' + ANSWER + '"\n    tool_calls: [{name: get_current_date, input: {timezone: UTC}, output: one},'
            ' {name: get_current_date, input: {timezone: UTC}, output: {date: "2026-01-02", zone: "Zürich"}}]')
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=rule)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    shown = response.json()["outputs"][0]["outputs"][0]["results"]["message"]["content_blocks"]
    first, second, text, output = shown[0]["contents"]
    data = {"date": "2026-01-02", "zone": "Zürich"}
    assert [first, second] == [tool_use(tool_message_of(first, "one"), done=True),
                               tool_use(tool_message_of(second, '{"date": "2026-01-02", "zone": "Zürich"}', data),
                                        done=True)]
    assert first["output"]["tool_call_id"] != second["output"]["tool_call_id"]
    assert text == {"type": "text", "duration": 0, "header": {}, "text": ANSWER}
    assert output == OUTPUT_STEP


TWO_CALLS = ('reply: "' + ANSWER + '"\n    tool_calls: [{name: get_current_date, input: {timezone: UTC}, output: one},'
             ' {name: get_current_date, input: {timezone: "Europe/Zürich"}, output: {zone: "Zürich"}}]')


def agui_frames(text: str) -> list[dict[str, Any]]:
    return [json.loads(frame.split("\n")[0][6:]) for frame in text[:-2].split("\n\n")]


def test_agui_shows_an_agents_tool_calls_before_its_answer(make_client: Callable[..., TestClient],
                                                           tmp_path: Path) -> None:
    """1.13's AG-UI translator turns each tool_use leaf of the Agent's announced log into TOOL_CALL_START, ARGS
    (the input as json.dumps text) and END once, and TOOL_CALL_RESULT (the ToolMessage as json.dumps text) once
    an announcement shows it executed; the leaves have no id, so a call's id is "<message id>:tool:ord:<rank>"."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TWO_CALLS)
    response = client.post("/api/v2/workflows", headers=headers, json={
        "flow_id": flow_id, "input_value": "weather?", "mode": "stream", "stream_protocol": "agui"})
    frames = agui_frames(response.text)
    kinds = [f["type"] for f in frames]
    call = ["TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END"]
    tokens = kinds.count("TEXT_MESSAGE_CONTENT")
    assert kinds == ["RUN_STARTED", *call, "TOOL_CALL_RESULT", *call, "TEXT_MESSAGE_START",
                     *["TEXT_MESSAGE_CONTENT"] * tokens, "TOOL_CALL_RESULT", "TEXT_MESSAGE_END", "RUN_FINISHED"]
    message = frames[-2]["messageId"]
    first, second = f"{message}:tool:ord:0", f"{message}:tool:ord:1"
    assert frames[1:4] == [
        {"type": "TOOL_CALL_START", "toolCallId": first, "toolCallName": "get_current_date",
         "parentMessageId": message},
        {"type": "TOOL_CALL_ARGS", "toolCallId": first, "delta": '{"timezone": "UTC"}'},
        {"type": "TOOL_CALL_END", "toolCallId": first}]
    assert frames[6] == {"type": "TOOL_CALL_ARGS", "toolCallId": second, "delta": '{"timezone": "Europe/Z\\u00fcrich"}'}
    results = [f for f in frames if f["type"] == "TOOL_CALL_RESULT"]
    assert [(r["messageId"], r["toolCallId"]) for r in results] == [(message, first), (message, second)]
    one, zone = (json.loads(r["content"]) for r in results)
    assert one == tool_message_of({"name": "get_current_date", "output": one}, "one")
    assert zone == tool_message_of({"name": "get_current_date", "output": zone}, '{"zone": "Zürich"}',
                                   {"zone": "Zürich"})
    assert results[1]["content"] == json.dumps(zone) and "Z\\u00fcrich" in results[1]["content"]


def test_agui_shows_an_anthropic_agents_call_with_the_input_of_its_first_announcement(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """With an Anthropic model the call is first announced at its model turn's end with the streamed snapshot's
    empty input; 1.13's translator sends a call's TOOL_CALL_ARGS once, so they are "{}", the input the tool's
    start fills in later never shown."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TOOL_RULE)
    flow_id = with_model(client, headers, flow_id, [{"provider": "Anthropic", "name": "claude-sonnet-4-5"}])
    response = client.post(WF, headers=headers, json={
        "flow_id": flow_id, "input_value": "weather?", "mode": "stream", "stream_protocol": "agui"})
    frames = agui_frames(response.text)
    args = [f for f in frames if f["type"] == "TOOL_CALL_ARGS"]
    assert [f["delta"] for f in args] == ["{}"]
    (result,) = [f for f in frames if f["type"] == "TOOL_CALL_RESULT"]
    assert json.loads(result["content"])["tool_call_id"].startswith("toolu_01")


def test_a_background_agui_agent_run_stores_its_tool_calls_but_not_their_results(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13's agui adapter stores TOOL_CALL_START, ARGS and END (durable) but not TOOL_CALL_RESULT, which only a
    client attached while it comes sees: a background run's /events replays the calls without their results."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TOOL_RULE)
    job = client.post(WF, headers=headers, json={"flow_id": flow_id, "input_value": "weather?", "mode": "background",
                                                 "stream_protocol": "agui"}).json()["job_id"]
    wait_status(client, headers, job, {"completed"})
    text = client.get(f"{WF}/{job}/events", headers=headers).text
    frames = agui_frames(text)
    assert [f["type"] for f in frames] == ["RUN_STARTED", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
                                           "TEXT_MESSAGE_START", "TEXT_MESSAGE_END", "RUN_FINISHED"]
    call = f"{frames[4]['messageId']}:tool:ord:0"
    stored = '{"type":"TOOL_CALL_ARGS","toolCallId":"' + call + '","delta":"{\\"timezone\\": \\"UTC\\"}"}'
    assert f"data: {stored}\nid: 3\n\n" in text


def with_tools(client: TestClient, headers: dict[str, str], flow_id: str, component: str, display_name: str,
               rows: list[dict[str, Any]]) -> str:
    """A copy of the agent flow with a tool-mode component (its tools_metadata `rows`) connected to the Agent's
    tools: the new flow's id."""
    data = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()["data"]
    node_id = f"{component}-t1"
    data["nodes"].append({"id": node_id, "type": "genericNode", "position": {"x": 0, "y": 0},
                          "data": {"id": node_id, "type": component, "node": {
                              "display_name": display_name, "tool_mode": True,
                              "outputs": [{"name": "component_as_tool", "types": ["Tool"], "method": "to_toolkit"}],
                              "template": {"_type": "Component", "tools_metadata": {
                                  "name": "tools_metadata", "type": "table", "show": True, "value": rows}}}}})
    data["edges"].append({"source": node_id, "target": "Agent-tGjX5", "id": "tools-agent",
                          "data": {"sourceHandle": {"dataType": component, "id": node_id,
                                                    "name": "component_as_tool", "output_types": ["Tool"]},
                                   "targetHandle": {"fieldName": "tools", "id": "Agent-tGjX5",
                                                    "inputTypes": ["Tool"], "type": "other"}}})
    return create_flow(client, headers, {"name": f"Agent with {display_name}", "data": data})["id"]


@pytest.mark.parametrize(("tool", "status"), [("evaluate_expression", 200), ("round_number", 500)])
def test_a_connected_components_tools_are_named_by_its_tools_metadata(make_client: Callable[..., TestClient],
                                                                      tmp_path: Path, tool: str, status: int) -> None:
    """A tool-mode component offers the agent the tools its tools_metadata rows name, save those switched off."""
    rule = f'reply: "{ANSWER}"\n    tool_calls: [{{name: {tool}, input: {{expression: "1+1"}}, output: "2"}}]'
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.8.4", rule=rule)
    rows = [{"name": "evaluate_expression", "description": "", "tags": ["evaluate_expression"], "status": True},
            {"name": "round_number", "description": "", "tags": ["round_number"], "status": False}]
    flow_id = with_tools(client, headers, flow_id, "CalculatorComponent", "Calculator", rows)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    assert response.status_code == status, response.text
    if status == 500:
        assert "its tools: evaluate_expression, get_current_date" in response.json()["detail"]


def test_a_builds_events_show_the_tool_step_as_a_runs_stream_does(make_client: Callable[..., TestClient],
                                                                  tmp_path: Path) -> None:
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.8.4", rule=TOOL_RULE)
    started = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "weather?"}},
                          headers=headers)
    text = client.get(f"/api/v1/build/{started.json()['job_id']}/events", headers=headers).text
    announced = [message_of(e)["content_blocks"] for e in map(json.loads, filter(str.strip, text.splitlines()))
                 if e["event"] == "add_message" and message_of(e)["properties"]["icon"] == "Bot"]
    output = "Current date and time in UTC: 2026-01-02 03:04:05 UTC"
    assert announced[2:4] == [steps(step("Input", "weather?"), tool_use())] * 2
    assert announced[-1] == steps(step("Input", "weather?"), tool_use(output, done=True), step("Output", ANSWER))


def test_1_13_builds_end_vertex_shows_the_agents_flat_log(make_client: Callable[..., TestClient],
                                                          tmp_path: Path) -> None:
    """1.13 projects content blocks to the old shape at its v1 boundaries only: a build's end_vertex keeps the new
    shape (a group tagged "group", leaves with id and contents) in the Chat Output's result, whose message is the
    Agent's as the store gave it back, the answer folded in as the Output step; its `data` keeps the stored (old)
    shape (the Agent's own vertex, a component's and no interface's, shows no results)."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TOOL_RULE)
    started = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "weather?"}},
                          headers=headers)
    text = client.get(f"/api/v1/build/{started.json()['job_id']}/events", headers=headers).text
    built = {e["data"]["build_data"]["id"].split("-")[0]: e["data"]["build_data"]
             for e in map(json.loads, filter(str.strip, text.splitlines())) if e["event"] == "end_vertex"}
    assert (built["Agent"]["data"]["results"], built["Agent"]["params"]) == ({}, "None")
    result = built["ChatOutput"]["data"]["results"]["message"]
    (group,) = result["content_blocks"]
    tool, answer, output = group.pop("contents")
    assert group == {"type": "group", "id": None, "duration": None, "header": {}, "title": STEPS,
                     "allow_markdown": True, "media_url": None}
    assert tool == {**tool_use(tool_message_of(tool), done=True), "id": None, "contents": []}
    assert answer == {"type": "text", "id": None, "duration": 0, "header": {}, "contents": [], "text": ANSWER}
    assert output == {**OUTPUT_STEP, "id": None, "contents": []}
    assert result["data"]["content_blocks"] == with_output(steps(
        tool_use(tool_message_of(tool), done=True), {"type": "text", "duration": 0, "header": {}, "text": ANSWER}))


def test_1_13_an_empty_answer_stores_the_last_call_executed(make_client: Callable[..., TestClient],
                                                            tmp_path: Path) -> None:
    """With no answer text the model's end adds nothing: the final message (process_agent_events' last
    send_message) is the first announcement to show the last call executed."""
    rule = 'reply: ""\n    tool_calls: [{name: get_current_date, input: {timezone: UTC}, output: "now"}]'
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=rule)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    (leaf,) = response.json()["outputs"][0]["outputs"][0]["results"]["message"]["content_blocks"][0]["contents"]
    assert leaf == tool_use(tool_message_of(leaf, "now"), done=True)


# --- a scripted tool that fails (a tool call's `error`) -----------------------------------------------------------

FAILING_RULE = ('reply: "' + ANSWER + '"\n    tool_calls: [{name: get_current_date, input: {timezone: UTC}, '
                'error: "Invalid timezone: UTC+99"}]')


def test_1_13_logs_a_failing_component_tool_as_executed_with_an_error_tool_message(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """lfx 1.13's component tools raise ToolException(<the error's text>) and handle it (handle_tool_error): LangChain
    hands the text back as a ToolMessage of status "error" through on_tool_end, so the call is marked "Executed"
    with it (no on_tool_error, the leaf's `error` stays null) and the model answers after reading it."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=FAILING_RULE)
    events = streamed_agent_events(client, headers, flow_id)
    announced = [message_of(e)["content_blocks"] for e in events if e["event"] == "add_message"]
    leaf = announced[-1][0]["contents"][0]
    failed = {**tool_message_of(leaf, "Invalid timezone: UTC+99"), "status": "error"}
    final = steps(tool_use(failed, done=True), {"type": "text", "duration": 0, "header": {}, "text": ANSWER})
    assert announced == [[], *[steps(tool_use())] * 2, final, final, with_output(final)]
    stored = client.get("/api/v1/monitor/messages", headers=headers, params={"session_id": "s1"}).json()
    assert (stored[-1]["text"], stored[-1]["content_blocks"]) == (ANSWER, with_output(final))
    calls = client.get("/_mock/llm-calls", params={"session": "s1"}, headers=headers).json()["calls"]
    assert calls[-1]["tool_calls"] == [{"name": "get_current_date", "input": {"timezone": "UTC"},
                                        "error": "Invalid timezone: UTC+99"}]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_failing_tool_is_refused(make_client: Callable[..., TestClient], tmp_path: Path,
                                               version: str) -> None:
    """lfx 0.3/0.2's component tools raise ToolException(<the exception>), whose handled result is the exception
    object itself: not emulated, the agent fails with the mock's error."""
    client, headers, flow_id = agent_client(make_client, tmp_path, version, rule=FAILING_RULE)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    assert response.status_code == 500, response.text
    assert ("Scripted tool call 'get_current_date' has an error: a failing tool is emulated for a component's tool "
            f"on Langflow 1.13 only (this one: Langflow {version})") in response.json()["detail"]


def test_1_13_a_failing_mcp_tool_is_refused(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """An MCP tool raises its failure (lfx's base/mcp/util.py), which the agent retries and logs as an error: not
    emulated, the agent fails with the mock's error (whichever of its failing calls it is)."""
    rule = (f'reply: "{ANSWER}"\n    tool_calls: [{{name: get_current_date, error: "bad zone"}}, '
            '{name: fetch, input: {url: "https://x"}, error: "refused"}]')
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=rule)
    rows = [{"name": "fetch", "description": "", "tags": ["fetch"], "status": True}]
    flow_id = with_tools(client, headers, flow_id, "MCPTools", "MCP Tools", rows)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    assert response.status_code == 500, response.text
    assert "(this one: an MCP tool of MCPTools-t1)" in response.json()["detail"]


@pytest.mark.parametrize("version", RELEASES)
def test_1_13s_agent_fills_its_instructions_placeholders(make_client: Callable[..., TestClient], tmp_path: Path,
                                                         version: str) -> None:
    """1.13's Agent replaces {current_date} (the UTC date), {model_name} and {optional_user_context} in its
    instructions before its model reads them, leaving other braces alone; earlier Agents hand them on as written."""
    client, headers, flow_id = agent_client(make_client, tmp_path, version)
    client.app.state.mock.clock.frozen = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # type: ignore[attr-defined]
    instructions = 'Today is {current_date}; you are {model_name}.{optional_user_context} Answer {"ok": true}.'
    response = client.post(f"/api/v1/run/{flow_id}", headers=headers, json={
        "input_value": "weather?", "session_id": "placeholders",
        "tweaks": {"Agent-tGjX5": {"system_prompt": instructions}}})
    assert response.status_code == 200, response.text
    calls = client.get("/_mock/llm-calls", params={"session": "placeholders"}, headers=headers).json()["calls"]
    system = calls[0]["prompt"].removesuffix("\n\nweather?")
    if version == "1.13.0":
        assert system == 'Today is 2026-03-04; you are gpt-4o-mini. Answer {"ok": true}.'
    else:
        assert system == instructions
