"""Users, API keys and global variables: who may call, and with what."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import string
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, literal_column, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, delete, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids, as_utc
from mock_langflow.engine.environment import AGENTIC_NAMES
from mock_langflow.profiles.model import Variables
from mock_langflow.schemas.auth import ApiKeyRead, UnmaskedApiKeyRead, UserRead
from mock_langflow.schemas.variables import VariableCreate, VariableRead, VariableUpdate
from mock_langflow.store.db import Database, table
from mock_langflow.store.models import ApiKeyRow, UserRow, VariableRow
from mock_langflow.store.provider_check import SsrfPolicy, provider_value_refusal
from mock_langflow.store.sealing import Sealer
from mock_langflow.tokens import FERNET_PREFIX, fernet_open

KEY_ALPHABET = string.ascii_letters + string.digits + "-_"
KEY_BODY_LENGTH = 43  # fact 8: "sk-" + 43 characters
# A mock guards nothing of value: few rounds keep start-up and logins fast.
PBKDF2_ROUNDS = 10_000
DEFAULT_OPTINS = {"github_starred": False, "dialog_dismissed": False, "discord_clicked": False}
# The agentic experience's variables: the empty credentials a fresh Langflow 1.13 lists for its superuser
# (variables_list).
DEFAULT_CREDENTIALS = AGENTIC_NAMES
# Those Langflow's start gives every user lacking them, as Generic variables with an empty value
# (initialize_agentic_global_variables)
STARTUP_PLACEHOLDERS = DEFAULT_CREDENTIALS[:3]
# Langflow's model status lists (its /models routes keep them as JSON lists of "<provider>::<model>")
MODEL_STATUS_LISTS = ("__disabled_models__", "__enabled_models__")
CREDENTIAL = "Credential"
GENERIC = "Generic"
VARIABLE_ROWID = literal_column("variable.rowid")
APIKEY_ROWID = literal_column("apikey.rowid")
_KEYS = table(ApiKeyRow)
_VARIABLES = table(VariableRow)
# a /run's bindings of empty fields (default_field_bindings), read on the driver: every 1.13 /run makes it
DEFAULT_FIELDS_OF_USER = (core_select(_VARIABLES.c.name, _VARIABLES.c.default_fields)
                          .where(_VARIABLES.c.user_id == bindparam("user_id"))
                          .order_by(_VARIABLES.c.name, _VARIABLES.c.id))
COUNT_KEY_USE = (update(_KEYS).where(_KEYS.c.id == bindparam("key_id"))
                 .values(total_uses=_KEYS.c.total_uses + 1, last_used_at=bindparam("now")))
# a key's use: its id and when (what COUNT_KEY_USE writes)
KeyUse = dict[str, Any]
_USERS = table(UserRow)
KNOWN_KEYS_LIMIT = 1000
# Every authenticated request reads its key and user: one Core query, no ORM session (a third of the cost).
KEY_AND_USER = (core_select(_KEYS.c.id.label("key_id"), _KEYS.c.is_active.label("key_active"),
                            _KEYS.c.expires_at.label("key_expires_at"), *_USERS.c)
                .join(_USERS, _USERS.c.id == _KEYS.c.user_id).where(_KEYS.c.key_hash == bindparam("key_hash")))


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ROUNDS)
    return f"pbkdf2${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
    except ValueError:
        return False
    expected = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), PBKDF2_ROUNDS)
    return hmac.compare_digest(expected.hex(), digest)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_key_format(key: str) -> bool:
    return key.startswith("sk-") and len(key) == 3 + KEY_BODY_LENGTH and all(c in KEY_ALPHABET for c in key[3:])


def mask_key(prefix: str) -> str:
    """'sk-tatBb' + one '*' for each hidden character, as the key list shows it."""
    return prefix + "*" * (3 + KEY_BODY_LENGTH - len(prefix))


def _wall_time(dt: datetime) -> datetime:
    """A key's created_at or expires_at as Langflow keeps it: its columns are DateTime(timezone=True), which
    SQLite stores without the offset, so the time reads back as that wall-clock time in UTC (a time without a
    zone is UTC)."""
    return dt.replace(tzinfo=UTC)


def user_read(row: UserRow) -> UserRead:
    return UserRead.model_validate(row, from_attributes=True)


class Users:
    def __init__(self, db: Database, ids: Ids, clock: Clock, sealer: Sealer, *, default_variables: bool = True,
                 variable_rules: Variables | None = None, sign_in_variables: frozenset[str] = frozenset(),
                 start_placeholders: bool = False, track_key_uses: bool = True,
                 ssrf: SsrfPolicy | None = None) -> None:
        """`default_variables`: users hold the agentic Credentials from their creation (Langflow 1.13, as after
        its first sign-in). `sign_in_variables`: the sign-ins ("login", "auto") that give a user those it lacks,
        and `start_placeholders`: a start gives users the empty Generic ones (Langflow, while its agentic
        experience is on). `track_key_uses` off (LANGFLOW_DISABLE_TRACK_APIKEY_USAGE): no key check counts the
        key's use, as in every release. `ssrf`: 1.13's SSRF settings, which its provider checks follow."""
        self.db, self.ids, self.clock, self.sealer = db, ids, clock, sealer
        self.ssrf = ssrf or SsrfPolicy()
        # The server environment's values of the agentic names that Langflow's import stores (1.13: while those
        # names come along with LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT): read when a user is made.
        self.creation_environment: Callable[[], dict[str, str]] = dict
        self.variable_rules = variable_rules or Variables()
        self.default_credentials = DEFAULT_CREDENTIALS  # a row of these without a value holds an encrypted ""
        self.given_at_creation = default_variables
        self.sign_in_variables = sign_in_variables
        self.start_placeholders = start_placeholders
        self.track_key_uses = track_key_uses
        # (key, superuser name): LANGFLOW_API_KEY_SOURCE=env's LANGFLOW_API_KEY, which acts as that superuser
        self.environment_key: tuple[str, str] | None = None
        # key digest -> (key id, key active, key expiry, its user): every authenticated request asks, and
        # building the user row cost as much as the query. Every change to users or keys goes through this
        # class and empties it (forget); a key made meanwhile by `mock-langflow api-key` is simply not in it.
        # The cached user is shared by the requests that present the key: it is never changed in place.
        self._known_keys: dict[str, tuple[UUID, bool, datetime | None, UserRow]] = {}
        # Whether variables may have changed since the last reset: while none did, the reset has nothing to renew.
        # Every variable write goes through this class, and sets it.
        self.variables_changed = True

    def forget(self) -> None:
        """Users or keys changed: look keys up in the database again."""
        self._known_keys.clear()

    # --- users -----------------------------------------------------------------------------------------

    def get(self, user_id: UUID) -> UserRow | None:
        with self.db.session() as s:
            return s.get(UserRow, user_id)

    def by_name(self, username: str) -> UserRow | None:
        with self.db.session() as s:
            return s.exec(select(UserRow).where(UserRow.username == username)).first()

    def first_superuser(self) -> UserRow | None:
        """The first superuser made (Langflow's query has no ORDER BY: SQLite walks the table in insertion order)."""
        with self.db.session() as s:
            return s.exec(select(UserRow).where(col(UserRow.is_superuser).is_(True))
                          .order_by(literal_column("user.rowid"))).first()

    def name_taken(self, username: str, *, nocase: bool, but: UUID | None = None) -> bool:
        """Whether another user (not `but`) has this name; with `nocase`, in any ASCII case, as Langflow 1.13's
        unique index on lower(username) decides on SQLite."""
        name = col(UserRow.username)
        query = select(UserRow.id).where(func.lower(name) == func.lower(username) if nocase else name == username)
        if but is not None:
            query = query.where(UserRow.id != but)
        with self.db.session() as s:
            return s.exec(query).first() is not None

    def create(self, *, username: str, password: str, is_superuser: bool = False, is_active: bool = True,
               store_api_key: str | None = None, optins: dict[str, Any] | None = DEFAULT_OPTINS) -> UserRow:
        """A new user; `optins` as sent (null stays null, as in Langflow's table)."""
        now = self.clock.now()
        self.variables_changed = True  # (a start would give the new user its variables)
        row = UserRow(
            id=self.ids.uuid(), username=username, password_hash=hash_password(password), is_active=is_active,
            is_superuser=is_superuser, create_at=now, updated_at=now,
            optins=dict(optins) if optins is not None else None, store_api_key=store_api_key,
        )
        with self.db.session() as s:
            s.add(row)
            if self.given_at_creation:
                self._add_creation_variables(s, [row.id], now, self.creation_environment())
        self.forget()
        return row

    def _add_creation_variables(self, s: Session, user_ids: Sequence[UUID], now: datetime,
                                environment: dict[str, str]) -> None:
        """What a user's creation gives it (Langflow 1.13): Langflow imports the environment before it adds the
        agentic variables a user lacks, so an agentic name the import brings is the environment's Credential, not
        an empty one."""
        imported = {name: value for name, value in environment.items() if name in self.default_credentials}
        for user_id in user_ids:
            for name, value in imported.items():
                s.add(VariableRow(id=self.ids.uuid(), name=name, type=CREDENTIAL,
                                  value=self._stored_value(CREDENTIAL, value), default_fields=[],
                                  user_id=user_id, created_at=now, environment_managed=True))
        self._add_default_variables(s, user_ids, now, held_names=imported)

    def renew_variables(self, environment: dict[str, str], *, importers: Sequence[UUID] | None) -> None:
        """The control API's reset: every variable row goes (one statement), then each user holds what a user
        made now and a start then give it: the creation's variables (see create), the start's import of the
        server environment's `environment` for `importers` (None: every user), and its placeholders. What a
        sign-in adds comes back at the user's next sign-in, as for a new user. Nothing is done while no variable
        changed since the last renewal (`environment` and `importers` are the start's, always the same)."""
        if not self.variables_changed:
            return
        with self.db.session() as s:
            s.exec(delete(VariableRow))
            user_ids = s.exec(select(UserRow.id).order_by(literal_column("user.rowid"))).all()
            if self.given_at_creation:
                self._add_creation_variables(s, user_ids, self.clock.now(), environment)
        if importers is None or importers:  # (the start's superuser, if a test has not deleted it)
            self.import_environment(user_ids if importers is None else [u for u in importers if u in user_ids],
                                    environment)
        self.add_start_placeholders()
        self.variables_changed = False

    def add_start_placeholders(self) -> None:
        """What Langflow's start does while its agentic experience is on: every user whose variable list lacks
        FLOW_ID, COMPONENT_ID or FIELD_NAME gets a Generic variable of that name holding "" (1.7.1: encrypted, as
        it stores every value). 1.13 and 1.8 leave such a variable out of their list, and it holds no name."""
        if not self.start_placeholders:
            return
        self.variables_changed = True
        now = self.clock.now()
        with self.db.session() as s:
            user_ids = s.exec(select(UserRow.id)).all()
            rows = s.exec(select(VariableRow).where(col(VariableRow.name).in_(STARTUP_PLACEHOLDERS))).all()
            held = {(r.user_id, r.name) for r in rows if self._holds_name(r)}
            for user_id in user_ids:
                for name in STARTUP_PLACEHOLDERS:
                    if (user_id, name) not in held:
                        s.add(VariableRow(id=self.ids.uuid(), name=name, type=GENERIC,
                                          value=self._stored_value(GENERIC, ""), default_fields=[], user_id=user_id,
                                          created_at=now, environment_managed=False))

    def _add_default_variables(self, s: Session, user_ids: Sequence[UUID], now: datetime, *,
                               held_names: Iterable[str] = ()) -> None:
        """Langflow's agentic Credentials (an empty value), each one a user's variable list lacks (see __init__ for
        when), or `held_names` (just added, not yet in the database). One query for all `user_ids`."""
        if not user_ids:
            return
        rows = s.exec(select(VariableRow).where(col(VariableRow.user_id).in_(user_ids),
                                                col(VariableRow.name).in_(self.default_credentials))).all()
        held = {(r.user_id, r.name) for r in rows if self._holds_name(r)}
        held |= {(user_id, name) for user_id in user_ids for name in held_names}
        for user_id in user_ids:
            for name in self.default_credentials:
                if (user_id, name) not in held:  # its encrypted empty value is made on first need (_default_value)
                    s.add(VariableRow(id=self.ids.uuid(), name=name, type=CREDENTIAL, value=None, default_fields=[],
                                      user_id=user_id, created_at=now))

    def import_environment(self, user_ids: Sequence[UUID] | None, values: dict[str, str]) -> None:
        """Store the server environment's `values` as Credentials of these users (None: every user), as Langflow
        does at start-up and login: a name the user lacks is added (no default fields); one the user holds
        follows the environment by the release's rule (profile variables.environment_overwrite)."""
        if not values:
            return
        overwrite = self.variable_rules.environment_overwrite
        fields = {name: [provider, shown] for name, provider, shown in self.variable_rules.environment_fields}
        with self.db.session() as s:
            if user_ids is None:
                user_ids = s.exec(select(UserRow.id)).all()
            rows = s.exec(select(VariableRow).where(col(VariableRow.user_id).in_(user_ids),
                                                    col(VariableRow.name).in_(list(values)))).all()
            held: dict[tuple[UUID, str], VariableRow] = {}
            for r in rows:
                held.setdefault((r.user_id, r.name), r)
            now = self.clock.now()
            for user_id in user_ids:
                for name, value in values.items():
                    row = held.get((user_id, name))
                    if row is None:
                        s.add(VariableRow(id=self.ids.uuid(), name=name, type=CREDENTIAL,
                                          value=self._stored_value(CREDENTIAL, value),
                                          default_fields=list(fields.get(name, [])), user_id=user_id,
                                          created_at=now, environment_managed=True))
                        continue
                    if overwrite == "unedited":
                        self._import_unedited(s, row, value, fields.get(name), now)
                        continue
                    current = self.sealer.opened(row.value) if row.value and (
                        row.type == CREDENTIAL or self.variable_rules.fernet_values == "sealed") else row.value
                    if current == value:
                        if overwrite == "managed" and row.type == CREDENTIAL and row.environment_managed is None:
                            row.environment_managed = True  # a row of old that matches: adopted as managed
                            s.add(row)
                        continue
                    if overwrite == "managed" and not (row.type == CREDENTIAL and row.environment_managed):
                        continue
                    row.value = self._stored_value(row.type, value)
                    s.add(row)
            if s.new or s.dirty:  # (a login's import mostly finds nothing to do)
                self.variables_changed = True

    def _import_unedited(self, s: Session, row: VariableRow, value: str, fields: list[str] | None,
                         now: datetime) -> None:
        """1.8's import of an environment value into a variable the user holds: one never updated takes the
        value (the same one too) and is stamped updated, so a later import leaves it as it is, as one the user
        changed; either way a provider's variable without default fields gets its provider's."""
        given = bool(fields) and not row.default_fields
        if row.updated_at is not None and not given:
            return
        if row.updated_at is None:
            row.value = self._stored_value(row.type, value)
        if given:
            row.default_fields = list(fields or [])
        row.updated_at = now
        s.add(row)

    def ensure_superuser(self, *, username: str, password: str, reset_password: bool = True,
                         store_api_key: str | None = None) -> UserRow:
        """The superuser the server runs as; its password follows the settings of this start (unless not
        `reset_password`: then an existing superuser is left as it is). `store_api_key` is a new one's."""
        existing = self.by_name(username)
        if existing is None:
            return self.create(username=username, password=password, is_superuser=True, store_api_key=store_api_key)
        if not reset_password:
            return existing
        with self.db.session() as s:
            row = s.get(UserRow, existing.id) or existing
            row.password_hash, row.is_superuser, row.is_active = hash_password(password), True, True
            s.add(row)
        self.forget()
        return row

    def authenticate(self, username: str, password: str) -> UserRow | None:
        row = self.by_name(username)
        if row is None or not verify_password(password, row.password_hash) or not row.is_active:
            return None
        return row

    def touch_login(self, user_id: UUID, *, auto: bool = False) -> UserRow:
        """A sign-in: the user's last login is now. An `auto` one (auto-login) also turns a store key that was
        never set (null) into "", as Langflow's auto-login does. The agentic Credentials the user lacks are added
        where the release's sign-in of that kind adds them."""
        try:
            with self.db.session() as s:
                row = s.get(UserRow, user_id)
                if row is None:
                    raise errors.NotFound(errors.USER_NOT_FOUND)
                now = self.clock.now()
                row.last_login_at = row.updated_at = now
                if auto and row.store_api_key is None:
                    row.store_api_key = ""
                s.add(row)
                if ("auto" if auto else "login") in self.sign_in_variables:
                    self._add_default_variables(s, [user_id], now)
                    self.variables_changed = self.variables_changed or bool(s.new)
                return row
        finally:
            self.forget()

    def list(self, *, skip: int, limit: int | None, username: str | None = None, search: str | None = None,
             by_name: bool = False, among: set[UUID] | None = None) -> tuple[int, list[UserRow]]:
        """(how many users match, the page of them from `skip`, every one after it if `limit` is None) in
        creation order, or `by_name` (byte order, as SQLite compares). `username` matches exactly, `search` any
        part of a username, ignoring case; `among`: only those users."""
        query = select(UserRow).order_by(col(UserRow.username) if by_name else col(UserRow.create_at))
        if among is not None:
            query = query.where(col(UserRow.id).in_(among))
        if username is not None:
            query = query.where(UserRow.username == username)
        if search:
            query = query.where(col(UserRow.username).icontains(search, autoescape=True))
        with self.db.session() as s:
            rows = list(s.exec(query).all())
        return len(rows), rows[skip:] if limit is None else rows[skip: skip + limit]

    def update(self, user_id: UUID, **changes: object) -> UserRow:
        try:
            with self.db.session() as s:
                row = s.get(UserRow, user_id)
                if row is None:
                    raise errors.NotFound(errors.USER_NOT_FOUND)
                for key, value in changes.items():
                    if key == "password":
                        row.password_hash = hash_password(str(value))
                    else:
                        setattr(row, key, value)
                row.updated_at = self.clock.now()
                s.add(row)
                return row
        finally:
            self.forget()

    def delete(self, user_id: UUID) -> None:
        try:
            with self.db.session() as s:
                self.remove(s, user_id)
        finally:
            self.forget()

    @staticmethod
    def remove(s: Session, user_id: UUID) -> None:
        """Delete a user in the caller's transaction (the database cascades to what they own); the caller
        calls forget()."""
        row = s.get(UserRow, user_id)
        if row is None:
            raise errors.NotFound(errors.USER_NOT_FOUND)
        s.delete(row)

    # --- API keys ---------------------------------------------------------------------------------------

    def create_key(self, *, user_id: UUID, name: str | None, key: str | None = None,
                   expires_at: datetime | None = None, created_at: datetime | None = None) -> UnmaskedApiKeyRead:
        """A new key for the user, created now unless `created_at` says when; from `expires_at` on (1.13), it no
        longer authenticates."""
        key = key or "sk-" + "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_BODY_LENGTH))
        expires_at = _wall_time(expires_at) if expires_at is not None else None
        created_at = _wall_time(created_at) if created_at is not None else self.clock.now()
        row = ApiKeyRow(id=self.ids.uuid(), name=name, key_hash=key_digest(key), key_prefix=key[:8],
                        user_id=user_id, created_at=created_at, expires_at=expires_at)
        with self.db.session() as s:
            s.add(row)
        self.forget()
        return UnmaskedApiKeyRead(name=row.name, last_used_at=None, total_uses=0, is_active=True,
                                  expires_at=expires_at, id=row.id, api_key=key, user_id=user_id)

    def has_key(self, key: str) -> bool:
        with self.db.session() as s:
            return s.exec(select(ApiKeyRow.id).where(ApiKeyRow.key_hash == key_digest(key))).first() is not None

    def key_id(self, key: str) -> UUID | None:
        """The id of the key `key` (1.13's authorization audit names the key a caller signed in with)."""
        with self.db.session() as s:
            return s.exec(select(ApiKeyRow.id).where(ApiKeyRow.key_hash == key_digest(key))).first()

    def user_for_key(self, key: str, *, inactive_user: bool = False,
                     held: list[KeyUse] | None = None) -> UserRow | None:
        """The active owner of an active, unexpired key (`inactive_user`: a deactivated owner too); counts the
        use as real Langflow does (written with the next batch of deferred writes, before anything reads the key
        list) unless usage tracking is off. With `held`, the use is put there instead, for count_key_uses once the
        request has succeeded. With LANGFLOW_API_KEY_SOURCE=env, LANGFLOW_API_KEY is first taken as the configured
        superuser's (when active; no use counted, as it is no stored key), then the stored keys as ever."""
        if self.environment_key is not None and secrets.compare_digest(
                key.encode("utf-8", "surrogatepass"), self.environment_key[0].encode("utf-8", "surrogatepass")):
            owner = self.by_name(self.environment_key[1])
            if owner is not None and owner.is_active:
                return owner
        digest = key_digest(key)
        known = self._known_keys.get(digest)
        if known is None:
            with self.db.engine.connect() as conn:
                found = conn.execute(KEY_AND_USER, {"key_hash": digest}).mappings().first()
            if found is None:
                return None
            if len(self._known_keys) >= KNOWN_KEYS_LIMIT:
                self._known_keys.clear()
            known = self._known_keys[digest] = (found["key_id"], found["key_active"], found["key_expires_at"],
                                                UserRow(**{c.name: found[c.name] for c in _USERS.columns}))
        key_id, active, expires, user = known
        now = self.clock.now()
        if not active or (expires and as_utc(expires) < now) or not (user.is_active or inactive_user):
            return None
        if not self.track_key_uses:
            return user
        use: KeyUse = {"key_id": key_id, "now": now}
        if held is None:
            self.db.defer(COUNT_KEY_USE, use)
        else:
            held.append(use)
        return user

    def count_key_uses(self, held: Sequence[KeyUse]) -> None:
        """Write the uses user_for_key held back."""
        for use in held:
            self.db.defer(COUNT_KEY_USE, use)

    def list_keys(self, user_id: UUID, *, held: Sequence[KeyUse] = ()) -> list[ApiKeyRead]:
        """As created: Langflow's query has no ORDER BY, and SQLite walks the user_id index in insertion order
        (a key's created_at may be anything its creator sent). `held`: uses of this request not written yet,
        which the listing shows as Langflow's does (it reads in the transaction that counted them)."""
        with self.db.session() as s:
            rows = s.exec(select(ApiKeyRow).where(ApiKeyRow.user_id == user_id).order_by(APIKEY_ROWID)).all()
        keys = [ApiKeyRead(name=r.name, last_used_at=r.last_used_at, total_uses=r.total_uses, is_active=r.is_active,
                           expires_at=r.expires_at, id=r.id, api_key=mask_key(r.key_prefix), user_id=r.user_id,
                           created_at=r.created_at) for r in rows]
        for use in held:
            for read in keys:
                if read.id == use["key_id"]:
                    read.total_uses += 1
                    read.last_used_at = use["now"]
        return keys

    def save_store_key(self, *, user_id: UUID, key: str) -> str:
        """Keep a Langflow Store key on the user, encrypted as Langflow keeps it; returns what is stored."""
        try:
            with self.db.session() as s:
                row = s.get(UserRow, user_id)
                if row is None:
                    raise errors.NotFound(errors.USER_NOT_FOUND)
                row.store_api_key = sealed = self.sealer.seal(key)
                s.add(row)
                return sealed
        finally:
            self.forget()

    def delete_key(self, *, user_id: UUID, key_id: UUID, any_owner: bool = False) -> None:
        """Delete one of the user's keys (`any_owner`: whoever's it is, as 1.7.1 does)."""
        try:
            with self.db.session() as s:
                row = s.get(ApiKeyRow, key_id)
                if row is None or (row.user_id != user_id and not any_owner):
                    raise errors.BadRequest(errors.API_KEY_NOT_FOUND)  # as Langflow's: a 400
                s.delete(row)
        finally:
            self.forget()

    # --- variables --------------------------------------------------------------------------------------

    def _variable_read(self, row: VariableRow, *, listed: bool = False) -> VariableRead:
        """A variable as Langflow answers it: a Credential's value never shows; a Generic's as stored, except
        that a release that stores every value encrypted (1.7.1) opens it for the list only."""
        rules = self.variable_rules
        value = None if row.type == CREDENTIAL else row.value
        if listed and value is not None and row.type == GENERIC:  # the list decrypts a Generic's value only
            value = self.sealer.opened(value)
        elif listed and row.type != GENERIC and rules.listed_others == "none":
            value = None
        plain = row.value or ""
        # Langflow decrypts only a Credential's value to tell whether it has one: any other type's counts as
        # stored, so a former Credential's token has a value even when it holds an empty secret.
        if plain and (row.type == CREDENTIAL or rules.fernet_values == "sealed"):
            plain = self.sealer.opened(plain)
            if plain.startswith(FERNET_PREFIX):  # sealed with another secret key: nothing Langflow could read
                plain = ""
        return VariableRead(id=row.id, name=row.name, type=row.type, value=value,
                            has_value=bool(plain.strip()), default_fields=row.default_fields,
                            is_valid=True if listed and row.type == CREDENTIAL and row.name in rules.provider_keys
                            else None)

    def _stored_value(self, kind: str | None, value: str) -> str:
        """A value as Langflow stores it: a Credential's encrypted (1.7.1: every value)."""
        if kind == CREDENTIAL or self.variable_rules.fernet_values == "sealed":
            return self.sealer.seal(value)
        return value

    def _check_provider_value(self, s: Session, user_id: UUID, name: str | None, value: str | None) -> None:
        """Langflow's check of a model provider variable's new value, where it fails before any connection."""
        refusal = provider_value_refusal(name or "", value, self.variable_rules.provider_check,
                                         stored=lambda other: self._provider_setting(s, user_id, other),
                                         ssrf=self.ssrf)
        if refusal is not None:
            raise errors.BadRequest(refusal)

    def _provider_setting(self, s: Session, user_id: UUID, name: str) -> str | None:
        """The value 1.13's provider check reads for another of the provider's variables (WatsonX's project and
        URL): the user's first variable of that name (a Credential decrypted), stripped, when it holds one; else
        the server's environment variable of that name, or LANGFLOW_<name>, when not blank."""
        row = s.exec(select(VariableRow).where(VariableRow.user_id == user_id, VariableRow.name == name)).first()
        if row is not None and row.value:
            plain = self.sealer.opened(row.value) if row.type == CREDENTIAL else row.value
            if plain.startswith(FERNET_PREFIX):
                return None  # Langflow fails on a Credential it cannot decrypt (a 500): no refusal of ours
            if plain.strip():
                return plain.strip()
        for variable in (name, f"LANGFLOW_{name}"):
            value = os.environ.get(variable)
            if value and value.strip():
                return value
        return None

    def _refuse_fernet_value(self, kind: str | None, value: str | None, refusal: errors.MockHTTPError) -> None:
        """Langflow refuses a Generic value that looks encrypted (it would read as a stored secret)."""
        if (self.variable_rules.fernet_values == "refused" and kind == GENERIC and value is not None
                and value.startswith(FERNET_PREFIX)):
            raise refusal

    def variable_for_run(self, user_id: UUID, name: str) -> tuple[str | None, bool]:
        """(the value a run reads for a field loading the user's variable `name`, whether the variable found is a
        Credential). The value: a Credential's decrypted (1.7.1: every value); None where Langflow finds none (no
        such variable, or one without a value: not a Credential then) or where a Credential decrypts to nothing.
        Raises VariableUndecryptable where the release's decryption fails the run (profile variables.undecryptable)."""
        with self.db.session() as s:
            row = s.exec(select(VariableRow).where(VariableRow.user_id == user_id, VariableRow.name == name)).first()
        if row is not None and row.value is None and row.type == CREDENTIAL and name in self.default_credentials:
            return None, True  # its encrypted empty value, not made yet (_default_value): it decrypts to nothing
        if row is None or not row.value:
            return None, False
        credential = row.type == CREDENTIAL
        mode = self.variable_rules.undecryptable
        if mode == "fails":  # 1.7.1 decrypts every value: one it cannot (another key, never sealed) raises
            opened = fernet_open(row.value, self.sealer.key)
            if opened is None:
                raise errors.VariableUndecryptable(name, credential=credential)
            return opened.decode(), credential
        if credential or self.variable_rules.fernet_values == "sealed":
            plain = self.sealer.opened(row.value)
            if plain.startswith(FERNET_PREFIX) or not plain:  # not sealed with this secret key, or empty
                return ("" if credential and mode == "empty" else None), credential
            return plain, credential
        return row.value, credential

    def held_variables(self, user_id: UUID) -> dict[str, tuple[str | None, str]]:
        """{name: (type, value as the variable service reads it)} of the user's variables: a Credential's value
        decrypted ("" where it is empty or does not decrypt), any other's as stored; the first of a name wins."""
        with self.db.session() as s:
            rows = s.exec(select(VariableRow).where(VariableRow.user_id == user_id)).all()
        held: dict[str, tuple[str | None, str]] = {}
        for row in rows:
            value = row.value or ""
            if value and (row.type == CREDENTIAL or self.variable_rules.fernet_values == "sealed"):
                value = self.sealer.opened(value)
                value = "" if value.startswith(FERNET_PREFIX) else value
            held.setdefault(row.name, (row.type, value))
        return held

    def default_field_bindings(self, user_id: UUID) -> dict[str, str]:
        """{field display name: variable name} from the user's variables' default_fields, in name order, a later
        variable taking a display name an earlier one gave (as Langflow 1.13 builds it for a /run)."""
        rows = self.db.rows(DEFAULT_FIELDS_OF_USER, {"user_id": user_id})
        return {shown: name for name, fields in rows if name and fields
                for shown in fields if isinstance(shown, str) and shown}

    def variables(self, user_id: UUID) -> list[VariableRead]:
        rules = self.variable_rules
        order = (col(VariableRow.name), col(VariableRow.id)) if rules.order == "name" else (VARIABLE_ROWID,)
        with self.db.session() as s:
            rows = s.exec(select(VariableRow).where(VariableRow.user_id == user_id).order_by(*order)).all()
        if rules.listing == "filtered":  # no __internal__ names; a Generic without a value is left out
            rows = [r for r in rows if not (r.name.startswith("__") and r.name.endswith("__"))
                    and (r.type != GENERIC or r.value or r.name in rules.empty_listed)]
        return [self._variable_read(r, listed=True) for r in rows if not self._unlisted_token(r)]

    def _unlisted_token(self, row: VariableRow) -> bool:
        """Whether the release's variable list leaves out a Generic variable holding an encrypted token (profile
        variables.listed_tokens): 1.13 any such, 1.8 one that does not decrypt to a value."""
        mode = self.variable_rules.listed_tokens
        if mode == "opened-or-kept" or row.type != GENERIC or not (row.value or "").startswith(FERNET_PREFIX):
            return False
        return mode == "left-out" or not fernet_open(row.value or "", self.sealer.key)

    def _holds_name(self, row: VariableRow) -> bool:
        """Whether a variable keeps a create from taking its name: Langflow checks the name against its
        variable service's list, which (1.13, 1.8) leaves out a Generic variable without a value, or holding a
        token it does not list."""
        if self.variable_rules.listing == "all":
            return True
        return (row.type != GENERIC or bool(row.value)) and not self._unlisted_token(row)

    def create_variable(self, *, user_id: UUID, data: VariableCreate) -> VariableRead:
        # Langflow's checks, in its order; a variable sent without a type is a Credential (listed without value).
        if not data.name and not data.value:
            raise errors.BadRequest("Variable name and value cannot be empty")
        if not data.name:
            raise errors.BadRequest("Variable name cannot be empty")
        if not data.value:
            raise errors.BadRequest("Variable value cannot be empty")
        kind = data.type or CREDENTIAL
        self.variables_changed = True
        with self.db.session() as s:
            same_name = s.exec(select(VariableRow).where(VariableRow.user_id == user_id,
                                                         VariableRow.name == data.name)).all()
            if any(self._holds_name(r) for r in same_name):
                raise errors.BadRequest("Variable name already exists")
            self._check_provider_value(s, user_id, data.name, data.value)
            # Langflow's create fails on it with a 500 that carries the reason
            self._refuse_fernet_value(kind, data.value, errors.ServerError(errors.generic_looks_encrypted(data.name)))
            row = VariableRow(id=self.ids.uuid(), name=data.name, type=kind,
                              value=self._stored_value(kind, data.value), default_fields=data.default_fields or [],
                              user_id=user_id, created_at=self.clock.now(), environment_managed=False)
            s.add(row)
        return self._variable_read(row)

    def _default_value(self, row: VariableRow) -> None:
        """A default Credential holds, as in Langflow, the empty value encrypted. It is sealed when a PATCH first
        needs it (the only way it can show or count), not when the row is made: so a start-up loads no cipher.
        The IV comes from the variable's id and the time is its creation's, as if sealed then."""
        if row.value is None and row.type == CREDENTIAL and row.name in self.default_credentials:
            row.value = self.sealer.seal("", iv=row.id.bytes, at=row.created_at)

    def update_variable(self, *, user_id: UUID, variable_id: UUID, data: VariableUpdate) -> VariableRead:
        """PATCH /variables/{id}, by the release's rules (profile variables.patch). A refusal is Langflow's 404
        "Variable not found" (its update raises, and the route answers every failure so)."""
        rules = self.variable_rules
        self.variables_changed = True
        with self.db.session() as s:
            row = s.get(VariableRow, variable_id)
            if row is None or row.user_id != user_id:
                raise errors.NotFound(errors.VARIABLE_NOT_FOUND)
            # the provider check, before any other: 1.13 checks the name the PATCH leaves, 1.8 the one it had
            checked = (data.name or row.name) if rules.provider_check == "connector" else row.name
            self._check_provider_value(s, user_id, checked, data.value)
            self._default_value(row)
            sent = data.model_dump(exclude_unset=True, exclude={"id"} if rules.patch_type else {"id", "type"})
            kind = data.type if data.type is not None and rules.patch_type else row.type
            if rules.patch == "value-always":
                sent["value"] = data.value or ""
            elif rules.type_change_guard and kind == GENERIC and data.value is None and row.value is not None \
                    and row.value.startswith(FERNET_PREFIX):  # the stored secret would show as a Generic's value
                raise errors.NotFound(errors.VARIABLE_NOT_FOUND)
            self._refuse_fernet_value(kind, sent.get("value"), errors.NotFound(errors.VARIABLE_NOT_FOUND))
            for column in ("name", "value"):  # NOT NULL columns: Langflow's write fails (README, 500s)
                if column in sent and sent[column] is None:
                    raise errors.BadRequest(errors.variable_column_null(column))
            if sent.get("value") is not None:
                sent["value"] = self._stored_value(kind, sent["value"])
            if sent.get("value") is not None or sent.get("name", row.name) != row.name or (
                    sent.get("type") is not None and sent["type"] != row.type):
                row.environment_managed = False  # the user's own from now on: the environment no longer sets it
            for key, value in sent.items():  # every field sent, a null type or default_fields too
                setattr(row, key, value)
            row.updated_at = self.clock.now()
            s.add(row)
        return self._variable_read(row)

    def delete_variable(self, *, user_id: UUID, variable_id: UUID) -> None:
        self.variables_changed = True
        with self.db.session() as s:
            row = s.get(VariableRow, variable_id)
            if row is None or row.user_id != user_id:
                if self.variable_rules.delete_missing == "not-found":
                    raise errors.NotFound(errors.VARIABLE_NOT_FOUND)
                raise errors.VariableMissing(variable_id)
            s.delete(row)
            provider = next((p for p, names in self.variable_rules.pruned_models if row.name in names), None)
            if provider is not None:
                s.flush()
                for name in MODEL_STATUS_LISTS:
                    self._prune_models(s, user_id, name, provider)

    def _prune_models(self, s: Session, user_id: UUID, name: str, provider: str) -> None:
        """Langflow's clean-up of a model status list after a provider's variable is deleted (profile
        variables.model_pruning): the user's first variable of that name, when its value reads as a set of models,
        loses that provider's (1.13: its "<provider>::<model>" entries; 1.8: its catalog's model names); the rest
        are kept, in their order, and the variable becomes Generic (1.13: the user's own), or is deleted when none
        is left. A value that does not parse (a Credential's token) is left as it is."""
        row = s.exec(select(VariableRow).where(VariableRow.user_id == user_id, VariableRow.name == name)).first()
        if row is None or not row.value:
            return
        try:
            parsed = json.loads(row.value)
        except ValueError:
            return
        rules = self.variable_rules
        if rules.model_pruning == "catalog":  # 1.8 reads the value as a set: a list's items, a text's characters...
            try:
                entries = list(dict.fromkeys(parsed))
            except TypeError:  # no iterable, or unhashable items: an empty set
                entries = []
            from mock_langflow.model_catalog import catalog_for

            catalog = catalog_for(rules.model_catalog, "legacy").model_names(provider)
            kept = [e for e in entries if not (isinstance(e, str) and e in catalog)]
        else:
            entries = list(dict.fromkeys(e for e in parsed if isinstance(e, str))) if isinstance(parsed, list) else []
            kept = [e for e in entries if not e.startswith(f"{provider}::")]
        if kept == entries:
            return
        if not kept:
            s.delete(row)
            return
        row.value, row.type = json.dumps(kept), GENERIC
        if rules.model_pruning == "qualified":  # 1.13's update marks a variable given a value the user's own
            row.environment_managed = False
        row.updated_at = self.clock.now()
        s.add(row)
