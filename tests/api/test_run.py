"""/api/v1/run: answer shapes, body styles, tweaks, outputs, errors and the event stream (facts 9-17)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app, errors
from tests.conftest import copy_of_example, create_flow, new_api_key, other_user_key

RESULT_KEYS = {"results", "artifacts", "outputs", "logs", "messages", "timedelta", "duration",
               "component_display_name", "component_id", "used_frozen_result", "token_usage"}
TWEAK_CONFLICT = "If you pass an input_value to the chat input, you cannot pass a tweak with the same name."


@pytest.fixture
def flow(client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> dict[str, Any]:
    return create_flow(client, key_headers, chat_flow)


def run(client: TestClient, headers: dict[str, str], flow_id: str, body: Any = None, **kwargs: Any) -> Any:
    return client.post(f"/api/v1/run/{flow_id}", json=body, headers=headers, **kwargs)


def first_result(body: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = body["outputs"][0]["outputs"][0]
    return result


def blocks(text: str) -> list[dict[str, Any]]:
    """A run stream: JSON objects each followed by a blank line."""
    assert text.endswith("\n\n")
    return [json.loads(part) for part in text[:-2].split("\n\n")]


def script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "script.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_null_output_type_fails_the_run_before_anything_runs(client: TestClient, key_headers: dict[str, str],
                                                                flow: dict[str, Any]) -> None:
    """Langflow picks the output vertices by `output_type in vertex_id`: null fails that test, a TypeError, before
    any vertex runs (a 500, or the stream's one error event), unless output_component names the output."""
    reason = "'in <string>' requires string as left operand, not NoneType"
    response = run(client, key_headers, flow["id"], {"input_value": "hi", "output_type": None})
    assert (response.status_code, response.json()) == (500, {"detail": json.dumps(
        {"message": reason, "traceback": None, "description": None, "code": None, "suggestion": None},
        separators=(",", ":"))})
    streamed = run(client, key_headers, flow["id"], {"input_value": "hi", "output_type": None}, params={"stream": True})
    assert blocks(streamed.text) == [{"event": "error", "data": {"error": reason}}]
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=key_headers).json()
    assert stored == []
    named = run(client, key_headers, flow["id"], {"input_value": "hi", "output_type": None,
                                                  "output_component": "ChatOutput-eF2gH"})
    assert first_result(named.json())["results"]["message"]["text"] == "hi"


def test_run_answers_the_recorded_shape(client: TestClient, key_headers: dict[str, str],
                                        flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_value": "hello flat", "input_type": "chat",
                                                     "output_type": "chat"})
    assert response.status_code == 200
    body = response.json()
    assert body["session_id"] == flow["id"]
    assert body["outputs"][0]["inputs"] == {"input_value": "hello flat"}
    result = first_result(body)
    assert set(result) == RESULT_KEYS
    assert result["component_id"] == "ChatOutput-eF2gH"
    assert result["component_display_name"] == "Chat Output"
    message = result["results"]["message"]
    assert message["text"] == "hello flat"
    assert message["sender"] == "Machine" and message["sender_name"] == "AI"
    assert message["files"] == []
    assert message["properties"]["source"] == {"id": "ChatInput-aB1cD", "display_name": "Chat Input",
                                               "source": "Chat Input"}
    assert message["data"]["id"] == message["data"]["id"].lower()
    assert result["outputs"] == {"message": {"message": "hello flat", "type": "text"}}
    assert result["messages"][0]["component_id"] == "ChatOutput-eF2gH"


def test_run_by_endpoint_name_but_not_by_flow_name(client: TestClient, key_headers: dict[str, str],
                                                   flow: dict[str, Any]) -> None:
    assert run(client, key_headers, "contract-chat-io", {"input_value": "x"}).status_code == 200
    response = run(client, key_headers, "Contract Chat IO", {"input_value": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Flow identifier Contract Chat IO not found"}


def test_run_needs_an_api_key_and_refuses_a_bearer_token(client: TestClient, flow: dict[str, Any],
                                                         jwt_headers: dict[str, str]) -> None:
    for headers in ({}, jwt_headers):
        response = run(client, headers, flow["id"], {"input_value": "x"})
        assert response.status_code == 403
        assert response.json() == {"detail": errors.AUTO_LOGIN_NEEDS_KEY}
    bad = run(client, {"x-api-key": "sk-nope"}, flow["id"], {"input_value": "x"})
    assert bad.json() == {"detail": errors.INVALID_OR_MISSING_API_KEY}


@pytest.mark.parametrize(("version", "status"), [("1.13.0", 403), ("1.8.4", 200), ("1.7.1", 200)])
def test_a_deactivated_users_key_runs_flows_only_before_1_13(make_client: Any, chat_flow: dict[str, Any],
                                                              version: str, status: int) -> None:
    """1.13 refuses a deactivated user's key as an unknown one; before, the key check looks at no user's
    is_active and /run serves the key's owner."""
    client = make_client(langflow_version=version, api_key="sk-" + "W" * 43)
    admin = {"x-api-key": "sk-" + "W" * 43}
    bob = {"x-api-key": other_user_key(client, admin)}
    made = create_flow(client, bob, chat_flow)
    assert client.patch(f"/api/v1/users/{made['user_id']}", json={"is_active": False}, headers=admin).status_code == 200
    response = run(client, bob, made["id"], {"input_value": "still here"})
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"detail": errors.INVALID_OR_MISSING_API_KEY}
    else:
        assert first_result(response.json())["messages"][0]["message"] == "still here"


def test_another_users_flow_is_not_found(client: TestClient, key_headers: dict[str, str],
                                         flow: dict[str, Any]) -> None:
    eve_id = client.post("/api/v1/users/", json={"username": "eve", "password": "pw"}, headers=key_headers).json()["id"]
    client.patch(f"/api/v1/users/{eve_id}", json={"is_active": True}, headers=key_headers)
    token = client.post("/api/v1/login", data={"username": "eve", "password": "pw"}).json()["access_token"]
    client.cookies.clear()
    eve_key = client.post("/api/v1/api_key/", json={"name": "eve"},
                          headers={"Authorization": f"Bearer {token}"}).json()["api_key"]
    response = run(client, {"x-api-key": eve_key}, flow["id"], {"input_value": "x"})
    assert response.status_code == 404


def test_a_flat_body_that_does_not_validate_becomes_an_empty_request(client: TestClient, key_headers: dict[str, str],
                                                                     flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_value": 123})
    assert response.status_code == 200
    assert response.json()["outputs"][0]["inputs"] == {}
    assert first_result(response.json())["results"]["message"]["text"] == ""
    assert first_result(response.json())["messages"] == []


def test_the_same_mistake_inside_input_request_is_422(client: TestClient, key_headers: dict[str, str],
                                                      flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_request": {"input_value": 123}})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "string_type", "loc": ["body", "input_request", "input_value"],
                                           "msg": "Input should be a valid string"}]}


def test_a_tweak_must_be_a_scalar_or_an_object(client: TestClient, key_headers: dict[str, str],
                                               flow: dict[str, Any]) -> None:
    """1.13's Tweaks: a list or null is refused, inside input_request (422) and in a flat body (ignored);
    a number, a boolean or a string at the top level is taken."""
    wrapped = run(client, key_headers, flow["id"], {"input_request": {"input_value": "x", "tweaks": {"k": [1]}}})
    assert wrapped.status_code == 422
    assert [(e["type"], e["loc"]) for e in wrapped.json()["detail"]] == [
        ("bool_type", ["body", "input_request", "tweaks", "k", "bool"]),
        ("int_type", ["body", "input_request", "tweaks", "k", "int"]),
        ("float_type", ["body", "input_request", "tweaks", "k", "float"]),
        ("string_type", ["body", "input_request", "tweaks", "k", "str"]),
        ("dict_type", ["body", "input_request", "tweaks", "k", "dict[str,any]"])]
    flat = run(client, key_headers, flow["id"], {"input_value": "dropped", "tweaks": {"k": None}})
    assert first_result(flat.json())["results"]["message"]["text"] == ""
    fine = run(client, key_headers, flow["id"], {"input_value": "kept", "tweaks": {"temperature": 0.2, "x": True}})
    assert first_result(fine.json())["results"]["message"]["text"] == "kept"
    advanced = client.post(f"/api/v1/run/advanced/{flow['id']}", json={"tweaks": {"k": []}}, headers=key_headers)
    assert advanced.status_code == 422 and advanced.json()["detail"][0]["loc"] == ["body", "tweaks", "k", "bool"]


def test_before_1_13_a_tweak_is_a_string_or_an_object(make_client: Any, chat_flow: dict[str, Any]) -> None:
    """1.8 refuses a top-level number: a 422 inside input_request, and a flat body is then ignored whole."""
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, chat_flow)
    wrapped = run(client, headers, flow["id"], {"input_request": {"input_value": "x", "tweaks": {"t": 0.2}}})
    assert wrapped.status_code == 422
    assert [(e["type"], e["loc"]) for e in wrapped.json()["detail"]] == [
        ("string_type", ["body", "input_request", "tweaks", "t", "str"]),
        ("dict_type", ["body", "input_request", "tweaks", "t", "dict[str,any]"])]
    flat = run(client, headers, flow["id"], {"input_value": "dropped", "tweaks": {"t": 0.2}})
    assert first_result(flat.json())["results"]["message"]["text"] == ""
    fine = run(client, headers, flow["id"], {"input_value": "kept", "tweaks": {"t": "0.2"}})
    assert first_result(fine.json())["results"]["message"]["text"] == "kept"
    advanced = client.post(f"/api/v1/run/advanced/{flow['id']}", json={"tweaks": {"t": 1}}, headers=headers)
    assert advanced.status_code == 422 and advanced.json()["detail"][0]["loc"] == ["body", "tweaks", "t", "str"]


def test_wrapped_body_and_context_key_both_run(client: TestClient, key_headers: dict[str, str],
                                               flow: dict[str, Any]) -> None:
    for body in ({"input_request": {"input_value": "hello ctx"}, "context": {"k": "v"}},
                 {"input_value": "hello ctx", "context": {"k": "v"}}):
        response = run(client, key_headers, flow["id"], body)
        assert first_result(response.json())["results"]["message"]["text"] == "hello ctx"


def test_malformed_json_is_422_with_the_byte_offset(client: TestClient, key_headers: dict[str, str],
                                                    flow: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/run/{flow['id']}", content=b'{"input_value": ',
                           headers={**key_headers, "content-type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "json_invalid", "loc": ["body", 16], "msg": "JSON decode error"}]}


def test_session_id_is_echoed_and_scopes_the_stored_messages(client: TestClient, key_headers: dict[str, str],
                                                             flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_value": "with session", "session_id": "my-session-1"})
    assert response.json()["session_id"] == "my-session-1"
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"], "session_id": "my-session-1"},
                        headers=key_headers).json()
    assert [(m["sender"], m["text"]) for m in stored] == [("User", "with session"), ("Machine", "with session")]
    assert all(m["files"] == "[]" for m in stored)  # a JSON string here (fact 40)


def test_tweaks_by_node_id_display_name_and_global(client: TestClient, key_headers: dict[str, str],
                                                   flow: dict[str, Any]) -> None:
    by_id = run(client, key_headers, flow["id"], {"input_value": "orig",
                                                  "tweaks": {"ChatOutput-eF2gH": {"sender_name": "TweakedBot"}}})
    assert first_result(by_id.json())["results"]["message"]["sender_name"] == "TweakedBot"
    by_name = run(client, key_headers, flow["id"], {"input_value": "orig",
                                                    "tweaks": {"Chat Output": {"sender_name": "ByName"}}})
    assert first_result(by_name.json())["results"]["message"]["sender_name"] == "ByName"
    global_tweak = run(client, key_headers, flow["id"], {"input_value": "orig", "tweaks": {"sender_name": "Everyone"}})
    assert first_result(global_tweak.json())["results"]["message"]["sender_name"] == "Everyone"
    unknown = run(client, key_headers, flow["id"], {"input_value": "x", "tweaks": {"NoSuchNode-zzz": {"foo": "bar"}}})
    assert unknown.status_code == 200


def test_a_chat_input_tweak_of_input_value_beside_input_value_is_400(client: TestClient, key_headers: dict[str, str],
                                                                     flow: dict[str, Any]) -> None:
    body = {"input_value": "orig", "tweaks": {"ChatInput": {"input_value": "tweaked"}}}
    response = run(client, key_headers, flow["id"], body)
    assert response.status_code == 400
    assert response.json() == {"detail": TWEAK_CONFLICT}
    streamed = run(client, key_headers, flow["id"], body, params={"stream": "true"})
    assert streamed.status_code == 200
    assert blocks(streamed.text) == [{"event": "error", "data": {"error": TWEAK_CONFLICT}}]


@pytest.mark.parametrize(("input_type", "key", "value", "refused"), [
    ("chat", "Chat Input", "tweaked", "chat"),         # the display name counts as the id does
    ("text", "ChatInput-aB1cD", "tweaked", None),      # the chat input is only guarded for input_type chat
    ("any", "ChatInput-aB1cD", "tweaked", None),
    ("chat", "ChatInput-aB1cD", None, None),           # a null tweak value gives no input_value
    ("text", "TextInput-xY9", "tweaked", "text"),      # the text input, for input_type text
    ("chat", "TextInput-xY9", "tweaked", None),
])
def test_which_input_tweaks_clash_with_input_value(client: TestClient, key_headers: dict[str, str],
                                                   flow: dict[str, Any], input_type: str, key: str,
                                                   value: str | None, refused: str | None) -> None:
    body = {"input_value": "orig", "input_type": input_type, "tweaks": {key: {"input_value": value}}}
    response = run(client, key_headers, flow["id"], body)
    if refused is None:
        assert response.status_code == 200, response.text
    else:
        text = f"If you pass an input_value to the {refused} input, you cannot pass a tweak with the same name."
        assert (response.status_code, response.json()) == (400, {"detail": text})


def test_input_type_text_does_not_reach_a_chat_input(client: TestClient, key_headers: dict[str, str],
                                                     flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_value": "t", "input_type": "text", "output_type": "text"})
    assert response.json()["outputs"][0]["inputs"] == {"input_value": "t"}
    assert first_result(response.json())["results"]["message"]["text"] == ""


def test_output_component_selects_the_result(client: TestClient, key_headers: dict[str, str],
                                             flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_value": "oc", "output_component": "ChatOutput-eF2gH"})
    assert [o["component_id"] for o in response.json()["outputs"][0]["outputs"]] == ["ChatOutput-eF2gH"]


def test_a_flow_without_data_fails_with_a_json_string_detail(client: TestClient, key_headers: dict[str, str]) -> None:
    empty = create_flow(client, key_headers, {"name": "Empty"})
    response = run(client, key_headers, empty["id"], {"input_value": "x"})
    assert response.status_code == 500
    assert json.loads(response.json()["detail"]) == {"message": f"Flow {empty['id']} has no data", "traceback": None,
                                                     "description": None, "code": None, "suggestion": None}
    streamed = run(client, key_headers, empty["id"], {"input_value": "x"}, params={"stream": "true"})
    assert streamed.status_code == 200
    assert blocks(streamed.text) == [{"event": "error", "data": {"error": f"Flow {empty['id']} has no data"}}]


def test_stream_framing_and_event_order(client: TestClient, key_headers: dict[str, str],
                                        flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_value": "hello stream"}, params={"stream": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert "content-encoding" not in response.headers  # streams are never gzipped (fact 14)
    events = blocks(response.text)
    assert [e["event"] for e in events] == ["add_message", "add_message", "end"]
    user, ai, end = (e["data"] for e in events)
    assert (user["sender"], user["text"], user["properties"]["source"]["id"]) == ("User", "hello stream", None)
    assert (ai["sender"], ai["text"]) == ("Machine", "hello stream")
    assert list(ai)[-1] == "id" and ai["id"] == ai["data"]["id"]
    assert first_result(end["result"])["results"]["message"]["text"] == "hello stream"


def test_stream_query_must_be_a_boolean(client: TestClient, key_headers: dict[str, str],
                                        flow: dict[str, Any]) -> None:
    response = run(client, key_headers, flow["id"], {"input_value": "x"}, params={"stream": "yes-please"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "bool_parsing"


def test_get_on_run_is_404_not_405(client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    response = client.get(f"/api/v1/run/{flow['id']}", headers=key_headers)
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


@pytest.mark.parametrize(("version", "flag", "status"), [
    ("1.13", None, 200), ("1.13", "false", 404), ("1.8.4", None, 404), ("1.8.4", "true", 200),
    ("1.7.1", "yes", 200)])
def test_run_session_follows_the_agentic_experience_flag(make_client: Callable[..., TestClient],
                                                         chat_flow: dict[str, Any], version: str, flag: str | None,
                                                         status: int) -> None:
    """Every release answers /run/session only while its agentic_experience setting is on (1.13's default; off
    in 1.8 and 1.7.1): else 404 "This endpoint is not available"."""
    client = make_client(langflow_version=version, agentic_experience=flag)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    response = client.post(f"/api/v1/run/session/{flow_id}", json={"input_value": "hi"}, headers=headers)
    assert response.status_code == status
    assert response.json() == {"detail": errors.ENDPOINT_NOT_AVAILABLE} if status == 404 else \
        "outputs" in response.json()


def test_run_session_accepts_a_jwt(client: TestClient, jwt_headers: dict[str, str], flow: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/run/session/{flow['id']}", json={"input_value": "session run"},
                           headers=jwt_headers)
    assert response.status_code == 200
    assert first_result(response.json())["results"]["message"]["text"] == "session run"


def test_advanced_run_answers_json_even_when_asked_to_stream(client: TestClient, key_headers: dict[str, str],
                                                             flow: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/run/advanced/{flow['id']}", headers=key_headers,
                           json={"inputs": [{"input_value": "adv stream"}], "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["session_id"] == flow["id"]
    assert first_result(body)["results"]["message"]["text"] == "adv stream"
    empty = client.post(f"/api/v1/run/advanced/{flow['id']}", headers=key_headers)
    assert empty.json()["outputs"][0]["inputs"] == {"input_value": ""}


def test_advanced_run_with_an_unknown_session_is_404(client: TestClient, key_headers: dict[str, str],
                                                     flow: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/run/advanced/{flow['id']}", headers=key_headers,
                           json={"inputs": [{"input_value": "x"}], "session_id": "adv-sess"})
    assert (response.status_code, response.json()) == (404, {"detail": "Session adv-sess not found"})


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_an_advanced_runs_session_is_found_only_in_langflows_build_cache(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, chat_flow)
    path = f"/api/v1/run/advanced/{flow['id']}"
    first = client.post(path, headers=headers, json={"inputs": [{"input_value": "a"}]}).json()
    assert first["session_id"] == flow["id"]
    # the session id it answers is no session to come back with: only a build caches a graph under a flow id
    again = client.post(path, headers=headers, json={"inputs": [{"input_value": "b"}], "session_id": flow["id"]})
    assert (again.status_code, again.json()) == (404, {"detail": f"Session {flow['id']} not found"})
    job = client.post(f"/api/v1/build/{flow['id']}/flow", json={"inputs": {"input_value": "built"}},
                      headers=headers).json()["job_id"]
    assert client.get(f"/api/v1/build/{job}/events", headers=headers).status_code == 200  # (to its end)
    after = client.post(path, headers=headers, json={"inputs": [{"input_value": "c"}], "session_id": flow["id"]})
    if version == "1.13":  # the cached graph is dropped as another principal's, and the stored flow runs
        assert (after.status_code, after.json()["session_id"]) == (200, flow["id"])
        assert first_result(after.json())["results"]["message"]["text"] == "c"
    else:  # the cache's {"result": graph, ...} is taken for (graph, artifacts): the graph is the string "result"
        assert (after.status_code, after.json()) == (500, {"detail": "'str' object has no attribute 'session_id'"})
    assert client.post("/_mock/reset", json={"parts": ["jobs"]}, headers=headers).status_code == 200
    assert client.post(path, headers=headers, json={"session_id": flow["id"]}).status_code == 404


def test_advanced_run_reads_inputs_sessions_and_outputs_as_langflow(client: TestClient, key_headers: dict[str, str],
                                                                    flow: dict[str, Any]) -> None:
    """An empty session_id is none; an input's own `session` is not read; `inputs: []` runs once with no
    inputs; `outputs` name vertices by id or display name; a field an input does not have is a 422."""
    path = f"/api/v1/run/advanced/{flow['id']}"
    answer = client.post(path, headers=key_headers, json={"inputs": [{"input_value": "a", "session": "mine"}],
                                                          "session_id": ""})
    assert (answer.status_code, answer.json()["session_id"]) == (200, flow["id"])
    assert client.post(path, headers=key_headers, json={"inputs": []}).json()["outputs"][0]["inputs"] == {}
    by_name = client.post(path, headers=key_headers, json={"inputs": [{"input_value": "n"}],
                                                           "outputs": ["Chat Output"]}).json()
    assert first_result(by_name)["results"]["message"]["text"] == "n"
    extra = client.post(path, headers=key_headers, json={"inputs": [{"input_value": "x", "session_id": "s"}]})
    assert extra.status_code == 422
    assert [(e["type"], e["loc"]) for e in extra.json()["detail"]] == [
        ("extra_forbidden", ["body", "inputs", 0, "session_id"])]


def test_advanced_run_of_a_flow_without_data_is_404(client: TestClient, key_headers: dict[str, str]) -> None:
    empty = create_flow(client, key_headers, {"name": "No Data"})
    answer = client.post(f"/api/v1/run/advanced/{empty['id']}", headers=key_headers, json={})
    assert (answer.status_code, answer.json()) == (404, {"detail": f"Flow {empty['id']} has no data"})


def test_output_component_names_a_vertex_by_id_or_display_name(client: TestClient, key_headers: dict[str, str],
                                                               flow: dict[str, Any]) -> None:
    """Langflow asks for exactly that vertex: by display name it is found, and a name of none gives none."""
    named = run(client, key_headers, flow["id"], {"input_value": "v", "output_component": "Chat Output"})
    assert first_result(named.json())["results"]["message"]["text"] == "v"
    nothing = run(client, key_headers, flow["id"], {"input_value": "v", "output_component": "Nope"})
    assert nothing.status_code == 200
    assert nothing.json()["outputs"] == [{"inputs": {"input_value": "v"}, "outputs": []}]


def test_advanced_run_needs_a_list_of_inputs(client: TestClient, key_headers: dict[str, str],
                                             flow: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/run/advanced/{flow['id']}", headers=key_headers, json={"inputs": "notalist"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "list_type", "loc": ["body", "inputs"],
                                           "msg": "Input should be a valid list"}]}


# --- the scripted LLM through /run --------------------------------------------------------------------


def example(client: TestClient, headers: dict[str, str], name: str) -> dict[str, Any]:
    return copy_of_example(client, headers, name)


def reply_text(response: Any) -> str:
    text: str = first_result(response.json())["results"]["message"]["text"]
    return text


def test_without_a_matching_rule_the_model_gives_the_documented_fallback(client: TestClient,
                                                                         key_headers: dict[str, str]) -> None:
    flow = example(client, key_headers, "Basic Prompting")
    response = run(client, key_headers, flow["id"], {"input_value": "what is 2+2"})
    assert reply_text(response) == "Scripted reply to: what is 2+2"
    source = first_result(response.json())["results"]["message"]["properties"]["source"]
    assert source["display_name"] == "Language Model" and source["source"] == "gpt-4o-mini"


def test_a_scripted_rule_changes_the_reply(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - match: {input_contains: weather}\n'
                                                   '    reply: "Sunny for {session_id}"\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")
    response = run(client, headers, flow["id"], {"input_value": "how is the weather?", "session_id": "s1"})
    assert reply_text(response) == "Sunny for s1"


def test_a_regex_rule_beats_the_fallback(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - match: {input_regex: "^order \\\\d+$"}\n'
                                                   '    reply: "Order found"\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")
    assert reply_text(run(client, headers, flow["id"], {"input_value": "order 42"})) == "Order found"
    assert reply_text(run(client, headers, flow["id"], {"input_value": "order x"})) == "Scripted reply to: order x"


def test_a_sequence_answers_turn_one_two_three_in_order(make_client: Callable[..., TestClient],
                                                        tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - replies: ["one", "two", "three"]\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")
    got = [reply_text(run(client, headers, flow["id"], {"input_value": "next", "session_id": "conv"}))
           for _ in range(4)]
    assert got == ["one", "two", "three", "three"]


def test_spent_rules_cycles_and_ordered_rules_count_each_use(make_client: Callable[..., TestClient],
                                                             tmp_path: Path) -> None:
    """A rule's uses are counted as the runs use it (ScriptedLLM's snapshot): a cycle goes round, a rule with
    `times` is spent after that many, ordered rules answer one after the other, and the use counts read back."""
    client = make_client(scripts=[script(tmp_path, (
        'rules:\n'
        '  - match: {input_contains: "cycle"}\n    replies: ["a", "b"]\n    sequence: cycle\n'
        '  - match: {input_contains: "twice"}\n    reply: "limited"\n    times: 2\n'
        '  - match: {input_contains: "step"}\n    reply: "first step"\n    mode: ordered\n'
        '  - match: {input_contains: "step"}\n    reply: "second step"\n    mode: ordered\n'))])
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")

    def answer(text: str) -> str:
        return reply_text(run(client, headers, flow["id"], {"input_value": text}))

    assert [answer("cycle") for _ in range(5)] == ["a", "b", "a", "b", "a"]
    assert [answer("twice") for _ in range(3)] == ["limited", "limited", "Scripted reply to: twice"]
    assert [answer("step") for _ in range(3)] == ["first step", "second step", "Scripted reply to: step"]
    uses = [rule["uses"] for rule in client.get("/_mock/scripts", headers=headers).json()["rules"]]
    assert uses[-4:] == [5, 2, 1, 1]


def test_turn_numbers_count_per_session(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - match: {turn: 2}\n    reply: "second turn"\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")
    replies = [reply_text(run(client, headers, flow["id"], {"input_value": "hi", "session_id": sid}))
               for sid in ("a", "a", "b", "b")]
    assert replies[1] == replies[3] == "second turn"
    assert "second turn" not in (replies[0], replies[2])


def test_strict_mode_fails_an_unscripted_call_in_the_real_error_shape(make_client: Callable[..., TestClient]) -> None:
    client = make_client(strict_scripts=True)
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")
    response = run(client, headers, flow["id"], {"input_value": "unscripted"})
    assert response.status_code == 500
    message = json.loads(response.json()["detail"])["message"]
    assert message.startswith(
        "Error running graph: Error building Component Language Model: \n\nNo scripted reply matches this call")


def streaming_flow(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """Basic Prompting with its model streaming (its `stream` field on), so tokens are sent."""
    flow = example(client, headers, "Basic Prompting")
    body = {k: flow[k] for k in ("name", "description", "data")}
    model = next(n for n in body["data"]["nodes"] if n["id"].startswith("LanguageModelComponent"))
    model["data"]["node"]["template"]["stream"]["value"] = True
    body["name"] = "Streaming Prompting"
    return create_flow(client, headers, body)


def test_error_after_three_tokens_yields_three_tokens_then_an_error_event(make_client: Callable[..., TestClient],
                                                                          tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - reply: "one two three four five"\n'
                                                   '    error: "Rate limit exceeded"\n'
                                                   '    stream: {error_after: 3}\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = streaming_flow(client, headers)
    events = blocks(run(client, headers, flow["id"], {"input_value": "go"}, params={"stream": "true"}).text)
    names = [e["event"] for e in events]
    assert names == ["add_message", "add_message", "token", "token", "token", "error", "error"]
    assert [e["data"]["chunk"] for e in events if e["event"] == "token"] == ["one ", "two ", "three "]
    # 1.13 words a failed run's error event as the 500 /run would answer (the graph wrapping what the model raised)
    assert events[-1]["data"]["error"] == "500: " + json.dumps({
        "message": "Error running graph: Error building Component Language Model: \n\nRate limit exceeded",
        "traceback": None, "description": None, "code": None, "suggestion": None}, separators=(",", ":"))
    # the error message, as the Chat Output sends it for the model whose reply it streamed
    error = events[-2]["data"]
    assert (error["sender"], error["category"], error["text"]) == ("Language Model", "error", "Rate limit exceeded\n")
    # the reply's message, announced and partly streamed, is deleted as the stream fails: what stays is the
    # question and the error message
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    assert [(m["sender"], m["category"], m["id"]) for m in stored] == [
        ("User", "message", events[0]["data"]["id"]), ("Language Model", "error", error["id"])]


def test_a_failed_run_keeps_the_components_error_message_and_an_error_transaction(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - error: "Rate limit exceeded"\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")
    response = run(client, headers, flow["id"], {"input_value": "go", "session_id": "failing"})
    assert response.status_code == 500
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    assert [(m["session_id"], m["sender"], m["category"], m["text"]) for m in stored] == [
        ("failing", "User", "message", "go"), ("failing", "Language Model", "error", "Rate limit exceeded\n")]
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"]}, headers=headers).json()
    model = [t for t in logged["items"] if t["vertex_id"].startswith("LanguageModelComponent")]
    assert [(t["status"], t["outputs"]) for t in model] == [("error", None)]


def test_streamed_tokens_concatenate_to_the_non_streamed_text(make_client: Callable[..., TestClient],
                                                              tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - reply: "The quick brown fox, again."\n'
                                                   '    stream: {chunking: fixed, chunk_size: 3}\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = streaming_flow(client, headers)
    plain = reply_text(run(client, headers, flow["id"], {"input_value": "a", "session_id": "one"}))
    events = blocks(run(client, headers, flow["id"], {"input_value": "a", "session_id": "two"},
                        params={"stream": "true"}).text)
    tokens = [e["data"] for e in events if e["event"] == "token"]
    assert "".join(t["chunk"] for t in tokens) == plain == "The quick brown fox, again."
    ai_messages = [e["data"] for e in events if e["event"] == "add_message" and e["data"]["sender"] == "Machine"]
    assert all(t["id"] == ai_messages[0]["id"] for t in tokens)  # tokens carry the AI message's id
    end = events[-1]
    assert end["event"] == "end" and first_result(end["data"]["result"])["results"]["message"]["text"] == plain


@pytest.mark.parametrize(("version", "final", "taken"), [("1.13.0", True, True), ("1.8", True, False),
                                                          ("1.7.1", False, False)])
def test_a_streamed_reply_is_announced_again_complete_where_the_release_does(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str, final: bool, taken: bool) -> None:
    """A streamed reply is announced with its first chunk; 1.8 and 1.13 announce it once more when the stream
    ends, complete and with the whole text (lfx's send_message after _stream_message), 1.7.1 does not. 1.13's
    model streams it itself, so the Chat Output then takes that message over and announces it again."""
    client = make_client(langflow_version=version,
                         scripts=[script(tmp_path, 'rules:\n  - reply: "one two three"\n'
                                                   '    stream: {chunking: words}\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = streaming_flow(client, headers)
    events = blocks(run(client, headers, flow["id"], {"input_value": "go"}, params={"stream": "true"}).text)
    names = [e["event"] for e in events]
    assert names == ["add_message", "add_message", "token", "token", "token", *(["add_message"] if final else []),
                     *(["add_message"] if taken else []), "end"]
    first = events[1]["data"]
    assert (first["text"], first["properties"]["state"]) == ("one ", "partial")
    if final:
        last = events[5]["data"]
        assert (last["id"], last["text"], last["properties"]["state"]) == (first["id"], "one two three", "complete")
    if taken:  # the same message, now the Chat Output's: its model's name as source
        assert (events[6]["data"]["id"], events[6]["data"]["properties"]["source"]["source"],
                last["properties"]["source"]["source"]) == (first["id"], "gpt-4o-mini", "")


def test_a_flow_without_a_model_streams_no_tokens(client: TestClient, key_headers: dict[str, str],
                                                  flow: dict[str, Any]) -> None:
    events = blocks(run(client, key_headers, flow["id"], {"input_value": "x"}, params={"stream": "true"}).text)
    assert "token" not in [e["event"] for e in events]


def test_a_prompt_template_receives_the_chat_input_and_a_global_variable_header(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    client = make_client(scripts=[script(tmp_path, 'rules:\n  - match: {prompt_contains: "Tone: pirate"}\n'
                                                   '    reply: "Arr: {input}"\n')])
    headers = {"x-api-key": new_api_key(client)}
    flow = example(client, headers, "Basic Prompting")
    prompt = next(n["id"] for n in flow["data"]["nodes"] if n["id"].startswith("PromptTemplate"))
    tweaks = {prompt: {"template": "Tone: {TONE}. Answer: {question}"}}
    response = client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hello?", "tweaks": tweaks},
                           headers={**headers, "X-LANGFLOW-GLOBAL-VAR-TONE": "pirate"})
    assert reply_text(response) == "Arr: hello?"
    call = client.app.state.mock.llm.calls(flow_id=None)[-1]  # type: ignore[attr-defined]
    assert call.prompt.startswith("Tone: pirate. Answer: ")


def test_prompt_variables_come_from_connected_inputs(client: TestClient, key_headers: dict[str, str]) -> None:
    body = json.loads((Path(__file__).parent.parent / "data" / "flow_prompt_chain.json").read_text())
    flow = create_flow(client, key_headers, body)
    response = run(client, key_headers, flow["id"], {"input_value": "Ada"})
    assert reply_text(response) == "Greetings, Ada!"


def test_a_prompt_variable_takes_a_global_variable_header(client: TestClient, key_headers: dict[str, str]) -> None:
    body = json.loads((Path(__file__).parent.parent / "data" / "flow_prompt_chain.json").read_text())
    flow = create_flow(client, key_headers, body)
    response = client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "Ada"},
                           headers={**key_headers, "X-LANGFLOW-GLOBAL-VAR-SUFFIX": " Welcome back."})
    assert reply_text(response) == "Greetings, Ada! Welcome back."


HUMAN = "HumanInput-hU1aN"


def with_human_input(flow: dict[str, Any], *, connected: bool) -> dict[str, Any]:
    """The chat flow plus a Human Input node, its output feeding the Chat Output's sender name or not."""
    data = flow["data"]
    data["nodes"].append({"id": HUMAN, "type": "genericNode", "data": {
        "id": HUMAN, "type": "HumanInput",
        "node": {"display_name": "Human Input", "template": {"_type": "Component"},
                 "outputs": [{"name": "approved", "types": ["Message"]}]},
    }})
    if connected:
        data["edges"].append({"source": HUMAN, "target": "ChatOutput-eF2gH", "data": {
            "sourceHandle": {"dataType": "HumanInput", "id": HUMAN, "name": "approved", "output_types": ["Message"]},
            "targetHandle": {"id": "ChatOutput-eF2gH", "fieldName": "sender_name"}}})
    return flow


def approval_rows(flow: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The chat flow with a tools table on its Chat Output node, as an agent's tools carry one."""
    for node in flow["data"]["nodes"]:
        if node["id"] == "ChatOutput-eF2gH":
            node["data"]["node"]["template"]["tools_metadata"] = {"name": "tools_metadata", "type": "table",
                                                                   "value": rows}
    return flow


def test_v1_runs_refuse_a_flow_that_would_pause_for_a_person(client: TestClient, key_headers: dict[str, str],
                                                             chat_flow: dict[str, Any]) -> None:
    """1.13 cannot pause a v1 run for a human: a flow whose Human Input node feeds another node, or with a tool
    that needs approval (stored or tweaked in), is a 400 pointing to the v2 API, before anything runs: /run,
    its stream (an error event), /run/advanced and webhooks alike. A Human Input node on its own is skipped."""
    human = create_flow(client, key_headers, with_human_input(copy.deepcopy(chat_flow), connected=True))
    refusal = {"detail": errors.HITL_UNSUPPORTED}
    answer = run(client, key_headers, human["id"], {"input_value": "hi"})
    assert (answer.status_code, answer.json()) == (400, refusal)
    streamed = run(client, key_headers, human["id"], {"input_value": "hi"}, params={"stream": "true"})
    assert streamed.status_code == 200
    assert blocks(streamed.text) == [{"event": "error", "data": {"error": f"400: {errors.HITL_UNSUPPORTED}"}}]
    advanced = client.post(f"/api/v1/run/advanced/{human['id']}", json={"inputs": [{"input_value": "hi"}]},
                           headers=key_headers)
    assert (advanced.status_code, advanced.json()) == (400, refusal)
    hooked = client.post(f"/api/v1/webhook/{human['id']}", json={"any": "thing"}, headers=key_headers)
    assert (hooked.status_code, hooked.json()) == (400, refusal)
    assert client.get("/api/v1/monitor/messages", params={"flow_id": human["id"]}, headers=key_headers).json() == []

    chat_flow["name"] = "Alone"
    alone = create_flow(client, key_headers, with_human_input(copy.deepcopy(chat_flow), connected=False))
    assert run(client, key_headers, alone["id"], {"input_value": "hi"}).status_code == 200

    chat_flow["name"] = "Approvals"
    gated = create_flow(client, key_headers, approval_rows(copy.deepcopy(chat_flow), [{"name": "search"}]))
    assert run(client, key_headers, gated["id"], {"input_value": "hi"}).status_code == 200
    needs_approval = {"ChatOutput-eF2gH": {"tools_metadata": [{"name": "search", "approval_actions": ["approve"]}]}}
    tweaked = run(client, key_headers, gated["id"], {"input_value": "hi", "tweaks": needs_approval})
    assert (tweaked.status_code, tweaked.json()) == (400, refusal)


def test_before_1_13_v1_runs_take_human_input_flows(make_client: Callable[..., TestClient],
                                                    chat_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    human = create_flow(client, headers, with_human_input(chat_flow, connected=True))
    assert run(client, headers, human["id"], {"input_value": "hi"}).status_code == 200


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_an_example_flow_is_nobodys_so_no_run_reads_or_runs_it(make_client: Callable[..., TestClient],
                                                              version: str) -> None:
    """Example flows have no owner, and Langflow finds flows by id for their owner: reading one by id is 404 in
    every release, running it 404 in 1.13 and 403 before (found, then refused, as another user's flow is),
    building it or a v2 run of it 404 in 1.13. A copy of it in the caller's account runs."""
    client = make_client(langflow_version=version, developer_api_enabled=True)
    headers = {"x-api-key": new_api_key(client)}
    example_id = next(f for f in client.get("/api/v1/flows/basic_examples/", headers=headers).json()
                      if f["name"] == "Basic Prompting")["id"]
    read = client.get(f"/api/v1/flows/{example_id}", headers=headers)
    assert (read.status_code, read.json()) == (404, {"detail": "Flow not found"})
    ran = run(client, headers, example_id, {"input_value": "hi"})
    advanced = client.post(f"/api/v1/run/advanced/{example_id}", json={}, headers=headers)
    built = client.post(f"/api/v1/build/{example_id}/flow", json={}, headers=headers)
    if version == "1.13":
        refusal = (404, {"detail": f"Flow identifier {example_id} not found"})
        assert (ran.status_code, ran.json()) == (advanced.status_code, advanced.json()) == refusal
        assert (built.status_code, built.json()) == (404, {"detail": f"Flow with id {example_id} not found"})
        v2 = client.post("/api/v2/workflows", json={"flow_id": example_id, "input_value": "hi"}, headers=headers)
        assert (v2.status_code, v2.json()["code"]) == (404, "FLOW_NOT_FOUND")
    else:
        refusal = (403, {"detail": "You do not have permission to run this flow"})
        assert (ran.status_code, ran.json()) == (advanced.status_code, advanced.json()) == refusal
        assert built.status_code == 200 and "job_id" in built.json()
    copy = copy_of_example(client, headers, "Basic Prompting")
    answer = run(client, headers, copy["id"], {"input_value": "what is 2+2"})
    assert reply_text(answer) == "Scripted reply to: what is 2+2"


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_multipart_run_body_gives_its_fields_in_1_13(make_client: Callable[..., TestClient],
                                                      chat_flow: dict[str, Any], version: str) -> None:
    """1.13 reads a multipart/form-data /run body's fields (tweaks as JSON text); before, such a body is not
    JSON and so an empty request."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, chat_flow)
    form = {"input_value": "from a form", "session_id": "form-session",
            "tweaks": json.dumps({"ChatOutput-eF2gH": {"sender_name": "Former"}})}
    answer = client.post(f"/api/v1/run/{flow['id']}", data=form, files={"unused": ("a.txt", b"x")}, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if version == "1.13":
        assert (body["session_id"], body["outputs"][0]["inputs"]) == ("form-session", {"input_value": "from a form"})
        assert first_result(body)["results"]["message"]["sender_name"] == "Former"
    else:
        assert (body["session_id"], body["outputs"][0]["inputs"]) == (flow["id"], {})


def test_a_flat_body_with_nan_is_not_json_so_it_is_ignored(client: TestClient, key_headers: dict[str, str],
                                                           flow: dict[str, Any]) -> None:
    """Langflow parses a flat body with orjson, which refuses NaN: the whole body is dropped, silently."""
    raw = b'{"input_value": "nan", "session_id": "nans", "tweaks": {"ChatOutput-eF2gH": {"x": NaN}}}'
    answer = client.post(f"/api/v1/run/{flow['id']}", content=raw,
                         headers={**key_headers, "content-type": "application/json"})
    assert answer.status_code == 200
    assert (answer.json()["session_id"], answer.json()["outputs"][0]["inputs"]) == (flow["id"], {})


def test_1_13_refuses_tweaks_of_protected_fields(client: TestClient, key_headers: dict[str, str],
                                                 flow: dict[str, Any]) -> None:
    """A run may not change a flow's code (by node id, display name or a flat key) nor a code-running
    component's code inputs: 1.13's 422 names the fields, in /run, its stream, /run/advanced and a sync v2 run.
    A field the node does not have is no refusal."""
    refusal = {"error": "Refused tweaks", "code": "TWEAKS_REFUSED",
               "message": "The field is protected and keeps the value set by the flow author.", "fields": ["code"]}
    for tweaks in ({"ChatInput-aB1cD": {"code": "print(1)"}}, {"Chat Output": {"code": "x"}}, {"code": "x"}):
        answer = run(client, key_headers, flow["id"], {"input_value": "hi", "tweaks": tweaks})
        assert (answer.status_code, answer.json()) == (422, {"detail": refusal})
    tweaks = {"ChatInput-aB1cD": {"code": "print(1)", "sender_name": "Me"}}
    streamed = run(client, key_headers, flow["id"], {"input_value": "hi", "tweaks": tweaks}, params={"stream": "true"})
    assert blocks(streamed.text) == [{"event": "error", "data": {
        "error": "Refused tweak keys ['code']: The field is protected and keeps the value set by the flow author."}}]
    advanced = client.post(f"/api/v1/run/advanced/{flow['id']}", json={"tweaks": tweaks}, headers=key_headers)
    assert (advanced.status_code, advanced.json()) == (422, {"detail": refusal})
    v2 = client.post("/api/v2/workflows", json={"flow_id": flow["id"], "input_value": "hi", "tweaks": tweaks},
                     headers=key_headers)
    assert (v2.status_code, v2.json()) == (422, {"detail": refusal})
    assert run(client, key_headers, flow["id"], {"input_value": "hi",
                                                 "tweaks": {"NoSuchNode": {"code": "x"}}}).status_code == 200


def test_a_code_running_components_code_inputs_are_protected(client: TestClient, key_headers: dict[str, str],
                                                             chat_flow: dict[str, Any]) -> None:
    nodes = chat_flow["data"]["nodes"]
    nodes.append({"id": "PythonREPLComponent-p1", "type": "genericNode", "data": {
        "id": "PythonREPLComponent-p1", "type": "PythonREPLComponent",
        "node": {"display_name": "Python Interpreter", "template": {
            "python_code": {"type": "str", "value": "1+1"}, "global_imports": {"type": "str", "value": "math"}},
            "outputs": [{"name": "results", "types": ["Data"]}]}}})
    flow = create_flow(client, key_headers, chat_flow)
    tweaks = {"PythonREPLComponent-p1": {"python_code": "2+2", "global_imports": "os"}}
    answer = run(client, key_headers, flow["id"], {"input_value": "hi", "tweaks": tweaks})
    assert answer.status_code == 422
    assert answer.json()["detail"]["fields"] == ["global_imports", "python_code"]


def test_before_1_13_a_code_tweak_is_no_refusal(make_client: Callable[..., TestClient],
                                                chat_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, chat_flow)
    answer = run(client, headers, flow["id"], {"input_value": "hi", "tweaks": {"ChatInput-aB1cD": {"code": "x"}}})
    assert answer.status_code == 200


def test_the_human_in_the_loop_check_reads_junk_ids_without_failing(client: TestClient, key_headers: dict[str, str],
                                                                   chat_flow: dict[str, Any]) -> None:
    """A stored graph may hold anything: an edge whose source is an object, or a node whose id is one, is no
    Human Input wiring, and the run goes on (found by the long stored-flow fuzz)."""
    chat_flow["data"]["edges"].append({"source": {"not": "an id"}, "target": "ChatOutput-eF2gH"})
    chat_flow["data"]["nodes"].append({"id": ["odd"], "data": {"id": {"x": 1}, "type": "HumanInput", "node": {}}})
    flow = create_flow(client, key_headers, chat_flow)
    assert run(client, key_headers, flow["id"], {"input_value": "hi"}).status_code == 200


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_an_endpoint_name_finds_the_first_flow_unless_user_id_names_the_owner(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    """Those releases look an endpoint name up among every user's flows (the first made wins, then a flow not the
    caller's is a 403), or among the flows of the user the query's `user_id` names; text that is not a UUID
    there fails the lookup (Langflow: a 500 with Python's message), and an empty one is not read."""
    client = make_client(langflow_version=version)
    alice = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, alice)}
    create_flow(client, alice, chat_flow)
    bobs = create_flow(client, bob, chat_flow)
    bob_id = client.get("/api/v1/users/whoami", headers=bob).json()["id"]
    assert bobs["endpoint_name"] == "contract-chat-io"
    denied = {"detail": "You do not have permission to run this flow"}
    for path, body in (("/api/v1/run/contract-chat-io", {"input_value": "hi"}),
                       ("/api/v1/run/advanced/contract-chat-io", {})):
        first = client.post(path, json=body, headers=bob)
        assert (first.status_code, first.json()) == (403, denied)
        unread = client.post(path, params={"user_id": ""}, json=body, headers=bob)
        assert (unread.status_code, unread.json()) == (403, denied)
        named = client.post(path, params={"user_id": bob_id}, json=body, headers=bob)
        assert (named.status_code, named.json()["session_id"]) == (200, bobs["id"])
        malformed = client.post(path, params={"user_id": "bob"}, json=body, headers=bob)
        assert (malformed.status_code, malformed.json()) == (400, {"detail": "badly formed hexadecimal UUID string"})
    by_id = client.post(f"/api/v1/run/{bobs['id']}", params={"user_id": "bob"}, json={}, headers=bob)
    assert by_id.status_code == 200
    listed = client.get("/openapi.json").json()["paths"]["/api/v1/run/advanced/{flow_id_or_name}"]["post"]
    assert listed["parameters"][1] == {"name": "user_id", "in": "query", "required": False, "schema": {
        "anyOf": [{"type": "string"}, {"type": "string", "format": "uuid"}, {"type": "null"}], "title": "User Id"}}


def test_1_13_reads_no_user_id_and_finds_the_callers_flow_by_endpoint_name(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    create_flow(client, key_headers, chat_flow)
    bob = {"x-api-key": other_user_key(client, key_headers)}
    bobs = create_flow(client, bob, chat_flow)
    for path in ("/api/v1/run/contract-chat-io", "/api/v1/run/advanced/contract-chat-io"):
        answer = client.post(path, params={"user_id": "bob"}, json={}, headers=bob)
        assert (answer.status_code, answer.json()["session_id"]) == (200, bobs["id"])
    parameters = client.get("/openapi.json").json()["paths"]["/api/v1/run/{flow_id_or_name}"]["post"]["parameters"]
    assert [p["name"] for p in parameters] == ["flow_id_or_name", "stream"]
    advanced = client.get("/openapi.json").json()["paths"]["/api/v1/run/advanced/{flow_id_or_name}"]["post"]
    assert [p["name"] for p in advanced["parameters"]] == ["flow_id_or_name"]


@pytest.mark.parametrize(("version", "status"), [("1.13.0", 403), ("1.8.4", 404)])
def test_before_1_13_an_unknown_flow_is_answered_before_a_missing_key(make_client: Callable[..., TestClient],
                                                                     chat_flow: dict[str, Any], version: str,
                                                                     status: int) -> None:
    """1.8 finds the flow in a dependency ahead of the API key's (and of the body), so an unknown flow is its 404
    whatever else is wrong; a known one still needs the key. 1.13 checks the key first."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, chat_flow)
    for path in ("/api/v1/run/no-such-endpoint", "/api/v1/run/advanced/no-such-endpoint"):
        unknown = client.post(path, json={"inputs": "not a list", "input_request": 5})
        assert unknown.status_code == status
        if status == 404:
            assert unknown.json() == {"detail": "Flow identifier no-such-endpoint not found"}
    known = client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hi"})
    assert known.status_code == 403
    assert known.json()["detail"].startswith("Since v1.5, LANGFLOW_AUTO_LOGIN requires a valid API key.")


def sender_name_from_variable(flow: dict[str, Any], name: str) -> None:
    """Point the Chat Output's sender name at the global variable `name` (load_from_db)."""
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"].update({"value": name, "load_from_db": True})


def test_a_fields_unknown_global_variable_leaves_it_empty_in_a_run(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """A /run loads a field's global variable (load_from_db) from the user's variables (here a Generic one),
    else from the server's environment (fallback_to_env_var, on by default): a name neither holds leaves the field
    None (here Chat Output's default sender name), never the variable's name."""
    sender_name_from_variable(chat_flow, "BOT_NAME")
    flow = create_flow(client, key_headers, chat_flow)
    response = run(client, key_headers, flow["id"], {"input_value": "hi"})
    assert response.status_code == 200
    assert first_result(response.json())["results"]["message"]["sender_name"] != "BOT_NAME"  # the mock's default
    made = client.post("/api/v1/variables/", json={"name": "BOT_NAME", "value": "Robo", "type": "Generic",
                                                   "default_fields": []}, headers=key_headers)
    assert made.status_code == 201
    response = run(client, key_headers, flow["id"], {"input_value": "hi"})
    assert first_result(response.json())["results"]["message"]["sender_name"] == "Robo"


CREDENTIAL_REFUSED = (
    "Error running graph: Error building Component Chat Output: \n\n1 validation error for MessageTextInput\n  "
    "Value error, Cannot use a "
    "Credential-typed global variable in 'sender_name'. Credential variables are only allowed in secret fields (API "
    "keys, tokens, etc.) to prevent the value from being exposed in component outputs, logs, or traces. Either "
    "select a Generic-typed variable, or change this variable's type to Generic if it is not actually sensitive. "
    "[type=value_error, input_value=MessageTextInput(tool_mod...rack_in_telemetry=False), "
    "input_type=MessageTextInput]\n    For further information visit https://errors.pydantic.dev/2.13/v/value_error")


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_credential_variable_fills_only_a_password_field_in_1_13(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    """1.13 hands a Credential variable's value to the component as a secret, which a text field (Chat Output's
    sender name) refuses: the /run fails with pydantic's validation error as the component's. 1.8 fills the field
    with the decrypted value."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/variables/", json={"name": "BOT_NAME", "value": "Robo", "type": "Credential",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    sender_name_from_variable(chat_flow, "BOT_NAME")
    response = run(client, headers, create_flow(client, headers, chat_flow)["id"], {"input_value": "hi"})
    if version == "1.8":
        assert first_result(response.json())["results"]["message"]["sender_name"] == "Robo"
        return
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == CREDENTIAL_REFUSED


def test_a_run_reads_the_credential_stored_from_the_servers_environment_at_start(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment variable Langflow stored as the user's Credential at start-up (here a name added by
    LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT) is what a run loads, even once the environment no longer has it
    (a fallback to the environment would find nothing). 1.8: the field gets the value in clear."""
    monkeypatch.setenv("VARS_TEST_BOT", "Robo")
    client = make_client(langflow_version="1.8", variables_to_get_from_environment="VARS_TEST_BOT")
    headers = {"x-api-key": new_api_key(client)}
    monkeypatch.delenv("VARS_TEST_BOT")
    sender_name_from_variable(chat_flow, "VARS_TEST_BOT")
    response = run(client, headers, create_flow(client, headers, chat_flow)["id"], {"input_value": "hi"})
    assert first_result(response.json())["results"]["message"]["sender_name"] == "Robo"


def test_a_credential_that_does_not_decrypt_fills_an_empty_field_in_1_8(
        tmp_path: Path, chat_flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """After a restart with another secret key, 1.8's variable service decrypts a Credential to "" and the run
    fills the field with it: no fallback to the environment variable of that name."""
    key = "sk-" + "d" * 43
    headers = {"x-api-key": key}
    data_dir = tmp_path / "kept"
    first = Settings(ephemeral=False, data_dir=data_dir, api_key=key, langflow_version="1.8",
                     secret_key="first-secret-key-for-this-test-0123456789")
    with TestClient(create_app(first)) as client:
        made = client.post("/api/v1/variables/", json={"name": "VARS_TEST_BOT", "value": "Robo", "type": "Credential",
                                                       "default_fields": []}, headers=headers)
        assert made.status_code == 201
        sender_name_from_variable(chat_flow, "VARS_TEST_BOT")
        flow_id = create_flow(client, headers, chat_flow)["id"]
    monkeypatch.setenv("VARS_TEST_BOT", "Env")
    second = first.model_copy(update={"secret_key": "other-secret-key-for-this-test-0123456789"})
    with TestClient(create_app(second)) as client:
        response = run(client, headers, flow_id, {"input_value": "hi"})
    assert first_result(response.json())["results"]["message"]["sender_name"] == ""


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_a_runs_variable_the_user_lacks_falls_back_to_the_environment_since_1_8(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        version: str) -> None:
    """A /run whose field loads a variable the user does not hold reads the server's environment variable of
    that name in 1.8; 1.7.1's loader re-raises the variable service's "<name> variable not found." whatever
    the fallback setting, and the run fails as a build would: a 404 with the text as its detail, as 1.7.1's /run
    maps a failed graph's ValueError that says "not found" (backend-only: with its frontend served, 1.7.1 answers
    every 404 with the page)."""
    monkeypatch.setenv("VARS_TEST_BOT", "Env")
    client = make_client(langflow_version=version, backend_only=True)
    headers = {"x-api-key": new_api_key(client)}
    sender_name_from_variable(chat_flow, "VARS_TEST_BOT")
    response = run(client, headers, create_flow(client, headers, chat_flow)["id"], {"input_value": "hi"})
    if version == "1.8":
        assert first_result(response.json())["results"]["message"]["sender_name"] == "Env"
        return
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "Error running graph: Error building Component Chat Output: \n\nVARS_TEST_BOT variable not found.")


@pytest.mark.parametrize("kind", ["Credential", "Generic"])
def test_a_variable_that_does_not_decrypt_fails_the_run_in_1_7_1(
        tmp_path: Path, chat_flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """1.7.1 stores every variable encrypted and decrypts it for a run with no fallback: after a restart with
    another secret key, cryptography's InvalidToken (no text) fails the vertex, whatever the variable's type,
    and the environment variable of that name is not read."""
    key = "sk-" + "f" * 43
    headers = {"x-api-key": key}
    first = Settings(ephemeral=False, data_dir=tmp_path / "kept", api_key=key, langflow_version="1.7.1",
                     secret_key="first-secret-key-for-this-test-0123456789")
    with TestClient(create_app(first)) as client:
        made = client.post("/api/v1/variables/", json={"name": "VARS_TEST_BOT", "value": "Robo", "type": kind,
                                                       "default_fields": []}, headers=headers)
        assert made.status_code == 201
        sender_name_from_variable(chat_flow, "VARS_TEST_BOT")
        flow_id = create_flow(client, headers, chat_flow)["id"]
        assert first_result(run(client, headers, flow_id, {"input_value": "hi"}).json())[
            "results"]["message"]["sender_name"] == "Robo"
    monkeypatch.setenv("VARS_TEST_BOT", "Env")
    second = first.model_copy(update={"secret_key": "other-secret-key-for-this-test-0123456789"})
    with TestClient(create_app(second)) as client:
        response = run(client, headers, flow_id, {"input_value": "hi"})
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "Error running graph: Error building Component Chat Output: \n\n")


def test_a_variable_emptied_by_its_patch_fills_an_empty_field_in_1_7_1(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """1.7.1's PATCH without a value stores an encrypted empty text; a run decrypts it to "" and fills the field
    with it (a Generic variable too): no fallback to the environment variable of that name."""
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/variables/", json={"name": "VARS_TEST_BOT", "value": "Robo", "type": "Generic",
                                                   "default_fields": []}, headers=headers).json()
    emptied = client.patch(f"/api/v1/variables/{made['id']}", json={"id": made["id"]}, headers=headers)
    assert emptied.status_code == 200
    monkeypatch.setenv("VARS_TEST_BOT", "Env")
    sender_name_from_variable(chat_flow, "VARS_TEST_BOT")
    response = run(client, headers, create_flow(client, headers, chat_flow)["id"], {"input_value": "hi"})
    assert response.status_code == 200
    assert first_result(response.json())["results"]["message"]["sender_name"] == ""


PYDANTIC_TAIL = "\n    For further information visit https://errors.pydantic.dev/2.13/v/"


@pytest.mark.parametrize(("input_type", "reason"), [
    ("BoolInput", "1 validation error for BoolInput\nvalue\n  Value error, Value must be a boolean [type=value_error, "
                  "input_value=None, input_type=NoneType]" + PYDANTIC_TAIL + "value_error"),
    ("DictInput", "1 validation error for DictInput\nvalue\n  Input should be a valid dictionary [type=dict_type, "
                  "input_value=SecretStr('**********'), input_type=SecretStr]" + PYDANTIC_TAIL + "dict_type"),
    ("ToolsInput", "1 validation error for ToolsInput\nvalue\n  Input should be a valid list [type=list_type, "
                   "input_value=SecretStr('**********'), input_type=SecretStr]" + PYDANTIC_TAIL + "list_type"),
    ("TabInput", "TabInput value must be a string. Got SecretStr."),
], ids=["bool", "dict", "tools", "tab"])
def test_a_credential_variable_in_a_field_of_another_type_fails_the_run_in_1_13(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], input_type: str, reason: str) -> None:
    """A Credential reaches the component as a secret, which a boolean (Chat Output's Store Messages), dict,
    tools or tab input refuses as not of its type: the /run fails with that input's error."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/variables/", json={"name": "STORE_FLAG", "value": "true", "type": "Credential",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["should_store_message"].update(
        {"value": "STORE_FLAG", "load_from_db": True, "_input_type": input_type})
    response = run(client, headers, create_flow(client, headers, chat_flow)["id"], {"input_value": "hi"})
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        f"Error running graph: Error building Component Chat Output: \n\n{reason}")


def test_output_vertices_are_told_by_type_or_id_prefix_or_the_nodes_flag(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """Langflow counts a vertex as an output when its type or the id before its first "-" is ChatOutput,
    DataOutput or TextOutput, or its node says `is_output`: a custom "MyChatOutput" is none, so a /run lists no
    output for it, unless its node is flagged."""
    renamed = json.loads(json.dumps(chat_flow).replace("ChatOutput-eF2gH", "Reply-eF2gH"))
    node = next(n for n in renamed["data"]["nodes"] if n["id"] == "Reply-eF2gH")
    node["data"]["type"] = "MyChatOutput"
    plain = create_flow(client, key_headers, {**renamed, "name": "Plain"})
    assert run(client, key_headers, plain["id"], {"input_value": "hi"}).json()["outputs"][0]["outputs"] == []
    node["data"]["node"]["is_output"] = True
    flagged = create_flow(client, key_headers, {**renamed, "name": "Flagged"})
    outputs = run(client, key_headers, flagged["id"], {"input_value": "hi"}).json()["outputs"][0]["outputs"]
    assert [o["component_id"] for o in outputs] == ["Reply-eF2gH"]
    data_output = json.loads(json.dumps(chat_flow).replace("ChatOutput-eF2gH", "DataOutput-eF2gH"))
    next(n for n in data_output["data"]["nodes"] if n["id"] == "DataOutput-eF2gH")["data"]["type"] = "DataOutput"
    flow = create_flow(client, key_headers, {**data_output, "name": "Data"})
    outputs = run(client, key_headers, flow["id"], {"input_value": "hi", "output_type": "any"}).json()
    assert [o["component_id"] for o in outputs["outputs"][0]["outputs"]] == ["DataOutput-eF2gH"]


@pytest.mark.parametrize(("version", "shown"), [("1.13", "**********"), ("1.8", "Robo")])
def test_a_prompt_variable_loading_a_credential_shows_it_masked_in_1_13(
        make_client: Callable[..., TestClient], version: str, shown: str) -> None:
    """1.13: a prompt's own variable field (no declared input type) loading a Credential variable gets the secret
    wrapped, and the prompt fills in its masked text; 1.8 fills in the decrypted value."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/variables/", json={"name": "GUEST", "value": "Robo", "type": "Credential",
                                                   "default_fields": []}, headers=headers)
    assert made.status_code == 201
    body = json.loads((Path(__file__).parent.parent / "data" / "flow_prompt_chain.json").read_text())
    body["data"]["edges"] = [e for e in body["data"]["edges"] if e["data"]["targetHandle"]["fieldName"] != "name"]
    # without its Chat Input (one left unconnected would be the only vertex the run builds)
    body["data"]["nodes"] = [n for n in body["data"]["nodes"] if n["id"] != "ChatInput-4N48B"]
    prompt = next(n for n in body["data"]["nodes"] if n["id"] == "PromptTemplate-nQ9Nx")
    field = prompt["data"]["node"]["template"]["name"]
    field.pop("_input_type", None)
    field.update({"value": "GUEST", "load_from_db": True})
    response = run(client, headers, create_flow(client, headers, body)["id"], {"input_value": "Ada"})
    assert reply_text(response) == f"Greetings, {shown}!"


def _with_stray_output(chat_flow: dict[str, Any]) -> dict[str, Any]:
    """The Chat Input -> Chat Output flow plus a second Chat Output that nothing feeds."""
    body = copy.deepcopy(chat_flow)
    stray = copy.deepcopy(next(n for n in body["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH"))
    stray["id"] = stray["data"]["id"] = "ChatOutput-zZ9yX"
    stray["data"]["node"]["template"]["input_value"]["value"] = "stray text"
    body["data"]["nodes"].append(stray)
    return body


def test_a_run_builds_only_what_its_chat_input_leads_to(client: TestClient, key_headers: dict[str, str],
                                                         chat_flow: dict[str, Any]) -> None:
    """Langflow's graph starts a run at its Chat Input and keeps what that reaches and what those depend on: an
    output vertex nothing connects to it is never built, so it is no output, stores no message, logs nothing."""
    flow = create_flow(client, key_headers, _with_stray_output(chat_flow))
    response = run(client, key_headers, flow["id"], {"input_value": "hi", "output_type": "any"})
    assert response.status_code == 200
    assert [o["component_id"] for o in response.json()["outputs"][0]["outputs"]] == ["ChatOutput-eF2gH"]
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=key_headers).json()
    assert sorted((m["sender"], m["text"]) for m in messages) == [("Machine", "hi"), ("User", "hi")]
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"]}, headers=key_headers).json()
    assert sorted(t["vertex_id"] for t in logged["items"]) == ["ChatInput-aB1cD", "ChatOutput-eF2gH"]


def test_a_run_starts_at_a_webhook_before_a_chat_input(client: TestClient, key_headers: dict[str, str],
                                                        chat_flow: dict[str, Any],
                                                        webhook_flow: dict[str, Any]) -> None:
    """With both in one flow, the run starts from the Webhook: the Chat Input's branch is not built."""
    body = copy.deepcopy(webhook_flow)
    body["data"]["nodes"] += chat_flow["data"]["nodes"]
    body["data"]["edges"] += chat_flow["data"]["edges"]
    flow = create_flow(client, key_headers, body)
    response = run(client, key_headers, flow["id"], {"input_value": "hi", "output_type": "any"})
    assert response.status_code == 200
    ids = [o["component_id"] for o in response.json()["outputs"][0]["outputs"]]
    assert ids == [n["id"] for n in webhook_flow["data"]["nodes"] if n["id"].startswith("ChatOutput")]


def test_an_escaped_newline_in_a_text_field_reaches_the_component_as_a_newline(
        client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    """Langflow's parameter handler turns the text `\\n` of a str field into a newline before the component runs;
    the request's own input_value is handed over as it is."""
    tweaks = {"ChatOutput-eF2gH": {"sender_name": "A\\nB"}}
    response = run(client, key_headers, flow["id"], {"input_value": "x\\ny", "tweaks": tweaks})
    assert response.status_code == 200
    message = first_result(response.json())["results"]["message"]
    assert (message["sender_name"], message["text"]) == ("A\nB", "x\\ny")
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=key_headers).json()
    assert sorted(m["sender_name"] for m in messages) == ["A\nB", "User"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_hidden_field_keeps_the_components_own_default(make_client: Any, chat_flow: dict[str, Any],
                                                         version: str) -> None:
    """lfx's parameter handler skips a field whose `show` is false: neither its stored value nor a /run tweak of
    it reaches the component, which keeps its own default (Chat Output's sender name "AI"), and a global
    variable it names is never loaded, so one the user does not hold fails nothing."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    template = output["data"]["node"]["template"]
    template["sender_name"].update({"value": "Bot", "show": False})
    template["sender"].update({"value": "NO_SUCH_VARIABLE", "load_from_db": True, "show": False})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    for tweaks in ({}, {"ChatOutput-eF2gH": {"sender_name": "Tweaked"}}):
        response = run(client, headers, flow_id, {"input_value": "hi", "tweaks": tweaks})
        assert response.status_code == 200, response.text
        message = first_result(response.json())["results"]["message"]
        assert (message["sender"], message["sender_name"]) == ("Machine", "AI")


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_hidden_field_the_run_sets_loads_no_global_variable(make_client: Any, chat_flow: dict[str, Any],
                                                              version: str) -> None:
    """The run writes its input onto the Chat Input's input_value whatever `show` says, but lfx's parameter handler
    lists only the shown fields that load a global variable: a hidden one that loads one keeps the run's text as
    it is, in every release (1.7.1, which fails a vertex whose variable is not found, fails nothing)."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    chat_input = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")
    chat_input["data"]["node"]["template"]["input_value"].update({"load_from_db": True, "show": False})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    response = run(client, headers, flow_id, {"input_value": "NO_SUCH_VARIABLE"})
    assert response.status_code == 200, response.text
    assert first_result(response.json())["results"]["message"]["text"] == "NO_SUCH_VARIABLE"


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_hidden_session_id_is_not_given_the_runs_session(make_client: Any, chat_flow: dict[str, Any],
                                                           version: str) -> None:
    """A run hands its session to each vertex's session_id only where the vertex has that parameter (lfx's
    update_raw_params without overwrite drops the others): a hidden Session ID field gets none, so its
    transaction's inputs have no session_id, while the shown one's logs the run's session."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["session_id"].update({"show": False})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    response = run(client, headers, flow_id, {"input_value": "hi", "session_id": "s-hidden"})
    assert response.status_code == 200, response.text
    assert first_result(response.json())["results"]["message"]["session_id"] == "s-hidden"
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    inputs = {t["vertex_id"]: t["inputs"] for t in logged["items"]}
    assert inputs["ChatInput-aB1cD"]["session_id"] == "s-hidden"
    assert "session_id" not in inputs["ChatOutput-eF2gH"]


def _unknown_target(graph: dict[str, Any]) -> None:
    graph["edges"][0]["target"] = "Nope-1"


def _node_without_id(graph: dict[str, Any]) -> None:
    del graph["nodes"][1]["id"]


def _bare_edges(graph: dict[str, Any]) -> None:
    graph["edges"] = [{"source": e["source"], "target": e["target"]} for e in graph["edges"]]


def _no_nodes(graph: dict[str, Any]) -> None:
    graph.clear()  # stored as {} (a flow must have nodes only when its data is not empty)


GRAPH_KEY = "Error while creating graph from payload: '{}'"


@pytest.mark.parametrize(("version", "damage", "status", "detail"), [
    ("1.13.0", _unknown_target, 404, "Vertex Nope-1 not found"),
    ("1.13.0", _node_without_id, 500, GRAPH_KEY.format("id")),
    ("1.13.0", _no_nodes, 500, errors.TWEAKS_WITHOUT_NODES),
    ("1.8", _unknown_target, 404, "Vertex Nope-1 not found"),
    ("1.8", _bare_edges, 500, GRAPH_KEY.format("data")),
    ("1.7.1", _no_nodes, 500, errors.TWEAKS_WITHOUT_NODES),
])
def test_a_run_of_a_graph_lacking_a_part_fails_before_any_vertex(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str,
        damage: Callable[[dict[str, Any]], None], status: int, detail: str) -> None:
    """/run hands the stored graph to lfx's process_tweaks (a TypeError without a list of nodes), then to
    Graph.from_payload (a missing key's rewrapped KeyError, an edge naming no node "Vertex <id> not found"): the
    run's ValueError handler makes a text with "not found" a 404, anything else the 500 of a failed run. Nothing
    runs, so no message is stored; a stream gets the text as its error event (1.7.1: ends empty). The mock used to
    run such graphs."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    damage(chat_flow["data"])
    flow_id = create_flow(client, headers, chat_flow)["id"]
    body = {"input_value": "hi", "session_id": "s1"}
    response = run(client, headers, flow_id, body)
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": detail}
    else:
        assert json.loads(response.json()["detail"])["message"] == detail
    streamed = run(client, headers, flow_id, body, params={"stream": "true"})
    assert streamed.status_code == 200
    if version == "1.7.1":  # its failed stream ends empty (profile run.stream_errors)
        assert streamed.text == ""
    else:
        assert blocks(streamed.text) == [{"event": "error", "data": {"error": detail}}]
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []


@pytest.mark.parametrize("version", ["1.13.0", "1.8", "1.7.1"])
def test_an_advanced_run_of_a_graph_lacking_a_part_is_a_500_with_the_text(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    """/run/advanced builds the graph once, in a try whose every error is a 500 with the text as its detail (an
    edge naming no node too: no 404 there)."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    _unknown_target(chat_flow["data"])
    flow_id = create_flow(client, headers, chat_flow)["id"]
    response = client.post(f"/api/v1/run/advanced/{flow_id}", json={"inputs": [{"input_value": "a"}]},
                           headers=headers)
    assert (response.status_code, response.json()) == (500, {"detail": "Vertex Nope-1 not found"})
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []


def _sender_name(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    node = next(n for n in data["nodes"] if n["id"] == node_id)
    entry: dict[str, Any] = node["data"]["node"]["template"]["sender_name"]
    return entry


def test_a_run_after_an_edit_runs_the_edited_graph(client: TestClient, key_headers: dict[str, str],
                                                  flow: dict[str, Any]) -> None:
    """Runs of a flow reuse the graph parsed for the one before while the flow is unchanged (engine/graph.py
    run_graph); an edit, and an edit back, is what the next run sees."""
    def sender_name() -> str:
        response = run(client, key_headers, flow["id"], {"input_value": "hi"})
        assert response.status_code == 200, response.text
        name: str = first_result(response.json())["results"]["message"]["sender_name"]
        return name

    assert sender_name() == "AI"
    edited = copy.deepcopy(flow["data"])
    _sender_name(edited, "ChatOutput-eF2gH")["value"] = "Edited"
    assert client.patch(f"/api/v1/flows/{flow['id']}", json={"data": edited}, headers=key_headers).status_code == 200
    assert sender_name() == "Edited"
    assert sender_name() == "Edited"
    assert client.patch(f"/api/v1/flows/{flow['id']}", json={"data": flow["data"]},
                        headers=key_headers).status_code == 200
    assert sender_name() == "AI"


def test_a_run_s_tweaks_stay_out_of_the_next_run(client: TestClient, key_headers: dict[str, str],
                                                 flow: dict[str, Any]) -> None:
    """What one run sets on its graph (tweaks, its input) is its own: the next run of the same flow starts from the
    stored graph."""
    tweaked = run(client, key_headers, flow["id"],
                  {"input_value": "first", "tweaks": {"ChatOutput-eF2gH": {"sender_name": "Tweaked"}}})
    assert first_result(tweaked.json())["results"]["message"]["sender_name"] == "Tweaked"
    plain = run(client, key_headers, flow["id"], {})
    message = first_result(plain.json())["results"]["message"]
    assert (message["sender_name"], message["text"]) == ("AI", "")


def test_a_chat_message_that_is_not_stored_has_no_id_run_or_session_metadata(
        client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    """A Chat Output told not to store its message (should_store_message off) answers with the Message as the
    component made it: no id, run_id and session_metadata null, its data's fields in the order the component set
    them; nothing is stored or announced. A stored one keeps its id, run and metadata."""
    tweaks = {"ChatOutput-eF2gH": {"should_store_message": False}}
    answer = run(client, key_headers, flow["id"], {"input_value": "hi", "session_id": "keep-out", "tweaks": tweaks})
    message = first_result(answer.json())["results"]["message"]
    assert list(message["data"]) == ["text", "files", "sender", "sender_name", "session_id", "context_id", "run_id",
                                     "timestamp", "flow_id", "error", "edit", "properties", "category",
                                     "content_blocks", "duration", "session_metadata"]
    assert (message["data"]["run_id"], message["data"]["session_metadata"], message["run_id"],
            message["session_metadata"], message["text"]) == (None, None, None, None, "hi")
    stored = client.get("/api/v1/monitor/messages", params={"session_id": "keep-out"}, headers=key_headers).json()
    assert [m["sender"] for m in stored] == ["User"]
    streamed = blocks(run(client, key_headers, flow["id"], {"input_value": "hi", "tweaks": tweaks},
                          params={"stream": "true"}).text)
    assert [e["event"] for e in streamed] == ["add_message", "end"]
    kept = first_result(run(client, key_headers, flow["id"], {"input_value": "hi"}).json())["results"]["message"]
    assert kept["data"]["id"] and kept["run_id"] == kept["session_metadata"]["graph_run_id"]


@pytest.mark.parametrize(("tweak", "sender_name"), [
    (None, "Robo"), ("Literal", "Literal"), ({"value": "Lit2"}, "Lit2"),
    ({"value": "BOTNAME", "load_from_db": True}, "Robo"), ({"a": 1}, "BOTNAME"), (5, "AI"), ({"value": 7}, "AI")])
def test_a_sync_tweak_of_a_field_that_loads_a_variable_is_written_as_lfx_writes_it(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any], tweak: Any,
        sender_name: str) -> None:
    """A /run's tweak goes into the flow's data as lfx's apply_tweaks writes it (each case seen on a live 1.13): a
    value replaces the field's and stops it loading the variable it named; an object's keys go onto the field (its
    "value" the value; load_from_db off unless it says so, so {"a": 1} leaves the variable's name as the text); a
    str field given a number makes no parameter, so the component's default stands."""
    made = client.post("/api/v1/variables/", json={"name": "BOTNAME", "value": "Robo", "type": "Generic",
                                                   "default_fields": []}, headers=key_headers)
    assert made.status_code == 201
    sender_name_from_variable(chat_flow, "BOTNAME")
    flow_id = create_flow(client, key_headers, chat_flow)["id"]
    body: dict[str, Any] = {"input_value": "hi"}
    if tweak is not None:
        body["tweaks"] = {"ChatOutput-eF2gH": {"sender_name": tweak}}
    answer = run(client, key_headers, flow_id, body)
    assert answer.status_code == 200, answer.text
    assert first_result(answer.json())["results"]["message"]["sender_name"] == sender_name


@pytest.mark.parametrize(("tweak", "text"), [(5, ""), (True, ""), ({"a": 1}, ""), ({"value": "zz"}, "zz"),
                                             (None, ""), ("tw", "tw")])
def test_a_sync_tweak_of_the_chat_inputs_text_without_an_input_value(
        client: TestClient, key_headers: dict[str, str], flow: dict[str, Any], tweak: Any, text: str) -> None:
    """With no input_value a /run's tweak sets the Chat Input's text; one that is no text makes no parameter and
    the text is empty (live 1.13), where a stream or background v2 run hands the vertex the value as sent."""
    answer = run(client, key_headers, flow["id"], {"session_id": "t", "tweaks": {"ChatInput-aB1cD": {
        "input_value": tweak}}})
    assert answer.status_code == 200, answer.text
    assert first_result(answer.json())["results"]["message"]["text"] == text


def test_the_machines_chat_response_has_markdown_line_breaks(
        client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    """lfx's ChatOutputResponse makes a message the machine sends markdown's: a run of two line breaks one, then
    every one two, in the vertex's artifacts and `messages` (live 1.13); the message itself, and a User's, keep
    the text as sent."""
    text = "a\nb\n\nc\n\n\nd"
    answer = run(client, key_headers, flow["id"], {"input_value": text, "output_type": "debug"}).json()
    shown = {o["component_id"]: (o["artifacts"]["message"], o["messages"][0]["message"],
                                 o["results"]["message"]["text"]) for o in answer["outputs"][0]["outputs"]}
    assert shown == {"ChatInput-aB1cD": (text, text, text),
                     "ChatOutput-eF2gH": ("a\n\nb\n\nc\n\n\n\nd", "a\n\nb\n\nc\n\n\n\nd", text)}


def text_flow() -> dict[str, Any]:
    """Text Input ("hello text") -> Text Output, as their nodes name their fields and outputs."""
    def node(kind: str, node_id: str, value: str = "") -> dict[str, Any]:
        return {"id": node_id, "type": "genericNode", "position": {"x": 0, "y": 0}, "data": {
            "id": node_id, "type": kind, "node": {
                "display_name": kind.replace("Text", "Text "), "base_classes": ["Message"],
                "template": {"_type": "Component",
                             "input_value": {"name": "input_value", "type": "str", "value": value, "show": True,
                                             "input_types": ["Message"], "_input_type": "MultilineInput"}},
                "outputs": [{"name": "text", "types": ["Message"], "method": "text_response"}]}}}
    source = {"dataType": "TextInput", "id": "TextInput-aaaaa", "name": "text", "output_types": ["Message"]}
    target = {"fieldName": "input_value", "id": "TextOutput-bbbbb", "inputTypes": ["Message"], "type": "str"}
    edge = {"source": "TextInput-aaaaa", "target": "TextOutput-bbbbb", "id": "e-text",
            "sourceHandle": json.dumps(source).replace('"', "œ"), "targetHandle": json.dumps(target).replace('"', "œ"),
            "data": {"sourceHandle": source, "targetHandle": target}}
    return {"name": "Text flow", "data": {"nodes": [node("TextInput", "TextInput-aaaaa", "hello text"),
                                                    node("TextOutput", "TextOutput-bbbbb")], "edges": [edge]}}


def test_text_components_show_their_vertices_as_lfx_does(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """Text Input and Output are interface vertices (as every release's lfx has them): their result is the
    Message(text=...) they make (no sender, no session, never stored), their artifacts one entry per output
    (Text Input's repr the Message's JSON dump, Text Output's the text), and an output named "text" is listed in
    `messages` as a ChatOutputResponse with the response's defaults (each seen on a live 1.13)."""
    flow_id = create_flow(client, key_headers, text_flow())["id"]
    outputs = run(client, key_headers, flow_id, {"output_type": "debug", "session_id": "t"}).json()[
        "outputs"][0]["outputs"]
    made, shown = outputs[0], outputs[1]
    message = made["results"]["text"]
    assert (message["text"], message["sender"], message["session_id"], message["run_id"]) == (
        "hello text", None, "", None)
    assert list(message["data"])[:6] == ["text", "files", "sender", "sender_name", "session_id", "context_id"]
    assert made["artifacts"] == {"text": {"repr": json.dumps(message["data"], indent=4), "raw": "hello text",
                                          "type": "text"}}
    assert shown["artifacts"] == {"text": {"repr": "hello text", "raw": "hello text", "type": "text"}}
    assert shown["messages"] == [{"message": "hello text", "sender": "Machine", "sender_name": "AI", "session_id": "",
                                  "stream_url": None, "component_id": "TextOutput-bbbbb", "files": [],
                                  "type": "text"}]
    assert client.get("/api/v1/monitor/messages", params={"session_id": "t"}, headers=key_headers).json() == []
    built = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"}, json={},
                        headers=key_headers).text
    params = [json.loads(line)["data"]["build_data"]["params"] for line in built.split("\n\n") if line.strip()
              and json.loads(line)["event"] == "end_vertex"]
    assert params[1] == "- Text:\n    raw: hello text\n    repr: hello text\n    type: text\n"


def test_a_webhook_without_data_shows_its_status_as_its_artifacts_repr(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """A Webhook that gets no payload (a /run of its flow) makes empty Data: its result is that Data's dump, its
    artifact's repr the component's status, "No data provided.", typed as text."""
    flow = json.loads((Path(__file__).parents[1] / "data" / "flow_webhook.json").read_text())
    flow_id = create_flow(client, key_headers, flow)["id"]
    hook = first_result(run(client, key_headers, flow_id, {"output_type": "debug", "input_value": "x"}).json())
    assert hook["component_id"] == "Webhook-iJ3kL"
    assert (hook["results"], hook["artifacts"]) == (
        {"output_data": {"text_key": "text", "data": {}, "default_value": ""}},
        {"output_data": {"repr": "No data provided.", "raw": {}, "type": "text"}})


@pytest.mark.parametrize("typed", [False, True])
def test_a_webhook_given_an_empty_object_shows_that_data_as_its_status(
        client: TestClient, key_headers: dict[str, str], typed: bool) -> None:
    """A Webhook whose data text is "{}" (posted to the webhook endpoint, or typed in the node) reads it: its status,
    which its vertex build's artifact shows, is that empty Data, not "No data provided." (a live 1.13.0's)."""
    flow = json.loads((Path(__file__).parents[1] / "data" / "flow_webhook.json").read_text())
    if typed:
        hook = next(n for n in flow["data"]["nodes"] if n["data"]["type"] == "Webhook")
        hook["data"]["node"]["template"]["data"]["value"] = "{}"
    flow_id = create_flow(client, key_headers, flow)["id"]
    if typed:
        assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": "x"}, headers=key_headers).status_code == 200
    else:
        assert client.post(f"/api/v1/webhook/{flow_id}", json={}, headers=key_headers).status_code == 202
    for _ in range(500):  # (a webhook's flow runs after its 202)
        builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=key_headers).json()
        if builds["vertex_builds"].get("Webhook-iJ3kL"):
            break
    assert builds["vertex_builds"]["Webhook-iJ3kL"][0]["artifacts"] == {
        "output_data": {"repr": "{}", "raw": {}, "type": "object"}}
