"""Langflow 1.13's rate limits (services/rate_limit): login attempts, password changes and public builds.

Langflow counts in slowapi's default store, process memory ("memory://"), with the limits library's fixed
window: a counter's minute starts at its first hit, every hit counts (refused ones too), and the count starts
again once the minute is over. The mock keeps its counters in memory the same way, so a restart forgets them,
as Langflow's does; POST /_mock/reset forgets them too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from starlette.requests import Request

from mock_langflow import errors
from mock_langflow.settings import Settings

MINUTE = 60
# Langflow's "off": rate_limit_enabled false gives login this limit, not none (get_rate_limit_string).
OFF_LIMIT = 10_000
# Password changes take this limit whatever the settings say (api/v1/users.py PASSWORD_RESET_ATTEMPTS_PER_MINUTE).
PASSWORD_RESET_PER_MINUTE = 5
# Above this many counters, the ended windows are dropped (the limits library expires its keys the same way).
_SWEEP_AT = 10_000


class RateLimits:
    """Fixed windows keyed by (identifiers..., limit, window); `now` gives seconds (the app's clock)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._windows: dict[tuple[object, ...], tuple[int, float]] = {}

    def hit(self, limit: int, *identifiers: str, seconds: int = MINUTE) -> bool:
        """Count one hit; False once the window holds more than `limit` hits. The limit is part of the key,
        as in the limits library, so a changed limit starts a counter of its own."""
        key = (*identifiers, limit, seconds)
        with self._lock:
            now = self._now()
            count, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + seconds
            self._windows[key] = (count + 1, ends)
            if len(self._windows) > _SWEEP_AT:
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        return count + 1 <= limit

    def check(self, limit: int, *identifiers: str, seconds: int = MINUTE) -> None:
        """Langflow's check_rate_limit: count the hit, and refuse it with the 429 once over the limit."""
        if not self.hit(limit, *identifiers, seconds=seconds):
            raise errors.TooManyRequests()

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


def last_forwarded_hop(request: Request) -> str | None:
    """The rightmost X-Forwarded-For entry, every line of the header joined first (the hop a trusted proxy
    added; the leftmost is the client's own word); None without the header."""
    hops = [hop.strip() for line in request.headers.getlist("x-forwarded-for") for hop in line.split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-1] if hops else None


def client_key(request: Request, settings: Settings) -> str:
    """Whose counter a request hits: the TCP peer (slowapi's get_remote_address), or behind a trusted proxy
    (LANGFLOW_RATE_LIMIT_TRUST_PROXY) the last X-Forwarded-For hop."""
    if settings.rate_limit_trust_proxy:
        hop = last_forwarded_hop(request)
        if hop:
            return hop
        return request.client.host if request.client else "unknown"
    return request.client.host if request.client and request.client.host else "127.0.0.1"
