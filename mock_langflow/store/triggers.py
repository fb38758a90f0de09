"""1.13's flow triggers and their event ledger (the trigger and trigger_event tables), as Langflow's trigger service
and ledger keep them. The tables are defined here, imported with the first trigger route (Store.triggers), not at
every start (store/models.py LAZY_TABLE_MODULES).

A trigger rides its flow: only the flow's owner sees it (Langflow's owner-scoped read without an authorization
plugin), anyone else gets "Trigger not found". The ledger is append-only: a test, a replay or an ingress delivery
adds a pending row (deduplicated per trigger by its dedupe key); the dispatcher (engine/triggers.py) moves it on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, Session, col, delete, func, select, update

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids, as_utc, naive_utc
from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.triggers import TriggerCreate, TriggerEventRead, TriggerRead, TriggerState, TriggerUpdate
from mock_langflow.store.connections import require_owned_connection
from mock_langflow.store.db import Database, sql_int
from mock_langflow.store.models import TRIGGER_EVENTS, TRIGGERS, FlowRow
from mock_langflow.store.sealing import Sealer

# Langflow's constants: ledger key prefixes, the states enable re-arms, those an ingress delivery is taken in, the
# kinds only a canvas node makes, the generic signed webhook's kind.
TEST_PREFIX, REPLAY_PREFIX, INGRESS_PREFIX, TICK_PREFIX = "test", "replay", "ingress", "tick"
ENABLEABLE = frozenset({"pending", "active", "paused", "error", "expired", "needs_reconnect"})
ACCEPTING = frozenset({"active", "pending"})
KIND_INBOUND_WEBHOOK = "inbound_webhook"
CANVAS_ONLY_KINDS = frozenset({"slack.message", "slack.reaction", "microsoft.mail", "microsoft.calendar",
                               "microsoft.file", "google.calendar", "google.drive", "google.gmail"})
IN_FLIGHT = ("claimed", "dispatched")
VERDICT_STATES = frozenset({"pending", "active", "paused", "error"})  # whose last_error a schedule's check owns
NODE_REMOVED = "trigger node removed from the flow"  # the reason a trigger whose canvas node went is paused
REPLAY_WINDOW_DAYS = 7  # Langflow's trigger_replay_window_days
POLL_SECONDS = 5.0  # Langflow's trigger_dispatcher_poll_interval_s
MAX_MISSED_TICKS = 100  # the most missed fire times a coalesced tick lists


class TriggerRow(SQLShape, table=True):
    """One trigger on one flow, owned by the flow's owner. No foreign keys (the flow table stays remakeable): a
    flow's triggers go with it (Store.delete_flow_data)."""

    __tablename__ = TRIGGERS

    id: UUID = Field(primary_key=True)
    flow_id: UUID = Field(index=True)
    user_id: UUID
    name: str
    kind: str
    provider: str | None = None
    node_id: str | None = None
    connection_id: UUID | None = None
    config: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    state: str = "pending"
    binding_target: str = "flow"
    deployment_id: UUID | None = None
    flow_version_id: UUID | None = None
    session_policy: str = "per_event"
    concurrency_limit: int = 1
    max_attempts: int = 5
    public_id: str | None = Field(default=None, unique=True)
    signing_secret: str | None = None  # sealed (store/sealing.py)
    next_fire_at: datetime | None = None
    last_fired_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime
    updated_at: datetime


class TriggerEventRow(SQLShape, table=True):
    """One fired occurrence of a trigger (Langflow's at-least-once ledger)."""

    __tablename__ = TRIGGER_EVENTS
    __table_args__ = (UniqueConstraint("trigger_id", "dedupe_key"),)

    id: UUID = Field(primary_key=True)
    trigger_id: UUID  # (looked up through the unique (trigger_id, dedupe_key) index)
    dedupe_key: str
    state: str = "pending"
    attempt: int = 0
    available_at: datetime
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    session_id: str | None = None
    job_id: UUID | None = None
    replay_of_event_id: UUID | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime


def _time(value: datetime | None) -> datetime | None:
    return None if value is None else naive_utc(value)


def trigger_read(row: TriggerRow) -> TriggerRead:
    """A trigger as Langflow answers it, its times naive UTC as its SQLite columns read back."""
    return TriggerRead(**row.model_dump(exclude={"public_id", "signing_secret", "next_fire_at", "last_fired_at",
                                                 "created_at", "updated_at"}),
                       next_fire_at=_time(row.next_fire_at), last_fired_at=_time(row.last_fired_at),
                       created_at=_time(row.created_at), updated_at=_time(row.updated_at))


def event_read(row: TriggerEventRow) -> TriggerEventRead:
    return TriggerEventRead(**row.model_dump(exclude={"available_at", "created_at", "updated_at"}),
                            available_at=_time(row.available_at), created_at=_time(row.created_at),
                            updated_at=_time(row.updated_at))


class Triggers:
    def __init__(self, db: Database, ids: Ids, clock: Clock, sealer: Sealer) -> None:
        self.db, self.ids, self.clock, self.sealer = db, ids, clock, sealer

    def _now(self) -> datetime:
        return self.clock.now()

    def _stamp(self) -> datetime:
        """A server-default time: SQLite's CURRENT_TIMESTAMP, whole seconds."""
        return self.clock.now().replace(microsecond=0)

    # --- access --------------------------------------------------------------------------------------------

    @staticmethod
    def check_flow(s: Session, flow_id: UUID, user_id: UUID) -> UUID:
        """The caller's own flow (an example flow is nobody's): its owner; else 404 "Trigger not found"."""
        owner = s.exec(select(FlowRow.user_id).where(FlowRow.id == flow_id)).first()
        if owner is None or owner != user_id:
            raise errors.NotFound(errors.TRIGGER_NOT_FOUND)
        return owner

    def _row(self, s: Session, trigger_id: UUID, user_id: UUID) -> TriggerRow:
        row = s.get(TriggerRow, trigger_id)
        if row is None:
            raise errors.NotFound(errors.TRIGGER_NOT_FOUND)
        self.check_flow(s, row.flow_id, user_id)
        return row

    def get(self, trigger_id: UUID, *, user_id: UUID) -> TriggerRow:
        with self.db.session() as s:
            return self._row(s, trigger_id, user_id)

    def list(self, flow_id: UUID, *, user_id: UUID, limit: int, offset: int) -> list[TriggerRead]:
        """The flow's triggers, newest first (ties by id, descending), as Langflow's list_for_flows pages them."""
        with self.db.session() as s:
            self.check_flow(s, flow_id, user_id)
            rows = s.exec(select(TriggerRow).where(TriggerRow.flow_id == flow_id)
                          .order_by(col(TriggerRow.created_at).desc(), col(TriggerRow.id).desc())
                          .offset(sql_int(offset)).limit(limit)).all()
            return [trigger_read(r) for r in rows]

    # --- writes --------------------------------------------------------------------------------------------

    @staticmethod
    def _check_version(s: Session, flow_id: UUID, version_id: UUID | None) -> None:
        """A pin names a version of the trigger's own flow (whoever made it) that holds a graph."""
        if version_id is None:
            return
        from mock_langflow.store.flow_versions import FlowVersionRow  # noqa: PLC0415 (its table loads on first use)

        version = s.get(FlowVersionRow, version_id)
        if version is None or version.flow_id != flow_id:
            raise errors.NotFound(errors.TRIGGER_VERSION_NOT_FOUND)
        if version.data is None:
            raise errors.UnprocessableEntity(errors.TRIGGER_VERSION_WITHOUT_DATA)

    @staticmethod
    def _check_config(config: dict[str, Any] | None) -> None:
        if config and "mechanism_id" in config:
            raise errors.UnprocessableEntity(errors.TRIGGER_MECHANISM_SET)

    def create(self, body: TriggerCreate, *, user_id: UUID) -> TriggerRead:
        """POST /triggers: on the caller's flow, owned by the flow's owner; checked in Langflow's order."""
        with self.db.session() as s:
            owner = self.check_flow(s, body.flow_id, user_id)
            if body.binding_target.value == "deployment" and body.deployment_id is None:
                raise errors.UnprocessableEntity(errors.TRIGGER_DEPLOYMENT_REQUIRED)
            if body.kind in CANVAS_ONLY_KINDS:
                raise errors.UnprocessableEntity(errors.trigger_canvas_only(body.kind))
            self._check_config(body.config)
            self._check_version(s, body.flow_id, body.flow_version_id)
            if body.connection_id is not None:
                require_owned_connection(s, body.connection_id, owner)
            config = body.config
            if body.kind == "schedule" and (config or body.state is TriggerState.ACTIVE):
                config = checked_schedule(config, self._now())
            now = self._stamp()
            row = TriggerRow(**body.model_dump(mode="python", exclude={"config"}), id=self.ids.uuid(),
                             user_id=owner, config=config, created_at=now, updated_at=now)
            for name in ("state", "binding_target", "session_policy"):
                setattr(row, name, getattr(body, name).value)
            s.add(row)
            s.commit()
            return trigger_read(row)

    def update(self, trigger_id: UUID, body: TriggerUpdate, *, user_id: UUID) -> TriggerRead:
        """PATCH: the fields sent (an explicit null clears a reference), checked as Langflow's service checks them;
        a deployment binding left without a deployment is refused after the write, as Langflow's route does (its
        transaction rolls back: nothing is kept)."""
        with self.db.session() as s:
            row = self._row(s, trigger_id, user_id)
            changes = body.model_dump(exclude_unset=True)
            if row.kind in CANVAS_ONLY_KINDS and {"config", "connection_id"} & changes.keys():
                raise errors.UnprocessableEntity(errors.TRIGGER_CANVAS_FIELDS)
            if "config" in changes:
                self._check_config(changes["config"])
            if changes.get("connection_id") is not None:
                require_owned_connection(s, body.connection_id, row.user_id)
            if "flow_version_id" in changes:
                self._check_version(s, row.flow_id, body.flow_version_id)
            if "config" in changes and row.kind == "schedule":
                changes["config"] = checked_schedule(changes["config"], self._now())
                if schedule_timing_changed(row.config or {}, changes["config"]):
                    row.next_fire_at = None
                config_verdict(row, None)  # a schedule that checks undoes what a broken one did
            for name, value in changes.items():
                setattr(row, name, value.value if hasattr(value, "value") else value)
            if row.binding_target == "deployment" and row.deployment_id is None:
                raise errors.UnprocessableEntity(errors.TRIGGER_DEPLOYMENT_REQUIRED)
            return self._save(s, row)

    def _save(self, s: Session, row: TriggerRow) -> TriggerRead:
        row.updated_at = self._now()
        s.add(row)
        s.commit()
        return trigger_read(row)

    def delete(self, trigger_id: UUID, *, user_id: UUID) -> None:
        with self.db.session() as s:
            row = self._row(s, trigger_id, user_id)
            s.exec(delete(TriggerEventRow).where(col(TriggerEventRow.trigger_id) == row.id))
            s.delete(row)
            s.commit()

    def set_state(self, trigger_id: UUID, *, user_id: UUID, enable: bool) -> TriggerRead:
        """enable: a dead trigger stays dead (409); a schedule's config must hold; re-arming starts from now.
        disable: anything but a dead trigger pauses."""
        with self.db.session() as s:
            row = self._row(s, trigger_id, user_id)
            if enable:
                if row.state not in ENABLEABLE:
                    raise errors.Conflict(errors.trigger_not_enableable(row.state))
                if row.kind == "schedule":
                    try:
                        checked_schedule(row.config or {}, self._now())
                    except errors.UnprocessableEntity as exc:
                        raise errors.Conflict(exc.detail) from exc
                if row.state != "active":
                    row.next_fire_at = None
                row.state = "active"
            else:
                if row.state == "dead":
                    raise errors.Conflict(errors.TRIGGER_DEAD_NOT_DISABLED)
                row.state = "paused"
            row.last_error = None
            return self._save(s, row)

    def pin(self, trigger_id: UUID, version_id: UUID | None, *, user_id: UUID) -> TriggerRead:
        with self.db.session() as s:
            row = self._row(s, trigger_id, user_id)
            self._check_version(s, row.flow_id, version_id)
            row.flow_version_id = version_id
            return self._save(s, row)

    def rotate_secret(self, trigger_id: UUID, *, user_id: UUID) -> tuple[TriggerRow, str]:
        """A new signing secret (the old one stops verifying at once), and the public id minted once and kept."""
        with self.db.session() as s:
            row = self._row(s, trigger_id, user_id)
            require_ingress_kind(row)
            secret = self.ids.token(32)
            row.public_id = row.public_id or self.ids.token(24)
            row.signing_secret = self.sealer.seal(secret)
            self._save(s, row)
            return row, secret

    def ingress_secret(self, row: TriggerRow) -> str | None:
        return self.sealer.opened(row.signing_secret) if row.signing_secret else None

    def by_public_id(self, public_id: str) -> TriggerRow | None:
        with self.db.session() as s:
            return s.exec(select(TriggerRow).where(TriggerRow.public_id == public_id)).first()

    # --- the ledger ----------------------------------------------------------------------------------------

    def append(self, trigger_id: UUID, dedupe_key: str, payload: dict[str, Any], *,
               replay_of: UUID | None = None) -> tuple[TriggerEventRead, bool]:
        """A pending ledger row, or the row already holding that dedupe key (created False)."""
        with self.db.session() as s:
            found = s.exec(select(TriggerEventRow).where(TriggerEventRow.trigger_id == trigger_id,
                                                         TriggerEventRow.dedupe_key == dedupe_key)).first()
            if found is not None:
                return event_read(found), False
            stamp = self._stamp()
            row = TriggerEventRow(id=self.ids.uuid(), trigger_id=trigger_id, dedupe_key=dedupe_key,
                                  available_at=self._now(), payload=payload, replay_of_event_id=replay_of,
                                  created_at=stamp, updated_at=stamp)
            s.add(row)
            s.commit()
            return event_read(row), True

    def test_event(self, trigger_id: UUID, payload: dict[str, Any], *, user_id: UUID) -> TriggerEventRead:
        row = self.get(trigger_id, user_id=user_id)
        if row.state == "dead":
            raise errors.Conflict(errors.TRIGGER_DEAD_NOT_TESTED)
        return self.append(row.id, f"{TEST_PREFIX}:{self.ids.uuid()}", {**payload, "test": True})[0]

    def replay(self, trigger_id: UUID, event_id: UUID, *, user_id: UUID) -> TriggerEventRead:
        """A new pending row carrying the original's payload, linked to it; the original stays as it is."""
        self.get(trigger_id, user_id=user_id)
        with self.db.session() as s:
            original = s.get(TriggerEventRow, event_id)
        if original is None or original.trigger_id != trigger_id:
            raise errors.NotFound(errors.TRIGGER_EVENT_NOT_FOUND)
        if original.created_at < self._now() - timedelta(days=REPLAY_WINDOW_DAYS):
            raise errors.Conflict(errors.trigger_replay_window(REPLAY_WINDOW_DAYS))
        key = f"{REPLAY_PREFIX}:{event_id}:{self.ids.uuid()}"
        return self.append(trigger_id, key, original.payload, replay_of=original.id)[0]

    def events(self, trigger_id: UUID, *, user_id: UUID, limit: int, offset: int) -> list[TriggerEventRead]:
        """The trigger's ledger, newest first (ties by id, descending), as Langflow's list_events pages it."""
        self.get(trigger_id, user_id=user_id)
        with self.db.session() as s:
            rows = s.exec(select(TriggerEventRow).where(TriggerEventRow.trigger_id == trigger_id)
                          .order_by(col(TriggerEventRow.created_at).desc(), col(TriggerEventRow.id).desc())
                          .offset(sql_int(offset)).limit(limit)).all()
            return [event_read(r) for r in rows]

    # --- the scheduler and the dispatcher's side -----------------------------------------------------------

    def schedule_ticks(self) -> None:
        """Langflow's schedule tick producer, by the mock's clock, for every active schedule: a trigger seen for
        the first time (or re-armed) gets its next fire time and nothing fires; once that time has passed, one
        event for the latest fire time due (`tick:<its UTC time>`; coalesce lists the others since, within the
        replay window, as `missed_ticks`; skip fires only one due within the dispatcher's 5 s poll), then the
        next fire time from now. A schedule that no longer checks goes to `error`, saying why."""
        from mock_langflow.store.cron import fire_time  # noqa: PLC0415 (only schedules need it)

        now = self._now()
        with self.db.session() as s:
            rows = s.exec(select(TriggerRow).where(TriggerRow.kind == "schedule", TriggerRow.state == "active")).all()
        for row in rows:
            try:
                config = checked_schedule(row.config or {}, now)
            except errors.UnprocessableEntity as exc:
                self._mark(row.id, state="error", last_error=str(exc.detail))
                continue
            cron, zone, catchup = config["cron"], config["timezone"], config["catchup_policy"]
            due = row.next_fire_at
            if due is not None and as_utc(due) > now:
                continue
            if due is not None:
                window = max(as_utc(due), now - timedelta(days=REPLAY_WINDOW_DAYS))
                scheduled = fire_time(cron, zone, now, after=False)
                on_time = scheduled is not None and now - scheduled <= timedelta(seconds=POLL_SECONDS)
                if scheduled is not None and scheduled >= window and (catchup != "skip" or on_time):
                    payload: dict[str, Any] = {"scheduled_at": scheduled.isoformat(), "cron": cron,
                                               "timezone": zone}
                    missed = _fires_between(cron, zone, window, scheduled) if catchup == "coalesce" else []
                    if missed:
                        payload["missed_ticks"] = [fire.isoformat() for fire in missed]
                    self.append(row.id, f"{TICK_PREFIX}:{scheduled.isoformat()}", payload)
            self._mark(row.id, next_fire_at=fire_time(cron, zone, now, after=True))

    def _mark(self, trigger_id: UUID, **values: Any) -> None:
        with self.db.session() as s:
            row = s.get(TriggerRow, trigger_id)
            if row is not None:
                for name, value in values.items():
                    setattr(row, name, value)
                s.add(row)
                s.commit()


    def due(self) -> list[tuple[TriggerEventRow, TriggerRow]]:
        """Pending rows whose time has come, oldest first, within each trigger's concurrency headroom."""
        with self.db.session() as s:
            flying = dict(s.exec(select(TriggerEventRow.trigger_id, func.count())
                                 .where(col(TriggerEventRow.state).in_(IN_FLIGHT))
                                 .group_by(col(TriggerEventRow.trigger_id))).all())
            rows = s.exec(select(TriggerEventRow, TriggerRow)
                          .join(TriggerRow, col(TriggerRow.id) == col(TriggerEventRow.trigger_id))
                          .where(TriggerEventRow.state == "pending", col(TriggerEventRow.available_at) <= self._now())
                          .order_by(col(TriggerEventRow.available_at), col(TriggerEventRow.created_at))).all()
        chosen = []
        for event, trigger in rows:
            if flying.get(trigger.id, 0) < trigger.concurrency_limit:
                flying[trigger.id] = flying.get(trigger.id, 0) + 1
                chosen.append((event, trigger))
        return chosen

    def claim(self, event_id: UUID) -> bool:
        """Take a pending row for one dispatch (a guarded update: of two passes racing, one wins)."""
        with self.db.session() as s:
            taken = s.exec(update(TriggerEventRow).where(col(TriggerEventRow.id) == event_id,
                                                         col(TriggerEventRow.state) == "pending")
                           .values(state="claimed", updated_at=self._now()))
            s.commit()
            return bool(taken.rowcount)

    def account(self, event_id: UUID, *, state: str, error: str | None = None, job_id: UUID | None = None,
                session_id: str | None = None, trigger_error: str | None = None) -> None:
        """Move a ledger row on (and, for a dispatch, stamp its trigger's last firing; a binding that cannot run
        leaves its error on the trigger)."""
        with self.db.session() as s:
            event = s.get(TriggerEventRow, event_id)
            if event is None:
                return
            event.state, event.error, event.updated_at = state, error, self._now()
            if job_id is not None:
                event.job_id, event.session_id = job_id, session_id
            trigger = s.get(TriggerRow, event.trigger_id)
            if trigger is not None and (job_id is not None or trigger_error is not None):
                if job_id is not None:
                    trigger.last_fired_at = self._now()
                if trigger_error is not None:
                    trigger.last_error = trigger_error
                s.add(trigger)
            s.add(event)
            s.commit()

    def dispatched(self) -> list[tuple[UUID, UUID]]:
        """(event id, job id) of the rows whose job is still to be accounted for."""
        with self.db.session() as s:
            return [(e, j) for e, j in s.exec(select(TriggerEventRow.id, TriggerEventRow.job_id)
                                               .where(TriggerEventRow.state == "dispatched")).all() if j is not None]


def require_ingress_kind(row: TriggerRow) -> None:
    """Only a generic signed webhook trigger has an owner-managed secret and address."""
    if row.kind != KIND_INBOUND_WEBHOOK:
        raise errors.Conflict(errors.TRIGGER_NOT_INBOUND_WEBHOOK)


def checked_schedule(config: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A schedule's config as Langflow's validate_schedule_config checks it (store/cron.py), normalised."""
    from mock_langflow.store.cron import checked_schedule as check  # noqa: PLC0415 (only schedules need it)

    try:
        return check(config, now)
    except ValueError as exc:
        raise errors.UnprocessableEntity(str(exc)) from exc


def schedule_timing_changed(previous: dict[str, Any], current: dict[str, Any]) -> bool:
    return (previous.get("cron"), previous.get("timezone", "UTC")) != (current.get("cron"),
                                                                      current.get("timezone", "UTC"))


def _fires_between(cron: str, zone: str, since: datetime, until: datetime) -> list[datetime]:
    """The fire times from `since` on and before `until`, at most MAX_MISSED_TICKS of them."""
    from mock_langflow.store.cron import fire_time  # noqa: PLC0415

    fires: list[datetime] = []
    cursor: datetime | None = since - timedelta(microseconds=1)
    while len(fires) < MAX_MISSED_TICKS:
        cursor = fire_time(cron, zone, cursor, after=True) if cursor is not None else None
        if cursor is None or cursor >= until:
            break
        fires.append(cursor)
    return fires


def config_verdict(row: TriggerRow, error: str | None) -> None:
    """Langflow's verdict on a schedule's config: a broken one takes an active trigger to `error`, saying why (a
    pending or paused one keeps its state and the reason); one that checks brings an `error` trigger back to
    `active` from now and clears the reason it owns (not a removed node's)."""
    if error is not None:
        row.last_error = error
        if row.state == "active":
            row.state = "error"
        return
    if row.state == "error":
        row.state, row.next_fire_at = "active", None
    if row.state in VERDICT_STATES and row.last_error != NODE_REMOVED:
        row.last_error = None


def reconcile_nodes(s: Session, *, flow_id: UUID, owner_id: UUID, nodes: dict[str, tuple[str, dict[str, Any]]],
                    ids: Ids, now: datetime) -> None:
    """store/trigger_nodes.py's reconciliation, on the rows: one per node (new ones pending, named as Langflow
    names them), the node's config copied on, the schedule's verdict applied; a row whose node is gone paused."""
    from mock_langflow.store.trigger_nodes import webhook_config  # noqa: PLC0415

    rows = {row.node_id: row for row in s.exec(select(TriggerRow).where(TriggerRow.flow_id == flow_id,
                                                                           col(TriggerRow.node_id).is_not(None)))}
    for node_id, (kind, raw) in nodes.items():
        config, error = raw, None
        try:
            config = checked_schedule(raw, now) if kind == "schedule" else webhook_config(raw)
        except errors.UnprocessableEntity as exc:
            error = str(exc.detail)
        except ValueError as exc:
            error = str(exc)
        policy = "shared" if config.get("share_session") is True else "per_event"
        row = rows.get(node_id)
        if row is None:
            name = f"Schedule {config['cron']}" if kind == "schedule" and error is None and config.get("cron") \
                else kind.replace("_", " ").title()
            s.add(TriggerRow(id=ids.uuid(), flow_id=flow_id, user_id=owner_id, name=name, kind=kind,
                             node_id=node_id, config=config, last_error=error, session_policy=policy,
                             created_at=now.replace(microsecond=0), updated_at=now.replace(microsecond=0)))
            continue
        before = (row.config, row.session_policy, row.state, row.last_error, row.next_fire_at)
        if row.config != config or row.session_policy != policy:
            if schedule_timing_changed(row.config or {}, config):
                row.next_fire_at = None
            row.config, row.session_policy = config, policy
        if kind == "schedule":
            config_verdict(row, error)
        if (row.config, row.session_policy, row.state, row.last_error, row.next_fire_at) != before:
            row.updated_at = now.replace(microsecond=0)  # (the column's server-side onupdate: whole seconds)
            s.add(row)
    for node_id, row in rows.items():
        if node_id not in nodes and row.state not in ("paused", "dead"):
            row.state, row.last_error, row.updated_at = "paused", NODE_REMOVED, now.replace(microsecond=0)
            s.add(row)
