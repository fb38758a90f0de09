"""POST /api/v1/validate/code: the check of posted component source (its imports, its function definitions) that
the code editor runs, behind 1.13's custom-code policy. Nothing posted is imported or executed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_api_key, other_user_key

URL = "/api/v1/validate/code"
CLEAN = {"imports": {"errors": []}, "function": {"errors": []}}
GOOD = '''import os
import json.decoder
import langchain_core
from lfx.custom import Component


def build(text: str = "hi") -> str:
    return text.upper()
'''
AWAIT_OUTSIDE_ASYNC = "def f():\n    await g()\n"


def check(client: TestClient, code: str, headers: dict[str, str] | None = None) -> Any:
    return client.post(URL, json={"code": code}, headers=headers or {"x-api-key": new_api_key(client)})


def found(imports: list[str] | None = None, function: list[str] | None = None) -> dict[str, Any]:
    return {"imports": {"errors": imports or []}, "function": {"errors": function or []}}


def template_code(client: TestClient, headers: dict[str, str], component: str = "ChatInput") -> str:
    """A component's source as the server's catalog serves it."""
    catalog = client.get("/api/v1/all", headers=headers).json()
    template = next(c[component] for c in catalog.values() if isinstance(c, dict) and component in c)
    return str(template["template"]["code"]["value"])


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_good_code_has_no_errors(make_client: Callable[..., TestClient], version: str) -> None:
    response = check(make_client(langflow_version=version), GOOD)
    assert (response.status_code, response.json()) == (200, CLEAN)


def test_code_that_does_not_parse_is_one_function_error(client: TestClient) -> None:
    response = check(client, "import os\nimport not_a_module\ndef f(:\n    pass\n")
    # nothing else is looked at: the missing module goes unmentioned
    assert (response.status_code, response.json()) == (200, found(function=["invalid syntax (<unknown>, line 3)"]))


def test_each_import_of_a_module_langflow_lacks_is_an_error(client: TestClient) -> None:
    code = "import os.path, not_a_module.sub\nimport langchain_core, also_missing as m\nimport sys\n" \
           "def f():\n    import inside_a_function_not_checked\n"
    response = check(client, code)
    # 1.13 looks up the top-level module and names the whole dotted name
    assert (response.status_code, response.json()) == (200, found(
        imports=["No module named 'not_a_module.sub'", "No module named 'also_missing'"]))


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_an_import_names_the_first_part_missing(make_client: Callable[..., TestClient],
                                                            version: str) -> None:
    response = check(make_client(langflow_version=version), "import not_a_module.sub\nimport os.path\n")
    assert (response.status_code, response.json()) == (200, found(imports=["No module named 'not_a_module'"]))


@pytest.mark.parametrize(("version", "missing"), [("1.13", ["chromadb", "passlib"]),
                                                  ("1.8", ["litellm", "openai"]), ("1.7.1", ["litellm", "openai"])])
def test_the_modules_are_those_of_the_releases_install(make_client: Callable[..., TestClient], version: str,
                                                       missing: list[str]) -> None:
    # 1.13's dependencies brought litellm and openai and no longer chromadb nor passlib
    response = check(make_client(langflow_version=version), "import chromadb\nimport passlib\nimport litellm\n"
                                                            "import openai\nimport lfx\nimport langflow\n")
    assert (response.status_code, response.json()) == (200, found(
        imports=[f"No module named '{name}'" for name in missing]))


def test_a_function_that_does_not_compile_is_a_function_error(client: TestClient) -> None:
    code = AWAIT_OUTSIDE_ASYNC + "def g():\n    nonlocal x\n" + "async def fine():\n    await g()\n"
    response = check(client, code)
    assert (response.status_code, response.json()) == (200, found(function=[
        "'await' outside async function (<string>, line 2)", "no binding for nonlocal 'x' found (<string>, line 4)"]))


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_a_function_that_does_not_compile_is_a_500(make_client: Callable[..., TestClient],
                                                               version: str) -> None:
    response = check(make_client(langflow_version=version), "import missing\n" + AWAIT_OUTSIDE_ASYNC)
    assert (response.status_code, response.json()) == (
        500, {"detail": "'await' outside async function (<string>, line 3)"})


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_nothing_posted_is_executed(make_client: Callable[..., TestClient], tmp_path: Path, version: str) -> None:
    made, decorated = tmp_path / "made-by-a-default", tmp_path / "made-by-a-decorator"
    code = (f"import os\ndef f(x=open({str(made)!r}, 'w')):\n    return x\n"
            f"@(lambda g: open({str(decorated)!r}, 'w'))\ndef h():\n    pass\n"
            "def k(y=undefined_name):\n    pass\n")
    response = check(make_client(langflow_version=version), code)
    # Langflow 1.8 would run the definitions (and make both files, and list undefined_name's NameError)
    assert (response.status_code, response.json()) == (200, CLEAN)
    assert not made.exists() and not decorated.exists()


def test_without_credentials_it_is_refused_as_any_user_route(client: TestClient) -> None:
    response = client.post(URL, json={"code": GOOD})
    expected = client.get("/api/v1/users/whoami")
    assert (response.status_code, response.json()) == (expected.status_code, expected.json())


def test_a_body_without_code_is_a_422(client: TestClient, key_headers: dict[str, str]) -> None:
    for body in ({}, {"source": GOOD}, {"code": 1}):
        response = client.post(URL, json=body, headers=key_headers)
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"] == ["body", "code"]


def test_with_custom_code_off_only_a_server_templates_code_passes(make_client: Callable[..., TestClient]) -> None:
    client = make_client(allow_custom_components=False)
    admin = {"x-api-key": new_api_key(client)}
    refused = check(client, GOOD, admin)  # superusers too
    assert (refused.status_code, refused.json()) == (403, {"detail": "Custom component validation is disabled"})
    passed = check(client, template_code(client, admin), admin)
    assert (passed.status_code, passed.json()) == (200, CLEAN)


def test_admin_only_leaves_other_users_the_server_templates(make_client: Callable[..., TestClient]) -> None:
    client = make_client(custom_component_admin_only=True)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    refused = check(client, GOOD, bob)
    assert (refused.status_code, refused.json()) == (
        403, {"detail": "Custom component validation is restricted to administrators"})
    assert check(client, template_code(client, admin), bob).json() == CLEAN
    mine = check(client, "import nowhere\n", admin)
    assert (mine.status_code, mine.json()) == (200, found(imports=["No module named 'nowhere'"]))


def test_the_catalog_policy_refuses_a_blocked_components_code(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    agent, chat_input = template_code(client, key_headers, "Agent"), template_code(client, key_headers)
    client.put("/api/v1/catalog-policy/components", json={"blocked": ["Webhook", "Agent", "Unknown"]},
               headers=key_headers)
    # a blocked component's own source is refused, superusers too; another component's is not
    refused = check(client, agent, key_headers)
    assert (refused.status_code, refused.json()) == (403, {"detail": "Catalog policy blocks components: Agent"})
    assert check(client, chat_input, key_headers).json() == CLEAN
    assert check(client, GOOD, key_headers).json() == CLEAN  # code of no component passes
    # the bare placeholder that flows saved by earlier mock releases carry is every component's
    from mock_langflow.catalog import CODE_PLACEHOLDER

    legacy = check(client, CODE_PLACEHOLDER, key_headers)
    assert (legacy.status_code, legacy.json()) == (
        403, {"detail": "Catalog policy blocks components: Agent, Webhook"})


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_no_policy_applies(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version, allow_custom_components=False, custom_component_admin_only=True)
    response = check(client, "import nowhere\n")
    assert (response.status_code, response.json()) == (200, found(imports=["No module named 'nowhere'"]))


@pytest.mark.parametrize(("version", "listed"), [("1.13", False), ("1.8", False), ("1.7.1", True)])
def test_only_1_7_1_lists_it_in_the_openapi_document(make_client: Callable[..., TestClient], version: str,
                                                     listed: bool) -> None:
    document = make_client(langflow_version=version).get("/openapi.json").json()
    assert (URL in document["paths"]) is listed
    if not listed:
        assert "CodeValidationResponse" not in document["components"]["schemas"]
        return
    # as 1.7.1's own document lists it
    assert document["paths"][URL] == {"post": {
        "tags": ["Validate"], "summary": "Post Validate Code",
        "operationId": "post_validate_code_api_v1_validate_code_post",
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Code"}}},
                        "required": True},
        "responses": {
            "200": {"description": "Successful Response", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/CodeValidationResponse"}}}},
            "422": {"description": "Validation Error", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}},
        "security": [{"OAuth2PasswordBearer": []}, {"API key query": []}, {"API key header": []}]}}
    schemas = document["components"]["schemas"]
    assert schemas["Code"] == {"properties": {"code": {"type": "string", "title": "Code"}}, "type": "object",
                               "required": ["code"], "title": "Code"}
    anything = {"additionalProperties": True, "type": "object"}
    assert schemas["CodeValidationResponse"] == {
        "properties": {"imports": {**anything, "title": "Imports"}, "function": {**anything, "title": "Function"}},
        "type": "object", "required": ["imports", "function"], "title": "CodeValidationResponse"}
