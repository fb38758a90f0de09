"""1.13's /api/v1/model-provider-policy body, Langflow's own (its answer is documented.py's; the /models routes'
bodies, which no document lists, are model_bodies.py's, imported on their first use)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from mock_langflow.profiles import current
from mock_langflow.schemas import RequestShape

ProviderId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=255)]


class ModelProviderPolicyWrite(RequestShape):
    approved_provider_ids: Annotated[list[ProviderId], Field(max_length=1000)]

    @field_validator("approved_provider_ids", mode="before")
    @classmethod
    def _canonical(cls, value: Any) -> Any:
        """A provider's name or alias stands for its id, as Langflow resolves it."""
        if not isinstance(value, list):
            return value
        from mock_langflow.model_catalog import catalog_for

        catalog = catalog_for(current().models.catalog, current().models.dialect)
        return [catalog.resolve_id(v) if isinstance(v, str) and v.strip() else v for v in value]

    @field_validator("approved_provider_ids")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return sorted(set(value))
