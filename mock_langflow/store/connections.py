"""1.13's integration connections (/api/v1/connections): each row's non-secret metadata and, apart, its sealed
credential, as Langflow's connection and connection_secret tables keep them. The tables are defined here and made
by the first connection route (Store.connections), not at every start (store/models.py LAZY_TABLE_MODULES).

The rules are Langflow's DatabaseConnectionResolverService's as a community install runs it (no authorization
plugin, no integration policy configured, no OAuth registration): an owner sees and acts on their own connections
and every instance connection, a superuser on all of them. No provider is ever called (README, Deliberate
differences): a Slack token is taken as Slack would accept it, a revocation as the provider would confirm it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import JSON, Index, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, col, or_, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids, as_utc, naive_utc
from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.connections import (
    ConnectionCreate,
    ConnectionCredentialWrite,
    ConnectionRead,
    ConnectionRevokeRead,
    ConnectionUpdate,
)
from mock_langflow.store.db import Database, table_made
from mock_langflow.store.models import CONNECTION_SECRETS, CONNECTIONS, UserRow
from mock_langflow.store.sealing import Sealer

SLACK, APP_TOKEN_PREFIX, APP_TOKEN_SCOPE = "slack", "xapp-", "connections:write"
# Statuses in which a connection holds no credential on purpose: a missing one is no error then
CREDENTIAL_FREE = frozenset({"pending", "revoked"})
# The reasons a read shows with any status (the others only with "error")
OAUTH_REASONS = frozenset({"oauth-denied", "oauth-expired", "oauth-failed"})
Action = Literal["write", "delete", "execute"]


class ConnectionRow(SQLShape, table=True):
    """A connection's metadata (Langflow's connection row): a user's own (owner_id set) or the instance's."""

    __tablename__ = CONNECTIONS
    __table_args__ = (
        Index("uq_connection_user_provider_name", "owner_id", "provider_key", "name", unique=True,
              sqlite_where=text("ownership_mode = 'user'")),
        Index("uq_connection_instance_provider_name", "provider_key", "name", unique=True,
              sqlite_where=text("ownership_mode = 'instance'")),
    )

    id: UUID = Field(primary_key=True)
    owner_id: UUID | None = None
    provider_key: str
    name: str
    display_name: str
    ownership_mode: str = "user"
    status: str = "pending"
    status_reason: str | None = None
    health: str = "unknown"
    granted_scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    executing_identity: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    allow_non_interactive: bool = False
    health_checked_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class ConnectionSecretRow(SQLShape, table=True):
    """A connection's credential envelope, sealed (Langflow's connection_secret row), never read by a listing."""

    __tablename__ = CONNECTION_SECRETS

    connection_id: UUID = Field(primary_key=True)
    encrypted_payload: str
    created_at: datetime
    updated_at: datetime


def connection_read(row: ConnectionRow, *, has_credentials: bool) -> ConnectionRead:
    """A connection as every route answers it: no credential, its times naive UTC as SQLite reads them back."""
    fields = row.model_dump(exclude={"health_checked_at", "created_at", "updated_at", "status_reason"})
    reason = row.status_reason if row.status == "error" or row.status_reason in OAUTH_REASONS else None
    checked = row.health_checked_at
    return ConnectionRead(**fields, status_reason=reason, has_credentials=has_credentials,
                          health_checked_at=None if checked is None else naive_utc(checked),
                          created_at=naive_utc(row.created_at), updated_at=naive_utc(row.updated_at))


class Connections:
    def __init__(self, db: Database, ids: Ids, clock: Clock, sealer: Sealer) -> None:
        self.db, self.ids, self.clock, self.sealer = db, ids, clock, sealer

    # --- reads ------------------------------------------------------------------------------------------------

    @staticmethod
    def _visible(user: UserRow) -> Any:
        """Langflow's owner clause: the caller's own rows and the instance's (a superuser's: every row)."""
        if user.is_superuser:
            return text("1 = 1")
        return or_(col(ConnectionRow.owner_id) == user.id, col(ConnectionRow.ownership_mode) == "instance")

    def list(self, user: UserRow, provider: str | None = None) -> list[ConnectionRead]:
        with self.db.session() as s:
            query = select(ConnectionRow).where(self._visible(user))
            if provider is not None:
                query = query.where(ConnectionRow.provider_key == provider)
            rows = s.exec(query.order_by(col(ConnectionRow.display_name), col(ConnectionRow.id))).all()
            kept = set(s.exec(select(ConnectionSecretRow.connection_id).where(
                col(ConnectionSecretRow.connection_id).in_([row.id for row in rows]))).all()) if rows else set()
        return [connection_read(row, has_credentials=row.id in kept) for row in rows]

    def _row(self, s: Any, user: UserRow, connection_id: UUID, action: Action) -> ConnectionRow:
        """The connection the caller may act on: another user's is a 404 (a superuser's excepted), and an
        instance connection only a superuser may write or delete (403)."""
        row = s.exec(select(ConnectionRow).where(ConnectionRow.id == connection_id, self._visible(user))).first()
        if row is None:
            raise errors.NotFound(errors.CONNECTION_NOT_FOUND)
        if row.ownership_mode == "instance" and action in ("write", "delete") and not user.is_superuser:
            raise errors.Forbidden(errors.INSTANCE_CONNECTION_CHANGE)
        return row

    def _read(self, s: Any, row: ConnectionRow) -> ConnectionRead:
        return connection_read(row, has_credentials=s.get(ConnectionSecretRow, row.id) is not None)

    # --- writes -----------------------------------------------------------------------------------------------

    def create(self, user: UserRow, body: ConnectionCreate) -> ConnectionRead:
        """POST: a Slack credential checked as Langflow checks it (an app-level token marked by its scope), the
        credential sealed; a handle the owner (or the instance) has already is a 409."""
        if body.ownership_mode == "instance" and not user.is_superuser:
            raise errors.Forbidden(errors.INSTANCE_CONNECTION_CREATE)
        scopes = self._slack_scopes(body)
        now = self.clock.now()
        row = ConnectionRow(id=self.ids.uuid(), owner_id=user.id if body.ownership_mode == "user" else None,
                            ownership_mode=body.ownership_mode.value, provider_key=body.provider_key,
                            name=body.name, display_name=body.display_name,
                            status="ready" if body.credentials is not None else "pending", granted_scopes=scopes,
                            executing_identity=body.executing_identity.model_dump(mode="json"),
                            allow_non_interactive=body.allow_non_interactive, created_at=now, updated_at=now)
        try:
            with self.db.session() as s:
                s.add(row)
                s.flush()
                if body.credentials is not None:
                    s.add(ConnectionSecretRow(connection_id=row.id, encrypted_payload=self._sealed(body.credentials),
                                              created_at=now, updated_at=now))
        except IntegrityError:
            raise errors.Conflict(errors.CONNECTION_EXISTS) from None
        return connection_read(row, has_credentials=body.credentials is not None)

    @staticmethod
    def _slack_scopes(body: ConnectionCreate) -> list[str]:
        """Langflow's rules for a manually entered Slack credential (422): an app-level token (xapp-) is the
        caller's own bot connection, never expires nor refreshes, and has exactly the connections:write scope;
        no other token may claim that scope."""
        scopes = list(body.granted_scopes)
        if body.provider_key != SLACK:
            return scopes
        credentials = body.credentials
        token = credentials.access_token.get_secret_value() if credentials is not None else ""
        if not token.startswith(APP_TOKEN_PREFIX):
            if APP_TOKEN_SCOPE in scopes:
                raise errors.UnprocessableEntity(errors.SLACK_APP_SCOPE)
            return scopes
        if body.ownership_mode != "user":
            raise errors.UnprocessableEntity(errors.SLACK_APP_TOKEN_OWN)
        if body.executing_identity.identity != "bot":
            raise errors.UnprocessableEntity(errors.SLACK_APP_TOKEN_BOT)
        if credentials is None or credentials.refresh_token is not None or credentials.expires_at is not None:
            raise errors.UnprocessableEntity(errors.SLACK_APP_TOKEN_FOREVER)
        return [APP_TOKEN_SCOPE]

    def _sealed(self, credentials: ConnectionCredentialWrite) -> str:
        """Langflow's credential envelope (version 1), sealed as its encrypt_api_key seals it."""
        refresh = credentials.refresh_token
        expires = credentials.expires_at
        return self.sealer.seal(json.dumps({
            "version": 1, "access_token": credentials.access_token.get_secret_value(),
            "refresh_token": refresh.get_secret_value() if refresh is not None else None,
            "token_type": credentials.token_type, "expires_at": expires.isoformat() if expires is not None else None,
        }, separators=(",", ":"), sort_keys=True))

    def check_gate(self, user: UserRow, connection_id: UUID, action: Action) -> None:
        """The route's own checks before anything else: the row visible and the action allowed."""
        with self.db.session() as s:
            self._row(s, user, connection_id, action)

    def update(self, user: UserRow, connection_id: UUID, body: ConnectionUpdate) -> ConnectionRead:
        """PATCH: the display name and the non-interactive opt-in, which only the owner (a superuser for an
        instance connection) may turn on; anyone who may write may turn it off."""
        with self.db.session() as s:
            row = self._row(s, user, connection_id, "write")
            if body.allow_non_interactive and not row.allow_non_interactive and not (
                    user.is_superuser if row.ownership_mode == "instance" else row.owner_id == user.id):
                raise errors.Forbidden(errors.NON_INTERACTIVE_OWNER_ONLY)
            if body.display_name is not None:
                row.display_name = body.display_name
            if body.allow_non_interactive is not None:
                row.allow_non_interactive = body.allow_non_interactive
            row.updated_at = self.clock.now()
            s.add(row)
            return self._read(s, row)

    def revoke(self, user: UserRow, connection_id: UUID) -> ConnectionRevokeRead:
        with self.db.session() as s:
            row = self._row(s, user, connection_id, "write")
            outcome = self._revoke(s, row)
            return ConnectionRevokeRead(**self._read(s, row).model_dump(), provider_revocation=outcome)

    def _revoke(self, s: Any, row: ConnectionRow) -> Literal["revoked", "not_applicable", "failed"]:
        """The credential removed and the row revoked and unhealthy. The provider's side: nothing to revoke
        without a credential; a manual Slack token as Slack would confirm it; any other manual token is not the
        provider's to revoke (no OAuth grant can exist without a registration)."""
        secret = s.get(ConnectionSecretRow, row.id)
        outcome: Literal["revoked", "not_applicable", "failed"] = "not_applicable"
        if secret is not None:
            payload = self._opened(secret)
            if payload is None:
                outcome = "failed"
            elif row.provider_key == SLACK:
                outcome = "revoked"
            s.delete(secret)
            s.flush()
        now = self.clock.now()
        row.status, row.status_reason, row.health = "revoked", None, "unhealthy"
        row.health_checked_at = row.updated_at = now
        s.add(row)
        return outcome

    def delete(self, user: UserRow, connection_id: UUID) -> None:
        with self.db.session() as s:
            row = self._row(s, user, connection_id, "delete")
            self._revoke(s, row)
            s.delete(row)

    def _opened(self, secret: ConnectionSecretRow) -> dict[str, Any] | None:
        """The credential envelope, or None when this server cannot open it (Langflow's undecryptable one)."""
        plain = self.sealer.opened_or_empty(secret.encrypted_payload)
        try:
            payload = json.loads(plain) if plain else None
        except ValueError:
            return None
        if not isinstance(payload, dict) or payload.get("version") != 1 or not payload.get("access_token"):
            return None
        return payload

    def check_health(self, user: UserRow, connection_id: UUID,
                     required_scopes: frozenset[str] = frozenset()) -> ConnectionRead:
        """POST /test and /health: the stored credential checked as Langflow checks it, with no provider call.
        A Slack app-level token is only for the Socket Mode listener: its health stays unknown. A revoked
        connection or a missing credential is unhealthy (an error unless the connection holds none on purpose);
        one that does not open is an error; an expiry passed makes it expired; scopes missing make it unhealthy;
        otherwise it is ready and healthy."""
        with self.db.session() as s:
            row = self._row(s, user, connection_id, "execute")
            now = self.clock.now()
            if row.provider_key == SLACK and APP_TOKEN_SCOPE in row.granted_scopes:
                # (Langflow leaves updated_at to its column's onupdate: SQLite's CURRENT_TIMESTAMP, whole seconds)
                row.health, row.health_checked_at, row.updated_at = "unknown", now, now.replace(microsecond=0)
                s.add(row)
                return self._read(s, row)
            secret = s.get(ConnectionSecretRow, row.id) if row.status != "revoked" else None
            payload = self._opened(secret) if secret is not None else None
            if secret is None:
                if row.status not in CREDENTIAL_FREE:
                    row.status, row.status_reason = "error", "credential-missing"
                row.health = "unhealthy"
            elif payload is None:
                row.status, row.status_reason, row.health = "error", "credential-undecryptable", "unhealthy"
            elif self._expired(payload.get("expires_at"), now):
                row.status, row.status_reason, row.health = "expired", None, "unhealthy"
            elif missing_scopes(row.provider_key, required_scopes, frozenset(row.granted_scopes)):
                row.health = "unhealthy"
            else:
                row.status, row.status_reason, row.health = "ready", None, "healthy"
            row.health_checked_at = row.updated_at = now
            s.add(row)
            return self._read(s, row)

    @staticmethod
    def _expired(value: Any, now: datetime) -> bool:
        if not isinstance(value, str):
            return False
        try:
            return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00"))) <= now
        except ValueError:
            return True


def missing_scopes(provider: str, required: frozenset[str], granted: frozenset[str]) -> frozenset[str]:
    """lfx's ScopeSet.missing: the required scopes no granted one covers, compared as the provider spells its
    aliases (Google's and Microsoft's URL prefixes, Google's userinfo names), case-insensitively."""

    def normal(scope: str) -> str:
        scope = scope.strip()
        if provider in ("google", "google_workspace"):
            scope = scope.removeprefix("https://www.googleapis.com/auth/").casefold()
            scope = {"userinfo.email": "email", "userinfo.profile": "profile"}.get(scope, scope)
        elif provider == "microsoft":
            scope = scope.removeprefix("https://graph.microsoft.com/")
        return scope.casefold()

    have = {normal(scope) for scope in granted}
    return frozenset(scope for scope in required if normal(scope) not in have)


def require_owned_connection(s: Any, connection_id: UUID, owner_id: UUID) -> None:
    """Langflow's rule for a trigger's connection (services/triggers/ownership.py): its owner's own, never an
    instance or another user's one; a missing one is refused alike (422), so the answer tells nothing of others'."""
    row = s.get(ConnectionRow, connection_id) if table_made(s, CONNECTIONS) else None
    if row is None or row.ownership_mode != "user" or row.owner_id != owner_id:
        raise errors.UnprocessableEntity(errors.TRIGGER_CONNECTION_NOT_OWNED)


def erase_owned(s: Any, user_id: UUID) -> int:
    """In the caller's transaction, a user's own connections and their credentials (a user's deletion, a data
    subject's erase); how many rows went, credentials first, as Langflow's erase step counts them."""
    if not table_made(s, CONNECTIONS):  # (made by the first connection route)
        return 0
    owned = select(ConnectionRow.id).where(ConnectionRow.owner_id == user_id)
    secrets = list(s.exec(select(ConnectionSecretRow).where(col(ConnectionSecretRow.connection_id).in_(owned))).all())
    rows = list(s.exec(select(ConnectionRow).where(ConnectionRow.owner_id == user_id)).all())
    for row in (*secrets, *rows):
        s.delete(row)
    return len(secrets) + len(rows)
