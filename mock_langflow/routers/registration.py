"""/api/v2/registration/: the single email a Langflow install registers (api/v2/registration.py), kept in a file
(store/registration.py). Langflow also sends it as a telemetry event: the mock sends nothing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, caller_or_refusal, optional_user_where
from mock_langflow.deps import StateDep, app_state
from mock_langflow.routing import LazyModule, api_router, documented
from mock_langflow.store.models import UserRow

bodies = LazyModule("mock_langflow.schemas.registration")  # request bodies, imported when a route is first analysed
router = api_router(prefix="/registration", tags=["Registration API"], include_in_schema=False)

NO_REGISTRATION = {"message": "No user registered"}

# 1.8 and 1.7.1 read no credentials to register (profile auth.open_registration): a key sent along is never used.
_RegistrantIfAny = Annotated[UserRow | None, Depends(
    optional_user_where(lambda state: not state.profile.auth.open_registration))]


async def registrant(request: Request, user: _RegistrantIfAny) -> UserRow | None:
    """1.13's signed-in caller, refused as a dependency refuses (before the body is validated); None before."""
    if app_state(request).profile.auth.open_registration:
        return None
    return caller_or_refusal(request, user)


Registrant = Annotated[UserRow | None, Depends(registrant)]


# Typed for /openapi.json as Langflow types it (the route answers its own dict).
@router.post("/", response_model=None, responses={200: {"model": documented("RegisterResponse")}})
async def register_user(body: bodies.RegisterRequest, user: Registrant, state: StateDep) -> dict[str, str]:  # noqa: ARG001
    """POST /api/v2/registration/: keep the email (pydantic's EmailStr form), replacing any earlier one, and
    answer it; 1.13 needs a signed-in user. A registration that cannot be written is Langflow's 500."""
    try:
        state.store.registration.save(body.email, state.clock.now())
    except OSError as exc:
        raise errors.ServerError(f"Registration failed: {exc!s}") from exc
    return {"email": body.email}


@router.get("/", response_model=None)
async def get_registration(user: CurrentUser, state: StateDep) -> Any:  # noqa: ARG001 (a signed-in user only)
    """GET /api/v2/registration/: the registration kept ({email, registered_at}), else a message saying there is
    none (also for a file that is empty or not JSON, as Langflow reads it)."""
    try:
        return state.store.registration.load() or NO_REGISTRATION
    except OSError as exc:
        raise errors.ServerError(f"Failed to load registration: {exc!s}") from exc
