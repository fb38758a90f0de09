"""What the schemathesis tests share: the app under test, the checks every answer must pass, the 500s that
are Langflow's own on purpose, and a runner that counts the cases it generated."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jsonschema
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from pydantic import TypeAdapter, ValidationError
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation, BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
)

from mock_langflow import Settings, create_app
from tests.conftest import new_api_key

ROOT = Path(__file__).resolve().parents[2]
REAL_SPEC = ROOT / "openapi" / "langflow-1.13.0.json"

# MOCK_LANGFLOW_LONG=1: the documented long run (README, "Reliability"); CI runs the short profile.
LONG = os.environ.get("MOCK_LANGFLOW_LONG") == "1"

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, response_headers_conformance,
          negative_data_rejection]

# Answers real Langflow 1.13 gives outside its own OpenAPI document, reproduced on purpose (each names its
# recording or Langflow's source): 500s, and a 422 whose detail is a sentence where the document declares
# HTTPValidationError's list. A client that trips on one of them against the mock trips on it in production
# too. Anything else >= 500, or off its declared schema, fails.
DELIBERATE: list[tuple[int, re.Pattern[str], str]] = [
    (422, re.compile(r"^(project_name must be a lowercase deployment slug|Flow ids must be unique$|Request contains "
                     r"invalid Unicode content$|Project snapshot could not be captured safely$|project has no flows "
                     r"to package$)"),
     "1.13 api/v1/projects.py deployment routes: their 422s carry a text where the document types a validation "
     "error list"),
    (500, re.compile(r"File .* not found in flow [0-9a-f-]{36}"), "files_v1_download_missing"),
    (500, re.compile(r"^(Single '[{}]' encountered in format string|unexpected '\{' in field name|expected '\}' "
                     r"before end of string)$"),
     "api/v1/validate.py post_validate_prompt: a template Python's formatter refuses, answered as any failure"),
    (500, re.compile(r'"message": "The requested model provider is not available"'),
     "1.13 services/memory_base/ingestion.py: a flush's or regenerate's preflight_memory_provider_use raises the "
     "model policy's PermissionError, which the routes leave to main.py's catch-all"),
    (500, re.compile(r"^Error ingesting folder to knowledge base\.$"),
     "1.13 api/v1/knowledge_bases.py ingest_folder_to_knowledge_base: a folder the host cannot read"),
    (500, re.compile(r"^\(sqlite3\.IntegrityError\) (NOT NULL|UNIQUE) constraint failed: memory_base\."),
     "1.13 api/v1/memories.py update_memory_base: a null or a name in use reaches its database unchecked"),
    (500, re.compile(r'\{"message":.*"traceback":null'), "run_empty_flow_min (fact 15)"),
    (500, re.compile(r"'NoneType' object has no attribute 'get'"), "flows_download_multi_with_null_data_500"),
    (500, re.compile(r"^An internal error occurred while downloading project flows\.$"),
     "api/v1/projects_files.py download_project_flows: a flow without a graph in the project"),
    (500, re.compile(r"MCP configuration can only be installed from a local connection"),
     "api/v1/mcp_projects.py install_mcp_config: the test client is not on loopback"),
    (500, re.compile(r"^404: Project not found$"),
     "api/v1/mcp_projects.py check_installed_mcp_servers (every release; 1.8's project GET for another's project): "
     "the route's catch-all rewraps its 404"),
    (500, re.compile(r"^Server already exists\.$"), "api/v2/mcp.py add_server"),
    (500, re.compile(r"^Server not found\.$"), "api/v2/mcp.py delete_server"),
    (500, re.compile(r"JOB_FAILED"), "api/v2/workflows.py get_workflow_status of a failed job"),
    (500, re.compile(r"cannot access local variable 'result'"),
     "agentic/services/assistant_service.py (1.8): /agentic/assist with a negative max_retries runs no attempt"),
    (501, re.compile(r"^Log retrieval is disabled$"),
     "logs.py logs / stream_logs: the log buffer is off by default (LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE 0)"),
    (500, re.compile(r'"message": "date value out of range"'),
     "services/tracing/repository.py fetch_traces (1.13): ensure_utc of an offset time filter off the calendar"),
    (500, re.compile(r"^(Vertex .* not found|Invalid flow ID|You can only provide one of stop_component_id or "
                     r"start_component_id|Invalid payload\. Expected keys 'nodes' and 'edges'\. Found .*|Vertex data "
                     r"for .* does not contain an id|Error while creating graph from payload: .*)$", re.DOTALL),
     "api/v1/chat.py retrieve_vertices_order / build_vertex: any failure making the graph or finding the vertex"),
    (500, re.compile(r"validation error for FlowRead.*Flow must have (nodes|edges)"),
     "api/v1/flow_version.py activate_version (1.13): its FlowRead refuses the version's graph"),
    (422, re.compile(r"^Flow\(s\) with the following IDs already exist: "),
     "api/v1/flows.py create_flows: an id in use (or given twice) in POST /flows/batch/"),
    (422, re.compile(r"^Content-Type header must be 'multipart/form-data'"), "files_v1_upload_no_file_422"),
    (422, re.compile(r"^Invalid upload: duplicate flow IDs are not allowed$"),
     "api/v1/flows.py upload_file: one id twice in the uploaded file"),
    (422, re.compile(r'"code": "UNKNOWN_STREAM_PROTOCOL"'),
     "wf_stream_bad_protocol_422: a structured detail naming the protocols there are"),
    (422, re.compile(r"^component must not be blank$"),
     "api/v1/catalog_policy.py get_component_usage_flows (1.13): a blank component key, refused with a text"),
    (422, re.compile(r"^Provide either flow_id or project_id, not both$"),
     "api/v1/model_provider_policy_scope.py resolve_provider_policy_attributes (1.13): the integration catalog's "
     "and the OAuth registrations' scope"),
    (422, re.compile(r"^(A trigger can only use a connection its owner owns\.|A deployment binding requires "
                     r"deployment_id\.$|mechanism_id is derived from the trigger's connection|This trigger's "
                     r"configuration and connection are set on its component|A trigger cannot pin a flow version "
                     r"without flow data\.$|A '.*' trigger is created by adding its component)"),
     "1.13 api/v1/triggers.py create_trigger / update_trigger: the trigger service's ValueError, answered as a 422 "
     "with its text (services/triggers/ownership.py TriggerConnectionNotOwnedError among them)"),
    (400, re.compile(r"OAuth authorization failed\. Return to connections and start again\."),
     "api/v1/connections.py (1.13): the consent callback and browser handoff answer an HTML page, not JSON"),
    (429, re.compile(r"<title>Too many OAuth attempts</title>"),
     "main.py rate_limit_exception_handler (1.13): the consent pages' rate limit answers an HTML page"),
]


def deliberate(status: int, body: Any) -> bool:
    """Whether an answer is one of Langflow's own off-document answers (DELIBERATE)."""
    if status < 400:
        return False
    detail = body.get("detail", body) if isinstance(body, dict) else body
    text = detail if isinstance(detail, str) else json.dumps(detail, default=repr)  # bytes: a body not JSON
    return any(status == s and pattern.search(text) for s, pattern, _ in DELIBERATE)


def excused(checks: list[Any], status: int, body: Any) -> list[Any]:
    """The checks left for an answer: a deliberate one is neither a server error nor bound to its schema."""
    if not deliberate(status, body):
        return checks
    return [c for c in checks if c not in (not_a_server_error, response_schema_conformance)]


def error_shape_problem(status: int, body: Any, with_input: bool = False) -> str | None:
    """Why a 4xx/5xx body is not in one of Langflow's error shapes, or None when it is: {"detail": <str>},
    {"detail": <dict>}, {"detail": [422 items of type/loc/msg(/ctx), never input (but before 1.13: `with_input`)
    or url]}, or a v2 404
    {"error", "code", "message", ...} at the top level (1.13's resume 404 has no message), or a data subject 404
    {"code", "message", ...} there (Langflow's 404 handler lifts a dict detail); deliberate 500s may be
    {"message"} (fact 35)."""
    if not isinstance(body, dict):
        return f"a {status} whose body is not a JSON object: {body!r:.200}"
    if "detail" not in body:
        structured = {"error", "code", "message"} <= set(body) or (status == 404 and (
            {"error", "code"} <= set(body) or {"code", "message"} <= set(body)))
        if structured or (status >= 500 and "message" in body):
            return None
        return f"a {status} without `detail`: {body!r:.200}"
    detail = body["detail"]
    if isinstance(detail, str | dict):
        return None
    if not isinstance(detail, list):
        return f"a {status} whose detail is {type(detail).__name__}"
    for item in detail:
        if not isinstance(item, dict) or not {"type", "loc", "msg"} <= set(item):
            return f"a 422 item that is not type/loc/msg: {item!r:.200}"
        if set(item) - {"type", "loc", "msg", "ctx", *(["input"] if with_input else [])}:
            return f"a 422 item with fields Langflow 1.13 leaves out (fact 45): {sorted(set(item))}"
    return None


def body_of(response: Any) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return response.content[:200]


def is_multipart(operation: APIOperation) -> bool:
    body = operation.definition.raw.get("requestBody") or {}
    return "multipart/form-data" in body.get("content", {})


def routed_elsewhere(case: Any) -> bool:
    """A path value ending in a newline: Starlette's `$` matches it as if the segment were empty, so
    /api/v1/flows/%0A is answered by GET /api/v1/flows/ (a list), in real Langflow as in the mock, and the
    answer is not this operation's. schemathesis keeps path values percent-encoded ("%0A")."""
    return any(isinstance(v, str) and unquote(v).endswith("\n") for v in (case.path_parameters or {}).values())


def _resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


# JSON scalar types, the Python values that are exactly of them, and pydantic's lax reader of each.
SCALARS: dict[str, tuple[Callable[[Any], bool], TypeAdapter[Any] | None]] = {
    "boolean": (lambda v: isinstance(v, bool), TypeAdapter(bool)),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), TypeAdapter(int)),
    "number": (lambda v: isinstance(v, int | float) and not isinstance(v, bool), TypeAdapter(float)),
    "string": (lambda v: isinstance(v, str), None),
    "null": (lambda v: v is None, None),
}


def _as_lax_scalar(value: Any, options: list[dict[str, Any]]) -> Any:
    """A scalar as pydantic's lax mode reads it for the first scalar option that takes it, asked of pydantic
    itself (0.0 is False, "yes" is True, "5" and 5.0 are 5, true is 1); unchanged when it is already of one.
    A query value is text on the wire: a string option keeps it, others read it as pydantic does ("0.0" is 0)."""
    kinds = [SCALARS[o["type"]] for o in options if o.get("type") in SCALARS]
    if isinstance(value, dict | list) or any(exact(value) for exact, _ in kinds):
        return value
    for _, reader in kinds:
        if reader is not None:
            try:
                return reader.validate_json(json.dumps(value))
            except ValidationError:
                continue
    return value


def as_pydantic_reads_body(value: Any, schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A JSON body value as pydantic's lax mode reads it where that differs from the schema's letter: a number
    given for a date-time is a Unix timestamp (any date-time stands for it here), and a scalar of another JSON
    type than the field's is converted where pydantic converts it."""
    options = [_resolved(s, components) for s in _resolved(schema, components).get("anyOf", [schema])]
    if isinstance(value, int | float) and not isinstance(value, bool) and any(
            o.get("type") == "string" and o.get("format") == "date-time" for o in options):
        return "1970-01-01T00:00:00Z"
    value = _as_lax_scalar(value, options)
    for option in options:
        if isinstance(value, dict) and "properties" in option:
            return {k: as_pydantic_reads_body(v, option["properties"][k], components)
                    if k in option["properties"] else v for k, v in value.items()}
        if isinstance(value, list) and "items" in option:
            return [as_pydantic_reads_body(v, option["items"], components) for v in value]
    return value


def as_langflow_reads_body(case: Any, value: Any) -> Any:
    """A body as the operation's own model reads it before checking it against the schema: 1.13's catalog keys
    without their surrounding whitespace; its provider policy takes each approved id as lfx resolves it (a name,
    alias or any text: its derived id), which then passes the pattern however the text broke it
    (api/v1/model_provider_policy.py canonicalize_provider_ids; the policy bundle's body takes them the same
    way)."""
    if not isinstance(value, dict):
        return value
    if case.operation.path.startswith(("/api/v1/catalog-policy/", "/api/v1/policy-bundle")):
        # 1.13's catalog keys are stripped before their length is checked (StringConstraints strip_whitespace)
        value = {**value, **{name: [v.strip() if isinstance(v, str) else v for v in value[name]]
                             for name in ("blocked", "blocked_component_keys", "blocked_template_keys")
                             if isinstance(value.get(name), list)}}
    if case.operation.path in ("/api/v1/model-provider-policy", "/api/v1/policy-bundle") and isinstance(
            value.get("approved_provider_ids"), list):
        from mock_langflow.model_catalog import catalog_for

        resolve = catalog_for("1_13", "policy").resolve_id
        return {**value, "approved_provider_ids": [resolve(v) if isinstance(v, str) and v.strip() else v
                                                   for v in value["approved_provider_ids"]]}
    return value


def _body_accepted(case: Any, components: dict[str, Any]) -> bool:
    content = (case.operation.definition.raw.get("requestBody") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return False
    read = as_pydantic_reads_body(as_langflow_reads_body(case, case.body), schema, components)
    try:
        jsonschema.validate(read, {**schema, "components": components})
    except jsonschema.ValidationError:
        return False
    return True


def query_as_fastapi_reads_it(url: str, declared: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The declared query parameters of a request as it went out (its URL, not the generated values: a None or
    an empty list in them is not on the wire at all), read as FastAPI reads them: a repeated scalar is its
    last value, an array takes every value, and a parameter absent from the wire is left out."""
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)  # as Starlette parses it
    read: dict[str, Any] = {}
    for name, schema in declared.items():
        values = [value for key, value in pairs if key == name]
        if not values:
            continue
        options = schema.get("anyOf", [schema])
        array = next((o for o in options if o.get("type") == "array"), None)
        if array is not None:
            items = array.get("items", {})
            read[name] = [_as_lax_scalar(value, items.get("anyOf", [items])) for value in values]
        else:
            read[name] = _as_lax_scalar(values[-1], options)
    return read


def framework_accepts(case: Any, url: str) -> bool:
    """Negative data that is valid by the time FastAPI and pydantic have read it, which real Langflow (the same
    FastAPI) accepts too: query values that only break the schema before the wire (`url`, the request as it
    went out) and lax parsing, a number for a date-time in a JSON body (a Unix timestamp to pydantic), and a
    path value ending in a newline, which Starlette's `$` lets reach the route without the parameter."""
    meta = getattr(case, "meta", None)
    if meta is None or not meta.generation.mode.is_negative:
        return False
    if routed_elsewhere(case):
        return True
    negated = {location.value for location, info in meta.components.items() if info.mode.is_negative}
    if not negated or not negated <= {"query", "body"}:
        return False
    # a schema may $ref the document's components ("#/components/schemas/FlowType")
    components = case.operation.schema.raw_schema.get("components", {})
    if "body" in negated and not _body_accepted(case, components):
        return False
    # an undeclared parameter is left out: FastAPI ignores it, as Langflow does
    declared = {p["name"]: {**p.get("schema", {}), "components": components}
                for p in case.operation.definition.raw.get("parameters", []) if p.get("in") == "query"}
    for name, value in query_as_fastapi_reads_it(url, declared).items():
        try:
            jsonschema.validate(value, declared[name])
        except jsonschema.ValidationError:
            return False
    return True


# Operations whose answers carry Langflow's naive times (its SQLite columns read back without a zone, as 1.13's
# authorization rows, triggers, policy bundle revisions and connections are) under a `date-time` format, which RFC
# 3339 gives an offset: their answers are checked against the schema without formats.
NAIVE_TIMES = re.compile(
    r"^/api/v1/(authz/(roles|teams|role-assignments|shares|audit)|triggers|policy-bundle|connections)")


def _naive_times_fit(case: Any, response: Any, body: Any) -> None:
    """The answer of a NAIVE_TIMES operation against its declared schema, date-times not checked for a zone."""
    answers = case.operation.definition.raw.get("responses", {}).get(str(response.status_code), {})
    schema = answers.get("content", {}).get("application/json", {}).get("schema")
    if schema is not None:
        components = case.operation.schema.raw_schema.get("components", {})
        jsonschema.Draft202012Validator({**schema, "components": components}).validate(body)


def validate(case: Any, response: Any, skip: Collection[Callable[..., Any]] = ()) -> None:
    """Every check on one answer but those in `skip`; raises (AssertionError or schemathesis's FailureGroup) on
    the first problem."""
    body = body_of(response)
    checks = [c for c in excused(list(CHECKS), response.status_code, body) if c not in skip]
    # A multipart "file" is bytes whatever schemathesis meant it to be: an object it sends as a file is a file
    # with JSON in it, and accepting it is right.
    if is_multipart(case.operation) or (
            200 <= response.status_code < 300 and framework_accepts(case, str(response.request.url))):
        checks = [c for c in checks if c is not negative_data_rejection]
    elsewhere = routed_elsewhere(case)
    if elsewhere:  # another operation answered: only its status and error shape are checked here
        checks = [c for c in checks if c is not_a_server_error]
    if NAIVE_TIMES.match(case.operation.path) and 200 <= response.status_code < 300 and not elsewhere:
        checks = [c for c in checks if c is not response_schema_conformance]
        _naive_times_fit(case, response, body)
    if checks:  # schemathesis runs every default check when given none
        case.validate_response(response, checks=checks)
    if response.status_code >= 400 and not (isinstance(body, bytes) and deliberate(response.status_code, body)):
        problem = error_shape_problem(response.status_code, body)
        assert problem is None, f"{case.operation.label}: {problem}"


def mock_app(**overrides: Any) -> FastAPI:
    """The app under test: in memory, refusing at once what real Langflow would leave hanging, no job latency."""
    values: dict[str, Any] = {"ephemeral": True, "never_answer": "error", "job_latency_ms": 0, **overrides}
    return create_app(Settings(**values))


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """The app with its lifespan started; yields an API key of the superuser."""
    with TestClient(app) as client:
        yield new_api_key(client, "fuzz")


@dataclass
class Tally:
    cases: int = 0
    failures: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, label: str, text: str) -> None:
        self.failures.setdefault(label, []).append(text)

    def report(self) -> str:
        lines = [f"{len(self.failures)} operations failed ({self.cases} cases):"]
        for label, texts in self.failures.items():
            lines.append(f"== {label}: {len(texts)} failures; first:\n{texts[0][:3000]}")
        return "\n".join(lines)


def fuzz_operation(operation: APIOperation, key: str, examples: int, tally: Tally,
                   exercise: Callable[[Any, str], None] | None = None) -> None:
    """`examples` positive and `examples` negative cases of one operation (fewer when there are not that many
    distinct inputs); each failure is recorded, and the run goes on to the next case."""
    call = exercise or exercise_case
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            _fuzz(operation, mode, key, examples, tally, call)
        except Unsatisfiable:
            pass  # nothing to make invalid (no parameters, no body): the positive run covered it


def _fuzz(operation: APIOperation, mode: GenerationMode, key: str, examples: int, tally: Tally,
          call: Callable[[Any, str], None]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate])
    def run(case: Any) -> None:
        tally.cases += 1
        try:
            call(case, key)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis's FailureGroup is a BaseExceptionGroup
            tally.fail(operation.label, f"[{mode.value}] {type(exc).__name__}: {exc}")

    run()


def exercise_case(case: Any, key: str) -> None:
    response = case.call(headers={"x-api-key": key})
    validate(case, response)


def served(app: Any) -> set[tuple[str, str]]:
    """(METHOD, path) of every route the mock answers, hidden ones included (FastAPI keeps included routers
    as they are and applies their prefix when it routes)."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.update((method, prefix + route.path) for method in route.methods)
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes, prefix + route.include_context.prefix)

    walk(app.routes, "")
    return found


def operations(schema: BaseSchema) -> list[APIOperation]:
    return [result.ok() for result in schema.get_all_operations()]
