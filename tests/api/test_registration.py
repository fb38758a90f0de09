"""GET/POST /api/v2/registration/ (Langflow's api/v2/registration.py): the one email an install registers, kept in
a file under the data dir."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic_core import PydanticCustomError

from mock_langflow import errors
from mock_langflow.schemas.registration import email_address
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
    cases = {"ada": "An email address must have an @-sign.",
             "a@b@c.com": "The part after the @-sign contains invalid characters: '@'.",
             "@example.com": "There must be something before the @-sign.",
             "ada@": "There must be something after the @-sign.",
             "ada@localhost": "The part after the @-sign is not valid. It should have a period.",
             "a" * 2049: "Length must not exceed 2048 characters"}
    for email, reason in cases.items():
        response = client.post(URL, json={"email": email}, headers=key_headers)
        assert response.status_code == 422
        # 1.13's 422 handler keeps type, loc and msg only: no ctx, no input
        assert response.json()["detail"] == [{
            "type": "value_error", "loc": ["body", "email"], "msg": f"value is not a valid email address: {reason}"}]
    assert client.get(URL, headers=key_headers).json() == {"message": "No user registered"}


# What pydantic 2.13's EmailStr with email-validator 2.4.0 (Langflow 1.13) answered for each, word for word.
REFUSED = {
    "nope": "An email address must have an @-sign.",
    "ada＠example.com": 'The email address has the "full-width" at-sign (@) character instead of a regular at-sign.',
    "ada @example.com": "The email address contains invalid characters before the @-sign: SPACE.",
    "ada(x)@example.com": "The email address contains invalid characters before the @-sign: '(', ')'.",
    "ada;bob@example.com": "The email address contains invalid characters before the @-sign: ';'.",
    "mailto:ada@example.com": "The email address contains invalid characters before the @-sign: ':'.",
    ".ada@example.com": "An email address cannot start with a period.",
    "ada.@example.com": "An email address cannot have a period immediately before the @-sign.",
    "ada..lovelace@example.com": "An email address cannot have two periods in a row.",
    '"ada lovelace"@example.com': "Quoting the part before the @-sign is not allowed here.",
    "ada@example .com": "The part after the @-sign contains invalid characters: SPACE.",
    "ada@exam_ple.com": "The part after the @-sign contains invalid characters: '_'.",
    "ada@example,com": "The part after the @-sign contains invalid characters: ','.",
    "ada@example.com>": "The part after the @-sign contains invalid characters: '>'.",
    "ada@.example.com": "An email address cannot have a period immediately after the @-sign.",
    "ada@example.com.": "An email address cannot end with a period.",
    "ada@example..com": "An email address cannot have two periods in a row.",
    "ada@-example.com": "An email address cannot have a hyphen immediately after the @-sign.",
    "ada@example-.com": "An email address cannot have a period and a hyphen next to each other.",
    "ada@ab--cd.com": "An email address cannot have two letters followed by two dashes immediately after the @-sign or "
                      "after a period, except Punycode.",
    "ada@example.123": "The part after the @-sign is not valid. It is not within a valid top-level domain.",
    "ada@printer.local": "The part after the @-sign is a special-use or reserved name that cannot be used with email.",
    "ada@[127.0.0.1]": "A bracketed IP address after the @-sign is not allowed here.",
    "ada@" + "b" * 64 + ".com": "After the @-sign, periods cannot be separated by so many characters (1 character "
                                "too many).",
    "a" * 250 + "@example.com": "The email address is too long (8 characters too many).",
    "Ada, Countess <ada@example.com>": "The display name contains invalid characters when not quoted: ','.",
    "Ada <ada@example.com": "An open angle bracket at the start of the email address has to be followed by a close "
                            "angle bracket at the end.",
}


@pytest.mark.parametrize(("email", "reason"), REFUSED.items(), ids=range(len(REFUSED)))
def test_email_validator_s_reason_is_the_message(email: str, reason: str) -> None:
    with pytest.raises(PydanticCustomError) as refused:
        email_address(email)
    assert (refused.value.type, refused.value.message()) == (
        "value_error", f"value is not a valid email address: {reason}")


# EmailStr keeps email-validator's normalized form: the address out of "Name <...>", stripped, the domain lowercased
# (and decoded from Punycode), the RFC 2142 mailboxes lowercased; no limit of 64 before the @-sign.
ACCEPTED = {
    "Ada Lovelace <Ada@Example.COM>": "Ada@example.com",
    '"Ada" <ada@example.com>': "ada@example.com",
    "  ada@example.com  ": "ada@example.com",
    "Postmaster@Example.com": "postmaster@example.com",
    "ada+tag@sub.Example.org": "ada+tag@sub.example.org",
    "ada@Bücher.de": "ada@bücher.de",
    "ada@xn--bcher-kva.de": "ada@bücher.de",
    "josé@example.com": "josé@example.com",
    "x" * 65 + "@example.com": "x" * 65 + "@example.com",
}


@pytest.mark.parametrize(("email", "normalized"), ACCEPTED.items(), ids=range(len(ACCEPTED)))
def test_the_normalized_address_is_kept(email: str, normalized: str) -> None:
    assert email_address(email) == normalized


def test_the_registered_address_is_the_normalized_one(client: TestClient, key_headers: dict[str, str]) -> None:
    answer = client.post(URL, json={"email": "Ada Lovelace <Ada@XN--BCHER-KVA.de> "}, headers=key_headers)
    assert (answer.status_code, answer.json()) == (200, {"email": "Ada@bücher.de"})
    assert client.get(URL, headers=key_headers).json()["email"] == "Ada@bücher.de"


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
