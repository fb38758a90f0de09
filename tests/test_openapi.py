"""The checked-in OpenAPI documents, one per version profile: each is what the app serves in that profile, it
names every operation as that Langflow release does, and the check that guards them notices when one goes
stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import load_json

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ("1.13.0", "1.8.4", "1.7.1")
SPEC = ROOT / "openapi" / "mock-langflow-1.13.0.json"
# Operations whose id differs from Langflow's on purpose, with the reason (none today).
KNOWN_ID_MISMATCHES: dict[str, str] = {}


def langflow_operation_ids(version: str) -> dict[str, str]:
    """"METHOD /path" -> operationId of every operation in that real Langflow release's /openapi.json."""
    ids: dict[str, str] = load_json(f"langflow-{version}-operation-ids.json")
    return ids


def spec(version: str = "1.13.0") -> dict[str, Any]:
    path = ROOT / "openapi" / f"mock-langflow-{version}.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def operations(version: str = "1.13.0") -> list[tuple[str, dict[str, Any]]]:
    return [(f"{method.upper()} {path}", op)
            for path, ops in spec(version)["paths"].items() for method, op in ops.items()]


def cli_env() -> dict[str, str]:
    """PATH leads to this interpreter, so the script's `python3` is the one the package is installed in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGFLOW_", "MOCK_LANGFLOW_"))}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def check_openapi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mock_langflow", "check-openapi", *args], capture_output=True,
                          text=True, timeout=60, env=cli_env(), cwd=ROOT)


def test_check_openapi_script_passes_on_the_checked_in_document() -> None:
    result = subprocess.run([str(ROOT / "scripts" / "check-openapi")], capture_output=True, text=True, timeout=60,
                            env=cli_env(), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "matches the app" in result.stdout


@pytest.mark.parametrize("version", VERSIONS)
def test_served_openapi_is_the_checked_in_document(make_client: Callable[..., TestClient], version: str) -> None:
    response = make_client(langflow_version=version).get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == spec(version)
    assert response.json()["info"] == {"title": "Langflow", "version": version}


def test_serving_one_releases_document_leaves_anothers_alone(make_client: Callable[..., TestClient]) -> None:
    """1.7.1 derives from 1.8 and edits its document further (binary files): a 1.8 server in the same process
    after a 1.7.1 one still serves 1.8's document (they once shared the edited schemas)."""
    assert make_client(langflow_version="1.7.1").get("/openapi.json").json() == spec("1.7.1")
    assert make_client(langflow_version="1.8.4").get("/openapi.json").json() == spec("1.8.4")


@pytest.mark.parametrize("version", VERSIONS)
def test_every_operation_has_a_unique_operation_id(version: str) -> None:
    ops = operations(version)
    assert ops
    missing = [name for name, op in ops if not op.get("operationId")]
    assert missing == []
    # A route of several methods has one id for all of them, in Langflow's documents as in ours.
    shared = {op_id: sorted(name for name, op in ops if op["operationId"] == op_id)
              for op_id in {op["operationId"] for _, op in ops}}
    paths = {op_id: {name.split(" ", 1)[1] for name in names} for op_id, names in shared.items()}
    assert {op_id: names for op_id, names in shared.items() if len(paths[op_id]) > 1} == {}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_ID_MISMATCHES[name], strict=True))
    if name in KNOWN_ID_MISMATCHES else name
    for name, _ in operations()
])
def test_operation_id_is_langflows(name: str) -> None:
    op = dict(operations())[name]
    ids = langflow_operation_ids("1.13.0")
    assert name in ids, f"{name} is not an operation of Langflow 1.13.0"
    assert op["operationId"] == ids[name]


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_profiles_list_only_that_releases_operations_under_its_ids(version: str) -> None:
    ids = langflow_operation_ids(version)
    ours = dict(operations(version))
    assert [name for name in ours if name not in ids] == []
    assert {name: op["operationId"] for name, op in ours.items()} == {name: ids[name] for name in ours}


def test_check_openapi_fails_on_a_stale_document(tmp_path: Path) -> None:
    same = tmp_path / "same.json"
    same.write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    assert check_openapi(str(same)).returncode == 0
    document = spec()
    document["paths"]["/api/v1/flows/"]["get"]["summary"] = "Changed by hand"
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    result = check_openapi(str(stale))
    assert result.returncode == 1
    assert str(stale) in result.stderr and "differs" in result.stderr


def test_a_document_that_cannot_be_written_or_read_is_a_one_line_error(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("a file")
    cases = [
        (["export-openapi", "--langflow-version", "1.13.0", "--output", str(a_file / "spec.json")],
         f"mock-langflow: cannot write {a_file / 'spec.json'}: {a_file} is not a directory"),
        (["export-openapi", "--langflow-version", "1.13.0", "--output", str(tmp_path)],
         f"mock-langflow: cannot write {tmp_path}: Is a directory"),
        (["check-openapi", "--langflow-version", "1.13.0", str(tmp_path)],
         f"mock-langflow: cannot read {tmp_path}: Is a directory"),
    ]
    for args, line in cases:
        result = subprocess.run([sys.executable, "-m", "mock_langflow", *args], capture_output=True, text=True,
                                timeout=120, env=cli_env())
        assert (result.returncode, result.stdout, result.stderr.splitlines()) == (2, "", [line])


# Operations 1.13 leaves out of its document which the older release lists: every one the mock serves must be
# listed too (the MCP transports; in 1.7.1 also login, API keys, variables, folders and legacy routes).
LISTED_BY_OLDER = {
    "1.8.4": ["GET /api/v1/mcp/sse", "HEAD /api/v1/mcp/sse", "POST /api/v1/mcp/streamable", "GET /api/mcp/sse",
              "DELETE /api/v1/mcp/project/{project_id}/streamable/", "POST /api/v1/mcp/project/{project_id}"],
    "1.7.1": ["GET /api/v1/variables/", "POST /api/v1/variables/", "DELETE /api/v1/variables/{variable_id}",
              "POST /api/v1/login", "GET /api/v1/auto_login", "GET /api/v1/api_key/", "GET /api/v1/folders/",
              "POST /api/v1/folders/upload/", "POST /api/v1/predict/{_flow_id}", "GET /api/v1/mcp/sse",
              "POST /api/v1/run/session/{flow_id_or_name}", "POST /api/v1/upload/{flow_id}"],
}


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_profiles_list_every_served_operation_that_release_lists(
        make_client: Callable[..., TestClient], version: str) -> None:
    ids = langflow_operation_ids(version)
    client = make_client(langflow_version=version)
    served = {f"{method} {route.path}" for route in client.app.routes  # type: ignore[attr-defined]
              for method in getattr(route, "methods", None) or () if method != "OPTIONS"}
    listed = {f"{method.upper()} {path}" for path, ops in client.get("/openapi.json").json()["paths"].items()
              for method in ops}
    assert sorted((served & set(ids)) - listed) == []
    assert [name for name in LISTED_BY_OLDER[version] if name not in listed] == []
    assert listed - set(ids) == set()


def test_older_profiles_name_a_listed_route_of_several_methods_as_that_release_does(
        make_client: Callable[..., TestClient]) -> None:
    for version, method in (("1.8.4", "post"), ("1.7.1", "get")):
        paths = make_client(langflow_version=version).get("/openapi.json").json()["paths"]
        transport = paths["/api/v1/mcp/streamable"]
        assert {transport[m]["operationId"] for m in ("get", "post", "delete")} == {
            f"handle_streamable_http_api_v1_mcp_streamable_{method}"}


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_older_profiles_declare_no_if_match_on_a_flow_patch(version: str) -> None:
    # If-Match came with 1.13's optimistic lock; 1.8.4's and 1.7.1's documents name flow_id alone.
    parameters = spec(version)["paths"]["/api/v1/flows/{flow_id}"]["patch"]["parameters"]
    assert [p["name"] for p in parameters] == ["flow_id"]
    assert "If-Match" in [p["name"] for p in spec()["paths"]["/api/v1/flows/{flow_id}"]["patch"]["parameters"]]


# --- request schemas as each release's document has them ---------------------------------------------------------
# langflow-request-schemas.json holds, for the operations whose request side differed from the real release's
# document before (fields 1.13 added listed in older releases, types 1.13 changed), their parameters and request
# body as that release's /openapi.json has them: $refs resolved, descriptions, titles and examples left out, which
# is what a client generates its SDK from.
NOT_SHAPE = frozenset({"description", "title", "examples", "example"})


def _resolved(node: Any, document: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    if isinstance(node, list):
        return [_resolved(item, document, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return {"$cycle": name}
        return _resolved(document["components"]["schemas"][name], document, (*seen, name))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {name: _resolved(schema, document, seen) for name, schema in value.items()}
        elif key == "required" and isinstance(value, list):
            out[key] = sorted(value)
        elif not (key in NOT_SHAPE and isinstance(value, str | list)):
            out[key] = _resolved(value, document, seen)
    return out


def request_side(document: dict[str, Any], name: str) -> dict[str, Any]:
    """An operation's parameters (by "in:name": required and schema) and request body (required, schema by
    content type), resolved and without descriptions."""
    method, path = name.split(" ", 1)
    operation = document["paths"][path][method.lower()]
    side: dict[str, Any] = {"parameters": {
        f"{p['in']}:{p['name']}": {"required": p.get("required", False), "schema": _resolved(p["schema"], document)}
        for p in operation.get("parameters", [])}}
    if (body := operation.get("requestBody")) is not None:
        side["body"] = {"required": body.get("required", False),
                        "content": {kind: _resolved(c["schema"], document) for kind, c in body["content"].items()}}
    return side


@pytest.mark.parametrize("version", VERSIONS)
def test_request_schemas_are_the_releases(version: str) -> None:
    expected: dict[str, Any] = load_json("langflow-request-schemas.json")[version]
    assert expected
    document = spec(version)
    assert {name: request_side(document, name) for name in expected} == expected


def test_older_releases_list_no_flow_fields_1_13_added() -> None:
    # The request models are 1.13's; 1.8.4 and 1.7.1 document a flow create without these (nor its own id).
    added = {"flow_type", "a2a_enabled", "a2a_card_overrides", "workspace_id"}
    assert added | {"id"} <= set(spec()["components"]["schemas"]["FlowCreate"]["properties"])
    for version in ("1.8.4", "1.7.1"):
        schemas = spec(version)["components"]["schemas"]
        assert set(schemas["FlowCreate"]["properties"]) & (added | {"id"}) == set()
        assert set(schemas["FlowUpdate"]["properties"]) & added == set()


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4"])
def test_a_workflow_stop_answers_langflows_stop_response(version: str) -> None:
    # WorkflowStopResponse in both releases' documents: the job id as the request types it, the message optional.
    document = spec(version)
    answer = document["paths"]["/api/v2/workflows/stop"]["post"]["responses"]["200"]["content"]["application/json"]
    assert _resolved(answer["schema"], document) == {
        "properties": {"job_id": {"anyOf": [{"type": "string"}, {"format": "uuid", "type": "string"}]},
                       "message": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
        "required": ["job_id"], "type": "object"}


@pytest.mark.parametrize("version", VERSIONS)
def test_times_are_typed_date_time_as_in_langflows_documents(version: str) -> None:
    # Sent as text in each release's own format, but every release's document types them as date-time.
    schemas = spec(version)["components"]["schemas"]
    date_time = {"format": "date-time", "type": "string"}
    assert {k: v for k, v in schemas["UserRead"]["properties"]["create_at"].items() if k != "title"} == date_time
    assert schemas["UserRead"]["properties"]["last_login_at"]["anyOf"][0] == date_time
    assert schemas["FlowRead"]["properties"]["updated_at"]["anyOf"][0] == date_time
    if version == "1.7.1":  # the only document listing the API key routes
        assert schemas["ApiKeyRead"]["properties"]["last_used_at"]["anyOf"][0] == date_time


# Fields Langflow's models give a default are not required in its documents; the mock always sends them.
REQUIRED = {
    "UserRead": ["create_at", "is_active", "is_superuser", "last_login_at", "profile_image", "store_api_key",
                 "updated_at", "username"],
}
# A user's file, under the component name each release's document gives it.
USER_FILE = {"1.13.0": "langflow__services__database__models__file__model__File",
             "1.8.4": "langflow__services__database__models__file__model__File", "1.7.1": "File"}
REQUIRED_1_7_1 = {"VariableRead": ["id"], "ApiKeyRead": ["api_key", "created_at", "id", "user_id"],
                  "UnmaskedApiKeyRead": ["api_key", "id", "user_id"],
                  "Token": ["access_token", "refresh_token", "token_type"]}


@pytest.mark.parametrize("version", VERSIONS)
def test_required_fields_are_the_releases(version: str) -> None:
    schemas = spec(version)["components"]["schemas"]
    expected = {**REQUIRED, USER_FILE[version]: ["name", "path", "size", "user_id"],
                **(REQUIRED_1_7_1 if version == "1.7.1" else {})}
    assert {shape: sorted(schemas[shape]["required"]) for shape in expected} == expected
    if version == "1.13.0":  # who owns a listed project: always sent, so required, with no default
        listed = schemas["FolderListRead"]
        assert "is_owner" in listed["required"] and "default" not in listed["properties"]["is_owner"]


def answer(document: dict[str, Any], operation: str, status: str = "200") -> Any:
    """The JSON schema an operation's answer of that status declares."""
    method, path = operation.split(" ", 1)
    return document["paths"][path][method.lower()]["responses"][status]["content"]["application/json"]["schema"]


@pytest.mark.parametrize("version", VERSIONS)
def test_answers_langflow_leaves_untyped_are_untyped(version: str) -> None:
    # Langflow's handlers return plain dicts there: a generated SDK gets no model for them.
    document = spec(version)
    for operation in ("DELETE /api/v1/flows/{flow_id}", "DELETE /api/v1/flows/",
                      "DELETE /api/v1/files/delete/{flow_id}/{file_name}", "GET /api/v1/files/list/{flow_id}",
                      "GET /api/v1/files/profile_pictures/list", "DELETE /api/v2/files/{file_id}",
                      "DELETE /api/v2/files/batch/", "DELETE /api/v2/files/", "GET /api/v1/version", "GET /health"):
        assert answer(document, operation) == {}, operation
    components = document["components"]["schemas"]
    assert not {"FlowsDeleted", "FlowFileList", "MessageResponse"} & set(components)
    if version == "1.7.1":  # auto-login, refresh, logout and the API key's storing and deletion too
        for operation in ("GET /api/v1/auto_login", "POST /api/v1/refresh", "POST /api/v1/logout",
                          "POST /api/v1/api_key/store", "DELETE /api/v1/api_key/{api_key_id}"):
            assert answer(document, operation) == {}, operation
        assert answer(document, "POST /api/v1/login") == {"$ref": "#/components/schemas/Token"}


@pytest.mark.parametrize("version", VERSIONS)
def test_answers_are_typed_under_langflows_component_names(version: str) -> None:
    document = spec(version)
    items = answer(document, "GET /api/v2/files")["items"]
    assert items == {"$ref": f"#/components/schemas/{USER_FILE[version]}"}
    for operation, status, name in (
            ("POST /api/v2/files", "201", "langflow__api__schemas__UploadFileResponse"),
            ("PUT /api/v2/files/{file_id}", "200", "langflow__api__schemas__UploadFileResponse"),
            ("POST /api/v1/files/upload/{flow_id}", "201", "langflow__api__v1__schemas__UploadFileResponse")):
        assert answer(document, operation, status) == {"$ref": f"#/components/schemas/{name}"}, operation
    components = document["components"]["schemas"]
    assert not {"UserFileRead", "UploadFileResponse", "FlowFileUploaded"} & set(components)
    assert components["langflow__api__v1__schemas__UploadFileResponse"]["required"] == ["flowId", "file_path"]
    # the webhook's 202 is any JSON object
    assert answer(document, "POST /api/v1/webhook/{flow_id_or_name}", "202") == {
        "additionalProperties": True, "type": "object",
        "title": "Response Webhook Run Flow Api V1 Webhook  Flow Id Or Name  Post"}
    if version != "1.13.0":  # a user's deletion answers any JSON object (1.13 lists no 200 for it)
        assert {k: v for k, v in answer(document, "DELETE /api/v1/users/{user_id}").items() if k != "title"} == {
            "additionalProperties": True, "type": "object"}


@pytest.mark.parametrize("version", VERSIONS)
def test_monitor_and_config_answers_are_typed_as_langflow_types_them(version: str) -> None:
    document = spec(version)
    components = document["components"]["schemas"]
    builds = _resolved(answer(document, "GET /api/v1/monitor/builds"), document)
    logged = builds["properties"]["vertex_builds"]["additionalProperties"]["items"]
    assert sorted(logged["required"]) == ["flow_id", "id", "valid"]
    assert ("job_id" in logged["properties"]) is (version != "1.7.1")  # 1.7.1 logs no job
    # the transactions are a page: of TransactionLogsResponse, or 1.7.1's table rows (flow_id required there)
    row = "TransactionTable" if version == "1.7.1" else "TransactionLogsResponse"
    assert answer(document, "GET /api/v1/monitor/transactions") == {"$ref": f"#/components/schemas/Page_{row}_"}
    assert components[f"Page_{row}_"]["properties"]["items"]["items"] == {"$ref": f"#/components/schemas/{row}"}
    assert ("flow_id" in components[row]["required"]) is (version == "1.7.1")
    # the config is the full shape or, since 1.8, the public one for a caller without credentials
    config = answer(document, "GET /api/v1/config")
    shapes = [branch["$ref"].rsplit("/", 1)[1] for branch in config.get("anyOf", [config])]
    assert shapes == (["ConfigResponse"] if version == "1.7.1" else ["ConfigResponse", "PublicConfigResponse"])
    assert components["FeatureFlags"]["additionalProperties"] is False
    assert ("mcp_servers_locked" in components["ConfigResponse"]["properties"]) is (version == "1.13.0")


@pytest.mark.parametrize("version", VERSIONS)
def test_starter_projects_resume_and_task_answers_are_typed_as_langflow_types_them(version: str) -> None:
    document = spec(version)
    components = document["components"]["schemas"]
    # a starter project's graph is always there, with its nodes and edges (and maybe a viewport)
    assert answer(document, "GET /api/v1/starter-projects/")["items"] == {
        "$ref": "#/components/schemas/GraphDumpResponse"}
    starter = components["GraphDumpResponse"]
    assert starter["properties"]["data"] == {"$ref": "#/components/schemas/GraphData"}
    assert "data" in starter["required"]
    assert sorted(components["GraphData"]["required"]) == ["edges", "nodes"]
    assert "StarterProject" not in components
    if version == "1.13.0":  # a resumed run (the mock's runs never suspend, so it never sends one)
        resumed = answer(document, "POST /api/v2/workflows/{job_id}/resume")
        assert resumed == {"$ref": "#/components/schemas/WorkflowResumeResponse"}
        assert sorted(components["WorkflowResumeResponse"]["required"]) == ["job_id", "status"]
    if version == "1.7.1":  # the deprecated task status (always a 400 from the mock, as from Langflow)
        assert answer(document, "GET /api/v1/task/{_task_id}") == {"$ref": "#/components/schemas/TaskStatusResponse"}


@pytest.mark.parametrize("version", VERSIONS)
def test_an_advanced_runs_answer_is_typed_as_langflow_types_it(version: str) -> None:
    document = spec(version)
    components = document["components"]["schemas"]
    assert answer(document, "POST /api/v1/run/advanced/{flow_id_or_name}") == {
        "$ref": "#/components/schemas/RunResponse"}
    assert components["RunResponse"]["properties"]["outputs"]["anyOf"][0]["items"] == {
        "$ref": "#/components/schemas/RunOutputs"}
    result = components["ResultData"]["properties"]
    assert result["messages"]["anyOf"][0]["items"] == {"$ref": "#/components/schemas/ChatOutputResponse"}
    assert ("token_usage" in result) is (version == "1.13.0")  # a result's token usage came with 1.13
    files = components["ChatOutputResponse"]["properties"]["files"]["items"]
    assert files == {"$ref": "#/components/schemas/lfx__utils__schemas__File"}
    assert sorted(components["lfx__utils__schemas__File"]["required"]) == ["name", "path", "type"]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_paginated_project_reads_flows_are_typed_as_the_releases_are(version: str) -> None:
    # 1.8.4 and 1.7.1 page the flow table's rows (Page[Flow]), 1.13 its FlowRead
    components = spec(version)["components"]["schemas"]
    page = "Page_FlowRead_" if version == "1.13.0" else "Page_Flow_"
    assert components["FolderWithPaginatedFlows"]["properties"]["flows"] == {"$ref": f"#/components/schemas/{page}"}
    row = components[page]["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
    assert row == ("FlowRead" if version == "1.13.0" else "Flow")
    if version != "1.13.0":
        assert sorted(components["Flow"]["required"]) == ["name", "user_id"]


def test_a_v2_workflow_runs_json_answer_is_typed_as_langflow_1_13_types_it() -> None:
    # a finished run or a background job, told apart by `object`; the stream stays under its own media type
    document = spec("1.13.0")
    content = document["paths"]["/api/v2/workflows"]["post"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/event-stream"}
    typed = content["application/json"]["schema"]
    assert [branch["$ref"].rsplit("/", 1)[1] for branch in typed["oneOf"]] == [
        "WorkflowExecutionResponse", "WorkflowJobResponse"]
    assert typed["discriminator"] == {"propertyName": "object", "mapping": {
        "response": "#/components/schemas/WorkflowExecutionResponse",
        "job": "#/components/schemas/WorkflowJobResponse"}}
    components = document["components"]["schemas"]
    assert sorted(components["WorkflowExecutionResponse"]["required"]) == ["flow_id", "has_errors", "status"]
    assert components["WorkflowExecutionResponse"]["properties"]["output"] == {
        "$ref": "#/components/schemas/WorkflowOutput", "description": components["WorkflowExecutionResponse"][
            "properties"]["output"]["description"]}
    assert components["JobStatus"]["enum"][-1] == "suspended"


@pytest.mark.parametrize("version", VERSIONS)
def test_validation_errors_list_what_the_releases_fastapi_lists(version: str) -> None:
    # 1.7.1's older FastAPI lists no input nor context in a validation error's item.
    listed = set(spec(version)["components"]["schemas"]["ValidationError"]["properties"])
    assert listed == ({"loc", "msg", "type"} if version == "1.7.1" else {"loc", "msg", "type", "input", "ctx"})


@pytest.mark.parametrize("version", VERSIONS)
def test_health_checks_answer_langflows_health_response(version: str) -> None:
    document = spec(version)
    for path in ("/health_check", "/healthz"):
        if path not in document["paths"]:  # 1.8.4 and 1.7.1 have no /healthz
            continue
        answer = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert _resolved(answer, document) == {"properties": {
            "chat": {"default": "error check the server logs", "type": "string"},
            "db": {"default": "error check the server logs", "type": "string"},
            "status": {"default": "nok", "type": "string"}}, "type": "object"}


# A generated SDK names its request classes after the body's component: each release's, from its document
# (langflow-request-body-names.json), except where noted.
KNOWN_BODY_NAME_MISMATCHES = {
    ("1.7.1", "POST /api/v2/mcp/servers/{server_name}"): "1.7.1 takes any object, inline; the mock's is named",
    ("1.7.1", "PATCH /api/v2/mcp/servers/{server_name}"): "1.7.1 takes any object, inline; the mock's is named",
}


def body_components(operation: dict[str, Any]) -> list[str]:
    """The components a request body refers to directly, by content type."""
    return sorted({c["schema"]["$ref"].rsplit("/", 1)[1] for c in operation["requestBody"]["content"].values()
                   if "$ref" in c.get("schema", {})})


@pytest.mark.parametrize("version", VERSIONS)
def test_request_bodies_are_named_as_in_the_releases_document(version: str) -> None:
    expected: dict[str, list[str]] = load_json("langflow-request-body-names.json")[version]
    paths = spec(version)["paths"]
    named = {}
    for name in expected:
        method, path = name.split(" ", 1)
        named[name] = body_components(paths[path][method.lower()])
    assert {name: components for name, components in named.items()
            if components != expected[name] and (version, name) not in KNOWN_BODY_NAME_MISMATCHES} == {}
    assert all(named[name] != expected[name] for v, name in KNOWN_BODY_NAME_MISMATCHES if v == version)


@pytest.mark.parametrize(("version", "branches"), [
    ("1.13.0", ["FlowRead[]", "Page_FlowRead_", "FlowHeader[]", "Page_FlowHeader_"]),
    ("1.8.4", ["FlowRead[]", "Page_FlowRead_", "FlowHeader[]"]),  # no page of headers there
    ("1.7.1", ["FlowRead[]", "Page_FlowRead_", "FlowHeader[]"]),
])
def test_the_flows_list_is_typed_as_in_the_releases_document(version: str, branches: list[str]) -> None:
    document = spec(version)
    answer = document["paths"]["/api/v1/flows/"]["get"]["responses"]["200"]["content"]["application/json"]
    named = [b["items"]["$ref"].rsplit("/", 1)[1] + "[]" if b.get("type") == "array" else b["$ref"].rsplit("/", 1)[1]
             for b in answer["schema"]["anyOf"]]
    assert named == branches
    page = _resolved({"$ref": "#/components/schemas/Page_FlowRead_"}, document)
    assert sorted(page["required"]) == ["items", "page", "pages", "size", "total"]


def test_a_project_read_is_typed_as_in_langflows_document() -> None:
    # 1.13: the project with all its flows, or with a Page[FlowRead] of them.
    document = spec()
    answer = document["paths"]["/api/v1/projects/{project_id}"]["get"]["responses"]["200"]["content"]
    assert [b["$ref"].rsplit("/", 1)[1] for b in answer["application/json"]["schema"]["anyOf"]] == [
        "FolderWithPaginatedFlows", "FolderReadWithFlows"]
    paged = document["components"]["schemas"]["FolderWithPaginatedFlows"]["properties"]["flows"]
    assert paged == {"$ref": "#/components/schemas/Page_FlowRead_"}


@pytest.mark.parametrize(("version", "listed"), [("1.13.0", "FolderListRead"), ("1.8.4", "FolderRead"),
                                                 ("1.7.1", "FolderRead")])
def test_listings_name_their_items_as_the_releases_document(version: str, listed: str) -> None:
    # A generated SDK's classes: the projects list's items (1.13 added owner fields, FolderListRead) and the
    # starter projects' (GraphDumpResponse in every release).
    paths = spec(version)["paths"]
    projects = paths["/api/v1/projects/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    starters = paths["/api/v1/starter-projects/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert projects["items"] == {"$ref": f"#/components/schemas/{listed}"}
    assert starters["items"] == {"$ref": "#/components/schemas/GraphDumpResponse"}


@pytest.mark.parametrize("version", VERSIONS)
def test_an_uploaded_files_path_is_typed_as_the_release_types_it(version: str) -> None:
    # 1.8.4 and 1.7.1 answer a pydantic Path (format "path"); 1.13 plain text.
    schemas = spec(version)["components"]["schemas"]
    typed = {"format": "path"} if version != "1.13.0" else {}
    for shape, name in (("langflow__api__schemas__UploadFileResponse", "path"),
                        ("langflow__api__v1__schemas__UploadFileResponse", "file_path")):
        assert {k: v for k, v in schemas[shape]["properties"][name].items() if k == "format"} == typed


# Langflow's descriptions of the schemas and properties each release's document lists, by the component names the
# mock's document gives them, Langflow's own where profile schema_names renames them (langflow-openapi-
# descriptions.json, from each release's /openapi.json; a component that release's document does not list, as
# another release's or its counterpart's). pydantic makes a shape's docstring
# its description: ours are notes for the code's readers, and must never reach a generated SDK.
@pytest.mark.parametrize("version", VERSIONS)
def test_schemas_are_described_as_in_the_releases_document(make_client: Callable[..., TestClient],
                                                           version: str) -> None:
    expected: dict[str, dict[str, str]] = load_json("langflow-openapi-descriptions.json")[version]
    schemas = make_client(langflow_version=version).get("/openapi.json").json()["components"]["schemas"]
    described = {name: schema["description"] for name, schema in schemas.items() if "description" in schema}
    properties = {f"{name}.{prop}": typed["description"] for name, schema in schemas.items()
                  for prop, typed in schema.get("properties", {}).items() if "description" in typed}
    assert described == expected["schemas"]
    assert properties == expected["properties"]
    # a few a client sees: an enum's, one Langflow has and the shape's docstring lacked, one Langflow has none of
    if version != "1.7.1":
        assert schemas["SpanStatus"]["description"].startswith("OpenTelemetry status codes.")
    assert schemas["RunResponse"]["description"] == "Run response schema."
    assert "description" not in schemas["GraphDumpResponse"]


def operation_texts(operation: dict[str, Any]) -> dict[str, Any]:
    """An operation's texts as langflow-openapi-descriptions.json lists them: its answers' only where one is not
    FastAPI's own."""
    texts: dict[str, Any] = {"summary": operation["summary"]}
    if "description" in operation:
        texts["description"] = operation["description"]
    parameters = {p["name"]: p["description"] for p in operation.get("parameters", []) if "description" in p}
    if parameters:
        texts["parameters"] = parameters
    answers = {status: answer["description"] for status, answer in operation["responses"].items()}
    if set(answers.values()) - {"Successful Response", "Validation Error"}:
        texts["responses"] = answers
    return texts


# Langflow's summary and description of every operation each release's document lists, and of its parameters and
# answers (the "operations" of langflow-openapi-descriptions.json, from each release's /openapi.json). FastAPI makes
# a handler's docstring the operation's description: ours document the code, and must never reach a generated SDK.
@pytest.mark.parametrize("version", VERSIONS)
def test_operations_are_described_as_in_the_releases_document(make_client: Callable[..., TestClient],
                                                               version: str) -> None:
    expected: dict[str, dict[str, Any]] = load_json("langflow-openapi-descriptions.json")[version]["operations"]
    paths = make_client(langflow_version=version).get("/openapi.json").json()["paths"]
    listed = {f"{method.upper()} {path}": operation for path, ops in paths.items() for method, operation in ops.items()}
    assert {key: operation_texts(operation) for key, operation in listed.items()} == expected
    # no operation says what Langflow's document does not: no description where it has none, none of our docstrings
    for key, operation in listed.items():
        assert ("description" in operation) == ("description" in expected[key]), key
        assert not operation.get("description", "").startswith(key.split(" ")[0] + " /"), key
    # a few a client sees: a release's own text, one Langflow leaves undescribed, a summary and answer of its own
    build = listed["POST /api/v1/build/{flow_id}/flow"]["description"]
    assert build.startswith("HTTP entry point" if version == "1.13.0" else "Build and process a flow")
    assert "description" not in listed["GET /health_check"]  # the handler's docstring says what it checks
    if version != "1.7.1":
        workflow = listed["POST /api/v2/workflows"]
        assert workflow["summary"] == ("Execute Workflow (v2 sync or stream)" if version == "1.13.0"
                                       else "Execute Workflow")
        assert workflow["responses"]["200"]["description"] == "Workflow execution response"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_listed_component_is_referenced(make_client: Callable[..., TestClient], version: str) -> None:
    # FastAPI lists only the shapes an operation reaches, as Langflow's documents list theirs: one the release types
    # otherwise (1.8's and 1.7.1's flows and projects lists, flow_type, 1.7.1's message usage) is not left behind
    # for a generated SDK to make a class of.
    document = make_client(langflow_version=version).get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    text = json.dumps(document["paths"])
    reached: set[str] = set()
    todo = {ref.split('"')[0] for ref in text.split("#/components/schemas/")[1:]}
    while todo:
        name = todo.pop()
        reached.add(name)
        todo |= {ref.split('"')[0] for ref in json.dumps(schemas[name]).split("#/components/schemas/")[1:]} - reached
    assert sorted(set(schemas) - reached) == []
    if version != "1.13.0":
        left = {"FlowType", "FolderListRead", "Page_FlowHeader_"} | ({"Usage"} if version == "1.7.1" else set())
        assert not left & set(schemas)


def test_the_folder_redirects_are_documented_with_langflows_answers() -> None:
    # 1.7.1 lists the old /folders redirects with the answers their decorators declare: a create and an upload
    # 201, a delete 204 without a body, the reads typed; what they answer is the 307 whatever the declared status.
    paths = spec("1.7.1")["paths"]
    created = paths["/api/v1/folders/"]["post"]["responses"]
    assert list(created) == ["201"]
    assert created["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FolderRead"}
    assert list(paths["/api/v1/folders/upload/"]["post"]["responses"]) == ["201"]
    assert paths["/api/v1/folders/{folder_id}"]["delete"]["responses"]["204"] == {"description": "Successful Response"}


@pytest.mark.parametrize("version", ["1.8.4", "1.7.1"])
def test_an_operation_left_without_parameters_lists_no_validation_error(version: str) -> None:
    # These take 1.13's include_blocked (and /all its flow_id and project_id); without them nothing is validated,
    # and FastAPI lists no 422, as in those releases' documents.
    paths = spec(version)["paths"]
    for path in ("/api/v1/all", "/api/v1/flows/basic_examples/", "/api/v1/starter-projects/"):
        assert list(paths[path]["get"]["responses"]) == ["200"]


TOKEN_SCHEMES = {"1.13.0": "OAuth2PasswordBearerCookie", "1.8.4": "OAuth2PasswordBearerCookie",
                 "1.7.1": "OAuth2PasswordBearer"}


@pytest.mark.parametrize("version", VERSIONS)
def test_security_schemes_are_the_releases_in_its_order(make_client: Callable[..., TestClient], version: str) -> None:
    # Langflow's dependencies declare the access token (its OAuth2PasswordBearerCookie, which reads the cookie too;
    # 1.7.1's plain OAuth2PasswordBearer reads the header only), then the query's key, then the header's: a
    # generated SDK offers them in that order. The served document keeps the order (the checked-in one is sorted).
    schemes = make_client(langflow_version=version).get("/openapi.json").json()["components"]["securitySchemes"]
    assert list(schemes.items()) == [
        (TOKEN_SCHEMES[version], {"type": "oauth2", "flows": {"password": {"scopes": {}, "tokenUrl": "api/v1/login"}}}),
        ("API key query", {"type": "apiKey", "in": "query", "name": "x-api-key"}),
        ("API key header", {"type": "apiKey", "in": "header", "name": "x-api-key"}),
    ]


def security_of(version: str, operation: str) -> list[str] | None:
    method, path = operation.split(" ", 1)
    listed = spec(version)["paths"][path][method.lower()].get("security")
    return None if listed is None else [name for entry in listed for name in entry]


@pytest.mark.parametrize("version", VERSIONS)
def test_operations_list_the_security_langflows_dependencies_declare(version: str) -> None:
    token_or_key = [TOKEN_SCHEMES[version], "API key query", "API key header"]
    key_only = ["API key query", "API key header"]
    # a JWT-or-key route (get_current_user) and a key-only one (api_key_security, /run)
    assert security_of(version, "GET /api/v1/flows/") == token_or_key
    assert security_of(version, "POST /api/v1/run/{flow_id_or_name}") == key_only
    assert security_of(version, "POST /api/v1/responses") == key_only
    # the webhook reads the key off the request itself in every release: it declares none
    assert security_of(version, "POST /api/v1/webhook/{flow_id_or_name}") is None
    if version == "1.13.0":
        # lfx's router serves the run and finds the caller itself; the status route is Langflow's own
        assert security_of(version, "POST /api/v2/workflows") is None
        assert security_of(version, "GET /api/v2/workflows") == token_or_key
        assert security_of(version, "GET /api/v1/flows/basic_examples/") == token_or_key
        assert security_of(version, "POST /api/v1/users/") is None
    if version == "1.8.4":
        assert security_of(version, "POST /api/v2/workflows") == key_only
        assert security_of(version, "GET /api/v1/files/images/{flow_id}/{file_name}") is None
    if version != "1.13.0":
        # the MCP transports that take an MCP user declare it; the message route and the project transports read
        # the credentials themselves; the example list reads none before 1.13
        assert security_of(version, "GET /api/v1/mcp/sse") == token_or_key
        assert security_of(version, "POST /api/v1/mcp/") is None
        assert security_of(version, "POST /api/v1/mcp/project/{project_id}/streamable") is None
        assert security_of(version, "GET /api/v1/flows/basic_examples/") is None
    if version == "1.7.1":
        assert security_of(version, "POST /api/v1/predict/{_flow_id}") == key_only
        assert security_of(version, "POST /api/v1/users/") == token_or_key  # sign-up needs a superuser there
        assert security_of(version, "POST /api/v1/upload/{flow_id}") is None


@pytest.mark.parametrize("version", VERSIONS)
def test_answers_are_titled_as_fastapi_titles_langflows_response_models(version: str) -> None:
    # Langflow declares these as the route's response model ("Response <operation>"); the mock types them for the
    # document alone, which FastAPI would title "Response 200 <operation>". 1.13's v2 run keeps its status, as
    # Langflow declares it the mock's way.
    paths = spec(version)["paths"]
    titled = {("/api/v1/starter-projects/", "get"): "Response Get Starter Projects Api V1 Starter Projects  Get",
              ("/api/v1/projects/{project_id}", "get"): "Response Read Project Api V1 Projects  Project Id  Get",
              ("/api/v1/webhook/{flow_id_or_name}", "post"): "Response Webhook Run Flow Api V1 Webhook  Flow Id Or "
                                                             "Name  Post"}
    if version != "1.7.1":
        titled[("/api/v1/config", "get")] = "Response Get Config Api V1 Config Get"
    for (path, method), title in titled.items():
        answers = paths[path][method]["responses"]
        answer = answers.get("200") or answers["202"]
        assert answer["content"]["application/json"]["schema"]["title"] == title, path
    if version == "1.13.0":
        run = paths["/api/v2/workflows"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert run["title"] == "Response 200 Execute Workflow Api V2 Workflows Post"
