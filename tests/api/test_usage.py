"""Token usage a scripted model reports (a rule's `usage`), as each release passes it on: lfx's
LCModelComponent.get_chat_result (the model's Message), ChatOutput.message_response (1.13: the upstream sum, stored
and announced again), the Agent's TokenUsageCallbackHandler (1.13) and a result's token_usage (1.13)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow.engine.scripts import ScriptError, parse_script
from tests.api.test_build import ndjson
from tests.api.test_run import blocks, first_result, script, streaming_flow
from tests.conftest import copy_of_example, create_flow, new_api_key

REPLY = 'rules:\n  - reply: "Sunny"\n    usage: {input_tokens: 12, output_tokens: 3}\n'
USAGE = {"input_tokens": 12, "output_tokens": 3, "total_tokens": 15}
MODEL, SECOND = "LanguageModelComponent-k80Em", "LanguageModelComponent-zZ9yY"


def usage_client(make_client: Callable[..., TestClient], tmp_path: Path, version: str,
                 text: str = REPLY) -> tuple[TestClient, dict[str, str]]:
    client = make_client(langflow_version=version, scripts=[script(tmp_path, text)], job_latency_ms=0)
    return client, {"x-api-key": new_api_key(client)}


def stream_run(client: TestClient, headers: dict[str, str], flow_id: str, session: str = "s") -> list[dict[str, Any]]:
    response = client.post(f"/api/v1/run/{flow_id}", params={"stream": "true"},
                           json={"input_value": "weather?", "session_id": session}, headers=headers)
    assert response.status_code == 200, response.text
    return blocks(response.text)


def announced(events: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    """Each add_message event's sender name, state and usage ("-": its properties have no usage)."""
    found = []
    for event in events:
        if event["event"] == "add_message":
            data = event["data"].get("data", event["data"])
            found.append((data["sender_name"], data["properties"]["state"], data["properties"].get("usage", "-")))
    return found


def stored_usage(client: TestClient, headers: dict[str, str], flow_id: str) -> list[Any]:
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    return [m["properties"].get("usage", "-") for m in stored]


@pytest.mark.parametrize(("version", "usage", "events"), [
    ("1.13.0", USAGE, [("User", "complete", None), ("AI", "complete", USAGE), ("AI", "complete", USAGE)]),
    ("1.8.4", USAGE, [("User", "complete", None), ("AI", "complete", USAGE)]),
    ("1.7.1", "-", [("User", "complete", "-"), ("AI", "complete", "-")]),
])
def test_a_models_reported_usage_reaches_the_chat_outputs_message(make_client: Callable[..., TestClient],
                                                                  tmp_path: Path, version: str, usage: Any,
                                                                  events: list[Any]) -> None:
    """The Chat Output takes over the model's Message, usage and all (1.8 on); 1.13's Chat Output then sets the
    upstream sum on it and announces it again; 1.7.1's messages have no usage."""
    client, headers = usage_client(make_client, tmp_path, version)
    flow_id = copy_of_example(client, headers, "Basic Prompting")["id"]
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?", "session_id": "s"},
                         headers=headers).json()
    assert first_result(answer)["results"]["message"]["properties"].get("usage", "-") == usage
    assert announced(stream_run(client, headers, flow_id, "t")) == events
    assert stored_usage(client, headers, flow_id) == [None if usage == USAGE else "-", usage] * 2


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_without_usage_in_the_rule_the_model_reports_none(make_client: Callable[..., TestClient], tmp_path: Path,
                                                          version: str) -> None:
    client, headers = usage_client(make_client, tmp_path, version, 'rules:\n  - reply: "Sunny"\n')
    flow_id = copy_of_example(client, headers, "Basic Prompting")["id"]
    assert announced(stream_run(client, headers, flow_id)) == [("User", "complete", None), ("AI", "complete", None)]
    assert stored_usage(client, headers, flow_id) == [None, None]


def two_models(client: TestClient, headers: dict[str, str]) -> str:
    """Basic Prompting with a second model between the first and the Chat Output."""
    data = copy.deepcopy(copy_of_example(client, headers, "Basic Prompting")["data"])
    model = next(n for n in data["nodes"] if n["id"] == MODEL)
    data["nodes"].append(json.loads(json.dumps(model).replace(MODEL, SECOND)))
    into_output = next(e for e in data["edges"] if e["source"] == MODEL and e["target"].startswith("ChatOutput"))
    output_id = into_output["target"]
    data["edges"].remove(into_output)
    data["edges"] += [json.loads(json.dumps(into_output).replace(output_id, SECOND)),
                      json.loads(json.dumps(into_output).replace(MODEL, SECOND))]
    return str(create_flow(client, headers, {"name": "Two models", "data": data})["id"])


TWO_RULES = (f'rules:\n  - match: {{component: {MODEL}}}\n    reply: "first"\n'
             '    usage: {input_tokens: 10, output_tokens: 2}\n'
             f'  - match: {{component: {SECOND}}}\n    reply: "second"\n'
             '    usage: {input_tokens: 5, output_tokens: 1}\n')
FIRST_USAGE = {"input_tokens": 10, "output_tokens": 2, "total_tokens": 12}
SECOND_USAGE = {"input_tokens": 5, "output_tokens": 1, "total_tokens": 6}
SUM = {"input_tokens": 15, "output_tokens": 3, "total_tokens": 18}


@pytest.mark.parametrize(("version", "events", "stored"), [
    ("1.13.0", [("User", "complete", None), ("AI", "complete", SECOND_USAGE), ("AI", "complete", SUM)], SUM),
    ("1.8.4", [("User", "complete", None), ("AI", "complete", SECOND_USAGE)], SECOND_USAGE),
])
def test_1_13s_chat_output_sums_the_usage_of_every_model_upstream(make_client: Callable[..., TestClient],
                                                                  tmp_path: Path, version: str, events: list[Any],
                                                                  stored: dict[str, int]) -> None:
    client, headers = usage_client(make_client, tmp_path, version, TWO_RULES)
    flow_id = two_models(client, headers)
    assert announced(stream_run(client, headers, flow_id)) == events
    assert stored_usage(client, headers, flow_id) == [None, stored]
    answer = client.post("/api/v1/responses", json={"model": flow_id, "input": "weather?"}, headers=headers).json()
    assert (answer["output"][-1]["content"][0]["text"], answer["usage"]) == ("second", stored)
    calls = client.get("/_mock/llm-calls", params={"flow": flow_id}, headers=headers).json()["calls"]
    assert [(c["component_id"], c["usage"]) for c in calls[:2]] == [(MODEL, FIRST_USAGE), (SECOND, SECOND_USAGE)]


@pytest.mark.parametrize(("version", "model_usage"), [("1.13.0", FIRST_USAGE), ("1.8.4", "-")])
def test_1_13_build_data_carries_each_models_own_token_usage(make_client: Callable[..., TestClient], tmp_path: Path,
                                                             version: str, model_usage: Any) -> None:
    """A model's result shows its own usage; the Chat Output's (an output vertex) none, its message the sum."""
    client, headers = usage_client(make_client, tmp_path, version, TWO_RULES)
    flow_id = two_models(client, headers)
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "weather?"}}, headers=headers)
    built = {e["data"]["build_data"]["id"]: e["data"]["build_data"]["data"].get("token_usage", "-")
             for e in ndjson(response.text) if e["event"] == "end_vertex"}
    second = SECOND_USAGE if model_usage != "-" else "-"
    output = next(v for v in built if v.startswith("ChatOutput"))
    assert (built[MODEL], built[SECOND], built[output]) == (model_usage, second, None if second != "-" else "-")
    answer = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "weather?", "output_component": SECOND},
                         headers=headers).json()
    assert first_result(answer).get("token_usage", "-") == second


@pytest.mark.parametrize(("version", "events", "stored"), [
    ("1.13.0", [("AI", "complete", None), ("AI", "complete", USAGE), ("AI", "complete", USAGE),
                ("AI", "complete", USAGE)], USAGE),
    ("1.8.4", [("AI", "complete", None), ("AI", "complete", None)], None),
])
def test_a_1_13_agent_reports_its_usage_and_announces_it(make_client: Callable[..., TestClient], tmp_path: Path,
                                                         version: str, events: list[Any], stored: Any) -> None:
    """1.13's Agent sets its model calls' usage on its stored message and announces it again; the Chat Output
    takes that message over, then sets the upstream sum and announces it once more. 1.8's Agent reports none."""
    client, headers = usage_client(make_client, tmp_path, version)
    flow_id = copy_of_example(client, headers, "Simple Agent")["id"]
    completed = [m for m in announced(stream_run(client, headers, flow_id)) if m[1] == "complete" and m[0] != "User"]
    assert completed == events
    assert stored_usage(client, headers, flow_id) == [None, stored]
    answer = client.post("/api/v1/responses", json={"model": flow_id, "input": "weather?"}, headers=headers).json()
    assert answer["usage"] == stored


@pytest.mark.parametrize(("version", "usage"), [("1.13.0", USAGE), ("1.8.4", USAGE)])
def test_a_streamed_replys_stored_message_keeps_the_usage(make_client: Callable[..., TestClient], tmp_path: Path,
                                                          version: str, usage: Any) -> None:
    client, headers = usage_client(make_client, tmp_path, version)
    flow_id = streaming_flow(client, headers)["id"]
    events = stream_run(client, headers, flow_id)
    assert "".join(e["data"]["chunk"] for e in events if e["event"] == "token") == "Sunny"
    assert stored_usage(client, headers, flow_id) == [None, usage]
    # announced complete as the stream ends, with the usage (1.8: the only event that shows it)
    complete = [e["data"] for e in events if e["event"] == "add_message"
                and e["data"]["properties"]["state"] == "complete" and e["data"]["sender"] == "Machine"]
    assert complete and complete[0]["text"] == "Sunny" and complete[0]["properties"]["usage"] == usage
    end = next(e for e in events if e["event"] == "end")
    assert first_result(end["data"]["result"])["results"]["message"]["properties"]["usage"] == usage


@pytest.mark.parametrize(("rule", "problem"), [
    ('{"reply": "x", "usage": {"input_tokens": -1, "output_tokens": 2}}',
     "usage.input_tokens: Input should be greater than or equal to 0"),
    ('{"reply": "x", "usage": {"input_tokens": 1}}', "usage.output_tokens: Field required"),
    ('{"reply": "x", "usage": {"input_tokens": "1", "output_tokens": 2}}',
     "usage.input_tokens: Input should be a valid integer"),
    ('{"reply": "x", "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3}}',
     "usage.total_tokens: Extra inputs are not permitted"),
    ('{"error": "x", "usage": {"input_tokens": 1, "output_tokens": 2}}',
     "rule: usage comes with a reply (reply or replies): a call that fails reports none"),
])
def test_a_bad_usage_is_refused_with_what_is_wrong(make_client: Callable[..., TestClient], rule: str,
                                                   problem: str) -> None:
    with pytest.raises(ScriptError) as raised:
        parse_script(f'{{"rules": [{rule}]}}', source="<t>")
    assert str(raised.value) == f"<t>, line 1: {problem}"
    client = make_client()
    response = client.post("/_mock/scripts", content=f'{{"rules": [{rule}]}}',
                           headers={"x-api-key": new_api_key(client)})
    assert response.status_code == 422
    assert problem in response.text
