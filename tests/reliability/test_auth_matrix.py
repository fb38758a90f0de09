"""The auth matrix: every route the mock serves, without credentials, with a bad key, with a bad token, and
with the key of another user. Each answers as its Langflow route family does (NOTES.md facts 1-8), and no
user reads or writes another's flows, files, messages, jobs, projects or MCP servers.

A route that is not classified below fails test_every_route_is_classified: a new route must say who may call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow import Settings, create_app, errors
from tests.conftest import load_json, other_user_key
from tests.reliability.fuzzing import deliberate, error_shape_problem, mock_app, served
from tests.reliability.world import World

BAD_KEY = "sk-" + "0" * 43
BAD_JWT = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
CONTROL_REFUSED = "The control API needs a superuser's API key (x-api-key)"

# Routes anyone may call (fact 5, and the login routes themselves), by (method, path).
PUBLIC = {
    ("GET", "/health"), ("GET", "/health_check"), ("GET", "/healthz"), ("GET", "/api/v1/version"),
    ("GET", "/api/v1/config"), ("GET", "/api/v1/task/{_task_id}"), ("GET", "/api/v1/auto_login"),
    ("POST", "/api/v1/login"),
    ("POST", "/api/v1/refresh"), ("POST", "/api/v1/logout"), ("GET", "/api/v1/session"), ("POST", "/api/v1/users/"),
    # Langflow's example flows and its profile pictures (an <img> loads them): in every release, for anyone.
    ("GET", "/api/v1/flows/basic_examples/"), ("GET", "/api/v1/files/profile_pictures/list"),
    ("GET", "/api/v1/files/profile_pictures/{folder_name}/{file_name}"),
    # The MCP transports' health probes.
    ("HEAD", "/api/v1/mcp/sse"), ("HEAD", "/api/mcp/sse"), ("HEAD", "/api/v1/mcp/streamable"),
    ("HEAD", "/api/mcp/streamable"),
    ("HEAD", "/api/v1/mcp/project/{project_id}/sse"), ("HEAD", "/api/v1/mcp/project/{project_id}/streamable"),
    ("HEAD", "/api/v1/agentic/mcp"),
    # The shareable playground's build of a PUBLIC flow: the flow's access type and a job's public mark decide.
    ("POST", "/api/v1/build_public_tmp/{flow_id}/flow"), ("GET", "/api/v1/build_public_tmp/{job_id}/events"),
    ("POST", "/api/v1/build_public_tmp/{job_id}/cancel"), ("GET", "/api/v1/flows/public_flow/{flow_id}"),
    # An A2A agent's card is for anyone; its JSON-RPC endpoint asks for what the flow's project auth says (a key
    # of the owner, or nothing), after a flow that is no A2A agent is a 404.
    ("GET", "/api/v1/a2a/{flow_id}/.well-known/agent-card.json"), ("POST", "/api/v1/a2a/{flow_id}/jsonrpc"),
    # Whether the Store is on (api/v1/store.py check_if_store_is_enabled takes no user).
    ("GET", "/api/v1/store/check/"),
    # 1.13's trigger ingress: a provider's delivery proves itself by its signature, every refusal a 404.
    ("POST", "/api/v1/triggers/ingress/{provider}/{public_id}"),
    ("POST", "/api/v1/triggers/ingress/slack/apps/{registration_id}"),
    # 1.13's v2 run of a PUBLIC flow for a visitor: the flow's access type and the client_id cookie decide.
    ("POST", "/api/v2/workflows/public"),
    # 1.13's OAuth pages for the browser that comes back from a provider: the state decides (HTML pages).
    ("GET", "/api/v1/connections/oauth/{provider}/browser"), ("GET", "/api/v1/connections/oauth/{provider}/callback"),
}
# The webhook event stream takes the access-token cookie or a key, and refuses anything else with one text.
SSE = "/api/v1/webhook-events/{flow_id_or_name}"
# Routes that want an API key and ignore a JWT (facts 1-2): /run, /run/advanced.
# /process and /predict check the key as /run does before they answer that they are gone; the OpenAI
# Responses route takes a key only too.
API_KEY = re.compile(r"^/api/v1/(run/(advanced/)?|process/|predict/)\{|^/api/v1/responses$")
# A project's MCP transports: the project's auth settings decide, and keys are checked with 401s.
MCP_PROJECT_TRANSPORT = re.compile(r"^/api/v1/mcp/project/\{project_id\}(/|/sse|/streamable/?)?$")
# The other MCP routes (1.13's agentic one too): an access token first, else a key as /run wants it.
MCP = re.compile(r"^/api(/v1)?/mcp/(sse|streamable/?)?$|^/api/v1/mcp/project/|^/api/v1/agentic/mcp/?$")
# MCP transports answer in JSON-RPC, through the mcp SDK (fact 42), not in Langflow's {"detail"} shape.
MCP_TRANSPORT = re.compile(r"/mcp/(project/\{project_id\}/?)?(sse|streamable/?)?$|/mcp/project/\{project_id\}/?$"
                           r"|/agentic/mcp/?$")
WEBHOOK = "/api/v1/webhook/{flow_id_or_name}"
# Routes that check their body before the caller (lfx's v2 run route finds the caller in its handler; a middleware
# checks a v1 upload's multipart framing): sent a good body here, so that the credentials decide.
BODY_FIRST = {("POST", "/api/v2/workflows"), ("POST", "/api/v1/files/upload/{flow_id}")}
SUPERUSER_ONLY = {("GET", "/api/v1/users/"), ("DELETE", "/api/v1/users/{user_id}"),
                  ("GET", "/api/v1/monitor/job_queue")}
# The old /folders routes only redirect to /projects (fact 41); the target asks for credentials.
REDIRECTS = re.compile(r"^/api/v1/folders")


def family(method: str, path: str) -> str:
    if (method, path) in PUBLIC:
        return "public"
    if path.startswith("/_mock"):
        return "control"
    if REDIRECTS.match(path):
        return "redirect"
    if path == WEBHOOK:
        return "webhook"
    if path == SSE:
        return "sse"
    if API_KEY.match(path):
        return "api_key"
    if MCP_PROJECT_TRANSPORT.match(path) and (method, path) not in (("GET", "/api/v1/mcp/project/{project_id}"),
                                                                    ("PATCH", "/api/v1/mcp/project/{project_id}")):
        return "mcp_project_transport"
    if MCP.match(path):
        return "mcp"
    return "user"


ROUTES = sorted((m, p) for m, p in served(mock_app()) if m != "HEAD" or (m, p) in PUBLIC)

# What each family answers (status, detail) without credentials, with a bad key, and with a bad JWT.
EXPECTED = {
    "user": ((403, errors.NO_CREDENTIALS), (403, errors.INVALID_API_KEY), (401, errors.INVALID_TOKEN)),
    "api_key": ((403, errors.AUTO_LOGIN_NEEDS_KEY), (403, errors.INVALID_OR_MISSING_API_KEY),
                (403, errors.AUTO_LOGIN_NEEDS_KEY)),
    "mcp": ((403, errors.AUTO_LOGIN_NEEDS_KEY), (403, errors.INVALID_OR_MISSING_API_KEY), (401, errors.INVALID_TOKEN)),
    "mcp_project_transport": ((403, errors.AUTO_LOGIN_NEEDS_KEY), (401, errors.INVALID_API_KEY),
                              (403, errors.AUTO_LOGIN_NEEDS_KEY)),
    "webhook": ((403, errors.WEBHOOK_KEY_REQUIRED), (403, errors.INVALID_API_KEY), (403, errors.WEBHOOK_KEY_REQUIRED)),
    "control": ((403, CONTROL_REFUSED), (403, CONTROL_REFUSED), (403, CONTROL_REFUSED)),
    "sse": ((403, errors.SSE_CREDENTIALS),) * 3,
}


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, dict[str, str]]]:
    """Alice (the superuser) with one of everything, and the key of Bob, an ordinary user with nothing: one
    world for the module, since nothing here may change it (each test checks that it did not)."""
    # (1.13's data subject routes, and its extension reload, answer 404 to anyone while their flag is off)
    settings = Settings(ephemeral=False, data_dir=tmp_path_factory.mktemp("auth"), never_answer="error",
                        job_latency_ms=0, a2a_enabled=True, data_subject_requests=True,
                        enable_extension_reload=True)
    with TestClient(create_app(settings)) as client:
        alice = World(client, load_json("flow_chat_io.json"), marker="alice-secret")
        bob = {"x-api-key": other_user_key(client, alice.headers, "bob")}
        yield alice, bob


def test_every_route_is_classified() -> None:
    families = {(m, p): family(m, p) for m, p in ROUTES}
    assert len(families) > 120
    # The families are Langflow's; check the ones that are easy to get wrong.
    assert families[("POST", "/api/v1/run/{flow_id_or_name}")] == "api_key"
    assert families[("POST", "/api/v1/run/session/{flow_id_or_name}")] == "user"
    assert families[("GET", "/api/v1/mcp/project/{project_id}")] == "mcp"
    assert families[("POST", "/api/v1/mcp/project/{project_id}/streamable")] == "mcp_project_transport"
    assert families[("POST", "/api/v1/mcp/")] == "mcp"
    assert families[("GET", "/api/v1/flows/")] == "user"
    # 1.13's flow version routes, hidden from its OpenAPI document, are the flow owner's (api/v1/flow_version.py).
    for method, path in (("GET", "/api/v1/flows/{flow_id}/versions/"), ("POST", "/api/v1/flows/{flow_id}/versions/"),
                         ("GET", "/api/v1/flows/{flow_id}/versions/{version_id}"),
                         ("DELETE", "/api/v1/flows/{flow_id}/versions/{version_id}"),
                         ("POST", "/api/v1/flows/{flow_id}/versions/{version_id}/activate")):
        assert families[(method, path)] == "user", (method, path)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_refusals_without_good_credentials(worlds: tuple[World, dict[str, str]], method: str, path: str) -> None:
    alice, _ = worlds
    client, kind, url = alice.client, family(method, path), alice.fill(path)
    client.cookies.clear()
    body: dict[str, Any] = {}
    if (method, path) in BODY_FIRST:
        body = {"files": {"file": ("x.txt", b"x", "text/plain")}} if "upload" in path else {
            "json": {"flow_id": alice.flow["id"]}}
    answers = [client.request(method, url, **body),
               client.request(method, url, headers={"x-api-key": BAD_KEY}, **body),
               client.request(method, url, headers={"Authorization": BAD_JWT}, **body)]
    if kind == "public":
        for answer in answers:
            assert answer.status_code < 500, (answer.status_code, answer.text[:200])
            if answer.status_code in (401, 403):
                # Only the login routes themselves refuse, with their own texts (facts 6-7).
                assert path in ("/api/v1/login", "/api/v1/refresh"), answer.text
        return
    if kind == "redirect":
        assert all(a.status_code in (307, 403, 401) for a in answers), [a.status_code for a in answers]
        return
    for answer, (status, detail) in zip(answers, EXPECTED[kind], strict=True):
        assert (answer.status_code, answer.json()) == (status, {"detail": detail}), (method, path, answer.text[:300])


# --- another user's things ------------------------------------------------------------------------------


def leaks(alice: World, url: str, text: str) -> bool:
    """Whether an answer shows anything of Alice's that the URL did not already name (a 404 may echo the id
    or name it was asked for: "Flow identifier <id> not found")."""
    for segment in re.split(r"[/?=&]", url):
        if segment:
            text = text.replace(segment, "")
    return alice.marker in text or alice.flow["id"] in text or alice.v2["id"] in text or alice.job in text


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_no_user_reads_or_writes_anothers_things(worlds: tuple[World, dict[str, str]], method: str, path: str) -> None:
    alice, bob = worlds
    kind = family(method, path)
    if kind in ("public", "redirect") or method == "GET" and path.endswith(("/sse", "/streamable", "/streamable/")):
        return
    before = alice.snapshot()
    url = alice.fill(path)
    answer = alice.client.request(method, url, headers=bob, params={"flow_id": alice.flow["id"]})
    assert answer.status_code < 500 or path == "/api/v2/mcp/servers/{server_name}" or deliberate(
        answer.status_code, answer.json()), (answer.status_code, answer.text)
    assert not leaks(alice, url, answer.text), (method, url, answer.status_code, answer.text[:300])
    if answer.status_code >= 400 and not MCP_TRANSPORT.search(path):
        assert error_shape_problem(answer.status_code, answer.json()) is None, answer.text[:300]
    if kind == "control" or (method, path) in SUPERUSER_ONLY:
        assert answer.status_code == 403, answer.text
    if "{" in path and method != "GET" and "mcp/servers" not in path and "session" not in path:
        # A write aimed at one of Alice's things is refused outright (403/404) or fails validation (422).
        assert answer.status_code in (400, 403, 404, 405, 422), (method, url, answer.status_code, answer.text[:300])
    alice.assert_unchanged(before)


def test_another_users_lists_are_empty_of_alices_things(worlds: tuple[World, dict[str, str]]) -> None:
    alice, bob = worlds
    client = alice.client
    for url in ("/api/v1/flows/", "/api/v1/flows/?get_all=false", "/api/v1/flows/?header_flows=true",
                "/api/v2/files", "/api/v1/monitor/messages", "/api/v1/monitor/messages/sessions",
                "/api/v1/projects/", "/api/v2/mcp/servers", "/api/v1/variables/", "/api/v1/api_key/",
                f"/api/v1/monitor/builds?flow_id={alice.flow['id']}",
                f"/api/v1/monitor/transactions?flow_id={alice.flow['id']}", "/api/v1/monitor/traces",
                f"/api/v1/monitor/traces?flow_id={alice.flow['id']}",
                f"/api/v2/workflows?job_id={alice.job}", f"/api/v1/monitor/messages?flow_id={alice.flow['id']}"):
        answer = client.get(url, headers=bob)
        assert answer.status_code in (200, 404), (url, answer.text[:200])
        assert not leaks(alice, url, answer.text), (url, answer.text[:300])
    own = client.get("/api/v1/flows/?get_all=false", headers=alice.headers).json()
    assert alice.flow["id"] in {f["id"] for f in own["items"]}  # Alice still sees her own
