"""Shapes of 1.13's audit reads: the feed (/api/v1/audits) and the flow and project trails (/flows/audits,
/projects/audits). Times are written in full (microseconds, "Z"), as Langflow's serializers write them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import field_serializer

from mock_langflow.clock import as_utc
from mock_langflow.schemas import Shape


def rfc3339(value: datetime, timespec: str = "microseconds") -> str:
    return as_utc(value).isoformat(timespec=timespec).replace("+00:00", "Z")


class AuditSource(StrEnum):
    RESOURCE = "resource"
    AUTHZ = "authz"


class AuditKind(StrEnum):
    ACTION = "action"
    CHECK = "check"


class AuditFeedActor(Shape):
    type: str | None
    id: UUID | None
    user_id: UUID | None
    acting_issuer: str | None
    acting_subject: str | None


class AuditFeedItem(Shape):
    id: UUID
    timestamp: datetime
    source: AuditSource
    kind: AuditKind
    action: str
    resource_type: str | None
    resource_id: UUID | None
    resource_name: str | None
    result: str
    user_id: UUID | None
    actor_type: str | None
    actor_id: UUID | None
    actor: AuditFeedActor
    operation: str | None
    error_code: str | None
    request_id: UUID | None
    details: dict[str, Any] | None

    @field_serializer("timestamp")
    def _rfc3339(self, value: datetime) -> str:
        return rfc3339(value)


class AuditFeedResponse(Shape):
    items: list[AuditFeedItem]
    next_cursor: str | None
    total: int | None


class AuditActorRead(Shape):
    type: str
    id: UUID | None
    user_id: UUID | None
    acting_issuer: str | None
    acting_subject: str | None


class AuditEventReadBase(Shape):
    id: UUID
    timestamp: datetime
    action: str
    operation: str
    event_type: str
    result: str
    error_code: str | None
    request_id: UUID
    actor: AuditActorRead
    details: dict[str, Any]

    @field_serializer("timestamp")
    def _rfc3339(self, value: datetime) -> str:
        return rfc3339(value)


class FlowAuditEventRead(AuditEventReadBase):
    flow_id: UUID
    flow_name: str | None


class FlowAuditPage(Shape):
    items: list[FlowAuditEventRead]
    next_cursor: str | None


class ProjectAuditEventRead(AuditEventReadBase):
    project_id: UUID
    project_name: str | None


class ProjectAuditPage(Shape):
    items: list[ProjectAuditEventRead]
    next_cursor: str | None
