"""The mock-langflow command, run as a real process: help, serve, api-key, and its one-line errors."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_langflow import __version__
from tests.conftest import KEY, START_LINE, new_api_key, start_server, stop_process, stop_server

# Not \b at the end: a key is URL-safe base64 and may end in "-" or "_", after which there is no word boundary.
KEY_RE = re.compile(r"\bsk-[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def clean_env() -> dict[str, str]:
    """The caller's environment without any Langflow or mock setting that would change what is tested."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("LANGFLOW_", "MOCK_LANGFLOW_"))}


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command run with `args` (and the `env` variables set), to its end."""
    return subprocess.run([sys.executable, "-m", "mock_langflow", *args], capture_output=True, text=True,
                          timeout=60, env={**clean_env(), **(env or {})})


class Served:
    """`mock-langflow serve` without --api-key, read line by line as a user watching the terminal would."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mock_langflow", "serve", "--port", "0", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=clean_env())
        assert self.process.stdout is not None
        self.start_line = self.process.stdout.readline()
        match = START_LINE.search(self.start_line)
        if not match:
            self.process.kill()
            raise AssertionError(f"server did not start: {self.start_line}{self.process.stdout.read()}")
        self.url = match.group(1)

    def readline(self, timeout: float = 30) -> str:
        """The next line the server prints; a server that prints none in `timeout` seconds fails the test
        (stopped first) rather than hanging it."""
        stdout = self.process.stdout
        assert stdout is not None
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            self.process.kill()
            raise AssertionError(f"the server printed no further line in {timeout} s")
        return line[0]

    def stop(self) -> str:
        """Stop the server; returns whatever it printed that was not read yet."""
        self.process.terminate()
        try:
            rest, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, _ = self.process.communicate()
        return rest or ""


@pytest.fixture
def served() -> Iterator[list[Served]]:
    """Servers a test starts; each is stopped at the end even if the test fails."""
    servers: list[Served] = []
    yield servers
    for server in servers:
        if server.process.poll() is None:
            server.stop()
        if server.process.stdout is not None:
            server.process.stdout.close()


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("serve", "api-key", "export-openapi", "check-openapi"):
        assert command in result.stdout


def test_version_prints_the_package_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"mock-langflow {__version__}\n"


def test_first_serve_prints_where_it_listens_and_a_new_key_that_works(tmp_path: Path,
                                                                     served: list[Served]) -> None:
    server = Served(tmp_path / "data")
    served.append(server)
    assert "Langflow 1.13.0" in server.start_line
    assert server.url.startswith("http://127.0.0.1:")
    key_line = server.readline()
    keys = KEY_RE.findall(key_line)
    assert len(keys) == 1 and len(keys[0]) == 46
    response = httpx.get(f"{server.url}/api/v1/flows/", headers={"x-api-key": keys[0]}, timeout=10)
    assert response.status_code == 200
    assert isinstance(response.json(), list)
    refused = httpx.get(f"{server.url}/api/v1/flows/", timeout=10)
    assert refused.status_code == 403


def test_a_second_serve_on_the_same_data_dir_prints_no_new_key(tmp_path: Path, served: list[Served]) -> None:
    first = Served(tmp_path / "data")
    served.append(first)
    key = KEY_RE.findall(first.readline())[0]
    first.stop()
    second = Served(tmp_path / "data")
    served.append(second)
    response = httpx.get(f"{second.url}/api/v1/flows/", headers={"x-api-key": key}, timeout=10)
    assert response.status_code == 200  # the first start's key is still good
    assert not KEY_RE.search(second.start_line + second.stop())


def test_a_serve_after_a_key_without_a_name_starts(tmp_path: Path, served: list[Served]) -> None:
    """A key made through the API may have no name; the next start, looking at the superuser's keys' names to
    decide whether to print a new one, used to stop on it."""
    first = Served(tmp_path / "data")
    served.append(first)
    key = KEY_RE.findall(first.readline())[0]
    made = httpx.post(f"{first.url}/api/v1/api_key/", json={}, headers={"x-api-key": key}, timeout=10)
    assert made.status_code == 200 and made.json()["name"] is None
    nameless = {"x-api-key": made.json()["api_key"]}
    printed = next(k for k in httpx.get(f"{first.url}/api/v1/api_key/", headers=nameless, timeout=10).json()[
        "api_keys"] if k["name"] == "mock-langflow")
    assert httpx.delete(f"{first.url}/api/v1/api_key/{printed['id']}", headers=nameless,
                        timeout=10).status_code == 200
    first.stop()
    second = Served(tmp_path / "data")  # the superuser now holds the nameless key (and its MCP entries' keys)
    served.append(second)
    assert httpx.get(f"{second.url}/api/v1/flows/", headers=nameless, timeout=10).status_code == 200
    assert not KEY_RE.search(second.start_line + second.stop())


def test_stopping_with_an_mcp_client_connected_ends_its_stream_and_logs_no_error(tmp_path: Path,
                                                                               served: list[Served]) -> None:
    server = Served(tmp_path / "data")
    served.append(server)
    key = KEY_RE.findall(server.readline())[0]
    with httpx.Client(timeout=20) as client, \
            client.stream("GET", f"{server.url}/api/v1/mcp/sse", headers={"x-api-key": key}) as stream:
        frames = stream.iter_text()
        assert "event: endpoint" in next(frames)
        rest = server.stop()
        # The stream ends as a stream does: before, the body was cut (httpx: "incomplete chunked read").
        for _ in frames:
            pass
    assert "ERROR" not in rest, rest  # was "ASGI callable returned without completing response"


def test_serve_with_api_key_accepts_that_key(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", key=KEY)
    try:
        response = httpx.get(f"{server.url}/api/v1/users/whoami", headers={"x-api-key": KEY}, timeout=10)
        assert response.status_code == 200
        assert response.json()["username"] == "langflow"
        wrong = httpx.get(f"{server.url}/api/v1/users/whoami", headers={"x-api-key": "sk-" + "W" * 43}, timeout=10)
        assert wrong.status_code == 403
    finally:
        stop_server(server)


def test_api_key_command_makes_a_key_a_later_server_accepts(tmp_path: Path, served: list[Served]) -> None:
    data_dir = tmp_path / "data"
    result = run_cli("api-key", "--data-dir", str(data_dir))
    assert result.returncode == 0
    key = result.stdout.strip()
    assert KEY_RE.fullmatch(key)
    server = Served(data_dir)
    served.append(server)
    response = httpx.get(f"{server.url}/api/v1/users/whoami", headers={"x-api-key": key}, timeout=10)
    assert response.status_code == 200
    assert response.json()["username"] == "langflow"
    assert not KEY_RE.search(server.stop())  # a key exists already: serve makes no other


def test_a_busy_port_is_a_one_line_error_and_exit_status_2(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"mock-langflow: cannot listen on 127.0.0.1:{port}")


def test_an_api_key_that_is_no_langflow_key_is_refused_with_exit_status_2(tmp_path: Path) -> None:
    result = run_cli("serve", "--port", "0", "--data-dir", str(tmp_path / "data"), "--api-key", "nope")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("mock-langflow: --api-key must look like a Langflow key")


def test_serve_takes_its_settings_from_the_environment(tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    """MOCK_LANGFLOW_SEED names flows to load, as --seed does (it once clashed with the random seed's variable,
    and a path there stopped the server with "Input should be a valid integer")."""
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "flow.json").write_text(json.dumps({**chat_flow, "name": "Seeded from the environment"}))
    server = start_server(tmp_path / "data", env={"MOCK_LANGFLOW_SEED": str(seed), "MOCK_LANGFLOW_VERSION": "1.7.1"})
    try:
        assert httpx.get(f"{server.url}/api/v1/version", timeout=10).json()["version"] == "1.7.1"
        flows = httpx.get(f"{server.url}/api/v1/flows/", params={"header_flows": "true"},
                          headers={"x-api-key": server.api_key}, timeout=10).json()
        assert "Seeded from the environment" in {flow["name"] for flow in flows}
    finally:
        stop_server(server)


def test_the_random_seed_makes_the_same_ids_run_after_run(make_client: Callable[..., TestClient],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_LANGFLOW_RANDOM_SEED", "11")
    ids = []
    for _ in range(2):
        client = make_client()
        key = new_api_key(client)
        created = client.post("/api/v1/flows/", json={"name": "Same", "data": {"nodes": [], "edges": []}},
                              headers={"x-api-key": key})
        assert created.status_code == 201
        ids.append(created.json()["id"])
    assert ids[0] == ids[1]


def test_the_random_seed_on_a_kept_data_dir_gives_each_restart_ids_of_its_own(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Every start used to make the seed's ids from the first one on: after a restart on the same data dir,
    the ninth new flow took the id of one made before the restart, and POST /api/v1/flows/ answered 500."""
    from mock_langflow.app import create_app
    from mock_langflow.settings import Settings

    monkeypatch.setenv("MOCK_LANGFLOW_RANDOM_SEED", "11")

    def start(data_dir: Path) -> list[str]:
        with TestClient(create_app(Settings(ephemeral=False, data_dir=data_dir, api_key=KEY))) as client:
            made = [client.post("/api/v1/flows/", json={"name": f"f{i}", "data": {"nodes": [], "edges": []}},
                                headers={"x-api-key": KEY}) for i in range(12)]
            assert [r.status_code for r in made] == [201] * 12
            return [r.json()["id"] for r in made]

    first, second = tmp_path / "first", tmp_path / "second"
    runs = [start(first), start(first), start(first), start(second), start(second)]
    assert runs[0] == runs[3] and runs[1] == runs[4]  # still the same ids, start for start
    assert len({i for run in runs[:3] for i in run}) == 36  # never one id twice in one data dir


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # no traceback
    return lines[0]


@pytest.mark.parametrize("command", ["serve", "api-key"])
def test_a_data_dir_that_cannot_be_one_is_a_one_line_error(tmp_path: Path, command: str) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("a file")
    port = ["--port", "0"] if command == "serve" else []
    assert one_line_error(run_cli(command, *port, "--data-dir", str(a_file))) == (
        f"mock-langflow: cannot use data dir {a_file}: it is a file, not a directory")
    under_a_file = a_file / "data"
    assert one_line_error(run_cli(command, *port, "--data-dir", str(under_a_file))) == (
        f"mock-langflow: cannot use data dir {under_a_file}: Not a directory")


def test_a_database_that_is_no_database_is_a_one_line_error_and_left_as_it_is(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    junk = b"these bytes are no SQLite database, though the file has the database's name" * 4
    (data_dir / "mock-langflow.db").write_bytes(junk)
    line = one_line_error(run_cli("serve", "--port", "0", "--data-dir", str(data_dir)))
    assert line == f"mock-langflow: cannot use data dir {data_dir}: file is not a database"
    assert (data_dir / "mock-langflow.db").read_bytes() == junk


def test_a_port_out_of_range_is_a_bad_setting(tmp_path: Path) -> None:
    flag = run_cli("serve", "--port", "70000", "--ephemeral")
    assert one_line_error(flag) == "mock-langflow: bad setting port: Input should be less than or equal to 65535"
    env = subprocess.run([sys.executable, "-m", "mock_langflow", "serve", "--ephemeral"], capture_output=True,
                         text=True, timeout=60, env={**clean_env(), "LANGFLOW_PORT": "-1"})
    assert one_line_error(env) == "mock-langflow: bad setting LANGFLOW_PORT: Input should be greater than or equal to 0"


@pytest.mark.parametrize(("variable", "value", "error"), [
    # inf held every build and background job running for ever; nan and -1 were taken as no latency.
    ("MOCK_LANGFLOW_JOB_LATENCY_MS", "inf", "Input should be a finite number"),
    ("MOCK_LANGFLOW_JOB_LATENCY_MS", "-1", "Input should be greater than or equal to 0"),
    ("MOCK_LANGFLOW_JOB_LATENCY_MS", "86400001", "Input should be less than or equal to 86400000"),
    ("LANGFLOW_MAX_FILE_SIZE_UPLOAD", "-5", "Input should be greater than or equal to 0"),
    # A typo was an editor that never counted as installed, silently.
    ("MOCK_LANGFLOW_MCP_CLIENTS", "cursor,claude-desktop",
     "Value error, unknown MCP client 'claude-desktop'; known: cursor, windsurf, claude"),
    ("LANGFLOW_FRONTEND_PATH", "/nonexistent/frontend",
     "Value error, Static files directory /nonexistent/frontend does not exist."),
    # Langflow 1.13 refuses to start with either root path.
    ("LANGFLOW_ROOT_PATH", "https://proxy.test/langflow",
     "Value error, root_path must be an ASGI path prefix only, without scheme, query string, or fragment"),
])
def test_a_setting_that_means_nothing_stops_the_start(variable: str, value: str, error: str) -> None:
    result = subprocess.run([sys.executable, "-m", "mock_langflow", "serve", "--ephemeral", "--port", "0"],
                            capture_output=True, text=True, timeout=60, env={**clean_env(), variable: value})
    assert one_line_error(result) == f"mock-langflow: bad setting {variable}: {error}"


def test_a_root_path_the_page_cannot_carry_stops_the_start_unless_backend_only() -> None:
    """1.13 writes its root path into the frontend page's <base>, which takes URL path segments only; without
    the frontend it starts with it."""
    command = [sys.executable, "-m", "mock_langflow", "serve", "--ephemeral", "--port", "0"]
    env = {**clean_env(), "LANGFLOW_ROOT_PATH": "/lang flow"}
    served = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert one_line_error(served) == ("mock-langflow: bad setting LANGFLOW_ROOT_PATH: Value error, LANGFLOW_ROOT_PATH "
                                      "must be a URL path such as /langflow or /tools/langflow.")
    backend = subprocess.Popen([*command, "--backend-only"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env)
    try:
        assert backend.stdout is not None
        assert " at http://" in backend.stdout.readline()
    finally:
        stop_process(backend)


@pytest.mark.parametrize(("password", "error"), [
    (None, "Username and password must be set. Set LANGFLOW_SUPERUSER_PASSWORD before starting Langflow."),
    ("langflow", "LANGFLOW_SUPERUSER_PASSWORD cannot use the legacy default password"),
])
def test_1_13_with_auto_login_off_will_not_start_without_a_superuser_password(password: str | None,
                                                                             error: str) -> None:
    """Langflow 1.13 refuses to start with auto-login off unless it is given a superuser password other than the
    retired default; a client's CI set up for the mock then starts real Langflow as well."""
    env = {**clean_env(), "LANGFLOW_AUTO_LOGIN": "false"}
    if password is not None:
        env["LANGFLOW_SUPERUSER_PASSWORD"] = password
    result = subprocess.run([sys.executable, "-m", "mock_langflow", "serve", "--ephemeral", "--port", "0"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode != 0
    assert one_line_error(result).startswith(f"mock-langflow: {error}")


def test_an_address_this_machine_lacks_is_not_blamed_on_another_server() -> None:
    # 192.0.2.1 is reserved for documentation (TEST-NET-1): never this machine's; binding it sends nothing.
    line = one_line_error(run_cli("serve", "--port", "0", "--ephemeral", "--host", "192.0.2.1"))
    assert line == "mock-langflow: cannot listen on 192.0.2.1:0: Cannot assign requested address"


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_on_an_ipv6_address_the_printed_url_works(tmp_path: Path) -> None:
    """It printed http://::1:PORT, which no client can use; an in-process server could not bind one at all."""
    from mock_langflow.testing.server import MockLangflowServer

    server = start_server(tmp_path / "data", "--host", "::1")
    try:
        assert server.url.startswith("http://[::1]:")
        assert httpx.get(f"{server.url}/api/v1/version", timeout=10).status_code == 200
    finally:
        stop_server(server)
    with MockLangflowServer(host="::1", ephemeral=True) as in_process:
        assert in_process.url.startswith("http://[::1]:")
        assert httpx.get(f"{in_process.url}/api/v1/version", timeout=10).status_code == 200
