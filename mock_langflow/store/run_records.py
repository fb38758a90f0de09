"""What runs leave behind for later reading: job events, vertex builds, transactions, native traces and their
spans. Their tables are defined here and imported by their first write or read (a run, a build, the monitor, a
job's events), not at every start (store/models.py LAZY_TABLE_MODULES): five SQLModel classes cost every start-up
about 10 ms of CPU and 0.45 MiB of RSS (benchmarks/README.md, fix 69). Starts, resets and data-subject erasures
that only empty them do it by name (RUN_RECORD_TABLES)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, insert
from sqlmodel import Field

from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import table
from mock_langflow.store.models import JOB_EVENTS, SPANS, TRACES, TRANSACTIONS, VERTEX_BUILDS


class JobEventRow(SQLShape, table=True):
    __tablename__ = JOB_EVENTS

    id: int | None = Field(default=None, primary_key=True)
    job_id: UUID = Field(index=True)
    seq: int
    event: str
    data: Any = Field(sa_type=JSON)

class VertexBuildRow(SQLShape, table=True):
    """One vertex of a build, as /api/v1/monitor/builds lists it."""

    __tablename__ = VERTEX_BUILDS

    build_id: UUID = Field(primary_key=True)
    flow_id: UUID = Field(index=True)
    job_id: UUID | None = None
    vertex_id: str
    timestamp: datetime
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    artifacts: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    params: str | None = None  # Langflow logs empty (or redacted) params as null
    valid: bool = True

class TransactionRow(SQLShape, table=True):
    """One vertex run with its inputs and outputs, as /api/v1/monitor/transactions lists it."""

    __tablename__ = TRANSACTIONS

    id: UUID = Field(primary_key=True)
    flow_id: UUID | None = Field(default=None, index=True)
    vertex_id: str
    target_id: str | None = None
    inputs: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    outputs: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    status: str = "success"
    error: str | None = None
    timestamp: datetime = Field(index=True)

class TraceRow(SQLShape, table=True):
    """One flow run's native trace (/api/v1/monitor/traces, Langflow 1.8 and 1.13); it goes with its flow. No
    foreign keys: a run's trace is a deferred write, which a flow deleted meanwhile must not refuse (one nobody's
    flow owns is never listed, and Store.delete_flows takes a flow's traces with it)."""

    __tablename__ = TRACES

    id: UUID = Field(primary_key=True)  # the run's id (the graph_run_id its messages carry)
    name: str  # "<flow name> - <flow id>"
    flow_id: UUID = Field(index=True)
    session_id: str | None = Field(default=None, index=True)
    status: str = "unset"  # unset | ok | error
    start_time: datetime = Field(index=True)
    end_time: datetime | None = None
    total_latency_ms: int = 0
    total_tokens: int = 0

class SpanRow(SQLShape, table=True):
    """One step of a trace: a component's build (or a step nested under one)."""

    __tablename__ = SPANS

    id: UUID = Field(primary_key=True)
    trace_id: UUID = Field(index=True)
    parent_span_id: UUID | None = None
    name: str
    span_type: str = "chain"
    status: str = "unset"
    start_time: datetime
    end_time: datetime | None = None
    latency_ms: int = 0
    inputs: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    outputs: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    error: str | None = None
    attributes: dict[str, Any] | None = Field(default=None, sa_type=JSON)


# Each run's records are deferred Core inserts (Database.defer). A run's trace and spans replace any of the same id,
# as Langflow's native tracer merges them: /run/advanced runs its graph once per input under one run id, and each
# of those runs flushes its trace again.
INSERT_TRANSACTION = insert(table(TransactionRow))
INSERT_VERTEX_BUILD = insert(table(VertexBuildRow))
INSERT_TRACE = insert(table(TraceRow)).prefix_with("OR REPLACE")
INSERT_SPAN = insert(table(SpanRow)).prefix_with("OR REPLACE")
