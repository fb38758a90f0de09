"""Response helpers shared by several routers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import StreamingResponse

OCTET_STREAM = "application/octet-stream"
ZIP = "application/x-zip-compressed"
_BYTES = {"schema": {"type": "string", "format": "binary"}}


def answers(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: its 200 comes (also) as these media types, as the recordings show. Langflow's own
    OpenAPI document says application/json for every route, downloads and streams included, which its answers
    contradict; the mock's document says what the mock, like Langflow, actually sends. A route that never
    answers JSON also takes `response_class=Response`, so that application/json is not listed."""
    return {200: {"content": dict.fromkeys(media_types, _BYTES)}}


def attachment(filename: str) -> str:
    """Content-Disposition as Langflow names its attachments: a plain ASCII form and the RFC 5987 form
    (`attachment; filename="x.txt"; filename*=UTF-8''x.txt`)."""
    ascii_name = "".join(c if c.isprintable() else "_" for c in filename)
    ascii_name = ascii_name.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def zip_response(content: bytes, filename: str) -> Response:
    """An archive download (flows, v2 files), named "<YYYYMMDD_HHMMSS>_langflow_<what>.zip"."""
    return Response(content, media_type=ZIP,
                    headers={"Content-Disposition": attachment(filename)})


def file_response(chunks: Iterator[bytes], filename: str, *, size: int | None = None) -> StreamingResponse:
    """A stored file as `application/octet-stream`, with its name in Content-Disposition (facts 37-38)."""
    headers = {"Content-Disposition": attachment(filename)}
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(chunks, media_type=OCTET_STREAM, headers=headers)
