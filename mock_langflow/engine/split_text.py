"""lfx's Split Text: the text of what it is handed cut into chunks (engine/chunking.py's character splitter), a
table of a row per chunk, each carrying the fields of the item it came from.

What it reads: a Message as its fields (its text under "text", whatever the Text Key); JSON as its fields, the Text
Key's value the text (str() of a value that is no text, "" without one); a table row by row the same way, the Text
Key a column it must have. The rows: the item's other fields then "text" (unless the item kept a field of that
name, which stays), or "text" alone with Clean Output; then, before 1.7.1's lfx, the columns reordered (texts
first, system fields last: smart_column_order)."""

from __future__ import annotations

import copy
from typing import Any

from mock_langflow.engine.chunking import MOST_CHUNKS, TooManyChunks, split_on

Row = dict[str, Any]

# lfx's exceptions, word for word: TypeErrors lfx's Component prefixes with the method it ran
NOTHING_HANDED = "No data inputs provided"
EMPTY_TABLE = "DataFrame is empty"
NO_DATA = "No valid Data inputs found in <class '{kind}'>"
SPLITTING = "Error splitting text: {error}"
# a ValueError (pandas' columns checked as the table's Text Key is set), its table class named
NO_TEXT_COLUMN = "Text key '{key}' not found in {table_class} columns"

# lfx's DataFrame.smart_column_order: content columns first, then the others, then these and those named "_..."
_CONTENT = frozenset({"text", "content", "output", "summary", "result", "answer", "response"})
_SYSTEM = frozenset({"timestamp", "sender", "sender_name", "session_id", "context_id", "flow_id", "files", "error",
                     "edit"})


class Refused(Exception):
    """What Split Text raised: its text and the class of the exception."""

    def __init__(self, text: str, error_type: str = "TypeError") -> None:
        super().__init__(text)
        self.text, self.error_type = text, error_type


def separator(raw: str) -> str:
    """The Separator field as lfx reads it: "/n" and "/t" the characters, then each "\\n" typed as text a line
    break (a typed "\\t" stays as it is)."""
    fixed = {"/n": "\n", "/t": "\t"}.get(raw, raw)
    return fixed.replace("\\n", "\n")


def keep_mode(raw: Any, *, lowered: bool) -> bool | str:
    """Keep Separator as lfx hands it to langchain: "False"/"True" (any case) as booleans; "Start"/"End" as they
    are, or (`lowered`: 1.13) in lower case, which alone makes "End" keep each separator on the piece before it."""
    if not isinstance(raw, str):
        return bool(raw)
    low = raw.lower()
    if low in ("false", "true"):
        return low == "true"
    return low if lowered else raw


def documents(message: Row | None, data: Row | None, table: list[Row] | None, *, given: bool, text_key: str,
              table_class: str) -> list[tuple[str, Row]]:
    """The (text, fields) of each item handed in: a Message's fields, JSON, or a table's rows (`given`: something
    was connected, though none of the three). Raises Refused as lfx's method does."""
    if table is not None:
        if not table:
            raise Refused(EMPTY_TABLE)
        if all(text_key not in row for row in table):
            raise Refused(NO_TEXT_COLUMN.format(key=text_key, table_class=table_class), "ValueError")
        return [_document(row, text_key) for row in table]
    if message is not None:  # (Message.to_data: its text is read under "text", whatever the Text Key says)
        return [_document(message, "text")]
    if data is not None:
        return [_document(data, text_key)]
    if given:  # (a bare text: lfx looks for Data among its characters)
        raise Refused(NO_DATA.format(kind="str"))
    raise Refused(NOTHING_HANDED)


def _document(item: Row, text_key: str) -> tuple[str, Row]:
    fields = dict(item)
    text = fields.pop(text_key, "")
    return (text if isinstance(text, str) else str(text)), fields


def chunk_rows(items: list[tuple[str, Row]], *, sep: str, chunk_size: int, chunk_overlap: int, keep: bool | str,
               clean: bool, ordered: bool) -> list[Row]:
    """The table's rows: each item's chunks with a copy of its fields (`clean`: the chunk alone); `ordered`: the
    columns as smart_column_order puts them. Raises Refused with the splitter's refusal of the sizes."""
    rows: list[Row] = []
    for text, fields in items:
        try:
            chunks = split_on(text, sep, chunk_size=chunk_size, chunk_overlap=chunk_overlap, keep=keep)
        except ValueError as exc:
            raise Refused(SPLITTING.format(error=exc)) from None
        if len(rows) + len(chunks) > MOST_CHUNKS:  # (a table's rows each split)
            raise Refused(SPLITTING.format(error=TooManyChunks()))
        for chunk in chunks:
            row = {} if clean else copy.deepcopy(fields)
            row.setdefault("text", chunk)  # (lfx's Data keeps a "text" field it was given over the chunk)
            rows.append(row)
    if clean or not ordered or not rows:
        return rows
    names = list(dict.fromkeys(name for row in rows for name in row))
    content = [n for n in names if n.lower() in _CONTENT]
    system = [n for n in names if n.lower() in _SYSTEM or n.startswith("_")]
    order = content + [n for n in names if n not in content and n not in system] + system
    return [{name: row.get(name) for name in order} for row in rows]
