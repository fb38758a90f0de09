"""Langflow 1.7.1, the release the v1 API reference documents: no v2 Workflow API, frontend pages for every
API 404, flat message events without build_start, key-style auth texts (real-1.7.1/NOTES.md)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mock_langflow import errors
from mock_langflow.profiles import v1_8
from mock_langflow.profiles.model import Cors

CONFIG_FULL: dict[str, Any] = {
    "feature_flags": {"mvp_components": False}, "serialization_max_items_length": 1000,
    "serialization_max_text_length": 6000, "frontend_timeout": 0, "auto_saving": True, "auto_saving_interval": 1000,
    "health_check_max_retries": 5, "max_file_size_upload": 1024, "webhook_polling_interval": 5000,
    "public_flow_cleanup_interval": 3600, "public_flow_expiration": 86400, "event_delivery": "streaming",
    "webhook_auth_enable": False, "voice_mode_available": False, "default_folder_name": "Starter Project",
    "hide_getting_started_progress": False,
}

_18 = v1_8.PROFILE

# lfx 0.2.2's VARIABLES_TO_GET_FROM_ENVIRONMENT: 1.8's without the IBM WatsonX names, which lfx 0.3 added.
ENVIRONMENT_VARIABLES_1_7_1 = tuple(n for n in v1_8.ENVIRONMENT_VARIABLES_1_8 if not n.startswith("WATSONX_"))

# Routes 1.13 and 1.8.4 serve but leave out of /openapi.json, which 1.7.1 lists (real-1.7.1/openapi.json):
# its MCP transports without HEAD, login, API keys, variables, the folders alias, the legacy routes, the
# Store checks, the code check and the prompt check.
SCHEMA_SHOWN = v1_8.MCP_SCHEMA_SHOWN | frozenset({
    "POST /api/v1/build/{flow_id}/vertices", "POST /api/v1/build/{flow_id}/vertices/{vertex_id}",
    "GET /api/v1/build/{flow_id}/{vertex_id}/stream",
    "POST /api/v1/login", "GET /api/v1/auto_login", "POST /api/v1/refresh", "POST /api/v1/logout",
    "GET /api/v1/api_key/", "POST /api/v1/api_key/", "DELETE /api/v1/api_key/{api_key_id}",
    "POST /api/v1/api_key/store",
    "GET /api/v1/variables/", "POST /api/v1/variables/", "PATCH /api/v1/variables/{variable_id}",
    "DELETE /api/v1/variables/{variable_id}",
    "GET /api/v1/folders/", "POST /api/v1/folders/", "GET /api/v1/folders/{folder_id}",
    "PATCH /api/v1/folders/{folder_id}", "DELETE /api/v1/folders/{folder_id}",
    "GET /api/v1/folders/download/{folder_id}", "POST /api/v1/folders/upload/",
    "GET /api/v1/task/{_task_id}", "POST /api/v1/process/{_flow_id}", "POST /api/v1/predict/{_flow_id}",
    "POST /api/v1/upload/{flow_id}", "POST /api/v1/run/session/{flow_id_or_name}",
    "GET /api/v1/store/check/", "GET /api/v1/store/check/api_key", "POST /api/v1/validate/code",
    "POST /api/v1/validate/prompt", "POST /api/v1/custom_component", "POST /api/v1/custom_component/update",
    "GET /api/v1/knowledge_bases", "GET /api/v1/knowledge_bases/", "DELETE /api/v1/knowledge_bases",
    "DELETE /api/v1/knowledge_bases/", "GET /api/v1/knowledge_bases/{kb_name}",
    "DELETE /api/v1/knowledge_bases/{kb_name}",
    "GET /api/v2/registration/", "POST /api/v2/registration/",
})

_NULLABLE_TEXT = {"anyOf": [{"type": "string"}, {"type": "null"}]}
_OBJECT = {"additionalProperties": True, "type": "object"}
TRANSACTION_PAGE = {
    "TransactionLogsResponse": {"properties": {
        "timestamp": {"type": "string", "format": "date-time", "title": "Timestamp"},
        "vertex_id": {"type": "string", "title": "Vertex Id"},
        "target_id": {**_NULLABLE_TEXT, "title": "Target Id"}, "inputs": {**_OBJECT, "title": "Inputs"},
        "outputs": {**_OBJECT, "title": "Outputs"}, "status": {"type": "string", "title": "Status"},
        "error": {**_NULLABLE_TEXT, "title": "Error"},
        "flow_id": {"type": "string", "format": "uuid", "title": "Flow Id"},
        "id": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}], "title": "Id"}},
        "type": "object", "required": ["vertex_id", "status", "flow_id"], "title": "TransactionTable"},
    "Page_TransactionLogsResponse_": {"properties": {
        "items": {"items": {"$ref": "#/components/schemas/TransactionLogsResponse"}, "type": "array",
                  "title": "Items"},
        "total": {"type": "integer", "minimum": 0.0, "title": "Total"},
        "page": {"type": "integer", "minimum": 1.0, "title": "Page"},
        "size": {"type": "integer", "minimum": 1.0, "title": "Size"},
        "pages": {"type": "integer", "minimum": 0.0, "title": "Pages"}},
        "type": "object", "required": ["items", "total", "page", "size", "pages"], "title": "Page[TransactionTable]"}}

# 1.7.1's knowledge bases (api/v1/knowledge_bases.py, listed in its document): a directory each, typed with the
# nine fields of its own KnowledgeBaseInfo
KB_HIDDEN = v1_8.HIDDEN["KnowledgeBaseInfo"] | frozenset({
    "dir_name", "chunk_size", "chunk_overlap", "separator", "status", "failure_reason", "last_job_id", "source_types",
    "column_config"})
def _kb_field(name: str, kind: str, default: Any = None) -> dict[str, Any]:
    title = name.replace("_", " ").title()
    if kind == "text?":
        return {"anyOf": [{"type": "string"}, {"type": "null"}], "title": title, "default": default}
    return {"type": kind, "title": title, **({} if default is None else {"default": default})}


KNOWLEDGE_BASE_INFO: dict[str, Any] = {
    "properties": {"id": _kb_field("id", "string"), "name": _kb_field("name", "string"),
                   "embedding_provider": _kb_field("embedding_provider", "text?", "Unknown"),
                   "embedding_model": _kb_field("embedding_model", "text?", "Unknown"),
                   **{name: _kb_field(name, "integer", 0) for name in ("size", "words", "characters", "chunks")},
                   "avg_chunk_size": _kb_field("avg_chunk_size", "number", 0.0)},
    "type": "object", "required": ["id", "name"], "title": "KnowledgeBaseInfo"}
KB_RESPONSES: dict[str, dict[str, Any]] = {
    f"GET /api/v1/knowledge_bases{slash}": {
        "items": {"$ref": "#/components/schemas/KnowledgeBaseInfo"}, "type": "array",
        "title": f"Response List Knowledge Bases Api V1 Knowledge Bases {slash and ' '}Get"} for slash in ("", "/")}
KB_RESPONSES["GET /api/v1/knowledge_bases/{kb_name}"] = {"$ref": "#/components/schemas/KnowledgeBaseInfo"}

PROFILE = replace(
    _18, version="1.7.1", aliases=("1.7",),
    summary="the release the v1 API reference documents: no v2 Workflow API, API 404s answered with the frontend page",
    config_public=None, config_full=CONFIG_FULL,
    routes_absent=_18.routes_absent | {"upsert_flow", "expand_compact_flow", "get_session", "get_build_events_public",
                                         "cancel_build_public", "get_traces", "get_trace",
                                         "delete_trace", "delete_traces_by_flow", *v1_8.AGENTIC_ROUTES,
                                         # 1.7.1's knowledge bases are only listed, read and deleted (its
                                         # Knowledge Ingestion component makes and fills them)
                                         "create_knowledge_base", "preview_chunks", "ingest_files_to_knowledge_base",
                                         "get_knowledge_base_chunks", "cancel_ingestion",
                                         # the model catalog routes came with 1.8
                                         "list_model_providers", "list_models", "get_model_provider_mapping",
                                         "get_enabled_providers", "validate_provider", "get_enabled_models",
                                         "update_enabled_models", "get_default_model", "set_default_model",
                                         "clear_default_model", "get_language_model_options_endpoint",
                                         "get_embedding_model_options_endpoint", "webhook_events_stream"},
    params_absent=_18.params_absent | {"POST /api/v2/files ephemeral", "POST /api/v2/files/ ephemeral"},
    schema_hidden=frozenset(),
    # 1.7.1's document also lists no API key expiry, variable type on an edit, OAuth callback URL in an MCP
    # project's auth settings, nor a message's build duration and token usage; it takes an MCP server's config
    # as any JSON object (real-1.7.1/openapi.json).
    schema_absent=_18.schema_absent | {"ApiKeyCreate.expires_at", "VariableUpdate.type",
                                       "AuthSettings.oauth_callback_url", "Properties.build_duration",
                                       "Properties.usage", "ConfigResponse.type"},
    # its older FastAPI lists no input nor context in a validation error
    schema_shapes={**_18.schema_shapes, "KnowledgeBaseInfo": KNOWLEDGE_BASE_INFO,
                   "MCPServerConfig": {"additionalProperties": True, "title": "Server Config",
                                       "type": "object"},
                   "ValidationError": {
                       "properties": {"loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                                              "type": "array", "title": "Location"},
                                      "msg": {"type": "string", "title": "Message"},
                                      "type": {"type": "string", "title": "Error Type"}},
                       "type": "object", "required": ["loc", "msg", "type"], "title": "ValidationError"},
                   # its transactions are a page of the table's rows (Page[TransactionTable]), under those names
                   **TRANSACTION_PAGE},
    # auto-login, refresh, logout and an API key's storing and deletion answer untyped there
    schema_responses={**_18.schema_responses, **KB_RESPONSES, "GET /api/v1/auto_login": {}, "POST /api/v1/refresh": {},
                      "POST /api/v1/logout": {}, "POST /api/v1/api_key/store": {},
                      "DELETE /api/v1/api_key/{api_key_id}": {},
                      # its config has no public shape
                      "GET /api/v1/config": {"$ref": "#/components/schemas/ConfigResponse"}},
    # the file table's shape is plainly File there (no other module's File reaches the document's name)
    schema_names={**_18.schema_names, "UserFileRead": "File", "TransactionLogsResponse": "TransactionTable",
                  "Page_TransactionLogsResponse_": "Page_TransactionTable_"},
    # a variable's creation lists its times there (the body's own; the server sets them), and files are binary
    # a login's token always has its refresh token there (auto-login's, which has none, is untyped), and an API
    # key's activity and use count list their defaults
    schema_properties={**_18.schema_properties, **{
        f"VariableCreate.{name}": {"anyOf": [{"format": "date-time", "type": "string"}, {"type": "null"}],
                                   "title": name.replace("_", " ").title()} for name in ("created_at", "updated_at")},
        "Token.refresh_token": {"title": "Refresh Token", "type": "string"},
        "VertexBuildResponse.data": {"additionalProperties": True, "type": "object"},  # (a plain serializer's)
        **{f"{shape}.is_active": {"default": True, "title": "Is Active", "type": "boolean"}
           for shape in ("ApiKeyRead", "UnmaskedApiKeyRead")},
        **{f"{shape}.total_uses": {"default": 0, "title": "Total Uses", "type": "integer"}
           for shape in ("ApiKeyRead", "UnmaskedApiKeyRead")}},
    schema_files="binary-format",
    # a variable's and an API key's fields have defaults there, so the document requires only these
    schema_optional=_18.schema_optional
    | {f"VariableRead.{name}" for name in ("name", "type", "value", "default_fields")}
    | {f"{shape}.{name}" for shape in ("ApiKeyRead", "UnmaskedApiKeyRead")
       for name in ("is_active", "last_used_at", "name", "total_uses")},
    schema_shown=SCHEMA_SHOWN, schema_shown_method="get",
    # sign-up depends on Langflow's superuser check there (the mock's handler checks the caller itself), and
    # the deprecated upload takes no credentials there (the mock asks for the caller's, a deviation)
    schema_security={"POST /api/v1/users/": "token-or-key", "POST /api/v1/upload/{flow_id}": "none"},
    http=replace(_18.http, frontend_404="page", backend_only=False, typed_json="json",
                 cors=Cors(simple_origin="*", credentials=True, vary="with-echo", private_network=False)),
    auth=replace(_18.auth, user_no_credentials="api-key-texts", user_bad_key=errors.INVALID_OR_MISSING_API_KEY,
                 bad_jwt=errors.COULD_NOT_VALIDATE, expired_jwt=errors.COULD_NOT_VALIDATE,
                 jwt_wrong_type=errors.TOKEN_IS_INVALID, bad_jwt_www_authenticate=True, jwt_user_gone="joined",
                 auto_login_disabled_status=400, auto_login_disabled_message=errors.AUTO_LOGIN_DISABLED_OLD,
                 skip_auth="everywhere", config="authenticated", public_images=False,
                 token_cookie=False, inactive_key_user_routes="inactive-user",
                 key_use_with_request=frozenset({"mcp"}), skip_auth_inactive=errors.INACTIVE_USER),
    # Sign-up needs a superuser; a user may deactivate itself; a password reset for another user is a 400; any
    # signed-in user deletes any user's API key (its delete_api_key looks the key up by id alone).
    users=replace(_18.users, signup="superuser", self_deactivation=False, reset_other_status=400, key_delete="any"),
    files=replace(_18.files, v1_name_check=False, mcp_config_file="file-renewed"),
    projects=replace(_18.projects, foreign_tokens="sealed"),
    shapes=replace(_18.shapes, hidden={**_18.shapes.hidden, "KnowledgeBaseInfo": KB_HIDDEN,
                                       "VertexBuild": frozenset({"job_id"}),
                                       "VariableRead": _18.shapes.hidden["VariableRead"]
                                       | {"validation_error", "is_valid"},
                                       "ValidatePromptRequest": frozenset({"mustache"})}),
    variables=replace(_18.variables, patch="value-always", listing="all", provider_keys=(), fernet_values="sealed",
                      patch_type=False, environment_overwrite="always", placeholder_keys=(),
                      environment=ENVIRONMENT_VARIABLES_1_7_1, environment_fields=(),
                      undecryptable="fails", listed_tokens="opened-or-kept", provider_check="none",
                      agentic_sign_ins=frozenset({"login"}), listed_others="none", pruned_models=()),
    messages=replace(_18.messages, property_usage=False, event="flat", transactions="never", traces=False,
                     stream_complete=False, builds_per_vertex=2),
    flows=replace(_18.flows, foreign_folder="kept"),
    run=replace(_18.run, stream_errors="empty", tweak_writes="1.7.1", field_fallback=False, responses_finish=False,
                agent_blank_tokens=False, split_text="1.7.1"),
    # 0.7.1's queue sweep drops failed jobs only, and stops for good at the first cancelled one it meets.
    build=replace(_18.build, build_start=False, end="empty", forgotten=frozenset({"failed"}), public="sent-data",
                  client_request_time=True, duration_places=2),
    mcp=replace(_18.mcp, sdk_version="1.25.0", request_variables="none", starter_entry_kept="project"),
    catalog=replace(_18.catalog,
                    dropped_keys=(*_18.catalog.dropped_keys, ("ChatInput.input_value", frozenset({"password"}))),
                    absent_fields=(("TextInput", frozenset({"use_global_variable"})),
                                   ("Prompt Template", frozenset({"use_double_brackets"})),
                                   ("SplitText", frozenset({"clean_output"}))),
                    # (langchain 0.3's newest text splitters, as 1.8's: no recording names 1.7.1's release)
                    dependency_versions=(("orjson", "3.10.15"), ("fastapi", "0.125.0"), ("lfx", "0.2.1"),
                                        ("pandas", "2.2.3"), ("langchain_text_splitters", "0.3.11"))),
    workflows=replace(_18.workflows, dialect="absent"),
    prompts=replace(_18.prompts, mustache="none", invalid_prefix="Error: "),
    custom_code=replace(_18.custom_code, modules="1.7.1"),
    custom_components=replace(_18.custom_components, lfx_version="0.2.2", int_value="",
                              input_keys_absent=_18.custom_components.input_keys_absent | {"MultilineInput.password"}),
    knowledge_bases=replace(_18.knowledge_bases, base_id="name", titled_names=True),
)
