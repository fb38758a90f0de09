"""Health, version, config, the component catalog and the deprecated task/process/predict routes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from fastapi import Depends, Request, Response

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, OptionalUser, api_key_user, caller_or_refusal
from mock_langflow.catalog import catalog_json, component_key
from mock_langflow.deps import ProfileDep, StateDep
from mock_langflow.responses import listing
from mock_langflow.routers.flows import catalog_blocked
from mock_langflow.routing import Later, api_router, documented
from mock_langflow.schemas import Shape

health_router = api_router(tags=["Health Check"])


class HealthResponse(Shape):
    """GET /health_check and /healthz, typed as Langflow's document types them (a check that fails says so in
    Langflow; the mock's never do)."""

    status: str = "nok"
    chat: str = "error check the server logs"
    db: str = "error check the server logs"
router = api_router(tags=["Base"])


@health_router.get("/health", response_model=None)  # untyped in Langflow's document
async def health() -> dict[str, str]:
    """GET /health."""
    return {"status": "ok"}


@health_router.get("/health_check")
async def health_check(state: StateDep) -> HealthResponse:
    """GET /health_check: also proves the database answers."""
    state.store.users.get(state.superuser_id)
    return HealthResponse(status="ok", chat="ok", db="ok")


@health_router.get("/healthz")
async def healthz(state: StateDep, require_storage_ready: bool = False) -> HealthResponse:
    """GET /healthz. The mock's storage is ready once it answers, so `require_storage_ready` changes nothing."""
    return await health_check(state)


@router.get("/all")
async def get_all(user: CurrentUser, state: StateDep, include_blocked: bool = False, flow_id: UUID | None = None,
                  project_id: UUID | None = None) -> Response:
    """GET /api/v1/all: the catalog of the components the mock runs.

    Deviation: real Langflow lists hundreds of components; the mock lists the ones its interpreter runs.
    """
    blocked = catalog_blocked(state, user, include_blocked, "GET /api/v1/all", errors.BLOCKED_COMPONENTS,
                              "component")
    body = catalog_json(state.profile.catalog)
    if blocked:
        body = without_components(body, blocked)
    return listing(body, always_gzip=state.profile.http.gzip == "lists")


def without_components(body: bytes, blocked: frozenset[str]) -> bytes:
    """The /all body without the components the catalog policy blocks, nor their display names; every category
    stays, an emptied one too, as Langflow filters it."""
    catalog = orjson.loads(body)
    names = catalog.pop("component_display_names", None)
    kept = {category: {name: spec for name, spec in specs.items() if name not in blocked}
            for category, specs in catalog.items()}
    if names is not None:
        gone = {component_key(name) for name in blocked}
        kept["component_display_names"] = {key: value for key, value in names.items() if key not in gone}
    return orjson.dumps(kept)


@router.get("/version", response_model=None)  # untyped in Langflow's document
async def get_version(profile: ProfileDep) -> dict[str, str]:
    """GET /api/v1/version."""
    return profile.version_body


# A component's node from its posted source (routers/custom_component_handlers.py, imported when first analysed)
for _name in ("custom_component", "custom_component_update"):  # the update's answer untyped, as in Langflow's
    router.add_api_route(f"/{_name.replace('_update', '/update')}",
                         Later("mock_langflow.routers.custom_component_handlers", _name), methods=["POST"],
                         include_in_schema=False, **({"response_model": None} if "update" in _name else {}))


# Typed for /openapi.json as Langflow types it (the route's own answer is not checked against it).
@router.get("/config", response_model=None, responses={200: {"model": documented("CONFIG")}})
async def get_config(request: Request, user: OptionalUser, profile: ProfileDep) -> dict[str, Any]:
    """GET /api/v1/config: the public shape, or the full one for an authenticated caller (fact 5), each showing the
    server's settings (app._configured); releases without a public shape refuse a caller without credentials as
    user routes do."""
    if profile.config_public is None:
        caller_or_refusal(request, user)
    return dict(profile.config_full if user is not None else profile.config_public or {})


# Typed for 1.7.1's /openapi.json as Langflow types it.
@router.get("/task/{_task_id}", include_in_schema=False, deprecated=True, response_model=None,
            responses={200: {"model": documented("TaskStatusResponse")}})
async def get_task_status(_task_id: str) -> None:
    """GET /api/v1/task/{id}: deprecated, always 400, no auth (fact 17)."""
    raise errors.BadRequest(errors.TASK_DEPRECATED)


# One handler for both paths, as Langflow's: 1.7.1 lists both under its name. Their API key check is a route
# dependency, run before the handler: a caller without a valid key gets /run's 403, not the 400.
@router.post("/predict/{_flow_id}", include_in_schema=False, dependencies=[Depends(api_key_user)])
@router.post("/process/{_flow_id}", include_in_schema=False, dependencies=[Depends(api_key_user)])
async def process(_flow_id: Any) -> None:
    """POST /api/v1/process/{flow_id} and /api/v1/predict/{flow_id}: deprecated, 400 for any API key's holder."""
    raise errors.BadRequest(errors.PROCESS_DEPRECATED)


# Langflow's Components Store routes; the mock has no store, only the checks its frontend makes first.
store_router = api_router(prefix="/store", tags=["Components Store"])


@store_router.get("/check/", include_in_schema=False, response_model=None)
async def check_if_store_is_enabled() -> dict[str, bool]:
    """GET /api/v1/store/check/: the `store` setting, on by default in every release; no credentials."""
    return {"enabled": True}


@store_router.get("/check/api_key", include_in_schema=False, response_model=None)
async def check_if_store_has_api_key(user: CurrentUser) -> dict[str, bool]:
    """GET /api/v1/store/check/api_key: whether the caller has saved a Store key (POST /api/v1/api_key/store).

    Deviation: Langflow asks the Store whether a saved key is valid; the mock asks no one and answers as the
    Store does for a key it does not know."""
    return {"has_api_key": bool(user.store_api_key), "is_valid": False}
