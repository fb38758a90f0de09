"""Everything one running mock holds: settings, the store, ids and time. One instance per app."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from mock_langflow.clock import Clock, Ids
from mock_langflow.control.faults import Faults
from mock_langflow.control.journal import Journal
from mock_langflow.engine.jobs import JobManager
from mock_langflow.engine.llm import ScriptedLLM
from mock_langflow.engine.runner import Runner
from mock_langflow.profiles import Profile
from mock_langflow.ratelimit import RateLimits
from mock_langflow.settings import Settings
from mock_langflow.store import Store
from mock_langflow.store.dirlock import DirLock
from mock_langflow.store.models import UserRow

# Langflow's auto-login superuser: its name whatever LANGFLOW_SUPERUSER says
AUTO_LOGIN_SUPERUSER = "langflow"
# The default superuser password of releases before 1.13, which 1.13 neither signs in nor starts with.
LEGACY_DEFAULT_PASSWORD = "langflow"  # nosec B105: Langflow's published default, no secret


@dataclass
class AppState:
    """Everything a server holds for its life: settings, profile, store, runner, jobs and the mock's controls."""

    settings: Settings
    profile: Profile
    store: Store
    ids: Ids
    clock: Clock
    secret_key: str
    llm: ScriptedLLM
    runner: Runner
    jobs: JobManager
    journal: Journal
    faults: Faults
    # Langflow 1.13's rate-limit counters: in memory, as Langflow keeps them (ratelimit.py).
    limits: RateLimits
    superuser_id: UUID = field(default=UUID(int=0))
    # The server environment's values a start stores as users' Credentials (credentials_from_environment), read
    # once at the start: what the control API's reset gives the users again.
    start_environment: dict[str, str] = field(default_factory=dict)
    # The data dir's server lock while this state serves it (store/dirlock.py); None for an ephemeral store.
    data_dir_lock: DirLock | None = None
    # The A2A tasks whose runs go on in this process, and those waiting there for a person, by (task id, owner):
    # what tasks/resubscribe and tasks/cancel reach (a2a/rpc.py LiveTask). Process state, as the a2a SDK's registry
    # of active tasks; the a2a_tasks rows stay the truth.
    a2a_live: dict[tuple[str, str], Any] = field(default_factory=dict)
    # The webhook event streams open on each flow (flow id -> each stream's queue of webhook runs to follow):
    # process state, as Langflow's webhook event manager keeps it; the runs' events are in SQLite
    # (streaming/webhook_events.py).
    webhook_listeners: dict[str, set[Any]] = field(default_factory=dict)

    def dispose(self) -> None:
        """Called when the app shuts down: removes what only this running instance needed (an ephemeral
        server's uploaded bytes), and lets another server have the data dir."""
        self.store.dispose()
        if self.data_dir_lock is not None:
            self.data_dir_lock.release()

    def start_variables(self, *, renew: bool = False) -> None:
        """What a start does to the users' variables: the environment's Credentials stored for every user (1.13)
        or for the auto-login superuser (1.8, 1.7.1), then the placeholders. `renew` (the control API's reset):
        every variable goes first, and each user gets a new user's variables too (Users.renew_variables)."""
        users = self.store.users
        importers = (None if self.profile.startup.environment_sweep
                     else [self.superuser_id] if self.settings.auto_login else [])
        if renew:
            users.renew_variables(self.start_environment, importers=importers)
            return
        if importers is None or importers:
            users.import_environment(importers, self.start_environment)
        users.add_start_placeholders()

    def variable_fields(self, user_id: UUID | None) -> dict[str, str]:
        """What a /run, webhook or MCP tool run binds to a flow's empty text fields: the user's variables'
        default_fields (profile run.default_field_binding), else nothing."""
        if not self.profile.run.default_field_binding or user_id is None:
            return {}
        return self.store.users.default_field_bindings(user_id)

    def named_superuser(self) -> UserRow | None:
        """The user Langflow's no-credential fallbacks (skip-auth, MCP's auto-login, project transports) act as:
        whoever now has the superuser's name ("langflow" under auto-login), as Langflow looks it up by name; None
        once nobody has (the superuser deleted or renamed)."""
        return self.store.users.by_name(self.superuser_name())

    def superuser_name(self) -> str:
        """The name the superuser is set up under at the start (found by it, else made with it) and looked up by
        later: "langflow" under auto-login, else the settings' superuser."""
        return AUTO_LOGIN_SUPERUSER if self.settings.auto_login else self.settings.superuser


def load_secret_key(settings: Settings) -> str:
    """LANGFLOW_SECRET_KEY, or one kept in the data dir so tokens outlive a restart."""
    if settings.secret_key:
        return settings.secret_key
    if settings.ephemeral:
        return secrets.token_urlsafe(32)
    path: Path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key
