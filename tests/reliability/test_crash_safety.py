"""kill -9 during a write load: on restart the database opens, every write acknowledged before the kill is
there (flows with their last acknowledged content, files with their bytes, the messages of every answered
run), and no stored byte file is orphaned or missing. Three kills in a row, each after a different amount of
work."""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import load_json
from tests.reliability.live import Server, blobs, file_rows, integrity

CLIENTS = 20
KILL_AFTER = (100, 250, 400)  # acknowledged writes in each round before the kill


@dataclass
class Acked:
    flows: dict[str, str] = field(default_factory=dict)  # id -> last acknowledged description
    deleted: set[str] = field(default_factory=set)
    files: dict[str, bytes] = field(default_factory=dict)  # v2 file id -> bytes
    runs: dict[str, str] = field(default_factory=dict)  # session id of an answered /run -> its input
    # A write the kill cut off may or may not have been committed: its flow may show either state.
    in_flight: dict[str, str] = field(default_factory=dict)  # id -> the description, or DELETED
    count: int = 0


DELETED = "<deleted>"


async def writer(url: str, key: str, n: int, round_: int, acked: Acked, killed: asyncio.Event) -> None:
    """Creates, updates, uploads and deletes until the server goes away; records only what was answered."""
    async with httpx.AsyncClient(base_url=url, headers={"x-api-key": key}, timeout=30) as client:
        i = 0
        runnable: str | None = None
        while not killed.is_set():
            try:
                if runnable is None:
                    chat = await client.post("/api/v1/flows/", json={"name": f"r{round_} c{n} chat",
                                                                     "data": load_json("flow_chat_io.json")["data"]})
                    assert chat.status_code == 201, chat.text
                    runnable = chat.json()["id"]
                name = f"r{round_} c{n} f{i}"
                created = await client.post("/api/v1/flows/", json={"name": name, "description": "v0",
                                                                     "data": {"nodes": [], "edges": []}})
                assert created.status_code == 201, created.text
                flow_id = created.json()["id"]
                acked.flows[flow_id] = "v0"
                acked.count += 1
                acked.in_flight[flow_id] = f"{name} v1"
                patched = await client.patch(f"/api/v1/flows/{flow_id}", json={"description": f"{name} v1"})
                assert patched.status_code == 200, patched.text
                acked.flows[flow_id] = acked.in_flight.pop(flow_id)
                acked.count += 1
                content = os.urandom(1024 * (1 + i % 64))  # up to 64 KiB, so some kills land mid-write
                uploaded = await client.post("/api/v2/files", files={"file": (f"{name}.bin", content)})
                assert uploaded.status_code == 201, uploaded.text
                acked.files[uploaded.json()["id"]] = content
                acked.count += 1
                if i % 3 == 0:
                    acked.in_flight[flow_id] = DELETED
                    deleted = await client.delete(f"/api/v1/flows/{flow_id}")
                    assert deleted.status_code == 200, deleted.text
                    acked.in_flight.pop(flow_id)
                    acked.flows.pop(flow_id)
                    acked.deleted.add(flow_id)
                    acked.count += 1
                # A run stores its messages through deferred writes: answered means stored.
                session, said = f"r{round_}-c{n}-{i}", f"hello {round_}.{n}.{i}"
                ran = await client.post(f"/api/v1/run/{runnable}", json={"input_value": said, "session_id": session})
                assert ran.status_code == 200, ran.text
                acked.runs[session] = said
                acked.count += 1
                i += 1
            except httpx.TransportError:
                return  # the kill: whatever was in flight was never acknowledged


async def load_until_killed(server: Server, round_: int, kill_after: int, acked: Acked) -> None:
    killed = asyncio.Event()
    start = acked.count

    async def killer() -> None:
        while acked.count - start < kill_after:
            await asyncio.sleep(0.005)
        os.kill(server.live.process.pid, signal.SIGKILL)
        killed.set()

    await asyncio.gather(killer(), *(writer(server.url, server.key, n, round_, acked, killed) for n in range(CLIENTS)))


def verify(server: Server, acked: Acked) -> None:
    with httpx.Client(base_url=server.url, headers={"x-api-key": server.key}, timeout=30) as client:
        for flow_id, description in list(acked.flows.items()):
            answer = client.get(f"/api/v1/flows/{flow_id}")
            cut_off = acked.in_flight.get(flow_id)
            if cut_off == DELETED and answer.status_code == 404:
                acked.flows.pop(flow_id)  # the delete made it; it is gone for good
                continue
            assert answer.status_code == 200, (flow_id, answer.text)
            got = answer.json()["description"]
            assert got in (description, cut_off), (flow_id, got, description, cut_off)
            acked.flows[flow_id] = got
        for flow_id in acked.deleted:
            assert client.get(f"/api/v1/flows/{flow_id}").status_code == 404
        for file_id, content in acked.files.items():
            assert client.get(f"/api/v2/files/{file_id}").content == content, file_id
        for session, said in acked.runs.items():
            stored = client.get("/api/v1/monitor/messages", params={"session_id": session}).json()
            assert said in [m["text"] for m in stored if m["sender"] == "User"], (session, stored)
    acked.in_flight.clear()


def assert_no_orphans(data: Path) -> None:
    rows = file_rows(data)
    on_disk = blobs(data)
    assert not [b for b in on_disk if b.endswith(".part")], "a staging file survived the restart"
    assert {r["blob"] for r in rows} == on_disk, "bytes without a row, or a row without its bytes"
    for row in rows:
        assert (data / "files" / row["blob"]).stat().st_size == row["size"], row


def test_kill_9_during_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    acked = Acked()
    server = Server(data)
    for round_, kill_after in enumerate(KILL_AFTER):
        asyncio.run(load_until_killed(server, round_, kill_after, acked))
        server.kill()
        assert server.live.process.returncode == -signal.SIGKILL
        assert integrity(data) == "ok"  # the database file opens and is whole, before any recovery
        server = Server(data)  # start-up sweeps what the kill left half-written
        try:
            verify(server, acked)
            assert_no_orphans(data)
        except BaseException:
            server.stop()
            raise
    server.stop()
    assert "Traceback" not in server.log(), server.log()[-3000:]
    print(f"crash safety: {acked.count} acknowledged writes checked after {len(KILL_AFTER)} kills "  # noqa: T201
          f"({len(acked.flows)} flows kept, {len(acked.deleted)} deleted, {len(acked.files)} files, "
          f"{len(acked.runs)} runs' messages)")
    assert acked.count >= sum(KILL_AFTER)
