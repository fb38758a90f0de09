"""The request bodies of Langflow's assistant routes (langflow/agentic/api/schemas.py AssistantRequest): 1.13 bounds
some fields and adds two (profile assistant.dialect), which 1.8 takes as unknown fields, ignored; and 1.13's
headless run's."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationInfo, ValidatorFunctionWrapHandler, field_validator
from pydantic_core import PydanticCustomError

from mock_langflow.profiles import current
from mock_langflow.schemas import RequestShape

# 1.13's bounds (ge, le) of the numbers it bounds
BOUNDS = {"max_retries": (1, 5), "history_limit": (0, 100), "iterations_limit": (1, 200)}


class AssistantRequest(RequestShape):
    flow_id: str
    component_id: str | None = None
    field_name: str | None = None
    input_value: str | None = None
    max_retries: int | None = None
    model_name: str | None = None
    provider: str | None = None
    session_id: str | None = None
    history_limit: int | None = None
    iterations_limit: int | None = None

    @field_validator("max_retries", "history_limit", "iterations_limit", mode="wrap")
    @classmethod
    def _bounded(cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> int | None:
        """1.13's Field(ge=, le=) bounds; 1.8 has neither bounds nor the two limits (sent, they are ignored)."""
        agent = current().assistant.dialect == "agent"
        if not agent and info.field_name != "max_retries":
            return None
        number: int | None = handler(value)
        if number is None or not agent:
            return number
        low, high = BOUNDS[str(info.field_name)]
        if number < low:
            raise PydanticCustomError("greater_than_equal", "Input should be greater than or equal to {ge}",
                                      {"ge": low})
        if number > high:
            raise PydanticCustomError("less_than_equal", "Input should be less than or equal to {le}", {"le": high})
        return number

    @field_validator("input_value")
    @classmethod
    def _not_too_long(cls, value: str | None) -> str | None:
        return not_too_long(value)


def not_too_long(value: str | None) -> str | None:
    """1.13: a message over the server's assistant_max_message_length (its /config's) is a 422."""
    profile = current()
    limit = profile.config_full.get("assistant_max_message_length")
    if value is not None and profile.assistant.dialect == "agent" and limit is not None and len(value) > limit:
        raise ValueError(f"Message is too long: {len(value)} characters, limit is {limit}.")
    return value


class HeadlessAssistantRequest(RequestShape):
    """1.13's POST /agentic/assist/run body (HeadlessAssistantRequest): the flow is optional."""

    instruction: str
    flow_id: str | None = None
    provider: str | None = None
    model_name: str | None = None
    session_id: str | None = None

    @field_validator("instruction")
    @classmethod
    def _not_too_long(cls, value: str) -> str:
        return str(not_too_long(value))
