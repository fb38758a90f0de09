"""The AG-UI protocol of Langflow 1.13's v2 Workflow API (stream_protocol "agui"): a v2 job's events, as the mock
keeps them (Langflow's build-event shapes), translated the way lfx's AGUITranslator and agui adapter do, for a live
stream, a background run's live attach and its replay."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
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


class AguiRun:
    """The AG-UI protocol: the run's AI messages as TEXT_MESSAGE_* events between RUN_STARTED and RUN_FINISHED.

    As 1.13's translator: an `error` or the `end` first closes the open text message (TEXT_MESSAGE_END), and an
    `error` (RUN_ERROR) ends nothing, so a run whose component failed goes on and still finishes (RUN_FINISHED).
    A pause for a person is a CUSTOM `langflow.human_input_required` event carrying the request, and ends the
    run's part: its resumed part is a new translation (RUN_STARTED again). A stop's `{"type": "cancelled"}` is
    the background runner's own mark, stored as it is whatever the protocol. A message's content blocks come
    before its text (_blocks): an Agent's tool calls as TOOL_CALL_* events."""

    def __init__(self, job: JobRow) -> None:
        self.thread, self.run = job.session_id, str(job.id)
        self.started = False  # a part of the run is open (RUN_STARTED sent, neither finished, paused nor stopped)
        self.open_message: str | None = None
        self.closed: set[str] = set()  # messages whose TEXT_MESSAGE_END went out
        self.streamed = self.errored = False
        self.called: set[str] = set()  # tool calls whose TOOL_CALL_START/ARGS/END went out
        self.answered: set[str] = set()  # and those whose TOOL_CALL_RESULT did

    def start(self) -> list[dict[str, Any]]:
        self.started, self.open_message, self.streamed, self.errored = True, None, False, False
        self.closed, self.called, self.answered = set(), set(), set()
        return [{"type": "RUN_STARTED", "threadId": self.thread, "runId": self.run}]

    def _blocks(self, message_id: str, blocks: Any) -> list[dict[str, Any]]:
        """The AG-UI events of the tool calls in an announced message's content blocks, as 1.13's translator walks
        them: each block, then the leaves in its `contents` (an Agent's flat log has its leaves at the top). A
        call is keyed by its leaf's id, else by its rank among the message's tool_use leaves (what the mock's
        leaves have: lfx's agent log sets no id), so that the repeated announcements of one message add only
        what is new. (1.13 also shows json, code, media and error blocks as CUSTOM langflow.content.* events;
        no message the mock announces on this path has one.)"""
        out: list[dict[str, Any]] = []
        rank = 0
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, dict):
                continue
            for leaf in [block, *(c for c in block.get("contents") or [] if isinstance(c, dict))]:
                if leaf.get("type") != "tool_use":
                    continue
                call = f"{message_id}:tool:" + (f"id:{leaf['id']}" if leaf.get("id") else f"ord:{rank}")
                rank += 1
                out += self._tool_call(message_id, call, leaf)
        return out

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
        if self.open_message is None:
            return []
        closed, self.open_message = self.open_message, None
        self.closed.add(closed)
        return [{"type": "TEXT_MESSAGE_END", "messageId": closed}]

    def translate(self, event: str, payload: Any) -> list[dict[str, Any]]:
        """The AG-UI events of one of the job's events (a part not yet started starts first)."""
        if event == events.RUN_CANCELLED:
            self.started = False
            return [payload]
        out = [] if self.started else self.start()
        data = payload if isinstance(payload, dict) else {}
        if event == events.ADD_MESSAGE and data.get("sender") != "User":
            # a message opens with its text: not while it is empty or partial (an Agent's, mid-run), and never
            # again once closed
            message_id = str(data.get("id") or "")
            out += self._blocks(message_id, data.get("content_blocks"))
            partial = (data.get("properties") or {}).get("state") == "partial"
            if (message_id and message_id != self.open_message and message_id not in self.closed
                    and data.get("text") and not partial):
                self.open_message, self.streamed = message_id, False
                out.append({"type": "TEXT_MESSAGE_START", "messageId": message_id, "role": "assistant"})
        elif event == events.TOKEN:  # or with its first token
            message_id = str(data.get("id") or "")
            if message_id and self.open_message is None and message_id not in self.closed:
                self.open_message = message_id
                out.append({"type": "TEXT_MESSAGE_START", "messageId": message_id, "role": "assistant"})
            if message_id and message_id == self.open_message:
                self.streamed = True
                out.append({"type": "TEXT_MESSAGE_CONTENT", "messageId": message_id, "delta": data.get("chunk", "")})
        elif event == events.REMOVE_MESSAGE:
            out.append({"type": "CUSTOM", "name": "langflow.message.removed",
                        "value": {"message_id": str(data.get("id") or "")}})
        elif event == events.END_VERTEX and self.open_message:
            message = (((data.get("build_data") or {}).get("data") or {}).get("results") or {}).get("message")
            if isinstance(message, dict) and str(message.get("data", {}).get("id")) == self.open_message:
                if not self.streamed:
                    out.append({"type": "TEXT_MESSAGE_CONTENT", "messageId": self.open_message,
                                "delta": message.get("text", "")})
                out += self._close()
        elif event == HUMAN_INPUT_REQUIRED:  # no message closed, no RUN_FINISHED: the run waits
            out.append({"type": "CUSTOM", "name": "langflow.human_input_required", "value": payload})
            self.started = False
        elif event == events.ERROR:  # an error Message words it in `text`, the bare closing error in `error`
            out += self._close()
            message = data.get("text") or data.get("error") or "Unknown error"
            out.append({"type": "RUN_ERROR", "message": str(message).strip()})
            self.errored = True
        elif event == events.END:
            out += self._close()
            out.append({"type": "RUN_FINISHED", "threadId": self.thread, "runId": self.run})
            self.started = False
        return out

    def finish(self) -> list[dict[str, Any]]:
        """After the job's last event: a part still open finishes, unless it failed as a whole (it ends at its
        RUN_ERROR)."""
        if not self.started or self.errored:
            return []
        self.started = False
        return [{"type": "RUN_FINISHED", "threadId": self.thread, "runId": self.run}]


async def agui_stream(state: AppState, job: JobRow, first_id: int) -> AsyncIterator[bytes]:
    """A live AG-UI stream: every event the translation makes, numbered one after another from `first_id`."""
    n = first_id
    run = AguiRun(job)

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
    run = AguiRun(job)
    durable, live = 0, False
    async for row in state.jobs.follow(job.id):
        live = row.seq > live_after
        for data in run.translate(row.event, row.data):
            if data.get("type") not in AGUI_DURABLE and row.event != events.RUN_CANCELLED:
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
