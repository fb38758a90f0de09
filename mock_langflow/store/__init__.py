"""The store: every read and write of the mock's state goes through these parts, backed by SQLite."""

from __future__ import annotations

import json
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from sqlmodel import col, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids
from mock_langflow.profiles.model import Variables
from mock_langflow.schemas.flows import FlowCreate
from mock_langflow.schemas.projects import FolderCreate
from mock_langflow.store.db import Database, clear_tables, table_made
from mock_langflow.store.files import Blobs, Files
from mock_langflow.store.flows import Flows
from mock_langflow.store.jobs import Jobs
from mock_langflow.store.mcp import Mcp
from mock_langflow.store.messages import Messages
from mock_langflow.store.models import (
    A2A_PUSH_CONFIGS,
    ASSISTANT_TURNS,
    AUDIT_EVENTS,
    AUTHZ_ASSIGNMENTS,
    AUTHZ_ROLES,
    AUTHZ_SHARES,
    CONNECTION_SECRETS,
    CONNECTIONS,
    DATA_SUBJECT_REQUESTS,
    EXTENSION_EVENTS,
    FLOW_VERSIONS,
    KB_CHUNKS,
    KB_RUNS,
    KNOWLEDGE_BASES,
    MAX_VERSIONS_PER_FLOW,
    MB_INGESTIONS,
    MB_RUNS,
    MB_SESSIONS,
    MEMORY_BASES,
    MEMORY_TABLES,
    MODEL_PROVIDER_POLICY,
    POLICY_ACTIVE,
    POLICY_REVISIONS,
    REPLACEMENT_OPERATIONS,
    TRIGGER_EVENTS,
    TRIGGERS,
    FlowRow,
    FolderRow,
)
from mock_langflow.store.projects import Projects
from mock_langflow.store.provider_check import SsrfPolicy
from mock_langflow.store.sealing import Sealer
from mock_langflow.store.traces import Traces
from mock_langflow.store.users import Users

if TYPE_CHECKING:
    from mock_langflow.store.a2a import A2ATasks
    from mock_langflow.store.assistant import AssistantTurns
    from mock_langflow.store.audit_events import AuditEvents
    from mock_langflow.store.audit_retention import AuditRetention
    from mock_langflow.store.authz import Authz
    from mock_langflow.store.connections import Connections
    from mock_langflow.store.data_subjects import DataSubjects
    from mock_langflow.store.extension_events import ExtensionEvents
    from mock_langflow.store.flow_events import FlowEvents
    from mock_langflow.store.knowledge_bases import KnowledgeBases
    from mock_langflow.store.memories import MemoryBases, PolicyReader
    from mock_langflow.store.model_policy import ModelPolicy
    from mock_langflow.store.policy_bundle import PolicyBundle
    from mock_langflow.store.registration import Registration
    from mock_langflow.store.replacements import Replacements
    from mock_langflow.store.run_retention import RunRecordRetention
    from mock_langflow.store.triggers import Triggers

__all__ = ["Store", "Database", "Sealer", "example_flow_files", "example_templates"]


def example_templates() -> list[FlowCreate]:
    """The example flows as shipped (what GET /starter-projects/ lists, read from the files as Langflow reads its
    starter projects, whether or not they were loaded into the database). Read at each call: kept, they would
    cost every server their memory."""
    return [FlowCreate.model_validate(json.loads(path.read_text(encoding="utf-8"))) for path in example_flow_files()]


def example_flow_files() -> list[Path]:
    """The example flows we ship (fixtures/flows/*.json): in the wheel, or beside the package in a checkout."""
    packaged = resources.files("mock_langflow").joinpath("_fixtures", "flows")
    folder = Path(str(packaged))
    if not folder.is_dir():
        folder = Path(__file__).resolve().parents[2] / "fixtures" / "flows"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


class Store:
    def __init__(self, db: Database, ids: Ids, clock: Clock, sealer: Sealer, *, files_dir: Path | None = None,
                 default_variables: bool = True, variable_rules: Variables | None = None,
                 default_fallback: str = "any", name_numbers: str = "skip",
                 sign_in_variables: frozenset[str] = frozenset(), start_placeholders: bool = False,
                 mcp_servers_file: str = "none", track_key_uses: bool = True,
                 ssrf: SsrfPolicy | None = None, authz_audit: bool = False, user_dir: Path | None = None,
                 retention: AuditRetention | None = None, end_user_chunks: bool = False,
                 run_records: RunRecordRetention | None = None, max_flow_versions: int = MAX_VERSIONS_PER_FLOW,
                 remove_api_keys: bool = False) -> None:
        """`sealer`: how secrets are kept (projects' auth settings, variables). `files_dir`: where uploaded bytes
        live; None keeps them in a temporary directory (--ephemeral). `default_variables`: new users start with
        Langflow 1.13's credential variables; `sign_in_variables`, `start_placeholders`: when others are added
        (Users).
        `variable_rules`: the release's /variables rules. `default_fallback`, `name_numbers`: profile
        projects.default_fallback and projects.name_numbers. `mcp_servers_file`: profile files.mcp_config_file.
        `track_key_uses`: key checks count the key's use, `ssrf`: the SSRF settings provider checks follow
        (Users). `authz_audit`: 1.13's authorization audit log records decisions (Authz). `user_dir`: where the
        registration is kept (None: a temporary directory). `retention`: 1.13's audit retention, which the audit
        stores' reads catch up with (None: rows are kept). `end_user_chunks`: memory-base chunks carry the end user
        of their session (MemoryBases). `run_records`: which transactions and vertex builds are written and kept
        (None: Langflow's defaults). `max_flow_versions`: the versions of a flow its history keeps, `remove_api_keys`:
        whether a graph's update empties its API key fields (Flows)."""
        self.db = db
        self.users = Users(db, ids, clock, sealer, default_variables=default_variables, variable_rules=variable_rules,
                           sign_in_variables=sign_in_variables, start_placeholders=start_placeholders,
                           track_key_uses=track_key_uses, ssrf=ssrf)
        self.flows = Flows(db, ids, clock, max_versions=max_flow_versions, remove_api_keys=remove_api_keys)
        self.projects = Projects(db, ids, clock, sealer, default_fallback=default_fallback,
                                 name_numbers=name_numbers)
        self.messages = Messages(db)
        self.jobs = Jobs(db, clock, run_records)
        self.traces = Traces(db)
        self.files = Files(db, ids, clock, Blobs(files_dir))
        self.mcp = Mcp(db, clock, sealer, self.files, servers_file=mcp_servers_file)
        self._clock, self._ids, self._authz_audit, self._sealer = clock, ids, authz_audit, sealer
        self._user_dir = user_dir
        self.retention, self._end_user_chunks = retention, end_user_chunks

    @cached_property
    def a2a(self) -> A2ATasks:
        """1.13's A2A tasks: imported (with their tables) on the first A2A call, as A2A is off by default."""
        from mock_langflow.store.a2a import A2ATasks

        return A2ATasks(self.db, self._clock)

    @cached_property
    def flow_events(self) -> FlowEvents:
        """1.13's flow event queue: imported (with its table) on the first event route."""
        from mock_langflow.store.flow_events import FlowEvents

        return FlowEvents(self.db, self._clock)

    @cached_property
    def authz(self) -> Authz:
        """1.13's authorization administration (roles, teams, shares, audit): imported (with its tables) on the
        first authz route; the system roles are seeded then, once per database."""
        from mock_langflow.store.authz import Authz

        return Authz(self.db, self._ids, self._clock, audit=self._authz_audit, retention=self.retention)

    @cached_property
    def replacements(self) -> Replacements:
        """1.13's project replacement operations: imported (with their receipts' table) on the first use."""
        from mock_langflow.store.replacements import Replacements

        self.db.make(REPLACEMENT_OPERATIONS)
        return Replacements(self)

    @cached_property
    def knowledge_bases(self) -> KnowledgeBases:
        """The knowledge bases: imported (with their tables) on the first knowledge-base route."""
        from mock_langflow.store.knowledge_bases import KnowledgeBases

        self.db.make(KNOWLEDGE_BASES, KB_CHUNKS, KB_RUNS)
        return KnowledgeBases(self.db, self._ids, self._clock)

    @cached_property
    def memories(self) -> MemoryBases:
        """1.13's memory bases: imported (with their tables) on the first memory route."""
        from mock_langflow.store.memories import MemoryBases

        self.db.make(*MEMORY_TABLES)
        return MemoryBases(self.db, self._ids, self._clock, self.knowledge_bases,
                           end_user_chunks=self._end_user_chunks)

    @cached_property
    def model_policy(self) -> ModelPolicy:
        """1.13's approved model providers as an older mock kept them without a policy bundle (read once a start by
        _bundle_from_kept_provider_policy): imported with their table then."""
        from mock_langflow.store.model_policy import ModelPolicy

        self.db.make(MODEL_PROVIDER_POLICY)
        return ModelPolicy(self.db)

    def policy_lists(self, *names: str) -> tuple[frozenset[str], ...] | None:
        """Lists of 1.13's active policy bundle (blocked_component_keys, ...), read (in one session) only once a
        policy route has made the bundle's tables: whether a kept database has them is looked up once, so a
        catalog list or a flow write or a run costs nothing while no policy was ever set (a database this start
        made has none until a policy route makes its tables: not even the one look-up). None: not read."""
        if "policy_bundle" not in self.__dict__ and not self._made_before(POLICY_ACTIVE):
            return None
        return self.policy_bundle.lists(*names)

    def policy_blocks(self, name: str) -> frozenset[str]:
        """One list of the active policy bundle (policy_lists), empty while no policy was ever set."""
        found = self.policy_lists(name)
        return found[0] if found else frozenset()

    def model_policy_lists(self) -> tuple[frozenset[str], frozenset[str]] | None:
        """1.13's model-provider policy as a run applies it: (approved provider ids, blocked model keys), None when
        neither restricts anything: the bundle's. Nothing read while no policy was ever set (policy_lists)."""
        lists = self.policy_lists("approved_provider_ids", "blocked_model_keys")
        if lists is None and self._bundle_from_kept_provider_policy():
            lists = self.policy_lists("approved_provider_ids", "blocked_model_keys")
        return (lists[0], lists[1]) if lists and any(lists) else None

    def _bundle_from_kept_provider_policy(self) -> bool:
        """A data dir an earlier mock kept with a provider policy and no bundle: the bundle made from it now, as
        Langflow's migration makes it, so runs meet it (looked up once a start, only where the table was kept)."""
        if "_provider_policy_seen" in self.__dict__ or not self._made_before(MODEL_PROVIDER_POLICY):
            return False
        self.__dict__["_provider_policy_seen"] = True
        if not self.model_policy.approved():
            return False
        self.policy_bundle.read()
        return True

    def _made_before(self, table: str) -> bool:
        """Whether an earlier server on this database made `table`: looked up once a start (never for a database
        this start made)."""
        if self.db.new:
            return False
        made = self.__dict__.setdefault("_tables_seen", {})
        if table not in made:
            with self.db.session() as s:
                made[table] = table_made(s, table)
        return bool(made[table])

    def _in_use(self, feature: str, table: str) -> bool:
        """Whether a first-use feature's store (the cached property `feature`) is made, or its `table` was made
        by an earlier server on this database: looked up once a start, so the routes that consult a feature
        nobody used (each /run, each flow write) cost no query."""
        return feature in self.__dict__ or self._made_before(table)

    @cached_property
    def policy_bundle(self) -> PolicyBundle:
        """1.13's policy bundle: imported (with its tables and the model-provider policy's) on the first policy
        route."""
        from mock_langflow.store.policy_bundle import PolicyBundle

        self.db.make(MODEL_PROVIDER_POLICY, POLICY_REVISIONS, POLICY_ACTIVE)
        return PolicyBundle(self.db, self._clock)

    @cached_property
    def triggers(self) -> Triggers:
        """1.13's flow triggers: imported (with their tables) on the first trigger route."""
        from mock_langflow.store.triggers import Triggers

        return Triggers(self.db, self._ids, self._clock, self._sealer)

    @cached_property
    def assistant_turns(self) -> AssistantTurns:
        """1.13's assistant sessions' conversations: imported (with their table) on the first assistant stream."""
        from mock_langflow.store.assistant import AssistantTurns

        self.db.make(ASSISTANT_TURNS)
        return AssistantTurns(self.db)

    @cached_property
    def data_subjects(self) -> DataSubjects:
        """1.13's data subject requests: imported (with their table) on the first data subject route."""
        from mock_langflow.store.data_subjects import DataSubjects

        self.db.make(DATA_SUBJECT_REQUESTS)
        return DataSubjects(self.db, self._clock, self)

    @cached_property
    def extension_events(self) -> ExtensionEvents:
        """1.13's extension lifecycle events: imported (with their table) on the first extensions route."""
        from mock_langflow.store.extension_events import ExtensionEvents

        self.db.make(EXTENSION_EVENTS)
        return ExtensionEvents(self.db, self._clock)

    @cached_property
    def audit_events(self) -> AuditEvents:
        """1.13's resource audit trail: imported (with its table) on the first audit read or audited write."""
        from mock_langflow.store.audit_events import AuditEvents

        self.db.make(AUDIT_EVENTS)
        return AuditEvents(self.db, self._ids, self._clock, retention=self.retention)

    @cached_property
    def connections(self) -> Connections:
        """1.13's integration connections: imported (with their tables) on the first connection route."""
        from mock_langflow.store.connections import Connections

        self.db.make(CONNECTIONS, CONNECTION_SECRETS)
        return Connections(self.db, self._ids, self._clock, self._sealer)

    @cached_property
    def registration(self) -> Registration:
        """The registered email of /api/v2/registration/, a file: imported on the first registration call."""
        from mock_langflow.store.registration import Registration

        return Registration(self._user_dir)

    def users_with_role(self, role_name: str) -> set[UUID]:
        """1.13's users list filter `role_name`: the users assigned a role of that name (none before the first
        authorization route made the tables)."""
        if not self._in_use("authz", AUTHZ_ROLES):
            return set()
        with self.db.session() as s:
            found = s.connection().exec_driver_sql(
                f'SELECT a.user_id FROM "{AUTHZ_ASSIGNMENTS}" a JOIN "{AUTHZ_ROLES}" r ON r.id = a.role_id '  # nosec B608
                'WHERE r.name = ?', (role_name,))
            return {UUID(hex=user_id) for (user_id,) in found}

    def deletion_requests(self, user_ids: list[UUID] | None = None) -> dict[UUID, str]:
        """1.13's open account deletion requests (a builder's data subject request not closed yet): their status
        by user, of those users when given (none before the first data subject route made the table)."""
        from mock_langflow.schemas.data_subjects import OPEN_STATUSES

        if not self._in_use("data_subjects", DATA_SUBJECT_REQUESTS) or user_ids == []:
            return {}
        statuses = ", ".join(f"'{status}'" for status in sorted(OPEN_STATUSES))
        with self.db.session() as s:
            found = s.connection().exec_driver_sql(
                f'SELECT subject_user_id, status FROM "{DATA_SUBJECT_REQUESTS}" WHERE subject_type = \'builder\' '  # nosec B608
                f'AND status IN ({statuses})')
            open_ones = {UUID(hex=user_id): status for user_id, status in found}
        return open_ones if user_ids is None else {u: open_ones[u] for u in user_ids if u in open_ones}

    def capture_memories(self, flow_id: UUID, session_id: str, *, counted: bool = True,
                         policy: PolicyReader | None = None) -> None:
        """A run's capture (1.13): into the memory bases watching the flow, once the first memory route made
        them (their store is not imported before); `policy`: the model policy an ingestion it fires meets."""
        if self._in_use("memories", MEMORY_BASES):
            self.memories.capture(flow_id, session_id, counted=counted, policy=policy)

    def purge_memory_sessions(self, user_id: UUID, session_ids: list[str]) -> set[str]:
        """Sessions deleted from the messages (1.13): the user's memory bases that tracked them drop their chunks
        and tracking; returns the sessions some memory base tracked."""
        if not session_ids or not self._in_use("memories", MEMORY_BASES):
            return set()
        return self.memories.purge_sessions(user_id, session_ids)

    def forget_a2a_push_configs(self) -> None:
        """A server's start: the A2A push configs a previous server kept are gone, as 1.13's, which holds them in
        its process's memory (without importing the A2A store)."""
        with self.db.session() as s:
            clear_tables(s, A2A_PUSH_CONFIGS)
            s.commit()

    def dispose(self) -> None:
        """At shutdown: write what is still deferred, close a database file's pooled connections, and let go
        of what is not in the database file (the temporary directory of an ephemeral store)."""
        self.db.flush()
        self.db.release()
        self.files.blobs.dispose()
        if "registration" in self.__dict__:
            self.registration.dispose()

    def seed_examples(self) -> None:
        """Load the example flows into the examples' folder, owned by nobody, once per database."""
        folder = self.projects.examples_folder()
        with self.db.session() as s:  # one commit for them all
            present: set[str] = set()
            if not self.db.new:  # (a database this start made has none)
                present = set(s.exec(select(FlowRow.name).where(col(FlowRow.user_id).is_(None))).all())
            for body in example_templates():
                if body.name not in present:
                    self.flows.insert(s, body, user_id=None, default_folder=folder.id)

    def upload_project(self, project: FolderCreate, flows: list[FlowCreate], *, user_id: UUID,
                       names: Literal["file", "stored"], clash: type[errors.MockHTTPError]) -> list[FlowRow]:
        """POST /projects/upload/: a new project (named as Projects.upload_name numbers it) holding `flows`, all or
        nothing, as Langflow's upload hands them to its batch create: the names are numbered first
        (Flows.upload_names, `names` saying against what), then the flows go in as a batch create does (ids in
        use are a 422; a name or endpoint name in use, or one given twice, is `clash`)."""
        with self.db.session() as s:
            folder = self.projects.insert(s, project, user_id=user_id, numbered=False)  # named by upload_name
            # Every flow goes into the new project, the caller's own: no default project is looked up, so a user
            # without one does not get one, as in Langflow.
            return self.flows.insert_batch(s, flows, user_id=user_id, default_folder=folder.id, folder_id=folder.id,
                                           number_names=names, clash=clash)

    def examples(self) -> list[FlowRow]:
        with self.db.session() as s:
            return list(s.exec(select(FlowRow).where(col(FlowRow.user_id).is_(None))).all())

    def delete_flows(self, flow_ids: list[UUID], *, user_id: UUID) -> list[UUID]:
        """Delete the caller's flows among `flow_ids`, with their messages, in one transaction. Their v1 files
        stay, as Langflow's cascade_delete_flow leaves the flow's storage folder alone (every release): a flow
        made again with the same id lists and serves them (1.8's image route serves them anyway)."""
        with self.db.session() as s:
            deleted = Flows.delete(s, flow_ids, user_id=user_id)
            self.delete_flow_data(s, deleted, files=False)
        return deleted

    def delete_flow_data(self, s: Any, flow_ids: list[UUID], *, files: bool = True) -> list[str]:
        """In the caller's transaction, delete what deleted flows leave behind (messages, kept versions, vertex
        builds, transactions and traces; with `files`, v1 files too: a reset, a user's deletion); returns the files'
        blobs, to remove once the transaction is done."""
        self.messages.delete_for_flows(s, flow_ids)
        if flow_ids:  # (the tables' names are the mock's own constants; their ids are stored as 32 hex digits)
            marks, ids = ", ".join("?" for _ in flow_ids), tuple(flow_id.hex for flow_id in flow_ids)
            for statement in (f'DELETE FROM "{FLOW_VERSIONS}" WHERE flow_id IN ({marks})',  # nosec B608
                              f'DELETE FROM "{TRIGGER_EVENTS}" WHERE trigger_id IN '  # nosec B608
                              f'(SELECT id FROM "{TRIGGERS}" WHERE flow_id IN ({marks}))',  # nosec B608
                              f'DELETE FROM "{TRIGGERS}" WHERE flow_id IN ({marks})'):  # nosec B608
                s.connection().exec_driver_sql(statement, ids)  # nosec B608
            Store.delete_memory_bases(s, marks, ids)
            if table_made(s, AUTHZ_SHARES):  # 1.13: a flow's shares go with it (they name it without a key)
                s.connection().exec_driver_sql(f'DELETE FROM "{AUTHZ_SHARES}" WHERE resource_type = \'flow\' '  # nosec B608
                                               f'AND resource_id IN ({marks})', ids)
        self.jobs.delete_for_flows(s, flow_ids)
        self.traces.delete_for_flows(s, flow_ids)
        return Files.delete_for_flows(s, flow_ids) if files else []

    def delete_project(self, project_id: UUID, *, user_id: UUID) -> None:
        """Delete a project, the flows in it and their messages, in one transaction; the flows' v1 files stay,
        as for a flow deleted alone (delete_flows)."""
        with self.db.session() as s:
            deleted = Projects.delete(s, project_id, user_id=user_id)
            self.delete_flow_data(s, deleted, files=False)

    @staticmethod
    def delete_memory_bases(s: Any, marks: str, flow_ids: tuple[str, ...]) -> None:
        """In the caller's transaction, the memory bases of deleted flows, with what they tracked and their
        knowledge bases (1.13's flow deletion purges them), by table name as delete_knowledge_bases does."""
        if not table_made(s, MEMORY_BASES):  # (made by the first memory route)
            return
        bases = f'SELECT id FROM "{MEMORY_BASES}" WHERE flow_id IN ({marks})'  # nosec B608 (the mock's own names)
        stores = (f'SELECT k.id FROM "{KNOWLEDGE_BASES}" k JOIN "{MEMORY_BASES}" m ON k.user_id = m.user_id '  # nosec B608
                  f'AND k.name = m.kb_name WHERE m.flow_id IN ({marks})')
        statements = [f'DELETE FROM "{name}" WHERE memory_base_id IN ({bases})'  # nosec B608
                      for name in (MB_INGESTIONS, MB_RUNS, MB_SESSIONS)]
        statements += [f'DELETE FROM "{name}" WHERE kb_id IN ({stores})' for name in (KB_CHUNKS, KB_RUNS)]  # nosec B608
        statements += [f'DELETE FROM "{KNOWLEDGE_BASES}" WHERE id IN ({stores})',  # nosec B608
                       f'DELETE FROM "{MEMORY_BASES}" WHERE flow_id IN ({marks})']  # nosec B608
        for statement in statements:
            s.connection().exec_driver_sql(statement, flow_ids)  # nosec B608

    @staticmethod
    def delete_knowledge_bases(s: Any, user_id: UUID) -> None:
        """In the caller's transaction, a user's knowledge bases with their chunks and runs (by table name: their
        store is imported on first use; ids are stored as 32 hex digits)."""
        if not table_made(s, KNOWLEDGE_BASES):  # (made by the first knowledge-base route)
            return
        owned = f'SELECT id FROM "{KNOWLEDGE_BASES}" WHERE user_id = ?'  # nosec B608 (the mock's own names)
        for name in (KB_CHUNKS, KB_RUNS):
            s.connection().exec_driver_sql(f'DELETE FROM "{name}" WHERE kb_id IN ({owned})',  # nosec B608
                                           (user_id.hex,))
        s.connection().exec_driver_sql(f'DELETE FROM "{KNOWLEDGE_BASES}" WHERE user_id = ?',  # nosec B608
                                       (user_id.hex,))

    def delete_user(self, user_id: UUID) -> None:
        """Delete a user and everything they own, their flows' messages, builds and transactions included (as
        Langflow's cascade does: a flow uploaded again with the same id starts clean); their files' bytes go
        once the rows are gone."""
        try:
            with self.db.session() as s:
                flows = list(s.exec(select(FlowRow.id).where(FlowRow.user_id == user_id)).all())
                blobs = [*self.delete_flow_data(s, flows), *Files.delete_for_user(s, user_id)]
                # the user's projects go with the user: other users' flows moved into one are left in none
                Projects.detach_flows(s, list(s.exec(select(FolderRow.id).where(FolderRow.user_id == user_id)).all()))
                self.messages.delete_for_user(s, user_id)
                Store.delete_knowledge_bases(s, user_id)
                if table_made(s, CONNECTIONS):  # (made by the first connection route)
                    from mock_langflow.store.connections import erase_owned

                    erase_owned(s, user_id)
                Users.remove(s, user_id)
        finally:
            self.users.forget()
        self.files.blobs.remove(blobs)
