"""/api/v1/variables/: the caller's global variables (credentials are listed without their values)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Response

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.responses import no_content
from mock_langflow.routing import LazyModule, api_router
from mock_langflow.schemas.variables import (
    VariableCreate,
    VariableRead,
    VariableUpdate,
)
from mock_langflow.state import AppState

lazy_bodies = LazyModule("mock_langflow.schemas.variable_detections")  # imported when its route is first analysed
router = api_router(prefix="/variables", tags=["Variables"])


def provider_policy(state: AppState) -> Any:
    """1.13's model provider policy where it hides something (an approved list is set), else None: a provider's
    variables are then left out of the list, and creating or renaming one is a 404 "Model provider not found"."""
    if state.profile.models.dialect != "policy":
        return None
    from mock_langflow.store.model_settings import ModelSettings

    settings = ModelSettings.of(state)
    return settings if settings.approved else None


@router.post("/", status_code=201, include_in_schema=False)
async def create_variable(variable: VariableCreate, user: CurrentUser, state: StateDep) -> VariableRead:
    """POST /api/v1/variables/."""
    policy = provider_policy(state) if variable.name and variable.value else None
    if policy is not None:
        policy.require_variable(variable.name)
    return state.store.users.create_variable(user_id=user.id, data=variable)


@router.get("/", include_in_schema=False)
async def read_variables(user: CurrentUser, state: StateDep) -> list[VariableRead]:
    """GET /api/v1/variables/."""
    listed = state.store.users.variables(user.id)
    policy = provider_policy(state)
    return listed if policy is None else [v for v in listed if policy.shows_variable(v.name)]


@router.patch("/{variable_id}", include_in_schema=False)
async def update_variable(variable_id: UUID, variable: VariableUpdate, user: CurrentUser,
                          state: StateDep) -> VariableRead:
    """PATCH /api/v1/variables/{id}."""
    policy = provider_policy(state)
    if policy is not None and variable.name:
        policy.require_variable(variable.name)
    return state.store.users.update_variable(user_id=user.id, variable_id=variable_id, data=variable)


@router.delete("/{variable_id}", status_code=204, include_in_schema=False)
async def delete_variable(variable_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/variables/{id}: 204 with a JSON content type (every release's handler returns nothing)."""
    state.store.users.delete_variable(user_id=user.id, variable_id=variable_id)
    return no_content()


def _referenced_names(graph: dict[str, Any]) -> set[str]:
    """The global variable names a graph's fields refer to: the stripped text value of each field loaded from the
    database (load_from_db true), as 1.13 collects candidates."""
    names: set[str] = set()
    for node in graph["nodes"]:
        template = node.get("data", {}).get("node", {}).get("template", {}) if isinstance(node, dict) else None
        if not isinstance(template, dict):
            continue
        for entry in template.values():
            value = entry.get("value") if isinstance(entry, dict) and entry.get("load_from_db") is True else None
            if isinstance(value, str) and value.strip():
                names.add(value.strip())
    return names


@router.post("/detections", include_in_schema=False, response_model=None)
async def detect_env_vars(payload: lazy_bodies.DetectVarsRequest, user: CurrentUser,
                          state: StateDep) -> dict[str, list[str]]:
    """POST /api/v1/variables/detections (1.13): which of the caller's global variables the given flow versions
    refer to, sorted. Each version must be the caller's (404, in the order sent) and hold a graph with a `nodes`
    list (422); only names the caller has a variable of are answered, so no field value leaks."""
    graphs = state.store.flows.version_graphs(payload.flow_version_ids, user_id=user.id)
    candidates: set[str] = set()
    for version_id in payload.flow_version_ids:
        if version_id not in graphs:
            raise errors.detected_version_not_found(version_id)
        graph = graphs[version_id]
        if not (isinstance(graph, dict) and isinstance(graph.get("nodes"), list)):
            raise errors.detected_version_unreadable(version_id)
        candidates |= _referenced_names(graph)
    known = {v.name for v in state.store.users.variables(user.id) if v.name}
    return {"variables": sorted(known & candidates)}
