"""Login, tokens, API keys and users (facts 1-8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Form, Header, Query, Request, Response

from mock_langflow import audit, errors, ratelimit
from mock_langflow.auth import (
    ACCESS_COOKIE,
    API_KEY_COOKIE,
    AUTO_LOGIN_LIFETIME,
    REFRESH_COOKIE,
    CurrentUser,
    Superuser,
    caller_if_any,
    cookie_attributes,
    cookie_name,
    create_token,
    decode_token,
    held_key_uses,
    required_user,
    session_user,
    signed_in_with_key,
    superuser,
    token_lifetime,
)
from mock_langflow.deps import SettingsDep, StateDep, app_state
from mock_langflow.engine.environment import credentials_from_environment
from mock_langflow.routing import api_router
from mock_langflow.schemas.auth import (
    ApiKeyCreate,
    ApiKeyCreateRequest,
    ApiKeysResponse,
    DetailResponse,
    PasswordResetRequest,
    SessionInfo,
    Token,
    UnmaskedApiKeyRead,
    UserCreate,
    UserRead,
    UsersResponse,
    UserUpdate,
)
from mock_langflow.state import AUTO_LOGIN_SUPERUSER, LEGACY_DEFAULT_PASSWORD, AppState
from mock_langflow.store.models import UserRow
from mock_langflow.store.users import hash_password, user_read, verify_password

login_router = api_router(tags=["Login"])
api_key_router = api_router(prefix="/api_key", tags=["APIKey"])
users_router = api_router(prefix="/users", tags=["Users"])

# Langflow 1.13's user routes take an optional operation id for its audit log, refused (422) over 128 characters.
OperationId = Annotated[str | None, Header(alias="X-Langflow-Operation-ID", max_length=128)]


def _issue_tokens(state: AppState, response: Response, user_id: UUID, *, session_cookie: bool,
                  key_cookie: bool = True, store_key: str | None = None) -> Token:
    """A token pair plus Langflow's three cookies; auto-login's access cookie lives for the browser session, and
    a refresh (not `key_cookie`) leaves the store-key cookie alone, as Langflow's /refresh sets only the other two.
    Before 1.13 (profile auth.login_cookies "legacy") the refresh cookie is `SameSite=none; Secure` and the
    other two are readable by scripts; auto-login hands out no refresh token at all, its access token living a
    year instead of an hour (auth.auto_login_refresh). A login's store-key cookie is the user's `store_key` as
    Python prints it ("None" when never set); auto-login's is the store key auto-login leaves ("" when never
    set)."""
    rules = state.profile.auth
    access_cookie = cookie_attributes(state, "access")
    if session_cookie and not rules.auto_login_refresh:
        access = create_token(state, user_id, "access", AUTO_LOGIN_LIFETIME)
        response.set_cookie(cookie_name(state, ACCESS_COOKIE), access, **access_cookie)
        response.set_cookie(cookie_name(state, API_KEY_COOKIE), str(store_key or ""), **access_cookie)
        return Token(access_token=access, refresh_token=None, token_type="bearer")  # nosec B106: see below
    access_lifetime, refresh_lifetime = token_lifetime(state, "access"), token_lifetime(state, "refresh")
    access = create_token(state, user_id, "access", access_lifetime)
    refresh = create_token(state, user_id, "refresh", refresh_lifetime)
    response.set_cookie(cookie_name(state, REFRESH_COOKIE), refresh, expires=int(refresh_lifetime.total_seconds()),
                        **cookie_attributes(state, "refresh"))
    response.set_cookie(cookie_name(state, ACCESS_COOKIE), access,
                        expires=None if session_cookie else int(access_lifetime.total_seconds()), **access_cookie)
    if key_cookie:
        key_text = str(store_key or "") if session_cookie else str(store_key)
        response.set_cookie(cookie_name(state, API_KEY_COOKIE), key_text, **access_cookie)
    # bandit B106 is a false positive here: token_type is the OAuth scheme's name, not a password.
    return Token(access_token=access, refresh_token=refresh, token_type="bearer")  # nosec B106


@dataclass(frozen=True)
class PasswordForm:
    """The credentials of an OAuth2 password form (POST /api/v1/login)."""

    username: str
    password: str


async def password_form(*, grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
                        username: Annotated[str, Form()],
                        password: Annotated[str, Form(json_schema_extra={"format": "password"})],
                        scope: Annotated[str, Form()] = "", client_id: Annotated[str | None, Form()] = None,
                        client_secret: Annotated[str | None, Form(json_schema_extra={"format": "password"})] = None,
                        ) -> PasswordForm:
    """The fields of the OAuth2 password form Langflow's login reads (FastAPI's OAuth2PasswordRequestForm, here
    as a coroutine): a `grant_type` other than "password" is a 422; scope and client credentials are ignored.
    The `format` of password and client_secret is read by no route: 1.7.1's /openapi.json lists this form
    (profile schema_shown) with both as "password" fields, as that class declares them."""
    return PasswordForm(username=username, password=password)


@login_router.post("/login", include_in_schema=False)
async def login_to_get_access_token(request: Request, response: Response, state: StateDep,
                                    form: Annotated[PasswordForm, Depends(password_form)]) -> Token:
    """POST /api/v1/login: form-encoded username and password (fact 7), in the OAuth2 password form Langflow
    reads (password_form). An inactive account is refused before its password is looked at, as Langflow does:
    400 "Waiting for approval" if it never signed in, else 401 "Inactive user". 1.13 then refuses the legacy
    default password for the default and the configured superuser's names, whatever the account's password is
    (profile auth.default_login).

    1.13 counts every attempt with a well-formed form, before the credentials are looked at, per client
    address: LANGFLOW_RATE_LIMIT_PER_MINUTE (5) a minute, then 429 until the minute that began with the first
    attempt is over."""
    if state.profile.auth.rate_limits:
        settings = state.settings
        limit = settings.rate_limit_per_minute if settings.rate_limit_enabled else ratelimit.OFF_LIMIT
        state.limits.check(limit, ratelimit.client_key(request, settings))
    username, password = form.username, form.password
    known = state.store.users.by_name(username)
    if known is not None and not known.is_active:
        if known.last_login_at is None:
            raise errors.BadRequest(errors.WAITING_FOR_APPROVAL)
        raise errors.Unauthorized(errors.INACTIVE_USER)
    refused = (not state.profile.auth.default_login and password == LEGACY_DEFAULT_PASSWORD
               and username in (AUTO_LOGIN_SUPERUSER, state.settings.superuser))
    user = None if refused else state.store.users.authenticate(username, password)
    if user is None:
        raise errors.BearerUnauthorized(errors.INCORRECT_LOGIN)
    # as Langflow's login: the environment's variables are stored before the agentic ones are added
    state.store.users.import_environment([user.id], credentials_from_environment(state.settings,
                                                                                     state.profile.variables))
    state.store.users.touch_login(user.id)
    state.store.projects.default_for(user.id)  # as Langflow's login: the default project, if the user needs one
    return _issue_tokens(state, response, user.id, session_cookie=False, store_key=user.store_api_key)


@login_router.get("/auto_login", include_in_schema=False)
async def auto_login(response: Response, state: StateDep, settings: SettingsDep) -> Token:
    """GET /api/v1/auto_login: the superuser's tokens while LANGFLOW_AUTO_LOGIN is on (fact 6)."""
    if not settings.auto_login:
        rules = state.profile.auth
        error = errors.MockHTTPError({"message": rules.auto_login_disabled_message, "auto_login": False})
        error.status_code = rules.auto_login_disabled_status
        raise error
    # Langflow signs in whoever has the superuser's name, else the first superuser made
    user = state.named_superuser() or state.store.users.first_superuser()
    if user is None:
        raise errors.BadRequest(errors.SUPERUSER_NOT_CREATED)
    row = state.store.users.touch_login(user.id, auto=True)
    return _issue_tokens(state, response, row.id, session_cookie=True, store_key=row.store_api_key)


@login_router.post("/refresh", include_in_schema=False)
async def refresh_token(request: Request, response: Response, state: StateDep) -> Token:
    """POST /api/v1/refresh: new tokens, and new refresh and access cookies, for the refresh-token cookie.

    Only a missing (or empty) cookie is refused with `WWW-Authenticate: Bearer`; Langflow's refresh-token check
    raises its 401s (a bad, expired or wrong-kind token, a deleted user, a deactivated one) without it."""
    token = request.cookies.get(cookie_name(state, REFRESH_COOKIE))
    if not token:
        raise errors.BearerUnauthorized(errors.INVALID_REFRESH_TOKEN)
    user_id = decode_token(state, token, "refresh")
    user = state.store.users.get(user_id) if user_id else None
    if user is None:
        raise errors.Unauthorized(errors.INVALID_REFRESH_TOKEN)
    if not user.is_active:
        raise errors.Unauthorized(errors.ACCOUNT_INACTIVE)
    return _issue_tokens(state, response, user.id, session_cookie=False, key_cookie=False)


@login_router.get("/session", include_in_schema=False)
async def get_session(request: Request) -> SessionInfo:
    """GET /api/v1/session: who the browser session belongs to (an access token's user; an API key is none)."""
    user = session_user(request)
    if user is None:
        return SessionInfo(authenticated=False, user=None, store_api_key=None)
    return SessionInfo(authenticated=True, user=user_read(user), store_api_key=None)


@login_router.post("/logout", include_in_schema=False)
async def logout(response: Response, state: StateDep) -> dict[str, str]:
    """POST /api/v1/logout: expires the three cookies (with the attributes the release sets them with)."""
    for name in (REFRESH_COOKIE, ACCESS_COOKIE, API_KEY_COOKIE):
        response.set_cookie(cookie_name(state, name), "", max_age=0, expires=0,
                            **cookie_attributes(state, "refresh" if name == REFRESH_COOKIE else "access"))
    return {"message": "Logout successful"}


# --- API keys -----------------------------------------------------------------------------------------


@api_key_router.get("/", include_in_schema=False)
async def get_api_keys_route(request: Request, user: CurrentUser, state: StateDep) -> ApiKeysResponse:
    """GET /api/v1/api_key/: the caller's keys, masked (fact 8)."""
    # with this request's own use of its key where that is written only once the request succeeds (1.8)
    keys = state.store.users.list_keys(user.id, held=held_key_uses(request))
    return ApiKeysResponse(total_count=len(keys), user_id=user.id, api_keys=keys)


@api_key_router.post("/", include_in_schema=False)
async def create_api_key_route(body: ApiKeyCreate, user: CurrentUser, state: StateDep) -> UnmaskedApiKeyRead:
    """POST /api/v1/api_key/: the only answer that shows the whole key. 1.13 takes an expiry (expires_at; a
    time without a zone is UTC), earlier releases have none; `created_at` is stored as sent, the body's other
    fields are checked and ignored (ApiKeyCreate)."""
    return state.store.users.create_key(user_id=user.id, name=body.name, expires_at=body.expires_at,
                                        created_at=body.created_at)


@api_key_router.delete("/{api_key_id}", include_in_schema=False)
async def delete_api_key_route(api_key_id: UUID, user: CurrentUser, state: StateDep) -> DetailResponse:
    """DELETE /api/v1/api_key/{id}: one of the caller's keys (1.7.1: any user's, profile users.key_delete)."""
    state.store.users.delete_key(user_id=user.id, key_id=api_key_id,
                                 any_owner=state.profile.users.key_delete == "any")
    return DetailResponse(detail="API Key deleted")


@api_key_router.post("/store", include_in_schema=False)
async def save_store_api_key(body: ApiKeyCreateRequest, response: Response, user: CurrentUser,
                             state: StateDep) -> DetailResponse:
    """POST /api/v1/api_key/store: keeps a Langflow Store key on the caller, encrypted (the user's
    `store_api_key` then shows the encrypted text), and hands it back in the store-key cookie for the browser
    session (readable by scripts before 1.13)."""
    sealed = state.store.users.save_store_key(user_id=user.id, key=body.api_key)
    response.set_cookie(cookie_name(state, API_KEY_COOKIE), sealed, **cookie_attributes(state, "access"))
    return DetailResponse(detail="API Key saved")


# --- users --------------------------------------------------------------------------------------------


def _audit_log(request: Request, caller: UserRow | None, operation_id: str | None,
               as_user: UserRow | None = None) -> tuple[Any, Any] | None:
    """1.13's authorization audit log as the user routes write to it (LANGFLOW_AUTHZ_AUDIT_ENABLED; profile
    users.audited), with the caller as its rows name them (`as_user` when nobody signed in: a sign-up's own
    account); None when nothing is recorded."""
    state = app_state(request)
    if not state.settings.authz_audit_enabled or not state.profile.users.audited:
        return None
    from mock_langflow.routers.authz_admin import actor
    from mock_langflow.store.authz import Actor

    if caller is not None:
        return state.store.authz, actor(request, caller, operation_id)
    return state.store.authz, Actor(user_id=as_user.id if as_user else None, request_id=audit.request_id(request),
                                    operation_id=operation_id, signed_in=False)


def _denied(request: Request, caller: UserRow | None, operation_id: str | None, action: str, target: Any,
            refusal: errors.MockHTTPError, reason: str, **details: Any) -> errors.MockHTTPError:
    """`refusal`, once 1.13's audit log has its row (`target`: a user's id, or "*")."""
    if (log := _audit_log(request, caller, operation_id)) is not None:
        authz, who = log
        authz.deny(who, action, f"user:{target}", refusal.status_code, reason, **details)
    return refusal


def _changed(request: Request, caller: UserRow | None, operation_id: str | None, action: str, target: UserRow,
             details: dict[str, Any], *, source: str = "manual") -> None:
    if (log := _audit_log(request, caller, operation_id, as_user=target)) is not None:
        authz, who = log
        authz.record(who, action, f"user:{target.id}", "allow",
                     authz.administrative({"event": "mutation", **details}, who, source))


@users_router.post("/", status_code=201)
async def add_user(body: UserCreate, request: Request, response: Response, state: StateDep, settings: SettingsDep,
                   operation_id: OperationId = None) -> UserRead:
    """POST /api/v1/users/: sign-up, or a superuser adding a user (who may sign up: profile users.signup). The
    new account waits inactive until a superuser activates it, unless LANGFLOW_NEW_USER_IS_ACTIVE."""
    rules = state.profile.users
    caller, admin = None, False
    # The credentials are checked (a key's use counted) only where the release's sign-up looks at them.
    if rules.signup == "superuser":
        caller = await superuser(request, await required_user(request))
    elif rules.signup == "settings":
        caller = await caller_if_any(request)
        admin = caller is not None and caller.is_superuser
        if not admin and (settings.auto_login or not settings.enable_signup):
            raise _denied(request, caller, operation_id, "user:create", "*", errors.Forbidden(errors.SIGNUP_DISABLED),
                          "public_registration_disabled")
    if state.store.users.name_taken(body.username, nocase=rules.names == "nocase"):
        raise _denied(request, caller, operation_id, "user:create", "*",
                      errors.BadRequest(errors.USERNAME_UNAVAILABLE), "username_unavailable")
    row = state.store.users.create(username=body.username, password=body.password,
                                   is_active=settings.new_user_is_active, optins=body.optins)
    state.store.projects.default_for(row.id)
    _changed(request, caller, operation_id, "user:create", row, {"created_by": "admin" if admin else "signup"},
             source="manual" if admin else "signup")
    if rules.created_location:
        response.headers["Location"] = f"/api/v1/users/{row.id}"
    return user_read(row)


@users_router.get("/whoami")
async def read_current_user(user: CurrentUser) -> UserRead:
    """GET /api/v1/users/whoami."""
    return user_read(user)


async def user_administrator(request: Request, user: CurrentUser, operation_id: OperationId = None) -> UserRow:
    """1.13's user-administration check of the user list, a dependency that takes the operation id itself: a
    header over 128 characters is a 422 before any caller is refused."""
    try:
        return await superuser(request, user)
    except errors.Forbidden as refusal:
        raise _denied(request, user, operation_id, "user:read", "*", refusal, "administration_required") from None


@users_router.get("/")
async def read_all_users(_admin: Annotated[UserRow, Depends(user_administrator)], state: StateDep,
                         skip: Annotated[int, Query(ge=0)] = 0,
                         limit: Annotated[int, Query(ge=1, le=200)] = 10, search: str | None = None,
                         username: Annotated[str | None, Query(description="Exact username match")] = None,
                         role_name: Annotated[str | None, Query(description="Exact assigned role-name match")] = None,
                         deletion_requested: Annotated[bool | None, Query(
                             description="Only users with an open account deletion request")] = None,
                         ) -> UsersResponse:
    """GET /api/v1/users/: superusers only. `search` matches part of a username, ignoring case; `role_name`, the
    users assigned a role of that name; `deletion_requested`, those with an open account deletion request.
    `deletion_requests` gives the listed users' open requests' statuses while the data subject routes are on."""
    among = state.store.users_with_role(role_name) if role_name is not None else None
    if deletion_requested:
        requested = set(state.store.deletion_requests())
        among = requested if among is None else among & requested
    total, rows = state.store.users.list(skip=skip, limit=limit, username=username, search=search, among=among,
                                         by_name=state.profile.users.list_order == "username")
    pending = state.store.deletion_requests([r.id for r in rows]) if state.settings.data_subject_requests else {}
    return UsersResponse(total_count=total, users=[user_read(r) for r in rows],
                         deletion_requests={str(user_id): status for user_id, status in pending.items()})


@users_router.get("/", name="read_all_users_unbounded", summary="Read All Users",
                  operation_id="read_all_users_api_v1_users__get")
async def read_all_users_unbounded(_admin: Superuser, state: StateDep, skip: int = 0,
                                   limit: int = 10) -> UsersResponse:
    """GET /api/v1/users/, before 1.13: superusers only, no filters, and `skip` and `limit` go to SQLite as
    sent: a negative `skip` is 0, a negative `limit` no limit, and `limit=0` an empty page."""
    total, rows = state.store.users.list(skip=max(skip, 0), limit=None if limit < 0 else limit,
                                         by_name=state.profile.users.list_order == "username")
    return UsersResponse(total_count=total, users=[user_read(r) for r in rows])


@users_router.get("/{user_id}")
async def read_user(user_id: UUID, user: CurrentUser, state: StateDep, request: Request,
                    operation_id: OperationId = None) -> UserRead:
    """GET /api/v1/users/{id}: yourself, or anyone for a superuser."""
    if user.id != user_id and not user.is_superuser:
        raise _denied(request, user, operation_id, "user:read", user_id, errors.Forbidden(
            errors.USER_MANAGE_REQUIRED, headers=errors.ADMINISTRATION_DENIED), "administration_required")
    row = state.store.users.get(user_id)
    if row is None:
        raise errors.NotFound(errors.USER_NOT_FOUND)
    return user_read(row)


@users_router.patch("/{user_id}")
async def patch_user(user_id: UUID, body: UserUpdate, user: CurrentUser, state: StateDep, request: Request,
                     operation_id: OperationId = None) -> UserRead:
    """PATCH /api/v1/users/{id}: a user edits itself, a superuser anyone; only a superuser sets a password here
    or makes a superuser, and nobody deactivates themselves (profile users)."""
    rules = state.profile.users
    delegated = rules.administration == "delegated"

    def denied(refusal: errors.MockHTTPError, reason: str, **details: Any) -> errors.MockHTTPError:
        return _denied(request, user, operation_id, "user:update", user_id, refusal, reason, **details)

    if rules.self_deactivation and user.id == user_id and body.is_active is False:
        raise denied(errors.Forbidden(errors.SELF_DEACTIVATION), "self_deactivation_forbidden",
                     fields_changed=["is_active"])
    if user.id != user_id and not user.is_superuser:
        raise denied(errors.Forbidden(errors.PERMISSION_DENIED, headers=errors.ADMINISTRATION_DENIED if delegated
                                      else None), "cross_user_update_forbidden")
    if body.is_superuser and not user.is_superuser:
        if delegated:
            raise denied(errors.Forbidden(errors.SUPERUSER_PROMOTION_DENIED, headers=errors.SUPERUSER_REQUIRED),
                         "superuser_required", fields_changed=["is_superuser"])
        raise errors.Forbidden(errors.PERMISSION_DENIED)
    if body.password and not user.is_superuser:
        raise denied(errors.BadRequest(errors.CHANGE_NOT_HERE), "password_update_forbidden",
                     fields_changed=["password"])
    row = state.store.users.get(user_id)
    if row is None:
        raise denied(errors.NotFound(errors.USER_NOT_FOUND), "user_not_found")
    # As Langflow's update_user: a field sent as null is left as it is, and so is an empty password.
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    if not changes.get("password"):
        changes.pop("password", None)
    name = changes.get("username")
    if name is not None and state.store.users.name_taken(str(name), nocase=rules.names == "nocase", but=user_id):
        if rules.rename_clash == "database-error":
            raise errors.BadRequest(errors.username_clash(_update_columns(row, changes, state.clock.now()), user_id))
        raise denied(errors.BadRequest(errors.USERNAME_UNAVAILABLE), "update_rejected")
    updated = state.store.users.update(user_id, **changes)
    # what the row had before, as 1.13 records it: the fields sent that change (never the password), and whether
    # the account was disabled or its superuser demoted
    fields = sorted(k for k, v in changes.items() if k != "password" and getattr(row, k, None) != v)
    kind = ("user.disabled" if row.is_active and not updated.is_active
            else "user.superuser_demoted" if row.is_superuser and not updated.is_superuser else None)
    _changed(request, user, operation_id, "user:update", row, {"fields_changed": fields, "lifecycle_kind": kind})
    return user_read(updated)


def _update_columns(row: UserRow, changes: dict[str, Any], now: datetime) -> dict[str, object]:
    """The columns Langflow's UPDATE of the user sets: those whose value changes (a new password as its hash),
    and updated_at, which it always sets."""
    columns: dict[str, object] = {"updated_at": now}
    for key, value in changes.items():
        if key == "password":
            columns["password"] = hash_password(str(value))
        elif getattr(row, key, None) != value:
            columns[key] = value
    return columns


@users_router.patch("/{user_id}/reset-password")
async def reset_password(user_id: UUID, body: PasswordResetRequest, request: Request, user: CurrentUser,
                         state: StateDep) -> UserRead:
    """PATCH /api/v1/users/{id}/reset-password: your own password, signed in (not with an API key), after the
    current one is checked. Five attempts a minute per user, counted once the caller may change it: the sixth
    is a 429, even with the right password."""
    if user.id != user_id:
        raise _not_yours(state)
    if signed_in_with_key(request):
        raise errors.Forbidden(errors.SIGN_IN_TO_CHANGE, headers=errors.INTERACTIVE_LOGIN_REQUIRED)
    if state.profile.auth.rate_limits:  # per user, whatever LANGFLOW_RATE_LIMIT_* say
        state.limits.check(ratelimit.PASSWORD_RESET_PER_MINUTE, "password-reset", f"user:{user.id}")
    if not verify_password(body.current_password, user.password_hash):
        raise errors.BadRequest(errors.WRONG_CURRENT)
    return _new_password(state, user, body.password)


@users_router.patch("/{user_id}/reset-password", name="reset_password_with_update", summary="Reset Password",
                    operation_id="reset_password_api_v1_users__user_id__reset_password_patch")
async def reset_password_with_update(user_id: UUID, body: UserUpdate, user: CurrentUser,
                                     state: StateDep) -> UserRead:
    """PATCH /api/v1/users/{id}/reset-password, before 1.13: your own password, from a user-update body (its
    other fields are ignored)."""
    if user.id != user_id:
        raise _not_yours(state)
    if body.password is None:
        raise errors.BadRequest(errors.NEW_ONE_REQUIRED)
    return _new_password(state, user, body.password)


def _not_yours(state: AppState) -> errors.MockHTTPError:
    refusal = errors.NotFound if state.profile.users.reset_other_status == 404 else errors.BadRequest
    return refusal(errors.NOT_YOUR_ACCOUNT)


def _new_password(state: AppState, user: UserRow, password: str) -> UserRead:
    if verify_password(password, user.password_hash):
        raise errors.BadRequest(errors.SAME_AS_CURRENT)
    return user_read(state.store.users.update(user.id, password=password))


@users_router.delete("/{user_id}", status_code=202)
async def delete_user(user_id: UUID, admin: CurrentUser, state: StateDep, request: Request,
                      operation_id: OperationId = None) -> dict[str, Any]:
    """DELETE /api/v1/users/{id}: a superuser deletes another user and everything the account holds, as 1.13 does:
    a data subject request recorded and approved at once (whatever LANGFLOW_FEATURE_DATA_SUBJECT_REQUESTS says),
    its id answered. Langflow erases in the background; the mock has erased when it answers."""
    from mock_langflow.routers.data_subjects import audited_as

    def denied(refusal: errors.MockHTTPError, reason: str) -> errors.MockHTTPError:
        return _denied(request, admin, operation_id, "user:delete", user_id, refusal, reason)

    if user_id == admin.id:
        raise denied(errors.BadRequest(errors.SELF_DELETION), "self_deletion_forbidden")
    if not admin.is_superuser:
        raise denied(errors.Forbidden(errors.PERMISSION_DENIED, headers=errors.ADMINISTRATION_DENIED),
                     "administration_required")
    subject = state.store.users.get(user_id)
    if subject is None:
        raise denied(errors.NotFound(errors.USER_NOT_FOUND), "user_not_found")
    try:
        request_id = state.store.data_subjects.delete_account(subject, admin, audited_as(request, admin),
                                                              days=state.settings.data_subject_response_days)
    except errors.DataSubjectRefused as refusal:
        raise denied(refusal, refusal.detail["code"]) from None
    return {"detail": "User deletion started", "request_id": str(request_id)}


@users_router.delete("/{user_id}", name="delete_user_at_once", summary="Delete User",
                     operation_id="delete_user_api_v1_users__user_id__delete")
async def delete_user_at_once(user_id: UUID, admin: Superuser, state: StateDep) -> dict[str, str]:
    """DELETE /api/v1/users/{id}, before 1.13: superusers only, never themselves."""
    if user_id == admin.id:
        raise errors.BadRequest(errors.SELF_DELETION)
    state.store.delete_user(user_id)
    return {"detail": "User deleted"}
