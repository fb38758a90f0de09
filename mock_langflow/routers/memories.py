"""1.13's /api/v1/memories: memory bases, a flow's conversations captured into a knowledge base (hidden from
/openapi.json). Only the table of routes is here: the handlers (routers/memory_handlers.py), shapes and store are
imported when a route is first analysed (routing.Later)."""

from __future__ import annotations

from mock_langflow.routing import Later, api_router

HANDLERS = "mock_langflow.routers.memory_handlers"

# method, path (under /memories; "-" for the bare prefix), handler, status when not 200: Langflow's order
ROUTES = """\
POST   -                             create_memory_base           201
POST   /                             create_memory_base           201
GET    -                             list_memory_bases
GET    /                             list_memory_bases
GET    /{memory_base_id}             get_memory_base
GET    /{memory_base_id}/sessions    list_sessions
GET    /{memory_base_id}/messages    list_memory_base_messages
PATCH  /{memory_base_id}             update_memory_base
DELETE /{memory_base_id}             delete_memory_base           204
POST   /{memory_base_id}/flush       flush_memory_base            202
GET    /{memory_base_id}/mismatch    check_mismatch
POST   /{memory_base_id}/regenerate  regenerate_memory_base       202
"""

router = api_router(prefix="/memories", tags=["Memories"])
for method, path, name, *status in (line.split() for line in ROUTES.splitlines()):
    router.add_api_route("" if path == "-" else path, Later(HANDLERS, name), methods=[method],
                         status_code=int(status[0]) if status else 200, include_in_schema=False)
