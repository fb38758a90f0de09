"""/api/v1/variables/: the caller's global variables (credentials are listed without their values)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Response

from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.responses import no_content
from mock_langflow.routing import api_router
from mock_langflow.schemas.variables import VariableCreate, VariableRead, VariableUpdate
from mock_langflow.state import AppState

router = api_router(prefix="/variables", tags=["Variables"])


def provider_policy(state: AppState) -> Any:
    """1.13's model provider policy where it hides something (an approved list is set), else None: a provider's
    variables are then left out of the list, and creating or renaming one is a 404 "Model provider not found"."""
    if state.profile.models.dialect != "policy" or not state.store.model_policy.approved():
        return None
    from mock_langflow.store.model_settings import ModelSettings

    return ModelSettings.of(state)


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
