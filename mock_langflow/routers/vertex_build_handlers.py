"""The handlers of the vertex-by-vertex build (routers/vertex_builds.py), imported when a route is first analysed.

A client sorts a flow's graph (POST /build/{flow_id}/vertices), then builds each vertex in turn (POST
/build/{flow_id}/vertices/{vertex_id}), following each answer's next_vertices_ids. Between the requests Langflow
keeps the graph, with what its vertices built, in its chat service's cache under the flow's id, in process memory
for an hour after each write; the mock keeps the run it prepared there too (Runner.vertex_graphs), so a restart or
a reset of the runs forgets it as Langflow's restart does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

from fastapi import Body, Response
from fastapi.responses import StreamingResponse

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.engine.graph import graph_fault
from mock_langflow.engine.runner import RunError, RunRequest, VertexFailure
from mock_langflow.responses import json_body, typed_text
from mock_langflow.routers.build import FlowDataRequest
from mock_langflow.routers.flows import catalog_refusal, refuse_blocked_components
from mock_langflow.schemas.run import InputValueRequest
from mock_langflow.state import AppState
from mock_langflow.store.models import FlowRow, UserRow
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import stream_data

if TYPE_CHECKING:
    from mock_langflow.engine.runner import _Run

# lfx's build_graph_from_db_no_cache: no flow by that id, or one without data
INVALID_FLOW_ID = "Invalid flow ID"
BOTH_COMPONENTS = "You can only provide one of stop_component_id or start_component_id"
# the node types lfx makes an InterfaceVertex of, the only vertices with a `stream` of their own
INTERFACE_TYPES = frozenset({"ChatInput", "ChatOutput", "TextInput", "TextOutput", "DataOutput", "Webhook"})


def _flow(state: AppState, flow_id: UUID, user: UserRow) -> FlowRow | None:
    """The flow the routes build. 1.13's are owner-only: anything but the caller's own flow is a 404 (profile
    build.owner_scoped); before, the flow by its id, whoever's, or none."""
    flow = state.store.flows.find_any(str(flow_id))
    if state.profile.build.owner_scoped and (flow is None or flow.user_id != user.id):
        raise errors.NotFound(f"Flow with id {flow_id} not found")
    return flow


def _run_request(state: AppState, flow_id: UUID, user: UserRow, flow: FlowRow | None,
                 data: dict[str, Any] | None) -> RunRequest:
    """The run of the graph Langflow makes: a sent graph (`data`) gets no session, flow name or user of its own
    (build_and_cache_graph_from_data); the stored one (build_graph_from_db) the flow's id as its session, after
    "Invalid flow ID" (a 500) for no flow or a flow without data. Either runs as the caller's build."""
    if data is None and (flow is None or not flow.data):
        raise errors.ServerError(INVALID_FLOW_ID)
    graph = data if data is not None else flow.data if flow is not None else None
    refuse_blocked_components(state, [graph])  # 1.13's catalog policy: a 400 naming the blocked components
    if (fault := graph_fault(graph)) is not None:  # the graph loader's error, a 500 with its text
        raise errors.ServerError(fault)
    return RunRequest(flow_id=flow_id, flow_name=flow.name if flow is not None and data is None else "",
                      endpoint_name=flow.endpoint_name if flow is not None else None, data=graph, user_id=user.id,
                      output_type="any", inputs_to="chat_input", vertex_failures=True, session_everywhere=False,
                      starts_at_input=False, variables_required=True, flow_session=data is None)


def _kept(state: AppState, key: str) -> _Run | None:
    """The flow's kept run, if any. 1.13 checks a kept graph against its catalog policy as it is taken: one using
    a component the policy now blocks is forgotten, and the request refused (400)."""
    run = state.runner.vertex_graphs.get(key)
    if run is not None and (refusal := catalog_refusal(state, [run.request.data])):
        state.runner.vertex_graphs.forget(key)
        raise errors.BadRequest(refusal)
    return run


def _prepared(state: AppState, request: RunRequest, *, sort: bool = True) -> tuple[_Run, list[str], list[str]]:
    """The prepared run (Runner.vertex_run); a graph it cannot make is a 500 with the error's text."""
    try:
        return state.runner.vertex_run(request, sort=sort)
    except RunError as exc:
        raise errors.ServerError(str(exc)) from exc


async def retrieve_vertices_order(flow_id: UUID, user: CurrentUser, state: StateDep,
                                  data: Annotated[FlowDataRequest | None, Body()] = None,
                                  stop_component_id: str | None = None,
                                  start_component_id: str | None = None) -> Response:
    """POST /api/v1/build/{flow_id}/vertices (deprecated): make the flow's graph (the sent one, else the stored
    one), sort it and keep it under the flow's id for the vertex builds that follow; answers its first layer, its
    run id and the vertices it builds. Any failure making it is a 500 with the error's text."""
    flow = _flow(state, flow_id, user)
    request = _run_request(state, flow_id, user, flow, data.model_dump(exclude_none=True) if data else None)
    if stop_component_id and start_component_id:
        raise errors.ServerError(BOTH_COMPONENTS)
    request.stop_component_id, request.start_component_id = stop_component_id, start_component_id
    run, first, to_run = _prepared(state, request)
    state.runner.vertex_graphs.put(str(flow_id), run)
    return Response(json_body({"ids": first, "run_id": str(run.run_id), "vertices_to_run": to_run}),
                    media_type="application/json")


async def build_vertex(flow_id: UUID, vertex_id: str, user: CurrentUser, state: StateDep,
                       inputs: Annotated[InputValueRequest | None, Body()] = None,
                       files: Annotated[list[str] | None, Body()] = None) -> Response:
    """POST /api/v1/build/{flow_id}/vertices/{vertex_id} (deprecated): build one vertex of the kept graph from what
    its sources built earlier; without a kept graph, the stored flow's graph is made first (a fresh run id). A
    vertex that fails (a source not built yet, its component raising) answers 200, `valid` false, as a build's
    end_vertex shows it; an id the graph lacks is a 500 "Vertex <id> not found". Its build data is logged as its
    vertex build (no job) and the graph kept again."""
    flow = _flow(state, flow_id, user)
    if flow is not None:  # 1.13 checks the stored graph against its catalog policy, kept graph or not
        refuse_blocked_components(state, [flow.data])
    key = str(flow_id)
    run = _kept(state, key)
    if run is None:
        # (the graph Langflow makes here is never prepared: it hands out no next vertex)
        run, _, _ = _prepared(state, _run_request(state, flow_id, user, flow, None), sort=False)
        state.runner.vertex_graphs.put(key, run)
    node = run.graph.by_id.get(vertex_id)
    if node is None:
        raise errors.ServerError(f"Vertex {vertex_id} not found")
    built = await run.build_vertex(node, input_value=inputs.input_value if inputs else None, files=files,
                                   session=inputs.session if inputs else None)
    if isinstance(built, VertexFailure):
        body, artifacts = events.failed_build_data(built, state.clock), {}
    else:
        body = events.build_data(built, built.successors, built.successors, state.clock)
        artifacts = body["data"]["artifacts"]
    if state.profile.build.client_request_time and inputs is not None and inputs.client_request_time:
        elapsed = state.clock.now().timestamp() - inputs.client_request_time / 1000  # since the client sent it
        body["data"].update(timedelta=elapsed, duration=events.elapsed_text(elapsed))
    state.store.jobs.add_vertex_build(build_id=state.ids.uuid(), flow_id=flow_id, job_id=None, vertex_id=node.id,
                                      timestamp=state.clock.now(), data=body["data"], artifacts=artifacts,
                                      params=body["params"], valid=body["valid"])
    state.runner.vertex_graphs.put(key, run)
    return Response(typed_text(json_body(body), state.profile.http.typed_json), media_type="application/json")


async def build_vertex_stream(flow_id: UUID, vertex_id: str, user: CurrentUser, state: StateDep) -> Response:
    """GET /api/v1/build/{flow_id}/{vertex_id}/stream (deprecated): the kept vertex's stream, as StreamData events
    (`event: <name>` and `data: <compact JSON>` lines). The mock's vertices never hold an unread stream: a chat or
    text vertex says it streams, then that the stream is closed; any other vertex does not stream; the stream
    always ends with `close`."""
    _flow(state, flow_id, user)
    run = _kept(state, str(flow_id))
    return StreamingResponse(_stream_vertex(state, str(flow_id), vertex_id, run), media_type="text/event-stream")


async def _stream_vertex(state: AppState, key: str, vertex_id: str, run: _Run | None) -> AsyncIterator[bytes]:
    node = run.graph.by_id.get(vertex_id) if run is not None else None
    if run is None:
        yield stream_data("error", {"error": f"No cache found for {key}."})
    elif node is None:
        yield stream_data("error", {"error": f"Vertex {vertex_id} not found"})
    elif node.type not in INTERFACE_TYPES:
        yield stream_data("error", {"error": f"Vertex {vertex_id} does not support streaming"})
    else:
        # what lfx's InterfaceVertex.stream says of a result that is no iterator (a built message, or nothing yet)
        yield stream_data("message", {"message": f"Streaming vertex {vertex_id}"})
        yield stream_data("error", {"error": "This stream has already been closed."})
    if run is not None:
        state.runner.vertex_graphs.put(key, run)
    yield stream_data("close", {"message": "Stream closed"})
