"""The pytest plugin, exercised the way users run it: pytester runs real test files with real clients."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    """The Python example of the README's pytest section, verbatim."""
    section = README.read_text(encoding="utf-8").split("## Using it from pytest", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README's pytest section has no python example"
    return match.group(1)


def test_the_readme_walk_through_works_verbatim(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_weather_bot=readme_example())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_a_session_under_w_error_ends_clean(pytester: pytest.Pytester) -> None:
    """Projects that run pytest with warnings as errors: the session's server must leave nothing for the
    collector to warn about (its event loop, its database connections). pytest reports such warnings as
    unraisable at the session's end and fails the run, though every test passed."""
    pytester.makepyfile(test_weather_bot=readme_example() + '''

def test_a_streamed_run(langflow_mock):
    flow = langflow_mock.create_flow(example="Basic Prompting", name="Stream Bot")
    with httpx.stream("POST", f"{langflow_mock.url}/api/v1/run/{flow['id']}?stream=true",
                      json={"input_value": "hi"}, headers={"x-api-key": langflow_mock.api_key}) as response:
        assert b'"event": "end"' in response.read()
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=3)
    assert result.ret == 0, result.stdout.str()[-3000:] + result.stderr.str()[-3000:]


def test_assert_called_fails_with_the_near_misses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import httpx

        def test_wrong_method(langflow_mock):
            httpx.get(f"{langflow_mock.url}/api/v1/version")
            langflow_mock.assert_called("POST", "/api/v1/version")
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*expected POST /api/v1/version at least once, received 0*",
                                 "*near miss: GET /api/v1/version -> 200: method GET != POST*"])


def test_scripts_option_and_reset_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", bot='rules:\n  - match: {input: ping}\n    reply: pong\n')
    pytester.makepyfile("""
        def text(mock, flow_id, question):
            with mock.client() as http:
                body = http.post(f"/api/v1/run/{flow_id}", json={"input_value": question}).json()
            return body["outputs"][0]["outputs"][0]["results"]["message"]["text"]

        def test_file_script(langflow_mock):
            flow = langflow_mock.create_flow(example="Basic Prompting", name="Bot")
            assert text(langflow_mock, flow["id"], "ping") == "pong"
            langflow_mock.script(match={"input": "ping"}, reply="PONG")
            assert text(langflow_mock, flow["id"], "ping") == "PONG"

        def test_runtime_rules_are_gone_after_reset(langflow_mock):
            flow = langflow_mock.create_flow(example="Basic Prompting", name="Bot")
            assert text(langflow_mock, flow["id"], "ping") == "pong"
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mock-langflow-scripts", "bot.yaml")
    result.assert_outcomes(passed=2)


def test_ini_options(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmock_langflow_version = 1.13.0\n")
    pytester.makepyfile("""
        import httpx

        def test_version(langflow_mock):
            assert httpx.get(f"{langflow_mock.url}/api/v1/version").json()["version"] == "1.13.0"
    """)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_version_option_selects_the_profile(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import httpx

        def test_version(langflow_mock):
            assert httpx.get(f"{langflow_mock.url}/api/v1/version").json()["version"] == "1.7.1"
            # 1.7.1 answers an unknown flow with its frontend page, as a real 1.7.1 does
            missing = httpx.get(f"{langflow_mock.url}/api/v1/flows/00000000-0000-4000-8000-000000000000",
                                headers={"x-api-key": langflow_mock.api_key})
            assert missing.status_code == 200 and missing.headers["content-type"].startswith("text/html")
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mock-langflow-version", "1.7.1")
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(("args", "ini", "line"), [
    (["--mock-langflow-version", "2.0"], "",
     "unknown Langflow version '2.0'; the mock emulates: 1.13.0, 1.8.4, 1.7.1"),
    (["--mock-langflow-port", "70000"], "", "port 70000 is outside 0-65535"),
    ([], "mock_langflow_port = 80a", "mock_langflow_port: '80a' is no port number"),
    (["--mock-langflow-scripts", "missing.yaml"], "", "missing.yaml: no such scripts file or directory"),
])
def test_a_mistaken_option_stops_the_run_with_one_line(pytester: pytest.Pytester, args: list[str], ini: str,
                                                       line: str) -> None:
    """Before, every test using the server errored with a traceback of its start (a ValueError or a
    pydantic ValidationError), and the run went on."""
    if ini:
        pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile("def test_one(langflow_mock):\n    pass\n\ndef test_two(langflow_mock):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.errlines[0] == f"ERROR: mock-langflow: {line}"
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_each_xdist_worker_gets_its_own_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import os, pathlib

        def record(mock):
            out = pathlib.Path(os.environ["SERVERS_OUT"])
            with out.open("a") as f:
                f.write(os.environ.get("PYTEST_XDIST_WORKER", "-") + " " + mock.url + "\\n")

        def test_a(langflow_mock): record(langflow_mock)
        def test_b(langflow_mock): record(langflow_mock)
        def test_c(langflow_mock): record(langflow_mock)
        def test_d(langflow_mock): record(langflow_mock)
    """)
    out = pytester.path / "servers.txt"
    pytester._monkeypatch.setenv("SERVERS_OUT", str(out))  # type: ignore[attr-defined]
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=4)
    by_worker: dict[str, set[str]] = {}
    for line in out.read_text().splitlines():
        worker, url = line.split()
        by_worker.setdefault(worker, set()).add(url)
    assert len(by_worker) == 2
    assert all(len(urls) == 1 for urls in by_worker.values())  # one server per worker, for the whole session
    assert len(set.union(*by_worker.values())) == 2  # and the two workers' servers differ


def test_an_in_process_server_keeps_its_date_current_and_is_gone_once_stopped() -> None:
    """MockLangflowServer's uvicorn is woken by stop() rather than at its next tick; its ticks still come, so
    the Date header of its answers moves on as a real server's does."""
    import time

    import httpx

    from mock_langflow.testing.server import MockLangflowServer

    with MockLangflowServer() as server:
        first = httpx.get(f"{server.url}/api/v1/version", timeout=10).headers["date"]
        time.sleep(2.2)  # uvicorn refreshes the Date header about once a second
        second = httpx.get(f"{server.url}/api/v1/version", timeout=10).headers["date"]
    assert first != second
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/api/v1/version", timeout=2)


def test_handles_share_one_tls_context_and_keep_verifying(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture makes a LangflowMock for every test; each made its own httpx TLS context, reading the CA
    bundle again (about 20 ms a test). Now the bundle is read once per process, verification unchanged,
    and a client given TLS settings of its own keeps them."""
    import ssl

    from mock_langflow.testing import client as handle

    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counted(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args or kwargs)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    handle._tls.cache_clear()
    mocks = [handle.LangflowMock("http://127.0.0.1:9", "sk-x") for _ in range(5)]
    clients = [mock.client() for mock in mocks]
    assert len(loads) == 1
    shared = handle._tls()
    assert shared.verify_mode == ssl.CERT_REQUIRED and shared.check_hostname
    own = mocks[0].client(verify=False)
    assert len(loads) == 1
    for closable in (*clients, own, *mocks):
        closable.close()


def test_an_in_process_servers_mcp_urls_name_the_port_it_listens_on() -> None:
    """Started on port 0 (as the fixture does), the server handed out MCP URLs on port 0."""
    import httpx

    from mock_langflow.testing.server import MockLangflowServer

    with MockLangflowServer() as server, \
            httpx.Client(base_url=server.url, headers={"x-api-key": server.api_key}, timeout=10) as client:
        project = client.get("/api/v1/projects/").json()[0]["id"]
        urls = client.get(f"/api/v1/mcp/project/{project}/composer-url").json()
        assert urls["streamable_http_url"] == f"{server.url}/api/v1/mcp/project/{project}/streamable"
        assert urls["legacy_sse_url"] == f"{server.url}/api/v1/mcp/project/{project}/sse"


def test_a_server_that_cannot_start_says_where_and_leaves_nothing_behind() -> None:
    """--mock-langflow-port on a busy port: the error names it, and the server's socket and temporary data dir
    are closed and removed at once (left to the collector, each is a ResourceWarning: an error under -W error)."""
    import gc
    import socket

    from mock_langflow.testing.server import MockLangflowServer

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = MockLangflowServer(port=port)
        with pytest.raises(OSError, match=f"mock-langflow cannot listen on 127.0.0.1:{port}: Address already in use"):
            server.start()
    assert not server.data_dir.exists()
    del server
    gc.collect()
