"""The flow spec text of the agentic MCP tools (lfx's flow_builder/spec.py): read, checked, and written back.

    name: My Flow
    description: What it does
    nodes:
      A: ChatInput
    edges:
      A.message -> B.input_value
    config:
      B.temperature: 0.5
      B.system_message: |
        lines indented under the key

A config value is read as true/false, null/none, an int or a float when it spells one, else kept as text; a `|`
value is the indented lines after it, as text, each with up to 4 leading spaces taken off."""

from __future__ import annotations

import re
from typing import Any

from mock_langflow.agentic_mcp.context import ToolError

# `Node.field:` and an optional value (a key with its value on the next lines still starts a new key).
_CONFIG_KEY = re.compile(r"^(\w+\.\w+):\s*(.*)$")
SECTIONS = ("nodes", "edges", "config")


def scalar(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "none"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


class _Config:
    """The config section being read: the key open, its lines, whether it is a `|` block."""

    def __init__(self, into: dict[str, dict[str, Any]]) -> None:
        self.into, self.key, self.lines, self.block, self.indent = into, None, [], False, None

    def flush(self) -> None:
        if self.key and self.lines:
            node, field = self.key.split(".", 1)
            raw = "\n".join(self.lines).strip()
            self.into.setdefault(node, {})[field] = raw if self.block else scalar(raw)
        self.key, self.lines, self.block = None, [], False

    def read(self, raw_line: str, line: str) -> None:
        indent = len(raw_line) - len(raw_line.lstrip())
        continues = self.block and self.indent is not None and indent > self.indent
        if not continues and (match := _CONFIG_KEY.match(line)):
            self.flush()
            self.indent = indent if self.indent is None else self.indent
            self.key, value = match.group(1), match.group(2)
            if value == "|":
                self.block = True
            elif value:
                self.lines.append(value)
            return
        if not continues and not self.key:
            raise ToolError(f"Invalid config entry: '{line}'. Expected format: 'Node.field: value'")
        for _ in range(4):
            raw_line = raw_line.removeprefix(" ")
        self.lines.append(raw_line)


def parse(text: str) -> dict[str, Any]:
    """{name, description, nodes: [{id, type}], edges: [{source_id, source_output, target_id, target_input}],
    config: {node: {field: value}}}, or lfx's ValueError text for the first line it cannot read."""
    parsed: dict[str, Any] = {"name": "", "description": "", "nodes": [], "edges": [], "config": {}}
    section = None
    config = _Config(parsed["config"])
    for raw_line in text.strip().split("\n"):
        line = raw_line.strip()
        if not line:
            if section == "config" and config.key:
                config.lines.append("")
        elif line.endswith(":") and line[:-1] in SECTIONS:
            config.flush()
            section = line[:-1]
        elif section is None:
            if not line.startswith(("name:", "description:")):
                raise ToolError(f"Unrecognized line: '{line}'. Expected 'name:', 'description:', or a section header.")
            key, value = line.split(":", 1)
            parsed[key] = value.strip()
        elif section == "nodes":
            node_id, colon, node_type = line.partition(":")
            if not colon:
                raise ToolError(f"Invalid node definition: '{line}'. Expected format: 'ID: ComponentType'")
            parsed["nodes"].append({"id": node_id.strip(), "type": node_type.strip()})
        elif section == "edges":
            parsed["edges"].append(_edge(line))
        else:
            config.read(raw_line, line)
    config.flush()
    if not parsed["nodes"]:
        raise ToolError("No nodes found in spec. Expected 'nodes:' section with 'ID: Type' entries.")
    return parsed


def _edge(line: str) -> dict[str, str]:
    if " -> " not in line:
        raise ToolError(f"Invalid edge definition: '{line}'. Expected format: 'Node.output -> Node.input'")
    left, right = (side.strip().split(".", 1) for side in line.split(" -> ", 1))
    if len(left) != 2 or len(right) != 2:
        raise ToolError(f"Invalid edge definition: '{line}'. Both sides must be 'Node.port'")
    return {"source_id": left[0], "source_output": left[1], "target_id": right[0], "target_input": right[1]}


def check_references(parsed: dict[str, Any]) -> None:
    """Every config and edge names a node of the spec (config first, then each edge's source and target)."""
    known = {node["id"] for node in parsed["nodes"]}
    available = sorted(known)
    for node_id in parsed["config"]:
        if node_id not in known:
            raise ToolError(f"Config references unknown node '{node_id}'. Available: {available}")
    for edge in parsed["edges"]:
        for end in ("source", "target"):
            if edge[f"{end}_id"] not in known:
                raise ToolError(f"Edge references unknown {end} '{edge[f'{end}_id']}'. Available: {available}")


def summary(flow: dict[str, Any]) -> str:
    """The flow as spec-like text with its real component ids (lfx's flow_to_spec_summary): name, components,
    connections; no field values."""
    nodes, edges = flow.get("data", {}).get("nodes", []), flow.get("data", {}).get("edges", [])
    if not nodes:
        return "(empty canvas)"
    lines = [f"name: {flow.get('name', 'Untitled')}", "\ncomponents:"]
    lines += [f"  {node_id(node)}: {node.get('data', {}).get('type', '?')}" for node in nodes]
    if edges:
        lines.append("\nconnections:")
        for edge in edges:
            handles = edge.get("data", {})
            lines.append(f"  {edge.get('source', '')}.{handles.get('sourceHandle', {}).get('name', '?')} -> "
                         f"{edge.get('target', '')}.{handles.get('targetHandle', {}).get('fieldName', '?')}")
    return "\n".join(lines)


def node_id(node: dict[str, Any]) -> str:
    """A node's id: its data's, else its own."""
    return node.get("data", {}).get("id", node.get("id", ""))
