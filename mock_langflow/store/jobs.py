"""Jobs and everything a run leaves behind for later reading: job events, vertex builds, transactions (their tables:
store/run_records.py, imported by the first method that reads or writes them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from sqlalchemy import func
from sqlalchemy.orm import object_session
from sqlmodel import col, delete, select, update

from mock_langflow.clock import Clock
from mock_langflow.engine.limits import within_limits
from mock_langflow.store.db import Database, sql_int
from mock_langflow.store.models import JobRow
from mock_langflow.store.run_retention import RunRecordRetention

if TYPE_CHECKING:
    from mock_langflow.store.run_records import JobEventRow, TransactionRow, VertexBuildRow

# The statuses of a job an idempotent retry returns (1.13: a run paused for a person too).
RETRY_RETURNS = ("queued", "in_progress", "suspended", "completed")
SUSPENDED = "suspended"  # a v2 background run waiting for a person's decision (1.13): neither running nor finished

TIMED_OUT = "timed_out"  # a v2 background job past LANGFLOW_BACKGROUND_JOB_TIMEOUT (1.13)
FINISHED = ("completed", "failed", "cancelled", TIMED_OUT)
END = "end"  # the event a reader queues behind a close (streaming/events.END)
INTERRUPTED = "Interrupted by a server restart"  # the error of a job a restart left unfinished
INPUT_TIMED_OUT = "No human input before the deadline"  # the error of a suspended job past its input deadline
QueueState = Literal["ready", "waiting", "empty"]
# The mode a v1 build's run's workflow job is kept under (1.13): none of the v2 API's, as Langflow keeps no request
# for it; no queue of Langflow's job queue goes with it
BUILD_RUN = "build"

# Which keys of a transaction's inputs and outputs Langflow (since 1.8) masks before storing them, at any depth:
# a key ending in one of these words (case aside), and two more spelled out; a key "code" is left out altogether.
SECRET_SUFFIX = re.compile(r"(?:api[_-]?key|password|secret|token|credential|auth|bearer|private[_-]?key"
                           r"|access[_-]?key)$", re.IGNORECASE)
SECRET_NAMES = frozenset({"passwd", "credentials"})
HIDDEN = "***REDACTED***"
SHOWN_ENDS = 4  # a secret longer than 12 characters keeps its first and last 4


@lru_cache(maxsize=4096)
def _secret(key: str) -> bool:
    """Whether Langflow masks this key's value. Remembered: every run logs the same few dozen keys."""
    return key.lower() in SECRET_NAMES or SECRET_SUFFIX.search(key) is not None


def masked(value: Any) -> Any:
    """A transaction's inputs or outputs as Langflow 1.8 and 1.13 store them: each secret-named key's value
    masked (a non-empty string longer than 12 characters as "<first 4>...<last 4>", anything else as
    ***REDACTED***), through nested objects and lists, and no "code" key."""
    if isinstance(value, list):
        return [masked(item) for item in value]
    if not isinstance(value, dict):
        return value
    kept: dict[str, Any] = {}
    for key, item in value.items():
        if key == "code":
            continue
        if _secret(key):
            long_text = isinstance(item, str) and len(item) > 3 * SHOWN_ENDS
            kept[key] = f"{item[:SHOWN_ENDS]}...{item[-SHOWN_ENDS:]}" if long_text else HIDDEN
        else:
            kept[key] = masked(item)
    return kept


# The JSON fields of a vertex build or transaction row that Langflow's serializer cuts (engine/limits.py)
CUT_FIELDS = ("data", "artifacts", "params", "inputs", "outputs")


def as_stored(rows: list[Any]) -> list[Any]:
    """Vertex build or transaction rows as Langflow gives them back: their JSON fields cut to the serializer's
    limits. Langflow cuts them as it writes them; the mock cuts them as it reads them (the same answers, and no
    run pays for the walk), on the rows read, never in the database: a row still in an open session leaves it
    first, or the session's commit would write the cut values back."""
    for row in rows:
        if (session := object_session(row)) is not None:
            session.expunge(row)
        for name in CUT_FIELDS:
            if hasattr(row, name):
                setattr(row, name, within_limits(getattr(row, name)))
    return rows


class Jobs:
    def __init__(self, db: Database, clock: Clock, retention: RunRecordRetention | None = None) -> None:
        """`retention`: which transactions and vertex builds are written and kept (store/run_retention.py)."""
        self.db, self.clock = db, clock
        self.retention = retention or RunRecordRetention(db, clock)

    # --- jobs -----------------------------------------------------------------------------------------

    def create(self, row: JobRow) -> JobRow:
        with self.db.session() as s:
            s.add(row)
        return row

    def get(self, job_id: UUID) -> JobRow | None:
        with self.db.session() as s:
            return s.get(JobRow, job_id)

    def by_idempotency_key(self, *, user_id: UUID, key: str) -> JobRow | None:
        """The caller's job with that key that a retry returns: one queued, running or completed (Langflow runs a
        failed or cancelled one again)."""
        with self.db.session() as s:
            return s.exec(select(JobRow).where(JobRow.user_id == user_id, JobRow.idempotency_key == key,
                                               col(JobRow.status).in_(RETRY_RETURNS))).first()

    def update(self, job_id: UUID, **changes: Any) -> JobRow | None:
        with self.db.session() as s:
            row = s.get(JobRow, job_id)
            if row is None:
                return None
            for key, value in changes.items():
                setattr(row, key, value)
            s.add(row)
            return row

    def finish(self, job_id: UUID, status: str, *, result: dict[str, Any] | None = None,
               error: str | None = None) -> None:
        """Move a job to a final status, unless it already has one (a stop that raced the end loses)."""
        with self.db.session() as s:
            row = s.get(JobRow, job_id)
            if row is None or row.status in FINISHED:
                return
            row.status, row.finished_at, row.result, row.error = status, self.clock.now(), result, error
            s.add(row)

    def suspend(self, job_id: UUID, checkpoint: dict[str, Any]) -> bool:
        """A running job paused for a person: suspended with what it goes on from, in one write (unless a stop
        finished it first)."""
        with self.db.session() as s:
            row = s.get(JobRow, job_id)
            if row is None or row.status in FINISHED:
                return False
            row.status, row.checkpoint = SUSPENDED, checkpoint
            s.add(row)
            return True

    def claim_suspended(self, job_id: UUID, to: str = "in_progress") -> bool:
        """Move a suspended job on (to `to`) if it still is suspended: True for the one caller that did it, as
        1.13's conditional update makes a resume (or a stop) single-use."""
        with self.db.session() as s:
            result = s.exec(update(JobRow).where(col(JobRow.id) == job_id, col(JobRow.status) == SUSPENDED)
                            .values(status=to))
            return bool(result.rowcount == 1)

    def overdue_suspended(self, by: datetime) -> list[UUID]:
        """The suspended jobs whose input deadline (checkpoint `input_deadline_at`) is `by` or earlier."""
        with self.db.session() as s:
            rows = s.exec(select(JobRow.id, JobRow.checkpoint).where(JobRow.status == SUSPENDED)).all()
        return [job_id for job_id, checkpoint in rows
                if (deadline := (checkpoint or {}).get("input_deadline_at")) and datetime.fromisoformat(deadline) <= by]

    def fail_suspended(self, job_id: UUID) -> bool:
        """Fail a suspended job whose input deadline passed, unless a resume or a stop took it first (True for
        the caller that failed it); what it would have gone on from goes, as 1.13 deletes its checkpoint."""
        if not self.claim_suspended(job_id, to="failed"):
            return False
        self.update(job_id, finished_at=self.clock.now(), error=INPUT_TIMED_OUT, checkpoint=None)
        return True

    def suspended(self, *, flow_id: UUID, user_id: UUID) -> list[JobRow]:
        """The user's suspended workflow jobs of the flow, oldest first."""
        with self.db.session() as s:
            return list(s.exec(select(JobRow).where(JobRow.kind == "workflow", JobRow.flow_id == flow_id,
                                                    JobRow.user_id == user_id, JobRow.status == SUSPENDED)
                               .order_by(col(JobRow.created_at))).all())

    def last_event(self, job_id: UUID, event: str) -> Any:
        """The data of the job's latest event of that name (None: it has none)."""
        from mock_langflow.store.run_records import JobEventRow

        with self.db.session() as s:
            row = s.exec(select(JobEventRow).where(JobEventRow.job_id == job_id, JobEventRow.event == event)
                         .order_by(col(JobEventRow.seq).desc())).first()
            return row.data if row is not None else None

    def live(self, kind: str, *, since: datetime) -> int:
        """The jobs of that kind still queued or running, and those that finished at or after `since`."""
        with self.db.session() as s:
            count = s.exec(select(func.count()).select_from(JobRow).where(JobRow.kind == kind).where(
                col(JobRow.finished_at).is_(None) | (col(JobRow.finished_at) >= since))).one()
        return int(count)

    def recover_interrupted(self) -> int:
        """Jobs left queued or running by a previous process can never finish: mark them failed."""
        with self.db.session() as s:
            rows = s.exec(select(JobRow).where(col(JobRow.status).in_(("queued", "in_progress")))).all()
            for row in rows:
                row.status, row.finished_at, row.error = "failed", self.clock.now(), INTERRUPTED
                s.add(row)
            return len(rows)

    # --- events ---------------------------------------------------------------------------------------

    def append(self, job_id: UUID, events: Sequence[tuple[str, Any]]) -> int:
        """Append events in order; returns the new event count."""
        from mock_langflow.store.run_records import JobEventRow

        with self.db.session() as s:
            count = s.exec(select(func.count()).select_from(JobEventRow).where(JobEventRow.job_id == job_id)).one()
            for offset, (event, data) in enumerate(events):
                s.add(JobEventRow(job_id=job_id, seq=count + offset, event=event, data=data))
            return int(count) + len(events)

    def events(self, job_id: UUID, *, after: int = -1) -> list[JobEventRow]:
        from mock_langflow.store.run_records import JobEventRow

        with self.db.session() as s:
            return list(s.exec(select(JobEventRow).where(JobEventRow.job_id == job_id, JobEventRow.seq > sql_int(after))
                               .order_by(col(JobEventRow.seq))).all())

    # --- a build job's queue: each event goes to one reader --------------------------------------------------

    def take(self, job_id: UUID, *, limit: int | None, closing: tuple[str, ...]) -> tuple[list[JobEventRow], bool]:
        """Hand out the job's next unread events (at most `limit`, None: all there are), and its close if this
        reader gets that far. The close follows the last event of a job whose status is in `closing`; it is handed
        out once, and nothing follows it but what a reader's poll queues after it."""
        from mock_langflow.store.run_records import JobEventRow

        with self.db.session() as s:
            job = s.get(JobRow, job_id)
            if job is None:
                return [], False
            query = (select(JobEventRow).where(JobEventRow.job_id == job_id, JobEventRow.seq >= sql_int(job.polled))
                     .order_by(col(JobEventRow.seq)))
            rows = list(s.exec(query if limit is None else query.limit(sql_int(limit))).all())
            job.polled += len(rows)
            closed = ((limit is None or len(rows) < limit) and job.status in closing
                      and not (job.drained or job.poll_ended))
            if closed:
                job.drained = True
                if job.ends_after_close:
                    count = s.exec(select(func.count()).select_from(JobEventRow)
                                   .where(JobEventRow.job_id == job_id)).one()
                    s.add_all(JobEventRow(job_id=job_id, seq=int(count) + i, event=END, data={})
                              for i in range(job.ends_after_close))
                    job.ends_after_close = None
            s.add(job)
            return rows, closed

    def end_after_close(self, job_id: UUID) -> None:
        """Queue an empty `end` behind the job's close, for whoever reads past it."""
        with self.db.session() as s:
            job = s.get(JobRow, job_id)
            if job is not None:
                job.ends_after_close = (job.ends_after_close or 0) + 1
                s.add(job)

    def queue_state(self, job_id: UUID, *, closing: tuple[str, ...]) -> QueueState:
        """What a reader of the job's queue finds: something to take ("ready": unread events, or the close), nothing
        yet ("waiting": the job still runs), or nothing ever again ("empty")."""
        from mock_langflow.store.run_records import JobEventRow

        with self.db.session() as s:
            job = s.get(JobRow, job_id)
            if job is None:
                return "empty"
            count = s.exec(select(func.count()).select_from(JobEventRow).where(JobEventRow.job_id == job_id)).one()
        if int(count) > job.polled or (job.status in closing and not (job.drained or job.poll_ended)):
            return "ready"
        return "empty" if job.status in FINISHED else "waiting"

    # --- vertex builds and transactions ---------------------------------------------------------------

    def add_vertex_build(self, *, build_id: UUID, flow_id: UUID, job_id: UUID | None, vertex_id: str,
                         timestamp: datetime, data: dict[str, Any] | None, artifacts: dict[str, Any] | None,
                         params: str | None, valid: bool) -> None:
        """One vertex's build (a VertexBuildRow), written with the next batch of deferred writes: every run logs
        one per vertex, and an ORM session of its own for each cost a /run more than the rest of its work. Empty
        params are kept as null, as every release's log_vertex_build does (str(params) if params else None); the
        serializer's cut is made as it is read (as_stored)."""
        from mock_langflow.store.run_records import INSERT_VERTEX_BUILD

        if not self.retention.rules.builds:
            return
        self.db.defer(INSERT_VERTEX_BUILD, {"build_id": build_id, "flow_id": flow_id, "job_id": job_id,
                                            "vertex_id": vertex_id, "timestamp": timestamp,
                                            "data": data, "artifacts": artifacts, "params": params or None,
                                            "valid": valid})
        self.retention.wrote(flow_id, timestamp, build=True)

    def vertex_builds(self, flow_id: UUID) -> dict[str, list[VertexBuildRow]]:
        """The latest build of each vertex (every build at a vertex's latest time), oldest first, by vertex: what
        Langflow's monitor lists, though it keeps older builds too."""
        from mock_langflow.store.run_records import VertexBuildRow

        self.retention.catch_up()
        latest = (select(VertexBuildRow.vertex_id, func.max(VertexBuildRow.timestamp).label("at"))
                  .where(VertexBuildRow.flow_id == flow_id).group_by(col(VertexBuildRow.vertex_id)).subquery())
        with self.db.session() as s:
            rows = s.exec(select(VertexBuildRow)
                          .join(latest, (col(VertexBuildRow.vertex_id) == latest.c.vertex_id)
                                & (col(VertexBuildRow.timestamp) == latest.c.at))
                          .where(VertexBuildRow.flow_id == flow_id)
                          .order_by(col(VertexBuildRow.timestamp))).all()
        grouped: dict[str, list[VertexBuildRow]] = {}
        for row in as_stored(list(rows)):
            grouped.setdefault(row.vertex_id, []).append(row)
        return grouped

    def run_builds(self, job_id: UUID) -> list[VertexBuildRow]:
        """Every vertex build logged under a run's id, oldest first (what 1.13 rebuilds a run's answer from)."""
        from mock_langflow.store.run_records import VertexBuildRow

        self.retention.catch_up()
        with self.db.session() as s:
            rows = s.exec(select(VertexBuildRow).where(VertexBuildRow.job_id == job_id)
                          .order_by(col(VertexBuildRow.timestamp))).all()
        return as_stored(list(rows))

    def delete_vertex_builds(self, flow_id: UUID) -> None:
        from mock_langflow.store.run_records import VertexBuildRow

        with self.db.session() as s:
            s.exec(delete(VertexBuildRow).where(VertexBuildRow.flow_id == flow_id))

    def add_transaction(self, *, id: UUID, flow_id: UUID | None, vertex_id: str, inputs: dict[str, Any],
                        outputs: dict[str, Any] | None, timestamp: datetime, error: str | None = None) -> None:
        """One vertex run (with an `error`: one whose component raised); written with the next batch of deferred
        writes (the serializer's cut of its inputs and outputs is made as it is read: as_stored)."""
        from mock_langflow.store.run_records import INSERT_TRANSACTION

        if not self.retention.rules.transactions:
            return
        self.db.defer(INSERT_TRANSACTION, {"id": id, "flow_id": flow_id, "vertex_id": vertex_id, "target_id": None,
                                           "inputs": inputs, "outputs": outputs,
                                           "status": "error" if error is not None else "success", "error": error,
                                           "timestamp": timestamp})
        self.retention.wrote(flow_id, timestamp, build=False)

    def transactions(self, flow_id: UUID, *, page: int, size: int) -> tuple[int, list[TransactionRow]]:
        from mock_langflow.store.run_records import TransactionRow

        self.retention.catch_up()
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(TransactionRow)
                           .where(TransactionRow.flow_id == flow_id)).one()
            rows = s.exec(select(TransactionRow).where(TransactionRow.flow_id == flow_id)
                          .order_by(col(TransactionRow.timestamp).desc())
                          .offset(sql_int((page - 1) * size)).limit(sql_int(size))).all()
        return int(total), as_stored(list(rows))

    def delete_for_flows(self, s: Any, flow_ids: Sequence[UUID]) -> None:
        from mock_langflow.store.run_records import TransactionRow, VertexBuildRow

        for model in (VertexBuildRow, TransactionRow):
            s.exec(delete(model).where(col(model.flow_id).in_(flow_ids)))
