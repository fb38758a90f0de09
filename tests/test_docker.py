"""The Docker image, without a Docker engine: the Dockerfile lints clean, and the exact command and health
check it declares work in a copy of this Python laid out as the image's (the base image's standard library
without bytecode, then the Dockerfile's own install and compile steps)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
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


SETUP_ONLY = ("useradd ", "mkdir ", "chown ")  # RUN steps that make the image's user and data dir


def build_steps() -> list[str]:
    """The shell commands of the Dockerfile's RUN instructions that install or compile Python code."""
    steps = []
    for word, rest in instructions():
        if word == "RUN":
            for step in (part.strip() for part in rest.split(" && ")):
                if not step.startswith(SETUP_ONLY):
                    steps.append(step)
    return steps


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
    """The image's /usr/local, made the way the image is: this interpreter and its standard library copied
    without any bytecode and without test packages (python:3.11-slim deletes both), pip put back as the
    base image has it, then the Dockerfile's own RUN steps (`pip install .`, its compile step) run in it
    with the image's environment."""
    root = tmp_path_factory.mktemp("image") / "usr-local"
    base = Path(sys.base_prefix)
    paths = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    skip = shutil.ignore_patterns("__pycache__", "site-packages", "dist-packages", "test", "tests", "idle_test")
    for name in ("stdlib", "platstdlib"):
        source = Path(paths[name])
        if not (root / source.relative_to(base)).exists():
            shutil.copytree(source, root / source.relative_to(base), ignore=skip, symlinks=True)
    executable = Path(sys._base_executable).resolve()
    (root / "bin").mkdir()
    shutil.copy2(executable, root / "bin" / "python3")
    for library in (base / "lib").glob("libpython*.so*"):
        shutil.copy2(library, root / "lib" / library.name, follow_symlinks=False)
    env = image_run_env(root, build_dir := tmp_path_factory.mktemp("build"), 0)
    subprocess.run(["python3", "-m", "ensurepip"], env=env, check=True, capture_output=True)
    for name in ("python", "pip"):  # the base image links python and pip to python3 and pip3
        (root / "bin" / name).symlink_to(f"{name}3")
    for cache in list(root.rglob("__pycache__")):
        shutil.rmtree(cache)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, build_dir / name)
    for name in ("mock_langflow", "fixtures"):
        shutil.copytree(ROOT / name, build_dir / name, ignore=shutil.ignore_patterns("__pycache__"))
    for step in build_steps():
        result = subprocess.run(["/bin/sh", "-c", step], env=env, cwd=build_dir, capture_output=True, text=True)
        assert result.returncode == 0, f"{step}\n{result.stdout}{result.stderr}"
    assert (root / "bin" / "mock-langflow").exists()
    return root


def image_run_env(image_python: Path, tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment a container of the image runs with: its ENV, a PATH of the image's bin and the
    system's (no virtualenv's), no PYTHON* variable of ours and no user site-packages, a data dir of the
    test's own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(image_env())
    env.update({"LANGFLOW_PORT": str(port), "MOCK_LANGFLOW_DATA_DIR": str(tmp_path / "data"),
                "PYTHONNOUSERSITE": "1", "PATH": os.pathsep.join([str(image_python / "bin"), "/usr/bin", "/bin"]),
                **extra})
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_image_command_serves_and_its_health_check_passes(image_python: Path, tmp_path: Path) -> None:
    port = free_port()
    env = image_run_env(image_python, tmp_path, port)
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


def test_the_image_takes_the_langflow_version_from_the_environment(image_python: Path, tmp_path: Path) -> None:
    port = free_port()
    env = image_run_env(image_python, tmp_path, port, MOCK_LANGFLOW_VERSION="1.7.1")
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
    port = free_port()
    env = {**image_run_env(image_python, tmp_path, port), "PYTHONPATH": str(hook)}
    process = subprocess.Popen(exec_form("CMD"), env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        assert f":{port}" in process.stdout.readline()
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/version", timeout=10).status_code == 200
        assert subprocess.run(exec_form("HEALTHCHECK"), env=env, timeout=10).returncode == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert log.read_text().splitlines() == []
