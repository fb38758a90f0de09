"""create_app: builds one mock Langflow server, its state, middleware, routers and error handling."""

from __future__ import annotations

import copy
import os
import secrets
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from mock_langflow import errors
from mock_langflow.auth import api_key_header, api_key_query, oauth2_login
from mock_langflow.clock import Clock, Ids, start_seed
from mock_langflow.control import router as control
from mock_langflow.control.faults import Faults
from mock_langflow.control.journal import Journal
from mock_langflow.control.middleware import ControlLayer
from mock_langflow.control.seed import seed_path
from mock_langflow.engine.environment import credentials_from_environment, environment_reader
from mock_langflow.engine.graph import Node
from mock_langflow.engine.jobs import JobManager
from mock_langflow.engine.llm import ScriptedLLM
from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import (
    FileReader,
    HistoryReader,
    HistoryScope,
    ImageCheck,
    McpServerCheck,
    MemoryHook,
    MessageEraser,
    MessageSink,
    ModelPolicyReader,
    RunError,
    Runner,
    RunTrace,
    StoragePaths,
    TraceSink,
    TransactionSink,
    VariableReader,
    VertexResult,
)
from mock_langflow.frontend import install_frontend
from mock_langflow.handlers import install_error_handlers
from mock_langflow.mcp.projects import configure_at_startup, custom_code_restricted, stdio_refused
from mock_langflow.mcp.runtime import McpRuntime
from mock_langflow.middleware import (
    ConnectionDropper,
    ContentSizeLimit,
    Cors,
    ForwardedPrefix,
    JsonBodyGuard,
    ProfileScope,
    Sweeps,
    UploadBoundary,
)
from mock_langflow.profiles import Profile, activate, get_profile
from mock_langflow.ratelimit import RateLimits
from mock_langflow.responses import SerdeJSONResponse
from mock_langflow.routers import (
    a2a,
    agentic,
    agentic_mcp,
    audits,
    auth,
    authz,
    authz_admin,
    build,
    connections,
    data_subjects,
    extensions,
    files_v1,
    files_v2,
    flow_conflicts,
    flow_events,
    flows,
    knowledge_bases,
    logs,
    mcp,
    mcp_projects,
    memories,
    misc,
    models,
    monitor,
    policy,
    projects,
    registration,
    responses,
    run,
    traces,
    triggers,
    validate,
    variables,
    vertex_builds,
    webhooks,
    workflows,
)
from mock_langflow.routing import api_router, mount, route_name
from mock_langflow.schemas import Profiled
from mock_langflow.settings import SSRF_TRUE_WORDS, Settings, http_url, langflow_storage_dir
from mock_langflow.state import AUTO_LOGIN_SUPERUSER, LEGACY_DEFAULT_PASSWORD, AppState, load_secret_key
from mock_langflow.store import Database, Sealer, Store, dirlock
from mock_langflow.store.audit_retention import AuditRetention
from mock_langflow.store.jobs import masked
from mock_langflow.store.provider_check import SsrfPolicy
from mock_langflow.store.run_retention import RunRecordRetention, RunRecordRules
from mock_langflow.store.traces import SpanRecord, child_spans, span_id
from mock_langflow.streaming.events import vertex_outputs

if TYPE_CHECKING:
    from mock_langflow.model_catalog import ProviderPolicy

GZIP_MIN_SIZE = 1000  # fact 13: JSON bodies of 1000 bytes or more are gzipped for clients that accept it
# Langflow 1.13 (main.py) never gzips these on top of Starlette's own exclusions (images, zip, SSE...): file
# downloads (application/octet-stream), PDFs and Office documents are sent as they are, and without
# `Vary: Accept-Encoding` (files_v2_download).
GZIP_EXCLUDED_TYPES = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/octet-stream", "application/pdf",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation")


def default_scripts_dir() -> Path:
    """fixtures/scripts: in the wheel, or beside the package in a checkout."""
    packaged = Path(str(resources.files("mock_langflow").joinpath("_fixtures", "scripts")))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "fixtures" / "scripts"


# Loaded at every start; the other scripts shipped beside it (contract-1.8-components.yaml) are opt-in (--scripts).
DEFAULT_SCRIPT = "default.json"


def _saver(store: Store) -> MessageSink:
    async def save(message: Message, user_id: UUID | None) -> None:
        store.messages.save(message, user_id=user_id)
    return save


def _memory_capture(store: Store, policy: ModelPolicyReader | None) -> MemoryHook:
    def capture(flow_id: UUID, session_id: str, counted: bool) -> None:
        store.capture_memories(flow_id, session_id, counted=counted, policy=policy)
    return capture


def _model_policy(store: Store, profile: Profile) -> ModelPolicyReader | None:
    """1.13's model-provider policy for the runs (None before 1.13: none), read as a run first builds a model."""
    if profile.models.dialect != "policy":
        return None

    def read() -> ProviderPolicy | None:
        lists = store.model_policy_lists()
        if lists is None:
            return None
        from mock_langflow.model_catalog import ProviderPolicy, catalog_for

        return ProviderPolicy(catalog_for(profile.models.catalog, "policy"), *lists)
    return read


def _eraser(store: Store) -> MessageEraser:
    async def discard(message_id: UUID) -> None:
        store.messages.discard(message_id)
    return discard


def _history(store: Store) -> HistoryReader:
    async def history(flow_id: UUID | None, session_id: str, scope: HistoryScope) -> list[Message]:
        return store.messages.history(flow_id, session_id, scope)
    return history


def _transactions(store: Store, ids: Ids, clock: Clock, *, logged: bool) -> TransactionSink:
    """Each vertex run as a transaction, secret-named values masked as Langflow stores them; none at all when not
    `logged` (profile messages.transactions)."""
    async def log(flow_id: UUID | None, node: Node, inputs: dict[str, Any], result: VertexResult | RunError) -> None:
        if not logged:
            return
        if isinstance(result, RunError):  # a component that raised: an error transaction without outputs
            store.jobs.add_transaction(id=ids.uuid(), flow_id=flow_id, vertex_id=node.id, inputs=masked(inputs),
                                       outputs=None, timestamp=clock.now(), error=result.reason)
            return
        outputs = vertex_outputs(result)
        store.jobs.add_transaction(id=ids.uuid(), flow_id=flow_id, vertex_id=node.id, inputs=masked(inputs),
                                   outputs=masked(outputs), timestamp=clock.now())
    return log


# The span type of a component's kind (Langflow's trace_type: "llm" for a model, "agent" for an agent); "chain"
# for any other, as Langflow maps every trace type it has no span type for.
SPAN_TYPES = {"model": "llm", "agent": "agent"}


def _traces(store: Store) -> TraceSink:
    """Each run's native trace, as Langflow's native tracer writes it when the run ends: the trace (the run's
    id, "<flow name> - <flow id>", ok or error) and a span per component built, with its inputs and its outputs
    or error."""
    async def log(run: RunTrace) -> None:
        from mock_langflow.engine.lc_spans import rolled_up  # (imported by the first run, not at start)

        spans: list[SpanRecord] = []
        for s in run.spans:
            started = s.ended - timedelta(seconds=s.duration_s)
            own = SpanRecord(id=span_id(run.run_id, s.key or s.node.id), name=s.name or s.node.display_name,
                             span_type=SPAN_TYPES.get(s.node.kind, "chain"), start_time=started, end_time=s.ended,
                             latency_ms=int(s.duration_s * 1000), inputs=s.inputs,
                             outputs={**(s.outputs or {}), **({"error": s.error} if s.error else {})} or None,
                             error=s.error, attributes=rolled_up(s.children))
            spans.append(own)
            spans += child_spans(own, s.children)
        failed = run.failed or any(s.error for s in run.spans)
        flow_id = run.request.flow_id
        if flow_id is None:  # Runner._trace hands over none
            return
        store.traces.add(id=run.run_id, name=f"{run.request.flow_name} - {flow_id}", flow_id=flow_id,
                         session_id=run.session_id or str(run.run_id), status="error" if failed else "ok",
                         start_time=run.started, end_time=run.ended, spans=spans)
    return log


def _variables(store: Store) -> VariableReader:
    """A field's global variable, as its run's user stored it (None: not found)."""
    async def read(user_id: UUID | None, name: str) -> tuple[str | None, bool]:
        return (None, False) if user_id is None else store.users.variable_for_run(user_id, name)
    return read


def _mcp_server_check(settings: Settings, profile: Profile, store: Store) -> McpServerCheck:
    """An MCP Tools component at run time resolves the config of its server (the user's server of that name, else
    the node's own `config`). 1.13: none is the component's "not configured" error (profile
    mcp.unconfigured_server), then the config goes through ensure_mcp_stdio_access, 403 refused as on the server
    routes. Before 1.13 none leaves the tool list empty, and a server list that cannot be read fails it with
    Langflow's exception text."""
    unconfigured, stdio = profile.mcp.unconfigured_server, profile.mcp.stdio_admin_only

    async def check(user_id: UUID, selection: Any) -> tuple[str | None, bool]:
        name, config = (selection.get("name"), selection.get("config")) if isinstance(selection, dict) else (
            selection, None)
        if not name:
            return None, True  # Langflow loads no tools, and checks nothing
        if not isinstance(name, str):
            return None, False
        try:
            resolved = store.mcp.server_for_run(user_id, name) or config
        except errors.MockHTTPError as exc:  # (before 1.13) the servers file's failure, as Langflow's text
            return exc.exception_text, False
        if not resolved:
            return (errors.mcp_server_not_configured(name), False) if unconfigured else (None, True)
        if stdio and custom_code_restricted(settings) and stdio_refused(settings, True, store.users.get(user_id),
                                                                         resolved):
            return f"403: {errors.MCP_STDIO_RESTRICTED}", False  # the HTTPException's text
        return None, False
    return check


def _files(store: Store) -> FileReader:
    """A run's files (Chat Input `files`, File component `path`): a stored file the caller owns, as (name, text)."""
    async def read(path: str, user_id: UUID | None) -> tuple[str, str] | None:
        return store.files.read_for_run(path, user_id=user_id)
    return read


def _images(store: Store) -> ImageCheck:
    """Whether a storage key names a stored image file: a Chat Input's image becomes an Image object."""
    async def check(path: str) -> bool:
        return store.files.is_image(path)
    return check


def _storage(checked: bool, restrict: bool) -> StoragePaths:
    """Langflow's storage paths for a run's file fields: a release that checks them (1.13) confines them to the
    run's storage folders while LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS is on, else checks its storage keys only."""
    return StoragePaths(str(langflow_storage_dir()), restricted=checked and restrict,
                        scoped_keys=checked and not restrict)


class StartRefused(RuntimeError):
    """A setting the emulated release refuses to start with (its own text)."""


def _check_superuser_setting(settings: Settings, profile: Profile) -> None:
    """1.13 sets its superuser up at start: with auto-login off it needs LANGFLOW_SUPERUSER_PASSWORD, and not the
    legacy default 'langflow' (profile auth.superuser_password_required); 1.8 and 1.7.1 fall back to 'langflow'."""
    if settings.auto_login or not profile.auth.superuser_password_required:
        return
    if not settings.superuser_password:
        raise StartRefused(errors.SUPERUSER_PASSWORD_MISSING)
    if settings.superuser_password == LEGACY_DEFAULT_PASSWORD:
        raise StartRefused(errors.SUPERUSER_PASSWORD_LEGACY)


def build_state(settings: Settings, *, ids: Ids | None = None, clock: Clock | None = None,
                serving: bool = True) -> AppState:
    """Open the database and make sure the superuser, its default project and the examples exist.

    One process at a time sets a data dir up, and one server at a time serves it (store/dirlock.py): a
    `serving` state holds the data dir's server lock until it is disposed, and a second server on the same data
    dir stops with DataDirInUse. A one-shot command (not `serving`) may run beside a server."""
    settings = settings.resolved()
    if serving:
        _check_superuser_setting(settings, get_profile(settings.langflow_version))
    data_dir = None if settings.ephemeral else settings.data_dir
    with dirlock.setting_up(data_dir):
        owner = None if data_dir is None else dirlock.claim(
            data_dir, serving=serving, holder=f"pid {os.getpid()}, {http_url(settings.host, settings.port)}")
        try:
            ids = ids or Ids(start_seed(settings.random_seed, data_dir))
            state = _open_state(settings, ids, clock or Clock(), serving=serving,
                                alone=data_dir is None or owner is not None)
        except BaseException:
            if owner is not None:
                owner.release()
            raise
        if serving:
            state.data_dir_lock = owner
        elif owner is not None:
            owner.release()  # before the setup lock: a server starting next never finds a one-shot holding it
    return state


def _ssrf_policy(settings: Settings) -> SsrfPolicy:
    """1.13's SSRF settings as lfx's guard reads their environment variables: on when unset or true, 1, yes or on
    (any case: SSRF_TRUE_WORDS), else off (so "t" or "y", which Langflow's settings take as true, turn a guard
    off)."""
    def on(value: str | None) -> bool:
        return value is None or value.lower() in SSRF_TRUE_WORDS
    return SsrfPolicy(protection=on(settings.ssrf_protection_enabled),
                      connector=on(settings.connector_ssrf_validation_enabled),
                      loopback=on(settings.connector_ssrf_allow_loopback),
                      allowed_hosts=tuple(settings.ssrf_allowed_hosts))


def _audit_retention(settings: Settings, db: Database, clock: Clock) -> AuditRetention:
    """1.13's audit retention (only 1.13 has the audit tables it sweeps)."""
    return AuditRetention(db, clock, resource_days=settings.audit_retention_days,
                          authz_days=settings.authz_audit_retention_days,
                          interval_s=settings.authz_audit_cleanup_interval,
                          authz_worker=settings.authz_audit_enabled and settings.authz_audit_retention_days > 0)


# /config's keys that show a setting of the same name (as the release's /config has them), and those that show one
# under another name
CONFIG_SETTINGS = ("max_file_size_upload", "webhook_auth_enable", "mcp_servers_locked", "allow_custom_components",
                   "custom_component_admin_only", "a2a_enabled", "enable_extension_reload", "frontend_timeout",
                   "auto_saving", "auto_saving_interval", "health_check_max_retries", "webhook_polling_interval",
                   "public_flow_cleanup_interval", "public_flow_expiration", "event_delivery", "mcp_base_url",
                   "hide_getting_started_progress", "substitute_outdated_component_code",
                   "assistant_max_message_length", "embedded_mode")
CONFIG_RENAMED = {"serialization_max_text_length": "max_text_length",
                  "serialization_max_items_length": "max_items_length"}
EMBEDDED_HIDES = ("hide_logout_button", "hide_new_project_button", "hide_new_flow_button", "hide_starter_projects")


def _configured(profile: Profile, settings: Settings) -> Profile:
    """The release's profile with its /config answers showing these settings (a setting left unset keeps the
    release's value), which the server then serves and reads (the assistant's message limit)."""
    shown: dict[str, Any] = {key: getattr(settings, key) for key in CONFIG_SETTINGS}
    shown |= {key: getattr(settings, name) for key, name in CONFIG_RENAMED.items()}
    shown |= {key: True if settings.embedded_mode else getattr(settings, key) for key in EMBEDDED_HIDES}
    shown["agentic_experience"] = settings.agentic_on(profile.variables.agentic_default)
    flags = {"mvp_components": settings.mvp_components, "data_subject_requests": settings.data_subject_requests}

    def answer(config: dict[str, Any]) -> dict[str, Any]:
        body = {key: value if shown.get(key) is None else shown[key] for key, value in config.items()}
        if "feature_flags" in body:
            body["feature_flags"] = {key: flags.get(key, on) for key, on in body["feature_flags"].items()}
        return body

    public = None if profile.config_public is None else answer(profile.config_public)
    return replace(profile, config_public=public, config_full=answer(profile.config_full))


def _run_records(settings: Settings, db: Database, clock: Clock, profile: Profile) -> RunRecordRetention:
    """Which transactions and vertex builds the release, with these settings, writes and keeps."""
    per_vertex = settings.max_vertex_builds_per_vertex
    per_vertex = profile.messages.builds_per_vertex if per_vertex is None else per_vertex
    sweeper = profile.messages.record_sweeper and settings.telemetry_writer_enabled
    rules = RunRecordRules(transactions=settings.transactions_storage_enabled,
                           builds=settings.vertex_builds_storage_enabled,
                           max_transactions=settings.max_transactions_to_keep,
                           max_builds=settings.max_vertex_builds_to_keep,
                           max_builds_per_vertex=per_vertex,
                           sweep_s=settings.telemetry_writer_cleanup_interval_s if sweeper else None)
    return RunRecordRetention(db, clock, rules)


def _open_state(settings: Settings, ids: Ids, clock: Clock, *, serving: bool, alone: bool) -> AppState:
    """build_state's work. `alone`: no other server uses the data dir, so what a previous one left unfinished
    (upload bytes no row points at, jobs still queued or running, A2A push configs) is cleaned up. What a
    server does at its start (`serving`): its script files replace the last server's, the superuser gets the
    password of its settings, and the MCP projects are set up as Langflow does. A one-shot command does none of
    it: a server beside it may run with other settings, and its scripts, logins and MCP settings must go on as
    they were."""
    db = Database(None if settings.ephemeral else settings.database_path)
    profile = _configured(get_profile(settings.langflow_version), settings)
    secret_key = load_secret_key(settings)
    sealer = Sealer(secret_key, ids, clock, on_create=profile.projects.sealed_on_create,
                    foreign_kept=profile.projects.foreign_tokens == "kept")
    # Langflow's agentic experience (LANGFLOW_AGENTIC_EXPERIENCE, else the release's default) gives users its
    # variables; off, no start or sign-in makes them.
    agentic = settings.agentic_on(profile.variables.agentic_default)
    retention = _audit_retention(settings, db, clock)
    run_records = _run_records(settings, db, clock, profile)
    store = Store(db, ids, clock, sealer, files_dir=None if settings.ephemeral else settings.files_path,
                  default_variables=profile.startup.variables and agentic, variable_rules=profile.variables,
                  sign_in_variables=profile.variables.agentic_sign_ins if agentic else frozenset(),
                  start_placeholders=agentic,
                  default_fallback=profile.projects.default_fallback, name_numbers=profile.projects.name_numbers,
                  mcp_servers_file=profile.files.mcp_config_file,
                  track_key_uses=not settings.disable_track_apikey_usage, ssrf=_ssrf_policy(settings),
                  authz_audit=settings.authz_audit_enabled,
                  user_dir=None if settings.ephemeral else settings.data_dir / "user",
                  retention=retention, end_user_chunks=bool(settings.serving_end_user_header),
                  run_records=run_records, max_flow_versions=settings.max_flow_version_entries_per_flow,
                  remove_api_keys=settings.remove_api_keys)
    if alone:
        store.files.sweep()
        if not db.new:  # (a database this start made has no job or push config of a previous server)
            store.jobs.recover_interrupted()
            store.forget_a2a_push_configs()
    llm = ScriptedLLM(db, ids, clock, strict=settings.strict_scripts)
    if serving:  # a server's script files replace the last server's; a one-shot command runs no flow
        llm.load_files([default_scripts_dir() / DEFAULT_SCRIPT, *settings.scripts])
    model_policy = _model_policy(store, profile)
    runner = Runner(llm, ids, clock, store_message=_saver(store), discard_message=_eraser(store),
                    read_file=_files(store), history=_history(store), read_variable=_variables(store),
                    read_environment=environment_reader(guarded=profile.run.env_fallback_guard)
                    if settings.fallback_to_env_var else None,
                    protected_globals=profile.run.protected_globals,
                    secret_credentials=profile.run.secret_credentials, table_row_flags=profile.run.table_row_flags,
                    orphaned_tools=profile.run.orphaned_tools, field_fallback=profile.run.field_fallback,
                    human_input=profile.run.human_input,
                    check_mcp_server=_mcp_server_check(settings, profile, store),
                    storage=_storage(profile.run.restricted_files, settings.restrict_local_file_access),
                    image_file=_images(store), stored_files=profile.messages.stored_files,
                    pydantic_docs=profile.validation.pydantic_docs,
                    log_transaction=_transactions(store, ids, clock, logged=profile.messages.transactions == "masked"),
                    log_trace=_traces(store) if profile.messages.traces and settings.native_tracing_on() else None,
                    capture_memory=_memory_capture(store, model_policy), model_policy=model_policy,
                    tweaks_policy=settings.tweaks_policy if profile.run.tweak_floor else "permissive")
    state = AppState(settings=settings, profile=profile, store=store, ids=ids,
                     clock=clock, secret_key=secret_key, llm=llm, runner=runner,
                     jobs=JobManager(store.jobs, runner, ids, clock, pool_size=settings.background_max_concurrency,
                                     input_deadline_s=settings.background_input_deadline_s,
                                     watchdog_s=settings.background_watchdog_interval_s),
                     journal=Journal(db, clock),
                     faults=Faults(db, seed=settings.random_seed),
                     limits=RateLimits(lambda: clock.now().timestamp()))
    # the environment's values Langflow's import stores before it adds a new user's agentic variables (Users keeps
    # the agentic names of them)
    store.users.creation_environment = lambda: credentials_from_environment(settings, profile.variables)
    if settings.api_key_source == "env" and settings.langflow_api_key:
        store.users.environment_key = (settings.langflow_api_key, settings.superuser)
    if settings.auto_login:
        # Langflow 1.13's auto-login superuser has a random password: logging in as langflow/langflow fails
        # (fact 7); older releases keep the default password (profile auth.default_login).
        password = LEGACY_DEFAULT_PASSWORD if state.profile.auth.default_login else secrets.token_urlsafe(24)
        # store_api_key "": what Langflow's first auto-login (the frontend's first page) leaves on the superuser.
        user = store.users.ensure_superuser(username=AUTO_LOGIN_SUPERUSER, password=password, reset_password=serving,
                                            store_api_key="")
    else:
        user = store.users.ensure_superuser(username=settings.superuser, reset_password=serving,
                                            password=settings.superuser_password or LEGACY_DEFAULT_PASSWORD)
    state.superuser_id = user.id
    if serving:
        # 1.13 stores the environment's Credentials for every user when it starts, 1.8 for its auto-login superuser
        state.start_environment = credentials_from_environment(settings, profile.variables)
        state.start_variables()
    store.projects.default_for(user.id)
    if settings.create_starter_projects:
        store.seed_examples()
    if serving and settings.load_flows_path is not None:  # Langflow's next start-up step: for its first superuser
        from mock_langflow.control.load_flows import load_flows_path

        first = store.users.first_superuser()
        load_flows_path(state, settings.load_flows_path, user_id=first.id if first is not None else user.id)
    if settings.api_key and not store.users.has_key(settings.api_key):
        store.users.create_key(user_id=user.id, name="mock-langflow", key=settings.api_key)
    for path in settings.seed_paths:
        seed_path(state, path, user_id=user.id)
    if serving:
        if profile.startup.mcp_backfill:
            store.mcp.backfill_from_files([u.id for u in store.users.list(skip=0, limit=None)[1]])
        configure_at_startup(state)
        retention.at_start()
        run_records.at_start()
    return state


V1_ROUTERS = (
    knowledge_bases.storage_router,  # 1.13 registers its knowledge-base storage routes first
    flow_conflicts.router,  # Langflow registers its flow conflict routes next
    audits.router,  # 1.13: /audits, then /flows/audits before the flow routes (not a flow id)
    flows.router,  # fact 43: PUT /flows/ -> 405 allow POST, because create_flow is registered first
    flow_events.router,  # 1.13 registers its flow event routes between the flow and the version ones
    flow_conflicts.versions_router,  # after the flow routes, as Langflow registers its version routes
    vertex_builds.router,  # Langflow's deprecated vertex-by-vertex build, registered around its build routes
    build.router,
    build.public_router,
    connections.router,  # 1.13: its connections and integrations after its chat routes
    connections.integrations_router,
    run.router,
    webhooks.router,
    misc.router,
    validate.router,
    misc.store_router,  # Langflow registers it after the validate routes
    auth.users_router,
    data_subjects.router,  # 1.13: its own-data routes and the request queue
    auth.api_key_router,
    auth.login_router,
    variables.router,
    files_v1.router,
    files_v1.legacy_router,
    projects.folders_router,
    audits.projects_router,  # 1.13: /projects/audits before the project routes (not a project id)
    projects.router,
    flows.starter_router,
    knowledge_bases.router,  # Langflow registers the knowledge bases right after the starter projects
    memories.router,  # 1.13: its memory bases right after them
    monitor.router,
    build.monitor_router,
    traces.router,  # Langflow registers its trace routes right after the monitor's
    mcp.router,  # Langflow registers the global MCP server after the monitor routes, then the project ones
    mcp_projects.router,
    a2a.router,  # Langflow mounts A2A between the project MCP routes and the Responses route
    responses.router,  # Langflow registers the OpenAI Responses route after the MCP ones
    models.router,  # then its model catalog, model options and provider policy routes
    models.options_router,
    models.policy_router,
    policy.bundle_router,  # 1.13: the policy bundle after the provider policy, the catalog policy after authz/me
    authz_admin.router,  # 1.13: shares, audit, capabilities, roles, role assignments, teams
    authz.me_router,  # 1.13: after its model and policy routes
    policy.catalog_router,
    triggers.router,  # 1.13: after its authorization routes, then the unauthenticated ingress
    triggers.ingress_router,
    extensions.router,  # 1.13: mounted after the triggers' ingress (its reload guarded per request)
    agentic.router,  # Langflow includes its assistant's routes after the models and authorization routes
    agentic.files_router,
    agentic.sessions_router,
    agentic_mcp.router,  # 1.13: after the assistant's routers
)
V2_ROUTERS = (files_v2.router, mcp.servers_router, registration.router, workflows.public_router)
# The v2 Workflow API of each dialect (profile workflows.dialect); "absent" has none.
def workflow_router(dialect: str | None) -> APIRouter | None:
    """The v2 Workflow API of the release's dialect: 1.13's, or 1.8's beta one, whose module and shapes are
    imported only by a server that emulates 1.8."""
    if dialect == "current":
        return workflows.router
    if dialect == "beta":
        from mock_langflow.routers import workflows_beta

        return workflows_beta.router
    return None


def for_release(router: APIRouter, profile: Profile) -> APIRouter:
    """`router` without the routes the emulated release does not have (profile routes_absent). The route
    objects are shared, never changed, so apps of different versions can live in one process."""
    if not any(route_name(r) in profile.routes_absent for r in router.routes):
        return router
    kept = api_router(prefix=router.prefix, tags=list(router.tags))
    kept.routes.extend(r for r in router.routes if route_name(r) not in profile.routes_absent)
    return kept


# The response class a typed answer is written with, by profile http.typed_json: FastAPI's own way (pydantic's
# dump_json), pydantic-core 2.33's floats, or json.dumps through JSONResponse.
TYPED_CLASSES: dict[str, type[Response] | None] = {"pydantic": None, "serde": SerdeJSONResponse,
                                                   "json": JSONResponse}


def include_routers(app: FastAPI, profile: Profile, *, mcp_copy: bool = True) -> None:
    """Everything, in the order Langflow registers it (the order decides which route a 405 names in its
    `allow` header). Each route goes straight onto the app (routing.mount): a route is analysed when it first
    serves, not with every other route of its router. `mcp_copy`: LANGFLOW_MCP_SERVER_ENABLED, which in every
    release decides only the second copy of the global MCP server (the one under /api/v1 stays)."""
    options = {"shown": profile.schema_shown, "shown_method": profile.schema_shown_method,
               "typed_class": TYPED_CLASSES[profile.http.typed_json]}
    mount(app, for_release(misc.health_router, profile), **options)
    for router in V1_ROUTERS:
        mount(app, for_release(router, profile), prefix="/api/v1", **options,
              endpoint_for=lambda operation, endpoint: run.released_endpoint(operation, endpoint, profile))
    workflow = workflow_router(profile.workflows.dialect)
    for router in (*V2_ROUTERS, *([workflow] if workflow else [])):
        mount(app, for_release(router, profile), prefix="/api/v2", **options)
    # Langflow serves its global MCP server a second time without the version (/api/mcp/sse, ...).
    if mcp_copy:
        mount(app, mcp.router, prefix="/api", **options)
    # then, as Langflow's main.py does after its API and health routes, the log retriever (no prefix)
    mount(app, for_release(logs.router, profile), **options)


def route_table(profile: Profile) -> set[tuple[str, str]]:
    """Every (method, path) the release's API has: what include_routers mounts, for diff-versions."""
    workflow = workflow_router(profile.workflows.dialect)
    mounted = [("", misc.health_router), *(("/api/v1", r) for r in V1_ROUTERS),
               *(("/api/v2", r) for r in (*V2_ROUTERS, *([workflow] if workflow else []))), ("/api", mcp.router),
               ("", logs.router)]
    return {(method, prefix + route.path) for prefix, router in mounted for route in for_release(router, profile).routes
            for method in (getattr(route, "methods", None) or ()) if method != "HEAD"}


def _shape_classes() -> list[type[Profiled]]:
    found, todo = [], list(Profiled.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a document's part, `node` itself included, parents before their children."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


SCHEMA_REF = "#/components/schemas/"


def _binary_format(node: Any) -> None:
    """Every uploaded file typed `format: binary`, as FastAPI typed them before it used contentMediaType."""
    for typed in _objects(node):
        if typed.get("contentMediaType") == "application/octet-stream" and typed.get("type") == "string":
            del typed["contentMediaType"]
            typed["format"] = "binary"


def _langflow_descriptions(schemas: dict[str, Any]) -> None:
    """Every schema and property described as Langflow's document describes it, and none that Langflow leaves
    undescribed: pydantic takes a shape's docstring (and a field's description=) as its description, and ours
    are notes for the code's readers, not Langflow's text (schemas/descriptions.py)."""
    from mock_langflow.schemas.descriptions import PROPERTIES, SCHEMAS  # noqa: PLC0415 (only the document needs it)

    for name, schema in schemas.items():
        described = [(schema, SCHEMAS.get(name))]
        described += [(typed, PROPERTIES.get(f"{name}.{prop}")) for prop, typed in schema.get("properties", {}).items()]
        for node, text in described:
            if text is None:
                node.pop("description", None)
            else:
                node["description"] = text


def _refs(node: Any) -> set[str]:
    """The component names `node` refers to."""
    return {ref[len(SCHEMA_REF):] for typed in _objects(node)
            if isinstance(ref := typed.get("$ref"), str) and ref.startswith(SCHEMA_REF)}


def _declared_security(app: FastAPI, profile: Profile, document: dict[str, Any]) -> None:
    """Each operation's security as the release lists it. FastAPI derives it from the schemes the route's
    dependencies declare (auth.py: the access token, the query's key, the header's, in Langflow's order); an
    operation whose caller dependency reads no credentials in this release (auth.optional_user_where) lists
    none, and the profile's schema_security says what the handlers' own checks and the deviations list. The
    access-token scheme is named after Langflow's class: OAuth2PasswordBearerCookie where the release reads the
    cookie too, FastAPI's OAuth2PasswordBearer where it reads the header only (1.7.1)."""
    paths = document["paths"]
    state = app.state.mock
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        pending = list(route.dependant.dependencies)
        while pending:
            dependency = pending.pop()
            reads_credentials = getattr(dependency.call, "reads_credentials", None)
            if reads_credentials is not None and not reads_credentials(state):
                for method in route.methods or ():
                    paths.get(route.path_format, {}).get(method.lower(), {}).pop("security", None)
                break
            pending.extend(dependency.dependencies)
    token = oauth2_login.scheme_name
    for entry, family in profile.schema_security.items():
        method, path = entry.split(" ", 1)
        operation = paths.get(path, {}).get(method.lower())
        if operation is None:
            continue
        operation.pop("security", None)
        if family == "token-or-key":
            operation["security"] = [{name: []} for name in (token, api_key_query.scheme_name,
                                                             api_key_header.scheme_name)]
    named = token if profile.auth.token_cookie else OAuth2PasswordBearer.__name__
    if named != token:
        components = document.get("components", {})
        if "securitySchemes" in components:
            components["securitySchemes"] = {named if name == token else name: scheme
                                             for name, scheme in components["securitySchemes"].items()}
        for operation in (op for ops in paths.values() for op in ops.values()):
            if "security" in operation:
                operation["security"] = [{named if name == token else name: scopes for name, scopes in entry.items()}
                                         for entry in operation["security"]]


def _referenced_only(document: dict[str, Any]) -> None:
    """No component that nothing refers to, as FastAPI lists them: a shape the release types otherwise (profile
    schema_responses, schema_properties, schema_absent) or a hidden operation may leave one behind."""
    schemas = document.get("components", {}).get("schemas", {})
    todo, reached = _refs(document["paths"]), set()
    while todo:
        name = todo.pop()
        reached.add(name)
        todo |= _refs(schemas.get(name)) - reached
    for name in set(schemas) - reached:
        del schemas[name]


def _renamed(document: dict[str, Any], names: dict[str, str]) -> None:
    """Components under the release's names (profile schema_names), every reference to them included."""
    schemas = document.get("components", {}).get("schemas", {})
    names = {old: new for old, new in names.items() if old in schemas}
    if not names:
        return
    document["components"]["schemas"] = {names.get(name, name): schema for name, schema in schemas.items()}
    refs = {f"{SCHEMA_REF}{old}": f"{SCHEMA_REF}{new}" for old, new in names.items()}
    for typed in _objects([document["paths"], document["components"]]):
        if isinstance(ref := typed.get("$ref"), str) and ref in refs:
            typed["$ref"] = refs[ref]


def _langflow_operation_texts(paths: dict[str, Any], version: str) -> None:
    """Every operation described as the release's document describes it, and none that it leaves undescribed:
    FastAPI takes a handler's docstring as the description, and ours are notes for the code's readers. Summaries,
    parameters and answers Langflow describes in its own words carry them (schemas/descriptions.py)."""
    from mock_langflow.schemas.descriptions import (  # noqa: PLC0415 (only the document needs it)
        PARAMETERS,
        RESPONSES,
        operation_texts,
    )

    descriptions, summaries = operation_texts(version)
    for path, operations in paths.items():
        for method, operation in operations.items():
            key = f"{method.upper()} {path}"
            text = descriptions.get(key)
            if text is None:
                operation.pop("description", None)
            else:
                operation["description"] = text
            if key in summaries:
                operation["summary"] = summaries[key]
            for parameter in operation.get("parameters", []):
                if f"{key} {parameter['name']}" in PARAMETERS:
                    parameter["description"] = PARAMETERS[f"{key} {parameter['name']}"]
            for status, answer in operation.get("responses", {}).items():
                answer["description"] = RESPONSES.get(f"{key} {status}", answer["description"])


# Answers the mock types for the document alone (routes' `responses`) where Langflow's route has them as its
# response model: FastAPI titles the first "Response 200 <operation>", the second "Response <operation>".
RESPONSE_MODEL_ANSWERS = frozenset({"GET /api/v1/config", "GET /api/v1/starter-projects/",
                                    "GET /api/v1/projects/{project_id}", "GET /api/v1/data-subjects/end-users"})


def _response_model_titles(paths: dict[str, Any]) -> None:
    for path, operations in paths.items():
        for method, operation in operations.items():
            if f"{method.upper()} {path}" not in RESPONSE_MODEL_ANSWERS:
                continue
            for content in operation.get("responses", {}).get("200", {}).get("content", {}).values():
                schema = content.get("schema", {})
                if str(schema.get("title", "")).startswith("Response 200 "):
                    schema["title"] = "Response " + schema["title"][len("Response 200 "):]


def install_openapi(app: FastAPI, profile: Profile) -> None:
    """/openapi.json as the release's: its routes (routers are filtered already), its version, its operations'
    parameters (profile params_absent) and their limits (params_bounds), and its shapes without the fields it
    does not have (shapes.hidden, schema_absent) or does not require (schema_optional), some properties and
    shapes and answers typed as it types them (schema_properties, schema_shapes, schema_responses), only the
    shapes its operations reach, every schema, property and operation described with Langflow's text or not at
    all."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                # A listed route of several methods has one id for all of them, as in Langflow's documents.
                warnings.filterwarnings("ignore", message="Duplicate Operation ID", category=UserWarning)
                document = FastAPI.openapi(app)
            for operation in profile.schema_hidden:
                method, path = operation.split(" ", 1)
                document["paths"].get(path, {}).pop(method.lower(), None)
            document["paths"] = {p: ops for p, ops in document["paths"].items() if ops}
            for entry, bounds in profile.params_bounds.items():
                method, path, name = entry.split(" ", 2)
                operation = document["paths"].get(path, {}).get(method.lower(), {})
                for parameter in operation.get("parameters", []):
                    if parameter["name"] == name:
                        schema = parameter["schema"]
                        branch = next((b for b in schema.get("anyOf", []) if b.get("type") == "integer"), schema)
                        branch.update(bounds)
            for entry in profile.params_absent:
                method, path, name = entry.split(" ", 2)
                operation = document["paths"].get(path, {}).get(method.lower())
                if operation is not None:
                    operation["parameters"] = [p for p in operation.get("parameters", []) if p["name"] != name]
                    if not operation["parameters"]:
                        del operation["parameters"]
                        if "requestBody" not in operation:  # FastAPI lists a 422 only for input it validates
                            operation["responses"].pop("422", None)
            schemas = document.get("components", {}).get("schemas", {})
            # The profile's schemas go in as copies: the document is edited further below (1.7.1's binary files),
            # and releases derived from one another share those dicts.
            for entry, typed in profile.schema_properties.items():
                shape, name = entry.split(".", 1)
                if shape in schemas:
                    schemas[shape].setdefault("properties", {})[name] = copy.deepcopy(typed)
            for entry in profile.schema_absent | profile.schema_optional:  # not required; an absent one not there
                shape, name = entry.split(".", 1)
                schema = schemas.get(shape, {})
                if entry in profile.schema_absent:
                    schema.get("properties", {}).pop(name, None)
                if name in schema.get("required", ()):
                    schema["required"] = [k for k in schema["required"] if k != name]
            for shape, typed in profile.schema_shapes.items():  # one no operation reaches goes again below
                schemas[shape] = copy.deepcopy(typed)
            required_bodies = {f"{SCHEMA_REF}{shape}" for shape, typed in profile.schema_shapes.items()
                               if typed.get("required")}
            for operation in (op for ops in document["paths"].values() for op in ops.values()):
                content = operation.get("requestBody", {}).get("content", {})
                if any(c.get("schema", {}).get("$ref") in required_bodies for c in content.values()):
                    operation["requestBody"]["required"] = True
            for entry, typed in profile.schema_responses.items():
                method, path = entry.split(" ", 1)
                operation = document["paths"].get(path, {}).get(method.lower())
                if operation is not None:
                    operation["responses"]["200"]["content"]["application/json"]["schema"] = copy.deepcopy(typed)
            if profile.schema_files == "binary-format":
                _binary_format(schemas)
            for cls in _shape_classes():
                hidden = profile.shapes.hidden.get(cls.shape, frozenset())
                for name in (cls.__name__, f"{cls.__name__}-Output", f"{cls.__name__}-Input"):
                    schema = schemas.get(name)
                    if schema is None or not hidden:
                        continue
                    schema["properties"] = {k: v for k, v in schema.get("properties", {}).items() if k not in hidden}
                    if "required" in schema:
                        schema["required"] = [k for k in schema["required"] if k not in hidden]
            _declared_security(app, profile, document)
            _referenced_only(document)
            _langflow_descriptions(schemas)
            _langflow_operation_texts(document["paths"], profile.version)
            _renamed(document, profile.schema_names)
            _response_model_titles(document["paths"])
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def lifespan(runtime: McpRuntime, state: AppState) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the MCP runtime's task group (its streamable HTTP managers run there); at the end,
    background jobs and A2A runs still running are cancelled."""

    @asynccontextmanager
    async def run(_app: FastAPI) -> AsyncIterator[None]:
        activate(state.profile)  # for the MCP session managers' tasks, which start here
        async with runtime.running():
            yield
        await state.jobs.shutdown()
        await a2a.stop_live_tasks(state)
        state.dispose()

    return run


def create_app(settings: Settings | None = None, *, state: AppState | None = None) -> FastAPI:
    settings = settings or Settings()
    state = state or build_state(settings)
    settings = state.settings
    runtime = McpRuntime(state)
    app = FastAPI(title="Langflow", version=state.profile.version, lifespan=lifespan(runtime, state))
    # LANGFLOW_ROOT_PATH (1.13), as Langflow hands it to FastAPI, set after construction: FastAPI 0.165 warns
    # of the constructor's parameter, and serves the attribute the same way (every request's root path).
    app.root_path = settings.root_path
    app.state.mock = state
    app.state.mcp = runtime
    install_error_handlers(app)
    include_routers(app, state.profile, mcp_copy=settings.mcp_server_enabled)
    install_openapi(app, state.profile)
    if settings.control_api:
        mount(app, control.router)
    install_frontend(app, settings, state.profile)
    # Outermost last: a dropped connection must reach the server as it is; the journal sees every status,
    # 413 included, and counts stream events before compression; JSON bodies are checked once they are
    # known to fit the size limit; the sweeps run before the route, once the request is let through.
    sweeps = []
    if settings.data_subject_requests and settings.data_subject_auto_erase_on_expiry:
        sweeps.append(state.store.data_subjects.sweep_expired)
    if settings.background_input_deadline_s is not None and state.profile.run.human_input:
        sweeps.append(state.jobs.sweep_input_deadlines)
    if sweeps:
        app.add_middleware(Sweeps, sweeps=sweeps)
    app.add_middleware(JsonBodyGuard)
    app.add_middleware(ContentSizeLimit, limit_mb=settings.max_file_size_upload)
    app.add_middleware(UploadBoundary, limit_mb=settings.max_file_size_upload)
    app.add_middleware(ControlLayer, state=state)
    if state.profile.http.gzip == "middleware":
        app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_SIZE, compresslevel=6,
                           exclude_content_types=GZIP_EXCLUDED_TYPES)
    app.add_middleware(Cors, rules=state.profile.http.cors, settings=settings)
    app.add_middleware(ConnectionDropper)
    if settings.root_path:
        app.add_middleware(ForwardedPrefix)
    app.add_middleware(ProfileScope, profile=state.profile)
    return app
