"""Langflow's error answers: one class per error, each string copied verbatim from the recordings.

Handlers raise these and nothing else; `install_error_handlers` renders every one of them, FastAPI's own
HTTP errors and validation errors in the body shapes real Langflow 1.13 sends.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, ValidationError, create_model, field_validator

# --- auth (facts 1-8) --------------------------------------------------------------------------------
AUTO_LOGIN_NEEDS_KEY = (
    "Since v1.5, LANGFLOW_AUTO_LOGIN requires a valid API key. Set LANGFLOW_SKIP_AUTH_AUTO_LOGIN=true to skip "
    "this check. Please update your authentication method."
)
API_KEY_MUST_BE_PASSED = "An API key must be passed as query or header"
INVALID_OR_MISSING_API_KEY = "Invalid or missing API key"
NO_CREDENTIALS = "No authentication credentials provided"
INVALID_API_KEY = "Invalid API key"
API_KEY_AUTH_FAILED = "API key authentication failed"
TOKEN_AUTH_FAILED = "Token authentication failed"  # nosec B105: an error text, not a password
# A project MCP transport without a key, when the project wants one (api/v1/mcp_projects.py verify_project_auth).
PROJECT_KEY_REQUIRED = "API key required for this project. Provide x-api-key header or query parameter."
PROJECT_OAUTH_KEY_REQUIRED = (
    "This project is configured for OAuth authentication, but the MCP transport endpoint currently requires a "
    "valid x-api-key header or query parameter for backend access. Credential forwarding from MCP Composer is not "
    "yet available; use an API key in the meantime."
)
PROJECT_OWNER_NOT_FOUND = "Project owner not found"
# A project MCP transport serving the superuser (no key wanted) when no user has the superuser's name any more.
SUPERUSER_FALLBACK_GONE = "Invalid user"
# /auto_login with nobody of the superuser's name and no other superuser either
SUPERUSER_NOT_CREATED = "Super user hasn't been created"
# bandit B105 is a false positive here: an error text Langflow sends, not a password.
INVALID_TOKEN = "Invalid token"  # nosec B105
COULD_NOT_VALIDATE = "Could not validate credentials"  # a bad JWT before 1.8
SUPERUSER_NOT_FOUND = "Superuser not found"  # skip-auth's superuser deleted since (1.13 user routes)
SUPERUSER_NOT_IN_DATABASE = "Superuser not found in database"  # the same on 1.13's /run
TOKEN_EXPIRED = "Token has expired"  # nosec B105: an expired access token (1.8, 1.13)
INVALID_TOKEN_TYPE = "Invalid token type"  # nosec B105: a refresh token sent as an access token (1.8, 1.13)
TOKEN_IS_INVALID = "Token is invalid."  # nosec B105: the same in 1.7.1
AUTO_LOGIN_DISABLED = "Auto login is disabled."
# 1.13 will not start with auto-login off unless LANGFLOW_SUPERUSER_PASSWORD is set, and not to the legacy default
# (texts naming the setting, no passwords)
SUPERUSER_PASSWORD_MISSING = (  # nosec B105
    "Username and password must be set. Set LANGFLOW_SUPERUSER_PASSWORD before starting Langflow. If you are "
    "upgrading an existing auto-login installation, see "
    "https://docs.langflow.org/next/api-keys-and-authentication#upgrade-from-auto-login")
SUPERUSER_PASSWORD_LEGACY = "LANGFLOW_SUPERUSER_PASSWORD cannot use the legacy default password"  # nosec B105
AUTO_LOGIN_DISABLED_OLD = "Auto login is disabled. Please enable it in the settings"  # 1.7.1
INCORRECT_LOGIN = "Incorrect username or password"
# bandit B105 is a false positive here: an error text Langflow sends, not a password.
INVALID_REFRESH_TOKEN = "Invalid refresh token"  # nosec B105
WEBHOOK_KEY_REQUIRED = "API key required when webhook authentication is enabled"
WEBHOOK_NOT_OWNER = "Access denied: You can only execute webhooks for flows you own"  # before 1.13, auth on
API_KEY_NOT_FOUND = "API Key not found"
# --- flows and projects (facts 31-36, 41) -------------------------------------------------------------
FLOW_NOT_FOUND = "Flow not found"
TRACE_NOT_FOUND = "Trace not found"  # /monitor/traces/{id}: unknown, or of a flow not the caller's (1.8, 1.13)
NO_RUN_PERMISSION = "You do not have permission to run this flow"  # before 1.13: a run of a flow not the caller's


def flow_owner_not_found(identifier: str) -> str:
    """A webhook (auth off) of a flow without an owner: an example flow."""
    return f"User for flow {identifier} not found"

ENDPOINT_NAME_TAKEN = "Endpoint name must be unique"
ENDPOINT_NAME_TAKEN_OLD = " flow must be unique"  # before 1.13, with its leading space
FLOW_NOT_FOUND_WRAPPED = "404: Flow not found"  # PATCH of an unknown flow before 1.13
PATCH_NULL_DATA = "argument of type 'NoneType' is not iterable"  # PATCH of a flow without data before 1.13
NAME_TAKEN = "Name must be unique"
ID_TAKEN = "Id must be unique"  # a batch create whose insert fails on the flow id (1.13 maps it to 409)
FLOW_LOCKED = "Flow is locked. Unlock it before making changes."  # 1.13: a change to a locked flow (423)
FOLDER_NOT_FOUND = "Folder not found"
DUPLICATE_UPLOAD_IDS = "Invalid upload: duplicate flow IDs are not allowed"
NO_FLOWS_FOUND = "No flows found."
NO_FILE_PROVIDED = "No file provided"
EMPTY_UPLOAD = "The uploaded file is empty"  # 1.13's flow and project uploads
PROJECT_NOT_FOUND = "Project not found"
NO_FLOWS_IN_PROJECT = "No flows found in project"
CODE_LINES_NOT_STRINGS = "Code lines must all be strings"  # 1.13's flow models, a code field sent as lines
PROJECT_DOWNLOAD_FAILED = "An internal error occurred while downloading project flows."
# Python's own text where Langflow's export reads the graph of a flow that has none (all releases).
NONE_HAS_NO_GET = "'NoneType' object has no attribute 'get'"
# Langflow keeps its assistant's flows in a project of this name, which nobody may delete (api/v1/projects.py).
ASSISTANT_PROJECT = "Langflow Assistant"
ASSISTANT_UNDELETABLE = f"Cannot delete the '{ASSISTANT_PROJECT}' folder, which contains pre-built flows."
ASSISTANT_UNDELETABLE_OLD = f"Cannot delete the '{ASSISTANT_PROJECT}' folder, that contains pre-built flows."
PROJECT_NAME_TAKEN = "Project name must be unique"
PROJECT_UPSERT_MOVES = ("flows_list/components_list are not supported when updating an existing project; set a "
                        "flow's project via PUT /api/v1/flows/{flow_id} instead.")
PROJECT_NAME_EMOJI = "Project names cannot contain emoji"
PROJECT_NAME_NO_ALNUM = "Project names must contain at least one letter or number"
PARENT_PROJECT_NOT_FOUND = "Parent project not found"
RESERVED_FLOW_ID = "UUID5 flow IDs are reserved for public execution histories."
BLOCKED_TEMPLATES = "Only superusers can include blocked catalog templates."
BLOCKED_COMPONENTS = "Only superusers can include blocked catalog components."
# 1.13's policy bundle (api/v1/policy_bundle.py, services/policy_bundle.py) and catalog policy routes
POLICY_BUNDLE_CONFLICT = "Policy bundle revision conflict"
POLICY_REVISION_MISSING = "Policy bundle revision {revision} is missing"
POLICY_ROLLBACK_REASON = "Rollback to policy bundle revision {revision}"
USAGE_COMPONENT_BLANK = "component must not be blank"
CATALOG_BLOCKS_COMPONENTS = "Flow build blocked: catalog policy blocks components: "  # then the names, sorted
# 1.13's policy on posted component source (api/v1/custom_component_policy.py): the catalog's, then the routes' own
CODE_BLOCKS_COMPONENTS = "Catalog policy blocks components: "  # then the names, sorted
CODE_VALIDATION_DISABLED = "Custom component validation is disabled"
CODE_VALIDATION_ADMIN_ONLY = "Custom component validation is restricted to administrators"
# POST /custom_component, /custom_component/update (1.13): custom code refused, a built type the policy blocks
CUSTOM_CODE_DISABLED = "Custom component creation is disabled"
CUSTOM_CREATION_ADMIN_ONLY = "Custom component creation is restricted to administrators"
CUSTOM_EDITING_ADMIN_ONLY = "Custom component editing is restricted to administrators"
# A flow's fs_path: every release checks it the same way (the absolute-path text names the folder before 1.13).
FS_PATH_EMPTY = "fs_path cannot be empty"
FS_PATH_TRAVERSAL = "Invalid fs_path: directory traversal (..) is not allowed"
FS_PATH_NUL = "Invalid fs_path: null bytes are not allowed"
FS_PATH_OUTSIDE = "Absolute path must be within your flows directory"
VARIABLE_NOT_FOUND = "Variable not found"
USER_NOT_FOUND = "User not found"
# --- v2 file names (1.13 refuses these on upload and rename; earlier releases take any name) ------------
FILE_NAME_UNSAFE = "Invalid file name: paths, '..', NUL, CR/LF, and unsafe Unicode formatting are forbidden."
FILE_NAME_TOO_LONG = "File name is too long. Maximum 255 bytes allowed."
FILE_NAME_NOTHING_LEFT = "Invalid file name after sanitization"
PICTURE_TRAVERSAL = "Path traversal patterns ('..') are not allowed in folder or file names"
PICTURE_SEPARATORS = "File name cannot contain path separators ('/' or '\\')"


def simple_segment(label: str) -> str:
    return f"Invalid {label}. Use a simple {label} without directory paths or '..'."


def picture_folders(folders: Iterable[str]) -> str:
    return f"Folder must be one of: {', '.join(sorted(folders))}"
# --- users (Langflow 1.13.0's users module; 1.8.4 and 1.7.1 where the profile says so) ---------------------
USERNAME_UNAVAILABLE = "This username is unavailable."
# Before 1.13 a PATCH onto a taken username answers the database's error as text: SQLAlchemy's IntegrityError
# names the UPDATE it ran, whose SET list holds the columns that changed in the table's order, and its values.
USER_TABLE_COLUMNS = ("username", "password", "profile_image", "is_active", "is_superuser", "create_at",
                      "updated_at", "last_login_at", "store_api_key", "optins")
SQLALCHEMY_PARAM_CHARS = 300  # a longer value's repr keeps its first and last 150 characters


def _sqlite_param(value: object) -> str:
    """A value as SQLAlchemy's SQLite dialect binds it (booleans as 1/0, times as text, JSON as text), shown as its
    error text shows it."""
    if isinstance(value, bool):
        value = int(value)
    elif isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d %H:%M:%S.%f")
    elif isinstance(value, dict | list):
        value = json.dumps(value)
    text = repr(value)
    if len(text) > SQLALCHEMY_PARAM_CHARS:
        half = SQLALCHEMY_PARAM_CHARS // 2
        text = f"{text[:half]} ... ({len(text) - SQLALCHEMY_PARAM_CHARS} characters truncated) ... {text[-half:]}"
    return text


def _unique_update_failed(table: str, constraint: str, sets: dict[str, object], row_id: UUID) -> str:
    """SQLAlchemy 2.0's text of an UPDATE of `table` (setting `sets`, in the table's column order) that a UNIQUE
    constraint on SQLite refused."""
    params = ", ".join([*(_sqlite_param(value) for value in sets.values()), repr(row_id.hex)])
    # The SQL is only quoted in the error text, as SQLAlchemy words it; nothing runs it (bandit's B608 below).
    return (f"(sqlite3.IntegrityError) UNIQUE constraint failed: {constraint}\n"
            f"[SQL: UPDATE {table} SET {', '.join(f'{c}=?' for c in sets)} WHERE {table}.id = ?]\n"  # nosec B608
            f"[parameters: ({params})]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)")


def username_clash(changed: dict[str, object], user_id: UUID) -> str:
    """`changed`: the user's columns the UPDATE sets, by name, updated_at included."""
    return _unique_update_failed("user", "user.username", {c: changed[c] for c in USER_TABLE_COLUMNS if c in changed},
                                 user_id)


SIGNUP_DISABLED = "Public user registration is disabled."
WAITING_FOR_APPROVAL = "Waiting for approval"
ACCOUNT_INACTIVE = "User account is inactive"
JWT_USER_GONE = "User not found or is inactive."
INACTIVE_USER = "Inactive user"
NOT_ENOUGH_PRIVILEGES = "The user doesn't have enough privileges"
PERMISSION_DENIED = "Permission denied"
USER_MANAGE_REQUIRED = "Permission denied: user:manage is required."
SELF_DEACTIVATION = "You can't deactivate your own user account"
SELF_DELETION = "You can't delete your own user account"
SUPERUSER_PROMOTION_DENIED = "Only a superuser may promote or demote platform superusers"
CHANGE_NOT_HERE = "You can't change your password here"
NOT_YOUR_ACCOUNT = "You can't change another user's password"
SIGN_IN_TO_CHANGE = "Sign in interactively to change your password"
WRONG_CURRENT = "Current password is incorrect"
SAME_AS_CURRENT = "You can't use your current password"
NEW_ONE_REQUIRED = "Password is required for password reset"
# Langflow 1.13 names the kind of refusal in a header on these.
ADMINISTRATION_DENIED = {"X-Langflow-Error-Code": "administration_denied"}
SUPERUSER_REQUIRED = {"X-Langflow-Error-Code": "superuser_required"}
INTERACTIVE_LOGIN_REQUIRED = {"X-Langflow-Error-Code": "interactive_login_required"}
# --- 1.13's data subject routes (api/v1/data_subjects.py, data_subjects_self.py) --------------------------------
SIGN_IN_FOR_OWN_DATA = "Sign in interactively to manage your own data"
NO_DELETION_REQUEST = "No deletion request"
NO_PENDING_DELETION_REQUEST = "No pending deletion request"
SUPERUSER_ERASES_SUPERUSER = "Only a superuser may erase a platform superuser"
# --- POST /api/v1/validate/prompt (lfx base/prompts/api_utils.py, utils/mustache_security.py): each a 500 -------
PROMPT_BAD_VARIABLES = ("Input variables contain invalid characters or formats. \nInvalid variables: {wrong}.\n"
                        "Empty variables: {empty}. \nFixed variables: {fixed}.")
PROMPT_RESERVED_NAMES = ("Invalid input variables: {names}. Variable names cannot start with `_` because that "
                         "prefix is reserved for internal template fields.")  # 1.13
PROMPT_FORBIDDEN_NAMES = "Invalid input variables. None of the variables can be named {names}. "
MUSTACHE_COMPLEX = ("Complex mustache syntax is not allowed. Only simple variable substitution like {{variable}} "
                    "is permitted.")
MUSTACHE_BAD_TAG = "Invalid mustache variable: {tag}. Only simple variable names like {{{{variable}}}} are allowed."
MUSTACHE_BAD_SYNTAX = ("Invalid template syntax. Check that all {{variables}} have matching opening and closing "
                       "braces.")
MUSTACHE_UNCLOSED = "unclosed tag at line {line}"  # the mustache tokenizer's own text
# --- the log retriever (/logs, /logs-stream): its buffer is off unless LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE > 0 -----
LOG_RETRIEVAL_DISABLED = "Log retrieval is disabled"
# --- MCP (fact 42; mcp_* exchanges, Langflow's mcp_projects and v2 mcp modules) -----------------------
MCP_UNSUPPORTED_CLIENT = "Unsupported client"
MCP_CLAUDE_UNSUPPORTED_OS = "Unsupported operating system for Claude configuration"
MCP_INSTALL_NOT_LOCAL = "MCP configuration can only be installed from a local connection"
MCP_COMPOSER_DISABLED = "OAuth authentication is set but MCP Composer is disabled in settings"
MCP_COMPOSER_URL_FAILED = "Failed to get MCP Composer URL. See logs for details."
MCP_SERVER_EXISTS = "Server already exists."
MCP_SERVER_NOT_FOUND = "Server not found."
MCP_STDIO_RESTRICTED = "MCP stdio servers are restricted to administrators when custom code execution is restricted."


def mcp_server_not_configured(name: str) -> str:
    """1.13's MCP Tools component at run time: neither the user's server list nor the node holds its server."""
    return (f"MCP server '{name}' is not configured. Add a server with this name in Settings > MCP Servers before "
            "running this flow.")
MCP_SERVERS_LOCKED = "MCP server configuration is locked. Contact an administrator to manage external MCP servers."
MCP_SERVERS_FILE_NOT_JSON = "Invalid MCP servers config: not valid JSON"
MCP_SERVERS_FILE_NO_SERVERS = "Invalid MCP servers config: expected an 'mcpServers' object"
# Before 1.13, the answer of every server route while the user's MCP servers file holds no JSON.
MCP_SERVERS_FILE_UNREADABLE = "Invalid server configuration file format."


def mcp_servers_file_entry_invalid(name: str, validation_error: str) -> str:
    return f"Invalid MCP server '{name}': {validation_error}"


MCP_MASK_WITHOUT_VALUE = "A redacted MCP credential can only preserve an existing value."
MCP_MASKED_HEADERS_CHANGED = "Redacted MCP header arguments require unchanged header names and duplicate counts."
MCP_MASKED_ARG_WITHOUT_VALUE = "A redacted MCP argument can only preserve an existing header value."


def mcp_server_name_immutable(path_name: str, body_name: object) -> str:
    return (f"Server name is immutable and is determined by the URL path ('{path_name}'); it cannot be set or "
            f"changed via the request body (got '{body_name}'). To rename a server, delete it and create a new one.")
MCP_NOT_RUNNING = "MCP Streamable HTTP transport is not initialized"
MCP_NO_TOOLS = "No tools found"
# Mock-only: ?action_count=true on a server the mock would have to start or connect to.
MCP_EXTERNAL_SERVER = "Error loading server: mock-langflow does not start or connect to MCP servers outside itself"
# --- files v1 and v2 (facts 37-39) ---------------------------------------------------------------------
FILE_NOT_FOUND = "File not found"
NO_FILES_TO_PROCESS = "No files to process."  # a File component given no file
UNSUPPORTED_FILE_EXTENSION = "Unsupported file extension: {suffix}"  # one Read File does not read
# Before 1.13, Read File logs a file it fails to read from the worker thread that read it, where lfx has no component
# to log to: that RuntimeError, not the file's, fails the component.
FILE_LOG_OUTSIDE_COMPONENT = "called add_log but no component context found"


def file_not_found(path: str, resolved: str) -> str:
    """A File component's file that is not there: the path it got, and where that resolved."""
    return f"File not found: '{path}' (resolved to: '{resolved}'). Please upload the file again."

NO_FILES_FOUND = "No files found"
NO_FLOWS_IN_FILE = "No flows found in the file"  # a project upload of an empty file
NO_FLOWS_IN_DATA = "No flows found in the data"  # a project upload without flows, before 1.13
# Langflow's own texts for refusals the recordings do not show (api/v1/files.py, services/storage/local.py).
FILE_NAME_PATH_SEPARATORS = "Invalid file name: contains path separators"  # 1.13: a v1 upload's name with a path
MULTIPART_REQUIRED = "Content-Type header must be 'multipart/form-data' with a boundary parameter."
BOUNDARY_INVALID = "Invalid boundary format"
MULTIPART_FRAMING = "Invalid multipart formatting"
INVALID_FILE_ENCODING = "Invalid file encoding"
ENDPOINT_NOT_AVAILABLE = "This endpoint is not available"  # /run/session before 1.13 (agentic flag off)
# The assistant's routes (langflow/agentic/api/router.py, services/flow_executor.py, helpers/flow_loader.py)
ASSISTANT_NO_PROVIDER = "No model provider is configured. Please configure at least one model provider in Settings."
ASSISTANT_PROVIDER_NOT_CONFIGURED = "Provider '{provider}' is not configured. Available providers: {available}"
ASSISTANT_MISSING_CONFIGURATION = ("Missing required configuration for {provider}: {keys}. "
                                   "Please configure these in Settings > Model Providers.")
ASSISTANT_FLOW_FAILED = "An error occurred while executing the flow."
ASSISTANT_FLOW_FILE_NOT_FOUND = "Flow file '{name}' not found"
ASSISTANT_INVALID_FLOW_FILENAME = "Invalid flow filename: '{name}'"
# 1.13's (agentic/api/deps.py, router.py, files_router.py, services/flow_types.py)
ASSISTANT_ADMIN_ONLY = "The Langflow Assistant is restricted to administrators on this server."
ASSISTANT_INVALID_FLOW_ID = "Invalid flow_id: not a valid UUID."
ASSISTANT_FLOW_NOT_FOUND = "Flow not found."
ASSISTANT_OFF_TOPIC = ("I appreciate your interest, but I'm the Langflow Assistant and can only help with "
                       "Langflow-related topics such as building components, creating flows, configuring "
                       "deployments, and troubleshooting issues. Could you rephrase your question about Langflow?")
SANDBOX_INVALID_PATH = "Invalid path"
SANDBOX_NOT_FOUND = "Not found"
SANDBOX_TOO_LARGE = "File too large"
SANDBOX_BINARY = "Binary content not supported"
# 1.8's /assist with a negative max_retries: its retry loop never runs, so the result it returns was never set
ASSISTANT_NO_ATTEMPT = "cannot access local variable 'result' where it is not associated with a value"
# --- build (facts 18-24) -----------------------------------------------------------------------------
BUILD_JOB_NOT_FOUND = "Job not found: {job_id}"
BUILD_JOB_QUEUE_NOT_FOUND = "Job not found: Job queue not found for job_id: {job_id}"  # before 1.13
# The public (shareable playground) build, api/v1/chat.py build_public_tmp and api/utils/flow_utils.py.
NO_CLIENT_ID = "No client_id cookie found"
PUBLIC_FLOW_NOT_FOUND = "Flow not found"  # 1.13: unknown, or not PUBLIC; neither told apart
FLOW_NOT_PUBLIC = "Flow is not public"  # before 1.13 (a 403)
PUBLIC_FLOW_NOT_EXECUTABLE = "This flow cannot be executed."  # 1.13: a public flow without data
# 1.13: a failed vertex's error text in a build whose caller gets no error details (the public build)
SAFE_WORKFLOW_ERROR = "Workflow execution failed."
PUBLIC_JOB_NOT_FOUND = "Job not found"  # 1.13: a job not started by the public build, no id echoed
INVALID_FILE_ENTRY = "Invalid file entry"
INVALID_FILE_PATH = "Invalid file path"
INVALID_FILE_PATH_FORMAT = "Invalid file path format"
FILE_NOT_IN_FLOW = "File not in this flow's namespace"
PUBLIC_FILE_NAME_INVALID = "Invalid filename"  # "<flow id>/." (".." is an invalid path already)
# A build of a flow whose data is null: its error Message's text and reason, and v1's closing bare error.
NO_DATA_DETAIL = "Invalid flow ID"
NO_DATA_TEXT = f"{NO_DATA_DETAIL}\n"
NO_DATA_REASON = "**HTTPException**\n - **An unknown error occurred.**\n"
NO_DATA_TRACEBACK = "mock-langflow: the flow has no data, so there is no graph"  # Langflow's is a real traceback
# What lfx's Graph.from_payload raises for a graph missing a part it reads (engine/graph.py graph_fault): a key
# a node or edge lacks (its KeyError, rewrapped), an edge naming no node, a node's data without its id.
GRAPH_KEY_MISSING = "Error while creating graph from payload: '{key}'"
VERTEX_NOT_FOUND = "Vertex {vertex_id} not found"
VERTEX_DATA_WITHOUT_ID = "Vertex data for {display_name} does not contain an id"
# lfx's process_tweaks, which a v1 run calls before the graph loader, for a graph without a list of nodes
TWEAKS_WITHOUT_NODES = "graph_data should contain a list of nodes under 'data' key or directly under 'nodes' key"
# --- component failures inside a run (the text after "Error building Component <name>: \n\n") ---------
# real-1.8 wf_doc_inputs_int_value: a Chat Input whose input_value is not text
PROTECTED_TWEAK = "The field is protected and keeps the value set by the flow author."
# 1.13's LANGFLOW_TWEAKS_POLICY: `declared` (a flow marking fields api_editable lets a run tweak only those) and `off`
# (no tweak, nor an input aimed at a component); several reasons in one refusal are joined in this order
DECLARED_TWEAK = ("This flow declares which fields the API may set. Only fields marked editable via API accept a "
                  "tweak.")
OFF_TWEAK = "This deployment does not accept tweaks."
TWEAK_REASONS = (PROTECTED_TWEAK, DECLARED_TWEAK, OFF_TWEAK)
TARGETED_INPUTS_REFUSED = "This deployment does not accept component-targeted inputs."
# 1.13's model selection (lfx's unified models, as a Language Model or an Agent builds its model): no selection, a
# chosen model without a provider, a model name the catalog does not know, overrides with nothing to override
MODEL_SELECTION_REQUIRED = "A model selection is required"
AGENT_NO_MODEL = "No model selected. Please select a language model from the available options."
SELECTION_WITHOUT_PROVIDER = ("The selected model is missing a provider. Please reselect a model from the dropdown so "
                              "the component knows which provider to use.")
UNKNOWN_MODEL_NAME = ("The selected model is missing a provider. Please reselect a model from the dropdown in the "
                      "Language Model field so the component knows which provider's API key to use.")
OVERRIDES_WITHOUT_SELECTION = ('Error running method "{method}": Model name/provider overrides require a built-in '
                               "model selection, not a connected model object.")
# a table field's value that is neither None nor a list of mappings, as the graph makes its vertices' parameters
TABLE_VALUE_REFUSED = "Invalid value type {kind} for table field {name}"
# a Chat Output no edge feeds (its input is a handle field, which only an edge fills)
CHAT_OUTPUT_NO_INPUT = "Input data cannot be None"
# a Prompt Template whose template is empty (or null): lfx's parameters leave the field out, and formatting None fails
PROMPT_TEMPLATE_NONE = 'Error running method "build_prompt": expected str, got NoneType'
# 1.13's Agent Structured Response (engine/structured.py): an answer with no JSON in it
STRUCTURED_NO_JSON = "Try setting an output schema"
# The mock's own: a script rule's tool_calls where they are not emulated (1.13 logs an agent's tool steps as its
# model provider shapes them: emulated for the providers the runner's TOOL_TURNS names), and a scripted tool the agent
# does not have (a model is only offered the agent's tools).
SCRIPT_TOOL_CALLS_UNSUPPORTED = (
    "tool_calls are scripted for an Agent whose model provider is {providers} on Langflow {version} (this one's: "
    "{provider})")
SCRIPT_TOOL_ERROR_UNSUPPORTED = (
    "Scripted tool call {name!r} has an error: a failing tool is emulated for a component's tool on Langflow 1.13 "
    "only (this one: {what})")
SCRIPT_TOOL_UNKNOWN = "Scripted tool call {name!r}: {component} has no such tool (its tools: {tools})"
# 1.13's v1 runs (/run, /run/advanced, webhooks, MCP tools) of a flow that would pause for a person.
HITL_UNSUPPORTED = (
    "This flow uses Human-in-the-Loop (a Human Input node or a tool that requires approval), which the "
    "v1 run API cannot execute because it cannot pause and resume. Run it with the v2 workflows API instead: "
    "POST /api/v2/workflows with mode='background', then resume via POST /api/v2/workflows/{job_id}/resume."
)

# 1.13 (LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS, on by default): a run's file field naming a path outside the caller's
# and the flow's storage folders (another user's file, another flow's, a bare local path), and one that is no text.
LOCAL_FILE_ACCESS_DENIED = (
    "Access to local file paths outside the authenticated user's storage scope is disabled "
    "(LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS=true). Use an uploaded file instead."
)
FILE_VALUE_NOT_A_PATH = "FileInput values must be file path strings."
RUNTIME_FILE_NOT_A_PATH = "Runtime FileInput tweaks must provide a file path."  # an object naming no file_path
# ... and a resolved path that starts with exactly two slashes ("<folder>///x" joins to "//x"), before the scope
LOCAL_UNC_PATH_DENIED = "Access to UNC and device file paths is not permitted."
# ... and a path holding a NUL byte, which pathlib's resolve refuses with Python's own ValueError (its text up to
# Python 3.12; 3.13 says "lstat: embedded null character in path"): no refusal, so a build answers it with a 500
LOCAL_PATH_NUL = "embedded null byte"
# 1.13 with LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS=false: any path is read, but a relative "<namespace>/<name>"
# storage key must name the caller's or the flow's folder (compared case-insensitively), and be well formed.
STORAGE_NAMESPACE_DENIED = (
    "Access to a storage namespace outside the authenticated user's or executing flow's scope is not permitted."
)
STORAGE_FILE_NAME_INVALID = "Invalid storage file name: contains path separators or traversal sequences."
RELATIVE_FILE_PATH_INVALID = "Relative FileInput paths must not contain backslash separators or traversal sequences."


def storage_path_invalid(path: str) -> str:
    """1.13, restriction off: a storage key with nothing after its folder ("<folder>/")."""
    return f"Invalid storage path '{path}'. Expected '<namespace>/<file_name>'."


def tweak_conflict(kind: str) -> str:
    """A run's input_value and a tweak of the chat or text input's input_value (fact 12)."""
    return f"If you pass an input_value to the {kind} input, you cannot pass a tweak with the same name."


class VariableUndecryptable(Exception):
    """A run's global variable whose stored value does not decrypt, where the release's decryption raises
    (1.7.1): cryptography's InvalidToken, whose text is empty, fails the vertex."""

    error_type = "InvalidToken"
    reason = ""

    def __init__(self, name: str, *, credential: bool) -> None:
        super().__init__(name)
        self.credential = credential  # a Credential's is refused in a Session ID field before any decryption


def variable_not_found(name: str) -> str:
    """A build's vertex whose field loads a global variable neither the request nor the user holds."""
    return f"{name} variable not found."


# 1.13 hands a Credential's value to a component wrapped as a secret, which only a password field takes: these
# input types refuse it when their field validator runs (pydantic's text names the secret as the input), ...
_SECRET_REFUSED_BY_VALUE = frozenset({"StrInput", "IntInput", "FloatInput", "MessageInput", "MultiselectInput",
                                      "NestedDictInput", "TableInput"})
# ... these when their model validator runs, pydantic's text showing the input object shortened to its first
# and last fields (the last one's value as the template has it)
_SECRET_REFUSED_BY_MODEL = {"MessageTextInput": ("tool_mod", "track_in_telemetry"),
                            "MultilineInput": ("tool_mode=", "copy_field"),
                            "QueryInput": ("separator=None", "track_in_telemetry")}


# ... these because the secret is not of their value's type: (pydantic's complaint, its error type)
_SECRET_REFUSED_BY_TYPE = {"BoolInput": ("Value error, Value must be a boolean", "value_error"),
                           "DictInput": ("Input should be a valid dictionary", "dict_type"),
                           "McpInput": ("Input should be a valid dictionary", "dict_type"),
                           "ToolsInput": ("Input should be a valid list", "list_type")}


def credential_refusal_type(input_type: str) -> str:
    """The exception type of credential_in_plain_field's refusal: a Tab input raises a plain TypeError."""
    return "TypeError" if input_type == "TabInput" else "ValidationError"


def credential_in_plain_field(input_type: str, name: str, entry: dict[str, Any]) -> str | None:
    """The validation error 1.13 raises when a field that is not a password field loads a Credential variable
    (None: the input type takes it, or the mock does not know its text)."""
    if input_type == "TabInput":
        return "TabInput value must be a string. Got SecretStr."
    if input_type in _SECRET_REFUSED_BY_TYPE:
        complaint, kind = _SECRET_REFUSED_BY_TYPE[input_type]
        # a boolean input gets no value at all (seen live: the secret never reaches it)
        given = ("None, input_type=NoneType" if input_type == "BoolInput"
                 else "SecretStr('**********'), input_type=SecretStr")
        return (f"1 validation error for {input_type}\nvalue\n  {complaint} [type={kind}, "
                f"input_value={given}]\n"
                f"    For further information visit https://errors.pydantic.dev/2.13/v/{kind}")
    reason = (f"Value error, Cannot use a Credential-typed global variable in '{name}'. Credential variables are "
              "only allowed in secret fields (API keys, tokens, etc.) to prevent the value from being exposed in "
              "component outputs, logs, or traces. Either select a Generic-typed variable, or change this "
              "variable's type to Generic if it is not actually sensitive.")
    tail = "\n    For further information visit https://errors.pydantic.dev/2.13/v/value_error"
    if input_type in _SECRET_REFUSED_BY_VALUE:
        return (f"1 validation error for {input_type}\nvalue\n  {reason} [type=value_error, "
                f"input_value=SecretStr('**********'), input_type=SecretStr]{tail}")
    if input_type in _SECRET_REFUSED_BY_MODEL and not (input_type == "MultilineInput" and entry.get("password")):
        head, last = _SECRET_REFUSED_BY_MODEL[input_type]
        shown = f"{input_type}({head}"
        end = f"{last}={bool(entry.get(last, False))}"
        if input_type == "MultilineInput":
            end += ", password=False"
        end += ")"
        return (f"1 validation error for {input_type}\n  {reason} [type=value_error, "
                f"input_value={shown[:25]}...{end[-24:]}, input_type={input_type}]{tail}")
    return None


def credential_in_session_id(name: str) -> str:
    """A vertex whose Session ID field loads a Credential variable (Langflow raises a TypeError)."""
    return (f"variable {name} of type 'Credential' cannot be used in a Session ID field because its purpose is to "
            "prevent the exposure of values.")


MESSAGE_FIELDS_MISSING = "The message does not have the required fields (text, sender, sender_name)."
# --- the v2 Workflow API (1.13 facts 25-30; real-1.8/NOTES.md section 3) ------------------------------
DEVELOPER_API_DISABLED_MESSAGE = "Developer API is not enabled. Contact administrator to enable this feature."
STREAMING_NOT_IMPLEMENTED = "Streaming execution not yet implemented"
JOB_ID_REQUIRED = "Job ID must be provided"
# --- A2A (1.13's api/v1/a2a.py, a2a_executor.py) ------------------------------------------------------
A2A_KEY_REQUIRED = "API key required"
A2A_AUTH_UNSUPPORTED = "A2A access is disabled for this agent: unsupported folder auth type {auth_type!r}."
A2A_FLOW_FAILED = "Flow execution failed"
# the status text of an A2A task waiting for a person whose Human Input has no prompt (1.13's executor)
A2A_INPUT_REQUIRED = "Input required"
A2A_DEFAULT_DESCRIPTION = "A2A agent for flow {name}"
A2A_KEY_DESCRIPTION = "API key passed in the x-api-key header."
# the a2a SDK's JSON-RPC errors
A2A_TASK_NOT_FOUND = "Task not found"
A2A_METHOD_NOT_FOUND = "Method not found"
A2A_INVALID_PARAMS = "Invalid params"
A2A_INVALID_REQUEST = "Invalid Request"
A2A_BATCH_UNSUPPORTED = "Batch requests are not supported"
A2A_METHOD_REQUIRED = "Method is required"
A2A_TASK_NOT_CANCELABLE = "Task cannot be canceled"
A2A_NEGATIVE_HISTORY_LENGTH = "history length must be non-negative"
A2A_TASK_ID_NOT_FOUND = "Task {task_id} not found"
A2A_TASK_ENDED = "Task {task_id} is in terminal state: {state}"
A2A_CONTEXT_MISMATCH = "Context {context_id} does not match context {task_context} of task {task_id}"
# 1.13's own refusal of a resubscribe without a run in progress (a2a.py on_subscribe_to_task)
A2A_NO_ACTIVE_STREAM = "Task {task_id} has no active stream to resubscribe to"
A2A_VALIDATION_FAILED = "Validation failed"
# 1.13's checks of a push notification webhook (a2a_utils.validate_webhook_url)
A2A_WEBHOOK_SCHEME = "webhook url must be http or https"
A2A_WEBHOOK_NO_HOST = "webhook url has no host"
A2A_WEBHOOK_INVALID_HOST = "webhook url has an invalid host: {reason}"
A2A_WEBHOOK_NOT_ALLOWED = "webhook url is not allowed: {reason}"
A2A_WEBHOOK_BLOCKED = "webhook url resolves to a blocked address: {addresses}"
# --- 1.13's integration connections and catalog (api/v1/connections.py, integrations.py, services/connection/) ---
CONNECTION_NOT_FOUND = "Connection not found"
CONNECTION_EXISTS = "A connection with this provider and name already exists"  # 409
INSTANCE_CONNECTION_CREATE = "Only a superuser may create an instance connection."
INSTANCE_CONNECTION_CHANGE = "Only a superuser may change or remove an instance connection."
NON_INTERACTIVE_OWNER_ONLY = "Only the connection owner may allow non-interactive use."
INCLUDE_BLOCKED_INTEGRATIONS = "Only superusers can include blocked integrations."
OAUTH_REGISTRATION_NOT_CONFIGURED = "OAuth registration ID is not configured."  # 400 at oauth/start
OAUTH_FAILED_PAGE = "OAuth authorization failed. Return to connections and start again."  # 400, text/html
OAUTH_TOO_MANY_PAGE = (  # 429, text/html, the OAuth pages' rate limit (its wait in seconds)
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many OAuth attempts</title></head><body>'
    "<h1>Too many OAuth attempts</h1><p>Wait about {seconds} seconds, then return to Settings &rarr; Connections "
    "and start again.</p></body></html>")
# Langflow's checks of a manually entered Slack credential (services/connection/slack_credentials.py), 422
SLACK_APP_SCOPE = "The connections:write scope belongs to Slack app-level tokens (xapp-) only."
SLACK_APP_TOKEN_OWN = "An app-level token backs your own Slack triggers, so it must be your own connection."  # nosec B105
SLACK_APP_TOKEN_BOT = "A Slack app-level token acts as the app, so its identity must be 'bot'."  # nosec B105
SLACK_APP_TOKEN_FOREVER = "Slack app-level tokens neither expire nor refresh; remove refresh_token and expires_at."  # nosec B105
# --- 1.13's flow triggers (api/v1/triggers.py, services/triggers/) -------------------------------------
TRIGGER_NOT_FOUND = "Trigger not found"
TRIGGER_EVENT_NOT_FOUND = "Event not found"
TRIGGER_VERSION_NOT_FOUND = "Flow version not found for this trigger's flow."
TRIGGER_VERSION_WITHOUT_DATA = "A trigger cannot pin a flow version without flow data."
TRIGGER_DEPLOYMENT_REQUIRED = "A deployment binding requires deployment_id."
TRIGGER_MECHANISM_SET = "mechanism_id is derived from the trigger's connection and cannot be set."
TRIGGER_CANVAS_FIELDS = "This trigger's configuration and connection are set on its component in the flow."
TRIGGER_CONNECTION_NOT_OWNED = (
    "A trigger can only use a connection its owner owns. Choose one of your own connections; "
    "shared and instance connections cannot back a trigger.")
TRIGGER_DEAD_NOT_DISABLED = "A dead trigger cannot be disabled."
TRIGGER_DEAD_NOT_TESTED = "Trigger is dead and cannot be tested."
TRIGGER_NOT_INBOUND_WEBHOOK = "Only inbound webhook triggers have an owner-managed signing secret."
INGRESS_NOT_FOUND = "Not found"  # every refusal of the unauthenticated ingress routes


def version_entry_pinned(version_id: UUID) -> str:
    return f"Version entry {version_id} is pinned by a trigger and cannot be deleted. Unpin it first."


def trigger_canvas_only(kind: str) -> str:
    return f"A {kind!r} trigger is created by adding its component to the flow, not through this API."


def trigger_not_enableable(state: str) -> str:
    return f"Trigger in state {state!r} cannot be enabled."


def trigger_replay_window(days: int) -> str:
    return f"Event is outside the {days}-day replay window."


def trigger_binding_unsupported(target: str) -> str:
    return (f"Trigger binding target {target!r} is stored but not dispatched in this release; "
            "re-bind the trigger to its flow to run it.")


# --- generic -----------------------------------------------------------------------------------------
NOT_FOUND = "Not Found"
METHOD_NOT_ALLOWED = "Method Not Allowed"
TASK_DEPRECATED = (
    "The /task endpoint is deprecated and will be removed in a future version. Please use /run instead."
)
PROCESS_DEPRECATED = (
    "The /process endpoint is deprecated and will be removed in a future version. Please use /run instead."
)


def job_cancelled(job_id: object) -> str:
    """The answer of POST /api/v2/workflows/stop that stopped (or, in 1.8, flipped) a job."""
    return f"Job {job_id} cancelled successfully."


def job_already_cancelled(job_id: object) -> str:
    return f"Job {job_id} is already cancelled."


def flow_file_missing(file_name: str, flow_id: object) -> str:
    """files_v1_download_missing: the storage error's text (also an MCP resources/read of a missing file)."""
    return f"File {file_name} not found in flow {flow_id}"


def not_an_image(content_type: str) -> str:
    return f"Content type {content_type} is not an image"


def extension_not_found(file_name: str) -> str:
    """A v1 image whose name ends with a dot."""
    return f"Extension not found for file {file_name}"


def profile_picture_not_found(folder_name: str, file_name: str) -> str:
    return f"Profile picture {folder_name}/{file_name} not found"


def content_too_large(limit_mb: int, got_bytes: int) -> str:
    """Fact 39: 'Maximum allowed is 1MB and got 1.0MB.'"""
    return f"Content size limit exceeded. Maximum allowed is {limit_mb}MB and got {got_bytes / 1024 / 1024:.1f}MB."


def mcp_client_not_installed(client: str) -> str:
    """mcp_project_install_cursor: the client's name as sent, capitalised."""
    name = client.capitalize()
    return f"{name} is not installed on this system. Please install {name} first."


def mcp_settings_updated(flows: int) -> str:
    return f"Updated MCP settings for {flows} flows and project auth settings"


def mcp_installed(client: str, *, replaced: list[str]) -> str:
    if not replaced:
        return f"Successfully installed MCP configuration for {client}"
    return f"Successfully reinstalled MCP configuration for {client} (replaced existing servers: {', '.join(replaced)})"


MESSAGE_ATTACHMENT_SCOPE = "Message attachment is outside the permitted storage scope."


def variable_column_null(column: str) -> str:
    """A variable PATCH setting `name` or `value` to null: Langflow's columns are NOT NULL, and its route answers
    the database's refusal as a 500 with this text (SQLite's, within SQLAlchemy's wording)."""
    return f"NOT NULL constraint failed: variable.{column}"


def project_rename_clash(columns: dict[str, object], project_id: UUID, *, autoflushed: bool) -> str:
    """Before 1.13, the 500's detail of a project PATCH to a name another of the owner's projects has: the text of
    the SQLAlchemy 2.0 error that the folder table's (user_id, name) constraint causes in SQLite, for an UPDATE of
    `columns` (in table order, with their bound values). `autoflushed`: a query flushed the new name first (the MCP
    server rename's), the session was rolled back, and the update's own flush reports that with the first error."""
    failure = _unique_update_failed("folder", "folder.user_id, folder.name", columns, project_id)
    if not autoflushed:
        return failure
    return ("This Session's transaction has been rolled back due to a previous exception during flush. To begin a "
            "new transaction with this Session, first issue Session.rollback(). Original exception was: (raised as "
            "a result of Query-invoked autoflush; consider using a session.no_autoflush block if this flush is "
            f"occurring prematurely)\n{failure} (Background on this error at: https://sqlalche.me/e/20/7s2a)")


def generic_looks_encrypted(name: str) -> str:
    return (f"Generic variable '{name}' cannot start with 'gAAAAA' as this is reserved for encrypted values. "
            "Please use a different value.")


def url_without_adapter(url: str) -> str:
    """requests' refusal (InvalidSchema) of a URL whose scheme is not http(s): 1.8's check of an Ollama base URL
    answers it as a 400."""
    return f"No connection adapters were found for {url!r}"


def url_without_scheme(url: str) -> str:
    """requests' refusal (MissingSchema) of a URL without any scheme."""
    return f"Invalid URL {url!r}: No scheme supplied. Perhaps you meant https://{url}?"


def connector_url_refused(url: str) -> str:
    """1.13's connector SSRF guard refusing a URL that is not http(s) with a host (its provider checks: Ollama's
    base URL, WatsonX's URL)."""
    return (f"Connector URL must be an http(s) URL with a host for SSRF validation; got {url!r}. Use an explicit "
            "scheme (e.g. 'http://host:port'); to reach an internal host, also add it to LANGFLOW_SSRF_ALLOWED_HOSTS "
            "(allowlisting alone does not permit a scheme-less host).")


CONNECTOR_URL_BACKSLASH = "URL contains a backslash, which is not permitted"
# 1.13's check of a WatsonX key, finding no model to try it with (it could not ask the endpoint for its models)
WATSONX_NO_MODEL = "No IBM WatsonX chat model is available to validate credentials"
OLLAMA_URL_INVALID = "Invalid Ollama base URL"  # lfx's check of Ollama settings without a base URL
# The /models routes (1.13 api/v1/models.py, model_provider_policy.py; 1.8 api/v1/models.py)
MODEL_PROVIDER_NOT_FOUND = "Model provider not found"  # 404: a provider 1.13's policy does not know or allow
MODELS_BATCH_TOO_LARGE = "Cannot update more than 100 models at once"  # 400
FLOW_OR_PROJECT = "Provide either flow_id or project_id, not both"  # 422: a /models read scoped by both (1.13)


def model_unavailable(reason: str, model: str) -> str:
    return f"Cannot enable {reason} model: {model}"  # 400: a deprecated or not supported model (1.13)


# 1.13's model-provider policy at run time (lfx ModelProviderPolicyError, code "policy_blocked"): a provider outside
# the approved list, and a model its blocked keys name (the name as Python's repr shows it, the provider's id)
MODEL_POLICY_ERROR = "ModelProviderPolicyError"
MODEL_POLICY_CODE = "policy_blocked"
MODEL_PROVIDER_UNAVAILABLE = "The requested model provider is not available"


def model_blocked(model: str, provider_id: str) -> str:
    return (f"The requested model is not available: {model!r} ({provider_id}) is blocked by the current model "
            "provider policy. Ask an administrator to enable it.")


def provider_check_failed(provider: str, error: str) -> str:
    return f"Validation failed for {provider}: {error}"  # 400: enabling a model of a provider its check refuses


# 1.13's check of an Azure AI Foundry key needs a package langflow-base does not install: every key is refused
AZURE_AI_FOUNDRY_UNCHECKABLE = ("Azure AI Foundry credential validation requires the 'langchain-azure-ai' package, "
                                "but it is not installed.")


def ssrf_address_blocked(host: str) -> str:
    """1.13's SSRF guard refusing a URL whose host is an address in a blocked range (private, loopback...)."""
    return (f"Access to IP address {host} is blocked by SSRF protection. To allow this IP, add it to "
            "LANGFLOW_SSRF_ALLOWED_HOSTS environment variable.")


def mcp_server_conflict(server: str, project: str, project_id: UUID, operation: str) -> str:
    """A project's MCP server name held by another project's server, on a project create or rename."""
    if operation == "create":
        return (f"MCP server name conflict: '{server}' already exists for a different project. "
                f"Cannot create MCP server for project '{project}' (ID: {project_id})")
    return (f"MCP server name conflict: '{server}' exists for a different project. "
            f"Cannot update MCP server for project '{project}' (ID: {project_id})")


def file_name_reserved(name: str) -> str:
    return f"Invalid file name. '{name}' is a reserved system name."


def mcp_disconnected(error: Exception, *, project: bool = False) -> str:
    return f"{'Project ' if project else ''}MCP Server disconnected, error: {error}"


# What a failed tools/call carries as its text (the result has isError true).
MCP_PUBLIC_FLOW_REFUSED = "This flow cannot be executed through a public MCP project."


def mcp_no_tools_built(excluded: list[dict[str, str]]) -> str:
    """A project's tools/list (1.13) when no flow of it could be made a tool."""
    details = "; ".join(f"{item['tool_name']} ({item['flow_id']}): {item['reason']}" for item in excluded)
    return f"No MCP tools could be built. Excluded flows: {details}"


def mcp_tool_not_found(name: str) -> str:
    return f"Flow with name '{name}' not found"


def mcp_tool_elsewhere(name: str, project_id: UUID) -> str:
    """Before 1.13 a project's tools/call looks the name up among all the caller's flows, then refuses one that
    is in another project."""
    return f"Flow '{name}' not found in project {project_id}"


def mcp_tool_failed(flow_name: str, error: object) -> str:
    return f"Error Executing the {flow_name} tool. Error: {error}"


def mcp_tool_blocked(flow_name: str, error: object) -> str:
    """1.13: a tool whose flow uses a component the catalog policy blocks."""
    return f"Flow build blocked for the {flow_name} tool. Error: {error}"


def mcp_run_500(message: str) -> str:
    """1.13: a tool's failed run as the text of the 500 its run raises ("<status>: <detail>"), the detail being the
    /run error body's JSON as pydantic writes it (non-ASCII kept)."""
    body = {"message": message, "traceback": None, "description": None, "code": None, "suggestion": None}
    return f"500: {json.dumps(body, separators=(',', ':'), ensure_ascii=False)}"


class _RunRequestText(BaseModel):
    """The one field of Langflow's simplified run request a tool call can hand a wrong type, under its name."""

    model_config = ConfigDict(title="SimplifiedAPIRequest", defer_build=True)  # built by the first call to refuse
    input_value: str | None = None


def pydantic_text(exc: ValidationError, pydantic_docs: str) -> str:
    """A validation error's text as Langflow's pydantic writes it: the docs link naming the release it shipped."""
    return re.sub(r"errors\.pydantic\.dev/[^/]+/", f"errors.pydantic.dev/{pydantic_docs}/", str(exc))


@cache
def _data_model(title: str) -> type[BaseModel]:
    """lfx's Data (1.13: JSON) as far as its `data` field's check goes, under the release's class name."""
    return create_model(title, __config__=ConfigDict(defer_build=True), data=(dict[str, Any], ...))


def data_refused(value: object, title: str, pydantic_docs: str) -> str | None:
    """The validation error lfx's Data(data=value) raises for a value that is no dict (a JSON list or string), as
    pydantic writes it under the release's class name ("JSON" in 1.13, "Data" before); None when it is a dict."""
    return _refusal(lambda: _data_model(title)(data=value), pydantic_docs)


def _refusal(check: Callable[[], object], pydantic_docs: str) -> str | None:
    """The text of the validation error the check raises, as Langflow's pydantic writes it; None when it passes."""
    try:
        check()
    except ValidationError as exc:
        return pydantic_text(exc, pydantic_docs)
    return None


class _MessageText(BaseModel):
    """lfx 0.3/0.2's Message as far as its `text` field's check goes: a text, a stream, or None."""

    model_config = ConfigDict(title="Message", arbitrary_types_allowed=True, defer_build=True)
    text: str | AsyncIterator[Any] | Iterator[Any] | None = ""


def message_text_refused(value: object, pydantic_docs: str) -> str | None:
    """The validation error lfx 0.3/0.2's Message(text=value) raises for a value that is no text, stream or None
    (a JSON number, list or object), as pydantic writes it; None when it takes the value."""
    return _refusal(lambda: _MessageText(text=value), pydantic_docs)


# Webhook: the status of a `data` text that is no JSON (lfx's build_data), the payload text after it
WEBHOOK_INVALID_JSON = "Invalid JSON payload. Please check the format.\n\n{data}"


def mcp_input_value_refused(value: object, pydantic_docs: str) -> str | None:
    """The validation error Langflow raises when a tool call's input_value is neither text nor null (None: it
    takes the value); pydantic writes it, its docs link naming the release Langflow shipped with."""
    return _refusal(lambda: _RunRequestText(input_value=value), pydantic_docs)


MCP_SSE_DISABLED = "SSE transport is disabled. Use the Streamable HTTP endpoint."
MCP_INVALID_FILENAME = "Invalid filename"
MCP_RESOURCE_DENIED = "Resource not found or access denied"


def mcp_invalid_resource(uri: str) -> str:
    return f"Invalid URI format: {uri}"


# Before 1.13 a message list's order_by is getattr(MessageTable, name).asc(): a name the class does not have fails
# with AttributeError(name); one it has that is no column fails on `.asc`, naming the type of what it found (a
# method names its function). These are the class's own members and the table and pydantic ones it is sure to
# have; any other name is taken as one it does not have.
_MESSAGE_TABLE_MEMBERS = {
    **dict.fromkeys(("serialize_timestamp", "validate_files", "validate_session_id", "from_message",
                     "validate_flow_id", "validate_properties_or_content_blocks",
                     "serialize_properties_or_content_blocks", "model_validate", "model_validate_json",
                     "model_validate_strings", "model_construct", "model_copy", "model_dump", "model_dump_json",
                     "model_json_schema", "model_rebuild", "model_post_init", "model_parametrized_name",
                     "sqlmodel_update", "__init__"), "function"),
    **dict.fromkeys(("model_config", "model_fields", "model_computed_fields", "__sqlmodel_relationships__"),
                    "dict"),
    **dict.fromkeys(("__tablename__", "__module__", "__name__", "__qualname__"), "str"),
    "__table__": "Table", "metadata": "MetaData", "__mapper__": "Mapper",
}


def message_order_failed(name: str) -> str:
    """The 500's detail for an order_by that names no column of the message table, before 1.13."""
    found = _MESSAGE_TABLE_MEMBERS.get(name)
    return name if found is None else f"'{found}' object has no attribute 'asc'"


class MockHTTPError(Exception):
    """An error answer. `detail` goes under a "detail" key unless `top_level` puts the dict at the top."""

    status_code: int = 500
    detail: Any = "Internal Server Error"
    headers: dict[str, str] | None = None
    top_level: bool = False
    # Answered where Langflow's source fails with a 500 no recording shows (README): never 1.7.1's frontend page.
    replaces_500: bool = False

    def __init__(self, detail: Any = None, *, headers: dict[str, str] | None = None) -> None:
        if detail is not None:
            self.detail = detail
        if headers is not None:
            self.headers = headers
        super().__init__(str(self.detail))

    def body(self) -> Any:
        if self.top_level and isinstance(self.detail, dict):
            return self.detail
        return {"detail": self.detail}

    @property
    def exception_text(self) -> str:
        """The text of the exception Langflow raised for this answer, where code catches it and words it into
        a message of its own: an HTTPException's "<status>: <detail>"."""
        return f"{self.status_code}: {self.detail}"


# --- knowledge bases (api/v1/knowledge_bases.py, knowledge_base_storage.py of each release) ----------------
KB_NAME_TOO_SHORT = "Knowledge base name must be at least 3 characters"
MODEL_PROVIDER_NOT_FOUND = "Model provider not found"  # 1.13: a create without a usable embedding provider
NO_FILES_PROVIDED = "No files provided"
PREVIEW_FAILED = "Error previewing chunks."  # 1.8: a preview whose splitter refuses its sizes
INGESTION_RUN_NOT_FOUND = "Ingestion run not found."
INVALID_EMBEDDING = "Invalid embedding configuration"  # 1.13: a base without an embedding provider and model
FOLDER_INGEST_FAILED = "Error ingesting folder to knowledge base."  # 1.13's catch-all 500 of /ingest/folder
KB_STORAGE_NOT_FOUND = "Knowledge base not found"  # 1.13 /knowledge-base-storage/attention/{kb_id}/detach
STORAGE_MIGRATION_NOT_FOUND = "Storage migration not found"
# 1.13's answers (409) for a base whose storage is ready, as every base of the mock's local store is
KB_STORAGE_READY_DETACH = "Delete a ready local store through its owner API so its data is erased."
KB_STORAGE_GENERATION_CHANGED = "Storage generation changed. Refresh pending cleanup before retrying."
KB_STORAGE_NEEDS_UPGRADE = ("This knowledge or memory base needs a storage upgrade. Your original data is "
                            "preserved. Open the upgrade notice in Langflow, or contact your administrator.")


def kb_not_found(name: str) -> str:
    return f"Knowledge base '{name}' not found"


def kb_backend_unreachable(backend: str) -> str:
    """The mock's own text: it connects to no remote vector store."""
    return f"mock-langflow does not connect to a {backend} backend; only the local sqlite store is available"


def kb_exists(name: str) -> str:
    return f"Knowledge base '{name}' already exists"


# 1.13: a memory base's knowledge base is reached through /memories only (403)
KB_MANAGED_BY_MEMORY = "Access denied: knowledge base '{name}' is managed by a Memory Base."

# --- 1.13's memory bases (api/v1/memories.py, services/memory_base/) -------------------------------------------
MEMORY_BASE_NOT_FOUND = "Memory base not found"
MEMORY_FLOW_NOT_FOUND = "Flow {flow_id} not found"
MEMORY_BASE_EXISTS = "A Memory Base named '{name}' already exists for this user"
EMBEDDING_PROVIDER_UNAVAILABLE = "Embedding provider '{provider}' is not available for embeddings."


UNKNOWN_LLM_MODEL = ("Unknown LLM model '{model}' \u2014 provider could not be inferred. Configure a model that is "
                     "registered in the unified model catalog.")
PREPROCESSING_KEY_MISSING = ("No API key found for provider '{provider}' (required for preprocessing model "
                             "'{model}'). Add the key to your global variables before enabling preprocessing.")
# `keys`: the storage routing keys a non-superuser sent in backend_config, comma-separated
STORAGE_ROUTING_REFUSED = ("Only a superuser can set {keys} in backend_config, because these keys point a knowledge "
                           "base at storage other users' knowledge bases may use. Remove them to use this knowledge "
                           "base's own storage.")


def kb_access_denied(name: str) -> str:
    return f"Access denied for knowledge base '{name}'."


def kbs_not_found(names: list[str]) -> str:
    return f"Knowledge bases not found: {', '.join(names)}"


def chunk_overlap_too_large(overlap: int, size: int) -> str:
    return f"Chunk overlap ({overlap}) can't be larger than chunk size ({size})."


def kb_file_too_large(name: str | None, megabytes: int) -> str:
    return f"File {name} exceeds the maximum upload size of {megabytes}MB"


def no_ingestion_job(name: str) -> str:
    return f"No ingestion job found for the knowledge base {name}"


def cannot_cancel_job(status: str) -> str:
    return f"Cannot cancel job with status '{status}'"


# 1.13 api/v1/authz_me.py: the permission gate takes at most 500 ids a request
RESOURCE_IDS_CAPPED = "resource_ids capped at 500"
# 1.13's authorization administration routes (api/v1/authz_*.py): a community install keeps their rows, refuses
# their changes to all but superusers (with the ADMINISTRATION_DENIED header) and words its refusals so
ROLES_NEED_SUPERUSER = "Superuser required to administer roles."
TEAMS_NEED_SUPERUSER = "Superuser required to administer teams."
ASSIGNMENTS_NEED_SUPERUSER = "Superuser required to administer role assignments."
ROLE_NOT_FOUND = "Role not found"
ROLE_ID_NOT_FOUND = "role_id not found"
USER_ID_NOT_FOUND = "user_id not found"
ROLE_NAME_TAKEN = "Role with name {name} already exists"
ROLE_NAME_CONFLICT = "Name conflict \u2014 another role already uses this name"
ROLE_INTEGRITY_CONFLICT = "Role data conflicts with the current database state"
PARENT_ROLE_MISSING = "parent_role_id does not reference an existing role"
ROLE_OWN_PARENT = "A role cannot be its own parent"
ROLE_CYCLE = "Setting this parent would create a role hierarchy cycle"
ROLE_NAME_NULL = "name cannot be null"
ROLE_PERMISSIONS_NULL = "permissions cannot be null; pass an empty list to clear"
SYSTEM_ROLE_READ_ONLY = "System roles cannot be modified"
SYSTEM_ROLE_UNDELETABLE = "System roles cannot be deleted"
ROLE_STILL_ASSIGNED = "Role still has active assignments \u2014 revoke them before deleting"
ASSIGNEE_INACTIVE = "Cannot assign roles to an inactive user"
MANUAL_ASSIGNMENT_EXISTS = "Manual assignment already exists for this user/role/domain"
SCOPE_ROLE_TAKEN = ("A role already exists for this user with this scope. "
                    "Please update the existing role or revoke it before assigning a new one.")
ASSIGNMENT_NOT_FOUND = "Assignment not found"
TEAM_NOT_FOUND = "Team not found"
TEAM_SLUG_TAKEN = "Team with adom_name {slug} already exists"
TEAM_SLUG_CONFLICT = "adom_name conflict \u2014 another team already uses this slug"
ALREADY_MANUAL_MEMBER = "User is already a manual member of this team"
ALREADY_MEMBER = "User is already a member of this team"
MEMBERSHIP_NOT_FOUND = "Membership not found"
RESOURCE_NOT_FOUND = "Resource not found"
SHARE_NOT_FOUND = "Share not found"
SHARE_OWNER_ONLY = "Only the resource owner or a superuser may administer shares for this resource."
CONNECTION_NOT_PUBLIC = "Connections cannot be shared publicly."
PUBLIC_FLOW_EXECUTE_ONLY = "PUBLIC flow shares require permission_level 'execute'."
SHARE_CREATE_CONFLICT = "Share could not be created: it may already exist or conflict with an existing share."
UNKNOWN_SHARE_SCOPE = "Unknown scope {scope}"
AUDIT_WINDOW_EMPTY = "`since` must be strictly less than `until`"


class BadRequest(MockHTTPError):
    status_code = 400


class ServerError(MockHTTPError):
    status_code = 500


class Unauthorized(MockHTTPError):
    status_code = 401


class Forbidden(MockHTTPError):
    status_code = 403


class NotFound(MockHTTPError):
    status_code = 404
    detail = NOT_FOUND


class NotFoundInPlaceOf500(NotFound):
    """A 404 with Langflow's text where its source turns that error into a 500 no recording shows (README,
    source-only 500s). 1.7.1 answers a route's 404 with the frontend page and status 200; Langflow's 500 is no
    404, so this stays an error there too."""

    replaces_500 = True


class DataSubjectRefused(MockHTTPError):
    """A data subject request refused (services/data_subjects/errors.py): detail {code, message, ...details},
    the code in the X-Langflow-Error-Code header too."""

    def __init__(self, status_code: int, code: str, message: str, **details: Any) -> None:
        self.status_code = status_code
        super().__init__({"code": code, "message": message, **details}, headers={"X-Langflow-Error-Code": code})


class Unimplemented(MockHTTPError):
    status_code = 501


class ContentTooLarge(MockHTTPError):
    status_code = 413


class UnsupportedMediaType(MockHTTPError):
    status_code = 415


class UnprocessableEntity(MockHTTPError):
    status_code = 422


class Locked(MockHTTPError):
    status_code = 423


# Langflow 1.13's answer to a rate-limited request (main.py's RateLimitExceeded handler): always "60".
TOO_MANY_REQUESTS = "Too many requests. Please try again later."
RETRY_AFTER = "60"


class TooManyRequests(MockHTTPError):
    """429 with `retry_after` beside `detail` and a Retry-After header, both the string "60"."""

    status_code = 429
    detail = TOO_MANY_REQUESTS
    headers = {"Retry-After": RETRY_AFTER}

    def body(self) -> Any:
        return {"detail": self.detail, "retry_after": RETRY_AFTER}


class BearerUnauthorized(Unauthorized):
    """401 answers that carry `www-authenticate: Bearer` (login, refresh)."""

    headers = {"WWW-Authenticate": "Bearer"}


class FlowNotFound(NotFound):
    detail = FLOW_NOT_FOUND


class TraceNotFound(NotFound):
    detail = TRACE_NOT_FOUND


class ProjectNotFound(NotFound):
    detail = PROJECT_NOT_FOUND


class Conflict(MockHTTPError):
    status_code = 409


class PolicyBundleConflict(Conflict):
    """1.13's optimistic concurrency on the policy bundle: a write naming a revision that is no longer active
    (api/v1/policy_bundle_errors.py), the same detail on every route that writes the bundle."""

    def __init__(self, *, expected: int, active: int) -> None:
        super().__init__({"message": POLICY_BUNDLE_CONFLICT, "expected_revision": expected,
                          "active_revision": active})


class Gone(MockHTTPError):
    status_code = 410


# 1.13 names the kind of some refusals in this header (the project deployment routes, user administration).
ERROR_CODE_HEADER = "X-Langflow-Error-Code"


def coded(kind: type[MockHTTPError], detail: str, code: str) -> MockHTTPError:
    """`kind`'s answer with `detail`, its refusal named by `code` in the X-Langflow-Error-Code header."""
    return kind(detail, headers={ERROR_CODE_HEADER: code})


# 1.13's project deployment routes (api/v1/projects.py): the snapshot's and the replacement operations' texts.
SNAPSHOT_UNSAFE = "Project snapshot could not be captured safely"
SNAPSHOT_EMPTY = "project has no flows to package"
REPLACEMENT_NOT_FOUND = "Replacement operation not found"
REPLACEMENT_EXPIRED = "Replacement receipt has expired"
REPLACEMENT_SLUG = "project_name must be a lowercase deployment slug of at most 63 characters"


class PreconditionRequired(MockHTTPError):
    status_code = 428


IF_MATCH_INVALID = "Invalid If-Match header: expected a version token"
# GET /flows/{id}/versions/ with a deployment_provider_id while the wxo_deployments feature is off (1.13): 400.
DEPLOYMENTS_DISABLED = "Cannot use deployment_provider_id: the wxo_deployments feature flag is disabled"
# POST /flows/{id}/overwrite without If-Match (1.13's flow_conflict_routes.py): 428.
OVERWRITE_NEEDS_IF_MATCH = ("Overwriting requires an If-Match header naming the version you reviewed. "
                            "Without it this write would silently discard anyone who saved in the meantime.")
FLOW_VERSION_CONFLICT = "This flow was changed by someone else after you loaded it."
# 1.13's version history routes (api/v1/flow_version.py): a version the caller cannot see in that flow is a 404,
# worded by the read and the activation, or with its id by the delete (the version store's own error).
VERSION_NOT_FOUND = "Version entry not found"
VERSION_WITHOUT_DATA = "Cannot activate a version with no data"  # 400
# Langflow's answer when the flow write of an activation fails on a constraint (409); the mock writes nothing
# that could clash, so this only guards the write as Langflow's does.
VERSION_ACTIVATE_CLASH = "Could not activate version — the flow was modified concurrently. Please try again."


def version_entry_not_found(version_id: UUID) -> str:
    """The delete's 404 text, naming the version asked for."""
    return f"Version entry {version_id} not found"

# The webhook event stream's refusal of any credentials it cannot take (get_current_user_for_sse): 403.
SSE_CREDENTIALS = "Missing or invalid credentials (cookie or API key)."
# 1.8's webhook event stream, for a flow of another user's: 403.
WEBHOOK_EVENTS_NOT_OWNER = "Access denied: You can only subscribe to events for flows you own"


def detected_version_not_found(version_id: UUID) -> NotFound:
    """POST /variables/detections (1.13): a version id that is not the caller's."""
    return NotFound(f"Flow version {version_id} not found")


def detected_version_unreadable(version_id: UUID) -> UnprocessableEntity:
    """POST /variables/detections (1.13): a version whose graph is not an object with a `nodes` list."""
    return UnprocessableEntity(f"Flow version {version_id} data must be a JSON object with a 'nodes' list "
                               "containing node templates.")

# --- POST /api/v1/responses (api/v1/openai_responses.py): OpenAI error envelopes, each answered with a 200 ----
RESPONSES_TOOLS = "Tools are not supported yet"
RESPONSES_FLOW_NOT_FOUND = "Flow with id '{model}' not found"
RESPONSES_NO_CHAT_INPUT = "Flow must have a ChatInput component to be compatible with OpenAI Responses API"
RESPONSES_NO_CHAT_OUTPUT = "Flow must have a ChatOutput component to be compatible with OpenAI Responses API"


class FlowVersionConflict(Conflict):
    """1.13's optimistic concurrency (api/v1/flow_conflict.py): a write whose If-Match names a version token the
    flow no longer has. The detail names the current token and who wrote it last, so a client can say who."""

    def __init__(self, *, flow_id: UUID, expected: UUID, current: UUID, author_id: UUID | None,
                 author_name: str | None, modified_at: str | None) -> None:
        super().__init__({
            "code": "flow_version_conflict", "message": FLOW_VERSION_CONFLICT, "flow_id": str(flow_id),
            "expected_version_token": str(expected), "current_version_token": str(current),
            "modified_by": {"id": str(author_id) if author_id else None, "username": author_name},
            "modified_at": modified_at,
        })


class FileNotFound(NotFound):
    detail = FILE_NOT_FOUND


class FlowFileMissing(MockHTTPError):
    """Emulated: real Langflow 1.13 answers a v1 download of a file that is not there with 500 and its storage
    error's text in `detail` (files_v1_download_missing), not with a 404. A client must see that here too."""

    status_code = 500

    def __init__(self, file_name: str, flow_id: object) -> None:
        super().__init__(flow_file_missing(file_name, flow_id))


class LangflowServerError(MockHTTPError):
    """A 500 exactly as real Langflow sends it for a failure inside a component run (fact 15):
    the error's fields serialised as a JSON string inside `detail`, as pydantic writes them (non-ASCII kept)."""

    status_code = 500

    def __init__(self, message: str) -> None:
        payload = {"message": message, "traceback": None, "description": None, "code": None, "suggestion": None}
        super().__init__(json.dumps(payload, separators=(",", ":"), ensure_ascii=False))


# Marks an answer Langflow's catch-all exception handler gives: Starlette runs that handler outside every
# middleware, so the answer carries no CORS headers (a browser on another origin cannot read it) and no `vary`.
# The mock's CORS layer (middleware.Cors) takes the mark off and adds nothing.
UNCAUGHT_MARK = "x-mock-langflow-uncaught"


class RecordedServerBug(MockHTTPError):
    """A 500 that real Langflow answers because of a bug of its own, reproduced on purpose (and named in the
    handler) so that a client that trips on it against the mock trips on it in production too: the {"message"}
    of Langflow's catch-all handler, without CORS headers (UNCAUGHT_MARK)."""

    status_code = 500
    top_level = True
    headers = {UNCAUGHT_MARK: "1"}

    def __init__(self, message: str) -> None:
        super().__init__({"message": message})

    @property
    def exception_text(self) -> str:
        return str(self.detail["message"])  # (Python's own exception, its text as the message)


class NeverAnswered(MockHTTPError):
    """MOCK_LANGFLOW_NEVER_ANSWER=error: a request real Langflow leaves unanswered, refused at once instead."""

    status_code = 409

    def __init__(self, what: str) -> None:
        super().__init__(f"mock-langflow: {what}. Real Langflow never answers this request, so a client waits "
                         "until its own timeout; this mock says so at once because MOCK_LANGFLOW_NEVER_ANSWER=error.")


class WorkflowError(MockHTTPError):
    """The v2 Workflow API's handler errors: a structured detail {error, code, message[, flow_id | job_id]}."""

    def __init__(self, error: str, code: str, message: str, **extra: Any) -> None:
        super().__init__({"error": error, "code": code, "message": message, **extra})


def tweaks_refused_reason(text: str) -> str:
    """The reason (markdown) of the error Message a stream or background build sends for refused tweaks."""
    return f"**TweakRefusedError**\n - **Details: {text}**\n"


class TweaksRefused(WorkflowError):
    """1.13: tweaks a run may not set (the flow's code, a code-running component's inputs...; more under
    LANGFLOW_TWEAKS_POLICY): a 422 naming them, from /run, /run/advanced and a sync v2 run alike (a stream or
    background v2 run fails after it is accepted instead). `str()` is the exception's own text, which a /run
    stream's error event carries."""

    status_code = 422

    def __init__(self, fields: list[str], reason: str = PROTECTED_TWEAK) -> None:
        super().__init__("Refused tweaks", "TWEAKS_REFUSED", reason, fields=fields)
        self.text = f"Refused tweak keys {fields}: {reason}"

    def __str__(self) -> str:
        return self.text


class WorkflowFlowNotFound(WorkflowError):
    status_code = 404

    def __init__(self, flow_id: str) -> None:
        super().__init__("Flow not found", "FLOW_NOT_FOUND",
                         f"Flow '{flow_id}' does not exist. Verify the flow_id and try again.", flow_id=flow_id)


class WorkflowJobNotFound(WorkflowError):
    """GET /api/v2/workflows?job_id= of an unknown job (stop words it differently: StopJobNotFound)."""

    status_code = 404

    def __init__(self, job_id: str) -> None:
        super().__init__("Workflow job not found", "JOB_NOT_FOUND", f"Workflow job {job_id} not found", job_id=job_id)


class UnknownStreamProtocol(WorkflowError):
    status_code = 422

    def __init__(self, name: str, available: list[str]) -> None:  # wf_stream_bad_protocol_422
        super().__init__("Unknown stream_protocol", "UNKNOWN_STREAM_PROTOCOL", f"Unknown stream_protocol {name!r}.",
                         available=available)


class PublicRunsLimited(WorkflowError):
    """1.13's POST /api/v2/workflows/public over LANGFLOW_PUBLIC_FLOW_RATE_LIMIT_PER_MINUTE runs a minute from one
    client: a 429 of its own words, without Retry-After."""

    status_code = 429

    def __init__(self) -> None:
        super().__init__("Too many requests", "RATE_LIMITED",
                         "Too many public workflow runs from this client. Please retry shortly.")


class ModeFieldsUnsupported(WorkflowError):
    """1.13: request fields a mode would ignore (sync: live-canvas graph, files, partial-run boundaries; the
    other modes: output_ids)."""

    status_code = 422

    def __init__(self, mode: str, fields: list[str]) -> None:
        if mode == "sync":
            super().__init__("Unsupported sync request fields", "SYNC_MODE_UNSUPPORTED_FIELDS",
                             f"mode='sync' does not support request fields: {', '.join(fields)}. Use "
                             "mode='stream' or mode='background' for live-canvas overrides, files, or partial-run "
                             "boundaries.", fields=fields)
        else:
            super().__init__("Unsupported request fields for mode", "MODE_UNSUPPORTED_FIELDS",
                             f"mode='{mode}' does not support request fields: {', '.join(fields)}. Output "
                             "selection via output_ids only applies to mode='sync'.", fields=fields)


class UnknownOutputIds(WorkflowError):
    status_code = 422

    def __init__(self, unknown: list[str], available: list[str]) -> None:
        super().__init__("Unknown output_ids", "UNKNOWN_OUTPUT_IDS",
                         f"output_ids not produced by this flow: {unknown}.", available=available)


class JobNotCancellable(WorkflowError):
    status_code = 409

    def __init__(self, job_id: object, mode: str) -> None:
        super().__init__("Job cannot be stopped", "JOB_NOT_CANCELLABLE", "Only background workflow jobs can be "
                         "stopped.", job_id=str(job_id), mode=mode)


class BackgroundRunNotFound(WorkflowError):
    """GET /api/v2/workflows/{job_id}/events of a job that is not the caller's (1.13's own words for it)."""

    status_code = 404

    def __init__(self, job_id: str) -> None:
        super().__init__("Background run not found", "JOB_NOT_FOUND", f"No background run for job {job_id}.",
                         job_id=job_id)


class ResumeJobNotFound(MockHTTPError):
    """POST /api/v2/workflows/{job_id}/resume of a job that is not the caller's: no message, unlike the others."""

    status_code = 404

    def __init__(self, job_id: str) -> None:
        super().__init__({"error": "Workflow job not found", "code": "JOB_NOT_FOUND", "job_id": job_id})


class InvalidDecision(WorkflowError):
    """POST /resume (1.13) whose decision.action_id is none of those the job's last pause allows."""

    status_code = 422

    def __init__(self, job_id: str) -> None:
        super().__init__("Invalid decision", "INVALID_DECISION",
                         "decision.action_id is not one of the pending request's allowed_decisions.", job_id=job_id)


class NotResumable(WorkflowError):
    """POST /resume (1.13) of a job that is not suspended (never paused, resumed already, finished, cancelled), or
    with a request_id other than the one its pause waits on."""

    status_code = 409

    def __init__(self, job_id: str) -> None:
        super().__init__("Job is not resumable", "NOT_RESUMABLE",
                         "Job is not suspended, already resumed, or the request_id is stale.", job_id=job_id)


class StopJobNotFound(WorkflowError):
    status_code = 404

    def __init__(self, job_id: str) -> None:
        super().__init__("Job not found", "JOB_NOT_FOUND", f"Job {job_id} not found", job_id=job_id)


class MissingJobId(WorkflowError):
    status_code = 400

    def __init__(self) -> None:
        super().__init__("Missing required parameter", "MISSING_PARAMETER", JOB_ID_REQUIRED)


class InvalidFlowData(WorkflowError):
    """A synchronous run of a flow whose data is null."""

    status_code = 400

    def __init__(self, flow_id: object) -> None:
        super().__init__("Workflow validation error", "INVALID_FLOW_DATA",
                         f"Flow {flow_id} has no data. The flow may be corrupted.", flow_id=str(flow_id))


class GraphNotBuilt(WorkflowError):
    """A synchronous run whose graph Langflow could not build (1.13: a file field outside the caller's storage)."""

    status_code = 400

    def __init__(self, flow_id: str, reason: str) -> None:
        super().__init__("Workflow validation error", "INVALID_FLOW_DATA",
                         f"Failed to build graph from flow data: {reason}", flow_id=flow_id)


class JobFailed(WorkflowError):
    """The status of a failed job: a 500 with no error text (real-1.8 wf_doc_background_component_error_status);
    1.13 adds `error_detail=`, the error the run left (null when it left none)."""

    status_code = 500

    def __init__(self, job_id: object, **error_detail: Any) -> None:
        super().__init__("Job failed", "JOB_FAILED", f"Job {job_id} has failed execution.", job_id=str(job_id),
                         **error_detail)


class WorkflowTimedOut(WorkflowError):
    """1.13: a sync run past LANGFLOW_WORKFLOW_EXECUTION_TIMEOUT (`seconds`), or (no `seconds`) the status of a
    background job past LANGFLOW_BACKGROUND_JOB_TIMEOUT."""

    status_code = 408

    def __init__(self, job_id: object, flow_id: object, seconds: float | None = None) -> None:
        if seconds is None:
            super().__init__("Execution timeout", "EXECUTION_TIMEOUT", "Workflow execution timed out",
                             job_id=str(job_id), flow_id=str(flow_id))
        else:
            super().__init__("Execution timeout", "EXECUTION_TIMEOUT",
                             f"Workflow execution exceeded {seconds} seconds", job_id=str(job_id),
                             flow_id=str(flow_id), timeout_seconds=seconds)


class WorkflowInternalError(WorkflowError):
    """Langflow 1.8's catch-all: a background submit of a flow whose data is null (wf_doc_background_flow_no_data)."""

    status_code = 500

    def __init__(self, reason: str, flow_id: str) -> None:
        super().__init__("Internal server error", "INTERNAL_SERVER_ERROR", f"An unexpected error occurred: {reason}",
                         flow_id=flow_id)


class StreamingNotImplemented(WorkflowError):
    """Langflow 1.8's beta API answers `stream: true` with 501 before it runs anything."""

    status_code = 501

    def __init__(self) -> None:
        super().__init__("Not implemented", "NOT_IMPLEMENTED", STREAMING_NOT_IMPLEMENTED)


class DeveloperApiDisabled(WorkflowError):
    """Langflow 1.8's v2 workflows while LANGFLOW_DEVELOPER_API_ENABLED is off (its default): 403, never 404."""

    status_code = 403

    def __init__(self) -> None:
        super().__init__("Developer API disabled", "DEVELOPER_API_DISABLED", DEVELOPER_API_DISABLED_MESSAGE)


@contextmanager
def rewrapped(active: bool, *, status: int = 500, prefix: str = "") -> Iterator[None]:
    """Releases before 1.13 caught their own 404s in a catch-all `except` and raised them again as
    `<status> "<prefix>404: <text>"` (an unknown MCP project, a v2 rename of an unknown file, ...). With
    `active`, a NotFound raised inside the block leaves it in that form."""
    try:
        yield
    except NotFound as exc:
        if not active:
            raise
        error = MockHTTPError(f"{prefix}{exc.status_code}: {exc.detail}")
        error.status_code = status
        raise error from exc


class DropConnection(Exception):
    """Not an answer: the connection is closed mid-response (a scripted disconnect, or a fault)."""


def flow_ids_exist(flow_ids: list[Any]) -> str:
    """POST /flows/batch/ with ids that flows already have (Langflow 1.13's create_flows)."""
    listed = ", ".join(str(i) for i in dict.fromkeys(flow_ids))
    return (f"Flow(s) with the following IDs already exist: {listed}. "
            "Use the update endpoint or upload_file() for upsert semantics.")


class VariableMissing(NotFoundInPlaceOf500):
    """DELETE /api/v1/variables/{id} of a variable the caller does not have, with the text of Langflow's
    variable service ("<id> variable not found."), before 1.13 (1.13 answers 404 "Variable not found"). Langflow
    1.8.4 and 1.7.1 turn that error into a 500; no recording shows it, so the mock answers 404, as for the other
    source-only 500s (README, deliberate differences)."""

    def __init__(self, variable_id: object) -> None:
        super().__init__(f"{variable_id} variable not found.")


class McpServerExists(MockHTTPError):
    """POST /api/v2/mcp/servers/{name} for a name in use: Langflow answers 500."""

    status_code, detail = 500, MCP_SERVER_EXISTS


class McpServerNotFound(MockHTTPError):
    """DELETE /api/v2/mcp/servers/{name} for an unknown name: Langflow answers 500."""

    status_code, detail = 500, MCP_SERVER_NOT_FOUND


class McpServersFileNotJson(MockHTTPError):
    """Before 1.13: the user's MCP servers file holds no JSON. Langflow's get_server_list raises this 500 itself,
    so a project's creation lets it through, where it only logs any other failure of the list."""

    status_code, detail = 500, MCP_SERVERS_FILE_UNREADABLE


class SuperuserMissing(MockHTTPError):
    """/run under skip-auth in 1.13 when the superuser it would act as has been deleted."""

    status_code, detail = 503, SUPERUSER_NOT_IN_DATABASE


class McpNotRunning(MockHTTPError):
    """A streamable HTTP request before the app's lifespan started the MCP managers."""

    status_code, detail = 503, MCP_NOT_RUNNING


@cache
def _chat_files() -> type[BaseModel]:
    """The files of lfx's ChatOutputResponse, under its name, refusing a file whose type it could not name (a
    model built on first use, not at start-up)."""

    class ChatFiles(BaseModel):
        model_config = ConfigDict(title="ChatOutputResponse")
        files: list[Any]

        @field_validator("files", mode="before")
        @classmethod
        def _untyped(cls, files: Any) -> Any:
            raise ValueError("File type is required.")

    return ChatFiles


def chat_file_type_missing(files: list[dict[str, str]], pydantic_docs: str) -> str:
    """The validation error every release's Chat Input vertex raises when one of its files has no type it can
    name: pydantic's text, showing the files as the validator left them (those before the refused one named and
    typed, the refused one named), its docs link naming the release Langflow shipped with."""
    try:
        _chat_files()(files=files)
    except ValidationError as exc:
        return pydantic_text(exc, pydantic_docs)
    raise AssertionError("unreachable")  # pragma: no cover


# --- 1.13's extension routes (api/v1/extensions.py, lfx.extension): a typed error is the whole `detail` ---------
EXTENSION_DOCS = "https://docs.langflow.org/extensions/errors"


def extension_error(code: str, message: str, hint: str, location: str | None = None,
                    content: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "location": location, "content": content, "hint": hint,
            "ref_url": EXTENSION_DOCS}


EXTENSION_RELOAD_DISABLED = (
    "extension-reload-disabled",
    "Extension reload is disabled on this server.  Set LANGFLOW_ENABLE_EXTENSION_RELOAD=true to enable it on a "
    "local-development install (Mode A).",
    "Local development: ``lfx extension dev`` sets the flag for you.  Self-hosted: export "
    "LANGFLOW_ENABLE_EXTENSION_RELOAD=true or include it in your --env-file.")
EXTENSION_KEYSPACE_FORBIDDEN = (
    "extension-events-keyspace-forbidden",
    "The 'keyspace' query parameter is not accepted on /extensions/events; events are scoped to the "
    "authenticated user automatically.",
    "Remove the 'keyspace' query parameter from the request; the server derives the keyspace from the "
    "authenticated user.")


def bundle_not_installed(bundle: str) -> dict[str, Any]:
    return extension_error(
        "reload-bundle-not-installed", f"Bundle {bundle!r} is not registered and no source path was supplied.",
        "Install the extension first (pip install / seed directory / `lfx extension dev <path>`), then reload "
        "via `lfx extension reload <extension-id> --bundle <name>`.", location=bundle, content=bundle)
