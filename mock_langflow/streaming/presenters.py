"""Turning a flow run into an HTTP answer: the /run JSON body, and the /run event stream."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any
from uuid import UUID

from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import Disconnect, Observer, RunError, Runner, RunRequest
from mock_langflow.profiles import current
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import langflow_block

_DONE = object()


class QueueObserver(Observer):
    """Hands the run's messages and tokens to a stream as ready-made blocks."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    async def message(self, message: Message) -> None:
        self.queue.put_nowait(langflow_block(events.ADD_MESSAGE, events.message_event(message)))

    async def token(self, message_id: UUID, chunk: str) -> None:
        self.queue.put_nowait(langflow_block(events.TOKEN, events.token_event(message_id, chunk)))

    async def component_error(self, message: Message) -> None:
        # the component's error message goes out as an `error` event of its own, before the run's final one
        self.queue.put_nowait(langflow_block(events.ERROR, events.message_event(message)))


def error_block(message: str) -> bytes:
    """A failed /run stream's `error` event; in 1.7.1 the stream just ends, empty (profile run.stream_errors)."""
    return langflow_block(events.ERROR, {"error": message}) if current().run.stream_errors == "event" else b""


async def run_stream(runner: Runner, request: RunRequest, inputs: dict[str, Any],
                     wrap: Callable[[Observer], Observer] = lambda o: o) -> AsyncIterator[bytes]:
    """The /run?stream=true body: add_message and token events as they happen, then `end` with the whole
    result, or an `error` event (still HTTP 200, fact 14). A client that leaves stops the run. `wrap` puts
    another observer around the stream's (one that logs the run's vertex builds)."""
    observer = QueueObserver()

    async def work() -> None:
        try:
            result = await runner.run(request, wrap(observer))
            observer.queue.put_nowait(langflow_block(events.END, {"result": events.run_response(result, inputs)}))
        except RunError as exc:
            observer.queue.put_nowait(error_block(str(exc)))
        except Disconnect as exc:
            observer.queue.put_nowait(exc)
        finally:
            observer.queue.put_nowait(_DONE)

    task = asyncio.create_task(work())
    try:
        while True:
            item = await observer.queue.get()
            if item is _DONE:
                break
            if isinstance(item, Disconnect):
                raise item
            yield item
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
