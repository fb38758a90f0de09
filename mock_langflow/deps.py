"""Routers reach state only through these dependencies: there are no module-level singletons.

They are coroutines although they never wait: FastAPI runs a plain `def` dependency in its thread pool,
and under load the hop to a worker thread and back (GIL hand-offs) cost more than the whole request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from mock_langflow.mcp.runtime import McpRuntime
from mock_langflow.profiles import Profile
from mock_langflow.settings import Settings
from mock_langflow.state import AppState
from mock_langflow.store import Store


def app_state(request: Request) -> AppState:
    """The state of the app serving `request`, for a dependency that would otherwise depend on get_state: every
    sub-dependency costs FastAPI a resolution pass per request (the authentication dependencies had two)."""
    state: AppState = request.app.state.mock
    return state


async def get_state(request: Request) -> AppState:
    return app_state(request)


async def get_store(request: Request) -> Store:
    return app_state(request).store


async def get_settings(request: Request) -> Settings:
    return app_state(request).settings


async def get_profile(request: Request) -> Profile:
    return app_state(request).profile


async def get_mcp(request: Request) -> McpRuntime:
    """The app's MCP SDK plumbing (transports, session managers); built by create_app."""
    runtime: McpRuntime = request.app.state.mcp
    return runtime


StateDep = Annotated[AppState, Depends(get_state)]
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ProfileDep = Annotated[Profile, Depends(get_profile)]
McpDep = Annotated[McpRuntime, Depends(get_mcp)]

# A list route's paging, as Langflow's 1.13 administration and trigger routes bound it: at most 200 rows a page.
PageLimit = Annotated[int, Query(ge=1, le=200)]
PageOffset = Annotated[int, Query(ge=0)]
