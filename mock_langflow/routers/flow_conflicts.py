"""1.13's routes for a flow two people edit (Langflow's api/v1/flow_conflict_routes.py): which version is current,
a copy to keep one's own work in, and a deliberate overwrite of the version one reviewed. The If-Match token and
its 409 are the PATCH's (routers/flows.py, Flows._ensure_version)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Query

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.routers.flows import creates_default, version_token
from mock_langflow.routing import api_router
from mock_langflow.schemas.flows import (
    AccessTypeEnum,
    FlowCreate,
    FlowFork,
    FlowOverwrite,
    FlowRead,
    FlowVersionList,
    FlowVersionState,
)
from mock_langflow.store.flow_versions import MAX_VERSIONS_PER_FLOW
from mock_langflow.store.flows import flow_read
from mock_langflow.store.models import FlowRow

router = api_router(prefix="/flows", tags=["Flows"])
# Langflow's version history routes (api/v1/flow_version.py), left out of its OpenAPI document; the mock has the
# list alone, which shows what an overwrite kept.
versions_router = api_router(prefix="/flows/{flow_id}/versions", tags=["Flow Versions"], include_in_schema=False)


async def own_flow(flow_id: UUID, user: CurrentUser, state: StateDep) -> FlowRow:
    """The flow in the path, loaded before the body or headers are read, as Langflow's authorizing dependency
    does: reading and writing alike are the owner's (anyone else's flow, or an example, is 404 "Flow not
    found"; the mock has no shares, so Langflow's 403 for a readable flow one may not write never comes)."""
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
    return FlowVersionList(entries=entries, max_entries=MAX_VERSIONS_PER_FLOW)
