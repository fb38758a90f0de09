"""User administration as each release's users module answers it: who may sign up, what a user may change
about itself, how a password is changed, what a deletion answers, and the refusals' texts and headers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors

USERS = "/api/v1/users/"


def add(client: TestClient, admin: dict[str, str], name: str, password: str | None = None) -> dict[str, Any]:
    """A user the superuser added and activated."""
    created = client.post(USERS, json={"username": name, "password": password or f"pw-{name}"}, headers=admin)
    assert created.status_code == 201, created.text
    user: dict[str, Any] = client.patch(f"{USERS}{created.json()['id']}", json={"is_active": True},
                                        headers=admin).json()
    return user


def signed_in(client: TestClient, name: str, password: str | None = None) -> dict[str, str]:
    login = client.post("/api/v1/login", data={"username": name, "password": password or f"pw-{name}"})
    assert login.status_code == 200, login.text
    client.cookies.clear()  # the login's cookie would otherwise authenticate every later request as this user
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def key_of(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    key = client.post("/api/v1/api_key/", json={"name": "k"}, headers=headers).json()["api_key"]
    return {"x-api-key": key}


def admin_of(client: TestClient) -> dict[str, str]:
    token = client.get("/api/v1/auto_login").json()["access_token"]
    client.cookies.clear()
    return key_of(client, {"Authorization": f"Bearer {token}"})


# --- sign-up --------------------------------------------------------------------------------------------


def test_sign_up_is_refused_while_auto_login_is_on_but_a_superuser_adds_users(client: TestClient,
                                                                              key_headers: dict[str, str]) -> None:
    """1.13: auto-login means a single-user server, which has no sign-up; a superuser can still add users."""
    refused = client.post(USERS, json={"username": "eve", "password": "pw-eve"})
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.SIGNUP_DISABLED})
    created = client.post(USERS, json={"username": "eve", "password": "pw-eve"}, headers=key_headers)
    assert created.status_code == 201
    assert created.headers["location"] == f"/api/v1/users/{created.json()['id']}"
    assert created.json()["is_active"] is False
    assert [u["username"] for u in client.get(USERS, headers=key_headers).json()["users"]] == ["eve", "langflow"]


def test_sign_up_takes_the_cookie_before_a_bearer_header(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's sign-up finds its caller as get_current_user_optional does: the access-token cookie first (user
    routes take the Bearer header first), so the cookie's user decides whether this is a superuser's addition."""
    admin_token = client.get("/api/v1/auto_login").json()["access_token"]
    client.cookies.clear()
    add(client, key_headers, "bob")
    bob = signed_in(client, "bob")
    by_cookie = client.post(USERS, json={"username": "eve", "password": "pw-eve"},
                            headers={**bob, "Cookie": f"access_token_lf={admin_token}"})
    assert by_cookie.status_code == 201
    assert by_cookie.json()["username"] == "eve"
    refused = client.post(USERS, json={"username": "mallory", "password": "pw-mallory"},
                          headers={"Authorization": f"Bearer {admin_token}",
                                   "Cookie": f"access_token_lf={bob['Authorization'].removeprefix('Bearer ')}"})
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.SIGNUP_DISABLED})


def test_sign_up_without_credentials_is_nobodys_even_when_auth_is_skipped(
        make_client: Callable[..., TestClient]) -> None:
    """Skip-auth makes a user route's caller without credentials the superuser; 1.13's sign-up has no caller then,
    and with auto-login on it is refused."""
    client = make_client(skip_auth_auto_login=True)
    assert client.get("/api/v1/users/whoami").json()["username"] == "langflow"
    refused = client.post(USERS, json={"username": "eve", "password": "pw-eve"})
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.SIGNUP_DISABLED})


def test_sign_up_is_open_with_auto_login_off_unless_disabled(make_client: Callable[..., TestClient]) -> None:
    open_server = make_client(auto_login=False, superuser_password="pw-admin")
    assert open_server.post(USERS, json={"username": "eve", "password": "pw-eve"}).status_code == 201
    closed = make_client(auto_login=False, superuser_password="pw-admin", enable_signup=False)
    refused = closed.post(USERS, json={"username": "eve", "password": "pw-eve"})
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.SIGNUP_DISABLED})
    admin = signed_in(closed, "langflow", "pw-admin")
    assert closed.post(USERS, json={"username": "eve", "password": "pw-eve"}, headers=admin).status_code == 201


def test_new_users_may_start_active(make_client: Callable[..., TestClient]) -> None:
    server = make_client(auto_login=False, superuser_password="pw-admin", new_user_is_active=True)
    assert server.post(USERS, json={"username": "eve", "password": "pw-eve"}).json()["is_active"] is True
    assert server.post("/api/v1/login", data={"username": "eve", "password": "pw-eve"}).status_code == 200


def test_a_users_store_key_is_null_until_auto_login_makes_the_superusers_empty(
        make_client: Callable[..., TestClient]) -> None:
    """Langflow leaves a user's store_api_key null, and a login's store-key cookie says so ("None"); only its
    auto-login turns the (auto-login) superuser's into ""."""
    client = make_client()
    admin = admin_of(client)
    created = client.post(USERS, json={"username": "zoe", "password": "pw-zoe"}, headers=admin)
    assert (created.status_code, created.json()["store_api_key"]) == (201, None)
    add(client, admin, "yan")
    login = client.post("/api/v1/login", data={"username": "yan", "password": "pw-yan"})
    assert login.cookies["apikey_tkn_lflw"] == "None"
    client.cookies.clear()
    own = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert client.get(f"{USERS}whoami", headers=own).json()["store_api_key"] is None
    listed = client.get(USERS, headers=admin).json()["users"]
    assert {u["username"]: u["store_api_key"] for u in listed} == {"langflow": "", "yan": None, "zoe": None}
    server = make_client(auto_login=False, superuser_password="pw-admin")
    assert server.get(f"{USERS}whoami", headers=signed_in(server, "langflow", "pw-admin")).json()[
        "store_api_key"] is None


@pytest.mark.parametrize(("version", "anonymous"), [("1.8.4", 201), ("1.7.1", 403)])
def test_older_releases_sign_up_anyone_or_only_a_superusers_additions(make_client: Callable[..., TestClient],
                                                                      version: str, anonymous: int) -> None:
    client = make_client(langflow_version=version)
    answer = client.post(USERS, json={"username": "eve", "password": "pw-eve"})
    assert answer.status_code == anonymous
    assert "location" not in answer.headers
    added = client.post(USERS, json={"username": "ada", "password": "pw-ada"}, headers=admin_of(client))
    assert added.status_code == 201


@pytest.mark.parametrize(("version", "taken"), [("1.13.0", 400), ("1.8.4", 201)])
def test_a_username_in_another_case_is_taken_in_1_13(make_client: Callable[..., TestClient], version: str,
                                                     taken: int) -> None:
    client = make_client(langflow_version=version)
    admin = admin_of(client)
    assert client.post(USERS, json={"username": "eve", "password": "pw"}, headers=admin).status_code == 201
    again = client.post(USERS, json={"username": "EVE", "password": "pw"}, headers=admin)
    assert again.status_code == taken
    if taken == 400:
        assert again.json() == {"detail": errors.USERNAME_UNAVAILABLE}
        bob = client.post(USERS, json={"username": "bob", "password": "pw"}, headers=admin).json()
        renamed = client.patch(f"{USERS}{bob['id']}", json={"username": "Eve"}, headers=admin)
        assert (renamed.status_code, renamed.json()) == (400, {"detail": errors.USERNAME_UNAVAILABLE})
        own_case = client.patch(f"{USERS}{bob['id']}", json={"username": "Bob"}, headers=admin)
        assert own_case.status_code == 200 and own_case.json()["username"] == "Bob"


# --- PATCH /users/{id} ------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_rename_onto_a_taken_username_answers_the_database_error(
        make_client: Callable[..., TestClient], version: str) -> None:
    """Those releases turn the failed UPDATE's IntegrityError into a 400 with its text: the columns that change,
    in the table's order, updated_at always, the values as SQLite gets them and the user's id as hex."""
    client = make_client(langflow_version=version)
    client.app.state.mock.clock.frozen = datetime(2026, 11, 23, 12, 0, 1, 250, tzinfo=UTC)  # type: ignore[attr-defined]
    admin = admin_of(client)
    add(client, admin, "eve")
    bob = add(client, admin, "bob")
    answer = client.patch(f"{USERS}{bob['id']}", json={"username": "eve", "is_active": True,
                                                       "profile_image": "People/a.svg", "optins": {"x": 1}},
                          headers=admin)
    assert (answer.status_code, answer.json()) == (400, {"detail": (
        "(sqlite3.IntegrityError) UNIQUE constraint failed: user.username\n"
        "[SQL: UPDATE user SET username=?, profile_image=?, updated_at=?, optins=? WHERE user.id = ?]\n"
        "[parameters: ('eve', 'People/a.svg', '2026-11-23 12:00:01.000250', '{\"x\": 1}', "
        f"'{UUID(bob['id']).hex}')]\n"
        "(Background on this error at: https://sqlalche.me/e/20/gkpj)")})
    unchanged = [u for u in client.get(USERS, headers=admin).json()["users"] if u["id"] == bob["id"]]
    assert unchanged[0]["username"] == "bob" and unchanged[0]["profile_image"] is None


def test_a_user_edits_itself_but_neither_its_rank_nor_its_password(client: TestClient,
                                                                   key_headers: dict[str, str]) -> None:
    bob = add(client, key_headers, "bob")
    me = signed_in(client, "bob")
    url = f"{USERS}{bob['id']}"
    renamed = client.patch(url, json={"profile_image": "Space/046-rocket.svg", "is_active": True}, headers=me)
    assert renamed.status_code == 200 and renamed.json()["profile_image"] == "Space/046-rocket.svg"
    promoted = client.patch(url, json={"is_superuser": True}, headers=me)
    assert (promoted.status_code, promoted.json()) == (403, {"detail": errors.SUPERUSER_PROMOTION_DENIED})
    assert promoted.headers["x-langflow-error-code"] == "superuser_required"
    password = client.patch(url, json={"password": "new-pw"}, headers=me)
    assert (password.status_code, password.json()) == (400, {"detail": errors.CHANGE_NOT_HERE})
    stay = client.patch(url, json={"is_active": False}, headers=me)
    assert (stay.status_code, stay.json()) == (403, {"detail": errors.SELF_DEACTIVATION})
    langflow = client.get("/api/v1/users/whoami", headers=key_headers).json()
    other = client.patch(f"{USERS}{langflow['id']}", json={"profile_image": "x"}, headers=me)
    assert (other.status_code, other.json()) == (403, {"detail": errors.PERMISSION_DENIED})
    assert other.headers["x-langflow-error-code"] == "administration_denied"
    assert client.post("/api/v1/login", data={"username": "bob", "password": "pw-bob"}).status_code == 200
    assert client.get("/api/v1/users/whoami", headers=me).json()["is_superuser"] is False


def test_a_superuser_sets_passwords_but_cannot_deactivate_itself(client: TestClient,
                                                                 key_headers: dict[str, str]) -> None:
    bob = add(client, key_headers, "bob")
    assert client.patch(f"{USERS}{bob['id']}", json={"password": "pw-new"}, headers=key_headers).status_code == 200
    assert client.post("/api/v1/login", data={"username": "bob", "password": "pw-new"}).status_code == 200
    client.cookies.clear()
    me = client.get("/api/v1/users/whoami", headers=key_headers).json()
    stay = client.patch(f"{USERS}{me['id']}", json={"is_active": False}, headers=key_headers)
    assert (stay.status_code, stay.json()) == (403, {"detail": errors.SELF_DEACTIVATION})
    assert client.get("/api/v1/users/whoami", headers=key_headers).status_code == 200


def test_nulls_and_an_empty_password_leave_a_user_as_it_was(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow's update skips every field sent as null, the nullable ones too."""
    bob = add(client, key_headers, "bob")
    url = f"{USERS}{bob['id']}"
    client.patch(url, json={"profile_image": "People/People Avatar-01-01.svg"}, headers=key_headers)
    kept = client.patch(url, json={"profile_image": None, "optins": None, "password": ""}, headers=key_headers)
    assert kept.status_code == 200
    assert kept.json()["profile_image"] == "People/People Avatar-01-01.svg" and kept.json()["optins"] is not None
    assert client.post("/api/v1/login", data={"username": "bob", "password": "pw-bob"}).status_code == 200


def test_1_7_1_lets_a_superuser_deactivate_itself_and_says_permission_denied(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.7.1")
    admin = admin_of(client)
    bob = add(client, admin, "bob")
    me = signed_in(client, "bob")
    promoted = client.patch(f"{USERS}{bob['id']}", json={"is_superuser": True}, headers=me)
    assert (promoted.status_code, promoted.json()) == (403, {"detail": errors.PERMISSION_DENIED})
    assert "x-langflow-error-code" not in promoted.headers
    langflow = client.get("/api/v1/users/whoami", headers=admin).json()
    assert client.patch(f"{USERS}{langflow['id']}", json={"is_active": False}, headers=admin).status_code == 200


# --- reset-password -------------------------------------------------------------------------------------


def test_1_13_changes_a_password_only_after_checking_the_current_one(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    bob = add(client, key_headers, "bob")
    me = signed_in(client, "bob")
    url = f"{USERS}{bob['id']}/reset-password"
    missing = client.patch(url, json={"password": "pw-2"}, headers=me)
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "current_password"]
    wrong = client.patch(url, json={"current_password": "nope", "password": "pw-2"}, headers=me)
    assert (wrong.status_code, wrong.json()) == (400, {"detail": errors.WRONG_CURRENT})
    same = client.patch(url, json={"current_password": "pw-bob", "password": "pw-bob"}, headers=me)
    assert (same.status_code, same.json()) == (400, {"detail": errors.SAME_AS_CURRENT})
    with_key = client.patch(url, json={"current_password": "pw-bob", "password": "pw-2"}, headers=key_of(client, me))
    assert (with_key.status_code, with_key.json()) == (403, {"detail": errors.SIGN_IN_TO_CHANGE})
    assert with_key.headers["x-langflow-error-code"] == "interactive_login_required"
    theirs = client.patch(f"{USERS}{client.get('/api/v1/users/whoami', headers=key_headers).json()['id']}"
                          "/reset-password", json={"current_password": "pw-bob", "password": "pw-2"}, headers=me)
    assert (theirs.status_code, theirs.json()) == (404, {"detail": errors.NOT_YOUR_ACCOUNT})
    changed = client.patch(url, json={"current_password": "pw-bob", "password": "pw-2"}, headers=me)
    assert changed.status_code == 200 and changed.json()["username"] == "bob"
    assert client.post("/api/v1/login", data={"username": "bob", "password": "pw-bob"}).status_code == 401
    assert client.post("/api/v1/login", data={"username": "bob", "password": "pw-2"}).status_code == 200


@pytest.mark.parametrize(("version", "not_yours"), [("1.8.4", 404), ("1.7.1", 400)])
def test_older_releases_take_a_user_update_body_without_the_current_password(
        make_client: Callable[..., TestClient], version: str, not_yours: int) -> None:
    client = make_client(langflow_version=version)
    admin = admin_of(client)
    bob = add(client, admin, "bob")
    me = signed_in(client, "bob")
    url = f"{USERS}{bob['id']}/reset-password"
    empty = client.patch(url, json={}, headers=me)
    assert (empty.status_code, empty.json()) == (400, {"detail": errors.NEW_ONE_REQUIRED})
    assert client.patch(url, json={"password": "pw-bob"}, headers=me).json() == {"detail": errors.SAME_AS_CURRENT}
    langflow = client.get("/api/v1/users/whoami", headers=admin).json()
    theirs = client.patch(f"{USERS}{langflow['id']}/reset-password", json={"password": "x"}, headers=me)
    assert (theirs.status_code, theirs.json()) == (not_yours, {"detail": errors.NOT_YOUR_ACCOUNT})
    changed = client.patch(url, json={"password": "pw-2", "is_superuser": True}, headers=key_of(client, me))
    assert changed.status_code == 200 and changed.json()["is_superuser"] is False
    assert client.post("/api/v1/login", data={"username": "bob", "password": "pw-2"}).status_code == 200
    body = client.get("/openapi.json").json()["paths"]["/api/v1/users/{user_id}/reset-password"]["patch"]
    assert body["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/UserUpdate"}


TOO_MANY = {"detail": "Too many requests. Please try again later.", "retry_after": "60"}


@pytest.mark.parametrize("enabled", [True, False])
def test_1_13_allows_five_password_changes_a_minute_per_user(make_client: Callable[..., TestClient],
                                                              enabled: bool) -> None:
    # LANGFLOW_RATE_LIMIT_ENABLED does not lift this one: Langflow passes its own limit of 5
    client = make_client(rate_limit_enabled=enabled)
    admin = admin_of(client)
    bob, carol = add(client, admin, "bob"), add(client, admin, "carol")
    me = signed_in(client, "bob")
    url = f"{USERS}{bob['id']}/reset-password"
    change = {"current_password": "pw-bob", "password": "pw-2"}
    # refused before the count: another's account (404), an API key (403); a bad body (422) too
    for _ in range(3):
        assert client.patch(f"{USERS}{carol['id']}/reset-password", json=change, headers=me).status_code == 404
        assert client.patch(url, json=change, headers=key_of(client, me)).status_code == 403
        assert client.patch(url, json={"password": "pw-2"}, headers=me).status_code == 422
    wrong = {"current_password": "nope", "password": "pw-2"}
    assert [client.patch(url, json=wrong, headers=me).status_code for _ in range(5)] == [400] * 5
    refused = client.patch(url, json=change, headers=me)
    assert (refused.status_code, refused.json()) == (429, TOO_MANY)
    assert refused.headers["retry-after"] == "60"
    assert client.post("/api/v1/login", data={"username": "bob", "password": "pw-bob"}).status_code == 200
    theirs = client.patch(f"{USERS}{carol['id']}/reset-password", headers=signed_in(client, "carol"),
                          json={"current_password": "pw-carol", "password": "pw-3"})
    assert theirs.status_code == 200  # counted per user, not per address


def test_1_8_password_changes_are_not_limited(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    bob = add(client, admin_of(client), "bob")
    me = signed_in(client, "bob")
    same = [client.patch(f"{USERS}{bob['id']}/reset-password", json={"password": "pw-bob"}, headers=me).status_code
            for _ in range(7)]
    assert same == [400] * 7


# --- read, list, delete -----------------------------------------------------------------------------------


def test_reading_or_listing_others_needs_a_superuser(client: TestClient, key_headers: dict[str, str]) -> None:
    add(client, key_headers, "bob")
    me = signed_in(client, "bob")
    langflow = client.get("/api/v1/users/whoami", headers=key_headers).json()
    read = client.get(f"{USERS}{langflow['id']}", headers=me)
    assert (read.status_code, read.json()) == (403, {"detail": errors.USER_MANAGE_REQUIRED})
    assert read.headers["x-langflow-error-code"] == "administration_denied"
    listed = client.get(USERS, headers=me)
    assert (listed.status_code, listed.json()) == (403, {"detail": errors.NOT_ENOUGH_PRIVILEGES})
    assert listed.headers["x-langflow-error-code"] == "administration_denied"
    page = client.get(USERS, headers=key_headers).json()
    assert page["deletion_requests"] == {} and page["total_count"] == 2


def test_the_user_lists_operation_id_is_checked_before_the_caller_is_refused(client: TestClient,
                                                                             key_headers: dict[str, str]) -> None:
    """1.13 reads X-Langflow-Operation-ID in the list's administration check itself: one over 128 characters
    fails that check's validation, so it is a 422 whoever calls, where a fitting one lets an ordinary user's
    refusal through."""
    add(client, key_headers, "bob")
    bob = signed_in(client, "bob")
    too_long = {"X-Langflow-Operation-ID": "o" * 129}
    for caller in (bob, key_headers):
        answer = client.get(USERS, headers={**caller, **too_long})
        assert answer.status_code == 422, answer.text
        assert [(e["type"], e["loc"]) for e in answer.json()["detail"]] == [
            ("string_too_long", ["header", "X-Langflow-Operation-ID"])]
    fitting = client.get(USERS, headers={**bob, "X-Langflow-Operation-ID": "o" * 128})
    assert (fitting.status_code, fitting.json()) == (403, {"detail": errors.NOT_ENOUGH_PRIVILEGES})


def test_deleting_a_user_answers_202_with_the_erase_request(client: TestClient, key_headers: dict[str, str]) -> None:
    bob = add(client, key_headers, "bob")
    me = signed_in(client, "bob")
    self_delete = client.delete(f"{USERS}{bob['id']}", headers=me)
    assert (self_delete.status_code, self_delete.json()) == (400, {"detail": errors.SELF_DELETION})
    eve = add(client, key_headers, "eve")
    plain = client.delete(f"{USERS}{eve['id']}", headers=me)
    assert (plain.status_code, plain.json()) == (403, {"detail": errors.PERMISSION_DENIED})
    assert plain.headers["x-langflow-error-code"] == "administration_denied"
    deleted = client.delete(f"{USERS}{bob['id']}", headers=key_headers)
    assert deleted.status_code == 202
    assert deleted.json()["detail"] == "User deletion started" and len(deleted.json()["request_id"]) == 36
    assert client.get(f"{USERS}{bob['id']}", headers=key_headers).status_code == 404
    again = client.delete(f"{USERS}{bob['id']}", headers=key_headers)
    assert (again.status_code, again.json()) == (404, {"detail": errors.USER_NOT_FOUND})


def test_older_releases_delete_at_once(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4")
    admin = admin_of(client)
    bob = add(client, admin, "bob")
    me = signed_in(client, "bob")
    self_delete = client.delete(f"{USERS}{bob['id']}", headers=me)
    assert (self_delete.status_code, self_delete.json()) == (403, {"detail": errors.NOT_ENOUGH_PRIVILEGES})
    deleted = client.delete(f"{USERS}{bob['id']}", headers=admin)
    assert (deleted.status_code, deleted.json()) == (200, {"detail": "User deleted"})
    assert [u["username"] for u in client.get(USERS, headers=admin).json()["users"]] == ["langflow"]
    assert "deletion_requests" not in client.get(USERS, headers=admin).json()


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_releases_page_users_as_sqlite_takes_skip_and_limit(make_client: Callable[..., TestClient],
                                                                  version: str) -> None:
    """Before 1.13 the users list's `skip` and `limit` are plain integers: `limit=0` is an empty page, a limit
    above 200 is fine, a negative limit is no limit and a negative skip starts at the first user."""
    client = make_client(langflow_version=version)
    admin = admin_of(client)
    for name in ("bea", "al"):
        assert client.post(USERS, json={"username": name, "password": f"pw-{name}"}, headers=admin).status_code == 201
    pages = {query: client.get(f"{USERS}?{query}", headers=admin) for query in
             ("limit=0", "limit=500", "limit=-1", "skip=-1&limit=1")}
    assert {q: (r.status_code, r.json()["total_count"], [u["username"] for u in r.json()["users"]])
            for q, r in pages.items()} == {"limit=0": (200, 3, []),
                                           "limit=500": (200, 3, ["langflow", "bea", "al"]),
                                           "limit=-1": (200, 3, ["langflow", "bea", "al"]),
                                           "skip=-1&limit=1": (200, 3, ["langflow"])}


@pytest.mark.parametrize(("version", "status", "body"), [
    ("1.13.0", 400, {"detail": "API Key not found"}),
    ("1.8.4", 400, {"detail": "API Key not found"}),
    ("1.7.1", 200, {"detail": "API Key deleted"}),
])
def test_deleting_another_users_api_key(make_client: Callable[..., TestClient], version: str, status: int,
                                        body: dict[str, str]) -> None:
    """1.13 and 1.8 delete only the caller's own keys; 1.7.1 looks the key up by id alone, so any signed-in
    user deletes anyone's, and the key stops working."""
    client = make_client(langflow_version=version)
    admin = admin_of(client)
    add(client, admin, "bob")
    bobs = key_of(client, signed_in(client, "bob"))
    bobs_id = client.get("/api/v1/api_key/", headers=bobs).json()["api_keys"][0]["id"]
    deleted = client.delete(f"/api/v1/api_key/{bobs_id}", headers=admin)
    assert (deleted.status_code, deleted.json()) == (status, body)
    assert client.get(f"{USERS}whoami", headers=bobs).status_code == (200 if status == 400 else 403)


@pytest.mark.parametrize(("version", "httponly"), [("1.13.0", True), ("1.8.4", False), ("1.7.1", False)])
def test_a_store_api_key_is_kept_encrypted_on_the_user(make_client: Callable[..., TestClient], version: str,
                                                       httponly: bool) -> None:
    """POST /api/v1/api_key/store keeps a Langflow Store key on the caller as a Fernet token: the answer says
    so, the store-key cookie carries the token, and the user's `store_api_key` (and a later login's cookie)
    shows it; the body needs `api_key`."""
    client = make_client(langflow_version=version)
    admin = admin_of(client)
    add(client, admin, "bob")
    bob = signed_in(client, "bob")
    missing = client.post("/api/v1/api_key/store", json={}, headers=bob)
    assert (missing.status_code, missing.json()["detail"][0]["loc"]) == (422, ["body", "api_key"])
    saved = client.post("/api/v1/api_key/store", json={"api_key": "store-key"}, headers=bob)
    assert (saved.status_code, saved.json()) == (200, {"detail": "API Key saved"})
    cookie = saved.headers["set-cookie"]
    assert cookie.startswith('apikey_tkn_lflw="gAAAAA') and ("HttpOnly" in cookie) is httponly
    client.cookies.clear()
    stored = client.get(f"{USERS}whoami", headers=bob).json()["store_api_key"]
    assert stored.startswith("gAAAAA") and stored != "store-key"
    login = client.post("/api/v1/login", data={"username": "bob", "password": "pw-bob"})
    assert login.cookies["apikey_tkn_lflw"].strip('"') == stored


def test_an_api_key_in_the_query_counts_before_the_headers(client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow takes `?x-api-key=` first when both carry a key, on user routes and on /run alike."""
    key = key_headers["x-api-key"]
    wrong = "sk-" + "x" * 43
    query_wrong = client.get(f"{USERS}whoami", params={"x-api-key": wrong}, headers=key_headers)
    assert (query_wrong.status_code, query_wrong.json()) == (403, {"detail": "Invalid API key"})
    assert client.get(f"{USERS}whoami", params={"x-api-key": key}, headers={"x-api-key": wrong}).status_code == 200
    run = client.post(f"/api/v1/run/{'0' * 8}-0000-4000-8000-{'0' * 12}", params={"x-api-key": wrong},
                      headers=key_headers, json={})
    assert (run.status_code, run.json()) == (403, {"detail": "Invalid or missing API key"})


def test_a_new_users_optins_are_kept_as_sent(client: TestClient, key_headers: dict[str, str]) -> None:
    """POST /users/ stores the body's `optins` (Langflow's three flags when left out, null when sent null)."""
    sent = {"github_starred": True, "tour": "done"}
    made = {name: client.post(USERS, json={"username": name, "password": "pw", **body}, headers=key_headers)
            for name, body in (("ann", {"optins": sent}), ("ben", {"optins": None}), ("cid", {}))}
    assert {name: (r.status_code, r.json()["optins"]) for name, r in made.items()} == {
        "ann": (201, sent), "ben": (201, None),
        "cid": (201, {"github_starred": False, "dialog_dismissed": False, "discord_clicked": False})}


def test_a_last_login_time_without_a_zone_is_utc(client: TestClient, key_headers: dict[str, str]) -> None:
    """PATCH /users/{id} reads a `last_login_at` without a zone as UTC (not a 500), and answers it as pydantic
    writes a UTC time: no fraction for whole seconds, a four-digit year (the fuzz found year 601 answered as
    '601-...', no date-time)."""
    user = client.post(USERS, json={"username": "zed", "password": "pw"}, headers=key_headers).json()
    for sent in ("2020-01-01", "2020-01-01T00:00:00", "2020-01-01T02:00:00+02:00"):
        patched = client.patch(f"{USERS}{user['id']}", json={"last_login_at": sent}, headers=key_headers)
        assert (patched.status_code, patched.json()["last_login_at"]) == (200, "2020-01-01T00:00:00Z")
    for sent, shown in (("0601-08-06T19:27:18-02:49", "0601-08-06T22:16:18Z"),
                        ("2020-01-01T00:00:00.25Z", "2020-01-01T00:00:00.250000Z")):
        patched = client.patch(f"{USERS}{user['id']}", json={"last_login_at": sent}, headers=key_headers)
        assert (patched.status_code, patched.json()["last_login_at"]) == (200, shown)
    beyond = client.patch(f"{USERS}{user['id']}", json={"last_login_at": "9999-12-31T23:59:59-05:00"},
                          headers=key_headers)
    assert (beyond.status_code, beyond.json()["detail"][0]["loc"]) == (422, ["body", "last_login_at"])


def test_with_authorization_audit_on_the_user_routes_record_changes_and_refusals(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(authz_audit_enabled=True)
    admin = admin_of(client)
    admin_id = client.get("/api/v1/users/whoami", headers=admin).json()["id"]
    bob = add(client, admin, "bob")  # created inactive, then activated
    me = signed_in(client, "bob")
    assert client.get(USERS, headers=me).status_code == 403
    assert client.patch(f"{USERS}{bob['id']}", json={"is_superuser": True}, headers=me).status_code == 403
    assert client.patch(f"{USERS}{bob['id']}", json={"is_active": False}, headers=admin).status_code == 200
    assert client.delete(f"{USERS}{admin_id}", headers=admin).status_code == 400
    rows = list(reversed(client.get("/api/v1/authz/audit", params={"resource_type": "user"},
                                    headers=admin).json()["items"]))
    assert [(r["action"], r["result"], r["resource_id"], r["user_id"]) for r in rows] == [
        ("user:create", "allow", bob["id"], admin_id), ("user:update", "allow", bob["id"], admin_id),
        ("user:read", "deny", None, bob["id"]), ("user:update", "deny", bob["id"], bob["id"]),
        ("user:update", "allow", bob["id"], admin_id), ("user:delete", "deny", admin_id, admin_id)]
    clean = [{k: v for k, v in r["details"].items() if k not in ("request_id", "api_key_id", "api_key_source")}
             for r in rows]
    assert clean == [
        {"event": "mutation", "created_by": "admin", "source": "manual", "auth_method": "api_key"},
        {"event": "mutation", "fields_changed": ["is_active"], "lifecycle_kind": None, "source": "manual",
         "auth_method": "api_key"},
        {"event": "access", "status_code": 403, "reason": "administration_required", "source": "manual",
         "auth_method": "jwt"},
        {"event": "access", "status_code": 403, "reason": "superuser_required", "fields_changed": ["is_superuser"],
         "source": "manual", "auth_method": "jwt"},
        {"event": "mutation", "fields_changed": ["is_active"], "lifecycle_kind": "user.disabled", "source": "manual",
         "auth_method": "api_key"},
        {"event": "access", "status_code": 400, "reason": "self_deletion_forbidden", "source": "manual",
         "auth_method": "api_key"}]
