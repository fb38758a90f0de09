"""/api/v1/connections and /api/v1/integrations (1.13): a user's integration connections and the integration
catalog, as a community install answers them (no extension bundle declares an integration, no OAuth registration
is configured). The route table only, in Langflow's order: the handlers (routers/connection_handlers.py), their
shapes and the store are imported when a route is first analysed (routing.Later)."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

from mock_langflow.routing import Later, api_router

HANDLERS = "mock_langflow.routers.connection_handlers"

# method, path (under /connections; "-" for the bare prefix), handler, status when not 200: Langflow's order
ROUTES = """\
GET    -                             list_connections
POST   -                             create_connection               201
POST   /{connection_id}/test         test_connection
POST   /{connection_id}/health       refresh_connection_health
PATCH  /{connection_id}              update_connection
POST   /{connection_id}/revoke       revoke_connection
DELETE /{connection_id}              delete_connection               204
POST   /{connection_id}/oauth/start  start_connection_oauth
GET    /oauth/{provider}/browser     bind_connection_oauth_browser
GET    /oauth/registrations          list_oauth_registrations
GET    /oauth/{provider}/callback    complete_connection_oauth
"""

router = api_router(prefix="/connections", tags=["Connections"])
for method, path, name, *status in (line.split() for line in ROUTES.splitlines()):
    router.add_api_route("" if path == "-" else path, Later(HANDLERS, name), methods=[method],
                         status_code=int(status[0]) if status else 200,
                         **({"response_class": HTMLResponse} if name == "complete_connection_oauth" else {}))

integrations_router = api_router(prefix="/integrations", tags=["Integrations"])
integrations_router.add_api_route("", Later(HANDLERS, "list_integrations"), methods=["GET"])
integrations_router.add_api_route("/", Later(HANDLERS, "list_integrations"), methods=["GET"], include_in_schema=False)
integrations_router.add_api_route("/policy/effective", Later(HANDLERS, "read_effective_integration_policy"),
                                  methods=["GET"])
