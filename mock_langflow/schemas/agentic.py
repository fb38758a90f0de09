"""The request body of Langflow's assistant routes (langflow/agentic/api/schemas.py AssistantRequest)."""

from __future__ import annotations

from mock_langflow.schemas import RequestShape


class AssistantRequest(RequestShape):
    flow_id: str
    component_id: str | None = None
    field_name: str | None = None
    input_value: str | None = None
    max_retries: int | None = None
    model_name: str | None = None
    provider: str | None = None
    session_id: str | None = None
