"""POST /api/v1/variables/detections (1.13's api/v1/variable.py detect_env_vars): which of the caller's global
variables a set of flow versions refer to."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import create_flow, new_api_key, other_user_key

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
URL = "/api/v1/variables/detections"


def referring(flow: dict[str, Any], *values: tuple[str, bool]) -> dict[str, Any]:
    """The flow with one text field per (value, load_from_db) on its Chat Output."""
    graph = copy.deepcopy(flow)
    template = graph["data"]["nodes"][1]["data"]["node"]["template"]
    for n, (value, from_db) in enumerate(values):
        template[f"field_{n}"] = {"type": "str", "value": value, "load_from_db": from_db}
    return graph


def snapshot(client: TestClient, headers: dict[str, str], flow: dict[str, Any],
             data: Any = None) -> str:
    made = create_flow(client, headers, flow)
    body = {"data": data} if data is not None else None
    response = client.post(f"/api/v1/flows/{made['id']}/versions/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def variable(client: TestClient, headers: dict[str, str], name: str, kind: str = "Credential") -> None:
    response = client.post("/api/v1/variables/", json={"name": name, "value": "v", "type": kind,
                                                       "default_fields": []}, headers=headers)
    assert response.status_code == 201, response.text


def test_detections_answer_the_callers_variables_the_versions_load_sorted(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    variable(client, key_headers, "ZETA_KEY")
    variable(client, key_headers, "ALPHA_KEY", "Generic")
    variable(client, key_headers, "UNUSED_KEY")
    first = snapshot(client, key_headers, referring(chat_flow, ("ZETA_KEY", True), (" ALPHA_KEY ", True)))
    # a value not loaded from the database, or naming no variable of the caller's, is never echoed
    second = snapshot(client, key_headers, referring(chat_flow, ("UNUSED_KEY", False), ("sk-secret", True)))
    response = client.post(URL, json={"flow_version_ids": [first, second, first]}, headers=key_headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"variables": ["ALPHA_KEY", "ZETA_KEY"]}


def test_detections_refuse_a_version_not_the_callers_or_without_nodes(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    mine = snapshot(client, key_headers, chat_flow)
    response = client.post(URL, json={"flow_version_ids": [mine, UNKNOWN_ID]}, headers=key_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": f"Flow version {UNKNOWN_ID} not found"}
    bob = {"x-api-key": other_user_key(client, key_headers)}
    assert client.post(URL, json={"flow_version_ids": [mine]}, headers=bob).json() == {
        "detail": f"Flow version {mine} not found"}
    odd = snapshot(client, key_headers, chat_flow, data={"edges": []})
    response = client.post(URL, json={"flow_version_ids": [odd]}, headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": f"Flow version {odd} data must be a JSON object with a 'nodes' list "
                                         "containing node templates."}


def test_detections_take_one_to_fifty_version_ids(client: TestClient, key_headers: dict[str, str]) -> None:
    for ids in ([], [UNKNOWN_ID] * 51):
        response = client.post(URL, json={"flow_version_ids": ids}, headers=key_headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "flow_version_ids"]
    assert client.post(URL, json={"flow_version_ids": ["nope"]}, headers=key_headers).status_code == 422


def test_detections_are_a_1_13_route(make_client: Callable[..., TestClient]) -> None:
    for version in ("1.8.4", "1.7.1"):
        client = make_client(langflow_version=version)
        headers = {"x-api-key": new_api_key(client)}
        assert client.post(URL, json={"flow_version_ids": [UNKNOWN_ID]}, headers=headers).status_code in (404, 405)
