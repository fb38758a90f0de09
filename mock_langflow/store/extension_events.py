"""1.13's extension lifecycle events (GET /api/v1/extensions/events), the extension_event table: defined here and
imported on the first extensions route (Store.extension_events), not at every start (store/models.py
LAZY_TABLE_MODULES).

Langflow keeps them in a queue of its own (lfx's ExtensionEventsService): each event is kept 120 s, the 500 newest
at most, and a user's poll reads those of its own keyspace ("user:<id>") after a cursor, with `settled` true once
the newest is 10 s old (or there is none). The mock's only producer is a failed bundle reload (it installs no
extension): see routers/extension_handlers.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, col, select

from mock_langflow.clock import Clock
from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import Database, queue_event
from mock_langflow.store.models import EXTENSION_EVENTS

TTL_SECONDS = 120.0
SETTLE_SECONDS = 10.0
MAX_EVENTS = 500


class ExtensionEventRow(SQLShape, table=True):
    __tablename__ = EXTENSION_EVENTS

    id: int | None = Field(default=None, primary_key=True)
    keyspace: str = Field(index=True)
    ts: float
    type: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    expires_at: float


@dataclass(frozen=True)
class ExtensionEvent:
    type: str
    timestamp: float
    payload: dict[str, Any]


def user_keyspace(user_id: object) -> str:
    return f"user:{user_id}"


class ExtensionEvents:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self._clock = db, clock

    def _now(self) -> float:
        now: datetime = self._clock.now()
        return now.timestamp()

    def emit(self, event_type: str, payload: dict[str, Any], keyspace: str) -> None:
        """Queue an event, dropping the expired ones and all but the MAX_EVENTS newest."""
        now = self._now()
        with self.db.session() as s:
            queue_event(s, ExtensionEventRow(keyspace=keyspace, ts=now, type=event_type, payload=payload,
                                             expires_at=now + TTL_SECONDS),
                        expired=col(ExtensionEventRow.expires_at) < now, keep=MAX_EVENTS)

    def since(self, cursor: float, keyspace: str) -> tuple[list[ExtensionEvent], bool]:
        """The keyspace's live events after `cursor`, oldest first, and whether its newest is settled."""
        now = self._now()
        with self.db.session() as s:
            rows = s.exec(select(ExtensionEventRow)
                          .where(ExtensionEventRow.keyspace == keyspace, col(ExtensionEventRow.expires_at) >= now)
                          .order_by(col(ExtensionEventRow.ts), col(ExtensionEventRow.id))).all()
        if not rows:
            return [], True
        events = [ExtensionEvent(r.type, r.ts, r.payload) for r in rows if r.ts > cursor]
        return events, now - rows[-1].ts >= SETTLE_SECONDS
