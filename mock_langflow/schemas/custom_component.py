"""Shapes of POST /api/v1/custom_component and /custom_component/update (Langflow's CustomComponentRequest,
UpdateCustomComponentRequest and CustomComponentResponse): imported when one of those routes is first analysed."""

from __future__ import annotations

from typing import Any

from mock_langflow.schemas import RequestShape, Shape


class CustomComponentRequest(RequestShape):
    code: str
    frontend_node: dict[str, Any] | None = None

    def class_name(self) -> str | None:
        """The class the saved node names in its metadata (component_class_name), if a non-empty text."""
        metadata = (self.frontend_node or {}).get("metadata")
        name = metadata.get("component_class_name") if isinstance(metadata, dict) else None
        return name if isinstance(name, str) and name else None


class CustomComponentResponse(Shape):
    data: dict[str, Any]
    type: str


class UpdateCustomComponentRequest(CustomComponentRequest):
    field: str
    field_value: str | int | float | bool | dict[str, Any] | list[Any] | None = None
    template: dict[str, Any]
    tool_mode: bool = False
