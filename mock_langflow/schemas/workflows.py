"""The v2 Workflow API's request body (Langflow 1.13 dialect, facts 25-30)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, computed_field, model_validator

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
        try:
            UUID(self.flow_id)
        except ValueError as exc:
            raise ValueError("Invalid flow_id, must be a UUID") from exc
        return self


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


class WorkflowResumeResponse(Shape):
    """A resumed run's answer, for /openapi.json only: the mock's flows never suspend, so it never sends one."""

    job_id: str | UUID
    status: str
    message: str | None = None


class WorkflowResumeRequest(RequestShape):
    """POST /api/v2/workflows/{job_id}/resume: the pending request answered, and the decision."""

    request_id: str
    decision: dict[str, Any] | None = None


# --- POST /api/v2/workflows's JSON answers as 1.13's document types them, for /openapi.json only: the route
# builds its answers itself (engine/jobs.py), in these shapes -------------------------------------------------


class JobStatus(StrEnum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    SUSPENDED = "suspended"


class OutputReason(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    NONE = "none"
    NON_STRING = "non_string"
    FAILED = "failed"


class ComponentOutput(Shape):
    type: str
    status: JobStatus
    display_name: str | None = None
    content: Any | None = None
    metadata: dict[str, Any] | None = None


class ErrorDetail(Shape):
    error: str
    code: str | None = None
    details: dict[str, Any] | None = None


class WorkflowOutput(Shape):
    reason: OutputReason
    text: str | None = None
    source: str | None = None


Globals = dict[Annotated[str, StringConstraints(min_length=1, max_length=256)],
               Annotated[str, StringConstraints(max_length=65536)]]


class WorkflowExecutionResponse(Shape):
    flow_id: str
    session_id: str | None = None
    job_id: str | UUID | None = None
    object: Literal["response"] = "response"
    created_timestamp: str = Field(default_factory=str)
    status: JobStatus
    output: WorkflowOutput = Field(default_factory=lambda: WorkflowOutput(reason=OutputReason.NONE))
    errors: list[ErrorDetail] = []
    warnings: list[str] = Field(default_factory=list)
    inputs: dict[str, Any] = {}
    globals: Globals = Field(default_factory=dict)
    outputs: dict[str, ComponentOutput] = {}
    human_request: dict[str, Any] | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


class WorkflowJobResponse(Shape):
    job_id: str | UUID
    flow_id: str
    object: Literal["job"] = "job"
    created_timestamp: str = Field(default_factory=str)
    status: JobStatus
    links: dict[str, str] = Field(default_factory=dict)
    errors: list[ErrorDetail] = []
    globals: Globals = Field(default_factory=dict)


WorkflowAnswer = Annotated[WorkflowExecutionResponse | WorkflowJobResponse, Field(discriminator="object")]
