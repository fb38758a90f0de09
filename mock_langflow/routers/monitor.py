"""/api/v1/monitor: stored messages and their sessions (fact 40); builds and transactions live in jobs."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote
from uuid import UUID

from fastapi import Body, Depends, Query, Response

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import QUEUE_GRACE
from mock_langflow.responses import no_content
from mock_langflow.routers.build import virtual_flow_id
from mock_langflow.routing import api_router
from mock_langflow.schemas.monitor import MessageUpdate
from mock_langflow.state import AppState
from mock_langflow.store.models import UserRow

router = api_router(prefix="/monitor", tags=["Monitor"])

MAX_SESSIONS_PER_DELETE = 500  # Langflow 1.13's limit on DELETE /monitor/messages/sessions
# What 1.13's message edit (MessageUpdate) takes that earlier releases' does not.
EDIT_EXTRAS = ("session_metadata", "category", "content_blocks")


# Langflow 1.13's message lists: what order_by may name, and the page size (unless given, and at most).
ORDER_FIELDS = ("timestamp", "sender", "sender_name", "session_id", "text")
WINDOW, MAX_WINDOW = 100, 200
# Before 1.13 order_by names a column of the message table (getattr on the table class): any other name is an
# AttributeError, which Langflow answers as a 500 with its text as the detail (errors.message_order_failed).
OLD_ORDER_FIELDS = ("timestamp", "sender", "sender_name", "session_id", "context_id", "text", "files", "error", "edit",
                    "properties", "category", "content_blocks", "id", "flow_id")


def window(limit: int | None) -> int:
    """A page of 100 messages or sessions unless `limit` says otherwise (0 as none), and never more than 200."""
    return min(limit, MAX_WINDOW) if limit else WINDOW


def checked_order(order: str, order_by: str | None) -> bool:
    """Whether a 1.13 message list is asked for in descending order, once Langflow's checks of the order pass: a
    direction other than ASC or DESC (in any case), or an order_by it does not sort by, is a 400."""
    if order.upper() not in ("ASC", "DESC"):
        raise errors.BadRequest(f"Invalid order direction: {order}")
    if order_by and order_by not in ORDER_FIELDS:
        raise errors.BadRequest(f"Invalid order_by field: {order_by}")
    return order.upper() == "DESC"


def in_order(newest: list[Message], order_by: str | None, *, descending: bool) -> list[Message]:
    """The newest-first window in the order asked for: by timestamp as stored, or by another field (a missing
    value last), ties kept in the window's order; no order_by leaves it newest first."""
    if not order_by:
        return newest
    if order_by == "timestamp":
        return newest if descending else newest[::-1]
    return sorted(newest, key=lambda m: (getattr(m, order_by) is None, getattr(m, order_by) or ""),
                  reverse=descending)


def owner(state: AppState, user_id: UUID) -> UUID | None:
    """Whose messages an edit or delete may reach: the caller's; before 1.13 anyone's (None), as those releases
    look a message or session up by its id alone."""
    return user_id if state.profile.messages.owner_scoped else None


@router.get("/messages/sessions")
async def get_message_sessions(user: CurrentUser, state: StateDep, flow_id: UUID | None = None,
                               limit: Annotated[int | None, Query(ge=0)] = None,
                               offset: Annotated[int | None, Query(ge=0)] = None) -> list[str]:
    """GET /api/v1/monitor/messages/sessions: the session ids of the caller's messages (1.13: the most recently
    active first, a page of at most 200)."""
    if state.profile.messages.listing == "newest":
        if flow_id is not None and not state.store.flows.owns(flow_id, user.id):
            return []
        return state.store.messages.latest_sessions(user_id=user.id, flow_id=flow_id, limit=window(limit),
                                                    offset=offset)
    return state.store.messages.sessions(user_id=user.id, flow_id=flow_id)  # no paging before 1.13


@router.delete("/messages/sessions", response_model=None)  # untyped in Langflow's document
async def delete_messages_sessions(session_ids: Annotated[list[str], Body(title="Session Ids")], user: CurrentUser,
                                   state: StateDep) -> dict[str, Any]:
    """DELETE /api/v1/monitor/messages/sessions: every message of these sessions (at most 500 of them); the
    answer counts the sessions that had messages of the caller, as 1.13's bulk delete does."""
    if len(session_ids) > MAX_SESSIONS_PER_DELETE:
        raise errors.BadRequest(f"Cannot delete more than {MAX_SESSIONS_PER_DELETE} sessions at once. Please batch "
                                "your requests.")
    # 1.13: the caller's memory bases forget these sessions first; a session one tracked counts as deleted
    tracked = state.store.purge_memory_sessions(user.id, session_ids)
    rest = [session_id for session_id in session_ids if session_id not in tracked]
    count = state.store.messages.delete_sessions(rest, user_id=user.id) if rest else 0
    if tracked:
        state.store.messages.delete_sessions(sorted(tracked), user_id=user.id)
    count += len(tracked)
    if not count:
        return {"message": "No sessions to delete", "deleted_count": 0}
    return {"message": f"Messages deleted successfully for {count} session{'s' if count != 1 else ''}",
            "deleted_count": count}


@router.get("/messages")
async def get_messages(user: CurrentUser, state: StateDep, flow_id: UUID | None = None, session_id: str | None = None,
                       end_user_id: str | None = None, sender: str | None = None, sender_name: str | None = None,
                       order_by: str | None = "timestamp", order: str = "ASC",
                       limit: Annotated[int | None, Query(ge=0)] = None,
                       offset: Annotated[int | None, Query(ge=0)] = None) -> list[dict[str, Any]]:
    """GET /api/v1/monitor/messages: `files` is a JSON string here, unlike in run answers (fact 40). 1.13 answers
    the newest `limit` messages (100 unless given, at most 200) in the order asked for, and with `end_user_id`
    only the messages stored under that owner."""
    if session_id:
        session_id = unquote(session_id)  # Langflow decodes the (already decoded) session id once more
    if state.profile.messages.listing == "newest":
        if flow_id is not None and not state.store.flows.owns(flow_id, user.id):
            return []
        desc = checked_order(order, order_by)
        owner = None
        if end_user_id:  # the owner a serving-plane end user's messages are stored under (engine/end_users.py)
            from mock_langflow.engine.end_users import message_owner

            owner = message_owner(end_user_id)
        newest = state.store.messages.newest(user_id=user.id, flow_id=flow_id, session_id=session_id, sender=sender,
                                             sender_name=sender_name, limit=window(limit), offset=offset, owner=owner)
        return [m.stored() for m in in_order(newest, order_by, descending=desc)]
    # Before 1.13 there is no order, limit or offset: every message, ascending by order_by.
    if order_by and order_by not in OLD_ORDER_FIELDS:
        raise errors.ServerError(errors.message_order_failed(order_by))
    messages = state.store.messages.list(user_id=user.id, flow_id=flow_id, session_id=session_id, sender=sender,
                                         sender_name=sender_name, order_by=order_by)
    return [m.stored() for m in messages]


@router.delete("/messages", status_code=204)
async def delete_messages(message_ids: Annotated[list[UUID], Body(title="Message Ids")], user: CurrentUser,
                          state: StateDep) -> Response:
    """DELETE /api/v1/monitor/messages: a JSON array of message ids; 204 with a JSON content type, as FastAPI
    answers Langflow's handler that returns nothing."""
    state.store.messages.delete(message_ids, user_id=owner(state, user.id))
    return no_content()


@router.put("/messages/{message_id}")
async def update_message(message_id: UUID, message: MessageUpdate, user: CurrentUser,
                         state: StateDep) -> dict[str, Any]:
    """PUT /api/v1/monitor/messages/{id}: edit a stored message (editing its text marks it edited; 1.13 stores a
    given session_metadata in place of the run's, and takes category and content_blocks, which earlier releases
    ignore); the answer is the message as Langflow's MessageRead has it, run_id included."""
    changes = message.model_dump(exclude_unset=True, exclude_none=True)
    if not state.profile.messages.edit_extras:
        for name in EDIT_EXTRAS:  # before 1.13 an edit has no such fields: they are ignored
            changes.pop(name, None)
    updated = state.store.messages.update(message_id, user_id=owner(state, user.id), changes=changes,
                                          scoped_files=state.profile.messages.attachment_scope,
                                          storage=state.runner.storage)
    return updated.read()


@router.patch("/messages/session/{old_session_id}")
async def update_session_id(old_session_id: str, new_session_id: Annotated[str, Query(
        description="The new session ID to update to")], user: CurrentUser, state: StateDep) -> list[dict[str, Any]]:
    """PATCH /api/v1/monitor/messages/session/{old}?new_session_id=: rename a session."""
    renamed = state.store.messages.rename_session(old_session_id, new_session_id, user_id=owner(state, user.id))
    return [m.stored() for m in renamed]


@router.delete("/messages/session/{session_id}", status_code=204)
async def delete_messages_session(session_id: str, user: CurrentUser, state: StateDep) -> Response:
    """DELETE /api/v1/monitor/messages/session/{session_id}: 204 with a JSON content type (fact 40)."""
    state.store.purge_memory_sessions(user.id, [session_id])  # 1.13: the caller's memory bases forget it
    state.store.messages.delete_sessions([session_id], user_id=owner(state, user.id))
    return no_content()


# --- 1.13: the job queue's metrics, for superusers ------------------------------------------------------------



async def active_superuser(user: CurrentUser) -> UserRow:
    """1.13's get_current_active_superuser: a plain 403 for anyone else (no error-code header; CurrentUser is
    never an inactive user)."""
    if not user.is_superuser:
        raise errors.Forbidden(errors.NOT_ENOUGH_PRIVILEGES)
    return user


@router.get("/job_queue", dependencies=[Depends(active_superuser)])
async def job_queue_metrics(state: StateDep) -> dict[str, Any]:
    """GET /api/v1/monitor/job_queue (1.13, superusers): the in-memory queue backend's snapshot, its backend and
    how many job queues it holds: one per v1 build (a webhook's or a v2 run's task has none) and one per
    memory-base capture task an owner's run fired, each still running or finished within the grace period
    Langflow keeps a finished job's queue for."""
    active = (state.store.jobs.live("build", since=state.clock.now() - QUEUE_GRACE)
              + state.runner.captures.count())
    return {"backend": "memory", "active_jobs": active}


# --- 1.13: a signed-in user's messages of a shared (PUBLIC) flow's playground --------------------------------
# A public build by a signed-in caller keeps its messages under the caller's virtual flow id (routers/build.py);
# these routes find them by the flow's own id, as `source_flow_id`, and reach no other message.

SourceFlowId = Annotated[UUID, Query(description="The original public flow ID")]


def shared_flow(user: UserRow, source_flow_id: UUID) -> UUID:
    return virtual_flow_id(source_flow_id, client_id=None, user_id=user.id, guarded=True)


@router.get("/messages/shared/sessions")
async def get_shared_message_sessions(user: CurrentUser, state: StateDep, source_flow_id: SourceFlowId,
                                      limit: Annotated[int | None, Query(ge=0)] = None,
                                      offset: Annotated[int | None, Query(ge=0)] = None) -> list[str]:
    """GET /api/v1/monitor/messages/shared/sessions?source_flow_id=: the sessions of the caller's messages in a
    shared flow's playground, the most recently active first (agentic_ ones too), a page of at most 200."""
    return state.store.messages.latest_sessions(user_id=None, flow_id=shared_flow(user, source_flow_id),
                                                limit=window(limit), offset=offset, agentic=True)


@router.get("/messages/shared")
async def get_shared_messages(user: CurrentUser, state: StateDep, source_flow_id: SourceFlowId,
                              session_id: str | None = None, order_by: str | None = "timestamp", order: str = "ASC",
                              limit: Annotated[int | None, Query(ge=0)] = None,
                              offset: Annotated[int | None, Query(ge=0)] = None) -> list[dict[str, Any]]:
    """GET /api/v1/monitor/messages/shared?source_flow_id=: the caller's messages in a shared flow's playground,
    windowed, checked and ordered as GET /messages is in 1.13."""
    if session_id:
        session_id = unquote(session_id)
    desc = checked_order(order, order_by)
    newest = state.store.messages.newest(user_id=None, flow_id=shared_flow(user, source_flow_id),
                                         session_id=session_id, limit=window(limit), offset=offset)
    return [m.stored() for m in in_order(newest, order_by, descending=desc)]


@router.delete("/messages/shared/session/{session_id}", status_code=204)
async def delete_shared_messages_session(session_id: str, user: CurrentUser, state: StateDep,
                                         source_flow_id: SourceFlowId) -> Response:
    """DELETE /api/v1/monitor/messages/shared/session/{session_id}?source_flow_id=: 204 with a JSON content type,
    whether the session had messages or not."""
    state.store.messages.delete_sessions([session_id], user_id=None, flow_id=shared_flow(user, source_flow_id))
    return no_content()


@router.put("/messages/shared/{message_id}")
async def update_shared_message(message_id: UUID, message: MessageUpdate, user: CurrentUser, state: StateDep,
                                source_flow_id: SourceFlowId) -> dict[str, Any]:
    """PUT /api/v1/monitor/messages/shared/{id}?source_flow_id=: edit one of the caller's messages in a shared
    flow's playground (404 "Message not found" for any other), as PUT /messages/{id} edits; its `files` may be
    storage keys of the caller, of the virtual flow or of the shared flow."""
    virtual = shared_flow(user, source_flow_id)
    updated = state.store.messages.update(message_id, user_id=None, flow_id=virtual,
                                          changes=message.model_dump(exclude_unset=True, exclude_none=True),
                                          scoped_files=True, storage=state.runner.storage,
                                          scopes=(user.id, virtual, source_flow_id))
    return updated.read()


@router.patch("/messages/shared/session/{old_session_id}")
async def rename_shared_session(old_session_id: str, new_session_id: Annotated[str, Query(
        description="The new session ID")], user: CurrentUser, state: StateDep,
        source_flow_id: SourceFlowId) -> list[dict[str, Any]]:
    """PATCH /api/v1/monitor/messages/shared/session/{old}?new_session_id=&source_flow_id=: rename a session of
    the caller's in a shared flow's playground (404 when it has no messages there)."""
    renamed = state.store.messages.rename_session(old_session_id, new_session_id, user_id=None,
                                                  flow_id=shared_flow(user, source_flow_id))
    return [m.stored() for m in renamed]
