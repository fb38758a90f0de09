"""The SQLite database behind every stored thing: one engine, WAL, short transactions."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import CreateColumn
from sqlalchemy.sql import Executable, Select
from sqlmodel import Session, SQLModel, col, create_engine, delete, select
from sqlmodel.sql.sqltypes import UTCDateTime

from mock_langflow.jsonsafety import dump_stored, load_stored
from mock_langflow.store.schema import SCHEMA_SQL, fingerprint, statements

logger = logging.getLogger(__name__)

# SQLite's integers are 64-bit; Python's, and so a query parameter's, are not.
SQL_INT_MAX = 2**63 - 1


def sql_int(value: int) -> int:
    """An offset or limit clamped to what SQLite can bind: ?page=10**20 reads past the end (no rows) instead of
    failing with OverflowError."""
    return max(min(value, SQL_INT_MAX), -SQL_INT_MAX)


# Bump when a table changes shape in a way start-up cannot mend (a new column that is NOT NULL without a server
# default, say): an older database is then moved aside rather than misread. New nullable columns, columns that may
# now be null, and new indexes are added to a kept database in place.
SCHEMA_VERSION = 1


def table(model: type[SQLModel]) -> Table:
    """The Core table of a table model (for statements built once, at import)."""
    found: Table = model.__table__  # type: ignore[attr-defined]
    return found


def clear_tables(s: Session, *names: str) -> None:
    """Empty tables by name: those whose classes are defined on first use (store/models.py LAZY_TABLE_MODULES),
    which a start or a reset clears without importing them; one made on first use (FIRST_USE_TABLES) only once
    it is there."""
    from mock_langflow.store.models import FIRST_USE_TABLES

    for name in names:
        if name not in FIRST_USE_TABLES or table_made(s, name):
            s.connection().exec_driver_sql(f'DELETE FROM "{name}"')  # nosec B608 (the mock's own table names)


def queue_event(s: Session, row: Any, *, expired: Any, scope: tuple[Any, ...] = (), keep: int) -> None:
    """Add `row` to an event queue table (1.13's flow and extension event queues, kept as lfx's own SQLite queues
    keep theirs): the rows `expired` selects go first, then all but the `keep` newest of those `scope` selects
    (every row without one). The table has an autoincrement `id` and a `ts`."""
    table = type(row)
    s.exec(delete(table).where(expired))
    s.add(row)
    s.flush()
    newest = select(table.id).where(*scope).order_by(col(table.ts).desc(), col(table.id).desc()).limit(keep)
    s.exec(delete(table).where(*scope, col(table.id).not_in(newest)))


def delete_rows(s: Session, model: Any, *where: Any) -> int:
    """Delete the rows of `model` that match; how many went."""
    result = s.exec(delete(model).where(*where))  # type: ignore[call-overload]
    return int(result.rowcount or 0)


def table_made(s: Session, name: str) -> bool:
    """Whether the database has the table (FIRST_USE_TABLES: not until its feature's first use)."""
    found = s.connection().exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.first() is not None


def _settle(waiters: list[asyncio.Future[None]], error: BaseException | None) -> None:
    """Wake committed() callers, from whichever thread flushed. A caller that gave up (its request was
    cancelled, its loop closed) has nothing to wake."""
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    for waiter in waiters:
        if waiter.done():
            continue
        loop = waiter.get_loop()
        if running is loop:
            _wake(waiter, error)
        elif not loop.is_closed():
            try:
                loop.call_soon_threadsafe(_wake, waiter, error)
            except RuntimeError:  # closed in between
                pass


def _wake(waiter: asyncio.Future[None], error: BaseException | None) -> None:
    if waiter.done():
        return
    if error is None:
        waiter.set_result(None)
    else:
        waiter.set_exception(error)


class Database:
    """Owns the engine. `path=None` keeps everything in memory (one shared connection).

    Writes that only append a record (the request journal, messages, transactions, scripted-LLM calls, use
    counters) can be `defer`red: they are written together, in one transaction, as soon as the event loop
    is free again, and always before any session starts, so every read still sees every earlier write, and
    before a response's status goes out (ControlLayer), so every answered write is committed.
    A request that ran a flow thus costs one commit instead of ten (benchmarks/README.md).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._pending: list[tuple[Executable, dict[str, Any]]] = []
        self._lock = threading.RLock()
        self._scheduled_on: asyncio.AbstractEventLoop | None = None  # the loop a flush is queued on
        self._waiters: list[asyncio.Future[None]] = []  # committed() calls waiting for the queued flush
        self._compiled: dict[tuple[int, tuple[str, ...]], tuple[str, list[Callable[[Any], Any]]]] = {}
        self._readers: dict[int, list[Callable[[Any], Any] | None]] = {}  # first(): each column's result processor
        self.open_sessions = 0  # sessions entered and not yet left (GET /_mock/stats)
        # Whether this start made the database (it had no table yet): then no row in it is a previous server's,
        # and a start's clean-up has nothing to read there (build_state).
        self.new = True
        self._count_lock = threading.Lock()
        if path is None:
            self.engine: Engine = create_engine(
                "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool,
                json_serializer=dump_stored, json_deserializer=load_stored,
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._retire_if_old(path)
            self.engine = create_engine(
                f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30},
                json_serializer=dump_stored, json_deserializer=load_stored,
            )
        event.listen(self.engine, "connect", self._on_connect)
        # rows() and flush(): a database file's connections for the reads every run makes and for the deferred
        # writes, out of the pool (checking one out and back in cost a read more than its query); each made on
        # first use as the pool makes one (_on_connect), closed with the pool's
        self._reader: list[Any] = [None]
        self._reader_lock = threading.Lock()
        self._writer: list[Any] = [None]  # (under self._lock)
        # An app dropped without dispose() (a test's create_app) closes its connections as it goes: left to the
        # collector, each is a ResourceWarning on Python 3.13. dispose() runs the same closer, once.
        self._close = weakref.finalize(self, _close_all, self.engine, self._reader, self._writer)
        from mock_langflow.store import models  # (registers the tables)

        with self.engine.connect() as conn:
            # The driver (pysqlite) runs DDL outside any transaction of its own, so each CREATE was a commit:
            # 49 of them, two thirds of a fresh database's set-up. One explicit transaction makes the schema
            # in one commit, and all or nothing. IMMEDIATE: the write lock first, waiting for a server's write
            # if one is under way; a plain BEGIN read the schema, then could not write (a server had committed
            # meanwhile) and failed at once with "database is locked".
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            kept = {name for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
            self.new = not kept
            schema = SCHEMA_SQL.read_text(encoding="utf-8") if SCHEMA_SQL.exists() else ""
            current = fingerprint(schema)
            if not kept and current:  # a new database: the CREATEs generated from the tables (store/schema.py)
                for statement in statements(schema):
                    conn.exec_driver_sql(statement)
            # (a kept database holding the current fingerprint has every table as the current models make it)
            elif not current or conn.exec_driver_sql("PRAGMA application_id").scalar() != current:
                models.all_tables()  # every table, those of rarely used features too
                # Only the missing tables, without asking SQLite about each first (create_all's checkfirst):
                # `kept` has the answer already, and the 22 look-ups held about 0.35 MiB of every start-up.
                SQLModel.metadata.create_all(conn, tables=[table_ for table_ in SQLModel.metadata.sorted_tables
                                                           if table_.name not in kept
                                                           and table_.name not in models.FIRST_USE_TABLES],
                                             checkfirst=False)
                self._mend_kept_tables(conn, kept)
                self._add_missing_indexes(conn)
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.exec_driver_sql(f"PRAGMA application_id = {current}")
            conn.commit()

    @staticmethod
    def _mend_kept_tables(conn: Any, kept: set[str]) -> None:
        """create_all makes the tables that are missing, not the changes a newer mock made to a table an older one
        made; they are mended here, so a kept data dir keeps its data instead of being moved aside. `kept`: the
        tables the database had before this start-up (none, for a new one).
        - A new column (message.session_metadata) is added. SQLite adds only a column its existing rows can do
          without: nullable, or with a server default; any other new column needs SCHEMA_VERSION bumped instead.
        - A column that may now be null (message.context_id) but is NOT NULL there: SQLite cannot alter a column,
          so the table is made again in its new shape and its rows copied over. Only tables no foreign key points
          at are remade this way."""
        for table_ in SQLModel.metadata.sorted_tables:
            if table_.name not in kept:
                continue
            stored = conn.exec_driver_sql(f'PRAGMA table_info("{table_.name}")').fetchall()
            names = {row[1] for row in stored}  # (cid, name, type, notnull, default, pk)
            for column in table_.columns:
                if column.name in names:
                    continue
                if not (column.nullable or column.server_default is not None) or column.primary_key or column.unique:
                    raise RuntimeError(f"column {table_.name}.{column.name} cannot be added to a kept table: "
                                       "bump SCHEMA_VERSION")
                ddl = CreateColumn(column).compile(dialect=conn.dialect)
                conn.exec_driver_sql(f'ALTER TABLE "{table_.name}" ADD COLUMN {ddl}')
            strict = {row[1] for row in stored if row[3]}
            if any(c.nullable and c.name in strict for c in table_.columns):
                Database._remake(conn, table_, [row[1] for row in stored if row[1] in table_.columns])

    @staticmethod
    def _remake(conn: Any, table_: Table, kept_columns: list[str]) -> None:
        """The table made again in its current shape, its rows (these columns of them) copied over."""
        if any(fk.column.table is table_ for other in SQLModel.metadata.tables.values() for fk in other.foreign_keys):
            raise RuntimeError(f"table {table_.name} is referenced and cannot be remade")
        columns = ", ".join(f'"{name}"' for name in kept_columns)
        old = f"{table_.name}__old"
        conn.exec_driver_sql(f'ALTER TABLE "{table_.name}" RENAME TO "{old}"')
        for (index,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (old,)).fetchall():
            conn.exec_driver_sql(f'DROP INDEX "{index}"')
        table_.create(conn)
        # names from the mock's own table metadata, never from a request
        conn.exec_driver_sql(f'INSERT INTO "{table_.name}" ({columns}) SELECT {columns} FROM "{old}"')  # nosec B608
        conn.exec_driver_sql(f'DROP TABLE "{old}"')

    @staticmethod
    def _add_missing_indexes(conn: Any) -> None:
        """create_all makes the tables that are missing, not the indexes a newer mock added to a table an older
        one made: those are added here, so a kept data dir gets them without being moved aside."""
        present = {name for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        tables = {name for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table_ in SQLModel.metadata.sorted_tables:
            if table_.name not in tables:  # (a table made on first use, not yet: its indexes come with it)
                continue
            for index in table_.indexes:
                if index.name not in present:
                    index.create(conn)

    @staticmethod
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # WAL lets readers run beside the writer. synchronous=OFF still keeps every committed write through a
        # process crash (kill -9): the operating system has it. It never waits for the disk, which NORMAL
        # did at every WAL checkpoint: a third of a flow run's time (benchmarks/README.md). The price, fair
        # for a mock's test data: an OS crash or power cut may lose the data dir.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @staticmethod
    def _retire_if_old(path: Path) -> None:
        if not path.exists():
            return
        import sqlite3

        with closing(sqlite3.connect(path)) as conn:  # sqlite3's own `with` ends a transaction, not the connection
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            path.rename(path.with_suffix(f".v{version}.bak"))

    # --- deferred writes ----------------------------------------------------------------------------------

    def defer(self, statement: Executable, params: dict[str, Any]) -> None:
        """Write later, soon: at the next turn of the running event loop, before the next session or before the
        response's status, whichever comes first. Without a running loop (the CLI, a test calling the store) it
        is written at once.
        Only for statements that no later deferred statement of another kind depends on (appends, counters):
        a flush groups them by statement."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self._lock:
            self._pending.append((statement, params))
            if loop is not None:
                self._queue_flush(loop)
                return
        self.flush()

    async def committed(self) -> None:
        """Return once every write deferred so far is committed. The flush queued by defer() does it, on the
        next turn of the loop: requests answered in the same turn share one commit (a group commit), where
        flushing at once cost each of them a commit of its own (a third of a run's time under load)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if not self._pending:
                return
            self._queue_flush(loop)
            waiter = loop.create_future()
            self._waiters.append(waiter)
        await waiter

    def _queue_flush(self, loop: asyncio.AbstractEventLoop) -> None:
        """A flush on the next turn of `loop`, unless one is queued there already (under self._lock)."""
        if self._scheduled_on is not loop:
            self._scheduled_on = loop
            loop.call_soon(self.flush)

    def make(self, *names: str) -> None:
        """The tables of a feature whose store is imported now, made if missing (FIRST_USE_TABLES: schema.sql
        leaves them out); their indexes with them."""
        self.flush()
        tables = [SQLModel.metadata.tables[name] for name in names]
        SQLModel.metadata.create_all(self.engine, tables=tables)

    def flush(self) -> None:
        """Write every deferred statement in one transaction: each statement's rows in the order they came, as
        one executemany straight on the driver (compiled once, with SQLAlchemy's own bind processors, so the
        stored values are exactly what the ORM stores)."""
        with self._lock:
            pending, self._pending, self._scheduled_on = self._pending, [], None
            waiters, self._waiters = self._waiters, []
            if not pending:
                _settle(waiters, None)
                return
            try:
                self._write(pending)
            except Exception as exc:
                # One row the database refuses must not take the others of the batch (other requests' messages,
                # counters) with it: write them one by one, and fail the waiters with the refusal.
                for one in pending:
                    try:
                        self._write([one])
                    except Exception:
                        logger.exception("a deferred write was refused; the other writes of its batch were kept")
                _settle(waiters, exc)
                return
            except BaseException as exc:
                _settle(waiters, exc)
                raise
            _settle(waiters, None)

    def _write(self, pending: list[tuple[Executable, dict[str, Any]]]) -> None:
        groups: dict[tuple[int, tuple[str, ...]], tuple[Executable, list[dict[str, Any]]]] = {}
        for statement, params in pending:
            groups.setdefault((id(statement), tuple(params)), (statement, []))[1].append(params)
        pooled = self.path is None  # in memory: the database is the pool's one connection
        conn = self.engine.raw_connection() if pooled else self._own(self._writer)
        try:
            cursor = conn.cursor()
            for (_, keys), (statement, rows) in groups.items():
                sql, binds = self._prepared(statement, keys)
                cursor.executemany(sql, [_values(binds, row) for row in rows])
            cursor.close()
            conn.commit()
        except BaseException:
            try:
                conn.rollback()
            except BaseException:
                if not pooled:
                    _close_own(self._writer)  # the next flush opens another
                raise
            raise
        finally:
            if pooled:
                conn.close()

    def _own(self, holder: list[Any]) -> Any:
        """The connection in `holder`, made first if there is none: as the pool makes one, then detached from it."""
        if holder[0] is None:
            pooled = self.engine.raw_connection()
            pooled.detach()
            holder[0] = pooled.dbapi_connection
        return holder[0]

    def first(self, statement: Select[Any], params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of a select, read straight on the driver: compiled once, its values through
        SQLAlchemy's own bind and result processors, so the row holds what Core would have read. For the reads
        every request makes (a run's flow): Core's connection, execution context and result cost a tenth of a
        run. Like a Core read, it does not wait for deferred writes (appends and counters only)."""
        rows = self.rows(statement, params, limit=1)
        return rows[0] if rows else None

    def rows(self, statement: Select[Any], params: dict[str, Any], *,
             limit: int | None = None) -> list[tuple[Any, ...]]:
        """Every row of a select (at most `limit`), read as first() reads one: for the reads every run makes.
        An ORM session there would also write the deferred writes first, a commit per run that group commits
        otherwise share under load."""
        sql, binds = self._prepared(statement, tuple(params))
        results = self._readers.get(id(statement))
        if results is None:
            dialect = self.engine.dialect
            results = self._readers[id(statement)] = [
                column.type._cached_result_processor(dialect, None) for column in statement.selected_columns]
        values = _values(binds, params)
        if self.path is None:  # in memory: the database is the pool's one connection
            conn = self.engine.raw_connection()
            try:
                found = _fetch(conn, sql, values, limit)
            finally:
                conn.close()
        else:
            with self._reader_lock:
                try:
                    found = _fetch(self._own(self._reader), sql, values, limit)
                except BaseException:
                    _close_own(self._reader)  # the next read opens another
                    raise
        return [tuple(value if process is None or value is None else process(value)
                      for process, value in zip(results, row, strict=True)) for row in found]

    def _prepared(self, statement: Executable, keys: tuple[str, ...]) -> tuple[str, list[_Bind]]:
        """The SQL of a deferred statement and, per positional parameter, how to get its value from a row (_values):
        the row's value through SQLAlchemy's bind processor, or a literal of the statement (`uses + 1`)."""
        found = self._compiled.get((id(statement), keys))
        if found is None:
            compiled: Any = statement.compile(dialect=self.engine.dialect, column_keys=list(keys))
            processors = compiled._bind_processors
            binds: list[_Bind] = []
            for name in compiled.positiontup:
                processor = processors.get(name)
                if name not in keys:
                    if processor is not None:
                        raise ValueError(f"deferred statement needs a value for {name}")
                    binds.append((None, None, compiled.binds[name].value))
                else:
                    binds.append((name, _quick(compiled.binds[name].type, processor, self.engine.dialect), None))
            found = self._compiled[(id(statement), keys)] = (compiled.string, binds)
        return found

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back (nothing written) if it raises.
        Deferred writes are written first, so the session reads everything written before it."""
        self.flush()
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

    def shrink(self) -> None:
        """After a write that went through many pages (a retention cut of thousands of rows): the pooled
        connection's page cache emptied (SQLite's shrink_memory) and the heap the process freed handed back to the
        operating system. Without it such a cut kept about 4 MiB of RSS for good: the cache it filled and the
        freed memory glibc keeps (benchmarks/README.md). Under 1 ms; the cache fills again as reads need it."""
        if self.path is not None:  # (in memory, the cache is the database)
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA shrink_memory")
        _give_back_heap()

    def release(self) -> None:
        """When the app shuts down: close a database file's pooled connections (a later request opens new
        ones). An in-memory database lives in its one connection, which stays open until dispose()."""
        if self.path is not None:
            with self._reader_lock:
                _close_own(self._reader)
            with self._lock:
                _close_own(self._writer)
            self.engine.dispose()

    def dispose(self) -> None:
        """For good: write what is deferred and close every connection (an in-memory database is then gone).
        A connection left to the garbage collector is a ResourceWarning on Python 3.13, which a host's test run
        under `-W error` fails on."""
        self.flush()
        self._close()


def _fetch(conn: Any, sql: str, values: list[Any], limit: int | None) -> list[Any]:
    cursor = conn.cursor()
    try:
        cursor.execute(sql, values)
        return cursor.fetchall() if limit is None else cursor.fetchmany(limit)  # type: ignore[no-any-return]
    finally:
        cursor.close()  # (ends the statement, and with it the read's snapshot)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS); looked up once. (ctypes is imported
    here, not at start-up: about 0.3 MiB of every server's RSS for a call a long run makes now and then.)"""
    import ctypes

    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


def _give_back_heap() -> None:
    """Return the free memory of the C heap to the operating system, where the C library can."""
    if (trim := _malloc_trim()) is not None:
        trim(0)


def _close_own(holder: list[Any]) -> None:
    conn, holder[0] = holder[0], None
    if conn is not None:
        conn.close()


def _close_all(engine: Engine, reader: list[Any], writer: list[Any]) -> None:
    _close_own(reader)
    _close_own(writer)
    engine.dispose()


# A positional parameter of a prepared statement: (the row's key, its bind processor or None, None), or (None, None,
# the statement's literal value).
_Bind = tuple[str | None, Callable[[Any], Any] | None, Any]


def _values(binds: list[_Bind], row: dict[str, Any]) -> list[Any]:
    """A row's parameters: one comprehension, where a function per parameter cost each written row more than its
    values' processing (a run writes about twenty rows)."""
    return [fixed if key is None else row[key] if process is None else process(row[key])
            for key, process, fixed in binds]


# SQLite's DATETIME as SQLAlchemy writes it by default ('2026-11-23 12:36:42.994991', no offset)
_SQLITE_DATETIME = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"


def _quick(kind: Any, processor: Callable[[Any], Any] | None, dialect: Any) -> Callable[[Any], Any] | None:
    """The bind processor, or one that writes the same text the quick way: an aware time of a UTCDateTime column
    (SQLModel's: its UTC time, through SQLite's DATETIME format) by isoformat, cut before the offset (the format's
    fields one by one, each number padded as isoformat pads it), where the format took a few microseconds per
    value. Anything else (None, a naive time, which the processor refuses, a datetime subclass) takes the processor."""
    if processor is None or not isinstance(kind, UTCDateTime):
        return processor
    if getattr(kind.impl_instance.dialect_impl(dialect), "_storage_format", None) != _SQLITE_DATETIME:
        return processor

    def utc_text(value: Any) -> Any:
        if value.__class__ is not datetime or value.utcoffset() is None:
            return processor(value)
        return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]
    return utc_text
