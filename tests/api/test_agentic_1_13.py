"""Langflow 1.13's own assistant routes (/api/v1/agentic): its gates, its bounded body and flow check, check-config's
models, the stream's framing, each session's conversation and the sandbox's components and files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_agentic import BROKEN, FLOW_FAILED, GOOD, credential, frames, script
from tests.conftest import create_flow, new_api_key, other_user_key

NO_FLOW = {"flow_id": "a-flow", "input_value": "How do I build a flow?"}
COMPONENT_INTENT = {"match": {"flow": "TranslationFlow"},
                    "reply": '{"translation": "make a component", "intent": "generate_component"}'}


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(client)}


@pytest.fixture
def body(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """A request about one of the caller's flows, with OpenAI configured."""
    credential(client, headers, "OPENAI_API_KEY")
    flow = create_flow(client, headers, {"name": "canvas", "data": {"nodes": [], "edges": []}})
    return {"flow_id": flow["id"], "input_value": "How do I build a flow?", "session_id": "s1"}


def sandbox(data_dir: Path, client: TestClient, headers: dict[str, str]) -> Path:
    """The caller's assistant sandbox under the server's data directory."""
    user_id = client.get("/api/v1/users/whoami", headers=headers).json()["id"].replace("-", "")
    return data_dir / "fs_sandbox" / "users" / user_id


def test_check_config_says_enabled_and_lists_the_configured_providers_models(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    response = client.get("/api/v1/agentic/check-config", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"enabled": True, "configured": False, "configured_providers": [], "providers": [],
                               "default_provider": None, "default_model": None}
    credential(client, headers, "OPENAI_API_KEY")
    config = client.get("/api/v1/agentic/check-config", headers=headers).json()
    assert {k: v for k, v in config.items() if k != "providers"} == {
        "enabled": True, "configured": True, "configured_providers": ["OpenAI"], "default_provider": "OpenAI",
        "default_model": "gpt-5.4"}  # the assistant's preferred OpenAI model, which the catalog offers
    [openai] = config["providers"]
    assert (openai["name"], openai["configured"], openai["default_model"]) == ("OpenAI", True, "gpt-5.4")
    assert {"name": "gpt-5.4", "display_name": "gpt-5.4"} in openai["models"]
    off = make_client(agentic_experience="false")  # never gated: it says the experience is off
    assert off.get("/api/v1/agentic/check-config", headers={"x-api-key": new_api_key(off)}).json()["enabled"] is False


@pytest.mark.parametrize("path", ["/api/v1/agentic/assist", "/api/v1/agentic/assist/stream",
                                  "/api/v1/agentic/execute/LangflowAssistant", "/api/v1/agentic/assist/run"])
def test_the_assistant_is_gated_on_the_experience_then_on_admin_only_components(
        make_client: Callable[..., TestClient], path: str) -> None:
    off = make_client(agentic_experience="false")
    response = off.post(path, json=NO_FLOW)  # before the sign-in and the body
    assert (response.status_code, response.json()) == (404, {"detail": "This endpoint is not available"})
    admin_only = make_client(custom_component_admin_only=True)
    admin = {"x-api-key": new_api_key(admin_only)}
    response = admin_only.post(path, json=NO_FLOW, headers={"x-api-key": other_user_key(admin_only, admin)})
    assert (response.status_code, response.json()) == (
        403, {"detail": "The Langflow Assistant is restricted to administrators on this server."})
    assert admin_only.post(path, json=NO_FLOW, headers=admin).status_code == 422  # a superuser gets through


def test_the_flow_must_be_a_uuid_of_the_callers(client: TestClient, headers: dict[str, str],
                                                body: dict[str, Any]) -> None:
    response = client.post("/api/v1/agentic/assist", json=NO_FLOW, headers=headers)
    assert (response.status_code, response.json()) == (422, {"detail": "Invalid flow_id: not a valid UUID."})
    theirs = {"x-api-key": other_user_key(client, headers)}
    response = client.post("/api/v1/agentic/assist", json=body, headers=theirs)
    assert (response.status_code, response.json()) == (404, {"detail": "Flow not found."})
    assert client.post("/api/v1/agentic/assist", json=body, headers=headers).status_code == 200


def test_the_body_is_bounded(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> None:
    response = client.post("/api/v1/agentic/assist", headers=headers, json={
        **body, "input_value": "x" * 2001, "max_retries": 0, "history_limit": 101, "iterations_limit": "many"})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "value_error", "loc": ["body", "input_value"],
         "msg": "Value error, Message is too long: 2001 characters, limit is 2000."},
        {"type": "greater_than_equal", "loc": ["body", "max_retries"], "msg": "Input should be greater than or "
         "equal to 1", "ctx": {"ge": 1}},
        {"type": "less_than_equal", "loc": ["body", "history_limit"], "msg": "Input should be less than or equal "
         "to 100", "ctx": {"le": 100}},
        {"type": "int_parsing", "loc": ["body", "iterations_limit"], "msg": "Input should be a valid integer, "
         "unable to parse string as an integer"}]}


def test_1_8_ignores_the_limits_1_13_added(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    credential(client, headers, "OPENAI_API_KEY")
    response = client.post("/api/v1/agentic/assist", headers=headers,
                           json={**NO_FLOW, "history_limit": "many", "max_retries": 9, "input_value": "x" * 2001})
    assert response.status_code == 200


def test_execute_needs_a_provider_and_runs_1_13s_flow_files(client: TestClient, headers: dict[str, str]) -> None:
    flow = create_flow(client, headers, {"name": "canvas", "data": {"nodes": [], "edges": []}})
    request = {"flow_id": flow["id"], "input_value": "What is a flow?"}
    response = client.post("/api/v1/agentic/execute/LangflowAssistant", json=request, headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("No model provider is configured.")
    credential(client, headers, "OPENAI_API_KEY")
    response = client.post("/api/v1/agentic/execute/LangflowAssistant", json=request, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"result": "Scripted reply to: What is a flow?", "type": "message",
                               "component": "Chat Output", "component_id": "ChatOutput-Ob09T", "success": True}
    response = client.post("/api/v1/agentic/execute/SystemMessageGen", json=request, headers=headers)  # 1.8's
    assert (response.status_code, response.json()) == (404, {"detail": "Flow file 'SystemMessageGen.json' not found"})
    response = client.post("/api/v1/agentic/execute/..evil", json=request, headers=headers)
    assert (response.status_code, response.json()) == (400, {"detail": "Invalid flow filename: '..evil.json'"})


def test_a_question_streams_its_tokens_and_completes_with_usage(client: TestClient, headers: dict[str, str],
                                                                body: dict[str, Any]) -> None:
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "reply": "Use the canvas",
                             "usage": {"input_tokens": 7, "output_tokens": 3}})
    response = client.post("/api/v1/agentic/assist/stream", json={**body, "input_value": "Then run the flow"},
                           headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = frames(response.text)
    complete = events[-1]["data"]
    assert complete.pop("duration_seconds") >= 0
    assert events[:-1] == [
        {"event": "progress", "step": "generating", "attempt": 1, "max_attempts": 4,
         "message": "Generating response..."},
        {"event": "token", "chunk": "Use "}, {"event": "token", "chunk": "the "}, {"event": "token", "chunk": "canvas"},
        {"event": "progress", "step": "generation_complete", "attempt": 1, "max_attempts": 4,
         "message": "Response ready"}]
    assert complete == {"result": "Use the canvas", "type": "message", "component": "Chat Output",
                        "component_id": "ChatOutput-Ob09T", "success": True, "continuation_expected": True,
                        "usage": {"input_tokens": 7, "output_tokens": 3, "total_tokens": 10}}


def test_an_off_topic_request_is_refused(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> None:
    script(client, headers, {"match": {"flow": "TranslationFlow"},
                             "reply": '{"translation": "weather", "intent": "off_topic"}'})
    [event] = frames(client.post("/api/v1/agentic/assist/stream", json=body, headers=headers).text)
    assert event["event"] == "complete"
    assert event["data"]["result"].startswith("I appreciate your interest, but I'm the Langflow Assistant")
    assert set(event["data"]) == {"result", "usage", "duration_seconds"}


def test_a_component_retries_counting_attempts_from_one(client: TestClient, headers: dict[str, str],
                                                        body: dict[str, Any]) -> None:
    script(client, headers, COMPONENT_INTENT,
           {"match": {"flow": "LangflowAssistant"}, "replies": [BROKEN, GOOD]})
    events = frames(client.post("/api/v1/agentic/assist/stream", json={**body, "max_retries": 1},
                                headers=headers).text)
    steps = [(e["step"], e["attempt"], e["max_attempts"]) for e in events if e["event"] == "progress"]
    assert steps == [("generating_component", 1, 2), ("generation_complete", 1, 2), ("extracting_code", 1, 2),
                     ("validating", 1, 2), ("validation_failed", 1, 2), ("retrying", 1, 2),
                     ("generating_component", 2, 2), ("generation_complete", 2, 2), ("extracting_code", 2, 2),
                     ("validating", 2, 2), ("validated", 1, 1)]  # (1.13 counts that one step as 1.8 does)
    assert any(e["event"] == "token" for e in events)  # a component's tokens stream too
    validated = next(e for e in events if e.get("step") == "validated")
    assert (validated["class_name"], validated["message"]) == ("Echo", "Component 'Echo' validated successfully!")
    assert events[-1]["data"]["validation_attempts"] == 2
    assert events[-1]["data"]["validated"] is True


def test_a_session_remembers_its_turns_until_reset(client: TestClient, headers: dict[str, str],
                                                   body: dict[str, Any]) -> None:
    script(client, headers, {"name": "remembers", "match": {"flow": "LangflowAssistant",
                                                             "prompt_contains": "User: first question"},
                             "reply": "I remember"})
    assert frames(client.post("/api/v1/agentic/assist/stream", json={**body, "input_value": "first question"},
                              headers=headers).text)[-1]["data"]["result"] == "Scripted reply to: first question"
    later = {**body, "input_value": "second"}
    assert frames(client.post("/api/v1/agentic/assist/stream", json=later, headers=headers).text)[-1]["data"][
        "result"] == "I remember"
    assert frames(client.post("/api/v1/agentic/assist/stream", json={**later, "history_limit": 0},
                              headers=headers).text)[-1]["data"]["result"] == "Scripted reply to: second"
    assert frames(client.post("/api/v1/agentic/assist/stream", json={**later, "session_id": "s2"},
                              headers=headers).text)[-1]["data"]["result"] == "Scripted reply to: second"
    response = client.post("/api/v1/agentic/sessions/reset", params={"session_id": "s1"}, headers=headers)
    assert response.json() == {"status": "ok", "components_cleared": 0, "session_id": "s1"}
    assert frames(client.post("/api/v1/agentic/assist/stream", json=later, headers=headers).text)[-1]["data"][
        "result"] == "Scripted reply to: second"
    # the control API's reset of the messages forgets the conversations too
    frames(client.post("/api/v1/agentic/assist/stream", json={**body, "input_value": "first question"},
                       headers=headers).text)
    assert client.post("/_mock/reset", json={"parts": ["messages"]}, headers=headers).status_code == 200
    assert frames(client.post("/api/v1/agentic/assist/stream", json=later, headers=headers).text)[-1]["data"][
        "result"] == "Scripted reply to: second"


def test_validated_components_are_kept_until_the_reset(client: TestClient, headers: dict[str, str],
                                                       body: dict[str, Any], tmp_path: Path) -> None:
    script(client, headers, COMPONENT_INTENT, {"match": {"flow": "LangflowAssistant"}, "reply": GOOD})
    assert client.post("/api/v1/agentic/assist", json=body, headers=headers).json()["validated"] is True
    frames(client.post("/api/v1/agentic/assist/stream", json=body, headers=headers).text)
    kept = sandbox(tmp_path / "data0", client, headers) / ".components" / "Echo.py"
    assert "class Echo(Component)" in kept.read_text()
    response = client.get("/api/v1/agentic/files", params={"path": ".components/Echo.py"}, headers=headers)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})  # reserved to the registry
    response = client.post("/api/v1/agentic/sessions/reset", headers=headers)
    assert response.json() == {"status": "ok", "components_cleared": 1, "session_id": None}
    assert not kept.exists()


def test_files_reads_the_callers_sandbox(client: TestClient, headers: dict[str, str], tmp_path: Path) -> None:
    root = sandbox(tmp_path / "data0", client, headers)
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "notes.md").write_text("# Notes\n")
    (root / "blob.bin").write_bytes(b"a\x00b")
    (root / ".env").write_text("SECRET=1")
    response = client.get("/api/v1/agentic/files", params={"path": "docs/notes.md"}, headers=headers)
    assert (response.status_code, response.text) == (200, "# Notes\n")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    response = client.get("/api/v1/agentic/files", params={"path": "docs/notes.md", "download": "true"},
                          headers=headers)
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == 'attachment; filename="notes.md"'
    for path, status, detail in [("../x", 400, "Invalid path"), ("/etc/passwd", 400, "Invalid path"),
                                 ("C:x", 400, "Invalid path"), ("missing.txt", 404, "Not found"),
                                 ("docs", 404, "Not found"), (".env", 404, "Not found"),
                                 ("blob.bin", 415, "Binary content not supported")]:
        response = client.get("/api/v1/agentic/files", params={"path": path}, headers=headers)
        assert (response.status_code, response.json()) == (status, {"detail": detail}), path
    other = {"x-api-key": other_user_key(client, headers)}
    response = client.get("/api/v1/agentic/files", params={"path": "docs/notes.md"}, headers=other)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})
    assert client.get("/api/v1/agentic/files", params={"path": ""}, headers=headers).status_code == 422


def test_1_13_hides_its_assistant_and_1_8_has_no_files_route(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    assert not any("agentic" in path for path in client.get("/openapi.json").json()["paths"])
    old = make_client(langflow_version="1.8")
    assert old.get("/api/v1/agentic/files", params={"path": "a"},
                   headers={"x-api-key": new_api_key(old)}).status_code == 404


def test_a_failed_model_call_ends_a_1_13_stream_with_an_error(client: TestClient, headers: dict[str, str],
                                                              body: dict[str, Any]) -> None:
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "error": "boom"})
    events = frames(client.post("/api/v1/agentic/assist/stream", json=body, headers=headers).text)
    assert events[-1] == {"event": "error", "message": FLOW_FAILED}


RUN = "/api/v1/agentic/assist/run"


def test_a_headless_run_passes_on_the_progress_and_completes_with_the_outcome(
        client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> None:
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "reply": "Use the canvas"})
    response = client.post(RUN, json={"instruction": "How do I build a flow?", "flow_id": body["flow_id"],
                                      "session_id": "s1"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text.startswith('data: {"event": "progress", "step": "generating", ')  # json.dumps' spacing
    assert frames(response.text) == [
        {"event": "progress", "step": "generating", "attempt": 1, "max_attempts": 4,
         "message": "Generating response..."},
        {"event": "progress", "step": "generation_complete", "attempt": 1, "max_attempts": 4,
         "message": "Response ready"},  # tokens are not passed on
        {"event": "complete", "data": {
            "flow_id": body["flow_id"], "link": f"/flow/{body['flow_id']}", "result": "Use the canvas",
            "error": None, "flow_changed": False, "session_id": "s1", "provider": "OpenAI",
            "model_name": "gpt-5.4"}}]
    # the turn joined the session's conversation, as a streamed one does
    script(client, headers, {"match": {"flow": "LangflowAssistant", "prompt_contains": "User: How do I build"},
                             "reply": "I remember"})
    events = frames(client.post(RUN, json={"instruction": "x", "flow_id": body["flow_id"], "session_id": "s1",
                                           "model_name": "gpt-4o"}, headers=headers).text)
    assert (events[-1]["data"]["result"], events[-1]["data"]["model_name"]) == ("I remember", "gpt-4o")


def test_a_headless_run_without_a_flow_makes_one_and_keeps_it_when_the_run_is_refused(
        client: TestClient, headers: dict[str, str]) -> None:
    events = frames(client.post(RUN, json={"instruction": "Build me a chatbot"}, headers=headers).text)
    assert events == [{"event": "error", "message": "400: No model provider is configured. Please configure at "
                                                    "least one model provider in Settings."}]
    [made] = [f for f in client.get("/api/v1/flows/", params={"remove_example_flows": True},
                                    headers=headers).json() if f["name"] == "Assistant Flow"]
    assert (made["description"], made["data"]) == ("Created by the Langflow Assistant via MCP",
                                                   {"nodes": [], "edges": []})
    assert made["folder_id"] is not None
    credential(client, headers, "OPENAI_API_KEY")
    script(client, headers, {"match": {"flow": "LangflowAssistant"}, "error": "boom"})
    events = frames(client.post(RUN, json={"instruction": "Build me a chatbot"}, headers=headers).text)
    complete = events[-1]["data"]
    assert (complete["result"], complete["error"]) == (FLOW_FAILED, FLOW_FAILED)
    names = [f["name"] for f in client.get("/api/v1/flows/", params={"remove_example_flows": True},
                                           headers=headers).json()]
    assert sorted(names) == ["Assistant Flow", "Assistant Flow (1)"]
    assert complete["flow_id"] != made["id"]


def test_a_headless_run_checks_the_flow_before_the_stream_and_refuses_a_locked_one(
        client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> None:
    response = client.post(RUN, json={"instruction": "x", "flow_id": "a-flow"}, headers=headers)
    assert (response.status_code, response.json()) == (422, {"detail": "Invalid flow_id: not a valid UUID."})
    theirs = {"x-api-key": other_user_key(client, headers)}
    response = client.post(RUN, json={"instruction": "x", "flow_id": body["flow_id"]}, headers=theirs)
    assert (response.status_code, response.json()) == (404, {"detail": "Flow not found."})
    response = client.post(RUN, json={"flow_id": body["flow_id"], "instruction": "x" * 2001}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Value error, Message is too long: 2001 characters, limit is 2000."
    assert client.post(RUN, json={"flow_id": body["flow_id"]}, headers=headers).json()["detail"][0]["loc"] == [
        "body", "instruction"]
    assert client.patch(f"/api/v1/flows/{body['flow_id']}", json={"locked": True}, headers=headers).status_code == 200
    events = frames(client.post(RUN, json={"instruction": "x", "flow_id": body["flow_id"]}, headers=headers).text)
    assert events == [{"event": "error", "message": "Flow is locked. Unlock it before making changes."}]


def test_older_releases_have_no_headless_run(make_client: Callable[..., TestClient]) -> None:
    for version in ("1.8", "1.7.1"):
        old = make_client(langflow_version=version)
        response = old.post(RUN, json={"instruction": "x"}, headers={"x-api-key": new_api_key(old)})
        assert response.status_code in (404, 405) or "<html" in response.text.lower()
