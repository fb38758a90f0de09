"""/api/v1/build_public_tmp: the shareable playground's build of a PUBLIC flow, without credentials."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_build import CONTRACT_SCRIPT, ndjson, start
from tests.conftest import create_flow, load_json, new_api_key, other_user_key

VISITOR = {"Cookie": "client_id=visitor-1"}


def virtual(flow_id: str, who: str = "client:visitor-1") -> str:
    """The id 1.13 stores a public build's messages under: uuid5(DNS, "<who>_<flow id>")."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{who}_{flow_id}"))


@pytest.fixture
def setup(make_client: Callable[..., TestClient],
          chat_flow: dict[str, Any]) -> tuple[TestClient, dict[str, str], str, str]:
    """A client, its owner's headers, a PUBLIC flow and a PRIVATE one."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    private = create_flow(client, headers, {**chat_flow, "name": "mine"})["id"]
    return client, headers, public, private


def build(client: TestClient, flow_id: str, body: dict[str, Any] | None = None,
          headers: dict[str, str] | None = None, **params: str) -> Any:
    return client.post(f"/api/v1/build_public_tmp/{flow_id}/flow", json=body or {},
                       headers=VISITOR if headers is None else headers, params=params)


def test_a_public_flow_builds_without_credentials(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, headers, public, _ = setup
    response = build(client, public, {"inputs": {"input_value": "hi there", "session": "s1"}})
    assert response.status_code == 200
    job = response.json()["job_id"]
    assert set(response.json()) == {"job_id"}  # polling by default: the job id only
    events = client.get(f"/api/v1/build_public_tmp/{job}/events")  # streaming by default
    assert events.status_code == 200
    assert events.headers["content-type"] == "application/x-ndjson"
    found = ndjson(events.text)
    assert found[-1]["event"] == "end"
    messages = [e["data"] for e in found if e["event"] == "add_message"]
    assert messages and all(m["flow_id"] == virtual(public) for m in messages)
    # the caller's session is kept under the visitor's virtual flow id
    assert {m["session_id"] for m in messages} == {f"{virtual(public)}:s1"}
    # stored in SQLite under the virtual id (no Flow row has it, so the owner's /monitor/messages lists none)
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    stored = store.messages.history(uuid.UUID(virtual(public)), f"{virtual(public)}:s1")
    assert [m.text for m in stored][:1] == ["hi there"]
    assert client.get("/api/v1/monitor/messages", params={"flow_id": virtual(public)}, headers=headers).json() == []


def test_the_virtual_flow_id_is_the_visitors_own(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, _ = setup
    job = build(client, public, {"inputs": {"input_value": "x"}},
                headers={"Cookie": "client_id=visitor-2"}).json()["job_id"]
    found = ndjson(client.get(f"/api/v1/build_public_tmp/{job}/events").text)
    ids = {e["data"]["flow_id"] for e in found if e["event"] == "add_message"}
    assert ids == {virtual(public, "client:visitor-2")}


def test_without_the_client_id_cookie_it_is_a_400(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, _ = setup
    response = build(client, public, headers={})
    assert (response.status_code, response.json()) == (400, {"detail": "No client_id cookie found"})


def test_with_auto_login_off_a_signed_in_caller_needs_no_cookie(make_client: Callable[..., TestClient],
                                                               chat_flow: dict[str, Any]) -> None:
    from tests.conftest import KEY
    client = make_client(never_answer="error", job_latency_ms=0, auto_login=False, superuser="admin",
                         superuser_password=KEY)  # noqa: S106
    login = client.post("/api/v1/login", data={"username": "admin", "password": KEY})
    assert login.status_code == 200, login.text
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    me = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
    public = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    job = build(client, public, {"inputs": {"input_value": "x"}}, headers=headers).json()["job_id"]
    found = ndjson(client.get(f"/api/v1/build_public_tmp/{job}/events").text)
    ids = {e["data"]["flow_id"] for e in found if e["event"] == "add_message"}
    assert ids == {virtual(public, f"user:{me}")}


def test_a_private_or_unknown_flow_is_not_found(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, headers, _, private = setup
    for flow_id in (private, str(uuid.uuid4())):
        response = build(client, flow_id)
        assert (response.status_code, response.json()) == (404, {"detail": "Flow not found"})
        # the owner's own credentials change nothing: a private flow is never built here
        response = build(client, flow_id, headers={**VISITOR, **headers})
        assert response.status_code == 404


def test_the_callers_data_is_not_built(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, _ = setup
    job = build(client, public, {"inputs": {"input_value": "x"}, "data": {"nodes": [], "edges": []}}).json()["job_id"]
    found = ndjson(client.get(f"/api/v1/build_public_tmp/{job}/events").text)
    assert len(found[0]["data"]["ids"]) > 0  # vertices_sorted: the stored graph's, not the empty one sent


@pytest.mark.parametrize("kind", ["PythonREPLComponent", "RunFlow", "Python Interpreter"])
def test_a_flow_that_runs_code_or_other_flows_is_not_built(setup: tuple[TestClient, dict[str, str], str, str],
                                                           chat_flow: dict[str, Any], kind: str) -> None:
    client, headers, _, _ = setup
    flow = copy.deepcopy(chat_flow)
    node = flow["data"]["nodes"][0]["data"]
    node["type"] = kind if kind != "Python Interpreter" else node["type"]
    node["node"]["display_name"] = kind
    public = create_flow(client, headers, {**flow, "name": kind, "access_type": "PUBLIC"})["id"]
    response = build(client, public)
    assert (response.status_code, response.json()) == (400, {"detail": "This flow cannot be executed."})
    assert client.post(f"/api/v1/build/{public}/flow", headers=headers).status_code == 200  # signed in: built


@pytest.mark.parametrize(("field", "refused"), [
    ({"type": "mcp", "value": {"name": "tool", "config": {"command": "uvx", "args": ["tool"]}}}, True),
    ({"type": "mcp", "value": {"name": "tool", "config": {"command": "uvx", "mode": "Streamable_HTTP"}}}, False),
    ({"type": "mcp", "value": {"name": "web", "config": {"url": "http://x"}}}, False),
    ({"type": "dict", "value": {"mcpServers": {"web": {"url": "http://x"}, "tool": {"mode": "STDIO"}}}}, True),
    ({"type": "str", "value": [{"name": "tool", "config": {"command": "npx"}}], "name": "mcp_server"}, True),
])
def test_a_flow_that_starts_a_local_mcp_server_is_not_built(setup: tuple[TestClient, dict[str, str], str, str],
                                                            chat_flow: dict[str, Any], field: dict[str, Any],
                                                            refused: bool) -> None:
    """1.13 refuses a visitor's build of a flow with an MCP server selection (an `mcp` field, one named mcp_server,
    or a value shaped as one) that starts a local process: a stdio `mode`, or a `command` without another mode."""
    client, headers, _, _ = setup
    flow = copy.deepcopy(chat_flow)
    flow["data"]["nodes"][0]["data"]["node"]["template"]["servers"] = field
    public = create_flow(client, headers, {**flow, "name": "mcp", "access_type": "PUBLIC"})["id"]
    response = build(client, public)
    if refused:
        assert (response.status_code, response.json()) == (400, {"detail": "This flow cannot be executed."})
    else:
        assert response.status_code == 200, response.text


@pytest.mark.parametrize(("entry", "detail"), [
    ("", "Invalid file entry"),
    ("../etc/passwd", "Invalid file path"),
    ("secret.txt", "Invalid file path format"),
    ("8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a/secret.txt", "File not in this flow's namespace"),
    ("{flow}/.", "Invalid filename"),  # the flow's folder itself is no file in it
])
def test_files_outside_the_flows_folder_are_refused(setup: tuple[TestClient, dict[str, str], str, str],
                                                    entry: str, detail: str) -> None:
    client, _, public, _ = setup
    response = build(client, public, {"files": [entry.format(flow=public)]}, headers={})  # before the cookie
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_an_unknown_job_is_a_bare_404(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, _, _ = setup
    for job in (str(uuid.uuid4()), "not-a-uuid"):
        assert client.get(f"/api/v1/build_public_tmp/{job}/events").json() == {"detail": "Job not found"}
        cancel = client.post(f"/api/v1/build_public_tmp/{job}/cancel")
        assert (cancel.status_code, cancel.json()) == (404, {"detail": "Job not found"})


def test_a_signed_in_build_is_not_reachable_publicly(make_client: Callable[..., TestClient],
                                                     chat_flow: dict[str, Any]) -> None:
    client = make_client(never_answer="error", job_latency_ms=0)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    flow_id = create_flow(client, bob, chat_flow)["id"]
    job = start(client, bob, flow_id)
    for response in (client.get(f"/api/v1/build_public_tmp/{job}/events"),
                     client.post(f"/api/v1/build_public_tmp/{job}/cancel")):
        assert (response.status_code, response.json()) == (404, {"detail": "Job not found"})
    assert client.get(f"/api/v1/build/{job}/events", headers=bob).status_code == 200  # untouched, still bob's


def test_a_public_job_can_be_read_by_any_signed_in_user(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, headers, public, _ = setup
    job = build(client, public, {"inputs": {"input_value": "x"}}).json()["job_id"]
    response = client.get(f"/api/v1/build/{job}/events", headers=headers)
    assert response.status_code == 200 and ndjson(response.text)[-1]["event"] == "end"


def test_a_public_build_is_cancelled_without_credentials(make_client: Callable[..., TestClient],
                                                         chat_flow: dict[str, Any], tmp_path: Path) -> None:
    slow = tmp_path / "slow.yaml"
    slow.write_text("jobs:\n  - run_ms: 5000\n")
    client = make_client(never_answer="error", scripts=[slow])
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    job = build(client, public, {"inputs": {"input_value": "stop me"}}).json()["job_id"]
    response = client.post(f"/api/v1/build_public_tmp/{job}/cancel")
    assert (response.status_code, response.json()) == (
        200, {"success": True, "message": "Flow build cancelled successfully"})
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    assert store.jobs.get(uuid.UUID(job)).status == "cancelled"


def test_direct_delivery_streams_in_the_answer(setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, _ = setup
    response = build(client, public, {"inputs": {"input_value": "x"}}, event_delivery="direct")
    assert response.status_code == 200 and ndjson(response.text)[-1]["event"] == "end"


@pytest.mark.parametrize(("version", "shown"), [
    ("1.13.0", "Workflow execution failed."),
    ("1.8.4", "Error building Component Language Model: \n\nRate limit reached")])
def test_a_visitor_sees_no_error_details_of_a_failed_vertex_in_1_13(make_client: Callable[..., TestClient],
                                                                     version: str, shown: str) -> None:
    """1.13 builds a public flow without exposing error details to its visitor: a vertex whose component raised
    reports a fixed text and no traceback in its build data; the component's own error message is unchanged."""
    client = make_client(never_answer="error", job_latency_ms=0, langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    failing = {"rules": [{"reply": "a b c", "error": "Rate limit reached", "stream": {"error_after": 1}}]}
    assert client.post("/_mock/scripts", content=json.dumps(failing), headers=headers).status_code == 201
    example = next(f for f in client.get("/api/v1/flows/basic_examples/", headers=headers).json()
                   if f["name"] == "Basic Prompting")
    public = create_flow(client, headers, {"name": "shared", "data": example["data"], "access_type": "PUBLIC"})["id"]
    events = ndjson(build(client, public, {"inputs": {"input_value": "hi"}}, event_delivery="direct").text)
    assert events[-1]["event"] == "end"
    failed = next(e["data"]["build_data"] for e in events
                  if e["event"] == "end_vertex" and not e["data"]["build_data"]["valid"])
    error = failed["data"]["outputs"]["text_output"]
    assert error["type"] == "error" and failed["params"] == error["message"]["errorMessage"] == shown
    trace = error["message"]["stackTrace"]
    assert trace == "" if version == "1.13.0" else trace.startswith("Traceback (most recent call last):\n")
    message = next(e["data"] for e in events if e["event"] == "error")
    assert message["text"] == "Rate limit reached\n"


def test_before_1_13_a_private_flow_is_a_403_and_any_job_is_open(make_client: Callable[..., TestClient],
                                                                  chat_flow: dict[str, Any]) -> None:
    client = make_client(never_answer="error", job_latency_ms=0, langflow_version="1.8.4")
    headers = {"x-api-key": new_api_key(client)}
    private = create_flow(client, headers, chat_flow)["id"]
    response = build(client, private)
    assert (response.status_code, response.json()) == (403, {"detail": "Flow is not public"})
    public = create_flow(client, headers, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    job = build(client, public, {"inputs": {"input_value": "x", "session": "s1"}}).json()["job_id"]
    found = ndjson(client.get(f"/api/v1/build_public_tmp/{job}/events").text)
    old_virtual = str(uuid.uuid5(uuid.NAMESPACE_DNS, f"visitor-1_{public}"))
    assert {(e["data"]["flow_id"], e["data"]["session_id"]) for e in found if e["event"] == "add_message"} == {
        (old_virtual, "s1")}
    signed_in = start(client, headers, private)
    assert client.get(f"/api/v1/build_public_tmp/{signed_in}/events").status_code == 200


def test_1_7_1_builds_only_the_sent_graph_and_has_no_public_events(make_client: Callable[..., TestClient],
                                                                    chat_flow: dict[str, Any]) -> None:
    client = make_client(never_answer="error", job_latency_ms=0, langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    job = build(client, public, {"inputs": {"input_value": "x"}}).json()["job_id"]
    # no such route: 1.7.1 serves its frontend's page for any GET it does not route
    assert "ndjson" not in client.get(f"/api/v1/build_public_tmp/{job}/events").headers["content-type"]
    assert client.post(f"/api/v1/build_public_tmp/{job}/cancel").status_code in (404, 405)
    # no `data`: the graph is looked up under the virtual id, which no flow has
    polled = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    assert [e["event"] for e in ndjson(polled.text)] == ["error"]
    job = build(client, public, {"inputs": {"input_value": "x"}, "data": chat_flow["data"]}).json()["job_id"]
    streamed = ndjson(client.get(f"/api/v1/build/{job}/events", headers=headers).text)
    assert streamed[-1]["event"] == "end"


TOO_MANY = {"detail": "Too many requests. Please try again later.", "retry_after": "60"}
UNKNOWN = "0b6c3a52-6a0e-4c5e-9d3f-2f1e8c7b9a10"


def test_1_13_allows_twenty_public_builds_a_minute_per_flow_and_address(
        setup: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, _, public, _ = setup
    # counted before anything else, the flow's lookup included
    assert {build(client, UNKNOWN).status_code for _ in range(20)} == {404}
    refused = build(client, UNKNOWN)
    assert (refused.status_code, refused.json()) == (429, TOO_MANY)
    assert refused.headers["retry-after"] == "60"
    assert build(client, public).status_code == 200  # another flow, another count
    elsewhere = TestClient(client.app, client=("10.0.0.7", 50000))
    assert build(elsewhere, UNKNOWN).status_code == 404  # another address, another count


def test_public_build_limit_follows_langflows_settings(make_client: Callable[..., TestClient],
                                                       chat_flow: dict[str, Any]) -> None:
    client = make_client(never_answer="error", job_latency_ms=0, LANGFLOW_PUBLIC_FLOW_RATE_LIMIT_PER_MINUTE="2")
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    assert [build(client, public).status_code for _ in range(3)] == [200, 200, 429]
    off = make_client(LANGFLOW_RATE_LIMIT_ENABLED="false", LANGFLOW_PUBLIC_FLOW_RATE_LIMIT_PER_MINUTE="2")
    assert {build(off, UNKNOWN).status_code for _ in range(5)} == {404}


def test_before_1_13_public_builds_are_not_limited(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4", LANGFLOW_PUBLIC_FLOW_RATE_LIMIT_PER_MINUTE="1")
    assert {build(client, UNKNOWN).status_code for _ in range(3)} == {403}


def slow_echo_flow(node_type: str = "CustomComponent") -> dict[str, Any]:
    """Chat Input -> "Slow Echo" (a custom component with code of its own; the contract script makes it answer
    "slow echo: <input>") -> Chat Output, its custom node given `node_type`."""
    flow = load_json("flow_slow_echo.json")
    for node in flow["data"]["nodes"]:
        if node["data"]["type"] == "CustomComponent":
            node["data"]["type"] = node_type
            node["data"]["node"]["template"]["delay"]["value"] = 0
    return dict(flow)


@pytest.mark.parametrize(("version", "status"), [("1.13.0", 400), ("1.8.4", 200)])
def test_a_component_whose_type_the_server_does_not_know_is_not_built_for_a_visitor(
        make_client: Callable[..., TestClient], version: str, status: int) -> None:
    """1.13 runs only the server's own code for a visitor: a node that carries code of a type the server has no
    code for refuses the build (400), before any job; 1.8 builds it."""
    client = make_client(never_answer="error", job_latency_ms=0, scripts=[CONTRACT_SCRIPT], langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**slow_echo_flow("SlowEcho"), "access_type": "PUBLIC"})["id"]
    response = build(client, public, {"inputs": {"input_value": "hi"}})
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"detail": "This flow cannot be executed."}
    assert client.post(f"/api/v1/build/{public}/flow", headers=headers).status_code == 200  # signed in: built


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_visitors_custom_component_runs_the_servers_template(make_client: Callable[..., TestClient],
                                                               version: str) -> None:
    """1.13 swaps the server's Custom Component template in for a public flow's own code: the node's output method
    (build_message) is not the template's, so its vertex fails; the owner's build, and 1.8's public one, run it."""
    client = make_client(never_answer="error", job_latency_ms=0, scripts=[CONTRACT_SCRIPT], langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    public = create_flow(client, headers, {**slow_echo_flow(), "access_type": "PUBLIC"})["id"]
    events = ndjson(build(client, public, {"inputs": {"input_value": "hi"}}, event_delivery="direct").text)
    echoed = machine_messages(events)
    if version == "1.13.0":
        assert echoed == []
        error = next(e["data"] for e in events if e["event"] == "error")
        assert error["text"] == "Attribute build_message not found in CustomComponent\n"
        assert error["sender_name"] == error["properties"]["source"]["display_name"] == "Custom Component"
        failed = next(e["data"]["build_data"] for e in events if e["event"] == "end_vertex"
                      and e["data"]["build_data"]["id"] == "CustomComponent-sL0w1")
        assert failed["valid"] is False
    else:
        assert echoed == ["slow echo: hi"]
    # the owner's own build keeps the flow's code (the script stands in for it)
    owner = client.post(f"/api/v1/build/{public}/flow", json={"inputs": {"input_value": "hi"}}, headers=headers,
                        params={"event_delivery": "direct"})
    assert machine_messages(ndjson(owner.text)) == ["slow echo: hi"]


def machine_messages(events: list[dict[str, Any]]) -> list[str]:
    return [e["data"]["text"] for e in events if e["event"] == "add_message" and e["data"]["sender"] == "Machine"]


def bot_named(chat_flow: dict[str, Any], field: str = "sender_name") -> dict[str, Any]:
    """The chat flow, one field of its Chat Output loading the global variable BOT_NAME."""
    flow = copy.deepcopy(chat_flow)
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"][field].update({"value": "BOT_NAME", "load_from_db": True})
    return flow


def test_a_visitors_build_loads_none_of_the_owners_global_variables(make_client: Callable[..., TestClient],
                                                                     chat_flow: dict[str, Any]) -> None:
    """1.13 builds a public flow as its anonymous principal, which has no global variables: a field loading the
    owner's variable fails its vertex as an unknown variable would, and no reply is sent."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    variable = {"name": "BOT_NAME", "value": "Robo", "type": "Generic", "default_fields": []}
    assert client.post("/api/v1/variables/", json=variable, headers=headers).status_code == 201
    public = create_flow(client, headers, {**bot_named(chat_flow), "name": "shared", "access_type": "PUBLIC"})["id"]
    events = ndjson(build(client, public, {"inputs": {"input_value": "hi"}}, event_delivery="direct").text)
    assert machine_messages(events) == []
    failed = [e["data"]["build_data"] for e in events if e["event"] == "end_vertex"
              and not e["data"]["build_data"]["valid"]]
    assert [(f["id"], f["params"]) for f in failed] == [("ChatOutput-eF2gH", "Workflow execution failed.")]
    owner = client.post(f"/api/v1/build/{public}/flow", json={"inputs": {"input_value": "hi"}}, headers=headers,
                        params={"event_delivery": "direct"})
    assert [e["data"]["sender_name"] for e in ndjson(owner.text)
            if e["event"] == "add_message" and e["data"]["sender"] == "Machine"] == ["Robo"]


def test_a_visitors_build_takes_out_the_values_of_secret_fields(make_client: Callable[..., TestClient],
                                                                chat_flow: dict[str, Any]) -> None:
    """1.13 takes a password field's stored value out of the graph it builds for a visitor, a variable's name
    too, so nothing is looked up and nothing fails: the reply's sender name, marked password and loading the
    owner's BOT_NAME, falls back to the component's default."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    variable = {"name": "BOT_NAME", "value": "Robo", "type": "Generic", "default_fields": []}
    assert client.post("/api/v1/variables/", json=variable, headers=headers).status_code == 201
    flow = bot_named(chat_flow)
    output = next(n for n in flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["sender_name"]["password"] = True
    public = create_flow(client, headers, {**flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    events = ndjson(build(client, public, {"inputs": {"input_value": "hi"}}, event_delivery="direct").text)
    replies = [e["data"] for e in events if e["event"] == "add_message" and e["data"]["sender"] == "Machine"]
    assert [(m["text"], m["sender_name"]) for m in replies] == [("hi", "AI")]
    assert all(e["data"]["build_data"]["valid"] for e in events if e["event"] == "end_vertex")


def prompt_with(**fields: dict[str, Any]) -> dict[str, Any]:
    """The prompt chain (Chat Input -> Prompt Template -> Chat Output), its template "{name}" followed by each of
    `fields` in braces, each a field of the prompt node with that entry."""
    flow = load_json("flow_prompt_chain.json")
    prompt = next(n for n in flow["data"]["nodes"] if n["id"] == "PromptTemplate-nQ9Nx")
    template = prompt["data"]["node"]["template"]
    template["template"]["value"] = "{name}" + "".join(f"|{{{name}}}" for name in fields)
    for name, entry in fields.items():
        template[name] = {"name": name, "show": True, "advanced": False, "display_name": name, **entry}
    return dict(flow)


def replies_of(client: TestClient, flow_id: str, headers: dict[str, str] | None = None) -> list[str]:
    """The texts a build of the flow sends back, by a visitor (or, with `headers`, by the owner)."""
    if headers is None:
        found = build(client, flow_id, {"inputs": {"input_value": "hi"}}, event_delivery="direct")
    else:
        found = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": "hi"}},
                            headers=headers, params={"event_delivery": "direct"})
    return machine_messages(ndjson(found.text))


def test_a_visitors_build_scrubs_secrets_inside_field_values(make_client: Callable[..., TestClient]) -> None:
    """1.13's scrubber goes into every value of a visitor's graph, not only password and secret-named fields: in
    dicts and lists, an entry under a secret-like key is nulled, and so is the "value" of a dict whose "key",
    "name" or "header" is secret-like; a text that is a URL with credentials is nulled (a field's whole value
    too); a table's cells of columns loading a variable are nulled; an MCP server field keeps only the server's
    name (a remote one: a stdio one refuses the build). Ordinary text, keys and values are kept, and the owner's
    build sees every value."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    nested = {"model": "m1", "apiKey": "k1", "auth": {"client_secret": "s1", "realm": "r1"},
              "headers": [{"key": "Authorization", "value": "Bearer t1"}, {"key": "X-Tenant", "value": "acme"}],
              "links": ["https://user:pw@db.example/x", "https://docs.example/a?page=2",
                        "https://api.example/v1?access_token=t2", "see https://u:p@h.example for more"]}
    table = {"type": "table", "value": [{"var": "OPENAI_KEY", "note": "plain", "password": "p1"},
                                        {"var": "OTHER", "note": "https://u:p@h.example",
                                         "__load_from_db_fields": ["var"]}],
             "table_schema": [{"name": "var", "load_from_db": True}, {"name": "note"}, {"name": "password"}]}
    flow = prompt_with(
        cfg={"type": "dict", "value": nested}, url={"type": "str", "value": "https://bot:pw@example.com/hook"},
        rows=table, server={"type": "mcp", "value": {"config": {"url": "https://mcp.example/sse"}, "name": "tools"}})
    public = create_flow(client, headers, {**flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    [reply] = replies_of(client, public)
    scrubbed_nested = {"model": "m1", "apiKey": None, "auth": {"client_secret": None, "realm": "r1"},
                       "headers": [{"key": "Authorization", "value": None}, {"key": "X-Tenant", "value": "acme"}],
                       "links": [None, "https://docs.example/a?page=2", None, "see https://u:p@h.example for more"]}
    scrubbed_rows = [{"var": None, "note": "plain", "password": None}, {"var": None, "note": None}]
    assert reply.split("|") == ["hi", str(scrubbed_nested), "", str(scrubbed_rows), str({"name": "tools"})]
    [own] = replies_of(client, public, headers)
    own_rows = [{"var": "OPENAI_KEY", "note": "plain", "password": "p1"},  # (the run's table loading: engine)
                {"var": None, "note": "https://u:p@h.example"}]
    assert own.split("|") == ["hi", str(nested), "https://bot:pw@example.com/hook", str(own_rows),
                              str({"config": {"url": "https://mcp.example/sse"}, "name": "tools"})]


def test_a_visitors_build_keeps_connection_handles_and_an_mcp_headers_box(
        make_client: Callable[..., TestClient]) -> None:
    """1.13 keeps a connection reference that is a well-formed "<provider>/<name>" handle (another is nulled),
    and scrubs an MCP component's Headers box (a node with an `mcp_server` field) as a value only, even when it
    is marked password: its secret-like headers go, the others stay."""
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow = prompt_with(good={"type": "connection_ref", "value": "slack/team_bot"},
                       bad={"type": "connection_ref", "value": "Slack/Team Bot"},
                       mcp_server={"type": "mcp", "value": {"name": "tools"}},
                       headers={"type": "dict", "password": True, "value": {"X-Tenant": "acme", "Authorization": "t"}})
    public = create_flow(client, headers, {**flow, "name": "shared", "access_type": "PUBLIC"})["id"]
    assert replies_of(client, public) == ["|".join(["hi", "slack/team_bot", "", str({"name": "tools"}),
                                                    str({"X-Tenant": "acme", "Authorization": None})])]
