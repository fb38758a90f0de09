"""How errors leave the server: one place renders every error answer in Langflow's shapes."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mock_langflow.errors import MockHTTPError


def validation_items(errors: list[dict[str, Any]], *, keep_input: bool) -> list[dict[str, Any]]:
    """Pydantic's errors as Langflow 1.13 lists them: no `input` or `url`, and `ctx` only when it holds
    plain values (fact 45). Older releases keep `input` and the whole `ctx` (profile.validation_input)."""
    items = []
    for err in errors:
        item: dict[str, Any] = {"type": err["type"], "loc": list(err["loc"]), "msg": err["msg"]}
        if keep_input and "input" in err:
            item["input"] = err["input"]
        ctx = err.get("ctx")
        if ctx and (keep_input or "error" not in ctx):
            item["ctx"] = {k: (v if keep_input or not isinstance(v, Exception) else str(v)) for k, v in ctx.items()}
            if keep_input and "error" in ctx:
                item["ctx"]["error"] = {}
        items.append(item)
    return jsonable_encoder(items)


async def mock_http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, MockHTTPError):  # registered for MockHTTPError only
        raise TypeError(exc)
    body = exc.body()
    # With the frontend served, Langflow's 404 handler puts a dict `detail` at the top level (the v2 API's
    # structured 404s); run --backend-only, they keep their {"detail": {...}} wrapper.
    if exc.status_code == 404 and isinstance(exc.detail, dict) and not request.app.state.mock.settings.backend_only:
        body = exc.detail
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):
        raise TypeError(exc)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):
        raise TypeError(exc)
    profile = request.app.state.mock.profile
    items = validation_items(list(exc.errors()), keep_input=profile.validation_input)
    route = request.scope.get("route")
    # Langflow 1.13 validates the parameters of some routes twice and lists each error twice (fact 45);
    # a body that is not JSON at all fails before that and is listed once.
    if getattr(route, "name", None) in profile.duplicated_422 and not any(i["type"] == "json_invalid" for i in items):
        items = items * 2
    return JSONResponse({"detail": items}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MockHTTPError, mock_http_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
