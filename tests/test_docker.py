"""The Docker image, without a Docker engine: the Dockerfile lints clean, and the exact command and health
check it declares work in a copy of this Python laid out as the image's (the base image's standard library
without bytecode, then the Dockerfile's own install and compile steps)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from benchmarks import image_layout
from benchmarks.image_layout import DOCKERFILE, exec_form, instructions
from tests.conftest import stop_process


def test_the_dockerfile_lints_clean() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_non_root_user_and_exposes_7860() -> None:
    words = dict(instructions())
    assert words["USER"] not in ("root", "0")
    assert words["EXPOSE"] == "7860"
    assert exec_form("CMD") == ["mock-langflow", "serve", "--host", "0.0.0.0"]


def test_a_starting_container_is_probed_every_second() -> None:
    """CI waits for a service container to turn healthy (GitHub Actions services, compose's service_healthy),
    and Docker's first probe otherwise comes one --interval (10 s) after the start: the server answers in
    well under a second, so while starting the image asks to be probed every second."""
    rest = next(r for w, r in instructions() if w == "HEALTHCHECK")
    flags = dict(re.findall(r"--([a-z-]+)=(\S+)", rest[:rest.index("CMD")]))
    assert flags["start-interval"] == "1s"
    assert flags["start-period"] == "30s"  # a slow runner still gets second-by-second probes for 30 s
    assert flags["interval"] == "10s"


@pytest.fixture(scope="module")
def image_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The image's /usr/local, made as the image is (benchmarks/image_layout.py): this interpreter and its
    standard library without bytecode or test packages, as python:3.11-slim ships them, then the
    Dockerfile's own RUN steps (`pip install .`, its compile step) in the image's environment."""
    return image_layout.build(tmp_path_factory.mktemp("image"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Container:
    port: int
    env: dict[str, str]  # what the container runs with (and its health check)
    first_line: str  # what the server printed first


@contextmanager
def container(image: Path, tmp_path: Path, **extra: str) -> Iterator[Container]:
    """The image's CMD running as a container would: the image's environment, a free loopback port, a data
    dir of the test's own; stopped and its output closed at the end."""
    port = free_port()
    env = image_layout.run_env(image, LANGFLOW_PORT=str(port), MOCK_LANGFLOW_DATA_DIR=str(tmp_path / "data"),
                               **extra)
    process = subprocess.Popen(exec_form("CMD"), env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        yield Container(port, env, process.stdout.readline())
    finally:
        stop_process(process)


def test_the_image_command_serves_and_its_health_check_passes(image_python: Path, tmp_path: Path) -> None:
    with container(image_python, tmp_path) as box:
        assert f":{box.port}" in box.first_line and "Langflow 1.13.0" in box.first_line, box.first_line
        response = httpx.get(f"http://127.0.0.1:{box.port}/health_check", timeout=10)
        assert response.json() == {"status": "ok", "chat": "ok", "db": "ok"}
        health = subprocess.run(exec_form("HEALTHCHECK"), env=box.env, timeout=10)
        assert health.returncode == 0
        assert (tmp_path / "data" / "mock-langflow.db").exists()  # state in the data volume


def test_the_image_takes_the_langflow_version_from_the_environment(image_python: Path, tmp_path: Path) -> None:
    with container(image_python, tmp_path, MOCK_LANGFLOW_VERSION="1.7.1") as box:
        assert "Langflow 1.7.1" in box.first_line
        assert httpx.get(f"http://127.0.0.1:{box.port}/api/v1/version", timeout=10).json()["version"] == "1.7.1"


RECORD_SOURCE_IMPORTS = """
import importlib._bootstrap_external as external

_log = open({log!r}, "a", buffering=1)
_compile = external.SourceLoader.source_to_code


def _record(self, data, path, *, _optimize=-1):
    if str(path).startswith({root!r}):
        _log.write(str(path) + "\\n")
    return _compile(self, data, path, _optimize=_optimize)


external.SourceLoader.source_to_code = _record
"""


def test_the_image_starts_and_checks_health_without_compiling_python_source(image_python: Path, tmp_path: Path) -> None:
    """Every module a container imports comes with bytecode made at build time: the server's user cannot
    write any, so a module without it would be compiled from source at every start and every health check
    (the import system's source_to_code is what compiles a module from source; it is recorded here)."""
    hook = tmp_path / "hook"
    hook.mkdir()
    log = tmp_path / "compiled.txt"
    log.touch()
    (hook / "sitecustomize.py").write_text(RECORD_SOURCE_IMPORTS.format(log=str(log), root=str(image_python)))
    with container(image_python, tmp_path, PYTHONPATH=str(hook)) as box:
        assert f":{box.port}" in box.first_line
        assert httpx.get(f"http://127.0.0.1:{box.port}/api/v1/version", timeout=10).status_code == 200
        assert subprocess.run(exec_form("HEALTHCHECK"), env=box.env, timeout=10).returncode == 0
    assert log.read_text().splitlines() == []
