"""1.13's trigger dispatcher and its generic webhook ingress, for the mock: imported by the first trigger route.

Langflow's dispatcher is a loop that claims pending ledger rows and submits one background workflow run each, as
the trigger's owner; the mock runs the same pass (`pump`) right after a row is appended and whenever a job ends, so
a test never waits for a tick. A dispatched row is closed (completed, or failed with `job_<status>`) once its job
has finished, as Langflow's reconcile_dispatched closes it."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
from typing import Any
from uuid import UUID

from mock_langflow import errors
from mock_langflow.schemas.workflows import WorkflowMode, WorkflowRunRequest
from mock_langflow.state import AppState
from mock_langflow.store.models import JobRow
from mock_langflow.store.triggers import INGRESS_PREFIX, TriggerEventRow, TriggerRow
from mock_langflow.streaming import events

logger = logging.getLogger(__name__)

# Trigger states whose events run; the template field a trigger's canvas node gets the event in (as JSON text)
DISPATCHABLE = frozenset({"active", "pending", "error", "needs_reconnect"})
EVENT_FIELD = "event_payload"
SIGNATURE_TOLERANCE_S = 300  # Langflow's trigger_ingress_signature_tolerance_s
MAX_BODY_BYTES = 1_048_576  # Langflow's trigger_ingress_max_body_bytes
PROVIDER_WEBHOOK = "webhook"
INGRESS_PROVIDERS = frozenset({PROVIDER_WEBHOOK, "microsoft", "google"})
# The kinds each provider's deliveries may drive (a prefix ends with a dot)
PROVIDER_KINDS = {PROVIDER_WEBHOOK: "inbound_webhook", "microsoft": "microsoft.", "google": "google."}
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~+/= :")


def session_for(trigger: TriggerRow, event: TriggerEventRow) -> str:
    """The run's session: the payload's conversation key, else one per trigger (shared) or per event."""
    key = (event.payload or {}).get("session_key")
    if isinstance(key, str) and key.strip():
        return key
    if trigger.session_policy == "shared":
        return f"trigger:{trigger.id}"
    return f"trigger:{trigger.id}:{event.id}"


def envelope(trigger: TriggerRow, event: TriggerEventRow) -> dict[str, Any]:
    """What the trigger's component reads as its event."""
    return {"trigger_id": str(trigger.id), "event_id": str(event.id), "kind": trigger.kind,
            "provider": trigger.provider, "dedupe_key": event.dedupe_key, "attempt": event.attempt,
            "payload": event.payload or {}}


async def pump(state: AppState) -> None:
    """One scheduler and dispatcher pass: the schedules' due ticks, then close the rows whose job ended, dispatch
    the due ones, close those that failed at once (a graph that cannot be built). From now on every job's end runs
    a pass too."""
    if state.jobs.on_finish is None:
        state.jobs.on_finish = lambda _job: _after_job(state)
    state.store.triggers.schedule_ticks()
    _reconcile(state)
    for event, trigger in state.store.triggers.due():
        await _dispatch(state, event, trigger)
    _reconcile(state)


async def _after_job(state: AppState) -> None:
    """A run ended (or was stopped, a shutdown's included): the pass, whose failure must not become the job's."""
    try:
        await pump(state)
    except Exception:  # noqa: BLE001 (logged: a background pass has nobody to answer)
        logger.exception("trigger dispatcher pass failed")


def _reconcile(state: AppState) -> None:
    triggers = state.store.triggers
    for event_id, job_id in triggers.dispatched():
        job = state.store.jobs.get(job_id)
        if job is not None and job.status == "completed":
            triggers.account(event_id, state="completed")
        elif job is not None and job.status in ("failed", "cancelled"):
            triggers.account(event_id, state="failed", error=f"job_{job.status}")


async def _dispatch(state: AppState, event: TriggerEventRow, trigger: TriggerRow) -> None:
    """Run one row's flow as its trigger's owner, or say on the row (and the trigger) why not, in Langflow's
    order: the trigger out of service, its owner gone or inactive, a binding it cannot run."""
    triggers = state.store.triggers
    if not triggers.claim(event.id):  # another pass has it
        return
    if trigger.state not in DISPATCHABLE:
        triggers.account(event.id, state="failed", error=f"trigger_{trigger.state}")
        return
    owner = state.store.users.get(trigger.user_id)
    if owner is None or not owner.is_active:
        triggers.account(event.id, state="failed", error="owner_inactive")
        return
    graph, refusal = _binding(state, trigger)
    if refusal is not None:
        triggers.account(event.id, state="failed", error=refusal, trigger_error=refusal)
        return
    session = session_for(trigger, event)
    tweaks = {trigger.node_id: {EVENT_FIELD: json.dumps(envelope(trigger, event))}} if trigger.node_id else {}
    body = WorkflowRunRequest(flow_id=str(trigger.flow_id), mode=WorkflowMode.BACKGROUND, input_value="",
                              session_id=session, tweaks=tweaks, idempotency_key=f"trg:{event.id}")
    job = await submit(state, body, trigger.flow_id, trigger.user_id, graph)
    triggers.account(event.id, state="dispatched", job_id=job.id, session_id=session)


def _binding(state: AppState, trigger: TriggerRow) -> tuple[dict[str, Any] | None, str | None]:
    """The graph the trigger runs (None: the saved flow's), or why it cannot run: a deployment binding, or a pin
    whose version is gone or holds no graph."""
    if trigger.binding_target == "deployment":
        return None, errors.trigger_binding_unsupported(trigger.binding_target)
    if trigger.flow_version_id is None:
        return None, None
    from mock_langflow.store.flow_versions import FlowVersionRow  # noqa: PLC0415 (its table loads on first use)

    with state.store.db.session() as s:
        version = s.get(FlowVersionRow, trigger.flow_version_id)
    if version is None or version.flow_id != trigger.flow_id or version.data is None:
        return None, errors.trigger_binding_unsupported("pinned_version_missing")
    return version.data, None


async def submit(state: AppState, body: WorkflowRunRequest, flow_id: UUID, user_id: UUID,
                 graph: dict[str, Any] | None) -> JobRow:
    """A background v2 run of the flow as `user_id` (Langflow's background execution service): its job, which
    the owner can poll at /api/v2/workflows?job_id=."""
    from mock_langflow.routers.workflows import _job_spec, build_failure  # noqa: PLC0415 (the v2 run machinery)

    flow = state.store.flows.get(flow_id, user_id=user_id)
    graph = graph if graph is not None else flow.data
    failure = build_failure(state, body, flow.id, user_id, graph)
    spec = _job_spec(state, body, flow, user_id, graph, {})
    job = state.jobs.create(spec, user_id=user_id, idempotency_key=body.idempotency_key,
                            extra={"echo": spec.echo, "output_ids": None, "graph_state": body.graph_state_shown(),
                                   "mode": body.mode.value, "body": body.model_dump(mode="json", exclude={"data"})})
    if failure is not None:
        await state.jobs.fail(job, [(events.ERROR, failure[1])], error=failure[0])
    else:
        state.jobs.start(job, spec)
    return job


# --- ingress ------------------------------------------------------------------------------------------------

class Rejected(Exception):  # noqa: N818 (a refusal, answered as every refusal is: 404 "Not found")
    pass


def validation_token(provider: str, query: Any) -> str | None:
    """Microsoft Graph's subscription handshake token, echoed before any trigger is looked up."""
    token = query.get("validationToken") if provider == "microsoft" else None
    if not token or len(token) > 2048 or not set(token) <= _TOKEN_CHARS:
        return None
    return str(token)


def target(state: AppState, provider: str, public_id: str) -> TriggerRow | None:
    """The trigger a delivery names, when its kind is one the provider may drive."""
    row = state.store.triggers.by_public_id(public_id)
    kinds = PROVIDER_KINDS.get(provider, "")
    if row is None or not (row.kind == kinds or (kinds.endswith(".") and row.kind.startswith(kinds))):
        return None
    return row


def verify_webhook(secret: str | None, headers: Any, body: bytes, now: float) -> tuple[dict[str, Any], str]:
    """The generic signed webhook: `X-Langflow-Signature: v1=<hex HMAC-SHA256 of "v1:<timestamp>:<body>">` with
    the trigger's secret, `X-Langflow-Timestamp` within the tolerance either way; a JSON object body. Returns the
    payload and the dedupe suffix (a digest of the timestamp and body: a retry of the same bytes is one event)."""
    signature, raw = headers.get("X-Langflow-Signature"), headers.get("X-Langflow-Timestamp")
    if not signature or not raw:
        raise Rejected
    try:
        parsed = float(raw)
    except ValueError as exc:
        raise Rejected from exc
    if not math.isfinite(parsed) or abs(now - int(parsed)) > SIGNATURE_TOLERANCE_S or not secret:
        raise Rejected
    stamp = f"{int(parsed)}:".encode()
    expected = "v1=" + hmac.new(secret.encode(), b"v1:" + stamp + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogatepass")):
        raise Rejected
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, RecursionError) as exc:
        raise Rejected from exc
    if not isinstance(payload, dict):
        raise Rejected
    return payload, hashlib.sha256(stamp + body).hexdigest()[:32]


async def deliver(state: AppState, provider: str, public_id: str, headers: Any, body: bytes | None) -> bool:
    """Take one webhook delivery into the trigger's ledger (a redelivery collapses into the first), then run the
    dispatcher. False: refused, for whatever reason (the caller answers every refusal alike)."""
    row = target(state, provider, public_id)
    if row is None or body is None or row.state not in ("active", "pending") or provider != PROVIDER_WEBHOOK:
        return False
    try:
        payload, suffix = verify_webhook(state.store.triggers.ingress_secret(row), headers, body,
                                         state.clock.now().timestamp())
    except Rejected:
        return False
    state.store.triggers.append(row.id, f"{INGRESS_PREFIX}:{provider}:{suffix}",
                                {"provider": provider, "delivery": payload})
    await pump(state)
    return True
