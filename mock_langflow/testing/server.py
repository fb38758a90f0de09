"""MockLangflowServer: a real mock-langflow server on a free loopback port, in a thread of this process."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
import socket
import string
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from mock_langflow.settings import Settings, http_url
from mock_langflow.startup import collector_paused, import_fastapi

_KEY_ALPHABET = string.ascii_letters + string.digits


def new_key() -> str:
    return "sk-" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(43))


class MockLangflowServer:
    """Start with `start()` (or `with`), stop with `stop()`. Binds before it starts, so port 0 is safe:
    `url` has the real port. Its state lives in its own temporary data dir unless one is given."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, data_dir: Path | None = None,
                 api_key: str | None = None, **settings: Any) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="mock-langflow-") if data_dir is None else None
        self.data_dir = Path(self._tmp.name) if self._tmp else Path(data_dir)  # type: ignore[arg-type]
        self.api_key = api_key or new_key()
        self.settings = Settings(host=host, port=port, data_dir=self.data_dir, api_key=self.api_key, **settings)
        self.host, self.port = host, port
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self.app: Any = None

    @property
    def url(self) -> str:
        return http_url(self.host, self.port)

    def start(self) -> MockLangflowServer:
        # The imports and the database, with the collector paused as the command line does (startup.py).
        with collector_paused():
            try:
                return self._start()
            except BaseException:
                self.stop()  # its temporary data dir and database too: nothing left to the collector
                raise

    def _start(self) -> MockLangflowServer:
        import uvicorn

        import_fastapi()
        from mock_langflow.app import create_app
        from mock_langflow.middleware import QuietDrops

        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(2048)
        except OSError as exc:  # closed here, not left to the collector (a ResourceWarning under -W error)
            sock.close()
            raise OSError(exc.errno, f"mock-langflow cannot listen on {self.host}:{self.port}: {exc.strerror}") \
                from exc
        self.port = sock.getsockname()[1]
        # The URLs the server hands out (MCP project URLs, its MCP server list) name the port it really has.
        self.settings = self.settings.model_copy(update={"port": self.port})
        try:
            self.app = create_app(self.settings)
        except BaseException:  # a data dir another server holds, a bad script: no socket left to the collector
            sock.close()
            raise
        logging.getLogger("uvicorn.error").addFilter(QuietDrops())
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, timeout_graceful_shutdown=1,
                                lifespan="on")
        self._server = _server_class()(config)
        server = self._server

        def run() -> None:
            # asyncio.run closes the loop (and its self-pipe) when the server ends: a loop left open is a
            # ResourceWarning when collected, which fails a host's test run under `-W error` at its very end.
            try:
                asyncio.run(self._serve(server, sock))
            except BaseException as exc:  # surfaced by start()
                self._error = exc
                self._started.set()
            finally:
                sock.close()

        self._thread = threading.Thread(target=run, name="mock-langflow", daemon=True)
        self._thread.start()
        self._started.wait(timeout=30)
        if self._error is not None:
            raise RuntimeError(f"mock-langflow failed to start: {self._error}") from self._error
        return self

    async def _serve(self, server: Any, sock: socket.socket) -> None:
        async def mark_started() -> None:
            while not server.started:
                await asyncio.sleep(0.005)
            self._started.set()

        watcher = asyncio.create_task(mark_started())
        await server.serve(sockets=[sock])
        watcher.cancel()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._server.wake()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._server is not None and self.app is not None:
            self.app.state.mock.store.db.dispose()  # an ephemeral store's in-memory database included
        self._server = self._thread = None
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> MockLangflowServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


@functools.cache
def _server_class() -> Any:
    """uvicorn's Server, woken at once by stop() instead of at its next tick.

    uvicorn looks at should_exit every 0.1 s, between sleeps; a server stopped from another thread waited
    for that sleep to end. Its ticks still come every 0.1 s (they refresh the Date header), but stop() now
    ends the wait, so stopping takes about 0.1 s (uvicorn's own pause for connections to finish) where it
    took up to 0.2 s: what a test that starts a server of its own pays at its end."""
    import uvicorn

    class WakeableServer(uvicorn.Server):
        def __init__(self, config: uvicorn.Config) -> None:
            super().__init__(config)
            self._loop: asyncio.AbstractEventLoop | None = None
            self._wake: asyncio.Event | None = None

        async def main_loop(self) -> None:
            self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
            counter = 0
            while not await self.on_tick(counter):
                counter = (counter + 1) % 864000
                try:
                    await asyncio.wait_for(self._wake.wait(), 0.1)
                except TimeoutError:
                    pass

        def wake(self) -> None:
            """From any thread: look at should_exit now."""
            loop, event = self._loop, self._wake
            if loop is not None and event is not None:
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: it has stopped already
                    loop.call_soon_threadsafe(event.set)

    return WakeableServer
