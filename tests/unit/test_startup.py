"""Start-up pauses the garbage collector (startup.py), and leaves the caller's collector as it found it."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from mock_langflow import cli
from mock_langflow.testing.server import MockLangflowServer


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it on."""
    yield
    gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
def test_an_in_process_server_leaves_the_callers_collector_as_it_was(enabled: bool, collector_state: None) -> None:
    if not enabled:
        gc.disable()
    with MockLangflowServer() as server:
        assert gc.isenabled() is enabled
        answer = httpx.get(f"{server.url}/api/v1/version", timeout=10)
        assert answer.status_code == 200
    assert gc.isenabled() is enabled



def test_an_in_process_server_leaves_what_the_caller_froze_frozen(collector_state: None) -> None:
    """Start-up ages what it built by freezing and unfreezing (startup.age_all); a caller's own gc.freeze()
    must survive that, so then nothing is moved."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with MockLangflowServer() as server:
            assert httpx.get(f"{server.url}/api/v1/version", timeout=10).status_code == 200
            assert gc.get_freeze_count() > frozen // 2  # not unfrozen (then 0); objects freed since leave it
    finally:
        gc.unfreeze()

def test_a_command_run_in_process_turns_the_collector_back_on(capsys: pytest.CaptureFixture[str],
                                                               collector_state: None) -> None:
    assert cli.main(["versions"]) == 0
    assert "1.13.0" in capsys.readouterr().out
    assert gc.isenabled()


def fresh_python(script: str) -> list[str]:
    """What `script` prints, run by a fresh interpreter (what a module imports is only seen there)."""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_package_still_exports_create_app_and_settings() -> None:
    # `import mock_langflow` no longer imports the app: it is imported when asked for, by name.
    script = (
        "import sys, mock_langflow\n"
        "assert 'fastapi' not in sys.modules and 'sqlalchemy' not in sys.modules, 'imported the app too early'\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "client = TestClient(create_app(Settings(ephemeral=True)))\n"
        "print(client.get('/api/v1/version').json()['version'])\n"
        "try:\n"
        "    mock_langflow.no_such_name\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    assert fresh_python(script) == ["1.13.0", "module 'mock_langflow' has no attribute 'no_such_name'"]


def test_a_served_mock_never_imports_pydantic_v1_yet_fastapi_still_knows_a_v1_model() -> None:
    """`serve` makes FastAPI's pydantic.v1 checks wait until pydantic.v1 is imported (startup.skip_pydantic_v1):
    routes analysed and answers encoded without it, and the same answers as FastAPI's own once it is there."""
    script = (
        "import sys, warnings\n"
        "from mock_langflow import startup\n"
        "startup.skip_pydantic_v1()\n"
        "startup.skip_pydantic_v1()  # twice is once\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "with TestClient(create_app(Settings(ephemeral=True, api_key='sk-' + 'a' * 43))) as client:\n"
        "    key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "    for path in ('/api/v1/version', '/api/v1/flows/', '/api/v1/projects/', '/openapi.json'):\n"
        "        assert client.get(path, headers=key).status_code == 200, path\n"
        "print('pydantic.v1' in sys.modules)\n"
        "from fastapi import encoders\n"
        "from fastapi._compat import shared\n"
        "with warnings.catch_warnings():\n"
        "    warnings.simplefilter('ignore')\n"
        "    from pydantic import v1\n"
        "class Old(v1.BaseModel):\n"
        "    a: int = 1\n"
        "print(shared.annotation_is_pydantic_v1(list[Old]), encoders.is_pydantic_v1_model_instance(Old()),\n"
        "      shared.is_pydantic_v1_model_class(Settings))\n"
    )
    assert fresh_python(script) == ["False", "True True False"]


def test_the_in_process_server_leaves_its_hosts_fastapi_as_it_found_it() -> None:
    from fastapi._compat import shared

    before = shared.is_pydantic_v1_model_class
    with MockLangflowServer() as server:
        assert httpx.get(f"{server.url}/api/v1/version", timeout=10).status_code == 200
    assert shared.is_pydantic_v1_model_class is before
    assert getattr(before, "__wrapped__", None) is None
