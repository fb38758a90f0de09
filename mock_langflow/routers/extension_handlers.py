"""The handlers of /api/v1/extensions (routers/extensions.py), imported when a route is first analysed.

The mock installs no extension: its bundle registry is empty, so a reload (with LANGFLOW_ENABLE_EXTENSION_RELOAD)
fails as lfx's reload pipeline fails for a bundle it does not know: 422 with the typed error, the failed result
under `result`, and a bundle_reload_failed event in the caller's keyspace, which GET /events then reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.schemas.extensions import ExtensionEventResponse, ExtensionEventsResponse
from mock_langflow.store.extension_events import user_keyspace

SINCE_DOC = "UTC epoch timestamp; return events after this cursor"


async def reload_extension_bundle(extension_id: str, bundle_name: str, user: CurrentUser,
                                  state: StateDep) -> dict[str, Any]:
    del extension_id  # (a registered bundle is checked against it; the mock has none)
    error = errors.bundle_not_installed(bundle_name)
    result = {"ok": False, "bundle": bundle_name, "reload_id": state.ids.hex32(), "components_added": [],
              "components_removed": [], "components_changed": [], "errors": [error], "warnings": []}
    state.store.extension_events.emit("bundle_reload_failed", result, user_keyspace(user.id))
    raise errors.UnprocessableEntity({**error, "result": result})


async def get_extension_events(user: CurrentUser, state: StateDep,
                               since: Annotated[float, Query(description=SINCE_DOC)] = 0.0,
                               keyspace: Annotated[str | None, Query(include_in_schema=False)] = None,
                               ) -> ExtensionEventsResponse:
    if keyspace is not None:
        raise errors.UnprocessableEntity(errors.extension_error(*errors.EXTENSION_KEYSPACE_FORBIDDEN,
                                                                location="query.keyspace", content=keyspace))
    events, settled = state.store.extension_events.since(since, user_keyspace(user.id))
    return ExtensionEventsResponse(events=[ExtensionEventResponse(type=e.type, timestamp=e.timestamp,
                                                                  payload=e.payload) for e in events],
                                   settled=settled)
