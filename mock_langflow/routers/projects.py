"""/api/v1/projects (fact 41), and the old /api/v1/folders paths that redirect to it."""

from __future__ import annotations

import json
import re
import string
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import Depends, File, Query, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from pydantic import Field, TypeAdapter, ValidationError, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticKnownError

from mock_langflow import errors
from mock_langflow.audit import audited
from mock_langflow.auth import CurrentUser
from mock_langflow.clock import as_utc
from mock_langflow.deps import StateDep
from mock_langflow.jsonsafety import object_too_deep
from mock_langflow.mcp import projects as mcp_projects
from mock_langflow.profiles import current
from mock_langflow.responses import ZIP, answers, json_body, page_count, typed_text, zip_response
from mock_langflow.routers.flows import (
    batch_clash,
    component_blocks,
    export_names,
    read_ids,
    read_upload,
    refuse_blocked_components,
    refuse_reserved_ids,
)
from mock_langflow.routing import LazyModule, api_router, documented
from mock_langflow.schemas.flows import FlowCreate, FlowListCreate, FlowRead, Page
from mock_langflow.schemas.projects import (
    FolderCreate,
    FolderListRead,
    FolderRead,
    FolderReadWithFlows,
    FolderUpdate,
    FolderWithPaginatedFlows,
)
from mock_langflow.state import AppState
from mock_langflow.store.flows import flow_read, flows_archive, project_download
from mock_langflow.store.models import FolderRow, UserRow
from mock_langflow.store.projects import DEFAULT_PROJECT_NAME, EXAMPLES_FOLDER_NAME

bodies = LazyModule("mock_langflow.schemas.deployment")  # request bodies, imported when a route is first analysed
router = api_router(prefix="/projects", tags=["Projects"])
folders_router = api_router(prefix="/folders", tags=["Folders"])


def _read(row: Any) -> FolderRead:
    return FolderRead.model_validate(row, from_attributes=True)


@router.post("/", status_code=201)
@audited("project_create")
async def create_project(project: FolderCreate, user: CurrentUser, state: StateDep) -> FolderRead:
    """POST /api/v1/projects/: a taken name becomes "Name (1)". With auto-login off, a project created without
    auth settings gets API-key auth for its MCP server ({"auth_type": "apikey"}), as Langflow does. The project
    gets an entry in the caller's MCP server list; a 409 when every name that entry could have is another
    project's."""
    return _create(state, user, project, state.ids.uuid())


def _create(state: AppState, user: UserRow, project: FolderCreate, project_id: UUID) -> FolderRead:
    data = _keyed(project, state)
    if state.profile.mcp.server_follows_auth:
        kind = (data.auth_settings or {}).get("auth_type", "none")
    else:
        kind = "apikey" if not state.settings.auto_login and not project.auth_settings else "none"
    # a 409, then (1.13, custom code restricted) a 403 for the entry a user may not write: no project is made
    slot = mcp_projects.check_new_server(state, user, project_id,
                                         state.store.projects.free_name(user.id, data.name), kind, creating=True)
    row = state.store.projects.create(data, user_id=user.id, project_id=project_id,
                                      anyones=state.profile.projects.flows_of == "anyone")
    mcp_projects.register_server(state, row, user, kind, slot)
    return _read(row)


def _keyed(project: FolderCreate, state: AppState) -> FolderCreate:
    if state.settings.auto_login or project.auth_settings:
        return project
    return project.model_copy(update={"auth_settings": {"auth_type": "apikey"}})


@router.get("/")
async def read_projects(user: CurrentUser, state: StateDep) -> list[FolderListRead]:
    """GET /api/v1/projects/: the caller's projects by name, any named "Starter Project" first (Langflow sorts
    by that name alone, whether or not it is the one the user started with). Like Langflow's, it makes no
    default project: a user who deleted every project has none until a sign-in or a flow made without one. Before
    1.13 a project named as the examples' folder ("Starter Projects") is left out like it, whoever's."""
    rows = sorted(state.store.projects.list(user.id, by_name=True), key=lambda r: r.name != DEFAULT_PROJECT_NAME)
    if not state.profile.projects.listed_examples_name:
        rows = [r for r in rows if r.name != EXAMPLES_FOLDER_NAME]
    return [FolderListRead(**_read(r).model_dump(), owner_username=user.username, is_owner=True) for r in rows]


# Langflow's page parameters (fastapi_pagination's Params): the first page, 50 to a page, at most 100.
PAGE_LIMITS = {"page": TypeAdapter(Annotated[int, Field(ge=1)]),
               "size": TypeAdapter(Annotated[int, Field(ge=1, le=100)])}


def _limited(low: int, high: int | None = None) -> WrapValidator:
    """1.13's limits of a page parameter, only while a 1.13 server answers (profile projects.page_params): the
    same errors as `Query(ge=..., le=...)` would give, listed with the request's other errors. A validator that
    asks the profile, rather than a second dependency swapped in through app.dependency_overrides: with any
    override set, FastAPI analyses every dependency of every request again (benchmarks/README.md, fix 44)."""

    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> int | None:
        number = handler(value)
        if number is None or current().projects.page_params != "bounded":
            return number
        if number < low:
            raise PydanticKnownError("greater_than_equal", {"ge": low})
        if high is not None and number > high:
            raise PydanticKnownError("less_than_equal", {"le": high})
        return number

    return WrapValidator(check)


async def page_query(page: Annotated[int | None, Query(), _limited(1)] = None,
                     size: Annotated[int | None, Query(), _limited(1, 100)] = None) -> None:
    """A project read's page and size checked as a dependency, as Langflow's custom_params checks them, so their
    422 errors come before those of the route's other parameters: within 1.13's limits (a page under 1 or a size
    outside 1..100 is FastAPI's 422), without limits before. The route declares the two parameters itself too, as
    Langflow's does (its document keeps Langflow's parameter order, and 1.13 lists an error of theirs again, after
    the path's)."""


PAGE_CHECK = [Depends(page_query)]


def _params(rule: str, page: int | None, size: int | None) -> tuple[int, int] | None:
    """Langflow's page parameters (its custom_params): none unless page or size is sent, else the first page and
    50 to a page where not given. 1.13's limits were checked with the request (page_query). Before, they
    are declared without limits and 0 stands for the default (`page or 1`, `size or 50`); a value Params still
    refuses fails Langflow's request with a 500, which no recording shows: the mock's answer is the same 422
    (README)."""
    if page is None and size is None:
        return None
    page, size = page or 1, size or 50
    if rule == "defaults":
        problems: list[dict[str, Any]] = []
        for name, value in (("page", page), ("size", size)):
            try:
                PAGE_LIMITS[name].validate_python(str(value))
            except ValidationError as exc:
                problems.extend({**e, "loc": ("query", name)} for e in exc.errors(include_url=False))
        if problems:
            raise RequestValidationError(problems)
    return page, size


# SQLite's LIKE (Langflow's default database) ignores the case of ASCII letters only: "É" does not match "é".
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _like_folded(text: str) -> str:
    """Text as SQLite's LIKE compares it: ASCII letters in lower case, every other character as it is."""
    return text.translate(_ASCII_LOWER)


def _like(pattern: str) -> re.Pattern[str]:
    """SQL LIKE's `%<pattern>%` as a regular expression: `%` any text, `_` any one character."""
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in _like_folded(pattern))
    return re.compile("".join(parts), re.DOTALL)


@router.get("/{project_id}/deployment-snapshot", status_code=200, response_model=None,
            responses={200: {"model": documented("DeploymentSnapshot")}, 404: {"description": "Project not found"},
                       413: {"description": "Snapshot is too large"}})
async def read_project_deployment_snapshot(project_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """GET /api/v1/projects/{id}/deployment-snapshot (1.13): the caller's project and all its flows, for a deploy
    target, with the variables, connections and models they need (engine/deployment.py); never cached. A project
    that is not the caller's is a 404, one without flows a 422, one past Langflow's limits a 413, one whose flows
    hold a secret (or a binding to no variable of the owner's) a 422: each names its reason in the
    X-Langflow-Error-Code header."""
    from mock_langflow.engine.deployment import build_snapshot  # (the route's first call)

    project = state.store.projects.find(project_id)
    if project is None or project.user_id != user.id:
        raise errors.coded(errors.NotFound, errors.PROJECT_NOT_FOUND, "snapshot_project_not_found")
    snapshot = build_snapshot(project, state.store.flows.in_folder(project_id), export_names(state, user.id))
    return Response(typed_text(json_body(snapshot), state.profile.http.typed_json), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


# Typed for /openapi.json as Langflow types it (the route's own answer is not checked against it).
@router.get("/{project_id}", response_model=None, dependencies=PAGE_CHECK,
            responses={200: {"model": FolderWithPaginatedFlows | FolderReadWithFlows}})
async def read_project(project_id: UUID, user: CurrentUser, state: StateDep,
                       page: Annotated[int | None, Query(), _limited(1)] = None,
                       size: Annotated[int | None, Query(), _limited(1, 100)] = None,
                       is_component: bool = False, is_flow: bool = False,
                       search: str = "") -> Response:
    """GET /api/v1/projects/{id}: with all its flows; with page and size, a page of them, the latest updated
    first, filtered as asked (as Langflow's, the filters apply to a page only, and is_component with is_flow
    leaves nothing). The limits of page and size follow the release (profile projects.page_params). Langflow's
    answer is typed: the flows' floats are written as its FastAPI writes a response model."""
    params = _params(state.profile.projects.page_params, page, size)
    folder = state.store.projects.get(project_id, user_id=user.id)
    _, rows = state.store.flows.list(user_id=user.id, include_examples=False, folder_id=folder.id)
    typed = state.profile.http.typed_json
    if params is None or page is None or size is None:  # a page only when both were sent
        whole = FolderReadWithFlows(**_read(folder).model_dump(), flows=[flow_read(r) for r in rows])
        return Response(typed_text(json_body(whole), typed), media_type="application/json")
    page, size = params
    if state.profile.projects.flows_of == "anyone":  # before 1.13 a page is the project's flows, whoever's
        rows = state.store.flows.in_folder(folder.id)
    if is_component:
        rows = [r for r in rows if r.is_component is True]
    if is_flow:
        rows = [r for r in rows if r.is_component is False]
    if search and state.profile.projects.search == "like":  # 1.8 puts the text in a LIKE pattern unescaped
        pattern = _like(search)
        rows = [r for r in rows if pattern.search(_like_folded(r.name))]
    elif search:  # SQL LIKE: case-insensitive for ASCII letters only
        rows = [r for r in rows if _like_folded(search) in _like_folded(r.name)]
    rows.sort(key=lambda r: as_utc(r.updated_at), reverse=True)  # a stable sort: ties stay in creation order
    chunk = [flow_read(r) for r in rows[(page - 1) * size: page * size]]
    paged = FolderWithPaginatedFlows(folder=_read(folder),
                                     flows=Page[FlowRead](items=chunk, total=len(rows), page=page, size=size,
                                                          pages=page_count(len(rows), size)))
    return Response(typed_text(json_body(paged), typed), media_type="application/json")


@router.put("/{project_id}/replacement-operations/{operation_id}", response_model=None,
            responses={200: {"model": documented("ProjectReplacementResult")}})
async def replace_project_operation(project_id: UUID, operation_id: UUID,
                                    request_body: bodies.ProjectReplacementRequest, user: CurrentUser,
                                    state: StateDep) -> Response:
    """PUT /api/v1/projects/{id}/replacement-operations/{operation_id} (1.13): the project's flows become the
    body's, all or nothing, with a receipt kept under the operation id (store/replacements.py); a project that does
    not exist is made when the body names it (`project_name`, a deployment slug), with its MCP server entry as a
    POST makes one. The same body again answers the receipt; another body with that id is a 409."""
    store = state.store
    refuse_reserved_ids(state, (flow.id for flow in request_body.flows), new_only=True)
    kind = "none" if state.settings.auto_login else "apikey"
    slot = None
    if store.replacements.creates(project_id, operation_id, request_body):
        slot = mcp_projects.check_new_server(state, user, project_id, request_body.project_name, kind, creating=True)
    done = store.replacements.replace(project_id, operation_id, request_body, user_id=user.id,
                                      auth_settings=None if kind == "none" else {"auth_type": kind},
                                      blocked=component_blocks(state))
    if done.created is not None:
        mcp_projects.register_server(state, done.created, user, kind, slot)
    return _receipt(state, done.result)


@router.get("/{project_id}/replacement-operations/{operation_id}", response_model=None,
            responses={200: {"model": documented("ProjectReplacementResult")}})
async def get_project_replacement_operation(project_id: UUID, operation_id: UUID, user: CurrentUser,
                                            state: StateDep) -> Response:
    """GET /api/v1/projects/{id}/replacement-operations/{operation_id} (1.13): the caller's receipt as committed,
    even once the project changed or is gone; 404 for none, 410 for one past the newest ten of its project."""
    return _receipt(state, state.store.replacements.read(project_id, operation_id, user_id=user.id))


def _receipt(state: AppState, result: dict[str, Any]) -> Response:
    return Response(typed_text(json_body(result), state.profile.http.typed_json), media_type="application/json")


@router.patch("/{project_id}")
@audited("project_patch")
async def update_project(project_id: UUID, project: FolderUpdate, user: CurrentUser, state: StateDep) -> FolderRead:
    """PATCH /api/v1/projects/{id}: rename (a taken name is 409), describe, re-parent; flows stay put. The
    project's MCP server entry is renamed with it (409 when the new name is another project's) and, in 1.13,
    rewritten for new auth settings."""
    return _update(state, user, project_id, project)


@router.put("/{project_id}", status_code=200,
            responses={201: {"model": FolderRead, "description": "Project created."}})
@audited("project_put")
async def upsert_project(project_id: UUID, project: FolderCreate, response: Response, user: CurrentUser,
                         state: StateDep) -> FolderRead:
    """PUT /api/v1/projects/{id} (1.13): the caller's project of that id is updated as a PATCH of the name,
    description and auth settings sent would (200; flows_list or components_list there are a 400); an id
    nobody uses becomes a new project as a POST would make it, with that id (201), but a name the caller uses
    is a 409 instead of being numbered. Another user's project is a 404."""
    existing = state.store.projects.find(project_id)
    if existing is not None:
        if existing.user_id != user.id:
            raise errors.ProjectNotFound()
        if project.flows_list or project.components_list:
            raise errors.BadRequest(errors.PROJECT_UPSERT_MOVES)
        update = FolderUpdate(**project.model_dump(include={"name", "description", "auth_settings"},
                                                   exclude_unset=True))
        return _update(state, user, project_id, update)
    if state.store.projects.name_taken(user.id, project.name, other_than=None):
        raise errors.Conflict(errors.PROJECT_NAME_TAKEN)
    response.status_code = 201
    return _create(state, user, project, project_id)


def _update(state: AppState, user: UserRow, project_id: UUID, project: FolderUpdate) -> FolderRead:
    current = state.store.projects.get(project_id, user_id=user.id)
    move = None
    new_name = project.name if project.name and project.name != current.name else None
    taken = new_name is not None and state.store.projects.name_taken(user.id, new_name, other_than=project_id)
    if taken and state.profile.projects.rename_taken == "500":
        raise _rename_clash(state, current, project)
    if new_name is not None and not taken:  # a taken name is the update's 409
        move = mcp_projects.server_move(state, user, current, new_name)
    follows = state.profile.mcp.server_follows_auth and "auth_settings" in project.model_fields_set
    if follows:  # a 409 or 403 changes nothing
        mcp_projects.check_new_server(state, user, project_id, project.name or current.name,
                                      (project.auth_settings or {}).get("auth_type"), moved=move and move[1])
    row = state.store.projects.update(project_id, project, user_id=user.id,
                                      evict_others=state.profile.projects.flows_of == "anyone",
                                      parent_check=state.profile.projects.parent_check)
    mcp_projects.move_server(state, user, move)
    if follows:
        mcp_projects.register_server(state, row, user, (row.auth_settings or {}).get("auth_type"))
    return _read(row)


def _rename_clash(state: AppState, row: FolderRow, project: FolderUpdate) -> errors.ServerError:
    """Before 1.13 (profile projects.rename_taken "500"), a PATCH renaming a project to a name another of the
    owner's projects has: update_project checks nothing and its catch-all answers the database's refusal as a 500
    with SQLAlchemy's text (1.8.4, 1.7.1 api/v1/projects.py), its session rolled back, so nothing changes. With MCP
    servers following projects (the default), the MCP rename's first query flushes the new name, with the auth
    settings the body changed, and the update's own flush then reports that failure; without, that flush fails,
    with the description and parent set as well."""
    autoflushed = state.settings.add_projects_to_mcp_servers
    columns: dict[str, object] = {"name": project.name}  # in the folder table's column order
    if not autoflushed and project.description is not None and project.description != row.description:
        columns["description"] = project.description
    if "auth_settings" in project.model_fields_set:
        sealed = state.store.projects.sealer.replaced(row.auth_settings, project.auth_settings)
        if sealed != row.auth_settings:
            columns["auth_settings"] = json.dumps(sealed)  # SQLAlchemy's JSON column: None is 'null'
    if not autoflushed and project.parent_id is not None and project.parent_id != row.parent_id:
        columns["parent_id"] = project.parent_id.hex
    return errors.ServerError(errors.project_rename_clash(columns, row.id, autoflushed=autoflushed))


@router.delete("/{project_id}", status_code=204)
@audited("project_delete")
async def delete_project(project_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/projects/{id}: the project and its flows, and its entry in the caller's MCP server list;
    204 with no body."""
    project = state.store.projects.get(project_id, user_id=user.id)
    if project.name == errors.ASSISTANT_PROJECT:  # Langflow's home of its assistant's flows, whoever made it
        raise errors.Forbidden(state.profile.projects.assistant_refusal)
    state.store.delete_project(project_id, user_id=user.id)
    mcp_projects.unregister_server(state, user, project)
    return Response(status_code=204)


@router.get("/download/{project_id}", response_model=None, response_class=Response, responses=answers(ZIP))
async def download_file(project_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """GET /api/v1/projects/download/{id}: a zip of the project's flows."""
    with errors.rewrapped(state.profile.projects.download_empty == "500"):
        folder = state.store.projects.get(project_id, user_id=user.id)
        if state.profile.projects.flows_of == "anyone":  # before 1.13: the project's flows, whoever's
            rows = state.store.flows.in_folder(folder.id)
        else:
            _, rows = state.store.flows.list(user_id=user.id, include_examples=False, folder_id=folder.id)
        if not rows:
            raise errors.NotFound(errors.NO_FLOWS_IN_PROJECT)
    if any(r.data is None for r in rows):
        # Deliberate: Langflow's export fails reading the graph of a flow that has none (a 500, its text per release)
        raise errors.ServerError(state.profile.projects.download_failure)
    filename = f"{as_utc(state.clock.now()).strftime('%Y%m%d_%H%M%S')}_{folder.name}_flows.zip"
    known = export_names(state, user.id)
    return zip_response(flows_archive(rows, lambda row: project_download(row, known)), filename,
                        state.profile.projects.download_disposition)


@router.post("/upload/", status_code=201)
@audited("project_upload")
async def upload_file(user: CurrentUser, state: StateDep,
                      file: Annotated[UploadFile | None, File()] = None) -> list[FlowRead]:
    """POST /api/v1/projects/upload/: {"folder_name", "folder_description", "flows"} becomes a new project."""
    if file is None:
        raise errors.BadRequest(errors.NO_FILE_PROVIDED)
    current = state.profile.flows.upload_errors != "legacy"
    project, flows = project_file(await file.read(), file.filename, current=current)
    if current:  # numbered first, then read as a typed project is: a refusal is a 422 with its first message
        name = project.name
        if isinstance(name, str):
            name = state.store.projects.upload_name(user.id, name)
        try:
            project = FolderCreate(name=name, description=project.description)
        except ValidationError as exc:
            raise errors.UnprocessableEntity(exc.errors()[0]["msg"]) from exc
    else:
        project = project.model_copy(update={"name": state.store.projects.upload_name(user.id, project.name)})
    flows = read_ids(state, flows)
    refuse_reserved_ids(state, (f.id for f in flows))  # they go in as a batch create, which refuses these
    refuse_blocked_components(state, (f.data for f in flows))  # and (1.13) graphs using blocked components
    clash = batch_clash(state)
    rows = state.store.upload_project(_keyed(project, state), flows, user_id=user.id,
                                      names=state.profile.projects.upload_names, clash=clash)
    return [flow_read(r) for r in rows]


def project_file(raw: bytes, filename: str | None, *, current: bool) -> tuple[FolderCreate, list[FlowCreate]]:
    """The new project and its flows. 1.13 (`current`), as its upload_project_flows: an empty file,
    bad JSON, a body that is not an object or lacks folder_name or flows are 400s with Langflow's texts, and a
    ZIP of flow files (a project's download) becomes a project named after the file. Before 1.13, an empty file
    and a file without flows are 400s with Langflow's texts; the rest (bad JSON, no folder_name or
    folder_description...) is the mock's own 400 "Invalid project file" (Langflow fails with a 500)."""
    if current:
        body, zipped = read_upload(raw)
        if zipped:
            base = filename.rsplit(".", 1)[0] if filename else ""
            body = {"folder_name": base or "Imported Project", "folder_description": "", **body}
        if not body:
            raise errors.BadRequest(errors.NO_FLOWS_IN_FILE)
        if not isinstance(body, dict):
            raise errors.BadRequest("Invalid project data: expected a JSON object with 'folder_name' and 'flows' "
                                    "fields")
        missing = [key for key in ("folder_name", "flows") if key not in body]
        if missing:
            raise errors.BadRequest(f"Missing required field(s): {', '.join(missing)}")
        if object_too_deep(body):
            raise errors.BadRequest("Invalid project file")
        # As upload_project_flows: the flows are read as a batch's body first; a flow the model refuses (no
        # name, a graph without nodes or edges, a bad icon colour...) is a 422 with pydantic's report.
        try:
            flows = FlowListCreate.model_validate({"flows": body["flows"]}).flows
        except ValidationError as exc:
            raise errors.UnprocessableEntity(str(exc)) from exc
        # Not validated here: the name is checked once numbered (upload_file). 1.13 reads a missing
        # folder_description as "".
        return FolderCreate.model_construct(name=body["folder_name"],
                                            description=body.get("folder_description", "")), flows
    try:
        if not current:
            body = orjson.loads(raw)  # orjson, not json: it refuses lone surrogates, which SQLite could not store.
        if not body:
            raise errors.BadRequest(errors.NO_FLOWS_IN_FILE)
        if object_too_deep(body):
            raise ValueError("nested too deep")
        # Langflow reads folder_name and folder_description with [] (a KeyError when left out: its 500), and
        # refuses a file without flows only after that, with nothing made.
        project = FolderCreate(name=str(body["folder_name"]), description=body["folder_description"])
        if "flows" not in body:
            raise errors.BadRequest(errors.NO_FLOWS_IN_DATA)
        return project, [FlowCreate.model_validate(f) for f in body["flows"]]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise errors.BadRequest("Invalid project file") from exc


# --- /api/v1/folders: renamed to projects; Langflow answers 307 to the same path under /projects ---------
# As its folders.py: the ids are parsed (a bad one is a 422), the query is dropped, except that a read's
# Location is rebuilt from its own parameters (flags as "True", and page and size both set once either is).


def _to_projects(path: str) -> RedirectResponse:
    return RedirectResponse(f"/api/v1/projects/{path}", status_code=307)


# The redirects carry the answers Langflow's decorators declare, for /openapi.json (1.7.1 lists them); what they
# answer is the 307 whatever the declared status.
@folders_router.post("/", include_in_schema=False, response_model=FolderRead, status_code=201)
async def create_folder_redirect() -> RedirectResponse:
    return _to_projects("")


@folders_router.get("/", include_in_schema=False, response_model=list[FolderRead])
async def read_folders_redirect() -> RedirectResponse:
    return _to_projects("")


@folders_router.get("/{folder_id}", include_in_schema=False, dependencies=PAGE_CHECK,
                    response_model=FolderWithPaginatedFlows | FolderReadWithFlows)
async def read_folder_redirect(folder_id: UUID, state: StateDep,
                               page: Annotated[int | None, Query()] = None,
                               size: Annotated[int | None, Query()] = None,
                               is_component: bool = False, is_flow: bool = False,
                               search: str = "") -> RedirectResponse:
    paging = _params(state.profile.projects.page_params, page, size)
    params = []
    if is_component:
        params.append("is_component=True")
    if is_flow:
        params.append("is_flow=True")
    if search:
        params.append(f"search={search}")
    if paging is not None:
        params += [f"page={paging[0]}", f"size={paging[1]}"]
    return _to_projects(f"{folder_id}" + ("?" + "&".join(params) if params else ""))


@folders_router.patch("/{folder_id}", include_in_schema=False, response_model=FolderRead)
async def update_folder_redirect(folder_id: UUID) -> RedirectResponse:
    return _to_projects(str(folder_id))


@folders_router.delete("/{folder_id}", include_in_schema=False, status_code=204)
async def delete_folder_redirect(folder_id: UUID) -> RedirectResponse:
    return _to_projects(str(folder_id))


@folders_router.get("/download/{folder_id}", include_in_schema=False)
async def download_file_redirect(folder_id: UUID) -> RedirectResponse:
    return _to_projects(f"download/{folder_id}")


@folders_router.post("/upload/", include_in_schema=False, response_model=list[FlowRead], status_code=201)
async def upload_file_redirect() -> RedirectResponse:
    return _to_projects("upload/")
