"""Shapes of 1.13's data subject (GDPR) routes (/api/v1/data-subjects/..., /api/v1/users/me/...), as Langflow's
document has them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import Field, model_validator

from mock_langflow.schemas import RequestShape, Shape

MAX_REFUSAL_NOTE_LENGTH = 1000
MAX_SCOPE_FLOWS = 500


class DataSubjectType(StrEnum):
    BUILDER = "builder"
    END_USER = "end_user"


class DataSubjectRequestStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    ERASING = "erasing"
    DONE = "done"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset({"requested", "approved", "erasing"})


class DataSubjectRef(RequestShape):
    """A builder by exactly one of user_id or username, or an end user by end_user_id (flow_ids scoping it)."""

    subject_type: DataSubjectType
    user_id: UUID | None = None
    username: str | None = Field(default=None, min_length=1, max_length=255)
    end_user_id: str | None = Field(default=None, max_length=255)
    flow_ids: list[UUID] | None = Field(default=None, max_length=MAX_SCOPE_FLOWS)

    @model_validator(mode="after")
    def _one_identifier(self) -> DataSubjectRef:
        named = (self.user_id is not None) + (self.username is not None)
        builder = self.subject_type == DataSubjectType.BUILDER
        if builder and (named != 1 or self.end_user_id):
            raise ValueError("A builder is identified by exactly one of user_id or username")
        if not builder and (not self.end_user_id or named):
            raise ValueError("An end user is identified by end_user_id only")
        if builder and self.flow_ids:
            raise ValueError("flow_ids scopes end-user requests only")
        return self


class RefuseRequest(RequestShape):
    note: str | None = Field(default=None, max_length=MAX_REFUSAL_NOTE_LENGTH)


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

