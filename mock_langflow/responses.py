"""Response helpers shared by several routers."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from typing import Any, Literal
from urllib.parse import quote

import orjson
from fastapi import Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel
from pydantic_core import to_json

from mock_langflow.jsonsafety import load_stored, python_floats, serde_floats

DispositionStyle = Literal["rfc", "quoted", "bare", "run-on", "encoded"]

OCTET_STREAM = "application/octet-stream"
ZIP = "application/x-zip-compressed"
_BYTES = {"schema": {"type": "string", "format": "binary"}}


def answers(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: its 200 comes (also) as these media types, as the recordings show. Langflow's own
    OpenAPI document says application/json for every route, downloads and streams included, which its answers
    contradict; the mock's document says what the mock, like Langflow, actually sends. A route that never
    answers JSON also takes `response_class=Response`, so that application/json is not listed."""
    return {200: {"content": dict.fromkeys(media_types, _BYTES)}}


def attachment(filename: str, style: DispositionStyle = "rfc") -> str:
    """Content-Disposition as Langflow names its attachments. 1.13 sends a plain ASCII form and the RFC 5987
    form (`attachment; filename="x.txt"; filename*=UTF-8''x.txt`); older releases send only the quoted
    name, the bare name, both forms run together without a `;` (profile files.*_disposition), or only the
    percent-encoded form, `/` left as it is (1.8's project download)."""
    if style == "encoded":
        return f"attachment; filename*=UTF-8''{quote(filename)}"
    printable = "".join(c if c.isprintable() else "_" for c in filename)
    if style in ("bare", "run-on"):  # the name as a header can carry it: no line breaks, nothing past Latin-1
        bare = printable.encode("latin-1", "replace").decode("latin-1")
        if style == "bare":
            return f"attachment; filename={bare}"
        return f"attachment; filename={bare} filename*=UTF-8''{quote(filename, safe='')}"
    if style == "quoted":
        ascii_name = printable.encode("ascii", "replace").decode().replace('"', "'")
        return f'attachment; filename="{ascii_name}"'
    # 1.13's build_content_disposition: ASCII controls become "_" in both forms; the fallback escapes `\` and `"`
    # with a backslash (RFC 6266), and the RFC 5987 form encodes the cleaned name.
    clean = re.sub(r"[\x00-\x1f\x7f]", "_", filename)
    fallback = clean.encode("ascii", "replace").decode().replace("\\", "\\\\").replace('"', '\\"')
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"


def no_content() -> Response:
    """A 204 as FastAPI answers a Langflow handler that returns nothing: no body, a JSON content type (fact 40).
    (A handler that returns its own Response(204), such as the project delete's, has none.)"""
    return Response(status_code=204, media_type="application/json")


def listing(content: bytes, *, always_gzip: bool) -> Response:
    """A JSON listing (flows, examples, /all), given as json_body writes it. Releases before 1.13 compress these
    themselves, whatever the client accepts (profile http.gzip "lists"), and write them with json.dumps'
    defaults first (", " and ": ", non-ASCII escaped: their compress_response); 1.13 answers them as a
    JSONResponse (json.dumps' floats, python_floats) and leaves compression to its middleware."""
    if not always_gzip:
        return Response(python_floats(content), media_type="application/json")
    content = json.dumps(load_stored(content.decode())).encode()
    return Response(gzip.compress(content, compresslevel=6, mtime=0), media_type="application/json",
                    headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


def zip_response(content: bytes, filename: str, style: DispositionStyle = "rfc") -> Response:
    """An archive download (flows, projects, v2 files), named "<YYYYMMDD_HHMMSS>_langflow_<what>.zip": streamed
    without a Content-Length, as every release's StreamingResponse sends it (recorded flows_download_multi)."""
    return StreamingResponse(iter((content,)), media_type=ZIP,
                             headers={"Content-Disposition": attachment(filename, style)})


def file_response(chunks: Iterator[bytes], filename: str, *, size: int | None = None,
                  style: DispositionStyle = "rfc") -> StreamingResponse:
    """A stored file as `application/octet-stream`, with its name in Content-Disposition (facts 37-38)."""
    headers = {"Content-Disposition": attachment(filename, style)}
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(chunks, media_type=OCTET_STREAM, headers=headers)


def page_count(total: int, size: int) -> int:
    """`pages` of a Page answer: how many pages of `size` hold `total` items."""
    return (total + size - 1) // size


def json_body(content: Any) -> bytes:
    """The JSON text FastAPI would answer for `content` returned by a handler, written the fast way. FastAPI walks
    the value with jsonable_encoder and writes it with the json module, which took longer than the rest of the
    request (a /run body, a page of 50 flows): here pydantic writes a model (or a list of models) itself, as it
    dumps it for FastAPI (`mode="json", by_alias=True`, NaN and infinities as null), and orjson writes plain
    JSON, also NaN as null. What orjson cannot write (an integer past 64 bits, a key that is not a string)
    takes FastAPI's way."""
    if isinstance(content, BaseModel):
        return content.__pydantic_serializer__.to_json(content, by_alias=True)
    if isinstance(content, list) and content and all(isinstance(item, BaseModel) for item in content):
        return b"[" + b",".join(json_body(item) for item in content) + b"]"
    try:
        return orjson.dumps(content)
    except TypeError:
        return JSONResponse(jsonable_encoder(content)).body


def json_response(content: Any) -> Response:
    """`content` as an application/json answer (see json_body)."""
    return Response(json_body(content), media_type="application/json")


TypedJson = Literal["pydantic", "serde", "json"]


def typed_text(body: bytes, writer: TypedJson) -> bytes:
    """json_body's text of a typed answer as the release's FastAPI writes a route's response model (profile
    http.typed_json)."""
    if writer == "serde":
        return serde_floats(body)
    if writer == "json":
        return python_floats(body)
    return body


class SerdeJSONResponse(JSONResponse):
    """A typed answer as FastAPI 0.135 writes it through pydantic-core 2.33 (Langflow 1.8): the response
    model's JSON dump, floats as that pydantic-core writes them."""

    def render(self, content: Any) -> bytes:
        return serde_floats(to_json(content))
