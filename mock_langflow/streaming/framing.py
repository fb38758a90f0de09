"""The only code that writes wire framing. Which framing an endpoint uses is the contract's call:

- /run?stream=true and build events: JSON objects each followed by a blank line, no SSE fields (facts 14, 21);
- build polling: the queued blocks joined with "\\n" (so three newlines between events, fact 22);
- the v2 Workflow API: real SSE, `data:` and `id:` lines (fact 29);
- MCP: SSE with CRLF line ends (fact 42), written by the mcp SDK itself.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(data: Any) -> str:
    """JSON as Langflow's event manager writes it: json.dumps defaults (", " and ": " separators)."""
    return json.dumps(data)


def langflow_block(event: str, data: Any) -> bytes:
    """One event of a run or build stream: a JSON object and a blank line."""
    return (dumps({"event": event, "data": data}) + "\n\n").encode()


def polled_blocks(blocks: list[bytes]) -> bytes:
    """What one build poll returns: the blocks queued so far, joined with a newline."""
    return b"\n".join(blocks)


def sse_frame(data: Any, *, event_id: int | None = None, event: str | None = None) -> bytes:
    """One SSE frame with LF line ends: optional `event:`, `data:`, optional `id:`, then a blank line."""
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    lines.append(f"data: {data if isinstance(data, str) else dumps(data)}")
    if event_id is not None:
        lines.append(f"id: {event_id}")
    return ("\n".join(lines) + "\n\n").encode()


def stream_data(event: str, data: dict[str, Any]) -> bytes:
    """One event of the vertex-by-vertex build's stream (Langflow's StreamData): SSE `event:` and `data:` lines,
    the data as compact JSON, UTF-8 unescaped (orjson's)."""
    return sse_frame(json.dumps(data, separators=(",", ":"), ensure_ascii=False), event=event)
