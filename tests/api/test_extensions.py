"""1.13's extension routes: GET /api/v1/extensions/events and the Mode A bundle reload, which answers only with
LANGFLOW_ENABLE_EXTENSION_RELOAD (the mock installs no extension, so a reload fails as for a bundle not there)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.conftest import other_user_key

START = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
RELOAD = "/api/v1/extensions/acme-tools/bundles/acme/reload"
EVENTS = "/api/v1/extensions/events"


def test_reload_is_off_by_default_even_before_credentials(client: TestClient, key_headers: dict[str, str]) -> None:
    for headers in (key_headers, {}):
        response = client.post(RELOAD, headers=headers)
        assert response.status_code == 404
        detail = response.json()  # (with the frontend served, Langflow's 404 handler unwraps a dict detail)
        assert detail["code"] == "extension-reload-disabled"
        assert "LANGFLOW_ENABLE_EXTENSION_RELOAD=true" in detail["message"]
        assert detail["ref_url"] == "https://docs.langflow.org/extensions/errors"
        assert detail["location"] is None and detail["content"] is None
    assert client.get(EVENTS, headers=key_headers).json() == {"events": [], "settled": True}


def test_a_failed_reload_is_an_event_of_its_user(make_client: Callable[..., TestClient]) -> None:
    client = make_client(enable_extension_reload=True)
    token = client.get("/api/v1/auto_login").json()["access_token"]
    admin = {"x-api-key": client.post("/api/v1/api_key/", json={"name": "k"},
                                      headers={"Authorization": f"Bearer {token}"}).json()["api_key"]}
    client.cookies.clear()
    clock = client.app.state.mock.clock  # type: ignore[attr-defined]
    clock.frozen = START
    assert client.post(RELOAD).status_code == 403  # the guard passed, now the caller is needed
    response = client.post(RELOAD, headers=admin)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["code"] == "reload-bundle-not-installed"
    assert detail["message"] == "Bundle 'acme' is not registered and no source path was supplied."
    assert detail["location"] == detail["content"] == "acme"
    result = detail["result"]
    assert result["ok"] is False and result["bundle"] == "acme" and len(result["reload_id"]) == 32
    assert result["errors"] == [{k: v for k, v in detail.items() if k != "result"}]

    clock.frozen = START + timedelta(seconds=2)
    polled = client.get(EVENTS, headers=admin).json()
    assert polled == {"events": [{"type": "bundle_reload_failed", "timestamp": START.timestamp(), "payload": result}],
                      "settled": False}
    assert client.get(EVENTS, params={"since": START.timestamp()}, headers=admin).json() == {"events": [],
                                                                                              "settled": False}
    bob = {"x-api-key": other_user_key(client, admin)}
    assert client.get(EVENTS, headers=bob).json() == {"events": [], "settled": True}  # not bob's reload
    clock.frozen = START + timedelta(seconds=10)
    assert client.get(EVENTS, headers=admin).json()["settled"] is True
    clock.frozen = START + timedelta(seconds=121)  # kept two minutes
    assert client.get(EVENTS, headers=admin).json() == {"events": [], "settled": True}


def test_events_refuse_a_keyspace_and_bad_cursors(client: TestClient, key_headers: dict[str, str]) -> None:
    response = client.get(EVENTS, params={"keyspace": "global"}, headers=key_headers)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert (detail["code"], detail["location"], detail["content"]) == (
        "extension-events-keyspace-forbidden", "query.keyspace", "global")
    bad = client.get(EVENTS, params={"since": "yesterday"}, headers=key_headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "since"]
    assert client.get(EVENTS).status_code == 403


def test_older_releases_have_no_extension_routes(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4", enable_extension_reload=True)
    assert client.post(RELOAD).json() == {"detail": "Not Found"}
    assert client.get(EVENTS).status_code == 404
