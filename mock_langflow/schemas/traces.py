"""The shapes of /api/v1/monitor/traces (Langflow 1.8 and 1.13): a run's native trace and its spans, in camelCase
as Langflow's frontend reads them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from mock_langflow.schemas import Shape


class SpanStatus(StrEnum):
    """A span's or a trace's OpenTelemetry status: unset (not ended), ok, or error."""

    UNSET = "unset"
    OK = "ok"
    ERROR = "error"


class SpanType(StrEnum):
    """What kind of step a span records."""

    CHAIN = "chain"
    LLM = "llm"
    TOOL = "tool"
    RETRIEVER = "retriever"
    EMBEDDING = "embedding"
    PARSER = "parser"
    AGENT = "agent"


class CamelShape(Shape):
    model_config = ConfigDict(defer_build=True, alias_generator=to_camel, populate_by_name=True)


class SpanReadResponse(CamelShape):
    """One span of a trace, with the spans nested under it."""

    id: UUID
    name: str
    type: SpanType
    status: SpanStatus
    start_time: datetime | None
    end_time: datetime | None
    latency_ms: int
    inputs: dict[str, Any] | None
    outputs: dict[str, Any] | None
    error: str | None
    model_name: str | None
    token_usage: dict[str, Any] | None
    children: list[SpanReadResponse] = Field(default_factory=list)


class TraceRead(CamelShape):
    """One trace with its tree of spans."""

    id: UUID
    name: str
    status: SpanStatus
    start_time: datetime | None
    end_time: datetime | None
    total_latency_ms: int
    total_tokens: int
    flow_id: UUID
    session_id: str
    input: dict[str, Any] | str | None = None
    output: dict[str, Any] | str | None = None
    spans: list[SpanReadResponse] = Field(default_factory=list)


class TraceSummaryRead(CamelShape):
    """One trace as the trace list shows it."""

    id: UUID
    name: str
    status: SpanStatus
    start_time: datetime | None
    total_latency_ms: int
    total_tokens: int
    flow_id: UUID
    session_id: str
    input: dict[str, Any] | str | None = None
    output: dict[str, Any] | str | None = None


class TraceListResponse(Shape):
    """A page of traces."""

    traces: list[TraceSummaryRead]
    total: int
    pages: int
