"""Global variables of /api/v1/variables/."""

from __future__ import annotations

from uuid import UUID

from mock_langflow.schemas import Profiled, RequestShape


class VariableCreate(RequestShape):
    """Langflow's create model: `default_fields` must be sent, and may be null (stored as [])."""

    name: str
    value: str
    default_fields: list[str] | None
    type: str | None = None  # Langflow stores a variable sent without a type as a Credential


class VariableUpdate(RequestShape):
    """Langflow's update model: `id` is required (the path's id is the one updated). Which fields a PATCH
    writes depends on the release (profile variables.patch)."""

    id: UUID
    name: str | None = None
    value: str | None = None
    default_fields: list[str] | None = None
    type: str | None = None


class VariableRead(Profiled):
    shape = "VariableRead"

    id: UUID
    name: str | None
    type: str | None
    value: str | None
    has_value: bool
    default_fields: list[str] | None
    is_owner: bool = True
    can_manage_shares: bool = True
    validation_error: str | None = None
    is_valid: bool | None = None
