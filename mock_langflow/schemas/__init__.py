"""API shapes, one module per group."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, model_serializer

from mock_langflow.profiles import current


class Profiled(BaseModel):
    """A shape whose fields differ between releases: its serialised form leaves out the fields the current
    profile hides for `shape` (profile shapes.hidden), so older releases' answers carry only their fields."""

    shape: ClassVar[str]

    # No return annotation on purpose: pydantic then keeps the model's own schema for OpenAPI.
    @model_serializer(mode="wrap")
    def _per_release(self, handler):  # type: ignore[no-untyped-def]
        return current().strip(self.shape, handler(self))
