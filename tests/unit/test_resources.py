"""Nothing the mock opens is left to the garbage collector: on Python 3.13 an unclosed sqlite3 connection is a
ResourceWarning, which fails a host's test run under `-W error` (pytest reports it as unraisable)."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app
from mock_langflow.testing.server import MockLangflowServer


def pooled_connection(app: Any) -> sqlite3.Connection:
    """The sqlite3 connection under the app's database pool, checked back in and still open."""
    proxy = app.state.mock.store.db.engine.raw_connection()
    connection: sqlite3.Connection = proxy.dbapi_connection
    proxy.close()
    connection.execute("SELECT 1")
    return connection


def assert_closed(connection: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")


@pytest.mark.parametrize("ephemeral", [True, False])
def test_a_stopped_in_process_server_holds_no_database_connection(ephemeral: bool) -> None:
    """Left to the collector, a sqlite3 connection is a ResourceWarning on Python 3.13, and an error in a host's
    test run under `-W error`; an in-memory database's one connection included."""
    server = MockLangflowServer(ephemeral=ephemeral).start()
    try:
        assert httpx.get(f"{server.url}/api/v1/flows/", headers={"x-api-key": server.api_key},
                         timeout=10).status_code == 200
        connection = pooled_connection(server.app)
    finally:
        server.stop()
    assert_closed(connection)


@pytest.mark.parametrize("ephemeral", [True, False])
def test_an_app_dropped_without_shutting_down_closes_its_database(ephemeral: bool, tmp_path: Path) -> None:
    """create_app used without its lifespan (a TestClient outside `with`), then let go of."""
    app = create_app(Settings(ephemeral=ephemeral, data_dir=tmp_path))
    assert TestClient(app).get("/api/v1/version").status_code == 200
    connection = pooled_connection(app)
    del app
    gc.collect()
    assert_closed(connection)


def test_an_app_shut_down_closes_its_database_file_and_serves_again_after(tmp_path: Path) -> None:
    """The lifespan's end closes a data dir's pooled connections; the same app started again reopens them and
    finds what it stored."""
    key = {"x-api-key": "sk-resources000000000000000000000000000000"}
    app = create_app(Settings(data_dir=tmp_path, api_key=key["x-api-key"]))
    with TestClient(app) as client:
        created = client.post("/api/v1/flows/", json={"name": "kept"}, headers=key)
        assert created.status_code == 201, created.text
        connection = pooled_connection(app)
    assert_closed(connection)
    with TestClient(app) as client:
        again = client.get(f"/api/v1/flows/{created.json()['id']}", headers=key)
        assert again.status_code == 200 and again.json()["name"] == "kept"
