"""1.13's GET /api/v1/flows/{flow_id}/note_translations, which 1.13's frontend calls for each note it shows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from mock_langflow.engine import notes
from tests.conftest import create_flow, other_user_key

NOTE_TEXT = "# Start here\nType a question in the Playground, then read the answer."
KEY = f"template_notes.our_template.{hashlib.sha256(NOTE_TEXT.encode()).hexdigest()[:8]}"


def note(node_id: str, text: str, key: str | None) -> dict[str, Any]:
    node: dict[str, Any] = {"description": text, "display_name": ""}
    if key is not None:
        node["i18n_key"] = key
    return {"id": node_id, "type": "noteNode", "position": {"x": 0, "y": 0},
            "data": {"id": node_id, "type": "note", "node": node}}


@pytest.fixture
def template_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own template note key, as if one of Langflow's templates carried it (their texts are Langflow's)."""
    monkeypatch.setattr(notes, "template_note_keys", lambda: frozenset({KEY}))


def test_template_notes_are_answered_with_their_text(client: TestClient, key_headers: dict[str, str],
                                                     chat_flow: dict[str, Any], template_keys: None) -> None:
    graph = chat_flow["data"]
    graph["nodes"] = [*graph["nodes"], note("note-kept", NOTE_TEXT, KEY),
                      note("note-edited", NOTE_TEXT + " Edited.", KEY),  # its text no longer makes its key
                      note("note-own", "Mine", "template_notes.nothing_known.0000abcd"),
                      note("note-plain", "No key", None)]
    flow = create_flow(client, key_headers, chat_flow)
    response = client.get(f"/api/v1/flows/{flow['id']}/note_translations", headers=key_headers)
    assert response.status_code == 200
    assert response.json() == {"note-kept": NOTE_TEXT}
    french = client.get(f"/api/v1/flows/{flow['id']}/note_translations",
                        headers={**key_headers, "Accept-Language": "fr-FR,fr;q=0.9"})
    assert french.json() == {"note-kept": NOTE_TEXT}  # (no locale files: the English text, README)


def test_a_flow_without_notes_or_graph_answers_nothing(client: TestClient, key_headers: dict[str, str],
                                                       chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    assert client.get(f"/api/v1/flows/{flow['id']}/note_translations", headers=key_headers).json() == {}
    bare = create_flow(client, key_headers, {"name": "no graph"})
    assert client.get(f"/api/v1/flows/{bare['id']}/note_translations", headers=key_headers).json() == {}


def test_only_the_owner_reads_a_flows_notes(client: TestClient, key_headers: dict[str, str],
                                            chat_flow: dict[str, Any]) -> None:
    flow = create_flow(client, key_headers, chat_flow)
    bob = {"x-api-key": other_user_key(client, key_headers)}
    for flow_id, headers in ((flow["id"], bob), (str(uuid4()), key_headers)):
        response = client.get(f"/api/v1/flows/{flow_id}/note_translations", headers=headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "Flow not found"}
    assert client.get(f"/api/v1/flows/{flow['id']}/note_translations").status_code == 403
    assert client.get("/api/v1/flows/not-a-uuid/note_translations", headers=key_headers).status_code == 422


def test_older_releases_have_no_note_translations(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8.4")
    key = client.post("/api/v1/api_key/", json={"name": "k"},
                      headers={"Authorization": f"Bearer {client.get('/api/v1/auto_login').json()['access_token']}"})
    flows = client.get(f"/api/v1/flows/{uuid4()}/note_translations", headers={"x-api-key": key.json()["api_key"]})
    assert flows.status_code == 404
    assert flows.json() == {"detail": "Not Found"}
