"""Start-up pauses the garbage collector (startup.py), and leaves the caller's collector as it found it."""

from __future__ import annotations

import gc
import inspect
import json
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic.warnings import UnsupportedFieldAttributeWarning

from mock_langflow import Settings, cli, create_app
from mock_langflow.testing.server import MockLangflowServer
from tests.conftest import as_an_older_mock_left_it


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it on."""
    yield
    gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
def test_an_in_process_server_leaves_the_callers_collector_as_it_was(enabled: bool, collector_state: None) -> None:
    if not enabled:
        gc.disable()
    with MockLangflowServer() as server:
        assert gc.isenabled() is enabled
        answer = httpx.get(f"{server.url}/api/v1/version", timeout=10)
        assert answer.status_code == 200
    assert gc.isenabled() is enabled



def test_an_in_process_server_leaves_what_the_caller_froze_frozen(collector_state: None) -> None:
    """Start-up ages what it built by freezing and unfreezing (startup.age_all); a caller's own gc.freeze()
    must survive that, so then nothing is moved."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with MockLangflowServer() as server:
            assert httpx.get(f"{server.url}/api/v1/version", timeout=10).status_code == 200
            assert gc.get_freeze_count() > frozen // 2  # not unfrozen (then 0); objects freed since leave it
    finally:
        gc.unfreeze()


def test_an_in_process_start_ages_what_it_built_though_the_interpreter_keeps_objects_frozen() -> None:
    """CPython 3.12 keeps immortal objects in the collector's permanent generation from its start, where a caller's
    gc.freeze() would put objects. Objects frozen before the mock is imported stand for those here: start-up must
    still move what it built to the oldest generation, or the collector's first young passes walk it all (on
    3.12 the first answer took 40-120 ms longer). A freeze made after the import is a caller's: the test above."""
    script = (
        "import gc\n"
        "parked = [[] for _ in range(400)]\n"
        "gc.freeze()\n"
        "from mock_langflow.testing.server import MockLangflowServer\n"
        "server = MockLangflowServer().start()\n"
        "print(len(gc.get_objects(0)) + len(gc.get_objects(1)), len(gc.get_objects(2)))\n"
        "server.stop()\n"
    )
    young, oldest = map(int, fresh_python(script)[-1].split())
    assert oldest > 50_000 and young < oldest // 10, (young, oldest)


def test_a_command_run_in_process_turns_the_collector_back_on(capsys: pytest.CaptureFixture[str],
                                                               collector_state: None) -> None:
    assert cli.main(["versions"]) == 0
    assert "1.13.0" in capsys.readouterr().out
    assert gc.isenabled()


def fresh_python(script: str, *args: str) -> list[str]:
    """What `script` prints, run by a fresh interpreter (what a module imports is only seen there) with `args`
    as its sys.argv[1:]."""
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_package_still_exports_create_app_and_settings() -> None:
    # `import mock_langflow` no longer imports the app: it is imported when asked for, by name.
    script = (
        "import sys, mock_langflow\n"
        "assert 'fastapi' not in sys.modules and 'sqlalchemy' not in sys.modules, 'imported the app too early'\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "client = TestClient(create_app(Settings(ephemeral=True)))\n"
        "print(client.get('/api/v1/version').json()['version'])\n"
        "try:\n"
        "    mock_langflow.no_such_name\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    assert fresh_python(script) == ["1.13.0", "module 'mock_langflow' has no attribute 'no_such_name'"]


def test_a_served_mock_never_imports_pydantic_v1_yet_fastapi_still_knows_a_v1_model() -> None:
    """`serve` makes FastAPI's pydantic.v1 checks wait until pydantic.v1 is imported (startup.skip_pydantic_v1):
    routes analysed and answers encoded without it, and the same answers as FastAPI's own once it is there."""
    script = (
        "import sys, warnings\n"
        "from mock_langflow import startup\n"
        "startup.skip_pydantic_v1()\n"
        "startup.skip_pydantic_v1()  # twice is once\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "with TestClient(create_app(Settings(ephemeral=True, api_key='sk-' + 'a' * 43))) as client:\n"
        "    key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "    for path in ('/api/v1/version', '/api/v1/flows/', '/api/v1/projects/', '/openapi.json'):\n"
        "        assert client.get(path, headers=key).status_code == 200, path\n"
        "print('pydantic.v1' in sys.modules)\n"
        "from fastapi import encoders\n"
        "from fastapi._compat import shared\n"
        "with warnings.catch_warnings():\n"
        "    warnings.simplefilter('ignore')\n"
        "    from pydantic import v1\n"
        "class Old(v1.BaseModel):\n"
        "    a: int = 1\n"
        "print(shared.annotation_is_pydantic_v1(list[Old]), encoders.is_pydantic_v1_model_instance(Old()),\n"
        "      shared.is_pydantic_v1_model_class(Settings))\n"
    )
    assert fresh_python(script) == ["False", "True True False"]


def test_the_in_process_server_leaves_its_hosts_fastapi_as_it_found_it() -> None:
    from fastapi._compat import shared

    before = shared.is_pydantic_v1_model_class
    with MockLangflowServer() as server:
        assert httpx.get(f"{server.url}/api/v1/version", timeout=10).status_code == 200
    assert shared.is_pydantic_v1_model_class is before
    assert getattr(before, "__wrapped__", None) is None


def test_fastapi_imported_by_the_mock_builds_its_openapi_models_on_first_use_and_serves_the_same_document(
) -> None:
    """startup.import_fastapi: FastAPI's OpenAPI models are built when the first document is asked for, not at
    import; the document is the one a FastAPI imported as usual serves; later models are built as usual."""
    script = (
        "import json, sys\n"
        "from mock_langflow import startup\n"
        "if sys.argv[1] == 'deferred':\n"
        "    startup.import_fastapi()\n"
        "    startup.import_fastapi()  # twice is once\n"
        "import pydantic\n"
        "from fastapi.openapi import models\n"
        "class Later(pydantic.BaseModel):\n"
        "    a: int = 1\n"
        "print(models.Contact.__pydantic_complete__, Later.__pydantic_complete__, pydantic.BaseModel.model_config)\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "with TestClient(create_app(Settings(ephemeral=True))) as client:\n"
        "    document = client.get('/openapi.json').json()\n"
        "print(models.Contact(name='x').model_dump(exclude_none=True))\n"
        "print(json.dumps(document, sort_keys=True))\n"
    )

    deferred, usual = fresh_python(script, "deferred"), fresh_python(script, "usual")
    assert deferred[0] == "False True {}"
    assert usual[0] == "True True {}"
    assert deferred[1] == usual[1] == "{'name': 'x'}"
    assert json.loads(deferred[2])["paths"]["/api/v1/run/{flow_id_or_name}"]
    assert deferred[2] == usual[2]


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_no_request_body_makes_pydantic_warn(version: str, tmp_path: Path) -> None:
    """Answer shapes are built on first use (schemas.Shape); a request body's must not be, or pydantic's
    "alias has no effect" warning, which FastAPI silences while it builds the body's TypeAdapter, would show in
    every test run that hosts the mock, once per route that takes a body."""
    key = "sk-" + "w" * 43
    app = create_app(Settings(ephemeral=True, data_dir=tmp_path, api_key=key, langflow_version=version))
    with warnings.catch_warnings(record=True) as caught, TestClient(app) as client:
        warnings.simplefilter("always")
        sent = 0
        for route in list(app.routes):
            methods = getattr(route, "methods", None) or set()
            for method in sorted(methods & {"POST", "PUT", "PATCH"}):
                if route.path.startswith("/_mock/reset"):
                    continue
                path = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", route.path)
                client.request(method, path, json={}, headers={"x-api-key": key})
                sent += 1
        client.get("/openapi.json")
    assert sent > 40
    noisy = [str(w.message)[:90] for w in caught if issubclass(w.category, UnsupportedFieldAttributeWarning)]
    assert noisy == []


def _runs_on_the_event_loop(call: object) -> bool:
    """What FastAPI awaits on the event loop: a coroutine or async generator function, or an object whose
    __call__ is one. Anything else it runs in its thread pool."""
    if inspect.isclass(call):
        return False
    target = call if inspect.isfunction(call) or inspect.ismethod(call) else type(call).__call__
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


@pytest.mark.parametrize("version", ["1.13.0", "1.8.4", "1.7.1"])
def test_every_route_and_dependency_runs_on_the_event_loop(version: str) -> None:
    """Shapes are built on first use (schemas.Shape), and pydantic 2.13 does not lock a model's first build:
    two threads building one model at once could validate with a half-built model. No first use can come
    from two threads while every endpoint and dependency runs on the event loop's one thread."""
    app = create_app(Settings(ephemeral=True, langflow_version=version))
    app.state.mock.dispose()  # never served: its start's files (1.8's MCP server lists) go now, not at collection
    in_threads: list[str] = []

    def walk(dependant: Any, where: str) -> None:
        for sub in dependant.dependencies:
            if sub.call is not None and not _runs_on_the_event_loop(sub.call):
                in_threads.append(f"{where}: {sub.call!r}")
            walk(sub, where)

    routes = [route for route in app.routes if isinstance(route, APIRoute)]
    assert len(routes) > 100
    for route in routes:
        if not _runs_on_the_event_loop(route.endpoint):
            in_threads.append(f"{route.path}: {route.endpoint!r}")
        walk(route.dependant, route.path)
    assert in_threads == []


@pytest.mark.parametrize(("overrides", "name"), [
    ({}, "langflow"), ({"auto_login": False, "superuser": "admin", "superuser_password": "pw"}, "admin")])
def test_the_name_a_first_start_prints_with_its_key_is_the_superusers(make_client: Any, overrides: dict[str, Any],
                                                                       name: str) -> None:
    """`serve` names the superuser its new key is for by the name the start set the superuser up under, which is
    the superuser's: it is found by that name or made with it."""
    state = make_client(**overrides).app.state.mock
    superuser = state.store.users.get(state.superuser_id)
    assert state.superuser_name() == superuser.username == name


def test_answers_typed_for_the_document_alone_load_with_the_first_route_that_needs_them() -> None:
    """Langflow types some answers with shapes the mock's routes never build through (schemas/documented.py):
    a start and the first requests leave them out of memory; a route that names one loads it when analysed, and
    the document types the answer as Langflow's."""
    script = (
        "import sys\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "with TestClient(create_app(Settings(ephemeral=True, api_key='sk-' + 'a' * 43))) as client:\n"
        "    key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "    assert client.get('/api/v1/version', headers=key).status_code == 200\n"
        "    assert client.get('/api/v1/flows/', headers=key).status_code == 200\n"
        "    print('mock_langflow.schemas.documented' in sys.modules)\n"
        "    assert client.get('/api/v1/config', headers=key).status_code == 200\n"
        "    print('mock_langflow.schemas.documented' in sys.modules)\n"
        "    answer = client.get('/openapi.json').json()['paths']['/api/v1/config']['get']['responses']['200']\n"
        "    print(answer['content']['application/json']['schema'])\n"
    )
    assert fresh_python(script) == ["False", "True", "{'anyOf': [{'$ref': '#/components/schemas/ConfigResponse'}, "
                                                     "{'$ref': '#/components/schemas/PublicConfigResponse'}], "
                                                     "'title': 'Response Get Config Api V1 Config Get'}"]


def test_a2a_store_loads_with_the_first_a2a_call() -> None:
    """A2A is off by default: a start, requests and a reset leave its store and tables out of memory (a start of
    a server on a kept data dir still forgets its push configs, tests/api/test_a2a.py); its first call loads
    them."""
    script = (
        "import sys\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "with TestClient(create_app(Settings(ephemeral=True, api_key=key['x-api-key'], a2a_enabled=True))) as client:\n"
        "    assert client.get('/api/v1/flows/', headers=key).status_code == 200\n"
        "    assert client.post('/_mock/reset', headers=key).status_code == 200\n"
        "    print('mock_langflow.store.a2a' in sys.modules)\n"
        "    flow = client.post('/api/v1/flows/', headers=key, json={'name': 'A', 'data': {'nodes': [], 'edges': []},\n"
        "                                                             'flow_type': 'agent', 'a2a_enabled': True})\n"
        "    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'tasks/get', 'params': {'id': 'x'}}\n"
        "    answer = client.post(f\"/api/v1/a2a/{flow.json()['id']}/jsonrpc\", headers=key, json=call).json()\n"
        "    print(answer['error']['code'], 'mock_langflow.store.a2a' in sys.modules)\n"
    )
    assert fresh_python(script) == ["False", "-32001 True"]


def test_authz_administration_loads_with_its_first_route() -> None:
    """1.13's authorization administration (roles, teams, shares, audit) is rarely called: a start and other
    requests leave its handlers, shapes, store and tables out of memory and out of the database (routing.Later,
    store/authz.py); its first route loads them and makes the tables, the system roles seeded."""
    script = (
        "import sys, sqlite3, tempfile, pathlib\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "data = pathlib.Path(tempfile.mkdtemp())\n"
        "names = ('mock_langflow.routers.authz_admin_api', 'mock_langflow.schemas.authz_admin', "
        "'mock_langflow.store.authz')\n"
        "def tables():\n"
        "    db = sqlite3.connect(next(data.rglob('*.db')))\n"
        "    return sorted(n for (n,) in db.execute(\"SELECT name FROM sqlite_master WHERE name LIKE 'authz_%' "
        "AND type = 'table'\"))\n"
        "with TestClient(create_app(Settings(data_dir=data, api_key=key['x-api-key']))) as client:\n"
        "    assert client.get('/api/v1/flows/', headers=key).status_code == 200\n"
        "    print([n in sys.modules for n in names], tables())\n"
        "    roles = client.get('/api/v1/authz/roles', headers=key).json()\n"
        "    print([n in sys.modules for n in names], tables(), [r['name'] for r in roles])\n"
    )
    assert fresh_python(script) == [
        "[False, False, False] []",
        "[True, True, True] ['authz_audit_log', 'authz_role', 'authz_role_assignment', 'authz_share', 'authz_team', "
        "'authz_team_member'] ['admin', 'developer', 'viewer']"]


def test_run_records_load_with_the_first_run_or_read(tmp_path: Path) -> None:
    """What runs leave behind (job events, vertex builds, transactions, traces and spans) is read and written by
    runs, builds and the monitor only: a fresh start, requests and a reset leave its tables' classes out of memory
    (store/run_records.py); the first run loads them, and a server started later on the same data dir (which
    registers every table to mend a kept database) reads the records the run left."""
    flow = (Path(__file__).parents[2] / "fixtures" / "flows" / "basic_prompting.json").read_text()
    loaded = "'mock_langflow.store.run_records' in sys.modules"
    first = (
        "import sys, json\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "with TestClient(create_app(Settings(data_dir=sys.argv[1], api_key=key['x-api-key']))) as client:\n"
        "    flow = client.post('/api/v1/flows/', headers=key, json=json.loads(sys.argv[2])).json()\n"
        "    assert client.post('/_mock/reset', headers=key, json={'parts': ['jobs']}).status_code == 200\n"
        f"    print({loaded})\n"
        "    run = client.post(f\"/api/v1/run/{flow['id']}\", headers=key, json={'input_value': 'hi'})\n"
        f"    print(run.status_code, {loaded})\n"
        "    print(flow['id'])\n"
    )
    before, after, flow_id = fresh_python(first, str(tmp_path), flow)
    assert (before, after) == ("False", "200 True")
    second = (
        "import sys\n"
        "from mock_langflow import Settings, create_app\n"
        "from fastapi.testclient import TestClient\n"
        "key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "with TestClient(create_app(Settings(data_dir=sys.argv[1], api_key=key['x-api-key']))) as client:\n"
        "    page = client.get('/api/v1/monitor/transactions', headers=key, params={'flow_id': sys.argv[2]}).json()\n"
        "    print(page['total'])\n"
    )
    assert int(fresh_python(second, str(tmp_path), flow_id)[0]) > 0


def test_a_kept_data_dir_of_the_current_shape_starts_without_mending(tmp_path: Path) -> None:
    """A database made by this mock carries the fingerprint of its tables' shapes (store/schema.py): a later start
    on it skips the mending, which loads every rarely used feature's store and tables; one an older mock left
    (no fingerprint) is mended, every table loaded, and takes the fingerprint."""
    database = tmp_path / "mock-langflow.db"
    script = (
        "import sys, sqlite3\n"
        "from contextlib import closing\n"
        "from mock_langflow import Settings, create_app\n"
        "from mock_langflow.store.schema import SCHEMA_SQL, fingerprint\n"
        "from fastapi.testclient import TestClient\n"
        "key = {'x-api-key': 'sk-' + 'a' * 43}\n"
        "with TestClient(create_app(Settings(data_dir=sys.argv[1], api_key=key['x-api-key']))) as client:\n"
        "    assert client.get('/api/v1/flows/', headers=key).status_code == 200\n"
        "    print('mock_langflow.store.knowledge_bases' in sys.modules)\n"
        "with closing(sqlite3.connect(sys.argv[2])) as db:\n"
        "    print(db.execute('PRAGMA application_id').fetchone()[0] == fingerprint(SCHEMA_SQL.read_text()) != 0)\n"
    )
    assert fresh_python(script, str(tmp_path), str(database)) == ["False", "True"]  # a new data dir
    assert fresh_python(script, str(tmp_path), str(database)) == ["False", "True"]  # kept, current
    as_an_older_mock_left_it(database)
    assert fresh_python(script, str(tmp_path), str(database)) == ["True", "True"]  # kept, mended
    assert fresh_python(script, str(tmp_path), str(database)) == ["False", "True"]
