"""How errors leave the server: one place renders every error answer in Langflow's shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic_core.core_schema import ErrorType
from starlette.exceptions import HTTPException as StarletteHTTPException

from mock_langflow.errors import MockHTTPError
from mock_langflow.schemas.flows import ENDPOINT_NAME_INVALID

URN_HINT = "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found"


def _older_pydantic(text: str) -> str:
    """A UUID parsing message as the pydantic of releases before 1.13 words it."""
    return text.replace("invalid character: found", URN_HINT)


# The ctx keys pydantic fills from a field's schema, not from the value sent: the only ones 1.13 keeps
SCHEMA_CTX_KEYS = frozenset({
    "class", "class_name", "decimal_places", "discriminator", "encoding", "expected", "expected_schemes",
    "expected_tags", "expected_version", "field_type", "ge", "gt", "le", "lt", "max_digits", "max_length",
    "method_name", "min_length", "multiple_of", "pattern", "tz_expected", "whole_digits"})
PYDANTIC_TYPES = frozenset(get_args(ErrorType))
REDACTED = "[redacted]"
REDACTED_FROM = 8  # characters: a shorter value sent stays in a message


def _sent_values(value: object) -> set[str]:
    """The strings and numbers (as text) anywhere in a value sent, not an object's keys."""
    found: set[str] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            pending.extend(item)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            found.add(str(item))
    return found


def _redacted(err: dict[str, Any]) -> dict[str, Any]:
    """1.13's 422 item: ctx cut to the schema's keys (none for an error type of a validator's own), and a message
    that may quote the value sent (a validator's own, or one rendered from the value) with each string of at least
    8 characters sent replaced by "[redacted]", the longest first."""
    ctx = err.get("ctx") if isinstance(err.get("ctx"), Mapping) else {}
    pydantic_type = err["type"] in PYDANTIC_TYPES
    msg = str(err.get("msg", ""))
    if not pydantic_type or any(key not in SCHEMA_CTX_KEYS for key in ctx):
        for value in sorted((v for v in _sent_values(err.get("input")) if len(v) >= REDACTED_FROM), key=len,
                            reverse=True):
            msg = msg.replace(value, REDACTED)
    kept = {k: v for k, v in ctx.items() if k in SCHEMA_CTX_KEYS} if pydantic_type else {}
    return {"type": err["type"], "loc": list(err["loc"]), "msg": msg, **({"ctx": kept} if kept else {})}


def validation_items(errors: list[dict[str, Any]], *, keep_input: bool, urn_hint: bool = False) -> list[dict[str, Any]]:
    """Pydantic's errors as Langflow 1.13 lists them (fact 45; its validation_errors module): no `input` or `url`,
    and nothing of the value sent (_redacted). Older releases keep `input`, and `ctx.error` as {}
    (profile.validation.keep_input), and word bad UUIDs as their pydantic did (`urn_hint`)."""
    if not keep_input:
        return jsonable_encoder([_redacted(err) for err in errors])
    items = []
    for err in errors:
        if urn_hint and err["type"] == "uuid_parsing":
            err = {**err, "msg": _older_pydantic(err["msg"])}
            if isinstance((err.get("ctx") or {}).get("error"), str):
                err["ctx"] = {**err["ctx"], "error": _older_pydantic(err["ctx"]["error"])}
        item: dict[str, Any] = {"type": err["type"], "loc": list(err["loc"]), "msg": err["msg"]}
        if "input" in err:
            item["input"] = err["input"]
        if ctx := err.get("ctx"):
            # An exception in ctx serialises as {} (pydantic's JSON of an object); a JSON decode error's is text.
            item["ctx"] = {k: {} if isinstance(v, Exception) else v for k, v in ctx.items()}
        items.append(item)
    return jsonable_encoder(items)


def frontend_fallback(request: Request, status_code: int) -> Response | None:
    """Langflow 1.7.1 with its frontend answers every 404 an API route raises with the frontend page and
    status 200 (profile http.frontend_404 "page"); --backend-only keeps the 404."""
    state = request.app.state.mock
    if status_code != 404 or state.settings.backend_only or state.profile.http.frontend_404 != "page":
        return None
    return request.app.state.frontend.page(static=state.profile.http.frontend == "static-mount")


async def mock_http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, MockHTTPError):  # registered for MockHTTPError only
        raise TypeError(exc)
    page = None if exc.replaces_500 else frontend_fallback(request, exc.status_code)
    if page is not None:
        return page
    body = exc.body()
    # With the frontend served, Langflow's 404 handler puts a dict `detail` at the top level (the v2 API's
    # structured 404s, the data subject routes'), in an answer of its own without the error's headers; run
    # --backend-only, they keep their {"detail": {...}} wrapper and headers.
    if exc.status_code == 404 and isinstance(exc.detail, dict) and not request.app.state.mock.settings.backend_only:
        return JSONResponse(exc.detail, status_code=404)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, StarletteHTTPException):
        raise TypeError(exc)
    page = frontend_fallback(request, exc.status_code)
    if page is not None:
        return page
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):
        raise TypeError(exc)
    profile = request.app.state.mock.profile
    errors = list(exc.errors())
    if profile.validation.endpoint_name == "string" and any(
            e["type"] == "value_error" and e["loc"][-1:] == ("endpoint_name",) for e in errors):
        # Before 1.13 the endpoint-name check raised an HTTP error from inside validation: one plain string.
        return JSONResponse({"detail": ENDPOINT_NAME_INVALID}, status_code=422)
    items = validation_items(errors, keep_input=profile.validation.keep_input,
                             urn_hint=profile.validation.uuid_message == "urn-hint")
    route = request.scope.get("route")
    # Langflow 1.13 validates the parameters of some routes twice and lists each error twice (fact 45);
    # a body that is not JSON at all fails before that and is listed once.
    name = getattr(route, "name", None)
    twice = name in profile.validation.duplicated
    if twice and not any(i["type"] == "json_invalid" for i in items):
        items = items * 2
    elif name in profile.validation.path_twice:
        items = [i for i in items if i["loc"][:1] == ["path"]] + items
    return JSONResponse({"detail": items}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MockHTTPError, mock_http_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
