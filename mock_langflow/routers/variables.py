"""/api/v1/variables/: the caller's global variables (credentials are listed without their values)."""

from __future__ import annotations

from uuid import UUID

from fastapi import Response

from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.responses import no_content
from mock_langflow.routing import api_router
from mock_langflow.schemas.variables import VariableCreate, VariableRead, VariableUpdate

router = api_router(prefix="/variables", tags=["Variables"])


@router.post("/", status_code=201, include_in_schema=False)
async def create_variable(variable: VariableCreate, user: CurrentUser, state: StateDep) -> VariableRead:
    """POST /api/v1/variables/."""
    return state.store.users.create_variable(user_id=user.id, data=variable)


@router.get("/", include_in_schema=False)
async def read_variables(user: CurrentUser, state: StateDep) -> list[VariableRead]:
    """GET /api/v1/variables/."""
    return state.store.users.variables(user.id)


@router.patch("/{variable_id}", include_in_schema=False)
async def update_variable(variable_id: UUID, variable: VariableUpdate, user: CurrentUser,
                          state: StateDep) -> VariableRead:
    """PATCH /api/v1/variables/{id}."""
    return state.store.users.update_variable(user_id=user.id, variable_id=variable_id, data=variable)


@router.delete("/{variable_id}", status_code=204, include_in_schema=False)
async def delete_variable(variable_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/variables/{id}: 204 with a JSON content type (every release's handler returns nothing)."""
    state.store.users.delete_variable(user_id=user.id, variable_id=variable_id)
    return no_content()
