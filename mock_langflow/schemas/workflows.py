"""The v2 Workflow API's request body (Langflow 1.13 dialect, facts 25-30)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from mock_langflow.schemas import RequestShape, Shape


class WorkflowMode(StrEnum):
    SYNC = "sync"
    STREAM = "stream"
    BACKGROUND = "background"


STREAM_PROTOCOLS = ("agui", "langflow")
GlobalName = Annotated[str, StringConstraints(min_length=1, max_length=256)]
GlobalValue = Annotated[str, StringConstraints(max_length=64 * 1024)]


class WorkflowRunRequest(RequestShape):
    """POST /api/v2/workflows. Extra fields are refused, so the beta body (background, stream, inputs) is 422."""

    model_config = ConfigDict(extra="forbid")

    # As Langflow 1.13's WorkflowRunRequest: input_value, tweaks and globals take no null, a global's name is 1 to
    # 256 characters and its value at most 64 KiB, an idempotency key at most 255 characters.
    flow_id: str
    input_value: str = ""
    tweaks: dict[str, Any] = Field(default_factory=dict)
    session_id: str | None = None
    mode: WorkflowMode = WorkflowMode.SYNC
    stream_protocol: str = "langflow"
    output_ids: list[str] | None = None
    globals: dict[GlobalName, GlobalValue] = Field(default_factory=dict)
    idempotency_key: str | None = Field(None, max_length=255)
    data: dict[str, Any] | None = None
    files: list[str] | None = None
    start_component_id: str | None = None
    stop_component_id: str | None = None
    # Unset: on for the langflow stream protocol, off for agui.
    expose_graph_state: bool | None = None

    def graph_state_shown(self) -> bool:
        """Whether the stream carries the flow's graph state (per-component events and outputs)."""
        if self.expose_graph_state is not None:
            return self.expose_graph_state
        return self.stream_protocol != "agui"

    @model_validator(mode="after")
    def _flow_id_is_uuid(self) -> WorkflowRunRequest:
        check_flow_id(self.flow_id)
        return self


def check_flow_id(value: str) -> None:
    try:
        UUID(value)
    except ValueError as exc:
        raise ValueError("Invalid flow_id, must be a UUID") from exc


def check_job_id(value: str | None) -> str | None:
    if value is not None:
        try:
            UUID(value)
        except ValueError as exc:
            raise ValueError("Invalid job_id, must be a UUID") from exc
    return value


def uuid_job_id(value: Any) -> str:
    """Langflow's JobId runs before the type check: null and numbers are refused with the UUID message too
    (real-1.8 wf_doc_stop_job_id_null_422; 1.13's JobId is the same)."""
    if not isinstance(value, str):
        raise ValueError("Invalid job_id, must be a UUID")
    return check_job_id(value) or value


class WorkflowStopRequest(RequestShape):
    job_id: Annotated[str | UUID, BeforeValidator(uuid_job_id)]  # typed as Langflow's JobId; a str here


class WorkflowStopResponse(Shape):
    """POST /api/v2/workflows/stop's answer (1.8 and 1.13): the job and what became of it. The message is always
    sent, though the document lets it be null, and the id is typed as the request's."""

    job_id: str | UUID
    message: str | None = None


class WorkflowResumeRequest(RequestShape):
    """POST /api/v2/workflows/{job_id}/resume: the pending request answered, and the decision."""

    request_id: str
    decision: dict[str, Any] | None = None
