"""Flows built as the agentic MCP tools build them (lfx's lfx/graph/flow_builder): nodes made from the registry's
templates, field values checked and set, edges written as the flow editor writes them, nodes laid out in columns.

Pure functions over a flow's JSON ({"name", "description", "data": {"nodes", "edges", "viewport"}}); a refusal
raises context.ToolError with lfx's text and leaves the flow as it was."""

from __future__ import annotations

import copy
import json
import math
from collections import defaultdict, deque
from collections.abc import Callable
from numbers import Real
from typing import Any

from mock_langflow.agentic_mcp import context
from mock_langflow.agentic_mcp.registry import REDACTED, is_sensitive, loop_accepts, unknown_type
from mock_langflow.agentic_mcp.spec import node_id
from mock_langflow.compact import handle_text
from mock_langflow.engine.edges import MIGRATIONS, compatible

TOOL_OUTPUT = "component_as_tool"
# The columns of the layout: canvas nodes are 384 px wide.
COLUMN_X, ROW_Y = 480, 350
_DATA_LIKE = {"Data", "JSON", "DataFrame", "Table"}
# Values whose options are scalar but whose value is not (a duration's unit).
_STRUCTURED = {"duration"}
_TRUTHY, _FALSY = {"true", "yes", "1", "on"}, {"false", "no", "0", "off", ""}


def empty_flow(name: str = "Untitled Flow", description: str = "") -> dict[str, Any]:
    return {"name": name, "description": description,
            "data": {"nodes": [], "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}}}


def find(flow: dict[str, Any], component_id: str) -> dict[str, Any] | None:
    return next((node for node in flow.get("data", {}).get("nodes", []) if node_id(node) == component_id), None)


def found(flow: dict[str, Any], component_id: str, missing: str = "Component not found: {}") -> dict[str, Any]:
    if (node := find(flow, component_id)) is None:
        raise context.ToolError(missing.format(component_id))
    return node


# --- components ------------------------------------------------------------------------------------------------


def add_component(flow: dict[str, Any], component_type: str, registry: dict[str, dict],
                  suffix: Callable[[], str]) -> dict[str, str]:
    """A node of the type's template, id `<Type>-<5 letters or digits>`, its outputs given the keys the canvas
    needs; a type the user made (`custom`) shows as CustomComponent and keeps its registry type aside."""
    if component_type not in registry:
        raise context.ToolError(unknown_type(registry, component_type))
    cid = f"{component_type}-{suffix()}"
    template = copy.deepcopy(registry[component_type])
    for output in template.get("outputs") or []:
        if isinstance(output, dict):
            for key in ("hidden", "options", "required_inputs"):
                output.setdefault(key, False if key == "hidden" else None)
    custom = template.pop("custom", False) is True
    data: dict[str, Any] = {"id": cid, "type": "CustomComponent" if custom else component_type, "node": template,
                            "showNode": True}
    if custom:
        data.update({"_flow_builder_registry_type": component_type, "_flow_builder_untrusted_custom": True})
    flow["data"]["nodes"].append({"id": cid, "type": "genericNode", "position": {"x": 0, "y": 0},
                                  "selected": False, "data": data})
    return {"id": cid, "display_name": template.get("display_name", component_type)}


def remove_component(flow: dict[str, Any], component_id: str) -> None:
    found(flow, component_id)
    data = flow["data"]
    data["nodes"] = [node for node in data["nodes"] if node_id(node) != component_id]
    data["edges"] = [edge for edge in data["edges"] if component_id not in (edge.get("source"), edge.get("target"))]


def list_components(flow: dict[str, Any]) -> list[dict[str, str]]:
    return [_summary(node) for node in flow.get("data", {}).get("nodes", [])]


def _summary(node: dict[str, Any], untyped: str = "") -> dict[str, str]:
    """A node's id, display name (else its type, else `untyped`) and type."""
    data = node.get("data", {})
    return {"id": node_id(node), "display_name": data.get("node", {}).get("display_name", data.get("type", untyped)),
            "type": data.get("type", "")}


def component_info(flow: dict[str, Any], component_id: str) -> dict[str, Any]:
    """The node's field values (a credential's shown as ***REDACTED*** when set) and outputs."""
    node = found(flow, component_id)
    config = node.get("data", {}).get("node", {})
    params = {name: field.get("value") for name, field in config.get("template", {}).items()
              if isinstance(field, dict)}
    params = {name: REDACTED if is_sensitive(name) and value else value for name, value in params.items()}
    return {**_summary(node), "params": params, "outputs": config.get("outputs", [])}


def redacted_node(data: dict[str, Any]) -> dict[str, Any]:
    """A node's data with the set credentials of its template masked (export)."""
    if "template" not in data.get("node", {}):
        return {**data}
    template = {name: {**field, "value": REDACTED} if isinstance(field, dict) and is_sensitive(name)
                and field.get("value") else ({**field} if isinstance(field, dict) else field)
                for name, field in data["node"]["template"].items()}
    return {**data, "node": {**data["node"], "template": template}}


# --- configuring -----------------------------------------------------------------------------------------------


def coerce(value: Any, field_type: str | None) -> Any:
    """A value as the field's declared type takes it (str, int, float, bool); anything else as it is."""
    if value is None or field_type not in ("str", "int", "float", "bool"):
        return value
    if field_type == "str":
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value) if isinstance(value, int | float) else value
    if field_type == "bool":
        if isinstance(value, bool | int | float):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUTHY | _FALSY:
            return value.strip().lower() in _TRUTHY
        return value
    if isinstance(value, bool):
        return int(value) if field_type == "int" else float(value)
    if field_type == "int" and isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str | int | float):
        try:
            return int(value) if field_type == "int" else float(value)
        except ValueError:
            return value
    return value


def needs_refresh(template: dict[str, Any], field: str) -> bool:
    """tool_mode, or a field the server rebuilds the node for (real_time_refresh)."""
    return field == "tool_mode" or (isinstance(template.get(field), dict)
                                    and bool(template[field].get("real_time_refresh")))


def configure(flow: dict[str, Any], component_id: str, params: dict[str, Any]) -> None:
    """Set field values: every one checked first (a known field, one of closed options, a number in range), then
    all set, each as a literal (load_from_db off); a model field's JSON/YAML text read as its list first."""
    node = found(flow, component_id)
    template = node["data"].get("node", {}).get("template", {})
    fields = [name for name, field in template.items() if isinstance(field, dict)]
    values: dict[str, Any] = {}
    for name, value in params.items():
        if name not in template:
            raise context.ToolError(f"Unknown parameter '{name}' on component '{component_id}'. Available: {fields}")
        if not isinstance(template[name], dict):
            raise context.ToolError(f"Parameter '{name}' on component '{component_id}' is not a configurable field "
                            f"(reserved template entry). Available: {fields}")
        values[name] = _model_value(value) if template[name].get("type") == "model" else value
    proposed = {name: template[name].get("value") for name in fields} | values
    options = {name: _conditional(field, proposed) for name, field in template.items()
               if isinstance(field, dict) and field.get("conditional_options")}
    zero_ok = node["data"].get("type") in ("Agent", "LanguageModelComponent")
    for name in values:
        field = template[name] if name not in options else {**template[name], "options": options[name]}
        _check(name, field, proposed[name], allow_zero=zero_ok and name == "max_tokens")
    params.update(values)
    for name, choices in options.items():
        template[name]["options"] = choices
    for name, value in values.items():
        template[name]["value"] = value
        if "load_from_db" in template[name]:
            template[name]["load_from_db"] = False


def _conditional(field: dict[str, Any], values: dict[str, Any]) -> Any:
    """The options of the first conditional rule whose `when` all hold, else the field's own."""
    for rule in field.get("conditional_options") or []:
        if not isinstance(rule, dict) or not isinstance(rule.get("when"), dict):
            raise context.ToolError(f"Invalid conditional_options rule: {rule!r}")
        if all(values.get(name) == expected for name, expected in rule["when"].items()):
            return rule.get("options")
    return field.get("options")


def _check(name: str, field: dict[str, Any], value: Any, *, allow_zero: bool) -> None:
    if value is None:
        return
    invalid = f"Invalid value for parameter '{name}': {{!r}}. Expected "
    options = field.get("options")
    scalar_options = (isinstance(options, list) and field.get("type") not in _STRUCTURED
                      and all(o is None or isinstance(o, str | int | float | bool) for o in options))
    if scalar_options and field.get("list") and not isinstance(value, list):
        raise context.ToolError(invalid.format(value) + "a list")
    if not field.get("conditional_options") and value == field.get("value"):
        return
    if scalar_options and (options or field.get("conditional_options")) and not field.get("combobox"):
        accepted = list(options)
        if field.get("type") == "tab":
            accepted += ["", *(old for old, new in MIGRATIONS.items() if new in options)]
        bad = [item for item in (value if field.get("list") and isinstance(value, list) else [value])
               if item not in accepted]
        if bad:
            raise context.ToolError(invalid.format(bad[0]) + f"one of: {options!r}")
    bounds = field.get("range_spec")
    if not isinstance(bounds, dict):
        return
    if not isinstance(value, Real) or isinstance(value, bool):
        raise context.ToolError(invalid.format(value) + "a number")
    if not isinstance(value, int) and not math.isfinite(value):
        raise context.ToolError(invalid.format(value) + "a finite number")
    if allow_zero and value == 0:
        return
    low, high = bounds.get("min"), bounds.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{low}..{high}" if low is not None and high is not None else "the configured range"
        raise context.ToolError(invalid.format(value) + f"a value in {span}")


def _model_value(value: Any) -> Any:
    """A model field's value as a list of {provider, name}: from JSON or YAML text, a dict, or a list whose
    entries may hide such text in their name; a bare model name stays as it is."""
    if isinstance(value, list):
        return [_model_entry(item) for item in value]
    if isinstance(value, dict):
        return [_model_entry(value)]
    parsed = _structured(value) if isinstance(value, str) else None
    if isinstance(parsed, dict):
        return [_model_entry(parsed)]
    return [_model_entry(item) for item in parsed] if isinstance(parsed, list) else value


def _model_entry(item: Any) -> Any:
    parsed = _structured(item["name"]) if isinstance(item, dict) and isinstance(item.get("name"), str) else None
    if isinstance(parsed, list) and parsed and isinstance(parsed[0], dict):
        return parsed[0]
    return parsed if isinstance(parsed, dict) else item


def _structured(text: str) -> Any:
    """JSON, else YAML, of text that looks like a mapping or list; None for a bare name."""
    text = (text or "").strip()
    if not (text.startswith(("{", "[", "- ")) or (": " in text and "\n" in text)):
        return None
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        import yaml

        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError:
            return None
    return parsed if isinstance(parsed, dict | list) else None


def set_frozen(flow: dict[str, Any], component_id: str, *, frozen: bool) -> None:
    config = found(flow, component_id).get("data", {}).get("node")
    if config is None:
        raise context.ToolError(f"Component '{component_id}' has malformed data (missing 'node' key)")
    config["frozen"] = frozen


# --- connections -----------------------------------------------------------------------------------------------


def _conversion_hint(source: str, output: str, produced: list[str], target: str, field: str,
                     accepted: list[str]) -> str:
    """The converter to put between a Data-like output and a Message input, or the other way round."""
    if "Message" in accepted and _DATA_LIKE & set(produced):
        return (f" Fix: insert a ParserComponent between them \u2014 {source}.{output} -> "
                f"ParserComponent.input_data, ParserComponent.parsed_text -> {target}.{field}.")
    if "Message" in produced and _DATA_LIKE & set(accepted):
        converted = "data_output" if {"Data", "JSON"} & set(accepted) else "dataframe_output"
        return (f" Fix: insert a TypeConverterComponent between them \u2014 {source}.{output} -> "
                f"TypeConverterComponent.input_data, TypeConverterComponent.{converted} -> {target}.{field}.")
    return ""


def _declares_tool_mode(config: dict[str, Any]) -> bool:
    return bool(config.get("add_tool_output")) or any(
        isinstance(field, dict) and field.get("tool_mode") for field in config.get("template", {}).values())


def ensure_tool_capable(flow: dict[str, Any], component_id: str, registry: dict[str, dict] | None) -> dict:
    """The node's data when it can be wrapped as a Tool (it, or its type in the registry, says so)."""
    data = found(flow, component_id, "Component not found in flow: {}")["data"]
    entry = (registry or {}).get(data.get("type")) if isinstance(data.get("type"), str) else None
    if not (_declares_tool_mode(data.get("node", {})) or (isinstance(entry, dict) and _declares_tool_mode(entry))):
        raise context.ToolError(
            f"Cannot connect '{component_id}.{TOOL_OUTPUT}': this component does not support tool mode - none of "
            "its inputs declare tool_mode=True and it does not set add_tool_output. If this component IS "
            "tool-capable (RunFlow, for example), this node's template predates the capability flag: refresh the "
            "component to restore it. Otherwise pick a different output.")
    return data


def _tool_mode_on(flow: dict[str, Any], component_id: str, registry: dict[str, dict] | None) -> None:
    """The node in tool mode: its outputs replaced by the one Toolset output (kept when already there)."""
    config = ensure_tool_capable(flow, component_id, registry).setdefault("node", {})
    if config.get("tool_mode") and any(o.get("name") == TOOL_OUTPUT for o in config.get("outputs", [])):
        return
    config["tool_mode"] = True
    config["outputs"] = [{"allows_loop": False, "cache": True, "display_name": "Toolset", "group_outputs": False,
                          "hidden": False, "method": "to_toolkit", "name": TOOL_OUTPUT, "options": None,
                          "required_inputs": None, "selected": "Tool", "tool_mode": True, "types": ["Tool"],
                          "value": "__UNDEFINED__"}]


def _output_types(flow: dict[str, Any], component_id: str, output_name: str) -> list[str]:
    outputs = found(flow, component_id, "Component not found in flow: {}")["data"].get("node", {}).get("outputs", [])
    for output in outputs:
        if output.get("name") == output_name:
            return output.get("types", ["Message"])
    raise context.ToolError(f"Output '{output_name}' not found on component '{component_id}'. "
                    f"Available: {[o.get('name') for o in outputs]}")


def _target(flow: dict[str, Any], component_id: str, port: str) -> dict[str, Any]:
    """The target handle of an input field, else of a loop output of that name (the loop's feedback port)."""
    data = found(flow, component_id, "Component not found in flow: {}")["data"]
    config = data.get("node", {})
    field = config.get("template", {}).get(port)
    if isinstance(field, dict) and field:
        return {"fieldName": port, "id": component_id, "inputTypes": field.get("input_types", ["Message"]),
                "type": field.get("type", "str")}
    for output in config.get("outputs", []):
        if output.get("name") == port and output.get("allows_loop"):
            data_type = data.get("type") or (component_id.rsplit("-", 1)[0] if "-" in component_id else "")
            return {"dataType": data_type, "id": component_id, "name": port, "output_types": loop_accepts(output)}
    inputs = [name for name, f in config.get("template", {}).items() if isinstance(f, dict) and f.get("input_types")]
    text = f"Input '{port}' not found on component '{component_id}'. Available: {inputs}"
    loops = [o.get("name") for o in config.get("outputs", []) if o.get("allows_loop")]
    raise context.ToolError(text + (f" Loop inputs: {loops}" if loops else ""))


def connect(flow: dict[str, Any], source: str, output: str, target: str, field: str,
            registry: dict[str, dict] | None = None) -> dict[str, Any]:
    """An edge from an output to an input as the flow editor writes it (handles as objects and as œ-text, id
    `reactflow__edge-<source><handle>-<target><handle>`), after the type check; the same ports twice give the
    edge already there. The toolset output puts the source in tool mode first."""
    source_data = (find(flow, source) or {}).get("data", {})
    source_type = source_data.get("type") or (source.rsplit("-", 1)[0] if "-" in source else source)
    if output == TOOL_OUTPUT:
        _tool_mode_on(flow, source, registry)
    produced = _output_types(flow, source, output)
    target_handle = _target(flow, target, field)
    accepted = target_handle.get("inputTypes", target_handle.get("output_types"))
    if not compatible(produced, accepted, migrated=True):
        raise context.ToolError(
            f"Type mismatch: output '{output}' on '{source}' produces {produced}, but input '{field}' on '{target}' "
            f"accepts {accepted}.{_conversion_hint(source, output, produced, target, field, accepted)}")
    for edge in flow["data"]["edges"]:
        if (edge.get("source"), edge.get("target"), _ports(edge)) == (source, target, (output, field)):
            return edge
    source_handle = {"dataType": source_type, "id": source, "name": output, "output_types": produced}
    source_text, target_text = handle_text(source_handle, tight=True), handle_text(target_handle, tight=True)
    edge = {"animated": False, "className": "", "data": {"sourceHandle": source_handle, "targetHandle": target_handle},
            "id": f"reactflow__edge-{source}{source_text}-{target}{target_text}", "selected": False,
            "source": source, "sourceHandle": source_text, "target": target, "targetHandle": target_text}
    flow["data"]["edges"].append(edge)
    pin_selected_outputs(flow)
    return edge


def _ports(edge: dict[str, Any]) -> tuple[Any, Any]:
    handles = edge.get("data") or {}
    target = handles.get("targetHandle", {})
    return handles.get("sourceHandle", {}).get("name"), target.get("fieldName") or target.get("name")


def disconnect(flow: dict[str, Any], source: str, target: str, output: str | None = None,
               field: str | None = None) -> int:
    """How many edges from source to target went (only those of the output / input given)."""
    def goes(edge: dict[str, Any]) -> bool:
        out, into = _ports(edge)
        return (edge.get("source"), edge.get("target")) == (source, target) and (
            not output or out == output) and (not field or into == field)

    before = len(flow["data"]["edges"])
    flow["data"]["edges"] = [edge for edge in flow["data"]["edges"] if not goes(edge)]
    return before - len(flow["data"]["edges"])


def pin_selected_outputs(flow: dict[str, Any]) -> None:
    """A node of several outputs (one shown at a time) whose edges all leave one output: that output is its
    selected_output, and a type tab that picks another output's type is turned to this one's."""
    used: dict[str, set[str]] = defaultdict(set)
    for edge in flow.get("data", {}).get("edges", []):
        name = (edge.get("data") or {}).get("sourceHandle", {}).get("name")
        if edge.get("source") and name:
            used[edge["source"]].add(name)
    for node in flow.get("data", {}).get("nodes", []):
        wired = used.get(node_id(node), set())
        config = node.get("data", {}).get("node", {})
        outputs = [o for o in config.get("outputs") or [] if isinstance(o, dict) and not o.get("group_outputs")]
        if len(wired) != 1 or len(outputs) <= 1 or not isinstance(config.get("outputs"), list):
            continue
        (name,) = wired
        if chosen := next((o for o in outputs if o.get("name") == name), None):
            node["data"]["selected_output"] = name
            _turn_tab(config.get("template", {}).get("output_type"), outputs, chosen)


def _turn_tab(tab: Any, outputs: list[dict[str, Any]], chosen: dict[str, Any]) -> None:
    if not isinstance(tab, dict) or tab.get("type") != "tab":
        return
    match = next((option for option in tab.get("options") or [] if option in (chosen.get("types") or [])), None)
    if match is None or tab.get("value") == match:
        return
    if any(tab.get("value") in (o.get("types") or []) for o in outputs if o is not chosen):
        tab["value"] = match


# --- layout and summaries --------------------------------------------------------------------------------------


def layout(flow: dict[str, Any]) -> None:
    """Columns by longest path from the nodes nothing feeds (480 px apart), each column centred on y=0 with
    rows 350 px apart; nodes left out (cycles) get a column each after the last."""
    nodes = flow.get("data", {}).get("nodes", [])
    by_id = {node_id(node): node for node in nodes}
    after: dict[str, list[str]] = defaultdict(list)
    waiting: dict[str, int] = dict.fromkeys(by_id, 0)
    for edge in flow.get("data", {}).get("edges", []):
        if edge.get("source") in by_id and edge.get("target") in by_id:
            after[edge["source"]].append(edge["target"])
            waiting[edge["target"]] += 1
    column = {nid: 0 for nid in by_id if waiting[nid] == 0}
    queue = deque(column)
    while queue:
        nid = queue.popleft()
        for succ in after[nid]:
            column[succ] = max(column.get(succ, 0), column[nid] + 1)
            waiting[succ] -= 1
            if waiting[succ] == 0:
                queue.append(succ)
    spare = max(column.values(), default=-1) + 1
    for nid in by_id:
        if nid not in column:
            column[nid], spare = spare, spare + 1
    columns: dict[int, list[str]] = defaultdict(list)
    for nid, index in column.items():
        columns[index].append(nid)
    for index, ids in columns.items():
        top = -(len(ids) - 1) * ROW_Y / 2
        for row, nid in enumerate(ids):
            by_id[nid]["position"] = {"x": index * COLUMN_X, "y": top + row * ROW_Y}


def flow_info(flow: dict[str, Any]) -> dict[str, Any]:
    """lfx's flow_info: name, counts, components, and the chat/text inputs and outputs."""
    data = flow.get("data", {})
    components = [_summary(node, "Unknown") for node in data.get("nodes", [])]
    return {"name": flow.get("name", "Unknown"), "description": flow.get("description", ""),
            "node_count": len(data.get("nodes", [])), "edge_count": len(data.get("edges", [])),
            "components": components,
            "inputs": [c["id"] for c in components if "ChatInput" in c["type"] or "TextInput" in c["type"]],
            "outputs": [c["id"] for c in components if "ChatOutput" in c["type"] or "TextOutput" in c["type"]]}
