"""1.13's integration connections (/api/v1/connections) and integration catalog (/api/v1/integrations), as a
community install answers them: connections kept with their credentials sealed and never shown, Langflow's
ownership rules and health checks (no provider called), no OAuth registration, no integration loaded."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, new_api_key, other_user_key

URL = "/api/v1/connections"
START = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
TOKEN = "gho_secret-token-value"


def connect(client: TestClient, headers: dict[str, str], expect: int = 201, **fields: Any) -> Any:
    body = {"provider_key": "github", "name": "my_github", "display_name": "My GitHub",
            "executing_identity": {"identity": "user_delegated"}, **fields}
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == expect, response.text
    return response.json()


@pytest.fixture
def bob(client: TestClient, key_headers: dict[str, str]) -> dict[str, str]:
    return {"x-api-key": other_user_key(client, key_headers)}


def test_a_connection_reads_back_with_langflows_fields_and_never_its_credential(client: TestClient,
                                                                               key_headers: dict[str, str]) -> None:
    client.app.state.mock.clock.frozen = START  # type: ignore[attr-defined]
    made = connect(client, key_headers, display_name="  My GitHub ", granted_scopes=[" repo", "read:org"],
                   credentials={"access_token": TOKEN, "refresh_token": "gho_refresh"})
    owner = client.get("/api/v1/users/whoami", headers=key_headers).json()["id"]
    assert made == {"id": made["id"], "owner_id": owner, "ownership_mode": "user", "provider_key": "github",
                    "name": "my_github", "display_name": "My GitHub", "status": "ready", "status_reason": None,
                    "health": "unknown", "granted_scopes": ["repo", "read:org"],
                    "executing_identity": {"identity": "user_delegated", "account": None},
                    "allow_non_interactive": False, "has_credentials": True, "health_checked_at": None,
                    "created_at": "2026-03-04T05:06:07.123456", "updated_at": "2026-03-04T05:06:07.123456"}
    listed = client.get(URL, headers=key_headers)
    assert listed.status_code == 200
    assert listed.json() == [made]
    assert TOKEN not in listed.text and "gho_refresh" not in listed.text
    # without a credential it waits for one
    pending = connect(client, key_headers, name="other", display_name="Another")
    assert (pending["status"], pending["has_credentials"]) == ("pending", False)
    assert [c["name"] for c in client.get(URL, params={"provider": "github"}, headers=key_headers).json()] == [
        "other", "my_github"]  # by display name
    assert client.get(URL, params={"provider": "slack"}, headers=key_headers).json() == []


def test_the_credential_is_stored_sealed(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    client = make_client(ephemeral=False, data_dir=tmp_path / "kept")
    headers = {"x-api-key": other_user_key(client, {"Authorization": "Bearer " + client.get(
        "/api/v1/auto_login").json()["access_token"]})}
    client.cookies.clear()
    connect(client, headers, credentials={"access_token": TOKEN})
    client.app.state.mock.store.db.flush()  # type: ignore[attr-defined]
    database = next((tmp_path / "kept").rglob("*.db"))
    with closing(sqlite3.connect(database)) as db, db:
        (payload,) = db.execute("SELECT encrypted_payload FROM connection_secret").fetchone()
    assert payload.startswith("gAAAAA") and TOKEN not in payload


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "My-GitHub"}, "String should match pattern '^[a-z0-9]+(?:_[a-z0-9]+)*$'"),
    ({"provider_key": "-github"}, "String should match pattern '^[a-z0-9][a-z0-9._-]*$'"),
    ({"display_name": "   "}, "Value error, display_name must not be blank"),
    ({"granted_scopes": ["repo", "repo "]}, "Value error, granted_scopes must not contain duplicates"),
    ({"granted_scopes": ["repo", " "]}, "Value error, granted_scopes must not contain blank values"),
    ({"executing_identity": {"identity": "robot"}}, "Input should be 'user_delegated', 'bot' or 'service'"),
    ({"credentials": {"access_token": ""}}, "Value should have at least 1 item after validation, not 0"),
    ({"secret": "x"}, "Extra inputs are not permitted"),
])
def test_a_connection_is_checked_as_langflow_checks_it(client: TestClient, key_headers: dict[str, str],
                                                        fields: dict[str, Any], message: str) -> None:
    refused = connect(client, key_headers, 422, **fields)
    assert message in [error["msg"] for error in refused["detail"]]
    assert client.get(URL, headers=key_headers).json() == []


def test_a_handle_is_unique_per_owner_and_per_instance(client: TestClient, key_headers: dict[str, str],
                                                        bob: dict[str, str]) -> None:
    connect(client, key_headers)
    assert connect(client, key_headers, 409) == {"detail": "A connection with this provider and name already exists"}
    connect(client, bob)  # another owner's handle
    connect(client, key_headers, ownership_mode="instance")  # the instance's own
    assert connect(client, key_headers, 409, ownership_mode="instance")["detail"].startswith("A connection with")


def test_only_a_superuser_makes_or_changes_an_instance_connection_which_everyone_sees(
        client: TestClient, key_headers: dict[str, str], bob: dict[str, str]) -> None:
    assert connect(client, bob, 403, ownership_mode="instance") == {
        "detail": "Only a superuser may create an instance connection."}
    shared = connect(client, key_headers, ownership_mode="instance", credentials={"access_token": TOKEN})
    assert (shared["owner_id"], shared["ownership_mode"]) == (None, "instance")
    assert [c["id"] for c in client.get(URL, headers=bob).json()] == [shared["id"]]
    refusal = {"detail": "Only a superuser may change or remove an instance connection."}
    for method, path in (("PATCH", ""), ("POST", "/revoke"), ("DELETE", ""), ("POST", "/oauth/start")):
        body = {"display_name": "x"} if method == "PATCH" else {"registration_id": "gh", "scopes": ["repo"]}
        response = client.request(method, f"{URL}/{shared['id']}{path}", json=body, headers=bob)
        assert (response.status_code, response.json()) == (403, refusal), path
    tested = client.post(f"{URL}/{shared['id']}/health", headers=bob)  # using it is everyone's
    assert (tested.status_code, tested.json()["health"]) == (200, "healthy")


def test_another_users_connection_is_not_found_except_for_a_superuser(client: TestClient,
                                                                      key_headers: dict[str, str],
                                                                      bob: dict[str, str]) -> None:
    mine = connect(client, key_headers)
    for method, path in (("PATCH", ""), ("POST", "/test"), ("POST", "/health"), ("POST", "/revoke"),
                         ("DELETE", ""), ("POST", "/oauth/start")):
        body = {"display_name": "x"} if method == "PATCH" else {"registration_id": "gh", "scopes": ["a"]}
        response = client.request(method, f"{URL}/{mine['id']}{path}", json={} if path == "/test" else body,
                                  headers=bob)
        assert (response.status_code, response.json()) == (404, {"detail": "Connection not found"}), path
    assert client.get(URL, headers=bob).json() == []
    theirs = connect(client, bob)
    assert {c["id"] for c in client.get(URL, headers=key_headers).json()} == {mine["id"], theirs["id"]}
    renamed = client.patch(f"{URL}/{theirs['id']}", json={"display_name": "Bob's"}, headers=key_headers)
    assert (renamed.status_code, renamed.json()["display_name"]) == (200, "Bob's")
    # widening it to unattended runs is the owner's call alone
    widened = client.patch(f"{URL}/{theirs['id']}", json={"allow_non_interactive": True}, headers=key_headers)
    assert (widened.status_code, widened.json()) == (403, {
        "detail": "Only the connection owner may allow non-interactive use."})
    own = client.patch(f"{URL}/{theirs['id']}", json={"allow_non_interactive": True}, headers=bob)
    assert (own.status_code, own.json()["allow_non_interactive"]) == (200, True)
    narrowed = client.patch(f"{URL}/{theirs['id']}", json={"allow_non_interactive": False}, headers=key_headers)
    assert narrowed.json()["allow_non_interactive"] is False


@pytest.mark.parametrize(("body", "message"), [
    ({}, "Value error, Provide display_name or allow_non_interactive"),
    ({"display_name": None}, "Value error, display_name and allow_non_interactive must not be null"),
    ({"name": "renamed"}, "Extra inputs are not permitted"),
])
def test_an_update_changes_something_and_only_what_it_may(client: TestClient, key_headers: dict[str, str],
                                                           body: dict[str, Any], message: str) -> None:
    made = connect(client, key_headers)
    refused = client.patch(f"{URL}/{made['id']}", json=body, headers=key_headers)
    assert refused.status_code == 422
    assert message in [error["msg"] for error in refused.json()["detail"]]


def test_a_health_check_decides_from_the_stored_credential(client: TestClient, key_headers: dict[str, str]) -> None:
    client.app.state.mock.clock.frozen = START  # type: ignore[attr-defined]
    live = connect(client, key_headers, granted_scopes=["repo"], credentials={"access_token": TOKEN})
    checked = client.post(f"{URL}/{live['id']}/health", headers=key_headers)
    assert checked.status_code == 200
    assert {k: checked.json()[k] for k in ("status", "health", "health_checked_at", "updated_at")} == {
        "status": "ready", "health": "healthy", "health_checked_at": "2026-03-04T05:06:07.123456",
        "updated_at": "2026-03-04T05:06:07.123456"}
    # a scope it was not granted makes it unhealthy, still ready
    missing = client.post(f"{URL}/{live['id']}/test", json={"required_scopes": ["repo", "admin:org"]},
                          headers=key_headers).json()
    assert (missing["status"], missing["health"]) == ("ready", "unhealthy")
    assert client.post(f"{URL}/{live['id']}/test", json={"required_scopes": ["REPO"]},
                       headers=key_headers).json()["health"] == "healthy"
    twice = client.post(f"{URL}/{live['id']}/test", json={"required_scopes": ["a", "a"]}, headers=key_headers)
    assert twice.json()["detail"][0]["msg"] == "Value error, required_scopes must contain unique, non-blank values"
    # an expiry passed
    old = connect(client, key_headers, name="old", credentials={"access_token": TOKEN,
                                                               "expires_at": "2026-03-04T05:06:07Z"})
    assert {k: v for k, v in client.post(f"{URL}/{old['id']}/health", headers=key_headers).json().items()
            if k in ("status", "health")} == {"status": "expired", "health": "unhealthy"}
    # none kept yet: unhealthy, still pending
    pending = connect(client, key_headers, name="pending")
    answer = client.post(f"{URL}/{pending['id']}/health", headers=key_headers).json()
    assert (answer["status"], answer["status_reason"], answer["health"]) == ("pending", None, "unhealthy")


def test_google_scopes_are_matched_under_their_aliases(client: TestClient, key_headers: dict[str, str]) -> None:
    made = connect(client, key_headers, provider_key="google", credentials={"access_token": TOKEN},
                   granted_scopes=["https://www.googleapis.com/auth/userinfo.email",
                                   "https://www.googleapis.com/auth/gmail.readonly"])
    answer = client.post(f"{URL}/{made['id']}/test", json={"required_scopes": ["email", "gmail.readonly"]},
                         headers=key_headers)
    assert answer.json()["health"] == "healthy"


def test_revoking_drops_the_credential_and_deleting_the_connection(client: TestClient,
                                                                   key_headers: dict[str, str]) -> None:
    made = connect(client, key_headers, credentials={"access_token": TOKEN})
    revoked = client.post(f"{URL}/{made['id']}/revoke", headers=key_headers)
    assert revoked.status_code == 200
    assert {k: revoked.json()[k] for k in ("status", "health", "has_credentials", "provider_revocation")} == {
        "status": "revoked", "health": "unhealthy", "has_credentials": False, "provider_revocation": "not_applicable"}
    after = client.post(f"{URL}/{made['id']}/health", headers=key_headers).json()
    assert (after["status"], after["health"]) == ("revoked", "unhealthy")
    slack = connect(client, key_headers, provider_key="slack", credentials={"access_token": "xoxb-1"})
    assert client.post(f"{URL}/{slack['id']}/revoke", headers=key_headers).json()["provider_revocation"] == "revoked"
    deleted = client.delete(f"{URL}/{made['id']}", headers=key_headers)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert client.delete(f"{URL}/{made['id']}", headers=key_headers).status_code == 404
    assert [c["id"] for c in client.get(URL, headers=key_headers).json()] == [slack["id"]]


def test_slack_app_level_tokens_follow_langflows_rules(client: TestClient, key_headers: dict[str, str]) -> None:
    bot = {"identity": "bot"}
    app = connect(client, key_headers, provider_key="slack", executing_identity=bot, granted_scopes=["chat:write"],
                  credentials={"access_token": "xapp-1-A"})
    assert app["granted_scopes"] == ["connections:write"]  # set by the server, whatever was sent
    client.app.state.mock.clock.frozen = START  # type: ignore[attr-defined]
    checked = client.post(f"{URL}/{app['id']}/health", headers=key_headers).json()
    assert (checked["status"], checked["health"]) == ("ready", "unknown")  # only the listener may use it
    # (its updated_at left to the column's onupdate: SQLite's CURRENT_TIMESTAMP, whole seconds)
    assert (checked["health_checked_at"], checked["updated_at"]) == ("2026-03-04T05:06:07.123456",
                                                                     "2026-03-04T05:06:07")
    cases = [({"ownership_mode": "instance", "executing_identity": bot},
              "An app-level token backs your own Slack triggers, so it must be your own connection."),
             ({}, "A Slack app-level token acts as the app, so its identity must be 'bot'."),
             ({"executing_identity": bot, "credentials": {"access_token": "xapp-2", "refresh_token": "r"}},
              "Slack app-level tokens neither expire nor refresh; remove refresh_token and expires_at."),
             ({"credentials": {"access_token": "xoxb-2"}, "granted_scopes": ["connections:write"]},
              "The connections:write scope belongs to Slack app-level tokens (xapp-) only.")]
    for fields, message in cases:
        body = {"credentials": {"access_token": "xapp-2"}, **fields}
        assert connect(client, key_headers, 422, provider_key="slack", name="other", **body) == {"detail": message}


def test_oauth_consent_is_refused_without_a_configured_registration(client: TestClient,
                                                                    key_headers: dict[str, str]) -> None:
    made = connect(client, key_headers)
    registrations = client.get(f"{URL}/oauth/registrations", headers=key_headers)
    assert (registrations.status_code, registrations.json()) == (200, {"registrations": []})
    assert registrations.headers["cache-control"] == "no-store"
    started = client.post(f"{URL}/{made['id']}/oauth/start", json={"registration_id": "github", "scopes": ["repo"]},
                          headers=key_headers)
    assert (started.status_code, started.json()) == (400, {"detail": "OAuth registration ID is not configured."})
    bad = client.post(f"{URL}/{made['id']}/oauth/start", json={"registration_id": "GitHub", "scopes": []},
                      headers=key_headers)
    assert bad.status_code == 422


def test_a_provider_callback_without_a_consent_fails_with_langflows_page(client: TestClient) -> None:
    state = "s" * 43  # no sign-in: the state and the browser's cookie stand for it
    answer = client.get(f"{URL}/oauth/google/callback", params={"state": state, "code": "c"})
    assert (answer.status_code, answer.text) == (400, "OAuth authorization failed. Return to connections and "
                                                      "start again.")
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert {k: answer.headers[k] for k in ("cache-control", "referrer-policy", "content-security-policy")} == {
        "cache-control": "no-store", "referrer-policy": "no-referrer",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'"}
    cookie = "lf_connection_oauth_" + hashlib.sha256(state.encode()).hexdigest()[:24]
    assert answer.headers["set-cookie"].startswith(f'{cookie}=""; expires=')
    assert "Max-Age=0; Path=/api/v1/connections/oauth; SameSite=lax" in answer.headers["set-cookie"]
    handoff = client.get(f"{URL}/oauth/microsoft/browser", params={"state": state, "handoff": state})
    assert (handoff.status_code, handoff.text) == (400, answer.text)
    assert "set-cookie" not in handoff.headers


def test_the_integration_catalog_is_empty_and_unrestricted(client: TestClient, key_headers: dict[str, str],
                                                           bob: dict[str, str]) -> None:
    listed = client.get("/api/v1/integrations", headers=key_headers)
    assert (listed.status_code, listed.json()) == (200, {"providers": [], "deployment_context": "self_managed"})
    assert client.get("/api/v1/integrations/", params={"include_blocked": True}, headers=key_headers).json() == {
        "providers": [], "deployment_context": "self_managed"}
    refused = client.get("/api/v1/integrations", params={"include_blocked": True}, headers=bob)
    assert (refused.status_code, refused.json()) == (403, {"detail": "Only superusers can include blocked "
                                                                     "integrations."})
    policy = client.get("/api/v1/integrations/policy/effective", headers=bob)
    assert (policy.status_code, policy.json()) == (200, {
        "approved_provider_ids": [], "blocked_action_keys": [], "loaded_provider_ids": [], "unrestricted": True,
        "managed_externally": False, "policy_revision": 1})  # (the policy bundle's first revision)
    assert client.get("/api/v1/integrations", params={"provider": "Bad"}, headers=key_headers).status_code == 422


def test_catalog_reads_take_a_flow_or_a_project_of_the_callers(client: TestClient, key_headers: dict[str, str],
                                                                bob: dict[str, str],
                                                                chat_flow: dict[str, Any]) -> None:
    flow_id = create_flow(client, key_headers, chat_flow)["id"]
    for path in ("/api/v1/integrations", "/api/v1/integrations/policy/effective", f"{URL}/oauth/registrations"):
        assert client.get(path, params={"flow_id": flow_id}, headers=key_headers).status_code == 200
        both = client.get(path, params={"flow_id": flow_id, "project_id": str(uuid4())}, headers=key_headers)
        assert (both.status_code, both.json()) == (422, {"detail": "Provide either flow_id or project_id, not both"})
        foreign = client.get(path, params={"flow_id": flow_id}, headers=bob)
        assert (foreign.status_code, foreign.json()) == (404, {"detail": "Flow not found"})


def test_a_trigger_may_use_its_owners_own_connection_only(client: TestClient, key_headers: dict[str, str],
                                                          bob: dict[str, str], chat_flow: dict[str, Any]) -> None:
    flow_id = create_flow(client, key_headers, chat_flow)["id"]
    mine = connect(client, key_headers)
    shared = connect(client, key_headers, name="shared", ownership_mode="instance")
    theirs = connect(client, bob)
    body = {"name": "t", "kind": "inbound_webhook", "flow_id": flow_id}
    made = client.post("/api/v1/triggers", json={**body, "connection_id": mine["id"]}, headers=key_headers)
    assert (made.status_code, made.json()["connection_id"]) == (201, mine["id"])
    for other in (shared["id"], theirs["id"], str(uuid4())):
        refused = client.post("/api/v1/triggers", json={**body, "connection_id": other}, headers=key_headers)
        assert refused.status_code == 422 and refused.json()["detail"].startswith("A trigger can only use")


def test_a_reset_and_a_users_deletion_take_their_connections(client: TestClient, key_headers: dict[str, str],
                                                              bob: dict[str, str]) -> None:
    connect(client, bob, credentials={"access_token": TOKEN})
    bob_id = client.get("/api/v1/users/whoami", headers=bob).json()["id"]
    assert client.delete(f"/api/v1/users/{bob_id}", headers=key_headers).status_code == 202
    assert client.get(URL, headers=key_headers).json() == []
    connect(client, key_headers)
    assert client.post("/_mock/reset", json={"parts": ["variables"]}, headers=key_headers).status_code == 200
    assert client.get(URL, headers=key_headers).json() == []



def test_a_builders_erase_counts_their_connections_and_credentials(make_client: Callable[..., TestClient]) -> None:
    client = make_client(data_subject_requests=True)
    admin = {"Authorization": "Bearer " + client.get("/api/v1/auto_login").json()["access_token"]}
    client.cookies.clear()
    bob = {"x-api-key": other_user_key(client, admin)}
    connect(client, bob, credentials={"access_token": TOKEN})
    connect(client, bob, name="pending")
    shared = connect(client, admin, ownership_mode="instance")  # the instance's stays
    erased = client.post("/api/v1/data-subjects/erase", json={"subject_type": "builder", "username": "bob"},
                         headers=admin)
    assert erased.status_code == 202, erased.text
    done = client.get(f"/api/v1/data-subjects/requests/{erased.json()['id']}", headers=admin).json()
    assert done["counts"]["connections"] == 3  # one credential, then two connections
    assert [c["id"] for c in client.get(URL, headers=admin).json()] == [shared["id"]]


def test_langflows_rate_limits_hold_per_user_and_route(client: TestClient, key_headers: dict[str, str],
                                                       bob: dict[str, str]) -> None:
    made = connect(client, key_headers, ownership_mode="instance")
    health = f"{URL}/{made['id']}/health"
    assert [client.post(health, headers=key_headers).status_code for _ in range(6)] == [200] * 5 + [429]
    refused = client.post(health, headers=key_headers)
    assert refused.json() == {"detail": "Too many requests. Please try again later.", "retry_after": "60"}
    assert refused.headers["retry-after"] == "60"
    assert client.post(health, headers=bob).status_code == 200  # another user's counter
    assert client.post(f"{URL}/{made['id']}/test", json={}, headers=key_headers).status_code == 200  # its own
    renames = [client.patch(f"{URL}/{made['id']}", json={"display_name": f"n{i}"}, headers=key_headers).status_code
               for i in range(30)]
    assert renames == [200] * 29 + [429]  # the create counted as a write too


def test_the_connection_allowances_are_the_settings(make_client: Callable[..., TestClient]) -> None:
    """A deployment that polls harder (or a test of the client's back-off) sets
    LANGFLOW_CONNECTION_METADATA_RATE_LIMIT_PER_MINUTE and LANGFLOW_CONNECTION_WRITE_RATE_LIMIT_PER_MINUTE."""
    client = make_client(connection_metadata_rate_limit_per_minute=3, connection_write_rate_limit_per_minute=2)
    headers = {"x-api-key": new_api_key(client)}
    assert [client.get(URL, headers=headers).status_code for _ in range(4)] == [200] * 3 + [429]
    made = connect(client, headers, ownership_mode="instance")  # the first write
    renames = [client.patch(f"{URL}/{made['id']}", json={"display_name": f"n{i}"}, headers=headers).status_code
               for i in range(2)]
    assert renames == [200, 429]


def test_the_oauth_pages_rate_limit_answers_langflows_page(client: TestClient) -> None:
    codes = [client.get(f"{URL}/oauth/slack/callback").status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]
    page = client.get(f"{URL}/oauth/slack/callback")
    assert page.text == ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many OAuth attempts'
                         "</title></head><body><h1>Too many OAuth attempts</h1><p>Wait about 60 seconds, then "
                         "return to Settings &rarr; Connections and start again.</p></body></html>")
    assert (page.headers["retry-after"], page.headers["cache-control"]) == ("60", "no-store")
    assert client.get(f"{URL}/oauth/slack/browser").status_code == 400  # a counter of its own


def test_with_rate_limits_off_the_login_sized_routes_take_10000(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_enabled=False)
    assert {client.get(f"{URL}/oauth/google/callback").status_code for _ in range(8)} == {400}

@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_releases_have_no_connections(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    for path in (URL, "/api/v1/integrations"):
        response = client.get(path)
        # 1.8's 404; 1.7.1 answers a path it does not serve with its frontend page
        assert response.status_code == 404 or response.headers["content-type"].startswith("text/html")
        assert path not in client.get("/openapi.json").json()["paths"]


def test_the_effective_integration_policy_follows_the_policy_bundle(client: TestClient, key_headers: dict[str, str],
                                                                    bob: dict[str, str]) -> None:
    bundle = client.get("/api/v1/policy-bundle", headers=key_headers).json()
    written = client.put("/api/v1/policy-bundle", headers=key_headers, json={
        "expected_revision": bundle["revision"], "approved_provider_ids": [], "blocked_component_keys": [],
        "blocked_template_keys": [], "approved_integration_provider_ids": ["slack"],
        "blocked_integration_action_keys": ["integrations.slack.post_message"]})
    assert written.status_code == 200, written.text
    url = "/api/v1/integrations/policy/effective"
    admin = client.get(url, headers=key_headers).json()
    assert admin == {"approved_provider_ids": [], "blocked_action_keys": ["integrations.slack.post_message"],
                     "loaded_provider_ids": [], "unrestricted": False, "managed_externally": False,
                     "policy_revision": written.json()["revision"]}
    assert client.get(url, headers=bob).json()["blocked_action_keys"] == []  # an operator's list only
