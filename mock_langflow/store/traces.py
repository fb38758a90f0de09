"""The native traces runs leave (Langflow 1.8 and 1.13's trace and span tables, store/run_records.py) and how the
monitor reads them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha1
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import String, cast, func, or_
from sqlmodel import col, delete, select

from mock_langflow.clock import naive_utc
from mock_langflow.store.db import Database, sql_int
from mock_langflow.store.models import FlowRow

if TYPE_CHECKING:
    from mock_langflow.engine.lc_spans import LcSpan
    from mock_langflow.store.run_records import SpanRow, TraceRow

# Langflow's namespace for the uuid5 of a component's span: uuid5(SPAN_NAMESPACE, "<trace id>-<vertex id>")
SPAN_NAMESPACE = UUID("a3e1c2d4-5b6f-7890-abcd-ef1234567890")
_SPAN_PREFIX = SPAN_NAMESPACE.bytes
INPUT_TOKENS, OUTPUT_TOKENS = "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"
CHAT_INPUT = "Chat Input"  # the span whose input_value is a trace's input (by name, as Langflow finds it)


def shown(moment: datetime | None) -> datetime | None:
    """A stored time as Langflow answers it: UTC without its zone, as its SQLite columns give it back."""
    return naive_utc(moment) if moment is not None else None


def token_count(value: Any) -> int:
    """A token count read leniently (a number, or text of one); anything else counts 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    return int(number) if math.isfinite(number) else 0


@dataclass
class SpanRecord:
    """A span as a run hands it over: ids already resolved. A component's build is a root span (its attributes
    its model calls' token counts); the LangChain runs of its model call nest under it (`parent_id`)."""

    id: UUID
    name: str
    span_type: str
    start_time: datetime
    end_time: datetime
    latency_ms: int
    inputs: dict[str, Any] | None
    outputs: Any
    error: str | None = None
    parent_id: UUID | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def tokens(self) -> int:
        return token_count(self.attributes.get(INPUT_TOKENS, 0)) + token_count(self.attributes.get(OUTPUT_TOKENS, 0))


def child_spans(component: SpanRecord, children: Sequence[LcSpan]) -> list[SpanRecord]:
    """A component's LangChain spans, in the order they started: each a microsecond after the one before, from
    the component's start (the scripted model takes no time; the span tree orders siblings by start time), ending
    with the component (the latency the handler measured: none)."""
    made = []
    for index, child in enumerate(children, start=1):
        start = component.start_time + timedelta(microseconds=index)
        made.append(SpanRecord(id=child.id, name=child.name, span_type=child.span_type, start_time=start,
                               end_time=max(start, component.end_time), latency_ms=0, inputs=child.inputs,
                               outputs=child.outputs, error=child.error,
                               parent_id=child.parent if child.parent is not None else component.id,
                               attributes=child.attributes))
    return made


def span_id(trace_id: UUID, component_id: str) -> UUID:
    """uuid5(SPAN_NAMESPACE, "<trace id>-<component id>"), as Langflow names a component's span, made the way
    uuid5 makes it with the namespace's bytes taken once (a run names a span per component)."""
    name = _SPAN_PREFIX + f"{trace_id}-{component_id}".encode()
    return UUID(bytes=sha1(name, usedforsecurity=False).digest()[:16], version=5)  # an id, not a secret


@dataclass
class TraceFilters:
    """The filters of a traces listing (GET /monitor/traces)."""

    flow_id: UUID | None = None
    session_id: str | None = None
    status: str | None = None
    query: str | None = None  # already cleaned (routers/traces.py)
    start_time: datetime | None = None
    end_time: datetime | None = None
    escaped: bool = True  # 1.13: % and _ in `query` match themselves; 1.8: they are LIKE wildcards


def _leaf_tokens(spans: Sequence[SpanRow]) -> int:
    """Tokens of the spans no other span nests under (a parent's count already holds its children's)."""
    parents = {s.parent_span_id for s in spans if s.parent_span_id is not None}
    total = 0
    for span in spans:
        if span.id in parents:
            continue
        attributes = span.attributes or {}
        given_in, given_out = attributes.get(INPUT_TOKENS, 0), attributes.get(OUTPUT_TOKENS, 0)
        if given_in or given_out:
            total += token_count(given_in) + token_count(given_out)
        else:
            total += token_count(attributes.get("total_tokens", 0))
    return total


def _io(spans: Sequence[SpanRow]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A trace's input (the first "Chat Input" span's input_value) and output (the outputs of the root span that
    ended last), as Langflow's trace view summarises them."""
    chat_input = next((s for s in spans if CHAT_INPUT in (s.name or "")), None)
    value = chat_input.inputs.get("input_value") if chat_input is not None and chat_input.inputs else None
    roots = [s for s in spans if s.parent_span_id is None and s.end_time is not None]
    last = max(roots, key=lambda s: s.end_time or datetime.min, default=None)
    return ({"input_value": value} if value else None), (last.outputs if last is not None and last.outputs else None)


def _keyed(value: Any, key: str) -> Any:
    """A span's inputs or outputs as the API shows them: anything but a dict (a LangChain run's list or text)
    under `key`."""
    return value if value is None or isinstance(value, dict) else {key: value}


def _span_body(span: SpanRow) -> dict[str, Any]:
    attributes = span.attributes or {}
    usage = None
    if attributes:
        prompt, completion = token_count(attributes.get(INPUT_TOKENS, 0)), token_count(attributes.get(OUTPUT_TOKENS, 0))
        usage = {"promptTokens": prompt, "completionTokens": completion, "totalTokens": prompt + completion}
    return {"id": span.id, "name": span.name, "type": span.span_type or "chain", "status": span.status or "unset",
            "start_time": shown(span.start_time), "end_time": shown(span.end_time), "latency_ms": span.latency_ms,
            "inputs": _keyed(span.inputs, "input"), "outputs": _keyed(span.outputs, "output"), "error": span.error,
            "model_name": attributes.get("gen_ai.response.model"), "token_usage": usage, "children": []}


def span_tree(spans: Sequence[SpanRow]) -> list[dict[str, Any]]:
    """The spans by start time, each under its parent (one whose parent is not in the trace is a root)."""
    ordered = sorted(spans, key=lambda s: s.start_time or datetime.min)
    bodies = {s.id: _span_body(s) for s in ordered}
    roots: list[dict[str, Any]] = []
    for span in ordered:
        parent = bodies.get(span.parent_span_id) if span.parent_span_id is not None else None
        (parent["children"] if parent is not None else roots).append(bodies[span.id])
    return roots


class Traces:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, id: UUID, name: str, flow_id: UUID, session_id: str, status: str, start_time: datetime,
            end_time: datetime, spans: list[SpanRecord]) -> None:
        """A run's trace and its spans, written with the next batch of deferred writes (a run must stay cheap). Its
        total tokens are its LangChain spans' (a component's span already sums its own)."""
        from mock_langflow.store.run_records import INSERT_SPAN, INSERT_TRACE  # (the tables load on first use)

        latency = int((end_time - start_time).total_seconds() * 1000)
        tokens = sum(span.tokens() for span in spans if span.parent_id is not None)
        self.db.defer(INSERT_TRACE, {"id": id, "name": name, "flow_id": flow_id, "session_id": session_id,
                                     "status": status, "start_time": start_time, "end_time": end_time,
                                     "total_latency_ms": latency, "total_tokens": tokens})
        for span in spans:
            self.db.defer(INSERT_SPAN, {
                "id": span.id, "trace_id": id, "parent_span_id": span.parent_id, "name": span.name,
                "span_type": span.span_type, "status": "error" if span.error else "ok",
                "start_time": span.start_time, "end_time": span.end_time,
                "latency_ms": span.latency_ms, "inputs": span.inputs, "outputs": span.outputs, "error": span.error,
                "attributes": span.attributes})

    @staticmethod
    def _owned(user_id: UUID) -> Any:
        from mock_langflow.store.run_records import TraceRow

        return select(TraceRow).join(FlowRow, col(TraceRow.flow_id) == col(FlowRow.id)).where(
            FlowRow.user_id == user_id)

    def page(self, user_id: UUID, filters: TraceFilters, *, page: int, size: int) -> dict[str, Any]:
        """A page of the caller's traces (those of flows the caller owns), the latest started first."""
        from mock_langflow.store.run_records import SpanRow, TraceRow

        conditions: list[Any] = []
        if filters.flow_id is not None:
            conditions.append(TraceRow.flow_id == filters.flow_id)
        if filters.session_id:
            conditions.append(TraceRow.session_id == filters.session_id)
        if filters.status:
            conditions.append(TraceRow.status == filters.status)
        if filters.query:
            conditions.append(or_(*(cast(column, String).icontains(filters.query, autoescape=filters.escaped)
                                    for column in (TraceRow.name, TraceRow.id, TraceRow.session_id))))
        if filters.start_time is not None:
            conditions.append(col(TraceRow.start_time) >= filters.start_time)
        if filters.end_time is not None:
            conditions.append(col(TraceRow.start_time) <= filters.end_time)
        rows = self._owned(user_id).where(*conditions)
        with self.db.session() as s:
            total = int(s.exec(select(func.count()).select_from(rows.subquery())).one())
            traces = list(s.exec(rows.order_by(col(TraceRow.start_time).desc())
                                 .offset(sql_int((page - 1) * size)).limit(sql_int(size))).all())
            spans = list(s.exec(select(SpanRow).where(col(SpanRow.trace_id).in_([t.id for t in traces])))
                         .all()) if traces else []
        by_trace: dict[UUID, list[SpanRow]] = {}
        for span in spans:
            by_trace.setdefault(span.trace_id, []).append(span)
        summaries = []
        for trace in traces:
            own = by_trace.get(trace.id)
            summary = self._summary(trace, own or [], total_tokens=_leaf_tokens(own) if own else trace.total_tokens)
            summaries.append(summary)
        return {"traces": summaries, "total": total, "pages": math.ceil(total / size) if total else 0}

    @staticmethod
    def _summary(trace: TraceRow, spans: Sequence[SpanRow], *, total_tokens: int) -> dict[str, Any]:
        given, produced = _io(spans) if spans else (None, None)
        return {"id": trace.id, "name": trace.name, "status": trace.status or "unset",
                "start_time": shown(trace.start_time), "total_latency_ms": trace.total_latency_ms,
                "total_tokens": total_tokens, "flow_id": trace.flow_id,
                "session_id": trace.session_id or str(trace.id), "input": given, "output": produced}

    def get(self, user_id: UUID, trace_id: UUID) -> dict[str, Any] | None:
        """One of the caller's traces with its span tree; None when there is none of that id the caller owns."""
        from mock_langflow.store.run_records import SpanRow, TraceRow

        with self.db.session() as s:
            trace = s.exec(self._owned(user_id).where(TraceRow.id == trace_id)).first()
            if trace is None:
                return None
            spans = list(s.exec(select(SpanRow).where(SpanRow.trace_id == trace_id)
                                .order_by(col(SpanRow.start_time))).all())
        body = self._summary(trace, spans, total_tokens=_leaf_tokens(spans) or trace.total_tokens)
        return {**body, "end_time": shown(trace.end_time), "spans": span_tree(spans)}

    def delete(self, user_id: UUID, trace_id: UUID) -> bool:
        """Delete one of the caller's traces with its spans; False when the caller owns none of that id."""
        from mock_langflow.store.run_records import SpanRow, TraceRow

        with self.db.session() as s:
            trace = s.exec(self._owned(user_id).where(TraceRow.id == trace_id)).first()
            if trace is None:
                return False
            s.exec(delete(SpanRow).where(SpanRow.trace_id == trace_id))
            s.exec(delete(TraceRow).where(TraceRow.id == trace_id))
        return True

    def delete_for_flow(self, flow_id: UUID) -> None:
        with self.db.session() as s:
            self.delete_for_flows(s, [flow_id])

    @staticmethod
    def delete_for_flows(s: Any, flow_ids: Sequence[UUID]) -> None:
        from mock_langflow.store.run_records import SpanRow, TraceRow

        traces = select(TraceRow.id).where(col(TraceRow.flow_id).in_(flow_ids))
        s.exec(delete(SpanRow).where(col(SpanRow.trace_id).in_(traces)))
        s.exec(delete(TraceRow).where(col(TraceRow.flow_id).in_(flow_ids)))
