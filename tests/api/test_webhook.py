"""/api/v1/webhook: 202 for any payload, and the run really happening afterwards (facts 3, 18-19)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, new_api_key

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


def test_unknown_flows_are_found_missing_before_the_key_is_checked(client: TestClient) -> None:
    response = client.post("/api/v1/webhook/no-such-endpoint", json={"x": 1})
    assert (response.status_code, response.json()) == (404, {"detail": "Flow identifier no-such-endpoint not found"})


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
