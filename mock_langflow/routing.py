"""The route class every router of the mock uses: FastAPI's APIRoute, analysed once instead of twice.

FastAPI 0.165 analyses a route's endpoint (signature, dependencies, body and response models, each a pydantic
TypeAdapter) when the router's decorator runs, and again, from the arguments the route was given, when an app
first routes a request through the router that includes it: that second, "effective" route is the one that
serves. The first analysis is never read for a route served through an included router, yet it is most of
the cost of importing the mock's routers (0.38 s of CPU at start-up, benchmarks/README.md fix 13). DeferredRoute keeps
what the decorator was given, as given, and runs FastAPI's own analysis only if something asks for one of its
results (a route mounted on an app directly, or code reading `dependant`, `body_field` and the like).

`mount` puts a router's routes on the app itself, under a prefix, as include_router did before 0.165. An
app routes a request through an included router by building that router's effective routes, all of them,
the first time a request passes it: the first `GET /api/v1/version` analysed the 27 routes of the five
routers in front of it. A route on the app is analysed when it first serves, alone.
"""

from __future__ import annotations

import importlib
import inspect
import re
import warnings
from collections.abc import Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute, APIRouter
from pydantic.warnings import UnsupportedFieldAttributeWarning
from starlette.routing import compile_path, get_name

# APIRoute's keyword arguments and their defaults: the values an effective route reads off the original.
_DEFAULTS: dict[str, Any] = {
    name: parameter.default
    for name, parameter in inspect.signature(APIRoute.__init__).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
}


_COMPILED_PATH = frozenset({"path_regex", "path_format", "param_convertors"})
_OPTIONS = frozenset(_DEFAULTS) | {"stream_item_type", "form_limits"}


# Options APIRouter fills in with a new empty list or dict for every route, which read as their default None.
_EMPTY_AS_DEFAULT = frozenset({"tags", "dependencies", "responses", "callbacks"})


def _is_default(name: str, value: Any) -> bool:
    """Whether `value` is APIRoute's default for option `name` (the same object, an equal placeholder, or an
    empty container where None reads the same)."""
    default = _DEFAULTS.get(name, _is_default)
    return (value is default or (type(value) is type(default) is DefaultPlaceholder and value == default)
            or (name in _EMPTY_AS_DEFAULT and type(value) in (list, dict) and not value))


def route_path(scope: MutableMapping[str, Any]) -> str:
    """The path as the routes see it: without the root path when it starts with it (a client that reaches the
    server without the proxy that strips the prefix), as Starlette routes it."""
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root) and (len(path) == len(root) or path[len(root)] == "/"):
        return path[len(root):]
    return path


class DeferredRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], *, typed_class: type[Response] | None = None,
                 **options: Any) -> None:
        # The response class this app's release writes a typed answer with, if not FastAPI's default (see
        # get_route_handler; `mount` gives it).
        self.__dict__["typed_class"] = typed_class
        unknown = set(options) - set(_DEFAULTS)
        if unknown or options.get("form_limits") is not None:
            # Something this class does not reproduce: let FastAPI do it all now.
            APIRoute.__init__(self, path, _now(endpoint), **_with_documented(options))
            build_bodies(self)
            return
        # Only the options that differ from APIRoute's defaults are kept (every use fills in the defaults): a
        # route's full set of about 30 held some 0.9 KiB.
        options = {k: v for k, v in options.items() if not _is_default(k, v)}
        self.__dict__["_deferred"] = self.__dict__["_given"] = (path, endpoint, options)
        self.path = path
        if not isinstance(endpoint, Later):  # (a Later one is the function itself once read: __getattr__)
            self.endpoint = endpoint
        # The other attributes (the options and what FastAPI derives from them without looking into the
        # endpoint) are set when one is first read (__getattr__): a router's own copy of a route never is
        # (the app serves the copy `mount` makes), and an app's copy when a request is first matched
        # against it. Setting about 35 attributes on 540 routes at start-up held 0.5 MiB.
        # path_regex, path_format and param_convertors are compiled when first read too: compiling all 270
        # paths took 10-25 ms of every start-up.

    def _set_options(self) -> None:
        """The attributes APIRoute sets from its arguments, set the same way it does."""
        _, endpoint, options = self.__dict__["_given"]
        given = {**_DEFAULTS, **options}
        for name, value in given.items():
            setattr(self, name, value)
        self.stream_item_type = None
        self.form_limits = {}
        self.tags = list(given["tags"] or [])
        self.responses = dict(given["responses"] or {})
        self.dependencies = list(given["dependencies"] or [])
        self.name = get_name(endpoint) if given["name"] is None else given["name"]
        self.methods = {method.upper() for method in given["methods"] or ["GET"]}

    def __getattr__(self, name: str) -> Any:
        if name in _COMPILED_PATH:
            self.path_regex, self.path_format, self.param_convertors = compile_path(self.path)
            return self.__dict__[name]
        # _set_options and APIRoute.__init__ both set every option, so an option comes here only before either.
        if name in _OPTIONS and "_given" in self.__dict__:
            self._set_options()
            return self.__dict__[name]
        # Otherwise only reached for what the deferred analysis would have set (dependant, response_field, ...).
        deferred = self.__dict__.pop("_deferred", None)
        if deferred is None or name.startswith("__"):
            raise AttributeError(name)
        path, endpoint, options = deferred
        APIRoute.__init__(self, path, _now(endpoint), **_with_documented(options))
        build_bodies(self)
        return getattr(self, name)


    def get_route_handler(self) -> Callable[[Any], Any]:
        """FastAPI's handler; a route with a response model that leaves the response class to FastAPI writes
        its answer with `typed_class` when the app has one: FastAPI then dumps the model to Python values and
        renders them with that class, as FastAPI before 0.135 did for every such route (profile
        http.typed_json)."""
        typed = self.__dict__.get("typed_class")
        if typed is not None and self.response_field is not None and isinstance(self.response_class,
                                                                                   DefaultPlaceholder):
            self.response_class = typed
        return super().get_route_handler()


DOCUMENTED = "mock_langflow.schemas.documented"


class Documented:
    """An answer's model for /openapi.json only, by its name in a module (mock_langflow/schemas/documented.py
    unless given): see `documented`."""

    def __init__(self, name: str, module: str = DOCUMENTED) -> None:
        self.name, self.module = name, module


def documented(name: str, module: str = DOCUMENTED) -> Any:
    """An answer's model in a route's `responses` ({status: {"model": documented("Name")}}) that the route's
    analysis looks up in schemas/documented.py (or `module`), so only a route analysed (serving, or in the
    OpenAPI document) imports that module and its shapes."""
    return Documented(name, module)


class Later:
    """A route's endpoint (or response model) named by its module and attribute, imported when the route is first
    analysed (it first serves, or the OpenAPI document is made): a group of routes most runs never call keeps its
    handlers and their shapes out of every start-up (routers/authz_admin.py). Named as the function is, so the
    route is too."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.__name__ = module, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{self.module}.{self.__name__} is served once its route is analysed")


def _now(endpoint: Any) -> Any:
    """The endpoint itself, a `Later` one imported."""
    return getattr(importlib.import_module(endpoint.module), endpoint.__name__) if isinstance(endpoint, Later) \
        else endpoint


def _with_documented(options: dict[str, Any]) -> dict[str, Any]:
    """`options` with each `documented` answer model replaced by the model it names, and a `Later` response model
    (or OpenAPI extra) imported."""
    for lazy in ("response_model", "openapi_extra"):
        if isinstance(options.get(lazy), Later):
            options = {**options, lazy: _now(options[lazy])}
    responses = options.get("responses")
    if not responses or not any(isinstance(r, dict) and isinstance(r.get("model"), Documented)
                                for r in responses.values()):
        return options
    resolved = {status: {**answer, "model": getattr(importlib.import_module(answer["model"].module),
                                                     answer["model"].name)}
                if isinstance(answer, dict) and isinstance(answer.get("model"), Documented) else answer
                for status, answer in responses.items()}
    return {**options, "responses": resolved}


def build_bodies(route: APIRoute) -> None:
    """Build the validators of the route's request bodies, now, with pydantic's "alias has no effect" warning
    silenced as FastAPI silences it while it makes them. A body's model is built on first use (schemas.RequestShape),
    and so is FastAPI's adapter around it: left to the first request, the adapter would be built outside FastAPI's
    silence, and every test run hosting the mock would show the warning once per route that takes a body. Here the
    build is part of the route's analysis, when it first serves or the OpenAPI document is made."""
    fields = [route.body_field] if route.body_field is not None else []
    dependants = [route.dependant]
    while dependants:
        dependant = dependants.pop()
        fields.extend(dependant.body_params)
        dependants.extend(dependant.dependencies)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UnsupportedFieldAttributeWarning)
        for field in fields:
            field._type_adapter.rebuild()


def route_name(route: Any) -> str | None:
    """A route's name (its handler's, unless given), read without setting a deferred route's options: reading
    `name` would set all of them (about 1 KiB a route) on routes the app never serves."""
    given = route.__dict__.get("_given") if isinstance(route, DeferredRoute) else None
    if given is None:
        return getattr(route, "name", None)
    _, endpoint, options = given
    return get_name(endpoint) if options.get("name") is None else options["name"]


def mount(app: FastAPI, router: APIRouter, prefix: str = "", shown: frozenset[str] = frozenset(),
          shown_method: str = "get", typed_class: type[Response] | None = None,
          endpoint_for: Callable[[str, Callable[..., Any]], Callable[..., Any]] | None = None) -> None:
    """The router's routes, in order, on the app under `prefix`, as include_router would serve them: same
    path, methods, tags, responses and operation ids; the app provides dependency overrides. A route made
    some other way is included as FastAPI includes it. A route with an operation in `shown` ('METHOD /path',
    the app's path) is in the OpenAPI document even if its decorator leaves it out; if it has several methods,
    its operation id names `shown_method`. FastAPI names the first method of a set, which changes with the
    process's string hashing: Langflow's documents show one at random, ours must not change between runs.
    `typed_class`: see DeferredRoute.get_route_handler. `endpoint_for('METHOD /path', endpoint)`: the endpoint
    the app serves the route's operation with."""
    for route in router.routes:
        given = route.__dict__.get("_given") if isinstance(route, DeferredRoute) else None
        if given is None:
            single = APIRouter()
            single.routes.append(route)
            app.include_router(single, prefix=prefix)
            continue
        path, endpoint, options = given
        extra: dict[str, Any] = {"dependency_overrides_provider": app}
        methods = options.get("methods") or ["GET"]
        if endpoint_for is not None:
            for method in methods:
                endpoint = endpoint_for(f"{method.upper()} {prefix + path}", endpoint)
        if any(f"{method.upper()} {prefix + path}" in shown for method in methods):
            extra["include_in_schema"] = True
            if len(set(methods)) > 1 and options.get("operation_id") is None:
                name = options.get("name") or get_name(endpoint)
                extra["operation_id"] = re.sub(r"\W", "_", f"{name}{prefix + path}") + f"_{shown_method}"
        route = DeferredRoute(prefix + path, endpoint, typed_class=typed_class, **{**options, **extra})
        app.router.routes.append(route)
    app.router._mark_routes_changed()


class LazyModule:
    """A module imported when one of its names is first read: a router's request shapes named through it (the
    handlers' annotations are strings, read by the route's analysis when it first serves) cost nothing at
    start-up (each pydantic model held about 10-20 KiB of every start's RSS)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


def api_router(**options: Any) -> APIRouter:
    """An APIRouter whose routes are DeferredRoutes: every router of the mock is made here."""
    return APIRouter(route_class=DeferredRoute, **options)
