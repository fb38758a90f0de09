"""What a Language Model's vertex shows once it answered, as a live 1.13.0 showed it with a provider on loopback:
the model name its selection chooses as the Chat Output message's source, its Message's JSON dump as its artifact,
and its model object output listed with nothing to show."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.api.test_model_policy_runs import stored
from tests.api.test_model_selection import GPT_MINI, build_events, model_flow, run


def built_vertices(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, dict[str, Any]]:
    """Each vertex's build data by its id, from a direct build."""
    return {e["data"]["build_data"]["id"]: e["data"]["build_data"]["data"]
            for e in build_events(client, headers, flow_id) if e["event"] == "end_vertex"}


def test_the_chat_output_names_the_model_its_selection_chooses(client: TestClient,
                                                               key_headers: dict[str, str]) -> None:
    for values, shown in (({"model": GPT_MINI}, "gpt-4o-mini"), ({"model": "gpt-4o"}, "gpt-4o"),
                          ({"model": GPT_MINI, "model_name": "gpt-4.1"}, "gpt-4.1")):
        flow_id = model_flow(client, key_headers, "LanguageModelComponent", **values)
        answer = run(client, key_headers, flow_id)
        source = answer.json()["outputs"][0]["outputs"][0]["results"]["message"]["properties"]["source"]
        assert source == {"id": "LanguageModelComponent-s2", "display_name": "Language Model", "source": shown}
        assert stored(client, key_headers, flow_id)[-1]["properties"]["source"]["source"] == shown


def test_a_model_vertex_shows_its_message_dump_and_its_model_object_output(client: TestClient,
                                                                           key_headers: dict[str, str]) -> None:
    flow_id = model_flow(client, key_headers, "LanguageModelComponent", model=GPT_MINI)
    model = built_vertices(client, key_headers, flow_id)["LanguageModelComponent-s2"]
    artifact = model["artifacts"]["text_output"]
    dumped = json.loads(artifact["repr"])
    # lfx's Message dump: its fields in their declared order, no id, no sender nor session (the model's own)
    assert list(dumped) == ["text", "files", "sender", "sender_name", "session_id", "context_id", "run_id",
                            "timestamp", "flow_id", "error", "edit", "properties", "category", "content_blocks",
                            "duration", "session_metadata"]
    assert (dumped["text"], dumped["sender"], dumped["session_id"], dumped["flow_id"]) == (
        artifact["raw"], None, "", flow_id)
    assert model["message"] == model["artifacts"] and artifact["type"] == "text"
    assert model["outputs"] == {"text_output": {"message": artifact["raw"], "type": "text"},
                                "model_output": {"message": "", "type": "unknown"}}
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=key_headers).json()
    [transaction] = [t for t in logged["items"] if t["vertex_id"] == "LanguageModelComponent-s2"]
    assert transaction["outputs"] == model["outputs"]


def test_a_streaming_model_sends_its_reply_in_its_own_build(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's model (stream on, a Chat Output fed) streams through a message of its own before its end_vertex;
    the Chat Output then takes that message over. A plain /run, with no event manager, streams nothing."""
    flow_id = model_flow(client, key_headers, "LanguageModelComponent", model=GPT_MINI, stream=True)
    events = build_events(client, key_headers, flow_id)
    shown = [e["event"] if e["event"] != "end_vertex" else e["data"]["build_data"]["id"] for e in events]
    model_done = shown.index("LanguageModelComponent-s2")
    assert shown[shown.index("ChatInput-s1") + 1:model_done] == [
        "add_message", *["token"] * (model_done - shown.index("ChatInput-s1") - 3), "add_message"]
    assert shown[model_done + 1:] == ["add_message", "ChatOutput-s3", "end"]
    partial, complete, taken = (e["data"] for e in events
                                if e["event"] == "add_message" and e["data"]["sender"] == "Machine")
    assert [(m["properties"]["state"], m["properties"]["icon"], m["properties"]["source"]["source"]) for m in
            (partial, complete, taken)] == [("partial", "brain-circuit", ""), ("complete", "brain-circuit", ""),
                                            ("complete", "brain-circuit", "gpt-4o-mini")]
    assert partial["id"] == complete["id"] == taken["id"]
    model = next(e for e in events if e["event"] == "end_vertex"
                 and e["data"]["build_data"]["id"] == "LanguageModelComponent-s2")["data"]["build_data"]["data"]
    dumped = json.loads(model["artifacts"]["text_output"]["repr"])  # the stored message, as Data's text dumps it
    assert (dumped["id"], dumped["sender_name"], dumped["text"]) == (complete["id"], "AI", complete["text"])
    answer = run(client, key_headers, flow_id)  # no event manager: the Chat Output makes the message
    assert answer.json()["outputs"][0]["outputs"][0]["results"]["message"]["properties"]["icon"] is None
