"""Stored flows with junk in random places, used every way a client uses a flow.

A flow's `data` is stored as the client sent it, and the OpenAPI fuzzers only ever send well-formed graphs.
Here each case copies an example flow, puts a value of the wrong kind at one to three random places of its
graph (or deletes a key), stores it and then runs it (/run, its stream, a build job, the v2 workflow API),
downloads it alone and with its project, and lists it as an MCP tool: no answer may be the mock's own error
(a 500 other than a component's error, a cut stream, a job that never ends, a traceback logged by the
interpreter). Seeded, so a failure repeats; MOCK_LANGFLOW_LONG=1 tries ten times as many.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.api.test_mcp import rpc
from tests.conftest import create_flow, new_api_key
from tests.reliability.fuzzing import LONG
from tests.reliability.mutation import Tracebacks, damaged

CASES = 1_500 if LONG else 150


# 500s Langflow 1.13 answers itself: a component's error, and its file-access check of a file field's junk value
LANGFLOWS_OWN_500S = ("Error building Component", "FileInput values must be file path strings.",
                      "outside the authenticated user's storage scope",
                      # a graph lacking a part process_tweaks or lfx's graph loader reads fails a run before any
                      # vertex (engine/graph.py graph_fault)
                      "Error while creating graph from payload: ", "does not contain an id",
                      "graph_data should contain a list of nodes",
                      # and each edge as lfx's Edge checks it (engine/edges.py)
                      "has invalid handles", "has no matched type", "validation error for SourceHandle",
                      "validation errors for SourceHandle", "validation error for TargetHandle",
                      "validation errors for TargetHandle", "might not be a valid input", "has no attribute 'output'",
                      "Target handle is not a dictionary")


def reads_it(path: tuple[Any, ...]) -> bool:
    """Where the interpreter reads a graph: templates, outputs, edges."""
    return "template" in path or "outputs" in path or path[0] == "edges"


def last_event(text: str, separator: str) -> Any:
    return json.loads(text.strip().split(separator)[-1])["event"]


def test_stored_flows_with_junk_anywhere_never_get_the_mocks_own_error(
        make_client: Callable[..., TestClient], tracebacks: Tracebacks) -> None:
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    examples = [f["data"] for f in client.get("/api/v1/flows/", params={"get_all": "true"}, headers=headers).json()
                if f.get("data")]
    rng = random.Random(20261203)
    failures: list[str] = []
    for case in range(CASES):
        data = damaged(rng.choice(examples), rng, prefer=reads_it)
        if isinstance(data, dict) and data and not {"nodes", "edges"} <= set(data):
            continue  # Langflow's flow model refuses to store such a graph (a 422): nothing stored to read
        created = create_flow(client, headers, {"name": f"case {case}", "data": data})
        flow_id, seen_before = created["id"], len(tracebacks.seen)
        answers = {
            "run": client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hello"}, headers=headers),
            "stream": client.post(f"/api/v1/run/{flow_id}", params={"stream": "true"},
                                  json={"input_value": "hello"}, headers=headers),
            "workflow": client.post("/api/v2/workflows", json={"flow_id": flow_id, "input_value": "hello"},
                                    headers=headers),
            "download": client.post("/api/v1/flows/download/", json=[flow_id], headers=headers),
            "project": client.get(f"/api/v1/projects/download/{created['folder_id']}", headers=headers),
        }
        job = client.post(f"/api/v1/build/{flow_id}/flow", json={}, headers=headers).json()["job_id"]
        build = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
        tools = rpc(client, "/api/v1/mcp/streamable", headers, "tools/list")
        problems = [f"{name} {answer.status_code}: {answer.text[:200]}" for name, answer in answers.items()
                    if answer.status_code >= 500 and not any(text in answer.text for text in LANGFLOWS_OWN_500S)]
        if answers["stream"].status_code == 200 and last_event(answers["stream"].text, "\n\n") not in ("end", "error"):
            problems.append(f"stream cut short: {answers['stream'].text[-200:]}")
        if last_event(build.text, "\n") not in ("end", "error"):
            problems.append(f"build job did not end: {build.text[-200:]}")
        if "error" in tools:
            problems.append(f"tools/list: {tools['error']}")
        problems += tracebacks.seen[seen_before:]
        if problems:
            failures.append(f"case {case}, data {json.dumps(data)[:300]}...: " + "; ".join(problems))
        client.delete(f"/api/v1/flows/{flow_id}", headers=headers)
    assert not failures, "\n".join(failures[:5])
