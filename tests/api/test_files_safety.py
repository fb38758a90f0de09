"""No request reads, writes or deletes outside the data dir; oversize bodies leave nothing behind (fact 39)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from mock_langflow.app import create_app
from mock_langflow.settings import Settings
from tests.conftest import create_flow, stored_blobs

KEY = "sk-" + "S" * 43
HEADERS = {"x-api-key": KEY}
TOO_LARGE = {"detail": "Content size limit exceeded. Maximum allowed is 1MB and got 1.0MB."}
BLOB = re.compile(r"[0-9a-f]{32}")


def snapshot(root: Path, *, skip: Path | None = None) -> dict[str, bytes]:
    """Every file under `root` except those under `skip`, with its content."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and (skip is None or not p.is_relative_to(skip))}


def multipart(name: str, content: bytes, boundary: str = "mockboundary") -> bytes:
    """A multipart body written by hand: the file name goes out as raw UTF-8 bytes, NUL and tabs included
    (httpx would percent-encode them)."""
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode()


MULTIPART = {**HEADERS, "content-type": "multipart/form-data; boundary=mockboundary"}


@pytest.fixture
def on_disk(make_client: Callable[..., TestClient], tmp_path: Path) -> TestClient:
    """A server with a real data dir, beside a file that no request may touch."""
    (tmp_path / "sentinel.txt").write_bytes(b"do not touch")
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_bytes(b"root:x:0:0")
    return make_client(ephemeral=False, data_dir=tmp_path / "data", api_key=KEY)


@pytest.fixture
def flow_id(on_disk: TestClient, chat_flow: dict[str, Any]) -> str:
    return str(create_flow(on_disk, HEADERS, chat_flow)["id"])


UNSAFE, TOO_LONG = errors.FILE_NAME_UNSAFE, errors.FILE_NAME_TOO_LONG
# (name sent, the safe segment the mock reduces it to, Langflow 1.13's v2 refusal or None).
HOSTILE_NAMES = [
    ("../../sentinel.txt", "sentinel.txt", UNSAFE),
    ("/etc/passwd", "passwd", UNSAFE),
    ("..\\..\\win.ini", "win.ini", UNSAFE),
    ("..%2F..%2Fencoded.txt", "..%2F..%2Fencoded.txt", UNSAFE),
    ("nul\x00byte.txt", "nulbyte.txt", UNSAFE),
    ("tab\tand\x7fdel.txt", "taband" + "del.txt", None),
    ("résumé 📄.txt", "résumé 📄.txt", None),
    ("x" * 1000 + ".txt", "x" * 251 + ".txt", TOO_LONG),
    ("é" * 300 + ".md", "é" * 126 + ".md", TOO_LONG),
]


@pytest.mark.parametrize(("raw", "expected", "refusal"), HOSTILE_NAMES, ids=[n for n, _ in enumerate(HOSTILE_NAMES)])
def test_hostile_upload_names_are_refused_or_reduced_to_one_safe_segment(
        on_disk: TestClient, flow_id: str, tmp_path: Path, raw: str, expected: str, refusal: str | None) -> None:
    """v1 uploads keep one safe segment of a name (1.13 refuses one holding a slash, a backslash or '..', which
    its storage would not write); 1.13's v2 upload refuses an unsafe one with its 400."""
    before = snapshot(tmp_path, skip=tmp_path / "data")
    v1 = on_disk.post(f"/api/v1/files/upload/{flow_id}", content=multipart(raw, b"v1"), headers=MULTIPART)
    if any(part in raw for part in ("/", "\\", "..")):
        assert (v1.status_code, v1.json()) == (400, {"detail": errors.FILE_NAME_PATH_SEPARATORS})
        assert on_disk.get(f"/api/v1/files/list/{flow_id}", headers=HEADERS).json() == {"files": []}
    else:
        assert v1.status_code == 201
        stored = v1.json()["file_path"].split("/", 1)[1]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_(.+)", stored)
        assert len(stored.encode()) <= 255
        if len(expected.encode()) <= 235:
            assert stored.endswith("_" + expected)
        if "%" not in stored:  # the test client decodes a path twice, so "%25" cannot reach the route through it
            download = on_disk.get(f"/api/v1/files/download/{flow_id}/{quote(stored, safe='')}", headers=HEADERS)
            assert (download.status_code, download.content) == (200, b"v1")
        assert on_disk.get(f"/api/v1/files/list/{flow_id}", headers=HEADERS).json() == {"files": [stored]}
    v2 = on_disk.post("/api/v2/files", content=multipart(raw, b"v2"), headers=MULTIPART)
    if refusal is not None:
        assert (v2.status_code, v2.json()) == (400, {"detail": refusal})
        assert on_disk.get("/api/v2/files", headers=HEADERS).json() == []
    else:
        assert v2.status_code == 201
        assert v2.json()["path"].split("/", 1)[1] == expected
        assert on_disk.get(f"/api/v2/files/{v2.json()['id']}", headers=HEADERS).content == b"v2"
    assert snapshot(tmp_path, skip=tmp_path / "data") == before
    assert all(BLOB.fullmatch(name) for name in stored_blobs(on_disk))


def test_releases_before_1_13_cut_a_v2_name_down_instead(make_client: Callable[..., TestClient]) -> None:
    old = make_client(langflow_version="1.8", api_key=KEY)
    for raw, expected, _ in HOSTILE_NAMES:
        v2 = old.post("/api/v2/files", content=multipart(raw, b"v2"), headers=MULTIPART)
        assert v2.status_code == 201, raw
        assert v2.json()["path"].split("/", 1)[1].startswith(expected.rsplit(".", 1)[0][:200])
    renamed = old.put(f"/api/v2/files/{v2.json()['id']}", params={"name": "a/b"}, headers=HEADERS)
    assert (renamed.status_code, renamed.json()["name"]) == (200, "a_b")


@pytest.mark.parametrize(("name", "refusal"), [
    ("a/b", UNSAFE), ("..", UNSAFE), ("x\u200b", UNSAFE), ("line\u2028two", UNSAFE),
    (".", errors.FILE_NAME_NOTHING_LEFT), ("y" * 256, TOO_LONG), ("CON", errors.file_name_reserved("CON")),
    ("lpt1.txt", errors.file_name_reserved("lpt1.txt")), ("COM² backup", errors.file_name_reserved("COM² backup"))])
def test_1_13_refuses_an_unsafe_v2_rename_and_keeps_the_name(on_disk: TestClient, name: str, refusal: str) -> None:
    file = on_disk.post("/api/v2/files", content=multipart("notes.txt", b"n"), headers=MULTIPART).json()
    renamed = on_disk.put(f"/api/v2/files/{file['id']}", params={"name": name}, headers=HEADERS)
    assert (renamed.status_code, renamed.json()) == (400, {"detail": refusal})
    assert [f["name"] for f in on_disk.get("/api/v2/files", headers=HEADERS).json()] == ["notes"]
    fine = on_disk.put(f"/api/v2/files/{file['id']}", params={"name": "CONSOLE log"}, headers=HEADERS)
    assert (fine.status_code, fine.json()["name"]) == (200, "CONSOLE log")


def test_a_numbered_v2_name_over_255_bytes_is_refused(on_disk: TestClient) -> None:
    name = "z" * 251 + ".txt"
    assert on_disk.post("/api/v2/files", content=multipart(name, b"1"), headers=MULTIPART).status_code == 201
    again = on_disk.post("/api/v2/files", content=multipart(name, b"2"), headers=MULTIPART)
    assert (again.status_code, again.json()) == (400, {"detail": TOO_LONG})
    assert len(on_disk.get("/api/v2/files", headers=HEADERS).json()) == 1


@pytest.mark.parametrize("raw", ["..", ".", "../", "\x00"])
def test_names_with_nothing_usable_left(on_disk: TestClient, flow_id: str, raw: str) -> None:
    v1 = on_disk.post(f"/api/v1/files/upload/{flow_id}", content=multipart(raw, b"v1"), headers=MULTIPART)
    if ".." in raw:  # 1.13's storage refuses the name
        assert (v1.status_code, v1.json()) == (400, {"detail": errors.FILE_NAME_PATH_SEPARATORS})
    else:
        assert v1.status_code == 201
        # the name a nameless v1 upload gets in Langflow: the content's sha256
        assert re.fullmatch(rf"{flow_id}/\d{{4}}-\d\d-\d\d_\d\d-\d\d-\d\d_[0-9a-f]{{64}}", v1.json()["file_path"])
    v2 = on_disk.post("/api/v2/files", content=multipart(raw, b"v2"), headers=MULTIPART)
    refusal = errors.FILE_NAME_NOTHING_LEFT if raw == "." else UNSAFE
    assert (v2.status_code, v2.json()) == (400, {"detail": refusal})


TRAVERSALS = [
    "..%2F..%2F..%2Fsentinel.txt",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fsentinel.txt",
    "..%5C..%5Csentinel.txt",
    "..",
    "%2e%2e",
    "sentinel.txt%00.png",
    "%2Fetc%2Fpasswd",
    "x" * 5000,
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_traversal_in_v1_urls_reads_and_deletes_nothing(on_disk: TestClient, flow_id: str, tmp_path: Path,
                                                        name: str) -> None:
    on_disk.post(f"/api/v1/files/upload/{flow_id}", files={"file": ("kept.png", b"kept", "image/png")},
                 headers=HEADERS)
    outside, files = snapshot(tmp_path, skip=tmp_path / "data"), snapshot(tmp_path / "data" / "files")
    for method, route in (("GET", "download"), ("GET", "images"), ("DELETE", "delete")):
        response = on_disk.request(method, f"/api/v1/files/{route}/{flow_id}/{name}", headers=HEADERS)
        assert b"do not touch" not in response.content and b"root:x" not in response.content
        # 404/405: the decoded path matches no route (files_v1_download_traversal); 500: the recorded
        # "not found in flow"; 400: not an image; 200: only a delete, of nothing
        assert response.status_code in (200, 400, 404, 405, 500), response.text
        assert response.status_code != 200 or method == "DELETE"
    assert snapshot(tmp_path, skip=tmp_path / "data") == outside
    assert snapshot(tmp_path / "data" / "files") == files
    assert on_disk.get(f"/api/v1/files/list/{flow_id}", headers=HEADERS).json()["files"][0].endswith("_kept.png")


def test_v2_urls_take_only_uuids(on_disk: TestClient) -> None:
    for name in ("..%2F..%2Fsentinel.txt", "..", "%2e%2e"):
        response = on_disk.get(f"/api/v2/files/{name}", headers=HEADERS)
        assert response.status_code in (404, 422)
        assert b"do not touch" not in response.content


@pytest.mark.parametrize("path", [
    "../../sentinel.txt", "/etc/passwd", "{flow}/../../sentinel.txt", "{flow}/..", "{user}/../{user}/notes.txt",
    "{user}/notes.txt\x00", "{user}\\notes.txt", "", "{user}/", "/{user}/notes.txt", "{other}/notes.txt",
])
def test_a_run_resolves_only_stored_paths_of_its_caller(on_disk: TestClient, flow_id: str, path: str) -> None:
    user = UUID(on_disk.get("/api/v1/users/whoami", headers=HEADERS).json()["id"])
    stored = on_disk.post("/api/v2/files", files={"file": ("notes.txt", b"text", "text/plain")}, headers=HEADERS)
    files = on_disk.app.state.mock.store.files  # type: ignore[attr-defined]
    assert files.read_for_run(stored.json()["path"], user_id=user) == ("notes.txt", b"text")
    assert files.read_for_run(stored.json()["path"], user_id=None) is None
    path = path.format(flow=flow_id, user=user, other="00000000-0000-4000-8000-000000000000")
    assert files.read_for_run(path, user_id=user) is None


def chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start:start + size]


@pytest.fixture
def limited(make_client: Callable[..., TestClient], tmp_path: Path) -> TestClient:
    return make_client(ephemeral=False, data_dir=tmp_path / "data", api_key=KEY, max_file_size_upload=1)


@pytest.mark.parametrize("route", ["v1", "v2"])
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_oversize_upload_is_413_and_leaves_nothing_behind(limited: TestClient, chat_flow: dict[str, Any],
                                                          tmp_path: Path, route: str, framing: str) -> None:
    fid = create_flow(limited, HEADERS, chat_flow)["id"]
    url = f"/api/v1/files/upload/{fid}" if route == "v1" else "/api/v2/files"
    body = multipart("big.bin", os.urandom(1024 * 1024 + 10))
    headers = {**HEADERS, "content-type": "multipart/form-data; boundary=mockboundary"}
    response = limited.post(url, content=chunks(body) if framing == "chunked" else body, headers=headers)
    assert response.status_code == 413
    assert response.json() == TOO_LARGE
    assert stored_blobs(limited) == set()
    assert limited.get(f"/api/v1/files/list/{fid}", headers=HEADERS).json() == {"files": []}
    assert limited.get("/api/v2/files", headers=HEADERS).json() == []
    files_dir = tmp_path / "data" / "files"
    assert not files_dir.exists() or list(files_dir.iterdir()) == []


def test_just_under_the_limit_is_stored(limited: TestClient) -> None:
    response = limited.post("/api/v2/files", files={"file": ("almost1mb.bin", b"a" * 1048076, "text/plain")},
                            headers=HEADERS)
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["size"]) == ("almost1mb", 1048076)


def test_leftovers_of_an_interrupted_process_are_swept_at_start(make_client: Callable[..., TestClient],
                                                                tmp_path: Path) -> None:
    settings = Settings(ephemeral=False, data_dir=tmp_path / "data", api_key=KEY)
    with TestClient(create_app(settings)) as first:
        kept = first.post("/api/v2/files", files={"file": ("kept.txt", b"kept", "text/plain")},
                          headers=HEADERS).json()
    # What a process killed in the middle of two uploads leaves behind:
    files_dir = tmp_path / "data" / "files"
    (files_dir / ("a" * 32 + ".part")).write_bytes(b"half an upload")
    (files_dir / ("b" * 32)).write_bytes(b"bytes without a row")
    second = make_client(ephemeral=False, data_dir=tmp_path / "data", api_key=KEY)
    assert len(list(files_dir.iterdir())) == 1
    assert second.get(f"/api/v2/files/{kept['id']}", headers=HEADERS).content == b"kept"
