"""Routers reach state only through these dependencies: there are no module-level singletons."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mock_langflow.mcp.runtime import McpRuntime
from mock_langflow.profiles import Profile
from mock_langflow.settings import Settings
from mock_langflow.state import AppState
from mock_langflow.store import Store


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.mock
    return state


def get_store(request: Request) -> Store:
    return get_state(request).store


def get_settings(request: Request) -> Settings:
    return get_state(request).settings


def get_profile(request: Request) -> Profile:
    return get_state(request).profile


def get_mcp(request: Request) -> McpRuntime:
    """The app's MCP SDK plumbing (transports, session managers); built by create_app."""
    runtime: McpRuntime = request.app.state.mcp
    return runtime


StateDep = Annotated[AppState, Depends(get_state)]
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ProfileDep = Annotated[Profile, Depends(get_profile)]
McpDep = Annotated[McpRuntime, Depends(get_mcp)]
