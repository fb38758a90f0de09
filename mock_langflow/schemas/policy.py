"""Shapes of 1.13's policy bundle (/api/v1/policy-bundle) and catalog policy (/api/v1/catalog-policy) routes, with
Langflow's key rules (api/v1/policy_bundle.py, api/v1/schemas/catalog_policy.py, lfx's model and integration
policy keys). Imported when one of those routes is first analysed; their texts in /openapi.json come from
schemas/descriptions.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, field_validator

from mock_langflow.schemas import RequestShape, Shape
from mock_langflow.schemas.models import ProviderIds, canonical_providers, distinct, resolve_provider

REASON_MAX = 1024
CatalogKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
CatalogKeys = Annotated[list[CatalogKey], Field(max_length=1000)]
IntegrationProviderId = Annotated[str, StringConstraints(strip_whitespace=True,
                                                         pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]*$", max_length=120)]
MODEL_KEY_SEPARATOR, MODEL_KEY_TYPES = "::", ("llm", "embeddings")
INTEGRATION_PREFIX = "integrations."
INTEGRATION_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def model_key(key: str) -> str:
    """A blocked-model key ("model", "provider::model" or "provider::llm|embeddings::model") with its provider
    named by id, as lfx's normalize_blocked_model_key writes it (its ValueError texts are the 422's)."""
    key = key.strip()
    if not key:
        raise ValueError("Blocked-model keys must not be empty")
    parts = key.split(MODEL_KEY_SEPARATOR, 2)
    if len(parts) == 1:
        return key
    if any(not part.strip() for part in parts):
        raise ValueError("Blocked-model key segments must not be empty")
    provider = resolve_provider(parts[0].strip())
    if len(parts) == 2:
        return f"{provider}{MODEL_KEY_SEPARATOR}{parts[1].strip()}"
    if parts[1].strip() in MODEL_KEY_TYPES:
        return MODEL_KEY_SEPARATOR.join((provider, parts[1].strip(), parts[2].strip()))
    rest = MODEL_KEY_SEPARATOR.join((parts[1], parts[2])).strip()
    return f"{provider}{MODEL_KEY_SEPARATOR}{rest}"


def integration_key(key: str) -> str:
    """An integration action key, integrations.<provider>.<action>..., case-folded, as lfx checks it."""
    folded = key.strip().casefold()
    if not folded:
        raise ValueError("Integration action policy keys must not be empty")
    if not folded.startswith(INTEGRATION_PREFIX):
        raise ValueError(f"Integration action policy keys must start with {INTEGRATION_PREFIX!r}: {key!r}")
    segments = folded.split(".")
    if len(segments) < 3 or not all(segments):
        raise ValueError("Integration action policy keys must use the form "
                         f"'integrations.<provider_id>.<action>' with non-empty segments: {key!r}")
    if not set(folded) <= INTEGRATION_CHARACTERS:
        raise ValueError(f"Integration action policy keys must use lowercase identifier syntax: {key!r}")
    return folded


class PolicyBundleWrite(RequestShape):
    expected_revision: int = Field(ge=1)
    approved_provider_ids: ProviderIds
    blocked_component_keys: CatalogKeys
    blocked_template_keys: CatalogKeys
    blocked_model_keys: CatalogKeys = Field(default_factory=list)
    approved_integration_provider_ids: Annotated[list[IntegrationProviderId], Field(max_length=1000)] = Field(
        default_factory=list)
    blocked_integration_action_keys: CatalogKeys = Field(default_factory=list)
    reason: str | None = Field(default=None, max_length=REASON_MAX)

    _canonical = field_validator("approved_provider_ids", mode="before")(canonical_providers)
    _distinct = field_validator("approved_provider_ids", "blocked_component_keys", "blocked_template_keys")(distinct)

    @field_validator("blocked_model_keys")
    @classmethod
    def _models(cls, value: list[str]) -> list[str]:
        return distinct([model_key(v) for v in value])

    @field_validator("approved_integration_provider_ids")
    @classmethod
    def _integrations(cls, value: list[str]) -> list[str]:
        return distinct([v.casefold() for v in value])

    @field_validator("blocked_integration_action_keys")
    @classmethod
    def _actions(cls, value: list[str]) -> list[str]:
        return distinct([integration_key(v) for v in value])

    def lists(self) -> dict[str, list[str]]:
        return self.model_dump(exclude={"expected_revision", "reason"})


class PolicyBundleRollbackWrite(RequestShape):
    expected_revision: int = Field(ge=1)
    reason: str | None = Field(default=None, max_length=REASON_MAX)


class PolicyBundleRead(Shape):
    revision: int
    initialized: bool
    source: str
    approved_provider_ids: list[str]
    blocked_component_keys: list[str]
    blocked_template_keys: list[str]
    blocked_model_keys: list[str]
    approved_integration_provider_ids: list[str]
    blocked_integration_action_keys: list[str]
    content_hash: str
    created_at: datetime | None
    created_by: UUID | None
    reason: str | None
    rollback_of_revision: int | None
    managed_externally: bool = False


class PolicyBundleHistoryRead(Shape):
    items: list[PolicyBundleRead]
    next_before_revision: int | None


class CatalogPolicyBlockedSet(RequestShape):
    blocked: CatalogKeys

    _distinct = field_validator("blocked")(distinct)


class CatalogPolicyRead(Shape):
    blocked: list[str]
    managed_externally: bool


class CatalogPolicyUsageRead(Shape):
    components: dict[str, int]
    flows_scanned: int


class CatalogPolicyUsageFlowRef(Shape):
    id: UUID
    name: str


class CatalogPolicyUsageFlowsRead(Shape):
    component: str
    total: int
    flows: list[CatalogPolicyUsageFlowRef]
