"""1.13's memory bases (/api/v1/memories): a user's knowledge base fed with the messages of one of their flows,
one session at a time. Each memory base owns a knowledge base (store/knowledge_bases.py, marked with the "memory"
source type) that holds the messages' chunks. The tables are defined here, imported with the first memory route
(Store.memories), not at every start (store/models.py LAZY_TABLE_MODULES).

No embedding is computed, as for the knowledge bases: a chunk keeps its text and Langflow's metadata."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import UniqueConstraint, and_, bindparam, literal_column, or_
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, col, delete, func, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids, ts_naive
from mock_langflow.engine.chunking import DEFAULT_SEPARATORS, split_text
from mock_langflow.engine.end_users import end_user_of_session
from mock_langflow.engine.message import as_v1
from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.memories import MemoryBaseFields
from mock_langflow.store.db import Database, sql_int, table
from mock_langflow.store.knowledge_bases import Chunking, KbChunkRow, KnowledgeBaseRow, KnowledgeBases, insert_named
from mock_langflow.store.models import MB_INGESTIONS, MB_RUNS, MB_SESSIONS, MEMORY_BASES, FlowRow, MessageRow

if TYPE_CHECKING:
    from mock_langflow.model_catalog import ProviderPolicy

# 1.13's model-provider policy as the runs read it (None: nothing restricts)
PolicyReader = Callable[[], "ProviderPolicy | None"]

MEMORY_SOURCE = "memory"  # the source type that marks a knowledge base as a memory base's
# Langflow's message documents: 1000-character chunks overlapping by 100 (memory_base/document_builders.py)
MESSAGE_CHUNKING = Chunking(size=1000, overlap=100, separator="", separators=DEFAULT_SEPARATORS)
# the sanitized name's share of a generated kb_name (kb_path_helpers): a local collection name's 255 characters but
# the "_" and 8 hex digits after it
KB_NAME_PREFIX_LENGTH = 255 - 9
# backend_config keys that point a store at shared storage: a superuser's only (lfx's STORAGE_ROUTING_KEYS)
ROUTING_KEYS = ("index_name", "index_name_origin", "legacy_shared_index", "collection_name",
                "collection_name_origin", "legacy_shared_collection")
MEMORY_FIELDS = tuple(MemoryBaseFields.model_fields)


class MemoryBaseRow(MemoryBaseFields, table=True):
    __tablename__ = MEMORY_BASES
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: UUID = Field(primary_key=True)
    kb_name: str = ""  # generated: the sanitized name and 8 hex digits
    created_at: datetime


_BASES = table(MemoryBaseRow)
# whether an auto-capturing memory base watches a flow (a run's capture)
WATCHED = core_select(_BASES.c.id).where(_BASES.c.flow_id == bindparam("flow_id"), _BASES.c.auto_capture.is_(True))


class MemorySessionRow(SQLShape, table=True):
    """A session synced into a memory base: where its last ingestion stopped (the cursor, a message id)."""

    __tablename__ = MB_SESSIONS
    __table_args__ = (UniqueConstraint("memory_base_id", "session_id"),)

    id: UUID = Field(primary_key=True)
    memory_base_id: UUID
    session_id: str
    cursor_id: UUID | None = None
    total_processed: int = 0
    last_sync_at: datetime | None = None


class MemoryRunRow(SQLShape, table=True):
    """A run captured for a memory base's session; pending until an ingestion of the session covers it."""

    __tablename__ = MB_RUNS

    id: UUID = Field(primary_key=True)
    memory_base_id: UUID = Field(index=True)
    session_id: str
    ingestion_job_id: UUID | None = None
    recorded_at: datetime


class MessageIngestionRow(SQLShape, table=True):
    """A message ingested into a memory base, by which job and when."""

    __tablename__ = MB_INGESTIONS
    __table_args__ = (UniqueConstraint("message_id", "session_id", "memory_base_id"),)

    id: UUID = Field(primary_key=True)
    message_id: UUID
    memory_base_id: UUID = Field(index=True)
    job_id: UUID | None = None
    session_id: str
    ingested_at: datetime


def sanitize_kb_name(name: str) -> str:
    """The ASCII prefix of a memory base's generated knowledge base name (Langflow's sanitize_kb_name)."""
    sanitized = re.sub(r"[\s\-]+", "_", name.strip().lower())
    sanitized = re.sub(r"[^\w]", "", sanitized, flags=re.ASCII).lstrip("_")
    return sanitized[:KB_NAME_PREFIX_LENGTH] or "memory"


def content_block_text(blocks: list[Any] | None) -> str:
    """The text, code and JSON entries of a message's content blocks, as Langflow embeds them beside its text."""
    parts: list[str] = []
    for block in blocks or []:
        for entry in block.get("contents", []) if isinstance(block, dict) else []:
            if not isinstance(entry, dict):
                continue
            kind = entry.get("type")
            if kind == "text":
                fragment = (entry.get("text") or "").strip()
            elif kind == "code":
                code = (entry.get("code") or "").strip()
                fragment = f"```{entry.get('language') or ''}\n{code}\n```" if code else ""
            elif kind == "json":
                fragment = json.dumps(entry["data"], ensure_ascii=False) if entry.get("data") is not None else ""
            else:
                continue
            if fragment:
                parts.append(fragment)
    return "\n\n".join(parts)


def paged(total: int, items: list[Any], *, page: int, size: int) -> dict[str, Any]:
    """A fastapi-pagination Page."""
    return {"items": items, "total": total, "page": page, "size": size, "pages": -(-total // size)}


class MemoryBases:
    def __init__(self, db: Database, ids: Ids, clock: Clock, kbs: KnowledgeBases, *,
                 end_user_chunks: bool = False) -> None:
        """`end_user_chunks`: 1.13's serving-plane end users are on (LANGFLOW_SERVING_END_USER_HEADER), so a chunk
        ingested from an end user's session carries their id (`end_user_id`), which their erase purges by."""
        self.db, self.ids, self.clock, self.kbs, self.end_user_chunks = db, ids, clock, kbs, end_user_chunks

    # --- reads -------------------------------------------------------------------------------------------------

    def get(self, memory_base_id: UUID, user_id: UUID) -> MemoryBaseRow:
        """The caller's memory base; another's or none is Langflow's 404."""
        with self.db.session() as s:
            row = s.get(MemoryBaseRow, memory_base_id)
        if row is None or row.user_id != user_id:
            raise errors.NotFound(errors.MEMORY_BASE_NOT_FOUND)
        return row

    def read(self, rows: list[MemoryBaseRow], *, backend: bool = True) -> list[dict[str, Any]]:
        """MemoryBaseRead of each row, with its knowledge base's storage state and (`backend`) its backend; an
        update's answer has the shape's default backend instead, as Langflow's reads none for it."""
        with self.db.session() as s:
            kbs = {(kb.user_id, kb.name): kb for kb in s.exec(select(KnowledgeBaseRow).where(
                col(KnowledgeBaseRow.name).in_([row.kb_name for row in rows]))).all()}
        answers = []
        for row in rows:
            kb = kbs.get((row.user_id, row.kb_name))
            body: dict[str, Any] = {name: getattr(row, name) for name in MEMORY_FIELDS}
            body.update(id=row.id, kb_name=row.kb_name, created_at=ts_naive(row.created_at),
                        backend_type=(kb.backend_type if kb else "chroma") if backend else "sqlite",
                        backend_config=(kb.backend_config if kb else {}) if backend else {},
                        storage_state="ready" if kb else "needs_attention", storage_kb_id=kb.id if kb else None,
                        active_migration_id=None)
            answers.append(body)
        return answers

    def list(self, user_id: UUID, *, flow_id: UUID | None, page: int, size: int) -> dict[str, Any]:
        where = [MemoryBaseRow.user_id == user_id]
        if flow_id is not None:
            where.append(MemoryBaseRow.flow_id == flow_id)
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(MemoryBaseRow).where(*where)).one()
            rows = list(s.exec(select(MemoryBaseRow).where(*where).order_by(literal_column("rowid"))
                               .offset(sql_int((page - 1) * size)).limit(size)).all())
        return paged(int(total), self.read(rows), page=page, size=size)

    def sessions(self, mb: MemoryBaseRow, *, page: int, size: int) -> dict[str, Any]:
        """The sessions tracked (captured or flushed), the latest synced first (never synced last), each with
        `pending_count`, its captured runs no ingestion covered yet."""
        where = MemorySessionRow.memory_base_id == mb.id
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(MemorySessionRow).where(where)).one()
            rows = s.exec(select(MemorySessionRow).where(where)
                          .order_by(col(MemorySessionRow.last_sync_at).desc(), literal_column("rowid"))
                          .offset(sql_int((page - 1) * size)).limit(size)).all()
            items = [{"session_id": r.session_id, "cursor_id": r.cursor_id, "total_processed": r.total_processed,
                      "last_sync_at": ts_naive(r.last_sync_at) if r.last_sync_at else None, "id": r.id,
                      "memory_base_id": r.memory_base_id, "pending_count": self._pending(s, mb.id, r.session_id)}
                     for r in rows]
        return paged(int(total), items, page=page, size=size)

    def messages(self, mb: MemoryBaseRow, *, session_id: str | None, page: int, size: int) -> dict[str, Any]:
        """The messages ingested into the memory base (of one session if given), the newest first."""
        on = [MessageIngestionRow.message_id == MessageRow.id, MessageIngestionRow.memory_base_id == mb.id]
        if session_id is not None:
            on.append(MessageIngestionRow.session_id == session_id)
        joined = select(MessageRow, MessageIngestionRow).join(MessageIngestionRow, and_(*on))
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(joined.subquery())).one()
            rows = s.exec(joined.order_by(col(MessageRow.timestamp).desc())
                          .offset(sql_int((page - 1) * size)).limit(size)).all()
        items = [{"id": m.id, "timestamp": ts_naive(m.timestamp), "sender": m.sender, "sender_name": m.sender_name,
                  "session_id": m.session_id, "text": m.text or "", "content_blocks": as_v1(m.content_blocks or []),
                  "job_id": r.job_id, "ingested_at": ts_naive(r.ingested_at)} for m, r in rows]
        return paged(int(total), items, page=page, size=size)

    @staticmethod
    def _pending(s: Any, memory_base_id: UUID, session_id: str) -> int:
        return int(s.exec(select(func.count()).select_from(MemoryRunRow).where(
            MemoryRunRow.memory_base_id == memory_base_id, MemoryRunRow.session_id == session_id,
            col(MemoryRunRow.ingestion_job_id).is_(None))).one())

    # --- writes ------------------------------------------------------------------------------------------------

    def capture(self, flow_id: UUID, session_id: str, *, counted: bool = True,
                policy: PolicyReader | None = None) -> None:
        """After a run of the flow by its owner: each memory base watching it with auto_capture tracks the
        session and records the run (when `counted`: the run has a workflow job); once the session's pending runs
        reach the threshold, it is ingested (as Langflow's capture task fires an ingestion job) unless 1.13's model
        policy (`policy`) refuses its providers, which Langflow's capture logs and goes on from. Whether any base
        watches the flow is read first without a session, which would write the run's deferred rows at once."""
        if not self.db.first(WATCHED, {"flow_id": flow_id}):
            return
        with self.db.session() as s:
            watching = list(s.exec(select(MemoryBaseRow).where(MemoryBaseRow.flow_id == flow_id,
                                                               col(MemoryBaseRow.auto_capture).is_(True))).all())
            due = []
            for mb in watching:
                self._track(s, mb.id, session_id)
                if counted:
                    s.add(MemoryRunRow(id=self.ids.uuid(), memory_base_id=mb.id, session_id=session_id,
                                       recorded_at=self.clock.now()))
                s.flush()
                if self._pending(s, mb.id, session_id) >= mb.threshold:
                    due.append(mb)
            s.commit()
        for mb in due:
            if self.use_refusal(mb, policy) is None:
                self.ingest(mb, session_id)

    def _track(self, s: Any, memory_base_id: UUID, session_id: str) -> MemorySessionRow:
        """The session's tracking row, made (and committed) on its first capture or flush."""
        tracked = s.exec(select(MemorySessionRow).where(MemorySessionRow.memory_base_id == memory_base_id,
                                                        MemorySessionRow.session_id == session_id)).first()
        if tracked is None:
            tracked = MemorySessionRow(id=self.ids.uuid(), memory_base_id=memory_base_id, session_id=session_id)
            s.add(tracked)
            s.commit()
            s.refresh(tracked)
        return tracked

    def create(self, body: Any, *, user_id: UUID, superuser: bool, models: Any) -> MemoryBaseRow:
        """POST /memories, checked in Langflow's order: storage routing (403), the flow (404), the preprocessing
        model (422), both providers against 1.13's approved list (404), the embedding provider (422), the
        preprocessing provider's key (422, `models`: the release's model settings), the name (409); then the
        backing knowledge base and the memory base."""
        backend = body.backend_type or "sqlite"
        keys = [key for key in ROUTING_KEYS if not superuser and (body.backend_config or {}).get(key)]
        if keys:
            raise errors.Forbidden(errors.STORAGE_ROUTING_REFUSED.format(keys=", ".join(keys)))
        with self.db.session() as s:
            flow = s.get(FlowRow, body.flow_id)
            if flow is None or flow.user_id != user_id:
                raise errors.NotFound(errors.MEMORY_FLOW_NOT_FOUND.format(flow_id=body.flow_id))
            taken = s.exec(select(MemoryBaseRow.id).where(MemoryBaseRow.user_id == user_id,
                                                          MemoryBaseRow.name == body.name)).first()
        preprocessor = preprocessing_provider(models.catalog, body.preproc_model, errors.UnprocessableEntity)
        provider = selected_embedding_provider(body.embedding_provider, body.embedding_model)
        if models.approved:  # 1.13's policy (purpose configure) on both, before the embedding class: a 404
            for name in dict.fromkeys(p for p in (preprocessor, provider) if p):
                models.require(name)
        if (body.embedding_provider or "").strip() not in ("", "Unknown") and provider not in EMBEDDING_PROVIDERS:
            raise errors.UnprocessableEntity(errors.EMBEDDING_PROVIDER_UNAVAILABLE.format(provider=provider))
        if body.preprocessing:
            require_key(models, user_id, preprocessor, body.preproc_model, errors.UnprocessableEntity)
        if taken is not None:
            raise errors.Conflict(errors.MEMORY_BASE_EXISTS.format(name=body.name))
        if backend != "sqlite":
            raise errors.UnprocessableEntity(errors.kb_backend_unreachable(backend))
        kb_name = f"{sanitize_kb_name(body.name)}_{self.ids.uuid().hex[:8]}"
        kb = self.kbs.create(user_id=user_id, name=kb_name, provider=provider, model=body.embedding_model,
                             column_config=None, backend_type=backend, backend_config=body.backend_config or {},
                             source_types=[MEMORY_SOURCE])
        row = MemoryBaseRow(id=self.ids.uuid(), kb_name=kb_name, created_at=self.clock.now(),
                            **body.model_dump(include=set(MEMORY_FIELDS) - {"user_id"}), user_id=user_id)
        try:
            insert_named(self.db, row, errors.Conflict(errors.MEMORY_BASE_EXISTS.format(name=body.name)))
        except errors.Conflict:
            self.kbs.delete([kb.id])  # (Langflow's rollback of the provisioned store)
            raise
        return row

    def update(self, mb: MemoryBaseRow, changes: dict[str, Any], *, models: Any) -> MemoryBaseRow:
        """PATCH: name, threshold, auto_capture as given, once the flow is still the owner's (404) and, for a
        preprocessing memory base, its model's provider key still there (403). Langflow writes them unchecked: a
        name in use or a null is its database's error, a 500 (README)."""
        with self.db.session() as s:
            flow = s.get(FlowRow, mb.flow_id)
            if flow is None or flow.user_id != mb.user_id:
                raise errors.NotFound(errors.MEMORY_FLOW_NOT_FOUND.format(flow_id=mb.flow_id))
            if mb.preprocessing:
                require_key(models, mb.user_id, preprocessing_provider(models.catalog, mb.preproc_model,
                                                                       errors.Forbidden),
                            mb.preproc_model, errors.Forbidden)
            row = s.get(MemoryBaseRow, mb.id)
            if row is None:
                raise errors.NotFound(errors.MEMORY_BASE_NOT_FOUND)
            for name, value in changes.items():
                setattr(row, name, value)
            s.add(row)
            try:
                s.commit()
            except IntegrityError as exc:
                # Langflow's catch-all answers the error's text; its first line (the SQL statement left out)
                raise errors.RecordedServerBug(str(exc).split("\n", 1)[0]) from exc
            s.refresh(row)
            return row

    def delete(self, mb: MemoryBaseRow) -> None:
        """The memory base with its sessions, its ingestion records and its knowledge base."""
        kb = self.kbs.find(mb.user_id, mb.kb_name)
        with self.db.session() as s:
            s.exec(delete(MessageIngestionRow).where(MessageIngestionRow.memory_base_id == mb.id))
            s.exec(delete(MemorySessionRow).where(MemorySessionRow.memory_base_id == mb.id))
            s.exec(delete(MemoryRunRow).where(MemoryRunRow.memory_base_id == mb.id))
            s.exec(delete(MemoryBaseRow).where(MemoryBaseRow.id == mb.id))
            s.commit()
        if kb is not None:
            self.kbs.delete([kb.id])

    def use_refusal(self, mb: MemoryBaseRow, policy: PolicyReader | None) -> str | None:
        """What 1.13's model policy (purpose use) says of the providers an ingestion job of the memory base would
        call, as Langflow checks them before it makes the job (preflight_memory_provider_use): the embedding
        provider of its knowledge base (OpenAI when that holds no model), then its preprocessing model's."""
        decision = policy() if policy is not None else None
        if decision is None:
            return None
        kb = self.kbs.find(mb.user_id, mb.kb_name)
        providers = [kb.embedding_provider if kb is not None and kb.embedding_model else DEFAULT_EMBEDDING_PROVIDER]
        if mb.preprocessing:
            providers.append(preprocessing_provider(decision.catalog, mb.preproc_model, errors.NotFound))
        return next((r for p in providers if p and (r := decision.refusal(p)) is not None), None)

    def _require_use(self, mb: MemoryBaseRow, policy: PolicyReader | None) -> None:
        if (refusal := self.use_refusal(mb, policy)) is not None:
            raise errors.RecordedServerBug(refusal)

    def ingest(self, mb: MemoryBaseRow, session_id: str, *, policy: PolicyReader | None = None) -> UUID:
        """One ingestion job of a session, done before the answer: the flow's messages of the session after the
        cursor (errors left out), chunked into the knowledge base, recorded as ingested, the cursor moved to the
        last and the session's pending runs covered. Nothing changes when none has text. Returns the job's id.
        A provider the model policy (`policy`) refuses fails it first, writing nothing: the policy's
        PermissionError, which the flush and regenerate routes leave to Langflow's catch-all 500."""
        self._require_use(mb, policy)
        job_id, now = self.ids.uuid(), self.clock.now()
        with self.db.session() as s:
            tracked = self._track(s, mb.id, session_id)
            query = select(MessageRow).where(MessageRow.flow_id == mb.flow_id, MessageRow.session_id == session_id,
                                             col(MessageRow.error).is_(False), MessageRow.category != "error")
            cursor = s.get(MessageRow, tracked.cursor_id) if tracked.cursor_id else None
            if cursor is not None:
                query = query.where(or_(MessageRow.timestamp > cursor.timestamp,
                                        and_(MessageRow.timestamp == cursor.timestamp, MessageRow.id > cursor.id)))
            messages = list(s.exec(query.order_by(col(MessageRow.timestamp), col(MessageRow.id))).all())
            kb = s.exec(select(KnowledgeBaseRow).where(KnowledgeBaseRow.user_id == mb.user_id,
                                                       KnowledgeBaseRow.name == mb.kb_name)).first()
            chunks = self._chunks(mb, messages, session_id=session_id, job_id=job_id, kb=kb)
            if kb is None or not chunks:  # (no store: Langflow's job fails; no text: it ends, ingesting nothing)
                return job_id
            s.add_all(chunks)
            s.add_all(MessageIngestionRow(id=self.ids.uuid(), message_id=m.id, memory_base_id=mb.id, job_id=job_id,
                                          session_id=session_id, ingested_at=now) for m in messages)
            s.flush()
            KnowledgeBases.restat(s, kb, chunking=MESSAGE_CHUNKING, kinds=set(), error=None)
            tracked.cursor_id, tracked.last_sync_at = messages[-1].id, now
            tracked.total_processed += len(messages)
            s.add(tracked)
            for run in s.exec(select(MemoryRunRow).where(MemoryRunRow.memory_base_id == mb.id,
                                                         MemoryRunRow.session_id == session_id,
                                                         col(MemoryRunRow.ingestion_job_id).is_(None))).all():
                run.ingestion_job_id = job_id
                s.add(run)
            s.commit()
        return job_id

    def _chunks(self, mb: MemoryBaseRow, messages: list[MessageRow], *, session_id: str, job_id: UUID,
                kb: KnowledgeBaseRow | None) -> list[KbChunkRow]:
        """The messages' documents (text, then their blocks' text), split, with Langflow's metadata."""
        chunks: list[KbChunkRow] = []
        end_user = end_user_of_session(session_id) if self.end_user_chunks else None
        for message in messages if kb is not None else []:
            parts = [p for p in ((message.text or "").strip(), content_block_text(message.content_blocks)) if p]
            pieces = split_text("\n\n".join(parts), chunk_size=MESSAGE_CHUNKING.size,
                                chunk_overlap=MESSAGE_CHUNKING.overlap, separators=MESSAGE_CHUNKING.separators)
            for index, piece in enumerate(pieces):
                meta = {"message_id": str(message.id), "session_id": session_id, "flow_id": str(mb.flow_id),
                        "sender": message.sender, "sender_name": message.sender_name,
                        "timestamp": ts_naive(message.timestamp), "run_id": str(message.run_id or ""),
                        "chunk_index": index, "total_chunks": len(pieces), "source": f"memory_base/{session_id}",
                        "job_id": str(job_id)}
                if end_user is not None:
                    meta["end_user_id"] = end_user
                chunks.append(KbChunkRow(id=str(self.ids.uuid()), kb_id=kb.id, content=piece, meta=meta))
        return chunks

    def purge_sessions(self, user_id: UUID, session_ids: list[str]) -> set[str]:
        """The user's memory bases forget these sessions: the chunks ingested from them, their captured runs,
        ingestion records and tracking rows (Langflow's purge_session_data). Returns the sessions tracked."""
        with self.db.session() as s:
            pairs = list(s.exec(select(MemoryBaseRow, MemorySessionRow)
                                .join(MemorySessionRow, MemorySessionRow.memory_base_id == MemoryBaseRow.id)
                                .where(MemoryBaseRow.user_id == user_id,
                                       col(MemorySessionRow.session_id).in_(session_ids))).all())
            for mb, tracked in pairs:
                kb = s.exec(select(KnowledgeBaseRow).where(KnowledgeBaseRow.user_id == user_id,
                                                           KnowledgeBaseRow.name == mb.kb_name)).first()
                if kb is not None:
                    for chunk in s.exec(select(KbChunkRow).where(KbChunkRow.kb_id == kb.id)).all():
                        if (chunk.meta or {}).get("session_id") == tracked.session_id:
                            s.delete(chunk)
                    s.flush()
                    KnowledgeBases.restat(s, kb, chunking=MESSAGE_CHUNKING, kinds=set(), error=None)
                for table in (MessageIngestionRow, MemoryRunRow):
                    s.exec(delete(table).where(col(table.memory_base_id) == mb.id,
                                               col(table.session_id) == tracked.session_id))
                s.delete(tracked)
            s.commit()
        return {tracked.session_id for _, tracked in pairs}

    def mismatch(self, mb: MemoryBaseRow) -> bool:
        """Whether sessions were ingested while the knowledge base holds no chunk (or is gone)."""
        with self.db.session() as s:
            processed = s.exec(select(func.sum(MemorySessionRow.total_processed))
                               .where(MemorySessionRow.memory_base_id == mb.id)).first()
        if not processed:
            return False
        kb = self.kbs.find(mb.user_id, mb.kb_name)
        return kb is None or not self.kbs.chunks(kb.id)

    def regenerate(self, mb: MemoryBaseRow, *, policy: PolicyReader | None = None) -> list[str]:
        """Every session's cursor reset and its ingestion records dropped, then each session ingested again (the
        chunks already stored stay, as in Langflow); the model policy is checked first, as for a flush."""
        self._require_use(mb, policy)
        with self.db.session() as s:
            sessions = list(s.exec(select(MemorySessionRow).where(MemorySessionRow.memory_base_id == mb.id)
                                   .order_by(literal_column("rowid"))).all())
            for tracked in sessions:
                tracked.cursor_id = None
                s.add(tracked)
            s.exec(delete(MessageIngestionRow).where(MessageIngestionRow.memory_base_id == mb.id))
            s.commit()
            names = [tracked.session_id for tracked in sessions]
        return [str(self.ingest(mb, name)) for name in names]


# The embedding provider of a knowledge base that names no model (kb_helpers' default)
DEFAULT_EMBEDDING_PROVIDER = "OpenAI"
# Embedding providers Langflow can build embeddings for (lfx's EMBEDDING_PROVIDER_CLASS_MAPPING)
EMBEDDING_PROVIDERS = ("OpenAI", "Google Generative AI", "Ollama", "IBM WatsonX", "IBM watsonx.ai", "Azure AI Foundry")
# A model name's provider when none is selected (memory_base/embedding_helpers.py's patterns, in order)
MODEL_PATTERNS = ((("models/gemini-embedding", "models/text-embedding", "models/embedding-", "gemini-embedding"),
                   "Google Generative AI"), (("text-embedding-", "ada-", "gpt-"), "OpenAI"),
                  (("embed-english", "embed-multilingual"), "Cohere"),
                  (("sentence-transformers", "bert-", "huggingface"), "HuggingFace"),
                  (("palm", "gecko"), "Google Generative AI"), (("ollama",), "Ollama"), (("azure",), "Azure OpenAI"))


def preprocessing_provider(catalog: Any, model: str | None, refusal: type[errors.MockHTTPError]) -> str | None:
    """The provider of a preprocessing model, looked up in the release's model catalog (None without a model;
    `refusal` for a name it does not hold)."""
    if not model:
        return None
    found = next((row["provider"] for row in catalog.data["catalog"] if row["name"] == model), None)
    if found is None:
        raise refusal(errors.UNKNOWN_LLM_MODEL.format(model=model))
    return str(found)


def require_key(models: Any, user_id: UUID, provider: str | None, model: str | None,
                refusal: type[errors.MockHTTPError]) -> None:
    """`refusal` unless the user's variables (or the environment) hold the provider's key, if it needs one."""
    needed = next((v["variable_key"] for v in models.catalog.variables(provider)
                   if v.get("required") and v.get("is_secret")), None) if provider else None
    if needed and not models.provider_values(user_id, [needed]):
        raise refusal(errors.PREPROCESSING_KEY_MISSING.format(provider=provider, model=model))


def selected_embedding_provider(selected: str | None, model: str) -> str:
    """The embedding provider a memory base names: the one selected (in the registry's case when it is one of
    them), else the one its model name suggests, else OpenAI."""
    supplied = (selected or "").strip()
    if supplied and supplied != "Unknown":
        return next((p for p in EMBEDDING_PROVIDERS if p.casefold() == supplied.casefold()), supplied)
    lower = model.split(":")[0].lower()
    return next((provider for patterns, provider in MODEL_PATTERNS if any(p in lower for p in patterns)), "OpenAI")
