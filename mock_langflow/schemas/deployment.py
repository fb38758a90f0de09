"""1.13's project deployment shapes: the deployment snapshot and the replacement operation's body and receipt."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator

from mock_langflow.schemas import RequestShape, Shape
from mock_langflow.schemas.flows import AccessTypeEnum, FlowCreate, FlowRead, FlowType
from mock_langflow.schemas.projects import FolderRead


class DeploymentSnapshotProject(Shape):
    """The serving project identity and display metadata."""

    id: UUID
    name: str
    description: str | None = None


class DeploymentSnapshotFlow(Shape):
    """One flow graph captured without its owner, project or workspace."""

    id: UUID
    name: str
    endpoint_name: str | None = None
    description: str | None = None
    data: dict[str, Any]
    is_component: bool | None = False
    locked: bool | None = False
    mcp_enabled: bool | None = False
    action_name: str | None = None
    action_description: str | None = None
    access_type: AccessTypeEnum = AccessTypeEnum.PRIVATE
    flow_type: FlowType = FlowType.WORKFLOW
    a2a_enabled: bool | None = Field(default=False, title="A2A Enabled")
    a2a_card_overrides: dict[str, Any] | None = Field(default=None, title="A2A Card Overrides")
    tags: list[str] | None = None
    icon: str | None = None
    icon_bg_color: str | None = None
    gradient: str | None = None


class DeploymentSnapshotRequiredConnection(Shape):
    """One non-secret connection handle and its static scope requirements."""

    provider: str
    name: str
    scopes: list[str] = []


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
    flows: list[DeploymentSnapshotFlow]
    dependencies: dict[str, Any] = {}
    required_variables: list[str] = []
    required_connections: list[DeploymentSnapshotRequiredConnection] = []
    required_providers: list[str] = []
    required_models: list[DeploymentSnapshotRequiredModel] = []
    unresolved_model_fields: int = 0
    required_mcp_variables: list[str] = []
    required_mcp_projects: list[DeploymentSnapshotRequiredMcpProject] = []


class ReplacementFlowCreate(FlowCreate):
    """A flow of a replacement: a flow create's fields, with its id and graph required and no other field."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: UUID
    data: dict[str, Any]

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be blank")
        return value


class ProjectReplacementRequest(RequestShape):
    """PUT /projects/{id}/replacement-operations/{operation_id}: the project's whole flow set."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    description: str | None
    flows: list[ReplacementFlowCreate]
    project_name: str | None = None
    dependencies: dict[str, Any] | None = None

    @field_validator("project_name")
    @classmethod
    def _project_name_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("project_name must not be blank")
        return value


class ProjectReplacementResult(Shape):
    """The receipt of a replacement: the project and its flows as committed, kept for retries and reads."""

    project: FolderRead
    flows: list[FlowRead]
    dependencies: dict[str, Any] | None = None
