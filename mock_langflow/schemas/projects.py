"""Project (folder) shapes of /api/v1/projects (fact 41)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ConfigDict
from sqlalchemy import JSON
from sqlmodel import Field

from mock_langflow.schemas import Profiled, RequestShape, Shape, SQLShape
from mock_langflow.schemas.flows import FlowPage, FlowRead


class FolderBase(SQLShape):
    """The fields a project shares with its table (store/models.py)."""

    name: str
    description: str | None = None
    auth_settings: dict[str, Any] | None = Field(
        default=None, description="Authentication settings for the project's MCP server", sa_type=JSON
    )


class FolderCreate(FolderBase):
    model_config = ConfigDict(defer_build=False)  # a request body: see RequestShape

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
    auth_settings: dict[str, Any] | None = None
