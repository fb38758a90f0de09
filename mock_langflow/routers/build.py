"""/api/v1/build: build jobs and their event streams, and the monitor's builds and transactions (facts 20-24)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any
from uuid import NAMESPACE_DNS, UUID, uuid5

from fastapi import Body, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from starlette.types import Receive

from mock_langflow import errors, ratelimit
from mock_langflow.auth import CurrentUser, caller_if_any
from mock_langflow.clock import as_utc, as_uuid, ts_z, wire_time
from mock_langflow.deps import StateDep, app_state
from mock_langflow.engine.graph import graph_fault, parse_graph
from mock_langflow.engine.jobs import job_spec
from mock_langflow.engine.runner import (
    RunRequest,
    file_access_refusal,
    memory_capture,
    refused_inputs,
    unbuilt_status,
)
from mock_langflow.engine.scrubbing import visitor_graph
from mock_langflow.profiles import current
from mock_langflow.responses import answers, json_body, no_content, page_count, typed_text
from mock_langflow.routers.flows import catalog_refusal, refuse_blocked_components
from mock_langflow.routing import api_router, documented
from mock_langflow.schemas import RequestShape, Shape
from mock_langflow.schemas.flows import AccessTypeEnum
from mock_langflow.schemas.run import InputValueRequest
from mock_langflow.state import AppState
from mock_langflow.store.models import JobRow, UserRow
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import langflow_block, polled_blocks

if TYPE_CHECKING:
    from mock_langflow.store.run_records import JobEventRow

router = api_router(prefix="/build", tags=["Chat"])
monitor_router = api_router(prefix="/monitor", tags=["Monitor"])

NDJSON = "application/x-ndjson"
FORGOTTEN_AFTER = timedelta(seconds=300)  # JobQueueService.CLEANUP_GRACE_PERIOD
QUEUE_EMPTY = ("every event of this build job was read already (Langflow hands each to one reader) and none "
               "comes any more")


class EventDeliveryType(StrEnum):
    STREAMING = "streaming"
    DIRECT = "direct"
    POLLING = "polling"


class FlowDataRequest(RequestShape):
    """A build's own graph: nodes and edges are required, as in every release."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    viewport: dict[str, Any] | None = None


class BuildStarted(Shape):
    job_id: str


class CancelFlowResponse(Shape):
    success: bool
    message: str


def job_not_found(job_id: str) -> errors.NotFound:
    return errors.NotFound(current().build.unknown_job.format(job_id=job_id))


def _build_job(state: AppState, job_id: str) -> JobRow | None:
    """The build job Langflow's queue still knows by that id, whoever started it."""
    job_uuid = as_uuid(job_id)
    job = state.store.jobs.get(job_uuid) if job_uuid is not None else None
    if job is None or job.kind != "build" or _forgotten(state, job):
        return None
    return job


def is_public(job: JobRow) -> bool:
    """Whether the public build started the job: its mark sits in the job's stored request."""
    return bool((job.request or {}).get("public"))


def _own_job(state: AppState, job_id: str, user_id: UUID) -> JobRow:
    """The caller's build job; in 1.13 also a public one, which has no owner and any signed-in user may read.
    Before 1.13 any build job: those releases' /events and /cancel check credentials, never whose job it is."""
    job = _build_job(state, job_id)
    build = state.profile.build
    if job is None or build.owner_scoped and not (
            job.user_id == user_id or build.public == "guarded" and job.user_id is None and is_public(job)):
        raise job_not_found(job_id)
    return job


def _forgotten(state: AppState, job: JobRow) -> bool:
    """Langflow's job queue drops an ended job at a sweep (every minute or so) once 300 s have passed since the
    sweep that first saw it ended; the mock takes the earliest moment that can be, 300 s after the end. The job
    stays stored: only Langflow's queue forgets it."""
    return (job.finished_at is not None and job.status in state.profile.build.forgotten
            and state.clock.now() - as_utc(job.finished_at) >= FORGOTTEN_AFTER)


async def never_answer(state: AppState, request: Request, what: str, *, headers_first: bool = False,
                       on_leave: Callable[[], None] | None = None) -> Response:
    """Where real Langflow never answers, hold the request open until the client leaves (the default), then
    call `on_leave`; or, with MOCK_LANGFLOW_NEVER_ANSWER=error, say so at once. `headers_first`: the release
    sends a 200 and its headers before it stops (a stream that never yields)."""
    if state.settings.never_answer == "error":
        raise errors.NeverAnswered(what)
    if headers_first:
        return BuildStream(_hold(), on_leave=on_leave)
    while not await request.is_disconnected():
        await asyncio.sleep(0.5)
    if on_leave is not None:
        on_leave()
    return Response(status_code=499)


async def _hold() -> AsyncIterator[bytes]:
    """Yields nothing, ever; Starlette ends it when the client leaves."""
    await asyncio.Event().wait()
    yield b""


class BuildStream(StreamingResponse):
    """A build's NDJSON event stream that calls `on_leave` when its client disconnects before the end, as
    Langflow's build stream does. It hears the disconnect while it streams, as Starlette's streams do under
    ASGI servers of spec 2.3 (uvicorn's); a request cancelled for another reason is no client leaving."""

    def __init__(self, content: AsyncIterator[bytes], *, on_leave: Callable[[], None] | None) -> None:
        super().__init__(content, media_type=NDJSON)
        self.on_leave = on_leave

    async def listen_for_disconnect(self, receive: Receive) -> None:
        await super().listen_for_disconnect(receive)
        if self.on_leave is not None:
            self.on_leave()


def reader_left(state: AppState, job_id: UUID) -> None:
    """A client left a build's event stream before its end. Langflow's stream then cancels the build (a cancel:
    its queue never gets a close) and queues an empty `end` for the next reader, in every release; after a
    finished build whose close nobody has taken yet, that `end` waits behind the close, for the reader after
    the one that takes it."""
    job = state.store.jobs.get(job_id)
    if job is None:
        return
    cancel_job(state, job)
    job = state.store.jobs.get(job_id)
    if job is None:
        return
    if job.status in closing(state) and not (job.drained or job.poll_ended):
        state.store.jobs.end_after_close(job_id)
        return
    state.jobs.emit_now(job_id, [(events.END, {})])


def closing(state: AppState) -> tuple[str, ...]:
    """The statuses after which a build job's queue gets its close, so a stream ends and a poll queues an empty
    `end`: a finished build; a failed one too in 1.13, whose job task closes the queue after a failure (before,
    the failed task leaves it open: the flow-without-data recordings show it). A cancelled one never."""
    return ("completed", "failed") if state.profile.build.empty_flow_direct == "closes" else ("completed",)


@dataclass
class _Reader:
    """One stream's reader of a build job's queue: whether its client left, and whether the stream ended."""

    gone: bool = False
    ended: bool = False


def event_stream(state: AppState, job_id: UUID) -> BuildStream:
    """The job's events as a stream; a client that leaves it before its end stops the build (reader_left).
    A disconnect heard after the end is none: the ASGI server reports one as soon as a response is complete."""
    reader = _Reader()

    def on_leave() -> None:
        if not reader.ended:
            reader.gone = True
            reader_left(state, job_id)

    return BuildStream(_event_stream(state, job_id, reader), on_leave=on_leave)


async def _event_stream(state: AppState, job_id: UUID, reader: _Reader) -> AsyncIterator[bytes]:
    """The job's events as NDJSON blocks, each taken from its queue as it comes. The stream ends with the close;
    without one (a cancelled job, everything already read) it stays open until the client leaves. Once its
    client is gone it takes nothing more: what it has not sent, and what its leaving queues, are for the next
    reader (one event at a time, as Langflow's stream takes them)."""
    ends = closing(state)
    while not reader.gone:
        rows, closed = state.store.jobs.take(job_id, limit=1, closing=ends)
        for row in rows:
            yield langflow_block(row.event, row.data)
        if closed:
            reader.ended = True
            return
        if not rows:
            await state.jobs.wait_ready(job_id, closing=ends)


def _blocks(rows: list[JobEventRow]) -> bytes:
    return polled_blocks([langflow_block(r.event, r.data) for r in rows])


@router.post("/{flow_id}/flow", response_model=None, responses=answers(NDJSON))
async def build_flow(
    flow_id: UUID, user: CurrentUser, state: StateDep,
    inputs: Annotated[InputValueRequest | None, Body()] = None,
    data: Annotated[FlowDataRequest | None, Body()] = None,
    files: Annotated[list[str] | None, Body()] = None,
    stop_component_id: str | None = None, start_component_id: str | None = None, log_builds: bool = True,
    flow_name: str | None = None, event_delivery: EventDeliveryType = EventDeliveryType.POLLING,
) -> BuildStarted | StreamingResponse:
    """POST /api/v1/build/{flow_id}/flow: start a build job; `direct` streams its events in this response. Before
    1.13 any user's flow is found by its id and built as the caller's run. 1.13 builds the caller's flow or
    another user's PUBLIC one, the latter from its stored graph (the caller's `data` is dropped), with its
    vertices' params null and no component's error details."""
    scoped = state.profile.build.owner_scoped
    flow = state.store.flows.find_any(str(flow_id))
    shared = flow is not None and scoped and flow.user_id != user.id
    if flow is None or shared and flow.access_type != AccessTypeEnum.PUBLIC:
        raise errors.NotFound(f"Flow with id {flow_id} not found")
    graph = data.model_dump(exclude_none=True) if data is not None and not shared else flow.data
    refuse_blocked_components(state, [graph])  # 1.13, before the job: the policy's 400
    request = RunRequest(flow_id=flow.id, flow_name=flow_name or flow.name, endpoint_name=flow.endpoint_name,
                         data=graph, user_id=user.id, session_id=(inputs.session if inputs else None),
                         input_value=inputs.input_value if inputs else None,
                         output_type="any", inputs_to="chat_input", vertex_failures=True, session_everywhere=False,
                         starts_at_input=False, variables_required=True, files=list(files or []),
                         start_component_id=start_component_id, stop_component_id=stop_component_id,
                         error_details=not shared, build_params=not shared,
                         # a build of the caller's own flow that reaches its end fires a memory-base capture
                         memory_capture=memory_capture(flow.user_id, user.id))
    return await start_build(state, request, owner=user.id, log_builds=log_builds, event_delivery=event_delivery,
                             inputs=inputs)


async def start_build(state: AppState, request: RunRequest, *, owner: UUID | None, log_builds: bool,
                      event_delivery: EventDeliveryType, inputs: InputValueRequest | None,
                      public: bool = False) -> BuildStarted | StreamingResponse:
    """Queue a build job of `request` for `owner` (None: nobody's) and start it, or fail it at once when Langflow
    makes no graph of it: no graph (a flow whose data is null or empty), a graph lacking a part the graph loader
    reads (graph_fault), or (1.13) a file field it refuses; `direct` streams its events in this response.
    `inputs`: the request's (its session; see _fail_unbuilt), whose components 1.13 refuses under
    LANGFLOW_TWEAKS_POLICY=off before any job. `public`: the public build's mark on the job."""
    if refused := refused_inputs(inputs.components or [] if inputs else [], state.runner.tweaks_policy):
        raise refused
    if event_delivery != EventDeliveryType.DIRECT:
        # Langflow queues a failed vertex's trace ending (with its error) on the POST's background tasks, which
        # have run before the build got there unless the response streams the build (direct): the trace's
        # status is then only its spans'
        request.failures_fail_trace = False  # the request is this build's own
    spec = job_spec(state.llm, "build", request, latency_ms=state.settings.job_latency_ms, log_builds=log_builds)
    job = state.jobs.create(spec, user_id=owner, extra={"public": True} if public else None)
    # 1.13's error Message has the session of the request's inputs, which are the flow's id only when not sent
    session = request.session_id if inputs is not None else str(request.flow_id)
    if not request.data:
        await _fail_unbuilt(state, job, request, errors.NO_DATA_DETAIL, session=session,
                            traceback=errors.NO_DATA_TRACEBACK)
    elif (fault := graph_fault(request.data)) is not None:
        await _fail_unbuilt(state, job, request, fault, session=session,
                            traceback="mock-langflow: the graph lacks a part")
    elif (denied := _file_access_denied(state, request)) is not None:
        await _fail_unbuilt(state, job, request, denied, session=session, status=unbuilt_status(denied),
                            traceback="mock-langflow: the graph was not built")
    else:
        state.jobs.start(job, spec)
    if event_delivery == EventDeliveryType.DIRECT:
        return event_stream(state, job.id)
    return BuildStarted(job_id=str(job.id))


def _file_access_denied(state: AppState, request: RunRequest) -> str | None:
    """1.13's restricted local file access as a build's graph is made: a file field the flow holds naming a path
    outside the run's storage folders (RunRequest.file_scopes: the caller's, unless a visitor's, and the flow's; a
    public build's virtual flow's and its real one's) or no path stops the build before any vertex."""
    return file_access_refusal(parse_graph(request.data or {}), state.runner.storage, request.file_scopes())


async def _fail_unbuilt(state: AppState, job: JobRow, request: RunRequest, detail: str, *, session: str | None,
                        status: int = 500, traceback: str) -> None:
    """A build whose graph Langflow does not make: its graph step raises an HTTPException (`status`, `detail`:
    500 and the error's text, or the 400 of a refusal), sent as an error Message whose text is the detail, in
    `session` (the inputs' session: none for inputs without one, the flow's id without inputs). 1.13
    then closes the events with the bare "<status>: <detail>"; before 1.13 the Message comes alone, without a
    session, and the queue stays open (the flow-without-data recordings). 1.13 shows a caller without error
    details (another user's PUBLIC flow, the public build) only "Workflow execution failed.", without a
    traceback (error_for_client)."""
    legacy = state.profile.build.empty_flow_direct == "hangs"
    if not request.error_details:
        detail, traceback = errors.SAFE_WORKFLOW_ERROR, ""
    closing = f"{status}: {detail}"
    batch: list[tuple[str, Any]] = [
        (events.ERROR, events.error_message(f"{detail}\n", flow_id=request.flow_id,
                                            session_id=None if legacy else session, clock=state.clock,
                                            reason=errors.NO_DATA_REASON, traceback=traceback))]
    if not legacy:
        batch.append((events.ERROR, {"error": closing}))
    await state.jobs.emit(job.id, batch)
    state.store.jobs.finish(job.id, "failed", error=closing)


@router.get("/{job_id}/events", response_model=None, response_class=Response, responses=answers(NDJSON))
async def get_build_events(job_id: str, request: Request, user: CurrentUser, state: StateDep,
                           event_delivery: EventDeliveryType = EventDeliveryType.STREAMING) -> Response:
    """GET /api/v1/build/{job_id}/events: the job's events as NDJSON, streamed or one poll at a time. Every
    reader takes what it reads from the job's queue: a later one gets only what nobody has read yet."""
    return await read_events(state, request, _own_job(state, job_id, user.id), event_delivery)


async def read_events(state: AppState, request: Request, job: JobRow, event_delivery: EventDeliveryType) -> Response:
    """What a reader of the build job's queue gets: a stream of its events, or a poll's worth."""
    ends = closing(state)
    if state.store.jobs.queue_state(job.id, closing=ends) == "empty":
        streamed = event_delivery != EventDeliveryType.POLLING
        return await never_answer(state, request, QUEUE_EMPTY,
                                  headers_first=streamed and state.profile.build.drained_reget == "headers",
                                  on_leave=(lambda: reader_left(state, job.id)) if streamed else None)
    if event_delivery != EventDeliveryType.POLLING:
        return event_stream(state, job.id)
    # A poll takes everything queued; with nothing queued yet, it waits for the next one thing.
    rows, closed = state.store.jobs.take(job.id, limit=None, closing=ends)
    if not rows and not closed:
        if not await state.jobs.wait_ready(job.id, closing=ends, give_up=True):  # cancelled meanwhile
            return await never_answer(state, request, QUEUE_EMPTY)
        rows, closed = state.store.jobs.take(job.id, limit=1, closing=ends)
    if closed:
        # Langflow answers the close by queueing an empty end for the next reader (fact 22).
        await state.jobs.emit(job.id, [(events.END, {})])
    return Response(_blocks(rows), media_type=NDJSON)


@router.post("/{job_id}/cancel")
async def cancel_build(job_id: str, user: CurrentUser, state: StateDep) -> CancelFlowResponse:
    """POST /api/v1/build/{job_id}/cancel: success even for a job that already ended (fact 23)."""
    return cancel_job(state, _own_job(state, job_id, user.id))


def cancel_job(state: AppState, job: JobRow) -> CancelFlowResponse:
    """Stop the build job if it still runs; success either way."""
    if state.jobs.cancel(job.id) or job.status in ("queued", "in_progress"):
        state.store.jobs.finish(job.id, "cancelled")
    return CancelFlowResponse(success=True, message="Flow build cancelled successfully")


# --- /api/v1/monitor/builds and /transactions -----------------------------------------------------------


def reaches(state: AppState, flow_id: UUID, user_id: UUID) -> bool:
    """Whether the monitor shows or deletes the flow's builds and transactions for this caller: the caller's flow
    only; before 1.13 any flow, by its id alone."""
    return not state.profile.messages.owner_scoped or state.store.flows.owns(flow_id, user_id)


# Typed for /openapi.json as Langflow types it (the route's own answer is not checked against it).
@monitor_router.get("/builds", response_model=None, responses={200: {"model": documented("VertexBuildMapModel")}})
async def get_vertex_builds(flow_id: Annotated[UUID, Query()], user: CurrentUser, state: StateDep) -> Response:
    """GET /api/v1/monitor/builds?flow_id=: the latest logged build of each vertex of the flow, by vertex. In 1.13
    a flow that is not the caller's (or no flow) has none: Langflow answers 200, so as not to tell whether it
    exists. Langflow's answer is typed (VertexBuildMapModel): a build's floats (its timedelta) are written as its
    FastAPI writes a typed answer."""
    grouped = state.store.jobs.vertex_builds(flow_id) if reaches(state, flow_id, user.id) else {}
    profile = state.profile
    body = json_body({"vertex_builds": {vertex: [profile.strip("VertexBuild", {
        "timestamp": ts_z(as_utc(b.timestamp)), "artifacts": b.artifacts, "params": b.params, "id": b.vertex_id,
        "flow_id": str(b.flow_id), "build_id": str(b.build_id), "data": b.data, "valid": b.valid,
        "job_id": str(b.job_id) if b.job_id else None}) for b in builds] for vertex, builds in grouped.items()}})
    return Response(typed_text(body, profile.http.typed_json), media_type="application/json")


@monitor_router.delete("/builds", status_code=204)
async def delete_vertex_builds(flow_id: Annotated[UUID, Query()], user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/monitor/builds?flow_id=: 204 with a JSON content type (Langflow's handler returns nothing,
    which FastAPI answers as JSON), and nothing deleted for a flow that is not the caller's."""
    if reaches(state, flow_id, user.id):
        state.store.jobs.delete_vertex_builds(flow_id)
    return no_content()


async def page_params(page: Annotated[int | None, Query(ge=1)] = None,
                      size: Annotated[int | None, Query(ge=1, le=100)] = None) -> tuple[int, int]:
    """Langflow's paging dependency (custom_params): the first page, and 50 to a page, unless given. Being a
    dependency, its 422 errors come before those of the route's own parameters, as in Langflow."""
    return page or 1, size or 50


async def pagination_params(page: Annotated[int, Query(ge=1, description="Page number")] = 1,
                            size: Annotated[int, Query(ge=1, le=100, description="Page size")] = 50) -> tuple[int, int]:
    """The page parameters fastapi_pagination's add_pagination gives every route answering a Page: a second
    dependency beside the route's own (before 1.13 the one that decides the limits, defaults and the document's
    schema; in 1.13 the route's own has the same limits, so an error is listed twice, and its schema is the
    document's)."""
    return page, size


# Typed for /openapi.json as Langflow types it (the route's own answer is not checked against it).
@monitor_router.get("/transactions", response_model=None,
                    responses={200: {"model": documented("TRANSACTIONS")}})
async def get_transactions(flow_id: Annotated[UUID, Query()], user: CurrentUser, state: StateDep,
                           _paged: Annotated[tuple[int, int], Depends(pagination_params)],
                           paging: Annotated[tuple[int, int], Depends(page_params)]) -> Response:
    """GET /api/v1/monitor/transactions?flow_id=: vertex runs, newest first, one page at a time. A flow that is
    not the caller's gives Langflow's empty first page (whatever page was asked for). Langflow's answer is typed
    (a Page), so the floats of the logged inputs are written as its FastAPI writes a typed answer."""
    page, size = paging
    if not reaches(state, flow_id, user.id):
        return Response(json_body({"items": [], "total": 0, "page": 1, "size": size, "pages": 0}),
                        media_type="application/json")
    total, rows = state.store.jobs.transactions(flow_id, page=page, size=size)
    items = [{"id": str(r.id), "timestamp": wire_time(r.timestamp, "transactions"), "vertex_id": r.vertex_id,
              "target_id": r.target_id, "inputs": r.inputs, "outputs": r.outputs, "status": r.status} for r in rows]
    body = json_body({"items": items, "total": total, "page": page, "size": size, "pages": page_count(total, size)})
    return Response(typed_text(body, state.profile.http.typed_json), media_type="application/json")


async def page_params_unchecked(page: Annotated[int | None, Query()] = None,
                                size: Annotated[int | None, Query()] = None) -> None:
    """Before 1.13 the paging dependency (custom_params) declares page and size without limits: only a value that
    is not a number fails it."""


@monitor_router.get("/transactions", name="get_transactions_paged",
                    operation_id="get_transactions_api_v1_monitor_transactions_get", response_model=None,
                    responses={200: {"model": documented("TRANSACTIONS")}})
async def get_transactions_paged(flow_id: Annotated[UUID, Query()], user: CurrentUser, state: StateDep,
                                 _sent: Annotated[None, Depends(page_params_unchecked)],
                                 paging: Annotated[tuple[int, int], Depends(pagination_params)]) -> Response:
    """GET /api/v1/monitor/transactions?flow_id=, before 1.13: as 1.13's, page and size read twice, by the route's
    paging dependency and by the one add_pagination appends, but the first without limits, so a value that is not
    a number is listed twice in a 422 and a page under 1 or a size outside 1..100 once (1.13: twice)."""
    return await get_transactions(flow_id, user, state, paging, paging)


# --- /api/v1/build_public_tmp: the shareable playground's build of a PUBLIC flow, without credentials -------

public_router = api_router(prefix="/build_public_tmp", tags=["Chat"])

# A public build's file: "<the flow's id>/<a name>", nothing else (GHSA-rcjh-r59h-gq37).
PUBLIC_FILE = re.compile(r"^([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})/([^/\\]+)$")


def check_public_files(files: list[str] | None, flow_id: UUID) -> None:
    """1.13 refuses, before anything else, a file that is not in the public flow's own folder (its id in any
    case) or names that folder itself."""
    for entry in files or []:
        if not entry:
            raise errors.BadRequest(errors.INVALID_FILE_ENTRY)
        if any(bad in entry for bad in ("\x00", "..", "\\")):
            raise errors.BadRequest(errors.INVALID_FILE_PATH)
        match = PUBLIC_FILE.match(entry)
        if match is None:
            raise errors.BadRequest(errors.INVALID_FILE_PATH_FORMAT)
        if match.group(1).lower() != str(flow_id):
            raise errors.BadRequest(errors.FILE_NOT_IN_FLOW)
        if match.group(2) == ".":
            raise errors.BadRequest(errors.PUBLIC_FILE_NAME_INVALID)


def virtual_flow_id(flow_id: UUID, *, client_id: str | None, user_id: UUID | None, guarded: bool) -> UUID:
    """The id a public build's messages and sessions live under, one per visitor and flow: a uuid5 in the DNS
    namespace of "<who>_<flow id>", where 1.13 says whether "who" is a signed-in user or a client_id cookie."""
    if not guarded:
        return uuid5(NAMESPACE_DNS, f"{client_id}_{flow_id}")
    who = f"user:{user_id}" if user_id is not None else f"client:{client_id}"
    return uuid5(NAMESPACE_DNS, f"{who}_{flow_id}")


def scoped_session(session: str | None, namespace: str) -> str | None:
    """1.13 keeps a caller's inputs.session under the virtual flow id (CVE-2026-33017): "<id>:<session>"."""
    if session is None or session == namespace or session.startswith(f"{namespace}:"):
        return session
    return f"{namespace}:{session}"


async def _data_if_taken(request: Request) -> dict[str, Any] | None:
    """Before 1.13 the public build takes the caller's `data` graph too."""
    try:
        body = await request.json()
    except ValueError:
        return None
    raw = body.get("data") if isinstance(body, dict) else None
    if raw is None:
        return None
    try:
        return FlowDataRequest.model_validate(raw).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", "data", *e["loc"])} for e in exc.errors(include_url=False)]) from exc


async def public_build_caller(request: Request) -> UserRow | None:
    """1.13's public build looks for a signed-in caller (and counts a key's use); before, it takes no
    credentials at all."""
    if app_state(request).profile.build.public != "guarded":
        return None
    return await caller_if_any(request)


@public_router.post("/{flow_id}/flow", response_model=None, responses=answers(NDJSON))
async def build_public_tmp(
    flow_id: UUID, request: Request, state: StateDep,
    caller: Annotated[UserRow | None, Depends(public_build_caller)],
    inputs: Annotated[InputValueRequest | None, Body()] = None,
    files: Annotated[list[str] | None, Body()] = None,
    stop_component_id: str | None = None, start_component_id: str | None = None, log_builds: bool | None = True,
    flow_name: str | None = None, event_delivery: EventDeliveryType = EventDeliveryType.POLLING,
) -> BuildStarted | StreamingResponse:
    """POST /api/v1/build_public_tmp/{flow_id}/flow: build a PUBLIC flow for a visitor known by the client_id
    cookie (1.13: or, with auto-login off, by being signed in); its messages go under the visitor's virtual flow
    id. 1.13 builds the stored graph only, marks the job public and shows the visitor no component's error details
    in its vertices' build data; before, the caller's `data` is taken (1.7.1: only that). 1.13 counts builds per
    flow and client address, LANGFLOW_PUBLIC_FLOW_RATE_LIMIT_PER_MINUTE (20) a minute, then 429 (none while
    LANGFLOW_RATE_LIMIT_ENABLED is off)."""
    settings = state.settings
    if state.profile.auth.rate_limits and settings.rate_limit_enabled:  # before anything else, as 1.13 does
        state.limits.check(settings.public_flow_rate_limit_per_minute, f"public-build:{flow_id}",
                           ratelimit.client_key(request, settings))
    guarded = state.profile.build.public == "guarded"
    if guarded:
        check_public_files(files, flow_id)
    client_id = request.cookies.get("client_id")
    user_id = caller.id if guarded and caller is not None and not settings.auto_login else None
    if not client_id and user_id is None:
        raise errors.BadRequest(errors.NO_CLIENT_ID)
    flow = state.store.flows.public(flow_id)
    if flow is None:
        raise errors.NotFound(errors.PUBLIC_FLOW_NOT_FOUND) if guarded else errors.Forbidden(errors.FLOW_NOT_PUBLIC)
    virtual = virtual_flow_id(flow_id, client_id=client_id, user_id=user_id, guarded=guarded)
    session = inputs.session if inputs else None
    if guarded:
        graph = public_graph(state, flow.data)
        session = scoped_session(session, str(virtual))
    else:
        sent = await _data_if_taken(request)
        graph = sent if sent is not None or state.profile.build.public == "sent-data" else flow.data
    run = RunRequest(flow_id=virtual, flow_name=flow_name or f"{user_id or client_id}_{flow_id}",
                     endpoint_name=flow.endpoint_name, data=graph, user_id=flow.user_id, session_id=session,
                     input_value=inputs.input_value if inputs else None, output_type="any", inputs_to="chat_input",
                     vertex_failures=True, session_everywhere=False, starts_at_input=False, variables_required=True,
                     files=list(files or []), start_component_id=start_component_id,
                     stop_component_id=stop_component_id, error_details=not guarded, anonymous=guarded,
                     source_flow_id=flow_id)
    # 1.13 runs it as nobody (the job has no owner, no global variable is found); before, as the flow's owner.
    return await start_build(state, run, owner=None if guarded else flow.user_id, log_builds=bool(log_builds),
                             event_delivery=event_delivery, inputs=inputs, public=True)


def public_graph(state: AppState, data: Any) -> dict[str, Any]:
    """The graph 1.13 runs for a visitor of a PUBLIC flow (the public build, the v2 public run): visitor_graph's;
    a flow it will not run, or whose graph uses a component the catalog policy blocks, is a 400 "This flow cannot
    be executed." (a visitor is not told which components)."""
    graph = visitor_graph(data)
    if graph is None or catalog_refusal(state, [data]):
        raise errors.BadRequest(errors.PUBLIC_FLOW_NOT_EXECUTABLE)
    return graph


def _public_job(state: AppState, job_id: str) -> JobRow:
    """A build job as the public routes see it: in 1.13 only one the public build started, and whatever is not
    is the same bare 404, so nobody learns which ids exist; before, any build job."""
    job = _build_job(state, job_id)
    if state.profile.build.public == "guarded":
        if job is None or not is_public(job):
            raise errors.NotFound(errors.PUBLIC_JOB_NOT_FOUND)
        return job
    if job is None:
        raise job_not_found(job_id)
    return job


@public_router.get("/{job_id}/events", response_model=None, response_class=Response, responses=answers(NDJSON))
async def get_build_events_public(job_id: str, request: Request, state: StateDep,
                                  event_delivery: EventDeliveryType = EventDeliveryType.STREAMING) -> Response:
    """GET /api/v1/build_public_tmp/{job_id}/events: a public build's events, read as the signed-in route reads
    them, without credentials."""
    return await read_events(state, request, _public_job(state, job_id), event_delivery)


@public_router.post("/{job_id}/cancel")
async def cancel_build_public(job_id: str, state: StateDep) -> CancelFlowResponse:
    """POST /api/v1/build_public_tmp/{job_id}/cancel: stop a public build, without credentials."""
    return cancel_job(state, _public_job(state, job_id))
