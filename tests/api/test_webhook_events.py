"""GET /api/v1/webhook-events/{flow_id_or_name}: the SSE stream the Langflow UI opens on a flow to watch its
webhook runs (1.13 and 1.8 api/v1/endpoints.py webhook_events_stream). Streams against a real server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_build import CONTRACT_SCRIPT
from tests.conftest import LiveServer, create_flow, load_json, new_api_key, other_user_key


def parsed(text: str) -> list[tuple[str, Any]]:
    """The stream's frames as (event, data); each is exactly an `event:` line, a `data:` line and a blank line."""
    frames = []
    for block in text.split("\n\n"):
        if not block:
            continue
        event_line, data_line = block.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: "), block
        frames.append((event_line[len("event: "):], json.loads(data_line[len("data: "):])))
    return frames


class Watcher:
    """A webhook event stream read in a thread until its first run ends (`end`)."""

    def __init__(self, url: str, params: dict[str, str]) -> None:
        self.text, self.status = "", 0
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(url, params), daemon=True)
        self.thread.start()
        assert self.opened.wait(10)

    def _read(self, url: str, params: dict[str, str]) -> None:
        with httpx.stream("GET", url, params=params, timeout=20) as response:
            self.status, self.headers = response.status_code, response.headers
            for chunk in response.iter_text():
                self.text += chunk
                self.opened.set()  # the `connected` frame: the stream is subscribed
                if "event: end\n" in self.text:
                    return
        self.opened.set()

    def frames(self) -> list[tuple[str, Any]]:
        self.thread.join(20)
        assert not self.thread.is_alive()
        return parsed(self.text)


def test_an_open_stream_follows_a_webhook_run_of_its_flow(live_server: LiveServer) -> None:
    with live_server.client() as http:
        flow = http.post("/api/v1/flows/", json=load_json("flow_webhook.json")).json()
        url = f"{live_server.url}/api/v1/webhook-events/{flow['id']}"
        watchers = [Watcher(url, {"x-api-key": live_server.api_key}) for _ in range(2)]  # every open stream hears it
        assert http.post(f"/api/v1/webhook/{flow['id']}", json={"hello": "world"}).status_code == 202
    for watcher in watchers:
        frames = watcher.frames()
        assert watcher.status == 200
        assert watcher.headers["content-type"].startswith("text/event-stream")
        assert watcher.headers["cache-control"] == "no-cache"
        assert watcher.text.startswith(f'event: connected\ndata: {{"flow_id": "{flow["id"]}", '
                                       f'"flow_name": "{flow["name"]}"}}\n\n')
        names = [name for name, _ in frames]
        assert names == ["connected", "vertices_sorted", "build_start", "end_vertex", "build_start", "add_message",
                         "end_vertex", "end"]
        run_id = frames[-1][1]["run_id"]
        assert frames[-1][1] == {"run_id": run_id, "success": True}
        nodes = ["Webhook-iJ3kL", "ChatOutput-mN4oP"]
        assert frames[1][1] == {"ids": nodes, "to_run": nodes, "run_id": run_id}
        assert [data["id"] for name, data in frames if name == "build_start"] == nodes
        message = frames[5][1]
        assert message["run_id"] == run_id and message["text"] == '```json\n{\n  "hello": "world"\n}\n```'
        hook, out = (data["build_data"] for name, data in frames if name == "end_vertex")
        assert (hook["id"], hook["valid"], hook["next_vertices_ids"], hook["top_level_vertices"]) == (
            "Webhook-iJ3kL", True, ["ChatOutput-mN4oP"], ["ChatOutput-mN4oP"])
        # the webhook's result is the Data it made, as a ResultData serializes one; its params its artifact's YAML
        assert hook["data"]["results"] == {"output_data": {"text_key": "text", "data": {"hello": "world"},
                                                           "default_value": ""}}
        assert hook["params"] == ('- Output Data:\n    raw:\n      hello: world\n    repr: "{\\n    \\"hello\\": '
                                  '\\"world\\"\\n}"\n    type: object\n')
        assert set(out) == {"id", "valid", "params", "data", "artifacts", "timestamp", "messages",
                            "inactivated_vertices", "next_vertices_ids", "top_level_vertices"}
        assert set(out["data"]) == {"results", "outputs", "logs", "messages", "duration"}
        assert out["messages"] == out["data"]["messages"] and out["messages"][0]["component_id"] == "ChatOutput-mN4oP"
        assert out["timestamp"].endswith("+00:00")


def test_a_failing_run_ends_unsuccessfully(live_server: LiveServer) -> None:
    with live_server.client() as http:
        # "Boom" raises ValueError("contract boom: <input>") under this script
        assert http.post("/_mock/scripts", content=CONTRACT_SCRIPT.read_bytes()).status_code == 201
        flow = http.post("/api/v1/flows/", json=load_json("flow_boom.json")).json()
        watcher = Watcher(f"{live_server.url}/api/v1/webhook-events/{flow['id']}", {"x-api-key": live_server.api_key})
        assert http.post(f"/api/v1/webhook/{flow['id']}", json={"x": 1}).status_code == 202
    frames = watcher.frames()
    name, data = frames[-1]
    assert name == "end" and data["success"] is False and "contract boom" in data["error"]
    assert set(data) == {"run_id", "success", "error"}
    assert "error" not in [n for n, _ in frames]


def test_a_layer_with_a_vertex_that_raised_sends_none_of_its_end_vertex_events(live_server: LiveServer) -> None:
    flow = load_json("flow_boom.json")
    nodes, edges = flow["data"]["nodes"], flow["data"]["edges"]
    # a second Chat Output fed by the Chat Input: the layer after it is [ChatOutput-zZ9yY, CustomComponent-bO0m1]
    nodes.append(json.loads(json.dumps(nodes[2]).replace("ChatOutput-eF2gH", "ChatOutput-zZ9yY")))
    edges.append(json.loads(json.dumps(edges[1]).replace("ChatOutput-eF2gH", "ChatOutput-zZ9yY")
                            .replace("CustomComponent-bO0m1", "ChatInput-aB1cD")))
    with live_server.client() as http:
        assert http.post("/_mock/scripts", content=CONTRACT_SCRIPT.read_bytes()).status_code == 201
        flow = http.post("/api/v1/flows/", json=flow).json()
        watcher = Watcher(f"{live_server.url}/api/v1/webhook-events/{flow['id']}", {"x-api-key": live_server.api_key})
        assert http.post(f"/api/v1/webhook/{flow['id']}", json={"x": 1}).status_code == 202
    frames = watcher.frames()
    assert [d["id"] for n, d in frames if n == "build_start"] == [
        "ChatInput-aB1cD", "ChatOutput-zZ9yY", "CustomComponent-bO0m1"]
    assert [d["build_data"]["id"] for n, d in frames if n == "end_vertex"] == ["ChatInput-aB1cD"]
    assert frames[-1][0] == "end" and frames[-1][1]["success"] is False


def test_the_stream_takes_a_cookie_or_key_and_the_callers_flow(
        client: TestClient, key_headers: dict[str, str], webhook_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, webhook_flow)
    url = f"/api/v1/webhook-events/{flow['id']}"
    refused = {"detail": errors.SSE_CREDENTIALS}
    # an access token is read from the cookie only: a Bearer header is no credential here
    token = client.get("/api/v1/auto_login").json()["access_token"]
    client.cookies.clear()  # (auto_login set the cookie, which the stream would take)
    assert (client.get(url).status_code, client.get(url).json()) == (403, refused)
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).json() == refused
    assert client.get(url, params={"x-api-key": "sk-wrong"}).json() == refused
    bob = other_user_key(client, key_headers)
    mine_to_bob = client.get(url, params={"x-api-key": bob})
    assert (mine_to_bob.status_code, mine_to_bob.json()) == (404, {"detail": f"Flow identifier {flow['id']} not found"})


def test_1_8_finds_the_flow_first_and_refuses_who_does_not_own_it(
        make_client: Callable[..., TestClient], webhook_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, webhook_flow)
    client.cookies.clear()
    unknown = client.get("/api/v1/webhook-events/no-such-endpoint")  # no credentials: the flow comes first
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Flow identifier no-such-endpoint not found"})
    bob = client.get(f"/api/v1/webhook-events/{flow['id']}", params={"x-api-key": other_user_key(client, headers)})
    assert (bob.status_code, bob.json()) == (403, {"detail": errors.WEBHOOK_EVENTS_NOT_OWNER})
    # 1.7.1 has no such route: it answers the frontend's page, as for any unknown path
    old = make_client(langflow_version="1.7.1")
    assert old.get(f"/api/v1/webhook-events/{flow['id']}").headers["content-type"].startswith("text/html")
