"""GET /api/v1/webhook-events/{flow}: the SSE stream the Langflow UI opens on a flow to watch its webhook runs
(1.13 api/v1/endpoints.py webhook_events_stream, services/event_manager.py). A webhook run records its events in
the webhook's shapes (WebhookObserver, in the job's events in SQLite); each stream open when the webhook was called
is told of the run (`announce`) and follows its events. Imported by the first webhook stream or webhook call."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from mock_langflow.engine.graph import Node
from mock_langflow.engine.jobs import JobManager, JobSpec
from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import Observer, VertexResult
from mock_langflow.state import AppState
from mock_langflow.store.models import FlowRow, JobRow
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import sse_frame

# Langflow sends a heartbeat after this long without an event
HEARTBEAT_S = 30.0


class WebhookObserver(Observer):
    """Records a webhook run's events as Langflow's webhook event manager sends them: the flow's vertex ids up
    front, each vertex's build_start, the messages and tokens with the run's id, and each vertex's end_vertex
    once its layer is built (the end comes from the job's own end, see `_followed`)."""

    event_manager = True

    def __init__(self, manager: JobManager, job: JobRow, spec: JobSpec) -> None:
        self.manager, self.job, self.request = manager, job, spec.request
        self.run_id = str(job.id)

    async def _emit(self, event: str, data: dict[str, Any], *, tagged: bool = True) -> None:
        await self.manager.emit(self.job.id, [(event, {**data, "run_id": self.run_id} if tagged else data)])

    async def vertices_sorted(self, first: list[str], to_run: list[str]) -> None:
        # every node of the flow, in the flow's order, whatever the run builds
        nodes = (self.request.data or {}).get("nodes") or []
        ids = [n["id"] for n in nodes if isinstance(n, dict) and n.get("id")]
        await self._emit(events.VERTICES_SORTED, {"ids": ids, "to_run": ids})

    async def vertex_started(self, node: Node) -> None:
        await self._emit(events.BUILD_START, {"id": node.id}, tagged=False)

    async def message(self, message: Message) -> None:
        await self._emit(events.ADD_MESSAGE, events.v1_message_event(message))

    async def token(self, message_id: UUID, chunk: str) -> None:
        await self._emit(events.TOKEN, events.token_event(message_id, chunk))

    async def message_removed(self, message_id: UUID) -> None:
        await self._emit(events.REMOVE_MESSAGE, {"id": str(message_id)})

    async def tool_run(self, component_id: str, *, done: bool) -> None:
        await self._emit(events.BUILD_END if done else events.BUILD_START, {"id": component_id})

    async def layer_built(self, results: list[VertexResult], *, raised: bool = False) -> None:
        if raised:  # lfx's graph loop raises a layer's first error before it emits any of its end_vertex events
            return
        for result in results:
            build = events.webhook_build_data(result, self.manager.clock)
            await self._emit(events.END_VERTEX, {"build_data": build}, tagged=False)


def announce(state: AppState, flow_id: UUID, job_id: UUID) -> None:
    """Tell the flow's open streams of a webhook run that has just started."""
    for queue in state.webhook_listeners.get(str(flow_id), ()):
        queue.put_nowait(job_id)


async def webhook_events(state: AppState, flow: FlowRow) -> AsyncIterator[bytes]:
    """The stream: `connected`, then the events of each webhook run of the flow started while it is open, in turn,
    and a heartbeat after HEARTBEAT_S without one; until the client leaves."""
    key = str(flow.id)
    queue: asyncio.Queue[UUID] = asyncio.Queue()
    state.webhook_listeners.setdefault(key, set()).add(queue)
    try:
        yield sse_frame(event="connected", data={"flow_id": key, "flow_name": flow.name})
        while True:
            try:
                job_id = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_S)
            except TimeoutError:
                yield sse_frame(event="heartbeat", data={"timestamp": time.time()})
                continue
            async for frame in _followed(state, job_id):
                yield frame
    finally:
        listeners = state.webhook_listeners.get(key)
        if listeners is not None:
            listeners.discard(queue)
            if not listeners:
                with contextlib.suppress(KeyError):
                    del state.webhook_listeners[key]


async def _followed(state: AppState, job_id: UUID) -> AsyncIterator[bytes]:
    """One webhook run's events, closed by `end`: {"run_id", "success": true} when the run went through, else
    {"run_id", "success": false, "error": <why>} (the run's error Message is not sent: Langflow's graph run hands
    it no event manager)."""
    run_id = str(job_id)
    async for row in state.jobs.follow(job_id):
        if row.event == events.END:
            yield sse_frame(event=events.END, data={"run_id": run_id, "success": True})
            return
        if row.event == events.ERROR:
            if isinstance(row.data, dict) and set(row.data) == {"error"}:
                failed = {"run_id": run_id, "success": False, "error": row.data["error"]}
                yield sse_frame(event=events.END, data=failed)
                return
            continue
        yield sse_frame(event=row.event, data=row.data)
    job = state.store.jobs.get(job_id)
    failed = {"run_id": run_id, "success": False, "error": (job.error if job else None) or ""}
    yield sse_frame(event=events.END, data=failed)
