"""/api/v1/triggers (1.13): a flow's triggers, their event ledger and their signed-webhook ingress. This module is
the route table only, in Langflow's order: the handlers (routers/trigger_handlers.py) and the shapes they name are
imported when a route is first analysed (routing.Later), so the feature costs no start-up memory."""

from __future__ import annotations

from mock_langflow.routing import Later, api_router

HANDLERS = "mock_langflow.routers.trigger_handlers"

router = api_router(prefix="/triggers", tags=["Triggers"])
for path, method, name, status in (
        ("", "GET", "list_triggers", 200),
        ("", "POST", "create_trigger", 201),
        ("/{trigger_id}", "GET", "get_trigger", 200),
        ("/{trigger_id}", "PATCH", "update_trigger", 200),
        ("/{trigger_id}", "DELETE", "delete_trigger", 204),
        ("/{trigger_id}/enable", "POST", "enable_trigger", 200),
        ("/{trigger_id}/disable", "POST", "disable_trigger", 200),
        ("/{trigger_id}/pin", "POST", "pin_trigger", 200),
        ("/{trigger_id}/events", "GET", "list_trigger_events", 200),
        ("/{trigger_id}/replay", "POST", "replay_trigger_event", 202),
        ("/{trigger_id}/test", "POST", "test_trigger", 202),
        ("/{trigger_id}/ingress", "GET", "get_trigger_ingress", 200),
        ("/{trigger_id}/signing-secret", "POST", "rotate_trigger_signing_secret", 200)):
    router.add_api_route(path, Later(HANDLERS, name), methods=[method], status_code=status)

# The unauthenticated ingress, registered after the owner's routes as Langflow registers it
ingress_router = api_router(prefix="/triggers/ingress", tags=["Triggers"])
ingress_router.add_api_route("/{provider}/{public_id}", Later(HANDLERS, "receive_provider_delivery"), methods=["POST"])
ingress_router.add_api_route("/slack/apps/{registration_id}", Later(HANDLERS, "receive_slack_app_delivery"),
                             methods=["POST"])
