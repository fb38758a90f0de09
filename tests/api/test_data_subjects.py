"""1.13's data subject (GDPR) routes (Langflow's api/v1/data_subjects.py, data_subjects_self.py and
services/data_subjects/), behind LANGFLOW_FEATURE_DATA_SUBJECT_REQUESTS."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_DNS, UUID, uuid4, uuid5

import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app
from mock_langflow.store.models import MessageRow
from mock_langflow.store.run_records import TransactionRow
from tests.conftest import auto_login_token, create_flow, other_user_key

BASE = "/api/v1/data-subjects"
UNKNOWN = "8f6b7a52-2a5c-4c55-9a2e-0d4f5c8b7e10"  # no request has it (a fixed id: xdist workers collect alike)
OPERATIONS = [("post", f"{BASE}/requests"), ("get", f"{BASE}/requests"), ("get", f"{BASE}/requests/{UNKNOWN}"),
              ("get", f"{BASE}/requests/{UNKNOWN}/dry-run"), ("post", f"{BASE}/requests/{UNKNOWN}/approve"),
              ("post", f"{BASE}/requests/{UNKNOWN}/refuse"), ("post", f"{BASE}/requests/{UNKNOWN}/retry"),
              ("get", f"{BASE}/requests/{UNKNOWN}/export"), ("get", f"{BASE}/end-users"), ("post", f"{BASE}/find"),
              ("post", f"{BASE}/erase"), ("get", "/api/v1/users/me/deletion-request"),
              ("post", "/api/v1/users/me/deletion-request"), ("delete", "/api/v1/users/me/deletion-request"),
              ("get", "/api/v1/users/me/data-export")]
# lfx's message owner of an end-user id that is not a UUID
END_USER_NAMESPACE = uuid5(NAMESPACE_DNS, "end-user.serving.langflow.ai")


@pytest.fixture
def on(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(data_subject_requests=True)


@pytest.fixture
def admin(on: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {auto_login_token(on)}"}


def bob(client: TestClient, admin: dict[str, str], username: str = "bob") -> tuple[str, dict[str, str]]:
    """A second, ordinary user: their id and the headers of their API key."""
    key = other_user_key(client, admin, username)
    me = client.get("/api/v1/users/whoami", headers={"x-api-key": key}).json()
    return me["id"], {"x-api-key": key}


def signed_in(client: TestClient, username: str) -> dict[str, str]:
    login = client.post("/api/v1/login", data={"username": username, "password": f"pw-{username}"})
    client.cookies.clear()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def ask(client: TestClient, headers: dict[str, str], **ref: Any) -> Any:
    return client.post(f"{BASE}/requests", json=ref, headers=headers)


def refusal(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    if status == 404:  # Langflow's 404 handler answers a dict detail at the top level, without the error's headers
        assert "x-langflow-error-code" not in response.headers
        detail: dict[str, Any] = response.json()
    else:
        assert response.headers["x-langflow-error-code"] == code
        detail = response.json()["detail"]
    assert detail["code"] == code
    return detail


def end_user_message(client: TestClient, end_user: str, session: str, text: str,
                     flow_id: UUID | None = None) -> None:
    """A message an app's end user left through a flow, stored as 1.13 stores it: owned by the end user's derived
    id, in a session named after them."""
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    with store.db.session() as s:
        s.add(MessageRow(id=uuid4(), flow_id=flow_id or uuid4(), user_id=uuid5(END_USER_NAMESPACE, end_user),
                         session_id=f"{end_user}::{session}", timestamp=datetime.now(UTC), sender="User",
                         sender_name="User", text=text))


def end_user_run(client: TestClient, end_user: str, session: str) -> None:
    """A vertex's run record of the end user's session (its inputs name the session)."""
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    with store.db.session() as s:
        s.add(TransactionRow(id=uuid4(), flow_id=uuid4(), vertex_id="ChatInput-aB1cD", timestamp=datetime.now(UTC),
                             inputs={"session_id": f"{end_user}::{session}", "input_value": "hello"}))


def unzip(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name) for name in archive.namelist()}


# --- the flag ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_off_by_default_every_route_answers_as_unmounted(client: TestClient, method: str, path: str) -> None:
    # the flag is checked before the caller's credentials and before the body or query are read
    response = client.request(method, path)
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_the_flag_shows_in_config_and_older_releases_have_no_such_routes(
        client: TestClient, on: TestClient, make_client: Callable[..., TestClient]) -> None:
    assert client.get("/api/v1/config").json()["feature_flags"]["data_subject_requests"] is False
    assert on.get("/api/v1/config").json()["feature_flags"]["data_subject_requests"] is True
    old = make_client(langflow_version="1.8.4", data_subject_requests=True)
    token = auto_login_token(old)
    response = old.get(f"{BASE}/requests", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert not [p for p in old.get("/openapi.json").json()["paths"] if "data-subjects" in p]


# --- the queue --------------------------------------------------------------------------------------------------


def test_only_an_administrator_may_use_the_queue(on: TestClient, admin: dict[str, str]) -> None:
    _, bob_headers = bob(on, admin)
    response = on.get(f"{BASE}/requests", headers=bob_headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Permission denied: user:manage is required."}
    assert response.headers["x-langflow-error-code"] == "administration_denied"


def test_a_builder_request_is_recorded_once_and_due_in_the_configured_days(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(data_subject_requests=True, data_subject_response_days=7)
    headers = {"Authorization": f"Bearer {auto_login_token(client)}"}
    bob_id, _ = bob(client, headers)
    first = ask(client, headers, subject_type="builder", username="BOB")  # usernames match ignoring case
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["subject_user_id"], body["subject_label"], body["source"], body["status"]) == (
        bob_id, "bob", "admin", "requested")
    assert body["overdue"] is False and body["counts"] is None and body["decided_at"] is None
    requested = datetime.fromisoformat(body["requested_at"])
    assert timedelta(days=7) <= datetime.fromisoformat(body["due_at"]) - requested < timedelta(days=7, seconds=2)
    again = ask(client, headers, subject_type="builder", user_id=bob_id)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert client.get(f"{BASE}/requests/{body['id']}", headers=headers).json() == body


def test_a_request_made_with_an_api_key_comes_from_an_integration(on: TestClient, admin: dict[str, str]) -> None:
    key = on.post("/api/v1/api_key/", json={"name": "app"}, headers=admin).json()["api_key"]
    bob(on, admin)
    assert ask(on, {"x-api-key": key}, subject_type="builder", username="bob").json()["source"] == "api"


def test_a_subject_is_named_as_langflow_requires(on: TestClient, admin: dict[str, str]) -> None:
    bob_id, _ = bob(on, admin)
    detail = refusal(ask(on, admin, subject_type="builder", username="nobody"), 404, "subject_not_found")
    assert detail == {"code": "subject_not_found", "message": "User not found"}
    both = ask(on, admin, subject_type="builder", username="bob", user_id=bob_id)
    assert both.status_code == 422
    assert both.json()["detail"][0]["msg"] == (
        "Value error, A builder is identified by exactly one of user_id or username")
    scoped = ask(on, admin, subject_type="builder", username="bob", flow_ids=[str(uuid4())])
    assert scoped.json()["detail"][0]["msg"] == "Value error, flow_ids scopes end-user requests only"
    detail = refusal(ask(on, admin, subject_type="end_user", end_user_id="a::b"), 422, "invalid_end_user_id")
    assert detail["message"] == "end_user_id must not contain '::': its sessions cannot be told apart"
    refusal(ask(on, admin, subject_type="end_user", end_user_id="anon"), 422, "invalid_end_user_id")
    detail = refusal(ask(on, admin, subject_type="end_user", end_user_id=bob_id), 422, "invalid_end_user_id")
    assert detail["message"].startswith("end_user_id resolves to an existing account id")


def test_the_list_pages_and_filters_newest_first(on: TestClient, admin: dict[str, str]) -> None:
    ids = [ask(on, admin, subject_type="end_user", end_user_id=f"user-{n}").json()["id"] for n in range(3)]
    bob(on, admin)
    builder = ask(on, admin, subject_type="builder", username="bob").json()["id"]
    on.post(f"{BASE}/requests/{ids[0]}/refuse", json={"note": "legal hold"}, headers=admin)

    def listed(**query: Any) -> tuple[int, list[str]]:
        page = on.get(f"{BASE}/requests", params=query, headers=admin).json()
        return page["total_count"], [r["id"] for r in page["requests"]]

    total, every = listed()
    assert total == 4 and set(every) == {*ids, builder}
    assert listed(subject_type="builder") == (1, [builder])
    assert listed(status="refused") == (1, [ids[0]])
    assert listed(status=["refused", "requested"])[0] == 4
    assert listed(open_only="true")[0] == 3
    assert listed(skip=1, limit=2) == (4, every[1:3])
    assert on.get(f"{BASE}/requests", params={"limit": 201}, headers=admin).status_code == 422
    refusal(on.get(f"{BASE}/requests/{uuid4()}", headers=admin), 404, "request_not_found")


def test_a_refused_request_is_closed_and_cannot_be_decided_again(on: TestClient, admin: dict[str, str]) -> None:
    request_id = ask(on, admin, subject_type="end_user", end_user_id="carol").json()["id"]
    refused = on.post(f"{BASE}/requests/{request_id}/refuse", json={"note": "legal hold"}, headers=admin)
    assert refused.status_code == 200
    body = refused.json()
    assert (body["status"], body["refusal_note"]) == ("refused", "legal hold")
    assert body["decided_at"] and body["finished_at"] and body["decided_by"]
    for action in ("refuse", "approve"):
        detail = refusal(on.post(f"{BASE}/requests/{request_id}/{action}", json={}, headers=admin), 409,
                         "invalid_transition")
        assert detail == {"code": "invalid_transition", "message": "A request in status 'refused' cannot do this",
                          "status": "refused"}
    refusal(on.post(f"{BASE}/requests/{request_id}/retry", headers=admin), 409, "invalid_transition")
    # the end-user id goes when the request closes: nothing is left to count or export
    assert refusal(on.get(f"{BASE}/requests/{request_id}/dry-run", headers=admin), 409,
                   "invalid_transition")["message"] == "This request is closed"
    refusal(on.get(f"{BASE}/requests/{request_id}/export", headers=admin), 409, "invalid_transition")
    # a new request for the same person may be made once the last one is closed
    assert ask(on, admin, subject_type="end_user", end_user_id="carol").status_code == 201


def test_an_open_request_past_its_due_date_is_overdue(on: TestClient, admin: dict[str, str]) -> None:
    request_id = ask(on, admin, subject_type="end_user", end_user_id="dave").json()["id"]
    admin = {"x-api-key": on.post("/api/v1/api_key/", json={"name": "k"}, headers=admin).json()["api_key"]}
    on.app.state.mock.clock.frozen = datetime.now(UTC) + timedelta(days=31)  # type: ignore[attr-defined]
    assert on.get(f"{BASE}/requests/{request_id}", headers=admin).json()["overdue"] is True
    on.post(f"{BASE}/requests/{request_id}/refuse", json={}, headers=admin)
    assert on.get(f"{BASE}/requests/{request_id}", headers=admin).json()["overdue"] is False


# --- builders: dry run, export, erase -----------------------------------------------------------------------


def test_approving_a_builder_stops_the_account_and_erases_what_it_owns(
        on: TestClient, admin: dict[str, str], chat_flow: dict[str, Any]) -> None:
    bob_id, bob_headers = bob(on, admin)
    flow = create_flow(on, bob_headers, {**chat_flow, "name": "Bob's flow"})
    on.post("/api/v1/variables/", json={"name": "BOB_SECRET", "value": "s3cret", "type": "Credential"},
            headers=bob_headers)
    on.post("/api/v2/files", files={"file": ("notes.txt", b"hello", "text/plain")}, headers=bob_headers)
    request_id = ask(on, admin, subject_type="builder", username="bob").json()["id"]

    dry = on.get(f"{BASE}/requests/{request_id}/dry-run", headers=admin).json()
    counts = dry["counts"]
    assert (counts["flows"], counts["files"], counts["api_keys"], counts["projects"]) == (1, 1, 1, 1)
    assert counts["variables"] >= 1 and counts["shared_flows"] == counts["knowledge_bases"] == 0
    assert (dry["subject_type"], dry["deployments"], dry["shared_flows"], dry["blocked_by"]) == (
        "builder", [], [], None)

    approved = on.post(f"{BASE}/requests/{request_id}/approve", headers=admin)
    assert approved.status_code == 202, approved.text
    body = approved.json()
    assert body["status"] == "approved" and body["decided_at"]
    assert body["counts"] == {"approved": counts, "stopped": {"triggers": 0, "api_keys": 1, "public_flows": 0,
                                                              "jobs_cancelled": 0}}
    done = on.get(f"{BASE}/requests/{request_id}", headers=admin).json()
    assert done["status"] == "done" and done["finished_at"] and done["phase"] is None
    assert (done["counts"]["flows"], done["counts"]["files"], done["counts"]["folders"]) == (1, 1, 1)
    assert done["counts"]["connections"] == 0 and "storage_locations" in done["counts"]
    # the account and what it owned are gone; its key no longer opens anything
    assert on.get("/api/v1/users/whoami", headers=bob_headers).status_code == 403
    users = on.get("/api/v1/users/", headers=admin).json()["users"]
    assert bob_id not in [u["id"] for u in users]
    assert on.get(f"/api/v1/flows/{flow['id']}", headers=admin).status_code == 404
    assert refusal(on.get(f"{BASE}/requests/{request_id}/dry-run", headers=admin), 404,
                   "subject_not_found")["message"] == "The account no longer exists"
    refusal(on.get(f"{BASE}/requests/{request_id}/export", headers=admin), 409, "invalid_transition")


def test_the_builder_export_holds_their_account_projects_flows_and_files(
        on: TestClient, admin: dict[str, str], chat_flow: dict[str, Any]) -> None:
    bob(on, admin)
    bob_headers = signed_in(on, "bob")
    flow = create_flow(on, bob_headers, {**chat_flow, "name": "Bob's flow"})
    uploaded = on.post("/api/v2/files", files={"file": ("notes.txt", b"hello", "text/plain")},
                       headers=bob_headers).json()
    request_id = ask(on, admin, subject_type="builder", username="bob").json()["id"]
    response = on.get(f"{BASE}/requests/{request_id}/export", headers=admin)
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"data-subject-{request_id}.zip\"; filename*=UTF-8''data-subject-{request_id}.zip")
    members = unzip(response)
    account = json.loads(members["account.json"])
    assert (account["username"], account["sso_profiles"]) == ("bob", [])
    assert [p["name"] for p in json.loads(members["projects.json"])] == ["Starter Project"]
    assert json.loads(members["api_keys.json"])[0]["name"] == "bob"
    exported = json.loads(members[f"flows/{flow['id']}.json"])
    assert (exported["name"], exported["id"]) == ("Bob's flow", flow["id"])
    assert json.loads(members["files.json"])[0]["name"] == "notes"
    assert members[f"files/{uploaded['id']}_notes"] == b"hello"
    manifest = json.loads(members["manifest.json"])
    assert (manifest["format"], manifest["subject_type"]) == ("langflow-data-subject-export/1", "builder")
    assert manifest["contents"]["projects.json"] == 1 and manifest["contents"][f"flows/{flow['id']}.json"] == 1
    # an export takes nothing away
    assert on.get(f"{BASE}/requests/{request_id}", headers=admin).json()["status"] == "requested"


def test_guards_refuse_approving_your_own_account_and_erasing_the_last_superuser(
        on: TestClient, admin: dict[str, str]) -> None:
    me = on.get("/api/v1/users/whoami", headers=admin).json()
    request_id = ask(on, admin, subject_type="builder", user_id=me["id"]).json()["id"]
    detail = refusal(on.post(f"{BASE}/requests/{request_id}/approve", headers=admin), 403, "self_approval")
    assert detail["message"] == "Another administrator must approve the deletion of your own account"
    assert on.get(f"{BASE}/requests/{request_id}", headers=admin).json()["status"] == "requested"
    found = on.post(f"{BASE}/find", json={"subject_type": "builder", "user_id": me["id"]}, headers=admin)
    assert found.json()["blocked_by"] == "last_administrator"
    # the one-call erase records nothing when a guard refuses
    on.post(f"{BASE}/requests/{request_id}/refuse", json={}, headers=admin)
    refusal(on.post(f"{BASE}/erase", json={"subject_type": "builder", "user_id": me["id"]}, headers=admin), 403,
            "self_approval")
    assert on.get(f"{BASE}/requests", params={"open_only": "true"}, headers=admin).json()["total_count"] == 0


def test_erase_records_and_approves_in_one_call(on: TestClient, admin: dict[str, str]) -> None:
    bob_id, _ = bob(on, admin)
    erased = on.post(f"{BASE}/erase", json={"subject_type": "builder", "username": "bob"}, headers=admin)
    assert erased.status_code == 202, erased.text
    assert (erased.json()["status"], erased.json()["subject_user_id"]) == ("approved", bob_id)
    assert on.get(f"{BASE}/requests/{erased.json()['id']}", headers=admin).json()["status"] == "done"


# --- end users ----------------------------------------------------------------------------------------------


def test_an_end_users_messages_are_found_exported_and_erased(on: TestClient, admin: dict[str, str]) -> None:
    flow_a, flow_b = uuid4(), uuid4()
    end_user_message(on, "alice@example.com", "s1", "hello", flow_a)
    end_user_message(on, "alice@example.com", "s2", "again", flow_b)
    end_user_message(on, "alicia", "s1", "not alice", flow_a)
    end_user_run(on, "alice@example.com", "s1")
    end_user_run(on, "alicia", "s1")

    matches = on.get(f"{BASE}/end-users", params={"search": "ALI"}, headers=admin).json()
    assert matches == [{"end_user_id": "alice@example.com", "messages": 2}, {"end_user_id": "alicia", "messages": 1}]
    assert on.get(f"{BASE}/end-users", params={"search": "a"}, headers=admin).status_code == 422

    found = on.post(f"{BASE}/find", json={"subject_type": "end_user", "end_user_id": "alice@example.com"},
                    headers=admin).json()
    assert found == {"subject_type": "end_user", "counts": {"messages": 2, "traces": 0, "transactions": 1,
                                                            "runs": 0, "flows": 2},
                     "deployments": [], "shared_flows": [], "blocked_by": None}
    scoped = on.post(f"{BASE}/find", json={"subject_type": "end_user", "end_user_id": "alice@example.com",
                                           "flow_ids": [str(flow_a)]}, headers=admin).json()
    assert scoped["counts"]["messages"] == 1

    request = ask(on, admin, subject_type="end_user", end_user_id="alice@example.com").json()
    assert request["subject_user_id"] == str(uuid5(END_USER_NAMESPACE, "alice@example.com"))
    members = unzip(on.get(f"{BASE}/requests/{request['id']}/export", headers=admin))
    assert sorted(m["text"] for m in json.loads(members["messages.json"])) == ["again", "hello"]
    assert json.loads(members["manifest.json"])["contents"] == {"messages.json": 2, "traces.json": 0,
                                                                "transactions.json": 1}
    assert json.loads(members["transactions.json"])[0]["session_id"] == "alice@example.com::s1"

    assert on.post(f"{BASE}/requests/{request['id']}/approve", headers=admin).status_code == 202
    done = on.get(f"{BASE}/requests/{request['id']}", headers=admin).json()
    assert (done["status"], done["counts"]["messages"], done["subject_label"]) == ("done", 2, "alice@example.com")
    after = on.post(f"{BASE}/find", json={"subject_type": "end_user", "end_user_id": "alice@example.com"},
                    headers=admin).json()["counts"]
    assert (after["messages"], after["transactions"], done["counts"]["transactions"]) == (0, 0, 1)
    assert on.post(f"{BASE}/find", json={"subject_type": "end_user", "end_user_id": "alicia"},
                   headers=admin).json()["counts"]["transactions"] == 1
    # another end user's messages stay
    assert on.get(f"{BASE}/end-users", params={"search": "ali"}, headers=admin).json() == [
        {"end_user_id": "alicia", "messages": 1}]


# --- /users/me: a builder's own request ----------------------------------------------------------------------


def test_a_builder_asks_for_their_own_deletion_and_withdraws_it(on: TestClient, admin: dict[str, str]) -> None:
    bob_id, bob_key = bob(on, admin)
    me = signed_in(on, "bob")
    path = "/api/v1/users/me/deletion-request"
    assert on.get(path, headers=me).json() == {"detail": "No deletion request"}
    by_key = on.post(path, headers=bob_key)
    assert (by_key.status_code, by_key.json()) == (403, {"detail": "Sign in interactively to manage your own data"})
    assert by_key.headers["x-langflow-error-code"] == "interactive_login_required"

    asked = on.post(path, headers=me)
    assert asked.status_code == 201
    assert set(asked.json()) == {"id", "status", "requested_at", "decided_at"}
    assert on.post(path, headers=me).status_code == 200
    queued = on.get(f"{BASE}/requests/{asked.json()['id']}", headers=admin).json()
    assert (queued["source"], queued["requested_by"], queued["subject_user_id"]) == ("self", bob_id, bob_id)

    withdrawn = on.delete(path, headers=me)
    assert withdrawn.json()["status"] == "withdrawn"
    assert on.get(path, headers=me).json()["status"] == "withdrawn"
    assert on.delete(path, headers=me).json() == {"detail": "No pending deletion request"}


def test_the_last_superuser_cannot_ask_for_their_own_deletion(on: TestClient, admin: dict[str, str]) -> None:
    detail = refusal(on.post("/api/v1/users/me/deletion-request", headers=admin), 409, "last_administrator")
    assert detail["message"] == "The last active superuser cannot be erased"


def test_a_builder_downloads_their_own_data_five_times_an_hour(on: TestClient, admin: dict[str, str]) -> None:
    bob(on, admin)
    me = signed_in(on, "bob")
    for _ in range(5):
        response = on.get("/api/v1/users/me/data-export", headers=me)
        assert json.loads(unzip(response)["account.json"])["username"] == "bob"
    assert response.headers["content-disposition"].startswith('attachment; filename="my-langflow-data.zip"')
    assert on.get("/api/v1/users/me/data-export", headers=me).status_code == 429


def test_requests_are_kept_in_the_data_dir_and_an_older_one_gets_their_table(tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path / "kept", data_subject_requests=True)
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {auto_login_token(client)}"}
        request_id = ask(client, headers, subject_type="end_user", end_user_id="erin").json()["id"]
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {auto_login_token(client)}"}
        assert client.get(f"{BASE}/requests/{request_id}", headers=headers).json()["subject_label"] == "erin"
    # a data dir an earlier mock made, without the table
    with closing(sqlite3.connect(settings.data_dir / "mock-langflow.db")) as db:
        db.execute("DROP TABLE data_subject_request")
        db.commit()
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {auto_login_token(client)}"}
        assert client.get(f"{BASE}/requests", headers=headers).json() == {"total_count": 0, "requests": []}


# --- the audit log and the erase of what 1.13's other features hold -----------------------------------------


def dsar_rows(client: TestClient, admin: dict[str, str]) -> list[dict[str, Any]]:
    """The authorization audit log's dsar:* rows, oldest first."""
    page = client.get("/api/v1/authz/audit", params={"resource_type": "data_subject_request", "size": 100},
                      headers=admin).json()
    return list(reversed(page["items"]))


def test_every_data_subject_decision_is_in_the_authorization_audit_log(on: TestClient,
                                                                        admin: dict[str, str]) -> None:
    # Langflow writes these rows whether its authorization audit is on or not, with metadata and counts only
    admin_id = on.get("/api/v1/users/whoami", headers=admin).json()["id"]
    bob_id, _ = bob(on, admin)
    me = signed_in(on, "bob")
    assert on.post("/api/v1/users/me/deletion-request", headers=me).status_code == 201
    assert on.delete("/api/v1/users/me/deletion-request", headers=me).status_code == 200
    assert on.get("/api/v1/users/me/data-export", headers=me).status_code == 200
    refused = ask(on, admin, subject_type="builder", username="bob").json()["id"]
    on.post(f"{BASE}/requests/{refused}/refuse", json={"note": "legal hold"}, headers=admin)
    on.post(f"{BASE}/find", json={"subject_type": "builder", "username": "bob"}, headers=admin)
    on.get(f"{BASE}/end-users", params={"search": "someone"}, headers=admin)
    request_id = ask(on, admin, subject_type="builder", username="bob").json()["id"]
    on.get(f"{BASE}/requests/{request_id}/export", headers=admin)
    assert on.post(f"{BASE}/requests/{request_id}/approve", headers=admin).status_code == 202
    rows = dsar_rows(on, admin)
    own = [r for r in rows if r["actor_id"] == bob_id]
    assert [(r["action"], r["details"]) for r in own] == [
        ("dsar:request", {"request_id": own[0]["resource_id"], "subject_type": "builder", "source": "self"}),
        ("dsar:withdraw", {"request_id": own[0]["resource_id"]}),
        ("dsar:export", {"subject_type": "builder", "source": "self"})]
    assert (own[2]["resource_id"], own[0]["actor_type"]) == (None, "user")
    # bob's own rows outlive the account without naming its user (the erase's audit_subject step)
    assert [r["user_id"] for r in own] == [None] * 3
    theirs = [(r["action"], r["resource_id"], r["result"]) for r in rows if r["user_id"] == admin_id]
    assert theirs == [("dsar:request", refused, "allow"), ("dsar:refuse", refused, "allow"),
                      ("dsar:find", None, "allow"), ("dsar:find", None, "allow"),
                      ("dsar:request", request_id, "allow"), ("dsar:export", request_id, "allow"),
                      ("dsar:approve", request_id, "allow"), ("dsar:erase", request_id, "allow")]
    by_action = {r["action"]: r["details"] for r in rows if r["resource_id"] == request_id}
    assert by_action["dsar:approve"] == {"request_id": request_id, "subject_type": "builder", "automatic": False}
    assert [r["details"] for r in rows if r["action"] == "dsar:find"] == [{"subject_type": "builder"},
                                                                          {"subject_type": "end_user"}]
    done = on.get(f"{BASE}/requests/{request_id}", headers=admin).json()["counts"]
    erased = by_action["dsar:erase"]
    assert erased == {"request_id": request_id, "subject_type": "builder", "rows_deleted": erased["rows_deleted"],
                      "paths_deleted": done["storage_locations"], "rows_redacted": 0, "backups_not_reached": 0}
    assert erased["rows_deleted"] == sum(v for k, v in done.items()
                                         if isinstance(v, int) and k not in ("storage_locations", "retained_backups"))
    assert done["audit_subject"] == 3


def test_with_authorization_audit_on_the_rows_name_the_request_and_credential(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(data_subject_requests=True, authz_audit_enabled=True)
    admin = {"Authorization": f"Bearer {auto_login_token(client)}"}
    bob_id, bob_headers = bob(client, admin)
    client.patch(f"/api/v1/users/{bob_id}", json={"is_superuser": True}, headers=admin)
    team = client.post("/api/v1/authz/teams", json={"team_name": "Bob's team", "adom_name": "bobs"},
                       headers=bob_headers)
    assert team.status_code == 201
    request_id = ask(client, admin, subject_type="builder", username="bob").json()["id"]
    (row,) = dsar_rows(client, admin)
    assert row["action"] == "dsar:request" and row["resource_id"] == request_id
    # the request's own id takes the place of the data subject request's, as Langflow's audit pipeline merges it
    assert row["details"]["request_id"] != request_id and row["details"]["auth_method"] == "jwt"
    assert (row["details"]["subject_type"], row["details"]["source"]) == ("builder", "admin")
    # an erase strips the identifying details of the rows about the person (the team's name, and who created the
    # account: the user routes' row)
    client.post(f"{BASE}/requests/{request_id}/approve", headers=admin)
    assert client.get(f"{BASE}/requests/{request_id}", headers=admin).json()["counts"]["audit_redaction"] == 2
    (created,) = client.get("/api/v1/authz/audit", params={"action": "user:create"}, headers=admin).json()["items"]
    assert "created_by" not in created["details"] and created["details"]["event"] == "mutation"
    # one request's rows carry its one request id (a one-call erase: its request and approval)
    bob(client, admin, "eve")
    erased = client.post(f"{BASE}/erase", json={"subject_type": "builder", "username": "eve"}, headers=admin).json()
    ids = {r["action"]: r["details"]["request_id"] for r in dsar_rows(client, admin)
           if r["resource_id"] == erased["id"]}
    assert ids["dsar:request"] == ids["dsar:approve"] != erased["id"]
    made = client.get("/api/v1/authz/audit", params={"action": "team:create"}, headers=admin).json()["items"]
    assert (made[0]["user_id"], made[0]["actor_type"]) == (None, "api_key")  # (the key's id stays its actor)
    assert "team_name" not in made[0]["details"] and made[0]["details"]["adom_name"] == "bobs"


def test_erasing_a_builder_takes_what_the_other_features_hold_about_them(
        on: TestClient, admin: dict[str, str], chat_flow: dict[str, Any]) -> None:
    bob_id, bob_headers = bob(on, admin)
    on.patch(f"/api/v1/users/{bob_id}", json={"is_superuser": True}, headers=admin)  # (to administer too)
    kb = {"name": "Docs", "embedding_provider": "OpenAI", "embedding_model": "text-embedding-3-small"}
    assert on.post("/api/v1/knowledge_bases", json=kb, headers=bob_headers).status_code == 201
    assert on.post("/api/v1/knowledge_bases/Docs/ingest", files=[("files", ("a.txt", b"some text", "text/plain"))],
                   data={"chunk_size": "200", "chunk_overlap": "20"}, headers=bob_headers).status_code == 200
    admin_flow = create_flow(on, admin, {**chat_flow, "name": "Admin's"})
    bob_flow = create_flow(on, bob_headers, {**chat_flow, "name": "Bob's"})
    authz = "/api/v1/authz"
    to_bob = on.post(f"{authz}/shares", json={"resource_type": "flow", "resource_id": admin_flow["id"],
                                              "scope": "user", "target_id": bob_id}, headers=admin).json()
    admin_id = on.get("/api/v1/users/whoami", headers=admin).json()["id"]
    by_bob = on.post(f"{authz}/shares", json={"resource_type": "flow", "resource_id": bob_flow["id"],
                                              "scope": "user", "target_id": admin_id}, headers=bob_headers)
    assert by_bob.status_code == 201, by_bob.text
    team = on.post(f"{authz}/teams", json={"team_name": "Data", "adom_name": "data"}, headers=bob_headers).json()
    assert on.post(f"{authz}/teams/{team['id']}/members", json={"user_id": bob_id},
                   headers=admin).status_code in (200, 201)
    role = on.post(f"{authz}/roles", json={"name": "auditor"}, headers=bob_headers).json()
    assigned = on.post(f"{authz}/role-assignments", json={"user_id": admin_id, "role_id": role["id"]},
                       headers=bob_headers)
    assert assigned.status_code == 201, assigned.text
    made = on.post("/api/v1/triggers", json={"name": "nightly", "kind": "inbound_webhook", "flow_id": bob_flow["id"]},
                   headers=bob_headers)
    assert made.status_code == 201, made.text
    public = on.post(f"{authz}/shares", json={"resource_type": "flow", "resource_id": bob_flow["id"],
                                              "scope": "public", "permission_level": "execute"}, headers=bob_headers)
    assert public.status_code == 201, public.text
    # bob blocks two components; the admin's later write keeps one and blocks another
    assert on.put("/api/v1/catalog-policy/components", json={"blocked": ["Webhook", "Agent"]},
                  headers=bob_headers).status_code == 200
    assert on.put("/api/v1/catalog-policy/components", json={"blocked": ["Agent", "Prompt"]},
                  headers=admin).status_code == 200
    dry = on.post(f"{BASE}/find", json={"subject_type": "builder", "username": "bob"}, headers=admin).json()
    assert (dry["counts"]["knowledge_bases"], dry["counts"]["shared_flows"], dry["shared_flows"]) == (1, 1, ["Bob's"])

    erased = on.post(f"{BASE}/erase", json={"subject_type": "builder", "username": "bob"}, headers=admin)
    counts = on.get(f"{BASE}/requests/{erased.json()['id']}", headers=admin).json()["counts"]
    assert counts["stopped"] == {"triggers": 1, "api_keys": 1, "public_flows": 0, "jobs_cancelled": 0}
    # (an ingestion is one of Langflow's jobs, which outlive the base; its ingestion_run table is never written)
    assert {k: counts[k] for k in ("knowledge_bases", "jobs", "ingestion_runs", "shares", "team_memberships",
                                   "role_assignments", "role_creator", "assignment_actor")} == {
        "knowledge_bases": 1, "jobs": 1, "ingestion_runs": 0, "shares": 1, "team_memberships": 1,
        "role_assignments": 0, "role_creator": 1, "assignment_actor": 1}
    # the rule Agent is still bob's (he blocked it first), and so is the revision he wrote
    assert (counts["catalog_rule_creator"], counts["policy_bundle_creator"]) == (1, 1)
    assert on.get(f"{authz}/shares/{to_bob['id']}", headers=admin).status_code == 404
    assert on.get(f"{authz}/shares", headers=admin).json() == []  # bob's flow's share went with the flow
    assert on.get(f"{authz}/teams/{team['id']}/members", headers=admin).json() == []
    assert on.get(f"{authz}/roles/{role['id']}", headers=admin).json()["created_by"] is None
    (kept,) = on.get(f"{authz}/role-assignments", params={"user_id": admin_id}, headers=admin).json()
    assert kept["assigned_by"] is None
    assert on.get("/api/v1/knowledge_bases", headers=admin).json() == []


def test_an_end_users_memory_base_sessions_are_erased(on: TestClient, admin: dict[str, str],
                                                      chat_flow: dict[str, Any]) -> None:
    # a session named after the end user ("alice::...") that memory bases captured: its tracking, runs and
    # ingestion records go; Langflow's vector purge visits every memory base in scope, twice (its final pass)
    _, owner = bob(on, admin)
    flow = create_flow(on, owner, chat_flow)
    memories = "/api/v1/memories"
    mb = on.post(memories, json={"name": "Support", "flow_id": flow["id"], "threshold": 1,
                                 "embedding_model": "text-embedding-3-small"}, headers=owner).json()
    on.post(memories, json={"name": "Idle", "flow_id": flow["id"], "auto_capture": False,
                            "embedding_model": "text-embedding-3-small"}, headers=owner)
    for session in ("alice::s1", "bob::s1"):
        ran = on.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hi", "session_id": session}, headers=owner)
        assert ran.status_code == 200, ran.text
    erased = on.post(f"{BASE}/erase", json={"subject_type": "end_user", "end_user_id": "alice"}, headers=admin)
    assert erased.status_code == 202, erased.text
    counts = on.get(f"{BASE}/requests/{erased.json()['id']}", headers=admin).json()["counts"]
    assert {k: counts[k] for k in ("memory_sessions", "memory_workflow_runs", "memory_ingestion_records",
                                   "memory_vectors", "memory_preprocessing_outputs", "jobs")} == {
        "memory_sessions": 1, "memory_workflow_runs": 1, "memory_ingestion_records": 2, "memory_vectors": 4,
        "memory_preprocessing_outputs": 0, "jobs": 0}
    left = on.get(f"{memories}/{mb['id']}/sessions", headers=owner).json()["items"]
    assert [s["session_id"] for s in left] == ["bob::s1"]


def test_deleting_a_user_is_an_erase_request_of_its_own(on: TestClient, admin: dict[str, str]) -> None:
    # 1.13's DELETE /users/{id} records and approves a builder's request (source admin) and answers its id; a
    # request the person had open is the one approved
    bob_id, _ = bob(on, admin)
    deleted = on.delete(f"/api/v1/users/{bob_id}", headers=admin).json()
    request = on.get(f"{BASE}/requests/{deleted['request_id']}", headers=admin).json()
    assert (request["status"], request["source"], request["subject_label"], request["subject_user_id"]) == (
        "done", "admin", "bob", bob_id)
    assert [r["action"] for r in dsar_rows(on, admin)] == ["dsar:request", "dsar:approve", "dsar:erase"]
    eve_id, _ = bob(on, admin, "eve")
    asked = on.post("/api/v1/users/me/deletion-request", headers=signed_in(on, "eve")).json()
    assert on.delete(f"/api/v1/users/{eve_id}", headers=admin).json()["request_id"] == asked["id"]
    assert on.get(f"{BASE}/requests/{asked['id']}", headers=admin).json()["source"] == "self"


def test_the_users_list_shows_and_filters_open_deletion_requests_and_roles(on: TestClient,
                                                                          admin: dict[str, str]) -> None:
    bob_id, _ = bob(on, admin)
    eve_id, _ = bob(on, admin, "eve")
    on.post("/api/v1/users/me/deletion-request", headers=signed_in(on, "bob"))
    listed = on.get("/api/v1/users/", headers=admin).json()
    assert listed["deletion_requests"] == {bob_id: "requested"}
    asking = on.get("/api/v1/users/", params={"deletion_requested": "true"}, headers=admin).json()
    assert ([u["username"] for u in asking["users"]], asking["total_count"]) == (["bob"], 1)
    viewer = next(r for r in on.get("/api/v1/authz/roles", headers=admin).json() if r["name"] == "viewer")
    on.post("/api/v1/authz/role-assignments", json={"user_id": eve_id, "role_id": viewer["id"]}, headers=admin)
    viewers = on.get("/api/v1/users/", params={"role_name": "viewer"}, headers=admin).json()
    assert ([u["username"] for u in viewers["users"]], viewers["deletion_requests"]) == (["eve"], {})
    both = on.get("/api/v1/users/", params={"role_name": "viewer", "deletion_requested": "true"}, headers=admin)
    assert both.json()["total_count"] == 0


def test_overdue_requests_are_approved_and_erased_when_auto_erase_is_on(
        make_client: Callable[..., TestClient]) -> None:
    on = make_client(data_subject_requests=True, data_subject_auto_erase_on_expiry=True)
    admin = {"Authorization": f"Bearer {auto_login_token(on)}"}
    me = on.get("/api/v1/users/whoami", headers=admin).json()["id"]
    bob_id, bobs = bob(on, admin)
    erased = ask(on, admin, subject_type="builder", username="bob").json()["id"]
    blocked = ask(on, admin, subject_type="builder", user_id=me).json()["id"]  # the last superuser's own
    admin = {"x-api-key": on.post("/api/v1/api_key/", json={"name": "k"}, headers=admin).json()["api_key"]}
    assert on.get(f"{BASE}/requests/{erased}", headers=admin).json()["status"] == "requested"  # not due yet
    assert on.get("/api/v1/flows/", headers=bobs).status_code == 200
    on.app.state.mock.clock.frozen = datetime.now(UTC) + timedelta(days=31)  # type: ignore[attr-defined]
    # Langflow's worker erases in the background: any route, not only a data subject one, finds it done
    assert on.get("/api/v1/flows/", headers=bobs).status_code == 403
    assert bob_id not in [u["id"] for u in on.get("/api/v1/users/", headers=admin).json()["users"]]
    done = on.get(f"{BASE}/requests/{erased}", headers=admin).json()
    assert (done["status"], done["decided_by"], done["counts"]["flows"]) == ("done", None, 0)
    waiting = on.get(f"{BASE}/requests/{blocked}", headers=admin).json()
    assert (waiting["status"], waiting["error"]) == ("requested", {
        "auto_approval_blocked": True, "code": "last_administrator",
        "message": "The last active superuser cannot be erased"})
    approvals = [(r["resource_id"], r["result"], r["user_id"], r["details"]["automatic"])
                 for r in dsar_rows(on, admin) if r["action"] == "dsar:approve"]
    assert sorted(approvals) == sorted([(erased, "allow", None, True), (blocked, "deny", None, True)])
    on.get(f"{BASE}/requests", headers=admin)  # a blocked request is not taken up again
    assert len([r for r in dsar_rows(on, admin) if r["action"] == "dsar:approve"]) == 2
