"""create_app: builds one mock Langflow server, its state, middleware, routers and error handling."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids
from mock_langflow.control import router as control
from mock_langflow.control.faults import Faults
from mock_langflow.control.journal import Journal
from mock_langflow.control.middleware import ControlLayer
from mock_langflow.control.seed import seed_path
from mock_langflow.engine.graph import Node
from mock_langflow.engine.jobs import JobManager
from mock_langflow.engine.llm import ScriptedLLM
from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import FileReader, HistoryReader, MessageSink, Runner, TransactionSink, VertexResult
from mock_langflow.handlers import install_error_handlers
from mock_langflow.mcp.projects import configure_at_startup
from mock_langflow.mcp.runtime import McpRuntime
from mock_langflow.middleware import ConnectionDropper, ContentSizeLimit, JsonBodyGuard
from mock_langflow.profiles import get_profile
from mock_langflow.routers import (
    auth,
    build,
    files_v1,
    files_v2,
    flows,
    mcp,
    mcp_projects,
    misc,
    monitor,
    projects,
    run,
    variables,
    webhooks,
    workflows,
)
from mock_langflow.settings import Settings
from mock_langflow.state import AppState, load_secret_key
from mock_langflow.store import Database, Store
from mock_langflow.store.models import TransactionRow

GZIP_MIN_SIZE = 1000  # fact 13: JSON bodies of 1000 bytes or more are gzipped for clients that accept it


def default_scripts_dir() -> Path:
    """fixtures/scripts: in the wheel, or beside the package in a checkout."""
    packaged = Path(str(resources.files("mock_langflow").joinpath("_fixtures", "scripts")))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "fixtures" / "scripts"


def _saver(store: Store) -> MessageSink:
    async def save(message: Message, user_id: UUID | None) -> None:
        store.messages.save(message, user_id=user_id)
    return save


def _history(store: Store) -> HistoryReader:
    async def history(flow_id: UUID | None, session_id: str) -> list[Message]:
        return store.messages.history(flow_id, session_id)
    return history


def _transactions(store: Store, ids: Ids, clock: Clock) -> TransactionSink:
    async def log(flow_id: UUID | None, node: Node, inputs: dict[str, Any], result: VertexResult) -> None:
        outputs = {name: {"message": value.data if value.data is not None else value.as_text,
                          "type": "object" if value.data is not None else "text"}
                   for name, value in result.outputs.items()}
        store.jobs.add_transaction(TransactionRow(id=ids.uuid(), flow_id=flow_id, vertex_id=node.id, inputs=inputs,
                                                  outputs=outputs, timestamp=clock.now()))
    return log


def _files(store: Store) -> FileReader:
    """A run's files (Chat Input `files`, File component `path`): a stored file the caller owns, as (name, text)."""
    async def read(path: str, user_id: UUID | None) -> tuple[str, str] | None:
        return store.files.read_for_run(path, user_id=user_id)
    return read


def build_state(settings: Settings, *, ids: Ids | None = None, clock: Clock | None = None) -> AppState:
    """Open the database and make sure the superuser, its default project and the examples exist."""
    ids = ids or Ids(settings.seed)
    clock = clock or Clock()
    db = Database(None if settings.ephemeral else settings.database_path)
    store = Store(db, ids, clock, files_dir=None if settings.ephemeral else settings.files_path)
    store.files.sweep()
    llm = ScriptedLLM(db, ids, clock, strict=settings.strict_scripts)
    llm.load_files([default_scripts_dir(), *settings.scripts])
    runner = Runner(llm, ids, clock, store_message=_saver(store), read_file=_files(store), history=_history(store),
                    log_transaction=_transactions(store, ids, clock))
    store.jobs.recover_interrupted()
    state = AppState(settings=settings, profile=get_profile(settings.langflow_version), store=store, ids=ids,
                     clock=clock, secret_key=load_secret_key(settings), llm=llm, runner=runner,
                     jobs=JobManager(store.jobs, runner, ids, clock), journal=Journal(db, clock),
                     faults=Faults(db, seed=settings.seed))
    if settings.auto_login:
        # Langflow's auto-login superuser has a random password: logging in as langflow/langflow fails (fact 7).
        user = store.users.ensure_superuser(username="langflow", password=secrets.token_urlsafe(24))
    else:
        user = store.users.ensure_superuser(username=settings.superuser,
                                            password=settings.superuser_password or "langflow")
    state.superuser_id = user.id
    store.projects.default_for(user.id)
    store.seed_examples()
    if settings.api_key and not store.users.has_key(settings.api_key):
        store.users.create_key(user_id=user.id, name="mock-langflow", key=settings.api_key)
    for path in settings.seed_paths:
        seed_path(state, path, user_id=user.id)
    configure_at_startup(state)
    return state


V1_ROUTERS = (
    flows.router,  # fact 43: PUT /flows/ -> 405 allow POST, because create_flow is registered first
    build.router,
    run.router,
    webhooks.router,
    misc.router,
    auth.users_router,
    auth.api_key_router,
    auth.login_router,
    variables.router,
    files_v1.router,
    files_v1.legacy_router,
    projects.folders_router,
    projects.router,
    flows.starter_router,
    monitor.router,
    build.monitor_router,
    mcp.router,  # Langflow registers the global MCP server after the monitor routes, then the project ones
    mcp_projects.router,
)
V2_ROUTERS = (files_v2.router, mcp.servers_router, workflows.router)


def include_routers(app: FastAPI) -> None:
    """Everything, in the order Langflow registers it (the order decides which route a 405 names in its
    `allow` header). Routers go straight onto the app: each nesting level of include_router makes FastAPI
    rebuild every route again, which start-up time pays for."""
    app.include_router(misc.health_router)
    for router in V1_ROUTERS:
        app.include_router(router, prefix="/api/v1")
    for router in V2_ROUTERS:
        app.include_router(router, prefix="/api/v2")
    # Langflow serves its global MCP server a second time without the version (/api/mcp/sse, ...).
    app.include_router(mcp.router, prefix="/api")


def frontend_page() -> str:
    return resources.files("mock_langflow.data").joinpath("index.html").read_text("utf-8")


def install_fallback(app: FastAPI, settings: Settings) -> None:
    """What real Langflow's frontend catch-all does (fact 43): GET of an unknown /api path is a JSON 404,
    any other GET is the frontend page; a non-GET on an unknown path matches it only by path, so it is
    a 405 with `allow: HEAD, GET`. With --backend-only there is no catch-all and FastAPI's 404s remain."""
    if settings.backend_only:
        return
    page = frontend_page()

    async def spa(request: Request) -> Response:
        path = request.url.path
        if path == "/api" or path.startswith("/api/"):
            return JSONResponse({"detail": errors.NOT_FOUND}, status_code=404)
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    app.router.routes.append(Route("/{full_path:path}", spa, methods=["GET"], include_in_schema=False))


def lifespan(runtime: McpRuntime, state: AppState) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the MCP runtime's task group (its streamable HTTP managers run there); at the end,
    background jobs still running are cancelled."""

    @asynccontextmanager
    async def run(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running():
            yield
        await state.jobs.shutdown()
        state.dispose()

    return run


def create_app(settings: Settings | None = None, *, state: AppState | None = None) -> FastAPI:
    settings = settings or Settings()
    state = state or build_state(settings)
    runtime = McpRuntime(state)
    app = FastAPI(title="Langflow", version=state.profile.version, lifespan=lifespan(runtime, state))
    app.state.mock = state
    app.state.mcp = runtime
    install_error_handlers(app)
    include_routers(app)
    if settings.control_api:
        app.include_router(control.router)
    install_fallback(app, settings)
    # Outermost last: a dropped connection must reach the server as it is; the journal sees every status,
    # 413 included, and counts stream events before compression; JSON bodies are checked once they are
    # known to fit the size limit.
    app.add_middleware(JsonBodyGuard)
    app.add_middleware(ContentSizeLimit, limit_mb=settings.max_file_size_upload)
    app.add_middleware(ControlLayer, state=state)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_SIZE)
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                       allow_headers=["*"], allow_credentials=settings.cors_origins != ["*"])
    app.add_middleware(ConnectionDropper)
    return app
