"""Shapes of 1.13's extension routes (/api/v1/extensions)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ExtensionEventResponse(BaseModel):
    type: str
    timestamp: float
    payload: dict[str, Any]


class ExtensionEventsResponse(BaseModel):
    events: list[ExtensionEventResponse]
    settled: bool
