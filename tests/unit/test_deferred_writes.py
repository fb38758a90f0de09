"""Deferred writes: what a request wrote on the side is committed before its answer goes out, and answers of
the same turn of the event loop share one commit."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import insert, select

from mock_langflow.store.db import Database, table
from mock_langflow.store.llm_calls import LlmCallRow
from mock_langflow.store.models import ScriptDefaultsRow

ROWS = table(ScriptDefaultsRow)
WRITE = insert(ROWS)


def stored(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:  # another connection: only committed rows
        return sorted(row[0] for row in conn.execute("SELECT source FROM script_defaults"))


def test_concurrent_answers_wait_for_one_commit_that_holds_all_their_writes(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    db = Database(path)
    commits: list[int] = []
    write = db._write

    def counting(pending: list[Any]) -> None:
        commits.append(len(pending))
        write(pending)

    db._write = counting  # type: ignore[method-assign]

    async def request(n: int) -> list[str]:
        db.defer(WRITE, {"source": f"r{n}", "spec": {"n": n}})
        await db.committed()
        return stored(path)  # what a client could read once it has its answer

    async def main() -> list[list[str]]:
        return await asyncio.gather(*(request(n) for n in range(5)))

    seen = asyncio.run(main())
    assert commits == [5]
    assert all({f"r{n}" for n in range(5)} <= set(rows) for rows in seen)


def test_with_nothing_deferred_an_answer_does_not_wait(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite")

    async def main() -> None:
        await asyncio.wait_for(db.committed(), timeout=1)

    asyncio.run(main())


def test_a_failed_commit_fails_the_answers_waiting_for_it(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite")

    def broken(_pending: list[Any]) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    db._write = broken  # type: ignore[method-assign]

    async def main() -> None:
        db.defer(WRITE, {"source": "lost", "spec": {}})
        await db.committed()

    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        asyncio.run(main())


def test_a_row_the_database_refuses_does_not_take_the_rest_of_its_batch(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    """Three requests' writes share a commit and SQLite refuses one row (a lone surrogate): the answers waiting
    on that commit fail, as before, but the other rows are written instead of lost with it."""
    path = tmp_path / "db.sqlite"
    db = Database(path)

    async def request(source: str) -> str:
        db.defer(WRITE, {"source": source, "spec": {}})
        try:
            await db.committed()
        except UnicodeEncodeError:
            return "failed"
        return "ok"

    async def main() -> list[str]:
        return await asyncio.gather(request("kept"), request("half \ud800"), request("kept too"))

    answers = asyncio.run(main())
    assert "failed" in answers
    assert stored(path) == ["kept", "kept too"]
    assert "a deferred write was refused" in caplog.text


def test_an_answer_abandoned_with_its_event_loop_does_not_break_later_writes(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    db = Database(path)

    async def abandoned() -> None:
        db.defer(WRITE, {"source": "abandoned", "spec": {}})
        await db.committed()

    loop = asyncio.new_event_loop()
    task = loop.create_task(abandoned())
    loop.call_soon(loop.stop)  # stops after the request's first step: its write is queued, its flush is not run
    loop.run_forever()
    assert not task.done()
    loop.close()
    db.defer(WRITE, {"source": "later", "spec": {}})  # no loop running: written at once, with the queued one
    assert stored(path) == ["abandoned", "later"]


def test_a_run_s_reads_see_every_commit_and_hold_no_pooled_connection(tmp_path: Path) -> None:
    """Database.rows reads a database file on a connection of its own (out of the pool): each read sees what was
    committed before it, by any connection; /_mock/stats' checked-out count stays 0; release() closes it and the
    next read opens another."""
    path = tmp_path / "db.sqlite"
    db = Database(path)
    everything = select(ROWS.c.source).order_by(ROWS.c.source)
    assert db.rows(everything, {}) == []
    with closing(sqlite3.connect(path)) as other:
        other.execute("INSERT INTO script_defaults (source, spec) VALUES ('elsewhere', '{}')")
        other.commit()
    db.defer(WRITE, {"source": "deferred", "spec": {}})
    db.flush()
    assert db.rows(everything, {}) == [("deferred",), ("elsewhere",)]
    assert db.checked_out() == 0
    db.release()
    assert db.first(everything, {}) == ("deferred",)
    db.dispose()


def test_a_time_is_stored_as_sqlalchemy_writes_it(tmp_path: Path) -> None:
    """Deferred rows' UTC times are written by isoformat (Database._prepared), the text SQLAlchemy's SQLite DATETIME
    writes: the UTC time's fields, each padded, whatever the offset it was given in; a naive time is refused, as
    SQLModel's column refuses it."""
    db = Database(tmp_path / "db.sqlite")
    insert_call = insert(table(LlmCallRow))
    moments = [datetime(2026, 11, 23, 12, 36, 42, 994991, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC),
               datetime(1000, 1, 1, 3, tzinfo=timezone(timedelta(hours=5))),
               datetime(2026, 12, 31, 20, tzinfo=timezone(timedelta(hours=-7, minutes=-15)))]
    for n, moment in enumerate(moments):
        db.defer(insert_call, {"id": UUID(int=n + 1), "flow_id": None, "session_id": "s", "component_id": "c",
                               "rule_id": None, "input": "", "prompt": "", "reply": None, "error": None,
                               "timestamp": moment})
    db.flush()
    with closing(sqlite3.connect(tmp_path / "db.sqlite")) as conn:
        stored_times = [row[0] for row in conn.execute("SELECT timestamp FROM llm_call ORDER BY rowid")]
    assert stored_times == ["2026-11-23 12:36:42.994991", "2026-01-01 00:00:00.000000",
                            "0999-12-31 22:00:00.000000", "2027-01-01 03:15:00.000000"]
    db.defer(insert_call, {"id": UUID(int=9), "flow_id": None, "session_id": "s", "component_id": "c", "rule_id": None,
                           "input": "", "prompt": "", "reply": None, "error": None, "timestamp": datetime(2026, 1, 1)})
    db.flush()  # refused (and logged), as the column refuses it
    with closing(sqlite3.connect(tmp_path / "db.sqlite")) as conn:
        assert conn.execute("SELECT count(*) FROM llm_call").fetchone()[0] == len(moments)
    db.dispose()
