"""The request journal: every request the mock received, queryable, and `verify` with near-misses."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl
from uuid import UUID

from sqlalchemy import insert
from sqlmodel import col, delete, select

from mock_langflow.clock import Clock, ts_offset
from mock_langflow.control import patterns
from mock_langflow.store.db import Database, table
from mock_langflow.store.models import JournalRow

SECRET_HEADERS = {"x-api-key", "authorization", "cookie", "set-cookie"}
SECRET_QUERY = {"x-api-key"}
BODY_LIMIT = 64 * 1024  # bytes of a request body kept in the journal
REDACTED = "<redacted>"
INSERT_ENTRY = insert(table(JournalRow))
_FLOW_IN_PATH = re.compile(r"^/api/v1/(?:run(?:/advanced|/session)?|webhook|build|flows|files/upload|files/list)/"
                           r"([^/]+)")


def redact_headers(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw_key, raw_value in headers:
        key = raw_key.decode("latin-1").lower()
        value = REDACTED if key in SECRET_HEADERS else raw_value.decode("latin-1")
        out[key] = value if key not in out else f"{out[key]}, {value}"
    return out


def redact_query(query_string: bytes) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_QUERY else v)
            for k, v in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)}


def _json(body: str | None) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def refs_of(path: str, query: dict[str, str], body: str | None) -> tuple[str | None, str | None]:
    """The flow (id or endpoint name) and the session a request names, if any."""
    parsed = _json(body)
    flow = None
    match = _FLOW_IN_PATH.match(path)
    if match and match.group(1) not in ("upload", "download", "basic_examples"):
        flow = match.group(1)
    if flow is None and isinstance(parsed, dict) and isinstance(parsed.get("flow_id"), str):
        flow = parsed["flow_id"]
    flow = flow or query.get("flow_id")
    session = query.get("session_id")
    if isinstance(parsed, dict):
        inner = parsed.get("input_request") if isinstance(parsed.get("input_request"), dict) else parsed
        inputs = parsed.get("inputs") if isinstance(parsed.get("inputs"), dict) else {}
        for candidate in (inner.get("session_id"), parsed.get("session_id"), inputs.get("session")):
            if isinstance(candidate, str):
                session = candidate
                break
    return _text(flow), _text(session)


def _text(ref: str | None) -> str | None:
    """A ref as the journal can store it: a lone surrogate (from a "\\ud800" in a body the mock refused)
    kept as its escape."""
    return ref.encode("utf-8", "backslashreplace").decode("utf-8") if ref else ref


@dataclass
class RequestQuery:
    """Which journal entries to select; a path is exact, a glob (`*`, `?`), or `re:<regular expression>`."""

    method: str | None = None
    path: str | None = None
    flow: list[str] | None = None  # the flow's id, endpoint name and name: any of them names it
    session: str | None = None
    status: int | None = None
    body_contains: str | None = None
    json_subset: dict[str, Any] | None = None

    def path_matches(self, path: str) -> bool:
        return self.path is None or patterns.matches(self.path, path)

    def misses(self, row: JournalRow) -> list[str]:
        """Why this entry does not match (empty: it does)."""
        reasons = []
        if self.method and row.method.upper() != self.method.upper():
            reasons.append(f"method {row.method} != {self.method.upper()}")
        if not self.path_matches(row.path):
            reasons.append(f"path {row.path} != {self.path}")
        if self.flow and row.flow_ref not in self.flow:
            reasons.append(f"flow {row.flow_ref} is not {self.flow[0]}")
        if self.session and row.session_id != self.session:
            reasons.append(f"session {row.session_id} != {self.session}")
        if self.status is not None and row.status != self.status:
            reasons.append(f"status {row.status} != {self.status}")
        if self.body_contains is not None and self.body_contains not in (row.body or ""):
            reasons.append(f"body does not contain {self.body_contains!r}")
        if self.json_subset is not None and not _contains(_json(row.body), self.json_subset):
            reasons.append("JSON body lacks the expected fields")
        return reasons


def _contains(actual: Any, expected: Any) -> bool:
    """`expected` is a subset of `actual`: every key it names has an equal (or, for dicts, contained) value."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _contains(actual[k], v) for k, v in expected.items())
    return bool(actual == expected)


def entry(row: JournalRow) -> dict[str, Any]:
    return {"id": row.id, "timestamp": ts_offset(row.timestamp), "method": row.method, "path": row.path,
            "query": row.query or {}, "headers": row.headers or {}, "body": row.body, "status": row.status,
            "duration_ms": row.duration_ms, "flow": row.flow_ref, "session_id": row.session_id,
            "fault_id": row.fault_id}


class Journal:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    def record(self, *, timestamp: Any, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: str | None, status: int | None, duration_ms: float, flow_ref: str | None,
               session_id: str | None, fault_id: int | None) -> None:
        """One request; written with the next batch of deferred writes (before anything reads the journal)."""
        self.db.defer(INSERT_ENTRY, {"timestamp": timestamp, "method": method, "path": path, "query": query,
                                     "headers": headers, "body": body, "status": status, "duration_ms": duration_ms,
                                     "flow_ref": flow_ref, "session_id": session_id, "fault_id": fault_id})

    def select(self, query: RequestQuery, *, limit: int | None = None) -> list[JournalRow]:
        with self.db.session() as s:
            rows = s.exec(select(JournalRow).order_by(col(JournalRow.id))).all()
        found = [r for r in rows if not query.misses(r)]
        return found[-limit:] if limit else found

    def verify(self, query: RequestQuery, *, count: int | None = None) -> dict[str, Any]:
        """How many requests matched; with none, the closest misses and what differed."""
        with self.db.session() as s:
            rows = list(s.exec(select(JournalRow).order_by(col(JournalRow.id))).all())
        matched = [r for r in rows if not query.misses(r)]
        ok = len(matched) == count if count is not None else bool(matched)
        result: dict[str, Any] = {"matched": len(matched), "expected": count, "ok": ok}
        if not matched:
            # closest first: the same path counts for more than anything else
            def closeness(pair: tuple[list[str], JournalRow]) -> tuple[bool, int, int]:
                why, row = pair
                return any(w.startswith("path ") for w in why), len(why), -(row.id or 0)

            scored = sorted(((query.misses(r), r) for r in rows), key=closeness)
            result["near_misses"] = [{"request": f"{r.method} {r.path}", "status": r.status, "differences": why}
                                     for why, r in scored[:5]]
        return result

    def clear(self) -> None:
        with self.db.session() as s:
            s.exec(delete(JournalRow))


def flow_names(store: Any, ref: str) -> list[str]:
    """Every name a flow goes by (id, endpoint name, name), so a query by any of them finds its requests."""
    from mock_langflow.store.models import FlowRow

    names = {ref}
    with store.db.session() as s:
        try:
            row = s.get(FlowRow, UUID(ref))
        except ValueError:
            row = s.exec(select(FlowRow).where((FlowRow.endpoint_name == ref) | (FlowRow.name == ref))).first()
        if row is not None:
            names |= {str(row.id), *(n for n in (row.endpoint_name, row.name) if n)}
    return sorted(names)
