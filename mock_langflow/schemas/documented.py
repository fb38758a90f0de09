"""Answers typed for /openapi.json only, as each release's document types them: the routes build their answers
themselves, in these shapes, and no route validates or serialises through them. A route names one with
routing.documented("Name"), which its analysis resolves here (when it first serves, or the document is made),
so no start-up imports this module: its shapes held about 0.4 MiB of the start-up RSS (benchmarks/README.md)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints, computed_field, create_model

from mock_langflow.schemas import Profiled, Shape
from mock_langflow.schemas.config import ConfigResponse, PublicConfigResponse
from mock_langflow.schemas.flows import FlowFields, FlowRead, GraphDumpResponse, Page
from mock_langflow.schemas.monitor import Usage
from mock_langflow.schemas.projects import FolderRead

# --- GET /api/v1/monitor/builds and /transactions ------------------------------------------------------------


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


# --- the vertex-by-vertex build (POST /api/v1/build/{flow_id}/vertices...) --------------------------------------


class VerticesOrderResponse(Shape):
    ids: list[str]
    run_id: UUID
    vertices_to_run: list[str]


class VertexBuildResponse(Shape):
    id: str | None = None
    inactivated_vertices: list[str] | None = None
    next_vertices_ids: list[str] | None = None
    top_level_vertices: list[str] | None = None
    valid: bool
    params: Any | None = None
    data: dict[str, Any]
    timestamp: datetime | None = None


class TransactionLogsResponse(Shape):
    """One vertex run of GET /api/v1/monitor/transactions, as Langflow's document types it."""

    id: UUID
    timestamp: datetime = Field(default_factory=datetime.now)
    vertex_id: str
    target_id: str | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
    status: str


# --- POST /api/v1/run/advanced, and 1.7.1's deprecated task status ---------------------------------------------


class TaskStatusResponse(Shape):
    """The deprecated task status, for 1.7.1's /openapi.json only: the route always answers 400 (fact 17)."""

    status: str
    result: Any | None = None


class ChatOutputFile(Shape):
    """A file of a chat output (lfx's File; named lfx__utils__schemas__File in the document: schema_names)."""

    model_config = ConfigDict(title="File")

    path: str
    name: str
    type: str


class ChatOutputResponse(Shape):
    message: str | list[str | dict[str, Any]]
    sender: str | None = "Machine"
    sender_name: str | None = "AI"
    session_id: str | None = None
    stream_url: str | None = None
    component_id: str | None = None
    files: list[ChatOutputFile] = []
    type: str


class ResultData(Shape):
    results: Any | None = None
    artifacts: Any | None = None
    outputs: dict[str, Any] | None = None
    logs: dict[str, Any] | None = None
    messages: list[ChatOutputResponse] | None = None
    timedelta: float | None = None
    duration: str | None = None
    component_display_name: str | None = None
    component_id: str | None = None
    used_frozen_result: bool | None = False
    token_usage: Usage | None = None


class RunOutputs(Shape):
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: list[ResultData | None] = Field(default_factory=list)


class RunResponse(Shape):
    """POST /api/v1/run/advanced's answer as Langflow's document types it, for /openapi.json only: the route
    sends the entries it builds (events.result_data), which have this shape."""

    outputs: list[RunOutputs] | None = []
    session_id: str | None = None


# --- GET /api/v1/starter-projects/ -----------------------------------------------------------------------------


class ViewPort(Shape):
    x: float
    y: float
    zoom: float


class GraphData(Shape):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    viewport: ViewPort | None = None


class StarterProject(GraphDumpResponse):
    """A starter project as Langflow's document types it, for /openapi.json only (named GraphDumpResponse there:
    profile schema_names): its graph always there, with nodes and edges. The answer itself is a
    GraphDumpResponse."""

    data: GraphData  # type: ignore[assignment]


# --- /api/v2/workflows (1.13) ------------------------------------------------------------------------------------


class WorkflowResumeResponse(Shape):
    """An accepted resume's answer as 1.13's document types it, for /openapi.json only: the route builds the
    answer itself (routers/workflows.py)."""

    job_id: str | UUID
    status: str
    message: str | None = None


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


# the answers' types as the routes name them (routing.documented)
# --- 1.13's /api/v1/model-provider-policy (routers/models.py answers the same fields, in this order) -----------


class RegisteredModelProviderRead(Shape):
    provider_id: str
    display_name: str
    provider: str


class ModelProviderPolicyRead(Shape):
    approved_provider_ids: list[str]
    registered_providers: list[RegisteredModelProviderRead]
    managed_externally: bool


CONFIG = ConfigResponse | PublicConfigResponse
TRANSACTIONS = Page[TransactionLogsResponse]
STARTER_PROJECTS = list[StarterProject]


# --- 1.13's project deployment routes (the answers engine/deployment.py and store/replacements.py build) ----------


class DeploymentSnapshotProject(Shape):
    """The serving project identity and display metadata."""

    id: UUID
    name: str
    description: str | None = None


def _flow_field(name: str) -> Any:
    """A field as the flow shapes declare it (schemas/flows.py FlowFields)."""
    info = FlowFields.model_fields[name]
    return info.annotation, info


# One flow graph captured without its owner, project or workspace: the flow's exposure and presentation fields as
# a flow has them, in the order 1.13 lists them.
DeploymentSnapshotFlow = create_model(
    "DeploymentSnapshotFlow", __base__=Shape, __module__=__name__,
    id=(UUID, ...), name=(str, ...), endpoint_name=(str | None, None), description=(str | None, None),
    data=(dict[str, Any], ...),
    **{name: _flow_field(name) for name in ("is_component", "locked", "mcp_enabled", "action_name",
                                            "action_description", "access_type", "flow_type", "a2a_enabled")},
    a2a_card_overrides=(dict[str, Any] | None, Field(default=None, title="A2A Card Overrides")),
    **{name: _flow_field(name) for name in ("tags", "icon", "icon_bg_color", "gradient")})


class DeploymentSnapshotRequiredConnection(Shape):
    """One non-secret connection handle and its static scope requirements."""

    provider: str
    name: str
    scopes: list[str] = Field(default_factory=list)


class DeploymentSnapshotRequiredModel(Shape):
    """One model a captured flow selects."""

    provider: str
    name: str
    model_type: str | None = None


class DeploymentSnapshotRequiredMcpProject(Shape):
    """One sibling project a flow calls, and the name its config calls it by."""

    server_name: str
    project_id: str


class DeploymentSnapshot(Shape):
    """GET /projects/{id}/deployment-snapshot: a project's flows and what serving them needs."""

    project: DeploymentSnapshotProject
    flows: list[DeploymentSnapshotFlow]  # type: ignore[valid-type]
    dependencies: dict[str, Any] = Field(default_factory=dict)
    required_variables: list[str] = Field(default_factory=list)
    required_connections: list[DeploymentSnapshotRequiredConnection] = Field(default_factory=list)
    required_providers: list[str] = Field(default_factory=list)
    required_models: list[DeploymentSnapshotRequiredModel] = Field(default_factory=list)
    unresolved_model_fields: int = 0
    required_mcp_variables: list[str] = Field(default_factory=list)
    required_mcp_projects: list[DeploymentSnapshotRequiredMcpProject] = Field(default_factory=list)


class ProjectReplacementResult(Shape):
    """The receipt of a replacement: the project and its flows as committed, kept for retries and reads."""

    project: FolderRead
    flows: list[FlowRead]
    dependencies: dict[str, Any] | None = None


# --- POST /api/v2/registration/ (listed by 1.7.1's document) ------------------------------------------------


class RegisterResponse(Shape):
    email: str
