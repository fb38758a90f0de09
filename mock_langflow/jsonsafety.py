"""JSON the mock can store and give back: no lone surrogates, no nesting deeper than it can serialise.

Python's json module accepts both, but neither survives the way back: SQLite cannot encode a lone surrogate
(UnicodeEncodeError on the write), and pydantic-core refuses to serialise anything nested 255 levels deep
("Circular reference detected (depth exceeded)"), so a flow stored that deep could never be read or listed
again. Such bodies are refused at the door instead, before anything is written.

Both checks start with a byte-level test that costs next to nothing, so an ordinary body is never parsed twice.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

# A flow is echoed a few levels down (a page of flows: page -> items -> flow -> data), and pydantic-core stops
# at 255; real flows nest a dozen levels or so.
MAX_JSON_DEPTH = 200
# FastAPI's own answer for a JSON body it cannot parse at all (a RecursionError), which real Langflow gives for
# bodies nested deeper than Python's recursion limit; the mock gives it from MAX_JSON_DEPTH on.
BODY_PARSE_ERROR = "There was an error parsing the body"

# A surrogate written as UTF-8 bytes (ED A0-BF xx): not UTF-8, yet json.loads takes such bytes (it decodes with
# "surrogatepass"), as FastAPI's body parsing does.
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
# Either kind, escaped or raw: one scan of an ordinary body finds neither.
_MAYBE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|" + _RAW_SURROGATE.pattern)
_SURROGATE_CHAR = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")
# Every byte a digit stays '0', every other one a space: 19 digits in a row (an integer that may be past 64 bits,
# which orjson would read as a float) are then one `in` away. A regex takes ten times as long over a flow's graph.
_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_NINETEEN_DIGITS = b"0" * 19


def dump_stored(value: Any) -> str:
    """A JSON column as it is stored (the database's writer): compact, as Langflow answers it, so that a listing
    can pass a stored graph on as it is (store/flows.py, listed_json). orjson writes it, NaN and infinities as
    null, as the mock answers them anyway; what orjson cannot write (an integer past 64 bits, a key that is not
    a string, a lone surrogate) the json module writes, non-ASCII text as it is, as Langflow's JSONResponse
    answers a listing (a lone surrogate, which SQLite cannot store raw, escaped)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(value, separators=(",", ":"))
        return text


def dump_pretty(value: Any) -> str:
    """JSON indented by two, as a Data output reads as text; what orjson cannot write (an integer past 64 bits,
    a key that is not a string) the json module writes the same way."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:
        return json.dumps(value, indent=2, ensure_ascii=False)


def jsonable(value: Any) -> Any:
    """A value as Langflow's JSON answers write it: a float NaN or infinity (a table's empty cell, JSON that Auto
    Parse read from text) null, at any depth."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


def splicable(text: str) -> bool:
    """Whether stored JSON text is JSON as strict parsers read it, so that it can go out as it is: the json
    module writes NaN and infinities as bare words, which an answer must not carry (a string holding one of the
    words only costs the check a parse)."""
    return "NaN" not in text and "Infinity" not in text


def load_stored(text: str) -> Any:
    """A JSON column as stored (the database's reader): orjson reads a flow's graph several times faster than
    json, and reads it the same, except for what it is left out of: integers past 64 bits (a float to orjson)
    and what orjson refuses where json accepts it (NaN, 1e400, a lone surrogate)."""
    if _NINETEEN_DIGITS not in text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects more than `limit` levels deep (strings are skipped)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b"", raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth = max(depth - 1, 0)
    return False


def lone_surrogate_in(value: Any) -> str | None:
    """The escape (\\udXXX) of the first lone surrogate in a parsed value's strings (keys included), or None.
    Each collection is looked at once: YAML's anchors can make one hold itself, or the same one many times."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE_CHAR.search(item)
            if found:
                return f"\\u{ord(found.group()):04x}"
        elif isinstance(item, dict | list | tuple | set) and id(item) not in seen:
            seen.add(id(item))
            stack.extend([*item.keys(), *item.values()] if isinstance(item, dict) else item)
    return None


def object_too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """The same test on an already parsed value (an uploaded file parsed by orjson)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def lone_surrogate(raw: bytes) -> tuple[int, str] | None:
    """(offset, escape) of the first surrogate in a body that is valid JSON: a `\\uD800`-`\\uDFFF` escape that
    is not half of a pair, or a surrogate sent as raw bytes (escape ""); None for anything else (invalid JSON
    is left to the route, which answers it as Langflow does)."""
    maybe = _MAYBE_SURROGATE.search(raw)
    if maybe is None:
        return None
    raw_surrogate = _RAW_SURROGATE.search(raw, maybe.start())
    try:
        text = raw.decode("utf-8", "surrogatepass")
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if raw_surrogate is not None:
        return len(raw[:raw_surrogate.start()].decode("utf-8", "surrogatepass")), ""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return None
    pending: tuple[int, str] | None = None
    last_end = -1
    for match in _ESCAPE.finditer(text):
        escape = match.group(1)
        code = int(escape[1:], 16) if escape[0] == "u" and len(escape) == 5 else None
        if pending is not None:
            if match.start() == last_end and code is not None and 0xDC00 <= code <= 0xDFFF:
                pending, last_end = None, match.end()
                continue
            return pending
        if code is not None and 0xD800 <= code <= 0xDBFF:
            pending = (match.start(), match.group())
        elif code is not None and 0xDC00 <= code <= 0xDFFF:
            return match.start(), match.group()
        last_end = match.end()
    return pending if pending is not None else (0, "")


# How a float is written. json.dumps (so starlette's JSONResponse, and FastAPI before 0.135 for a typed answer
# too) writes float.__repr__: 1e-07, 1e-05, 1e+16. orjson and pydantic-core write the same digits, and the same
# text from 1e-4 up, but below it 1e-7 and 0.00001; pydantic-core 2.33 (pydantic 2.11) and orjson 3.10 (Langflow
# 1.8 and 1.7.1) also leave the sign out of a positive exponent: 1e16. A string is matched whole, so that only
# numbers change.
_STRING_TOKEN = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_NUMBER_START = rb"(?<![\w.+-])"
_SMALL_FLOAT = re.compile(_STRING_TOKEN + rb"|" + _NUMBER_START + rb"-?(?:\d+(?:\.\d+)?e-\d+|0\.0000\d*)")
# The cheap test for a candidate: an exponent ending where a value ends (in a UUID "e-" is followed by hex digits and
# "-" or a quote), or four zeros after a point that may begin a value.
_SMALL_EXPONENT = re.compile(rb"e-\d+[,\]}]")
_SMALL_DECIMAL = re.compile(rb"[:,\[]-?0\.0000")
_SIGNED_EXPONENT = re.compile(_STRING_TOKEN + rb"|" + _NUMBER_START + rb"-?\d+(?:\.\d+)?e\+\d+")


def _as_repr(match: re.Match[bytes]) -> bytes:
    token = match.group()
    return token if token[:1] == b'"' else repr(float(token)).encode()


def _unsigned(match: re.Match[bytes]) -> bytes:
    token = match.group()
    return token if token[:1] == b'"' else token.replace(b"+", b"")


def python_floats(body: bytes) -> bytes:
    """JSON text from orjson or pydantic-core (json_body) with its floats as json.dumps writes them. Most bodies
    hold no float below 1e-4: one search finds that, and the body is returned as it is."""
    if _SMALL_EXPONENT.search(body) is None and (b"0.0000" not in body or _SMALL_DECIMAL.search(body) is None):
        return body
    return _SMALL_FLOAT.sub(_as_repr, body)


def serde_floats(body: bytes) -> bytes:
    """JSON text from pydantic-core 2.46 or orjson 3.11 with its floats as pydantic-core 2.33 and orjson 3.10 write
    them (1e16, not 1e+16)."""
    if b"e+" not in body:
        return body
    return _SIGNED_EXPONENT.sub(_unsigned, body)
