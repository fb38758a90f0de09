"""The SQLite tables. Each table inherits its API fields from schemas/ and adds what only storage needs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field

from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.files import FileFields
from mock_langflow.schemas.flows import FlowFields
from mock_langflow.schemas.projects import FolderBase


class UserRow(SQLShape, table=True):
    __tablename__ = "user"

    id: UUID = Field(primary_key=True)
    username: str = Field(index=True, unique=True)
    password_hash: str
    profile_image: str | None = None
    # Langflow leaves it null; its auto-login sets "" for the superuser (Users.touch_login).
    store_api_key: str | None = None
    is_active: bool = True
    is_superuser: bool = False
    create_at: datetime
    updated_at: datetime
    last_login_at: datetime | None = None
    optins: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class ApiKeyRow(SQLShape, table=True):
    __tablename__ = "apikey"

    id: UUID = Field(primary_key=True)
    name: str | None = None
    # Only a digest and the first 8 characters are kept: the whole key is shown once, at creation.
    key_hash: str = Field(index=True, unique=True)
    key_prefix: str
    user_id: UUID = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime
    last_used_at: datetime | None = None
    total_uses: int = 0
    is_active: bool = True
    expires_at: datetime | None = None


class FolderRow(FolderBase, table=True):
    __tablename__ = "folder"

    id: UUID = Field(primary_key=True)
    parent_id: UUID | None = None
    # None for the examples' own folder, which belongs to nobody (as Langflow's starter folder).
    user_id: UUID | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")


class FlowRow(FlowFields, table=True):
    __tablename__ = "flow"
    # Names and endpoint names are unique per owner, as in Langflow; the store renames before it inserts.
    # A page of flows is one owner's flows in one project: that index counts its total and reads its rows in
    # creation order without touching the table (a count through the owner index alone read every row).
    __table_args__ = (UniqueConstraint("user_id", "name"), UniqueConstraint("user_id", "endpoint_name"),
                      Index("ix_flow_owner_folder", "user_id", "folder_id"))

    id: UUID = Field(primary_key=True)
    # None for the example (starter) flows.
    user_id: UUID | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    folder_id: UUID | None = Field(default=None, foreign_key="folder.id", index=True)
    workspace_id: UUID | None = None
    name_key: str | None = None
    version_token: UUID | None = None
    fs_path: str | None = None
    created_at: datetime | None = None


class FileRow(FileFields, table=True):
    """An uploaded file: a v2 file of a user (flow_id None) or a v1 file of a flow. The bytes live on disk under
    the data dir, in a file named by `blob` (never by anything a client sent); `path` is the API's
    "<user_id>/<name>" or "<flow_id>/<name>", unique across both kinds since the two ids never collide."""

    __tablename__ = "file"

    id: UUID = Field(primary_key=True)
    # The owner: the uploading user for v2, the flow's owner for v1 (a run may read only its caller's files).
    user_id: UUID = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # No foreign key: a v1 file outlives its flow (Langflow keeps the flow's storage folder when it deletes the
    # flow), and whoever makes a flow with that id again sees it.
    flow_id: UUID | None = Field(default=None, index=True)
    path: str = Field(unique=True)
    blob: str
    created_at: datetime
    updated_at: datetime


class VariableRow(SQLShape, table=True):
    __tablename__ = "variable"

    id: UUID = Field(primary_key=True)
    name: str = Field(index=True)
    type: str | None = "Generic"  # a PATCH with "type": null stores null, as Langflow's nullable column does
    value: str | None = None
    default_fields: list[str] | None = Field(default=None, sa_type=JSON)
    user_id: UUID = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime
    updated_at: datetime | None = None
    # True: stored from the server's environment and not given a value, name or type since; False: the user's
    # own; None: made before the mock kept this (Langflow's is_environment_managed).
    environment_managed: bool | None = None


class MessageRow(SQLShape, table=True):
    """A chat message a run stored (the monitor API's messages)."""

    __tablename__ = "message"

    id: UUID = Field(primary_key=True)
    flow_id: UUID | None = Field(default=None, index=True)
    # Who ran the flow: the monitor API shows a user only the messages of their own runs.
    user_id: UUID | None = Field(default=None, index=True)
    session_id: str = Field(index=True)
    timestamp: datetime = Field(index=True)
    sender: str
    sender_name: str
    text: str
    files: list[str] | None = Field(default=None, sa_type=JSON)
    context_id: str | None = None
    properties: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    category: str = "message"
    content_blocks: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    run_id: UUID | None = None
    edit: bool = False
    error: bool = False
    # What a run stamped ({"graph_run_id": ...}) or an edit set; null in rows of a mock that kept none.
    session_metadata: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class ScriptRuleRow(SQLShape, table=True):
    """A scripted-LLM rule, from a script file or the control API, with how often it has answered."""

    __tablename__ = "script_rule"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    batch: int = 0  # one per script loaded or added: later batches take precedence
    spec: dict[str, Any] = Field(sa_type=JSON)
    uses: int = 0


class ScriptDefaultsRow(SQLShape, table=True):
    __tablename__ = "script_defaults"

    source: str = Field(primary_key=True)
    spec: dict[str, Any] = Field(sa_type=JSON)


class JobRow(SQLShape, table=True):
    """A run that happens in the background or is read later: build jobs, v2 workflow jobs, webhook runs."""

    __tablename__ = "job"

    id: UUID = Field(primary_key=True)
    kind: str = Field(index=True)  # build | workflow | webhook
    flow_id: UUID | None = Field(default=None, index=True)
    user_id: UUID | None = Field(default=None, index=True)
    status: str = "queued"  # queued | in_progress | suspended | completed | failed | cancelled
    session_id: str = ""
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    request: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    error: str | None = None
    idempotency_key: str | None = Field(default=None, index=True)
    # A build job's events sit in a queue, as in Langflow, where each goes to one reader (a poll, a stream):
    # `polled` counts the events handed out, `drained` says the close after the last one was (so nothing more
    # comes, but the empty `end` a poll then queues). `poll_ended`: an earlier mock's mark of the same.
    polled: int = 0
    poll_ended: bool = False
    drained: bool = False
    # Empty `end`s queued behind a close nobody took yet (a stream reader left first): the next to read past the
    # close leaves them for the reader after it, as Langflow's queue holds them after its sentinel.
    ends_after_close: int | None = None
    # A v2 background run suspended for a person (1.13): its graph, what it built, the decisions so far, the
    # pending request's id and the card message's (engine/hitl.py); what POST /resume goes on from
    checkpoint: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class JournalRow(SQLShape, table=True):
    """One request the mock received (the control API's journal); secrets are redacted before storing."""

    __tablename__ = "journal"

    id: int | None = Field(default=None, primary_key=True)
    timestamp: datetime = Field(index=True)
    method: str
    path: str = Field(index=True)
    query: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    headers: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    body: str | None = None
    status: int | None = None
    duration_ms: float | None = None
    flow_ref: str | None = Field(default=None, index=True)  # the flow id or endpoint name the request named
    session_id: str | None = Field(default=None, index=True)
    fault_id: int | None = None


class FaultRow(SQLShape, table=True):
    """A fault to inject into matching requests (the control API's faults)."""

    __tablename__ = "fault"

    id: int | None = Field(default=None, primary_key=True)
    spec: dict[str, Any] = Field(sa_type=JSON)
    remaining: int | None = None  # None: unlimited
    hits: int = 0


class McpServerRow(SQLShape, table=True):
    """One entry of a user's MCP server list (/api/v2/mcp/servers); the rowid keeps the list's order."""

    __tablename__ = "mcp_server"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: UUID = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str
    config: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


# Tables of rarely used features, defined in their store module and imported on the feature's first use (about
# 0.12 MiB of every start-up's RSS for A2A's two, 0.08 MiB for the flow versions', 0.03 MiB for the editors' MCP
# configs; 1.13's flow event queue and data subject requests; the model calls' log, read and written by runs only;
# 1.13's approved model providers; what runs leave behind, store/run_records.py): named here, so that a start, a
# reset and a flow's deletion clear them without importing them, and registered by all_tables() where every table
# must be known (a kept database's mending, schema.sql's generation). (1.13's authorization tables are made on
# first use instead: store/authz.py.)
A2A_TASKS, A2A_PUSH_CONFIGS = "a2a_tasks", "a2a_push_config"
FLOW_VERSIONS = "flow_version"
MCP_CLIENT_CONFIGS = "mcp_client_config"
FLOW_EVENTS = "flow_event"
LLM_CALLS = "llm_call"
# a job's events, each vertex's build and run, a run's native trace and its spans (store/run_records.py)
JOB_EVENTS, VERTEX_BUILDS, TRANSACTIONS, TRACES, SPANS = "job_event", "vertex_build", "transaction", "trace", "span"
RUN_RECORD_TABLES = (JOB_EVENTS, VERTEX_BUILDS, TRANSACTIONS, SPANS, TRACES)
# 1.13's authorization tables but the roles (whose system ones stay), in the order a reset empties them
AUTHZ_AUDIT, AUTHZ_SHARES, AUTHZ_TEAM_MEMBERS, AUTHZ_ASSIGNMENTS = (
    "authz_audit_log", "authz_share", "authz_team_member", "authz_role_assignment")
AUTHZ_TABLES = (AUTHZ_AUDIT, AUTHZ_SHARES, AUTHZ_TEAM_MEMBERS, "authz_team", AUTHZ_ASSIGNMENTS)
AUTHZ_ROLES = "authz_role"
REPLACEMENT_OPERATIONS = "project_replacement_operation"  # 1.13's project replacement receipts
# the knowledge bases (Langflow's knowledge_base rows), their chunks and their ingestion runs
KNOWLEDGE_BASES, KB_CHUNKS, KB_RUNS = "knowledge_base", "knowledge_base_chunk", "knowledge_base_run"
MODEL_PROVIDER_POLICY = "model_provider_policy"
# 1.13's memory bases, the sessions synced into them, the runs captured for them and which messages each
# ingestion stored
MEMORY_BASES, MB_SESSIONS, MB_RUNS = "memory_base", "memory_base_session", "memory_base_workflow_run"
MB_INGESTIONS = "message_ingestion_record"
MEMORY_TABLES = (MB_INGESTIONS, MB_RUNS, MB_SESSIONS, MEMORY_BASES)
# 1.13's policy bundle: its immutable revisions and the pointer to the active one
POLICY_REVISIONS, POLICY_ACTIVE = "policy_bundle_revision", "policy_bundle_active"
TRIGGERS, TRIGGER_EVENTS = "trigger", "trigger_event"  # 1.13's flow triggers and their ledger
DATA_SUBJECT_REQUESTS = "data_subject_request"
EXTENSION_EVENTS = "extension_event"  # 1.13's extension lifecycle events
ASSISTANT_TURNS = "assistant_turn"  # 1.13's assistant sessions' conversations
AUDIT_EVENTS = "audit_events"  # 1.13's resource audit trail (LANGFLOW_AUDIT_ENABLED)
CONNECTIONS, CONNECTION_SECRETS = "connection", "connection_secret"  # 1.13's integration connections
# Tables made by their feature's first use, not by a new database's schema.sql (each held some 20-30 KiB of every
# start-up's RSS, as SQLite reads the schema): their store makes them (Database.make), and a by-name delete
# (store.db.clear_tables, a user's deletion) skips them while they are not there.
FIRST_USE_TABLES = frozenset({KNOWLEDGE_BASES, KB_CHUNKS, KB_RUNS, REPLACEMENT_OPERATIONS, MODEL_PROVIDER_POLICY,
                              DATA_SUBJECT_REQUESTS, EXTENSION_EVENTS, ASSISTANT_TURNS, *MEMORY_TABLES,
                              POLICY_REVISIONS, POLICY_ACTIVE, AUDIT_EVENTS, CONNECTIONS, CONNECTION_SECRETS})
# Langflow's max_flow_version_entries_per_flow (default 50): a new entry prunes the flow's older ones past it.
MAX_VERSIONS_PER_FLOW = 50
LAZY_TABLE_MODULES = ("mock_langflow.store.a2a", "mock_langflow.store.flow_versions", "mock_langflow.store.mcp_clients",
                      "mock_langflow.store.flow_events", "mock_langflow.store.llm_calls",
                      "mock_langflow.store.replacements", "mock_langflow.store.knowledge_bases",
                      "mock_langflow.store.model_policy", "mock_langflow.store.triggers",
                      "mock_langflow.store.data_subjects", "mock_langflow.store.extension_events",
                      "mock_langflow.store.assistant", "mock_langflow.store.memories",
                      "mock_langflow.store.policy_bundle", "mock_langflow.store.audit_events",
                      "mock_langflow.store.connections", "mock_langflow.store.run_records")


def all_tables() -> None:
    """Register the lazily defined tables with SQLModel's metadata too."""
    import importlib

    for name in LAZY_TABLE_MODULES:
        importlib.import_module(name)
