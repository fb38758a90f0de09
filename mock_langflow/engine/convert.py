"""Type Convert (lfx's TypeConverterComponent): what a Message, JSON or a table becomes as each of the three.

A Message is JSON as {"text": its text}, or with Auto Parse what its text holds: a JSON object, a list of objects
(as {"records": [...]}) or CSV (read by pandas, as records). JSON is a Message of its "text" value, else Python's
str of it, and a table of its one list of objects, else of itself as one row. A table is JSON as {"results": its
rows} and a Message of its pipe table (engine/table.py).
"""

from __future__ import annotations

import json
from typing import Any

from mock_langflow.engine import table
from mock_langflow.jsonsafety import jsonable

MESSAGE, DATA, TABLE = "message_output", "data_output", "dataframe_output"
OUTPUTS = (MESSAGE, DATA, TABLE)
# what lfx's method for each output is called on when nothing was handed in
METHODS = {MESSAGE: "to_message", DATA: "to_data", TABLE: "to_dataframe"}
NOTHING_HANDED = "'NoneType' object has no attribute '{method}'"


def message_text(data: dict[str, Any]) -> Any:
    """JSON as a Message's text (lfx's Data.to_message): its "text" value, else Python's str of the whole item."""
    return data["text"] if "text" in data else str(data)


BUILT = "Built Successfully ✨"  # lfx's artifact of a value it has no better way to show


def pending(value: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A Message made of a value that is no text (1.13 keeps it as its pending text stream): the text a Chat Output
    writes of it (str() of a truthy value, else nothing), the entry its output shows, and its artifact's raw and
    type (lfx's get_artifact_type and post_process_raw: an object as itself, a list as the str() of each item,
    anything else "Built Successfully ✨", whose output entry is typed text). None: an empty text."""
    if value is None:
        return "", {"message": "", "type": "text"}, {"raw": "", "type": "text"}
    if isinstance(value, dict):
        raw, kind = jsonable(value), "object"
    elif isinstance(value, list):
        raw, kind = [str(item) for item in value], "array"
    else:
        raw, kind = BUILT, "unknown"
    entry = {"message": raw, "type": "text" if kind == "unknown" else kind}
    return str(value) if value else "", entry, {"raw": raw, "type": kind}


def as_data(text: str, *, auto_parse: bool) -> dict[str, Any]:
    """A Message's text as JSON: {"text": text}, or with Auto Parse the structure the text holds, where it holds
    one."""
    found = parsed(text) if auto_parse else None
    return {"text": text} if found is None else found


def parsed(text: str) -> dict[str, Any] | None:
    """The structure text holds, as lfx's parse_structured_data reads it, else None: after a byte order mark and
    outer blanks, a JSON object; a JSON list of objects (every item one) as {"records": the list}; CSV, where
    there are two lines or more and the first has a comma, as {"records": pandas' read_csv rows}."""
    stripped = text.lstrip("\ufeff").strip()
    try:
        found = json.loads(stripped)
    except (ValueError, RecursionError):  # (a JSONDecodeError is a ValueError)
        found = None
    if isinstance(found, dict):
        return found
    if isinstance(found, list) and all(isinstance(item, dict) for item in found):
        return {"records": found}
    lines = stripped.split("\n")
    if len(lines) > 1 and "," in lines[0]:
        records = table.csv_records(stripped)
        if records is not None:
            return {"records": records}
    return None


def table_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """JSON as the records of a table (lfx's Data.to_dataframe): the objects of its one key, where it has one key
    and that holds a list of objects; else the item itself, one row."""
    if len(data) == 1:
        (only,) = data.values()
        if isinstance(only, list) and all(isinstance(item, dict) for item in only):
            return only
    return [data]
