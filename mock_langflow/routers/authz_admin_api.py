"""The handlers of 1.13's authorization administration routes (routers/authz_admin.py lists the routes), imported
when one is first analysed; store/authz.py keeps the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from fastapi import Query, Request, Response

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, Superuser
from mock_langflow.clock import as_utc
from mock_langflow.deps import PageLimit, PageOffset, StateDep, app_state
from mock_langflow.routers.auth import OperationId
from mock_langflow.routers.authz_admin import actor
from mock_langflow.schemas.authz_admin import (
    AdministrationCapabilities,
    AuthorizationCapabilities,
    AuthorizationFeatures,
    AuthzAuditPage,
    RoleAssignmentCreate,
    RoleAssignmentRead,
    RoleCreate,
    RoleRead,
    RoleUpdate,
    ShareCreate,
    ShareRead,
    ShareUpdate,
    TeamCreate,
    TeamMemberCreate,
    TeamMemberRead,
    TeamRead,
    TeamUpdate,
)
from mock_langflow.store.authz import Authz
from mock_langflow.store.models import UserRow

TEAM_SEARCH = "Substring match on team_name or adom_name"
T = TypeVar("T")


def change(request: Request, user: UserRow, operation_id: str | None, action: str, key: str,
           work: Callable[[Authz], T], allowed: Callable[[T], tuple[str, dict[str, Any]]] | None = None) -> T:
    """An administrative change through the store, audited (Authz.audited) under `action` on `key`."""
    authz = app_state(request).store.authz
    return authz.audited(actor(request, user, operation_id), action, key, lambda: work(authz), allowed)


def located(response: Response, url: str, created: T) -> T:
    """A creation's answer, its Location header naming what was made."""
    response.headers["Location"] = url
    return created


# --- capabilities ---------------------------------------------------------------------------------------------


async def get_authorization_capabilities(user: CurrentUser) -> AuthorizationCapabilities:
    """GET /api/v1/authz/capabilities: a superuser administers all three, anyone else none (the pass-through
    service delegates nothing); no plugin adds features."""
    admin = user.is_superuser
    return AuthorizationCapabilities(administration=AdministrationCapabilities(user=admin, team=admin, role=admin),
                                     features=AuthorizationFeatures(team_role_assignments=False))


# --- roles ----------------------------------------------------------------------------------------------------


async def list_roles(state: StateDep, _user: CurrentUser,
                     is_system: Annotated[bool | None, Query(description="Filter by is_system flag")] = None,
                     name: Annotated[str | None, Query(description="Substring match on role name")] = None,
                     exact_name: Annotated[str | None, Query(description="Exact match on role name")] = None,
                     limit: PageLimit = 100, offset: PageOffset = 0) -> list[RoleRead]:
    """GET /api/v1/authz/roles: by name, then id; `name` a substring in any case, `exact_name` the whole."""
    return state.store.authz.list_roles(is_system=is_system, name=name, exact_name=exact_name, limit=limit,
                                        offset=offset)


async def read_role(role_id: UUID, state: StateDep, _user: CurrentUser) -> RoleRead:
    return state.store.authz.read_role(role_id)


async def create_role(body: RoleCreate, request: Request, response: Response, user: CurrentUser,
                      operation_id: OperationId = None) -> RoleRead:
    """POST /api/v1/authz/roles: a custom role (201, Location)."""
    role = change(request, user, operation_id, "role:create", "role:*",
                  lambda authz: authz.create_role(body, actor=user.id),
                  lambda r: (f"role:{r.id}", {"role_name": r.name, "permissions": r.permissions,
                                              "parent_role_id": str(r.parent_role_id) if r.parent_role_id
                                              else None}))
    return located(response, f"/api/v1/authz/roles/{role.id}", role)


async def update_role(role_id: UUID, body: RoleUpdate, request: Request, user: CurrentUser,
                      operation_id: OperationId = None) -> RoleRead:
    """PATCH /api/v1/authz/roles/{role_id}: a custom role's fields sent (system roles are read-only)."""
    role, _ = change(request, user, operation_id, "role:update", f"role:{role_id}",
                     lambda authz: authz.update_role(role_id, body),
                     lambda done: (f"role:{role_id}", {"role_name": done[0].name, "fields_changed": done[1]}))
    return role


async def delete_role(role_id: UUID, request: Request, user: CurrentUser, operation_id: OperationId = None) -> None:
    """DELETE /api/v1/authz/roles/{role_id}: a custom role none holds (409 while one does)."""
    change(request, user, operation_id, "role:delete", f"role:{role_id}",
           lambda authz: authz.delete_role(role_id), lambda name: (f"role:{role_id}", {"role_name": name}))


# --- role assignments -----------------------------------------------------------------------------------------


async def list_assignments(request: Request, user: CurrentUser,
                           user_id: Annotated[UUID | None, Query(description="Filter by user")] = None,
                           role_id: Annotated[UUID | None, Query(description="Filter by role")] = None,
                           domain_type: str | None = None, domain_id: UUID | None = None,
                           limit: PageLimit = 100, offset: PageOffset = 0,
                           operation_id: OperationId = None) -> list[RoleAssignmentRead]:
    """GET /api/v1/authz/role-assignments: one user's (the caller's unless `user_id` names another, which takes a
    superuser), newest first."""
    authz = app_state(request).store.authz
    if user_id is not None and user_id != user.id and not user.is_superuser:
        authz.deny(actor(request, user, operation_id), "role_assignment:read", f"user:{user_id}", 403,
                   "administration_required")
        raise errors.Forbidden(errors.ASSIGNMENTS_NEED_SUPERUSER, headers=errors.ADMINISTRATION_DENIED)
    return authz.list_assignments(user_id=user_id or user.id, role_id=role_id, domain_type=domain_type,
                                  domain_id=domain_id, limit=limit, offset=offset)


async def create_assignment(body: RoleAssignmentCreate, request: Request, response: Response, user: CurrentUser,
                            operation_id: OperationId = None) -> RoleAssignmentRead:
    """POST /api/v1/authz/role-assignments: a user's role in a scope, one role a scope (201, Location)."""

    def details(done: tuple[RoleAssignmentRead, str]) -> tuple[str, dict[str, Any]]:
        return f"role_assignment:{done[0].id}", {**assignment_details(done[0]), "role_name": done[1]}

    assignment, _ = change(request, user, operation_id, "role_assignment:create",
                           "role_assignment:*", lambda authz: authz.create_assignment(body, actor=user.id), details)
    return located(response, f"/api/v1/authz/role-assignments/{assignment.id}", assignment)


def assignment_details(a: RoleAssignmentRead) -> dict[str, Any]:
    return {"assignment_id": str(a.id), "subject_type": "user", "user_id": str(a.user_id), "role_id": str(a.role_id),
            "domain_type": a.domain_type, "domain_id": str(a.domain_id) if a.domain_id else None}


async def delete_assignment(assignment_id: UUID, request: Request, user: CurrentUser,
                            operation_id: OperationId = None) -> Response:
    """DELETE /api/v1/authz/role-assignments/{assignment_id}: 204, its only source (the manual one) revoked."""
    key = f"role_assignment:{assignment_id}"
    change(request, user, operation_id, "role_assignment:delete", key,
           lambda authz: authz.delete_assignment(assignment_id), lambda a: (key, assignment_details(a)))
    return Response(status_code=204)


# --- teams ----------------------------------------------------------------------------------------------------


async def create_team(body: TeamCreate, request: Request, response: Response, user: CurrentUser,
                      operation_id: OperationId = None) -> TeamRead:
    """POST /api/v1/authz/teams: a team, its adom_name unique (201, Location)."""
    team = change(request, user, operation_id, "team:create", "team:*", lambda authz: authz.create_team(body),
                  lambda t: (f"team:{t.id}", {"team_name": t.team_name, "adom_name": t.adom_name}))
    return located(response, f"/api/v1/authz/teams/{team.id}", team)


async def update_team(team_id: UUID, body: TeamUpdate, request: Request, user: CurrentUser,
                      operation_id: OperationId = None) -> TeamRead:
    team, _ = change(request, user, operation_id, "team:update", f"team:{team_id}",
                     lambda authz: authz.update_team(team_id, body),
                     lambda done: (f"team:{team_id}", {"team_name": done[0].team_name,
                                                       "fields_changed": done[1]}))
    return team


async def delete_team(team_id: UUID, request: Request, user: CurrentUser, operation_id: OperationId = None) -> None:
    """DELETE /api/v1/authz/teams/{team_id}: with its memberships; shares naming it stay."""
    change(request, user, operation_id, "team:delete", f"team:{team_id}",
           lambda authz: authz.delete_team(team_id), lambda name: (f"team:{team_id}", {"team_name": name}))


async def list_teams(state: StateDep, _user: CurrentUser,
                     search: Annotated[str | None, Query(description=TEAM_SEARCH)] = None,
                     adom_name: Annotated[str | None, Query(description="Exact match on adom_name")] = None,
                     is_active: bool | None = None, limit: PageLimit = 100, offset: PageOffset = 0) -> list[TeamRead]:
    """GET /api/v1/authz/teams: by name, then id; `search` a substring of the name or slug, in any case."""
    return state.store.authz.list_teams(search=search, adom_name=adom_name, is_active=is_active, limit=limit,
                                        offset=offset)


async def read_team(team_id: UUID, state: StateDep, _user: CurrentUser) -> TeamRead:
    return state.store.authz.read_team(team_id)


async def list_members(team_id: UUID, state: StateDep, _user: CurrentUser, limit: PageLimit = 100,
                       offset: PageOffset = 0) -> list[TeamMemberRead]:
    return state.store.authz.list_members(team_id, limit=limit, offset=offset)


async def add_member(team_id: UUID, body: TeamMemberCreate, request: Request, response: Response,
                     user: CurrentUser, operation_id: OperationId = None) -> TeamMemberRead:
    """POST /api/v1/authz/teams/{team_id}/members: a user in the team (201, Location)."""
    member, _ = change(request, user, operation_id, "team_member:create", f"team:{team_id}",
                       lambda authz: authz.add_member(team_id, body),
                       lambda done: (f"team:{team_id}", {"team_name": done[1],
                                                         "user_id": str(body.user_id)}))
    return located(response, f"/api/v1/authz/teams/{team_id}/members/{body.user_id}", member)


async def remove_member(team_id: UUID, user_id: UUID, request: Request, user: CurrentUser,
                        operation_id: OperationId = None) -> None:
    change(request, user, operation_id, "team_member:delete", f"team:{team_id}",
           lambda authz: authz.remove_member(team_id, user_id),
           lambda _: (f"team:{team_id}", {"user_id": str(user_id)}))


# --- shares (hidden) ------------------------------------------------------------------------------------------


def share_mutation(request: Request, user: UserRow, action: str, share: ShareRead, **details: Any) -> None:
    """The audit row of a share's change (no source or operation id: shares are no administration)."""
    app_state(request).store.authz.record(actor(request, user, None), action,
                                          f"{share.resource_type}:{share.resource_id}", "allow",
                                          {"event": "mutation", "share_id": str(share.id), **details})


async def create_share(body: ShareCreate, request: Request, user: CurrentUser) -> ShareRead:
    """POST /api/v1/authz/shares: the resource's owner or a superuser shares it (anyone else: 404, as for an
    unknown resource)."""
    share = app_state(request).store.authz.create_share(body, user=user)
    share_mutation(request, user, "share:create", share, scope=share.scope,
                   target_id=str(share.target_id) if share.target_id else None,
                   permission_level=share.permission_level)
    return share


async def list_shares(state: StateDep, user: CurrentUser, resource_type: str | None = None,
                      resource_id: UUID | None = None, target_id: UUID | None = None, scope: str | None = None,
                      limit: PageLimit = 100, offset: PageOffset = 0) -> list[ShareRead]:
    """GET /api/v1/authz/shares: newest first; a superuser sees every share, anyone else those they may see."""
    filters = {"resource_type": resource_type, "resource_id": resource_id, "target_id": target_id, "scope": scope}
    return state.store.authz.list_shares(user=user, filters=filters, limit=limit, offset=offset)


async def get_share(share_id: UUID, state: StateDep, user: CurrentUser) -> ShareRead:
    return state.store.authz.get_share(share_id, user=user)


async def update_share(share_id: UUID, body: ShareUpdate, request: Request, user: CurrentUser) -> ShareRead:
    share = app_state(request).store.authz.update_share(share_id, body, user=user)
    share_mutation(request, user, "share:update", share, permission_level=share.permission_level)
    return share


async def delete_share(share_id: UUID, request: Request, user: CurrentUser) -> None:
    share = app_state(request).store.authz.delete_share(share_id, user=user)
    share_mutation(request, user, "share:delete", share)


# --- the audit log (hidden) -----------------------------------------------------------------------------------


def _held(moment: datetime) -> datetime:
    """A query's time in UTC; one whose UTC falls outside the years Python's datetime holds (0001-01-01T00:00+01:00,
    9999-12-31T23:59-01:00) as the nearest time it holds, where the database's conversion would raise."""
    try:
        return as_utc(moment).astimezone(UTC)
    except OverflowError:
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


async def list_audit_log(state: StateDep, _admin: Superuser, user_id: UUID | None = None,
                         actor_type: Literal["user", "api_key", "unknown", "anonymous_public"] | None = None,
                         actor_id: UUID | None = None, resource_type: str | None = None,
                         resource_id: UUID | None = None, action: str | None = None,
                         exclude_action: Annotated[list[str] | None, Query()] = None,
                         result: Literal["allow", "deny", "owner_override", "skip"] | None = None,
                         event: Annotated[list[str] | None, Query()] = None,
                         exclude_event: Annotated[list[str] | None, Query()] = None,
                         since: datetime | None = None, until: datetime | None = None,
                         page: Annotated[int, Query(ge=1)] = 1,
                         size: Annotated[int, Query(ge=1, le=200)] = 50) -> AuthzAuditPage:
    """GET /api/v1/authz/audit (superusers): the audit log, newest first, 50 a page; empty unless
    LANGFLOW_AUTHZ_AUDIT_ENABLED."""
    since, until = (_held(t) if t is not None else None for t in (since, until))
    if since is not None and until is not None and since >= until:
        raise errors.BadRequest(errors.AUDIT_WINDOW_EMPTY)
    filters = {"user_id": user_id, "actor_type": actor_type, "actor_id": actor_id, "resource_type": resource_type,
               "resource_id": resource_id, "action": action, "exclude_action": exclude_action, "result": result,
               "event": event, "exclude_event": exclude_event, "since": since, "until": until}
    return state.store.authz.audit_page(filters=filters, page=page, size=size)
