"""Shapes of POST /api/v1/validate/prompt: Langflow's frontend node as the prompt editor sends it, and the check's
answer. The node keeps only the fields Langflow's FrontendNode has (any other key is dropped) and is sent back with
all of them, defaults filled in."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_serializer, model_validator

from mock_langflow.schemas import Profiled, Shape

# What an output's value is until it has one (lfx's UNDEFINED, written as its text).
UNDEFINED = "__UNDEFINED__"


class OutputOptions(Shape):
    filter: str | None = None


class Output(Shape):
    """A component output as lfx declares it; its display name falls back to its name."""

    types: list[str] = []
    selected: str | None = None
    name: str
    hidden: bool | None = None
    display_name: str | None = None
    method: str | None = None
    value: Any | None = UNDEFINED
    cache: bool = True
    required_inputs: list[str] | None = None
    allows_loop: bool = False
    loop_types: list[str] | None = None
    group_outputs: bool = False
    options: OutputOptions | None = None
    tool_mode: bool = True

    @model_validator(mode="after")
    def _named(self) -> Output:
        if self.display_name is None:
            self.display_name = self.name
        return self


class FrontendNodeRequest(Profiled):
    """A component's frontend node with a free-form template (1.13 also has add_tool_output)."""

    shape = "FrontendNodeRequest"

    template: dict[str, Any]
    description: str | None = None
    icon: str | None = None
    is_input: bool | None = None
    is_output: bool | None = None
    is_composition: bool | None = None
    base_classes: list[str]
    name: str = ""
    display_name: str | None = ""
    priority: int | None = None
    documentation: str = ""
    minimized: bool = False
    custom_fields: dict[str, Any] | None = Field(default_factory=dict)
    output_types: list[str] = []
    full_path: str | None = None
    pinned: bool = False
    conditional_paths: list[str] = []
    frozen: bool = False
    outputs: list[Output] = []
    field_order: list[str] = []
    beta: bool = False
    legacy: bool = False
    replacement: list[str] | None = None
    error: str | None = None
    edited: bool = False
    metadata: dict[str, Any] = {}
    tool_mode: bool = False
    add_tool_output: bool | None = None

    @field_serializer("base_classes")
    def _base_classes(self, base_classes: list[str]) -> list[str]:
        """Each once, in alphabetical order whatever the case."""
        return sorted(set(base_classes), key=str.lower)

    @field_serializer("display_name")
    def _display_name(self, display_name: str | None) -> str:
        return display_name or self.name


class ValidatePromptRequest(Profiled):
    """The prompt editor's request (`mustache` from 1.8 on); the top-level custom_fields is not read. Built on
    first use as a RequestShape is (a request body), its node with it."""

    shape = "ValidatePromptRequest"

    name: str
    template: str
    custom_fields: dict[str, Any] | None = None
    frontend_node: FrontendNodeRequest | None = None
    mustache: bool = False


class PromptValidationResponse(Shape):
    input_variables: list[Any]
    frontend_node: FrontendNodeRequest | None = None
