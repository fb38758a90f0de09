"""/api/v1/webhook/{flow}: accept any payload with 202 and run the flow in the background (facts 3, 18-19); and
/api/v1/webhook-events/{flow}, the stream of those runs the UI watches."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, StreamingResponse

from mock_langflow import errors
from mock_langflow.auth import sent_keys, sse_user, webhook_caller
from mock_langflow.deps import SettingsDep, StateDep
from mock_langflow.engine.graph import asks_a_human
from mock_langflow.engine.jobs import job_spec
from mock_langflow.engine.runner import RunRequest, memory_capture, refused_tweaks, serving_scope
from mock_langflow.routers.flows import component_blocks
from mock_langflow.routers.run import WEBHOOK_OP, FlowOwner, flow_not_found, lookup_owner
from mock_langflow.routing import api_router

router = api_router(tags=["Base"])

EMPTY_BODY = "Request body is empty. You should provide a JSON payload containing the flow ID."
ACCEPTED = {"message": "Task started in the background", "status": "in progress"}


def webhook_ids(data: Any) -> list[str]:
    """The nodes Langflow hands the body to (as a tweak of their `data`): those whose id holds "Webhook"."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    ids = (str(n.get("id") or "") for n in nodes if isinstance(n, dict)) if isinstance(nodes, list) else ()
    return [i for i in ids if "Webhook" in i]


def has_webhook_node(data: Any) -> bool:
    return bool(webhook_ids(data))


def payload_of(raw: bytes) -> Any:
    """The body as the Webhook component receives it: parsed JSON, or {"payload": <text>} (fact 19). Langflow hands
    the body to the component as a tweak of its `data` text field, whose `\\n` texts the parameter handler turns
    into newlines first: a JSON string holding an escaped newline then no longer parses (a bare `"\\n"` string
    aside, which the component puts back), and the payload is the text with its newlines."""
    text = raw.decode("utf-8", "replace").replace("\\n", "\n")
    try:
        return json.loads(text.replace('"\n"', '"\\n"'))
    except (ValueError, RecursionError):
        return {"payload": text}


# Typed for /openapi.json as Langflow types it: any JSON object, titled as FastAPI titles a response model.
@router.post("/webhook/{flow_id_or_name}", status_code=202, responses={202: {"content": {"application/json": {
    "schema": {"additionalProperties": True, "type": "object",
               "title": "Response Webhook Run Flow Api V1 Webhook  Flow Id Or Name  Post"}}}}})
async def webhook_run_flow(flow_id_or_name: str, request: Request, state: StateDep, settings: SettingsDep,
                           flow_owner: FlowOwner = None) -> JSONResponse:
    """POST /api/v1/webhook/{flow_id_or_name}: who runs the flow and which flow it is, then the body.

    With webhook auth on, 1.13 checks the key first (403s), then finds the caller's flow; else, and before
    1.13, the flow is found by id or endpoint name whoever owns it, and runs as its owner (an example flow has
    none: 404); before 1.13 webhook auth checks the key once the flow is found, and refuses a caller who does
    not own it (403). The run happens after the answer; its messages appear in /monitor/messages. Before 1.13 the
    `user_id` query parameter picks whose flow an endpoint name runs, but not as whom: Langflow finds the user to
    run as by the endpoint name alone, so the chosen flow runs as the owner of the first flow made with that
    name (whose global variables and files it reads).
    """
    # the key is read off the request (the header's before the query's), as Langflow's webhook does: the route
    # declares no scheme
    query_key, header_key = sent_keys(request)
    key_first = state.profile.auth.webhook_lookup == "key-first"
    if key_first and settings.webhook_auth_enable:
        caller = webhook_caller(state, settings, header_key or query_key)
        flow = state.store.flows.find(flow_id_or_name, user_id=caller.id if caller else None, examples=False)
        if flow is None:
            raise flow_not_found(flow_id_or_name)
        run_as = flow.user_id
    else:
        named = lookup_owner(flow_id_or_name, flow_owner) if state.profile.has_param(WEBHOOK_OP, "user_id") else None
        flow = state.store.flows.find_any(flow_id_or_name, owner=named)
        if flow is None:
            raise flow_not_found(flow_id_or_name)
        caller = webhook_caller(state, settings, header_key or query_key)  # before 1.13 with webhook auth on
        # Langflow's webhook user lookup ignores `user_id`: the first flow made with the endpoint name says who.
        first = flow if named is None else state.store.flows.find_any(flow_id_or_name)
        run_as = first.user_id if first is not None else None
        if run_as is None:
            raise errors.NotFound(errors.flow_owner_not_found(flow_id_or_name))
        if caller is not None and caller.id != run_as:
            raise errors.Forbidden(errors.WEBHOOK_NOT_OWNER)
        if key_first:  # 1.13: a deactivated owner runs nothing (before, nobody looks the owner up)
            owner = state.store.users.get(run_as)
            if owner is None or not owner.is_active:
                raise errors.NotFound(errors.FLOW_NOT_FOUND)
    raw = await request.body()
    if not raw:
        raise errors.BadRequest(EMPTY_BODY)
    if state.profile.run.hitl_refused and asks_a_human(flow.data):
        raise errors.BadRequest(errors.HITL_UNSUPPORTED)
    run = RunRequest(flow_id=flow.id, flow_name=flow.name, endpoint_name=flow.endpoint_name, data=flow.data,
                     user_id=flow.user_id, runs_as=run_as, webhook_payload=payload_of(raw),
                     variable_fields=state.variable_fields(run_as or flow.user_id), file_access_check=True,
                     # Langflow's webhook runs as run_as: its memory-base capture only when that is the owner
                     memory_capture=memory_capture(flow.user_id, run_as or flow.user_id),
                     graph_check=True, catalog_blocked=component_blocks(state))
    if state.profile.run.tweak_floor:  # 1.13: the body is a tweak, which LANGFLOW_TWEAKS_POLICY may refuse
        tweaks = {node_id: {"data": ""} for node_id in webhook_ids(flow.data)}
        if refused := refused_tweaks(flow.data, tweaks, policy=state.runner.tweaks_policy):
            run.tweaks_refused = str(refused)
    # 1.13's end-user scope (its 401 before the body is decoded)
    run.scoped(serving_scope(state, request.headers, run.session_id, str(flow.id)))
    if has_webhook_node(flow.data):
        try:  # Langflow decodes the body for its Webhook nodes: bytes that are not UTF-8 fail (its 500, our 400)
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise errors.BadRequest(str(exc)) from exc
    spec = job_spec(state.llm, "webhook", run, log_builds=False, logs_results=True)
    watched = bool(state.webhook_listeners.get(str(flow.id)))
    if watched:  # an open webhook event stream: the run's events are recorded in its shapes, for it to follow
        from mock_langflow.streaming import webhook_events

        spec.observer = webhook_events.WebhookObserver
    job = state.jobs.create(spec, user_id=run.user_id)
    state.jobs.start(job, spec)
    if watched:
        webhook_events.announce(state, flow.id, job.id)
    return JSONResponse(ACCEPTED, status_code=202)


@router.get("/webhook-events/{flow_id_or_name}", include_in_schema=False, response_model=None)
async def webhook_events_stream(flow_id_or_name: str, request: Request, state: StateDep,
                                flow_owner: FlowOwner = None) -> StreamingResponse:
    """GET /api/v1/webhook-events/{flow_id_or_name}: an SSE stream of the flow's webhook runs, for the UI that
    has the flow open. 1.13 takes the caller (cookie or API key, sse_user), then the caller's flow by id or
    endpoint name; 1.8 finds the flow whoever's it is first (its `user_id` parameter picking an endpoint name's
    owner), then refuses a caller who does not own it (profile auth.webhook_events)."""
    from mock_langflow.streaming import webhook_events

    if state.profile.auth.webhook_events == "owner-check":
        named = lookup_owner(flow_id_or_name, flow_owner)
        flow = state.store.flows.find_any(flow_id_or_name, owner=named)
        if flow is None:
            raise flow_not_found(flow_id_or_name)
        if sse_user(request).id != flow.user_id:
            raise errors.Forbidden(errors.WEBHOOK_EVENTS_NOT_OWNER)
    else:
        user = sse_user(request)
        flow = state.store.flows.find(flow_id_or_name, user_id=user.id, examples=False)
        if flow is None:
            raise flow_not_found(flow_id_or_name)
    return StreamingResponse(webhook_events.webhook_events(state, flow), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "Connection": "keep-alive",
                                      "X-Accel-Buffering": "no"})
