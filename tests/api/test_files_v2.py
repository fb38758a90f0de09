"""Files v2, a user's own files, as Langflow 1.13 answers them (fact 38, exchanges files_v2_*)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app, errors
from mock_langflow.store.files import portable_member_name
from tests.conftest import new_api_key, other_user_key, stored_blobs

Z_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def upload(client: TestClient, headers: dict[str, str], name: str, content: bytes, url: str = "/api/v2/files",
           **params: Any) -> Any:
    return client.post(url, files={"file": (name, content, "text/plain")}, headers=headers, params=params)


def whoami(client: TestClient, headers: dict[str, str]) -> str:
    return str(client.get("/api/v1/users/whoami", headers=headers).json()["id"])


def test_upload_shape_and_duplicate_names_become_numbered(client: TestClient, key_headers: dict[str, str]) -> None:
    user_id = whoami(client, key_headers)
    first = upload(client, key_headers, "notes.txt", b"v2 file content\n")
    assert first.status_code == 201
    assert first.json() == {"id": first.json()["id"], "name": "notes", "path": f"{user_id}/notes.txt", "size": 16,
                            "provider": None}
    second = upload(client, key_headers, "notes.txt", b"second\n", "/api/v2/files/")
    assert second.status_code == 201
    assert second.json() == {"id": second.json()["id"], "name": "notes (1)", "path": f"{user_id}/notes (1).txt",
                             "size": 7, "provider": None}
    third = upload(client, key_headers, "notes.txt", b"third\n")
    assert third.json()["name"] == "notes (2)"


def test_list_shows_the_callers_files_with_z_timestamps(client: TestClient, key_headers: dict[str, str]) -> None:
    user_id = whoami(client, key_headers)
    created = upload(client, key_headers, "data.json", b'{"a": 1}').json()
    for url in ("/api/v2/files", "/api/v2/files/"):
        response = client.get(url, headers=key_headers)
        assert response.status_code == 200
        [entry] = response.json()
        assert set(entry) == {"user_id", "id", "size", "created_at", "name", "path", "provider", "updated_at"}
        assert {k: entry[k] for k in ("user_id", "id", "size", "name", "path", "provider")} == {
            "user_id": user_id, "id": created["id"], "size": 8, "name": "data", "path": f"{user_id}/data.json",
            "provider": None}
        assert Z_TIME.fullmatch(entry["created_at"]) and Z_TIME.fullmatch(entry["updated_at"])


def test_download_returns_the_bytes_as_an_attachment_or_the_text(client: TestClient,
                                                                 key_headers: dict[str, str]) -> None:
    file_id = upload(client, key_headers, "notes.txt", b"v2 file content\n").json()["id"]
    response = client.get(f"/api/v2/files/{file_id}", headers=key_headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == "attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt"
    assert response.content == b"v2 file content\n"
    text = client.get(f"/api/v2/files/{file_id}", params={"return_content": "true"}, headers=key_headers)
    assert text.status_code == 200
    assert text.headers["content-type"] == "application/json"
    assert text.json() == "v2 file content\n"


def test_return_content_of_binary_bytes_is_refused(client: TestClient, key_headers: dict[str, str]) -> None:
    file_id = upload(client, key_headers, "blob.bin", b"\xff\xfe\x00binary").json()["id"]
    response = client.get(f"/api/v2/files/{file_id}", params={"return_content": "true"}, headers=key_headers)
    assert response.status_code == 400
    assert response.json() == {"detail": errors.INVALID_FILE_ENCODING}


def test_unknown_and_malformed_ids(client: TestClient, key_headers: dict[str, str]) -> None:
    nil = "00000000-0000-4000-8000-000000000000"
    for response in (client.get(f"/api/v2/files/{nil}", headers=key_headers),
                     client.put(f"/api/v2/files/{nil}", params={"name": "x"}, headers=key_headers),
                     client.delete(f"/api/v2/files/{nil}", headers=key_headers)):
        assert response.status_code == 404
        assert response.json() == {"detail": errors.FILE_NOT_FOUND}
    bad = client.get("/api/v2/files/not-a-uuid", headers=key_headers)
    assert bad.status_code == 422
    assert bad.json() == {"detail": [{"type": "uuid_parsing", "loc": ["path", "file_id"],
                                      "msg": "Input should be a valid UUID, invalid character: found `n` at 1"}]}


def test_rename_takes_only_the_query_and_keeps_bytes_and_path(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    created = upload(client, key_headers, "notes.txt", b"v2 file content\n").json()
    response = client.put(f"/api/v2/files/{created['id']}", params={"name": "renamed-notes"}, headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {**created, "name": "renamed-notes"}
    download = client.get(f"/api/v2/files/{created['id']}", headers=key_headers)
    assert download.content == b"v2 file content\n"
    assert download.headers["content-disposition"].startswith('attachment; filename="renamed-notes.txt"')
    body_only = client.put(f"/api/v2/files/{created['id']}", json={"name": "body-name"}, headers=key_headers)
    assert body_only.status_code == 422
    assert body_only.json() == {"detail": [{"type": "missing", "loc": ["query", "name"], "msg": "Field required"}]}


def test_upload_without_a_file_field_is_422(client: TestClient, key_headers: dict[str, str]) -> None:
    missing = [{"type": "missing", "loc": ["body", "file"], "msg": "Field required"}]
    for response in (client.post("/api/v2/files", headers=key_headers),
                     client.post("/api/v2/files", files={"upload": ("x.txt", b"x", "text/plain")},
                                 headers=key_headers)):
        assert response.status_code == 422
        assert response.json() == {"detail": missing}


def test_upload_without_credentials_is_403(client: TestClient) -> None:
    response = upload(client, {}, "x.txt", b"x")
    assert response.status_code == 403
    assert response.json() == {"detail": errors.NO_CREDENTIALS}


def test_delete_one_answers_with_detail_and_removes_the_bytes(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    upload(client, key_headers, "notes.txt", b"keep")
    file_id = upload(client, key_headers, "notes.txt", b"second\n").json()["id"]
    assert len(stored_blobs(client)) == 2
    response = client.delete(f"/api/v2/files/{file_id}", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"detail": "File notes (1) deleted successfully"}
    assert len(stored_blobs(client)) == 1
    again = client.delete(f"/api/v2/files/{file_id}", headers=key_headers)
    assert (again.status_code, again.json()) == (404, {"detail": errors.FILE_NOT_FOUND})
    assert [f["name"] for f in client.get("/api/v2/files", headers=key_headers).json()] == ["notes"]


def test_delete_all_counts_and_clears_the_disk(client: TestClient, key_headers: dict[str, str]) -> None:
    upload(client, key_headers, "a.txt", b"a")
    upload(client, key_headers, "b.txt", b"b")
    response = client.delete("/api/v2/files", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"message": "All 2 files deleted successfully"}
    assert stored_blobs(client) == set()
    assert client.get("/api/v2/files", headers=key_headers).json() == []
    again = client.delete("/api/v2/files/", headers=key_headers)
    assert (again.status_code, again.json()) == (200, {"message": "All 0 files deleted successfully"})


def test_batch_download_is_a_stored_zip_of_name_plus_extension(client: TestClient,
                                                               key_headers: dict[str, str]) -> None:
    notes = upload(client, key_headers, "notes.txt", b"v2 file content\n").json()["id"]
    data = upload(client, key_headers, "data.json", b'{"a": 1}').json()["id"]
    client.put(f"/api/v2/files/{notes}", params={"name": "renamed-notes"}, headers=key_headers)
    response = client.post("/api/v2/files/batch/", json=[notes, data], headers=key_headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-zip-compressed"
    assert re.fullmatch(r"attachment; filename=\"\d{8}_\d{6}_langflow_files\.zip\"; "
                        r"filename\*=UTF-8''\d{8}_\d{6}_langflow_files\.zip", response.headers["content-disposition"])
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted((i.filename, i.compress_type) for i in archive.infolist()) == [
        ("data.json", zipfile.ZIP_STORED), ("renamed-notes.txt", zipfile.ZIP_STORED)]
    assert archive.read("renamed-notes.txt") == b"v2 file content\n"


def test_1_13_batch_zip_entries_are_portable_and_a_repeated_name_takes_the_files_id(
        client: TestClient, key_headers: dict[str, str]) -> None:
    # 1.13's _safe_archive_member_name: what Windows refuses becomes "_", and a name the archive already holds, in
    # any case, takes "_<file id>_<n>" before its extension (two files may share a display name after a rename).
    notes = upload(client, key_headers, "notes.txt", b"first").json()["id"]
    other = upload(client, key_headers, "other.txt", b"second").json()["id"]
    asked = upload(client, key_headers, "what?.txt", b"third").json()["id"]
    client.put(f"/api/v2/files/{other}", params={"name": "NOTES"}, headers=key_headers)
    response = client.post("/api/v2/files/batch/", json=[notes, other, asked], headers=key_headers)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["notes.txt", f"NOTES_{other}_1.txt", "what_.txt"]
    assert archive.read(f"NOTES_{other}_1.txt") == b"second"


@pytest.mark.parametrize(("name", "extension", "suffix", "member"), [
    ("a<b>:c", ".txt", "", "a_b__c.txt"),
    (" .notes. ", ".txt", "", "notes.txt"),
    ("..", ".md", "", "_.md"),
    ("...", "", "", "_"),
    (" . ", "", "", "file"),
    ("con", ".txt", "", "_con.txt"),
    ("COM1 backup", "", "", "_COM1 backup"),
    ("zero\u200bwidth", ".txt", "", "zero_width.txt"),
    ("é" * 200, ".txt", "_x_1", "é" * 123 + "_x_1.txt"),
], ids=["reserved-chars", "dots-and-spaces", "dot-dot", "three-dots", "nothing-left", "device", "device-space",
        "format-char", "cut-to-255-bytes"])
def test_portable_member_names(name: str, extension: str, suffix: str, member: str) -> None:
    assert portable_member_name(name, extension, suffix) == member
    assert len(member.encode()) <= 255


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_batch_zip_entries_keep_their_names_a_repeated_one_written_twice(make_client: Any,
                                                                                      version: str) -> None:
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    notes = upload(client, headers, "notes.txt", b"first").json()["id"]
    other = upload(client, headers, "other.txt", b"second").json()["id"]
    asked = upload(client, headers, "what?.txt", b"third").json()["id"]
    client.put(f"/api/v2/files/{other}", params={"name": "notes"}, headers=headers)
    response = client.post("/api/v2/files/batch/", json=[notes, other, asked], headers=headers)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["notes.txt", "notes.txt", "what?.txt"]
    assert [archive.read(info) for info in archive.infolist()] == [b"first", b"second", b"third"]


def test_batch_delete_removes_the_listed_files(client: TestClient, key_headers: dict[str, str]) -> None:
    a = upload(client, key_headers, "a.txt", b"a").json()["id"]
    upload(client, key_headers, "b.txt", b"b")
    response = client.request("DELETE", "/api/v2/files/batch/", json=[a], headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"message": "1 files deleted successfully"}
    assert [f["name"] for f in client.get("/api/v2/files", headers=key_headers).json()] == ["b"]
    assert len(stored_blobs(client)) == 1
    none = client.request("DELETE", "/api/v2/files/batch/", json=[a], headers=key_headers)
    assert (none.status_code, none.json()) == (404, {"detail": errors.NO_FILES_FOUND})
    empty = client.post("/api/v2/files/batch/", json=[a], headers=key_headers)
    assert (empty.status_code, empty.json()) == (404, {"detail": errors.NO_FILES_FOUND})


def test_1_7_1_batch_of_none_of_the_callers_files_is_an_error_not_the_frontend_page(make_client: Any) -> None:
    # Langflow 1.7.1 fails these with a 500 (its own 404 caught and re-raised); the mock's 404 stands in for it,
    # and must not become the page 1.7.1 answers a route's 404 with.
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    unknown = "0b6c2f7e-5d3a-4f4e-9a1b-7c8d9e0f1a2b"
    for method in ("DELETE", "POST"):
        response = client.request(method, "/api/v2/files/batch/", json=[unknown], headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"detail": "No files found"}
    assert client.get(f"/api/v2/files/{unknown}", headers=headers).headers["content-type"].startswith("text/html")


def test_append_adds_to_the_file_of_that_name(client: TestClient, key_headers: dict[str, str]) -> None:
    first = upload(client, key_headers, "log.txt", b"one\n").json()
    appended = upload(client, key_headers, "log.txt", b"two\n", append="true")
    assert appended.status_code == 201
    assert appended.json() == {**first, "size": 8}
    assert client.get(f"/api/v2/files/{first['id']}", headers=key_headers).content == b"one\ntwo\n"
    assert len(stored_blobs(client)) == 1


def test_one_user_never_sees_or_deletes_another_users_files(client: TestClient,
                                                            key_headers: dict[str, str]) -> None:
    mine = upload(client, key_headers, "secret.txt", b"mine").json()["id"]
    bob = {"x-api-key": other_user_key(client, key_headers)}
    assert client.get("/api/v2/files", headers=bob).json() == []
    for response in (client.get(f"/api/v2/files/{mine}", headers=bob),
                     client.put(f"/api/v2/files/{mine}", params={"name": "stolen"}, headers=bob),
                     client.delete(f"/api/v2/files/{mine}", headers=bob)):
        # fetch_file_object looks the id up among the caller's files only: someone else's is "not found"
        assert response.status_code == 404
        assert response.json() == {"detail": errors.FILE_NOT_FOUND}
    assert client.post("/api/v2/files/batch/", json=[mine], headers=bob).status_code == 404
    assert client.request("DELETE", "/api/v2/files/batch/", json=[mine], headers=bob).status_code == 404
    assert client.delete("/api/v2/files", headers=bob).json() == {"message": "All 0 files deleted successfully"}
    bobs = upload(client, bob, "secret.txt", b"bob's").json()
    assert bobs["name"] == "secret"  # names are per user
    [still] = client.get("/api/v2/files", headers=key_headers).json()
    assert (still["id"], still["name"]) == (mine, "secret")
    assert client.get(f"/api/v2/files/{mine}", headers=key_headers).content == b"mine"


def test_deleting_a_user_removes_their_files_bytes(client: TestClient, key_headers: dict[str, str]) -> None:
    bob = {"x-api-key": other_user_key(client, key_headers)}
    bob_id = whoami(client, bob)
    upload(client, bob, "bob.txt", b"bob")
    upload(client, key_headers, "mine.txt", b"mine")
    assert len(stored_blobs(client)) == 2
    response = client.delete(f"/api/v1/users/{bob_id}", headers=key_headers)
    assert response.status_code == 202
    assert len(stored_blobs(client)) == 1
    assert [f["name"] for f in client.get("/api/v2/files", headers=key_headers).json()] == ["mine"]


def test_an_ephemeral_apps_files_folder_goes_when_it_shuts_down(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(ephemeral=True, data_dir=tmp_path, api_key="sk-" + "E" * 43))) as client:
        upload(client, {"x-api-key": "sk-" + "E" * 43}, "a.txt", b"a")
        root = client.app.state.mock.store.files.blobs.root  # type: ignore[attr-defined]
        assert root.is_dir() and not root.is_relative_to(tmp_path)
    assert not root.exists()
    assert list(tmp_path.iterdir()) == []


def test_batches_take_more_ids_than_one_sqlite_statement_holds(client: TestClient,
                                                               key_headers: dict[str, str]) -> None:
    kept = upload(client, key_headers, "kept.txt", b"kept").json()["id"]
    ids = [str(UUID(int=n, version=4)) for n in range(300_000)] + [kept]
    download = client.post("/api/v2/files/batch/", json=ids, headers=key_headers)
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(download.content)).namelist() == ["kept.txt"]
    deleted = client.request("DELETE", "/api/v2/files/batch/", json=ids, headers=key_headers)
    assert (deleted.status_code, deleted.json()) == (200, {"message": "1 files deleted successfully"})


def test_1_8_answers_another_users_file_as_an_unknown_one(make_client: Any) -> None:
    """0.8.4's fetch_file_object: 404 "File not found" for someone else's file; its rename wraps that 404."""
    old = make_client(langflow_version="1.8")
    mine = {"x-api-key": new_api_key(old)}
    bob = {"x-api-key": other_user_key(old, mine)}
    file_id = upload(old, mine, "secret.txt", b"mine").json()["id"]
    for response in (old.get(f"/api/v2/files/{file_id}", headers=bob),
                     old.delete(f"/api/v2/files/{file_id}", headers=bob)):
        assert (response.status_code, response.json()) == (404, {"detail": errors.FILE_NOT_FOUND})
    renamed = old.put(f"/api/v2/files/{file_id}", params={"name": "stolen"}, headers=bob)
    assert (renamed.status_code, renamed.json()) == (500, {"detail": "Error editing file: 404: File not found"})
    assert [f["name"] for f in old.get("/api/v2/files", headers=mine).json()] == ["secret"]


def names(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [f["name"] for f in client.get("/api/v2/files", headers=headers).json()]


@pytest.mark.parametrize("version", ["1.13.0", "1.8"])
def test_a_name_that_begins_anothers_is_numbered_after_the_highest_count(make_client: Any, version: str) -> None:
    """Langflow numbers a v2 upload when any of the caller's names starts with its stem (SQL LIKE '<stem>%': ASCII
    case ignored, '_' any one character), after the highest "(n)" ending one of them."""
    client = make_client(langflow_version=version)
    key = {"x-api-key": new_api_key(client)}
    user_id = whoami(client, key)
    upload(client, key, "report_final.txt", b"r")
    report = upload(client, key, "report.txt", b"r2")
    assert report.status_code == 201
    assert report.json() == {"id": report.json()["id"], "name": "report (1)", "path": f"{user_id}/report (1).txt",
                             "size": 2, "provider": None}
    first = upload(client, key, "notes.txt", b"1").json()
    upload(client, key, "notes.txt", b"2")
    client.delete(f"/api/v2/files/{first['id']}", headers=key)
    assert upload(client, key, "notes.txt", b"3").json()["name"] == "notes (2)"
    upload(client, key, "Draft.md", b"d")
    assert upload(client, key, "draft.md", b"d").json()["name"] == "draft (1)"
    upload(client, key, "aXb.csv", b"x")
    assert upload(client, key, "a_b.csv", b"x").json()["name"] == "a_b (1)"
    upload(client, key, "log (7).txt", b"7")
    assert upload(client, key, "log.json", b"l").json()["name"] == "log (8)"
    assert names(client, key) == ["report_final", "report (1)", "notes (1)", "notes (2)", "Draft", "draft (1)",
                                  "aXb", "a_b (1)", "log (7)", "log (8)"]


def test_a_renamed_files_path_is_never_written_over(client: TestClient, key_headers: dict[str, str]) -> None:
    """A renamed file keeps its path, so Langflow's numbering may name a new upload after it (and its storage
    then writes over the renamed file's bytes); the mock numbers on until the path is free."""
    user_id = whoami(client, key_headers)
    kept = upload(client, key_headers, "notes.txt", b"kept").json()["id"]
    client.put(f"/api/v2/files/{kept}", params={"name": "other"}, headers=key_headers)
    again = upload(client, key_headers, "notes.txt", b"new").json()
    assert (again["name"], again["path"]) == ("notes (1)", f"{user_id}/notes (1).txt")
    assert client.get(f"/api/v2/files/{kept}", headers=key_headers).content == b"kept"


def test_append_to_a_name_nobody_has_stays_unnumbered(client: TestClient, key_headers: dict[str, str]) -> None:
    upload(client, key_headers, "log_old.txt", b"old")
    appended = upload(client, key_headers, "log.txt", b"one\n", append="true")
    assert (appended.status_code, appended.json()["name"]) == (201, "log")
    assert upload(client, key_headers, "log.txt", b"two\n", append="true").json()["size"] == 8


def test_an_ephemeral_upload_keeps_the_bytes_but_makes_no_file(client: TestClient,
                                                                key_headers: dict[str, str]) -> None:
    """POST /api/v2/files?ephemeral=true (1.13, 1.8): Langflow saves the bytes and answers as for any upload, but
    makes no database row: the list leaves it out, its id is a 404, and its name counts for no numbering."""
    user_id = whoami(client, key_headers)
    upload(client, key_headers, "chat.png", b"listed")
    response = upload(client, key_headers, "chat.png", b"ephemeral", ephemeral="true")
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "name": "chat (1)", "path": f"{user_id}/chat (1).png", "size": 9,
                    "provider": None}
    assert names(client, key_headers) == ["chat"]
    for answer in (client.get(f"/api/v2/files/{body['id']}", headers=key_headers),
                   client.put(f"/api/v2/files/{body['id']}", params={"name": "x"}, headers=key_headers),
                   client.delete(f"/api/v2/files/{body['id']}", headers=key_headers)):
        assert (answer.status_code, answer.json()) == (404, {"detail": errors.FILE_NOT_FOUND})
    files = client.app.state.mock.store.files  # type: ignore[attr-defined]
    assert files.read_for_run(body["path"], user_id=UUID(user_id)) == ("chat (1).png", b"ephemeral")
    # The next upload takes the same name and path, and its bytes take the ephemeral ones' place.
    listed = upload(client, key_headers, "chat.png", b"second").json()
    assert (listed["name"], listed["path"]) == ("chat (1)", body["path"])
    assert files.read_for_run(body["path"], user_id=UUID(user_id)) == ("chat (1).png", b"second")
    assert names(client, key_headers) == ["chat", "chat (1)"]
    assert len(stored_blobs(client)) == 2


def test_1_7_1_has_no_ephemeral_uploads(make_client: Any) -> None:
    old = make_client(langflow_version="1.7.1")
    key = {"x-api-key": new_api_key(old)}
    response = upload(old, key, "chat.png", b"kept", ephemeral="true")
    assert response.status_code == 201
    assert names(old, key) == ["chat"]
    assert old.get(f"/api/v2/files/{response.json()['id']}", headers=key).content == b"kept"


@pytest.mark.parametrize("version", ["1.13.0", "1.8", "1.7.1"])
def test_downloads_are_streamed_without_a_content_length(make_client: Any, version: str) -> None:
    """Langflow streams a v2 file and a batch zip (StreamingResponse, no Content-Length): a client that does not
    take gzip gets them chunked (files_v2_download)."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client), "Accept-Encoding": "identity"}
    file_id = upload(client, headers, "notes.txt", b"v2 file content\n").json()["id"]
    for response in (client.get(f"/api/v2/files/{file_id}", headers=headers),
                     client.post("/api/v2/files/batch/", json=[file_id], headers=headers)):
        assert response.status_code == 200
        assert "content-length" not in response.headers  # the server then sends it chunked
    assert client.get(f"/api/v2/files/{file_id}", headers=headers).content == b"v2 file content\n"


def test_1_13_sends_file_downloads_as_they_are_to_a_gzip_client(client: TestClient, key_headers: dict[str, str],
                                                                 chat_flow: dict[str, Any]) -> None:
    """Langflow 1.13's gzip leaves application/octet-stream alone (files_v2_download: no content-encoding, no
    Vary: Accept-Encoding), while a batch zip (application/x-zip-compressed) is gzipped."""
    headers = {**key_headers, "Accept-Encoding": "gzip"}
    content = b"line of text\n" * 200
    file_id = upload(client, headers, "notes.txt", content).json()["id"]
    flow_id = client.post("/api/v1/flows/", json=chat_flow, headers=headers).json()["id"]
    stored = client.post(f"/api/v1/files/upload/{flow_id}", files={"file": ("notes.txt", content, "text/plain")},
                         headers=headers).json()["file_path"]
    for response in (client.get(f"/api/v2/files/{file_id}", headers=headers),
                     client.get(f"/api/v1/files/download/{stored}", headers=headers)):
        assert response.status_code == 200 and response.content == content
        assert response.headers["content-type"] == "application/octet-stream"
        assert "content-encoding" not in response.headers
        assert "Accept-Encoding" not in response.headers.get("vary", "")
    archive = client.post("/api/v2/files/batch/", json=[file_id], headers=headers)
    assert archive.headers["content-encoding"] == "gzip"
