"""POST /api/v1/flows/expand/ (1.8, 1.13): a compact flow, as an agent writes one, made into a flow's data."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

URL = "/api/v1/flows/expand/"
COMPACT = {"nodes": [{"id": "ChatInput-a", "type": "ChatInput"},
                     {"id": "ChatOutput-b", "type": "ChatOutput", "values": {"sender_name": "Bot"}}],
           "edges": [{"source": "ChatInput-a", "source_output": "message", "target": "ChatOutput-b",
                      "target_input": "input_value"}]}


def test_expand_fills_templates_and_writes_the_edge_handles(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.post(URL, headers=key_headers, json=COMPACT)
    assert response.status_code == 200
    catalog = client.get("/api/v1/all", headers=key_headers).json()["input_output"]
    first, second = response.json()["nodes"]
    assert first == {"id": "ChatInput-a", "type": "genericNode",
                     "data": {"type": "ChatInput", "node": catalog["ChatInput"], "id": "ChatInput-a"}}
    assert second["data"]["node"]["template"]["sender_name"]["value"] == "Bot"
    (edge,) = response.json()["edges"]
    source = {"dataType": "ChatInput", "id": "ChatInput-a", "name": "message", "output_types": ["Message"]}
    target = {"fieldName": "input_value", "id": "ChatOutput-b",
              "inputTypes": catalog["ChatOutput"]["template"]["input_value"]["input_types"], "type": "other"}
    assert edge["data"] == {"sourceHandle": source, "targetHandle": target}
    assert edge["sourceHandle"] == "{œdataTypeœ: œChatInputœ, œidœ: œChatInput-aœ, œnameœ: œmessageœ, " \
                                   "œoutput_typesœ: [œMessageœ]}"
    assert edge["id"] == f"reactflow__edge-ChatInput-a{edge['sourceHandle']}-ChatOutput-b{edge['targetHandle']}"
    assert (edge["className"], edge["selected"], edge["animated"]) == ("", False, False)
    # a value given once does not stay in the catalog
    again = client.post(URL, headers=key_headers, json={"nodes": [{"id": "o", "type": "ChatOutput"}], "edges": []})
    assert again.json()["nodes"][0]["data"]["node"] == catalog["ChatOutput"]


def test_an_expanded_flow_is_stored_and_runs(client: TestClient, key_headers: dict[str, str]) -> None:
    data = client.post(URL, headers=key_headers, json=COMPACT).json()
    flow = client.post("/api/v1/flows/", headers=key_headers, json={"name": "from compact", "data": data}).json()
    run = client.post(f"/api/v1/run/{flow['id']}", headers=key_headers, json={"input_value": "hello"})
    assert run.status_code == 200
    (result,) = run.json()["outputs"][0]["outputs"]
    assert result["component_id"] == "ChatOutput-b"
    assert result["results"]["message"]["text"] == "hello"


def test_edited_nodes_and_unknown_fields_are_taken_as_given(client: TestClient, key_headers: dict[str, str]) -> None:
    own = {"template": {"x": {"type": "str"}}, "outputs": [{"name": "out", "types": ["Data"]}]}
    body: dict[str, Any] = {"nodes": [{"id": "n1", "type": "Mine", "edited": True, "node": own},
                                      {"id": "n2", "type": "ChatOutput", "values": {"brand_new": 3}}],
                            "edges": [{"source": "n1", "source_output": "out", "target": "n1", "target_input": "x"},
                                      {"source": "n1", "source_output": "none", "target": "n2",
                                       "target_input": "sender"}]}
    response = client.post(URL, headers=key_headers, json=body)
    assert response.status_code == 200
    nodes, edges = response.json()["nodes"], response.json()["edges"]
    assert nodes[0]["data"] == {"type": "Mine", "node": own, "id": "n1"}
    assert nodes[1]["data"]["node"]["template"]["brand_new"] == {"value": 3}
    assert edges[0]["data"]["targetHandle"] == {"fieldName": "x", "id": "n1", "inputTypes": ["str"], "type": "str"}
    # no such output: the component's base classes (none here); a field of the template: its own types
    assert edges[1]["data"]["sourceHandle"]["output_types"] == []


def test_bad_compact_flows_are_refused_with_langflows_text(client: TestClient, key_headers: dict[str, str]) -> None:
    node = {"id": "x", "type": "ChatInput"}
    cases = [
        ({"nodes": [{"id": "x", "type": "Nope"}], "edges": []}, "Component type 'Nope' not found in component index"),
        ({"nodes": [{**node, "edited": True}], "edges": []}, "Node x is marked as edited but has no node data"),
        ({"nodes": [node], "edges": [{"source": "y", "source_output": "m", "target": "x", "target_input": "i"}]},
         "Source node 'y' not found"),
        ({"nodes": [node], "edges": [{"source": "x", "source_output": "m", "target": "y", "target_input": "i"}]},
         "Target node 'y' not found"),
        # Langflow's code fails on a template entry that is no field (a 500 there)
        ({"nodes": [node], "edges": [{"source": "x", "source_output": "m", "target": "x", "target_input": "_type"}]},
         "'str' object has no attribute 'get'"),
    ]
    for body, detail in cases:
        response = client.post(URL, headers=key_headers, json=body)
        assert (response.status_code, response.json()) == (400, {"detail": detail})
    missing = client.post(URL, headers=key_headers, json={"nodes": []})
    assert missing.status_code == 400
    assert missing.json()["detail"].startswith("1 validation error for CompactFlowData\nedges\n  Field required")
    assert "https://errors.pydantic.dev/2.13/v/missing" in missing.json()["detail"]
    assert client.post(URL, headers=key_headers, json=[COMPACT]).status_code == 422


def test_expand_needs_a_signed_in_caller_and_1_8(make_client: Any) -> None:
    client = make_client()
    anonymous = client.post(URL, json=COMPACT)
    assert (anonymous.status_code, anonymous.json()) == (403, {"detail": "No authentication credentials provided"})
    beta = make_client(langflow_version="1.8")
    token = beta.get("/api/v1/auto_login").json()["access_token"]
    assert beta.post(URL, json=COMPACT, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    old = make_client(langflow_version="1.7.1")
    assert old.post(URL, json=COMPACT).status_code != 200
    assert "expand" not in str(old.get("/openapi.json").json()["paths"])
