"""MCP resources as Langflow serves them: the files stored for flows and the caller's own files (/api/v2/files),
each read back base64-encoded. 1.13 offers only the caller's flows (a project's server: its flows) and, on the
global server only, the caller's files, and reads nothing else; before 1.13 (profile mcp.resources) the flows are
everyone's (a project's: all of its flows), the caller's files are on both servers and any file may be read."""

from __future__ import annotations

import base64
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlparse
from uuid import UUID

from mock_langflow import errors
from mock_langflow.state import AppState
from mock_langflow.store.mcp import MCP_SERVERS_FILE

if TYPE_CHECKING:
    from mcp import types

USER_FILE_DESCRIPTION = "User file uploaded via File Manager"
# Langflow looks the content type up by the whole file name where it means the extension, so it finds none.
MIME_TYPE = "application/octet-stream"


def _base_url(state: AppState) -> str:
    return f"http://{state.settings.host}:{state.settings.port}"


def list_resources(state: AppState, *, user_id: UUID, project_id: UUID | None) -> list[types.Resource]:
    from mcp import types

    scoped = state.profile.mcp.resources == "caller-scoped"
    base, found = _base_url(state), []
    for flow_id, flow_name, row in state.store.mcp.flow_files(user_id=user_id if scoped else None,
                                                              project_id=project_id):
        name = PurePosixPath(row.path).name
        found.append(types.Resource(uri=f"{base}/api/v1/files/download/{flow_id}/{quote(name)}", name=name,
                                    description=f"File in flow: {flow_name}", mimeType=MIME_TYPE))
    if project_id is None or not scoped:
        for row in state.store.files.user_files(user_id):
            name = PurePosixPath(row.path).name
            if name.startswith(f"{MCP_SERVERS_FILE}_{user_id}"):
                continue
            found.append(types.Resource(uri=f"{base}/api/v1/files/download/{user_id}/{quote(name)}", name=name,
                                        description=USER_FILE_DESCRIPTION, mimeType=MIME_TYPE))
    return found


def read_resource(state: AppState, *, user_id: UUID, project_id: UUID | None, uri: str) -> bytes:
    """The file a resource URI names (".../<flow or user id>/<file name>"), base64-encoded as Langflow returns
    it (the SDK encodes it once more as the blob). Only the caller's flows (in the project) and, on the global
    server, the caller's own folder may be read."""
    parts = [p for p in urlparse(uri).path.split("/") if p]
    if len(parts) < 2:  # noqa: PLR2004
        raise ValueError(errors.mcp_invalid_resource(uri))
    namespace, name = parts[-2], unquote(parts[-1])
    if state.profile.mcp.resources != "caller-scoped":
        return _read(state, namespace, name)
    if not name or ".." in name or "/" in name or "\\" in name:
        raise ValueError(errors.MCP_INVALID_FILENAME)
    try:
        folder = UUID(namespace)
    except ValueError:
        folder = None
    own_flow = folder in state.store.mcp.flow_ids(user_id=user_id, project_id=project_id)
    if not own_flow and (project_id is not None or namespace != str(user_id)):
        raise ValueError(errors.MCP_RESOURCE_DENIED)
    return _read(state, namespace, name)


def _read(state: AppState, namespace: str, name: str) -> bytes:
    try:
        row = state.store.files.file_at(UUID(namespace), name)
    except ValueError:
        row = None
    content = state.store.files.blobs.read(row.blob) if row is not None else None
    if not content:
        raise ValueError(errors.flow_file_missing(name, namespace))
    return base64.b64encode(content)
