"""A component's node read from its posted source, for POST /api/v1/custom_component and /custom_component/update.

Langflow executes the posted class and serialises what it built (lfx build_custom_component_template). The mock
never imports or runs posted code: it reads the class from the syntax tree. What it reads is the Component style
with literal values: class attributes (display_name, description, icon, ...), `inputs = [SomeInput(...), ...]` of
the kinds catalog.KINDS knows, with literal keyword arguments, and `outputs = [Output(...)]`, each output's types
from its method's return annotation. Anything else is a CodeError, which the routes answer with Langflow's 400.
"""

from __future__ import annotations

import ast
import copy
import re
import sys
from typing import Any

from mock_langflow.catalog import (
    COMMON_KEYS,
    KIND_OPTIONAL_KEYS,
    KINDS,
    OPTIONAL_KEYS,
    code_field,
    code_hash,
    release_field,
)
from mock_langflow.profiles.model import Catalog, CustomComponents

# lfx's input classes whose serialised kind is another's name (DataInput is kept as an alias of JSONInput)
_ALIASES = {"DataInput": "JSONInput"}
_DROP = object()
# Where an input class's own defaults differ from the shape the catalog's recorded components carry (KINDS).
_CLASS_DEFAULTS: dict[str, dict[str, Any]] = {
    "IntInput": {"value": 0},
    "BoolInput": {"value": False},
    "FileInput": {"temp_file": False},
    "SliderInput": {"range_spec": _DROP},
}
# Class attributes that become node keys, and how lfx reads each (ATTR_FUNC_MAPPING)
_TEXT_ATTRS = ("display_name", "description", "documentation")
_BOOL_ATTRS = ("beta", "legacy", "minimized")
_OUTPUT_KEYS = ("allows_loop", "cache", "display_name", "group_outputs", "hidden", "loop_types", "method", "name",
                "options", "required_inputs", "selected", "tool_mode", "types", "value")
_OUTPUT_ARGS = frozenset(_OUTPUT_KEYS) - {"value", "options"} | {"info"}
UNDEFINED = "__UNDEFINED__"
TOOL_OUTPUT = {"allows_loop": False, "cache": True, "display_name": "Toolset", "group_outputs": False, "hidden": None,
               "loop_types": None, "method": "to_toolkit", "name": "component_as_tool", "options": None,
               "required_inputs": None, "selected": "Tool", "tool_mode": True, "types": ["Tool"], "value": UNDEFINED}
TOOLS_METADATA = "tools_metadata"
TOOLS_INFO = "Modify tool names and descriptions to help agents understand when to use each tool."
# Method names that say nothing of what a lone tool does: its tool is named after the class (lfx component_tool)
_GENERIC_METHODS = frozenset({"output", "process", "build_output", "run", "execute", "main", "handler",
                              "build_result"})
_ARG_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "file": "string",
              "prompt": "string", "code": "string", "other": "string", "tab": "string", "query": "string"}

class CodeError(Exception):
    """Posted source the mock cannot read as Langflow would build it; the text is the answer's `error`."""


class Release:
    """The release's knobs for building a node: its lfx's (profile custom_components) and its catalog form."""

    def __init__(self, lfx: CustomComponents, form: Catalog) -> None:
        self.lfx, self.form = lfx, form


class Component:
    """What the mock read of one component class: its node (as lfx serialises it), its type and the pieces the
    tool-mode answer needs."""

    def __init__(self, node: dict[str, Any], type_: str, class_name: str, inputs: list[dict[str, Any]],
                 outputs: list[dict[str, Any]], infos: dict[str, str | None], release: Release) -> None:
        self.node, self.type, self.class_name = node, type_, class_name
        self.inputs, self.outputs, self.infos, self.release = inputs, outputs, infos, release


def read(code: str, release: Release, *, class_name: str | None = None) -> Component:
    """The component `code` defines (the class `class_name` names, if one of its Component classes and the
    release looks, else the first), as the release's lfx would build it; CodeError with Langflow's text or the
    mock's own for what it cannot read."""
    try:
        module = ast.parse(code)
    except SyntaxError as exc:
        raise CodeError(f"Invalid Python code: {exc}") from exc
    except (ValueError, RecursionError, MemoryError) as exc:  # a NUL byte; code nested past the parser's depth
        raise CodeError(str(exc) or type(exc).__name__) from exc
    cls = _component_class(module, code, class_name if release.lfx.saved_class else None)
    attrs = _class_attributes(cls)
    inputs = [_input(call, release) for call in _list_of_calls(attrs.get("inputs"), "inputs")]
    methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    outputs, infos = [], {}
    for call in _list_of_calls(attrs.get("outputs"), "outputs"):
        output, info = _output(call, methods, release.lfx)
        outputs.append(output)
        infos[output["name"]] = info
    node = _node(code, module, cls.name, attrs, inputs, outputs, release)
    _check_names(node, inputs, outputs)
    type_ = _literal(attrs["name"], "name") if "name" in attrs else cls.name
    return Component(node, str(type_) if type_ else cls.name, cls.name, inputs, outputs, infos, release)


def component_classes(module: ast.Module) -> tuple[dict[str, ast.ClassDef], ast.ClassDef | None]:
    """The module's component classes as lfx's extract_class_name finds them (its top-level classes whose base's
    name holds "Component" or "LC", or that derive from one of those), and the first of them."""
    found: dict[str, ast.ClassDef] = {}
    first = None
    for node in module.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [base.id for base in node.bases if isinstance(base, ast.Name)]
        if any(p in b for b in bases for p in ("Component", "LC")) or any(b in found for b in bases):
            found[node.name] = node
            first = first or node
    return found, first


def _component_class(module: ast.Module, code: str, class_name: str | None) -> ast.ClassDef:
    """Langflow's choice of class (lfx validate.extract_class_name): the component class named `class_name` if
    any, else the first."""
    found, first = component_classes(module)
    if first is None:
        raise CodeError(f"No Component subclass found in the code string. Code snippet: {code[:100]}")
    chosen = found.get(class_name or "", first)
    bases = [base.id for base in chosen.bases if isinstance(base, ast.Name)]
    if bases != ["Component"]:
        raise CodeError(f"mock-langflow reads only classes deriving directly from Component; {chosen.name} derives "
                        f"from {', '.join(bases) or 'an expression'}")
    return chosen


def _class_attributes(cls: ast.ClassDef) -> dict[str, ast.expr]:
    attrs: dict[str, ast.expr] = {}
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            attrs[stmt.targets[0].id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            attrs[stmt.target.id] = stmt.value
    return attrs


def _literal(node: ast.expr, what: str) -> Any:
    """The value of a literal the mock can answer as JSON (no sets, bytes or complex numbers)."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise CodeError(f"mock-langflow reads only literal values; {what} is computed "
                        f"({ast.unparse(node)[:80]})") from exc
    if not _json_like(value):
        raise CodeError(f"mock-langflow reads only literal values JSON can hold; {what} is not one")
    return value


def _json_like(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(_json_like(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_like(v) for k, v in value.items())
    return value is None or isinstance(value, str | int | float | bool)


def _list_of_calls(node: ast.expr | None, what: str) -> list[ast.Call]:
    if node is None:
        return []
    if not isinstance(node, ast.List | ast.Tuple) or not all(isinstance(e, ast.Call) for e in node.elts):
        raise CodeError(f"mock-langflow reads `{what}` only as a literal list of calls")
    return list(node.elts)  # type: ignore[arg-type]


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _keywords(call: ast.Call, what: str) -> dict[str, Any]:
    if call.args or any(k.arg is None for k in call.keywords):
        raise CodeError(f"mock-langflow reads {what} only with keyword arguments")
    return {k.arg: _literal(k.value, f"{what} argument {k.arg}") for k in call.keywords if k.arg}


def _input(call: ast.Call, release: Release) -> dict[str, Any]:
    written = _call_name(call)
    kind = _ALIASES.get(written, written)
    if kind not in KINDS or (written == "JSONInput" != release.lfx.data_input):
        raise CodeError(f"mock-langflow cannot read input kind {written or ast.unparse(call.func)!r}")
    kwargs = _keywords(call, written)
    if not isinstance(kwargs.get("name"), str):
        raise CodeError(f"{written}: name must be a literal text")
    ftype, track, keys = KINDS[kind]
    field = {"_input_type": kind, **copy.deepcopy(COMMON_KEYS), "value": "", **copy.deepcopy(keys),
             "track_in_telemetry": track, "type": ftype}
    for key, value in _CLASS_DEFAULTS.get(kind, {}).items():
        if value is _DROP:
            field.pop(key, None)
        else:
            field[key] = copy.deepcopy(value)
    if kind == "IntInput":
        field["value"] = release.lfx.int_value
    if written == "DataInput":
        field["_input_type"] = release.lfx.data_input
    for absent in release.lfx.input_keys_absent:
        if absent.startswith(f"{field['_input_type']}."):
            field.pop(absent.partition(".")[2], None)
    for arg, value in kwargs.items():
        key = "list" if arg == "is_list" and "list" in field else arg
        if key not in field and key not in OPTIONAL_KEYS | KIND_OPTIONAL_KEYS.get(kind, frozenset()) \
                and key != "name":
            raise CodeError(f"mock-langflow cannot read {written} argument {arg!r}")
        if value is not None or key in field:
            field[key] = value
    release_field(field, release.form)
    return dict(sorted(field.items()))


def _output(call: ast.Call, methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
            lfx: CustomComponents) -> tuple[dict[str, Any], str | None]:
    if _call_name(call) != "Output":
        raise CodeError(f"mock-langflow reads `outputs` only as Output(...) calls, not {ast.unparse(call.func)}")
    kwargs = _keywords(call, "Output")
    unknown = set(kwargs) - _OUTPUT_ARGS
    if unknown:
        raise CodeError(f"mock-langflow cannot read Output argument {sorted(unknown)[0]!r}")
    if not isinstance(kwargs.get("name"), str):
        raise CodeError("Output: name must be a literal text")
    for arg, kind in (("method", str), ("display_name", str), ("selected", str), ("types", list)):
        if kwargs.get(arg) is not None and not isinstance(kwargs[arg], kind):
            raise CodeError(f"Output {kwargs['name']}: {arg} must be a literal {kind.__name__}")
    if not all(isinstance(t, str) for t in kwargs.get("types") or []):
        raise CodeError(f"Output {kwargs['name']}: types must be texts")
    info = kwargs.pop("info", None)
    output = {"allows_loop": False, "cache": True, "display_name": None, "group_outputs": False, "hidden": None,
              "loop_types": None, "method": None, "options": None, "required_inputs": None, "selected": None,
              "tool_mode": True, "types": [], **kwargs, "value": UNDEFINED}
    output["display_name"] = output["display_name"] or output["name"]
    method = output["method"]
    if method is None:
        raise CodeError(f"Output {output['name']} does not have a method")
    if not output["types"]:
        output["types"] = _return_types(methods.get(method), method, lfx)
    output["selected"] = output["selected"] or (output["types"][0] if output["types"] else None)
    return output, info


def _return_types(func: ast.FunctionDef | ast.AsyncFunctionDef | None, method: str,
                  lfx: CustomComponents) -> list[str]:
    """The output's types from its method's return annotation (lfx names str Text, and some classes as the
    release renamed them)."""
    if func is None:
        raise CodeError(f"mock-langflow finds no method {method!r} in the class (inherited methods are not read)")
    annotation = func.returns
    if annotation is None:
        return ["NoneType"] if lfx.untyped_output == "NoneType" else []
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError as exc:
            raise CodeError(f"mock-langflow cannot read the return annotation of {method}") from exc
    if isinstance(annotation, ast.Subscript) and _name(annotation.value) in ("list", "List", "Sequence"):
        annotation = annotation.slice
    name = _name(annotation)
    if not name or name == "None":
        raise CodeError(f"mock-langflow reads a return annotation only as one class or list[one class]; "
                        f"{method} returns {ast.unparse(func.returns)}")  # type: ignore[arg-type]
    return [{"str": "Text", **dict(lfx.type_names)}.get(name, name)]


def _name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else \
        "None" if isinstance(node, ast.Constant) and node.value is None else None


def _node(code: str, module: ast.Module, class_name: str, attrs: dict[str, ast.expr], inputs: list[dict[str, Any]],
          outputs: list[dict[str, Any]], release: Release) -> dict[str, Any]:
    read = {name: _literal(attrs[name], name) for name in (*_TEXT_ATTRS, *_BOOL_ATTRS, "icon", "priority",
                                                          "replacement") if name in attrs}
    node: dict[str, Any] = {"base_classes": sorted({t for o in outputs for t in o["types"]}), "beta": False,
                            "conditional_paths": [], "custom_fields": {}, "display_name": "Component",
                            "documentation": "", "edited": False, "field_order": [f["name"] for f in inputs],
                            "frozen": False, "legacy": False, "minimized": False, "output_types": [],
                            "outputs": outputs, "pinned": False, "tool_mode": False}
    for name in _TEXT_ATTRS:
        if read.get(name) is not None:
            node[name] = str(read[name]) if read[name] else ""
    for name in _BOOL_ATTRS:
        if isinstance(read.get(name), bool):
            node[name] = read[name]
    icon = read.get("icon")
    if icon is not None:
        if not isinstance(icon, str) or icon.startswith(":") or icon.endswith(":"):
            raise CodeError("mock-langflow reads an icon only as a literal icon name (emoji names are not read)")
        node["icon"] = icon
    if isinstance(read.get("priority"), int):
        node["priority"] = read["priority"]
    if "replacement" in read:
        value = read["replacement"]
        node["replacement"] = ([str(v) for v in value] if isinstance(value, list)
                               else [value] if isinstance(value, str) and value else [])
    stem = re.sub(r"[^a-z0-9_]", "", re.sub(r"\s+", " ", node["display_name"].strip()).replace(" ", "_").lower())
    node["metadata"] = {"code_hash": code_hash(code),
                        **({"component_class_name": class_name} if release.form.class_names else {}),
                        "dependencies": dependencies(module, release.lfx.lfx_version),
                        "module": f"custom_components.{stem}"}
    code_entry = code_field(code)
    release_field(code_entry, release.form)
    node["template"] = {"_type": "Component", "code": code_entry, **{f["name"]: f for f in inputs}}
    return dict(sorted(node.items()))


def dependencies(module: ast.Module, lfx_version: str | None) -> dict[str, Any]:
    """The module's imported packages outside the standard library, in import order (lfx's dependency analysis);
    the version of any package but lfx is not known to the mock (null)."""
    names: list[str] = []
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            found = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found = [node.module.split(".")[0]]
        else:
            continue
        names.extend(n for n in found if n not in sys.stdlib_module_names and n not in names)
    deps = [{"name": n, "version": lfx_version if n == "lfx" else None} for n in names]
    return {"dependencies": deps, "total_dependencies": len(deps)}


def _check_names(node: dict[str, Any], inputs: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> None:
    """lfx's check of a built node: no input shares an output's name (one that loops aside)."""
    output_names = [o["name"] for o in outputs if not o["allows_loop"]]
    input_names = [f["name"] for f in inputs]
    if overlap := set(output_names) & set(input_names):
        names = ", ".join(f"'{x}'" for x in overlap)
        raise CodeError("There should be no overlap between input and output names. "
                        f"Names {names} are duplicated in component {node['display_name']}. "
                        f"Inputs are {input_names} and outputs are {output_names}.")


def tool_output_node(component: Component, node: dict[str, Any], previous: Any) -> None:
    """`node` in tool mode (lfx run_and_validate_update_outputs): one Toolset output, and the tools_metadata field
    listing a tool per output that is one (tool_mode), merged with the user's edits in `previous` (the posted
    tools_metadata value) when the tools are the same."""
    current = component.release.lfx.tools == "current"
    eligible = [o for o in component.outputs if o["tool_mode"] and "Tool" not in o["types"]]
    with_tool_mode = [f for f in component.inputs if f.get("tool_mode")]
    args = {f["name"]: _tool_arg(f) for f in (with_tool_mode or component.inputs)}
    tools = []
    for output in eligible:
        method = output["method"]
        lone_generic = current and method in _GENERIC_METHODS and len(eligible) == 1
        name = re.sub(r"[^a-zA-Z0-9_-]", "-", _class_tool_name(component.class_name) if lone_generic else method)
        description = (current and component.infos.get(output["name"])) or node.get("description") or ""
        tools.append({"name": name, "description": description, "tags": [name], "status": True,
                      **({"approval_actions": []} if current else {}), "display_name": name,
                      "display_description": description, "readonly": False, "args": copy.deepcopy(args)})
    if isinstance(previous, list) and all(isinstance(t, dict) for t in previous):
        old = {t["tags"][0]: t for t in previous
               if isinstance(t.get("tags"), list) and t["tags"] and isinstance(t["tags"][0], str)}
        if len(old) == len(tools) and set(old) == {t["tags"][0] for t in tools}:
            tools = _merged(tools, old) if current else previous
    node["outputs"] = [dict(TOOL_OUTPUT)]
    node["tool_mode"] = True
    field = _input(ast.parse("ToolsInput(name='tools_metadata')", mode="eval").body,  # type: ignore[arg-type]
                   component.release)
    field.update(display_name="Actions", info=TOOLS_INFO, value=tools)
    node.setdefault("template", {})[TOOLS_METADATA] = dict(sorted(field.items()))


def _merged(tools: list[dict[str, Any]], old: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """1.13's merge: each tool keeps the user's status, approvals, name and (if they wrote one) description."""
    for tool in tools:
        before = old[tool["tags"][0]]
        tool["status"] = before.get("status", True)
        tool["approval_actions"] = before.get("approval_actions") or []
        tool["name"] = before.get("name", tool["name"])
        if before.get("description") and before.get("description") != before.get("display_description"):
            tool["description"] = before["description"]
    return tools


def _class_tool_name(class_name: str) -> str:
    step = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", class_name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", step).lower()


def _tool_arg(field: dict[str, Any]) -> dict[str, Any]:
    """One input as a tool argument (lfx create_input_schema, as pydantic's JSON schema writes it)."""
    json_type = _ARG_TYPES.get(field["type"])
    if json_type is None:
        raise CodeError(f"mock-langflow cannot describe input {field['name']!r} ({field['_input_type']}) "
                        "as a tool argument")
    arg: dict[str, Any] = {"title": field["name"].replace("_", " ").title(), "description": field.get("info") or ""}
    if not field.get("required"):
        arg["default"] = field.get("value")
    options = field.get("options")
    if isinstance(options, list) and options and len(options) <= 50:
        if not all(isinstance(o, str) for o in options):
            raise CodeError(f"mock-langflow describes only text options of {field['name']!r} as a tool argument")
        arg["enum"] = list(options)
    if field.get("list"):
        return {**arg, "items": {"type": json_type, **({"enum": arg.pop("enum")} if "enum" in arg else {})},
                "type": "array"}
    return {**arg, "type": json_type}
