"""schemathesis against the mock's own OpenAPI document, in process: every operation, valid and invalid input,
then stateful sequences along the links schemathesis infers (create a flow, then read, patch, delete it...).

No answer may be a 5xx or break its schema (but the answers Langflow gives on purpose outside its document,
fuzzing.DELIBERATE), its content type or headers, accept input the schema forbids, or leave Langflow's error
shapes; no request may raise out of the app. CI runs the short profile (>= 2,000 cases); MOCK_LANGFLOW_LONG=1
runs >= 20,000.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings

from tests.conftest import new_api_key
from tests.reliability.fuzzing import LONG, Tally, fuzz_operation, mock_app, operations, running, validate

SHARDS = 4
# Cases per operation and generation mode: with 81 operations (a few have fewer distinct inputs than that)
# this gives 2,000+ cases in the short profile and 20,000+ in the long one.
EXAMPLES = 150 if LONG else 15
MIN_CASES = 20_000 if LONG else 2_000
SCENARIOS = 300 if LONG else 25


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_operation_answers_within_its_schema(shard: int) -> None:
    app = mock_app()
    with running(app) as key:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        mine = [op for i, op in enumerate(sorted(operations(schema), key=lambda o: o.label)) if i % SHARDS == shard]
        tally = Tally()
        for operation in mine:
            fuzz_operation(operation, key, EXAMPLES, tally)
    print(f"schemathesis own spec, shard {shard}: {tally.cases} cases over {len(mine)} operations")  # noqa: T201
    assert not tally.failures, tally.report()
    assert tally.cases >= MIN_CASES // SHARDS


def test_stateful_sequences_along_inferred_links() -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", mock_app())
    tally = Tally()

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        """Each scenario starts on a fresh app. A failure is recorded and the run goes on: schemathesis adapts
        its transitions to what it has seen, so a failing scenario would not replay the same way."""

        def setup(self) -> None:
            self.app = mock_app()
            self.client = TestClient(self.app).__enter__()
            self.key = new_api_key(self.client, "fuzz")

        def teardown(self) -> None:
            self.client.__exit__(None, None, None)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"app": self.app, "headers": {"x-api-key": self.key}}

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            tally.cases += 1
            try:
                validate(case, response)
            except (Exception, BaseExceptionGroup) as exc:
                tally.fail(case.operation.label, f"{type(exc).__name__}: {exc}")

    assert [rule for rule in dir(Workflow) if "__200_" in rule], "schemathesis inferred no links"
    Workflow.run(settings=settings(max_examples=SCENARIOS, stateful_step_count=10, deadline=None, database=None,
                                   suppress_health_check=list(HealthCheck), phases=[Phase.generate]))
    print(f"schemathesis stateful: {tally.cases} calls in {SCENARIOS} scenarios")  # noqa: T201
    assert not tally.failures, tally.report()
    assert tally.cases >= SCENARIOS
