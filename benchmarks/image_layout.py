"""The Docker image's Python, without a Docker engine: this interpreter and its standard library copied the way
python:3.11-slim ships them (no bytecode, no test packages), pip put back as the base image has it, then the
Dockerfile's own RUN steps run in it with the image's environment. tests/test_docker.py runs the image's
command and health check in it; the benchmark's `image` phase times its start.

Building it installs the package with pip, as the Dockerfile does, so it needs the package index.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
SETUP_ONLY = ("useradd ", "mkdir ", "chown ")  # RUN steps that make the image's user and data dir


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, with line continuations joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def image_env() -> dict[str, str]:
    """The Dockerfile's ENV."""
    env: dict[str, str] = {}
    for word, rest in instructions():
        if word == "ENV":
            env.update(dict(part.split("=", 1) for part in shlex.split(rest)))
    return env


def exec_form(word: str) -> list[str]:
    """The exec-form command of CMD or HEALTHCHECK."""
    rest = next(r for w, r in instructions() if w == word)
    if word == "HEALTHCHECK":
        rest = rest[rest.index("CMD") + 3:].strip()
    command: list[str] = json.loads(rest)
    return command


def build_steps() -> list[str]:
    """The shell commands of the Dockerfile's RUN instructions that install or compile Python code."""
    steps = []
    for word, rest in instructions():
        if word == "RUN":
            steps.extend(step for step in (part.strip() for part in rest.split(" && "))
                         if not step.startswith(SETUP_ONLY))
    return steps


def run_env(image: Path, **extra: str) -> dict[str, str]:
    """The environment a container of the image runs with: its ENV, a PATH of the image's bin and the
    system's (no virtualenv's), no PYTHON* variable of ours and no user site-packages; `extra` on top."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(image_env())
    env.update({"PYTHONNOUSERSITE": "1", "PATH": os.pathsep.join([str(image / "bin"), "/usr/bin", "/bin"]), **extra})
    return env


def build(workdir: Path) -> Path:
    """Make the image's /usr/local under `workdir` and return it; raises RuntimeError if a step fails."""
    root, build_dir = workdir / "usr-local", workdir / "app"
    base = Path(sys.base_prefix)
    paths = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    skip = shutil.ignore_patterns("__pycache__", "site-packages", "dist-packages", "test", "tests", "idle_test")
    for name in ("stdlib", "platstdlib"):
        source = Path(paths[name])
        if not (root / source.relative_to(base)).exists():
            shutil.copytree(source, root / source.relative_to(base), ignore=skip, symlinks=True)
    (root / "bin").mkdir()
    shutil.copy2(Path(sys._base_executable).resolve(), root / "bin" / "python3")
    for library in (base / "lib").glob("libpython*.so*"):
        shutil.copy2(library, root / "lib" / library.name, follow_symlinks=False)
    env = run_env(root)
    _run(["python3", "-m", "ensurepip"], env, workdir)
    for name in ("python", "pip"):  # the base image links python and pip to python3 and pip3
        (root / "bin" / name).symlink_to(f"{name}3")
    for cache in list(root.rglob("__pycache__")):
        shutil.rmtree(cache)
    build_dir.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, build_dir / name)
    for name in ("mock_langflow", "fixtures"):
        shutil.copytree(ROOT / name, build_dir / name, ignore=shutil.ignore_patterns("__pycache__"))
    for step in build_steps():
        _run(["/bin/sh", "-c", step], env, build_dir)
    if not (root / "bin" / "mock-langflow").exists():
        raise RuntimeError("the Dockerfile's steps installed no mock-langflow command in the image's bin")
    return root


def _run(command: list[str], env: dict[str, str], cwd: Path) -> None:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
