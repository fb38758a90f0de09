"""1.13's data subject (GDPR) requests: the queue, its status machine, dry-run counts, exports and erasure, as
Langflow's services/data_subjects do them over the mock's tables. The table is defined here, imported with the
first data subject route (Store.data_subjects), not at every start (store/models.py LAZY_TABLE_MODULES).

Status machine: requested -> approved -> erasing -> done, or requested -> refused | withdrawn. Approving stops the
subject at once (a builder deactivated, their API keys deleted, their public flows made private, their live jobs
cancelled) and the erase runs its steps right after, each step in a transaction of its own (Langflow hands the
request to a background worker that runs the same steps in batches)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from sqlalchemy import JSON, func, or_, update
from sqlmodel import Field, Session, col, delete, select

from mock_langflow import errors
from mock_langflow.clock import Clock
from mock_langflow.engine.end_users import ANONYMOUS_PREFIX, SCOPE_SEPARATOR, message_owner
from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.data_subject_answers import (
    DataSubjectRequestPage,
    DataSubjectRequestRead,
    DryRunSummary,
    EndUserMatch,
    OwnDeletionRequestStatus,
)
from mock_langflow.schemas.data_subjects import OPEN_STATUSES
from mock_langflow.schemas.flows import AccessTypeEnum
from mock_langflow.store.db import Database, delete_rows, sql_int, table_made
from mock_langflow.store.flows import Flows
from mock_langflow.store.jobs import as_stored
from mock_langflow.store.models import (
    AUTHZ_ASSIGNMENTS,
    AUTHZ_AUDIT,
    AUTHZ_ROLES,
    AUTHZ_SHARES,
    AUTHZ_TEAM_MEMBERS,
    DATA_SUBJECT_REQUESTS,
    FLOW_VERSIONS,
    KB_CHUNKS,
    KB_RUNS,
    KNOWLEDGE_BASES,
    MB_INGESTIONS,
    MB_RUNS,
    MB_SESSIONS,
    MEMORY_BASES,
    POLICY_ACTIVE,
    POLICY_REVISIONS,
    REPLACEMENT_OPERATIONS,
    TRIGGER_EVENTS,
    TRIGGERS,
    ApiKeyRow,
    FileRow,
    FlowRow,
    FolderRow,
    JobRow,
    McpServerRow,
    MessageRow,
    UserRow,
    VariableRow,
)
from mock_langflow.store.run_records import JobEventRow, SpanRow, TraceRow, TransactionRow, VertexBuildRow

if TYPE_CHECKING:
    from mock_langflow.store.authz import Caller

BUILDER, END_USER = "builder", "end_user"
REQUESTED, APPROVED, ERASING, DONE, REFUSED, WITHDRAWN = (
    "requested", "approved", "erasing", "done", "refused", "withdrawn")
CLOSED_STATUSES = frozenset({DONE, REFUSED, WITHDRAWN})
# the dsar:* events of the authorization audit log (services/data_subjects/audit_events.py), about this resource
DSAR_RESOURCE = "data_subject_request"
REQUEST_EVENT, WITHDRAW_EVENT, APPROVE_EVENT, REFUSE_EVENT, FIND_EVENT, EXPORT_EVENT, ERASE_EVENT = (
    "dsar:request", "dsar:withdraw", "dsar:approve", "dsar:refuse", "dsar:find", "dsar:export", "dsar:erase")
NOT_ROWS = ("storage_locations", "retained_backups")  # an erase's counts that are no rows (rows_deleted)
# the expiry sweep's (services/data_subjects/expiry.py)
AUTO_APPROVAL_BLOCKED, EXPIRY_BATCH = "auto_approval_blocked", 50
# lfx's end-user identity: "<end user>::<session>" session ids, uuid5 message owners in this namespace
PUBLIC_PRINCIPAL = uuid5(NAMESPACE_URL, "urn:langflow:principal:anonymous-public")
MAX_END_USER_ID_LENGTH = 255
MAX_END_USER_FOLDER_BYTES = 145  # lfx end_user_storage: longer ids have no encoded SaveToFile folder
SESSIONS_SCANNED = 2000
LIVE_JOB_STATUSES = ("queued", "in_progress", "suspended")
_SAFE_SEGMENT = re.compile(r"[^A-Za-z0-9_.-]")
_RESERVED_SEGMENTS = frozenset({"flows", "profile_pictures", "knowledge_bases", "fs_sandbox", "alembic", "logs"})


class DataSubjectRequestRow(SQLShape, table=True):
    """One data subject request: the queue entry and the record of its erase (Langflow's data_subject_request).
    No foreign keys: the row outlives the account it erases."""

    __tablename__ = DATA_SUBJECT_REQUESTS

    id: UUID = Field(primary_key=True)
    subject_type: str
    subject_user_id: UUID = Field(index=True)
    # kept only while the request is open: erasing an end user needs the raw id
    subject_end_user_id: str | None = None
    subject_label: str | None = None
    scope_flow_ids: list[str] | None = Field(default=None, sa_type=JSON)
    source: str
    requested_by: UUID | None = None
    decided_by: UUID | None = None
    status: str = Field(default=REQUESTED, index=True)
    phase: str | None = None
    counts: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    error: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    refusal_note: str | None = None
    requested_at: datetime
    due_at: datetime
    decided_at: datetime | None = None
    finished_at: datetime | None = None


def refused(http_status: int, code: str, message: str, **details: Any) -> errors.DataSubjectRefused:
    return errors.DataSubjectRefused(http_status, code, message, **details)


def not_found(message: str) -> errors.DataSubjectRefused:
    return refused(404, "subject_not_found", message)


def invalid_transition(message: str, **details: Any) -> errors.DataSubjectRefused:
    return refused(409, "invalid_transition", message, **details)


class EndUser:
    """Every key under which one end user's data is stored: the id as sent, the message owner it maps to, and
    the prefix of their session ids."""

    def __init__(self, raw: str | None) -> None:
        value = (raw or "").strip()
        if not value:
            raise refused(422, "invalid_end_user_id", "end_user_id is required")
        if len(value) > MAX_END_USER_ID_LENGTH:
            raise refused(422, "invalid_end_user_id",
                          f"end_user_id must be at most {MAX_END_USER_ID_LENGTH} characters")
        if SCOPE_SEPARATOR in value:
            raise refused(422, "invalid_end_user_id",
                          f"end_user_id must not contain '{SCOPE_SEPARATOR}': its sessions cannot be told apart")
        if value == ANONYMOUS_PREFIX:
            raise refused(422, "invalid_end_user_id", "end_user_id must not be the anonymous session namespace")
        self.raw, self.owner = value, message_owner(value)
        self.prefix = value + SCOPE_SEPARATOR

    def sessions(self, column: Any) -> Any:
        """A session of theirs: "<id>::..." (LIKE, so ignoring ASCII case on SQLite, as Langflow's match does)."""
        return column.startswith(self.prefix, autoescape=True)

    def like(self) -> str:
        """The LIKE pattern of their sessions, escaped by backslash."""
        return "".join("\\" + c if c in "\\%_" else c for c in self.prefix) + "%"


def _in_scope(column: Any, scope: list[UUID]) -> list[Any]:
    return [col(column).in_(scope)] if scope else []


def _count(s: Session, model: Any, *where: Any) -> int:
    return int(s.exec(select(func.count()).select_from(model).where(*where)).one())


def _owned_flows(user_id: UUID) -> Any:
    return select(FlowRow.id).where(FlowRow.user_id == user_id)


def _transactions(end_user: EndUser, scope: list[UUID]) -> list[Any]:
    """A run record of the end user's sessions: the mock's records carry no run owner, so, as Langflow does for
    records written without one, by the session id of the vertex's inputs."""
    return [end_user.sessions(func.json_extract(TransactionRow.inputs, "$.session_id")),
            *_in_scope(TransactionRow.flow_id, scope)]


def _messages(end_user: EndUser, scope: list[UUID]) -> list[Any]:
    return [MessageRow.user_id == end_user.owner, end_user.sessions(col(MessageRow.session_id)),
            *_in_scope(MessageRow.flow_id, scope)]


def _jobs(end_user: EndUser, scope: list[UUID]) -> list[Any]:
    """A run recorded for the end user (its job's end_user_id, as 1.13's serving plane records it)."""
    return [func.json_extract(JobRow.request, "$.end_user_id") == end_user.raw, *_in_scope(JobRow.flow_id, scope)]


def _traces(end_user: EndUser, scope: list[UUID]) -> list[Any]:
    return [end_user.sessions(col(TraceRow.session_id)), *_in_scope(TraceRow.flow_id, scope)]


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False, indent=2)


class Archive:
    """A ZIP laid out as Langflow's data subject export: one JSON member per section, a manifest last."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, mode="w", compression=zipfile.ZIP_DEFLATED)
        self.sections: dict[str, int] = {}

    def json(self, member: str, value: Any, count: int = 1) -> None:
        self.zip.writestr(member, _json(value))
        self.sections[member] = count

    def rows(self, member: str, rows: list[dict[str, Any]]) -> None:
        self.json(member, rows, len(rows))

    def bytes(self, member: str, data: bytes) -> None:
        self.zip.writestr(member, data)
        self.sections[member] = 1

    def close(self, subject_type: str, actor_id: UUID | None, now: datetime) -> bytes:
        manifest = {"format": "langflow-data-subject-export/1", "subject_type": subject_type,
                    "generated_at": now.isoformat(), "generated_by": str(actor_id) if actor_id else None,
                    "contents": self.sections}
        self.zip.writestr("manifest.json", _json(manifest))
        self.zip.close()
        return self.buffer.getvalue()


class DataSubjects:
    def __init__(self, db: Database, clock: Clock, store: Any) -> None:
        self.db, self.clock, self.store = db, clock, store

    # --- reading -------------------------------------------------------------------------------------------

    def read(self, row: DataSubjectRequestRow) -> DataSubjectRequestRead:
        overdue = row.status not in CLOSED_STATUSES and row.due_at < self.clock.now()
        return DataSubjectRequestRead.model_validate({**row.model_dump(), "overdue": overdue})

    @staticmethod
    def own(row: DataSubjectRequestRow) -> OwnDeletionRequestStatus:
        """What a builder sees of their own request: none of the administrators' fields."""
        return OwnDeletionRequestStatus(id=row.id, status=row.status, requested_at=row.requested_at,
                                        decided_at=row.decided_at)

    def get(self, request_id: UUID) -> DataSubjectRequestRow:
        with self.db.session() as s:
            row = s.get(DataSubjectRequestRow, request_id)
        if row is None:
            raise refused(404, "request_not_found", "Data subject request not found")
        return row

    def page(self, *, statuses: list[str], open_only: bool, subject_type: str | None, skip: int,
             limit: int) -> DataSubjectRequestPage:
        where = []
        if statuses:
            where.append(col(DataSubjectRequestRow.status).in_(statuses))
        if open_only:
            where.append(col(DataSubjectRequestRow.status).in_(OPEN_STATUSES))
        if subject_type is not None:
            where.append(DataSubjectRequestRow.subject_type == subject_type)
        with self.db.session() as s:
            total = _count(s, DataSubjectRequestRow, *where)
            rows = s.exec(select(DataSubjectRequestRow).where(*where).order_by(
                col(DataSubjectRequestRow.requested_at).desc(), col(DataSubjectRequestRow.id))
                .offset(sql_int(skip)).limit(limit)).all()
        return DataSubjectRequestPage(total_count=total, requests=[self.read(row) for row in rows])

    def latest_own(self, user_id: UUID) -> DataSubjectRequestRow | None:
        with self.db.session() as s:
            return s.exec(select(DataSubjectRequestRow).where(
                DataSubjectRequestRow.subject_user_id == user_id, DataSubjectRequestRow.subject_type == BUILDER)
                .order_by(col(DataSubjectRequestRow.requested_at).desc()).limit(1)).first()

    # --- subjects ------------------------------------------------------------------------------------------

    def builder_id(self, user_id: UUID | None, username: str | None) -> UUID:
        """A builder named by id, or by username ignoring case (usernames are unique ignoring case)."""
        if user_id is not None:
            return user_id
        with self.db.session() as s:
            found = s.exec(select(UserRow.id).where(
                func.lower(UserRow.username) == (username or "").strip().lower())).first()
        if found is None:
            raise not_found("User not found")
        return found

    def builder(self, user_id: UUID, actor: UserRow) -> UserRow:
        subject = self.store.users.get(user_id)
        if subject is None:
            raise not_found("User not found")
        if subject.is_superuser and not actor.is_superuser:
            raise errors.Forbidden(errors.SUPERUSER_ERASES_SUPERUSER)
        return subject

    def end_user(self, raw: str | None) -> EndUser:
        """The end user's keys, refused when their message owner is an account or the public principal."""
        end_user = EndUser(raw)
        if end_user.owner == PUBLIC_PRINCIPAL:
            raise refused(422, "invalid_end_user_id", "end_user_id resolves to the shared public principal")
        if self.store.users.get(end_user.owner) is not None:
            raise refused(422, "invalid_end_user_id", "end_user_id resolves to an existing account id; erase that "
                                                      "account as a builder instead")
        return end_user

    def ensure_not_last_administrator(self, user: UserRow) -> None:
        if not user.is_superuser:
            return
        with self.db.session() as s:
            others = _count(s, UserRow, col(UserRow.is_superuser).is_(True), col(UserRow.is_active).is_(True),
                            UserRow.id != user.id)
        if not others:
            raise refused(409, "last_administrator", "The last active superuser cannot be erased")

    # --- dry runs --------------------------------------------------------------------------------------------

    def builder_dry_run(self, user: UserRow) -> DryRunSummary:
        uid = user.id
        with self.db.session() as s:
            shared = [name for (name,) in _sql(s, AUTHZ_SHARES, SHARED_FLOW_NAMES, uid) or ()]
            counts = {
                "flows": _count(s, FlowRow, FlowRow.user_id == uid),
                "shared_flows": len(shared),
                "projects": _count(s, FolderRow, FolderRow.user_id == uid),
                "messages": _count(s, MessageRow, or_(col(MessageRow.flow_id).in_(_owned_flows(uid)),
                                                      MessageRow.user_id == uid)),
                "files": _count(s, FileRow, FileRow.user_id == uid),
                "knowledge_bases": _sql_count(s, KNOWLEDGE_BASES, OWNED_BASES, uid),
                "variables": _count(s, VariableRow, VariableRow.user_id == uid),
                "api_keys": _count(s, ApiKeyRow, ApiKeyRow.user_id == uid),
            }
        summary = DryRunSummary(subject_type=BUILDER, counts=counts,
                                shared_flows=[str(name) for name in shared[:MAX_LISTED_SHARED_FLOWS]])
        try:
            self.ensure_not_last_administrator(user)
        except errors.DataSubjectRefused:
            summary.blocked_by = "last_administrator"
        return summary

    def end_user_dry_run(self, end_user: EndUser, scope: list[UUID]) -> DryRunSummary:
        self.store.jobs.retention.catch_up()  # (the transactions Langflow still keeps)
        messages = _messages(end_user, scope)
        with self.db.session() as s:
            flows = s.exec(select(func.count(func.distinct(MessageRow.flow_id))).where(*messages)).one()
            counts = {"messages": _count(s, MessageRow, *messages), "traces": _count(s, TraceRow, *_traces(
                end_user, scope)), "transactions": _count(s, TransactionRow, *_transactions(end_user, scope)),
                "runs": _count(s, JobRow, *_jobs(end_user, scope)), "flows": int(flows)}
        return DryRunSummary(subject_type=END_USER, counts=counts)

    def dry_run(self, row: DataSubjectRequestRow) -> DryRunSummary:
        if row.subject_type == BUILDER:
            user = self.store.users.get(row.subject_user_id)
            if user is None:
                raise not_found("The account no longer exists")
            return self.builder_dry_run(user)
        if not row.subject_end_user_id:
            raise invalid_transition("This request is closed")
        return self.end_user_dry_run(EndUser(row.subject_end_user_id), _scope(row))

    def search_end_users(self, term: str, limit: int) -> list[EndUserMatch]:
        """End-user ids (the "<id>::" prefix of stored sessions) containing `term`, ignoring case, with how many
        messages each has."""
        needle = term.strip().casefold()
        messages: Counter[str] = Counter()
        seen: set[str] = set()
        with self.db.session() as s:
            for column, counted in ((MessageRow.session_id, True), (TraceRow.session_id, False)):
                found = s.exec(select(column, func.count()).where(
                    col(column).icontains(term.strip(), autoescape=True), col(column).contains(SCOPE_SEPARATOR))
                               .group_by(column).limit(SESSIONS_SCANNED)).all()
                for session_id, count in found:
                    end_user_id = str(session_id).split(SCOPE_SEPARATOR, 1)[0]
                    if not end_user_id or end_user_id == ANONYMOUS_PREFIX or needle not in end_user_id.casefold():
                        continue
                    seen.add(end_user_id)
                    if counted:
                        messages[end_user_id] += count
        return [EndUserMatch(end_user_id=value, messages=messages[value]) for value in sorted(seen)[:limit]]

    # --- the queue -------------------------------------------------------------------------------------------

    def _open_for(self, s: Session, subject_user_id: UUID) -> DataSubjectRequestRow | None:
        return s.exec(select(DataSubjectRequestRow).where(
            DataSubjectRequestRow.subject_user_id == subject_user_id,
            col(DataSubjectRequestRow.status).in_(OPEN_STATUSES))).first()

    def _create(self, row: DataSubjectRequestRow, response_days: int,
                actor: Caller | None) -> tuple[DataSubjectRequestRow, bool]:
        now = self.clock.now()
        with self.db.session() as s:
            existing = self._open_for(s, row.subject_user_id)
            if existing is not None:
                return existing, False
            row.id = uuid4()
            row.requested_at = now.replace(microsecond=0)  # the database's clock, as Langflow's: whole seconds
            row.due_at = now + timedelta(days=response_days)
            s.add(row)
        self._event(REQUEST_EVENT, actor, row.requested_by, row.id, {
            "request_id": str(row.id), "subject_type": row.subject_type, "source": row.source})
        return row, True

    def create_builder(self, subject: UserRow, *, requested_by: UUID | None, source: str, response_days: int,
                       actor: Caller | None) -> tuple[DataSubjectRequestRow, bool]:
        return self._create(DataSubjectRequestRow(
            subject_type=BUILDER, subject_user_id=subject.id, subject_label=subject.username, source=source,
            requested_by=requested_by, requested_at=self.clock.now(), due_at=self.clock.now()), response_days,
            actor)

    def create_end_user(self, end_user_id: str | None, scope: list[UUID] | None, *, requested_by: UUID | None,
                        source: str, response_days: int, actor: Caller | None) -> tuple[DataSubjectRequestRow, bool]:
        end_user = self.end_user(end_user_id)
        return self._create(DataSubjectRequestRow(
            subject_type=END_USER, subject_user_id=end_user.owner, subject_end_user_id=end_user.raw,
            subject_label=end_user.raw, scope_flow_ids=[str(f) for f in scope] if scope else None, source=source,
            requested_by=requested_by, requested_at=self.clock.now(), due_at=self.clock.now()), response_days,
            actor)

    def drop(self, request_id: UUID) -> None:
        """Forget a request recorded by a call that then failed (POST /erase refused by a guard), with the events
        it staged in its transaction (with auditing on, Langflow's audit pipeline has written them already)."""
        with self.db.session() as s:
            delete_rows(s, DataSubjectRequestRow, DataSubjectRequestRow.id == request_id)
        if not self.store.authz.audit_enabled:
            self.store.authz.forget_resource(DSAR_RESOURCE, request_id)

    def _event(self, action: str, actor: Caller | None, user_id: UUID | None, request_id: UUID | None,
               details: dict[str, Any], result: str = "allow") -> None:
        """One dsar:* row of the authorization audit log, written whether auditing is on or not (Langflow's
        audit_events.record_dsar_event): `actor`, the request's caller (None: the erase, a background worker's);
        `user_id`, who acts."""
        obj = f"{DSAR_RESOURCE}:{request_id if request_id else '*'}"
        self.store.authz.always(actor, user_id, action, obj, result, details)

    @staticmethod
    def _require(row: DataSubjectRequestRow, *allowed: str) -> None:
        if row.status not in allowed:
            raise invalid_transition(f"A request in status '{row.status}' cannot do this", status=row.status)

    def _close(self, row: DataSubjectRequestRow, status: str) -> None:
        """A closed request keeps its label, ids, counts and times; the raw end-user id and scope go."""
        row.status, row.finished_at = status, self.clock.now()
        row.subject_end_user_id = row.scope_flow_ids = None

    def _save(self, row: DataSubjectRequestRow) -> DataSubjectRequestRow:
        with self.db.session() as s:
            s.merge(row)
        return row

    def refuse(self, row: DataSubjectRequestRow, actor_id: UUID, note: str | None,
               actor: Caller | None) -> DataSubjectRequestRow:
        self._require(row, REQUESTED)
        row.decided_by, row.decided_at, row.refusal_note = actor_id, self.clock.now(), note
        self._close(row, REFUSED)
        self._event(REFUSE_EVENT, actor, actor_id, row.id, {"request_id": str(row.id)})
        return self._save(row)

    def withdraw(self, row: DataSubjectRequestRow, actor_id: UUID, actor: Caller | None) -> DataSubjectRequestRow:
        self._require(row, REQUESTED)
        if row.subject_user_id != actor_id:
            raise invalid_transition("Only the person who asked can withdraw a request")
        self._close(row, WITHDRAWN)
        self._event(WITHDRAW_EVENT, actor, actor_id, row.id, {"request_id": str(row.id)})
        return self._save(row)

    def retry(self, row: DataSubjectRequestRow) -> DataSubjectRequestRow:
        self._require(row, APPROVED, ERASING)
        row.error = None
        return self._save(row)

    def approve(self, row: DataSubjectRequestRow, actor_id: UUID | None, actor: Caller | None, *,
                automatic: bool = False) -> DataSubjectRequestRow:
        """Stop the subject now and record what was approved (the request's counts); `erase` runs the steps. A
        guard's refusal leaves the request as it was, its denial audited. `automatic`: the expiry sweep's, with
        no approving administrator."""
        self._require(row, REQUESTED)
        if row.subject_user_id == actor_id:
            raise refused(403, "self_approval", "Another administrator must approve the deletion of your own account")
        try:
            stopped, approved = self._stop(row)
        except errors.DataSubjectRefused as exc:
            self._event(APPROVE_EVENT, actor, actor_id, row.id, {
                "request_id": str(row.id), "blocked_by": exc.detail["code"], "automatic": automatic}, "deny")
            raise
        row.status, row.decided_by, row.decided_at = APPROVED, actor_id, self.clock.now()
        row.counts, row.error = {"stopped": stopped, "approved": approved}, None
        self._event(APPROVE_EVENT, actor, actor_id, row.id, {
            "request_id": str(row.id), "subject_type": row.subject_type, "automatic": automatic})
        return self._save(row)

    def sweep_expired(self) -> None:
        """1.13's expiry sweep (LANGFLOW_DATA_SUBJECT_AUTO_ERASE_ON_EXPIRY), in due-date order, at most 50 a pass:
        a request still waiting past its due date is approved with no approving administrator and erased; one a
        guard refuses stays waiting with the block in its `error`, and no later pass takes it up again."""
        with self.db.session() as s:
            rows = list(s.exec(select(DataSubjectRequestRow).where(
                DataSubjectRequestRow.status == REQUESTED, col(DataSubjectRequestRow.due_at) <= self.clock.now())
                .order_by(col(DataSubjectRequestRow.due_at), col(DataSubjectRequestRow.id))).all())
        for row in [r for r in rows if not (r.error or {}).get(AUTO_APPROVAL_BLOCKED)][:EXPIRY_BATCH]:
            try:
                self.approve(row, None, None, automatic=True)
            except errors.DataSubjectRefused as exc:
                row.error = {AUTO_APPROVAL_BLOCKED: True, "code": exc.detail["code"], "message": exc.detail["message"]}
                self._save(row)
                continue
            self.erase(row.id)

    def _stop(self, row: DataSubjectRequestRow) -> tuple[dict[str, int], dict[str, int]]:
        """An approval's phase 1 once its guards pass: (what was stopped, what the erase is approved to take)."""
        if row.subject_type == BUILDER:
            user = self.store.users.get(row.subject_user_id)
            if user is None:
                raise not_found("The account no longer exists")
            self.ensure_not_last_administrator(user)
            row.subject_label = user.username
            approved = self.builder_dry_run(user).counts
            stopped = self._stop_builder(user.id)
        else:
            if row.subject_end_user_id is None:
                raise not_found("The end-user id of this request is no longer available")
            approved = self.end_user_dry_run(EndUser(row.subject_end_user_id), _scope(row)).counts
            with self.db.session() as s:
                stopped = {"jobs_cancelled": self._stop_jobs(s, *_jobs(EndUser(row.subject_end_user_id), _scope(row)))}
        return stopped, approved

    def _stop_builder(self, user_id: UUID) -> dict[str, int]:
        """Deactivate the account and close every way in that runs as it, in one transaction."""
        with self.db.session() as s:
            s.exec(update(UserRow).where(col(UserRow.id) == user_id).values(is_active=False))
            keys = delete_rows(s, ApiKeyRow, ApiKeyRow.user_id == user_id)
            public = s.exec(update(FlowRow).where(col(FlowRow.user_id) == user_id, col(FlowRow.access_type) ==
                                                  AccessTypeEnum.PUBLIC).values(access_type=AccessTypeEnum.PRIVATE))
            # their flows' public shares, and their triggers with their ledgers (1.13's stop_builder)
            _sql(s, AUTHZ_SHARES, f'DELETE FROM "{AUTHZ_SHARES}" WHERE resource_type = \'flow\' AND scope = '  # nosec B608
                                  f'\'public\' AND resource_id IN (SELECT id FROM "{FLOWS}" WHERE user_id = :uid)',
                 user_id)
            _sql(s, TRIGGER_EVENTS, f'DELETE FROM "{TRIGGER_EVENTS}" WHERE trigger_id IN (SELECT id FROM '  # nosec B608
                                    f'"{TRIGGERS}" WHERE user_id = :uid)', user_id)
            triggers = _sql_done(s, TRIGGERS, f'DELETE FROM "{TRIGGERS}" WHERE user_id = :uid', user_id)  # nosec B608
            jobs = self._stop_jobs(s, or_(JobRow.user_id == user_id, col(JobRow.flow_id).in_(_owned_flows(user_id))))
        self.store.users.forget()
        return {"triggers": triggers, "api_keys": keys, "public_flows": int(public.rowcount or 0),
                "jobs_cancelled": jobs}

    def _stop_jobs(self, s: Session, *where: Any) -> int:
        """Cancel the live jobs matching `where` (so none writes after the erase): how many."""
        jobs = s.exec(update(JobRow).where(*where, col(JobRow.status).in_(LIVE_JOB_STATUSES))
                      .values(status="cancelled", finished_at=self.clock.now()))
        return int(jobs.rowcount or 0)

    # --- what the routes do (routers/data_subjects.py) -------------------------------------------------------

    def create(self, ref: Any, user: UserRow, actor: Caller | None, *, source: str,
               days: int) -> tuple[DataSubjectRequestRow, bool]:
        """A request for the subject `ref` names (a DataSubjectRef): the open one, or a new one (True)."""
        if ref.subject_type == BUILDER:
            subject = self.builder(self.builder_id(ref.user_id, ref.username), user)
            return self.create_builder(subject, requested_by=user.id, source=source, response_days=days,
                                       actor=actor)
        return self.create_end_user(ref.end_user_id, ref.flow_ids, requested_by=user.id, source=source,
                                    response_days=days, actor=actor)

    def find(self, ref: Any, user: UserRow, actor: Caller | None) -> DryRunSummary:
        if ref.subject_type == BUILDER:
            found = self.builder_dry_run(self.builder(self.builder_id(ref.user_id, ref.username), user))
        else:
            found = self.end_user_dry_run(self.end_user(ref.end_user_id), list(ref.flow_ids or ()))
        self._event(FIND_EVENT, actor, user.id, None, {"subject_type": ref.subject_type})
        return found

    def find_end_users(self, term: str, limit: int, user: UserRow, actor: Caller | None) -> list[EndUserMatch]:
        found = self.search_end_users(term, limit)
        self._event(FIND_EVENT, actor, user.id, None, {"subject_type": END_USER})
        return found

    def approve_and_erase(self, request_id: UUID, user: UserRow, actor: Caller | None) -> DataSubjectRequestRead:
        """The request as approved; its erase has run by the time this returns."""
        row = self.get(request_id)
        if row.subject_type == BUILDER:
            self.builder(row.subject_user_id, user)
        answer = self.read(self.approve(row, user.id, actor))
        self.erase(row.id)
        return answer

    def erase_subject(self, ref: Any, user: UserRow, actor: Caller | None, *, source: str,
                      days: int) -> DataSubjectRequestRead:
        """Record and approve in one call; a request this call recorded goes again when a guard refuses."""
        row, created = self.create(ref, user, actor, source=source, days=days)
        return self._approve_at_once(row, created, user, actor)

    def delete_account(self, subject: UserRow, user: UserRow, actor: Caller | None, *, days: int) -> UUID:
        """DELETE /api/v1/users/{id} (1.13): an administrator's erase of the account, recorded (source `admin`,
        or the subject's open request) and approved in one call, as POST /erase does; the request's id."""
        row, created = self.create_builder(subject, requested_by=user.id, source="admin", response_days=days,
                                           actor=actor)
        self._approve_at_once(row, created, user, actor)
        return row.id

    def _approve_at_once(self, row: DataSubjectRequestRow, created: bool, user: UserRow,
                         actor: Caller | None) -> DataSubjectRequestRead:
        if row.status != REQUESTED:
            return self.read(row)
        try:
            answer = self.read(self.approve(row, user.id, actor))
        except errors.DataSubjectRefused:
            if created:
                self.drop(row.id)
            raise
        self.erase(row.id)
        return answer

    def export(self, request_id: UUID, user: UserRow, actor: Caller | None) -> tuple[bytes, str]:
        """The subject's data as a ZIP and its file name, while the request is open and not erasing."""
        row = self.get(request_id)
        if row.status not in OPEN_STATUSES or row.status == ERASING:
            raise invalid_transition("Export is available until the erase starts")
        if row.subject_type == BUILDER:
            archive = self.export_builder(self.builder(row.subject_user_id, user), user.id)
        else:
            archive = self.export_end_user(EndUser(row.subject_end_user_id), _scope(row), user.id)
        self._event(EXPORT_EVENT, actor, user.id, row.id, {"request_id": str(row.id),
                                                            "subject_type": row.subject_type})
        return archive, f"data-subject-{row.id}.zip"

    def export_own(self, user: UserRow, actor: Caller | None) -> bytes:
        """/users/me/data-export: the caller's own data."""
        archive = self.export_builder(user, user.id)
        self._event(EXPORT_EVENT, actor, user.id, None, {"subject_type": BUILDER, "source": "self"})
        return archive

    def own_latest(self, user_id: UUID) -> OwnDeletionRequestStatus:
        row = self.latest_own(user_id)
        if row is None:
            raise errors.NotFound(errors.NO_DELETION_REQUEST)
        return self.own(row)

    def ask_own(self, user: UserRow, days: int, actor: Caller | None) -> tuple[OwnDeletionRequestStatus, bool]:
        self.ensure_not_last_administrator(user)
        row, created = self.create_builder(user, requested_by=user.id, source="self", response_days=days,
                                           actor=actor)
        return self.own(row), created

    def withdraw_own(self, user_id: UUID, actor: Caller | None) -> OwnDeletionRequestStatus:
        row = self.latest_own(user_id)
        if row is None or row.status not in OPEN_STATUSES:
            raise errors.NotFound(errors.NO_PENDING_DELETION_REQUEST)
        return self.own(self.withdraw(row, user_id, actor))

    # --- the erase ---------------------------------------------------------------------------------------------

    def erase(self, request_id: UUID) -> None:
        """Run an approved request's steps, each in a transaction of its own, then (a builder) the account, and
        close it as done."""
        self.store.jobs.retention.catch_up()  # (what it counts as erased is what Langflow still keeps)
        row = self.get(request_id)
        row.status, row.phase = ERASING, "rows"
        self._save(row)
        end_user = EndUser(row.subject_end_user_id) if row.subject_end_user_id else None
        scope = _scope(row)
        counts = dict(row.counts or {})
        steps = END_USER_STEPS if end_user is not None else BUILDER_STEPS
        blobs: list[str] = []
        for name, step in steps:
            done = 0
            if step is not None:
                with self.db.session() as s:
                    done = step(self, s, row.subject_user_id, end_user, scope, blobs)
            counts[name] = int(counts.get(name, 0)) + done
        self.store.files.blobs.remove(blobs)
        counts["storage_locations"] = self._storage_plan(row, end_user, counts)
        counts["retained_backups"] = 0
        if end_user is None:
            with self.db.session() as s:
                user = s.get(UserRow, row.subject_user_id)
                if user is not None:
                    s.delete(user)
            self.store.users.forget()
        row.counts, row.phase, row.error = counts, None, None
        self._close(row, DONE)
        self._save(row)
        rows = sum(v for k, v in counts.items() if isinstance(v, int) and k not in NOT_ROWS)
        self._event(ERASE_EVENT, None, row.decided_by, row.id, {
            "request_id": str(row.id), "subject_type": row.subject_type, "rows_deleted": rows,
            "paths_deleted": int(counts.get("storage_locations", 0)),
            "rows_redacted": int(counts.get("audit_redaction", 0)),
            "backups_not_reached": int(counts.get("retained_backups", 0))})

    @staticmethod
    def _storage_plan(row: DataSubjectRequestRow, end_user: EndUser | None, counts: dict[str, Any]) -> int:
        """How many places outside the database Langflow's plan names: a builder's storage namespace and each
        flow's, their flows folder and file sandbox; an end user's sandbox and SaveToFile folders (one marker
        when the request is scoped to some flows). The mock keeps no such places but uploaded files."""
        if end_user is None:
            return 3 + int(counts.get("approved", {}).get("flows", 0))
        if row.scope_flow_ids:
            return 1
        segment = _SAFE_SEGMENT.sub("_", end_user.raw).strip("._")
        legacy = bool(segment) and segment not in _RESERVED_SEGMENTS and not _is_uuid(segment)
        return 1 + (len(end_user.raw.encode()) <= MAX_END_USER_FOLDER_BYTES) + legacy

    # --- exports -----------------------------------------------------------------------------------------------

    def export_builder(self, user: UserRow, actor_id: UUID | None) -> bytes:
        from mock_langflow.engine.scrubbing import exported_graph  # noqa: PLC0415 (the engine imports the store)

        archive = Archive()
        archive.json("account.json", {
            "id": user.id, "username": user.username, "is_active": user.is_active, "is_superuser": user.is_superuser,
            "created_at": user.create_at, "updated_at": user.updated_at, "last_login_at": user.last_login_at,
            "sso_profiles": []})
        with self.db.session() as s:
            folders = s.exec(select(FolderRow).where(FolderRow.user_id == user.id).order_by(col(FolderRow.id))).all()
            variables = s.exec(select(VariableRow).where(VariableRow.user_id == user.id)
                               .order_by(col(VariableRow.id))).all()
            keys = s.exec(select(ApiKeyRow).where(ApiKeyRow.user_id == user.id).order_by(col(ApiKeyRow.id))).all()
            flows = s.exec(select(FlowRow).where(FlowRow.user_id == user.id).order_by(col(FlowRow.id))).all()
            files = s.exec(select(FileRow).where(FileRow.user_id == user.id).order_by(col(FileRow.id))).all()
        archive.rows("projects.json", [{"id": f.id, "name": f.name, "description": f.description} for f in folders])
        archive.rows("variables.json", [{"name": v.name, "type": v.type} for v in variables])
        archive.rows("api_keys.json", [{"name": k.name, "created_at": k.created_at, "last_used_at": k.last_used_at}
                                       for k in keys])
        known = frozenset(v.name for v in variables)
        for flow in flows:
            archive.json(f"flows/{flow.id}.json", {"id": flow.id, "name": flow.name, "description": flow.description,
                                                   "data": exported_graph(flow.data, known) if flow.data else None})
        archive.rows("files.json", [{"name": f.name, "size": f.size, "created_at": f.created_at} for f in files])
        for stored in files:
            data = self.store.files.blobs.read(stored.blob)
            if data is not None:
                name = stored.name.replace("\\", "/").rsplit("/", 1)[-1] or "file"
                archive.bytes(f"files/{stored.id}_{name}", data)
        return archive.close(BUILDER, actor_id, self.clock.now())

    def export_end_user(self, end_user: EndUser, scope: list[UUID], actor_id: UUID | None) -> bytes:
        self.store.jobs.retention.catch_up()
        archive = Archive()
        with self.db.session() as s:
            messages = s.exec(select(MessageRow).where(*_messages(end_user, scope))
                              .order_by(col(MessageRow.timestamp))).all()
            traces = s.exec(select(TraceRow).where(*_traces(end_user, scope)).order_by(col(TraceRow.start_time))).all()
            runs = as_stored(list(s.exec(select(TransactionRow).where(*_transactions(end_user, scope))
                                         .order_by(col(TransactionRow.timestamp))).all()))
        archive.rows("messages.json", [{"timestamp": m.timestamp, "sender": m.sender, "text": m.text,
                                        "session_id": m.session_id, "flow_id": m.flow_id, "files": m.files}
                                       for m in messages])
        archive.rows("traces.json", [{"name": t.name, "status": t.status, "start_time": t.start_time,
                                      "session_id": t.session_id} for t in traces])
        archive.rows("transactions.json", [
            {"timestamp": t.timestamp, "flow_id": t.flow_id, "vertex_id": t.vertex_id,
             "session_id": (t.inputs or {}).get("session_id"), "status": t.status, "inputs": t.inputs,
             "outputs": t.outputs, "error": t.error} for t in runs])
        return archive.close(END_USER, actor_id, self.clock.now())


def _scope(row: DataSubjectRequestRow) -> list[UUID]:
    return [UUID(value) for value in row.scope_flow_ids or []]


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


# --- the erase's steps: each deletes one kind of the subject's rows and says how many ---------------------------


def _erase_flows(ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID],
                 _b: list[str]) -> int:
    """The flows the builder owns with their history (messages, builds, runs, traces, kept versions)."""
    deleted = Flows.delete(s, list(s.exec(_owned_flows(uid)).all()), user_id=uid)
    ds.store.delete_flow_data(s, deleted, files=False)  # (their v1 files are the builder's: the files step)
    return len(deleted)


def _erase_jobs(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID],
                _b: list[str]) -> int:
    """The builder's jobs: their runs', and their knowledge-base ingestions (each one of Langflow's jobs, which
    outlive the base; its IngestionRun table is never written, so the ingestion_runs step counts none)."""
    jobs = select(JobRow.id).where(JobRow.user_id == uid)
    delete_rows(s, JobEventRow, col(JobEventRow.job_id).in_(jobs))
    ingestions = _sql_done(s, KB_RUNS, f'DELETE FROM "{KB_RUNS}" WHERE user_id = :uid', uid)  # nosec B608
    return delete_rows(s, JobRow, JobRow.user_id == uid) + ingestions


def _erase_files(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID],
                 blobs: list[str]) -> int:
    blobs.extend(s.exec(select(FileRow.blob).where(FileRow.user_id == uid)).all())
    return delete_rows(s, FileRow, FileRow.user_id == uid)


def _by_user(model: Any) -> Any:
    def step(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID], _b: list[str]) -> int:
        return delete_rows(s, model, model.user_id == uid)

    return step


def _erase_folders(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID],
                   _b: list[str]) -> int:
    folders = select(FolderRow.id).where(FolderRow.user_id == uid)
    # other people's flows moved into one of the builder's projects stay, in none
    s.exec(update(FlowRow).where(col(FlowRow.folder_id).in_(folders)).values(folder_id=None))
    return delete_rows(s, FolderRow, FolderRow.user_id == uid)


def _end_user_rows(model: Any, where: Callable[[EndUser, list[UUID]], list[Any]],
                   children: tuple[Any, Any] | None = None) -> Any:
    """An end user's erase step: the rows of `model` `where` finds, after the rows whose column `children[0]`
    names one of theirs by `children[1]` (a trace's spans, a job's events)."""
    def step(_ds: DataSubjects, s: Session, _uid: UUID, end_user: EndUser | None, scope: list[UUID],
             _b: list[str]) -> int:
        if end_user is None:  # (END_USER_STEPS run for an end user only)
            raise RuntimeError("an end user's erase step without an end user")
        if children is not None:
            child, key = children
            delete_rows(s, child.class_, col(child).in_(select(key).where(*where(end_user, scope))))
        return delete_rows(s, model, *where(end_user, scope))

    return step


def _builds(end_user: EndUser, scope: list[UUID]) -> list[Any]:
    """A vertex build logged under one of the end user's runs' jobs."""
    return [col(VertexBuildRow.job_id).in_(select(JobRow.id).where(*_jobs(end_user, scope)))]


def _erase_connections(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID],
                       _b: list[str]) -> int:
    from mock_langflow.store.connections import erase_owned

    return erase_owned(s, uid)


# --- the steps over the tables a feature makes on its first use, by name (nothing to do before it) -------------
# (the names are the mock's own constants, and :uid the subject's id as the tables store it: 32 hex digits)


def _sql(s: Session, table: str, statement: str, uid: UUID, **params: str) -> Any:
    """The statement's result, None while `table` is not made."""
    if not table_made(s, table):
        return None
    return s.connection().exec_driver_sql(statement, {"uid": uid.hex, **params})


def _sql_done(s: Session, table: str, statement: str, uid: UUID, **params: str) -> int:
    """How many rows the statement (a DELETE or UPDATE) changed: 0 while `table` is not made."""
    done = _sql(s, table, statement, uid, **params)
    return int(done.rowcount or 0) if done is not None else 0


def _sql_count(s: Session, table: str, where: str, uid: UUID, **params: str) -> int:
    found = _sql(s, table, f'SELECT count(*) FROM "{table}" WHERE {where}', uid, **params)  # nosec B608
    return int(found.scalar_one()) if found is not None else 0


def _rows(table: str, where: str, *, change: str | None = None) -> Any:
    """A step that deletes the rows of `table` that `where` picks or, with `change` (a SET clause), changes
    them; their number."""
    statement = (f'UPDATE "{table}" SET {change} WHERE {where}' if change  # nosec B608
                 else f'DELETE FROM "{table}" WHERE {where}')  # nosec B608

    def step(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID], _b: list[str]) -> int:
        return _sql_done(s, table, statement, uid)

    return step


def _clear(table: str, column: str) -> Any:
    """Langflow's clear_reference: the rows stay, the person is no longer named in `column`."""
    return _rows(table, f"{column} = :uid", change=f"{column} = NULL")


def _scoped_bases(scope: list[UUID]) -> tuple[str, dict[str, str]]:
    """The memory bases an end user's erase walks (of the flows it is scoped to, else every one), and their
    parameters."""
    marks = {f"f{i}": flow_id.hex for i, flow_id in enumerate(scope)}
    where = f" WHERE flow_id IN ({', '.join(':' + m for m in marks)})" if scope else ""
    return f'SELECT id FROM "{MEMORY_BASES}"{where}', marks  # nosec B608


def _memory_rows(table: str) -> Any:
    """An end user's rows of a memory-base table: their sessions' ("<id>::...", as Langflow's LIKE matches them)
    in the memory bases in scope."""
    def step(_ds: DataSubjects, s: Session, uid: UUID, end_user: EndUser | None, scope: list[UUID],
             _b: list[str]) -> int:
        if end_user is None:  # (END_USER_STEPS run for an end user only)
            raise RuntimeError("an end user's erase step without an end user")
        bases, marks = _scoped_bases(scope)
        return _sql_done(s, table, f'DELETE FROM "{table}" WHERE session_id LIKE :pattern ESCAPE \'\\\' '  # nosec B608
                                   f'AND memory_base_id IN ({bases})', uid, pattern=end_user.like(), **marks)

    return step


def _erase_memory_vectors(_ds: DataSubjects, s: Session, uid: UUID, end_user: EndUser | None, scope: list[UUID],
                          _b: list[str]) -> int:
    """Langflow purges the end user's chunks (those ingested from their sessions carry their id) from each memory
    base in scope and restates its base, counting each base it visits; its final pass visits every one again:
    each counts twice."""
    if end_user is None:  # (END_USER_STEPS run for an end user only)
        raise RuntimeError("an end user's erase step without an end user")
    if table_made(s, MEMORY_BASES) and table_made(s, KB_CHUNKS):
        from mock_langflow.store.knowledge_bases import KbChunkRow, KnowledgeBaseRow, KnowledgeBases
        from mock_langflow.store.memories import MESSAGE_CHUNKING, MemoryBaseRow

        bases = s.exec(select(KnowledgeBaseRow).join(MemoryBaseRow, (MemoryBaseRow.user_id == KnowledgeBaseRow.user_id)
                                                     & (MemoryBaseRow.kb_name == KnowledgeBaseRow.name))
                       .where(*_in_scope(MemoryBaseRow.flow_id, scope))).all()
        for kb in bases:
            s.exec(delete(KbChunkRow).where(KbChunkRow.kb_id == kb.id,
                                            func.json_extract(KbChunkRow.meta, "$.end_user_id") == end_user.raw))
            s.flush()
            KnowledgeBases.restat(s, kb, chunking=MESSAGE_CHUNKING, kinds=set(), error=None)
    sql, marks = _scoped_bases(scope)
    return 2 * _sql_count(s, MEMORY_BASES, f"id IN ({sql})", uid, **marks)


def _catalog_rule_creators(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID],
                           _b: list[str]) -> int:
    """Langflow keeps a catalog rule per component or template key the active policy bundle blocks, made by the
    write that blocked it last (since it was last unblocked); the mock reads those writes off the revisions.
    How many of them the person made (their names go with the revisions' authors, the next step)."""
    found = _sql(s, POLICY_REVISIONS, f'SELECT blocked_component_keys, blocked_template_keys, created_by FROM '  # nosec B608
                                      f'"{POLICY_REVISIONS}" WHERE revision <= (SELECT revision FROM '
                                      f'"{POLICY_ACTIVE}" WHERE id = 1) ORDER BY revision', uid)
    revisions = [(set(json.loads(c or "[]")), set(json.loads(t or "[]")), who) for c, t, who in found or ()]
    made = 0
    for kind in (0, 1):
        for key in revisions[-1][kind] if revisions else ():
            first = len(revisions) - 1
            while first > 0 and key in revisions[first - 1][kind]:
                first -= 1
            made += revisions[first][2] == uid.hex
    return made


def _erase_knowledge_bases(_ds: DataSubjects, s: Session, uid: UUID, _e: EndUser | None, _sc: list[UUID],
                           _b: list[str]) -> int:
    """The builder's knowledge bases (those of their memory bases went with their flows) and their chunks; their
    ingestions stay for the jobs step, as Langflow's jobs outlive the base."""
    _sql(s, KB_CHUNKS, f'DELETE FROM "{KB_CHUNKS}" WHERE kb_id IN (SELECT id FROM "{KNOWLEDGE_BASES}" '  # nosec B608
                       f'WHERE {OWNED_BASES})', uid)
    return _sql_done(s, KNOWLEDGE_BASES, f'DELETE FROM "{KNOWLEDGE_BASES}" WHERE {OWNED_BASES}', uid)  # nosec B608


FLOWS, FOLDERS = FlowRow.__tablename__, FolderRow.__tablename__
OWNED_BASES = "user_id = :uid"
OWNED_FOLDERS = f'(SELECT id FROM "{FOLDERS}" WHERE user_id = :uid)'  # nosec B608
# the builder's flows shared with someone (not made public), by name (dry_run.builder_dry_run)
SHARED_FLOW_NAMES = (f'SELECT name FROM "{FLOWS}" WHERE user_id = :uid AND id IN (SELECT resource_id FROM '  # nosec B608
                     f'"{AUTHZ_SHARES}" WHERE resource_type = \'flow\' AND scope != \'public\') ORDER BY name')
MAX_LISTED_SHARED_FLOWS = 20
# the identifying keys an erased person's audit rows lose (audit_redaction.REDACTED_DETAIL_KEYS)
REDACTED_DETAIL_KEYS = ("username", "created_by", "email", "client_ip", "reason", "error", "team_name", "before",
                        "after", "user_id")
ABOUT_THE_PERSON = "(user_id = :uid OR actor_id = :uid OR (resource_type = 'user' AND resource_id = :uid))"
_IDENTIFYING = " OR ".join(f"json_extract(details, '$.{key}') IS NOT NULL" for key in REDACTED_DETAIL_KEYS)
_REDACTED = ", ".join(f"'$.{key}'" for key in REDACTED_DETAIL_KEYS)
_erase_audit_details = _rows(AUTHZ_AUDIT, f"{ABOUT_THE_PERSON} AND ({_IDENTIFYING})",
                             change=f"details = json_remove(details, {_REDACTED})")

# Langflow's steps in its order; None where the mock holds no such data (always 0 in the request's counts).
BUILDER_STEPS: tuple[tuple[str, Any], ...] = (
    ("flows", _erase_flows), ("knowledge_bases", _erase_knowledge_bases), ("knowledge_base_upgrades", None),
    ("jobs", _erase_jobs), ("messages_elsewhere", _by_user(MessageRow)), ("transactions_elsewhere", None),
    ("ingestion_runs", None), ("mcp_servers", _by_user(McpServerRow)),
    ("files", _erase_files), ("variables", _by_user(VariableRow)), ("api_keys", _by_user(ApiKeyRow)),
    ("connections", _erase_connections), ("provider_accounts", None), ("sso_profiles", None),
    ("team_memberships", _rows(AUTHZ_TEAM_MEMBERS, "user_id = :uid")), ("edit_locks", None),
    # grants to the person, and on the projects they own (a flow's went with it); their own roles, and those
    # scoped to their projects
    ("shares", _rows(AUTHZ_SHARES, f"target_id = :uid OR (resource_type = 'project' AND resource_id IN "
                                   f"{OWNED_FOLDERS})")),
    ("role_assignments", _rows(AUTHZ_ASSIGNMENTS, f"user_id = :uid OR (domain_type = 'project' AND domain_id IN "
                                                  f"{OWNED_FOLDERS})")),
    ("access_exceptions", None), ("share_creator", _clear(AUTHZ_SHARES, "created_by")),
    ("access_exception_creator", None), ("assignment_actor", _clear(AUTHZ_ASSIGNMENTS, "assigned_by")),
    ("role_creator", _clear(AUTHZ_ROLES, "created_by")), ("catalog_rule_creator", _catalog_rule_creators),
    ("policy_bundle_creator", _clear(POLICY_REVISIONS, "created_by")), ("flow_editor", None),
    ("flow_version_author", _clear(FLOW_VERSIONS, "user_id")), ("sso_config_creator", None),
    ("sso_config_editor", None), ("audit_redaction", _erase_audit_details),
    ("audit_subject", _clear(AUTHZ_AUDIT, "user_id")), ("project_receipts", _rows(REPLACEMENT_OPERATIONS,
                                                                                "project_user_id = :uid")),
    ("folders", _erase_folders),
)
END_USER_STEPS: tuple[tuple[str, Any], ...] = (
    ("vertex_builds", _end_user_rows(VertexBuildRow, _builds)), ("messages", _end_user_rows(MessageRow, _messages)),
    ("traces", _end_user_rows(TraceRow, _traces, (SpanRow.trace_id, TraceRow.id))),
    ("transactions", _end_user_rows(TransactionRow, _transactions)),
    ("memory_ingestion_records", _memory_rows(MB_INGESTIONS)), ("memory_preprocessing_outputs", None),
    ("memory_workflow_runs", _memory_rows(MB_RUNS)), ("memory_sessions", _memory_rows(MB_SESSIONS)),
    ("memory_vectors", _erase_memory_vectors), ("memory_legacy_copies", None),
    ("jobs", _end_user_rows(JobRow, _jobs, (JobEventRow.job_id, JobRow.id))),
)
