"""Langflow's log retriever, /logs and /logs-stream (its log_router, mounted without the /api prefix).

Langflow keeps recent log lines in a buffer only when LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE is above 0; by
default it is 0, and both routes answer 501 "Log retrieval is disabled" once the caller is let in (1.13: a
superuser; 1.8 and 1.7.1: any signed-in user) and the query parameters are valid. The mock has no such buffer
of Langflow's log lines, so it always answers as the default does."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import ProfileDep
from mock_langflow.routers.monitor import active_superuser
from mock_langflow.routing import api_router
from mock_langflow.store.models import UserRow

router = api_router(tags=["Log"])


async def log_reader(user: CurrentUser, profile: ProfileDep) -> UserRow:
    """Who may read the logs: 1.13 a superuser (a plain 403 for anyone else), before any signed-in user."""
    return await active_superuser(user) if profile.auth.logs_superuser else user


@router.get("/logs-stream", dependencies=[Depends(log_reader)], response_model=None)
async def stream_logs() -> None:
    """GET /logs-stream: the log buffer's lines as they come (text/event-stream); disabled by default."""
    raise errors.Unimplemented(errors.LOG_RETRIEVAL_DISABLED)


@router.get("/logs", dependencies=[Depends(log_reader)], response_model=None)
async def logs(
    lines_before: Annotated[int, Query(description="The number of logs before the timestamp or the last log")] = 0,
    lines_after: Annotated[int, Query(description="The number of logs after the timestamp")] = 0,
    timestamp: Annotated[int, Query(description="The timestamp to start getting logs from")] = 0,
) -> None:
    """GET /logs: the buffer's lines around a timestamp (or its last ones); disabled by default, which Langflow
    checks before it looks at the parameters' combination."""
    raise errors.Unimplemented(errors.LOG_RETRIEVAL_DISABLED)
