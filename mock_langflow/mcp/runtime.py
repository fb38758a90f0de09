"""The MCP SDK's objects for one app: low-level servers, SSE transports and streamable HTTP managers.

This is plumbing, not state: what the tools are comes from the store on every request. One McpRuntime
lives on app.state, so two apps in one process share nothing. As in Langflow, the streamable HTTP
transport is stateless (a fresh transport per request, no mcp-session-id); its managers are started on first
use, one per server (global or project), each in a task that the app's lifespan stops at its end.
The SDK itself is imported on first use too: it costs a third of the server's start-up and 10 MB of memory
that a test which never calls MCP would pay for nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any
from uuid import UUID

from anyio import BrokenResourceError
from fastapi import Request
from pydantic import AnyUrl

from mock_langflow import errors
from mock_langflow.mcp.resources import list_resources, read_resource
from mock_langflow.mcp.tools import call_tool, list_tools_result, request_variables
from mock_langflow.state import AppState
from mock_langflow.store.models import UserRow

if TYPE_CHECKING:
    from mcp import types
    from mcp.server.lowlevel import Server
    from mcp.server.sse import SseServerTransport
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

logger = logging.getLogger(__name__)

GLOBAL_SERVER_NAME = "langflow-mcp-server"
GLOBAL_MESSAGES_PATH = "/api/v1/mcp/"
# Where a streamable HTTP route leaves the authenticated caller for the tool handlers (request.state).
CALLER = "mcp_caller"
# Set (request.state) when a project transport serves a caller its auth "none" asks no key of: a visitor.
PUBLIC_CALL = "mcp_public_call"
# Langflow announces list changes on its SSE servers, not on the streamable ones (mcp_*_initialize).
SSE_NOTIFICATIONS = {"prompts_changed": True, "resources_changed": True, "tools_changed": True}


def project_server_name(project_id: UUID) -> str:
    return f"langflow-mcp-project-{project_id}"


def project_messages_path(project_id: UUID) -> str:
    return f"/api/v1/mcp/project/{project_id}/"


def raw_send(request: Request) -> Any:
    """The ASGI send of a request: the SDK's transports write the whole response themselves."""
    return request._send


class McpRuntime:
    def __init__(self, state: AppState) -> None:
        self.state = state
        self._sse: SseServerTransport | None = None
        self._project_sse: dict[UUID, SseServerTransport] = {}
        # by project id (None: the global server; a name: another server, e.g. the agentic one)
        self._managers: dict[UUID | str | None, StreamableHTTPSessionManager] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # one per started manager
        # Made when the lifespan starts, None outside it (a lock belongs to the loop it first waited on).
        self._starting: asyncio.Lock | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The app's lifespan: while it runs, a streamable HTTP manager starts on first use, in a task of its
        own; when it ends, they stop. Nothing starts with the app: a task group held open from start-up made
        every start import anyio's asyncio backend (10 ms, 0.9 MiB) for a transport most tests never call."""
        self._starting = asyncio.Lock()
        try:
            yield
        finally:
            self._starting = None
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)  # each one forgets itself as it ends
            self._managers.clear()

    @property
    def sse(self) -> SseServerTransport:
        """The global server's SSE transport."""
        if self._sse is None:
            from mcp.server.sse import SseServerTransport

            self._sse = SseServerTransport(GLOBAL_MESSAGES_PATH)
        return self._sse

    # --- servers ---------------------------------------------------------------------------------------

    def server(self, project_id: UUID | None, caller: UserRow | None = None, *,
               public: bool = False, headers: Mapping[str, str] | None = None) -> Server[Any, Request]:
        """A low-level MCP server for the global tools or one project's. With `caller` the server belongs
        to one SSE connection and acts for its user, and a project's tool runs take their request variables from
        the `headers` that opened it (Langflow's server loop runs in that request's context); without, it reads
        the caller, and the headers, from each streamable HTTP request."""
        # (The SDK's handler decorators carry no types, hence the type: ignores below.)
        from mcp.server.lowlevel import Server

        name = GLOBAL_SERVER_NAME if project_id is None else project_server_name(project_id)
        # What tells a visitor's MCP connections apart (1.13 namespaces their sessions by it): an SSE connection
        # keeps one for its life; a stateless streamable request is a connection of its own.
        sse_connection = str(self.state.ids.uuid()) if caller is not None and public else None
        # serverInfo.version is the mcp package's version: the one the emulated release shipped with.
        server: Server[Any, Request] = Server(name, version=self.state.profile.mcp.sdk_version)
        state = self.state

        def user() -> UserRow:
            if caller is not None:
                return caller
            request = server.request_context.request
            found = getattr(request.state, CALLER, None) if request is not None else None
            if not isinstance(found, UserRow):
                raise RuntimeError("MCP request without an authenticated caller")
            return found

        def sent_headers() -> Mapping[str, str] | None:
            request = server.request_context.request
            return request.headers if request is not None else None

        def visitor() -> bool:
            if caller is not None:
                return public
            request = server.request_context.request
            return bool(getattr(request.state, PUBLIC_CALL, False)) if request is not None else False

        @server.list_prompts()  # type: ignore[no-untyped-call, untyped-decorator]
        async def handle_list_prompts() -> list[types.Prompt]:
            return []

        @server.list_resources()  # type: ignore[no-untyped-call, untyped-decorator]
        async def handle_list_resources() -> list[types.Resource]:
            return list_resources(state, user_id=user().id, project_id=project_id)

        @server.read_resource()  # type: ignore[no-untyped-call, untyped-decorator]
        async def handle_read_resource(uri: AnyUrl) -> bytes:
            return read_resource(state, user_id=user().id, project_id=project_id, uri=str(uri))

        @server.list_tools()  # type: ignore[no-untyped-call, untyped-decorator]
        async def handle_list_tools() -> types.ListToolsResult:
            result = list_tools_result(state, user_id=user().id, project_id=project_id)
            # The SDK only adds a ListToolsResult's tools to the cache it checks calls against; a tool gone
            # since would stay there, so it is emptied first, as Langflow does.
            server._tool_cache.clear()
            return result

        @server.call_tool()  # type: ignore[untyped-decorator]
        async def handle_call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
            public_call = visitor()
            connection = (sse_connection or str(state.ids.uuid())) if public_call else ""
            variables, sent = {}, None
            if project_id is not None:  # the global server reads no request variables, nor 1.13's end user
                sent = headers if caller is not None else sent_headers()
                variables = request_variables(state, sent)
            return await call_tool(state, user_id=user().id, project_id=project_id, name=name, arguments=arguments,
                                   public=public_call, connection=connection, variables=variables, headers=sent)

        return server

    # --- SSE ---------------------------------------------------------------------------------------------

    def project_sse(self, project_id: UUID) -> SseServerTransport:
        from mcp.server.sse import SseServerTransport

        transport = self._project_sse.get(project_id)
        if transport is None:
            transport = self._project_sse[project_id] = SseServerTransport(project_messages_path(project_id))
        return transport

    async def serve_sse(self, transport: SseServerTransport, request: Request, server: Server[Any, Request]) -> None:
        """Hold an SSE connection open and serve its session until the client leaves."""
        from mcp.server.lowlevel import NotificationOptions

        notifications = NotificationOptions(**SSE_NOTIFICATIONS)
        send = raw_send(request)
        started = ended = False  # whether the transport sent the response's start, and its last body message

        async def watched_send(message: MutableMapping[str, Any]) -> None:
            nonlocal started, ended
            started = started or message["type"] == "http.response.start"
            ended = ended or (message["type"] == "http.response.body" and not message.get("more_body", False))
            await send(message)

        try:
            async with transport.connect_sse(request.scope, request.receive, watched_send) as (reader, writer):
                await server.run(reader, writer, server.create_initialization_options(notifications))
        except BrokenResourceError:
            logger.debug("MCP SSE client disconnected")
        finally:
            if started and not ended:
                # The server is stopping (sse-starlette leaves its stream as uvicorn exits): end the chunked body,
                # so the client reads a closed stream rather than a cut one and uvicorn logs no "ASGI callable
                # returned without completing response" at every stop with an MCP client connected.
                with contextlib.suppress(Exception):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})

    # --- streamable HTTP ---------------------------------------------------------------------------------

    async def streamable(self, project_id: UUID | str | None,
                         make_server: Callable[[], Server[Any, Request]] | None = None) -> StreamableHTTPSessionManager:
        """The stateless streamable HTTP manager of the global server (None) or a project, started on first use;
        or of the server `make_server` makes, under its own key."""
        manager = self._managers.get(project_id)
        if manager is not None:
            return manager
        if self._starting is None:
            raise errors.McpNotRunning()
        async with self._starting:
            manager = self._managers.get(project_id)
            if manager is None:
                from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

                server = make_server() if make_server is not None else self.server(project_id)  # type: ignore[arg-type]
                manager = StreamableHTTPSessionManager(server, stateless=True)
                await self._start(project_id, manager)
        return manager

    async def _start(self, project_id: UUID | str | None, manager: StreamableHTTPSessionManager) -> None:
        """Run `manager` in a task of its own (run() must be entered and left by the same task) and return once
        it is running; what stops it before then is raised here. A manager whose task ends is forgotten, so
        the next request starts another."""
        def forget(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            if self._managers.get(project_id) is manager:
                del self._managers[project_id]

        started = asyncio.Event()
        task = asyncio.get_running_loop().create_task(self._run_manager(manager, started))
        self._tasks.add(task)
        task.add_done_callback(forget)
        waiting = asyncio.ensure_future(started.wait())
        await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if not started.is_set():
            waiting.cancel()
            task.result()  # raises what stopped it
            raise RuntimeError("the MCP session manager stopped as it started")
        self._managers[project_id] = manager

    @staticmethod
    async def _run_manager(manager: StreamableHTTPSessionManager, started: asyncio.Event) -> None:
        async with manager.run():
            started.set()
            await asyncio.Event().wait()  # until cancelled at the end of the lifespan

    async def serve_streamable(self, project_id: UUID | str | None, request: Request, caller: UserRow,
                               make_server: Callable[[], Server[Any, Request]] | None = None) -> None:
        manager = await self.streamable(project_id, make_server)
        setattr(request.state, CALLER, caller)
        await manager.handle_request(request.scope, request.receive, raw_send(request))
