"""Knowledge bases (/api/v1/knowledge_bases): each user's bases, the chunks of the files ingested into them and
their ingestion runs. The tables are defined here, imported with the first knowledge-base route
(Store.knowledge_bases), not at every start (store/models.py LAZY_TABLE_MODULES).

No embedding is computed: a chunk keeps its text and Langflow's metadata, never a vector."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, col, delete, func, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids
from mock_langflow.engine.chunking import separators_for, split_text, text_stats
from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import Database, sql_int
from mock_langflow.store.models import KB_CHUNKS, KB_RUNS, KNOWLEDGE_BASES

# The metadata keys the ingestion writes on every chunk, which a user's own metadata may not use (Langflow 1.13's
# kb_constants), and the limits on that metadata.
RESERVED_KEYS = frozenset({"source", "file_name", "chunk_index", "total_chunks", "ingested_at", "job_id",
                           "source_type", "source_metadata"})
MAX_KEYS, MAX_KEY_LENGTH, MAX_VALUE_LENGTH, MAX_ARRAY_LENGTH = 16, 32, 256, 16
KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
METADATA_VALUES_CAP = 50  # distinct values a key lists in /metadata/keys
ENDED_JOBS = ("completed", "failed", "cancelled", "timed_out")


class KnowledgeBaseRow(SQLShape, table=True):
    """A knowledge base: Langflow 1.13's knowledge_base row (before 1.13, a directory's embedding_metadata.json)."""

    __tablename__ = KNOWLEDGE_BASES
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: UUID = Field(primary_key=True)
    user_id: UUID  # (the unique key's index serves a user's lookups: each index costs every start-up's RSS)
    name: str  # as stored: spaces made underscores
    embedding_provider: str
    embedding_model: str
    column_config: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    backend_type: str = "sqlite"
    backend_config: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    chunk_size: int | None = None
    chunk_overlap: int | None = None
    separator: str | None = None
    chunks: int = 0
    words: int = 0
    characters: int = 0
    size_bytes: int = 0
    source_types: list[str] = Field(default_factory=list, sa_type=JSON)
    status: str = "ready"  # ready | failed (Langflow's KnowledgeBaseStatus once no run is in flight)
    failure_reason: str | None = None
    created_at: datetime


class KbChunkRow(SQLShape, table=True):
    """One chunk of an ingested file: its text and the metadata Langflow writes on it (no vector)."""

    __tablename__ = KB_CHUNKS

    seq: int | None = Field(default=None, primary_key=True)  # insertion order, the order chunks are read in
    id: str
    kb_id: UUID = Field(index=True)
    content: str
    meta: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class KbRunRow(SQLShape, table=True):
    """An ingestion: Langflow's ingestion job (its id is the run's) with the run's record in `info`."""

    __tablename__ = KB_RUNS

    id: UUID = Field(primary_key=True)
    seq: int  # newest first by this
    kb_id: UUID
    user_id: UUID
    kb_name: str
    job_status: str  # completed | failed | cancelled
    started_at: datetime
    finished_at: datetime | None = None
    info: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


@dataclass(frozen=True)
class Chunking:
    """An ingestion's splitting: chunk size and overlap and the separators to try, in order."""

    size: int
    overlap: int
    separator: str
    separators: tuple[str, ...]

    @classmethod
    def of(cls, size: int, overlap: int, separator: str, *, fallback: bool) -> Chunking:
        """The splitting a form or body asks for (`fallback`: see separators_for)."""
        return cls(size=size, overlap=overlap, separator=separator,
                   separators=separators_for(separator, fallback=fallback))


@dataclass(frozen=True)
class Item:
    """One file of an ingestion (Langflow's IngestionItem with its fetched bytes): `content` None with `error`
    when it could not be read; `meta`, its own metadata, merged over the run's on its chunks."""

    item_id: str
    display_name: str
    file_name: str  # the name its text is read by, its chunks' file_name
    content: bytes | None
    size: int
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def check_metadata(metadata: Any) -> dict[str, Any]:
    """A user's chunk metadata as 1.13 takes it (else a 422 with its text)."""
    if not isinstance(metadata, dict):
        raise errors.UnprocessableEntity("Metadata must be a JSON object.")
    if len(metadata) > MAX_KEYS:
        raise errors.UnprocessableEntity(f"Metadata exceeds the {MAX_KEYS} key limit.")
    for key, value in metadata.items():
        if not key or len(key) > MAX_KEY_LENGTH or not set(key) <= KEY_CHARS:
            raise errors.UnprocessableEntity(f"Metadata key {key!r} is invalid: must be 1-{MAX_KEY_LENGTH} "
                                             "lowercase alphanumeric or underscore characters.")
        if key in RESERVED_KEYS:
            raise errors.UnprocessableEntity(f"Metadata key '{key}' is reserved for ingestion-internal use.")
        _check_value(key, value)
    return metadata


def _check_value(key: str, value: Any) -> None:
    if isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        if len(value) > MAX_VALUE_LENGTH:
            raise errors.UnprocessableEntity(f"Metadata value for '{key}' exceeds {MAX_VALUE_LENGTH} characters.")
        return
    if isinstance(value, list):
        if len(value) > MAX_ARRAY_LENGTH:
            raise errors.UnprocessableEntity(f"Metadata array '{key}' exceeds {MAX_ARRAY_LENGTH} items.")
        for entry in value:
            if not isinstance(entry, str):
                raise errors.UnprocessableEntity(f"Metadata array '{key}' must contain only strings.")
            if len(entry) > MAX_VALUE_LENGTH:
                raise errors.UnprocessableEntity(
                    f"Metadata array entry under '{key}' exceeds {MAX_VALUE_LENGTH} characters.")
        return
    raise errors.UnprocessableEntity(f"Metadata value for '{key}' must be a string, number, bool, or string array; "
                                     f"got {type(value).__name__}.")


def _decoded(raw: str, label: str) -> Any:
    """A metadata form field's JSON (a 422 naming `label` when it is none)."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise errors.UnprocessableEntity(f"{label} is not valid JSON: {exc.msg}") from exc


def parse_metadata(raw: str) -> dict[str, Any]:
    """The ingest form's `metadata` field: a JSON object of run-wide tags ("" for none)."""
    return check_metadata(_decoded(raw, "Metadata")) if raw else {}


def parse_per_file_metadata(raw: str) -> dict[str, dict[str, Any]]:
    """The ingest form's `per_file_metadata` field: {file name: tags}, each file's overriding the run's."""
    if not raw:
        return {}
    decoded = _decoded(raw, "Per-file metadata")
    if not isinstance(decoded, dict):
        raise errors.UnprocessableEntity("Per-file metadata must be a JSON object keyed by filename.")
    if len(decoded) > MAX_KEYS:
        raise errors.UnprocessableEntity(f"Per-file metadata exceeds the {MAX_KEYS} file limit.")
    return check_per_file_metadata(decoded)


def check_per_file_metadata(per_file: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{file name: tags}, each name non-empty and its tags a user's metadata (else a 422 with 1.13's text); the
    folder route's body takes any number of files, the upload form MAX_KEYS."""
    for name, tags in per_file.items():
        if not name:
            raise errors.UnprocessableEntity("Per-file metadata keys must be non-empty filename strings.")
        if not isinstance(tags, dict):
            raise errors.UnprocessableEntity(f"Per-file metadata for {name!r} must be a JSON object.")
        check_metadata(tags)
    return per_file


def file_text(content: bytes) -> str:
    """A file's text as the ingestion reads it: UTF-8, undecodable bytes dropped (Deviation: PDF and DOCX are
    read so too, not parsed)."""
    return content.decode("utf-8", errors="ignore")


def uploaded(files: list[tuple[str, bytes]], *, source_name: str,
             per_file: dict[str, dict[str, Any]]) -> tuple[list[Item], dict[str, Any]]:
    """An upload's items (1.13's FileUploadSource: each file's metadata is the source name and its own tags) and
    the source's description its run records (no bytes)."""
    items = [Item(item_id=f"{index}:{name}", display_name=name, file_name=name, content=content, size=len(content),
                  meta={**({"source_name": source_name} if source_name else {}), **per_file.get(name, {})})
             for index, (name, content) in enumerate(files)]
    return items, {"source_name": source_name or None, "file_count": len(files),
                   "file_names": [name for name, _ in files], "total_bytes": sum(len(c) for _, c in files),
                   "files_with_metadata": sum(1 for name, _ in files if per_file.get(name))}


# 1.13's FolderSource (lfx ingestion_sources/folder.py): the extensions it reads when none are asked for
FOLDER_EXTENSIONS = ("txt", "md", "markdown", "rst", "csv", "tsv", "json", "jsonl", "yaml", "yml", "xml", "html",
                     "htm", "pdf", "docx", "doc", "pptx", "ppt", "xlsx", "xls")


def check_folder(config: dict[str, Any], *, allowed_roots: list[str]) -> Path:
    """The folder a folder source walks, resolved (symlinks followed, `~` expanded), checked as 1.13 checks it:
    it must exist, be a directory and be one of `allowed_roots` or inside one. Raises ValueError with 1.13's
    text (a 400), OSError where the host cannot tell (Langflow's catch-all 500)."""
    raw = config.get("path")
    if not raw or not isinstance(raw, str):
        raise ValueError("FolderSource requires a non-empty 'path' string in source_config.")
    path = Path(raw).expanduser().resolve()
    if not path.exists():
        raise ValueError(f"Folder {path} does not exist.")
    if not path.is_dir():
        raise ValueError(f"Path {path} is not a directory.")
    if not allowed_roots:
        raise ValueError("FolderSource refuses to walk without an allow-list. Configure "
                         "LANGFLOW_KB_ALLOWED_FOLDER_ROOTS.")
    roots = [Path(root).expanduser().resolve() for root in allowed_roots]
    if not any(path == root or path.is_relative_to(root) for root in roots):
        raise ValueError(f"Folder {path} is outside the configured allow-list "
                         f"({', '.join(str(root) for root in roots)}).")
    return path


def folder_items(root: Path, config: dict[str, Any]) -> Iterator[Item]:
    """The files a folder source ingests, each read when its turn comes: those under `root` (only its own unless
    `recursive`) whose extension is asked for (or that have none), at most `max_file_size_bytes` big, in path
    order. Each carries its path under the root and its modification time, then its own tags (by that path, else
    by its name); a file that cannot be read, or whose real path leaves the root, is a failed item."""
    asked = tuple(ext.lower().lstrip(".") for ext in config.get("extensions") or () if ext)
    extensions = asked or FOLDER_EXTENSIONS
    per_file: dict[str, dict[str, Any]] = config.get("per_file_metadata") or {}
    limit = int(config["max_file_size_bytes"])
    for path in sorted(root.rglob("*") if config.get("recursive", True) else root.iterdir()):
        extension = path.suffix.lstrip(".").lower()
        if not path.is_file() or (extension and extension not in extensions):
            continue
        try:
            stat = path.stat()
        except OSError:
            stat = None
        size = stat.st_size if stat is not None else 0
        if size > limit:
            continue
        relative = str(path.relative_to(root))
        meta = {"relative_path": relative, "modified_at": stat.st_mtime if stat is not None else None,
                **(per_file.get(relative) or per_file.get(path.name) or {})}
        target = (root / relative).resolve()
        content, error = None, None
        try:
            if target != root and not target.is_relative_to(root):
                raise ValueError(f"Refusing to read {target}: escaped folder root {root}.")
            content = target.read_bytes()
        except (OSError, ValueError) as exc:
            error = str(exc)
        yield Item(item_id=relative, display_name=path.name, file_name=target.name, content=content, size=size,
                   meta=meta, error=error)


def insert_named(db: Database, row: Any, taken: errors.MockHTTPError) -> Any:
    """`row` inserted, or `taken` raised when its name is in use: the same name made at the same time (after the
    caller's own check), where the unique key decides."""
    try:
        with db.session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
    except IntegrityError as exc:
        raise taken from exc
    return row


class KnowledgeBases:
    def __init__(self, db: Database, ids: Ids, clock: Clock) -> None:
        self.db, self.ids, self.clock = db, ids, clock

    def list(self, user_id: UUID) -> list[KnowledgeBaseRow]:
        """The user's bases, newest first (Langflow's list_by_user)."""
        with self.db.session() as s:
            return list(s.exec(select(KnowledgeBaseRow).where(KnowledgeBaseRow.user_id == user_id)
                               .order_by(col(KnowledgeBaseRow.created_at).desc())).all())

    def find(self, user_id: UUID, name: str) -> KnowledgeBaseRow | None:
        with self.db.session() as s:
            return s.exec(select(KnowledgeBaseRow).where(KnowledgeBaseRow.user_id == user_id,
                                                         KnowledgeBaseRow.name == name)).first()

    def get(self, user_id: UUID, name: str) -> KnowledgeBaseRow:
        row = self.find(user_id, name)
        if row is None:
            raise errors.NotFound(errors.kb_not_found(name))
        return row

    def create(self, *, user_id: UUID, name: str, provider: str, model: str,
               column_config: list[dict[str, Any]] | None, backend_type: str,
               backend_config: dict[str, Any], source_types: list[str] | None = None) -> KnowledgeBaseRow:
        row = KnowledgeBaseRow(id=self.ids.uuid(), user_id=user_id, name=name, embedding_provider=provider,
                               embedding_model=model, column_config=column_config, backend_type=backend_type,
                               backend_config=backend_config, source_types=source_types or [],
                               created_at=self.clock.now())
        return insert_named(self.db, row, errors.Conflict(errors.kb_exists(name)))

    def exists(self, kb_id: UUID) -> bool:
        with self.db.session() as s:
            return s.get(KnowledgeBaseRow, kb_id) is not None

    def delete(self, kb_ids: list[UUID]) -> None:
        """The bases with their chunks and runs."""
        with self.db.session() as s:
            s.exec(delete(KbChunkRow).where(col(KbChunkRow.kb_id).in_(kb_ids)))
            s.exec(delete(KbRunRow).where(col(KbRunRow.kb_id).in_(kb_ids)))
            s.exec(delete(KnowledgeBaseRow).where(col(KnowledgeBaseRow.id).in_(kb_ids)))
            s.commit()

    def delete_named(self, user_id: UUID, names: list[str], *, guarded: bool) -> dict[str, Any]:
        """DELETE /knowledge_bases with {kb_names}: those found go; none found is a 404 naming them."""
        rows = {name: self.find(user_id, name) for name in dict.fromkeys(names)}
        # 1.13: a memory base's base is skipped and reported, not deleted (only 1.13 makes them)
        managed = [name for name in names if (row := rows[name]) is not None and "memory" in row.source_types]
        found = [rows[name] for name in names if rows[name] is not None and name not in managed]
        missing = [name for name in names if rows[name] is None]
        if missing and not found and not managed:
            raise errors.NotFound(errors.kbs_not_found(missing))
        if guarded and any(unsafe_name(row.name) for row in found if row is not None):
            raise errors.Forbidden(errors.kb_access_denied(next(r.name for r in found if r and unsafe_name(r.name))))
        self.delete(list(dict.fromkeys(row.id for row in found if row is not None)))
        result: dict[str, Any] = {"message": f"Successfully deleted {len(found)} knowledge base(s)",
                                  "deleted_count": len(found)}
        if missing:
            result["not_found"] = ", ".join(missing)
        if managed:
            result["memory_base_skipped"] = ", ".join(managed)
        return result

    def set_column_config(self, kb: KnowledgeBaseRow, column_config: list[Any]) -> None:
        with self.db.session() as s:
            row = s.get(KnowledgeBaseRow, kb.id)
            if row is not None:
                row.column_config = column_config
                s.add(row)
                s.commit()

    def ingest(self, kb: KnowledgeBaseRow, items: Iterable[Item], *, chunking: Chunking, source_type: str,
               source_config: dict[str, Any], source_name: str, user_id: UUID, tags: dict[str, Any],
               tagged: bool) -> UUID:
        """Split `items` into chunks and store them, as Langflow's background ingestion does, before answering:
        each item succeeds, is skipped (no text) or failed (unreadable); the run ends succeeded, partial (some
        skipped or failed), failed (nothing succeeded, something failed), or failed with nothing stored when the
        chunking or the walk cannot run. The base's counts, chunking and file types follow. With `tagged` (1.13)
        each chunk also carries its source type and its metadata (the run's `tags` under the item's own). Returns
        the job's (the run's) id."""
        job_id, now = self.ids.uuid(), self.clock.now()
        outcomes: list[dict[str, Any]] = []
        new_chunks: list[KbChunkRow] = []
        kinds: set[str] = set()
        error: str | None = None
        total_bytes = 0
        try:
            for item in items:
                outcome = {"item_id": item.item_id, "display_name": item.display_name, "status": "succeeded",
                           "chunks_created": 0, "error_message": None}
                chunks = [] if item.content is None else split_text(
                    file_text(item.content), chunk_size=chunking.size, chunk_overlap=chunking.overlap,
                    separators=chunking.separators)
                outcomes.append(outcome)
                total_bytes += item.size if item.content is None else len(item.content)
                if item.content is None:
                    outcome.update(status="failed", error_message=f"fetch failed: {item.error}")
                    continue
                if not chunks:
                    outcome.update(status="skipped", error_message="no extractable text")
                    continue
                combined = {**tags, **item.meta}
                for i, text in enumerate(chunks):
                    meta: dict[str, Any] = {"source": source_name or item.file_name, "file_name": item.file_name,
                                            "chunk_index": i, "total_chunks": len(chunks),
                                            "ingested_at": now.isoformat(), "job_id": str(job_id)}
                    if tagged:
                        meta.update(source_type=source_type, source_metadata=json.dumps(combined) if combined else "")
                    new_chunks.append(KbChunkRow(id=str(self.ids.uuid()), kb_id=kb.id, content=text, meta=meta))
                outcome["chunks_created"] = len(chunks)
                if "." in item.file_name:
                    kinds.add(item.file_name.rsplit(".", 1)[-1].lower())
        except (ValueError, OSError) as exc:  # the splitter refuses the sizes (an overlap past the size), or a
            error, new_chunks, kinds = str(exc), [], set()  # folder cannot be walked: nothing is kept
        counts = {status: sum(1 for o in outcomes if o["status"] == status)
                  for status in ("succeeded", "failed", "skipped")}
        status = ("failed" if error or (counts["failed"] and not counts["succeeded"])
                  else "partial" if counts["failed"] or counts["skipped"] else "succeeded")
        info = {"source_type": source_type, "status": status, "error_message": error, "source_config": source_config,
                "total_items": len(outcomes), **counts, "total_bytes": total_bytes,
                "chunks_created": sum(o["chunks_created"] for o in outcomes), "items": outcomes,
                "user_metadata": tags}
        with self.db.session() as s:
            seq = (s.exec(select(func.max(KbRunRow.seq))).first() or 0) + 1
            s.add(KbRunRow(id=job_id, seq=seq, kb_id=kb.id, user_id=user_id, kb_name=kb.name,
                           job_status="failed" if error else "completed", started_at=now, finished_at=now,
                           info=info))
            s.add_all(new_chunks)
            s.flush()
            row = s.get(KnowledgeBaseRow, kb.id)
            if row is not None:
                self.restat(s, row, chunking=chunking, kinds=kinds, error=error)
            s.commit()
        return job_id

    @staticmethod
    def restat(s: Any, row: KnowledgeBaseRow, *, chunking: Chunking, kinds: set[str], error: str | None) -> None:
        """The base's counts from all its chunks, and the chunking of its last good ingestion (Langflow's
        update_stats); a failed one marks the base failed with its reason."""
        if error:
            row.status, row.failure_reason = "failed", error
        else:
            texts = list(s.exec(select(KbChunkRow.content).where(KbChunkRow.kb_id == row.id)).all())
            row.words, row.characters = text_stats(texts)
            row.chunks, row.size_bytes = len(texts), sum(len(t.encode()) for t in texts)
            row.chunk_size, row.chunk_overlap = chunking.size, chunking.overlap
            row.separator = chunking.separator or None
            row.source_types = sorted(set(row.source_types or []) | kinds)
            row.status, row.failure_reason = "ready", None
        s.add(row)

    def chunks(self, kb_id: UUID) -> list[KbChunkRow]:
        with self.db.session() as s:
            return list(s.exec(select(KbChunkRow).where(KbChunkRow.kb_id == kb_id).order_by(col(KbChunkRow.seq)))
                        .all())

    def latest_run(self, kb_id: UUID) -> KbRunRow | None:
        with self.db.session() as s:
            return s.exec(select(KbRunRow).where(KbRunRow.kb_id == kb_id).order_by(col(KbRunRow.seq).desc())).first()

    def latest_runs(self, kb_ids: list[UUID]) -> dict[UUID, KbRunRow]:
        latest: dict[UUID, KbRunRow] = {}
        with self.db.session() as s:
            for run in s.exec(select(KbRunRow).where(col(KbRunRow.kb_id).in_(kb_ids)).order_by(col(KbRunRow.seq))):
                latest[run.kb_id] = run
        return latest

    def runs(self, kb_id: UUID, user_id: UUID, *, page: int, limit: int) -> tuple[list[KbRunRow], int]:
        where = (KbRunRow.kb_id == kb_id, KbRunRow.user_id == user_id)
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(KbRunRow).where(*where)).one()
            rows = s.exec(select(KbRunRow).where(*where).order_by(col(KbRunRow.seq).desc())
                          .offset(sql_int((page - 1) * limit)).limit(limit)).all()
        return list(rows), int(total)

    def run(self, run_id: UUID, user_id: UUID) -> KbRunRow | None:
        with self.db.session() as s:
            row = s.get(KbRunRow, run_id)
        return row if row is not None and row.user_id == user_id else None


# --- the answers' shapes (KnowledgeBaseInfo, ChunkInfo pages, IngestionRunInfo), built here so that the router
# module, imported at every start, stays small -------------------------------------------------------------------

# The connectors 1.13 registers (file upload left out: it has its own dialog), sorted by source type.
CONNECTOR_KEYS = ("source_type", "display_name", "description", "icon", "requires_credentials", "provider_key",
                  "required_scopes")
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
DEFAULT_CHUNKING = (1000, 200)  # size, overlap: 1.13's record columns' defaults
CHUNK_PREVIEW_MULTIPLIER = 3  # a preview splits at most max_chunks * chunk_size * this many characters


def connectors() -> list[dict[str, Any]]:
    return [dict(zip(CONNECTOR_KEYS, connector, strict=True)) for connector in CONNECTORS]


def check_chunking(**fields: int) -> None:
    """1.13's bounds on the chunk form fields (FastAPI's 422 items in the release) and its overlap check."""
    refused = []
    for name, value in fields.items():
        low, high = BOUNDS[name]
        if not low <= value <= high:
            kind, short, limit, words = (("greater_than_equal", "ge", low, "greater than or equal to") if value < low
                                         else ("less_than_equal", "le", high, "less than or equal to"))
            # (1.13 answers FastAPI's items without their input, fact 45)
            refused.append({"type": kind, "loc": ["body", name], "msg": f"Input should be {words} {limit}",
                            "ctx": {short: limit}})
    if refused:
        raise errors.UnprocessableEntity(refused)
    if fields["chunk_overlap"] > fields["chunk_size"]:
        raise errors.UnprocessableEntity(errors.chunk_overlap_too_large(fields["chunk_overlap"],
                                                                         fields["chunk_size"]))


def display_name(row: KnowledgeBaseRow, *, titled: bool) -> str:
    """A base's `name`: its stored name with spaces for '_' (1.7.1, `titled`: for '-' too, title-cased)."""
    return row.name.replace("_", " ").replace("-", " ").title() if titled else row.name.replace("_", " ")


def info(row: KnowledgeBaseRow, *, run: KbRunRow | None = None, name_as_id: bool = False,
         ended_job_fails: bool = False, titled: bool = False, record: bool = False) -> dict[str, Any]:
    """A base as Langflow lists it (KnowledgeBaseInfo): its status from its chunks, then from a failure (1.13) or
    its last ingestion's end (`ended_job_fails`, 1.8); `name_as_id`: 1.8's read and 1.7.1, whose id is the
    name; `titled`: see display_name; `record`: read off 1.13's database record, whose columns give a base never
    ingested into chunks of 1000 overlapping by 200 and no column roles ([])."""
    status, reason = ("ready" if row.chunks > 0 else "empty"), None
    if ended_job_fails:
        if run is not None and run.job_status in ("failed", "cancelled", "timed_out"):
            status = "failed"
    elif row.status == "failed":
        status, reason = "failed", row.failure_reason
    return {
        "id": row.name if name_as_id else str(row.id), "dir_name": row.name,
        "name": display_name(row, titled=titled),
        "embedding_provider": row.embedding_provider or "Unknown", "embedding_model": row.embedding_model or "Unknown",
        "size": row.size_bytes, "words": row.words, "characters": row.characters, "chunks": row.chunks,
        "avg_chunk_size": round(row.characters / row.chunks, 1) if row.chunks else 0.0,
        "chunk_size": DEFAULT_CHUNKING[0] if record and row.chunk_size is None else row.chunk_size,
        "chunk_overlap": DEFAULT_CHUNKING[1] if record and row.chunk_overlap is None else row.chunk_overlap,
        "separator": row.separator,
        "status": status, "failure_reason": reason, "last_job_id": str(run.id) if run is not None else None,
        "source_types": row.source_types or [],
        "column_config": [] if record and row.column_config is None else row.column_config,
        "backend_type": row.backend_type, "backend_config": row.backend_config or {}, "storage_state": "ready",
        "storage_generation": 1, "active_migration_id": None}


def run_info(row: KbRunRow, *, detail: bool = False) -> dict[str, Any]:
    """A run as 1.13 lists it (IngestionRunInfo); with `detail`, its source's description and each file's outcome
    too (IngestionRunDetail)."""
    recorded = row.info
    source_name = (recorded.get("source_config") or {}).get("source_name")
    body = {"id": str(row.id), "kb_name": row.kb_name, "kb_id": str(row.kb_id), "job_id": str(row.id),
            "source_type": recorded.get("source_type", ""),
            "source_name": source_name.strip() if isinstance(source_name, str) and source_name.strip() else None,
            "status": recorded.get("status"), "error_message": recorded.get("error_message"),
            **{key: int(recorded.get(key) or 0) for key in ("total_items", "succeeded", "failed", "skipped",
                                                              "total_bytes", "chunks_created")},
            "started_at": row.started_at, "finished_at": row.finished_at,
            "user_metadata": recorded.get("user_metadata") or {}}
    if detail:
        body.update(source_config=recorded.get("source_config") or {}, items=recorded.get("items") or [])
    return body


def page(items: list[Any], *, page: int, limit: int, key: str) -> dict[str, Any]:
    """A page of `items` under `key`, with Langflow's total, page, limit and total_pages."""
    return {key: items[(page - 1) * limit: page * limit], "total": len(items), "page": page, "limit": limit,
            "total_pages": -(-len(items) // limit)}


def _tags(meta: dict[str, Any]) -> dict[str, Any] | None:
    """A chunk's user metadata (stored as JSON text, as Langflow stores it), or None."""
    try:
        stored = json.loads(meta.get("source_metadata") or "null")
    except ValueError:
        return None
    return stored if isinstance(stored, dict) else None


def chunk_matches(chunk: KbChunkRow, *, search: str, fields: dict[str, str | None],
                  tags: dict[str, set[str]]) -> bool:
    """The chunks route's filters: `fields` (source_type, file_name, job_id) equal, every tag key holding one of
    its values (as text; a list holds any), and `search` in the text, any case."""
    meta = chunk.meta or {}
    if any(expected and meta.get(field) != expected for field, expected in fields.items()):
        return False
    if tags:
        stored = _tags(meta)
        if stored is None:
            return False
        for key, values in tags.items():
            actual = stored.get(key)
            found = {str(v) for v in actual} if isinstance(actual, list) else {str(actual)}
            if actual is None or not found & values:
                return False
    return not search or search in chunk.content.lower()


def metadata_keys(chunks: list[KbChunkRow]) -> dict[str, Any]:
    """The users' own metadata keys of `chunks`, each with its distinct values as text in the order first seen
    (at most METADATA_VALUES_CAP, then `truncated`), keys sorted."""
    distinct: dict[str, dict[str, None]] = {}
    truncated = False
    for chunk in chunks:
        for key, value in (_tags(chunk.meta or {}) or {}).items():
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


def preview(name: str, content: bytes, *, size: int, overlap: int, separators: tuple[str, ...],
            max_chunks: int) -> dict[str, Any]:
    """One file of preview-chunks: its first chunks with where each starts and ends, and an estimate of how many
    the whole file makes. Raises ValueError where the splitter refuses the sizes (1.8: a 500)."""
    text = file_text(content)
    chunks = split_text(text[:max_chunks * size * CHUNK_PREVIEW_MULTIPLIER], chunk_size=size, chunk_overlap=overlap,
                        separators=separators)
    shown, position = [], 0
    for index, chunk in enumerate(chunks[:max_chunks]):
        start = text.find(chunk, position)
        start = position if start == -1 else start
        shown.append({"content": chunk, "index": index, "char_count": len(chunk), "start": start,
                      "end": start + len(chunk)})
        position = start + 1
    total = max(len(chunks), int((len(text) - overlap) / max(size - overlap, 1))) if chunks else 0
    return {"file_name": name, "total_chunks": total, "preview_chunks": shown}


def selected_provider(selection: Any) -> str | None:
    """The provider a create's model_selection names, casefolded ("unknown" without a name; None without one)."""
    if isinstance(selection, list):
        selection = selection[0] if selection else None
    if not isinstance(selection, dict):
        return None
    provider = str(selection.get("provider") or "").strip()
    return provider.casefold() if provider else "unknown"


def unsafe_name(name: str) -> bool:
    """A name 1.13 refuses as a path (403): a separator, a NUL, or . or .."""
    return "/" in name or "\\" in name or "\x00" in name or name in (".", "..")
