"""POST /api/v1/validate/prompt: the prompt editor's check of a template, which answers its variables and the
frontend node with a field for each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_api_key

URL = "/api/v1/validate/prompt"


def prompt_node(**extra: Any) -> dict[str, Any]:
    """A Prompt Template node as the editor sends it: its template field, the input_variables field, and the
    variable `old` it had before, with a value."""
    return {
        "template": {"template": {"type": "prompt", "value": "old text"}, "input_variables": {"value": ["old"]},
                     "old": {"type": "str", "value": "kept?"}, "name": {"type": "str", "value": "Ada"}},
        "base_classes": ["Message"], "display_name": "Prompt Template", "name": "",
        "custom_fields": {"template": ["old", "name"]},
        "outputs": [{"name": "prompt", "types": ["Message"], "method": "build_prompt"}],
        "lf_version": "1.13.0", **extra}


def check(client: TestClient, template: str, node: dict[str, Any] | None = None, **extra: Any) -> Any:
    headers = {"x-api-key": new_api_key(client)}
    body = {"name": "template", "template": template, **({"frontend_node": node} if node else {}), **extra}
    return client.post(URL, json=body, headers=headers)


def field(name: str, value: Any = "", *, api_editable: bool = True) -> dict[str, Any]:
    """The template field Langflow gives a variable."""
    entry = {"type": "str", "required": False, "placeholder": "", "list": False, "show": True, "multiline": True,
             "value": value, "fileTypes": [], "file_path": "", "name": name, "display_name": name,
             "advanced": False, "input_types": ["Message"], "dynamic": False, "info": "", "load_from_db": False,
             "title_case": False}
    return {**entry, "api_editable": False} if api_editable else entry


def test_the_variables_and_the_node_with_a_field_for_each(client: TestClient) -> None:
    response = check(client, "Hello {name}, meet {friend}. {name}!", prompt_node())
    assert response.status_code == 200
    body = response.json()
    assert body["input_variables"] == ["name", "friend"]
    node = body["frontend_node"]
    assert node["template"] == {
        "template": {"type": "prompt", "value": "old text"},  # the template field itself is left as sent
        "input_variables": {"value": ["name", "friend"]},
        "name": field("name", "Ada"),  # a variable the node had keeps its value
        "friend": field("friend"),
    }  # `old`, listed before and gone from the template, is dropped
    assert node["custom_fields"] == {"template": ["name", "friend"]}
    # The node is sent back with every field Langflow's node has (defaults filled in) and no other
    assert "lf_version" not in node
    assert node["outputs"] == [{
        "types": ["Message"], "selected": None, "name": "prompt", "hidden": None, "display_name": "prompt",
        "method": "build_prompt", "value": "__UNDEFINED__", "cache": True, "required_inputs": None,
        "allows_loop": False, "loop_types": None, "group_outputs": False, "options": None, "tool_mode": True}]
    assert {k: v for k, v in node.items() if k not in ("template", "custom_fields", "outputs")} == {
        "description": None, "icon": None, "is_input": None, "is_output": None, "is_composition": None,
        "base_classes": ["Message"], "name": "", "display_name": "Prompt Template", "priority": None,
        "documentation": "", "minimized": False, "output_types": [], "full_path": None, "pinned": False,
        "conditional_paths": [], "frozen": False, "field_order": [], "beta": False, "legacy": False,
        "replacement": None, "error": None, "edited": False, "metadata": {}, "tool_mode": False,
        "add_tool_output": None}


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_neither_api_editable_nor_add_tool_output(make_client: Callable[..., TestClient],
                                                             version: str) -> None:
    response = check(make_client(langflow_version=version), "Hi {friend}", prompt_node())
    assert response.status_code == 200
    node = response.json()["frontend_node"]
    assert node["template"]["friend"] == field("friend", api_editable=False)
    assert "add_tool_output" not in node


def test_without_a_node_nothing_is_checked(client: TestClient) -> None:
    response = check(client, "{not valid")
    assert (response.status_code, response.json()) == (200, {"input_variables": [], "frontend_node": None})


def test_a_node_needs_a_template_and_base_classes(client: TestClient) -> None:
    response = check(client, "{a}", {"template": {}})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "frontend_node", "base_classes"]]


@pytest.mark.parametrize(("version", "prefix"), [("1.13", ""), ("1.8", ""), ("1.7.1", "Error: ")])
def test_a_name_with_invalid_characters_is_a_500(make_client: Callable[..., TestClient], version: str,
                                                 prefix: str) -> None:
    """Langflow's report, as its bookkeeping fills it: the characters taken out and the bad name under "Invalid
    variables", the bad name again under "Empty variables"."""
    response = check(make_client(langflow_version=version), "Hi {first name}", prompt_node())
    assert response.status_code == 500
    assert response.json() == {"detail": f"{prefix}Input variables contain invalid characters or formats. \n"
                                         "Invalid variables:  , first name.\nEmpty variables: first name. \n"
                                         "Fixed variables: firstname."}


@pytest.mark.parametrize(("template", "detail"), [
    ("Run {code}", "Invalid input variables. None of the variables can be named code. "),
    ("Hi {", "Single '{' encountered in format string"),
    ("Hi {_secret}", "Invalid input variables: `_secret`. Variable names cannot start with `_` because that prefix "
                     "is reserved for internal template fields."),
])
def test_a_bad_template_is_a_500_with_langflows_text(client: TestClient, template: str, detail: str) -> None:
    response = check(client, template, prompt_node())
    assert (response.status_code, response.json()) == (500, {"detail": detail})


def test_before_1_13_a_leading_underscore_is_a_name_like_any(make_client: Callable[..., TestClient]) -> None:
    response = check(make_client(langflow_version="1.8"), "Hi {_secret}", prompt_node())
    assert (response.status_code, response.json()["input_variables"]) == (200, ["_secret"])


@pytest.mark.parametrize(("version", "found"), [("1.13", []), ("1.8", []), ("1.7.1", ["x"])])
def test_from_1_8_a_name_in_a_mustache_tag_is_no_variable(make_client: Callable[..., TestClient], version: str,
                                                          found: list[str]) -> None:
    """{{{x}}} is a str.format field and a mustache tag at once: 1.8 and 1.13 drop it, 1.7.1 keeps it."""
    response = check(make_client(langflow_version=version), "JSON: {{{x}}} {{literal}}", prompt_node())
    assert (response.status_code, response.json()["input_variables"]) == (200, found)


@pytest.mark.parametrize(("template", "status", "answer"), [
    ("Hi {{name}}, {{topic}} {single}", 200, ["name", "topic"]),
    ("{{#items}}x{{/items}}", 500, "Complex mustache syntax is not allowed. Only simple variable substitution like "
                                   "{{variable}} is permitted."),
    ("Hi {{first name}}", 500, "Invalid mustache variable: {{first name}}. Only simple variable names like "
                               "{{variable}} are allowed."),
    ("Hi {{name", 500, "Invalid template syntax. Check that all {{variables}} have matching opening and closing "
                       "braces."),
])
def test_a_mustache_template_holds_only_simple_tags(client: TestClient, template: str, status: int,
                                                    answer: Any) -> None:
    response = check(client, template, prompt_node(), mustache=True)
    assert response.status_code == status
    assert (response.json()["input_variables"] if status == 200 else response.json()["detail"]) == answer


def test_1_7_1_reads_no_mustache_flag(make_client: Callable[..., TestClient]) -> None:
    response = check(make_client(langflow_version="1.7.1"), "Hi {{name}} {x}", prompt_node(), mustache=True)
    assert (response.status_code, response.json()["input_variables"]) == (200, ["x"])


def test_without_credentials_it_is_refused_as_any_user_route(client: TestClient) -> None:
    response = client.post(URL, json={"name": "t", "template": "{a}"})
    expected = client.get("/api/v1/users/whoami")
    assert (response.status_code, response.json()) == (expected.status_code, expected.json())


@pytest.mark.parametrize(("version", "listed"), [("1.13", False), ("1.8", False), ("1.7.1", True)])
def test_only_1_7_1_lists_it_in_the_openapi_document(make_client: Callable[..., TestClient], version: str,
                                                     listed: bool) -> None:
    document = make_client(langflow_version=version).get("/openapi.json").json()
    assert (URL in document["paths"]) is listed
    assert ("/api/v1/validate/code" in document["paths"]) is listed  # as its sibling (tests/api/test_validate_code.py)
    if listed:
        operation = document["paths"][URL]["post"]
        assert operation["operationId"] == "post_validate_prompt_api_v1_validate_prompt_post"
        request = document["components"]["schemas"]["ValidatePromptRequest"]
        assert list(request["properties"]) == ["name", "template", "custom_fields", "frontend_node"]
        assert "add_tool_output" not in document["components"]["schemas"]["FrontendNodeRequest-Output"]["properties"]
