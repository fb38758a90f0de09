"""1.13's flow triggers (/api/v1/triggers): CRUD on the caller's flows, states, pins, the event ledger that test,
replay and the signed webhook ingress append to, and the runs they start."""

from __future__ import annotations

import copy
import hashlib
import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, other_user_key

URL = "/api/v1/triggers"
START = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def make_trigger(client: TestClient, headers: dict[str, str], flow_id: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "nightly", "kind": "inbound_webhook", "flow_id": flow_id, **fields}
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), f"v1:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()


def settle(client: TestClient, headers: dict[str, str], trigger_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The trigger's ledger once its `count` newest rows are no longer waiting on their runs."""
    for _ in range(500):
        rows = client.get(f"{URL}/{trigger_id}/events", headers=headers).json()
        if len(rows) >= count and all(r["state"] not in ("pending", "dispatched") for r in rows[:count]):
            return rows
        time.sleep(0.01)
    raise AssertionError(rows)


@pytest.fixture
def flow_id(client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> str:
    return str(create_flow(client, key_headers, chat_flow)["id"])


def test_a_created_trigger_reads_back_with_langflows_fields_and_defaults(client: TestClient,
                                                                         key_headers: dict[str, str],
                                                                         flow_id: str) -> None:
    client.app.state.mock.clock.frozen = START  # type: ignore[attr-defined]
    made = make_trigger(client, key_headers, flow_id, provider="webhook")
    owner = client.get("/api/v1/users/whoami", headers=key_headers).json()["id"]
    assert made == {"id": made["id"], "flow_id": flow_id, "user_id": owner, "name": "nightly",
                    "kind": "inbound_webhook", "provider": "webhook", "node_id": None, "connection_id": None,
                    "config": {}, "state": "pending", "binding_target": "flow", "deployment_id": None,
                    "flow_version_id": None, "session_policy": "per_event", "concurrency_limit": 1,
                    "max_attempts": 5, "next_fire_at": None, "last_fired_at": None, "last_error": None,
                    "created_at": "2026-03-04T05:06:07", "updated_at": "2026-03-04T05:06:07"}
    assert client.get(f"{URL}/{made['id']}", headers=key_headers).json() == made
    listed = client.get(URL, params={"flow_id": flow_id}, headers=key_headers)
    assert listed.status_code == 200
    assert listed.json() == [made]


def test_the_list_is_newest_first_and_paged(client: TestClient, key_headers: dict[str, str], flow_id: str) -> None:
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    ids = []
    for n in range(3):
        clock.frozen = START + timedelta(seconds=n)
        ids.append(make_trigger(client, key_headers, flow_id, name=f"t{n}")["id"])
    page = client.get(URL, params={"flow_id": flow_id, "limit": 2, "offset": 1}, headers=key_headers).json()
    assert [t["id"] for t in page] == [ids[1], ids[0]]
    assert client.get(URL, params={"flow_id": flow_id, "limit": 201}, headers=key_headers).status_code == 422
    assert client.get(URL, headers=key_headers).status_code == 422  # flow_id is required


@pytest.mark.parametrize(("fields", "status", "detail"), [
    ({"kind": "Bad Kind"}, 422, None),
    ({"provider": "UPPER"}, 422, None),
    ({"concurrency_limit": 0}, 422, None),
    ({"max_attempts": 21}, 422, None),
    ({"unknown": 1}, 422, None),
    ({"binding_target": "deployment"}, 422, "A deployment binding requires deployment_id."),
    ({"kind": "slack.message"},
     422, "A 'slack.message' trigger is created by adding its component to the flow, not through this API."),
    ({"config": {"mechanism_id": "x"}},
     422, "mechanism_id is derived from the trigger's connection and cannot be set."),
    ({"connection_id": str(uuid4())}, 422, "A trigger can only use a connection its owner owns. Choose one of your "
     "own connections; shared and instance connections cannot back a trigger."),
    ({"flow_version_id": str(uuid4())}, 404, "Flow version not found for this trigger's flow."),
    ({"kind": "schedule", "config": {"cron": "61 * * * *"}},
     422, "Invalid cron expression: a valid five-field cron expression is required."),
    ({"kind": "schedule", "state": "active"},
     422, "Invalid cron expression: a valid five-field cron expression is required."),
    ({"kind": "schedule", "config": {"cron": "0 0 31 2 *"}},
     422, "Invalid cron expression: it never matches a real date."),
    ({"kind": "schedule", "config": {"cron": "0 9 * * mon-fri", "timezone": "Mars/Olympus"}},
     422, "Unknown timezone; use an IANA timezone name."),
    ({"kind": "schedule", "config": {"cron": "0 9 * * *", "catchup_policy": "all"}},
     422, "catchup_policy must be 'coalesce' or 'skip'."),
])
def test_create_refuses_what_langflow_refuses(client: TestClient, key_headers: dict[str, str], flow_id: str,
                                              fields: dict[str, Any], status: int, detail: str | None) -> None:
    response = client.post(URL, json={"name": "n", "kind": "schedule", "flow_id": flow_id, **fields},
                           headers=key_headers)
    assert response.status_code == status, response.text
    if detail is not None:
        assert response.json() == {"detail": detail}
    assert client.get(URL, params={"flow_id": flow_id}, headers=key_headers).json() == []


def test_a_schedule_is_normalised(client: TestClient, key_headers: dict[str, str], flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id, kind="schedule",
                        config={"cron": " */15  9-17 * * MON-FRI ", "timezone": "Europe/Paris"})
    assert made["config"] == {"cron": "*/15 9-17 * * MON-FRI", "timezone": "Europe/Paris",
                              "catchup_policy": "coalesce"}


def test_another_users_trigger_and_flow_are_not_found(client: TestClient, key_headers: dict[str, str],
                                                      flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id)
    bob = {"x-api-key": other_user_key(client, key_headers)}
    for method, path in (("get", f"{URL}/{made['id']}"), ("delete", f"{URL}/{made['id']}"),
                         ("post", f"{URL}/{made['id']}/enable"), ("get", f"{URL}/{made['id']}/events"),
                         ("get", f"{URL}/{uuid4()}")):
        response = client.request(method, path, headers=bob)
        assert response.status_code == 404
        assert response.json() == {"detail": "Trigger not found"}
    assert client.get(URL, params={"flow_id": flow_id}, headers=bob).status_code == 404
    refused = client.post(URL, json={"name": "n", "kind": "webhook", "flow_id": flow_id}, headers=bob)
    assert refused.json() == {"detail": "Trigger not found"}
    assert client.get(URL, params={"flow_id": flow_id}, headers=key_headers).json() == [made]


def test_patch_changes_only_what_is_sent(client: TestClient, key_headers: dict[str, str], flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id)
    changed = client.patch(f"{URL}/{made['id']}", json={"name": "renamed", "session_policy": "shared"},
                           headers=key_headers)
    assert changed.status_code == 200
    assert changed.json()["name"] == "renamed"
    assert changed.json()["session_policy"] == "shared"
    assert changed.json()["max_attempts"] == 5
    null = client.patch(f"{URL}/{made['id']}", json={"name": None}, headers=key_headers)
    assert null.status_code == 422
    deployment = client.patch(f"{URL}/{made['id']}", json={"binding_target": "deployment"}, headers=key_headers)
    assert deployment.json() == {"detail": "A deployment binding requires deployment_id."}
    assert client.get(f"{URL}/{made['id']}", headers=key_headers).json()["binding_target"] == "flow"


def test_enable_disable_and_delete(client: TestClient, key_headers: dict[str, str], flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id)
    assert client.post(f"{URL}/{made['id']}/enable", headers=key_headers).json()["state"] == "active"
    assert client.post(f"{URL}/{made['id']}/disable", headers=key_headers).json()["state"] == "paused"
    broken = make_trigger(client, key_headers, flow_id, kind="schedule")  # a schedule with no cron yet
    refused = client.post(f"{URL}/{broken['id']}/enable", headers=key_headers)
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Invalid cron expression: a valid five-field cron expression is required."}
    assert client.delete(f"{URL}/{made['id']}", headers=key_headers).status_code == 204
    assert client.get(f"{URL}/{made['id']}", headers=key_headers).status_code == 404


def test_a_pin_names_a_version_of_the_triggers_own_flow(client: TestClient, key_headers: dict[str, str],
                                                        flow_id: str, chat_flow: dict[str, Any]) -> None:
    made = make_trigger(client, key_headers, flow_id)
    version = client.post(f"/api/v1/flows/{flow_id}/versions/", json={}, headers=key_headers)
    assert version.status_code == 201, version.text
    pinned = client.post(f"{URL}/{made['id']}/pin", json={"flow_version_id": version.json()["id"]},
                         headers=key_headers)
    assert pinned.json()["flow_version_id"] == version.json()["id"]
    other = create_flow(client, key_headers, {**chat_flow, "name": "other"})["id"]
    foreign = client.post(f"/api/v1/flows/{other}/versions/", json={}, headers=key_headers).json()["id"]
    refused = client.post(f"{URL}/{made['id']}/pin", json={"flow_version_id": foreign}, headers=key_headers)
    assert refused.status_code == 404
    assert refused.json() == {"detail": "Flow version not found for this trigger's flow."}
    assert client.post(f"{URL}/{made['id']}/pin", json={}, headers=key_headers).status_code == 422
    unpinned = client.post(f"{URL}/{made['id']}/pin", json={"flow_version_id": None}, headers=key_headers)
    assert unpinned.json()["flow_version_id"] is None


def test_a_test_event_runs_the_flow_as_its_owner_and_completes(client: TestClient, key_headers: dict[str, str],
                                                                flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id, state="active")
    fired = client.post(f"{URL}/{made['id']}/test", json={"payload": {"hello": "world"}}, headers=key_headers)
    assert fired.status_code == 202
    event = fired.json()
    assert event["state"] == "pending"
    assert event["payload"] == {"hello": "world", "test": True}
    assert event["dedupe_key"].startswith("test:")
    assert event["job_id"] is None
    done = settle(client, key_headers, made["id"])[0]
    assert done["id"] == event["id"]
    assert done["state"] == "completed"
    assert done["session_id"] == f"trigger:{made['id']}:{event['id']}"
    job = client.get("/api/v2/workflows", params={"job_id": done["job_id"]}, headers=key_headers)
    assert job.status_code == 200
    assert job.json()["status"] == "completed"
    assert client.get(f"{URL}/{made['id']}", headers=key_headers).json()["last_fired_at"] is not None


def test_a_paused_triggers_event_fails_and_a_dead_one_cannot_be_tested(client: TestClient,
                                                                       key_headers: dict[str, str],
                                                                       flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id)
    client.post(f"{URL}/{made['id']}/disable", headers=key_headers)
    client.post(f"{URL}/{made['id']}/test", json={}, headers=key_headers)
    failed = settle(client, key_headers, made["id"])[0]
    assert (failed["state"], failed["error"], failed["job_id"]) == ("failed", "trigger_paused", None)


def test_replay_appends_a_linked_row_and_leaves_the_original(client: TestClient, key_headers: dict[str, str],
                                                             flow_id: str) -> None:
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = START
    made = make_trigger(client, key_headers, flow_id)
    first = client.post(f"{URL}/{made['id']}/test", json={"payload": {"n": 1}}, headers=key_headers).json()
    clock.frozen = START + timedelta(seconds=5)
    replay = client.post(f"{URL}/{made['id']}/replay", json={"event_id": first["id"]}, headers=key_headers)
    assert replay.status_code == 202
    assert replay.json()["replay_of_event_id"] == first["id"]
    assert replay.json()["payload"] == first["payload"]
    assert replay.json()["dedupe_key"].startswith(f"replay:{first['id']}:")
    rows = settle(client, key_headers, made["id"], count=2)
    assert [r["id"] for r in rows] == [replay.json()["id"], first["id"]]
    missing = client.post(f"{URL}/{made['id']}/replay", json={"event_id": str(uuid4())}, headers=key_headers)
    assert (missing.status_code, missing.json()) == (404, {"detail": "Event not found"})
    clock.frozen = START + timedelta(days=8)
    late = client.post(f"{URL}/{made['id']}/replay", json={"event_id": first["id"]}, headers=key_headers)
    assert (late.status_code, late.json()) == (409, {"detail": "Event is outside the 7-day replay window."})


def test_ingress_is_for_inbound_webhooks_and_the_secret_is_shown_once(client: TestClient,
                                                                      key_headers: dict[str, str],
                                                                      flow_id: str) -> None:
    schedule = make_trigger(client, key_headers, flow_id, kind="schedule")
    refused = client.get(f"{URL}/{schedule['id']}/ingress", headers=key_headers)
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Only inbound webhook triggers have an owner-managed signing secret."}
    made = make_trigger(client, key_headers, flow_id)
    before = client.get(f"{URL}/{made['id']}/ingress", headers=key_headers).json()
    assert before == {"trigger_id": made["id"], "public_id": None, "ingress_url": None, "has_signing_secret": False}
    minted = client.post(f"{URL}/{made['id']}/signing-secret", headers=key_headers).json()
    assert minted["has_signing_secret"] is True
    assert minted["ingress_url"] == f"http://testserver/api/v1/triggers/ingress/webhook/{minted['public_id']}"
    shown = client.get(f"{URL}/{made['id']}/ingress", headers=key_headers).json()
    assert shown == {k: v for k, v in minted.items() if k != "signing_secret"}
    rotated = client.post(f"{URL}/{made['id']}/signing-secret", headers=key_headers).json()
    assert rotated["public_id"] == minted["public_id"]
    assert rotated["signing_secret"] != minted["signing_secret"]


def test_a_signed_delivery_is_recorded_once_and_run(client: TestClient, key_headers: dict[str, str],
                                                    flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id)
    secret = client.post(f"{URL}/{made['id']}/signing-secret", headers=key_headers).json()
    url = f"/api/v1/triggers/ingress/webhook/{secret['public_id']}"
    body = b'{"order": 42}'
    now = int(client.app.state.mock.clock.now().timestamp())  # type: ignore[attr-defined]
    headers = {"X-Langflow-Signature": sign(secret["signing_secret"], now, body), "X-Langflow-Timestamp": str(now)}
    for _ in range(2):  # a redelivery collapses into the first
        accepted = client.post(url, content=body, headers=headers)
        assert accepted.status_code == 202
        assert accepted.content == b""
    rows = settle(client, key_headers, made["id"])
    assert len(rows) == 1
    assert rows[0]["payload"] == {"provider": "webhook", "delivery": {"order": 42}}
    assert rows[0]["dedupe_key"].startswith("ingress:webhook:")
    assert rows[0]["state"] == "completed"


@pytest.mark.parametrize("tamper", ["signature", "stale", "old_secret", "unknown_id", "provider", "paused"])
def test_every_refused_delivery_is_the_same_404(client: TestClient, key_headers: dict[str, str], flow_id: str,
                                                tamper: str) -> None:
    made = make_trigger(client, key_headers, flow_id)
    old = client.post(f"{URL}/{made['id']}/signing-secret", headers=key_headers).json()
    secret = client.post(f"{URL}/{made['id']}/signing-secret", headers=key_headers).json()
    body, now = b'{"a": 1}', int(client.app.state.mock.clock.now().timestamp())  # type: ignore[attr-defined]
    key, stamp, provider, public_id = secret["signing_secret"], now, "webhook", secret["public_id"]
    if tamper == "old_secret":
        key = old["signing_secret"]
    if tamper == "stale":
        stamp = now - 301
    if tamper == "unknown_id":
        public_id = "unknownpublicid"
    if tamper == "provider":
        provider = "google"
    if tamper == "paused":
        client.post(f"{URL}/{made['id']}/disable", headers=key_headers)
    signature = sign(key, stamp, body) + ("0" if tamper == "signature" else "")
    refused = client.post(f"/api/v1/triggers/ingress/{provider}/{public_id}", content=body,
                          headers={"X-Langflow-Signature": signature, "X-Langflow-Timestamp": str(stamp)})
    assert refused.status_code == 404
    assert refused.json() == {"detail": "Not found"}
    assert client.get(f"{URL}/{made['id']}/events", headers=key_headers).json() == []


def test_graphs_subscription_handshake_is_echoed(client: TestClient) -> None:
    echoed = client.post("/api/v1/triggers/ingress/microsoft/anything1", params={"validationToken": "abc 123"})
    assert echoed.status_code == 200
    assert echoed.text == "abc 123"
    assert echoed.headers["content-type"].startswith("text/plain")
    slack = client.post("/api/v1/triggers/ingress/slack/apps/my-app", content=b"{}")
    assert (slack.status_code, slack.json()) == (404, {"detail": "Not found"})


def test_a_deleted_flow_takes_its_triggers(client: TestClient, key_headers: dict[str, str], flow_id: str) -> None:
    made = make_trigger(client, key_headers, flow_id)
    client.post(f"{URL}/{made['id']}/test", json={}, headers=key_headers)
    settle(client, key_headers, made["id"])
    assert client.delete(f"/api/v1/flows/{flow_id}", headers=key_headers).status_code == 200
    assert client.get(f"{URL}/{made['id']}", headers=key_headers).status_code == 404


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_releases_have_no_triggers(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version)
    response = client.get(URL, params={"flow_id": str(uuid4())})
    # 1.8's 404; 1.7.1 answers a path it does not serve with its frontend page
    assert response.status_code == 404 or response.headers["content-type"].startswith("text/html")
    assert "/api/v1/triggers" not in client.get("/openapi.json").json()["paths"]


def test_a_pinned_version_is_neither_deleted_nor_pruned(client: TestClient, key_headers: dict[str, str],
                                                        flow_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # as LANGFLOW_MAX_FLOW_VERSION_ENTRIES_PER_FLOW=2 would have set it
    monkeypatch.setattr(client.app.state.mock.store.flows, "max_versions", 2)  # type: ignore[attr-defined]
    made = make_trigger(client, key_headers, flow_id)
    versions_url = f"/api/v1/flows/{flow_id}/versions/"
    first = client.post(versions_url, json={}, headers=key_headers).json()["id"]
    client.post(f"{URL}/{made['id']}/pin", json={"flow_version_id": first}, headers=key_headers)
    refused = client.delete(f"{versions_url}{first}", headers=key_headers)
    assert refused.status_code == 409
    assert refused.json() == {"detail": f"Version entry {first} is pinned by a trigger and cannot be deleted. "
                                        "Unpin it first."}
    for _ in range(3):
        client.post(versions_url, json={}, headers=key_headers)
    kept = [v["id"] for v in client.get(versions_url, headers=key_headers).json()["entries"]]
    assert len(kept) == 3
    assert first in kept


def test_a_schedule_fires_by_the_mocks_clock(client: TestClient, key_headers: dict[str, str], flow_id: str) -> None:
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)  # a Wednesday
    made = make_trigger(client, key_headers, flow_id, kind="schedule", state="active",
                        config={"cron": "0 9 * * *", "timezone": "Europe/Paris"})
    armed = client.get(f"{URL}/{made['id']}", headers=key_headers).json()
    assert armed["next_fire_at"] == "2026-03-04T08:00:00"  # 09:00 in Paris; nothing fired on arming
    assert client.get(f"{URL}/{made['id']}/events", headers=key_headers).json() == []
    clock.frozen = datetime(2026, 3, 4, 8, 0, 2, tzinfo=UTC)
    tick = settle(client, key_headers, made["id"])[0]
    assert tick["dedupe_key"] == "tick:2026-03-04T08:00:00+00:00"
    assert tick["payload"] == {"scheduled_at": "2026-03-04T08:00:00+00:00", "cron": "0 9 * * *",
                               "timezone": "Europe/Paris"}
    assert tick["state"] == "completed"
    assert client.get(f"{URL}/{made['id']}", headers=key_headers).json()["next_fire_at"] == "2026-03-05T08:00:00"
    # three days later: one event for the latest fire time, the ones missed listed (coalesce, the default)
    clock.frozen = datetime(2026, 3, 7, 12, 0, 0, tzinfo=UTC)
    late = settle(client, key_headers, made["id"], count=2)[0]
    assert late["payload"]["scheduled_at"] == "2026-03-07T08:00:00+00:00"
    assert late["payload"]["missed_ticks"] == ["2026-03-05T08:00:00+00:00", "2026-03-06T08:00:00+00:00"]


def test_a_skipping_schedule_drops_late_ticks(client: TestClient, key_headers: dict[str, str],
                                              flow_id: str) -> None:
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    made = make_trigger(client, key_headers, flow_id, kind="schedule", state="active",
                        config={"cron": "*/10 * * * *", "catchup_policy": "skip"})
    client.get(f"{URL}/{made['id']}", headers=key_headers)
    clock.frozen = datetime(2026, 3, 4, 5, 31, 0, tzinfo=UTC)  # 05:30 is 60 s late: dropped
    assert client.get(f"{URL}/{made['id']}/events", headers=key_headers).json() == []
    assert client.get(f"{URL}/{made['id']}", headers=key_headers).json()["next_fire_at"] == "2026-03-04T05:40:00"
    clock.frozen = datetime(2026, 3, 4, 5, 40, 3, tzinfo=UTC)  # on time
    assert [e["dedupe_key"] for e in settle(client, key_headers, made["id"])] == ["tick:2026-03-04T05:40:00+00:00"]


def schedule_node(node_id: str, cron: str) -> dict[str, Any]:
    return {"id": node_id, "type": "genericNode", "position": {"x": 0, "y": 0},
            "data": {"id": node_id, "type": "ScheduleTrigger",
                     "node": {"template": {"cron_expression": {"value": cron}, "timezone": {"value": "UTC"}}}}}


def test_a_saved_trigger_node_keeps_a_pending_trigger_in_step(client: TestClient, key_headers: dict[str, str],
                                                              chat_flow: dict[str, Any]) -> None:
    graph = copy.deepcopy(chat_flow["data"])
    graph["nodes"].append(schedule_node("ScheduleTrigger-x1", "0 9 * * *"))
    flow = create_flow(client, key_headers, {**chat_flow, "data": graph})
    rows = client.get(URL, params={"flow_id": flow["id"]}, headers=key_headers).json()
    assert [(r["name"], r["kind"], r["node_id"], r["state"], r["config"]) for r in rows] == [
        ("Schedule 0 9 * * *", "schedule", "ScheduleTrigger-x1", "pending",
         {"cron": "0 9 * * *", "timezone": "UTC", "catchup_policy": "coalesce", "share_session": False})]
    graph["nodes"][-1]["data"]["node"]["template"]["cron_expression"]["value"] = "not cron"
    client.patch(f"/api/v1/flows/{flow['id']}", json={"data": graph}, headers=key_headers)
    broken = client.get(f"{URL}/{rows[0]['id']}", headers=key_headers).json()
    assert (broken["state"], broken["config"]["cron"]) == ("pending", "not cron")
    assert broken["last_error"] == "Invalid cron expression: a valid five-field cron expression is required."
    graph["nodes"].pop()
    client.patch(f"/api/v1/flows/{flow['id']}", json={"data": graph}, headers=key_headers)
    removed = client.get(f"{URL}/{rows[0]['id']}", headers=key_headers).json()
    assert (removed["state"], removed["last_error"]) == ("paused", "trigger node removed from the flow")
