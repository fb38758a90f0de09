"""Authentication exactly as Langflow 1.13 answers it: keys, tokens, and each route family's refusals."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from uuid import UUID

import anyio
import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors, tokens
from mock_langflow.app import StartRefused
from mock_langflow.auth import create_token
from tests.conftest import KEY, asgi_call, asgi_get_scope, auto_login_token, new_api_key, other_user_key

UNKNOWN = "00000000-0000-4000-8000-000000000000"
# The key each start makes for a user's Starter Project entry, whatever its auth (here the auto-login superuser's).
STARTER_KEY_PREFIX = "MCP Project Starter Project - "
STARTER_KEY = STARTER_KEY_PREFIX + "langflow"


def test_auto_login_returns_a_token_pair_and_sets_the_three_cookies(client: TestClient) -> None:
    response = client.get("/api/v1/auto_login")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type"}
    assert body["token_type"] == "bearer"
    assert {"access_token_lf", "refresh_token_lf", "apikey_tkn_lflw"} <= set(response.cookies)


@pytest.mark.parametrize("version", ["1.13.0", "1.8", "1.7.1"])
def test_tokens_carry_langflows_claims_alone(make_client: Callable[..., TestClient], version: str) -> None:
    """Langflow's create_token signs {"sub", "type"} plus "exp" (HS256), nothing else: a client reading the
    claims sees the same keys in the same order."""
    client = make_client(langflow_version=version, auto_login=False, superuser="admin", superuser_password="pw")
    answer = client.post("/api/v1/login", data={"username": "admin", "password": "pw"}).json()
    for token, kind in ((answer["access_token"], "access"), (answer["refresh_token"], "refresh")):
        header, body, _ = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        assert list(claims) == ["sub", "type", "exp"] and claims["type"] == kind
        assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == "HS256"


def test_auto_login_disabled_is_403_with_a_dict_detail(make_client: Callable[..., TestClient]) -> None:
    client = make_client(auto_login=False, superuser_password="pw")
    response = client.get("/api/v1/auto_login")
    assert response.status_code == 403
    assert response.json() == {"detail": {"message": "Auto login is disabled.", "auto_login": False}}


@pytest.mark.parametrize(("version", "accepted_after"), [
    ("1.13.0", timedelta(minutes=59)), ("1.8.4", timedelta(days=364)), ("1.7.1", timedelta(days=364))])
def test_the_auto_login_token_lives_an_hour_from_1_13_on_a_year_before(
        make_client: Callable[..., TestClient], version: str, accepted_after: timedelta) -> None:
    """1.13's auto-login hands out a normal pair (an access token of an hour, refreshed with the refresh token);
    before, its lone access token (no refresh token) lives a year (create_user_longterm_token)."""
    client = make_client(langflow_version=version)
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime.now(UTC)
    token = {"Authorization": f"Bearer {auto_login_token(client)}"}
    clock.frozen += accepted_after
    assert client.get("/api/v1/users/whoami", headers=token).status_code == 200
    clock.frozen += timedelta(days=2) if version != "1.13.0" else timedelta(minutes=2)
    expired = client.get("/api/v1/users/whoami", headers=token)
    assert expired.status_code == 401, expired.text


def test_created_key_has_langflow_format_and_is_shown_whole_only_once(client: TestClient) -> None:
    key = new_api_key(client, "ci")
    assert key.startswith("sk-") and len(key) == 46
    listed = client.get("/api/v1/api_key/", headers={"x-api-key": key}).json()
    # the start made the Starter Project's MCP key first, though its entry (auth "none") does not use it
    assert [k["name"] for k in listed["api_keys"]] == [STARTER_KEY, "ci"] and listed["total_count"] == 2
    entry = listed["api_keys"][1]
    assert entry["name"] == "ci"
    assert entry["api_key"] == key[:8] + "*" * 38
    # listing with the key counts as a use, as in real Langflow (api_key_list_with_apikey)
    assert entry["total_uses"] == 1 and entry["last_used_at"] is not None


@pytest.mark.parametrize("version", ["1.13.0", "1.8", "1.7.1"])
def test_an_environment_key_acts_as_the_superuser_when_the_source_is_env(make_client: Callable[..., TestClient],
                                                                        version: str) -> None:
    """LANGFLOW_API_KEY_SOURCE=env with LANGFLOW_API_KEY: a fixed key a CI job knows beforehand, the configured
    superuser's, never listed as a stored key; stored keys still work; with the default source it is no key."""
    env_key = "ci-fixed-key-0123"
    client = make_client(langflow_version=version, api_key_source="env", langflow_api_key=env_key)
    whoami = client.get("/api/v1/users/whoami", headers={"x-api-key": env_key})
    assert (whoami.status_code, whoami.json()["username"], whoami.json()["is_superuser"]) == (200, "langflow", True)
    stored = new_api_key(client)
    assert client.get("/api/v1/users/whoami", headers={"x-api-key": stored}).status_code == 200
    listed = client.get("/api/v1/api_key/", headers={"x-api-key": env_key}).json()["api_keys"]
    assert "test" in [k["name"] for k in listed] and all(k["total_uses"] <= 1 for k in listed)  # no use counted
    plain = make_client(langflow_version=version, langflow_api_key=env_key)
    assert plain.get("/api/v1/users/whoami", headers={"x-api-key": env_key}).status_code in (401, 403)


def test_deleted_key_no_longer_authenticates(client: TestClient) -> None:
    key = new_api_key(client)
    key_id = client.get("/api/v1/api_key/", headers={"x-api-key": key}).json()["api_keys"][-1]["id"]
    other = new_api_key(client, "other")
    response = client.delete(f"/api/v1/api_key/{key_id}", headers={"x-api-key": other})
    assert response.status_code == 200
    assert response.json() == {"detail": "API Key deleted"}
    refused = client.get("/api/v1/flows/", headers={"x-api-key": key})
    assert refused.status_code == 403
    assert refused.json() == {"detail": errors.INVALID_API_KEY}


def test_user_routes_accept_jwt_key_header_and_key_query(client: TestClient, api_key: str,
                                                          jwt_headers: dict[str, str]) -> None:
    for kwargs in ({"headers": jwt_headers}, {"headers": {"x-api-key": api_key}},
                   {"params": {"x-api-key": api_key}}):
        response = client.get("/api/v1/users/whoami", **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 200
        assert response.json()["username"] == "langflow"


def test_user_routes_refusals_carry_the_recorded_texts(client: TestClient) -> None:
    none = client.get("/api/v1/flows/")
    assert (none.status_code, none.json()) == (403, {"detail": errors.NO_CREDENTIALS})
    bad_key = client.get("/api/v1/flows/", headers={"x-api-key": "sk-invalid-000"})
    assert (bad_key.status_code, bad_key.json()) == (403, {"detail": errors.INVALID_API_KEY})
    bad_jwt = client.get("/api/v1/users/whoami", headers={"Authorization": "Bearer not.a.jwt"})
    assert (bad_jwt.status_code, bad_jwt.json()) == (401, {"detail": errors.INVALID_TOKEN})


@pytest.mark.parametrize(("version", "text"), [("1.13.0", errors.INVALID_TOKEN), ("1.8.4", errors.INVALID_TOKEN),
                                             ("1.7.1", errors.COULD_NOT_VALIDATE)])
def test_an_api_key_sent_as_a_bearer_is_a_bad_token_on_user_routes(
        make_client: Callable[..., TestClient], version: str, text: str) -> None:
    """Every release decodes a Bearer as a JWT and never tries it as an API key, even beside a good x-api-key."""
    client = make_client(langflow_version=version)
    key = new_api_key(client)
    for headers in ({"Authorization": f"Bearer {key}"}, {"Authorization": f"Bearer {key}", "x-api-key": key}):
        refused = client.get("/api/v1/flows/", headers=headers)
        assert (refused.status_code, refused.json()) == (401, {"detail": text})
    assert client.get("/api/v1/flows/", headers={"x-api-key": key}).status_code == 200


def test_skip_auth_acts_as_superuser_without_a_key_but_still_refuses_a_bad_one(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(skip_auth_auto_login=True)
    assert client.get("/api/v1/users/whoami").json()["username"] == "langflow"
    bad = client.get("/api/v1/users/whoami", headers={"x-api-key": "sk-nope"})
    assert (bad.status_code, bad.json()) == (403, {"detail": errors.INVALID_API_KEY})


def test_login_takes_a_form_body_and_refuses_json(make_client: Callable[..., TestClient]) -> None:
    client = make_client(auto_login=False, superuser="admin", superuser_password="s3cret")
    ok = client.post("/api/v1/login", data={"username": "admin", "password": "s3cret"})
    assert ok.status_code == 200
    token = ok.json()["access_token"]
    whoami = client.get("/api/v1/users/whoami", headers={"Authorization": f"Bearer {token}"})
    assert whoami.json()["username"] == "admin"
    wrong = client.post("/api/v1/login", data={"username": "admin", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": errors.INCORRECT_LOGIN}
    assert wrong.headers["www-authenticate"] == "Bearer"
    as_json = client.post("/api/v1/login", json={"username": "admin", "password": "s3cret"})
    assert as_json.status_code == 422
    assert as_json.json() == {"detail": [
        {"type": "missing", "loc": ["body", "username"], "msg": "Field required"},
        {"type": "missing", "loc": ["body", "password"], "msg": "Field required"},
    ]}


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_login_takes_the_oauth2_password_form_grant_type_password_only(make_client: Callable[..., TestClient],
                                                                       version: str) -> None:
    """Langflow's login reads FastAPI's OAuth2 password form: `grant_type` may be left out or be "password";
    another grant is a 422 on the field, before any attempt is counted or the credentials are looked at."""
    client = make_client(langflow_version=version, auto_login=False, superuser="admin", superuser_password="s3cret")
    wrong = client.post("/api/v1/login",
                        data={"username": "admin", "password": "s3cret", "grant_type": "client_credentials"})
    assert wrong.status_code == 422, wrong.text
    assert [(e["type"], e["loc"]) for e in wrong.json()["detail"]] == [
        ("string_pattern_mismatch", ["body", "grant_type"])]
    for extra in ({"grant_type": "password", "scope": "a b", "client_id": "c", "client_secret": "d"}, {}):
        answer = client.post("/api/v1/login", data={"username": "admin", "password": "s3cret", **extra})
        assert answer.status_code == 200, answer.text
        client.cookies.clear()


def test_auto_login_superuser_cannot_log_in_with_default_password(client: TestClient) -> None:
    response = client.post("/api/v1/login", data={"username": "langflow", "password": "langflow"})
    assert response.status_code == 401


@pytest.mark.parametrize(("version", "status"), [("1.13.0", 401), ("1.8.4", 200), ("1.7.1", 200)])
def test_1_13_never_signs_in_the_superuser_names_with_the_legacy_default_password(
        make_client: Callable[..., TestClient], version: str, status: int) -> None:
    """1.13's login refuses the password 'langflow' for the names 'langflow' and LANGFLOW_SUPERUSER, even where
    it is the account's password (here set by a superuser's PATCH), with the wrong-password 401; other users
    may have it. Earlier releases sign it in."""
    client = make_client(langflow_version=version, auto_login=False, superuser="admin", superuser_password="s3cret")
    admin = {"x-api-key": new_api_key_for(client, "admin", "s3cret")}
    langflow = client.post("/api/v1/users/", json={"username": "langflow", "password": "pw"}, headers=admin).json()
    carol = client.post("/api/v1/users/", json={"username": "carol", "password": "pw"}, headers=admin).json()
    me = client.get("/api/v1/users/whoami", headers=admin).json()
    for user in (langflow, carol, me):
        changed = client.patch(f"/api/v1/users/{user['id']}", json={"is_active": True, "password": "langflow"},
                               headers=admin)
        assert changed.status_code == 200, changed.text
    for name in ("langflow", "admin"):
        answer = client.post("/api/v1/login", data={"username": name, "password": "langflow"})
        assert answer.status_code == status, (name, answer.text)
        if status == 401:
            assert answer.json() == {"detail": errors.INCORRECT_LOGIN}
            assert answer.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/v1/login", data={"username": "carol", "password": "langflow"}).status_code == 200


def test_refresh_needs_the_refresh_cookie(client: TestClient) -> None:
    missing = client.post("/api/v1/refresh")
    assert (missing.status_code, missing.json()) == (401, {"detail": errors.INVALID_REFRESH_TOKEN})
    assert missing.headers["www-authenticate"] == "Bearer"  # only this branch of Langflow's /refresh says so
    client.get("/api/v1/auto_login")  # leaves refresh_token_lf in the client's cookie jar
    refreshed = client.post("/api/v1/refresh")
    assert refreshed.status_code == 200
    assert refreshed.json()["token_type"] == "bearer"


# --- 1.13's login rate limit (api/v1/login.py, services/rate_limit/service.py) -------------------------

TOO_MANY = {"detail": "Too many requests. Please try again later.", "retry_after": "60"}
START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def login(client: TestClient, password: str, **kwargs: Any) -> Any:
    return client.post("/api/v1/login", data={"username": "admin", "password": password}, **kwargs)


def test_1_13_allows_five_login_attempts_a_minute_per_client_address(make_client: Callable[..., TestClient]) -> None:
    client = make_client(auto_login=False, superuser="admin", superuser_password="s3cret")
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = START
    for _ in range(3):  # a body that is no form is refused before the attempt is counted
        assert client.post("/api/v1/login", json={"username": "admin", "password": "s3cret"}).status_code == 422
    assert [login(client, "nope").status_code for _ in range(5)] == [401] * 5
    clock.frozen = START + timedelta(seconds=59)
    refused = login(client, "s3cret")  # counted before the password is looked at: the right one too
    assert (refused.status_code, refused.json()) == (429, TOO_MANY)
    assert refused.headers["retry-after"] == "60"
    assert "set-cookie" not in refused.headers
    elsewhere = TestClient(client.app, client=("10.0.0.7", 50000))  # another address has its own count
    assert login(elsewhere, "s3cret").status_code == 200
    assert client.get("/api/v1/auto_login").status_code == 403  # auto_login is not counted (here: it is off)
    clock.frozen = START + timedelta(seconds=60)  # the window began with the first attempt
    assert login(client, "s3cret").status_code == 200


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_auto_login_off_falls_back_to_the_default_superuser_password(
        make_client: Callable[..., TestClient], version: str) -> None:
    """1.8.4 and 1.7.1 start with auto-login off and no LANGFLOW_SUPERUSER_PASSWORD: the superuser's password is
    'langflow' (1.13 will not start so, see test_cli)."""
    client = make_client(langflow_version=version, auto_login=False, superuser="admin")
    assert login(client, "langflow").status_code == 200
    with pytest.raises(StartRefused, match="LANGFLOW_SUPERUSER_PASSWORD"):
        make_client(auto_login=False, superuser="admin")


def test_login_limit_follows_langflows_rate_limit_settings(make_client: Callable[..., TestClient]) -> None:
    admin = {"auto_login": False, "superuser": "admin", "superuser_password": "pw"}
    two = make_client(**admin, LANGFLOW_RATE_LIMIT_PER_MINUTE="2")
    assert [login(two, "nope").status_code for _ in range(3)] == [401, 401, 429]
    off = make_client(**admin, LANGFLOW_RATE_LIMIT_ENABLED="false")
    assert {login(off, "nope").status_code for _ in range(12)} == {401}
    # behind a trusted proxy the counted address is X-Forwarded-For's last hop, the one the proxy added
    proxied = make_client(**admin, LANGFLOW_RATE_LIMIT_TRUST_PROXY="true", LANGFLOW_RATE_LIMIT_PER_MINUTE="2")
    hops = [{"X-Forwarded-For": f"{spoofed}, 192.0.2.1"} for spoofed in ("1.1.1.1", "2.2.2.2", "3.3.3.3")]
    assert [login(proxied, "nope", headers=h).status_code for h in hops] == [401, 401, 429]
    assert login(proxied, "nope", headers={"X-Forwarded-For": "192.0.2.2"}).status_code == 401


def test_mock_reset_forgets_the_login_counts(make_client: Callable[..., TestClient]) -> None:
    client = make_client(auto_login=False, superuser="admin", superuser_password="s3cret")
    key = new_api_key_for(client, "admin", "s3cret")
    assert [login(client, "nope").status_code for _ in range(5)] == [401, 401, 401, 401, 429]
    assert client.post("/_mock/reset", json={"parts": ["rate_limits"]}, headers={"x-api-key": key}).status_code == 200
    assert login(client, "s3cret").status_code == 200


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_login_attempts_are_not_limited(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version, auto_login=False, superuser="admin")
    assert {login(client, "nope").status_code for _ in range(8)} == {401}


def signed_in_user(client: TestClient, admin: dict[str, str], name: str) -> tuple[dict[str, Any], dict[str, str]]:
    """An activated user and the cookies its login set (the client's jar is left empty)."""
    user = client.post("/api/v1/users/", json={"username": name, "password": f"pw-{name}"}, headers=admin).json()
    client.patch(f"/api/v1/users/{user['id']}", json={"is_active": True}, headers=admin)
    login = client.post("/api/v1/login", data={"username": name, "password": f"pw-{name}"})
    assert login.status_code == 200, login.text
    client.cookies.clear()
    return user, dict(login.cookies)


def new_api_key_for(client: TestClient, name: str, password: str) -> str:
    """A key of a user who signs in with a password (auto-login off)."""
    token = client.post("/api/v1/login", data={"username": name, "password": password}).json()["access_token"]
    client.cookies.clear()
    created = client.post("/api/v1/api_key/", json={"name": "test"}, headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 200, created.text
    return str(created.json()["api_key"])


def refresh_with(client: TestClient, token: str) -> Any:
    client.cookies.clear()
    client.cookies.set("refresh_token_lf", token)
    try:
        return client.post("/api/v1/refresh")
    finally:
        client.cookies.clear()


@pytest.mark.parametrize("version", ["1.13.0", "1.7.1"])
def test_refresh_refuses_a_bad_refresh_cookie_without_a_bearer_challenge(
        make_client: Callable[..., TestClient], version: str) -> None:
    """Langflow's refresh-token check raises its 401s without `WWW-Authenticate`; only a missing (or empty)
    cookie gets `Bearer`. A user deactivated since is told so, one deleted since is an invalid token."""
    client = make_client(langflow_version=version, backend_only=True)
    admin = {"x-api-key": new_api_key(client)}
    bob, cookies = signed_in_user(client, admin, "bob")
    expired = create_token(client.app.state.mock, UUID(bob["id"]), "refresh",  # type: ignore[attr-defined]
                           timedelta(seconds=-60))
    for token in ("garbage", "a.b.c", expired, cookies["access_token_lf"]):
        answer = refresh_with(client, token)
        assert (answer.status_code, answer.json()) == (401, {"detail": errors.INVALID_REFRESH_TOKEN}), token
        assert "www-authenticate" not in answer.headers, token
    client.patch(f"/api/v1/users/{bob['id']}", json={"is_active": False}, headers=admin)
    inactive = refresh_with(client, cookies["refresh_token_lf"])
    assert (inactive.status_code, inactive.json()) == (401, {"detail": errors.ACCOUNT_INACTIVE})
    assert "www-authenticate" not in inactive.headers
    client.delete(f"/api/v1/users/{bob['id']}", headers=admin)
    deleted = refresh_with(client, cookies["refresh_token_lf"])
    assert (deleted.status_code, deleted.json()) == (401, {"detail": errors.INVALID_REFRESH_TOKEN})
    assert "www-authenticate" not in deleted.headers
    empty = refresh_with(client, "")
    assert (empty.status_code, empty.json()) == (401, {"detail": errors.INVALID_REFRESH_TOKEN})
    assert empty.headers["www-authenticate"] == "Bearer"


def cookie_attributes(set_cookie: str) -> tuple[str, set[str]]:
    """(name, attributes) of a Set-Cookie header, `expires=<date>` as `expires`."""
    name, *attributes = set_cookie.split("; ")
    return name.split("=", 1)[0], {"expires" if a.startswith("expires=") else a for a in attributes}


def cookie_expiry(set_cookie: str) -> Any:
    return parsedate_to_datetime(next(a for a in set_cookie.split("; ") if a.startswith("expires="))[8:])


@pytest.mark.parametrize(("version", "refresh_cookie", "access_cookie"), [
    ("1.13.0", {"expires", "HttpOnly", "Path=/", "SameSite=lax"}, {"expires", "HttpOnly", "Path=/", "SameSite=lax"}),
    ("1.8", {"expires", "HttpOnly", "Path=/", "SameSite=none", "Secure"}, {"expires", "Path=/", "SameSite=lax"}),
])
def test_refresh_sets_only_the_refresh_and_access_cookies(make_client: Callable[..., TestClient], version: str,
                                                          refresh_cookie: set[str], access_cookie: set[str]) -> None:
    """Langflow's /refresh sets refresh_token_lf (7 days) and access_token_lf (1 hour) as its login does, and
    leaves apikey_tkn_lflw alone."""
    client = make_client(langflow_version=version, auto_login=False, superuser_password="pw-admin")
    login = client.post("/api/v1/login", data={"username": "langflow", "password": "pw-admin"})
    assert login.status_code == 200
    client.cookies.clear()  # 1.8's refresh cookie is Secure: the jar would not send it to http://testserver
    client.cookies.set("refresh_token_lf", login.cookies["refresh_token_lf"])
    refreshed = client.post("/api/v1/refresh")
    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"access_token", "refresh_token", "token_type"}
    set_cookies = refreshed.headers.get_list("set-cookie")
    assert dict(map(cookie_attributes, set_cookies)) == {"refresh_token_lf": refresh_cookie,
                                                         "access_token_lf": access_cookie}
    refresh_expiry, access_expiry = map(cookie_expiry, set_cookies)
    assert refresh_expiry - access_expiry == timedelta(days=7) - timedelta(hours=1)
    assert refreshed.cookies["refresh_token_lf"] == refreshed.json()["refresh_token"]
    assert refreshed.cookies["access_token_lf"] == refreshed.json()["access_token"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8"])
def test_token_lifetimes_and_cookie_attributes_follow_langflows_settings(make_client: Callable[..., TestClient],
                                                                         version: str) -> None:
    """A client testing its token refresh sets LANGFLOW_ACCESS_TOKEN_EXPIRE_SECONDS short: the access token then
    expires that soon (the refresh token after LANGFLOW_REFRESH_TOKEN_EXPIRE_SECONDS), and its cookies carry
    the attributes and domain set, on login and logout alike."""
    client = make_client(langflow_version=version, auto_login=False, superuser_password="pw-admin",
                         access_token_expire_seconds=30, refresh_token_expire_seconds=90, refresh_same_site="strict",
                         refresh_secure=False, access_httponly=True, access_secure=True, cookie_domain="example.test")
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime.now(UTC)
    login = client.post("/api/v1/login", data={"username": "langflow", "password": "pw-admin"})
    set_cookies = login.headers.get_list("set-cookie")
    attributes = dict(map(cookie_attributes, set_cookies))
    domain = "Domain=example.test"
    assert attributes == {"refresh_token_lf": {"expires", "HttpOnly", "Path=/", "SameSite=strict", domain},
                          "access_token_lf": {"expires", "HttpOnly", "Path=/", "SameSite=lax", "Secure", domain},
                          "apikey_tkn_lflw": {"HttpOnly", "Path=/", "SameSite=lax", "Secure", domain}}
    refresh_expiry, access_expiry = (cookie_expiry(c) for c in set_cookies[:2])
    assert refresh_expiry - access_expiry == timedelta(seconds=60)
    access = {"Authorization": f"Bearer {login.json()['access_token']}"}
    clock.frozen += timedelta(seconds=29)
    assert client.get("/api/v1/users/whoami", headers=access).status_code == 200
    clock.frozen += timedelta(seconds=2)
    assert client.get("/api/v1/users/whoami", headers=access).status_code == 401
    client.cookies.clear()
    client.cookies.set("refresh_token_lf", login.json()["refresh_token"])
    assert client.post("/api/v1/refresh").status_code == 200  # 31 s in: the refresh token still holds
    clock.frozen += timedelta(seconds=60)
    client.cookies.set("refresh_token_lf", login.json()["refresh_token"])
    assert client.post("/api/v1/refresh").status_code == 401
    logout = client.post("/api/v1/logout").headers.get_list("set-cookie")
    assert all(domain in c and "Max-Age=0" in c for c in logout)


def test_logout_expires_the_cookies(client: TestClient, jwt_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/logout", headers=jwt_headers)
    assert response.status_code == 200
    assert response.json() == {"message": "Logout successful"}
    cookies = response.headers.get_list("set-cookie")
    assert {c.split("=", 1)[0] for c in cookies} == {"refresh_token_lf", "access_token_lf", "apikey_tkn_lflw"}
    assert all("Max-Age=0" in c for c in cookies)


def test_session_reports_the_signed_in_user(client: TestClient, jwt_headers: dict[str, str]) -> None:
    body = client.get("/api/v1/session", headers=jwt_headers).json()
    assert body["authenticated"] is True
    assert body["user"]["username"] == "langflow"
    assert client.get("/api/v1/session").json() == {"authenticated": False, "user": None, "store_api_key": None}


@pytest.mark.parametrize("skip_auth", [False, True])
def test_session_takes_an_access_token_only(make_client: Callable[..., TestClient], skip_auth: bool) -> None:
    """Langflow's /session looks for an access token alone (Bearer header, else cookie): an API key, in its header
    or as a Bearer, is no session, nor is a request without credentials when skip-auth is on."""
    client = make_client(skip_auth_auto_login=skip_auth)
    key = new_api_key(client)
    nobody = {"authenticated": False, "user": None, "store_api_key": None}
    for headers in ({"x-api-key": key}, {"Authorization": f"Bearer {key}"}, {}):
        response = client.get("/api/v1/session", headers=headers)
        assert (response.status_code, response.json()) == (200, nobody)
    assert client.get("/api/v1/users/whoami", headers={"x-api-key": key}).status_code == 200


def test_new_user_is_inactive_until_a_superuser_activates_it(client: TestClient, key_headers: dict[str, str]) -> None:
    created = client.post("/api/v1/users/", json={"username": "alice", "password": "pw-alice"}, headers=key_headers)
    assert created.status_code == 201
    assert created.json()["is_active"] is False
    waiting = client.post("/api/v1/login", data={"username": "alice", "password": "wrong, and not looked at"})
    assert (waiting.status_code, waiting.json()) == (400, {"detail": "Waiting for approval"})
    user_id = created.json()["id"]
    activated = client.patch(f"/api/v1/users/{user_id}", json={"is_active": True}, headers=key_headers)
    assert activated.status_code == 200 and activated.json()["is_active"] is True
    assert client.post("/api/v1/login", data={"username": "alice", "password": "pw-alice"}).status_code == 200
    client.cookies.clear()
    client.patch(f"/api/v1/users/{user_id}", json={"is_active": False}, headers=key_headers)
    inactive = client.post("/api/v1/login", data={"username": "alice", "password": "pw-alice"})
    assert (inactive.status_code, inactive.json()) == (401, {"detail": "Inactive user"})


def test_a_plain_user_cannot_list_users(client: TestClient, key_headers: dict[str, str]) -> None:
    user_id = client.post("/api/v1/users/", json={"username": "bob", "password": "pw"},
                          headers=key_headers).json()["id"]
    client.patch(f"/api/v1/users/{user_id}", json={"is_active": True}, headers=key_headers)
    token = client.post("/api/v1/login", data={"username": "bob", "password": "pw"}).json()["access_token"]
    client.cookies.clear()  # login's cookie would otherwise authenticate the superuser's request as bob
    response = client.get("/api/v1/users/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    listed = client.get("/api/v1/users/", headers=key_headers).json()
    assert listed["total_count"] == 2


def test_a_key_may_carry_an_expiry_after_which_it_no_longer_works(client: TestClient,
                                                                    jwt_headers: dict[str, str]) -> None:
    past = client.post("/api/v1/api_key/", json={"name": "old", "expires_at": "2020-01-01T00:00:00"},
                       headers=jwt_headers).json()
    assert past["expires_at"].startswith("2020-01-01T00:00:00")
    refused = client.get("/api/v1/users/whoami", headers={"x-api-key": past["api_key"]})
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.INVALID_API_KEY})
    future = client.post("/api/v1/api_key/", json={"name": "new", "expires_at": "2999-01-01T00:00:00Z"},
                         headers=jwt_headers).json()
    assert client.get("/api/v1/users/whoami", headers={"x-api-key": future["api_key"]}).status_code == 200
    keys = client.get("/api/v1/api_key/", headers=jwt_headers).json()["api_keys"]
    listed = {k["name"]: k["expires_at"] for k in keys}
    assert listed["old"].startswith("2020-01-01") and listed["new"].startswith("2999-01-01")


@pytest.mark.parametrize(("body", "error"), [
    ({"created_at": "notadate"}, {"type": "datetime_from_date_parsing", "loc": ["body", "created_at"],
                                  "msg": "Input should be a valid datetime or date, input is too short"}),
    ({"total_uses": "abc"}, {"type": "int_parsing", "loc": ["body", "total_uses"],
                             "msg": "Input should be a valid integer, unable to parse string as an integer"}),
    # Langflow's UUIDstr parses text itself: a value_error, not pydantic's uuid_parsing
    ({"user_id": "not-a-uuid"}, {"type": "value_error", "loc": ["body", "user_id"],
                                 "msg": "Value error, badly formed hexadecimal UUID string"}),
    ({"last_used_at": "soon"}, {"type": "datetime_from_date_parsing", "loc": ["body", "last_used_at"],
                                "msg": "Input should be a valid datetime or date, input is too short"}),
    ({"api_key": 5}, {"type": "string_type", "loc": ["body", "api_key"], "msg": "Input should be a valid string"}),
])
def test_a_key_create_body_of_the_wrong_type_is_a_422(client: TestClient, jwt_headers: dict[str, str],
                                                      body: dict[str, Any], error: dict[str, Any]) -> None:
    """Langflow's ApiKeyCreate also declares created_at, total_uses, last_used_at, api_key and user_id."""
    response = client.post("/api/v1/api_key/", json={"name": "k", **body}, headers=jwt_headers)
    assert (response.status_code, response.json()) == (422, {"detail": [error]})
    assert [k["name"] for k in client.get("/api/v1/api_key/", headers=jwt_headers).json()["api_keys"]] == [
        STARTER_KEY]


def test_a_key_keeps_the_created_at_sent_and_ignores_the_other_body_fields(
        make_client: Callable[..., TestClient]) -> None:
    """Langflow stores `created_at` (an empty one means now) but makes the key, its owner, its use count and
    is_active itself. A time with an offset keeps its wall-clock time, as SQLite keeps Langflow's column."""
    client = make_client(auto_login=False, superuser_password="pw-admin")
    admin = {"x-api-key": new_api_key_for(client, "langflow", "pw-admin")}
    bob, _ = signed_in_user(client, admin, "bob")
    sent = {"name": "ci", "created_at": "2020-01-02T03:04:05.678+05:00", "api_key": "sk-" + "A" * 43,
            "user_id": bob["id"], "total_uses": 7, "last_used_at": "2021-01-01T00:00:00Z", "is_active": False}
    created = client.post("/api/v1/api_key/", json=sent, headers=admin)
    assert created.status_code == 200
    body = created.json()
    assert body["api_key"] != sent["api_key"] and body["api_key"].startswith("sk-")
    assert body["user_id"] != bob["id"]
    assert (body["total_uses"], body["last_used_at"], body["is_active"]) == (0, None, True)
    assert client.get("/api/v1/users/whoami", headers={"x-api-key": body["api_key"]}).json()["username"] == "langflow"
    assert client.get("/api/v1/users/whoami", headers={"x-api-key": sent["api_key"]}).status_code == 403
    empty = client.post("/api/v1/api_key/", json={"name": "empty", "created_at": "",
                                                  "expires_at": "2999-01-01T05:00:00+05:00"}, headers=admin)
    assert empty.status_code == 200
    assert empty.json()["expires_at"] == "2999-01-01T05:00:00+00:00"  # the same column type as created_at
    # listed as created, not by created_at (after the Starter Project's MCP key)
    keys = client.get("/api/v1/api_key/", headers=admin).json()["api_keys"][-3:]
    assert [k["name"] for k in keys] == ["test", "ci", "empty"]
    assert keys[1]["created_at"] == "2020-01-02T03:04:05+00:00"
    assert keys[2]["created_at"] >= keys[0]["created_at"] > "2021"


def test_before_1_13_a_key_create_ignores_expires_at_but_keeps_created_at(
        make_client: Callable[..., TestClient]) -> None:
    """0.8.4's ApiKeyCreate has no expires_at (ignored whatever it holds) and lists naive times."""
    client = make_client(langflow_version="1.8", auto_login=False, superuser_password="pw-admin")
    admin = {"x-api-key": new_api_key_for(client, "langflow", "pw-admin")}
    created = client.post("/api/v1/api_key/", json={"name": "old", "expires_at": "not a date",
                                                    "created_at": "2020-01-02T03:04:05.678901Z"}, headers=admin)
    assert created.status_code == 200
    assert "expires_at" not in created.json()
    bad = client.post("/api/v1/api_key/", json={"total_uses": "abc"}, headers=admin)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "total_uses"]
    keys = client.get("/api/v1/api_key/", headers=admin).json()["api_keys"]
    assert [(k["name"], k["created_at"]) for k in keys][-2:] == [("test", keys[-2]["created_at"]),
                                                                  ("old", "2020-01-02T03:04:05.678901")]


def test_deleting_a_key_that_is_not_yours_is_400_as_in_langflow(client: TestClient,
                                                                 jwt_headers: dict[str, str]) -> None:
    response = client.delete("/api/v1/api_key/00000000-0000-4000-8000-000000000000", headers=jwt_headers)
    assert (response.status_code, response.json()) == (400, {"detail": "API Key not found"})


def deactivated_user(client: TestClient) -> tuple[dict[str, str], dict[str, str], str]:
    """bob's API key and access token (as headers) and his default project's id, all taken while he was active;
    then the superuser (the server's --api-key, KEY) deactivates him."""
    admin = {"x-api-key": KEY}
    bob = client.post("/api/v1/users/", json={"username": "bob", "password": "pw-bob"}, headers=admin).json()
    assert client.patch(f"/api/v1/users/{bob['id']}", json={"is_active": True}, headers=admin).status_code == 200
    token = client.post("/api/v1/login", data={"username": "bob", "password": "pw-bob"}).json()["access_token"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    key = {"x-api-key": client.post("/api/v1/api_key/", json={"name": "bob"}, headers=bearer).json()["api_key"]}
    project = str(client.get("/api/v1/projects/", headers=key).json()[0]["id"])
    assert client.patch(f"/api/v1/users/{bob['id']}", json={"is_active": False}, headers=admin).status_code == 200
    return key, bearer, project


@pytest.mark.parametrize(("version", "status", "detail"), [
    ("1.13.0", 403, errors.INVALID_API_KEY), ("1.8.4", 403, errors.API_KEY_AUTH_FAILED),
    ("1.7.1", 401, errors.INACTIVE_USER)])
def test_a_deactivated_users_key_on_user_routes(make_client: Callable[..., TestClient], version: str, status: int,
                                                detail: str) -> None:
    """1.13's key check never finds a deactivated user's key: an unknown key. Before, it finds the user; 1.8's
    credential check then refuses the inactive user as a failed key lookup, 1.7.1's active-user check says so."""
    client = make_client(langflow_version=version, api_key=KEY)
    key, _, _ = deactivated_user(client)
    for path in ("/api/v1/users/whoami", "/api/v1/flows/", "/api/v1/projects/", "/api/v2/files"):
        for given in (key, {"x-api-key": "sk-wrong"}):
            answer = client.get(path, headers=given)
            wrong = errors.INVALID_OR_MISSING_API_KEY if version == "1.7.1" else errors.INVALID_API_KEY
            expected = (status, detail) if given is key else (403, wrong)
            assert (answer.status_code, answer.json()) == (expected[0], {"detail": expected[1]}), (version, path)
            assert "www-authenticate" not in answer.headers


@pytest.mark.parametrize(("version", "user_route", "mcp"), [
    ("1.13.0", (401, errors.TOKEN_AUTH_FAILED), (403, errors.USER_NOT_FOUND)),
    ("1.8.4", (401, errors.TOKEN_AUTH_FAILED), (403, errors.USER_NOT_FOUND)),
    ("1.7.1", (401, errors.JWT_USER_GONE), (401, errors.JWT_USER_GONE))])
def test_a_good_jwt_of_a_deleted_user(make_client: Callable[..., TestClient], version: str,
                                      user_route: tuple[int, str], mcp: tuple[int, str]) -> None:
    """1.13 and 1.8: the user routes' credential check takes the missing user for an unexpected token failure,
    401 'Token authentication failed', and tries an API key sent with the token; MCP's token check says 403
    'User not found'. 1.7.1 says 401 'User not found or is inactive.' everywhere, a key sent along unread."""
    client = make_client(langflow_version=version, api_key=KEY)
    admin = {"x-api-key": KEY}
    _, bearer, _ = deactivated_user(client)
    bob = next(u for u in client.get("/api/v1/users/", headers=admin).json()["users"] if u["username"] == "bob")
    erased = client.delete(f"/api/v1/users/{bob['id']}", headers=admin)  # 1.13: 202, the erase comes later
    assert erased.status_code == (202 if version == "1.13.0" else 200)
    for path, (status, detail) in (("/api/v1/users/whoami", user_route), ("/api/v1/mcp/project/" + UNKNOWN, mcp)):
        answer = client.get(path, headers=bearer)
        assert (answer.status_code, answer.json()) == (status, {"detail": detail}), path
        assert ("www-authenticate" in answer.headers) == (version == "1.7.1")
    both = client.get("/api/v1/users/whoami", headers={**bearer, **admin})
    if version == "1.7.1":
        assert (both.status_code, both.json()["detail"]) == user_route
    else:
        assert (both.status_code, both.json()["username"]) == (200, "langflow")


def test_a_good_jwt_of_a_deactivated_user_says_so(make_client: Callable[..., TestClient]) -> None:
    """1.13 (and 1.8): 401 'User account is inactive' once deactivated, an API key sent along unread; 1.7.1
    says 401 'User not found or is inactive.' with www-authenticate: Bearer."""
    for version, deactivated in (("1.13.0", (401, errors.ACCOUNT_INACTIVE)), ("1.8.4", (401, errors.ACCOUNT_INACTIVE)),
                                 ("1.7.1", (401, errors.JWT_USER_GONE))):
        client = make_client(langflow_version=version, api_key=KEY)
        _, bearer, _ = deactivated_user(client)
        for headers in (bearer, {**bearer, "x-api-key": KEY}):
            answer = client.get("/api/v1/users/whoami", headers=headers)
            assert (answer.status_code, answer.json()["detail"]) == deactivated, version


def key_uses(client: TestClient, key: str | None = None) -> int:
    """total_uses of the auto-login superuser's only key (but the one the start made for its Starter Project),
    read with a token (a JWT is no key use); or of `key`'s, read with that key (that listing counts its own
    use)."""
    headers = {"x-api-key": key} if key else {"Authorization": f"Bearer {auto_login_token(client)}"}
    listed = client.get("/api/v1/api_key/", headers=headers)
    assert listed.status_code == 200, listed.text
    own = [k for k in listed.json()["api_keys"] if not k["name"].startswith(STARTER_KEY_PREFIX)]
    return int(own[0]["total_uses"])


@pytest.mark.parametrize(("version", "user_route_errors", "mcp_errors"), [
    ("1.13.0", 1, 1), ("1.8.4", 0, 0), ("1.7.1", 1, 0)])
def test_a_key_use_is_kept_only_where_the_release_commits_it(make_client: Callable[..., TestClient], version: str,
                                                            user_route_errors: int, mcp_errors: int) -> None:
    """1.13 counts a key's use in a transaction of its own: kept whatever the request ends in. 1.8's user and
    MCP routes (1.7.1's MCP routes) count it in the request's transaction, rolled back when the request ends in
    an error: a 404, a 422 of the request's validation. /run counts it apart in every release."""
    client = make_client(langflow_version=version)
    key = {"x-api-key": new_api_key(client)}
    flow = client.post("/api/v1/flows/", json={"name": "f", "data": {"nodes": [], "edges": []}}, headers=key)
    assert flow.status_code == 201, flow.text
    not_found = 200 if version == "1.7.1" else 404  # 1.7.1 answers an API 404 with its web page
    for method, path, body, status, kept in (
            ("get", "/api/v1/flows/", None, 200, 1),
            ("get", "/api/v1/flows/not-an-id", None, 422, user_route_errors),
            ("delete", f"/api/v1/flows/{UNKNOWN}", None, not_found, user_route_errors),
            ("post", "/api/v1/flows/", {"name": 7}, 422, user_route_errors),
            ("post", f"/api/v1/run/{flow.json()['id']}?stream=maybe", {}, 422, 1),
            ("get", "/api/v1/mcp/project/not-an-id", None, 422, mcp_errors)):
        before = key_uses(client)
        answer = client.request(method, path, json=body, headers=key)
        assert answer.status_code == status, (path, answer.text)
        assert key_uses(client) - before == kept, (version, method, path)
    # a body that is not JSON is refused before any dependency runs: no key check, no use, in every release
    before = key_uses(client)
    bad_json = client.post("/api/v1/flows/", content=b"{", headers={**key, "content-type": "application/json"})
    assert bad_json.status_code == 422
    assert key_uses(client) == before


def key_uses_during_stream(client: TestClient, path: str, key: str, query: str = "") -> tuple[int, int, bytes]:
    """GET `path` with `key`, driven through the app; when the first chunk of its body has come, the key list is
    read with a token by a second request, as a client listing its keys meanwhile would. Returns the status, the
    key's total_uses then, and the whole body."""
    token = {"Authorization": f"Bearer {auto_login_token(client)}"}
    seen: list[int] = []
    sent: list[dict[str, Any]] = []

    async def list_keys() -> int:
        listed: list[bytes] = []

        async def collect(message: dict[str, Any]) -> None:
            listed.append(message.get("body", b""))

        await asgi_call(client, asgi_get_scope(client, "/api/v1/api_key/", token), collect)
        own = [k for k in json.loads(b"".join(listed))["api_keys"] if not k["name"].startswith(STARTER_KEY_PREFIX)]
        return int(own[0]["total_uses"])

    async def drive() -> None:
        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and message.get("body") and not seen:
                seen.append(await list_keys())

        with anyio.fail_after(30):
            await asgi_call(client, asgi_get_scope(client, path, {"x-api-key": key}, query), send)

    assert client.portal is not None
    client.portal.call(drive)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, seen[0], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.mark.parametrize(("version", "during"), [("1.13.0", 1), ("1.8.4", 0), ("1.7.1", 1)])
def test_a_streamed_answers_key_use_is_written_when_1_8_has_sent_it_all(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str, during: int) -> None:
    """1.8 counts a user route's key use in the request's session, which FastAPI closes (and commits) once the
    answer is sent: while a build's events are still streaming, the key list does not show their use yet; it
    does once the stream has ended. 1.13 (and 1.7.1's user routes) commit the use at once."""
    client = make_client(langflow_version=version, job_latency_ms=0)
    key = new_api_key(client)
    flow = client.post("/api/v1/flows/", json=chat_flow, headers={"x-api-key": key})
    assert flow.status_code == 201, flow.text
    job = client.post(f"/api/v1/build/{flow.json()['id']}/flow", json={"inputs": {"input_value": "hi"}},
                      params={"event_delivery": "polling"}, headers={"x-api-key": key})
    assert job.status_code == 200, job.text
    before = key_uses(client)
    status, uses, body = key_uses_during_stream(client, f"/api/v1/build/{job.json()['job_id']}/events", key)
    assert status == 200 and b'"event": "end"' in body, body
    assert uses - before == during
    assert key_uses(client) - before == 1


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_the_key_list_shows_the_use_of_the_key_that_lists_it(make_client: Callable[..., TestClient],
                                                             version: str) -> None:
    """Even where the use is written with the request (1.8), its own listing reads it in that transaction."""
    client = make_client(langflow_version=version)
    key = new_api_key(client)
    assert [key_uses(client, key) for _ in range(3)] == [1, 2, 3]
    assert key_uses(client) == 3


@pytest.mark.parametrize(("version", "uses"), [("1.13.0", 2), ("1.8.4", 2), ("1.7.1", 3)])
def test_a_refused_deactivated_users_key_use_is_kept_only_by_1_7_1(make_client: Callable[..., TestClient],
                                                                   version: str, uses: int) -> None:
    """1.13 never finds the key of a deactivated user; 1.8 counts it, then refuses the user in the same request,
    which rolls the count back; 1.7.1 counts it in its key check's own transaction, then says 'Inactive user'."""
    client = make_client(langflow_version=version, api_key=KEY)
    key, _, _ = deactivated_user(client)  # its projects were listed once with the key
    assert client.get("/api/v1/flows/", headers=key).status_code in (401, 403)
    bob = next(u for u in client.get("/api/v1/users/", headers={"x-api-key": KEY}).json()["users"]
               if u["username"] == "bob")
    assert client.patch(f"/api/v1/users/{bob['id']}", json={"is_active": True},
                        headers={"x-api-key": KEY}).status_code == 200
    assert key_uses(client, key["x-api-key"]) == uses


@pytest.mark.parametrize(("version", "kept"), [("1.13.0", 1), ("1.8.4", 0), ("1.7.1", 0)])
def test_a_project_transports_refusal_of_another_users_key_keeps_its_use_only_in_1_13(
        make_client: Callable[..., TestClient], version: str, kept: int) -> None:
    """Before 1.13 a project transport checks the key and the project's owner in one transaction: the 404 for
    a project that is not the key owner's rolls the key's use back."""
    client = make_client(langflow_version=version, auto_login=False, superuser_password="pw", api_key=KEY)
    admin = {"x-api-key": KEY}
    project = client.get("/api/v1/projects/", headers=admin).json()[0]["id"]
    bob_key = other_user_key(client, admin)
    answer = client.post(f"/api/v1/mcp/project/{project}/streamable", headers={"x-api-key": bob_key},
                         json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert answer.status_code == (200 if version == "1.7.1" else 404), answer.text  # 1.7.1: its web page
    assert key_uses(client, bob_key) == kept + 1


@pytest.mark.parametrize(("version", "expired", "wrong_kind", "bad", "challenge"), [
    ("1.13.0", errors.TOKEN_EXPIRED, errors.INVALID_TOKEN_TYPE, errors.INVALID_TOKEN, False),
    ("1.8.4", errors.TOKEN_EXPIRED, errors.INVALID_TOKEN_TYPE, errors.INVALID_TOKEN, False),
    ("1.7.1", errors.COULD_NOT_VALIDATE, errors.TOKEN_IS_INVALID, errors.COULD_NOT_VALIDATE, True)])
def test_a_token_that_fails_its_check_is_refused_even_with_a_good_key(
        make_client: Callable[..., TestClient], version: str, expired: str, wrong_kind: str, bad: str,
        challenge: bool) -> None:
    """Only a good token whose user is gone lets 1.13 and 1.8 try the key sent with it: an expired token
    ('Token has expired'), a refresh token ('Invalid token type') or a malformed one is refused, from the header
    or the cookie. 1.7.1 reads the header only and never tries the key: 'Could not validate credentials' for
    an expired or malformed token, 'Token is invalid.' for another kind, each with www-authenticate: Bearer."""
    client = make_client(langflow_version=version)
    key = {"x-api-key": new_api_key(client)}
    state = client.app.state.mock  # type: ignore[attr-defined]
    me = UUID(client.get("/api/v1/users/whoami", headers=key).json()["id"])
    cases = ((create_token(state, me, "access", timedelta(seconds=-60)), expired),
             (create_token(state, me, "refresh", timedelta(days=1)), wrong_kind),
             ("not-a-token", bad), (tokens.encode({"sub": str(me), "type": "access"}, "another server's secret"), bad))
    for token, detail in cases:
        for headers in ({"Authorization": f"Bearer {token}"}, {"Authorization": f"Bearer {token}", **key}):
            answer = client.get("/api/v1/users/whoami", headers=headers)
            assert (answer.status_code, answer.json()) == (401, {"detail": detail}), (version, detail)
            assert ("www-authenticate" in answer.headers) == challenge
        client.cookies.set("access_token_lf", token)
        cookie = client.get("/api/v1/users/whoami", headers=key)
        client.cookies.clear()
        if version == "1.7.1":  # its token scheme reads no cookie: the key serves
            assert cookie.status_code == 200
        else:
            assert (cookie.status_code, cookie.json()) == (401, {"detail": detail}), (version, detail)


@pytest.mark.parametrize(("version", "user_route", "run"), [
    ("1.13.0", (401, errors.ACCOUNT_INACTIVE), (403, errors.ACCOUNT_INACTIVE)),
    ("1.8.4", (403, errors.NO_CREDENTIALS), (200, None)),
    ("1.7.1", (401, errors.INACTIVE_USER), (200, None))])
def test_skip_auth_with_its_superuser_deactivated(make_client: Callable[..., TestClient], version: str,
                                                  user_route: tuple[int, str], run: tuple[int, str | None]) -> None:
    """1.13's credential check refuses skip-auth's deactivated superuser (401 'User account is inactive'), its
    /run key check too (403); 1.7.1's user routes say 401 'Inactive user' (their active-user check), while its
    /run, and 1.8's, serve the superuser all the same (1.8's user routes take no skip-auth anyway)."""
    client = make_client(langflow_version=version, skip_auth_auto_login=True)
    flow = client.post("/api/v1/flows/", json={"name": "mine", "data": {"nodes": [], "edges": []}},
                       headers={"x-api-key": new_api_key(client)})
    me = client.get("/api/v1/users/whoami", headers={"Authorization": f"Bearer {auto_login_token(client)}"}).json()
    assert client.patch(f"/api/v1/users/{me['id']}", json={"is_active": False},
                        headers={"x-api-key": other_superuser_key(client)}).status_code == 200
    answer = client.get("/api/v1/users/whoami")
    assert (answer.status_code, answer.json()) == (user_route[0], {"detail": user_route[1]})
    ran = client.post(f"/api/v1/run/{flow.json()['id']}", json={})
    assert ran.status_code == run[0], ran.text
    if run[1]:
        assert ran.json() == {"detail": run[1]}
    assert client.get("/api/v1/config").status_code == (401 if version == "1.7.1" else 200)


def other_superuser_key(client: TestClient) -> str:
    """An API key of a second superuser, made by the first (auto-login's)."""
    admin = {"Authorization": f"Bearer {auto_login_token(client)}"}
    key = other_user_key(client, admin, "root")
    root = next(u for u in client.get("/api/v1/users/", headers=admin).json()["users"] if u["username"] == "root")
    promoted = client.patch(f"/api/v1/users/{root['id']}", json={"is_superuser": True}, headers=admin)
    assert promoted.status_code == 200, promoted.text
    return key


@pytest.mark.parametrize(("version", "sign_up", "public_build"), [("1.13.0", 1, 1), ("1.8.4", 0, 0), ("1.7.1", 1, 0)])
def test_sign_up_and_the_public_build_count_a_key_only_where_they_read_credentials(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str, sign_up: int,
        public_build: int) -> None:
    """1.13's sign-up and public build look for an optional caller, 1.7.1's sign-up wants a superuser: a key
    sent is checked and its use counted once. 1.8's sign-up and the public build before 1.13 read no
    credentials, so a key sent along is never used."""
    client = make_client(langflow_version=version)
    key = {"x-api-key": new_api_key(client)}
    public = client.post("/api/v1/flows/", json={**chat_flow, "access_type": "PUBLIC"}, headers=key)
    assert public.status_code == 201, public.text
    before = key_uses(client)
    created = client.post("/api/v1/users/", json={"username": "carol", "password": "pw-carol"}, headers=key)
    assert created.status_code == 201, created.text
    assert key_uses(client) - before == sign_up
    before = key_uses(client)
    built = client.post(f"/api/v1/build_public_tmp/{public.json()['id']}/flow", json={},
                        headers={**key, "Cookie": "client_id=visitor-1"})
    assert built.status_code == 200, built.text
    assert key_uses(client) - before == public_build


def test_1_7_1_refuses_a_sign_up_by_a_user_who_is_no_superuser_after_one_key_check(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.7.1")
    bob = other_user_key(client, {"Authorization": f"Bearer {auto_login_token(client)}"})
    refused = client.post("/api/v1/users/", json={"username": "carol", "password": "pw-carol"},
                          headers={"x-api-key": bob})
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.NOT_ENOUGH_PRIVILEGES})
    assert key_uses(client, bob) == 2  # the sign-up's check and this listing's


@pytest.mark.parametrize(("version", "examples", "image"), [("1.13.0", 1, 1), ("1.8.4", 0, 0), ("1.7.1", 0, 1)])
def test_the_example_list_and_images_count_a_key_only_where_they_read_credentials(
        make_client: Callable[..., TestClient], version: str, examples: int, image: int) -> None:
    """Only 1.13's example list reads credentials (include_blocked); 1.8 serves images to anyone without
    reading any. A key sent to a route that reads none is never used."""
    client = make_client(langflow_version=version)
    key = {"x-api-key": new_api_key(client)}
    flow = client.post("/api/v1/flows/", json={"name": "f", "data": {"nodes": [], "edges": []}}, headers=key)
    before = key_uses(client)
    assert client.get("/api/v1/flows/basic_examples/", headers=key).status_code == 200
    assert key_uses(client) - before == examples
    before = key_uses(client)
    missing = client.get(f"/api/v1/files/images/{flow.json()['id']}/none.png", headers=key)
    assert missing.status_code == 500, missing.text  # Langflow's answer to a missing image
    assert key_uses(client) - before == image


@pytest.mark.parametrize(("version", "user_route"), [
    ("1.13.0", errors.SUPERUSER_NOT_FOUND), ("1.8.4", errors.NO_CREDENTIALS), ("1.7.1", errors.NO_CREDENTIALS)])
def test_skip_auth_with_its_superuser_deleted(make_client: Callable[..., TestClient], version: str,
                                              user_route: str) -> None:
    """1.13 names the missing superuser: 403 'Superuser not found' on user routes, 503 'Superuser not found in
    database' on /run. MCP's key check, finding no user, says 403 'Invalid or missing API key' in every
    release. (1.8's /run and 1.7.1's routes fail with a 500 there: the mock keeps its 403.)"""
    client = make_client(langflow_version=version, skip_auth_auto_login=True)
    me = client.get("/api/v1/users/whoami", headers={"Authorization": f"Bearer {auto_login_token(client)}"}).json()
    assert client.delete(f"/api/v1/users/{me['id']}",
                         headers={"x-api-key": other_superuser_key(client)}).status_code in (200, 202)
    answer = client.get("/api/v1/users/whoami")
    assert (answer.status_code, answer.json()) == (403, {"detail": user_route})
    mcp = client.get(f"/api/v1/mcp/project/{UNKNOWN}")
    assert (mcp.status_code, mcp.json()) == (403, {"detail": errors.INVALID_OR_MISSING_API_KEY})
    if version == "1.13.0":
        ran = client.post(f"/api/v1/run/{UNKNOWN}", json={})
        assert (ran.status_code, ran.json()) == (503, {"detail": errors.SUPERUSER_NOT_IN_DATABASE})


@pytest.mark.parametrize(("version", "user_route"), [
    ("1.13.0", errors.SUPERUSER_NOT_FOUND), ("1.8.4", errors.NO_CREDENTIALS), ("1.7.1", errors.NO_CREDENTIALS)])
def test_the_no_credential_fallbacks_find_the_superuser_by_its_name(make_client: Callable[..., TestClient],
                                                                    version: str, user_route: str) -> None:
    """Skip-auth, MCP's auto-login fallback and the project transports look the superuser up by its name: once
    renamed it is gone as if deleted, and whoever then takes the name 'langflow' is served in its place."""
    client = make_client(langflow_version=version, skip_auth_auto_login=True, api_key=KEY)
    admin = {"x-api-key": KEY}
    bob = other_user_key(client, admin)
    users = {u["username"]: u["id"] for u in client.get("/api/v1/users/", headers=admin).json()["users"]}
    pid = client.get("/api/v1/projects/", headers={"x-api-key": bob}).json()[0]["id"]
    renamed = client.patch(f"/api/v1/users/{users['langflow']}", json={"username": "boss"}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    whoami = client.get("/api/v1/users/whoami")
    assert (whoami.status_code, whoami.json()) == (403, {"detail": user_route})
    mcp = client.get(f"/api/v1/mcp/project/{pid}")
    assert (mcp.status_code, mcp.json()) == (403, {"detail": errors.INVALID_OR_MISSING_API_KEY})
    transport = client.post(f"/api/v1/mcp/project/{pid}/streamable", json={})
    assert (transport.status_code, transport.json()) == (403, {"detail": errors.SUPERUSER_FALLBACK_GONE})
    taken = client.patch(f"/api/v1/users/{users['bob']}", json={"username": "langflow"}, headers=admin)
    assert taken.status_code == 200, taken.text
    if version != "1.8.4":  # 1.8's user routes never fall back to the superuser
        assert client.get("/api/v1/users/whoami").json()["id"] == users["bob"]
    assert client.get(f"/api/v1/mcp/project/{pid}").status_code == 200


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_auto_login_signs_in_the_superuser_by_name_else_the_first_superuser(make_client: Callable[..., TestClient],
                                                                           version: str) -> None:
    """Langflow's auto-login takes whoever has the superuser's name, else the first superuser made, and hands out
    that user's store key in its cookie; with no superuser left, 400 "Super user hasn't been created"."""
    client = make_client(langflow_version=version, api_key=KEY)
    admin = {"x-api-key": KEY}
    root = {"x-api-key": other_superuser_key(client)}
    users = {u["username"]: u["id"] for u in client.get("/api/v1/users/", headers=admin).json()["users"]}
    assert client.post("/api/v1/api_key/store", json={"api_key": "store-key"}, headers=root).status_code == 200
    sealed = client.get("/api/v1/users/whoami", headers=root).json()["store_api_key"]
    client.cookies.clear()
    assert client.delete(f"/api/v1/users/{users['langflow']}", headers=root).status_code in (200, 202)
    signed_in = client.get("/api/v1/auto_login")
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.cookies["apikey_tkn_lflw"].strip('"') == sealed
    bearer = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    client.cookies.clear()
    assert client.get("/api/v1/users/whoami", headers=bearer).json()["id"] == users["root"]
    demoted = client.patch(f"/api/v1/users/{users['root']}", json={"is_superuser": False}, headers=root)
    assert demoted.status_code == 200, demoted.text
    nobody = client.get("/api/v1/auto_login")
    assert (nobody.status_code, nobody.json()) == (400, {"detail": errors.SUPERUSER_NOT_CREATED})


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_disable_track_apikey_usage_leaves_a_keys_uses_and_last_use_as_they_were(
        make_client: Callable[..., TestClient], version: str) -> None:
    """LANGFLOW_DISABLE_TRACK_APIKEY_USAGE: every release's key check then skips both total_uses and last_used_at,
    whichever route checked the key (user routes, /run, MCP, the webhook where it asks for a key)."""
    client = make_client(langflow_version=version, disable_track_apikey_usage=True, webhook_auth_enable=True)
    key = {"x-api-key": new_api_key(client)}
    flow = client.post("/api/v1/flows/", json={"name": "f", "data": {"nodes": [], "edges": []}}, headers=key)
    assert flow.status_code == 201, flow.text
    project = client.get("/api/v1/projects/", headers=key).json()[0]["id"]
    for method, path in (("get", "/api/v1/flows/"), ("post", f"/api/v1/run/{flow.json()['id']}"),
                         ("get", f"/api/v1/mcp/project/{project}"),
                         ("post", f"/api/v1/webhook/{flow.json()['id']}")):
        answer = client.request(method, path, json={}, headers=key)
        assert answer.status_code < 400, (path, answer.text)
    for headers in (key, {"Authorization": f"Bearer {auto_login_token(client)}"}):
        listed = client.get("/api/v1/api_key/", headers=headers).json()["api_keys"][0]
        assert (listed["total_uses"], listed["last_used_at"]) == (0, None)
