"""The checks Langflow's graph loader makes of every edge before a run or build starts (lfx's Edge: its handles
parsed, their types matched, the source output's types matched with what the target takes), as live 1.13.0 and
1.8.4 servers answered a Chat Input -> Chat Output flow whose one edge was changed so: a client whose flow the mock
runs is one Langflow loads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_catalog_components import catalog, edge, node
from tests.conftest import build_job_events, create_flow, new_api_key, run_answer

HANDLES = "Edge between Chat Input and Chat Output has invalid handles"
NO_MATCH = "Edge between ChatInput and ChatOutput has no matched type."
TYPE_NULL = ("1 validation error for TargetHandle\ntype\n  Input should be a valid string [type=string_type, "
             "input_value=None, input_type=NoneType]\n    For further information visit "
             "https://errors.pydantic.dev/{docs}/v/string_type")


def _source(update: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda e: e["data"]["sourceHandle"].update(update)


def _target(update: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda e: e["data"]["targetHandle"].update(update)


def _drop(handle: str, key: str) -> Callable[[dict[str, Any]], None]:
    return lambda e: e["data"][handle].pop(key)


# name -> (the change, what the run answers: None for the reply, else the error message; both releases alike)
CHANGES: dict[str, tuple[Callable[[dict[str, Any]], None], str | None]] = {
    "as_made": (lambda e: None, None),
    "output_type_taken_by_none": (_source({"output_types": ["Embeddings"]}), HANDLES),
    "no_output_types": (_drop("sourceHandle", "output_types"), HANDLES),
    "empty_input_types": (_target({"inputTypes": []}), HANDLES),
    "no_input_types": (_drop("targetHandle", "inputTypes"), HANDLES),
    "only_the_field_type_matching": (lambda e: (_target({"inputTypes": ["Embeddings"]})(e),
                                                _source({"output_types": ["str"]})(e)), HANDLES),
    "null_input_types": (_target({"inputTypes": None}), "Component  field 'input_value' might not be a valid input."),
    "no_field_type": (_drop("targetHandle", "type"), None),
    "null_field_type": (_target({"type": None}), TYPE_NULL),
    "handles_of_another_output": (lambda e: (_source({"output_types": ["Data"]})(e),
                                             _target({"inputTypes": ["Data"]})(e)), NO_MATCH),
    "unknown_output_name": (_source({"name": "nosuch"}), NO_MATCH),
    "no_data_type": (_drop("sourceHandle", "dataType"), "Error while creating graph from payload: 'data_type'"),
    "legacy_base_classes_taken_by_none": (_source({"baseClasses": ["Embeddings"], "output_types": ["Embeddings"]}),
                                          "Edge between ChatInput and ChatOutput has invalid handles"),
    "legacy_base_classes": (_source({"baseClasses": ["Message"]}),
                            "'InterfaceVertex' object has no attribute 'output'"),
}


def changed_flow(client: TestClient, headers: dict[str, str], change: Callable[[dict[str, Any]], None]) -> str:
    """Chat Input -> Chat Output, its edge changed by `change`, stored: its id."""
    components = catalog(client, headers)
    chat_in, chat_out = node(components, "ChatInput", "ChatInput-a1"), node(components, "ChatOutput", "ChatOutput-o1")
    wire = edge(chat_in, "message", chat_out, "input_value")
    change(wire)
    return str(create_flow(client, headers, {"name": "edge", "data": {"nodes": [chat_in, chat_out],
                                                                       "edges": [wire]}})["id"])


def run_changed(make_client: Callable[..., TestClient], change: Callable[[dict[str, Any]], None],
                version: str) -> tuple[int, str]:
    client = make_client(langflow_version=version, job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    return run_answer(client, headers, changed_flow(client, headers, change), {"input_value": "hi"})


@pytest.mark.parametrize(("version", "docs"), [("1.13.0", "2.13"), ("1.8", "2.11")])
@pytest.mark.parametrize("name", list(CHANGES))
def test_an_edge_langflow_refuses_fails_the_run(make_client: Callable[..., TestClient], name: str, version: str,
                                               docs: str) -> None:
    change, refusal = CHANGES[name]
    expected = (200, "hi") if refusal is None else (500, refusal.format(docs=docs))
    assert run_changed(make_client, change, version) == expected


def test_1_13_matches_old_type_names_with_new_ones_and_1_8_does_not(make_client: Callable[..., TestClient]) -> None:
    """1.13 migrates Data to JSON (and DataFrame to Table) when it matches handles; 1.8 knows one name only."""
    renamed = _source({"output_types": ["Data"]}), _target({"inputTypes": ["JSON"]})

    def change(e: dict[str, Any]) -> None:
        for one in renamed:
            one(e)
    assert run_changed(make_client, change, "1.13.0") == (500, NO_MATCH)  # the handles pass; the output's types do not
    assert run_changed(make_client, change, "1.8") == (500, HANDLES)


def test_a_build_of_such_a_flow_fails_before_any_vertex(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    events = build_job_events(client, headers, changed_flow(client, headers, _source({"output_types": ["Embeddings"]})))
    assert [e["event"] for e in events] == ["error", "error"]
    assert events[-1]["data"] == {"error": f"500: {HANDLES}"}
