"""Real MCP clients (the `mcp` SDK's SSE and streamable HTTP clients) against a real mock-langflow process:
they list the flows as tools, call one, and get the scripted model's reply."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from mock_langflow import errors
from tests.api.test_mcp import SCRIPT
from tests.conftest import LiveServer, other_user_key, start_server, stop_server

QUESTION = "What is the capital of France?"
ANSWER = "Paris, says the script."
FIRST_SSE_FRAME = re.compile(rb"event: endpoint\r\ndata: (/api/v1/mcp/(?:project/[0-9a-f-]{36}/)?)"
                             rb"\?session_id=[0-9a-f]{32}\r\n\r\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """A server with a script for the capital question and the Basic Prompting flow exposed as tool "ask"."""
    root = tmp_path_factory.mktemp("mcp-live")
    script = root / "capital.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    live = start_server(root / "data", env={"MOCK_LANGFLOW_SCRIPTS": str(script)})
    try:
        body = json.loads((Path(__file__).parents[2] / "fixtures" / "flows" / "basic_prompting.json").read_text())
        with live.client() as http:
            flow = http.post("/api/v1/flows/", json=body).json()
            http.patch(f"/api/v1/flows/{flow['id']}", json={"mcp_enabled": True, "action_name": "ask",
                                                              "action_description": "Ask the model."})
            project = http.get("/api/v1/projects/").json()[0]["id"]
        yield live, project
    finally:
        stop_server(live)


def endpoint(live: LiveServer, project: str | None, transport: str) -> str:
    base = f"{live.url}/api/v1/mcp" + (f"/project/{project}" if project else "")
    return f"{base}/{transport}"


@asynccontextmanager
async def streamable(url: str, key: str) -> AsyncIterator[Any]:
    async with httpx.AsyncClient(headers={"x-api-key": key}) as http:
        async with streamable_http_client(url, http_client=http) as streams:
            yield streams


async def list_and_call(transport: AbstractAsyncContextManager[Any], tool: str) -> tuple[list[str], Any]:
    async with transport as streams, ClientSession(streams[0], streams[1]) as session:
        await session.initialize()
        tools = await session.list_tools()
        result = await session.call_tool(tool, {"input_value": QUESTION})
    return [t.name for t in tools.tools], result


@pytest.mark.parametrize("scope", ["global", "project"])
@pytest.mark.parametrize("kind", ["sse", "streamable"])
def test_sdk_clients_list_the_tools_and_get_the_scripted_reply(server: tuple[LiveServer, str], kind: str,
                                                              scope: str) -> None:
    live, project = server
    url = endpoint(live, project if scope == "project" else None, kind)
    transport = sse_client(url, headers={"x-api-key": live.api_key}) if kind == "sse" else streamable(url, live.api_key)
    tool = "ask" if scope == "project" else "basic_prompting"  # a project names tools by action name
    names, result = asyncio.run(list_and_call(transport, tool))
    assert names == [tool]
    assert result.isError is False
    assert [(c.type, c.text) for c in result.content] == [("text", ANSWER)]


@pytest.mark.parametrize("scope", ["global", "project"])
def test_sse_first_frame_is_the_endpoint_event_with_crlf_line_ends(server: tuple[LiveServer, str], scope: str) -> None:
    live, project = server
    url = endpoint(live, project if scope == "project" else None, "sse")
    with httpx.stream("GET", url, headers={"x-api-key": live.api_key}, timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        first = b""
        for chunk in response.iter_raw():
            first += chunk
            if b"\r\n\r\n" in first:
                break
    match = FIRST_SSE_FRAME.fullmatch(first)
    assert match is not None, first
    assert match.group(1).decode() == (f"/api/v1/mcp/project/{project}/" if scope == "project" else "/api/v1/mcp/")


def test_an_sse_sessions_messages_want_the_credentials_of_who_opened_it(server: tuple[LiveServer, str]) -> None:
    live, _ = server
    with live.client() as http:
        other = other_user_key(http, {}, username="carol")
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    with httpx.stream("GET", endpoint(live, None, "sse"), headers={"x-api-key": live.api_key}, timeout=10) as stream:
        chunks = stream.iter_raw()  # kept: a dropped iterator closes the stream, and the session with it
        first = b""
        while b"\r\n\r\n" not in first:
            first += next(chunks)
        path = first.split(b"data: ", 1)[1].strip().decode()
        anonymous = httpx.post(live.url + path, json=ping, timeout=10)
        assert (anonymous.status_code, anonymous.json()) == (403, {"detail": errors.AUTO_LOGIN_NEEDS_KEY})
        stranger = httpx.post(live.url + path, json=ping, headers={"x-api-key": other}, timeout=10)
        assert (stranger.status_code, stranger.text) == (404, "Could not find session")
        owner = httpx.post(live.url + path, json=ping, headers={"x-api-key": live.api_key}, timeout=10)
        assert (owner.status_code, owner.text) == (202, "Accepted")


def test_a_visitors_sse_connection_keeps_one_session_namespace(server: tuple[LiveServer, str]) -> None:
    """1.13 namespaces a visitor's session ids (auth "none" project) by MCP connection: two calls on one SSE
    connection with the same session_id share "<uuid>:<session id>"; another connection gets another uuid."""
    live, _ = server
    chat = json.loads((Path(__file__).parents[2] / "fixtures" / "flows" / "basic_prompting.json").read_text())
    with live.client() as http:
        project = http.post("/api/v1/projects/", json={"name": "Open door", "auth_settings": {"auth_type": "none"}})
        assert project.status_code == 201, project.text
        pid = project.json()["id"]
        flow = http.post("/api/v1/flows/", json={**chat, "name": "open_ask", "folder_id": pid}).json()
        http.patch(f"/api/v1/flows/{flow['id']}", json={"mcp_enabled": True, "action_name": "open_ask"})

    async def two_calls() -> None:
        async with sse_client(endpoint(live, pid, "sse")) as streams, ClientSession(*streams) as session:
            await session.initialize()
            for _ in range(2):
                result = await session.call_tool("open_ask", {"input_value": QUESTION, "session_id": "door"})
                assert result.isError is False, result

    asyncio.run(two_calls())
    asyncio.run(two_calls())
    with live.client() as http:
        messages = http.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}).json()
    sessions = [m["session_id"] for m in messages]
    assert len(sessions) == 8 and len(set(sessions[:4])) == 1 and len(set(sessions)) == 2, sessions
    assert all(s.endswith(":door") for s in sessions)


def test_a_project_sse_streams_tool_runs_take_its_global_variable_headers(server: tuple[LiveServer, str]) -> None:
    """The X-LANGFLOW-GLOBAL-VAR-* headers of a project's SSE connection are its tool runs' request variables."""
    live, _ = server
    chat = json.loads((Path(__file__).parents[1] / "data" / "flow_chat_io.json").read_text())
    output = next(n for n in chat["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": "BOT_NAME", "load_from_db": True})
    with live.client() as http:
        pid = http.post("/api/v1/projects/", json={"name": "Named bots"}).json()["id"]
        flow = http.post("/api/v1/flows/", json={**chat, "name": "named_bot", "folder_id": pid}).json()
        http.patch(f"/api/v1/flows/{flow['id']}", json={"mcp_enabled": True, "action_name": "named_bot"})

    async def named_call() -> None:
        headers = {"x-api-key": live.api_key, "X-LANGFLOW-GLOBAL-VAR-BOT_NAME": "Stream Bot"}
        async with sse_client(endpoint(live, pid, "sse"), headers=headers) as streams, \
                ClientSession(*streams) as session:
            await session.initialize()
            result = await session.call_tool("named_bot", {"input_value": "hi"})
            assert result.isError is False, result

    asyncio.run(named_call())
    with live.client() as http:
        messages = http.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}).json()
    assert [m["sender_name"] for m in messages if m["sender"] == "Machine"] == ["Stream Bot"]


def test_an_sse_client_behind_a_prefix_posts_its_messages_under_it(tmp_path: Path) -> None:
    """LANGFLOW_ROOT_PATH (1.13): the SSE transport's endpoint event names the prefix, or the proxy's
    X-Forwarded-Prefix, so an SDK client that connected through the prefixed URL reaches its session."""
    live = start_server(tmp_path / "data", env={"LANGFLOW_ROOT_PATH": "/langflow"})
    try:
        url = f"{live.url}/langflow/api/v1/mcp/sse"
        # directly, with the prefix; and as a proxy that strips its own prefix forwards the request
        for sent, prefix, headers in ((url, "/langflow", {}),
                                      (f"{live.url}/api/v1/mcp/sse", "/edge", {"X-Forwarded-Prefix": "/edge"})):
            with httpx.stream("GET", sent, headers={"x-api-key": live.api_key, **headers}, timeout=10) as response:
                first = next(response.iter_raw())
            assert first.startswith(f"event: endpoint\r\ndata: {prefix}/api/v1/mcp/?session_id=".encode()), first

        async def tools() -> list[str]:
            async with sse_client(url, headers={"x-api-key": live.api_key}) as streams, \
                    ClientSession(*streams) as session:
                await session.initialize()
                return [tool.name for tool in (await session.list_tools()).tools]

        assert asyncio.run(tools()) == []  # connected and answered: no flow is exposed yet
    finally:
        stop_server(live)
