"""Response helpers shared by several routers."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response


def zip_response(content: bytes, filename: str) -> Response:
    """An archive download, named as Langflow names its attachments (plain and RFC 5987 forms)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type="application/x-zip-compressed", headers={"Content-Disposition": disposition})
