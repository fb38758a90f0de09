"""1.13's A2A JSON-RPC side (Langflow's api/v1/a2a.py, a2a_utils.py, a2a_executor.py over the a2a SDK's 0.3
adapter): message/send, message/stream, tasks/get, tasks/resubscribe, tasks/cancel and the push notification
config methods, for routers/a2a.py's POST /a2a/{flow_id}/jsonrpc, which imports it on its first call (A2A is
off unless LANGFLOW_A2A_ENABLED). Tasks are kept in SQLite (store/a2a.py), with the checkpoint of a run that
waits for a person (input-required, engine/hitl.py's pause); the runs going on, and the tasks waiting in this
process, are process state (AppState.a2a_live), as the SDK's active tasks are.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_DNS, UUID, uuid5

from fastapi import Request, Response
from fastapi.responses import StreamingResponse

from mock_langflow import errors
from mock_langflow.a2a import push
from mock_langflow.deps import app_state
from mock_langflow.engine.hitl import Paused, Resumed, action_id, rerouted
from mock_langflow.engine.jobs import pause_checkpoint, resolved_output, terminal_outputs
from mock_langflow.engine.runner import Disconnect, Observer, RunError, RunRequest, RunResult
from mock_langflow.engine.scrubbing import visitor_graph
from mock_langflow.responses import json_body, json_response
from mock_langflow.routers.a2a import PUBLIC_PRINCIPAL, a2a_on, admitted, published
from mock_langflow.routers.build import scoped_session
from mock_langflow.routers.run import EVENT_STREAM, logging_builds, run_request
from mock_langflow.schemas.run import SimplifiedAPIRequest
from mock_langflow.state import AppState
from mock_langflow.store.a2a import TERMINAL_STATES
from mock_langflow.store.flows import RunTarget
from mock_langflow.store.models import FlowRow

SESSION_KEY_MAX_LEN = 256

# JSON-RPC error codes (JSON-RPC 2.0 and A2A 0.3)
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603
TASK_NOT_FOUND, TASK_NOT_CANCELABLE, UNSUPPORTED_OPERATION = -32001, -32002, -32004

class RpcError(Exception):
    """A JSON-RPC error. `data` None leaves it out, except where the a2a SDK's 0.3 adapter answers (`null_data`):
    its errors carry "data": null."""

    def __init__(self, code: int, message: str, data: Any = None, *, null_data: bool = False) -> None:
        super().__init__(message)
        self.code, self.message, self.data, self.null_data = code, message, data, null_data


def invalid_request(data: Any) -> RpcError:
    """A 0.3 method's body its request model refuses: the SDK's 0.3 adapter answers "Invalid Request" with the
    validation error as data (pydantic's text there; the mock's own words here)."""
    return RpcError(INVALID_REQUEST, errors.A2A_INVALID_REQUEST, data, null_data=True)


def rpc_error(request_id: Any, exc: RpcError) -> Response:
    error: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if exc.data is not None or exc.null_data:
        error["data"] = exc.data
    return json_response({"jsonrpc": "2.0", "id": request_id, "error": error})


def session_for(principal: UUID, flow_id: UUID, context_id: str) -> str:
    """The flow session an A2A conversation (contextId) runs in, under a namespace of its principal and flow
    (scope_session_to_namespace, as the public build's)."""
    namespace = str(uuid5(NAMESPACE_DNS, f"{principal}_{flow_id}"))
    scoped = scoped_session(context_id, namespace) or context_id
    if len(scoped) <= SESSION_KEY_MAX_LEN:
        return scoped
    return f"{namespace}:{hashlib.sha256(context_id.encode()).hexdigest()}"


def text_part(text: str) -> dict[str, Any]:
    return {"kind": "text", "text": text}


def _as_value(value: Any) -> Any:
    """JSON as a protobuf Value holds it: every number a double (a whole number comes back as 1.0)."""
    if isinstance(value, dict):
        return {key: _as_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_value(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def data_part(content: Any) -> dict[str, Any]:
    """An output's content as a data part of the answer: 1.13 makes it JSON (a value JSON lacks as its text)
    and stores it in a protobuf Value; the SDK's 0.3 adapter answers an object as the part's data and anything
    else wrapped as {"value": ...}, marked data_part_compat. (1.13's keys come in the protobuf map's arbitrary
    order; the mock keeps the content's.)"""
    value = _as_value(json.loads(json.dumps(content, default=str)))
    if isinstance(value, dict):
        return {"data": value, "kind": "data"}
    return {"data": {"value": value}, "kind": "data", "metadata": {"data_part_compat": True}}


def answer_parts(result: RunResult, earlier: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The answer's parts as 1.13's executor makes them from the run's v2 outputs (its terminal components):
    the text of a single text answer (empty too); otherwise a part per output that has content, text for a
    string message or text, data for the rest; no part at all: one empty text part. `earlier`: a resumed run's
    terminal outputs built before its pause, which its restored graph still holds."""
    outputs = terminal_outputs(result, every_sink=True)
    built = {v.node.id for v in result.vertices}
    outputs.update({key: value for key, value in (earlier or {}).items() if key in outputs and key not in built})
    output = resolved_output(outputs)
    if output["reason"] == "single":
        return [text_part(output["text"] or "")]
    parts = [text_part(content) if entry["type"] in ("message", "text") and isinstance(content, str)
             else data_part(content)
             for entry in outputs.values() if (content := entry.get("content")) is not None]
    return parts or [text_part("")]


INPUT_REQUIRED = "input-required"  # a task waiting for a person: not ended, a message on it answers


def ordered(task: dict[str, Any]) -> dict[str, Any]:
    """A task with its keys in the SDK's 0.3 order (artifacts, contextId, history, id, kind, status)."""
    return {key: task[key] for key in ("artifacts", "contextId", "history", "id", "kind", "metadata", "status")
            if key in task}


def agent_message(state: AppState, task_id: str, context_id: str, text: str) -> dict[str, Any]:
    return {"contextId": context_id, "kind": "message", "messageId": str(state.ids.uuid()),
            "parts": [text_part(text)], "role": "agent", "taskId": task_id}


def timestamp(state: AppState) -> str:
    """A status time as the SDK's protobuf Timestamp writes it: UTC, "Z", no fraction for whole seconds, else 3
    or 6 digits."""
    now = state.clock.now().astimezone(UTC)
    whole = now.strftime("%Y-%m-%dT%H:%M:%S")
    micros = now.microsecond
    if not micros:
        return f"{whole}Z"
    return f"{whole}.{micros // 1000:03d}Z" if micros % 1000 == 0 else f"{whole}.{micros:06d}Z"


_ADAPTERS: dict[Any, Any] = {}


def lax(kind: Any, value: Any, what: str) -> Any:
    """A field of a 0.3 request read as the SDK's pydantic request model reads it (lax: "3" for an int, "no" for
    a bool; None for an unset one), or an Invalid Request naming it."""
    from pydantic import TypeAdapter, ValidationError  # noqa: PLC0415 - A2A is off by default

    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind | None)
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        raise invalid_request(f"{what}: {exc.errors()[0]['msg']}") from None


def _part(part: Any) -> dict[str, Any]:
    """A message part as the SDK keeps it (its keys in order, unset ones left out); anything else is refused."""
    if not isinstance(part, dict):
        raise invalid_request("a part must be an object")
    metadata = lax(dict[str, Any], part.get("metadata"), "a part's metadata")
    meta = {"metadata": metadata} if isinstance(metadata, dict) else {}
    kind = part.get("kind")
    if kind == "text" and isinstance(part.get("text"), str):
        return {"kind": "text", **meta, "text": part["text"]}
    if kind == "data" and isinstance(part.get("data"), dict):
        return {"data": part["data"], "kind": "data", **meta}
    file = part.get("file")
    if kind == "file" and isinstance(file, dict) and isinstance(file.get("bytes") or file.get("uri"), str):
        named = {k: file[k] for k in ("mimeType", "name") if isinstance(file.get(k), str) and file[k]}
        shown = ({"bytes": file["bytes"], **named} if isinstance(file.get("bytes"), str)
                 else {**named, "uri": file["uri"]})
        return {"file": shown, "kind": "file", **meta}
    raise invalid_request("a part must be a text, data or file part")


def user_message(message: Any, task_id: str, context_id: str) -> dict[str, Any]:
    """The sent message as the task's history keeps it: the SDK's fields in their order, with the task's ids."""
    if not isinstance(message, dict) or not isinstance(message.get("messageId"), str) \
            or message.get("role") not in ("user", "agent") or not isinstance(message.get("parts"), list):
        raise invalid_request("params.message must be a Message (messageId, role, parts)")
    for key, kind in (("extensions", list[str]), ("metadata", dict[str, Any]), ("referenceTaskIds", list[str])):
        lax(kind, message.get(key), f"params.message.{key}")
    kept: dict[str, Any] = {"contextId": context_id}
    if isinstance(message.get("extensions"), list) and message["extensions"]:
        kept["extensions"] = message["extensions"]
    kept.update({"kind": "message", "messageId": message["messageId"]})
    if isinstance(message.get("metadata"), dict) and message["metadata"]:
        kept["metadata"] = message["metadata"]
    kept["parts"] = [_part(p) for p in message["parts"]]
    if isinstance(message.get("referenceTaskIds"), list) and message["referenceTaskIds"]:
        kept["referenceTaskIds"] = message["referenceTaskIds"]
    kept.update({"role": message["role"], "taskId": task_id})
    return kept


def user_text(message: dict[str, Any]) -> str:
    """The message's text parts, one a line; without any, its data (one part's, or all of them as a list) as
    JSON, as Langflow's executor passes structured input to the flow."""
    parts = message["parts"]
    texts = [p["text"] for p in parts if p["kind"] == "text"]
    if texts:
        return "\n".join(texts)
    data = [p["data"] for p in parts if p["kind"] == "data"]
    if data:
        return json.dumps(data[0] if len(data) == 1 else data)
    return ""


def scope(flow_id: UUID, principal: UUID) -> str:
    return f"{flow_id}:{principal}"


# how often an SSE answer sends a keep-alive comment, events or not (sse-starlette's default ping, 15 s)
PING_SECONDS = 15.0
SSE_HEADERS = {"cache-control": "no-store", "connection": "keep-alive", "x-accel-buffering": "no"}


def state_name(state: str) -> str:
    """A task state as the SDK's protobuf enum names it ("TASK_STATE_COMPLETED")."""
    return "TASK_STATE_" + state.upper().replace("-", "_")


def _params(body: dict[str, Any]) -> dict[str, Any]:
    if rpc_id(body) is None:
        raise invalid_request("a 0.3 request must have an id")
    params = body.get("params")
    if not isinstance(params, dict):
        raise invalid_request("params must be an object")
    return params


def _task_id_param(body: dict[str, Any]) -> str:
    task_id = _params(body).get("id")
    if not isinstance(task_id, str):
        raise invalid_request("params.id must be a string")
    return task_id


class LiveTask:
    """A task whose run goes on in this process: its task as it is now, and the results message/stream sends
    for it so far (the submitted task, then status and artifact updates), which a resubscribe follows too.
    Process state, as the a2a SDK's active tasks are; each change is saved to the task's row."""

    def __init__(self, state: AppState, owner: str, task: dict[str, Any], context_id: str | None = None) -> None:
        self.state, self.owner, self.task = state, owner, task
        # the contextId its events carry: the task's, or (a message answering a parked task without one) the one
        # the SDK's request context made for that message, which its executor's updates use
        self.context_id = context_id or task["contextId"]
        self.parked = False  # its run waits for a person (input-required): the SDK keeps its active task
        self.events: list[dict[str, Any]] = []
        self.closed = False  # the run's producer is done: no more events
        self.dropped = False  # a scripted disconnect: the connection drops rather than answer
        self.ended: dict[str, Any] | None = None  # the task when it first reached a state that ends it
        self.stopping = False  # the server shuts down: the run stops with nothing more sent or saved
        self.settled = asyncio.Event()
        self.producer: asyncio.Task[None] | None = None
        self.pusher: asyncio.Task[None] | None = None  # POSTs the events to the task's webhooks
        self._outbox: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        self._signal = asyncio.Event()

    @property
    def key(self) -> tuple[str, str]:
        return self.task["id"], self.owner

    def emit(self, result: dict[str, Any]) -> None:
        self.events.append(result)
        self._signal.set()
        self._signal = asyncio.Event()
        configs = self.state.store.a2a.push_configs(self.task["id"])
        if configs:  # the task's webhooks, whoever set them (the SDK's dispatch reads every owner's)
            self._outbox.append((push.v1_event(result), configs))
            if self.pusher is None or self.pusher.done():
                self.pusher = asyncio.get_running_loop().create_task(self._push())

    async def _push(self) -> None:
        """POST each event to the task's webhooks, one event after the other, as the SDK's consumer does."""
        allow = self.state.settings.a2a_allow_private_webhooks
        while self._outbox:
            payload, configs = self._outbox.pop(0)
            await asyncio.gather(*(push.deliver(c, payload, allow_private=allow) for c in configs))

    def set_status(self, state_: str, message: dict[str, Any] | None = None, *, create: bool = False) -> None:
        """A status update: the task takes it (and is saved) and every follower gets it; final when it ends. The
        status message it replaces goes to the task's history, as the SDK's task manager keeps it."""
        status: dict[str, Any] = {"message": message} if message is not None else {}
        status.update({"state": state_, "timestamp": timestamp(self.state)})
        self.task = ordered({**self.task, "history": self.history(), "status": status})
        if not self.task["history"]:
            del self.task["history"]
        self.state.store.a2a.save(self.owner, self.task, create=create)
        final = state_ in TERMINAL_STATES
        self.emit({"contextId": self.context_id, "final": final, "kind": "status-update", "status": status,
                   "taskId": self.task["id"]})
        if final and self.ended is None:
            self.ended = copy.deepcopy(self.task)
            self.settled.set()

    def history(self, *sent: dict[str, Any]) -> list[dict[str, Any]]:
        """The task's history with its status message moved into it, then `sent`."""
        moved = [self.task["status"]["message"]] if "message" in self.task["status"] else []
        return [*self.task.get("history", []), *moved, *sent]

    def add_artifact(self, parts: list[dict[str, Any]]) -> None:
        """The answer as the task's one artifact "result", sent whole (1.13 runs the flow to its end first: no
        chunks)."""
        artifact = {"artifactId": str(self.state.ids.uuid()), "name": "result", "parts": parts}
        self.task = ordered({"artifacts": [artifact], **self.task})
        self.emit({"append": False, "artifact": artifact, "contextId": self.context_id,
                   "kind": "artifact-update", "lastChunk": False, "taskId": self.task["id"]})

    def close(self) -> None:
        """No more events: its followers' streams end. A parked task stays in the registry (what a cancel
        reaches in this process) until it is answered or canceled."""
        if self.closed:
            return
        self.closed = True
        self.settled.set()
        self._signal.set()
        if self.state.a2a_live.get(self.key) is self and not self.parked:
            del self.state.a2a_live[self.key]

    def forget(self) -> None:
        if self.state.a2a_live.get(self.key) is self:
            del self.state.a2a_live[self.key]

    async def follow(self, start: int = 0) -> AsyncIterator[dict[str, Any]]:
        """The results from the `start`th on, as they come, until the producer is done."""
        index = start
        while True:
            signal = self._signal
            if index < len(self.events):
                index += 1
                yield self.events[index - 1]
            elif self.closed:
                return
            else:
                await signal.wait()


async def produce(live: LiveTask, run: RunRequest, refused: bool, checkpoint: dict[str, Any] | None = None) -> None:
    """The executor's part: run the flow, then the answer as the artifact and "completed", or "failed" with
    Langflow's generic text (the run's own error is never shown to an A2A caller). A run that pauses for a person
    parks the task (park). `checkpoint`: a parked task's, which the run (its answer) goes on from. A tasks/cancel
    stops the run where it waits; on the way out the executor sends "canceled" once more, as 1.13's does."""
    state = live.state
    task_id = live.task["id"]
    try:
        try:
            if refused:
                raise RunError(errors.A2A_FLOW_FAILED)
            if checkpoint is not None and not answered(live, run, checkpoint):
                return
            result = await state.runner.run(run, logging_builds(state, run)(Observer()))
            # a number no double holds fails the answer's part, and 1.13 the task
            parts = answer_parts(result, (checkpoint or {}).get("outputs"))
        except Paused as pause:
            park(live, run, pause, (checkpoint or {}).get("outputs") or {})
        except Disconnect:
            live.dropped = True
            live.set_status("failed", agent_message(state, task_id, live.context_id, errors.A2A_FLOW_FAILED))
        except Exception:  # noqa: BLE001 - as 1.13's executor: whatever breaks the run is a failed task
            live.set_status("failed", agent_message(state, task_id, live.context_id, errors.A2A_FLOW_FAILED))
        else:
            live.add_artifact(parts)
            live.set_status("completed")
    except asyncio.CancelledError:
        if not live.stopping:
            live.set_status("canceled")
        raise
    finally:
        live.close()


def park(live: LiveTask, run: RunRequest, pause: Paused, earlier: dict[str, Any]) -> None:
    """1.13's A2A run paused at a Human Input node (its sync executor is given a checkpoint store): what it goes on
    from is kept with the task (the graph, what was built, the decisions, the request, a paused Agent's model
    reply; the terminal outputs built so far), and the task waits for a person: "input-required", its status
    message the request's prompt."""
    live.state.store.a2a.park(live.owner, live.task["id"], {
        **pause_checkpoint(pause, run.data, earlier), "session_id": run.session_id, "run_id": str(run.run_id),
        "request": pause.request})
    wait_for_person(live, pause.request)


def wait_for_person(live: LiveTask, request: dict[str, Any]) -> None:
    """The task waits for a person: "input-required", its status message the request's prompt."""
    live.parked = True
    prompt = request.get("prompt") or errors.A2A_INPUT_REQUIRED
    live.set_status(INPUT_REQUIRED, agent_message(live.state, live.task["id"], live.context_id, prompt))


def chosen_action(text: str, pending: dict[str, Any]) -> str | None:
    """The action a person's answer picks, as 1.13 reads it: the answer as an action id (trimmed, lower case,
    spaces as underscores) the request allows, else an option whose label it is (trimmed, any case)."""
    allowed = pending.get("allowed_decisions") or []
    candidate = action_id(text)
    if candidate in allowed:
        return candidate
    for option in pending.get("options") or []:
        if isinstance(option, dict) and str(option.get("label", "")).strip().lower() == text.strip().lower():
            return option.get("action_id")
    return None


def answered(live: LiveTask, run: RunRequest, checkpoint: dict[str, Any]) -> bool:
    """A message on a parked task is the person's decision (1.13's _resume_flow): one that picks no allowed action
    parks the task again with the same request; else the decision (a late one to the fallback branch, or to none)
    goes into the run, which goes on from the pause once it took the checkpoint (one answer runs the branch)."""
    state = live.state
    pending = checkpoint.get("request") or {}
    text = run.input_value or ""
    picked = chosen_action(text, pending)
    if pending.get("allowed_decisions") and picked is None:
        wait_for_person(live, pending)
        return False
    decision = rerouted(pending, {"action_id": picked or action_id(text), "values": {}}, state.clock.now())
    run.resume = Resumed.going_on(checkpoint, str(pending.get("request_id")), decision)
    run.input_value = None  # the restored graph runs with no input: its Chat Input was built before the pause
    run.memory_capture = "never"  # 1.13's resume runs the graph itself, without the sync executor's capture
    # an answer that lost the checkpoint to another leaves the task to that one: nothing more is sent
    return state.store.a2a.claim_checkpoint(live.owner, live.task["id"])


async def stop_live_tasks(state: AppState) -> None:
    """At shutdown: the runs still going on stop where they are, their tasks left as saved ("working"), as
    1.13's handler drains its active tasks, their queues closed before anything more is saved."""
    lives = list(state.a2a_live.values())
    for live in lives:
        live.stopping = True
        if live.parked:  # a task waiting for a person has no run going on: its active task goes too
            live.forget()
    running = [task for live in lives for task in (live.producer, live.pusher) if task is not None]
    for task in running:
        task.cancel()
    if running:
        await asyncio.wait(running)


def flow_run(state: AppState, flow: FlowRow, principal: UUID, text: str, session_id: str, data: Any,
             run_id: UUID) -> tuple[RunRequest, bool]:
    """The run of an A2A message (1.13 runs it with the v2 sync executor, given a checkpoint store: a Human Input
    node pauses it rather than being refused or run through), and whether 1.13 refuses to run it."""
    target = RunTarget(id=flow.id, user_id=flow.user_id, name=flow.name, endpoint_name=flow.endpoint_name, data=data)
    asked = SimplifiedAPIRequest(input_value=text, input_type="chat", output_type="chat", session_id=session_id)
    # Langflow runs it with no HTTP request: a caller's X-LANGFLOW-GLOBAL-VAR-* headers reach no flow
    run = replace(run_request(state, target, asked, flow.user_id or principal, {}, {}), refuse_hitl=False,
                  pauses=state.profile.run.human_input, run_id=run_id)
    refused = False
    if principal == PUBLIC_PRINCIPAL:  # a visitor: the server's code without secrets, as its anonymous user
        served = visitor_graph(data)
        refused = served is None  # 1.13 will not run it for a visitor: the task fails
        run = replace(run, data=served, anonymous=True, variable_fields=state.variable_fields(None),
                      memory_capture="never")
    return run, refused


def run_id_for(state: AppState, task_id: str) -> UUID:
    """The run's id: the task's, when that is a UUID (1.13's job id), else a new one."""
    try:
        return UUID(task_id)
    except ValueError:
        return state.ids.uuid()


def start_task(state: AppState, flow: FlowRow, principal: UUID, sent: dict[str, Any], task_id: str,
               context_id: str) -> LiveTask:
    """Submit the task and set its run going: the submitted task and "working" are sent at once, the rest as
    the run goes."""
    run, refused = flow_run(state, flow, principal, user_text(sent), session_for(principal, flow.id, context_id),
                            flow.data, run_id_for(state, task_id))
    submitted = {"contextId": context_id, "id": task_id, "kind": "task", "status": {"state": "submitted"}}
    live = LiveTask(state, scope(flow.id, principal), submitted)
    state.a2a_live[live.key] = live
    live.emit(copy.deepcopy(submitted))
    live.set_status("working", create=True)
    live.producer = asyncio.get_running_loop().create_task(produce(live, run, refused))
    return live


def resume_task(state: AppState, flow: FlowRow, principal: UUID, sent: dict[str, Any],
                stored: dict[str, Any]) -> LiveTask:
    """A message on a task waiting for a person: its answer. As 1.13's executor takes it, no task is submitted:
    the task takes the message (after its status message) into its history and goes back to "working", then the
    run goes on from its checkpoint (a2a/rpc.py answered) or the task fails when it has none."""
    owner = scope(flow.id, principal)
    parked = state.a2a_live.get((stored["id"], owner))
    if parked is not None:
        parked.forget()
    live = LiveTask(state, owner, stored, sent["contextId"])
    live.task = ordered({**stored, "history": live.history(sent), "status": {
        k: v for k, v in stored["status"].items() if k != "message"}})
    state.a2a_live[live.key] = live
    checkpoint = state.store.a2a.checkpoint(owner, stored["id"]) or {}
    run, refused = flow_run(state, flow, principal, user_text(sent), checkpoint.get("session_id") or "",
                            checkpoint.get("graph") or flow.data, run_id_for(state, str(checkpoint.get("run_id"))))
    live.set_status("working")
    # a task parked without a checkpoint (none kept, or a restart lost it): 1.13's resume fails it
    live.producer = asyncio.get_running_loop().create_task(
        produce(live, run, refused or not checkpoint, checkpoint or None))
    return live


def follow_up(state: AppState, owner: str, task_id: str,
              context_id: str | None) -> tuple[LiveTask | None, dict[str, Any]]:
    """A message naming a task: a task of this flow and caller whose contextId it keeps, and that has not ended.
    While its run goes on, the message reaches that run (nothing new runs: its answer is that run's); the live
    task, and the task as stored."""
    stored = state.store.a2a.load(owner, task_id)
    if stored is None:
        raise RpcError(TASK_NOT_FOUND, errors.A2A_TASK_ID_NOT_FOUND.format(task_id=task_id), null_data=True)
    if context_id and stored["contextId"] != context_id:
        raise RpcError(INVALID_PARAMS, errors.A2A_CONTEXT_MISMATCH.format(
            context_id=context_id, task_context=stored["contextId"], task_id=task_id), null_data=True)
    live = state.a2a_live.get((task_id, owner))
    if live is None and stored["status"]["state"] in TERMINAL_STATES:
        raise RpcError(UNSUPPORTED_OPERATION, errors.A2A_TASK_ENDED.format(
            task_id=task_id, state=state_name(stored["status"]["state"])), null_data=True)
    return live, stored


def begin(state: AppState, flow: FlowRow, principal: UUID, body: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """What a message/send or message/stream does first: its message and configuration (with its webhook)
    checked (an Invalid Request, before anything); the configuration as read, and what finds the task the
    message goes to (a follow-up's errors come from it, and a webhook's refusal), its webhook set for it."""
    sent, asked_task, asked_context = submitted_message(state, body)
    configuration = message_configuration(body["params"])
    webhook = configuration.get("pushNotificationConfig")
    if webhook is not None:
        webhook = push_config(webhook)

    async def task() -> tuple[LiveTask, int]:
        check_history_length(configuration.get("historyLength"))
        owner = scope(flow.id, principal)
        live, stored = follow_up(state, owner, asked_task, asked_context) if asked_task else (None, None)
        if webhook is not None:
            await set_push_config(state, owner, sent["taskId"], webhook)
        if live is not None and not live.closed:
            return live, len(live.events)
        if stored is not None and stored["status"]["state"] == INPUT_REQUIRED:
            return resume_task(state, flow, principal, sent, stored), 0
        # a task whose run was lost (a restart): the message runs it again
        context_id = stored["contextId"] if stored is not None else sent["contextId"]
        return start_task(state, flow, principal, sent, sent["taskId"], context_id), 0

    return configuration, task


def message_configuration(params: dict[str, Any]) -> dict[str, Any]:
    """A message's configuration as the SDK's MessageSendConfiguration reads it (an Invalid Request for one of
    the wrong type), its blocking and historyLength as the model makes them."""
    configuration = lax(dict[str, Any], params.get("configuration"), "params.configuration") or {}
    lax(list[str], configuration.get("acceptedOutputModes"), "params.configuration.acceptedOutputModes")
    return {**configuration,
            "blocking": lax(bool, configuration.get("blocking"), "params.configuration.blocking"),
            "historyLength": lax(int, configuration.get("historyLength"), "params.configuration.historyLength")}


def submitted_message(state: AppState, body: dict[str, Any]) -> tuple[dict[str, Any], str | None, str | None]:
    """The message of a message/send or message/stream, checked as the SDK's 0.3 request model checks it (an
    Invalid Request otherwise), with the task's and context's ids (new ones when it names none), and the task
    and context it names."""
    params = _params(body)
    message = params.get("message")
    lax(dict[str, Any], params.get("metadata"), "params.metadata")
    asked_task = message.get("taskId") if isinstance(message, dict) else None
    asked_context = message.get("contextId") if isinstance(message, dict) else None
    if isinstance(message, dict):  # the SDK's Message: the ids are strings when set
        lax(str, asked_task, "params.message.taskId")
        lax(str, asked_context, "params.message.contextId")
    task_id = str(asked_task) if asked_task else str(state.ids.uuid())
    sent = user_message(message, task_id, str(asked_context or state.ids.uuid()))
    return sent, str(asked_task) if asked_task else None, str(asked_context) if asked_context else None


async def message_send(state: AppState, flow: FlowRow, principal: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Run the flow on the message's text in the session of its contextId (a new one without) and answer the
    task once its run has ended or waits for a person (with `configuration.blocking` false, at once: the task as
    submitted, its run going on). A new task keeps no history: 1.13's executor submits its task before the SDK
    files the message under it (an answer to a task waiting for a person is filed: resume_task)."""
    configuration, task = begin(state, flow, principal, body)
    live, start = await task()
    length = configuration["historyLength"]
    if configuration["blocking"] is False:
        # not blocking (the SDK's return_immediately): the task as first sent (an answer to a task waiting for
        # a person: the task as its first update left it), its run going on
        first = live.events[start] if start < len(live.events) else None
        return trimmed(copy.deepcopy(first if first is not None and first["kind"] == "task" else live.task), length)
    await live.settled.wait()
    if live.dropped:
        raise errors.DropConnection()
    return trimmed(copy.deepcopy(live.ended if live.ended is not None else live.task), length)


def trimmed(task: dict[str, Any], length: Any) -> dict[str, Any]:
    """The task with only the last `length` messages of its history, as the SDK answers a historyLength above 0
    (the 0.3 adapter takes 0 as none asked for)."""
    if isinstance(length, int) and length > 0 and len(task.get("history", [])) > length:
        task["history"] = task["history"][-length:]
    return task


def sse_frame(content: dict[str, Any]) -> bytes:
    return b"data: " + json_body(content) + b"\r\n\r\n"


def event_stream(request_id: Any, events: AsyncIterator[dict[str, Any]]) -> StreamingResponse:
    """An SSE answer as the a2a SDK sends one (sse-starlette): each result a JSON-RPC response in a `data:`
    frame, a ping comment every 15 s; an error met on the way is the last frame, as the SDK's 0.3
    adapter words it: code -32603 with the error's text."""

    async def body() -> AsyncIterator[bytes]:
        pending: asyncio.Task[dict[str, Any]] | None = None
        iterator = aiter(events)
        loop = asyncio.get_running_loop()
        next_ping = loop.time() + PING_SECONDS
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(anext(iterator))
                done, _ = await asyncio.wait({pending}, timeout=max(next_ping - loop.time(), 0))
                if not done:
                    next_ping += PING_SECONDS
                    yield f": ping - {datetime.now(UTC)}\r\n\r\n".encode()
                    continue
                try:
                    result = pending.result()
                except StopAsyncIteration:
                    return
                finally:
                    pending = None
                yield sse_frame({"id": request_id, "jsonrpc": "2.0", "result": result})
        except RpcError as exc:
            yield sse_frame({"error": {"code": INTERNAL_ERROR, "message": exc.message}, "id": request_id,
                             "jsonrpc": "2.0"})
        finally:
            if pending is not None:
                pending.cancel()

    return StreamingResponse(body(), media_type=EVENT_STREAM, headers=SSE_HEADERS)


def message_stream(state: AppState, flow: FlowRow, principal: UUID, body: dict[str, Any]) -> StreamingResponse:
    """message/send's run, answered as it goes: the submitted task, "working", the artifact, then the final
    status (`final: true`); a message on a task whose run goes on follows that run from where it is."""
    _configuration, task = begin(state, flow, principal, body)

    async def results() -> AsyncIterator[dict[str, Any]]:
        live, start = await task()
        async for result in live.follow(start):
            yield result
        if live.dropped:
            raise errors.DropConnection()

    return event_stream(rpc_id(body), results())


def tasks_resubscribe(state: AppState, flow: FlowRow, principal: UUID, body: dict[str, Any]) -> StreamingResponse:
    """Follow a task whose run goes on in this process: the task as it is now, then the results still to
    come. Any other task (ended, or its run gone with a restart) is refused, as 1.13 refuses it rather than
    wait forever: the refusal is the stream's one frame."""
    task_id = _task_id_param(body)
    owner = scope(flow.id, principal)

    async def results() -> AsyncIterator[dict[str, Any]]:
        stored = state.store.a2a.load(owner, task_id)
        if stored is None:
            raise RpcError(TASK_NOT_FOUND, errors.A2A_TASK_NOT_FOUND)
        live = state.a2a_live.get((task_id, owner))
        if stored["status"]["state"] != "working" or live is None or live.closed:
            raise RpcError(UNSUPPORTED_OPERATION, errors.A2A_NO_ACTIVE_STREAM.format(task_id=task_id))
        start = len(live.events)
        yield copy.deepcopy(live.task)
        async for result in live.follow(start):
            yield result

    return event_stream(rpc_id(body), results())


async def tasks_cancel(state: AppState, flow: FlowRow, principal: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Cancel a task of this flow and caller that has not ended: a run going on is stopped ("canceled" sent to
    its followers, the answer the canceled task); a task without one (its run gone with a restart) is written
    canceled as it stands. An ended task cannot be canceled."""
    task_id = _task_id_param(body)
    owner = scope(flow.id, principal)
    stored = state.store.a2a.load(owner, task_id)
    if stored is None:
        raise RpcError(TASK_NOT_FOUND, errors.A2A_TASK_NOT_FOUND, null_data=True)
    if stored["status"]["state"] in TERMINAL_STATES:
        raise RpcError(TASK_NOT_CANCELABLE, errors.A2A_TASK_NOT_CANCELABLE, null_data=True)
    live = state.a2a_live.get((task_id, owner))
    # the checkpoint of a task waiting for a person goes (1.13's cancel deletes it whatever the task's state)
    state.store.a2a.claim_checkpoint(owner, task_id)
    if live is not None and live.parked:
        # a task waiting for a person in this process: the SDK's active task runs the executor's cancel, a
        # "canceled" update (its prompt moving to the history) sent once, as no run goes on
        live.parked, live.context_id = False, stored["contextId"]
        live.set_status("canceled")
        live.forget()
        return copy.deepcopy(live.task)
    if live is None or live.closed:
        # no active task (a restart): the SDK writes the task canceled as it stands
        stored["status"] = {**stored["status"], "state": "canceled"}
        state.store.a2a.save(owner, stored)
        return stored
    live.set_status("canceled")  # the executor's cancel, sent before its run is stopped
    answer = copy.deepcopy(live.task)
    if live.producer is not None:
        live.producer.cancel()
        await asyncio.wait({live.producer})
    live.close()
    return answer


def check_history_length(length: Any) -> None:
    """The SDK refuses a negative historyLength (which, the tasks keeping no history, is all it could change)."""
    if isinstance(length, int) and not isinstance(length, bool) and length < 0:
        raise RpcError(INVALID_PARAMS, errors.A2A_NEGATIVE_HISTORY_LENGTH, null_data=True)


def tasks_get(state: AppState, flow: FlowRow, principal: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """A task of this flow and caller, as it is now (a run going on shows "working")."""
    task_id = _task_id_param(body)
    check_history_length(lax(int, body["params"].get("historyLength"), "params.historyLength"))
    lax(dict[str, Any], body["params"].get("metadata"), "params.metadata")
    task = state.store.a2a.load(scope(flow.id, principal), task_id)
    if task is None:
        raise RpcError(TASK_NOT_FOUND, errors.A2A_TASK_NOT_FOUND, null_data=True)
    return trimmed(task, lax(int, body["params"].get("historyLength"), "params.historyLength"))


# --- push notification configs ------------------------------------------------------------------------


def push_config(value: Any) -> dict[str, Any]:
    """A PushNotificationConfig as the SDK keeps it (its keys in order, one authentication scheme: protocol 1.0
    has one), checked as its 0.3 request model checks it (an Invalid Request otherwise)."""
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        raise invalid_request("a pushNotificationConfig has a url")
    kept: dict[str, Any] = {}
    authentication = value.get("authentication")
    if authentication is not None:
        schemes = authentication.get("schemes") if isinstance(authentication, dict) else None
        if not isinstance(schemes, list) or not all(isinstance(s, str) for s in schemes):
            raise invalid_request("an authentication has a list of schemes")
        credentials = authentication.get("credentials")
        if credentials is not None and not isinstance(credentials, str):
            raise invalid_request("an authentication's credentials are a string")
        shown = {"credentials": credentials} if credentials else {}
        if schemes and schemes[0]:
            shown["schemes"] = schemes[:1]
        if shown:
            kept["authentication"] = shown
    for key in ("id", "token"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise invalid_request(f"a pushNotificationConfig's {key} is a string")
    if value.get("id"):
        kept["id"] = value["id"]
    if value.get("token"):
        kept["token"] = value["token"]
    kept["url"] = value["url"]
    return kept


async def set_push_config(state: AppState, owner: str, task_id: str, config: dict[str, Any]) -> dict[str, Any]:
    """Keep the config for the task (its id the task's when it has none), in place of one with its id; a webhook
    1.13 refuses is a -32602 with its reason."""
    refusal = await push.webhook_refusal(config["url"], allow_private=state.settings.a2a_allow_private_webhooks)
    if refusal is not None:
        raise RpcError(INVALID_PARAMS, refusal, null_data=True)
    kept = dict(config)
    if "id" not in kept:
        kept = {**({"authentication": kept["authentication"]} if "authentication" in kept else {}),
                "id": task_id, **{k: v for k, v in kept.items() if k != "authentication"}}
    state.store.a2a.set_push_config(owner, task_id, kept)
    return kept


def _push_task(state: AppState, owner: str, task_id: Any) -> str:
    """The task a push config call names: a string (an Invalid Request otherwise) naming a task of this flow and
    caller (-32001 otherwise)."""
    if not isinstance(task_id, str):
        raise invalid_request("the task's id must be a string")
    if state.store.a2a.load(owner, task_id) is None:
        raise RpcError(TASK_NOT_FOUND, errors.A2A_TASK_NOT_FOUND, null_data=True)
    return task_id


async def push_config_method(state: AppState, flow: FlowRow, principal: UUID, method: str,
                             body: dict[str, Any]) -> Any:
    """tasks/pushNotificationConfig/set, get, list and delete, on a task of this flow and caller."""
    params = _params(body)
    owner = scope(flow.id, principal)
    if method == "set":
        config = push_config(params.get("pushNotificationConfig"))
        task_id = _push_task(state, owner, params.get("taskId"))
        return {"pushNotificationConfig": await set_push_config(state, owner, task_id, config), "taskId": task_id}
    config_id = params.get("pushNotificationConfigId")
    if config_id is not None and not isinstance(config_id, str):
        raise invalid_request("pushNotificationConfigId must be a string")
    if method == "delete" and config_id is None:
        raise invalid_request("params.pushNotificationConfigId is required")
    if method == "get" and not config_id:  # the 1.0 request it becomes needs the config's id
        if not isinstance(params.get("id"), str):
            raise invalid_request("params.id must be a string")
        raise RpcError(INVALID_PARAMS, errors.A2A_VALIDATION_FAILED, null_data=True)
    task_id = _push_task(state, owner, params.get("id"))
    configs = state.store.a2a.push_configs(task_id, owner)
    if method == "list":
        return [{"pushNotificationConfig": c, "taskId": task_id} for c in configs]
    if method == "get":
        found = next((c for c in configs if c["id"] == config_id), None)
        if found is None:
            raise RpcError(TASK_NOT_FOUND, errors.A2A_TASK_NOT_FOUND, null_data=True)
        return {"pushNotificationConfig": found, "taskId": task_id}
    state.store.a2a.delete_push_config(owner, task_id, config_id)
    return None


PUSH_METHODS = {f"tasks/pushNotificationConfig/{name}": name for name in ("set", "get", "list", "delete")}


def rpc_id(body: Any) -> str | int | None:
    """A JSON-RPC request's id as the SDK takes it: text or a whole number (not a boolean), else none."""
    found = body.get("id") if isinstance(body, dict) else None
    return found if isinstance(found, str | int) and not isinstance(found, bool) else None


def envelope(body: Any) -> str:
    """The method of a JSON-RPC 2.0 request, checked as the SDK's dispatcher checks it."""
    if isinstance(body, list):
        raise RpcError(INVALID_REQUEST, errors.A2A_BATCH_UNSUPPORTED)
    if not isinstance(body, dict) or body.get("jsonrpc") != "2.0" or not isinstance(body.get("method"), str):
        raise RpcError(INVALID_REQUEST, errors.A2A_INVALID_REQUEST,
                       {"parseError": "a JSON-RPC 2.0 request has jsonrpc \"2.0\" and a string method"})
    if not body["method"]:
        raise RpcError(INVALID_REQUEST, errors.A2A_METHOD_REQUIRED)
    return str(body["method"])


async def dispatch(state: AppState, request: Request, flow: FlowRow, principal: UUID) -> Response:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except UnicodeDecodeError as exc:  # not JSON's own error: the dispatcher's catch-all answers it
        return rpc_error(None, RpcError(INTERNAL_ERROR, str(exc)))
    except ValueError as exc:
        return rpc_error(None, RpcError(PARSE_ERROR, str(exc)))
    request_id = rpc_id(body)
    try:
        method = envelope(body)
        if method == "message/send":
            result = await message_send(state, flow, principal, body)
        elif method == "message/stream":
            return message_stream(state, flow, principal, body)
        elif method == "tasks/resubscribe":
            return tasks_resubscribe(state, flow, principal, body)
        elif method == "tasks/get":
            result = tasks_get(state, flow, principal, body)
        elif method == "tasks/cancel":
            result = await tasks_cancel(state, flow, principal, body)
        elif method in PUSH_METHODS:
            result = await push_config_method(state, flow, principal, PUSH_METHODS[method], body)
            if result is None:  # a delete: the SDK leaves the null result out
                return json_response({"id": request_id, "jsonrpc": "2.0"})
        else:
            raise RpcError(METHOD_NOT_FOUND, errors.A2A_METHOD_NOT_FOUND)
    except RpcError as exc:
        return rpc_error(request_id, exc)
    return json_response({"id": request_id, "jsonrpc": "2.0", "result": result})



async def a2a_jsonrpc(flow_id: UUID, request: Request) -> Response:
    """POST /a2a/{flow_id}/jsonrpc's work: gated as the flow's card (404), then by its project's auth; JSON-RPC
    errors come with status 200."""
    await a2a_on(request)
    state = app_state(request)
    flow = published(state, flow_id)
    principal = admitted(state, flow, request)
    return await dispatch(state, request, flow, principal)
