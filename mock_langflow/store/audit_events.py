"""1.13's resource audit trail (the audit_events table): one append-only row per audited flow or project operation,
written with LANGFLOW_AUDIT_ENABLED, and its reads (GET /api/v1/flows/audits, /projects/audits, and the feed of
/api/v1/audits, which merges the authorization audit log in). Defined here and made by its feature's first use
(Store.audit_events), not at every start (store/models.py FIRST_USE_TABLES, LAZY_TABLE_MODULES).

Reads are newest first by (timestamp, id) and keyset-paginated as Langflow's are: the first page fixes a cutoff
(the clock, where Langflow reads the database's), every later page carries it, and a cursor names the filters it
was issued for (a hash), so it is refused under other ones."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import JSON, Index, String, and_, cast, func, or_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Field, Session, col, select

from mock_langflow.clock import Clock, Ids, as_utc
from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import Database, table_made
from mock_langflow.store.models import AUDIT_EVENTS, UserRow

if TYPE_CHECKING:
    from mock_langflow.store.audit_retention import AuditRetention

CURSOR_VERSION = 2
MAX_PAGE_SIZE = 200
UNKNOWN_RESOURCE_ID = UUID(int=0)  # where a failure with no resource to name is filed
AUTHZ_AUDIT = "authz_audit_log"
DECISION_EVENT = "authorization_decision"  # an authorization row that records a check, not an action
RESOURCE_RESULTS = frozenset({"allow", "deny", "succeeded", "failed"})
AUTHZ_RESULTS = frozenset({"allow", "deny", "owner_override", "skip"})


class AuditEventRow(SQLShape, table=True):
    __tablename__ = AUDIT_EVENTS
    __table_args__ = (Index("ix_audit_events_timeline", "timestamp", "id"),
                      Index("ix_audit_events_resource_timeline", "resource_type", "resource_id", "timestamp", "id"))

    id: UUID = Field(primary_key=True)
    resource_type: str
    # no foreign keys: an event outlives the resource, the account and the key it names, as in Langflow
    resource_id: UUID
    resource_name: str | None = None
    user_id: UUID | None = None
    actor_type: str
    actor_id: UUID | None = None
    acting_issuer: str | None = None
    acting_subject: str | None = None
    action: str
    operation: str
    event_type: str = "action"
    result: str
    error_code: str | None = None
    timestamp: datetime
    request_id: UUID
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class CursorError(ValueError):
    """A cursor that is malformed or was issued for other filters (a 400 with this text)."""


@dataclass(frozen=True)
class Keyset:
    """Where a traversal is: its cutoff, and the (timestamp, id) of the last row a page gave."""

    fingerprint: str
    cutoff: datetime
    timestamp: datetime | None = None
    event_id: UUID | None = None

    def encode(self) -> str:
        payload = {"v": CURSOR_VERSION, "f": self.fingerprint, "c": as_utc(self.cutoff).isoformat(),
                   "t": as_utc(self.timestamp or self.cutoff).isoformat(), "i": str(self.event_id)}
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @staticmethod
    def decode(cursor: str, fingerprint: str) -> Keyset:
        try:
            payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
            state = Keyset(fingerprint=str(payload["f"]), cutoff=as_utc(datetime.fromisoformat(payload["c"])),
                           timestamp=as_utc(datetime.fromisoformat(payload["t"])), event_id=UUID(payload["i"]))
            version = payload["v"]
        except (AttributeError, binascii.Error, UnicodeDecodeError, KeyError, OverflowError, RecursionError,
                TypeError, ValueError) as exc:
            raise CursorError("Malformed cursor") from exc
        if version != CURSOR_VERSION:
            raise CursorError("Unsupported cursor version")
        if state.fingerprint != fingerprint:
            raise CursorError("Cursor was issued for different filters")
        return state


def fingerprint(filters: dict[str, Any]) -> str:
    """The hash a cursor carries of the filters it was issued for (sets sorted, ids and times as text)."""
    def canonical(value: Any) -> Any:
        if isinstance(value, frozenset | set | list | tuple):
            return sorted(str(v) for v in value)
        if isinstance(value, datetime):
            return as_utc(value).isoformat()
        return None if value is None else str(value)

    text = json.dumps({k: canonical(v) for k, v in filters.items()}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class FeedRow:
    """A row of either store: `source` "resource" (audit_events) or "authz" (authz_audit_log)."""

    source: str
    row: Any

    @property
    def key(self) -> tuple[datetime, UUID]:
        return self.row.timestamp, self.row.id

    @property
    def kind(self) -> str:
        if self.source == "resource":
            return "check" if self.row.event_type == "authz" else "action"
        return "check" if (self.row.details or {}).get("event") == DECISION_EVENT else "action"


@dataclass(frozen=True)
class FeedFilters:
    """The feed's filters (GET /api/v1/audits): values within one OR, the filters AND."""

    sources: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    resource_types: frozenset[str] = frozenset()
    resource_id: UUID | None = None
    actions: frozenset[str] = frozenset()
    exclude_actions: frozenset[str] = frozenset()
    operations: frozenset[str] = frozenset()
    results: frozenset[str] = frozenset()
    actor_types: frozenset[str] = frozenset()
    user_id: UUID | None = None
    actor_id: UUID | None = None
    request_id: UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None

    def fingerprint(self) -> str:
        return fingerprint({"feed": 1, **{name: getattr(self, name) for name in self.__dataclass_fields__}})


def _like(text: str) -> str:
    """A substring pattern in which the user's % and _ match themselves."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _keyset_after(model: Any, state: Keyset) -> Any:
    timestamp, event_id = col(model.timestamp), col(model.id)
    return and_(timestamp <= state.timestamp,
                or_(timestamp < state.timestamp, and_(timestamp == state.timestamp, event_id < state.event_id)))


def _newest(operation: str) -> Any:
    """When the row's resource last completed `operation` (a correlated subquery)."""
    other = aliased(AuditEventRow)
    return (select(func.max(other.timestamp))
            .where(other.resource_id == AuditEventRow.resource_id, other.resource_type == AuditEventRow.resource_type,
                   other.operation == operation, other.result == "succeeded")
            .scalar_subquery())


def owner_visibility(user_id: UUID, owned_ids: Any) -> Any:
    """What a caller who is not a superuser reads without an authorization plugin, as Langflow's owner_visibility
    decides: the events they made, and those of a resource they own in its current life (from its newest create,
    else after its newest delete, else all of it); the nil id of failures is nobody's."""
    began, ended = _newest("create"), _newest("delete")
    current_life = or_(
        and_(began.is_(None), ended.is_(None)),
        and_(began.is_not(None), or_(ended.is_(None), began > ended), col(AuditEventRow.timestamp) >= began),
        and_(ended.is_not(None), or_(began.is_(None), ended >= began), col(AuditEventRow.timestamp) > ended))
    owned = and_(AuditEventRow.resource_id != UNKNOWN_RESOURCE_ID, col(AuditEventRow.resource_id).in_(owned_ids),
                 current_life)
    return or_(owned, AuditEventRow.user_id == user_id)


class AuditEvents:
    def __init__(self, db: Database, ids: Ids, clock: Clock, *, retention: AuditRetention | None = None) -> None:
        """`retention`: the sweeps a read first catches up with (None: rows are kept)."""
        self.db, self.ids, self.clock, self.retention = db, ids, clock, retention

    def record(self, events: list[dict[str, Any]]) -> None:
        """Append events (AuditEventRow's fields but id and timestamp, which are made here), in one transaction."""
        with self.db.session() as s:
            for event in events:
                s.add(AuditEventRow(id=self.ids.uuid(), timestamp=as_utc(self.clock.now()), **event))

    def cutoff(self) -> datetime:
        """Where a traversal starts (every read's first page, and an export): the sweeps due by now done first."""
        if self.retention is not None:
            self.retention.catch_up()
        return as_utc(self.clock.now())

    # --- one resource type's reads (/flows/audits, /projects/audits) ------------------------------------------

    def resource_page(self, clauses: list[Any], filters: dict[str, Any], *, limit: int, cursor: str | None,
                      visibility: Any = None) -> tuple[list[AuditEventRow], str | None]:
        """A page of rows matching `clauses` (and `visibility`), newest first; `filters` are what a cursor is
        bound to."""
        mark = fingerprint(filters)
        state = Keyset.decode(cursor, mark) if cursor is not None else Keyset(mark, self.cutoff())
        where = [*clauses, col(AuditEventRow.timestamp) <= state.cutoff]
        if visibility is not None:
            where.append(visibility)
        if state.event_id is not None:
            where.append(_keyset_after(AuditEventRow, state))
        with self.db.session() as s:
            rows = list(s.exec(select(AuditEventRow).where(*where).order_by(
                col(AuditEventRow.timestamp).desc(), col(AuditEventRow.id).desc()).limit(limit + 1)).all())
        if len(rows) <= limit:
            return rows, None
        last = rows[limit - 1]
        return rows[:limit], Keyset(mark, state.cutoff, last.timestamp, last.id).encode()

    # --- the feed over both stores (/audits, /audits/export) --------------------------------------------------

    def _plans(self, s: Session, filters: FeedFilters) -> list[tuple[str, Any, list[Any]]]:
        """Each store that can hold a matching row, with its clauses (a filter one store cannot satisfy leaves it
        out, as Langflow's feed does; the authorization log only once its table is made)."""
        plans: list[tuple[str, Any, list[Any]]] = []
        if (not filters.sources or "resource" in filters.sources) and (
                not filters.results or filters.results & RESOURCE_RESULTS):
            clauses = self._shared(AuditEventRow, filters)
            if filters.results:
                clauses.append(col(AuditEventRow.result).in_(sorted(filters.results & RESOURCE_RESULTS)))
            if filters.kinds:
                types = sorted({"check": "authz", "action": "action"}[k] for k in filters.kinds)
                clauses.append(col(AuditEventRow.event_type).in_(types))
            if filters.operations:
                clauses.append(col(AuditEventRow.operation).in_(sorted(filters.operations)))
            if filters.actor_types:
                clauses.append(col(AuditEventRow.actor_type).in_(sorted(filters.actor_types)))
            if filters.request_id is not None:
                clauses.append(AuditEventRow.request_id == filters.request_id)
            plans.append(("resource", AuditEventRow, clauses))
        if (not filters.sources or "authz" in filters.sources) and not filters.operations and (
                not filters.results or filters.results & AUTHZ_RESULTS) and table_made(s, AUTHZ_AUDIT):
            from mock_langflow.store.authz import AuthzAuditRow

            clauses = self._shared(AuthzAuditRow, filters)
            if filters.results:
                clauses.append(col(AuthzAuditRow.result).in_(sorted(filters.results & AUTHZ_RESULTS)))
            event = func.json_extract(AuthzAuditRow.details, "$.event")
            if filters.kinds == frozenset({"check"}):
                clauses.append(event == DECISION_EVENT)
            elif filters.kinds == frozenset({"action"}):
                clauses.append(or_(event != DECISION_EVENT, event.is_(None)))
            if filters.actor_types:
                typed = col(AuthzAuditRow.actor_type).in_(sorted(filters.actor_types))
                clauses.append(or_(typed, col(AuthzAuditRow.actor_type).is_(None))
                               if "unknown" in filters.actor_types else typed)
            if filters.request_id is not None:
                clauses.append(func.json_extract(AuthzAuditRow.details, "$.request_id") == str(filters.request_id))
            plans.append(("authz", AuthzAuditRow, clauses))
        return plans

    @staticmethod
    def _shared(model: Any, filters: FeedFilters) -> list[Any]:
        """The filters both stores express with the same columns."""
        clauses: list[Any] = [getattr(model, name) == value for name, value in (
            ("resource_id", filters.resource_id), ("user_id", filters.user_id), ("actor_id", filters.actor_id))
            if value is not None]
        for name, values in (("resource_type", filters.resource_types), ("action", filters.actions)):
            if values:
                clauses.append(col(getattr(model, name)).in_(sorted(values)))
        if filters.exclude_actions:
            clauses.append(col(model.action).not_in(sorted(filters.exclude_actions)))
        if filters.since is not None:
            clauses.append(col(model.timestamp) >= as_utc(filters.since))
        if filters.until is not None:
            clauses.append(col(model.timestamp) < as_utc(filters.until))
        if filters.search:
            pattern = _like(filters.search)

            def matches(column: Any) -> Any:
                return col(column).ilike(pattern, escape="\\")

            candidates = [matches(model.action), matches(model.resource_type),
                          cast(model.details, String).ilike(pattern, escape="\\"),
                          col(model.user_id).in_(select(UserRow.id).where(matches(UserRow.username)))]
            if model is AuditEventRow:
                candidates += [matches(AuditEventRow.resource_name), matches(AuditEventRow.operation)]
            clauses.append(or_(*candidates))
        return clauses

    def _window(self, s: Session, plans: list[tuple[str, Any, list[Any]]], state: Keyset, size: int) -> list[FeedRow]:
        candidates: list[FeedRow] = []
        for source, model, clauses in plans:
            where = [*clauses, col(model.timestamp) <= state.cutoff]
            if state.event_id is not None:
                where.append(_keyset_after(model, state))
            rows = s.exec(select(model).where(*where).order_by(col(model.timestamp).desc(), col(model.id).desc())
                          .limit(size)).all()
            candidates.extend(FeedRow(source, row) for row in rows)
        candidates.sort(key=lambda c: c.key, reverse=True)
        return candidates[:size]

    def feed_page(self, filters: FeedFilters, *, limit: int, cursor: str | None, offset: int,
                  include_total: bool) -> tuple[list[FeedRow], str | None, int | None]:
        """One newest-first page across both stores; `offset` jumps to a position (then cursors go on from it);
        the total only when asked for."""
        mark = filters.fingerprint()
        state = Keyset.decode(cursor, mark) if cursor is not None else Keyset(mark, self.cutoff())
        with self.db.session() as s:
            plans = self._plans(s, filters)
            total = self._count(s, plans, state.cutoff) if include_total else None
            if offset:
                jumped = self._offset_state(s, plans, state, offset)
                if jumped is None:
                    return [], None, total
                state = jumped
            rows = self._window(s, plans, state, limit + 1)
        if len(rows) <= limit:
            return rows, None, total
        timestamp, event_id = rows[limit - 1].key
        return rows[:limit], Keyset(mark, state.cutoff, timestamp, event_id).encode(), total

    @staticmethod
    def _count(s: Session, plans: list[tuple[str, Any, list[Any]]], cutoff: datetime) -> int:
        return sum(s.exec(select(func.count()).select_from(model).where(*clauses, col(model.timestamp) <= cutoff))
                   .one() for _, model, clauses in plans)

    @staticmethod
    def _offset_state(s: Session, plans: list[tuple[str, Any, list[Any]]], state: Keyset,
                      offset: int) -> Keyset | None:
        """The key of the row just before position `offset`, as a cursor's."""
        if not plans:
            return None
        keys = [select(col(model.timestamp).label("timestamp"), col(model.id).label("id"))
                .where(*clauses, col(model.timestamp) <= state.cutoff) for _, model, clauses in plans]
        merged = union_all(*keys).subquery()
        boundary = s.exec(select(merged.c.timestamp, merged.c.id)
                          .order_by(merged.c.timestamp.desc(), merged.c.id.desc())
                          .offset(offset - 1).limit(1)).first()
        if boundary is None:
            return None
        timestamp, event_id = boundary
        if isinstance(timestamp, str):  # (a union hands SQLite's text back untyped)
            timestamp = datetime.fromisoformat(timestamp)
        timestamp = as_utc(timestamp)
        event = event_id if isinstance(event_id, UUID) else UUID(str(event_id))
        return Keyset(state.fingerprint, state.cutoff, timestamp, event)

    def feed_batches(self, filters: FeedFilters, *, size: int = 500) -> Iterator[list[FeedRow]]:
        """Every matching row, newest first, a batch at a time, each read in a transaction of its own (an export
        that is read slowly holds no transaction open)."""
        state = Keyset(filters.fingerprint(), self.cutoff())
        while True:
            with self.db.session() as s:
                rows = self._window(s, self._plans(s, filters), state, size)
            if rows:
                yield rows
            if len(rows) < size:
                return
            timestamp, event_id = rows[-1].key
            state = Keyset(state.fingerprint, state.cutoff, timestamp, event_id)
