"""POST /api/v1/flows/expand/ (1.8, 1.13): a compact flow (nodes by component type and field values, edges by
output and input name) turned into the nodes and edges of a full flow, from the catalog /api/v1/all serves.

Imported by the route's first request, not at start-up. Langflow's expansion fills in a shared copy of its
component cache, so a value given once shows in later expansions; here each expansion starts from a fresh
template (README, Deliberate differences).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from mock_langflow import errors
from mock_langflow.catalog import catalog_json
from mock_langflow.profiles.model import Catalog


# The request's shape, under the class names Langflow validates it with (a refusal's text names them).
class CompactNode(BaseModel):
    id: str
    type: str
    values: dict[str, Any] = Field(default_factory=dict)
    edited: bool = False  # the node's full data comes along in `node`, taken as it is
    node: dict[str, Any] | None = None


class CompactEdge(BaseModel):
    source: str
    source_output: str
    target: str
    target_input: str


class CompactFlowData(BaseModel):
    nodes: list[CompactNode]
    edges: list[CompactEdge]


@cache
def _templates(form: Catalog) -> dict[str, Any]:
    """Component name -> its template as the release's /all lists it (without 1.13's display names key)."""
    listed = json.loads(catalog_json(form))
    return {name: template for category, components in listed.items() if category != "component_display_names"
            for name, template in components.items()}


def expand(compact: dict[str, Any], form: Catalog, pydantic_docs: str) -> dict[str, Any]:
    """The full flow data ({nodes, edges}), or a 400 with the text of what Langflow's expansion raises: a
    refused shape, an unknown component type, an edited node without data, an edge to a node not listed. Data
    an edited node brings that is not a node's (a template that is not an object...) fails Langflow's code
    with a 500 no recording shows; the mock answers that text with a 400 (README)."""
    try:
        data = CompactFlowData(**compact)
    except ValidationError as exc:
        raise errors.BadRequest(errors.pydantic_text(exc, pydantic_docs)) from None
    try:
        nodes = {node.id: _node(node, form) for node in data.nodes}
        return {"nodes": list(nodes.values()), "edges": [_edge(edge, nodes) for edge in data.edges]}
    except (ValueError, AttributeError, TypeError) as exc:
        raise errors.BadRequest(str(exc)) from None


def _node(compact: CompactNode, form: Catalog) -> dict[str, Any]:
    if compact.edited:
        if not compact.node:
            raise ValueError(f"Node {compact.id} is marked as edited but has no node data")
        node = compact.node
    else:
        templates = _templates(form)
        if compact.type not in templates:
            raise ValueError(f"Component type '{compact.type}' not found in component index")
        node = copy.deepcopy(templates[compact.type])
        fields = node.get("template", {})
        for name, value in compact.values.items():
            field = fields.get(name)
            if isinstance(field, dict):
                field["value"] = value
            elif field is not None:
                fields[name] = value
            else:
                fields[name] = {"value": value}
    return {"id": compact.id, "type": "genericNode", "data": {"type": compact.type, "node": node, "id": compact.id}}


def _edge(edge: CompactEdge, nodes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if (source := nodes.get(edge.source)) is None:
        raise ValueError(f"Source node '{edge.source}' not found")
    if (target := nodes.get(edge.target)) is None:
        raise ValueError(f"Target node '{edge.target}' not found")
    source_node, target_node = source["data"]["node"], target["data"]["node"]
    output = next((o for o in source_node.get("outputs", []) if o.get("name") == edge.source_output), None)
    # an output's types, else the component's base classes
    output_types = (output.get("types", []) if output else []) or source_node.get("base_classes", [])
    field = target_node.get("template", {}).get(edge.target_input, {})
    field_type = field.get("type", "str") if isinstance(field, dict) else "str"
    input_types = field.get("input_types", []) or ([field_type] if isinstance(field, dict) else [])
    source_handle = {"dataType": source["data"]["type"], "id": edge.source, "name": edge.source_output,
                     "output_types": output_types}
    target_handle = {"fieldName": edge.target_input, "id": edge.target, "inputTypes": input_types,
                     "type": field_type}
    source_text, target_text = handle_text(source_handle), handle_text(target_handle)
    return {"source": edge.source, "sourceHandle": source_text, "target": edge.target, "targetHandle": target_text,
            "id": f"reactflow__edge-{edge.source}{source_text}-{edge.target}{target_text}",
            "data": {"sourceHandle": source_handle, "targetHandle": target_handle},
            "className": "", "selected": False, "animated": False}


def handle_text(handle: dict[str, Any], *, tight: bool = False) -> str:
    """An edge handle as it is written into the edge: its JSON with œ for every double quote; `tight` as lfx's flow
    builder writes it (keys sorted, no spaces), else as the compact format's expansion does."""
    text = json.dumps(handle, sort_keys=True, separators=(",", ":")) if tight else json.dumps(handle)
    return text.replace('"', "œ")
