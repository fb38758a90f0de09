"""What 1.13's audited routes record (mock_langflow/audit.py decorates them), as Langflow's services/audit shapes it:
one event per flow or project the route created, changed or deleted, attributed to the caller (the key they signed
in with, else their account) under one request id, with bounded details (the fields written, a flow's move between
projects, a project's description and flow membership), never the resource's content. A route that fails once
authorized records one failed event with a safe error code and the fields it attempted; one refused before that
(an unknown or foreign flow or project, Langflow's loading dependency's 404) records nothing.

Deviation: an event is written right after the change's own transaction, not inside it; an upload's file is read
once more for its events (the route reads it as before)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import Request
from sqlmodel import col, select

from mock_langflow import audit, errors
from mock_langflow.auth import sent_keys, signed_in_with_key
from mock_langflow.state import AppState
from mock_langflow.store.audit_events import UNKNOWN_RESOURCE_ID
from mock_langflow.store.models import FlowRow, FolderRow, UserRow

FIELD_NAMES_LIMIT, CHANGES_LIMIT, DESCRIPTION_LIMIT, NAME_LIMIT = 16, 100, 255, 255
_FIELD = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_EXCLUSION = re.compile(r"^(\*|[a-z][a-z0-9_]*):(\*|[a-z][a-z0-9_]*)$")
ACTIONS = ("flow:create", "flow:write", "flow:delete", "project:create", "project:write", "project:delete")
# What a flow PATCH or PUT may write (Langflow's _UPDATABLE_FLOW_FIELDS): the written fields named from these.
UPDATABLE_FLOW_FIELDS = frozenset({
    "name", "description", "data", "is_component", "endpoint_name", "tags", "folder_id", "workspace_id", "icon",
    "icon_bg_color", "gradient", "locked", "mcp_enabled", "flow_type", "a2a_enabled", "a2a_card_overrides",
    "action_name", "action_description", "access_type", "fs_path"})
_MEMBERSHIP = frozenset({"flows_list", "components_list", "flows", "components"})
# What Langflow's destination check writes into every body it creates a flow from (so a create's written fields).
PLACED = frozenset({"folder_id", "workspace_id"})
MCP_FIELDS = ("mcp_enabled", "action_name", "action_description")


def field_names(names: Iterable[str]) -> list[str]:
    """Sorted, unique, at most 16, never `id` or `user_id`."""
    return sorted({n for n in names if n not in {"id", "user_id"} and _FIELD.fullmatch(n)})[:FIELD_NAMES_LIMIT]


def excluded(entries: list[str]) -> frozenset[str]:
    """The actions LANGFLOW_AUDIT_EXCLUDE_EVENTS leaves out ("flow:write", "flow:*", "*:delete"); an entry that
    matches nothing, or excludes everything, is ignored."""
    out: set[str] = set()
    for raw in entries:
        parsed = _EXCLUSION.fullmatch(raw.strip().lower())
        if parsed is None or parsed[0] == "*:*":
            continue
        resource, action = parsed[1], parsed[2]
        out.update(a for a in ACTIONS if resource in {"*", a.split(":")[0]} and action in {"*", a.split(":")[1]})
    return frozenset(out)


def actor(state: AppState, request: Request, user: UserRow) -> dict[str, Any]:
    """Who the events name: the key the caller signed in with, else their account."""
    if signed_in_with_key(request):
        key = next((k for k in sent_keys(request) if k), None)
        key_id = state.store.users.key_id(key) if key else None
        if key_id is not None:
            return {"user_id": user.id, "actor_type": "api_key", "actor_id": key_id}
    return {"user_id": user.id, "actor_type": "user", "actor_id": user.id}


def membership_summary(before: dict[UUID, str], after: dict[UUID, str]) -> dict[str, Any]:
    """A project's flows before and after, by identity: counts, and the changes (added, removed, updated, each
    by id), at most 100."""
    changes = [*({"id": i, "name": n[:NAME_LIMIT], "change": "added"} for i, n in after.items() if i not in before),
               *({"id": i, "name": n[:NAME_LIMIT], "change": "removed"} for i, n in before.items() if i not in after),
               *({"id": i, "name": n[:NAME_LIMIT], "change": "updated"} for i, n in after.items() if i in before)]
    order = {"added": 0, "removed": 1, "updated": 2}
    changes.sort(key=lambda c: (order[c["change"]], str(c["id"])))
    return {"before_count": len(before), "after_count": len(after),
            "updated_count": sum(1 for i in after if i in before),
            "changes": [{**c, "id": str(c["id"])} for c in changes[:CHANGES_LIMIT]],
            "truncated": len(changes) > CHANGES_LIMIT}


def flow_details(written: Iterable[str] = (), before: UUID | None = None, after: UUID | None = None) -> dict[str, Any]:
    details: dict[str, Any] = {"schema_version": 1}
    if fields := field_names(written):
        details["written_fields"] = fields
    if before != after:
        details["project"] = {"before_id": str(before) if before else None, "after_id": str(after) if after else None}
    return details


def project_details(description: Any = None, flows: dict[str, Any] | None = None, *,
                    written_description: bool = False) -> dict[str, Any]:
    details: dict[str, Any] = {"schema_version": 1}
    if written_description:
        details["description"] = description[:DESCRIPTION_LIMIT] if isinstance(description, str) else description
    if flows is not None:
        details["flows"] = flows
    return details


def event(kind: str, action: str, operation: str, resource_id: UUID, name: str | None,
          details: dict[str, Any]) -> dict[str, Any]:
    return {"resource_type": kind, "action": action, "operation": operation, "resource_id": resource_id,
            "resource_name": name[:NAME_LIMIT] if name is not None else None, "result": "succeeded",
            "details": details}


def fields_set(body: Any) -> set[str]:
    return set(getattr(body, "model_fields_set", ())) - {"id", "user_id"}


def written(body: Any) -> set[str]:
    """The fields a flow PATCH or replace writes: those sent with a value, that a flow may take, and an endpoint
    name sent empty (a clearing)."""
    sent = set(body.model_dump(exclude_unset=True, exclude_none=True))
    if "endpoint_name" in body.model_fields_set and body.endpoint_name in (None, ""):
        sent.add("endpoint_name")
    return sent & UPDATABLE_FLOW_FIELDS


def if_match(kw: dict[str, Any]) -> tuple[bool, UUID | None]:
    """A route's If-Match, as the route reads it: (well formed, the token)."""
    from mock_langflow.routers.flows import version_token

    if kw.get("if_match") is None:
        return True, None
    try:
        return True, version_token(kw["if_match"])
    except errors.BadRequest:
        return False, None


def flow_row(state: AppState, flow_id: UUID, user_id: UUID) -> Any:
    """(name, folder_id) of the caller's flow, or None."""
    with state.store.db.session() as s:
        return s.exec(select(FlowRow.name, FlowRow.folder_id)
                      .where(FlowRow.id == flow_id, FlowRow.user_id == user_id)).first()


def members(state: AppState, project_id: UUID, owner: UUID | None = None) -> dict[UUID, str]:
    """The flows in a project (`owner`'s only, if given), id -> name."""
    query = select(FlowRow.id, FlowRow.name).where(FlowRow.folder_id == project_id)
    if owner is not None:
        query = query.where(FlowRow.user_id == owner)
    with state.store.db.session() as s:
        return dict(s.exec(query).all())  # type: ignore[arg-type]


def own_project(state: AppState, project_id: UUID, user_id: UUID) -> FolderRow | None:
    with state.store.db.session() as s:
        row = s.get(FolderRow, project_id)
    return row if row is not None and row.user_id == user_id else None


@dataclass
class Attempt:
    """What a request attempted, read before the route runs: for its failure event (None: a failure records
    nothing, refused before authorization) and for what it did."""

    kind: str
    action: str
    operation: str
    resource_id: UUID | None = None
    name: str | None = None
    fields: Iterable[str] = ()
    requested_flow_count: int | None = None
    before: Any = None
    audits_failure: bool = True
    moves: dict[UUID, UUID | None] | None = None  # a project write's requested flows, where they were


# --- the recipes: (before, after) per audited route ------------------------------------------------------------

Before = Callable[[AppState, UserRow, dict[str, Any]], Attempt]
After = Callable[[AppState, UserRow, dict[str, Any], Any, Attempt], list[dict[str, Any]]]


def _flow_create(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    return Attempt("flow", "flow:create", "create", name=kw["flow"].name, fields=fields_set(kw["flow"]))


def _flow_created(state: AppState, user: UserRow, kw: dict[str, Any], result: Any, at: Attempt) -> list[dict[str, Any]]:
    return [created(result, at.fields)]


def created(row: Any, sent: Iterable[str]) -> dict[str, Any]:
    """A flow create's event: the fields sent, and those Langflow writes into the body (its project, name)."""
    return event("flow", "flow:create", "create", row.id, row.name,
                 flow_details({*sent, *PLACED, "name"}, None, row.folder_id))


def _flows_create(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    flows = kw["flow_list"].flows
    return Attempt("flow", "flow:create", "create", fields=set().union(*(fields_set(f) for f in flows)),
                   before=[fields_set(f) for f in flows])


def _flows_created(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                   at: Attempt) -> list[dict[str, Any]]:
    return [created(row, sent) for row, sent in zip(result, at.before, strict=False)]


def _flow_patch(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    row = flow_row(state, kw["flow_id"], user.id)
    return Attempt("flow", "flow:write", "patch", kw["flow_id"], row.name if row else kw["flow"].name,
                   fields_set(kw["flow"]), before=row, audits_failure=row is not None)


def _flow_patched(state: AppState, user: UserRow, kw: dict[str, Any], result: Any, at: Attempt) -> list[dict[str, Any]]:
    return [event("flow", "flow:write", "patch", result.id, result.name,
                  flow_details(written(kw["flow"]), at.before.folder_id, result.folder_id))]


def _flow_put(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    """A replace of the caller's flow, or a create at a free id (Langflow names it so once authorized); another
    user's flow, or a malformed If-Match, is refused before that, unrecorded."""
    flow_id, body = kw["flow_id"], kw["flow"]
    row = flow_row(state, flow_id, user.id)
    free = row is None and state.store.flows.find_any(str(flow_id)) is None
    well_formed = if_match(kw)[0]
    if free:
        return Attempt("flow", "flow:create", "create", flow_id, body.name, fields_set(body),
                       audits_failure=well_formed)
    return Attempt("flow", "flow:write", "replace", flow_id, body.name, fields_set(body), before=row,
                   audits_failure=well_formed and row is not None)


def _flow_put_done(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                   at: Attempt) -> list[dict[str, Any]]:
    if kw["response"].status_code == 201 or at.before is None:
        return _flow_created(state, user, kw, result, at)
    return [replaced(result, written(kw["flow"]), at.before.folder_id)]


def replaced(row: Any, fields: Iterable[str], folder_before: UUID | None) -> dict[str, Any]:
    return event("flow", "flow:write", "replace", row.id, row.name, flow_details(fields, folder_before, row.folder_id))


def _flow_delete(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    row = flow_row(state, kw["flow_id"], user.id)
    return Attempt("flow", "flow:delete", "delete", kw["flow_id"], row.name if row else None, before=row,
                   audits_failure=row is not None)


def _flow_deleted(state: AppState, user: UserRow, kw: dict[str, Any], result: Any, at: Attempt) -> list[dict[str, Any]]:
    return [event("flow", "flow:delete", "delete", kw["flow_id"], at.before.name,
                  flow_details((), at.before.folder_id, None))]


def _flows_delete(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    with state.store.db.session() as s:
        rows = s.exec(select(FlowRow.id, FlowRow.name, FlowRow.folder_id).where(
            col(FlowRow.id).in_(kw["flow_ids"]), FlowRow.user_id == user.id)).all()
    return Attempt("flow", "flow:delete", "delete", before={r[0]: r for r in rows})


def _flows_deleted(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                   at: Attempt) -> list[dict[str, Any]]:
    gone = [i for i in at.before if flow_row(state, i, user.id) is None]
    return [event("flow", "flow:delete", "delete", i, at.before[i][1], flow_details((), at.before[i][2], None))
            for i in gone]


def _project_attempt(state: AppState, user: UserRow, body: Any) -> dict[str, Any]:
    sent = fields_set(body)
    requested = [v for name in _MEMBERSHIP for v in (getattr(body, name, None) or [])]
    return {"fields": {"flows" if n in _MEMBERSHIP else n for n in sent},
            "requested_flow_count": len(requested) if sent & _MEMBERSHIP else None,
            "moves": _folders(state, requested, user.id)}


def _folders(state: AppState, flow_ids: list[UUID], user_id: UUID) -> dict[UUID, UUID | None]:
    """Where the caller's flows among `flow_ids` are (id -> project)."""
    if not flow_ids:
        return {}
    with state.store.db.session() as s:
        return dict(s.exec(select(FlowRow.id, FlowRow.folder_id).where(  # type: ignore[arg-type]
            col(FlowRow.id).in_(flow_ids), FlowRow.user_id == user_id)).all())


def _moved(state: AppState, user: UserRow, at: Attempt) -> list[dict[str, Any]]:
    """The flow events of the moves a project write made (a flow's own history reads the same whichever route
    moved it, as in Langflow): each a flow:write patch of folder_id."""
    before = at.moves or {}
    after = _folders(state, list(before), user.id)
    with state.store.db.session() as s:
        names = dict(s.exec(select(FlowRow.id, FlowRow.name).where(  # type: ignore[arg-type]
            col(FlowRow.id).in_(list(before)))).all()) if before else {}
    return [event("flow", "flow:write", "patch", i, names.get(i), flow_details(["folder_id"], before[i], after[i]))
            for i in before if i in after and after[i] != before[i]]


def _project_create(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    return Attempt("project", "project:create", "create", name=kw["project"].name,
                   **_project_attempt(state, user, kw["project"]))


def _project_created(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                     at: Attempt) -> list[dict[str, Any]]:
    body = kw["project"]
    details = project_details(body.description, membership_summary({}, members(state, result.id)),
                              written_description="description" in body.model_fields_set)
    return [*_moved(state, user, at), event("project", "project:create", "create", result.id, result.name, details)]


def _project_patch(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    row = own_project(state, kw["project_id"], user.id)
    return Attempt("project", "project:write", "patch", kw["project_id"], kw["project"].name,
                   before=members(state, row.id, row.user_id) if row else None, audits_failure=row is not None,
                   **_project_attempt(state, user, kw["project"]))


def _project_patched(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                     at: Attempt) -> list[dict[str, Any]]:
    body = kw["project"]
    after = members(state, result.id, user.id)
    flows = membership_summary(at.before or {}, after) if after != at.before else None
    details = project_details(body.description, flows, written_description=body.description is not None)
    return [*_moved(state, user, at), event("project", "project:write", "patch", result.id, result.name, details)]


def _project_put(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    """An update of the caller's project, or a create at a free id (Langflow names it so once authorized);
    another user's project is refused before that, unrecorded."""
    if state.store.projects.find(kw["project_id"]) is not None:
        return _project_patch(state, user, kw)
    return Attempt("project", "project:create", "create", kw["project_id"], kw["project"].name,
                   **_project_attempt(state, user, kw["project"]))


def _project_put_done(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                      at: Attempt) -> list[dict[str, Any]]:
    if kw["response"].status_code == 201:
        return _project_created(state, user, kw, result, at)
    return _project_patched(state, user, kw, result, at)


def _project_delete(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    row = own_project(state, kw["project_id"], user.id)
    before = (row.name, members(state, row.id, row.user_id)) if row else None
    return Attempt("project", "project:delete", "delete", kw["project_id"], row.name if row else None,
                   before=before, audits_failure=row is not None)


def _project_deleted(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                     at: Attempt) -> list[dict[str, Any]]:
    project_id, (name, flows) = kw["project_id"], at.before
    return [*(event("flow", "flow:delete", "delete", i, n, flow_details((), project_id, None))
              for i, n in flows.items()),
            event("project", "project:delete", "delete", project_id, name,
                  project_details(flows=membership_summary(flows, {})))]


def _read_again(upload: Any, parse: Callable[[bytes, str | None], Any]) -> Any:
    """What an uploaded file holds, read as its route will read it (the file left to read again); None where the
    route refuses it."""
    if upload is None:
        return None
    raw = upload.file.read()
    upload.file.seek(0)
    try:
        return parse(raw, upload.filename)
    except Exception:  # the route refuses it with its own answer
        return None


def _flows_upload(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    """Langflow authorizes an upload's first flow once the file is read and its ids are unique: a failure from
    there on is recorded, with no name or fields; a refused file, or one without flows, records nothing. A flow
    whose id the caller owns is updated in place (1.13), the others created."""
    from mock_langflow.routers.flows import parse_upload, read_ids

    current = state.profile.flows.upload_errors != "legacy"
    flows = _read_again(kw["file"], lambda raw, _: read_ids(state, parse_upload(raw, legacy=not current))) or []
    ids = [f.id for f in flows if f.id is not None]
    owned = _folders(state, ids, user.id) if current else {}
    return Attempt("flow", "flow:create", "create", before=(flows, owned),
                   audits_failure=bool(flows) and len(set(ids)) == len(ids))


def _flows_uploaded(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                    at: Attempt) -> list[dict[str, Any]]:
    """One event a flow: a replace of an owned one (what it sent, and its project, which Langflow always writes),
    else a create."""
    flows, owned = at.before
    return [replaced(row, written(flow) | {"folder_id"}, owned[flow.id]) if flow.id in owned
            else created(row, fields_set(flow)) for flow, row in zip(flows, result, strict=False)]


def _project_upload(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    """Langflow authorizes a project upload before it reads the file: any failure is recorded (no name or
    fields)."""
    from mock_langflow.routers.projects import project_file

    current = state.profile.flows.upload_errors != "legacy"
    read = _read_again(kw["file"], lambda raw, name: project_file(raw, name, current=current))
    with state.store.db.session() as s:
        projects = set(s.exec(select(FolderRow.id).where(FolderRow.user_id == user.id)).all())
    return Attempt("project", "project:create", "create", before=(read[1] if read else [], projects))


def _project_uploaded(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                      at: Attempt) -> list[dict[str, Any]]:
    """Each flow's create (as a batch create records it), then the project's: its description and flows."""
    flows, projects = at.before
    with state.store.db.session() as s:
        row = s.exec(select(FolderRow).where(FolderRow.user_id == user.id,
                                             col(FolderRow.id).not_in(projects))).first()
    if row is None:  # (gone already)
        return []
    details = project_details(row.description, membership_summary({}, {r.id: r.name for r in result}),
                              written_description=True)
    return [*(created(r, fields_set(f)) for f, r in zip(flows, result, strict=False)),
            event("project", "project:create", "create", row.id, row.name, details)]


def _mcp_settings(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    """Authorized once the caller's project is found (else its 404, unrecorded): a failure names it."""
    row = own_project(state, kw["project_id"], user.id)
    return Attempt("project", "project:write", "patch", kw["project_id"], row.name if row else None,
                   audits_failure=row is not None)


def _mcp_settings_done(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                       at: Attempt) -> list[dict[str, Any]]:
    """A patch of the MCP fields of each listed flow of the caller's in the project, and, when auth settings were
    sent, the project's write (its details say no more: Langflow's contract has no field for them)."""
    body = kw["request"]
    listed = {s.id for s in body.settings}
    events = [event("flow", "flow:write", "patch", i, n, flow_details(MCP_FIELDS))
              for i, n in members(state, kw["project_id"], user.id).items() if i in listed]
    if "auth_settings" in body.model_fields_set and body.auth_settings is not None:
        events.append(event("project", "project:write", "patch", kw["project_id"], at.name, project_details()))
    return events


def _version_activate(state: AppState, user: UserRow, kw: dict[str, Any]) -> Attempt:
    """Authorized once the caller's flow is found and If-Match (optional) is well formed and current; a failure
    after that (an unknown version, one without a graph) names the flow."""
    with state.store.db.session() as s:
        row = s.exec(select(FlowRow.name, FlowRow.version_token).where(
            FlowRow.id == kw["flow_id"], FlowRow.user_id == user.id)).first()
    well_formed, expected = if_match(kw)
    current = row is not None and (expected is None or row.version_token in (None, expected))
    return Attempt("flow", "flow:write", "patch", kw["flow_id"], row.name if row else None,
                   audits_failure=well_formed and current)


def _version_activated(state: AppState, user: UserRow, kw: dict[str, Any], result: Any,
                       at: Attempt) -> list[dict[str, Any]]:
    return [event("flow", "flow:write", "patch", result.id, result.name, flow_details(["data"]))]


RECIPES: dict[str, tuple[Before, After]] = {
    "flow_create": (_flow_create, _flow_created), "flows_create": (_flows_create, _flows_created),
    "flow_patch": (_flow_patch, _flow_patched), "flow_put": (_flow_put, _flow_put_done),
    "flow_delete": (_flow_delete, _flow_deleted), "flows_delete": (_flows_delete, _flows_deleted),
    "project_create": (_project_create, _project_created), "project_patch": (_project_patch, _project_patched),
    "project_put": (_project_put, _project_put_done), "project_delete": (_project_delete, _project_deleted),
    "flows_upload": (_flows_upload, _flows_uploaded), "project_upload": (_project_upload, _project_uploaded),
    "mcp_settings": (_mcp_settings, _mcp_settings_done),
    "version_activate": (_version_activate, _version_activated)}


# --- failures -------------------------------------------------------------------------------------------------

_BY_STATUS = {400: "INVALID_CONTENT", 422: "INVALID_CONTENT", 403: "CONSTRAINT_VIOLATION",
              423: "CONSTRAINT_VIOLATION", 503: "SERVICE_UNAVAILABLE"}


def error_code(exc: BaseException, kind: str) -> str:
    """A safe code for a failure, as Langflow's classify_failure picks it; the error's text is never stored."""
    detail = str(getattr(exc, "detail", "")).lower()
    flow = kind == "flow"
    if "folder not found" in detail or "project not found" in detail:
        return "PROJECT_NOT_FOUND"
    if flow and "already exist" in detail and "id" in detail:
        return "FLOW_ID_CONFLICT"
    if "must be unique" in detail:
        return "FLOW_NAME_CONFLICT" if flow else "PROJECT_NAME_CONFLICT"
    if not isinstance(exc, errors.MockHTTPError):
        return "INTERNAL_ERROR"
    status = exc.status_code
    if status == 404:
        return "FLOW_NOT_FOUND" if flow else "PROJECT_NOT_FOUND"
    if status == 409:
        return "FLOW_NAME_CONFLICT" if flow else "PROJECT_NAME_CONFLICT"
    return _BY_STATUS.get(status, "INTERNAL_ERROR" if status >= 500 else "UNKNOWN")


def failure(at: Attempt, exc: BaseException) -> dict[str, Any]:
    details: dict[str, Any] = {"schema_version": 1}
    if fields := field_names(at.fields):
        details["attempted_fields"] = fields
    if at.kind == "project" and at.requested_flow_count is not None:
        details["requested_flow_count"] = at.requested_flow_count
    return {**event(at.kind, at.action, at.operation, at.resource_id or UNKNOWN_RESOURCE_ID, at.name, details),
            "result": "failed", "error_code": error_code(exc, at.kind)}


async def run(recipe: str, route: Callable[..., Awaitable[Any]], request: Request, args: tuple[Any, ...],
              kwargs: dict[str, Any]) -> Any:
    """The route, with its events recorded (audit.audited's work while auditing is on)."""
    state: AppState = kwargs["state"]
    user: UserRow = kwargs["user"]
    before, after = RECIPES[recipe]
    attempt = before(state, user, kwargs)
    try:
        result = await route(*args, **kwargs)
    except Exception as exc:
        if attempt.audits_failure:
            # the route's own failure is the answer: a failure to record it must not replace it (Langflow logs it)
            with suppress(Exception):
                _record(state, request, user, [failure(attempt, exc)])
        raise
    _record(state, request, user, after(state, user, kwargs, result, attempt))
    return result


def _record(state: AppState, request: Request, user: UserRow, events: list[dict[str, Any]]) -> None:
    skipped = excluded(state.settings.audit_exclude_events)
    kept = [e for e in events if e["action"] not in skipped]
    if not kept:
        return
    who, request_id = actor(state, request, user), audit.request_id(request)
    state.store.audit_events.record([{**e, **who, "request_id": request_id} for e in kept])


