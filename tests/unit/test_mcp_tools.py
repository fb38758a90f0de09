"""Langflow's MCP naming and input-schema rules, without HTTP."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from mock_langflow.mcp.naming import project_server_name, project_server_names, sanitize_mcp_name, unique_name
from mock_langflow.mcp.tools import SESSION_ID_PROPERTY, input_schema, input_tweaks


@pytest.mark.parametrize(("name", "expected"), [
    ("Contract Chat IO", "contract_chat_io"),
    ("contract_chat_io", "contract_chat_io"),
    ("Café Crème -- Bot", "cafe_creme_bot"),
    ("Rocket 🚀 Flow!", "rocket_flow"),
    ("3 Little Pigs", "_3_little_pigs"),
    ("日本語 Flow", "flow"),
    ("!!!", "unnamed"),
    ("   ", ""),
    ("x" * 60, "x" * 46),
])
def test_sanitize_mcp_name(name: str, expected: str) -> None:
    assert sanitize_mcp_name(name) == expected


def test_unique_name_numbers_a_taken_name_within_the_length_limit() -> None:
    assert unique_name("echo", 46, set()) == "echo"
    assert unique_name("echo", 46, {"echo", "echo_1"}) == "echo_2"
    assert unique_name("a" * 46, 46, {"a" * 46}) == "a" * 44 + "_1"


@pytest.mark.parametrize(("name", "current", "before"), [
    ("Starter Project", "lf-starter_project", "lf-starter_project"),
    ("A Very Long Project Name Indeed", "lf-a_very_long_project_name_i", "lf-a_very_long_project_name_i"),  # 26
    ("abcdefghijklmnopqrstuvwxy z", "lf-abcdefghijklmnopqrstuvwxy", "lf-abcdefghijklmnopqrstuvwxy_"),  # 1.13 trims
    ("日本語 Flow", "lf-日本語_flow", "lf-flow"),
    ("काम", "lf-काम", "lf-कम"),  # 1.13 keeps a vowel sign on a letter that is not Latin
    ("Café Crème", "lf-cafe_creme", "lf-cafe_creme"),
    ("🚀", "lf-unnamed", "lf-unnamed"),
])
def test_project_server_name(name: str, current: str, before: str) -> None:
    assert project_server_name(name, any_script=True) == current
    assert project_server_name(name, any_script=False) == before


def test_project_server_names_fall_back_to_the_id_in_1_13() -> None:
    pid = UUID("0123abcd-0000-4000-8000-000000000000")
    assert project_server_names(pid, "A Very Long Project Name Indeed", any_script=True) == [
        "lf-a_very_long_project_name_i", "lf-a_very_long_proje-0123abcd"]
    assert project_server_names(pid, "Reports", any_script=False) == ["lf-reports"]


def node(node_id: str, template: dict[str, Any]) -> dict[str, Any]:
    # an id and a template _type: the parts of a node every release's graph loader reads (engine/graph.py)
    return {"id": node_id, "data": {"id": node_id, "type": node_id.split("-")[0],
                                    "node": {"template": {"_type": "Component", **template}, "outputs": []}}}


def field(kind: str = "str", **extra: Any) -> dict[str, Any]:
    return {"type": kind, "show": True, "advanced": False, "info": f"a {kind}", **extra}


def test_input_schema_offers_shown_fields_of_input_vertices_with_json_types() -> None:
    data = {"edges": [], "nodes": [
        node("TextInput-aaaaa", {"input_value": field(), "count": field("int", required=True),
                                  "tags": field("str", list=True), "rows": field("table"),
                                  "hidden": field(show=False), "tuned": field(advanced=True), "_type": "Component"}),
        node("OpenAIModel-bbbbb", {"temperature": field("float")}),  # not an input vertex
    ]}
    assert input_schema(data) == {
        "type": "object", "required": ["count"],
        "properties": {"input_value": {"type": "string", "description": "a str"},
                       "count": {"type": "integer", "description": "a int"},
                       "tags": {"type": "array", "items": {"type": "string"}, "description": "a str"},
                       "rows": {"type": "array", "items": {"type": "object"}, "description": "a table"},
                       "session_id": SESSION_ID_PROPERTY}}


def test_an_api_allowlist_narrows_schema_and_tweaks_but_keeps_the_message() -> None:
    data = {"edges": [], "nodes": [node("ChatInput-aaaaa", {
        "input_value": field(), "sender_name": field(), "greeting": field(api_editable=True)})]}
    assert set(input_schema(data)["properties"]) == {"input_value", "greeting", "session_id"}
    assert input_tweaks(data, {"sender_name": "ada", "greeting": "hi"}) == {"ChatInput-aaaaa": {"greeting": "hi"}}


def test_a_flow_that_is_not_a_graph_has_no_schema() -> None:
    with pytest.raises(ValueError):
        input_schema(None)
    assert input_schema({"nodes": [], "edges": []}) == {
        "type": "object", "properties": {"session_id": SESSION_ID_PROPERTY}, "required": []}
