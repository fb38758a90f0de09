"""The SQL that makes a new database's tables and indexes (schema.sql), derived from the tables of models.py.

A new database gets its schema by running schema.sql (Database.__init__) instead of SQLAlchemy compiling every
CREATE at each start: the compiler's first use held about 0.3 MiB of every start-up's RSS and took about 8 ms
(benchmarks/README.md, fix 50). The tables are defined in models.py only; schema.sql is generated from them, as
openapi/ is from the app, and tests/unit/test_schema.py fails when it is stale. To write it again:

    python -m mock_langflow.store.schema

Its second line is the fingerprint of every table's shape (those made on first use too): a database whose
fingerprint (SQLite's application_id) is the current one has every table as the current models make it, so a
kept data dir's start skips the mending (Database.__init__), which imported every rarely used feature's store
to compare each table with its model (benchmarks/README.md, fix 73).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
HEADER = "-- Generated from mock_langflow/store/models.py by `python -m mock_langflow.store.schema`: do not edit.\n"


FINGERPRINT = "-- fingerprint: "


def statements(text: str) -> list[str]:
    """schema.sql's statements, one per `;` that ends a line."""
    return [statement for statement in text.split(";\n") if statement.strip()]


def fingerprint(text: str) -> int:
    """The tables' fingerprint, from schema.sql's second line (0: none there)."""
    lines = text.split("\n", 2)
    line = lines[1] if len(lines) > 1 else ""
    return int(line[len(FINGERPRINT):]) if line.startswith(FINGERPRINT) else 0


def ddl() -> str:
    """schema.sql's text: each table's CREATE in the order create_all makes them (a table after those it
    refers to), each followed by its indexes' CREATEs by name, as SQLAlchemy compiles them for SQLite."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    from mock_langflow.store.models import FIRST_USE_TABLES, all_tables

    all_tables()

    dialect = sqlite.dialect()
    made: list[str] = []  # every table's statements; schema.sql runs those of the tables a new database gets
    parts: list[str] = []
    for table in SQLModel.metadata.sorted_tables:
        statements_ = [str(CreateTable(table).compile(dialect=dialect)).strip(),
                       *(str(CreateIndex(index).compile(dialect=dialect)).strip()
                         for index in sorted(table.indexes, key=lambda index: str(index.name)))]
        made.extend(statements_)
        if table.name not in FIRST_USE_TABLES:
            parts.extend(statements_)
    # 31 bits of the hash of the statements and of which tables wait for their first use (a table a new database
    # now makes is missing from one an older mock made), never 0 (SQLite's application_id is a signed 32-bit
    # integer, 0 when unset)
    shapes = "\n".join([*sorted(made), *sorted(FIRST_USE_TABLES)]).encode()
    digest = int.from_bytes(hashlib.sha256(shapes).digest()[:4], "big") >> 1 or 1
    return HEADER + f"{FINGERPRINT}{digest}\n" + "".join(f"{part};\n" for part in parts)


if __name__ == "__main__":
    import sys

    SCHEMA_SQL.write_text(ddl(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_SQL}\n")
