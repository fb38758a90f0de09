"""50 clients at once against a real server, each creating, updating and deleting 100 flows and uploading files:
every acknowledged write is there afterwards (and after a restart), no answer is a 5xx, and the server never
reports "database is locked"."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.reliability.live import Server, blobs, file_rows, integrity

CLIENTS = 50
FLOWS = 100  # per client
FILE_EVERY = 10  # each client uploads a v2 file, and a v1 file to a flow it keeps, every 10th flow


@dataclass
class Acknowledged:
    """What the server said it did: the flows it kept (id -> description), the ones it deleted, the files."""

    flows: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    v2_files: dict[str, bytes] = field(default_factory=dict)  # id -> bytes
    v1_files: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (flow id, name) -> bytes
    writes: int = 0
    server_errors: list[str] = field(default_factory=list)


def check(response: httpx.Response, status: int, ack: Acknowledged) -> Any:
    if response.status_code >= 500:
        ack.server_errors.append(f"{response.request.method} {response.request.url.path}: {response.status_code}"
                                 f" {response.text[:200]}")
    assert response.status_code == status, (response.request.url.path, response.status_code, response.text[:300])
    ack.writes += 1
    return response.json() if response.content else None


async def one_client(url: str, key: str, n: int, ack: Acknowledged) -> None:
    # No connection is reused: the server (uvicorn, as Langflow runs it) closes one idle 5 s, and a request sent on
    # it just then fails with a ReadError, a client-side race and no lost write. Reusing only those idle under 2 s
    # still met it twice on a 2-core machine running two other test sessions, whose load starved this client's
    # event loop for longer.
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, headers={"x-api-key": key}, timeout=120, limits=limits) as client:
        for i in range(FLOWS):
            node = {"id": f"ChatInput-c{n}i{i}", "data": {"type": "ChatInput", "node": {"template": {}}}}
            flow = check(await client.post("/api/v1/flows/", json={"name": f"client {n} flow {i}", "description": "v0",
                                                                   "data": {"nodes": [node], "edges": []}}), 201, ack)
            updated = f"client {n} flow {i} v1"
            body = check(await client.patch(f"/api/v1/flows/{flow['id']}", json={"description": updated}), 200, ack)
            assert body["description"] == updated
            if i % 2:
                check(await client.delete(f"/api/v1/flows/{flow['id']}"), 200, ack)
                ack.deleted.add(flow["id"])
                continue
            ack.flows[flow["id"]] = updated
            if i % FILE_EVERY == 0:
                content = f"client {n} file {i} ".encode() * (1 + i)
                v2 = check(await client.post("/api/v2/files", files={"file": (f"c{n}-{i}.txt", content)}), 201, ack)
                ack.v2_files[v2["id"]] = content
                v1 = check(await client.post(f"/api/v1/files/upload/{flow['id']}",
                                             files={"file": (f"c{n}-{i}.bin", content[::-1])}), 201, ack)
                ack.v1_files[(flow["id"], v1["file_path"].split("/", 1)[1])] = content[::-1]


async def load(url: str, key: str) -> Acknowledged:
    ack = Acknowledged()
    await asyncio.gather(*(one_client(url, key, n, ack) for n in range(CLIENTS)))
    return ack


def verify(url: str, key: str, ack: Acknowledged) -> None:
    """Everything acknowledged is there, with the bytes it was given; nothing deleted came back."""
    with httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=60) as client:
        stored: dict[str, str] = {}
        page = 1
        while True:
            body = client.get("/api/v1/flows/", params={"get_all": "false", "size": 100, "page": page}).json()
            stored.update({f["id"]: f["description"] for f in body["items"]})
            if page >= body["pages"]:
                break
            page += 1
        assert stored == ack.flows
        assert not ack.deleted & set(stored)
        listed = {f["id"]: f["size"] for f in client.get("/api/v2/files").json()}
        assert listed == {fid: len(content) for fid, content in ack.v2_files.items()}
        for fid, content in ack.v2_files.items():
            assert client.get(f"/api/v2/files/{fid}").content == content
        for (flow_id, name), content in ack.v1_files.items():
            assert client.get(f"/api/v1/files/download/{flow_id}/{name}").content == content


def test_fifty_clients_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = Server(data)
    try:
        ack = asyncio.run(load(server.url, server.key))
    finally:
        server.stop()
    assert not ack.server_errors
    assert "database is locked" not in server.log() and "Traceback" not in server.log(), server.log()[-3000:]
    # Per client: every flow created and updated, half of them deleted, two uploads every tenth flow.
    expected_writes = CLIENTS * (FLOWS + FLOWS + FLOWS // 2 + 2 * (FLOWS // FILE_EVERY))
    assert ack.writes == expected_writes
    assert len(ack.flows) == CLIENTS * FLOWS // 2 and len(ack.deleted) == CLIENTS * FLOWS // 2
    print(f"concurrency: {ack.writes} acknowledged writes checked ({len(ack.flows)} flows kept, "  # noqa: T201
          f"{len(ack.deleted)} deleted, {len(ack.v2_files) + len(ack.v1_files)} files)")

    # All of it is there once the server is started again (so it was on disk), with no stray bytes.
    assert integrity(data) == "ok"
    rows = file_rows(data)
    assert {r["blob"] for r in rows} == blobs(data)
    assert {r["blob"]: r["size"] for r in rows} == {
        r["blob"]: (data / "files" / r["blob"]).stat().st_size for r in rows}
    again = Server(data)
    try:
        verify(again.url, again.key, ack)
    finally:
        again.stop()
