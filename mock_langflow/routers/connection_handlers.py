"""The handlers of 1.13's connection and integration routes (routers/connections.py holds their table): imported,
with their shapes, when one of those routes is first analysed (routing.Later). The store (store/connections.py)
owns the rules.

A community install loads no integration (langflow-base installs no extension bundle that declares one) and has no
OAuth registration (LANGFLOW_CONNECTION_OAUTH_REGISTRATIONS unset): the catalog is empty, the integration policy
unrestricted, every consent start is refused and every provider callback fails, as Langflow's answer then."""

from __future__ import annotations

import hashlib
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.schemas.connections import (
    PROVIDER_ID_PATTERN,
    ConnectionCreate,
    ConnectionRead,
    ConnectionRevokeRead,
    ConnectionTestRequest,
    ConnectionUpdate,
    EffectiveIntegrationPolicyRead,
    IntegrationListRead,
    OAuthRegistrationListRead,
    OAuthStartRequest,
    OAuthStartResponse,
)
from mock_langflow.store.model_settings import check_policy_scope

ProviderFilter = Annotated[str | None, Query(pattern=PROVIDER_ID_PATTERN, max_length=120)]
# The headers of every page a consent browser is shown
OAUTH_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}
OAUTH_COOKIE_PATH = "/api/v1/connections/oauth"


async def policy_scope(user: CurrentUser, state: StateDep, flow_id: Annotated[UUID | None, Query()] = None,
                       project_id: Annotated[UUID | None, Query()] = None) -> None:
    """Langflow's provider policy scope of a catalog read (a flow or a project of the caller's)."""
    check_policy_scope(state, user.id, flow_id, project_id)


PolicyScope = Annotated[None, Depends(policy_scope)]


async def list_connections(user: CurrentUser, state: StateDep, provider: ProviderFilter = None) -> list[ConnectionRead]:
    return state.store.connections.list(user, provider)


async def create_connection(payload: ConnectionCreate, user: CurrentUser, state: StateDep) -> ConnectionRead:
    return state.store.connections.create(user, payload)


async def test_connection(connection_id: UUID, payload: ConnectionTestRequest, user: CurrentUser,
                          state: StateDep) -> ConnectionRead:
    return state.store.connections.check_health(user, connection_id, frozenset(payload.required_scopes))


async def refresh_connection_health(connection_id: UUID, user: CurrentUser, state: StateDep) -> ConnectionRead:
    return state.store.connections.check_health(user, connection_id)


async def update_connection(connection_id: UUID, payload: ConnectionUpdate, user: CurrentUser,
                            state: StateDep) -> ConnectionRead:
    return state.store.connections.update(user, connection_id, payload)


async def revoke_connection(connection_id: UUID, user: CurrentUser, state: StateDep) -> ConnectionRevokeRead:
    return state.store.connections.revoke(user, connection_id)


async def delete_connection(connection_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    state.store.connections.delete(user, connection_id)
    return Response(status_code=204)


async def start_connection_oauth(connection_id: UUID, payload: OAuthStartRequest, user: CurrentUser,
                                 state: StateDep) -> OAuthStartResponse:
    """POST /api/v1/connections/{connection_id}/oauth/start: the connection's checks, then the registration
    named, which no community install configures (400)."""
    state.store.connections.check_gate(user, connection_id, "write")
    raise errors.BadRequest(errors.OAUTH_REGISTRATION_NOT_CONFIGURED)


def _oauth_failed() -> HTMLResponse:
    return HTMLResponse(errors.OAUTH_FAILED_PAGE, status_code=400, headers=OAUTH_PAGE_HEADERS)


async def bind_connection_oauth_browser(provider: str, request: Request) -> Response:
    """GET /api/v1/connections/oauth/{provider}/browser (no sign-in: the handoff replaces it): a Desktop consent's
    handoff, which no start issued here, so every one is invalid (400 page)."""
    request.scope["query_string"] = b""  # the handoff never reaches a log, as Langflow's route class sees to
    return _oauth_failed()


async def list_oauth_registrations(response: Response, user: CurrentUser, scope: PolicyScope,
                                   provider: ProviderFilter = None) -> OAuthRegistrationListRead:
    """GET /api/v1/connections/oauth/registrations: none configured. Filtered per caller in Langflow, so never
    to be cached."""
    response.headers["Cache-Control"] = "no-store"
    return OAuthRegistrationListRead(registrations=[])


async def complete_connection_oauth(provider: str, request: Request) -> HTMLResponse:
    """GET /api/v1/connections/oauth/{provider}/callback (no sign-in: state and browser binding replace it): no
    consent was started here, so every callback is invalid (400 page), and the browser's binding cookie for the
    state it brought is cleared."""
    state = request.query_params.get("state", "")
    request.scope["query_string"] = b""  # the code and state never reach a log
    answer = _oauth_failed()
    cookie = "lf_connection_oauth_" + hashlib.sha256(state.encode()).hexdigest()[:24]
    answer.delete_cookie(cookie, path=OAUTH_COOKIE_PATH)
    return answer


async def list_integrations(user: CurrentUser, scope: PolicyScope, provider: ProviderFilter = None,
                            include_blocked: bool = False) -> IntegrationListRead:
    """GET /api/v1/integrations: the loaded integrations, none in a community install."""
    if include_blocked and not user.is_superuser:
        raise errors.Forbidden(errors.INCLUDE_BLOCKED_INTEGRATIONS)
    return IntegrationListRead(providers=[])


async def read_effective_integration_policy(user: CurrentUser, scope: PolicyScope) -> EffectiveIntegrationPolicyRead:
    """GET /api/v1/integrations/policy/effective: no ceiling and no blocked action (the policy bundle's first
    revision, 0), nothing loaded."""
    return EffectiveIntegrationPolicyRead(approved_provider_ids=[], blocked_action_keys=[], loaded_provider_ids=[],
                                          unrestricted=True, managed_externally=False, policy_revision=0)
