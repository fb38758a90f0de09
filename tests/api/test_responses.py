"""POST /api/v1/responses: Langflow's OpenAI Responses-compatible run (api/v1/openai_responses.py)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_run import script, streaming_flow, with_human_input
from tests.conftest import copy_of_example, create_flow, new_api_key, other_user_key

STREAMED_REPLY = 'rules:\n  - reply: "The quick brown fox."\n    stream: {chunking: fixed, chunk_size: 5}\n'
RESPONSE_KEYS = ["id", "object", "created_at", "status", "error", "incomplete_details", "instructions",
                 "max_output_tokens", "model", "output", "parallel_tool_calls", "previous_response_id", "reasoning",
                 "store", "temperature", "text", "tool_choice", "tools", "top_p", "truncation", "usage", "user",
                 "metadata"]


def respond(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post("/api/v1/responses", json=body, headers=headers)


def output_text(body: dict[str, Any]) -> str:
    text: str = body["output"][-1]["content"][0]["text"]
    return text


def frames(text: str) -> list[tuple[str | None, Any]]:
    """An SSE body: (event name or None, data) per frame; `[DONE]` stays text, other data is JSON."""
    assert text.endswith("\n\n")
    parsed = []
    for frame in text[:-2].split("\n\n"):
        lines = frame.split("\n")
        event = lines[0].removeprefix("event: ") if lines[0].startswith("event: ") else None
        data = lines[-1].removeprefix("data: ")
        parsed.append((event, data if data == "[DONE]" else json.loads(data)))
    return parsed


def deltas(parsed: list[tuple[str | None, Any]]) -> list[str]:
    return [d["delta"]["content"] for e, d in parsed
            if e is None and isinstance(d, dict) and d.get("delta", {}).get("content")]


def streaming_client(make_client: Callable[..., TestClient], tmp_path: Path,
                     version: str = "1.13") -> tuple[TestClient, dict[str, str], dict[str, Any]]:
    client = make_client(langflow_version=version, scripts=[script(tmp_path, STREAMED_REPLY)])
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, streaming_flow(client, headers)


# --- non-streamed -----------------------------------------------------------------------------------------


def test_a_flow_answers_as_an_openai_response_object(make_client: Callable[..., TestClient],
                                                     tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - reply: "Paris."\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = copy_of_example(client, headers, "Basic Prompting")
    response = respond(client, headers, {"model": flow["id"], "input": "Capital of France?"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == RESPONSE_KEYS
    assert (body["object"], body["status"], body["model"], body["previous_response_id"]) == (
        "response", "completed", flow["id"], None)
    assert isinstance(body["created_at"], int)
    assert body["output"] == [{"type": "message", "id": f"msg_{body['id']}", "status": "completed",
                               "role": "assistant",
                               "content": [{"type": "output_text", "text": "Paris.", "annotations": []}]}]
    assert (body["usage"], body["tools"], body["text"], body["reasoning"]) == (
        None, [], {"format": {"type": "text"}}, {"effort": None, "summary": None})


def test_the_response_id_is_the_runs_session_and_previous_response_id_continues_it(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    first = respond(client, key_headers, {"model": flow["id"], "input": "one"}).json()
    second = respond(client, key_headers, {"model": flow["id"], "input": "two",
                                           "previous_response_id": first["id"]}).json()
    assert second["id"] == first["id"] and second["previous_response_id"] == first["id"]
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=key_headers).json()
    assert [(m["session_id"], m["sender"], m["text"]) for m in stored] == [
        (first["id"], "User", "one"), (first["id"], "Machine", "one"),
        (first["id"], "User", "two"), (first["id"], "Machine", "two")]


def test_model_may_be_the_endpoint_name(client: TestClient, key_headers: dict[str, str],
                                        chat_flow: dict[str, Any]) -> None:
    create_flow(client, key_headers, chat_flow)
    body = respond(client, key_headers, {"model": "contract-chat-io", "input": "by name"}).json()
    assert output_text(body) == "by name" and body["model"] == "contract-chat-io"


def test_the_route_takes_an_api_key_only(client: TestClient, chat_flow: dict[str, Any], key_headers: dict[str, str],
                                         jwt_headers: dict[str, str]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    assert respond(client, jwt_headers, {"model": flow["id"], "input": "x"}).status_code == 403
    assert respond(client, {}, {"model": flow["id"], "input": "x"}).status_code == 403


def test_model_and_input_are_required(client: TestClient, key_headers: dict[str, str]) -> None:
    response = respond(client, key_headers, {"model": "x"})
    assert response.status_code == 422
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [("missing", ["body", "input"])]


def test_global_variable_headers_reach_the_run(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """As /run, X-LANGFLOW-GLOBAL-VAR-* headers are the run's request variables."""
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - match: {prompt_contains: "Tone: pirate"}\n'
                                                   '    reply: "Arr"\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = copy_of_example(client, headers, "Basic Prompting")
    prompt = next(n for n in flow["data"]["nodes"] if n["id"].startswith("PromptTemplate"))
    prompt["data"]["node"]["template"]["template"]["value"] = "Tone: {TONE}."
    client.patch(f"/api/v1/flows/{flow['id']}", json={"data": flow["data"]}, headers=headers).raise_for_status()
    body = respond(client, {**headers, "X-LANGFLOW-GLOBAL-VAR-TONE": "pirate"}, {"model": flow["id"], "input": "hi"})
    assert output_text(body.json()) == "Arr"


# --- streamed ---------------------------------------------------------------------------------------------


def test_a_streamed_answer_sends_the_tokens_as_response_chunks(make_client: Callable[..., TestClient],
                                                               tmp_path: Path) -> None:
    client, headers, flow = streaming_client(make_client, tmp_path)
    response = respond(client, headers, {"model": flow["id"], "input": "go", "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert (response.headers["cache-control"], response.headers["access-control-allow-origin"]) == ("no-cache", "*")
    # chunks as pydantic writes them: compact JSON
    assert response.text.startswith('data: {"id":"')
    parsed = frames(response.text)
    first, *_, last_chunk, completed, done = parsed
    assert first == (None, {"id": first[1]["id"], "object": "response.chunk", "created": first[1]["created"],
                            "model": flow["id"], "delta": {"content": ""}, "status": None, "finish_reason": None})
    # 1.13 does not repeat the partial message's text that the first token carries again
    assert deltas(parsed) == ["The q", "uick ", "brown", " fox."]
    assert last_chunk[1]["delta"] == {} and (last_chunk[1]["status"], last_chunk[1]["finish_reason"]) == (
        "completed", "stop")
    assert completed == ("response.completed", {"type": "response.completed", "response": {
        "id": first[1]["id"], "object": "response", "created_at": first[1]["created"], "status": "completed",
        "model": flow["id"], "usage": None}})
    assert done == (None, "[DONE]")
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    assert [(m["session_id"], m["sender"], m["text"]) for m in stored] == [
        (first[1]["id"], "User", "go"), (first[1]["id"], "Machine", "The quick brown fox.")]


@pytest.mark.parametrize(("version", "finish"), [("1.8", True), ("1.7.1", False)])
def test_before_1_13_the_first_streamed_chunk_goes_out_twice(make_client: Callable[..., TestClient], tmp_path: Path,
                                                            version: str, finish: bool) -> None:
    client, headers, flow = streaming_client(make_client, tmp_path, version)
    parsed = frames(respond(client, headers, {"model": flow["id"], "input": "go", "stream": True}).text)
    assert deltas(parsed) == ["The q", "The q", "uick ", "brown", " fox."]
    assert parsed[-1] == (None, "[DONE]")
    assert [e for e, _ in parsed].count("response.completed") == (1 if finish else 0)
    assert ("finish_reason" in parsed[0][1]) is finish


@pytest.mark.parametrize(("version", "text"), [("1.13", ["Scripted reply to: go"]), ("1.8", [])])
def test_a_reply_that_did_not_stream_is_sent_whole_from_1_13(make_client: Callable[..., TestClient],
                                                             version: str, text: list[str]) -> None:
    """A model that does not stream: its complete message carries the text; before 1.13 every complete message's
    text was taken as sent already, so the stream has none."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = copy_of_example(client, headers, "Basic Prompting")
    parsed = frames(respond(client, headers, {"model": flow["id"], "input": "go", "stream": True}).text)
    assert deltas(parsed) == text


# --- errors -----------------------------------------------------------------------------------------------


def test_tools_are_refused_with_an_openai_error(client: TestClient, key_headers: dict[str, str]) -> None:
    response = respond(client, key_headers, {"model": "anything", "input": "x", "tools": []})
    assert (response.status_code, response.json()) == (200, {"error": {
        "message": "Tools are not supported yet", "type": "invalid_request_error", "code": "tools_not_supported"}})


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_an_unknown_flow_is_flow_not_found(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    response = respond(client, headers, {"model": "no-such-flow", "input": "x", "stream": True})
    assert (response.status_code, response.json()) == (200, {"error": {
        "message": "Flow with id 'no-such-flow' not found", "type": "invalid_request_error",
        "code": "flow_not_found"}})


@pytest.mark.parametrize(("version", "found"), [("1.13", False), ("1.8", True)])
def test_another_users_flow_by_id_runs_only_before_1_13(make_client: Callable[..., TestClient],
                                                        chat_flow: dict[str, Any], version: str, found: bool) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, chat_flow)
    admin = {"Authorization": f"Bearer {client.get('/api/v1/auto_login').json()['access_token']}"}
    bob = {"x-api-key": other_user_key(client, admin)}
    body = respond(client, bob, {"model": flow["id"], "input": "mine?"}).json()
    assert ("output" in body) is found
    if found:
        assert output_text(body) == "mine?"


@pytest.mark.parametrize(("version", "type_", "code"), [
    ("1.13", "invalid_request_error", "invalid_flow_request"), ("1.8", "processing_error", None)])
def test_a_flow_without_chat_input_is_refused(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
                                              version: str, type_: str, code: str | None) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    chat_flow["data"]["nodes"] = [n for n in chat_flow["data"]["nodes"] if n["data"]["type"] != "ChatInput"]
    chat_flow["data"]["edges"] = []
    flow = create_flow(client, headers, chat_flow)
    error = {"message": "Flow must have a ChatInput component to be compatible with OpenAI Responses API",
             "type": type_}
    if code:
        error["code"] = code
    for stream in (False, True):
        response = respond(client, headers, {"model": flow["id"], "input": "x", "stream": stream})
        assert (response.status_code, response.json()) == (200, {"error": error})


@pytest.mark.parametrize(("version", "prefix"), [("1.13", "500: "), ("1.8", "")])
def test_a_failed_run_is_a_processing_error(make_client: Callable[..., TestClient], tmp_path: Path,
                                            version: str, prefix: str) -> None:
    client = make_client(langflow_version=version, scripts=[script(tmp_path, 'rules:\n  - error: "Rate limit"\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = copy_of_example(client, headers, "Basic Prompting")
    response = respond(client, headers, {"model": flow["id"], "input": "go"})
    assert response.status_code == 200
    error = response.json()["error"]
    assert set(error) == {"message", "type"} and error["type"] == "processing_error"
    assert error["message"].startswith(prefix)
    reason = json.loads(error["message"][len(prefix):])["message"] if prefix else error["message"]
    assert reason == "Error running graph: Error building Component Language Model: \n\nRate limit"


@pytest.mark.parametrize(("version", "ends_failed"), [("1.13", True), ("1.8", True), ("1.7.1", False)])
def test_a_streamed_run_that_fails_ends_with_a_failed_chunk_from_1_8(make_client: Callable[..., TestClient],
                                                                    tmp_path: Path, version: str,
                                                                    ends_failed: bool) -> None:
    client = make_client(langflow_version=version,
                         scripts=[script(tmp_path, 'rules:\n  - reply: "one two three four"\n    error: "Rate limit"\n'
                                                   '    stream: {error_after: 2}\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = streaming_flow(client, headers)
    parsed = frames(respond(client, headers, {"model": flow["id"], "input": "go", "stream": True}).text)
    assert parsed[-1] == (None, "[DONE]")
    last = parsed[-2][1]
    if ends_failed:
        # the component's error message is the first error event: its text ends the stream
        assert (last["status"], last["finish_reason"]) == ("failed", "error")
        assert last["delta"] == {"content": "Rate limit\n"}
    else:  # 1.7.1 reads no error event: the stream ends as a completed one
        assert (last["status"], last["delta"]) == ("completed", {})


def test_a_flow_that_would_pause_for_a_person_is_the_runs_400_as_a_processing_error(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """1.13's simple_run_flow refuses it with a 400 HTTPException, which the route words as "400: <detail>"; a
    stream gets it as the run's error event, so it ends with a failed chunk."""
    human = create_flow(client, key_headers, with_human_input(copy.deepcopy(chat_flow), connected=True))
    response = respond(client, key_headers, {"model": human["id"], "input": "hi"})
    assert (response.status_code, response.json()) == (200, {"error": {
        "message": f"400: {errors.HITL_UNSUPPORTED}", "type": "processing_error"}})
    parsed = frames(respond(client, key_headers, {"model": human["id"], "input": "hi", "stream": True}).text)
    assert parsed[-2][1]["delta"] == {"content": f"400: {errors.HITL_UNSUPPORTED}"}
    assert parsed[-2][1]["finish_reason"] == "error" and parsed[-1] == (None, "[DONE]")


# --- an agent's tool calls (scripted tool_calls; 1.13: its model provider one of runner.TOOL_TURNS) -------------

TOOL_OUTPUT = "Current date and time in UTC: 2026-01-02 03:04:05 UTC"
TOOL_CALLS = ('rules:\n  - reply: "It is the 2nd."\n    tool_calls: [{name: get_current_date, input: {timezone: UTC},'
              f' output: "{TOOL_OUTPUT}"}}]\n')


# each release's agent, and on 1.13 the model provider its Agent selects (the example's agent_llm is OpenAI)
AGENTS = [("1.13.0", None), ("1.13.0", "Anthropic"), ("1.8", None), ("1.7.1", None)]
CALL_IDS = {None: r"call_[A-Za-z0-9]{24}", "Anthropic": r"toolu_01[A-Za-z0-9]{22}"}


def tool_result(version: str, shown: Any, provider: str | None = None) -> Any:
    """A tool call's results as the answer shows them: the tool's output before 1.13; 1.13's agent log keeps
    LangChain's ToolMessage (its ids the model's call id, as its provider makes it, and LangGraph's uuid)."""
    if version != "1.13.0":
        return TOOL_OUTPUT
    assert re.fullmatch(CALL_IDS[provider], shown["tool_call_id"]) and UUID(shown["id"]).version == 4
    return {"content": TOOL_OUTPUT, "additional_kwargs": {}, "response_metadata": {}, "type": "tool",
            "name": "get_current_date", "id": shown["id"], "tool_call_id": shown["tool_call_id"], "artifact": None,
            "status": "success"}


def agent_flow(make_client: Callable[..., TestClient], tmp_path: Path, version: str,
               provider: str | None = None) -> tuple[TestClient, dict[str, str], str]:
    """The Simple Agent example, its Agent selecting a model of `provider` if given (1.13's `model` field)."""
    client = make_client(langflow_version=version, scripts=[script(tmp_path, TOOL_CALLS)], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow = copy_of_example(client, headers, "Simple Agent")
    if provider is None:
        return client, headers, flow["id"]
    agent = next(n for n in flow["data"]["nodes"] if n["data"]["type"] == "Agent")
    agent["data"]["node"]["template"]["model"] = {"name": "model", "type": "model", "show": True,
                                                  "value": [{"provider": provider, "name": "a-model"}]}
    return client, headers, create_flow(client, headers, {"name": "Agent", "data": flow["data"]})["id"]


@pytest.mark.parametrize(("version", "provider"), AGENTS)
@pytest.mark.parametrize("results", [False, True])
def test_an_agents_tool_call_is_an_output_item_before_the_message(make_client: Callable[..., TestClient],
                                                                  tmp_path: Path, version: str, provider: str | None,
                                                                  results: bool) -> None:
    """openai_responses.py turns the answer's tool_use steps into function_call items (tool_call items with their
    results when include asks for tool_call.results), then the message; 1.13 reads them from the agent's flat log."""
    client, headers, flow_id = agent_flow(make_client, tmp_path, version, provider)
    body = {"model": flow_id, "input": "date?", **({"include": ["tool_call.results"]} if results else {})}
    answer = respond(client, headers, body).json()
    if results:
        item = {"id": "get_current_date_1", "queries": ["UTC"], "status": "completed", "tool_name": "get_current_date",
                "type": "tool_call", "results": tool_result(version, answer["output"][0]["results"], provider)}
    else:
        item = {"id": "fc_1", "type": "function_call", "status": "completed", "name": "get_current_date",
                "arguments": '{"timezone": "UTC"}'}
    assert answer["output"][:-1] == [item]
    assert output_text(answer) == "It is the 2nd."


@pytest.mark.parametrize(("version", "provider"), AGENTS)
@pytest.mark.parametrize("results", [False, True])
def test_a_streamed_tool_call_goes_out_once_its_output_is_known(make_client: Callable[..., TestClient],
                                                                tmp_path: Path, version: str, provider: str | None,
                                                                results: bool) -> None:
    """The stream's tool frames come with the first message whose step has the tool's output (the agent's final
    one), once: the Chat Output's storing of the same message sends none again (nor does an Anthropic agent's
    first announcement of the call, its input still empty)."""
    client, headers, flow_id = agent_flow(make_client, tmp_path, version, provider)
    include = {"include": ["tool_call.results"]} if results else {}
    parsed = frames(respond(client, headers, {"model": flow_id, "input": "date?", "stream": True, **include}).text)
    named = [(event, data) for event, data in parsed if event and event != "response.completed"]
    arguments = '{"timezone": "UTC"}'
    shown = named[-1][1]["item"].get("results") if named else None
    done = ({"id": "get_current_date_fc_1", "inputs": {"timezone": "UTC"}, "status": "completed", "type": "tool_call",
             "tool_name": "get_current_date", "results": tool_result(version, shown, provider)} if results else
            {"id": "fc_1", "type": "function_call", "status": "completed", "arguments": arguments, "call_id": "call_1",
             "name": "get_current_date"})
    assert named == [
        ("response.output_item.added", {"type": "response.output_item.added", "item": {
            "id": "fc_1", "type": "function_call", "status": "in_progress", "name": "get_current_date",
            "arguments": "", "call_id": "call_1"}}),
        ("response.function_call_arguments.delta", {"type": "response.function_call_arguments.delta",
                                                    "delta": arguments, "item_id": "fc_1", "output_index": 0}),
        ("response.function_call_arguments.done", {"type": "response.function_call_arguments.done",
                                                   "arguments": arguments, "item_id": "fc_1", "output_index": 0}),
        ("response.output_item.done", {"type": "response.output_item.done", "item": done,
                                       **({"output_index": 0, "sequence_number": 6} if results else {})}),
    ]
    assert "".join(deltas(parsed)).endswith("It is the 2nd.")


def test_1_13_a_failing_component_tool_is_a_completed_call(make_client: Callable[..., TestClient],
                                                           tmp_path: Path) -> None:
    """A component tool that fails hands its error back as a ToolMessage (status "error"), the step's output:
    1.13's openai_responses.py sees a step with an output, so the call is "completed", with no `error`."""
    failing = ('rules:\n  - reply: "It is the 2nd."\n    tool_calls: [{name: get_current_date, '
               'input: {timezone: UTC}, error: "Invalid timezone"}]\n')
    client = make_client(langflow_version="1.13.0", scripts=[script(tmp_path, failing)], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = copy_of_example(client, headers, "Simple Agent")["id"]
    answer = respond(client, headers, {"model": flow_id, "input": "date?", "include": ["tool_call.results"]}).json()
    (item,) = answer["output"][:-1]
    assert (item["status"], item["results"]["content"], item["results"]["status"]) == (
        "completed", "Invalid timezone", "error")
    assert "error" not in item and output_text(answer) == "It is the 2nd."
