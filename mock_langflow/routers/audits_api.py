"""The handlers of 1.13's audit reads (routers/audits.py lists the routes), imported when one is first analysed;
store/audit_events.py keeps and reads the rows. The query strings are parsed as strictly as Langflow parses them:
an unknown, empty, repeated (where a filter does not repeat) or malformed value is a 400 naming it, and a value may
be a comma-separated list (Langflow's middleware splits every value but `q`'s)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlmodel import col, select

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, Superuser
from mock_langflow.deps import StateDep
from mock_langflow.schemas.audits import (
    AuditActorRead,
    AuditFeedActor,
    AuditFeedItem,
    AuditFeedResponse,
    FlowAuditEventRead,
    FlowAuditPage,
    ProjectAuditEventRead,
    ProjectAuditPage,
    rfc3339,
)
from mock_langflow.state import AppState
from mock_langflow.store.audit_events import (
    AUTHZ_RESULTS,
    MAX_PAGE_SIZE,
    RESOURCE_RESULTS,
    AuditEventRow,
    CursorError,
    FeedFilters,
    FeedRow,
    owner_visibility,
)
from mock_langflow.store.models import FlowRow, FolderRow, UserRow

DEFAULT_PAGE_SIZE, MAX_OFFSET, MAX_SEARCH, EXPORT_BATCH = 50, 1_000_000, 200, 500
AUTH_PARAMS = frozenset({"x-api-key"})
_RFC3339 = re.compile(
    r"^(?P<base>\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d{1,6}))?(?P<offset>[Zz]|[+-]\d{2}:\d{2})$")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ACTION = re.compile(r"^[A-Za-z0-9_:.\-]{1,128}$")
OPERATIONS = ("create", "replace", "patch", "delete")
EVENT_TYPES = ("authz", "action")
RESULTS = ("allow", "deny", "succeeded", "failed")
ACTOR_TYPES = ("user", "api_key", "service", "system", "unknown")
TEXT_LIMITS = {"acting_subject": 512, "acting_issuer": 2048}
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}
CSV_COLUMNS = ("timestamp", "user_id", "actor_type", "actor_id", "action", "resource_type", "resource_id", "result",
               "details", "source", "kind", "resource_name", "operation", "error_code", "request_id")


def bad(detail: str) -> errors.BadRequest:
    return errors.BadRequest(detail)


# --- the query string -----------------------------------------------------------------------------------------

def grouped(request: Request, allowed: Iterable[str], repeatable: Iterable[str]) -> dict[str, list[str]]:
    """The query string by key; a 400 for an unknown, empty or repeated (unless `repeatable`) one."""
    allowed, repeatable = frozenset(allowed), frozenset(repeatable)
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        for entry in [value] if key == "q" else value.split(","):
            if key in AUTH_PARAMS:
                continue
            if key not in allowed:
                raise bad(f"Unknown query parameter: {key}")
            if entry == "":
                raise bad(f"Empty value for query parameter: {key}")
            out.setdefault(key, []).append(entry)
    for key, values in out.items():
        if key not in repeatable and len(values) > 1:
            raise bad(f"Query parameter may appear once: {key}")
    return out


def parse_uuid(name: str, value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as exc:
        raise bad(f"{name} must be a UUID") from exc


def parse_timestamp(name: str, value: str) -> datetime:
    """RFC 3339 with its offset required."""
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise bad(f"{name} must be an RFC 3339 timestamp with a timezone offset")
    offset = match["offset"].upper().replace("Z", "+00:00")
    fraction = f".{match['fraction'].ljust(6, '0')}" if match["fraction"] else ""
    try:
        return datetime.fromisoformat(f"{match['base'].replace('t', 'T')}{fraction}{offset}").astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise bad(f"{name} is not a valid timestamp") from exc


def parse_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_PAGE_SIZE
    message = f"limit must be an integer from 1 through {MAX_PAGE_SIZE}"
    if not (value.isascii() and value.isdigit()):
        raise bad(message)
    try:
        parsed = int(value)
    except ValueError as exc:  # (more digits than int() converts)
        raise bad(message) from exc
    if not 1 <= parsed <= MAX_PAGE_SIZE:
        raise bad(message)
    return parsed


def window(single: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    since = parse_timestamp("since", single["since"]) if "since" in single else None
    until = parse_timestamp("until", single["until"]) if "until" in single else None
    if since is not None and until is not None and until <= since:
        raise bad("until must be later than since")
    return since, until


# --- the flow and project trails ------------------------------------------------------------------------------

def resource_query(request: Request, id_param: str) -> tuple[dict[str, Any], str | None, int]:
    """The filters (the ids parsed, each list a set; defaults: every operation, action events, both outcomes),
    the cursor and the page size of a /flows/audits or /projects/audits read."""
    lists = ("operation", "event_type", "result", "actor_type")
    allowed = {id_param, *lists, "user_id", "actor_id", "request_id", *TEXT_LIMITS, "since", "until", "cursor",
               "limit"}
    query = grouped(request, allowed, lists)
    single = {key: values[0] for key, values in query.items() if key not in lists}
    for key, limit in TEXT_LIMITS.items():
        if key in single and len(single[key]) > limit:
            raise bad(f"{key} is longer than {limit} characters")
    if "acting_issuer" in single and "acting_subject" not in single:
        raise bad("acting_issuer must be paired with acting_subject")
    since, until = window(single)
    ids = {key: parse_uuid(key, single[key]) for key in (id_param, "user_id", "actor_id", "request_id")
           if key in single}
    known = {"operation": OPERATIONS, "event_type": EVENT_TYPES, "result": RESULTS, "actor_type": ACTOR_TYPES}
    defaults = {"operation": frozenset(OPERATIONS), "event_type": frozenset({"action"}),
                "result": frozenset({"succeeded", "failed"}), "actor_type": frozenset()}
    sets: dict[str, frozenset[str]] = {}
    for key in lists:
        values = frozenset(query.get(key, ()))
        if not values <= frozenset(known[key]) or (key != "actor_type" and not values <= defaults[key]):
            raise bad(f"Unsupported value for {key}")
        sets[key] = values or defaults[key]
    filters = {"resource_id": ids.get(id_param), "operations": sets["operation"], "event_types": sets["event_type"],
               "results": sets["result"], "actor_types": sets["actor_type"], "user_id": ids.get("user_id"),
               "actor_id": ids.get("actor_id"), "acting_issuer": single.get("acting_issuer"),
               "acting_subject": single.get("acting_subject"), "request_id": ids.get("request_id"),
               "since": since, "until": until}
    return filters, single.get("cursor"), parse_limit(single.get("limit"))


def resource_clauses(kind: str, filters: dict[str, Any]) -> list[Any]:
    clauses: list[Any] = [AuditEventRow.resource_type == kind]
    for name in ("resource_id", "user_id", "actor_id", "acting_issuer", "acting_subject", "request_id"):
        if filters[name] is not None:
            clauses.append(getattr(AuditEventRow, name) == filters[name])
    for name, column in (("operations", "operation"), ("event_types", "event_type"), ("results", "result"),
                         ("actor_types", "actor_type")):
        if filters[name]:
            clauses.append(col(getattr(AuditEventRow, column)).in_(sorted(filters[name])))
    if filters["since"] is not None:
        clauses.append(col(AuditEventRow.timestamp) >= filters["since"])
    if filters["until"] is not None:
        clauses.append(col(AuditEventRow.timestamp) < filters["until"])
    return clauses


def resource_page(state: AppState, request: Request, user: UserRow, kind: str, id_param: str,
                  owned: Any) -> tuple[list[AuditEventRow], str | None]:
    filters, cursor, limit = resource_query(request, id_param)
    visibility = None if user.is_superuser else owner_visibility(user.id, owned)
    try:
        return state.store.audit_events.resource_page(
            resource_clauses(kind, filters), {"resource_type": kind, **filters}, limit=limit, cursor=cursor,
            visibility=visibility)
    except CursorError as exc:
        raise bad(str(exc)) from exc


def base_fields(row: AuditEventRow) -> dict[str, Any]:
    return {"id": row.id, "timestamp": row.timestamp, "action": row.action, "operation": row.operation,
            "event_type": row.event_type, "result": row.result, "error_code": row.error_code,
            "request_id": row.request_id, "details": row.details,
            "actor": AuditActorRead(type=row.actor_type, id=row.actor_id, user_id=row.user_id,
                                    acting_issuer=row.acting_issuer, acting_subject=row.acting_subject)}


async def read_flow_audits(request: Request, state: StateDep, user: CurrentUser) -> FlowAuditPage:
    """GET /api/v1/flows/audits: flow events, newest first; a caller who is not a superuser reads the events they
    made and those of their flows (in the flow's current life), as a community install without an authorization
    plugin answers."""
    rows, cursor = resource_page(state, request, user, "flow", "flow_id",
                                 select(FlowRow.id).where(FlowRow.user_id == user.id))
    return FlowAuditPage(items=[FlowAuditEventRead(flow_id=r.resource_id, flow_name=r.resource_name,
                                                   **base_fields(r)) for r in rows], next_cursor=cursor)


async def read_project_audits(request: Request, state: StateDep, user: CurrentUser) -> ProjectAuditPage:
    """GET /api/v1/projects/audits: project events, as read_flow_audits reads flow events."""
    rows, cursor = resource_page(state, request, user, "project", "project_id",
                                 select(FolderRow.id).where(FolderRow.user_id == user.id))
    return ProjectAuditPage(items=[ProjectAuditEventRead(project_id=r.resource_id, project_name=r.resource_name,
                                                         **base_fields(r)) for r in rows], next_cursor=cursor)


# --- the feed -------------------------------------------------------------------------------------------------

FEED_ENUMS = {"source": frozenset({"resource", "authz"}), "kind": frozenset({"action", "check"}),
              "operation": frozenset(OPERATIONS), "result": RESOURCE_RESULTS | AUTHZ_RESULTS}
FEED_LISTS = ("resource_type", "actor_type", "action", "exclude_action", *FEED_ENUMS)
FEED_IDS = ("resource_id", "user_id", "actor_id", "request_id")
FEED_FILTERS = frozenset({*FEED_LISTS, *FEED_IDS, "since", "until", "q"})


def feed_filters(query: dict[str, list[str]]) -> FeedFilters:
    single = {key: values[0] for key, values in query.items() if key not in FEED_LISTS}
    lists: dict[str, frozenset[str]] = {}
    for key, values in query.items():
        if key not in FEED_LISTS:
            continue
        pattern = _SLUG if key in ("resource_type", "actor_type") else _ACTION if "action" in key else None
        if not all(pattern.fullmatch(v) if pattern is not None else v in FEED_ENUMS[key] for v in values):
            raise bad(f"Unsupported value for {key}")
        lists[key] = frozenset(values)
    ids = {key: parse_uuid(key, single[key]) for key in FEED_IDS if key in single}
    since, until = window(single)
    search = None
    if "q" in single:
        search = single["q"].strip()
        if not search or len(search) > MAX_SEARCH:
            raise bad(f"q must be 1 to {MAX_SEARCH} characters")
    empty: frozenset[str] = frozenset()
    return FeedFilters(sources=lists.get("source", empty), kinds=lists.get("kind", empty),
                       resource_types=lists.get("resource_type", empty), resource_id=ids.get("resource_id"),
                       actions=lists.get("action", empty), exclude_actions=lists.get("exclude_action", empty),
                       operations=lists.get("operation", empty), results=lists.get("result", empty),
                       actor_types=lists.get("actor_type", empty), user_id=ids.get("user_id"),
                       actor_id=ids.get("actor_id"), request_id=ids.get("request_id"), since=since, until=until,
                       search=search)


def _request_id(item: FeedRow) -> UUID | None:
    if item.source == "resource":
        found: UUID = item.row.request_id
        return found
    raw = (item.row.details or {}).get("request_id")
    try:
        return UUID(str(raw)) if raw else None
    except ValueError:
        return None


def feed_item(item: FeedRow) -> AuditFeedItem:
    row, resource = item.row, item.source == "resource"
    return AuditFeedItem(
        id=row.id, timestamp=row.timestamp, source=item.source, kind=item.kind, action=row.action,
        resource_type=row.resource_type, resource_id=row.resource_id,
        resource_name=row.resource_name if resource else None, result=row.result, user_id=row.user_id,
        actor_type=row.actor_type, actor_id=row.actor_id,
        actor=AuditFeedActor(type=row.actor_type, id=row.actor_id, user_id=row.user_id,
                             acting_issuer=row.acting_issuer if resource else None,
                             acting_subject=row.acting_subject if resource else None),
        operation=row.operation if resource else None, error_code=row.error_code if resource else None,
        request_id=_request_id(item), details=row.details)


def _flag(name: str, value: str | None) -> bool:
    if value in (None, "false"):
        return False
    if value == "true":
        return True
    raise bad(f"{name} must be true or false")


def _offset(value: str | None) -> int:
    if value is None:
        return 0
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_OFFSET)) or int(value) > MAX_OFFSET:
        raise bad(f"offset must be an integer from 0 through {MAX_OFFSET}")
    return int(value)


async def read_audits(request: Request, state: StateDep, _admin: Superuser) -> AuditFeedResponse:
    """GET /api/v1/audits (superusers): every event of both audit stores (the resource trail and the authorization
    log), newest first, filtered and paged by cursor or offset."""
    query = grouped(request, FEED_FILTERS | {"cursor", "limit", "offset", "include_total"}, FEED_LISTS)
    filters = feed_filters(query)
    single = {key: values[0] for key, values in query.items()}
    offset = _offset(single.get("offset"))
    if offset and "cursor" in single:
        raise bad("offset and cursor cannot be combined")
    limit, total = parse_limit(single.get("limit")), _flag("include_total", single.get("include_total"))
    try:
        rows, cursor, count = state.store.audit_events.feed_page(filters, limit=limit, cursor=single.get("cursor"),
                                                                 offset=offset, include_total=total)
    except CursorError as exc:
        raise bad(str(exc)) from exc
    return AuditFeedResponse(items=[feed_item(r) for r in rows], next_cursor=cursor, total=count)


def _csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    first = text.lstrip("\x00\t\n\r ")[:1]
    return f"'{text}" if first and first in "=+-@" else text


def _csv_values(item: FeedRow) -> list[object]:
    row, resource = item.row, item.source == "resource"
    details = json.dumps(row.details, sort_keys=True, separators=(",", ":")) if row.details else ""
    return [rfc3339(row.timestamp, "seconds"), row.user_id, row.actor_type, row.actor_id, row.action,
            row.resource_type, row.resource_id, row.result, details, item.source, item.kind,
            row.resource_name if resource else None, row.operation if resource else None,
            row.error_code if resource else None, _request_id(item)]


def _csv(records: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([_csv_cell(v) for v in record] for record in records)
    return buffer.getvalue()


def _export(state: AppState, filters: FeedFilters, kind: str) -> Iterator[str]:
    if kind == "csv":
        yield _csv([CSV_COLUMNS])
    for batch in state.store.audit_events.feed_batches(filters, size=EXPORT_BATCH):
        if kind == "csv":
            yield _csv(_csv_values(item) for item in batch)
        else:
            yield "".join(feed_item(item).model_dump_json() + "\n" for item in batch)


async def export_audits(request: Request, state: StateDep, _admin: Superuser) -> StreamingResponse:
    """GET /api/v1/audits/export (superusers): every matching event as CSV (the default) or NDJSON, newest first,
    up to the moment the export starts."""
    query = grouped(request, FEED_FILTERS | {"format"}, FEED_LISTS)
    kind = query.get("format", ["csv"])[0]
    if kind not in EXPORT_FORMATS:
        raise bad("format must be csv or ndjson")
    filters = feed_filters(query)
    if filters.until is None:
        filters = FeedFilters(**{**filters.__dict__, "until": state.clock.now()})
    filename = f"langflow-audit-{state.clock.now().astimezone(UTC).date().isoformat()}.{kind}"
    return StreamingResponse(_export(state, filters, kind), media_type=EXPORT_FORMATS[kind],
                             headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                      "Cache-Control": "no-store"})


# --- the query strings as Langflow's document lists them (routers/audits.py: openapi_extra) ----------------------

def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _many(name: str, description: str, values: Iterable[str] | None = None) -> dict[str, Any]:
    items: dict[str, Any] = {"enum": list(values)} if values else {"type": "string"}
    return _param(name, f"{description} Repeatable; values are ORed.", {"type": "array", "items": items})


_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_LIMIT = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}
_FEED = [
    _many("source", "The store the event came from.", sorted(FEED_ENUMS["source"])),
    _many("kind", "What the event is about.", sorted(FEED_ENUMS["kind"])),
    _many("resource_type", "Resource type slug."), _many("action", "Exact action."),
    _many("exclude_action", "Action to leave out."),
    _many("operation", "Shape of the mutation.", sorted(FEED_ENUMS["operation"])),
    _many("result", "Outcome.", sorted(FEED_ENUMS["result"])), _many("actor_type", "How the request authenticated."),
    _param("resource_id", "Exact resource.", _UUID), _param("user_id", "Exact Langflow account.", _UUID),
    _param("actor_id", "Exact authenticated principal or credential.", _UUID),
    _param("request_id", "Exact request correlation id.", _UUID),
    _param("since", "Inclusive RFC 3339 timestamp.", _TIME),
    _param("until", "Exclusive RFC 3339 timestamp, later than since.", _TIME),
    _param("q", "Free text kept against action, operation, resource type or name, actor username and details.",
           {"type": "string", "maxLength": MAX_SEARCH})]
FEED_DOC = {"parameters": [
    *_FEED, _param("cursor", "Opaque cursor from the previous page.", {"type": "string"}),
    _param("limit", "Page size.", _LIMIT),
    _param("offset", "Jump to a page by position instead of a cursor; cannot be combined with one.",
           {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}),
    _param("include_total", "Add a count of every match.", {"type": "boolean", "default": False})]}
EXPORT_DOC = {"parameters": [*_FEED, _param("format", "csv (the default) or ndjson.",
                                            {"enum": sorted(EXPORT_FORMATS)})]}


def _trail_doc(id_param: str, description: str) -> dict[str, Any]:
    def many(name: str, values: Iterable[str]) -> dict[str, Any]:
        return _param(name, "Repeatable; values are ORed.", {"type": "array", "items": {"enum": list(values)}})

    return {"parameters": [
        _param(id_param, description, _UUID), many("operation", OPERATIONS), many("event_type", EVENT_TYPES),
        many("result", RESULTS), _param("user_id", "Exact Langflow account.", _UUID),
        many("actor_type", ACTOR_TYPES), _param("actor_id", "Exact authenticated principal or credential.", _UUID),
        _param("acting_subject", "Exact represented-user subject.", {"type": "string"}),
        _param("acting_issuer", "Represented-user issuer; requires acting_subject.", {"type": "string"}),
        _param("request_id", "Exact request correlation id.", _UUID),
        _param("since", "Inclusive RFC 3339 timestamp.", _TIME),
        _param("until", "Exclusive RFC 3339 timestamp, later than since.", _TIME),
        _param("cursor", "Opaque cursor from the previous page.", {"type": "string"}),
        _param("limit", "Page size.", _LIMIT)]}


FLOW_DOC, PROJECT_DOC = _trail_doc("flow_id", "Exact Flow."), _trail_doc("project_id", "Exact Project.")
