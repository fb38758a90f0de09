"""Faults a test injects on purpose: latency, an error answer, a dropped connection, a stream cut after N
events, a job that never finishes; each for the next N matching requests, or at a rate."""

from __future__ import annotations

import contextvars
import random
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import col, delete, select

from mock_langflow.clock import LONGEST_WAIT_MS
from mock_langflow.control import patterns
from mock_langflow.engine.scripts import STRICT
from mock_langflow.store.db import SQL_INT_MAX, Database
from mock_langflow.store.models import FaultRow

# Set while a request that a never_finish fault matched is handled: a job it starts never ends.
JOB_NEVER_FINISHES: contextvars.ContextVar[bool] = contextvars.ContextVar("job_never_finishes", default=False)

DEFAULT_DETAILS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                   503: "Service Unavailable", 504: "Gateway Timeout"}


class FaultSpec(BaseModel):
    # no infinities or NaN (YAML's .inf): the database's JSON cannot keep them; built on first use (a request body)
    model_config = ConfigDict(**STRICT, defer_build=True)

    kind: Literal["latency", "error", "drop", "cut_stream", "never_finish"]
    route: str = Field(default="*", description="path: exact, glob (*, ?) or re:<regex>")
    method: str | None = None
    flow: str | None = Field(default=None, description="flow id, endpoint name or name named by the request")
    latency_ms: float = Field(default=0, ge=0, le=LONGEST_WAIT_MS)  # at most a day: longer is never_finish's job
    jitter_ms: float = Field(default=0, ge=0, le=LONGEST_WAIT_MS)
    status: int = Field(default=500, ge=400, le=599)
    detail: str | None = None
    retry_after: int | None = Field(default=None, ge=0)
    after_events: int = Field(default=0, ge=0, description="cut_stream: events let through before the cut")
    count: int | None = Field(default=None, ge=1, le=SQL_INT_MAX,
                              description="the next N matching requests; none: every one")
    rate: float | None = Field(default=None, gt=0, le=1, description="chance that a matching request is hit")

    @model_validator(mode="after")
    def _check(self) -> FaultSpec:
        if self.kind == "latency" and not (self.latency_ms or self.jitter_ms):
            raise ValueError("a latency fault needs latency_ms or jitter_ms")
        patterns.check(self.route, name="route")
        return self

    def matches(self, method: str, path: str, flow_names: set[str]) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.flow and self.flow not in flow_names:
            return False
        return patterns.matches(self.route, path)

    def error_body(self) -> tuple[dict[str, Any], dict[str, str]]:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        if self.status == 429 and "Retry-After" not in headers:
            headers["Retry-After"] = "1"
        return {"detail": self.detail or DEFAULT_DETAILS.get(self.status, "Error")}, headers


class Faults:
    """Stored in SQLite (table fault); a copy is cached because every request consults it."""

    def __init__(self, db: Database, *, seed: int | None = None) -> None:
        self.db = db
        # bandit B311 is a false positive here: decides which requests a fault's `rate` hits, not a secret.
        self._random = random.Random(seed)  # nosec B311
        # (a database this start made has no fault: nothing to read at the first request)
        self._cache: list[tuple[FaultRow, FaultSpec]] | None = [] if db.new else None

    def _load(self) -> list[tuple[FaultRow, FaultSpec]]:
        if self._cache is None:
            with self.db.session() as s:
                rows = s.exec(select(FaultRow).order_by(col(FaultRow.id))).all()
            self._cache = [(r, FaultSpec.model_validate(r.spec)) for r in rows]
        return self._cache

    def add(self, spec: FaultSpec) -> FaultRow:
        with self.db.session() as s:
            row = FaultRow(spec=spec.model_dump(mode="json", exclude_none=True), remaining=spec.count)
            s.add(row)
        self._cache = None
        return row

    def list(self) -> list[dict[str, Any]]:
        return [{"id": row.id, "remaining": row.remaining, "hits": row.hits, **row.spec} for row, _ in self._load()]

    def remove(self, fault_id: int | None = None) -> int:
        with self.db.session() as s:
            query = delete(FaultRow) if fault_id is None else delete(FaultRow).where(FaultRow.id == fault_id)
            result = s.exec(query)
        self._cache = None
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    @property
    def active(self) -> bool:
        return bool(self._load())

    @property
    def wants_flow(self) -> bool:
        return any(spec.flow for _, spec in self._load())

    def take(self, method: str, path: str, flow_names: set[str]) -> tuple[int, FaultSpec] | None:
        """The first fault that hits this request; a counted fault is used up by it."""
        for row, spec in self._load():
            if row.remaining is not None and row.remaining <= 0:
                continue
            if not spec.matches(method, path, flow_names):
                continue
            if spec.rate is not None and self._random.random() >= spec.rate:
                continue
            with self.db.session() as s:
                stored = s.get(FaultRow, row.id)
                if stored is None:
                    continue
                stored.hits += 1
                if stored.remaining is not None:
                    stored.remaining -= 1
                s.add(stored)
                row.hits, row.remaining = stored.hits, stored.remaining
            return int(row.id or 0), spec
        return None

    def jitter(self, spec: FaultSpec) -> float:
        return spec.latency_ms + (self._random.random() * spec.jitter_ms if spec.jitter_ms else 0.0)
