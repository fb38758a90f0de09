"""/api/v1/agentic/mcp (1.13, hidden): the agentic MCP server's streamable HTTP transport (api/v1/agentic_mcp.py),
lfx's `langflow-mcp` toolkit. The route table only: the handlers and the server (mock_langflow/agentic_mcp/) are
imported when a route is first analysed (routing.Later), so the feature costs no start-up memory."""

from __future__ import annotations

from mock_langflow.routers.mcp import TRANSPORT_METHODS, ResponseNoOp
from mock_langflow.routing import Later, api_router

HANDLERS = "mock_langflow.agentic_mcp.server"

router = api_router(prefix="/agentic/mcp", tags=["agentic-mcp"], include_in_schema=False)
router.add_api_route("", Later(HANDLERS, "agentic_mcp_health"), methods=["HEAD"])
for path in ("", "/"):
    router.add_api_route(path, Later(HANDLERS, "handle_agentic_streamable_http"), methods=TRANSPORT_METHODS,
                         response_class=ResponseNoOp)
