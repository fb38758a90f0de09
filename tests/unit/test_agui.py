"""The AG-UI translation of a run's v1 events (streaming/agui.py) for what no scripted flow makes: messages whose
tokens interleave, content blocks of their own CUSTOM kind, an error Message that suggests a solution."""

from __future__ import annotations

from typing import Any

from mock_langflow.streaming.agui import AguiRun


def translated(run: AguiRun, *pairs: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [frame for event, data in pairs for frame in run.translate(event, data)]


def kinds(frames: list[dict[str, Any]]) -> list[str]:
    return [f"{f['type']}:{f.get('messageId') or f.get('name', '')}" for f in frames]


def test_a_second_message_waits_while_one_is_open_then_follows_whole() -> None:
    """1.13's translator keeps one text message open: tokens of another wait, and go out (what came so far, then
    live) once the first one's final add_message closes it; a waiting message that is removed never shows."""
    run = AguiRun("t", "r", graph_state=False)
    frames = translated(run, ("token", {"id": "a", "chunk": "A1"}), ("token", {"id": "b", "chunk": "B1"}),
                        ("token", {"id": "c", "chunk": "C1"}), ("remove_message", {"id": "c"}),
                        ("token", {"id": "a", "chunk": "A2"}), ("add_message", {"id": "a", "text": "A1A2"}),
                        ("token", {"id": "b", "chunk": "B2"}), ("token", {"id": "c", "chunk": "C2"}),
                        ("end", {}))
    assert kinds(frames) == ["RUN_STARTED:", "TEXT_MESSAGE_START:a", "TEXT_MESSAGE_CONTENT:a",
                             "CUSTOM:langflow.message.removed", "TEXT_MESSAGE_CONTENT:a", "TEXT_MESSAGE_END:a",
                             "TEXT_MESSAGE_START:b", "TEXT_MESSAGE_CONTENT:b", "TEXT_MESSAGE_CONTENT:b",
                             "TEXT_MESSAGE_END:b", "RUN_FINISHED:"]
    assert [f["delta"] for f in frames if f["type"] == "TEXT_MESSAGE_CONTENT"] == ["A1", "A2", "B1", "B2"]


def test_a_code_block_is_a_custom_event_sent_again_only_once_it_changed() -> None:
    run = AguiRun("t", "r", graph_state=False)
    code = {"type": "code", "code": "print(1)", "language": "python"}
    message = {"id": "m", "sender": "Machine", "text": "", "content_blocks": [{"title": "Run", "contents": [code]}]}
    changed = {**message, "content_blocks": [{"title": "Run", "contents": [{**code, "code": "print(2)"}]}]}
    frames = translated(run, ("add_message", message), ("add_message", message), ("add_message", changed))
    assert frames[1:] == [
        {"type": "CUSTOM", "name": "langflow.content.code",
         "value": {"message_id": "m", "block_title": "Run", "content": code}},
        {"type": "CUSTOM", "name": "langflow.content.code",
         "value": {"message_id": "m", "block_title": "Run", "content": {**code, "code": "print(2)"}}}]


def test_a_run_error_words_the_solution_and_code_its_error_blocks_give() -> None:
    run = AguiRun("t", "r", graph_state=True)
    error = {"text": "It broke \n", "content_blocks": [{"title": "Error", "contents": [
        {"type": "error", "solution": "Try again.", "code": "E42", "traceback": "secret"}]}]}
    frames = run.translate("error", error)
    assert [f["type"] for f in frames] == ["RUN_STARTED", "STATE_SNAPSHOT", "CUSTOM", "RUN_ERROR"]
    assert frames[2]["value"] == {"event_type": "error", "data": error}
    assert frames[3] == {"type": "RUN_ERROR", "message": "It broke\n\nTry again.", "code": "E42"}
