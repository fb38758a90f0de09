"""Seeding: load flows, projects and files from a folder or from Langflow's own export files.

A folder seeds like this:
- `*.json` and `*.zip` at its top: flows for the default project (a flow, `{"flows": [...]}`, a project
  export `{"folder_name", "flows"}`, or a zip of flows as Langflow's download makes);
- each sub-folder: a project of that name, holding the flows found in it;
- `files/`: uploaded (v2) files of the superuser, byte for byte.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from mock_langflow.jsonsafety import MAX_JSON_DEPTH, lone_surrogate_in, object_too_deep
from mock_langflow.schemas.flows import FlowCreate
from mock_langflow.schemas.projects import FolderCreate


class SeedError(ValueError):
    """A seed that cannot be loaded; says which file and why."""


def flows_in(body: Any, *, source: str) -> tuple[str | None, list[FlowCreate]]:
    """(project name or None, flows) of one Langflow export."""
    project = None
    if isinstance(body, dict) and "flows" in body:
        project = body.get("folder_name") if isinstance(body.get("folder_name"), str) else None
        items = body["flows"]
        if not isinstance(items, list):  # a number or null was a 500; a string was read letter by letter
            raise SeedError(f"{source}: flows is not a list of flows")
    elif isinstance(body, list):
        items = body
    else:
        items = [body]
    if object_too_deep(items):
        raise SeedError(f"{source}: nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return project, [FlowCreate.model_validate(item) for item in items]
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SeedError(f"{source}: not a Langflow flow ({'.'.join(map(str, err['loc']))}: {err['msg']})") from exc


def _read_flows(path: Path) -> list[tuple[str | None, list[FlowCreate]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if path.suffix.lower() != ".zip":
        return [flows_in(_json(raw, source=str(path)), source=str(path))]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [(name, archive.read(name)) for name in archive.namelist() if name.lower().endswith(".json")]
    # a damaged archive, a damaged or encrypted member, a compression zipfile does not know
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise SeedError(f"{path}: not a readable zip file ({exc})") from exc
    return [flows_in(_json(data, source=f"{path}:{name}"), source=f"{path}:{name}") for name, data in members]


def _json(raw: bytes, *, source: str) -> Any:
    try:
        body = json.loads(raw.decode("utf-8-sig"))  # a byte-order mark, as some Windows editors write, is no error
    except ValueError as exc:  # UnicodeDecodeError included
        raise SeedError(f"{source}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise SeedError(f"{source}: nested more than {MAX_JSON_DEPTH} levels deep") from exc
    lone = lone_surrogate_in(body)
    if lone is not None:  # the database could not store it
        raise SeedError(f"{source}: a string holds a lone surrogate ({lone}), which is not text")
    return body


def _name(path: Path) -> str:
    """A file or folder name that becomes a project or file name: a name that is not UTF-8 (Python reads its
    bytes as lone surrogates) cannot be stored."""
    if lone_surrogate_in(path.name) is not None:
        raise SeedError(f"{path.parent / path.name.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')}: "
                        "its name is not UTF-8")
    return path.name


def seed_body(state: Any, body: Any, *, user_id: UUID, project: str | None = None) -> dict[str, int]:
    """Seed one export given as JSON (the control API's POST /_mock/seed)."""
    named, flows = flows_in(body, source="request body")
    return _create(state, flows, user_id=user_id, project=project or named)


def seed_path(state: Any, path: Path, *, user_id: UUID) -> dict[str, int]:
    if not path.exists():
        raise SeedError(f"{path}: no such file or folder")
    totals = {"flows": 0, "projects": 0, "files": 0}

    def add(counts: dict[str, int]) -> None:
        for key, value in counts.items():
            totals[key] += value

    if path.is_file():
        for project, flows in _read_flows(path):
            add(_create(state, flows, user_id=user_id, project=project))
        return totals
    for entry in sorted(path.iterdir()):
        if entry.is_file() and entry.suffix.lower() in (".json", ".zip"):
            for project, flows in _read_flows(entry):
                add(_create(state, flows, user_id=user_id, project=project))
        elif entry.is_dir() and entry.name == "files":
            add(_seed_files(state, entry, user_id=user_id))
        elif entry.is_dir():
            flows = [f for file in sorted(entry.glob("*")) if file.suffix.lower() in (".json", ".zip")
                     for _, found in _read_flows(file) for f in found]
            add(_create(state, flows, user_id=user_id, project=_name(entry)))
    return totals


def _create(state: Any, flows: list[FlowCreate], *, user_id: UUID, project: str | None) -> dict[str, int]:
    store = state.store
    default = store.projects.default_for(user_id)
    folder_id, projects = default.id, 0
    if project:
        existing = next((p for p in store.projects.list(user_id) if p.name == project), None)
        if existing is None:
            existing = store.projects.create(FolderCreate.model_construct(name=project), user_id=user_id)
            projects = 1
        folder_id = existing.id
    # Seeding again updates what the last seeding made instead of adding copies ("Name (1)"): a flow is the
    # user's flow with its id (Langflow's exports carry one), or without an id, the flow of its name in the
    # project it goes to (only once: two flows of one seed never become one).
    named = store.flows.ids_by_name(user_id=user_id, folder_id=folder_id)
    flows = [flow if flow.id is not None or flow.name not in named
             else flow.model_copy(update={"id": named.pop(flow.name)}) for flow in flows]
    created = store.flows.create_many(flows, user_id=user_id, default_folder=default.id, folder_id=folder_id,
                                      update_own=True)
    return {"flows": len(created), "projects": projects}


def _seed_files(state: Any, folder: Path, *, user_id: UUID) -> dict[str, int]:
    store = state.store
    count = 0
    for file in sorted(p for p in folder.iterdir() if p.is_file()):
        store.files.seed_user_file(user_id=user_id, name=_name(file), content=file.read_bytes())
        count += 1
    return {"files": count}
