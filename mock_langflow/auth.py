"""Who is calling: Langflow 1.13's three authentication families, each a FastAPI dependency (facts 1-8).

- user routes (`CurrentUser`): a Bearer JWT, the access-token cookie (not in 1.7.1) or an API key;
- `/run*` (`ApiKeyUser`): an API key only, in the x-api-key header or query (a Bearer is ignored); MCP
  (`McpUser`) takes an access token first, then a key as /run does;
- the webhook (`webhook_caller`): an API key when LANGFLOW_WEBHOOK_AUTH_ENABLE is on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, APIKeyQuery, OAuth2PasswordBearer

from mock_langflow import errors, tokens
from mock_langflow.deps import app_state
from mock_langflow.settings import Settings
from mock_langflow.state import AppState
from mock_langflow.store.models import UserRow
from mock_langflow.store.users import KeyUse

ACCESS_COOKIE = "access_token_lf"
REFRESH_COOKIE = "refresh_token_lf"
API_KEY_COOKIE = "apikey_tkn_lflw"
# auto-login's lone access token before 1.13 (create_user_longterm_token): a year, with no refresh token
AUTO_LOGIN_LIFETIME = timedelta(days=365)

API_KEY_NAME = "x-api-key"


# --- tokens -------------------------------------------------------------------------------------------


def create_token(state: AppState, user_id: UUID, kind: str, lifetime: timedelta) -> str:
    now = state.clock.now()
    # Langflow's create_token (every release): the claims it is given, sub and type, then exp; no iat
    payload = {"sub": str(user_id), "type": kind, "exp": int((now + lifetime).timestamp())}
    return tokens.encode(payload, state.secret_key)


def token_lifetime(state: AppState, kind: str) -> timedelta:
    """An access or refresh token's lifetime: LANGFLOW_ACCESS_TOKEN_EXPIRE_SECONDS / _REFRESH_ (an hour, a week)."""
    settings = state.settings
    seconds = settings.refresh_token_expire_seconds if kind == "refresh" else settings.access_token_expire_seconds
    return timedelta(seconds=seconds)


def cookie_name(state: AppState, name: str) -> str:
    """A login cookie's name: with a root path (LANGFLOW_ROOT_PATH, 1.13) the name carries it, URL-quoted
    (`access_token_lf_%2Flangflow`), so instances under different prefixes of one host keep their sessions
    apart. It is the configured prefix, never a proxy's X-Forwarded-Prefix."""
    prefix = state.settings.root_path
    return f"{name}_{quote(prefix, safe='')}" if prefix else name


def cookie_attributes(state: AppState, kind: str) -> dict[str, Any]:
    """The attributes Langflow sets a token cookie with (the refresh cookie's, else the access cookie's, which
    the store-key cookie shares): LANGFLOW_{REFRESH,ACCESS}_{HTTPONLY,SAME_SITE,SECURE} and _COOKIE_DOMAIN, unset
    ones the release's defaults (before 1.13, profile auth.login_cookies "legacy": a `SameSite=none; Secure`
    refresh cookie and script-readable access cookies; 1.13: HttpOnly, `SameSite=lax`, not Secure), on the path
    of the root path ("/" without one)."""
    settings, legacy = state.settings, state.profile.auth.login_cookies == "legacy"
    if kind == "refresh":
        defaults = {"httponly": True, "samesite": "none" if legacy else "lax", "secure": legacy}
        configured = {"httponly": settings.refresh_httponly, "samesite": settings.refresh_same_site,
                "secure": settings.refresh_secure}
    else:
        defaults = {"httponly": not legacy, "samesite": "lax", "secure": False}
        configured = {"httponly": settings.access_httponly, "samesite": settings.access_same_site,
                "secure": settings.access_secure}
    return {**{name: value if configured[name] is None else configured[name] for name, value in defaults.items()},
            "domain": settings.cookie_domain, "path": f"{settings.root_path}/"}


def decode_token(state: AppState, token: str, kind: str) -> UUID | None:
    try:
        payload: dict[str, Any] = tokens.decode(token, state.secret_key, now=state.clock.now().timestamp())
        if payload.get("type") != kind:
            return None
        return UUID(str(payload["sub"]))
    except (tokens.TokenError, KeyError, ValueError):
        return None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def access_token(state: AppState, request: Request) -> str | None:
    """The Bearer header's token, else the access-token cookie's where the release reads it (1.7.1 does not:
    its OAuth2PasswordBearer takes the header only)."""
    token = bearer_token(request)
    if token is None and state.profile.auth.token_cookie:
        token = request.cookies.get(cookie_name(state, ACCESS_COOKIE))
    return token


# --- the credentials each family declares --------------------------------------------------------------
# Langflow's dependencies declare what they read as security schemes, which its /openapi.json then lists per
# operation in the order declared (the access token, then the query's key, then the header's). These
# declarations only read the credential (auto_error off): every decision is the families' below.


class OAuth2PasswordBearerCookie(OAuth2PasswordBearer):
    """The access-token scheme, named after Langflow's class: the Bearer header's token, else the cookie's where
    the release reads it (access_token)."""

    async def __call__(self, request: Request) -> str | None:
        return access_token(app_state(request), request)


oauth2_login = OAuth2PasswordBearerCookie(tokenUrl="api/v1/login", auto_error=False)
api_key_query = APIKeyQuery(name=API_KEY_NAME, scheme_name="API key query", auto_error=False)
api_key_header = APIKeyHeader(name=API_KEY_NAME, scheme_name="API key header", auto_error=False)
Token = Annotated[str | None, Depends(oauth2_login)]
KeyQuery = Annotated[str | None, Depends(api_key_query)]
KeyHeader = Annotated[str | None, Depends(api_key_header)]


def sent_keys(request: Request) -> tuple[str | None, str | None]:
    """The API keys of the query and of the header, read as the declarations read them, for a route whose
    Langflow handler looks at the request itself and so declares no scheme."""
    return request.query_params.get(API_KEY_NAME) or None, request.headers.get(API_KEY_NAME) or None


# --- key uses kept with the request ----------------------------------------------------------------------

HELD_KEY_USES = "held_key_uses"
CALLER_REFUSAL = "caller_refusal"


def _hold_key_uses(request: Request, family: str) -> list[KeyUse] | None:
    """Where the release counts a key's use in the request's own transaction (profile auth.key_use_with_request),
    a list to hold this request's uses in until it has succeeded; None: counted at once."""
    if family not in app_state(request).profile.auth.key_use_with_request:
        return None
    held: list[KeyUse] = []
    setattr(request.state, HELD_KEY_USES, held)
    return held


def _keep_key_uses(request: Request, held: list[KeyUse] | None) -> None:
    if held:
        app_state(request).store.users.count_key_uses(held)


def held_key_uses(request: Request) -> list[KeyUse]:
    """The key uses this request counted and will write once it succeeds (none where they are written at once)."""
    return list(getattr(request.state, HELD_KEY_USES, ()))


# --- the three families -------------------------------------------------------------------------------


async def current_user(request: Request, token: Token, query_key: KeyQuery,
                       header_key: KeyHeader) -> AsyncIterator[UserRow]:
    """Flows, projects, files, build, monitor, v2: JWT (header or cookie) first, then an API key. A dependency
    with cleanup, run once the response has been sent, as the request's session is closed in Langflow: where the
    release counts a key's use in the request's transaction (1.8), a request that ends in an error, raised by
    the handler or found by the request's validation after this ran, or a stream that fails, does not keep the
    count, and a streamed answer's use is written only when the stream has ended."""
    held = _hold_key_uses(request, "user")
    yield _authenticated(request, token, header_key, query_key, held=held)
    _keep_key_uses(request, held)


async def current_user_undeclared(request: Request) -> AsyncIterator[Callable[[], UserRow]]:
    """current_user for a route whose Langflow handler finds the caller itself, declaring no scheme (1.13's
    POST /api/v2/workflows, lfx's workflow router): the same caller, refusals and key-use keeping, but found when
    the handler asks, so a body the route refuses is its 422 whoever sends it."""
    held = _hold_key_uses(request, "user")

    def caller() -> UserRow:
        query_key, header_key = sent_keys(request)
        return _authenticated(request, access_token(app_state(request), request), header_key, query_key, held=held)

    yield caller
    _keep_key_uses(request, held)


def _authenticated(request: Request, token: str | None, header_key: str | None, query_key: str | None,
                   *, held: list[KeyUse] | None = None) -> UserRow:
    """The caller of a JWT `token` if there is one, else of an API key (the query's before the header's). A
    token is always taken for a JWT, as every release decodes it: an API key sent as a Bearer is a bad token.
    A good token whose user was deleted since is, where the release splits the cases (1.13, 1.8), a failure the
    credential check did not expect: it tries the key if one came too, else 401 'Token authentication failed'."""
    state = app_state(request)
    settings = state.settings
    rules = state.profile.auth
    key = query_key or header_key  # Langflow reads the query parameter before the header
    if token:
        owner = _token_owner(state, token)
        if owner is not None:
            request.state.signed_in_with_token = True  # what 1.13's own-data routes ask (signed_in_interactively)
            return owner
        if not key:
            raise errors.Unauthorized(errors.TOKEN_AUTH_FAILED)
    if key:
        user = state.store.users.user_for_key(key, inactive_user=rules.inactive_user_keys == "accepted", held=held)
        if user is None:
            raise errors.Forbidden(rules.user_bad_key)
        if not user.is_active:  # found only where the key check ignores is_active (before 1.13)
            if rules.inactive_key_user_routes == "inactive-user":
                raise errors.Unauthorized(errors.INACTIVE_USER)
            raise errors.Forbidden(errors.API_KEY_AUTH_FAILED)
        request.state.signed_in_with_key = True  # what 1.13's password change asks (signed_in_with_key)
        return user
    if settings.auto_login and settings.skip_auth_auto_login and rules.skip_auth == "everywhere":
        superuser = skip_auth_superuser(state, errors.Forbidden(
            errors.SUPERUSER_NOT_FOUND if rules.skip_auth_gone == "named" else errors.NO_CREDENTIALS))
        if not superuser.is_active:
            raise errors.Unauthorized(rules.skip_auth_inactive)
        return superuser
    if rules.user_no_credentials == "api-key-texts":
        raise _missing_key(settings)
    raise errors.Forbidden(errors.NO_CREDENTIALS)


def _token_owner(state: AppState, token: str) -> UserRow | None:
    """The user of an access token (header or cookie), None if deleted since (profile auth.jwt_user_gone
    "split"); a bad or stale token, a deactivated user and, where the release joins the cases, a deleted one
    are refused."""
    rules = state.profile.auth
    user_id = _access_token_subject(state, token)
    user = state.store.users.get(user_id)
    if user is not None and user.is_active:
        return user
    if rules.jwt_user_gone == "joined":
        raise errors.Unauthorized(errors.JWT_USER_GONE, headers={"WWW-Authenticate": "Bearer"})
    if user is None:
        return None
    raise errors.Unauthorized(errors.ACCOUNT_INACTIVE)


def _access_token_subject(state: AppState, token: str) -> UUID:
    """The user id of a good access token; a 401 otherwise, in the order Langflow checks: signature and form
    ('Invalid token'), expiry ('Token has expired'), kind ('Invalid token type'), as the release words them."""
    rules = state.profile.auth
    challenge = {"WWW-Authenticate": "Bearer"} if rules.bad_jwt_www_authenticate else None
    try:
        payload: dict[str, Any] = tokens.decode(token, state.secret_key, now=state.clock.now().timestamp())
    except tokens.TokenExpired as exc:
        raise errors.Unauthorized(rules.expired_jwt, headers=challenge) from exc
    except tokens.TokenError as exc:
        raise errors.Unauthorized(rules.bad_jwt, headers=challenge) from exc
    if payload.get("type") != "access":
        raise errors.Unauthorized(rules.jwt_wrong_type, headers=challenge)
    try:
        return UUID(str(payload["sub"]))
    except (KeyError, ValueError) as exc:
        raise errors.Unauthorized(rules.bad_jwt, headers=challenge) from exc


def _jwt_user(state: AppState, token: str) -> UserRow:
    """The user of an access token as MCP and the session read it: a user deleted since is 403 'User not found'
    where the release splits the cases (its token check reports the missing user as such)."""
    user = _token_owner(state, token)
    if user is None:
        raise errors.Forbidden(errors.USER_NOT_FOUND)
    return user


def skip_auth_superuser(state: AppState, gone: errors.MockHTTPError) -> UserRow:
    """The superuser skip-auth acts as, found by its name; `gone` if it has been deleted or renamed since."""
    user = state.named_superuser()
    if user is None:
        raise gone
    return user


def _missing_key(settings: Settings) -> errors.Forbidden:
    return errors.Forbidden(errors.AUTO_LOGIN_NEEDS_KEY if settings.auto_login else errors.API_KEY_MUST_BE_PASSED)


def _run_key_user(state: AppState, key: str | None, *, inactive_user: bool, held: list[KeyUse] | None = None,
                  superuser_gone: errors.MockHTTPError | None = None) -> UserRow:
    settings = state.settings
    if not key:
        if settings.auto_login and settings.skip_auth_auto_login:
            named = state.profile.auth.skip_auth_gone == "named"
            return skip_auth_superuser(state, superuser_gone or (
                errors.SuperuserMissing() if named else errors.Forbidden(errors.NO_CREDENTIALS)))
        raise _missing_key(settings)
    user = state.store.users.user_for_key(key, inactive_user=inactive_user, held=held)
    if user is None:
        raise errors.Forbidden(errors.INVALID_OR_MISSING_API_KEY)
    return user


async def api_key_user(request: Request, query_key: KeyQuery, header_key: KeyHeader) -> UserRow:
    """/run, /run/advanced, MCP: only an x-api-key counts (fact 2), the query parameter's before the header's.
    Before 1.13 a deactivated user's key is served too (profile auth.inactive_user_keys)."""
    state = app_state(request)
    inactive = state.profile.auth.inactive_user_keys == "accepted"
    user = _run_key_user(state, query_key or header_key, inactive_user=inactive)
    # only skip-auth's superuser can be inactive here where the key check refuses a deactivated user's key
    if not user.is_active and state.profile.auth.skip_auth_inactive_run == "refused":
        raise errors.Forbidden(errors.ACCOUNT_INACTIVE)
    return user


async def mcp_user(request: Request, token: Token, query_key: KeyQuery,
                   header_key: KeyHeader) -> AsyncIterator[UserRow]:
    """The global MCP transports and the project MCP routes other than the transports: an access token (Bearer
    header, any Bearer value, or the cookie) first, as a user route's; else the key, as /run, except that
    releases before 1.13 serve a caller without a key as the superuser while auto-login is on (profile
    auth.mcp_no_key). Whoever the key or the fallback gives is then checked for is_active: 401 'Inactive user'
    (a deactivated user's key gets there only where the key check finds it, auth.inactive_user_keys). Before
    1.13 the key's use is kept only if the request succeeds, as current_user's in 1.8."""
    held = _hold_key_uses(request, "mcp")
    yield _mcp_caller(request, token, header_key, query_key, held)
    _keep_key_uses(request, held)


async def mcp_caller(request: Request) -> UserRow:
    """mcp_user for a handler that checks the caller itself (its route declares no scheme): a key's use is
    counted at once."""
    query_key, header_key = sent_keys(request)
    return _mcp_caller(request, access_token(app_state(request), request), header_key, query_key, None)


def _mcp_caller(request: Request, token: str | None, header_key: str | None, query_key: str | None,
                held: list[KeyUse] | None) -> UserRow:
    state = app_state(request)
    if token:
        return _jwt_user(state, token)
    # a superuser deleted since is no user: the key check's refusal
    gone = errors.Forbidden(errors.INVALID_OR_MISSING_API_KEY)
    if not (header_key or query_key) and state.settings.auto_login and state.profile.auth.mcp_no_key != "refuse":
        user = skip_auth_superuser(state, gone)
    else:
        inactive = state.profile.auth.inactive_user_keys == "accepted"
        user = _run_key_user(state, query_key or header_key, inactive_user=inactive, held=held, superuser_gone=gone)
    if not user.is_active:
        raise errors.Unauthorized(errors.INACTIVE_USER)
    return user


def webhook_caller(state: AppState, settings: Settings, key: str | None) -> UserRow | None:
    """The webhook: a key is required while webhook auth is on, even with SKIP_AUTH (fact 3).
    With webhook auth off, None: the run happens as the flow's owner. The router calls it itself rather than
    as a dependency: when, depends on the release (auth.webhook_lookup)."""
    if not settings.webhook_auth_enable:
        # Without webhook auth the key is never looked at: a wrong one, or another user's, runs as the owner.
        return None
    if not key:
        raise errors.Forbidden(errors.WEBHOOK_KEY_REQUIRED)
    user = state.store.users.user_for_key(key, inactive_user=state.profile.auth.inactive_user_keys == "accepted")
    if user is None:
        raise errors.Forbidden(errors.INVALID_API_KEY)
    return user


async def optional_user(request: Request, token: Token, query_key: KeyQuery,
                        header_key: KeyHeader) -> AsyncIterator[UserRow | None]:
    """The caller if the credentials are good, None otherwise (routes that answer everyone, /config). A key's use
    held with the request (current_user) is kept when the request succeeds, even if the caller was refused."""
    held = _hold_key_uses(request, "user")
    yield _optional_caller(request, token, header_key, query_key, held)
    _keep_key_uses(request, held)


def _optional_caller(request: Request, token: str | None, header_key: str | None, query_key: str | None,
                     held: list[KeyUse] | None) -> UserRow | None:
    try:
        return _authenticated(request, token, header_key, query_key, held=held)
    except errors.MockHTTPError as refusal:
        setattr(request.state, CALLER_REFUSAL, refusal)
        return None


def optional_user_where(reads_credentials: Callable[[AppState], bool]) -> Callable[..., AsyncIterator[UserRow | None]]:
    """optional_user for a route that takes no credentials at all in some releases: there None, and a key sent
    along is never checked (nor its use counted); there too its operation lists no security in /openapi.json
    (the predicate is kept on the dependency as `reads_credentials` for that)."""
    async def caller_if_read(request: Request, token: Token, query_key: KeyQuery,
                             header_key: KeyHeader) -> AsyncIterator[UserRow | None]:
        if not reads_credentials(app_state(request)):
            yield None
            return
        held = _hold_key_uses(request, "user")
        yield _optional_caller(request, token, header_key, query_key, held)
        _keep_key_uses(request, held)
    caller_if_read.reads_credentials = reads_credentials  # type: ignore[attr-defined]
    return caller_if_read


def caller_or_refusal(request: Request, user: UserRow | None) -> UserRow:
    """OptionalUser's `user` for a handler that needs a caller after all: else the refusal the credentials got
    (as current_user gives it; the key is not checked, nor its use counted, twice)."""
    if user is not None:
        return user
    raise getattr(request.state, CALLER_REFUSAL)


# The cleanup of the dependencies that hold key uses runs after the response is sent (FastAPI's request scope,
# that of Langflow's session dependency): a streamed answer's key use is written when the stream has ended.
_CURRENT_USER = Depends(current_user)


async def superuser(request: Request, user: Annotated[UserRow, _CURRENT_USER]) -> UserRow:
    if not user.is_superuser:
        delegated = app_state(request).profile.users.administration == "delegated"
        raise errors.Forbidden(errors.NOT_ENOUGH_PRIVILEGES,
                               headers=errors.ADMINISTRATION_DENIED if delegated else None)
    return user


async def required_user(request: Request) -> UserRow:
    """current_user for a handler that decides for itself whether it needs a caller (a key's use counted at
    once)."""
    query_key, header_key = sent_keys(request)
    return _authenticated(request, access_token(app_state(request), request), header_key, query_key)


async def caller_if_any(request: Request) -> UserRow | None:
    """The caller of sign-up and the public build, as 1.13's get_current_user_optional finds it: the access-token
    cookie before a Bearer header (user routes take the header first), else an API key; None without
    credentials (even where skip-auth would make a user route's caller the superuser) or with bad ones."""
    state = app_state(request)
    query_key, header_key = sent_keys(request)
    cookie = request.cookies.get(cookie_name(state, ACCESS_COOKIE)) if state.profile.auth.token_cookie else None
    token = cookie or bearer_token(request)
    if not (token or header_key or query_key):
        return None
    try:
        return _authenticated(request, token, header_key, query_key)
    except errors.MockHTTPError:
        return None


def sse_user(request: Request) -> UserRow:
    """The caller of the webhook event stream, as Langflow's get_current_user_for_sse finds it: the access-token
    cookie (an Authorization header is not read), else an API key (the query's before the header's), else
    skip-auth's superuser; whatever refuses them is 403 'Missing or invalid credentials (cookie or API key).'."""
    query_key, header_key = sent_keys(request)
    cookie = request.cookies.get(cookie_name(app_state(request), ACCESS_COOKIE))
    try:
        return _authenticated(request, cookie, header_key, query_key)
    except errors.MockHTTPError as refusal:
        raise errors.Forbidden(errors.SSE_CREDENTIALS) from refusal


def session_user(request: Request) -> UserRow | None:
    """GET /session's user, as Langflow finds it there: an access token only (the Bearer header's, else the
    cookie's); an API key, no credentials (even under skip-auth) or a bad token is no session."""
    state = app_state(request)
    token = access_token(state, request)
    if not token:
        return None
    try:
        return _jwt_user(state, token)
    except errors.MockHTTPError:
        return None


def signed_in_with_key(request: Request) -> bool:
    """Whether current_user took an API key for this request rather than a JWT (header or cookie)."""
    return bool(getattr(request.state, "signed_in_with_key", False))


def signed_in_interactively(request: Request) -> bool:
    """Whether current_user took an access token (a person signed in) for this request: not an API key, nor
    skip-auth's superuser."""
    return bool(getattr(request.state, "signed_in_with_token", False))


CurrentUser = Annotated[UserRow, _CURRENT_USER]
UndeclaredUser = Annotated[Callable[[], UserRow], Depends(current_user_undeclared)]
OptionalUser = Annotated[UserRow | None, Depends(optional_user)]
ApiKeyUser = Annotated[UserRow, Depends(api_key_user)]
McpUser = Annotated[UserRow, Depends(mcp_user)]
Superuser = Annotated[UserRow, Depends(superuser)]
