"""Bodies of POST /api/v1/responses, Langflow's OpenAI Responses-compatible route (lfx's schemas)."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from mock_langflow.schemas import RequestShape


class OpenAIResponsesRequest(RequestShape):
    """OpenAI-compatible responses request with flow_id as model parameter."""

    model: str  # the flow's id or endpoint name
    input: str
    stream: bool = False
    background: bool = False
    tools: list[Any] | None = None
    previous_response_id: str | None = None
    include: list[str] | None = None


class ResponsesChunk(BaseModel):
    """One `data:` chunk of a streamed answer, serialised compactly as pydantic writes it. Before 1.8 the chunk
    has no finish_reason (profile run.responses_finish)."""

    model_config = ConfigDict(defer_build=True)

    id: str
    object: Literal["response.chunk"] = "response.chunk"
    created: int
    model: str
    delta: dict[str, Any]
    status: Literal["completed", "in_progress", "failed"] | None = None
    finish_reason: Literal["stop", "length", "error", "tool_calls"] | None = None


def responses_body(response_id: str, created_at: int, model: str, text: str, previous_response_id: str | None,
                   usage: dict[str, int] | None, tool_items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A non-streamed answer: OpenAI's response object with the agent's tool calls (if any) and then the flow's
    text as its output message, and OpenAI's defaults for what a flow has no say in."""
    message = {"type": "message", "id": f"msg_{response_id}", "status": "completed", "role": "assistant",
               "content": [{"type": "output_text", "text": text, "annotations": []}]}
    return {"id": response_id, "object": "response", "created_at": created_at, "status": "completed",
            "error": None, "incomplete_details": None, "instructions": None, "max_output_tokens": None,
            "model": model, "output": [*(tool_items or ()), message], "parallel_tool_calls": True,
            "previous_response_id": previous_response_id, "reasoning": {"effort": None, "summary": None},
            "store": True, "temperature": 1.0, "text": {"format": {"type": "text"}}, "tool_choice": "auto",
            "tools": [], "top_p": 1.0, "truncation": "disabled", "usage": usage, "user": None, "metadata": {}}


def tool_call_item(call: dict[str, Any], number: int, *, results: bool) -> dict[str, Any]:
    """A non-streamed answer's item for the `number`th tool call ({name, input, output}) of the agent's steps:
    with include ["tool_call.results"] a tool_call with the input's values as its queries and the output as its
    results, else a function_call with the input as JSON arguments (Langflow's openai_responses.py)."""
    name, args, output = call["name"], call["input"], call["output"]
    if results:
        return {"id": f"{name}_{number}", "queries": list(args.values()) if isinstance(args, dict) else [str(args)],
                "status": "completed", "tool_name": f"{name}", "type": "tool_call",
                "results": output if output is not None else []}
    return {"id": f"fc_{number}", "type": "function_call", "status": "completed", "name": name,
            "arguments": json.dumps(args) if args is not None else "{}"}


def openai_error(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    """OpenAI's error envelope; `code` only when there is one."""
    error = {"message": message, "type": type_}
    if code:
        error["code"] = code
    return {"error": error}
