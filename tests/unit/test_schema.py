"""A new database's schema comes from store/schema.sql, generated from the tables of store/models.py."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlmodel import SQLModel, create_engine

from mock_langflow.store.db import Database
from mock_langflow.store.models import A2A_PUSH_CONFIGS, A2A_TASKS, FIRST_USE_TABLES, KNOWLEDGE_BASES, all_tables
from mock_langflow.store.schema import SCHEMA_SQL, ddl
from tests.conftest import as_an_older_mock_left_it


def master(path: Path) -> list[tuple[str, str, str, str]]:
    """What the database's schema holds: every table and index with the SQL that made it."""
    with closing(sqlite3.connect(path)) as conn, conn:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                            "ORDER BY type, name").fetchall()
    return [(kind, name, table, " ".join((sql or "").split())) for kind, name, table, sql in rows]


def test_schema_sql_is_what_the_tables_make() -> None:
    assert SCHEMA_SQL.read_text(encoding="utf-8") == ddl(), (
        "mock_langflow/store/schema.sql is stale: run `python -m mock_langflow.store.schema` and commit it")


def test_a_new_data_dir_gets_the_schema_sqlalchemy_would_make(tmp_path: Path) -> None:
    all_tables()  # those of rarely used features too, which their first use registers
    db = Database(tmp_path / "new" / "mock.db")
    db.engine.dispose()
    compiled = tmp_path / "compiled.db"
    engine = create_engine(f"sqlite:///{compiled}")
    # (the tables of features that make them on first use are not made by a start)
    SQLModel.metadata.create_all(engine, tables=[t for t in SQLModel.metadata.sorted_tables
                                                 if t.name not in FIRST_USE_TABLES])
    engine.dispose()
    made = master(tmp_path / "new" / "mock.db")
    assert made == master(compiled)
    assert {name for kind, name, _, _ in made if kind == "table"} == set(SQLModel.metadata.tables) - FIRST_USE_TABLES


def test_a_feature_makes_its_tables_on_first_use(tmp_path: Path) -> None:
    """Knowledge bases' tables are not made by a start, and are by the first knowledge-base use, with their
    indexes; a kept database that has them keeps them."""
    from mock_langflow.store import Store

    path = tmp_path / "kb" / "mock.db"
    Database(path).engine.dispose()
    assert KNOWLEDGE_BASES not in {name for _, name, _, _ in master(path)}
    store = Store.__new__(Store)
    store.db, store._ids, store._clock = Database(path), None, None
    assert store.knowledge_bases is not None
    store.db.engine.dispose()
    made = {name for _, name, _, _ in master(path)}
    assert {KNOWLEDGE_BASES, "ix_knowledge_base_chunk_kb_id"} <= made
    Database(path).engine.dispose()
    assert KNOWLEDGE_BASES in {name for _, name, _, _ in master(path)}


def test_a_kept_data_dir_without_the_a2a_tables_gets_them(tmp_path: Path) -> None:
    """A2A's tables are defined with its store, imported on the first A2A call; a kept database that lacks them
    (made by a mock before A2A) still gets them, with their indexes, at the next start."""
    path = tmp_path / "kept" / "mock.db"
    Database(path).engine.dispose()
    as_an_older_mock_left_it(path, f"DROP TABLE {A2A_TASKS}", f"DROP TABLE {A2A_PUSH_CONFIGS}")
    Database(path).engine.dispose()
    fresh = tmp_path / "fresh" / "mock.db"
    Database(fresh).engine.dispose()
    assert master(path) == master(fresh)
