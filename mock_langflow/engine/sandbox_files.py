"""1.13's GET /api/v1/agentic/files (langflow/agentic/api/files_router.py): a file of the caller's assistant
sandbox (store/assistant.py Sandbox), refused by shape first, then by the sandbox's rules, size and content."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from fastapi.responses import Response

from mock_langflow import errors
from mock_langflow.store.assistant import BINARY_SNIFF_BYTES, MAX_FILE_SIZE_BYTES, Sandbox

if TYPE_CHECKING:
    from mock_langflow.state import AppState


def unsafe_shape(path: str) -> bool:
    """The shapes refused before any file is looked at: empty or over 1024 characters, a NUL byte, absolute (a
    slash, a backslash or a drive letter first), or a '..' part."""
    if not path or len(path) > 1024 or "\x00" in path or path.startswith(("/", "\\")):
        return True
    if len(path) >= 2 and path[1] == ":" and path[0].isalpha():
        return True
    return any(part == ".." for part in path.replace("\\", "/").split("/"))


def read_file(state: AppState, user_id: UUID, path: str, *, download: bool) -> Response:
    """The file's bytes as text/plain (utf-8), or as an octet-stream attachment; 400 for a refused shape, 404 for
    anything the sandbox does not hold or refuses, 413 over 10 MiB, 415 for binary content."""
    if unsafe_shape(path):
        raise errors.BadRequest(errors.SANDBOX_INVALID_PATH)
    target = Sandbox(state.settings.data_dir, user_id).resolve(path)
    if target is None or not target.is_file():
        raise errors.NotFound(errors.SANDBOX_NOT_FOUND)
    try:
        if target.stat().st_size > MAX_FILE_SIZE_BYTES:
            raise errors.ContentTooLarge(errors.SANDBOX_TOO_LARGE)
        body = target.read_bytes()
    except OSError:
        raise errors.NotFound(errors.SANDBOX_NOT_FOUND) from None
    if b"\x00" in body[:BINARY_SNIFF_BYTES]:
        raise errors.UnsupportedMediaType(errors.SANDBOX_BINARY)
    if download:
        name = "".join(ch for ch in Path(path).name if ch.isprintable() and ch not in '"\r\n') or "file"
        return Response(content=body, media_type="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return Response(content=body, media_type="text/plain; charset=utf-8")
