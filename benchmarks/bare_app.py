"""The yardstick: a bare FastAPI app served by uvicorn exactly as `mock-langflow serve` serves the mock.

One GET answering a small JSON (Langflow's /api/v1/version body), one POST echoing its JSON body, and one
POST streaming `tokens` Langflow-style token events and an end event as fast as it can (`/stream`). The
socket is set up as mock_langflow/cli.py `_bind` does (IPPROTO_TCP, so asyncio turns Nagle off; TCP_NODELAY;
backlog 2048), with the same uvicorn settings (one worker, log level warning, no access log). It imports
nothing from mock_langflow, so its start-up is FastAPI's and uvicorn's alone.

    python -m benchmarks.bare_app --port 0      # prints "bare-app at http://HOST:PORT"
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import threading
from typing import Annotated, Any

import uvicorn
from fastapi import Body, FastAPI
from fastapi.responses import StreamingResponse

VERSION = {"version": "1.13.0", "main_version": "1.13.0", "package": "Langflow"}


def create_app() -> FastAPI:
    app = FastAPI(title="bare")

    @app.get("/api/v1/version")
    async def version() -> dict[str, str]:
        return VERSION

    @app.post("/echo")
    async def echo(body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        return body

    @app.post("/stream")
    async def stream(tokens: Annotated[int, Body(embed=True)]) -> StreamingResponse:
        async def events() -> Any:
            for i in range(tokens):
                yield (json.dumps({"event": "token", "data": {"chunk": f"t{i} ", "id": "bare"}}) + "\n\n").encode()
            yield (json.dumps({"event": "end", "data": {"result": {}}}) + "\n\n").encode()

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class BareServer:
    """The bare app in a daemon thread, started the way MockLangflowServer starts the mock (the pytest
    fixture's way): bind port 0, build the app, run uvicorn on its own loop, wait until it has started."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host, self.port = host, 0
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BareServer:
        sock = bind(self.host, 0)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(create_app(), log_level="warning", access_log=False, timeout_graceful_shutdown=1,
                                lifespan="on")
        server = self._server = uvicorn.Server(config)

        async def serve() -> None:
            async def mark_started() -> None:
                while not server.started:
                    await asyncio.sleep(0.005)
                self._started.set()

            watcher = asyncio.create_task(mark_started())
            await server.serve(sockets=[sock])
            watcher.cancel()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.run_until_complete(serve())

        self._thread = threading.Thread(target=run, name="bare-app", daemon=True)
        self._thread.start()
        self._started.wait(timeout=30)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bare_app")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    print(f"bare-app at http://{host}:{port}", flush=True)
    config = uvicorn.Config(create_app(), log_level="warning", access_log=False, timeout_graceful_shutdown=2)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
