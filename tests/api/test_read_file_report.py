"""1.13's Read File reporting what it read, as a live 1.13.0 showed it: a log entry for the files it starts on and
one per file naming the text encoding it decoded it with (chardet's guess, through lfx's fallback chain), and the
Message it returns, whose dump (its artifact) holds the first file's metadata and, for several files, each one's
path, text and encoding."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_catalog_components import catalog, edge, node
from tests.conftest import build_job_events, create_flow, new_api_key

STARTED = "Starting parallel processing of {} files with concurrency: 1."
READ = "Read {} with text encoding '{}' (automatic). If text looks incorrect, set Text Encoding to the file's encoding."


def read_files(make_client: Callable[..., TestClient], files: list[tuple[str, bytes]], version: str = "1.13.0",
               separator: str = "\n\n") -> tuple[list[dict[str, Any]], dict[str, Any], str]:
    """Upload the files, build Read File (their paths) -> Chat Output: the build's events, the Read File's build
    data and the user's id (the files' folder)."""
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    paths = [client.post("/api/v2/files", files={"file": (name, data, "application/octet-stream")},
                         headers=headers).json()["path"] for name, data in files]
    components = catalog(client, headers)
    reader = node(components, "File", "File-a1", separator=separator)
    reader["data"]["node"]["template"]["path"].update(value=[name for name, _ in files], file_path=paths)
    chat_out = node(components, "ChatOutput", "ChatOutput-c3")
    flow_id = create_flow(client, headers, {"name": "read", "data": {"nodes": [reader, chat_out], "edges": [
        edge(reader, "message", chat_out, "input_value")]}})["id"]
    events = build_job_events(client, headers, flow_id)
    built = next(e["data"]["build_data"] for e in events
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "File-a1")
    return events, built["data"], paths[0].split("/")[0]


def test_two_files_are_logged_and_their_message_holds_each_ones_text(make_client: Callable[..., TestClient]) -> None:
    events, built, _ = read_files(make_client, [("a.txt", b"alpha\r\nbeta"), ("b.md", "caf\u00e9".encode())],
                                  separator=" | ")
    entries = [STARTED.format(2), READ.format("a.txt", "ascii"), READ.format("b.md", "utf-8")]
    assert [e["data"] for e in events if e["event"] == "log"] == [
        {"name": f"Log {n}", "message": text, "type": "text", "output": "message", "component_id": "File-a1"}
        for n, text in enumerate(entries, start=1)]
    assert built["logs"] == {"message": [{"name": f"Log {n}", "message": text, "type": "text"}
                                         for n, text in enumerate(entries, start=1)]}
    artifact = built["artifacts"]["message"]
    assert (artifact["raw"], artifact["type"]) == ("alpha\nbeta | caf\u00e9", "text")  # line ends as \n
    dumped = json.loads(artifact["repr"])
    first = dumped["file_path"]
    assert first.endswith("/a.txt") and first.startswith("/")
    assert {k: dumped[k] for k in ("text", "filename", "file_size", "mimetype", "encoding")} == {
        "text": "alpha\nbeta | caf\u00e9", "filename": "a.txt", "file_size": 11, "mimetype": "text/plain",
        "encoding": "ascii"}
    assert [(s["file_path"].rsplit("/", 1)[1], s["text"], s["encoding"]) for s in dumped["source_files"]] == [
        ("a.txt", "alpha\nbeta", "ascii"), ("b.md", "caf\u00e9", "utf-8")]
    assert list(dumped)[:8] == ["text", "file_path", "filename", "file_size", "mimetype", "encoding", "source_files",
                                "files"]
    assert (dumped["sender"], dumped["session_id"], dumped["run_id"], dumped["properties"]["state"]) == (
        None, "", None, "complete")
    assert built["message"] == built["artifacts"]


@pytest.mark.parametrize(("name", "data", "text", "encoding", "mimetype"), [
    # chardet's guess for these few bytes is Windows-1250, which lfx decodes with: not what was meant
    ("latin.txt", "na\u00efve caf\u00e9".encode("cp1252"), "na\u010fve caf\u00e9", "cp1250", "text/plain"),
    ("bom.csv", b"\xef\xbb\xbfx,y\n1,2\n", "x,y\n1,2\n", "utf-8-sig", "text/csv"),
    # a JSON file re-serialised compactly, its top-level strings NFKD-normalised
    ("data.json", '{"k": "\u00e9", "n": [1, 2]}'.encode(), '{"k":"e\u0301","n":[1,2]}', "utf-8", "application/json"),
    ("notes.xyz.md", b"# hi", "# hi", "ascii", "application/octet-stream"),
])
def test_each_file_is_decoded_as_langflows_detection_decodes_it(make_client: Callable[..., TestClient], name: str,
                                                               data: bytes, text: str, encoding: str,
                                                               mimetype: str) -> None:
    events, built, _ = read_files(make_client, [(name, data)])
    dumped = json.loads(built["artifacts"]["message"]["repr"])
    assert (dumped["text"], dumped["encoding"], dumped["mimetype"]) == (text, encoding, mimetype)
    assert "source_files" not in dumped
    assert built["logs"]["message"][1]["message"] == READ.format(name, encoding)
    shown = next(e["data"] for e in events if e["event"] == "add_message")
    assert shown["text"] == text


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_earlier_read_files_read_utf8_and_report_less(make_client: Callable[..., TestClient], version: str) -> None:
    """Before 1.13 (as a live 1.8.4 showed it): no log event, only the first entry in the build's logs, no
    encoding; the Message's dump holds the file's name, size and mimetype but not its path, and no run fields."""
    events, built, _ = read_files(make_client, [("a.txt", b"alpha\r\nbeta")], version=version)
    assert not [e for e in events if e["event"] == "log"]
    assert built["logs"] == {"message": [{"name": "Log 1", "message": STARTED.format(1), "type": "text"}]}
    dumped = json.loads(built["artifacts"]["message"]["repr"])
    assert list(dumped)[:5] == ["text", "filename", "file_size", "mimetype", "files"]
    assert (dumped["text"], dumped["filename"], dumped["file_size"]) == ("alpha\nbeta", "a.txt", 11)
    assert not {"file_path", "encoding", "run_id", "session_metadata"} & set(dumped)


def test_a_file_that_fails_to_parse_is_logged_before_the_build_fails(make_client: Callable[..., TestClient]) -> None:
    """A JSON file that is no JSON: the parser's (orjson's) error, logged as an unexpected error, then failing the
    vertex ("Error loading file <server path>: <why>"), its build data's logs empty as any failed build's."""
    events, built, _ = read_files(make_client, [("bad.json", b"{not json")])
    logs = [e["data"]["message"] for e in events if e["event"] == "log"]
    why = "unexpected character, expected a string key: line 1 column 2 (char 1)"
    assert logs[0] == STARTED.format(1)
    assert logs[1].startswith("Unexpected error processing /") and logs[1].endswith(f"bad.json: {why}")
    assert [e["event"] for e in events][-3:] == ["error", "end_vertex", "end"]
    error = built["outputs"]["message"]["message"]["errorMessage"]
    assert error.startswith("Error building Component Read File: \n\nError loading file /")
    assert error.endswith(f"/bad.json: {why}") and built["logs"] == {}
