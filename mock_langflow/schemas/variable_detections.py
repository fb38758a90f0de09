"""POST /api/v1/variables/detections's body (1.13), imported when its route is first analysed (not at start-up)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field

from mock_langflow.schemas import RequestShape


def _deduplicated(ids: list[UUID]) -> list[UUID]:
    """1.13's DetectVarsRequest keeps each id once, in the order sent."""
    return list(dict.fromkeys(ids))


class DetectVarsRequest(RequestShape):
    """POST /api/v1/variables/detections (1.13): 1 to 50 flow version ids (counted before they are deduplicated)."""

    flow_version_ids: Annotated[list[UUID], AfterValidator(_deduplicated)] = Field(min_length=1, max_length=50)
