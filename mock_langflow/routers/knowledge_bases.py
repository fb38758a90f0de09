"""/api/v1/knowledge_bases (the Knowledge page; hidden from /openapi.json) and 1.13's
/api/v1/knowledge-base-storage (its storage upgrade status, listed there). The rules and the answers' shapes are
in store/knowledge_bases.py, imported with the first of these routes."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, File, Form, Query, Request, UploadFile

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, Superuser
from mock_langflow.deps import StateDep
from mock_langflow.routers.variables import provider_policy
from mock_langflow.routing import Later, LazyModule, api_router
from mock_langflow.state import AppState

shapes = LazyModule("mock_langflow.schemas.knowledge_bases")  # the request bodies, imported when a route first serves

router = api_router(prefix="/knowledge_bases", tags=["Knowledge Bases"])
storage_router = api_router(prefix="/knowledge-base-storage", tags=["Knowledge Base Upgrade"])

HIDDEN = {"include_in_schema": False}
INVENTORY = {"complete": True, "issues": 0}  # the discovery of older releases' storage: done, nothing unresolved


def _kbs(state: AppState) -> Any:
    return state.store.knowledge_bases


def _base(state: AppState, user: Any, kb_name: str) -> Any:
    """The caller's base by its stored name (404); 1.13 refuses one a memory base owns (403: /memories serves it)."""
    row = _kbs(state).get(user.id, kb_name)
    if "memory" in (row.source_types or []):
        raise errors.Forbidden(errors.KB_MANAGED_BY_MEMORY.format(name=kb_name))
    return row


def _info(state: AppState, row: Any, *, run: Any = None, read: bool = False, created: bool = False) -> dict[str, Any]:
    """A base as the release shows it; `read`: by GET /knowledge_bases/{kb_name}; `created`: a create's answer,
    built from the request (1.13 reads the others off its record: base_id "record")."""
    from mock_langflow.store.knowledge_bases import info

    rules = state.profile.knowledge_bases
    name_as_id = rules.base_id == "name" or (read and rules.base_id == "name-on-read")
    return state.profile.strip("KnowledgeBaseInfo", info(row, run=run, name_as_id=name_as_id,
                                                         ended_job_fails=rules.ended_job_fails,
                                                         titled=rules.titled_names,
                                                         record=rules.base_id == "record" and not created))


def task(job_id: UUID) -> dict[str, str]:
    """An ingestion's answer (Langflow's TaskResponse): its job's id and where the job is read."""
    return {"id": str(job_id), "href": f"/task/{job_id}"}


async def not_memory_base(kb_name: str, user: CurrentUser, state: StateDep) -> None:
    """1.13's guard of a route on one base, run before its body is read: a memory base's base is refused (403)."""
    row = _kbs(state).find(user.id, kb_name)
    if row is not None and "memory" in (row.source_types or []):
        raise errors.Forbidden(errors.KB_MANAGED_BY_MEMORY.format(name=kb_name))


@router.post("/test-connection", **HIDDEN)
async def test_backend_connection(request: shapes.TestBackendConnectionRequest, user: CurrentUser) -> dict[str, Any]:
    """POST /api/v1/knowledge_bases/test-connection: the local SQLite store is always there.

    Deviation: the mock reaches no network, so a remote backend (opensearch, postgres) reports it cannot connect.
    """
    if request.backend_type == "sqlite":
        return {"ok": True, "message": "SQLite knowledge base storage is available", "details": {}}
    return {"ok": False, "message": errors.kb_backend_unreachable(request.backend_type),
            "details": {"type": "ConnectionError"}}


@router.post("", status_code=201, **HIDDEN)
@router.post("/", status_code=201, **HIDDEN)
async def create_knowledge_base(request: shapes.CreateKnowledgeBaseRequest, user: CurrentUser,
                                state: StateDep) -> dict[str, Any]:
    """POST /api/v1/knowledge_bases: a new, empty base (spaces in its name become underscores). 1.13 also needs
    a provider (the model_selection's, if any, the same) and refuses a path-like name.

    Deviation: a remote backend (opensearch, postgres) is refused as unreachable (422), as 1.13 refuses one it
    cannot connect to."""
    from mock_langflow.store.knowledge_bases import selected_provider, unsafe_name

    guarded = state.profile.knowledge_bases.guarded
    provider = request.embedding_provider.strip() if guarded else request.embedding_provider
    if guarded and (not provider or selected_provider(request.model_selection) not in (None, provider.casefold())):
        raise errors.NotFound(errors.MODEL_PROVIDER_NOT_FOUND)
    if guarded and (policy := provider_policy(state)) is not None:  # 1.13's policy (purpose configure): the same 404
        policy.require(provider)
    name = request.name.strip().replace(" ", "_")
    if len(name) < 3:  # Langflow's MIN_KB_NAME_LENGTH
        raise errors.BadRequest(errors.KB_NAME_TOO_SHORT)
    if guarded and unsafe_name(name):
        raise errors.Forbidden(errors.kb_access_denied(name))
    if _kbs(state).find(user.id, name) is not None:
        raise errors.Conflict(errors.kb_exists(name))
    backend = (request.backend_type or "sqlite") if guarded else "chroma"
    if backend not in ("sqlite", "chroma"):
        raise errors.UnprocessableEntity(errors.kb_backend_unreachable(backend))
    columns = [c.model_dump() for c in request.column_config] if request.column_config else None
    row = _kbs(state).create(user_id=user.id, name=name, provider=provider, model=request.embedding_model,
                             column_config=columns, backend_type=backend,
                             backend_config=request.backend_config if guarded else {})
    return _info(state, row, created=True)


@router.post("/preview-chunks", **HIDDEN)
async def preview_chunks(files: Annotated[list[UploadFile], File()], user: CurrentUser, state: StateDep,
                         chunk_size: Annotated[int, Form()] = 1000, chunk_overlap: Annotated[int, Form()] = 200,
                         separator: Annotated[str, Form()] = "",
                         max_chunks: Annotated[int, Form()] = 5) -> dict[str, Any]:
    """POST /api/v1/knowledge_bases/preview-chunks: how the files would be split, storing nothing."""
    from mock_langflow.engine.chunking import separators_for
    from mock_langflow.store.knowledge_bases import check_chunking, preview

    rules = state.profile.knowledge_bases
    if rules.guarded:
        check_chunking(chunk_size=chunk_size, chunk_overlap=chunk_overlap, max_chunks=max_chunks)
    separators = separators_for(separator or rules.preview_separator)
    try:
        return {"files": [preview(upload.filename or "unknown", await upload.read(), size=chunk_size,
                                  overlap=chunk_overlap, separators=separators, max_chunks=max_chunks)
                          for upload in files]}
    except ValueError as exc:  # 1.8: the splitter refuses an overlap past the size (a 500 there, README)
        raise errors.BadRequest(errors.PREVIEW_FAILED) from exc


@router.post("/{kb_name}/ingest", dependencies=[Depends(not_memory_base)], **HIDDEN)
async def ingest_files_to_knowledge_base(
        kb_name: str, files: Annotated[list[UploadFile], File()], user: CurrentUser, state: StateDep,
        source_name: Annotated[str, Form()] = "", chunk_size: Annotated[int, Form()] = 1000,
        chunk_overlap: Annotated[int, Form()] = 200, separator: Annotated[str, Form()] = "",
        column_config: Annotated[str, Form()] = "", metadata: Annotated[str, Form()] = "",
        per_file_metadata: Annotated[str, Form()] = "") -> dict[str, Any]:
    """POST /api/v1/knowledge_bases/{kb_name}/ingest (multipart): the files are split and stored, answered
    {id, href} with the ingestion job's id.

    Deviation: the ingestion is done before the answer (Langflow runs it in the background), and no embedding
    is made, so no provider key is needed.
    """
    import json

    from mock_langflow.store.knowledge_bases import (
        Chunking,
        check_chunking,
        parse_metadata,
        parse_per_file_metadata,
        uploaded,
    )

    rules = state.profile.knowledge_bases
    if rules.guarded:
        check_chunking(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    tags = parse_metadata(metadata) if rules.guarded else {}
    per_file = parse_per_file_metadata(per_file_metadata) if rules.guarded else {}
    limit = state.settings.max_file_size_upload
    data = []
    for upload in files:
        if (upload.size or 0) > limit * 1024 * 1024:
            raise errors.ContentTooLarge(errors.kb_file_too_large(upload.filename, limit))
        data.append((upload.filename or "unknown", await upload.read()))
    kb = _base(state, user, kb_name)
    if column_config:
        try:
            columns = json.loads(column_config)
        except ValueError:
            columns = None  # Langflow logs a malformed one and keeps the stored columns
        if isinstance(columns, list):
            _kbs(state).set_column_config(kb, columns)
    items, described = uploaded(data, source_name=source_name, per_file=per_file)
    job_id = _kbs(state).ingest(kb, items, chunking=Chunking.of(chunk_size, chunk_overlap, separator,
                                                                fallback=rules.separator_fallback),
                                source_type="file_upload", source_config=described, source_name=source_name,
                                user_id=user.id, tags=tags, tagged=rules.guarded)
    return task(job_id)


# 1.13: the files of a folder on the server's disk (routers/knowledge_base_folder.py, imported when it first serves)
router.add_api_route("/{kb_name}/ingest/folder", Later("mock_langflow.routers.knowledge_base_folder",
                                                       "ingest_folder_to_knowledge_base"),
                     methods=["POST"], dependencies=[Depends(not_memory_base)], **HIDDEN)


@router.get("", **HIDDEN)
@router.get("/", **HIDDEN)
async def list_knowledge_bases(user: CurrentUser, state: StateDep) -> list[dict[str, Any]]:
    """GET /api/v1/knowledge_bases: the caller's bases, newest first (1.7.1: by name), each with its last
    ingestion job."""
    rows = [row for row in _kbs(state).list(user.id) if "memory" not in (row.source_types or [])]
    runs = _kbs(state).latest_runs([row.id for row in rows])
    listed = [_info(state, row, run=runs.get(row.id)) for row in rows]
    return sorted(listed, key=lambda kb: kb["name"]) if state.profile.knowledge_bases.titled_names else listed


@router.get("/connectors", **HIDDEN)
async def list_connectors(user: CurrentUser) -> list[dict[str, Any]]:
    """GET /api/v1/knowledge_bases/connectors: the ingestion sources 1.13 registers, file upload aside."""
    from mock_langflow.store.knowledge_bases import connectors

    return connectors()


@router.get("/{kb_name}", **HIDDEN)
async def get_knowledge_base(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}: one of the caller's bases (its stored name, underscores and all)."""
    return _info(state, _base(state, user, kb_name), read=True)


@router.get("/{kb_name}/chunks", **HIDDEN)
async def get_knowledge_base_chunks(kb_name: str, request: Request, user: CurrentUser, state: StateDep,
                                    page: Annotated[int, Query(ge=1)] = 1,
                                    limit: Annotated[int, Query(ge=1, le=100)] = 50, search: str = "",
                                    source_type: str | None = None, file_name: str | None = None,
                                    job_id: str | None = None) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/chunks: a page of the base's chunks in the order they were stored;
    `search` keeps those containing it (any case); 1.13 also filters on source_type, file_name, job_id and
    repeated meta_<key>=<value> (a key's values OR-ed, keys AND-ed)."""
    from mock_langflow.store import knowledge_bases as kbs

    kb = _base(state, user, kb_name)
    fields: dict[str, str | None] = {}
    tags: dict[str, set[str]] = {}
    if state.profile.knowledge_bases.guarded:
        fields = {"source_type": source_type, "file_name": file_name, "job_id": job_id}
        for key, value in request.query_params.multi_items():
            if key.startswith("meta_") and len(key) > len("meta_"):
                tags.setdefault(key[len("meta_"):], set()).add(value)
    term = search.strip().lower()
    matched = [c for c in _kbs(state).chunks(kb.id) if kbs.chunk_matches(c, search=term, fields=fields, tags=tags)]
    body = kbs.page(matched, page=page, limit=limit, key="chunks")
    body["chunks"] = [{"id": c.id, "content": c.content, "char_count": len(c.content), "metadata": c.meta}
                      for c in body["chunks"]]
    return body


@router.get("/{kb_name}/metadata/keys", **HIDDEN)
async def get_knowledge_base_metadata_keys(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/metadata/keys: the users' own metadata keys of the base's chunks."""
    from mock_langflow.store.knowledge_bases import metadata_keys

    return metadata_keys(_kbs(state).chunks(_base(state, user, kb_name).id))


@router.get("/{kb_name}/runs", **HIDDEN)
async def list_ingestion_runs(kb_name: str, user: CurrentUser, state: StateDep, page: Annotated[int, Query(ge=1)] = 1,
                              limit: Annotated[int, Query(ge=1, le=100)] = 50) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/runs: the base's ingestion runs, newest first, without their items."""
    from mock_langflow.store.knowledge_bases import run_info

    rows, total = _kbs(state).runs(_kbs(state).get(user.id, kb_name).id, user.id, page=page, limit=limit)
    return {"runs": [run_info(row) for row in rows], "total": total, "page": page, "limit": limit,
            "total_pages": -(-total // limit)}


@router.get("/{kb_name}/runs/{run_id}", **HIDDEN)
async def get_ingestion_run(kb_name: str, run_id: UUID, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/runs/{run_id}: one run with its source and each file's outcome."""
    from mock_langflow.store.knowledge_bases import run_info

    _kbs(state).get(user.id, kb_name)
    row = _kbs(state).run(run_id, user.id)
    if row is None or row.kb_name != kb_name:
        raise errors.NotFound(errors.INGESTION_RUN_NOT_FOUND)
    return run_info(row, detail=True)


@router.delete("/{kb_name}", **HIDDEN)
async def delete_knowledge_base(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, str]:
    """DELETE /api/v1/knowledge_bases/{kb_name}: the base, its chunks and its runs."""
    _kbs(state).delete([_base(state, user, kb_name).id])
    return {"message": f"Knowledge base '{kb_name}' deleted successfully"}


@router.delete("", **HIDDEN)
@router.delete("/", **HIDDEN)
async def delete_knowledge_bases_bulk(request: shapes.BulkDeleteRequest, user: CurrentUser,
                                      state: StateDep) -> dict[str, Any]:
    """DELETE /api/v1/knowledge_bases with {kb_names}."""
    result: dict[str, Any] = _kbs(state).delete_named(user.id, request.kb_names,
                                                      guarded=state.profile.knowledge_bases.guarded)
    return result


@router.post("/{kb_name}/cancel", **HIDDEN)
async def cancel_ingestion(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, str]:
    """POST /api/v1/knowledge_bases/{kb_name}/cancel: the base's last ingestion, which in the mock has always
    ended (400 naming its status; 404 with none)."""
    run = _kbs(state).latest_run(_base(state, user, kb_name).id)
    if run is None:
        raise errors.NotFound(errors.no_ingestion_job(kb_name))
    raise errors.BadRequest(errors.cannot_cancel_job(run.job_status))


# --- 1.13's /knowledge-base-storage: the local store needs no upgrade, so nothing is ever pending -----------

@storage_router.get("/status")
async def storage_status(user: CurrentUser) -> dict[str, Any]:
    """GET /api/v1/knowledge-base-storage/status: no base is migrating or needs attention."""
    return {"stores": [], "revision": "", "running": False, "inventory": dict(INVENTORY) if user.is_superuser else None,
            "is_admin": bool(user.is_superuser)}


@storage_router.get("/inventory")
async def get_inventory(_admin: Superuser) -> dict[str, Any]:
    """GET /api/v1/knowledge-base-storage/inventory (superuser): the discovery of older storage is done."""
    return dict(INVENTORY)


@storage_router.post("/inventory/retry", status_code=202)
async def retry_inventory(_admin: Superuser) -> dict[str, str]:
    """POST /api/v1/knowledge-base-storage/inventory/retry (superuser)."""
    return {"status": "scheduled"}


@storage_router.get("/pending-cleanup")
async def pending_cleanup(_admin: Superuser, offset: Annotated[int, Query(ge=0)] = 0) -> list[Any]:
    """GET /api/v1/knowledge-base-storage/pending-cleanup (superuser): a deleted base is gone at once."""
    return []


@storage_router.post("/pending-cleanup/{kb_id}/retry")
async def retry_cleanup(kb_id: UUID, request: shapes.CleanupRetryRequest, _admin: Superuser,
                        state: StateDep) -> dict[str, Any]:
    """POST /api/v1/knowledge-base-storage/pending-cleanup/{kb_id}/retry (superuser): an unknown base is already
    gone; a live one is no pending deletion (409, the release's texts for generation 1 or another)."""
    if not _kbs(state).exists(kb_id):
        return {"kb_id": kb_id, "status": "already_absent"}
    raise errors.Conflict(errors.KB_STORAGE_NEEDS_UPGRADE if request.expected_generation == 1
                          else errors.KB_STORAGE_GENERATION_CHANGED)


@storage_router.post("/attention/{kb_id}/detach")
async def detach_storage(kb_id: UUID, request: shapes.CleanupRetryRequest, _admin: Superuser,
                         state: StateDep) -> dict[str, Any]:
    """POST /api/v1/knowledge-base-storage/attention/{kb_id}/detach (superuser): an unknown base is a 404; a
    known one is ready in the local store, which the release refuses to detach (409)."""
    if not _kbs(state).exists(kb_id):
        raise errors.NotFound(errors.KB_STORAGE_NOT_FOUND)
    raise errors.Conflict(errors.KB_STORAGE_READY_DETACH)


@storage_router.get("/migrations")
async def list_migrations(_admin: Superuser) -> list[Any]:
    """GET /api/v1/knowledge-base-storage/migrations (superuser): none."""
    return []


@storage_router.post("/migrations/{migration_id}/retry", status_code=202)
async def retry_migration(migration_id: UUID, _admin: Superuser) -> dict[str, Any]:
    """POST /api/v1/knowledge-base-storage/migrations/{migration_id}/retry (superuser): no migration exists."""
    raise errors.NotFound(errors.STORAGE_MIGRATION_NOT_FOUND)
