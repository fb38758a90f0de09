"""Which transactions and vertex builds are written and kept: the storage switches, the limits, and when each
release cuts to them (each write before 1.13; 1.13's telemetry writer's sweeper; every release at start-up)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from mock_langflow.app import build_state, create_app
from mock_langflow.clock import Clock
from mock_langflow.settings import Settings
from tests.conftest import create_flow, load_json, new_api_key

INPUT, OUTPUT = "ChatInput-aB1cD", "ChatOutput-eF2gH"
Setup = tuple[TestClient, dict[str, str], str]


def setup_flow(make_client: Callable[..., TestClient], version: str = "1.13.0", **settings: Any) -> Setup:
    client = make_client(langflow_version=version, **settings)
    client.app.state.mock.clock.frozen = datetime.now(UTC)  # type: ignore[attr-defined]
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, load_json("flow_chat_io.json"))["id"]


def later(client: TestClient, seconds: float) -> None:
    client.app.state.mock.clock.frozen += timedelta(seconds=seconds)  # type: ignore[attr-defined]


def run(client: TestClient, headers: dict[str, str], flow_id: str, text: str) -> None:
    """One /run (two transactions, two vertex builds), a second after the last."""
    later(client, 1)
    assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": text}, headers=headers).status_code == 200


def logged(client: TestClient, headers: dict[str, str], flow_id: str) -> tuple[list[str], int]:
    """The flow's transactions: the Chat Input's texts, newest first, and how many the Chat Output logged (a run's
    two share their time under the frozen clock, so their order is not asserted)."""
    page = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id, "size": 50}, headers=headers).json()
    assert page["total"] == len(page["items"])
    texts = [row["inputs"]["input_value"] for row in page["items"] if row["vertex_id"] == INPUT]
    return texts, sum(row["vertex_id"] == OUTPUT for row in page["items"])


def builds(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id},
                                       headers=headers).json()["vertex_builds"]
    return found


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_storage_switched_off_writes_neither(make_client: Callable[..., TestClient], version: str) -> None:
    client, headers, flow_id = setup_flow(make_client, version, transactions_storage_enabled=False,
                                          vertex_builds_storage_enabled=False)
    run(client, headers, flow_id, "unlogged")
    job = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "unlogged build"}},
                      headers=headers).json()["job_id"]
    assert client.get(f"/api/v1/build/{job}/events", headers=headers).status_code == 200
    assert logged(client, headers, flow_id) == ([], 0) and builds(client, headers, flow_id) == {}
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert len(messages) == 4  # the messages are kept all the same


def test_without_vertex_builds_a_sync_jobs_status_has_no_outputs(make_client: Callable[..., TestClient]) -> None:
    """1.13 rebuilds a sync job's status from its vertex builds: none stored, nothing to rebuild (the session is
    then the flow's id), unless LANGFLOW_SYNC_RESULT_STORAGE_ENABLED kept the answer."""
    for kept in (False, True):
        client, headers, flow_id = setup_flow(make_client, vertex_builds_storage_enabled=False,
                                              sync_result_storage_enabled=kept)
        answer = client.post("/api/v2/workflows", json={"flow_id": flow_id, "input_value": "gone",
                                                        "session_id": "s"}, headers=headers).json()
        assert answer["outputs"][OUTPUT]["content"] == "gone"
        status = client.get("/api/v2/workflows", params={"job_id": answer["job_id"]}, headers=headers).json()
        assert (status["status"], status["session_id"]) == ("completed", "s" if kept else flow_id)
        assert status["outputs"] == (answer["outputs"] if kept else {})


def test_one_switch_leaves_the_other_kind(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, vertex_builds_storage_enabled=False)
    run(client, headers, flow_id, "kept")
    assert logged(client, headers, flow_id) == (["kept"], 1) and builds(client, headers, flow_id) == {}


def test_before_1_13_each_write_cuts_its_flow(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, "1.8.4", max_transactions_to_keep=4,
                                          max_vertex_builds_to_keep=1)
    for text in ("one", "two", "three"):
        run(client, headers, flow_id, text)
    assert logged(client, headers, flow_id) == (["three", "two"], 2)
    kept = [b for per_vertex in builds(client, headers, flow_id).values() for b in per_vertex]
    assert len(kept) == 1 and "three" in str(kept[0]["data"])  # one build kept in all, of the newest run


def test_before_1_13_a_limit_under_one_keeps_the_row_just_written(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, "1.8.4", max_transactions_to_keep=0)
    run(client, headers, flow_id, "one")
    assert logged(client, headers, flow_id)[1] + len(logged(client, headers, flow_id)[0]) == 1


def test_1_13s_sweeper_cuts_what_was_written_before_it_woke(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, max_transactions_to_keep=2, max_vertex_builds_to_keep=2)
    for text in ("one", "two", "three"):
        run(client, headers, flow_id, text)
    assert logged(client, headers, flow_id) == (["three", "two", "one"], 3)
    later(client, 60)  # the sweeper wakes 60 s after the start
    assert logged(client, headers, flow_id) == (["three"], 1)
    run(client, headers, flow_id, "four")  # written after that wake: left for the next one
    assert logged(client, headers, flow_id) == (["four", "three"], 2)
    later(client, 60)
    assert logged(client, headers, flow_id) == (["four"], 1)


@pytest.mark.parametrize(("limit", "kept"), [(0, ([], 0)), (-1, (["two", "one"], 2))])
def test_1_13s_sweeper_reads_a_limit_as_sqlite_does(make_client: Callable[..., TestClient], limit: int,
                                                    kept: tuple[list[str], int]) -> None:
    client, headers, flow_id = setup_flow(make_client, max_transactions_to_keep=limit,
                                          telemetry_writer_cleanup_interval_s=5)
    for text in ("one", "two"):
        run(client, headers, flow_id, text)
    later(client, 5)
    assert logged(client, headers, flow_id) == kept


def test_1_13_without_its_telemetry_writer_cuts_at_each_write(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client, max_transactions_to_keep=2, telemetry_writer_enabled=False)
    for text in ("one", "two"):
        run(client, headers, flow_id, text)
    assert logged(client, headers, flow_id) == (["two"], 1)


def test_a_start_cuts_over_all_flows_builds_by_their_vertex_ids(tmp_path: Path) -> None:
    """At start-up the newest transactions of all flows are kept, and every build of a vertex id found past the
    newest builds goes, in any flow: two flows with the same node ids lose them all."""
    start = datetime.now(UTC)
    first = build_state(Settings(data_dir=tmp_path / "kept"), clock=Clock(frozen=start))
    with TestClient(create_app(state=first)) as client:
        headers = {"x-api-key": new_api_key(client)}
        flows = [create_flow(client, headers, load_json("flow_chat_io.json"))["id"] for _ in range(2)]
        for flow_id in flows:
            run(client, headers, flow_id, f"run of {flow_id}")
    first.dispose()
    for limit, builds_left in ((4, {INPUT, OUTPUT}), (2, set())):
        settings = Settings(data_dir=tmp_path / "kept", max_transactions_to_keep=2, max_vertex_builds_to_keep=limit)
        state = build_state(settings, clock=Clock(frozen=start + timedelta(minutes=1)))
        with TestClient(create_app(state=state)) as client:
            assert [logged(client, headers, flow_id)[1] for flow_id in flows] == [0, 1]
            assert [set(builds(client, headers, flow_id)) for flow_id in flows] == [builds_left, builds_left]
        state.dispose()


def test_a_sweep_of_thousands_of_rows_on_a_database_file_keeps_the_newest_and_goes_on(
        make_client: Callable[..., TestClient]) -> None:
    """A cut that large also hands the memory it took back (Database.shrink): the data and the server are as
    after any cut."""
    client, headers, flow_id = setup_flow(make_client, ephemeral=False, max_transactions_to_keep=2)
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    start = client.app.state.mock.clock.frozen  # type: ignore[attr-defined]
    for n in range(1500):  # older rows of the flow, as 750 runs would have left them
        store.jobs.add_transaction(id=uuid4(), flow_id=UUID(flow_id), vertex_id=INPUT,
                                   inputs={"input_value": f"old {n}"}, outputs=None,
                                   timestamp=start - timedelta(seconds=10) + timedelta(milliseconds=n))
    run(client, headers, flow_id, "newest")
    later(client, 60)
    assert logged(client, headers, flow_id) == (["newest"], 1)
    run(client, headers, flow_id, "after the sweep")
    assert logged(client, headers, flow_id) == (["after the sweep", "newest"], 2)  # (cut at the next wake)
    database = client.app.state.mock.settings.data_dir / "mock-langflow.db"  # type: ignore[attr-defined]
    with closing(sqlite3.connect(database)) as db:  # (sqlite3's own `with` leaves it open)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
