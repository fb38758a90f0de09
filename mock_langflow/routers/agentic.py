"""/api/v1/agentic: Langflow 1.8's assistant (langflow/agentic/api/router.py), listed in 1.8's /openapi.json only.

The assistant's flows are answered by the scripted model (engine/assistant.py, imported on first use)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import StreamingResponse

from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.routing import api_router
from mock_langflow.schemas.agentic import AssistantRequest

router = api_router(prefix="/agentic", tags=["Agentic"])
STREAM_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive"}


@router.post("/execute/{flow_name}", include_in_schema=False)
async def execute_named_flow(flow_name: str, request: AssistantRequest, current_user: CurrentUser,
                             state: StateDep) -> dict[str, Any]:
    """POST /api/v1/agentic/execute/{flow_name}: one of the assistant's flow files, by name, in a new session;
    no model provider needed. Deviation: the flow's tools (MCP, Astra DB, web search) are not run: its Agent
    answers from the script."""
    from mock_langflow.engine import assistant

    ids = assistant.execute_named(state, flow_name)
    return await assistant.flow_result(state, flow=flow_name, text=request.input_value or "",
                                       session_id=str(state.ids.uuid()), ids=ids)


@router.get("/check-config", include_in_schema=False)
async def check_assistant_config(current_user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/agentic/check-config."""
    from mock_langflow.engine import assistant

    return assistant.check_config(state, current_user.id)


@router.post("/assist", include_in_schema=False)
async def assist(request: AssistantRequest, current_user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """POST /api/v1/agentic/assist."""
    from mock_langflow.engine import assistant

    return await assistant.assist(state, request, assistant.resolve(state, request, current_user.id))


@router.post("/assist/stream", include_in_schema=False)
async def assist_stream(request: AssistantRequest, current_user: CurrentUser, state: StateDep) -> StreamingResponse:
    """POST /api/v1/agentic/assist/stream: text/event-stream of `data:` frames."""
    from mock_langflow.engine import assistant

    ctx = assistant.resolve(state, request, current_user.id)
    return StreamingResponse(assistant.assist_stream(state, request, ctx), media_type="text/event-stream",
                             headers=STREAM_HEADERS)
