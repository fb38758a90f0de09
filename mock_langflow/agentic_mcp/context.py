"""What every agentic MCP tool is handed (one per MCP request): the loopback REST client, the component registry
(computed once per request from GET /all), and the progress hook; and the error a tool raises, whose text the
server reports as FastMCP does ("Error executing tool <name>: <text>")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_langflow.agentic_mcp.client import LoopbackClient
    from mock_langflow.clock import Ids

Progress = Callable[..., Awaitable[None]]


class ToolError(Exception):
    """A tool's failure, with the text lfx's tool raises (lfx raises RuntimeError / ValueError; only the text shows)."""


async def _no_progress(*_args: Any, **_kwargs: Any) -> None:
    return None


class ToolContext:
    def __init__(self, client: LoopbackClient, *, ids: Ids, progress: Progress | None = None,
                 info: Progress | None = None) -> None:
        self.client = client
        # the app's id maker (seeded by MOCK_LANGFLOW_RANDOM_SEED), for the ids a tool makes itself (node ids)
        self.ids = ids
        self._registry: dict[str, dict[str, Any]] | None = None
        # progress(n, message): FastMCP's ctx.report_progress, a notification on the request's stream when the
        # client sent a progressToken (run_flow's tokens, run_assistant's steps)
        self.progress: Progress = progress or _no_progress
        # info(message): FastMCP's ctx.info log notification
        self.info: Progress = info or _no_progress

    async def registry(self) -> dict[str, dict[str, Any]]:
        """lfx's load_registry: the component types by name, computed from GET /all once per MCP request."""
        if self._registry is None:
            from mock_langflow.agentic_mcp import registry

            self._registry = await registry.load(self.client)
        return self._registry
