"""ASGI middleware: the request-size limit real Langflow applies to every body (fact 39), the JSON bodies the
mock refuses before a route sees them (mock_langflow.jsonsafety), CORS, dropped connections, the expiry sweep of
data subject requests."""

from __future__ import annotations

import json
import logging
import re
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_langflow.control.middleware import CONTROL_PREFIX
from mock_langflow.errors import (
    BOUNDARY_INVALID,
    MULTIPART_FRAMING,
    MULTIPART_REQUIRED,
    UNCAUGHT_MARK,
    DropConnection,
    content_too_large,
)
from mock_langflow.jsonsafety import BODY_PARSE_ERROR, lone_surrogate, too_deep
from mock_langflow.profiles import Profile, activate
from mock_langflow.profiles.model import Cors as CorsRules
from mock_langflow.routing import route_path

if TYPE_CHECKING:
    from mock_langflow.settings import Settings

UNCAUGHT_MARK_RAW = UNCAUGHT_MARK.encode()

FORM_TYPES = (b"multipart/form-data", b"application/x-www-form-urlencoded")
# Headers Starlette's CORSMiddleware always allows, listed with the ones configured
SAFELISTED_HEADERS = frozenset({"Accept", "Accept-Language", "Content-Language", "Content-Type"})


class _TooLarge(HTTPException):
    """Raised while a body is read: FastAPI lets HTTPException through its body parsing untouched, so the
    error handler answers it; if it escapes elsewhere, the middleware answers it itself."""

    def __init__(self, limit_mb: int, size: int) -> None:
        super().__init__(413, content_too_large(limit_mb, size))
        self.size = size


class ContentSizeLimit:
    """413 `{"detail": "Content size limit exceeded. ..."}` for any body over the limit, JSON included.

    A declared Content-Length over the limit is refused before a byte of the body is read; a chunked body
    is counted as it arrives and refused the moment it passes the limit, so nothing of it is ever stored.
    """

    def __init__(self, app: ASGIApp, *, limit_mb: int) -> None:
        self.app, self.limit_mb, self.limit = app, limit_mb, limit_mb * 1024 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send, int(declared))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge(self.limit_mb, received)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge as exc:
            if not started:
                await self._refuse(send, exc.size)

    async def _refuse(self, send: Send, size: int) -> None:
        body = json.dumps({"detail": content_too_large(self.limit_mb, size)}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class ProfileScope:
    """Makes the server's version profile the current one for everything a request does (profiles.current),
    tasks it starts included."""

    def __init__(self, app: ASGIApp, *, profile: Profile) -> None:
        self.app, self.profile = app, profile

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        activate(self.profile)
        await self.app(scope, receive, send)


class ForwardedPrefix:
    """LANGFLOW_ROOT_PATH set (1.13): a reverse proxy's X-Forwarded-Prefix is the request's root path instead of
    the configured one, when it is a path and no more (no scheme, query or fragment), so what the answer says
    of its own URLs (the MCP SSE transport's message URL, /openapi.json's server, /docs) names the proxy's
    prefix. Mounted only with a root path: Langflow ignores the header without one. The login cookies keep the
    configured prefix (auth.cookie_name)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            prefix = Headers(scope=scope).get("x-forwarded-prefix", "").rstrip("/")
            if prefix.startswith("/") and not any(mark in prefix for mark in ("://", "?", "#")):
                scope["root_path"] = prefix
        await self.app(scope, receive, send)


class Sweeps:
    """What Langflow's background workers do by the clock, whatever else happens, done (by the mock's clock) before
    each request the mock serves, so no request meets what they would already have done: the data subject
    requests' expiry sweep (LANGFLOW_DATA_SUBJECT_AUTO_ERASE_ON_EXPIRY, every 5 s: overdue requests approved and
    erased) and the input-deadline watchdog (LANGFLOW_BACKGROUND_INPUT_DEADLINE_S). Mounted only with one of
    them on."""

    def __init__(self, app: ASGIApp, *, sweeps: list[Callable[[], None]]) -> None:
        self.app, self.sweeps = app, sweeps

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not route_path(scope).startswith(CONTROL_PREFIX):
            for sweep in self.sweeps:
                sweep()
        await self.app(scope, receive, send)


async def _answer(send: Send, status: int, body: object, *, uncaught: bool = False) -> None:
    raw = json.dumps(body, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (UNCAUGHT_MARK_RAW, b"1")] if uncaught else headers})
    await send({"type": "http.response.body", "body": raw})


class UploadBoundary:
    """Langflow's check_boundary middleware: a request whose path holds "/api/v1/files/upload" (any method) must
    say `multipart/form-data` (case as written) with a boundary of 1 to 70 word characters or hyphens, and its body
    must start with that boundary's delimiter and end with its closing one (a CRLF after it or not), else a 422
    before anything else looks at it (credentials, the flow, the route). It sits outside Langflow's CORS middleware,
    so its answer carries no CORS headers (UNCAUGHT_MARK); inside the mock's control layer, so the journal still
    records the request. Langflow reads any body whole here; the mock stops at the upload limit and leaves a body
    past it to ContentSizeLimit's 413."""

    def __init__(self, app: ASGIApp, *, limit_mb: int) -> None:
        self.app, self.limit = app, limit_mb * 1024 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "/api/v1/files/upload" not in scope.get("path", ""):
            await self.app(scope, receive, send)
            return
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").decode("latin-1")
        if "multipart/form-data" not in content_type or "boundary=" not in content_type:
            await _answer(send, 422, {"detail": MULTIPART_REQUIRED}, uncaught=True)
            return
        boundary = content_type.split("boundary=")[-1].strip()
        if not re.match(r"^[\w\-]{1,70}$", boundary):
            await _answer(send, 422, {"detail": BOUNDARY_INVALID}, uncaught=True)
            return
        delimiter = f"--{boundary}".encode()
        with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as spool:
            # the body is held on disk past 1 MiB, not in memory; its first and last bytes are kept apart
            head, tail, size, whole = bytearray(), bytearray(), 0, False
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunk = message.get("body", b"")
                spool.write(chunk)
                size += len(chunk)
                if len(head) < len(delimiter):
                    head.extend(chunk[:len(delimiter) - len(head)])
                tail = (tail + chunk)[-(len(delimiter) + 4):]
                if not message.get("more_body"):
                    whole = True
                    break
                if size > self.limit:
                    break  # (ContentSizeLimit answers it)
            if whole and not (head.startswith(delimiter) and bytes(tail).endswith((delimiter + b"--\r\n",
                                                                                   delimiter + b"--"))):
                await _answer(send, 422, {"detail": MULTIPART_FRAMING}, uncaught=True)
                return
            spool.seek(0)
            await self.app(scope, _replaying_file(spool, size, whole, receive), send)


class JsonBodyGuard:
    """Refuses a body that parses as JSON the mock could not store and give back (see jsonsafety): nested
    deeper than MAX_JSON_DEPTH (400, FastAPI's "There was an error parsing the body", the answer real Langflow
    gives to JSON too deep to parse), or holding a lone surrogate escape (422 json_invalid, as for any JSON
    that does not decode). Any body is checked, whatever its content type says, since /run and the webhook
    parse theirs regardless; multipart and form bodies are streamed to the route untouched.

    Runs inside ContentSizeLimit, so a body is never buffered past the upload limit.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").lower()
        if scope["type"] != "http" or content_type.startswith(FORM_TYPES):
            await self.app(scope, receive, send)
            return
        messages, body = await _buffered(receive)
        if body and too_deep(bytes(body)):
            await _answer(send, 400, {"detail": BODY_PARSE_ERROR})
            return
        lone = lone_surrogate(bytes(body)) if body else None
        if lone is not None:
            await _answer(send, 422, {"detail": [{"type": "json_invalid", "loc": ["body", lone[0]],
                                                  "msg": "JSON decode error"}]})
            return

        await self.app(scope, _replaying(messages, receive), send)


async def _buffered(receive: Receive) -> tuple[list[Message], bytearray]:
    """A request's body messages as received, and its bytes."""
    messages: list[Message] = []
    body = bytearray()
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, body
        body.extend(message.get("body", b""))
        if not message.get("more_body"):
            return messages, body


def _replaying_file(spool: BinaryIO, size: int, whole: bool, receive: Receive) -> Receive:
    """A receive that gives the `size` bytes of a spooled body again in 64 KiB messages, then the rest of the
    request (`whole` False: the body goes on past them)."""
    sent = 0
    done = False

    async def replay() -> Message:
        nonlocal sent, done
        if done:
            return await receive()
        chunk = spool.read(64 * 1024)
        sent += len(chunk)
        done = sent >= size
        return {"type": "http.request", "body": chunk, "more_body": not (done and whole)}

    return replay


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives the buffered messages again, then the rest of the request."""
    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay


class ConnectionDropper:
    """Closes the connection mid-response when the app raises DropConnection (a scripted disconnect or a
    fault): the client sees headers, then the connection ends before the body does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except DropConnection:
            if not started:
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")]})
            # The server ends a response that raises after it started by closing the connection.
            raise


class QuietDrops(logging.Filter):
    """Keeps deliberate drops out of the server's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, DropConnection):
                return False
            exc = exc.__cause__ or exc.__context__
        return True


class Cors:
    """CORS as the emulated release's Starlette CORSMiddleware answers it (profile http.cors), given what Langflow
    hands it: LANGFLOW_CORS_ORIGINS, _ALLOW_CREDENTIALS, _ALLOW_METHODS and _ALLOW_HEADERS ("*": all of them).
    By default every origin is allowed and what that looks like on the wire changed with each Starlette release.
    A preflight for an origin, method or header not allowed is a 400 naming each failure, as Starlette's is."""

    def __init__(self, app: ASGIApp, *, rules: CorsRules, settings: Settings) -> None:
        self.app, self.rules = app, rules
        self.any_origin = "*" in settings.cors_origins
        self.origins = set(settings.cors_origins)
        self.credentials = settings.cors_allow_credentials and (rules.credentials or not self.any_origin)
        # Starlette echoes an allowed Origin where credentials or a list of origins make the answer depend on it
        self.echo_preflight = self.credentials or not self.any_origin
        self.echo_simple = not self.any_origin or (self.credentials and rules.simple_origin == "echo")
        methods = settings.cors_allow_methods
        self.methods = rules.preflight_methods.split(", ") if "*" in methods else methods
        self.any_header = "*" in settings.cors_allow_headers
        listed = sorted(SAFELISTED_HEADERS | set(settings.cors_allow_headers))
        self.headers = {name.lower() for name in listed}
        self.headers_allowed = None if self.any_header else ", ".join(listed)

    def _allowed(self, origin: str) -> bool:
        return self.any_origin or origin in self.origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in headers:
            await self._preflight(origin, headers, send)
            return
        extra: list[tuple[str, str]] = []
        echo = origin is not None and self.echo_simple and self._allowed(origin)
        if origin is not None and (echo or self.any_origin):
            extra.append(("access-control-allow-origin", origin if echo else "*"))
        if origin is not None and self.credentials:
            extra.append(("access-control-allow-credentials", "true"))
        vary = echo or (self.rules.vary == "always")

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and any(k == UNCAUGHT_MARK_RAW for k, _ in message["headers"]):
                # an answer of Langflow's catch-all handler, which no middleware of its sees (errors.UNCAUGHT_MARK)
                del MutableHeaders(scope=message)[UNCAUGHT_MARK]
            elif message["type"] == "http.response.start" and (extra or vary):
                raw = MutableHeaders(scope=message)
                for name, value in extra:
                    raw.append(name, value)
                if vary:
                    raw.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, origin: str, headers: Headers, send: Send) -> None:
        rules = self.rules
        out = MutableHeaders()
        if rules.vary == "always" or self.echo_preflight:
            out["vary"] = rules.preflight_vary
        out["access-control-allow-methods"] = ", ".join(self.methods)
        out["access-control-max-age"] = "600"
        if self.headers_allowed:
            out["access-control-allow-headers"] = self.headers_allowed
        if self.credentials:
            out["access-control-allow-credentials"] = "true"
        failures = []
        if self._allowed(origin):
            out["access-control-allow-origin"] = origin if self.echo_preflight else "*"
        else:
            failures.append("origin")
        if headers["access-control-request-method"] not in self.methods:
            failures.append("method")
        requested = headers.get("access-control-request-headers")
        if requested is not None and self.any_header:
            out["access-control-allow-headers"] = requested
        elif requested is not None and any(name.strip() not in self.headers for name in requested.lower().split(",")):
            failures.append("headers")
        if rules.private_network and "access-control-request-private-network" in headers:
            failures.append("private-network")
        status, body = (400, f"Disallowed CORS {', '.join(failures)}".encode()) if failures else (200, b"OK")
        out["content-type"] = "text/plain; charset=utf-8"
        out["content-length"] = str(len(body))
        await send({"type": "http.response.start", "status": status, "headers": out.raw})
        await send({"type": "http.response.body", "body": body})
