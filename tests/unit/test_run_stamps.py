"""What a run stamps on what it shows and stores: a message's dumps (made once per message and profile,
engine/message.py Message.payload, each caller's its own), its time text, its spans' ids."""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid5

import pytest

from mock_langflow.clock import ts_message
from mock_langflow.engine.message import Message, made_message
from mock_langflow.profiles import PROFILES, activate
from mock_langflow.store.traces import SPAN_NAMESPACE, span_id

MOMENT = datetime(2026, 11, 23, 12, 36, 42, 994991, tzinfo=UTC)


def message() -> Message:
    return Message(id=UUID(int=1), flow_id=UUID(int=2), session_id="s", text="hello", sender="User",
                   sender_name="User", timestamp=MOMENT, run_id=UUID(int=3))


def in_profile(version: str, dump: Any) -> Any:
    def run() -> Any:
        activate(PROFILES[version])
        return dump()
    return contextvars.copy_context().run(run)


def test_a_dump_changed_by_its_caller_leaves_the_next_dump_as_it_was() -> None:
    made = message()
    first = in_profile("1.13.0", made.payload)
    fresh = in_profile("1.13.0", message().payload)
    assert first == fresh
    first["data"]["text"] = "changed"
    first["text"] = "changed"
    assert in_profile("1.13.0", made.payload) == fresh
    assert in_profile("1.13.0", made_message("hello", UUID(int=2), MOMENT).made_payload)["data"] == {
        "text": "hello", "flow_id": str(UUID(int=2))}


def test_a_message_dumps_as_each_release_dumps_it() -> None:
    made = message()
    for version in ("1.13.0", "1.8.4", "1.7.1", "1.13.0"):
        assert in_profile(version, made.payload) == in_profile(version, message().payload)
    assert in_profile("1.8.4", made.payload) != in_profile("1.13.0", made.payload)


@pytest.mark.parametrize("moment", [
    MOMENT, MOMENT.replace(microsecond=0), datetime(601, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(1000, 1, 1, tzinfo=UTC),
    datetime(1000, 1, 1, 2, tzinfo=timezone(timedelta(hours=5))), datetime(9999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
], ids=str)
def test_a_message_time_reads_as_strftime_writes_it(moment: datetime) -> None:
    assert ts_message(moment) == moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


@pytest.mark.parametrize("component", ["ChatInput-aB1cD", "Prompt \u00e9-1", ""])
def test_a_span_id_is_the_uuid5_langflow_names_it_with(component: str) -> None:
    trace = UUID("6b4e4347-6949-4481-9d27-25ad539f2770")
    assert span_id(trace, component) == uuid5(SPAN_NAMESPACE, f"{trace}-{component}")
