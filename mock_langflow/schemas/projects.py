"""Project (folder) shapes of /api/v1/projects (fact 41)."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import JSON
from sqlmodel import Field

from mock_langflow import errors
from mock_langflow.profiles import current
from mock_langflow.schemas import Profiled, RequestShape, Shape, SQLShape
from mock_langflow.schemas.flows import FlowRead, Page
from mock_langflow.schemas.mcp import AuthSettings


def _readable_auth(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Langflow stores a project's auth settings as sent, and reads them back as its MCP AuthSettings each time
    the project's MCP tools are listed: a field of the wrong type there is a 500 on every later listing. The mock
    refuses such settings when they are sent, with the fields' errors (README, deliberate differences)."""
    if value is not None:
        AuthSettings.model_validate(value)
    return value


# 1.13's emoji ranges for project names: emoticons, pictographs, transport, flags, supplemental symbols, and the
# misc-symbols and dingbats block (CJK, kana and Hangul pass).
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")


def project_name_problem(name: str) -> str | None:
    """Why 1.13 refuses `name` for a project (its MCP server's name comes from it), or None."""
    if _EMOJI.search(name):
        return errors.PROJECT_NAME_EMOJI
    if not any(char.isalnum() for char in name):
        return errors.PROJECT_NAME_NO_ALNUM
    return None


def _checked_name(value: str | None) -> str | None:
    if value is not None and current().projects.name_rules and (problem := project_name_problem(value)):
        raise PydanticCustomError("invalid_project_name", problem)
    return value


ProjectAuthSettings = Annotated[dict[str, Any] | None, AfterValidator(_readable_auth)]


class FolderBase(SQLShape):
    """The fields a project shares with its table (store/models.py)."""

    name: str
    description: str | None = None
    auth_settings: dict[str, Any] | None = Field(default=None, sa_type=JSON)  # for the project's MCP server


class FolderCreate(FolderBase):
    auth_settings: ProjectAuthSettings = None
    components_list: list[UUID] | None = None
    flows_list: list[UUID] | None = None

    _name = field_validator("name")(_checked_name)


class FolderRead(FolderBase):
    id: UUID
    parent_id: UUID | None


class FolderListRead(FolderRead, Profiled):
    """GET /projects/ adds who owns each project (1.13; profile shapes.hidden "Project")."""

    shape = "Project"

    owner_username: str | None = None
    is_owner: bool  # required, as in 1.13's document


class FolderReadWithFlows(FolderRead):
    flows: list[FlowRead] = []


class FolderWithPaginatedFlows(Shape):
    folder: FolderRead
    flows: Page[FlowRead]


class FolderUpdate(RequestShape):
    name: str | None = None
    description: str | None = None
    parent_id: UUID | None = None
    # a factory, as Langflow's: /openapi.json then names no default for either
    components: list[UUID] = Field(default_factory=list)
    flows: list[UUID] = Field(default_factory=list)
    auth_settings: ProjectAuthSettings = None

    _name = field_validator("name")(_checked_name)
