"""What Langflow's serializer keeps of a vertex's build: text cut after 6,000 characters, lists after 1,000 items.

Every release serializes a build's data with those limits (lfx's MAX_TEXT_LENGTH and MAX_ITEMS_LENGTH, fixed
numbers whatever `/config` shows) wherever a build leaves the process or the database: an `end_vertex` event's
data and the vertex-by-vertex build's answer (VertexBuildResponse), a logged vertex build's data, artifacts and
params, and a transaction's inputs and outputs (also the v2 `output` events and background results 1.13 makes
from `end_vertex` events). A run's own answer (`/run`, a v2 sync run) and the messages are never cut.

Langflow applies the limits at least twice on each of those ways (the model dumps itself, then its field
serializer runs again over the dump; a row is serialized on its way in and again on its way out), and a second
pass is not a no-op for lists: the first cut leaves 1,000 items and a marker, 1,001 in all, which the second cuts
again, so what a client reads is the first 1,000 items and "... [truncated 1 items]", whatever the list held.
"""

from __future__ import annotations

from typing import Any

MAX_TEXT = 6000
MAX_ITEMS = 1000
TEXT_CUT = "..."
ITEMS_CUT = "... [truncated 1 items]"  # what the second pass's cut says of the first one's marker


def within_limits(value: Any) -> Any:
    """`value` (JSON-shaped data) as Langflow's serializer gives it back: each string over MAX_TEXT characters cut
    to its first MAX_TEXT and "...", each list or tuple over MAX_ITEMS items to its first MAX_ITEMS and ITEMS_CUT,
    at any depth (keys are never cut). Nothing is copied when nothing is over: a build's data is walked on every
    vertex, and almost never cut."""
    kind = type(value)
    if kind is str:
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + TEXT_CUT
    if kind is dict:
        changed: dict[Any, Any] | None = None
        for key, item in value.items():
            kept = within_limits(item)
            if kept is not item:
                changed = changed if changed is not None else {}
                changed[key] = kept
        return value if changed is None else {key: changed.get(key, item) for key, item in value.items()}
    if kind is list or kind is tuple:
        if len(value) > MAX_ITEMS:
            return [*(within_limits(item) for item in value[:MAX_ITEMS]), ITEMS_CUT]
        for index, item in enumerate(value):
            kept = within_limits(item)
            if kept is not item:  # copied from the first item cut on
                return [*value[:index], kept, *(within_limits(rest) for rest in value[index + 1:])]
        return list(value) if kind is tuple else value
    return value
