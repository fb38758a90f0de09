"""/api/v1/agentic: Langflow's assistant (langflow/agentic/api/router.py), 1.8's or 1.13's (profile
assistant.dialect), listed in 1.8's /openapi.json only, and 1.13's session reset and sandbox files
(agentic/api/sessions_router.py, files_router.py), hidden.

The assistant's flows are answered by the scripted model (engine/assistant.py, imported on first use)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import Response, StreamingResponse

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.routing import LazyModule, api_router

bodies = LazyModule("mock_langflow.schemas.agentic")  # request bodies, imported when a route is first analysed
router = api_router(prefix="/agentic", tags=["Agentic"])


async def agentic_gate(state: StateDep) -> None:
    """1.13's gate on the assistant's sandbox routes: a 404 while LANGFLOW_AGENTIC_EXPERIENCE is off."""
    if not state.settings.agentic_on(state.profile.variables.agentic_default):
        raise errors.NotFound(errors.ENDPOINT_NOT_AVAILABLE)


async def experience_gate(state: StateDep) -> None:
    """1.13's first gate on the routes that run the assistant's code, before the sign-in: the agentic experience."""
    if state.profile.assistant.dialect == "agent":
        await agentic_gate(state)


async def admin_gate(state: StateDep, current_user: CurrentUser) -> None:
    """1.13's second gate: the admin-only component policy (LANGFLOW_CUSTOM_COMPONENT_ADMIN_ONLY) leaves the
    assistant to superusers (403)."""
    if (state.profile.assistant.dialect == "agent" and state.settings.custom_component_admin_only
            and not current_user.is_superuser):
        raise errors.Forbidden(errors.ASSISTANT_ADMIN_ONLY)


sessions_router = api_router(prefix="/agentic/sessions", tags=["agentic"], dependencies=[Depends(agentic_gate)])
files_router = api_router(prefix="/agentic", tags=["Agentic"], dependencies=[Depends(agentic_gate)])
GATED = [Depends(experience_gate), Depends(admin_gate)]
STREAM_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive"}


@router.post("/execute/{flow_name}", include_in_schema=False, dependencies=GATED)
async def execute_named_flow(flow_name: str, request: bodies.AssistantRequest, current_user: CurrentUser,
                             state: StateDep) -> dict[str, Any]:
    """POST /api/v1/agentic/execute/{flow_name}: one of the assistant's flow files, by name; 1.8 in a new session
    with no model provider needed, 1.13 with the caller's flow and provider checked first. Deviation: the flow's
    tools (MCP, Astra DB, web search) are not run: its Agent answers from the script."""
    from mock_langflow.engine import assistant

    ctx = assistant.resolve(state, request, current_user.id) if assistant.agent(state) else None
    ids = assistant.execute_named(state, flow_name)
    return await assistant.flow_result(state, flow=flow_name, text=request.input_value or "",
                                       session_id=ctx.session_id if ctx else str(state.ids.uuid()), ids=ids)


@router.get("/check-config", include_in_schema=False)
async def check_assistant_config(current_user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/agentic/check-config."""
    from mock_langflow.engine import assistant

    return assistant.check_config(state, current_user.id)


@router.post("/assist", include_in_schema=False, dependencies=GATED)
async def assist(request: bodies.AssistantRequest, current_user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """POST /api/v1/agentic/assist."""
    from mock_langflow.engine import assistant

    return await assistant.assist(state, request, assistant.resolve(state, request, current_user.id))


@router.post("/assist/stream", include_in_schema=False, dependencies=GATED)
async def assist_stream(request: bodies.AssistantRequest, current_user: CurrentUser,
                        state: StateDep) -> StreamingResponse:
    """POST /api/v1/agentic/assist/stream: text/event-stream of `data:` frames."""
    from mock_langflow.engine import assistant

    ctx = assistant.resolve(state, request, current_user.id)
    return StreamingResponse(assistant.assist_stream(state, request, ctx), media_type="text/event-stream",
                             headers=STREAM_HEADERS)


@router.post("/assist/run", include_in_schema=False, dependencies=GATED)
async def assist_headless(request: bodies.HeadlessAssistantRequest, current_user: CurrentUser,
                          state: StateDep) -> StreamingResponse:
    """POST /api/v1/agentic/assist/run (1.13): the assistant run headless (for Langflow's MCP run_assistant tool),
    on the named flow (checked before the stream) or a new one; text/event-stream of its progress, then
    `complete` or `error`."""
    from mock_langflow.engine import assistant

    if request.flow_id:
        assistant.check_flow(state, request.flow_id, current_user.id)
    return StreamingResponse(assistant.assist_headless(state, request, current_user.id),
                             media_type="text/event-stream", headers=STREAM_HEADERS)


@sessions_router.post("/reset", include_in_schema=False)
async def reset_session(current_user: CurrentUser, state: StateDep,
                        session_id: Annotated[str | None, Query(max_length=128)] = None) -> dict[str, Any]:
    """POST /api/v1/agentic/sessions/reset (1.13): drops the session's conversation and the components the user's
    assistant registered, and says how many of those there were."""
    from mock_langflow.store.assistant import Sandbox

    cleared = Sandbox(state.settings.data_dir, current_user.id).clear_components()
    if session_id:
        state.store.assistant_turns.clear(current_user.id, session_id)
    return {"status": "ok", "components_cleared": cleared, "session_id": session_id}


@files_router.get("/files", include_in_schema=False)
async def get_agentic_file(current_user: CurrentUser, state: StateDep,
                           path: Annotated[str, Query(min_length=1, max_length=1024)],
                           download: bool = False) -> Response:
    """GET /api/v1/agentic/files (1.13): a file of the caller's assistant sandbox, as text or as an attachment."""
    from mock_langflow.engine.sandbox_files import read_file

    return read_file(state, current_user.id, path, download=download)
