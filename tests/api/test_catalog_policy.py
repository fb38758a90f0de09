"""1.13's /api/v1/catalog-policy: the blocked components and templates (policy bundle facets), the flows using
each component, and the catalog lists the policy narrows (/all, the example flows, the starter projects)."""

from __future__ import annotations

import copy
import json
from typing import Any

from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import create_flow, other_user_key

STARTERS = ["Basic Prompting", "Simple Agent", "Simple Chat", "Webhook Listener"]


def names(answer: Any) -> list[str]:
    return sorted(f["name"] for f in answer.json())


def test_the_block_sets_start_empty_and_are_replaced_whole(client: TestClient, key_headers: dict[str, str]) -> None:
    for kind in ("components", "templates"):
        read = client.get(f"/api/v1/catalog-policy/{kind}", headers=key_headers)
        assert (read.status_code, read.json()) == (200, {"blocked": [], "managed_externally": False})
    replaced = client.put("/api/v1/catalog-policy/components", json={"blocked": [" Webhook", "Agent", "Agent"]},
                          headers=key_headers)
    assert (replaced.status_code, replaced.json()) == (200, {"blocked": ["Agent", "Webhook"],
                                                             "managed_externally": False})
    client.put("/api/v1/catalog-policy/templates", json={"blocked": ["simple_chat"]}, headers=key_headers)
    assert client.get("/api/v1/catalog-policy/components", headers=key_headers).json()["blocked"] == [
        "Agent", "Webhook"]
    bundle = client.get("/api/v1/policy-bundle", headers=key_headers).json()
    assert (bundle["revision"], bundle["blocked_component_keys"], bundle["blocked_template_keys"]) == (
        3, ["Agent", "Webhook"], ["simple_chat"])
    for bad in ({"blocked": [""]}, {"blocked": ["x" * 256]}, {"blocked": "Agent"}, {}):
        refused = client.put("/api/v1/catalog-policy/templates", json=bad, headers=key_headers)
        assert refused.status_code == 422, bad
    assert client.get("/api/v1/catalog-policy/templates", headers=key_headers).json()["blocked"] == ["simple_chat"]


def test_usage_counts_each_flow_once_per_component(client: TestClient, key_headers: dict[str, str],
                                                   chat_flow: dict[str, Any]) -> None:
    before = client.get("/api/v1/catalog-policy/usage", headers=key_headers).json()
    # the example flows count, as Langflow keeps them in its flow table
    assert before["flows_scanned"] == len(STARTERS) and before["components"]["ChatOutput"] == len(STARTERS)
    nested = copy.deepcopy(chat_flow)
    nested["data"]["nodes"].append({"id": "RunFlow-x", "data": {"type": "RunFlow", "node": {"flow": {"data": {
        "nodes": [{"data": {"type": "ChatInput"}}, {"data": {"type": "SecretComponent"}}]}}}}})
    create_flow(client, key_headers, {"name": "zeta nested", "data": nested["data"]})
    create_flow(client, key_headers, {"name": "Alpha", "data": chat_flow["data"]})
    create_flow(client, key_headers, {"name": "empty", "data": {"nodes": [], "edges": []}})
    create_flow(client, key_headers, {"name": "saved component", "data": chat_flow["data"], "is_component": True})
    after = client.get("/api/v1/catalog-policy/usage", headers=key_headers)
    assert after.status_code == 200
    usage = after.json()
    assert usage["flows_scanned"] == len(STARTERS) + 3  # every flow but the saved component, the empty one too
    assert usage["components"]["ChatInput"] == before["components"]["ChatInput"] + 2
    assert (usage["components"]["SecretComponent"], usage["components"]["RunFlow"]) == (1, 1)
    assert list(usage["components"]) == sorted(usage["components"])
    flows = client.get("/api/v1/catalog-policy/usage/flows", params={"component": " SecretComponent "},
                       headers=key_headers).json()
    assert flows["component"] == "SecretComponent" and flows["total"] == 1
    assert [f["name"] for f in flows["flows"]] == ["zeta nested"]
    page = client.get("/api/v1/catalog-policy/usage/flows", params={"component": "ChatInput", "limit": 2},
                      headers=key_headers).json()
    assert page["total"] == before["components"]["ChatInput"] + 2
    assert [f["name"] for f in page["flows"]] == ["Alpha", "Basic Prompting"]  # by name, whatever its case
    none = client.get("/api/v1/catalog-policy/usage/flows", params={"component": "Nothing"}, headers=key_headers)
    assert none.json() == {"component": "Nothing", "total": 0, "flows": []}


def test_a_blank_usage_query_is_refused(client: TestClient, key_headers: dict[str, str]) -> None:
    blank = client.get("/api/v1/catalog-policy/usage/flows", params={"component": "   "}, headers=key_headers)
    assert (blank.status_code, blank.json()) == (422, {"detail": errors.USAGE_COMPONENT_BLANK})
    for params in ({}, {"component": ""}, {"component": "x", "limit": 501}):
        assert client.get("/api/v1/catalog-policy/usage/flows", params=params,
                          headers=key_headers).status_code == 422, params


def test_only_superusers_govern_the_catalog(client: TestClient, key_headers: dict[str, str]) -> None:
    bob = {"x-api-key": other_user_key(client, key_headers)}
    for method, path in (("GET", "/components"), ("PUT", "/components"), ("GET", "/templates"),
                         ("PUT", "/templates"), ("GET", "/usage"), ("GET", "/usage/flows?component=x")):
        refused = client.request(method, f"/api/v1/catalog-policy{path}", headers=bob,
                                 json={"blocked": ["Agent"]} if method == "PUT" else None)
        assert (refused.status_code, refused.json()) == (403, {"detail": errors.NOT_ENOUGH_PRIVILEGES}), path
    assert client.get("/api/v1/catalog-policy/components", headers=key_headers).json()["blocked"] == []


def test_blocked_templates_leave_the_example_lists_but_for_a_superuser_asking(
        client: TestClient, key_headers: dict[str, str]) -> None:
    assert names(client.get("/api/v1/starter-projects/", headers=key_headers)) == STARTERS
    client.put("/api/v1/catalog-policy/templates", json={"blocked": ["simple_chat", "no_such_template"]},
               headers=key_headers)
    left = [n for n in STARTERS if n != "Simple Chat"]
    assert names(client.get("/api/v1/starter-projects/", headers=key_headers)) == left
    assert names(client.get("/api/v1/flows/basic_examples/")) == left
    assert names(client.get("/api/v1/starter-projects/", params={"include_blocked": True},
                            headers=key_headers)) == STARTERS
    assert names(client.get("/api/v1/flows/basic_examples/", params={"include_blocked": True},
                            headers=key_headers)) == STARTERS
    bob = {"x-api-key": other_user_key(client, key_headers)}
    assert names(client.get("/api/v1/starter-projects/", headers=bob)) == left
    refused = client.get("/api/v1/starter-projects/", params={"include_blocked": True}, headers=bob)
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.BLOCKED_TEMPLATES})


def test_blocked_components_leave_the_palette(client: TestClient, key_headers: dict[str, str]) -> None:
    full = client.get("/api/v1/all", headers=key_headers).json()
    assert "Webhook" in full["input_output"] and "webhook" in full["component_display_names"]
    client.put("/api/v1/catalog-policy/components", json={"blocked": ["Webhook", "File"]}, headers=key_headers)
    narrowed = client.get("/api/v1/all", headers=key_headers).json()
    assert list(narrowed) == list(full)  # every category stays, an emptied one too
    assert narrowed["input_output"] == {k: v for k, v in full["input_output"].items() if k != "Webhook"}
    assert narrowed["files_and_knowledge"] == {}
    assert set(full["component_display_names"]) - set(narrowed["component_display_names"]) == {"webhook", "file"}
    assert client.get("/api/v1/all", params={"include_blocked": True}, headers=key_headers).json() == full


def test_a_flow_write_with_a_blocked_component_is_refused(client: TestClient, key_headers: dict[str, str],
                                                          chat_flow: dict[str, Any]) -> None:
    kept = create_flow(client, key_headers, {"name": "kept", "data": chat_flow["data"]})
    client.put("/api/v1/catalog-policy/components", json={"blocked": ["ChatOutput", "ChatInput", "Agent"]},
               headers=key_headers)
    detail = {"detail": "Flow build blocked: catalog policy blocks components: ChatInput, ChatOutput"}
    for method, path, body in (
            ("POST", "/api/v1/flows/", {"name": "new", "data": chat_flow["data"]}),
            ("POST", "/api/v1/flows/batch/", {"flows": [{"name": "a"}, {"name": "b", "data": chat_flow["data"]}]}),
            ("PUT", f"/api/v1/flows/{kept['id']}", {"name": "kept"}),  # (its stored graph is checked)
            ("PATCH", f"/api/v1/flows/{kept['id']}", {"name": "renamed"})):  # (its stored graph is checked)
        refused = client.request(method, path, json=body, headers=key_headers)
        assert (refused.status_code, refused.json()) == (400, detail), path
    upload = client.post("/api/v1/flows/upload/", headers=key_headers, files={
        "file": ("f.json", json.dumps({"name": "up", "data": chat_flow["data"]}), "application/json")})
    assert (upload.status_code, upload.json()) == (400, detail)
    names_now = [f["name"] for f in client.get("/api/v1/flows/", params={"header_flows": True},
                                               headers=key_headers).json()]
    assert set(names_now) - set(STARTERS) == {"kept"}
    # a graph without them is written, and unblocking lets the flow change again
    assert client.post("/api/v1/flows/", json={"name": "bare", "data": {"nodes": [], "edges": []}},
                       headers=key_headers).status_code == 201
    client.put("/api/v1/catalog-policy/components", json={"blocked": []}, headers=key_headers)
    assert client.patch(f"/api/v1/flows/{kept['id']}", json={"name": "renamed"},
                        headers=key_headers).status_code == 200
