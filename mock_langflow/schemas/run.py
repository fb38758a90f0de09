"""Request bodies of /api/v1/run and /api/v1/run/advanced (facts 9-16)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mock_langflow.schemas import RequestShape, Shape


class SimplifiedAPIRequest(RequestShape):
    input_value: str | None = Field(default=None, description="The input value")
    input_type: Literal["chat", "text", "any"] | None = Field(default="chat", description="The input type")
    output_type: Literal["chat", "text", "any", "debug"] | None = Field(default="chat", description="The output type")
    output_component: str | None = Field(
        default="", description="If there are multiple output components, the component to get the output from.")
    tweaks: dict[str, Any] | None = Field(default=None, description="The tweaks")
    session_id: str | None = Field(default=None, description="The session id")
    user_id: str | None = Field(default=None, description="An end-user id for tracing; it does not affect auth.")


class InputValueRequest(RequestShape):
    components: list[str] | None = []
    input_value: str | None = None
    session: str | None = None
    type: Literal["chat", "text", "any"] | None = Field(
        default="any", description="Which input components get the value; 'any' applies to all of them.")
    client_request_time: int | None = None


class RunResponse(Shape):
    outputs: list[dict[str, Any]] | None = []
    session_id: str | None = None
