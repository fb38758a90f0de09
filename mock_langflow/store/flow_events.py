"""1.13's flow event queue: events a client appends to a flow, read back by the editors polling it. Its table is
defined here, imported with the first event route (Store.flow_events), not at every start (store/models.py
LAZY_TABLE_MODULES)."""

from __future__ import annotations

from uuid import UUID

from sqlmodel import Field, col, select

from mock_langflow import errors
from mock_langflow.clock import Clock
from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.flow_events import FlowEventResponse
from mock_langflow.store.db import Database, queue_event
from mock_langflow.store.models import FLOW_EVENTS, FlowRow

# Langflow's FlowEventsService: an event expires a minute after it was added, a flow keeps its last 1000, and a
# flow whose last event is 10 s old counts as settled
TTL_SECONDS = 60.0
SETTLE_SECONDS = 10.0
MAX_EVENTS_PER_FLOW = 1000


class FlowEventRow(SQLShape, table=True):
    """1.13's flow event queue (GET/POST /api/v1/flows/{flow_id}/events): what changed a flow, for the editors
    that show it; each event lives a minute, as in Langflow's own SQLite queue."""

    __tablename__ = FLOW_EVENTS

    id: int | None = Field(default=None, primary_key=True)
    flow_id: UUID = Field(index=True)
    ts: float  # seconds since the epoch, as Langflow's `timestamp`
    type: str
    summary: str = ""


class FlowEvents:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    def check_flow(self, flow_id: UUID, *, user_id: UUID) -> None:
        """The caller's flow or an example (nobody's), as Langflow's events routes look it up; else 404."""
        with self.db.session() as s:
            owner = s.exec(select(FlowRow.id, FlowRow.user_id).where(FlowRow.id == flow_id)).first()
        if owner is None or owner[1] not in (None, user_id):
            raise errors.FlowNotFound()

    def append(self, flow_id: UUID, event_type: str, summary: str) -> FlowEventResponse:
        now = self.clock.now().timestamp()
        with self.db.session() as s:
            queue_event(s, FlowEventRow(flow_id=flow_id, ts=now, type=event_type, summary=summary),
                        expired=col(FlowEventRow.ts) < now - TTL_SECONDS, scope=(FlowEventRow.flow_id == flow_id,),
                        keep=MAX_EVENTS_PER_FLOW)
            s.commit()
        return FlowEventResponse(type=event_type, timestamp=now, summary=summary)

    def since(self, flow_id: UUID, since: float) -> tuple[list[FlowEventResponse], bool]:
        """The flow's live events after `since`, oldest first, and whether the flow is settled: no live event,
        a flow_settled among those after `since`, or the last one SETTLE_SECONDS old."""
        now = self.clock.now().timestamp()
        with self.db.session() as s:
            rows = s.exec(select(FlowEventRow).where(FlowEventRow.flow_id == flow_id,
                                                     col(FlowEventRow.ts) >= now - TTL_SECONDS)
                          .order_by(col(FlowEventRow.ts), col(FlowEventRow.id))).all()
        after = [FlowEventResponse(type=r.type, timestamp=r.ts, summary=r.summary) for r in rows if r.ts > since]
        if not rows:
            return [], True
        settled = any(e.type == "flow_settled" for e in after) or now - rows[-1].ts >= SETTLE_SECONDS
        return after, settled
