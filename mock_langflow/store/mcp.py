"""MCP state: which flows a project exposes, project auth settings, users' MCP server lists, and the editor
configs the install route records (instead of writing them into the user's real editors)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Collection
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, literal_column
from sqlalchemy import select as core_select
from sqlalchemy.sql.elements import ColumnClause
from sqlmodel import col, delete, select

from mock_langflow import errors
from mock_langflow.clock import Clock
from mock_langflow.mcp.credentials import as_read_back
from mock_langflow.schemas.mcp import MCPSettings
from mock_langflow.store.db import Database, clear_tables, table
from mock_langflow.store.files import Files
from mock_langflow.store.models import MCP_CLIENT_CONFIGS, FileRow, FlowRow, FolderRow, McpServerRow
from mock_langflow.store.sealing import Sealer

FLOW_ROWID: ColumnClause[Any] = literal_column("flow.rowid")
FILE_ROWID: ColumnClause[Any] = literal_column("file.rowid")
SERVER_ROWID: ColumnClause[Any] = literal_column("mcp_server.rowid")
_SERVERS = table(McpServerRow)
SERVER_CONFIG = core_select(_SERVERS.c.config).where(_SERVERS.c.user_id == bindparam("user_id"),
                                                     _SERVERS.c.name == bindparam("name"))

# Langflow's name for a user's MCP server list file, before 1.13: "_mcp_servers_<user id>.json" (and, older
# still, "_mcp_servers.json"). No release lists it among the user's files or offers it as an MCP resource.
MCP_SERVERS_FILE = "_mcp_servers"
_FILES = table(FileRow)
# The rows of the users' servers files under either name, and any named like them (what the reset compares)
SERVERS_FILES = core_select(_FILES.c.id, _FILES.c.user_id, _FILES.c.name, _FILES.c.updated_at, _FILES.c.blob).where(
    _FILES.c.flow_id.is_(None), _FILES.c.name.startswith(MCP_SERVERS_FILE, autoescape=True))


def servers_file_name(user_id: UUID) -> str:
    """The (extension-less) name of the user's MCP servers file."""
    return f"{MCP_SERVERS_FILE}_{user_id}"


class Mcp:
    def __init__(self, db: Database, clock: Clock, sealer: Sealer, files: Files, *, servers_file: str = "none") -> None:
        """`servers_file`: profile files.mcp_config_file, where the users' server lists live."""
        self.db, self.clock, self.sealer, self.files, self.servers_file = db, clock, sealer, files, servers_file
        self._file_lock = threading.RLock()  # an edit reads the file and writes it anew, as one step
        # Whether a server list or an editor's config may have changed since the last reset: every write through
        # this class sets it; before 1.13 the servers files' rows are compared too (the files routes may upload,
        # rename or delete one). While neither did, the reset has nothing to do (lists_settled).
        self.lists_changed = True
        self._files_at_reset: frozenset[tuple[Any, ...]] = frozenset()

    # --- projects and the flows they expose ---------------------------------------------------------------

    def project(self, project_id: UUID) -> FolderRow | None:
        """A project, whoever owns it (the project transports look it up before they authenticate)."""
        with self.db.session() as s:
            return s.get(FolderRow, project_id)

    def owned_project(self, project_id: UUID, *, user_id: UUID) -> FolderRow:
        row = self.project(project_id)
        if row is None or row.user_id != user_id:
            raise errors.ProjectNotFound()
        return row

    def tool_flows(self, *, user_id: UUID | None, project_id: UUID | None, by_id: bool = True) -> list[FlowRow]:
        """The flows an MCP server lists, by flow id as Langflow 1.13 sorts them (`by_id` false: as created, the
        order of earlier releases' unsorted query): for a project, its MCP-enabled flows that are not
        components; for the global server, every flow of the caller (None: of every user, as before 1.13; flows
        of nobody never)."""
        query = select(FlowRow).where(FlowRow.user_id == user_id if user_id is not None
                                      else col(FlowRow.user_id).is_not(None))
        if project_id is not None:
            query = query.where(FlowRow.folder_id == project_id, FlowRow.is_component == False,  # noqa: E712
                                FlowRow.mcp_enabled == True)  # noqa: E712
        with self.db.session() as s:
            return list(s.exec(query.order_by(col(FlowRow.id) if by_id else FLOW_ROWID)).all())

    def _flows_of(self, query: Any, *, user_id: UUID | None, project_id: UUID | None) -> Any:
        if user_id is not None:
            query = query.where(FlowRow.user_id == user_id)
        if project_id is not None:
            query = query.where(FlowRow.folder_id == project_id)
        return query

    def flow_ids(self, *, user_id: UUID | None, project_id: UUID | None) -> set[UUID]:
        """The ids of every flow of the user (None: of anyone; in the project, when given), components too:
        whose files MCP offers."""
        with self.db.session() as s:
            return set(s.exec(self._flows_of(select(FlowRow.id), user_id=user_id, project_id=project_id)).all())

    def flow_files(self, *, user_id: UUID | None, project_id: UUID | None) -> list[tuple[UUID, str, FileRow]]:
        """Those flows' stored files as (flow id, flow name, file), flow by flow in creation order, each flow's
        files in upload order: one query, without the flows' graphs."""
        query = select(FlowRow.id, FlowRow.name, FileRow).join(FileRow, col(FileRow.flow_id) == FlowRow.id)
        query = self._flows_of(query, user_id=user_id, project_id=project_id).order_by(FLOW_ROWID, FILE_ROWID)
        with self.db.session() as s:
            return [(flow_id, name, row) for flow_id, name, row in s.exec(query).all()]

    def callable_flows(self, *, user_id: UUID, project_id: UUID | None, by_id: bool = True) -> list[FlowRow]:
        """The flows a `tools/call` may run: as tool_flows, but never a component, not even globally."""
        return [f for f in self.tool_flows(user_id=user_id, project_id=project_id, by_id=by_id)
                if f.is_component is False]

    def project_flows(self, *, project_id: UUID, mcp_enabled_only: bool) -> list[FlowRow]:
        """GET /mcp/project/{id}: the project's flows (not components) with an owner, in creation order. Langflow
        selects them by folder alone: before 1.13 another user's flow can sit in the project, and is listed."""
        query = select(FlowRow).where(FlowRow.folder_id == project_id, col(FlowRow.user_id).is_not(None),
                                      FlowRow.is_component == False)  # noqa: E712
        if mcp_enabled_only:
            query = query.where(FlowRow.mcp_enabled == True)  # noqa: E712
        with self.db.session() as s:
            return list(s.exec(query.order_by(FLOW_ROWID)).all())

    def update_project(self, *, project_id: UUID, user_id: UUID, settings: list[MCPSettings],
                       auth_settings: dict[str, Any] | None, set_auth: bool) -> int:
        """PATCH /mcp/project/{id}, in one transaction: each listed flow of the caller in the project takes
        the given mcp_enabled, action_name and action_description (None included); with `set_auth`, the
        project takes `auth_settings`. Returns how many flows were updated."""
        wanted = {s.id: s for s in settings}
        with self.db.session() as s:
            project = s.get(FolderRow, project_id)
            if project is None or project.user_id != user_id:
                raise errors.ProjectNotFound()
            if set_auth:
                project.auth_settings = self.sealer.replaced(project.auth_settings, auth_settings)
                s.add(project)
            updated = 0
            for flow in s.exec(select(FlowRow).where(FlowRow.folder_id == project_id)).all():
                change = wanted.get(flow.id)
                if change is None or flow.user_id != user_id:
                    continue
                flow.mcp_enabled = change.mcp_enabled
                flow.action_name = change.action_name
                flow.action_description = change.action_description
                flow.updated_at = self.clock.now()
                s.add(flow)
                updated += 1
            return updated

    def enable_unset_flows(self, project_id: UUID, action_name: Callable[[str], str]) -> int:
        """A start's pass over a user's Starter Project: each of its flows (not components) whose mcp_enabled
        is null is turned on, its action named `action_name(flow name)` and described by the flow's
        description or "Starter project: <name>" where it has none. Returns how many were turned on."""
        query = select(FlowRow).where(FlowRow.folder_id == project_id, FlowRow.is_component == False,  # noqa: E712
                                      col(FlowRow.mcp_enabled).is_(None))
        with self.db.session() as s:
            flows = s.exec(query).all()
            for flow in flows:
                flow.mcp_enabled = True
                flow.action_name = flow.action_name or action_name(flow.name)
                flow.action_description = (flow.action_description or flow.description
                                           or f"Starter project: {flow.name}")
                flow.updated_at = self.clock.now()
                s.add(flow)
            return len(flows)

    def set_auth_settings(self, project_id: UUID, auth_settings: dict[str, Any] | None) -> None:
        with self.db.session() as s:
            project = s.get(FolderRow, project_id)
            if project is not None:
                project.auth_settings = self.sealer.sealed(auth_settings)
                s.add(project)

    # --- a user's MCP server list (/api/v2/mcp/servers) ------------------------------------------------
    # 1.13 keeps it in a table of its own; before, it is the user's hidden v2 file "_mcp_servers_<user id>.json"
    # (profile files.mcp_config_file), read and written through the files as Langflow's get_server_list and
    # update_server do: every read makes the file when it is missing, every edit uploads it anew.

    def servers(self, user_id: UUID) -> dict[str, Any]:
        """The user's servers by name, in the list's order. Before 1.13 an entry is whatever the file holds, and an
        `mcpServers` that is no object is the file's 500 (see server_names for the routes' own answers)."""
        if self.servers_file != "none":
            servers = self.raw_servers(user_id)
            if not isinstance(servers, dict):
                raise errors.ServerError(errors.MCP_SERVERS_FILE_UNREADABLE)
            return dict(servers)
        with self.db.session() as s:
            rows = s.exec(select(McpServerRow).where(McpServerRow.user_id == user_id).order_by(SERVER_ROWID)).all()
            return {r.name: dict(r.config) for r in rows if r.name}  # ("": an older mock's mark of a 1.8 file)

    def server_for_run(self, user_id: UUID, name: str) -> Any:
        """A run's look-up of one server's config (an MCP Tools node's), None when the user has none of that name:
        from 1.13's list a raw read, as the run path reads; before 1.13 a file that cannot be read, or whose
        `mcpServers` the look-up fails on, raises as Langflow's routes do."""
        if self.servers_file != "none":  # Langflow's get_server: the file's list, read (or made) as the routes do
            servers = self.raw_servers(user_id)
            return as_langflow_does(lambda: servers[name] if name in servers else None)
        found = self.db.first(SERVER_CONFIG, {"user_id": user_id, "name": name})
        return found[0] if found is not None else None

    def raw_servers(self, user_id: UUID) -> Any:
        """Before 1.13: the file's `mcpServers` as it is, whatever its type, for the server routes to use as
        Langflow's do (through as_langflow_does); from 1.13 the list by name."""
        if self.servers_file != "none":
            with self._file_lock:
                return self._read_file(user_id)["mcpServers"]
        return self.servers(user_id)

    def put_server(self, *, user_id: UUID, name: str, config: dict[str, Any], must_be_new: bool = False,
                   taken: errors.MockHTTPError | None = None) -> None:
        """Add a server, or replace its config in place (it keeps its position in the list). With `must_be_new`,
        a name in use is `taken` (1.8's 500 unless said otherwise)."""
        self.lists_changed = True
        if self.servers_file != "none":
            with self._file_lock:
                document = self._read_file(user_id)
                servers = document["mcpServers"]

                def put() -> None:
                    if must_be_new and name in servers:
                        raise taken or errors.McpServerExists()
                    servers[name] = dict(config)

                as_langflow_does(put)
                self._write_file(user_id, document)
            return
        with self.db.session() as s:
            row = s.exec(select(McpServerRow).where(McpServerRow.user_id == user_id,
                                                    McpServerRow.name == name)).first()
            if row is not None and must_be_new:
                raise taken or errors.McpServerExists()
            if row is None:
                row = McpServerRow(user_id=user_id, name=name)
            row.config = dict(config)
            s.add(row)

    def delete_server(self, *, user_id: UUID, name: str, missing: errors.MockHTTPError | None = None) -> None:
        """An unknown name is `missing` (1.8's 500 unless said otherwise). Before 1.13 the file stays when its
        last server goes."""
        self.lists_changed = True
        if self.servers_file != "none":
            with self._file_lock:
                document = self._read_file(user_id)
                servers = document["mcpServers"]

                def drop() -> None:
                    if name not in servers:
                        raise missing or errors.McpServerNotFound()
                    del servers[name]

                as_langflow_does(drop)
                self._write_file(user_id, document)
            return
        with self.db.session() as s:
            row = s.exec(select(McpServerRow).where(McpServerRow.user_id == user_id,
                                                    McpServerRow.name == name)).first()
            if row is None:
                raise missing or errors.McpServerNotFound()
            s.delete(row)

    def keep_servers(self, user_id: UUID, choose: Callable[[dict[str, Any]], Collection[str]]) -> None:
        """The control API's reset: the user's list keeps only the entries `choose` names, given the list (empty
        when it cannot be read); the others go in one statement. Before 1.13 the file, read once, is written anew
        holding just them (a file that could not be read too), unless it already does."""
        if self.servers_file != "none":
            with self._file_lock:
                try:
                    document: Any = self._read_file(user_id)
                except errors.MockHTTPError:  # no JSON, or no `mcpServers`
                    document = None
                servers = document.get("mcpServers") if isinstance(document, dict) else None
                servers = dict(servers) if isinstance(servers, dict) else {}
                names = choose(servers)
                kept = {"mcpServers": {name: config for name, config in servers.items() if name in names}}
                if document != kept:
                    self._write_file(user_id, kept)
            return
        names = choose(self.servers(user_id))
        with self.db.session() as s:  # ("": an older mock's mark of a 1.8 file, never listed, stays)
            s.exec(delete(McpServerRow).where(McpServerRow.user_id == user_id, McpServerRow.name != "",
                                              col(McpServerRow.name).not_in(list(names))))

    def servers_file_ids(self) -> list[UUID]:
        """Before 1.13: the ids of the users' servers files, which the reset of the files keeps (no release lists
        that file among the user's files: it is the server list, reset with it)."""
        return [file_id for file_id, user_id, name, *_ in self._servers_file_rows()
                if user_id is not None and name == servers_file_name(user_id)]

    def lists_settled(self) -> bool:
        """Whether no server list or editor's config changed since the last reset (lists_reset)."""
        return not self.lists_changed and (self.servers_file == "none"
                                           or self._servers_file_rows() == self._files_at_reset)

    def lists_reset(self) -> None:
        """The reset has put the lists back: lists_settled holds until something changes them."""
        self.lists_changed = False
        self._files_at_reset = self._servers_file_rows()

    def _servers_file_rows(self) -> frozenset[tuple[Any, ...]]:
        """Before 1.13: the rows (id, owner, name, updated, bytes) of the users' servers files under either name
        and any named like them, in one raw read; from 1.13 none (its start alone reads them)."""
        if self.servers_file == "none":
            return frozenset()
        return frozenset(self.db.rows(SERVERS_FILES, {}))

    def _read_file(self, user_id: UUID) -> dict[str, Any]:
        """Langflow's get_server_list before 1.13: a file named "_mcp_servers" (the old name) is renamed the
        user's first; no file is made as an empty list; a file that is no UTF-8 text reads as an empty list (1.7.1
        also writes that list over it); one that is no JSON is a 500 "Invalid server configuration file format."
        and a JSON text without an `mcpServers` key the 500 of Python's failed lookup, as Langflow's answers are.
        An `mcpServers` that is no object is returned as it is."""
        row, data, _ = self._servers_file(user_id)
        try:
            text = data.decode("utf-8") if data is not None else None
        except UnicodeDecodeError:
            text = None
        if text is None:
            document: dict[str, Any] = {"mcpServers": self._take_rows(user_id) if row is None else {}}
            if row is None or self.servers_file == "file-renewed":
                self._write_file(user_id, document)
            return document
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise errors.McpServersFileNotJson() from exc
        except RecursionError as exc:  # Langflow's json.loads fails the same way, unhandled
            raise errors.RecordedServerBug(str(exc)) from exc
        as_langflow_does(lambda: document["mcpServers"])  # (KeyError, TypeError or IndexError)
        return document

    def backfill_from_files(self, user_ids: list[UUID]) -> None:
        """1.13's start (backfill_mcp_servers_from_files): for each user in turn, an entry of their servers file
        (a file "_mcp_servers" is first renamed to it, as get_server_list did) whose name their list lacks is
        added at the list's end, a user's at once. No file, bytes that are no UTF-8 or text that is no JSON: the
        user is passed over. A file whose JSON is no object, whose `mcpServers` is truthy but no object, or an
        entry its encryption fails on ends the whole pass, undoing the current user's entries and any rename not
        yet committed with another user's entries; the file is never changed otherwise."""
        self.lists_changed = True
        renamed: list[tuple[UUID, Any]] = []  # (file id, its updated_at before the rename), not yet committed
        owners = self._servers_file_owners()
        for user_id in user_ids:
            if user_id not in owners:  # no file: passed over as an empty one is, with no session opened
                continue
            _, data, legacy = self._servers_file(user_id)
            if legacy is not None:
                renamed.append((legacy.id, legacy.updated_at))
            try:
                document = json.loads(data.decode("utf-8")) if data is not None else {}
            except (ValueError, RecursionError):  # (UnicodeDecodeError is a ValueError) logged, next user
                continue
            entries = document.get("mcpServers") if isinstance(document, dict) else None
            if not isinstance(document, dict) or not isinstance(entries or {}, dict) or any(
                    _breaks_encryption(config) for config in (entries or {}).values()):
                self._undo_renames(renamed)
                return  # Langflow's AttributeError (or the like) ends the backfill, logged
            with self.db.session() as s:
                taken = set(s.exec(select(McpServerRow.name).where(McpServerRow.user_id == user_id)).all())
                added = [McpServerRow(user_id=user_id, name=name,
                                      config=as_read_back(dict(config or {}), self.sealer.opened_or_empty))
                         for name, config in (entries or {}).items() if name not in taken]
                s.add_all(added)
            if added:
                renamed.clear()  # committed with them

    def _servers_file_owners(self) -> set[UUID]:
        """The users with a servers file under either name (_servers_file would find one), in one query."""
        with self.db.session() as s:
            found = s.exec(select(FileRow.user_id, FileRow.name).where(
                col(FileRow.flow_id).is_(None), col(FileRow.name).startswith(MCP_SERVERS_FILE, autoescape=True))).all()
        return {user_id for user_id, name in found
                if user_id is not None and name in (MCP_SERVERS_FILE, servers_file_name(user_id))}

    def _servers_file(self, user_id: UUID) -> tuple[Any, bytes | None, Any]:
        """The user's servers file (its row and bytes, None if there is none), a file of the old name
        "_mcp_servers" first renamed to it, as Langflow's get_server_list and 1.13's backfill both do; and that
        old file's row as it was before, if there was one."""
        stem = servers_file_name(user_id)
        legacy = self.files.user_file_named(user_id, MCP_SERVERS_FILE)
        if legacy is not None:
            self.files.rename(legacy.id, user_id=user_id, name=stem)
        row = self.files.user_file_named(user_id, stem)
        return row, (self.files.blobs.read(row.blob) if row is not None else None), legacy

    def _undo_renames(self, renamed: list[tuple[UUID, Any]]) -> None:
        with self.db.session() as s:
            for file_id, updated_at in renamed:
                row = s.get(FileRow, file_id)
                if row is not None:
                    row.name, row.updated_at = MCP_SERVERS_FILE, updated_at
                    s.add(row)

    def _take_rows(self, user_id: UUID) -> dict[str, Any]:
        """The list an older mock kept in rows for this release too (a data dir it left): moved into the file."""
        self.lists_changed = True
        with self.db.session() as s:
            rows = s.exec(select(McpServerRow).where(McpServerRow.user_id == user_id).order_by(SERVER_ROWID)).all()
            for row in rows:
                s.delete(row)
            return {r.name: dict(r.config) for r in rows if r.name}

    def _write_file(self, user_id: UUID, document: dict[str, Any]) -> None:
        """Langflow's upload_server_config: the list as json.dumps writes it, a new file in place of the old."""
        self.lists_changed = True
        self.files.replace_named(user_id, filename=f"{servers_file_name(user_id)}.json",
                                 source=io.BytesIO(json.dumps(document).encode("utf-8")))

    # --- editor configs recorded by the install route --------------------------------------------------

    def client_servers(self, client: str) -> dict[str, Any]:
        """The `mcpServers` of an editor's (recorded) config."""
        from mock_langflow.store.mcp_clients import McpClientConfigRow  # (its table: defined on first use)

        with self.db.session() as s:
            row = s.get(McpClientConfigRow, client)
            return dict(row.servers) if row is not None else {}

    def save_client_servers(self, client: str, servers: dict[str, Any]) -> None:
        from mock_langflow.store.mcp_clients import McpClientConfigRow

        self.lists_changed = True
        with self.db.session() as s:
            row = s.get(McpClientConfigRow, client) or McpClientConfigRow(client=client)
            row.servers = dict(servers)
            s.add(row)

    def forget_client_servers(self) -> None:
        """The control API's reset: no editor's config holds what an install wrote, as on a new server."""
        with self.db.session() as s:
            clear_tables(s, MCP_CLIENT_CONFIGS)


def as_langflow_does(step: Callable[[], Any]) -> Any:
    """Before 1.13: a step Langflow's server routes take on the file's list, run on it as it is: the
    KeyError, TypeError or IndexError Python raises there (an `mcpServers` missing, or that is no object) is
    Langflow's 500, answered with its text."""
    try:
        return step()
    except (KeyError, TypeError, IndexError) as exc:
        raise errors.RecordedServerBug(str(exc)) from exc


def _breaks_encryption(config: Any) -> bool:
    """Whether 1.13's encrypt_mcp_config fails on a servers-file entry (`config or {}`): an entry that is truthy
    but no object, or `args` that its scan for `--headers NAME VALUE` cannot walk (no length, an object of three
    keys or more, a header name that is no text)."""
    if not config:
        return False
    if not isinstance(config, dict):
        return True
    args = config.get("args")
    if not args or isinstance(args, str):
        return False
    if not isinstance(args, (list, dict)):
        return True
    if isinstance(args, dict):
        return len(args) > 2
    index = 0
    while index + 2 < len(args):
        if args[index] == "--headers":
            if not isinstance(args[index + 1], str):
                return True
            index += 3
        else:
            index += 1
    return False
