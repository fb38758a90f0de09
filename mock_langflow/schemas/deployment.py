"""1.13's project replacement body (PUT /projects/{id}/replacement-operations/{operation_id}); the snapshot's and
the receipt's shapes answer only for /openapi.json and the lazily imported code that builds them
(schemas/documented.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ConfigDict, field_validator

from mock_langflow.schemas import RequestShape
from mock_langflow.schemas.flows import FlowCreate


class ReplacementFlowCreate(FlowCreate):
    """A flow of a replacement: a flow create's fields, with its id and graph required and no other field."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: UUID
    data: dict[str, Any]

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be blank")
        return value


class ProjectReplacementRequest(RequestShape):
    """PUT /projects/{id}/replacement-operations/{operation_id}: the project's whole flow set."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    description: str | None
    flows: list[ReplacementFlowCreate]
    project_name: str | None = None
    dependencies: dict[str, Any] | None = None

    @field_validator("project_name")
    @classmethod
    def _project_name_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("project_name must not be blank")
        return value
