"""The REST client lfx's tools use (lfx/mcp/client.py LangflowClient), pointed back at this very app in-process:
each call is an ASGI request to the app with the MCP caller's own credentials, so the REST API authorizes it."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.requests import Request

from mock_langflow.agentic_mcp.context import ToolError
from mock_langflow.auth import API_KEY_NAME, access_token
from mock_langflow.deps import app_state

logger = logging.getLogger(__name__)

# lfx's timeouts: 30 s a call, 300 s a stream (600 s the assistant's); in-process they only bound a stuck handler.
TIMEOUT = 30.0
STREAM_TIMEOUT = 300.0


class LoopbackClient:
    """lfx's LangflowClient over an ASGI transport: same paths (relative to /api/v1), same headers, same error
    texts ("GET /flows/x failed (404)"; a stream's status error is httpx's own text, lfx leaves it unwrapped)."""

    def __init__(self, app: Any, base_url: str, *, token: str | None, api_key: str | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token, self.api_key = token, api_key
        # raise_app_exceptions off: an error of the app comes back as its 500 answer, as over a socket
        self._http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                       follow_redirects=True)

    @classmethod
    def for_request(cls, request: Request) -> LoopbackClient:
        """Langflow's _loopback_client: an access token (Bearer header, else the cookie) first; else the API key of
        the query, then the header's; never a key of the server's own."""
        token = access_token(app_state(request), request)
        api_key = None if token else (request.query_params.get(API_KEY_NAME) or request.headers.get(API_KEY_NAME))
        return cls(request.app, str(request.base_url), token=token, api_key=api_key)

    async def close(self) -> None:
        await self._http.aclose()

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.api_key:
            headers[API_KEY_NAME] = self.api_key
        return headers

    def _url(self, path: str) -> str:
        return f"{self.base_url}/api/v1{path}"

    async def _call(self, method: str, path: str, json_data: Any = None, *, timeout: float = TIMEOUT,
                    params: dict[str, Any] | None = None) -> Any:
        send_json = method in ("POST", "PATCH")
        response = await self._http.request(method, self._url(path), headers=self._headers(), params=params,
                                            json=json_data if send_json else None, timeout=timeout)
        if response.is_error:
            raise ToolError(f"{method} {path} failed ({response.status_code})")
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return await self._call("GET", path, params=params)

    async def post(self, path: str, json_data: Any = None, *, timeout: float = TIMEOUT) -> Any:
        return await self._call("POST", path, json_data, timeout=timeout)

    async def patch(self, path: str, json_data: Any = None) -> Any:
        return await self._call("PATCH", path, json_data)

    async def delete(self, path: str) -> Any:
        return await self._call("DELETE", path)

    async def stream_post(self, path: str, json_data: Any = None,
                          timeout: float = STREAM_TIMEOUT) -> AsyncIterator[dict[str, Any]]:
        """POST and yield each JSON line of the answer (NDJSON, Langflow's blank-line-separated blocks, or SSE
        `data:` lines), skipping the rest, as lfx's stream_post does."""
        async with self._http.stream("POST", self._url(path), headers=self._headers(), json=json_data,
                                     timeout=timeout) as response:
            try:
                response.raise_for_status()
            except httpx.HTTPStatusError as exc:
                raise ToolError(str(exc)) from exc
            async for raw in response.aiter_lines():
                line = raw.strip().removeprefix("data:").strip()
                if not line:
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue

    async def post_event(self, flow_id: str, event_type: str, summary: str = "") -> None:
        """Best effort, as lfx's: a flow event the UI polls for; a failure is only logged."""
        try:
            await self.post(f"/flows/{flow_id}/events", json_data={"type": event_type, "summary": summary})
        except Exception:
            logger.warning("Failed to post flow event (flow_id=%s, type=%s)", flow_id, event_type, exc_info=True)
