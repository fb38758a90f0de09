"""A table (Langflow's DataFrame) as the mock hands it between components: a list of rows, each a dict of column
to value, as the Message History's `dataframe` output makes one of the session's messages.

Written out as text it is what lfx's safe_convert makes of a DataFrame: pandas' to_markdown, which is tabulate's
pipe table of the rows; tabulate itself writes it here (the release Langflow 1.13.0 runs), after the same
tidying of each text cell.

A table a component makes from JSON or text (Type Convert) is pandas' DataFrame of it, as in lfx: pandas (imported
only then) decides its columns, fills a row's missing cells with NaN (turning a column of integers with a gap into
floats), reads CSV and writes the table's repr; the rows it gives back are what the mock hands on.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

Row = dict[str, Any]

_LINE_ENDS = re.compile(r"\r\n?")
_BLANK = re.compile(r"^\s*$")
_BREAKS = re.compile(r"\n+")
_OUTER_BREAKS = re.compile(r"^\n+|\n+$")


def columns(rows: list[Row]) -> list[str]:
    """The table's columns: every key of its rows, in the order they first appear (as pandas makes them)."""
    return list(dict.fromkeys(key for row in rows for key in row))


def markdown(rows: list[Row], *, clean: bool, breaks: bool, br: bool | None = None,
             names: list[str] | None = None, numbers: str = "0.10") -> str:
    """The rows as lfx's safe_convert writes a DataFrame: with `clean` (a Chat Output's Basic Clean Data) a text
    cell of blanks emptied and runs of line breaks made one; with `breaks` (1.13) line endings made \\n and a text
    cell's outer line breaks dropped; with `br` (as `breaks` unless given) the rest written <br/>; then "|"
    escaped, and tabulate's pipe table of it under its columns (`names`, else its rows'). No column: no text.
    `numbers`: the tabulate release whose rules tell a column of numbers (profile run.table_numbers): 0.10 reads an
    empty text as missing and "1,000" as a number; 0.9 (lfx 0.3/0.2's) reads both as text, which makes their
    column one of texts (aligned left, its numbers written as they are)."""
    from tabulate import tabulate  # (imported only when a table is written out)

    names = columns(rows) if names is None else names
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
            value = _OUTER_BREAKS.sub("", value)
        if breaks if br is None else br:
            value = value.replace("\n", "<br/>")
        return value.replace("|", "\\|")

    table = [[cell(row.get(name)) for name in names] for row in rows]
    texts = [i for i in range(len(names)) if any(_text_before_0_10(line[i]) for line in table)] \
        if numbers == "0.9" else []
    return str(tabulate(table, headers=names, tablefmt="pipe", disable_numparse=texts or False))


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def _text_before_0_10(value: Any) -> bool:
    """Whether tabulate 0.9 reads a cell as text where 0.10 does not: an empty text, a number with thousands
    separators."""
    return isinstance(value, str) and (value == "" or _THOUSANDS.fullmatch(value.strip()) is not None)


def message_markdown(rows: list[Row], *, numbers: str = "0.10") -> str:
    """A table as lfx's DataFrame.to_message writes it (Type Convert's Message): a row with no value dropped, each
    text cell cleaned (Basic Clean Data), its line breaks written <br/> and "|" escaped, then the pipe table."""
    kept = [row for row in rows if not all(missing(value) for value in row.values())]
    return markdown(kept, clean=True, breaks=False, br=True, names=columns(rows), numbers=numbers)


def missing(value: Any) -> bool:
    """Whether pandas counts a cell as empty: None, or a float NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _frame_class(name: str, whole: bool) -> Any:
    """pandas' DataFrame under lfx's name for a table (profile run.table_class), which an empty one's repr shows;
    `whole`: its repr writes every cell whole (1.13's Table), else pandas cuts one past 50 characters."""
    import pandas  # (imported only when a component makes a table)

    if not whole:
        return type(name, (pandas.DataFrame,), {})

    def whole_repr(self: Any) -> str:
        with pandas.option_context("display.max_colwidth", None):
            return str(pandas.DataFrame.__repr__(self))

    return type(name, (pandas.DataFrame,), {"__repr__": whole_repr, "__str__": whole_repr})


def made(records: list[Row], class_name: str, *, whole: bool) -> tuple[list[Row], str]:
    """A table made of JSON records as pandas makes it: its rows (every column in each, NaN where a record had
    none) and its repr (what lfx shows as the status of the component that made it; `whole`: see _frame_class)."""
    frame = _frame_class(class_name, whole)(records)
    return frame.to_dict(orient="records"), str(frame)


def shown(rows: list[Row], class_name: str, *, whole: bool) -> str:
    """The repr of a table the component was handed (rows pandas already made, so no need of them again)."""
    return str(_frame_class(class_name, whole)(rows))


def csv_file_records(data: bytes) -> list[Row]:
    """A CSV file's bytes as pandas' read_csv reads the file (UTF-8), as records; pandas' error where it cannot."""
    from io import BytesIO

    import pandas

    records: list[Row] = pandas.read_csv(BytesIO(data)).to_dict(orient="records")
    return records


def csv_records(text: str) -> list[Row] | None:
    """Text read as CSV by pandas' read_csv, as a list of records; None where pandas cannot read it."""
    from io import StringIO

    import pandas

    try:
        frame = pandas.read_csv(StringIO(text))
    except Exception:  # noqa: BLE001  # (lfx keeps the text as it was whatever read_csv raised)
        return None
    records: list[Row] = frame.to_dict(orient="records")
    return records

