"""Shapes of 1.13's flow event queue (/api/v1/flows/{flow_id}/events)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

FlowEventType = Literal["component_added", "component_removed", "component_configured", "connection_added",
                        "connection_removed", "flow_updated", "flow_settled"]


class FlowEventCreate(BaseModel):
    type: FlowEventType
    summary: str = Field(default="", max_length=500)


class FlowEventResponse(BaseModel):
    type: str
    timestamp: float
    summary: str


class FlowEventsResponse(BaseModel):
    events: list[FlowEventResponse]
    settled: bool
