"""/api/v1/webhook: 202 for any payload, and the run really happening afterwards (facts 3, 18-19)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import create_flow, new_api_key, other_user_key

ACCEPTED = {"message": "Task started in the background", "status": "in progress"}


@pytest.fixture
def hook(client: TestClient, key_headers: dict[str, str], webhook_flow: dict[str, Any]) -> dict[str, Any]:
    return create_flow(client, key_headers, webhook_flow)


def stored_texts(client: TestClient, headers: dict[str, str], flow_id: str, count: int) -> list[str]:
    """The flow's stored messages once `count` of them exist (the run happens after the 202)."""
    for _ in range(200):
        listed = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
        if len(listed) >= count:
            return [m["text"] for m in listed]
        time.sleep(0.01)
    raise AssertionError(f"expected {count} messages, got {listed}")


def webhook_then_settle(client: TestClient, headers: dict[str, str], flow_id: str) -> None:
    """A webhook call of the flow (answered 202), then a wait for the run it starts after the answer."""
    response = client.post(f"/api/v1/webhook/{flow_id}", json={"n": 1}, headers=headers)
    assert (response.status_code, response.json()) == (202, ACCEPTED)
    jobs = client.app.state.mock.jobs  # type: ignore[attr-defined]
    for _ in range(500):
        if not jobs.running():
            break
        time.sleep(0.01)


def test_a_json_payload_is_accepted_and_rendered_by_the_run(client: TestClient, key_headers: dict[str, str],
                                                            hook: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/webhook/{hook['id']}", json={"any": "payload", "n": 1}, headers=key_headers)
    assert (response.status_code, response.json()) == (202, ACCEPTED)
    assert stored_texts(client, key_headers, hook["id"], 1) == ['```json\n{\n  "any": "payload",\n  "n": 1\n}\n```']


def test_a_text_payload_arrives_wrapped(client: TestClient, key_headers: dict[str, str], hook: dict[str, Any]) -> None:
    response = client.post("/api/v1/webhook/contract-webhook", content=b"plain text payload",
                           headers={**key_headers, "content-type": "text/plain"})
    assert response.status_code == 202
    assert stored_texts(client, key_headers, hook["id"], 1) == [
        '```json\n{\n  "payload": "plain text payload"\n}\n```']


def test_an_escaped_newline_in_a_json_string_leaves_the_payload_wrapped(
        client: TestClient, key_headers: dict[str, str], hook: dict[str, Any]) -> None:
    """Langflow hands the body to the Webhook component as a text field, whose `\\n` its parameter handler turns
    into a newline: the JSON no longer parses, and the component wraps the text as it then reads."""
    response = client.post(f"/api/v1/webhook/{hook['id']}", json={"text": "a\nb"}, headers=key_headers)
    assert response.status_code == 202
    assert stored_texts(client, key_headers, hook["id"], 1) == [
        '```json\n{\n  "payload": "{\\"text\\":\\"a\\nb\\"}"\n}\n```']


def test_an_empty_body_is_400(client: TestClient, key_headers: dict[str, str], hook: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/webhook/{hook['id']}", headers=key_headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "Request body is empty. You should provide a JSON payload containing "
                                         "the flow ID."}


def test_webhook_auth_refusals(client: TestClient, hook: dict[str, Any]) -> None:
    none = client.post(f"/api/v1/webhook/{hook['id']}", json={"x": 1})
    assert (none.status_code, none.json()) == (403, {"detail": "API key required when webhook authentication is "
                                                               "enabled"})
    bad = client.post(f"/api/v1/webhook/{hook['id']}", json={"x": 1}, headers={"x-api-key": "sk-nope"})
    assert (bad.status_code, bad.json()) == (403, {"detail": "Invalid API key"})


def test_1_13_checks_the_key_before_it_looks_for_the_flow(client: TestClient) -> None:
    """With webhook auth on, 1.13 asks for a good key first: an unknown flow without one is a 403."""
    response = client.post("/api/v1/webhook/no-such-endpoint", json={"x": 1})
    assert (response.status_code, response.json()) == (403, {"detail": errors.WEBHOOK_KEY_REQUIRED})
    response = client.post("/api/v1/webhook/no-such-endpoint", json={"x": 1}, headers={"x-api-key": "sk-wrong"})
    assert (response.status_code, response.json()) == (403, {"detail": errors.INVALID_API_KEY})


def test_before_1_13_unknown_flows_are_found_missing_before_the_key_is_checked(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    response = client.post("/api/v1/webhook/no-such-endpoint", json={"x": 1})
    assert (response.status_code, response.json()) == (404, {"detail": "Flow identifier no-such-endpoint not found"})


def test_a_key_finds_the_callers_own_flow_of_a_shared_endpoint_name(
        client: TestClient, key_headers: dict[str, str], webhook_flow: dict[str, Any]) -> None:
    """Two users may use one endpoint name; each one's key runs that user's flow (another's id is a 404)."""
    create_flow(client, key_headers, webhook_flow)
    bob = {"x-api-key": other_user_key(client, key_headers)}
    bobs = create_flow(client, bob, webhook_flow)
    assert bobs["endpoint_name"] == "contract-webhook"
    answer = client.post("/api/v1/webhook/contract-webhook", json={"who": "bob"}, headers=bob)
    assert (answer.status_code, answer.json()) == (202, ACCEPTED)
    assert stored_texts(client, bob, bobs["id"], 1) == ['```json\n{\n  "who": "bob"\n}\n```']
    elsewhere = client.post(f"/api/v1/webhook/{bobs['id']}", json={"who": "me"}, headers=key_headers)
    assert (elsewhere.status_code, elsewhere.json()) == (404, {"detail": f"Flow identifier {bobs['id']} not found"})


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_user_id_chooses_whose_flow_a_shared_endpoint_name_runs(
        make_client: Callable[..., TestClient], webhook_flow: dict[str, Any], version: str) -> None:
    """Before 1.13 an endpoint name runs the first flow made with it, or the flow of the user the query's
    `user_id` names; text there that is not a UUID fails the lookup (Langflow's 500, the mock's 400)."""
    client = make_client(langflow_version=version)
    alice = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, alice)}
    alices = create_flow(client, alice, webhook_flow)
    bobs = create_flow(client, bob, webhook_flow)
    bob_id = client.get("/api/v1/users/whoami", headers=bob).json()["id"]
    first = client.post("/api/v1/webhook/contract-webhook", json={"to": "first"})
    assert (first.status_code, first.json()) == (202, ACCEPTED)
    assert stored_texts(client, alice, alices["id"], 1) == ['```json\n{\n  "to": "first"\n}\n```']
    named = client.post("/api/v1/webhook/contract-webhook", params={"user_id": bob_id}, json={"to": "bob"})
    assert (named.status_code, named.json()) == (202, ACCEPTED)
    assert stored_texts(client, bob, bobs["id"], 1) == ['```json\n{\n  "to": "bob"\n}\n```']
    malformed = client.post("/api/v1/webhook/contract-webhook", params={"user_id": "bob"}, json={"to": "x"})
    assert (malformed.status_code, malformed.json()) == (400, {"detail": "badly formed hexadecimal UUID string"})


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_flow_user_id_chose_runs_as_the_first_flows_owner(
        make_client: Callable[..., TestClient], webhook_flow: dict[str, Any], version: str) -> None:
    """Langflow finds whom a webhook runs as by the endpoint name alone: Bob's flow, chosen by `user_id`, runs
    with the global variables of Alice, whose flow was made first with that name; its message is still Bob's."""
    client = make_client(langflow_version=version)
    alice = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, alice)}
    output = next(n for n in webhook_flow["data"]["nodes"] if n["id"].startswith("ChatOutput"))
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    for headers, value in ((alice, "Alice's bot"), (bob, "Bob's bot")):
        made = client.post("/api/v1/variables/", json={"name": "BOT_NAME", "value": value, "type": "Credential",
                                                       "default_fields": []}, headers=headers)
        assert made.status_code == 201, made.text
    create_flow(client, alice, webhook_flow)
    bobs = create_flow(client, bob, webhook_flow)
    bob_id = client.get("/api/v1/users/whoami", headers=bob).json()["id"]
    named = client.post("/api/v1/webhook/contract-webhook", params={"user_id": bob_id}, json={"to": "bob"})
    assert (named.status_code, named.json()) == (202, ACCEPTED)
    assert stored_texts(client, bob, bobs["id"], 1) == ['```json\n{\n  "to": "bob"\n}\n```']
    listed = client.get("/api/v1/monitor/messages", params={"flow_id": bobs["id"]}, headers=bob).json()
    assert [m["sender_name"] for m in listed] == ["Alice's bot"]
    by_id = client.post(f"/api/v1/webhook/{bobs['id']}", params={"user_id": bob_id}, json={"to": "id"})
    assert by_id.status_code == 202
    assert stored_texts(client, bob, bobs["id"], 2)[1] == '```json\n{\n  "to": "id"\n}\n```'
    listed = client.get("/api/v1/monitor/messages", params={"flow_id": bobs["id"]}, headers=bob).json()
    assert [m["sender_name"] for m in listed] == ["Alice's bot", "Bob's bot"]  # by id: its own owner


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_webhook_auth_checks_the_key_once_the_flow_is_found(
        make_client: Callable[..., TestClient], webhook_flow: dict[str, Any], version: str) -> None:
    """LANGFLOW_WEBHOOK_AUTH_ENABLE on: an unknown flow is still a 404 first; then a key is required, must be
    good, and must be the flow owner's (else 403); an example flow with a good key has no owner (404; 1.7.1
    answers an API 404 with its frontend page)."""
    client = make_client(langflow_version=version, webhook_auth_enable=True)
    alice = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, alice)}
    hook = create_flow(client, alice, webhook_flow)
    unknown = client.post("/api/v1/webhook/no-such-endpoint", json={"x": 1})
    if version == "1.8.4":
        assert (unknown.status_code, unknown.json()) == (404, {"detail": "Flow identifier no-such-endpoint not "
                                                                         "found"})
    else:
        assert (unknown.status_code, unknown.headers["content-type"]) == (200, "text/html; charset=utf-8")
    for headers, detail in (({}, errors.WEBHOOK_KEY_REQUIRED), ({"x-api-key": "sk-wrong"}, errors.INVALID_API_KEY),
                            (bob, "Access denied: You can only execute webhooks for flows you own")):
        refused = client.post(f"/api/v1/webhook/{hook['id']}", json={"x": 1}, headers=headers)
        assert (refused.status_code, refused.json()) == (403, {"detail": detail})
    accepted = client.post("/api/v1/webhook/contract-webhook", json={"x": 1}, headers=alice)
    assert (accepted.status_code, accepted.json()) == (202, ACCEPTED)
    example = client.get("/api/v1/flows/basic_examples/", headers=alice).json()[0]["id"]
    ownerless = client.post(f"/api/v1/webhook/{example}", json={"x": 1}, headers=alice)
    if version == "1.8.4":
        assert (ownerless.status_code, ownerless.json()) == (404, {"detail": f"User for flow {example} not found"})


@pytest.mark.parametrize(("version", "status", "body"), [("1.13.0", 403, {"detail": errors.INVALID_API_KEY}),
                                                      ("1.8.4", 202, ACCEPTED), ("1.7.1", 202, ACCEPTED)])
def test_with_webhook_auth_on_a_deactivated_users_key(make_client: Callable[..., TestClient],
                                                       webhook_flow: dict[str, Any], version: str, status: int,
                                                       body: dict[str, Any]) -> None:
    """1.13 refuses the key of a deactivated user as an unknown one; before, the key check looks at no user's
    is_active, and the flow of its (deactivated) owner runs."""
    client = make_client(langflow_version=version, webhook_auth_enable=True, api_key="sk-" + "W" * 43)
    admin = {"x-api-key": "sk-" + "W" * 43}
    bob = {"x-api-key": other_user_key(client, admin)}
    hook = create_flow(client, bob, webhook_flow)
    assert client.patch(f"/api/v1/users/{hook['user_id']}", json={"is_active": False}, headers=admin).status_code == 200
    answer = client.post(f"/api/v1/webhook/{hook['id']}", json={"k": 1}, headers=bob)
    assert (answer.status_code, answer.json()) == (status, body)


def test_with_webhook_auth_off_the_key_is_never_read_and_the_owner_runs_it(
        make_client: Callable[..., TestClient], webhook_flow: dict[str, Any]) -> None:
    """Auth off: a wrong key or another user's key still runs the flow as its owner; a deactivated owner's flow
    is 404 "Flow not found" (1.13), and an example flow, which nobody owns, has no user to run as."""
    client = make_client(webhook_auth_enable=False, api_key="sk-" + "W" * 43)
    admin = {"x-api-key": "sk-" + "W" * 43}
    bob = {"x-api-key": other_user_key(client, admin)}
    hook = create_flow(client, bob, webhook_flow)
    for headers in ({"x-api-key": "sk-wrong"}, admin):
        assert client.post(f"/api/v1/webhook/{hook['id']}", json={"k": 1}, headers=headers).status_code == 202
    example = client.get("/api/v1/flows/basic_examples/", headers=admin).json()[0]["id"]
    answer = client.post(f"/api/v1/webhook/{example}", json={"k": 1})
    assert (answer.status_code, answer.json()) == (404, {"detail": f"User for flow {example} not found"})
    bob_id = next(u["id"] for u in client.get("/api/v1/users/", headers=admin).json()["users"]
                  if u["username"] == "bob")
    assert client.patch(f"/api/v1/users/{bob_id}", json={"is_active": False}, headers=admin).status_code == 200
    answer = client.post(f"/api/v1/webhook/{hook['id']}", json={"k": 1})
    assert (answer.status_code, answer.json()) == (404, {"detail": "Flow not found"})


def test_with_webhook_auth_off_no_key_is_needed(make_client: Callable[..., TestClient],
                                                webhook_flow: dict[str, Any]) -> None:
    client = make_client(webhook_auth_enable=False)
    headers = {"x-api-key": new_api_key(client)}
    hook = create_flow(client, headers, webhook_flow)
    response = client.post(f"/api/v1/webhook/{hook['id']}", json={"open": True})
    assert response.status_code == 202
    assert stored_texts(client, headers, hook["id"], 1) == ['```json\n{\n  "open": true\n}\n```']


def test_a_flow_without_a_webhook_component_still_answers_202(client: TestClient, key_headers: dict[str, str],
                                                              chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    response = client.post(f"/api/v1/webhook/{flow['id']}", json={"x": 1}, headers=key_headers)
    assert (response.status_code, response.json()) == (202, ACCEPTED)


def test_a_body_that_is_not_utf_8_is_refused_for_a_webhook_node(
        client: TestClient, key_headers: dict[str, str], hook: dict[str, Any], chat_flow: dict[str, Any]) -> None:
    """Langflow decodes the body for the flow's Webhook nodes, and fails (a 500 there, a 400 here) on bytes
    that are not UTF-8; a flow without one never decodes it."""
    answer = client.post(f"/api/v1/webhook/{hook['id']}", content=b"\xff\xfeabc", headers=key_headers)
    detail = "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
    assert (answer.status_code, answer.json()) == (400, {"detail": detail})
    chat = create_flow(client, key_headers, chat_flow)
    assert client.post(f"/api/v1/webhook/{chat['id']}", content=b"\xff", headers=key_headers).status_code == 202


def test_a_webhook_run_logs_each_vertexs_result_as_its_build(client: TestClient, key_headers: dict[str, str],
                                                              hook: dict[str, Any]) -> None:
    """The webhook runs the flow through the graph's own loop, as /run does: each vertex it builds is logged
    under the flow's id and the run's, holding its result as a run response has it."""
    assert client.post(f"/api/v1/webhook/{hook['id']}", json={"n": 1}, headers=key_headers).status_code == 202
    for _ in range(200):  # the run happens after the 202
        builds = client.get("/api/v1/monitor/builds", params={"flow_id": hook["id"]}, headers=key_headers).json()
        listed = builds["vertex_builds"]
        if len(listed) == 2:
            break
        time.sleep(0.01)
    assert sorted(listed) == ["ChatOutput-mN4oP", "Webhook-iJ3kL"]
    assert len({b["job_id"] for [b] in listed.values()}) == 1
    for vertex_id, [build] in listed.items():
        assert (build["flow_id"], build["valid"], build["data"]["component_id"]) == (hook["id"], True, vertex_id)


@pytest.mark.parametrize("version", ["1.13.0", "1.8"])
def test_a_webhook_of_a_graph_lacking_a_part_answers_202_and_runs_nothing(
        make_client: Callable[..., TestClient], webhook_flow: dict[str, Any], version: str) -> None:
    """The webhook answers 202 before its run, which hands the graph to lfx's Graph.from_payload: an edge naming
    no node fails it there, before any vertex, so nothing is built or stored (the background task only logs
    it). The mock used to drop the edge and run the rest."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    webhook_flow["data"]["edges"][0]["target"] = "Nope-1"
    flow_id = create_flow(client, headers, webhook_flow)["id"]
    webhook_then_settle(client, headers, flow_id)
    assert client.get("/api/v1/monitor/builds", params={"flow_id": flow_id},
                      headers=headers).json()["vertex_builds"] == {}
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []
