"""Langflow's Parser (ParserComponent) writes the JSON it is handed out as text, as live Langflow 1.13.0 and 1.8.4
servers did (tests/data/parser/live.json, made by scripts/record-live): a template filled from the item (a key
it lacks empty, Python's format specs and conversions), the whole item as a fenced JSON block (Stringify, with its
log entry), and a template Python cannot fill failing the build and the run with Python's own words."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.live_flows import seen
from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_if_else import RELEASES, Http
from tests.conftest import new_api_key

LIVE = Path(__file__).resolve().parent.parent / "data" / "parser" / "live.json"
PARSER, SOURCE, OUT = "ParserComponent-ppppp", "Webhook-wwwww", "ChatOutput-ooooo"
ITEM = {"name": "Ann", "n": 3, "tags": ["a", "b"], "nested": {"k": 1.5}, "none": None, "t": True, "u": "é ü 😀",
        "big": 1e20, "small": 1e-7, "f": 2.0, "neg": -0.0, "text": "the text", "blank": "  "}
# case -> (the Webhook's data, the Parser's field values); data None: no data typed; "unconnected": no edge in
CASES: dict[str, tuple[Any, dict[str, Any]]] = {
    "fields": (ITEM, {"pattern": "Name: {name} n={n} tags={tags} nested={nested} miss={missing} none={none} t={t}"}),
    "specs": (ITEM, {"pattern": "{n:05d}|{name:>6}|{nested[k]:.3f}|{tags[0]}|{f}|{big}|{small}|{neg}"}),
    "default_pattern": (ITEM, {}),
    "unicode": (ITEM, {"pattern": "{u} {blank}|"}),
    "conversions": (ITEM, {"pattern": "{name!r} {n!s} {u!a}"}),
    "plain": (ITEM, {"pattern": "plain"}),
    "empty_pattern": (ITEM, {"pattern": ""}),
    "null_pattern": (ITEM, {"pattern": None}),
    "separator": (ITEM, {"pattern": "{name}", "sep": " | "}),
    "no_data": (None, {"pattern": "Text: {text}"}),
    "escaped_breaks": ({"ml": "a\n\n\n\nb"}, {"pattern": "{ml}"}),
    "missing_attribute": (ITEM, {"pattern": "{missing.attr}"}),
    "attribute": (ITEM, {"pattern": "{name.foo}"}),
    "index": (ITEM, {"pattern": "{tags[5]}"}),
    "subscript": (ITEM, {"pattern": "{n[0]}"}),
    "single_brace": (ITEM, {"pattern": "a } b"}),
    "open_brace": (ITEM, {"pattern": "a { b"}),
    "unclosed_field": (ITEM, {"pattern": "{name"}),
    "bad_spec": (ITEM, {"pattern": "{name:d}"}),
    "bad_conversion": (ITEM, {"pattern": "{name!x}"}),
    "positional": (ITEM, {"pattern": "x {} y"}),
    "stringify": (ITEM, {"mode": "Stringify"}),
    "stringify_empty": ({}, {"mode": "Stringify"}),
    "stringify_breaks": ({"ml": "a\n\n\n\nb"}, {"mode": "Stringify"}),
    "stringify_list": ([1, 2, {"a": "b"}], {"mode": "Stringify"}),
    "scalar": ("just text", {"pattern": "p={payload} t={text}"}),
    "unconnected": ("unconnected", {"pattern": "x"}),
    "unconnected_stringify": ("unconnected", {"mode": "Stringify"}),
}
# (1.8.4's build of a failing flow never ends its event stream: those cases are recorded by their runs alone)
FAILING = {"missing_attribute", "attribute", "index", "subscript", "single_brace", "open_brace", "unclosed_field",
           "bad_spec", "bad_conversion", "positional", "stringify_list", "scalar", "unconnected"}


def exchange(client: Http, headers: dict[str, str], components: dict[str, Any], case: str, *,
             build: bool) -> dict[str, Any]:
    """Webhook (its data typed) -> Parser -> Chat Output, built (where `build`) and run: what live_flows keeps."""
    data, values = CASES[case]
    source = node(components, "Webhook", SOURCE, data="" if data in (None, "unconnected") else json.dumps(data))
    parser, out = node(components, "ParserComponent", PARSER, **values), node(components, "ChatOutput", OUT)
    edges = [edge(parser, "parsed_text", out, "input_value")]
    if data != "unconnected":
        edges.append(edge(source, "output_data", parser, "input_data"))
    return seen(client, headers, f"parser {case}", {"nodes": [source, parser, out], "edges": edges}, "hello", PARSER,
                build=build)


def builds(release: str, case: str) -> bool:
    return release == "1.13.0" or case not in FAILING


def record(client: Http, headers: dict[str, str], components: dict[str, Any], release: str) -> dict[str, Any]:
    """Every case, as live_flows.summary() keeps it (scripts/record-live)."""
    return {case: exchange(client, headers, components, case, build=builds(release, case)) for case in CASES}


@pytest.mark.parametrize(("release", "case"), [(r, c) for r in RELEASES for c in CASES])
def test_the_mock_parses_as_the_live_server_did(make_client: Callable[..., TestClient],
                                               live: dict[str, dict[str, Any]], release: str, case: str) -> None:
    client = make_client(langflow_version=RELEASES[release], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    got = exchange(client, headers, catalog(client, headers), case, build=builds(release, case))
    assert got == live[release][case]


def _flow(client: TestClient, headers: dict[str, str], **values: Any) -> str:
    """Webhook -> Parser (its field values) -> Chat Output, stored; its id."""
    components = catalog(client, headers)
    source, parser = node(components, "Webhook", SOURCE), node(components, "ParserComponent", PARSER, **values)
    out = node(components, "ChatOutput", OUT)
    created = client.post("/api/v1/flows/", headers=headers, json={"name": "parser", "data": {
        "nodes": [source, parser, out],
        "edges": [edge(source, "output_data", parser, "input_data"), edge(parser, "parsed_text", out, "input_value")]}})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_a_webhook_call_is_written_through_the_template(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = _flow(client, headers, pattern="Name: {name} n={n} tags={tags} nested={nested} miss={missing} t={t}")
    payload = {"name": "Ann", "n": 3, "tags": ["a", "b"], "nested": {"k": 1.5}, "t": True}
    assert client.post(f"/api/v1/webhook/{flow_id}", json=payload, headers=headers).status_code == 202
    for _ in range(500):  # the flow runs after the 202
        stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
        if stored:
            break
        time.sleep(0.01)
    # as a live 1.13.0 stored it: Python's str() of each value, a key the payload lacks empty
    assert [m["text"] for m in stored] == ["Name: Ann n=3 tags=['a', 'b'] nested={'k': 1.5} miss= t=True"]


def test_a_width_past_a_million_is_refused_not_built(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = _flow(client, headers, pattern="{name:>2000000}")
    body = {"input_value": "hi", "tweaks": {SOURCE: {"data": '{"name": "Ann"}'}}}
    run = client.post(f"/api/v1/run/{flow_id}", json=body, headers=headers)
    assert run.status_code == 500
    assert "refuses a format width or precision over 1,000,000" in json.loads(run.json()["detail"])["message"]
    body["tweaks"][PARSER] = {"pattern": "{name:>{w}}"}  # a width the item gives
    body["tweaks"][SOURCE] = {"data": '{"name": "Ann", "w": 5000000}'}
    assert client.post(f"/api/v1/run/{flow_id}", json=body, headers=headers).status_code == 500
    body["tweaks"][PARSER] = {"pattern": "{name:>20}"}  # a sane width is Python's
    answer = client.post(f"/api/v1/run/{flow_id}", json=body, headers=headers).json()
    assert answer["outputs"][0]["outputs"][0]["results"]["message"]["text"] == " " * 17 + "Ann"


@pytest.mark.parametrize(("version", "title", "types"), [
    ("1.13.0", "JSON or Table", ["DataFrame", "Table", "Data", "JSON"]),
    ("1.8", "Data or DataFrame", ["DataFrame", "Data"]), ("1.7.1", "Data or DataFrame", ["DataFrame", "Data"])])
def test_the_catalog_lists_the_parser_as_the_release_does(make_client: Callable[..., TestClient], version: str,
                                                          title: str, types: list[str]) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    parser = client.get("/api/v1/all", headers=headers).json()["processing"]["ParserComponent"]
    assert (parser["display_name"], [o["name"] for o in parser["outputs"]]) == ("Parser", ["parsed_text"])
    field = parser["template"]["input_data"]
    assert (field["display_name"], field["input_types"], field["required"]) == (title, types, True)
    assert parser["template"]["mode"]["options"] == ["Parser", "Stringify"]
    assert parser["template"]["pattern"]["value"] == "Text: {text}"
