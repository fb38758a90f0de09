"""LANGFLOW_ROOT_PATH (Langflow 1.13): the mock behind a reverse proxy that serves it under a URL prefix."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from mock_langflow import Settings
from tests.api.test_auth import cookie_attributes
from tests.conftest import auto_login_token, new_api_key

PREFIXED_COOKIES = ("refresh_token_lf_%2Flangflow", "access_token_lf_%2Flangflow", "apikey_tkn_lflw_%2Flangflow")


def test_paths_route_with_and_without_the_prefix(make_client: Callable[..., TestClient]) -> None:
    """A proxy that strips the prefix and a client that reaches the server directly with it both get the API;
    unknown API paths stay JSON 404s and other paths the frontend page, whose <base> carries the prefix."""
    client = make_client(root_path="/langflow")
    for path in ("/api/v1/version", "/langflow/api/v1/version"):
        assert client.get(path).json()["version"] == "1.13.0"
    for path in ("/langflow/api/v1/nothing-here", "/langflow/api"):
        missing = client.get(path)
        assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    for path in ("/", "/langflow/", "/langflow/flows"):
        page = client.get(path)
        assert page.status_code == 200
        assert '<base href="/langflow/" />' in page.text
    assert '<base href="/" />' in make_client().get("/").text


def test_the_document_lists_the_prefix_or_the_proxys_as_its_server(make_client: Callable[..., TestClient]) -> None:
    """/openapi.json names the prefix as its server and /docs loads the document from under it; a proxy's
    X-Forwarded-Prefix replaces the prefix for that request, unless it is more than a path."""
    client = make_client(root_path="/langflow")
    assert client.get("/openapi.json").json()["servers"] == [{"url": "/langflow"}]
    assert "'/langflow/openapi.json'" in client.get("/docs").text
    edge = {"X-Forwarded-Prefix": "/edge/"}
    assert client.get("/openapi.json", headers=edge).json()["servers"] == [{"url": "/edge"}]
    assert "'/edge/openapi.json'" in client.get("/docs", headers=edge).text
    for ignored in ("https://evil.test/x", "/x?y=1", "edge"):
        answer = client.get("/openapi.json", headers={"X-Forwarded-Prefix": ignored})
        assert answer.json()["servers"] == [{"url": "/langflow"}], ignored
    # Without a root path Langflow ignores the header.
    plain = make_client().get("/openapi.json", headers=edge).json()
    assert "servers" not in plain


def test_login_cookies_are_named_and_scoped_after_the_prefix(make_client: Callable[..., TestClient]) -> None:
    """Two Langflows under different prefixes of one host keep their sessions apart: the cookies carry the
    prefix in their names (URL-quoted) and its path, and only those names authenticate, refresh and log out."""
    client = make_client(root_path="/langflow", auto_login=False, superuser_password="pw-admin")
    login = client.post("/api/v1/login", data={"username": "langflow", "password": "pw-admin"})
    set_cookies = dict(map(cookie_attributes, login.headers.get_list("set-cookie")))
    assert tuple(set_cookies) == PREFIXED_COOKIES
    assert all("Path=/langflow/" in attributes for attributes in set_cookies.values())
    tokens = login.json()
    client.cookies.clear()
    client.cookies.set("access_token_lf", tokens["access_token"])
    client.cookies.set("refresh_token_lf", tokens["refresh_token"])
    assert client.get("/api/v1/users/whoami").status_code == 403  # no credentials it reads
    assert client.post("/api/v1/refresh").status_code == 401
    client.cookies.clear()
    client.cookies.set(PREFIXED_COOKIES[1], tokens["access_token"])
    assert client.get("/api/v1/users/whoami").json()["username"] == "langflow"
    client.cookies.set(PREFIXED_COOKIES[0], tokens["refresh_token"])
    refreshed = client.post("/api/v1/refresh")
    assert refreshed.status_code == 200
    assert [name for name, _ in map(cookie_attributes, refreshed.headers.get_list("set-cookie"))] == [
        *PREFIXED_COOKIES[:2]]
    logout = client.post("/api/v1/logout").headers.get_list("set-cookie")
    assert [c.split("=", 1)[0] for c in logout] == list(PREFIXED_COOKIES)
    assert all("Max-Age=0" in c and "Path=/langflow/" in c for c in logout)


def test_auto_login_and_the_store_key_use_the_prefixed_cookies(make_client: Callable[..., TestClient]) -> None:
    client = make_client(root_path="/tools/langflow")
    auto = client.get("/api/v1/auto_login")
    names = [name for name, _ in map(cookie_attributes, auto.headers.get_list("set-cookie"))]
    assert names == ["refresh_token_lf_%2Ftools%2Flangflow", "access_token_lf_%2Ftools%2Flangflow",
                     "apikey_tkn_lflw_%2Ftools%2Flangflow"]
    token = auto.json()["access_token"]
    stored = client.post("/api/v1/api_key/store", json={"api_key": "store-key"},
                         headers={"Authorization": f"Bearer {token}"})
    name, attributes = cookie_attributes(stored.headers["set-cookie"])
    assert (name, "Path=/tools/langflow/" in attributes) == ("apikey_tkn_lflw_%2Ftools%2Flangflow", True)


@pytest.mark.parametrize(("given", "read"), [("langflow/", "/langflow"), (" /a/b// ", "/a/b"), ("/", ""), ("", "")])
def test_the_root_path_is_read_as_langflow_reads_it(given: str, read: str) -> None:
    assert Settings(root_path=given, ephemeral=True).root_path == read


def test_a_root_path_with_a_scheme_or_one_the_page_cannot_carry_is_refused() -> None:
    with pytest.raises(ValidationError, match="without scheme, query string, or fragment"):
        Settings(root_path="https://proxy.test/langflow", ephemeral=True)
    with pytest.raises(ValidationError, match="must be a URL path such as /langflow"):
        Settings(root_path="/a/../b", ephemeral=True)
    assert Settings(root_path="/a/../b", ephemeral=True, backend_only=True).root_path == "/a/../b"


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_releases_before_1_13_have_no_root_path(make_client: Callable[..., TestClient], version: str) -> None:
    client = make_client(langflow_version=version, root_path="/langflow")
    assert "main_version" not in client.get("/langflow/api/v1/version").text  # (1.7.1: its page; 1.8: a 404)
    assert "servers" not in client.get("/openapi.json").json()
    auto_login_token(client)
    assert all(c.startswith(("access_token_lf=", "apikey_tkn_lflw=", "refresh_token_lf="))
               for c in client.get("/api/v1/auto_login").headers.get_list("set-cookie"))


def test_the_journal_records_the_path_the_routes_see(make_client: Callable[..., TestClient]) -> None:
    client = make_client(root_path="/langflow")
    headers = {"x-api-key": new_api_key(client)}
    client.get("/langflow/api/v1/version")
    journal = client.get("/langflow/_mock/requests", headers=headers).json()["requests"]
    assert [entry["path"] for entry in journal][-1] == "/api/v1/version"
