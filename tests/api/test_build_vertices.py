"""Langflow's deprecated vertex-by-vertex build: POST /build/{flow_id}/vertices, POST /build/{flow_id}/vertices/{id}
and GET /build/{flow_id}/{id}/stream, in every profile."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, load_json, new_api_key, other_user_key

ROOT = Path(__file__).parents[2]
CONTRACT_SCRIPT = ROOT / "fixtures" / "scripts" / "contract-1.8-components.yaml"
VERSIONS = ["1.13.0", "1.8.4", "1.7.1"]
CHAIN = ["ChatInput-4N48B", "PromptTemplate-nQ9Nx", "ChatOutput-q1s7H"]  # flow_prompt_chain.json, in order
Setup = tuple[TestClient, dict[str, str], str]


def setup_flow(make_client: Callable[..., TestClient], flow: dict[str, Any], version: str = "1.13.0",
               **settings: Any) -> Setup:
    client = make_client(langflow_version=version, **settings)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, flow)["id"]


def order(client: TestClient, headers: dict[str, str], flow_id: str, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/build/{flow_id}/vertices", headers=headers, json=body or None)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def build(client: TestClient, headers: dict[str, str], flow_id: str, vertex_id: str, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/build/{flow_id}/vertices/{vertex_id}", headers=headers, json=body or None)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def walk(client: TestClient, headers: dict[str, str], flow_id: str, text: str) -> list[dict[str, Any]]:
    """What a client of the old editor does: sort, then build each vertex handed out, its first layer with the
    chat input's text."""
    todo = list(order(client, headers, flow_id)["ids"])
    built = []
    while todo:
        answer = build(client, headers, flow_id, todo.pop(0), inputs={"input_value": text})
        built.append(answer)
        todo += answer["next_vertices_ids"]
    return built


def stream(client: TestClient, headers: dict[str, str], flow_id: str, vertex_id: str) -> str:
    response = client.get(f"/api/v1/build/{flow_id}/{vertex_id}/stream", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    return response.text


def frame(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


CLOSE = frame("close", {"message": "Stream closed"})


@pytest.mark.parametrize("version", VERSIONS)
def test_a_client_walks_the_flow_vertex_by_vertex(make_client: Callable[..., TestClient], version: str) -> None:
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"), version)
    sorted_ = order(client, headers, flow_id)
    assert sorted_["ids"] == [CHAIN[0]]
    assert sorted(sorted_["vertices_to_run"]) == sorted(CHAIN)
    built = walk(client, headers, flow_id, "hello")
    assert [b["id"] for b in built] == CHAIN
    assert [b["next_vertices_ids"] for b in built] == [[CHAIN[1]], [CHAIN[2]], []]
    assert all(b["valid"] and b["inactivated_vertices"] == [] for b in built)
    # a component's vertex (no interface one) shows no results; its artifacts hold what it made, as lfx's have it
    assert (built[1]["data"]["results"], built[1]["params"]) == ({}, "None")
    assert built[1]["data"]["artifacts"] == {"prompt": {"repr": "Greetings, hello!", "raw": "Greetings, hello!",
                                                        "type": "text"}}
    assert built[2]["params"].startswith("- Files: []\n  Message: Greetings, hello!\n")
    # the Chat Input and Chat Output store their messages in the flow's session, under the order's run id
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["sender"], m["text"], m["session_id"]) for m in messages] == [
        ("User", "hello", flow_id), ("Machine", "Greetings, hello!", flow_id)]
    # each vertex build is logged (no job; 1.7.1 has no job_id), each vertex's run a transaction (1.7.1 logs none)
    logged = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert sorted(logged["vertex_builds"]) == sorted(CHAIN)
    assert all(b.get("job_id") is None and b["valid"] for [b] in logged["vertex_builds"].values())
    transactions = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    assert transactions["total"] == (0 if version == "1.7.1" else 3)


def test_the_build_data_is_a_builds_end_vertex(make_client: Callable[..., TestClient]) -> None:
    """A vertex's answer has the shape of the whole-flow build's end_vertex build_data."""
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"))
    order(client, headers, flow_id)
    answer = build(client, headers, flow_id, CHAIN[0], inputs={"input_value": "hi"})
    assert list(answer) == ["id", "inactivated_vertices", "next_vertices_ids", "top_level_vertices", "valid",
                            "params", "data", "timestamp"]
    assert list(answer["data"]) == ["results", "outputs", "logs", "message", "artifacts", "timedelta", "duration",
                                    "used_frozen_result", "token_usage"]
    assert answer["top_level_vertices"] == answer["next_vertices_ids"] == [CHAIN[1]]
    assert answer["data"]["outputs"]["message"] == {"message": "hi", "type": "text"}
    assert answer["timestamp"].endswith("Z")


def test_a_vertex_waits_for_all_its_sources(make_client: Callable[..., TestClient]) -> None:
    """Chat Input and Prompt both feed the model: the first built hands out nothing (the other is already handed
    out), the second hands out the model, as lfx's runnable-vertices manager answers."""
    flow = json.loads((ROOT / "fixtures" / "flows" / "basic_prompting.json").read_text(encoding="utf-8"))
    client, headers, flow_id = setup_flow(make_client, flow)
    sorted_ = order(client, headers, flow_id)
    assert sorted_["ids"] == ["ChatInput-q1s7H", "PromptTemplate-Jx7vk"]
    assert build(client, headers, flow_id, "ChatInput-q1s7H")["next_vertices_ids"] == []
    assert build(client, headers, flow_id, "PromptTemplate-Jx7vk")["next_vertices_ids"] == [
        "LanguageModelComponent-k80Em"]
    model = build(client, headers, flow_id, "LanguageModelComponent-k80Em")
    assert model["valid"] and model["next_vertices_ids"] == ["ChatOutput-0f4Rq"]


def test_a_vertex_built_before_its_source_fails(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"))
    order(client, headers, flow_id)
    early = build(client, headers, flow_id, CHAIN[2])
    text = "Component Prompt Template has not been built yet"
    assert (early["valid"], early["params"], early["next_vertices_ids"]) == (False, text, [])
    assert early["data"]["results"] == {}
    assert early["data"]["outputs"]["message"]["type"] == "error"
    assert early["data"]["outputs"]["message"]["message"]["errorMessage"] == text
    logged = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert [(b["valid"], b["params"]) for b in logged["vertex_builds"][CHAIN[2]]] == [(False, text)]
    # the failure stored nothing and ran nothing; the vertex stays handed out, so its source hands out nothing
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []
    assert client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id},
                      headers=headers).json()["total"] == 0
    build(client, headers, flow_id, CHAIN[0])
    assert build(client, headers, flow_id, CHAIN[1])["next_vertices_ids"] == []
    assert build(client, headers, flow_id, CHAIN[2])["valid"]


def test_a_component_that_raises_fails_its_vertex(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, load_json("flow_boom.json"), scripts=[CONTRACT_SCRIPT])
    order(client, headers, flow_id)
    build(client, headers, flow_id, "ChatInput-aB1cD", inputs={"input_value": "kaboom"})
    failed = build(client, headers, flow_id, "CustomComponent-bO0m1")
    assert (failed["valid"], failed["params"]) == (False, "Error building Component Boom: \n\ncontract boom: kaboom")
    # the component stored its error message in the flow's session, as in a build
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["text"], m["category"], m["session_id"]) for m in messages][-1] == (
        "contract boom: kaboom\n", "error", flow_id)


def test_without_a_kept_graph_the_stored_flow_is_built(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"))
    # the graph Langflow makes then is never sorted: each vertex builds, but none is handed out next
    built = [build(client, headers, flow_id, vertex, inputs={"input_value": "cold"}) for vertex in CHAIN]
    assert [(b["valid"], b["next_vertices_ids"]) for b in built] == [(True, [])] * 3
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["text"], m["session_id"]) for m in messages] == [("cold", flow_id), ("Greetings, cold!", flow_id)]
    # a reset of the runs forgets the kept graph, as a restart of Langflow does
    assert client.post("/_mock/reset", json={"parts": ["jobs"]}, headers=headers).status_code == 200
    assert stream(client, headers, flow_id, CHAIN[2]) == frame("error", {"error": f"No cache found for {flow_id}."}) \
        + CLOSE
    assert build(client, headers, flow_id, CHAIN[1])["params"] == "Component Chat Input has not been built yet"


def test_a_sent_graph_has_no_session(make_client: Callable[..., TestClient]) -> None:
    """A graph sent to the order has no session of its own: its chat messages are stored only under a session
    the inputs name."""
    flow = load_json("flow_chat_io.json")
    client, headers, flow_id = setup_flow(make_client, flow)
    order(client, headers, flow_id, **flow["data"])
    build(client, headers, flow_id, "ChatInput-aB1cD", inputs={"input_value": "unsaved"})
    build(client, headers, flow_id, "ChatOutput-eF2gH")
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []
    order(client, headers, flow_id, **flow["data"])
    build(client, headers, flow_id, "ChatInput-aB1cD", inputs={"input_value": "kept", "session": "s1"})
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["text"], m["session_id"]) for m in messages] == [("kept", "s1")]


def test_the_stream_of_a_built_vertex(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"))
    walk(client, headers, flow_id, "hello")
    # a chat vertex's result is no stream any more: Langflow says so
    assert stream(client, headers, flow_id, CHAIN[2]) == (
        frame("message", {"message": f"Streaming vertex {CHAIN[2]}"})
        + frame("error", {"error": "This stream has already been closed."}) + CLOSE)
    assert stream(client, headers, flow_id, CHAIN[1]) == frame(
        "error", {"error": f"Vertex {CHAIN[1]} does not support streaming"}) + CLOSE
    assert stream(client, headers, flow_id, "Nope-1") == frame("error", {"error": "Vertex Nope-1 not found"}) + CLOSE


@pytest.mark.parametrize("version", VERSIONS)
def test_errors(make_client: Callable[..., TestClient], version: str) -> None:
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"), version)
    order(client, headers, flow_id)
    unknown = client.post(f"/api/v1/build/{flow_id}/vertices/Nope-1", headers=headers)
    assert (unknown.status_code, unknown.json()) == (500, {"detail": "Vertex Nope-1 not found"})
    both = client.post(f"/api/v1/build/{flow_id}/vertices", headers=headers,
                       params={"stop_component_id": CHAIN[1], "start_component_id": CHAIN[0]})
    assert (both.status_code, both.json()) == (
        500, {"detail": "You can only provide one of stop_component_id or start_component_id"})
    bad = client.post(f"/api/v1/build/{flow_id}/vertices", headers=headers, json={"nodes": 1, "edges": []})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "nodes"]
    bad = client.post(f"/api/v1/build/{flow_id}/vertices/{CHAIN[0]}", headers=headers, json={"inputs": "x"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "inputs"]
    empty = create_flow(client, headers, {"name": "empty", "data": None})["id"]
    for path in (f"/api/v1/build/{empty}/vertices", f"/api/v1/build/{empty}/vertices/{CHAIN[0]}"):
        response = client.post(path, headers=headers)
        assert (response.status_code, response.json()) == (500, {"detail": "Invalid flow ID"})
    assert client.post(f"/api/v1/build/{flow_id}/vertices").status_code in (401, 403)


@pytest.mark.parametrize("version", VERSIONS)
def test_another_users_flow(make_client: Callable[..., TestClient], version: str) -> None:
    """1.13's routes are owner-only (a PUBLIC flow of another user too); before, any flow by its id."""
    client, headers, _ = setup_flow(make_client, load_json("flow_prompt_chain.json"), version)
    flow = {**load_json("flow_prompt_chain.json"), "access_type": "PUBLIC"}
    theirs = create_flow(client, {"x-api-key": other_user_key(client, headers)}, flow)["id"]
    responses = [client.post(f"/api/v1/build/{theirs}/vertices", headers=headers),
                 client.post(f"/api/v1/build/{theirs}/vertices/{CHAIN[0]}", headers=headers),
                 client.get(f"/api/v1/build/{theirs}/{CHAIN[0]}/stream", headers=headers)]
    if version == "1.13.0":
        assert all((r.status_code, r.json()) == (404, {"detail": f"Flow with id {theirs} not found"})
                   for r in responses)
    else:
        assert [r.status_code for r in responses] == [200, 200, 200]
        assert responses[1].json()["valid"]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_openapi_document(make_client: Callable[..., TestClient], version: str) -> None:
    """Deprecated everywhere, listed only in 1.7.1's document."""
    paths = make_client(langflow_version=version).get("/openapi.json").json()["paths"]
    operations = [("post", "/api/v1/build/{flow_id}/vertices"),
                  ("post", "/api/v1/build/{flow_id}/vertices/{vertex_id}"),
                  ("get", "/api/v1/build/{flow_id}/{vertex_id}/stream")]
    if version != "1.7.1":
        assert not any(path in paths for _, path in operations)
        return
    assert all(paths[path][method]["deprecated"] for method, path in operations)
    body = paths["/api/v1/build/{flow_id}/vertices"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"anyOf": [{"$ref": "#/components/schemas/FlowDataRequest"}, {"type": "null"}], "title": "Data"}


def test_a_stop_component_keeps_what_it_needs(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"))
    response = client.post(f"/api/v1/build/{flow_id}/vertices", headers=headers,
                           params={"stop_component_id": CHAIN[1]})
    assert sorted(response.json()["vertices_to_run"]) == sorted(CHAIN[:2])
    build(client, headers, flow_id, CHAIN[0])
    assert build(client, headers, flow_id, CHAIN[1])["next_vertices_ids"] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_client_request_time(make_client: Callable[..., TestClient], version: str) -> None:
    """1.7.1 times a vertex's build from the client's request time (ms since the epoch) when sent."""
    client, headers, flow_id = setup_flow(make_client, load_json("flow_prompt_chain.json"), version)
    order(client, headers, flow_id)
    data = build(client, headers, flow_id, CHAIN[0], inputs={"input_value": "hi", "client_request_time": 1000})["data"]
    if version == "1.7.1":  # a build sent a second after the epoch took decades
        assert data["timedelta"] > 1e9 and data["duration"].endswith(" seconds") and " minutes, " in data["duration"]
    else:
        assert data["timedelta"] < 1e9 and data["duration"].endswith(" ms")
    logged = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert logged["vertex_builds"][CHAIN[0]][0]["data"]["duration"] == data["duration"]


def test_1_13s_catalog_policy(make_client: Callable[..., TestClient]) -> None:
    """A graph using a component the catalog policy blocks is refused (400); a kept one is forgotten once blocked."""
    client, headers, flow_id = setup_flow(make_client, load_json("flow_chat_io.json"))
    order(client, headers, flow_id)

    def block(*keys: str) -> None:
        answer = client.put("/api/v1/catalog-policy/components", json={"blocked": list(keys)}, headers=headers)
        assert answer.status_code == 200

    block("ChatOutput")
    refused = {"detail": "Flow build blocked: catalog policy blocks components: ChatOutput"}
    for response in (client.post(f"/api/v1/build/{flow_id}/vertices", headers=headers),
                     client.post(f"/api/v1/build/{flow_id}/vertices/ChatInput-aB1cD", headers=headers),
                     client.get(f"/api/v1/build/{flow_id}/ChatInput-aB1cD/stream", headers=headers)):
        assert (response.status_code, response.json()) == (400, refused)
    block()
    assert stream(client, headers, flow_id, "ChatInput-aB1cD") == frame(
        "error", {"error": f"No cache found for {flow_id}."}) + CLOSE
