"""The component catalog of GET /api/v1/all, built from data/components.yaml in Langflow's template shape.

The interpreter (engine/) reads the same spec to know what each node of a flow does (`runs_as`), so the
catalog and the run engine can never disagree about which components the mock understands.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mock_langflow.profiles.model import Catalog

CURRENT_FORM = Catalog()  # 1.13's: the templates as components.yaml describes them

CODE_PLACEHOLDER = (
    "# mock-langflow serves no component source code.\n"
    "# This component is simulated by the mock's flow interpreter; see the mock's README.\n"
)
# What 1.13 gives a Custom Component node of a public flow for code: its own template's, whatever the node held.
CUSTOM_TEMPLATE = "CustomComponent"
CUSTOM_TEMPLATE_CODE = CODE_PLACEHOLDER + "# This node runs Langflow's Custom Component template (build_output).\n"

# The keys each input kind carries in a template, with their defaults (Langflow 1.13's shapes).
COMMON_KEYS = {"advanced": False, "api_editable": False, "dynamic": False, "info": "", "override_skip": False,
           "placeholder": "", "required": False, "show": True, "title_case": False}
_LISTY = {"list": False, "list_add_label": "Add More"}
_TRACE = {"tool_mode": False, "trace_as_input": True, "trace_as_metadata": True}
KINDS: dict[str, tuple[str, bool, dict[str, Any]]] = {  # kind -> (type, track_in_telemetry, extra keys)
    "MessageTextInput": ("str", False, {"input_types": ["Message"], **_LISTY, "load_from_db": False, **_TRACE}),
    "MultilineInput": ("str", False, {"ai_enabled": False, "copy_field": False, "input_types": ["Message"], **_LISTY,
                                      # bandit B105 is a false positive here: a component field's "password" flag.
                                      "load_from_db": False, "multiline": True, "password": False, **_TRACE}),  # nosec B105
    "BoolInput": ("bool", True, {**_LISTY, "tool_mode": False, "trace_as_metadata": True}),
    "DropdownInput": ("str", True, {"combobox": False, "dialog_inputs": {}, "external_options": {}, "options": [],
                                    "options_metadata": [], "toggle": False, "tool_mode": False,
                                    "trace_as_metadata": True}),
    "FileInput": ("file", False, {"fileTypes": [], "file_path": "", **_LISTY, "temp_file": True, "tool_mode": False,
                                  "trace_as_metadata": True}),
    "HandleInput": ("other", False, {"input_types": [], **_LISTY, "trace_as_metadata": True}),
    # bandit B105 is a false positive here: a component field's "password" flag.
    "SecretStrInput": ("str", False, {"input_types": [], "load_from_db": True, "password": True}),  # nosec B105
    "IntInput": ("int", True, {**_LISTY, "tool_mode": False, "trace_as_metadata": True}),
    "SliderInput": ("slider", False, {"max_label": "", "max_label_icon": "", "min_label": "", "min_label_icon": "",
                                      "range_spec": {"min": 0, "max": 2, "step": 0.01, "step_type": "float"},
                                      "slider_buttons": False, "slider_buttons_options": [], "slider_color": "default",
                                      "slider_input": False, "tool_mode": False, "value_inverted": False}),
    "PromptInput": ("prompt", False, {**_LISTY, "tool_mode": False, "trace_as_input": True}),
    # 1.13's model selector (the Language Model's and the Agent's `model`): a list of chosen models, or a connected
    # model component
    "ModelInput": ("model", False, {"external_options": {"fields": {"data": {"node": {
        "display_name": "Connect other models", "icon": "CornerDownLeft", "name": "connect_other_models"}}}},
        "input_types": ["LanguageModel"], **_LISTY, "model_type": "language", "placeholder": "Setup Provider",
        "real_time_refresh": True, "refresh_button": True, "required": True, "tool_mode": False,
        "trace_as_input": True}),
    # Kinds no catalog component uses, for posted component source (custom_source.py): lfx 1.13's defaults.
    "StrInput": ("str", False, {**_LISTY, "load_from_db": False, "tool_mode": False, "trace_as_metadata": True}),
    "MessageInput": ("str", False, {"input_types": ["Message"], **_LISTY, "load_from_db": False, **_TRACE}),
    "QueryInput": ("query", False, {"input_types": ["Message"], **_LISTY, "load_from_db": False, **_TRACE}),
    "JSONInput": ("other", False, {"input_types": ["Data", "JSON"], **_LISTY, **_TRACE}),
    "DataFrameInput": ("other", False, {"input_types": ["DataFrame", "Table"], **_LISTY, **_TRACE}),
    "FloatInput": ("float", True, {**_LISTY, "tool_mode": False, "trace_as_metadata": True}),
    "DictInput": ("dict", False, {**_LISTY, "tool_mode": False, "trace_as_input": True, "value": {}}),
    "NestedDictInput": ("NestedDict", False, {**_LISTY, **_TRACE, "value": {}}),
    "MultiselectInput": ("str", False, {"combobox": False, "list": True, "list_add_label": "Add More", "options": [],
                                        "toggle": False, "tool_mode": False, "trace_as_metadata": True}),
    "TabInput": ("tab", True, {"options": [], "tool_mode": False, "trace_as_metadata": True}),
    "TableInput": ("table", False, {"input_types": ["DataFrame", "Table"], "is_list": True,
                                    "list_add_label": "Add More", "table_icon": "Table", "tool_mode": False,
                                    "trace_as_metadata": True, "trigger_icon": "Table", "trigger_text": "Open table"}),
    "CodeInput": ("code", False, {**_LISTY, "tool_mode": False, "trace_as_input": True}),
    "LinkInput": ("link", False, {}),
    "ToolsInput": ("tools", False, {"is_list": True, "list_add_label": "Add More", "real_time_refresh": True,
                                    "tool_mode": False, "trace_as_metadata": True, "value": []}),
}


# Keys an input serialises only when its component sets them (lfx leaves out what is None), any kind's and one
# kind's: the catalog's fields and posted component source (custom_source.py) alike
OPTIONAL_KEYS = frozenset({"display_name", "helper_text", "real_time_refresh", "refresh_button", "refresh_button_text",
                           "input_types"})
KIND_OPTIONAL_KEYS = {"TableInput": frozenset({"table_schema"}), "IntInput": frozenset({"range_spec"}),
                      "ModelInput": frozenset({"filters"})}


@dataclass(frozen=True)
class ComponentSpec:
    """One component of the catalog (/all): where it is listed, what the mock runs it as, its template."""

    name: str
    category: str
    runs_as: str
    display_name: str
    template: dict[str, Any]  # the whole node template as served by /all
    # the template of releases before 1.13 where it differs (their form's earlier_templates), else None
    earlier: dict[str, Any] | None = None


def _field(name: str, kind: str, display_name: str, value: Any, extra: dict[str, Any]) -> dict[str, Any]:
    ftype, track, keys = KINDS[kind]
    field = {"_input_type": kind, **copy.deepcopy(COMMON_KEYS), **copy.deepcopy(keys), "display_name": display_name,
             "name": name, "track_in_telemetry": track, "type": ftype, "value": value}
    extra = dict(extra)
    field["advanced"] = extra.pop("adv", False)
    unknown = set(extra) - set(field) - OPTIONAL_KEYS - KIND_OPTIONAL_KEYS.get(kind, frozenset())
    if unknown:
        raise ValueError(f"components.yaml: field {name!r} ({kind}) has keys its kind lacks: {sorted(unknown)}")
    field.update(extra)
    return dict(sorted(field.items()))


def component_code(name: str) -> str:
    """The source a catalog component's template carries: the placeholder naming its class, so each component has
    a source of its own, as each of Langflow's has (a client posting it back, as the frontend's tool-mode toggle and
    lfx's configure_component do, names the component by it)."""
    return f"{CODE_PLACEHOLDER}# Component class: {name}\n"


def code_field(code: str = CODE_PLACEHOLDER) -> dict[str, Any]:
    """A node's `code` field holding `code` (the catalog's placeholder unless given)."""
    return {"advanced": True, "api_editable": False, "dynamic": True, "fileTypes": [], "file_path": "", "info": "",
            # bandit B105 is a false positive here: a component field's "password" flag.
            "list": False, "load_from_db": False, "multiline": True, "name": "code", "password": False,  # nosec B105
            "placeholder": "", "required": True, "show": True, "title_case": False, "type": "code",
            "value": code}


def _template(spec: dict[str, Any]) -> dict[str, Any]:
    fields = {f[0]: _field(*f[:4], f[4] if len(f) > 4 else {}) for f in spec["fields"]}
    deps = [{"name": n, "version": v} for n, v in spec.get("dependencies", [["lfx", None]])]
    # an output's type, or its types (the first one selected), then any keys it sets (group_outputs)
    outputs = [{"allows_loop": False, "cache": True, "display_name": display, "group_outputs": False,
                "method": method, "name": oname, "selected": kinds[0], "tool_mode": True, "types": kinds,
                "value": "__UNDEFINED__", **extra}
               for oname, display, method, kinds, extra in (
                   (o[0], o[1], o[2], o[3] if isinstance(o[3], list) else [o[3]], o[4] if len(o) > 4 else {})
                   for o in spec["outputs"])]
    return {
        "base_classes": spec["base_classes"], "beta": False, "conditional_paths": [], "custom_fields": {},
        "description": spec["description"], "display_name": spec["display_name"],
        "documentation": spec.get("documentation", ""), "edited": False, "field_order": list(fields),
        "frozen": False, "icon": spec.get("icon", ""), "legacy": False,
        "metadata": {"code_hash": code_hash(component_code(spec["name"])),
                     "component_class_name": spec.get("class_name", spec["name"]),
                     "dependencies": {"dependencies": deps, "total_dependencies": len(deps)},
                     **spec.get("metadata", {}),
                     "module": f"mock_langflow.components.{spec['category']}.{spec['name']}"},
        "minimized": spec.get("minimized", False), "output_types": [], "outputs": outputs, "pinned": False,
        "template": {"_type": "Component", "code": code_field(component_code(spec["name"])), **fields},
        "tool_mode": False, **_legacy(spec["name"], CURRENT_FORM),
    }


def _legacy(name: str, form: Catalog) -> dict[str, Any]:
    """The keys marking component `name` legacy in the release's form (`legacy` and its `replacement`), if it
    does."""
    replacement = dict(form.legacy).get(name)
    return {} if replacement is None else {"legacy": True, "replacement": list(replacement)}


@cache
def _spec_file() -> dict[str, Any]:
    import yaml  # at the first run or catalog request, not at start-up (engine/scripts.py)

    # libyaml's loader when PyYAML has it: the pure-Python one took a third of a second, on the first run.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("mock_langflow.data").joinpath("components.yaml").read_text("utf-8")
    raw: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506  # nosec B506: a safe loader, C or pure Python
    return raw


@cache
def components() -> dict[str, ComponentSpec]:
    # `earlier`: the keys in which releases before 1.13 differ
    return {c["name"]: ComponentSpec(c["name"], c["category"], c["runs_as"], c["display_name"], _template(c),
                                     _template({**c, **c["earlier"]}) if "earlier" in c else None)
            for c in _spec_file()["components"]}


@cache
def known_types() -> frozenset[str]:
    """The node types Langflow 1.13 has server code for: the mock's components and the other types of the
    recorded registry, with the display names of the mock's own and the legacy alias "Prompt"."""
    specs = components().values()
    return frozenset({*(s.name for s in specs), *(s.display_name for s in specs), *_spec_file()["other_types"],
                      "Prompt"})


def code_hash(code: str) -> str:
    """lfx's hash of a component's source: the first 12 hex digits of its SHA-256 (a lone surrogate, which no
    template holds, hashed as it stands rather than failing)."""
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@cache
def server_sources() -> dict[str, tuple[str, frozenset[str]]]:
    """The component source the server holds, by its code hash: the source and the types whose template carries
    it (each catalog component its own; the Custom Component template its own; the placeholder alone, which
    flows saved by earlier mock releases carry, every catalog component's)."""
    sources = {code_hash(code): (code, types) for code, types in (
        (CODE_PLACEHOLDER, frozenset(components())), (CUSTOM_TEMPLATE_CODE, frozenset({CUSTOM_TEMPLATE})))}
    sources.update((code_hash(code), (code, frozenset({name})))
                   for name, code in ((name, component_code(name)) for name in components()))
    return sources


def catalog_types(code: str) -> frozenset[str] | None:
    """The catalog components whose source `code` is (one, or every one for the bare placeholder), or None for
    other code (the Custom Component template's included)."""
    found = server_sources().get(code_hash(code))
    return found[1] if found is not None and found[0] != CUSTOM_TEMPLATE_CODE else None


@cache
def catalog_json(form: Catalog = CURRENT_FORM) -> bytes:
    """The whole /all body, serialised once per release's form (profile catalog): category -> component
    name -> template, plus the display names (1.13)."""
    body: dict[str, Any] = {}
    for spec in components().values():
        body.setdefault(spec.category, {})[spec.name] = for_release(spec.name, spec.template, form)
    # every release keeps its component index with its keys sorted, at every level
    body = json.loads(json.dumps(body, sort_keys=True))
    if form.display_names:
        body["component_display_names"] = {component_key(name): _known_names(node)
                                           for category in body.values() for name, node in category.items()}
    return json.dumps(body, separators=(",", ":")).encode()


def component_key(name: str) -> str:
    """A component's key in `component_display_names`: its name without spaces, in lower case."""
    return name.replace(" ", "").lower()


def _known_names(node: dict[str, Any]) -> dict[str, Any]:
    """What 1.13 lists under a component's key for the frontend's search: every known translation of its display
    name, description and each field's display name; the mock ships no locale files, so English alone."""
    def known(text: Any) -> list[Any]:
        return [text] if text else []

    fields = {name: {"display_name": known(field.get("display_name"))}
              for name, field in (node.get("template") or {}).items()
              if isinstance(field, dict) and field.get("display_name")}
    return {"display_name": known(node.get("display_name")), "description": known(node.get("description")),
            "fields": fields}


def for_release(name: str, template: dict[str, Any], form: Catalog) -> dict[str, Any]:
    """Component `name`'s node as the release's form sends it (a copy, unless the form is 1.13's)."""
    if form == CURRENT_FORM:
        return template
    earlier = components()[name].earlier if name in form.earlier_templates else None
    template = copy.deepcopy(template if earlier is None else earlier)
    metadata = template["metadata"]
    if not form.class_names:
        metadata.pop("component_class_name", None)
    versions = dict(form.dependency_versions)
    for dep in metadata["dependencies"]["dependencies"]:
        dep["version"] = versions.get(dep["name"], dep["version"])
    for field_name, field in template["template"].items():
        if isinstance(field, dict):
            release_field(field, form, f"{name}.{field_name}")
    absent = dict(form.absent_fields).get(name, frozenset())
    for field_name in absent:
        template["template"].pop(field_name, None)
    template["field_order"] = [f for f in template["field_order"] if f not in absent]
    template.pop("replacement", None)
    template.update({"legacy": False, **_legacy(name, form)})
    renamed = {output: (display, kind) for component, output, display, kind in form.output_forms if component == name}
    if renamed:
        for output in template["outputs"]:
            if output["name"] in renamed:
                output["display_name"], kind = renamed[output["name"]]
                output.update(selected=kind, types=[kind])
        # lfx's base classes: its outputs' types, each once, sorted ignoring case
        kinds = {kind for output in template["outputs"] for kind in output["types"]}
        template["base_classes"] = sorted(kinds, key=str.lower)
    return template


def release_field(field: dict[str, Any], form: Catalog, named: str = "") -> None:
    """One template field as the release's form sends it: without the keys it drops from every field or from
    the field `named` ('<Component>.<field>'), its input types without those the release lacks."""
    drops = dict(form.dropped_keys)
    for key in drops.get("*", frozenset()) | drops.get(named, frozenset()):
        field.pop(key, None)
    if isinstance(field.get("input_types"), list):
        field["input_types"] = [t for t in field["input_types"] if t not in form.unknown_types]


@cache
def read_file_types() -> frozenset[str]:
    """The extensions of the files Read File reads: its `path` field's file types."""
    return frozenset(components()["File"].template["template"]["path"]["fileTypes"])


def node_template(name: str) -> dict[str, Any]:
    """A fresh copy of one component's template, for building flows."""
    return copy.deepcopy(components()[name].template)
