"""Langflow's own descriptions of its schemas and of their properties, as its /openapi.json carries them (the same
text in 1.13, 1.8 and 1.7.1 wherever a release has the schema): wire text, kept exactly as Langflow's documents
have it, as the error texts in errors.py are. The served document describes its schemas with these and nothing
else (app.install_openapi): pydantic would otherwise publish a shape's docstring and a field's description=,
which in this package are notes for its readers. A schema the mock names otherwise than Langflow takes its
counterpart's text (UploadFileResponse, FlowFileUploaded)."""

from __future__ import annotations

# component name -> its description
SCHEMAS: dict[str, str] = {
    "AuthSettings": "Model representing authentication settings for MCP.",
    "CancelFlowResponse": "Response model for flow build cancellation.",
    "ComponentOutput": "Component output schema.",
    "ComposerUrlResponse": "Response model for MCP Composer connection details.",
    "ErrorDetail": "Error detail schema.",
    "FlowFileUploaded": "Upload file response schema.",
    "FlowFork": "What the caller may choose about a fork. Everything else is inherited or neutralised.",
    "FlowHeader": "Model representing a header for a flow - Without the data.",
    "FlowOverwrite": "The merged graph a person chose to write over the version they reviewed.",
    "FlowVersionState": (
        "Just enough to tell whether an open editor is looking at a stale flow.\n"
        "\n"
        "Deliberately its own endpoint rather than fields on ``FlowRead``: the author's\n"
        "name needs a lookup, and putting that on the shared read model would run it\n"
        "once per row on every list endpoint."),
    "MCPProjectUpdateRequest": "Request model for updating MCP project settings including auth.",
    "MCPServerConfig": "Pydantic model for MCP server configuration.",
    "MCPSettings": "Model representing MCP settings for a flow.",
    "OpenAIResponsesRequest": "OpenAI-compatible responses request with flow_id as model parameter.",
    "PublicFlowCapabilities": (
        "Anonymous direct-link capabilities for one flow.\n"
        "\n"
        "Serialized into direct-link responses so a client renders the actions this\n"
        "layer would actually allow, rather than re-deriving them from the legacy\n"
        "``Flow.access_type`` flag."),
    "PublicFlowRead": (
        "A direct-link flow payload plus the capabilities its visitor actually has.\n"
        "\n"
        "``access_type`` alone cannot answer that question: a canonical\n"
        "``AuthzShare(scope=public)`` admits a flow that is still PRIVATE, and the\n"
        "share's permission level — not the legacy flag — decides whether the visitor\n"
        "may run it. Clients gate on ``public_access`` so the UI matches the\n"
        "authorization decision that admitted the request."),
    "RunResponse": "Run response schema.",
    "SpanReadResponse": (
        "Response model for a single span, with nested children.\n"
        "\n"
        "Serializes to camelCase JSON to match the frontend API contract."),
    "SpanStatus": (
        "OpenTelemetry status codes.\n"
        "\n"
        "- UNSET: Default status, span has not ended yet\n"
        "- OK: Span completed successfully\n"
        "- ERROR: Span completed with an error"),
    "SpanType": "Types of spans that can be recorded.",
    "TraceListResponse": "Paginated list response for traces.",
    "TraceRead": (
        "Response model for a single trace with its hierarchical span tree.\n"
        "\n"
        "Serializes to camelCase JSON to match the frontend API contract."),
    "TraceSummaryRead": (
        "Lightweight trace model for list endpoint.\n"
        "\n"
        "Serializes to camelCase JSON to match the frontend API contract."),
    "Tweaks": (
        "A dictionary of tweaks to adjust the flow's execution. Allows customizing flow behavior dynamically. "
        "All tweaks are overridden by the input values."),
    "UploadFileResponse": "File upload response schema.",
    "Usage": "Token usage information from LLM responses.",
    "WorkflowExecutionRequest": "Request schema for workflow execution.",
    "WorkflowExecutionResponse": "Synchronous workflow execution response.",
    "WorkflowJobResponse": "Background job response.",
    "WorkflowMode": "Execution mode for a v2 workflow run.",
    "WorkflowResumeRequest": "Request schema for resuming a suspended (human-in-the-loop) workflow.",
    "WorkflowRunRequest": (
        "Request schema for ``POST /api/v2/workflows`` (v2 native body).\n"
        "\n"
        "First-class fields for everything callers actually configure when running a\n"
        "flow. Streaming protocol is selected by ``stream_protocol``; the endpoint\n"
        "validates it against the live adapter registry and returns 422 with the\n"
        "available list when unknown."),
    "WorkflowStopRequest": "Request schema for stopping workflow.",
    "WorkflowStopResponse": "Response schema for stopping workflow.",
}

# "Component.property" -> its description
PROPERTIES: dict[str, str] = {
    "ComponentOutput.type": "Type of the component output (e.g., 'message', 'data', 'tool', 'text')",
    "FlowCreate.a2a_card_overrides": (
        "User overrides for the generated A2A agent card (skill description, examples, tags)"),
    "FlowCreate.a2a_enabled": "Can be exposed as an A2A agent (only meaningful when flow_type=agent)",
    "FlowCreate.action_description": "The description of the action associated with the flow",
    "FlowCreate.action_name": "The name of the action associated with the flow",
    "FlowCreate.flow_type": "Whether the flow is a plain workflow or an agent (publishable over A2A)",
    "FlowCreate.mcp_enabled": "Can be exposed in the MCP server",
    "FlowCreate.webhook": "Can be used on the webhook endpoint",
    "FlowFork.data": "Graph for the copy; the source graph when omitted",
    "FlowFork.name": "Name for the copy; the source name plus a suffix by default",
    "FlowHeader.a2a_card_overrides": "User overrides for the served A2A agent card",
    "FlowHeader.a2a_enabled": "Flag indicating whether the flow is exposed as an A2A agent",
    "FlowHeader.access_type": "The access type of the flow",
    "FlowHeader.action_description": "The description of the action associated with the flow",
    "FlowHeader.action_name": "The name of the action associated with the flow",
    "FlowHeader.data": "The data of the component, if is_component is True",
    "FlowHeader.description": "A description of the flow",
    "FlowHeader.endpoint_name": "The name of the endpoint associated with this flow",
    "FlowHeader.flow_type": "Whether the flow is a plain workflow or an agent",
    "FlowHeader.folder_id": "The ID of the folder containing the flow. None if not associated with a folder",
    "FlowHeader.id": "Unique identifier for the flow",
    "FlowHeader.is_component": "Flag indicating whether the flow is a component",
    "FlowHeader.mcp_enabled": "Flag indicating whether the flow is exposed in the MCP server",
    "FlowHeader.name": "The name of the flow",
    "FlowHeader.tags": "The tags of the flow",
    "FlowHeader.updated_at": "The timestamp of the last update to the flow",
    "FlowRead.a2a_card_overrides": (
        "User overrides for the generated A2A agent card (skill description, examples, tags)"),
    "FlowRead.a2a_enabled": "Can be exposed as an A2A agent (only meaningful when flow_type=agent)",
    "FlowRead.action_description": "The description of the action associated with the flow",
    "FlowRead.action_name": "The name of the action associated with the flow",
    "FlowRead.flow_type": "Whether the flow is a plain workflow or an agent (publishable over A2A)",
    "FlowRead.mcp_enabled": "Can be exposed in the MCP server",
    "FlowRead.name_key": "Stable i18n key derived from the original English name",
    "FlowRead.tags": "The tags of the flow",
    "FlowRead.version_token": "Token identifying the version this response carries",
    "FlowRead.webhook": "Can be used on the webhook endpoint",
    "FolderCreate.auth_settings": "Authentication settings for the folder/project",
    "FolderListRead.auth_settings": "Authentication settings for the folder/project",
    "FolderRead.auth_settings": "Authentication settings for the folder/project",
    "FolderReadWithFlows.auth_settings": "Authentication settings for the folder/project",
    "InputValueRequest.client_request_time": (
        "Client-side timestamp in milliseconds when the request was initiated. Used to calculate accurate "
        "end-to-end duration."),
    "InputValueRequest.type": (
        "Defines on which components the input value should be applied. 'any' applies to all input components."),
    "OpenAIResponsesRequest.background": "Whether to process in background",
    "OpenAIResponsesRequest.include": "Additional response data to include, e.g., ['tool_call.results']",
    "OpenAIResponsesRequest.input": "The input text to process",
    "OpenAIResponsesRequest.model": "The flow ID to execute (used instead of OpenAI model)",
    "OpenAIResponsesRequest.previous_response_id": "ID of previous response to continue conversation",
    "OpenAIResponsesRequest.stream": "Whether to stream the response",
    "OpenAIResponsesRequest.tools": "Tools are not supported yet",
    "Output.name": "The name of the field.",
    "PublicFlowCapabilities.can_execute": "Anonymous callers may run this flow at its direct link.",
    "PublicFlowCapabilities.can_read": "Anonymous callers may read this flow at its direct link.",
    "PublicFlowRead.a2a_card_overrides": (
        "User overrides for the generated A2A agent card (skill description, examples, tags)"),
    "PublicFlowRead.a2a_enabled": "Can be exposed as an A2A agent (only meaningful when flow_type=agent)",
    "PublicFlowRead.action_description": "The description of the action associated with the flow",
    "PublicFlowRead.action_name": "The name of the action associated with the flow",
    "PublicFlowRead.flow_type": "Whether the flow is a plain workflow or an agent (publishable over A2A)",
    "PublicFlowRead.mcp_enabled": "Can be exposed in the MCP server",
    "PublicFlowRead.name_key": "Stable i18n key derived from the original English name",
    "PublicFlowRead.public_access": "Anonymous actions permitted on this flow at its direct link.",
    "PublicFlowRead.tags": "The tags of the flow",
    "PublicFlowRead.version_token": "Token identifying the version this response carries",
    "PublicFlowRead.webhook": "Can be used on the webhook endpoint",
    "SimplifiedAPIRequest.input_type": "The input type",
    "SimplifiedAPIRequest.input_value": "The input value",
    "SimplifiedAPIRequest.output_component": (
        "If there are multiple output components, you can specify the component to get the output from."),
    "SimplifiedAPIRequest.output_type": "The output type",
    "SimplifiedAPIRequest.session_id": "The session id",
    "SimplifiedAPIRequest.tweaks": "The tweaks",
    "SimplifiedAPIRequest.user_id": (
        "Optional end-user identifier forwarded to tracing providers (e.g. Langfuse) as the trace's user_id. "
        "Does not affect authentication or authorization — the API key owner remains the effective Langflow "
        "user."),
    "Source.display_name": "The display name of the source component.",
    "Source.id": "The id of the source component.",
    "Source.source": "The source of the message. Normally used to display the model name (e.g. 'gpt-4o')",
    "UsersResponse.deletion_requests": "Status of each listed user's open account deletion request, keyed by user id.",
    "VariableCreate.created_at": "Creation time of the variable",
    "VariableCreate.name": "Name of the variable",
    "VariableCreate.type": "Type of the variable",
    "VariableCreate.updated_at": "Creation time of the variable",
    "VariableCreate.value": "Encrypted value of the variable",
    "VariableRead.default_fields": "Default fields for the variable",
    "VariableRead.name": "Name of the variable",
    "VariableRead.type": "Type of the variable",
    "VariableRead.value": "Encrypted value of the variable",
    "VariableUpdate.default_fields": "Default fields for the variable",
    "VariableUpdate.name": "Name of the variable",
    "VariableUpdate.value": "Encrypted value of the variable",
    "WorkflowExecutionRequest.inputs": "Component-specific inputs in flat format: 'component_id.param_name': value",
    "WorkflowRunRequest.data": (
        "Optional live-canvas override of the flow's nodes/edges; takes priority over the saved flow data."),
    "WorkflowRunRequest.expose_graph_state": (
        "Whether the stream may carry the flow's graph state: the events naming every component that will run "
        "and carrying each component's own output (``STATE_SNAPSHOT``/``STATE_DELTA``, "
        "``STEP_STARTED``/``STEP_FINISHED`` and ``langflow.log`` on ``agui``; ``vertices_sorted``, per-vertex "
        "``build_start``, ``end_vertex`` and ``log`` on ``langflow``). Unset defaults to ``False`` for "
        "``agui``, whose consumers are usually third-party clients, and ``True`` for ``langflow``, whose "
        "passthrough shape existing callers already parse. The terminal ``output`` event is the flow's answer "
        "and is never suppressed. Not accepted by ``/workflows/public``, which always forces it off."),
    "WorkflowRunRequest.files": "Optional list of pre-uploaded file paths to attach to the run.",
    "WorkflowRunRequest.flow_id": "UUID of the flow to run.",
    "WorkflowRunRequest.globals": (
        "Request-level global variables made available to workflow components. Keys may use any printable "
        "string up to 256 chars; values are capped at 65536 chars. Body globals always win over the legacy "
        "``X-LANGFLOW-GLOBAL-VAR-*`` headers. Honored in sync mode; ignored for stream/background modes."),
    "WorkflowRunRequest.idempotency_key": (
        "Optional client-supplied key that dedupes background submits. Two background runs with the same key "
        "return the same job_id instead of queuing duplicate work. Ignored for sync/stream modes."),
    "WorkflowRunRequest.input_value": "Chat-style input value.",
    "WorkflowRunRequest.mode": (
        "Execution mode. ``sync`` runs inline and returns the aggregated response; ``stream`` returns SSE; "
        "``background`` queues a job."),
    "WorkflowRunRequest.output_ids": (
        "Component ids of the outputs you want as the answer (sync mode). When set, ``output.text`` resolves "
        "among only these, so naming one text output makes ``output.reason`` deterministic on multi-output "
        "flows. The full ``outputs`` map is still returned. Ids must be outputs of this flow or the request is "
        "rejected before the flow runs. Ignored for stream/background modes."),
    "WorkflowRunRequest.session_id": "When set, message memory and chat history scope to this session.",
    "WorkflowRunRequest.start_component_id": "Partial-run start component id.",
    "WorkflowRunRequest.stop_component_id": "Partial-run stop component id.",
    "WorkflowRunRequest.stream_protocol": (
        "Wire protocol for streaming events. Defaults to ``langflow`` (raw EventManager payloads). ``agui`` "
        "emits AG-UI events. Unknown values return 422 with the available list. Ignored when mode=sync."),
    "WorkflowRunRequest.tweaks": "Per-component parameter overrides keyed by component id.",
}
