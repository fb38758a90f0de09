"""Journals every request and injects the faults a test asked for; /_mock requests are left alone."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_langflow.control.faults import JOB_NEVER_FINISHES, Faults, FaultSpec
from mock_langflow.control.journal import BODY_LIMIT, Journal, flow_names, redact_headers, redact_query, refs_of
from mock_langflow.errors import DropConnection
from mock_langflow.routing import route_path

CONTROL_PREFIX = "/_mock"


class ControlLayer:
    def __init__(self, app: ASGIApp, *, state: Any) -> None:
        self.app, self.state = app, state

    @property
    def journal(self) -> Journal:
        journal: Journal = self.state.journal
        return journal

    @property
    def faults(self) -> Faults:
        faults: Faults = self.state.faults
        return faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (path := route_path(scope)).startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope["method"]
        query = redact_query(scope.get("query_string", b""))
        body = bytearray()
        status: list[int] = []
        # A fault scoped to a flow may need the body (v2 names its flow there): read it first, then replay it.
        replay: list[Message] | None = None
        if self.faults.active and self.faults.wants_flow:
            replay = []
            while True:
                message = await receive()
                replay.append(message)
                if message["type"] != "http.request" or not message.get("more_body"):
                    break
            for message in replay:
                body.extend(message.get("body", b"")[: max(0, BODY_LIMIT - len(body))])

        async def recording_receive() -> Message:
            message = replay.pop(0) if replay else await receive()
            if replay is None and message["type"] == "http.request" and len(body) < BODY_LIMIT:
                body.extend(message.get("body", b"")[: BODY_LIMIT - len(body)])
            return message

        fault = None
        if self.faults.active:
            flow_ref, _ = refs_of(path, query, bytes(body).decode("utf-8", "replace") if body else None)
            names = set(flow_names(self.state.store, flow_ref)) if flow_ref else set()
            fault = self.faults.take(method, path, names)

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                # What the request wrote on the side (a run's messages and transactions, use counters:
                # Database.defer) is committed before the client has its status, so a kill -9 right after an
                # answer cannot take the answered writes with it (with the other answers of this turn).
                await self.state.store.db.committed()
            await send(message)

        try:
            await self._handle(scope, recording_receive, recording_send, fault[1] if fault else None)
        finally:
            self._record(scope, method, path, query, bytes(body), status[0] if status else None,
                         (time.perf_counter() - started) * 1000, fault[0] if fault else None)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, fault: FaultSpec | None) -> None:
        if fault is None:
            await self.app(scope, receive, send)
            return
        delay = self.faults.jitter(fault)
        if delay:
            await asyncio.sleep(delay / 1000)
        if fault.kind == "error":
            body, headers = fault.error_body()
            raw = json.dumps(body).encode()
            await send({"type": "http.response.start", "status": fault.status,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode()),
                                    *((k.lower().encode(), v.encode()) for k, v in headers.items())]})
            await send({"type": "http.response.body", "body": raw})
            return
        if fault.kind == "drop":
            raise DropConnection()
        if fault.kind == "never_finish":
            token = JOB_NEVER_FINISHES.set(True)
            try:
                await self.app(scope, receive, send)
            finally:
                JOB_NEVER_FINISHES.reset(token)
            return
        if fault.kind == "cut_stream":
            await self.app(scope, receive, _cutting(send, fault.after_events))
            return
        await self.app(scope, receive, send)  # latency only

    def _record(self, scope: Scope, method: str, path: str, query: dict[str, str], body: bytes, status: int | None,
                duration_ms: float, fault_id: int | None) -> None:
        text = body.decode("utf-8", "replace") if body else None
        flow_ref, session = refs_of(path, query, text)
        self.journal.record(
            timestamp=self.state.clock.now(), method=method, path=path, query=query,
            headers=redact_headers(scope.get("headers", [])), body=text, status=status,
            duration_ms=round(duration_ms, 3), flow_ref=flow_ref, session_id=session, fault_id=fault_id)


def _cutting(send: Send, after_events: int) -> Send:
    """Lets `after_events` non-empty body chunks through (one chunk is one event of the mock's streams),
    then drops the connection mid-stream."""
    seen = 0

    async def cut(message: Message) -> None:
        nonlocal seen
        if message["type"] == "http.response.body" and message.get("body"):
            if seen >= after_events:
                raise DropConnection()
            seen += 1
        await send(message)

    return cut
