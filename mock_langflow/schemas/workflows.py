"""The v2 Workflow API's request body (Langflow 1.13 dialect, facts 25-30)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field, model_validator

from mock_langflow.schemas import RequestShape


class WorkflowMode(StrEnum):
    SYNC = "sync"
    STREAM = "stream"
    BACKGROUND = "background"


STREAM_PROTOCOLS = ("agui", "langflow")


class WorkflowRequest(RequestShape):
    """POST /api/v2/workflows. Extra fields are refused, so the beta body (background, stream, inputs) is 422."""

    model_config = ConfigDict(extra="forbid")

    flow_id: str
    input_value: str | None = None
    tweaks: dict[str, Any] | None = None
    session_id: str | None = None
    mode: WorkflowMode = WorkflowMode.SYNC
    stream_protocol: str = "langflow"
    output_ids: list[str] | None = None
    globals: dict[str, str] | None = None
    idempotency_key: str | None = None
    data: dict[str, Any] | None = None
    files: list[str] | None = None
    start_component_id: str | None = None
    stop_component_id: str | None = None
    expose_graph_state: bool = False

    @model_validator(mode="after")
    def _flow_id_is_uuid(self) -> WorkflowRequest:
        try:
            UUID(self.flow_id)
        except ValueError as exc:
            raise ValueError("Invalid flow_id, must be a UUID") from exc
        return self


class WorkflowStopRequest(RequestShape):
    job_id: str = Field(...)


def check_job_id(value: str | None) -> str | None:
    if value is not None:
        try:
            UUID(value)
        except ValueError as exc:
            raise ValueError("Invalid job_id, must be a UUID") from exc
    return value
