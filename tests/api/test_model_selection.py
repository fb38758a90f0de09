"""1.13's Language Model and Agent select their model with a `model` field, which they check as they build the
model: a flow a client builds from `/api/v1/all`'s Language Model must pick a model, as on a live 1.13.0 (whose
answers these are); 1.8 and 1.7.1 name the model by provider and model name and check nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_model_policy_runs import failure, stored
from tests.conftest import copy_of_example, create_flow, new_api_key

Make = Callable[..., TestClient]
GPT_MINI = [{"name": "gpt-4o-mini", "provider": "OpenAI"}]
OVERRIDES_TYPE_ERROR = errors.OVERRIDES_WITHOUT_SELECTION.format(method="text_response")


def model_flow(client: TestClient, headers: dict[str, str], kind: str, **values: Any) -> str:
    """Chat Input -> `kind` (Language Model or Agent, from the catalog) -> Chat Output, stored; its id."""
    output = "text_output" if kind == "LanguageModelComponent" else "response"
    components = catalog(client, headers)
    chat_in = node(components, "ChatInput", "ChatInput-s1")
    model = node(components, kind, f"{kind}-s2", **values)
    chat_out = node(components, "ChatOutput", "ChatOutput-s3")
    data = {"nodes": [chat_in, model, chat_out],
            "edges": [edge(chat_in, "message", model, "input_value"), edge(model, output, chat_out, "input_value")]}
    flow_id: str = create_flow(client, headers, {"name": f"selection {kind} {values}", "data": data})["id"]
    return flow_id


def build_events(client: TestClient, headers: dict[str, str], flow_id: str) -> list[dict[str, Any]]:
    """A direct build's events."""
    built = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "hello"}}, headers=headers)
    return [json.loads(line) for line in built.text.split("\n\n") if line.strip()]


def run(client: TestClient, headers: dict[str, str], flow_id: str) -> Any:
    return client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi"}, headers=headers)


def test_the_language_model_of_the_catalog_has_1_13s_model_selector(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    language_model = catalog(client, key_headers)["LanguageModelComponent"]
    template = language_model["template"]
    assert language_model["field_order"] == [
        "model", "model_name", "provider", "api_key", "base_url_ibm_watsonx", "project_id", "ollama_base_url",
        "input_value", "system_message", "stream", "temperature", "max_tokens"]
    model = template["model"]
    assert (model["_input_type"], model["type"], model["value"], model["input_types"], model["model_type"],
            model["required"]) == ("ModelInput", "model", "", ["LanguageModel"], "language", True)
    assert [(template[f]["_input_type"], template[f]["display_name"], template[f]["value"], template[f]["advanced"])
            for f in ("provider", "model_name")] == [("StrInput", "Provider Override", "", True),
                                                      ("StrInput", "Model Name Override", "", True)]
    assert template["input_value"]["_input_type"] == "MessageInput"
    assert template["max_tokens"]["range_spec"] == {"max": 128000.0, "min": 0.0, "step": 1.0, "step_type": "int"}
    assert template["temperature"]["range_spec"]["max"] == 1.0 and template["temperature"]["slider_color"] == "default"
    assert language_model["metadata"]["model_provider_policy_mode"] == "delegate"


@pytest.mark.parametrize(("values", "reason"), [
    ({}, errors.MODEL_SELECTION_REQUIRED),
    ({"model": []}, errors.MODEL_SELECTION_REQUIRED),
    ({"model": {"name": "gpt-4o-mini", "provider": "OpenAI"}}, errors.MODEL_SELECTION_REQUIRED),
    ({"model": [{"name": "gpt-4o-mini"}]}, errors.SELECTION_WITHOUT_PROVIDER),
    ({"model": "no-such-model"}, errors.UNKNOWN_MODEL_NAME),
    ({"provider": "OpenAI", "model_name": "gpt-4o-mini"}, OVERRIDES_TYPE_ERROR),
    ({"model": [], "model_name": "gpt-4o"}, OVERRIDES_TYPE_ERROR),
])
def test_a_language_model_without_a_usable_selection_fails_as_it_builds(
        client: TestClient, key_headers: dict[str, str], values: dict[str, Any], reason: str) -> None:
    flow_id = model_flow(client, key_headers, "LanguageModelComponent", **values)
    assert failure(run(client, key_headers, flow_id)) == f"Error building Component Language Model: \n\n{reason}"
    # the component raised it: its error message is stored (the run's input before it), its class in the reason
    user, error = stored(client, key_headers, flow_id)
    assert (user["text"], error["sender_name"], error["category"], error["text"]) == (
        "hi", "Language Model", "error", f"{reason}\n")
    kind = "TypeError" if reason == OVERRIDES_TYPE_ERROR else "ValueError"
    [group] = [block for block in error["content_blocks"] if block.get("title") == "Error"]
    assert group["contents"][0]["reason"] == f"**{kind}**\n - **Details: {reason}**\n"


@pytest.mark.parametrize("values", [
    {"model": GPT_MINI},
    {"model": "gpt-4o-mini"},  # a name the model catalog knows
    {"model": ["claude-opus-4-6"]},
    {"model": [{"name": "made-up", "provider": "NoSuchCo"}]},  # any named provider (Langflow then wants its key)
    {"model": [{"name": "x"}], "provider": "OpenAI"},  # the override names the missing provider
    {"model": GPT_MINI, "model_name": "gpt-4o"},
])
def test_a_language_model_with_a_selection_runs_the_scripted_model(
        client: TestClient, key_headers: dict[str, str], values: dict[str, Any]) -> None:
    answer = run(client, key_headers, model_flow(client, key_headers, "LanguageModelComponent", **values))
    assert answer.status_code == 200, answer.text
    assert answer.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"]


def agent_flow(client: TestClient, headers: dict[str, str], **values: Any) -> str:
    """Chat Input -> the catalog's Agent with these values -> Chat Output, stored; its id. The legacy `agent_llm`
    and `model_name`, which 1.13's Agent template no longer has, are added as a flow an earlier release saved
    holds them."""
    components = catalog(client, headers)
    chat_in = node(components, "ChatInput", "ChatInput-a1")
    agent = node(components, "Agent", "Agent-a2")
    template = agent["data"]["node"]["template"]
    for name, value in values.items():
        template.setdefault(name, {"name": name, "type": "str", "show": True, "advanced": False})["value"] = value
    chat_out = node(components, "ChatOutput", "ChatOutput-a3")
    data = {"nodes": [chat_in, agent, chat_out],
            "edges": [edge(chat_in, "message", agent, "input_value"), edge(agent, "response", chat_out, "input_value")]}
    flow_id: str = create_flow(client, headers, {"name": f"agent {values}", "data": data})["id"]
    return flow_id


@pytest.mark.parametrize(("values", "reason"), [
    ({"agent_llm": "", "model_name": ""}, errors.AGENT_NO_MODEL),
    ({"model_name": ""}, errors.AGENT_NO_MODEL),  # the legacy fields need both
    ({"model": ""}, errors.AGENT_NO_MODEL),
    ({"model": [{"name": "gpt-4o-mini"}]}, errors.AGENT_NO_MODEL),
    ({"model": [{"name": "", "provider": "OpenAI"}]}, errors.AGENT_NO_MODEL),
    ({"model": "no-such-model"}, errors.UNKNOWN_MODEL_NAME),
])
def test_an_agent_without_a_model_fails_before_it_answers(
        client: TestClient, key_headers: dict[str, str], values: dict[str, Any], reason: str) -> None:
    flow_id = agent_flow(client, key_headers, **values)
    assert failure(run(client, key_headers, flow_id)) == f"Error building Component Agent: \n\n{reason}"
    # no message of the Agent's own was made: the run's input, then the error
    assert [(m["sender_name"], m["category"]) for m in stored(client, key_headers, flow_id)] == [
        ("User", "message"), ("Agent", "error")]


def test_an_agent_with_a_selection_or_its_legacy_fields_answers(client: TestClient,
                                                                key_headers: dict[str, str]) -> None:
    legacy = {"agent_llm": "OpenAI", "model_name": "gpt-4o-mini"}
    for values in (legacy, {"model": GPT_MINI}, {"model": "gpt-4o-mini"},
                   {"model": GPT_MINI, "agent_llm": "Anthropic"}):
        answer = run(client, key_headers, agent_flow(client, key_headers, **values))
        assert answer.status_code == 200, (values, answer.text)


def test_the_example_flows_run_as_shipped(client: TestClient,
                                                                   key_headers: dict[str, str]) -> None:
    """The example flows' Language Model selects a model (Langflow's starter projects leave it empty); their Agent
    runs its legacy provider and model name."""
    for name in ("Basic Prompting", "Simple Agent"):
        answer = run(client, key_headers, copy_of_example(client, key_headers, name)["id"])
        assert answer.status_code == 200, (name, answer.text)


def test_a_model_connected_to_the_selector_takes_no_override(client: TestClient,
                                                             key_headers: dict[str, str]) -> None:
    """A Language Model fed another model's Language Model output: its overrides have no choice to replace."""
    components = catalog(client, key_headers)
    chat_in = node(components, "ChatInput", "ChatInput-c1")
    source = node(components, "LanguageModelComponent", "LanguageModelComponent-c2", model=GPT_MINI)
    target = node(components, "LanguageModelComponent", "LanguageModelComponent-c3")
    chat_out = node(components, "ChatOutput", "ChatOutput-c4")
    edges = [edge(source, "model_output", target, "model"), edge(chat_in, "message", target, "input_value"),
             edge(target, "text_output", chat_out, "input_value")]
    data = {"nodes": [chat_in, source, target, chat_out], "edges": edges}
    connected = create_flow(client, key_headers, {"name": "connected", "data": data})["id"]
    assert run(client, key_headers, connected).status_code == 200
    target["data"]["node"]["template"]["model_name"]["value"] = "gpt-4o"
    overridden = create_flow(client, key_headers, {"name": "connected, overridden", "data": data})["id"]
    assert failure(run(client, key_headers, overridden)) == (
        f"Error building Component Language Model: \n\n{OVERRIDES_TYPE_ERROR}")


def test_the_build_route_fails_the_vertex_the_same_way(client: TestClient, key_headers: dict[str, str]) -> None:
    flow_id = model_flow(client, key_headers, "LanguageModelComponent")
    failed = [e for e in build_events(client, key_headers, flow_id)
              if e["event"] == "end_vertex" and not e["data"]["build_data"]["valid"]]
    assert [e["data"]["build_data"]["id"] for e in failed] == ["LanguageModelComponent-s2"]
    assert errors.MODEL_SELECTION_REQUIRED in json.dumps(failed[0])


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_earlier_releases_name_the_model_by_provider_and_check_nothing(make_client: Make, version: str) -> None:
    older = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(older)}
    template = catalog(older, headers)["LanguageModelComponent"]["template"]
    assert "model" not in template
    assert (template["provider"]["_input_type"], template["provider"]["value"]) == ("DropdownInput", "OpenAI")
    answer = run(older, headers, model_flow(older, headers, "LanguageModelComponent", provider="", model_name=""))
    assert answer.status_code == 200, answer.text
