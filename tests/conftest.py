"""Shared fixtures: an app per test (in-memory database), clients with each kind of credential, and a real
server process for the tests that need one."""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app
from mock_langflow.engine.environment import AGENTIC_NAMES
from mock_langflow.profiles.model import ENVIRONMENT_VARIABLES_1_13

pytest_plugins = ["pytester"]

DATA = Path(__file__).parent / "data"
KEY = "sk-" + "T" * 43  # a fixed, well-formed key for servers started with --api-key


def load_json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _no_server_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Servers under test (in process or started from here) see none of the developer's provider keys: Langflow,
    and so the mock, stores them as every user's Credentials and reads them as a run's fallback. A test that
    wants one sets it itself."""
    for name in (*ENVIRONMENT_VARIABLES_1_13, *AGENTIC_NAMES, "LANGFLOW_STORE_ENVIRONMENT_VARIABLES",
                 "LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT", "LANGFLOW_AGENTIC_EXPERIENCE", "OPENAI_BASE_URL",
                 "LANGFLOW_OPENAI_BASE_URL", "LANGFLOW_WATSONX_URL", "LANGFLOW_WATSONX_PROJECT_ID",
                 "LANGFLOW_SSRF_PROTECTION_ENABLED", "LANGFLOW_CONNECTOR_SSRF_VALIDATION_ENABLED",
                 "LANGFLOW_CONNECTOR_SSRF_ALLOW_LOOPBACK", "LANGFLOW_SSRF_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def chat_flow() -> dict[str, Any]:
    """Chat Input -> Chat Output as real Langflow 1.13 stores it (node ids ChatInput-aB1cD, ChatOutput-eF2gH)."""
    return copy.deepcopy(load_json("flow_chat_io.json"))


@pytest.fixture
def webhook_flow() -> dict[str, Any]:
    return copy.deepcopy(load_json("flow_webhook.json"))


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build a TestClient for an app with these settings (defaults: in memory, a temp data dir)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        values: dict[str, Any] = {"ephemeral": True, "data_dir": tmp_path / f"data{len(clients)}", **overrides}
        client = TestClient(create_app(Settings(**values)))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def asgi_get_scope(client: TestClient, path: str, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    """The ASGI scope of a GET of `path` to the client's app, for driving a streamed answer message by message."""
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"testserver"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
            "client": ("testclient", 50000), "server": ("testserver", 80), "state": client.app_state.copy()}


async def asgi_call(client: TestClient, scope: dict[str, Any], send: Callable[[dict[str, Any]], Any]) -> None:
    """Drive one request through the client's app: an empty body, then a client that stays connected (the
    answer's messages go to `send`); the caller bounds it in time."""
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()
        raise AssertionError  # unreachable

    await client.app(scope, receive, send)


def auto_login_token(client: TestClient) -> str:
    """An access token from auto-login, without leaving its cookies in the client's jar (a cookie would
    authenticate every later request and hide what the test sends explicitly)."""
    token = str(client.get("/api/v1/auto_login").json()["access_token"])
    client.cookies.clear()
    return token


def new_api_key(client: TestClient, name: str = "test") -> str:
    token = auto_login_token(client)
    response = client.post("/api/v1/api_key/", json={"name": name}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return str(response.json()["api_key"])


@pytest.fixture
def api_key(client: TestClient) -> str:
    return new_api_key(client)


@pytest.fixture
def key_headers(api_key: str) -> dict[str, str]:
    return {"x-api-key": api_key}


@pytest.fixture
def jwt_headers(client: TestClient) -> dict[str, str]:
    token = auto_login_token(client)
    return {"Authorization": f"Bearer {token}"}


def two_outputs(chat_flow: dict[str, Any]) -> dict[str, Any]:
    """Chat Input feeding two Chat Outputs (the second one a copy of the first, id ChatOutput-sEc0n)."""
    flow = copy.deepcopy(chat_flow)
    nodes, edges = flow["data"]["nodes"], flow["data"]["edges"]
    second = copy.deepcopy(next(n for n in nodes if n["id"] == "ChatOutput-eF2gH"))
    second["id"] = second["data"]["id"] = "ChatOutput-sEc0n"
    edge = copy.deepcopy(edges[0])
    edge["target"] = edge["data"]["targetHandle"]["id"] = "ChatOutput-sEc0n"
    edge["id"] = "edge-to-second-output"
    edge.pop("targetHandle", None)
    return {**flow, "name": "Two outputs", "endpoint_name": None,
            "data": {**flow["data"], "nodes": [*nodes, second], "edges": [*edges, edge]}}


def sink(flow: dict[str, Any], node_id: str, types: list[str], source: str = "ChatInput-aB1cD") -> dict[str, Any]:
    """The flow with one more component, of output types `types`, fed by `source` and feeding nothing."""
    flow = copy.deepcopy(flow)
    name = node_id.split("-")[0]
    flow["data"]["nodes"].append({"id": node_id, "type": "genericNode", "data": {"id": node_id, "type": name, "node": {
        "display_name": name, "template": {"_type": "Component",
                                           "input_value": {"name": "input_value", "type": "str", "value": ""}},
        "outputs": [{"name": "out", "types": types}]}}})
    flow["data"]["edges"].append({"id": f"edge-to-{node_id}", "source": source, "target": node_id, "data": {
        "sourceHandle": {"dataType": source.split("-")[0], "id": source, "name": "message",
                         "output_types": ["Message"]},
        "targetHandle": {"id": node_id, "fieldName": "input_value", "inputTypes": ["Message"], "type": "str"}}})
    return flow


def create_flow(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/flows/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture(scope="module")
def live(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """A test module's live recording (its LIVE file, made by scripts/record-live): release -> case -> answer."""
    recorded: dict[str, dict[str, Any]] = json.loads(request.module.LIVE.read_text(encoding="utf-8"))
    return recorded


def failure_text(detail: str) -> str:
    """A failed /run's text: the message of its detail's JSON (a 500), or the detail itself (before 1.13, the
    404 of a run whose error says "not found")."""
    try:
        return str(json.loads(detail)["message"])
    except ValueError:
        return detail


def build_job_events(client: Any, headers: dict[str, str], flow_id: str,
                     body: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """A build job of the flow (`body`: its request body) and the events its stream sends, as a client reads them
    (a TestClient, or an httpx client of a live server)."""
    job = client.post(f"/api/v1/build/{flow_id}/flow", json=body or {}, headers=headers).json()["job_id"]
    return [json.loads(line) for line in client.get(f"/api/v1/build/{job}/events", headers=headers).text.splitlines()
            if line.strip()]


def run_answer(client: TestClient, headers: dict[str, str], flow_id: str, body: dict[str, Any]) -> tuple[int, Any]:
    """A /run's status and what it answers: the first output's message text, or a failed run's error message."""
    response = client.post(f"/api/v1/run/{flow_id}", json=body, headers=headers)
    if response.status_code != 200:
        return response.status_code, json.loads(response.json()["detail"])["message"]
    return 200, response.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"]


def copy_of_example(client: TestClient, headers: dict[str, str], name: str) -> dict[str, Any]:
    """The caller's own copy of an example flow, as a client makes one to run it: Langflow finds example flows
    (nobody's) for no run, build or read by id."""
    example = next(f for f in client.get("/api/v1/flows/basic_examples/", headers=headers).json() if f["name"] == name)
    return create_flow(client, headers, {"name": name, "description": example["description"], "data": example["data"]})


def other_user_key(client: TestClient, admin_headers: dict[str, str], username: str = "bob") -> str:
    """An API key of a second, ordinary user: added and activated by the superuser, logged in."""
    created = client.post("/api/v1/users/", json={"username": username, "password": f"pw-{username}"},
                          headers=admin_headers)
    assert created.status_code == 201, created.text
    activated = client.patch(f"/api/v1/users/{created.json()['id']}", json={"is_active": True}, headers=admin_headers)
    assert activated.status_code == 200, activated.text
    login = client.post("/api/v1/login", data={"username": username, "password": f"pw-{username}"})
    client.cookies.clear()
    token = login.json()["access_token"]
    response = client.post("/api/v1/api_key/", json={"name": username}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return str(response.json()["api_key"])


def stored_blobs(client: TestClient) -> set[str]:
    """The names in the folder that holds uploaded bytes (empty when nothing was ever stored)."""
    root: Path = client.app.state.mock.store.files.blobs.root  # type: ignore[attr-defined]
    return {p.name for p in root.iterdir()} if root.is_dir() else set()


# --- a real server process ------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    api_key: str
    process: subprocess.Popen[str]
    data_dir: Path

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"x-api-key": self.api_key}, timeout=10, **kwargs)


START_LINE = re.compile(r"at (http://\S+) ")


def start_server(data_dir: Path, *args: str, env: dict[str, str] | None = None, key: str = KEY) -> LiveServer:
    """`mock-langflow serve --port 0` in a child process; returns once it printed where it listens."""
    cmd = [sys.executable, "-m", "mock_langflow", "serve", "--port", "0", "--data-dir", str(data_dir),
           "--api-key", key, *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})})
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = START_LINE.search(line)
    if not match:
        proc.kill()
        raise AssertionError(f"server did not start: {line}{proc.stdout.read()}")
    return LiveServer(url=match.group(1), api_key=key, process=proc, data_dir=data_dir)


def paced_streaming_flow(http: httpx.Client, words: int) -> str:
    """A live server's copy of the Basic Prompting example with its model streaming, and a script that replies
    `words` words at 10 tokens a second: a run that is still streaming for a few seconds. Returns the flow id."""
    slow = {"rules": [{"reply": " ".join(f"word{i}" for i in range(words)), "stream": {"tokens_per_second": 10}}]}
    assert http.post("/_mock/scripts", content=json.dumps(slow)).status_code == 201
    flow = next(f for f in http.get("/api/v1/flows/basic_examples/").json() if f["name"] == "Basic Prompting")
    data = flow["data"]
    model = next(n for n in data["nodes"] if n["id"].startswith("LanguageModelComponent"))
    model["data"]["node"]["template"]["stream"]["value"] = True
    return str(http.post("/api/v1/flows/", json={"name": "Streaming", "data": data}).json()["id"])


def as_an_older_mock_left_it(db_path: Path, *statements: str) -> None:
    """Run `statements` on a stopped server's database to give it the shape an older mock made, which had no
    fingerprint of the tables' shapes (SQLite's application_id, store/schema.py): the next start mends it."""
    with closing(sqlite3.connect(db_path)) as db, db:
        for statement in statements:
            db.execute(statement)
        db.execute("PRAGMA application_id = 0")


def restore_not_null(db_path: Path, table: str, column: str) -> None:
    """Remake a kept data dir's `table` with `column` NOT NULL again, rows kept: the shape an older mock made,
    before the column became nullable (what start-up's mend must turn back)."""
    with closing(sqlite3.connect(db_path)) as db, db:
        (ddl,) = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        assert f"{column} VARCHAR," in ddl
    as_an_older_mock_left_it(db_path, f"ALTER TABLE {table} RENAME TO {table}_new",
                             ddl.replace(f"{column} VARCHAR,", f"{column} VARCHAR NOT NULL,"),
                             f"INSERT INTO {table} SELECT * FROM {table}_new",  # noqa: S608 (our own table names)
                             f"DROP TABLE {table}_new")


def stop_server(server: LiveServer, *, close_output: bool = True) -> None:
    """Stop the server and close its output pipe, unless a reader thread still drains it (it closes it)."""
    stop_process(server.process, close_output=close_output)


def stop_process(process: subprocess.Popen[str], *, close_output: bool = True) -> None:
    """Terminate a server process (kill it if it lingers) and close its output pipe."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if close_output and process.stdout is not None:
        process.stdout.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(tmp_path / "live")
    yield server
    stop_server(server)
