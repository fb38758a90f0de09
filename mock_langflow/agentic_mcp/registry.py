"""The component registry of the agentic MCP tools (lfx's lfx/mcp/registry.py): every component type GET /all
lists, by name, with its category; searched by the discovery tools and described field by field.

Pure functions besides load(); imported on the first tool call that needs the registry."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_langflow.agentic_mcp.client import LoopbackClient

REDACTED = "***REDACTED***"
# A field name that holds a credential: api_key, password, secret... as a whole word of the name (lfx's redact.py).
_SENSITIVE = re.compile(r"(?:^|[_\-])(?:api[_\-]?key|password|secret|access[_\-]?key|private[_\-]?key"
                        r"|api[_\-]?token|access[_\-]?token)(?:[_\-]|$)", re.IGNORECASE)


def is_sensitive(field_name: str) -> bool:
    return _SENSITIVE.search(field_name) is not None


def unknown_type(registry: dict[str, dict], component_type: str) -> str:
    """The text lfx raises for a component type the registry lacks (the first 20 names, sorted)."""
    return f"Unknown component: {component_type}. Available: {', '.join(sorted(registry)[:20])}..."


async def load(client: LoopbackClient) -> dict[str, dict]:
    """{type: its template and "category"} from GET /all; lfx's RuntimeError text when nothing is listed."""
    from mock_langflow.agentic_mcp.context import ToolError

    listed = await client.get("/all")
    registry = {name: {**template, "category": category}
                for category, items in (listed or {}).items() if isinstance(items, dict)
                for name, template in items.items() if isinstance(template, dict) and "template" in template}
    if not registry:
        raise ToolError("Server returned no components — check the server URL and authentication")
    return registry


def search(registry: dict[str, dict], query: str | None = None, category: str | None = None,
           output_type: str | None = None, *, include_legacy: bool = False) -> list[dict[str, Any]]:
    """Types by name order: legacy ones left out, the category matched whole (any case), the query found in the
    name, category, display name or description (any case), the output type among the outputs' types."""
    found = []
    for name, template in sorted(registry.items()):
        listed_in = template.get("category", "")
        if template.get("legacy") and not include_legacy:
            continue
        if category and listed_in.lower() != category.lower():
            continue
        if query and not any(query.lower() in text.lower() for text in (
                name, listed_in, template.get("display_name", ""), template.get("description", ""))):
            continue
        if output_type and output_type not in [t for o in template.get("outputs", []) for t in o.get("types", [])]:
            continue
        found.append({"type": name, "category": listed_in, "display_name": template.get("display_name", name),
                      "description": template.get("description", "")})
    return found


def _field(name: str, field: dict[str, Any]) -> dict[str, Any]:
    """What a field takes: its type, required, options, flags, default (never a credential's, nor a global
    variable's name) and range."""
    described: dict[str, Any] = {"name": name, "type": field.get("type", "")}
    if field.get("required"):
        described["required"] = True
    if isinstance(field.get("options"), list) and field["options"]:
        described["options"] = field["options"]
    if field.get("conditional_options"):
        described["conditional_options"] = field["conditional_options"]
    described.update({flag: True for flag in ("combobox", "list") if field.get(flag)})
    secret = is_sensitive(name) or field.get("password") is True or "secret" in str(field.get("type", "")).lower()
    if "value" in field and not secret and not field.get("load_from_db"):
        described["default"] = field["value"]
    if isinstance(field.get("range_spec"), dict):
        described["range_spec"] = {k: field["range_spec"][k] for k in ("min", "max", "step", "step_type")
                                   if k in field["range_spec"]}
    return described


def describe(registry: dict[str, dict], component_type: str) -> dict[str, Any]:
    """A type's outputs (a loop output doubling as an input; the toolset output when an input has tool_mode or
    the type adds one), its connectable inputs, its plain fields, advanced field names and constrained ones."""
    from mock_langflow.agentic_mcp.context import ToolError

    if component_type not in registry:
        raise ToolError(unknown_type(registry, component_type))
    entry = registry[component_type]
    fields_of = {name: field for name, field in entry.get("template", {}).items() if isinstance(field, dict)}
    outputs, loop_inputs = [], []
    for output in entry.get("outputs", []):
        shown: dict[str, Any] = {"name": output["name"], "types": output.get("types", [])}
        if output.get("allows_loop"):
            shown["allows_loop"] = True
            if output["name"] not in {name for name, field in fields_of.items() if field}:
                loop_inputs.append({"name": output["name"], "input_types": loop_accepts(output), "type": "loop",
                                    "required": False, "description": "Loop feedback input: connect the loop "
                                    "body's final output back here."})
        outputs.append(shown)
    tool_inputs = [name for name, field in fields_of.items() if field.get("tool_mode")]
    if tool_inputs or entry.get("add_tool_output"):
        text = "Wraps this component as a Tool"
        if tool_inputs:
            text += f" (tool inputs: {', '.join(tool_inputs)})"
        outputs.append({"name": "component_as_tool", "types": ["Tool"],
                        "description": text + ". Connect to an Agent's 'tools' input."})
    inputs, fields, advanced, constrained = [], [], [], []
    for name, field in fields_of.items():
        is_advanced = field.get("advanced", False)
        if field.get("input_types"):
            if is_advanced:
                advanced.append(name)
            else:
                inputs.append({"name": name, "input_types": field["input_types"], "type": field.get("type", ""),
                               "required": field.get("required", False)})
        elif field.get("show", True) and field.get("type") and name != "code":
            if not is_advanced:
                fields.append(_field(name, field))
                continue
            advanced.append(name)
            if field.get("options") or field.get("conditional_options") or field.get("range_spec"):
                constrained.append(_field(name, field))
    described: dict[str, Any] = {
        "type": component_type, "category": entry.get("category", ""),
        "display_name": entry.get("display_name", component_type), "description": entry.get("description", ""),
        "outputs": outputs, "inputs": inputs + loop_inputs}
    for key, value in (("fields", fields), ("advanced_fields", sorted(advanced)),
                       ("constrained_advanced_fields", constrained)):
        if value:
            described[key] = value
    described.update({flag: True for flag in ("legacy", "beta") if entry.get(flag)})
    return described


def loop_accepts(output: dict[str, Any]) -> list[str]:
    """The types a loop output takes back in: its selected type (else its first) and its loop types."""
    types = output.get("types") or []
    return [output.get("selected") or (types[0] if types else "Message"), *(output.get("loop_types") or [])]
