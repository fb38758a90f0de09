"""Flow shapes of /api/v1/flows (fact 31-36), field for field as Langflow 1.13 sends them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, computed_field, field_serializer, field_validator
from sqlalchemy import JSON
from sqlmodel import Field

from mock_langflow import errors
from mock_langflow.clock import as_utc, ts_seconds
from mock_langflow.profiles import current
from mock_langflow.schemas import Profiled, RequestShape, Shape, SQLShape

ENDPOINT_NAME_RE = re.compile(r"^[a-zA-Z0-9_-]+$")
ENDPOINT_NAME_INVALID = "Endpoint name must contain only letters, numbers, hyphens, and underscores"
HEX_COLOR_LENGTH = 7


class AccessTypeEnum(StrEnum):
    PRIVATE = "PRIVATE"
    PUBLIC = "PUBLIC"


class FlowType(StrEnum):
    WORKFLOW = "workflow"
    AGENT = "agent"


def check_endpoint_name(value: str | None) -> str | None:
    if value is not None and not ENDPOINT_NAME_RE.match(value):
        raise ValueError(ENDPOINT_NAME_INVALID)
    return value


def check_icon_bg_color(value: str | None) -> str | None:
    """Langflow's FlowBase: a hex colour, "#" and six more characters (an empty string passes)."""
    if value and not value.startswith("#"):
        raise ValueError("Icon background color must start with #")
    if value and len(value) != HEX_COLOR_LENGTH:
        raise ValueError("Icon background color must be 7 characters long")
    return value


def check_icon(value: str | None) -> str | None:
    """Langflow's FlowBase: an icon without colons at its ends is taken as it is; one colon at one end only is an
    invalid emoji; ":name:" (or several names in a row) becomes the emoji of that name, through the same `emoji`
    package Langflow uses, imported at the first such icon (its tables cost 10 MiB and 50 ms); any other such
    icon fails Langflow's lucide-name checks, which its colons never pass."""
    if value is None or not (value.startswith(":") or value.endswith(":")):
        return value
    if not (value.startswith(":") and value.endswith(":")):
        raise ValueError(f"Invalid emoji. {value} is not a valid emoji.")
    import emoji  # noqa: PLC0415 (see the docstring)

    icon = emoji.emojize(value, variant="emoji_type")
    if emoji.purely_emoji(icon):
        return icon
    if not value.islower():
        raise ValueError("Icon must be lowercase")
    raise ValueError("Icon must contain only letters and hyphens")


def check_graph(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Langflow's FlowBase: a flow's graph, when not empty, has `nodes` and `edges`. 1.13 then walks the nodes for
    MCP credentials (profile flows.nodes_walked), which fails on a truthy number or true (a 500 of the write, "Could
    not create the flow.", or its TypeError's text): the mock refuses such a graph up front, in that error's words."""
    if value and "nodes" not in value:
        raise ValueError("Flow must have nodes")
    if value and "edges" not in value:
        raise ValueError("Flow must have edges")
    nodes = value.get("nodes") if value else None
    if nodes and isinstance(nodes, int | float) and current().flows.nodes_walked:
        raise ValueError(f"'{type(nodes).__name__}' object is not iterable")
    return value


def join_code_lines(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """1.13's flow models (create, PUT, PATCH, batch, uploads): a template field of type "code" whose value is a
    list of lines, as 1.13's export writes code, becomes one string of those lines joined by newlines; a line
    that is not a string is refused. The nodes looked at are those of the graph's own "data" when that is an
    object (as in an export's envelope), else the graph's. Before 1.13 (profile flows.code_lines) a graph is
    kept as sent. The graph is copied only along the paths it changes: the client's objects are never altered."""
    if not value or current().flows.code_lines != "joined":
        return value
    enveloped = isinstance(value.get("data"), dict)
    graph = value["data"] if enveloped else value
    nodes = graph.get("nodes")
    if not isinstance(nodes, list):
        return value
    joined = [_node_with_code_joined(node) for node in nodes]
    if all(new is old for new, old in zip(joined, nodes, strict=True)):
        return value
    graph = {**graph, "nodes": joined}
    return {**value, "data": graph} if enveloped else graph


def _node_with_code_joined(node: Any) -> Any:
    inner = node.get("data") if isinstance(node, dict) else None
    spec = inner.get("node") if isinstance(inner, dict) else None
    template = spec.get("template") if isinstance(spec, dict) else None
    if not isinstance(template, dict):
        return node
    fields = {}
    for key, field in template.items():
        if isinstance(field, dict) and field.get("type") == "code" and isinstance(field.get("value"), list):
            if not all(isinstance(line, str) for line in field["value"]):
                raise ValueError(errors.CODE_LINES_NOT_STRINGS)
            fields[key] = {**field, "value": "\n".join(field["value"])}
    if not fields:
        return node
    return {**node, "data": {**inner, "node": {**spec, "template": {**template, **fields}}}}


class FlowFields(SQLShape):
    """The fields every flow shape shares; the flow table (store/models.py) inherits them."""

    name: str
    description: str | None = None
    icon: str | None = None
    icon_bg_color: str | None = None
    gradient: str | None = None
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    is_component: bool | None = False
    updated_at: datetime | None = None
    webhook: bool | None = False
    endpoint_name: str | None = None
    tags: list[str] | None = Field(default=None, sa_type=JSON)
    locked: bool | None = False
    mcp_enabled: bool | None = False
    action_name: str | None = None
    action_description: str | None = None
    access_type: AccessTypeEnum = AccessTypeEnum.PRIVATE
    flow_type: FlowType = FlowType.WORKFLOW
    a2a_enabled: bool | None = Field(default=False, title="A2A Enabled")
    a2a_card_overrides: dict[str, Any] | None = Field(default=None, title="A2A Card Overrides", sa_type=JSON)

    # No return annotation: /openapi.json keeps the field's date-time type, as Langflow's document has it.
    @field_serializer("updated_at")
    def _updated_at(self, value):  # type: ignore[no-untyped-def]
        return ts_seconds(as_utc(value)) if value else None


class FlowCreate(FlowFields):
    id: UUID | None = None
    user_id: UUID | None = None
    folder_id: UUID | None = None
    workspace_id: UUID | None = None
    fs_path: str | None = None

    # Langflow's FlowBase validators, which every body that creates or replaces a flow goes through.
    @field_validator("endpoint_name")
    @classmethod
    def _endpoint_name(cls, value: str | None) -> str | None:
        return check_endpoint_name(value)

    @field_validator("icon_bg_color")
    @classmethod
    def _icon_bg_color(cls, value: str | None) -> str | None:
        return check_icon_bg_color(value)

    @field_validator("icon")
    @classmethod
    def _icon(cls, value: str | None) -> str | None:
        return check_icon(value)

    @field_validator("data")
    @classmethod
    def _data(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return join_code_lines(check_graph(value))


class FlowListCreate(RequestShape):
    """POST /flows/batch/'s body, as Langflow's: `flows` is required (an empty object is a 422)."""

    flows: list[FlowCreate]


class FlowRead(FlowFields, Profiled):
    shape = "FlowRead"

    id: UUID
    user_id: UUID | None
    folder_id: UUID | None
    workspace_id: UUID | None = None
    name_key: str | None = None  # a stable i18n key derived from the English name
    version_token: UUID | None = None


class PublicFlowCapabilities(Shape):
    """What an anonymous visitor may do with a flow at its direct link (1.13)."""

    can_read: bool
    can_execute: bool


class PublicFlowRead(FlowRead):
    """1.13's answer of the shareable playground's flow read: the flow plus what its visitor may do with it."""

    shape = "PublicFlowRead"

    public_access: PublicFlowCapabilities


class FlowUpdate(RequestShape):
    name: str | None = None
    description: str | None = None
    # Deliberate: Langflow's FlowUpdate takes a graph without nodes or edges, stores it, then fails building the
    # answer's FlowRead, and rolls the write back: a 500 (1.13: "Could not update the flow."; before: pydantic's
    # report). The mock refuses such a body up front, as a create does (422 naming `data`); the flow is unchanged
    # either way.
    data: Annotated[dict[str, Any] | None, AfterValidator(check_graph), AfterValidator(join_code_lines)] = None
    folder_id: UUID | None = None
    workspace_id: UUID | None = None
    endpoint_name: Annotated[str | None, AfterValidator(check_endpoint_name)] = None
    mcp_enabled: bool | None = None
    locked: bool | None = None
    action_name: str | None = None
    action_description: str | None = None
    access_type: AccessTypeEnum | None = None
    flow_type: FlowType | None = None
    a2a_enabled: bool | None = Field(default=None, title="A2A Enabled")
    a2a_card_overrides: dict[str, Any] | None = Field(default=None, title="A2A Card Overrides")
    fs_path: str | None = None


# 1.13's conflict routes (api/v1/flow_conflict_routes.py): the way out of a refused save.
class FlowVersionState(Shape):
    """Which version of a flow is the current one (its token), who changed its graph last and when."""

    version_token: UUID | None
    last_modified_by: UUID | None
    last_modified_by_username: str | None
    updated_at: datetime | None


class FlowFork(RequestShape):
    """What a fork may choose; the copy takes the rest from the flow it copies, or leaves it unset."""

    name: str | None = None  # by default the flow's name with a suffix
    # Deliberate: Langflow builds its FlowCreate from a graph without nodes or edges inside the route and fails
    # with a 500 (pydantic's report); the mock refuses it up front (422 naming `data`). Nothing is made either way.
    # By default the flow's own.
    data: Annotated[dict[str, Any] | None, AfterValidator(check_graph), AfterValidator(join_code_lines)] = None


class FlowOverwrite(RequestShape):
    """The merged graph that replaces the version the caller reviewed."""

    # Deliberate: Langflow stores a graph without nodes or edges, then fails building the answer (a 500) and
    # rolls the write back; the mock refuses it up front (422 naming `data`), as its PATCH does.
    data: Annotated[dict[str, Any], AfterValidator(check_graph), AfterValidator(join_code_lines)]


class FlowVersionRead(Shape):
    """One kept version of a flow as 1.13's version list shows it (without its graph); `created_at` to the second,
    in UTC; `version_tag` is "v<number>"."""

    id: UUID
    flow_id: UUID
    user_id: UUID | None
    version_number: int = Field(ge=1)
    description: str | None
    retained: bool = False
    retained_reason: str | None = None
    created_at: datetime
    username: str | None = None
    is_deployed: bool | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def version_tag(self) -> str:
        return f"v{self.version_number}"

    @field_serializer("created_at")
    def _created_at(self, value: datetime) -> str:
        return as_utc(value).astimezone(UTC).replace(microsecond=0).isoformat()


class FlowVersionReadWithData(FlowVersionRead):
    """One kept version with its graph, as GET /flows/{id}/versions/{version_id} (1.13) answers it."""

    data: dict[str, Any] | None


class FlowVersionCreate(RequestShape):
    """POST /flows/{id}/versions/ (1.13): an optional description, and optionally the graph to keep (any object,
    as Langflow takes it: a canvas never saved), else the flow's own."""

    description: str | None = Field(default=None, max_length=500)
    data: dict[str, Any] | None = None


class FlowVersionList(Shape):
    """GET /flows/{id}/versions/ (1.13): the caller's kept versions of the flow, newest first, and how many a
    flow keeps."""

    entries: list[FlowVersionRead]
    max_entries: int = Field(ge=1)


class FlowHeader(Profiled):
    """The light listing of ?header_flows=true: `data` only for components."""

    shape = "FlowHeader"

    id: UUID
    name: str
    folder_id: UUID | None = None
    is_component: bool | None = None
    endpoint_name: str | None = None
    description: str | None = None
    data: dict[str, Any] | None = None
    access_type: AccessTypeEnum | None = None
    tags: list[str] | None = None
    mcp_enabled: bool | None = None
    flow_type: FlowType | None = None
    a2a_enabled: bool | None = Field(default=None, title="A2A Enabled")
    a2a_card_overrides: dict[str, Any] | None = Field(default=None, title="A2A Card Overrides")
    action_name: str | None = None
    action_description: str | None = None
    updated_at: datetime | None = None

    # No return annotation: /openapi.json keeps the field's date-time type, as Langflow's document has it.
    @field_serializer("updated_at")
    def _updated_at(self, value):  # type: ignore[no-untyped-def]
        return ts_seconds(as_utc(value)) if value else None


class FlowDownload(Shape):
    """One flow from POST /flows/download/: no owner, folder or timestamps; fs_path and last_modified_by added."""

    model_config = ConfigDict(extra="forbid")

    flow_type: FlowType
    tags: list[str] | None
    workspace_id: UUID | None
    last_modified_by: UUID | None
    action_name: str | None
    is_component: bool | None
    action_description: str | None
    a2a_enabled: bool | None
    a2a_card_overrides: dict[str, Any] | None
    webhook: bool | None
    id: UUID
    icon: str | None
    endpoint_name: str | None
    mcp_enabled: bool | None
    name: str
    icon_bg_color: str | None
    data: dict[str, Any] | None
    fs_path: str | None
    version_token: UUID | None
    description: str | None
    locked: bool | None


ItemT = TypeVar("ItemT")


class Page(Shape, Generic[ItemT]):
    """A page of flows (get_all=false), Langflow's Page[FlowRead] and Page[FlowHeader]: {items, total, page,
    size, pages}."""

    items: list[ItemT]
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    size: int = Field(ge=1)
    pages: int = Field(ge=0)


class FlowsDeleted(Shape):
    deleted: int


class MessageResponse(Shape):
    message: str


class GraphDumpResponse(Profiled):
    """A starter project: the flow's graph and a few of its fields."""

    shape = "GraphDump"

    data: dict[str, Any] | None = None
    is_component: bool | None = None
    name: str | None = None
    # Langflow's requires it: "stable i18n key derived from the original English name".
    name_key: str
    description: str | None = None
    endpoint_name: str | None = None
