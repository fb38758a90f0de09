"""Stored files given to a run through tweaks: the run reads them, and the scripted LLM matches on them."""

from __future__ import annotations

import copy
import json
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
            "template": {"path": {"type": "file", "list": True, "value": [], "show": True},
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


def test_file_component_reads_a_v1_file_and_the_model_matches_its_text(scripted: TestClient,
                                                                       headers: dict[str, str]) -> None:
    flow = create_flow(scripted, headers, file_flow())
    uploaded = scripted.post(f"/api/v1/files/upload/{flow['id']}",
                             files={"file": ("brief.txt", b"the launch code 42 is secret", "text/plain")},
                             headers=headers)
    response = scripted.post(f"/api/v1/run/{flow['id']}", headers=headers, json={
        "input_value": "go", "tweaks": {"File-t2Ngc": {"path": [uploaded.json()["file_path"]]}}})
    assert reply(response) == "The file mentions the launch code."


def test_a_run_cannot_read_another_users_file(scripted: TestClient, headers: dict[str, str]) -> None:
    bob = {"x-api-key": other_user_key(scripted, headers)}
    bobs = scripted.post("/api/v2/files", files={"file": ("notes.txt", b"launch code 42", "text/plain")},
                         headers=bob).json()["path"]
    prompting = create_flow(scripted, headers, prompting_flow())
    chat_input = next(n["id"] for n in prompting["data"]["nodes"] if n["id"].startswith("ChatInput"))
    ignored = scripted.post(f"/api/v1/run/{prompting['id']}", headers=headers, json={
        "input_value": "peek", "tweaks": {chat_input: {"files": [bobs]}}})
    assert reply(ignored) == "Scripted reply to: peek"
    reader = create_flow(scripted, headers, file_flow())
    refused = scripted.post(f"/api/v1/run/{reader['id']}", headers=headers, json={
        "input_value": "go", "tweaks": {"File-t2Ngc": {"path": [bobs]}}})
    assert refused.status_code == 500
    assert f"File not found: {bobs}" in json.loads(refused.json()["detail"])["message"]
