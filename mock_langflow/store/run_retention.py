"""How many transactions and vertex builds Langflow keeps, and whether it keeps any.

Settings (every release): LANGFLOW_TRANSACTIONS_STORAGE_ENABLED and LANGFLOW_VERTEX_BUILDS_STORAGE_ENABLED (off:
none is written), LANGFLOW_MAX_TRANSACTIONS_TO_KEEP (per flow, 3000), LANGFLOW_MAX_VERTEX_BUILDS_PER_VERTEX (per
flow and vertex: 1.7.1's 2, later 50) and LANGFLOW_MAX_VERTEX_BUILDS_TO_KEEP (in all, 3000).

When the limits bite differs. 1.7.1 and 1.8 cut with each write (the newest of the flow's rows kept; a limit
under 1 keeps the one written, as SQLite reads the negative offset as none; per vertex and in all a limit of 0
keeps none, a negative one all). 1.13 hands its rows to a telemetry writer (LANGFLOW_TELEMETRY_WRITER_ENABLED,
on) whose sweeper wakes every LANGFLOW_TELEMETRY_WRITER_CLEANUP_INTERVAL_S seconds (60) and cuts the flows
written since its last wake to their limits (a limit of 0 keeps none, a negative one all); with the writer off it
cuts at each write as the older releases do. Every release also cuts at start-up, over all flows: the newest
LANGFLOW_MAX_TRANSACTIONS_TO_KEEP transactions stay, and each vertex id among the builds past the newest
LANGFLOW_MAX_VERTEX_BUILDS_TO_KEEP loses every build it has, in any flow (Langflow's start-up query compares
vertex ids, not build ids).

The mock has no sweeper and no per-write cut: a read of either table (and a data subject request, which counts
and erases them) first does what Langflow would have done by then, by the mock's clock, so no read shows a row
that Langflow would already have deleted, nor misses one it would still show. So the tables never grow far past
the limits, the write path also catches up after every CATCH_UP_WRITES writes (a sweep due counts at once).
A cut of SHRINK_AFTER_ROWS rows or more (a sweep after a busy minute, a start on a full data dir) then hands back
the memory it went through (Database.shrink).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlmodel import Session, col, select

from mock_langflow.clock import Clock, as_utc
from mock_langflow.store.db import Database, delete_rows, table_made
from mock_langflow.store.models import TRANSACTIONS, VERTEX_BUILDS

CATCH_UP_WRITES = 256
# a cut deleting this many rows or more went through enough pages to hand the memory they took back (Database.shrink)
SHRINK_AFTER_ROWS = 1000


@dataclass(frozen=True)
class RunRecordRules:
    """What a release with these settings keeps; `sweep_s`: 1.13's sweeper interval (None: each write cuts)."""

    transactions: bool = True
    builds: bool = True
    max_transactions: int = 3000
    max_builds: int = 3000
    max_builds_per_vertex: int = 50
    sweep_s: float | None = None


def _limit(n: int) -> int:
    """A LIMIT as SQLite reads it: a negative one is no limit (-1 says so to SQLite itself)."""
    return -1 if n < 0 else n


@dataclass
class RunRecordRetention:
    db: Database
    clock: Clock
    rules: RunRecordRules = field(default_factory=RunRecordRules)
    started: datetime = field(init=False)
    swept: int = field(init=False, default=0)  # the sweeper wakes done (1.13)
    writes: int = field(init=False, default=0)  # writes since the last catch-up
    # the flows written since the last cut, with their latest write's time: Langflow's sweeper's "dirty" flows
    tx_flows: dict[UUID, datetime] = field(init=False, default_factory=dict)
    build_flows: dict[UUID, datetime] = field(init=False, default_factory=dict)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)  # reads may come from worker threads

    def __post_init__(self) -> None:
        self.started = as_utc(self.clock.now())

    def wrote(self, flow_id: UUID | None, at: datetime, *, build: bool) -> None:
        """A row was written (deferred) for this flow at `at`."""
        if flow_id is None:
            return
        (self.build_flows if build else self.tx_flows)[flow_id] = as_utc(at)
        self.writes += 1
        if self.writes >= CATCH_UP_WRITES or self._due() > self.swept:
            self.catch_up()

    def _due(self) -> int:
        """The sweeper's wakes due by now (none without a sweeper; one more each time for one that never sleeps)."""
        if self.rules.sweep_s is None:
            return 0
        if self.rules.sweep_s <= 0:
            return self.swept + 1
        return int((as_utc(self.clock.now()) - self.started).total_seconds() // self.rules.sweep_s)

    def catch_up(self) -> None:
        """Before a read: every cut Langflow would have made by now and the mock has not."""
        self.writes = 0
        if not self.tx_flows and not self.build_flows:
            return
        if self.rules.sweep_s is None:
            until = None
        elif self.rules.sweep_s <= 0:  # a sweeper that never sleeps
            until = as_utc(self.clock.now())
        else:
            due = self._due()
            if due <= self.swept:
                return
            self.swept, until = due, self.started + timedelta(seconds=due * self.rules.sweep_s)
        with self._lock, self.db.session() as s:  # (the session's start writes what is deferred first)
            deleted = self._cut(s, until)
        self._hand_back(deleted)

    def _cut(self, s: Session, until: datetime | None) -> int:
        """Cut the written flows as a sweep at `until` would (None: as each write did, the older releases): their
        rows written by then. A flow also written after it stays to be cut by the next sweep (cutting one again
        changes nothing when none of its rows came in between). How many rows it deleted."""
        from mock_langflow.store.run_records import TransactionRow, VertexBuildRow

        rules = self.rules
        deleted = 0
        tx_flows, build_flows = list(self.tx_flows), list(self.build_flows)
        for flow_id in tx_flows:
            keep = _limit(rules.max_transactions) if until is not None else max(rules.max_transactions, 1)
            where = [TransactionRow.flow_id == flow_id, *self._before(TransactionRow, until)]
            kept = (select(TransactionRow.id).where(*where)
                    .order_by(col(TransactionRow.timestamp).desc(), col(TransactionRow.id).desc()).limit(keep))
            deleted += delete_rows(s, TransactionRow, *where, col(TransactionRow.id).not_in(kept))
            self._done(self.tx_flows, flow_id, until)
        for flow_id in build_flows:
            where = [VertexBuildRow.flow_id == flow_id, *self._before(VertexBuildRow, until)]
            for vertex_id in s.exec(select(VertexBuildRow.vertex_id).where(*where).distinct()).all():
                of_vertex = [*where, VertexBuildRow.vertex_id == vertex_id]
                kept = (select(VertexBuildRow.build_id).where(*of_vertex)
                        .order_by(*self._newest(VertexBuildRow)).limit(_limit(rules.max_builds_per_vertex)))
                deleted += delete_rows(s, VertexBuildRow, *of_vertex, col(VertexBuildRow.build_id).not_in(kept))
            self._done(self.build_flows, flow_id, until)
        if build_flows:
            before = self._before(VertexBuildRow, until)
            kept = (select(VertexBuildRow.build_id).where(*before).order_by(*self._newest(VertexBuildRow))
                    .limit(_limit(rules.max_builds)))
            deleted += delete_rows(s, VertexBuildRow, *before, col(VertexBuildRow.build_id).not_in(kept))
        return deleted

    @staticmethod
    def _done(flows: dict[UUID, datetime], flow_id: UUID, until: datetime | None) -> None:
        """A flow cut: written since? It stays for the next sweep."""
        at = flows.get(flow_id)
        if until is None or (at is not None and at <= until):
            flows.pop(flow_id, None)

    @staticmethod
    def _before(model: Any, until: datetime | None) -> list[Any]:
        return [] if until is None else [col(model.timestamp) <= until]

    @staticmethod
    def _newest(model: Any) -> tuple[Any, Any]:
        return col(model.timestamp).desc(), col(model.build_id).desc()

    def at_start(self) -> None:
        """Langflow's start-up cut, over every flow (a database this start made has nothing to cut)."""
        if self.db.new:
            return
        from mock_langflow.store.run_records import TransactionRow, VertexBuildRow

        deleted = 0
        with self.db.session() as s:
            if table_made(s, TRANSACTIONS):
                past = (select(TransactionRow.id).order_by(col(TransactionRow.timestamp).desc())
                        .limit(-1).offset(max(self.rules.max_transactions, 0)))
                deleted += delete_rows(s, TransactionRow, col(TransactionRow.id).in_(past))
            if table_made(s, VERTEX_BUILDS):
                past_vertices = (select(VertexBuildRow.vertex_id).order_by(col(VertexBuildRow.timestamp).desc())
                                 .limit(-1).offset(max(self.rules.max_builds, 0)))
                deleted += delete_rows(s, VertexBuildRow, col(VertexBuildRow.vertex_id).in_(past_vertices))
        self._hand_back(deleted)

    def _hand_back(self, deleted: int) -> None:
        """After a cut of `deleted` rows: a large one hands back the memory it went through."""
        if deleted >= SHRINK_AFTER_ROWS:
            self.db.shrink()

