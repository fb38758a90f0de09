"""1.13's Agent logs its LangChain callbacks (lfx's AgentAsyncHandler through Component.log): a `log` event per
graph node's start and per tool's start and end, in its build data's logs too, as a live Langflow 1.13.0 with an
OpenAI-compatible model on loopback showed them (tests/data/agent_log/live_1_13_builds.json)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_model_selection import GPT_MINI
from tests.conftest import copy_of_example, create_flow, new_api_key

LIVE = json.loads((Path(__file__).parents[1] / "data" / "agent_log" / "live_1_13_builds.json").read_text("utf-8"))
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
REPLIES = {"no_tool": "Hello from the stub.", "one_tool": "It is today.", "two_tools": "Both done.",
           "no_chat_output": "Hello from the stub.", "no_chat_output_tool": "It is today."}
USAGE = {"input_tokens": 10, "output_tokens": 5}


def agent_flow(client: TestClient, headers: dict[str, str], output: str = "ChatOutput", **values: Any) -> str:
    """Chat Input -> Agent (gpt-4o-mini, its Calculator off) -> Chat Output (or `output`), as the live recording
    built it."""
    components = catalog(client, headers)
    chat_in = node(components, "ChatInput", "ChatInput-a1")
    agent = node(components, "Agent", "Agent-b2", **{"model": GPT_MINI, "add_calculator_tool": False, **values})
    chat_out = node(components, output, f"{output}-c3")
    body = {"name": "agent log", "data": {"nodes": [chat_in, agent, chat_out], "edges": [
        edge(chat_in, "message", agent, "input_value"), edge(agent, "response", chat_out, "input_value")]}}
    flow_id: str = create_flow(client, headers, body)["id"]
    return flow_id


def scripted(client: TestClient, headers: dict[str, str], case: str) -> None:
    """The scripted model answering as the live one did: the recorded tools' calls and outputs, then the reply."""
    ends = [entry["message"] for entry in LIVE[case]["logs"] if entry["name"] == "Tool End"]
    calls = [{"name": end["name"], "input": start["message"]["inputs"], "output": end["output"]["content"]}
             for start, end in zip([e for e in LIVE[case]["logs"] if e["name"] == "Tool Start"], ends, strict=True)]
    rule: dict[str, Any] = {"reply": REPLIES[case], "usage": USAGE}
    if calls:
        rule["tool_calls"] = [{"calls": calls}]
    assert client.post("/_mock/scripts", json={"rules": [rule]}, headers=headers).status_code == 201


def built(client: TestClient, headers: dict[str, str], flow_id: str) -> list[dict[str, Any]]:
    started = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "hello"}},
                          headers=headers)
    text = client.get(f"/api/v1/build/{started.json()['job_id']}/events", headers=headers).text
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def normalised(value: Any) -> Any:
    """Values that differ run by run made alike (ids, times, the nanoid of the Agent's own tool component), and
    the usage of a model turn that calls tools left out: the mock's script reports usage for the answer only."""
    text = json.dumps(value)
    text = re.sub(r'"(\w+)-[\w-]{5}"', lambda m: f'"{m.group(1)}-ID"' if m.group(1).endswith("Component")
                  else m.group(0), text)
    text = re.sub(UUID, "UUID", text)
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "TIME", text)
    text = re.sub(r"call_\w+", "call_ID", text)
    loaded = json.loads(text)

    def walk(item: Any) -> Any:
        if isinstance(item, dict):
            if item.get("type") == "ai" and item.get("tool_calls"):
                item = {**item, "usage_metadata": None}
            return {key: walk(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [walk(inner) for inner in item]
        return item
    return walk(loaded)


@pytest.fixture
def mock(make_client: Callable[..., TestClient]) -> tuple[TestClient, dict[str, str]]:
    client = make_client(job_latency_ms=0)
    return client, {"x-api-key": new_api_key(client)}


@pytest.mark.parametrize("case", ["no_tool", "one_tool", "two_tools", "no_chat_output", "no_chat_output_tool"])
def test_a_builds_log_events_are_langflows(mock: tuple[TestClient, dict[str, str]], case: str) -> None:
    """The graph's chain, each model turn's call-limit and model chains, the after_model chain that counts the
    call, a "tools" chain per call and each tool's start and end (the ToolMessage it gave back, its own id not
    yet set), every node given the graph's state: the same entries, in the same places among the build's
    events, as the live server's, each naming the output being built and the Agent (one feeding a Text Output
    too, which sends no message and runs its tools unseen)."""
    client, headers = mock
    scripted(client, headers, case)
    output = "TextOutput" if case.startswith("no_chat_output") else "ChatOutput"
    events = built(client, headers, agent_flow(client, headers, output))
    assert [e["event"] for e in events] == LIVE[case]["events"]
    logs = [e["data"] for e in events if e["event"] == "log"]
    assert normalised(logs) == normalised(LIVE[case]["logs"])
    agent = next(e["data"]["build_data"] for e in events
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "Agent-b2")
    assert normalised(agent["data"]["logs"]) == normalised(LIVE[case]["build_logs"])


def test_the_log_ids_are_langchains(mock: tuple[TestClient, dict[str, str]]) -> None:
    """Run ids are uuid7s (time-ordered), each node's parent the graph's run; a tool's start and end share the
    tool's run, under its "tools" chain; the state's messages carry the ids add_messages gave them (uuid4s; a
    model's answer "lc_run--" and its run's id), the graph's own input none yet."""
    client, headers = mock
    scripted(client, headers, "one_tool")
    logs = [e["data"]["message"] for e in built(client, headers, agent_flow(client, headers)) if e["event"] == "log"]
    root, *nodes = logs
    assert all(entry["run_id"][14] == "7" for entry in logs)
    assert [entry["parent_run_id"] for entry in nodes[:4]] == [root["run_id"]] * 4
    tools, start, end = nodes[3:6]
    assert (start["parent_run_id"], end["parent_run_id"], start["run_id"]) == (tools["run_id"],) * 2 + (end["run_id"],)
    assert root["inputs"]["messages"][0]["id"] is None
    human, said = nodes[2]["inputs"]["messages"]
    assert human["id"][14] == "4" and said["id"].startswith("lc_run--")
    assert start["metadata"]["source_id"].startswith("CurrentDateComponent-")


def test_a_streamed_run_sends_the_log_and_a_plain_run_keeps_it_in_the_build_data(
        mock: tuple[TestClient, dict[str, str]]) -> None:
    """`/run?stream=true` has an event manager: the entries go out as `log` events; a plain /run has none, and
    the Agent's vertex build (the monitor's builds) still holds them."""
    client, headers = mock
    scripted(client, headers, "no_tool")
    flow_id = agent_flow(client, headers)
    streamed = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "hello"}, headers=headers)
    kinds = [json.loads(part)["event"] for part in streamed.text[:-2].split("\n\n")]
    kinds = [kind for number, kind in enumerate(kinds) if kind != "token" or kinds[number - 1] != "token"]
    assert kinds == ["add_message", "add_message", "log", "log", "log", "token", "add_message", "log",
                     "add_message", "add_message", "add_message", "add_message", "end"]
    plain = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hello"}, headers=headers)
    assert plain.status_code == 200
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    agent = builds["vertex_builds"]["Agent-b2"][-1]
    assert [entry["message"]["name"] for entry in agent["data"]["logs"]["response"]] == [
        "LangGraph", "ModelCallLimitMiddleware.before_model", "model", "ModelCallLimitMiddleware.after_model"]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_earlier_agents_log_nothing(make_client: Callable[..., TestClient], version: str) -> None:
    """Not emulated before 1.13 (their AgentExecutor's callbacks differ): no `log` event, no build logs."""
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = copy_of_example(client, headers, "Simple Agent")["id"]
    streamed = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "hi"}, headers=headers)
    assert streamed.status_code == 200
    assert '"event": "log"' not in streamed.text


def test_a_second_runs_graph_is_given_the_chat_history(mock: tuple[TestClient, dict[str, str]]) -> None:
    """The graph's input holds the session's earlier messages before the input (an AI one with its empty calls
    and no usage), and the Agent's own Calculator tool is a CalculatorComponent's, as a live 1.13.0's second
    streamed run showed."""
    client, headers = mock
    rule = {"reply": "It is 42.", "usage": USAGE, "tool_calls": [{"calls": [
        {"name": "evaluate_expression", "input": {"expression": "2*21"}, "output": {"result": "42"}}]}]}
    assert client.post("/_mock/scripts", json={"rules": [rule]}, headers=headers).status_code == 201
    flow_id = agent_flow(client, headers, add_calculator_tool=True)
    assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": "first", "session_id": "hist"},
                       headers=headers).status_code == 200
    streamed = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "second", "session_id": "hist"},
                           headers=headers)
    events = [json.loads(part) for part in streamed.text[:-2].split("\n\n")]
    live = LIVE["second_run_calculator"]
    kinds = [e["event"] for e in events]
    assert [k for n, k in enumerate(kinds) if k != "token" or kinds[n - 1] != "token"] == [
        k for n, k in enumerate(live["events"]) if k != "token" or live["events"][n - 1] != "token"]
    assert normalised([e["data"] for e in events if e["event"] == "log"]) == normalised(live["logs"])


def test_an_agent_building_both_outputs_logs_each_run_under_its_output(mock: tuple[TestClient, dict[str, str]]) -> None:
    """Building its answer and its Structured Response runs the Agent's graph twice: each run's entries name the
    output being built, and the build data keeps them under each output, as a live 1.13.0 showed."""
    client, headers = mock
    reply = '{"name": "Ada", "age": 36}'
    assert client.post("/_mock/scripts", json={"rules": [{"reply": reply, "usage": USAGE}]},
                       headers=headers).status_code == 201
    schema = [{"name": "name", "description": "who", "type": "str", "multiple": "False"},
              {"name": "age", "description": "years", "type": "int", "multiple": "False"}]
    components = catalog(client, headers)
    chat_in = node(components, "ChatInput", "ChatInput-a1")
    agent = node(components, "Agent", "Agent-b2", model=GPT_MINI, add_calculator_tool=False, output_schema=schema)
    answer, data = node(components, "ChatOutput", "ChatOutput-c3"), node(components, "ChatOutput", "ChatOutput-c4")
    flow_id = create_flow(client, headers, {"name": "both", "data": {"nodes": [chat_in, agent, answer, data], "edges": [
        edge(chat_in, "message", agent, "input_value"), edge(agent, "response", answer, "input_value"),
        edge(agent, "structured_response", data, "input_value")]}})["id"]
    events = built(client, headers, flow_id)
    live = LIVE["both_outputs"]
    assert normalised([e["data"] for e in events if e["event"] == "log"]) == normalised(live["logs"])
    logs = next(e["data"]["build_data"]["data"]["logs"] for e in events
                if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "Agent-b2")
    assert normalised(logs) == normalised(live["build_logs"])
