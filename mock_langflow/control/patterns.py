"""The path patterns of the control API (a fault's `route`, the journal's `path`): a path exactly, a glob
(`*`, `?`), or `re:<regular expression>` searched anywhere in the path."""

from __future__ import annotations

import fnmatch
import re

REGEX = "re:"


def check(pattern: str, *, name: str) -> None:
    """ValueError, saying why, for a `re:` pattern that is no regular expression (re.error otherwise surfaced
    only when a request was matched against it)."""
    if pattern.startswith(REGEX):
        try:
            re.compile(pattern[len(REGEX):])
        except re.error as exc:
            raise ValueError(f"{name} is not a valid regular expression: {exc}") from exc


def matches(pattern: str, path: str) -> bool:
    if pattern.startswith(REGEX):
        return re.search(pattern[len(REGEX):], path) is not None
    if "*" in pattern or "?" in pattern:
        return fnmatch.fnmatchcase(path, pattern)
    return path == pattern
