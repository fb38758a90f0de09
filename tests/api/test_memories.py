"""1.13's memory bases (/api/v1/memories, hidden from /openapi.json): a flow's conversations captured, one session
at a time, into a knowledge base of their own, as Langflow's Knowledge page shows them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from tests.api.test_model_policy_runs import govern
from tests.conftest import create_flow, load_json, new_api_key, other_user_key

MEM = "/api/v1/memories"
KB = "/api/v1/knowledge_bases"


def signed_in(make_client: Callable[..., TestClient], **settings: Any) -> TestClient:
    client = make_client(**settings)
    client.headers["x-api-key"] = new_api_key(client)
    return client


def chat_flow(client: TestClient, name: str = "chat", headers: dict[str, str] | None = None) -> str:
    body = copy.deepcopy(load_json("flow_chat_io.json")) | {"name": name}
    return str(create_flow(client, headers or {}, body)["id"])


def say(client: TestClient, flow_id: str, text: str, session_id: str) -> None:
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": text, "session_id": session_id})
    assert response.status_code == 200, response.text


def create(client: TestClient, flow_id: str, name: str = "Support Memory", **extra: Any) -> dict[str, Any]:
    response = client.post(MEM, json={"name": name, "flow_id": flow_id, "embedding_model": "text-embedding-3-small",
                                      **extra})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_long_name_fills_the_knowledge_base_name_to_a_collection_names_limit(
        make_client: Callable[..., TestClient]) -> None:
    """The generated kb_name keeps 246 characters of the sanitized name: with "_" and 8 hex digits, the 255 a
    local collection name may have."""
    client = signed_in(make_client)
    long = create(client, chat_flow(client), name="Y" * 300)
    assert long["kb_name"][:-9] == "y" * 246 and len(long["kb_name"]) == 255


def test_a_new_memory_base_gets_its_own_knowledge_base_and_is_listed(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    created = create(client, flow_id, name="Support - Memory!")
    assert created["kb_name"].startswith("support_memory_") and len(created["kb_name"]) == len("support_memory_") + 8
    assert {k: created[k] for k in ("name", "flow_id", "threshold", "auto_capture", "embedding_model",
                                     "preprocessing", "preproc_model", "preproc_kill_phrase", "backend_type",
                                     "backend_config", "storage_state", "active_migration_id")} == {
        "name": "Support - Memory!", "flow_id": flow_id, "threshold": 50, "auto_capture": True,
        "embedding_model": "text-embedding-3-small", "preprocessing": False, "preproc_model": None,
        "preproc_kill_phrase": None, "backend_type": "sqlite", "backend_config": {}, "storage_state": "ready",
        "active_migration_id": None}
    assert created["storage_kb_id"] and "+" not in created["created_at"]
    listed = client.get(f"{MEM}/")
    assert listed.status_code == 200
    assert listed.json() == {"items": [created], "total": 1, "page": 1, "size": 50, "pages": 1}
    assert client.get(f"{MEM}/{created['id']}").json() == created
    assert client.get(MEM, params={"flow_id": str(uuid4())}).json()["items"] == []
    assert "/api/v1/memories" not in client.get("/openapi.json").text


def test_create_refuses_what_langflow_refuses(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    create(client, flow_id, name="Notes")
    cases = [
        ({"name": "Notes", "flow_id": flow_id}, 409, "A Memory Base named 'Notes' already exists for this user"),
        ({"name": "N", "flow_id": (missing := str(uuid4()))}, 404, f"Flow {missing} not found"),
        ({"name": "N", "flow_id": flow_id, "embedding_provider": "Cohere"}, 422,
         "Embedding provider 'Cohere' is not available for embeddings."),
    ]
    for body, status, detail in cases:
        response = client.post(MEM, json=body)
        assert (response.status_code, response.json()) == (status, {"detail": detail})
    for body, message in (({"backend_type": "chroma"}, "Memory bases support SQLite Local, pgVector and OpenSearch"),
                          ({"preprocessing": True}, "preproc_model is required when preprocessing is enabled")):
        response = client.post(MEM, json={"name": "N", "flow_id": flow_id, **body})
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"] == f"Value error, {message}"
    assert client.get(MEM).json()["total"] == 1


def test_only_a_superuser_may_route_a_memory_base_to_shared_storage(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    bob = {"x-api-key": other_user_key(client, dict(client.headers))}
    flow_id = chat_flow(client, headers=bob)
    response = client.post(MEM, json={"name": "N", "flow_id": flow_id, "backend_config": {"index_name": "shared"}},
                           headers=bob)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Only a superuser can set index_name in backend_config")


def test_a_flush_ingests_the_sessions_new_messages_once(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    say(client, flow_id, "my order is late", "s1")
    say(client, flow_id, "another conversation", "s2")
    mb = create(client, flow_id)
    assert client.get(f"{MEM}/{mb['id']}/sessions").json()["items"] == []
    flushed = client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": "s1"})
    assert flushed.status_code == 202
    job_id = flushed.json()["job_id"]
    messages = client.get(f"{MEM}/{mb['id']}/messages").json()
    assert messages["total"] == 2
    assert [(m["sender"], m["text"], m["session_id"], m["job_id"]) for m in messages["items"]] == [
        ("Machine", "my order is late", "s1", job_id), ("User", "my order is late", "s1", job_id)]
    sessions = client.get(f"{MEM}/{mb['id']}/sessions").json()["items"]
    assert [(s["session_id"], s["total_processed"], s["cursor_id"], s["pending_count"]) for s in sessions] == [
        ("s1", 2, messages["items"][0]["id"], 0)]
    # nothing new: the cursor stays; a new exchange is all the next flush takes
    client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": "s1"})
    say(client, flow_id, "still waiting", "s1")
    again = client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": "s1"}).json()["job_id"]
    assert client.get(f"{MEM}/{mb['id']}/sessions").json()["items"][0]["total_processed"] == 4
    newest = client.get(f"{MEM}/{mb['id']}/messages", params={"session_id": "s1", "size": 2}).json()
    assert [(m["text"], m["job_id"]) for m in newest["items"]] == [("still waiting", again)] * 2
    assert (newest["total"], newest["pages"]) == (4, 2)
    assert client.get(f"{MEM}/{mb['id']}/messages", params={"session_id": "s2"}).json()["total"] == 0
    assert client.get(f"{MEM}/{mb['id']}/mismatch").json() == {"mismatch_detected": False}


def test_regenerate_ingests_every_session_again(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id)
    for session in ("a", "b"):
        say(client, flow_id, f"hello {session}", session)
        client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": session})
    regenerated = client.post(f"{MEM}/{mb['id']}/regenerate")
    assert regenerated.status_code == 202
    job_ids = regenerated.json()["job_ids"]
    assert len(job_ids) == 2
    items = client.get(f"{MEM}/{mb['id']}/messages").json()["items"]
    assert len(items) == 4 and {m["job_id"] for m in items} == set(job_ids)


def test_a_memory_base_whose_store_is_gone_reports_a_mismatch(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id)
    say(client, flow_id, "remember me", "s")
    client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": "s"})
    kbs = client.app.state.mock.store.knowledge_bases  # type: ignore[attr-defined]
    kbs.delete([UUID(mb["storage_kb_id"])])
    assert client.get(f"{MEM}/{mb['id']}/mismatch").json() == {"mismatch_detected": True}
    assert client.get(f"{MEM}/{mb['id']}").json()["storage_state"] == "needs_attention"


def test_an_update_changes_name_threshold_and_capture_only(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id)
    create(client, flow_id, name="Other")
    response = client.patch(f"{MEM}/{mb['id']}", json={"name": "Renamed", "threshold": 3, "auto_capture": False,
                                                       "embedding_model": "ignored"})
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("name", "threshold", "auto_capture", "embedding_model", "kb_name")} == {
        "name": "Renamed", "threshold": 3, "auto_capture": False, "embedding_model": "text-embedding-3-small",
        "kb_name": mb["kb_name"]}
    # Langflow writes the fields unchecked: its database refuses a null or a name in use (a 500)
    clash = client.patch(f"{MEM}/{mb['id']}", json={"name": "Other"})
    assert clash.status_code == 500
    assert clash.json()["message"].startswith("(sqlite3.IntegrityError) UNIQUE constraint failed: memory_base.")
    assert client.patch(f"{MEM}/{mb['id']}", json={"threshold": None}).status_code == 500
    assert client.get(f"{MEM}/{mb['id']}").json()["name"] == "Renamed"


def test_another_users_memory_base_is_not_found(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    mb = create(client, chat_flow(client))
    bob = {"x-api-key": other_user_key(client, dict(client.headers))}
    not_found = {"detail": "Memory base not found"}
    for method, path, body in (("GET", "", None), ("GET", "/sessions", None), ("GET", "/messages", None),
                               ("PATCH", "", {"threshold": 1}), ("DELETE", "", None),
                               ("POST", "/flush", {"session_id": "s"}), ("GET", "/mismatch", None),
                               ("POST", "/regenerate", None)):
        response = client.request(method, f"{MEM}/{mb['id']}{path}", json=body, headers=bob)
        assert (response.status_code, response.json()) == (404, not_found), (method, path)
    assert client.get(MEM, headers=bob).json()["total"] == 0
    response = client.post(MEM, json={"name": "Mine", "flow_id": mb["flow_id"]}, headers=bob)
    assert (response.status_code, response.json()) == (404, {"detail": f"Flow {mb['flow_id']} not found"})


def test_the_knowledge_routes_leave_a_memory_bases_store_alone(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    mb = create(client, chat_flow(client))
    assert client.get(KB).json() == []
    refused = {"detail": f"Access denied: knowledge base '{mb['kb_name']}' is managed by a Memory Base."}
    for method, path in (("GET", ""), ("GET", "/chunks"), ("DELETE", ""), ("POST", "/cancel")):
        response = client.request(method, f"{KB}/{mb['kb_name']}{path}")
        assert (response.status_code, response.json()) == (403, refused), path
    bulk = client.request("DELETE", KB, json={"kb_names": [mb["kb_name"]]})
    assert bulk.status_code == 200
    assert bulk.json() == {"message": "Successfully deleted 0 knowledge base(s)", "deleted_count": 0,
                           "memory_base_skipped": mb["kb_name"]}
    assert client.get(f"{MEM}/{mb['id']}").json()["storage_state"] == "ready"


def test_deleting_a_memory_base_deletes_its_store(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    mb = create(client, chat_flow(client))
    response = client.delete(f"{MEM}/{mb['id']}")
    assert (response.status_code, response.content) == (204, b"")
    assert client.get(f"{MEM}/{mb['id']}").status_code == 404
    assert client.get(f"{KB}/{mb['kb_name']}").status_code == 404
    create(client, mb["flow_id"], name=mb["name"])  # the name is free again


def test_pages_and_bad_ids_get_fastapis_422(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    names = [create(client, flow_id, name=f"m{i}")["name"] for i in range(3)]
    second = client.get(MEM, params={"page": 2, "size": 2}).json()
    assert ([m["name"] for m in second["items"]], second["total"], second["pages"]) == (names[2:], 3, 2)
    for params in ({"size": 101}, {"page": 0}):
        assert client.get(MEM, params=params).status_code == 422
    # Langflow's own Params and add_pagination's read page and size each: an error twice, before a bad id
    parsing = {"type": "int_parsing", "loc": ["query", "page"],
               "msg": "Input should be a valid integer, unable to parse string as an integer"}
    for path in (MEM, f"{MEM}/not-a-uuid/sessions", f"{MEM}/not-a-uuid/messages"):
        detail = client.get(path, params={"page": "x"}).json()["detail"]
        assert detail[:2] == [parsing, parsing] and [e["loc"] for e in detail[2:]] == (
            [] if path == MEM else [["path", "memory_base_id"]]), path
    assert client.get(f"{MEM}/not-a-uuid").status_code == 422
    assert client.post(f"{MEM}/{uuid4()}/flush", json={}).status_code == 422


def test_older_releases_have_no_memory_bases(make_client: Callable[..., TestClient]) -> None:
    assert signed_in(make_client, langflow_version="1.8.4").get(MEM).status_code == 404
    old = signed_in(make_client, langflow_version="1.7.1")
    assert old.get(MEM).headers["content-type"].startswith("text/html")  # (1.7.1's frontend page, as for any path)
    assert old.post(MEM, json={}).status_code in (404, 405)


def test_the_owners_runs_are_captured_and_ingested_at_the_threshold(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id, threshold=2)
    idle = create(client, flow_id, name="Idle", auto_capture=False)
    say(client, flow_id, "first question", "conv")
    sessions = client.get(f"{MEM}/{mb['id']}/sessions").json()["items"]
    assert [(s["session_id"], s["pending_count"], s["total_processed"], s["last_sync_at"]) for s in sessions] == [
        ("conv", 1, 0, None)]
    assert client.get(f"{MEM}/{mb['id']}/messages").json()["total"] == 0
    say(client, flow_id, "second question", "conv")  # the threshold: the session is ingested
    sessions = client.get(f"{MEM}/{mb['id']}/sessions").json()["items"]
    assert [(s["pending_count"], s["total_processed"]) for s in sessions] == [(0, 4)]
    assert sessions[0]["last_sync_at"] is not None
    assert client.get(f"{MEM}/{mb['id']}/messages").json()["total"] == 4
    assert client.get(f"{MEM}/{idle['id']}/sessions").json()["total"] == 0


def test_deleting_a_session_makes_its_memory_bases_forget_it(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id)
    for session in ("keep", "drop", "gone"):
        say(client, flow_id, f"about {session}", session)
        client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": session})
    assert client.delete("/api/v1/monitor/messages/session/drop").status_code == 204
    client.delete("/api/v1/monitor/messages/session/gone")
    # "gone" is forgotten already: the bulk delete finds "keep" alone
    response = client.request("DELETE", "/api/v1/monitor/messages/sessions", json=["gone", "keep"])
    assert response.json() == {"message": "Messages deleted successfully for 1 session", "deleted_count": 1}
    assert client.get(f"{MEM}/{mb['id']}/sessions").json()["total"] == 0
    kbs = client.app.state.mock.store.knowledge_bases  # type: ignore[attr-defined]
    assert kbs.chunks(UUID(mb["storage_kb_id"])) == []


def test_deleting_the_flow_deletes_its_memory_bases(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id)
    other = create(client, chat_flow(client, name="other"), name="Other")
    say(client, flow_id, "hello", "s")
    client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": "s"})
    assert client.delete(f"/api/v1/flows/{flow_id}").status_code == 200
    assert client.get(f"{MEM}/{mb['id']}").status_code == 404
    assert [m["id"] for m in client.get(MEM).json()["items"]] == [other["id"]]
    kbs = client.app.state.mock.store.knowledge_bases  # type: ignore[attr-defined]
    assert not kbs.exists(UUID(mb["storage_kb_id"])) and kbs.exists(UUID(other["storage_kb_id"]))


def test_preprocessing_needs_a_known_model_and_its_providers_key(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    unknown = client.post(MEM, json={"name": "P", "flow_id": flow_id, "preproc_model": "no-such-model"})
    assert (unknown.status_code, unknown.json()) == (422, {"detail": (
        "Unknown LLM model 'no-such-model' \u2014 provider could not be inferred. Configure a model that is "
        "registered in the unified model catalog.")})
    body = {"name": "P", "flow_id": flow_id, "preprocessing": True, "preproc_model": "gpt-4o-mini"}
    keyless = client.post(MEM, json=body)
    assert (keyless.status_code, keyless.json()) == (422, {"detail": (
        "No API key found for provider 'OpenAI' (required for preprocessing model 'gpt-4o-mini'). Add the key to "
        "your global variables before enabling preprocessing.")})
    variable = client.post("/api/v1/variables/", json={"name": "OPENAI_API_KEY", "value": "sk-test",
                                                       "type": "Credential", "default_fields": []})
    assert variable.status_code == 201, variable.text
    created = client.post(MEM, json=body)
    assert created.status_code == 201
    assert (created.json()["preproc_model"], created.json()["preproc_kill_phrase"]) == ("gpt-4o-mini", "NO_INGEST")
    # an update checks the key again: without it, Langflow refuses with 403
    assert client.delete(f"/api/v1/variables/{variable.json()['id']}").status_code in (200, 204)
    refused = client.patch(f"{MEM}/{created.json()['id']}", json={"threshold": 5})
    assert (refused.status_code, refused.json()) == (403, keyless.json())


def test_an_advanced_run_tracks_its_session_without_counting(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id, threshold=1)
    response = client.post(f"/api/v1/run/advanced/{flow_id}", json={"inputs": [{"input_value": "hi"}]})
    assert response.status_code == 200, response.text
    sessions = client.get(f"{MEM}/{mb['id']}/sessions").json()["items"]
    assert [(s["session_id"], s["pending_count"], s["total_processed"]) for s in sessions] == [(flow_id, 0, 0)]


def test_providers_the_model_policy_leaves_out_are_not_found(make_client: Callable[..., TestClient]) -> None:
    # 1.13 checks the preprocessing model's provider and the embedding provider against the approved list before
    # the embedding class and the key: a 404 as for a provider that does not exist
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    govern(client, {}, approved_provider_ids=["openai"])
    for extra in ({"preprocessing": True, "preproc_model": "claude-sonnet-4-6"},
                  {"embedding_provider": "Cohere"}, {"embedding_provider": "Ollama", "embedding_model": "nomic"}):
        response = client.post(MEM, json={"name": "Memory", "flow_id": flow_id,
                                          "embedding_model": "text-embedding-3-small", **extra})
        assert (response.status_code, response.json()) == (404, {"detail": "Model provider not found"}), extra
    assert client.get(MEM).json()["items"] == []
    assert create(client, flow_id)["name"] == "Support Memory"


def test_an_ingestion_meets_the_model_policy_of_its_time(make_client: Callable[..., TestClient]) -> None:
    # 1.13 checks an ingestion job's providers (purpose use) before it makes the job: once an administrator
    # narrows the approved list, a flush or a regenerate fails with Langflow's catch-all 500 and writes nothing,
    # and a capture at the threshold records the run but ingests nothing
    client = signed_in(make_client)
    flow_id = chat_flow(client)
    mb = create(client, flow_id, threshold=1)
    say(client, flow_id, "first", "s1")
    assert client.get(f"{MEM}/{mb['id']}/messages").json()["total"] == 2
    variable = client.post("/api/v1/variables/", json={"name": "ANTHROPIC_API_KEY", "value": "sk-ant",
                                                       "type": "Credential", "default_fields": []})
    assert variable.status_code == 201, variable.text
    preprocessed = create(client, flow_id, name="Summaries", auto_capture=False, preprocessing=True,
                          preproc_model="claude-sonnet-4-6")
    say(client, flow_id, "second", "s2")
    refused = {"message": "The requested model provider is not available"}
    govern(client, {}, approved_provider_ids=["anthropic"])  # the embedding provider (OpenAI) left out
    for path, body in (("flush", {"session_id": "s2"}), ("regenerate", None)):
        answer = client.post(f"{MEM}/{mb['id']}/{path}", json=body)
        assert (answer.status_code, answer.json()) == (500, refused), path
    say(client, flow_id, "third", "s1")  # at the threshold: counted, not ingested
    sessions = client.get(f"{MEM}/{mb['id']}/sessions").json()["items"]
    assert sorted((s["session_id"], s["pending_count"], s["total_processed"]) for s in sessions) == [
        ("s1", 1, 2), ("s2", 0, 2)]
    assert client.get(f"{MEM}/{mb['id']}/messages").json()["total"] == 4
    govern(client, {}, approved_provider_ids=["openai"])  # now the preprocessing model's provider is out
    answer = client.post(f"{MEM}/{preprocessed['id']}/flush", json={"session_id": "s1"})
    assert (answer.status_code, answer.json()) == (500, refused)
    assert client.get(f"{MEM}/{preprocessed['id']}/sessions").json()["items"] == []
    flushed = client.post(f"{MEM}/{mb['id']}/flush", json={"session_id": "s1"})
    assert flushed.status_code == 202
    assert client.get(f"{MEM}/{mb['id']}/messages").json()["total"] == 6
