"""Response helpers shared by several routers."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Literal
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import StreamingResponse

DispositionStyle = Literal["rfc", "quoted", "bare", "run-on"]


def attachment(filename: str, style: DispositionStyle = "rfc") -> str:
    """Content-Disposition as Langflow names its attachments. 1.13 sends a plain ASCII form and the RFC 5987
    form (`attachment; filename="x.txt"; filename*=UTF-8''x.txt`); older releases send only the quoted
    name, the bare name, or both forms run together without a `;` (profile files.*_disposition)."""
    if style == "bare":
        return f"attachment; filename={filename}"
    if style == "run-on":
        return f"attachment; filename={filename} filename*=UTF-8''{quote(filename, safe='')}"
    ascii_name = "".join(c if c.isprintable() else "_" for c in filename)
    ascii_name = ascii_name.encode("ascii", "replace").decode().replace('"', "'")
    if style == "quoted":
        return f'attachment; filename="{ascii_name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def listing(content: bytes, *, always_gzip: bool) -> Response:
    """A JSON listing (flows, examples, /all). Releases before 1.13 compress these themselves, whatever the
    client accepts (profile http.gzip "lists"); 1.13 leaves compression to its middleware."""
    if not always_gzip:
        return Response(content, media_type="application/json")
    return Response(gzip.compress(content, compresslevel=6, mtime=0), media_type="application/json",
                    headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


def zip_response(content: bytes, filename: str, style: DispositionStyle = "rfc") -> Response:
    """An archive download (flows, v2 files), named "<YYYYMMDD_HHMMSS>_langflow_<what>.zip"."""
    return Response(content, media_type="application/x-zip-compressed",
                    headers={"Content-Disposition": attachment(filename, style)})


def file_response(chunks: Iterator[bytes], filename: str, *, size: int | None = None,
                  style: DispositionStyle = "rfc") -> StreamingResponse:
    """A stored file as `application/octet-stream`, with its name in Content-Disposition (facts 37-38)."""
    headers = {"Content-Disposition": attachment(filename, style)}
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)
