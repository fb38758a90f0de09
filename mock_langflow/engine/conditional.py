"""lfx's If-Else (ConditionalRouter): how it compares its two texts, and which branch of the flow each of its
outputs switches off. The runner (engine/runner.py) builds its outputs from this decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

TRUE, FALSE = "true_result", "false_result"
NUMERIC = {"less than": float.__lt__, "less than or equal": float.__le__, "greater than": float.__gt__,
           "greater than or equal": float.__ge__}


def holds(text: str, match: str, operator: str, *, case_sensitive: bool) -> bool:
    """Whether `text` compares with `match` as the operator says. Case folding (lower()) applies to every operator
    but "regex", which matches at the start of the text; an invalid pattern, a text that is no number for a numeric
    operator and an unknown operator are all False, as in lfx."""
    if not case_sensitive and operator != "regex":
        text, match = text.lower(), match.lower()
    if operator == "equals":
        return text == match
    if operator == "not equals":
        return text != match
    if operator == "contains":
        return match in text
    if operator == "starts with":
        return text.startswith(match)
    if operator == "ends with":
        return text.endswith(match)
    if operator == "regex":
        try:
            return bool(re.match(match, text))
        except re.error:
            return False
    compare = NUMERIC.get(operator)
    if compare is None:
        return False
    try:
        return bool(compare(float(text), float(match)))
    except ValueError:  # float() of a text that is no number (lfx catches the same)
        return False


@dataclass
class Routing:
    """One build of an If-Else: each output method run in turn (`answer`), as lfx's true_response and
    false_response do, counting the build as one iteration and stopping a branch once.

    `stopped`: the output whose branch the build switches off for this run; `excluded`: whether that is also a
    conditional exclusion (kept for the rest of the run, in every later build's inactivated vertices, and by a
    pause's checkpoint), which it is not when max_iterations is reached on the default route (lfx then stops the
    other route only)."""

    holds: bool
    max_iterations: int
    default_route: str
    iteration: int = 0
    stopped: str | None = None
    excluded: bool = False

    def answer(self, output: str) -> bool:
        """Run the output's method; True when it hands on its case message, False for the empty message."""
        if output == TRUE:
            forced = self.iteration >= self.max_iterations and self.default_route == TRUE
            if self.holds or forced:
                if not forced:
                    self._stop_once(FALSE)
                return True
            self._stop_once(TRUE)
            return False
        if not self.holds:
            self._stop_once(TRUE)
            return True
        self._stop_once(FALSE)
        return False

    def _stop_once(self, route: str) -> None:
        if self.stopped is not None:  # the first call decides (lfx's __iteration_updated)
            return
        self.iteration += 1
        if self.iteration >= self.max_iterations and route == self.default_route:
            self.stopped = FALSE if route == TRUE else TRUE  # the cycle breaks: the other route stops, unexcluded
            return
        self.stopped, self.excluded = route, True


def whole(value: Any, default: int) -> int:
    """An IntInput's value as lfx validates it: an int, a float cut down, a numeric text; else the default."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):  # (an infinity too)
        return default
