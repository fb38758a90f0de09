"""The CLI's toolkit commands: seed, scripts and the control API switch, and their one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import start_server, stop_server


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mock_langflow", *args], capture_output=True, text=True, timeout=60)


def test_seed_loads_a_folder_into_the_data_dir(tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "flows.json").write_text(json.dumps({"flows": [{**chat_flow, "name": "A"},
                                                          {**chat_flow, "name": "B", "endpoint_name": "b"}]}))
    result = cli("seed", "--data-dir", str(tmp_path / "data"), str(seed))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("seeded 2 flows, 0 projects, 0 files")
    server = start_server(tmp_path / "data")
    try:
        with server.client() as http:
            assert {f["name"] for f in http.get("/api/v1/flows/", params={"get_all": "false"}).json()["items"]} == {
                "A", "B"}
    finally:
        stop_server(server)


def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)


@pytest.mark.parametrize(("name", "make", "says"), [
    ("bad.json", lambda p: p.write_text("{not json"), "bad.json: not valid JSON"),
    # each of these was a traceback (exit 1), and a 500 from POST /_mock/seed {"path": ...}
    ("bad.zip", lambda p: p.write_text("not a zip"), "bad.zip: not a readable zip file (File is not a zip file)"),
    ("deep.json", lambda p: p.write_text("[" * 100_000), "deep.json: nested more than 200 levels deep"),
    ("flows.zip", lambda p: _zip(p, {"ok.json": json.dumps({"name": "ok", "data": {"nodes": [], "edges": []}}),
                                     "broken.json": "{not json"}),
     "flows.zip:broken.json: not valid JSON"),
    ("half.json", lambda p: p.write_text('{"name": "a\\ud800", "data": {"nodes": [], "edges": []}}'),
     "half.json: a string holds a lone surrogate (\\ud800), which is not text"),
])
def test_a_broken_seed_is_a_one_line_error(tmp_path: Path, name: str, make: Callable[[Path], Any],
                                           says: str) -> None:
    make(tmp_path / name)
    result = cli("seed", "--data-dir", str(tmp_path / "data"), str(tmp_path / name))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1 and says in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="other systems keep file names in Unicode")
def test_a_seed_folder_whose_name_is_not_utf8_is_a_one_line_error(tmp_path: Path, chat_flow: dict[str, Any]) -> None:
    """Python reads such a name's bytes as lone surrogates, which the database cannot store: the project named
    after the folder was a traceback."""
    project = tmp_path.joinpath("seed").as_posix().encode() + b"/caf\xe9"
    Path(project.decode("utf-8", "surrogateescape")).mkdir(parents=True)
    Path(project.decode("utf-8", "surrogateescape"), "flow.json").write_text(json.dumps(chat_flow))
    result = cli("seed", "--data-dir", str(tmp_path / "data"), str(tmp_path / "seed"))
    assert (result.returncode, result.stdout) == (2, "")
    shown = tmp_path / "seed" / "caf\ufffd"
    assert result.stderr.strip() == f"mock-langflow: {shown}: its name is not UTF-8"


def test_a_seed_file_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    flow = json.dumps({"name": "Saved on Windows", "data": {"nodes": [], "edges": []}})
    (tmp_path / "flow.json").write_bytes(b"\xef\xbb\xbf" + flow.encode())
    result = cli("seed", "--data-dir", str(tmp_path / "data"), str(tmp_path / "flow.json"))
    assert (result.returncode, result.stdout.split(",")[0]) == (0, "seeded 1 flows"), result.stderr


def test_a_broken_script_names_the_file_and_line(tmp_path: Path) -> None:
    script = tmp_path / "bot.yaml"
    script.write_text("rules:\n  - reply: fine\n  - match: {input: x}\n    stream: {chunking: lines}\n    reply: y\n")
    result = cli("serve", "--ephemeral", "--port", "0", "--scripts", str(script))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"mock-langflow: {script}, line 3: stream.chunking: Input should be 'words', "
                                     "'chars' or 'fixed'")



def test_a_broken_json_script_names_its_line_too(tmp_path: Path) -> None:
    script = tmp_path / "bot.json"
    script.write_text(json.dumps({"rules": [{"reply": "fine"}, {"reply": "y", "stream": {"chunking": "lines"}}]},
                                 indent=1))
    result = cli("serve", "--ephemeral", "--port", "0", "--scripts", str(script))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"mock-langflow: {script}, line 6: stream.chunking: Input should be 'words', "
                                     "'chars' or 'fixed'")
    script.write_text('{"rules": [{"reply": "fine"}\n')  # unclosed: neither JSON nor YAML; YAML says where
    result = cli("serve", "--ephemeral", "--port", "0", "--scripts", str(script))
    assert result.returncode == 2
    assert result.stderr.startswith(f"mock-langflow: {script}, line 2: not valid YAML or JSON")

def test_no_control_api_serves_only_langflows_api(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", "--no-control-api")
    try:
        with server.client() as http:
            reset = http.post("/_mock/reset")  # an unknown path: the frontend page, as 1.13 answers any method
            assert (reset.status_code, reset.headers["content-type"].split(";")[0]) == (200, "text/html")
            assert http.get("/api/v1/version").status_code == 200
    finally:
        stop_server(server)
