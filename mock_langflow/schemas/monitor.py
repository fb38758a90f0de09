"""The monitor API's shapes: a stored message's edit and the properties it may set; the builds and transactions
answers as Langflow's document types them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mock_langflow.schemas import RequestShape


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
