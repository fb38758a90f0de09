"""The one reset path: the control API's POST /_mock/reset and the pytest fixture both call reset()."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import col, delete, select

from mock_langflow import errors
from mock_langflow.mcp import projects as mcp_projects
from mock_langflow.routers.a2a import stop_live_tasks
from mock_langflow.store.db import clear_tables
from mock_langflow.store.models import (
    A2A_PUSH_CONFIGS,
    A2A_TASKS,
    ASSISTANT_TURNS,
    AUDIT_EVENTS,
    AUTHZ_ROLES,
    AUTHZ_TABLES,
    CONNECTION_SECRETS,
    CONNECTIONS,
    EXTENSION_EVENTS,
    FLOW_EVENTS,
    KB_CHUNKS,
    KB_RUNS,
    KNOWLEDGE_BASES,
    LLM_CALLS,
    MEMORY_TABLES,
    MODEL_PROVIDER_POLICY,
    POLICY_ACTIVE,
    POLICY_REVISIONS,
    REPLACEMENT_OPERATIONS,
    RUN_RECORD_TABLES,
    FlowRow,
    FolderRow,
    JobRow,
    MessageRow,
    ScriptDefaultsRow,
    ScriptRuleRow,
    UserRow,
)
from mock_langflow.store.projects import DEFAULT_PROJECT_DESCRIPTION, DEFAULT_PROJECT_NAME

PARTS = ("flows", "files", "messages", "jobs", "scripts", "journal", "faults", "rate_limits", "variables",
         "mcp_servers", "authz")


class UnknownPart(ValueError):
    pass


async def reset(state: Any, parts: Iterable[str] | None = None) -> list[str]:
    """Put the named parts (default: all) back as they were at start-up. Users, API keys and the example
    flows stay, so a client's credentials keep working across resets. `variables`: each user's global variables
    as a new user's and the start's (state.start_variables), so their model settings too, and 1.13's approved model
    providers, policy bundle and integration connections emptied; `mcp_servers`: each user's MCP server list as the
    start leaves it, and the editors' configs installs wrote emptied (mcp/projects.py forget_servers)."""
    chosen = list(dict.fromkeys(parts or PARTS))
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        raise UnknownPart(f"unknown part(s) {', '.join(unknown)}; parts: {', '.join(PARTS)}")
    if {"jobs", "flows"} & set(chosen):
        await state.jobs.shutdown()
    if "flows" in chosen:  # the A2A runs of the flows going away stop as at a shutdown: their streams end
        await stop_live_tasks(state)
    store = state.store
    blobs: list[str] = []
    starters = _forget_projects(state) if "flows" in chosen else []
    with store.db.session() as s:
        if "flows" in chosen:
            # ids only: loading the rows decoded every flow's graph, 0.45 ms a flow (18 s for 40k flows)
            flows = list(s.exec(select(FlowRow.id).where(col(FlowRow.user_id).is_not(None))).all())
            s.exec(delete(FlowRow).where(col(FlowRow.user_id).is_not(None)))
            blobs = store.delete_flow_data(s, flows)
            kept = [starter.id for _, starter in starters]
            s.exec(delete(FolderRow).where(col(FolderRow.user_id).is_not(None), col(FolderRow.id).not_in(kept)))
            for _, starter in starters:
                row = s.get(FolderRow, starter.id)
                if row is not None:  # (its id stays: clients may hold it)
                    row.name, row.description, row.parent_id = (DEFAULT_PROJECT_NAME, DEFAULT_PROJECT_DESCRIPTION,
                                                                None)
                    s.add(row)
            # the flows' A2A tasks (no example flow is an agent) and their webhooks, 1.13's flow event queue and
            # project replacement receipts: by name, their stores are imported on first use
            clear_tables(s, A2A_TASKS, A2A_PUSH_CONFIGS, FLOW_EVENTS, REPLACEMENT_OPERATIONS)
        if "files" in chosen:  # the files ingested into knowledge bases, and the bases (by name, as above)
            clear_tables(s, KB_CHUNKS, KB_RUNS, KNOWLEDGE_BASES, *MEMORY_TABLES)
        if "messages" in chosen:  # (with 1.13's assistant conversations, by name as above)
            s.exec(delete(MessageRow))
            clear_tables(s, ASSISTANT_TURNS)
        if "authz" in chosen:  # 1.13's roles but the system ones, assignments, teams, shares, audit log
            made = {name for (name,) in s.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'authz%'")}
            clear_tables(s, *(name for name in AUTHZ_TABLES if name in made))  # (made by the first authz route)
            clear_tables(s, AUDIT_EVENTS)  # 1.13's resource audit trail (made on first use)
            if AUTHZ_ROLES in made:
                s.connection().exec_driver_sql(f'DELETE FROM "{AUTHZ_ROLES}" WHERE NOT is_system')  # nosec B608
        if "jobs" in chosen:
            s.exec(delete(JobRow))
            clear_tables(s, *RUN_RECORD_TABLES)  # what runs leave behind (by name: their store loads on first use)
            clear_tables(s, EXTENSION_EVENTS)  # 1.13's extension events (the reloads' outcomes)
        if "scripts" in chosen:
            s.exec(delete(ScriptRuleRow).where(col(ScriptRuleRow.source).not_like("file:%")))
            s.exec(delete(ScriptDefaultsRow).where(col(ScriptDefaultsRow.source).not_like("file:%")))
            clear_tables(s, LLM_CALLS)
            for row in s.exec(select(ScriptRuleRow)).all():
                row.uses = 0
                s.add(row)
    # the MCP server lists once the projects are gone (they keep the entries of the projects left), and before the
    # Starter Project gets its entry back, so that entry takes its own name again
    servers = "mcp_servers" in chosen and mcp_projects.forget_servers(state)
    for user, starter in starters:
        _restore_starter(state, user, starter)
    if servers:
        mcp_projects.restore_servers(state)
    if "variables" in chosen:
        state.start_variables(renew=True)
        with store.db.session() as s:  # 1.13's approved model providers go with the model settings, with the
            # policy bundle holding them, and the connections with the credentials
            clear_tables(s, MODEL_PROVIDER_POLICY, POLICY_ACTIVE, POLICY_REVISIONS, CONNECTION_SECRETS, CONNECTIONS)
        if "policy_bundle" in store.__dict__:  # (its lists, read once a write)
            store.policy_bundle.forget()
    if "jobs" in chosen:  # the memory-base capture tasks' job queues, the builds frozen vertices reuse and the
        # graphs built vertex by vertex, held in memory as Langflow holds them
        state.runner.captures.clear()
        state.runner.frozen_results.clear()
        state.runner.vertex_graphs.clear()
        state.runner.built_graphs.clear()
    if "scripts" in chosen:
        state.llm.forget()
    store.files.blobs.remove(blobs)
    if "files" in chosen:  # (before 1.13 a user's MCP server list is a file: it goes with mcp_servers)
        store.files.reset(kept=store.mcp.servers_file_ids())
    if "journal" in chosen:
        state.journal.clear()
    if "faults" in chosen:
        state.faults.remove()
    if "rate_limits" in chosen:  # the login, password-change and public-build counters (ratelimit.py)
        state.limits.reset()
    return chosen


def _forget_projects(state: Any) -> list[tuple[UserRow, FolderRow]]:
    """Each user's Starter Project, to keep: the one of that name, else (a test renamed it) the user's first
    project; the MCP server entries of the user's other projects, about to go, go as a project DELETE takes
    them, so the server list is the one start-up left."""
    store, starters = state.store, []
    _, users = store.users.list(skip=0, limit=None)
    for user in users:
        projects = store.projects.list(user.id)  # in the order they were made
        if not projects:
            continue  # (the default project is made on the user's next need, as for a new user)
        starter = next((p for p in projects if p.name == DEFAULT_PROJECT_NAME), projects[0])
        starters.append((user, starter))
        for project in projects:
            if project.id != starter.id:
                mcp_projects.unregister_server(state, user, project)
    return starters


def _restore_starter(state: Any, user: UserRow, starter: FolderRow) -> None:
    """A kept Starter Project, named, described and parentless again, gets the auth settings a start gives a
    new one (auto-login off: API keys; on: none), and its MCP server entry follows its name back, then (1.13,
    as a PATCH of the auth does) its auth, through the same functions as a project PATCH."""
    try:  # (`starter` holds the name the test left, the entry's name follows from it)
        move = mcp_projects.server_move(state, user, starter, DEFAULT_PROJECT_NAME)
    except errors.MockHTTPError:  # a server (not a project's) holds the name: the entry stays where it is
        move = None
    mcp_projects.move_server(state, user, move)
    auth = mcp_projects.startup_auth("none", auto_login=state.settings.auto_login)
    state.store.mcp.set_auth_settings(starter.id, auth)
    if not state.profile.mcp.server_follows_auth:
        return
    row = state.store.projects.find(starter.id)
    if row is None:
        return
    try:
        mcp_projects.register_server(state, row, user, mcp_projects.auth_type(row))
    except errors.MockHTTPError:  # refused (stdio) or an unreadable list: as at a start, the reset goes on
        pass
