"""schemathesis over the routes Langflow registers but hides from /openapi.json (include_in_schema=False: the
frontend's routes, flow versions and events, the v2 human-in-the-loop and MCP server routes, AG-UI, A2A...),
in process, valid and invalid input. No document describes their answers, so the checks are the ones every
answer owes: no 5xx (but Langflow's own on purpose, fuzzing.DELIBERATE) and Langflow's error shapes.

Their shapes come from the mock's own routes: an OpenAPI document FastAPI writes for them alone."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from tests.reliability.fuzzing import (
    LONG,
    Tally,
    body_of,
    deliberate,
    error_shape_problem,
    fuzz_operation,
    mock_app,
    operations,
    running,
)

EXAMPLES = 100 if LONG else 10
# Left out: the control API (a reset would take the fuzzer's key away; tests/test_control.py covers it), and
# the MCP transports (JSON-RPC and streams a client holds open, whose sessions live in the app's own event loop;
# tests/api/test_mcp*.py and tests/test_agentic_mcp.py drive them).
SKIPPED_PREFIXES = ("/_mock", "/api/v1/mcp/", "/api/mcp/", "/api/v1/agentic/mcp")


def hidden_operations(app: FastAPI) -> list[Any]:
    """The app's hidden routes as schemathesis operations, from a document FastAPI writes for them."""
    hidden = [route for route in app.routes if isinstance(route, APIRoute) and not route.include_in_schema
              and not route.path.startswith(SKIPPED_PREFIXES)]
    for route in hidden:
        # this app's own copies of the routes (routing.mount), analysed first: a deferred route's analysis sets
        # its options again from what it was given
        assert route.dependant is not None
        route.include_in_schema = True
    document = get_openapi(title="hidden routes", version="0", routes=hidden)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    return sorted(operations(schema), key=lambda operation: operation.label)


def exercise(case: Any, key: str, with_input: bool) -> None:
    response = case.call(headers={"x-api-key": key})
    body = body_of(response)
    assert response.status_code < 500 or deliberate(response.status_code, body), (
        f"{case.operation.label}: {response.status_code} {str(body)[:500]}")
    if response.status_code >= 400:
        problem = error_shape_problem(response.status_code, body, with_input)
        assert problem is None, f"{case.operation.label}: {problem}"


# (1.7.1's document lists every route it has but the MCP transports)
@pytest.mark.parametrize("version", ["1.13", "1.8"])
def test_hidden_routes_never_fail_with_a_server_error(version: str) -> None:
    app = mock_app(langflow_version=version)
    with running(app) as key:
        mine = hidden_operations(app)
        tally = Tally()
        for operation in mine:
            fuzz_operation(operation, key, EXAMPLES, tally,
                           exercise=lambda case, key: exercise(case, key, with_input=version != "1.13"))
    print(f"schemathesis hidden routes of {version}: {tally.cases} cases over {len(mine)} operations")  # noqa: T201
    assert not tally.failures, tally.report()
    assert len(mine) >= 20
