"""GET/POST /api/v2/registration/ (Langflow's api/v2/registration.py): the one email an install registers, kept in
a file under the data dir."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.conftest import new_api_key

URL = "/api/v2/registration/"
OFFSET_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00"


def test_a_registration_is_kept_replaced_and_read_back(client: TestClient, key_headers: dict[str, str]) -> None:
    assert client.get(URL, headers=key_headers).json() == {"message": "No user registered"}
    first = client.post(URL, json={"email": "Ada@Example.COM"}, headers=key_headers)
    assert (first.status_code, first.json()) == (200, {"email": "Ada@example.com"})  # EmailStr's normal form
    second = client.post(URL, json={"email": "bob@example.org", "name": "ignored"}, headers=key_headers)
    assert second.json() == {"email": "bob@example.org"}
    read = client.get(URL, headers=key_headers)
    assert read.status_code == 200
    body = read.json()
    assert re.fullmatch(OFFSET_TIME, body.pop("registered_at"))
    assert body == {"email": "bob@example.org"}


def test_a_registration_outlives_a_restart_in_the_data_dir(tmp_path: Path) -> None:
    from mock_langflow import Settings, create_app

    settings = Settings(data_dir=tmp_path / "data", superuser_password="pw-admin")
    with TestClient(create_app(settings)) as first:
        headers = {"x-api-key": new_api_key(first)}
        assert first.post(URL, json={"email": "ada@example.com"}, headers=headers).status_code == 200
    kept = json.loads((tmp_path / "data" / "user" / "registration.json").read_text())
    assert kept["email"] == "ada@example.com"
    (tmp_path / "data" / "user" / "registration.json").write_text("{not json")
    with TestClient(create_app(settings)) as second:
        assert second.get(URL, headers=headers).json() == {"message": "No user registered"}


def test_an_address_email_validator_refuses_is_a_422(client: TestClient, key_headers: dict[str, str]) -> None:
    cases = {"ada": "The email address is not valid. It must have exactly one @-sign.",
             "@example.com": "There must be something before the @-sign.",
             "ada@": "There must be something after the @-sign.",
             "ada@localhost": "The part after the @-sign is not valid. It should have a period."}
    for email, reason in cases.items():
        response = client.post(URL, json={"email": email}, headers=key_headers)
        assert response.status_code == 422
        assert response.json()["detail"] == [{
            "type": "value_error", "loc": ["body", "email"], "ctx": {"reason": reason},
            "msg": f"value is not a valid email address: {reason}"}]
    assert client.get(URL, headers=key_headers).json() == {"message": "No user registered"}


def test_1_13_needs_a_user_for_both_and_older_releases_register_anyone(
        make_client: Callable[..., TestClient]) -> None:
    current = make_client()
    for method, body in (("get", None), ("post", {"email": "ada@example.com"}), ("post", None)):
        # refused before the body is looked at, as a dependency of Langflow's route refuses
        refused = current.request(method, URL, json=body)
        assert (refused.status_code, refused.json()) == (403, {"detail": errors.NO_CREDENTIALS})
    for version in ("1.8.4", "1.7.1"):
        older = make_client(langflow_version=version)
        assert older.post(URL, json={"email": "ada@example.com"}, headers={"x-api-key": "sk-wrong"}).json() == {
            "email": "ada@example.com"}
        assert older.get(URL).status_code == 403
        headers = {"x-api-key": new_api_key(older)}
        assert older.get(URL, headers=headers).json()["email"] == "ada@example.com"
