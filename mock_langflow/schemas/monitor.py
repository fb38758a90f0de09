"""The monitor API's shapes: a stored message's edit and the properties it may set; the builds and transactions
answers as Langflow's document types them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from mock_langflow.schemas import Profiled, RequestShape, Shape


class Source(RequestShape):
    """Which component a message came from, as a client may set it."""

    id: str | None = None
    display_name: str | None = None
    source: str | None = None  # e.g. the model's name


class Usage(RequestShape):
    """Token usage information from LLM responses."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None


class Properties(RequestShape):
    """A message's display properties. Langflow checks each field's type on an edit (the feedback thumbs of its
    playground set positive_feedback here), and stores only the fields the edit sets."""

    text_color: str | None = None
    background_color: str | None = None
    edited: bool = False
    source: Source = Field(default_factory=Source)
    icon: str | None = None
    allow_markdown: bool = False
    positive_feedback: bool | None = None
    state: Literal["partial", "complete"] = "complete"
    targets: list[Any] = []
    usage: Usage | None = None
    build_duration: float | None = None


class MessageUpdate(RequestShape):
    text: str | None = None
    sender: str | None = None
    sender_name: str | None = None
    session_id: str | None = None
    context_id: str | None = None
    files: list[str] | None = None
    edit: bool | None = None
    error: bool | None = None
    properties: Properties | None = None
    session_metadata: dict[str, Any] | None = None
    category: str | None = None
    content_blocks: list[dict[str, Any]] | None = None


# --- answers, for /openapi.json only: the routes build their answers themselves (routers/build.py) ----------


class VertexBuildTable(Profiled):
    """One logged build of a vertex, as Langflow's document types it (its fields per release: shapes.hidden)."""

    shape = "VertexBuild"

    timestamp: datetime = Field(default_factory=datetime.now)
    id: str
    data: dict[str, Any] = Field(default_factory=dict)
    artifacts: dict[str, Any] = Field(default_factory=dict)
    params: str = Field(default_factory=str)
    valid: bool
    flow_id: UUID
    job_id: UUID | None = None
    build_id: UUID | None = None


class VertexBuildMapModel(Shape):
    vertex_builds: dict[str, list[VertexBuildTable]]


class TransactionLogsResponse(Shape):
    """One vertex run of GET /api/v1/monitor/transactions, as Langflow's document types it."""

    id: UUID
    timestamp: datetime = Field(default_factory=datetime.now)
    vertex_id: str
    target_id: str | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
    status: str
