"""The checks lfx's Edge makes of each edge as it loads a graph (lfx.graph.edge): its handles parsed (SourceHandle,
TargetHandle: pydantic models, mirrored here so their errors read as Langflow's), the handles' types
(validate_handles) and the source output's types against what the target takes (validate_edge). engine/graph.py
runs them for every edge, in order, among the loader's other checks."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from mock_langflow import errors

# lfx 1.13's type migrations: an old flow's Data and DataFrame handles match JSON and Table ones
MIGRATIONS = {"Data": "JSON", "DataFrame": "Table"}  # (the agentic flow builder matches ports with them too)
INVALID_HANDLES = "Edge between {source} and {target} has invalid handles"
NO_MATCHED_TYPE = "Edge between {source} and {target} has no matched type."
NOT_A_VALID_INPUT = "Component  field '{field}' might not be a valid input."  # (the component has no name yet)
# lfx's interface vertices (InterfaceComponentTypes), by node type or id prefix
INTERFACE_TYPES = frozenset({"ChatInput", "ChatOutput", "TextInput", "TextOutput", "DataOutput", "Webhook"})


class Unsure(Exception):
    """An edge Langflow fails in a way the mock does not reproduce (a legacy edge, a group's): left to the run."""


class SourceHandle(BaseModel):
    model_config = ConfigDict(populate_by_name=True, defer_build=True)
    base_classes: list[str] = Field(default_factory=list, alias="baseClasses")
    data_type: str = Field(..., alias="dataType")
    id: str
    name: str | None = None
    output_types: list[str] = Field(default_factory=list)

    @field_validator("name", mode="before")
    @classmethod
    def _group_name(cls, value: Any, info: ValidationInfo) -> Any:
        # (lfx reads data_type here without a default: a handle without one is a KeyError, not a validation error)
        if info.data["data_type"] == "GroupNode":
            raise Unsure
        return value


class TargetHandle(BaseModel):
    model_config = ConfigDict(populate_by_name=True, defer_build=True)
    field_name: str = Field(..., alias="fieldName")
    id: str
    input_types: list[str] = Field(default_factory=list, alias="inputTypes")
    type: str = Field(None)  # type: ignore[assignment]  # (lfx's: absent is None, null is refused)


def compatible(outputs: list[str], inputs: list[str], *, migrated: bool) -> bool:
    """Whether any output type matches any input type: as it is, or (1.13) through a type migration."""
    if not migrated:
        return any(kind in inputs for kind in outputs)
    for out in outputs:
        moved_out = MIGRATIONS.get(out, out)
        for into in inputs:
            if into in (out, moved_out) or MIGRATIONS.get(into, into) in (out, moved_out):
                return True
    return False


def _display_name(node: dict[str, Any]) -> str:
    return str(node["data"]["node"].get("display_name", str(node["id"]).split("-")[0]))


def _vertex_type(node: dict[str, Any]) -> str:
    spec = node["data"]["node"]
    kind = spec["template"]["_type"]
    tool = "Tool" in [t for output in _outputs(node) for t in output["types"]]
    return str(node["data"]["type"] if not tool or kind.islower() else kind)


def _outputs(node: dict[str, Any]) -> list[dict[str, Any]]:
    spec = node["data"]["node"]
    return list(spec["outputs"] if spec["template"]["_type"] == "Component" else spec.get("outputs", []))


def edge_fault(edge: dict[str, Any], source: dict[str, Any], target: dict[str, Any], *, migrated: bool,
               pydantic_docs: str) -> str | None:
    """The error lfx's Edge(source, target, edge) raises, or None. A KeyError is the loader's missing key; Unsure an
    edge the mock does not judge. `migrated`: 1.13's type migrations (before: exact names, and a target's
    requirements matched as substrings, as lfx 0.3/0.2 do)."""
    data = edge.get("data", {})
    if not data:
        raise Unsure  # string handles (the loader's own KeyError for them comes first)
    raw_source, raw_target = data.get("sourceHandle", {}), data.get("targetHandle", {})
    if not isinstance(raw_source, dict):
        raise Unsure
    try:
        handle = SourceHandle(**raw_source)
    except ValidationError as exc:
        return errors.pydantic_text(exc, pydantic_docs)
    if not isinstance(raw_target, dict):
        return "Target handle is not a dictionary"
    try:
        if "name" in raw_target:  # a loop's handle: built from an output
            into = TargetHandle(field_name=raw_target.get("name"), id=raw_target.get("id"),
                                input_types=raw_target.get("output_types"))
        else:
            into = TargetHandle(**raw_target)
    except ValidationError as exc:
        if "inputTypes" in raw_target and raw_target["inputTypes"] is None:
            return NOT_A_VALID_INPUT.format(field=raw_target["fieldName"])
        return errors.pydantic_text(exc, pydantic_docs)
    if handle.base_classes:
        return _legacy_fault(handle, into, source, target, migrated=migrated)
    outputs, inputs = handle.output_types, into.input_types
    if into.type is None:
        valid = bool(outputs) and (not inputs or compatible(outputs, inputs, migrated=migrated))
    else:
        valid = compatible(outputs, _taken(into), migrated=migrated)
    if not valid:
        return INVALID_HANDLES.format(source=_display_name(source), target=_display_name(target))
    named = [output for output in _outputs(source) if output.get("name") == handle.name]
    if inputs:  # lfx takes any handle with input types for a loop's: the output's types against them
        matched = any(compatible(output["types"], inputs, migrated=migrated) for output in named)
    else:
        matched = any(_required(output["types"], target, migrated=migrated) for output in named)
    return None if matched else NO_MATCHED_TYPE.format(source=_vertex_type(source), target=_vertex_type(target))


def _taken(into: TargetHandle) -> list[str]:
    """The types a target handle takes: its input types, and its field's type (validate_handles tries both)."""
    return [*into.input_types, *([into.type] if into.type else [])]


def _required(kinds: list[str], target: dict[str, Any], *, migrated: bool) -> bool:
    """Whether any of the types is one the target's fields take (each field's type and input types; before 1.13
    a type found within one of those names counts)."""
    wanted: list[str] = []
    for entry in target["data"]["node"]["template"].values():
        if isinstance(entry, dict):
            wanted += [entry["type"]] if "type" in entry else []
            wanted += list(entry.get("input_types") or [])
    if migrated:
        return compatible(kinds, wanted, migrated=True)
    return any(kind in want for kind in kinds for want in wanted)


def _legacy_fault(handle: SourceHandle, into: TargetHandle, source: dict[str, Any], target: dict[str, Any], *,
                  migrated: bool) -> str | None:
    """An edge whose source handle names base classes (an old flow's): lfx matches those with the target handle,
    then the source vertex's base classes with what the target takes, which a component's vertex has none of (an
    interface one's AttributeError; another's the mock does not name)."""
    classes = handle.base_classes
    if not compatible(classes, _taken(into), migrated=migrated):
        return INVALID_HANDLES.format(source=_vertex_type(source), target=_vertex_type(target))
    spec = source["data"]["node"]
    if spec["template"]["_type"] == "Component":
        interface = {str(source["id"]).split("-")[0], source["data"]["type"]} & INTERFACE_TYPES
        if not interface:
            raise Unsure
        return "'InterfaceVertex' object has no attribute 'output'"
    if _required(list(spec["base_classes"]), target, migrated=migrated):
        return None
    return NO_MATCHED_TYPE.rstrip(".").format(source=_vertex_type(source), target=_vertex_type(target))
