"""Hostile input: huge and deeply nested JSON, wrong content types, invalid UTF-8 and lone surrogates, header
injection, enormous query strings, path traversal in every path parameter of every route.

Each gets a clear 4xx in Langflow's error shape (or, where the recordings say so, Langflow's own answer), and
the stored data is the same afterwards: every table (but the request journal and the key's use counter) and
every stored byte is compared with a snapshot taken before.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_langflow import errors
from mock_langflow.jsonsafety import MAX_JSON_DEPTH
from tests.conftest import new_api_key
from tests.reliability.fuzzing import deliberate, error_shape_problem, served
from tests.reliability.live import Server
from tests.reliability.world import World

TRAVERSALS = ["../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "..\\..\\..\\windows\\win.ini", "%2Fetc%2Fpasswd", "....//....//etc/passwd", "..%00.json",
              "%252e%252e%252fetc"]
@pytest.fixture
def hostile(make_client: Callable[..., TestClient], chat_flow: dict[str, Any]) -> Iterator[World]:
    client = make_client(ephemeral=False, never_answer="error", job_latency_ms=0, max_file_size_upload=1)
    yield World(client, chat_flow)


def assert_refused(response: Any, *statuses: int) -> None:
    assert response.status_code in (statuses or range(400, 500)), (response.status_code, response.text[:300])
    body = response.json()
    assert error_shape_problem(response.status_code, body) is None, body


# --- bodies ---------------------------------------------------------------------------------------------

JSON_ROUTES = [("POST", "/api/v1/flows/"), ("POST", "/api/v1/flows/batch/"), ("POST", "/api/v2/workflows"),
               ("POST", "/api/v1/projects/"), ("POST", "/api/v1/variables/"), ("POST", "/api/v1/users/"),
               ("PATCH", "/api/v1/flows/{flow_id}"), ("PUT", "/api/v1/flows/{flow_id}"),
               ("POST", "/api/v1/run/{flow_id}"), ("POST", "/api/v1/webhook/{flow_id}"),
               ("POST", "/api/v1/build/{flow_id}/flow"), ("POST", "/api/v2/mcp/servers/other"),
               ("DELETE", "/api/v1/flows/"), ("POST", "/api/v1/run/advanced/{flow_id}")]


def json_routes(h: World) -> list[tuple[str, str]]:
    return [(method, path.format(flow_id=h.flow["id"])) for method, path in JSON_ROUTES]


def test_bodies_over_the_upload_limit_are_413_before_anything_is_read(hostile: World) -> None:
    before = hostile.snapshot()
    huge = json.dumps({"name": "huge", "data": {"nodes": ["x" * 1000] * 1500}}).encode()  # 1.5 MB, limit 1 MB
    for method, url in json_routes(hostile):
        response = hostile.send(method, url, content=huge, headers={"content-type": "application/json"})
        assert_refused(response, 413)
        assert response.json()["detail"].startswith("Content size limit exceeded. Maximum allowed is 1MB")
    upload = hostile.send("POST", "/api/v2/files", files={"file": ("big.bin", b"\0" * (1024 * 1024 + 1))})
    assert_refused(upload, 413)
    hostile.assert_unchanged(before)


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 200_000])
def test_deeply_nested_json_is_refused_as_a_body_that_cannot_be_parsed(hostile: World, depth: int) -> None:
    before = hostile.snapshot()
    nested = b'{"name": "deep", "data": {"nodes": ' + b"[" * depth + b"]" * depth + b"}}"
    for method, url in json_routes(hostile):
        response = hostile.send(method, url, content=nested, headers={"content-type": "application/json"})
        assert_refused(response, 400)
        assert response.json() == {"detail": "There was an error parsing the body"}
    as_file = hostile.send("POST", "/api/v1/flows/upload/", files={"file": ("deep.json", nested)})
    assert_refused(as_file, 400)
    hostile.assert_unchanged(before)


def test_json_nested_up_to_the_limit_is_stored_and_read_back(hostile: World) -> None:
    deep: Any = 1
    for _ in range(MAX_JSON_DEPTH - 2):
        deep = [deep]
    created = hostile.send("POST", "/api/v1/flows/",
                           json={"name": "deep but fine", "data": {"nodes": deep, "edges": []}})
    assert created.status_code == 201, created.text
    listed = hostile.send("GET", "/api/v1/flows/", params={"get_all": "false"})
    assert listed.status_code == 200
    assert any(f["data"] == {"nodes": deep, "edges": []} for f in listed.json()["items"])


def test_lone_surrogates_are_json_that_does_not_decode(hostile: World) -> None:
    before = hostile.snapshot()
    for body in (b'{"name": "a\\udc80b"}', b'{"name": "x", "data": {"k": "\\ud800"}}', b'["\\ud83d"]',
                 b'{"input_value": "\\udfff", "flow_id": "x"}',
                 # the same sent as raw bytes: not UTF-8, but json.loads decodes them with "surrogatepass"
                 b'{"name": "a\xed\xb2\x80b", "command": "\xed\xa0\x80"}'):
        for method, url in json_routes(hostile):
            response = hostile.send(method, url, content=body, headers={"content-type": "application/json"})
            assert_refused(response, 422)
            item = response.json()["detail"][0]
            assert (item["type"], item["loc"][0], item["msg"]) == ("json_invalid", "body", "JSON decode error")
    # An escaped backslash before "u" is no surrogate, and a proper pair is one character.
    fine = hostile.send("POST", "/api/v1/flows/", content=b'{"name": "a\\\\udc80 \\ud83d\\ude00"}',
                        headers={"content-type": "application/json"})
    assert fine.status_code == 201 and fine.json()["name"] == "a\\udc80 \U0001f600"
    hostile.send("DELETE", f"/api/v1/flows/{fine.json()['id']}")
    hostile.assert_unchanged(before)


def test_invalid_utf8_anywhere_is_a_clear_4xx(hostile: World) -> None:
    before = hostile.snapshot()
    for method, url in json_routes(hostile):
        if "/webhook/" in url or "/run/" in url and "advanced" not in url:
            continue  # these take any bytes (a webhook payload, /run's silently emptied flat body: fact 9)
        response = hostile.send(method, url, content=b'{"name": "\xff\xfe"}',
                                headers={"content-type": "application/json"})
        assert_refused(response)
    assert_refused(hostile.send("GET", "/api/v1/flows/%ff%fe"), 422)
    bad_key = hostile.client.get("/api/v1/flows/", headers={"x-api-key": b"sk-\xff\xfe"})
    assert (bad_key.status_code, bad_key.json()) == (403, {"detail": "Invalid API key"})
    odd_query = hostile.send("GET", "/api/v1/monitor/messages", params={"session_id": "\udcff".encode("utf-8",
                                                                                                     "surrogatepass")})
    assert odd_query.status_code == 200
    form = hostile.client.post("/api/v1/login", content=b"username=\xff&password=\xfe",
                               headers={"content-type": "application/x-www-form-urlencoded"})
    assert_refused(form, 401)
    hostile.assert_unchanged(before)


def test_wrong_content_types_are_refused(hostile: World) -> None:
    before = hostile.snapshot()
    body = json.dumps({"name": "typed"}).encode()
    for content_type in ("text/plain", "application/xml", "multipart/form-data; boundary=x", "image/png", ""):
        response = hostile.send("POST", "/api/v1/flows/", content=body, headers={"content-type": content_type})
        assert_refused(response, 400, 422)
    not_multipart = hostile.send("POST", f"/api/v1/files/upload/{hostile.flow['id']}", json={"file": "x"})
    assert (not_multipart.status_code, not_multipart.json()) == (
        422, {"detail": "Content-Type header must be 'multipart/form-data' with a boundary parameter."})
    for url in ("/api/v2/files", "/api/v1/flows/upload/", "/api/v1/projects/upload/"):
        assert_refused(hostile.send("POST", url, content=b"plain", headers={"content-type": "text/plain"}))
        assert_refused(hostile.send("POST", url, content=b"--x\r\n\r\n--x--",
                                    headers={"content-type": "multipart/form-data; boundary=x"}))
    login = hostile.client.post("/api/v1/login", json={"username": "langflow", "password": "x"})
    assert_refused(login, 422)
    hostile.assert_unchanged(before)


# --- headers and query strings --------------------------------------------------------------------------

INJECTIONS = ["a\r\nX-Injected: 1", "a\nSet-Cookie: stolen=1", "a\rLocation: http://evil.example", 'a"; x="y',
              "a\u2028b\u0085c"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8"])
def test_names_that_end_up_in_headers_cannot_inject_one(make_client: Callable[..., TestClient], version: str) -> None:
    """1.13 refuses most of these names; 1.8 keeps them, made safe: either way no header is injected."""
    client = make_client(ephemeral=False, langflow_version=version)
    key = {"x-api-key": new_api_key(client)}

    def send(method: str, url: str, **kwargs: Any) -> Any:
        return client.request(method, url, headers={**key, **kwargs.pop("headers", {})}, **kwargs)

    for name in INJECTIONS:
        uploaded = send("POST", "/api/v2/files", files={"file": (name + ".txt", b"bytes")})
        if uploaded.status_code == 400:  # 1.13 refuses a line separator outright (httpx escapes CR and LF)
            assert uploaded.json() == {"detail": errors.FILE_NAME_UNSAFE}
            continue
        assert uploaded.status_code == 201, uploaded.text
        renamed = send("PUT", f"/api/v2/files/{uploaded.json()['id']}", params={"name": name})
        # 1.13 refuses a name with CR, LF or a line separator outright; the others are kept, made safe.
        assert (renamed.status_code, renamed.json().get("detail")) in ((200, None), (400, errors.FILE_NAME_UNSAFE))
        download = send("GET", f"/api/v2/files/{uploaded.json()['id']}")
        assert download.status_code == 200
        assert "x-injected" not in download.headers and "location" not in download.headers
        assert "set-cookie" not in download.headers
        disposition = download.headers["content-disposition"]
        assert not re.search(r"[\r\n\x00-\x1f\x7f\u2028\u0085]", disposition), disposition
        send("DELETE", f"/api/v2/files/{uploaded.json()['id']}")
    # A header value of the request itself is only ever compared, never echoed.
    response = send("GET", "/api/v1/flows/", headers={"x-langflow-global-var-x": "a\tb",
                                                              "If-Match": '"; drop table flow'})
    assert response.status_code == 200


def test_enormous_query_strings_are_answered_without_a_server_error(hostile: World) -> None:
    before = hostile.snapshot()
    big = "x" * 20_000  # with the rest, just under the 64 KiB a URL may have (httpx's limit, and more than h11's)
    for method, url in (("GET", "/api/v1/flows/"), ("GET", "/api/v1/monitor/messages"), ("GET", "/api/v2/files"),
                        ("GET", "/api/v1/users/"), ("GET", "/api/v2/workflows"), ("GET", "/api/v1/config"),
                        ("POST", f"/api/v1/webhook/{hostile.flow['id']}"), ("DELETE", "/api/v1/flows/")):
        query = f"session_id={big}&flow_id={big}&page={'9' * 4000}&{'&'.join(f'k{i}=v' for i in range(2_000))}"
        response = hostile.send(method, f"{url}?{query}")
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code >= 400:
            assert error_shape_problem(response.status_code, response.json()) is None
    hostile.assert_unchanged(before)


# --- path traversal, every path parameter of every route --------------------------------------------------

# Answers other than 4xx that the contract prescribes, for a name that holds a traversal and so names nothing:
CONTRACT_ANSWERS = {
    # fact 37: deleting a v1 file that is not there is 200; a v1 download of one is the recorded 500.
    ("DELETE", "/api/v1/files/delete/{flow_id}/{file_name}", "file_name"): 200,
    ("GET", "/api/v1/files/download/{flow_id}/{file_name}", "file_name"): 500,
    # api/v2/mcp.py get_server: an unknown name is 200 with a null body.
    ("GET", "/api/v2/mcp/servers/{server_name}", "server_name"): 200,
    # fact 40: deleting a session that is not there is 204; renaming one renames nothing.
    ("DELETE", "/api/v1/monitor/messages/session/{session_id}", "session_id"): 204,
    ("PATCH", "/api/v1/monitor/messages/session/{old_session_id}", "old_session_id"): 422,
    # api/v1/chat.py build_vertex_stream: any vertex id of the caller's flow streams, its error inside the stream
    ("GET", "/api/v1/build/{flow_id}/{vertex_id}/stream", "vertex_id"): 200,
}


def traversal_cases() -> list[tuple[str, str]]:
    from tests.reliability.fuzzing import mock_app

    routes = sorted((m, p) for m, p in served(mock_app()) if "{" in p and m != "HEAD" and not p.startswith("/_mock"))
    return routes


@pytest.mark.parametrize("payload", TRAVERSALS)
def test_path_traversal_in_every_path_parameter(hostile: World, payload: str) -> None:
    before = hostile.snapshot()
    outside = Path("/etc/passwd").read_bytes() if Path("/etc/passwd").exists() else b"\0no such file\0"
    checked = 0
    for method, template in traversal_cases():
        for param in re.findall(r"{(\w+)}", template):
            url = template
            for name in re.findall(r"{(\w+)}", template):
                url = url.replace("{" + name + "}", payload if name == param else hostile.sample(name, template))
            response = hostile.send(method, url)
            checked += 1
            expected = CONTRACT_ANSWERS.get((method, template, param))
            body = response.content
            assert outside not in body or not outside, (method, url)
            if response.status_code in (200, 204) and expected in (200, 204):
                continue
            if not response.request.url.path.startswith("/api"):
                # The client resolved the dot segments, leaving the API: the frontend page, or 405 (fact 43).
                assert response.status_code in (200, 405), (method, url, response.status_code)
                continue
            if response.headers["content-type"].startswith("text/html"):
                # a page Langflow answers off its document (fuzzing.DELIBERATE: 1.13's OAuth pages' HTML 400)
                assert deliberate(response.status_code, body.decode()), (method, url, response.status_code)
                continue
            assert response.headers.get("content-type", "").startswith("application/json"), (method, url, body[:200])
            parsed = json.loads(body) if body else None
            if response.status_code >= 500:
                assert deliberate(response.status_code, parsed), (method, url, response.status_code, body[:300])
            else:
                assert 400 <= response.status_code < 500, (method, url, response.status_code, body[:300])
            assert error_shape_problem(response.status_code, parsed) is None, (method, url, body[:300])
    assert checked >= 60
    hostile.assert_unchanged(before)


# --- header injection on the wire -----------------------------------------------------------------------

SMUGGLING = [
    b"POST /api/v1/flows/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
    b"POST /api/v1/flows/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
    b"GET /api/v1/flows/ HTTP/1.1\r\nHost: x\r\nx-api-key: a\nInjected: 1\r\n\r\n",
    b"GET /api/v1/flows/ HTTP/1.1\r\nHost: x\r\nx-api-key: a\x00b\r\n\r\n",
    b"GET /api/v1/flows/\r\nInjected: 1 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/v1/version HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n",
]


def raw_request(url: str, payload: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_header_injection_and_smuggling_on_the_wire_are_refused(tmp_path: Path) -> None:
    """What the HTTP parser refuses (as uvicorn refuses it for real Langflow too): a 400 or a closed connection,
    never a second request, and the server answers the next client as before."""
    server = Server(tmp_path / "data")
    try:
        for payload in SMUGGLING:
            answer = raw_request(server.url, payload)
            status_lines = [line for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]
            assert len(status_lines) <= 1, answer[:500]  # one request in, at most one answer out
            refusals = (b"400", b"403", b"413", b"422", b"431")
            if b"X-Big" in payload:
                # h11 refuses a header block over 16 KB only while it is still incomplete: when all 100 KB
                # arrive in one read (loopback often does that) the request is whole and answered, as by the
                # uvicorn in front of real Langflow. Either way: one answer, and the server goes on.
                refusals += (b"200",)
            assert not status_lines or status_lines[0].split()[1] in refusals, answer[:300]
        with httpx.Client(base_url=server.url, headers={"x-api-key": server.key}) as client:
            assert client.get("/api/v1/version").status_code == 200
            assert client.get("/api/v1/flows/", params={"get_all": "false"}).json()["total"] == 0
    finally:
        server.stop()
    assert "Traceback" not in server.log(), server.log()[-3000:]
