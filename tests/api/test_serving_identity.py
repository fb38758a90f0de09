"""1.13's serving-plane end-user identity: runs scoped to a trusted gateway's end-user header (engine/end_users.py,
grounded in lfx 1.13's workflow/end_user_identity.py and Langflow's run doors)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import NAMESPACE_DNS, UUID, uuid5

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.conftest import create_flow, new_api_key

HEADER = "X-End-User-Id"
ON = {"serving_end_user_header": HEADER, "serving_trust_proxy_headers": True}
MISSING = {"error": "End-user identity required", "code": "END_USER_IDENTITY_REQUIRED",
           "message": f"End-user identity is required but the '{HEADER}' header is missing."}


def setup(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
          **settings: Any) -> tuple[TestClient, dict[str, str], str]:
    client = make_client(**settings)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, chat_flow)["id"]


def run(client: TestClient, headers: dict[str, str], flow_id: str, end_user: str | None = None,
        **body: Any) -> Any:
    sent = {**headers, **({HEADER: end_user} if end_user is not None else {})}
    return client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi", **body}, headers=sent)


def messages(client: TestClient, headers: dict[str, str], flow_id: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id, **params},
                                             headers=headers).json()
    return found


def run_records(client: TestClient, headers: dict[str, str], flow_id: str) -> tuple[int, int]:
    """How many transactions and vertex builds the flow's runs left."""
    transactions = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    return transactions["total"], sum(len(b) for b in builds["vertex_builds"].values())


@pytest.mark.parametrize("settings", [{}, {"serving_trust_proxy_headers": True, "serving_end_user_required": True}])
def test_the_header_is_ignored_while_the_feature_is_off(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], settings: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **settings)
    answer = run(client, headers, flow_id, "alice", session_id="s1")
    assert answer.status_code == 200
    assert answer.json()["session_id"] == "s1"
    assert [m["session_id"] for m in messages(client, headers, flow_id)] == ["s1", "s1"]


def test_an_untrusted_header_is_ignored_and_the_run_anonymous(make_client: Callable[..., TestClient],
                                                             chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, serving_end_user_header=HEADER)
    answer = run(client, headers, flow_id, "alice", session_id="s1")
    assert answer.status_code == 200
    assert answer.json()["session_id"].startswith("anon::")
    assert messages(client, headers, flow_id) == []


def test_an_identified_run_is_scoped_to_its_end_user(make_client: Callable[..., TestClient],
                                                     chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON)
    assert run(client, headers, flow_id, " alice ", session_id="s1").json()["session_id"] == "alice::s1"
    # no session: the flow's id, prefixed; the scoped key sent back is not prefixed again
    assert run(client, headers, flow_id, "alice").json()["session_id"] == f"alice::{flow_id}"
    assert run(client, headers, flow_id, "alice", session_id="alice::s1").json()["session_id"] == "alice::s1"
    # another end user's key is theirs to prefix
    assert run(client, headers, flow_id, "bob", session_id="alice::s1").json()["session_id"] == "bob::alice::s1"
    stored = messages(client, headers, flow_id)
    assert {m["session_id"] for m in stored} == {"alice::s1", f"alice::{flow_id}", "bob::alice::s1"}
    # the monitor's end_user_id filter finds an end user's messages by the owner their id maps to
    alices = messages(client, headers, flow_id, end_user_id="alice")
    assert len(alices) == 6 and {m["session_id"] for m in alices} == {"alice::s1", f"alice::{flow_id}"}
    assert len(messages(client, headers, flow_id, end_user_id="bob")) == 2
    assert messages(client, headers, flow_id, end_user_id="carol") == []
    transactions, builds = run_records(client, headers, flow_id)
    assert transactions == 8 and builds > 0


def test_a_uuid_end_user_owns_its_messages_as_that_uuid(make_client: Callable[..., TestClient],
                                                        chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON)
    end_user = "6f1c0a52-7d0e-4e43-9a53-2b8f0f7f1d11"
    run(client, headers, flow_id, end_user)
    assert len(messages(client, headers, flow_id, end_user_id=end_user.upper())) == 2
    from mock_langflow.engine.end_users import message_owner

    assert message_owner(end_user) == UUID(end_user)
    assert message_owner("alice") == uuid5(uuid5(NAMESPACE_DNS, "end-user.serving.langflow.ai"), "alice")


def test_an_anonymous_run_stores_nothing(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON)
    answer = run(client, headers, flow_id, session_id="alice::s1")
    assert answer.status_code == 200
    body = answer.json()
    session = body["session_id"]
    assert session.startswith("anon::") and UUID(session.removeprefix("anon::"))
    assert body["outputs"][0]["outputs"][0]["results"]["message"]["text"] == "hi"
    assert run(client, headers, flow_id, "  ").json()["session_id"] not in (session, "alice::s1")
    assert messages(client, headers, flow_id) == []
    assert run_records(client, headers, flow_id) == (0, 0)
    streamed = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "hi"}, headers=headers)
    assert streamed.status_code == 200 and '"event": "end"' in streamed.text
    assert messages(client, headers, flow_id) == []


def test_a_required_end_user_missing_is_a_401_at_each_run_door(make_client: Callable[..., TestClient],
                                                               chat_flow: dict[str, Any],
                                                               webhook_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON, serving_end_user_required=True)
    answer = run(client, headers, flow_id)
    assert (answer.status_code, answer.json()) == (401, {"detail": MISSING})
    streamed = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "hi"}, headers=headers)
    assert (streamed.status_code, streamed.json()) == (401, {"detail": MISSING})
    hook = create_flow(client, headers, webhook_flow)["id"]
    refused = client.post(f"/api/v1/webhook/{hook}", json={"any": 1}, headers=headers)
    assert (refused.status_code, refused.json()) == (401, {"detail": MISSING})
    assert client.post(f"/api/v1/webhook/{hook}", json={"any": 1}, headers={**headers, HEADER: "a"}).status_code == 202
    assert run(client, headers, flow_id, "alice").status_code == 200
    # an unknown flow is still a 404 first
    assert run(client, headers, "no-such-flow").status_code == 404


def test_required_without_trust_refuses_every_run(make_client: Callable[..., TestClient],
                                                  chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, serving_end_user_header=HEADER,
                                     serving_end_user_required=True)
    answer = run(client, headers, flow_id, "alice")
    assert answer.status_code == 401
    assert answer.json()["detail"]["message"].startswith("End-user identity is required but "
                                                         "LANGFLOW_SERVING_TRUST_PROXY_HEADERS is false")


def test_releases_before_1_13_read_no_end_user(make_client: Callable[..., TestClient],
                                               chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON, serving_end_user_required=True,
                                     langflow_version="1.8.4")
    answer = run(client, headers, flow_id, session_id="s1")
    assert (answer.status_code, answer.json()["session_id"]) == (200, "s1")


def test_the_settings_are_read_from_langflows_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    from mock_langflow import Settings

    monkeypatch.setenv("LANGFLOW_SERVING_END_USER_HEADER", HEADER)
    monkeypatch.setenv("LANGFLOW_SERVING_TRUST_PROXY_HEADERS", "true")
    monkeypatch.setenv("LANGFLOW_SERVING_END_USER_REQUIRED", "1")
    settings = Settings()
    assert (settings.serving_end_user_header, settings.serving_trust_proxy_headers,
            settings.serving_end_user_required) == (HEADER, True, True)


WF = "/api/v2/workflows"


def workflow(client: TestClient, headers: dict[str, str], flow_id: str, end_user: str | None = None,
             **body: Any) -> Any:
    sent = {**headers, **({HEADER: end_user} if end_user is not None else {})}
    return client.post(WF, json={"flow_id": flow_id, "input_value": "hi", **body}, headers=sent)


def job_status(client: TestClient, headers: dict[str, str], job_id: str, end_user: str | None = None) -> Any:
    sent = {**headers, **({HEADER: end_user} if end_user is not None else {})}
    return client.get(WF, params={"job_id": job_id}, headers=sent)


def finished(client: TestClient, headers: dict[str, str], job_id: str, end_user: str,
             done: tuple[str, ...] = ("completed", "failed")) -> dict[str, Any]:
    """The job's status, as its end user sees it, once it is one of `done`."""
    for _ in range(500):
        body: dict[str, Any] = job_status(client, headers, job_id, end_user).json()
        if body.get("status") in done:
            return body
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} never reached {done}")


def test_v2_runs_are_scoped_to_their_end_user(make_client: Callable[..., TestClient],
                                              chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON, job_latency_ms=0)
    sync = workflow(client, headers, flow_id, "alice", session_id="s1")
    assert (sync.status_code, sync.json()["session_id"]) == (200, "alice::s1")
    streamed = workflow(client, headers, flow_id, "alice", mode="stream")
    assert streamed.status_code == 200
    job = workflow(client, headers, flow_id, "bob", mode="background").json()["job_id"]
    assert finished(client, headers, job, "bob")["session_id"] == f"bob::{flow_id}"
    assert {m["session_id"] for m in messages(client, headers, flow_id)} == {
        "alice::s1", f"alice::{flow_id}", f"bob::{flow_id}"}
    anonymous = workflow(client, headers, flow_id, session_id="alice::s1")
    assert anonymous.json()["session_id"].startswith("anon::")
    assert len(messages(client, headers, flow_id)) == 6


def test_v2_jobs_are_isolated_between_end_users(make_client: Callable[..., TestClient],
                                                chat_flow: dict[str, Any]) -> None:
    # the API key is the superuser's: with the feature on it does not see every end user's jobs
    client, headers, flow_id = setup(make_client, chat_flow, **ON, job_latency_ms=0)
    job = workflow(client, headers, flow_id, "alice", mode="background").json()["job_id"]
    assert finished(client, headers, job, "alice")["status"] == "completed"
    for other in ({HEADER: "bob"}, {}):
        hidden = client.get(WF, params={"job_id": job}, headers={**headers, **other})
        assert (hidden.status_code, hidden.json()["code"]) == (404, "JOB_NOT_FOUND")
        assert client.post(f"{WF}/stop", json={"job_id": job}, headers={**headers, **other}).status_code == 404
        assert client.get(f"{WF}/{job}/events", headers={**headers, **other}).status_code == 404
    # the same end user, its id in UUID form or not, sees its own
    assert client.post(f"{WF}/stop", json={"job_id": job}, headers={**headers, HEADER: "alice"}).status_code == 200
    sync = workflow(client, headers, flow_id).json()["job_id"]  # an anonymous run's job: for no end user
    assert job_status(client, headers, sync).status_code == 200
    assert job_status(client, headers, sync, "alice").status_code == 404


def test_a_required_end_user_missing_is_a_401_for_v2_and_responses(make_client: Callable[..., TestClient],
                                                                   chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON, serving_end_user_required=True)
    for mode in ("sync", "stream", "background"):
        refused = workflow(client, headers, flow_id, mode=mode)
        assert (refused.status_code, refused.json()) == (401, {"detail": MISSING})
    refused = client.post("/api/v1/responses", json={"model": flow_id, "input": "hi"}, headers=headers)
    assert (refused.status_code, refused.json()) == (401, {"detail": MISSING})
    assert messages(client, headers, flow_id) == []


def test_a_responses_run_is_scoped_to_its_end_user(make_client: Callable[..., TestClient],
                                                   chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON)
    answer = client.post("/api/v1/responses", json={"model": flow_id, "input": "hi"},
                         headers={**headers, HEADER: "alice"}).json()
    assert {m["session_id"] for m in messages(client, headers, flow_id)} == {f"alice::{answer['id']}"}
    client.post("/api/v1/responses", json={"model": flow_id, "input": "hi"}, headers=headers)
    assert len(messages(client, headers, flow_id)) == 2


def test_an_end_users_erase_takes_their_runs_jobs_and_vertex_builds(make_client: Callable[..., TestClient],
                                                                    chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, **ON, job_latency_ms=0, data_subject_requests=True)
    jobs = {who: workflow(client, headers, flow_id, who, mode="background").json()["job_id"] for who in ("al", "bo")}
    for who, job in jobs.items():
        finished(client, headers, job, who)
    base = "/api/v1/data-subjects"
    found = client.post(f"{base}/find", json={"subject_type": "end_user", "end_user_id": "al"}, headers=headers)
    assert (found.json()["counts"]["runs"], found.json()["counts"]["messages"]) == (1, 2)
    request = client.post(f"{base}/requests", json={"subject_type": "end_user", "end_user_id": "al"},
                          headers=headers).json()
    assert client.post(f"{base}/requests/{request['id']}/approve", headers=headers).status_code == 202
    counts = client.get(f"{base}/requests/{request['id']}", headers=headers).json()["counts"]
    assert (counts["jobs"], counts["messages"], counts["vertex_builds"]) == (1, 2, 2)
    assert job_status(client, headers, jobs["al"], "al").status_code == 404
    assert job_status(client, headers, jobs["bo"], "bo").json()["status"] == "completed"
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert builds["vertex_builds"]  # bob's stay


def test_suspended_runs_are_listed_and_resumed_by_their_own_end_user_only(
        make_client: Callable[..., TestClient]) -> None:
    from tests.api.test_workflows_hitl import HUMAN, hitl_flow

    client = make_client(**ON)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, hitl_flow())["id"]
    job = workflow(client, headers, flow_id, "alice", input_value="ship it?", mode="background",
                   session_id="s-1").json()["job_id"]
    finished(client, headers, job, "alice", ("suspended",))
    alice, bob = {**headers, HEADER: "alice"}, {**headers, HEADER: "bob"}
    listed = client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=alice).json()
    assert [(row["job_id"], row["session_id"]) for row in listed] == [(job, "alice::s-1")]
    assert client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=bob).json() == []
    assert client.get(f"{WF}/pending", params={"flow_id": flow_id}, headers=headers).json() == []
    decision = {"request_id": f"{HUMAN}:{job}", "decision": {"action_id": "approve"}}
    assert client.post(f"{WF}/{job}/resume", json=decision, headers=bob).status_code == 404
    assert client.post(f"{WF}/{job}/resume", json=decision, headers=alice).status_code == 200
    assert finished(client, headers, job, "alice")["status"] == "completed"
    assert {m["session_id"] for m in messages(client, headers, flow_id, end_user_id="alice")} == {"alice::s-1"}



def test_a_project_mcp_tool_call_is_scoped_to_its_end_user(make_client: Callable[..., TestClient],
                                                           chat_flow: dict[str, Any]) -> None:
    from tests.api.test_mcp import call, mcp_flow, project_id

    client = make_client(**ON, serving_end_user_required=True)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = mcp_flow(client, headers, chat_flow, "echo")["id"]
    path = f"/api/v1/mcp/project/{project_id(client, headers)}/streamable"
    answer = call(client, path, {**headers, HEADER: "alice"}, "echo", input_value="hi", session_id="s1")
    assert answer["isError"] is False
    assert {m["session_id"] for m in messages(client, headers, flow_id)} == {"alice::s1"}
    refused = call(client, path, headers, "echo", input_value="hi")
    assert refused["isError"] is True
    assert refused["content"][0]["text"] == f"Error Executing the {chat_flow['name']} tool. Error: 401: {MISSING}"
    # the global MCP server reads no end user
    assert call(client, "/api/v1/mcp/streamable", headers, "contract_chat_io", input_value="hi")["isError"] is False


def test_memory_chunks_carry_their_end_user_and_go_with_their_erase(make_client: Callable[..., TestClient],
                                                                  chat_flow: dict[str, Any]) -> None:
    """A memory base's chunks of an end user's session carry their id (lfx stamps end_user_id from the scoped
    session), and that end user's erase purges them from the base, leaving the others'."""
    client, headers, flow_id = setup(make_client, chat_flow, **ON, data_subject_requests=True)
    made = client.post("/api/v1/memories", json={"name": "Support", "flow_id": flow_id, "threshold": 1,
                                                 "embedding_model": "text-embedding-3-small"}, headers=headers)
    assert made.status_code == 201, made.text
    for who in ("al", "bo"):
        assert run(client, headers, flow_id, who, session_id="chat").status_code == 200
    store = client.app.state.mock.store  # type: ignore[attr-defined]

    def stamped() -> list[str | None]:
        from mock_langflow.store.knowledge_bases import KbChunkRow

        with store.db.session() as s:
            return sorted(str(c.meta.get("end_user_id")) for c in s.exec(select(KbChunkRow)).all())

    assert stamped() == ["al", "al", "bo", "bo"]  # each session's question and answer
    erased = client.post("/api/v1/data-subjects/erase", json={"subject_type": "end_user", "end_user_id": "al"},
                         headers=headers)
    assert erased.status_code == 202, erased.text
    assert stamped() == ["bo", "bo"]
    mismatch = client.get(f"/api/v1/memories/{made.json()['id']}/mismatch", headers=headers).json()
    assert mismatch == {"mismatch_detected": False}


def test_a_frozen_result_is_reused_for_its_own_end_user_only(make_client: Callable[..., TestClient]) -> None:
    """lfx keys a frozen vertex's kept result by the end user a serving run is for, so one end user never gets
    the answer another's run left."""
    from tests.api.test_frozen import frozen_copy, script

    client = make_client(**ON)
    headers = {"x-api-key": new_api_key(client)}
    script(client, headers)
    flow_id = frozen_copy(client, headers)["id"]

    def reply(end_user: str) -> str:
        answered = run(client, headers, flow_id, end_user, session_id="s")
        assert answered.status_code == 200, answered.text
        text: str = answered.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"]
        return text

    assert [reply("al"), reply("bo"), reply("al"), reply("bo")] == [
        "first answer", "second answer", "first answer", "second answer"]
