"""/api/v1/monitor/messages: what runs stored, and editing or deleting it (fact 40)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_DNS, UUID, uuid4, uuid5

import pytest
from fastapi.testclient import TestClient

from mock_langflow.settings import langflow_storage_dir
from tests.conftest import as_an_older_mock_left_it, create_flow, new_api_key, other_user_key


@pytest.fixture
def flow(client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> dict[str, Any]:
    created = create_flow(client, key_headers, chat_flow)
    for text, session in (("first", "s1"), ("second", "s1"), ("third", "s2")):
        response = client.post(f"/api/v1/run/{created['id']}", json={"input_value": text, "session_id": session},
                               headers=key_headers)
        assert response.status_code == 200
    return created


def messages(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/monitor/messages", params=params, headers=headers)
    assert response.status_code == 200
    listed: list[dict[str, Any]] = response.json()
    return listed


def test_each_run_stores_its_user_and_ai_messages_in_order(client: TestClient, key_headers: dict[str, str],
                                                           flow: dict[str, Any]) -> None:
    stored = messages(client, key_headers, flow_id=flow["id"])
    assert [(m["sender"], m["text"]) for m in stored] == [
        ("User", "first"), ("Machine", "first"), ("User", "second"), ("Machine", "second"),
        ("User", "third"), ("Machine", "third")]
    assert set(stored[0]) == {"id", "flow_id", "timestamp", "sender", "sender_name", "session_id", "context_id",
                              "text", "files", "edit", "duration", "properties", "category", "content_blocks",
                              "session_metadata"}
    assert stored[0]["files"] == "[]"
    assert stored[0]["timestamp"].endswith(" UTC")


def test_filters_and_descending_order(client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    assert [m["text"] for m in messages(client, key_headers, flow_id=flow["id"], sender="Machine")] == [
        "first", "second", "third"]
    assert [m["text"] for m in messages(client, key_headers, flow_id=flow["id"], session_id="s2")] == [
        "third", "third"]
    newest = messages(client, key_headers, flow_id=flow["id"], order="DESC")
    assert newest[0]["text"] == "third" and newest[0]["sender"] == "Machine"


def test_sessions_lists_each_session_once_the_latest_first(client: TestClient, key_headers: dict[str, str],
                                                             flow: dict[str, Any]) -> None:
    response = client.get("/api/v1/monitor/messages/sessions", params={"flow_id": flow["id"]}, headers=key_headers)
    assert response.json() == ["s2", "s1"]
    client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "again", "session_id": "s1"}, headers=key_headers)
    client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hidden", "session_id": "agentic_x"},
                headers=key_headers)
    assert client.get("/api/v1/monitor/messages/sessions", headers=key_headers).json() == ["s1", "s2"]
    paged = client.get("/api/v1/monitor/messages/sessions", params={"limit": 1, "offset": 1}, headers=key_headers)
    assert paged.json() == ["s2"]
    someone_elses = client.get("/api/v1/monitor/messages/sessions", params={"flow_id": str(uuid4())},
                               headers=key_headers)
    assert someone_elses.json() == []


def test_1_13_lists_the_newest_window_of_messages_in_the_order_asked(client: TestClient, key_headers: dict[str, str],
                                                                   flow: dict[str, Any]) -> None:
    """Langflow 1.13 always takes the newest messages (100 unless `limit` says, at most 200), then orders them."""
    for n in range(100):
        client.post(f"/api/v1/run/{flow['id']}", json={"input_value": f"m{n:03}", "session_id": "bulk"},
                    headers=key_headers)
    everything = messages(client, key_headers)
    assert len(everything) == 100
    assert [m["text"] for m in everything[-2:]] == ["m099", "m099"]  # the newest, oldest first
    assert len(messages(client, key_headers, limit=500)) == 200
    latest = messages(client, key_headers, limit=2, order="desc")
    assert [(m["sender"], m["text"]) for m in latest] == [("Machine", "m099"), ("User", "m099")]
    older = messages(client, key_headers, limit=2, offset=2)
    assert [(m["sender"], m["text"]) for m in older] == [("User", "m098"), ("Machine", "m098")]
    by_sender = messages(client, key_headers, limit=4, order_by="sender", order="DESC")
    assert [m["sender"] for m in by_sender] == ["User", "User", "Machine", "Machine"]
    as_stored = messages(client, key_headers, limit=2, order_by="")
    assert [m["text"] for m in as_stored] == ["m099", "m099"] and as_stored[0]["sender"] == "Machine"
    for params, detail in (({"order": "up"}, "Invalid order direction: up"),
                           ({"order_by": "flow_id"}, "Invalid order_by field: flow_id")):
        refused = client.get("/api/v1/monitor/messages", params=params, headers=key_headers)
        assert (refused.status_code, refused.json()) == (400, {"detail": detail})
    unknown_flow = client.get("/api/v1/monitor/messages", params={"flow_id": str(uuid4()), "order": "up"},
                              headers=key_headers)
    assert (unknown_flow.status_code, unknown_flow.json()) == (200, [])


def test_releases_before_1_13_list_every_message_oldest_first(make_client: Callable[..., TestClient],
                                                              chat_flow: dict[str, Any]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    created = create_flow(client, headers, chat_flow)
    for n in range(3):
        client.post(f"/api/v1/run/{created['id']}", json={"input_value": f"m{n}", "session_id": f"s{n}"},
                    headers=headers)
    assert [m["text"] for m in messages(client, headers, order_by="flow_id")][::2] == ["m0", "m1", "m2"]
    assert client.get("/api/v1/monitor/messages/sessions", headers=headers).json() == ["s0", "s1", "s2"]
    # 1.8 has no limit, offset or order: they change nothing
    assert len(messages(client, headers, limit=1, offset=1, order="DESC")) == 6
    assert client.get("/api/v1/monitor/messages/sessions", params={"limit": 1},
                      headers=headers).json() == ["s0", "s1", "s2"]


def test_deleting_a_session_is_204_with_an_empty_json_body(client: TestClient, key_headers: dict[str, str],
                                                           flow: dict[str, Any]) -> None:
    response = client.delete("/api/v1/monitor/messages/session/s1", headers=key_headers)
    assert response.status_code == 204
    assert response.headers["content-type"] == "application/json"
    assert response.content == b""
    assert messages(client, key_headers, flow_id=flow["id"], session_id="s1") == []
    assert len(messages(client, key_headers, flow_id=flow["id"])) == 2


def test_renaming_a_session_moves_its_messages(client: TestClient, key_headers: dict[str, str],
                                               flow: dict[str, Any]) -> None:
    response = client.patch("/api/v1/monitor/messages/session/s2", params={"new_session_id": "renamed"},
                            headers=key_headers)
    assert response.status_code == 200
    assert {m["session_id"] for m in response.json()} == {"renamed"}
    assert len(messages(client, key_headers, session_id="renamed")) == 2


def test_a_data_dir_kept_from_before_a_column_was_added_takes_the_column(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], tmp_path: Path) -> None:
    """An older mock's message table had no session_metadata: start-up adds the column instead of moving the data
    dir aside, so the old messages are still listed (with their run's metadata) and can take an edited one."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    headers = {"x-api-key": new_api_key(first)}
    flow_id = create_flow(first, headers, chat_flow)["id"]
    assert first.post(f"/api/v1/run/{flow_id}", json={"input_value": "before", "session_id": "s"},
                      headers=headers).status_code == 200
    first.__exit__(None, None, None)
    as_an_older_mock_left_it(data_dir / "mock-langflow.db", "ALTER TABLE message DROP COLUMN session_metadata")
    again = make_client(ephemeral=False, data_dir=data_dir)
    old = messages(again, headers, flow_id=flow_id)
    assert [(m["text"], list(m["session_metadata"])) for m in old] == [
        ("before", ["graph_run_id"]), ("before", ["graph_run_id"])]
    edited = again.put(f"/api/v1/monitor/messages/{old[0]['id']}", json={"session_metadata": {"k": "v"}},
                       headers=headers)
    assert (edited.status_code, edited.json()["session_metadata"]) == (200, {"k": "v"})
    assert again.post(f"/api/v1/run/{flow_id}", json={"input_value": "after", "session_id": "s"},
                      headers=headers).status_code == 200
    assert [m["text"] for m in messages(again, headers, flow_id=flow_id)] == ["before", "before", "after", "after"]
    assert not list(data_dir.glob("*.bak"))


def test_1_13_stores_an_edits_session_metadata_in_place_of_the_runs(
        client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    """Langflow 1.13's edit sets every given field, session_metadata among them; the answer and the list show it."""
    target, other = messages(client, key_headers, flow_id=flow["id"])[1:3]
    run_metadata = target["session_metadata"]
    assert list(run_metadata) == ["graph_run_id"]
    response = client.put(f"/api/v1/monitor/messages/{target['id']}",
                          json={"session_metadata": {"tenant_id": "t1", "tags": ["a"]}}, headers=key_headers)
    assert response.status_code == 200
    assert response.json()["session_metadata"] == {"tenant_id": "t1", "tags": ["a"]}
    assert response.json()["run_id"] == run_metadata["graph_run_id"] and response.json()["edit"] is False
    listed = {m["id"]: m["session_metadata"] for m in messages(client, key_headers, flow_id=flow["id"])}
    assert listed[target["id"]] == {"tenant_id": "t1", "tags": ["a"]}
    assert listed[other["id"]] == other["session_metadata"]
    # null leaves it as it is; an empty object replaces it
    kept = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"session_metadata": None, "text": "x"},
                      headers=key_headers)
    assert kept.json()["session_metadata"] == {"tenant_id": "t1", "tags": ["a"]}
    emptied = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"session_metadata": {}},
                         headers=key_headers)
    assert emptied.json()["session_metadata"] == {}
    assert messages(client, key_headers, flow_id=flow["id"])[1]["session_metadata"] == {}


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_an_edits_session_metadata_category_and_content_blocks_are_ignored(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    """Those releases' MessageUpdate has none of the three fields: an edit sending them changes nothing."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    created = create_flow(client, headers, chat_flow)
    client.post(f"/api/v1/run/{created['id']}", json={"input_value": "hi"}, headers=headers)
    target = messages(client, headers)[0]
    blocks = [{"title": "t", "contents": [], "allow_markdown": True, "media_url": None}]
    response = client.put(f"/api/v1/monitor/messages/{target['id']}",
                          json={"session_metadata": {"tenant_id": "t"}, "category": "note", "content_blocks": blocks,
                                "text": "edited"}, headers=headers)
    assert response.status_code == 200 and "session_metadata" not in response.json()
    assert (response.json()["category"], response.json()["content_blocks"]) == (target["category"], [])
    listed = messages(client, headers)[0]
    assert "session_metadata" not in listed
    assert (listed["text"], listed["category"], listed["content_blocks"]) == ("edited", target["category"], [])


def test_1_13_an_edit_sets_category_and_content_blocks(client: TestClient, key_headers: dict[str, str],
                                                       flow: dict[str, Any]) -> None:
    target = messages(client, key_headers, flow_id=flow["id"])[0]
    blocks = [{"title": "t", "contents": [], "allow_markdown": True, "media_url": None}]
    response = client.put(f"/api/v1/monitor/messages/{target['id']}",
                          json={"category": "note", "content_blocks": blocks}, headers=key_headers)
    assert response.status_code == 200
    assert (response.json()["category"], response.json()["content_blocks"]) == ("note", blocks)
    listed = messages(client, key_headers, flow_id=flow["id"])[0]
    assert (listed["category"], listed["content_blocks"]) == ("note", blocks)


def test_editing_a_message_marks_it_edited(client: TestClient, key_headers: dict[str, str],
                                           flow: dict[str, Any]) -> None:
    target = messages(client, key_headers, flow_id=flow["id"])[1]
    response = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"text": "corrected"},
                          headers=key_headers)
    assert response.status_code == 200
    assert response.json()["text"] == "corrected" and response.json()["edit"] is True
    assert messages(client, key_headers, flow_id=flow["id"])[1]["text"] == "corrected"


def test_sending_the_same_text_back_does_not_mark_a_message_edited(client: TestClient, key_headers: dict[str, str],
                                                                  flow: dict[str, Any]) -> None:
    target = messages(client, key_headers, flow_id=flow["id"])[1]
    response = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"text": target["text"]},
                          headers=key_headers)
    assert response.status_code == 200 and response.json()["edit"] is False


def test_feedback_set_through_properties_reads_back(client: TestClient, key_headers: dict[str, str],
                                                    flow: dict[str, Any]) -> None:
    """What the playground's thumbs do: PUT the message with properties.positive_feedback. Langflow stores only
    the properties the edit sets; the others read back as the model's defaults."""
    target = messages(client, key_headers, flow_id=flow["id"])[1]
    assert target["properties"]["source"]["id"] == "ChatInput-aB1cD"
    response = client.put(f"/api/v1/monitor/messages/{target['id']}",
                          json={"properties": {"positive_feedback": True, "usage": {"total_tokens": 7}}},
                          headers=key_headers)
    assert response.status_code == 200
    expected = {**target["properties"], "positive_feedback": True, "source": {"id": None, "display_name": None,
                                                                              "source": None},
                "usage": {"input_tokens": None, "output_tokens": None, "total_tokens": 7}}
    assert response.json()["properties"] == expected
    assert messages(client, key_headers, flow_id=flow["id"])[1]["properties"] == expected


@pytest.mark.parametrize("props", [{"source": "ChatOutput"}, {"usage": 5}, {"state": "done"}, {"edited": "maybe"},
                                   {"targets": "all"}, {"build_duration": "long"}])
def test_properties_of_the_wrong_type_are_a_422_and_change_nothing(client: TestClient, key_headers: dict[str, str],
                                                                   flow: dict[str, Any], props: dict[str, Any]) -> None:
    before = messages(client, key_headers, flow_id=flow["id"])
    response = client.put(f"/api/v1/monitor/messages/{before[1]['id']}", json={"properties": props},
                          headers=key_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "properties", next(iter(props))]
    assert messages(client, key_headers, flow_id=flow["id"]) == before


def test_deleting_messages_by_id(client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    ids = [m["id"] for m in messages(client, key_headers, flow_id=flow["id"])[:2]]
    response = client.request("DELETE", "/api/v1/monitor/messages", json=ids, headers=key_headers)
    assert response.status_code == 204
    # Langflow's handler returns nothing, which FastAPI answers with a JSON content type, as for a session
    assert (response.headers["content-type"], response.content) == ("application/json", b"")
    assert len(messages(client, key_headers, flow_id=flow["id"])) == 4
    builds = client.delete("/api/v1/monitor/builds", params={"flow_id": flow["id"]}, headers=key_headers)
    assert (builds.status_code, builds.headers["content-type"], builds.content) == (204, "application/json", b"")


def test_deleting_a_flow_deletes_its_messages(client: TestClient, key_headers: dict[str, str],
                                              flow: dict[str, Any]) -> None:
    assert client.delete(f"/api/v1/flows/{flow['id']}", headers=key_headers).status_code == 200
    assert messages(client, key_headers, flow_id=flow["id"]) == []


def test_messages_need_credentials(client: TestClient) -> None:
    response = client.get("/api/v1/monitor/messages")
    assert (response.status_code, response.json()) == (403, {"detail": "No authentication credentials provided"})


def test_deleting_sessions_in_bulk_counts_the_sessions(client: TestClient, key_headers: dict[str, str],
                                                       flow: dict[str, Any]) -> None:
    """As Langflow 1.13's bulk delete: the answer counts sessions that had messages, not messages."""
    one = client.request("DELETE", "/api/v1/monitor/messages/sessions", json=["s2"], headers=key_headers)
    assert one.json() == {"message": "Messages deleted successfully for 1 session", "deleted_count": 1}
    client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "again", "session_id": "s2"}, headers=key_headers)
    response = client.request("DELETE", "/api/v1/monitor/messages/sessions", json=["s1", "s2", "unknown"],
                              headers=key_headers)
    assert (response.status_code, response.json()) == (
        200, {"message": "Messages deleted successfully for 2 sessions", "deleted_count": 2})
    assert messages(client, key_headers, flow_id=flow["id"]) == []
    again = client.request("DELETE", "/api/v1/monitor/messages/sessions", json=["s1"], headers=key_headers)
    assert again.json() == {"message": "No sessions to delete", "deleted_count": 0}
    too_many = client.request("DELETE", "/api/v1/monitor/messages/sessions", json=[f"s{i}" for i in range(501)],
                              headers=key_headers)
    assert (too_many.status_code, too_many.json()) == (
        400, {"detail": "Cannot delete more than 500 sessions at once. Please batch your requests."})


def test_empty_filters_filter_nothing_and_a_session_id_is_decoded_once_more(
        client: TestClient, key_headers: dict[str, str], flow: dict[str, Any]) -> None:
    """As Langflow's get_messages: `if session_id:` skips an empty filter, and the id goes through unquote()."""
    assert len(messages(client, key_headers, flow_id=flow["id"], session_id="", sender="", sender_name="")) == 6
    client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "spaced", "session_id": "a b"}, headers=key_headers)
    assert [m["text"] for m in messages(client, key_headers, session_id="a%20b")] == ["spaced", "spaced"]


def test_an_edited_messages_files_must_be_the_callers_or_its_flows(client: TestClient, key_headers: dict[str, str],
                                                                    flow: dict[str, Any]) -> None:
    """1.13 takes only storage keys "<caller's or the flow's id>/<file name>" as an edited message's files."""
    target = messages(client, key_headers, flow_id=flow["id"])[1]
    me = client.get("/api/v1/users/whoami", headers=key_headers).json()["id"]
    url = f"/api/v1/monitor/messages/{target['id']}"
    for files in ([f"{uuid4()}/a.png"], [f"{flow['id']}/../x/a.png"], [f"{me}/a/b.png"], ["/etc/passwd"],
                  ["C:\\\\a.png"], ["a.png"]):
        refused = client.put(url, json={"files": files}, headers=key_headers)
        assert (refused.status_code, refused.json()) == (400, {"detail": "Message attachment is outside the "
                                                                         "permitted storage scope."}), files
    kept = client.put(url, json={"files": [f"{flow['id']}/a.png", f"{me.upper()}/b.png"]}, headers=key_headers)
    assert kept.status_code == 200 and kept.json()["files"] == [f"{flow['id']}/a.png", f"{me.upper()}/b.png"]
    unknown = client.put(f"/api/v1/monitor/messages/{uuid4()}", json={"files": ["x"]}, headers=key_headers)
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Message not found"})


@pytest.mark.parametrize("restrict", [True, False], ids=["restricted", "unrestricted"])
def test_an_edited_messages_files_may_be_storage_paths_of_the_callers_or_its_flows(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], restrict: bool) -> None:
    """1.13 keeps the resolved paths a run stores: an absolute path under its storage directory counts as the
    storage key it names there (refused outside it, or in another folder); with the restriction on, the folder
    must be spelled as the caller's or the flow's id is."""
    client = make_client(restrict_local_file_access=restrict)
    headers = {"x-api-key": new_api_key(client)}
    created = create_flow(client, headers, chat_flow)
    client.post(f"/api/v1/run/{created['id']}", json={"input_value": "hi"}, headers=headers)
    target = messages(client, headers, flow_id=created["id"])[0]
    me = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
    root = str(langflow_storage_dir())
    url = f"/api/v1/monitor/messages/{target['id']}"
    kept = [f"{root}/{created['id']}/a.png", f"{root}/{me}/b.txt"]
    edited = client.put(url, json={"files": kept}, headers=headers)
    assert edited.status_code == 200 and edited.json()["files"] == kept
    refused = [[f"{root}/{uuid4()}/a.png"], [f"{root}/{me}/x/a.png"], [f"{root}/{me}"], ["/tmp/a.png"],
               [f"{root}/{me}/../{me}/a.png"], [f"/{root}/{me}/a.png"]]
    if restrict:
        refused.append([f"{root}/{me.upper()}/a.png"])
    else:
        upper = [f"{root}/{me.upper()}/a.png"]
        assert client.put(url, json={"files": upper}, headers=headers).json()["files"] == upper
    for files in refused:
        response = client.put(url, json={"files": files}, headers=headers)
        assert (response.status_code, response.json()) == (400, {"detail": "Message attachment is outside the "
                                                                           "permitted storage scope."}), files


def ran_once(make_client: Callable[..., TestClient], chat_flow: dict[str, Any],
             version: str) -> tuple[TestClient, dict[str, str], dict[str, Any]]:
    """A client of that release, its key's headers, and a flow it ran once ("hi")."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    created = create_flow(client, headers, chat_flow)
    client.post(f"/api/v1/run/{created['id']}", json={"input_value": "hi"}, headers=headers)
    return client, headers, created


def test_before_1_13_an_edited_messages_files_are_not_checked(make_client: Callable[..., TestClient],
                                                             chat_flow: dict[str, Any]) -> None:
    client, headers, created = ran_once(make_client, chat_flow, "1.8.4")
    target = messages(client, headers, flow_id=created["id"])[0]
    edited = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"files": ["/anything.png"]},
                        headers=headers)
    assert edited.status_code == 200 and edited.json()["files"] == ["/anything.png"]


def test_an_edit_answers_the_message_as_message_read_with_its_run_id(client: TestClient, key_headers: dict[str, str],
                                                                     flow: dict[str, Any]) -> None:
    """1.13's PUT answers MessageRead: `files` a list, `error`, the run's id, and no `duration`."""
    target = messages(client, key_headers, flow_id=flow["id"])[1]
    response = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"text": "corrected"},
                          headers=key_headers)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["timestamp", "sender", "sender_name", "session_id", "context_id", "text", "files", "error",
                          "edit", "properties", "category", "content_blocks", "session_metadata", "id", "flow_id",
                          "run_id"]
    assert body["run_id"] == target["session_metadata"]["graph_run_id"]
    assert (body["files"], body["error"], body["timestamp"]) == ([], False, target["timestamp"])


def test_before_1_13_an_edit_answers_without_run_fields(make_client: Callable[..., TestClient],
                                                        chat_flow: dict[str, Any]) -> None:
    client, headers, created = ran_once(make_client, chat_flow, "1.8.4")
    target = messages(client, headers, flow_id=created["id"])[0]
    response = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"text": "edited"}, headers=headers)
    assert response.status_code == 200
    assert list(response.json()) == ["timestamp", "sender", "sender_name", "session_id", "context_id", "text", "files",
                                     "error", "edit", "properties", "category", "content_blocks", "id", "flow_id"]


def test_1_13_end_user_id_keeps_only_the_messages_of_that_owner(client: TestClient, key_headers: dict[str, str],
                                                                flow: dict[str, Any]) -> None:
    """1.13 filters on the stored owner (message.user_id): a run's messages are stored under whoever ran it."""
    me = client.get("/api/v1/users/whoami", headers=key_headers).json()["id"]
    assert len(messages(client, key_headers, end_user_id=me)) == 6
    assert len(messages(client, key_headers, flow_id=flow["id"], end_user_id=me.upper())) == 6
    assert messages(client, key_headers, end_user_id=str(uuid4())) == []
    assert messages(client, key_headers, end_user_id="gateway-user-7") == []
    assert len(messages(client, key_headers, end_user_id="")) == 6
    refused = client.get("/api/v1/monitor/messages", params={"end_user_id": "x", "order": "up"}, headers=key_headers)
    assert (refused.status_code, refused.json()) == (400, {"detail": "Invalid order direction: up"})


def test_before_1_13_end_user_id_is_not_a_filter(make_client: Callable[..., TestClient],
                                                 chat_flow: dict[str, Any]) -> None:
    client, headers, created = ran_once(make_client, chat_flow, "1.8.4")
    assert len(messages(client, headers, end_user_id="gateway-user-7")) == 2


def test_transactions_422_lists_the_paging_errors_twice_first_and_a_missing_flow_id_once(
        client: TestClient, key_headers: dict[str, str]) -> None:
    """Langflow reads page and size in two dependencies (custom_params, and add_pagination's for a route answering
    a Page), with the same limits: FastAPI reports each error twice, before the route's own flow_id, which a
    missing flow_id gets once."""
    missing = client.get("/api/v1/monitor/transactions", headers=key_headers)
    assert (missing.status_code, missing.json()) == (422, {"detail": [
        {"type": "missing", "loc": ["query", "flow_id"], "msg": "Field required"}]})
    response = client.get("/api/v1/monitor/transactions", params={"page": 0, "size": 101}, headers=key_headers)
    paging = [{"type": "greater_than_equal", "loc": ["query", "page"], "msg": "Input should be greater than or equal "
               "to 1", "ctx": {"ge": 1}},
              {"type": "less_than_equal", "loc": ["query", "size"], "msg": "Input should be less than or equal to 100",
               "ctx": {"le": 100}}]
    assert (response.status_code, response.json()) == (422, {"detail": [
        *paging, *paging, {"type": "missing", "loc": ["query", "flow_id"], "msg": "Field required"}]})
    anonymous = client.get("/api/v1/monitor/transactions", params={"page": 0})
    assert (anonymous.status_code, anonymous.json()) == (403, {"detail": "No authentication credentials provided"})


def test_transactions_page_and_size_default_apart(client: TestClient, key_headers: dict[str, str],
                                                  flow: dict[str, Any]) -> None:
    listed = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"], "page": 2},
                        headers=key_headers).json()
    assert (listed["items"], listed["total"], listed["page"], listed["size"], listed["pages"]) == ([], 6, 2, 50, 1)
    sized = client.get("/api/v1/monitor/transactions", params={"flow_id": flow["id"], "size": 4},
                       headers=key_headers).json()
    assert (len(sized["items"]), sized["page"], sized["size"], sized["pages"]) == (4, 1, 4, 2)


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_transactions_read_page_and_size_twice(make_client: Callable[..., TestClient],
                                                           version: str) -> None:
    """Before 1.13 add_pagination gave the route a second paging dependency (plain integers, defaults 1 and 50,
    limits 1..100) after its own unbounded one: a value that is not a number is listed twice, a limit once."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    not_numbers = client.get("/api/v1/monitor/transactions", params={"page": "x", "size": "y"}, headers=headers)
    parsing = "Input should be a valid integer, unable to parse string as an integer"
    page_error = {"type": "int_parsing", "loc": ["query", "page"], "msg": parsing, "input": "x"}
    size_error = {"type": "int_parsing", "loc": ["query", "size"], "msg": parsing, "input": "y"}
    assert (not_numbers.status_code, not_numbers.json()) == (422, {"detail": [
        page_error, size_error, page_error, size_error,
        {"type": "missing", "loc": ["query", "flow_id"], "msg": "Field required", "input": None}]})
    zero = client.get("/api/v1/monitor/transactions", params={"flow_id": str(uuid4()), "page": 0}, headers=headers)
    assert (zero.status_code, zero.json()) == (422, {"detail": [
        {"type": "greater_than_equal", "loc": ["query", "page"], "msg": "Input should be greater than or equal to 1",
         "input": "0", "ctx": {"ge": 1}}]})
    listed = client.get("/openapi.json").json()["paths"]["/api/v1/monitor/transactions"]["get"]["parameters"]
    assert listed[1:] == [
        {"name": "page", "in": "query", "required": False, "description": "Page number",
         "schema": {"type": "integer", "minimum": 1, "description": "Page number", "default": 1, "title": "Page"}},
        {"name": "size", "in": "query", "required": False, "description": "Page size",
         "schema": {"type": "integer", "maximum": 100, "minimum": 1, "description": "Page size", "default": 50,
                    "title": "Size"}}]


@pytest.mark.parametrize(("version", "pattern"), [("1.13.0", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"),
                                                  ("1.8.4", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}")],
                         ids=["1.13.0", "1.8.4"])
def test_a_transactions_timestamp_is_naive_before_1_13(make_client: Callable[..., TestClient],
                                                       chat_flow: dict[str, Any], version: str, pattern: str) -> None:
    """1.8's transaction log shape has no serializer for its time, which SQLite hands back without a zone
    (recorded: '2026-11-23T13:38:44.386043'); 1.13 writes it with Z."""
    client, headers, created = ran_once(make_client, chat_flow, version)
    listed = client.get("/api/v1/monitor/transactions", params={"flow_id": created["id"]}, headers=headers).json()
    assert listed["total"] == 2
    assert all(re.fullmatch(pattern, item["timestamp"]) for item in listed["items"]), listed["items"]


def test_builds_lists_the_latest_build_of_each_vertex_the_least_recent_first(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """Langflow keeps older vertex builds but /monitor/builds answers each vertex's latest one, ordered by time."""
    flow_id = create_flow(client, key_headers, chat_flow)["id"]
    for text, params in (("one", {}), ("two", {}), ("three", {"stop_component_id": "ChatInput-aB1cD"})):
        response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct", **params},
                               json={"inputs": {"input_value": text}}, headers=key_headers)
        assert response.status_code == 200
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=key_headers).json()
    assert [(vertex, [b["artifacts"]["message"] for b in listed]) for vertex, listed in
            builds["vertex_builds"].items()] == [("ChatOutput-eF2gH", ["two"]), ("ChatInput-aB1cD", ["three"])]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_before_1_13_an_order_by_that_is_no_message_column_is_a_500(make_client: Callable[..., TestClient],
                                                                    chat_flow: dict[str, Any], version: str) -> None:
    """Langflow before 1.13 orders by getattr(MessageTable, order_by): an unknown name raises AttributeError(name),
    answered as a 500 with the name as its detail. Those tables have no user_id or run_id column."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    created = create_flow(client, headers, chat_flow)
    client.post(f"/api/v1/run/{created['id']}", json={"input_value": "hi"}, headers=headers)
    for name in ("nope", "user_id", "run_id"):
        response = client.get("/api/v1/monitor/messages", params={"order_by": name}, headers=headers)
        assert (response.status_code, response.json()) == (500, {"detail": name})
    # a member of the class that is no column fails on .asc(), naming what it found (a method: its function)
    for name, found in (("validate_flow_id", "function"), ("model_dump", "function"), ("model_config", "dict"),
                        ("__tablename__", "str"), ("__table__", "Table"), ("metadata", "MetaData")):
        response = client.get("/api/v1/monitor/messages", params={"order_by": name}, headers=headers)
        assert (response.status_code, response.json()) == (500, {"detail": f"'{found}' object has no attribute 'asc'"})
    assert len(messages(client, headers, order_by="content_blocks")) == 2


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_before_1_13_the_monitor_reaches_other_users_messages_builds_and_transactions(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], version: str) -> None:
    """1.8 and 1.7.1 look messages, sessions and flows up by id alone in these routes; 1.13 keeps them to the
    caller's (a 404, nothing changed, an empty answer)."""
    client = make_client(langflow_version=version)
    alice = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, alice)}
    flow_id = create_flow(client, alice, chat_flow)["id"]
    client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                json={"inputs": {"input_value": "hi", "session": "s1"}}, headers=alice)
    target = messages(client, alice, flow_id=flow_id)[0]
    builds = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=bob).json()["vertex_builds"]
    total = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=bob).json()["total"]
    edited = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"text": "bob was here"}, headers=bob)
    renamed = client.patch("/api/v1/monitor/messages/session/s1", params={"new_session_id": "bobs"}, headers=bob)
    scoped = version == "1.13.0"
    assert (len(builds), total) == ((0, 0) if scoped else (2, 2))
    assert edited.status_code == (404 if scoped else 200)
    assert renamed.status_code == (404 if scoped else 200)
    assert [(m["session_id"], m["text"]) for m in messages(client, alice, flow_id=flow_id)][0] == (
        ("s1", "hi") if scoped else ("bobs", "bob was here"))
    assert client.request("DELETE", "/api/v1/monitor/messages", json=[target["id"]], headers=bob).status_code == 204
    assert client.delete("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=bob).status_code == 204
    left = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=alice).json()["vertex_builds"]
    assert (len(messages(client, alice, flow_id=flow_id)), len(left)) == ((2, 2) if scoped else (1, 0))
    session = messages(client, alice, flow_id=flow_id)[-1]["session_id"]
    assert client.delete(f"/api/v1/monitor/messages/session/{session}", headers=bob).status_code == 204
    assert len(messages(client, alice, flow_id=flow_id)) == (2 if scoped else 0)


def test_a_public_builds_messages_are_not_the_flow_owners(make_client: Callable[..., TestClient],
                                                          chat_flow: dict[str, Any]) -> None:
    """A visitor's public build stores its messages under a virtual flow id, which no flow row has: Langflow's
    monitor, which joins each message to its flow's owner, neither lists them nor lets the owner edit them."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    built = client.post(f"/api/v1/build_public_tmp/{flow_id}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "visitor", "session": "vs"}},
                        headers={"Cookie": "client_id=visitor-1"})
    assert built.status_code == 200
    stored = client.app.state.mock.store.messages.history  # type: ignore[attr-defined]
    virtual = str(uuid5(NAMESPACE_DNS, f"client:visitor-1_{flow_id}"))
    visitor_messages = stored(UUID(virtual), f"{virtual}:vs")
    assert [m.text for m in visitor_messages] == ["visitor", "visitor"]
    assert messages(client, headers) == []
    assert client.get("/api/v1/monitor/messages/sessions", headers=headers).json() == []
    edit = client.put(f"/api/v1/monitor/messages/{visitor_messages[0].id}", json={"text": "x"}, headers=headers)
    assert (edit.status_code, edit.json()) == (404, {"detail": "Message not found"})
    renamed = client.patch(f"/api/v1/monitor/messages/session/{virtual}:vs", params={"new_session_id": "mine"},
                           headers=headers)
    assert renamed.status_code == 404


def test_a_transaction_logs_the_runs_session_id(client: TestClient, key_headers: dict[str, str],
                                                chat_flow: dict[str, Any]) -> None:
    """Langflow fills a component's empty session_id with the run's session before logging its inputs (recorded:
    a build's transactions carry its session, or the flow id without one)."""
    flow_id = create_flow(client, key_headers, chat_flow)["id"]

    def logged() -> list[tuple[str, str]]:
        page = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id, "size": 2},
                          headers=key_headers).json()
        return [(t["vertex_id"], t["inputs"]["session_id"]) for t in page["items"]]

    client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                json={"inputs": {"input_value": "x"}}, headers=key_headers)
    assert logged() == [("ChatOutput-eF2gH", flow_id), ("ChatInput-aB1cD", flow_id)]
    client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                json={"inputs": {"input_value": "x", "session": "build-sess-1"}}, headers=key_headers)
    assert logged() == [("ChatOutput-eF2gH", "build-sess-1"), ("ChatInput-aB1cD", "build-sess-1")]
    client.post(f"/api/v1/run/{flow_id}", json={"input_value": "x", "session_id": "rs"}, headers=key_headers)
    assert logged() == [("ChatOutput-eF2gH", "rs"), ("ChatInput-aB1cD", "rs")]


@pytest.mark.parametrize(("version", "logged"), [
    ("1.13", {"api_key": "sk-l...ijkl", "db_password": "***REDACTED***", "auth_token": "***REDACTED***",
              "headers": {"secret": "***REDACTED***", "k": 1}, "max_tokens": 5}),
    ("1.8", {"api_key": "sk-l...ijkl", "db_password": "***REDACTED***", "auth_token": "***REDACTED***",
             "headers": {"secret": "***REDACTED***", "k": 1}, "max_tokens": 5})])
def test_transactions_log_secret_fields_masked_by_their_names(make_client: Callable[..., TestClient],
                                                              chat_flow: dict[str, Any], version: str,
                                                              logged: dict[str, Any]) -> None:
    """Langflow logs every field's value and masks the values under secret-sounding keys (a password field or
    not, nested too)."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"].update({
        "api_key": {"type": "str", "password": True, "value": "sk-live-abcdefghijkl", "show": True},
        "db_password": {"type": "str", "password": True, "value": "", "show": True},
        "auth_token": {"type": "str", "value": "short", "show": True},
        "headers": {"type": "dict", "value": {"secret": "x", "k": 1}, "show": True},
        "max_tokens": {"type": "int", "value": 5, "show": True}})
    flow_id = create_flow(client, headers, chat_flow)["id"]
    assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi"}, headers=headers).status_code == 200
    listed = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers)
    assert listed.status_code == 200
    inputs = next(t["inputs"] for t in listed.json()["items"] if t["vertex_id"] == "ChatOutput-eF2gH")
    assert {k: inputs[k] for k in logged} == logged


def test_transactions_log_the_parameters_langflow_builds_from_the_fields(client: TestClient,
                                                                         key_headers: dict[str, str],
                                                                         chat_flow: dict[str, Any]) -> None:
    """lfx's parameter handler skips hidden fields, fields of type "other" and an optional field left without a
    value (which takes its `default` if it has one), converts a value by its field's type (a str field's "\\n"
    becomes a line break), and a transaction logs no null; the run's own input goes onto the vertex as sent."""
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"].update({
        "hidden": {"type": "str", "value": "h", "show": False},
        "unwired": {"type": "other", "value": "o", "show": True},
        "forced": {"type": "other", "value": "f", "show": False, "override_skip": True},
        "nothing": {"type": "str", "value": None, "show": True, "required": False},
        "fallback": {"type": "str", "value": None, "show": True, "required": False, "default": "d"},
        "needed": {"type": "str", "value": None, "show": True, "required": True},
        "empty_prompt": {"type": "prompt", "value": "", "show": True, "required": False},
        "count": {"type": "int", "value": "5", "show": True},
        "flag": {"type": "bool", "value": "false", "show": True},
        "pairs": {"type": "dict", "value": [{"key": "a", "value": 1}], "show": True},
        "rows": {"type": "table", "value": None, "show": True},
        "escaped": {"type": "str", "value": "a\\nb", "show": True}})
    flow_id = create_flow(client, key_headers, chat_flow)["id"]
    ran = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi\\n"}, headers=key_headers)
    assert ran.status_code == 200
    listed = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=key_headers)
    assert listed.status_code == 200
    logged = {t["vertex_id"]: t["inputs"] for t in listed.json()["items"]}
    assert logged["ChatOutput-eF2gH"] == {
        "clean_data": True, "context_id": "", "data_template": "{text}", "sender": "Machine", "sender_name": "AI",
        "session_id": flow_id, "should_store_message": True, "forced": "f", "fallback": "d", "count": 5,
        "flag": True, "pairs": {"a": 1}, "rows": [], "escaped": "a\nb"}
    assert logged["ChatInput-aB1cD"]["input_value"] == "hi\\n"  # the run's input as sent, not unescaped


def test_a_run_gives_every_session_id_field_its_session_and_a_build_only_the_empty_ones(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    """Langflow's graph run sets each vertex's session_id to the run's (the flow id without one), over what the
    flow holds, before the components store their messages and the vertices log their inputs; a build fills in
    only an empty field."""
    output = next(n for n in chat_flow["data"]["nodes"] if n["id"] == "ChatOutput-eF2gH")
    output["data"]["node"]["template"]["session_id"]["value"] = "from-the-flow"
    flow_id = create_flow(client, key_headers, chat_flow)["id"]
    ran = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi", "session_id": "asked"},
                      headers=key_headers)
    assert ran.status_code == 200
    assert ran.json()["outputs"][0]["outputs"][0]["results"]["message"]["session_id"] == "asked"
    assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": "none"}, headers=key_headers).status_code == 200
    built = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "built", "session": "b"}}, headers=key_headers)
    assert built.status_code == 200
    assert [(m["sender"], m["text"], m["session_id"]) for m in messages(client, key_headers, flow_id=flow_id)] == [
        ("User", "hi", "asked"), ("Machine", "hi", "asked"), ("User", "none", flow_id), ("Machine", "none", flow_id),
        ("User", "built", "b"), ("Machine", "built", "from-the-flow")]
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=key_headers).json()
    assert [(t["vertex_id"], t["inputs"]["session_id"]) for t in logged["items"]][::-1] == [
        ("ChatInput-aB1cD", "asked"), ("ChatOutput-eF2gH", "asked"), ("ChatInput-aB1cD", flow_id),
        ("ChatOutput-eF2gH", flow_id), ("ChatInput-aB1cD", "b"), ("ChatOutput-eF2gH", "from-the-flow")]


def latest_builds(client: TestClient, headers: dict[str, str], flow_id: str) -> dict[str, list[dict[str, Any]]]:
    response = client.get("/api/v1/monitor/builds", params={"flow_id": flow_id}, headers=headers)
    assert response.status_code == 200
    builds: dict[str, list[dict[str, Any]]] = response.json()["vertex_builds"]
    return builds


# /run/session is flagged off before 1.13
@pytest.mark.parametrize(("version", "route"), [
    (version, route) for version in ("1.13.0", "1.8.4", "1.7.1")
    for route in ("run", "run-stream", "run-session", "run-advanced") if route != "run-session" or version == "1.13.0"])
def test_a_run_logs_each_vertexs_result_as_its_build(make_client: Callable[..., TestClient],
                                                     chat_flow: dict[str, Any], version: str, route: str) -> None:
    """/run and its siblings run the flow through the graph's own loop, which logs each vertex it builds under
    the flow's id (and, from 1.8, the run's id as job_id): /monitor/builds then lists the run's vertices, each
    holding its result as a run response has it."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, chat_flow)["id"]
    path, body, params = {
        "run": (f"/api/v1/run/{flow_id}", {"input_value": "logged"}, {}),
        "run-stream": (f"/api/v1/run/{flow_id}", {"input_value": "logged"}, {"stream": "true"}),
        "run-session": (f"/api/v1/run/session/{flow_id}", {"input_value": "logged"}, {}),
        "run-advanced": (f"/api/v1/run/advanced/{flow_id}", {"inputs": [{"input_value": "logged"}]}, {}),
    }[route]
    assert client.post(path, json=body, params=params, headers=headers).status_code == 200
    builds = latest_builds(client, headers, flow_id)
    assert sorted(builds) == ["ChatInput-aB1cD", "ChatOutput-eF2gH"]
    for vertex_id, [build] in builds.items():
        assert (build["id"], build["flow_id"], build["valid"]) == (vertex_id, flow_id, True)
        assert build["data"]["component_id"] == vertex_id and "message" not in build["data"]
        assert build["artifacts"]["message"] == "logged"
        assert build["params"].startswith("- Files: []\n  Message: logged\n")
        if version == "1.7.1":
            assert "job_id" not in build
    if version != "1.7.1":  # one run: both builds name its id
        [job] = {b["job_id"] for [b] in builds.values()}
        assert UUID(job)
    assert builds["ChatOutput-eF2gH"][0]["data"]["messages"][0]["message"] == "logged"


CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"


def side_by_side_flow(chat_flow: dict[str, Any], boom_id: str, *, boom_edge_first: bool) -> dict[str, Any]:
    """Chat Input feeding both Chat Output and a "Boom" custom component (scripted to raise): the two run in
    the same layer of the graph loop."""
    boom = {"id": boom_id, "type": "genericNode", "position": {"x": 0, "y": 0},
            "data": {"id": boom_id, "type": "CustomComponent",
                     "node": {"display_name": "Boom", "base_classes": ["Message"],
                              "outputs": [{"name": "output", "types": ["Message"], "selected": "Message"}],
                              "template": {"_type": "Component",
                                           "input_value": {"name": "input_value", "type": "str", "show": True,
                                                           "value": "", "input_types": ["Message"]}}}}}
    edge = {"source": "ChatInput-aB1cD", "target": boom_id,
            "data": {"sourceHandle": {"dataType": "ChatInput", "id": "ChatInput-aB1cD", "name": "message",
                                      "output_types": ["Message"]},
                     "targetHandle": {"id": boom_id, "fieldName": "input_value", "inputTypes": ["Message"],
                                      "type": "str"}}}
    flow = {**chat_flow, "name": f"side by side {boom_id}", "data": {**chat_flow["data"]}}
    flow["data"]["nodes"] = [*chat_flow["data"]["nodes"], boom]
    edges = list(chat_flow["data"]["edges"])
    flow["data"]["edges"] = [edge, *edges] if boom_edge_first else [*edges, edge]
    return flow


# Langflow's graph loop runs a layer's vertices side by side and logs their builds once the layer is done, in
# the order it started them (sorted by id), up to the first that raised: the others still ran
@pytest.mark.parametrize(("boom_id", "boom_edge_first", "logged"), [
    ("Zboom-1", True, ["ChatInput-aB1cD", "ChatOutput-eF2gH"]),
    ("Aboom-1", False, ["ChatInput-aB1cD"]),
])
def test_a_failing_run_logs_a_layers_builds_up_to_the_vertex_that_raised(
        make_client: Callable[..., TestClient], chat_flow: dict[str, Any], boom_id: str, boom_edge_first: bool,
        logged: list[str]) -> None:
    client = make_client(scripts=[CONTRACT_SCRIPT])
    headers = {"x-api-key": new_api_key(client)}
    flow_id = create_flow(client, headers, side_by_side_flow(chat_flow, boom_id, boom_edge_first=boom_edge_first))["id"]
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "go", "session_id": "side"}, headers=headers)
    assert response.status_code == 500
    assert list(latest_builds(client, headers, flow_id)) == logged
    # Chat Output ran either way: its message is stored and its transaction logged
    stored = messages(client, headers, session_id="side")
    assert sorted((m["sender_name"], m["text"]) for m in stored) == [
        ("AI", "go"), ("Boom", "contract boom: go\n"), ("User", "go")]
    done = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id}, headers=headers).json()
    assert sorted((t["vertex_id"], t["status"]) for t in done["items"]) == sorted([
        ("ChatInput-aB1cD", "success"), ("ChatOutput-eF2gH", "success"), (boom_id, "error")])


def test_1_7_1_logs_no_transactions(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> None:
    """1.7.1's lfx (0.2.1) only writes a debug line for a vertex's transaction: after a run and a build
    the flow's transaction page is still empty (recorded: a run flow's page, total 0)."""
    client, headers, created = ran_once(make_client, chat_flow, "1.7.1")
    built = client.post(f"/api/v1/build/{created['id']}/flow", json={}, headers=headers)
    assert built.status_code == 200
    events = client.get(f"/api/v1/build/{built.json()['job_id']}/events", headers=headers)
    assert events.status_code == 200
    assert messages(client, headers, flow_id=created["id"])  # the run did happen
    for page in (1, 2):
        listed = client.get("/api/v1/monitor/transactions", params={"flow_id": created["id"], "page": page},
                            headers=headers)
        assert (listed.status_code, listed.json()) == (200, {"items": [], "total": 0, "page": page, "size": 50,
                                                             "pages": 0})


@pytest.fixture
def shared(make_client: Callable[..., TestClient],
           chat_flow: dict[str, Any]) -> tuple[TestClient, dict[str, str], str, str]:
    """A signed-in user (auto-login off) who chatted in a PUBLIC flow's playground, in session "s1": the client,
    their headers, the flow's id and the virtual flow id their messages are kept under."""
    from tests.api.test_build_public import ndjson
    from tests.conftest import KEY
    client = make_client(never_answer="error", job_latency_ms=0, auto_login=False, superuser="admin",
                         superuser_password=KEY)  # noqa: S106
    login = client.post("/api/v1/login", data={"username": "admin", "password": KEY})
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    me = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
    public = create_flow(client, headers, {**chat_flow, "access_type": "PUBLIC"})["id"]
    job = client.post(f"/api/v1/build_public_tmp/{public}/flow", headers=headers,
                      json={"inputs": {"input_value": "hello", "session": "s1"}}).json()["job_id"]
    assert ndjson(client.get(f"/api/v1/build_public_tmp/{job}/events").text)[-1]["event"] == "end"
    return client, headers, public, str(uuid5(NAMESPACE_DNS, f"user:{me}_{public}"))


def test_1_13_lists_and_edits_a_users_messages_of_a_shared_flow(
        shared: tuple[TestClient, dict[str, str], str, str]) -> None:
    """Langflow 1.13's /monitor/messages/shared routes reach the caller's playground messages of a public flow,
    kept under the caller's virtual flow id, by the flow's own id."""
    client, headers, public, virtual = shared
    source = {"source_flow_id": public}
    session = f"{virtual}:s1"
    sessions = client.get("/api/v1/monitor/messages/shared/sessions", params=source, headers=headers)
    assert (sessions.status_code, sessions.json()) == (200, [session])
    listed = client.get("/api/v1/monitor/messages/shared", params={**source, "order": "desc"}, headers=headers)
    assert listed.status_code == 200
    assert [(m["sender"], m["flow_id"], m["session_id"]) for m in listed.json()][-1] == ("User", virtual, session)
    assert listed.json()[-1]["text"] == "hello"
    assert client.get("/api/v1/monitor/messages", headers=headers).json() == []  # not among the flow's own
    for bad, detail in (({"order": "up"}, "Invalid order direction: up"),
                        ({"order_by": "flow_id"}, "Invalid order_by field: flow_id")):
        refused = client.get("/api/v1/monitor/messages/shared", params={**source, **bad}, headers=headers)
        assert (refused.status_code, refused.json()) == (400, {"detail": detail})
    user_message = listed.json()[-1]["id"]
    edited = client.put(f"/api/v1/monitor/messages/shared/{user_message}", params=source, json={"text": "hi"},
                        headers=headers)
    assert edited.status_code == 200
    assert (edited.json()["text"], edited.json()["edit"]) == ("hi", True)
    outside = client.put(f"/api/v1/monitor/messages/shared/{user_message}", params=source,
                         json={"files": [f"{uuid4()}/x.txt"]}, headers=headers)
    assert outside.status_code == 400
    for other in ({"source_flow_id": str(uuid4())}, source):  # another flow's id; an unknown message
        target = user_message if other is not source else str(uuid4())
        missing = client.put(f"/api/v1/monitor/messages/shared/{target}", params=other, json={"text": "x"},
                             headers=headers)
        assert (missing.status_code, missing.json()) == (404, {"detail": "Message not found"})
    renamed = client.patch(f"/api/v1/monitor/messages/shared/session/{session}",
                           params={**source, "new_session_id": "renamed"}, headers=headers)
    assert renamed.status_code == 200 and {m["session_id"] for m in renamed.json()} == {"renamed"}
    gone = client.patch(f"/api/v1/monitor/messages/shared/session/{session}",
                        params={**source, "new_session_id": "x"}, headers=headers)
    assert (gone.status_code, gone.json()) == (404, {"detail": "No messages found with the given session ID"})
    deleted = client.delete("/api/v1/monitor/messages/shared/session/renamed", params=source, headers=headers)
    assert (deleted.status_code, deleted.headers["content-type"], deleted.content) == (204, "application/json", b"")
    assert client.get("/api/v1/monitor/messages/shared", params=source, headers=headers).json() == []


def test_a_shared_flows_messages_are_only_their_own_users(
        shared: tuple[TestClient, dict[str, str], str, str]) -> None:
    client, headers, public, _ = shared
    bob = {"x-api-key": other_user_key(client, headers)}
    source = {"source_flow_id": public}
    assert client.get("/api/v1/monitor/messages/shared/sessions", params=source, headers=bob).json() == []
    assert client.get("/api/v1/monitor/messages/shared", params=source, headers=bob).json() == []
    assert client.delete("/api/v1/monitor/messages/shared/session/s1", params=source,
                         headers=bob).status_code == 204
    assert len(client.get("/api/v1/monitor/messages/shared", params=source, headers=headers).json()) == 2
    missing = client.get("/api/v1/monitor/messages/shared", headers=headers)
    assert (missing.status_code, missing.json()["detail"][0]["loc"]) == (422, ["query", "source_flow_id"])


def test_before_1_13_there_are_no_shared_message_routes(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    source = {"source_flow_id": str(uuid4())}
    # /messages/shared is the path of PUT /messages/{message_id}: another method there is a 405
    for method, path, status in (("GET", "/messages/shared", 405), ("GET", "/messages/shared/sessions", 404),
                                 ("DELETE", "/messages/shared/session/s1", 404)):
        response = client.request(method, f"/api/v1/monitor{path}", params=source, headers=headers)
        assert response.status_code == status, path


# --- content blocks as a v1 client reads them (1.13 keeps the new shape, projects it onto the old) ------------


def failing_prompting(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """Basic Prompting (Chat Input -> Prompt -> Language Model -> Chat Output) whose model fails with "boom"."""
    example = json.loads((Path(__file__).parents[2] / "fixtures" / "flows" / "basic_prompting.json").read_text())
    assert client.post("/_mock/scripts", json={"rules": [{"error": "boom"}]}, headers=headers).status_code == 201
    return create_flow(client, headers, {"name": "fails", "data": example["data"]})


def ndjson_events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.split("\n") if line.strip()]


OLD_ERROR_LEAF = ["type", "duration", "header", "component", "field", "reason", "solution", "code", "traceback"]


@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_a_failed_components_error_message_reads_back_as_one_error_group(make_client: Callable[..., TestClient],
                                                                         version: str) -> None:
    """1.13 stores an error message's blocks in its new shape (a text leaf, a tagged group of leaves with ids)
    and its monitor shows the old one: the group alone, with title, contents, allow_markdown and media_url,
    its leaf without id and contents; 1.8 has only the old shape (without `code`)."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    flow = failing_prompting(client, headers)
    assert client.post(f"/api/v1/run/{flow['id']}", json={"input_value": "hi"}, headers=headers).status_code == 500
    [error] = [m for m in messages(client, headers, flow_id=flow["id"]) if m["category"] == "error"]
    [group] = error["content_blocks"]
    assert (list(group), group["title"], group["allow_markdown"], group["media_url"]) == (
        ["title", "contents", "allow_markdown", "media_url"], "Error", True, None)
    [leaf] = group["contents"]
    expected = OLD_ERROR_LEAF if version == "1.13" else [k for k in OLD_ERROR_LEAF if k != "code"]
    assert (list(leaf), leaf["reason"]) == (expected, "**ValueError**\n - **Details: boom**\n")


def test_1_13_v1_streams_show_old_blocks_where_langflow_projects_them(client: TestClient,
                                                                       key_headers: dict[str, str]) -> None:
    """/run's stream projects every event that carries content blocks (the component's error event too); a
    build's stream only its add_message events: its error event keeps the stored message's blocks new-shaped (the
    Error group: the store kept no text block), its data holding them as a read shows them."""
    flow = failing_prompting(client, key_headers)
    streamed = ndjson_events(client.post(f"/api/v1/run/{flow['id']}?stream=true", json={"input_value": "hi"},
                                         headers=key_headers).text)
    [component_error] = [e for e in streamed if e["event"] == "error" and "content_blocks" in e["data"]]
    assert [list(b) for b in component_error["data"]["content_blocks"]] == [
        ["title", "contents", "allow_markdown", "media_url"]]
    assert component_error["data"]["content_blocks"] == component_error["data"]["data"]["content_blocks"]
    built = ndjson_events(client.post(f"/api/v1/build/{flow['id']}/flow", params={"event_delivery": "direct"},
                                      json={"inputs": {"input_value": "hi"}}, headers=key_headers).text)
    [whole] = [e["data"] for e in built if e["event"] == "error" and "content_blocks" in e["data"]]
    assert [b["type"] for b in whole["content_blocks"]] == ["group"]
    assert [list(b) for b in whole["data"]["content_blocks"]] == [["title", "contents", "allow_markdown", "media_url"]]


def test_1_13_an_edits_new_shape_blocks_read_back_projected(client: TestClient, key_headers: dict[str, str],
                                                            flow: dict[str, Any]) -> None:
    """An edit stores its blocks as sent; 1.13's answer and listing show them as a v1 client reads them: a top-level
    text leaf is the answer of an "Agent Steps" group (its closing Output step) or dropped; tool-use leaves with no
    group get one."""
    target = messages(client, key_headers, flow_id=flow["id"])[0]
    tool = {"type": "tool_use", "id": "t1", "duration": 3, "header": {"title": "Executed **add**", "icon": "Hammer"},
            "contents": [], "name": "add", "tool_input": {"a": 1}, "output": "2", "error": None}
    steps = {"type": "group", "id": "g1", "title": "Agent Steps", "contents": [tool], "allow_markdown": True,
             "media_url": None}
    answer = {"type": "text", "id": None, "duration": None, "header": {}, "contents": [], "text": "It is 2."}
    old_tool = {k: v for k, v in tool.items() if k not in ("id", "contents")}
    output = {"type": "text", "duration": None, "header": {"title": "Output", "icon": "MessageSquare"},
              "text": "It is 2."}
    for sent, shown in (([steps, answer], [{"title": "Agent Steps", "contents": [old_tool, output],
                                             "allow_markdown": True, "media_url": None}]),
                        ([tool, answer], [{"title": "Agent Steps", "contents": [old_tool, {
                            k: v for k, v in answer.items() if k not in ("id", "contents")}],
                                           "allow_markdown": True, "media_url": None}]),
                        ([answer], [])):
        edited = client.put(f"/api/v1/monitor/messages/{target['id']}", json={"content_blocks": sent},
                            headers=key_headers)
        assert (edited.status_code, edited.json()["content_blocks"]) == (200, shown)
        listed = next(m for m in messages(client, key_headers, flow_id=flow["id"]) if m["id"] == target["id"])
        assert listed["content_blocks"] == shown
