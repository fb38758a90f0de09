"""Bodies and answers of the model catalog routes (/api/v1/models, /model-provider-policy), Langflow's own."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, StringConstraints, ValidatorFunctionWrapHandler, field_validator

from mock_langflow.profiles import current
from mock_langflow.schemas import RequestShape, Shape

MAX_TEXT = 200  # Langflow's limit on a model id or provider name


def _checked_text(value: str, what: str = "Field") -> str:
    """Langflow's check of a model id or provider name: not blank, at most 200 characters, stripped."""
    if not value or not value.strip():
        raise ValueError(f"{what} cannot be empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{what} exceeds maximum length of {MAX_TEXT} characters")
    return value.strip()


class PolicyScope(RequestShape):
    """1.13's query parameters of a /models read: the purpose narrowing the policy, a flow or a project."""

    purpose: Literal["use", "configure"] | None = None
    flow_id: UUID | None = None
    project_id: UUID | None = None


class ModelStatusUpdate(RequestShape):
    provider: str
    model_id: str
    enabled: bool
    model_type: Literal["llm", "embeddings"] | None = None  # 1.13 only: 1.8's model has no such field

    @field_validator("model_id", "provider")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked_text(value)

    @field_validator("model_type", mode="wrap")
    @classmethod
    def _typed_if_the_release_has_it(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> str | None:
        if current().models.dialect == "legacy":
            return None
        checked: str | None = handler(value)
        return checked


class ValidateProviderRequest(RequestShape):
    provider: str
    variables: dict[str, str]

    @field_validator("provider")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked_text(value, "Provider")


class ValidateProviderResponse(Shape):
    valid: bool
    error: str | None = None


class DefaultModelRequest(RequestShape):
    model_name: str
    provider: str
    model_type: str

    @field_validator("model_name", "provider")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked_text(value)

    @field_validator("model_type")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in ("language", "embedding"):
            raise ValueError("model_type must be 'language' or 'embedding'")
        return value


class RegisteredModelProviderRead(Shape):
    provider_id: str
    display_name: str
    provider: str


class ModelProviderDescriptorRead(RegisteredModelProviderRead):
    """GET /models/provider-descriptors' item (1.13 names the policy's item otherwise)."""


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


class ModelProviderPolicyRead(Shape):
    approved_provider_ids: list[str]
    registered_providers: list[RegisteredModelProviderRead]
    managed_externally: bool
