"""schemathesis with real Langflow 1.13's OpenAPI document (openapi/langflow-1.13.0.json, the checked-in copy),
restricted to the operations the mock serves: requests are made from Langflow's own schemas, and the mock's
answers must conform to Langflow's response schemas, as its own checks demand of its own document.

Where Langflow's document contradicts what Langflow itself sends (it says application/json for downloads and
streams), the recordings win: REAL_SPEC_IS_WRONG names those operations and the recording that proves it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import content_type_conformance

from tests.reliability.fuzzing import (
    LONG,
    REAL_SPEC,
    Tally,
    fuzz_operation,
    mock_app,
    operations,
    running,
    served,
    validate,
)

SHARDS = 2
EXAMPLES = 100 if LONG else 6
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}

# Operations whose 200 the recordings show in another media type than Langflow's document claims (JSON).
REAL_SPEC_IS_WRONG = {
    "GET /api/v2/files/{file_id}": "files_v2_download (application/octet-stream)",
    "GET /api/v1/files/download/{flow_id}/{file_name}": "files_v1_download (application/octet-stream)",
    "GET /api/v1/files/images/{flow_id}/{file_name}": "files_v1_image (image/png)",
    "GET /api/v1/files/profile_pictures/{folder_name}/{file_name}": "files_v1_profile_picture (image/svg+xml)",
    "POST /api/v1/flows/download/": "flows_download_multi (application/x-zip-compressed)",
    "GET /api/v1/projects/download/{project_id}": "projects_download (application/x-zip-compressed)",
    "POST /api/v2/files/batch/": "files_v2_batch_download (application/x-zip-compressed)",
    "POST /api/v1/run/{flow_id_or_name}": "run_stream (text/event-stream)",
    "POST /api/v1/build/{flow_id}/flow": "build_direct (application/x-ndjson)",
    "GET /api/v1/build/{job_id}/events": "build_events_stream (application/x-ndjson)",
    "POST /api/v2/workflows": "wf_stream (text/event-stream)",
    "GET /api/v2/workflows/{job_id}/events": "wf_reattach_events (text/event-stream)",
    # no recording: Langflow's source streams it as text/csv or application/x-ndjson (api/v1/audits.py)
    "GET /api/v1/audits/export": "audits_export (text/csv, application/x-ndjson)",
}


def real_spec_for(app: Any) -> dict[str, Any]:
    """Langflow's document with only the operations the mock serves."""
    spec: dict[str, Any] = json.loads(REAL_SPEC.read_text(encoding="utf-8"))
    mine = served(app)
    paths = {}
    for path, item in spec["paths"].items():
        kept = {k: copy.deepcopy(v) for k, v in item.items()
                if k not in HTTP_METHODS or (k.upper(), path) in mine}
        if set(kept) & HTTP_METHODS:
            paths[path] = kept
    return {**spec, "paths": paths}


def test_the_real_spec_covers_most_of_what_the_mock_serves() -> None:
    spec = real_spec_for(mock_app())
    count = sum(1 for item in spec["paths"].values() for k in item if k in HTTP_METHODS)
    assert count >= 70, count


def exercise(case: Any, key: str) -> None:
    response = case.call(headers={"x-api-key": key})
    wrong = case.operation.label in REAL_SPEC_IS_WRONG
    validate(case, response, skip=[content_type_conformance] if wrong else [])


@pytest.mark.parametrize("shard", range(SHARDS))
def test_the_mock_answers_within_langflows_schemas(shard: int) -> None:
    app = mock_app()
    with running(app) as key:
        schema = schemathesis.openapi.from_dict(real_spec_for(app))
        schema.app = app
        mine = [op for i, op in enumerate(sorted(operations(schema), key=lambda o: o.label)) if i % SHARDS == shard]
        tally = Tally()
        for operation in mine:
            fuzz_operation(operation, key, EXAMPLES, tally, exercise)
    print(f"schemathesis real spec, shard {shard}: {tally.cases} cases over {len(mine)} operations")  # noqa: T201
    assert not tally.failures, tally.report()


def test_langflows_structured_422_for_an_unknown_stream_protocol_is_excused() -> None:
    """Langflow 1.13 refuses an unknown stream_protocol with a 422 whose detail is an object (the protocols there
    are), where its document declares HTTPValidationError's list; the long fuzz once drew such a body."""
    app = mock_app()
    with running(app) as key:
        schema = schemathesis.openapi.from_dict(real_spec_for(app))
        schema.app = app
        operation = next(op for op in operations(schema) if op.label == "POST /api/v2/workflows")
        case = operation.Case(body={"flow_id": "67ccd2be-17f0-8190-81ff-3bb2cf6508e6", "input_value": "x",
                                    "mode": "stream", "stream_protocol": "hang"}, media_type="application/json")
        exercise(case, key)
