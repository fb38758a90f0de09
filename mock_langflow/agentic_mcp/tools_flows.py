"""The agentic MCP server's flow tools (lfx/mcp/server.py): create, list, inspect, copy, rename and delete flows,
the starter projects, and the "done" signal. Each is REST calls through the caller's loopback client, and gives
what lfx's tool gives for the same REST answers.

Deviation: a flow with connections is drawn as "A -> B, B -> C" (lfx's flow_graph_repr when grandalf is missing),
not as grandalf's ASCII art."""

from __future__ import annotations

import logging
from typing import Any

from mock_langflow.agentic_mcp.context import ToolContext, ToolError
from mock_langflow.agentic_mcp.flow_builder import empty_flow, flow_info
from mock_langflow.agentic_mcp.spec import node_id
from mock_langflow.agentic_mcp.spec import summary as spec_summary

logger = logging.getLogger(__name__)

STARTER_NOT_FOUND = "Starter project '{name}' not found. Available: {available}"
NOTHING_TO_RENAME = "Provide at least name or description"


# --- flow summaries ------------------------------------------------------------------------------------------


def _graph(flow: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = flow.get("data", {})
    return data.get("nodes", []), data.get("edges", [])


def graph_repr(flow: dict[str, Any]) -> str:
    """The flow's graph in one line: its components by type (numbered "#n" when a type repeats), sorted, or its
    connections as "Source -> Target"."""
    nodes, edges = _graph(flow)
    if not nodes:
        return "(empty)"
    labels: dict[Any, str] = {}
    seen: dict[str, int] = {}
    for node in nodes:
        kind = node.get("data", {}).get("type", "?")
        seen[kind] = seen.get(kind, 0) + 1
        labels[node_id(node)] = f"{kind} #{seen[kind]}" if seen[kind] > 1 else kind
    labels = {ident: f"{label} #1" if "#" not in label and seen.get(label, 0) > 1 else label
              for ident, label in labels.items()}
    if not edges:
        return ", ".join(sorted(labels.values()))
    pairs = [(labels.get(e.get("source", "")), labels.get(e.get("target", ""))) for e in edges]
    return ", ".join(f"{source} -> {target}" for source, target in pairs if source and target)


def _created(result: dict[str, Any]) -> dict[str, Any]:
    return {"id": result["id"], "name": result["name"], "description": result.get("description", "")}


async def _copy(ctx: ToolContext, name: str, source: dict[str, Any]) -> dict[str, Any]:
    """POST /flows/ a new flow with `source`'s description and data under `name`."""
    body = {"name": name, "description": source.get("description", ""), "data": source.get("data", {})}
    return _created(await ctx.client.post("/flows/", json_data=body))


# --- the tools -----------------------------------------------------------------------------------------------


async def create_flow(ctx: ToolContext, name: str = "Untitled Flow", description: str = "") -> dict[str, Any]:
    return _created(await ctx.client.post("/flows/", json_data=empty_flow(name, description)))


async def list_flows(ctx: ToolContext, query: str | None = None) -> list[dict[str, Any]]:
    results = []
    for flow in await ctx.client.get("/flows/"):
        name = flow.get("name", "")
        if query and query.lower() not in name.lower():
            continue
        nodes, edges = _graph(flow)
        results.append({"id": flow["id"], "name": name, "description": flow.get("description", ""),
                        "graph": graph_repr(flow), "spec_summary": spec_summary(flow),
                        "node_count": len(nodes), "edge_count": len(edges)})
    return results


async def get_flow_info(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    flow = await ctx.client.get(f"/flows/{flow_id}")
    return {**flow_info(flow), "id": flow_id, "graph": graph_repr(flow), "spec_summary": spec_summary(flow)}


async def delete_flow(ctx: ToolContext, flow_id: str) -> dict[str, str]:
    await ctx.client.delete(f"/flows/{flow_id}")
    return {"deleted": flow_id}


async def duplicate_flow(ctx: ToolContext, flow_id: str, new_name: str | None = None) -> dict[str, Any]:
    flow = await ctx.client.get(f"/flows/{flow_id}")
    return await _copy(ctx, new_name or f"{flow.get('name', 'Untitled')} (copy)", flow)


async def rename_flow(ctx: ToolContext, flow_id: str, name: str | None = None,
                      description: str | None = None) -> dict[str, Any]:
    update = {key: value for key, value in (("name", name), ("description", description)) if value is not None}
    if not update:
        raise ToolError(NOTHING_TO_RENAME)
    result = await ctx.client.patch(f"/flows/{flow_id}", json_data=update)
    return {"id": flow_id, "name": result.get("name", ""), "description": result.get("description", "")}


async def list_starter_projects(ctx: ToolContext) -> list[dict[str, Any]]:
    return [{"name": f.get("name", ""), "description": f.get("description", ""), "graph": graph_repr(f)}
            for f in await ctx.client.get("/flows/basic_examples/")]


async def use_starter_project(ctx: ToolContext, starter_name: str, new_name: str | None = None) -> dict[str, Any]:
    flows = await ctx.client.get("/flows/basic_examples/")
    starter = next((f for f in flows if f.get("name", "").lower() == starter_name.lower()), None)
    if starter is None:
        raise ToolError(STARTER_NOT_FOUND.format(name=starter_name, available=[f.get("name", "") for f in flows]))
    return await _copy(ctx, new_name or starter.get("name", "Untitled"), starter)


async def notify_done(ctx: ToolContext, flow_id: str, summary: str | None = None) -> dict[str, str]:
    """The UI's "agent finished" event; undelivered, a warning result rather than an error."""
    try:
        await ctx.client.post(f"/flows/{flow_id}/events", json_data={"type": "flow_settled", "summary": summary or ""})
    except Exception:
        logger.warning("Failed to post flow_settled event", exc_info=True)
        return {"status": "warning", "flow_id": flow_id,
                "detail": "Event could not be delivered; UI will update after timeout"}
    return {"status": "ok", "flow_id": flow_id}


TOOLS = {tool.__name__: tool for tool in (create_flow, list_flows, get_flow_info, delete_flow, duplicate_flow,
                                          rename_flow, list_starter_projects, use_starter_project, notify_done)}
