"""Stored chat messages: what /run and the other run paths write, and the monitor API reads (fact 40)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, distinct, func, literal_column
from sqlalchemy.dialects.sqlite import insert
from sqlmodel import col, delete, select

from mock_langflow import errors
from mock_langflow.clock import as_utc
from mock_langflow.engine.message import Message, saved_properties
from mock_langflow.engine.runner import HistoryScope, StoragePaths
from mock_langflow.store.db import Database, sql_int, table
from mock_langflow.store.models import FlowRow, MessageRow

ROWID = literal_column("message.rowid")
_MESSAGES = table(MessageRow)
_INSERT = insert(_MESSAGES)
# A streamed reply is stored first and completed later, under the same id: insert, or replace every field.
UPSERT_MESSAGE = _INSERT.on_conflict_do_update(
    index_elements=[_MESSAGES.c.id],
    set_={c.name: _INSERT.excluded[c.name] for c in _MESSAGES.columns if c.name != "id"})
DELETE_MESSAGE = delete(_MESSAGES).where(_MESSAGES.c.id == bindparam("message_id"))


def to_values(message: Message, user_id: UUID | None) -> dict[str, Any]:
    return {"id": message.id, "flow_id": message.flow_id, "user_id": user_id, "session_id": message.session_id,
            "timestamp": message.timestamp, "sender": message.sender, "sender_name": message.sender_name,
            "text": message.text, "files": list(message.files), "context_id": message.context_id,
            "properties": message.properties, "category": message.category,
            "content_blocks": message.table_blocks(), "run_id": message.run_id, "edit": message.edit,
            "error": message.error, "session_metadata": message.session_metadata}


def from_row(row: MessageRow) -> Message:
    """A stored message; its properties are the saved ones (source, state and usage among them)."""
    return Message(id=row.id, flow_id=row.flow_id, session_id=row.session_id, text=row.text, sender=row.sender,
                   sender_name=row.sender_name, timestamp=as_utc(row.timestamp), run_id=row.run_id,
                   files=list(row.files or []), context_id=row.context_id, category=row.category, error=row.error,
                   edit=row.edit, content_blocks=list(row.content_blocks or []),
                   saved=saved_properties(row.properties or {}), saved_metadata=row.session_metadata)


def _owned_by(user_id: UUID | None, flow_id: UUID | None = None) -> tuple[Any, ...]:
    """The conditions that a message is the user's: of one of the user's own flows, whoever's run stored it (a
    serving-plane end user's too), as Langflow joins each message to its flow's owner (a public build's messages,
    kept under a virtual flow id, are nobody's here); none for None (releases before 1.13 scope no edit or delete).
    With `flow_id`, also that it is of that flow."""
    of_flow = (MessageRow.flow_id == flow_id,) if flow_id is not None else ()
    if user_id is None:
        return of_flow
    return (col(MessageRow.flow_id).in_(select(FlowRow.id).where(FlowRow.user_id == user_id)), *of_flow)


def _of_user(user_id: UUID | None, flow_id: UUID | None, session_id: str | None, sender: str | None,
             sender_name: str | None, owner: UUID | None = None) -> Any:
    """The caller's messages matching the monitor's filters (`user_id` None: anyone's, as for a shared flow's
    virtual id; `owner`: those stored under it); as Langflow's, an empty value filters nothing."""
    query = select(MessageRow).where(*_owned_by(user_id, flow_id))
    for column, value in ((MessageRow.session_id, session_id), (MessageRow.sender, sender),
                          (MessageRow.sender_name, sender_name), (MessageRow.user_id, owner)):
        if value:
            query = query.where(column == value)
    return query


class Messages:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, message: Message, *, user_id: UUID | None) -> None:
        """Insert the message, or update it in place (a streamed reply is stored first, completed later);
        written with the next batch of deferred writes."""
        self.db.defer(UPSERT_MESSAGE, to_values(message, user_id))

    def get(self, message_id: UUID) -> Message | None:
        """A stored message by id, whoever's it is."""
        with self.db.session() as s:
            row = s.get(MessageRow, message_id)
            return from_row(row) if row is not None else None

    def discard(self, message_id: UUID) -> None:
        """Delete a message a run stored, after the writes queued before it (its own insert among them)."""
        self.db.defer(DELETE_MESSAGE, {"message_id": message_id})

    def list(self, *, user_id: UUID, flow_id: UUID | None = None, session_id: str | None = None,
             sender: str | None = None, sender_name: str | None = None,
             order_by: str | None = "timestamp") -> list[Message]:
        """Every message of the caller's matching the filters, ascending by `order_by` (the router refuses a name
        that is no column; none: by timestamp), as releases before 1.13 list them."""
        query = _of_user(user_id, flow_id, session_id, sender, sender_name)
        column = getattr(MessageRow, order_by or "timestamp", None)
        if column is None or order_by not in MessageRow.model_fields:
            column = MessageRow.timestamp
        query = query.order_by(col(column), ROWID)
        with self.db.session() as s:
            return [from_row(r) for r in s.exec(query).all()]

    def newest(self, *, user_id: UUID | None, flow_id: UUID | None = None, session_id: str | None = None,
               sender: str | None = None, sender_name: str | None = None, limit: int,
               offset: int | None = None, owner: UUID | None = None) -> list[Message]:
        """Langflow 1.13's window: the caller's newest `limit` messages after skipping `offset` of the newest,
        newest first. (Langflow breaks a tie of timestamps by message id; the mock by the order of storing.)"""
        query = (_of_user(user_id, flow_id, session_id, sender, sender_name, owner)
                 .order_by(col(MessageRow.timestamp).desc(), ROWID.desc()).offset(sql_int(offset or 0)))
        with self.db.session() as s:
            return [from_row(r) for r in s.exec(query.limit(limit)).all()]

    def latest_sessions(self, *, user_id: UUID | None, flow_id: UUID | None, limit: int, offset: int | None,
                        agentic: bool = False) -> list[str]:
        """Langflow 1.13's session list: the most recently active first (ties by session id, descending), without
        the assistant's "agentic_" sessions (unless `agentic`), a page of `limit` after `offset`. `user_id` None:
        anyone's messages (a shared flow's virtual id)."""
        query = select(MessageRow.session_id).where(*_owned_by(user_id, flow_id),
                                                    col(MessageRow.session_id).is_not(None))
        if not agentic:
            query = query.where(~col(MessageRow.session_id).startswith("agentic_"))
        query = (query.group_by(MessageRow.session_id)
                 .order_by(func.max(MessageRow.timestamp).desc(), col(MessageRow.session_id).desc())
                 .offset(sql_int(offset or 0)).limit(limit))
        with self.db.session() as s:
            return list(s.exec(query).all())

    def history(self, flow_id: UUID | None, session_id: str, scope: HistoryScope | None = None) -> list[Message]:
        """A session's messages in order, as a Message History component or an Agent reads them (Langflow's
        _get_variable_query): none that failed; the flow's, of the scope's user if it names one, or (scope
        `of_flow` false) every flow's; of the scope's context id if it names one."""
        scope = scope or HistoryScope(of_flow=True, user_id=None)
        query = select(MessageRow).where(MessageRow.session_id == session_id, MessageRow.error == False)  # noqa: E712
        if scope.of_flow:
            query = query.where(MessageRow.flow_id == flow_id)
            if scope.user_id is not None:
                query = query.where(MessageRow.user_id == scope.user_id)
        if scope.context_id:
            query = query.where(MessageRow.context_id == scope.context_id)
        with self.db.session() as s:
            return [from_row(r) for r in s.exec(query.order_by(col(MessageRow.timestamp), ROWID)).all()]

    def count_in_session(self, *, flow_id: UUID, session_id: str) -> int:
        with self.db.session() as s:
            return len(s.exec(select(MessageRow.id).where(MessageRow.flow_id == flow_id,
                                                          MessageRow.session_id == session_id)).all())

    def sessions(self, *, user_id: UUID, flow_id: UUID | None = None) -> list[str]:
        query = select(MessageRow.session_id).where(*_owned_by(user_id, flow_id))
        with self.db.session() as s:
            seen: dict[str, None] = {}
            for sid in s.exec(query.order_by(ROWID)).all():
                seen.setdefault(sid)
            return list(seen)

    def update(self, message_id: UUID, *, user_id: UUID | None, changes: dict[str, Any],
               scoped_files: bool, storage: StoragePaths | None = None, flow_id: UUID | None = None,
               scopes: tuple[UUID, ...] | None = None) -> Message:
        """`user_id`: the caller, whose message it must be (None: anyone's, as before 1.13); `flow_id`: the flow it
        must be of. `scoped_files` (1.13): each of the new `files` must be a storage key of one of `scopes` (by
        default the caller and the message's flow: "<user or flow id>/<file name>"), or such a file's path under
        the storage directory (`storage`; a run stores those), else a 400."""
        with self.db.session() as s:
            row = s.exec(select(MessageRow).where(MessageRow.id == message_id, *_owned_by(user_id, flow_id))).first()
            if row is None:
                raise errors.NotFound("Message not found")
            if scopes is None:
                scopes = tuple(x for x in (user_id, row.flow_id) if x is not None)
            if scoped_files and not all(_in_scope(f, scopes, storage) for f in changes.get("files") or ()):
                raise errors.BadRequest(errors.MESSAGE_ATTACHMENT_SCOPE)
            if "text" in changes and changes["text"] != row.text:
                changes = {**changes, "edit": True}  # Langflow marks a message edited when its text changes
            for key, value in changes.items():
                setattr(row, key, value)
            s.add(row)
            return from_row(row)

    def rename_session(self, old: str, new: str, *, user_id: UUID | None,
                       flow_id: UUID | None = None) -> list[Message]:
        """Move the caller's messages of session `old` (`user_id` None: everyone's, as before 1.13), of the flow
        `flow_id` only when given."""
        with self.db.session() as s:
            rows = s.exec(select(MessageRow).where(*_owned_by(user_id, flow_id), MessageRow.session_id == old)
                          .order_by(col(MessageRow.timestamp), ROWID)).all()
            if not rows:
                raise errors.NotFound("No messages found with the given session ID")
            for row in rows:
                row.session_id = new
                s.add(row)
            return [from_row(r) for r in rows]

    def delete(self, ids: Sequence[UUID], *, user_id: UUID | None) -> int:
        """Delete the caller's messages among `ids` (`user_id` None: anyone's, as before 1.13)."""
        with self.db.session() as s:
            result = s.exec(delete(MessageRow).where(col(MessageRow.id).in_(ids), *_owned_by(user_id)))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def delete_sessions(self, session_ids: Sequence[str], *, user_id: UUID | None,
                        flow_id: UUID | None = None) -> int:
        """Delete the caller's messages of these sessions (`user_id` None: everyone's, as before 1.13), of the flow
        `flow_id` only when given; returns how many of the sessions had any."""
        with self.db.session() as s:
            mine = (col(MessageRow.session_id).in_(session_ids), *_owned_by(user_id, flow_id))
            found = s.exec(select(func.count(distinct(MessageRow.session_id))).where(*mine)).one()
            if found:
                s.exec(delete(MessageRow).where(*mine))
            return int(found)

    def delete_for_flows(self, s: Any, flow_ids: Sequence[UUID]) -> None:
        s.exec(delete(MessageRow).where(col(MessageRow.flow_id).in_(flow_ids)))

    def delete_for_user(self, s: Any, user_id: UUID) -> None:
        """The messages of the user's runs (of other users' flows too)."""
        s.exec(delete(MessageRow).where(MessageRow.user_id == user_id))


def _in_scope(key: str, scopes: tuple[UUID | None, ...], storage: StoragePaths | None) -> bool:
    """Langflow 1.13's check of an edited message's attachment: a storage key "<namespace>/<file name>" whose
    namespace is one of `scopes` (compared case-folded) and whose file name is one path segment. An absolute path
    (what a run stores for a Chat Input's files) counts as the storage key it names under the storage directory;
    with LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS on it must also lie in one of the scopes' folders, as spelled."""
    if ".." in key.replace("\\", "/").split("/"):
        return False
    if PurePosixPath(key).is_absolute():
        if storage is None or key.replace("\\", "/").startswith("//"):  # a UNC path is refused outright
            return False
        path, root = PurePosixPath(key), PurePosixPath(storage.root)
        if storage.restricted and not any(path.is_relative_to(root / str(s)) for s in scopes if s is not None):
            return False
        named = storage.key_of(key)
        if named is None:
            return False
        key = named
    elif PureWindowsPath(key).drive:
        return False
    namespace, _, name = key.partition("/")
    if not namespace or not name or ".." in name or any(c in name for c in "/\\\x00"):
        return False
    return namespace.casefold() in {str(s).casefold() for s in scopes if s is not None}
