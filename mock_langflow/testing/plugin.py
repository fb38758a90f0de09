"""The pytest plugin (registered through the pytest11 entry point: installing mock-langflow is enough).

- `langflow_mock_server` (session): a real server on a free loopback port, in a thread, with its own data
  dir; under pytest-xdist each worker gets its own.
- `langflow_mock` (function): resets that server and hands the test a LangflowMock (url, api_key,
  script, fault, requests, assert_called, create_flow, ...).

Options (command line, or the ini names in brackets): --mock-langflow-scripts PATH (repeatable)
[mock_langflow_scripts], --mock-langflow-port N [mock_langflow_port], --mock-langflow-version V
[mock_langflow_version].
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Imported as pytest loads its plugins, before any conftest or test runs: startup notes then what the
# interpreter itself keeps frozen, so that a freeze made later by the test code is told apart from it.
from mock_langflow import startup  # noqa: F401

if TYPE_CHECKING:
    from mock_langflow.testing.client import LangflowMock
    from mock_langflow.testing.server import MockLangflowServer


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mock-langflow", "mock-langflow server for tests")
    group.addoption("--mock-langflow-scripts", action="append", default=None, metavar="PATH",
                    help="scripted-LLM script file or folder for the mock server (repeatable)")
    group.addoption("--mock-langflow-port", type=int, default=None, metavar="N",
                    help="port for the mock server (default: a free one; under xdist, N plus the worker number)")
    group.addoption("--mock-langflow-version", default=None, metavar="VERSION",
                    help="the Langflow version the mock server emulates (default 1.13.0)")
    parser.addini("mock_langflow_scripts", type="paths", default=[],
                  help="scripted-LLM script files or folders for the mock server")
    parser.addini("mock_langflow_port", default="", help="port for the mock server")
    parser.addini("mock_langflow_version", default="", help="the Langflow version the mock emulates")


# The server's settings, read from the options once, as pytest starts.
OPTIONS = pytest.StashKey[dict[str, Any]]()


def _options(config: pytest.Config) -> dict[str, Any]:
    """The server's settings from the options; a value that cannot be one is a ValueError saying which."""
    scripts = [Path(p) for p in (config.getoption("mock_langflow_scripts") or [])]
    scripts += [Path(p) for p in config.getini("mock_langflow_scripts")]
    if scripts:
        from mock_langflow.engine.scripts import script_files

        for path in scripts:
            script_files(path)  # a ScriptError (a ValueError) where there is none
    port = config.getoption("mock_langflow_port")
    if port is None:
        raw = str(config.getini("mock_langflow_port") or "0").strip()
        if not raw.isdigit():
            raise ValueError(f"mock_langflow_port: {raw!r} is no port number")
        port = int(raw)
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is outside 0-65535")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if port and worker.startswith("gw"):
        port += int(worker[2:])  # every worker runs its own server
    version = config.getoption("mock_langflow_version") or config.getini("mock_langflow_version") or None
    options: dict[str, Any] = {"port": port, "scripts": scripts}
    if version:
        from mock_langflow.profiles import get_profile

        options["langflow_version"] = get_profile(version).version  # or a ValueError naming the versions
    return options


def pytest_configure(config: pytest.Config) -> None:
    """A mistaken option stops the run at once with one line, rather than erroring every test that uses the
    server with a traceback of its start."""
    try:
        config.stash[OPTIONS] = _options(config)
    except ValueError as exc:
        raise pytest.UsageError(f"mock-langflow: {exc}") from None


@pytest.fixture(scope="session")
def langflow_mock_server(pytestconfig: pytest.Config,
                         tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockLangflowServer]:
    """A mock Langflow server for the whole session (one per xdist worker)."""
    from mock_langflow.testing.server import MockLangflowServer

    server = MockLangflowServer(data_dir=tmp_path_factory.mktemp("mock-langflow"), ephemeral=True,
                                **pytestconfig.stash[OPTIONS])
    server.start()
    yield server
    server.stop()


@pytest.fixture
def langflow_mock(langflow_mock_server: MockLangflowServer) -> Iterator[LangflowMock]:
    """The session's server, reset to its start-up state, and the handle to script and check it."""
    from mock_langflow.testing.client import LangflowMock

    mock = LangflowMock(langflow_mock_server.url, langflow_mock_server.api_key)
    mock.reset()
    yield mock
    mock.close()
