"""The SQL that makes a new database's tables and indexes (schema.sql), derived from the tables of models.py.

A new database gets its schema by running schema.sql (Database.__init__) instead of SQLAlchemy compiling every
CREATE at each start: the compiler's first use held about 0.3 MiB of every start-up's RSS and took about 8 ms
(benchmarks/README.md, fix 50). The tables are defined in models.py only; schema.sql is generated from them, as
openapi/ is from the app, and tests/unit/test_schema.py fails when it is stale. To write it again:

    python -m mock_langflow.store.schema
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
HEADER = "-- Generated from mock_langflow/store/models.py by `python -m mock_langflow.store.schema`: do not edit.\n"


def statements(text: str) -> list[str]:
    """schema.sql's statements, one per `;` that ends a line."""
    return [statement for statement in text.split(";\n") if statement.strip()]


def ddl() -> str:
    """schema.sql's text: each table's CREATE in the order create_all makes them (a table after those it
    refers to), each followed by its indexes' CREATEs by name, as SQLAlchemy compiles them for SQLite."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    from mock_langflow.store.models import FIRST_USE_TABLES, all_tables

    all_tables()

    dialect = sqlite.dialect()
    parts: list[str] = []
    for table in (t for t in SQLModel.metadata.sorted_tables if t.name not in FIRST_USE_TABLES):
        parts.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        parts.extend(str(CreateIndex(index).compile(dialect=dialect)).strip()
                     for index in sorted(table.indexes, key=lambda index: str(index.name)))
    return HEADER + "".join(f"{part};\n" for part in parts)


if __name__ == "__main__":
    import sys

    SCHEMA_SQL.write_text(ddl(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_SQL}\n")
