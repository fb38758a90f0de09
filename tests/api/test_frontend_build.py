"""LANGFLOW_FRONTEND_PATH: a frontend build (Langflow's own `frontend/` folder, or a fork's) served by the mock as
the emulated release serves its frontend, so the UI runs against the mock on one origin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from mock_langflow import Settings
from tests.conftest import new_api_key

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <BASE href="/" />
    <title>A frontend build</title>
    <script type="module" src="./assets/app-1a2b.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
"""
SCRIPT = b"console.log('the build');\n"
ICON = bytes(range(256)) * 4


@pytest.fixture
def build(tmp_path: Path) -> Path:
    root = tmp_path / "frontend"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "assets" / "app-1a2b.js").write_bytes(SCRIPT)
    (root / "favicon.ico").write_bytes(ICON)
    return root


def test_1_13_serves_the_builds_page_for_every_client_route(make_client: Callable[..., TestClient],
                                                           build: Path) -> None:
    client = make_client(frontend_path=build)
    for path in ("/", "/index.html", "/flows", "/flow/5f1c/folder/x"):
        page = client.get(path)
        assert (page.status_code, page.headers["cache-control"]) == (200, "no-store")
        assert page.text == PAGE.replace('<BASE href="/" />', '<base href="/" />')
    assert client.delete("/settings/general").text == page.text  # Langflow's 404 handler: the page, any method
    missing = client.get("/api/v1/no-such-route")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    assert client.get("/api/v1/version").json()["version"] == "1.13.0"


def test_1_13_serves_the_builds_files_as_a_static_server(make_client: Callable[..., TestClient],
                                                         build: Path) -> None:
    client = make_client(frontend_path=build)
    script = client.get("/assets/app-1a2b.js")
    assert (script.status_code, script.content) == (200, SCRIPT)
    assert script.headers["content-type"].startswith("text/javascript")
    again = client.get("/assets/app-1a2b.js", headers={"If-None-Match": script.headers["etag"]})
    assert again.status_code == 304
    icon = client.get("/favicon.ico")
    assert (icon.status_code, icon.headers["content-type"], icon.content) == (200, "image/x-icon", ICON)
    posted = client.post("/assets/app-1a2b.js")
    assert (posted.status_code, posted.json(), "allow" in posted.headers) == (
        405, {"detail": "Method Not Allowed"}, False)
    (build.parent / "secret.txt").write_text("not the build's", encoding="utf-8")
    outside = client.get("/assets/..%2F..%2Fsecret.txt")
    assert outside.status_code == 200 and "not the build's" not in outside.text  # the page, not the file
    assert client.get("/assets/none.js").headers["content-type"].startswith("text/html")


def test_1_13_writes_the_root_path_into_the_builds_base(make_client: Callable[..., TestClient], build: Path) -> None:
    client = make_client(frontend_path=build, root_path="/langflow")
    assert '<base href="/langflow/" />' in client.get("/langflow/flows").text
    assert client.get("/langflow/assets/app-1a2b.js").content == SCRIPT


def test_1_7_1_mounts_the_build_as_static_files(make_client: Callable[..., TestClient], build: Path) -> None:
    """1.7.1 mounts its frontend as static files for every method and answers 404s with index.html, as sent."""
    client = make_client(frontend_path=build, langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    for path in ("/", "/flows", "/api/v1/flows/00000000-0000-4000-8000-000000000000"):
        page = client.get(path, headers=headers)
        assert (page.status_code, page.text) == (200, PAGE), path  # its <base> as the build has it
        assert "etag" in page.headers and "last-modified" in page.headers
    assert client.get("/assets/app-1a2b.js").content == SCRIPT
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/flows").status_code == 405


def test_without_a_build_the_mocks_own_page_is_served(make_client: Callable[..., TestClient]) -> None:
    page = make_client().get("/favicon.ico")
    assert page.headers["content-type"].startswith("text/html")
    assert "mock-langflow" in page.text


def test_a_build_that_is_not_there_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Static files directory .* does not exist"):
        Settings(frontend_path=tmp_path / "nowhere", ephemeral=True)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValidationError, match="has no index.html"):
        Settings(frontend_path=tmp_path / "empty", ephemeral=True)
    assert Settings(frontend_path=tmp_path / "nowhere", ephemeral=True, backend_only=True).backend_only
