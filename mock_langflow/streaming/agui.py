"""The AG-UI protocol of Langflow 1.13's v2 Workflow API (stream_protocol "agui"): a v2 job's events, as the mock
keeps them (Langflow's build-event shapes), translated the way lfx's AGUITranslator and agui adapter do, for a live
stream, a background run's live attach and its replay."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from mock_langflow.engine.hitl import HUMAN_INPUT_REQUIRED
from mock_langflow.state import AppState
from mock_langflow.store.models import JobRow
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import sse_frame


def compact(data: dict[str, Any]) -> str:
    """An AG-UI event as 1.13 writes it (the event model's model_dump_json): compact, non-ASCII text as it is."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


# the AG-UI events 1.13's agui adapter stores for a background run (is_durable); the others, such as a message's
# TEXT_MESSAGE_CONTENT delta, go to attached clients only
AGUI_DURABLE = frozenset({"RUN_STARTED", "RUN_FINISHED", "RUN_ERROR", "STEP_STARTED", "STEP_FINISHED",
                          "TEXT_MESSAGE_START", "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS",
                          "TOOL_CALL_END", "STATE_SNAPSHOT", "STATE_DELTA", "CUSTOM"})


# a v1 event the graph-state stream mirrors as a CUSTOM `langflow.event` before its own AG-UI events: the
# conversation in its v1 shape, which 1.13's playground reads
SIDE_CHANNEL = frozenset({events.ADD_MESSAGE, events.TOKEN, events.REMOVE_MESSAGE, events.ERROR, events.END})
# content blocks AG-UI has no primitive for: CUSTOM `langflow.content.<type>` events
CONTENT_TYPES = frozenset({"json", "code", "media", "error"})
_LEAF_KINDS = {"tool_use": "tool", **dict.fromkeys(CONTENT_TYPES, "content")}  # how a leaf's events are keyed


def _custom(name: str, value: Any) -> dict[str, Any]:
    return {"type": "CUSTOM", "name": name, "value": value}


def _node(node_id: str, status: str, output: Any) -> dict[str, Any]:
    """The JSON patch op that writes a node's state (`add`: create or replace)."""
    return {"op": "add", "path": f"/nodes/{node_id}", "value": {"status": status, "output": output}}


def _opened(message_id: str) -> dict[str, Any]:
    return {"type": "TEXT_MESSAGE_START", "messageId": message_id, "role": "assistant"}


def _delta(message_id: str, text: str) -> dict[str, Any]:
    return {"type": "TEXT_MESSAGE_CONTENT", "messageId": message_id, "delta": text}


def _text_trio(message_id: str, text: str) -> list[dict[str, Any]]:
    return [_opened(message_id), _delta(message_id, text), {"type": "TEXT_MESSAGE_END", "messageId": message_id}]


@dataclass
class _Waiting:
    """A message that cannot take the wire yet (another one is open): its tokens so far, or its final text."""

    chunks: list[str] = field(default_factory=list)
    final: str | None = None

    @property
    def text(self) -> str:
        return self.final if self.final is not None else "".join(self.chunks)


class AguiRun:
    """One run's AG-UI events, translated from its v1 events as 1.13's AGUITranslator does.

    The conversation: an AI message is TEXT_MESSAGE_START/CONTENT/END, opened by its first token or by a final
    (not partial) add_message with text, closed by its final add_message (or the run's `end` or `error`); one
    message is open at a time, the others wait and follow in order. An Agent's tool calls are TOOL_CALL_* events,
    json/code/media/error blocks CUSTOM `langflow.content.<type>`, a removed message CUSTOM
    `langflow.message.removed`. An `error` is RUN_ERROR (with the solutions its error blocks suggest) and ends
    nothing: a run whose component failed still finishes (RUN_FINISHED at its `end`). A pause for a person is a
    CUSTOM `langflow.human_input_required` carrying the request and ends the run's part: its resumed part is a new
    translation (RUN_STARTED again). A stop's `{"type": "cancelled"}` is the background runner's own mark, kept as
    it is whatever the protocol.

    With graph state (expose_graph_state), also the graph: a STATE_SNAPSHOT of no nodes as the run starts, then one
    of every node to run (pending); a node's build STEP_STARTED and a `running` STATE_DELTA, its end STEP_FINISHED
    and a STATE_DELTA of its status (success or error) and output (its build data), and of the nodes its branch
    switched off (inactive, once until they run again); a component's log CUSTOM `langflow.log`; and each message,
    token, removal, error and the end mirrored first as CUSTOM `langflow.event` ({event_type, data})."""

    def __init__(self, thread: str, run: str, *, graph_state: bool) -> None:
        self.thread, self.run, self.graph_state = thread, run, graph_state
        self.started = False  # a part of the run is open (RUN_STARTED sent, neither finished, paused nor stopped)
        self.errored = False
        self._reset()

    @classmethod
    def of(cls, job: JobRow) -> AguiRun:
        """The translation of a v2 job's events, with the graph state it was sent with (a job kept before that
        was: with it, as 1.13 reads a legacy job)."""
        return cls(job.session_id, str(job.id), graph_state=bool((job.request or {}).get("graph_state", True)))

    def _reset(self) -> None:
        self.open_message: str | None = None
        self.closed: set[str] = set()  # messages whose TEXT_MESSAGE_END went out (or that were removed)
        self.waiting: dict[str, _Waiting] = {}  # in the order they came
        self.called: set[str] = set()  # tool calls whose TOOL_CALL_START/ARGS/END went out
        self.answered: set[str] = set()  # and those whose TOOL_CALL_RESULT did
        self.shown: dict[str, str] = {}  # content blocks sent as CUSTOM events, by key: what they held
        self.inactive: set[str] = set()  # nodes last shown inactive

    def start(self) -> list[dict[str, Any]]:
        self.started, self.errored = True, False
        self._reset()
        out = [{"type": "RUN_STARTED", "threadId": self.thread, "runId": self.run}]
        return out + [{"type": "STATE_SNAPSHOT", "snapshot": {"nodes": {}}}] if self.graph_state else out

    def translate(self, event: str, payload: Any) -> list[dict[str, Any]]:
        """The AG-UI events of one of the job's events (a part not yet started starts first)."""
        if event in events.RUN_MARKS:
            self.started = False
            return [payload]
        out = [] if self.started else self.start()
        data = payload if isinstance(payload, dict) else {}
        if self.graph_state and event in SIDE_CHANNEL:
            out.append(_custom("langflow.event", {"event_type": event, "data": data}))
        if event == events.TOKEN:
            out += self._token(data)
        elif event == events.ADD_MESSAGE and data.get("sender") != "User":
            out += self._message(data)
        elif event == events.REMOVE_MESSAGE:
            removed = str(data.get("id") or "")
            if self.waiting.pop(removed, None) is not None:
                self.closed.add(removed)  # its late tokens are dropped too
            out.append(_custom("langflow.message.removed", {"message_id": removed}))
        elif event == "warning":
            out.append(_custom("langflow.warning", data))
        elif event == HUMAN_INPUT_REQUIRED:  # no message closed, no RUN_FINISHED: the run waits
            out.append(_custom("langflow.human_input_required", payload))
            self.started = False
        elif event == events.END:
            out += self._drain()
            out.append({"type": "RUN_FINISHED", "threadId": self.thread, "runId": self.run})
            self.started = False
        elif event == events.ERROR:
            out += self._drain()
            out.append(_run_error(data))
            self.errored = True
        elif self.graph_state:
            out += self._graph(event, data)
        return out

    def _graph(self, event: str, data: dict[str, Any]) -> list[dict[str, Any]]:
        """The graph-state events of a v1 event about the flow's nodes."""
        if event == events.VERTICES_SORTED:
            ids = data.get("to_run") or data.get("ids") or []
            return [{"type": "STATE_SNAPSHOT", "snapshot": {"nodes": {i: {"status": "pending", "output": None}
                                                                      for i in ids}}}]
        if event == events.BUILD_START and data.get("id"):  # the run's own build_start names no node
            node = str(data["id"])
            self.inactive.discard(node)
            return [{"type": "STEP_STARTED", "stepName": node},
                    {"type": "STATE_DELTA", "delta": [_node(node, "running", None)]}]
        if event == events.END_VERTEX:
            build = data.get("build_data") or {}
            if not build.get("id"):
                return []
            node = str(build["id"])
            self.inactive.discard(node)
            delta = [_node(node, "success" if build.get("valid") else "error", build.get("data"))]
            for off in build.get("inactivated_vertices") or []:
                if off not in self.inactive:  # a branch's switched-off nodes are reported on every later vertex
                    self.inactive.add(off)
                    delta.append(_node(off, "inactive", None))
            return [{"type": "STEP_FINISHED", "stepName": node}, {"type": "STATE_DELTA", "delta": delta}]
        if event == events.LOG:
            return [_custom("langflow.log", data)]
        return []

    def _token(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """A token opens its message (when no other one is open: else it waits) or goes on with it; a token of a
        closed message is dropped."""
        message_id = str(data.get("id") or "")
        if not message_id or message_id in self.closed:
            return []
        chunk = data.get("chunk", "")
        if self.open_message == message_id:
            return [_delta(message_id, chunk)]
        if self.open_message is None:
            self.open_message = message_id
            return [_opened(message_id), _delta(message_id, chunk)]
        waiting = self.waiting.setdefault(message_id, _Waiting())
        if waiting.final is None:
            waiting.chunks.append(chunk)
        return []

    def _message(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """An AI message's content blocks, then its text: a final add_message closes the open message it is, gives
        a waiting one its text, or sends a new one whole (or makes it wait); a partial one (an Agent's, mid-run)
        only adds blocks."""
        message_id = str(data.get("id") or "")
        out = self._blocks(message_id, data.get("content_blocks"))
        final = ((data.get("properties") or {}).get("state")) != "partial"
        if message_id and message_id == self.open_message:
            if final:
                out += self._close()
        elif message_id and message_id in self.waiting:
            if final:
                waiting = self.waiting[message_id]
                waiting.final = data.get("text") or waiting.text
        else:
            text = data.get("text") or ""
            if text and message_id and final and message_id not in self.closed:
                if self.open_message is None:
                    self.closed.add(message_id)
                    out += _text_trio(message_id, text)
                else:
                    self.waiting[message_id] = _Waiting(final=text)
        return out

    def _blocks(self, message_id: str, blocks: Any) -> list[dict[str, Any]]:
        """The AG-UI events of an announced message's content blocks, as 1.13's translator walks them: each block,
        then the leaves in its `contents` (an Agent's flat log has its leaves at the top). A tool call is keyed by
        its leaf's id, else by its rank among the message's tool_use leaves (what the mock's leaves have: lfx's
        agent log sets no id), a json/code/media/error leaf likewise among those, so that the repeated
        announcements of one message add only what is new (a custom leaf again once it changed)."""
        out: list[dict[str, Any]] = []
        rank = {"tool": 0, "content": 0}
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, dict):
                continue
            for leaf in [block, *(c for c in block.get("contents") or [] if isinstance(c, dict))]:
                kind = _LEAF_KINDS.get(str(leaf.get("type")))
                if kind is None:
                    continue
                key = f"{message_id}:{kind}:" + (f"id:{leaf['id']}" if leaf.get("id") else f"ord:{rank[kind]}")
                rank[kind] += 1
                out += self._tool_call(message_id, key, leaf) if kind == "tool" else self._content(
                    message_id, key, block, leaf)
        return out

    def _content(self, message_id: str, key: str, block: dict[str, Any], leaf: dict[str, Any]) -> list[dict[str, Any]]:
        """A json, code, media or error leaf as CUSTOM `langflow.content.<type>`, unless it was sent as it is."""
        held = json.dumps(leaf, sort_keys=True, default=str)
        if self.shown.get(key) == held:
            return []
        self.shown[key] = held
        return [_custom(f"langflow.content.{leaf['type']}",
                        {"message_id": message_id, "block_title": block.get("title"), "content": leaf})]

    def _tool_call(self, message_id: str, call: str, leaf: dict[str, Any]) -> list[dict[str, Any]]:
        """A tool_use leaf's call, once (its name, its input as json.dumps text), and what it gave back (its
        error, else its output: text as it is, anything else as json.dumps text) once it has some."""
        out: list[dict[str, Any]] = []
        if call not in self.called:
            self.called.add(call)
            args = leaf.get("tool_input")
            out += [{"type": "TOOL_CALL_START", "toolCallId": call, "toolCallName": leaf.get("name") or "tool",
                     "parentMessageId": message_id},
                    {"type": "TOOL_CALL_ARGS", "toolCallId": call,
                     "delta": json.dumps(leaf.get("input") if args is None else args)},
                    {"type": "TOOL_CALL_END", "toolCallId": call}]
        result = leaf.get("output") if leaf.get("error") is None else leaf.get("error")
        if call not in self.answered and result is not None:
            self.answered.add(call)
            out.append({"type": "TOOL_CALL_RESULT", "messageId": message_id, "toolCallId": call,
                        "content": result if isinstance(result, str) else json.dumps(result)})
        return out

    def _close(self) -> list[dict[str, Any]]:
        """The open message's TEXT_MESSAGE_END; the waiting messages then take the wire in turn."""
        if self.open_message is None:
            return []
        closed, self.open_message = self.open_message, None
        self.closed.add(closed)
        out = [{"type": "TEXT_MESSAGE_END", "messageId": closed}]
        while self.waiting and self.open_message is None:
            message_id = next(iter(self.waiting))
            waiting = self.waiting.pop(message_id)
            if message_id in self.closed:
                continue
            if waiting.final is not None:  # complete: sent whole (an empty one not at all)
                self.closed.add(message_id)
                out += _text_trio(message_id, waiting.final) if waiting.final else []
                continue
            self.open_message = message_id  # still streaming: what came so far, then its live tokens
            out += [_opened(message_id), *([_delta(message_id, waiting.text)] if waiting.text else [])]
        return out

    def _drain(self) -> list[dict[str, Any]]:
        """At the run's end or error: the open message closed, and every waiting one after it."""
        out = self._close()
        while self.open_message is not None:
            out += self._close()
        return out

    def finish(self) -> list[dict[str, Any]]:
        """After the job's last event: a part still open finishes, unless it failed as a whole (it ends at its
        RUN_ERROR)."""
        if not self.started or self.errored:
            return []
        self.started = False
        return [{"type": "RUN_FINISHED", "threadId": self.thread, "runId": self.run}]


def _run_error(data: dict[str, Any]) -> dict[str, Any]:
    """An `error` as RUN_ERROR: an error Message words it in `text`, the bare closing error in `error`; then the
    solutions its error blocks suggest (each once), and the first code one names. Never its traceback."""
    parts = [str(data.get("text") or data.get("error") or "Unknown error").strip()]
    code = None
    for block in data.get("content_blocks") or []:
        if not isinstance(block, dict):
            continue
        for leaf in [block, *(block.get("contents") or [])]:
            if not isinstance(leaf, dict) or leaf.get("type") != "error":
                continue
            solution = leaf.get("solution")
            if isinstance(solution, str) and solution.strip() and solution.strip() not in parts:
                parts.append(solution.strip())
            if code is None and isinstance(leaf.get("code"), str):
                code = leaf["code"]
    error = {"type": "RUN_ERROR", "message": "\n\n".join(parts)}
    return {**error, "code": code} if code is not None else error


async def agui_stream(state: AppState, job: JobRow, first_id: int) -> AsyncIterator[bytes]:
    """A live AG-UI stream: every event the translation makes, numbered one after another from `first_id`."""
    n = first_id
    run = AguiRun.of(job)

    def framed(out: list[dict[str, Any]]) -> Iterator[bytes]:
        nonlocal n
        for data in out:
            yield sse_frame(compact(data), event_id=n)
            n += 1

    for frame in framed(run.start()):
        yield frame
    async for row in state.jobs.follow(job.id):
        for frame in framed(run.translate(row.event, row.data)):
            yield frame
    for frame in framed(run.finish()):
        yield frame


def _stored(data: dict[str, Any]) -> str:
    """A stored AG-UI event as 1.13's replay writes it: json.dumps with compact separators (non-ASCII escaped,
    unlike the live frame's model dump)."""
    return json.dumps(data, separators=(",", ":"))


async def agui_replay(state: AppState, job: JobRow, *, last_id: int) -> AsyncIterator[bytes]:
    """A background AG-UI run's events, for GET /{job_id}/events, as 1.13 stores and replays them: its durable
    AG-UI events (AGUI_DURABLE and the stop's mark) numbered from 1, so that `last_id` counts them; the others
    (a message's TEXT_MESSAGE_CONTENT) only reach a client attached while they come, with the id of the last
    stored event before them. What was stored before the client came is replayed (ASCII-escaped JSON), what
    comes after goes out as the live stream writes it."""
    stored = state.store.jobs.events(job.id)
    live_after = stored[-1].seq if stored else -1  # rows up to here are replayed, later ones are live
    run = AguiRun.of(job)
    durable, live = 0, False
    async for row in state.jobs.follow(job.id):
        live = row.seq > live_after
        for data in run.translate(row.event, row.data):
            if data.get("type") not in AGUI_DURABLE and row.event not in events.RUN_MARKS:
                if live and durable >= last_id:
                    yield sse_frame(compact(data), event_id=durable)
                continue
            durable += 1
            if durable > last_id:
                yield sse_frame(compact(data) if live else _stored(data), event_id=durable)
    for data in run.finish():
        durable += 1
        if durable > last_id:
            yield sse_frame(compact(data) if live else _stored(data), event_id=durable)
