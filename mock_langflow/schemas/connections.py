"""Shapes of 1.13's integration connections (/api/v1/connections) and integration catalog (/api/v1/integrations):
what a client may send (Langflow's patterns, limits and checks) and what the routes answer, credential-free.
Imported with the routes' handlers (routers/connection_handlers.py) on their first use, not at start-up."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import ConfigDict, Field, SecretStr, StrictStr, field_validator, model_validator

from mock_langflow.schemas import RequestShape, Shape

PROVIDER_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"  # lfx's provider id and connection name patterns
CONNECTION_NAME_PATTERN = r"^[a-z0-9]+(?:_[a-z0-9]+)*$"
DeploymentContext = Literal["self_managed", "hosted", "desktop"]


class ConnectionOwnershipMode(StrEnum):
    USER = "user"
    INSTANCE = "instance"


class PersistedConnectionStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ERROR = "error"


class ConnectionStatusReason(StrEnum):
    CREDENTIAL_MISSING = "credential-missing"
    CREDENTIAL_UNDECRYPTABLE = "credential-undecryptable"
    OAUTH_DENIED = "oauth-denied"
    OAUTH_EXPIRED = "oauth-expired"
    OAUTH_FAILED = "oauth-failed"


class ConnectionHealth(StrEnum):
    UNKNOWN = "unknown"
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"


class _Strict(RequestShape):
    model_config = ConfigDict(defer_build=True, extra="forbid")


class ConnectionAccount(_Strict):
    id: StrictStr
    display: StrictStr | None = None
    tenant_id: StrictStr | None = None


class ExecutingIdentityDescriptor(_Strict):
    identity: Literal["user_delegated", "bot", "service"]
    account: ConnectionAccount | None = None


class ConnectionCredentialWrite(_Strict):
    access_token: SecretStr = Field(min_length=1)
    refresh_token: SecretStr | None = None
    token_type: StrictStr = Field(default="Bearer", min_length=1, max_length=32)
    expires_at: datetime | None = None


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("display_name must not be blank")
    return value


def _unique_nonblank(value: list[str], blank: str, twice: str) -> list[str]:
    normalized = [scope.strip() for scope in value]
    if any(not scope for scope in normalized):
        raise ValueError(blank)
    if len(set(normalized)) != len(normalized):
        raise ValueError(twice)
    return normalized


class ConnectionCreate(_Strict):
    provider_key: StrictStr = Field(pattern=PROVIDER_ID_PATTERN, max_length=120)
    name: StrictStr = Field(pattern=CONNECTION_NAME_PATTERN, max_length=64)
    display_name: StrictStr = Field(min_length=1, max_length=255)
    ownership_mode: ConnectionOwnershipMode = ConnectionOwnershipMode.USER
    granted_scopes: list[StrictStr] = Field(default_factory=list, max_length=512)
    executing_identity: ExecutingIdentityDescriptor
    allow_non_interactive: bool = False
    credentials: ConnectionCredentialWrite | None = None

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str) -> str:
        return _not_blank(value)

    @field_validator("granted_scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        return _unique_nonblank(value, "granted_scopes must not contain blank values",
                                "granted_scopes must not contain duplicates")


class ConnectionUpdate(_Strict):
    display_name: StrictStr | None = Field(default=None, min_length=1, max_length=255)
    allow_non_interactive: bool | None = None

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str | None) -> str | None:
        return None if value is None else _not_blank(value)

    @model_validator(mode="after")
    def _changes_something(self) -> ConnectionUpdate:
        if not self.model_fields_set:
            raise ValueError("Provide display_name or allow_non_interactive")
        if any(getattr(self, name) is None for name in self.model_fields_set):
            raise ValueError("display_name and allow_non_interactive must not be null")
        return self


class ConnectionTestRequest(_Strict):
    required_scopes: list[StrictStr] = Field(default_factory=list, max_length=512)

    @field_validator("required_scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        message = "required_scopes must contain unique, non-blank values"
        return _unique_nonblank(value, message, message)


class OAuthStartRequest(_Strict):
    registration_id: str = Field(min_length=1, max_length=120, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    scopes: list[str] = Field(min_length=1, max_length=512)


class ConnectionRead(Shape):
    id: UUID
    owner_id: UUID | None
    ownership_mode: ConnectionOwnershipMode
    provider_key: str
    name: str
    display_name: str
    status: PersistedConnectionStatus
    status_reason: ConnectionStatusReason | None = None
    health: ConnectionHealth
    granted_scopes: list[str]
    executing_identity: ExecutingIdentityDescriptor
    allow_non_interactive: bool
    has_credentials: bool
    health_checked_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ConnectionRevokeRead(ConnectionRead):
    provider_revocation: Literal["revoked", "unsupported", "failed", "not_applicable"]


class OAuthStartResponse(Shape):
    authorization_url: str


class OAuthRegistrationRead(Shape):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    id: str
    provider: str
    profile: Literal["user", "bot"]
    context: DeploymentContext
    client_type: Literal["confidential", "public"]
    scopes: list[str]
    allowed_tenants: list[str]


class OAuthRegistrationListRead(Shape):
    registrations: list[OAuthRegistrationRead]


class ScopeCondition(_Strict):
    kind: Literal["input_present", "input_truthy"]
    input: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")


class ConditionalScopeRequirement(_Strict):
    scope: StrictStr = Field(min_length=1)
    role: Literal["optional", "alternative"]
    condition: ScopeCondition


class IntegrationCapabilityRead(Shape):
    id: str
    display_name: str
    policy_keys: list[str]
    risk: str
    required_scopes: list[str] = Field(default_factory=list)
    conditional_scopes: list[ConditionalScopeRequirement] = Field(default_factory=list)
    maturity: str
    substrate: str
    identity: str
    auth_profile_id: str
    deployment_contexts: list[str]
    component_ref: str | None = None
    mcp_tool: str | None = None
    allowed: bool
    blocked_policy_key: str | None = None


class IntegrationProviderRead(Shape):
    provider_id: str
    display_name: str
    icon: str | None = None
    docs_url: str | None = None
    approved: bool
    enabled: bool
    connection_count: int
    capabilities: list[IntegrationCapabilityRead]


class IntegrationListRead(Shape):
    providers: list[IntegrationProviderRead]
    deployment_context: DeploymentContext = "self_managed"


class EffectiveIntegrationPolicyRead(Shape):
    approved_provider_ids: list[str]
    blocked_action_keys: list[str]
    loaded_provider_ids: list[str]
    unrestricted: bool
    managed_externally: bool
    policy_revision: int | None = None
