"""Helpers for the tests that drive a real server process: its output read as it comes (so a chatty server never
blocks on a full pipe, and the test can look for "database is locked"), and what its data dir holds."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.conftest import LiveServer, start_server, stop_server


class Server:
    """`mock-langflow serve` in a child process (tests.conftest.start_server), its output collected."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.data_dir = data_dir
        self.live: LiveServer = start_server(data_dir, *args)
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.live.process.stdout is not None
        for line in self.live.process.stdout:
            self.output.append(line)

    @property
    def url(self) -> str:
        return self.live.url

    @property
    def key(self) -> str:
        return self.live.api_key

    def stop(self) -> None:
        stop_server(self.live, close_output=False)
        self._close()

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        self.live.process.kill()
        self.live.process.wait()
        self._close()

    def _close(self) -> None:
        """Once the reader has drained the output to its end, the pipe is closed."""
        self._reader.join(timeout=10)
        if self.live.process.stdout is not None and not self._reader.is_alive():
            self.live.process.stdout.close()

    def log(self) -> str:
        return "".join(self.output)


def blobs(data_dir: Path) -> set[str]:
    """The stored byte files (named by 32 hex digits), staging files included."""
    root = data_dir / "files"
    return {p.name for p in root.iterdir()} if root.is_dir() else set()


def file_rows(data_dir: Path) -> list[dict[str, Any]]:
    """The file table, read straight from the database file (the server is stopped)."""
    with closing(sqlite3.connect(data_dir / "mock-langflow.db")) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT id, blob, size, path FROM file")]


def integrity(data_dir: Path) -> str:
    with closing(sqlite3.connect(data_dir / "mock-langflow.db")) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
