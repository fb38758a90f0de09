"""/api/v2/workflows with stream_protocol "agui" (1.13): the conversation (the default, expose_graph_state false)
and, with expose_graph_state true, the graph too (node STATE_SNAPSHOT/STATE_DELTA, STEP_*) and the v1 events
mirrored as CUSTOM langflow.event; live, on a background run's attach and in its replay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_agent import ANSWER, TWO_CALLS, agent_client, with_tools
from tests.api.test_agent_approval import CALL
from tests.api.test_workflows import (
    CONTRACT_SCRIPT,
    WF,
    failing_stream,
    sse,
    streaming_prompting,
    wait_failed,
    wait_status,
    waiting_background_run,
)
from tests.api.test_workflows_hitl import APPROVED, HUMAN, REJECTED, hitl_flow, settled, suspended_job
from tests.conftest import create_flow, load_json, new_api_key, paced_streaming_flow, start_server, stop_server

GRAPH = {"stream_protocol": "agui", "expose_graph_state": True}
CHAT_IN, CHAT_OUT = "ChatInput-aB1cD", "ChatOutput-eF2gH"
# what 1.13's agui adapter stores of a background run; TEXT_MESSAGE_CONTENT and TOOL_CALL_RESULT only go live
LIVE_ONLY = {"TEXT_MESSAGE_CONTENT", "TOOL_CALL_RESULT"}


def label(frame: dict[str, Any]) -> str:
    """A frame in short: its type, with what it is about (the node, the CUSTOM event's name, the mirrored event)."""
    kind = frame["type"]
    if kind == "CUSTOM" and frame["name"] == "langflow.event":
        return f"event:{frame['value']['event_type']}"
    if kind == "CUSTOM":
        return str(frame["name"])
    if kind in ("STEP_STARTED", "STEP_FINISHED"):
        return f"{kind}:{frame['stepName']}"
    if kind == "STATE_DELTA":
        return "DELTA:" + ",".join(f"{op['path'].removeprefix('/nodes/')}={op['value']['status']}"
                                   for op in frame["delta"])
    if kind == "STATE_SNAPSHOT":
        return "SNAPSHOT:" + ",".join(sorted(f"{n}={v['status']}" for n, v in frame["snapshot"]["nodes"].items()))
    return str(kind)


def labels(frames: list[tuple[dict[str, Any], str]]) -> list[str]:
    return [label(f) for f, _ in frames]


CHAT_RUN = ["RUN_STARTED", "SNAPSHOT:", f"SNAPSHOT:{CHAT_IN}=pending,{CHAT_OUT}=pending", "event:add_message",
            f"STEP_FINISHED:{CHAT_IN}", f"DELTA:{CHAT_IN}=success", "event:add_message", "TEXT_MESSAGE_START",
            "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", f"STEP_FINISHED:{CHAT_OUT}", f"DELTA:{CHAT_OUT}=success",
            "event:end", "RUN_FINISHED"]


@pytest.fixture
def setup(make_client: Callable[..., TestClient]) -> tuple[TestClient, dict[str, str], str]:
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, create_flow(client, headers, load_json("flow_chat_io.json"))["id"]


def test_agui_protocol(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, flow_id = setup
    response = client.post(WF, headers=headers, json={"flow_id": flow_id, "input_value": "wf agui", "mode": "stream",
                                                      "stream_protocol": "agui"})
    frames = sse(response.text)
    assert [f[0]["type"] for f in frames] == ["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                                             "TEXT_MESSAGE_END", "RUN_FINISHED"]
    assert frames[2][0]["delta"] == "wf agui"
    assert '", "' not in response.text  # AG-UI events are compact JSON
    unknown = client.post(WF, headers=headers, json={"flow_id": flow_id, "mode": "stream",
                                                     "stream_protocol": "smoke-signals"})
    assert unknown.status_code == 422
    assert unknown.json() == {"detail": {"error": "Unknown stream_protocol", "code": "UNKNOWN_STREAM_PROTOCOL",
                                         "message": "Unknown stream_protocol 'smoke-signals'.",
                                         "available": ["agui", "langflow"]}}


def test_agui_closes_an_open_text_message_before_its_run_error_and_still_finishes(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """A model whose streamed reply fails after three tokens: 1.13's AG-UI translator ends the open text message
    (TEXT_MESSAGE_END) before RUN_ERROR, and the build goes on to its `end`, which is RUN_FINISHED."""
    client, headers, flow_id = failing_stream(make_client, tmp_path)
    frames = [f for f, _ in sse(client.post(WF, json={"flow_id": flow_id, "input_value": "go", "mode": "stream",
                                                      "stream_protocol": "agui"}, headers=headers).text)]
    assert [f["type"] for f in frames] == ["RUN_STARTED", "TEXT_MESSAGE_START"] + ["TEXT_MESSAGE_CONTENT"] * 3 + [
        "TEXT_MESSAGE_END", "RUN_ERROR", "RUN_FINISHED"]
    assert frames[5] == {"type": "TEXT_MESSAGE_END", "messageId": frames[1]["messageId"]}
    assert frames[6] == {"type": "RUN_ERROR", "message": "Rate limit exceeded"}
    assert frames[7] == {"type": "RUN_FINISHED", "threadId": frames[0]["threadId"], "runId": frames[0]["runId"]}


def test_a_background_agui_runs_events_replay_its_stored_agui_events(make_client: Callable[..., TestClient],
                                                                     tmp_path: Path) -> None:
    """1.13 stores a background AG-UI run's durable AG-UI events (not its TEXT_MESSAGE_CONTENT deltas) and
    replays them as it stored them: compact JSON, non-ASCII escaped, ids counting them from 1; the submit
    answers the same job object as a langflow-protocol run's."""
    client, headers, flow_id = streaming_prompting(make_client, tmp_path, 'rules:\n  - reply: "one two three"\n')
    body = {"flow_id": flow_id, "input_value": "go", "session_id": "café", "stream_protocol": "agui"}
    streamed = sse(client.post(WF, json={**body, "mode": "stream"}, headers=headers).text)
    assert [f["type"] for f, _ in streamed].count("TEXT_MESSAGE_CONTENT") > 1  # a live stream sends the tokens
    submitted = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()
    job = submitted["job_id"]
    assert (submitted["object"], submitted["status"], submitted["links"]["events"]) == (
        "job", "queued", f"{WF}/{job}/events")
    wait_status(client, headers, job, {"completed"})
    text = client.get(f"{WF}/{job}/events", headers=headers).text
    frames = sse(text)
    assert [f["type"] for f, _ in frames] == ["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_END",
                                              "RUN_FINISHED"]
    assert [i for _, i in frames] == ["1", "2", "3", "4"]
    assert text.startswith(f'data: {{"type":"RUN_STARTED","threadId":"caf\\u00e9","runId":"{job}"}}\nid: 1\n\n')
    message = streamed[1][0]["messageId"]
    assert frames[1][0] == {"type": "TEXT_MESSAGE_START", "messageId": frames[1][0]["messageId"],
                            "role": "assistant"} and frames[1][0]["messageId"] != message
    assert frames[3][0] == {"type": "RUN_FINISHED", "threadId": "café", "runId": job}
    rest = client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": "2"}).text
    assert sse(rest) == frames[2:] and text.endswith(rest)


def test_a_stopped_or_failed_background_agui_run(make_client: Callable[..., TestClient]) -> None:
    """1.13's runner closes a stopped AG-UI run's stored events with its own {"type": "cancelled"} mark (no
    RUN_FINISHED); a failed one's status carries its last RUN_ERROR event as error_detail."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id, job = waiting_background_run(client, headers, stream_protocol="agui")
    assert client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).status_code == 200
    text = client.get(f"{WF}/{job}/events", headers=headers).text
    assert text == f'data: {{"type":"RUN_STARTED","threadId":"{flow_id}","runId":"{job}"}}\nid: 1\n\n' \
                   'data: {"type":"cancelled"}\nid: 2\n\n'
    boom = create_flow(client, headers, load_json("flow_boom.json"))["id"]
    failed = client.post(WF, json={"flow_id": boom, "input_value": "bg boom", "mode": "background",
                                   "stream_protocol": "agui"}, headers=headers).json()["job_id"]
    detail = wait_failed(client, headers, failed)
    replayed = sse(client.get(f"{WF}/{failed}/events", headers=headers).text)
    assert [f["type"] for f, _ in replayed] == ["RUN_STARTED", "RUN_ERROR", "RUN_FINISHED"]
    assert detail["error_detail"] == replayed[1][0] == {"type": "RUN_ERROR", "message": "contract boom: bg boom"}


def test_a_stream_with_graph_state_shows_the_nodes_and_mirrors_the_v1_events(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """1.13's translator with expose_graph_state: an empty node graph as the run starts, then every node to run as
    pending; each vertex's end a STEP_FINISHED and a STATE_DELTA `add` of /nodes/<id> with its status and its
    build data as output; each message and the end mirrored first as CUSTOM langflow.event {event_type, data},
    the v1 event's data as the langflow protocol sends it. Frames are numbered from 0."""
    client, headers, flow_id = setup
    body = {"flow_id": flow_id, "input_value": "graph hi", "session_id": "s-g", "mode": "stream"}
    frames = sse(client.post(WF, json={**body, **GRAPH}, headers=headers).text)
    assert labels(frames) == CHAT_RUN
    assert [i for _, i in frames] == [str(n) for n in range(len(CHAT_RUN))]
    run = frames[0][0]
    assert frames[1][0] == {"type": "STATE_SNAPSHOT", "snapshot": {"nodes": {}}}
    assert frames[2][0]["snapshot"]["nodes"][CHAT_OUT] == {"status": "pending", "output": None}
    v1 = [f for f, _ in sse(client.post(WF, json=body, headers=headers).text)]  # the same run, langflow protocol
    user = frames[3][0]["value"]
    assert user["data"]["text"] == "graph hi" and user["data"]["sender"] == "User"
    assert set(user["data"]) == set(v1[2]["data"])
    assert frames[4][0] == {"type": "STEP_FINISHED", "stepName": CHAT_IN}
    (op,) = frames[5][0]["delta"]
    assert (op["op"], op["path"], op["value"]["status"]) == ("add", f"/nodes/{CHAT_IN}", "success")
    assert set(op["value"]["output"]) == set(v1[3]["data"]["build_data"]["data"])
    assert op["value"]["output"]["results"]["message"]["text"] == "graph hi"
    message = frames[7][0]["messageId"]
    machine = frames[6][0]["value"]["data"]
    assert machine["id"] == message and set(machine) == set(v1[4]["data"])
    assert machine["properties"]["source"]["id"] is not None  # with graph state nothing is redacted
    assert frames[8][0] == {"type": "TEXT_MESSAGE_CONTENT", "messageId": message, "delta": "graph hi"}
    assert frames[12][0]["value"]["event_type"] == "end" and set(frames[12][0]["value"]["data"]) == {"build_duration"}
    assert frames[13][0] == {"type": "RUN_FINISHED", "threadId": "s-g", "runId": run["runId"]}


def test_graph_state_is_off_unless_asked_for_and_the_request_decides(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """agui's default (and an explicit false) is the conversation only; true adds the graph."""
    client, headers, flow_id = setup
    body = {"flow_id": flow_id, "input_value": "hi", "mode": "stream", "stream_protocol": "agui"}
    narrowed = ["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"]
    assert labels(sse(client.post(WF, json=body, headers=headers).text)) == narrowed
    assert labels(sse(client.post(WF, json={**body, "expose_graph_state": False}, headers=headers).text)) == narrowed
    assert labels(sse(client.post(WF, json={**body, "expose_graph_state": True}, headers=headers).text)) == CHAT_RUN


def test_each_token_is_mirrored_before_its_text_and_a_partial_message_opens_nothing(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """A streaming model (1.13: within its own step): the first token's partial add_message is mirrored but opens
    no text message; each token is mirrored, then its TEXT_MESSAGE_CONTENT; the final add_message (mirrored)
    closes the message; the Chat Output's taking it over is mirrored and opens nothing (a closed message)."""
    client, headers, flow_id = streaming_prompting(make_client, tmp_path, 'rules:\n  - reply: "one two"\n')
    frames = sse(client.post(WF, json={"flow_id": flow_id, "input_value": "go", "mode": "stream", **GRAPH},
                             headers=headers).text)
    shown = labels(frames)
    prompt = next(s for s in shown if s.startswith("STEP_FINISHED:PromptTemplate")).split(":")[1]
    start = shown.index(f"DELTA:{prompt}=success") + 1
    assert shown[start:start + 8] == ["event:add_message", "event:token", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                                      "event:token", "TEXT_MESSAGE_CONTENT", "event:add_message", "TEXT_MESSAGE_END"]
    assert shown[start + 8].startswith("STEP_FINISHED:LanguageModel")
    assert shown[start + 10] == "event:add_message" and shown[start + 11].startswith("STEP_FINISHED:ChatOutput")
    partial = frames[start][0]["value"]["data"]
    assert (partial["text"], partial["properties"]["state"]) == ("one ", "partial")
    assert frames[start + 1][0]["value"] == {"event_type": "token", "data": {"chunk": "one ", "id": partial["id"]}}
    assert [f["delta"] for f, _ in frames if f["type"] == "TEXT_MESSAGE_CONTENT"] == ["one ", "two"]


def test_a_background_runs_replay_keeps_the_graph_and_the_mirrored_tokens(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13's agui adapter stores every graph event and every CUSTOM (so the mirrored tokens too), but not the
    TEXT_MESSAGE_CONTENT deltas: the replay is the live stream without them, numbered from 1, and Last-Event-ID
    counts what was stored. Stored frames are replayed as json.dumps writes them (compact, ASCII)."""
    client, headers, flow_id = streaming_prompting(make_client, tmp_path, 'rules:\n  - reply: "un café"\n')
    body = {"flow_id": flow_id, "input_value": "go", "session_id": "s-b", **GRAPH}
    streamed = labels(sse(client.post(WF, json={**body, "mode": "stream"}, headers=headers).text))
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()["job_id"]
    wait_status(client, headers, job, {"completed"})
    text = client.get(f"{WF}/{job}/events", headers=headers).text
    frames = sse(text)
    assert labels(frames) == [s for s in streamed if s != "TEXT_MESSAGE_CONTENT"]
    assert labels(frames).count("event:token") == 2
    assert [i for _, i in frames] == [str(n) for n in range(1, len(frames) + 1)]
    assert '"delta":"caf\\u00e9"' not in text and 'caf\\u00e9' in text
    rest = client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": "5"}).text
    assert sse(rest) == frames[5:] and text.endswith(rest)


def test_a_background_runs_live_attach_numbers_its_deltas_after_the_last_stored_event(tmp_path: Path) -> None:
    """A client attached to a running background AG-UI run gets what is stored numbered one after another, and
    each TEXT_MESSAGE_CONTENT (not stored) with the id of the last stored event before it, as 1.13's runner
    restamps live frames."""
    server = start_server(tmp_path / "data")
    try:
        with server.client() as http:
            flow_id = paced_streaming_flow(http, 30)
            job = http.post(WF, json={"flow_id": flow_id, "input_value": "hi", "mode": "background",
                                      **GRAPH}).json()["job_id"]
            with http.stream("GET", f"{WF}/{job}/events") as response:
                text = "".join(response.iter_text())
    finally:
        stop_server(server)
    frames = sse(text)
    last = 0
    for frame, frame_id in frames:
        if frame["type"] in LIVE_ONLY:
            assert int(frame_id) == last
        else:
            last += 1
            assert int(frame_id) == last
    assert labels(frames)[-2:] == ["event:end", "RUN_FINISHED"] and "TEXT_MESSAGE_CONTENT" in labels(frames)


def test_a_paused_and_resumed_run_shows_the_branch_not_taken_as_inactive(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A background run suspended at a Human Input node: the pause (CUSTOM langflow.human_input_required) ends the
    first part after the node's own delta; the resumed part starts again (RUN_STARTED, an empty graph, the nodes
    to run) and the node's build marks the branch it did not take inactive."""
    client, headers, _ = setup
    flow_id = create_flow(client, headers, hitl_flow())["id"]
    job = suspended_job(client, headers, flow_id, **GRAPH)
    pending = f"SNAPSHOT:{CHAT_IN}=pending,{APPROVED}=pending,{REJECTED}=pending,{HUMAN}=pending"
    first = ["RUN_STARTED", "SNAPSHOT:", pending, "event:add_message", f"STEP_FINISHED:{CHAT_IN}",
             f"DELTA:{CHAT_IN}=success", f"STEP_FINISHED:{HUMAN}", f"DELTA:{HUMAN}=success",
             "langflow.human_input_required"]
    assert labels(sse(client.get(f"{WF}/{job}/events", headers=headers).text)) == first
    answer = client.post(f"{WF}/{job}/resume", json={"request_id": f"{HUMAN}:{job}",
                                                     "decision": {"action_id": "approve"}}, headers=headers)
    assert answer.status_code == 200 and settled(client, headers, job)["status"] == "completed"
    frames = sse(client.get(f"{WF}/{job}/events", headers={**headers, "Last-Event-ID": str(len(first))}).text)
    assert labels(frames) == ["RUN_STARTED", "SNAPSHOT:", pending, f"STEP_FINISHED:{HUMAN}",
                              f"DELTA:{HUMAN}=success,{REJECTED}=inactive", "event:add_message",
                              "TEXT_MESSAGE_START", "TEXT_MESSAGE_END", f"STEP_FINISHED:{APPROVED}",
                              f"DELTA:{APPROVED}=success", "event:end", "RUN_FINISHED"]
    assert frames[4][0]["delta"][1] == {"op": "add", "path": f"/nodes/{REJECTED}",
                                        "value": {"status": "inactive", "output": None}}
    assert frames[0][1] == str(len(first) + 1)


def test_a_stopped_background_run_ends_its_graph_with_the_cancelled_mark(
        make_client: Callable[..., TestClient]) -> None:
    """A stop while a component runs: the stored graph so far (the Chat Input built), then the runner's mark."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    _, job = waiting_background_run(client, headers, **GRAPH)
    assert client.post(f"{WF}/stop", json={"job_id": job}, headers=headers).status_code == 200
    frames = sse(client.get(f"{WF}/{job}/events", headers=headers).text)
    shown = labels(frames)
    assert shown[:2] == ["RUN_STARTED", "SNAPSHOT:"] and shown[3] == "event:add_message"
    assert shown[4].startswith("STEP_FINISHED:") and shown[5].endswith("=success")
    assert frames[-1] == ({"type": "cancelled"}, str(len(frames))) and len(frames) == 7


def test_a_failing_component_is_an_error_node_and_its_error_is_mirrored_before_run_error(
        make_client: Callable[..., TestClient]) -> None:
    """A component that raises: its error Message mirrored, RUN_ERROR, then its vertex's `error` delta, and the
    run still ends (mirrored end, RUN_FINISHED). A background job fails with that RUN_ERROR as error_detail."""
    client = make_client(scripts=[CONTRACT_SCRIPT], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    boom = create_flow(client, headers, load_json("flow_boom.json"))["id"]
    frames = sse(client.post(WF, json={"flow_id": boom, "input_value": "s", "mode": "stream", **GRAPH},
                             headers=headers).text)
    shown = labels(frames)
    at = shown.index("event:error")
    assert shown[at:] == ["event:error", "RUN_ERROR", "STEP_FINISHED:CustomComponent-bO0m1",
                          "DELTA:CustomComponent-bO0m1=error", "event:end", "RUN_FINISHED"]
    assert frames[at][0]["value"]["data"]["text"] == "contract boom: s\n"
    assert frames[at + 1][0] == {"type": "RUN_ERROR", "message": "contract boom: s"}
    output = frames[at + 3][0]["delta"][0]["value"]["output"]
    assert output["outputs"] and output["results"] == {}
    job = client.post(WF, json={"flow_id": boom, "input_value": "bg", "mode": "background", **GRAPH},
                      headers=headers).json()["job_id"]
    assert wait_failed(client, headers, job)["error_detail"] == {"type": "RUN_ERROR", "message": "contract boom: bg"}


def test_a_stream_whose_build_fails_starts_its_graph_then_mirrors_its_error(
        setup: tuple[TestClient, dict[str, str], str]) -> None:
    """A flow without data: the run's opening (RUN_STARTED, the empty graph), the build's error mirrored, then
    RUN_ERROR; no node is ever shown."""
    client, headers, _ = setup
    empty = create_flow(client, headers, {"name": "Empty"})["id"]
    frames = sse(client.post(WF, json={"flow_id": empty, "input_value": "x", "mode": "stream", **GRAPH},
                             headers=headers).text)
    assert labels(frames) == ["RUN_STARTED", "SNAPSHOT:", "event:error", "RUN_ERROR"]
    assert [i for _, i in frames] == ["0", "1", "2", "3"]
    assert frames[2][0]["value"]["data"]["text"] == "Invalid flow ID\n"
    assert frames[3][0] == {"type": "RUN_ERROR", "message": "Invalid flow ID"}


def test_an_agents_tool_calls_and_its_partial_messages_with_graph_state(make_client: Callable[..., TestClient],
                                                                        tmp_path: Path) -> None:
    """An Agent: each partial add_message of its log is mirrored before the tool calls it shows, its answer's
    tokens are mirrored, and only its final add_message closes its text, before the Agent's own STEP_FINISHED."""
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=TWO_CALLS)
    frames = sse(client.post(WF, json={"flow_id": flow_id, "input_value": "weather?", "mode": "stream", **GRAPH},
                             headers=headers).text)
    shown = labels(frames)
    agent = next(s for s in shown if s.startswith("STEP_FINISHED:Agent")).split(":")[1]
    call = ["TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END"]
    opened = shown.index("TEXT_MESSAGE_START")
    assert shown[opened - 1] == "event:token"
    closed = shown.index("TEXT_MESSAGE_END")
    assert shown[closed - 1:closed + 3] == ["event:add_message", "TEXT_MESSAGE_END", f"STEP_FINISHED:{agent}",
                                            f"DELTA:{agent}=success"]
    assert [s for s in shown if s.startswith("TOOL_CALL")] == [*call, "TOOL_CALL_RESULT", *call, "TOOL_CALL_RESULT"]
    first_call = shown.index("TOOL_CALL_START")
    assert shown[first_call - 1] == "event:add_message"
    assert frames[first_call - 1][0]["value"]["data"]["properties"]["state"] == "partial"
    assert len({f["messageId"] for f, _ in frames if f["type"].startswith("TEXT_MESSAGE")}) == 1


def test_1_8_has_no_agui_nor_graph_state_field(make_client: Callable[..., TestClient]) -> None:
    """1.8.4's v2 workflows body (the beta one) knows neither field: 422 extra_forbidden."""
    client = make_client(langflow_version="1.8.4", developer_api_enabled=True)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, load_json("flow_chat_io.json"))["id"]
    response = client.post(WF, json={"flow_id": flow_id, **GRAPH}, headers=headers)
    assert response.status_code == 422
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [
        ("extra_forbidden", ["body", "stream_protocol"]), ("extra_forbidden", ["body", "expose_graph_state"])]



def calculator_agent(make_client: Callable[..., TestClient], tmp_path: Path) -> tuple[TestClient, dict[str, str], str]:
    """The Simple Agent with a Calculator connected to its tools, whose evaluate_expression the model calls."""
    rule = f'reply: "{ANSWER}"\n    tool_calls: [{CALL}]'
    client, headers, flow_id = agent_client(make_client, tmp_path, "1.13.0", rule=rule)
    rows = [{"name": "evaluate_expression", "description": "", "tags": ["evaluate_expression"], "status": True}]
    return client, headers, with_tools(client, headers, flow_id, "CalculatorComponent", "Calculator", rows)


def test_a_component_tools_run_is_its_components_build_start_and_end(make_client: Callable[..., TestClient],
                                                                     tmp_path: Path) -> None:
    """lfx's component_tool reports the run of a connected component's tool to the build loop's event manager
    as that component's build_start and build_end, between the Agent's announcements of the call's start and
    end: the langflow stream shows them with graph state (not without), AG-UI with graph state as the node's
    STEP_STARTED and a `running` delta (build_end has no AG-UI event)."""
    client, headers, flow_id = calculator_agent(make_client, tmp_path)
    body = {"flow_id": flow_id, "input_value": "weather?", "mode": "stream"}
    v1 = [f for f, _ in sse(client.post(WF, json=body, headers=headers).text)]
    names = [f["event"] for f in v1]
    at = names.index("build_start", 2)  # the run's own build_start (no id) comes first
    assert [(f["event"], f["data"]) for f in v1[at:at + 2]] == [
        ("build_start", {"id": "CalculatorComponent-t1"}), ("build_end", {"id": "CalculatorComponent-t1"})]
    assert names[at - 1] == names[at + 2] == "add_message"
    narrowed = [f["event"] for f, _ in sse(client.post(WF, json={**body, "expose_graph_state": False},
                                                        headers=headers).text)]
    assert "build_end" not in narrowed and narrowed.count("build_start") == 1
    shown = labels(sse(client.post(WF, json={**body, **GRAPH}, headers=headers).text))
    at = shown.index("STEP_STARTED:CalculatorComponent-t1")
    assert shown[at - 3:at + 3] == ["TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
                                    "STEP_STARTED:CalculatorComponent-t1", "DELTA:CalculatorComponent-t1=running",
                                    "event:add_message"]
