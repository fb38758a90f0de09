"""The agentic MCP server's execution tools (lfx/mcp/server.py): run a flow (its stream, then the plain run), build
and validate it through the build routes, read the last builds from /monitor/builds, drive the assistant's
headless run, and `batch`, which runs a list of actions with $N.field references to earlier results."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from mock_langflow.agentic_mcp.context import ToolContext, ToolError

RUN_FAILED = "Flow execution failed"
ASSISTANT_FAILED = "Assistant run failed"
ASSISTANT_CUT = "Assistant stream ended without a complete event"
ASSISTANT_TIMEOUT = 600.0
RUN_TIMEOUT = 300.0
# lfx's batch map: every tool but run_assistant and batch itself (login too, which is not served over HTTP here)
BATCH_LEFT_OUT = frozenset({"run_assistant", "batch"})
REFERENCE = re.compile(r"^\$(\d+)\.(\w+)$")
LFX_FUNCTIONS = {"layout_flow": "layout_flow_tool"}  # the tools whose lfx function has another name


async def run_flow(ctx: ToolContext, flow_id: str, input_value: str = "", input_type: str = "chat",
                   output_type: str = "chat", tweaks: dict[str, Any] | None = None) -> Any:
    """POST /run/{id}?stream=true: each token a progress notification, the `end` event's result the answer; a
    stream without one is run again without streaming, whose answer is returned as it is."""
    request = {"input_value": input_value, "input_type": input_type, "output_type": output_type,
               "tweaks": tweaks or {}}
    result: Any = {}
    tokens = 0
    async for event in ctx.client.stream_post(f"/run/{flow_id}?stream=true", json_data=request):
        kind, data = event.get("event", ""), event.get("data", {})
        if kind == "token":
            tokens += 1
            await ctx.progress(tokens, data.get("chunk", ""))
        elif kind == "end":
            result = data.get("result", data)
            break
        elif kind == "error":
            raise ToolError(str(data.get("error", RUN_FAILED)))
    if not result:
        return await ctx.client.post(f"/run/{flow_id}", json_data=request, timeout=RUN_TIMEOUT)
    return result


async def build_flow(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    result = await ctx.client.post(f"/build/{flow_id}/flow")
    return {"flow_id": flow_id, "job_id": result.get("job_id", "")}


async def _builds(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    data = await ctx.client.get(f"/monitor/builds?flow_id={flow_id}")
    return data.get("vertex_builds", {})  # type: ignore[no-any-return]


async def get_build_results(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    """Each component's latest build: validity, time, its text outputs as output_<name>, and an error when invalid."""
    summary: dict[str, Any] = {}
    for component_id, builds in (await _builds(ctx, flow_id)).items():
        if not builds:
            continue
        latest = builds[-1]
        entry: dict[str, Any] = {"valid": latest.get("valid", False), "timestamp": latest.get("timestamp", "")}
        for output, value in ((latest.get("data") or {}).get("results") or {}).items():
            if isinstance(value, dict) and "text" in value:
                entry[f"output_{output}"] = value["text"]
            elif isinstance(value, str):
                entry[f"output_{output}"] = value
        artifacts = latest.get("artifacts", {})
        if not latest.get("valid") and artifacts:
            entry["error"] = str(artifacts)
        summary[component_id] = entry
    return {"flow_id": flow_id, "builds": summary}


async def get_component_output(ctx: ToolContext, flow_id: str, component_id: str) -> dict[str, Any]:
    builds = await _builds(ctx, flow_id)
    if not builds.get(component_id):
        return {"error": f"No build data for '{component_id}'", "available_components": list(builds)}
    latest = builds[component_id][-1]
    result: dict[str, Any] = {"component_id": component_id, "valid": latest.get("valid", False),
                              "timestamp": latest.get("timestamp", "")}
    if latest.get("data", {}):
        result["outputs"] = latest["data"].get("results", {})
    if latest.get("artifacts", {}):
        result["artifacts"] = latest["artifacts"]
    if not latest.get("valid"):
        result["error"] = "Component build failed"
    return result


def _vertex_error(build_data: dict[str, Any]) -> str:
    """A failed vertex's error: its first output message's errorMessage, else its params, else a generic text."""
    for output in ((build_data.get("data") or {}).get("outputs") or {}).values():
        message = output.get("message") if isinstance(output, dict) else None
        if isinstance(message, dict) and message.get("errorMessage"):
            return str(message["errorMessage"])
    return str(build_data["params"]) if build_data.get("params") else "Unknown error"


async def validate_flow(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    """Build the flow inline (event_delivery=direct), stopping at the first failed component or build error."""
    flow = await ctx.client.get(f"/flows/{flow_id}")
    if not flow.get("data", {}).get("nodes", []):
        return {"valid": True, "component_count": 0, "errors": [], "warnings": []}
    completed: set[str] = set()
    async for event in ctx.client.stream_post(f"/build/{flow_id}/flow?event_delivery=direct"):
        kind, data = event.get("event", ""), event.get("data") or {}
        if kind == "end_vertex":
            build_data = data.get("build_data") or {}
            vertex = build_data.get("id") or ""
            if vertex:
                completed.add(vertex)
            if not build_data.get("valid", False):
                return {"valid": False, "component_count": len(completed),
                        "errors": [{"component_id": vertex or "unknown", "error": _vertex_error(build_data)}]}
        elif kind == "error":
            message = data.get("exception") or data.get("reason") or data.get("error") or "Build error"
            return {"valid": False, "component_count": len(completed),
                    "errors": [{"component_id": "flow", "error": str(message)}]}
        elif kind == "end":
            break
    return {"valid": True, "component_count": len(completed), "errors": []}


async def run_assistant(ctx: ToolContext, instruction: str, flow_id: str | None = None, provider: str | None = None,
                        model_name: str | None = None, session_id: str | None = None) -> dict[str, Any]:
    """POST /agentic/assist/run (the headless run, which applies its canvas changes): each `progress` event a
    progress notification and an info log, the `complete` event's data the answer."""
    optional = {"flow_id": flow_id, "provider": provider, "model_name": model_name, "session_id": session_id}
    payload = {"instruction": instruction, **{key: value for key, value in optional.items() if value}}
    complete: dict[str, Any] | None = None
    steps = 0
    async for event in ctx.client.stream_post("/agentic/assist/run", json_data=payload, timeout=ASSISTANT_TIMEOUT):
        kind = event.get("event")
        if kind == "progress":
            steps += 1
            message = str(event.get("message") or event.get("step") or "working")
            await ctx.progress(float(steps), message)
            await ctx.info(message)
        elif kind == "error":
            raise ToolError(str(event.get("message") or ASSISTANT_FAILED))
        elif kind == "complete":
            complete = event.get("data") or {}
    if complete is None:
        raise ToolError(ASSISTANT_CUT)
    result = dict(complete)
    result.setdefault("result", "")
    result.setdefault("link", f"/flow/{result.get('flow_id')}")
    return result


def _resolved(value: Any, results: list[Any]) -> Any:
    """`value` with every "$N.field" string replaced by that field of the N-th result (zero-based)."""
    if isinstance(value, dict):
        return {key: _resolved(item, results) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item, results) for item in value]
    match = REFERENCE.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    index, field = int(match.group(1)), match.group(2)
    if index >= len(results):
        raise ToolError(f"Reference ${index} is out of range (only {len(results)} results so far)")
    if isinstance(results[index], dict) and field in results[index]:
        return results[index][field]
    raise ToolError(f"${index}.{field}: field '{field}' not found in result {index}")


def _batch_tools() -> tuple[dict[str, Callable[..., Any]], list[str]]:
    """The tools a batch runs, and the names its unknown-tool error lists (lfx's map, login included)."""
    from mock_langflow.agentic_mcp.server import recorded, tool_functions

    names = sorted(set(recorded()) - BATCH_LEFT_OUT)
    return {name: tool for name, tool in tool_functions().items() if name not in BATCH_LEFT_OUT}, names


async def batch(ctx: ToolContext, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the actions in order, each a {"tool", "args"} with the tool's own arguments, unchecked (lfx calls the
    functions directly); a failure stops the batch with "Action i ('tool') failed: ..."."""
    tools, names = _batch_tools()
    results: list[dict[str, Any]] = []
    for i, action in enumerate(actions):
        name = action.get("tool", "")
        if name not in names:
            raise ToolError(f"Action {i}: unknown tool '{name}'. Available: {names}")
        args = _resolved(action.get("args", {}), results)
        try:
            tool = tools.get(name)
            if tool is None:  # login: stdio only
                raise ToolError(f"Tool '{name}' is not available over HTTP")
            if not isinstance(args, Mapping):  # Python's own text for lfx's function (module and name)
                raise TypeError(f"lfx.mcp.server.{LFX_FUNCTIONS.get(name, name)}() argument after ** must be a "
                                f"mapping, not {type(args).__name__}")
            result = await tool(ctx, **args)
        except Exception as exc:
            message = f"Action {i} ('{name}') failed: {exc}"
            try:
                again = type(exc)(message)
            except Exception:
                again = ToolError(message)
            raise again from exc
        results.append(result if isinstance(result, dict) else {"result": result})
    return results


TOOLS = {tool.__name__: tool for tool in (run_flow, build_flow, get_build_results, get_component_output,
                                          validate_flow, run_assistant, batch)}
