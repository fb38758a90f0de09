"""The one reset path: the control API's POST /_mock/reset and the pytest fixture both call reset()."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import col, delete, select

from mock_langflow.routers.a2a import stop_live_tasks
from mock_langflow.store.models import (
    A2APushConfigRow,
    A2ATaskRow,
    FlowRow,
    FolderRow,
    JobEventRow,
    JobRow,
    LlmCallRow,
    MessageRow,
    ScriptDefaultsRow,
    ScriptRuleRow,
    SpanRow,
    TraceRow,
    TransactionRow,
    VertexBuildRow,
)
from mock_langflow.store.projects import DEFAULT_PROJECT_NAME

PARTS = ("flows", "files", "messages", "jobs", "scripts", "journal", "faults", "rate_limits")


class UnknownPart(ValueError):
    pass


async def reset(state: Any, parts: Iterable[str] | None = None) -> list[str]:
    """Put the named parts (default: all) back as they were at start-up. Users, API keys and the example
    flows stay, so a client's credentials keep working across resets."""
    chosen = list(dict.fromkeys(parts or PARTS))
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        raise UnknownPart(f"unknown part(s) {', '.join(unknown)}; parts: {', '.join(PARTS)}")
    if {"jobs", "flows"} & set(chosen):
        await state.jobs.shutdown()
    if "flows" in chosen:  # the A2A runs of the flows going away stop as at a shutdown: their streams end
        await stop_live_tasks(state)
    store = state.store
    blobs: list[str] = []
    with store.db.session() as s:
        if "flows" in chosen:
            # ids only: loading the rows decoded every flow's graph, 0.45 ms a flow (18 s for 40k flows)
            flows = list(s.exec(select(FlowRow.id).where(col(FlowRow.user_id).is_not(None))).all())
            s.exec(delete(FlowRow).where(col(FlowRow.user_id).is_not(None)))
            blobs = store.delete_flow_data(s, flows)
            s.exec(delete(FolderRow).where(col(FolderRow.user_id).is_not(None),
                                           FolderRow.name != DEFAULT_PROJECT_NAME))
            s.exec(delete(A2ATaskRow))  # the A2A tasks of the flows gone (no example flow is an agent)
            s.exec(delete(A2APushConfigRow))  # and their webhooks
        if "messages" in chosen:
            s.exec(delete(MessageRow))
        if "jobs" in chosen:
            for table in (JobEventRow, JobRow, VertexBuildRow, TransactionRow, SpanRow, TraceRow):
                s.exec(delete(table))
        if "scripts" in chosen:
            s.exec(delete(ScriptRuleRow).where(col(ScriptRuleRow.source).not_like("file:%")))
            s.exec(delete(ScriptDefaultsRow).where(col(ScriptDefaultsRow.source).not_like("file:%")))
            s.exec(delete(LlmCallRow))
            for row in s.exec(select(ScriptRuleRow)).all():
                row.uses = 0
                s.add(row)
    if "jobs" in chosen:  # the memory-base capture tasks' job queues, held in memory as Langflow holds them
        state.runner.captures.clear()
    if "scripts" in chosen:
        state.llm.forget()
    store.files.blobs.remove(blobs)
    if "files" in chosen:
        store.files.reset()
    if "journal" in chosen:
        state.journal.clear()
    if "faults" in chosen:
        state.faults.remove()
    if "rate_limits" in chosen:  # the login, password-change and public-build counters (ratelimit.py)
        state.limits.reset()
    return chosen
