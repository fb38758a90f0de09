"""/api/v1/triggers (1.13): a flow's triggers, their event ledger and their signed-webhook ingress (store/triggers.py,
engine/triggers.py, both imported by the first call)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.routing import api_router
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

router = api_router(prefix="/triggers", tags=["Triggers"])

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


async def _pumped(state: AppState, event: TriggerEventRead) -> TriggerEventRead:
    """A new ledger row as it was appended (pending), after the dispatcher has run it."""
    from mock_langflow.engine.triggers import pump  # noqa: PLC0415 (loaded with the first trigger event)

    await pump(state)
    return event


@router.get("", response_model=list[TriggerRead])
async def list_triggers(user: CurrentUser, state: StateDep,
                        flow_id: Annotated[UUID, Query(description="Flow whose triggers to list")],
                        limit: Limit = 50, offset: Offset = 0) -> list[TriggerRead]:
    return state.store.triggers.list(flow_id, user_id=user.id, limit=limit, offset=offset)


@router.post("", response_model=TriggerRead, status_code=201)
async def create_trigger(payload: TriggerCreate, user: CurrentUser, state: StateDep) -> TriggerRead:
    return state.store.triggers.create(payload, user_id=user.id)


@router.get("/{trigger_id}", response_model=TriggerRead)
async def get_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> TriggerRead:
    from mock_langflow.store.triggers import trigger_read  # noqa: PLC0415

    return trigger_read(state.store.triggers.get(trigger_id, user_id=user.id))


@router.patch("/{trigger_id}", response_model=TriggerRead)
async def update_trigger(trigger_id: UUID, payload: TriggerUpdate, user: CurrentUser,
                         state: StateDep) -> TriggerRead:
    return state.store.triggers.update(trigger_id, payload, user_id=user.id)


@router.delete("/{trigger_id}", status_code=204)
async def delete_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    state.store.triggers.delete(trigger_id, user_id=user.id)
    return Response(status_code=204)


@router.post("/{trigger_id}/enable", response_model=TriggerRead)
async def enable_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> TriggerRead:
    return state.store.triggers.set_state(trigger_id, user_id=user.id, enable=True)


@router.post("/{trigger_id}/disable", response_model=TriggerRead)
async def disable_trigger(trigger_id: UUID, user: CurrentUser, state: StateDep) -> TriggerRead:
    return state.store.triggers.set_state(trigger_id, user_id=user.id, enable=False)


@router.post("/{trigger_id}/pin", response_model=TriggerRead)
async def pin_trigger(trigger_id: UUID, payload: TriggerPinRequest, user: CurrentUser,
                      state: StateDep) -> TriggerRead:
    return state.store.triggers.pin(trigger_id, payload.flow_version_id, user_id=user.id)


@router.get("/{trigger_id}/events", response_model=list[TriggerEventRead])
async def list_trigger_events(trigger_id: UUID, user: CurrentUser, state: StateDep, limit: Limit = 50,
                              offset: Offset = 0) -> list[TriggerEventRead]:
    return state.store.triggers.events(trigger_id, user_id=user.id, limit=limit, offset=offset)


@router.post("/{trigger_id}/replay", response_model=TriggerEventRead, status_code=202)
async def replay_trigger_event(trigger_id: UUID, payload: TriggerReplayRequest, user: CurrentUser,
                               state: StateDep) -> TriggerEventRead:
    return await _pumped(state, state.store.triggers.replay(trigger_id, payload.event_id, user_id=user.id))


@router.post("/{trigger_id}/test", response_model=TriggerEventRead, status_code=202)
async def test_trigger(trigger_id: UUID, payload: TriggerTestRequest, user: CurrentUser,
                       state: StateDep) -> TriggerEventRead:
    return await _pumped(state, state.store.triggers.test_event(trigger_id, payload.payload, user_id=user.id))


def _ingress(request: Request, trigger_id: UUID, public_id: str | None, secret: bool) -> TriggerIngressRead:
    """The address a caller posts to, built from the request's own origin (never the secret)."""
    url = str(request.url_for("receive_provider_delivery", provider="webhook", public_id=public_id)) \
        if public_id else None
    return TriggerIngressRead(trigger_id=trigger_id, public_id=public_id, ingress_url=url, has_signing_secret=secret)


@router.get("/{trigger_id}/ingress", response_model=TriggerIngressRead)
async def get_trigger_ingress(trigger_id: UUID, request: Request, user: CurrentUser,
                              state: StateDep) -> TriggerIngressRead:
    from mock_langflow.store.triggers import require_ingress_kind  # noqa: PLC0415

    row = state.store.triggers.get(trigger_id, user_id=user.id)
    require_ingress_kind(row)
    return _ingress(request, row.id, row.public_id, bool(row.signing_secret))


@router.post("/{trigger_id}/signing-secret", response_model=TriggerSigningSecretRead)
async def rotate_trigger_signing_secret(trigger_id: UUID, request: Request, user: CurrentUser,
                                        state: StateDep) -> TriggerSigningSecretRead:
    row, secret = state.store.triggers.rotate_secret(trigger_id, user_id=user.id)
    shown = _ingress(request, row.id, row.public_id, True)
    return TriggerSigningSecretRead(**shown.model_dump(), signing_secret=secret)


# --- the unauthenticated ingress: every refusal is the same 404 -----------------------------------------------

ingress_router = api_router(prefix="/triggers/ingress", tags=["Triggers"])
PublicId = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Provider = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
RegistrationId = Annotated[str, Path(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


def _refused() -> JSONResponse:
    return JSONResponse({"detail": errors.INGRESS_NOT_FOUND}, status_code=404)


async def _bounded(request: Request, limit: int) -> bytes | None:
    body = bytearray()
    async for chunk in request.stream():
        if len(body) + len(chunk) > limit:
            return None
        body.extend(chunk)
    return bytes(body)


@ingress_router.post("/{provider}/{public_id}")
async def receive_provider_delivery(request: Request, state: StateDep, provider: Provider,
                                    public_id: PublicId) -> Response:
    """A provider's delivery: Microsoft Graph's handshake echoed; a generic webhook delivery verified, recorded
    and run (engine/triggers.py); anything else refused."""
    from mock_langflow.engine import triggers  # noqa: PLC0415 (loaded with the first delivery)

    if provider not in triggers.INGRESS_PROVIDERS:
        return _refused()
    handshake = triggers.validation_token(provider, request.query_params)
    if handshake is not None:
        return PlainTextResponse(handshake)
    body = await _bounded(request, triggers.MAX_BODY_BYTES)
    if not await triggers.deliver(state, provider, public_id, request.headers, body):
        return _refused()
    return Response(status_code=202)


@ingress_router.post("/slack/apps/{registration_id}")
async def receive_slack_app_delivery(registration_id: RegistrationId) -> Response:
    """A Slack app's delivery: the mock has no OAuth app registrations, so none is known."""
    del registration_id
    return _refused()
