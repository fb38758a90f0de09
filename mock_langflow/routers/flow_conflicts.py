"""1.13's routes for a flow two people edit (Langflow's api/v1/flow_conflict_routes.py): which version is current,
a copy to keep one's own work in, and a deliberate overwrite of the version one reviewed. The If-Match token and
its 409 are the PATCH's (routers/flows.py, Flows._ensure_version). Also 1.13's version history routes
(api/v1/flow_version.py): list, snapshot, read, activate and delete a flow's kept versions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Query, Response

from mock_langflow import errors
from mock_langflow.audit import audited
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.engine.scrubbing import without_secret_values
from mock_langflow.responses import no_content
from mock_langflow.routers.flows import (
    component_blocks,
    creates_default,
    refuse_blocked_components,
    version_token,
)
from mock_langflow.routing import api_router
from mock_langflow.schemas.flows import (
    AccessTypeEnum,
    FlowCreate,
    FlowFork,
    FlowOverwrite,
    FlowRead,
    FlowVersionCreate,
    FlowVersionList,
    FlowVersionRead,
    FlowVersionReadWithData,
    FlowVersionState,
)
from mock_langflow.store.flows import flow_read
from mock_langflow.store.models import FlowRow

router = api_router(prefix="/flows", tags=["Flows"])
# Langflow's version history routes (api/v1/flow_version.py), left out of its OpenAPI document: the list, one
# version, a snapshot, an activation and a delete, all of them the flow owner's.
versions_router = api_router(prefix="/flows/{flow_id}/versions", tags=["Flow Versions"], include_in_schema=False)


async def own_flow(flow_id: UUID, user: CurrentUser, state: StateDep) -> FlowRow:
    """The flow in the path, loaded before the body or headers are read, as Langflow's authorizing dependency
    does: reading and writing alike are the owner's (anyone else's flow, or an example, is 404 "Flow not
    found"; shares grant nothing without an authorization plugin, so Langflow's 403 for a readable flow one may
    not write never comes)."""
    return state.store.flows.get(flow_id, user_id=user.id)


OwnFlow = Annotated[FlowRow, Depends(own_flow)]


@router.get("/{flow_id}/version-state", status_code=200)
async def read_flow_version_state(flow_id: UUID, flow: OwnFlow, state: StateDep) -> FlowVersionState:  # noqa: ARG001
    """GET /api/v1/flows/{flow_id}/version-state (1.13): the flow's current version token, who changed its graph
    last and when it was written last, for an editor to tell whether what it shows is stale."""
    return state.store.flows.version_state(flow)


@router.post("/{flow_id}/fork", status_code=201)
async def fork_flow(flow_id: UUID, flow: OwnFlow, fork: FlowFork, user: CurrentUser,  # noqa: ARG001
                    state: StateDep) -> FlowRead:
    """POST /api/v1/flows/{flow_id}/fork (1.13): a new flow of the caller's, made as a create makes one, from the
    flow's graph or the one sent. It is named as sent, else "<name> (copy)" (numbered when taken), keeps the
    flow's description, icon, colours, gradient, tags, type and component flag, and nothing that exposes it:
    no endpoint name, no webhook, no MCP, unlocked, PRIVATE, in the caller's default project."""
    copy = FlowCreate.model_validate({
        "name": fork.name or f"{flow.name} (copy)", "description": flow.description,
        "data": fork.data if fork.data is not None else flow.data, "icon": flow.icon,
        "icon_bg_color": flow.icon_bg_color, "gradient": flow.gradient, "is_component": flow.is_component,
        "tags": flow.tags, "flow_type": flow.flow_type, "endpoint_name": None, "webhook": False,
        "mcp_enabled": False, "locked": False, "access_type": AccessTypeEnum.PRIVATE,
    })
    refuse_blocked_components(state, [copy.data])  # 1.13's catalog policy, as on any flow write
    folder = creates_default(state, user.id, [None])
    return flow_read(state.store.flows.create(copy, user_id=user.id, default_folder=folder))


@router.post("/{flow_id}/overwrite", status_code=200)
async def overwrite_flow(flow_id: UUID, flow: OwnFlow, overwrite: FlowOverwrite, user: CurrentUser, state: StateDep,
                         if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> FlowRead:
    """POST /api/v1/flows/{flow_id}/overwrite (1.13): the flow's graph replaced by the merged one sent, guarded
    by the token of the version the caller reviewed (If-Match, required: 428 without it, 400 malformed, 409 when
    the flow moved on again). The graph replaced stays in the flow's version history (store.flow_versions)."""
    if if_match is None:
        raise errors.PreconditionRequired(errors.OVERWRITE_NEEDS_IF_MATCH)
    expected = version_token(if_match)
    refuse_blocked_components(state, [overwrite.data])
    return flow_read(state.store.flows.overwrite(flow.id, overwrite.data, user_id=user.id, expected=expected,
                                                 rules=state.profile.flows))


@versions_router.get("/", response_model_exclude_none=True)
async def list_flow_versions(flow_id: UUID, user: CurrentUser, state: StateDep,
                             limit: Annotated[int, Query(ge=1, le=100)] = 50,
                             offset: Annotated[int, Query(ge=0)] = 0,
                             deployment_provider_id: UUID | None = None) -> FlowVersionList:
    """GET /api/v1/flows/{flow_id}/versions/ (1.13): the kept versions of the caller's flow that are the caller's,
    newest first, a page of them (no graphs), and how many a flow keeps; a null field is left out. Another user's
    flow, or an unknown one, is 404 "Flow not found"; deployment_provider_id is then a 400 (the mock emulates
    Langflow without its wxo_deployments feature)."""
    if not state.store.flows.owns(flow_id, user.id):
        raise errors.FlowNotFound()
    if deployment_provider_id is not None:
        raise errors.BadRequest(errors.DEPLOYMENTS_DISABLED)
    entries = state.store.flows.versions(flow_id, user_id=user.id, limit=limit, offset=offset)
    return FlowVersionList(entries=entries, max_entries=state.store.flows.max_versions)


@versions_router.get("/{version_id}")
async def get_single_flow_version(flow_id: UUID, version_id: UUID, user: CurrentUser,
                                  state: StateDep) -> FlowVersionReadWithData:
    """GET /api/v1/flows/{flow_id}/versions/{version_id} (1.13): one of the caller's versions of the caller's flow
    with its graph, without secret values (the public read's scrubbing), and with every field, null ones too
    (`username` is null: only the list names authors). Another user's flow, or an unknown one, is 404 "Flow not
    found"; a version not the caller's in that flow is 404 "Version entry not found"."""
    read = state.store.flows.version(flow_id, version_id, user_id=user.id)
    if read.data is not None:
        read.data = without_secret_values(read.data)
    return read


@versions_router.post("/", status_code=201, response_model_exclude={"is_deployed"})
async def create_snapshot(flow_id: UUID, user: CurrentUser, state: StateDep,
                          body: FlowVersionCreate | None = None) -> FlowVersionRead:
    """POST /api/v1/flows/{flow_id}/versions/ (1.13): keep the caller's flow's graph, or the graph sent, as its
    next version (201, the version without `is_deployed`, `username` null). The body is optional and read
    before the flow is looked up (a description over 500 characters is a 422); the flow is the caller's or
    404 "Flow not found". The newest 50 versions of a flow stay: a snapshot past them drops the oldest."""
    return state.store.flows.snapshot(flow_id, user_id=user.id, data=body.data if body else None,
                                      description=body.description if body else None)


@versions_router.post("/{version_id}/activate")
@audited("version_activate")
async def activate_version(flow_id: UUID, version_id: UUID, user: CurrentUser, state: StateDep,
                           save_draft: bool = True,
                           if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> FlowRead:
    """POST /api/v1/flows/{flow_id}/versions/{version_id}/activate (1.13): the caller's flow takes the version's
    graph and answers as a PATCH does (FlowRead, a new version token). In order: the flow (404 "Flow not
    found"), If-Match as a PATCH reads it (optional; 400 malformed, 409 stale), the version (404 "Version entry
    not found", 400 when it holds no graph, or one using a component the catalog policy blocks). With save_draft
    (default true) the graph replaced is kept first as the next version (store.flows.activate)."""
    flow = state.store.flows.get(flow_id, user_id=user.id)
    expected = version_token(if_match) if if_match is not None else None
    return flow_read(state.store.flows.activate(flow, version_id, user_id=user.id, expected=expected,
                                                save_draft=save_draft, blocked=component_blocks(state)))


@versions_router.delete("/{version_id}", status_code=204)
async def delete_version_entry(flow_id: UUID, version_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/flows/{flow_id}/versions/{version_id} (1.13): 204 with a JSON content type (fact 40). The
    flow is the caller's or 404 "Flow not found"; a version not the caller's in that flow is 404 "Version entry
    <id> not found". The flow's graph is not touched, even when the version deleted is the one it was made
    from."""
    state.store.flows.delete_version(flow_id, version_id, user_id=user.id)
    return no_content()
