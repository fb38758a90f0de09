"""The scripted model's call log (the llm_call table, `/_mock/llm-calls`), defined here and imported by the first
model call or read (engine/llm.py), not at every start (store/models.py LAZY_TABLE_MODULES)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, insert
from sqlmodel import Field

from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import table
from mock_langflow.store.models import LLM_CALLS


class LlmCallRow(SQLShape, table=True):
    """Every call a flow made to the scripted LLM: what it was asked and what it answered."""

    __tablename__ = LLM_CALLS

    id: UUID = Field(primary_key=True)
    flow_id: UUID | None = Field(default=None, index=True)
    session_id: str = Field(index=True)
    component_id: str
    rule_id: int | None = None
    input: str
    prompt: str
    reply: str | None = None
    error: str | None = None
    timestamp: datetime
    # the tools an agent was scripted to call before its reply ({name, input, output} each)
    tool_calls: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    # the token usage the model reported with its reply ({input_tokens, output_tokens, total_tokens}), if any
    usage: dict[str, int] | None = Field(default=None, sa_type=JSON)


INSERT_CALL = insert(table(LlmCallRow))
