"""`mock-langflow versions` and `diff-versions`: the profiles a user can pick, and what changes between two."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import start_server, stop_server


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mock_langflow", *args], capture_output=True, text=True, timeout=60)


def test_versions_lists_every_profile_with_the_default() -> None:
    result = cli("versions")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1.13.0 (default)")
    assert any(line.startswith("1.8.4 [also: 1.8]") for line in lines)
    assert any(line.startswith("1.7.1") for line in lines)


def test_diff_versions_reports_what_an_upgrade_changes() -> None:
    result = cli("diff-versions", "1.7.1", "1.13.0")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert report.startswith("Langflow 1.7.1 -> 1.13.0")
    routes_added = report.split("## Routes added")[1].split("##")[0]
    assert "- POST /api/v2/workflows" in routes_added and "- PUT /api/v1/flows/{flow_id}" in routes_added
    assert "auth.user_bad_key" in report and "'Invalid or missing API key'" in report
    assert "FlowRead: gains a2a_card_overrides, a2a_enabled, flow_type" in report
    assert "build events 1.7.1: vertices_sorted, add_message (flat dict)" in report
    assert "build events 1.13.0: vertices_sorted, build_start" in report


def test_diff_versions_the_other_way_reports_removals_and_nothing_for_the_same_version() -> None:
    downgrade = cli("diff-versions", "1.13", "1.7.1").stdout
    assert "- GET /healthz" in downgrade.split("## Routes removed")[1].split("##")[0]
    same = cli("diff-versions", "1.8", "1.8.4").stdout
    assert same.count("- nothing") == 5


def test_an_unknown_version_is_a_one_line_error() -> None:
    result = cli("diff-versions", "1.7.1", "9.9")
    assert result.returncode == 2
    assert "unknown Langflow version '9.9'" in result.stderr and result.stderr.count("\n") == 1
    serve = cli("serve", "--langflow-version", "1.6", "--ephemeral")
    assert serve.returncode == 2 and "unknown Langflow version '1.6'" in serve.stderr


def test_serve_takes_the_version_from_the_environment(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", env={"MOCK_LANGFLOW_VERSION": "1.8"})
    try:
        assert httpx.get(f"{server.url}/api/v1/version").json()["version"] == "1.8.4"
        assert httpx.get(f"{server.url}/").status_code == 404  # 1.8 runs backend-only unless told otherwise
    finally:
        stop_server(server)
