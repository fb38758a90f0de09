"""Langflow 1.8's assistant routes (/api/v1/agentic): provider checks, answers from the scripted model, the
component code check and its retries, the progress stream, the named flows; absent before 1.8."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_api_key

BODY = {"flow_id": "a-flow", "input_value": "How do I build a flow?"}
GOOD = ("Here it is:\n```python\nfrom lfx.custom import Component\n\n\nclass Echo(Component):\n"
        "    display_name = 'Echo'\n```")
BROKEN = "Here it is:\n```python\nclass Echo(Component):\n    def run(:\n        pass\n```"
FLOW_FAILED = "An error occurred while executing the flow."


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(langflow_version="1.8")


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(client)}


def credential(client: TestClient, headers: dict[str, str], name: str, value: str = "sk-test") -> None:
    response = client.post("/api/v1/variables/", json={"name": name, "value": value, "type": "Credential",
                                                       "default_fields": []}, headers=headers)
    assert response.status_code == 201, response.text


def script(client: TestClient, headers: dict[str, str], *rules: dict[str, Any]) -> None:
    response = client.post("/_mock/scripts", content=json.dumps({"rules": list(rules)}), headers=headers)
    assert response.status_code == 201, response.text


def frames(text: str) -> list[dict[str, Any]]:
    """The stream's `data:` frames, each a JSON object followed by a blank line and nothing else."""
    assert text.endswith("\n\n")
    parts = text[:-2].split("\n\n")
    assert all(part.startswith("data: ") and "\n" not in part for part in parts), text
    return [json.loads(part[len("data: "):]) for part in parts]


def test_check_config_names_the_providers_whose_credentials_the_user_holds(client: TestClient,
                                                                           headers: dict[str, str]) -> None:
    empty = {"configured": False, "configured_providers": [], "providers": [], "default_provider": None,
             "default_model": None}
    response = client.get("/api/v1/agentic/check-config", headers=headers)
    assert response.status_code == 200
    assert response.json() == empty
    credential(client, headers, "WATSONX_APIKEY")  # WatsonX needs its project and URL as well
    credential(client, headers, "OPENAI_API_KEY")
    credential(client, headers, "ANTHROPIC_API_KEY", " ")  # held, even without a value
    # 1.8's catalog lists no "language" model, so no provider carries models and there is no default
    assert client.get("/api/v1/agentic/check-config", headers=headers).json() == {
        **empty, "configured": True, "configured_providers": ["OpenAI", "Anthropic"]}


def test_assist_needs_a_configured_provider_with_its_values(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/api/v1/agentic/assist", json=BODY, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "No model provider is configured. Please configure at least one model "
                                         "provider in Settings."}
    credential(client, headers, "OPENAI_API_KEY")
    response = client.post("/api/v1/agentic/assist/stream", json={**BODY, "provider": "Groq"}, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "Provider 'Groq' is not configured. Available providers: ['OpenAI']"}
    credential(client, headers, "ANTHROPIC_API_KEY", " ")  # Anthropic is preferred: chosen, but it has no value
    response = client.post("/api/v1/agentic/assist", json=BODY, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "Missing required configuration for Anthropic: ANTHROPIC_API_KEY. Please "
                                         "configure these in Settings > Model Providers."}
    response = client.post("/api/v1/agentic/assist", json={**BODY, "provider": "OpenAI"}, headers=headers)
    assert response.status_code == 200


def test_the_request_is_checked_and_signed_in(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/api/v1/agentic/assist", json={"input_value": "hi"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "flow_id"]
    assert client.get("/api/v1/agentic/check-config").status_code == 403


def test_assist_answers_with_the_scripted_assistant(client: TestClient, headers: dict[str, str]) -> None:
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant", "prompt_contains": "Langflow Assistant"},
                             "reply": "Drag components onto the canvas."})
    response = client.post("/api/v1/agentic/assist", json={**BODY, "session_id": "s1"}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert re.fullmatch(r"ChatOutput-\w{5}", body.pop("component_id"))
    assert body == {"result": "Drag components onto the canvas.", "type": "message", "component": "Chat Output",
                    "success": True}
    calls = client.get("/_mock/llm-calls", params={"session": "s1"}, headers=headers).json()["calls"]
    assert [(c["input"], c["reply"]) for c in calls] == [(BODY["input_value"], "Drag components onto the canvas.")]
    assert calls[0]["component_id"].startswith("LanguageModelComponent-")


def test_generated_code_is_checked_and_asked_again_with_the_error(client: TestClient,
                                                                  headers: dict[str, str]) -> None:
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "replies": [BROKEN, GOOD]})
    response = client.post("/api/v1/agentic/assist", json={**BODY, "session_id": "s2"}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["result"] == GOOD
    assert (body["validated"], body["class_name"], body["validation_attempts"]) == (True, "Echo", 2)
    assert body["component_code"].startswith("from lfx.custom import Component")
    calls = client.get("/_mock/llm-calls", params={"session": "s2"}, headers=headers).json()["calls"]
    assert "Syntax error in code" in calls[1]["input"] and "def run(:" in calls[1]["input"]


def test_code_that_never_checks_is_returned_with_its_error(client: TestClient, headers: dict[str, str]) -> None:
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "reply": BROKEN})
    body = client.post("/api/v1/agentic/assist", json={**BODY, "max_retries": 0}, headers=headers).json()
    assert (body["validated"], body["validation_attempts"]) == (False, 1)
    assert body["validation_error"].startswith("ValueError: Syntax error in code: ")
    response = client.post("/api/v1/agentic/assist", json={**BODY, "max_retries": -1}, headers=headers)
    assert response.status_code == 500  # 1.8's loop never runs, and its answer was never set
    assert response.json() == {"message": "cannot access local variable 'result' where it is not associated with "
                                          "a value"}


def test_a_failing_model_is_the_flow_runner_500(client: TestClient, headers: dict[str, str]) -> None:
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "error": "rate limit"})
    response = client.post("/api/v1/agentic/assist", json=BODY, headers=headers)
    assert response.status_code == 500
    assert response.json() == {"detail": FLOW_FAILED}


def test_the_stream_sends_progress_tokens_and_the_result(client: TestClient, headers: dict[str, str]) -> None:
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "reply": "Use a Chat Input."})
    response = client.post("/api/v1/agentic/assist/stream", json=BODY, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.text.startswith('data: {"event": "progress", "step": "generating", "attempt": 0, '
                                    '"max_attempts": 3, "message": "Generating response..."}\n\n')
    events = frames(response.text)
    complete = events[-1]["data"]
    assert events[1:] == [{"event": "token", "chunk": "Use "}, {"event": "token", "chunk": "a "},
                          {"event": "token", "chunk": "Chat "}, {"event": "token", "chunk": "Input."},
                          {"event": "progress", "step": "generation_complete", "attempt": 0, "max_attempts": 3,
                           "message": "Response ready"},
                          {"event": "complete", "data": {
                              "result": "Use a Chat Input.", "type": "message", "component": "Chat Output",
                              "component_id": complete["component_id"], "success": True}}]


def test_a_component_request_streams_its_check_without_tokens(client: TestClient, headers: dict[str, str]) -> None:
    credential(client, headers, "ANTHROPIC_API_KEY")
    script(client, headers,
           {"match": {"flow": "TranslationFlow"}, "reply": '{"translation": "x", "intent": "generate_component"}'},
           {"match": {"flow": "LangflowAssistant"}, "replies": [BROKEN, GOOD]})
    response = client.post("/api/v1/agentic/assist/stream", json={**BODY, "max_retries": 2}, headers=headers)
    events = frames(response.text)
    steps = [(e.get("step", e["event"]), e.get("attempt")) for e in events]
    assert steps == [("generating_component", 0), ("generation_complete", 0), ("extracting_code", 0),
                     ("validating", 0), ("validation_failed", 0), ("retrying", 0),
                     ("generating_component", 1), ("generation_complete", 1), ("extracting_code", 1),
                     ("validating", 1), ("validated", 1), ("complete", None)]
    failed, retrying = events[4], events[5]
    assert failed["class_name"] == "Echo" and failed["error"].startswith("ValueError: Syntax error in code: ")
    assert failed["component_code"].startswith("class Echo(Component):")
    assert retrying["message"] == "Retrying with error context (attempt 1/2)..."
    assert events[10]["message"] == "Component 'Echo' validated successfully!"
    assert {k: events[-1]["data"][k] for k in ("validated", "class_name", "validation_attempts")} == {
        "validated": True, "class_name": "Echo", "validation_attempts": 1}


def test_a_failing_model_ends_the_stream_with_an_error(client: TestClient, headers: dict[str, str]) -> None:
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "error": "boom"})
    response = client.post("/api/v1/agentic/assist/stream", json=BODY, headers=headers)
    assert response.status_code == 200
    assert [e["event"] for e in frames(response.text)] == ["progress", "error"]
    assert frames(response.text)[-1] == {"event": "error", "message": FLOW_FAILED}


def test_execute_runs_a_named_flow_without_a_provider(client: TestClient, headers: dict[str, str]) -> None:
    script(client, headers, {"match": {"flow": "SystemMessageGen", "component": "Agent-G853c"},
                             "reply": "You are a helpful agent."})
    response = client.post("/api/v1/agentic/execute/SystemMessageGen", json=BODY, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"result": "You are a helpful agent.", "type": "message", "component": "Chat Output",
                               "component_id": "ChatOutput-2wtkk", "success": True}
    response = client.post("/api/v1/agentic/execute/NoSuchFlow", json=BODY, headers=headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Flow file 'NoSuchFlow.json' not found"}


def test_1_7_1_does_not_serve_the_assistant(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    assert client.post("/api/v1/agentic/assist", json=BODY, headers=headers).status_code in (404, 405)
    assert not any("agentic" in path for path in client.get("/openapi.json").json()["paths"])


def test_1_8_lists_the_assistant_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert sorted(p for p in paths if "agentic" in p) == [
        "/api/v1/agentic/assist", "/api/v1/agentic/assist/stream", "/api/v1/agentic/check-config",
        "/api/v1/agentic/execute/{flow_name}"]


def test_1_13_resets_an_assistant_session(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    response = client.post("/api/v1/agentic/sessions/reset", params={"session_id": "s1"}, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "components_cleared": 0, "session_id": "s1"}
    assert client.post("/api/v1/agentic/sessions/reset", headers=headers).json()["session_id"] is None
    response = client.post("/api/v1/agentic/sessions/reset", params={"session_id": "s" * 129}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_too_long"
    unsigned = client.post("/api/v1/agentic/sessions/reset")
    assert (unsigned.status_code, unsigned.json()) == (403, client.get("/api/v1/variables/").json())


def test_the_session_reset_is_gated_on_the_agentic_experience(make_client: Callable[..., TestClient]) -> None:
    off = make_client(agentic_experience="false")
    response = off.post("/api/v1/agentic/sessions/reset")  # the gate comes before the sign-in
    assert response.status_code == 404
    assert response.json() == {"detail": "This endpoint is not available"}
    off_1_8 = make_client(langflow_version="1.8", agentic_experience="false")
    headers = {"x-api-key": new_api_key(off_1_8)}
    assert off_1_8.post("/api/v1/agentic/sessions/reset", headers=headers).status_code == 404  # not in 1.8
    assert off_1_8.get("/api/v1/agentic/check-config", headers=headers).status_code == 200  # 1.8 never gates it


def test_a_model_that_fails_mid_reply_fails_the_flow(client: TestClient, headers: dict[str, str]) -> None:
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "reply": "one two three",
                             "stream": {"disconnect_after": 2}})
    events = frames(client.post("/api/v1/agentic/assist/stream", json=BODY, headers=headers).text)
    assert events[1:] == [{"event": "token", "chunk": "one "}, {"event": "token", "chunk": "two "},
                          {"event": "error", "message": FLOW_FAILED}]
    response = client.post("/api/v1/agentic/assist", json=BODY, headers=headers)
    assert (response.status_code, response.json()) == (500, {"detail": FLOW_FAILED})
