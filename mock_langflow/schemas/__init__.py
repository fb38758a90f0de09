"""API shapes, one module per group."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, model_serializer
from sqlmodel import SQLModel

from mock_langflow.profiles import current


class Shape(BaseModel):
    """An answer's shape. pydantic builds its validator and serializer when it is first used (the first answer
    that carries it, or the OpenAPI document), not when its module is imported: most routes never serve in
    one test run, and building every shape at import cost each start-up 15-20 ms (benchmarks/README.md, fix 38).
    The shapes whose fields a table shares are SQLShapes, deferred the same way. pydantic 2.13 does not lock a
    model's first build against another thread's: every endpoint and dependency is a coroutine, so every first
    use is on the event loop's thread (tests/unit/test_startup.py)."""

    model_config = ConfigDict(defer_build=True)


class SQLShape(SQLModel):
    """Shape for the SQLModel side: the shapes whose fields a table shares (flows, projects, files) and every
    table (store/models.py), built on first use as a Shape is. A row is made by its constructor or read by
    SQLAlchemy, neither of which needs pydantic's validator or serializer, so most tables never build them:
    about 70 ms of a cold start when they were built at import (benchmarks/README.md, fix 20)."""

    model_config = ConfigDict(defer_build=True)


class RequestShape(BaseModel):
    """A request body's shape, built on first use as a Shape is: a route's analysis builds its bodies
    (routing.build_bodies), inside the silence FastAPI keeps around pydantic's "alias has no effect" warning
    (tests/unit/test_startup.py). Building the 40 or so bodies at import held about 0.4 MiB and 8 ms of every
    start-up, for routes most test runs never call (benchmarks/README.md)."""

    model_config = ConfigDict(defer_build=True)


class Profiled(Shape):
    """A shape whose fields differ between releases: its serialised form leaves out the fields the current
    profile hides for `shape` (profile shapes.hidden), so older releases' answers carry only their fields."""

    shape: ClassVar[str]

    # No return annotation on purpose: pydantic then keeps the model's own schema for OpenAPI.
    @model_serializer(mode="wrap")
    def _per_release(self, handler):  # type: ignore[no-untyped-def]
        return current().strip(self.shape, handler(self))
