"""The JSON text of answers, byte for byte, as each release's writers produce it: a client comparing raw
bodies (snapshot tests) sees how floats and non-ASCII text are written.

json.dumps writes 1e-07, 1e-05 and 1e+16; pydantic-core 2.46 (1.13's) 1e-7, 0.00001 and 1e+16; pydantic-core
2.33 (pydantic 2.11, 1.8's and 1.7.1's) 1e-7, 0.00001 and 1e16. Which one writes an answer depends on the
release's FastAPI and on the route."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, new_api_key

GRAPH = {"nodes": [{"id": "n1", "position": {"x": 1e-07, "y": 1e16}, "data": {"v": 1e-05, "w": 0.5}}],
         "edges": []}
NAME = "Café ☃"

# What each writer makes of GRAPH's numbers: compact, or with json.dumps' default separators.
PYDANTIC = b'"position":{"x":1e-7,"y":1e+16},"data":{"v":0.00001,"w":0.5}'
SERDE = b'"position":{"x":1e-7,"y":1e16},"data":{"v":0.00001,"w":0.5}'
JSON = b'"position":{"x":1e-07,"y":1e+16},"data":{"v":1e-05,"w":0.5}'
JSON_DEFAULTS = b'"position": {"x": 1e-07, "y": 1e+16}, "data": {"v": 1e-05, "w": 0.5}'
TYPED = {"1.13.0": PYDANTIC, "1.8.4": SERDE, "1.7.1": JSON}


def release(make_client: Callable[..., TestClient], version: str, **flow: Any) -> tuple[TestClient, dict[str, str],
                                                                                          dict[str, Any]]:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, {"name": NAME, "data": GRAPH, **flow})


@pytest.mark.parametrize("version", list(TYPED))
def test_a_typed_answer_writes_floats_as_the_releases_fastapi_does(make_client: Callable[..., TestClient],
                                                                   version: str) -> None:
    """GET /flows/{id} has FlowRead as its response model: FastAPI 0.135 on (1.13, 1.8) writes it with
    pydantic-core, the release's own; FastAPI 0.125 (1.7.1) dumps it to Python values for JSONResponse, whose
    json.dumps writes the floats. Non-ASCII text is raw UTF-8 either way."""
    client, headers, flow = release(make_client, version)
    written = TYPED[version]
    for response in (client.get(f"/api/v1/flows/{flow['id']}", headers=headers),
                     client.post("/api/v1/flows/", json={"name": "Other", "data": GRAPH}, headers=headers)):
        assert response.status_code in (200, 201), response.text
        assert written in response.content
    assert NAME.encode() in client.get(f"/api/v1/flows/{flow['id']}", headers=headers).content


@pytest.mark.parametrize("version", list(TYPED))
def test_a_page_of_flows_is_a_typed_answer(make_client: Callable[..., TestClient], version: str) -> None:
    client, headers, _ = release(make_client, version)
    page = client.get("/api/v1/flows/", params={"get_all": "false"}, headers=headers)
    assert page.status_code == 200
    assert TYPED[version] in page.content and NAME.encode() in page.content


def test_1_13_writes_the_whole_list_as_its_own_json_response(make_client: Callable[..., TestClient]) -> None:
    """1.13's read_flows returns a JSONResponse for the whole list (and its headers): json.dumps' floats, compact,
    raw UTF-8."""
    client, headers, _ = release(make_client, "1.13.0", is_component=True)
    whole = client.get("/api/v1/flows/", params={"remove_example_flows": "true"}, headers=headers)
    assert JSON in whole.content and NAME.encode() in whole.content
    heads = client.get("/api/v1/flows/", params={"remove_example_flows": "true", "header_flows": "true"},
                       headers=headers)
    assert JSON in heads.content and NAME.encode() in heads.content


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_the_lists_are_json_dumps_defaults(make_client: Callable[..., TestClient], version: str) -> None:
    """Before 1.13 the whole list, its headers, the examples and /all are compress_response's text: json.dumps
    with its defaults (", " and ": ", non-ASCII as \\u escapes), gzipped."""
    client, headers, _ = release(make_client, version, is_component=True)
    for params in ({"remove_example_flows": "true"}, {"remove_example_flows": "true", "header_flows": "true"}):
        listed = client.get("/api/v1/flows/", params=params, headers=headers)
        assert listed.headers["content-encoding"] == "gzip"
        assert JSON_DEFAULTS in listed.content
        assert b'"name": "Caf\\u00e9 \\u2603"' in listed.content
    for path in ("/api/v1/flows/basic_examples/", "/api/v1/all"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200 and answer.content[:2] in (b'[{', b'{"')
        assert b'", "' in answer.content and b'":"' not in answer.content


def with_float_fields(flow: dict[str, Any]) -> dict[str, Any]:
    """The flow with a float field of 1e-07 and one of 1e16 on each node, as a component may declare them."""
    for node in flow["data"]["nodes"]:
        template = node["data"]["node"]["template"]
        for name, value in (("ratio", 1e-07), ("scale", 1e16)):
            template[name] = {"type": "float", "value": value, "show": True, "name": name, "advanced": False}
    return flow


@pytest.mark.parametrize(("version", "written"), [("1.13.0", (b'"ratio":1e-7', b'"scale":1e+16')),
                                                  ("1.8.4", (b'"ratio":1e-7', b'"scale":1e16'))],
                         ids=["1.13.0", "1.8.4"])
def test_transactions_are_a_typed_answer(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
                                         version: str, written: tuple[bytes, ...]) -> None:
    """GET /monitor/transactions answers a Page of Langflow's transaction model: a vertex's logged float inputs
    are written by pydantic-core, as the release's."""
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, with_float_fields(chat_flow))["id"]
    built = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "h\u00e9llo"}}, headers=headers)
    assert built.status_code == 200
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers)
    assert logged.status_code == 200 and all(text in logged.content for text in written)
    assert "h\u00e9llo".encode() in logged.content


def test_build_events_are_json_dumps_text(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """Langflow's event manager writes each event with json.dumps' defaults: non-ASCII text as \\u escapes."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    built = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "h\u00e9llo"}}, headers=headers)
    assert b'"text": "h\\u00e9llo"' in built.content and "\u00e9".encode() not in built.content


@pytest.mark.parametrize("version", list(TYPED))
def test_a_project_with_its_flows_is_a_typed_answer(make_client: Callable[..., TestClient], version: str) -> None:
    """GET /projects/{id} has the project-with-flows models as its response model, whole or paged."""
    client, headers, flow = release(make_client, version)
    for params in ({}, {"page": "1", "size": "10"}):
        project = client.get(f"/api/v1/projects/{flow['folder_id']}", params=params, headers=headers)
        assert project.status_code == 200, project.text
        assert TYPED[version] in project.content and NAME.encode() in project.content


@pytest.mark.parametrize(("version", "written"), [("1.13.0", b'"x": 1e-7,\n'), ("1.8.4", b'"x": 1e-07, ')],
                         ids=["1.13.0", "1.8.4"])
def test_zip_downloads_write_floats_as_the_releases_writer(make_client: Callable[..., TestClient], version: str,
                                                           written: bytes) -> None:
    """1.13 writes each flow of a download zip (flows, project) with orjson, indented; before 1.13 json.dumps."""
    client, headers, flow = release(make_client, version)
    other = create_flow(client, headers, {"name": "Other", "data": GRAPH})
    flows = client.post("/api/v1/flows/download/", json=[flow["id"], other["id"]], headers=headers)
    project = client.get(f"/api/v1/projects/download/{flow['folder_id']}", headers=headers)
    for response in (flows, project):
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        assert all(written in archive.read(info) for info in archive.infolist())


def test_v2_streams_write_text_as_each_protocols_writer(make_client: Callable[..., TestClient],
                                                        chat_flow: dict[str, Any]) -> None:
    """1.13's v2 stream: an AG-UI event is its model's model_dump_json (raw UTF-8); a Langflow-protocol event is
    json.dumps' text (\\u escapes)."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    body = {"flow_id": flow_id, "input_value": "h\u00e9llo", "mode": "stream"}
    agui = client.post("/api/v2/workflows", json={**body, "stream_protocol": "agui"}, headers=headers)
    assert agui.status_code == 200 and '"delta":"h\u00e9llo"'.encode() in agui.content
    native = client.post("/api/v2/workflows", json=body, headers=headers)
    assert native.status_code == 200 and b"h\\u00e9llo" in native.content and "\u00e9".encode() not in native.content


def test_1_13_lists_a_graph_with_a_big_integer_with_its_text_raw(make_client: Callable[..., TestClient]) -> None:
    """A graph orjson cannot write (an integer past 64 bits) is still listed as 1.13's JSONResponse writes it:
    non-ASCII text raw, not escaped."""
    client, headers, _ = release(make_client, "1.13.0", data={**GRAPH, "big": 2**70, "note": "caf\u00e9"})
    whole = client.get("/api/v1/flows/", params={"remove_example_flows": "true"}, headers=headers)
    assert '"note":"caf\u00e9"'.encode() in whole.content and b'"big":1180591620717411303424' in whole.content
    assert JSON in whole.content


@pytest.mark.parametrize(("version", "written"), [("1.13.0", b'"timedelta":0.0000'), ("1.7.1", b'"timedelta":4')],
                         ids=["1.13.0", "1.7.1"])
def test_vertex_builds_are_a_typed_answer(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
                                          monkeypatch: pytest.MonkeyPatch, version: str, written: bytes) -> None:
    """GET /monitor/builds answers Langflow's VertexBuildMapModel: a vertex built in under 0.1 ms has its timedelta
    written by pydantic-core in 1.13 (0.0000...), by json.dumps in 1.7.1 (4.5e-05 or so), as in build events."""
    ticks = iter(range(10**6))
    monkeypatch.setattr("mock_langflow.engine.runner.time", SimpleNamespace(perf_counter=lambda: next(ticks) * 4.5e-05))
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    built = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "quick"}}, headers=headers)
    assert built.status_code == 200 and b'"timedelta": 4' in built.content
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers)
    assert builds.status_code == 200 and written in builds.content


@pytest.mark.parametrize(("version", "written"), [("1.13.0", '"big": 1e+16'), ("1.8.4", '"big": 1e16'),
                                                  ("1.7.1", '"big": 1e16')])
def test_a_data_value_reads_as_text_as_the_releases_orjson_writes_it(
        make_client: Callable[..., TestClient], webhook_flow: dict[str, Any], version: str, written: str) -> None:
    """A webhook's payload reaches the Chat Output as Data, which reads as orjson's indented text: orjson 3.11.9
    (1.13) writes 1e+16, orjson 3.10.15 (1.8, 1.7.1) 1e16; both write 1e-7."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, webhook_flow)["id"]
    assert client.post(f"/api/v1/webhook/{flow_id}", json={"big": 1e16, "small": 1e-07},
                       headers=headers).status_code == 202
    for _ in range(200):
        texts = [m["text"] for m in client.get("/api/v1/monitor/messages", params={"flow_id": flow_id},
                                               headers=headers).json()]
        if texts:
            break
        time.sleep(0.01)
    assert texts == ["```json\n{\n  " + written + ',\n  "small": 1e-7\n}\n```']
