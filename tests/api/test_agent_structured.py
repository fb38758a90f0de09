"""1.13's Agent as /api/v1/all lists it (a `model` selector, its tool switches, an output schema) and its Structured
Response output, as a live 1.13.0 answered with an OpenAI-compatible model on loopback: the objects the model's
answer holds, checked against the schema, the way Langflow takes them (with tools: from the Agent's answer text, each
object alone; without: the model's JSON as a whole)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_model_results import built_vertices
from tests.api.test_model_selection import GPT_MINI
from tests.conftest import create_flow, new_api_key

SCHEMA = [{"name": "name", "description": "who", "type": "str", "multiple": "False"},
          {"name": "age", "description": "years", "type": "int", "multiple": "False"}]
NO_TOOLS = {"add_current_date_tool": False, "add_calculator_tool": False}
AGENT = "Agent-s2"


def scripted(client: TestClient, headers: dict[str, str], reply: str) -> None:
    rule = {"reply": reply, "usage": {"input_tokens": 5, "output_tokens": 4}}
    assert client.post("/_mock/scripts", json={"rules": [rule]}, headers=headers).status_code == 201


def agent_flow(client: TestClient, headers: dict[str, str], outputs: tuple[str, ...] = ("structured_response",),
               **values: Any) -> str:
    """Chat Input -> Agent (from the catalog, gpt-4o-mini unless `model` says otherwise) -> a Chat Output per
    output named (ChatOutput-s3, -s4, ...); its id."""
    components = catalog(client, headers)
    chat_in = node(components, "ChatInput", "ChatInput-s1")
    agent = node(components, "Agent", AGENT, **{"model": GPT_MINI, **values})
    outs = [node(components, "ChatOutput", f"ChatOutput-s{3 + i}") for i in range(len(outputs))]
    edges = [edge(chat_in, "message", agent, "input_value"),
             *(edge(agent, output, out, "input_value") for output, out in zip(outputs, outs, strict=True))]
    body = {"name": f"structured {outputs} {values}", "data": {"nodes": [chat_in, agent, *outs], "edges": edges}}
    flow_id: str = create_flow(client, headers, body)["id"]
    return flow_id


def structured(client: TestClient, headers: dict[str, str], flow_id: str) -> tuple[dict[str, Any], Any]:
    """The Agent's build data (a direct build asking "hello") and the text its Structured Response's Chat Output
    shows."""
    vertices = built_vertices(client, headers, flow_id)
    return vertices[AGENT], vertices["ChatOutput-s3"]["outputs"]["message"]["message"]


def json_block(data: dict[str, Any]) -> str:
    """How a Chat Output shows a Data: its JSON, indented, in a code block."""
    return "```json\n" + json.dumps(data, indent=2) + "\n```"


def model_calls(client: TestClient, headers: dict[str, str], flow_id: str) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = client.get("/_mock/llm-calls", params={"session": flow_id},
                                             headers=headers).json()["calls"]
    return calls


def test_the_catalog_agent_is_1_13s(client: TestClient, key_headers: dict[str, str]) -> None:
    agent = catalog(client, key_headers)["Agent"]
    assert agent["field_order"] == [
        "model", "api_key", "base_url_ibm_watsonx", "project_id", "system_prompt", "context_id", "n_messages",
        "max_tokens", "format_instructions", "output_schema", "tools", "input_value", "handle_parsing_errors",
        "max_iterations", "stream", "add_current_date_tool", "add_calculator_tool"]
    template = agent["template"]
    assert template["model"]["filters"] == {"tool_calling": True} and template["model"]["required"] is True
    assert (template["input_value"]["_input_type"], template["input_value"]["tool_mode"]) == ("MessageInput", True)
    assert [column["name"] for column in template["output_schema"]["table_schema"]] == [
        "name", "description", "type", "multiple"]
    assert [(o["name"], o["method"], o["types"], o["selected"]) for o in agent["outputs"]] == [
        ("response", "message_response", ["Message"], "Message"),
        ("structured_response", "json_response", ["Data", "JSON"], "Data")]
    assert agent["base_classes"] == ["Data", "JSON", "Message"]
    assert (template["add_current_date_tool"]["value"], template["add_calculator_tool"]["value"]) == (True, True)


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_earlier_releases_list_their_agent_with_a_provider_and_no_structured_output(
        make_client: Callable[..., TestClient], version: str) -> None:
    older = make_client(langflow_version=version)
    agent = catalog(older, {"x-api-key": new_api_key(older)})["Agent"]
    assert "model" not in agent["template"] and agent["template"]["agent_llm"]["value"] == "OpenAI"
    assert [o["name"] for o in agent["outputs"]] == ["response"] and agent["base_classes"] == ["Message"]


def test_without_a_schema_the_structured_response_is_the_input_and_asks_no_model(
        client: TestClient, key_headers: dict[str, str]) -> None:
    flow_id = agent_flow(client, key_headers)
    agent, shown = structured(client, key_headers, flow_id)
    assert agent["outputs"] == {"response": {"message": "", "type": "unknown"},
                                "structured_response": {"message": {"content": "hello"}, "type": "data"}}
    assert agent["artifacts"] == {"structured_response": {
        "repr": json.dumps({"content": "hello"}, indent=4), "raw": {"content": "hello"}, "type": "object"}}
    assert shown == json_block({"content": "hello"})
    assert model_calls(client, key_headers, flow_id) == []
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=key_headers).json()
    assert next(t for t in logged["items"] if t["vertex_id"] == AGENT)["outputs"] == agent["outputs"]


def test_an_agent_with_tools_finds_the_objects_in_its_answer(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    """Its own Current Date and Calculator tools are on: the Agent runs, sending no message of its own, and the
    first JSON in its answer is checked object by object."""
    scripted(client, key_headers, 'Here: {"name": "Ann", "age": 3} done')
    flow_id = agent_flow(client, key_headers, output_schema=SCHEMA)
    agent, shown = structured(client, key_headers, flow_id)
    assert agent["outputs"]["structured_response"] == {"message": {"name": "Ann", "age": 3}, "type": "object"}
    artifact = agent["artifacts"]["structured_response"]
    assert (artifact["raw"], artifact["type"]) == ({"name": "Ann", "age": 3}, "message")
    status = json.loads(artifact["repr"])  # the unsent message the Agent answered with
    assert (status["text"], status["properties"], status["flow_id"]) == (
        'Here: {"name": "Ann", "age": 3} done', {"icon": "Bot", "state": "partial"}, None)
    assert shown == json_block({"name": "Ann", "age": 3})
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=key_headers).json()
    assert [m["text"] for m in stored] == ["hello", shown]
    assert stored[-1]["properties"]["usage"] == {"input_tokens": 5, "output_tokens": 4, "total_tokens": 9}


@pytest.mark.parametrize(("reply", "data"), [
    ('{"objects": [{"name": "Ann", "age": 3}, {"name": "Bo", "age": "x"}]}', {"results": [
        {"name": "Ann", "age": 3},
        {"data": {"name": "Bo", "age": "x"}, "validation_error": (
            "1 validation error for OutputModel\nage\n  Input should be a valid integer, unable to parse string as an "
            "integer [type=int_parsing, input_value='x', input_type=str]\n    For further information visit "
            "https://errors.pydantic.dev/2.13/v/int_parsing")}]}),
    ("no json here", {"content": "no json here", "error": errors.STRUCTURED_NO_JSON}),
    ('[{"name": "Ann", "age": "4"}]', {"name": "Ann", "age": 4}),
])
def test_an_agent_with_tools_checks_each_object_alone(client: TestClient, key_headers: dict[str, str], reply: str,
                                                       data: dict[str, Any]) -> None:
    scripted(client, key_headers, reply)
    agent, _ = structured(client, key_headers, agent_flow(client, key_headers, output_schema=SCHEMA))
    assert agent["outputs"]["structured_response"]["message"] == data


def test_an_answer_nested_past_pythons_limit_fails_the_agent(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    scripted(client, key_headers, "[" * 50_000)  # past the limit of every Python the mock runs on (3.13's is deeper)
    flow_id = agent_flow(client, key_headers, output_schema=SCHEMA)
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi"}, headers=key_headers)
    assert answer.status_code == 500
    assert json.loads(answer.json()["detail"])["message"] == (
        "Error running graph: Error building Component Agent: \n\n"
        "maximum recursion depth exceeded while decoding a JSON array from a unicode string")


@pytest.mark.parametrize(("reply", "data"), [
    ('{"objects": [{"name": "Ann", "age": 3}]}', {"name": "Ann", "age": 3}),
    ('{"objects": [{"name": "Ann", "age": 3}, {"name": "Bo", "age": 4}]}',
     {"results": [{"name": "Ann", "age": 3}, {"name": "Bo", "age": 4}]}),
    ('{"name": "Ann", "age": 3}', {"content": "", "error": (
        "1 validation error for OutputModel\nobjects\n  Field required [type=missing, input_value={'name': 'Ann', "
        "'age': 3}, input_type=dict]\n    For further information visit https://errors.pydantic.dev/2.13/v/missing")}),
    ('{"objects": []}', {"content": "", "error": (
        "1 validation error for OutputModel\nobjects\n  List should have at least 1 item after validation, not 0 "
        "[type=too_short, input_value=[], input_type=list]\n    For further information visit "
        "https://errors.pydantic.dev/2.13/v/too_short")}),
    ('Here: {"name": "Ann"} done', {"content": "", "error": "expected value at line 1 column 1"}),
])
def test_an_agent_without_tools_asks_its_model_for_the_objects(client: TestClient, key_headers: dict[str, str],
                                                               reply: str, data: dict[str, Any]) -> None:
    scripted(client, key_headers, reply)
    flow_id = agent_flow(client, key_headers, output_schema=SCHEMA, **NO_TOOLS)
    agent, shown = structured(client, key_headers, flow_id)
    assert agent["outputs"]["structured_response"] == {"message": data, "type": "data"}
    assert shown == json_block(data)
    assert len(model_calls(client, key_headers, flow_id)) == 1
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=key_headers).json()
    assert stored[-1]["properties"]["usage"] is None  # a model asked for objects reports no usage


@pytest.mark.parametrize(("values", "error"), [
    ({"model": ""}, errors.AGENT_NO_MODEL),
    ({"output_schema": [{"name": "a", "type": "weird"}]}, "Invalid type: weird"),
])
def test_a_structured_response_that_cannot_be_made_says_why_and_the_run_goes_on(
        client: TestClient, key_headers: dict[str, str], values: dict[str, Any], error: str) -> None:
    flow_id = agent_flow(client, key_headers, **values)
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi"}, headers=key_headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"] == json_block(
        {"content": "", "error": error})
    assert model_calls(client, key_headers, flow_id) == []


def test_an_agent_asked_for_both_answers_then_makes_its_objects(client: TestClient,
                                                                key_headers: dict[str, str]) -> None:
    """Its answer's Chat Output takes the Agent's message over; the Structured Response's artifact shows the
    answer as the component's status."""
    scripted(client, key_headers, '{"objects": [{"name": "Ann", "age": 3}]}')
    flow_id = agent_flow(client, key_headers, ("structured_response", "response"), output_schema=SCHEMA, **NO_TOOLS)
    vertices = built_vertices(client, key_headers, flow_id)
    agent = vertices[AGENT]
    answer = '{"objects": [{"name": "Ann", "age": 3}]}'
    assert agent["outputs"] == {"response": {"message": answer, "type": "text"},
                                "structured_response": {"message": {"name": "Ann", "age": 3}, "type": "object"}}
    assert agent["artifacts"]["structured_response"] == {"repr": answer, "raw": {"name": "Ann", "age": 3},
                                                         "type": "text"}
    sent = json.loads(agent["artifacts"]["response"]["repr"])  # the message the Agent sent
    assert (sent["text"], sent["properties"]["state"], sent["content_blocks"]) == (answer, "complete", [])
    assert (vertices["ChatOutput-s3"]["outputs"]["message"]["message"],
            vertices["ChatOutput-s4"]["outputs"]["message"]["message"]) == (json_block({"name": "Ann", "age": 3}),
                                                                            answer)
    assert len(model_calls(client, key_headers, flow_id)) == 2


def test_an_agent_that_feeds_nothing_builds_both_outputs(client: TestClient, key_headers: dict[str, str]) -> None:
    scripted(client, key_headers, "Plain answer.")
    components = catalog(client, key_headers)
    chat_in = node(components, "ChatInput", "ChatInput-s1")
    agent = node(components, "Agent", AGENT, model=GPT_MINI)
    data = {"nodes": [chat_in, agent], "edges": [edge(chat_in, "message", agent, "input_value")]}
    flow_id = create_flow(client, key_headers, {"name": "agent alone", "data": data})["id"]
    built = built_vertices(client, key_headers, flow_id)[AGENT]
    assert built["outputs"] == {"response": {"message": "Plain answer.", "type": "text"},
                                "structured_response": {"message": {"content": "hello"}, "type": "object"}}
    unsent = json.loads(built["artifacts"]["response"]["repr"])
    assert (unsent["sender_name"], unsent["flow_id"], unsent["properties"]) == (
        "Agent", flow_id, {"icon": "Bot", "state": "partial"})
    assert built["artifacts"]["structured_response"]["repr"] == "Plain answer."


@pytest.mark.parametrize("value", [["x"], "abc", {"a": 1}])
def test_a_table_field_that_holds_no_rows_fails_the_run_before_any_vertex(client: TestClient,
                                                                          key_headers: dict[str, str],
                                                                          value: Any) -> None:
    flow_id = agent_flow(client, key_headers, output_schema=value)
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi"}, headers=key_headers)
    assert answer.status_code == 500
    assert json.loads(answer.json()["detail"])["message"] == errors.TABLE_VALUE_REFUSED.format(
        kind=type(value), name="output_schema")
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=key_headers).json() == []


@pytest.mark.parametrize("calculator", [True, False])
def test_the_calculator_switch_gives_the_agent_its_evaluate_expression_tool(
        client: TestClient, key_headers: dict[str, str], calculator: bool) -> None:
    rule = {"reply": "Four.", "tool_calls": [{"name": "evaluate_expression", "input": {"expression": "2+2"},
                                              "output": "4"}]}
    assert client.post("/_mock/scripts", json={"rules": [rule]}, headers=key_headers).status_code == 201
    flow_id = agent_flow(client, key_headers, ("response",), add_calculator_tool=calculator)
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "2+2?"}, headers=key_headers)
    if calculator:
        assert answer.status_code == 200, answer.text
        assert answer.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"] == "Four."
    else:
        assert answer.status_code == 500
        assert "'evaluate_expression': Agent-s2 has no such tool (its tools: get_current_date)" in answer.text
