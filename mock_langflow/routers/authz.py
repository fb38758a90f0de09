"""/api/v1/authz/me: the caller's effective permissions, as Langflow without an authorization plugin answers."""

from __future__ import annotations

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.routing import api_router
from mock_langflow.schemas.authz import (
    DEFAULT_ACTIONS,
    MAX_RESOURCE_IDS,
    EffectivePermissionsRequest,
    EffectivePermissionsResponse,
)

me_router = api_router(prefix="/authz/me", tags=["Authorization"])


@me_router.post("/permissions", include_in_schema=False)
async def get_effective_permissions(body: EffectivePermissionsRequest,
                                    _user: CurrentUser) -> EffectivePermissionsResponse:
    """POST /api/v1/authz/me/permissions (1.13): every requested action on every requested id, whoever owns it,
    as Langflow's pass-through authorization grants (the frontend greys out nothing)."""
    if len(body.resource_ids) > MAX_RESOURCE_IDS:
        raise errors.BadRequest(errors.RESOURCE_IDS_CAPPED)
    actions = list(body.actions or DEFAULT_ACTIONS)
    return EffectivePermissionsResponse(resource_type=body.resource_type,
                                        permissions=dict.fromkeys(body.resource_ids, actions))
