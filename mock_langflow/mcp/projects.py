"""Projects as MCP servers: their URLs, the editor configs POST .../install records, and each user's MCP
server list (/api/v2/mcp/servers), which Langflow seeds at start-up with the user's Starter Project.

The install route never writes an editor's real config file (~/.cursor/mcp.json, ...). Which editors the
mock's machine "has" is a setting (MOCK_LANGFLOW_MCP_CLIENTS, none by default, as on the machine the
recordings were made on); what an install would have written is kept in the database and read back by
GET .../installed.
"""

from __future__ import annotations

import platform
import re
from ipaddress import ip_address
from typing import Any
from uuid import UUID

from mock_langflow import errors
from mock_langflow.mcp.naming import project_server_name
from mock_langflow.mcp.tools import list_tools
from mock_langflow.schemas.mcp import McpClientStatus
from mock_langflow.settings import MCP_CLIENTS, Settings, http_url
from mock_langflow.state import AppState
from mock_langflow.store.models import FolderRow, UserRow
from mock_langflow.store.projects import DEFAULT_PROJECT_NAME

# bandit B104 is a false positive here: compared with, never bound: a bind address is no connect address.
ALL_INTERFACES = "0.0.0.0"  # nosec B104
# Where Claude Desktop keeps its config; on other systems Langflow cannot install into it.
CLAUDE_SYSTEMS = ("Darwin", "Windows")
PROXY_COMMAND = "uvx"
PROXY = "mcp-proxy"
_PROJECT_URL = re.compile(r"/api/v1/mcp/project/([0-9a-fA-F-]{36})/(sse|streamable)\b")


# --- URLs --------------------------------------------------------------------------------------------


def base_url(settings: Settings) -> str:
    """The server's own address as MCP clients should use it (a 0.0.0.0 bind is reached as localhost)."""
    return http_url("localhost" if settings.host == ALL_INTERFACES else settings.host, settings.port)


def project_sse_url(settings: Settings, project_id: UUID) -> str:
    return f"{base_url(settings)}/api/v1/mcp/project/{project_id}/sse"


def project_streamable_url(settings: Settings, project_id: UUID) -> str:
    return f"{base_url(settings)}/api/v1/mcp/project/{project_id}/streamable"


def _references(config: Any, urls: list[str]) -> bool:
    args = config.get("args") if isinstance(config, dict) else None
    return isinstance(args, list) and bool({a for a in args if isinstance(a, str)} & set(urls))


def auth_type(project: FolderRow) -> str:
    return str((project.auth_settings or {}).get("auth_type") or "none")


# --- installs into editors ---------------------------------------------------------------------------


def is_local(ip: str) -> bool:
    """Installs are only accepted from the server's own machine."""
    if ip in ("localhost", ALL_INTERFACES):
        return True
    try:
        return ip_address(ip).is_loopback
    except ValueError:
        return False


def _check_client(client: str, settings: Settings) -> None:
    """Refuse an editor Langflow does not know, or one the mock's machine does not have."""
    name = client.lower()
    if name not in MCP_CLIENTS:
        raise errors.BadRequest(errors.MCP_UNSUPPORTED_CLIENT)
    if name in settings.mcp_clients:
        return
    if name == "claude" and platform.system() not in CLAUDE_SYSTEMS:
        raise errors.BadRequest(errors.MCP_CLAUDE_UNSUPPORTED_OS)
    raise errors.BadRequest(errors.mcp_client_not_installed(client))


def install(state: AppState, *, project: FolderRow, user: UserRow, client: str, transport: str | None) -> str:
    """POST /mcp/project/{id}/install: the mcp-proxy entry Langflow would add to the editor's config.

    As in Langflow, a project that wants API keys (or any project when auto-login is off) gets a new key
    for the entry, made before the editor is checked. Entries of the editor that point at this project's
    URLs are replaced.
    """
    settings = state.settings
    sse_url = project_sse_url(settings, project.id)
    streamable_url = project_streamable_url(settings, project.id)
    mode = transport or "sse"
    args = [PROXY]
    wants_key = auth_type(project) == "apikey" if project.auth_settings else not settings.auto_login
    if wants_key:
        key = state.store.users.create_key(user_id=user.id, name=f"MCP Server {project.name}").api_key
        args += ["--headers", "x-api-key", key]
    if mode == "streamablehttp":
        args += ["--transport", "streamablehttp"]
    args.append(streamable_url if mode == "streamablehttp" else sse_url)
    command = PROXY_COMMAND
    if platform.system() == "Windows":
        command, args = "cmd", ["/c", PROXY_COMMAND, *args]
    _check_client(client, settings)
    servers = state.store.mcp.client_servers(client.lower())
    replaced = [name for name, cfg in servers.items() if _references(cfg, [streamable_url, sse_url])]
    for name in replaced:
        del servers[name]
    servers[project_server_name(project.name)] = {"command": command, "args": args}
    state.store.mcp.save_client_servers(client.lower(), servers)
    return errors.mcp_installed(client, replaced=replaced)


def installed(state: AppState, project: FolderRow) -> list[McpClientStatus]:
    """GET /mcp/project/{id}/installed: per editor, whether the machine has it and its config points here."""
    settings = state.settings
    urls = [project_streamable_url(settings, project.id), project_sse_url(settings, project.id)]
    found = []
    for client in MCP_CLIENTS:
        available = client in settings.mcp_clients
        here = available and any(_references(c, urls) for c in state.store.mcp.client_servers(client).values())
        found.append(McpClientStatus(name=client, installed=here, available=available))
    return found


# --- the per-user MCP server list --------------------------------------------------------------------


def _startup_auth(project: FolderRow, *, auto_login: bool) -> dict[str, Any] | None:
    """The auth settings a start gives `project`, if it changes them: API keys when auto-login is off and it
    has none; and, MCP Composer never running here, OAuth falls back to API keys (auto-login off) or none, its
    OAuth settings gone, as Langflow's start does with MCP Composer disabled."""
    kind = auth_type(project)
    if not auto_login and kind == "none":
        return {"auth_type": "apikey"}
    if kind == "oauth":
        return {"auth_type": "none" if auto_login else "apikey"}
    return None


def configure_at_startup(state: AppState) -> None:
    """What Langflow does to MCP state each time it starts.

    With auto-login off, every project without auth settings (or with "none") is switched to API-key
    auth; OAuth projects fall back (_startup_auth). Each user's Starter Project gets an entry in the user's MCP
    server list unless one already points at it: `uvx mcp-proxy <sse url>`, with an API key header when the
    project wants keys.
    Deviation: Langflow also makes an "MCP Project Starter Project - <user>" API key when the project needs
    none; the mock makes that key only when the entry uses it.
    """
    settings, store = state.settings, state.store
    _, users = store.users.list(skip=0, limit=1_000_000)
    for user in users:
        projects = store.projects.list(user.id)
        for project in projects:
            fallback = _startup_auth(project, auto_login=settings.auto_login)
            if fallback is not None:
                project.auth_settings = fallback
                store.mcp.set_auth_settings(project.id, fallback)
        starter = next((p for p in projects if p.name == DEFAULT_PROJECT_NAME), None)
        if starter is None or auth_type(starter) == "oauth":
            continue
        name = project_server_name(DEFAULT_PROJECT_NAME)
        current = store.mcp.servers(user.id).get(name)
        if current and any(str(starter.id) in a for a in current.get("args") or [] if isinstance(a, str)):
            continue
        args = [PROXY]
        if auth_type(starter) == "apikey":
            key = store.users.create_key(user_id=user.id, name=f"MCP Project {DEFAULT_PROJECT_NAME} - {user.username}")
            args += ["--headers", "x-api-key", key.api_key]
        args.append(project_sse_url(settings, starter.id))
        store.mcp.put_server(user_id=user.id, name=name, config={"command": PROXY_COMMAND, "args": args})


def server_summary(state: AppState, user: UserRow, name: str, config: dict[str, Any]) -> dict[str, Any]:
    """GET /api/v2/mcp/servers?action_count=true: Langflow connects to each server and counts its tools.

    Deviation: the mock starts and connects to nothing. It counts the tools of servers that are one of its
    own projects, and reports every other server as not loaded.
    """
    found = [m for a in (config.get("args") or []) + [config.get("url") or ""] if isinstance(a, str)
             for m in [_PROJECT_URL.search(a)] if m]
    project = state.store.mcp.project(UUID(found[0].group(1))) if found else None
    if project is None or project.user_id != user.id:
        return {"name": name, "mode": None, "toolsCount": None, "error": errors.MCP_EXTERNAL_SERVER}
    mode = "stdio" if config.get("command") else ("streamable_http" if found[0].group(2) == "streamable" else "sse")
    count = len(list_tools(state, user_id=user.id, project_id=project.id))
    summary: dict[str, Any] = {"name": name, "mode": mode, "toolsCount": count}
    if count == 0:
        summary["error"] = errors.MCP_NO_TOOLS
    return summary
