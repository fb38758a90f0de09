"""Version profiles over a real socket: the streams older releases leave open."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import start_server, stop_server


def read_until_quiet(response: httpx.Response) -> tuple[list[dict[str, Any]], bool]:
    """The events that arrived, and whether the stream was still open when the client gave up."""
    text = ""
    try:
        for chunk in response.iter_text():
            text += chunk
    except httpx.ReadTimeout:
        return [json.loads(x) for x in text.split("\n") if x.strip()], True
    return [json.loads(x) for x in text.split("\n") if x.strip()], False


@pytest.mark.parametrize(("version", "stays_open"), [("1.13.0", False), ("1.7.1", True)])
def test_a_direct_build_of_a_flow_without_data(tmp_path: Path, version: str, stays_open: bool) -> None:
    server = start_server(tmp_path / "data", "--langflow-version", version)
    try:
        with server.client() as http:
            flow = http.post("/api/v1/flows/", json={"name": "No data"}).json()
            timeout = httpx.Timeout(10, read=1.5)
            with http.stream("POST", f"/api/v1/build/{flow['id']}/flow", params={"event_delivery": "direct"},
                             json={}, timeout=timeout) as response:
                assert response.status_code == 200
                events, open_ = read_until_quiet(response)
        assert open_ is stays_open
        assert events[0]["event"] == "error" and events[0]["data"]["text"] == "Invalid flow ID\n"
        assert len(events) == (1 if stays_open else 2)
    finally:
        stop_server(server)


@pytest.mark.parametrize(("version", "headers_first"), [("1.13.0", False), ("1.8", True)])
def test_reading_drained_build_events_again(tmp_path: Path, version: str, headers_first: bool,
                                            chat_flow: dict[str, Any]) -> None:
    server = start_server(tmp_path / "data", "--langflow-version", version)
    try:
        with server.client() as http:
            flow = http.post("/api/v1/flows/", json=chat_flow).json()
            job = http.post(f"/api/v1/build/{flow['id']}/flow", json={"inputs": {"input_value": "hi"}}).json()
            first = http.get(f"/api/v1/build/{job['job_id']}/events")
            assert first.status_code == 200 and '"event": "end"' in first.text
            timeout = httpx.Timeout(10, read=1.5)
            if headers_first:
                with http.stream("GET", f"/api/v1/build/{job['job_id']}/events", timeout=timeout) as again:
                    assert again.status_code == 200
                    assert read_until_quiet(again) == ([], True)
            else:
                with pytest.raises(httpx.ReadTimeout):
                    http.get(f"/api/v1/build/{job['job_id']}/events", timeout=timeout)
    finally:
        stop_server(server)
