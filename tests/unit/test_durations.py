"""A vertex build's `duration` text, as each release's format_elapsed_time writes it."""

from __future__ import annotations

import pytest

from mock_langflow.streaming.events import elapsed_text
from tests.unit.test_run_stamps import in_profile


@pytest.mark.parametrize(("version", "seconds", "text"), [
    ("1.13.0", 0.0126, "13 ms"), ("1.13.0", 2.345, "2.3 seconds"), ("1.13.0", 1.04, "1.0 second"),
    ("1.13.0", 125.26, "2 minutes, 5.3 seconds"), ("1.8.4", 2.345, "2.3 seconds"),
    ("1.7.1", 2.345, "2.35 seconds"), ("1.7.1", 61.0, "1 minute, 1.0 second")])
def test_a_long_build_is_told_in_seconds_to_the_releases_places(version: str, seconds: float, text: str) -> None:
    # (a build of a scripted model paced at 50 tokens/s easily takes more than a second)
    assert in_profile(version, lambda: elapsed_text(seconds)) == text
