"""/api/v1/extensions (1.13): the extension events a user's reloads left, and the Mode A bundle reload behind
LANGFLOW_ENABLE_EXTENSION_RELOAD. The route table only: the handlers (routers/extension_handlers.py), their shapes
and store are imported when a route is first analysed (routing.Later)."""

from __future__ import annotations

from fastapi import Depends, Request

from mock_langflow import errors
from mock_langflow.deps import app_state
from mock_langflow.routing import Later, api_router

HANDLERS = "mock_langflow.routers.extension_handlers"


async def reload_enabled(request: Request) -> None:
    """The reload route's guard, run before the caller is authenticated: off (Langflow's default), it answers as
    an unmounted route would, with the typed error."""
    if not app_state(request).settings.enable_extension_reload:
        raise errors.NotFound(errors.extension_error(*errors.EXTENSION_RELOAD_DISABLED))


router = api_router(prefix="/extensions", tags=["Extensions"])
router.add_api_route("/{extension_id}/bundles/{bundle_name}/reload", Later(HANDLERS, "reload_extension_bundle"),
                     methods=["POST"], dependencies=[Depends(reload_enabled)])
router.add_api_route("/events", Later(HANDLERS, "get_extension_events"), methods=["GET"],
                     response_model=Later("mock_langflow.schemas.extensions", "ExtensionEventsResponse"))
