"""GET /api/v1/flows/public_flow/{flow_id}: the shareable playground's read of a PUBLIC flow, without
credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, new_api_key

UNKNOWN = "0b6c2a3e-5d4f-4e1a-9c8b-7a6f5e4d3c2b"


def shared_flows(client: TestClient, chat_flow: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any], str]:
    """The owner's headers, a PUBLIC flow whose Chat Output has a password field holding a key, a PRIVATE
    flow's id."""
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["openai_api_key"] = {
        "name": "openai_api_key", "type": "str", "password": True, "value": "sk-owner-secret", "show": True}
    public = create_flow(client, headers, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})
    private = create_flow(client, headers, {**chat_flow, "name": "mine"})["id"]
    return headers, public, private


def key_field(flow: dict[str, Any]) -> dict[str, Any]:
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    field: dict[str, Any] = output["data"]["node"]["template"]["openai_api_key"]
    return field


def test_a_public_flow_reads_without_credentials_its_secrets_taken_out(
        client: TestClient, chat_flow: dict[str, Any]) -> None:
    """1.13 answers the flow as the owner reads it, plus what an anonymous visitor may do, and nulls the value of
    every password field of its graph."""
    headers, public, _ = shared_flows(client, chat_flow)
    response = client.get(f"/api/v1/flows/public_flow/{public['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["public_access"] == {"can_read": True, "can_execute": True}
    owners = client.get(f"/api/v1/flows/{public['id']}", headers=headers).json()
    assert key_field(owners)["value"] == "sk-owner-secret"  # the owner's stored flow keeps it
    assert key_field(body)["value"] is None
    assert {k: v for k, v in body.items() if k not in ("public_access", "data")} == {
        k: v for k, v in owners.items() if k != "data"}


@pytest.mark.parametrize("which", ["private", "unknown"])
def test_a_flow_that_is_not_public_is_a_404_in_1_13(client: TestClient, chat_flow: dict[str, Any],
                                                    which: str) -> None:
    headers, _, private = shared_flows(client, chat_flow)
    flow_id = private if which == "private" else UNKNOWN
    for extra in ({}, headers):  # the owner's credentials change nothing
        response = client.get(f"/api/v1/flows/public_flow/{flow_id}", headers=extra)
        assert (response.status_code, response.json()) == (404, {"detail": "Flow not found"})


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_a_public_flow_is_read_as_stored(make_client: Callable[..., TestClient],
                                                      chat_flow: dict[str, Any], version: str) -> None:
    """1.8 and 1.7.1 answer the owner's FlowRead as it is: secrets and all, no public_access."""
    client = make_client(langflow_version=version)
    headers, public, _ = shared_flows(client, chat_flow)
    response = client.get(f"/api/v1/flows/public_flow/{public['id']}")
    assert response.status_code == 200
    assert response.json() == client.get(f"/api/v1/flows/{public['id']}", headers=headers).json()
    assert key_field(response.json())["value"] == "sk-owner-secret"
    assert "public_access" not in response.json()


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_a_flow_that_is_not_public_is_a_403(make_client: Callable[..., TestClient],
                                                         chat_flow: dict[str, Any], version: str) -> None:
    client = make_client(langflow_version=version)
    _, _, private = shared_flows(client, chat_flow)
    for flow_id in (private, UNKNOWN):
        response = client.get(f"/api/v1/flows/public_flow/{flow_id}")
        assert (response.status_code, response.json()) == (403, {"detail": "Flow is not public"})


def test_a_flow_id_that_is_no_uuid_is_a_422(client: TestClient) -> None:
    response = client.get("/api/v1/flows/public_flow/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "flow_id"]


@pytest.mark.parametrize(("version", "schema"), [("1.13", "PublicFlowRead"), ("1.8", "FlowRead"),
                                                 ("1.7.1", "FlowRead")])
def test_the_openapi_document_lists_the_route_with_the_releases_shape(
        make_client: Callable[..., TestClient], version: str, schema: str) -> None:
    document = make_client(langflow_version=version).get("/openapi.json").json()
    operation = document["paths"]["/api/v1/flows/public_flow/{flow_id}"]["get"]
    assert operation["operationId"] == "read_public_flow_api_v1_flows_public_flow__flow_id__get"
    assert "security" not in operation
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": f"#/components/schemas/{schema}"}
