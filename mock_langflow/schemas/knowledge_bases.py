"""Request shapes of /api/v1/knowledge_bases and 1.13's /api/v1/knowledge-base-storage (Langflow's
schema/knowledge_base.py and api/v1/knowledge_base_storage.py). The answers are built as dicts (routers)."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, field_validator

from mock_langflow.schemas import RequestShape

# The backends 1.13 takes for a new base (the others only exist for rows an older release wrote).
KNOWN_BACKENDS = ("chroma", "sqlite", "mongodb", "astra", "postgres", "opensearch")
CREATABLE_BACKENDS = ("opensearch", "postgres", "sqlite")


def _backend(value: str) -> str:
    allowed = ", ".join(CREATABLE_BACKENDS)
    if value not in KNOWN_BACKENDS:
        msg = f"Unknown vector-store backend {value!r}. Expected one of: {allowed}."
        raise ValueError(msg)
    if value not in CREATABLE_BACKENDS:
        msg = f"Vector-store backend {value!r} is not enabled in this build. Available backends: {allowed}."
        raise ValueError(msg)
    return value


class ColumnConfigItem(RequestShape):
    column_name: str
    vectorize: bool = False
    identifier: bool = False


class CreateKnowledgeBaseRequest(RequestShape):
    name: str
    embedding_provider: str
    embedding_model: str
    model_selection: dict[str, Any] | list[dict[str, Any]] | None = None
    column_config: list[ColumnConfigItem] | None = None
    backend_type: str | None = None  # none: the server's default (the mock's: sqlite)
    backend_config: dict[str, Any] = Field(default_factory=dict)

    @field_validator("backend_type")
    @classmethod
    def validate_backend_type(cls, value: str | None) -> str | None:
        return None if value is None or not str(value).strip() else _backend(value)


class IngestFolderRequest(RequestShape):
    """1.13's body of POST /knowledge_bases/{kb_name}/ingest/folder (the chunk bounds are kb_constants', as the
    upload form's: store/knowledge_bases.py BOUNDS)."""

    path: str
    recursive: bool = True
    extensions: list[str] | None = None
    source_name: str = ""
    chunk_size: int = Field(1000, ge=1, le=10_000)
    chunk_overlap: int = Field(200, ge=0, le=5_000)
    separator: str = ""
    metadata: dict[str, Any] | None = None
    per_file_metadata: dict[str, dict[str, Any]] | None = None


class BulkDeleteRequest(RequestShape):
    kb_names: list[str]


class TestBackendConnectionRequest(RequestShape):
    __test__ = False  # (not a test class)

    backend_type: str
    backend_config: dict[str, Any] = Field(default_factory=dict)

    @field_validator("backend_type")
    @classmethod
    def validate_backend_type(cls, value: str) -> str:
        return _backend(value or "sqlite")


class CleanupRetryRequest(RequestShape):
    model_config = ConfigDict(extra="forbid")

    expected_generation: int = Field(gt=0, strict=True)
