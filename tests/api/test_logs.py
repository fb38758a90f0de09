"""/logs and /logs-stream: Langflow's log retriever, whose buffer is off by default (501 "Log retrieval is
disabled" once the caller is let in)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_api_key, other_user_key

DISABLED = (501, {"detail": "Log retrieval is disabled"})
ROUTES = ["/logs", "/logs-stream"]


def answer(client: TestClient, path: str, headers: dict[str, str], **params: str) -> tuple[int, object]:
    response = client.get(path, headers=headers, params=params)
    return response.status_code, response.json()


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
@pytest.mark.parametrize("path", ROUTES)
def test_a_superuser_is_told_log_retrieval_is_disabled(make_client: Callable[..., TestClient], version: str,
                                                       path: str) -> None:
    client = make_client(langflow_version=version)
    assert answer(client, path, {"x-api-key": new_api_key(client)}) == DISABLED


@pytest.mark.parametrize("path", ROUTES)
def test_1_13_lets_only_superusers_in(client: TestClient, path: str) -> None:
    admin = {"x-api-key": new_api_key(client)}
    response = client.get(path, headers={"x-api-key": other_user_key(client, admin)})
    assert (response.status_code, response.json()) == (403, {"detail": "The user doesn't have enough privileges"})
    assert "x-langflow-error-code" not in response.headers


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
@pytest.mark.parametrize("path", ROUTES)
def test_before_1_13_any_signed_in_user_is_let_in(make_client: Callable[..., TestClient], version: str,
                                                   path: str) -> None:
    client = make_client(langflow_version=version)
    admin = {"x-api-key": new_api_key(client)}
    assert answer(client, path, {"x-api-key": other_user_key(client, admin)}) == DISABLED


@pytest.mark.parametrize("path", ROUTES)
def test_without_credentials_it_is_refused_as_any_user_route(client: TestClient, path: str) -> None:
    assert answer(client, path, {}) == answer(client, "/api/v1/users/whoami", {})


def test_the_disabled_buffer_is_checked_before_the_parameters_combination(client: TestClient) -> None:
    """Both before and after, or after without a timestamp, are 400s only with a buffer; without one, 501."""
    headers = {"x-api-key": new_api_key(client)}
    assert answer(client, "/logs", headers, lines_before="1", lines_after="1") == DISABLED
    assert answer(client, "/logs", headers, lines_after="5") == DISABLED


def test_a_parameter_that_is_no_integer_is_a_422(client: TestClient) -> None:
    headers = {"x-api-key": new_api_key(client)}
    status, body = answer(client, "/logs", headers, timestamp="yesterday")
    assert status == 422
    assert [e["loc"] for e in body["detail"]] == [["query", "timestamp"]]  # type: ignore[index]


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_the_openapi_document_lists_both_routes(make_client: Callable[..., TestClient], version: str) -> None:
    paths = make_client(langflow_version=version).get("/openapi.json").json()["paths"]
    assert paths["/logs"]["get"]["operationId"] == "logs_logs_get"
    assert paths["/logs-stream"]["get"]["operationId"] == "stream_logs_logs_stream_get"
    assert [p["name"] for p in paths["/logs"]["get"]["parameters"]] == ["lines_before", "lines_after", "timestamp"]
    assert {p["schema"]["default"] for p in paths["/logs"]["get"]["parameters"]} == {0}
    assert "parameters" not in paths["/logs-stream"]["get"]
