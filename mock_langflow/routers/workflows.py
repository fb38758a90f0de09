"""/api/v2/workflows: the Workflow API of Langflow 1.13 (mode sync | stream | background; facts 25-30), with its
human in the loop: a background run suspended at a Human Input node, listed by /pending, goes on through /resume
(engine/hitl.py); and /api/v2/workflows/public, a visitor's stream of a PUBLIC flow."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator

from mock_langflow import errors, ratelimit
from mock_langflow.auth import CurrentUser, UndeclaredUser, caller_if_any
from mock_langflow.clock import as_uuid, ts_naive, ts_offset
from mock_langflow.deps import StateDep
from mock_langflow.engine.graph import Node, graph_fault, parse_graph, run_graph_fault
from mock_langflow.engine.hitl import HUMAN_INPUT_REQUIRED, Resumed, gate_label, rerouted, stamped
from mock_langflow.engine.jobs import JobSpec, RunTimedOut, component_output, job_spec, resolved_output
from mock_langflow.engine.runner import (
    RunRequest,
    apply_tweaks,
    file_access_refusal,
    memory_capture,
    refused_tweaks,
    serving_scope,
    tweaks_not_a_mapping,
    tweaks_on_built_graph,
    unbuilt_text,
)
from mock_langflow.responses import answers
from mock_langflow.routers.build import check_public_files, public_graph, scoped_session, virtual_flow_id
from mock_langflow.routers.flows import catalog_refusal, refuse_blocked_components
from mock_langflow.routers.run import flow_not_found, global_vars
from mock_langflow.routing import LazyModule, api_router, documented
from mock_langflow.schemas.workflows import (
    STREAM_PROTOCOLS,
    WorkflowMode,
    WorkflowResumeRequest,
    WorkflowRunRequest,
    WorkflowStopRequest,
    WorkflowStopResponse,
    check_job_id,
)
from mock_langflow.state import AppState
from mock_langflow.store.jobs import BUILD_RUN, FINISHED, INPUT_TIMED_OUT, INTERRUPTED, SUSPENDED, TIMED_OUT
from mock_langflow.store.models import FlowRow, JobRow, UserRow
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import sse_frame

lazy_bodies = LazyModule("mock_langflow.schemas.workflow_public")  # imported when its route is first analysed
router = api_router(prefix="/workflows", tags=["Workflow"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
EVENT_STREAM = "text/event-stream"


def _links(job_id: UUID) -> dict[str, str]:
    return {"status": f"/api/v2/workflows?job_id={job_id}", "events": f"/api/v2/workflows/{job_id}/events",
            "stop": "/api/v2/workflows/stop"}


def job_body(state: AppState, job: JobRow, status: str | None = None) -> dict[str, Any]:
    """The `job` object: what a background submit and a status poll of an unfinished job answer (fact 28). Langflow
    builds it without the request's globals: `globals` is always empty."""
    return {"job_id": str(job.id), "flow_id": str(job.flow_id), "object": "job",
            "created_timestamp": ts_offset(state.clock.now()), "status": status or job.status,
            "links": _links(job.id), "errors": [], "globals": {}}


def response_body(state: AppState, job: JobRow, *, echo: bool = False,
                  result: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `response` object of a finished run (fact 27), from what the job kept (or the `result` a status read
    rebuilt). Only the sync run's own answer (`echo`) carries the request's inputs and globals: 1.13 keeps no sync
    result, and a status read rebuilds it without them."""
    result = (job.result if result is None else result) or {}
    outputs = result.get("outputs", {})
    if outputs:  # 1.13's output_ids pick the run's answer among its outputs (a status read's rebuild has none)
        selected = (job.request or {}).get("output_ids") if echo else None
        result = {**result, "output": resolved_output(outputs, selected)}
    failed = job.status == "failed"
    # A status read's response is rebuilt from the run's outputs or vertex builds, which hold no inputs or
    # globals (1.13)
    rebuilt = not echo
    # 1.13's graph wraps whatever a component raised in a ValueError("Error running graph: ..."): that wrapper's
    # class is the error_type, whatever the component raised; what a vertex raised outside its component (the
    # job's result names its class: engine/runner.py VertexCrash) goes out as it is
    raised = (job.result or {}).get("raised") if failed else None
    errors_list = [{"error": job.error if raised else f"Error running graph: {job.error}", "code": "EXECUTION_ERROR",
                    "details": {"flow_id": str(job.flow_id), "error_type": raised or "ValueError"}}] if failed else []
    if failed:
        # 1.13's error response names no session and no output, but echoes the request's tweaks and globals
        result = {"session_id": None, "output": {"reason": "failed", "text": None, "source": None},
                  **(job.request or {}).get("echo", {})}
    if (job.request or {}).get("mode") == WorkflowMode.STREAM.value:
        # 1.13 keeps neither a live stream's outputs nor its vertex builds: the status of its completed job is
        # rebuilt from nothing, under the flow's id as its session
        result = {"session_id": str(job.flow_id), "output": {"reason": "none", "text": None, "source": None}}
        outputs = {}
    return {"flow_id": str(job.flow_id), "session_id": result.get("session_id", job.session_id),
            "job_id": str(job.id), "object": "response", "created_timestamp": ts_offset(state.clock.now()),
            "status": job.status, "output": result.get("output"), "errors": errors_list, "warnings": [],
            "inputs": {} if rebuilt else result.get("inputs", {}),
            "globals": {} if rebuilt else result.get("globals", {}),
            "outputs": outputs, "human_request": None, "has_errors": failed}


# Where 1.13 looks for the text of a rebuilt output's message, in order
_TEXT_PATHS = (("message", "message"), ("text", "message"), ("message", "text"), ("message",), ("text", "text"),
               ("text",))
_SESSION_DEPTH = 8  # how deep 1.13 looks for a session_id in a logged build


def _text_in(outputs: dict[str, Any]) -> str | None:
    for path in _TEXT_PATHS:
        value: Any = outputs
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            return value
    return None


def _session_in(value: Any, depth: int = 0) -> str | None:
    """The first non-empty session_id string in a logged build's data, looked for through its objects and lists
    (not in text), at most _SESSION_DEPTH levels down."""
    if depth > _SESSION_DEPTH:
        return None
    items: list[Any] = []
    if isinstance(value, dict):
        found = value.get("session_id")
        if isinstance(found, str) and found:
            return found
        items = list(value.values())
    elif isinstance(value, list):
        items = value
    for item in items:
        if found := _session_in(item, depth + 1):
            return found
    return None


def _rebuilt_output(node: Node, data: dict[str, Any] | None) -> dict[str, Any]:
    """One terminal component's output rebuilt from its logged build data (None: not logged). 1.13 reads the
    build's outputs (else its results) and never its validity: a failed build's output is completed too."""
    raw = next((data[key] for key in ("outputs", "results") if data.get(key) is not None), None) if data else None
    if not isinstance(raw, dict):
        return component_output(node, None)
    return component_output(node, raw, text=_text_in(raw))


def rebuilt_run(state: AppState, job: JobRow, user_id: UUID) -> dict[str, Any]:
    """What 1.13 answers for a completed v1 build's run, which keeps no outputs: the flow (the caller's, as now
    stored: else its "Flow identifier ... not found") and the vertex builds logged under the run's id give one
    output per terminal component, built or not, and the session the first terminal build names (else the flow's
    id). A flow without data, or no terminal build logged (log_builds off, builds deleted): no outputs at all."""
    flow = state.store.flows.find(str(job.flow_id), user_id=user_id, examples=False) if job.flow_id else None
    if flow is None:
        raise flow_not_found(str(job.flow_id))
    empty = {"session_id": str(flow.id), "outputs": {}, "output": resolved_output({})}
    builds = state.store.jobs.run_builds(job.id) if flow.data else []
    if not builds:
        return empty
    graph = parse_graph(flow.data or {})
    terminal = graph.sinks()
    ids = {n.id for n in terminal}
    logged = [b for b in builds if b.vertex_id in ids and b.data]
    if not logged:
        return empty
    data = {b.vertex_id: b.data for b in logged}  # the latest build of a vertex built more than once
    outputs = {n.id: _rebuilt_output(n, data.get(n.id)) for n in terminal}
    session = next((found for b in logged if (found := _session_in(b.data))), None)
    return {"session_id": session or str(flow.id), "outputs": outputs, "output": resolved_output(outputs)}


def is_background(job: JobRow) -> bool:
    """Whether the job is a background run (jobs stored before the mode was kept were all background ones)."""
    return (job.request or {}).get("mode", WorkflowMode.BACKGROUND.value) == WorkflowMode.BACKGROUND.value


def job_failed(state: AppState, job: JobRow) -> errors.JobFailed:
    """The status answer of a failed job; since 1.13 with the error the run left (profile
    workflows.failed_error_detail)."""
    if not state.profile.workflows.failed_error_detail:
        return errors.JobFailed(job.id)
    return errors.JobFailed(job.id, error_detail=error_detail(state, job))


def error_detail(state: AppState, job: JobRow) -> Any:
    """What 1.13 keeps of a failed run: a background run's `error` event (as its stream showed it), `worker_lost`
    for a run a restart interrupted, `input_timed_out` for one that waited for a person past its deadline; a sync
    run's job keeps nothing."""
    if job.error == INTERRUPTED:
        return {"type": "worker_lost"}
    if job.error == INPUT_TIMED_OUT:
        return dict(events.INPUT_DEADLINE_PASSED)
    if not is_background(job):
        return None
    rows = state.store.jobs.events(job.id)
    if _protocol(job) == "agui":
        # 1.13 keeps an AG-UI run's last RUN_ERROR event as its error, as it stored it
        from mock_langflow.streaming import agui  # (the AG-UI translation: imported by its first use)

        run = agui.AguiRun.of(job)
        errors_seen = [data for row in rows for data in run.translate(row.event, row.data)
                       if data.get("type") == "RUN_ERROR"]
        return errors_seen[-1] if errors_seen else None
    found = [row.data for row in rows if row.event == events.ERROR]
    if not found:
        return None
    shown = (job.request or {}).get("graph_state", True)
    return found[-1] if shown or not isinstance(found[-1], dict) else without_source(found[-1])


def workflow_job(state: AppState, job_id: str, user_id: UUID | None, *,
                 missing: Callable[[str], errors.MockHTTPError] = errors.WorkflowJobNotFound,
                 seen_by: tuple[Request, UserRow] | None = None) -> JobRow:
    """The caller's v2 job (`user_id` None: anyone's), or `missing(job_id)`: each route words "not found" its own
    way. `seen_by` (the request and its user): 1.13's end-user isolation too (end_user_owns)."""
    job_uuid = as_uuid(job_id)
    job = state.store.jobs.get(job_uuid) if job_uuid is not None else None
    if job is None or job.kind != "workflow" or user_id is not None and job.user_id != user_id or (
            seen_by is not None and not end_user_owns(state, job, *seen_by)):
        raise missing(job_id)
    return job


def end_user_owns(state: AppState, job: JobRow, request: Request, user: UserRow) -> bool:
    """Whether the request's serving-plane end user may see the job (1.13's _caller_owns_job_end_user,
    engine/end_users.owns_job)."""
    from mock_langflow.engine.end_users import owns_job

    return owns_job(state, (job.request or {}).get("end_user_id"), request.headers, superuser=user.is_superuser)


async def _sse(state: AppState, job: JobRow, *, protocol: str, first_id: int,
               graph_state: bool = True) -> AsyncIterator[bytes]:
    """The job's events as SSE frames (`data:` then `id:`), numbered from `first_id`. Without `graph_state`
    (expose_graph_state false) the langflow protocol carries the conversation only, as Langflow 1.13's narrowed
    stream does."""
    if protocol == "agui":
        from mock_langflow.streaming import agui

        async for frame in agui.agui_stream(state, job, first_id):
            yield frame
        return
    sent = first_id - 1  # the frames are numbered one after another (Langflow numbers what it sends)
    async for row in state.jobs.follow(job.id):
        if not graph_state and graph_event(row.event, row.data):
            continue
        sent += 1
        yield sse_frame(_wire(row.event, _shown(row.event, row.data, graph_state)), event_id=sent)


# the events 1.13's langflow adapter does not store (is_durable): sent to attached clients only
LIVE_ONLY = frozenset({events.TOKEN, events.LOG})


async def _reattach(state: AppState, job: JobRow, *, last_id: int, graph_state: bool) -> AsyncIterator[bytes]:
    """A background job's events, for GET /{job_id}/events. 1.13 stores a run's durable events only, not its
    tokens, numbered from 1: a replay has no tokens, and `last_id` (Last-Event-ID) counts stored events. A token
    that comes while the client is attached goes out live, with the id of the last stored event before it."""
    stored = state.store.jobs.events(job.id)
    live_after = stored[-1].seq if stored else -1  # rows up to here are replayed, later ones are live
    durable = 0
    async for row in state.jobs.follow(job.id):
        if not graph_state and graph_event(row.event, row.data):
            continue  # a narrowed run never sent (nor stored) them
        data = _shown(row.event, row.data, graph_state)
        if row.event in LIVE_ONLY:
            if row.seq > live_after and durable >= last_id:
                yield sse_frame(_wire(row.event, data), event_id=durable)
            continue
        durable += 1
        if durable > last_id:
            yield sse_frame(_wire(row.event, data), event_id=durable)


def _shown(event: str, data: Any, graph_state: bool) -> Any:
    """An event's data as the stream shows it: without graph state, a message names no component."""
    if not graph_state and event in (events.ADD_MESSAGE, events.ERROR) and isinstance(data, dict):
        return without_source(data)
    return data


def _wire(event: str, data: Any) -> Any:
    """A stored event as its frame carries it: {"event", "data"}, but a stop's mark is its payload alone."""
    return data if event in events.RUN_MARKS else {"event": event, "data": data}


async def _live(state: AppState, job: JobRow, frames: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """A live stream's frames; a client that leaves before the end stops the run, as 1.13's stream cancels its
    build when its response closes (the job then reads as failed)."""
    done = False
    try:
        async for frame in frames:
            yield frame
        done = True
    finally:
        if not done:
            state.jobs.abandon(job.id)


async def _no_events(state: AppState, job: JobRow) -> AsyncIterator[bytes]:
    """Nothing, once the job has ended."""
    async for _row in state.jobs.follow(job.id):
        pass
    return
    yield b""  # makes this an async generator


def graph_event(event: str, data: Any) -> bool:
    """Events that describe the flow rather than the conversation: the components that will run, each one's
    output and logs, and a component's own build_start/build_end (the run's own build_start has no id)."""
    if event in (events.VERTICES_SORTED, events.END_VERTEX, events.LOG):
        return True
    return event in (events.BUILD_START, events.BUILD_END) and isinstance(data, dict) and bool(data.get("id"))


def without_source(message: dict[str, Any]) -> dict[str, Any]:
    """A message whose properties.source (which component, which model) is emptied, at both levels it appears;
    the keys stay, their values become null."""
    def emptied(payload: dict[str, Any]) -> dict[str, Any]:
        properties = payload.get("properties")
        if not isinstance(properties, dict) or not isinstance(properties.get("source"), dict):
            return payload
        return {**payload, "properties": {**properties, "source": dict.fromkeys(properties["source"])}}

    out = emptied(message)
    if isinstance(out.get("data"), dict):
        out = {**out, "data": emptied(out["data"])}
    return out


def _refuse_fields_for_mode(body: WorkflowRunRequest) -> None:
    """1.13 refuses what a mode would silently ignore: a live-canvas graph, files or partial-run boundaries in
    sync mode, and output_ids (which pick the sync answer) in the others."""
    if body.mode == WorkflowMode.SYNC:
        fields = [name for name, value in (("data", body.data is not None), ("files", bool(body.files)),
                                           ("start_component_id", body.start_component_id is not None),
                                           ("stop_component_id", body.stop_component_id is not None)) if value]
        if fields:
            raise errors.ModeFieldsUnsupported("sync", fields)
    elif body.output_ids:
        raise errors.ModeFieldsUnsupported(body.mode.value, ["output_ids"])


def build_failure(state: AppState, body: WorkflowRunRequest, flow_id: UUID, user_id: UUID,
                  graph: dict[str, Any] | None) -> tuple[str, dict[str, Any]] | None:
    """How the build of a stream or background run fails before any component runs, as (text, the error Message
    its `error` event carries), or None: a flow without data (the build's "Invalid flow ID"); a file field the
    flow holds outside the caller's and the flow's storage (1.13's restricted local file access, as the graph is
    made: the build's 400); a node's tweaks that are no object (a 500); tweaks of protected fields, which 1.13
    applies to the built graph; then a file value such a tweak sets, checked as it is applied (the same 400). A
    graph lacking a part the graph loader reads (graph_fault) fails as the build's graph step does, before the
    file check: a 500; so, before that, does a graph using a component 1.13's catalog policy blocks (a trigger's
    run: the routes refuse it before any job, where the dispatcher's job fails as the graph is made). The
    Message's session is the run's input session: none for an input_value without a session_id, the flow's id
    without either."""
    session = body.session_id if body.session_id or body.input_value else str(flow_id)
    if graph is None:
        return errors.NO_DATA_TEXT, events.error_message(
            errors.NO_DATA_TEXT, flow_id=flow_id, session_id=session, clock=state.clock,
            reason=errors.NO_DATA_REASON, traceback=errors.NO_DATA_TRACEBACK)
    if blocked := catalog_refusal(state, [graph]):  # (a trigger's run: the v2 routes refused it before)
        return _unbuilt(state, flow_id, session, blocked, status=500, traceback="mock-langflow: a component is blocked")
    if graph and (fault := graph_fault(graph)):
        return _unbuilt(state, flow_id, session, fault, status=500, traceback="mock-langflow: the graph lacks a part")
    scopes = {str(flow_id), str(user_id)}
    built = parse_graph(graph)
    if denied := file_access_refusal(built, state.runner.storage, scopes):
        return _unbuilt(state, flow_id, session, denied)
    if odd := tweaks_not_a_mapping(built, body.tweaks):
        return _unbuilt(state, flow_id, session, odd, status=500,
                        traceback="mock-langflow: a node's tweaks are no object")
    if refused := refused_tweaks(graph, body.tweaks, built=True, policy=state.runner.tweaks_policy):
        text = str(refused)
        return text, events.error_message(
            f"{text}\n", flow_id=flow_id, session_id=session, clock=state.clock,
            reason=errors.tweaks_refused_reason(text), traceback="mock-langflow: the tweaks were refused")
    tweaked = tweaks_on_built_graph(built, body.tweaks)
    if tweaked and (denied := file_access_refusal(built, state.runner.storage, scopes, tweaked, only_runtime=True)):
        return _unbuilt(state, flow_id, session, denied)
    return None


def _unbuilt(state: AppState, flow_id: UUID, session: str | None, reason: str, *, status: int | None = None,
             traceback: str = "mock-langflow: the graph was not built") -> tuple[str, dict[str, Any]]:
    """The build's 400 for a graph it would not make (a 500 for an error that is no refusal, or `status`): the
    error Message of an HTTPException, its detail the text."""
    text = f"{status}: {reason}" if status is not None else unbuilt_text(reason)
    return text, events.error_message(
        f"{reason}\n", flow_id=flow_id, session_id=session, clock=state.clock, reason=errors.NO_DATA_REASON,
        traceback=traceback)


async def _failed_stream(state: AppState, body: WorkflowRunRequest, flow_id: UUID,
                         error: dict[str, Any]) -> AsyncIterator[bytes]:
    """A stream whose build failed: its one error event (AG-UI: the run's start, then its error, mirrored first with
    graph state). No job is left behind, as Langflow's build records the run's job only once the graph is built."""
    if body.stream_protocol != "agui":
        yield sse_frame({"event": events.ERROR, "data": error}, event_id=0)
        return
    from mock_langflow.streaming import agui

    run = agui.AguiRun(body.session_id or str(flow_id), str(state.ids.uuid()), graph_state=body.graph_state_shown())
    for n, data in enumerate(run.translate(events.ERROR, error)):
        yield sse_frame(agui.compact(data), event_id=n)


def _job_spec(state: AppState, body: WorkflowRunRequest, flow: FlowRow, user_id: UUID, graph: dict[str, Any] | None,
              headers: dict[str, str], scope: Any = None) -> JobSpec:
    """How a v2 run of the flow is run and reported, per mode (a resume runs its background job's own again);
    `headers`: the X-LANGFLOW-GLOBAL-VAR-* globals of a sync run; `scope`: its serving-plane end-user scope."""
    sync = body.mode == WorkflowMode.SYNC
    background = body.mode == WorkflowMode.BACKGROUND
    echo = {"inputs": body.tweaks, "globals": {**headers, **body.globals}}
    variables = {**headers, **body.globals} if sync else {}
    run = RunRequest(flow_id=flow.id, flow_name=flow.name, endpoint_name=flow.endpoint_name, data=graph,
                     user_id=user_id, session_id=body.session_id,
                     # 1.13's sync run gives the graph no input at all for an empty input_value: a Chat Input
                     # keeps the text stored in the flow (or a tweak's); its build loop (stream, background) only
                     # when the run has no session either
                     input_value=body.input_value or None if sync or not body.session_id else body.input_value,
                     tweaks=body.tweaks, global_vars=variables,
                     files=list(body.files or []), start_component_id=body.start_component_id,
                     stop_component_id=body.stop_component_id, output_type="any",
                     # 1.13 drives a stream or background run through the v1 build loop: a component that raises
                     # fails its vertex and the run goes on to `end`; a sync run fails as a whole. That loop builds
                     # without the environment fallback: a field's global variable the user lacks fails its vertex
                     vertex_failures=body.mode != WorkflowMode.SYNC, variables_required=body.mode != WorkflowMode.SYNC,
                     # and it applies the tweaks to the graph it built: by node id only, values as sent
                     tweaks_on_built_graph=body.mode != WorkflowMode.SYNC, starts_at_input=sync,
                     # the owner's run is followed by a memory-base capture: a background run's only when no
                     # component raised (no error event in its stream)
                     memory_capture=memory_capture(flow.user_id, user_id, clean_only=background),
                     # 1.13 arms the pause of a background run only (its build loop is given the job's id): a Human
                     # Input node suspends it; a sync or stream run goes on through the node
                     pauses=background and state.profile.run.human_input)
    run.scoped(scope)
    latency = state.settings.job_latency_ms if body.mode == WorkflowMode.BACKGROUND else 0.0
    # 1.13 logs a run's vertex builds under its job id: a sync run's (its graph logs each vertex's result under its
    # run id, the job's) and a background run's; the build loop of a live stream, which has no job id, logs none
    # 1.13's outputs are the flow's terminal vertices: a sync run lists each one, built or not
    spec = job_spec(state.llm, "workflow", run, latency_ms=latency, with_outputs=True, echo=echo,
                    closing_error=False, failed_by_component=body.mode == WorkflowMode.BACKGROUND,
                    log_builds=body.mode == WorkflowMode.BACKGROUND, graph_state=body.graph_state_shown(),
                    every_sink=sync, logs_results=sync, pooled=body.mode == WorkflowMode.BACKGROUND,
                    **run_timeout(state, body.mode))
    return spec


def run_timeout(state: AppState, mode: WorkflowMode) -> dict[str, Any]:
    """1.13's ceiling of a v2 run (JobSpec.timeout_s) and what a run past it becomes (on_timeout)."""
    if mode == WorkflowMode.BACKGROUND:
        return {"timeout_s": state.settings.background_job_timeout, "on_timeout": "timed_out"}
    return {"timeout_s": state.settings.workflow_execution_timeout,
            "on_timeout": "raise" if mode == WorkflowMode.SYNC else "error"}


# The JSON answer typed for /openapi.json as 1.13's document types it (the route's own answer is not checked
# against it); the stream under its own media type.
@router.post("", response_model=None,
             responses={200: {**answers(EVENT_STREAM)[200], "model": documented("WorkflowAnswer")}})
async def execute_workflow(body: WorkflowRunRequest, caller: UndeclaredUser, state: StateDep, request: Request) -> Any:
    """POST /api/v2/workflows. The caller as every v2 route finds it, but, as lfx's router (which serves this
    route in 1.13) finds the caller itself, no security scheme is declared, and the body is checked first."""
    user = caller()
    # As Langflow 1.13: the stream protocol is checked first, whatever the mode and whether or not the flow
    # exists; then the fields the mode cannot honour; then, for a sync run, the flow's data and tweaks.
    if body.stream_protocol not in STREAM_PROTOCOLS:
        raise errors.UnknownStreamProtocol(body.stream_protocol, list(STREAM_PROTOCOLS))
    flow = state.store.flows.find(body.flow_id, user_id=user.id, examples=False)
    if flow is None:
        raise errors.WorkflowFlowNotFound(body.flow_id)
    # 1.13's end-user scope (its 401), the session every mode then runs and answers in
    scope = serving_scope(state, request.headers, body.session_id, str(flow.id))
    if scope is not None:
        body = body.model_copy(update={"session_id": scope.session_id})
    _refuse_fields_for_mode(body)
    graph = body.data if body.data is not None else flow.data
    refuse_blocked_components(state, [graph])  # 1.13, every mode: the policy's 400, before anything runs
    if body.mode == WorkflowMode.SYNC:
        if graph is None:
            raise errors.InvalidFlowData(flow.id)
        # as 1.13's execute_sync_workflow makes the graph: process_tweaks (its check of the nodes, then refused
        # tweaks), Graph.from_payload (a part it reads missing; restricted file access), and only then the
        # output_ids against the graph's terminal nodes
        fault = run_graph_fault(graph)
        if fault == errors.TWEAKS_WITHOUT_NODES:
            raise errors.GraphNotBuilt(body.flow_id, fault)
        if refused := refused_tweaks(graph, body.tweaks, policy=state.runner.tweaks_policy):
            raise refused
        if fault is not None:
            raise errors.GraphNotBuilt(body.flow_id, fault)
        built = parse_graph(graph)
        apply_tweaks(built, body.tweaks)
        if denied := file_access_refusal(built, state.runner.storage, {str(flow.id), str(user.id)}):
            raise errors.GraphNotBuilt(body.flow_id, denied)
        if body.output_ids:
            known = [n.id for n in built.sinks()]  # what output_ids may name (tweaks change no edge)
            unknown = [i for i in body.output_ids if i not in known]
            if unknown:
                raise errors.UnknownOutputIds(unknown, known)
    # A stream or background run builds its graph once it is accepted: what fails there is its error event.
    failure = None if body.mode == WorkflowMode.SYNC else build_failure(state, body, flow.id, user.id, graph)
    if failure is not None and body.mode == WorkflowMode.STREAM:
        return StreamingResponse(_failed_stream(state, body, flow.id, failure[1]), media_type=EVENT_STREAM,
                                 headers=SSE_HEADERS)
    background = body.mode == WorkflowMode.BACKGROUND
    key = body.idempotency_key if background else None  # only a background job carries its key, as in Langflow
    if key is not None:
        earlier = state.store.jobs.by_idempotency_key(user_id=user.id, key=key)
        if earlier is not None:  # the retry's own flow_id is echoed, whichever flow the earlier job ran
            return {**job_body(state, earlier, status="queued"), "flow_id": body.flow_id}
    # 1.13's sync run also takes X-LANGFLOW-GLOBAL-VAR-* headers as globals (the body's win), and echoes them;
    # a stream or background run builds its graph in the v1 build loop, which is handed neither: it runs without
    # the request's globals
    headers = global_vars(request) if body.mode == WorkflowMode.SYNC else {}
    spec = _job_spec(state, body, flow, user.id, graph, headers, scope)
    # a background job keeps its request, as 1.13's does: what a resume runs again (the graph goes with a pause)
    kept = {"body": body.model_dump(mode="json", exclude={"data"})} if background else {}
    job = state.jobs.create(spec, user_id=user.id, idempotency_key=key,
                            extra={"echo": spec.echo, "output_ids": body.output_ids,
                                   "graph_state": body.graph_state_shown(), "mode": body.mode.value, **kept})
    if background:
        # 1.13 cancels the caller's runs of the flow suspended in the same session: this one replaces their pause
        await _supersede(state, flow.id, user.id, body.session_id or str(flow.id))
    if body.mode == WorkflowMode.SYNC:
        try:
            await state.jobs.execute(job, spec)
        except RunTimedOut:
            raise errors.WorkflowTimedOut(job.id, body.flow_id, state.settings.workflow_execution_timeout) from None
        finished = state.store.jobs.get(job.id)
        if finished is None:  # the flow, and its jobs with it, was deleted while the run went on
            raise errors.WorkflowFlowNotFound(body.flow_id)
        return response_body(state, finished, echo=True)
    if failure is not None:  # a background job: queued, then failed by its build
        await state.jobs.fail(job, [(events.ERROR, failure[1])], error=failure[0])
        return job_body(state, job, status="queued")
    state.jobs.start(job, spec)
    if body.mode == WorkflowMode.BACKGROUND:
        return job_body(state, job)
    return StreamingResponse(_live(state, job, _sse(state, job, protocol=body.stream_protocol, first_id=0,
                                                    graph_state=body.graph_state_shown())),
                             media_type=EVENT_STREAM, headers=SSE_HEADERS)


@router.get("", response_model=None)
async def get_workflow_status(
        user: CurrentUser, state: StateDep, request: Request,
        job_id: Annotated[str | UUID | None, Query(), AfterValidator(check_job_id)] = None) -> Any:
    """GET /api/v2/workflows?job_id=: the job while it is queued, running, suspended (waiting for a person) or
    cancelled; the response once done."""
    if job_id is None:
        raise errors.MissingJobId()
    job = workflow_job(state, job_id, user.id, seen_by=(request, user))
    mode = (job.request or {}).get("mode")
    if job.status == "completed" and (mode == BUILD_RUN or mode == WorkflowMode.SYNC.value
                                      and not state.settings.sync_result_storage_enabled):
        # 1.13 keeps no result of a v1 build's run, nor by default of a sync run: rebuilt from the vertex builds
        # logged under the job (cut to the serializer's limits, gone with vertex-build storage off)
        return response_body(state, job, result=rebuilt_run(state, job, user.id))
    if job.status == "completed":
        return response_body(state, job)
    if job.status == "failed":
        raise job_failed(state, job)
    if job.status == TIMED_OUT:
        raise errors.WorkflowTimedOut(job.id, job.flow_id)
    return job_body(state, job)


@router.post("/stop")
async def stop_workflow(body: WorkflowStopRequest, user: CurrentUser, state: StateDep,
                        request: Request) -> WorkflowStopResponse:
    """POST /api/v2/workflows/stop: cancel a queued or running background job; a finished one is left as it is,
    and a sync or stream run (which its own request holds) is a 409 whose mode reads "unknown", as in Langflow
    1.13."""
    job = workflow_job(state, body.job_id, user.id, missing=errors.StopJobNotFound, seen_by=(request, user))
    if not is_background(job):
        # 1.13 reads the mode off the request a background submit keeps; other runs keep none: "unknown".
        raise errors.JobNotCancellable(job.id, "unknown")
    if job.status == "cancelled":
        return WorkflowStopResponse(job_id=str(job.id), message=errors.job_already_cancelled(job.id))
    if job.status in FINISHED and not state.jobs.is_running(job.id):
        return WorkflowStopResponse(job_id=str(job.id), message=f"Job {job.id} already finished ({job.status}).")
    if job.status == SUSPENDED and await cancel_suspended(state, job):
        return WorkflowStopResponse(job_id=str(job.id), message=errors.job_cancelled(job.id))
    state.jobs.cancel(job.id)
    state.store.jobs.finish(job.id, "cancelled")
    # 1.13's background runner closes a stopped run's events with {"type": "cancelled"} (run_cancelled)
    await state.jobs.emit(job.id, [(events.RUN_CANCELLED, dict(events.CANCELLED))])
    return WorkflowStopResponse(job_id=str(job.id), message=errors.job_cancelled(job.id))


@router.get("/pending")
async def list_pending_workflows(
    flow_id: Annotated[UUID, Query(description="Flow ID to list pending HITL requests for")],
    user: CurrentUser, state: StateDep, request: Request,
) -> list[dict[str, Any]]:
    """GET /api/v2/workflows/pending?flow_id=: the caller's background runs of the flow suspended at a Human Input
    node (a superuser's too: only their own), oldest first, each with the request it waits on, as 1.13's
    list_pending_human_requests lists them: the session the run was sent (null if none), the job's creation
    time as its row reads back (naive ISO), and the request's id, kind, prompt, options and allowed decisions."""
    rows = []
    for job in state.store.jobs.suspended(flow_id=flow_id, user_id=user.id):
        pending = pending_request(state, job)
        if not pending or not end_user_owns(state, job, request, user):
            continue
        rows.append({"job_id": str(job.id), "flow_id": str(job.flow_id), "session_id": _sent(job).get("session_id"),
                     "created_at": ts_naive(job.created_at), "request_id": pending.get("request_id"),
                     "kind": pending.get("kind"), "prompt": pending.get("prompt"),
                     "options": pending.get("options") or [],
                     "allowed_decisions": pending.get("allowed_decisions") or []})
    return rows


def _sent(job: JobRow) -> dict[str, Any]:
    """The body a background run was submitted with (without its graph)."""
    body = (job.request or {}).get("body")
    return body if isinstance(body, dict) else {}


def _protocol(job: JobRow) -> str:
    """The stream protocol a background run was submitted with (langflow for a job kept before its request was,
    as 1.13 reads a legacy job)."""
    return str(_sent(job).get("stream_protocol") or "langflow")


def pending_request(state: AppState, job: JobRow) -> dict[str, Any] | None:
    """The request the job last paused with (its latest human_input_required event's), or None: 1.13 reads it off
    the job's events, so it stays after a resume."""
    found = state.store.jobs.last_event(job.id, HUMAN_INPUT_REQUIRED)
    return found if isinstance(found, dict) else None


def _stamp_card(state: AppState, job: JobRow, **stamp: Any) -> None:
    """Record on the pause's card message (its id kept with the pause) the answer or, for a run cancelled while
    it waited, that it was superseded; 1.13 lets a card that is gone go."""
    message_id = as_uuid(str((job.checkpoint or {}).get("card_message_id")))
    if message_id is None:
        return
    found = state.store.messages.get(message_id)
    blocks = stamped(found.content_blocks, **stamp) if found is not None else None
    if blocks is not None:
        state.store.messages.update(message_id, user_id=None, changes={"content_blocks": blocks},
                                    scoped_files=False)


async def cancel_suspended(state: AppState, job: JobRow) -> bool:
    """Cancel a suspended job (a stop, or a newer run of its session), unless a resume took it first: its card is
    marked superseded and its events end with the cancelled mark, as 1.13's _cancel_suspended does."""
    if not state.store.jobs.claim_suspended(job.id, to="cancelled"):
        return False
    state.store.jobs.update(job.id, finished_at=state.clock.now())
    _stamp_card(state, job, superseded=True)
    await state.jobs.emit(job.id, [(events.RUN_CANCELLED, dict(events.CANCELLED))])
    return True


async def _supersede(state: AppState, flow_id: UUID, user_id: UUID, session: str) -> None:
    """A background run cancels the user's runs of the same flow suspended in the same session (the flow's id
    for a run sent none), as 1.13's submit does."""
    for job in state.store.jobs.suspended(flow_id=flow_id, user_id=user_id):
        if (_sent(job).get("session_id") or str(flow_id)) == session:
            await cancel_suspended(state, job)


# Typed for /openapi.json as Langflow types it (the route answers the mock's own dict).
@router.post("/{job_id}/resume", response_model=None, responses={200: {"model": documented("WorkflowResumeResponse")}})
async def resume_workflow(job_id: str, body: WorkflowResumeRequest, user: CurrentUser,
                          state: StateDep, request: Request) -> dict[str, Any]:
    """POST /api/v2/workflows/{job_id}/resume: answer a suspended run's request, as 1.13 does. The job must be
    the caller's (a superuser passes for anyone's), else 404 without a message; 1.13 then looks its flow up as the
    caller's to re-check the execute permission (ensure_resume_execute_permission), which finds no flow of another
    user: its bare 404. An action the job's last request does not allow is a 422 INVALID_DECISION (checked even
    once it no longer waits); a job not suspended, or a request_id that is not its pending one, 409 NOT_RESUMABLE,
    so a second resume is one. Accepted: the card is stamped with the answer and the same job goes on from its
    pause (a late answer goes to the fallback branch, or to none)."""
    job = workflow_job(state, job_id, None if user.is_superuser else user.id, missing=errors.ResumeJobNotFound,
                       seen_by=(request, user))
    flow = state.store.flows.find(str(job.flow_id), user_id=user.id, examples=False) if job.flow_id else None
    if flow is None:
        raise flow_not_found(str(job.flow_id))
    decision = body.decision or {}
    pending = pending_request(state, job)
    allowed = (pending or {}).get("allowed_decisions") or []
    if allowed and decision.get("action_id") not in allowed:
        raise errors.InvalidDecision(job_id)
    checkpoint = job.checkpoint or {}
    waits_on = checkpoint.get("request_id")
    if job.status != SUSPENDED or waits_on is not None and body.request_id != waits_on:
        raise errors.NotResumable(job_id)
    # the run to go on with is made before the job is claimed, so that nothing fails once it is (as 1.13 reads
    # the job's request first)
    sent = WorkflowRunRequest.model_validate(_sent(job))
    spec = _job_spec(state, sent, flow, job.user_id or user.id, checkpoint.get("graph"), {})
    # the run's end user, or its anonymity, as its submit recorded them (its session is the scoped one sent)
    spec.request.end_user_id = (job.request or {}).get("end_user_id")
    spec.request.persist = (job.request or {}).get("persist", True)
    if not state.store.jobs.claim_suspended(job.id):  # a resume or stop that came at the same time won
        raise errors.NotResumable(job_id)
    taken = rerouted(pending, decision, state.clock.now())
    action = str(taken.get("action_id", ""))
    # the vertex that asked: a Human Input's request id is "<node>:<run>", an Agent's "<agent>:<run>:<interrupt>"
    gate = (body.request_id.partition(f":{job.id}")[0], body.request_id, action,
            gate_label(action, (pending or {}).get("options")))
    spec.request.resume = Resumed.going_on(checkpoint, body.request_id, taken, gate)
    _stamp_card(state, job, action=decision.get("action_id"), request_id=body.request_id)
    state.jobs.resume(job, spec)
    return {"job_id": job_id, "status": "resuming", "message": "Resume accepted"}


@router.get("/{job_id}/events", response_model=None, response_class=Response, responses=answers(EVENT_STREAM))
async def reattach_workflow_events(job_id: str, user: CurrentUser, state: StateDep,
                                   request: Request) -> StreamingResponse:
    """GET /api/v2/workflows/{job_id}/events: replay the job's events (ids from 1), then follow it to its end;
    with Last-Event-ID, only the events after that id. Only a background run records its events (1.13): a sync or
    stream run's job is an empty stream, which ends when the job does. Langflow reads Last-Event-ID from the
    request's headers, so /openapi.json names no header parameter."""
    job = workflow_job(state, job_id, user.id, missing=errors.BackgroundRunNotFound, seen_by=(request, user))
    last_event_id = request.headers.get("Last-Event-ID")
    if not is_background(job):
        return StreamingResponse(_no_events(state, job), media_type=EVENT_STREAM, headers=SSE_HEADERS)
    # ASCII digits only: str.isdigit() also admits "²", which int() refuses.
    last_id = int(last_event_id) if last_event_id and last_event_id.isascii() and last_event_id.isdigit() else 0
    if _protocol(job) == "agui":  # 1.13 stores and replays a run's events in the protocol it was sent with
        from mock_langflow.streaming import agui

        return StreamingResponse(agui.agui_replay(state, job, last_id=last_id), media_type=EVENT_STREAM,
                                 headers=SSE_HEADERS)
    graph_state = (job.request or {}).get("graph_state", True)
    return StreamingResponse(_reattach(state, job, last_id=last_id, graph_state=graph_state),
                             media_type=EVENT_STREAM, headers=SSE_HEADERS)


# --- /api/v2/workflows/public (1.13's api/v2/workflow_public.py): the shareable playground's run of a PUBLIC flow,
# streamed as a v2 run is, for a visitor, without credentials --------------------------------------------------

public_router = api_router(prefix="/workflows/public", tags=["Workflow (public)"], include_in_schema=False)


@public_router.post("", response_model=None)
async def execute_public_workflow(body: lazy_bodies.PublicWorkflowRunRequest, request: Request, state: StateDep,
                                  caller: Annotated[UserRow | None, Depends(caller_if_any)]) -> Any:
    """POST /api/v2/workflows/public, in 1.13's order: the per-client rate limit (LANGFLOW_PUBLIC_FLOW_RATE_LIMIT_
    PER_MINUTE, while LANGFLOW_RATE_LIMIT_ENABLED), the files (each "<flow id>/<name>", 400s), the visitor (the
    client_id cookie, or with auto-login off a signed-in caller: else 400), the flow (PUBLIC, else 404 "Flow not
    found"), its graph as a visitor may run it (400 "This flow cannot be executed."), the stream protocol (422).
    Then a v2 stream of the stored graph, secrets scrubbed, under the visitor's virtual flow id and their
    session namespaced under it, without graph state or error details; the run is nobody's job."""
    settings = state.settings
    if state.profile.auth.rate_limits and settings.rate_limit_enabled:
        client = ratelimit.client_key(request, settings)
        if not state.limits.hit(settings.public_flow_rate_limit_per_minute, "public-workflow", client):
            raise errors.PublicRunsLimited()
    flow_id = UUID(body.flow_id)
    check_public_files(body.files, flow_id)
    client_id = request.cookies.get("client_id")
    user_id = caller.id if caller is not None and not settings.auto_login else None
    if not client_id and user_id is None:
        raise errors.BadRequest(errors.NO_CLIENT_ID)
    flow = state.store.flows.public(flow_id)
    if flow is None:
        raise errors.NotFound(errors.PUBLIC_FLOW_NOT_FOUND)
    graph = public_graph(state, flow.data)
    if body.stream_protocol not in STREAM_PROTOCOLS:
        raise errors.UnknownStreamProtocol(body.stream_protocol, list(STREAM_PROTOCOLS))
    virtual = virtual_flow_id(flow_id, client_id=client_id, user_id=user_id, guarded=True)
    sent = WorkflowRunRequest(flow_id=str(virtual), input_value=body.input_value, mode="stream",
                              session_id=scoped_session(body.session_id, str(virtual)),
                              stream_protocol=body.stream_protocol, files=body.files,
                              start_component_id=body.start_component_id, stop_component_id=body.stop_component_id,
                              expose_graph_state=False)
    # the files a visitor's run may read: the virtual flow's and the real one's, no user's (an anonymous principal)
    failure = build_failure(state, sent, virtual, flow_id, graph)
    if failure is not None:
        return StreamingResponse(_failed_stream(state, sent, virtual, failure[1]), media_type=EVENT_STREAM,
                                 headers=SSE_HEADERS)
    spec = _job_spec(state, sent, flow, flow.user_id, graph, {})
    spec.request.flow_id, spec.request.source_flow_id = virtual, flow_id
    spec.request.anonymous, spec.request.error_details, spec.request.memory_capture = True, False, "never"
    job = state.jobs.create(spec, user_id=None, extra={"public": True, "graph_state": False, "mode": "stream"})
    state.jobs.start(job, spec)
    return StreamingResponse(_live(state, job, _sse(state, job, protocol=body.stream_protocol, first_id=0,
                                                    graph_state=False)),
                             media_type=EVENT_STREAM, headers=SSE_HEADERS)
