"""Request shapes of 1.13's /api/v1/memories (Langflow's memory_base/model.py and api/v1/memories.py). The answers
are built as dicts (store/memories.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import model_validator
from sqlmodel import Field

from mock_langflow.schemas import RequestShape, SQLShape

DEFAULT_KILL_PHRASE = "NO_INGEST"  # what a preprocessing memory base's model answers to skip a batch


class MemoryBaseFields(SQLShape):
    """What a memory base is made with and shows (Langflow's MemoryBaseBase), its table's fields too."""

    name: str
    flow_id: UUID
    user_id: UUID
    threshold: int = 50
    auto_capture: bool = True
    embedding_model: str = ""
    preprocessing: bool = False
    preproc_model: str | None = None
    preproc_instructions: str | None = None
    preproc_kill_phrase: str | None = None


class MemoryBaseCreate(MemoryBaseFields):
    user_id: UUID | None = None  # type: ignore[assignment]  # (the caller's, whatever is sent)
    backend_type: str | None = None
    backend_config: dict[str, Any] = Field(default_factory=dict)
    embedding_provider: str | None = None

    @model_validator(mode="after")
    def preprocessing_defaults(self) -> MemoryBaseCreate:
        if self.backend_type not in (None, "sqlite", "postgres", "opensearch"):
            raise ValueError("Memory bases support SQLite Local, pgVector and OpenSearch")
        if self.preprocessing and not self.preproc_model:
            raise ValueError("preproc_model is required when preprocessing is enabled")
        if self.preprocessing and not self.preproc_kill_phrase:
            self.preproc_kill_phrase = DEFAULT_KILL_PHRASE
        return self


class MemoryBaseUpdate(RequestShape):
    name: str | None = None
    threshold: int | None = None
    auto_capture: bool | None = None


class FlushRequest(RequestShape):
    session_id: str
