"""/api/v1/knowledge_bases (the Knowledge page; hidden from /openapi.json) and 1.13's
/api/v1/knowledge-base-storage (its storage upgrade status, listed there): see store/knowledge_bases.py."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import File, Form, Query, Request, UploadFile

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, Superuser
from mock_langflow.deps import StateDep
from mock_langflow.routing import api_router
from mock_langflow.schemas.knowledge_bases import (
    BulkDeleteRequest,
    CleanupRetryRequest,
    CreateKnowledgeBaseRequest,
    TestBackendConnectionRequest,
)
from mock_langflow.state import AppState

router = api_router(prefix="/knowledge_bases", tags=["Knowledge Bases"])
storage_router = api_router(prefix="/knowledge-base-storage", tags=["Knowledge Base Upgrade"])

HIDDEN = {"include_in_schema": False}
MIN_NAME_LENGTH = 3
CHUNK_PREVIEW_MULTIPLIER = 3  # a preview splits at most max_chunks * chunk_size * this many characters
# The connectors 1.13 registers (file upload left out: it has its own dialog), sorted by source type.
CONNECTORS = (
    ("folder", "Folder", "Ingest every matching file from a server-side folder.", "folder", False, None, []),
    ("google_drive", "Google Drive", "Ingests Google Drive files this application created or the user opened with "
     "it (the non-sensitive drive.file scope).", "google-drive", True, "google",
     ["https://www.googleapis.com/auth/drive.file"]),
    ("onedrive", "OneDrive", "Ingest files from a OneDrive folder through a Microsoft connection.", "OneDrive", True,
     "microsoft", ["Files.Read"]),
    ("sharepoint", "SharePoint", "Ingest files from a SharePoint document library through a Microsoft connection.",
     "SharePoint", True, "microsoft", ["Files.Read"]),
)
# Chunk form fields' bounds in 1.13 (kb_constants): (minimum, maximum)
BOUNDS = {"chunk_size": (1, 10_000), "chunk_overlap": (0, 5_000), "max_chunks": (1, 50)}

NameForm = Annotated[str, Form()]
INVENTORY = {"complete": True, "issues": 0}  # the discovery of older releases' storage: done, nothing unresolved


def _kbs(state: AppState) -> Any:
    return state.store.knowledge_bases


def _info(state: AppState, row: Any, *, run: Any = None, read: bool = False) -> dict[str, Any]:
    """A base as the release lists it (KnowledgeBaseInfo): its status from its chunks, a failure (1.13) or its
    last ingestion (1.8: an ended run that failed)."""
    rules = state.profile.knowledge_bases
    status, reason = ("ready" if row.chunks > 0 else "empty"), None
    if rules.ended_job_fails:
        if run is not None and run.job_status in ("failed", "cancelled", "timed_out"):
            status = "failed"
    elif row.status == "failed":
        status, reason = "failed", row.failure_reason
    body = {
        "id": row.name if read and rules.base_id_on_read == "name" else str(row.id), "dir_name": row.name,
        "name": row.name.replace("_", " "), "embedding_provider": row.embedding_provider or "Unknown",
        "embedding_model": row.embedding_model or "Unknown", "size": row.size_bytes, "words": row.words,
        "characters": row.characters, "chunks": row.chunks,
        "avg_chunk_size": round(row.characters / row.chunks, 1) if row.chunks else 0.0,
        "chunk_size": row.chunk_size, "chunk_overlap": row.chunk_overlap, "separator": row.separator,
        "status": status, "failure_reason": reason, "last_job_id": str(run.id) if run is not None else None,
        "source_types": row.source_types or [], "column_config": row.column_config,
        "backend_type": row.backend_type, "backend_config": row.backend_config or {}, "storage_state": "ready",
        "storage_generation": 1, "active_migration_id": None}
    return state.profile.strip("KnowledgeBaseInfo", body)


def _check_chunking(state: AppState, **fields: int) -> None:
    """1.13's bounds on the chunk form fields (FastAPI's 422 in the release) and its overlap check."""
    if not state.profile.knowledge_bases.guarded:
        return
    for name, value in fields.items():
        low, high = BOUNDS[name]
        if not low <= value <= high:
            kind, limit = ("greater_than_equal", low) if value < low else ("less_than_equal", high)
            words = "greater than or equal to" if value < low else "less than or equal to"
            raise errors.UnprocessableEntity([{"type": kind, "loc": ["body", name],
                                               "msg": f"Input should be {words} {limit}", "input": str(value),
                                               "ctx": {kind.replace("greater_than_equal", "ge")
                                                       .replace("less_than_equal", "le"): limit}}])
    if fields["chunk_overlap"] > fields["chunk_size"]:
        raise errors.UnprocessableEntity(errors.chunk_overlap_too_large(fields["chunk_overlap"],
                                                                         fields["chunk_size"]))


@router.post("/test-connection", **HIDDEN)
async def test_backend_connection(request: TestBackendConnectionRequest, user: CurrentUser) -> dict[str, Any]:
    """POST /api/v1/knowledge_bases/test-connection: the local SQLite store is always there.

    Deviation: the mock reaches no network, so a remote backend (opensearch, postgres) reports it cannot connect.
    """
    if request.backend_type == "sqlite":
        return {"ok": True, "message": "SQLite knowledge base storage is available", "details": {}}
    return {"ok": False, "message": errors.kb_backend_unreachable(request.backend_type),
            "details": {"type": "ConnectionError"}}


@router.post("", status_code=201, **HIDDEN)
@router.post("/", status_code=201, **HIDDEN)
async def create_knowledge_base(request: CreateKnowledgeBaseRequest, user: CurrentUser,
                                state: StateDep) -> dict[str, Any]:
    """POST /api/v1/knowledge_bases: a new, empty base (spaces in its name become underscores)."""
    guarded = state.profile.knowledge_bases.guarded
    provider = request.embedding_provider.strip() if guarded else request.embedding_provider
    if guarded and (not provider or _selected_provider(request.model_selection) not in (None, provider.casefold())):
        raise errors.NotFound(errors.MODEL_PROVIDER_NOT_FOUND)
    name = request.name.strip().replace(" ", "_")
    if len(name) < MIN_NAME_LENGTH:
        raise errors.BadRequest(errors.KB_NAME_TOO_SHORT)
    if guarded and ("/" in name or "\\" in name or "\x00" in name or name in (".", "..")):
        raise errors.Forbidden(errors.kb_access_denied(name))
    if _kbs(state).find(user.id, name) is not None:
        raise errors.Conflict(errors.kb_exists(name))
    backend = (request.backend_type or "sqlite") if guarded else "chroma"
    if backend != "sqlite" and guarded:  # 1.13 tries a remote backend before it keeps the base
        raise errors.UnprocessableEntity(errors.kb_backend_unreachable(backend))
    columns = [c.model_dump() for c in request.column_config] if request.column_config else None
    row = _kbs(state).create(user_id=user.id, name=name, provider=provider, model=request.embedding_model,
                             column_config=columns, backend_type=backend,
                             backend_config=request.backend_config if guarded else {})
    return _info(state, row)


def _selected_provider(selection: Any) -> str | None:
    """The provider a create's model_selection names, casefolded (None without one)."""
    if isinstance(selection, list):
        selection = selection[0] if selection else None
    if not isinstance(selection, dict):
        return None
    provider = str(selection.get("provider") or "").strip()
    return provider.casefold() if provider else "unknown"


@router.post("/preview-chunks", **HIDDEN)
async def preview_chunks(files: Annotated[list[UploadFile], File()], user: CurrentUser, state: StateDep,
                         chunk_size: Annotated[int, Form()] = 1000, chunk_overlap: Annotated[int, Form()] = 200,
                         separator: Annotated[str, Form()] = "",
                         max_chunks: Annotated[int, Form()] = 5) -> dict[str, Any]:
    """POST /api/v1/knowledge_bases/preview-chunks: how the files would be split, storing nothing."""
    from mock_langflow.engine.chunking import separators_for, split_text
    from mock_langflow.store.knowledge_bases import file_text

    _check_chunking(state, chunk_size=chunk_size, chunk_overlap=chunk_overlap, max_chunks=max_chunks)
    separators = separators_for(separator or state.profile.knowledge_bases.preview_separator)
    previews = []
    for upload in files:
        name = upload.filename or "unknown"
        text = file_text(await upload.read())
        try:
            chunks = split_text(text[:max_chunks * chunk_size * CHUNK_PREVIEW_MULTIPLIER], chunk_size=chunk_size,
                                chunk_overlap=chunk_overlap, separators=separators)
        except ValueError as exc:  # 1.8: the splitter refuses an overlap past the size
            raise errors.ServerError(errors.PREVIEW_FAILED) from exc
        shown, position = [], 0
        for index, chunk in enumerate(chunks[:max_chunks]):
            start = text.find(chunk, position)
            start = position if start == -1 else start
            shown.append({"content": chunk, "index": index, "char_count": len(chunk), "start": start,
                          "end": start + len(chunk)})
            position = start + 1
        total = max(len(chunks), int((len(text) - chunk_overlap) / max(chunk_size - chunk_overlap, 1))) if chunks else 0
        previews.append({"file_name": name, "total_chunks": total, "preview_chunks": shown})
    return {"files": previews}


@router.post("/{kb_name}/ingest", **HIDDEN)
async def ingest_files_to_knowledge_base(
        kb_name: str, files: Annotated[list[UploadFile], File()], user: CurrentUser, state: StateDep,
        source_name: NameForm = "", chunk_size: Annotated[int, Form()] = 1000,
        chunk_overlap: Annotated[int, Form()] = 200, separator: NameForm = "", column_config: NameForm = "",
        metadata: NameForm = "", per_file_metadata: NameForm = "") -> dict[str, Any]:
    """POST /api/v1/knowledge_bases/{kb_name}/ingest (multipart): the files are split and stored, answered
    {id, href} with the ingestion job's id.

    Deviation: the ingestion is done before the answer (Langflow runs it in the background), and no embedding
    is made, so no provider key is needed.
    """
    import json

    from mock_langflow.engine.chunking import separators_for
    from mock_langflow.store.knowledge_bases import Chunking, parse_metadata, parse_per_file_metadata

    rules = state.profile.knowledge_bases
    _check_chunking(state, chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    tags = parse_metadata(metadata) if rules.guarded else {}
    per_file = parse_per_file_metadata(per_file_metadata) if rules.guarded else {}
    limit = state.settings.max_file_size_upload
    data = []
    for upload in files:
        if (upload.size or 0) > limit * 1024 * 1024:
            raise errors.ContentTooLarge(errors.kb_file_too_large(upload.filename, limit))
        data.append((upload.filename or "unknown", await upload.read()))
    kb = _kbs(state).get(user.id, kb_name)
    if column_config:
        try:
            columns = json.loads(column_config)
        except ValueError:
            columns = None  # Langflow logs a malformed one and keeps the stored columns
        if isinstance(columns, list):
            _kbs(state).set_column_config(kb, columns)
    chunking = Chunking(size=chunk_size, overlap=chunk_overlap, separator=separator,
                        separators=separators_for(separator, fallback=rules.separator_fallback))
    job_id = _kbs(state).ingest(kb, data, chunking=chunking, source_name=source_name, user_id=user.id, tags=tags,
                                per_file=per_file, tagged=rules.guarded)
    return {"id": str(job_id), "href": f"/task/{job_id}"}


@router.get("", **HIDDEN)
@router.get("/", **HIDDEN)
async def list_knowledge_bases(user: CurrentUser, state: StateDep) -> list[dict[str, Any]]:
    """GET /api/v1/knowledge_bases: the caller's bases, newest first, each with its last ingestion job."""
    rows = _kbs(state).list(user.id)
    runs = _kbs(state).latest_runs([row.id for row in rows])
    return [_info(state, row, run=runs.get(row.id)) for row in rows]


@router.get("/connectors", **HIDDEN)
async def list_connectors(user: CurrentUser) -> list[dict[str, Any]]:
    """GET /api/v1/knowledge_bases/connectors: the ingestion sources 1.13 registers, file upload aside."""
    keys = ("source_type", "display_name", "description", "icon", "requires_credentials", "provider_key",
            "required_scopes")
    return [dict(zip(keys, connector, strict=True)) for connector in CONNECTORS]


@router.get("/{kb_name}", **HIDDEN)
async def get_knowledge_base(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}: one of the caller's bases (its stored name, underscores and all)."""
    return _info(state, _kbs(state).get(user.id, kb_name), read=True)


@router.get("/{kb_name}/chunks", **HIDDEN)
async def get_knowledge_base_chunks(
        kb_name: str, request: Request, user: CurrentUser, state: StateDep,
        page: Annotated[int, Query(ge=1)] = 1, limit: Annotated[int, Query(ge=1, le=100)] = 50,
        search: str = "", source_type: str | None = None, file_name: str | None = None,
        job_id: str | None = None) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/chunks: a page of the base's chunks in the order they were stored;
    `search` keeps those containing it (any case); 1.13 also filters on source_type, file_name, job_id and
    repeated meta_<key>=<value> (a key's values OR-ed, keys AND-ed)."""
    import json

    kb = _kbs(state).get(user.id, kb_name)
    guarded = state.profile.knowledge_bases.guarded
    term = search.strip().lower()
    wanted: dict[str, set[str]] = {}
    if guarded:
        for key, value in request.query_params.multi_items():
            if key.startswith("meta_") and len(key) > len("meta_"):
                wanted.setdefault(key[len("meta_"):], set()).add(value)

    def tags_match(meta: dict[str, Any]) -> bool:
        try:
            stored = json.loads(meta.get("source_metadata") or "null")
        except ValueError:
            return False
        if not isinstance(stored, dict):
            return False
        for key, values in wanted.items():
            actual = stored.get(key)
            found = {str(v) for v in actual} if isinstance(actual, list) else {str(actual)}
            if actual is None or not found & values:
                return False
        return True

    def keep(chunk: Any) -> bool:
        meta = chunk.meta or {}
        if guarded and any(expected and meta.get(field) != expected for field, expected in
                           (("source_type", source_type), ("file_name", file_name), ("job_id", job_id))):
            return False
        if wanted and not tags_match(meta):
            return False
        return not term or term in chunk.content.lower()

    matched = [c for c in _kbs(state).chunks(kb.id) if keep(c)]
    shown = matched[(page - 1) * limit: page * limit]
    return {"chunks": [{"id": c.id, "content": c.content, "char_count": len(c.content), "metadata": c.meta}
                       for c in shown],
            "total": len(matched), "page": page, "limit": limit, "total_pages": -(-len(matched) // limit)}


@router.get("/{kb_name}/metadata/keys", **HIDDEN)
async def get_knowledge_base_metadata_keys(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/metadata/keys: the users' own metadata keys of the base's chunks,
    each with its distinct values as text (at most 50, then `truncated`), keys sorted."""
    import json

    from mock_langflow.store.knowledge_bases import METADATA_VALUES_CAP, RESERVED_KEYS

    kb = _kbs(state).get(user.id, kb_name)
    distinct: dict[str, dict[str, None]] = {}
    truncated = False
    for chunk in _kbs(state).chunks(kb.id):
        try:
            stored = json.loads((chunk.meta or {}).get("source_metadata") or "null")
        except ValueError:
            continue
        if not isinstance(stored, dict):
            continue
        for key, value in stored.items():
            if key in RESERVED_KEYS:
                continue
            bucket = distinct.setdefault(key, {})
            for candidate in value if isinstance(value, list) else [value]:
                if candidate is None or str(candidate) in bucket:
                    continue
                if len(bucket) >= METADATA_VALUES_CAP:
                    truncated = True
                    break
                bucket[str(candidate)] = None
    return {"keys": {key: list(values) for key, values in sorted(distinct.items())}, "truncated": truncated}


@router.get("/{kb_name}/runs", **HIDDEN)
async def list_ingestion_runs(kb_name: str, user: CurrentUser, state: StateDep,
                              page: Annotated[int, Query(ge=1)] = 1,
                              limit: Annotated[int, Query(ge=1, le=100)] = 50) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/runs: the base's ingestion runs, newest first, without their items."""
    kb = _kbs(state).get(user.id, kb_name)
    rows, total = _kbs(state).runs(kb.id, user.id, page=page, limit=limit)
    return {"runs": [_run(row) for row in rows], "total": total, "page": page, "limit": limit,
            "total_pages": -(-total // limit)}


@router.get("/{kb_name}/runs/{run_id}", **HIDDEN)
async def get_ingestion_run(kb_name: str, run_id: UUID, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/knowledge_bases/{kb_name}/runs/{run_id}: one run with its source's description and each
    file's outcome."""
    _kbs(state).get(user.id, kb_name)
    row = _kbs(state).run(run_id, user.id)
    if row is None or row.kb_name != kb_name:
        raise errors.NotFound(errors.INGESTION_RUN_NOT_FOUND)
    return {**_run(row), "source_config": row.info.get("source_config") or {}, "items": row.info.get("items") or []}


def _run(row: Any) -> dict[str, Any]:
    """A run as 1.13 lists it (IngestionRunInfo)."""
    info = row.info
    source_name = (info.get("source_config") or {}).get("source_name")
    return {"id": str(row.id), "kb_name": row.kb_name, "kb_id": str(row.kb_id), "job_id": str(row.id),
            "source_type": info.get("source_type", ""),
            "source_name": source_name.strip() if isinstance(source_name, str) and source_name.strip() else None,
            "status": info.get("status"), "error_message": info.get("error_message"),
            **{key: int(info.get(key) or 0) for key in ("total_items", "succeeded", "failed", "skipped",
                                                          "total_bytes", "chunks_created")},
            "started_at": row.started_at, "finished_at": row.finished_at,
            "user_metadata": info.get("user_metadata") or {}}


@router.delete("/{kb_name}", **HIDDEN)
async def delete_knowledge_base(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, str]:
    """DELETE /api/v1/knowledge_bases/{kb_name}: the base, its chunks and its runs."""
    kb = _kbs(state).get(user.id, kb_name)
    _kbs(state).delete([kb.id])
    return {"message": f"Knowledge base '{kb_name}' deleted successfully"}


@router.delete("", **HIDDEN)
@router.delete("/", **HIDDEN)
async def delete_knowledge_bases_bulk(request: BulkDeleteRequest, user: CurrentUser,
                                      state: StateDep) -> dict[str, Any]:
    """DELETE /api/v1/knowledge_bases with {kb_names}: those found go; none found is a 404 naming them."""
    found, missing = [], []
    for name in request.kb_names:
        row = _kbs(state).find(user.id, name)
        (missing if row is None else found).append(name if row is None else row)
    if missing and not found:
        raise errors.NotFound(errors.kbs_not_found(missing))
    if state.profile.knowledge_bases.guarded:
        for row in found:
            if "/" in row.name or "\\" in row.name:
                raise errors.Forbidden(errors.kb_access_denied(row.name))
    _kbs(state).delete(list(dict.fromkeys(row.id for row in found)))
    result: dict[str, Any] = {"message": f"Successfully deleted {len(found)} knowledge base(s)",
                              "deleted_count": len(found)}
    if missing:
        result["not_found"] = ", ".join(missing)
    return result


@router.post("/{kb_name}/cancel", **HIDDEN)
async def cancel_ingestion(kb_name: str, user: CurrentUser, state: StateDep) -> dict[str, str]:
    """POST /api/v1/knowledge_bases/{kb_name}/cancel: the base's last ingestion, which in the mock has always
    ended (400 naming its status; 404 with none)."""
    kb = _kbs(state).get(user.id, kb_name)
    run = _kbs(state).latest_run(kb.id)
    if run is None:
        raise errors.NotFound(errors.no_ingestion_job(kb_name))
    raise errors.BadRequest(errors.cannot_cancel_job(run.job_status))


# --- 1.13's /knowledge-base-storage: the local store needs no upgrade, so nothing is ever pending -----------

@storage_router.get("/status")
async def storage_status(user: CurrentUser) -> dict[str, Any]:
    """GET /api/v1/knowledge-base-storage/status: no base is migrating or needs attention."""
    inventory = dict(INVENTORY) if user.is_superuser else None
    return {"stores": [], "revision": "", "running": False, "inventory": inventory,
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
async def retry_cleanup(kb_id: UUID, request: CleanupRetryRequest, _admin: Superuser,
                        state: StateDep) -> dict[str, Any]:
    """POST /api/v1/knowledge-base-storage/pending-cleanup/{kb_id}/retry (superuser): an unknown base is already
    gone; a live one is no pending deletion (409, the release's texts for generation 1 or another)."""
    if not _kbs(state).exists(kb_id):
        return {"kb_id": kb_id, "status": "already_absent"}
    raise errors.Conflict(errors.KB_STORAGE_NEEDS_UPGRADE if request.expected_generation == 1
                          else errors.KB_STORAGE_GENERATION_CHANGED)


@storage_router.post("/attention/{kb_id}/detach")
async def detach_storage(kb_id: UUID, request: CleanupRetryRequest, _admin: Superuser,
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
