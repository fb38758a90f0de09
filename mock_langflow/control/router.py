"""/_mock: the control API a test uses to script the mock, break it, reset it and check what it received.

Outside the Langflow contract and out of the OpenAPI document; protected by the superuser's API key
(x-api-key header or query), and absent with --no-control-api.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, Depends, Query, Request
from pydantic import ConfigDict, ValidationError

from mock_langflow import errors
from mock_langflow.auth import KeyHeader, KeyQuery
from mock_langflow.control import patterns
from mock_langflow.control.faults import FaultSpec
from mock_langflow.control.journal import RequestQuery, entry, flow_names
from mock_langflow.control.reset import PARTS, UnknownPart, reset
from mock_langflow.control.seed import SeedError, seed_body, seed_path
from mock_langflow.deps import StateDep
from mock_langflow.engine.scripts import Script, ScriptError, parse_script
from mock_langflow.routing import api_router
from mock_langflow.schemas import RequestShape
from mock_langflow.store.db import SQL_INT_MAX
from mock_langflow.store.models import UserRow


async def control_user(state: StateDep, header_key: KeyHeader, query_key: KeyQuery) -> UserRow:
    key = header_key or query_key
    user = state.store.users.user_for_key(key) if key else None
    if user is None or not user.is_superuser:
        raise errors.Forbidden("The control API needs a superuser's API key (x-api-key)")
    return user


ControlUser = Annotated[UserRow, Depends(control_user)]
router = api_router(prefix="/_mock", tags=["mock-langflow control"], include_in_schema=False,
                   dependencies=[Depends(control_user)])


class ResetRequest(RequestShape):
    model_config = ConfigDict(extra="forbid")

    parts: list[str] | None = None


class VerifyRequest(RequestShape):
    model_config = ConfigDict(extra="forbid")

    method: str | None = None
    path: str | None = None
    flow: str | None = None
    session: str | None = None
    status: int | None = None
    body_contains: str | None = None
    json_body: dict[str, Any] | None = None
    count: int | None = None


class SeedRequest(RequestShape):
    model_config = ConfigDict(extra="forbid")

    path: str | None = None
    export: Any = None
    project: str | None = None


def _query(state: Any, *, method: str | None, path: str | None, flow: str | None, session: str | None,
           status: int | None = None, body_contains: str | None = None,
           json_body: dict[str, Any] | None = None) -> RequestQuery:
    try:
        patterns.check(path or "", name="path")
    except ValueError as exc:
        raise errors.UnprocessableEntity(str(exc)) from exc
    return RequestQuery(method=method, path=path, flow=flow_names(state.store, flow) if flow else None,
                        session=session, status=status, body_contains=body_contains, json_subset=json_body)


@router.get("/stats")
async def runtime_stats(state: StateDep) -> dict[str, Any]:
    """What the running server holds right now: asyncio tasks, background jobs still running, database
    sessions open, open connections to the database, and its resident memory (Linux), to check that clients
    which leave mid-stream leave nothing behind."""
    return {"tasks": len(asyncio.all_tasks()), "jobs_running": state.jobs.running(),
            "db_sessions_open": state.store.db.open_sessions,
            "db_connections_checked_out": state.store.db.checked_out(), "rss_bytes": resident_bytes()}


def resident_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None  # not Linux


@router.post("/reset")
async def reset_state(state: StateDep, body: Annotated[ResetRequest | None, Body()] = None,
                      parts: Annotated[str | None, Query(description="comma-separated parts")] = None
                      ) -> dict[str, Any]:
    """Reset everything, or the named parts: flows, files, messages, jobs, scripts, journal, faults,
    rate_limits."""
    chosen = (body.parts if body and body.parts else None) or ([p.strip() for p in parts.split(",")] if parts
                                                                else None)
    try:
        done = await reset(state, chosen)
    except UnknownPart as exc:
        raise errors.UnprocessableEntity(str(exc)) from exc
    return {"reset": done, "parts": list(PARTS)}


# --- scripts -------------------------------------------------------------------------------------------


async def _script_from(request: Request) -> Script:
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.UnprocessableEntity("a script is UTF-8 text (YAML or JSON)") from exc
    try:
        return parse_script(text, source="request body")
    except ScriptError as exc:
        raise errors.UnprocessableEntity(str(exc)) from exc


@router.post("/scripts", status_code=201)
async def add_scripts(request: Request, state: StateDep) -> dict[str, Any]:
    """Add scripted-LLM rules and scripted components (the script file format, as YAML or JSON); they win over
    earlier scripts."""
    script = await _script_from(request)
    return {"ids": state.llm.add(script, source="api")}


@router.get("/scripts")
async def list_scripts(state: StateDep) -> dict[str, Any]:
    return {"rules": state.llm.rules(), "defaults": state.llm.defaults().model_dump(mode="json"),
            "components": state.llm.components()}


@router.delete("/scripts")
async def clear_scripts(state: StateDep, source: str = "api") -> dict[str, int]:
    """Remove the rules added through this API (source=api), or every rule (source=all)."""
    return {"removed": state.llm.clear(source=None if source == "all" else source)}


@router.get("/llm-calls")
async def llm_calls(state: StateDep, flow: str | None = None, session: str | None = None) -> dict[str, Any]:
    """Every call flows made to the scripted LLM: what each asked and what it was answered."""
    rows = state.llm.calls(session_id=session)
    if flow:
        names = set(flow_names(state.store, flow))
        rows = [r for r in rows if str(r.flow_id) in names]
    return {"calls": [{"flow_id": str(r.flow_id) if r.flow_id else None, "session_id": r.session_id,
                       "component_id": r.component_id, "rule_id": r.rule_id, "input": r.input, "prompt": r.prompt,
                       "reply": r.reply, "error": r.error, "tool_calls": r.tool_calls or [], "usage": r.usage}
                      for r in rows]}


# --- journal -------------------------------------------------------------------------------------------


@router.get("/requests")
async def list_requests(state: StateDep, method: str | None = None, path: str | None = None,
                        flow: str | None = None, session: str | None = None, status: int | None = None,
                        limit: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    """The journal: every request received (secrets redacted), filtered by method, path, flow, session."""
    query = _query(state, method=method, path=path, flow=flow, session=session, status=status)
    return {"requests": [entry(r) for r in state.journal.select(query, limit=limit)]}


@router.delete("/requests")
async def clear_requests(state: StateDep) -> dict[str, bool]:
    state.journal.clear()
    return {"cleared": True}


@router.post("/verify")
async def verify(body: VerifyRequest, state: StateDep) -> dict[str, Any]:
    """How many journaled requests match (`ok` against `count`, or at least one); near-misses when none."""
    query = _query(state, method=body.method, path=body.path, flow=body.flow, session=body.session,
                   status=body.status, body_contains=body.body_contains, json_body=body.json_body)
    return state.journal.verify(query, count=body.count)


# --- faults --------------------------------------------------------------------------------------------


@router.post("/faults", status_code=201)
async def add_fault(request: Request, state: StateDep) -> dict[str, Any]:
    import yaml  # only when a fault is added: YAML is no part of start-up (engine/scripts.py)

    raw = await request.body()
    try:
        spec = FaultSpec.model_validate(yaml.safe_load(raw) or {})
    except (ValidationError, yaml.YAMLError) as exc:
        raise errors.UnprocessableEntity(f"not a valid fault: {exc}") from exc
    except RecursionError as exc:  # PyYAML builds nested collections recursively
        raise errors.UnprocessableEntity("not a valid fault: nested too deeply") from exc
    row = state.faults.add(spec)
    return {"id": row.id, **spec.model_dump(exclude_none=True)}


@router.get("/faults")
async def list_faults(state: StateDep) -> dict[str, Any]:
    return {"faults": state.faults.list()}


@router.delete("/faults")
async def clear_faults(state: StateDep) -> dict[str, int]:
    return {"removed": state.faults.remove()}


@router.delete("/faults/{fault_id}")
async def remove_fault(fault_id: int, state: StateDep) -> dict[str, int]:
    removed = state.faults.remove(fault_id) if abs(fault_id) <= SQL_INT_MAX else 0  # past SQLite's integers: none
    if not removed:
        raise errors.NotFound(f"No fault {fault_id}")
    return {"removed": removed}


# --- seeding -------------------------------------------------------------------------------------------


@router.post("/seed", status_code=201)
async def seed(body: SeedRequest, user: ControlUser, state: StateDep) -> dict[str, int]:
    """Load flows: `export` (a Langflow flow, {"flows": [...]} or project export) or a server-side `path`."""
    try:
        if body.path:
            return seed_path(state, Path(body.path), user_id=user.id)
        if body.export is not None:
            return seed_body(state, body.export, user_id=user.id, project=body.project)
    except SeedError as exc:
        raise errors.UnprocessableEntity(str(exc)) from exc
    raise errors.UnprocessableEntity("give `export` (a Langflow export) or `path` (a folder or file on the server)")
