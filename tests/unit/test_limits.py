"""engine/limits.py: what Langflow's serializer keeps of a build's data."""

from __future__ import annotations

from mock_langflow.engine.limits import ITEMS_CUT, MAX_ITEMS, MAX_TEXT, within_limits


def test_text_is_cut_after_6000_characters_with_an_ellipsis() -> None:
    exact = "a" * MAX_TEXT
    assert within_limits(exact) is exact
    assert within_limits(exact + "bc") == exact + "..."
    assert within_limits({"x" * 7000: 1}) == {"x" * 7000: 1}  # keys stay whole


def test_a_long_list_keeps_1000_items_and_the_second_passs_marker() -> None:
    full = list(range(MAX_ITEMS))
    assert within_limits(full) is full
    for size in (MAX_ITEMS + 1, 5000):
        cut = within_limits(list(range(size)))
        assert cut == [*range(MAX_ITEMS), ITEMS_CUT] and ITEMS_CUT == "... [truncated 1 items]"
    assert within_limits((1, "b" * 6001)) == [1, "b" * 6000 + "..."]


def test_nested_values_are_cut_and_untouched_ones_are_not_copied() -> None:
    small = {"a": [1, {"b": "short"}], "c": None, "d": 1.5}
    assert within_limits(small) is small
    nested = {"keep": small, "rows": [{"text": "z" * 6001}, "ok"]}
    cut = within_limits(nested)
    assert cut == {"keep": small, "rows": [{"text": "z" * 6000 + "..."}, "ok"]}
    assert cut["keep"] is small and nested["rows"][0]["text"] == "z" * 6001  # the original is left as it was
    assert list(cut) == ["keep", "rows"]
