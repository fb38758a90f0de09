"""The SQLite database behind every stored thing: one engine, WAL, short transactions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

# SQLite's integers are 64-bit; Python's, and so a query parameter's, are not.
SQL_INT_MAX = 2**63 - 1


def sql_int(value: int) -> int:
    """An offset or limit clamped to what SQLite can bind: ?page=10**20 reads past the end (no rows) instead of
    failing with OverflowError."""
    return max(min(value, SQL_INT_MAX), -SQL_INT_MAX)


# Bump when a table changes shape: an older database is then moved aside rather than misread.
SCHEMA_VERSION = 1


class Database:
    """Owns the engine. `path=None` keeps everything in memory (one shared connection)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.open_sessions = 0  # sessions entered and not yet left (GET /_mock/stats)
        self._count_lock = threading.Lock()
        if path is None:
            self.engine: Engine = create_engine(
                "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._retire_if_old(path)
            self.engine = create_engine(
                f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30}
            )
        event.listen(self.engine, "connect", self._on_connect)
        from mock_langflow.store import models  # noqa: F401  (registers the tables)

        SQLModel.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # WAL lets readers run beside the writer; NORMAL keeps every committed write through a process
        # crash (kill -9), which is what a mock needs, at a fraction of FULL's fsync cost.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @staticmethod
    def _retire_if_old(path: Path) -> None:
        if not path.exists():
            return
        import sqlite3

        with sqlite3.connect(path) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            path.rename(path.with_suffix(f".v{version}.bak"))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back (nothing written) if it raises."""
        with self._count_lock:
            self.open_sessions += 1
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        finally:
            with self._count_lock:
                self.open_sessions -= 1

    def checked_out(self) -> int:
        """Connections handed out by the pool and not returned (0 for an in-memory database's one connection)."""
        checkedout = getattr(self.engine.pool, "checkedout", None)
        return int(checkedout()) if callable(checkedout) else 0

    def dispose(self) -> None:
        self.engine.dispose()
