"""1.13's /api/v1/policy-bundle: the install-wide governance bundle as numbered revisions, its history and its
rollback, for superusers; the model-provider policy and the catalog policy write through it."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import new_api_key, other_user_key

Make = Callable[..., TestClient]
EMPTY = {"approved_provider_ids": [], "blocked_component_keys": [], "blocked_template_keys": []}
NAIVE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$")


def canonical_hash(payload: dict[str, list[str]]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def put(client: TestClient, headers: dict[str, str], expected: int, **lists: Any) -> Any:
    return client.put("/api/v1/policy-bundle", json={"expected_revision": expected, **EMPTY, **lists},
                      headers=headers)


def test_a_new_install_has_the_migrations_pristine_revision(client: TestClient, key_headers: dict[str, str]) -> None:
    read = client.get("/api/v1/policy-bundle", headers=key_headers)
    assert read.status_code == 200
    body = read.json()
    assert NAIVE.match(body.pop("created_at"))
    assert body == {"revision": 1, "initialized": False, "source": "migration", **EMPTY, "blocked_model_keys": [],
                    "approved_integration_provider_ids": [], "blocked_integration_action_keys": [],
                    "content_hash": canonical_hash(EMPTY), "created_by": None,
                    "reason": "Migrated existing provider and catalog policy", "rollback_of_revision": None,
                    "managed_externally": False}
    assert client.get("/api/v1/policy-bundle/", headers=key_headers).json()["revision"] == 1


def test_a_replacement_is_a_new_normalised_revision(client: TestClient, key_headers: dict[str, str]) -> None:
    me = client.get("/api/v1/users/whoami", headers=key_headers).json()["id"]
    written = put(client, key_headers, 1, approved_provider_ids=["OpenAI", "anthropic", "openai"],
                  blocked_component_keys=[" ChatInput ", "ChatInput", "Agent"],
                  blocked_template_keys=["basic_prompting"], blocked_model_keys=["OpenAI::llm::gpt-4o", "gpt-5"],
                  approved_integration_provider_ids=["Google"],
                  blocked_integration_action_keys=["integrations.Google.Drive.Search"], reason="  tighten  ")
    assert written.status_code == 200
    body = written.json()
    assert body["created_at"].endswith("Z")
    assert {k: v for k, v in body.items() if k not in ("created_at", "content_hash")} == {
        "revision": 2, "initialized": True, "source": "api", "approved_provider_ids": ["anthropic", "openai"],
        "blocked_component_keys": ["Agent", "ChatInput"], "blocked_template_keys": ["basic_prompting"],
        "blocked_model_keys": ["gpt-5", "openai::llm::gpt-4o"], "approved_integration_provider_ids": ["google"],
        "blocked_integration_action_keys": ["integrations.google.drive.search"], "created_by": me,
        "reason": "tighten", "rollback_of_revision": None, "managed_externally": False}
    lists = {k: body[k] for k in ("approved_provider_ids", "blocked_component_keys", "blocked_template_keys",
                                  "blocked_model_keys", "approved_integration_provider_ids",
                                  "blocked_integration_action_keys")}
    assert body["content_hash"] == canonical_hash(lists)
    # read back as SQLite hands it back: the same revision, its time without a zone
    read = client.get("/api/v1/policy-bundle", headers=key_headers).json()
    assert NAIVE.match(read.pop("created_at")) and read == {k: v for k, v in body.items() if k != "created_at"}
    # the provider list is the model-provider policy's too
    assert client.get("/api/v1/model-provider-policy", headers=key_headers).json()["approved_provider_ids"] == [
        "anthropic", "openai"]


def test_a_stale_revision_is_a_conflict_and_changes_nothing(client: TestClient,
                                                            key_headers: dict[str, str]) -> None:
    assert put(client, key_headers, 1, blocked_component_keys=["Agent"]).status_code == 200
    stale = put(client, key_headers, 1, blocked_component_keys=["ChatInput"])
    assert (stale.status_code, stale.json()) == (409, {"detail": {
        "message": "Policy bundle revision conflict", "expected_revision": 1, "active_revision": 2}})
    ahead = put(client, key_headers, 7)
    assert ahead.status_code == 409 and ahead.json()["detail"]["active_revision"] == 2
    assert client.get("/api/v1/policy-bundle", headers=key_headers).json()["blocked_component_keys"] == ["Agent"]


def test_bad_bundles_are_refused_with_langflows_texts(client: TestClient, key_headers: dict[str, str]) -> None:
    def refused(**body: Any) -> list[str]:
        answer = client.put("/api/v1/policy-bundle", json={"expected_revision": 1, **EMPTY, **body},
                            headers=key_headers)
        assert answer.status_code == 422, answer.text
        return [e["msg"] for e in answer.json()["detail"]]

    assert refused(blocked_model_keys=["openai:: "]) == ["Value error, Blocked-model key segments must not be empty"]
    assert refused(blocked_integration_action_keys=["drive"]) == [
        "Value error, Integration action policy keys must start with 'integrations.': 'drive'"]
    # (1.13's 422 puts "[redacted]" where a validator's message quotes a value sent of 8 characters or more)
    assert refused(blocked_integration_action_keys=["integrations.google"]) == [
        "Value error, Integration action policy keys must use the form 'integrations.<provider_id>.<action>' with "
        "non-empty segments: '[redacted]'"]
    assert refused(blocked_integration_action_keys=["integrations.google.dr ive"]) == [
        "Value error, Integration action policy keys must use lowercase identifier syntax: '[redacted]'"]
    assert len(refused(expected_revision=0)) == 1
    assert len(refused(blocked_component_keys=[" "])) == 1
    assert len(refused(reason="x" * 1025)) == 1
    missing = client.put("/api/v1/policy-bundle", json={"expected_revision": 1}, headers=key_headers)
    assert missing.status_code == 422
    assert {e["loc"][-1] for e in missing.json()["detail"]} == set(EMPTY)
    assert client.get("/api/v1/policy-bundle", headers=key_headers).json()["revision"] == 1


def test_history_is_newest_first_in_pages(client: TestClient, key_headers: dict[str, str]) -> None:
    for revision in range(1, 5):
        assert put(client, key_headers, revision, blocked_template_keys=[f"t{revision}"]).status_code == 200
    page = client.get("/api/v1/policy-bundle/history", params={"limit": 2}, headers=key_headers).json()
    assert [i["revision"] for i in page["items"]] == [5, 4] and page["next_before_revision"] == 4
    rest = client.get("/api/v1/policy-bundle/history", params={"limit": 2, "before_revision": 4},
                      headers=key_headers).json()
    assert [i["revision"] for i in rest["items"]] == [3, 2] and rest["next_before_revision"] == 2
    last = client.get("/api/v1/policy-bundle/history", params={"before_revision": 2}, headers=key_headers).json()
    assert [i["source"] for i in last["items"]] == ["migration"] and last["next_before_revision"] is None
    assert all(NAIVE.match(i["created_at"]) for i in page["items"] + rest["items"])
    bad = client.get("/api/v1/policy-bundle/history", params={"limit": 201}, headers=key_headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "limit"]


def test_a_rollback_reactivates_old_content_as_a_new_revision(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    put(client, key_headers, 1, blocked_component_keys=["Agent"])
    put(client, key_headers, 2, blocked_component_keys=["ChatInput"], approved_provider_ids=["groq"])
    back = client.post("/api/v1/policy-bundle/rollback/2", json={"expected_revision": 3}, headers=key_headers)
    assert back.status_code == 200
    body = back.json()
    assert (body["revision"], body["source"], body["rollback_of_revision"], body["reason"]) == (
        4, "rollback", 2, "Rollback to policy bundle revision 2")
    assert body["blocked_component_keys"] == ["Agent"] and body["approved_provider_ids"] == []
    # the provider list follows the bundle back
    assert client.get("/api/v1/model-provider-policy", headers=key_headers).json()["approved_provider_ids"] == []
    named = client.post("/api/v1/policy-bundle/rollback/1", json={"expected_revision": 4, "reason": "start over"},
                        headers=key_headers).json()
    assert (named["revision"], named["reason"], named["initialized"]) == (5, "start over", True)
    assert named["content_hash"] == canonical_hash(EMPTY)
    missing = client.post("/api/v1/policy-bundle/rollback/42", json={"expected_revision": 5}, headers=key_headers)
    assert (missing.status_code, missing.json()) == (404, {"detail": "Policy bundle revision 42 is missing"})
    huge = 2**64  # past SQLite's integers: missing too (Langflow's query fails there)
    beyond = client.post(f"/api/v1/policy-bundle/rollback/{huge}", json={"expected_revision": 5}, headers=key_headers)
    assert (beyond.status_code, beyond.json()) == (404, {"detail": f"Policy bundle revision {huge} is missing"})
    every = client.get("/api/v1/policy-bundle/history", params={"before_revision": huge}, headers=key_headers)
    assert [i["revision"] for i in every.json()["items"]] == [5, 4, 3, 2, 1]
    stale = client.post("/api/v1/policy-bundle/rollback/2", json={"expected_revision": 4}, headers=key_headers)
    assert stale.status_code == 409 and stale.json()["detail"]["active_revision"] == 5


def test_facet_writes_are_revisions_that_carry_the_rest_forward(client: TestClient,
                                                                 key_headers: dict[str, str]) -> None:
    put(client, key_headers, 1, blocked_template_keys=["basic_prompting"], blocked_model_keys=["gpt-5"])
    client.put("/api/v1/model-provider-policy", json={"approved_provider_ids": ["openai"]}, headers=key_headers)
    client.put("/api/v1/catalog-policy/components", json={"blocked": ["Agent"]}, headers=key_headers)
    history = client.get("/api/v1/policy-bundle/history", headers=key_headers).json()["items"]
    assert [(i["revision"], i["reason"]) for i in history[:2]] == [
        (4, "Replace blocked component catalog keys"), (3, "Replace approved model providers")]
    active = history[0]
    assert (active["approved_provider_ids"], active["blocked_component_keys"], active["blocked_template_keys"],
            active["blocked_model_keys"]) == (["openai"], ["Agent"], ["basic_prompting"], ["gpt-5"])


def test_only_superusers_govern(client: TestClient, key_headers: dict[str, str]) -> None:
    bob = {"x-api-key": other_user_key(client, key_headers)}
    for method, path, body in (("GET", "/api/v1/policy-bundle", None),
                               ("PUT", "/api/v1/policy-bundle", {"expected_revision": 1, **EMPTY}),
                               ("GET", "/api/v1/policy-bundle/history", None),
                               ("POST", "/api/v1/policy-bundle/rollback/1", {"expected_revision": 1})):
        refused = client.request(method, path, json=body, headers=bob)
        assert (refused.status_code, refused.json()) == (403, {"detail": errors.NOT_ENOUGH_PRIVILEGES}), path
    assert client.get("/api/v1/policy-bundle", headers=key_headers).json()["revision"] == 1


def test_the_bundle_is_kept_in_the_data_dir_and_a_reset_empties_it(make_client: Make, tmp_path: Path) -> None:
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    key = {"x-api-key": new_api_key(first)}
    assert put(first, key, 1, approved_provider_ids=["groq"], blocked_component_keys=["Agent"]).status_code == 200
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir)
    kept = again.get("/api/v1/policy-bundle", headers=key).json()
    assert (kept["revision"], kept["blocked_component_keys"], kept["approved_provider_ids"]) == (2, ["Agent"],
                                                                                                ["groq"])
    assert again.post("/_mock/reset", json={"parts": ["variables"]}, headers=key).status_code == 200
    fresh = again.get("/api/v1/policy-bundle", headers=key).json()
    assert (fresh["revision"], fresh["initialized"], fresh["source"]) == (1, False, "migration")


def test_a_data_dir_with_a_provider_policy_but_no_bundle_migrates_it(make_client: Make, tmp_path: Path) -> None:
    """A data dir an earlier mock kept, with 1.13's provider policy and no bundle tables: the bundle's first
    revision is that policy, numbered by its version, as Langflow's migration makes it."""
    data_dir = tmp_path / "older"
    first = make_client(ephemeral=False, data_dir=data_dir)
    key = {"x-api-key": new_api_key(first)}
    first.put("/api/v1/model-provider-policy", json={"approved_provider_ids": ["groq"]}, headers=key)
    first.__exit__(None, None, None)
    with closing(sqlite3.connect(data_dir / "mock-langflow.db")) as db, db:
        db.execute("DROP TABLE policy_bundle_revision")
        db.execute("DROP TABLE policy_bundle_active")
        db.execute("UPDATE model_provider_policy SET version = 3")
    again = make_client(ephemeral=False, data_dir=data_dir)
    migrated = again.get("/api/v1/policy-bundle", headers=key).json()
    groq = {**EMPTY, "approved_provider_ids": ["groq"]}
    assert (migrated["revision"], migrated["initialized"], migrated["source"], migrated["approved_provider_ids"],
            migrated["content_hash"]) == (3, True, "migration", ["groq"], canonical_hash(groq))


def test_1_8_and_1_7_1_have_no_policy_bundle(make_client: Make) -> None:
    for version, answer in (("1.8", "application/json"), ("1.7.1", "text/html; charset=utf-8")):
        server = make_client(langflow_version=version)
        key = {"x-api-key": new_api_key(server)}
        for path in ("/api/v1/policy-bundle", "/api/v1/catalog-policy/components"):
            unknown = server.get(path, headers=key)  # (1.7.1 answers an unknown path with its frontend page)
            assert (unknown.status_code, unknown.headers["content-type"]) == (404 if version == "1.8" else 200,
                                                                              answer)
