"""Long text as Langflow's serializer leaves it: cut after 6,000 characters in a build's events, its logged
vertex builds and transactions, and 1.13's v2 output events and background results; whole in a run's own
answer and in the messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_build import ndjson
from tests.api.test_build_vertices import walk
from tests.api.test_workflows import WF, sse, wait_status
from tests.conftest import create_flow, load_json, new_api_key

LONG = "".join(chr(ord("a") + i % 26) for i in range(7000))
CUT = LONG[:6000] + "..."
OUTPUT = "ChatOutput-eF2gH"
Setup = tuple[TestClient, dict[str, str], str]


def setup_flow(make_client: Callable[..., TestClient], version: str = "1.13.0") -> Setup:
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, load_json("flow_chat_io.json"))["id"]


def texts(value: Any) -> list[str]:
    """Every string in a JSON value that is one of LONG's two forms."""
    if isinstance(value, str):
        return [value] if value.startswith(LONG[:100]) else []
    if isinstance(value, dict):
        return [t for item in value.values() for t in texts(item)]
    if isinstance(value, list):
        return [t for item in value for t in texts(item)]
    return []


def only_cut(value: Any) -> bool:
    found = texts(value)
    return bool(found) and all(t == CUT for t in found)


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_builds_data_is_cut_but_its_messages_are_whole(make_client: Callable[..., TestClient],
                                                         version: str) -> None:
    client, headers, flow_id = setup_flow(make_client, version)
    job = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": LONG}},
                      headers=headers).json()["job_id"]
    events = ndjson(client.get(f"/api/v1/build/{job}/events", headers=headers).text)
    ends = [e["data"]["build_data"] for e in events if e["event"] == "end_vertex"]
    assert [b["id"] for b in ends][-1] == OUTPUT
    for build in ends:
        assert only_cut(build["data"])
        assert build["data"]["outputs"]["message"]["message"] == CUT
        assert LONG in build["params"]  # VertexBuildResponse leaves its params whole
    assert all(texts(e["data"]) == [LONG] * len(texts(e["data"])) for e in events if e["event"] == "add_message")
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [m["text"] for m in messages] == [LONG, LONG]

    logged = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers).json()
    builds = [b for per_vertex in logged["vertex_builds"].values() for b in per_vertex]
    assert len(builds) == 2 and all(only_cut(b) for b in builds)
    assert all(b["params"].startswith("- ") and LONG not in b["params"] for b in builds)


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_transactions_are_cut_and_a_runs_answer_is_whole(make_client: Callable[..., TestClient],
                                                         version: str) -> None:
    client, headers, flow_id = setup_flow(make_client, version)
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": LONG}, headers=headers).json()
    assert answer["outputs"][0]["outputs"][0]["results"]["message"]["text"] == LONG
    page = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    assert page["total"] == 2
    for row in page["items"]:
        assert row["outputs"]["message"]["message"] == CUT and only_cut(row)


def test_a_cut_read_inside_a_session_leaves_the_stored_rows_whole(make_client: Callable[..., TestClient]) -> None:
    """The cut is made on what is read (a data subject's export reads transactions inside its session): the
    database keeps every row whole, so a later read, or a release with other limits, still has all of it."""
    from sqlmodel import select

    from mock_langflow.store.jobs import as_stored
    from mock_langflow.store.run_records import TransactionRow

    client, headers, flow_id = setup_flow(make_client)
    client.post(f"/api/v1/run/{flow_id}", json={"input_value": LONG}, headers=headers)
    db = client.app.state.mock.store.db  # type: ignore[attr-defined]
    with db.session() as s:
        assert all(only_cut(row.outputs) for row in as_stored(list(s.exec(select(TransactionRow)).all())))
    with db.session() as s:
        assert all(texts(row.outputs) == [LONG] for row in s.exec(select(TransactionRow)).all())


def test_1_13s_output_events_and_background_results_are_cut_a_sync_runs_are_not(
        make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client)
    synced = client.post(WF, json={"flow_id": flow_id, "input_value": LONG}, headers=headers).json()
    assert synced["outputs"][OUTPUT]["content"] == LONG and synced["output"]["text"] == LONG

    streamed = client.post(WF, json={"flow_id": flow_id, "input_value": LONG, "mode": "stream"}, headers=headers)
    output = next(data for data, _ in sse(streamed.text) if data["event"] == "output")["data"]
    assert (output["component_id"], output["content"]) == (OUTPUT, CUT)

    job = client.post(WF, json={"flow_id": flow_id, "input_value": LONG, "mode": "background"},
                      headers=headers).json()["job_id"]
    done = wait_status(client, headers, job, {"completed"})
    assert done["outputs"][OUTPUT]["content"] == CUT and done["output"]["text"] == CUT


def test_the_vertex_by_vertex_build_answers_cut_data(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_flow(make_client)
    built = walk(client, headers, flow_id, LONG)
    assert [b["id"] for b in built] == ["ChatInput-aB1cD", OUTPUT]
    assert all(only_cut(b["data"]) for b in built)
    assert json.dumps(built).count(LONG) == 2  # the params of each


@pytest.mark.parametrize("kept", [False, True])
def test_a_sync_jobs_status_is_cut_unless_1_13_keeps_its_answer(make_client: Callable[..., TestClient],
                                                                 kept: bool) -> None:
    """By default 1.13 rebuilds a sync job's status from the vertex builds logged under it, which were stored
    cut; LANGFLOW_SYNC_RESULT_STORAGE_ENABLED keeps the answer as it was sent."""
    client = make_client(sync_result_storage_enabled=kept)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, load_json("flow_chat_io.json"))["id"]
    answer = client.post(WF, json={"flow_id": flow_id, "input_value": LONG, "session_id": "long"},
                         headers=headers).json()
    status = client.get(WF, params={"job_id": answer["job_id"]}, headers=headers).json()
    assert status["outputs"][OUTPUT]["content"] == (LONG if kept else CUT)
    assert status["session_id"] == "long"
