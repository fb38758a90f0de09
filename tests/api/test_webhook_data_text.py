"""A Webhook's `data` given as text (typed on the node, or a /run tweak, as a client tests a webhook flow
without calling the webhook) is read as lfx's build_data reads it, as live 1.13.0 and 1.8.4 servers showed: a
JSON object becomes the Data, text that is no JSON a {"payload": text} whose status says so, JSON that is no
object fails the Webhook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_catalog_components import catalog, edge, node
from tests.conftest import build_job_events, create_flow, new_api_key, run_answer

NOT_A_DICT = ("Error running graph: Error building Component Webhook: \n\n1 validation error for {title}\ndata\n"
              "  Input should be a valid dictionary [type=dict_type, input_value={shown}, input_type={kind}]\n"
              "    For further information visit https://errors.pydantic.dev/{docs}/v/dict_type")


def hook_flow(client: TestClient, headers: dict[str, str], **values: Any) -> str:
    """Webhook (its fields set to `values`) -> Chat Output, stored: its id."""
    components = catalog(client, headers)
    hook, out = node(components, "Webhook", "Webhook-w1", **values), node(components, "ChatOutput", "ChatOutput-o1")
    return str(create_flow(client, headers, {"name": "hook", "data": {"nodes": [hook, out], "edges": [
        edge(hook, "output_data", out, "input_value")]}})["id"])


def run_with_data(make_client: Callable[..., TestClient], data: str, version: str = "1.13.0") -> tuple[int, Any]:
    """/run of Webhook -> Chat Output with the Webhook's data tweaked to `data`: the status and the answer (the
    Chat Output's text, or the error's message)."""
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    return run_answer(client, headers, hook_flow(client, headers), {"tweaks": {"Webhook-w1": {"data": data}}})


@pytest.mark.parametrize(("data", "text"), [
    ('{"a": 1, "b": "x"}', '```json\n{\n  "a": 1,\n  "b": "x"\n}\n```'),
    ('{"a": "\n"}', '```json\n{\n  "a": "\\n"\n}\n```'),  # a quote, a line break, a quote: an escaped line break
    ("not json", '```json\n{\n  "payload": "not json"\n}\n```'),
    ("null", "```json\n{}\n```"),
])
def test_a_data_text_is_read_as_json(make_client: Callable[..., TestClient], data: str, text: str) -> None:
    assert run_with_data(make_client, data) == (200, text)


@pytest.mark.parametrize(("version", "title", "docs"), [("1.13.0", "JSON", "2.13"), ("1.8", "Data", "2.11")])
def test_json_that_is_no_object_fails_the_webhook(make_client: Callable[..., TestClient], version: str, title: str,
                                                  docs: str) -> None:
    assert run_with_data(make_client, "[1, 2]", version) == (
        500, NOT_A_DICT.format(title=title, shown="[1, 2]", kind="list", docs=docs))
    assert run_with_data(make_client, '"x"', version) == (
        500, NOT_A_DICT.format(title=title, shown="'x'", kind="str", docs=docs))
    assert run_with_data(make_client, "5", version) == (
        500, "Error running graph: Error building Component Webhook: \n\n"
             "Error running method \"build_data\": argument of type 'int' is not iterable")


def test_the_status_of_text_that_is_no_json_says_so(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    events = build_job_events(client, headers, hook_flow(client, headers, data="not json"))
    built = next(e["data"]["build_data"]["data"] for e in events
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "Webhook-w1")
    assert built["artifacts"]["output_data"] == {
        "repr": "Invalid JSON payload. Please check the format.\n\nnot json", "raw": {"payload": "not json"},
        "type": "text"}
