"""LANGFLOW_LOAD_FLOWS_PATH: the flows of a folder upserted into the superuser's at every start of a server.

As Langflow's load_flows_from_directory: each regular file at the folder's top whose suffix is exactly `.json` is
one flow. A file named by a UUID gives the flow that id; an id that is no UUID skips the file. The flow the file
matches (Flows.load_match) is updated and becomes the superuser's, in its default project when in none; a
file that matches none makes a new flow in that project. What an update sets is the profile's
(startup.load_flows): 1.13's updatable columns present in the file, with the stored graph's global-variable
bindings kept, or, before 1.13, every field the file has. A file that cannot be read, is no JSON object or is
no flow stops the start (SeedError), as Langflow's start fails on it, and nothing of the folder is written.
"""

from __future__ import annotations

import logging
from copy import deepcopy
from pathlib import Path
from typing import Any
from uuid import UUID

from mock_langflow import errors
from mock_langflow.control.seed import SeedError, _json, flows_in
from mock_langflow.schemas.flows import FlowCreate

logger = logging.getLogger(__name__)

# 1.13's _FLOW_UPDATABLE_COLUMNS: what a file may change of a flow it matches
UPDATABLE = frozenset({"name", "description", "icon", "icon_bg_color", "gradient", "data", "is_component",
                       "webhook", "endpoint_name", "tags", "locked", "mcp_enabled", "action_name",
                       "action_description", "access_type", "fs_path"})
# before 1.13 every field of the file the flow has, but these (the flow keeps its id: the mock's other tables
# point to it; the owner and time are the loader's own; the folder is set apart, Flows.apply_loaded)
NOT_SET = frozenset({"id", "user_id", "updated_at", "workspace_id", "folder_id"})


def load_flows_path(state: Any, path: Path, *, user_id: UUID) -> int:
    """Upsert the folder's flows for the superuser `user_id`; returns how many were created or updated."""
    try:
        entries = sorted(path.iterdir())
    except FileNotFoundError as exc:
        raise SeedError(f"{path}: no such folder (LANGFLOW_LOAD_FLOWS_PATH)") from exc
    except NotADirectoryError as exc:
        raise SeedError(f"{path}: not a folder (LANGFLOW_LOAD_FLOWS_PATH)") from exc
    except OSError as exc:
        raise SeedError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    files = [(entry, _flow_file(entry)) for entry in entries if entry.suffix == ".json" and entry.is_file()]
    store = state.store
    default = store.projects.default_for(user_id).id
    count = 0
    with store.flows.db.session() as s:  # one transaction: a failing file leaves none of the others written
        for entry, flow in files:
            try:
                count += _upsert(state, s, entry, flow, user_id=user_id, default_folder=default)
            except errors.MockHTTPError as exc:
                raise SeedError(f"{entry}: cannot be stored ({exc.detail})") from exc
    return count


def _flow_file(entry: Path) -> dict[str, Any]:
    try:
        raw = entry.read_bytes()
    except OSError as exc:
        raise SeedError(f"{entry}: cannot be read ({exc.strerror or exc})") from exc
    body = _json(raw, source=str(entry))
    if not isinstance(body, dict):
        raise SeedError(f"{entry}: not a Langflow flow (a JSON object is expected)")
    return body


def _canonical_uuid(text: str) -> bool:
    """Whether a file's stem is a UUID as Langflow writes one (lower case, with hyphens)."""
    try:
        return str(UUID(text)) == text
    except ValueError:
        return False


def _upsert(state: Any, s: Any, entry: Path, flow: dict[str, Any], *, user_id: UUID, default_folder: UUID) -> int:
    settings, store = state.settings, state.store
    guarded = state.profile.startup.load_flows == "guarded"
    if _canonical_uuid(entry.stem):
        flow = {**flow, "id": entry.stem}
    flow_id = flow.get("id")
    if isinstance(flow_id, str):
        try:
            flow_id = UUID(flow_id)
        except ValueError:
            logger.warning("%s: skipped, its id %r is not a UUID", entry, flow_id)
            return 0
    endpoint, name = flow.get("endpoint_name"), flow.get("name")
    existing = store.flows.load_match(s, flow_id=flow_id if isinstance(flow_id, UUID) else None,
                                      endpoint_name=endpoint if isinstance(endpoint, str) else None,
                                      name=name if isinstance(name, str) else None, owner=user_id, scoped=guarded)
    if existing is None:
        new = _validated(flow, entry).model_copy(update={"updated_at": None})
        store.flows.insert(s, new, user_id=user_id, default_folder=default_folder, folder_override=default_folder,
                           rename=False, clash=errors.Conflict, as_sent=True)
        return 1
    if guarded and existing.id != flow_id and not settings.load_flows_overwrite_on_name_match:
        logger.warning("%s: skipped, flow %s (%r) matched by name or endpoint name has another id; "
                       "LANGFLOW_LOAD_FLOWS_OVERWRITE_ON_NAME_MATCH=true overwrites it", entry, existing.id,
                       existing.name)
        return 0
    validated = _validated({"name": existing.name, **flow}, entry)
    keys = (UPDATABLE if guarded else set(FlowCreate.model_fields) - NOT_SET) & flow.keys()
    values = {key: getattr(validated, key) for key in keys}
    if guarded and "data" in values and settings.load_flows_preserve_variable_bindings:
        values["data"] = keep_variable_bindings(existing.data, values["data"])
    if not guarded and "folder_id" in flow:
        values["folder_id"] = validated.folder_id
    store.flows.apply_loaded(s, existing, values, user_id=user_id, default_folder=default_folder)
    return 1


def _validated(flow: dict[str, Any], entry: Path) -> FlowCreate:
    """The file's flow as Langflow's Flow model reads it (code given as lines joined in 1.13)."""
    return flows_in([flow], source=str(entry))[1][0]


def keep_variable_bindings(stored: Any, incoming: Any) -> Any:
    """1.13's LANGFLOW_LOAD_FLOWS_PRESERVE_VARIABLE_BINDINGS: the incoming graph, except that a template field
    the stored graph's node of the same id binds to a global variable (load_from_db true, a variable name as
    value) keeps that binding where the incoming field binds none; nested flows (a node's "flow" with "data")
    likewise. The incoming graph is copied, never altered."""
    merged = deepcopy(incoming)
    _merge_into(stored, merged)
    return merged


def _merge_into(stored: Any, graph: Any) -> None:
    if not isinstance(stored, dict) or not isinstance(graph, dict):
        return
    old_nodes, new_nodes = stored.get("nodes"), graph.get("nodes")
    if not isinstance(old_nodes, list) or not isinstance(new_nodes, list):
        return
    by_id = {node["id"]: node for node in old_nodes if isinstance(node, dict) and isinstance(node.get("id"), str)}
    for node in new_nodes:
        old = by_id.get(node.get("id")) if isinstance(node, dict) and isinstance(node.get("id"), str) else None
        if old is None:
            continue
        old_template, new_template = _part(old, "template"), _part(node, "template")
        if old_template is not None and new_template is not None:
            for field_name, field in new_template.items():
                before = old_template.get(field_name)
                if isinstance(field, dict) and _bound(before) and not _bound(field):
                    field["value"], field["load_from_db"] = before["value"], True
        old_flow, new_flow = _part(old, "flow"), _part(node, "flow")
        if old_flow is not None and new_flow is not None and "data" in new_flow:
            _merge_into(old_flow.get("data"), new_flow["data"])


def _part(node: dict[str, Any], key: str) -> dict[str, Any] | None:
    """A node's data.node.<key> when that is an object."""
    inner = node.get("data")
    spec = inner.get("node") if isinstance(inner, dict) else None
    part = spec.get(key) if isinstance(spec, dict) else None
    return part if isinstance(part, dict) else None


def _bound(field: Any) -> bool:
    """A template field bound to a global variable: load_from_db true and a variable name as its value."""
    return isinstance(field, dict) and field.get("load_from_db") is True and isinstance(field.get("value"), str) \
        and bool(field["value"])
