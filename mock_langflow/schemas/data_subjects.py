"""Request shapes of 1.13's data subject (GDPR) routes (/api/v1/data-subjects/..., /api/v1/users/me/...), as
Langflow's document has them; their answers' are in data_subject_answers.py, imported on first use."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import Field, model_validator

from mock_langflow.schemas import RequestShape

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
