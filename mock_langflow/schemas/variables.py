"""Global variables of /api/v1/variables/."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ValidatorFunctionWrapHandler, field_validator

from mock_langflow.profiles import current
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

    @field_validator("type", mode="wrap")
    @classmethod
    def _type_if_the_release_has_it(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> str | None:
        """1.7.1's update model has no `type`: whatever is sent there is ignored, never a 422 (profile
        variables.patch_type)."""
        if not current().variables.patch_type:
            return None
        checked: str | None = handler(value)
        return checked


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
