"""/api/v1/flows/{flow_id}/events (1.13): a flow's short-lived change events, which its editors poll."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query

from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.routing import api_router
from mock_langflow.schemas.flow_events import FlowEventCreate, FlowEventResponse, FlowEventsResponse

router = api_router(prefix="/flows", tags=["Flow Events"])


@router.get("/{flow_id}/events", include_in_schema=False)
async def get_flow_events(flow_id: UUID, user: CurrentUser, state: StateDep,
                          since: Annotated[float, Query()] = 0.0) -> FlowEventsResponse:
    """GET /api/v1/flows/{flow_id}/events?since=<epoch seconds>: the events after `since` and whether the flow
    has settled (see store/flow_events.py)."""
    state.store.flow_events.check_flow(flow_id, user_id=user.id)
    events, settled = state.store.flow_events.since(flow_id, since)
    return FlowEventsResponse(events=events, settled=settled)


@router.post("/{flow_id}/events", status_code=201, include_in_schema=False)
async def create_flow_event(flow_id: UUID, event: FlowEventCreate, user: CurrentUser,
                            state: StateDep) -> FlowEventResponse:
    """POST /api/v1/flows/{flow_id}/events: append an event to the flow's queue."""
    state.store.flow_events.check_flow(flow_id, user_id=user.id)
    return state.store.flow_events.append(flow_id, event.type, event.summary)
