"""POST /api/v2/workflows/public's body (1.13), imported when its route is first analysed (not at start-up)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, StringConstraints, model_validator

from mock_langflow.schemas import RequestShape
from mock_langflow.schemas.workflows import GlobalValue, check_flow_id


class PublicWorkflowRunRequest(RequestShape):
    """POST /api/v2/workflows/public (1.13): narrower than a run's body (no graph, tweaks, globals or output ids;
    stream mode only), any other field refused."""

    model_config = ConfigDict(extra="forbid")

    flow_id: str
    input_value: GlobalValue = ""
    session_id: Annotated[str, StringConstraints(max_length=256)] | None = None
    mode: Literal["stream"] = "stream"
    stream_protocol: str = "langflow"
    files: list[str] | None = None
    start_component_id: str | None = None
    stop_component_id: str | None = None

    @model_validator(mode="after")
    def _flow_id_is_uuid(self) -> PublicWorkflowRunRequest:
        check_flow_id(self.flow_id)
        return self
