"""What a server with its frontend answers outside its API (profile http.frontend, fact 43): the frontend's page,
and with LANGFLOW_FRONTEND_PATH the files of that build, as Langflow serves its own frontend from its wheel.

The mock ships no web UI of its own, only a page that says what it is (data/index.html). Given a frontend
build (Langflow's released `frontend/` folder, or a fork's build under development), it serves that build's
`index.html` and files the way the emulated release serves its frontend, so the UI runs against the mock on
the same origin, with no proxy in front."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from email.utils import formatdate
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from mock_langflow import errors
from mock_langflow.routing import route_path

if TYPE_CHECKING:
    from starlette.staticfiles import StaticFiles

    from mock_langflow.profiles import Profile
    from mock_langflow.settings import Settings

# 1.13 writes the root path into the first <base> of its index.html (render_frontend_index)
BASE_TAG = re.compile(r"<base\b[^>]*>", re.IGNORECASE)


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class Frontend:
    """The page, from the build's index.html (the mock's own page without a build), its <base> the root path's
    where the release writes it there (1.13), and the build's files."""

    def __init__(self, directory: Path | None, *, prefix: str = "", base: bool = True) -> None:
        self.directory = directory
        self.files: StaticFiles | None = None
        if directory is not None:
            from starlette.staticfiles import StaticFiles  # noqa: PLC0415 (only a server given a build needs it)

            self.files = StaticFiles(directory=directory, follow_symlink=False)
            page = (directory / "index.html").read_text("utf-8")
        else:
            page = resources.files("mock_langflow.data").joinpath("index.html").read_text("utf-8")
        self.page_text = BASE_TAG.sub(f'<base href="{prefix}/" />', page, count=1) if base else page
        # as a static file server describes the mock's own page (a build's index.html is sent as its file)
        self.etag = '"' + hashlib.md5(self.page_text.encode(), usedforsecurity=False).hexdigest() + '"'
        self.modified = formatdate(time.time(), usegmt=True)

    def page(self, *, static: bool, status_code: int = 200) -> Response:
        """The page as a static file (releases before 1.13, and their 404 fallback: the build's index.html as
        its file), or as 1.13's catch-all sends it (rendered, no-store)."""
        if not static:
            return HTMLResponse(self.page_text, status_code=status_code, headers={"Cache-Control": "no-store"})
        if self.directory is not None:
            return FileResponse(self.directory / "index.html", status_code=status_code)
        return HTMLResponse(self.page_text, status_code=status_code,
                            headers={"accept-ranges": "bytes", "last-modified": self.modified, "etag": self.etag})

    async def file(self, path: str, scope: Any) -> Response | None:
        """The build's file at the route path `path`, as a static file server sends it (etag, last-modified,
        304 to a matching If-None-Match, ranges); None where the build has no such file."""
        if self.files is None:
            return None
        relative = os.path.normpath(os.path.join(*path.split("/"))) if path.strip("/") else "."
        try:
            full, found = await run_in_threadpool(self.files.lookup_path, relative)
        except (OSError, ValueError):  # a name too long, or one outside the build
            return None
        if found is None or not stat.S_ISREG(found.st_mode):
            return None
        return self.files.file_response(full, found, scope)


def install_frontend(app: FastAPI, settings: Settings, profile: Profile) -> None:
    """The frontend, as the release serves it. With --backend-only there is no frontend and FastAPI's 404s
    remain.

    1.13 has GET/HEAD routes for `/`, `/index.html` and `/api/{path}` (the last a JSON 404), and with a build
    GET `/favicon.ico` (its icon; the page when the build has none), so a non-GET on an unknown /api path
    matches it only by path: a 405 with `allow: HEAD, GET`. Its frontend files are low-priority routes, tried
    only when no route matched even by path: a build's file for GET and HEAD (any other method on it a 405
    without `allow`); anything else gets the page, whatever the method (for a method other than GET or HEAD
    through Langflow's 404 handler, which answers the page too; `/api` itself its JSON 404), and a HEAD of a GET
    route such as `/health` stays that route's 405.

    Older releases mount the frontend as static files for every method, which takes precedence over a route
    that matches by path only: a build's file, else the page (a 404's fallback), for GET and HEAD; a non-GET
    anywhere it reaches is a 405 without `allow`."""
    if settings.backend_only:
        return
    spa = profile.http.frontend == "spa-route"
    frontend = app.state.frontend = Frontend(settings.frontend_path, prefix=settings.root_path, base=spa)
    if not spa:
        async def static(request: Request) -> Response:
            if request.method not in ("GET", "HEAD"):
                raise StarletteHTTPException(405)
            path = route_path(request.scope)
            if is_api(path) and profile.http.frontend_404 == "json":
                return JSONResponse({"detail": errors.NOT_FOUND}, status_code=404)
            return await frontend.file(path, request.scope) or frontend.page(static=True)

        app.router.routes.append(Route("/{full_path:path}", static, methods=[
            "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], include_in_schema=False))
        return

    async def page(_request: Request) -> Response:
        return frontend.page(static=False)

    async def api_not_found(_request: Request) -> Response:
        return JSONResponse({"detail": errors.NOT_FOUND}, status_code=404)

    async def favicon(request: Request) -> Response:
        icon = frontend.directory / "favicon.ico" if frontend.directory is not None else None
        if icon is not None and icon.is_file():
            return FileResponse(icon, media_type="image/x-icon")
        return await page(request)  # Langflow's 404, which its handler answers with the page

    not_found = app.router.default

    async def low_priority(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await not_found(scope, receive, send)
        path = route_path(scope)
        if is_api(path):
            response = await api_not_found(Request(scope, receive))
        elif scope["method"] in ("GET", "HEAD"):
            response = await frontend.file(path, scope) or frontend.page(static=False)
        elif frontend.files is not None and await frontend.file(path, scope) is not None:
            response = JSONResponse({"detail": errors.METHOD_NOT_ALLOWED}, status_code=405)
        else:
            response = frontend.page(static=False)
        await response(scope, receive, send)

    app.router.routes.extend(Route(path, page, methods=["GET", "HEAD"], include_in_schema=False)
                             for path in ("/", "/index.html"))
    app.router.routes.append(Route("/api/{_path:path}", api_not_found, methods=["GET", "HEAD"],
                                   include_in_schema=False))
    if frontend.directory is not None:
        app.router.routes.append(APIRoute("/favicon.ico", favicon, methods=["GET"], include_in_schema=False))
    app.router.default = low_priority
