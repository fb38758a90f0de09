"""Project (folder) shapes of /api/v1/projects (fact 41)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, ConfigDict
from sqlalchemy import JSON
from sqlmodel import Field

from mock_langflow.schemas import Profiled, RequestShape, Shape, SQLShape
from mock_langflow.schemas.flows import FlowPage, FlowRead
from mock_langflow.schemas.mcp import AuthSettings


def _readable_auth(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Langflow stores a project's auth settings as sent, and reads them back as its MCP AuthSettings each time
    the project's MCP tools are listed: a field of the wrong type there is a 500 on every later listing. The mock
    refuses such settings when they are sent, with the fields' errors (README, deliberate differences)."""
    if value is not None:
        AuthSettings.model_validate(value)
    return value


ProjectAuthSettings = Annotated[dict[str, Any] | None, AfterValidator(_readable_auth)]
AUTH_SETTINGS_INFO = "Authentication settings for the project's MCP server"


class FolderBase(SQLShape):
    """The fields a project shares with its table (store/models.py)."""

    name: str
    description: str | None = None
    auth_settings: dict[str, Any] | None = Field(
        default=None, description=AUTH_SETTINGS_INFO, sa_type=JSON
    )


class FolderCreate(FolderBase):
    model_config = ConfigDict(defer_build=False)  # a request body: see RequestShape

    auth_settings: ProjectAuthSettings = Field(default=None, description=AUTH_SETTINGS_INFO)
    components_list: list[UUID] | None = None
    flows_list: list[UUID] | None = None


class FolderRead(FolderBase):
    id: UUID
    parent_id: UUID | None


class FolderReadListed(FolderRead, Profiled):
    """GET /projects/ adds who owns each project (1.13; profile shapes.hidden "Project")."""

    shape = "Project"

    owner_username: str | None = None
    is_owner: bool = True


class FolderReadWithFlows(FolderRead):
    flows: list[FlowRead] = []


class FolderWithPaginatedFlows(Shape):
    folder: FolderRead
    flows: FlowPage


class FolderUpdate(RequestShape):
    name: str | None = None
    description: str | None = None
    parent_id: UUID | None = None
    components: list[UUID] = []
    flows: list[UUID] = []
    auth_settings: ProjectAuthSettings = None
