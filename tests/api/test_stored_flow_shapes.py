"""Flows are stored as clients send them: a graph with a part of the wrong type (a template that is a number, a
node id used twice, ...) must still run, build, download and be listed as an MCP tool, never fail with the
mock's own error or leave a job running for ever. Each case below was a 500, a hung job or a broken tool list."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_mcp import rpc
from tests.conftest import create_flow, new_api_key


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(job_latency_ms=0)


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(client)}


def example(client: TestClient, headers: dict[str, str], name: str) -> dict[str, Any]:
    """A copy of one of the example flows (Chat Input -> Prompt -> Language Model -> Chat Output)."""
    flows = client.get("/api/v1/flows/", params={"get_all": "true"}, headers=headers).json()
    found: dict[str, Any] = next(f for f in flows if f["name"] == name)
    return {"name": f"copy of {name}", "data": copy.deepcopy(found["data"])}


def node(flow: dict[str, Any], type_name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(n for n in flow["data"]["nodes"] if n["data"]["type"] == type_name)
    return found


def template_a_number(flow: dict[str, Any]) -> None:
    node(flow, "ChatInput")["data"]["node"]["template"] = 5


def node_data_a_string(flow: dict[str, Any]) -> None:
    node(flow, "ChatInput")["data"] = "ChatInput"


def one_id_twice(flow: dict[str, Any]) -> None:
    flow["data"]["nodes"].append(copy.deepcopy(node(flow, "ChatOutput")))


def output_types_a_number(flow: dict[str, Any]) -> None:
    for output in node(flow, "LanguageModelComponent")["data"]["node"]["outputs"]:
        output["types"] = 1.5


def field_type_and_info_not_strings(flow: dict[str, Any]) -> None:
    field = node(flow, "ChatInput")["data"]["node"]["template"]["sender_name"]
    field.update(type={"a": 1}, info=5, show=True, advanced=False)


def input_types_objects(flow: dict[str, Any]) -> None:
    for node in flow["data"]["nodes"]:
        for field in node["data"]["node"]["template"].values():
            if isinstance(field, dict):
                field["_input_type"] = {"not": "a name"}


def nodes_an_object(flow: dict[str, Any]) -> None:
    flow["data"]["nodes"] = {"ChatInput": 7}  # (1.13 refuses to store a number or true: it walks the nodes)


@pytest.mark.parametrize("damage", [template_a_number, node_data_a_string, one_id_twice, output_types_a_number,
                                    field_type_and_info_not_strings, input_types_objects])
def test_a_graph_with_a_part_of_the_wrong_type_runs_builds_downloads_and_lists(
        client: TestClient, headers: dict[str, str], damage: Callable[[dict[str, Any]], None]) -> None:
    flow = example(client, headers, "Basic Prompting")
    damage(flow)
    created = create_flow(client, headers, flow)
    flow_id = created["id"]

    ran = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hello"}, headers=headers)
    assert ran.status_code == 200, ran.text
    streamed = client.post(f"/api/v1/run/{flow_id}", params={"stream": "true"}, json={"input_value": "hello"},
                           headers=headers)
    assert streamed.status_code == 200
    assert json.loads(streamed.text.strip().split("\n\n")[-1])["event"] == "end", streamed.text

    job = client.post(f"/api/v1/build/{flow_id}/flow", json={}, headers=headers).json()["job_id"]
    polled = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    assert json.loads(polled.text.strip().split("\n")[-1])["event"] == "end", polled.text

    downloaded = client.post("/api/v1/flows/download/", json=[flow_id], headers=headers)
    assert downloaded.status_code == 200, downloaded.text
    project = client.get(f"/api/v1/projects/download/{created['folder_id']}", headers=headers)
    assert project.status_code == 200, project.text

    tools = rpc(client, "/api/v1/mcp/streamable", headers, "tools/list")["result"]["tools"]
    assert "copy_of_basic_prompting" in [t["name"] for t in tools]


def test_a_stored_graph_whose_nodes_are_no_list_fails_its_runs_and_still_downloads(
        client: TestClient, headers: dict[str, str]) -> None:
    """Every release's process_tweaks, which a run calls before it loads the graph, refuses nodes that are no
    list; the flow still downloads, alone and with its project."""
    flow = example(client, headers, "Basic Prompting")
    nodes_an_object(flow)
    created = create_flow(client, headers, flow)
    flow_id = created["id"]
    refusal = "graph_data should contain a list of nodes under 'data' key or directly under 'nodes' key"
    ran = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hello"}, headers=headers)
    assert ran.status_code == 500
    assert json.loads(ran.json()["detail"])["message"] == refusal
    streamed = client.post(f"/api/v1/run/{flow_id}", params={"stream": "true"}, json={"input_value": "hello"},
                           headers=headers)
    assert json.loads(streamed.text.strip().split("\n\n")[-1]) == {"event": "error", "data": {"error": refusal}}
    assert client.post("/api/v1/flows/download/", json=[flow_id], headers=headers).status_code == 200
    assert client.get(f"/api/v1/projects/download/{created['folder_id']}", headers=headers).status_code == 200


def test_a_chat_input_files_tweak_that_is_no_path_is_refused_as_1_13_does(client: TestClient,
                                                                          headers: dict[str, str]) -> None:
    """1.13 checks a file field's value before it builds the graph: one that is no path (nor a list of paths) is
    its file-access error, a 500 naming no component (the mock once failed with "'int' object is not iterable")."""
    flow_id = create_flow(client, headers, example(client, headers, "Basic Prompting"))["id"]
    chat_input = next(n["id"] for n in client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()["data"]["nodes"]
                      if n["data"]["type"] == "ChatInput")
    for files in (5, True):
        ran = client.post(f"/api/v1/run/{flow_id}", headers=headers,
                          json={"input_value": "hello", "tweaks": {chat_input: {"files": files}}})
        assert ran.status_code == 500, ran.text
        assert json.loads(ran.json()["detail"])["message"] == "FileInput values must be file path strings."


def test_a_webhooks_data_with_a_huge_integer_runs(client: TestClient, headers: dict[str, str],
                                                   webhook_flow: dict[str, Any]) -> None:
    created = create_flow(client, headers, webhook_flow)
    hook = next(n["id"] for n in created["data"]["nodes"] if n["id"].startswith("Webhook"))
    ran = client.post(f"/api/v1/run/{created['id']}", headers=headers,
                      json={"input_value": "x", "tweaks": {hook: {"data": 2**70}}})
    assert ran.status_code == 200, ran.text  # was a 500: orjson's "Integer exceeds 64-bit range"


def test_a_run_the_mock_trips_on_fails_as_a_run_does_and_never_hangs(
        client: TestClient, headers: dict[str, str], chat_flow: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Whatever shape of stored flow the interpreter still trips on: /run fails in Langflow's shape, the stream
    ends with an `error` event and the build job fails; before, the job stayed in progress for ever and the
    stream was cut short empty."""
    from mock_langflow.engine import runner

    def trip(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyError("somewhere")

    monkeypatch.setattr(runner._Run, "_run_chat_output", trip)
    flow_id = create_flow(client, headers, chat_flow)["id"]

    ran = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hello"}, headers=headers)
    assert ran.status_code == 500
    assert json.loads(ran.json()["detail"])["message"] == "Error running graph: KeyError: 'somewhere'"
    streamed = client.post(f"/api/v1/run/{flow_id}", params={"stream": "true"}, json={"input_value": "hello"},
                           headers=headers)
    last = json.loads(streamed.text.strip().split("\n\n")[-1])
    assert last == {"event": "error", "data": {"error": ran.json()["detail"].join(("500: ", ""))}}
    job = client.post(f"/api/v1/build/{flow_id}/flow", json={}, headers=headers).json()["job_id"]
    polled = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    assert json.loads(polled.text.strip().split("\n")[-1]) == {"event": "error",
                                                               "data": {"error": "KeyError: 'somewhere'"}}
    assert "running flow" in caplog.text and "KeyError" in caplog.text  # the mock's defect is logged
