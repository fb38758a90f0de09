"""A table (Langflow's DataFrame) as the mock hands it between components: a list of rows, each a dict of column
to value, as the Message History's `dataframe` output makes one of the session's messages.

Written out as text it is what lfx's safe_convert makes of a DataFrame: pandas' to_markdown, which is tabulate's
pipe table of the rows; tabulate itself writes it here (the release Langflow 1.13.0 runs), after the same
tidying of each text cell.
"""

from __future__ import annotations

import re
from typing import Any

Row = dict[str, Any]

_LINE_ENDS = re.compile(r"\r\n?")
_BLANK = re.compile(r"^\s*$")
_BREAKS = re.compile(r"\n+")
_OUTER_BREAKS = re.compile(r"^\n+|\n+$")


def columns(rows: list[Row]) -> list[str]:
    """The table's columns: every key of its rows, in the order they first appear (as pandas makes them)."""
    return list(dict.fromkeys(key for row in rows for key in row))


def markdown(rows: list[Row], *, clean: bool, breaks: bool) -> str:
    """The rows as lfx's safe_convert writes a DataFrame: with `clean` (a Chat Output's Basic Clean Data) a text
    cell of blanks emptied and runs of line breaks made one; with `breaks` (1.13) line endings made \\n, a text
    cell's outer line breaks dropped and the rest written <br/>; then "|" escaped, and tabulate's pipe table of it.
    No row: no text."""
    from tabulate import tabulate  # (imported only when a table is written out)

    names = columns(rows)
    if not names:
        return ""

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if breaks:
            value = _LINE_ENDS.sub("\n", value)
        if clean:
            value = _BREAKS.sub("\n", _BLANK.sub("", value))
        if breaks:
            value = _OUTER_BREAKS.sub("", value).replace("\n", "<br/>")
        return value.replace("|", "\\|")

    table = [[cell(row.get(name)) for name in names] for row in rows]
    return str(tabulate(table, headers=names, tablefmt="pipe"))
