"""The beta v2 Workflow API's shapes (Langflow 1.8: lfx 0.3.4 schema/workflow.py; real-1.8/NOTES.md section 3)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from mock_langflow.schemas import RequestShape, Shape
from mock_langflow.schemas.workflows import uuid_job_id


class WorkflowExecutionRequest(RequestShape):
    """POST /api/v2/workflows. Any other field, the 1.13 ones and the docs' flow_version included, is 422."""

    model_config = ConfigDict(extra="forbid")

    flow_id: str  # a flow UUID or endpoint_name (not the flow's name)
    background: bool = False
    stream: bool = False
    # "<component id or display name>.<field>": value; a key without a dot and a dict value tweaks the whole
    # component
    inputs: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _not_both(self) -> WorkflowExecutionRequest:
        if self.background and self.stream:
            raise ValueError("Both 'background' and 'stream' cannot be True")
        return self


class WorkflowStopRequest(RequestShape):
    """POST /api/v2/workflows/stop; other fields are ignored (wf_doc_stop_extra_field)."""

    job_id: Annotated[str | UUID, BeforeValidator(uuid_job_id)]  # typed as Langflow's JobId; a str here


class ComponentOutput(Shape):
    """One terminal vertex of a finished run."""

    type: str  # the vertex's first output type, lower-cased
    status: str = "completed"
    content: Any = None  # an output vertex's text; a data vertex's data; else null
    metadata: dict[str, Any] = Field(default_factory=dict)


class ErrorDetail(Shape):
    error: str
    code: str
    details: dict[str, Any] | None = None


class WorkflowExecutionResponse(Shape):
    """A finished run: the synchronous answer, and the status of a completed job."""

    flow_id: str
    job_id: str
    object: Literal["response"] = "response"
    created_timestamp: str
    status: str
    errors: list[ErrorDetail] = Field(default_factory=list)
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, ComponentOutput] = Field(default_factory=dict)


class WorkflowJobResponse(Shape):
    """A background submit, and the status of a job that is not completed (queued, running, cancelled)."""

    job_id: str
    flow_id: str
    object: Literal["job"] = "job"
    created_timestamp: str
    status: str
    links: dict[str, str]
    errors: list[ErrorDetail] = Field(default_factory=list)
