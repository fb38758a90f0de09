"""/api/v1/build: build jobs, their NDJSON events (streamed, polled, direct), cancel, and monitor records."""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app
from mock_langflow.errors import credential_in_session_id
from tests.conftest import (
    KEY,
    as_an_older_mock_left_it,
    asgi_call,
    asgi_get_scope,
    create_flow,
    load_json,
    new_api_key,
    other_user_key,
    paced_streaming_flow,
    restore_not_null,
    start_server,
    stop_server,
    two_outputs,
)

CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"
BUILD_ORDER = ["vertices_sorted", "build_start", "add_message", "end_vertex", "add_message", "end_vertex", "end"]
# "Boom" raises ValueError("contract boom: <input>") (the 1.8 contract recordings' failing component)
CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"
BOOM = "Error building Component Boom: \n\ncontract boom: kaboom"


@pytest.fixture
def setup(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> tuple[TestClient, dict[str, str], str]:
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, chat_flow)["id"]


def slow_echo(delay: float) -> dict[str, Any]:
    """Chat Input -> "Slow Echo" (sleeps `delay` s under CONTRACT_SCRIPT) -> Chat Output."""
    flow = load_json("flow_slow_echo.json")
    for node in flow["data"]["nodes"]:
        if "delay" in node["data"]["node"]["template"]:
            node["data"]["node"]["template"]["delay"]["value"] = delay
    return dict(flow)


def wait_for_message(client: TestClient, headers: dict[str, str], flow_id: str, text: str) -> None:
    """Until the build's Chat Input stored its message, so its first events are queued (read without taking any)."""
    for _ in range(100):
        messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
        if any(m["text"] == text for m in messages):
            return
        time.sleep(0.02)
    raise AssertionError("the build never stored its input")


def ndjson(text: str) -> list[dict[str, Any]]:
    decoder, pos, out = json.JSONDecoder(), 0, []
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos < len(text):
            obj, pos = decoder.raw_decode(text, pos)
            out.append(obj)
    return out


def start(client: TestClient, headers: dict[str, str], flow_id: str, text: str = "build hello",
          **params: str) -> str:
    response = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": text}},
                           params=params, headers=headers)
    assert response.status_code == 200
    job_id: str = response.json()["job_id"]
    return job_id


def test_a_build_streams_langflows_event_order(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = start(client, headers, flow_id, "stream me", event_delivery="streaming")
    response = client.get(f"/api/v1/build/{job}/events", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.text.endswith("}\n\n") and "\n\n\n" not in response.text
    events = ndjson(response.text)
    assert [e["event"] for e in events] == BUILD_ORDER
    assert events[0]["data"] == {"ids": ["ChatInput-aB1cD"], "to_run": ["ChatOutput-eF2gH", "ChatInput-aB1cD"]}
    vertex = events[3]["data"]
    assert set(vertex) == {"build_data", "output_meta"}
    assert vertex["build_data"]["id"] == "ChatInput-aB1cD"
    assert vertex["build_data"]["next_vertices_ids"] == ["ChatOutput-eF2gH"]
    assert vertex["build_data"]["data"]["duration"].endswith(" ms")
    assert events[4]["data"]["text"] == "stream me"
    assert isinstance(events[-1]["data"]["build_duration"], float)


def test_build_events_are_gzipped_for_clients_that_accept_it(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = start(client, headers, flow_id)
    response = client.get(f"/api/v1/build/{job}/events", headers={**headers, "Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"  # streams too: no minimum size (fact 21)


def test_reading_a_drained_stream_again_is_what_real_langflow_never_answers(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = start(client, headers, flow_id)
    client.get(f"/api/v1/build/{job}/events", headers=headers)
    again = client.get(f"/api/v1/build/{job}/events", headers=headers)
    assert again.status_code == 409  # MOCK_LANGFLOW_NEVER_ANSWER=error turns the endless wait into this
    assert "never answers" in again.json()["detail"]


def test_polling_hands_out_new_events_then_a_synthetic_end(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = start(client, headers, flow_id, "poll me", event_delivery="polling")
    seen: list[str] = []
    polls: list[str] = []
    for _ in range(20):
        response = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
        assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
        polls.append(response.text)
        batch = ndjson(response.text)
        seen += [e["event"] for e in batch]
        if batch == [{"event": "end", "data": {}}]:
            break
    assert seen == [*BUILD_ORDER, "end"]
    assert all(gap == "\n\n\n" for poll in polls for gap in _gaps(poll))  # polls join events with "\n" (fact 22)
    after = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    assert after.status_code == 409


def read_for(client: TestClient, path: str, headers: dict[str, str], seconds: float = 0.5,
             **params: str) -> tuple[int | None, str, bool]:
    """One GET driven through the app for at most `seconds`: its status (None: not even headers came), the body
    so far, and whether the answer was still open then (where real Langflow never ends it)."""
    scope = asgi_get_scope(client, path, headers, urlencode(params))
    sent: list[dict[str, Any]] = []

    async def drive() -> bool:
        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        with anyio.move_on_after(seconds) as timer:
            await asgi_call(client, scope, send)
        return timer.cancelled_caught

    assert client.portal is not None
    still_open = client.portal.call(drive)
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), None)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body.decode(), still_open


def _gaps(text: str) -> list[str]:
    return [text[i + 1: i + 4] for i in range(len(text) - 3) if text[i] == "}" and text[i + 1] == "\n"][:-1]


def test_polled_events_are_gone_for_a_later_stream(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """Langflow's job queue hands each event to one reader: after polls took everything, a stream gets only the
    empty end the last poll queued, and then stays open (nothing else ever comes)."""
    client, headers, flow_id = setup
    job = start(client, headers, flow_id, "poll me", event_delivery="polling")
    seen: list[dict[str, Any]] = []
    while not seen or seen[-1]["event"] != "end":
        poll = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
        seen += ndjson(poll.text)
    assert [e["event"] for e in seen] == BUILD_ORDER and "build_duration" in seen[-1]["data"]
    status, body, still_open = read_for(client, f"/api/v1/build/{job}/events", headers)
    assert (status, body, still_open) == (200, '{"event": "end", "data": {}}\n\n', True)
    after = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    assert after.status_code == 409  # the poll would wait for ever: the stream took the last thing queued


def test_a_stream_read_to_the_end_leaves_nothing_to_poll(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = start(client, headers, flow_id)
    streamed = client.get(f"/api/v1/build/{job}/events", headers=headers)
    assert [e["event"] for e in ndjson(streamed.text)] == BUILD_ORDER
    poll = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    assert poll.status_code == 409  # Langflow's poll waits for ever on the empty queue: the stream took the close
    assert "never answers" in poll.json()["detail"]


def test_a_stream_left_before_a_finished_builds_close_queues_an_end_behind_it(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A client that leaves a finished build's stream before reading its close (the stream's disconnect hook,
    called here as the server calls it) makes Langflow queue an empty `end` behind the close: the next reader still
    gets every event up to the close, and the reader after it gets that `end` with the one the poll queued."""
    from mock_langflow.routers.build import reader_left

    client, headers, flow_id = setup
    job = start(client, headers, flow_id)
    path = f"/api/v1/build/{job}/events"
    state = client.app.state.mock  # type: ignore[attr-defined]
    for _ in range(100):  # until the build has finished (nobody reads it meanwhile)
        if state.store.jobs.get(uuid.UUID(job)).status == "completed":
            break
        time.sleep(0.02)
    reader_left(state, uuid.UUID(job))
    first = client.get(path, params={"event_delivery": "polling"}, headers=headers)
    assert [e["event"] for e in ndjson(first.text)] == BUILD_ORDER
    second = client.get(path, params={"event_delivery": "polling"}, headers=headers)
    assert (second.status_code, ndjson(second.text)) == (200, [{"event": "end", "data": {}}] * 2)


def test_two_readers_split_a_jobs_events(make_client: Callable[..., TestClient]) -> None:
    """What one reader took, the next does not get again: a poll during a slow build, then a stream. (The
    stream is read for a bounded time: had the poll come after the build and taken its end, the stream would
    stay open for ever, as Langflow's does. The slow component takes 4 s, so a loaded machine still polls
    before it is done: 1.5 s was not always enough.)"""
    client = make_client(never_answer="error", job_latency_ms=0, scripts=[CONTRACT_SCRIPT])
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, slow_echo(4))["id"]
    job = start(client, headers, flow_id, "split me")
    wait_for_message(client, headers, flow_id, "split me")
    polled = ndjson(client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"},
                               headers=headers).text)
    status, body, still_open = read_for(client, f"/api/v1/build/{job}/events", headers, seconds=30)
    assert (status, still_open) == (200, False), [e["event"] for e in polled]
    streamed = ndjson(body)
    assert [e["event"] for e in polled] == ["vertices_sorted", "build_start", "add_message", "end_vertex"]
    assert [e["event"] for e in streamed] == ["end_vertex", "add_message", "end_vertex", "end"]
    assert [e["data"]["build_data"]["id"] for e in polled + streamed if e["event"] == "end_vertex"] == [
        "ChatInput-aB1cD", "CustomComponent-sL0w1", "ChatOutput-eF2gH"]


@pytest.mark.parametrize(("version", "stays_open"), [("1.13.0", False), ("1.8", True)])
def test_a_failed_builds_stream_ends_only_in_1_13(make_client: Callable[..., TestClient], version: str,
                                                  stays_open: bool) -> None:
    """1.13's job task closes the queue of a build that failed as a whole (here: a flow without a graph); before,
    the failed task leaves it open, so the stream stays open after the error, as the recordings show. (A component
    that raises fails only its vertex, and the build ends as usual.)"""
    client = make_client(never_answer="error", job_latency_ms=0, langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, {"name": "no graph", "data": None})["id"]
    job = start(client, headers, flow_id, "boom")
    status, body, still_open = read_for(client, f"/api/v1/build/{job}/events", headers, seconds=1)
    assert (status, still_open) == (200, stays_open)
    assert ndjson(body)[-1]["event"] == "error"


def test_direct_delivery_streams_in_the_post_answer(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "direct me"}}, headers=headers)
    assert response.headers["content-type"] == "application/x-ndjson"
    assert [e["event"] for e in ndjson(response.text)] == BUILD_ORDER


def test_a_build_with_a_session_stores_its_messages_there(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "hi", "session": "build-sess-1"}}, headers=headers)
    assert all(e["data"]["session_id"] == "build-sess-1" for e in ndjson(response.text) if e["event"] == "add_message")
    stored = client.get("/api/v1/monitor/messages", params={"session_id": "build-sess-1"}, headers=headers).json()
    assert [m["sender"] for m in stored] == ["User", "Machine"]


def test_an_unsaved_graph_can_be_built(setup: tuple[TestClient, dict[str, str], str],
                                       chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup
    graph = chat_flow["data"]
    graph["nodes"][1]["data"]["node"]["template"]["sender_name"]["value"] = "Draft"
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "x"}, "data": graph}, headers=headers)
    ai = [e["data"] for e in ndjson(response.text) if e["event"] == "add_message"][-1]
    assert ai["sender_name"] == "Draft"


def test_a_build_graph_needs_its_nodes_and_edges(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(f"/api/v1/build/{flow_id}/flow", json={"data": {"nodes": []}}, headers=headers)
    assert response.status_code == 422
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [("missing", ["body", "data", "edges"])]


def unknown_target(graph: dict[str, Any]) -> None:
    graph["edges"][0]["target"] = "Nope-1"


def edge_without_source(graph: dict[str, Any]) -> None:
    del graph["edges"][0]["source"]


def node_without_id(graph: dict[str, Any]) -> None:
    del graph["nodes"][1]["id"]


def data_without_type(graph: dict[str, Any]) -> None:
    del graph["nodes"][0]["data"]["type"]


def template_without_type(graph: dict[str, Any]) -> None:
    del graph["nodes"][0]["data"]["node"]["template"]["_type"]


def data_without_its_id(graph: dict[str, Any]) -> None:
    del graph["nodes"][0]["data"]["id"]


def output_without_types(graph: dict[str, Any]) -> None:
    del graph["nodes"][1]["data"]["node"]["outputs"][0]["types"]


def bare_edge(graph: dict[str, Any]) -> None:
    """An edge as a hand-written client might send it: its ends only, no handles."""
    graph["edges"] = [{"source": e["source"], "target": e["target"]} for e in graph["edges"]]


@pytest.mark.parametrize(("damage", "detail"), [
    (unknown_target, "Vertex Nope-1 not found"),
    (edge_without_source, "Error while creating graph from payload: 'source'"),
    (node_without_id, "Error while creating graph from payload: 'id'"),
    (data_without_type, "Error while creating graph from payload: 'type'"),
    (template_without_type, "Error while creating graph from payload: '_type'"),
    (data_without_its_id, "Vertex data for Chat Input does not contain an id"),
    (output_without_types, "Error while creating graph from payload: 'types'"),
    (bare_edge, "Error while creating graph from payload: 'data'"),
])
def test_a_graph_lacking_a_part_langflow_reads_fails_the_build_before_any_vertex(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any],
        damage: Callable[[dict[str, Any]], None], detail: str) -> None:
    """lfx's Graph.from_payload reads each node's id, data, type, template and _type, each output's types and
    each edge's ends and handles: a missing one is its KeyError, rewrapped as "Error while creating graph from
    payload: '<key>'", an edge naming no node "Vertex <id> not found". The build's graph step raises it as a 500
    (build.py build_graph_and_get_order), so the job fails before `vertices_sorted`: the error Message, then the
    bare "500: <text>". The mock used to drop such edges and name such nodes itself, and built them."""
    client, headers, flow_id = setup
    graph = chat_flow["data"]
    damage(graph)
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "x"}, "data": graph}, headers=headers)
    assert response.status_code == 200
    message, closing = ndjson(response.text)
    assert (message["event"], message["data"]["text"], message["data"]["category"]) == ("error", f"{detail}\n", "error")
    assert closing == {"event": "error", "data": {"error": f"500: {detail}"}}
    assert message["data"]["session_id"] is None  # the session of the inputs sent (build.py ErrorMessage)
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []


@pytest.mark.parametrize(("version", "detail"), [("1.13.0", "'id'"), ("1.8", "'data'"), ("1.7.1", "'data'")])
def test_before_1_13_the_loader_reads_the_edges_handles_before_the_nodes(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str, detail: str) -> None:
    """lfx 0.2/0.3 look every edge's data.sourceHandle.id up as they add the nodes (to find cycles), before any
    node is read; lfx 1.13 only once it makes an edge. Before 1.13 the failed build sends the error Message alone,
    without a session, and its queue stays open."""
    client = make_client(never_answer="error", job_latency_ms=0, langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    graph = chat_flow["data"]
    node_without_id(graph)
    bare_edge(graph)
    job = client.post(f"/api/v1/build/{flow_id}/flow", json={"data": graph}, headers=headers).json()["job_id"]
    found = ndjson(client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"},
                              headers=headers).text)
    text = f"Error while creating graph from payload: {detail}"
    assert found[0]["event"] == "error" and found[0]["data"]["text"] == f"{text}\n"
    if version == "1.13.0":
        assert found[1:] == [{"event": "error", "data": {"error": f"500: {text}"}}]
    else:
        assert len(found) == 1 and found[0]["data"]["session_id"] is None


def test_a_stored_flow_whose_data_is_empty_fails_as_one_without_data(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """Langflow's build_graph_from_db refuses a flow whose data is falsy, an empty object as much as null. Without
    `inputs` the error Message's session is the flow's id."""
    client, headers, _ = setup
    flow_id = create_flow(client, headers, {"name": "empty graph", "data": {}})["id"]
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"}, json={},
                           headers=headers)
    found = ndjson(response.text)
    assert [e["data"].get("text", e["data"].get("error")) for e in found] == [
        "Invalid flow ID\n", "500: Invalid flow ID"]
    assert found[0]["data"]["session_id"] == flow_id


def test_stop_component_builds_only_what_it_needs(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(f"/api/v1/build/{flow_id}/flow",
                           params={"event_delivery": "direct", "stop_component_id": "ChatInput-aB1cD"},
                           json={"inputs": {"input_value": "x"}}, headers=headers)
    vertices = [e["data"]["build_data"]["id"] for e in ndjson(response.text) if e["event"] == "end_vertex"]
    assert vertices == ["ChatInput-aB1cD"]


def text_input(node_id: str, value: str) -> dict[str, Any]:
    """A Text Input node holding `value`, wired to nothing."""
    return {"id": node_id, "type": "genericNode", "position": {"x": 0, "y": 300},
            "data": {"id": node_id, "type": "TextInput",
                     "node": {"display_name": "Text Input", "outputs": [{"name": "text", "types": ["Message"]}],
                              "template": {"_type": "Component",
                                           "input_value": {"type": "str", "value": value, "name": "input_value",
                                                           "show": True}}}}}


def test_a_builds_input_value_goes_to_its_chat_inputs_whatever_the_type(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup
    graph = chat_flow["data"]
    graph["nodes"].append(text_input("TextInput-sIdE1", "side"))
    for kind in ("text", "any", "chat"):
        response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                               json={"inputs": {"input_value": f"as {kind}", "type": kind}, "data": graph},
                               headers=headers)
        events = ndjson(response.text)
        assert [e["data"]["text"] for e in events if e["event"] == "add_message"] == [f"as {kind}"] * 2
        # the Chat Input gets a first layer of its own, and nothing it leads to waits for the Text Input beside
        # it: the build never reaches that one (as a live 1.13's does not)
        assert events[0]["data"]["ids"] == ["ChatInput-aB1cD"]
        assert "TextInput-sIdE1" in events[0]["data"]["to_run"]
        assert [e["data"]["build_data"]["id"] for e in events if e["event"] == "end_vertex"] == [
            "ChatInput-aB1cD", "ChatOutput-eF2gH"]


def test_an_unknown_start_or_stop_component_builds_nothing(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    for param in ("stop_component_id", "start_component_id"):
        response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct", param: "Nope-x1"},
                               json={"inputs": {"input_value": "x"}}, headers=headers)
        assert ndjson(response.text) == [{"event": "vertices_sorted", "data": {"ids": [], "to_run": []}},
                                         {"event": "build_start", "data": {}},
                                         {"event": "end", "data": {"build_duration": 0}}]
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert builds == {"vertex_builds": {}}
    transactions = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    assert transactions["total"] == 0


def test_a_start_component_also_builds_what_its_descendants_depend_on(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup
    graph = chat_flow["data"]
    graph["nodes"] += [text_input("TextInput-sIdE1", "side"), text_input("TextInput-aLoNe", "alone")]
    graph["edges"].append({"id": "e2", "source": "TextInput-sIdE1", "target": "ChatOutput-eF2gH", "data": {
        "sourceHandle": {"dataType": "TextInput", "id": "TextInput-sIdE1", "name": "text", "output_types": ["Message"]},
        "targetHandle": {"id": "ChatOutput-eF2gH", "fieldName": "input_value", "inputTypes": ["Message"]}}})
    response = client.post(f"/api/v1/build/{flow_id}/flow",
                           params={"event_delivery": "direct", "start_component_id": "ChatInput-aB1cD"},
                           json={"inputs": {"input_value": "x"}, "data": graph}, headers=headers)
    events = ndjson(response.text)
    built = {e["data"]["build_data"]["id"] for e in events if e["event"] == "end_vertex"}
    assert built == {"ChatInput-aB1cD", "TextInput-sIdE1", "ChatOutput-eF2gH"}  # not the unconnected one
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["sender"], m["text"]) for m in stored] == [("User", "x"), ("Machine", "x\nside")]


def test_a_build_hands_out_what_the_chat_inputs_successor_still_waits_for(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    """lfx's build loop starts at the Chat Input alone (a first layer of its own, though a Text Input feeds the same
    Chat Output), then hands out what the Chat Output still waits for, the Text Input, and then the Chat Output:
    each end_vertex names what was handed out next (as a live 1.13 does for a Prompt read by both)."""
    client, headers, flow_id = setup
    graph = chat_flow["data"]
    graph["nodes"].append(text_input("TextInput-sIdE1", "side"))
    graph["edges"].append({"id": "e2", "source": "TextInput-sIdE1", "target": "ChatOutput-eF2gH", "data": {
        "sourceHandle": {"dataType": "TextInput", "id": "TextInput-sIdE1", "name": "text", "output_types": ["Message"]},
        "targetHandle": {"id": "ChatOutput-eF2gH", "fieldName": "input_value", "inputTypes": ["Message"]}}})
    events = ndjson(client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                                json={"inputs": {"input_value": "x"}, "data": graph}, headers=headers).text)
    assert events[0]["data"]["ids"] == ["ChatInput-aB1cD"]
    built = [(e["data"]["build_data"]["id"], e["data"]["build_data"]["next_vertices_ids"]) for e in events
             if e["event"] == "end_vertex"]
    assert built == [("ChatInput-aB1cD", ["TextInput-sIdE1"]), ("TextInput-sIdE1", ["ChatOutput-eF2gH"]),
                     ("ChatOutput-eF2gH", [])]


def test_a_build_of_a_graph_with_a_cycle_builds_every_vertex_in_order(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    """A cycle (two Text Inputs feeding each other after the Chat Input) is built in the graph's order, every vertex
    once: the walk of what each vertex hands out would wait on the cycle forever (lfx has cycle handling of its own
    the mock does not copy)."""
    client, headers, flow_id = setup
    graph = chat_flow["data"]
    graph["nodes"] += [text_input("TextInput-aaaa1", "a"), text_input("TextInput-bbbb2", "b")]
    for source, target in (("ChatInput-aB1cD", "TextInput-aaaa1"), ("TextInput-aaaa1", "TextInput-bbbb2"),
                           ("TextInput-bbbb2", "TextInput-aaaa1")):
        graph["edges"].append({"id": f"{source}-{target}", "source": source, "target": target, "data": {
            "sourceHandle": {"dataType": source.split("-")[0], "id": source, "output_types": ["Message"],
                             "name": "message" if source.startswith("ChatInput") else "text"},
            "targetHandle": {"id": target, "fieldName": "input_value", "inputTypes": ["Message"]}}})
    events = ndjson(client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                                json={"inputs": {"input_value": "x"}, "data": graph}, headers=headers).text)
    assert sorted(e["data"]["build_data"]["id"] for e in events if e["event"] == "end_vertex") == [
        "ChatInput-aB1cD", "ChatOutput-eF2gH", "TextInput-aaaa1", "TextInput-bbbb2"]
    assert events[-1]["event"] == "end"


@pytest.mark.parametrize(("version", "to_run"), [
    ("1.13", ["ChatInput-aB1cD", "ChatOutput-eF2gH"]),
    ("1.8", ["ChatInput-aB1cD", "ChatOutput-eF2gH", "TextInput-tOoL1"])])
def test_a_tool_mode_component_that_feeds_nothing_is_skipped_in_1_13(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str, to_run: list[str]) -> None:
    """1.13 leaves a tool-mode component without a successor (a tool whose agent is gone) out of a build's
    vertices; 1.8 lists it, but its build loop never reaches it (nothing the Chat Input leads to waits for it)."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    graph = chat_flow["data"]
    tool = text_input("TextInput-tOoL1", "tool")
    tool["data"]["node"]["tool_mode"] = True
    graph["nodes"].append(tool)
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "x"}, "data": graph}, headers=headers)
    events = ndjson(response.text)
    assert sorted(events[0]["data"]["to_run"]) == to_run
    assert sorted(e["data"]["build_data"]["id"] for e in events if e["event"] == "end_vertex") == [
        "ChatInput-aB1cD", "ChatOutput-eF2gH"]


def build_boom(make_client: Callable[..., TestClient], version: str = "1.13") -> tuple[TestClient, dict[str, str],
                                                                                   str, list[dict[str, Any]]]:
    client = make_client(never_answer="error", job_latency_ms=0, scripts=[CONTRACT_SCRIPT], langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, load_json("flow_boom.json"))["id"]
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "kaboom"}}, headers=headers)
    assert response.status_code == 200
    return client, headers, flow_id, ndjson(response.text)


def test_a_component_that_raises_fails_its_vertex_and_the_build_ends(
        make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id, events = build_boom(make_client)
    assert [e["event"] for e in events] == ["vertices_sorted", "build_start", "add_message", "end_vertex", "error",
                                            "end_vertex", "end"]
    error = events[4]["data"]  # the component's own error message, as its store gave it back (no error flag)
    assert (error["sender"], error["sender_name"], error["session_id"]) == ("Boom", "Boom", flow_id)
    assert (error["text"], error["category"], error["error"]) == ("contract boom: kaboom\n", "error", False)
    assert error["properties"]["source"] == {"id": "CustomComponent-bO0m1", "display_name": "Boom", "source": "Boom"}
    failed = events[5]["data"]["build_data"]
    assert (failed["id"], failed["valid"], failed["params"], failed["next_vertices_ids"]) == (
        "CustomComponent-bO0m1", False, BOOM, [])
    output = failed["data"]["outputs"]["message"]
    assert output["type"] == "error" and output["message"]["errorMessage"] == BOOM
    trace = output["message"]["stackTrace"]
    assert trace.startswith("Traceback (most recent call last):\n") and trace.endswith(
        "\nValueError: contract boom: kaboom\n")
    assert failed["data"]["results"] == {} and failed["data"]["artifacts"] == {}
    assert isinstance(events[-1]["data"]["build_duration"], float)
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["sender"], m["category"], m["text"]) for m in stored] == [
        ("User", "message", "kaboom"), ("Boom", "error", "contract boom: kaboom\n")]
    # Langflow's error message has no context id (null), where the chat components store their "" default
    assert [m["context_id"] for m in stored] == ["", None] and error["context_id"] is None
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert {k: [(b["valid"], b["params"]) for b in v] for k, v in builds["vertex_builds"].items()} == {
        "ChatInput-aB1cD": [(True, "- Files: []\n  Message: kaboom\n  Sender: User\n  Sender Name: User\n"
                                   "  Type: object\n")],
        "CustomComponent-bO0m1": [(False, BOOM)]}
    # the failed vertex's build names the build's run, as the built one does
    assert len({b["job_id"] for v in builds["vertex_builds"].values() for b in v} - {None}) == 1
    transactions = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    assert [(t["vertex_id"], t["status"], t["outputs"]) for t in transactions["items"]][0] == (
        "CustomComponent-bO0m1", "error", None)
    _, _, _, again = build_boom(make_client)
    assert again[5]["data"]["build_data"]["data"]["outputs"] == failed["data"]["outputs"]  # the same traceback


def test_a_dropped_model_connection_fails_the_models_vertex_not_the_build(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """A model whose connection drops raises in its component; Langflow's build then fails that vertex alone
    (its error message, an invalid end_vertex), builds what does not depend on it, and ends with `end`."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    dropping = {"rules": [{"reply": "one two three four", "stream": {"disconnect_after": 2}}]}
    assert client.post("/_mock/scripts", content=json.dumps(dropping), headers=headers).status_code == 201
    prompting = next(f for f in client.get("/api/v1/flows/basic_examples/", headers=headers).json()
                     if f["name"] == "Basic Prompting")["data"]
    both = {"nodes": prompting["nodes"] + chat_flow["data"]["nodes"],
            "edges": prompting["edges"] + chat_flow["data"]["edges"]}  # and a branch of its own
    flow_id = create_flow(client, headers, {"name": "Two branches", "data": both})["id"]
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "hi"}}, headers=headers)
    events = ndjson(response.text)
    assert events[-1]["event"] == "end" and isinstance(events[-1]["data"]["build_duration"], float)
    built = sorted((e["data"]["build_data"]["id"], e["data"]["build_data"]["valid"])
                   for e in events if e["event"] == "end_vertex")
    assert built == [("ChatInput-aB1cD", True), ("ChatInput-q1s7H", True), ("ChatOutput-eF2gH", True),
                     ("LanguageModelComponent-k80Em", False), ("PromptTemplate-Jx7vk", True)]  # not ChatOutput-0f4Rq
    error = next(e["data"] for e in events if e["event"] == "error")
    assert (error["category"], error["sender"], error["text"]) == (
        "error", "Language Model", "The connection to the model was dropped\n")
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["sender"], m["text"]) for m in stored if m["sender"] != "User"] == [
        ("Language Model", "The connection to the model was dropped\n"), ("Machine", "hi")]


def test_a_data_dir_kept_from_before_null_context_ids_keeps_its_messages(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """An older mock made message.context_id NOT NULL; the table is remade on start-up, its rows kept, so a
    failed build can store its null context id there."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir, never_answer="error", scripts=[CONTRACT_SCRIPT])
    headers = {"x-api-key": new_api_key(first)}
    flow_id = create_flow(first, headers, load_json("flow_boom.json"))["id"]

    def build(client: TestClient) -> None:
        response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                               json={"inputs": {"input_value": "kaboom"}}, headers=headers)
        assert response.status_code == 200 and ndjson(response.text)[-1]["event"] == "end"

    build(first)
    first.__exit__(None, None, None)
    # the older shape, as it was made
    as_an_older_mock_left_it(data_dir / "mock-langflow.db",
                             "UPDATE message SET context_id = '' WHERE context_id IS NULL")
    restore_not_null(data_dir / "mock-langflow.db", "message", "context_id")
    again = make_client(ephemeral=False, data_dir=data_dir, never_answer="error", scripts=[CONTRACT_SCRIPT])
    build(again)
    stored = again.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [(m["category"], m["context_id"]) for m in stored] == [
        ("message", ""), ("error", ""), ("message", ""), ("error", None)]


@pytest.mark.parametrize(("version", "order"), [
    ("1.8", ["vertices_sorted", "build_start", "add_message", "end_vertex", "error", "end_vertex", "end"]),
    ("1.7.1", ["vertices_sorted", "add_message", "end_vertex", "error", "end_vertex", "end"])])
def test_older_releases_fail_a_raising_component_the_same_way(make_client: Callable[..., TestClient], version: str,
                                                               order: list[str]) -> None:
    _, _, _, events = build_boom(make_client, version)
    assert [e["event"] for e in events] == order
    assert events[-3]["data"]["text"] == "contract boom: kaboom\n"
    assert set(events[-2]["data"]) == {"build_data"}  # no output_meta before 1.13
    assert events[-2]["data"]["build_data"]["params"] == BOOM


def test_a_flow_without_data_fails_in_stream(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    empty = create_flow(client, headers, {"name": "Empty"})["id"]
    response = client.post(f"/api/v1/build/{empty}/flow", params={"event_delivery": "direct"}, json={},
                           headers=headers)
    assert response.status_code == 200
    first, last = ndjson(response.text)
    assert first["event"] == "error" and first["data"]["category"] == "error"
    assert first["data"]["text"] == "Invalid flow ID\n"
    assert last == {"event": "error", "data": {"error": "500: Invalid flow ID"}}


def test_cancel_answers_success_even_for_a_finished_job(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    job = start(client, headers, flow_id)
    for _ in range(2):
        response = client.post(f"/api/v1/build/{job}/cancel", headers=headers)
        assert response.json() == {"success": True, "message": "Flow build cancelled successfully"}


def test_cancelling_a_slow_build_stops_it(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
                                          tmp_path: Any) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text("jobs:\n  - run_ms: 2000\n")
    client = make_client(never_answer="error", scripts=[path])
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    job = start(client, headers, flow_id, "cancel me")
    assert client.post(f"/api/v1/build/{job}/cancel", headers=headers).json()["success"] is True
    after = client.get(f"/api/v1/build/{job}/events", headers=headers)
    assert after.status_code == 409  # real Langflow never answers events after a cancel
    time.sleep(0.1)
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []


@pytest.mark.parametrize("delivery", ["streaming", "polling"])
def test_a_cancelled_job_still_hands_out_what_it_queued(make_client: Callable[..., TestClient], delivery: str) -> None:
    """Langflow's cancel stops the build but leaves its queue: the events sent before the cancel and not read
    yet still come (a stream then stays open, as no close follows), and only after them nothing does."""
    client = make_client(never_answer="error", job_latency_ms=0, scripts=[CONTRACT_SCRIPT])
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, slow_echo(30))["id"]
    job = start(client, headers, flow_id, "cancel me")
    wait_for_message(client, headers, flow_id, "cancel me")
    assert client.post(f"/api/v1/build/{job}/cancel", headers=headers).json()["success"] is True
    path = f"/api/v1/build/{job}/events"
    if delivery == "streaming":
        status, body, still_open = read_for(client, path, headers)
        assert (status, still_open) == (200, True)
    else:
        poll = client.get(path, params={"event_delivery": "polling"}, headers=headers)
        status, body = poll.status_code, poll.text
        assert status == 200 and "\n\n\n" in body
    assert [e["event"] for e in ndjson(body)] == ["vertices_sorted", "build_start", "add_message", "end_vertex"]
    again = client.get(path, params={"event_delivery": delivery}, headers=headers)
    assert again.status_code == 409  # nothing is left, and a cancelled build sends nothing more


def test_a_client_that_leaves_a_build_stream_stops_the_build(tmp_path: Path) -> None:
    """Langflow's build stream cancels its build when its client disconnects, and queues an empty `end` for the
    next reader: the reply is never completed, the Chat Output never logs a build, and a later poll gets that
    `end`. The queue of the cancelled build never closes; leaving a stream left waiting on it queues another."""
    server = start_server(tmp_path / "data")
    try:
        with server.client() as http:
            flow_id = paced_streaming_flow(http, 30)
            job = http.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "streaming"},
                            json={"inputs": {"input_value": "hi"}}).json()["job_id"]
            path = f"/api/v1/build/{job}/events"
            seen: list[str] = []
            with http.stream("GET", path) as response:
                for line in response.iter_lines():
                    seen += [json.loads(line)["event"]] if line else []
                    if seen.count("token") == 2:
                        break
            time.sleep(3.5)  # the whole reply would have streamed by now
            rest = ndjson(http.get(path, params={"event_delivery": "polling"}).text)
            assert rest[-1] == {"event": "end", "data": {}}
            assert {e["event"] for e in rest[:-1]} <= {"token"}
            messages = http.get("/api/v1/monitor/messages", params={"flow_id": flow_id}).json()
            assert [m["text"] for m in messages if m["sender"] == "Machine"] in ([], [""])
            builds = http.get("/api/v1/monitor/builds", params={"flow_id": flow_id}).json()["vertex_builds"]
            assert not [v for v in builds if v.startswith("ChatOutput")]
            with pytest.raises(httpx.ReadTimeout):
                http.get(path, timeout=1)  # nothing more comes, ever: the client gives up and leaves
            time.sleep(0.6)
            again = http.get(path, params={"event_delivery": "polling"}, timeout=5)
            assert (again.status_code, again.text) == (200, '{"event": "end", "data": {}}\n\n')
    finally:
        stop_server(server)


@pytest.mark.parametrize(("version", "forgets_completed", "text"), [
    ("1.13.0", True, "Job not found: {job}"),
    ("1.8", True, "Job not found: Job queue not found for job_id: {job}"),
    ("1.7.1", False, "Job not found: Job queue not found for job_id: {job}")])
def test_an_ended_build_job_is_forgotten_after_five_minutes(make_client: Callable[..., TestClient],
                                                            chat_flow: dict[str, Any], version: str,
                                                            forgets_completed: bool, text: str) -> None:
    """Langflow's job queue drops an ended job at its first sweep 300 s after it ended (the mock: at 300 s, the
    earliest that can be); then its events and cancel are the unknown job's 404. 0.7.1's sweep drops failed
    jobs only. The clock is moved, not waited for."""
    client = make_client(never_answer="error", job_latency_ms=0, langflow_version=version, backend_only=True)
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    headers = {"x-api-key": new_api_key(client)}
    completed = start(client, headers, create_flow(client, headers, chat_flow)["id"])
    failed = start(client, headers, create_flow(client, headers, {"name": "No data"})["id"])
    client.get(f"/api/v1/build/{completed}/events", headers=headers)  # read to its end, so it has ended
    for seconds, gone in ((299.9, set()), (300, {completed, failed} if forgets_completed else {failed})):
        clock.frozen = datetime(2026, 11, 23, 12, 0, tzinfo=UTC) + timedelta(seconds=seconds)
        for job in (completed, failed):
            cancel = client.post(f"/api/v1/build/{job}/cancel", headers=headers)
            events_ = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"},
                                 headers=headers)
            if job in gone:
                assert cancel.status_code == events_.status_code == 404
                assert cancel.json() == events_.json() == {"detail": text.format(job=job)}
            else:
                assert cancel.json()["success"] is True and events_.status_code in (200, 409)


def test_unknown_jobs_and_flows_have_the_recorded_404s(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    nil = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/api/v1/build/{nil}/events", headers=headers).json() == {"detail": f"Job not found: {nil}"}
    assert client.get("/api/v1/build/not-a-uuid-job/events", headers=headers).json() == {
        "detail": "Job not found: not-a-uuid-job"}
    assert client.post(f"/api/v1/build/{nil}/cancel", headers=headers).status_code == 404
    response = client.post(f"/api/v1/build/{nil}/flow", json={}, headers=headers)
    assert (response.status_code, response.json()) == (404, {"detail": f"Flow with id {nil} not found"})


def test_a_bad_event_delivery_lists_the_choices(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "carrier-pigeon"}, json={},
                           headers=headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "enum", "loc": ["query", "event_delivery"],
                                           "msg": "Input should be 'streaming', 'direct' or 'polling'",
                                           "ctx": {"expected": "'streaming', 'direct' or 'polling'"}}]}


def test_builds_accept_a_jwt_and_refuse_no_credentials(setup: tuple[TestClient, dict[str, str], str],
                                                       jwt_headers: dict[str, str]) -> None:
    client, _, flow_id = setup
    token = client.get("/api/v1/auto_login").json()["access_token"]
    client.cookies.clear()
    ok = client.post(f"/api/v1/build/{flow_id}/flow", json={}, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and "job_id" in ok.json()
    refused = client.post(f"/api/v1/build/{flow_id}/flow", json={})
    assert (refused.status_code, refused.json()) == (403, {"detail": "No authentication credentials provided"})


def test_monitor_lists_vertex_builds_and_transactions(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                json={"inputs": {"input_value": "logged"}}, headers=headers)
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    assert set(builds["vertex_builds"]) == {"ChatInput-aB1cD", "ChatOutput-eF2gH"}
    entry = builds["vertex_builds"]["ChatOutput-eF2gH"][0]
    assert entry["artifacts"]["message"] == "logged" and entry["valid"] is True and entry["job_id"]
    page = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id, "page": 1, "size": 2},
                      headers=headers).json()
    assert (page["total"], page["size"], page["pages"]) == (2, 2, 1)
    assert page["items"][0]["vertex_id"] == "ChatOutput-eF2gH"  # newest first
    assert page["items"][1]["inputs"]["files"] == []
    assert client.get("/api/v1/monitor/builds", headers=headers).status_code == 422
    assert client.delete("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).status_code == 204
    assert client.get("/api/v1/monitor/builds", params={"flow_id": flow_id},
                      headers=headers).json() == {"vertex_builds": {}}


@pytest.mark.parametrize("version", ["1.13.0", "1.8"])
def test_a_builds_vertex_builds_name_its_run_not_its_job(make_client: Callable[..., TestClient],
                                                          chat_flow: dict[str, Any], version: str) -> None:
    """1.13 logs a build's vertex builds under the graph's run id, a fresh one the build's messages carry too,
    never the job id a client holds; 1.8 logs them under none."""
    client = make_client(job_latency_ms=0, langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    job = start(client, headers, flow_id, "whose run")
    streamed = ndjson(client.get(f"/api/v1/build/{job}/events", headers=headers).text)
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    job_ids = {b["job_id"] for vertex in builds["vertex_builds"].values() for b in vertex}
    if version == "1.8":
        assert job_ids == {None}
        return
    run_ids = {e["data"]["run_id"] for e in streamed if e["event"] == "add_message"}
    assert len(run_ids) == 1 and job not in run_ids
    assert job_ids == run_ids


def test_a_deleted_users_builds_and_messages_go_with_their_flows(setup: tuple[TestClient, dict[str, str], str],
                                                                 chat_flow: dict[str, Any]) -> None:
    """As Langflow's cascade: the flow's vertex builds, transactions and messages go with the user. They stayed,
    and the same flow uploaded again (an export keeps its id) showed the deleted user's builds."""
    client, admin, _ = setup
    bob = {"x-api-key": other_user_key(client, admin)}
    bob_id = client.get("/api/v1/users/whoami", headers=bob).json()["id"]
    flow = create_flow(client, bob, {**chat_flow, "name": "Bob's"})
    client.post(f"/api/v1/build/{flow['id']}/flow", params={"event_delivery": "direct"},
                json={"inputs": {"input_value": "bob's secret", "session": "s1"}}, headers=bob)
    export = client.post("/api/v1/flows/download/", json=[flow["id"]], headers=bob).json()
    assert client.delete(f"/api/v1/users/{bob_id}", headers=admin).status_code == 202
    again = create_flow(client, admin, export)
    assert again["id"] == flow["id"]
    assert client.get("/api/v1/monitor/builds", params={"flow_id": flow["id"]},
                      headers=admin).json() == {"vertex_builds": {}}
    transactions = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"]}, headers=admin)
    assert transactions.json()["total"] == 0
    ran = client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "mine", "session_id": "s1"}, headers=admin)
    assert ran.status_code == 200
    texts = [m["text"] for m in client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]},
                                           headers=admin).json()]
    assert texts == ["mine", "mine"]


def test_builds_and_transactions_of_a_flow_not_yours_are_empty_not_missing(make_client: Any,
                                                                           chat_flow: dict[str, Any]) -> None:
    """Langflow 1.13 answers 200 with nothing for a flow the caller does not own (or that does not exist), so
    as not to tell whether it exists; deleting its builds is a 204 that deletes nothing."""
    client = make_client(api_key=KEY)
    admin = {"x-api-key": KEY}
    flow = create_flow(client, admin, chat_flow)
    client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hi"}, headers=admin)
    bob = {"x-api-key": other_user_key(client, admin)}
    for flow_id in (flow["id"], "00000000-0000-4000-8000-000000000000"):
        builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=bob)
        assert (builds.status_code, builds.json()) == (200, {"vertex_builds": {}})
        page = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id, "page": 3, "size": 7},
                          headers=bob)
        assert (page.status_code, page.json()) == (200, {"items": [], "total": 0, "page": 1, "size": 7, "pages": 0})
        assert client.delete("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=bob).status_code == 204
    mine = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"]}, headers=admin).json()
    assert mine["total"] > 0


def test_a_fields_global_variable_comes_from_the_users_variables_or_fails_the_vertex(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """A build loads a field's global variable (load_from_db, the value naming it) from the user's variables just
    before the component builds: one the user does not hold fails the vertex ("<name> variable not found.", no
    error message, as the component never ran); a stored one fills the field."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    flow_id = create_flow(client, headers, chat_flow)["id"]

    def build() -> list[dict[str, Any]]:
        response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                                json={"inputs": {"input_value": "hi"}}, headers=headers)
        assert response.status_code == 200
        return ndjson(response.text)

    events = build()
    assert [e["event"] for e in events] == ["vertices_sorted", "build_start", "add_message", "end_vertex",
                                            "end_vertex", "end"]
    failed = events[4]["data"]["build_data"]
    assert (failed["id"], failed["valid"], failed["params"]) == (
        "ChatOutput-eF2gH", False, "Error building Component Chat Output: \n\nBOT_NAME variable not found.")
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [m["sender_name"] for m in stored] == ["User"]
    made = client.post("/api/v1/variables/", json={"name": "BOT_NAME", "value": "Robo", "type": "Generic",
                                                     "default_fields": []},
                       headers=headers)
    assert made.status_code == 201
    events = build()
    assert [e["event"] for e in events][-2:] == ["end_vertex", "end"]
    assert events[-2]["data"]["build_data"]["valid"] is True
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert stored[-1]["sender_name"] == "Robo"


def test_1_7_1_refuses_a_credential_in_a_session_id_field_before_decrypting_it(
        tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    """1.7.1's variable service refuses a Credential in a Session ID field before it decrypts the value: after a
    restart with another secret key, the vertex fails with that TypeError's text, not the decryption's."""
    key = "sk-" + "s" * 43
    headers = {"x-api-key": key}
    first = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, langflow_version="1.7.1",
                     secret_key="first-secret-key-for-this-test-0123456789", job_latency_ms=0)
    with TestClient(create_app(first)) as client:
        made = client.post("/api/v1/variables/", json={"name": "MY_SESSION", "value": "s-1", "type": "Credential",
                                                       "default_fields": []}, headers=headers)
        assert made.status_code == 201
        nodes = {n["id"]: n["data"]["node"]["template"] for n in chat_flow["data"]["nodes"]}
        nodes["ChatInput-aB1cD"]["session_id"].update({"value": "MY_SESSION", "load_from_db": True})
        flow_id = create_flow(client, headers, chat_flow)["id"]
    with TestClient(create_app(first.model_copy(update={"secret_key": "other-secret-key-for-this-test-01"}))) \
            as client:
        response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                               json={"inputs": {"input_value": "hi"}}, headers=headers)
    failed = next(e["data"]["build_data"] for e in ndjson(response.text) if e["event"] == "end_vertex")
    assert (failed["id"], failed["valid"], failed["params"]) == (
        "ChatInput-aB1cD", False, f"Error building Component Chat Input: \n\n{credential_in_session_id('MY_SESSION')}")


def test_a_credential_in_a_session_id_field_fails_the_vertex_and_one_that_does_not_decrypt_is_empty(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """A Session ID field naming a Credential variable fails its vertex with Langflow's TypeError text (the
    component never ran). A Credential whose value does not decrypt (1.13's default ASTRA_TOKEN holds an
    encrypted empty value) fails nothing: the field it fills is left empty."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/variables/", json={"name": "MY_SESSION", "value": "s-1", "type": "Credential",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    nodes = {n["id"]: n["data"]["node"]["template"] for n in chat_flow["data"]["nodes"]}
    nodes["ChatInput-aB1cD"]["session_id"].update({"value": "MY_SESSION", "load_from_db": True})
    nodes["ChatOutput-eF2gH"]["sender_name"].update({"value": "ASTRA_TOKEN", "load_from_db": True})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "hi"}}, headers=headers)
    events = ndjson(response.text)
    assert [e["event"] for e in events] == ["vertices_sorted", "build_start", "end_vertex", "end"]
    failed = events[2]["data"]["build_data"]
    assert (failed["id"], failed["valid"], failed["params"]) == (
        "ChatInput-aB1cD", False, "Error building Component Chat Input: \n\nvariable MY_SESSION of type "
        "'Credential' cannot be used in a Session ID field because its purpose is to prevent the exposure of values.")
    nodes["ChatInput-aB1cD"]["session_id"].update({"value": "", "load_from_db": False})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "hi"}}, headers=headers)
    events = ndjson(response.text)
    assert [e["event"] for e in events][-2:] == ["end_vertex", "end"]
    assert events[-2]["data"]["build_data"]["valid"] is True


@pytest.mark.parametrize(("version", "scoped"), [("1.13.0", True), ("1.8", False), ("1.7.1", False)])
def test_whose_flows_and_build_jobs_a_caller_reaches(make_client: Callable[..., TestClient],
                                                     chat_flow: dict[str, Any], version: str, scoped: bool) -> None:
    """1.13 builds only the caller's flow and hands out only the caller's build jobs (another's: the unknown
    flow's or job's 404). 1.8.4 and 1.7.1 find the flow by id alone (chat.py build_flow: session.get(Flow, id)) and
    their /events and /cancel check credentials, never whose job it is."""
    client = make_client(api_key=KEY, never_answer="error", job_latency_ms=0, langflow_version=version)
    admin = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, admin)}
    flow_id = create_flow(client, admin, chat_flow)["id"]
    built = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "from bob"}}, headers=bob)
    if scoped:
        assert (built.status_code, built.json()) == (404, {"detail": f"Flow with id {flow_id} not found"})
    else:
        assert built.status_code == 200
        events_ = ndjson(client.get(f"/api/v1/build/{built.json()['job_id']}/events", headers=admin).text)
        assert events_[-1]["event"] == "end"
        assert "from bob" in [e["data"].get("text") for e in events_ if e["event"] == "add_message"]
    job = start(client, admin, flow_id)
    polled = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=bob)
    cancelled = client.post(f"/api/v1/build/{job}/cancel", headers=bob)
    if scoped:
        missing = (404, {"detail": f"Job not found: {job}"})
        assert (polled.status_code, polled.json()) == (cancelled.status_code, cancelled.json()) == missing
    else:
        assert polled.status_code == 200 and ndjson(polled.text)
        assert cancelled.json() == {"success": True, "message": "Flow build cancelled successfully"}


def test_1_13_builds_another_users_public_flow_as_stored_without_its_params(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13's build_flow falls back to a PUBLIC flow of any owner (chat.py _build_flow_impl), drops the caller's
    `data` (no write access: resolve_flow_data_override) and builds it with redact_build_params, so each
    vertex's build data, sent and logged, has params null; a private flow of another user stays a 404."""
    client = make_client(api_key=KEY, never_answer="error", job_latency_ms=0)
    admin = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, admin)}
    private = create_flow(client, admin, {**chat_flow, "name": "private"})["id"]
    assert client.post(f"/api/v1/build/{private}/flow", json={}, headers=bob).status_code == 404
    public = create_flow(client, admin, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    body = {"inputs": {"input_value": "from bob"}, "data": {"nodes": [], "edges": []}}
    events_ = ndjson(client.post(f"/api/v1/build/{public}/flow", params={"event_delivery": "direct"}, json=body,
                                 headers=bob).text)
    ends = [e["data"]["build_data"] for e in events_ if e["event"] == "end_vertex"]
    assert [(d["id"], d["valid"], d["params"]) for d in ends] == [
        ("ChatInput-aB1cD", True, None), ("ChatOutput-eF2gH", True, None)]
    assert "from bob" in [e["data"].get("text") for e in events_ if e["event"] == "add_message"]
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": public}, headers=admin).json()["vertex_builds"]
    assert [b["params"] for vertex in builds.values() for b in vertex] == [None, None]
    owned = ndjson(client.post(f"/api/v1/build/{public}/flow", params={"event_delivery": "direct"}, json={},
                               headers=admin).text)
    assert all(isinstance(e["data"]["build_data"]["params"], str) for e in owned if e["event"] == "end_vertex")


def test_1_13_hides_why_another_users_public_flow_did_not_build(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """A build of another user's PUBLIC flow runs without error details (chat.py: expose_error_details only for
    the owner), so a graph that is not made reaches that caller through error_for_client: "Workflow execution
    failed." and no traceback, closed by "500: Workflow execution failed."; the owner reads the error itself."""
    client = make_client(api_key=KEY, never_answer="error", job_latency_ms=0)
    admin = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, admin)}
    empty = create_flow(client, admin, {"name": "shared, no data", "data": None, "access_type": "PUBLIC"})["id"]
    damaged = copy.deepcopy(chat_flow)
    unknown_target(damaged["data"])
    broken = create_flow(client, admin, {**damaged, "name": "shared, broken", "access_type": "PUBLIC"})["id"]
    for flow_id, detail in ((empty, "Invalid flow ID"), (broken, "Vertex Nope-1 not found")):
        hidden = ndjson(client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"}, json={},
                                    headers=bob).text)
        [group] = [b for b in hidden[0]["data"]["content_blocks"] if b["type"] == "group"]
        assert (hidden[0]["data"]["text"], group["contents"][0]["traceback"]) == ("Workflow execution failed.\n", "")
        assert hidden[1] == {"event": "error", "data": {"error": "500: Workflow execution failed."}}
        own = ndjson(client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"}, json={},
                                 headers=admin).text)
        assert own[1] == {"event": "error", "data": {"error": f"500: {detail}"}}


WF = "/api/v2/workflows"


def run_id_of(events: list[dict[str, Any]]) -> str:
    """The run id a build's messages carry."""
    run_ids = {e["data"]["run_id"] for e in events if e["event"] == "add_message"}
    assert len(run_ids) == 1
    return str(run_ids.pop())


def test_a_builds_run_is_a_workflow_job_its_caller_reads_by_the_run_id(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    """1.13's v1 build records a workflow job under its run's id (not the build job's id), for the caller only:
    once completed, the v2 status route rebuilds the run's answer from the vertex builds logged under that id,
    one output per terminal component, without inputs or globals; it cannot be stopped (no background run)."""
    client, headers, flow_id = setup
    job = start(client, headers, flow_id, "read me later")
    run = run_id_of(ndjson(client.get(f"/api/v1/build/{job}/events", headers=headers).text))
    status = client.get(WF, params={"job_id": run}, headers=headers)
    assert status.status_code == 200
    body = status.json()
    assert (body["object"], body["status"], body["job_id"], body["flow_id"]) == ("response", "completed", run,
                                                                                flow_id)
    assert body["output"] == {"reason": "single", "text": "read me later", "source": "ChatOutput-eF2gH"}
    assert list(body["outputs"]) == ["ChatOutput-eF2gH"]
    assert body["outputs"]["ChatOutput-eF2gH"]["content"] == "read me later"
    assert body["outputs"]["ChatOutput-eF2gH"]["status"] == "completed"
    assert (body["session_id"], body["inputs"], body["globals"], body["errors"]) == (flow_id, {}, {}, [])
    assert client.get(WF, params={"job_id": job}, headers=headers).json()["code"] == "JOB_NOT_FOUND"
    bob = {"x-api-key": other_user_key(client, headers)}
    assert client.get(WF, params={"job_id": run}, headers=bob).json()["code"] == "JOB_NOT_FOUND"
    stop = client.post(f"{WF}/stop", json={"job_id": run}, headers=headers)
    assert stop.status_code == 409
    assert (stop.json()["detail"]["code"], stop.json()["detail"]["mode"]) == ("JOB_NOT_CANCELLABLE", "unknown")


def test_a_build_run_logged_without_builds_is_rebuilt_empty(setup: tuple[TestClient, dict[str, str], str]) -> None:
    """With log_builds off no vertex build is logged under the run: 1.13's rebuild finds none and answers a
    completed response without outputs, in the flow's id as its session."""
    client, headers, flow_id = setup
    job = start(client, headers, flow_id, "not logged", log_builds="false")
    run = run_id_of(ndjson(client.get(f"/api/v1/build/{job}/events", headers=headers).text))
    body = client.get(WF, params={"job_id": run}, headers=headers).json()
    assert (body["status"], body["outputs"], body["session_id"]) == ("completed", {}, flow_id)
    assert body["output"] == {"reason": "none", "text": None, "source": None}


def test_a_cancelled_builds_run_job_reads_as_failed(make_client: Callable[..., TestClient]) -> None:
    """The run's job is in progress while the build runs; 1.13 cancels a build's task without the user-cancel
    mark, so its job service fails the run's job: the status route's 500 JOB_FAILED, with no error detail."""
    client = make_client(never_answer="error", job_latency_ms=0, scripts=[CONTRACT_SCRIPT])
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, slow_echo(30))["id"]
    job = start(client, headers, flow_id, "cancel my run")
    wait_for_message(client, headers, flow_id, "cancel my run")
    polled = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    run = run_id_of(ndjson(polled.text))
    running = client.get(WF, params={"job_id": run}, headers=headers).json()
    assert (running["object"], running["status"], running["job_id"]) == ("job", "in_progress", run)
    assert client.post(f"/api/v1/build/{job}/cancel", headers=headers).json()["success"] is True
    failed = client.get(WF, params={"job_id": run}, headers=headers)
    assert failed.status_code == 500
    assert failed.json()["detail"] == {"error": "Job failed", "code": "JOB_FAILED",
                                       "message": f"Job {run} has failed execution.", "job_id": run,
                                       "error_detail": None}



def test_a_build_whose_component_raises_still_completes_its_run(make_client: Callable[..., TestClient]) -> None:
    """The build goes on past a failed vertex to `end`, so 1.13's run job completes; the Chat Output after the
    failed component was never built, and with no terminal build logged the rebuild has no outputs at all."""
    client, headers, flow_id, events = build_boom(make_client)
    body = client.get(WF, params={"job_id": run_id_of(events)}, headers=headers).json()
    assert (body["status"], body["outputs"], body["session_id"]) == ("completed", {}, flow_id)
    assert body["output"] == {"reason": "none", "text": None, "source": None}


def test_a_build_runs_rebuild_lists_the_stored_flows_terminals_built_or_not(
        setup: tuple[TestClient, dict[str, str], str], chat_flow: dict[str, Any]) -> None:
    """1.13 rebuilds the answer from the flow as stored, not the graph the build was sent: a terminal component
    the build never built is listed without content; the session is the one the built output's message names."""
    client, headers, _ = setup
    flow_id = create_flow(client, headers, two_outputs(chat_flow))["id"]
    sent = {"nodes": chat_flow["data"]["nodes"], "edges": chat_flow["data"]["edges"]}
    response = client.post(f"/api/v1/build/{flow_id}/flow", headers=headers, json={
        "inputs": {"input_value": "only one", "session": "my-session"}, "data": sent})
    job = response.json()["job_id"]
    run = run_id_of(ndjson(client.get(f"/api/v1/build/{job}/events", headers=headers).text))
    body = client.get(WF, params={"job_id": run}, headers=headers).json()
    assert list(body["outputs"]) == ["ChatOutput-eF2gH", "ChatOutput-sEc0n"]
    assert body["outputs"]["ChatOutput-eF2gH"]["content"] == "only one"
    assert (body["outputs"]["ChatOutput-sEc0n"]["content"], body["outputs"]["ChatOutput-sEc0n"]["status"]) == (
        None, "completed")
    assert (body["output"]["reason"], body["output"]["source"], body["session_id"]) == (
        "single", "ChatOutput-eF2gH", "my-session")


def test_a_run_of_another_users_public_flow_is_its_callers_but_its_rebuild_finds_no_flow(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """The run's job is the caller's, so only the caller reads it; once completed, 1.13 looks the flow up as the
    caller's own to rebuild the answer, and another user's PUBLIC flow is not: "Flow identifier ... not found"."""
    client = make_client(api_key=KEY, never_answer="error", job_latency_ms=0)
    admin = {"x-api-key": KEY}
    bob = {"x-api-key": other_user_key(client, admin)}
    public = create_flow(client, admin, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    run = run_id_of(ndjson(client.post(f"/api/v1/build/{public}/flow", params={"event_delivery": "direct"},
                                       json={"inputs": {"input_value": "bob's run"}}, headers=bob).text))
    assert client.get(WF, params={"job_id": run}, headers=admin).json()["code"] == "JOB_NOT_FOUND"
    status = client.get(WF, params={"job_id": run}, headers=bob)
    assert (status.status_code, status.json()) == (404, {"detail": f"Flow identifier {public} not found"})
