"""Benchmarks of mock-langflow against a bare FastAPI + uvicorn app, measured in the same run.

    benchmarks/run                 # everything (a few minutes on 2 cores)
    benchmarks/run --quick         # fewer and shorter rounds (a smoke run; figures are rough)
    benchmarks/run --only cold_start,latency
    benchmarks/run --big-scale     # also the 100k-flow level of the scale step (about 2 minutes more)

Every server runs in its own process and every load comes from another process (benchmarks.loadgen); the
mock and the bare app take turns, round by round, so a noisy machine shifts both alike. Results go to
benchmarks/results/latest.json and latest.txt; the table is printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import image_layout, servers
from benchmarks.servers import API_KEY, ROOT, Server

RESULTS = ROOT / "benchmarks" / "results"
KEY = {"x-api-key": API_KEY}
PHASES = ("cold_start", "image", "latency", "throughput", "streaming", "memory", "scale")

# Real Langflow 1.13 on this kind of machine (shared/contract/real/NOTES.md), for the report.
REAL = {"cold_start_s": 18.0, "rss_mib": 1.31 * 1024, "run_median_ms": 50.9}


@dataclass
class Config:
    quick: bool
    rounds: int  # rounds of each mock/bare pair
    cold_runs: int
    seq_n: int
    load_s: float
    soak_total: int
    bare_soak_total: int  # the bare app's soak is only a reference for the mock's growth
    stream_runs: int
    scale_levels: list[tuple[int, int]]  # (flows, messages)
    scale_n: int


def config(quick: bool, big_scale: bool = False) -> Config:
    if quick:
        return Config(True, 1, 2, 200, 2.0, 5_000, 2_000, 5, [(1_000, 1_000), (10_000, 10_000)], 30)
    levels = [(1_000, 1_000), (10_000, 10_000), (10_000, 100_000)]
    if big_scale:
        levels.append((100_000, 100_000))
    return Config(False, 3, 9, 500, 5.0, 100_000, 20_000, 20, levels, 200)


def spread(values: list[float]) -> dict[str, float]:
    """Median and spread (min, max, and the values) of a figure measured over several runs."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the mock's benchmark flows ----------------------------------------------------------------------------

LONG_REPLY = " ".join(f"t{i}" for i in range(1000))  # 1,000 tokens with `chunking: words`


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def prepare_mock(server: Server) -> dict[str, str]:
    """Flows and scripts the benchmarks run: endpoint name -> flow id."""
    host, port = server.host, server.port
    status, examples = servers.request(host, port, "GET", "/api/v1/flows/basic_examples/")
    assert status == 200, examples
    example = next(f for f in examples if f["name"] == "Basic Prompting")
    ids = {}
    for name, stream in (("bench-run", False), ("bench-stream", True), ("bench-paced", True), ("bench-held", True)):
        data = json.loads(json.dumps(example["data"]))
        for node in data["nodes"]:
            if node["id"].startswith("LanguageModelComponent"):
                node["data"]["node"]["template"]["stream"]["value"] = stream
        status, flow = servers.request(host, port, "POST", "/api/v1/flows/",
                                       {"name": name, "endpoint_name": name, "data": data,
                                        "description": example.get("description")})
        assert status == 201, flow
        ids[name] = flow["id"]
    script = {"rules": [
        {"match": {"flow": "bench-run"}, "reply": "A short scripted answer for the benchmark."},
        {"match": {"flow": "bench-stream"}, "reply": LONG_REPLY},
        {"match": {"flow": "bench-paced"}, "reply": words(200), "stream": {"tokens_per_second": 50}},
        {"match": {"flow": "bench-held"}, "reply": words(100), "stream": {"tokens_per_second": 50}},
    ]}
    status, body = servers.request(host, port, "POST", "/_mock/scripts", script)
    assert status in (200, 201), body
    status, body = servers.request(host, port, "POST", f"/api/v1/run/{ids['bench-run']}",
                                   {"input_value": "hello"})
    assert status == 200, body
    return ids


# GETs that make 1.13's first-use features' stores and tables (each loads on its first route): a run must cost no
# more once a client used them (a feature that reads its tables at every run would show here)
FEATURE_ROUTES = ("/api/v1/policy-bundle", "/api/v1/memories/", "/api/v1/knowledge_bases/", "/api/v1/connections",
                  "/api/v1/flows/audits", "/api/v1/authz/roles", "/api/v1/triggers?flow_id={flow_id}")


def touch_features(server: Server, flow_id: str) -> None:
    for path in FEATURE_ROUTES:
        status, body = servers.request(server.host, server.port, "GET", path.format(flow_id=flow_id))
        assert status == 200, (path, status, body)


def run_request(flow_id: str, stream: bool = False) -> dict[str, Any]:
    return {"method": "POST", "path": f"/api/v1/run/{flow_id}" + ("?stream=true" if stream else ""),
            "headers": KEY, "body": {"input_value": "What is the weather like?", "input_type": "chat",
                                     "output_type": "chat"}}


def echo_request() -> dict[str, Any]:
    return {"method": "POST", "path": "/echo", "body": {"input_value": "What is the weather like?",
                                                        "input_type": "chat", "output_type": "chat"}}


VERSION_GET = {"method": "GET", "path": "/api/v1/version"}
SWEEP_S = 15  # the memory soak's retention sweep interval (Bench.memory)


class Bench:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.tmp = Path(tempfile.mkdtemp(prefix="mock-langflow-bench-"))
        self.results: dict[str, Any] = {}
        self._dirs = 0

    def data_dir(self) -> Path:
        self._dirs += 1
        return self.tmp / f"data{self._dirs}"

    def start(self, kind: str, settings: dict[str, str] | None = None) -> Server:
        return servers.start(kind, self.data_dir() if kind == "mock" else None, settings=settings)

    def job(self, server: Server, timeout: float = 900, **job: Any) -> dict[str, Any]:
        return servers.loadgen({"host": server.host, "port": server.port, **job}, timeout=timeout)

    # --- phases ---------------------------------------------------------------------------------------------

    def cold_start(self) -> None:
        """Process start -> first 200 on /api/v1/version, fresh data dir each time; RSS once ready. And the mock
        started again on a data dir an earlier start of the same run left (`kept`: the default data dir, a
        Docker volume), made before the first round."""
        out: dict[str, dict[str, list[float]]] = {k: {"cold_start_s": [], "rss_mib": [], "rss_1s_mib": []}
                                                  for k in ("mock", "bare", "kept")}
        kept = self.data_dir()
        servers.start("mock", kept).stop()
        for _ in range(self.cfg.cold_runs):
            for kind in ("bare", "mock", "kept"):
                server = servers.start("mock", kept) if kind == "kept" else self.start(kind)
                out[kind]["cold_start_s"].append(server.cold_start_s)
                out[kind]["rss_mib"].append(server.rss_mib())
                time.sleep(0.5)
                out[kind]["rss_1s_mib"].append(server.rss_mib())
                server.stop()
        fixture: dict[str, dict[str, list[float]]] = {k: {"first_s": [], "again_s": [], "stop_s": []}
                                                      for k in ("mock", "bare")}
        for _ in range(self.cfg.cold_runs):
            for kind in ("bare", "mock"):
                before = time.time()
                proc = subprocess.run([sys.executable, "-m", "benchmarks.fixture_start", kind], capture_output=True,
                                      text=True, env=servers.child_env(), cwd=ROOT, timeout=120, check=True)
                got = json.loads(proc.stdout)
                fixture[kind]["first_s"].append(got["first_ready_wall"] - before)
                fixture[kind]["again_s"].append(got["again_s"])
                fixture[kind]["stop_s"].append(got["stop_s"])
        self.results["cold_start"] = {
            kind: {"cold_start_s": spread(out[kind]["cold_start_s"]),
                   "rss_after_start_mib": spread(out[kind]["rss_mib"]),
                   "rss_half_s_after_start_mib": spread(out[kind]["rss_1s_mib"]),
                   "fixture_first_s": spread(fixture[kind]["first_s"]),
                   "fixture_again_s": spread(fixture[kind]["again_s"]),
                   "fixture_stop_s": spread(fixture[kind]["stop_s"])}
            for kind in ("mock", "bare")}
        self.results["cold_start"]["kept"] = {"cold_start_s": spread(out["kept"]["cold_start_s"]),
                                              "rss_after_start_mib": spread(out["kept"]["rss_mib"])}

    def image(self) -> None:
        """Cold start as the Docker image runs it: in the image's layout (benchmarks/image_layout.py, built by
        the Dockerfile's own steps, which install the package from the index), the image's `mock-langflow`
        command and the bare app, with the image's ENV, fresh data dir each time."""
        try:
            root = image_layout.build(self.tmp / "image")
        except (RuntimeError, OSError) as exc:  # no package index here, say: the table shows no figure
            self.results["image"] = {"skipped": str(exc)[-2000:]}
            log(f"image skipped: {str(exc).splitlines()[0]}")
            return
        times: dict[str, list[float]] = {"mock": [], "bare": []}
        for _ in range(self.cfg.cold_runs):
            for kind in ("bare", "mock"):
                server = servers.start(kind, self.data_dir() if kind == "mock" else None, image=root)
                times[kind].append(server.cold_start_s)
                server.stop()
        self.results["image"] = {kind: {"cold_start_s": spread(v)} for kind, v in times.items()}

    def latency(self) -> None:
        """Sequential latency on one keep-alive connection: the mock's /run vs the bare app's POST echo, and
        GET /api/v1/version on both, and on a mock without the control API (no request journal): what
        journaling every request costs."""
        mock, bare = self.start("mock"), self.start("bare")
        quiet = servers.start("mock", self.data_dir(), ["--no-control-api"])
        used = servers.start("mock", self.data_dir())
        try:
            ids = prepare_mock(mock)
            used_ids = prepare_mock(used)
            touch_features(used, used_ids["bench-run"])
            runs: dict[str, list[float]] = {"mock_run": [], "bare_post": [], "mock_version": [], "bare_version": [],
                                            "mock_version_no_journal": [], "mock_run_features_used": []}
            p90: dict[str, list[float]] = {k: [] for k in runs}
            for _ in range(self.cfg.rounds):
                for key, server, req in (("bare_post", bare, echo_request()),
                                         ("mock_run", mock, run_request(ids["bench-run"])),
                                         ("mock_run_features_used", used, run_request(used_ids["bench-run"])),
                                         ("bare_version", bare, VERSION_GET), ("mock_version", mock, VERSION_GET),
                                         ("mock_version_no_journal", quiet, VERSION_GET)):
                    got = self.job(server, mode="seq", n=self.cfg.seq_n, warmup=50, request=req)
                    assert got["errors"] == 0, got
                    runs[key].append(got["latency_ms"]["median"])
                    p90[key].append(got["latency_ms"]["p90"])
            self.results["latency"] = {k: {"median_ms": spread(v), "p90_ms": spread(p90[k])} for k, v in runs.items()}
        finally:
            mock.stop()
            bare.stop()
            quiet.stop()
            used.stop()

    def throughput(self) -> None:
        """32 connections, one server worker: the mock's /run vs the bare app's POST echo."""
        mock, bare = self.start("mock"), self.start("bare")
        try:
            ids = prepare_mock(mock)
            rps: dict[str, list[float]] = {"mock_run": [], "bare_post": []}
            errors = {"mock_run": 0, "bare_post": 0}
            lat: dict[str, list[float]] = {"mock_run": [], "bare_post": []}
            for _ in range(self.cfg.rounds):
                for key, server, req in (("bare_post", bare, echo_request()),
                                         ("mock_run", mock, run_request(ids["bench-run"]))):
                    got = self.job(server, mode="load", conns=32, warmup_s=1.0, duration_s=self.cfg.load_s, request=req)
                    rps[key].append(got["rps"])
                    errors[key] += got["errors"]
                    lat[key].append(got["latency_ms"]["median"])
            ratios = [m / b for m, b in zip(rps["mock_run"], rps["bare_post"], strict=True)]
            self.results["throughput"] = {
                "connections": 32, **{k: {"rps": spread(v), "errors": errors[k], "latency_median_ms": spread(lat[k])}
                                      for k, v in rps.items()},
                "ratio": spread(ratios)}
        finally:
            mock.stop()
            bare.stop()

    def streaming(self) -> None:
        mock, bare = self.start("mock"), self.start("bare")
        try:
            ids = prepare_mock(mock)
            unpaced: dict[str, list[float]] = {"mock": [], "bare": []}
            tokens_seen: dict[str, set[int]] = {"mock": set(), "bare": set()}
            for _ in range(self.cfg.rounds):
                for key, server, req in (
                        ("bare", bare, {"method": "POST", "path": "/stream", "body": {"tokens": 1000}}),
                        ("mock", mock, run_request(ids["bench-stream"], stream=True))):
                    got = self.job(server, mode="streams", conns=1, rounds=self.cfg.stream_runs, request=req)
                    for s in got["streams"]:
                        assert s["ok"], s
                        unpaced[key].append(s["to_end_ms"])
                        tokens_seen[key].add(s["tokens"])
            paced = self.job(mock, mode="streams", conns=1, rounds=1 if self.cfg.quick else 3,
                             request=run_request(ids["bench-paced"], stream=True))["streams"]
            rates = []
            for s in paced:
                assert s["ok"] and s["tokens"] == 200, s
                rates.append((s["tokens"] - 1) / ((s["last_token_ms"] - s["first_token_ms"]) / 1000))
            held = self.job(mock, mode="streams", conns=200, rounds=1,
                            request=run_request(ids["bench-held"], stream=True), timeout=300)["streams"]
            ok = [s for s in held if s["ok"] and s["tokens"] == 100]
            held_rates = [(s["tokens"] - 1) / ((s["last_token_ms"] - s["first_token_ms"]) / 1000) for s in ok]
            self.results["streaming"] = {
                "unpaced_1000_to_end_ms": {k: spread(v) for k, v in unpaced.items()},
                "unpaced_tokens": {k: sorted(v) for k, v in tokens_seen.items()},
                "paced_50_tps": {"tokens": 200, "rate": spread(rates),
                                 "error_pct": spread([abs(r - 50) / 50 * 100 for r in rates])},
                "concurrent_200": {"streams": len(held), "completed": len(ok), "errors": len(held) - len(ok),
                                   "tokens_each": 100, "to_end_ms": spread([s["to_end_ms"] for s in ok] or [0.0]),
                                   "rate": spread(held_rates or [0.0])}}
        finally:
            mock.stop()
            bare.stop()

    def memory(self) -> None:
        """RSS once ready and after a soak of `soak_total` requests from 16 connections, each sending nine GETs
        for every POST: the mock's /api/v1/version and /run (so 10% of the soak runs the flow), the bare app's
        GET and POST echo (a shorter soak: it is only the reference for the mock's growth). 1.13's sweeper, which
        cuts the flow's transactions to their limit, wakes every SWEEP_S seconds instead of 60: every soak meets
        it a few times, where at 60 s a quick soak ended before its first wake and a slow one did not."""
        out: dict[str, Any] = {}
        for kind in ("bare", "mock"):
            server = self.start(kind, {"LANGFLOW_TELEMETRY_WRITER_CLEANUP_INTERVAL_S": str(SWEEP_S)}
                                if kind == "mock" else None)
            try:
                if kind == "mock":
                    ids = prepare_mock(server)
                    post = run_request(ids["bench-run"])
                else:
                    post = echo_request()
                time.sleep(0.5)
                before = server.rss_mib()
                t0 = time.perf_counter()
                total = self.cfg.soak_total if kind == "mock" else self.cfg.bare_soak_total
                got = self.job(server, mode="load", conns=16, total=total, requests=[*[VERSION_GET] * 9, post],
                               timeout=1200)
                after = server.rss_mib()
                out[kind] = {"rss_before_soak_mib": before, "rss_after_soak_mib": after,
                             "growth_pct": (after - before) / before * 100, "requests": got["requests"],
                             "errors": got["errors"], "soak_s": time.perf_counter() - t0}
            finally:
                server.stop()
        self.results["memory"] = out

    def scale(self) -> None:
        """The flow list page and a run by endpoint name, as stored flows and messages grow."""
        from benchmarks.seed_scale import Seeder

        data_dir = self.data_dir()
        levels = []
        for flows, messages in self.cfg.scale_levels:
            t0 = time.perf_counter()
            seeder = Seeder(data_dir, API_KEY, ROOT)
            seeder.flows_to(flows)
            seeder.messages_to(messages)
            seeder.close()
            seed_s = time.perf_counter() - t0
            server = servers.start("mock", data_dir)
            try:
                target = f"scale-{flows // 2:06d}"
                status, body = servers.request(server.host, server.port, "POST", f"/api/v1/run/{target}",
                                               {"input_value": "hello"})
                assert status == 200, body
                status, page = servers.request(server.host, server.port, "GET", "/api/v1/flows/?get_all=false&size=50")
                assert status == 200 and page["total"] == flows and len(page["items"]) == 50, str(page)[:300]
                list_req = {"method": "GET", "path": "/api/v1/flows/?get_all=false&size=50", "headers": KEY}
                listed = self.job(server, mode="seq", n=self.cfg.scale_n, warmup=10, request=list_req)
                ran = self.job(server, mode="seq", n=self.cfg.scale_n, warmup=10,
                               request=run_request(target) | {"body": {"input_value": "hello"}})
                assert listed["errors"] == 0 and ran["errors"] == 0
                levels.append({"flows": flows, "messages": messages, "seed_s": seed_s,
                               "cold_start_s": server.cold_start_s, "rss_mib": server.rss_mib(),
                               "list_page_ms": listed["latency_ms"], "run_by_endpoint_ms": ran["latency_ms"],
                               "page_bytes": len(json.dumps(page))})
            finally:
                server.stop()
            log(f"scale {flows} flows / {messages} messages: list p50 {levels[-1]['list_page_ms']['median']:.2f} ms, "
                f"run p50 {levels[-1]['run_by_endpoint_ms']['median']:.2f} ms")
        self.results["scale"] = {"levels": levels}

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- the report ---------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                            check=False).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(), "commit": commit,
            "packages": {p: metadata.version(p) for p in ("fastapi", "starlette", "uvicorn", "pydantic", "sqlalchemy",
                                                          "sqlmodel")},
            "load_average": os.getloadavg()}


Row = tuple[str, str, str, str, str, str]


def rows(r: dict[str, Any]) -> list[Row]:
    out: list[Row] = []

    def add(name: str, mock: float | None, bare: float | None, unit: str, target: str,
            ok: Callable[[], bool] | None, ratio: float | None = None, fmt: str = "{:.2f}") -> None:
        def show(v: float | None) -> str:
            return "-" if v is None else fmt.format(v) + unit
        if ratio is None and mock is not None and bare:
            ratio = mock / bare
        verdict = "-" if ok is None else ("pass" if ok() else "MISS")
        shown = "-" if ratio is None or ratio != ratio else f"{ratio:.2f}x"  # nan: a ratio that means nothing
        out.append((name, show(mock), show(bare), shown, target, verdict))

    if "cold_start" in r:
        c = r["cold_start"]
        m, b = c["mock"]["cold_start_s"]["median"], c["bare"]["cold_start_s"]["median"]
        add("cold start: process -> first 200 /api/v1/version", m, b, " s", "<= 0.5 s", lambda: m <= 0.5)
        add("cold start: mock / bare", m, b, " s", "<= 2x bare", lambda: m <= 2 * b)
        fm, fb = c["mock"]["fixture_first_s"]["median"], c["bare"]["fixture_first_s"]["median"]
        add("fixture start-up (fresh process, imports incl.)", fm, fb, " s", "<= 0.5 s, <= 2x bare",
            lambda: fm <= 0.5 and fm <= 2 * fb)
        am, ab = c["mock"]["fixture_again_s"]["median"], c["bare"]["fixture_again_s"]["median"]
        add("fixture start-up (another server, imports done)", am, ab, " s", "<= 0.5 s", lambda: am <= 0.5)
        if "fixture_stop_s" in c["mock"]:
            add("  stopping that server", c["mock"]["fixture_stop_s"]["median"],
                c["bare"]["fixture_stop_s"]["median"], " s", "-", None)
        rm, rb = c["mock"]["rss_after_start_mib"]["median"], c["bare"]["rss_after_start_mib"]["median"]
        add("RSS after start-up", rm, rb, " MiB", "<= 80 MB", lambda: rm * 1.048576 <= 80, fmt="{:.1f}")
        if "kept" in c:  # (results of runs before stop 43 have no kept-data-dir start)
            km, krm = c["kept"]["cold_start_s"]["median"], c["kept"]["rss_after_start_mib"]["median"]
            add("cold start on a kept data dir (mock / bare)", km, b, " s", "<= 0.5 s, <= 2x bare",
                lambda: km <= 0.5 and km <= 2 * b)
            add("  its RSS after start-up", krm, rb, " MiB", "<= 80 MB", lambda: krm * 1.048576 <= 80,
                fmt="{:.1f}")
    if "image" in r and "skipped" not in r["image"]:
        im, ib = r["image"]["mock"]["cold_start_s"]["median"], r["image"]["bare"]["cold_start_s"]["median"]
        add("cold start in the Docker image's layout (emulated)", im, ib, " s", "<= 0.5 s, <= 2x bare",
            lambda: im <= 0.5 and im <= 2 * ib)
    if "memory" in r:
        mm, mb = r["memory"]["mock"], r["memory"]["bare"]
        add(f"RSS after {mm['requests']:,} requests (bare: {mb['requests']:,})", mm["rss_after_soak_mib"],
            mb["rss_after_soak_mib"], " MiB", "-", None, fmt="{:.1f}")
        add("RSS growth over the soak", mm["growth_pct"], mb["growth_pct"], " %", "< 10 %",
            lambda: mm["growth_pct"] < 10 and mm["errors"] == 0, ratio=float("nan"), fmt="{:.1f}")
    if "latency" in r:
        lt = r["latency"]
        m, b = lt["mock_run"]["median_ms"]["median"], lt["bare_post"]["median_ms"]["median"]
        add("/run non-streamed, sequential median (bare: POST echo)", m, b, " ms", "<= 3 ms", lambda: m <= 3)
        if "mock_run_features_used" in lt:
            u = lt["mock_run_features_used"]["median_ms"]["median"]
            add("  the same once every first-use feature was used", u, b, " ms", "<= 3 ms", lambda: u <= 3)
        m, b = lt["mock_version"]["median_ms"]["median"], lt["bare_version"]["median_ms"]["median"]
        add("GET /api/v1/version, sequential median", m, b, " ms", "-", None)
        if "mock_version_no_journal" in lt:
            q = lt["mock_version_no_journal"]["median_ms"]["median"]
            add("  the same without the control API (no journal)", q, b, " ms", "-", None)
    if "throughput" in r:
        t = r["throughput"]
        ratio = t["ratio"]["median"]
        add("/run throughput, 32 conns, 1 worker (bare: POST echo)", t["mock_run"]["rps"]["median"],
            t["bare_post"]["rps"]["median"], " req/s", ">= 0.4x bare", lambda: ratio >= 0.4 and
            t["mock_run"]["errors"] == 0, ratio=ratio, fmt="{:.0f}")
    if "streaming" in r:
        s = r["streaming"]
        m, b = s["unpaced_1000_to_end_ms"]["mock"]["median"], s["unpaced_1000_to_end_ms"]["bare"]["median"]
        add("stream 1,000 tokens unpaced: to the end event", m, b, " ms", "<= 100 ms", lambda: m <= 100)
        err = s["paced_50_tps"]["error_pct"]["max"]
        add("stream pacing at 50 tokens/s (worst run)", s["paced_50_tps"]["rate"]["median"], None, " tok/s",
            "50 +- 5 %", lambda: err <= 5)
        h = s["concurrent_200"]
        add("200 concurrent streams held to completion", h["completed"], None, " ok", "200, no error",
            lambda: h["completed"] == 200 and h["errors"] == 0, fmt="{:.0f}")
        add("  their time to the end event, median (scripted 2.0 s)", h["to_end_ms"]["median"] / 1000, None, " s",
            "-", None)
        add("  their time to the end event, slowest", h["to_end_ms"]["max"] / 1000, None, " s", "-", None)
    if "scale" in r:
        for lv in r["scale"]["levels"]:
            tag = f"{lv['flows'] // 1000}k flows / {lv['messages'] // 1000}k msgs"
            headline = lv["flows"] == 10_000 and lv["messages"] == 100_000
            lp, rp = lv["list_page_ms"]["median"], lv["run_by_endpoint_ms"]["median"]
            add(f"GET flows page of 50, {tag}", lp, None, " ms", "<= 10 ms" if headline else "-",
                (lambda lp=lp: lp <= 10) if headline else None)
            add(f"/run by endpoint_name, {tag}", rp, None, " ms", "<= 10 ms" if headline else "-",
                (lambda rp=rp: rp <= 10) if headline else None)
    return out


def table(rs: list[Row]) -> str:
    head: Row = ("figure", "mock", "bare", "ratio", "target", "result")
    widths = [max(len(x[i]) for x in [head, *rs]) for i in range(6)]
    lines = [" | ".join(c.ljust(widths[i]) for i, c in enumerate(head)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(widths[i]) for i, c in enumerate(x)) for x in rs]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer, shorter rounds: a smoke run")
    ap.add_argument("--only", help=f"comma-separated phases: {', '.join(PHASES)}")
    ap.add_argument("--big-scale", action="store_true", help="add the 100k flows / 100k messages scale level")
    ap.add_argument("--out", type=Path, help="results file [benchmarks/results/latest.json]")
    args = ap.parse_args(argv)
    cfg = config(args.quick, args.big_scale)
    chosen = [p.strip() for p in args.only.split(",")] if args.only else list(PHASES)
    unknown = set(chosen) - set(PHASES)
    if unknown:
        ap.error(f"unknown phases: {', '.join(sorted(unknown))}")
    # Bytecode caches, as any installed package has them (a CI runner keeps them between starts).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "mock_langflow"), str(ROOT / "benchmarks")],
                   check=True, env=servers.child_env())
    bench = Bench(cfg)
    started = time.perf_counter()
    timings = {}
    try:
        for phase in chosen:
            log(f"{phase} ...")
            t0 = time.perf_counter()
            getattr(bench, phase)()
            timings[phase] = round(time.perf_counter() - t0, 1)
            log(f"{phase} done in {timings[phase]} s")
    finally:
        bench.cleanup()
    results = {"machine": machine(), "quick": cfg.quick, "phases_s": timings,
               "total_s": round(time.perf_counter() - started, 1), "real_langflow_1_13": REAL, **bench.results}
    text = table(rows(results))
    m = results["machine"]
    header = (f"mock-langflow benchmarks ({'quick' if cfg.quick else 'full'}), {m['cpus']} x {m['cpu']}, "
              f"{m['memory_gib']} GiB, Python {m['python']}, commit {m['commit']}, total {results['total_s']} s")
    out = args.out or RESULTS / ("quick.json" if cfg.quick else "latest.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    out.with_suffix(".txt").write_text(header + "\n\n" + text + "\n")
    print(header)
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
