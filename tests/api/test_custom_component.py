"""POST /api/v1/custom_component and /custom_component/update: a component's node from its posted source, read
without running it. The recorded answers in tests/data/custom_component/ were produced by lfx 1.13's own build of
the same sources (build_custom_component_template, then the route's steps)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_api_key, other_user_key

DATA = Path(__file__).parent.parent / "data" / "custom_component"
CREATE, UPDATE = "/api/v1/custom_component", "/api/v1/custom_component/update"


def case(name: str, version: str = "1.13") -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / version / f"{name}.json").read_text())
    return loaded


def release_client(make_client: Callable[..., TestClient], version: str) -> TestClient:
    return make_client(langflow_version=version)


def headers(client: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(client)}


def post(client: TestClient, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json=body, headers=headers(client))


VERSIONS = ["1.13", "1.8", "1.7.1"]


# Each release's answer as its lfx built it: a posted component (several input kinds, outputs' types, the code
# field, metadata, field order, a saved node in tool mode) and updates (a changed value, tool mode on and off, the
# user's tool edits kept, tools of several outputs, a lone generic method).
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", ["create_basic", "create_kinds", "create_more_kinds", "create_attrs",
                                  "create_saved_tool_mode",
                                  "update_value", "update_tool_on", "update_tools_kept", "update_tool_off",
                                  "update_kinds_tool", "update_tool_two", "update_generic_method"])
def test_the_node_each_releases_lfx_builds(make_client: Callable[..., TestClient], version: str, name: str) -> None:
    recorded = case(name, version)
    url = CREATE if name.startswith("create_") else UPDATE
    response = post(release_client(make_client, version), url, recorded["request"])
    assert response.status_code == 200, response.text
    assert response.json() == recorded["answer"]


@pytest.mark.parametrize("version", VERSIONS)
def test_inputs_outputs_and_metadata_of_a_bare_class(make_client: Callable[..., TestClient], version: str) -> None:
    """No display name, description or icon; outputs typed str, list[Data], DataFrame, Message or not at all;
    a third-party import is a dependency whose version the mock does not know."""
    recorded = case("create_bare", version)
    body = post(release_client(make_client, version), CREATE, recorded["request"]).json()
    expected = copy.deepcopy(recorded["answer"])
    expected["data"]["metadata"]["dependencies"]["dependencies"][0]["version"] = None  # requests, installed there
    assert body == expected


def test_the_1_13_names_of_output_types(client: TestClient) -> None:
    body = post(client, CREATE, case("create_bare")["request"]).json()
    node = body["data"]
    assert "description" not in node and "icon" not in node and node["display_name"] == "Component"
    assert {o["name"]: o["types"] for o in node["outputs"]} == {
        "t": ["Table"], "s": ["Text"], "l": ["JSON"], "none": [], "m": ["Message"]}
    assert node["base_classes"] == ["JSON", "Message", "Table", "Text"]


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_older_releases_keep_the_older_type_and_kind_names(make_client: Callable[..., TestClient],
                                                           version: str) -> None:
    client = release_client(make_client, version)
    node = post(client, CREATE, case("create_bare", version)["request"]).json()["data"]
    assert {o["name"]: o["types"] for o in node["outputs"]} == {
        "t": ["DataFrame"], "s": ["Text"], "l": ["Data"], "none": ["NoneType"], "m": ["Message"]}
    assert "component_class_name" not in node["metadata"]
    records = post(client, CREATE, case("create_kinds", version)["request"]).json()["data"]["template"]["records"]
    assert (records["_input_type"], records["input_types"]) == ("DataInput", ["Data"])


@pytest.mark.parametrize(("version", "listed"), [("1.13", False), ("1.8", False), ("1.7.1", True)])
def test_only_1_7_1_lists_the_routes_in_its_document(make_client: Callable[..., TestClient], version: str,
                                                      listed: bool) -> None:
    paths = release_client(make_client, version).get("/openapi.json").json()["paths"]
    assert ("/api/v1/custom_component" in paths, "/api/v1/custom_component/update" in paths) == (listed, listed)


def test_the_code_field_holds_the_posted_code_and_its_hash(client: TestClient) -> None:
    code = case("create_basic")["request"]["code"]
    node = post(client, CREATE, {"code": code}).json()["data"]
    assert node["template"]["code"]["value"] == code
    assert node["template"]["code"]["type"] == "code"
    assert node["field_order"] == ["text"]
    assert node["metadata"]["code_hash"] == "7410471952a7"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", ["create_syntax_error", "create_no_class"])
def test_unbuildable_code_is_langflows_400(make_client: Callable[..., TestClient], version: str, name: str) -> None:
    recorded = case(name, version)
    response = post(release_client(make_client, version), CREATE, recorded["request"])
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail["error"] == recorded["answer"]["detail"]["error"]
    assert detail["traceback"].startswith("Traceback (most recent call last):")


@pytest.mark.parametrize(("code", "says"), [
    ("from lfx.custom import Component\nclass A(Component):\n    display_name = 'x'.upper()\n", "computed"),
    ("from lfx.custom import Component\nclass A(Component):\n    inputs = [FancyInput(name='a')]\n",
     "input kind 'FancyInput'"),
    ("from lfx.custom import Component\nclass A(Component):\n    inputs = [StrInput(name='a', wobble=1)]\n",
     "argument 'wobble'"),
    ("class A(LCToolComponent):\n    pass\n", "deriving directly from Component"),
    ("from lfx.custom import Component\nclass A(Component):\n    outputs = [Output(name='o', method='gone')]\n",
     "no method 'gone'"),
])
def test_code_the_mock_cannot_read_is_a_400_saying_why(client: TestClient, code: str, says: str) -> None:
    response = post(client, CREATE, {"code": code})
    assert response.status_code == 400
    assert says in response.json()["detail"]["error"]


def test_inputs_and_outputs_may_not_share_names(client: TestClient) -> None:
    code = ("from lfx.custom import Component\nclass A(Component):\n    inputs = [StrInput(name='x')]\n"
            "    outputs = [Output(name='x', method='m')]\n    def m(self) -> str:\n        return ''\n")
    response = post(client, CREATE, {"code": code})
    assert response.status_code == 400
    assert "There should be no overlap between input and output names" in response.json()["detail"]["error"]


def test_both_routes_need_a_user_and_a_code(client: TestClient) -> None:
    code = case("create_basic")["request"]["code"]
    assert client.post(CREATE, json={"code": code}).status_code in (401, 403)
    assert client.post(UPDATE, json={"code": code, "field": "a", "template": {}}).status_code in (401, 403)
    missing = post(client, CREATE, {"frontend_node": {}})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "code"]
    assert post(client, UPDATE, {"code": code, "field": "a"}).status_code == 422


def test_the_custom_code_settings_gate_both_routes(make_client: Callable[..., TestClient]) -> None:
    code = case("create_basic")["request"]["code"]
    update = {"code": code, "field": "text", "template": {}}
    disabled = make_client(allow_custom_components=False)
    for url, body in ((CREATE, {"code": code}), (UPDATE, update)):
        response = post(disabled, url, body)
        assert (response.status_code, response.json()) == (403, {"detail": "Custom component creation is disabled"})
    admins = make_client(custom_component_admin_only=True)
    superuser = headers(admins)
    user = {"x-api-key": other_user_key(admins, superuser)}
    assert admins.post(CREATE, json={"code": code}, headers=superuser).status_code == 200
    assert admins.post(CREATE, json={"code": code}, headers=user).json() == {
        "detail": "Custom component creation is restricted to administrators"}
    assert admins.post(UPDATE, json=update, headers=user).json() == {
        "detail": "Custom component editing is restricted to administrators"}
    # a server template's code still passes (the catalog's own placeholder source, with its saved node)
    from mock_langflow.catalog import CODE_PLACEHOLDER

    saved = disabled.get("/api/v1/all", headers=headers(disabled)).json()["input_output"]["ChatInput"]
    template = post(disabled, CREATE, {"code": CODE_PLACEHOLDER, "frontend_node": saved})
    assert (template.status_code, template.json()["type"]) == (200, "ChatInput")


def test_the_catalog_policy_refuses_a_blocked_type(client: TestClient) -> None:
    auth = headers(client)
    put = client.put("/api/v1/catalog-policy/components", json={"blocked": ["EchoComponent"]}, headers=auth)
    assert put.status_code == 200, put.text
    response = client.post(CREATE, json=case("create_basic")["request"], headers=auth)
    assert (response.status_code, response.json()) == (403, {"detail": "Catalog policy blocks components: "
                                                                       "EchoComponent"})


def test_an_update_keeps_the_posted_values_and_sets_the_changed_field(client: TestClient) -> None:
    recorded = case("update_value")
    request = copy.deepcopy(recorded["request"])
    request["template"]["text"]["value"] = "stale"
    request["field_value"] = "fresh"
    node = post(client, UPDATE, request).json()
    assert node["template"]["text"]["value"] == "fresh"
    assert node["tool_mode"] is False and [o["name"] for o in node["outputs"]] == ["result"]


def test_an_update_of_broken_code_is_a_400_with_text(client: TestClient) -> None:
    response = post(client, UPDATE, {"code": "class X(:\n", "field": "a", "template": {}})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("400: {'error': 'Error building Component: Invalid Python")


def test_the_catalogs_placeholder_code_gets_the_catalog_node(client: TestClient) -> None:
    from mock_langflow.catalog import CODE_PLACEHOLDER

    all_body = client.get("/api/v1/all", headers=headers(client)).json()
    chat_input = all_body["input_output"]["ChatInput"]
    saved = copy.deepcopy(chat_input)
    saved["template"]["input_value"]["value"] = "kept"
    body = post(client, CREATE, {"code": CODE_PLACEHOLDER, "frontend_node": saved}).json()
    assert body["type"] == "ChatInput"
    assert body["data"]["template"]["input_value"]["value"] == "kept"
    assert body["data"]["display_name"] == chat_input["display_name"]
    unnamed = post(client, CREATE, {"code": CODE_PLACEHOLDER})
    assert unnamed.status_code == 400
    assert unnamed.json()["detail"]["error"].startswith("Error building Component: No Component subclass found")


def test_a_catalog_components_own_code_names_it_without_a_saved_node(client: TestClient) -> None:
    """Langflow's frontend (its tool-mode toggle) and lfx's configure_component post a node's code and template
    only: each catalog component's source is its own, so the update rebuilds that component's node."""
    all_body = client.get("/api/v1/all", headers=headers(client)).json()
    agent, chat_input = all_body["models_and_agents"]["Agent"], all_body["input_output"]["ChatInput"]
    assert agent["template"]["code"]["value"] != chat_input["template"]["code"]["value"]
    template = copy.deepcopy(chat_input["template"])
    template["input_value"]["value"] = "kept"
    toggled = post(client, UPDATE, {"code": template["code"]["value"], "template": template, "field": "tool_mode",
                                    "field_value": True, "tool_mode": True})
    assert toggled.status_code == 200, toggled.text
    node = toggled.json()
    assert (node["display_name"], node["tool_mode"]) == ("Chat Input", True)
    assert node["template"]["input_value"]["value"] == "kept"
    assert "tools_metadata" in node["template"]
    assert [o["name"] for o in node["outputs"]] == ["component_as_tool"]
    made = post(client, CREATE, {"code": agent["template"]["code"]["value"]}).json()
    assert made["type"] == "Agent"


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_older_releases_have_no_custom_code_gate(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version, allow_custom_components=False)
    assert post(client, CREATE, case("create_basic", version)["request"]).status_code == 200
