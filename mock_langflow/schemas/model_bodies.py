"""The bodies and query of the /api/v1/models routes (1.8, 1.13), Langflow's own models: imported when one is first
checked (routers/models.py takes the JSON as it comes), as no /openapi.json lists these routes."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError, ValidatorFunctionWrapHandler, field_validator

from mock_langflow.profiles import current
from mock_langflow.schemas import RequestShape

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




def checked(shape: Any, value: Any, where: str = "body") -> Any:
    """`value` validated as `shape` (a model, or a type such as a list of them); its errors as FastAPI's 422."""
    try:
        return TypeAdapter(shape).validate_python(value)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": (where, *e["loc"])}
                                      for e in exc.errors(include_url=False)]) from exc
