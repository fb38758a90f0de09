"""1.13's /api/v1/model-provider-policy body, Langflow's own (its answer is documented.py's; the /models routes'
bodies, which no document lists, are model_bodies.py's, imported on their first use). The policy bundle's body
(schemas/policy.py) checks its provider ids with the same rules."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from mock_langflow.profiles import current
from mock_langflow.schemas import RequestShape

ProviderId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=255)]
ProviderIds = Annotated[list[ProviderId], Field(max_length=1000)]


def resolve_provider(name: str) -> str:
    """A provider's name or alias as its stable id, as Langflow's provider registry resolves it."""
    from mock_langflow.model_catalog import catalog_for

    return catalog_for(current().models.catalog, current().models.dialect).resolve_id(name)


def canonical_providers(value: Any) -> Any:
    """A provider's name or alias stands for its id (before the id pattern is checked)."""
    if not isinstance(value, list):
        return value
    return [resolve_provider(v) if isinstance(v, str) and v.strip() else v for v in value]


def distinct(value: list[str]) -> list[str]:
    return sorted(set(value))


class ModelProviderPolicyWrite(RequestShape):
    approved_provider_ids: ProviderIds

    _canonical = field_validator("approved_provider_ids", mode="before")(canonical_providers)
    _distinct = field_validator("approved_provider_ids")(distinct)
