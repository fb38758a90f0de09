"""The handlers of 1.13's trigger routes (routers/triggers.py holds their table): imported, with the trigger shapes,
when a trigger route is first analysed (routing.later). The store (store/triggers.py) owns the rules; the dispatcher
and the webhook ingress are engine/triggers.py."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import PageLimit, PageOffset, StateDep
from mock_langflow.engine import triggers as engine
from mock_langflow.schemas.triggers import (
    TriggerCreate,
    TriggerEventRead,
    TriggerIngressRead,
    TriggerPinRequest,
    TriggerRead,
    TriggerReplayRequest,
    TriggerSigningSecretRead,
    TriggerTestRequest,
    TriggerUpdate,
)
from mock_langflow.state import AppState
from mock_langflow.store.triggers import require_ingress_kind, trigger_read

PublicId = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Provider = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
RegistrationId = Annotated[str, Path(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


async def list_triggers(user: CurrentUser, state: StateDep,
                        flow_id: Annotated[UUID, Query(description="Flow whose triggers to list")],
                        limit: PageLimit = 50, offset: PageOffset = 0) -> list[TriggerRead]:
    await engine.pump(state)  # the schedules' due ticks, by the mock's clock
    return state.store.triggers.list(flow_id, user_id=user.id, limit=limit, offset=offset)


async def create_trigger(payload: TriggerCreate, user: CurrentUser, state: StateDep) -> TriggerRead:
    return state.store.triggers.create(payload, user_id=user.id)


async def get_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> TriggerRead:
    await engine.pump(state)
    return trigger_read(state.store.triggers.get(trigger_id, user_id=user.id))


async def update_trigger(trigger_id: UUID, payload: TriggerUpdate, user: CurrentUser,
                         state: StateDep) -> TriggerRead:
    return state.store.triggers.update(trigger_id, payload, user_id=user.id)


async def delete_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    state.store.triggers.delete(trigger_id, user_id=user.id)
    return Response(status_code=204)


async def enable_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> TriggerRead:
    return state.store.triggers.set_state(trigger_id, user_id=user.id, enable=True)


async def disable_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> TriggerRead:
    return state.store.triggers.set_state(trigger_id, user_id=user.id, enable=False)


async def pin_trigger(trigger_id: UUID, payload: TriggerPinRequest, user: CurrentUser,
                      state: StateDep) -> TriggerRead:
    return state.store.triggers.pin(trigger_id, payload.flow_version_id, user_id=user.id)


async def list_trigger_events(trigger_id: UUID, user: CurrentUser, state: StateDep, limit: PageLimit = 50,
                              offset: PageOffset = 0) -> list[TriggerEventRead]:
    await engine.pump(state)
    return state.store.triggers.events(trigger_id, user_id=user.id, limit=limit, offset=offset)


async def _pumped(state: AppState, event: TriggerEventRead) -> TriggerEventRead:
    """A new ledger row as it was appended (pending), once the dispatcher has run it."""
    await engine.pump(state)
    return event


async def replay_trigger_event(trigger_id: UUID, payload: TriggerReplayRequest, user: CurrentUser,
                               state: StateDep) -> TriggerEventRead:
    return await _pumped(state, state.store.triggers.replay(trigger_id, payload.event_id, user_id=user.id))


async def test_trigger(trigger_id: UUID, payload: TriggerTestRequest, user: CurrentUser,
                       state: StateDep) -> TriggerEventRead:
    return await _pumped(state, state.store.triggers.test_event(trigger_id, payload.payload, user_id=user.id))


def _ingress(request: Request, trigger_id: UUID, public_id: str | None, secret: bool) -> TriggerIngressRead:
    """The address a caller posts to, built from the request's own origin (never the secret)."""
    url = str(request.url_for("receive_provider_delivery", provider=engine.PROVIDER_WEBHOOK, public_id=public_id)) \
        if public_id else None
    return TriggerIngressRead(trigger_id=trigger_id, public_id=public_id, ingress_url=url, has_signing_secret=secret)


async def get_trigger_ingress(trigger_id: UUID, request: Request, user: CurrentUser,
                              state: StateDep) -> TriggerIngressRead:
    row = state.store.triggers.get(trigger_id, user_id=user.id)
    require_ingress_kind(row)
    return _ingress(request, row.id, row.public_id, bool(row.signing_secret))


async def rotate_trigger_signing_secret(trigger_id: UUID, request: Request, user: CurrentUser,
                                        state: StateDep) -> TriggerSigningSecretRead:
    row, secret = state.store.triggers.rotate_secret(trigger_id, user_id=user.id)
    shown = _ingress(request, row.id, row.public_id, True)
    return TriggerSigningSecretRead(**shown.model_dump(), signing_secret=secret)


# --- the unauthenticated ingress: every refusal is the same 404 -----------------------------------------------


def _refused() -> JSONResponse:
    return JSONResponse({"detail": errors.INGRESS_NOT_FOUND}, status_code=404)


async def _bounded(request: Request, limit: int) -> bytes | None:
    body = bytearray()
    async for chunk in request.stream():
        if len(body) + len(chunk) > limit:
            return None
        body.extend(chunk)
    return bytes(body)


async def receive_provider_delivery(request: Request, state: StateDep, provider: Provider,
                                    public_id: PublicId) -> Response:
    """A provider's delivery: Microsoft Graph's handshake echoed; a generic webhook delivery verified, recorded
    and run (engine/triggers.py); anything else refused."""
    if provider not in engine.INGRESS_PROVIDERS:
        return _refused()
    handshake = engine.validation_token(provider, request.query_params)
    if handshake is not None:
        return PlainTextResponse(handshake)
    body = await _bounded(request, engine.MAX_BODY_BYTES)
    if not await engine.deliver(state, provider, public_id, request.headers, body):
        return _refused()
    return Response(status_code=202)


async def receive_slack_app_delivery(registration_id: RegistrationId) -> Response:
    """A Slack app's delivery: the mock has no OAuth app registrations, so none is known."""
    del registration_id
    return _refused()
