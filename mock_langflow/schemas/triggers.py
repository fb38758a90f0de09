"""Shapes of 1.13's flow triggers (/api/v1/triggers): what a client may set on a trigger (Langflow's field limits and
patterns), and what the routes answer (a trigger, a row of its event ledger, its ingress address). Imported with
the trigger routes' handlers (routers/trigger_handlers.py), on their first use, not at start-up."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator

from mock_langflow.schemas import RequestShape, Shape

# A kind is open-ended (providers register their own) but must be a lowercase dotted word; a provider a lowercase
# word that may hold dashes.
KIND_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
PROVIDER_PATTERN = r"^[a-z][a-z0-9_-]*$"


class TriggerState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    EXPIRED = "expired"
    NEEDS_RECONNECT = "needs_reconnect"
    ERROR = "error"
    DEAD = "dead"


# What a fired event runs (a deployment binding is stored, never run), and how its run's session is chosen
TriggerBindingTarget = StrEnum("TriggerBindingTarget", {"FLOW": "flow", "DEPLOYMENT": "deployment"})
TriggerSessionPolicy = StrEnum("TriggerSessionPolicy", {"PER_EVENT": "per_event", "SHARED": "shared"})


class _Body(RequestShape):
    model_config = ConfigDict(defer_build=True, extra="forbid")


class TriggerCreate(_Body):
    name: str = Field(min_length=1, max_length=255)
    kind: str = Field(min_length=1, max_length=64, pattern=KIND_PATTERN)
    provider: str | None = Field(default=None, max_length=64, pattern=PROVIDER_PATTERN)
    node_id: str | None = Field(default=None, max_length=255)
    connection_id: UUID | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    binding_target: TriggerBindingTarget = TriggerBindingTarget.FLOW
    deployment_id: UUID | None = None
    flow_version_id: UUID | None = None
    session_policy: TriggerSessionPolicy = TriggerSessionPolicy.PER_EVENT
    concurrency_limit: int = Field(default=1, ge=1, le=100)
    max_attempts: int = Field(default=5, ge=1, le=20)
    flow_id: UUID
    state: TriggerState = TriggerState.PENDING


class TriggerUpdate(_Body):
    """Unset fields stay as they are; only the references (connection, deployment, pin) may be set to null."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    config: dict[str, Any] | None = None
    connection_id: UUID | None = None
    binding_target: TriggerBindingTarget | None = None
    deployment_id: UUID | None = None
    flow_version_id: UUID | None = None
    session_policy: TriggerSessionPolicy | None = None
    concurrency_limit: int | None = Field(default=None, ge=1, le=100)
    max_attempts: int | None = Field(default=None, ge=1, le=20)

    @field_validator("name", "config", "binding_target", "session_policy", "concurrency_limit", "max_attempts")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("This field cannot be null.")
        return value


class TriggerPinRequest(_Body):
    flow_version_id: UUID | None  # required: null unpins, an empty body does not


class TriggerReplayRequest(_Body):
    event_id: UUID


class TriggerTestRequest(_Body):
    payload: dict[str, Any] = Field(default_factory=dict)


class TriggerRead(Shape):
    id: UUID
    flow_id: UUID
    user_id: UUID | None
    name: str
    kind: str
    provider: str | None
    node_id: str | None
    connection_id: UUID | None
    config: dict[str, Any]
    state: str
    binding_target: str
    deployment_id: UUID | None
    flow_version_id: UUID | None
    session_policy: str
    concurrency_limit: int
    max_attempts: int
    next_fire_at: datetime | None
    last_fired_at: datetime | None
    last_error: str | None
    created_at: datetime | None
    updated_at: datetime | None


class TriggerEventRead(Shape):
    id: UUID
    trigger_id: UUID
    dedupe_key: str
    state: str
    attempt: int
    available_at: datetime | None
    payload: dict[str, Any]
    session_id: str | None
    job_id: UUID | None
    replay_of_event_id: UUID | None
    error: str | None
    created_at: datetime | None
    updated_at: datetime | None


class TriggerIngressRead(Shape):
    trigger_id: UUID
    public_id: str | None
    ingress_url: str | None
    has_signing_secret: bool


class TriggerSigningSecretRead(TriggerIngressRead):
    signing_secret: str
