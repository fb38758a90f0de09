"""Fixtures of the reliability tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.reliability.mutation import Tracebacks


@pytest.fixture
def tracebacks() -> Iterator[Tracebacks]:
    """Every error the mock logs while the test runs."""
    handler = Tracebacks()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
