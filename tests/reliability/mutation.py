"""What the mutation tests share: junk of every kind, a copy of a value with junk at random places of it, and
a log handler that collects the errors the mock logs meanwhile (the `tracebacks` fixture, conftest.py)."""

from __future__ import annotations

import copy
import logging
import random
from collections.abc import Callable, Iterator
from typing import Any

JUNK: list[Any] = [5, -1, 0, 1.5e308, 2**70, "", "x", "{not json", "\x00", None, True, [], {}, [1], [None],
                   [{"a": 1}], {"a": 1}, {"value": None}, {"value": 5}, {"value": [1, 2]}, {"value": {"a": 1}}]


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key and index path inside `value`."""
    if path:
        yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield from places(inner, (*path, key))


def damaged(value: Any, rng: random.Random, junk: list[Any] = JUNK,
            prefer: Callable[[tuple[Any, ...]], bool] | None = None) -> Any:
    """A copy of `value` with junk at one to three random places (or a key deleted); most of the damage goes to
    the places `prefer` picks, when it picks any."""
    value = copy.deepcopy(value)
    for _ in range(rng.choice((1, 1, 2, 3))):
        every = list(places(value))
        if not every:
            return copy.deepcopy(rng.choice(junk))
        preferred = [p for p in every if prefer(p)] if prefer else []
        path = rng.choice(preferred if preferred and rng.random() < 0.7 else every)
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.15:
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(junk))
    return value


class Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.name}: {record.getMessage()} {record.exc_info[1]!r}" if record.exc_info
                         else f"{record.name}: {record.getMessage()}")
