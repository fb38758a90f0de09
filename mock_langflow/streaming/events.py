"""Event names and the payloads built from a run: result entries, run responses, build data, errors.

Each payload shape is defined here once; routers and job presenters only choose which to send.
"""

from __future__ import annotations

import json
import re
from datetime import UTC
from typing import Any

from mock_langflow.clock import Clock, ts_message, ts_message_seconds, ts_z
from mock_langflow.engine.limits import within_limits
from mock_langflow.engine.message import (
    NAME_AI,
    SENDER_AI,
    Message,
    Source,
    error_blocks,
    project_v1,
    properties,
    response_text,
)
from mock_langflow.engine.runner import RunResult, Value, VertexFailure, VertexResult
from mock_langflow.jsonsafety import jsonable
from mock_langflow.profiles import current

ADD_MESSAGE, TOKEN, END, ERROR = "add_message", "token", "end", "error"
REMOVE_MESSAGE = "remove_message"
LOG = "log"  # an entry a component logged while it built (lfx's Component.log)
VERTICES_SORTED, BUILD_START, BUILD_END, END_VERTEX = "vertices_sorted", "build_start", "build_end", "end_vertex"
# a stopped v2 background job's last event; its stored payload is the whole frame, with no event/data envelope
RUN_CANCELLED, CANCELLED = "run_cancelled", {"type": "cancelled"}
# the same of a background job past its timeout (1.13), and the error a stream past its own ends with
RUN_TIMED_OUT, TIMED_OUT = "run_timed_out", {"type": "timed_out"}
# the same of a run suspended for a person past LANGFLOW_BACKGROUND_INPUT_DEADLINE_S (1.13)
INPUT_TIMED_OUT, INPUT_DEADLINE_PASSED = "input_timed_out", {"type": "input_timed_out"}
RUN_MARKS = frozenset({RUN_CANCELLED, RUN_TIMED_OUT, INPUT_TIMED_OUT})
TIMED_OUT_TEXT = "Workflow execution timed out."


def params_text(artifacts: dict[str, Any]) -> str:
    """build_data's `params`: the artifacts as lfx's InterfaceVertex dumps them, YAML of a one-item list (PyYAML's
    block style: keys title-cased and sorted, None values left out; quoting, escapes and line folding as PyYAML
    writes them). The common case, short words and empty lists, is written here; anything else by PyYAML."""
    shown = {key.title().replace("_", " "): value for key, value in artifacts.items() if value is not None}
    if not shown:
        return ""
    lines = []
    for i, key in enumerate(sorted(shown)):
        value = shown[key]
        if value == [] and isinstance(value, list):
            text = "[]"
        elif (isinstance(value, str) and len(key) + len(value) <= _PLAIN_WORDS_MAX and _PLAIN_WORDS.fullmatch(value)
              and value not in _YAML_WORDS):
            text = value
        else:
            return _yaml_params(shown)
        lines.append(("- " if i == 0 else "  ") + f"{key}: {text}")
    return "\n".join(lines) + "\n"


# Strings PyYAML writes plain (unquoted, on one line) in a block mapping: a letter first, then words of letters,
# digits and the punctuation of a sentence that is no indicator there (no ":", "#", quote or bracket that could
# start one), one space between, short enough never to be folded (_PLAIN_WORDS_MAX); but for the words that would
# read back as a bool or null (PyYAML's resolvers; no other implicit type starts with a letter).
_PLAIN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9.,!?'()/;-]*(?: [A-Za-z0-9.,!?'()/;-]+)*")
_PLAIN_WORDS_MAX = 60  # key and value: far from PyYAML's 80 columns
_YAML_WORDS = frozenset({f(w) for w in ("yes", "no", "true", "false", "on", "off", "null")
                         for f in (str.lower, str.title, str.upper)})


def _yaml_params(shown: dict[str, Any]) -> str:
    import yaml  # only for params the common case does not cover: PyYAML is no part of start-up

    try:
        return yaml.dump([shown], default_flow_style=False, allow_unicode=True)
    except yaml.YAMLError:  # (a value no JSON answer holds either)
        return yaml.dump([{k: str(v) for k, v in shown.items()}], default_flow_style=False, allow_unicode=True)


# lfx's interface vertices (InterfaceComponentTypes): a vertex's results are its component's outputs and its
# params the YAML of its artifacts; any other component's vertex has no results (lfx never sets its built_result)
# and "None" as its params (its artifacts, keyed by output, hold no "repr")
CHAT_KINDS = frozenset({"chat_input", "chat_output"})
INTERFACE_KINDS = CHAT_KINDS | {"text_input", "text_output", "webhook"}
NO_WEBHOOK_DATA = "No data provided."


def shown_artifacts(vertex: VertexResult) -> dict[str, Any]:
    """A vertex's artifacts as Langflow shows them: a chat vertex's its message's (ChatOutputResponse's fields),
    any other component's one entry per output, lfx's Component._build_artifact: the component's repr of what it
    returned (its status, else the value), the raw value (a message's text) and the artifact type."""
    if vertex.node.kind in CHAT_KINDS:
        return vertex.artifacts
    return {name: _component_artifact(vertex, value) for name, value in vertex.outputs.items()} or {
        vertex.output_name: _component_artifact(vertex, vertex.primary)}


def _component_artifact(vertex: VertexResult, value: Value) -> dict[str, Any]:
    kind = vertex.node.kind
    if value.artifact is not None:  # the component's status is not the value (an Agent's)
        return value.artifact
    if value.table is not None:  # a DataFrame, no status: lfx's repr of it is "None", its rows the raw value
        return {"repr": "None", "raw": value.table, "type": "array"}
    if value.data is not None:
        data = value.data
        if kind == "webhook" and not data:  # the component's status when it got no payload
            return {"repr": NO_WEBHOOK_DATA, "raw": {}, "type": "text"}
        return {"repr": json.dumps(data, indent=4, default=str), "raw": jsonable(data), "type": "object"}
    text = value.as_text
    if kind in ("text_input", "pass", "model", "agent") and value.message is not None:
        # the Message, as Data's str dumps it (an Agent's: the one it sent, before a Chat Output took it over, its
        # content blocks as a v1 client sees them)
        message = value.message
        repr_text = message.data_repr() if kind != "agent" else json.dumps(
            {**message.payload()["data"], "content_blocks": message.read_blocks()}, indent=4, default=str)
        return {"repr": repr_text, "raw": text, "type": "text"}
    if kind in ("model", "memory") and value.made is not None:  # the Message it made, as its JSON dump (1.13.0's)
        return {"repr": json.dumps(value.made.dump_order(), indent=4, ensure_ascii=False, default=str), "raw": text,
                "type": "text"}
    return {"repr": text, "raw": text, "type": "text"}


# An output a vertex did not build, as its outputs list it (vertex_outputs)
UNSHOWN_OUTPUT = {"message": "", "type": "unknown"}


def vertex_outputs(vertex: VertexResult) -> dict[str, Any]:
    """A vertex's outputs as its build data and transaction list them (lfx's build_output_logs): every output its
    node has, in their order, one it built with its value, any other with nothing to show (a Language Model's model
    object, an Agent's output no edge takes); then any it built that the node does not list."""
    built = vertex.outputs
    listed = {name: _output_entry(built[name]) if name in built else dict(UNSHOWN_OUTPUT)
              for name in (str(output.get("name")) for output in vertex.node.outputs)}
    listed.update((name, _output_entry(value)) for name, value in built.items() if name not in listed)
    return listed


def _text_messages(vertex: VertexResult, artifacts: dict[str, Any]) -> list[dict[str, Any]]:
    """A non-chat vertex's `messages`: lfx lists one when its artifacts have a "text" output (Text Input and
    Output), a ChatOutputResponse of that raw text with the response's defaults (the machine's, markdown's line
    breaks)."""
    shown = artifacts.get("text")
    if vertex.node.kind in CHAT_KINDS or not isinstance(shown, dict) or not isinstance(shown.get("raw"), str):
        return []
    return [{"message": response_text(shown["raw"], SENDER_AI), "sender": SENDER_AI, "sender_name": NAME_AI,
             "session_id": "", "stream_url": None, "component_id": vertex.node.id, "files": [],
             "type": shown.get("type") or "text"}]


def vertex_params(vertex: VertexResult, artifacts: dict[str, Any] | None = None) -> str:
    """build_data's `params`: an interface vertex's artifacts (shown_artifacts, unless given) as YAML (params_text);
    any other's "None"."""
    if vertex.node.kind not in INTERFACE_KINDS:
        return "None"
    return params_text(shown_artifacts(vertex) if artifacts is None else artifacts)


def _interface_payload(value: Value) -> Any:
    """An interface vertex's result as its ResultData serializes it: a message's dump, a Data's (the webhook's)."""
    if value.message is None and value.data is not None:
        return {"text_key": "text", "data": value.data, "default_value": ""}
    return _value_payload(value)


def _shown_payload(vertex: VertexResult) -> Any:
    """An interface vertex's result; one whose Message a Chat Output took over (VertexResult.shown) shows that
    Message as it became, but its `data` keeps what the store did not set on it: a stored one's properties as read
    back; one that was never stored its own keys, in its order (no id)."""
    if vertex.shown is None or vertex.shown.message is None or vertex.primary.message is None:
        return _interface_payload(vertex.primary)
    payload = _interface_payload(vertex.shown)
    original, became = vertex.primary.message.payload()["data"], payload["data"]
    if "id" not in original:
        payload["data"] = {key: became.get(key, original[key]) for key in original}
    else:
        payload["data"] = {**became, "properties": original["properties"]}
    return payload


def _value_payload(value: Value) -> Any:
    if value.message is not None:
        return value.message.payload()
    if value.data is not None:
        return value.data
    return value.as_text


def _output_entry(value: Value) -> dict[str, Any]:
    if value.entry is not None:  # (a Message of a value that is no text: engine/convert.py pending)
        return value.entry
    if value.table is not None:  # a DataFrame: its rows
        return {"message": jsonable(value.table), "type": "array"}
    if value.data is not None:
        return {"message": jsonable(value.data), "type": value.shown_as or "object"}
    return {"message": value.as_text, "type": "text"}


def token_usage(vertex: VertexResult) -> dict[str, int] | None:
    """A result's token_usage (1.13): its component's own usage (a model's, an Agent's), none for an output
    vertex, whose message shows the summed usage instead (lfx's Vertex._extract_token_usage)."""
    return None if vertex.node.is_output else vertex.usage


def result_data(vertex: VertexResult, *, timing: bool = False, advanced: bool = False) -> dict[str, Any]:
    """One ResultData of a run response (fact 13); `timing` fills timedelta/duration as build data does.
    Before 1.13 there is no token_usage, and /run/advanced (`advanced`) has no timedelta or duration."""
    name, value = vertex.output_name, vertex.primary
    message = value.message
    # every chat vertex (Chat Input too: lfx's InterfaceVertex) lists its message when it has text, its files as
    # ChatOutputResponse names them
    chat = vertex.node.kind in CHAT_KINDS and message is not None and message.text != ""
    rules = current().run
    artifacts = shown_artifacts(vertex)
    data = {
        "results": {name: _shown_payload(vertex)} if vertex.node.kind in INTERFACE_KINDS else {},
        "artifacts": artifacts,
        "outputs": vertex_outputs(vertex),
        "logs": {built: list(vertex.logs) if built == name else list(vertex.output_logs.get(built, []))
                 for built in vertex.outputs}
        or {name: list(vertex.logs)},
        "messages": [message.chat_response(vertex.node.id)] if chat and message is not None
        else _text_messages(vertex, artifacts),
        "timedelta": vertex.duration_s if timing else None,
        "duration": elapsed_text(vertex.duration_s) if timing else None,
        "component_display_name": vertex.node.display_name,
        "component_id": vertex.node.id,
        "used_frozen_result": vertex.frozen,
        # bandit B105 is a false positive here: "token_usage" is a field of a run result, not a password.
        "token_usage": token_usage(vertex),  # nosec B105
    }
    if advanced and rules.advanced_result == "lean":
        del data["timedelta"], data["duration"]
        data["messages"] = [{k: v for k, v in m.items() if k != "stream_url"} for m in data["messages"]]
    if not rules.token_usage:
        del data["token_usage"]
    return data


def run_outputs(result: RunResult, inputs: dict[str, Any]) -> dict[str, Any]:
    """One entry of a run response's `outputs`: the inputs echoed and a ResultData per output vertex."""
    return {"inputs": inputs, "outputs": [result_data(v) for v in result.outputs()]}


def run_response(result: RunResult, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"session_id": result.session_id, "outputs": [run_outputs(result, inputs)]}


def v1_run_response(result: RunResult, inputs: dict[str, Any]) -> dict[str, Any]:
    """/run's answer (and its stream's `end` result), content blocks as a v1 client sees them (1.13 projects the
    whole answer, profile messages.v1_blocks)."""
    answer = run_response(result, inputs)
    return project_v1(answer) if current().messages.v1_blocks else answer


def build_data(vertex: VertexResult, result_next: list[str], top_level: list[str], clock: Clock) -> dict[str, Any]:
    """An end_vertex event's build_data (fact 21)."""
    data = result_data(vertex, timing=True)
    artifacts = data["artifacts"]
    inner = {"results": data["results"], "outputs": data["outputs"], "logs": data["logs"], "message": artifacts,
             "artifacts": artifacts, "timedelta": data["timedelta"], "duration": data["duration"]}
    return _vertex_build(vertex.node.id, inner, result_next, top_level, vertex_params(vertex, artifacts), clock,
                         valid=True, usage=token_usage(vertex), inactivated=vertex.inactivated, frozen=vertex.frozen)


def _vertex_build(vertex_id: str, inner: dict[str, Any], result_next: list[str], top_level: list[str], params: str,
                  clock: Clock, *, valid: bool, usage: dict[str, int] | None = None,
                  inactivated: list[str] | None = None, frozen: bool = False) -> dict[str, Any]:
    """The build_data envelope both a built and a failed vertex share; `inactivated`: the vertices switched off
    as it was built (1.13: a Human Input's branches not chosen); `frozen`: a frozen vertex's reused result. Its
    data is cut to the serializer's limits (engine/limits.py); its params are not (VertexBuildResponse leaves
    them alone)."""
    # bandit B105 is a false positive here: "token_usage" is a field of a run result, not a password.
    inner = {**within_limits(inner), "used_frozen_result": frozen, "token_usage": usage}  # nosec B105
    if not current().run.token_usage:
        del inner["token_usage"]
    return {"id": vertex_id, "inactivated_vertices": list(inactivated or []), "next_vertices_ids": result_next,
            "top_level_vertices": top_level, "valid": valid, "params": params, "data": inner,
            "timestamp": ts_z(clock.now())}


def elapsed_text(seconds: float) -> str:
    """A vertex build's `duration` (Langflow's format_elapsed_time): whole milliseconds under a second, then seconds
    rounded to the release's places (profile build.duration_places), then whole minutes and seconds."""
    places = current().build.duration_places
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        shown = round(seconds, places)
        return f"{shown} {'second' if shown == 1 else 'seconds'}"
    minutes = int(seconds // 60)
    rest = round(seconds - minutes * 60, places)
    return f"{minutes} {'minute' if minutes == 1 else 'minutes'}, {rest} {'second' if rest == 1 else 'seconds'}"


def webhook_build_data(vertex: VertexResult, clock: Clock) -> dict[str, Any]:
    """An end_vertex event's build_data on the webhook event stream (lfx's emit_vertex_build_event): the result's
    parts, its chat messages (inside and beside `data`), the params text (null when empty), an offset timestamp."""
    data = result_data(vertex, timing=True)
    messages = data["messages"]
    return {"id": vertex.node.id, "valid": True, "params": vertex_params(vertex, data["artifacts"]) or None,
            "data": {"results": data["results"], "outputs": data["outputs"], "logs": data["logs"],
                     "messages": messages, "duration": data["duration"]},
            "artifacts": data["artifacts"] or {}, "timestamp": clock.now().astimezone(UTC).isoformat(),
            "messages": messages, "inactivated_vertices": list(vertex.inactivated),
            "next_vertices_ids": list(vertex.successors), "top_level_vertices": list(vertex.successors)}


def failed_build_data(failure: VertexFailure, clock: Clock) -> dict[str, Any]:
    """An end_vertex event's build_data for a vertex whose component raised: invalid, no results, and its first
    output holding the error text and traceback (the recorded 1.8 shape)."""
    error = {"message": {"errorMessage": failure.params, "stackTrace": failure.stack_trace}, "type": "error"}
    inner = {"results": {}, "outputs": {failure.node.first_output: error}, "logs": {}, "message": {},
             "artifacts": {}, "timedelta": failure.duration_s, "duration": elapsed_text(failure.duration_s)}
    return _vertex_build(failure.node.id, inner, [], [], failure.params, clock, valid=False)


def error_message(text: str, *, flow_id: Any, session_id: str | None, clock: Clock, reason: str | None = None,
                  traceback: str | None = None, title: str = "Error") -> dict[str, Any]:
    """A build `error` event's data: a whole error Message with content blocks (fact 24); before 1.13 a
    flatter message with one group block."""
    props = properties(Source(), error=True)
    reason = reason or f"**Error**\n - **{text.strip()}**\n"
    blocks = error_blocks(text, reason, text if traceback is None else traceback, title=title)
    flow = str(flow_id) if flow_id else None
    if not current().messages.run_fields:
        return {
            "session_id": session_id, "context_id": None, "sender": None, "sender_name": None, "text": text,
            "properties": props, "category": "error", "error": True, "content_blocks": blocks,
            "flow_id": flow, "files": [], "timestamp": ts_message_seconds(clock.now()), "edit": False,
            "duration": None,
        }
    return {
        "session_id": session_id, "context_id": None, "sender": None, "sender_name": None, "properties": props,
        "category": "error", "error": True, "content_blocks": blocks,
        "flow_id": flow, "session_metadata": None, "files": [], "run_id": None,
        "timestamp": ts_message(clock.now()), "edit": False, "duration": None, "text": text,
    }


def message_event(message: Message) -> dict[str, Any]:
    return message.event_payload()


def v1_message_event(message: Message) -> dict[str, Any]:
    """A message event's data as a v1 stream sends it: /run's (and a build's add_message), content blocks
    projected in 1.13 (profile messages.v1_blocks)."""
    payload = message.event_payload()
    return project_v1(payload) if current().messages.v1_blocks and message.content_blocks else payload


def token_event(message_id: Any, chunk: str) -> dict[str, Any]:
    return {"chunk": chunk, "id": str(message_id)}
