"""The SQLite database behind every stored thing: one engine, WAL, short transactions."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Executable
from sqlmodel import Session, SQLModel, create_engine

# Bump when a table changes shape: an older database is then moved aside rather than misread.
SCHEMA_VERSION = 1


def table(model: type[SQLModel]) -> Table:
    """The Core table of a table model (for statements built once, at import)."""
    found: Table = model.__table__  # type: ignore[attr-defined]
    return found


class Database:
    """Owns the engine. `path=None` keeps everything in memory (one shared connection).

    Writes that only append a record (the request journal, messages, transactions, scripted-LLM calls, use
    counters) can be `defer`red: they are written together, in one transaction, as soon as the event loop
    is free again, and always before any session starts, so every read still sees every earlier write.
    A request that ran a flow thus costs one commit instead of ten (benchmarks/README.md).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._pending: list[tuple[Executable, dict[str, Any]]] = []
        self._lock = threading.RLock()
        self._scheduled_on: asyncio.AbstractEventLoop | None = None  # the loop a flush is queued on
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

    # --- deferred writes ----------------------------------------------------------------------------------

    def defer(self, statement: Executable, params: dict[str, Any]) -> None:
        """Write later, soon: at the next turn of the running event loop, or before the next session, whichever
        comes first. Without a running loop (the CLI, a test calling the store) it is written at once.
        Only for statements that no later deferred statement of another kind depends on (appends, counters):
        a flush groups them by statement."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self._lock:
            self._pending.append((statement, params))
            if loop is not None:
                if self._scheduled_on is not loop:
                    self._scheduled_on = loop
                    loop.call_soon(self.flush)
                return
        self.flush()

    def flush(self) -> None:
        """Write every deferred statement in one transaction: each statement's rows in the order they came,
        as one executemany."""
        with self._lock:
            pending, self._pending, self._scheduled_on = self._pending, [], None
            if not pending:
                return
            groups: dict[int, tuple[Executable, list[dict[str, Any]]]] = {}
            for statement, params in pending:
                groups.setdefault(id(statement), (statement, []))[1].append(params)
            with self.engine.begin() as conn:
                for statement, rows in groups.values():
                    conn.execute(statement, rows if len(rows) > 1 else rows[0])

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back (nothing written) if it raises.
        Deferred writes are written first, so the session reads everything written before it."""
        self.flush()
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.flush()
        self.engine.dispose()
