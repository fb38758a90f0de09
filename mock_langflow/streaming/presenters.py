"""Turning a flow run into an HTTP answer: the /run JSON body, and the /run event stream."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any
from uuid import UUID

from mock_langflow.engine.message import Message
from mock_langflow.engine.runner import Disconnect, Observer, RunError, Runner, RunRequest, simple_run_failure
from mock_langflow.profiles import current
from mock_langflow.streaming import events
from mock_langflow.streaming.framing import langflow_block

_DONE = object()
# one event of a streamed run: its name and its data, before framing
RunEvent = tuple[str, Any]


class QueueObserver(Observer):
    """Hands the run's messages and tokens to a stream as (event, data) pairs, the payload made when it happens."""

    event_manager = True

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    async def message(self, message: Message) -> None:
        self.queue.put_nowait((events.ADD_MESSAGE, events.v1_message_event(message)))

    async def token(self, message_id: UUID, chunk: str) -> None:
        self.queue.put_nowait((events.TOKEN, events.token_event(message_id, chunk)))

    async def component_error(self, message: Message) -> None:
        # the component's error message goes out as an `error` event of its own, before the run's final one
        self.queue.put_nowait((events.ERROR, events.v1_message_event(message)))

    async def log(self, entry: dict[str, Any]) -> None:
        self.queue.put_nowait((events.LOG, entry))


def error_event(message: str) -> RunEvent | None:
    """A failed /run stream's `error` event; None in 1.7.1, where the stream just ends (profile run.stream_errors)."""
    return (events.ERROR, {"error": message}) if current().run.stream_errors == "event" else None


def error_block(message: str) -> bytes:
    """error_event framed: the event's block, or nothing."""
    event = error_event(message)
    return b"" if event is None else langflow_block(*event)


async def run_events(runner: Runner, request: RunRequest, inputs: dict[str, Any],
                     wrap: Callable[[Observer], Observer] = lambda o: o) -> AsyncIterator[RunEvent]:
    """A streamed run's events, unframed: add_message and token events as they happen, then `end` with the
    whole result, or an `error` event. A client that leaves stops the run. `wrap` puts another observer around
    the stream's (one that logs the run's vertex builds)."""
    observer = QueueObserver()

    async def work() -> None:
        try:
            result = await runner.run(request, wrap(observer))
            observer.queue.put_nowait((events.END, {"result": events.v1_run_response(result, inputs)}))
        except RunError as exc:
            failed = error_event(simple_run_failure(exc))
            if failed is not None:
                observer.queue.put_nowait(failed)
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


async def run_stream(runner: Runner, request: RunRequest, inputs: dict[str, Any],
                     wrap: Callable[[Observer], Observer] = lambda o: o) -> AsyncIterator[bytes]:
    """The /run?stream=true body: run_events framed as Langflow's blocks (an error is still HTTP 200, fact 14)."""
    async with contextlib.aclosing(run_events(runner, request, inputs, wrap)) as stream:
        async for kind, data in stream:
            yield langflow_block(kind, data)
