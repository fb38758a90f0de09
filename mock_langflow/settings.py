"""Settings of the mock: Langflow's own environment variables where Langflow has one, MOCK_LANGFLOW_* otherwise."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from mock_langflow.clock import LONGEST_WAIT_MS
from mock_langflow.profiles import get_profile


def http_url(host: str, port: int) -> str:
    """http://host:port, an IPv6 address in brackets (http://[::1]:7860)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# Editors Langflow's MCP install routes know (GET .../installed lists them in this order).
MCP_CLIENTS = ("cursor", "windsurf", "claude")


def default_data_dir() -> Path:
    """Where state lives when no --data-dir is given: beside Langflow's own cache dir, never inside it."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mock-langflow"


def langflow_storage_dir() -> Path:
    """Langflow's own default config directory on this host (platformdirs' user cache dir): where a Langflow
    started without LANGFLOW_CONFIG_DIR keeps uploaded files, so the storage paths a run reports point there."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "langflow"


# A root path Langflow 1.13 puts in its page's <base>: URL path segments, none of them "." or ".."
PAGE_PREFIX = re.compile(r"(?:/(?!\.\.?(?:/|$))[a-zA-Z0-9._~-]+)*")

# The texts a boolean setting reads as true or false (pydantic's, in any case)
TRUE_WORDS = frozenset({"1", "on", "t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"0", "off", "f", "false", "n", "no"})
# The texts lfx 1.13's SSRF guard reads its environment variables as on (lfx/utils/ssrf_protection.py, which
# reads them itself, not through the settings): fewer than TRUE_WORDS, so "t" or "y" turns a guard off.
SSRF_TRUE_WORDS = frozenset({"1", "on", "true", "yes"})


def _env(name: str, **kwargs: Any) -> Any:
    # Only the environment variable's own name is looked up in the environment (never a bare HOST or
    # API_KEY); populate_by_name lets tests and the CLI construct Settings(port=...) directly.
    return Field(validation_alias=AliasChoices(name), **kwargs)


def _env_name(alias: Any) -> str:
    name: str = alias.choices[0]
    return name


class Settings(BaseModel):
    """Everything the server needs to know, read once at start-up and passed in: what the constructor is given,
    else the field's environment variable, else its default.

    The environment is read here rather than through pydantic-settings, which the mock used before: its import
    alone cost 20 ms and 1.3 MiB of every start-up (benchmarks/README.md), for what is one dictionary lookup per
    field. The behaviour is the same: names match whatever their case, as Langflow's own settings do, the raw
    string is validated as the field's type, and the list fields split their string themselves (_split_list).
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True, validate_default=True)

    host: str = _env("LANGFLOW_HOST", default="127.0.0.1")
    port: int = _env("LANGFLOW_PORT", default=7860, ge=0, le=65535)
    data_dir: Path = _env("MOCK_LANGFLOW_DATA_DIR", default_factory=default_data_dir)
    # None: keep the keys already stored, or create one at start-up and print it once.
    api_key: str | None = _env("MOCK_LANGFLOW_API_KEY", default=None)
    langflow_version: str = _env("MOCK_LANGFLOW_VERSION", default="1.13.0")

    auto_login: bool = _env("LANGFLOW_AUTO_LOGIN", default=True)
    skip_auth_auto_login: bool = _env("LANGFLOW_SKIP_AUTH_AUTO_LOGIN", default=False)
    # 1.13: POST /users/ from anyone but a superuser needs auto-login off and this on.
    enable_signup: bool = _env("LANGFLOW_ENABLE_SIGNUP", default=True)
    new_user_is_active: bool = _env("LANGFLOW_NEW_USER_IS_ACTIVE", default=False)
    superuser: str = _env("LANGFLOW_SUPERUSER", default="langflow")
    superuser_password: str | None = _env("LANGFLOW_SUPERUSER_PASSWORD", default=None)
    secret_key: str | None = _env("LANGFLOW_SECRET_KEY", default=None)
    # 0 refuses every upload with a body (413); a negative size means nothing.
    max_file_size_upload: int = _env("LANGFLOW_MAX_FILE_SIZE_UPLOAD", default=1024, ge=0)
    # None: what the emulated release does by default (profiles: auth.webhook_auth_default, http.backend_only).
    webhook_auth_enable: bool | None = _env("LANGFLOW_WEBHOOK_AUTH_ENABLE", default=None)
    # Only Langflow 1.8 has the flag (its v2 workflows answer 403 while it is off, Langflow's default).
    developer_api_enabled: bool = _env("LANGFLOW_DEVELOPER_API_ENABLED", default=False)
    backend_only: bool | None = _env("LANGFLOW_BACKEND_ONLY", default=None)
    # A frontend build served instead of the mock's own page (Langflow's `frontend/` folder, or a fork's build).
    frontend_path: Path | None = _env("LANGFLOW_FRONTEND_PATH", default=None)
    # The URL prefix a reverse proxy strips (1.13, profile http.root_path): "" or "/langflow" (_path_prefix).
    root_path: str = _env("LANGFLOW_ROOT_PATH", default="")
    cors_origins: list[str] = _env("LANGFLOW_CORS_ORIGINS", default_factory=lambda: ["*"])
    # What Langflow hands Starlette's CORSMiddleware besides the origins ("*": every method, every header)
    cors_allow_credentials: bool = _env("LANGFLOW_CORS_ALLOW_CREDENTIALS", default=True)
    # (as Langflow reads them: a JSON list, else the text as one string, which Starlette then takes letter by
    # letter: "GET,POST" allows the methods its letters spell out as substrings, and headers named by one letter)
    cors_allow_methods: list[str] | str = _env("LANGFLOW_CORS_ALLOW_METHODS", default_factory=lambda: ["*"])
    cors_allow_headers: list[str] | str = _env("LANGFLOW_CORS_ALLOW_HEADERS", default_factory=lambda: ["*"])
    # A run's field loading a global variable the user does not hold reads the mock's own environment variable
    # of that name, as Langflow reads its server's (off: such a /run fails, as a build always does).
    fallback_to_env_var: bool = _env("LANGFLOW_FALLBACK_TO_ENV_VAR", default=True)
    # At start-up and at each login, the environment variables of the release's list (profile
    # variables.environment) plus these names that are set are stored as the users' Credentials, as Langflow does.
    store_environment_variables: bool = _env("LANGFLOW_STORE_ENVIRONMENT_VARIABLES", default=True)
    variables_to_get_from_environment: list[str] = _env("LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT", default=[])
    # Langflow's agentic_experience, a boolean (true/false, 1/0, yes/no, on/off...; None: the release's default,
    # profile variables.agentic_default): while on, sign-ins give users the agentic variables, and (1.13) names
    # given above bring the agentic names along. Kept as text too: 1.8 and 1.7.1 bring them along while its raw
    # value, unset counting as "true", is "true" in any case (profile variables.agentic_environment).
    agentic_experience: str | None = _env("LANGFLOW_AGENTIC_EXPERIENCE", default=None)
    # 1.13: a run's file fields may name only the caller's and the flow's storage folders (off: any path, but a
    # relative "<folder>/<name>" storage key still only theirs, in any case; profile run.restricted_files).
    restrict_local_file_access: bool = _env("LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS", default=True)
    # 1.13: which fields a run's tweaks may set: "permissive" (all but the protected ones), "declared" (on a flow
    # marking fields api_editable, only those), "off" (none, nor an input aimed at a component); other releases
    # ignore it (profile run.tweak_floor). Another value stops the start, as Langflow's settings refuse it.
    tweaks_policy: Literal["permissive", "declared", "off"] = _env("LANGFLOW_TWEAKS_POLICY", default="permissive")
    # 1.13: the authorization audit log (GET /api/v1/authz/audit) records the authz routes' decisions; off, it
    # stays empty, as Langflow's AUTHZ_AUDIT_ENABLED (default off) leaves it.
    authz_audit_enabled: bool = _env("LANGFLOW_AUTHZ_AUDIT_ENABLED", default=False)
    # 1.13: POST /api/v1/extensions/{id}/bundles/{name}/reload answers only with this on (Langflow's
    # LANGFLOW_ENABLE_EXTENSION_RELOAD, default off: a 404 with its typed error).
    enable_extension_reload: bool = _env("LANGFLOW_ENABLE_EXTENSION_RELOAD", default=False)
    # 1.13's serving-plane end-user identity (engine/end_users.py): the header a trusted gateway names the end user
    # in (unset: the feature is off), whether it is trusted at all, and whether a run without one is refused
    serving_end_user_header: str | None = _env("LANGFLOW_SERVING_END_USER_HEADER", default=None)
    serving_trust_proxy_headers: bool = _env("LANGFLOW_SERVING_TRUST_PROXY_HEADERS", default=False)
    serving_end_user_required: bool = _env("LANGFLOW_SERVING_END_USER_REQUIRED", default=False)
    # 1.13: the resource audit trail (GET /api/v1/audits, /flows/audits, /projects/audits) records flow and project
    # changes; off (Langflow's default), the audited routes record nothing and cost one check. The excluded events
    # name actions as the trail stores them: "flow:write", "flow:*", "*:delete".
    audit_enabled: bool = _env("LANGFLOW_AUDIT_ENABLED", default=False)
    audit_exclude_events: list[str] = _env("LANGFLOW_AUDIT_EXCLUDE_EVENTS", default=[])
    # 1.13's retention (store/audit_retention.py): days a trail event and an authorization audit row are kept (0 or
    # less: forever; the latter may not be negative), and the seconds between Langflow's sweeps (at least 300).
    audit_retention_days: int = _env("LANGFLOW_AUDIT_RETENTION_DAYS", default=90)
    authz_audit_retention_days: int = _env("LANGFLOW_AUTHZ_AUDIT_RETENTION_DAYS", default=90, ge=0)
    authz_audit_cleanup_interval: int = _env("LANGFLOW_AUTHZ_AUDIT_CLEANUP_INTERVAL", default=86_400, ge=300)
    # 1.13's SSRF settings, which its checks of stored model provider URLs follow (Ollama's, WatsonX's):
    # booleans as text, read as lfx reads them (true, 1, yes, on, any case: on; else off); unset: on. Either of the
    # first two off, no URL is guarded; the third off, a literal loopback host (localhost, 127.0.0.1, ::1) is
    # refused too. The allowed hosts: names, *.domains, addresses and CIDR ranges a guarded URL may name.
    ssrf_protection_enabled: str | None = _env("LANGFLOW_SSRF_PROTECTION_ENABLED", default=None)
    connector_ssrf_validation_enabled: str | None = _env("LANGFLOW_CONNECTOR_SSRF_VALIDATION_ENABLED", default=None)
    connector_ssrf_allow_loopback: str | None = _env("LANGFLOW_CONNECTOR_SSRF_ALLOW_LOOPBACK", default=None)
    ssrf_allowed_hosts: list[str] = _env("LANGFLOW_SSRF_ALLOWED_HOSTS", default=[])
    # 1.13: the folders (and what lies inside them) a knowledge base's folder ingestion may read; none refuses
    # every folder. Split on commas as Langflow splits it, nothing trimmed. Files bigger than the byte limit are
    # left out of the walk.
    kb_allowed_folder_roots: list[str] = _env("LANGFLOW_KB_ALLOWED_FOLDER_ROOTS", default=[])
    kb_folder_max_file_size_bytes: int = _env("LANGFLOW_KB_FOLDER_MAX_FILE_SIZE_BYTES", default=25 * 1024 * 1024,
                                              gt=0)
    # What runs leave for the monitor (store/run_retention.py): whether transactions and vertex builds are written,
    # how many are kept (transactions per flow, builds per flow and vertex, builds in all; per vertex unset: the
    # release's, 1.7.1's 2, else 50), and 1.13's telemetry writer, whose sweeper cuts them every so many seconds.
    transactions_storage_enabled: bool = _env("LANGFLOW_TRANSACTIONS_STORAGE_ENABLED", default=True)
    vertex_builds_storage_enabled: bool = _env("LANGFLOW_VERTEX_BUILDS_STORAGE_ENABLED", default=True)
    max_transactions_to_keep: int = _env("LANGFLOW_MAX_TRANSACTIONS_TO_KEEP", default=3000)
    max_vertex_builds_to_keep: int = _env("LANGFLOW_MAX_VERTEX_BUILDS_TO_KEEP", default=3000)
    max_vertex_builds_per_vertex: int | None = _env("LANGFLOW_MAX_VERTEX_BUILDS_PER_VERTEX", default=None)
    telemetry_writer_enabled: bool = _env("LANGFLOW_TELEMETRY_WRITER_ENABLED", default=True)
    telemetry_writer_cleanup_interval_s: int = _env("LANGFLOW_TELEMETRY_WRITER_CLEANUP_INTERVAL_S", default=60)
    # What GET /api/v1/config shows of Langflow's UI and runtime settings, where the release's /config has the key
    # (unset: the release's own value; app._configured). The front end reads them; the mock's own behaviour
    # follows only assistant_max_message_length (1.13's assistant refuses a longer message).
    frontend_timeout: int | None = _env("LANGFLOW_FRONTEND_TIMEOUT", default=None)
    auto_saving: bool | None = _env("LANGFLOW_AUTO_SAVING", default=None)
    auto_saving_interval: int | None = _env("LANGFLOW_AUTO_SAVING_INTERVAL", default=None)
    health_check_max_retries: int | None = _env("LANGFLOW_HEALTH_CHECK_MAX_RETRIES", default=None)
    webhook_polling_interval: int | None = _env("LANGFLOW_WEBHOOK_POLLING_INTERVAL", default=None)
    public_flow_cleanup_interval: int | None = _env("LANGFLOW_PUBLIC_FLOW_CLEANUP_INTERVAL", default=None, gt=600)
    public_flow_expiration: int | None = _env("LANGFLOW_PUBLIC_FLOW_EXPIRATION", default=None, gt=600)
    event_delivery: Literal["polling", "streaming", "direct"] | None = _env("LANGFLOW_EVENT_DELIVERY", default=None)
    max_text_length: int | None = _env("LANGFLOW_MAX_TEXT_LENGTH", default=None)
    max_items_length: int | None = _env("LANGFLOW_MAX_ITEMS_LENGTH", default=None)
    mcp_base_url: str | None = _env("LANGFLOW_MCP_BASE_URL", default=None)
    hide_getting_started_progress: bool | None = _env("LANGFLOW_HIDE_GETTING_STARTED_PROGRESS", default=None)
    substitute_outdated_component_code: bool | None = _env("LANGFLOW_SUBSTITUTE_OUTDATED_COMPONENT_CODE",
                                                           default=None)
    assistant_max_message_length: int | None = _env("LANGFLOW_ASSISTANT_MAX_MESSAGE_LENGTH", default=None, ge=1)
    # 1.13: embedded mode shows every hide_* flag on
    embedded_mode: bool | None = _env("LANGFLOW_EMBEDDED_MODE", default=None)
    hide_logout_button: bool | None = _env("LANGFLOW_HIDE_LOGOUT_BUTTON", default=None)
    hide_new_project_button: bool | None = _env("LANGFLOW_HIDE_NEW_PROJECT_BUTTON", default=None)
    hide_new_flow_button: bool | None = _env("LANGFLOW_HIDE_NEW_FLOW_BUTTON", default=None)
    hide_starter_projects: bool | None = _env("LANGFLOW_HIDE_STARTER_PROJECTS", default=None)
    # "env": LANGFLOW_API_KEY is also a key, the superuser's (LANGFLOW_SUPERUSER names it), as Langflow's
    # API_KEY_SOURCE; "db" (the default): only the keys made through the API or the CLI
    api_key_source: Literal["db", "env"] = _env("LANGFLOW_API_KEY_SOURCE", default="db")
    langflow_api_key: str | None = _env("LANGFLOW_API_KEY", default=None)
    # The tokens a sign-in hands out: their lifetimes in seconds (every release: an hour and a week), and the
    # attributes of the cookies they come in (unset: the release's; auth.cookie_attributes)
    access_token_expire_seconds: int = _env("LANGFLOW_ACCESS_TOKEN_EXPIRE_SECONDS", default=3600)
    refresh_token_expire_seconds: int = _env("LANGFLOW_REFRESH_TOKEN_EXPIRE_SECONDS", default=604_800)
    access_same_site: Literal["lax", "strict", "none"] | None = _env("LANGFLOW_ACCESS_SAME_SITE", default=None)
    access_secure: bool | None = _env("LANGFLOW_ACCESS_SECURE", default=None)
    access_httponly: bool | None = _env("LANGFLOW_ACCESS_HTTPONLY", default=None)
    refresh_same_site: Literal["lax", "strict", "none"] | None = _env("LANGFLOW_REFRESH_SAME_SITE", default=None)
    refresh_secure: bool | None = _env("LANGFLOW_REFRESH_SECURE", default=None)
    refresh_httponly: bool | None = _env("LANGFLOW_REFRESH_HTTPONLY", default=None)
    cookie_domain: str | None = _env("LANGFLOW_COOKIE_DOMAIN", default=None)
    # Off, no example flows (Langflow's starter projects) are loaded into a new database: the flow lists and
    # basic_examples have none (GET /starter-projects/ still lists them, as Langflow reads them from its files)
    create_starter_projects: bool = _env("LANGFLOW_CREATE_STARTER_PROJECTS", default=True)
    # Every release: an update of a flow's graph (PATCH, PUT of an existing flow, 1.13's upload over one) empties
    # its API key fields (password fields named like an API key or token), as Langflow's remove_api_keys does.
    remove_api_keys: bool = _env("LANGFLOW_REMOVE_API_KEYS", default=False)
    # A folder whose top-level *.json flows every start of a server upserts into the superuser's flows
    # (control/load_flows.py); the two switches are 1.13's (older releases behave as profile startup.load_flows says)
    load_flows_path: Path | None = _env("LANGFLOW_LOAD_FLOWS_PATH", default=None)
    load_flows_overwrite_on_name_match: bool = _env("LANGFLOW_LOAD_FLOWS_OVERWRITE_ON_NAME_MATCH", default=False)
    load_flows_preserve_variable_bindings: bool = _env("LANGFLOW_LOAD_FLOWS_PRESERVE_VARIABLE_BINDINGS", default=True)
    # 1.13: how many versions of a flow its history keeps (the oldest unpinned ones go as a new one is made)
    max_flow_version_entries_per_flow: int = _env("LANGFLOW_MAX_FLOW_VERSION_ENTRIES_PER_FLOW", default=50)
    # 1.13: the seconds a v2 run may take: a sync or stream run (a sync run past it is a 408, a stream ends with
    # the timeout's error), and a background job (none by default; past it the job is timed_out)
    workflow_execution_timeout: int = _env("LANGFLOW_WORKFLOW_EXECUTION_TIMEOUT", default=300)
    background_job_timeout: float | None = _env("LANGFLOW_BACKGROUND_JOB_TIMEOUT", default=None)
    # 1.13: how long a background run may wait suspended for a person (None: for ever); past it, the watchdog's
    # next pass (every LANGFLOW_BACKGROUND_WATCHDOG_INTERVAL_S from the start) fails it (input_timed_out)
    background_input_deadline_s: float | None = _env("LANGFLOW_BACKGROUND_INPUT_DEADLINE_S", default=None,
                                                     allow_inf_nan=False)
    background_watchdog_interval_s: float = _env("LANGFLOW_BACKGROUND_WATCHDOG_INTERVAL_S", default=15.0, gt=0,
                                                 allow_inf_nan=False)
    # 1.13's v2 background runs at once; more wait, queued, for one of them to end (JobSpec.pooled)
    background_max_concurrency: int = _env("LANGFLOW_BACKGROUND_MAX_CONCURRENCY", default=5, gt=0)
    # 1.13: a sync v2 run's answer is kept for its job's status reads (off: they rebuild it from its vertex builds)
    sync_result_storage_enabled: bool = _env("LANGFLOW_SYNC_RESULT_STORAGE_ENABLED", default=False)
    # On, no key check counts the key's use: its total_uses and last_used_at stay as they are (every release).
    disable_track_apikey_usage: bool = _env("LANGFLOW_DISABLE_TRACK_APIKEY_USAGE", default=False)
    # 1.8 and 1.13's native tracer, on unless LANGFLOW_NATIVE_TRACING is false, 0 or no (any case) or tracing as a
    # whole is deactivated: off, runs leave no trace for /api/v1/monitor/traces to list.
    native_tracing: str | None = _env("LANGFLOW_NATIVE_TRACING", default=None)
    deactivate_tracing: bool = _env("LANGFLOW_DEACTIVATE_TRACING", default=False)

    # Editors the install routes treat as present on this machine (cursor, windsurf, claude): none by default,
    # as on the machine the recordings were made on. Installs are recorded in the database, never written
    # into a real editor's config.
    mcp_clients: list[str] = _env("MOCK_LANGFLOW_MCP_CLIENTS", default=[])
    # Each project keeps an entry in its owner's MCP server list (/api/v2/mcp/servers), as in Langflow.
    add_projects_to_mcp_servers: bool = _env("LANGFLOW_ADD_PROJECTS_TO_MCP_SERVERS", default=True)
    # 1.13: off, the MCP SSE transport (global and projects' streams and message posts) answers 404.
    mcp_sse_enabled: bool = _env("LANGFLOW_MCP_SSE_ENABLED", default=True)
    # Off: no second copy of the global MCP server under /api/mcp (its /api/v1/mcp routes stay, as in Langflow).
    mcp_server_enabled: bool = _env("LANGFLOW_MCP_SERVER_ENABLED", default=True)
    # 1.13: on, only a superuser may add, change or delete entries of the MCP server list (others get a 403).
    mcp_servers_locked: bool = _env("LANGFLOW_MCP_SERVERS_LOCKED", default=False)
    # 1.13: the only packages an MCP server config may have uvx or npx run (comma-separated; None: any), and the
    # requirement Langflow adds to every uvx server itself, which the list need not name
    mcp_server_allowed_packages: str | None = _env("LANGFLOW_MCP_SERVER_ALLOWED_PACKAGES", default=None)
    mcp_sdk_constraint: str = _env("LANGFLOW_MCP_SDK_CONSTRAINT", default="mcp~=1.28")
    # 1.13: the only environment variables an MCP server config may set (comma-separated; None: the default policy)
    mcp_server_env_allowlist: str | None = _env("LANGFLOW_MCP_SERVER_ENV_ALLOWLIST", default=None)
    # 1.13: python and node only as Langflow's agentic MCP module, shells only as wrappers
    mcp_server_interpreter_hardening: bool = _env("LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING", default=False)
    # 1.13: docker MCP servers without ports, mounts, devices, other runtimes or networks (off: privilege flags only)
    mcp_server_docker_hardening: bool = _env("LANGFLOW_MCP_SERVER_DOCKER_HARDENING", default=False)
    # 1.13: the A2A routes (/api/v1/a2a/...) answer 404 "Not Found" unless this is on; /config shows it.
    a2a_enabled: bool = _env("LANGFLOW_A2A_ENABLED", default=False)
    # 1.13: on, an A2A push notification webhook may be at a private, loopback or link-local address.
    a2a_allow_private_webhooks: bool = _env("LANGFLOW_A2A_ALLOW_PRIVATE_WEBHOOKS", default=False)
    # 1.13: the data subject (GDPR) routes (/api/v1/data-subjects/..., /api/v1/users/me/deletion-request and
    # data-export) answer 404 "Not Found" unless this is on; /config's feature_flags show it.
    data_subject_requests: bool = _env("LANGFLOW_FEATURE_DATA_SUBJECT_REQUESTS", default=False)
    # Every release: a flag Langflow's own frontend reads (it shows the components marked MVP); /config's
    # feature_flags show it. It changes nothing else, in Langflow or in the mock.
    mvp_components: bool = _env("LANGFLOW_FEATURE_MVP_COMPONENTS", default=False)
    # 1.13: days until a new data subject request is due (overdue past it while still open).
    data_subject_response_days: int = _env("LANGFLOW_DATA_SUBJECT_RESPONSE_DAYS", default=30, ge=1, le=90)
    # 1.13, with the data subject routes on: a request still waiting past its due date is approved and erased
    data_subject_auto_erase_on_expiry: bool = _env("LANGFLOW_DATA_SUBJECT_AUTO_ERASE_ON_EXPIRY", default=False)
    # 1.13: custom code restricted by any of these (custom components off, for admins only, or code interpreter
    # components blocked) leaves stdio MCP server configs (the projects' own entries too) to superusers; /config
    # shows the first two. The mock emulates no other effect of them.
    allow_custom_components: bool = _env("LANGFLOW_ALLOW_CUSTOM_COMPONENTS", default=True)
    custom_component_admin_only: bool = _env("LANGFLOW_CUSTOM_COMPONENT_ADMIN_ONLY", default=False)
    block_code_interpreter_components: bool = _env("LANGFLOW_BLOCK_CODE_INTERPRETER_COMPONENTS", default=False)

    # Extra scripted-LLM scripts (files or folders), on top of the shipped defaults.
    scripts: list[Path] = _env("MOCK_LANGFLOW_SCRIPTS", default=[])
    strict_scripts: bool = _env("MOCK_LANGFLOW_STRICT", default=False)

    # Requests real Langflow never answers (re-reading drained build events, ...): hang as it does, or error.
    never_answer: Literal["hang", "error"] = _env("MOCK_LANGFLOW_NEVER_ANSWER", default="hang")

    # Build jobs and background workflow jobs spend at least this long running, as real Langflow's take tens
    # of milliseconds: a client that polls or stops right after submitting meets a running job, as in production.
    # inf would hold every job for ever, nan and negatives mean nothing: 0 to a day.
    job_latency_ms: float = _env("MOCK_LANGFLOW_JOB_LATENCY_MS", default=250, ge=0, le=LONGEST_WAIT_MS,
                                 allow_inf_nan=False)

    # Langflow 1.13's rate limits (mock_langflow/ratelimit.py): login attempts per client address and minute;
    # off, login takes Langflow's 10000 a minute. Public builds: per flow, client address and minute, none when off.
    rate_limit_enabled: bool = _env("LANGFLOW_RATE_LIMIT_ENABLED", default=True)
    rate_limit_per_minute: int = _env("LANGFLOW_RATE_LIMIT_PER_MINUTE", default=5, ge=0)
    public_flow_rate_limit_per_minute: int = _env("LANGFLOW_PUBLIC_FLOW_RATE_LIMIT_PER_MINUTE", default=20, ge=0)
    # 1.13: a user's connection and integration reads, and connection writes, a minute (each its own bucket)
    connection_metadata_rate_limit_per_minute: int = _env("LANGFLOW_CONNECTION_METADATA_RATE_LIMIT_PER_MINUTE",
                                                          default=60, ge=0)
    connection_write_rate_limit_per_minute: int = _env("LANGFLOW_CONNECTION_WRITE_RATE_LIMIT_PER_MINUTE", default=30,
                                                       ge=0)
    # Behind a trusted proxy: the client address is X-Forwarded-For's last hop (limits and MCP installs).
    rate_limit_trust_proxy: bool = _env("LANGFLOW_RATE_LIMIT_TRUST_PROXY", default=False)

    # The /_mock control API (scripts, faults, journal, reset, seed); --no-control-api turns it off.
    control_api: bool = _env("MOCK_LANGFLOW_CONTROL_API", default=True)
    # Folders or Langflow export files loaded into the superuser's account at start-up (--seed).
    seed_paths: list[Path] = _env("MOCK_LANGFLOW_SEED", default=[])

    # In-memory SQLite and no files on disk: for tests and throwaway servers.
    ephemeral: bool = _env("MOCK_LANGFLOW_EPHEMERAL", default=False)
    # Seeds the ids the server makes and the dice of faults given a rate: the same seed, the same ids.
    random_seed: int | None = _env("MOCK_LANGFLOW_RANDOM_SEED", default=None)

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, given: Any) -> Any:
        """Add the environment's value of every field the constructor was not given, by name or by its variable."""
        if not isinstance(given, dict):
            return given
        environ = {name.upper(): value for name, value in os.environ.items()}
        merged = dict(given)
        for name, info in cls.model_fields.items():
            variable = _env_name(info.validation_alias)
            if name not in merged and variable not in merged and variable.upper() in environ:
                merged[variable] = environ[variable.upper()]
        return merged

    @field_validator("cors_allow_methods", "cors_allow_headers", mode="before")
    @classmethod
    def _json_or_text(cls, value: Any) -> Any:
        """Langflow's `list[str] | str` settings: text that is a JSON list or string is read as JSON, any other
        text stays one string (comma-separated text is not split)."""
        if isinstance(value, str):
            try:
                decoded = json.loads(value)
            except ValueError:
                return value
            return decoded if isinstance(decoded, list | str) else value
        return value

    @field_validator("cors_origins", "scripts", "mcp_clients", "seed_paths", "variables_to_get_from_environment",
                     "ssrf_allowed_hosts", mode="before")
    @classmethod
    def _split_list(cls, value: Any, info: ValidationInfo) -> Any:
        """Comma-separated lists from the environment (paths may also be os.pathsep-separated), or a JSON
        list."""
        # lfx reads its allowed hosts by splitting the text on commas, whatever it looks like
        if isinstance(value, str) and value.lstrip().startswith("[") and info.field_name != "ssrf_allowed_hosts":
            return json.loads(value)
        if isinstance(value, str):
            if info.field_name == "scripts":
                value = value.replace(os.pathsep, ",")
            return [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, Path):
            return [value]
        return value

    @field_validator("load_flows_path", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: Any) -> Any:
        """Langflow loads nothing when the variable is set but empty (not the current directory)."""
        return None if value == "" else value

    @field_validator("root_path", mode="before")
    @classmethod
    def _path_prefix(cls, value: Any) -> Any:
        """Langflow's reading of its root path: trimmed, "/" for none, a leading slash added and trailing ones
        dropped; a scheme, query or fragment stops its start."""
        if not isinstance(value, str):
            return value
        value = value.strip()
        if value in ("", "/"):
            return ""
        if "://" in value or "?" in value or "#" in value:
            raise ValueError("root_path must be an ASGI path prefix only, without scheme, query string, or fragment")
        return ("" if value.startswith("/") else "/") + value.rstrip("/")

    @field_validator("root_path", "frontend_path")
    @classmethod
    def _frontend(cls, value: Any, info: ValidationInfo) -> Any:
        """What a served frontend needs (checked where the release serves one): 1.13 writes the root path into the
        page's <base>, and only URL path segments may go there; a build must be there, with its index.html.
        Anything else stops the start, as it stops Langflow's."""
        if "langflow_version" not in info.data or "backend_only" not in info.data or not value:
            return value
        profile = get_profile(info.data["langflow_version"])
        backend_only = info.data["backend_only"]
        if profile.http.backend_only if backend_only is None else backend_only:
            return value
        if info.field_name == "root_path":
            if profile.http.root_path and not PAGE_PREFIX.fullmatch(value):
                raise ValueError("LANGFLOW_ROOT_PATH must be a URL path such as /langflow or /tools/langflow.")
        elif not value.is_dir():
            raise ValueError(f"Static files directory {value} does not exist.")
        elif not (value / "index.html").is_file():  # (Langflow fails on its first read of it)
            raise ValueError(f"Static files directory {value} has no index.html.")
        return value

    @field_validator("kb_allowed_folder_roots", mode="before")
    @classmethod
    def _comma_split(cls, value: Any) -> Any:
        """Langflow's settings split a list's text on every comma, whatever it looks like."""
        return value.split(",") if isinstance(value, str) else value

    @field_validator("agentic_experience", "ssrf_protection_enabled", "connector_ssrf_validation_enabled",
                     "connector_ssrf_allow_loopback")
    @classmethod
    def _boolean_text(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Langflow reads these flags as booleans: any other text stops its start."""
        if value is not None and value.lower() not in TRUE_WORDS | FALSE_WORDS:
            raise ValueError(f"{info.field_name}: {value!r} is not a boolean")
        return value

    def native_tracing_on(self) -> bool:
        """Whether Langflow's native tracer would write traces: its flag read as NativeTracer reads it."""
        return not self.deactivate_tracing and (self.native_tracing or "true").lower() not in ("false", "0", "no")

    def agentic_on(self, default: bool) -> bool:
        """Langflow's agentic_experience setting: the flag read as a boolean, else the release's `default`."""
        return default if self.agentic_experience is None else self.agentic_experience.lower() in TRUE_WORDS

    @field_validator("langflow_version")
    @classmethod
    def _known_version(cls, value: str) -> str:
        """1.8 and 1.8.4 name the same profile; the canonical version is kept."""
        return get_profile(value).version

    def resolved(self) -> Settings:
        """These settings with every "as the release does" default (None) replaced by the profile's value."""
        profile = get_profile(self.langflow_version)
        update: dict[str, Any] = {}
        if self.backend_only is None:
            update["backend_only"] = profile.http.backend_only
        if self.webhook_auth_enable is None:
            update["webhook_auth_enable"] = profile.auth.webhook_auth_default
        if self.root_path and not profile.http.root_path:  # a release that has no such setting
            update["root_path"] = ""
        return self.model_copy(update=update) if update else self

    @field_validator("mcp_clients")
    @classmethod
    def _lower_clients(cls, value: list[str]) -> list[str]:
        """Names in any case; a name the install routes do not know (a typo such as 'claude-desktop') is an
        error rather than an editor that silently never counts as installed."""
        clients = [v.lower() for v in value]
        unknown = [v for v in clients if v not in MCP_CLIENTS]
        if unknown:
            raise ValueError(f"unknown MCP client {unknown[0]!r}; known: {', '.join(MCP_CLIENTS)}")
        return clients

    @property
    def database_path(self) -> Path:
        return self.data_dir / "mock-langflow.db"

    @property
    def files_path(self) -> Path:
        """Where uploaded files' bytes live (their names and owners are in the database)."""
        return self.data_dir / "files"
