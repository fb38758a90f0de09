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
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from uuid import UUID

from mock_langflow import errors
from mock_langflow.mcp.naming import KEY_NAME_PREFIX, SERVER_NAME_PREFIX, project_server_names, sanitize_mcp_name
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
# 1.13 pins the MCP SDK of the mcp-proxy it has uvx start: `uvx --with mcp~=1.28 mcp-proxy ...`.
SDK_PIN = ["--with", "mcp~=1.28"]
_URL = re.compile(r'https?://[^\s<>"{}|\\^`\[\]]+[^\s<>"{}|\\^`\[\].,;:!?]')  # Langflow's: a URL in an argument
_PROJECT_URL = re.compile(r"/api/v1/mcp/project/([0-9a-fA-F-]{36})/(sse|streamable)\b")
_PROJECT_ID_URL = re.compile(r"/api/v1/mcp/project/([0-9a-fA-F-]{36})")


# --- URLs --------------------------------------------------------------------------------------------


def base_url(settings: Settings) -> str:
    """The server's own address as MCP clients should use it (a 0.0.0.0 bind is reached as localhost)."""
    return http_url("localhost" if settings.host == ALL_INTERFACES else settings.host, settings.port)


def project_sse_url(settings: Settings, project_id: UUID) -> str:
    return f"{base_url(settings)}/api/v1/mcp/project/{project_id}/sse"


def project_streamable_url(settings: Settings, project_id: UUID) -> str:
    return f"{base_url(settings)}/api/v1/mcp/project/{project_id}/streamable"


def _string_args(config: Any) -> list[str]:
    """The texts Langflow looks for URLs in when it walks a config's `args`: a list's items, an object's keys (a
    text's characters never hold one)."""
    args = config.get("args") if isinstance(config, dict) else None
    return [a for a in args if isinstance(a, str)] if isinstance(args, (list, dict)) else []


def _targets(config: Any, project_id: UUID) -> bool:
    """Whether a server config is this project's: a URL among its arguments holds the project's id."""
    return any(str(project_id) in url for a in _string_args(config) for url in _URL.findall(a))


def _other_project(config: Any, project_id: UUID) -> bool:
    """Whether an editor's entry is another project's: it names project URLs, none of them this project's."""
    found = {m.group(1).lower() for a in _string_args(config) for m in _PROJECT_ID_URL.finditer(a)}
    return bool(found) and str(project_id) not in found


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


# --- a project's entry in its owner's MCP server list -----------------------------------------------------
# Langflow (LANGFLOW_ADD_PROJECTS_TO_MCP_SERVERS, on by default) keeps an entry "lf-<project>" in the owner's
# list for each project: made with the project, renamed and removed with it, and rewritten when its auth
# changes (1.13) or at a start (1.13) when it no longer matches the project's auth.


@dataclass(frozen=True)
class _Slot:
    """Where a project's entry is or would go: `config` is the entry there, `ours` whether it is this
    project's (else a config there is another project's: a conflict)."""

    name: str
    config: dict[str, Any] | None
    ours: bool
    unwritable: bool = False  # (before 1.13) the user's server list cannot be read: the write would fail

    @property
    def conflict(self) -> bool:
        return self.config is not None and not self.ours


def _slot(state: AppState, user_id: UUID, project_id: UUID, project_name: str, *, adopt: bool,
          servers: dict[str, Any] | None = None) -> _Slot:
    """Langflow's validate_mcp_server_for_project. `adopt` (1.13, a create or delete): an "lf-" entry of this
    project under a name the rules no longer give is taken as the project's. `servers`: the user's list, when the
    caller has read it."""
    any_script = state.profile.mcp.server_names == "any-script"
    names = project_server_names(project_id, project_name, any_script=any_script)
    servers = state.store.mcp.servers(user_id) if servers is None else servers
    for name in names:
        if name in servers and _targets(servers[name], project_id):
            return _Slot(name, servers[name], ours=True)
    if adopt and any_script:
        for name, config in servers.items():
            if name.startswith(SERVER_NAME_PREFIX) and _targets(config, project_id):
                return _Slot(name, config, ours=True)
    free = next((n for n in names if n not in servers or not _inspectable(servers[n])), None)
    return _Slot(free, None, ours=False) if free is not None else _Slot(names[0], servers[names[0]], ours=False)


def _inspectable(config: Any) -> bool:
    """Whether Langflow's check of an entry of that name gets through it: an entry that is no object, or whose
    `args` is truthy but cannot be walked, fails the check, which then finds no entry (no conflict, so the
    project's entry is written over it). Only a servers file (before 1.13) can hold such an entry."""
    if not isinstance(config, dict):
        return False
    args = config.get("args", [])
    return not args or isinstance(args, (list, str, dict))


def _proxy_args(state: AppState, url: str, key: str | None = None) -> list[str]:
    head = [*SDK_PIN] if state.profile.mcp.sdk_pin else []
    return [*head, PROXY, "--transport", "streamablehttp", *(["--headers", "x-api-key", key] if key else []), url]


def _matches(state: AppState, config: dict[str, Any] | None, kind: str, url: str) -> bool:
    """Whether an entry already is what registering the project with auth `kind` would write; kind "any" (the
    Starter Project's entry at a start) asks only for the URL (and in 1.13 the SDK pin)."""
    if not isinstance(config, dict):
        return False
    args = config.get("args")
    if state.profile.mcp.sdk_pin and (config.get("command") != PROXY_COMMAND or not isinstance(args, list)
                                      or args[:len(SDK_PIN) + 1] != [*SDK_PIN, PROXY]):
        return False
    if kind == "any":  # (before 1.13 the URLs of an `args` object's keys too)
        return url in [u for a in _string_args(config) for u in _URL.findall(a)]
    if not isinstance(args, list):
        return False
    strings = [a for a in args if isinstance(a, str)]
    if not {PROXY, "--transport", "streamablehttp", url} <= set(strings):
        return False
    keyed = any(a == "--headers" and i + 2 < len(args) and args[i + 1] == "x-api-key" for i, a in enumerate(args))
    return keyed if kind == "apikey" else kind == "none" and not keyed


def check_stdio_access(state: AppState, user: UserRow, config: dict[str, Any]) -> None:
    """1.13's ensure_mcp_stdio_access, run on every write of a server entry (the project entries, all of them
    `uvx mcp-proxy ...`, too): with custom code restricted by its settings, a stdio config (a command, or mode
    "stdio") is refused, 403, to anyone but a superuser."""
    if stdio_refused(state.settings, state.profile.mcp.stdio_admin_only, user, config):
        raise errors.Forbidden(errors.MCP_STDIO_RESTRICTED)


def custom_code_restricted(settings: Settings) -> bool:
    """1.13's settings that leave stdio MCP servers to superusers."""
    return (not settings.allow_custom_components or settings.custom_component_admin_only
            or settings.block_code_interpreter_components)


def stdio_refused(settings: Settings, admin_only: bool, user: UserRow | None, config: Any) -> bool:
    """check_stdio_access's rule (`admin_only`: profile mcp.stdio_admin_only); a user not found is no superuser."""
    if not (admin_only and custom_code_restricted(settings)) or not isinstance(config, dict):
        return False  # (an entry of an uploaded 1.8 servers file may be anything)
    mode = config.get("mode")
    stdio = bool(config.get("command")) or (isinstance(mode, str) and mode.lower() == "stdio")
    return stdio and not (user is not None and user.is_superuser)


def _check_entry_write(state: AppState, user: UserRow, slot: _Slot, project_id: UUID, kind: str) -> None:
    """A 403 when registering the project with auth `kind` would write its (stdio) entry and the user may not."""
    if not (slot.ours and _matches(state, slot.config, kind, project_streamable_url(state.settings, project_id))):
        check_stdio_access(state, user, {"command": PROXY_COMMAND})


def _free_slot(state: AppState, user: UserRow, project_id: UUID, project_name: str, operation: str, *,
               adopt: bool) -> _Slot:
    slot = _slot(state, user.id, project_id, project_name, adopt=adopt)
    if slot.conflict:
        raise errors.Conflict(errors.mcp_server_conflict(slot.name, project_name, project_id, operation))
    return slot


def check_new_server(state: AppState, user: UserRow, project_id: UUID, project_name: str,
                     kind: str | None = "none", *, creating: bool = False,
                     moved: _Slot | None = None) -> _Slot | None:
    """Before a project is made (`creating`: any `kind`), or its auth set to `kind` (1.13 then registers "apikey"
    and "none" only): 409 when every name its entry could have is another project's, then 403 when an "apikey" or
    "none" entry would be written by a user check_stdio_access refuses; else where the entry goes, for
    register_server when nothing moved it meanwhile. `moved`: where a rename about to happen puts the entry."""
    wanted = kind in ("apikey", "none")
    if not state.settings.add_projects_to_mcp_servers or not (wanted or creating):
        return None
    try:
        slot = moved or _slot(state, user.id, project_id, project_name, adopt=True)
    except errors.McpServersFileNotJson:
        raise
    except errors.MockHTTPError:
        if not creating or state.store.mcp.servers_file == "none":
            raise
        # Before 1.13 a project is made whatever else is wrong with the list (JSON without an `mcpServers`
        # object, or no object at all): Langflow's name check passes over it and the failed write is logged.
        return _Slot("", None, ours=False, unwritable=True)
    if slot.conflict:
        raise errors.Conflict(errors.mcp_server_conflict(slot.name, project_name, project_id, "create"))
    if wanted:
        _check_entry_write(state, user, slot, project_id, str(kind))
    return slot


def register_server(state: AppState, project: FolderRow, user: UserRow, kind: str | None,
                    slot: _Slot | None = None) -> None:
    """Langflow's register_mcp_servers_for_project: the project's entry for auth `kind`, with a new API key
    "MCP Project <name> - default" when it wants keys. An entry that already matches is left alone; OAuth
    projects get none (Langflow: "not yet implemented"). `slot`: check_new_server's answer, still good."""
    if kind not in ("apikey", "none") or not state.settings.add_projects_to_mcp_servers:
        return
    slot = slot or _free_slot(state, user, project.id, project.name, "create", adopt=True)
    url = project_streamable_url(state.settings, project.id)
    if slot.ours and _matches(state, slot.config, kind, url):
        return
    if not slot.unwritable:
        _check_entry_write(state, user, slot, project.id, kind)
    key = None
    if kind == "apikey":
        key = state.store.users.create_key(user_id=user.id, name=f"{KEY_NAME_PREFIX}{project.name} - default").api_key
    if slot.unwritable:
        return  # (the key, made first, stays)
    state.store.mcp.put_server(user_id=user.id, name=slot.name,
                               config={"command": PROXY_COMMAND, "args": _proxy_args(state, url, key)})


def server_move(state: AppState, user: UserRow, project: FolderRow, new_name: str) -> tuple[str, _Slot] | None:
    """Before a project is renamed: (old name, new place) of its entry, None when it stays where it is; a 409
    when the new name is another project's. `move_server` moves it once the project is renamed."""
    if not state.settings.add_projects_to_mcp_servers:
        return None
    try:
        old = _slot(state, user.id, project.id, project.name, adopt=False)
        new = _slot(state, user.id, project.id, new_name, adopt=False)
    except errors.MockHTTPError:  # an unreadable server list (before 1.13): Langflow's check finds no entry
        return None
    if old.name == new.name:
        return None
    if new.conflict:
        raise errors.Conflict(errors.mcp_server_conflict(new.name, new_name, project.id, "update"))
    if not old.ours:
        return None
    check_stdio_access(state, user, old.config or {})  # 1.13 writes the entry anew under its new name
    return old.name, _Slot(new.name, old.config, ours=True)


def move_server(state: AppState, user: UserRow, move: tuple[str, _Slot] | None) -> None:
    """Move a renamed project's entry to its new name (server_move's answer), at the end of the list."""
    if move is not None:
        old_name, to = move
        state.store.mcp.delete_server(user_id=user.id, name=old_name)
        state.store.mcp.put_server(user_id=user.id, name=to.name, config=to.config or {})


def unregister_server(state: AppState, user: UserRow, project: FolderRow) -> None:
    """A project deleted: its entry goes (an entry of that name that is another project's stays)."""
    if not state.settings.add_projects_to_mcp_servers:
        return
    try:
        slot = _slot(state, user.id, project.id, project.name, adopt=True)
    except errors.MockHTTPError:  # an unreadable server list (before 1.13): Langflow's check finds no entry
        return
    if slot.ours:
        state.store.mcp.delete_server(user_id=user.id, name=slot.name)


def install(state: AppState, *, project: FolderRow, user: UserRow, client: str, transport: str | None) -> str:
    """POST /mcp/project/{id}/install: the mcp-proxy entry Langflow would add to the editor's config.

    As in Langflow (MCP Composer on, its default), a project whose auth is "apikey" gets a new key for the
    entry, made before the editor is checked; 1.13 makes one too while auto-login is on without SKIP_AUTH
    (profile mcp.install_key). Entries of the editor that point at this project's URLs are replaced.
    """
    settings = state.settings
    sse_url = project_sse_url(settings, project.id)
    streamable_url = project_streamable_url(settings, project.id)
    mode = transport or "sse"
    args = [*SDK_PIN, PROXY] if state.profile.mcp.sdk_pin else [PROXY]
    wants_key = bool(project.auth_settings) and auth_type(project) == "apikey"
    if state.profile.mcp.install_key == "unless-skip-auth":
        # 1.13: a client without a key would be refused wherever auto-login serves no caller without one
        wants_key = wants_key or (settings.auto_login and not settings.skip_auth_auto_login)
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
    names = project_server_names(project.id, project.name, any_script=state.profile.mcp.server_names == "any-script")
    # an entry of another project keeps its name (1.13's second choice; before, it is replaced)
    name = next((n for n in names if not _other_project(servers.get(n), project.id)), names[0])
    servers[name] = {"command": command, "args": args}
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


def startup_auth(kind: str, *, auto_login: bool) -> dict[str, Any] | None:
    """The auth settings a start gives a project whose auth is `kind`, if it changes them: API keys when
    auto-login is off and it has none; and, MCP Composer never running here, OAuth falls back to API keys
    (auto-login off) or none, its OAuth settings gone, as Langflow's start does with MCP Composer disabled."""
    if not auto_login and kind == "none":
        return {"auth_type": "apikey"}
    if kind == "oauth":
        return {"auth_type": "none" if auto_login else "apikey"}
    return None


def configure_at_startup(state: AppState) -> None:
    """What Langflow does to MCP state each time it starts.

    With auto-login off, every project without auth settings (or with "none") is switched to API-key auth;
    OAuth projects fall back (startup_auth). In 1.13 each project whose auth is "apikey" or "none" then gets
    its server entry rewritten where it no longer matches (register_server). Last, the flows of each user's
    Starter Project whose mcp_enabled is null are turned on, and the project gets an entry unless one of its
    own has the project's streamable HTTP URL (and, 1.13, the SDK pin; 1.7.1 keeps any entry of its own,
    profile mcp.starter_entry_kept): `uvx mcp-proxy --transport
    streamablehttp <url>`, with an API key header when the project wants keys (the key, "MCP Project Starter
    Project - <user>", is made whatever the project's auth, as Langflow makes it before it looks at the auth).
    """
    settings, store = state.settings, state.store
    _, users = store.users.list(skip=0, limit=1_000_000)
    for user in users:
        projects = store.projects.list(user.id)
        for project in projects:
            fallback = startup_auth(auth_type(project), auto_login=settings.auto_login)
            auth = fallback if fallback is not None else project.auth_settings
            if not _entry_follows(state, user, project, auth):
                continue  # 1.13 logs it and goes on, the project's auth change undone with the entry's
            if fallback is not None:
                project.auth_settings = fallback
                store.mcp.set_auth_settings(project.id, fallback)
        starter = next((p for p in projects if p.name == DEFAULT_PROJECT_NAME), None)
        if starter is None or not settings.add_projects_to_mcp_servers:
            continue
        store.mcp.enable_unset_flows(starter.id, sanitize_mcp_name)
        try:
            _starter_entry(state, user, starter)
        except errors.MockHTTPError:
            continue  # an unreadable server list (before 1.13): Langflow logs it and goes on with the next user


def _entry_follows(state: AppState, user: UserRow, project: FolderRow, auth: dict[str, Any] | None) -> bool:
    """A start's rewrite (1.13) of a project's entry that no longer matches its auth `auth`; False when the
    write is refused (a conflict, or the stdio check)."""
    if state.profile.mcp.server_follows_auth and auth:
        try:
            register_server(state, project, user, auth.get("auth_type"))
        except (errors.Conflict, errors.Forbidden):
            return False
    return True


def forget_servers(state: AppState) -> bool:
    """The control API's reset of the MCP server lists, back to what a start leaves, first half: each user's list
    keeps only its projects' entries (before 1.13 its servers file is written anew, a file that cannot be read
    too, holding them), and the editors' configs that installs recorded are emptied, as a new server has them.
    Run once the flows' reset has deleted the projects, before it gives the Starter Project its name and entry
    back (that entry then finds its name free). False, and nothing done, while no list changed since the last
    reset; else restore_servers follows."""
    settings, store = state.settings, state.store
    if store.mcp.lists_settled():
        return False
    store.mcp.forget_client_servers()
    _, users = store.users.list(skip=0, limit=None)
    for user in users:
        projects = store.projects.list(user.id) if settings.add_projects_to_mcp_servers else []

        def entries(servers: dict[str, Any], user_id: UUID = user.id, projects: list[FolderRow] = projects) -> set[str]:
            slots = (_slot(state, user_id, p.id, p.name, adopt=True, servers=servers) for p in projects)
            return {slot.name for slot in slots if slot.ours}

        store.mcp.keep_servers(user.id, entries)
    return True


def restore_servers(state: AppState) -> None:
    """The second half: each project's entry set right as a start sets it (configure_at_startup): 1.13 rewrites
    one that no longer matches its project's auth, and the Starter Project's comes back where a test deleted it
    or pointed it elsewhere (as at a start, with a new key "MCP Project Starter Project - <user>"). An entry a
    test edited in a way the start passes over stays as edited. Where the start's write would be refused (the
    stdio check, an OAuth project) nothing is tried, so no reset leaves the user one more key."""
    settings, store = state.settings, state.store
    _, users = store.users.list(skip=0, limit=None) if settings.add_projects_to_mcp_servers else (0, [])
    for user in users:
        projects = store.projects.list(user.id)
        for project in projects:
            _entry_follows(state, user, project, project.auth_settings)
        starter = next((p for p in projects if p.name == DEFAULT_PROJECT_NAME), None)
        if starter is None or auth_type(starter) == "oauth" or stdio_refused(
                settings, state.profile.mcp.stdio_admin_only, user, {"command": PROXY_COMMAND}):
            continue
        try:
            _starter_entry(state, user, starter)
        except errors.MockHTTPError:
            continue
    store.mcp.lists_reset()


def _starter_entry(state: AppState, user: UserRow, starter: FolderRow) -> None:
    """At a start: the Starter Project's entry in the user's list, unless one of its own points at it. Before
    the entry, as in Langflow (every release), a project without auth settings gets API keys with auto-login off,
    and the user gets a new key "MCP Project Starter Project - <user>" whatever the project's auth (the entry
    carries it only for "apikey"); both are kept whatever becomes of the entry: an OAuth project gets none
    (Langflow's "not yet implemented"), and a refused or failed write (1.13's stdio check; before 1.13 a server
    list that cannot be read, which Langflow's name check passes over) is logged and the start goes on, so
    each such start leaves the user one more key."""
    settings, store = state.settings, state.store
    url = project_streamable_url(settings, starter.id)
    try:
        slot: _Slot | None = _slot(state, user.id, starter.id, DEFAULT_PROJECT_NAME, adopt=True)
    except errors.MockHTTPError:  # an unreadable list (before 1.13): the write below fails on it again
        slot = None
    if slot is not None and slot.ours and (state.profile.mcp.starter_entry_kept == "project"
                                           or _matches(state, slot.config, "any", url)):
        return  # (an entry of that name that is another project's is replaced, as in Langflow)
    if not starter.auth_settings and not settings.auto_login:
        starter.auth_settings = {"auth_type": "apikey"}
        store.mcp.set_auth_settings(starter.id, starter.auth_settings)
    key = store.users.create_key(user_id=user.id, name=f"{KEY_NAME_PREFIX}{DEFAULT_PROJECT_NAME} - {user.username}")
    kind = auth_type(starter)
    if kind == "oauth":
        return
    check_stdio_access(state, user, {"command": PROXY_COMMAND})
    name = slot.name if slot is not None else project_server_names(
        starter.id, DEFAULT_PROJECT_NAME, any_script=state.profile.mcp.server_names == "any-script")[0]
    store.mcp.put_server(user_id=user.id, name=name, config={
        "command": PROXY_COMMAND, "args": _proxy_args(state, url, key.api_key if kind == "apikey" else None)})


def server_summary(state: AppState, user: UserRow, name: str, config: dict[str, Any]) -> dict[str, Any]:
    """GET /api/v2/mcp/servers?action_count=true: Langflow connects to each server and counts its tools.

    Deviation: the mock starts and connects to nothing. It counts the tools of servers that are one of its
    own projects, and reports every other server as not loaded, unless Langflow would fail it before connecting.
    """
    refused = refused_before_connecting(name, config)
    if refused is not None:
        return refused
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


MODES = ("Stdio", "Streamable_HTTP", "SSE")


def refused_before_connecting(name: Any, config: Any) -> dict[str, Any] | None:
    """What ?action_count=true reports for a server Langflow's update_tools gives up on before it starts or
    connects to anything (lfx 0.2, 0.3 and 1.13 alike), or None: a falsy name (a list's item 0, before 1.13)
    loads nothing; a config that is no object (a servers file's, before 1.13; null reads as {}) fails its first
    lookup; with no headers to read, a transport that cannot be chosen (a `mode` other than Stdio,
    Streamable_HTTP or SSE; without one, a `command` key means Stdio and a `url` key Streamable_HTTP) or that
    lacks its command or URL is a configuration error."""
    if not name:
        return {"name": name, "mode": "", "toolsCount": 0, "error": errors.MCP_NO_TOOLS}
    config = {} if config is None else config
    if not isinstance(config, dict):
        return {"name": name, "mode": None, "toolsCount": None,
                "error": f"Error loading server: '{type(config).__name__}' object has no attribute 'get'"}
    if config.get("headers"):
        return None  # (headers are read before the transport is checked)
    mode = config.get("mode", "") or ("Stdio" if "command" in config else "Streamable_HTTP" if "url" in config
                                      else "")
    if mode not in MODES:
        reason = f"Invalid mode: {mode}. Must be either 'Stdio', 'Streamable_HTTP', or 'SSE'"
    elif mode == "Stdio" and not config.get("command", ""):
        reason = "Command is required for Stdio mode"
    elif mode != "Stdio" and not config.get("url", ""):
        reason = f"URL is required for {mode} mode"
    else:
        return None
    return {"name": name, "mode": None, "toolsCount": None, "error": f"Configuration error: {reason}"}
