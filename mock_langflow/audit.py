"""1.13's audited routes (Langflow's @audited_route): a flow or project change a route makes is recorded in the
resource audit trail when LANGFLOW_AUDIT_ENABLED is on. Off (the default), a decorated route costs one settings
check; what each route records, and how, is imported on the first audited request (mock_langflow/audit_trail.py).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

from fastapi import Request

R = TypeVar("R")
_REQUEST = "audit_request"


def request_id(request: Request) -> UUID:
    """The one id every audit row of a request carries, in the resource trail and the authorization log alike
    (Langflow's audit_request_id), made when first asked for."""
    found: UUID | None = getattr(request.state, "audit_request_id", None)
    if found is None:
        from mock_langflow.deps import app_state

        found = request.state.audit_request_id = app_state(request).ids.uuid()
    return found


def audited(recipe: str) -> Callable[[Callable[..., Awaitable[R]]], Callable[..., Awaitable[R]]]:
    """Record the outcome of the decorated route as audit_trail.RECIPES[`recipe`] says. The route takes `state`
    and `user`; the request (how the caller signed in) is added to its parameters, which FastAPI fills."""

    def decorate(route: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
        signature = inspect.signature(route)
        parameter = inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request)

        @functools.wraps(route)
        async def wrapper(*args: Any, **kwargs: Any) -> R:
            request = kwargs.pop(_REQUEST)
            if not kwargs["state"].settings.audit_enabled:
                return await route(*args, **kwargs)
            from mock_langflow.audit_trail import run

            return await run(recipe, route, request, args, kwargs)

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*signature.parameters.values(), parameter])
        return wrapper

    return decorate
