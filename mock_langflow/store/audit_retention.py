"""1.13's audit retention: rows of the resource audit trail (audit_events) older than LANGFLOW_AUDIT_RETENTION_DAYS
and of the authorization audit log (authz_audit_log) older than LANGFLOW_AUTHZ_AUDIT_RETENTION_DAYS are deleted,
by their timestamp alone (a deleted flow, user or key keeps its rows until then); 0 (or less) keeps them forever.

Langflow sweeps both at start-up, then in two workers that sleep LANGFLOW_AUTHZ_AUDIT_CLEANUP_INTERVAL seconds
before each sweep: the trail's whenever its retention is on, the authorization log's only while that log records
(LANGFLOW_AUTHZ_AUDIT_ENABLED). The mock has no worker: a read of either store first does the sweeps Langflow's
workers would have done by then, by the mock's clock (the latest one due, with that tick's cutoff), so no read
shows a row that Langflow would already have deleted, nor misses one it would still show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, delete

from mock_langflow.clock import Clock, as_utc
from mock_langflow.store.db import Database, table_made
from mock_langflow.store.models import AUDIT_EVENTS

AUTHZ_AUDIT = "authz_audit_log"


@dataclass
class AuditRetention:
    db: Database
    clock: Clock
    resource_days: int = 90
    authz_days: int = 90
    interval_s: int = 86_400
    authz_worker: bool = False  # the authorization log's worker runs (auditing on and a retention)
    started: datetime = field(init=False)
    ticks: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.started = as_utc(self.clock.now())

    def at_start(self) -> None:
        """The start-up sweep, of both stores whatever the audit switches (rows written while one was on still
        age out). A new database holds neither table: nothing to do, nothing imported."""
        if not self.db.new:
            self._sweep(self.started, resource=True, authz=True)

    def catch_up(self) -> None:
        """Before a read: the latest worker sweep due by now, if it has not been done."""
        ticks = int((as_utc(self.clock.now()) - self.started).total_seconds() // self.interval_s)
        if ticks <= self.ticks:
            return
        self.ticks = ticks
        self._sweep(self.started + timedelta(seconds=ticks * self.interval_s), resource=True,
                    authz=self.authz_worker)

    def _sweep(self, at: datetime, *, resource: bool, authz: bool) -> None:
        wanted = {AUDIT_EVENTS: self.resource_days if resource else 0, AUTHZ_AUDIT: self.authz_days if authz else 0}
        with self.db.session() as s:
            for name, days in wanted.items():
                if days > 0 and table_made(s, name):  # (a store's module is imported only once its table exists)
                    model = _model(name)
                    s.exec(delete(model).where(col(model.timestamp) < at - timedelta(days=days)))


def _model(name: str) -> type[Any]:
    if name == AUDIT_EVENTS:
        from mock_langflow.store.audit_events import AuditEventRow

        return AuditEventRow
    from mock_langflow.store.authz import AuthzAuditRow

    return AuthzAuditRow
