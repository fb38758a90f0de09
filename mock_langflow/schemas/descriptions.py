"""Langflow's own descriptions of its schemas and of their properties, and of its operations, as its /openapi.json
carries them: wire text, kept exactly as Langflow's documents have it, as the error texts in errors.py are. The
schemas' texts are the same in 1.13, 1.8 and 1.7.1 wherever a release has the schema; the operations' differ
between releases for a few dozen, so OPERATIONS has 1.13's and each older release only the operations it describes
otherwise (operation_texts picks a release's by its version). The served document describes its schemas and
operations with these and nothing else (app.install_openapi): pydantic would otherwise publish a shape's docstring
and a field's description=, and FastAPI a handler's docstring, which in this package are notes for its readers. A
schema the mock names otherwise than Langflow takes its counterpart's text (UploadFileResponse, FlowFileUploaded).
Imported only when a document is built."""

from __future__ import annotations

# component name -> its description
SCHEMAS: dict[str, str] = {
    "AssistantRequest": "Request model for assistant interactions.",
    "AuditFeedItem": "One event from either store. Store-specific fields are null on the other.",
    "AuditKind": "Whether a row records a permission check or something that was done.",
    "AuditSource": "Which store a row came from.",
    "AuthSettings": "Model representing authentication settings for MCP.",
    "CancelFlowResponse": "Response model for flow build cancellation.",
    "CatalogPolicyBlockedSet": "A normalized whole-set catalog block policy.",
    "CatalogPolicyRead": "Current catalog block policy and its ownership source.",
    "CatalogPolicyUsageFlowRef": "A flow that uses the queried component.",
    "CatalogPolicyUsageFlowsRead": "Flows affected by blocking one component key.",
    "CatalogPolicyUsageRead": "Per-component flow-usage counts for catalog governance.",
    "ComponentOutput": "Component output schema.",
    "ComposerUrlResponse": "Response model for MCP Composer connection details.",
    "DataSubjectRef": (
        "Identify a subject: a builder by ``user_id`` or ``username`` (the email under SSO), an end user by id."),
    "EndUserMatch": "An end-user id Langflow has sessions for, to pick from when recording a request.",
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
    "JobStatus": "Job execution status.",
    "MCPProjectUpdateRequest": "Request model for updating MCP project settings including auth.",
    "MCPServerConfig": "Pydantic model for MCP server configuration.",
    "MCPSettings": "Model representing MCP settings for a flow.",
    "ModelProviderPolicyRead": "Current deployment ceiling plus every provider registered in this process.",
    "ModelProviderPolicyWrite": "Complete replacement for the install-wide approved-provider set.",
    "OpenAIResponsesRequest": "OpenAI-compatible responses request with flow_id as model parameter.",
    "OutputReason": (
        "Why ``WorkflowOutput.text`` resolved the way it did.\n\nMirrors the LLM-domain ``finish_reason`` / "
        "``stop_reason`` convention: a\nmachine-readable enum explaining the disposition of the answer, distinct "
        "from\nthe lifecycle ``status``."),
    "OwnDeletionRequestStatus": "What a builder sees about their own request; admin-only fields are left out.",
    "PolicyBundleWrite": "Complete replacement guarded by the caller's observed revision.",
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
    "RegisteredModelProviderRead": "Stable provider identity exposed to the administrative picker.",
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
    "TriggerBindingTarget": (
        "What a fired event runs.\n"
        "\n"
        "``flow`` runs the saved flow (or the pinned ``flow_version`` when set)\n"
        "through the background execution service. ``deployment`` is stored but not\n"
        "dispatched in 1.13 — see :class:`BindingUnsupportedError`."),
    "TriggerIngressRead": "Where a caller posts to a trigger. Never carries the secret.",
    "TriggerPinRequest": (
        "Pin or unpin the flow version a trigger fires.\n"
        "\n"
        "``flow_version_id=None`` unpins, which is why the field is required and\n"
        "explicitly nullable rather than optional: an empty body must not silently\n"
        "unpin."),
    "TriggerReplayRequest": "Replay one ledger row as a new, linked event.",
    "TriggerSessionPolicy": (
        "How a dispatched run derives its session id when the payload has no conversation."),
    "TriggerSigningSecretRead": (
        "The one response that carries a signing secret, on the way out.\n"
        "\n"
        "Nothing reads the secret back: the stored form is encrypted, the GET route\n"
        "reports only whether one is set, and a lost secret is rotated rather than\n"
        "recovered."),
    "TriggerState": (
        "Lifecycle of a trigger row.\n"
        "\n"
        "``pending`` is the reconciled-but-not-yet-armed state a canvas save creates;\n"
        "``active`` is the only state the scheduler and dispatcher act on."),
    "TriggerTestRequest": "Append a synthetic event so an owner can exercise a trigger end to end.",
    "TriggerUpdate": "Partial update. Every field is optional; unset fields are left alone.",
    "Tweaks": (
        "A dictionary of tweaks to adjust the flow's execution. Allows customizing flow behavior dynamically. "
        "All tweaks are overridden by the input values."),
    "UploadFileResponse": "File upload response schema.",
    "Usage": "Token usage information from LLM responses.",
    "WorkflowExecutionRequest": "Request schema for workflow execution.",
    "WorkflowExecutionResponse": "Synchronous workflow execution response.",
    "WorkflowJobResponse": "Background job response.",
    "WorkflowMode": "Execution mode for a v2 workflow run.",
    "WorkflowOutput": "The run's primary text answer plus the reason it resolved that way.",
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
    # 1.13's authorization administration (authz_admin)
    "RoleAssignmentCreate": "Payload for assigning a role to a user.",
    "RoleAssignmentGrantSummary": "Non-secret provenance returned with an effective role assignment.",
    "RoleAssignmentRead": "Serialized effective assignment plus its independent grant sources.",
    "RoleCreate": "Payload for creating an authz_role row.",
    "RoleRead": "Serialized authz_role row returned by the API.",
    "RoleUpdate": "Payload for updating an authz_role row (PATCH semantics — only set fields apply).",
    "TeamCreate": "Payload for creating an authz_team.",
    "TeamMemberCreate": "Payload for adding a user to a team.",
    "TeamMemberRead": "Serialized authz_team_member row.",
    "TeamRead": "Serialized authz_team row returned by the API.",
    "TeamUpdate": "Payload for updating an authz_team (PATCH semantics).",
    # 1.13's project deployment routes
    "DeploymentSnapshot": "A complete, safe baseline suitable for an Editor import.",
    "DeploymentSnapshotFlow": (
        "One flow graph captured without serving-plane ownership metadata.\n"
        "\n"
        "Exposure/presentation fields (same types and defaults as FlowBase) are\n"
        "carried alongside the graph so a rollback or a restore-after-delete can\n"
        "put them back exactly, rather than resetting them to FlowCreate's\n"
        "defaults. workspace_id/user_id/folder_id are deliberately excluded\n"
        "pending a decision on how a deploy target should treat them."),
    "DeploymentSnapshotProject": "The serving project identity and display metadata.",
    "DeploymentSnapshotRequiredConnection": "One non-secret connection handle and its static scope requirements.",
    "DeploymentSnapshotRequiredMcpProject": "One sibling project a flow calls, and the name its config calls it by.",
    "DeploymentSnapshotRequiredModel": "One model a captured flow selects, in the shape the policy blocks by.",
    "ProjectReplacementRequest": "Complete target flow set, description, and opaque dependency snapshot.",
    "ProjectReplacementResult": "Immutable response snapshot saved with the replacement transaction.",
    "ReplacementFlowCreate": "Ordinary flow-create fields with the stable id required by replacement.",
    # 1.13's integration connections and catalog
    "ConditionalScopeRequirement": "Scope activated only when its declared input predicate matches.",
    "ConnectionAccount": "Non-secret provider account metadata associated with a credential.",
    "ConnectionCreate": "Create metadata plus optional direct-provisioned credential material.",
    "ConnectionCredentialWrite": "Write-only credential material encrypted before persistence.",
    "ConnectionRead": "Credential-free connection metadata returned by every API route.",
    "ConnectionRevokeRead": "Local revocation always succeeds; report the separate provider outcome.",
    "ConnectionStatusReason": "A credential error or the result of the most recent failed OAuth attempt.",
    "ConnectionUpdate": (
        "Connection metadata that changes without re-authorizing the provider.\n"
        "\n"
        "The handle (provider and name), ownership, scopes, executing identity, and\n"
        "credentials are fixed by creation or re-authorization."),
    "EffectiveIntegrationPolicyRead": "The decision set a client must render, and where it came from.",
    "ExecutingIdentityDescriptor": "Non-secret identity metadata shown by connection pickers.",
    "IntegrationCapabilityRead": "One governed provider action as the caller may use it.",
    "IntegrationProviderRead": "One loaded integration provider and the caller's effective access to it.",
    "OAuthRegistrationRead": (
        "One operator-configured registration, as a connection picker may show it.\n"
        "\n"
        "Credential-free by construction: the client id, the client secret or private\n"
        "key, and the redirect URI stay on the server. A caller needs the id to name\n"
        "the registration in a start request, and the scope ceiling to know which\n"
        "subset it may ask for."),
    "ScopeCondition": "Input predicate controlling whether a conditional scope is active.",
}

# "Component.property" -> its description
PROPERTIES: dict[str, str] = {
    "CatalogPolicyBlockedSet.blocked": "Complete set of blocked catalog keys for this resource kind.",
    "CatalogPolicyUsageFlowsRead.total": "Total number of matching flows, before the limit is applied.",
    "CatalogPolicyUsageRead.components": (
        "Number of flows using each component, keyed by the canonical registry identity (or the exact stored key "
        "for components not in the current registry). A flow is counted once per component."),
    "CatalogPolicyUsageRead.flows_scanned": "Total number of flows examined.",
    "ComponentOutput.display_name": (
        "Human-readable component name. The stable component id remains the ``outputs`` dict key."),
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
    # the flow table's own shape, a paginated project read's flows in 1.8 and 1.7.1 (profile schema_shapes)
    "Flow.action_description": "The description of the action associated with the flow",
    "Flow.action_name": "The name of the action associated with the flow",
    "Flow.mcp_enabled": "Can be exposed in the MCP server",
    "Flow.webhook": "Can be used on the webhook endpoint",
    "FlowRead.a2a_enabled": "Can be exposed as an A2A agent (only meaningful when flow_type=agent)",
    "FlowRead.action_description": "The description of the action associated with the flow",
    "FlowRead.action_name": "The name of the action associated with the flow",
    "FlowRead.flow_type": "Whether the flow is a plain workflow or an agent (publishable over A2A)",
    "FlowRead.mcp_enabled": "Can be exposed in the MCP server",
    "FlowRead.name_key": "Stable i18n key derived from the original English name",
    "FlowRead.tags": "The tags of the flow",
    "FlowRead.version_token": "Token identifying the version this response carries",  # nosec B105 (a description)
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
    "PublicFlowRead.version_token": "Token identifying the version this response carries",  # nosec B105 (a description)
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
    "WorkflowExecutionResponse.has_errors": (
        "True when the run reported any error. Derived from ``errors`` so it can't drift."),
    "WorkflowExecutionResponse.human_request": (
        "Set when ``status`` is ``suspended``: the human-input request the run paused on (``prompt``, ``options``, "
        "``allowed_decisions``, ``request_id``). Resume by running the same session/task again with the chosen "
        "decision."),
    "WorkflowExecutionResponse.output": (
        "The run's text answer plus why it resolved that way. Read ``output.text`` for the answer; when it's null, "
        "``output.reason`` says why (``multiple`` / ``none`` / ``non_string`` / ``failed``) so you know whether to "
        "read ``outputs``."),
    "WorkflowExecutionResponse.session_id": (
        "The session the run executed under. Echoes the request ``session_id`` when provided, otherwise the "
        "server-generated one. Pass it back on the next call to continue the same chat history / memory thread."),
    "WorkflowExecutionResponse.warnings": (
        "Non-fatal notices about this run, such as saved component code being replaced by server code."),
    "WorkflowOutput.reason": (
        "Why ``text`` is or isn't populated. ``single`` means ``text`` holds the answer; ``multiple`` / ``none`` / "
        "``non_string`` / ``failed`` mean ``text`` is null and name why, so callers never have to guess."),
    "WorkflowOutput.source": "Component id that produced ``text``. Set only when ``reason`` is ``single``.",
    "WorkflowOutput.text": (
        "The run's text answer. Set only when ``reason`` is ``single``. Empty string is a valid answer."),
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
    # 1.13's authorization administration (authz_admin)
    "AdministrationCapabilities.user": "Caller may administer other users through user:manage.",
    "AdministrationCapabilities.team": "Caller may administer teams and membership through team:manage.",
    "AdministrationCapabilities.role": "Caller may administer roles and assignments through role:manage.",
    "AuthorizationFeatures.team_role_assignments": (
        "The installed authorization service supports team-role assignments."),
    "AuthorizationFeatures.directory": "Caller-specific directory actions advertised by an installed plugin.",
    "RoleAssignmentCreate.domain_type": (
        "Domain scope of the assignment. ``global`` is unscoped (no ``domain_id``); "
        "``org``/``workspace``/``project`` require a matching ``domain_id``."),
    "RoleAssignmentCreate.domain_id": (
        "Required when ``domain_type`` is org/workspace/project; must be null for ``global``."),
    "RoleCreate.permissions": (
        "Permission slugs in the canonical ``<resource>:<action>`` form — for example ``flow:read``, "
        "``deployment:execute``, ``share:create``. Resources must be one of user, team, role, flow, "
        "deployment, project, knowledge_base, variable, file, share, provider_account, voice, plus the "
        "narrow model-provider form ``component:models/<provider-id>:read``. Actions are constrained "
        "per-resource (see ``services/authorization/actions.py``): e.g. ``deploy`` is only valid on "
        "``flow``, ``ingest`` only on ``knowledge_base``, ``update`` only on ``share``. ``*`` is accepted "
        "only for resource vocabularies that expose it; administration resources use the explicit ``manage`` "
        "action. A registered authorization plugin is responsible for compiling these into its policy format."),
    "TeamCreate.adom_name": "Administrative-domain slug, unique across all teams (often the SSO group name).",
    # 1.13's project deployment routes
    "ReplacementFlowCreate.a2a_card_overrides": (
        "User overrides for the generated A2A agent card (skill description, examples, tags)"),
    "ReplacementFlowCreate.a2a_enabled": "Can be exposed as an A2A agent (only meaningful when flow_type=agent)",
    "ReplacementFlowCreate.action_description": "The description of the action associated with the flow",
    "ReplacementFlowCreate.action_name": "The name of the action associated with the flow",
    "ReplacementFlowCreate.flow_type": "Whether the flow is a plain workflow or an agent (publishable over A2A)",
    "ReplacementFlowCreate.mcp_enabled": "Can be exposed in the MCP server",
    "ReplacementFlowCreate.webhook": "Can be used on the webhook endpoint",
    # 1.13's integration connections and catalog
    "EffectiveIntegrationPolicyRead.approved_provider_ids": (
        "The loaded providers allowed for this caller; consult unrestricted to interpret an empty list."),
    "EffectiveIntegrationPolicyRead.blocked_action_keys": "Operator-only deny-list; empty for non-superusers.",
    "EffectiveIntegrationPolicyRead.loaded_provider_ids": (
        "Loaded providers; restricted to allowed providers for non-superusers."),
    "EffectiveIntegrationPolicyRead.managed_externally": (
        "True when a plugin owns the ceiling instead of the policy bundle."),
    "EffectiveIntegrationPolicyRead.unrestricted": (
        "True when no ceiling is configured, i.e. every loaded provider is allowed."),
    "IntegrationCapabilityRead.allowed": "False when at least one of the action's policy keys is denied.",
    "IntegrationCapabilityRead.blocked_policy_key": (
        "The first denied policy key, so an operator panel can explain the decision."),
    "IntegrationListRead.deployment_context": (
        "Which deployment this instance is, from LANGFLOW_CONNECTION_OAUTH_CONTEXT. A capability or auth "
        "profile whose deployment contexts exclude it is not offered here (hosted has no Slack Socket Mode, "
        "Desktop no Slack Events API)."),
    "IntegrationProviderRead.approved": "False when the provider is outside the operator ceiling.",
    "IntegrationProviderRead.enabled": (
        "True when the caller can already use this provider: it is approved and at least one connection they "
        "own, an instance connection, or an explicit share exists for it."),
    "OAuthRegistrationRead.allowed_tenants": "Workspaces or domains the provider account must belong to.",
    "OAuthRegistrationRead.scopes": "The operator's ceiling; a start request selects a nonempty subset.",
    "OAuthStartResponse.authorization_url": "Open in the consent browser, including the loopback handoff on Desktop.",
}


# Langflow's two /run docstrings share their Returns, Raises and most of their Notes.
_RUN_RETURNS_AND_NOTES = (
    "Returns:\n"
    "    Union[StreamingResponse, RunResponse]: Either a streaming response for real-time results\n"
    "    or a RunResponse with the complete execution results\n"
    "\n"
    "Raises:\n"
    "    HTTPException: For flow not found (404) or invalid input (400)\n"
    "    APIException: For internal execution errors (500)\n"
    "\n"
    "Notes:\n"
    "    - Supports both streaming and non-streaming execution modes\n"
    "    - Tracks execution time and success/failure via telemetry\n"
    "    - Handles graceful client disconnection in streaming mode\n"
    "    - Provides detailed error handling with appropriate HTTP status codes\n"
    "    - Extracts global variables from HTTP headers with prefix X-LANGFLOW-GLOBAL-VAR-*\n"
    "    - Merges extracted variables with the context parameter as \"request_variables\"\n"
    "    - In streaming mode, uses EventManager to handle events:\n"
    "        - \"add_message\": New messages during execution\n"
    "        - \"token\": Individual tokens during streaming\n"
    "        - \"end\": Final execution result\n")

# "METHOD /path" -> Langflow 1.13's description of the operation (one 1.13 does not have: as the newest release
# that has it describes it); an operation not listed has none
OPERATIONS: dict[str, str] = {
    "GET /api/v1/audits": (
        "Every audit event, newest first, filtered and keyset-paginated on the server.\n"
        "\n"
        "Filters: ``source``, ``kind``, ``resource_type``, ``action``, ``exclude_action``,\n"
        "``operation``, ``result`` and ``actor_type`` repeat and OR within themselves;\n"
        "``resource_id``, ``user_id``, ``actor_id``, ``request_id``, ``since`` and\n"
        "``until`` narrow further. ``q`` keeps rows whose action, operation, resource\n"
        "type or name, actor username or details contain it, ignoring case.\n"
        "``include_total=true`` adds a count of every match. ``offset`` jumps to a\n"
        "page by position instead of a cursor; ``next_cursor`` then continues from it."),
    "GET /api/v1/audits/export": (
        "Stream every matching event as CSV (default) or NDJSON, newest first.\n"
        "\n"
        "The window is frozen when the export starts, so it is one consistent snapshot\n"
        "however long it runs, and the rows are never gathered in memory."),
    "GET /api/v1/flows/audits": (
        "Flow audit events, newest first, filtered and keyset-paginated.\n"
        "\n"
        "Requires the ``flow:audit_read`` permission. Without an authorization plugin,\n"
        "a non-superuser sees events on Flows they own and events they made. A read of\n"
        "one ``flow_id`` is bounded to that id's current life whoever authorized it,\n"
        "because an id is freed by a delete and re-creatable in a Project the caller\n"
        "chooses; the unfiltered feed names no such id and keeps every life."),
    "GET /api/v1/projects/audits": (
        "Project audit events, newest first, filtered and keyset-paginated.\n"
        "\n"
        "Requires the ``project:audit_read`` permission. Without an authorization plugin,\n"
        "a non-superuser sees events on Projects they own and events they made."),
    "GET /api/v1/data-subjects/end-users": (
        "End-user ids that contain ``search``, so an admin can pick the exact id the app sent."),
    "POST /api/v1/data-subjects/erase": (
        "Create and approve in one call, for a customer app that decides on its own."),
    "POST /api/v1/data-subjects/find": (
        "Count what Langflow holds about a subject, without creating a request."),
    "POST /api/v1/data-subjects/requests/{request_id}/approve": (
        "Stop all access now and erase in the background."),
    "GET /api/v1/data-subjects/requests/{request_id}/dry-run": (
        "What approving would erase, and whether a guard blocks it."),
    "GET /api/v1/data-subjects/requests/{request_id}/export": (
        "Download what Langflow holds about the subject, while the request is still open."),
    "POST /api/v1/data-subjects/requests/{request_id}/refuse": (
        "Decline a request (legal hold or another Art. 17(3) exception). The note stays internal."),
    "POST /api/v1/data-subjects/requests": (
        "Record a request for an admin to review. Returns the open request when one already exists."),
    "DELETE /api/mcp/streamable": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "GET /api/mcp/streamable": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "POST /api/mcp/streamable": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "DELETE /api/mcp/streamable/": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "GET /api/mcp/streamable/": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "POST /api/mcp/streamable/": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "GET /api/v1/knowledge-base-storage/inventory": (
        "Report whether legacy storage discovery completed and requires recovery."),
    "GET /api/v1/knowledge-base-storage/migrations": (
        "Return bounded, credential-free migration status and operator guidance."),
    "GET /api/v1/knowledge-base-storage/pending-cleanup": (
        "List pending deletions with the linked Memory Bases that own their history."),
    "GET /api/v1/knowledge-base-storage/status": (
        "Show users their own availability and administrators the recovery queue.\n"
        "\n"
        "Paths, embedding credentials and other users' resources never appear in\n"
        "regular-user responses. Progress is joined to the active migration only."),
    "POST /api/v1/knowledge-base-storage/attention/{kb_id}/detach": (
        "Abandon a failed migration without deleting its source or recovery evidence."),
    "POST /api/v1/knowledge-base-storage/inventory/retry": (
        "Rescan repaired legacy folders even when there is no registered base to retry."),
    "POST /api/v1/knowledge-base-storage/migrations/{migration_id}/retry": (
        "Schedule recovery of the migration still bound to the current KB record."),
    "POST /api/v1/knowledge-base-storage/pending-cleanup/{kb_id}/retry": (
        "Retry deletion only for the UUID and generation confirmed by the administrator."),
    "GET /api/v1/a2a/agents": (
        "List the caller's own A2A-published agent flows, each with its agent-card URL.\n"
        "\n"
        "Authenticated and owner-scoped, mirroring the MCP-projects catalog: a public cross-user\n"
        "directory would strip the per-flow card's unguessable-id obscurity and expose other users'\n"
        "agents, so this enumerates only the calling user's agents. Each ``cardUrl`` is the public\n"
        "discovery entry point an orchestrator fetches per agent."),
    "GET /api/v1/a2a/{flow_id}/.well-known/agent-card.json": (
        "Serve the spec-valid A2A agent card for an agent-typed, a2a_enabled flow.\n"
        "\n"
        "Public by design: the A2A public agent card is unauthenticated by spec, so\n"
        "gating it behind login would break standard discovery. Returns 404 when the\n"
        "flag is off, the flow does not exist, the flow is not flow_type=agent, or\n"
        "a2a_enabled is falsy."),
    "POST /api/v1/a2a/{flow_id}/jsonrpc": (
        "Serve the A2A JSON-RPC surface (message/send, message/stream, tasks/get, tasks/resubscribe) for an "
        "agent flow.\n"
        "\n"
        "Gated like the card route; apikey-folder flows additionally require a valid owner\n"
        "key (401). The flow runs as its owner. Returns the SDK's JSON-RPC response (HTTP 200\n"
        "even for JSON-RPC-level errors). No ``DbSession`` dependency here: holding a session\n"
        "open across the run would fight the v2 surface's lock-avoidance design, and the\n"
        "gate/run resolve from flow_id via short self-managed sessions."),
    "GET /api/v1/all": (
        "Retrieve all component types with compression for better performance.\n"
        "\n"
        "Returns a compressed response containing all available component types,\n"
        "with display_names translated to the locale indicated by Accept-Language."),
    "POST /api/v1/build/{flow_id}/flow": (
        "HTTP entry point for the v1 build route: always the ``interactive_chat`` family.\n"
        "\n"
        "The execution family is deliberately NOT a request parameter. It selects the\n"
        "identity connections resolve under, so a caller able to name it could ask for\n"
        "``webhook`` and run under the flow owner's credentials."),
    "POST /api/v1/build/{job_id}/cancel": (
        "Cancel a specific build job.\n"
        "\n"
        "Requires authentication and ownership verification to prevent a user from\n"
        "aborting another user's running build (DoS via job cancellation).\n"
        "Jobs started via build_public_tmp are explicitly marked public. Jobs without\n"
        "a queue owner or public marker return 404."),
    "GET /api/v1/build/{job_id}/events": (
        "Get events for a specific build job.\n"
        "\n"
        "Requires authentication and ownership verification. A job owner is registered\n"
        "when build_flow is called; if a registered owner does not match the requesting\n"
        "user the endpoint returns 404 to avoid leaking job existence.\n"
        "Jobs started via build_public_tmp are explicitly marked public. Jobs without\n"
        "a queue owner or public marker return 404."),
    "POST /api/v1/build_public_tmp/{flow_id}/flow": (
        "Build a public flow without requiring authentication.\n"
        "\n"
        "This endpoint is specifically for public flows that don't require authentication.\n"
        "It uses a client_id cookie to create a deterministic flow ID for tracking purposes.\n"
        "\n"
        "Security Note:\n"
        "- The 'data' parameter is NOT accepted to prevent flow definition tampering\n"
        "- Public flows must execute the stored flow definition only\n"
        "- The flow definition is always loaded from the database\n"
        "- Caller-supplied 'inputs.session' is namespaced under the (client_id,\n"
        "  flow_id) virtual flow ID so an unauthenticated caller cannot address a\n"
        "  session that lives outside its own namespace (CVE-2026-33017)\n"
        "\n"
        "The endpoint:\n"
        "1. Verifies the requested flow is marked as public in the database\n"
        "2. Creates a deterministic UUID based on client_id and flow_id\n"
        "3. Uses a stable anonymous principal to build the flow\n"
        "4. Always loads the flow definition from the database\n"
        "\n"
        "Requirements:\n"
        "- The flow must be marked as PUBLIC in the database\n"
        "- The request must include a client_id cookie\n"
        "\n"
        "Args:\n"
        "    flow_id: UUID of the public flow to build\n"
        "    background_tasks: Background tasks manager\n"
        "    inputs: Optional input values for the flow\n"
        "    files: Optional files to include\n"
        "    stop_component_id: Optional ID of component to stop at\n"
        "    start_component_id: Optional ID of component to start from\n"
        "    log_builds: Whether to log the build process\n"
        "    flow_name: Optional name for the flow\n"
        "    request: FastAPI request object (needed for cookie access)\n"
        "    queue_service: Queue service for job management\n"
        "    authenticated_user: Optional authenticated user (resolved from cookie/token if present)\n"
        "    event_delivery: Optional event delivery type - default is streaming\n"
        "\n"
    "Returns:\n"
        "    Dict with job_id that can be used to poll for build status"),
    "POST /api/v1/build_public_tmp/{job_id}/cancel": (
        "Cancel a public flow build job.\n"
        "\n"
        "This endpoint does not require authentication, matching the public build endpoint.\n"
        "It is used by the shareable playground to cancel builds."),
    "GET /api/v1/build_public_tmp/{job_id}/events": (
        "Get events for a public flow build job.\n"
        "\n"
        "This endpoint does not require authentication, matching the public build endpoint.\n"
        "It is used by the shareable playground to consume build events."),
    "GET /api/v1/config": (
        "Retrieve application configuration settings.\n"
        "\n"
        "Returns different configuration based on authentication status:\n"
        "- Authenticated users: Full ConfigResponse with all settings\n"
        "- Unauthenticated users: PublicConfigResponse with limited, safe-to-expose settings\n"
        "\n"
        "Args:\n"
        "    user: The authenticated user, or None if unauthenticated.\n"
        "\n"
    "Returns:\n"
        "    ConfigResponse | PublicConfigResponse: Configuration settings appropriate for the user's auth "
        "status.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If an error occurs while retrieving the configuration."),
    "GET /api/v1/files/images/{flow_id}/{file_name}": "Download image from storage for browser rendering.",
    "GET /api/v1/files/profile_pictures/list": (
        "List profile pictures from local filesystem.\n"
        "\n"
        "Profile pictures are first looked up in config_dir/profile_pictures/,\n"
        "then fallback to the package's bundled profile_pictures directory."),
    "GET /api/v1/files/profile_pictures/{folder_name}/{file_name}": (
        "Download profile picture from local filesystem.\n"
        "\n"
        "Profile pictures are first looked up in config_dir/profile_pictures/,\n"
        "then fallback to the package's bundled profile_pictures directory."),
    "DELETE /api/v1/flows/": "Delete multiple flows by their IDs.",
    "GET /api/v1/flows/": "Retrieve a list of flows with optional pagination, filtering, and header-only mode.",
    "GET /api/v1/flows/basic_examples/": "Retrieve a list of basic example flows.",
    "POST /api/v1/flows/batch/": "Create multiple new flows.",
    "POST /api/v1/flows/download/": "Download all flows as a zip file.",
    "GET /api/v1/flows/public_flow/{flow_id}": (
        "Read a public flow without requiring authorization (public means public).\n"
        "\n"
        "Because this endpoint is unauthenticated, secret field values (every template\n"
        "field marked ``password``) are stripped before returning so a PUBLIC flow does\n"
        "not leak the owner's stored API keys / credentials to anonymous callers.\n"
        "\n"
        "The response also carries the anonymous capability set. A canonical PUBLIC\n"
        "share admits flows whose ``access_type`` is still PRIVATE and bounds them at\n"
        "its own permission level, so a direct-link client that re-derives access from\n"
        "the legacy flag disagrees with this decision in both directions."),
    "POST /api/v1/flows/upload/": "Upload flows from a JSON or ZIP file (upsert semantics for flows with stable IDs).",
    "DELETE /api/v1/flows/{flow_id}": "Delete a flow.",
    "GET /api/v1/flows/{flow_id}": "Read a flow.",
    "PATCH /api/v1/flows/{flow_id}": "Update a flow.",
    "PUT /api/v1/flows/{flow_id}": (
        "Create or update a flow with a specific ID (upsert).\n"
        "\n"
        "Returns 201 for creation, 200 for update.  Returns 404 if owned by another user."),
    "POST /api/v1/flows/{flow_id}/fork": (
        "Create an inert copy of a flow, optionally carrying a caller-supplied graph.\n"
        "\n"
        "Read access is deliberately enough: anyone who can open a flow can already\n"
        "export it and import the result, so requiring write here would block the\n"
        "conflict dialog's only exit without protecting anything. The copy is owned by\n"
        "whoever forked it and inherits no exposure from the source."),
    "POST /api/v1/flows/{flow_id}/overwrite": (
        "Replace a flow with a merged graph, keeping the replaced version in history.\n"
        "\n"
        "This is the deliberate half of the conflict dialog, and it is still guarded.\n"
        "The caller sends the token it *reviewed*, not the stale one it was refused on\n"
        "and not nothing at all: writing unconditionally here would silently discard a\n"
        "fourth writer who landed while the dialog was open, reopening the lost update\n"
        "the whole feature exists to close. So the meaning is \"replace the version I\n"
        "just looked at\", and a flow that moved again is refused with a fresh 409.\n"
        "\n"
        "The archived entry is attributed to whoever last wrote the flow rather than to\n"
        "the caller, because it is their work being replaced -- attributing it here\n"
        "would put the caller's name on someone else's version and defeat the point of\n"
        "keeping it.\n"
        "\n"
        "The write right is claimed before anything is archived. Archiving first and\n"
        "letting the refusal roll it back does not work: version entries are written in\n"
        "a ``begin_nested()`` savepoint that survives the outer rollback, so a refused\n"
        "overwrite left an orphan version in someone's history. Claiming first means a\n"
        "stale caller is turned away before a single row is written."),
    "GET /api/v1/flows/{flow_id}/version-state": "Report which version of a flow is current, and who last changed it.",
    "GET /api/v1/folders/": "Redirect to the projects endpoint.",
    "POST /api/v1/folders/": "Redirect to the projects endpoint.",
    "GET /api/v1/folders/download/{folder_id}": "Redirect to the projects endpoint.",
    "POST /api/v1/folders/upload/": "Redirect to the projects endpoint.",
    "DELETE /api/v1/folders/{folder_id}": "Redirect to the projects endpoint.",
    "GET /api/v1/folders/{folder_id}": "Redirect to the projects endpoint.",
    "PATCH /api/v1/folders/{folder_id}": "Redirect to the projects endpoint.",
    "GET /api/v1/mcp/project/{project_id}": "List project MCP tools.",
    "PATCH /api/v1/mcp/project/{project_id}": (
        "Update the MCP settings of all flows in a project and project-level auth settings.\n"
        "\n"
        "On MCP Composer failure, this endpoint should return with a 200 status code and an error message in\n"
        "the body of the response to display to the user."),
    "POST /api/v1/mcp/project/{project_id}": "Handle POST messages for a project-specific MCP server.",
    "POST /api/v1/mcp/project/{project_id}/": "Handle POST messages for a project-specific MCP server.",
    "GET /api/v1/mcp/project/{project_id}/composer-url": (
        "Get the MCP Composer URL for a specific project.\n"
        "\n"
        "On failure, this endpoint should return with a 200 status code and an error message in\n"
        "the body of the response to display to the user."),
    "POST /api/v1/mcp/project/{project_id}/install": (
        "Install MCP server configuration for Cursor, Windsurf, or Claude."),
    "GET /api/v1/mcp/project/{project_id}/installed": (
        "Check if MCP server configuration is installed for this project in Cursor, Windsurf, or Claude."),
    "GET /api/v1/mcp/project/{project_id}/sse": "Handle SSE connections for a specific project.",
    "DELETE /api/v1/mcp/project/{project_id}/streamable": "Handle Streamable HTTP connections for a specific project.",
    "GET /api/v1/mcp/project/{project_id}/streamable": "Handle Streamable HTTP connections for a specific project.",
    "POST /api/v1/mcp/project/{project_id}/streamable": "Handle Streamable HTTP connections for a specific project.",
    "DELETE /api/v1/mcp/project/{project_id}/streamable/": "Handle Streamable HTTP connections for a specific project.",
    "GET /api/v1/mcp/project/{project_id}/streamable/": "Handle Streamable HTTP connections for a specific project.",
    "POST /api/v1/mcp/project/{project_id}/streamable/": "Handle Streamable HTTP connections for a specific project.",
    "DELETE /api/v1/mcp/streamable": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "GET /api/v1/mcp/streamable": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "POST /api/v1/mcp/streamable": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "DELETE /api/v1/mcp/streamable/": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "GET /api/v1/mcp/streamable/": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "POST /api/v1/mcp/streamable/": "Streamable HTTP endpoint for MCP clients that support the new transport.",
    "GET /api/v1/monitor/job_queue": (
        "Return a snapshot of job-queue observability metrics.\n"
        "\n"
        "For the in-memory backend this exposes only ``backend`` and ``active_jobs``.\n"
        "For the Redis backend the snapshot also includes bridge counts, consumer\n"
        "wrappers, cancel-dispatcher liveness, and the cancel-stats counters\n"
        "(``published`` / ``marker_hit`` / ``dispatched_owned`` /\n"
        "``dispatched_foreign`` / ``publish_errors`` / ``dispatcher_reconnects`` /\n"
        "``polling_watchdog_kills`` / ``activity_touch_errors`` /\n"
        "``activity_get_errors`` / ``activity_parse_errors`` /\n"
        "``dispatcher_internal_errors``). ``dispatcher_reconnects`` tracks explicit\n"
        "dispatcher-loop retries and redis-py transparent pubsub reconnect callbacks.\n"
        "\n"
        "Restricted to superusers because the snapshot exposes process-wide tenant\n"
        "activity (live job counts, cancel rates) — useful for ops, sensitive in\n"
        "multi-tenant deployments."),
    "DELETE /api/v1/monitor/messages": (
        "Delete authorized messages after fencing associated Memory storage and tracking data."),
    "DELETE /api/v1/monitor/messages/session/{session_id}": (
        "Delete messages for a single session.\n"
        "\n"
        "Only deletes messages from sessions belonging to flows owned by the current user."),
    "DELETE /api/v1/monitor/messages/sessions": (
        "Bulk delete messages for multiple sessions at once.\n"
        "\n"
        "Only deletes messages from sessions belonging to flows owned by the current user.\n"
        "\n"
        "Args:\n"
        "    session_ids: List of session IDs to delete (max 500)\n"
        "    session: Database session\n"
        "    current_user: Current authenticated user\n"
        "\n"
    "Returns:\n"
        "    Confirmation message with count of deleted sessions\n"
        "\n"
        "Raises:\n"
        "    HTTPException: 400 if session_ids list exceeds 500 items\n"
        "    HTTPException: 500 if database operation fails"),
    "GET /api/v1/monitor/messages/shared": (
        "Get messages for a shared/public flow, scoped to the authenticated user.\n"
        "\n"
        "Uses a deterministic virtual flow_id derived from the user's ID and the\n"
        "original flow ID. Only messages stored under this virtual flow_id are returned."),
    "PATCH /api/v1/monitor/messages/shared/session/{old_session_id}": (
        "Rename a session on a shared/public flow, scoped to the authenticated user."),
    "DELETE /api/v1/monitor/messages/shared/session/{session_id}": (
        "Delete messages for a session on a shared/public flow, scoped to the authenticated user."),
    "GET /api/v1/monitor/messages/shared/sessions": (
        "Get session IDs for a shared/public flow, scoped to the authenticated user.\n"
        "\n"
        "Uses a deterministic virtual flow_id derived from the user's ID and the\n"
        "original flow ID. Only messages stored under this virtual flow_id are returned,\n"
        "most recently active session first, bounded by ``limit``/``offset``."),
    "PUT /api/v1/monitor/messages/shared/{message_id}": (
        "Update a message on a shared/public flow, scoped to the authenticated user."),
    "PUT /api/v1/monitor/messages/{message_id}": (
        "Update an owned message after authorizing its flow and attachment namespaces."),
    "DELETE /api/v1/monitor/traces": (
        "Delete all traces for a flow.\n"
        "\n"
        "Args:\n"
        "    flow_id: The ID of the flow whose traces should be deleted.\n"
        "    current_user: The authenticated user (required for authorization)."),
    "GET /api/v1/catalog-policy/components": "Return the complete global component block set.",
    "PUT /api/v1/catalog-policy/components": "Replace the complete global component block set.",
    "GET /api/v1/catalog-policy/templates": "Return the complete global template block set.",
    "PUT /api/v1/catalog-policy/templates": "Replace the complete global template block set.",
    "GET /api/v1/catalog-policy/usage": (
        "Return how many flows use each component.\n"
        "\n"
        "Counts are keyed by canonical registry identity \u2014 a flow node saved under\n"
        "a legacy alias is counted under the component it resolves to today, the\n"
        "same resolution catalog enforcement applies. Keys not present in the\n"
        "registry (custom or synthetic components) are counted under their exact\n"
        "stored key. Each flow is counted at most once per component. Counts may\n"
        "lag flow writes by up to ``USAGE_SCAN_CACHE_TTL_SECONDS``."),
    "GET /api/v1/catalog-policy/usage/flows": (
        "Return the flows that would be affected by blocking one component key.\n"
        "\n"
        "A flow matches when the queried key and any of the flow's stored keys\n"
        "resolve to a shared canonical identity \u2014 the same matching rule flow\n"
        "writes and runs enforce. Flows are sorted by name, then id, and truncated\n"
        "to ``limit``; ``total`` always reports the full match count. Results may\n"
        "lag flow writes by up to ``USAGE_SCAN_CACHE_TTL_SECONDS``."),
    "GET /api/v1/model-provider-policy": "Read the global provider policy. An empty approved list is unrestricted.",
    "POST /api/v1/model-provider-policy": "Atomically replace the global provider policy and invalidate snapshots.",
    "PUT /api/v1/model-provider-policy": "Atomically replace the global provider policy and invalidate snapshots.",
    "GET /api/v1/monitor/traces": (
        "Get list of traces for a flow.\n"
        "\n"
        "Args:\n"
        "    current_user: Authenticated user (required for authorization)\n"
        "    flow_id: Filter by flow ID\n"
        "    session_id: Filter by session ID\n"
        "    status: Filter by trace status\n"
        "    query: Search query for trace name/id/session id\n"
        "    start_time: Filter traces starting on/after this time (ISO)\n"
        "    end_time: Filter traces starting on/before this time (ISO)\n"
        "    page: Page number (1-based)\n"
        "    size: Page size\n"
        "\n"
    "Returns:\n"
        "    List of traces"),
    "DELETE /api/v1/monitor/traces/{trace_id}": (
        "Delete a trace and all its spans.\n"
        "\n"
        "Args:\n"
        "    trace_id: The ID of the trace to delete.\n"
        "    current_user: The authenticated user (required for authorization)."),
    "GET /api/v1/monitor/traces/{trace_id}": (
        "Get a single trace with its hierarchical span tree.\n"
        "\n"
        "Args:\n"
        "    trace_id: The ID of the trace to retrieve.\n"
        "    current_user: The authenticated user (required for authorization).\n"
        "\n"
    "Returns:\n"
        "    TraceRead containing the trace and its hierarchical span tree."),
    "POST /api/v1/predict/{_flow_id}": "Endpoint to process an input with a given flow_id.",
    "POST /api/v1/process/{_flow_id}": "Endpoint to process an input with a given flow_id.",
    "GET /api/v1/projects/download/{project_id}": "Download all flows from project as a zip file.",
    "POST /api/v1/projects/upload/": (
        "Upload flows from a file.\n"
        "\n"
        "Accepts either a JSON file with project metadata (folder_name, folder_description, flows)\n"
        "or a ZIP file containing individual flow JSON files (as produced by the download endpoint)."),
    "PUT /api/v1/projects/{project_id}": (
        "Create or update a project with a specific ID (upsert).\n"
        "\n"
        "Returns 201 for creation, 200 for update. Returns 404 if owned by another user (avoids\n"
        "leaking existence). A name collision fails loud as 409 on both the create and update paths\n"
        "(unlike POST, which auto-renames).\n"
        "\n"
        "``workspace_id`` is out of scope: ``FolderCreate`` cannot express it, so a synced project\n"
        "inherits ``NULL`` exactly like one created via POST. Workspace assignment is not part of the\n"
        "upsert contract."),
    "POST /api/v1/responses": (
        "Create a response using OpenAI Responses API format.\n"
        "\n"
        "This endpoint accepts a flow_id in the model parameter and processes\n"
        "the input through the specified Langflow flow.\n"
        "\n"
        "Args:\n"
        "    request: OpenAI Responses API request with model (flow_id) and input\n"
        "    background_tasks: FastAPI background task manager\n"
        "    api_key_user: Authenticated user from API key\n"
        "    http_request: The incoming HTTP request\n"
        "    telemetry_service: Telemetry service for logging\n"
        "\n"
    "Returns:\n"
        "    OpenAI-compatible response or streaming response\n"
        "\n"
        "Raises:\n"
        "    HTTPException: For validation errors or flow execution issues"),
    "POST /api/v1/run/advanced/{flow_id_or_name}": (
        "Executes a specified flow by ID with optional input values, output selection, tweaks, and streaming "
        "capability.\n"
        "\n"
        "This endpoint supports running flows with caching to enhance performance and efficiency.\n"
        "\n"
        "### Parameters:\n"
        "- `flow` (Flow): The flow object to be executed, resolved via dependency injection.\n"
        "- `inputs` (List[InputValueRequest], optional): A list of inputs specifying the input values and "
        "components\n"
        "  for the flow. Each input can target specific components and provide custom values.\n"
        "- `outputs` (List[str], optional): A list of output names to retrieve from the executed flow.\n"
        "  If not provided, all outputs are returned.\n"
        "- `tweaks` (Optional[Tweaks], optional): A dictionary of tweaks to customize the flow execution.\n"
        "  The tweaks can be used to modify the flow's parameters and components.\n"
        "  Tweaks can be overridden by the input values.\n"
        "- `stream` (bool, optional): Specifies whether the results should be streamed. Defaults to False.\n"
        "- `session_id` (Union[None, str], optional): An optional session ID to utilize existing session data "
        "for the flow\n"
        "  execution.\n"
        "- `api_key_user` (User): The user associated with the current API key. Automatically resolved from the "
        "API key.\n"
        "\n"
        "### Returns:\n"
        "A `RunResponse` object containing the selected outputs (or all if not specified) of the executed flow\n"
        "and the session ID.\n"
        "The structure of the response accommodates multiple inputs, providing a nested list of outputs for each "
        "input.\n"
        "\n"
        "### Raises:\n"
        "HTTPException: Indicates issues with finding the specified flow, invalid input formats, or internal "
        "errors during\n"
        "flow execution.\n"
        "\n"
        "### Example usage:\n"
        "```json\n"
        "POST /run/flow_id\n"
        "x-api-key: YOUR_API_KEY\n"
        "Payload:\n"
        "{\n"
        "    \"inputs\": [\n"
        "        {\"components\": [\"component1\"], \"input_value\": \"value1\"},\n"
        "        {\"components\": [\"component3\"], \"input_value\": \"value2\"}\n"
        "    ],\n"
        "    \"outputs\": [\"Component Name\", \"component_id\"],\n"
        "    \"tweaks\": {\"parameter_name\": \"value\", \"Component Name\": {\"parameter_name\": \"value\"}, "
        "\"component_id\": {\"parameter_name\": \"value\"}}\n"
        "    \"stream\": false\n"
        "}\n"
        "```\n"
        "\n"
        "This endpoint facilitates complex flow executions with customized inputs, outputs, and configurations,\n"
        "catering to diverse application requirements."),
    "POST /api/v1/run/session/{flow_id_or_name}": (
        "Executes a specified flow by ID with support for streaming and telemetry (session auth).\n"
        "\n"
        "This endpoint executes a flow identified by ID or name, with options for streaming the response\n"
        "and tracking execution metrics. It handles both streaming and non-streaming execution modes.\n"
        "This endpoint uses session-based authentication (cookies).\n"
        "\n"
        "Args:\n"
        "    background_tasks (BackgroundTasks): FastAPI background task manager\n"
        "    flow (FlowRead | None): The flow to execute, loaded via dependency\n"
        "    input_request (SimplifiedAPIRequest | None): Input parameters for the flow\n"
        "    stream (bool): Whether to stream the response\n"
        "    api_key_user (User): Authenticated user from session\n"
        "    context (dict | None): Optional context to pass to the flow\n"
        "    http_request (Request): The incoming HTTP request for extracting global variables\n"
        "\n"
        + _RUN_RETURNS_AND_NOTES +
        "    - Authentication: Requires active session (cookies)\n"
        "    - Feature Flag: Only available when agentic_experience is enabled"),
    "POST /api/v1/run/{flow_id_or_name}": (
        "Executes a specified flow by ID with support for streaming and telemetry (API key auth).\n"
        "\n"
        "This endpoint executes a flow identified by ID or name, with options for streaming the response\n"
        "and tracking execution metrics. It handles both streaming and non-streaming execution modes.\n"
        "This endpoint uses API key authentication (Bearer token).\n"
        "\n"
        "Args:\n"
        "    background_tasks (BackgroundTasks): FastAPI background task manager\n"
        "    flow (FlowRead | None): The flow to execute, loaded via dependency\n"
        "    input_request (SimplifiedAPIRequest | None): Input parameters for the flow\n"
        "    stream (bool): Whether to stream the response\n"
        "    api_key_user (UserRead): Authenticated user from API key\n"
        "    context (dict | None): Optional context to pass to the flow\n"
        "    http_request (Request): The incoming HTTP request for extracting global variables\n"
        "\n"
        + _RUN_RETURNS_AND_NOTES +
        "    - Authentication: Requires API key (Bearer token)"),
    "GET /api/v1/starter-projects/": "Get a list of starter projects.",
    "GET /api/v1/task/{_task_id}": (
        "Get the status of a task by ID (Deprecated).\n"
        "\n"
        "This endpoint is deprecated and will be removed in a future version."),
    "GET /api/v1/triggers": (
        "List the triggers on one flow.\n"
        "\n"
        "``flow_id`` is required rather than optional: an unscoped list would have to\n"
        "fan out over every flow the caller can read, and the answer a client wants is\n"
        "always \"the triggers on this flow\"."),
    "POST /api/v1/triggers": (
        "Create a trigger on a flow the caller may write.\n"
        "\n"
        "The trigger is owned by the *flow owner*, not by whoever created it. The\n"
        "execution-principal matrix classifies a trigger run as ``flow_owner``, and\n"
        "flow-save reconciliation already creates rows that way; keying the API path\n"
        "off the caller instead would give one flow two kinds of trigger identity\n"
        "depending on which surface armed it, and would let a collaborator with flow\n"
        "write silently schedule unattended runs under their own connections."),
    "POST /api/v1/triggers/{trigger_id}/pin": (
        "Pin the trigger to a flow version, or unpin it with a null id.\n"
        "\n"
        "A pin is only accepted for a version of the trigger's own flow: pinning\n"
        "across flows would let a writer on flow A run flow B's data as A's owner."),
    "POST /api/v1/triggers/{trigger_id}/replay": (
        "Re-run one ledger row as a new, linked event.\n"
        "\n"
        "Replay costs a flow execution, so it needs flow execute — the same ceiling\n"
        "as pressing Run."),
    "POST /api/v1/triggers/{trigger_id}/test": (
        "Append a synthetic event so an owner can exercise the whole path.\n"
        "\n"
        "The event goes through the ordinary ledger and dispatcher — there is no\n"
        "side-channel — so a passing test is evidence about production behaviour."),
    "GET /api/v1/triggers/{trigger_id}/ingress": (
        "Where a caller posts to this trigger, and whether a secret is set.\n"
        "\n"
        "Never the secret itself. A signing secret is shown exactly once, by the\n"
        "route that mints it; a GET that returned it would put it in every browser\n"
        "history, proxy log, and screen share that touches the triggers page."),
    "POST /api/v1/triggers/{trigger_id}/signing-secret": (
        "Mint this trigger's ingress address and signing secret, or rotate them.\n"
        "\n"
        "Rotation replaces the stored secret, so the previous one stops verifying on\n"
        "the next delivery: there is no grace window, deliberately. A webhook secret\n"
        "is rotated because it leaked, and a grace window is exactly the period the\n"
        "leak is still useful.\n"
        "\n"
        "The address (``public_id``) is minted once and kept across rotations, so\n"
        "rotating a secret does not require reconfiguring the caller's URL."),
    "POST /api/v1/triggers/ingress/{provider}/{public_id}": (
        "Accept one provider delivery and append it to the trigger's ledger."),
    "POST /api/v1/triggers/ingress/slack/apps/{registration_id}": (
        "Accept one Slack Events API delivery and fan it out to the triggers it fires.\n"
        "\n"
        "The same pipeline as the per-trigger route, with the app in place of the\n"
        "trigger: resolve the registration, read a bounded body, verify Slack's\n"
        "signature with the registration's signing secret, rate-limit, and only then\n"
        "touch the database. Every refusal is the same ``404``.\n"
        "\n"
        "Nothing is refused before the signature is checked. A registration id is an\n"
        "operator's chosen name, not a secret, and a budget spent before verification\n"
        "is keyed on the client address - which, behind a reverse proxy that is not\n"
        "trusted for ``X-Forwarded-For``, is the proxy's, shared with Slack. Anyone\n"
        "who knew the Request URL could then exhaust it with unsigned requests and\n"
        "get every workspace's real deliveries refused. Verifying first costs a read\n"
        "of at most ``trigger_ingress_max_body_bytes`` and one HMAC-SHA256, and the\n"
        "budgets below are charged only for deliveries that verify.\n"
        "\n"
        "What a failed request does spend is the per-client probing budget, and only\n"
        "to bound its audit rows: the audit queue is bounded and single-writer, so a\n"
        "flood of garbage must not crowd out real rows. Slack's own deliveries never\n"
        "fail verification and never touch it."),
    "POST /api/v1/upload/{flow_id}": (
        "Upload a file for a specific flow (Deprecated).\n"
        "\n"
        "This endpoint is deprecated and will be removed in a future version."),
    "GET /api/v1/users/": "Retrieve a list of users from the database with pagination.",
    "POST /api/v1/users/": (
        "Add a new user to the database.\n"
        "\n"
        "This endpoint backs two flows that share the same route:\n"
        "\n"
        "* Public sign up (unauthenticated). Allowed only when public registration is\n"
        "  enabled for the deployment, i.e. AUTO_LOGIN is off (multi-user mode) and\n"
        "  ENABLE_SIGNUP is True.\n"
        "* Admin \"add user\" (authenticated active administrator). Always allowed,\n"
        "  regardless of the sign up settings, so disabling public sign up does not\n"
        "  break administrator-driven user creation.\n"
        "\n"
        "User activation is controlled by the NEW_USER_IS_ACTIVE setting."),
    "GET /api/v1/users/whoami": "Retrieve the current user's data.",
    "DELETE /api/v1/users/{user_id}": (
        "Delete a user and everything the account holds; the erase finishes in the background."),
    "GET /api/v1/users/{user_id}": "Read the current user or a specific user with ``user:manage``.",
    "PATCH /api/v1/users/{user_id}": "Update an existing user's data.",
    "PATCH /api/v1/users/{user_id}/reset-password": (
        "Change the current user's password after verifying the existing password."),
    "GET /api/v1/variables/": "Read all variables.",
    "POST /api/v1/variables/": "Create a new variable.",
    "DELETE /api/v1/variables/{variable_id}": "Delete a variable.",
    "PATCH /api/v1/variables/{variable_id}": "Update a variable.",
    "GET /api/v2/registration/": "Get the registered user (if any).",
    "POST /api/v2/registration/": "Register the single user with email.\n\nNote: Only one registration is allowed.",
    "POST /api/v1/webhook/{flow_id_or_name}": (
        "Run a flow using a webhook request.\n"
        "\n"
        "Args:\n"
        "    auth: Resolved webhook user and flow, scoped to the authenticated caller.\n"
        "    request: The incoming HTTP request.\n"
        "\n"
    "Returns:\n"
        "    A dictionary containing the status of the task.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If the flow is not found or if there is an error processing the request."),
    "DELETE /api/v2/files": "Delete all files for the current user.",
    "GET /api/v2/files": "List the files available to the current user.",
    "POST /api/v2/files": "Upload a file for the current user and track it in the database.",
    "DELETE /api/v2/files/": "Delete all files for the current user.",
    "GET /api/v2/files/": "List the files available to the current user.",
    "POST /api/v2/files/": "Upload a file for the current user and track it in the database.",
    "DELETE /api/v2/files/batch/": "Delete multiple files by their IDs.",
    "POST /api/v2/files/batch/": "Download multiple files as a zip file by their IDs.",
    "DELETE /api/v2/files/{file_id}": "Delete a file by its ID.",
    "GET /api/v2/files/{file_id}": (
        "Download a file by its ID or return its content as a string/bytes.\n"
        "\n"
        "Args:\n"
        "    file_id: UUID of the file.\n"
        "    current_user: Authenticated user.\n"
        "    session: Database session.\n"
        "    storage_service: File storage service.\n"
        "    return_content: If True, return raw content (str) instead of StreamingResponse.\n"
        "\n"
    "Returns:\n"
        "    StreamingResponse for client downloads or str for internal use."),
    "PUT /api/v2/files/{file_id}": "Edit the name of a file by its ID.",
    "GET /api/v2/mcp/servers": "Get the list of available servers.",
    "GET /api/v2/mcp/servers/{server_name}": "Get a specific server.",
    "PATCH /api/v2/mcp/servers/{server_name}": "Patch a server and return its configuration with credentials masked.",
    "POST /api/v2/mcp/servers/{server_name}": "Create a server and return its configuration with credentials masked.",
    "GET /api/v2/workflows": "Get status of workflow job by job ID",
    "GET /api/v2/workflows/pending": (
        "Suspended HITL jobs for a flow plus their pending request, for the Traces overlay."),
    "POST /api/v2/workflows/stop": "Stop a running background workflow execution",
    "GET /api/v2/workflows/{job_id}/events": (
        "Replay durable events for a background run from Last-Event-ID and tail until it ends."),
    "POST /api/v2/workflows/{job_id}/resume": "Resume a suspended (human-in-the-loop) workflow with a decision.",
    "GET /healthz": "Probe application readiness and optionally require every retained store to finish upgrading.",
    "GET /logs": (
        "Retrieve application logs with superuser authentication required.\n"
        "\n"
        "SECURITY: Logs may contain sensitive information and require superuser authentication."),
    "GET /logs-stream": (
        "HTTP/2 Server-Sent-Event (SSE) endpoint for streaming logs.\n"
        "\n"
        "Requires superuser authentication to prevent exposure of sensitive log data.\n"
        "It establishes a long-lived connection to the server and receives log messages in real-time.\n"
        "The client should use the header \"Accept: text/event-stream\"."),
    # 1.13's authorization administration (authz_admin)
    "GET /api/v1/authz/capabilities": "Return caller-specific administration access and installed features.",
    "GET /api/v1/authz/roles": (
        "List roles. Open to authenticated users so the UI can populate dropdowns.\n\nPaginated via ``limit`` "
        "/ ``offset`` so a single call cannot return the\nentire catalog of roles + their permissions. Stable "
        "order is ``(name, id)``\nso ``offset`` is deterministic across calls."),
    "POST /api/v1/authz/roles": "Create a custom (non-system) role.",
    "PATCH /api/v1/authz/roles/{role_id}": "Update fields on a custom role. System roles are read-only.",
    "DELETE /api/v1/authz/roles/{role_id}": (
        "Delete a custom role.\n\nSystem roles cannot be deleted; roles with active assignments return "
        "409\n(delete the assignments first)."),
    "GET /api/v1/authz/role-assignments": (
        "List role assignments scoped to one user.\n\n* Omitting ``user_id`` defaults to the caller — no "
        "superuser needed.\n* Passing ``user_id == self.id`` is the same as omitting it.\n* Passing a "
        "different ``user_id`` requires ``role:manage``; otherwise 403.\n\nResults are always filtered by the "
        "resolved ``user_id``. Admins who need\ncross-user lookups make one call per user. Paginated via "
        "``limit`` /\n``offset`` (default 100, max 200)."),
    "POST /api/v1/authz/role-assignments": "Assign a role to a user as a role administrator.",
    "DELETE /api/v1/authz/role-assignments/{assignment_id}": (
        "Remove a manual grant, returning the assignment when another source preserves it."),
    "GET /api/v1/authz/teams": (
        "List teams. Open to any authenticated user (for the share dialog's team picker).\n\nPaginated via "
        "``limit`` / ``offset`` so a single call cannot enumerate every\nteam. Stable order is ``(team_name, "
        "id)`` so ``offset`` is deterministic."),
    "GET /api/v1/authz/teams/{team_id}/members": (
        "List members of a team. Any authenticated user (so the UI can render team rosters).\n\nPaginated via "
        "``limit`` / ``offset`` so a single call cannot enumerate a\nlarge team's full roster. Stable order "
        "is ``(created_at, user_id)``."),
    # 1.13's project deployment routes
    "GET /api/v1/projects/{project_id}/deployment-snapshot": (
        "Return one bounded, read-only, secret-safe serving snapshot."),
    "PUT /api/v1/projects/{project_id}/replacement-operations/{operation_id}": (
        "Replace a project's full flow set and persist an immutable retry receipt."),
    "GET /api/v1/projects/{project_id}/replacement-operations/{operation_id}": (
        "Read only a committed replacement receipt, even if live content changed."),
    "GET /api/v1/flows/{flow_id}/note_translations": (
        "Return translated note node descriptions for the current locale.\n"
        "\n"
        "Returns a mapping of node_id → translated markdown text.  Only nodes\n"
        "with a matching translation key are included; nodes without translations\n"
        "are omitted so the caller can leave them unchanged.\n"
        "\n"
        "A missing or inaccessible flow yields 404 (via ``AuthorizedReadFlow``),\n"
        "consistent with ``GET /flows/{id}``; the sole frontend caller (NoteNode)\n"
        "treats that as \"no translations\" and renders the original text."),
    "GET /api/v1/extensions/events": (
        "Poll for extension lifecycle events the current user has triggered.\n"
        "\n"
        "Events are scoped to the authenticated user via a server-derived keyspace\n"
        "(``user:{user_id}``); there is no client-controllable keyspace, so an\n"
        "authenticated user cannot read another user's flow-migration or\n"
        "bundle-reload events. A client-supplied ``keyspace`` query parameter is\n"
        "rejected with 422 so the contract is explicit -- previously the value was\n"
        "silently dropped, which masked client bugs that assumed it had effect.\n"
        "\n"
        "svc.since() uses blocking sqlite3; run in a thread pool so the asyncio\n"
        "event loop is not held while waiting on disk I/O."),
    "POST /api/v1/extensions/{extension_id}/bundles/{bundle_name}/reload": (
        "Trigger an atomic-swap reload for a single Bundle.\n"
        "\n"
        "Returns the typed :class:`~lfx.extension.reload.ReloadResult` body on\n"
        "success.  Per the typed-error contract, structural failures\n"
        "(broken bundle, missing source path, name mismatch) surface as\n"
        "``422 Unprocessable Entity`` with the first typed error in the body\n"
        "so clients can surface fix hints inline; the full ``ReloadResult``\n"
        "payload (with all errors and warnings) is returned via the FastAPI\n"
        "``detail`` envelope.  Concurrency-control collisions surface as\n"
        "``409 Conflict`` (``reload-in-progress``).  Non-2xx is the wire\n"
        "contract for every error path -- the body still carries the typed\n"
        "error so the client renders the same fix-hint envelope."),
    # 1.13's integration connections and catalog
    "GET /api/v1/connections": "List owned, instance-owned, and explicitly shared connection metadata.",
    "POST /api/v1/connections": "Create connection metadata and optionally store encrypted credentials.",
    "POST /api/v1/connections/{connection_id}/test": (
        "Check stored credentials, including Slack validation, and requested scope coverage."),
    "POST /api/v1/connections/{connection_id}/health": (
        "Refresh credential health without returning or logging token material."),
    "PATCH /api/v1/connections/{connection_id}": (
        "Rename a connection or change its non-interactive opt-in without re-authorizing.\n"
        "\n"
        "Anyone who may write the connection may withdraw the opt-in. Granting it\n"
        "widens which executions reach the owner's account, so only the owner (a\n"
        "superuser, for an instance connection) may turn it on."),
    "DELETE /api/v1/connections/{connection_id}": (
        "Delete a connection and its stored credential; only a deleter of the row may call this."),
    "POST /api/v1/connections/{connection_id}/revoke": (
        "Revoke at the provider when supported and always remove local credentials."),
    "POST /api/v1/connections/{connection_id}/oauth/start": (
        "Authorize an instance-configured registration for an existing connection."),
    "GET /api/v1/connections/oauth/{provider}/browser": (
        "Set the Desktop binding in the browser which will receive the callback."),
    "GET /api/v1/connections/oauth/registrations": (
        "List the registrations a caller may name in an authorization request.\n"
        "\n"
        "Registration configuration is operator-only, so a client had no way to learn\n"
        "the ids that ``POST /connections/{connection_id}/oauth/start`` accepts, or the\n"
        "scope ceiling it must stay inside. Only availability and non-secret fields are\n"
        "returned, and a registration that this deployment would refuse is omitted\n"
        "rather than advertised: a picker must not offer consent that cannot start."),
    "GET /api/v1/connections/oauth/{provider}/callback": (
        "Terminate provider callbacks here; state and browser binding replace login."),
    "GET /api/v1/integrations": (
        "List loaded integration providers and the caller's effective access.\n"
        "\n"
        "Blocked providers and actions are omitted by default so a picker cannot\n"
        "advertise what execution would refuse. ``include_blocked`` returns them with\n"
        "their decision attached, which is what the operator panel renders, and is\n"
        "superuser-only for the same reason every other ``include_blocked`` surface\n"
        "is (``/api/v1/all``, starter projects, basic examples): the deny decision is\n"
        "operator information, not something a plain caller may enumerate."),
    "GET /api/v1/integrations/policy/effective": "Return the integration decision set that applies to this caller.",
}

# 1.8.4's where it differs from OPERATIONS' (None: 1.8.4 describes it not at all)
OPERATIONS_1_8: dict[str, str | None] = {
    "GET /api/v1/agentic/check-config": (
        "Check if the Langflow Assistant is properly configured.\n"
        "\n"
        "Returns available providers with their configured status and available models."),
    "POST /api/v1/agentic/assist": "Chat with the Langflow Assistant.",
    "POST /api/v1/agentic/assist/stream": "Chat with the Langflow Assistant with streaming progress updates.",
    "POST /api/v1/agentic/execute/{flow_name}": "Execute a named flow from the flows directory.",
    "GET /api/v1/all": (
        "Retrieve all component types with compression for better performance.\n"
        "\n"
        "Returns a compressed response containing all available component types."),
    "POST /api/v1/build/{flow_id}/flow": (
        "Build and process a flow, returning a job ID for event polling.\n"
        "\n"
        "This endpoint requires authentication through the CurrentActiveUser dependency.\n"
        "For public flows that don't require authentication, use the /build_public_tmp/flow_id/flow endpoint.\n"
        "\n"
        "Args:\n"
        "    flow_id: UUID of the flow to build\n"
        "    background_tasks: Background tasks manager\n"
        "    inputs: Optional input values for the flow\n"
        "    data: Optional flow data\n"
        "    files: Optional files to include\n"
        "    stop_component_id: Optional ID of component to stop at\n"
        "    start_component_id: Optional ID of component to start from\n"
        "    log_builds: Whether to log the build process\n"
        "    current_user: The authenticated user\n"
        "    queue_service: Queue service for job management\n"
        "    flow_name: Optional name for the flow\n"
        "    event_delivery: Optional event delivery type - default is streaming\n"
        "\n"
    "Returns:\n"
        "    Dict with job_id that can be used to poll for build status"),
    "POST /api/v1/build/{job_id}/cancel": (
        "Cancel a specific build job.\n"
        "\n"
        "Requires authentication to prevent unauthorized build cancellation."),
    "GET /api/v1/build/{job_id}/events": (
        "Get events for a specific build job.\n"
        "\n"
        "Requires authentication to prevent unauthorized access to build events."),
    "POST /api/v1/build_public_tmp/{flow_id}/flow": (
        "Build a public flow without requiring authentication.\n"
        "\n"
        "This endpoint is specifically for public flows that don't require authentication.\n"
        "It uses a client_id cookie to create a deterministic flow ID for tracking purposes.\n"
        "\n"
        "The endpoint:\n"
        "1. Verifies the requested flow is marked as public in the database\n"
        "2. Creates a deterministic UUID based on client_id and flow_id\n"
        "3. Uses the flow owner's permissions to build the flow\n"
        "\n"
        "Requirements:\n"
        "- The flow must be marked as PUBLIC in the database\n"
        "- The request must include a client_id cookie\n"
        "\n"
        "Args:\n"
        "    flow_id: UUID of the public flow to build\n"
        "    background_tasks: Background tasks manager\n"
        "    inputs: Optional input values for the flow\n"
        "    data: Optional flow data\n"
        "    files: Optional files to include\n"
        "    stop_component_id: Optional ID of component to stop at\n"
        "    start_component_id: Optional ID of component to start from\n"
        "    log_builds: Whether to log the build process\n"
        "    flow_name: Optional name for the flow\n"
        "    request: FastAPI request object (needed for cookie access)\n"
        "    queue_service: Queue service for job management\n"
        "    event_delivery: Optional event delivery type - default is streaming\n"
        "\n"
    "Returns:\n"
        "    Dict with job_id that can be used to poll for build status"),
    "DELETE /api/v1/flows/": (
        "Delete multiple flows by their IDs.\n"
        "\n"
        "Args:\n"
        "    flow_ids (List[str]): The list of flow IDs to delete.\n"
        "    user (User, optional): The user making the request. Defaults to the current active user.\n"
        "    db (Session, optional): The database session.\n"
        "\n"
    "Returns:\n"
        "    dict: A dictionary containing the number of flows deleted."),
    "GET /api/v1/flows/": (
        "Retrieve a list of flows with pagination support.\n"
        "\n"
        "Args:\n"
        "    current_user (User): The current authenticated user.\n"
        "    session (Session): The database session.\n"
        "    settings_service (SettingsService): The settings service.\n"
        "    components_only (bool, optional): Whether to return only components. Defaults to False.\n"
        "\n"
        "    get_all (bool, optional): Whether to return all flows without pagination. Defaults to True.\n"
        "    **This field must be True because of backward compatibility with the frontend - Release: 1.0.20**\n"
        "\n"
        "    folder_id (UUID, optional): The project ID. Defaults to None.\n"
        "    params (Params): Pagination parameters.\n"
        "    remove_example_flows (bool, optional): Whether to remove example flows. Defaults to False.\n"
        "    header_flows (bool, optional): Whether to return only specific headers of the flows. Defaults to "
        "False.\n"
        "\n"
    "Returns:\n"
        "    list[FlowRead] | Page[FlowRead] | list[FlowHeader]\n"
        "    A list of flows or a paginated response containing the list of flows or a list of flow headers."),
    "GET /api/v1/flows/basic_examples/": (
        "Retrieve a list of basic example flows.\n"
        "\n"
        "Args:\n"
        "    session (Session): The database session.\n"
        "\n"
    "Returns:\n"
        "    list[FlowRead]: A list of basic example flows."),
    "GET /api/v1/flows/public_flow/{flow_id}": "Read a public flow.",
    "POST /api/v1/flows/upload/": "Upload flows from a file.",
    "DELETE /api/v1/monitor/messages": None,
    "DELETE /api/v1/monitor/messages/session/{session_id}": None,
    "PUT /api/v1/monitor/messages/{message_id}": None,
    "POST /api/v1/projects/upload/": "Upload flows from a file.",
    "POST /api/v1/users/": (
        "Add a new user to the database.\n"
        "\n"
        "This endpoint allows public user registration (sign up).\n"
        "User activation is controlled by the NEW_USER_IS_ACTIVE setting."),
    "DELETE /api/v1/users/{user_id}": "Delete a user from the database.",
    "PATCH /api/v1/users/{user_id}/reset-password": "Reset a user's password.",
    "POST /api/v1/webhook/{flow_id_or_name}": (
        "Run a flow using a webhook request.\n"
        "\n"
        "Args:\n"
        "    flow_id_or_name: The flow ID or endpoint name (used by dependency).\n"
        "    flow: The flow to be executed.\n"
        "    request: The incoming HTTP request.\n"
        "\n"
    "Returns:\n"
        "    A dictionary containing the status of the task.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If the flow is not found or if there is an error processing the request."),
    "PATCH /api/v2/mcp/servers/{server_name}": None,
    "POST /api/v2/mcp/servers/{server_name}": None,
    "POST /api/v2/workflows": "Execute a workflow with support for sync, stream, and background modes",
    "POST /api/v2/workflows/stop": "Stop a running workflow execution",
    "GET /logs": (
        "Retrieve application logs with authentication required.\n"
        "\n"
        "SECURITY: Logs may contain sensitive information and require authentication."),
    "GET /logs-stream": (
        "HTTP/2 Server-Sent-Event (SSE) endpoint for streaming logs.\n"
        "\n"
        "Requires authentication to prevent exposure of sensitive log data.\n"
        "It establishes a long-lived connection to the server and receives log messages in real-time.\n"
        "The client should use the header \"Accept: text/event-stream\"."),
}

# 1.7.1's where it differs from 1.8.4's
OPERATIONS_1_7_1: dict[str, str | None] = {
    "POST /api/v1/custom_component/update": (
        "Update an existing custom component with new code and configuration.\n"
        "\n"
        "Processes the provided code and template updates, applies parameter changes (including those loaded from "
        "the\n"
        "database), updates the component's build configuration, and validates outputs. Returns the updated "
        "component node as\n"
        "a JSON-serializable dictionary.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If an error occurs during component building or updating.\n"
        "    SerializationError: If serialization of the updated component node fails."),
    "POST /api/v1/build/{flow_id}/vertices": (
        "Retrieve the vertices order for a given flow.\n"
        "\n"
        "Args:\n"
        "    flow_id (str): The ID of the flow.\n"
        "    background_tasks (BackgroundTasks): The background tasks.\n"
        "    data (Optional[FlowDataRequest], optional): The flow data. Defaults to None.\n"
        "    stop_component_id (str, optional): The ID of the stop component. Defaults to None.\n"
        "    start_component_id (str, optional): The ID of the start component. Defaults to None.\n"
        "    session (AsyncSession, optional): The session dependency.\n"
        "\n"
        "Returns:\n"
        "    VerticesOrderResponse: The response containing the ordered vertex IDs and the run ID.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If there is an error checking the build status."),
    "POST /api/v1/build/{flow_id}/vertices/{vertex_id}": (
        "Build a vertex instead of the entire graph.\n"
        "\n"
        "Args:\n"
        "    flow_id (str): The ID of the flow.\n"
        "    vertex_id (str): The ID of the vertex to build.\n"
        "    background_tasks (BackgroundTasks): The background tasks dependency.\n"
        "    inputs (Optional[InputValueRequest], optional): The input values for the vertex. Defaults to None.\n"
        "    files (List[str], optional): The files to use. Defaults to None.\n"
        "    current_user (Any, optional): The current user dependency. Defaults to Depends(get_current_active_user).\n"
        "\n"
        "Returns:\n"
        "    VertexBuildResponse: The response containing the built vertex information.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If there is an error building the vertex."),
    "GET /api/v1/build/{flow_id}/{vertex_id}/stream": (
        "Build a vertex instead of the entire graph.\n"
        "\n"
        "This function is responsible for building a single vertex instead of the entire graph.\n"
        "It takes the `flow_id` and `vertex_id` as required parameters, and an optional `session_id`.\n"
        "It also depends on the `ChatService` and `SessionService` services.\n"
        "\n"
        "If `session_id` is not provided, it retrieves the graph from the cache using the `chat_service`.\n"
        "If `session_id` is provided, it loads the session data using the `session_service`.\n"
        "\n"
        "Once the graph is obtained, it retrieves the specified vertex using the `vertex_id`.\n"
        "If the vertex does not support streaming, an error is raised.\n"
        "If the vertex has a built result, it sends the result as a chunk.\n"
        "If the vertex is not frozen or not built, it streams the vertex data.\n"
        "If the vertex has a result, it sends the result as a chunk.\n"
        "If none of the above conditions are met, an error is raised.\n"
        "\n"
        "If any exception occurs during the process, an error message is sent.\n"
        "Finally, the stream is closed.\n"
        "\n"
        "Returns:\n"
        "    A `StreamingResponse` object with the streamed vertex data in text/event-stream format.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If an error occurs while building the vertex."),
    "DELETE /api/v1/knowledge_bases": "Delete multiple knowledge bases.",
    "DELETE /api/v1/knowledge_bases/": "Delete multiple knowledge bases.",
    "DELETE /api/v1/knowledge_bases/{kb_name}": "Delete a specific knowledge base.",
    "GET /api/v1/knowledge_bases": "List all available knowledge bases.",
    "GET /api/v1/knowledge_bases/": "List all available knowledge bases.",
    "GET /api/v1/knowledge_bases/{kb_name}": "Get detailed information about a specific knowledge base.",
    "GET /api/v1/config": (
        "Retrieve the current application configuration settings.\n"
        "\n"
        "Requires authentication to prevent exposure of sensitive configuration details.\n"
        "\n"
    "Returns:\n"
        "    ConfigResponse: The configuration settings of the application.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If an error occurs while retrieving the configuration."),
    "GET /api/v1/files/images/{flow_id}/{file_name}": None,
    "POST /api/v1/users/": (
        "Add a new user to the database.\n"
        "\n"
        "Requires superuser authentication to prevent unauthorized account creation."),
    "POST /api/v1/webhook/{flow_id_or_name}": (
        "Run a flow using a webhook request.\n"
        "\n"
        "Args:\n"
        "    flow_id_or_name (str): The flow ID or endpoint name.\n"
        "    flow (Flow): The flow to be executed.\n"
        "    request (Request): The incoming HTTP request.\n"
        "    background_tasks (BackgroundTasks): The background tasks manager.\n"
        "\n"
    "Returns:\n"
        "    dict: A dictionary containing the status of the task.\n"
        "\n"
        "Raises:\n"
        "    HTTPException: If the flow is not found or if there is an error processing the request."),
}
# a release's differences from OPERATIONS, by its profile's version
RELEASES: dict[str, dict[str, str | None]] = {"1.8.4": OPERATIONS_1_8, "1.7.1": {**OPERATIONS_1_8, **OPERATIONS_1_7_1}}

# "METHOD /path" -> Langflow's summary where it is not the one FastAPI makes of the mock handler's name: 1.13 titles
# three of its v2 workflow routes itself; 1.8's beta route does not, and the mock's handlers of the older releases'
# public flow and transactions routes are named apart from 1.13's
SUMMARIES: dict[str, str] = {
    "POST /api/v2/workflows": "Execute Workflow (v2 sync or stream)",
    "GET /api/v2/workflows/pending": "List pending human-input requests",
    "GET /api/v2/workflows/{job_id}/events": "Re-attach to a background run",
}
RELEASE_SUMMARIES: dict[str, dict[str, str]] = dict.fromkeys(("1.8.4", "1.7.1"), {
    "POST /api/v2/workflows": "Execute Workflow",  # 1.8's beta route names none
    # the mock's handlers of these are named apart from 1.13's (read_public_flow_unguarded, get_transactions_paged)
    "GET /api/v1/flows/public_flow/{flow_id}": "Read Public Flow",
    "GET /api/v1/monitor/transactions": "Get Transactions",
})

# "METHOD /path name" -> Langflow's description of a parameter the mock's route declares without one (every release)
PARAMETERS: dict[str, str] = {
    "GET /api/v2/workflows job_id": "Job ID to query",
}

# "METHOD /path status" -> Langflow's description of an answer, where it is not FastAPI's own (every release)
RESPONSES: dict[str, str] = {
    "GET /api/v2/workflows 200": "Workflow status response",
    "POST /api/v2/workflows 200": "Workflow execution response",
}


def operation_texts(version: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """The descriptions (None or unlisted: none) and summaries of the operations of release `version`."""
    return ({**OPERATIONS, **RELEASES.get(version, {})}, {**SUMMARIES, **RELEASE_SUMMARIES.get(version, {})})
