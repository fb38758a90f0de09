"""Shapes of POST /api/v1/validate/code (Langflow's api/v1/base.py Code and CodeValidationResponse), imported with
its handler when the route is first analysed."""

from __future__ import annotations

from typing import Any

from mock_langflow.schemas import RequestShape, Shape


class Code(RequestShape):
    code: str


class CodeValidationResponse(Shape):
    """What the check found: {"errors": [...]} under each key."""

    imports: dict[str, Any]
    function: dict[str, Any]
