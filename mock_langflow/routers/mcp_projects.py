"""/api/v1/mcp/project/{project_id}: one MCP server per project, whose tools are the project's MCP-enabled
flows under their action names (fact 42), and the project's MCP settings, URLs and editor installs.

Deviation: MCP Composer (Langflow's OAuth front for project servers) is never started; where Langflow would
start it (an OAuth project), the mock answers as Langflow does with MCP Composer disabled. Elsewhere it follows
Langflow's default, MCP Composer on (project_caller, installs' keys).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from anyio import BrokenResourceError
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mock_langflow import errors, ratelimit
from mock_langflow.audit import audited
from mock_langflow.auth import McpUser, sent_keys, skip_auth_superuser
from mock_langflow.deps import McpDep, StateDep, app_state
from mock_langflow.mcp import projects as mcp_projects
from mock_langflow.mcp.naming import project_server_name, sanitize_mcp_name
from mock_langflow.mcp.runtime import PUBLIC_CALL, raw_send
from mock_langflow.routers.mcp import SSE_ON, TRANSPORT_METHODS, ResponseNoOp
from mock_langflow.routing import api_router
from mock_langflow.schemas.mcp import (
    AuthSettings,
    ComposerUrlResponse,
    MCPInstallRequest,
    MCPProjectResponse,
    MCPProjectUpdateRequest,
    MCPSettings,
)
from mock_langflow.state import AppState
from mock_langflow.store.models import FlowRow, UserRow
from mock_langflow.store.sealing import MASK, SECRET_FIELDS
from mock_langflow.store.users import KeyUse

router = api_router(prefix="/mcp/project", tags=["mcp_projects"])

# When the client address is unknown, Langflow assumes one that is never local.
UNKNOWN_CLIENT = "255.255.255.255"


async def project_caller(project_id: UUID, request: Request) -> UserRow:
    """Who a project transport serves (profile mcp.project_auth): the project is looked up first (404 before
    any auth); its auth settings then say whether a key is wanted, and a key is checked with 401s, not the
    403s of /run, and only the project's owner is served with a key. A caller the project does not want a key
    from is served as its owner (1.13, auth "none") or as the superuser, owner or not. The keys are read off
    the request, as Langflow's transports do, so these routes declare no scheme."""
    state = app_state(request)
    project = state.store.mcp.project(project_id)
    if project is None:
        raise errors.ProjectNotFound()
    kind = mcp_projects.auth_type(project) if project.auth_settings else None
    by_project = state.profile.mcp.project_auth == "by-project"
    if by_project and kind == "none":
        owner = state.store.users.get(project.user_id) if project.user_id else None
        if owner is None:
            raise errors.NotFound(errors.PROJECT_OWNER_NOT_FOUND)
        setattr(request.state, PUBLIC_CALL, True)  # its tool calls run as a visitor's
        return owner
    query_key, header_key = sent_keys(request)
    key = query_key or header_key  # Langflow reads the query parameter first
    wanted = ("apikey", "oauth") if by_project else ("apikey",)
    if (kind is None and not state.settings.auto_login) or kind in wanted or (by_project and key):
        if not key:
            raise errors.Unauthorized(errors.PROJECT_OAUTH_KEY_REQUIRED if kind == "oauth"
                                      else errors.PROJECT_KEY_REQUIRED)
        # Before 1.13 the key check looks at no user's is_active: a deactivated owner's key is served here; and
        # its use is counted in the transaction that then finds the project is not the key owner's (404).
        held: list[KeyUse] | None = [] if "mcp" in state.profile.auth.key_use_with_request else None
        user = state.store.users.user_for_key(key, inactive_user=state.profile.auth.inactive_user_keys == "accepted",
                                              held=held)
        if user is None:
            raise errors.Unauthorized(errors.INVALID_API_KEY)
        state.store.mcp.owned_project(project_id, user_id=user.id)
        if held:
            state.store.users.count_key_uses(held)
        return user
    if by_project and not state.settings.skip_auth_auto_login:
        raise errors.Forbidden(errors.AUTO_LOGIN_NEEDS_KEY)
    # Langflow's superuser fallback checks no ownership: the streamable route serves the superuser whoever owns
    # the project (its tools are then the superuser's flows there); the SSE route checks for itself. It looks the
    # superuser up by its name: nobody of that name is a 403 'Invalid user'.
    return skip_auth_superuser(state, errors.Forbidden(errors.SUPERUSER_FALLBACK_GONE))


ProjectCaller = Annotated[UserRow, Depends(project_caller)]


def _tool_settings(flow: FlowRow) -> MCPSettings:
    flow_name = sanitize_mcp_name(flow.name)
    return MCPSettings(id=flow.id, mcp_enabled=flow.mcp_enabled,
                       action_name=sanitize_mcp_name(flow.action_name) if flow.action_name else flow_name,
                       action_description=flow.action_description or flow.description
                       or f"Tool generated from flow: {flow_name}",
                       name=flow.name, description=flow.description)


def _masked(auth_settings: dict[str, Any] | None) -> AuthSettings | None:
    if not auth_settings:
        return None
    shown = {k: (MASK if k in SECRET_FIELDS and v else v) for k, v in auth_settings.items()}
    return AuthSettings.model_validate(shown)


@router.get("/{project_id}")
async def list_project_tools(project_id: UUID, user: McpUser, state: StateDep, *,
                             mcp_enabled: bool = True) -> Response:
    """GET /api/v1/mcp/project/{project_id}: the project's flows as tool settings (only MCP-enabled ones
    unless ?mcp_enabled=false), its auth settings with secrets masked, and its MCP server name."""
    with errors.rewrapped(state.profile.mcp.unknown_project == "500"):
        project = state.store.mcp.owned_project(project_id, user_id=user.id)
    flows = state.store.mcp.project_flows(project_id=project_id, mcp_enabled_only=mcp_enabled)
    body = MCPProjectResponse(tools=[_tool_settings(f) for f in flows], auth_settings=_masked(project.auth_settings),
                              server_name=project_server_name(
                                  project.name, any_script=state.profile.mcp.server_names == "any-script"))
    return JSONResponse(state.profile.strip("McpProjectTools", body.model_dump(mode="json")))


# --- SSE -----------------------------------------------------------------------------------------------


@router.head("/{project_id}/sse", response_class=HTMLResponse, include_in_schema=False, dependencies=SSE_ON)
async def im_alive(project_id: str) -> Response:
    """HEAD /api/v1/mcp/project/{project_id}/sse: 200, no auth."""
    return Response()


@router.get("/{project_id}/sse", response_class=ResponseNoOp, include_in_schema=False, dependencies=SSE_ON)
async def handle_project_sse(project_id: UUID, request: Request, user: ProjectCaller, mcp: McpDep) -> Response:
    """GET /api/v1/mcp/project/{project_id}/sse: as /api/v1/mcp/sse, with messages posted to
    /api/v1/mcp/project/<id>/?session_id=... (mcp_project_sse_get)."""
    app_state(request).store.mcp.owned_project(project_id, user_id=user.id)
    public = bool(getattr(request.state, PUBLIC_CALL, False))
    await mcp.serve_sse(mcp.project_sse(project_id), request,
                        mcp.server(project_id, user, public=public, headers=request.headers))
    return ResponseNoOp()


@router.post("/{project_id}", include_in_schema=False, dependencies=SSE_ON)
@router.post("/{project_id}/", include_in_schema=False, dependencies=SSE_ON)
async def handle_project_messages(project_id: UUID, request: Request, user: ProjectCaller, mcp: McpDep) -> Response:
    """POST /api/v1/mcp/project/{project_id}/?session_id=...: a message for an open project SSE session."""
    try:
        await mcp.project_sse(project_id).handle_post_message(request.scope, request.receive, raw_send(request))
    except BrokenResourceError as exc:
        raise errors.NotFound(errors.mcp_disconnected(exc, project=True)) from exc
    return ResponseNoOp()


# --- streamable HTTP -----------------------------------------------------------------------------------


@router.head("/{project_id}/streamable", include_in_schema=False)
async def streamable_health(project_id: UUID) -> Response:
    """HEAD /api/v1/mcp/project/{project_id}/streamable: 200, no auth."""
    return Response()


@router.api_route("/{project_id}/streamable", methods=TRANSPORT_METHODS, response_class=ResponseNoOp,
                  include_in_schema=False)
@router.api_route("/{project_id}/streamable/", methods=TRANSPORT_METHODS, response_class=ResponseNoOp,
                  include_in_schema=False)
async def handle_project_streamable_http(project_id: UUID, request: Request, user: ProjectCaller,
                                         mcp: McpDep) -> Response:
    """GET/POST/DELETE /api/v1/mcp/project/{project_id}/streamable: stateless streamable HTTP, as the
    global server's (mcp_project_streamable_*)."""
    await mcp.serve_streamable(project_id, request, user)
    return ResponseNoOp()


# --- settings, URLs and installs -----------------------------------------------------------------------


@router.patch("/{project_id}", status_code=200, response_model=None)
@audited("mcp_settings")
async def update_project_mcp_settings(project_id: UUID, request: MCPProjectUpdateRequest, user: McpUser,
                                      state: StateDep) -> dict[str, Any]:
    """PATCH /api/v1/mcp/project/{project_id}: set mcp_enabled, action_name and action_description of the
    listed flows, and the project's auth settings when given (mcp_project_patch_settings).

    A secret sent back masked keeps its stored value. Switching to OAuth answers a `result` saying MCP
    Composer is disabled; switching away from it answers the project's direct URLs.
    """
    project = state.store.mcp.owned_project(project_id, user_id=user.id)
    before = mcp_projects.auth_type(project)
    set_auth = "auth_settings" in request.model_fields_set and request.auth_settings is not None
    stored = request.auth_settings.stored() if request.auth_settings is not None and set_auth else None
    follows = set_auth and state.profile.mcp.server_follows_auth
    kind = (stored or {}).get("auth_type")
    slot = mcp_projects.check_new_server(state, user, project.id, project.name, kind) if follows else None
    updated = state.store.mcp.update_project(project_id=project_id, user_id=user.id, settings=request.settings,
                                             auth_settings=stored, set_auth=set_auth)
    if follows:  # after the update, as Langflow's; a 409 above changed nothing
        mcp_projects.register_server(state, project, user, kind, slot)
    body: dict[str, Any] = {"message": errors.mcp_settings_updated(updated)}
    after = (stored or {}).get("auth_type") if set_auth else before
    if set_auth and after == "oauth":
        body["result"] = {"project_id": str(project_id), "uses_composer": False,
                          "error_message": errors.MCP_COMPOSER_DISABLED}
    elif set_auth and before == "oauth":
        sse_url = mcp_projects.project_sse_url(state.settings, project_id)
        body["result"] = {"project_id": str(project_id),
                          "streamable_http_url": mcp_projects.project_streamable_url(state.settings, project_id),
                          "legacy_sse_url": sse_url, "sse_url": sse_url, "uses_composer": False}
    return body


def client_ip(request: Request, state: AppState) -> str:
    """Where an install comes from. 1.13 believes X-Forwarded-For only behind a trusted proxy
    (LANGFLOW_RATE_LIMIT_TRUST_PROXY), and then its last hop; before, the header's first entry, whoever sent it."""
    if state.profile.mcp.install_client == "first-forwarded":
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    elif state.settings.rate_limit_trust_proxy:
        hop = ratelimit.last_forwarded_hop(request)
        if hop:
            return hop
    return request.client.host if request.client else UNKNOWN_CLIENT


@router.post("/{project_id}/install", response_model=None)
async def install_mcp_config(project_id: UUID, body: MCPInstallRequest, request: Request, user: McpUser,
                             state: StateDep) -> dict[str, str]:
    """POST /api/v1/mcp/project/{project_id}/install: add the project to Cursor's, Windsurf's or Claude's
    MCP config. Only from the server's own machine (500 otherwise); an unknown client is 400
    "Unsupported client"; an editor the machine lacks is 400 "<Client> is not installed on this system. ..."
    (mcp_project_install_bad_client, mcp_project_install_cursor).

    Deviation: the config is recorded in the mock's database, never written to the editor's real file;
    which editors are present is the MOCK_LANGFLOW_MCP_CLIENTS setting.
    """
    if not mcp_projects.is_local(client_ip(request, state)):
        raise errors.MockHTTPError(errors.MCP_INSTALL_NOT_LOCAL)
    project = state.store.mcp.owned_project(project_id, user_id=user.id)
    message = mcp_projects.install(state, project=project, user=user, client=body.client, transport=body.transport)
    return {"message": message}


@router.get("/{project_id}/composer-url")
async def get_project_composer_url(project_id: UUID, user: McpUser, state: StateDep) -> ComposerUrlResponse:
    """GET /api/v1/mcp/project/{project_id}/composer-url: the project's streamable HTTP and SSE URLs
    (mcp_project_composer_url). Failures are answered 200 with an error_message, as in Langflow."""
    try:
        state.store.mcp.owned_project(project_id, user_id=user.id)
    except errors.ProjectNotFound:
        return ComposerUrlResponse(project_id=str(project_id), uses_composer=True,
                                   error_message=errors.MCP_COMPOSER_URL_FAILED)
    return ComposerUrlResponse(project_id=str(project_id), uses_composer=False,
                               streamable_http_url=mcp_projects.project_streamable_url(state.settings, project_id),
                               legacy_sse_url=mcp_projects.project_sse_url(state.settings, project_id))


@router.get("/{project_id}/installed", response_model=None)
async def check_installed_mcp_servers(project_id: UUID, user: McpUser, state: StateDep) -> list[dict[str, Any]]:
    """GET /api/v1/mcp/project/{project_id}/installed: for cursor, windsurf and claude, whether the machine
    has the editor and its (recorded) config points at this project (mcp_project_installed). A project that is
    not the caller's is every release's 500 "404: Project not found": the route's catch-all rewraps its 404."""
    with errors.rewrapped(True):
        project = state.store.mcp.owned_project(project_id, user_id=user.id)
    return [status.model_dump() for status in mcp_projects.installed(state, project)]
