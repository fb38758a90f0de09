"""create_app: builds one mock Langflow server, its state, middleware, routers and error handling."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids
from mock_langflow.engine.llm import ScriptedLLM
from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import FileReader, HistoryReader, MessageSink, Runner
from mock_langflow.handlers import install_error_handlers
from mock_langflow.middleware import ConnectionDropper, ContentSizeLimit
from mock_langflow.profiles import get_profile
from mock_langflow.routers import auth, files_v1, files_v2, flows, misc, monitor, projects, run, variables
from mock_langflow.settings import Settings
from mock_langflow.state import AppState, load_secret_key
from mock_langflow.store import Database, Store

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
    runner = Runner(llm, ids, clock, store_message=_saver(store), read_file=_files(store), history=_history(store))
    state = AppState(settings=settings, profile=get_profile(settings.langflow_version), store=store, ids=ids,
                     clock=clock, secret_key=load_secret_key(settings), llm=llm, runner=runner)
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
    return state


V1_ROUTERS = (
    flows.router,  # fact 43: PUT /flows/ -> 405 allow POST, because create_flow is registered first
    run.router,
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
)

V2_ROUTERS = (files_v2.router,)


def include_routers(app: FastAPI) -> None:
    """Everything, in the order Langflow registers it (the order decides which route a 405 names in its
    `allow` header). Routers go straight onto the app: each nesting level of include_router makes FastAPI
    rebuild every route again, which start-up time pays for."""
    app.include_router(misc.health_router)
    for router in V1_ROUTERS:
        app.include_router(router, prefix="/api/v1")
    for router in V2_ROUTERS:
        app.include_router(router, prefix="/api/v2")


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


def create_app(settings: Settings | None = None, *, state: AppState | None = None) -> FastAPI:
    settings = settings or Settings()
    state = state or build_state(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.dispose()

    app = FastAPI(title="Langflow", version=state.profile.version, lifespan=lifespan)
    app.state.mock = state
    install_error_handlers(app)
    include_routers(app)
    install_fallback(app, settings)
    app.add_middleware(ConnectionDropper)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_SIZE)
    app.add_middleware(ContentSizeLimit, limit_mb=settings.max_file_size_upload)
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                       allow_headers=["*"], allow_credentials=settings.cors_origins != ["*"])
    return app
