"""The handlers of 1.13's connection and integration routes (routers/connections.py holds their table): imported,
with their shapes, when one of those routes is first analysed (routing.Later). The store (store/connections.py)
owns the rules.

A community install loads no integration (langflow-base installs no extension bundle that declares one) and has no
OAuth registration (LANGFLOW_CONNECTION_OAUTH_REGISTRATIONS unset): the catalog is empty, the integration policy
unrestricted, every consent start is refused and every provider callback fails, as Langflow's answer then."""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from mock_langflow import errors, ratelimit
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
from mock_langflow.state import AppState
from mock_langflow.store.model_settings import check_policy_scope

ProviderFilter = Annotated[str | None, Query(pattern=PROVIDER_ID_PATTERN, max_length=120)]
# The headers of every page a consent browser is shown
OAUTH_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}
OAUTH_COOKIE_PATH = "/api/v1/connections/oauth"


def limit(state: AppState, scope: str, key: str, allowance: Literal["login", "reads", "writes"] = "login") -> None:
    """Langflow's check_rate_limit on a connection route: the hit counted under `scope` and `key` (the caller, or
    the client address of the unauthenticated OAuth pages), at the allowance's limit a minute: metadata reads
    (LANGFLOW_CONNECTION_METADATA_RATE_LIMIT_PER_MINUTE, 60), writes (LANGFLOW_CONNECTION_WRITE_RATE_LIMIT_PER_MINUTE,
    30) or, for tests, health checks and the OAuth routes, the login's; with rate limits off, 10000. Over it: the
    429."""
    settings = state.settings
    allowances = {"reads": settings.connection_metadata_rate_limit_per_minute,
                  "writes": settings.connection_write_rate_limit_per_minute}
    per_minute = allowances.get(allowance, settings.rate_limit_per_minute)
    state.limits.check(per_minute if settings.rate_limit_enabled else ratelimit.OFF_LIMIT, scope, key)


async def policy_scope(user: CurrentUser, state: StateDep, flow_id: Annotated[UUID | None, Query()] = None,
                       project_id: Annotated[UUID | None, Query()] = None) -> None:
    """Langflow's provider policy scope of a catalog read (a flow or a project of the caller's)."""
    check_policy_scope(state, user.id, flow_id, project_id)


PolicyScope = Annotated[None, Depends(policy_scope)]


async def list_connections(user: CurrentUser, state: StateDep, provider: ProviderFilter = None) -> list[ConnectionRead]:
    limit(state, "connections-read", f"user:{user.id}", "reads")
    return state.store.connections.list(user, provider)


async def create_connection(payload: ConnectionCreate, user: CurrentUser, state: StateDep) -> ConnectionRead:
    limit(state, "connections", f"user:{user.id}", "writes")
    return state.store.connections.create(user, payload)


async def test_connection(connection_id: UUID, payload: ConnectionTestRequest, user: CurrentUser,
                          state: StateDep) -> ConnectionRead:
    limit(state, "connections-test", f"user:{user.id}")
    return state.store.connections.check_health(user, connection_id, frozenset(payload.required_scopes))


async def refresh_connection_health(connection_id: UUID, user: CurrentUser, state: StateDep) -> ConnectionRead:
    limit(state, "connections-health", f"user:{user.id}")
    return state.store.connections.check_health(user, connection_id)


async def update_connection(connection_id: UUID, payload: ConnectionUpdate, user: CurrentUser,
                            state: StateDep) -> ConnectionRead:
    limit(state, "connections", f"user:{user.id}", "writes")
    return state.store.connections.update(user, connection_id, payload)


async def revoke_connection(connection_id: UUID, user: CurrentUser, state: StateDep) -> ConnectionRevokeRead:
    limit(state, "connections", f"user:{user.id}", "writes")
    return state.store.connections.revoke(user, connection_id)


async def delete_connection(connection_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    limit(state, "connections", f"user:{user.id}", "writes")
    state.store.connections.delete(user, connection_id)
    return Response(status_code=204)


async def start_connection_oauth(connection_id: UUID, payload: OAuthStartRequest, user: CurrentUser,
                                 state: StateDep) -> OAuthStartResponse:
    """POST /api/v1/connections/{connection_id}/oauth/start: the connection's checks, then the registration
    named, which no community install configures (400)."""
    limit(state, "connections-oauth-start", f"user:{user.id}")
    state.store.connections.check_gate(user, connection_id, "write")
    raise errors.BadRequest(errors.OAUTH_REGISTRATION_NOT_CONFIGURED)


def _oauth_failed() -> HTMLResponse:
    return HTMLResponse(errors.OAUTH_FAILED_PAGE, status_code=400, headers=OAUTH_PAGE_HEADERS)


def oauth_page_limit(request: Request, state: AppState, scope: str) -> HTMLResponse | None:
    """The OAuth pages' rate limit, per client address: over it, Langflow's 429 page instead of its JSON."""
    try:
        limit(state, scope, ratelimit.client_key(request, state.settings))
    except errors.TooManyRequests:
        seconds = errors.RETRY_AFTER
        return HTMLResponse(errors.OAUTH_TOO_MANY_PAGE.format(seconds=seconds), status_code=429,
                            headers={**OAUTH_PAGE_HEADERS, "Retry-After": seconds})
    return None


async def bind_connection_oauth_browser(provider: str, request: Request, state: StateDep) -> Response:
    """GET /api/v1/connections/oauth/{provider}/browser (no sign-in: the handoff replaces it): a Desktop consent's
    handoff, which no start issued here, so every one is invalid (400 page)."""
    refused = oauth_page_limit(request, state, "connections-oauth-browser")
    request.scope["query_string"] = b""  # the handoff never reaches a log, as Langflow's route class sees to
    return refused or _oauth_failed()


async def list_oauth_registrations(response: Response, user: CurrentUser, scope: PolicyScope, state: StateDep,
                                   provider: ProviderFilter = None) -> OAuthRegistrationListRead:
    """GET /api/v1/connections/oauth/registrations: none configured. Filtered per caller in Langflow, so never
    to be cached."""
    limit(state, "connections-read", f"user:{user.id}", "reads")
    response.headers["Cache-Control"] = "no-store"
    return OAuthRegistrationListRead(registrations=[])


async def complete_connection_oauth(provider: str, request: Request, state: StateDep) -> HTMLResponse:
    """GET /api/v1/connections/oauth/{provider}/callback (no sign-in: state and browser binding replace it): no
    consent was started here, so every callback is invalid (400 page), and the browser's binding cookie for the
    state it brought is cleared."""
    refused = oauth_page_limit(request, state, "connections-oauth-callback")
    consent = request.query_params.get("state", "")
    request.scope["query_string"] = b""  # the code and state never reach a log
    if refused is not None:
        return refused
    answer = _oauth_failed()
    cookie = "lf_connection_oauth_" + hashlib.sha256(consent.encode()).hexdigest()[:24]
    answer.delete_cookie(cookie, path=OAUTH_COOKIE_PATH)
    return answer


async def list_integrations(user: CurrentUser, scope: PolicyScope, state: StateDep, provider: ProviderFilter = None,
                            include_blocked: bool = False) -> IntegrationListRead:
    """GET /api/v1/integrations: the loaded integrations, none in a community install."""
    limit(state, "integrations", f"user:{user.id}", "reads")
    if include_blocked and not user.is_superuser:
        raise errors.Forbidden(errors.INCLUDE_BLOCKED_INTEGRATIONS)
    return IntegrationListRead(providers=[])


async def read_effective_integration_policy(user: CurrentUser, scope: PolicyScope,
                                            state: StateDep) -> EffectiveIntegrationPolicyRead:
    """GET /api/v1/integrations/policy/effective: the active policy bundle's integration lists applied to the
    integrations loaded, none in a community install: nothing is approved, and the blocked action keys are shown
    to a superuser only; unrestricted while the bundle sets no integration ceiling."""
    limit(state, "integrations", f"user:{user.id}", "reads")
    bundle = state.store.policy_bundle.read()
    return EffectiveIntegrationPolicyRead(
        approved_provider_ids=[], loaded_provider_ids=[], managed_externally=False,
        blocked_action_keys=bundle["blocked_integration_action_keys"] if user.is_superuser else [],
        unrestricted=not bundle["approved_integration_provider_ids"], policy_revision=bundle["revision"])
