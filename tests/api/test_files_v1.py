"""Files v1, the files of one flow, as Langflow 1.13 answers them (fact 37, exchanges files_v1_*)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app, errors
from tests.conftest import DATA, create_flow, new_api_key, other_user_key, stored_blobs

PNG = (DATA / "pix.png").read_bytes()
FROZEN = datetime(2026, 11, 23, 12, 44, 46, tzinfo=UTC)


@pytest.fixture
def flow_id(client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> str:
    client.app.state.mock.clock.frozen = FROZEN  # type: ignore[attr-defined]
    return str(create_flow(client, key_headers, chat_flow)["id"])


def upload(client: TestClient, flow_id: str, headers: dict[str, str], name: str, content: bytes,
           media: str = "text/plain") -> Any:
    return client.post(f"/api/v1/files/upload/{flow_id}", files={"file": (name, content, media)}, headers=headers)


def test_upload_answers_201_with_camel_case_flow_id_and_timestamped_path(
        client: TestClient, flow_id: str, key_headers: dict[str, str]) -> None:
    response = upload(client, flow_id, key_headers, "hello.txt", b"hello world\n")
    assert response.status_code == 201
    assert response.json() == {"flowId": flow_id, "file_path": f"{flow_id}/2026-11-23_12-44-46_hello.txt"}


@pytest.mark.parametrize(("name", "content", "media"), [
    ("hello.txt", b"hello world\n", "text/plain"),
    ("pix.png", PNG, "image/png"),
    ("big.bin", os.urandom(5 * 1024 * 1024), "application/octet-stream"),
], ids=["text", "binary", "5MB"])
def test_download_returns_the_uploaded_bytes(client: TestClient, flow_id: str, key_headers: dict[str, str],
                                              name: str, content: bytes, media: str) -> None:
    stored = upload(client, flow_id, key_headers, name, content, media).json()["file_path"].split("/", 1)[1]
    response = client.get(f"/api/v1/files/download/{flow_id}/{stored}", headers=key_headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == f"attachment; filename=\"{stored}\"; filename*=UTF-8''{stored}"
    assert response.content == content


def test_list_names_the_flows_files(client: TestClient, flow_id: str, key_headers: dict[str, str]) -> None:
    upload(client, flow_id, key_headers, "hello.txt", b"hello world\n")
    upload(client, flow_id, key_headers, "pix.png", PNG, "image/png")
    response = client.get(f"/api/v1/files/list/{flow_id}", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"files": ["2026-11-23_12-44-46_hello.txt", "2026-11-23_12-44-46_pix.png"]}


def test_unknown_flow_is_404_flow_not_found(client: TestClient, key_headers: dict[str, str]) -> None:
    nil = "00000000-0000-4000-8000-000000000000"
    for response in (upload(client, nil, key_headers, "x.txt", b"x"),
                     client.get(f"/api/v1/files/list/{nil}", headers=key_headers)):
        assert response.status_code == 404
        assert response.json() == {"detail": errors.FLOW_NOT_FOUND}


def test_another_users_flow_is_404_flow_not_found(client: TestClient, flow_id: str,
                                                   key_headers: dict[str, str]) -> None:
    """api/v1/files.py get_flow: someone else's flow is answered as one that does not exist, in every release."""
    bob = {"x-api-key": other_user_key(client, key_headers)}
    upload(client, flow_id, key_headers, "hello.txt", b"mine")
    upload(client, flow_id, key_headers, "pix.png", PNG, "image/png")
    for response in (upload(client, flow_id, bob, "x.txt", b"x"),
                     client.get(f"/api/v1/files/list/{flow_id}", headers=bob),
                     client.get(f"/api/v1/files/download/{flow_id}/2026-11-23_12-44-46_hello.txt", headers=bob),
                     client.get(f"/api/v1/files/images/{flow_id}/2026-11-23_12-44-46_pix.png", headers=bob),
                     client.delete(f"/api/v1/files/delete/{flow_id}/2026-11-23_12-44-46_hello.txt", headers=bob)):
        assert response.status_code == 404
        assert response.json() == {"detail": errors.FLOW_NOT_FOUND}
    assert client.get(f"/api/v1/files/list/{flow_id}", headers=key_headers).json()["files"] == [
        "2026-11-23_12-44-46_hello.txt", "2026-11-23_12-44-46_pix.png"]


def test_1_8_serves_any_flows_images_and_refuses_the_rest_with_404(make_client: Any,
                                                                    chat_flow: dict[str, Any]) -> None:
    """Langflow 1.8's image route looks no flow up: another user's image is served, an unknown flow's is the
    storage's 500; its other file routes answer another user's flow with 404 "Flow not found"."""
    old = make_client(langflow_version="1.8")
    mine = {"x-api-key": new_api_key(old)}
    bob = {"x-api-key": other_user_key(old, mine)}
    fid = create_flow(old, mine, chat_flow)["id"]
    stored = upload(old, fid, mine, "pix.png", PNG, "image/png").json()["file_path"].split("/", 1)[1]
    for response in (upload(old, fid, bob, "x.txt", b"x"), old.get(f"/api/v1/files/list/{fid}", headers=bob),
                     old.get(f"/api/v1/files/download/{fid}/{stored}", headers=bob),
                     old.delete(f"/api/v1/files/delete/{fid}/{stored}", headers=bob)):
        assert (response.status_code, response.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})
    image = old.get(f"/api/v1/files/images/{fid}/{stored}", headers=bob)
    assert (image.status_code, image.headers["content-type"], image.content) == (200, "image/png", PNG)
    nil = "00000000-0000-4000-8000-000000000000"
    unknown = old.get(f"/api/v1/files/images/{nil}/{stored}", headers=bob)
    assert (unknown.status_code, unknown.json()) == (500, {"detail": f"File {stored} not found in flow {nil}"})


def test_upload_without_credentials_is_403(client: TestClient, flow_id: str) -> None:
    response = client.post(f"/api/v1/files/upload/{flow_id}", files={"file": ("x.txt", b"x", "text/plain")})
    assert response.status_code == 403
    assert response.json() == {"detail": errors.NO_CREDENTIALS}


def test_upload_without_a_multipart_body_is_the_recorded_string_422(
        client: TestClient, flow_id: str, key_headers: dict[str, str]) -> None:
    response = client.post(f"/api/v1/files/upload/{flow_id}", headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": errors.MULTIPART_REQUIRED}


def test_the_upload_paths_multipart_checks_come_before_credentials_flow_and_cors(client: TestClient) -> None:
    """Langflow checks any request to /api/v1/files/upload... in a middleware outside its CORS layer: the content
    type (as written), the boundary's form, then the body's first and closing delimiters, each a 422 before the
    credentials, the flow or the method are looked at, with no CORS headers."""
    url = f"/api/v1/files/upload/{uuid4()}"
    origin = {"Origin": "http://localhost:3000"}
    cases = [({"content-type": "application/json"}, b"{}", errors.MULTIPART_REQUIRED),
             ({"content-type": "Multipart/Form-Data; boundary=abc"}, b"", errors.MULTIPART_REQUIRED),
             ({"content-type": "multipart/form-data; boundary=a b"}, b"x", "Invalid boundary format"),
             ({"content-type": "multipart/form-data; boundary=abc"}, b"x", "Invalid multipart formatting"),
             ({"content-type": "multipart/form-data; boundary=abc"}, b"--abc\r\n\r\nx\r\n--abd--",
              "Invalid multipart formatting")]
    for headers, body, text in cases:
        response = client.post(url, headers={**headers, **origin}, content=body)
        assert (response.status_code, response.json()) == (422, {"detail": text}), headers
        assert "access-control-allow-origin" not in response.headers and "vary" not in response.headers
    framed = b'--abc\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n--abc--'
    response = client.post(url, headers={"content-type": "multipart/form-data; boundary=abc"}, content=framed)
    assert (response.status_code, response.json()) == (403, {"detail": errors.NO_CREDENTIALS})
    assert client.get("/api/v1/files/upload/").json() == {"detail": errors.MULTIPART_REQUIRED}


def test_an_upload_over_a_mebibyte_is_stored_byte_for_byte(client: TestClient, flow_id: str,
                                                            key_headers: dict[str, str]) -> None:
    """The multipart check holds a big body on disk, not in memory, and hands it on whole."""
    data = bytes(range(256)) * 9000  # ~2.2 MiB
    response = client.post(f"/api/v1/files/upload/{flow_id}", files={"file": ("big.bin", data, "application/x-bin")},
                           headers=key_headers)
    assert response.status_code == 201, response.text
    name = response.json()["file_path"].split("/", 1)[1]
    assert client.get(f"/api/v1/files/download/{flow_id}/{name}", headers=key_headers).content == data


def test_upload_with_another_field_name_is_422_missing_file(
        client: TestClient, flow_id: str, key_headers: dict[str, str]) -> None:
    response = client.post(f"/api/v1/files/upload/{flow_id}", files={"upload": ("x.txt", b"x", "text/plain")},
                           headers=key_headers)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "missing", "loc": ["body", "file"], "msg": "Field required"}]}


def test_download_of_a_missing_file_is_the_recorded_500(
        client: TestClient, flow_id: str, key_headers: dict[str, str]) -> None:
    response = client.get(f"/api/v1/files/download/{flow_id}/nope.txt", headers=key_headers)
    assert response.status_code == 500
    assert response.json() == {"detail": f"File nope.txt not found in flow {flow_id}"}


def test_image_route_serves_images_with_their_content_type(
        client: TestClient, flow_id: str, key_headers: dict[str, str]) -> None:
    upload(client, flow_id, key_headers, "pix.png", PNG, "image/png")
    response = client.get(f"/api/v1/files/images/{flow_id}/2026-11-23_12-44-46_pix.png", headers=key_headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"] == "attachment"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == PNG


def test_image_route_needs_credentials_and_an_image(client: TestClient, flow_id: str,
                                                    key_headers: dict[str, str]) -> None:
    upload(client, flow_id, key_headers, "hello.txt", b"text")
    noauth = client.get(f"/api/v1/files/images/{flow_id}/2026-11-23_12-44-46_hello.txt")
    assert (noauth.status_code, noauth.json()) == (403, {"detail": errors.NO_CREDENTIALS})
    text = client.get(f"/api/v1/files/images/{flow_id}/2026-11-23_12-44-46_hello.txt", headers=key_headers)
    assert text.status_code == 400
    assert text.json() == {"detail": "Content type text/plain is not an image"}
    missing = client.get(f"/api/v1/files/images/{flow_id}/gone.png", headers=key_headers)
    assert missing.status_code == 500
    assert missing.json() == {"detail": f"File gone.png not found in flow {flow_id}"}


def test_delete_removes_the_bytes_and_is_idempotent(client: TestClient, flow_id: str,
                                                    key_headers: dict[str, str]) -> None:
    upload(client, flow_id, key_headers, "hello.txt", b"hello world\n")
    assert len(stored_blobs(client)) == 1
    name = "2026-11-23_12-44-46_hello.txt"
    for _ in range(2):
        response = client.delete(f"/api/v1/files/delete/{flow_id}/{name}", headers=key_headers)
        assert response.status_code == 200
        assert response.json() == {"message": f"File {name} deleted successfully"}
    assert stored_blobs(client) == set()
    assert client.get(f"/api/v1/files/list/{flow_id}", headers=key_headers).json() == {"files": []}


def test_same_name_in_the_same_second_replaces_the_file(client: TestClient, flow_id: str,
                                                        key_headers: dict[str, str]) -> None:
    upload(client, flow_id, key_headers, "hello.txt", b"first")
    upload(client, flow_id, key_headers, "hello.txt", b"second")
    name = "2026-11-23_12-44-46_hello.txt"
    assert client.get(f"/api/v1/files/list/{flow_id}", headers=key_headers).json() == {"files": [name]}
    assert client.get(f"/api/v1/files/download/{flow_id}/{name}", headers=key_headers).content == b"second"
    assert len(stored_blobs(client)) == 1


def test_a_deleted_flows_files_stay_for_a_flow_made_again_with_its_id(client: TestClient, flow_id: str,
                                                                        key_headers: dict[str, str],
                                                                        chat_flow: dict[str, Any]) -> None:
    """Langflow's cascade_delete_flow leaves the flow's storage folder alone (every release): once the flow is
    gone its routes are 404, but a flow made again with its id, by anyone, lists and serves the old files."""
    name = upload(client, flow_id, key_headers, "hello.txt", b"hello").json()["file_path"].split("/", 1)[1]
    assert client.delete(f"/api/v1/flows/{flow_id}", headers=key_headers).status_code == 200
    gone = client.get(f"/api/v1/files/list/{flow_id}", headers=key_headers)
    assert (gone.status_code, gone.json()) == (404, {"detail": errors.FLOW_NOT_FOUND})
    bob = {"x-api-key": other_user_key(client, key_headers)}
    assert create_flow(client, bob, {**chat_flow, "id": flow_id})["id"] == flow_id
    assert client.get(f"/api/v1/files/list/{flow_id}", headers=bob).json() == {"files": [name]}
    assert client.get(f"/api/v1/files/download/{flow_id}/{name}", headers=bob).content == b"hello"
    assert len(stored_blobs(client)) == 1


def test_1_8_still_serves_a_deleted_flows_images(make_client: Any, chat_flow: dict[str, Any]) -> None:
    """1.8's image route looks no flow up, and deleting the flow leaves its files: still served."""
    old = make_client(langflow_version="1.8")
    mine = {"x-api-key": new_api_key(old)}
    fid = create_flow(old, mine, chat_flow)["id"]
    stored = upload(old, fid, mine, "pix.png", PNG, "image/png").json()["file_path"].split("/", 1)[1]
    assert old.delete(f"/api/v1/flows/{fid}", headers=mine).status_code == 200
    image = old.get(f"/api/v1/files/images/{fid}/{stored}", headers=mine)
    assert (image.status_code, image.content) == (200, PNG)


def test_deleting_flows_in_bulk_or_with_their_project_leaves_their_files(
        client: TestClient, key_headers: dict[str, str], chat_flow: dict[str, Any]) -> None:
    project = client.post("/api/v1/projects/", json={"name": "P", "description": ""}, headers=key_headers).json()
    in_project = create_flow(client, key_headers, {**chat_flow, "name": "A", "folder_id": project["id"]})["id"]
    loose = create_flow(client, key_headers, {**chat_flow, "name": "B"})["id"]
    names = {fid: upload(client, fid, key_headers, f"{fid[:4]}.txt", b"data").json()["file_path"].split("/", 1)[1]
             for fid in (in_project, loose)}
    assert client.request("DELETE", "/api/v1/flows/", json=[loose], headers=key_headers).json() == {"deleted": 1}
    assert client.delete(f"/api/v1/projects/{project['id']}", headers=key_headers).status_code == 204
    assert len(stored_blobs(client)) == 2
    for fid in (in_project, loose):
        create_flow(client, key_headers, {**chat_flow, "name": f"Again {fid}", "id": fid})
        assert client.get(f"/api/v1/files/list/{fid}", headers=key_headers).json() == {"files": [names[fid]]}


def test_profile_pictures_list_people_then_space_and_download(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/files/profile_pictures/list", headers=key_headers)
    assert response.status_code == 200
    files = response.json()["files"]
    assert len(files) >= 5
    assert all(re.fullmatch(r"(People|Space)/[^/]+\.svg", f) for f in files)
    assert files == sorted(files, key=lambda f: f.startswith("Space/"))
    folder, name = files[0].split("/")
    picture = client.get(f"/api/v1/files/profile_pictures/{folder}/{name}", headers=key_headers)
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/svg+xml"
    assert picture.content.startswith(b"<svg")
    # Langflow streams it (StreamingResponse): no Content-Length, and 1.13's gzip takes an SVG, whatever its size
    plain = client.get(f"/api/v1/files/profile_pictures/{folder}/{name}", headers={"Accept-Encoding": "identity"})
    assert "content-length" not in plain.headers and plain.content == picture.content
    zipped = client.get(f"/api/v1/files/profile_pictures/{folder}/{name}", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == picture.content
    missing = client.get("/api/v1/files/profile_pictures/People/nobody.svg", headers=key_headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Profile picture People/nobody.svg not found"}


def test_profile_pictures_need_no_credentials_and_refuse_odd_names(make_client: Any) -> None:
    """An <img> loads them, so Langflow serves them to anyone; a name with a path in it or another folder is a
    400 with the release's text."""
    client = make_client()
    files = client.get("/api/v1/files/profile_pictures/list").json()["files"]
    assert client.get(f"/api/v1/files/profile_pictures/{files[0]}").status_code == 200
    for path, detail in (("Robots/r.svg", "Folder must be one of: People, Space"),
                         ("People/a..b.svg", "Invalid file name. Use a simple file name without directory paths or "
                                             "'..'."),
                         ("Peo..ple/a.svg", "Invalid folder name. Use a simple folder name without directory paths "
                                            "or '..'.")):
        response = client.get(f"/api/v1/files/profile_pictures/{path}")
        assert (response.status_code, response.json()) == (400, {"detail": detail})
    old = make_client(langflow_version="1.7.1")
    refused = old.get("/api/v1/files/profile_pictures/People/a..b.svg")
    assert refused.json() == {"detail": "Path traversal patterns ('..') are not allowed in folder or file names"}


def test_deprecated_upload_stores_a_content_named_v1_file(client: TestClient, flow_id: str,
                                                          key_headers: dict[str, str]) -> None:
    content = b"legacy upload\n"
    response = client.post(f"/api/v1/upload/{flow_id}", files={"file": ("old.txt", content, "text/plain")},
                           headers=key_headers)
    assert response.status_code == 201
    digest = hashlib.sha256(content).hexdigest()
    assert response.json() == {"flowId": flow_id, "file_path": f"{flow_id}/{digest}.txt"}
    listed = client.get(f"/api/v1/files/list/{flow_id}", headers=key_headers).json()
    assert listed == {"files": [f"{digest}.txt"]}
    assert "/api/v1/upload/{flow_id}" not in client.get("/openapi.json").json()["paths"]


def test_files_survive_a_restart_with_the_same_data_dir(make_client: Callable[..., TestClient], tmp_path: Path,
                                                        chat_flow: dict[str, Any]) -> None:
    settings = Settings(data_dir=tmp_path / "kept", api_key="sk-" + "K" * 43)
    headers = {"x-api-key": "sk-" + "K" * 43}
    with TestClient(create_app(settings)) as first:
        fid = create_flow(first, headers, chat_flow)["id"]
        path = upload(first, fid, headers, "hello.txt", b"kept bytes").json()["file_path"]
        v2 = first.post("/api/v2/files", files={"file": ("notes.txt", b"v2 kept", "text/plain")},
                        headers=headers).json()
    second = make_client(ephemeral=False, data_dir=settings.data_dir, api_key=settings.api_key)
    download = second.get(f"/api/v1/files/download/{path}", headers=headers)
    assert (download.status_code, download.content) == (200, b"kept bytes")
    again = second.get(f"/api/v2/files/{v2['id']}", headers=headers)
    assert (again.status_code, again.content) == (200, b"v2 kept")


def test_a_v1_file_name_with_dots_or_a_path_is_refused_before_anything_else(
        client: TestClient, key_headers: dict[str, str], flow_id: str, make_client: Any,
        chat_flow: dict[str, Any]) -> None:
    """1.13 and 1.8 check the name first: even a stored "a..b.txt" (1.8 stores one) cannot be read or deleted
    through v1."""
    stored = "2026-11-23_12-44-46_a..b.txt"
    refused = {"detail": "Invalid file name. Use a simple file name without directory paths or '..'."}
    for method, url, headers in (("GET", f"/api/v1/files/download/{flow_id}/{stored}", key_headers),
                                 ("GET", f"/api/v1/files/images/{flow_id}/x..png", key_headers),
                                 ("DELETE", f"/api/v1/files/delete/{flow_id}/{stored}", key_headers),
                                 ("GET", f"/api/v1/files/download/{flow_id}/{stored}", {})):
        response = client.request(method, url, headers=headers)
        assert (response.status_code, response.json()) == (400, refused)
    middle = make_client(langflow_version="1.8")
    key = {"x-api-key": new_api_key(middle)}
    middle_flow = create_flow(middle, key, chat_flow)["id"]
    kept = upload(middle, middle_flow, key, "a..b.txt", b"dots").json()["file_path"].split("/", 1)[1]
    response = middle.get(f"/api/v1/files/download/{middle_flow}/{kept}", headers=key)
    assert (response.status_code, response.json()) == (400, refused)
    assert middle.get(f"/api/v1/files/list/{middle_flow}", headers=key).json() == {"files": [kept]}
    old = make_client(langflow_version="1.7.1", backend_only=True)
    key = {"x-api-key": new_api_key(old)}
    old_flow = create_flow(old, key, chat_flow)["id"]
    kept = upload(old, old_flow, key, "a..b.txt", b"dots").json()["file_path"].split("/", 1)[1]
    assert old.get(f"/api/v1/files/download/{old_flow}/{kept}", headers=key).content == b"dots"


@pytest.mark.parametrize("name", ["v1..2.txt", "..", "notes..", "dir/a..b.txt", "dir/a.txt", "/etc/passwd",
                                  "dir\\a.txt"])
def test_1_13_refuses_to_store_a_v1_name_holding_a_path(client: TestClient, flow_id: str,
                                                        key_headers: dict[str, str], name: str) -> None:
    """1.13's storage will not write a name with a slash, a backslash or '..' in it (services/storage/local.py):
    Langflow answers 500
    "Invalid file name: contains path separators", the mock 400 with that text, and nothing is stored."""
    response = upload(client, flow_id, key_headers, name, b"dots")
    assert (response.status_code, response.json()) == (400, {"detail": errors.FILE_NAME_PATH_SEPARATORS})
    assert client.get(f"/api/v1/files/list/{flow_id}", headers=key_headers).json() == {"files": []}
    assert stored_blobs(client) == set()
    assert upload(client, flow_id, key_headers, "v1.2.txt", b"one dot").status_code == 201


def test_1_8_stores_a_v1_name_holding_two_dots(make_client: Any, chat_flow: dict[str, Any]) -> None:
    old = make_client(langflow_version="1.8")
    key = {"x-api-key": new_api_key(old)}
    fid = create_flow(old, key, chat_flow)["id"]
    response = upload(old, fid, key, "v1..2.txt", b"dots")
    assert response.status_code == 201
    assert response.json()["file_path"].endswith("_v1..2.txt")
    cut = upload(old, fid, key, "dir/a.txt", b"cut")
    assert (cut.status_code, cut.json()["file_path"].endswith("_a.txt")) == (201, True)


@pytest.mark.parametrize("ext", ["webp", "bmp", "ico", "tiff", "avif", "heic"])
def test_an_image_outside_langflows_table_is_not_an_image(client: TestClient, flow_id: str,
                                                          key_headers: dict[str, str], ext: str) -> None:
    """Langflow types a v1 image by its extension through lfx's table (png, jpg, jpeg, gif, svg are images);
    any other extension is application/octet-stream, which is not an image (Langflow: 500, the mock: 400)."""
    stored = upload(client, flow_id, key_headers, f"pic.{ext}", PNG, f"image/{ext}").json()["file_path"]
    response = client.get(f"/api/v1/files/images/{stored}", headers=key_headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "Content type application/octet-stream is not an image"}


def test_image_types_come_from_langflows_table(client: TestClient, flow_id: str,
                                               key_headers: dict[str, str]) -> None:
    for name, content_type in (("pic.JPG", "image/jpeg"), ("pic.svg", "image/svg+xml"), ("pic.gif", "image/gif")):
        stored = upload(client, flow_id, key_headers, name, PNG).json()["file_path"]
        response = client.get(f"/api/v1/files/images/{stored}", headers=key_headers)
        assert (response.status_code, response.headers["content-type"]) == (200, content_type), name
    for name, detail in (("README", "Content type application/octet-stream is not an image"),
                         ("data.yml", "Content type application/x-yaml is not an image"),
                         ("pic.", "Extension not found for file 2026-11-23_12-44-46_pic.")):
        stored = upload(client, flow_id, key_headers, name, PNG).json()["file_path"]
        response = client.get(f"/api/v1/files/images/{stored}", headers=key_headers)
        assert (response.status_code, response.json()) == (400, {"detail": detail}), name


@pytest.mark.parametrize("version", ["1.13.0", "1.8", "1.7.1"])
def test_a_download_named_with_a_trailing_dot_has_no_extension(make_client: Callable[..., TestClient],
                                                                chat_flow: dict[str, Any], version: str) -> None:
    """Every release's v1 download takes the text after the last dot as the extension and refuses an empty one
    before it reads the file (Langflow: 500, the mock: 400), whether the file is there or not."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    fid = create_flow(client, headers, chat_flow)["id"]
    stored = upload(client, fid, headers, "notes.", b"text").json()["file_path"]
    name = stored.split("/", 1)[1]
    for path in (stored, f"{fid}/missing."):
        response = client.get(f"/api/v1/files/download/{path}", headers=headers)
        assert (response.status_code, response.json()) == (
            400, {"detail": f"Extension not found for file {path.split('/', 1)[1]}"})
    assert client.get(f"/api/v1/files/list/{fid}", headers=headers).json() == {"files": [name]}


def test_profile_picture_the_frontend_shows_by_default_is_served(make_client: Any) -> None:
    """Langflow's own UI asks for Space/046-rocket.svg when a user has no profile_image (as the superuser has):
    real Langflow ships that file, so the header's avatar loads."""
    client = make_client()
    picture = client.get("/api/v1/files/profile_pictures/Space/046-rocket.svg")
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/svg+xml" and picture.content.startswith(b"<svg")
    assert "Space/046-rocket.svg" in client.get("/api/v1/files/profile_pictures/list").json()["files"]
