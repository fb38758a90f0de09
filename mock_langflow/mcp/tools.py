"""Flows as MCP tools: the tool list (name, description, input schema) and `tools/call`, which runs the
flow through the same runner and scripted LLM as POST /api/v1/run and answers with its text.

A project's server lists the project's MCP-enabled flows under their action names; the global server
lists every flow of the caller under its flow name, with "<flow id>: <description>" as description
(mcp_project_streamable_tools_list, mcp_streamable_tools_list). Both are sorted by flow id. Before 1.13 the
lists hold every user's flows (profile mcp.tool_list), while tools/call finds only the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_DNS, UUID, uuid5

from mock_langflow import errors
from mock_langflow.engine.graph import Node, asks_a_human, graph_fault, parse_graph
from mock_langflow.engine.runner import (
    CatalogBlocked,
    Disconnect,
    NeedsHuman,
    RunError,
    RunRequest,
    RunResult,
    declares_api_editable,
    failed_before_graph,
    global_var_headers,
    graph_error_text,
    memory_capture,
    refused_for_visitors,
    refused_tweaks,
    serving_scope,
)
from mock_langflow.engine.scrubbing import visitor_graph
from mock_langflow.mcp.naming import MAX_MCP_TOOL_NAME_LENGTH, sanitize_mcp_name, unique_name
from mock_langflow.state import AppState
from mock_langflow.store.models import FlowRow

if TYPE_CHECKING:  # the MCP SDK is imported when an MCP route is first used, not at start-up
    from mcp import types

# A vertex is an input when its id names one of these components, as in Langflow's graph.
INPUT_COMPONENTS = ("ChatInput", "Webhook", "TextInput")
# The field that carries the chat message is always offered, whatever the flow's API allowlist says.
ALWAYS_EXPOSED = frozenset({"input_value"})
SESSION_ID_PROPERTY = {
    "type": "string",
    "description": "Optional session identifier used to persist conversation history across tool calls. "
    "Omit to start a new session.",
}
DISCONNECTED = "the scripted reply dropped the connection"

# A template field's type -> its JSON Schema type; unknown field types are strings.
_JSON_TYPES = {
    "str": "string", "string": "string", "int": "integer", "integer": "integer", "float": "number",
    "number": "number", "slider": "number", "bool": "boolean", "boolean": "boolean", "dict": "object",
    "NestedDict": "object", "duration": "object", "auth": "object", "mcp": "object", "data_display": "object",
    "object": "object", "array": "array",
}
# Field types whose value is a list of these.
_ARRAY_ITEMS = {"sortableList": "object", "actionPicker": "string", "table": "object", "tools": "object",
                "model": "object"}


# --- input schemas -------------------------------------------------------------------------------------


def input_nodes(data: dict[str, Any] | None) -> list[Node]:
    """The flow's input vertices; a flow whose data is not a graph (no nodes and edges) has none (a ValueError)."""
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise ValueError("Invalid payload. Expected keys 'nodes' and 'edges'.")
    return [n for n in parse_graph(data).nodes if any(name in n.id for name in INPUT_COMPONENTS)]


def _visible(field: Any) -> bool:
    return isinstance(field, dict) and bool(field.get("show", False)) and not field.get("advanced", False)


def _exposed(name: str, field: Any, allowlist: bool) -> bool:
    if not _visible(field):
        return False
    return not allowlist or name in ALWAYS_EXPOSED or field.get("api_editable") is True


def _schema_type(field: dict[str, Any]) -> dict[str, Any]:
    kind = field.get("type", "string")
    kind = kind if isinstance(kind, str) else "string"  # a stored flow's field may hold anything
    if kind in _ARRAY_ITEMS:
        return {"type": "array", "items": {"type": _ARRAY_ITEMS[kind]}}
    json_type = _JSON_TYPES.get(kind, "string")
    if field.get("list") is True or field.get("is_list") is True:
        return {"type": "array", "items": {"type": json_type}}
    return {"type": json_type}


def input_schema(data: dict[str, Any] | None, *, honor_allowlist: bool = True) -> dict[str, Any]:
    """The tool's inputSchema: every exposed (shown, not advanced) field of the input vertices, described
    by its `info`, plus an optional session_id. An A2A card's (not `honor_allowlist`) ignores api_editable. A flow
    whose data is not a graph, or lacks a part Langflow's graph loader reads (graph_fault: every release makes the
    schema from Graph.from_payload), has none (a ValueError), and Langflow leaves it out of the tool list. (A call
    of such a tool fails in its run's own graph check.)"""
    nodes = input_nodes(data)
    if (fault := graph_fault(data)) is not None:
        raise ValueError(fault)
    allowlist = honor_allowlist and declares_api_editable(nodes)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for node in nodes:
        for name, field in node.template.items():
            if _exposed(name, field, allowlist):
                # an `info` that is no string (a stored flow's field may hold anything) would make the schema
                # invalid, and every call of the tool fail: such a field is described as one without an `info`
                info = field.get("info")
                description = info if isinstance(info, str) else f"Input for {name}"
                properties[name] = {**_schema_type(field), "description": description}
                if field.get("required", False):
                    required.append(name)
    properties.setdefault("session_id", dict(SESSION_ID_PROPERTY))
    return {"type": "object", "properties": properties, "required": required}


def input_tweaks(data: dict[str, Any] | None, arguments: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Tool arguments other than input_value and session_id, as tweaks of the input vertices that expose
    a field of that name; arguments the schema does not offer are dropped."""
    try:
        nodes = input_nodes(data)
    except ValueError:
        return {}
    allowlist = declares_api_editable(nodes)
    tweaks: dict[str, dict[str, Any]] = {}
    for node in nodes:
        values = {name: arguments[name] for name, field in node.template.items()
                  if name in arguments and _exposed(name, field, allowlist)}
        if values:
            tweaks[node.id] = values
    return tweaks


# --- listing -----------------------------------------------------------------------------------------


def _base_name(flow: FlowRow, project_id: UUID | None) -> str:
    """A project's tools go by action name when the flow has one; the global server's by flow name."""
    if project_id is not None and flow.action_name:
        return sanitize_mcp_name(flow.action_name)
    return sanitize_mcp_name(flow.name)


def _description(flow: FlowRow, project_id: UUID | None, name: str) -> str:
    if project_id is not None:
        return flow.action_description or flow.description or f"Tool generated from flow: {name}"
    return f"{flow.id}: {flow.description}" if flow.description else f"Tool generated from flow: {name}"


# Where 1.13 reports, in a project's tools/list `_meta`, the flows it could not make tools of.
EXCLUDED_FLOWS_META_KEY = "langflow.org/excluded-flows"


def _name_map(flows: list[FlowRow], project_id: UUID | None) -> dict[str, FlowRow]:
    """1.13's tool names (profile mcp.tool_names "name-map"): in flow-id order, each flow takes its base name,
    or the first free numbered one; `tools/list` publishes and `tools/call` resolves these same names."""
    names: dict[str, FlowRow] = {}
    for flow in flows:
        names[unique_name(_base_name(flow, project_id), MAX_MCP_TOOL_NAME_LENGTH, names)] = flow
    return names


def collect_tools(state: AppState, *, user_id: UUID, project_id: UUID | None
                  ) -> tuple[list[types.Tool], list[dict[str, str]]]:
    """The tools, and the flows left out because their data is no graph. In 1.13 a flow left out still holds
    its name; before, the next flow may take it."""
    from mcp import types

    tools: list[types.Tool] = []
    excluded: list[dict[str, str]] = []
    holds = state.profile.mcp.tool_names == "name-map"
    taken: set[str] = set()
    whose = user_id if state.profile.mcp.tool_list == "caller-scoped" else None  # before 1.13: everyone's
    by_id = state.profile.mcp.tool_order == "id"
    for flow in state.store.mcp.tool_flows(user_id=whose, project_id=project_id, by_id=by_id):
        name = unique_name(_base_name(flow, project_id), MAX_MCP_TOOL_NAME_LENGTH, taken)
        if holds:
            taken.add(name)
        try:
            schema = input_schema(flow.data)
            schema["properties"] = state.profile.strip("McpToolInput", schema["properties"])
        except ValueError:
            excluded.append({"flow_id": str(flow.id), "tool_name": name, "reason": "ValueError"})
            continue
        tools.append(types.Tool(name=name, description=_description(flow, project_id, name), inputSchema=schema))
        taken.add(name)
    return tools, excluded


def list_tools(state: AppState, *, user_id: UUID, project_id: UUID | None) -> list[types.Tool]:
    return collect_tools(state, user_id=user_id, project_id=project_id)[0]


def list_tools_result(state: AppState, *, user_id: UUID, project_id: UUID | None) -> types.ListToolsResult:
    """tools/list. In 1.13 a project's answer names in `_meta` the flows it left out, and is an error when
    it left out every one (an empty list would read as "no tools configured")."""
    from mcp import types

    tools, excluded = collect_tools(state, user_id=user_id, project_id=project_id)
    result = types.ListToolsResult(tools=tools)
    if project_id is None or not excluded or state.profile.mcp.tool_names != "name-map":
        return result
    if not tools:
        raise RuntimeError(errors.mcp_no_tools_built(excluded))
    result.meta = {EXCLUDED_FLOWS_META_KEY: excluded}
    return result


# --- calling -----------------------------------------------------------------------------------------


def _texts(result: RunResult) -> list[str]:
    """Each output vertex's chat message and result text, each distinct text once, in order."""
    seen: list[str] = []
    for vertex in result.outputs():
        message = vertex.primary.message
        if vertex.node.kind == "chat_output" and message is not None and message.text:
            seen.append(message.text)
        seen.append(vertex.primary.as_text)
    return list(dict.fromkeys(seen))


def public_session(session_id: str, *, project_id: UUID | None, connection: str, flow_id: UUID) -> str:
    """1.13 keeps a visitor's session under a namespace of its MCP connection (a uuid5 as the public build's
    virtual flow id, of "client:mcp:<project>:<connection>_<flow>"): "<namespace>:<session id>"."""
    namespace = str(uuid5(NAMESPACE_DNS, f"client:mcp:{project_id}:{connection}_{flow_id}"))
    if session_id == namespace or session_id.startswith(f"{namespace}:"):
        return session_id
    return f"{namespace}:{session_id}"


AUTH_HEADERS = ("x-api-key", "authorization")


def request_variables(state: AppState, headers: Mapping[str, str] | None) -> dict[str, str]:
    """What a project transport's request gives its tool runs as request variables (profile mcp.request_variables):
    each X-LANGFLOW-GLOBAL-VAR-<NAME> header under its upper-cased NAME, as /run takes them, and in 1.13 the
    x-api-key and authorization headers under those lower-case names."""
    kind = state.profile.mcp.request_variables
    if headers is None or kind == "none":
        return {}
    found = global_var_headers(headers)
    if kind == "with-auth":
        found.update((key.lower(), value) for key, value in headers.items() if key.lower() in AUTH_HEADERS)
    return found


async def call_tool(state: AppState, *, user_id: UUID, project_id: UUID | None, name: str,
                    arguments: dict[str, Any], public: bool = False, connection: str = "",
                    variables: dict[str, str] | None = None,
                    headers: Mapping[str, str] | None = None) -> list[types.TextContent]:
    """Run the flow named `name` as the caller, like a non-streamed /run, and answer with its text. A
    `public` call (a project whose auth is "none") refuses a flow no visitor may run (one holding code of a type
    the server has none for too; a Custom Component runs the server's template), as 1.13's does, after
    refusing one that would pause for a person; its session id goes under its `connection`'s namespace, and it
    runs as 1.13's anonymous principal, so no global variable of the owner's is loaded, on a graph whose secret
    fields lost their values (a field loading a request variable keeps its name). `variables`: the request
    variables of a project transport's request, which fields loading a global variable take first; `headers`:
    that request's, naming 1.13's serving-plane end user the run is scoped to (a required one missing fails the
    call with the 401's text).

    Errors are raised: the SDK turns them into a result with isError true and the error as its text.
    Deviation: a scripted dropped connection cannot drop the MCP response (another task writes it), so it
    fails the tool call instead.
    """
    from mcp import types

    by_id = state.profile.mcp.tool_order == "id"
    if state.profile.mcp.tool_names == "name-map":
        flows = state.store.mcp.callable_flows(user_id=user_id, project_id=project_id, by_id=by_id)
        flow = _name_map(flows, project_id).get(name)
    else:  # before 1.13: the first of all the caller's flows whose base name it is, then its project checked
        flows = state.store.mcp.callable_flows(user_id=user_id, project_id=None, by_id=by_id)
        flow = next((f for f in flows if _base_name(f, project_id) == name), None)
        if flow is not None and project_id is not None and flow.folder_id != project_id:
            raise ValueError(errors.mcp_tool_elsewhere(name, project_id))
    if flow is None:
        raise ValueError(errors.mcp_tool_not_found(name))
    if state.profile.run.hitl_refused and asks_a_human(flow.data):
        raise RuntimeError(errors.HITL_UNSUPPORTED)
    if public and isinstance(flow.data, dict) and refused_for_visitors(flow.data.get("nodes")):
        raise RuntimeError(errors.MCP_PUBLIC_FLOW_REFUSED)
    inputs = dict(arguments)
    session_id = str(inputs.pop("session_id", None) or state.ids.uuid())
    if public:
        session_id = public_session(session_id, project_id=project_id, connection=connection, flow_id=flow.id)
    input_value = inputs.pop("input_value", "")
    if (refused := errors.mcp_input_value_refused(input_value, state.profile.validation.pydantic_docs)) is not None:
        raise ValueError(refused)  # 1.13's run request takes no other type: a schema without the field let it in
    data = flow.data
    if public and isinstance(data, dict):  # 1.13 runs the server's code, without secrets, for a visitor
        data = visitor_graph(data, variables)
        if data is None:
            raise RuntimeError(errors.MCP_PUBLIC_FLOW_REFUSED)
    from mock_langflow.routers.flows import component_blocks  # (the routers import this module)

    tweaks = input_tweaks(flow.data, inputs) if inputs else {}
    # 1.13: the extra arguments are tweaks, refused as a /run's are (the floor, LANGFLOW_TWEAKS_POLICY)
    if state.profile.run.tweak_floor and (refused := refused_tweaks(data, tweaks, policy=state.runner.tweaks_policy)):
        raise RuntimeError(errors.mcp_tool_failed(flow.name, refused))
    run = RunRequest(flow_id=flow.id, flow_name=flow.name, endpoint_name=flow.endpoint_name, data=data,
                     user_id=user_id, session_id=session_id,
                     input_value=input_value,
                     tweaks=tweaks,
                     global_vars=dict(variables or {}), refuse_hitl=state.profile.run.hitl_refused,
                     anonymous=public, variable_fields=state.variable_fields(None if public else user_id),
                     memory_capture=memory_capture(flow.user_id, user_id, fires=not public),
                     file_access_check=True, graph_check=True, catalog_blocked=component_blocks(state))
    if headers is not None:
        try:
            run.scoped(serving_scope(state, headers, session_id, str(flow.id)))
        except errors.Unauthorized as exc:  # Langflow's HTTPException, as its text reads
            raise RuntimeError(errors.mcp_tool_failed(flow.name, f"{exc.status_code}: {exc.detail}")) from exc
    try:
        result = await state.runner.run(run)
    except NeedsHuman as exc:
        raise RuntimeError(exc.reason) from exc
    except RunError as exc:
        return _run_failed(state, flow.name, exc, public=public)
    except Disconnect as exc:
        raise RuntimeError(errors.mcp_tool_failed(flow.name, DISCONNECTED)) from exc
    return [types.TextContent(type="text", text=text) for text in _texts(result)]


def _run_failed(state: AppState, flow_name: str, exc: RunError, *, public: bool) -> list[types.TextContent]:
    """How a failed run ends a tools/call (profile mcp.tool_failures). 1.13 raises, so the call is an error result:
    a component's failure reads as the 500 its run raises, "500: <the /run error body>", whose message a visitor
    is not shown ("Workflow execution failed."); a flow without data is refused before the run, its text as is.
    Before, the failure's text is the call's content, and the call no error."""
    from mcp import types

    if isinstance(exc, CatalogBlocked):  # a visitor's call too
        raise RuntimeError(errors.mcp_tool_blocked(flow_name, exc)) from exc
    if state.profile.mcp.tool_failures == "content":
        return [types.TextContent(type="text", text=errors.mcp_tool_failed(flow_name, graph_error_text(exc)))]
    if failed_before_graph(exc):  # refused before the run: shown to anyone
        raise RuntimeError(errors.mcp_tool_failed(flow_name, exc)) from exc
    message = errors.SAFE_WORKFLOW_ERROR if public else graph_error_text(exc)
    raise RuntimeError(errors.mcp_tool_failed(flow_name, errors.mcp_run_500(message))) from exc
