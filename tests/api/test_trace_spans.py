"""The LangChain spans of a native trace (Langflow 1.13 and 1.8): what the native callback handler records of a
language model's call and of an Agent's run, nested under the component's span, and the token counts a trace
view totals from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_agent_approval import approval_flow, suspended
from tests.api.test_run import script
from tests.api.test_usage import two_models
from tests.conftest import copy_of_example, new_api_key

TRACES = "/api/v1/monitor/traces"
USAGE_RULE = 'rules:\n  - reply: "Sunny"\n    usage: {input_tokens: 12, output_tokens: 3}\n'
TOKENS = {"promptTokens": 12, "completionTokens": 3, "totalTokens": 15}
NONE_REPORTED = {"promptTokens": 0, "completionTokens": 0, "totalTokens": 0}
TOOL_RULE = ('rules:\n  - reply: "Sunny"\n    usage: {input_tokens: 12, output_tokens: 3}\n'
             '    tool_calls: [{name: get_current_date, input: {timezone: UTC}, output: "2026-01-02 UTC"}]\n')
MODEL_SPAN = "ChatOpenAI gpt-4o-mini"  # Simple Agent's and Basic Prompting's model: OpenAI's gpt-4o-mini


def traced(make_client: Callable[..., TestClient], tmp_path: Path, version: str, rules: str, example: str
           ) -> tuple[TestClient, dict[str, str], dict[str, Any], dict[str, Any]]:
    """A run of a copy of an example flow with the script's rules: (client, headers, its listed trace, the trace)."""
    client = make_client(langflow_version=version, scripts=[script(tmp_path, rules)], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = copy_of_example(client, headers, example)["id"]
    client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    return (client, headers, *trace_of(client, headers))


def trace_of(client: TestClient, headers: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    listed = client.get(TRACES, headers=headers).json()["traces"][0]
    response = client.get(f"{TRACES}/{listed['id']}", headers=headers)
    assert response.status_code == 200
    return listed, response.json()


def span(trace: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in trace["spans"] if s["name"] == name)


def tree(spans: list[dict[str, Any]], depth: int = 0) -> list[tuple[int, str, str, str]]:
    """Each span under these, depth first: (depth, name, type, status)."""
    found = []
    for one in spans:
        found.append((depth, one["name"], one["type"], one["status"]))
        found += tree(one["children"], depth + 1)
    return found


def llm_spans(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The model calls among these spans and their children (a model component's own span is an llm span too,
    without a model name)."""
    found = []
    for one in spans:
        found += [one] if one["modelName"] else llm_spans(one["children"])
    return found


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_models_call_is_an_llm_span_under_its_component_with_its_tokens(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str) -> None:
    _, _, listed, trace = traced(make_client, tmp_path, version, USAGE_RULE, "Basic Prompting")
    model = span(trace, "Language Model")
    # the component's span sums its calls' tokens, with no model name of its own
    assert (model["type"], model["modelName"], model["tokenUsage"]) == ("llm", None, TOKENS)
    [call] = model["children"]
    assert (call["name"], call["type"], call["status"], call["modelName"], call["tokenUsage"], call["error"]) == (
        MODEL_SPAN, "llm", "ok", "gpt-4o-mini", TOKENS, None)
    assert call["inputs"] == {"messages": [[{"type": "system", "content": "You are a concise assistant."},
                                            {"type": "human", "content": "weather?"}]]}
    assert call["outputs"] == {"generations": [[{"text": "Sunny", "generation_info": None}]]}
    assert call["children"] == []
    # the trace totals its LangChain spans' tokens, listed and read alike; the other components' spans have none
    assert (listed["totalTokens"], trace["totalTokens"]) == (15, 15)
    assert [s["tokenUsage"] for s in trace["spans"] if s["name"] != "Language Model"] == [None, None, None]
    # the model's span is no root: the trace's output is still the Chat Output's
    assert listed["output"] == span(trace, "Chat Output")["outputs"]


def test_a_model_that_reports_no_usage_leaves_zero_tokens(make_client: Callable[..., TestClient],
                                                          tmp_path: Path) -> None:
    _, _, listed, trace = traced(make_client, tmp_path, "1.13.0", 'rules:\n  - reply: "Sunny"\n', "Basic Prompting")
    model = span(trace, "Language Model")
    assert model["tokenUsage"] is None  # no token attribute set on the component's span
    assert [(c["name"], c["tokenUsage"]) for c in model["children"]] == [(MODEL_SPAN, NONE_REPORTED)]
    assert (listed["totalTokens"], trace["totalTokens"]) == (0, 0)


def test_the_trace_adds_up_the_tokens_of_every_model_call(make_client: Callable[..., TestClient],
                                                          tmp_path: Path) -> None:
    rules = ('rules:\n  - match: {component: LanguageModelComponent-k80Em}\n    reply: "first"\n'
             '    usage: {input_tokens: 10, output_tokens: 2}\n'
             '  - match: {component: LanguageModelComponent-zZ9yY}\n    reply: "second"\n'
             '    usage: {input_tokens: 5, output_tokens: 1}\n')
    client = make_client(langflow_version="1.13.0", scripts=[script(tmp_path, rules)], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = two_models(client, headers)
    client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?"}, headers=headers)
    listed, trace = trace_of(client, headers)
    assert [(s["name"], s["tokenUsage"]["totalTokens"]) for s in llm_spans(trace["spans"])] == [
        (MODEL_SPAN, 12), (MODEL_SPAN, 6)]
    assert (listed["totalTokens"], trace["totalTokens"]) == (18, 18)


def test_a_failing_model_call_is_an_error_span(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    _, _, listed, trace = traced(make_client, tmp_path, "1.13.0", 'rules:\n  - error: "Rate limit reached"\n',
                                 "Basic Prompting")
    [call] = span(trace, "Language Model")["children"]
    assert (call["status"], call["error"], call["outputs"], call["tokenUsage"]) == (
        "error", "Rate limit reached", None, NONE_REPORTED)
    assert (listed["status"], listed["totalTokens"]) == ("error", 0)


def test_1_13_an_agent_calling_a_tool_traces_its_langgraph_run(make_client: Callable[..., TestClient],
                                                               tmp_path: Path) -> None:
    """create_agent's graph: a chain per node it runs (the call limit's before and after the model, the model,
    the tools), all named "Chain"; the model's call under the model's, the tool's under the tools'."""
    _, _, listed, trace = traced(make_client, tmp_path, "1.13.0", TOOL_RULE, "Simple Agent")
    agent = span(trace, "Agent")
    assert (agent["type"], agent["tokenUsage"]) == ("agent", TOKENS)
    assert tree(agent["children"]) == [
        (0, "Chain", "chain", "ok"),
        (1, "Chain", "chain", "ok"), (1, "Chain", "chain", "ok"), (2, MODEL_SPAN, "llm", "ok"),
        (1, "Chain", "chain", "ok"),
        (1, "Chain", "chain", "ok"), (2, "get_current_date", "tool", "ok"),
        (1, "Chain", "chain", "ok"), (1, "Chain", "chain", "ok"), (2, MODEL_SPAN, "llm", "ok"),
        (1, "Chain", "chain", "ok")]
    graph = agent["children"][0]
    tool = graph["children"][3]["children"][0]
    assert tool["inputs"] == {"timezone": "UTC"}
    assert tool["outputs"]["output"].startswith("content='2026-01-02 UTC' name='get_current_date' tool_call_id='")
    # the turn that calls the tool reports no usage; the answering one the script's
    first, second = llm_spans(agent["children"])
    assert (first["tokenUsage"], first["outputs"]) == (
        NONE_REPORTED, {"generations": [[{"text": "", "generation_info": None}]]})
    assert second["tokenUsage"] == TOKENS
    assert [m["type"] for m in second["inputs"]["messages"][0]] == ["system", "human", "ai", "tool"]
    assert graph["outputs"]["run_model_call_count"] == 2
    assert (listed["totalTokens"], trace["totalTokens"]) == (15, 15)


def test_1_8_an_agent_calling_a_tool_traces_its_agent_executor_run(make_client: Callable[..., TestClient],
                                                                   tmp_path: Path) -> None:
    """AgentExecutor: each model turn a RunnableSequence (the scratchpad's chains, the prompt, the model, the
    output parser); the tool's span right under the executor's."""
    _, _, listed, trace = traced(make_client, tmp_path, "1.8.4", TOOL_RULE, "Simple Agent")
    agent = span(trace, "Agent")
    turn = [(1, "Chain", "chain", "ok"), (2, "Chain", "chain", "ok"), (3, "Chain", "chain", "ok"),
            (4, "Chain", "chain", "ok"), (2, "ChatPromptTemplate", "chain", "ok"), (2, MODEL_SPAN, "llm", "ok"),
            (2, "Chain", "chain", "ok")]
    assert tree(agent["children"]) == [(0, "AgentExecutor", "chain", "ok"), *turn,
                                       (1, "get_current_date", "tool", "ok"), *turn]
    executor = agent["children"][0]
    assert executor["inputs"] == {"input": "weather?", "system_prompt": "You are a helpful assistant."}
    assert executor["outputs"]["output"] == "Sunny"
    assert [(m["type"], m["content"]) for m in executor["outputs"]["messages"]] == [("ai", "Sunny")]
    assert executor["children"][1]["outputs"] == {"output": "2026-01-02 UTC"}
    assert executor["children"][2]["outputs"] == {"return_values": {"output": "Sunny"}, "log": "Sunny",
                                                  "type": "AgentFinish"}
    assert (agent["tokenUsage"], listed["totalTokens"], trace["totalTokens"]) == (TOKENS, 15, 15)


@pytest.mark.parametrize(("version", "chains"), [("1.13.0", [(0, "Chain"), (1, "Chain")]),
                                                 ("1.8.4", [(0, "AgentExecutor"), (1, "Chain")])])
def test_an_agents_failing_model_call_fails_the_chains_around_it(make_client: Callable[..., TestClient],
                                                                 tmp_path: Path, version: str,
                                                                 chains: list[tuple[int, str]]) -> None:
    _, _, listed, trace = traced(make_client, tmp_path, version, 'rules:\n  - error: "Rate limit reached"\n',
                                 "Simple Agent")
    agent = span(trace, "Agent")
    failed = [(depth, name) for depth, name, _, status in tree(agent["children"]) if status == "error"]
    assert failed == [*chains, (2, MODEL_SPAN)]
    assert [s["error"] for s in llm_spans(agent["children"])] == ["Rate limit reached"]
    assert listed["status"] == "error"


def test_1_13_an_agent_paused_for_approval_traces_its_run_up_to_the_interrupt(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """A tool needing approval adds the human-in-the-loop middleware's chain after each model turn; its interrupt
    is a suspension, no failure: the graph ends there, ok, and the tool never starts."""
    client, headers, flow_id = approval_flow(make_client, tmp_path, ["approve", "reject"])
    suspended(client, headers, flow_id)
    listed, trace = trace_of(client, headers)
    agent = span(trace, "Agent")
    assert tree(agent["children"]) == [(0, "Chain", "chain", "ok"), (1, "Chain", "chain", "ok"),
                                       (1, "Chain", "chain", "ok"), (2, MODEL_SPAN, "llm", "ok"),
                                       (1, "Chain", "chain", "ok")]
    graph = agent["children"][0]
    interrupted = graph["children"][-1]
    assert (interrupted["error"], interrupted["outputs"]) == (None, None)
    said = graph["outputs"]["messages"][-1]
    assert (said["type"], [c["name"] for c in said["tool_calls"]]) == ("ai", ["evaluate_expression"])
    assert listed["status"] == "ok"


@pytest.mark.parametrize(("version", "path", "output"), [
    ("1.8.4", [0, 1], {"output": {"date": "2026-01-02"}}),
    ("1.13.0", [0, 3, 0], None)])
def test_a_tools_data_output_is_kept_as_the_tool_ended_with_it(make_client: Callable[..., TestClient],
                                                               tmp_path: Path, version: str, path: list[int],
                                                               output: Any) -> None:
    """1.8's tool hands the handler its own output, a dict kept as it is; 1.13's a ToolMessage, printed, its
    content the output as JSON text."""
    rules = ('rules:\n  - reply: "Sunny"\n    tool_calls: [{name: get_current_date, input: {timezone: UTC}, '
             'output: {date: "2026-01-02"}}]\n')
    _, _, _, trace = traced(make_client, tmp_path, version, rules, "Simple Agent")
    tool = span(trace, "Agent")
    for index in path:
        tool = tool["children"][index]
    assert tool["name"] == "get_current_date"
    if output is not None:
        assert tool["outputs"] == output
    else:
        assert tool["outputs"]["output"].startswith("content='{\"date\": \"2026-01-02\"}' name='get_current_date'")
        assert "artifact={'date': '2026-01-02'}" in tool["outputs"]["output"]


TURN_RULE = ('rules:\n  - reply: "Sunny"\n    tool_calls:\n      - say: "Let me check."\n        calls:\n'
             '          - {name: get_current_date, input: {timezone: UTC}, output: "2026-01-02 UTC"}\n'
             '          - {name: get_current_date, input: {timezone: CET}, output: "2026-01-02 CET"}\n')


def test_1_13_a_model_turn_calling_two_tools_is_one_model_call_and_a_tools_chain_per_call(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """LangGraph sends each of a turn's calls to the tools node as a task of its own: one model chain for the turn
    (its text the generation, both calls on its AI message), then a tools chain per call."""
    _, _, _, trace = traced(make_client, tmp_path, "1.13.0", TURN_RULE, "Simple Agent")
    agent = span(trace, "Agent")
    assert tree(agent["children"]) == [
        (0, "Chain", "chain", "ok"),
        (1, "Chain", "chain", "ok"), (1, "Chain", "chain", "ok"), (2, MODEL_SPAN, "llm", "ok"),
        (1, "Chain", "chain", "ok"),
        (1, "Chain", "chain", "ok"), (2, "get_current_date", "tool", "ok"),
        (1, "Chain", "chain", "ok"), (2, "get_current_date", "tool", "ok"),
        (1, "Chain", "chain", "ok"), (1, "Chain", "chain", "ok"), (2, MODEL_SPAN, "llm", "ok"),
        (1, "Chain", "chain", "ok")]
    graph = agent["children"][0]
    first, second = llm_spans(agent["children"])
    assert first["outputs"] == {"generations": [[{"text": "Let me check.", "generation_info": None}]]}
    assert [(m["type"], m["content"]) for m in second["inputs"]["messages"][0]][2:] == [
        ("ai", "Let me check."), ("tool", "2026-01-02 UTC"), ("tool", "2026-01-02 CET")]
    assert [graph["children"][i]["children"][0]["inputs"] for i in (3, 4)] == [{"timezone": "UTC"},
                                                                             {"timezone": "CET"}]
    assert [len(graph["children"][i]["inputs"]["input"]) for i in (3, 4)] == [1, 1]


def test_1_8_a_model_turn_calling_two_tools_is_one_sequence_with_an_action_per_call(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """AgentExecutor: the turn's output parser gives an action per call, each logging what the turn said; both
    tools' spans follow under the executor's, and the next turn's scratchpad holds the AI message once, then
    each tool's answer."""
    _, _, _, trace = traced(make_client, tmp_path, "1.8.4", TURN_RULE, "Simple Agent")
    executor = span(trace, "Agent")["children"][0]
    assert [c["name"] for c in executor["children"]] == ["Chain", "get_current_date", "get_current_date", "Chain"]
    actions = executor["children"][0]["outputs"]["output"]
    assert [a["log"] for a in actions] == [
        "\nInvoking: `get_current_date` with `{'timezone': 'UTC'}`\nresponded: Let me check.\n\n",
        "\nInvoking: `get_current_date` with `{'timezone': 'CET'}`\nresponded: Let me check.\n\n"]
    second = llm_spans(executor["children"][3]["children"])[0]
    assert [(m["type"], m["content"]) for m in second["inputs"]["messages"][0]][2:] == [
        ("ai", "Let me check."), ("tool", "2026-01-02 UTC"), ("tool", "2026-01-02 CET")]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_an_agents_conversation_holds_the_sessions_earlier_messages(make_client: Callable[..., TestClient],
                                                                    tmp_path: Path, version: str) -> None:
    """The Agent reads the session's chat history before it asks its model (lfx's get_memory_data): the second
    run's model call gets the first run's question and answer between the system prompt and the input, and 1.8's
    AgentExecutor takes them as its `chat_history` input; a new session starts with none."""
    client, headers, _, _ = traced(make_client, tmp_path, version, USAGE_RULE, "Simple Agent")
    flow_id = client.get("/api/v1/flows/", headers=headers, params={"remove_example_flows": True}).json()[0]["id"]
    for session in ("s1", "s1", "s2"):
        client.post(f"/api/v1/run/{flow_id}", json={"input_value": f"again in {session}?", "session_id": session},
                    headers=headers)
    traces = client.get(TRACES, headers=headers).json()["traces"]
    conversations = []
    for listed in traces[:3]:  # newest first: s2, then s1's second run, then s1's first
        trace = client.get(f"{TRACES}/{listed['id']}", headers=headers).json()
        (model,) = llm_spans(span(trace, "Agent")["children"])
        conversations.append([(m["type"], m["content"]) for m in model["inputs"]["messages"][0]])
    system = ("system", "You are a helpful assistant.")
    assert conversations == [
        [system, ("human", "again in s2?")],
        [system, ("human", "again in s1?"), ("ai", "Sunny"), ("human", "again in s1?")],
        [system, ("human", "again in s1?")]]
    if version == "1.8.4":
        trace = client.get(f"{TRACES}/{traces[1]['id']}", headers=headers).json()
        executor = span(trace, "Agent")["children"][0]
        assert [(m["type"], m["content"], m["example"]) for m in executor["inputs"]["chat_history"]] == [
            ("human", "again in s1?", False), ("ai", "Sunny", False)]
