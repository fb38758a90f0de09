"""1.13's version history of a flow (the flow_version table): the graphs a snapshot keeps and those an overwrite
or an activation replaces, numbered from 1 per flow, the newest LANGFLOW_MAX_FLOW_VERSION_ENTRIES_PER_FLOW (50) of
a flow kept. The table is defined here, imported on the first version read or write (store/flows.py), not at every
start (store/models.py LAZY_TABLE_MODULES)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ValidationError, create_model
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, Session, col, delete, func, select

from mock_langflow import errors
from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.flows import FlowVersionRead, check_graph
from mock_langflow.store.db import sql_int
from mock_langflow.store.models import FLOW_VERSIONS, TRIGGERS, UserRow


class FlowVersionRow(SQLShape, table=True):
    """A kept version of a flow's graph (1.13's flow_version table): a snapshot, the graph an overwrite or an
    activation replaces, numbered from 1 per flow. No foreign keys, so the flow table stays remakeable
    (Database._remake): a flow's versions go with it (Store.delete_flow_data)."""

    __tablename__ = FLOW_VERSIONS
    __table_args__ = (UniqueConstraint("flow_id", "version_number"),)

    id: UUID = Field(primary_key=True)
    flow_id: UUID = Field(index=True)
    user_id: UUID | None = Field(default=None, index=True)  # whose graph it was
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    version_number: int
    description: str | None = None
    created_at: datetime


def keep_version(s: Session, kept: int, *, entry_id: UUID, flow_id: UUID, user_id: UUID | None,
                 data: dict[str, Any] | None, description: str | None, now: datetime) -> FlowVersionRow:
    """Add the flow's next version (in the caller's transaction), then drop its versions past the newest `kept`
    (0 or less: all of them, the new one too, as SQLite reads Langflow's offset) but those a trigger is pinned to,
    as Langflow's create_flow_version_entry does (the mock has no deployments, which keep a version there too)."""
    last = s.exec(select(func.max(FlowVersionRow.version_number)).where(FlowVersionRow.flow_id == flow_id)).one()
    entry = FlowVersionRow(id=entry_id, flow_id=flow_id, user_id=user_id, data=data, description=description,
                           version_number=(last or 0) + 1, created_at=now)
    s.add(entry)
    s.flush()
    stale = s.exec(select(FlowVersionRow.id).where(FlowVersionRow.flow_id == flow_id,
                                                   col(FlowVersionRow.id).not_in(pinned_versions(s, flow_id)))
                   .order_by(col(FlowVersionRow.version_number).desc()).offset(max(kept, 0))).all()
    if stale:
        s.exec(delete(FlowVersionRow).where(col(FlowVersionRow.id).in_(stale)))
    return entry


def pinned_versions(s: Session, flow_id: UUID) -> set[UUID]:
    """The flow's versions its triggers are pinned to (read by table name: the trigger store loads on first use)."""
    rows = s.connection().exec_driver_sql(f'SELECT flow_version_id FROM "{TRIGGERS}" '  # nosec B608 (our table)
                                          "WHERE flow_id = ? AND flow_version_id IS NOT NULL", (flow_id.hex,))
    return {UUID(hex=row[0]) for row in rows}


def versions_by(s: Session, flow_id: UUID, user_id: UUID, *, limit: int, offset: int) -> list[FlowVersionRead]:
    """The flow's kept versions credited to `user_id`, newest first, a page of them, each with its author's name
    (None once the author is gone), as Langflow's version list reads them."""
    rows = s.exec(select(FlowVersionRow, UserRow.username)
                  .join(UserRow, col(UserRow.id) == col(FlowVersionRow.user_id), isouter=True)
                  .where(FlowVersionRow.flow_id == flow_id, FlowVersionRow.user_id == user_id)
                  .order_by(col(FlowVersionRow.version_number).desc()).offset(sql_int(offset)).limit(limit)).all()
    return [FlowVersionRead(id=row.id, flow_id=row.flow_id, user_id=row.user_id, version_number=row.version_number,
                            description=row.description, created_at=row.created_at, username=username)
            for row, username in rows]


def version_of(s: Session, version_id: UUID, *, flow_id: UUID, user_id: UUID) -> FlowVersionRow | None:
    """The flow's kept version `version_id` when it is credited to `user_id`, as Langflow's version lookups
    (get_flow_version_entry_or_raise) find one: a version of another flow, or another user's, is none."""
    row = s.get(FlowVersionRow, version_id)
    return row if row is not None and row.flow_id == flow_id and row.user_id == user_id else None


def graphs_of(s: Session, version_ids: list[UUID], *, user_id: UUID) -> dict[UUID, Any]:
    """{version id: its graph} of those of `version_ids` credited to `user_id`, whichever flow they are of, as 1.13's
    get_flow_version_entries_by_ids finds them (one query; the ids the caller may not see are left out)."""
    rows = s.exec(select(FlowVersionRow.id, FlowVersionRow.data)
                  .where(col(FlowVersionRow.id).in_(version_ids), FlowVersionRow.user_id == user_id)).all()
    return dict(rows)


def version_read(row: FlowVersionRow) -> FlowVersionRead:
    """A version as a snapshot's answer shows it: no author's name (Langflow resolves names for its list only)."""
    return FlowVersionRead(id=row.id, flow_id=row.flow_id, user_id=row.user_id, version_number=row.version_number,
                           description=row.description, created_at=row.created_at)


@cache
def _flow_read_graph() -> type[BaseModel]:
    """The graph check of Langflow's FlowRead, under its name, for the report of a graph it refuses."""
    return create_model("FlowRead", data=(Annotated[dict[str, Any] | None, AfterValidator(check_graph)], None))


def unreadable_graph(graph: dict[str, Any]) -> None:
    """Deliberate: a version may hold any object (a snapshot keeps the graph sent as it is), but Langflow answers
    an activation with its FlowRead, which refuses a non-empty graph without `nodes` or `edges`: it fails with a
    500 whose message is pydantic's report, and writes nothing. So does the mock, before it writes."""
    try:
        _flow_read_graph().model_validate({"data": graph})
    except ValidationError as exc:
        raise errors.RecordedServerBug(str(exc)) from exc


