"""POST /api/v1/responses: a flow run the way OpenAI's Responses API is called (Langflow's
api/v1/openai_responses.py). `model` names the flow, `input` is its Chat Input's text; the answer is OpenAI's
response object, or with `stream` an SSE stream of response.chunk objects ending in `data: [DONE]`. Failures
answer status 200 with an OpenAI {"error": {...}} body, not Langflow's {"detail"}."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import StreamingResponse

from mock_langflow import errors
from mock_langflow.auth import ApiKeyUser
from mock_langflow.deps import app_state
from mock_langflow.engine.message import AGENT_STEPS
from mock_langflow.engine.runner import (
    CatalogBlocked,
    Disconnect,
    Observer,
    RunError,
    RunRequest,
    RunResult,
    serving_scope,
    simple_run_failure,
)
from mock_langflow.profiles import current
from mock_langflow.responses import json_response
from mock_langflow.routers.run import EVENT_STREAM, global_vars, logging_builds, run_request
from mock_langflow.routing import api_router
from mock_langflow.schemas.responses import (
    OpenAIResponsesRequest,
    ResponsesChunk,
    openai_error,
    responses_body,
    tool_call_item,
)
from mock_langflow.schemas.run import SimplifiedAPIRequest
from mock_langflow.state import AppState
from mock_langflow.store.flows import RunTarget
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import dumps, sse_frame
from mock_langflow.streaming.presenters import run_events

router = api_router(tags=["OpenAI Responses API"])

CHAT_INPUTS, CHAT_OUTPUTS = ("ChatInput", "Chat Input"), ("ChatOutput", "Chat Output")
# Only these senders' messages carry the answer's text into the stream.
ANSWER_SENDERS, ANSWER_NAMES = ("Machine", "AI", "Agent"), ("Agent", "AI")
STREAM_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive", "Access-Control-Allow-Origin": "*"}
DONE = sse_frame("[DONE]")
USAGE_KEYS = ("input_tokens", "output_tokens", "total_tokens")
TOOL_RESULTS = "tool_call.results"  # the `include` entry that asks for the tools' results


def error_answer(message: str, type_: str, code: str | None = None) -> Any:
    """Langflow returns its OpenAI error model from the route, so FastAPI answers it with a 200."""
    return json_response(openai_error(message, type_, code))


def find_flow(state: AppState, model: str, user_id: UUID) -> RunTarget | None:
    """The flow `model` names (profile run.responses_flows)."""
    if state.profile.run.responses_flows == "any-by-id":
        return state.store.flows.run_target_of(model, owner=user_id)
    flow = state.store.flows.run_target(model, user_id=user_id)
    return flow if flow is not None and flow.user_id == user_id else None


def has_node(data: dict[str, Any] | None, types: tuple[str, ...]) -> bool:
    nodes = data.get("nodes") if isinstance(data, dict) else None
    return bool(nodes) and any(isinstance(node, dict) and isinstance(node.get("data"), dict)
                               and node["data"].get("type") in types for node in nodes)


def usage_of(usage: Any) -> dict[str, int] | None:
    """A message's token usage as the answer reports it (a missing count is 0); None when it has none."""
    if not usage or not isinstance(usage, dict):
        return None
    return {key: usage.get(key) or 0 for key in USAGE_KEYS}


def tool_uses(blocks: Any) -> list[dict[str, Any]]:
    """The tool_use contents of a message's content blocks (an agent's tool steps): a group's, and in 1.13's flat
    log the tool_use blocks themselves (its openai_responses.py takes both)."""
    return [content for block in blocks or () if isinstance(block, dict)
            for content in ([block] if block.get("type") == "tool_use" else block.get("contents") or ())
            if isinstance(content, dict) and content.get("type") == "tool_use"]


def answer_of(result: RunResult) -> tuple[str, dict[str, int] | None, list[dict[str, Any]]]:
    """The text, usage and tool calls of a run's answer: the first output vertex with text gives it; usage comes
    from the first output message that has some (before 1.8 messages carry none); the tool calls are the tool
    steps of the output messages read until then, every step, executed or not ({name, input, output})."""
    text, usage, calls = "", None, []
    for vertex in result.outputs():
        value = vertex.primary
        message = value.message
        if usage is None and message is not None and current().messages.property_usage:
            usage = usage_of(message.usage)
        if message is not None:
            text = message.text
            calls += [{"name": step.get("name"), "input": step.get("tool_input"), "output": step.get("output")}
                      for step in tool_uses(message.content_blocks)]
        elif value.data is None:
            text = value.text or ""
        if text:
            break
    return text, usage, calls


@router.post("/responses", response_model=None)
async def create_response(request: Request, body: OpenAIResponsesRequest, user: ApiKeyUser) -> Any:
    """POST /api/v1/responses: an API key only. `tools` is refused, then the flow is looked up, then it must
    have a Chat Input and a Chat Output; the run's session (and the answer's id) is `previous_response_id`, else
    a new UUID. Every failure is a 200 with an OpenAI error body."""
    state = app_state(request)
    rules = state.profile.run
    if body.tools is not None:
        return error_answer(errors.RESPONSES_TOOLS, "invalid_request_error", "tools_not_supported")
    flow = find_flow(state, body.model, user.id)
    if flow is None:
        return error_answer(errors.RESPONSES_FLOW_NOT_FOUND.format(model=body.model), "invalid_request_error",
                            "flow_not_found")
    serving_scope(state, request.headers, None, str(flow.id))  # 1.13's end-user 401 comes before the run
    missing = (errors.RESPONSES_NO_CHAT_INPUT if not has_node(flow.data, CHAT_INPUTS)
               else errors.RESPONSES_NO_CHAT_OUTPUT if not has_node(flow.data, CHAT_OUTPUTS) else None)
    if missing is not None:
        if rules.responses_errors == "plain":
            return error_answer(missing, "processing_error")
        return error_answer(missing, "invalid_request_error", "invalid_flow_request")
    session_id = body.previous_response_id or str(state.ids.uuid())
    asked = SimplifiedAPIRequest(input_value=body.input, input_type="chat", output_type="chat", session_id=session_id)
    run = run_request(state, flow, asked, user.id, {}, global_vars(request))
    run.scoped(serving_scope(state, request.headers, session_id, str(flow.id)))  # (the answer's id stays unscoped)
    created = int(state.clock.now().timestamp())
    if body.stream:
        return StreamingResponse(answer_stream(state, run, body, session_id, created), media_type=EVENT_STREAM,
                                 headers=STREAM_HEADERS)
    try:
        result = await state.runner.run(run, logging_builds(state, run)(Observer()))
    except CatalogBlocked as exc:  # 1.13's answer to a custom-component policy refusal
        return error_answer(exc.reason, "invalid_request_error", "custom_components_blocked")
    except RunError as exc:
        return error_answer(simple_run_failure(exc), "processing_error")
    except Disconnect as exc:
        raise errors.DropConnection() from exc
    text, usage, calls = answer_of(result)
    results = bool(body.include and TOOL_RESULTS in body.include)
    items = [tool_call_item(call, number, results=results) for number, call in enumerate(calls, start=1)]
    return json_response(responses_body(session_id, created, body.model, text, body.previous_response_id, usage,
                                        items))


def message_key(data: dict[str, Any]) -> str:
    """Which message a token or add_message event belongs to: its id, top-level or in its `data`."""
    nested = data.get("data")
    key = data.get("id") or (nested.get("id") if isinstance(nested, dict) else None)
    return str(key) if key else ""


def delivered(text: str, sent: str) -> bool:
    """Whether what was sent already ends with `text`, whitespace aside."""
    return "".join(sent.split()).endswith("".join(text.split()))


def split_sent(chunk: str, ahead: str) -> tuple[str, str]:
    """A token against the partial message's text already sent for it: what is still to send, and what of
    that text later tokens will still repeat."""
    if not ahead:
        return chunk, ""
    if ahead.startswith(chunk):
        return "", ahead[len(chunk):]
    if chunk.startswith(ahead):
        return chunk[len(ahead):], ""
    return chunk, ""


class AnswerText:
    """Turns a run's token and add_message events into the text deltas a streamed answer sends (profile
    run.responses_dedup chooses how it tells text already sent)."""

    def __init__(self, prompt: str, *, dedup: bool) -> None:
        self.prompt, self.dedup = prompt, dedup
        self.sent = ""  # the text the deltas are measured against
        self.streamed: set[str] = set()  # messages whose text went out as tokens
        self.ahead: dict[str, str] = {}  # a message's partial text sent that its tokens will repeat
        self.latest: dict[str, str] = {}  # each message's latest text
        self.usage: dict[str, int] | None = None

    def feed(self, kind: Any, data: Any) -> str:
        if not isinstance(data, dict):
            return ""
        if kind == events.TOKEN:
            return self.token(data)
        if kind == events.ADD_MESSAGE:
            return self.message(data)
        return ""

    def token(self, data: dict[str, Any]) -> str:
        chunk = data.get("chunk", "")
        if not isinstance(chunk, str):
            return ""
        if self.dedup and chunk:
            key = message_key(data)
            self.streamed.add(key)
            chunk, ahead = split_sent(chunk, self.ahead.get(key, ""))
            if ahead:
                self.ahead[key] = ahead
            else:
                self.ahead.pop(key, None)
            self.sent += chunk
        return chunk

    def message(self, data: dict[str, Any]) -> str:
        text = data.get("text", "")
        props = data.get("properties", {})
        state = props.get("state") if isinstance(props, dict) else None
        key = message_key(data)
        if state == "complete":
            self.usage = usage_of(props.get("usage")) or self.usage
            if not self.dedup or key in self.streamed:
                text = ""  # its text went out as tokens
        if data.get("sender", "") not in ANSWER_SENDERS or text == self.prompt \
                or data.get("sender_name", "") not in ANSWER_NAMES:
            return ""
        if self.dedup:
            republished = state == "complete" and self.latest.get(key) == text
            if text:
                self.latest[key] = text
            if republished or delivered(text, self.sent):
                return ""
        if text.startswith(self.sent):
            delta, self.sent = text[len(self.sent):], text
            if self.dedup and delta:
                self.ahead[key] = self.ahead.get(key, "") + delta
            return delta
        self.sent = text  # the text does not follow what was sent: all of it goes
        return text


class ToolCallFrames:
    """A streamed answer's frames for an agent's tool calls: each tool_use step of an announced message's "Agent
    Steps" that has a name and an output (an executed one), once per tool name and input: its function_call item
    added, its arguments as one delta, their end, and the item done (a tool_call item with its results when
    `include` asks for tool_call.results), numbered in the order they are met (Langflow's openai_responses.py)."""

    def __init__(self, *, results: bool) -> None:
        self.results = results
        self.seen: set[str] = set()

    def feed(self, kind: Any, data: Any) -> list[bytes]:
        if kind != events.ADD_MESSAGE or not isinstance(data, dict):
            return []
        frames: list[bytes] = []
        for block in data.get("content_blocks") or ():
            if isinstance(block, dict) and block.get("title") == AGENT_STEPS:
                frames += [frame for step in tool_uses([block]) for frame in self.step(step)]
        return frames

    def step(self, step: dict[str, Any]) -> list[bytes]:
        name, args, output = step.get("name", ""), step.get("tool_input", {}), step.get("output")
        if not name or not isinstance(args, dict) or output is None:
            return []
        signature = f"{name}:{sorted(args.items())}"
        if signature in self.seen:
            return []
        self.seen.add(signature)
        number = len(self.seen)
        item_id, call_id, arguments = f"fc_{number}", f"call_{number}", dumps(args)
        added = {"type": "response.output_item.added", "item": {
            "id": item_id, "type": "function_call", "status": "in_progress", "name": name, "arguments": "",
            "call_id": call_id}}
        delta = {"type": "response.function_call_arguments.delta", "delta": arguments, "item_id": item_id,
                 "output_index": 0}
        done_args = {"type": "response.function_call_arguments.done", "arguments": arguments, "item_id": item_id,
                     "output_index": 0}
        if self.results:
            done = {"type": "response.output_item.done", "item": {
                "id": f"{name}_{item_id}", "inputs": args, "status": "completed", "type": "tool_call",
                "tool_name": f"{name}", "results": output}, "output_index": 0, "sequence_number": number + 5}
        else:
            done = {"type": "response.output_item.done", "item": {
                "id": item_id, "type": "function_call", "status": "completed", "arguments": arguments,
                "call_id": call_id, "name": name}}
        return [sse_frame(frame, event=frame["type"]) for frame in (added, delta, done_args, done)]


async def answer_stream(state: AppState, run: RunRequest, body: OpenAIResponsesRequest, response_id: str,
                        created: int) -> AsyncIterator[bytes]:
    """The streamed answer: an empty first chunk, a chunk per text delta, a closing chunk, then [DONE]
    (profile run.responses_finish: finish_reason, errors, response.completed)."""
    finish = state.profile.run.responses_finish

    def chunk(delta: dict[str, Any], status: str | None = None, reason: str | None = None) -> bytes:
        shown = ResponsesChunk(id=response_id, created=created, model=body.model, delta=delta, status=status,
                               finish_reason=reason)
        return sse_frame(shown.model_dump_json(exclude=None if finish else {"finish_reason"}))

    yield chunk({"content": ""})
    text = AnswerText(body.input, dedup=state.profile.run.responses_dedup)
    tools = ToolCallFrames(results=bool(body.include and TOOL_RESULTS in body.include))
    async with contextlib.aclosing(run_events(state.runner, run, {"input_value": body.input},
                                              logging_builds(state, run))) as stream:
        async for kind, data in stream:
            if kind == events.ERROR and finish and isinstance(data, dict):
                failed = data.get("text") or data.get("error", "Unknown error")
                yield chunk({"content": failed if isinstance(failed, str) else str(failed)}, "failed", "error")
                yield DONE
                return
            for frame in tools.feed(kind, data):
                yield frame
            delta = text.feed(kind, data)
            if delta:
                yield chunk({"content": delta})
    yield chunk({}, "completed", "stop" if finish else None)
    if finish:
        completed = {"id": response_id, "object": "response", "created_at": created, "status": "completed",
                     "model": body.model, "usage": text.usage}
        yield sse_frame({"type": "response.completed", "response": completed}, event="response.completed")
    yield DONE
