"""1.13's policy bundle (services/policy_bundle.py): every install-wide governance decision (approved model
providers, blocked components, templates and models, the integration ceiling) as immutable numbered revisions and a
pointer to the active one, moved by compare-and-swap. The catalog policy and model-provider policy routes write
through it too. Defined here and imported on the first policy route (Store.policy_bundle), its tables made then
(store/models.py FIRST_USE_TABLES)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON
from sqlmodel import Field, Session, col, select

from mock_langflow import errors
from mock_langflow.clock import Clock, ts_naive, ts_z
from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import SQL_INT_MAX, Database
from mock_langflow.store.model_policy import ModelProviderPolicyRow
from mock_langflow.store.models import POLICY_ACTIVE, POLICY_REVISIONS

# The decision lists of a revision, in Langflow's answer order; the first three always join the content hash, the
# others only when not empty (lfx policy_bundle_content_hash), so a bundle without them hashes as older ones did.
LISTS = ("approved_provider_ids", "blocked_component_keys", "blocked_template_keys", "blocked_model_keys",
         "approved_integration_provider_ids", "blocked_integration_action_keys")
ALWAYS_HASHED = LISTS[:3]
MIGRATED = "Migrated existing provider and catalog policy"


class PolicyBundleRevisionRow(SQLShape, table=True):
    """One complete revision; never changed once written."""

    __tablename__ = POLICY_REVISIONS

    revision: int = Field(primary_key=True)
    initialized: bool = True
    approved_provider_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    blocked_component_keys: list[str] = Field(default_factory=list, sa_type=JSON)
    blocked_template_keys: list[str] = Field(default_factory=list, sa_type=JSON)
    blocked_model_keys: list[str] = Field(default_factory=list, sa_type=JSON)
    approved_integration_provider_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    blocked_integration_action_keys: list[str] = Field(default_factory=list, sa_type=JSON)
    content_hash: str
    source: str = "api"
    created_by: UUID | None = None
    created_at: datetime
    reason: str | None = None
    rollback_of_revision: int | None = None


class PolicyBundleActiveRow(SQLShape, table=True):
    """The singleton pointer: the active revision, and whether anyone has written a bundle yet."""

    __tablename__ = POLICY_ACTIVE

    id: int = Field(default=1, primary_key=True)
    revision: int
    initialized: bool = False
    updated_at: datetime


def content_hash(lists: dict[str, Collection[str]]) -> str:
    payload = {name: sorted(set(lists[name])) for name in LISTS if name in ALWAYS_HASHED or lists[name]}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def answer(row: PolicyBundleRevisionRow, *, initialized: bool | None = None, fresh: bool = False) -> dict[str, Any]:
    """PolicyBundleRead. A revision just written carries its aware time (ts_z); one read back from SQLite a naive
    one, as Langflow's column reads back there."""
    return {"revision": row.revision, "initialized": row.initialized if initialized is None else initialized,
            "source": row.source, **{name: sorted(getattr(row, name) or []) for name in LISTS},
            "content_hash": row.content_hash,
            "created_at": ts_z(row.created_at) if fresh else ts_naive(row.created_at),
            "created_by": str(row.created_by) if row.created_by else None, "reason": row.reason,
            "rollback_of_revision": row.rollback_of_revision, "managed_externally": False}


class PolicyBundle:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock
        # the active revision's lists, as the runs and flow writes check them: read once, and again after a write
        # (every write goes through _write) or a reset (forget); this server alone writes its database
        self._lists: dict[str, frozenset[str]] | None = None

    # -- reads ---------------------------------------------------------------------------------------------------

    def _active(self, s: Session) -> tuple[PolicyBundleActiveRow, PolicyBundleRevisionRow]:
        """The pointer and its revision; on first use (or after a reset) the migration's revision 1, made from the
        model-provider policy already stored, as Langflow's migration seeds it."""
        active = s.get(PolicyBundleActiveRow, 1)
        if active is not None:
            row = s.get(PolicyBundleRevisionRow, active.revision)
            if row is not None:
                return active, row
        legacy = s.get(ModelProviderPolicyRow, 1)
        providers = sorted(set(legacy.approved_provider_ids)) if legacy else []
        version = legacy.version if legacy else 0
        now = self.clock.now().replace(microsecond=0)  # SQL's now(), to the second
        lists: dict[str, Collection[str]] = {name: [] for name in LISTS} | {"approved_provider_ids": providers}
        row = PolicyBundleRevisionRow(revision=max(1, version), initialized=bool(version > 0 or providers),
                                      approved_provider_ids=providers, content_hash=content_hash(lists),
                                      source="migration", created_at=now, reason=MIGRATED)
        active = PolicyBundleActiveRow(revision=row.revision, initialized=row.initialized, updated_at=now)
        s.add(row)
        s.add(active)
        s.flush()
        return active, row

    def read(self) -> dict[str, Any]:
        """GET /policy-bundle; also seeds revision 1 ahead of a write, so a refused write keeps it."""
        with self.db.session() as s:
            active, row = self._active(s)
            return answer(row, initialized=active.initialized)

    def history(self, *, limit: int, before_revision: int | None) -> dict[str, Any]:
        """Newest first; `next_before_revision` when the page is full."""
        with self.db.session() as s:
            self._active(s)
            query = select(PolicyBundleRevisionRow)
            if before_revision is not None and before_revision <= SQL_INT_MAX:  # (past SQLite's integers: all)
                query = query.where(PolicyBundleRevisionRow.revision < before_revision)
            rows = s.exec(query.order_by(col(PolicyBundleRevisionRow.revision).desc()).limit(limit)).all()
            items = [answer(r) for r in rows]
        return {"items": items, "next_before_revision": items[-1]["revision"] if len(items) == limit else None}

    def blocked(self, name: str) -> frozenset[str]:
        """One list of the active revision (blocked_component_keys, ...)."""
        return self.lists(name)[0]

    def lists(self, *names: str) -> tuple[frozenset[str], ...]:
        """Lists of the active revision: read in one session the first time after a write or a reset, so a run
        checked against a policy costs no query."""
        if self._lists is None:
            with self.db.session() as s:
                row = self._active(s)[1]
                self._lists = {name: frozenset(getattr(row, name) or []) for name in LISTS}
        return tuple(self._lists[name] for name in names)

    def forget(self) -> None:
        """The lists read again on their next use (a reset emptied the tables)."""
        self._lists = None

    # -- writes --------------------------------------------------------------------------------------------------

    def _write(self, s: Session, *, expected: int, lists: dict[str, Collection[str]], actor: UUID | None,
               reason: str | None, source: str = "api", rollback_of: int | None = None) -> PolicyBundleRevisionRow:
        """A new complete revision, expected + 1, activated if `expected` is still the active one (else the
        conflict, nothing written); the model-provider policy row follows it, as Langflow dual-writes it."""
        active, _ = self._active(s)
        if active.revision != expected:
            raise errors.PolicyBundleConflict(expected=expected, active=active.revision)
        self._lists = None  # (read again after this write, once it is committed or not)
        now = self.clock.now()
        reason = (reason or "").strip() or None
        row = PolicyBundleRevisionRow(revision=expected + 1, content_hash=content_hash(lists), source=source,
                                      created_by=actor, created_at=now, reason=reason,
                                      rollback_of_revision=rollback_of,
                                      **{name: sorted(set(lists[name])) for name in LISTS})
        active.revision, active.initialized, active.updated_at = row.revision, True, now
        legacy = s.get(ModelProviderPolicyRow, 1) or ModelProviderPolicyRow()
        legacy.approved_provider_ids, legacy.version = row.approved_provider_ids, row.revision
        s.add_all((row, active, legacy))
        return row

    def replace(self, *, expected: int, lists: dict[str, Collection[str]], actor: UUID,
                reason: str | None) -> dict[str, Any]:
        """PUT /policy-bundle."""
        self.read()
        with self.db.session() as s:
            return answer(self._write(s, expected=expected, lists=lists, actor=actor, reason=reason), fresh=True)

    def rollback(self, revision: int, *, expected: int, actor: UUID, reason: str | None) -> dict[str, Any]:
        """POST /policy-bundle/rollback/{revision}: the old revision's content as a new revision."""
        self.read()
        with self.db.session() as s:
            if abs(revision) > SQL_INT_MAX:  # past SQLite's integers, where Langflow's query fails (a 500)
                raise errors.NotFoundInPlaceOf500(errors.POLICY_REVISION_MISSING.format(revision=revision))
            target = s.get(PolicyBundleRevisionRow, revision)
            if target is None:
                raise errors.NotFound(errors.POLICY_REVISION_MISSING.format(revision=revision))
            row = self._write(s, expected=expected, lists={name: getattr(target, name) or [] for name in LISTS},
                              actor=actor, reason=reason or errors.POLICY_ROLLBACK_REASON.format(revision=revision),
                              source="rollback", rollback_of=revision)
            return answer(row, fresh=True)

    def change(self, name: str, values: Collection[str], *, actor: UUID, reason: str) -> frozenset[str]:
        """One list replaced, the others carried forward, on the active revision (the catalog-policy and
        model-provider-policy writes): the new list."""
        with self.db.session() as s:
            _, current = self._active(s)
            lists = {n: getattr(current, n) or [] for n in LISTS} | {name: values}
            row = self._write(s, expected=current.revision, lists=lists, actor=actor, reason=reason)
            return frozenset(getattr(row, name))


# -- component usage (api/v1/catalog_policy.py) ------------------------------------------------------------------


def component_keys(nodes: Any) -> set[str]:
    """The component types a graph's nodes name, those of flows inlined in (legacy Run Flow) nodes too."""
    found: set[str] = set()
    for node in nodes if isinstance(nodes, list) else ():
        data = node.get("data") if isinstance(node, dict) else None
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("type"), str):
            found.add(data["type"])
        inner = data.get("node")
        flow = inner.get("flow") if isinstance(inner, dict) else None
        graph = flow.get("data") if isinstance(flow, dict) else None
        if isinstance(graph, dict):
            found |= component_keys(graph.get("nodes"))
    return found


def graph_keys(data: Any) -> frozenset[str]:
    """The component types a flow's graph uses (its data, or a payload wrapping it under "data")."""
    graph = data.get("data") if isinstance(data, dict) and isinstance(data.get("data"), dict) else data
    return frozenset(component_keys(graph.get("nodes"))) if isinstance(graph, dict) else frozenset()


def refusal(graphs: Iterable[Any], blocked: Collection[str]) -> str | None:
    """1.13's catalog policy on a graph it is handed (lfx validate_catalog_policy_for_flow): the text naming, sorted,
    the blocked components the first graph using any uses, or None."""
    for data in graphs:
        if found := graph_keys(data) & frozenset(blocked):
            return errors.CATALOG_BLOCKS_COMPONENTS + ", ".join(sorted(found))
    return None


def refuse(graphs: Iterable[Any], blocked: Collection[str]) -> None:
    """A flow write of graphs, one using a component the policy blocks: the 400 naming them (refusal)."""
    if text := refusal(graphs, blocked):
        raise errors.BadRequest(text)


def component_usage(db: Database) -> tuple[list[tuple[UUID, str, frozenset[str]]], int]:
    """Every stored flow (the example flows too, as Langflow keeps them in its flow table) but saved components:
    each with the component types it uses, and how many flows were read."""
    from mock_langflow.store.models import FlowRow

    with db.session() as s:
        rows = s.exec(select(FlowRow.id, FlowRow.name, FlowRow.data).where(
            col(FlowRow.is_component).is_not(True), col(FlowRow.data).is_not(None))).all()
    usage = [(flow_id, name, keys) for flow_id, name, data in rows if (keys := graph_keys(data))]
    return usage, len(rows)
