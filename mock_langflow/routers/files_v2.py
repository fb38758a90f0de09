"""/api/v2/files: a user's own files, tracked in the database (fact 38). One user never sees another's."""

from __future__ import annotations

import io
import json
import unicodedata
import warnings
import zipfile
from collections.abc import Sequence
from itertools import count
from typing import Annotated, BinaryIO, Literal
from uuid import UUID

from fastapi import Body, File, Response, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.clock import as_utc
from mock_langflow.deps import StateDep
from mock_langflow.mcp.projects import check_stdio_access
from mock_langflow.responses import OCTET_STREAM, ZIP, answers, file_response, zip_response
from mock_langflow.routing import api_router
from mock_langflow.schemas.auth import DetailResponse
from mock_langflow.schemas.files import UploadFileResponse, UserFileRead
from mock_langflow.schemas.flows import MessageResponse
from mock_langflow.state import AppState
from mock_langflow.store.files import Files, download_name, extension, iter_blob, portable_member_name
from mock_langflow.store.mcp import servers_file_name
from mock_langflow.store.models import FileRow, UserRow

router = api_router(tags=["Files"], prefix="/files")

FileIds = Annotated[list[UUID], Body(title="File Ids")]


def _uploaded(row: FileRow) -> UploadFileResponse:
    return UploadFileResponse(id=row.id, name=row.name, path=row.path, size=row.size, provider=row.provider)


def _archive(files: Files, rows: Sequence[FileRow], names: Literal["portable", "as-is"]) -> bytes:
    """One entry per file, stored uncompressed as Langflow's are (files_v2_batch_download), named "<name><extension>":
    made portable, a name the archive holds already (in any case) taking "_<file id>_<n>" before its extension, as
    1.13 names them; or as it is, a repeated name written again, as before 1.13 (profile files.zip_names)."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name", which those releases write
        for row in rows:
            handle = files.open(row)
            if handle is None:
                continue
            name = download_name(row)
            if names == "portable":
                name = portable_member_name(row.name, extension(row))
                for n in count(1):
                    if unicodedata.normalize("NFC", name).casefold() not in used:
                        break
                    name = portable_member_name(row.name, extension(row), suffix=f"_{row.id}_{n}")
                used.add(unicodedata.normalize("NFC", name).casefold())
            with handle, archive.open(name, "w") as entry:
                while chunk := handle.read(1 << 20):
                    entry.write(chunk)
    return buffer.getvalue()


@router.post("", status_code=201)
@router.post("/", status_code=201)
async def upload_user_file(file: Annotated[UploadFile, File()], user: CurrentUser, state: StateDep,
                           append: bool = False, ephemeral: bool = False) -> UploadFileResponse:
    """POST /api/v2/files (with or without the slash): 201 {id, name (no extension), path "<user_id>/<file>",
    size, provider: null}; a name in use becomes "notes (1)" (fact 38), and so does a name that begins another's
    ("notes_old"), numbered after the highest "(n)" among them, as Langflow numbers it.

    1.13 refuses an unsafe name (a path, "..", control or formatting characters, a device name, over 255
    bytes); earlier releases' profiles reduce it to one safe segment. With `append=true` the bytes are added to the
    caller's file of that name, when there is one. With `ephemeral=true` (1.13, 1.8) the answer is the same, but
    no file is made: the bytes are kept under the path for a run, and the list and the id know nothing of them.
    """
    ephemeral = ephemeral and state.profile.has_param("POST /api/v2/files", "ephemeral")
    servers_file = servers_file_name(user.id)
    if file.filename == f"{servers_file}.json":  # Langflow's MCP servers file: checked (1.13), replaced
        if state.profile.mcp.servers_file_checked:
            _check_servers_file(state, user, file.file)
        if not ephemeral:  # (before 1.13 it is the user's MCP server list from now on)
            return _uploaded(state.store.files.replace_named(user.id, filename=file.filename, source=file.file))
        for old in [r for r in state.store.files.user_files(user.id) if r.name == servers_file]:
            state.store.files.delete_user_file(old.id, user_id=user.id)
    row = state.store.files.save_for_user(user.id, filename=file.filename, source=file.file, append=append,
                                          strict=state.profile.files.v2_names == "refuse", ephemeral=ephemeral)
    return _uploaded(row)


def _check_servers_file(state: AppState, user: UserRow, source: BinaryIO) -> None:
    """1.13 checks an upload of the user's MCP servers file as it checks an entry edit: the list's lock (403),
    then the text (422: no JSON, no `mcpServers` object, an entry its request model refuses), then each entry's
    stdio access (403)."""
    if state.profile.mcp.servers_lock and state.settings.mcp_servers_locked and not user.is_superuser:
        raise errors.Forbidden(errors.MCP_SERVERS_LOCKED)
    raw = source.read()
    source.seek(0)
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # RecursionError: a nesting too deep to read is no config either
        raise errors.UnprocessableEntity(errors.MCP_SERVERS_FILE_NOT_JSON) from exc
    servers = parsed.get("mcpServers") if isinstance(parsed, dict) else None
    if not isinstance(servers, dict):
        raise errors.UnprocessableEntity(errors.MCP_SERVERS_FILE_NO_SERVERS)
    from mock_langflow.mcp.stdio_policy import entry_refusal  # its tables and patterns at the first config
    from mock_langflow.routers.mcp import allowlists

    lists = allowlists(state)
    for name, config in servers.items():
        if (refused := entry_refusal(config, state.profile.validation.pydantic_docs, lists)) is not None:
            raise errors.UnprocessableEntity(errors.mcp_servers_file_entry_invalid(name, refused))
    for config in servers.values():
        check_stdio_access(state, user, config)


@router.get("")
@router.get("/", status_code=200)
async def list_files(user: CurrentUser, state: StateDep) -> list[UserFileRead]:
    """GET /api/v2/files: the caller's files, oldest first."""
    servers_file = servers_file_name(user.id)  # Langflow's MCP servers file is not listed
    return [UserFileRead.model_validate(row, from_attributes=True) for row in state.store.files.user_files(user.id)
            if row.name != servers_file]


@router.delete("/batch/", status_code=200, response_model=None)  # untyped in Langflow's document
async def delete_files_batch(file_ids: FileIds, user: CurrentUser, state: StateDep) -> MessageResponse:
    """DELETE /api/v2/files/batch/: a JSON array of ids; the caller's among them are deleted.

    Deviation: when none of them is the caller's the answer is 404 "No files found"; Langflow's source wraps
    that 404 into a 500 "Error deleting files: 404: No files found".
    """
    deleted = state.store.files.delete_user_files(user_id=user.id, file_ids=file_ids)
    if not deleted:
        raise errors.NotFoundInPlaceOf500(errors.NO_FILES_FOUND)
    return MessageResponse(message=f"{deleted} files deleted successfully")


@router.post("/batch/", status_code=200, response_class=Response, responses=answers(ZIP))
async def download_files_batch(file_ids: FileIds, user: CurrentUser, state: StateDep) -> Response:
    """POST /api/v2/files/batch/: the caller's files among the ids as "<YYYYMMDD_HHMMSS>_langflow_files.zip",
    streamed without a Content-Length as Langflow streams it.

    Deviation: when none of them is the caller's the answer is 404 "No files found" (Langflow's source: 500).
    """
    rows = state.store.files.user_files_by_ids(file_ids, user_id=user.id)
    if not rows:
        raise errors.NotFoundInPlaceOf500(errors.NO_FILES_FOUND)
    filename = f"{as_utc(state.clock.now()).strftime('%Y%m%d_%H%M%S')}_langflow_files.zip"
    archive = _archive(state.store.files, rows, state.profile.files.zip_names)
    return zip_response(archive, filename, state.profile.files.zip_disposition)


@router.get("/{file_id}", response_model=None, responses=answers(OCTET_STREAM))
async def download_file(file_id: UUID, user: CurrentUser, state: StateDep,
                        return_content: bool = False) -> StreamingResponse | JSONResponse:
    """GET /api/v2/files/{file_id}: the bytes as an attachment "<name><extension>", streamed without a
    Content-Length (files_v2_download: chunked), or with `?return_content=true` the text as a JSON string
    (files_v2_download_return_content).

    Deviation: content that is not UTF-8 text is a 400 "Invalid file encoding" with return_content; Langflow's
    source answers it with a 500.
    """
    row = state.store.files.user_file(file_id, user_id=user.id)
    handle = state.store.files.open(row)
    if handle is None:
        raise errors.FileNotFound()
    if return_content:
        with handle:
            data = handle.read()
        try:
            return JSONResponse(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise errors.BadRequest(errors.INVALID_FILE_ENCODING) from exc
    return file_response(iter_blob(handle), download_name(row), style=state.profile.files.v2_disposition)


@router.put("/{file_id}")
async def edit_file_name(file_id: UUID, name: str, user: CurrentUser, state: StateDep) -> UploadFileResponse:
    """PUT /api/v2/files/{file_id}?name=: renames; the name comes only from the query (a JSON body is ignored,
    so without ?name= the answer is a 422, files_v2_rename_json_body_ignored). The bytes and path stay."""
    with errors.rewrapped(state.profile.files.v2_rename_unknown == "500", prefix="Error editing file: "):
        return _uploaded(state.store.files.rename(file_id, user_id=user.id, name=name,
                                                  strict=state.profile.files.v2_names == "refuse"))


@router.delete("/{file_id}", response_model=None)  # untyped in Langflow's document
async def delete_file(file_id: UUID, user: CurrentUser, state: StateDep) -> DetailResponse:
    """DELETE /api/v2/files/{file_id}: {"detail": "File <name> deleted successfully"} (a `detail` key on
    success, fact 38); the bytes leave the disk with the row."""
    row = state.store.files.delete_user_file(file_id, user_id=user.id)
    return DetailResponse(detail=f"File {row.name} deleted successfully")


# Untyped in Langflow's document, as its other deletions.
@router.delete("", response_model=None)
@router.delete("/", status_code=200, response_model=None)
async def delete_all_files(user: CurrentUser, state: StateDep) -> MessageResponse:
    """DELETE /api/v2/files: {"message": "All N files deleted successfully"}, N = 0 included."""
    deleted = state.store.files.delete_user_files(user_id=user.id)  # the hidden MCP servers file counts too
    return MessageResponse(message=f"All {deleted} files deleted successfully")
