"""1.13's authorization administration routes (/api/v1/authz/...: shares, audit, capabilities, roles, role
assignments, teams), as a community install without an authorization plugin answers: superusers administer,
anyone signed in reads, nothing is enforced on the other routes. Only the table of routes is here: their handlers
(routers/authz_admin_api.py), shapes and store are imported when a route is first analysed (routing.Later), as
most runs never call one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import Depends, Request

from mock_langflow import audit, errors
from mock_langflow.auth import CurrentUser, access_token, sent_keys, signed_in_with_key
from mock_langflow.deps import app_state
from mock_langflow.routers.auth import OperationId
from mock_langflow.routing import DeferredRoute, Later, api_router
from mock_langflow.store.models import UserRow

TAGS = ["Authorization"]
router = api_router(prefix="/authz", tags=TAGS)
HANDLERS = "mock_langflow.routers.authz_admin_api"


def actor(request: Request, user: UserRow, operation_id: str | None) -> Any:
    """The caller as the audit log names them."""
    from mock_langflow.store.authz import Actor

    state = app_state(request)
    key_id = None
    if state.store.authz.audit_enabled and signed_in_with_key(request):
        key_id = state.store.users.key_id(next(k for k in sent_keys(request) if k))
    return Actor(user_id=user.id, request_id=audit.request_id(request), api_key_id=key_id,
                 operation_id=operation_id, auto_login=access_token(state, request) is None and key_id is None)


def administrator(kind: Literal["role", "team", "role_assignment"], refusal: str) -> Callable[..., Any]:
    """The gate of an administrative route, run before its body is read: superusers only, as a community install
    has no plugin to delegate to; a refusal is audited. Its action names the route, as Langflow's does."""

    async def gate(request: Request, user: CurrentUser, operation_id: OperationId = None) -> None:
        if user.is_superuser:
            return
        target = request.path_params.get(f"{'assignment' if kind == 'role_assignment' else kind}_id", "*")
        verb = {"POST": "create", "PATCH": "update", "DELETE": "delete"}.get(request.method, "access")
        if kind == "role_assignment":
            verb = "create" if request.method == "POST" else "delete"
        noun = "team_member" if kind == "team" and "/members" in request.url.path else kind
        authz = app_state(request).store.authz
        authz.deny(actor(request, user, operation_id), f"{noun}:{verb}", f"{kind}:{target}", 403,
                   "administration_required")
        raise errors.Forbidden(refusal, headers=errors.ADMINISTRATION_DENIED)

    return gate


ADMIN = {"roles": [Depends(administrator("role", errors.ROLES_NEED_SUPERUSER))],
         "role-assignments": [Depends(administrator("role_assignment", errors.ASSIGNMENTS_NEED_SUPERUSER))],
         "teams": [Depends(administrator("team", errors.TEAMS_NEED_SUPERUSER))]}


def add(method: str, path: str, name: str, *, status: int = 200, slash: bool = False, shown: bool = True,
        **options: Any) -> None:
    """A route (and, with `slash`, its form with a trailing slash, which Langflow leaves out of its document); a
    change of a group an administrator gate keeps (ADMIN) passes it first."""
    group = path.split("/")[1]
    if method != "GET" and group in ADMIN and "dependencies" not in options:
        options["dependencies"] = ADMIN[group]
    # The route made directly rather than by add_api_route, which hands it every option, defaults included: the
    # route keeps only those given (about 1 KiB less each, held twice: here and on the app, routing.mount).
    endpoint, methods = Later(HANDLERS, name), [method]
    if status != 200:
        options["status_code"] = status
    for form, visible in ((path, shown), *(((path + "/", False),) if slash else ())):
        hidden = {} if visible else {"include_in_schema": False}
        router.routes.append(DeferredRoute(f"/authz{form}", endpoint, methods=methods, tags=TAGS, **options,
                                           **hidden))


# In Langflow's order: shares, audit, capabilities, roles, role assignments, teams (api/router.py).
add("POST", "/shares", "create_share", status=201, slash=True, shown=False)
add("GET", "/shares", "list_shares", slash=True, shown=False)
add("GET", "/shares/{share_id}", "get_share", shown=False)
add("PATCH", "/shares/{share_id}", "update_share", shown=False)
add("DELETE", "/shares/{share_id}", "delete_share", status=204, shown=False)
add("GET", "/audit", "list_audit_log", slash=True, shown=False)
add("GET", "/capabilities", "get_authorization_capabilities", slash=True, response_model_exclude_none=True)
add("GET", "/roles", "list_roles", slash=True)
add("GET", "/roles/{role_id}", "read_role")
add("POST", "/roles", "create_role", status=201, slash=True)
add("PATCH", "/roles/{role_id}", "update_role")
add("DELETE", "/roles/{role_id}", "delete_role", status=204)
add("GET", "/role-assignments", "list_assignments", slash=True)
add("POST", "/role-assignments", "create_assignment", status=201, slash=True)
add("DELETE", "/role-assignments/{assignment_id}", "delete_assignment",
    response_model=Later("mock_langflow.schemas.authz_admin", "RoleAssignmentRead"),
    responses={204: {"description": "Manual assignment fully revoked."}})
add("GET", "/teams", "list_teams", slash=True)
add("GET", "/teams/{team_id}", "read_team")
add("POST", "/teams", "create_team", status=201, slash=True)
add("PATCH", "/teams/{team_id}", "update_team")
add("DELETE", "/teams/{team_id}", "delete_team", status=204)
add("GET", "/teams/{team_id}/members", "list_members")
add("POST", "/teams/{team_id}/members", "add_member", status=201)
add("DELETE", "/teams/{team_id}/members/{user_id}", "remove_member", status=204)
