"""A message's dumps: made once per message and profile (engine/message.py Message.payload), each caller's its own."""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from mock_langflow.engine.message import Message, made_message
from mock_langflow.profiles import PROFILES, activate

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
