"""1.13's ceilings on a v2 run: LANGFLOW_WORKFLOW_EXECUTION_TIMEOUT for a sync or stream run (a 408, or the
stream's closing error) and LANGFLOW_BACKGROUND_JOB_TIMEOUT for a background job (timed_out)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.api.test_build import CONTRACT_SCRIPT, slow_echo
from tests.api.test_workflows import WF, sse, wait_status
from tests.conftest import create_flow, new_api_key

Setup = tuple[TestClient, dict[str, str], str]


def setup_slow(make_client: Callable[..., TestClient], delay: float, **settings: Any) -> Setup:
    """A flow whose Slow Echo takes `delay` seconds."""
    client = make_client(scripts=[CONTRACT_SCRIPT], **settings)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, slow_echo(delay))["id"]


def test_a_sync_run_past_the_ceiling_is_a_408_and_its_job_failed(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_slow(make_client, 5, workflow_execution_timeout=1)
    started = time.monotonic()
    response = client.post(WF, json={"flow_id": flow_id, "input_value": "too slow", "session_id": "slow"},
                           headers=headers)
    assert time.monotonic() - started < 4  # (the run was stopped at the ceiling, not waited for)
    assert response.status_code == 408
    detail = response.json()["detail"]
    job_id = detail.pop("job_id")
    assert detail == {"error": "Execution timeout", "code": "EXECUTION_TIMEOUT",
                      "message": "Workflow execution exceeded 1 seconds", "flow_id": flow_id, "timeout_seconds": 1}
    status = client.get(WF, params={"job_id": job_id}, headers=headers)
    assert status.status_code == 500 and status.json()["detail"]["code"] == "JOB_FAILED"
    messages = client.get("/api/v1/monitor/messages", params={"session_id": "slow"}, headers=headers).json()
    assert [m["text"] for m in messages] == ["too slow"]  # what was stored before the ceiling stays


def test_a_stream_past_the_ceiling_ends_with_its_error(make_client: Callable[..., TestClient]) -> None:
    client, headers, flow_id = setup_slow(make_client, 5, workflow_execution_timeout=1)
    response = client.post(WF, json={"flow_id": flow_id, "input_value": "slow", "mode": "stream"}, headers=headers)
    frames = [data for data, _ in sse(response.text)]
    assert frames[-1] == {"event": "error", "data": {"error": "Workflow execution timed out."}}
    assert "end" not in [f["event"] for f in frames]
    agui = client.post(WF, json={"flow_id": flow_id, "input_value": "slow", "mode": "stream",
                                 "stream_protocol": "agui"}, headers=headers)
    assert sse(agui.text)[-1][0] == {"type": "RUN_ERROR", "message": "Workflow execution timed out."}


def test_a_background_job_past_its_timeout_is_timed_out(make_client: Callable[..., TestClient],
                                                        chat_flow: dict[str, Any]) -> None:
    client = make_client(job_latency_ms=3000, background_job_timeout=0.2)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    job_id = client.post(WF, json={"flow_id": flow_id, "input_value": "bg", "mode": "background"},
                         headers=headers).json()["job_id"]
    for _ in range(300):
        status = client.get(WF, params={"job_id": job_id}, headers=headers)
        if status.status_code != 200:
            break
        time.sleep(0.01)
    assert (status.status_code, status.json()) == (408, {"detail": {
        "error": "Execution timeout", "code": "EXECUTION_TIMEOUT", "message": "Workflow execution timed out",
        "job_id": job_id, "flow_id": flow_id}})
    replay = [data for data, _ in sse(client.get(f"{WF}/{job_id}/events", headers=headers).text)]
    assert replay[-1] == {"type": "timed_out"}
    stopped = client.post(f"{WF}/stop", json={"job_id": job_id}, headers=headers).json()
    assert stopped["message"] == f"Job {job_id} already finished (timed_out)."


def test_without_a_background_timeout_a_slow_job_completes(make_client: Callable[..., TestClient],
                                                           chat_flow: dict[str, Any]) -> None:
    client = make_client(job_latency_ms=300, workflow_execution_timeout=0)  # the sync ceiling is not a job's
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    job_id = client.post(WF, json={"flow_id": flow_id, "input_value": "bg", "mode": "background"},
                         headers=headers).json()["job_id"]
    assert wait_status(client, headers, job_id, {"completed"})["output"]["text"] == "bg"
