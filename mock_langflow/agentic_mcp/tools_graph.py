"""The agentic MCP tools that discover component types and edit a flow's graph (lfx's mcp/server.py): each one
GETs the flow, changes it with flow_builder, PATCHes its data back and posts the flow event the UI waits for,
all through ctx.client with the caller's credentials."""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mock_langflow.agentic_mcp import context
from mock_langflow.agentic_mcp import flow_builder as fb
from mock_langflow.agentic_mcp import registry as reg
from mock_langflow.agentic_mcp import spec as flow_spec

if TYPE_CHECKING:
    from mock_langflow.agentic_mcp.context import ToolContext

PROMPT_TYPES = ("Prompt Template", "Prompt")
_VARIABLE = re.compile(r"\{(\w+)\}")


def _suffix(ctx: ToolContext) -> Callable[[], str]:
    """The app's id maker's node suffixes (MOCK_LANGFLOW_RANDOM_SEED seeds node ids too)."""
    return ctx.ids.node_suffix


async def _flow(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    return await ctx.client.get(f"/flows/{flow_id}")


async def _save(ctx: ToolContext, flow_id: str, flow: dict[str, Any], event: str, summary: str,
                *, relayout: bool = True) -> None:
    if relayout:
        fb.layout(flow)
    await ctx.client.patch(f"/flows/{flow_id}", json_data={"data": flow["data"]})
    await ctx.client.post_event(flow_id, event, summary)


# --- discovery -------------------------------------------------------------------------------------------------


async def search_component_types(ctx: ToolContext, query: str | None = None, category: str | None = None,
                                 output_type: str | None = None) -> list[dict[str, Any]]:
    return reg.search(await ctx.registry(), query=query, category=category, output_type=output_type)


async def describe_component_type(ctx: ToolContext, component_type: str) -> dict[str, Any]:
    return reg.describe(await ctx.registry(), component_type)


async def components(ctx: ToolContext, query: str | None = None, component_type: str | None = None,
                     category: str | None = None, output_type: str | None = None) -> Any:
    if component_type:
        return await describe_component_type(ctx, component_type)
    return await search_component_types(ctx, query=query, category=category, output_type=output_type)


# --- components ------------------------------------------------------------------------------------------------


async def add_component(ctx: ToolContext, flow_id: str, component_type: str) -> dict[str, Any]:
    flow = await _flow(ctx, flow_id)
    added = fb.add_component(flow, component_type, await ctx.registry(), _suffix(ctx))
    await _save(ctx, flow_id, flow, "component_added", f"Added {component_type}")
    return added


async def remove_component(ctx: ToolContext, flow_id: str, component_id: str) -> dict[str, str]:
    flow = await _flow(ctx, flow_id)
    fb.remove_component(flow, component_id)
    await _save(ctx, flow_id, flow, "component_removed", f"Removed {component_id}")
    return {"removed": component_id}


async def configure_component(ctx: ToolContext, flow_id: str, component_id: str,
                              params: dict[str, Any]) -> dict[str, Any]:
    """Values coerced to their field's type; tool_mode and real-time-refresh fields rebuilt by the server's
    /custom_component/update (a failed refresh keeps the value set and warns), the rest set locally."""
    flow = await _flow(ctx, flow_id)
    node = fb.found(flow, component_id)
    template = node["data"].get("node", {}).get("template", {})
    local, warnings = {}, []
    for key, raw in params.items():
        field = template.get(key) if isinstance(template.get(key), dict) else None
        value = fb.coerce(raw, field.get("type") if field else None)
        if field is not None and "load_from_db" in field:
            field["load_from_db"] = False
        if not fb.needs_refresh(template, key):
            local[key] = value
            continue
        if key == "tool_mode":
            enabled = value in (True, "true", "True", "1", 1)
            body = {"field": key, "field_value": enabled, "tool_mode": enabled}
        else:
            if field is None:
                template[key] = {"value": value}
            else:
                field["value"] = value
            body = {"field": key, "field_value": value, "tool_mode": node["data"]["node"].get("tool_mode", False)}
        try:
            updated = await ctx.client.post("/custom_component/update", json_data={
                "code": template.get("code", {}).get("value", ""), "template": template, **body})
        except context.ToolError:
            if key == "tool_mode":
                raise
            warnings.append(f"Field '{key}' was set to '{value}' but the server-side refresh failed. This usually "
                            "means a required credential (like an API key) is not configured on the component "
                            f"yet. Set the credential first, then reconfigure '{key}'.")
            continue
        if not isinstance(updated, dict) or "template" not in updated:
            what = "tool_mode update" if key == "tool_mode" else f"'{key}' update"
            raise context.ToolError(f"Server returned invalid response for {what} on '{component_id}'")
        node["data"]["node"], template = updated, updated["template"]
    if local:
        fb.configure(flow, component_id, local)
    await _save(ctx, flow_id, flow, "component_configured", f"Configured {component_id}", relayout=False)
    result: dict[str, Any] = {"component_id": component_id, "configured": list(params)}
    if warnings:
        result["warnings"] = warnings
    return result


async def list_components(ctx: ToolContext, flow_id: str) -> list[dict[str, Any]]:
    return fb.list_components(await _flow(ctx, flow_id))


async def get_component_info(ctx: ToolContext, flow_id: str, component_id: str,
                             field_name: str | None = None) -> dict[str, Any]:
    flow = await _flow(ctx, flow_id)
    info = fb.component_info(flow, component_id)
    if field_name is None:
        return info
    if field_name not in info["params"]:
        raise context.ToolError(f"Field '{field_name}' not found on component '{component_id}'. "
                        f"Available: {list(info['params'])}")
    field = fb.found(flow, component_id)["data"].get("node", {}).get("template", {}).get(field_name, {})
    return {"component_id": component_id, "field_name": field_name, "value": info["params"][field_name],
            "type": field.get("type", ""), "display_name": field.get("display_name", field_name),
            "required": field.get("required", False), "real_time_refresh": field.get("real_time_refresh", False)}


async def _set_frozen(ctx: ToolContext, flow_id: str, component_id: str, *, frozen: bool) -> dict[str, str]:
    flow = await _flow(ctx, flow_id)
    fb.set_frozen(flow, component_id, frozen=frozen)
    verb = "Froze" if frozen else "Unfroze"
    await _save(ctx, flow_id, flow, "component_configured", f"{verb} {component_id}", relayout=False)
    return {"frozen" if frozen else "unfrozen": component_id}


async def freeze_component(ctx: ToolContext, flow_id: str, component_id: str) -> dict[str, str]:
    return await _set_frozen(ctx, flow_id, component_id, frozen=True)


async def unfreeze_component(ctx: ToolContext, flow_id: str, component_id: str) -> dict[str, str]:
    return await _set_frozen(ctx, flow_id, component_id, frozen=False)


# --- connections -----------------------------------------------------------------------------------------------


async def connect_components(ctx: ToolContext, flow_id: str, source_id: str, source_output: str, target_id: str,
                             target_input: str) -> dict[str, Any]:
    """The toolset output is refused before anything is stored when the source cannot be a Tool; else the
    server puts the source in tool mode (its rebuild adds the tools' metadata field) before the edge is made."""
    flow = await _flow(ctx, flow_id)
    registry = None
    if source_output == fb.TOOL_OUTPUT:
        registry = await ctx.registry()
        fb.ensure_tool_capable(flow, source_id, registry)
        await configure_component(ctx, flow_id, source_id, {"tool_mode": True})
        flow = await _flow(ctx, flow_id)
    fb.connect(flow, source_id, source_output, target_id, target_input, registry)
    await _save(ctx, flow_id, flow, "connection_added", f"Connected {source_id} to {target_id}")
    return {"source_id": source_id, "source_output": source_output, "target_id": target_id,
            "target_input": target_input}


async def disconnect_components(ctx: ToolContext, flow_id: str, source_id: str, target_id: str,
                                source_output: str | None = None, target_input: str | None = None) -> dict[str, Any]:
    flow = await _flow(ctx, flow_id)
    if not (removed := fb.disconnect(flow, source_id, target_id, source_output, target_input)):
        raise context.ToolError(f"No connections found between '{source_id}' and '{target_id}'")
    await _save(ctx, flow_id, flow, "connection_removed", f"Disconnected {source_id} from {target_id}")
    return {"removed_count": removed}


async def layout_flow(ctx: ToolContext, flow_id: str) -> dict[str, str]:
    flow = await _flow(ctx, flow_id)
    await _save(ctx, flow_id, flow, "flow_updated", "Re-laid out flow")
    return {"laid_out": flow_id}


async def export_flow(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    """The flow's id, name, description and data, every set credential masked."""
    flow = await _flow(ctx, flow_id)
    data = flow.get("data", {})
    if "nodes" in data:
        data = {**data, "nodes": [{**node, "data": fb.redacted_node(node.get("data", {}))} for node in data["nodes"]]}
    return {"id": flow_id, "name": flow.get("name", ""), "description": flow.get("description", ""), "data": data}


# --- specs -----------------------------------------------------------------------------------------------------


async def _build_from(ctx: ToolContext, flow_id: str, parsed: dict[str, Any]) -> dict[str, str]:
    """The spec's nodes added, configured, given their prompt variables and connected, one tool at a time (each
    its own PATCH, as lfx); the spec's ids -> the new component ids."""
    id_map = {node["id"]: (await add_component(ctx, flow_id, node["type"]))["id"] for node in parsed["nodes"]}
    for spec_id, params in parsed["config"].items():
        await configure_component(ctx, flow_id, id_map[spec_id], params)
    await _prompt_variables(ctx, flow_id, parsed, id_map)
    for edge in parsed["edges"]:
        await connect_components(ctx, flow_id, id_map[edge["source_id"]], edge["source_output"],
                                 id_map[edge["target_id"]], edge["target_input"])
    return id_map


async def _prompt_variables(ctx: ToolContext, flow_id: str, parsed: dict[str, Any], id_map: dict[str, str]) -> None:
    """A field per {variable} of a prompt node's template (as the editor makes them), so edges can reach them."""
    prompts = [id_map[node["id"]] for node in parsed["nodes"] if node["type"] in PROMPT_TYPES]
    if not prompts:
        return
    flow = await _flow(ctx, flow_id)
    changed = False
    for component_id in prompts:
        if (node := fb.find(flow, component_id)) is None:
            continue
        template = node["data"].get("node", {}).get("template", {})
        text = template["template"].get("value", "") if isinstance(template.get("template"), dict) else ""
        if not text:
            continue
        variables = _VARIABLE.findall(text)
        for name in variables:
            if name not in template:
                template[name] = prompt_variable_field(name)
                changed = True
        node["data"]["node"].setdefault("custom_fields", {})["template"] = variables
    if changed:
        await ctx.client.patch(f"/flows/{flow_id}", json_data={"data": flow["data"]})


def prompt_variable_field(name: str) -> dict[str, Any]:
    return {"_input_type": "MessageInput", "advanced": False, "display_name": name, "dynamic": False, "info": "",
            "input_types": ["Message"], "list": False, "load_from_db": False, "name": name, "placeholder": "",
            "required": False, "show": True, "title_case": False, "tool_mode": False, "trace_as_metadata": True,
            "type": "str", "value": ""}


def other_tool(name: str) -> Callable[..., Any]:
    """A flow or run tool the spec tools call (create_flow, delete_flow, get_flow_info in tools_flows,
    validate_flow in tools_run); imported on use, as those modules reach back here for batch."""
    from mock_langflow.agentic_mcp import tools_flows, tools_run

    tools: dict[str, Callable[..., Any]] = {**tools_flows.TOOLS, **tools_run.TOOLS}
    return tools[name]


async def create_flow_from_spec(ctx: ToolContext, spec: str, validate: bool = True) -> dict[str, Any]:
    """A new flow built from the spec; when validation (a build) fails, or any step does, the flow is deleted
    again and the error stands."""
    parsed = flow_spec.parse(spec)
    flow_spec.check_references(parsed)
    created = await other_tool("create_flow")(ctx, name=parsed.get("name", "Untitled Flow"),
                                               description=parsed.get("description", ""))
    flow_id = created["id"]
    try:
        id_map = await _build_from(ctx, flow_id, parsed)
        if validate:
            checked = await other_tool("validate_flow")(ctx, flow_id=flow_id)
            if not checked.get("valid", False):
                detail = "; ".join(e.get("error", "Unknown") for e in checked.get("errors", []))
                raise context.ToolError(f"Flow validation failed: {detail}")
    except Exception:
        await ctx.client.post_event(flow_id, "flow_settled", "Failed, rolling back")
        with contextlib.suppress(Exception):  # best effort, as lfx's rollback
            await other_tool("delete_flow")(ctx, flow_id=flow_id)
        raise
    await ctx.client.post_event(flow_id, "flow_settled", "Created flow from spec")
    return {**await other_tool("get_flow_info")(ctx, flow_id=flow_id), "node_id_map": id_map}


async def update_flow_from_spec(ctx: ToolContext, flow_id: str, spec: str) -> dict[str, Any]:
    """The flow emptied (and renamed / described when the spec says) then rebuilt from the spec; on a failure
    its former nodes and edges are put back."""
    parsed = flow_spec.parse(spec)
    flow_spec.check_references(parsed)
    flow = await _flow(ctx, flow_id)
    before = copy.deepcopy(flow["data"])
    flow["data"]["nodes"], flow["data"]["edges"] = [], []
    emptied = {"data": flow["data"], **{key: parsed[key] for key in ("name", "description") if parsed.get(key)}}
    await ctx.client.patch(f"/flows/{flow_id}", json_data=emptied)
    try:
        id_map = await _build_from(ctx, flow_id, parsed)
    except Exception:
        await ctx.client.post_event(flow_id, "flow_settled", "Update failed, restoring")
        with contextlib.suppress(Exception):  # best effort, as lfx's restore
            await ctx.client.patch(f"/flows/{flow_id}", json_data={"data": before})
        raise
    await ctx.client.post_event(flow_id, "flow_settled", "Updated flow from spec")
    return {**await other_tool("get_flow_info")(ctx, flow_id=flow_id), "node_id_map": id_map}


TOOLS: dict[str, Callable[..., Any]] = {tool.__name__: tool for tool in (
    add_component, remove_component, configure_component, list_components, get_component_info,
    search_component_types, describe_component_type, components, connect_components, disconnect_components,
    create_flow_from_spec, update_flow_from_spec, export_flow, freeze_component, unfreeze_component, layout_flow)}
