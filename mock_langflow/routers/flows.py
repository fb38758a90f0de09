"""/api/v1/flows: create, list, read, update, delete, upload and download (facts 31-36)."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import Body, Depends, File, Header, Query, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from mock_langflow import errors
from mock_langflow.audit import audited
from mock_langflow.auth import CurrentUser, optional_user_where
from mock_langflow.clock import as_utc
from mock_langflow.deps import StateDep
from mock_langflow.engine.scrubbing import without_secret_values
from mock_langflow.jsonsafety import MAX_JSON_DEPTH, object_too_deep
from mock_langflow.responses import ZIP, answers, json_body, listing, page_count, typed_text, zip_response
from mock_langflow.routing import api_router, documented
from mock_langflow.schemas.flows import (
    FlowCreate,
    FlowHeader,
    FlowListCreate,
    FlowRead,
    FlowsDeleted,
    FlowType,
    FlowUpdate,
    GraphDumpResponse,
    MessageResponse,
    Page,
    PublicFlowCapabilities,
    PublicFlowRead,
)
from mock_langflow.state import AppState
from mock_langflow.store import example_templates
from mock_langflow.store.flows import flow_download, flow_read, flows_archive, listed_json
from mock_langflow.store.models import FlowRow, UserRow

router = api_router(prefix="/flows", tags=["Flows"])

FlowIds = Annotated[list[UUID], Body(title="Flow Ids")]


def _header(row: FlowRow) -> FlowHeader:
    header = FlowHeader.model_validate(row, from_attributes=True)
    return header if row.is_component else header.model_copy(update={"data": None})


@router.post("/", status_code=201)
@audited("flow_create")
async def create_flow(flow: FlowCreate, user: CurrentUser, state: StateDep) -> FlowRead:
    """POST /api/v1/flows/: duplicate names become "Name (1)", endpoint names "name-1" (fact 31)."""
    [flow] = read_ids(state, [flow])
    refuse_blocked_components(state, [flow.data])
    refuse_reserved_ids(state, [flow.id])
    refuse_bad_fs_paths(state, user.id, [flow.fs_path])
    anyones = state.profile.flows.foreign_folder == "kept"
    folder = creates_default(state, user.id, [flow.folder_id])
    return flow_read(state.store.flows.create(flow, user_id=user.id, default_folder=folder, anyones=anyones))


def batch_clash(state: AppState) -> type[errors.MockHTTPError]:
    """The error of a batch insert's name, endpoint name or id clash (profile flows.batch_clash)."""
    return errors.Conflict if state.profile.flows.batch_clash == "409" else errors.BadRequest


def read_ids(state: AppState, flows: Iterable[FlowCreate]) -> list[FlowCreate]:
    """The flows of a body or file that creates them, as the release reads them: before 1.13 (profile
    flows.body_ids) its FlowCreate has no id field, so a sent id is dropped and the flow gets a new one."""
    if state.profile.flows.body_ids == "kept":
        return list(flows)
    return [flow if flow.id is None else flow.model_copy(update={"id": None}) for flow in flows]


def creates_default(state: AppState, user_id: UUID, folder_ids: Iterable[UUID | None]) -> UUID | None:
    """Where a created or uploaded flow goes when it names no project it may use: the caller's default
    project, looked up (and made) only then; in 1.7.1 the caller's "Starter Project" if there is one, else none
    (profile flows.foreign_folder)."""
    if state.profile.flows.foreign_folder == "kept":
        return state.store.projects.starter_of(user_id)
    return state.store.projects.default_if_needed(folder_ids, user_id=user_id)


# Typed for /openapi.json as Langflow types it; the answer is built here, in the shape the request asks for.
@router.get("/", response_model=list[FlowRead] | Page[FlowRead] | list[FlowHeader] | Page[FlowHeader])
async def read_flows(
    user: CurrentUser, state: StateDep,
    remove_example_flows: bool = False, components_only: bool = False, get_all: bool = True,
    folder_id: UUID | None = None, flow_type: FlowType | None = None, header_flows: bool = False,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    """GET /api/v1/flows/: a plain list with the examples by default, a Page with get_all=false (fact 32).
    As Langflow's query: the whole list ignores folder_id; a page holds one project, folder_id or else the
    first project named "Starter Project", so the caller's flows in other projects are not in it. Ownerless
    flows (the examples) are listed only while auto-login is on. remove_example_flows is Langflow's SQL
    `folder_id != <examples' folder>`, which no flow without a project passes either."""
    paged = not get_all
    listing_examples = state.settings.auto_login and not remove_example_flows
    in_a_folder = True if remove_example_flows else None
    if not paged:
        folder_id = None
    elif folder_id is not None:  # the examples' folder is the only one that holds them
        listing_examples = listing_examples and folder_id == state.store.projects.examples_folder_id()
    else:
        folder_id, listing_examples = state.store.projects.page_default(), False
        if folder_id is None:  # no such project left: Langflow's query then asks for flows without a project
            if remove_example_flows:
                return Response(json_body(Page[FlowRead](items=[], total=0, page=page, size=size,
                                                         pages=page_count(0, size))), media_type="application/json")
            in_a_folder = False
    which = {"user_id": user.id, "include_examples": listing_examples, "folder_id": folder_id,
             "components_only": components_only, "offset": (page - 1) * size, "limit": size if paged else None,
             "flow_type": flow_type if state.profile.flows.flow_type_param else None, "in_a_folder": in_a_folder}
    # Before 1.13 a page ignores header_flows and holds whole flows.
    if header_flows and not (paged and state.profile.shapes.paged_headers == "full"):
        total, rows = state.store.flows.list(**which)
        items = [_header(r) for r in rows]
        body = json_body(Page[FlowHeader](items=items, total=total, page=page, size=size,
                                           pages=page_count(total, size)) if paged else items)
    else:
        total, flows = state.store.flows.listing(**which)
        if paged:
            frame = Page[FlowRead](items=[], total=total, page=page, size=size, pages=page_count(total, size))
            body = listed_json(flows, lambda items: {**frame.model_dump(mode="json"), "items": items})
        else:
            body = listed_json(flows)
    if not paged:  # Langflow's own JSONResponse (1.13) or compressed json.dumps text (before)
        return listing(body, always_gzip=state.profile.http.gzip == "lists")
    return Response(typed_text(body, state.profile.http.typed_json), media_type="application/json")


@router.get("/{flow_id}")
async def read_flow(flow_id: UUID, user: CurrentUser, state: StateDep) -> FlowRead:
    """GET /api/v1/flows/{flow_id}: a UUID only (fact 33)."""
    return flow_read(state.store.flows.get(flow_id, user_id=user.id))


@router.get("/{flow_id}/note_translations")
async def get_note_translations(flow_id: UUID, user: CurrentUser, state: StateDep) -> dict[str, str]:
    """GET /api/v1/flows/{flow_id}/note_translations, 1.13: the texts of the flow's template notes, by node id
    (mock_langflow.engine.notes); a flow the caller may not read is 'Flow not found', as GET /flows/{id}."""
    from mock_langflow.engine.notes import note_texts  # at the first call, not at start-up

    return note_texts(state.store.flows.get(flow_id, user_id=user.id).data)


PUBLIC_FLOW_OPERATION = "read_public_flow_api_v1_flows_public_flow__flow_id__get"


@router.get("/public_flow/{flow_id}")
async def read_public_flow(flow_id: UUID, state: StateDep) -> PublicFlowRead:
    """GET /api/v1/flows/public_flow/{flow_id}, 1.13: the shareable playground's read of a PUBLIC flow, without
    credentials. An unknown flow and one that is not PUBLIC are the same 404; the graph comes without its secret
    values (the public build's scrubbing), and public_access says the visitor may read and run it (the mock has
    no shares, so the PUBLIC flag is the grant, which allows both)."""
    flow = state.store.flows.public(flow_id)
    if flow is None:
        raise errors.NotFound(errors.PUBLIC_FLOW_NOT_FOUND)
    read = flow_read(flow)
    data = without_secret_values(read.data) if read.data is not None else None
    access = PublicFlowCapabilities(can_read=True, can_execute=True)
    return PublicFlowRead.model_validate({**dict(read), "data": data, "public_access": access})


@router.get("/public_flow/{flow_id}", operation_id=PUBLIC_FLOW_OPERATION)
async def read_public_flow_unguarded(flow_id: UUID, state: StateDep) -> FlowRead:
    """GET /api/v1/flows/public_flow/{flow_id} before 1.13: a PUBLIC flow as its owner reads it, without
    credentials; an unknown flow or one that is not PUBLIC is 403 "Flow is not public"."""
    flow = state.store.flows.public(flow_id)
    if flow is None:
        raise errors.Forbidden(errors.FLOW_NOT_PUBLIC)
    if flow.user_id is None:  # Langflow looks the owner up first: an example flow has none
        raise errors.NotFound(errors.flow_owner_not_found(str(flow_id)))
    return flow_read(flow)


@router.patch("/{flow_id}")
@audited("flow_patch")
async def update_flow(flow_id: UUID, flow: FlowUpdate, user: CurrentUser, state: StateDep,
                      if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> FlowRead:
    """PATCH /api/v1/flows/{flow_id}: only the fields sent with a value change; a taken endpoint name is 400.
    1.13: If-Match names the version_token the client last read; a malformed one is a 400, one the flow no
    longer has a 409 (only a changed graph makes a new token). Before 1.13 the semantics differ (profile
    flows.patch_*) and If-Match is ignored.

    Deviation: 1.7.1 stores any folder_id as sent (as its create and upload, and the batch create before 1.13,
    do); the mock moves a flow into another user's project as sent but sends an unknown id (or the examples'
    folder) where no folder would go, and once that other user deletes the project the flow is in no project,
    where Langflow leaves it naming the deleted one.
    """
    expected = None
    if if_match is not None and state.profile.flows.if_match:
        state.store.flows.get(flow_id, user_id=user.id)  # Langflow loads the flow (404) before it reads the header
        expected = version_token(if_match)
    # workspace_id is the folder's (1.13; always none here) or unknown (before): never the body's.
    fields = flow.model_dump(exclude_unset=True, exclude_none=True, exclude={"workspace_id"})
    if state.store.flows.owns(flow_id, user.id):
        patched_folder(state, flow_id, user.id, fields)
    def check() -> None:
        # A PATCH without a graph is checked with the stored one, which a newly blocked component may be in: read
        # only when a policy blocks something (the generator runs then).
        refuse_blocked_components(state, (flow.data if flow.data is not None else
                                          stored_graph(state, flow_id, user.id) for _ in "x"))
        try:
            refuse_bad_fs_paths(state, user.id, [fields.get("fs_path")])
        except errors.BadRequest as exc:
            if state.profile.flows.patch_wrapped:  # before 1.13: HTTPException(400, str(exc)), "400: <text>"
                raise errors.BadRequest(f"400: {exc.detail}") from exc
            raise

    return flow_read(state.store.flows.update(flow_id, flow, user_id=user.id, fields=fields,
                                              rules=state.profile.flows, expected=expected, check=check))


def patched_folder(state: AppState, flow_id: UUID, user_id: UUID, fields: dict[str, Any]) -> None:
    """Where a PATCH leaves the flow, as Langflow checks the folder the flow ends up with (the one sent, else,
    before 1.13, its own): one not the caller's, or none, is the caller's default project (made if need be).
    1.7.1 checks no owner: any user's project is kept as sent, and only a flow left without a project goes to the
    first project named "Starter Project", whoever's (the mock keeps a flow where it was when the id sent is
    unknown)."""
    kept = state.profile.flows.foreign_folder == "kept"
    projects = state.store.projects
    if "folder_id" in fields and not projects.usable(fields["folder_id"], user_id=user_id, anyones=kept):
        if kept:
            del fields["folder_id"]
        else:
            fields["folder_id"] = projects.default_for(user_id).id
    if "folder_id" in fields or state.profile.flows.patch_current_folder == "kept":
        return
    current = state.store.flows.folder_of(flow_id)
    if current is not None and (kept or projects.usable(current, user_id=user_id)):
        return
    fallback = projects.page_default() if kept else projects.default_for(user_id).id
    if fallback is not None:
        fields["folder_id"] = fallback


@router.put("/{flow_id}", status_code=200)
@audited("flow_put")
async def upsert_flow(flow_id: UUID, flow: FlowCreate, response: Response, user: CurrentUser, state: StateDep,
                      if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> FlowRead:
    """PUT /api/v1/flows/{flow_id}: replaces the flow, or creates it under that id (201). 1.13: If-Match as for
    PATCH (a malformed one is a 400 before anything else; a new flow has no version to compare)."""
    expected = version_token(if_match) if if_match is not None and state.profile.flows.if_match else None
    refuse_reserved_ids(state, [flow_id], new_only=True)
    refuse_blocked_components(state, (flow.data if flow.data is not None else stored_graph(state, flow_id, user.id)
                                      for _ in "x"))  # (the stored graph read only when a policy blocks something)
    refuse_bad_fs_paths(state, user.id, [flow.fs_path])
    # Only a flow PUT creates without a folder goes to the default project (a folder not the caller's is a 400).
    new = flow.folder_id is None and state.store.flows.find_any(str(flow_id)) is None
    folder = state.store.projects.default_for(user.id).id if new else None
    row, created = state.store.flows.upsert(flow_id, flow, user_id=user.id, default_folder=folder,
                                            expected=expected)
    if created:
        response.status_code = 201
    return flow_read(row)


def version_token(if_match: str) -> UUID:
    """1.13's reading of If-Match: a version token, quoted or not, with or without the weak prefix `W/`, as an
    HTTP ETag library sends it; anything else, a blank value included, is a 400 (never an unconditional write)."""
    token = if_match.strip()
    if token.startswith("W/"):
        token = token[2:].strip()
    try:
        return UUID(token.strip('"'))
    except ValueError as exc:
        raise errors.BadRequest(errors.IF_MATCH_INVALID) from exc


@router.delete("/{flow_id}", response_model=None)  # untyped in Langflow's document
@audited("flow_delete")
async def delete_flow(flow_id: UUID, user: CurrentUser, state: StateDep) -> MessageResponse:
    """DELETE /api/v1/flows/{flow_id}."""
    if not state.store.delete_flows([flow_id], user_id=user.id):
        raise errors.FlowNotFound()
    return MessageResponse(message="Flow deleted successfully")


def catalog_blocked(state: AppState, user: UserRow | None, include_blocked: bool, operation: str, detail: str,
                    kind: str) -> frozenset[str]:
    """1.13's catalog lists (components, examples, starter projects) show what its catalog policy blocks only to a
    superuser asking for it (anyone else asking is a 403): the keys to leave out, the active policy bundle's
    blocked_<kind>_keys. Read only once a policy route has made the bundle's tables, so a list costs nothing
    while no policy was ever set. Earlier releases have no such parameter, and no policy."""
    if not state.profile.has_param(operation, "include_blocked"):
        return frozenset()
    if include_blocked:
        if user is None or not user.is_superuser:
            raise errors.Forbidden(detail)
        return frozenset()
    return state.store.policy_blocks(f"blocked_{kind}_keys")


def stored_graph(state: AppState, flow_id: UUID, user_id: UUID) -> dict[str, Any] | None:
    """The graph a flow of the caller's has now (none for another's, or a new one)."""
    row = state.store.flows.find_any(str(flow_id))
    return row.data if row is not None and row.user_id == user_id else None


def component_blocks(state: AppState) -> frozenset[str]:
    """The component keys 1.13's catalog policy blocks (none in a release without it): no query while no policy
    was ever set (Store.policy_blocks), so a run or a flow write costs nothing then."""
    if "read_policy_bundle" in state.profile.routes_absent:
        return frozenset()
    return state.store.policy_blocks("blocked_component_keys")


def catalog_refusal(state: AppState, graphs: Iterable[dict[str, Any] | None]) -> str | None:
    """1.13's catalog policy text ("Flow build blocked: catalog policy blocks components: <names>") for the first
    graph using a component it blocks (nodes of flows inlined in a node too), or None."""
    blocked = component_blocks(state)
    if not blocked:
        return None
    from mock_langflow.store.policy_bundle import refusal

    return refusal(graphs, blocked)


def refuse_blocked_components(state: AppState, graphs: Iterable[dict[str, Any] | None]) -> None:
    """1.13's catalog policy on a flow write (a project upload, a version's activation too): a graph using a
    component it blocks is a 400 naming them, nothing written."""
    if blocked := component_blocks(state):
        from mock_langflow.store.policy_bundle import refuse

        refuse(graphs, blocked)


def refuse_bad_fs_paths(state: AppState, user_id: UUID, paths: Iterable[str | None]) -> None:
    """Langflow keeps a flow's file (fs_path) inside the owner's flows folder, <data dir>/flows/<user id>: an
    empty path, "..", a NUL or an absolute path outside that folder is a 400 with its text. The mock checks the
    path the same way and stores it, but writes no file there."""
    for path in paths:
        if path is None:
            continue
        posix = path.replace("\\", "/")
        if not path:
            raise errors.BadRequest(errors.FS_PATH_EMPTY)
        if ".." in posix:
            raise errors.BadRequest(errors.FS_PATH_TRAVERSAL)
        if "\x00" in posix:
            raise errors.BadRequest(errors.FS_PATH_NUL)
        # ".." is refused above, so the path is what it says: compared as written, the disk never consulted.
        if not (posix.startswith("/") or posix[1:2] == ":"):
            continue
        folder = PurePosixPath(os.path.abspath(state.settings.data_dir / "flows" / str(user_id)))
        if not PurePosixPath(posix).is_relative_to(folder):
            detail = errors.FS_PATH_OUTSIDE
            if state.profile.flows.fs_path_outside == "with-folder":
                detail += f": {folder}"
            raise errors.BadRequest(detail)


def refuse_reserved_ids(state: AppState, ids: Iterable[UUID | None], *, new_only: bool = False) -> None:
    """1.13 keeps version-5 UUIDs for the run histories of its public flows: a new flow may not take one.
    `new_only`: an id a flow already has is not a new flow's (PUT and upload update it, or copy it); the
    store is asked only about version-5 ids."""
    if not state.profile.flows.reserved_uuid5:
        return
    reserved = [i for i in ids if i is not None and i.version == 5]
    if new_only:
        reserved = [i for i in reserved if state.store.flows.find_any(str(i)) is None]
    if reserved:
        raise errors.BadRequest(errors.RESERVED_FLOW_ID)


@router.post("/batch/", status_code=201)
@audited("flows_create")
async def create_flows(flow_list: FlowListCreate, user: CurrentUser, state: StateDep) -> list[FlowRead]:
    """POST /api/v1/flows/batch/: {"flows": [...]}, all created or none."""
    flows = read_ids(state, flow_list.flows)
    refuse_reserved_ids(state, (f.id for f in flows))
    refuse_blocked_components(state, (f.data for f in flows))
    refuse_bad_fs_paths(state, user.id, (f.fs_path for f in flows))
    # Before 1.13 a batch stores each folder_id as sent: another user's project, or none.
    as_sent = state.profile.flows.batch_folder == "as-sent"
    folder = None if as_sent else state.store.projects.default_if_needed((f.folder_id for f in flows),
                                                                         user_id=user.id)
    clash = batch_clash(state)
    rows = state.store.flows.create_batch(flows, user_id=user.id, default_folder=folder, clash=clash,
                                          anyones=as_sent)
    return [flow_read(r) for r in rows]


MAX_ZIP_ENTRIES = 500  # as Langflow: more .json entries than that is refused
MAX_ZIP_ENTRY_BYTES = 50 * 1024 * 1024  # as Langflow: a larger entry is skipped
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024  # as Langflow: the entries together may expand no further


def zipped_flows(raw: bytes) -> dict[str, Any]:
    """1.13's upload of a ZIP (a download of several flows is one), as its extract_flows_from_zip reads it: every
    .json entry that parses is a flow, the others are skipped; more than 500 such entries, entries declaring
    more than 100 MB together, or reading past 100 MB, are a 400 with Langflow's text; an entry over 50 MB
    (declared, or read) is skipped. Entries are read no further than that, whatever their headers claim.

    Deviation: an archive that opens but whose entries cannot be read (a bad CRC, encryption, an unknown
    compression) is a 400 "Invalid ZIP file: ..." where Langflow's reader fails with a 500."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise errors.BadRequest(f"Uploaded file is not a valid ZIP archive: {exc}") from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as exc:
        raise errors.BadRequest(f"Invalid ZIP file: {exc}") from exc
    try:
        with archive:
            entries = [i for i in archive.infolist() if i.filename.lower().endswith(".json")]
            if len(entries) > MAX_ZIP_ENTRIES:
                raise errors.BadRequest(f"ZIP contains {len(entries)} JSON entries, exceeding the limit of "
                                        f"{MAX_ZIP_ENTRIES}")
            declared = sum(i.file_size for i in entries if i.file_size <= MAX_ZIP_ENTRY_BYTES)
            if declared > MAX_ZIP_TOTAL_BYTES:
                raise errors.BadRequest(f"ZIP entries declare {declared} uncompressed bytes in total, exceeding the "
                                        f"aggregate limit of {MAX_ZIP_TOTAL_BYTES} bytes")
            flows, expanded = [], 0
            for entry in entries:
                if entry.file_size > MAX_ZIP_ENTRY_BYTES:
                    continue
                with archive.open(entry) as member:
                    text = member.read(MAX_ZIP_ENTRY_BYTES + 1)
                if len(text) > MAX_ZIP_ENTRY_BYTES:
                    continue
                expanded += len(text)
                if expanded > MAX_ZIP_TOTAL_BYTES:
                    raise errors.BadRequest(f"ZIP entries expanded beyond the aggregate limit of {MAX_ZIP_TOTAL_BYTES} "
                                            f"bytes while reading '{entry.filename}'")
                try:
                    flows.append(orjson.loads(text))
                except orjson.JSONDecodeError:
                    continue
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError) as exc:
        raise errors.BadRequest(f"Invalid ZIP file: {exc}") from exc
    if not flows:
        raise errors.BadRequest("No valid flow JSON files found in the ZIP")
    return {"flows": flows}


def read_upload(raw: bytes) -> tuple[Any, bool]:
    """An uploaded file as 1.13's flow and project uploads read it: (its JSON, whether it was a ZIP). Empty is a
    400; a ZIP gives its flow entries as {"flows": [...]} (zipped_flows); anything else is JSON, or a 400 with the
    parser's message."""
    if not raw:
        raise errors.BadRequest(errors.EMPTY_UPLOAD)
    if zipfile.is_zipfile(io.BytesIO(raw)):
        return zipped_flows(raw), True
    try:
        return orjson.loads(raw), False
    except orjson.JSONDecodeError as exc:
        raise errors.BadRequest(f"Invalid JSON file: {exc}") from exc


def parse_upload(raw: bytes, *, legacy: bool) -> list[FlowCreate]:
    if not legacy:
        return _current_upload(read_upload(raw)[0])
    try:
        body: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        # Deliberate: before 1.13 the parse error escapes as a 500 (flows_upload_bad_json).
        raise errors.RecordedServerBug(re.sub(r"^unexpected character, expected [^:]*:", "unexpected character:",
                                              str(exc))) from exc
    return _upload_flows(body)


def _current_upload(body: Any) -> list[FlowCreate]:
    """1.13's checks of an uploaded file's JSON: an object holding `flows`, a list of objects, or else one flow
    object; anything else, or a flow its model refuses, is a 422 with Langflow's text (pydantic's own report for
    a refused flow)."""
    if object_too_deep(body):
        raise errors.BadRequest(f"Invalid JSON file: nested more than {MAX_JSON_DEPTH} levels deep")
    if not isinstance(body, dict):
        raise errors.UnprocessableEntity("Invalid JSON: expected an object with 'flows' or a single flow object")
    if "flows" in body:
        if not isinstance(body["flows"], list):
            raise errors.UnprocessableEntity("Invalid JSON: 'flows' must be a list of flow objects")
        not_objects = [i for i, flow in enumerate(body["flows"]) if not isinstance(flow, dict)]
        if not_objects:
            raise errors.UnprocessableEntity(f"Invalid JSON: flows[{not_objects[0]}] is not an object")
    try:
        if "flows" in body:
            return FlowListCreate.model_validate(body).flows
        return [FlowCreate.model_validate(body)]
    except ValidationError as exc:
        raise errors.UnprocessableEntity(str(exc)) from exc


def _upload_flows(body: Any) -> list[FlowCreate]:
    if object_too_deep(body):
        raise errors.BadRequest(f"Invalid JSON file: nested more than {MAX_JSON_DEPTH} levels deep")
    flows = body.get("flows") if isinstance(body, dict) and "flows" in body else [body]
    if not isinstance(flows, list):  # a number was a 500; a string or an object was read item by item
        raise errors.BadRequest("Invalid flow file: Input should be a valid list")
    try:
        return [FlowCreate.model_validate(f) for f in flows]
    except ValidationError as exc:
        raise errors.BadRequest(f"Invalid flow file: {exc.errors()[0]['msg']}") from exc


@router.post("/upload/", status_code=201)
@audited("flows_upload")
async def upload_file(user: CurrentUser, state: StateDep, file: Annotated[UploadFile | None, File()] = None,
                      folder_id: UUID | None = None) -> list[FlowRead]:
    """POST /api/v1/flows/upload/: multipart `file` holding one flow or {"flows": [...]} (fact 36)."""
    legacy = state.profile.flows.upload_errors == "legacy"
    if file is None and legacy:
        # Before 1.13 the file part is required by the route's signature: a plain 422.
        raise RequestValidationError([{"type": "missing", "loc": ("body", "file"), "msg": "Field required",
                                       "input": None}])
    if file is None:
        raise errors.BadRequest(errors.NO_FILE_PROVIDED)
    flows = read_ids(state, parse_upload(await file.read(), legacy=legacy))
    ids = [f.id for f in flows if f.id is not None]
    if not legacy and len(set(ids)) != len(ids):
        raise errors.UnprocessableEntity(errors.DUPLICATE_UPLOAD_IDS)
    refuse_reserved_ids(state, ids, new_only=True)
    refuse_blocked_components(state, (f.data for f in flows))
    refuse_bad_fs_paths(state, user.id, (f.fs_path for f in flows))
    # Langflow looks up (and makes) the default project for a flow that names no folder of the caller's only
    default = creates_default(state, user.id, [folder_id] if folder_id else (f.folder_id for f in flows)) \
        if flows else None
    # 1.13 uploads with "upsert semantics for flows with stable IDs" (its own description of this operation).
    rows = state.store.flows.create_many(flows, user_id=user.id, default_folder=default, folder_id=folder_id,
                                         update_own=not legacy, anyones=state.profile.flows.foreign_folder == "kept")
    return [flow_read(r) for r in rows]


@router.delete("/", response_model=None)  # untyped in Langflow's document
@audited("flows_delete")
async def delete_multiple_flows(flow_ids: FlowIds, user: CurrentUser, state: StateDep) -> FlowsDeleted:
    """DELETE /api/v1/flows/: a JSON array of ids; unknown ids count as nothing deleted (fact 34)."""
    return FlowsDeleted(deleted=len(state.store.delete_flows(flow_ids, user_id=user.id)))


@router.post("/download/", response_model=None, responses=answers(ZIP))
async def download_multiple_file(flow_ids: FlowIds, user: CurrentUser, state: StateDep) -> Response | dict[str, Any]:
    """POST /api/v1/flows/download/: one flow as JSON, several as a zip (fact 35)."""
    rows = state.store.flows.by_ids(flow_ids, user_id=user.id)
    if not rows:
        raise errors.NotFound(errors.NO_FLOWS_FOUND)
    if any(r.data is None for r in rows):
        # Deliberate: real Langflow fails reading the graph of a flow that has none, as it strips the secrets of
        # every flow before it counts them (flows_download_multi_with_null_data_500; one such flow alone too, as
        # its source reads); a client must see that failure here too.
        raise errors.RecordedServerBug(errors.NONE_HAS_NO_GET)
    known = export_names(state, user.id)
    if len(rows) == 1:
        return flow_download(rows[0], known)
    filename = f"{as_utc(state.clock.now()).strftime('%Y%m%d_%H%M%S')}_langflow_flows.zip"
    return zip_response(flows_archive(rows, lambda row: flow_download(row, known)), filename,
                        state.profile.files.zip_disposition)


def export_names(state: AppState, user_id: UUID) -> frozenset[str]:
    """The names of the user's global variables, as listed: the bindings 1.13's downloads keep (before 1.13 no
    download looks)."""
    if state.profile.shapes.download == "read":
        return frozenset()
    return frozenset(v.name for v in state.store.users.variables(user_id) if v.name)


EXAMPLES_OP = "GET /api/v1/flows/basic_examples/"
# Only 1.13's example list reads credentials (for include_blocked): before, a key sent along is never used.
ExamplesCaller = Annotated[UserRow | None, Depends(optional_user_where(
    lambda state: state.profile.has_param(EXAMPLES_OP, "include_blocked")))]


@router.get("/basic_examples/", response_model=list[FlowRead])
async def read_basic_examples(user: ExamplesCaller, state: StateDep,
                              include_blocked: bool = False) -> list[FlowRead] | Response:
    """GET /api/v1/flows/basic_examples/: the example flows the mock ships, to anyone (credentials are not
    needed, as in Langflow), but those the catalog policy blocks, which only a superuser may ask for too."""
    blocked = catalog_blocked(state, user, include_blocked, EXAMPLES_OP, errors.BLOCKED_TEMPLATES, "template")
    items = [flow_read(r) for r in state.store.examples() if (r.name_key or name_key(r.name)) not in blocked]
    return listing(json_body(items), always_gzip=state.profile.http.gzip == "lists")


@router.post("/expand/", include_in_schema=False)
async def expand_compact_flow(compact_data: dict[str, Any], _user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """POST /api/v1/flows/expand/ (1.8, 1.13; signed-in callers): a compact flow made full from the catalog
    /api/v1/all lists (mock_langflow.compact)."""
    from mock_langflow.compact import expand  # at the first expansion, not at start-up

    return expand(compact_data, state.profile.catalog, state.profile.validation.pydantic_docs)


starter_router = api_router(prefix="/starter-projects", tags=["Flows"])


# Typed for /openapi.json as Langflow types it (the route's own answer is not checked against it).
@starter_router.get("/", response_model=None, responses={200: {"model": documented("STARTER_PROJECTS")}})
async def get_starter_projects(user: CurrentUser, state: StateDep,
                               include_blocked: bool = False) -> list[GraphDumpResponse]:
    """GET /api/v1/starter-projects/: the example flows as graph dumps.

    Deviation: `name_key` (required by Langflow's schema, no recording shows one) is the name in lower case,
    words joined by underscores ("Basic Prompting" -> "basic_prompting").
    """
    blocked = catalog_blocked(state, user, include_blocked, "GET /api/v1/starter-projects/",
                              errors.BLOCKED_TEMPLATES, "template")
    return [GraphDumpResponse(data=r.data, is_component=r.is_component, name=r.name, name_key=name_key(r.name),
                              description=r.description, endpoint_name=r.endpoint_name)
            for r in example_templates() if name_key(r.name) not in blocked]


def name_key(name: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", name.lower()))
