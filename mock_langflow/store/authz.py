"""1.13's authorization administration data (roles, role assignments, teams and members, shares, the audit log),
kept as a community install without an authorization plugin keeps it: rows an administrator edits, that nothing
enforces. Its tables are defined here, in a metadata of their own, and made in the database by the first authz
route (Store.authz), not at every start: schema.sql's 12 more statements held about 0.1 MiB of every start-up's
RSS. A database without them has no roles, teams or shares to cascade a user's deletion to; with them, SQLite's
foreign keys do it (assignments and memberships go, what the user made stays, creator unknown)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from pydantic import ConfigDict
from sqlalchemy import JSON, Index, UniqueConstraint, func, or_, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel, col, delete, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids, naive_utc
from mock_langflow.schemas import authz_admin as shapes
from mock_langflow.store.db import Database, sql_int
from mock_langflow.store.models import FileRow, FlowRow, FolderRow, UserRow, VariableRow

if TYPE_CHECKING:
    from mock_langflow.store.audit_retention import AuditRetention

T = TypeVar("T")

# The roles 1.13's migrations seed into every database (7c8d9e0f1a2b, with 4f0d2c9a8b7e's flow:create): system
# roles, which no route may change or delete.
_VIEWER = ("flow:read", "flow:execute", "deployment:read", "project:read", "knowledge_base:read", "variable:read",
           "file:read")
_DEVELOPER = (*_VIEWER, "flow:write", "flow:create", "deployment:write", "deployment:create", "deployment:execute",
              "project:write", "project:create", "knowledge_base:write", "knowledge_base:create",
              "knowledge_base:ingest", "variable:write", "variable:create", "file:write", "file:create")
_ADMIN = (*_DEVELOPER, "flow:delete", "flow:deploy", "deployment:delete", "project:delete", "knowledge_base:delete",
          "variable:delete", "file:delete", "share:read", "share:create", "share:update", "share:delete")
SYSTEM_ROLES = (
    ("viewer", "Read-only access to flows, deployments, projects, and supporting resources.", _VIEWER),
    ("developer", "Author and execute flows; manage variables, knowledge bases, and files.", _DEVELOPER),
    ("admin", "Full management of resources and shares within the workspace.", _ADMIN),
)
# A share's resource -> the table and column naming its owner; the resources the mock does not keep (deployments,
# knowledge bases, connections) have no rows, so a share of one is a 404 as for an unknown id.
SHARE_OWNERS: dict[str, tuple[Any, str]] = {"flow": (FlowRow, "user_id"), "project": (FolderRow, "user_id"),
                                            "variable": (VariableRow, "user_id"), "file": (FileRow, "user_id")}


TABLES = registry()
UserRow.__table__.to_metadata(TABLES.metadata)  # (what the foreign keys name; never made from here)


class AuthzShape(SQLModel, registry=TABLES):
    """The tables of this module, built on first use as every table is (schemas.SQLShape)."""

    model_config = ConfigDict(defer_build=True)


class AuthzRoleRow(AuthzShape, table=True):
    __tablename__ = "authz_role"

    id: UUID = Field(primary_key=True)
    name: str = Field(index=True, unique=True)
    description: str | None = None
    is_system: bool = False
    permissions: list[str] = Field(default_factory=list, sa_type=JSON)
    parent_role_id: UUID | None = Field(default=None, foreign_key="authz_role.id", ondelete="SET NULL")
    workspace_id: UUID | None = None
    created_at: datetime
    updated_at: datetime
    created_by: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class AuthzRoleAssignmentRow(AuthzShape, table=True):
    """A user's role in a scope. Its one grant source, the manual one a community install has, is read off it
    (its actor and times are the assignment's)."""

    __tablename__ = "authz_role_assignment"

    id: UUID = Field(primary_key=True)
    user_id: UUID = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    role_id: UUID = Field(foreign_key="authz_role.id", ondelete="CASCADE")
    domain_type: str = "global"
    domain_id: UUID | None = None
    assigned_at: datetime
    assigned_by: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class AuthzTeamRow(AuthzShape, table=True):
    __tablename__ = "authz_team"

    id: UUID = Field(primary_key=True)
    team_name: str
    adom_name: str = Field(index=True, unique=True)
    description: str | None = None
    is_active: bool = True
    created_at: datetime
    updated_at: datetime


class AuthzTeamMemberRow(AuthzShape, table=True):
    __tablename__ = "authz_team_member"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: UUID = Field(primary_key=True)
    team_id: UUID = Field(foreign_key="authz_team.id", ondelete="CASCADE")  # (the unique index leads with it)
    user_id: UUID = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    source: str = "manual"
    created_at: datetime


class AuthzShareRow(AuthzShape, table=True):
    __tablename__ = "authz_share"
    __table_args__ = (
        Index("uq_authz_share_targeted", "resource_type", "resource_id", "scope", "target_id", unique=True,
              sqlite_where=text("target_id IS NOT NULL")),
        Index("uq_authz_share_untargeted", "resource_type", "resource_id", "scope", unique=True,
              sqlite_where=text("target_id IS NULL")),
    )

    id: UUID = Field(primary_key=True)
    resource_type: str
    resource_id: UUID
    scope: str
    target_id: UUID | None = None
    permission_level: str = "read"
    # deleting a user keeps the shares they made, creator unknown, as Langflow's SET NULL does
    created_by: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime


class AuthzAuditRow(AuthzShape, table=True):
    __tablename__ = "authz_audit_log"

    id: UUID = Field(primary_key=True)
    user_id: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    actor_type: str | None = None
    actor_id: UUID | None = None
    action: str
    resource_type: str | None = None
    resource_id: UUID | None = None
    result: str
    details: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    timestamp: datetime


def read(shape: type[T], row: Any, **extra: Any) -> T:
    """A row as its answer: times naive UTC, as Langflow's SQLite columns hand them back."""
    values = {name: getattr(row, name) for name in type(row).model_fields}
    values = {k: naive_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}
    return shape.model_validate({**values, **extra})  # type: ignore[attr-defined,no-any-return]


def refusal(exc: errors.MockHTTPError, reason: str) -> errors.MockHTTPError:
    """An error that the audit log records as a denial for `reason` (Langflow's reason codes)."""
    exc.audit_reason = reason  # type: ignore[attr-defined]
    return exc


def _like(text_: str) -> str:
    """A substring pattern for LIKE with `\\` escaping, as Langflow's escape_like_pattern makes it."""
    return "%" + text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class Actor:
    """Who asks, as an audit row names them: the user, how they signed in, the request and operation ids."""

    user_id: UUID | None  # None: nobody signed in (a sign-up)
    request_id: UUID
    api_key_id: UUID | None = None
    auto_login: bool = False
    operation_id: str | None = None
    signed_in: bool = True

    def credential(self) -> dict[str, Any]:
        if not self.signed_in or self.user_id is None:
            return {}
        if self.api_key_id is not None:
            return {"auth_method": "api_key", "api_key_id": str(self.api_key_id), "api_key_source": "db"}
        return {"auth_method": "auto_login" if self.auto_login else "jwt"}


# the caller of a request as an audit row names them, made when a row first needs it (a request's rows share its id)
Caller = Callable[[], Actor]


class Authz:
    def __init__(self, db: Database, ids: Ids, clock: Clock, *, audit: bool,
                 retention: AuditRetention | None = None) -> None:
        """`audit`: record decisions in the audit log (LANGFLOW_AUTHZ_AUDIT_ENABLED; off by default). `retention`:
        the sweeps a read of the log first catches up with (None: rows are kept)."""
        self.db, self.ids, self.clock, self.audit_enabled, self.retention = db, ids, clock, audit, retention
        db.flush()
        TABLES.metadata.create_all(db.engine, tables=[t for t in TABLES.metadata.sorted_tables if t.name != "user"])
        self._seed_system_roles()

    def _seed_system_roles(self) -> None:
        with self.db.session() as s:
            if s.exec(select(AuthzRoleRow.id).where(col(AuthzRoleRow.is_system))).first() is not None:
                return
            now = self.clock.now()
            for name, description, permissions in SYSTEM_ROLES:
                if s.exec(select(AuthzRoleRow.id).where(AuthzRoleRow.name == name)).first() is None:
                    s.add(AuthzRoleRow(id=self.ids.uuid(), name=name, description=description, is_system=True,
                                       permissions=list(permissions), created_at=now, updated_at=now))

    # --- the audit log --------------------------------------------------------------------------------------

    def record(self, actor: Actor, action: str, obj: str, result: str, details: dict[str, Any]) -> None:
        """One audit row, when auditing is on. `obj` is Langflow's '<type>:<id>' key."""
        if not self.audit_enabled:
            return
        details = {**details, "request_id": str(actor.request_id), **actor.credential()}
        if actor.user_id is None:  # (Langflow's unknown actor)
            self._add(None, "unknown", None, action, obj, result, details)
            return
        self._add(actor.user_id, "api_key" if actor.api_key_id else "user", actor.api_key_id or actor.user_id,
                  action, obj, result, details)

    def always(self, actor: Caller | None, user_id: UUID | None, action: str, obj: str, result: str,
               details: dict[str, Any]) -> None:
        """A row written whether auditing is on or not (the data subject routes' dsar:* events): with auditing on
        and a request that names its caller (`actor`), as `record` writes one; else as given, the user its actor
        (Langflow adds it to the change's own transaction, or a background worker writes it)."""
        if self.audit_enabled and actor is not None:
            self.record(actor(), action, obj, result, details)
        else:
            self._add(user_id, "user" if user_id else None, user_id, action, obj, result, details)

    def _add(self, user_id: UUID | None, actor_type: str | None, actor_id: UUID | None, action: str, obj: str,
             result: str, details: dict[str, Any]) -> None:
        resource_type, _, suffix = obj.partition(":")
        try:
            resource_id: UUID | None = UUID(suffix)
        except ValueError:
            resource_id = None
        with self.db.session() as s:
            s.add(AuthzAuditRow(id=self.ids.uuid(), user_id=user_id, actor_type=actor_type, actor_id=actor_id,
                                action=action, resource_type=resource_type or None, resource_id=resource_id,
                                result=result, details=details, timestamp=self.clock.now()))

    def forget_resource(self, resource_type: str, resource_id: UUID) -> None:
        """The rows about a resource whose change was rolled back (they were staged in its transaction)."""
        with self.db.session() as s:
            s.exec(delete(AuthzAuditRow).where(AuthzAuditRow.resource_type == resource_type,
                                               AuthzAuditRow.resource_id == resource_id))

    def administrative(self, details: dict[str, Any], actor: Actor, source: str = "manual") -> dict[str, Any]:
        """An administrative row's details: the route's, its source, and the caller's operation id if sent."""
        return {**details, "source": source, **({"operation_id": actor.operation_id} if actor.operation_id else {})}

    def deny(self, actor: Actor, action: str, obj: str, status: int, reason: str, **details: Any) -> None:
        self.record(actor, action, obj, "deny", self.administrative(
            {"event": "access", "status_code": status, "reason": reason, **details}, actor))

    def audited(self, actor: Actor, action: str, obj: str, work: Callable[[], T],
                allowed: Callable[[T], tuple[str, dict[str, Any]]] | None = None) -> T:
        """Run an administrative change; record its refusal (an error with a reason) or, with `allowed`, its
        effect (the object key and the details that function derives from the result)."""
        try:
            result = work()
        except errors.MockHTTPError as exc:
            reason = getattr(exc, "audit_reason", None)
            if reason is not None:
                self.deny(actor, action, obj, exc.status_code, reason)
            raise
        if allowed is not None:
            key, details = allowed(result)
            self.record(actor, action, key, "allow", self.administrative({"event": "mutation", **details}, actor))
        return result

    def audit_page(self, *, filters: dict[str, Any], page: int, size: int) -> shapes.AuthzAuditPage:
        """GET /authz/audit: the rows matching the filters, newest first."""
        if self.retention is not None:
            self.retention.catch_up()
        query = select(AuthzAuditRow)
        for name in ("user_id", "actor_id", "resource_type", "resource_id", "action", "result"):
            if filters.get(name) is not None:
                query = query.where(getattr(AuthzAuditRow, name) == filters[name])
        actor_type = filters.get("actor_type")
        if actor_type == "unknown":
            query = query.where(or_(AuthzAuditRow.actor_type == actor_type, col(AuthzAuditRow.actor_type).is_(None)))
        elif actor_type is not None:
            query = query.where(AuthzAuditRow.actor_type == actor_type)
        if filters.get("exclude_action"):
            query = query.where(col(AuthzAuditRow.action).not_in(filters["exclude_action"]))
        event = func.json_extract(AuthzAuditRow.details, "$.event")
        if filters.get("event"):
            query = query.where(event.in_(filters["event"]))
        if filters.get("exclude_event"):
            query = query.where(or_(event.not_in(filters["exclude_event"]), event.is_(None)))
        if filters.get("since") is not None:
            query = query.where(AuthzAuditRow.timestamp >= filters["since"])
        if filters.get("until") is not None:
            query = query.where(AuthzAuditRow.timestamp < filters["until"])
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(query.subquery())).one()
            rows = s.exec(query.order_by(col(AuthzAuditRow.timestamp).desc(), col(AuthzAuditRow.id).desc())
                          .offset(sql_int((page - 1) * size)).limit(size)).all()
        return shapes.AuthzAuditPage(items=[read(shapes.AuthzAuditLogRead, r) for r in rows], total=total,
                                     page=page, size=size, pages=(total + size - 1) // size if total else 0)

    # --- roles ----------------------------------------------------------------------------------------------

    @contextmanager
    def _writing(self, conflict: Callable[[IntegrityError], errors.MockHTTPError]) -> Iterator[Session]:
        """A write whose unique-constraint failure is `conflict`'s 409."""
        try:
            with self.db.session() as s:
                yield s
        except IntegrityError as exc:
            raise conflict(exc) from exc

    def list_roles(self, *, is_system: bool | None, name: str | None, exact_name: str | None, limit: int,
                   offset: int) -> list[shapes.RoleRead]:
        query = select(AuthzRoleRow)
        if is_system is not None:
            query = query.where(AuthzRoleRow.is_system == is_system)
        if name:
            query = query.where(col(AuthzRoleRow.name).ilike(_like(name), escape="\\"))
        if exact_name is not None:
            query = query.where(AuthzRoleRow.name == exact_name)
        return self._page(query, shapes.RoleRead, limit, offset, AuthzRoleRow.name, AuthzRoleRow.id)

    def _page(self, query: Any, shape: type[T], limit: int, offset: int, *order: Any) -> list[T]:
        """A page of a list, in the given order (a column, then the id, so an offset reads on where one stopped)."""
        with self.db.session() as s:
            rows = s.exec(query.order_by(*(col(c) for c in order)).offset(sql_int(offset)).limit(limit)).all()
        return [read(shape, r) for r in rows]

    def read_role(self, role_id: UUID) -> shapes.RoleRead:
        with self.db.session() as s:
            row = s.get(AuthzRoleRow, role_id)
        if row is None:
            raise errors.NotFound(errors.ROLE_NOT_FOUND)
        return read(shapes.RoleRead, row)

    @staticmethod
    def _role_conflict(detail: str) -> Callable[[IntegrityError], errors.MockHTTPError]:
        def conflict(exc: IntegrityError) -> errors.MockHTTPError:
            named = "authz_role.name" in str(exc)
            return refusal(errors.Conflict(detail if named else errors.ROLE_INTEGRITY_CONFLICT),
                           "role_name_conflict" if named else "role_integrity_conflict")
        return conflict

    def create_role(self, body: shapes.RoleCreate, *, actor: UUID) -> shapes.RoleRead:
        with self._writing(self._role_conflict(errors.ROLE_NAME_TAKEN.format(name=repr(body.name)))) as s:
            if body.parent_role_id is not None and s.get(AuthzRoleRow, body.parent_role_id) is None:
                raise refusal(errors.BadRequest(errors.PARENT_ROLE_MISSING), "parent_role_not_found")
            now = self.clock.now()
            row = AuthzRoleRow(id=self.ids.uuid(), name=body.name, description=body.description,
                               permissions=list(body.permissions), parent_role_id=body.parent_role_id,
                               created_at=now, updated_at=now, created_by=actor)
            s.add(row)
            s.flush()
        return read(shapes.RoleRead, row)

    def _editable_role(self, s: Session, role_id: UUID, refused: str) -> AuthzRoleRow:
        row = s.get(AuthzRoleRow, role_id)
        if row is None:
            raise refusal(errors.NotFound(errors.ROLE_NOT_FOUND), "role_not_found")
        if row.is_system:
            raise refusal(errors.BadRequest(refused), "system_role_read_only")
        return row

    def _has_ancestor(self, s: Session, start: UUID, role_id: UUID) -> bool:
        """Whether `role_id` is on the parent chain from `start` (a chain already looping ends the walk)."""
        seen: set[UUID] = set()
        cursor: UUID | None = start
        while cursor is not None and cursor not in seen:
            if cursor == role_id:
                return True
            seen.add(cursor)
            parent = s.get(AuthzRoleRow, cursor)
            cursor = parent.parent_role_id if parent is not None else None
        return False

    def update_role(self, role_id: UUID, body: shapes.RoleUpdate) -> tuple[shapes.RoleRead, list[str]]:
        """PATCH a custom role: the fields sent, checked in Langflow's order; returns the role and those fields."""
        sent = body.model_fields_set
        with self._writing(self._role_conflict(errors.ROLE_NAME_CONFLICT)) as s:
            row = self._editable_role(s, role_id, errors.SYSTEM_ROLE_READ_ONLY)
            if "parent_role_id" in sent and body.parent_role_id is not None:
                if body.parent_role_id == row.id:
                    raise refusal(errors.BadRequest(errors.ROLE_OWN_PARENT), "self_parent_forbidden")
                if s.get(AuthzRoleRow, body.parent_role_id) is None:
                    raise refusal(errors.BadRequest(errors.PARENT_ROLE_MISSING), "parent_role_not_found")
                if self._has_ancestor(s, body.parent_role_id, row.id):
                    raise refusal(errors.BadRequest(errors.ROLE_CYCLE), "role_hierarchy_cycle")
            if "name" in sent and body.name is None:
                raise refusal(errors.BadRequest(errors.ROLE_NAME_NULL), "null_name_forbidden")
            if "permissions" in sent and body.permissions is None:
                raise refusal(errors.BadRequest(errors.ROLE_PERMISSIONS_NULL), "null_permissions_forbidden")
            for name in sent & {"parent_role_id", "description", "name", "permissions"}:
                setattr(row, name, getattr(body, name))
            self._touch(s, row)
        return read(shapes.RoleRead, row), sorted(sent)

    def _touch(self, s: Session, row: AuthzRoleRow | AuthzTeamRow) -> None:
        """An edited row written, its updated_at now (whether or not a field changed, as in Langflow)."""
        row.updated_at = self.clock.now()
        s.add(row)
        s.flush()

    def delete_role(self, role_id: UUID) -> str:
        """Delete a custom role none is assigned; returns its name."""
        with self.db.session() as s:
            row = self._editable_role(s, role_id, errors.SYSTEM_ROLE_UNDELETABLE)
            if s.exec(select(AuthzRoleAssignmentRow.id).where(AuthzRoleAssignmentRow.role_id == role_id)).first():
                raise refusal(errors.Conflict(errors.ROLE_STILL_ASSIGNED), "active_assignments_exist")
            s.delete(row)
            return row.name

    # --- role assignments -----------------------------------------------------------------------------------

    @staticmethod
    def _assignment(row: AuthzRoleAssignmentRow) -> shapes.RoleAssignmentRead:
        grant = {"source_kind": "manual", "provider_id": None, "external_group": None,
                 "administrative_actor": row.assigned_by, "created_at": naive_utc(row.assigned_at),
                 "updated_at": naive_utc(row.assigned_at)}
        return read(shapes.RoleAssignmentRead, row, grant_sources=[grant])

    def list_assignments(self, *, user_id: UUID, role_id: UUID | None, domain_type: str | None,
                         domain_id: UUID | None, limit: int, offset: int) -> list[shapes.RoleAssignmentRead]:
        query = select(AuthzRoleAssignmentRow).where(AuthzRoleAssignmentRow.user_id == user_id)
        for name, value in (("role_id", role_id), ("domain_type", domain_type), ("domain_id", domain_id)):
            if value is not None:
                query = query.where(getattr(AuthzRoleAssignmentRow, name) == value)
        with self.db.session() as s:
            rows = s.exec(query.order_by(col(AuthzRoleAssignmentRow.assigned_at).desc(),
                                         col(AuthzRoleAssignmentRow.id)).offset(sql_int(offset)).limit(limit)).all()
        return [self._assignment(r) for r in rows]

    def create_assignment(self, body: shapes.RoleAssignmentCreate, *,
                          actor: UUID) -> tuple[shapes.RoleAssignmentRead, str]:
        """A user's role in a scope (one role a scope); returns the assignment and the role's name."""
        with self.db.session() as s:
            user = s.get(UserRow, body.user_id)
            if user is None:
                raise refusal(errors.NotFound(errors.USER_ID_NOT_FOUND), "user_not_found")
            if not user.is_active:
                raise refusal(errors.Conflict(errors.ASSIGNEE_INACTIVE), "user_inactive")
            role = s.get(AuthzRoleRow, body.role_id)
            if role is None:
                raise refusal(errors.NotFound(errors.ROLE_ID_NOT_FOUND), "role_not_found")
            scope = select(AuthzRoleAssignmentRow.role_id).where(
                AuthzRoleAssignmentRow.user_id == body.user_id, AuthzRoleAssignmentRow.domain_type == body.domain_type,
                col(AuthzRoleAssignmentRow.domain_id).is_(None) if body.domain_id is None
                else AuthzRoleAssignmentRow.domain_id == body.domain_id)
            held = set(s.exec(scope).all())
            if body.role_id in held:
                raise refusal(errors.Conflict(errors.MANUAL_ASSIGNMENT_EXISTS), "manual_assignment_already_exists")
            if held:
                raise refusal(errors.Conflict(errors.SCOPE_ROLE_TAKEN), "role_already_assigned_for_scope")
            row = AuthzRoleAssignmentRow(id=self.ids.uuid(), user_id=body.user_id, role_id=body.role_id,
                                         domain_type=body.domain_type, domain_id=body.domain_id,
                                         assigned_at=self.clock.now(), assigned_by=actor)
            s.add(row)
            s.flush()
            return self._assignment(row), role.name

    def delete_assignment(self, assignment_id: UUID) -> shapes.RoleAssignmentRead:
        with self.db.session() as s:
            row = s.get(AuthzRoleAssignmentRow, assignment_id)
            if row is None:
                raise refusal(errors.NotFound(errors.ASSIGNMENT_NOT_FOUND), "assignment_not_found")
            s.delete(row)
            return self._assignment(row)

    # --- teams ----------------------------------------------------------------------------------------------

    def list_teams(self, *, search: str | None, adom_name: str | None, is_active: bool | None, limit: int,
                   offset: int) -> list[shapes.TeamRead]:
        query = select(AuthzTeamRow)
        if search:
            like = _like(search)
            query = query.where(or_(col(AuthzTeamRow.team_name).ilike(like, escape="\\"),
                                    col(AuthzTeamRow.adom_name).ilike(like, escape="\\")))
        if adom_name is not None:
            query = query.where(AuthzTeamRow.adom_name == adom_name)
        if is_active is not None:
            query = query.where(AuthzTeamRow.is_active == is_active)
        return self._page(query, shapes.TeamRead, limit, offset, AuthzTeamRow.team_name, AuthzTeamRow.id)

    def _team(self, s: Session, team_id: UUID) -> AuthzTeamRow:
        row = s.get(AuthzTeamRow, team_id)
        if row is None:
            raise refusal(errors.NotFound(errors.TEAM_NOT_FOUND), "team_not_found")
        return row

    def read_team(self, team_id: UUID) -> shapes.TeamRead:
        with self.db.session() as s:
            return read(shapes.TeamRead, self._team(s, team_id))

    @staticmethod
    def _slug_conflict(detail: str) -> Callable[[IntegrityError], errors.MockHTTPError]:
        return lambda _exc: refusal(errors.Conflict(detail), "team_slug_conflict")

    def create_team(self, body: shapes.TeamCreate) -> shapes.TeamRead:
        with self._writing(self._slug_conflict(errors.TEAM_SLUG_TAKEN.format(slug=repr(body.adom_name)))) as s:
            now = self.clock.now()
            row = AuthzTeamRow(id=self.ids.uuid(), team_name=body.team_name, adom_name=body.adom_name,
                               description=body.description, is_active=body.is_active, created_at=now, updated_at=now)
            s.add(row)
            s.flush()
        return read(shapes.TeamRead, row)

    def update_team(self, team_id: UUID, body: shapes.TeamUpdate) -> tuple[shapes.TeamRead, list[str]]:
        """PATCH a team: a null leaves a field alone, but description, which a null clears; returns the team and
        the fields that changed."""
        with self._writing(self._slug_conflict(errors.TEAM_SLUG_CONFLICT)) as s:
            row = self._team(s, team_id)
            changed = []
            for name in ("team_name", "adom_name", "description", "is_active"):
                value = getattr(body, name)
                given = name in body.model_fields_set if name == "description" else value is not None
                if given and getattr(row, name) != value:
                    setattr(row, name, value)
                    changed.append(name)
            self._touch(s, row)
        return read(shapes.TeamRead, row), sorted(changed)

    def delete_team(self, team_id: UUID) -> str:
        """Delete a team and its memberships (shares naming it stay, as in Langflow); returns its name."""
        with self.db.session() as s:
            row = self._team(s, team_id)
            s.delete(row)
            return row.team_name

    def list_members(self, team_id: UUID, *, limit: int, offset: int) -> list[shapes.TeamMemberRead]:
        with self.db.session() as s:
            if s.get(AuthzTeamRow, team_id) is None:
                raise errors.NotFound(errors.TEAM_NOT_FOUND)
            rows = s.exec(select(AuthzTeamMemberRow).where(AuthzTeamMemberRow.team_id == team_id)
                          .order_by(col(AuthzTeamMemberRow.created_at), col(AuthzTeamMemberRow.user_id))
                          .offset(sql_int(offset)).limit(limit)).all()
        return [read(shapes.TeamMemberRead, r) for r in rows]

    def add_member(self, team_id: UUID, body: shapes.TeamMemberCreate) -> tuple[shapes.TeamMemberRead, str]:
        """Returns the membership and the team's name."""
        with self._writing(self._membership_conflict) as s:
            team = self._team(s, team_id)
            if s.get(UserRow, body.user_id) is None:
                raise refusal(errors.NotFound(errors.USER_ID_NOT_FOUND), "user_not_found")
            if s.exec(select(AuthzTeamMemberRow.id).where(AuthzTeamMemberRow.team_id == team_id,
                                                          AuthzTeamMemberRow.user_id == body.user_id)).first():
                raise errors.Conflict(errors.ALREADY_MANUAL_MEMBER)
            row = AuthzTeamMemberRow(id=self.ids.uuid(), team_id=team_id, user_id=body.user_id, source=body.source,
                                     created_at=self.clock.now())
            s.add(row)
            s.flush()
            return read(shapes.TeamMemberRead, row), team.team_name

    @staticmethod
    def _membership_conflict(_exc: IntegrityError) -> errors.MockHTTPError:
        return refusal(errors.Conflict(errors.ALREADY_MEMBER), "membership_already_exists")

    def remove_member(self, team_id: UUID, user_id: UUID) -> None:
        with self.db.session() as s:
            row = s.exec(select(AuthzTeamMemberRow).where(AuthzTeamMemberRow.team_id == team_id,
                                                          AuthzTeamMemberRow.user_id == user_id)).first()
            if row is None:
                raise refusal(errors.NotFound(errors.MEMBERSHIP_NOT_FOUND), "membership_not_found")
            s.delete(row)

    # --- shares ---------------------------------------------------------------------------------------------

    @staticmethod
    def _owner(s: Session, resource_type: str, resource_id: UUID) -> UUID | None:
        found = SHARE_OWNERS.get(resource_type)
        if found is None:
            return None
        table, column = found
        return s.exec(select(getattr(table, column)).where(table.id == resource_id)).first()  # type: ignore[no-any-return]

    @staticmethod
    def _shares(s: Session, rows: list[AuthzShareRow]) -> list[shapes.ShareRead]:
        """The shares with their user and team targets' names (none for a target gone since)."""
        users = {r.target_id for r in rows if r.scope == "user"}
        teams = {r.target_id for r in rows if r.scope == "team"}
        names: dict[tuple[str, UUID | None], str] = {}
        if users:
            names.update((("user", i), n) for i, n in s.exec(select(UserRow.id, UserRow.username)
                                                             .where(col(UserRow.id).in_(users))).all())
        if teams:
            names.update((("team", i), n) for i, n in s.exec(select(AuthzTeamRow.id, AuthzTeamRow.team_name)
                                                             .where(col(AuthzTeamRow.id).in_(teams))).all())
        return [read(shapes.ShareRead, r, target_name=names.get((r.scope, r.target_id))) for r in rows]

    @staticmethod
    def _administers(user: UserRow, owner: UUID | None) -> None:
        if not user.is_superuser and (owner is None or owner != user.id):
            raise errors.Forbidden(errors.SHARE_OWNER_ONLY)

    @staticmethod
    def _supported(resource_type: str, scope: str, level: str) -> None:
        if resource_type == "connection" and scope == "public":
            raise errors.UnprocessableEntity(errors.CONNECTION_NOT_PUBLIC)
        if resource_type == "flow" and scope == "public" and level != "execute":
            raise errors.UnprocessableEntity(errors.PUBLIC_FLOW_EXECUTE_ONLY)

    def create_share(self, body: shapes.ShareCreate, *, user: UserRow) -> shapes.ShareRead:
        try:
            with self.db.session() as s:
                owner = self._owner(s, body.resource_type, body.resource_id)
                if owner is None:
                    raise errors.NotFound(errors.RESOURCE_NOT_FOUND)
                try:
                    self._administers(user, owner)
                except errors.Forbidden as exc:  # (the id's existence is not told)
                    raise errors.NotFound(errors.RESOURCE_NOT_FOUND) from exc
                self._supported(body.resource_type, body.scope, body.permission_level)
                row = AuthzShareRow(id=self.ids.uuid(), **body.model_dump(), created_by=user.id,
                                    created_at=self.clock.now())
                s.add(row)
                s.flush()
                return self._shares(s, [row])[0]
        except IntegrityError as exc:
            raise errors.Conflict(errors.SHARE_CREATE_CONFLICT) from exc

    def list_shares(self, *, user: UserRow, filters: dict[str, Any], limit: int,
                    offset: int) -> list[shapes.ShareRead]:
        scope = filters.get("scope")
        if scope is not None and scope not in shapes.ShareScope.__args__:  # type: ignore[attr-defined]
            raise errors.BadRequest(errors.UNKNOWN_SHARE_SCOPE.format(scope=repr(scope)))
        query = select(AuthzShareRow)
        for name, value in filters.items():
            if value is not None:
                query = query.where(getattr(AuthzShareRow, name) == value)
        with self.db.session() as s:
            rows = list(s.exec(query.order_by(col(AuthzShareRow.created_at).desc(), col(AuthzShareRow.id))
                               .offset(sql_int(offset)).limit(limit)).all())
            if not user.is_superuser:
                teams = set(self._active_teams(s, user.id))
                rows = [r for r in rows if self._visible(r, user.id, self._owner(s, r.resource_type, r.resource_id),
                                                         r.target_id in teams)]
            return self._shares(s, rows)

    @staticmethod
    def _active_teams(s: Session, user_id: UUID) -> list[UUID]:
        return list(s.exec(select(AuthzTeamMemberRow.team_id)
                           .join(AuthzTeamRow, col(AuthzTeamRow.id) == AuthzTeamMemberRow.team_id)
                           .where(AuthzTeamMemberRow.user_id == user_id, col(AuthzTeamRow.is_active))).all())

    @staticmethod
    def _visible(row: AuthzShareRow, user_id: UUID, owner: UUID | None, in_team: bool) -> bool:
        """Who sees a share: the resource's owner, its creator, its user target, an active team target's members
        (a public share is a link's grant, listed to none of the others)."""
        if user_id in (owner, row.created_by):
            return True
        return (row.scope == "user" and row.target_id == user_id) or (row.scope == "team" and in_team)

    def _share(self, s: Session, share_id: UUID) -> tuple[AuthzShareRow, UUID | None]:
        row = s.get(AuthzShareRow, share_id)
        if row is None:
            raise errors.NotFound(errors.SHARE_NOT_FOUND)
        return row, self._owner(s, row.resource_type, row.resource_id)

    def get_share(self, share_id: UUID, *, user: UserRow) -> shapes.ShareRead:
        with self.db.session() as s:
            row, owner = self._share(s, share_id)
            in_team = row.scope == "team" and row.target_id in self._active_teams(s, user.id)
            if not user.is_superuser and not self._visible(row, user.id, owner, in_team):
                raise errors.NotFound(errors.SHARE_NOT_FOUND)
            return self._shares(s, [row])[0]

    def update_share(self, share_id: UUID, body: shapes.ShareUpdate, *, user: UserRow) -> shapes.ShareRead:
        with self.db.session() as s:
            row, owner = self._share(s, share_id)
            self._administers(user, owner)
            self._supported(row.resource_type, row.scope, body.permission_level)
            row.permission_level = body.permission_level
            s.add(row)
            s.flush()
            return self._shares(s, [row])[0]

    def delete_share(self, share_id: UUID, *, user: UserRow) -> shapes.ShareRead:
        with self.db.session() as s:
            row, owner = self._share(s, share_id)
            self._administers(user, owner)
            s.delete(row)
            return read(shapes.ShareRead, row)
