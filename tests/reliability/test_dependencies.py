"""Dependencies and code: pip-audit finds no known vulnerability in what is installed, bandit finds nothing in
mock_langflow/ (each `# nosec` carries its reason on the line above it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_bandit_finds_nothing_in_the_package() -> None:
    result = subprocess.run([str(BIN / "bandit"), "-r", "mock_langflow", "-q", "-f", "json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stdout)
    found = [f"{r['test_id']} {r['filename']}:{r['line_number']} {r['issue_text']}" for r in report["results"]]
    assert not found, "\n".join(found)
    assert result.returncode == 0, result.stderr[-2000:]


def test_pip_audit_finds_no_known_vulnerability() -> None:
    """Audits the environment the tests run in (the package's dependencies and the test tools), against PyPI's
    advisory data. Skipped, saying why, only when that service answered for none of them (no network)."""
    try:
        result = subprocess.run([str(BIN / "pip-audit"), "--format", "json", "--progress-spinner", "off",
                                 "--skip-editable"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                                check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("pip-audit: PyPI's advisory service did not answer within 10 minutes")
    try:
        report = json.loads(result.stdout)
    except ValueError:
        if "ConnectionError" in result.stderr or "NameResolutionError" in result.stderr:
            pytest.skip(f"pip-audit could not reach PyPI's advisory service: {result.stderr.strip()[-300:]}")
        raise AssertionError(f"pip-audit failed: {result.stderr[-2000:]}") from None
    # The project itself is installed editable: it is this checkout, not a release with advisories.
    dependencies = [d for d in report["dependencies"] if "editable" not in d.get("skip_reason", "")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in dependencies})
        pytest.skip(f"pip-audit: PyPI's advisory service answered for none of the {len(dependencies)} installed "
                    f"packages ({'; '.join(reasons)}), so nothing could be audited from here")
    vulnerable = [f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
                  for d in audited if d.get("vulns")]
    assert not vulnerable, "\n".join(vulnerable)
    unaudited = [d["name"] for d in dependencies if "skip_reason" in d]
    assert not unaudited, f"pip-audit could not audit: {', '.join(unaudited)}"
