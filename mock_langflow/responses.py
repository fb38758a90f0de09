"""Response helpers shared by several routers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi import Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel


def attachment(filename: str) -> str:
    """Content-Disposition as Langflow names its attachments: a plain ASCII form and the RFC 5987 form
    (`attachment; filename="x.txt"; filename*=UTF-8''x.txt`)."""
    ascii_name = "".join(c if c.isprintable() else "_" for c in filename)
    ascii_name = ascii_name.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def zip_response(content: bytes, filename: str) -> Response:
    """An archive download (flows, v2 files), named "<YYYYMMDD_HHMMSS>_langflow_<what>.zip"."""
    return Response(content, media_type="application/x-zip-compressed",
                    headers={"Content-Disposition": attachment(filename)})


def file_response(chunks: Iterator[bytes], filename: str, *, size: int | None = None) -> StreamingResponse:
    """A stored file as `application/octet-stream`, with its name in Content-Disposition (facts 37-38)."""
    headers = {"Content-Disposition": attachment(filename)}
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)


def json_response(content: Any) -> JSONResponse:
    """The JSON answer FastAPI would make of `content` returned by a handler without a response model, minus
    its jsonable_encoder walk, which took longer than the rest of the request (a /run body, a page of flows):
    a model (or a list of models) is dumped as the encoder dumps it, `mode="json", by_alias=True`, and then
    is plain JSON, as a /run body is already. Anything json cannot write as it is (UUIDs, datetimes, ...)
    still goes through the encoder."""
    if isinstance(content, BaseModel):
        content = content.model_dump(mode="json", by_alias=True)
    elif isinstance(content, list) and all(isinstance(item, BaseModel) for item in content):
        content = [item.model_dump(mode="json", by_alias=True) for item in content]
    try:
        return JSONResponse(content)
    except (TypeError, ValueError):
        return JSONResponse(jsonable_encoder(content))
