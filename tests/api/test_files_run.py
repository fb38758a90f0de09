"""Stored files given to a run through tweaks: the run reads them, and the scripted LLM matches on them."""

from __future__ import annotations

import copy
import json
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, new_api_key, other_user_key

FLOWS = Path(__file__).resolve().parents[2] / "fixtures" / "flows"
SCRIPT = """
rules:
  - name: by-name
    match: {file_name: notes.txt}
    reply: "I read notes.txt."
  - name: by-content
    match: {file_contains: "launch code 42"}
    reply: "The file mentions the launch code."
"""


@pytest.fixture
def scripted(make_client: Callable[..., TestClient], tmp_path: Path) -> TestClient:
    script = tmp_path / "files.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    return make_client(scripts=[script])


@pytest.fixture
def headers(scripted: TestClient) -> dict[str, str]:
    return {"x-api-key": new_api_key(scripted)}


def prompting_flow() -> dict[str, Any]:
    """Chat Input -> Language Model -> Chat Output (with a system prompt), as the examples ship it."""
    body: dict[str, Any] = json.loads((FLOWS / "basic_prompting.json").read_text(encoding="utf-8"))
    return {"name": "Files prompting", "data": body["data"]}


def file_flow() -> dict[str, Any]:
    """The same flow with a File component (id File-t2Ngc, `path` field) in place of the Chat Input."""
    flow = copy.deepcopy(prompting_flow())
    nodes = flow["data"]["nodes"]
    chat = next(n for n in nodes if n["id"].startswith("ChatInput"))
    nodes.remove(chat)
    nodes.append({"id": "File-t2Ngc", "type": "genericNode", "position": {"x": 0, "y": 0}, "data": {
        "id": "File-t2Ngc", "type": "File", "node": {
            "display_name": "Read File",
            "template": {"_type": "Component", "path": {"type": "file", "list": True, "value": [], "show": True},
                         "silent_errors": {"type": "bool", "value": False, "show": True}},
            "outputs": [{"name": "message", "types": ["Message"]}]}}})
    for edge in flow["data"]["edges"]:
        if edge["source"] == chat["id"]:
            edge["source"] = "File-t2Ngc"
            edge["data"]["sourceHandle"] = {"dataType": "File", "id": "File-t2Ngc", "name": "message",
                                            "output_types": ["Message"]}
    flow["name"] = "Files reader"
    return flow


def reply(response: Any) -> str:
    assert response.status_code == 200, response.text
    return str(response.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"])


def prompting_setup(make_client: Callable[..., TestClient],
                    version: str) -> tuple[TestClient, dict[str, str], dict[str, Any], str]:
    """A server of `version` with a key, the prompting flow stored, and its Chat Input's id."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, prompting_flow())
    return client, headers, flow, next(n["id"] for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))


def test_chat_input_files_give_the_model_a_v2_file_by_name(scripted: TestClient, headers: dict[str, str]) -> None:
    flow = create_flow(scripted, headers, prompting_flow())
    path = scripted.post("/api/v2/files", files={"file": ("notes.txt", b"just notes", "text/plain")},
                         headers=headers).json()["path"]
    chat_input = next(n["id"] for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))
    response = scripted.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "what is in the file?", "tweaks": {chat_input: {"files": path}}})
    assert reply(response) == "I read notes.txt."
    without = scripted.post(f"/api/v1/run/{flow['id']}", headers=headers, json={"input_value": "what file?"})
    assert reply(without) == "Scripted reply to: what file?"


def test_a_chat_input_word_file_is_matched_by_the_text_read_file_extracts(scripted: TestClient,
                                                                          headers: dict[str, str]) -> None:
    """A rule's file_contains reads a Word file as Read File does (its paragraphs' text), not its zipped bytes."""
    from tests.api.test_read_file_parsing import word

    document = word("<w:p><w:r><w:t>the launch code 42 is secret</w:t></w:r></w:p>", deflated=True)
    assert b"launch code 42" not in document
    flow = create_flow(scripted, headers, prompting_flow())
    path = scripted.post("/api/v2/files", files={"file": ("brief.docx", document, "application/octet-stream")},
                         headers=headers).json()["path"]
    chat_input = next(n["id"] for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))
    response = scripted.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "go", "tweaks": {chat_input: {"files": path}}})
    assert reply(response) == "The file mentions the launch code."


def test_file_component_reads_a_v1_file_and_the_model_matches_its_text(scripted: TestClient,
                                                                       headers: dict[str, str]) -> None:
    flow = create_flow(scripted, headers, file_flow())
    uploaded = scripted.post(f"/api/v1/files/upload/{flow['id']}",
                             files={"file": ("brief.txt", b"the launch code 42 is secret", "text/plain")},
                             headers=headers)
    response = scripted.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "go", "tweaks": {"File-t2Ngc": {"path": [uploaded.json()["file_path"]]}}})
    assert reply(response) == "The file mentions the launch code."


LOCAL_FILE_ACCESS_DENIED = ("Access to local file paths outside the authenticated user's storage scope is disabled "
                            "(LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS=true). Use an uploaded file instead.")


def refused_for_file_access(response: Any) -> None:
    """1.13's answer to a run whose file field names a path outside the caller's and the flow's storage: the
    graph is not built, a 500 whose message is the file-access error alone (no component named)."""
    assert response.status_code == 500, response.text
    assert json.loads(response.json()["detail"]) == {"message": LOCAL_FILE_ACCESS_DENIED, "traceback": None,
                                                     "description": None, "code": None, "suggestion": None}


def test_a_run_cannot_read_another_users_file(scripted: TestClient, headers: dict[str, str]) -> None:
    """1.13 (LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS on by default) refuses, before any component runs, a Chat Input's
    files or a File component's path naming another user's file, or a bare local path."""
    bob = {"x-api-key": other_user_key(scripted, headers)}
    bobs = scripted.post("/api/v2/files", files={"file": ("notes.txt", b"launch code 42", "text/plain")},
                         headers=bob).json()["path"]
    prompting = create_flow(scripted, headers, prompting_flow())
    chat_input = next(n["id"] for n in prompting["data"]["nodes"] if n["id"].startswith("ChatInput"))
    reader = create_flow(scripted, headers, file_flow())
    for path in (bobs, "/etc/passwd", "notes.txt"):
        refused_for_file_access(scripted.post(f"/api/v1/run/{prompting['id']}", headers=headers, json={
            "input_value": "peek", "tweaks": {chat_input: {"files": [path]}}}))
        refused_for_file_access(scripted.post(f"/api/v1/run/{reader['id']}", headers=headers, json={
            "input_value": "go", "tweaks": {"File-t2Ngc": {"path": [path]}}}))


def test_a_stored_path_outside_the_callers_storage_fails_run_and_v2_sync_before_any_component(
        scripted: TestClient, headers: dict[str, str]) -> None:
    """The editor's saved file_path is checked too: /run answers its 500; a synchronous v2 run its 400
    INVALID_FLOW_DATA, "Failed to build graph from flow data: " and the file-access error."""
    flow = file_flow()
    reader = next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")
    reader["data"]["node"]["template"]["path"].update({"value": ["passwd"], "file_path": ["/etc/passwd"]})
    created = create_flow(scripted, headers, flow)
    refused_for_file_access(scripted.post(f"/api/v1/run/{created['id']}", headers=headers, json={"input_value": "go"}))
    synced = scripted.post("/api/v2/workflows", headers=headers, json={"flow_id": created["id"], "mode": "sync"})
    assert (synced.status_code, synced.json()) == (400, {"detail": {
        "error": "Workflow validation error", "code": "INVALID_FLOW_DATA",
        "message": f"Failed to build graph from flow data: {LOCAL_FILE_ACCESS_DENIED}", "flow_id": created["id"]}})


def test_a_build_with_a_stored_path_outside_the_callers_storage_fails_as_its_graph_is_made(
        scripted: TestClient, headers: dict[str, str]) -> None:
    """A build's graph is refused with a 400, which its events carry as an HTTPException's error Message (the
    detail as its text) and then "400: <detail>"; no vertex is built."""
    flow = file_flow()
    reader = next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")
    reader["data"]["node"]["template"]["path"].update({"value": ["passwd"], "file_path": ["/etc/passwd"]})
    created = create_flow(scripted, headers, flow)
    job = scripted.post(f"/api/v1/build/{created['id']}/flow", headers=headers, json={}).json()["job_id"]
    polled = scripted.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
    blocks = [json.loads(line) for line in polled.text.split("\n") if line.strip()]
    for _ in range(100):
        if len(blocks) >= 2:
            break
        time.sleep(0.01)
        more = scripted.get(f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=headers)
        blocks += [json.loads(line) for line in more.text.split("\n") if line.strip()]
    assert [b["event"] for b in blocks[:2]] == ["error", "error"]
    message = blocks[0]["data"]
    assert message["text"] == LOCAL_FILE_ACCESS_DENIED + "\n"
    reason = message["content_blocks"][1]["contents"][0]["reason"]
    assert reason == "**HTTPException**\n - **An unknown error occurred.**\n"
    assert blocks[1]["data"] == {"error": f"400: {LOCAL_FILE_ACCESS_DENIED}"}


def storage_path(key: str) -> str:
    """Where Langflow started without LANGFLOW_CONFIG_DIR keeps a file: its platformdirs cache dir."""
    return str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "langflow" / key)


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_transaction_logs_a_file_field_as_its_storage_path(make_client: Callable[..., TestClient],
                                                             version: str) -> None:
    """Langflow resolves a file field's storage key ("<flow id>/<name>" of a v1 upload, "<user id>/<name>" of a
    v2 one) to the file's path under its storage directory before the vertex runs, and logs that."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    reader = create_flow(client, headers, file_flow())
    v1 = client.post(f"/api/v1/files/upload/{reader['id']}", files={"file": ("brief.txt", b"brief", "text/plain")},
                     headers=headers).json()["file_path"]
    response = client.post(f"/api/v1/run/{reader['id']}", headers=headers,
                           json={"input_value": "go", "tweaks": {"File-t2Ngc": {"path": v1}}})
    assert response.status_code == 200, response.text
    prompting = create_flow(client, headers, prompting_flow())
    v2 = client.post("/api/v2/files", files={"file": ("notes.txt", b"notes", "text/plain")},
                     headers=headers).json()["path"]
    chat_input = next(n["id"] for n in prompting["data"]["nodes"] if n["id"].startswith("ChatInput"))
    response = client.post(f"/api/v1/run/{prompting['id']}", headers=headers,
                           json={"input_value": "go", "tweaks": {chat_input: {"files": [v2]}}})
    assert response.status_code == 200, response.text
    inputs = {}
    for flow in (reader, prompting):
        logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"]}, headers=headers).json()
        inputs.update({t["vertex_id"]: t["inputs"] for t in logged["items"]})
    assert inputs["File-t2Ngc"]["path"] == [storage_path(v1)]
    assert inputs[chat_input]["files"] == [storage_path(v2)]


def test_a_v2_background_runs_files_are_logged_as_their_storage_paths(client: TestClient,
                                                                        chat_flow: dict[str, Any]) -> None:
    """1.13 resolves the files a run hands its Chat Input as it resolves a file field's own (its restricted
    local file access, on by default)."""
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    v2 = client.post("/api/v2/files", files={"file": ("notes.txt", b"notes", "text/plain")},
                     headers=headers).json()["path"]
    job = client.post("/api/v2/workflows", headers=headers, json={
        "flow_id": flow_id, "mode": "background", "input_value": "go", "files": [v2]}).json()["job_id"]
    for _ in range(500):
        if client.get("/api/v2/workflows", params={"job_id": job}, headers=headers).json()["status"] == "completed":
            break
        time.sleep(0.01)
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    [chat_input] = [t["inputs"] for t in logged["items"] if t["vertex_id"] == "ChatInput-aB1cD"]
    assert chat_input["files"] == [storage_path(v2)]


def test_a_file_component_reads_the_file_path_the_editor_saved(scripted: TestClient, headers: dict[str, str]) -> None:
    """Langflow's editor keeps a chosen file's storage key in the field's `file_path` and its name in `value`; the
    component gets the file_path."""
    stored = scripted.post("/api/v2/files", files={"file": ("brief.txt", b"the launch code 42", "text/plain")},
                           headers=headers).json()
    flow = file_flow()
    reader = next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")
    reader["data"]["node"]["template"]["path"].update({"value": ["brief.txt"], "file_path": [stored["path"]]})
    created = create_flow(scripted, headers, flow)
    response = scripted.post(f"/api/v1/run/{created['id']}", headers=headers, json={"input_value": "go"})
    assert reply(response) == "The file mentions the launch code."


def tiny_png() -> bytes:
    """A 1x1 grey PNG that PIL opens and verifies."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND",
                                                                                                         b"")


def user_message_files(client: TestClient, headers: dict[str, str], flow_id: str,
                        files: list[str]) -> tuple[list[Any], list[Any], str]:
    """Stream a run handing the flow's Chat Input `files`: the user message's files in its add_message event and
    as GET /api/v1/monitor/messages lists them, and its session id."""
    flow = client.get(f"/api/v1/flows/{flow_id}", headers=headers).json()
    chat_input = next(n["id"] for n in flow["data"]["nodes"] if n["id"].startswith("ChatInput"))
    response = client.post(f"/api/v1/run/{flow_id}", params={"stream": "true"}, headers=headers,
                           json={"input_value": "look", "tweaks": {chat_input: {"files": files}}})
    assert response.status_code == 200, response.text
    events = [json.loads(part) for part in response.text.strip().split("\n\n")]
    added = next(e["data"] for e in events if e["event"] == "add_message" and e["data"]["sender"] == "User")
    stored = next(m for m in client.get("/api/v1/monitor/messages", params={"flow_id": flow_id},
                                        headers=headers).json() if m["sender"] == "User")
    return added["files"], json.loads(stored["files"]), stored["session_id"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_chat_inputs_message_keeps_its_files_storage_paths(make_client: Callable[..., TestClient],
                                                               version: str) -> None:
    """Every release hands a Chat Input the storage path of a file a /run tweak names (the field's file_path,
    resolved), and its message stores and shows that path, not the storage key."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, prompting_flow())
    v2 = client.post("/api/v2/files", files={"file": ("notes.txt", b"notes", "text/plain")},
                     headers=headers).json()["path"]
    shown, stored, _ = user_message_files(client, headers, flow["id"], [v2])
    assert shown == stored == [storage_path(v2)]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_chat_inputs_image_files_show_as_images(make_client: Callable[..., TestClient], version: str) -> None:
    """Langflow's Message makes an Image of a path that opens as an image: the stored message keeps it as its
    path from the session id on when the path holds the session id (a v1 upload's flow folder, the flow's id
    being the default session), else whole, and its event shows the whole one as {"path", "url": null}; before
    1.13 the stored message keeps only the images once any file is one."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, prompting_flow())
    v2 = client.post("/api/v2/files", files={"file": ("pix.png", tiny_png(), "image/png")},
                     headers=headers).json()["path"]
    v1 = client.post(f"/api/v1/files/upload/{flow['id']}", files={"file": ("flow.png", tiny_png(), "image/png")},
                     headers=headers).json()["file_path"]
    text = client.post("/api/v2/files", files={"file": ("notes.txt", b"\x89PNG\r\n\x1a\nfake", "text/plain")},
                       headers=headers).json()["path"]
    shown, stored, session = user_message_files(client, headers, flow["id"], [v2, v1, text])
    assert session == flow["id"]
    images = [storage_path(v2), v1]
    assert stored == (images + [storage_path(text)] if version == "1.13.0" else images)
    assert shown == [{"path": storage_path(v2), "url": None}, *stored[1:]]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_file_component_reads_what_its_path_field_hands_it(make_client: Callable[..., TestClient],
                                                              version: str) -> None:
    """The File component gets its `path` field's file_path resolved under the storage directory; a field with
    only a `value` hands it that only in 1.13 (its local file access restricted), else no file, which fails it
    ("No files to process."); a file that is not there fails it with the path it got and where that resolves."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = file_flow()
    reader = create_flow(client, headers, flow)
    key = client.post(f"/api/v1/files/upload/{reader['id']}", files={"file": ("brief.txt", b"brief", "text/plain")},
                      headers=headers).json()["file_path"]
    node = next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")
    node["data"]["node"]["template"]["path"]["value"] = [key]
    client.patch(f"/api/v1/flows/{reader['id']}", json={"data": flow["data"]}, headers=headers)
    ran = client.post(f"/api/v1/run/advanced/{reader['id']}", headers=headers, json={"inputs": [{"input_value": "go"}]})
    if version == "1.13.0":
        assert ran.status_code == 200, ran.text
    else:
        assert (ran.status_code, ran.json()) == (
            500, {"detail": "Error running graph: Error building Component Read File: \n\nNo files to process."})
    gone = f"{reader['id']}/gone.txt"
    missing = client.post(f"/api/v1/run/advanced/{reader['id']}", headers=headers,
                          json={"inputs": [{"input_value": "go"}], "tweaks": {"File-t2Ngc": {"path": [gone]}}})
    where = storage_path(gone)
    assert (missing.status_code, missing.json()) == (500, {
        "detail": f"Error running graph: Error building Component Read File: \n\nFile not found: '{where}' (resolved "
                  f"to: '{where}'). Please upload the file again."})


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_builds_files_reach_the_message_as_the_release_resolves_them(make_client: Callable[..., TestClient],
                                                                         chat_flow: dict[str, Any],
                                                                         version: str) -> None:
    """The files a build hands its Chat Input: 1.13 resolves them to their storage paths (its restricted local
    file access), 1.8 hands them over as they came; the message's add_message event and its stored form agree."""
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, chat_flow)
    key = client.post("/api/v2/files", files={"file": ("notes.txt", b"notes", "text/plain")},
                      headers=headers).json()["path"]
    job = client.post(f"/api/v1/build/{flow['id']}/flow", headers=headers,
                      json={"inputs": {"input_value": "hi"}, "files": [key]}).json()["job_id"]
    events = [json.loads(line) for line in client.get(f"/api/v1/build/{job}/events", headers=headers).text.split("\n")
              if line.strip()]
    added = next(e["data"] for e in events if e["event"] == "add_message" and e["data"]["sender"] == "User")
    stored = next(m for m in client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]},
                                        headers=headers).json() if m["sender"] == "User")
    expected = [storage_path(key)] if version == "1.13.0" else [key]
    assert added["files"] == json.loads(stored["files"]) == expected


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_chat_inputs_artifacts_list_the_files_it_was_handed_with_name_and_type(
        make_client: Callable[..., TestClient], version: str) -> None:
    """A Chat Input's vertex reports its files (its `files` parameter, every one, images or not) in its artifacts
    as Langflow's ChatOutputResponse shapes them: {"path", "name": the last part of the path, "type": the
    extension when it is a known file type}, in every release."""
    client, headers, flow, chat_input = prompting_setup(make_client, version)
    text = client.post("/api/v2/files", files={"file": ("notes.txt", b"notes", "text/plain")},
                       headers=headers).json()["path"]
    image = client.post(f"/api/v1/files/upload/{flow['id']}", files={"file": ("flow.png", tiny_png(), "image/png")},
                        headers=headers).json()["file_path"]
    response = client.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "look", "output_type": "debug", "tweaks": {chat_input: {"files": [text, image]}}})
    assert response.status_code == 200, response.text
    shown = next(o for o in response.json()["outputs"][0]["outputs"] if o["component_id"] == chat_input)
    assert shown["artifacts"]["files"] == [
        {"path": storage_path(text), "name": "notes.txt", "type": "txt"},
        {"path": storage_path(image), "name": image.rsplit("/", 1)[-1], "type": "png"}]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_file_component_with_silent_errors_passes_over_a_missing_file_but_needs_one(
        make_client: Callable[..., TestClient], version: str) -> None:
    """With silent_errors a File component passes over a file that is not there (its file filter drops it) and
    reads the others; when none is left its file processing fails as with no file at all ("No files to
    process."), in every release."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = file_flow()
    next(n for n in flow["data"]["nodes"] if n["id"] == "File-t2Ngc")["data"]["node"]["template"][
        "silent_errors"]["value"] = True
    reader = create_flow(client, headers, flow)
    key = client.post(f"/api/v1/files/upload/{reader['id']}", files={"file": ("brief.txt", b"brief", "text/plain")},
                      headers=headers).json()["file_path"]
    gone = f"{reader['id']}/gone.txt"

    def run_with(paths: list[str]) -> Any:
        return client.post(f"/api/v1/run/advanced/{reader['id']}", headers=headers,
                           json={"inputs": [{"input_value": "go"}], "tweaks": {"File-t2Ngc": {"path": paths}}})

    assert run_with([gone, key]).status_code == 200
    missing = run_with([gone])
    assert (missing.status_code, missing.json()) == (
        500, {"detail": "Error running graph: Error building Component Read File: \n\nNo files to process."})


def tiny_jpeg() -> bytes:
    """A JPEG's header as PIL's JPEG plugin reads it: a JFIF segment, a quantization table, a 1x1 one-layer
    8-bit frame, then the start of the scan."""
    def segment(marker: int, data: bytes) -> bytes:
        return marker.to_bytes(2, "big") + (len(data) + 2).to_bytes(2, "big") + data
    return (b"\xff\xd8" + segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + segment(0xFFDB, b"\x00" + bytes(range(64))) + segment(0xFFC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
            + segment(0xFFDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x00\xff\xd9")


TINY_GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


@pytest.mark.parametrize("content", [
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",  # a JPEG ending after its JFIF segment
    b"\xff\xd8\xff\xe0fake jpeg bytes",  # a segment longer than the file
    b"\xff\xd8\xff\xdb\x00\x05\x00abc\xff\xda\x00\x02",  # a quantization table cut short
    b"\xff\xd8\xff\xda\x00\x02",  # a scan without a frame: no size
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",  # a GIF without an image
    b"GIF89a fake gif bytes",  # no image descriptor anywhere
    None,  # a PNG cut inside its IEND chunk's header
])
def test_a_file_with_an_images_signature_that_pil_cannot_open_is_no_image(make_client: Callable[..., TestClient],
                                                                         content: bytes | None) -> None:
    """Langflow's Message makes an Image of a file PIL opens: its JPEG plugin reads the markers up to the start of
    the scan, its GIF plugin the blocks up to the first image, its PNG verify the chunks up to IEND's header (a
    PNG cut in IEND's checksum is still one), so real headers are images and bytes that merely start with the
    signature are not (a plain path in the message's files)."""
    client = make_client()
    headers = {"x-api-key": new_api_key(client)}
    flow = create_flow(client, headers, prompting_flow())
    png = tiny_png()
    content = png[:-6] if content is None else content
    real = [client.post("/api/v2/files", files={"file": (name, data, "image/jpeg")}, headers=headers).json()["path"]
            for name, data in (("real.jpg", tiny_jpeg()), ("real.gif", TINY_GIF), ("cut.png", png[:-4]))]
    fake = client.post("/api/v2/files", files={"file": ("fake.jpg", content, "image/jpeg")},
                       headers=headers).json()["path"]
    shown, _, _ = user_message_files(client, headers, flow["id"], [*real, fake])
    assert shown == [*({"path": storage_path(path), "url": None} for path in real), storage_path(fake)]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_chat_input_file_with_no_type_to_name_fails_its_vertex_after_its_message_is_sent(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    """Every release's Chat Input vertex, once its component has stored and sent the user's message, names its
    files' types for its ChatOutputResponse; a file with no known extension and no known type anywhere in its path
    fails there with pydantic's validation error, raised by the vertex itself: /run answers 500 with that text
    alone, a build reports the vertex invalid with it and sends no error event or error message, and no
    transaction is logged for the vertex."""
    monkeypatch.setenv("XDG_CACHE_HOME", "/srv/cache")  # a storage path holding no known file type
    client, headers, flow, chat_input = prompting_setup(make_client, version)
    key = client.post(f"/api/v1/files/upload/{flow['id']}", files={"file": ("data.bin", b"\x00\x01", "text/plain")},
                      headers=headers).json()["file_path"]
    docs = "2.13" if version == "1.13.0" else "2.11"
    head = "1 validation error for ChatOutputResponse\nfiles\n  Value error, File type is required. [type=value_error, "
    tail = f", input_type=list]\n    For further information visit https://errors.pydantic.dev/{docs}/v/value_error"

    response = client.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "look", "session_id": "s1", "tweaks": {chat_input: {"files": [key]}}})
    assert response.status_code == 500
    shown = f"[{{'path': '{storage_path(key)}', 'name': '{key.split('/')[-1]}'}}]"  # pydantic cuts a long repr
    assert json.loads(response.json()["detail"])["message"] == (
        f"Error running graph: {head}input_value={shown[:25]}...{shown[-24:]}{tail}")
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow["id"]}, headers=headers).json()
    assert [(m["sender"], m["text"]) for m in messages] == [("User", "look")]
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"]}, headers=headers).json()
    assert chat_input not in [t["vertex_id"] for t in logged["items"]]

    job = client.post(f"/api/v1/build/{flow['id']}/flow", json={"inputs": {"input_value": "hi"}, "files": [key]},
                      headers=headers).json()["job_id"]
    streamed = client.get(f"/api/v1/build/{job}/events", headers=headers).text
    events = [json.loads(part) for part in streamed.strip().split("\n\n")]
    assert [e["data"]["text"] for e in events if e["event"] == "add_message"] == ["hi"]
    assert "error" not in [e["event"] for e in events]
    [failed] = [e["data"]["build_data"] for e in events
                if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == chat_input]
    assert failed["valid"] is False
    assert failed["params"].startswith(head) and failed["params"].endswith(tail)


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_chat_inputs_single_file_path_shows_in_its_artifacts_cut_to_its_last_two_parts(
        make_client: Callable[..., TestClient], version: str) -> None:
    """A Chat Input whose `files` field is no list holds one path as its parameter; every release's chat vertex
    shows that path in its artifacts cut to its last two parts ("<folder>/<name>"), where its message keeps it
    whole."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    body = prompting_flow()
    [node] = [n for n in body["data"]["nodes"] if n["id"].startswith("ChatInput")]
    node["data"]["node"]["template"]["files"]["list"] = False
    flow = create_flow(client, headers, body)
    key = client.post(f"/api/v1/files/upload/{flow['id']}", files={"file": ("notes.txt", b"notes", "text/plain")},
                      headers=headers).json()["file_path"]
    response = client.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "look", "output_type": "debug", "tweaks": {node["id"]: {"files": key}}})
    assert response.status_code == 200, response.text
    shown = next(o for o in response.json()["outputs"][0]["outputs"] if o["component_id"] == node["id"])
    assert shown["artifacts"]["files"] == [{"path": key, "name": key.split("/")[-1], "type": "txt"}]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_a_chat_input_lists_its_own_message_in_a_debug_runs_result(make_client: Callable[..., TestClient],
                                                                  version: str) -> None:
    """Both chat vertices are lfx's InterfaceVertex, which lists the message its component returned in its result's
    `messages` when it has text: a debug run's Chat Input result lists the user's message, its files as
    ChatOutputResponse names them ({"path", "name", "type"})."""
    client, headers, flow, chat_input = prompting_setup(make_client, version)
    text = client.post("/api/v2/files", files={"file": ("notes.txt", b"notes", "text/plain")},
                       headers=headers).json()["path"]
    response = client.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "look", "output_type": "debug", "session_id": "s1",
        "tweaks": {chat_input: {"files": [text]}}})
    assert response.status_code == 200, response.text
    shown = next(o for o in response.json()["outputs"][0]["outputs"] if o["component_id"] == chat_input)
    assert shown["messages"] == [{
        "message": "look", "sender": "User", "sender_name": "User", "session_id": "s1", "stream_url": None,
        "component_id": chat_input, "files": [{"path": storage_path(text), "name": "notes.txt", "type": "txt"}],
        "type": "text"}]
