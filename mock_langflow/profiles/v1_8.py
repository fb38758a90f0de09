"""Langflow 1.8.4: the beta v2 Workflow API ({flow_id, background, stream, inputs}) behind the developer-API
flag, 1.7.1's looser webhook and MCP auth, 1.13's build events (real-1.8/NOTES.md sections 3 and 5)."""

from __future__ import annotations

from typing import Any

from mock_langflow import errors
from mock_langflow.profiles.model import (
    ENVIRONMENT_VARIABLES_1_13,
    Assistant,
    Auth,
    Build,
    Catalog,
    Cors,
    CustomCode,
    CustomComponents,
    Files,
    Flows,
    Http,
    KnowledgeBases,
    Mcp,
    Messages,
    Models,
    Profile,
    Projects,
    Prompts,
    Run,
    Shapes,
    Startup,
    Times,
    Users,
    Validation,
    Variables,
    Workflows,
)

# lfx 0.3.4's VARIABLES_TO_GET_FROM_ENVIRONMENT: 1.13's without the Azure AI Foundry, EmpirioLabs and OpenRouter names.
_NEWER_NAMES = ("AZURE_AI_FOUNDRY", "EMPIRIOLABS", "OPENROUTER")
ENVIRONMENT_VARIABLES_1_8 = tuple(n for n in ENVIRONMENT_VARIABLES_1_13 if not n.startswith(_NEWER_NAMES))

# lfx 0.3.4's provider variables (MODEL_PROVIDER_METADATA) to which 1.8's environment import gives the default
# fields [provider, display name]: those that are no secret, and WatsonX's key, whose check passes without a
# project id. OpenAI's, Anthropic's and Google's keys get them only when a call to the provider accepts the key:
# the mock makes no such call and stores them without.
ENVIRONMENT_FIELDS_1_8 = (("OLLAMA_BASE_URL", "Ollama", "Ollama Base URL"),
                          ("WATSONX_APIKEY", "IBM WatsonX", "API Key"),
                          ("WATSONX_PROJECT_ID", "IBM WatsonX", "Project ID"),
                          ("WATSONX_URL", "IBM WatsonX", "Endpoint URL"))

CONFIG_PUBLIC: dict[str, Any] = {"max_file_size_upload": 1024, "event_delivery": "streaming",
                                 "voice_mode_available": False, "frontend_timeout": 0, "type": "public"}
CONFIG_FULL: dict[str, Any] = {
    **CONFIG_PUBLIC, "type": "full", "feature_flags": {"mvp_components": False},
    "serialization_max_items_length": 1000, "serialization_max_text_length": 6000, "auto_saving": True,
    "auto_saving_interval": 1000, "health_check_max_retries": 5, "webhook_polling_interval": 0,
    "public_flow_cleanup_interval": 3600, "public_flow_expiration": 86400, "webhook_auth_enable": False,
    "default_folder_name": "Starter Project", "hide_getting_started_progress": False,
}

# Fields 1.13 added to the flow shapes (real-1.7.1/NOTES.md section 9; the same in 1.8.4).
FLOW_1_13_FIELDS = frozenset({"flow_type", "a2a_enabled", "a2a_card_overrides", "workspace_id", "name_key",
                              "version_token"})
# the knowledge-base routes 1.13 added, and its storage upgrade's
KB_1_13_ROUTES = frozenset({
    "test_backend_connection", "list_connectors", "get_knowledge_base_metadata_keys", "list_ingestion_runs",
    "get_ingestion_run", "storage_status", "get_inventory", "retry_inventory", "pending_cleanup", "retry_cleanup",
    "detach_storage", "list_migrations", "retry_migration", "ingest_folder_to_knowledge_base"})

HIDDEN: dict[str, frozenset[str]] = {
    # 1.8's bases keep no backend nor storage state (a Chroma directory each)
    "KnowledgeBaseInfo": frozenset({"backend_type", "backend_config", "storage_state", "storage_generation",
                                    "active_migration_id"}),
    "FlowRead": FLOW_1_13_FIELDS,
    "FlowHeader": frozenset({"flow_type", "a2a_enabled", "a2a_card_overrides", "updated_at"}),
    "Project": frozenset({"owner_username", "is_owner"}),
    "ApiKey": frozenset({"expires_at"}),
    "McpProjectTools": frozenset({"server_name"}),
    "McpToolInput": frozenset({"session_id"}),
    "GraphDump": frozenset({"name_key"}),
    "UsersResponse": frozenset({"deletion_requests"}),
    "VariableRead": frozenset({"has_value", "is_owner", "can_manage_shares"}),
    "FrontendNodeRequest": frozenset({"add_tool_output"}),
}

# 1.13 added the users list's filters and an audit-log operation id on the user routes.
USER_ROUTES = ("POST /api/v1/users/", "GET /api/v1/users/", "GET /api/v1/users/{user_id}",
               "PATCH /api/v1/users/{user_id}", "DELETE /api/v1/users/{user_id}")
PARAMS_ABSENT = frozenset({f"{op} X-Langflow-Operation-ID" for op in USER_ROUTES}
                          | {f"GET /api/v1/users/ {name}" for name in ("search", "username", "role_name",
                                                                        "deletion_requested")}
                          | {f"GET /api/v1/all {name}" for name in ("include_blocked", "flow_id", "project_id")}
                          | {f"GET /api/v1/monitor/messages {name}" for name in ("end_user_id", "order", "limit",
                                                                                  "offset")}
                          | {f"GET /api/v1/monitor/messages/sessions {name}" for name in ("limit", "offset")}
                          | {"PATCH /api/v1/flows/{flow_id} If-Match"}  # 1.13's optimistic lock (flows.if_match)
                          | {"GET /api/v1/flows/basic_examples/ include_blocked", "GET /api/v1/flows/ flow_type",
                             "GET /api/v1/starter-projects/ include_blocked"}
                          | {f"POST /api/v1/custom_component{path} flow_id" for path in ("", "/update")})

# Request fields 1.13 added, which the release's /openapi.json does not list (real-1.8/openapi.json): a flow's
# type, A2A settings and workspace (and a create's own id), a message edit's category, content blocks and session
# metadata, the run's user_id. The mock's request models are 1.13's; what each release does with these fields
# is the profile's (flows.body_ids and the like), so only the document leaves them out.
FLOW_FIELDS_1_13 = ("flow_type", "a2a_enabled", "a2a_card_overrides", "workspace_id")
SCHEMA_ABSENT = frozenset({f"FlowCreate.{name}" for name in ("id", *FLOW_FIELDS_1_13)}
                          | {f"FlowUpdate.{name}" for name in FLOW_FIELDS_1_13}
                          | {f"MessageUpdate.{name}" for name in ("category", "content_blocks", "session_metadata")}
                          | {"SimplifiedAPIRequest.user_id", "AssistantRequest.history_limit",
                             "AssistantRequest.iterations_limit"}  # (1.13's assistant limits)
                          # the config answers' fields and feature flags, and a result's token usage, 1.13 added
                          | {f"{shape}.{name}" for shape in ("ConfigResponse", "PublicConfigResponse")
                             for name in ("mcp_base_url", "enable_extension_reload", "authz_enabled",
                                          "catalog_governance_enabled", "substitute_outdated_component_code",
                                          "allow_custom_components")}
                          | {f"ConfigResponse.{name}" for name in (
                              "embedded_mode", "hide_logout_button", "hide_new_project_button",
                              "hide_new_flow_button", "hide_starter_projects", "mcp_servers_locked",
                              "custom_component_admin_only", "a2a_enabled", "agentic_experience",
                              "assistant_max_message_length", "local_vector_store_available",
                              "default_vector_store_backend", "configured_vector_store_backends",
                              "blocked_component_types")}
                          | {"PublicConfigResponse.feature_flags", "ResultData.token_usage"}
                          | {f"FeatureFlags.{name}" for name in ("wxo_deployments", "instance_migration",
                                                                 "data_subject_requests")})
# The flows list is never a page of headers there (shapes.paged_headers "full"), and
SCHEMA_RESPONSES = {"GET /api/v1/flows/": {"anyOf": [
    {"items": {"$ref": "#/components/schemas/FlowRead"}, "type": "array"},
    {"$ref": "#/components/schemas/Page_FlowRead_"},
    {"items": {"$ref": "#/components/schemas/FlowHeader"}, "type": "array"}],
    "title": "Response Read Flows Api V1 Flows  Get"},
    # the projects list is of FolderRead there (1.13 added the owner fields, FolderListRead)
    "GET /api/v1/projects/": {"items": {"$ref": "#/components/schemas/FolderRead"}, "type": "array",
                              "title": "Response Read Projects Api V1 Projects  Get"},
    # a user's deletion answers any JSON object there
    "DELETE /api/v1/users/{user_id}": {"additionalProperties": True, "type": "object",
                                       "title": "Response Delete User Api V1 Users  User Id  Delete"}}
# An uploaded file's path is typed as a filesystem path there (pydantic's Path: format "path"; 1.13 types text).
UPLOAD_PATHS = {f"{shape}.{name}": {"format": "path", "title": title, "type": "string"}
                for shape, name, title in (("UploadFileResponse", "path", "Path"),
                                           ("FlowFileUploaded", "file_path", "File Path"))}
# The public build takes the caller's graph as `data` there (build.public).
PUBLIC_BUILD_DATA = {"Body_build_public_tmp_api_v1_build_public_tmp__flow_id__flow_post.data": {
    "anyOf": [{"$ref": "#/components/schemas/FlowDataRequest"}, {"type": "null"}]}}
# A tweak's value is text or a component's parameters there (1.13 lists booleans and numbers too).
_NULLABLE = [{"type": "null"}]
_FLOW_TABLE = {"properties": {
    "name": {"type": "string", "title": "Name"},
    **{name: {"anyOf": [{"type": "string"}, *_NULLABLE], "title": name.replace("_", " ").title()}
       for name in ("description", "icon", "icon_bg_color", "gradient")},
    "data": {"anyOf": [{"additionalProperties": True, "type": "object"}, *_NULLABLE], "title": "Data"},
    "is_component": {"anyOf": [{"type": "boolean"}, *_NULLABLE], "title": "Is Component", "default": False},
    "updated_at": {"anyOf": [{"type": "string", "format": "date-time"}, *_NULLABLE], "title": "Updated At"},
    "webhook": {"anyOf": [{"type": "boolean"}, *_NULLABLE], "title": "Webhook", "default": False},
    "endpoint_name": {"anyOf": [{"type": "string"}, *_NULLABLE], "title": "Endpoint Name"},
    "tags": {"anyOf": [{"items": {"type": "string"}, "type": "array"}, *_NULLABLE], "title": "Tags", "default": []},
    "locked": {"anyOf": [{"type": "boolean"}, *_NULLABLE], "title": "Locked", "default": False},
    "mcp_enabled": {"anyOf": [{"type": "boolean"}, *_NULLABLE], "title": "Mcp Enabled", "default": False},
    "action_name": {"anyOf": [{"type": "string"}, *_NULLABLE], "title": "Action Name"},
    "action_description": {"anyOf": [{"type": "string"}, *_NULLABLE], "title": "Action Description"},
    "access_type": {"$ref": "#/components/schemas/AccessTypeEnum", "default": "PRIVATE"},
    "id": {"type": "string", "format": "uuid", "title": "Id"},
    "user_id": {"anyOf": [{"type": "string", "format": "uuid"}, *_NULLABLE], "title": "User Id"},
    "folder_id": {"anyOf": [{"type": "string", "format": "uuid"}, *_NULLABLE], "title": "Folder Id"},
    "fs_path": {"anyOf": [{"type": "string"}, *_NULLABLE], "title": "Fs Path"}},
    "type": "object", "required": ["name", "user_id"], "title": "Flow"}
# A paginated project read's flows are a page of the flow table's rows there (Page[Flow]; 1.13's are FlowRead).
PAGED_PROJECT_FLOWS = {
    "Flow": _FLOW_TABLE,
    "Page_Flow_": {"properties": {
        "items": {"items": {"$ref": "#/components/schemas/Flow"}, "type": "array", "title": "Items"},
        "total": {"type": "integer", "minimum": 0.0, "title": "Total"},
        "page": {"type": "integer", "minimum": 1.0, "title": "Page"},
        "size": {"type": "integer", "minimum": 1.0, "title": "Size"},
        "pages": {"type": "integer", "minimum": 0.0, "title": "Pages"}},
        "type": "object", "required": ["items", "total", "page", "size", "pages"], "title": "Page[Flow]"}}
SCHEMA_SHAPES = {**PAGED_PROJECT_FLOWS, "Tweaks": {
    "additionalProperties": {"anyOf": [{"type": "string"}, {"additionalProperties": True, "type": "object"}]},
    "description": "A dictionary of tweaks to adjust the flow's execution. Allows customizing flow behavior "
                   "dynamically. All tweaks are overridden by the input values.",
    "title": "Tweaks", "type": "object"},
    # a flow or project upload needs its file there (1.13 made it optional, answering a missing one itself)
    **{f"Body_upload_file_api_v1_{kind}_upload__post": {
        "properties": {"file": {"contentMediaType": "application/octet-stream", "title": "File", "type": "string"}},
        "required": ["file"], "title": f"Body_upload_file_api_v1_{kind}_upload__post", "type": "object"}
       for kind in ("flows", "projects")}}


# 1.13 leaves its MCP transports out of /openapi.json; 1.8.4 lists them (real-1.8/openapi.json), HEAD included.
MCP_TRANSPORTS = tuple(f"{prefix}{path}" for prefix in ("/api/v1/mcp", "/api/mcp")
                       for path in ("/streamable", "/streamable/"))
MCP_PROJECT_TRANSPORTS = ("/api/v1/mcp/project/{project_id}/streamable", "/api/v1/mcp/project/{project_id}/streamable/")
MCP_SCHEMA_SHOWN = frozenset(
    {f"{method} {path}" for path in (*MCP_TRANSPORTS, *MCP_PROJECT_TRANSPORTS) for method in ("GET", "POST", "DELETE")}
    | {f"GET {path}" for path in ("/api/v1/mcp/sse", "/api/mcp/sse", "/api/v1/mcp/project/{project_id}/sse")}
    | {"POST /api/v1/mcp/", "POST /api/mcp/", "POST /api/v1/mcp/project/{project_id}",
       "POST /api/v1/mcp/project/{project_id}/"})
# The assistant's routes (by handler; 1.7.1 has none), which 1.8 lists and 1.13 hides.
AGENTIC_ROUTES = frozenset({"execute_named_flow", "check_assistant_config", "assist", "assist_stream"})
AGENTIC_SCHEMA_SHOWN = frozenset({"POST /api/v1/agentic/execute/{flow_name}", "GET /api/v1/agentic/check-config",
                                  "POST /api/v1/agentic/assist", "POST /api/v1/agentic/assist/stream"})
MCP_SCHEMA_SHOWN_HEAD = frozenset({f"HEAD {path}" for path in (
    "/api/v1/mcp/sse", "/api/mcp/sse", "/api/v1/mcp/project/{project_id}/sse", "/api/v1/mcp/streamable",
    "/api/mcp/streamable", "/api/v1/mcp/project/{project_id}/streamable")})

PROFILE = Profile(
    version="1.8.4", aliases=("1.8",),
    summary="the beta Workflow API {flow_id, background, stream, inputs} behind LANGFLOW_DEVELOPER_API_ENABLED; "
            "backend-only by default",
    config_public=CONFIG_PUBLIC, config_full=CONFIG_FULL,
    routes_absent=frozenset({"healthz", "read_user", "delete_messages_sessions", "list_pending_workflows",
                             "reattach_workflow_events", "reset_password", "delete_user", "upsert_project",
                             "read_all_users", "get_transactions", "get_shared_message_sessions",
                             "get_shared_messages", "delete_shared_messages_session", "update_shared_message",
                             "rename_shared_session", "job_queue_metrics", "read_public_flow",
                             # 1.13's flow conflict routes and its A2A routes
                             "read_flow_version_state", "fork_flow", "overwrite_flow",
                             "list_flow_versions", "get_single_flow_version", "create_snapshot", "activate_version",
                             "delete_version_entry", "list_a2a_agents", "get_agent_card", "a2a_jsonrpc",
                             # 1.13's permission gate and authorization administration
                             "get_effective_permissions", "create_share", "list_shares", "get_share",
                             "update_share", "delete_share", "list_audit_log", "get_authorization_capabilities",
                             "list_roles", "read_role", "create_role", "update_role", "delete_role",
                             "list_assignments", "create_assignment", "delete_assignment", "list_teams", "read_team",
                             "create_team", "update_team", "delete_team", "list_members", "add_member",
                             "remove_member",
                             # 1.13's provider descriptors and install-wide model provider policy
                             "list_model_provider_descriptors", "read_model_provider_policy",
                             "replace_model_provider_policy",
                             # 1.13's policy bundle and catalog policy
                             "read_policy_bundle", "replace_policy_bundle", "read_policy_bundle_history",
                             "rollback_policy_bundle", "get_component_policy", "replace_component_policy",
                             "get_template_policy", "replace_template_policy", "get_component_usage",
                             "get_component_usage_flows",
                             # 1.13's audit reads
                             "read_audits", "export_audits", "read_flow_audits", "read_project_audits",
                             # 1.13's flow event queue and its template notes' texts
                             "get_flow_events", "create_flow_event", "get_note_translations",
                             # 1.13's extension events and bundle reload
                             "get_extension_events", "reload_extension_bundle",
                             # 1.13's project deployment routes
                             "read_project_deployment_snapshot", "replace_project_operation",
                             "get_project_replacement_operation",
                             # 1.13's knowledge-base routes and its knowledge-base storage upgrade
                             *KB_1_13_ROUTES,
                             # 1.13's memory bases
                             "create_memory_base", "list_memory_bases", "get_memory_base", "list_sessions",
                             "list_memory_base_messages", "update_memory_base", "delete_memory_base",
                             "flush_memory_base", "check_mismatch", "regenerate_memory_base",
                             # 1.13's assistant session reset, its sandbox's files and its headless run
                             "reset_session", "get_agentic_file", "assist_headless",
                             # 1.13's agentic MCP server
                             "agentic_mcp_health", "handle_agentic_streamable_http",
                             # 1.13's flow triggers
                             "list_triggers", "create_trigger", "get_trigger", "update_trigger",
                             "delete_trigger", "enable_trigger", "disable_trigger", "pin_trigger",
                             "list_trigger_events", "replay_trigger_event", "test_trigger",
                             "get_trigger_ingress", "rotate_trigger_signing_secret",
                             "receive_provider_delivery", "receive_slack_app_delivery",
                             # 1.13's data subject routes
                             "create_request", "list_requests", "get_request", "dry_run_request",
                             "approve_request", "refuse_request", "retry_request", "export_request",
                             "find_end_users", "find_subject", "erase_subject", "get_own_deletion_request",
                             "request_own_deletion", "withdraw_own_deletion", "export_own_data",
                             # 1.13's variable detections and public v2 workflow run
                             "detect_env_vars", "execute_public_workflow",
                             # 1.13's integration connections and catalog
                             "list_connections", "create_connection", "test_connection",
                             "refresh_connection_health", "update_connection", "revoke_connection",
                             "delete_connection", "start_connection_oauth", "bind_connection_oauth_browser",
                             "list_oauth_registrations", "complete_connection_oauth", "list_integrations",
                             "read_effective_integration_policy"}),
    schema_hidden=frozenset({"PUT /api/v1/flows/{flow_id}"}),
    schema_shown=MCP_SCHEMA_SHOWN | MCP_SCHEMA_SHOWN_HEAD | AGENTIC_SCHEMA_SHOWN, schema_shown_method="post",
    params_bounds={},
    # a trace's input and output may not be text there (1.13 widened them)
    schema_properties={f"{shape}.{name}": {"anyOf": [{"additionalProperties": True, "type": "object"},
                                                     {"type": "null"}], "title": name.title()}
                       for shape in ("TraceSummaryRead", "TraceRead") for name in ("input", "output")}
    | PUBLIC_BUILD_DATA | UPLOAD_PATHS
    | {"FolderWithPaginatedFlows.flows": {"$ref": "#/components/schemas/Page_Flow_"}},
    schema_absent=SCHEMA_ABSENT, schema_shapes=SCHEMA_SHAPES, schema_responses=SCHEMA_RESPONSES,
    params_absent=PARAMS_ABSENT,
    http=Http(frontend="static-mount", backend_only=True, root_path=False, gzip="lists", typed_json="serde",
              cors=Cors(credentials=True, vary="with-echo")),
    validation=Validation(keep_input=True, uuid_message="urn-hint", endpoint_name="string", pydantic_docs="2.11"),
    times=Times(users="naive", api_keys="naive", files="naive", transactions="naive"),
    messages=Messages(run_fields=False, log_events=False,
                      table_columns=("session_id", "timestamp", "text", "edit", "properties", "content_blocks",
                                     "flow_id", "sender_name", "context_id", "sender", "error", "files", "category",
                                     "id", "duration"),
                      v1_blocks=False, edit_extras=False, timestamps="seconds", listing="all",
                      trace_search="wildcards", trace_times="wall-clock", agent_trace="executor",
                      history_scope="session", history_window="tail", attachment_scope=False, owner_scoped=False,
                      stored_files="images", record_sweeper=False),
    auth=Auth(webhook_auth_default=False, webhook_lookup="flow-first", inactive_user_keys="accepted",
              key_use_with_request=frozenset({"user", "mcp"}), skip_auth_inactive_run="served",
              skip_auth_gone="no-credentials",
              mcp_no_key="superuser-with-auto-login", auto_login_refresh=False, default_login=True,
              superuser_password_required=False,
              login_cookies="legacy", skip_auth="api-key-routes", public_images=True,
              rate_limits=False, logs_superuser=False, open_registration=True, webhook_events="owner-check"),
    users=Users(signup="open", administration="superuser", audited=False, names="exact", created_location=False,
                list_order="created", rename_clash="database-error"),
    shapes=Shapes(hidden=HIDDEN, paged_headers="full", download="read"),
    startup=Startup(variables=False, environment_sweep=False, mcp_backfill=False, load_flows="every-key"),
    flows=Flows(patch_null_data="server-error", patch_missing_endpoint="clear", locked_guard=False,
                endpoint_numbers="strict", patch_wrapped=True,
                endpoint_taken=errors.ENDPOINT_NAME_TAKEN_OLD,
                patch_unknown=errors.FLOW_NOT_FOUND_WRAPPED, upload_errors="legacy", flow_type_param=False,
                reserved_uuid5=False, fs_path_outside="with-folder", batch_clash="400", body_ids="new",
                if_match=False, code_lines="as-sent", batch_folder="as-sent", patch_current_folder="checked",
                nodes_walked=False),
    files=Files(v1_disposition="run-on", v1_image_headers=False, v2_disposition="quoted", zip_disposition="bare",
                zip_names="as-is", v2_rename_unknown="500", mcp_config_file="file", v2_names="cut",
                picture_names="traversal", v1_upload_paths=False),
    projects=Projects(download_empty="500", download_failure=errors.NONE_HAS_NO_GET, sealed_on_create=False,
                      assistant_refusal=errors.ASSISTANT_UNDELETABLE_OLD, name_rules=False,
                      default_fallback="recreate", download_disposition="encoded",
                      name_numbers="strict", page_params="defaults", search="like", flows_of="anyone",
                      listed_examples_name=False, parent_check=False, rename_taken="500",
                      upload_names="stored"),
    run=Run(failed_not_found=True, token_usage=False, usage_totals=False, advanced_result="lean",
            tweak_values="strings", tweak_writes="1.8",
            data_text="orjson-3.10", hitl_refused=False, foreign_flow="forbidden", form_bodies=False, tweak_floor=False,
            protected_globals=False, restricted_files=False, env_fallback_guard=False, secret_credentials=False,
            default_field_binding=False, table_row_flags=False, orphaned_tools=False, human_input=False,
            responses_flows="any-by-id", responses_errors="plain", responses_dedup=False,
            agent_steps="group", tool_errors=False, frozen_results="shared", cached_session="fails",
            serving_identity=False, model_selection=False, model_streams="chat-output",
            agent_calculator=False, structured_response=False, agent_prompt_values=False, read_file_report=False,
            message_text_values="refused",
            if_else_cases="raw", sticky_repr=True, branch_merges="off", parser_lists=False,
            table_text="plain", table_class="DataFrame", table_cells="cut", table_numbers="0.9",
            split_text="1.8"),
    # lfx 0.3.4's sliders have no slider_color or value_inverted (custom_components below): the model components'
    # temperature
    catalog=Catalog(class_names=False, display_names=False,
                    dropped_keys=(("*", frozenset({"api_editable"})),
                                  *((f"{name}.temperature", frozenset({"slider_color", "value_inverted"}))
                                    for name in ("LanguageModelComponent", "OpenAIModel", "AnthropicModel",
                                                 "OllamaModel"))),
                    earlier_templates=frozenset({"LanguageModelComponent", "Agent", "File", "ParserComponent",
                                                 "TypeConverterComponent"}),
                    unknown_types=frozenset({"JSON", "Table"}), legacy=(("Pass", ("logic.ConditionalRouter",)),),
                    output_forms=(("Webhook", "output_data", "Data", "Data"),
                                  ("Memory", "messages_text", "Message", "Message"),
                                  ("Memory", "dataframe", "Dataframe", "DataFrame"),
                                  ("SplitText", "dataframe", "Chunks", "DataFrame")),
                    dependency_versions=(("orjson", "3.10.15"), ("fastapi", "0.135.1"), ("pandas", "2.2.3"),
                                         ("langchain_text_splitters", "0.3.11"))),
    build=Build(output_meta=False, unknown_job=errors.BUILD_JOB_QUEUE_NOT_FOUND, drained_reget="headers",
                empty_flow_direct="hangs", owner_scoped=False, vertex_build_job="none", public="open",
                edge_handles="before-nodes", edge_types="exact"),
    mcp=Mcp(unknown_project="500", project_auth="key-or-superuser", sse_switch=False, sse_messages_auth=False,
            tool_names="base-name", install_key="apikey-projects", resources="unscoped", sdk_version="1.26.0",
            server_edits="legacy", server_names="tool-rules", sdk_pin=False, server_follows_auth=False,
            tool_list="unscoped", tool_order="created", servers_lock=False, install_client="first-forwarded",
            stdio_policy=False, stdio_admin_only=False, tool_failures="content", request_variables="headers",
            servers_file_checked=False, unconfigured_server=False),
    workflows=Workflows(dialect="beta", developer_api_gate=True, failed_error_detail=False,
                        build_run_job=False),
    prompts=Prompts(mustache="regex", reserved_prefix=False, api_editable=False),
    custom_code=CustomCode(gate=False, check="import", modules="1.8"),
    # lfx 0.3.4's build of posted component source (Data and DataFrame kept their names; no custom-code gate)
    custom_components=CustomComponents(saved_class=False, lfx_version="0.3.4", type_names=(),
                                       untyped_output="NoneType", data_input="DataInput",
                                       input_keys_absent=frozenset({"SliderInput.slider_color",
                                                                    "SliderInput.value_inverted",
                                                                    "TableInput.input_types"}),
                                       tools="legacy"),
    knowledge_bases=KnowledgeBases(guarded=False, base_id="name-on-read", ended_job_fails=True,
                                   separator_fallback=False, preview_separator="\n"),
    models=Models(catalog="1_8", dialect="legacy"),
    assistant=Assistant(dialect="flows"),
    # lfx 0.3.4's model providers: OpenAI, Anthropic, Google Generative AI, Ollama, IBM WatsonX
    variables=Variables(order="created", type_change_guard=False, empty_listed=(), delete_missing="service-text",
                        provider_keys=("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "OLLAMA_BASE_URL",
                                       "WATSONX_APIKEY"),
                        environment=ENVIRONMENT_VARIABLES_1_8, environment_overwrite="unedited", undecryptable="empty",
                        listed_tokens="opened", environment_fields=ENVIRONMENT_FIELDS_1_8, agentic_environment="text",
                        provider_check="requests", agentic_default=False, model_pruning="catalog",
                        pruned_models=(("OpenAI", ("OPENAI_API_KEY",)), ("Anthropic", ("ANTHROPIC_API_KEY",)),
                                       ("Google Generative AI", ("GOOGLE_API_KEY",)), ("Ollama", ("OLLAMA_BASE_URL",)),
                                       ("IBM WatsonX", ("WATSONX_APIKEY",))),
                        model_catalog="1_8",
                        placeholder_keys=("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "WATSONX_APIKEY")),
)
