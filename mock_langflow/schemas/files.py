"""File shapes of /api/v1/files (per flow) and /api/v2/files (per user), as Langflow 1.13 sends them (facts 37-38)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import ConfigDict, SerializerFunctionWrapHandler, field_serializer, model_serializer

from mock_langflow.clock import wire_time
from mock_langflow.schemas import Shape, SQLShape


class FlowFileUploaded(Shape):
    """POST /api/v1/files/upload/{flow_id}: note the camelCase `flowId` (fact 37)."""

    model_config = ConfigDict(title="UploadFileResponse")

    flowId: str
    file_path: str


class FlowFileList(Shape):
    """GET /api/v1/files/list/{flow_id} and the profile pictures: {"files": [names]}."""

    files: list[str]


class FileFields(SQLShape):
    """What every v2 file shape shows; the file table (store/models.py) inherits it."""

    name: str
    path: str
    size: int
    provider: str | None = None


def _in_order(fields: tuple[str, ...], handler: SerializerFunctionWrapHandler, shape: object) -> dict[str, object]:
    """A shape's fields in the order Langflow's answer writes them (its model declares them in another)."""
    data = handler(shape)
    return {name: data[name] for name in fields if name in data} | data


class UploadFileResponse(FileFields):
    """POST /api/v2/files and PUT /api/v2/files/{id}: {id, name (no extension), path, size, provider}."""

    id: UUID

    # No return annotation: /openapi.json keeps the fields' schema.
    @model_serializer(mode="wrap")
    def _ordered(self, handler):  # type: ignore[no-untyped-def]
        return _in_order(("id", "name", "path", "size", "provider"), handler, self)


class UserFileRead(FileFields):
    """One entry of GET /api/v2/files."""

    model_config = ConfigDict(title="File")  # type: ignore[assignment]

    id: UUID
    user_id: UUID
    created_at: datetime
    updated_at: datetime

    # No return annotation: /openapi.json keeps the field's date-time type, as Langflow's document has it.
    @field_serializer("created_at", "updated_at")
    def _times(self, value):  # type: ignore[no-untyped-def]
        return wire_time(value, "files")

    @model_serializer(mode="wrap")
    def _ordered(self, handler):  # type: ignore[no-untyped-def]
        return _in_order(("user_id", "id", "size", "created_at", "name", "path", "provider", "updated_at"), handler,
                         self)
