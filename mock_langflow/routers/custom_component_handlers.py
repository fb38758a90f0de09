"""POST /api/v1/custom_component and /custom_component/update (Langflow's api/v1/endpoints.py): a component's node
from its posted source, read by custom_source.py without running it. Imported when one of the two routes is first
analysed (routers/misc.py names them with routing.Later)."""

from __future__ import annotations

import copy
import traceback
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from mock_langflow import catalog, errors
from mock_langflow.auth import CurrentUser
from mock_langflow.custom_code import resolve_code
from mock_langflow.custom_source import TOOLS_METADATA, CodeError, Component, Release, read, tool_output_node
from mock_langflow.deps import StateDep
from mock_langflow.routers.flows import component_blocks
from mock_langflow.schemas.custom_component import (
    CustomComponentRequest,
    CustomComponentResponse,
    UpdateCustomComponentRequest,
)
from mock_langflow.state import AppState

# The code field Langflow adds to an update's template that has none (lfx add_code_field_to_build_config)
_ADDED_CODE_FIELD = {"advanced": True, "api_editable": False, "display_name": "code", "dynamic": True,
                     "field_type": "code", "file_path": "", "file_types": [], "info": "", "input_types": None,
                     "is_list": False, "load_from_db": False, "multiline": True, "name": "code", "options": None,
                     # bandit B105 is a false positive here: a component field's "password" flag.
                     "password": False, "placeholder": "", "range_spec": None, "real_time_refresh": None,  # nosec B105
                     "refresh_button": None, "refresh_button_text": None, "required": True, "show": True,
                     "title_case": False, "type": "code"}
_OUTPUT_DEFAULTS = {"hidden": None, "loop_types": None, "options": None, "required_inputs": None}


async def custom_component(raw_code: CustomComponentRequest, user: CurrentUser, state: StateDep,
                           flow_id: Annotated[UUID | None, Query()] = None) -> CustomComponentResponse:
    """The node of the posted code's component, the saved node's field values kept when one is posted, in tool
    mode when it was (a build failure is Langflow's 400 {error, traceback})."""
    code = _gated(state, user, raw_code.code, errors.CUSTOM_CREATION_ADMIN_ONLY)
    component = _component(state, code, raw_code.class_name())
    node = component.node
    if raw_code.frontend_node is not None:
        _keep_values(node, raw_code.frontend_node)
    if node.get("tool_mode"):
        try:
            tool_output_node(component, node, None)
        except CodeError as exc:
            raise _build_failure(exc) from exc
    else:
        node["template"].pop(TOOLS_METADATA, None)
    return CustomComponentResponse(data=node, type=component.type)


async def custom_component_update(code_request: UpdateCustomComponentRequest, user: CurrentUser, state: StateDep,
                                  flow_id: Annotated[UUID | None, Query()] = None) -> Any:
    """Update an existing custom component with new code and configuration.

    The node rebuilt from the code, carrying the posted template (the changed field's new value set, the code
    field holding the code) and the posted tool mode. A class's own update_build_config and update_outputs are not
    run. Any failure is a 400 whose detail is the failure's text."""
    code = _gated(state, user, code_request.code, errors.CUSTOM_EDITING_ADMIN_ONLY)
    try:
        component = _component(state, code, code_request.class_name())
    except errors.BadRequest as exc:  # Langflow wraps the build's own 400 as text
        raise errors.BadRequest(f"400: {exc.detail}") from exc
    node = component.node
    node["tool_mode"] = code_request.tool_mode
    template = copy.deepcopy(code_request.template)
    field, value = code_request.field, code_request.field_value
    if field in template:
        if not isinstance(template[field], dict):
            raise errors.BadRequest(f"'{type(template[field]).__name__}' object does not support item assignment")
        template[field]["value"] = value
    code_entry = template.get("code")
    if code_entry is not None and not isinstance(code_entry, dict):
        raise errors.BadRequest(f"'{type(code_entry).__name__}' object has no attribute 'get'")
    if not (code_entry or {}).get("value"):
        template["code"] = {**_ADDED_CODE_FIELD, "value": code}
        catalog.release_field(template["code"], state.profile.catalog)
    else:
        code_entry["value"] = code
    node["template"] = template
    if field == "tool_mode" or node["tool_mode"]:
        if value or node["tool_mode"]:
            previous = template.get(TOOLS_METADATA)
            try:
                tool_output_node(component, node, previous.get("value") if isinstance(previous, dict) else None)
            except CodeError as exc:
                raise errors.BadRequest(str(exc)) from exc
        else:
            template.pop(TOOLS_METADATA, None)
    return node


def _gated(state: AppState, user: Any, code: str, admin_only_detail: str) -> str:
    """The code the route may build: 1.13's custom-code policy decides (custom_code.resolve_code: the catalog's
    refusal of a blocked component's code, then the custom-code settings); older releases have no such gate."""
    return resolve_code(state, user, code, disabled_detail=errors.CUSTOM_CODE_DISABLED,
                        admin_only_detail=admin_only_detail)


def _build_failure(exc: CodeError) -> errors.BadRequest:
    """Langflow's 400 for a component it could not build: the error's text and a traceback."""
    return errors.BadRequest({"error": f"Error building Component: {exc}", "traceback": traceback.format_exc()})


def _component(state: AppState, code: str, class_name: str | None) -> Component:
    """The posted code's component (the catalog's own for its placeholder code, named by the saved node), or
    Langflow's 400 for a build that fails; 1.13's catalog policy refuses a type it blocks (403)."""
    profile = state.profile
    release = Release(profile.custom_components, profile.catalog)
    try:
        if (types := catalog.catalog_types(code)) is not None:  # a catalog component's own, or the bare placeholder
            component = _catalog_component(next(iter(types)) if len(types) == 1 else class_name, release)
        else:
            component = read(code, release, class_name=class_name)
    except CodeError as exc:
        raise _build_failure(exc) from exc
    if component.type in component_blocks(state):
        raise errors.Forbidden(errors.CODE_BLOCKS_COMPONENTS + component.type)
    return component


def _catalog_component(class_name: str | None, release: Release) -> Component:
    """A catalog component posted with its placeholder code (or the bare placeholder, with the class the saved
    node names): its node as /all serves it."""
    spec = catalog.components().get(class_name or "")
    if spec is None:
        raise CodeError(f"No Component subclass found in the code string. Code snippet: "
                        f"{catalog.CODE_PLACEHOLDER[:100]}")
    node = catalog.for_release(spec.name, catalog.node_template(spec.name), release.form)
    node["outputs"] = [{**_OUTPUT_DEFAULTS, **o} for o in node["outputs"]]
    inputs = [f for k, f in node["template"].items() if k != "code" and isinstance(f, dict)]
    return Component(node, spec.name, spec.name, inputs, node["outputs"], {}, release)


def _keep_values(node: dict[str, Any], saved: dict[str, Any]) -> None:
    """The saved node's field values on the rebuilt node (lfx update_frontend_node_with_template_values): each
    field of the same type keeps its non-null value; the node is `edited` when its code changed; it keeps the saved
    tool mode if a field can be a tool's, and, unedited, the saved display name and description."""
    saved_template = saved.get("template")
    if not isinstance(saved_template, dict) or "display_name" not in saved:
        return
    template = node["template"]
    for key, before in saved_template.items():
        field = template.get(key)
        if key == "code" or not isinstance(before, dict) or not isinstance(field, dict) \
                or field.get("type") != before.get("type"):
            continue
        if before.get("value") is not None:
            changed = field.get("value") != before["value"]
            if changed or ("load_from_db" in field and "load_from_db" in before):
                field["load_from_db"] = before.get("load_from_db", False)
            field["value"] = before["value"]
        if before.get("file_path"):
            field["file_path"] = before["file_path"]
    saved_code = saved_template.get("code")
    old_code = saved_code.get("value") if isinstance(saved_code, dict) else None
    node["edited"] = bool(saved.get("edited", False)) or old_code != template["code"]["value"]
    tool_capable = any(isinstance(f, dict) and f.get("tool_mode") for k, f in template.items() if k != "_type")
    node["tool_mode"] = bool(saved.get("tool_mode", False)) if tool_capable else False
    if not node["edited"]:
        node["display_name"] = saved.get("display_name", node.get("display_name", ""))
        node["description"] = saved.get("description", node.get("description", ""))
