"""Starting, probing and stopping the servers under test, each in its own process."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk-bench" + "0" * 38  # a fixed superuser key: sk- + 43 characters, as Langflow's keys
READY_PATH = "/api/v1/version"


def rss_kib(pid: int) -> int:
    """VmRSS of a process, in KiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a CI machine keeps its bytecode caches
    for name in list(env):  # the mock's own settings come from the command line only
        if name.startswith(("MOCK_LANGFLOW_", "LANGFLOW_")):
            del env[name]
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def get(host: str, port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def request(host: str, port: int, method: str, path: str, body: Any = None,
            headers: dict[str, str] | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        raw = json.dumps(body).encode() if body is not None else None
        hdrs = {"x-api-key": API_KEY, **(headers or {})}
        if raw is not None:
            hdrs["content-type"] = "application/json"
        conn.request(method, path, body=raw, headers=hdrs)
        response = conn.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, data
    finally:
        conn.close()


@dataclass
class Server:
    """A server process: `mock` (mock-langflow serve) or `bare` (benchmarks.bare_app)."""

    kind: str
    proc: subprocess.Popen[str]
    host: str
    port: int
    started_at: float  # perf_counter just before the process was created
    line_at: float  # when its start line was read
    ready_at: float  # when /api/v1/version first answered 200

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def cold_start_s(self) -> float:
        return self.ready_at - self.started_at

    def rss_mib(self) -> float:
        return rss_kib(self.pid) / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def command(kind: str, data_dir: Path | None, extra: list[str] | None = None, image: Path | None = None
            ) -> list[str]:
    """The server's command: with `image` (benchmarks/image_layout.py), the image's Python, and for the mock
    the image's own `mock-langflow` command, on loopback (the image's ENV says 0.0.0.0)."""
    python = str(image / "bin" / "python") if image else sys.executable
    if kind == "bare":
        return [python, "-m", "benchmarks.bare_app", "--port", "0"]
    assert data_dir is not None
    serve = [str(image / "bin" / "mock-langflow"), "serve", "--host", "127.0.0.1"] if image else \
        [python, "-m", "mock_langflow", "serve"]
    return [*serve, "--port", "0", "--data-dir", str(data_dir), "--api-key", API_KEY, *(extra or [])]


def image_env(image: Path, kind: str) -> dict[str, str]:
    """A container's environment (benchmarks/image_layout.py); the bare app also needs this checkout's
    benchmarks package, and imports nothing of the mock from it."""
    from benchmarks import image_layout

    return image_layout.run_env(image, PYTHONPATH=str(ROOT)) if kind == "bare" else image_layout.run_env(image)


def start(kind: str, data_dir: Path | None = None, extra: list[str] | None = None,
          image: Path | None = None, settings: dict[str, str] | None = None) -> Server:
    """Start a server and wait for its first 200 on /api/v1/version; the clock starts before the process.
    `settings`: Langflow's environment settings the server gets (LANGFLOW_...)."""
    started = time.perf_counter()
    env = {**(image_env(image, kind) if image else child_env()), **(settings or {})}
    proc = subprocess.Popen(command(kind, data_dir, extra, image), stdout=subprocess.PIPE, stderr=None, text=True,
                            env=env, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    line_at = time.perf_counter()
    if " at http://" not in line:
        proc.kill()
        raise RuntimeError(f"{kind} did not start: {line!r}")
    address = line.split(" at http://", 1)[1].split()[0]
    host, port = address.rsplit(":", 1)
    while True:
        try:
            status, _ = get(host, int(port), READY_PATH)
            if status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} exited with {proc.returncode}")
        time.sleep(0.002)
    return Server(kind, proc, host, int(port), started, line_at, time.perf_counter())


def loadgen(job: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
    """Run one load-generator job in its own process."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.loadgen"], input=json.dumps(job), capture_output=True,
                         text=True, env=child_env(), cwd=ROOT, timeout=timeout, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"loadgen failed: {out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout)
    return result
