"""The model catalog routes the UI's model settings and pickers call: /api/v1/models, /api/v1/model_options and
1.13's /api/v1/model-provider-policy, with the user's model settings kept in their variables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import KEY, new_api_key, other_user_key

Make = Callable[..., TestClient]
PROVIDERS_1_13 = ["Anthropic", "Azure AI Foundry", "Azure OpenAI", "Google Generative AI", "Groq", "IBM WatsonX",
                  "Ollama", "OpenAI", "OpenRouter"]


def keyed(server: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(server)}


def store(server: TestClient, key: dict[str, str], name: str, value: str, kind: str = "Credential") -> None:
    made = server.post("/api/v1/variables/", json={"name": name, "value": value, "default_fields": [], "type": kind},
                       headers=key)
    assert made.status_code == 201, made.text


def models(server: TestClient, key: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    listed = server.get("/api/v1/models", params=params, headers=key)
    assert listed.status_code == 200, listed.text
    found: list[dict[str, Any]] = listed.json()
    return found


def test_providers_and_descriptors_list_every_provider_1_13_knows(client: TestClient,
                                                                   key_headers: dict[str, str]) -> None:
    providers = client.get("/api/v1/models/providers", headers=key_headers)
    assert (providers.status_code, providers.json()) == (200, PROVIDERS_1_13)
    descriptors = client.get("/api/v1/models/provider-descriptors", headers=key_headers).json()
    assert [d["display_name"] for d in descriptors] == PROVIDERS_1_13
    assert descriptors[5] == {"provider_id": "ibm-watsonx", "display_name": "IBM WatsonX", "provider": "IBM WatsonX"}
    assert client.get("/api/v1/models/providers").status_code == 403  # no credentials


def test_models_list_a_providers_catalog_with_its_metadata_and_status(client: TestClient,
                                                                       key_headers: dict[str, str]) -> None:
    (openai,) = models(client, key_headers, provider="OpenAI")
    assert list(openai) == ["provider_id", "icon", "max_tokens_field_name", "variables", "api_docs_url", "mapping",
                            "provider", "models", "num_models", "is_configured", "live_discovery", "is_enabled"]
    assert (openai["provider_id"], openai["is_configured"], openai["live_discovery"], openai["is_enabled"]) == (
        "openai", False, False, False)
    assert openai["num_models"] == len(openai["models"])
    first = openai["models"][0]
    assert first["model_name"] == "gpt-5.4" and list(first["metadata"]) == [
        "icon", "tool_calling", "reasoning", "search", "preview", "not_supported", "deprecated", "default",
        "model_type", "created"]
    assert [m["metadata"]["default"] for m in openai["models"]][:6] == [True] * 5 + [False]
    assert not any(m["metadata"]["deprecated"] or m["metadata"]["not_supported"] for m in openai["models"])
    everything = models(client, key_headers, provider="OpenAI", include_deprecated=True, include_unsupported=True)
    assert everything[0]["num_models"] > openai["num_models"]
    embeddings = models(client, key_headers, provider="OpenAI", model_type="embeddings")[0]["models"]
    assert [m["model_name"] for m in embeddings] == ["text-embedding-3-small", "text-embedding-3-large",
                                                     "text-embedding-ada-002"]
    assert all(m["metadata"]["reasoning"] for m in models(client, key_headers, reasoning=True)[0]["models"])
    assert models(client, key_headers, provider="Nobody") == []
    assert [g["provider"] for g in models(client, key_headers)] == [
        "Anthropic", "Azure AI Foundry", "Google Generative AI", "IBM WatsonX", "Ollama", "OpenAI", "OpenRouter"]


def test_configured_providers_come_first_and_the_default_models_provider_before_them(
        client: TestClient, key_headers: dict[str, str]) -> None:
    store(client, key_headers, "OPENAI_API_KEY", "sk-test")
    listed = models(client, key_headers)
    assert [g["provider"] for g in listed][:2] == ["OpenAI", "Anthropic"]
    assert (listed[0]["is_configured"], listed[0]["is_enabled"]) == (True, True)
    # Langflow reads the default of a model_type other than "language" from the default embedding model
    chosen = {"model_name": "models/gemini-embedding-001", "provider": "Google Generative AI",
              "model_type": "embedding"}
    assert client.post("/api/v1/models/default_model", json=chosen, headers=key_headers).status_code == 200
    assert [g["provider"] for g in models(client, key_headers, model_type="llm")][:2] == [
        "Google Generative AI", "OpenAI"]
    assert models(client, key_headers, model_type="language") == []  # the catalog's rows are "llm" ones


def test_a_configured_live_provider_lists_what_it_falls_back_to_offline(client: TestClient,
                                                                        key_headers: dict[str, str]) -> None:
    """The mock never asks a provider for its models: Ollama lists none, WatsonX its fallback names."""
    store(client, key_headers, "OLLAMA_BASE_URL", "http://localhost:11434", "Generic")
    for name in ("WATSONX_APIKEY", "WATSONX_PROJECT_ID", "WATSONX_URL"):
        store(client, key_headers, name, "https://us-south.ml.cloud.ibm.com" if name == "WATSONX_URL" else "x")
    by_name = {g["provider"]: g for g in models(client, key_headers)}
    assert (by_name["Ollama"]["is_configured"], by_name["Ollama"]["live_discovery"], by_name["Ollama"]["models"]) \
        == (True, True, [])
    watsonx = by_name["IBM WatsonX"]["models"]
    assert watsonx and {m["metadata"]["icon"] for m in watsonx} == {"IBM"}
    assert {m["metadata"]["model_type"] for m in watsonx} == {"llm", "embeddings"}


def test_enabled_providers_follow_the_stored_credentials(client: TestClient, key_headers: dict[str, str]) -> None:
    before = client.get("/api/v1/models/enabled_providers", headers=key_headers).json()
    assert before["enabled_providers"] == [] and list(before["provider_status"])[:3] == [
        "OpenAI", "Anthropic", "Google Generative AI"]
    store(client, key_headers, "ANTHROPIC_API_KEY", "sk-ant")
    store(client, key_headers, "WATSONX_APIKEY", "k")  # WatsonX needs its project and URL too
    after = client.get("/api/v1/models/enabled_providers", params={"providers": ["Anthropic", "IBM WatsonX"]},
                       headers=key_headers).json()
    assert after == {"enabled_providers": ["Anthropic"], "provider_status": {"Anthropic": True, "IBM WatsonX": False}}


def test_switching_models_on_and_off_is_kept_in_the_users_variables(make_client: Make, tmp_path: Path) -> None:
    data_dir = tmp_path / "kept"
    server = make_client(ephemeral=False, data_dir=data_dir, api_key=KEY)
    key = {"x-api-key": KEY}
    store(server, key, "OPENAI_API_KEY", "sk-test")
    changed = server.post("/api/v1/models/enabled_models", headers=key, json=[
        {"provider": "OpenAI", "model_id": "gpt-5.4", "enabled": False},
        {"provider": "OpenAI", "model_id": "gpt-4o", "enabled": True}])
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"disabled_models": ["OpenAI::gpt-5.4"], "enabled_models": ["OpenAI::gpt-4o"]}
    chosen = {"model_name": "gpt-4o", "provider": "OpenAI", "model_type": "language"}
    assert server.post("/api/v1/models/default_model", json=chosen, headers=key).json() == {"default_model": chosen}
    # Langflow's internal variables: held by name, left out of the variable list
    again = server.post("/api/v1/variables/", headers=key,
                        json={"name": "__enabled_models__", "value": "[]", "default_fields": [], "type": "Generic"})
    assert (again.status_code, again.json()) == (400, {"detail": "Variable name already exists"})
    assert [v["name"] for v in server.get("/api/v1/variables/", headers=key).json()
            if v["name"].startswith("__")] == []
    server.__exit__(None, None, None)

    restarted = make_client(ephemeral=False, data_dir=data_dir, api_key=KEY)
    status = restarted.get("/api/v1/models/enabled_models", params={"model_names": ["gpt-5.4", "gpt-4o"]},
                           headers=key).json()
    assert status == {  # (Azure AI Foundry's catalog names gpt-4o too: switched on for OpenAI only)
        "enabled_models": {"OpenAI": {"gpt-5.4": False, "gpt-4o": True}, "Azure AI Foundry": {"gpt-4o": False}},
        "enabled_models_by_type": {"OpenAI": {"llm": {"gpt-5.4": False, "gpt-4o": True}},
                                   "Azure AI Foundry": {"llm": {"gpt-4o": False}}}}
    assert restarted.get("/api/v1/models/default_model", headers=key).json() == {"default_model": chosen}
    options = [o["name"] for o in restarted.get("/api/v1/model_options/language", headers=key).json()]
    assert "gpt-4o" in options and "gpt-5.4" not in options
    cleared = restarted.delete("/api/v1/models/default_model", headers=key)
    assert (cleared.status_code, cleared.json()) == (200, {"default_model": None})
    assert restarted.get("/api/v1/models/default_model", headers=key).json() == {"default_model": None}
    # switched back on, a default model needs no entry: the enabled list, left empty, is deleted
    restarted.post("/api/v1/models/enabled_models", headers=key, json=[
        {"provider": "OpenAI", "model_id": "gpt-5.4", "enabled": True},
        {"provider": "OpenAI", "model_id": "gpt-4o", "enabled": False}])
    assert restarted.post("/api/v1/variables/", headers=key, json={
        "name": "__enabled_models__", "value": "[]", "default_fields": [], "type": "Generic"}).status_code == 201


def test_model_updates_refused_as_langflow_refuses_them(client: TestClient, key_headers: dict[str, str]) -> None:
    def update(*items: dict[str, Any]) -> tuple[int, Any]:
        answer = client.post("/api/v1/models/enabled_models", json=list(items), headers=key_headers)
        return answer.status_code, answer.json()

    assert update({"provider": "Nobody", "model_id": "m", "enabled": True}) == (
        404, {"detail": errors.MODEL_PROVIDER_NOT_FOUND})
    assert update({"provider": "Anthropic", "model_id": "claude-3-haiku-20240307", "enabled": True}) == (
        400, {"detail": "Cannot enable deprecated model: claude-3-haiku-20240307"})
    assert update({"provider": "Ollama", "model_id": "llama3", "enabled": True}) == (
        400, {"detail": "Validation failed for Ollama: Invalid Ollama base URL"})
    assert update(*[{"provider": "OpenAI", "model_id": f"m{i}", "enabled": False} for i in range(101)]) == (
        400, {"detail": errors.MODELS_BATCH_TOO_LARGE})
    status, body = update({"provider": " ", "model_id": "m", "enabled": True})
    assert status == 422 and body["detail"][0]["msg"] == "Value error, Field cannot be empty"
    bad_default = client.post("/api/v1/models/default_model", headers=key_headers,
                              json={"model_name": "m", "provider": "OpenAI", "model_type": "chat"})
    assert bad_default.status_code == 422
    unknown = client.post("/api/v1/models/default_model", headers=key_headers,
                          json={"model_name": "m", "provider": "Nobody", "model_type": "language"})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": errors.MODEL_PROVIDER_NOT_FOUND})


def test_validate_provider_checks_what_needs_no_network(client: TestClient, key_headers: dict[str, str]) -> None:
    def validate(provider: str, variables: dict[str, str]) -> tuple[int, Any]:
        answer = client.post("/api/v1/models/validate-provider", headers=key_headers,
                             json={"provider": provider, "variables": variables})
        return answer.status_code, answer.json()

    assert validate("OpenAI", {"OPENAI_API_KEY": "sk-anything"}) == (200, {"valid": True, "error": None})
    assert validate("Ollama", {}) == (200, {"valid": False, "error": "Invalid Ollama base URL"})
    assert validate("Ollama", {"OLLAMA_BASE_URL": "http://10.0.0.1:11434"}) == (
        200, {"valid": False, "error": errors.ssrf_address_blocked("10.0.0.1")})
    assert validate("Azure AI Foundry", {}) == (200, {"valid": False, "error": errors.AZURE_AI_FOUNDRY_UNCHECKABLE})
    assert validate("Nobody", {}) == (404, {"detail": errors.MODEL_PROVIDER_NOT_FOUND})


def test_model_options_offer_the_configured_providers_models_switched_on(client: TestClient,
                                                                         key_headers: dict[str, str]) -> None:
    assert client.get("/api/v1/model_options/language", headers=key_headers).json() == []
    store(client, key_headers, "OPENAI_API_KEY", "sk-test")
    language = client.get("/api/v1/model_options/language", headers=key_headers).json()
    assert [o["name"] for o in language] == ["gpt-5.4", "gpt-5.4-mini", "gpt-5.4-pro", "gpt-5.3-codex", "gpt-5.2"]
    assert language[0] == {"name": "gpt-5.4", "icon": "OpenAI", "category": "OpenAI", "provider": "OpenAI",
                           "metadata": {"context_length": 128000, "model_class": "ChatOpenAI",
                                        "model_name_param": "model", "api_key_param": "api_key",
                                        "max_tokens_field_name": "max_tokens", "reasoning": True,
                                        "reasoning_models": ["gpt-5.4"]}, "provider_id": "openai"}
    embedding = client.get("/api/v1/model_options/embedding", headers=key_headers).json()
    assert [o["name"] for o in embedding] == ["text-embedding-3-small", "text-embedding-3-large",
                                              "text-embedding-ada-002"]
    assert embedding[0]["metadata"]["embedding_class"] == "OpenAIEmbeddings"


def test_the_provider_policy_narrows_every_catalog_route(client: TestClient, key_headers: dict[str, str]) -> None:
    read = client.get("/api/v1/model-provider-policy", headers=key_headers)
    assert read.status_code == 200
    assert read.json()["approved_provider_ids"] == [] and read.json()["managed_externally"] is False
    assert len(read.json()["registered_providers"]) == len(PROVIDERS_1_13)
    for bad in ("openai", [""], [5]):  # (a name or alias stands for its id: "Not An Id!" is not-an-id)
        refused = client.put("/api/v1/model-provider-policy", json={"approved_provider_ids": bad},
                             headers=key_headers)
        assert refused.status_code == 422
    replaced = client.put("/api/v1/model-provider-policy", headers=key_headers,
                          json={"approved_provider_ids": ["OpenAI", "anthropic", "openai"]})
    assert replaced.json()["approved_provider_ids"] == ["anthropic", "openai"]
    assert client.get("/api/v1/models/providers", headers=key_headers).json() == ["Anthropic", "OpenAI"]
    assert list(client.get("/api/v1/models/provider-variable-mapping", headers=key_headers).json()) == [
        "OpenAI", "Anthropic"]
    refused = client.post("/api/v1/models/validate-provider", json={"provider": "Groq", "variables": {}},
                          headers=key_headers)
    assert (refused.status_code, refused.json()) == (404, {"detail": errors.MODEL_PROVIDER_NOT_FOUND})
    # a hidden provider's variables: left out of the list, and not to be made
    store(client, key_headers, "OPENAI_API_KEY", "sk-test")
    hidden = client.post("/api/v1/variables/", headers=key_headers, json={
        "name": "GROQ_API_KEY", "value": "gsk", "default_fields": [], "type": "Credential"})
    assert (hidden.status_code, hidden.json()) == (404, {"detail": errors.MODEL_PROVIDER_NOT_FOUND})
    client.put("/api/v1/model-provider-policy", json={"approved_provider_ids": ["groq"]}, headers=key_headers)
    store(client, key_headers, "GROQ_API_KEY", "gsk")
    assert "OPENAI_API_KEY" not in [v["name"] for v in client.get("/api/v1/variables/", headers=key_headers).json()]
    client.post("/api/v1/model-provider-policy", json={"approved_provider_ids": []}, headers=key_headers)
    assert client.get("/api/v1/models/providers", headers=key_headers).json() == PROVIDERS_1_13


def test_the_policy_is_the_superusers_and_model_settings_each_users(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    bob = {"x-api-key": other_user_key(client, key_headers)}
    refused = client.get("/api/v1/model-provider-policy", headers=bob)
    assert (refused.status_code, refused.json()) == (403, {"detail": errors.NOT_ENOUGH_PRIVILEGES})
    chosen = {"model_name": "gpt-4o", "provider": "OpenAI", "model_type": "language"}
    client.post("/api/v1/models/default_model", json=chosen, headers=key_headers)
    assert client.get("/api/v1/models/default_model", headers=bob).json() == {"default_model": None}


def test_the_policy_scope_of_a_read_is_checked(client: TestClient, key_headers: dict[str, str]) -> None:
    bad = client.get("/api/v1/models/providers", params={"purpose": "discover"}, headers=key_headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "purpose"]
    some = "00000000-0000-4000-8000-000000000000"
    both = client.get("/api/v1/models", params={"flow_id": some, "project_id": some}, headers=key_headers)
    assert (both.status_code, both.json()) == (422, {"detail": errors.FLOW_OR_PROJECT})
    unknown = client.get("/api/v1/models/enabled_models", params={"flow_id": some}, headers=key_headers)
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Flow not found"})


def test_1_8_shapes(make_client: Make) -> None:
    server = make_client(langflow_version="1.8")
    key = keyed(server)
    assert server.get("/api/v1/models/providers", headers=key).json() == [
        "Anthropic", "Google Generative AI", "IBM WatsonX", "Ollama", "OpenAI"]
    (openai,) = models(server, key, provider="OpenAI")
    assert list(openai) == ["provider", "models", "num_models", "icon", "max_tokens_field_name", "variables",
                            "api_docs_url", "mapping", "is_configured", "is_enabled"]
    assert "created" not in openai["models"][0]["metadata"]
    # the mapping answers without credentials; the 1.13 routes are not there
    assert list(server.get("/api/v1/models/provider-variable-mapping").json()) == [
        "OpenAI", "Anthropic", "Google Generative AI", "Ollama", "IBM WatsonX"]
    assert server.get("/api/v1/models/provider-descriptors", headers=key).status_code == 404
    assert server.get("/api/v1/model-provider-policy", headers=key).status_code == 404
    # with no provider configured, every provider's default models are offered
    offered = server.get("/api/v1/model_options/language", headers=key).json()
    assert {o["provider"] for o in offered} == {"Anthropic", "Google Generative AI", "IBM WatsonX", "Ollama",
                                                "OpenAI"}
    store(server, key, "OPENAI_API_KEY", "sk-test")
    changed = server.post("/api/v1/models/enabled_models", headers=key, json=[
        {"provider": "OpenAI", "model_id": "gpt-5.2", "enabled": False, "model_type": "nonsense"}])
    assert changed.json() == {"disabled_models": ["gpt-5.2"], "enabled_models": []}
    assert server.get("/api/v1/models/enabled_models", params={"model_names": "gpt-5.2"}, headers=key).json() == {
        "enabled_models": {"OpenAI": {"gpt-5.2": False}}}
    offered = server.get("/api/v1/model_options/language", headers=key).json()
    assert offered[0]["metadata"] == {"context_length": 128000, "model_class": "ChatOpenAI",
                                      "model_name_param": "model", "api_key_param": "api_key",
                                      "max_tokens_field_name": "max_tokens", "reasoning_models": ["gpt-5.1"]}
    assert [o["name"] for o in offered if o["provider"] != "OpenAI"] == [
        "__enable_provider_Anthropic__", "__enable_provider_Google Generative AI__", "__enable_provider_Ollama__",
        "__enable_provider_IBM WatsonX__"]
    assert offered[-1]["metadata"] == {"is_disabled_provider": True, "variable_name": None}
    unknown = server.post("/api/v1/models/validate-provider", json={"provider": "Nobody", "variables": {}},
                          headers=key)
    assert unknown.json() == {"valid": True, "error": None}


def test_1_7_1_has_no_model_routes(make_client: Make) -> None:
    server = make_client(langflow_version="1.7.1", backend_only=True)
    key = keyed(server)
    for path in ("/api/v1/models/providers", "/api/v1/models", "/api/v1/model_options/language"):
        assert server.get(path, headers=key).status_code == 404


def test_blocked_model_keys_leave_the_pickers_only(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's blocked model keys (bare, provider-qualified or typed; a provider named by its name too) remove those
    models from /model_options, unless the read names the purpose "configure"; the catalog, the switched-on
    models and the default model ignore them."""
    store(client, key_headers, "OPENAI_API_KEY", "sk-test")
    blocked = ["gpt-5.4", "OpenAI::gpt-5.4-pro", "openai::llm::gpt-5.3-codex",
               "openai::embeddings::text-embedding-3-small", "anthropic::gpt-5.2"]
    written = client.put("/api/v1/policy-bundle", headers=key_headers, json={
        "expected_revision": 1, "approved_provider_ids": [], "blocked_component_keys": [],
        "blocked_template_keys": [], "blocked_model_keys": blocked})
    assert written.status_code == 200, written.text

    def offered(kind: str, **params: str) -> list[str]:
        answer = client.get(f"/api/v1/model_options/{kind}", params=params, headers=key_headers)
        assert answer.status_code == 200, answer.text
        return [o["name"] for o in answer.json()]

    assert offered("language") == offered("language", purpose="use") == ["gpt-5.4-mini", "gpt-5.2"]
    assert offered("embedding") == ["text-embedding-3-large", "text-embedding-ada-002"]
    assert offered("language", purpose="configure") == [
        "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-pro", "gpt-5.3-codex", "gpt-5.2"]
    (openai,) = models(client, key_headers, provider="OpenAI")
    assert "gpt-5.4" in [m["model_name"] for m in openai["models"]]
    switched_on = client.get("/api/v1/models/enabled_models", headers=key_headers).json()["enabled_models"]
    assert switched_on["OpenAI"]["gpt-5.4"] is True
    default = {"model_name": "gpt-5.4", "provider": "OpenAI", "model_type": "language"}
    chosen = client.post("/api/v1/models/default_model", json=default, headers=key_headers)
    assert (chosen.status_code, chosen.json()) == (200, {"default_model": default})
