"""/api/v1/triggers (1.13): a flow's triggers, their event ledger and their signed-webhook ingress. This module is
the route table only, in Langflow's order: the handlers (routers/trigger_handlers.py) and the shapes they name are
imported when a route is first analysed (routing.Later), so the feature costs no start-up memory."""

from __future__ import annotations

from mock_langflow.routing import Later, api_router

HANDLERS = "mock_langflow.routers.trigger_handlers"

# method, path (under /triggers; "-" for the bare prefix), handler, status when not 200: Langflow's order
ROUTES = """\
GET    -                             list_triggers
POST   -                             create_trigger                  201
GET    /{trigger_id}                 get_trigger
PATCH  /{trigger_id}                 update_trigger
DELETE /{trigger_id}                 delete_trigger                  204
POST   /{trigger_id}/enable          enable_trigger
POST   /{trigger_id}/disable         disable_trigger
POST   /{trigger_id}/pin             pin_trigger
GET    /{trigger_id}/events          list_trigger_events
POST   /{trigger_id}/replay          replay_trigger_event            202
POST   /{trigger_id}/test            test_trigger                    202
GET    /{trigger_id}/ingress         get_trigger_ingress
POST   /{trigger_id}/signing-secret  rotate_trigger_signing_secret
"""

router = api_router(prefix="/triggers", tags=["Triggers"])
for method, path, name, *status in (line.split() for line in ROUTES.splitlines()):
    router.add_api_route("" if path == "-" else path, Later(HANDLERS, name), methods=[method],
                         status_code=int(status[0]) if status else 200)

# The unauthenticated ingress, registered after the owner's routes as Langflow registers it
ingress_router = api_router(prefix="/triggers/ingress", tags=["Triggers"])
ingress_router.add_api_route("/{provider}/{public_id}", Later(HANDLERS, "receive_provider_delivery"), methods=["POST"])
ingress_router.add_api_route("/slack/apps/{registration_id}", Later(HANDLERS, "receive_slack_app_delivery"),
                             methods=["POST"])
