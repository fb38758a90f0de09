"""The Docker image, without a Docker engine: the Dockerfile lints clean, and the exact command and
health check it declares work from a fresh virtualenv installed the way the image installs the package."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in instructions():
        if word == "ENV":
            env.update(dict(part.split("=", 1) for part in shlex.split(rest)))
    return env


def exec_form(word: str) -> list[str]:
    rest = next(r for w, r in instructions() if w == word)
    if word == "HEALTHCHECK":
        rest = rest[rest.index("CMD") + 3:].strip()
    command: list[str] = json.loads(rest)
    return command


def test_the_dockerfile_lints_clean() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_non_root_user_and_exposes_7860() -> None:
    words = dict(instructions())
    assert words["USER"] not in ("root", "0")
    assert words["EXPOSE"] == "7860"
    assert exec_form("CMD") == ["mock-langflow", "serve", "--host", "0.0.0.0"]


@pytest.fixture(scope="module")
def image_like_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv with the package installed as the image installs it (`pip install .`, not editable)."""
    target = tmp_path_factory.mktemp("image") / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    build = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, build / name)
    for name in ("mock_langflow", "fixtures"):
        shutil.copytree(ROOT / name, build / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([str(target / "bin" / "pip"), "install", "-q", "--no-cache-dir", str(build)], check=True)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_image_command_serves_and_its_health_check_passes(image_like_venv: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, **image_env(), "LANGFLOW_PORT": str(port), "MOCK_LANGFLOW_DATA_DIR": str(tmp_path / "data"),
           "PATH": f"{image_like_venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    process = subprocess.Popen(exec_form("CMD"), env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert f":{port}" in first and "Langflow 1.13.0" in first, first
        response = httpx.get(f"http://127.0.0.1:{port}/health_check", timeout=10)
        assert response.json() == {"status": "ok", "chat": "ok", "db": "ok"}
        health = subprocess.run(exec_form("HEALTHCHECK"), env=env, timeout=10)
        assert health.returncode == 0
        assert (tmp_path / "data" / "mock-langflow.db").exists()  # state in the data volume
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_the_image_takes_the_langflow_version_from_the_environment(image_like_venv: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, **image_env(), "LANGFLOW_PORT": str(port), "MOCK_LANGFLOW_DATA_DIR": str(tmp_path / "data"),
           "MOCK_LANGFLOW_VERSION": "1.7.1", "PATH": f"{image_like_venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    process = subprocess.Popen(exec_form("CMD"), env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        assert "Langflow 1.7.1" in process.stdout.readline()
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/version", timeout=10).json()["version"] == "1.7.1"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
