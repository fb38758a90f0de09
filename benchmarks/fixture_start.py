"""The pytest fixture's start-up, measured in a fresh process: `python -m benchmarks.fixture_start mock|bare`.

`first_ready_wall`: the wall-clock time (time.time) at which the first server answered /api/v1/version;
the caller subtracts its own reading taken before it created this process, which covers interpreter
start-up, imports and starting the in-thread server (what the session fixture `langflow_mock_server` does):
what a test session pays once. `again_s`: a second server started in the same process, imports already done (what
each further MockLangflowServer costs); `stop_s`: stopping that second server (what a test that starts a server of
its own pays at its end). The bare app is started the same way (benchmarks.bare_app.BareServer).
Prints one JSON object.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import http.client  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402


def ready(host: str, port: int) -> None:
    while True:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            conn.request("GET", "/api/v1/version")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            time.sleep(0.002)
        finally:
            conn.close()


def start(kind: str) -> Any:
    if kind == "mock":
        from mock_langflow.testing.server import MockLangflowServer

        return MockLangflowServer().start()
    from benchmarks.bare_app import BareServer

    return BareServer().start()


def main() -> int:
    kind = sys.argv[1]
    first = start(kind)
    ready(first.host, first.port)
    first_ready_wall = time.time()
    first_s = time.perf_counter() - T0
    t1 = time.perf_counter()
    second = start(kind)
    ready(second.host, second.port)
    again_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    second.stop()
    stop_s = time.perf_counter() - t2
    first.stop()
    json.dump({"first_ready_wall": first_ready_wall, "first_s": first_s, "again_s": again_s, "stop_s": stop_s},
              sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
