"""What Langflow's Parser component (ParserComponent) makes of its input: a template filled from each JSON item
(str.format_map, a key it lacks empty), or the input written out as text (Stringify).

The template is filled by Python's own str.format_map, as lfx fills it, so a malformed template or a field that
cannot be read fails with Python's own words ("Format string contains positional fields", "Single '}' encountered
in format string", "'str' object has no attribute 'x'"), which the run shows as Langflow shows them.
"""

from __future__ import annotations

import re
import string
from typing import Any

# A format width or precision past this is refused rather than built (README, deliberate differences): Langflow
# would build a string that long, which no contract test needs and which could exhaust the mock's memory.
WIDEST = 1_000_000
TOO_WIDE = (f"mock-langflow refuses a format width or precision over {WIDEST:,} in the Parser's template "
            "(Langflow would build a text that long)")
UNSUPPORTED = "Unsupported input type: <class '{kind}'>. Expected {expected}."
EXPECTED, EXPECTED_SINGLE = "DataFrame, Data, or list[Data]", "DataFrame or Data"  # 1.13's; lfx 0.3/0.2's
CONVERTED = "Converted to string with length: {length}"

_BLANK_LINE = re.compile(r"^\s*$", re.MULTILINE)
_MANY_BREAKS = re.compile(r"\n{3,}")
_NUMBER = re.compile(r"\d+")


class _Item(dict[str, Any]):
    """One JSON item's keys, as the template reads them: a key it lacks reads as an empty text."""

    def __missing__(self, key: str) -> str:
        return ""


def too_wide(pattern: str, item: dict[str, Any]) -> bool:
    """Whether the template asks for a width or precision past WIDEST in a format spec, written out or given by a
    key of the item (`{name:>{width}}`). A template Python cannot parse is not judged here: filling it fails with
    Python's words."""
    try:
        fields = [(spec, [inner for _, inner, _, _ in string.Formatter().parse(spec) if inner])
                  for _, name, spec, _ in string.Formatter().parse(pattern) if name is not None and spec]
    except ValueError:
        return False
    return any(int(number) > WIDEST for spec, nested in fields
               for number in _NUMBER.findall(" ".join([spec, *(str(item.get(key, "")) for key in nested)])))


def filled(pattern: str, item: dict[str, Any]) -> str:
    """The template filled from one item (str.format_map raises what Python raises)."""
    return pattern.format_map(_Item(item))


def filled_row(pattern: str, row: dict[str, Any]) -> str:
    """The template filled from one row of a table, its columns as keywords (str.format: a column the row lacks
    is a KeyError, a positional field an IndexError)."""
    return pattern.format(**row)


def clean(text: str) -> str:
    """lfx's clean_string, which Stringify applies to a text it writes: lines of blanks emptied, three or more line
    breaks made two."""
    return _MANY_BREAKS.sub("\n\n", _BLANK_LINE.sub("", text))
