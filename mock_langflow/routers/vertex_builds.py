"""/api/v1/build/{flow_id}/vertices...: Langflow's deprecated vertex-by-vertex build, in every release (1.7.1 lists
it in its OpenAPI document: profile schema_shown). This module is the route table only, in Langflow's order; the
handlers (routers/vertex_build_handlers.py) are imported when a route is first analysed (routing.Later)."""

from __future__ import annotations

from fastapi.responses import StreamingResponse

from mock_langflow.routing import Later, api_router, documented

HANDLERS = "mock_langflow.routers.vertex_build_handlers"

router = api_router(prefix="/build", tags=["Chat"])
router.add_api_route("/{flow_id}/vertices", Later(HANDLERS, "retrieve_vertices_order"), methods=["POST"],
                     deprecated=True, include_in_schema=False, response_model=None,
                     responses={200: {"model": documented("VerticesOrderResponse")}})
router.add_api_route("/{flow_id}/vertices/{vertex_id}", Later(HANDLERS, "build_vertex"), methods=["POST"],
                     deprecated=True, include_in_schema=False, response_model=None,
                     responses={200: {"model": documented("VertexBuildResponse")}})
router.add_api_route("/{flow_id}/{vertex_id}/stream", Later(HANDLERS, "build_vertex_stream"), methods=["GET"],
                     deprecated=True, include_in_schema=False, response_class=StreamingResponse)
