"""Shapes of 1.13's /api/v1/authz/me/permissions, the frontend's permission gate."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, field_validator

ResourceType = Literal["flow", "deployment", "project", "knowledge_base", "variable", "file", "component"]
DEFAULT_ACTIONS = ("read", "write", "execute", "delete", "create")
MAX_RESOURCE_IDS = 500
MAX_ACTIONS = 10


class EffectivePermissionsRequest(BaseModel):
    resource_type: ResourceType
    resource_ids: list[UUID]
    actions: list[str] | None = None
    domain: str = "*"

    @field_validator("actions")
    @classmethod
    def _normalize_actions(cls, value: list[str] | None) -> list[str] | None:
        """Lowercased, stripped, first occurrence kept; none left means the default actions (as Langflow)."""
        if value is None:
            return None
        kept = list(dict.fromkeys(a for a in (raw.strip().lower() for raw in value) if a))
        if len(kept) > MAX_ACTIONS:
            raise ValueError(f"actions capped at {MAX_ACTIONS} unique entries")
        return kept or None


class EffectivePermissionsResponse(BaseModel):
    resource_type: ResourceType
    permissions: dict[UUID, list[str]]
