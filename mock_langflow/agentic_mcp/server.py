"""The `langflow-mcp` server of /api/v1/agentic/mcp (Langflow 1.13's api/v1/agentic_mcp.py): a low-level MCP server
whose tools/list is lfx's FastMCP list as recorded (mock_langflow/data/agentic_mcp_tools_1.13.json), less `login`
(never over HTTP) and `run_assistant` (while the agentic experience is off); and whose tools/call checks the
arguments as FastMCP does (its own argument model, built from the recorded input schema) and runs the mock's tool,
which talks to this app's REST API with the caller's credentials. Errors come back as FastMCP's isError results."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request, Response
from pydantic import BaseModel, Field, create_model

from mock_langflow.agentic_mcp.client import LoopbackClient
from mock_langflow.agentic_mcp.context import ToolContext
from mock_langflow.auth import McpUser
from mock_langflow.deps import McpDep, app_state
from mock_langflow.routers.mcp import ResponseNoOp
from mock_langflow.state import AppState

if TYPE_CHECKING:
    from mcp import types
    from mcp.server.lowlevel import Server

TOOLS_FILE = Path(__file__).resolve().parent.parent / "data" / "agentic_mcp_tools_1.13.json"
SERVER_KEY = "agentic"  # its streamable HTTP manager's key in the app's McpRuntime
TOOL_MODULES = ("tools_flows", "tools_run", "tools_graph")

# login takes credentials and a server URL from its arguments: stdio only. run_assistant reaches the assistant's
# code-generating routes, which the agentic experience gates.
HTTP_EXCLUDED = frozenset({"login"})
GATED = frozenset({"run_assistant"})
NOT_OVER_HTTP = "Tool '{name}' is not available over HTTP"
ASSISTANT_OFF = ("Tool '{name}' requires the Langflow Assistant, which is disabled on this server "
                 "(LANGFLOW_AGENTIC_EXPERIENCE is not enabled). The other tools remain available.")
NO_CLIENT = "Authenticated client is unavailable for this MCP request"
UNKNOWN_TOOL = "Unknown tool: {name}"
TOOL_FAILED = "Error executing tool {name}: {error}"


@cache
def recorded() -> dict[str, Any]:
    """The recorded tools (scripts/make-agentic-mcp-tools), by name, in lfx's order."""
    data = json.loads(TOOLS_FILE.read_text())
    return {tool["name"]: tool for tool in data["tools"]}


@cache
def tool_functions() -> dict[str, Callable[..., Any]]:
    """Every tool of the mock by its lfx name: the tool modules' TOOLS merged (one missing is skipped)."""
    merged: dict[str, Callable[..., Any]] = {}
    for name in TOOL_MODULES:
        try:
            module = importlib.import_module(f"mock_langflow.agentic_mcp.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"mock_langflow.agentic_mcp.{name}":
                raise
            continue
        merged.update(module.TOOLS)
    return merged


def excluded(state: AppState) -> frozenset[str]:
    """The tools this transport hides for the current settings."""
    if state.settings.agentic_on(state.profile.variables.agentic_default):
        return HTTP_EXCLUDED
    return HTTP_EXCLUDED | GATED


# --- FastMCP's argument checks -------------------------------------------------------------------------------

_SIMPLE = {"string": str, "boolean": bool, "integer": int, "number": float}


def _annotation(spec: dict[str, Any]) -> Any:
    """The Python type a recorded property schema was made from (the shapes lfx's signatures use)."""
    if "anyOf" in spec:
        kinds = [_annotation(s) for s in spec["anyOf"] if s.get("type") != "null"]
        return kinds[0] | None
    kind = spec.get("type")
    if kind == "object":
        return dict[str, Any]
    if kind == "array":
        return list[_annotation(spec.get("items", {}))]  # type: ignore[misc]
    return _SIMPLE.get(kind, Any)  # type: ignore[arg-type]


@cache
def arguments_model(name: str) -> type[BaseModel]:
    """FastMCP's `<function>Arguments` model for a recorded tool: its validation errors are FastMCP's, word for word.
    A parameter named like a BaseModel method gets FastMCP's `field_` name and keeps its own as alias."""
    from mcp.server.fastmcp.utilities.func_metadata import ArgModelBase

    schema = recorded()[name]["inputSchema"]
    required = set(schema.get("required", ()))
    fields: dict[str, Any] = {}
    for prop, spec in schema["properties"].items():
        field_name, options = prop, {}
        if callable(getattr(BaseModel, prop, None)):
            field_name, options = f"field_{prop}", {"alias": prop}
        default = ... if prop in required else spec.get("default")
        fields[field_name] = (_annotation(spec), Field(default, **options))
    return create_model(schema["title"], __base__=ArgModelBase, **fields)  # type: ignore[no-any-return, call-overload]


def wrapped_output(name: str) -> bool:
    """FastMCP wraps a non-object return value as {"result": value} (its output schema then says so)."""
    schema = recorded()[name].get("outputSchema") or {}
    return schema.get("required") == ["result"] and "result" in schema.get("properties", {})


async def run_tool(name: str, arguments: dict[str, Any], ctx: ToolContext) -> tuple[list[Any], dict[str, Any]]:
    """FastMCP's tools/call: look the tool up, check the arguments, run it, and give its text content and its
    structured content; any failure is raised with FastMCP's text."""
    from mcp.server.fastmcp.utilities.func_metadata import FuncMetadata, _convert_to_content

    function = tool_functions().get(name)
    if function is None or name not in recorded():
        raise LookupError(UNKNOWN_TOOL.format(name=name))
    try:
        result = await FuncMetadata(arg_model=arguments_model(name)).call_fn_with_arg_validation(
            function, True, arguments, {"ctx": ctx})
    except Exception as exc:
        raise RuntimeError(TOOL_FAILED.format(name=name, error=exc)) from exc
    structured = {"result": result} if wrapped_output(name) else result
    return list(_convert_to_content(result)), structured


# --- the server ----------------------------------------------------------------------------------------------


def build_server(state: AppState) -> Server[Any, Request]:
    """The low-level `langflow-mcp` server of one app (serverInfo.version: the release's mcp package)."""
    from mcp import types
    from mcp.server.lowlevel import Server

    server: Server[Any, Request] = Server("langflow-mcp", version=state.profile.mcp.sdk_version)

    @server.list_prompts()  # type: ignore[no-untyped-call, untyped-decorator]
    async def handle_list_prompts() -> list[types.Prompt]:
        return []

    @server.list_resources()  # type: ignore[no-untyped-call, untyped-decorator]
    async def handle_list_resources() -> list[types.Resource]:
        return []

    @server.list_tools()  # type: ignore[no-untyped-call, untyped-decorator]
    async def handle_list_tools() -> list[types.Tool]:
        hidden = excluded(state)
        return [types.Tool.model_validate(tool) for name, tool in recorded().items() if name not in hidden]

    @server.call_tool(validate_input=False)  # type: ignore[untyped-decorator]
    async def handle_call_tool(name: str, arguments: dict[str, Any]) -> Any:
        if name in HTTP_EXCLUDED:
            raise ValueError(NOT_OVER_HTTP.format(name=name))
        if name in excluded(state):
            raise ValueError(ASSISTANT_OFF.format(name=name))
        request = server.request_context.request
        if not isinstance(request, Request):
            raise ValueError(NO_CLIENT)
        client = LoopbackClient.for_request(request)
        try:
            return await run_tool(name, arguments, _context(server, client, state))
        finally:
            await client.close()

    return server


def _context(server: Server[Any, Request], client: LoopbackClient, state: AppState) -> ToolContext:
    """A tool's context, with FastMCP's progress and info notifications on the request's own stream."""
    request_context = server.request_context
    token = request_context.meta.progressToken if request_context.meta else None

    async def progress(value: float, message: str | None = None) -> None:
        if token is not None:
            await request_context.session.send_progress_notification(
                progress_token=token, progress=value, total=None, message=message,
                related_request_id=request_context.request_id)

    async def info(message: str) -> None:
        await request_context.session.send_log_message(level="info", data=message, logger=None,
                                                       related_request_id=request_context.request_id)

    return ToolContext(client, progress=progress, info=info, ids=state.ids)


# --- the transport routes (routers/agentic_mcp.py) -------------------------------------------------------------


async def agentic_mcp_health() -> Response:
    """HEAD /api/v1/agentic/mcp: 200, no body, no auth."""
    return Response()


async def handle_agentic_streamable_http(request: Request, user: McpUser, mcp: McpDep) -> Response:
    """GET/POST/DELETE /api/v1/agentic/mcp (and .../mcp/): stateless streamable HTTP, authenticated as the global
    MCP transports are (CurrentActiveMCPUser); the SDK writes the whole answer. Nothing of this request holds the
    database while the tools' REST calls run (Langflow closes its session first for SQLite's sake)."""
    state = app_state(request)
    await mcp.serve_streamable(SERVER_KEY, request, user, lambda: build_server(state))
    return ResponseNoOp()
