"""The load generator: runs in its own process (never the server's), reads a job as JSON on stdin and
prints its measurements as JSON on stdout. The same code drives the mock and the bare app.

Jobs (`mode`):
- `seq`: one keep-alive connection, requests one after another; per-request latency.
- `load`: `conns` keep-alive connections, each sending as fast as its answers come, for `duration_s`
  (after `warmup_s`) or until `total` requests were answered; throughput and latency.
- `streams`: `conns` streamed /run requests at once (each on its own connection), `rounds` times; per stream:
  time to the `end` event, token count, and the arrival times of the first and last token.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from typing import Any

from benchmarks.httpraw import Connection

TOKEN_MARK = b'"event": "token"'
END_MARK = b'"event": "end"'
ERROR_MARK = b'"event": "error"'


def summary(values_ms: list[float]) -> dict[str, float]:
    if not values_ms:
        return {}
    ordered = sorted(values_ms)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    return {"n": len(ordered), "median": statistics.median(ordered), "p10": pct(10), "p90": pct(90),
            "p99": pct(99), "min": ordered[0], "max": ordered[-1], "mean": statistics.fmean(ordered)}


def _request(job: dict[str, Any], req: dict[str, Any] | None = None) -> tuple[str, str, bytes | None, dict[str, str]]:
    req = req or job["request"]
    body = req.get("body")
    raw = json.dumps(body).encode() if body is not None else None
    headers = dict(req.get("headers") or {})
    if raw is not None:
        headers.setdefault("content-type", "application/json")
    return req["method"], req["path"], raw, headers


async def seq(job: dict[str, Any]) -> dict[str, Any]:
    method, path, body, headers = _request(job)
    conn = await Connection(job["host"], job["port"]).open()
    latencies, bad = [], 0
    for i in range(job.get("warmup", 50) + job["n"]):
        started = time.perf_counter()
        response = await conn.request(method, path, body=body, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != job.get("expect", 200):
            bad += 1
        if i >= job.get("warmup", 50):
            latencies.append(elapsed)
    conn.close()
    return {"latency_ms": summary(latencies), "errors": bad}


async def load(job: dict[str, Any]) -> dict[str, Any]:
    """`request`, or `requests`: a list each connection cycles through."""
    cycle = [_request(job, r) for r in job["requests"]] if "requests" in job else [_request(job)]
    expect = job.get("expect", 200)
    total = job.get("total")
    warmup_s = job.get("warmup_s", 1.0)
    duration_s = job.get("duration_s", 5.0)
    done = bad = measured = 0
    latencies: list[float] = []
    started = time.perf_counter()
    window: list[float] = []  # [start, end] of the measured window
    stop = False

    async def worker() -> None:
        nonlocal done, bad, measured, stop
        conn = await Connection(job["host"], job["port"]).open()
        turn = 0
        try:
            while not stop:
                method, path, body, headers = cycle[turn % len(cycle)]
                turn += 1
                t0 = time.perf_counter()
                try:
                    response = await conn.request(method, path, body=body, headers=headers)
                    ok = response.status == expect
                except (OSError, asyncio.IncompleteReadError):
                    ok = False
                    conn.close()
                t1 = time.perf_counter()
                done += 1
                if not ok:
                    bad += 1
                if window and t0 >= window[0]:
                    measured += 1
                    if len(latencies) < 200_000:
                        latencies.append((t1 - t0) * 1000)
                if total is not None and done >= total:
                    stop = True
        finally:
            conn.close()

    async def clock() -> None:
        nonlocal stop
        if total is not None:
            window.append(time.perf_counter())
            return
        await asyncio.sleep(warmup_s)
        window.append(time.perf_counter())
        await asyncio.sleep(duration_s)
        stop = True

    tasks = [asyncio.create_task(worker()) for _ in range(job["conns"])]
    await clock()
    await asyncio.gather(*tasks)
    ended = time.perf_counter()
    span = ended - window[0]
    return {"requests": done, "errors": bad, "measured": measured, "seconds": span, "wall_s": ended - started,
            "rps": measured / span if span else 0.0, "latency_ms": summary(latencies)}


async def one_stream(job: dict[str, Any], method: str, path: str, body: bytes | None,
                     headers: dict[str, str]) -> dict[str, Any]:
    conn = Connection(job["host"], job["port"])
    try:
        await conn.open()
        started = time.perf_counter()
        response = await conn.request(method, path, body=body, headers=headers, keep_chunks=True)
    except (OSError, asyncio.IncompleteReadError) as exc:
        return {"ok": False, "error": repr(exc)}
    finally:
        conn.close()
    token_times = [t for t, c in zip(response.chunk_times, response.chunks, strict=True)
                   for _ in range(c.count(TOKEN_MARK))]
    end_at = next((t for t, c in zip(response.chunk_times, response.chunks, strict=True) if END_MARK in c), None)
    ok = response.status == 200 and end_at is not None and ERROR_MARK not in response.body
    return {"ok": ok, "status": response.status, "tokens": len(token_times),
            "to_end_ms": (end_at - started) * 1000 if end_at else None,
            "first_token_ms": (token_times[0] - started) * 1000 if token_times else None,
            "last_token_ms": (token_times[-1] - started) * 1000 if token_times else None}


async def streams(job: dict[str, Any]) -> dict[str, Any]:
    method, path, body, headers = _request(job)
    results: list[dict[str, Any]] = []
    for _ in range(job.get("rounds", 1)):
        batch = await asyncio.gather(*(one_stream(job, method, path, body, headers) for _ in range(job["conns"])))
        results.extend(batch)
    return {"streams": results}


MODES = {"seq": seq, "load": load, "streams": streams}


def main() -> int:
    job = json.load(sys.stdin)
    result = asyncio.run(MODES[job["mode"]](job))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
