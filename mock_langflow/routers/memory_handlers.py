"""The handlers of 1.13's memory-base routes (routers/memories.py holds their table): imported, with the shapes
and the store, when a memory route is first analysed. A community install's rules: a memory base is its owner's
alone (another's is a 404, as one that does not exist)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Response

from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.schemas.memories import FlushRequest, MemoryBaseCreate, MemoryBaseUpdate
from mock_langflow.state import AppState
from mock_langflow.store.memories import MemoryBaseRow, MemoryBases


async def paging(page: Annotated[int, Query(ge=1)] = 1,
                 size: Annotated[int, Query(ge=1, le=100)] = 50) -> tuple[int, int]:
    """fastapi-pagination's Params: a dependency, so its 422 items come before the route's own."""
    return page, size


# fastapi-pagination's add_pagination gives each route answering a Page the same dependency once more (a fresh
# solve, not the cached one): an error in page or size is listed twice
Paging = Annotated[tuple[int, int], Depends(paging)]
Repaged = Annotated[tuple[int, int], Depends(paging, use_cache=False)]


def _store(state: AppState) -> MemoryBases:
    memories: MemoryBases = state.store.memories
    return memories


def _own(state: AppState, memory_base_id: UUID, user: Any) -> MemoryBaseRow:
    return _store(state).get(memory_base_id, user.id)


async def create_memory_base(payload: MemoryBaseCreate, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """POST /api/v1/memories: a memory base watching one of the caller's flows, with a new knowledge base named
    after it (`<name>_<8 hex>`)."""
    from mock_langflow.store.model_settings import ModelSettings

    row = _store(state).create(payload, user_id=user.id, superuser=bool(user.is_superuser),
                               models=ModelSettings.of(state))
    return _store(state).read([row])[0]


async def list_memory_bases(user: CurrentUser, state: StateDep, paging: Paging, _again: Repaged,
                            flow_id: UUID | None = None) -> dict[str, Any]:
    """GET /api/v1/memories: a page of the caller's memory bases (of one flow if given), oldest first."""
    page, size = paging
    return _store(state).list(user.id, flow_id=flow_id, page=page, size=size)


async def get_memory_base(memory_base_id: UUID, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    return _store(state).read([_own(state, memory_base_id, user)])[0]


async def list_sessions(memory_base_id: UUID, user: CurrentUser, state: StateDep, paging: Paging,
                        _again: Repaged) -> dict[str, Any]:
    page, size = paging
    return _store(state).sessions(_own(state, memory_base_id, user), page=page, size=size)


async def list_memory_base_messages(memory_base_id: UUID, user: CurrentUser, state: StateDep, paging: Paging,
                                    _again: Repaged, session_id: str | None = None) -> dict[str, Any]:
    page, size = paging
    return _store(state).messages(_own(state, memory_base_id, user), session_id=session_id, page=page, size=size)


async def update_memory_base(memory_base_id: UUID, patch: MemoryBaseUpdate, user: CurrentUser,
                             state: StateDep) -> dict[str, Any]:
    """PATCH /api/v1/memories/{id}: name, threshold and auto_capture; the others stay as created."""
    from mock_langflow.store.model_settings import ModelSettings

    row = _store(state).update(_own(state, memory_base_id, user), patch.model_dump(exclude_unset=True),
                               models=ModelSettings.of(state))
    return _store(state).read([row], backend=False)[0]


async def delete_memory_base(memory_base_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    _store(state).delete(_own(state, memory_base_id, user))
    return Response(status_code=204)


async def flush_memory_base(memory_base_id: UUID, body: FlushRequest, user: CurrentUser,
                            state: StateDep) -> dict[str, Any]:
    """POST /api/v1/memories/{id}/flush: ingest the session's new messages now, whatever the threshold.

    Deviation: the ingestion is done before the 202 (Langflow runs it in the background)."""
    return {"job_id": str(_store(state).ingest(_own(state, memory_base_id, user), body.session_id,
                                               policy=state.runner.model_policy))}


async def check_mismatch(memory_base_id: UUID, user: CurrentUser, state: StateDep) -> dict[str, bool]:
    return {"mismatch_detected": _store(state).mismatch(_own(state, memory_base_id, user))}


async def regenerate_memory_base(memory_base_id: UUID, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    return {"job_ids": _store(state).regenerate(_own(state, memory_base_id, user), policy=state.runner.model_policy)}
