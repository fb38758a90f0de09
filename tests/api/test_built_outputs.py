"""Which outputs a component builds, as live Langflow 1.13.0 and 1.8.4 servers built them
(tests/data/built_outputs/live.json, made by scripts/record-live): lfx builds, of a component that feeds
something, every output named by an edge at it, the edges into it too. So an If-Else handed another If-Else's
true_result builds its own true_result beside the false_result it feeds on (its artifacts showing both), and a Type
Convert handed another's table builds its own table too."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_if_else import RELEASES, Http, _repr
from tests.api.test_type_convert import converter
from tests.conftest import build_job_events, new_api_key

LIVE = Path(__file__).resolve().parent.parent / "data" / "built_outputs" / "live.json"
# case -> (the graph, the chat message)
CASES: dict[str, tuple[str, str]] = {
    "if_else_chain_true": ("if_else", "hi"),
    "if_else_chain_false": ("if_else", "no"),
    "type_convert_chain": ("type_convert", '[{"a": 1, "c": "p|q\\n\\nr"}, {"b": "  "}]'),
}


def flow(components: dict[str, Any], release: str, graph: str) -> dict[str, Any]:
    """Chat Input -> If-Else (true_result) -> If-Else (false_result) -> Chat Output; or Chat Input -> Type Convert
    (table, Auto Parse) -> Type Convert (message) -> Chat Output."""
    chat, out = node(components, "ChatInput", "ChatInput-iiiii"), node(components, "ChatOutput", "ChatOutput-ooooo")
    if graph == "if_else":
        first = node(components, "ConditionalRouter", "ConditionalRouter-aaaaa", match_text="hi")
        second = node(components, "ConditionalRouter", "ConditionalRouter-bbbbb", match_text="hi")
        links = [edge(chat, "message", first, "input_text"), edge(first, "true_result", second, "input_text"),
                 edge(second, "false_result", out, "input_value")]
    else:
        first = converter(components, release, "table", True)
        second = converter(components, release, "message", False)
        second["id"] = second["data"]["id"] = "TypeConverterComponent-uuuuu"
        links = [edge(chat, "message", first, "input_data"), edge(first, "dataframe_output", second, "input_data"),
                 edge(second, "message_output", out, "input_value")]
    return {"nodes": [chat, first, second, out], "edges": links}


def exchange(client: Http, headers: dict[str, str], components: dict[str, Any], release: str,
             case: str) -> dict[str, Any]:
    """The flow built and run: each vertex's outputs and artifacts but the Chat Input's (ids and times left out),
    the run's answer."""
    graph, text = CASES[case]
    created = client.post("/api/v1/flows/", json={"name": f"built outputs {case}",
                                                  "data": flow(components, release, graph)}, headers=headers)
    assert created.status_code == 201, created.text
    flow_id = created.json()["id"]
    built = []
    for event in build_job_events(client, headers, flow_id, {"inputs": {"input_value": text}}):
        data = event["data"]
        if event["event"] == "end_vertex" and not data["build_data"]["id"].startswith("ChatInput"):
            bd = data["build_data"]
            built.append({"id": bd["id"], "valid": bd["valid"], "outputs": bd["data"]["outputs"],
                          # (sorted: Langflow lists them from a set, README's deliberate differences)
                          "inactivated": sorted(bd["inactivated_vertices"]),
                          "artifacts": {k: {**a, "repr": _repr(a["repr"])} if isinstance(a, dict) and "repr" in a
                                        else a for k, a in (bd["data"]["artifacts"] or {}).items()}})
    run = client.post(f"/api/v1/run/{flow_id}", json={"input_value": text}, headers=headers)
    answer = [[o["component_id"], o["results"]["message"]["text"]] for o in run.json()["outputs"][0]["outputs"]]
    return {"build": built, "run": [run.status_code, answer]}


def record(client: Http, headers: dict[str, str], components: dict[str, Any], release: str) -> dict[str, Any]:
    """Every case, as exchange() keeps it (scripts/record-live)."""
    return {case: exchange(client, headers, components, release, case) for case in CASES}


@pytest.mark.parametrize(("release", "case"), [(r, c) for r in RELEASES for c in CASES])
def test_the_mock_builds_the_outputs_the_live_server_built(make_client: Callable[..., TestClient],
                                                          live: dict[str, dict[str, Any]], release: str,
                                                          case: str) -> None:
    client = make_client(langflow_version=RELEASES[release], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    got = exchange(client, headers, catalog(client, headers), release, case)
    assert json.loads(json.dumps(got)) == live[release][case]
