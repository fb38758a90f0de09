"""Answers of 1.13's data subject (GDPR) routes, as Langflow's document types them: imported by the store's
first data subject request and by the routes' analysis (routing.documented), not at start-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from mock_langflow.schemas import Shape


class DataSubjectRequestRead(Shape):
    id: UUID
    subject_type: str
    subject_user_id: UUID
    subject_label: str | None
    source: str
    status: str
    phase: str | None
    requested_by: UUID | None
    decided_by: UUID | None
    requested_at: datetime | None
    due_at: datetime
    decided_at: datetime | None
    finished_at: datetime | None
    counts: dict[str, Any] | None
    error: dict[str, Any] | None
    refusal_note: str | None
    overdue: bool = False


class DataSubjectRequestPage(Shape):
    total_count: int
    requests: list[DataSubjectRequestRead]


class DryRunSummary(Shape):
    subject_type: str
    counts: dict[str, int]
    deployments: list[str] = Field(default_factory=list)
    shared_flows: list[str] = Field(default_factory=list)
    blocked_by: Literal["deployed_flows", "last_administrator"] | None = None


class OwnDeletionRequestStatus(Shape):
    id: UUID
    status: str
    requested_at: datetime | None
    decided_at: datetime | None


class EndUserMatch(Shape):
    end_user_id: str
    messages: int



END_USER_MATCHES = list[EndUserMatch]
