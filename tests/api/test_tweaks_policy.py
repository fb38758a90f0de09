"""1.13's LANGFLOW_TWEAKS_POLICY: what a run's tweaks may set beyond the protected fields ("permissive", the
default), only the fields a flow marks api_editable ("declared"), or nothing ("off")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from mock_langflow import Settings, errors
from tests.api.test_mcp import call, mcp_flow, project_id
from tests.api.test_run import blocks, run
from tests.api.test_webhook import stored_texts, webhook_then_settle
from tests.api.test_workflows import WF, sse
from tests.conftest import create_flow, new_api_key

CHAT_INPUT = "ChatInput-aB1cD"
OFF = "This deployment does not accept tweaks."
DECLARED = "This flow declares which fields the API may set. Only fields marked editable via API accept a tweak."
PROTECTED = "The field is protected and keeps the value set by the flow author."


def refusal(fields: list[str], message: str) -> dict[str, Any]:
    return {"detail": {"error": "Refused tweaks", "code": "TWEAKS_REFUSED", "message": message, "fields": fields}}


def setup(make_client: Callable[..., TestClient], flow: dict[str, Any], **settings: Any
          ) -> tuple[TestClient, dict[str, str], str]:
    client = make_client(**settings)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, flow)["id"]


def marked(flow: dict[str, Any], *fields: str) -> dict[str, Any]:
    """The flow with these fields of its Chat Input marked editable via API (shown, not advanced: MCP offers them)."""
    template = flow["data"]["nodes"][0]["data"]["node"]["template"]
    for name in fields:
        template[name].update(api_editable=True, advanced=False)
    return flow


def test_off_refuses_every_tweak_while_input_value_and_session_id_still_run(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """Under "off" any field a node has is refused, a protected one with the same reason (the floor unnamed), by
    node id, display name or a flat key; a field no node has is skipped. /run, its stream and a sync v2 run."""
    client, headers, flow_id = setup(make_client, chat_flow, tweaks_policy="off")
    plain = run(client, headers, flow_id, {"input_value": "hi", "session_id": "s1"})
    assert (plain.status_code, plain.json()["session_id"]) == (200, "s1")
    assert plain.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"] == "hi"
    for tweaks, fields in (({CHAT_INPUT: {"sender_name": "Me"}}, ["sender_name"]),
                           ({"Chat Input": {"code": "x", "sender": "Me"}}, ["code", "sender"]),
                           ({"should_store_message": False}, ["should_store_message"])):
        answer = run(client, headers, flow_id, {"input_value": "hi", "tweaks": tweaks})
        assert (answer.status_code, answer.json()) == (422, refusal(fields, OFF))
    assert run(client, headers, flow_id, {"input_value": "hi", "tweaks": {"Nowhere-1": {"x": 1}}}).status_code == 200
    streamed = run(client, headers, flow_id, {"input_value": "hi", "tweaks": {CHAT_INPUT: {"sender_name": "Me"}}},
                   params={"stream": "true"})
    assert blocks(streamed.text) == [
        {"event": "error", "data": {"error": f"Refused tweak keys ['sender_name']: {OFF}"}}]
    v2 = client.post(WF, json={"flow_id": flow_id, "input_value": "hi", "tweaks": {CHAT_INPUT: {"sender": "Me"}}},
                     headers=headers)
    assert (v2.status_code, v2.json()) == (422, refusal(["sender"], OFF))
    assert client.post(WF, json={"flow_id": flow_id, "input_value": "hi"}, headers=headers).status_code == 200


def test_off_fails_a_v2_stream_after_it_is_accepted(make_client: Callable[..., TestClient],
                                                    chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, tweaks_policy="off")
    body = {"flow_id": flow_id, "input_value": "x", "mode": "stream", "tweaks": {CHAT_INPUT: {"sender_name": "Me"}}}
    stream = client.post(WF, json=body, headers=headers)
    assert stream.status_code == 200
    [(frame, _)] = sse(stream.text)
    assert (frame["event"], frame["data"]["text"]) == ("error", f"Refused tweak keys ['sender_name']: {OFF}\n")


def test_off_refuses_an_advanced_runs_inputs_aimed_at_components(make_client: Callable[..., TestClient],
                                                                chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, tweaks_policy="off")
    path = f"/api/v1/run/advanced/{flow_id}"
    aimed = client.post(path, json={"inputs": [{"components": [CHAT_INPUT, CHAT_INPUT], "input_value": "hi"}]},
                        headers=headers)
    assert (aimed.status_code, aimed.json()) == (
        422, refusal([CHAT_INPUT], "This deployment does not accept component-targeted inputs."))
    tweaked = client.post(path, json={"tweaks": {CHAT_INPUT: {"sender": "Me"}}}, headers=headers)
    assert (tweaked.status_code, tweaked.json()) == (422, refusal(["sender"], OFF))
    plain = client.post(path, json={"inputs": [{"input_value": "hi"}]}, headers=headers)
    assert plain.status_code == 200
    assert plain.json()["outputs"][0]["inputs"] == {"input_value": "hi"}


def test_off_refuses_a_builds_inputs_aimed_at_components_before_any_job(make_client: Callable[..., TestClient],
                                                                        chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, tweaks_policy="off")
    path = f"/api/v1/build/{flow_id}/flow"
    aimed = client.post(path, json={"inputs": {"components": [CHAT_INPUT], "input_value": "hi"}}, headers=headers)
    assert (aimed.status_code, aimed.json()) == (
        422, refusal([CHAT_INPUT], "This deployment does not accept component-targeted inputs."))
    started = client.post(path, json={"inputs": {"input_value": "hi"}}, headers=headers)
    assert (started.status_code, list(started.json())) == (200, ["job_id"])


def test_declared_lets_a_run_tweak_only_the_fields_its_flow_marks(make_client: Callable[..., TestClient],
                                                                 chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, marked(chat_flow, "sender_name"), tweaks_policy="declared")
    allowed = run(client, headers, flow_id, {"input_value": "hi", "tweaks": {CHAT_INPUT: {"sender_name": "Me"}}})
    assert allowed.status_code == 200
    assert allowed.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"] == "hi"
    refused = run(client, headers, flow_id, {"input_value": "hi", "tweaks": {
        CHAT_INPUT: {"sender_name": "Me", "sender": "AI"}, "ChatOutput-eF2gH": {"data_template": "{text}!"}}})
    assert (refused.status_code, refused.json()) == (422, refusal(["data_template", "sender"], DECLARED))
    v2 = client.post(WF, json={"flow_id": flow_id, "input_value": "hi", "tweaks": {CHAT_INPUT: {"sender": "AI"}}},
                     headers=headers)
    assert (v2.status_code, v2.json()) == (422, refusal(["sender"], DECLARED))


def test_declared_leaves_a_flow_marking_nothing_permissive(make_client: Callable[..., TestClient],
                                                           chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, tweaks_policy="declared")
    assert run(client, headers, flow_id, {"input_value": "hi", "tweaks": {CHAT_INPUT: {"sender": "AI"}}}
               ).status_code == 200
    code = run(client, headers, flow_id, {"input_value": "hi", "tweaks": {CHAT_INPUT: {"code": "x"}}})
    assert (code.status_code, code.json()) == (422, refusal(["code"], PROTECTED))  # the floor holds


def test_a_protected_and_an_unmarked_field_name_both_reasons(make_client: Callable[..., TestClient],
                                                             chat_flow: dict[str, Any]) -> None:
    """A marked code field is still protected: the floor comes first, and the reasons join in lfx's order."""
    client, headers, flow_id = setup(make_client, marked(chat_flow, "sender_name", "code"), tweaks_policy="declared")
    tweaks = {CHAT_INPUT: {"sender": "AI", "code": "x"}}
    answer = run(client, headers, flow_id, {"input_value": "hi", "tweaks": tweaks})
    assert (answer.status_code, answer.json()) == (422, refusal(["code", "sender"], f"{PROTECTED} {DECLARED}"))
    v2 = client.post(WF, json={"flow_id": flow_id, "input_value": "hi", "tweaks": tweaks}, headers=headers)
    assert (v2.status_code, v2.json()) == (422, refusal(["code", "sender"], f"{PROTECTED} {DECLARED}"))


def test_off_refuses_an_mcp_tools_extra_arguments(make_client: Callable[..., TestClient],
                                                  chat_flow: dict[str, Any]) -> None:
    """An MCP tool's arguments other than input_value and session_id are tweaks: the call fails under "off"."""
    client = make_client(tweaks_policy="off")
    headers = {"x-api-key": new_api_key(client)}
    flow = mcp_flow(client, headers, marked(chat_flow, "sender_name"), "echo")
    path = f"/api/v1/mcp/project/{project_id(client, headers)}/streamable"
    assert call(client, path, headers, "echo", input_value="hi", session_id="s") == {
        "content": [{"type": "text", "text": "hi"}], "isError": False}
    assert call(client, path, headers, "echo", input_value="hi", sender_name="Me") == {"content": [{
        "type": "text", "text": errors.mcp_tool_failed(flow["name"], f"Refused tweak keys ['sender_name']: {OFF}")}],
        "isError": True}


@pytest.mark.parametrize("policy", ["off", "declared"])
def test_a_webhooks_body_is_a_tweak_the_policy_may_refuse(make_client: Callable[..., TestClient],
                                                          webhook_flow: dict[str, Any], policy: str) -> None:
    """Langflow hands a webhook's body to its Webhook nodes as a tweak of their `data`: under "off", or "declared"
    with the field unmarked on a flow marking another, the run fails after the 202 and stores nothing."""
    webhook_flow["data"]["nodes"][1]["data"]["node"]["template"]["sender_name"]["api_editable"] = True
    client, headers, flow_id = setup(make_client, webhook_flow, tweaks_policy=policy)
    webhook_then_settle(client, headers, flow_id)
    assert client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json() == []
    permissive, headers, flow_id = setup(make_client, webhook_flow)
    assert permissive.post(f"/api/v1/webhook/{flow_id}", json={"n": 1}, headers=headers).status_code == 202
    assert stored_texts(permissive, headers, flow_id, 1) == ['```json\n{\n  "n": 1\n}\n```']


def test_before_1_13_the_setting_is_ignored(make_client: Callable[..., TestClient],
                                            chat_flow: dict[str, Any]) -> None:
    client, headers, flow_id = setup(make_client, chat_flow, langflow_version="1.8", tweaks_policy="off")
    assert run(client, headers, flow_id, {"input_value": "hi", "tweaks": {CHAT_INPUT: {"sender": "AI"}}}
               ).status_code == 200
    aimed = client.post(f"/api/v1/run/advanced/{flow_id}", headers=headers,
                        json={"inputs": [{"components": [CHAT_INPUT], "input_value": "hi"}]})
    assert aimed.status_code == 200


def test_the_setting_is_read_from_the_environment_and_refuses_other_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGFLOW_TWEAKS_POLICY", "declared")
    assert Settings().tweaks_policy == "declared"
    monkeypatch.setenv("LANGFLOW_TWEAKS_POLICY", "strict")
    with pytest.raises(ValidationError):
        Settings()
