"""How If-Else compares its two texts, operator by operator, as lfx's evaluate_condition does: what decides which
of its outputs hands the message on."""

from __future__ import annotations

import pytest

from mock_langflow.engine.conditional import FALSE, TRUE, Routing, holds


@pytest.mark.parametrize(("text", "match", "operator", "case_sensitive", "expected"), [
    ("Hello", "hello", "equals", True, False),
    ("Hello", "hello", "equals", False, True),
    ("Hello", "hello", "not equals", True, True),
    ("say hello", "HELLO", "contains", False, True),
    ("hello", "he", "starts with", True, True),
    ("hello", "LO", "ends with", False, True),
    ("Hello", "h.l", "regex", False, False),  # regex ignores Case Sensitive, and matches at the start only
    ("xhello", "h.l", "regex", True, False),
    ("hello", "h(", "regex", True, False),  # an invalid pattern is False, not an error
    ("10", "9.5", "greater than", True, True),
    ("2", "2", "less than or equal", True, True),
    ("2", "2.0", "greater than or equal", True, True),
    ("ten", "3", "less than", True, False),  # no number: False
    ("a", "a", "between", True, False),  # an operator it does not know: False
])
def test_each_operator_compares_as_langflows_if_else(text: str, match: str, operator: str, case_sensitive: bool,
                                                     expected: bool) -> None:
    assert holds(text, match, operator, case_sensitive=case_sensitive) is expected


@pytest.mark.parametrize(("holding", "max_iterations", "default", "answers", "stopped", "excluded"), [
    (True, 10, FALSE, (True, False), FALSE, True),
    (False, 10, FALSE, (False, True), TRUE, True),
    # max_iterations reached on the default route: the other route is stopped, and not excluded
    (True, 1, FALSE, (True, False), TRUE, False),
    (False, 1, TRUE, (False, True), FALSE, False),
    # at 0 the default route True is forced out: it hands the message on whatever the comparison said
    (False, 0, TRUE, (True, True), FALSE, False),
])
def test_a_build_routes_once_and_breaks_a_loop_on_its_default_route(holding: bool, max_iterations: int, default: str,
                                                                    answers: tuple[bool, bool], stopped: str,
                                                                    excluded: bool) -> None:
    routing = Routing(holding, max_iterations, default)
    assert (routing.answer(TRUE), routing.answer(FALSE)) == answers
    assert (routing.stopped, routing.excluded) == (stopped, excluded)
