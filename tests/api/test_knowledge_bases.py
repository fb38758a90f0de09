"""Knowledge bases (/api/v1/knowledge_bases), which Langflow's Knowledge page and its Knowledge Ingestion and
Retrieval users call, and 1.13's knowledge-base storage status (/api/v1/knowledge-base-storage)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from mock_langflow.engine.chunking import DEFAULT_SEPARATORS, separators_for, split_text
from tests.api.test_model_policy_runs import govern
from tests.conftest import new_api_key

KB = "/api/v1/knowledge_bases"
STORAGE = "/api/v1/knowledge-base-storage"
TEXT = ("Langflow builds agents. " * 30 + "\n\n" + "Knowledge bases hold chunks. " * 30).encode()


def signed_in(make_client: Callable[..., TestClient], **settings: Any) -> TestClient:
    client = make_client(**settings)
    client.headers["x-api-key"] = new_api_key(client)
    return client


def create(client: TestClient, name: str = "Product Docs", **extra: Any) -> dict[str, Any]:
    body = {"name": name, "embedding_provider": "OpenAI", "embedding_model": "text-embedding-3-small", **extra}
    response = client.post(KB, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def ingest(client: TestClient, name: str, files: dict[str, bytes], headers: dict[str, str] | None = None,
           **form: str) -> dict[str, Any]:
    response = client.post(f"{KB}/{name}/ingest", files=[("files", (n, c, "text/plain")) for n, c in files.items()],
                           data={"chunk_size": "200", "chunk_overlap": "20", **form}, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_new_base_is_listed_empty_and_read_by_its_stored_name(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    created = create(client)
    assert created["name"] == "Product Docs" and created["dir_name"] == "Product_Docs"
    assert {k: created[k] for k in ("status", "chunks", "size", "avg_chunk_size", "backend_type", "storage_state",
                                     "storage_generation", "column_config", "last_job_id")} == {
        "status": "empty", "chunks": 0, "size": 0, "avg_chunk_size": 0.0, "backend_type": "sqlite",
        "storage_state": "ready", "storage_generation": 1, "column_config": None, "last_job_id": None}
    listed = client.get(KB)
    assert listed.status_code == 200
    assert [kb["id"] for kb in listed.json()] == [created["id"]]
    assert client.get(f"{KB}/").json() == listed.json()
    read = client.get(f"{KB}/Product_Docs")
    assert read.status_code == 200
    assert read.json()["id"] == created["id"] and read.json()["name"] == "Product Docs"
    # the create answers from its request (no chunking, no column roles); reads from 1.13's record and its defaults
    assert (created["chunk_size"], created["chunk_overlap"]) == (None, None)
    for kb in (read.json(), listed.json()[0]):
        assert (kb["chunk_size"], kb["chunk_overlap"], kb["column_config"]) == (1000, 200, [])
    older = signed_in(make_client, langflow_version="1.8.4")
    create(older)
    assert older.get(f"{KB}/Product_Docs").json()["chunk_size"] is None


def test_create_refuses_short_duplicate_path_like_names_and_a_missing_provider(
        make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    create(client, "docs")
    cases = [({"name": " a "}, 400, "Knowledge base name must be at least 3 characters"),
             ({"name": "docs"}, 409, "Knowledge base 'docs' already exists"),
             ({"name": "../other/kb"}, 403, "Access denied for knowledge base '../other/kb'."),
             ({"name": "fresh", "embedding_provider": "  "}, 404, "Model provider not found"),
             ({"name": "fresh", "model_selection": {"name": "m", "provider": "Anthropic"}}, 404,
              "Model provider not found")]
    for change, status, detail in cases:
        body = {"name": "x", "embedding_provider": "OpenAI", "embedding_model": "text-embedding-3-small", **change}
        response = client.post(KB, json=body)
        assert (response.status_code, response.json()) == (status, {"detail": detail}), change
    bad_backend = client.post(KB, json={"name": "fresh", "embedding_provider": "OpenAI", "embedding_model": "m",
                                        "backend_type": "chroma"})
    assert bad_backend.status_code == 422
    assert "Vector-store backend 'chroma' is not enabled in this build" in bad_backend.json()["detail"][0]["msg"]
    assert [kb["dir_name"] for kb in client.get(KB).json()] == ["docs"]


def test_ingested_files_become_chunks_and_the_bases_counts(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    kb = create(client)
    task = ingest(client, "Product_Docs", {"guide.md": TEXT, "empty.txt": b"   "}, source_name="Docs",
                  metadata=json.dumps({"team": "search", "tags": ["a", "b"]}))
    assert task["href"] == f"/task/{task['id']}"
    expected = split_text(TEXT.decode(), chunk_size=200, chunk_overlap=20, separators=DEFAULT_SEPARATORS)
    chunks = client.get(f"{KB}/Product_Docs/chunks", params={"limit": 100}).json()
    assert [c["content"] for c in chunks["chunks"]] == expected
    assert (chunks["total"], chunks["page"], chunks["total_pages"]) == (len(expected), 1, 1)
    first = chunks["chunks"][0]
    assert first["char_count"] == len(first["content"])
    meta = first["metadata"]
    assert {k: meta[k] for k in ("source", "file_name", "chunk_index", "total_chunks", "job_id", "source_type")} == {
        "source": "Docs", "file_name": "guide.md", "chunk_index": 0, "total_chunks": len(expected),
        "job_id": task["id"], "source_type": "file_upload"}
    assert json.loads(meta["source_metadata"]) == {"source_name": "Docs", "team": "search", "tags": ["a", "b"]}
    listed = client.get(KB).json()[0]
    characters = sum(len(c) for c in expected)
    assert {k: listed[k] for k in ("id", "status", "chunks", "characters", "words", "avg_chunk_size", "chunk_size",
                                    "chunk_overlap", "separator", "source_types", "last_job_id")} == {
        "id": kb["id"], "status": "ready", "chunks": len(expected), "characters": characters,
        "words": sum(len(c.split()) for c in expected), "avg_chunk_size": round(characters / len(expected), 1),
        "chunk_size": 200, "chunk_overlap": 20, "separator": None, "source_types": ["md"], "last_job_id": task["id"]}


def test_chunks_page_search_and_filter(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    create(client)
    ingest(client, "Product_Docs", {"a.txt": TEXT}, per_file_metadata=json.dumps({"a.txt": {"kind": "guide"}}))
    second = ingest(client, "Product_Docs", {"b.txt": b"Only one short chunk about pricing."})
    url = f"{KB}/Product_Docs/chunks"
    everything = client.get(url, params={"limit": 100}).json()
    page = client.get(url, params={"page": 2, "limit": 3}).json()
    assert page["chunks"] == everything["chunks"][3:6]
    assert page["total_pages"] == -(-everything["total"] // 3)
    found = client.get(url, params={"search": "PRICING"}).json()
    assert [c["content"] for c in found["chunks"]] == ["Only one short chunk about pricing."]
    assert client.get(url, params={"job_id": second["id"]}).json()["total"] == 1
    assert client.get(url, params={"file_name": "a.txt"}).json()["total"] == everything["total"] - 1
    assert client.get(url, params={"meta_kind": "guide"}).json()["total"] == everything["total"] - 1
    assert client.get(url, params={"meta_kind": "other"}).json()["total"] == 0
    keys = client.get(f"{KB}/Product_Docs/metadata/keys")
    assert keys.json() == {"keys": {"kind": ["guide"]}, "truncated": False}
    assert client.get(url, params={"limit": 101}).status_code == 422


def test_ingestion_runs_are_listed_newest_first_with_their_files(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    create(client)
    first = ingest(client, "Product_Docs", {"a.txt": TEXT, "blank.txt": b""}, source_name="Batch one")
    second = ingest(client, "Product_Docs", {"b.txt": TEXT})
    runs = client.get(f"{KB}/Product_Docs/runs").json()
    assert [r["id"] for r in runs["runs"]] == [second["id"], first["id"]]
    assert (runs["total"], runs["total_pages"]) == (2, 1)
    detail = client.get(f"{KB}/Product_Docs/runs/{first['id']}").json()
    assert (detail["status"], detail["source_name"], detail["total_items"], detail["succeeded"],
            detail["skipped"]) == ("partial", "Batch one", 2, 1, 1)
    assert [(i["item_id"], i["status"]) for i in detail["items"]] == [("0:a.txt", "succeeded"),
                                                                      ("1:blank.txt", "skipped")]
    assert detail["source_config"]["file_names"] == ["a.txt", "blank.txt"]
    unknown = client.get(f"{KB}/Product_Docs/runs/{create(client, 'other')['id']}")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Ingestion run not found."})
    cancel = client.post(f"{KB}/Product_Docs/cancel")
    assert (cancel.status_code, cancel.json()) == (400, {"detail": "Cannot cancel job with status 'completed'"})
    never = client.post(f"{KB}/other/cancel")
    assert never.json() == {"detail": "No ingestion job found for the knowledge base other"}


def test_ingest_and_preview_check_the_chunking_fields(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    create(client)
    files = [("files", ("a.txt", TEXT, "text/plain"))]
    over = client.post(f"{KB}/Product_Docs/ingest", files=files, data={"chunk_size": "10", "chunk_overlap": "20"})
    assert (over.status_code, over.json()) == (422, {"detail": "Chunk overlap (20) can't be larger than chunk "
                                                               "size (10)."})
    reserved = client.post(f"{KB}/Product_Docs/ingest", files=files, data={"metadata": '{"job_id": "x"}'})
    assert reserved.json() == {"detail": "Metadata key 'job_id' is reserved for ingestion-internal use."}
    missing = client.post(f"{KB}/nope/ingest", files=files)
    assert (missing.status_code, missing.json()) == (404, {"detail": "Knowledge base 'nope' not found"})
    preview = client.post(f"{KB}/preview-chunks", files=files,
                          data={"chunk_size": "100", "chunk_overlap": "10", "max_chunks": "2"})
    expected = split_text(TEXT.decode(), chunk_size=100, chunk_overlap=10, separators=DEFAULT_SEPARATORS)
    body = preview.json()["files"][0]
    assert [c["content"] for c in body["preview_chunks"]] == expected[:2]
    assert body["preview_chunks"][0]["start"] == 0 and body["total_chunks"] >= 2
    assert client.get(f"{KB}/Product_Docs").json()["chunks"] == 0  # nothing stored by either


def test_delete_one_and_in_bulk(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    for name in ("one", "two", "three"):
        create(client, name)
    assert client.delete(f"{KB}/one").json() == {"message": "Knowledge base 'one' deleted successfully"}
    assert client.get(f"{KB}/one").status_code == 404
    bulk = client.request("DELETE", KB, json={"kb_names": ["two", "nope"]})
    assert bulk.json() == {"message": "Successfully deleted 1 knowledge base(s)", "deleted_count": 1,
                           "not_found": "nope"}
    none = client.request("DELETE", f"{KB}/", json={"kb_names": ["nope", "gone"]})
    assert (none.status_code, none.json()) == (404, {"detail": "Knowledge bases not found: nope, gone"})
    assert [kb["dir_name"] for kb in client.get(KB).json()] == ["three"]


def test_a_users_bases_are_their_own(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    create(client, "private")
    other = client.post("/api/v1/users/", json={"username": "bob", "password": "secret-pass-1"})
    assert other.status_code == 201, other.text
    client.patch(f"/api/v1/users/{other.json()['id']}", json={"is_active": True})
    token = client.post("/api/v1/login", data={"username": "bob", "password": "secret-pass-1"}).json()
    bob = {"Authorization": f"Bearer {token['access_token']}", "x-api-key": ""}
    client.cookies.clear()
    assert client.get(KB, headers=bob).json() == []
    assert client.get(f"{KB}/private", headers=bob).status_code == 404
    assert client.delete(f"{KB}/private", headers=bob).status_code == 404
    assert client.post(KB, headers=bob, json={"name": "private", "embedding_provider": "OpenAI",
                                               "embedding_model": "m"}).status_code == 201
    ingest(client, "private", {"a.txt": TEXT}, headers=bob)
    # a user's deletion takes their bases, chunks and runs; the others' stay
    assert client.delete(f"/api/v1/users/{other.json()['id']}").status_code == 202  # 1.13 answers 202
    store = client.app.state.mock.store.knowledge_bases  # type: ignore[attr-defined]
    assert store.list(UUID(other.json()["id"])) == []
    with store.db.session() as s:
        counts = [s.connection().exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar()
                  for table in ("knowledge_base", "knowledge_base_chunk", "knowledge_base_run")]
    assert counts == [1, 0, 0]
    assert client.get(KB).json()[0]["dir_name"] == "private"


def test_a_kept_data_dir_keeps_bases_and_chunks(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    data_dir = tmp_path / "kept"
    client = signed_in(make_client, ephemeral=False, data_dir=data_dir)
    create(client)
    ingest(client, "Product_Docs", {"a.txt": TEXT})
    before = client.get(f"{KB}/Product_Docs/chunks").json()
    client.__exit__(None, None, None)
    again = signed_in(make_client, ephemeral=False, data_dir=data_dir)
    assert again.get(f"{KB}/Product_Docs/chunks").json() == before
    assert again.get(KB).json()[0]["chunks"] == before["total"]


def test_connectors_and_test_connection_answer_for_the_local_store(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    connectors = client.get(f"{KB}/connectors").json()
    assert [c["source_type"] for c in connectors] == ["folder", "google_drive", "onedrive", "sharepoint"]
    assert connectors[1]["provider_key"] == "google" and connectors[0]["provider_key"] is None
    local = client.post(f"{KB}/test-connection", json={"backend_type": "sqlite"})
    assert local.json() == {"ok": True, "message": "SQLite knowledge base storage is available", "details": {}}
    remote = client.post(f"{KB}/test-connection", json={"backend_type": "opensearch"})
    assert remote.status_code == 200 and remote.json()["ok"] is False
    assert client.post(f"{KB}/test-connection", json={"backend_type": "faiss"}).status_code == 422


def test_storage_status_has_nothing_pending(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    kb = create(client)
    assert client.get(f"{STORAGE}/status").json() == {
        "stores": [], "revision": "", "running": False, "inventory": {"complete": True, "issues": 0},
        "is_admin": True}
    assert client.get(f"{STORAGE}/inventory").json() == {"complete": True, "issues": 0}
    assert client.get(f"{STORAGE}/pending-cleanup").json() == []
    assert client.get(f"{STORAGE}/migrations").json() == []
    assert client.post(f"{STORAGE}/inventory/retry").status_code == 202
    gone = client.post(f"{STORAGE}/pending-cleanup/{'0' * 8}-0000-4000-8000-{'0' * 12}/retry",
                       json={"expected_generation": 1})
    assert gone.json()["status"] == "already_absent"
    detach = client.post(f"{STORAGE}/attention/{kb['id']}/detach", json={"expected_generation": 1})
    assert detach.status_code == 409
    assert client.post(f"{STORAGE}/attention/{kb['id']}/detach", json={"expected_generation": 0}).status_code == 422


def test_a_reset_of_files_empties_the_bases(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client)
    create(client)
    assert client.post("/_mock/reset", json={"parts": ["files"]}).status_code == 200
    assert client.get(KB).json() == []


def test_1_8_bases_have_no_storage_fields_and_no_1_13_routes(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client, langflow_version="1.8.4")
    created = create(client, "docs", embedding_provider="")  # 1.8 checks no provider
    assert "backend_type" not in created and "storage_state" not in created
    assert client.get(f"{KB}/docs").json()["id"] == "docs"  # read off its directory's name
    assert client.get(f"{KB}/connectors").json() == {"detail": "Knowledge base 'connectors' not found"}
    assert client.get(f"{STORAGE}/status").status_code == 404
    assert client.post(f"{KB}/docs/ingest/folder", json={"path": "/"}).status_code == 404  # (1.13's route)
    files = [("files", ("a.txt", TEXT, "text/plain"))]
    preview = client.post(f"{KB}/preview-chunks", files=files, data={"chunk_size": "10", "chunk_overlap": "20"})
    assert (preview.status_code, preview.json()) == (400, {"detail": "Error previewing chunks."})
    failed = client.post(f"{KB}/docs/ingest", files=files, data={"chunk_size": "10", "chunk_overlap": "20"})
    assert failed.status_code == 200
    listed = client.get(KB).json()[0]
    assert (listed["status"], listed["last_job_id"], listed["chunks"]) == ("failed", failed.json()["id"], 0)


def test_separators_follow_the_form() -> None:
    assert separators_for("") == DEFAULT_SEPARATORS
    assert separators_for("\\n---") == ("\n---", *DEFAULT_SEPARATORS)
    assert separators_for("|", fallback=False) == ("|",)
    assert split_text("a|b|c", chunk_size=1, chunk_overlap=0, separators=("|",)) == ["a", "|b", "|c"]


def test_1_7_1_lists_reads_and_deletes_its_bases_in_its_shape(make_client: Callable[..., TestClient]) -> None:
    client = signed_in(make_client, langflow_version="1.7.1")
    user = client.get("/api/v1/users/whoami").json()
    store = client.app.state.mock.store.knowledge_bases  # type: ignore[attr-defined]
    for name in ("zeta-docs", "alpha_kb"):  # made by 1.7.1's Knowledge Ingestion component, which the mock lacks
        store.create(user_id=UUID(user["id"]), name=name, provider="OpenAI", model="text-embedding-3-small",
                     column_config=None, backend_type="chroma", backend_config={})
    listed = client.get(KB)
    assert listed.status_code == 200
    assert listed.json() == [
        {"id": "alpha_kb", "name": "Alpha Kb", "embedding_provider": "OpenAI",
         "embedding_model": "text-embedding-3-small", "size": 0, "words": 0, "characters": 0, "chunks": 0,
         "avg_chunk_size": 0.0},
        {"id": "zeta-docs", "name": "Zeta Docs", "embedding_provider": "OpenAI",
         "embedding_model": "text-embedding-3-small", "size": 0, "words": 0, "characters": 0, "chunks": 0,
         "avg_chunk_size": 0.0}]
    assert client.get(f"{KB}/alpha_kb").json() == listed.json()[0]
    assert client.post(KB, json={"name": "new", "embedding_provider": "OpenAI",
                                 "embedding_model": "m"}).status_code == 405  # 1.7.1 creates none over HTTP
    assert client.delete(f"{KB}/alpha_kb").json() == {"message": "Knowledge base 'alpha_kb' deleted successfully"}
    assert [kb["id"] for kb in client.get(KB).json()] == ["zeta-docs"]
    document = client.get("/openapi.json").json()
    assert document["paths"]["/api/v1/knowledge_bases/{kb_name}"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"] == {"$ref": "#/components/schemas/KnowledgeBaseInfo"}


def test_1_13_refuses_chunk_sizes_out_of_bounds_with_fastapis_items(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    """1.13 bounds the form fields (Form(ge=, le=)): every field out of bounds is an item of one 422, without the
    input (fact 45)."""
    files = [("files", ("a.txt", b"some text", "text/plain"))]
    refused = client.post("/api/v1/knowledge_bases/preview-chunks", headers=key_headers, files=files,
                          data={"chunk_size": "0", "chunk_overlap": "99999"})
    assert refused.status_code == 422
    assert [(item["loc"], item["type"], set(item)) for item in refused.json()["detail"]] == [
        (["body", "chunk_size"], "greater_than_equal", {"type", "loc", "msg", "ctx"}),
        (["body", "chunk_overlap"], "less_than_equal", {"type", "loc", "msg", "ctx"})]


def test_an_embedding_provider_the_model_policy_leaves_out_is_not_found(make_client: Callable[..., TestClient]) -> None:
    # 1.13 checks the provider against the approved list (purpose configure) as it creates a base; one left out is
    # as unknown as a provider that does not exist; without a list every provider passes the check
    client = signed_in(make_client)
    create(client, "Before Policy", embedding_provider="OpenAI")
    govern(client, {}, approved_provider_ids=["google-generative-ai"])
    for provider in ("OpenAI", "openai", "No Such Provider"):
        response = client.post(f"{KB}/", json={"name": "Docs", "embedding_provider": provider,
                                               "embedding_model": "text-embedding-3-small"})
        assert (response.status_code, response.json()) == (404, {"detail": "Model provider not found"})
    assert [kb["name"] for kb in client.get(f"{KB}/").json()] == ["Before Policy"]
    create(client, "Docs", embedding_provider="Google Generative AI", embedding_model="text-embedding-004")


# --- 1.13's folder ingestion (/ingest/folder): a folder on the server's disk, within LANGFLOW_KB_ALLOWED_FOLDER_ROOTS

def docs_folder(tmp_path: Path) -> Path:
    """A nested folder of files: two text files at the top, one in a subfolder, one of another kind, one without
    an extension, one empty and one too big for a 2000-byte limit."""
    root = tmp_path / "docs"
    (root / "guides").mkdir(parents=True)
    (root / "a.txt").write_bytes(TEXT)
    (root / "b.md").write_text("# Notes\n\nFolder ingestion reads markdown too.")
    (root / "guides" / "c.txt").write_text("A guide kept in a subfolder.")
    (root / "d.py").write_text("print('not a document')")
    (root / "README").write_text("No extension, still read.")
    (root / "empty.txt").write_text("  \n")
    (root / "big.txt").write_text("x" * 3000)
    return root


def ingest_folder(client: TestClient, name: str, body: dict[str, Any], status: int = 200) -> Any:
    response = client.post(f"{KB}/{name}/ingest/folder", json=body)
    assert response.status_code == status, response.text
    return response.json()


def test_folder_ingestion_is_refused_without_or_outside_the_allow_list(make_client: Callable[..., TestClient],
                                                                         tmp_path: Path) -> None:
    root = docs_folder(tmp_path)
    closed = signed_in(make_client)
    create(closed, "docs")
    refused = ingest_folder(closed, "docs", {"path": str(root)}, 400)
    assert refused == {"detail": "FolderSource refuses to walk without an allow-list. Configure "
                                 "LANGFLOW_KB_ALLOWED_FOLDER_ROOTS."}
    client = signed_in(make_client, kb_allowed_folder_roots=[str(root / "guides")])
    create(client, "docs")
    cases = [(str(root), f"Folder {root} is outside the configured allow-list ({root / 'guides'})."),
             (str(root / "guides" / ".."), f"Folder {root} is outside the configured allow-list ({root / 'guides'})."),
             (str(root / "missing"), f"Folder {root / 'missing'} does not exist."),
             (str(root / "guides" / "c.txt"), f"Path {root / 'guides' / 'c.txt'} is not a directory."),
             ("", "FolderSource requires a non-empty 'path' string in source_config.")]
    for path, detail in cases:
        assert ingest_folder(client, "docs", {"path": path}, 400) == {"detail": detail}, path
    # a symlink inside the allowed root that leads out of it is judged by where it leads
    (root / "guides" / "escape").symlink_to(root)
    assert "is outside the configured allow-list" in ingest_folder(client, "docs",
                                                                   {"path": str(root / "guides" / "escape")},
                                                                   400)["detail"]
    assert client.get(f"{KB}/docs/runs").json()["total"] == 0
    assert ingest_folder(client, "docs", {"path": str(root / "guides")})["href"].startswith("/task/")


def test_a_nested_folder_is_ingested_with_its_files_metadata(make_client: Callable[..., TestClient],
                                                             tmp_path: Path) -> None:
    root = docs_folder(tmp_path)
    client = signed_in(make_client, kb_allowed_folder_roots=[str(tmp_path)], kb_folder_max_file_size_bytes=2000)
    create(client, "docs")
    answer = ingest_folder(client, "docs", {
        "path": str(root), "chunk_size": 200, "chunk_overlap": 20, "metadata": {"team": "docs", "tier": "free"},
        "per_file_metadata": {"guides/c.txt": {"tier": "gold"}, "b.md": {"kind": "notes"}}})
    assert answer == {"id": answer["id"], "href": f"/task/{answer['id']}"}
    run = client.get(f"{KB}/docs/runs/{answer['id']}").json()
    # the walk: every level, the default extensions and files without one, none above the size limit
    assert [(i["item_id"], i["display_name"], i["status"], i["error_message"]) for i in run["items"]] == [
        ("README", "README", "succeeded", None), ("a.txt", "a.txt", "succeeded", None),
        ("b.md", "b.md", "succeeded", None), ("empty.txt", "empty.txt", "skipped", "no extractable text"),
        ("guides/c.txt", "c.txt", "succeeded", None)]
    assert {k: run[k] for k in ("source_type", "source_name", "status", "total_items", "succeeded", "failed",
                                "skipped", "user_metadata", "source_config")} == {
        "source_type": "folder", "source_name": None, "status": "partial", "total_items": 5, "succeeded": 4,
        "failed": 0, "skipped": 1, "user_metadata": {"team": "docs", "tier": "free"},
        "source_config": {"path": str(root), "recursive": True,
                          "per_file_metadata": {"guides/c.txt": {"tier": "gold"}, "b.md": {"kind": "notes"}},
                          "max_file_size_bytes": 2000}}
    assert run["total_bytes"] == sum(len((root / f).read_bytes()) for f in ("README", "a.txt", "b.md", "empty.txt",
                                                                                "guides/c.txt"))
    chunks = client.get(f"{KB}/docs/chunks", params={"file_name": "c.txt"}).json()["chunks"]
    assert len(chunks) == 1
    meta = chunks[0]["metadata"]
    assert {k: meta[k] for k in ("source", "file_name", "chunk_index", "total_chunks", "job_id", "source_type")} == {
        "source": "c.txt", "file_name": "c.txt", "chunk_index": 0, "total_chunks": 1, "job_id": answer["id"],
        "source_type": "folder"}
    assert json.loads(meta["source_metadata"]) == {
        "team": "docs", "tier": "gold", "relative_path": "guides/c.txt",
        "modified_at": (root / "guides" / "c.txt").stat().st_mtime}
    assert json.loads(client.get(f"{KB}/docs/chunks", params={"file_name": "b.md"}).json()["chunks"][0]["metadata"]
                      ["source_metadata"])["kind"] == "notes"
    # the user's metadata is filtered on and listed, the file's place under the root with it
    assert client.get(f"{KB}/docs/chunks", params={"meta_tier": "gold"}).json()["total"] == 1
    keys = client.get(f"{KB}/docs/metadata/keys").json()["keys"]
    assert keys["relative_path"] == ["README", "a.txt", "b.md", "guides/c.txt"] and keys["tier"] == ["free", "gold"]
    base = client.get(f"{KB}/docs").json()
    total = client.get(f"{KB}/docs/chunks").json()["total"]
    assert (base["status"], base["chunks"]) == ("ready", total)
    assert base["source_types"] == ["md", "txt"] and base["chunk_size"] == 200
    assert client.get(KB).json()[0]["last_job_id"] == answer["id"]


def test_a_folder_walk_follows_recursive_and_extensions(make_client: Callable[..., TestClient],
                                                        tmp_path: Path) -> None:
    root = docs_folder(tmp_path)
    client = signed_in(make_client, kb_allowed_folder_roots=f"{tmp_path}")
    create(client, "docs")
    answer = ingest_folder(client, "docs", {"path": str(root), "recursive": False, "extensions": [".PY", "md"],
                                            "source_name": "repo"})
    run = client.get(f"{KB}/docs/runs/{answer['id']}").json()
    assert [i["item_id"] for i in run["items"]] == ["README", "b.md", "d.py"]
    assert run["status"] == "succeeded" and run["source_config"]["extensions"] == [".PY", "md"]
    assert run["source_config"]["max_file_size_bytes"] == 25 * 1024 * 1024
    sources = {c["metadata"]["source"] for c in client.get(f"{KB}/docs/chunks").json()["chunks"]}
    assert sources == {"repo"}
    # an overlap past the chunk size is not refused up front: the run fails and nothing is kept
    failed = ingest_folder(client, "docs", {"path": str(root / "guides"), "chunk_size": 10, "chunk_overlap": 20})
    run = client.get(f"{KB}/docs/runs/{failed['id']}").json()
    assert (run["status"], run["chunks_created"]) == ("failed", 0)
    assert run["error_message"] == "Got a larger chunk overlap (20) than chunk size (10), should be smaller."
    assert client.get(f"{KB}/docs/chunks", params={"job_id": failed["id"]}).json()["total"] == 0
    assert client.get(f"{KB}/docs").json()["status"] == "failed"


def test_a_file_that_leads_out_of_the_folder_fails_alone(make_client: Callable[..., TestClient],
                                                         tmp_path: Path) -> None:
    root = docs_folder(tmp_path)
    (tmp_path / "secret.txt").write_text("outside the folder")
    (root / "guides" / "link.txt").symlink_to(tmp_path / "secret.txt")
    client = signed_in(make_client, kb_allowed_folder_roots=[str(root)])
    create(client, "docs")
    answer = ingest_folder(client, "docs", {"path": str(root / "guides")})
    run = client.get(f"{KB}/docs/runs/{answer['id']}").json()
    assert [(i["item_id"], i["status"], i["error_message"]) for i in run["items"]] == [
        ("c.txt", "succeeded", None),
        ("link.txt", "failed", f"fetch failed: Refusing to read {tmp_path / 'secret.txt'}: escaped folder root "
                               f"{root / 'guides'}.")]
    assert (run["status"], run["failed"]) == ("partial", 1)
    assert "outside the folder" not in json.dumps(client.get(f"{KB}/docs/chunks").json())


def test_folder_ingestion_checks_its_body_then_the_base(make_client: Callable[..., TestClient],
                                                        tmp_path: Path) -> None:
    client = signed_in(make_client, kb_allowed_folder_roots=[str(tmp_path)])
    path = str(docs_folder(tmp_path))
    bounds = ingest_folder(client, "missing", {"path": path, "chunk_size": 0}, 422)
    assert bounds["detail"][0] == {"type": "greater_than_equal", "loc": ["body", "chunk_size"],
                                   "msg": "Input should be greater than or equal to 1", "ctx": {"ge": 1}}
    assert ingest_folder(client, "missing", {}, 422)["detail"][0]["loc"] == ["body", "path"]
    cases = [({"metadata": {"job_id": "x"}}, "Metadata key 'job_id' is reserved for ingestion-internal use."),
             ({"per_file_metadata": {"": {"a": "b"}}}, "Per-file metadata keys must be non-empty filename strings."),
             ({"per_file_metadata": {"a.txt": {"Bad": 1}}},
              "Metadata key 'Bad' is invalid: must be 1-32 lowercase alphanumeric or underscore characters.")]
    for extra, detail in cases:  # (before the base is looked for)
        assert ingest_folder(client, "missing", {"path": path, **extra}, 422) == {"detail": detail}, extra
    assert ingest_folder(client, "missing", {"path": path}, 404) == {"detail": "Knowledge base 'missing' not found"}


def test_folder_ingestion_refuses_a_memory_bases_base_and_another_users(make_client: Callable[..., TestClient],
                                                                        tmp_path: Path) -> None:
    from tests.api.test_memories import chat_flow
    from tests.api.test_memories import create as create_memory_base
    from tests.conftest import other_user_key

    client = signed_in(make_client, kb_allowed_folder_roots=[str(tmp_path)])
    path = str(docs_folder(tmp_path))
    mb = create_memory_base(client, chat_flow(client))
    refused = {"detail": f"Access denied: knowledge base '{mb['kb_name']}' is managed by a Memory Base."}
    assert ingest_folder(client, mb["kb_name"], {"path": path}, 403) == refused
    assert ingest_folder(client, mb["kb_name"], {}, 403) == refused  # (before the body is read)
    upload = client.post(f"{KB}/{mb['kb_name']}/ingest", files=[("files", ("a.txt", TEXT, "text/plain"))],
                         data={"chunk_size": "0"})
    assert (upload.status_code, upload.json()) == (403, refused)  # the upload's guard too
    create(client, "private")
    bob = {"x-api-key": other_user_key(client, dict(client.headers))}
    response = client.post(f"{KB}/private/ingest/folder", json={"path": path}, headers=bob)
    assert (response.status_code, response.json()) == (404, {"detail": "Knowledge base 'private' not found"})
    assert client.get(f"{KB}/private/runs").json()["total"] == 0


def test_folder_settings_read_from_the_environment(monkeypatch: Any) -> None:
    from mock_langflow.settings import Settings

    monkeypatch.setenv("LANGFLOW_KB_ALLOWED_FOLDER_ROOTS", "/srv/docs,/data/shared")
    monkeypatch.setenv("LANGFLOW_KB_FOLDER_MAX_FILE_SIZE_BYTES", "4096")
    settings = Settings()
    assert (settings.kb_allowed_folder_roots, settings.kb_folder_max_file_size_bytes) == (
        ["/srv/docs", "/data/shared"], 4096)
    assert Settings(kb_allowed_folder_roots=[]).kb_allowed_folder_roots == []
