"""One data dir, several processes: one server serves it at a time, a second one says who does and stops; the
one-shot commands run beside a server without touching its work; processes starting together on a fresh data
dir set it up once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_langflow.store.dirlock import DataDirInUse
from mock_langflow.testing.server import MockLangflowServer
from tests.conftest import KEY, START_LINE, create_flow, start_server, stop_server
from tests.test_cli import KEY_RE, clean_env, run_cli

EXAMPLES = len(list((Path(__file__).resolve().parents[1] / "fixtures" / "flows").glob("*.json")))
WF = "/api/v2/workflows"


def in_use_line(data_dir: Path, pid: int, url: str) -> str:
    return (f"mock-langflow: data dir {data_dir} is in use by another mock-langflow server (pid {pid}, {url}); "
            "give each server its own --data-dir (MOCK_LANGFLOW_DATA_DIR), or use --ephemeral")


def flows_of(client: httpx.Client) -> list[dict[str, Any]]:
    response = client.get("/api/v1/flows/")
    assert response.status_code == 200
    flows: list[dict[str, Any]] = response.json()
    return flows


def test_a_second_server_on_a_data_dir_in_use_says_which_server_has_it_and_stops(
        tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    data_dir = tmp_path / "data"
    first = start_server(data_dir)
    try:
        with first.client() as client:
            flow = create_flow(client, {}, chat_flow)  # type: ignore[arg-type]
        result = run_cli("serve", "--port", "0", "--data-dir", str(data_dir), "--api-key", KEY)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.splitlines() == [in_use_line(data_dir, first.process.pid, first.url)]
        with first.client() as client:  # the first one serves on, its data untouched
            assert client.get(f"/api/v1/flows/{flow['id']}").status_code == 200
            assert len([f for f in flows_of(client) if f["user_id"] is None]) == EXAMPLES
    finally:
        stop_server(first)
    again = start_server(data_dir)  # once it has stopped, the data dir is free, with everything in it
    try:
        with again.client() as client:
            assert client.get(f"/api/v1/flows/{flow['id']}").json()["name"] == chat_flow["name"]
    finally:
        stop_server(again)


def test_servers_started_together_on_a_fresh_data_dir_set_it_up_once_and_one_serves(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    cmd = [sys.executable, "-m", "mock_langflow", "serve", "--port", "0", "--data-dir", str(data_dir),
           "--api-key", KEY]
    processes = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=clean_env())
                 for _ in range(4)]
    try:
        first_lines = [p.stdout.readline() for p in processes]  # type: ignore[union-attr]
        serving = [(p, START_LINE.search(line)) for p, line in zip(processes, first_lines, strict=True)
                   if START_LINE.search(line)]
        assert len(serving) == 1, first_lines
        winner, match = serving[0]
        url = match.group(1)  # type: ignore[union-attr]
        for process, line in zip(processes, first_lines, strict=True):
            if process is winner:
                continue
            rest, _ = process.communicate(timeout=30)
            assert process.returncode == 2
            assert (line + rest).splitlines() == [in_use_line(data_dir, winner.pid, url)]
        with httpx.Client(base_url=url, headers={"x-api-key": KEY}, timeout=10) as client:
            assert len([f for f in flows_of(client) if f["user_id"] is None]) == EXAMPLES  # not four times
            users = client.get("/api/v1/users/").json()
            assert users["total_count"] == 1 and users["users"][0]["username"] == "langflow"
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
            process.stdout.close()  # type: ignore[union-attr]


def test_api_key_commands_run_together_on_a_fresh_data_dir_each_make_a_key_that_works(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    cmd = [sys.executable, "-m", "mock_langflow", "api-key", "--data-dir", str(data_dir)]
    processes = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env())
                 for _ in range(4)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs
    keys = [out.strip() for out, _ in outputs]
    assert all(KEY_RE.fullmatch(key) for key in keys) and len(set(keys)) == 4
    server = start_server(data_dir)
    try:
        for key in keys:
            whoami = httpx.get(f"{server.url}/api/v1/users/whoami", headers={"x-api-key": key}, timeout=10)
            assert (whoami.status_code, whoami.json()["username"]) == (200, "langflow")
        with server.client() as client:
            assert len([f for f in flows_of(client) if f["user_id"] is None]) == EXAMPLES
    finally:
        stop_server(server)


def test_an_api_key_command_beside_a_server_leaves_its_running_job_alone(
        tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    """A starting process marks the jobs a previous server left running as failed; a one-shot command beside
    a live server used to do the same to that server's jobs in progress."""
    data_dir = tmp_path / "data"
    server = start_server(data_dir, env={"MOCK_LANGFLOW_JOB_LATENCY_MS": "1500"})
    try:
        with server.client() as client:
            flow_id = create_flow(client, {}, chat_flow)["id"]  # type: ignore[arg-type]
            job = client.post(WF, json={"flow_id": flow_id, "input_value": "beside", "mode": "background"}).json()
            result = run_cli("api-key", "--data-dir", str(data_dir))
            assert result.returncode == 0, result.stderr
            new_key = result.stdout.strip()
            whoami = client.get("/api/v1/users/whoami", headers={"x-api-key": new_key})
            assert whoami.status_code == 200  # the running server accepts the new key at once
            statuses = []
            for _ in range(1000):
                answer = client.get(WF, params={"job_id": job["job_id"]})
                statuses.append((answer.status_code, answer.json().get("status")))
                if statuses[-1] != (200, "in_progress") and statuses[-1] != (200, "queued"):
                    break
                time.sleep(0.01)
            assert statuses[-1] == (200, "completed"), statuses[-3:]
            assert answer.json()["output"]["text"] == "beside"
    finally:
        stop_server(server)


def test_an_in_process_server_on_a_data_dir_in_use_raises_and_leaves_the_first_one_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with MockLangflowServer(data_dir=data_dir) as first:
        with httpx.Client(base_url=first.url, headers={"x-api-key": first.api_key}, timeout=10) as client:
            upload = client.post("/api/v2/files", files={"file": ("kept.txt", b"kept bytes", "text/plain")})
            assert upload.status_code == 201
            with pytest.raises(DataDirInUse, match="is in use by another mock-langflow server"):
                MockLangflowServer(data_dir=data_dir).start()
            download = client.get(f"/api/v2/files/{upload.json()['id']}")
            assert (download.status_code, download.content) == (200, b"kept bytes")
    with MockLangflowServer(data_dir=data_dir) as second:  # free again once the first has stopped
        with httpx.Client(base_url=second.url, headers={"x-api-key": second.api_key}, timeout=10) as client:
            assert client.get(f"/api/v2/files/{upload.json()['id']}").content == b"kept bytes"


def test_an_ephemeral_server_shares_nothing_so_takes_no_data_dir(tmp_path: Path) -> None:
    """--ephemeral keeps its state in memory: any number of them may name the same data dir."""
    with MockLangflowServer(data_dir=tmp_path, ephemeral=True) as one, \
            MockLangflowServer(data_dir=tmp_path, ephemeral=True) as two:
        for server in (one, two):
            assert httpx.get(f"{server.url}/api/v1/version", timeout=10).status_code == 200


def test_an_api_key_command_beside_a_server_leaves_the_superusers_password_alone(tmp_path: Path) -> None:
    """The command (run with other settings than the server's: here auto-login on) gave the superuser the
    password of its own settings, and the running server's logins with its password failed from then on."""
    data_dir = tmp_path / "data"
    server = start_server(data_dir, env={"LANGFLOW_AUTO_LOGIN": "false", "LANGFLOW_SUPERUSER_PASSWORD": "secret"})
    try:
        login = {"username": "langflow", "password": "secret"}
        assert httpx.post(f"{server.url}/api/v1/login", data=login, timeout=10).status_code == 200
        result = run_cli("api-key", "--data-dir", str(data_dir))
        assert result.returncode == 0, result.stderr
        assert httpx.post(f"{server.url}/api/v1/login", data=login, timeout=10).status_code == 200
        whoami = httpx.get(f"{server.url}/api/v1/users/whoami", headers={"x-api-key": result.stdout.strip()},
                           timeout=10)
        assert (whoami.status_code, whoami.json()["username"]) == (200, "langflow")
    finally:
        stop_server(server)


def test_an_api_key_command_beside_a_server_leaves_its_scripts_alone(tmp_path: Path) -> None:
    """The command reloaded the script files of its own settings (none), which removed the server's --scripts
    rules and their use counts from the database."""
    data_dir = tmp_path / "data"
    rules = tmp_path / "rules.yaml"
    rules.write_text('rules:\n  - match: {input_contains: "weather"}\n    reply: "Sunny, says the file."\n')
    server = start_server(data_dir, "--scripts", str(rules))
    try:
        with server.client() as client:
            examples = client.get("/api/v1/flows/basic_examples/").json()
            with_model = next(f for f in examples if f["name"] == "Basic Prompting")
            flow_id = client.post("/api/v1/flows/", json={"name": "Weather", "data": with_model["data"]}).json()["id"]
            ran = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "the weather?"}).json()
            assert ran["outputs"][0]["outputs"][0]["results"]["message"]["text"] == "Sunny, says the file."
            before = client.get("/_mock/scripts").json()
            assert any(rule.get("reply") == "Sunny, says the file." and rule["uses"] == 1
                       for rule in before["rules"])
            assert run_cli("api-key", "--data-dir", str(data_dir)).returncode == 0
            assert client.get("/_mock/scripts").json() == before
    finally:
        stop_server(server)
