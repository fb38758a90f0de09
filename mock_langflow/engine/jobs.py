"""Background runs: build jobs, v2 workflow jobs and webhook runs, with their events kept in SQLite.

A job runs the same interpreter as /run; what it reports is appended to the job's events (job_event table)
as it happens, so a client can read them as a stream, by polling, or after a restart. The registry only
holds the running asyncio tasks and a wake-up signal per job: runtime plumbing, never the source of truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from mock_langflow.clock import Clock, Ids
from mock_langflow.control.faults import JOB_NEVER_FINISHES
from mock_langflow.engine.graph import Node, parse_graph
from mock_langflow.engine.hitl import HUMAN_INPUT_REQUIRED, Paused, card_blocks
from mock_langflow.engine.limits import within_limits
from mock_langflow.engine.llm import ScriptedLLM
from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import (
    Disconnect,
    Observer,
    RunError,
    Runner,
    RunRequest,
    RunResult,
    VertexCrash,
    VertexFailure,
    VertexResult,
)
from mock_langflow.profiles import current
from mock_langflow.store.jobs import BUILD_RUN, FINISHED, SUSPENDED, TIMED_OUT, Jobs
from mock_langflow.store.models import JobRow
from mock_langflow.streaming import events

if TYPE_CHECKING:
    from mock_langflow.store.run_records import JobEventRow


class RunTimedOut(Exception):
    """A sync run went past its JobSpec.timeout_s (its job is failed by then)."""


def is_terminal(event: str, data: Any) -> bool:
    """A job's stream ends with `end`, or with the bare {"error": ...} that closes a failure."""
    return event == "end" or (event == "error" and isinstance(data, dict) and set(data) == {"error"})


@dataclass
class JobSpec:
    """What to run and how to report it."""

    kind: str  # build | workflow | webhook
    request: RunRequest
    log_builds: bool = True  # each vertex's build data logged as its build, as the build loop does
    # v2 jobs follow each terminal vertex's end_vertex with its `output` event; without graph state (expose_graph_state
    # false) only an output component's
    with_outputs: bool = False
    graph_state: bool = True
    every_sink: bool = False  # its outputs list every terminal vertex, built or not (a v2 sync run)
    # each vertex's result (ResultData) logged as its build (ResultBuilds), not its build data: a run Langflow's
    # graph loop runs rather than the build loop (a v2 sync run, the webhook)
    logs_results: bool = False
    # a failure's events end with a bare {"error": ...}, as v1's build queue closes them; a v2 run's do not
    closing_error: bool = True
    # a run whose component failed (RunRequest.vertex_failures) still ends with `end`, yet the job is failed: 1.13's
    # background runner fails a job whose stream held an `error` event, where a live stream's job completes
    failed_by_component: bool = False
    echo: dict[str, Any] = field(default_factory=dict)  # v2: the request's tweaks and globals, echoed back
    queued_s: float = 0.0  # seconds the job stays queued
    run_s: float = 0.0  # seconds it spends in progress before the flow runs
    min_run_s: float = 0.0  # seconds it stays in progress at least, the flow's own time included (waited after)
    # how a finished job describes its outputs for later reads; None: the output vertices, as 1.13's v2 API
    outputs: Callable[[RunResult], dict[str, Any]] | None = None
    # what records the run's events; None: JobObserver (the webhook's are the webhook event stream's own)
    observer: Callable[[JobManager, JobRow, JobSpec], Observer] | None = None
    # 1.13's wall-clock ceiling of a v2 run, in seconds (None: none), and how a run past it ends: "raise" (a sync
    # run: failed, as a system cancel leaves it, then RunTimedOut for its request), "error" (a stream: failed, its
    # events closed by the timeout's error), "timed_out" (a background job: timed_out, closed by run_timed_out)
    timeout_s: float | None = None
    on_timeout: Literal["raise", "error", "timed_out"] = "raise"
    # a v2 background run (1.13): it runs in one of LANGFLOW_BACKGROUND_MAX_CONCURRENCY slots, as Langflow's
    # in-process executor runs each in one of its workers, and waits for one queued (JobManager.execute)
    pooled: bool = False


def job_spec(llm: ScriptedLLM, kind: str, request: RunRequest, *, latency_ms: float = 0.0,
             **options: Any) -> JobSpec:
    """A job of this kind, with the flow's scripted queue and run time (and at least `latency_ms` of running)."""
    timing = llm.job_timing(flow_id=request.flow_id, names=(request.flow_name, request.endpoint_name))
    return JobSpec(kind=kind, request=request, queued_s=timing.queued_ms / 1000,
                   run_s=max(timing.run_ms, latency_ms) / 1000, **options)


def output_type(node: Node) -> str:
    """A v2 output's `type`, as 1.13 names it: its node's first output's first type, else its node type, in
    lower case."""
    types = node.outputs[0].get("types") if node.outputs else None
    if isinstance(types, list) and types and types[0]:
        return str(types[0]).lower()
    return node.type.lower() or "unknown"


# Where 1.13 looks for the value of a data or dataframe output among a result's outputs, in order (the whole
# outputs when none holds one)
_CONTENT_PATHS = {"data": (("result", "message"), ("results", "message")),
                  "dataframe": (("results", "message"), ("result", "message"), ("run_sql_query", "message"))}


def _found(outputs: dict[str, Any], kind: str) -> Any:
    for first, second in _CONTENT_PATHS.get(kind, ()):
        entry = outputs.get(first)
        if isinstance(entry, dict) and entry.get(second) is not None:
            return entry[second]
    return outputs


def component_output(node: Node, outputs: dict[str, Any] | None, *, text: str | None = None,
                     valid: bool = True) -> dict[str, Any]:
    """1.13's v2 description of one terminal component (an entry of a response's `outputs`, and an `output`
    event without its component_id). `outputs` is the outputs its build data holds (None: never built), `text`
    the text an output component's message reads. Only an output component shows a message as content; any
    component shows the value of its data or dataframe; a failed build's status is failed."""
    kind = output_type(node)
    metadata: dict[str, Any] = {"component_type": node.type}
    content: Any = None
    if outputs is not None:
        if node.is_output:
            content = text if text is not None and kind in ("message", "text") else _found(outputs, kind)
        elif kind in _CONTENT_PATHS:
            content = _found(outputs, kind)
        elif kind == "message" and node.type == "SaveToFile":  # 1.13 names the file its message reports
            entry = outputs.get("message")
            if isinstance(entry, dict) and isinstance(entry.get("message"), str) and entry["message"]:
                metadata["file_path"] = entry["message"]
    return {"type": kind, "status": "completed" if valid else "failed", "display_name": node.display_name,
            "content": content, "metadata": metadata}


def built_output(vertex: VertexResult, *, limited: bool = False) -> dict[str, Any]:
    """The v2 description of a terminal vertex that was built; `limited`: as 1.13 makes it from the vertex's
    end_vertex event (an `output` event, a background run's result), whose data the serializer cut
    (engine/limits.py), where a sync run describes the run's own results."""
    outputs, text = events.result_data(vertex)["outputs"], vertex.primary.as_text
    if limited:
        outputs, text = within_limits(outputs), within_limits(text)
    return component_output(vertex.node, outputs, text=text)


def pause_checkpoint(pause: Paused, graph: Any, earlier: dict[str, Any]) -> dict[str, Any]:
    """What a paused run goes on from (Resumed.going_on reads it back), as a v2 job and an A2A task keep it: the
    graph, each built vertex's outputs, what decisions switched off, the decisions, a paused Agent's model
    reply, and the terminal outputs built so far (after `earlier`, those of the run's parts before)."""
    built = {v.node.id: built_output(v, limited=True) for v in pause.results if v.sink}
    return {"graph": graph, "built": pause.built, "excluded": sorted(pause.excluded), "decisions": pause.decisions,
            "outputs": {**earlier, **built}, "replies": pause.replies}


def earlier_outputs(checkpoint: dict[str, Any] | None, request: RunRequest) -> dict[str, Any]:
    """A resumed run's terminal outputs built before its pause (none for a run that is no resume)."""
    return (checkpoint or {}).get("outputs") or {} if request.resume is not None else {}


def output_meta(node: Node, sink: bool) -> dict[str, Any]:
    """An end_vertex's output_meta (1.13): `is_terminal` says whether no edge leaves the node in the flow's
    graph, and `output_types` are the types its first output declares."""
    types = node.outputs[0].get("types", []) if node.outputs else []
    return {"component_id": node.id, "display_name": node.display_name, "vertex_type": node.type,
            "is_output": node.is_output, "is_terminal": sink, "output_types": types}


def resolved_output(outputs: dict[str, Any], selected: list[str] | None = None) -> dict[str, Any]:
    """A v2 response's `output`, as 1.13 resolves it from its `outputs` (among the `selected` ids, when some
    are): the text of the one text output, else why there is none (several, none a string, or none at all)."""
    considered = {k: v for k, v in outputs.items() if not selected or k in selected}
    texts = [(k, v.get("content")) for k, v in considered.items()
             if v.get("type") in ("message", "text") and isinstance(v.get("content"), str)]
    if len(texts) == 1:
        return {"reason": "single", "text": texts[0][1], "source": texts[0][0]}
    if texts:
        reason = "multiple"
    else:
        reason = "non_string" if any(v.get("type") in ("message", "text") for v in considered.values()) else "none"
    return {"reason": reason, "text": None, "source": None}


def terminal_outputs(result: RunResult, *, every_sink: bool) -> dict[str, Any]:
    """1.13's v2 `outputs`: one entry per terminal vertex (no edge leaves it in the flow's graph), output
    component or not. A sync run lists every one in the graph's order, built or not (`every_sink`); a background
    run keeps those its run built, in the order they were built."""
    built = {v.node.id: v for v in result.vertices}
    if not every_sink:
        return {v.node.id: built_output(v, limited=True) for v in result.vertices if v.sink}
    return {n.id: built_output(built[n.id]) if n.id in built else component_output(n, None)
            for n in result.graph.nodes if not result.graph.successors(n.id)}


def summary(result: RunResult, spec: JobSpec) -> dict[str, Any]:
    """What a finished job keeps for later status reads: its session, its terminal vertices, and the echoes."""
    outputs = spec.outputs(result) if spec.outputs else terminal_outputs(result, every_sink=spec.every_sink)
    return {"session_id": result.session_id, "outputs": outputs, "output": resolved_output(outputs), **spec.echo}


class ResultBuilds(Observer):
    """Logs each vertex a run builds as its vertex build (/api/v1/monitor/builds), holding the vertex's result as a
    run response has it (ResultData), under the flow's id and the run's id: what Langflow's own graph loop
    (graph.arun: /run, /run/advanced, /run/session, the webhook, a v2 sync run) logs, where the build loop logs its
    build data. Every hook also goes on to `inner`."""

    def __init__(self, jobs: Jobs, ids: Ids, clock: Clock, request: RunRequest, inner: Observer | None = None) -> None:
        self.jobs, self.ids, self.clock, self.request = jobs, ids, clock, request
        self.inner = inner or Observer()
        self.event_manager = self.inner.event_manager
        # the run's id names the builds' job; a run given none gets one here, which its messages then carry too
        request.run_id = request.run_id or ids.uuid()

    async def vertices_sorted(self, first: list[str], to_run: list[str]) -> None:
        await self.inner.vertices_sorted(first, to_run)

    async def message(self, message: Message) -> None:
        await self.inner.message(message)

    async def token(self, message_id: UUID, chunk: str) -> None:
        await self.inner.token(message_id, chunk)

    async def message_removed(self, message_id: UUID) -> None:
        await self.inner.message_removed(message_id)

    async def vertex_started(self, node: Node) -> None:
        await self.inner.vertex_started(node)

    async def vertex_done(self, result: VertexResult) -> None:
        await self.inner.vertex_done(result)

    async def layer_built(self, results: list[VertexResult], *, raised: bool = False) -> None:
        """The graph loop logs a layer's builds once the whole layer is done, in the order it ran them, and only
        those before the first vertex that raised."""
        flow_id = self.request.flow_id if self.request.persist else None  # an anonymous serving run: none
        for result in results if flow_id is not None else []:
            data = events.result_data(result)
            self.jobs.add_vertex_build(
                build_id=self.ids.uuid(), flow_id=flow_id, job_id=self.request.run_id,
                vertex_id=result.node.id, timestamp=self.clock.now(), data=data, artifacts=data["artifacts"],
                params=events.vertex_params(result, data["artifacts"]), valid=True)
        await self.inner.layer_built(results, raised=raised)

    async def component_error(self, message: Message) -> None:
        await self.inner.component_error(message)

    async def vertex_failed(self, failure: VertexFailure) -> None:
        await self.inner.vertex_failed(failure)

    async def tool_run(self, component_id: str, *, done: bool) -> None:
        await self.inner.tool_run(component_id, done=done)

    async def log(self, entry: dict[str, Any]) -> None:
        await self.inner.log(entry)

    async def vertex_raised(self, failure: VertexFailure) -> None:
        """The graph loop logs a vertex that raised only in a flow with a webhook input (an input vertex whose id
        names "webhook"): invalid, its error text as params, and its first output holding the error."""
        if self.request.flow_id is not None and self.request.persist and any(
                n.is_input and "webhook" in n.id.lower() for n in parse_graph(self.request.data or {}).nodes):
            error = {"message": {"errorMessage": failure.params, "stackTrace": failure.stack_trace}, "type": "error"}
            data = {"results": {}, "outputs": {failure.node.first_output: error}, "logs": {}, "message": {},
                    "artifacts": {}, "timedelta": None, "duration": None, "used_frozen_result": False}
            self.jobs.add_vertex_build(
                build_id=self.ids.uuid(), flow_id=self.request.flow_id, job_id=self.request.run_id,
                vertex_id=failure.node.id, timestamp=self.clock.now(), data=data, artifacts={},
                params=failure.params, valid=False)
        await self.inner.vertex_raised(failure)


class JobObserver(Observer):
    """Appends what a run reports to the job's events, in Langflow's build-event shapes."""

    event_manager = True

    def __init__(self, manager: JobManager, job: JobRow, spec: JobSpec) -> None:
        self.manager, self.job, self.spec = manager, job, spec
        self.graph_successors: dict[str, list[str]] = {}

    def logged_job_id(self) -> UUID | None:
        """What a logged vertex build names as its job: the run's id (a background job's own id; a build's fresh
        run id, which its messages carry too, never the build job's id), or none where the release logs none."""
        if self.spec.kind == "build" and current().build.vertex_build_job == "none":
            return None
        return self.spec.request.run_id

    async def vertices_sorted(self, first: list[str], to_run: list[str]) -> None:
        batch: list[tuple[str, Any]] = [(events.VERTICES_SORTED, {"ids": first, "to_run": to_run})]
        if current().build.build_start:
            batch.append((events.BUILD_START, {}))
        await self.manager.emit(self.job.id, batch)

    async def message(self, message: Message) -> None:
        # a build's stream is a v1 one; the v2 Workflow API's keeps the new shape
        payload = events.v1_message_event(message) if self.spec.kind == "build" else events.message_event(message)
        await self.manager.emit(self.job.id, [(events.ADD_MESSAGE, payload)])

    async def token(self, message_id: UUID, chunk: str) -> None:
        await self.manager.emit(self.job.id, [(events.TOKEN, events.token_event(message_id, chunk))])

    async def message_removed(self, message_id: UUID) -> None:
        await self.manager.emit(self.job.id, [(events.REMOVE_MESSAGE, {"id": str(message_id)})])

    async def vertex_done(self, result: VertexResult) -> None:
        data = events.build_data(result, result.successors, result.successors, self.manager.clock)
        await self._end_vertex(result.node, data, result.sink, artifacts=data["data"]["artifacts"])
        if self._sends_output(result.node, result.sink):
            # 1.13's langflow stream sends a vertex's output right after its end_vertex, not at the run's end
            output = built_output(result, limited=True)
            await self.manager.emit(self.job.id, [("output", {**output, "component_id": result.node.id})])

    async def component_error(self, message: Message) -> None:
        # A run that stops at a failing component (not a build) ends with the job's own error event instead.
        if self.spec.request.vertex_failures:
            await self.manager.emit(self.job.id, [(events.ERROR, events.message_event(message))])

    async def tool_run(self, component_id: str, *, done: bool) -> None:
        # the build loop hands each vertex its event manager, which a component's tool reports its run to
        await self.manager.emit(self.job.id, [(events.BUILD_END if done else events.BUILD_START, {"id": component_id})])

    async def log(self, entry: dict[str, Any]) -> None:
        await self.manager.emit(self.job.id, [(events.LOG, entry)])

    async def vertex_failed(self, failure: VertexFailure) -> None:
        data = events.failed_build_data(failure, self.manager.clock)
        await self._end_vertex(failure.node, data, failure.sink, artifacts={})
        if self._sends_output(failure.node, failure.sink):
            # 1.13's langflow stream follows a terminal vertex's end_vertex with its output, a failed one too
            output = component_output(failure.node, data["data"]["outputs"], valid=False)
            await self.manager.emit(self.job.id, [("output", {**output, "component_id": failure.node.id})])

    def _sends_output(self, node: Node, sink: bool) -> bool:
        """Whether a built vertex's end_vertex is followed by its `output` event: a terminal one's, but without
        graph state only an output component's (1.13's langflow adapter)."""
        return self.spec.with_outputs and sink and (self.spec.graph_state or node.is_output)

    async def _end_vertex(self, node: Node, data: dict[str, Any], sink: bool, *, artifacts: dict[str, Any]) -> None:
        """Log the vertex's build data as its build (when the job logs builds) and send its end_vertex event."""
        if not self.spec.request.build_params:
            data = {**data, "params": None}
        if self.spec.log_builds and self.spec.request.flow_id is not None and self.spec.request.persist:
            self.manager.jobs.add_vertex_build(
                build_id=self.manager.ids.uuid(), flow_id=self.spec.request.flow_id, job_id=self.logged_job_id(),
                vertex_id=node.id, timestamp=self.manager.clock.now(), data=data["data"], artifacts=artifacts,
                params=data["params"], valid=data["valid"])
        payload: dict[str, Any] = {"build_data": data}
        if current().build.output_meta:
            payload["output_meta"] = output_meta(node, sink)
        await self.manager.emit(self.job.id, [(events.END_VERTEX, payload)])


class JobManager:
    def __init__(self, jobs: Jobs, runner: Runner, ids: Ids, clock: Clock, *, pool_size: int = 5,
                 input_deadline_s: float | None = None, watchdog_s: float = 15.0) -> None:
        self.jobs, self.runner, self.ids, self.clock = jobs, runner, ids, clock
        self.pool_size = pool_size
        # 1.13's input deadline of a run suspended for a person, and its watchdog's passes: one at the start,
        # then every watchdog_s (sweep_input_deadlines)
        self.input_deadline_s, self.watchdog_s = input_deadline_s, watchdog_s
        self.watchdog_from = clock.now()
        self._swept: datetime | None = None
        self._pool: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None
        self._tasks: dict[UUID, asyncio.Task[None]] = {}
        self._signals: dict[UUID, asyncio.Event] = {}
        self._abandoned: set[UUID] = set()  # runs whose live stream's client left: their cancel is a failure
        self._run_jobs: dict[UUID, UUID] = {}  # a running build's id -> its run's workflow job (a row in SQLite)
        self.on_finish: Callable[[JobRow], Awaitable[None]] | None = None

    # --- plumbing --------------------------------------------------------------------------------------

    def _signal(self, job_id: UUID) -> asyncio.Event:
        return self._signals.setdefault(job_id, asyncio.Event())

    async def emit(self, job_id: UUID, batch: list[tuple[str, Any]]) -> None:
        self.emit_now(job_id, batch)

    def emit_now(self, job_id: UUID, batch: list[tuple[str, Any]]) -> None:
        """`emit` without awaiting: for a stream's clean-up, which must not wait on anything."""
        self.jobs.append(job_id, batch)
        signal = self._signals.pop(job_id, None)
        if signal is not None:
            signal.set()  # wake every follower; the next wait makes a fresh event

    def _slot(self, spec: JobSpec) -> contextlib.AbstractAsyncContextManager[Any]:
        """What a job runs in: a pooled one, one of the pool's slots (the pool made for the loop it runs on)."""
        if not spec.pooled:
            return contextlib.nullcontext()
        loop = asyncio.get_running_loop()
        if self._pool is None or self._pool[0] is not loop:
            self._pool = (loop, asyncio.Semaphore(self.pool_size))
        return self._pool[1]

    def running(self) -> int:
        """How many background jobs are still running."""
        return sum(1 for task in self._tasks.values() if not task.done())

    def is_running(self, job_id: UUID) -> bool:
        task = self._tasks.get(job_id)
        return task is not None and not task.done()

    # --- running ---------------------------------------------------------------------------------------

    def create(self, spec: JobSpec, *, user_id: UUID | None, idempotency_key: str | None = None,
               extra: dict[str, Any] | None = None) -> JobRow:
        request = spec.request
        # 1.13's job_metadata end_user_id: the serving-plane end user the run is for (engine/end_users.py)
        # (and an anonymous run's "persist": false, which its resume keeps)
        end_user = {"end_user_id": request.end_user_id} if request.end_user_id else {}
        if not request.persist:
            end_user["persist"] = False
        row = JobRow(id=self.ids.uuid(), kind=spec.kind, flow_id=request.flow_id, user_id=user_id,
                     status="queued", session_id=request.session_id or str(request.flow_id or ""),
                     created_at=self.clock.now(), idempotency_key=idempotency_key,
                     request={"input_value": request.input_value, "tweaks": request.tweaks, **end_user,
                              **(extra or {})})
        return self.jobs.create(row)

    def start(self, job: JobRow, spec: JobSpec) -> None:
        """Run the job in the background; its events and final status land in the database."""
        task = asyncio.get_running_loop().create_task(self.execute(job, spec))
        self._tasks[job.id] = task
        task.add_done_callback(lambda done: self._forget(job.id, done))

    def _forget(self, job_id: UUID, task: asyncio.Task[None]) -> None:
        """A finished task's job no longer runs, unless it runs again already (a resumed job's next part)."""
        if self._tasks.get(job_id) is task:
            del self._tasks[job_id]

    async def execute(self, job: JobRow, spec: JobSpec) -> None:
        """Run to the end (or to a cancel), recording events and the final status. Never raises RunError."""
        observer: Observer = (spec.observer or JobObserver)(self, job, spec)
        try:
            if spec.queued_s:
                await asyncio.sleep(spec.queued_s)
            async with self._slot(spec), asyncio.timeout(spec.timeout_s):  # queued until a slot is free
                await self._execute(job, spec, observer)
        except TimeoutError:
            await self._timed_out(job, spec)
        except asyncio.CancelledError:
            self._finish_run(job.id, "failed")
            self.jobs.finish(job.id, "failed" if job.id in self._abandoned else "cancelled")
            self._abandoned.discard(job.id)
            await self.emit(job.id, [])
            raise
        except (RunError, Disconnect) as exc:
            text = str(exc)
            # an exception the build loop meets as it is (VertexCrash): lfx's ErrorMessage of it, its class named
            crash = isinstance(exc, VertexCrash)
            shown = ({"text": f"{text}\n", "reason": f"**{exc.error_type}**\n - **Details: {text}**\n"}
                     if crash else {"text": text})
            batch: list[tuple[str, Any]] = [(events.ERROR, events.error_message(
                **shown, flow_id=spec.request.flow_id, session_id=spec.request.session_id, clock=self.clock))]
            if spec.closing_error:
                batch.append((events.ERROR, {"error": text}))
            self._finish_run(job.id, "failed")
            await self.fail(job, batch, error=text, result={"raised": exc.error_type} if crash else None)
        finally:
            self._run_jobs.pop(job.id, None)
            if self.on_finish is not None:
                row = self.jobs.get(job.id)
                if row is not None:
                    await self.on_finish(row)

    async def _timed_out(self, job: JobRow, spec: JobSpec) -> None:
        """A run past its ceiling, cancelled there (its stored messages stay), ended as spec.on_timeout says."""
        if spec.on_timeout == "timed_out":  # 1.13's background runner: the status, then its closing mark
            self.jobs.finish(job.id, TIMED_OUT)
            await self.emit(job.id, [(events.RUN_TIMED_OUT, dict(events.TIMED_OUT))])
            return
        if spec.on_timeout == "error":
            await self.fail(job, [(events.ERROR, {"error": events.TIMED_OUT_TEXT})], error=events.TIMED_OUT_TEXT)
            return
        self.jobs.finish(job.id, "failed")
        await self.emit(job.id, [])
        raise RunTimedOut

    async def _execute(self, job: JobRow, spec: JobSpec, observer: Observer) -> None:
        """execute's run, from in progress to the final status."""
        self.jobs.update(job.id, status="in_progress", started_at=self.clock.now())
        spec.request.run_id = job.id if spec.kind != "build" else self.ids.uuid()
        self._record_run(job, spec)
        running = time.perf_counter()
        if JOB_NEVER_FINISHES.get():
            await asyncio.Event().wait()  # a never_finish fault: in progress until stopped
        if spec.run_s:
            await asyncio.sleep(spec.run_s)
        if spec.logs_results:
            observer = ResultBuilds(self.jobs, self.ids, self.clock, spec.request, observer)
        try:
            result = await self.runner.run(spec.request, observer)
        except Paused as pause:
            await self._suspend(job, spec, pause)
            return
        if spec.min_run_s > time.perf_counter() - running:
            await asyncio.sleep(spec.min_run_s - (time.perf_counter() - running))
        # Langflow's build_duration: the sum of its vertices' build times (0 when none ran)
        duration = sum(v.duration_s for v in result.vertices) + sum(f.duration_s for f in result.failures)
        end = {"build_duration": duration} if current().build.end == "duration" else {}
        self._finish_run(job.id, "completed")  # 1.13 marks the run's job completed before it sends `end`
        await self.emit(job.id, [(events.END, end)])
        # a vertex that failed as the run set its values (before_build) sent no `error` event: 1.13's
        # background runner fails a job only on one, so such a run completes
        failed = [f for f in result.failures if not f.error.before_build]
        kept = summary(result, spec)
        earlier = earlier_outputs(job.checkpoint, spec.request)
        if earlier:  # a resumed run's terminal outputs follow those built before its pause (the later win)
            outputs = {**earlier, **kept["outputs"]}
            kept = {**kept, "outputs": outputs, "output": resolved_output(outputs)}
        if spec.failed_by_component and failed:
            self.jobs.finish(job.id, "failed", error=failed[-1].params, result=kept)
        else:
            self.jobs.finish(job.id, "completed", result=kept)

    async def _suspend(self, job: JobRow, spec: JobSpec, pause: Paused) -> None:
        """A run paused for a person (1.13's background runner): the card message stored in its session, the
        pause's event logged (not sent live), and the job suspended with what it goes on from; no `end`. Its
        followers are woken last, once nothing more is awaited."""
        request = spec.request
        card = Message(id=self.ids.uuid(), flow_id=request.flow_id, text="", sender="Machine", sender_name="AI",
                       session_id=request.session_id or str(request.flow_id or ""), timestamp=self.clock.now(),
                       run_id=job.id, content_blocks=card_blocks(pause.request, str(job.id)))
        await self.runner.keep(request, card)
        self.jobs.append(job.id, [(HUMAN_INPUT_REQUIRED, pause.request)])
        deadline = ({"input_deadline_at": (self.clock.now() + timedelta(seconds=self.input_deadline_s)).isoformat()}
                    if self.input_deadline_s is not None else {})
        self.jobs.suspend(job.id, {**pause_checkpoint(pause, request.data, earlier_outputs(job.checkpoint, request)),
                                   "request_id": pause.request.get("request_id"), "card_message_id": str(card.id),
                                   **deadline})
        self.emit_now(job.id, [])

    def sweep_input_deadlines(self) -> None:
        """1.13's watchdog for runs waiting on a person (LANGFLOW_BACKGROUND_INPUT_DEADLINE_S): a pass at the start
        and every LANGFLOW_BACKGROUND_WATCHDOG_INTERVAL_S after it fails each suspended run whose deadline has
        passed by then, its events closed by {"type": "input_timed_out"}. Run before each request (by the mock's
        clock): the last pass due is made once, so until it is due a late answer still resumes the run."""
        if self.input_deadline_s is None:
            return
        # the last pass due by now, on the passes' grid from the start (a test's clock may go back before it)
        passes = math.floor((self.clock.now() - self.watchdog_from).total_seconds() / self.watchdog_s)
        due = self.watchdog_from + timedelta(seconds=passes * self.watchdog_s)
        if due == self._swept:
            return
        self._swept = due
        for job_id in self.jobs.overdue_suspended(due):
            if self.jobs.fail_suspended(job_id):
                self.emit_now(job_id, [(events.INPUT_TIMED_OUT, dict(events.INPUT_DEADLINE_PASSED))])

    def resume(self, job: JobRow, spec: JobSpec) -> None:
        """Go on with a suspended job whose resume was accepted (its status already moved on): the same job, its
        events following those of its first part."""
        self.start(job, spec)

    def _record_run(self, job: JobRow, spec: JobSpec) -> None:
        """1.13's v1 build records a workflow job under the run id its graph got (what its messages carry as
        run_id), for the caller who started it, so the v2 status route reads the run: in progress while it
        runs. No one but its owner reads it, so a public build's (run as nobody) is left out."""
        run_id = spec.request.run_id
        if (spec.kind != "build" or job.user_id is None or (job.request or {}).get("public")
                or not current().workflows.build_run_job):
            return
        now = self.clock.now()
        self.jobs.create(JobRow(id=run_id, kind="workflow", flow_id=spec.request.flow_id, user_id=job.user_id,
                                status="in_progress", session_id=str(spec.request.flow_id or ""), created_at=now,
                                started_at=now, request={"mode": BUILD_RUN}))
        self._run_jobs[job.id] = run_id

    def _finish_run(self, build_id: UUID, status: str) -> None:
        """End the workflow job of a build's run: completed once its vertices are built (whichever of them
        failed), failed when the build fails as a whole or is cancelled. 1.13 cancels a build's task without the
        user-cancel mark, so its job service takes any cancel for a system one: failed, never cancelled."""
        run_id = self._run_jobs.pop(build_id, None)  # once: a cancel ends it before the task's own handler runs
        if run_id is not None:
            self.jobs.finish(run_id, status)
            self.emit_now(run_id, [])  # wakes whoever follows the run's job

    async def fail(self, job: JobRow, batch: list[tuple[str, Any]], *, error: str,
                   result: dict[str, Any] | None = None) -> None:
        """End a job as failed: its last events, then the status, then a wake-up for the followers of a stream
        that ends without a terminal event."""
        await self.emit(job.id, batch)
        self.jobs.finish(job.id, "failed", error=error, result=result)
        await self.emit(job.id, [])

    def abandon(self, job_id: UUID) -> bool:
        """The client of a live stream left: stop its run, which ends failed (Langflow cancels it as the system
        does, not as a user's stop would); True if there was a run to stop."""
        task = self._tasks.get(job_id)
        row = self.jobs.get(job_id)
        if task is None or task.done() or row is None or row.status in FINISHED:
            return False
        self._abandoned.add(job_id)
        task.cancel()
        return True

    def cancel(self, job_id: UUID) -> bool:
        """Stop a running job; True if there was one to stop. A build's run's job is failed at once: 1.13's
        cancel waits for the build's task to end."""
        task = self._tasks.get(job_id)
        if task is None or task.done():
            return False
        task.cancel()
        self._finish_run(job_id, "failed")
        return True

    async def shutdown(self) -> None:
        tasks = [t for t in self._tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # --- reading ---------------------------------------------------------------------------------------

    async def follow(self, job_id: UUID, *, after: int = -1) -> AsyncIterator[JobEventRow]:
        """Every event after `after`, waiting for new ones until a terminal event or the job's end."""
        seq = after
        while True:
            signal = self._signal(job_id)
            rows = self.jobs.events(job_id, after=seq)
            for row in rows:
                seq = row.seq
                yield row
                if is_terminal(row.event, row.data):
                    return
            job = self.jobs.get(job_id)
            # a suspended job sends nothing more until it is resumed: 1.13 ends a follower's stream there too
            if job is None or ((job.status in FINISHED or job.status == SUSPENDED) and not self.is_running(job_id)):
                if not self.jobs.events(job_id, after=seq):
                    return
                continue
            await signal.wait()

    async def wait_ready(self, job_id: UUID, *, closing: tuple[str, ...], give_up: bool = False) -> bool:
        """Wait until a build job's queue holds something to take (Jobs.queue_state): True. `give_up`: False as soon
        as it never will, rather than wait on (a poll's empty `end` may still come to a waiting stream)."""
        while True:
            signal = self._signal(job_id)
            state = self.jobs.queue_state(job_id, closing=closing)
            if state == "ready":
                return True
            if state == "empty" and give_up:
                return False
            await signal.wait()
