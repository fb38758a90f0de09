"""/api/v1/mcp: the global MCP server over SSE and streamable HTTP (fact 42), also served under /api/mcp;
and /api/v2/mcp/servers, each user's list of MCP servers.

The transport routes hand the raw ASGI request to the `mcp` SDK, which writes the whole answer (SSE with
CRLF line ends, the 406 and 202 answers of the streamable transport); they then return ResponseNoOp so
that nothing is sent twice. Their server acts for the caller: every flow of the caller is a tool.
"""

from __future__ import annotations

from typing import Any

from anyio import BrokenResourceError
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, McpUser, mcp_caller
from mock_langflow.deps import McpDep, StateDep, app_state
from mock_langflow.mcp.credentials import as_read_back, masked, unmasked
from mock_langflow.mcp.projects import check_stdio_access, server_summary
from mock_langflow.mcp.runtime import raw_send
from mock_langflow.routing import api_router
from mock_langflow.schemas.mcp import MCPServerConfig
from mock_langflow.state import AppState
from mock_langflow.store.mcp import as_langflow_does
from mock_langflow.store.models import UserRow

router = api_router(prefix="/mcp", tags=["mcp"])


async def sse_enabled(request: Request) -> None:
    """1.13's LANGFLOW_MCP_SSE_ENABLED: off, every SSE route answers 404 before it looks at anything else."""
    state = app_state(request)
    if state.profile.mcp.sse_switch and not state.settings.mcp_sse_enabled:
        raise errors.NotFound(errors.MCP_SSE_DISABLED)


SSE_ON = [Depends(sse_enabled)]
servers_router = api_router(prefix="/mcp", tags=["MCP"])

TRANSPORT_METHODS = ["GET", "POST", "DELETE"]


class ResponseNoOp(Response):
    """What a transport route returns: the SDK has already sent the whole answer."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        return None


# --- SSE -----------------------------------------------------------------------------------------------


@router.head("/sse", response_class=HTMLResponse, include_in_schema=False, dependencies=SSE_ON)
async def im_alive() -> Response:
    """HEAD /api/v1/mcp/sse: 200 with no body and no auth (mcp_sse_head)."""
    return Response()


@router.get("/sse", response_class=ResponseNoOp, include_in_schema=False, dependencies=SSE_ON)
async def handle_sse(request: Request, user: McpUser, mcp: McpDep, state: StateDep) -> Response:
    """GET /api/v1/mcp/sse: an SSE stream whose first frame is `event: endpoint` with the URL to POST
    messages to, /api/v1/mcp/?session_id=<32 hex>; it stays open until the client leaves (mcp_sse_get)."""
    if state.profile.mcp.sse_messages_auth:
        bind_caller(request, user)
    await mcp.serve_sse(mcp.sse, request, mcp.server(None, user))
    return ResponseNoOp()


def bind_caller(request: Request, user: UserRow) -> None:
    """Tell the SDK's SSE transport who the caller is: it then takes a session's messages only from the user
    who opened it, and answers anyone else as if the session did not exist (404 "Could not find session")."""
    from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
    from mcp.server.auth.provider import AccessToken

    user_id = str(user.id)
    # the SDK keys sessions by client_id; the token string itself is never read
    request.scope["user"] = AuthenticatedUser(AccessToken(token="", client_id=user_id, scopes=[],  # nosec B106
                                                          subject=user_id))


@router.post("/", include_in_schema=False, dependencies=SSE_ON)
async def handle_messages(request: Request, mcp: McpDep, state: StateDep) -> Response:
    """POST /api/v1/mcp/?session_id=...: a message for an open SSE session, 202 "Accepted"; the answer
    comes on the stream. 1.13 wants the credentials of the user who opened the session (profile
    mcp.sse_messages_auth); before, the session id is the credential, and the route declares no scheme."""
    if state.profile.mcp.sse_messages_auth:
        bind_caller(request, await mcp_caller(request))
    try:
        await mcp.sse.handle_post_message(request.scope, request.receive, raw_send(request))
    except (BrokenResourceError, BrokenPipeError) as exc:
        raise errors.NotFound(errors.mcp_disconnected(exc)) from exc
    return ResponseNoOp()


# --- streamable HTTP -----------------------------------------------------------------------------------


@router.head("/streamable", include_in_schema=False)
async def streamable_health() -> Response:
    """HEAD /api/v1/mcp/streamable: 200, no auth."""
    return Response()


@router.api_route("/streamable", methods=TRANSPORT_METHODS, response_class=ResponseNoOp, include_in_schema=False)
@router.api_route("/streamable/", methods=TRANSPORT_METHODS, response_class=ResponseNoOp, include_in_schema=False)
async def handle_streamable_http(request: Request, user: McpUser, mcp: McpDep) -> Response:
    """GET/POST/DELETE /api/v1/mcp/streamable: stateless streamable HTTP, no mcp-session-id. A POST needs
    `Accept: application/json, text/event-stream` (406 JSON-RPC error otherwise) and is answered as one SSE
    `message` event; a notification gets 202 with no body; a GET opens a stream that stays quiet."""
    await mcp.serve_streamable(None, request, user)
    return ResponseNoOp()


# --- /api/v2/mcp/servers -------------------------------------------------------------------------------


@servers_router.get("/servers", response_model=None)
async def get_servers(user: CurrentUser, state: StateDep, action_count: bool | None = None) -> list[dict[str, Any]]:
    """GET /api/v2/mcp/servers: the caller's MCP servers by name; mode and toolsCount stay null unless
    ?action_count=true (mcp_v2_servers)."""
    servers = state.store.mcp.raw_servers(user.id)
    names = as_langflow_does(lambda: list(servers))  # (before 1.13 a list's items, a text's characters...)
    if not action_count:
        return [{"name": name, "mode": None, "toolsCount": None} for name in names]
    if not isinstance(servers, dict):
        return [_unusable_summary(state, user, servers, name) for name in names]
    for config in servers.values():
        check_stdio_access(state, user, config)
    return [server_summary(state, user, name, config) for name, config in servers.items()]


def _unusable_summary(state: AppState, user: UserRow, servers: Any, name: Any) -> dict[str, Any]:
    """Before 1.13, ?action_count=true on a file whose `mcpServers` is no object: Langflow's check_server looks
    each name up in it and reports the error it catches as that server's."""
    try:
        config = servers[name]
    except (KeyError, TypeError) as exc:
        return {"name": name, "mode": None, "toolsCount": None, "error": f"Configuration data error: {exc}"}
    except IndexError as exc:
        return {"name": name, "mode": None, "toolsCount": None, "error": f"Error loading server: {exc}"}
    return server_summary(state, user, name, config)


@servers_router.get("/servers/{server_name}", response_model=None)
async def get_server_endpoint(server_name: str, user: CurrentUser, state: StateDep) -> dict[str, Any] | None:
    """GET /api/v2/mcp/servers/{name}: the server's config, its credentials masked; an unknown name is 404
    (before 1.13: null, unmasked)."""
    if state.profile.mcp.server_edits == "legacy":  # (1.8, 1.7.1: the servers file, as a run reads it)
        return state.store.mcp.server_for_run(user.id, server_name)
    config = state.store.mcp.servers(user.id).get(server_name)
    if config is None:
        raise errors.NotFound(errors.MCP_SERVER_NOT_FOUND)
    return masked(config)


def allowlists(state: AppState) -> Any:
    """The deployment's MCP allowlists (stdio_policy.Allowlists), None without any."""
    from mock_langflow.mcp.stdio_policy import Allowlists  # (see _check_stdio)

    settings = state.settings
    return Allowlists.of(settings.mcp_server_allowed_packages, settings.mcp_sdk_constraint,
                         settings.mcp_server_env_allowlist, settings.mcp_server_interpreter_hardening,
                         settings.mcp_server_docker_hardening)


def _check_stdio(state: AppState, server_config: MCPServerConfig) -> None:
    """1.13's request model refuses a stdio config outside its policy (profile mcp.stdio_policy): a 422 on the body,
    ahead of every other check of the route. A PATCH is judged by what it sends, not by the merged config."""
    if not state.profile.mcp.stdio_policy:
        return
    # its tables and patterns at the first config, not at start-up
    from mock_langflow.mcp.stdio_policy import refusal

    reason = refusal(server_config.command, server_config.args, server_config.env, allowlists(state))
    if reason is not None:
        raise RequestValidationError([{"type": "value_error", "loc": ("body",), "msg": f"Value error, {reason}",
                                       "input": server_config.model_dump(exclude_unset=True),
                                       "ctx": {"error": ValueError(reason)}}])


def _check_unlocked(state: AppState, user: UserRow) -> None:
    """1.13 with LANGFLOW_MCP_SERVERS_LOCKED on: only a superuser edits the list."""
    if state.profile.mcp.servers_lock and state.settings.mcp_servers_locked and not user.is_superuser:
        raise errors.Forbidden(errors.MCP_SERVERS_LOCKED)


@servers_router.post("/servers/{server_name}", response_model=None)
async def add_server(server_name: str, server_config: MCPServerConfig, user: CurrentUser,
                     state: StateDep) -> dict[str, Any] | None:
    """POST /api/v2/mcp/servers/{name}: add a server; a name in use is 409 "Server already exists." (before
    1.13: 500). With LANGFLOW_MCP_SERVERS_LOCKED on (1.13) anyone but a superuser is refused, 403."""
    _check_stdio(state, server_config)
    _check_unlocked(state, user)
    if state.profile.mcp.server_edits == "legacy":
        state.store.mcp.put_server(user_id=user.id, name=server_name,
                                   config=server_config.model_dump(exclude_none=True), must_be_new=True)
        return state.store.mcp.servers(user.id).get(server_name)
    config = _sent_config(server_name, server_config)
    check_stdio_access(state, user, config)
    if server_name in state.store.mcp.servers(user.id):
        raise errors.Conflict(errors.MCP_SERVER_EXISTS)
    config = as_read_back(unmasked(config, None), state.store.mcp.sealer.opened_or_empty)
    state.store.mcp.put_server(user_id=user.id, name=server_name, config=config, must_be_new=True,
                               taken=errors.Conflict(errors.MCP_SERVER_EXISTS))  # one added meanwhile
    return masked(config)


@servers_router.patch("/servers/{server_name}", response_model=None)
async def update_server_endpoint(server_name: str, server_config: MCPServerConfig, user: CurrentUser,
                                 state: StateDep) -> dict[str, Any] | None:
    """PATCH /api/v2/mcp/servers/{name}: the fields sent replace the stored ones, the others stay; an unknown
    name is 404 (before 1.13: the config is replaced, or added); locked as POST is."""
    _check_stdio(state, server_config)
    _check_unlocked(state, user)
    if state.profile.mcp.server_edits == "legacy":
        state.store.mcp.put_server(user_id=user.id, name=server_name,
                                   config=server_config.model_dump(exclude_none=True))
        return state.store.mcp.servers(user.id).get(server_name)
    config = _sent_config(server_name, server_config)
    check_stdio_access(state, user, config)
    stored = state.store.mcp.servers(user.id).get(server_name)
    if stored is None:
        raise errors.NotFound(errors.MCP_SERVER_NOT_FOUND)
    merged = as_read_back({**stored, **unmasked(config, stored)}, state.store.mcp.sealer.opened_or_empty)
    check_stdio_access(state, user, merged)
    state.store.mcp.put_server(user_id=user.id, name=server_name, config=merged)
    return masked(merged)


def _sent_config(server_name: str, server_config: MCPServerConfig) -> dict[str, Any]:
    """1.13: the fields the body sets (a null too); a `name` must be the path's, and is not stored."""
    config = server_config.model_dump(exclude_unset=True)
    if "name" in config:
        if config["name"] != server_name:
            raise errors.UnprocessableEntity(errors.mcp_server_name_immutable(server_name, config["name"]))
        del config["name"]
    return config


@servers_router.delete("/servers/{server_name}", response_model=None)
async def delete_server(server_name: str, user: CurrentUser, state: StateDep) -> None:
    """DELETE /api/v2/mcp/servers/{name}: null; an unknown name is 404 "Server not found." (before 1.13: 500);
    locked as POST is."""
    _check_unlocked(state, user)
    missing = errors.NotFound(errors.MCP_SERVER_NOT_FOUND) if state.profile.mcp.server_edits == "checked" else None
    state.store.mcp.delete_server(user_id=user.id, name=server_name, missing=missing)
