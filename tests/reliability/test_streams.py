"""200 clients that leave in the middle of a stream (/run?stream=true, build events, v2 workflow streams, MCP
SSE) leave no task running, no database session open and no memory behind, and the server answers other
requests all the while. What the server holds is read from GET /_mock/stats."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from tests.reliability.live import Server

CLIENTS = 200  # in waves of WAVE, a quarter on each kind of stream
WAVE = 50
# A reply long enough that every stream is still going when its client leaves (about 2 s at 16 tokens/s).
SCRIPT = {"rules": [{"reply": " ".join(f"word{i}" for i in range(32)), "stream": {"tokens_per_second": 16}}]}
MEMORY_SLACK = 24 * 1024 * 1024


def streaming_flow(client: httpx.Client) -> str:
    """Basic Prompting with its model streaming, so /run streams token events."""
    example = next(f for f in client.get("/api/v1/flows/basic_examples/").json() if f["name"] == "Basic Prompting")
    body = {"name": "Streaming", "description": "", "data": example["data"]}
    model = next(n for n in body["data"]["nodes"] if n["id"].startswith("LanguageModelComponent"))
    model["data"]["node"]["template"]["stream"]["value"] = True
    created = client.post("/api/v1/flows/", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def leave_mid_stream(client: httpx.AsyncClient, kind: str, flow_id: str) -> int:
    """Open one stream, read its first chunk, and go. Returns the stream's status."""
    if kind == "run":
        request = client.build_request("POST", f"/api/v1/run/{flow_id}", params={"stream": "true"},
                                       json={"input_value": "hello"})
    elif kind == "build":
        started = await client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "hi"}})
        request = client.build_request("GET", f"/api/v1/build/{started.json()['job_id']}/events")
    elif kind == "workflow":
        request = client.build_request("POST", "/api/v2/workflows",
                                       json={"flow_id": flow_id, "input_value": "hi", "mode": "stream"})
    else:
        request = client.build_request("GET", "/api/v1/mcp/sse")
    response = await client.send(request, stream=True)
    try:
        async for chunk in response.aiter_raw():
            if chunk:
                break
    finally:
        await response.aclose()  # the connection closes with the stream half read
    return response.status_code


async def poll(url: str, key: str, flow_id: str, stop: asyncio.Event, failures: list[str]) -> int:
    """Other requests, all the while: each must be answered, and answered right."""
    answered = 0
    async with httpx.AsyncClient(base_url=url, headers={"x-api-key": key}, timeout=30) as client:
        while not stop.is_set():
            for path in ("/health_check", f"/api/v1/flows/{flow_id}", "/api/v1/version"):
                try:
                    response = await client.get(path)
                    if response.status_code != 200:
                        failures.append(f"{path}: {response.status_code}")
                except httpx.HTTPError as exc:
                    failures.append(f"{path}: {exc!r}")
                answered += 1
            await asyncio.sleep(0.02)
    return answered


async def wave(url: str, key: str, flow_id: str, count: int) -> list[int]:
    kinds = ["run", "build", "workflow", "mcp"]
    clients = [httpx.AsyncClient(base_url=url, headers={"x-api-key": key}, timeout=30) for _ in range(count)]
    try:
        return list(await asyncio.gather(*(leave_mid_stream(c, kinds[i % 4], flow_id) for i, c in enumerate(clients))))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


async def storm(url: str, key: str, flow_id: str) -> tuple[list[int], list[str], int]:
    stop, failures = asyncio.Event(), []
    poller = asyncio.create_task(poll(url, key, flow_id, stop, failures))
    statuses: list[int] = []
    for _ in range(CLIENTS // WAVE):
        statuses += await wave(url, key, flow_id, WAVE)
    stop.set()
    return statuses, failures, await poller


def settled(client: httpx.Client, baseline: dict[str, Any]) -> dict[str, Any]:
    """The stats once the jobs the streams started have finished (a build runs to its end, as in Langflow; a v2
    stream's run is stopped when its client leaves)."""
    stats: dict[str, Any] = client.get("/_mock/stats").json()
    for _ in range(600):
        if stats["jobs_running"] == 0 and stats["tasks"] <= baseline["tasks"] and stats["db_sessions_open"] == 0:
            break
        asyncio.run(asyncio.sleep(0.1))
        stats = client.get("/_mock/stats").json()
    return stats


def test_clients_that_leave_mid_stream_leave_nothing_behind(tmp_path: Path) -> None:
    server = Server(tmp_path / "data")
    try:
        with httpx.Client(base_url=server.url, headers={"x-api-key": server.key}, timeout=30) as client:
            assert client.post("/_mock/scripts", content=json.dumps(SCRIPT)).status_code == 201
            flow_id = streaming_flow(client)
            # One full wave first, so that what the server allocates once (pools, caches) is in the baseline.
            asyncio.run(wave(server.url, server.key, flow_id, WAVE))
            baseline = settled(client, client.get("/_mock/stats").json())
            statuses, failures, answered = asyncio.run(storm(server.url, server.key, flow_id))
            after = settled(client, baseline)
    finally:
        server.stop()
    assert statuses == [200] * CLIENTS
    assert not failures, failures[:10]
    assert answered > 0
    assert after["jobs_running"] == 0
    assert after["tasks"] <= baseline["tasks"], (baseline, after)
    assert after["db_sessions_open"] == 0 and after["db_connections_checked_out"] == 0, after
    assert after["rss_bytes"] - baseline["rss_bytes"] < MEMORY_SLACK, (baseline, after)
    assert "Traceback" not in server.log(), server.log()[-3000:]
    print(f"streams: {CLIENTS} clients left mid-stream; {answered} other requests answered meanwhile; "  # noqa: T201
          f"tasks {baseline['tasks']} -> {after['tasks']}, rss {baseline['rss_bytes']} -> {after['rss_bytes']}")
