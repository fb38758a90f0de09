"""/api/v1/files: the files of one flow, and the profile pictures (fact 37); plus the deprecated /api/v1/upload."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from typing import Annotated
from uuid import UUID

from fastapi import Depends, File, Path, Request, Response, UploadFile
from fastapi.responses import StreamingResponse

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, caller_or_refusal, optional_user_where
from mock_langflow.deps import StateDep
from mock_langflow.responses import OCTET_STREAM, answers, file_response
from mock_langflow.routing import api_router
from mock_langflow.schemas.files import FlowFileList, FlowFileUploaded
from mock_langflow.schemas.flows import MessageResponse
from mock_langflow.store.files import iter_blob
from mock_langflow.store.models import FlowRow, UserRow

router = api_router(tags=["Files"], prefix="/files")
# Langflow serves the deprecated upload from its "Base" router (api/v1/endpoints.py), not from /files.
legacy_router = api_router(tags=["Base"])

PICTURE_FOLDERS = ("People", "Space")
# lfx's EXTENSION_TO_CONTENT_TYPE (lfx/utils/constants.py), the same in every emulated release: the content type
# Langflow gives a v1 file by its extension; any other extension is application/octet-stream.
CONTENT_TYPES = {
    "json": "application/json", "txt": "text/plain", "csv": "text/csv", "html": "text/html",
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "svg": "image/svg+xml", "mp3": "audio/mpeg", "wav": "audio/wav", "mp4": "video/mp4", "webm": "video/webm",
    "zip": "application/zip", "tar": "application/x-tar", "gz": "application/gzip", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xml": "application/xml", "yaml": "application/x-yaml", "yml": "application/x-yaml",
}


def extension_of(file_name: str) -> str:
    """A file name's extension as Langflow reads it: the text after its last dot, or the whole name. A name ending
    in a dot has none: a 400 with Langflow's text (deviation: Langflow's source answers it with a 500)."""
    extension = file_name.rsplit(".", 1)[-1]
    if not extension:
        raise errors.BadRequest(errors.extension_not_found(file_name))
    return extension


def content_type_of(file_name: str) -> str:
    """Langflow's content type for a file name, by its extension (extension_of)."""
    return CONTENT_TYPES.get(extension_of(file_name).lower(), OCTET_STREAM)


async def get_flow(flow_id: UUID, user: CurrentUser, state: StateDep) -> FlowRow:
    """The flow of the path, if it is the caller's: else 404 "Flow not found", another user's flow included."""
    return state.store.files.flow_for_files(flow_id, user_id=user.id)


# Where images are public (1.8), no credentials are read: a key sent along is never used.
ImageCaller = Annotated[UserRow | None, Depends(
    optional_user_where(lambda state: not state.profile.auth.public_images))]


async def get_image_flow(flow_id: UUID, request: Request, user: ImageCaller, state: StateDep) -> UUID:
    """The folder of an image: the caller's flow, as get_flow finds it; Langflow 1.8 serves images to anyone and
    looks up no flow, reading `<flow_id>/<file_name>` whoever's it is (profile auth.public_images)."""
    if state.profile.auth.public_images:
        return flow_id
    user = caller_or_refusal(request, user)
    return state.store.files.flow_for_files(flow_id, user_id=user.id).id


def one_segment(name: str) -> bool:
    """Whether a name in the URL is one path segment as Langflow checks it: no '..', slash or backslash."""
    return not any(part in name for part in ("..", "/", "\\"))


async def checked_file_name(state: StateDep, file_name: Annotated[str, Path()]) -> str:
    """A stored file's name in the URL: 1.13 and 1.8 refuse one holding '..', a slash or a backslash (400)
    before they look at the caller or the flow; 1.7.1 takes any (profile files.v1_name_check)."""
    if state.profile.files.v1_name_check and not one_segment(file_name):
        raise errors.BadRequest(errors.simple_segment("file name"))
    return file_name


FileNameDep = Annotated[str, Depends(checked_file_name)]
FlowDep = Annotated[FlowRow, Depends(get_flow)]
ImageFolderDep = Annotated[UUID, Depends(get_image_flow)]


@router.post("/upload/{flow_id}", status_code=201)
async def upload_file(file: Annotated[UploadFile, File()], flow: FlowDep, state: StateDep) -> FlowFileUploaded:
    """POST /api/v1/files/upload/{flow_id}: 201 {"flowId", "file_path": "<flow_id>/<YYYY-MM-DD_HH-MM-SS>_<name>"}.

    1.13 refuses a name holding a slash, a backslash or '..' (its storage will not write it; profile
    files.v1_upload_paths); before, the name is reduced to its last segment. Then it is made one safe segment (no
    NUL or control characters, at most 255 bytes). A body over LANGFLOW_MAX_FILE_SIZE_UPLOAD never reaches this
    handler (413 from the middleware, fact 39). Deviation: the refusal is a 400 with Langflow's text, where
    Langflow's source answers a 500.
    """
    row = state.store.files.save_to_flow(flow, filename=file.filename, source=file.file,
                                         refuse_paths=state.profile.files.v1_upload_paths)
    return FlowFileUploaded(flowId=str(flow.id), file_path=row.path)


@router.get("/download/{flow_id}/{file_name}", response_class=Response, responses=answers(OCTET_STREAM))
async def download_file(file_name: FileNameDep, flow: FlowDep, state: StateDep) -> StreamingResponse:
    """GET /api/v1/files/download/{flow_id}/{file_name}: the bytes as application/octet-stream, named in
    Content-Disposition.

    Emulated: a file that is not there is a 500 carrying the storage error's text, as real Langflow 1.13
    answers it (files_v1_download_missing), not a 404. Deviation: a name ending in a dot (no extension after it)
    is a 400 with Langflow's text, there or not; Langflow's source answers it with a 500 before it reads the file.
    """
    extension_of(file_name)  # a name ending in a dot is refused, whether the file is there or not
    row = state.store.files.flow_file(flow.id, file_name)
    handle = state.store.files.open(row) if row is not None else None
    if row is None or handle is None:
        raise errors.FlowFileMissing(file_name, flow.id)
    return file_response(iter_blob(handle), row.name, size=os.fstat(handle.fileno()).st_size,
                         style=state.profile.files.v1_disposition)


@router.get("/images/{flow_id}/{file_name}", response_class=Response, responses=answers("image/*"))
async def download_image(file_name: FileNameDep, folder: ImageFolderDep, state: StateDep) -> StreamingResponse:
    """GET /api/v1/files/images/{flow_id}/{file_name}: an image with its own content type (files_v1_image).

    The type comes from the extension through Langflow's table, so only png, jpg, jpeg, gif and svg are images.
    Emulated: a missing file is the same 500 as a missing download. Deviation: a name without an extension or a
    file that is not an image is a 400 with Langflow's text; Langflow's source answers it with a 500.
    """
    content_type = content_type_of(file_name)
    if not content_type.startswith("image"):
        raise errors.BadRequest(errors.not_an_image(content_type))
    row = state.store.files.file_at(folder, file_name)
    handle = state.store.files.open(row) if row is not None else None
    if row is None or handle is None:
        raise errors.FlowFileMissing(file_name, folder)
    headers = {"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(iter_blob(handle), media_type=content_type,
                             headers=headers if state.profile.files.v1_image_headers else None)


@cache
def profile_pictures() -> dict[str, dict[str, bytes]]:
    """The pictures the mock ships (data/profile_pictures/<folder>/<name>.svg), read once: a request's names
    are only ever looked up in this table, never joined into a path."""
    base = resources.files("mock_langflow.data").joinpath("profile_pictures")
    found: dict[str, dict[str, bytes]] = {}
    for folder in PICTURE_FOLDERS:
        entry = base.joinpath(folder)
        if entry.is_dir():
            found[folder] = {f.name: f.read_bytes() for f in sorted(entry.iterdir(), key=lambda f: f.name)
                             if f.is_file()}
    return found


@router.get("/profile_pictures/{folder_name}/{file_name}", response_class=Response, responses=answers("image/*"))
async def download_profile_picture(folder_name: str, file_name: str, state: StateDep) -> StreamingResponse:
    """GET /api/v1/files/profile_pictures/{folder_name}/{file_name}: for anyone, as in Langflow (an <img> loads
    it). A name with a path in it, or a folder other than People and Space, is a 400 with Langflow's text.

    Deviation: the pictures are the mock's own (a few simple SVGs), not Langflow's set of 79.
    """
    segment = state.profile.files.picture_names == "segment"
    for name, label in ((folder_name, "folder name"), (file_name, "file name")):
        if segment and not one_segment(name):
            raise errors.BadRequest(errors.simple_segment(label))
    if not segment and (".." in folder_name or ".." in file_name):
        raise errors.BadRequest(errors.PICTURE_TRAVERSAL)
    if folder_name not in PICTURE_FOLDERS:
        raise errors.BadRequest(errors.picture_folders(PICTURE_FOLDERS))
    if not segment and ("/" in file_name or "\\" in file_name):
        raise errors.BadRequest(errors.PICTURE_SEPARATORS)
    content = profile_pictures().get(folder_name, {}).get(file_name)
    if content is None:
        raise errors.NotFound(errors.profile_picture_not_found(folder_name, file_name))
    # streamed, as Langflow streams it: no Content-Length, and (1.13) gzipped for a client that takes it
    return StreamingResponse(iter((content,)), media_type=content_type_of(file_name))


@router.get("/profile_pictures/list", response_model=None)  # untyped in Langflow's document
async def list_profile_pictures() -> FlowFileList:
    """GET /api/v1/files/profile_pictures/list: {"files": ["People/<name>", ..., "Space/<name>", ...]}, for anyone
    (as in Langflow)."""
    return FlowFileList(files=[f"{folder}/{name}" for folder, names in profile_pictures().items() for name in names])


@router.get("/list/{flow_id}", response_model=None)  # untyped in Langflow's document
async def list_files(flow: FlowDep, state: StateDep) -> FlowFileList:
    """GET /api/v1/files/list/{flow_id}: {"files": [stored names]}, oldest first."""
    return FlowFileList(files=[row.name for row in state.store.files.flow_files(flow.id)])


@router.delete("/delete/{flow_id}/{file_name}", response_model=None)  # untyped in Langflow's document
async def delete_file(file_name: FileNameDep, flow: FlowDep, state: StateDep) -> MessageResponse:
    """DELETE /api/v1/files/delete/{flow_id}/{file_name}: 200 even when the file is already gone (fact 37)."""
    state.store.files.delete_flow_file(flow.id, file_name)
    return MessageResponse(message=f"File {file_name} deleted successfully")


@legacy_router.post("/upload/{flow_id}", status_code=201, deprecated=True, include_in_schema=False)
async def create_upload_file(file: Annotated[UploadFile, File()], flow_id: UUID, user: CurrentUser,
                             state: StateDep) -> FlowFileUploaded:
    """POST /api/v1/upload/{flow_id}: deprecated ("use the /files endpoints instead"), hidden from the schema.

    The file is stored as a v1 file of the flow, named by its content ("<sha256><extension>", as Langflow's
    cache names it), so it shows in the flow's list and a run can read it.
    Deviation: `file_path` is "<flow_id>/<sha256><extension>", the path every mock route takes, where Langflow
    puts the absolute path of its cache file. Langflow's source asks for no credentials here and takes any
    flow id; the mock asks for the caller's, and for a flow of theirs, as on every other file route.
    """
    flow = state.store.files.flow_for_files(flow_id, user_id=user.id)
    row = state.store.files.save_to_flow(flow, filename=file.filename, source=file.file, content_named=True)
    return FlowFileUploaded(flowId=str(flow.id), file_path=row.path)
