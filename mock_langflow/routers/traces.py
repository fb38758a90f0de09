"""/api/v1/monitor/traces (Langflow 1.8 and 1.13): the native traces runs leave, listed, read and deleted by the
owner of their flow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query, Response

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.responses import no_content
from mock_langflow.routing import api_router
from mock_langflow.schemas.traces import SpanStatus, TraceListResponse, TraceRead
from mock_langflow.state import AppState
from mock_langflow.store.traces import TraceFilters

router = api_router(prefix="/monitor/traces", tags=["Traces"])

QUERY_MAX = 50  # the search text Langflow keeps: its first 50 printable ASCII characters


def search_text(query: str | None) -> str | None:
    """`query` as Langflow searches for it: printable ASCII only, trimmed, at most 50 characters; None if
    nothing is left."""
    if query is None:
        return None
    kept = "".join(ch for ch in query if " " <= ch <= "~").strip()
    return kept[:QUERY_MAX] or None


def bound(state: AppState, moment: datetime | None) -> datetime | None:
    """A time filter against the stored start times (UTC): a time without an offset is UTC; 1.13 reads one with an
    offset in UTC, 1.8 by its wall clock, its offset dropped, as its SQLite column compares it (profile
    messages.trace_times)."""
    if moment is None:
        return None
    if moment.tzinfo is not None and state.profile.messages.trace_times == "utc":
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:  # 1.13's ensure_utc fails the same way, which its exception handler answers
            raise errors.RecordedServerBug(str(exc)) from exc
    return moment.replace(tzinfo=UTC)


@router.get("", response_model=TraceListResponse, response_model_by_alias=True)
async def get_traces(user: CurrentUser, state: StateDep, flow_id: Annotated[UUID | None, Query()] = None,
                     session_id: Annotated[str | None, Query()] = None,
                     status: Annotated[SpanStatus | None, Query()] = None,
                     query: Annotated[str | None, Query()] = None,
                     start_time: Annotated[datetime | None, Query()] = None,
                     end_time: Annotated[datetime | None, Query()] = None,
                     page: Annotated[int, Query(ge=0)] = 1,
                     size: Annotated[int, Query(ge=1, le=200)] = 50) -> TraceListResponse:
    """GET /api/v1/monitor/traces: a page of the caller's traces (of the flows the caller owns), the latest
    started first, filtered by flow, session, status, a search of name, id (32 hex digits, no hyphens) and
    session, and a start-time window; page 0 is page 1."""
    filters = TraceFilters(flow_id=flow_id, session_id=session_id, status=status.value if status else None,
                           query=search_text(query), start_time=bound(state, start_time),
                           end_time=bound(state, end_time),
                           escaped=state.profile.messages.trace_search == "literal")
    found = state.store.traces.page(user.id, filters, page=max(page, 1), size=size)
    return TraceListResponse.model_validate(found)


@router.get("/{trace_id}", response_model=TraceRead, response_model_by_alias=True)
async def get_trace(trace_id: UUID, user: CurrentUser, state: StateDep) -> TraceRead:
    """GET /api/v1/monitor/traces/{trace_id}: one of the caller's traces with its span tree; 404 "Trace not
    found" for any other id."""
    found = state.store.traces.get(user.id, trace_id)
    if found is None:
        raise errors.TraceNotFound()
    return TraceRead.model_validate(found)


@router.delete("/{trace_id}", status_code=204)
async def delete_trace(trace_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/monitor/traces/{trace_id}: one of the caller's traces and its spans (204); 404 "Trace not
    found" for any other id."""
    if not state.store.traces.delete(user.id, trace_id):
        raise errors.TraceNotFound()
    return no_content()


@router.delete("", status_code=204)
async def delete_traces_by_flow(flow_id: Annotated[UUID, Query()], user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/monitor/traces?flow_id=: every trace of one of the caller's flows (204, whether it had
    any); 404 "Flow not found" for a flow that is not the caller's."""
    if not state.store.flows.owns(flow_id, user.id):
        raise errors.FlowNotFound()
    state.store.traces.delete_for_flow(flow_id)
    return no_content()
