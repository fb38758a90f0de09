"""Shapes of 1.13's authorization administration routes (/api/v1/authz/...): roles, role assignments, teams and
their members, shares, the capabilities document and the audit log. Their texts in /openapi.json come from
schemas/descriptions.py, as every shape's do."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator, model_validator

from mock_langflow.schemas import RequestShape, Shape

# --- permission slugs: '<resource>:<action>', each resource with its own actions (1.13 services/authorization) --

_CRUD = ("read", "write", "create", "delete")
RESOURCE_ACTIONS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("user", "team", "role"), frozenset({"manage"})),
    "flow": frozenset({*_CRUD, "execute", "deploy", "audit_read", "*"}),
    "deployment": frozenset({*_CRUD, "execute", "*"}),
    "project": frozenset({*_CRUD, "audit_read", "*"}),
    "knowledge_base": frozenset({*_CRUD, "ingest", "*"}),
    **dict.fromkeys(("variable", "file", "provider_account"), frozenset({*_CRUD, "*"})),
    "share": frozenset({"read", "create", "delete", "update", "*"}),
    "connection": frozenset({*_CRUD, "execute", "*"}),
    "voice": frozenset({"read", "*"}),
}
_SLUG = re.compile(r"[a-z_]+:[a-z_*]+")
_MODEL_COMPONENT = re.compile(r"component:models/(?:[a-z0-9][a-z0-9._-]*|\*):read")


def check_permission(slug: str) -> str:
    """A permission slug as Langflow 1.13 accepts it (the ValueError's text is its 422 message)."""
    if _MODEL_COMPONENT.fullmatch(slug):
        return slug
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"permission {slug!r} is not in the canonical '<resource>:<action>' form "
                         "(e.g. 'flow:read', 'deployment:execute')")
    resource, action = slug.split(":", 1)
    allowed = RESOURCE_ACTIONS.get(resource)
    if allowed is None:
        raise ValueError(f"permission {slug!r} has unknown resource {resource!r}; "
                         f"expected one of {sorted(RESOURCE_ACTIONS)}")
    if action not in allowed:
        raise ValueError(f"permission {slug!r} has unknown action {action!r} for resource {resource!r}; "
                         f"expected one of {sorted(allowed)}")
    return slug


# --- capabilities ---------------------------------------------------------------------------------------------


class AdministrationCapabilities(Shape):
    user: bool
    team: bool
    role: bool


class AuthorizationFeatures(Shape):
    team_role_assignments: bool
    directory: dict[str, Any] | None = None


class AuthorizationCapabilities(Shape):
    administration: AdministrationCapabilities
    features: AuthorizationFeatures

    model_config = ConfigDict(defer_build=True, json_schema_extra={"examples": [{
        "administration": {"user": True, "team": False, "role": False},
        "features": {"team_role_assignments": False}}]})


# --- roles ----------------------------------------------------------------------------------------------------


class RoleCreate(RequestShape):
    name: str = Field(min_length=1, max_length=255)
    description: str | None = None
    permissions: list[str] = Field(default_factory=list)
    parent_role_id: UUID | None = None

    @field_validator("permissions")
    @classmethod
    def _permissions(cls, value: list[str]) -> list[str]:
        return [check_permission(slug) for slug in value]


class RoleUpdate(RequestShape):
    """PATCH: only the fields sent apply; a null description clears it, a null name or permissions is a 400."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = None
    permissions: list[str] | None = None
    parent_role_id: UUID | None = None

    @field_validator("permissions")
    @classmethod
    def _permissions(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [check_permission(slug) for slug in value]


class RoleRead(Shape):
    id: UUID
    name: str
    description: str | None
    is_system: bool
    permissions: list[str]
    parent_role_id: UUID | None
    workspace_id: UUID | None
    created_at: datetime
    updated_at: datetime
    created_by: UUID | None


# --- role assignments -----------------------------------------------------------------------------------------


class RoleAssignmentCreate(RequestShape):
    user_id: UUID
    role_id: UUID
    domain_type: Literal["global", "org", "workspace", "project"] = "global"
    domain_id: UUID | None = None

    @model_validator(mode="after")
    def _domain(self) -> RoleAssignmentCreate:
        if self.domain_type == "global" and self.domain_id is not None:
            raise ValueError("domain_id must be null when domain_type='global'")
        if self.domain_type != "global" and self.domain_id is None:
            raise ValueError(f"domain_id is required when domain_type={self.domain_type!r}")
        return self


class RoleAssignmentGrantSummary(Shape):
    source_kind: Literal["manual", "idp"]
    provider_id: str | None
    external_group: str | None
    administrative_actor: UUID | None
    created_at: datetime
    updated_at: datetime


class RoleAssignmentRead(Shape):
    id: UUID
    user_id: UUID
    role_id: UUID
    domain_type: str
    domain_id: UUID | None
    assigned_at: datetime
    assigned_by: UUID | None
    grant_sources: list[RoleAssignmentGrantSummary] = Field(default_factory=list)


# --- teams ----------------------------------------------------------------------------------------------------


class TeamCreate(RequestShape):
    team_name: str = Field(min_length=1, max_length=255)
    adom_name: str = Field(min_length=1, max_length=255)
    description: str | None = None
    is_active: bool = True


class TeamUpdate(RequestShape):
    team_name: str | None = Field(default=None, min_length=1, max_length=255)
    adom_name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = None
    is_active: bool | None = None


class TeamRead(Shape):
    id: UUID
    team_name: str
    adom_name: str
    description: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class TeamMemberCreate(RequestShape):
    user_id: UUID
    source: Literal["manual"] = "manual"


class TeamMemberRead(Shape):
    id: UUID
    team_id: UUID
    user_id: UUID
    source: str
    created_at: datetime


# --- shares (hidden from Langflow's document) -----------------------------------------------------------------

ShareResourceType = Literal["flow", "deployment", "project", "knowledge_base", "variable", "file", "connection"]
ShareScope = Literal["private", "team", "user", "public"]
SharePermission = Literal["read", "write", "execute", "admin"]
TARGETED_SCOPES = ("team", "user")


class ShareCreate(RequestShape):
    resource_type: ShareResourceType
    resource_id: UUID
    scope: ShareScope
    target_id: UUID | None = None
    permission_level: SharePermission = "read"

    @model_validator(mode="after")
    def _target(self) -> ShareCreate:
        targeted = self.scope in TARGETED_SCOPES
        if targeted and self.target_id is None:
            raise ValueError(f"scope {self.scope!r} requires target_id")
        if not targeted and self.target_id is not None:
            raise ValueError(f"scope {self.scope!r} must not set target_id")
        return self


class ShareUpdate(RequestShape):
    permission_level: SharePermission


class ShareRead(Shape):
    id: UUID
    resource_type: ShareResourceType
    resource_id: UUID
    scope: ShareScope
    target_id: UUID | None
    target_name: str | None = None
    permission_level: SharePermission
    created_by: UUID | None
    created_at: datetime


# --- the audit log (hidden) -----------------------------------------------------------------------------------


class AuthzAuditLogRead(Shape):
    id: UUID
    user_id: UUID | None
    actor_type: str | None = None
    actor_id: UUID | None = None
    action: str
    resource_type: str | None
    resource_id: UUID | None
    result: str
    details: dict[str, Any] | None
    timestamp: datetime


class AuthzAuditPage(Shape):
    items: list[AuthzAuditLogRead]
    total: int
    page: int
    size: int
    pages: int
