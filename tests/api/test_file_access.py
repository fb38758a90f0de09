"""1.13's restricted local file access (LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS, on by default) on every run path:
each refuses a file field naming a path outside the caller's and the flow's storage in its own error shape;
1.8 and 1.7.1 check nothing."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_files_run import LOCAL_FILE_ACCESS_DENIED, file_flow, prompting_flow, storage_path
from tests.api.test_mcp import call, mcp_flow, project_id, set_project_auth
from tests.api.test_run import with_human_input
from tests.api.test_workflows import WF, sse, wait_failed, wait_status
from tests.conftest import create_flow, new_api_key, other_user_key

RELEASES = ["1.13.0", "1.8.4", "1.7.1"]
HTTP_EXCEPTION_REASON = "**HTTPException**\n - **An unknown error occurred.**\n"


def server(make_client: Callable[..., TestClient], version: str = "1.13.0") -> tuple[TestClient, dict[str, str]]:
    client = make_client(langflow_version=version, job_latency_ms=0)
    return client, {"x-api-key": new_api_key(client)}


def chat_input_id(flow: dict[str, Any]) -> str:
    return next(n["id"] for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))


def reading_passwd() -> dict[str, Any]:
    """The File-reading flow whose saved path (file_path) is a server file, no storage key."""
    flow = file_flow()
    reader = next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")
    reader["data"]["node"]["template"]["path"].update({"value": ["passwd"], "file_path": ["/etc/passwd"]})
    return flow


def prompting_with_stored_files(path: str) -> dict[str, Any]:
    """Basic Prompting whose Chat Input holds `path` among its saved files."""
    flow = prompting_flow()
    node = next(n for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))
    node["data"]["node"]["template"]["files"].update({"value": [path], "file_path": [path]})
    return flow


def idle(client: TestClient) -> None:
    """Wait for the app's background runs (a webhook's) to end."""
    jobs = client.app.state.mock.jobs  # type: ignore[attr-defined]
    for _ in range(500):
        if not jobs.running():
            return
        time.sleep(0.01)
    raise AssertionError("a background run never ended")


def transactions(client: TestClient, headers: dict[str, str], flow_id: str) -> list[str]:
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    return sorted(t["vertex_id"] for t in logged["items"])


@pytest.mark.parametrize("version", RELEASES)
def test_run_advanced_answers_a_file_outside_storage_with_its_plain_500(make_client: Callable[..., TestClient],
                                                                      version: str) -> None:
    """/run/advanced builds its graph as /run does, so 1.13 refuses a saved path or a tweak's path outside the
    caller's storage; every release answers a graph or run that failed there with a 500 whose detail is the
    error's text alone (not /run's JSON text). 1.8 and 1.7.1 run the tweak and fail reading the saved file, its
    path joined to the storage directory as a "<folder>/<name>" key is (the folder empty)."""
    client, headers = server(make_client, version)
    reader = create_flow(client, headers, reading_passwd())
    stored = client.post(f"/api/v1/run/advanced/{reader['id']}", headers=headers,
                         json={"inputs": [{"input_value": "go"}]})
    prompting = create_flow(client, headers, prompting_flow())
    tweaked = client.post(f"/api/v1/run/advanced/{prompting['id']}", headers=headers,
                          json={"tweaks": {chat_input_id(prompting): {"files": ["/etc/notes.txt"]}}})
    if version == "1.13.0":
        assert (stored.status_code, stored.json()) == (500, {"detail": LOCAL_FILE_ACCESS_DENIED})
        assert (tweaked.status_code, tweaked.json()) == (500, {"detail": LOCAL_FILE_ACCESS_DENIED})
        assert transactions(client, headers, prompting["id"]) == []
    else:
        missing = storage_path("etc/passwd")
        assert (stored.status_code, stored.json()) == (500, {
            "detail": f"Error running graph: Error building Component Read File: \n\nFile not found: '{missing}' "
                      f"(resolved to: '{missing}'). Please upload the file again."})
        assert tweaked.status_code == 200, tweaked.text


@pytest.mark.parametrize("version", RELEASES)
def test_a_webhook_run_with_a_file_outside_storage_runs_no_component(make_client: Callable[..., TestClient],
                                                                     version: str) -> None:
    """The webhook answers 202 before its run; in 1.13 that run's graph is refused, so no vertex is built (none
    logs a transaction, no message is stored). 1.8 and 1.7.1 run the flow."""
    client, headers = server(make_client, version)
    flow = create_flow(client, headers, prompting_with_stored_files("/etc/passwd"))
    hooked = client.post(f"/api/v1/webhook/{flow['id']}", json={"any": "thing"}, headers=headers)
    assert hooked.status_code == 202
    idle(client)
    ran = transactions(client, headers, flow["id"])
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    if version == "1.13.0":
        assert (ran, messages) == ([], [])
    else:
        assert any(m["sender"] == "User" for m in messages), messages


def test_a_tool_call_with_a_file_outside_storage_is_an_error_result_with_the_refusal(
        make_client: Callable[..., TestClient]) -> None:
    """1.13's MCP tool call refuses the graph before its run: an error result, "Error Executing the <flow> tool.
    Error: <the refusal>", its text not hidden from a visitor of an auth-none project (it is no run's 500)."""
    client, headers = server(make_client)
    mcp_flow(client, headers, prompting_with_stored_files("/etc/passwd"), "ask")
    pid = project_id(client, headers)
    refused = {"content": [{"type": "text", "text": f"Error Executing the Files prompting tool. Error: "
                                                    f"{LOCAL_FILE_ACCESS_DENIED}"}], "isError": True}
    assert call(client, "/api/v1/mcp/streamable", headers, "files_prompting", input_value="x") == refused
    path = f"/api/v1/mcp/project/{pid}/streamable"
    assert call(client, path, headers, "ask", input_value="x") == refused
    set_project_auth(client, headers, pid, {"auth_type": "none"})
    assert call(client, path, {}, "ask", input_value="x") == refused


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_a_tool_call_reads_any_file_path(make_client: Callable[..., TestClient], version: str) -> None:
    client, headers = server(make_client, version)
    create_flow(client, headers, prompting_with_stored_files("/etc/passwd"))
    result = call(client, "/api/v1/mcp/streamable", headers, "files_prompting", input_value="x")
    assert result["isError"] is False, result


def unbuilt_error(text: str) -> dict[str, Any]:
    return {"text": f"{text}\n", "category": "error", "error": True}


@pytest.mark.parametrize("case", ["stored", "tweak", "tweak-object"])
def test_a_v2_stream_or_background_run_with_a_file_outside_storage_fails_as_its_graph_is_made(
        make_client: Callable[..., TestClient], case: str) -> None:
    """A v2 stream or background run builds its graph in the build loop once accepted: a saved path outside the
    caller's storage, or one a tweak sets as it is applied to the built graph (an object naming no file_path:
    "Runtime FileInput tweaks must provide a file path."), is the build's 400, whose error Message is the stream's
    one `error` event and the failed background job's error_detail."""
    client, headers = server(make_client)
    if case == "stored":
        flow_id, tweaks, reason = create_flow(client, headers, reading_passwd())["id"], {}, LOCAL_FILE_ACCESS_DENIED
    else:
        prompting = create_flow(client, headers, prompting_flow())
        flow_id = prompting["id"]
        value = ["/etc/passwd"] if case == "tweak" else {"name": "passwd"}
        tweaks = {chat_input_id(prompting): {"files": value}}
        reason = LOCAL_FILE_ACCESS_DENIED if case == "tweak" else "Runtime FileInput tweaks must provide a file path."
    body = {"flow_id": flow_id, "input_value": "x", "session_id": "fa", "tweaks": tweaks}
    stream = client.post(WF, json={**body, "mode": "stream"}, headers=headers)
    assert stream.status_code == 200
    [(frame, _)] = sse(stream.text)
    error = frame["data"]
    assert frame["event"] == "error"
    assert {key: error[key] for key in ("text", "category", "error")} == unbuilt_error(reason)
    assert error["content_blocks"][1]["contents"][0]["reason"] == HTTP_EXCEPTION_REASON
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()["job_id"]
    detail = wait_failed(client, headers, job)
    assert detail["error_detail"]["text"] == f"{reason}\n"
    assert transactions(client, headers, flow_id) == []


def failed_chat_input(build_data: dict[str, Any], chat_input: str) -> None:
    assert (build_data["id"], build_data["valid"], build_data["params"]) == (chat_input, False,
                                                                              LOCAL_FILE_ACCESS_DENIED)
    [output] = build_data["data"]["outputs"].values()
    assert output["message"]["errorMessage"] == LOCAL_FILE_ACCESS_DENIED


@pytest.mark.parametrize("version", RELEASES)
def test_a_builds_files_outside_storage_fail_its_chat_input_vertex_alone(make_client: Callable[..., TestClient],
                                                                         version: str) -> None:
    """A build hands its `files` to the Chat Input as it builds that vertex; 1.13 checks them then, so the vertex
    fails with the refusal as its whole text (no "Error building Component", no error message, no transaction)
    and the build goes on without what depends on it. 1.8 and 1.7.1 hand the paths over as they are."""
    client, headers = server(make_client, version)
    flow = create_flow(client, headers, prompting_flow())
    chat_input = chat_input_id(flow)
    job = client.post(f"/api/v1/build/{flow['id']}/flow", headers=headers,
                      json={"inputs": {"input_value": "hi"}, "files": ["/etc/notes.txt"]}).json()["job_id"]
    blocks: list[dict[str, Any]] = []
    for _ in range(500):
        polled = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
        blocks += [json.loads(line) for line in polled.text.split("\n") if line.strip()]
        if blocks and blocks[-1]["event"] == "end":
            break
        time.sleep(0.01)
    built = {b["data"]["build_data"]["id"]: b["data"]["build_data"] for b in blocks if b["event"] == "end_vertex"}
    if version == "1.13.0":
        failed_chat_input(built[chat_input], chat_input)
        assert not any(b["event"] in ("add_message", "error") for b in blocks)
        assert not any(i.startswith(("LanguageModel", "ChatOutput")) for i in built)
        assert chat_input not in transactions(client, headers, flow["id"])
    else:
        assert built[chat_input]["valid"] is True
        assert any(i.startswith("ChatOutput") for i in built)


def test_a_v2_stream_or_background_runs_files_outside_storage_fail_its_chat_input_vertex(
        make_client: Callable[..., TestClient]) -> None:
    """A v2 stream or background run hands its `files` to the Chat Input in the build loop: in 1.13 that vertex
    fails alone. It sends no `error` event, and 1.13's background runner fails a job only on one: the job
    completes."""
    client, headers = server(make_client)
    flow = create_flow(client, headers, prompting_flow())
    chat_input = chat_input_id(flow)
    body = {"flow_id": flow["id"], "input_value": "x", "files": ["/etc/passwd"]}
    stream = client.post(WF, json={**body, "mode": "stream"}, headers=headers)
    built = [d["data"]["build_data"] for d, _ in sse(stream.text) if d["event"] == "end_vertex"]
    failed_chat_input(next(b for b in built if b["id"] == chat_input), chat_input)
    job = client.post(WF, json={**body, "mode": "background"}, headers=headers).json()["job_id"]
    assert wait_status(client, headers, job, {"completed"})["status"] == "completed"


def test_a_run_refuses_a_flow_that_would_pause_for_a_person_before_its_files(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.13's /run checks for a Human-in-the-Loop node on the flow's data, then builds its graph (which checks its
    files): a flow with both is the 400 of the former."""
    client, headers = server(make_client)
    body = with_human_input(copy.deepcopy(chat_flow), connected=True)
    node = next(n for n in body["data"]["nodes"] if n["id"] == "ChatInput-aB1cD")
    node["data"]["node"]["template"]["files"].update({"value": ["/etc/passwd"], "file_path": ["/etc/passwd"]})
    flow = create_flow(client, headers, body)
    response = client.post(f"/api/v1/run/{flow['id']}", headers=headers, json={"input_value": "hi"})
    assert response.status_code == 400, response.text


def test_a_public_build_may_name_files_in_the_flows_own_folder(make_client: Callable[..., TestClient],
                                                               chat_flow: dict[str, Any]) -> None:
    """A public build runs under the visitor's virtual flow id, but 1.13 keeps the flow's own id as the graph's
    source flow, whose storage folder its file fields (stored, or the build's `files`) may name: a v1 upload of
    the flow is read, not refused."""
    client, headers = server(make_client)
    flow = create_flow(client, headers, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})
    key = client.post(f"/api/v1/files/upload/{flow['id']}", files={"file": ("notes.txt", b"notes", "text/plain")},
                      headers=headers).json()["file_path"]
    data = copy.deepcopy(flow["data"])
    node = next(n for n in data["nodes"] if n["id"] == "ChatInput-aB1cD")
    node["data"]["node"]["template"]["files"].update({"value": [key], "file_path": [key]})
    assert client.patch(f"/api/v1/flows/{flow['id']}", json={"data": data}, headers=headers).status_code == 200
    job = client.post(f"/api/v1/build_public_tmp/{flow['id']}/flow", headers={"Cookie": "client_id=visitor-1"},
                      json={"inputs": {"input_value": "hi"}, "files": [key]}).json()["job_id"]
    found = [json.loads(line) for line in client.get(f"/api/v1/build_public_tmp/{job}/events").text.split("\n")
             if line.strip()]
    built = {e["data"]["build_data"]["id"]: e["data"]["build_data"] for e in found if e["event"] == "end_vertex"}
    assert built["ChatInput-aB1cD"]["valid"] is True, built
    assert not any(e["event"] == "error" for e in found)


# --- which paths 1.13 refuses, with LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS on (the default) and off --------------

def run_with_files(client: TestClient, headers: dict[str, str], flow: dict[str, Any], paths: list[str]) -> Any:
    """A /run whose tweak sets the Chat Input's files (its file_path, which Langflow checks and resolves)."""
    return client.post(f"/api/v1/run/{flow['id']}", headers=headers,
                       json={"input_value": "hi", "tweaks": {chat_input_id(flow): {"files": paths}}})


def refusal(response: Any) -> str:
    """The file-access error of a /run whose graph was refused (its 500's JSON detail)."""
    assert response.status_code == 500, response.text
    return str(json.loads(response.json()["detail"])["message"])


def logged_files(client: TestClient, headers: dict[str, str], flow: dict[str, Any]) -> list[Any]:
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"]}, headers=headers).json()
    return [t["inputs"]["files"] for t in logged["items"] if t["vertex_id"] == chat_input_id(flow)]


@pytest.mark.parametrize("restrict", [True, False])
def test_a_storage_key_naming_the_flows_folder_in_capitals(make_client: Callable[..., TestClient],
                                                           restrict: bool) -> None:
    """Restricted, Langflow compares the path the key resolves to with the flow's folder, case-sensitively: the
    flow's id in capitals is another folder, refused. With the restriction off it checks the key's namespace
    case-folded: accepted, and resolved as written."""
    client = make_client(job_latency_ms=0, restrict_local_file_access=restrict)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, prompting_flow())
    key = f"{flow['id'].upper()}/notes.txt"
    response = run_with_files(client, headers, flow, [key])
    if restrict:
        assert refusal(response) == LOCAL_FILE_ACCESS_DENIED
    else:
        assert response.status_code == 200, response.text
        assert logged_files(client, headers, flow) == [[storage_path(key)]]


UNRESTRICTED_REFUSALS = [
    ("{other}/notes.txt", "Access to a storage namespace outside the authenticated user's or executing flow's "
                          "scope is not permitted."),
    ("{flow}/sub/notes.txt", "Invalid storage file name: contains path separators or traversal sequences."),
    ("{flow}/..notes", "Invalid storage file name: contains path separators or traversal sequences."),
    ("../notes.txt", "Access to a storage namespace outside the authenticated user's or executing flow's scope "
                     "is not permitted."),
    ("sub\\notes.txt", "Relative FileInput paths must not contain backslash separators or traversal sequences."),
    ("{flow}/", "Invalid storage path '{flow}/'. Expected '<namespace>/<file_name>'."),
]


@pytest.mark.parametrize(("path", "error"), UNRESTRICTED_REFUSALS)
def test_with_the_restriction_off_a_storage_key_must_still_name_the_runs_folders(
        make_client: Callable[..., TestClient], path: str, error: str) -> None:
    """LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS=false lets a run read any path, but 1.13 still refuses a relative
    "<namespace>/<name>" key outside the caller's and the flow's folders, or not well formed, each with its
    own error (the run's graph is refused as when restricted)."""
    client = make_client(job_latency_ms=0, restrict_local_file_access=False)
    headers = {"x-api-key": new_api_key(client)}
    other = client.post("/api/v2/files", files={"file": ("notes.txt", b"n", "text/plain")},
                        headers={"x-api-key": other_user_key(client, headers)}).json()["path"].split("/")[0]
    flow = create_flow(client, headers, prompting_flow())
    response = run_with_files(client, headers, flow, [path.format(flow=flow["id"], other=other)])
    assert refusal(response) == error.format(flow=flow["id"])


@pytest.mark.parametrize(("path", "resolved"), [
    # a Chat Input's file needs a type Langflow can name (else its vertex fails: test_files_run.py)
    ("/etc/notes.txt", "etc/notes.txt"),  # split at its first "/": an empty folder, which adds nothing as it joins
    ("notes.txt", None),  # no "/": kept as it is
    ("C:/data/notes.txt", "C:/data/notes.txt"),
    ("{user}/notes.txt", "{user}/notes.txt"),
])
def test_with_the_restriction_off_any_other_path_is_handed_over(make_client: Callable[..., TestClient],
                                                                path: str, resolved: str | None) -> None:
    """With the restriction off an absolute path (POSIX or Windows), a bare name, or the caller's own folder is
    run, each resolved as Langflow's storage joins it; restricted, all but the last are refused."""
    for restrict in (True, False):
        client = make_client(job_latency_ms=0, restrict_local_file_access=restrict)
        headers = {"x-api-key": new_api_key(client)}
        user = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
        flow = create_flow(client, headers, prompting_flow())
        response = run_with_files(client, headers, flow, [path.format(user=user)])
        if restrict and "{user}" not in path:
            assert refusal(response) == LOCAL_FILE_ACCESS_DENIED
            continue
        assert response.status_code == 200, response.text
        expected = path if resolved is None else storage_path(resolved.format(user=user))
        assert logged_files(client, headers, flow) == [[expected]]


def test_with_the_restriction_off_a_builds_files_are_checked_and_kept_as_given(
        make_client: Callable[..., TestClient]) -> None:
    """A build's `files` reach the Chat Input as it is built: with the restriction off 1.13 refuses another
    folder's key there (that vertex alone fails with the namespace error), and hands any other path over
    unresolved."""
    client = make_client(job_latency_ms=0, restrict_local_file_access=False)
    headers = {"x-api-key": new_api_key(client)}
    other = client.post("/api/v2/files", files={"file": ("notes.txt", b"n", "text/plain")},
                        headers={"x-api-key": other_user_key(client, headers)}).json()["path"]
    flow = create_flow(client, headers, prompting_flow())
    chat_input = chat_input_id(flow)
    for files, valid in ((["/etc/notes.txt"], True), ([other], False)):
        job = client.post(f"/api/v1/build/{flow['id']}/flow", headers=headers,
                          json={"inputs": {"input_value": "hi"}, "files": files}).json()["job_id"]
        blocks: list[dict[str, Any]] = []
        for _ in range(500):
            polled = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"},
                                headers=headers)
            blocks += [json.loads(line) for line in polled.text.split("\n") if line.strip()]
            if blocks and blocks[-1]["event"] == "end":
                break
            time.sleep(0.01)
        built = {b["data"]["build_data"]["id"]: b["data"]["build_data"] for b in blocks if b["event"] == "end_vertex"}
        assert built[chat_input]["valid"] is valid
        if not valid:
            assert built[chat_input]["params"] == ("Access to a storage namespace outside the authenticated user's "
                                                   "or executing flow's scope is not permitted.")
    assert logged_files(client, headers, flow) == [["/etc/notes.txt"]]


@pytest.mark.parametrize(("path", "error"), [
    ("{flow}//etc/passwd", LOCAL_FILE_ACCESS_DENIED),  # a name starting with "/" replaces the folder as it joins
    ("{flow}///etc/passwd", "Access to UNC and device file paths is not permitted."),  # joins to "//etc/passwd"
    ("{flow}/../{flow}2/notes.txt", LOCAL_FILE_ACCESS_DENIED),
])
def test_restricted_a_key_is_judged_by_the_path_it_joins_to(make_client: Callable[..., TestClient], path: str,
                                                             error: str) -> None:
    client, headers = server(make_client)
    flow = create_flow(client, headers, prompting_flow())
    assert refusal(run_with_files(client, headers, flow, [path.format(flow=flow["id"])])) == error


def test_restricted_a_key_with_a_leading_slash_is_the_flows_folder_and_logs_its_normalised_path(
        make_client: Callable[..., TestClient]) -> None:
    """"/<flow id>/notes.txt" joins to the flow's folder (the empty folder before the first "/" adds nothing):
    read, and logged as the path it resolves to."""
    client, headers = server(make_client)
    flow = create_flow(client, headers, prompting_flow())
    key = f"{flow['id']}/notes.txt"
    response = run_with_files(client, headers, flow, [f"/{key}", f"{flow['id']}/./sub/../notes.txt"])
    assert response.status_code == 200, response.text
    assert logged_files(client, headers, flow) == [[storage_path(key), storage_path(key)]]


def test_before_1_13_a_path_with_a_slash_is_joined_to_storage_as_it_is(make_client: Callable[..., TestClient]) -> None:
    """Before 1.13 nothing is checked; a value with a "/" is split at its first one and joined to the storage
    directory (an absolute path too: its empty first part adds nothing), without normalising it (1.8 logs it;
    1.7.1, whose storage joins it alike, logs no transactions)."""
    client, headers = server(make_client, "1.8.4")
    flow = create_flow(client, headers, prompting_flow())
    response = run_with_files(client, headers, flow, ["/etc/notes.txt", "a/./b/../c.md", "notes.txt"])
    assert response.status_code == 200, response.text
    assert logged_files(client, headers, flow) == [[storage_path("etc/notes.txt"), storage_path("a/b/../c.md"),
                                                    "notes.txt"]]


def test_the_restriction_is_read_from_langflows_environment_variable(make_client: Callable[..., TestClient],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS", "false")
    client, headers = server(make_client)
    flow = create_flow(client, headers, prompting_flow())
    assert run_with_files(client, headers, flow, ["/etc/notes.txt"]).status_code == 200


def test_a_public_builds_files_naming_the_flow_in_capitals_pass_its_check_but_not_the_chat_inputs(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """The public build's up-front check compares the flow's id case-insensitively, so "<FLOW ID>/notes.txt" is
    accepted there; the Chat Input's check then compares the path it joins to, case-sensitively, and fails that
    vertex (its text hidden from the visitor)."""
    client, headers = server(make_client)
    flow = create_flow(client, headers, {**chat_flow, "name": "shared", "access_type": "PUBLIC"})
    job = client.post(f"/api/v1/build_public_tmp/{flow['id']}/flow", headers={"Cookie": "client_id=visitor-1"},
                      json={"inputs": {"input_value": "hi"}, "files": [f"{flow['id'].upper()}/notes.txt"]})
    assert job.status_code == 200, job.text
    found = [json.loads(line) for line in
             client.get(f"/api/v1/build_public_tmp/{job.json()['job_id']}/events").text.split("\n") if line.strip()]
    built = {e["data"]["build_data"]["id"]: e["data"]["build_data"] for e in found if e["event"] == "end_vertex"}
    assert (built["ChatInput-aB1cD"]["valid"], built["ChatInput-aB1cD"]["params"]) == (
        False, "Workflow execution failed.")


@pytest.mark.parametrize("restrict", [True, False])
def test_a_list_of_paths_in_a_single_file_field_is_no_path(make_client: Callable[..., TestClient],
                                                           restrict: bool) -> None:
    """A file field that takes one path (not `list`) must be given a text: a list there, even of the flow's own
    keys, is "FileInput values must be file path strings.", the restriction on or off."""
    client = make_client(job_latency_ms=0, restrict_local_file_access=restrict)
    headers = {"x-api-key": new_api_key(client)}
    flow = file_flow()
    reader = next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")
    reader["data"]["node"]["template"]["path"]["list"] = False
    created = create_flow(client, headers, flow)
    response = client.post(f"/api/v1/run/{created['id']}", headers=headers, json={
        "input_value": "go", "tweaks": {"File-t2Ngc": {"path": [f"{created['id']}/notes.txt"]}}})
    assert refusal(response) == "FileInput values must be file path strings."


@pytest.mark.parametrize(("path", "error"), [
    ("{flow}/no\x00tes.txt", "embedded null byte"),  # pathlib's resolve refuses a NUL before any scope is compared
    ("/etc/pass\x00wd", "embedded null byte"),
    ("no\x00tes.txt", "embedded null byte"),  # a bare name is resolved too
    ("\\\\server\\share\\notes.txt", "Access to UNC and device file paths is not permitted."),  # either slash
])
def test_restricted_a_path_is_checked_as_pathlib_resolves_it(make_client: Callable[..., TestClient], path: str,
                                                             error: str) -> None:
    """1.13's check of a file path: a UNC path (either slash) is refused first, then the path is resolved, which
    fails on a NUL byte with Python's own ValueError (its text), failing /run as the refusals do."""
    client, headers = server(make_client)
    flow = create_flow(client, headers, prompting_flow())
    assert refusal(run_with_files(client, headers, flow, [path.format(flow=flow["id"])])) == error


def test_a_builds_path_with_a_nul_byte_is_its_500_not_the_refusals_400(make_client: Callable[..., TestClient]) -> None:
    """1.13's build turns a refusal (LocalFileAccessError) made as it makes the graph into a 400 and any other
    error into a 500: a path holding a NUL fails with pathlib's ValueError, so the build's events end with
    "500: embedded null byte" where a path outside storage gives the 400; a v2 stream's error event carries the
    text alike."""
    client, headers = server(make_client)
    flow = create_flow(client, headers, prompting_with_stored_files("/etc/pa\x00sswd"))
    job = client.post(f"/api/v1/build/{flow['id']}/flow", headers=headers, json={}).json()["job_id"]
    events = client.get(f"/api/v1/build/{job}/events", params={"event_delivery": "direct"}, headers=headers)
    blocks = [json.loads(line) for line in events.text.split("\n") if line.strip()]
    assert [b["event"] for b in blocks] == ["error", "error"]
    assert blocks[0]["data"]["text"] == "embedded null byte\n"
    assert blocks[1]["data"] == {"error": "500: embedded null byte"}
    stream = client.post(WF, json={"flow_id": flow["id"], "input_value": "x", "mode": "stream"}, headers=headers)
    [(frame, _)] = sse(stream.text)
    assert frame["event"] == "error"
    assert {key: frame["data"][key] for key in ("text", "category", "error")} == unbuilt_error("embedded null byte")
