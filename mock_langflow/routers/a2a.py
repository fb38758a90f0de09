"""/api/v1/a2a: 1.13's agent-to-agent (A2A) protocol for agent flows (Langflow's api/v1/a2a.py, a2a_utils.py,
a2a_executor.py). All three routes answer 404 "Not Found" unless LANGFLOW_A2A_ENABLED is on, as if unmounted.

- GET /a2a/agents: the caller's own agent flows that are A2A-enabled, each with its card's URL.
- GET /a2a/{flow_id}/.well-known/agent-card.json: the flow's agent card (A2A 0.3), for anyone.
- POST /a2a/{flow_id}/jsonrpc: JSON-RPC 2.0 as the a2a SDK's 0.3 adapter serves it. message/send runs the flow
  and answers the task once the run has ended (its answer parts made from the run's v2 outputs, as 1.13's
  executor makes them); message/stream answers the same run as SSE (submitted task, "working", the artifact,
  the final status); tasks/get reads a task back; tasks/resubscribe follows a task whose run goes on in this
  process; tasks/cancel stops one; tasks/pushNotificationConfig/{set,get,list,delete} keep a task's webhooks,
  which get its run's events. A flow whose project asks for an API key ("apikey" or "oauth") wants its owner's
  key in x-api-key (401 otherwise); any other flow is public. The JSON-RPC methods are a2a/rpc.py's (and
  a2a/push.py's), imported on the first call: A2A is off by default.

A run that reaches a Human Input node parks its task "input-required" (its checkpoint kept with the task), and a
message naming the task is the person's answer, which the run goes on from (a2a/rpc.py resume_task).

Deviations: a public agent's run is a visitor's, as the public build's and a public MCP project's: the server's
code without secret values, as the anonymous user.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from fastapi import Depends, Request, Response
from sqlmodel import select

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import app_state
from mock_langflow.mcp import projects as mcp_projects
from mock_langflow.mcp.tools import input_schema
from mock_langflow.routing import api_router
from mock_langflow.schemas.flows import FlowType
from mock_langflow.state import AppState
from mock_langflow.store.flows import ROWID
from mock_langflow.store.models import FlowRow

router = api_router(prefix="/a2a", tags=["a2a"])

KEY_HEADER = "x-api-key"
KEY_SCHEME = "apiKey"
PROTOCOL_VERSION = "0.3.0"
MODES = ["application/json"]
# Free-form card overrides are bounded, as Langflow's: a longer string or a non-string is ignored.
OVERRIDE_MAX_LEN, OVERRIDE_MAX_ITEMS = 1000, 50
EMPTY_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
# The principal a public agent's tasks and sessions belong to (lfx's anonymous public actor).
PUBLIC_PRINCIPAL = uuid5(NAMESPACE_URL, "urn:langflow:principal:anonymous-public")



async def a2a_on(request: Request) -> None:
    """Off (the default), every A2A route answers as an unmounted one, before any authentication."""
    if not app_state(request).settings.a2a_enabled:
        raise errors.NotFound()


A2AOn = Depends(a2a_on)


def _override_str(overrides: dict[str, Any], key: str) -> str | None:
    value = overrides.get(key)
    return value if isinstance(value, str) and value and len(value) <= OVERRIDE_MAX_LEN else None


def _override_list(overrides: dict[str, Any], key: str) -> list[str] | None:
    value = overrides.get(key)
    if isinstance(value, list) and value and all(isinstance(v, str) and len(v) <= OVERRIDE_MAX_LEN for v in value):
        return value[:OVERRIDE_MAX_ITEMS]
    return None


def folder_auth(state: AppState, flow: FlowRow) -> str:
    """The auth type of the flow's project ("none" without a project or settings): what the card shows and the
    JSON-RPC route enforces."""
    if flow.folder_id is None:
        return "none"
    project = state.store.mcp.project(flow.folder_id)
    return mcp_projects.auth_type(project) if project is not None else "none"


def published(state: AppState, flow_id: UUID) -> FlowRow:
    """The flow, when it is an A2A-enabled agent; anything else is the same 404."""
    with state.store.db.session() as s:
        flow = s.get(FlowRow, flow_id)
    if flow is None or flow.flow_type != FlowType.AGENT or not flow.a2a_enabled:
        raise errors.NotFound()
    return flow


def agent_card(state: AppState, flow: FlowRow, rpc_url: str) -> dict[str, Any]:
    """The A2A 0.3 card: names from the flow or its a2a_card_overrides, one skill (the flow) whose inputSchema
    is the flow's input fields, JSON in and out, streaming and push notifications, and the apiKey scheme when
    the flow's project wants a key. Keys in the a2a SDK's (alphabetical) order, unset ones left out."""
    overrides = flow.a2a_card_overrides if isinstance(flow.a2a_card_overrides, dict) else {}
    name = _override_str(overrides, "name") or flow.name
    description = (_override_str(overrides, "description") or flow.description
                   or errors.A2A_DEFAULT_DESCRIPTION.format(name=flow.name))
    version = _override_str(overrides, "version") or state.profile.version_body["version"]
    try:
        schema = input_schema(flow.data, honor_allowlist=False)
    except Exception:  # noqa: BLE001 - as Langflow's: a flow that does not build gets an empty input contract
        schema = dict(EMPTY_SCHEMA)
    skill: dict[str, Any] = {"description": description}
    if examples := _override_list(overrides, "examples"):
        skill["examples"] = examples
    skill.update({"id": str(flow.id), "inputModes": MODES, "name": name, "outputModes": MODES,
                  "tags": _override_list(overrides, "tags") or ["langflow"], "inputSchema": schema})
    card: dict[str, Any] = {
        "capabilities": {"pushNotifications": True, "streaming": True}, "defaultInputModes": MODES,
        "defaultOutputModes": MODES, "description": description, "name": name, "preferredTransport": "JSONRPC",
        "protocolVersion": PROTOCOL_VERSION}
    if folder_auth(state, flow) in ("apikey", "oauth"):
        card["security"] = [{KEY_SCHEME: []}]
        card["securitySchemes"] = {KEY_SCHEME: {"description": errors.A2A_KEY_DESCRIPTION, "in": "header",
                                                "name": KEY_HEADER, "type": "apiKey"}}
    card.update({"skills": [skill], "url": rpc_url, "version": version})
    return card


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/agents", dependencies=[A2AOn])
async def list_a2a_agents(request: Request, user: CurrentUser) -> list[dict]:
    """The caller's own A2A-enabled agent flows (never anyone else's), in the order they were made."""
    state = app_state(request)
    with state.store.db.session() as s:
        flows = s.exec(select(FlowRow).where(FlowRow.user_id == user.id)
                       .where(FlowRow.flow_type == FlowType.AGENT).order_by(ROWID)).all()
    base = base_url(request)
    return [{"id": str(f.id), "name": f.name, "description": f.description,
             "cardUrl": f"{base}/api/v1/a2a/{f.id}/.well-known/agent-card.json"} for f in flows if f.a2a_enabled]


@router.get("/{flow_id}/.well-known/agent-card.json")
async def get_agent_card(flow_id: UUID, request: Request) -> dict:
    """The agent card of an A2A-enabled agent flow, for anyone (A2A discovery is unauthenticated)."""
    await a2a_on(request)
    state = app_state(request)
    flow = published(state, flow_id)
    return agent_card(state, flow, f"{base_url(request)}/api/v1/a2a/{flow_id}/jsonrpc")


def admitted(state: AppState, flow: FlowRow, request: Request) -> UUID:
    """Who the call runs for: the public principal for a project without auth; for an "apikey" or "oauth"
    project, the flow's owner by the owner's key in x-api-key (the same 401 for a missing owner match as for a
    bad key); any other auth type is refused."""
    kind = folder_auth(state, flow)
    if kind == "none":
        return PUBLIC_PRINCIPAL
    if kind not in ("apikey", "oauth"):
        raise errors.Forbidden(errors.A2A_AUTH_UNSUPPORTED.format(auth_type=kind))
    key = request.headers.get(KEY_HEADER)
    if not key:
        raise errors.Unauthorized(errors.A2A_KEY_REQUIRED)
    user = state.store.users.user_for_key(key)
    if user is None or user.id != flow.user_id:
        raise errors.Unauthorized(errors.INVALID_API_KEY)
    return user.id


@router.post("/{flow_id}/jsonrpc")
async def a2a_jsonrpc(flow_id: UUID, request: Request) -> Response:
    """The A2A JSON-RPC endpoint of an A2A-enabled agent flow: gated as its card (404), then by its project's
    auth; JSON-RPC errors come with status 200 (a2a/rpc.py, imported on the first call)."""
    from mock_langflow.a2a import rpc

    return await rpc.a2a_jsonrpc(flow_id, request)


async def stop_live_tasks(state: AppState) -> None:
    """At shutdown: the A2A runs still going on stop (a2a/rpc.py), when there are any."""
    if state.a2a_live:
        from mock_langflow.a2a import rpc

        await rpc.stop_live_tasks(state)
