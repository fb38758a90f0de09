"""Edits of stored objects with junk in random places of a valid body, and everything read back after them.

The OpenAPI fuzzers send their edits to ids that mostly do not exist, so an edit that is taken and then breaks
a later read goes unseen: a message's properties, a project's MCP auth settings and a surrogate in an MCP
server's command were such. Here each case edits a real flow, project, message, variable, user or MCP server
with a valid body that has junk at one to three places (sometimes sent as raw bytes), and then:

- an edit refused with a 4xx has changed nothing that any read shows;
- no read, run or MCP tool listing afterwards is the mock's own 500, and the mock logs no error.

Seeded, so a failure repeats; MOCK_LANGFLOW_LONG=1 tries ten times as many.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.api.test_mcp import rpc
from tests.conftest import auto_login_token, create_flow, load_json
from tests.reliability.fuzzing import LONG
from tests.reliability.mutation import JUNK, Tracebacks, damaged

CASES = 1_500 if LONG else 150
EDIT_JUNK: list[Any] = [*JUNK, "\ud800", "../../etc/passwd", "a/b", " ", "Starter Project", "null", "[]",
                        "2026-01-01T00:00:00", "é" * 10, [str(i) for i in range(3)], {"source": "x"}]
# The 500s that are Langflow's own on purpose (errors.McpServerExists), and a component's failure in a run.
OWN_500S = ("Server already exists.",)


def encoded(body: Any, rng: random.Random) -> bytes:
    """The body as JSON bytes; one time in ten with non-ASCII characters (and surrogates) written raw."""
    if rng.random() < 0.1:
        return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return json.dumps(body).encode()


def is_own_500(answer: httpx.Response) -> bool:
    """A 500 that is not Langflow's: not a run's component error (a JSON string in `detail`, fact 15)."""
    if answer.status_code < 500:
        return False
    return not (answer.text.startswith('{"detail":"{') or any(text in answer.text for text in OWN_500S))


class World:
    """One user's objects, and the reads that show them."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.admin = {"Authorization": f"Bearer {auto_login_token(client)}"}
        key = client.post("/api/v1/api_key/", json={"name": "edits"}, headers=self.admin).json()["api_key"]
        self.headers = {"x-api-key": key}
        self.flow = create_flow(client, self.headers, load_json("flow_chat_io.json"))
        self.run("hello")
        self.project = self.post("/api/v1/projects/", {"name": "Edited", "description": "d"})
        self.user = self.post("/api/v1/users/", {"username": "bob", "password": "secret-password"}, self.admin)
        self.variable = self.post("/api/v1/variables/", {"name": "V", "value": "v", "type": "Generic",
                                                        "default_fields": []})
        self.post("/api/v2/mcp/servers/edited", {"command": "uvx", "args": ["x"]})

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
        answer = self.client.post(path, json=body, headers=headers or self.headers)
        assert answer.status_code in (200, 201), answer.text
        created: dict[str, Any] = answer.json()
        return created

    def run(self, text: str) -> httpx.Response:
        return self.client.post(f"/api/v1/run/{self.flow['id']}", json={"input_value": text, "session_id": "s1"},
                                headers=self.headers)

    def message_id(self) -> str:
        return str(self.client.get("/api/v1/monitor/messages", headers=self.headers).json()[-1]["id"])

    def edits(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(method, path, a valid body) of every edit of a stored object."""
        flow, project = self.flow["id"], self.project["id"]
        return [
            ("PATCH", f"/api/v1/flows/{flow}", {
                "name": "Renamed", "description": "x", "folder_id": project, "endpoint_name": "renamed",
                "locked": False, "mcp_enabled": True, "action_name": "act", "action_description": "d",
                "tags": ["t"], "icon": "x", "gradient": "1", "webhook": False, "access_type": "PRIVATE"}),
            ("PUT", f"/api/v1/flows/{flow}", {**load_json("flow_chat_io.json"), "name": "Replaced",
                                              "endpoint_name": "replaced"}),
            ("PATCH", f"/api/v1/projects/{project}", {
                "name": "Renamed project", "description": "e", "parent_id": None, "flows": [flow], "components": [],
                "auth_settings": {"auth_type": "apikey"}}),
            ("PATCH", f"/api/v1/mcp/project/{project}", {
                "settings": [{"id": flow, "mcp_enabled": True, "action_name": "tool", "action_description": "d",
                              "name": "n", "description": "d"}], "auth_settings": {"auth_type": "none"}}),
            ("PUT", f"/api/v1/monitor/messages/{self.message_id()}", {
                "text": "t", "sender": "User", "sender_name": "U", "session_id": "s2", "files": [], "edit": True,
                "properties": {"positive_feedback": True, "source": {"id": "x"}, "usage": {"total_tokens": 1}},
                "category": "message", "content_blocks": []}),
            ("PATCH", f"/api/v1/variables/{self.variable['id']}", {
                "id": self.variable["id"], "name": "V2", "value": "w", "default_fields": ["a"], "type": "Generic"}),
            ("PATCH", f"/api/v1/users/{self.user['id']}", {
                "username": "bob2", "is_active": True, "is_superuser": False,
                "profile_image": "People/People Avatar-01-01.svg", "optins": {"github_starred": True}}),
            ("PATCH", "/api/v2/mcp/servers/edited", {"command": "uvx", "args": ["y"], "env": {"A": "b"},
                                                     "headers": {"a": "b"}}),
        ]

    def reads(self) -> dict[str, Any]:
        """What a client sees of the stored objects (nothing here counts requests or clocks a read)."""
        paths = [f"/api/v1/flows/{self.flow['id']}", "/api/v1/flows/?get_all=true&header_flows=true",
                 f"/api/v1/projects/{self.project['id']}", "/api/v1/projects/",
                 f"/api/v1/mcp/project/{self.project['id']}", "/api/v1/variables/", "/api/v1/monitor/messages",
                 "/api/v1/monitor/messages/sessions", "/api/v2/mcp/servers", "/api/v2/mcp/servers/edited"]
        seen = {path: self.client.get(path, headers=self.headers) for path in paths}
        seen["/api/v1/users/"] = self.client.get("/api/v1/users/", headers=self.admin)
        return {path: (answer.status_code, answer.text) for path, answer in seen.items()}


def test_edits_with_junk_change_nothing_when_refused_and_break_no_read(
        make_client: Callable[..., TestClient], tracebacks: Tracebacks) -> None:
    world = World(make_client(job_latency_ms=0))
    rng = random.Random(20261203)
    failures: list[str] = []
    before = world.reads()
    for case in range(CASES):
        method, path, valid = rng.choice(world.edits())
        body = damaged(valid, rng, EDIT_JUNK)
        seen_before = len(tracebacks.seen)
        answer = world.client.request(method, path, content=encoded(body, rng),
                                      headers={**world.headers, "content-type": "application/json"})
        after = world.reads()
        problems = [f"{read} {status}: {text[:200]}" for read, (status, text) in after.items() if status >= 500]
        if is_own_500(answer):
            problems.append(f"the edit: {answer.status_code} {answer.text[:200]}")
        elif 400 <= answer.status_code < 500:
            problems += [f"refused, yet {read} changed" for read in after if after[read] != before[read]]
        ran = world.run(f"case {case}")
        if is_own_500(ran):
            problems.append(f"run after it: {ran.status_code} {ran.text[:200]}")
        if case % 10 == 0 and "error" in (tools := rpc(world.client, "/api/v1/mcp/streamable", world.headers,
                                                       "tools/list")):
            problems.append(f"tools/list: {tools['error']}")
        problems += tracebacks.seen[seen_before:]
        if problems:
            failures.append(f"case {case}, {method} {path} {json.dumps(body)[:300]}: " + "; ".join(problems))
        if case % 20 == 19:  # keep the messages' list short: it is read twice a case
            world.client.delete("/api/v1/monitor/messages/session/s1", headers=world.headers)
            world.run("hello")
        before = world.reads()
    assert not failures, "\n".join(failures[:5])
