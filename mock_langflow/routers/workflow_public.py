"""/api/v2/workflows/public (1.13's api/v2/workflow_public.py): the shareable playground's run of a PUBLIC flow,
streamed as a v2 run is (routers/workflows.py), for a visitor, without credentials."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from fastapi.responses import StreamingResponse

from mock_langflow import errors, ratelimit
from mock_langflow.auth import caller_if_any
from mock_langflow.deps import StateDep
from mock_langflow.engine.scrubbing import visitor_graph
from mock_langflow.routers.build import _check_public_files, scoped_session, virtual_flow_id
from mock_langflow.routers.workflows import (
    EVENT_STREAM,
    SSE_HEADERS,
    _failed_stream,
    _job_spec,
    _live,
    _sse,
    build_failure,
)
from mock_langflow.routing import api_router
from mock_langflow.schemas.workflows import STREAM_PROTOCOLS, PublicWorkflowRunRequest, WorkflowRunRequest
from mock_langflow.store.models import UserRow

router = api_router(prefix="/workflows/public", tags=["Workflow (public)"], include_in_schema=False)


@router.post("", response_model=None)
async def execute_public_workflow(body: PublicWorkflowRunRequest, request: Request, state: StateDep,
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
    _check_public_files(body.files, flow_id)
    client_id = request.cookies.get("client_id")
    user_id = caller.id if caller is not None and not settings.auto_login else None
    if not client_id and user_id is None:
        raise errors.BadRequest(errors.NO_CLIENT_ID)
    flow = state.store.flows.public(flow_id)
    if flow is None:
        raise errors.NotFound(errors.PUBLIC_FLOW_NOT_FOUND)
    graph = visitor_graph(flow.data)
    if graph is None:
        raise errors.BadRequest(errors.PUBLIC_FLOW_NOT_EXECUTABLE)
    if body.stream_protocol not in STREAM_PROTOCOLS:
        raise errors.UnknownStreamProtocol(body.stream_protocol, list(STREAM_PROTOCOLS))
    virtual = virtual_flow_id(flow_id, client_id=client_id, user_id=user_id, guarded=True)
    run = WorkflowRunRequest(flow_id=str(virtual), input_value=body.input_value, mode="stream",
                             session_id=scoped_session(body.session_id, str(virtual)),
                             stream_protocol=body.stream_protocol, files=body.files,
                             start_component_id=body.start_component_id, stop_component_id=body.stop_component_id,
                             expose_graph_state=False)
    # the visitor's files are the virtual flow's and the real one's: no user's (the run is an anonymous principal's)
    failure = build_failure(state, run, virtual, flow_id, graph)
    if failure is not None:
        return StreamingResponse(_failed_stream(state, run, virtual, failure[1]), media_type=EVENT_STREAM,
                                 headers=SSE_HEADERS)
    spec = _job_spec(state, run, flow, flow.user_id, graph, {})
    spec.request.flow_id, spec.request.source_flow_id = virtual, flow_id
    spec.request.anonymous, spec.request.error_details, spec.request.memory_capture = True, False, "never"
    job = state.jobs.create(spec, user_id=None, extra={"public": True, "graph_state": False, "mode": "stream"})
    state.jobs.start(job, spec)
    return StreamingResponse(_live(state, job, _sse(state, job, protocol=body.stream_protocol, first_id=0,
                                                    graph_state=False)),
                             media_type=EVENT_STREAM, headers=SSE_HEADERS)
