"""Langflow 1.13 refuses an /api/v2/mcp/servers config whose stdio part (command, args, env) breaks its policy:
a 422 value_error on the body, before any other check of the route. 1.8 keeps any config."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, load_json, new_api_key, other_user_key

PATH = "/api/v2/mcp/servers/tool"
ALLOWED = "bash, cmd, docker, node, npx, python, python3, sh, uvx"


def refused(msg: str, sent: Any = None) -> dict[str, Any]:
    """1.13's 422: the policy's message, where each string of 8 characters or more that the body `sent` shows in it
    is "[redacted]" (the longest first)."""
    strings: list[str] = []
    pending = [sent]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            strings.append(item)
        else:
            pending.extend(item.values() if isinstance(item, dict) else item if isinstance(item, list) else [])
    for value in sorted((v for v in strings if len(v) >= 8), key=len, reverse=True):
        msg = msg.replace(value, "[redacted]")
    return {"detail": [{"type": "value_error", "loc": ["body"], "msg": f"Value error, {msg}"}]}


@pytest.mark.parametrize(("body", "msg"), [
    ({"command": "rm", "args": ["-rf", "/"]},
     f"Command 'rm' is not allowed for security reasons. Allowed commands: {ALLOWED}"),
    ({"command": "/usr/local/bin/curl"},
     f"Command 'curl' is not allowed for security reasons. Allowed commands: {ALLOWED}"),
    ({"command": "uvx mcp-server-fetch"},
     "MCP stdio command must be a single executable name or path; put options and arguments in the 'args' field"),
    ({"command": "node", "args": ["--require", "./hook.js", "server.js"]},
     "Node.js runtime options or 'inspect' are not allowed before an MCP server script; use "
     "'node server.js [server args]' or an operator-approved launcher"),
    ({"command": "uvx", "args": ["--index-url", "https://pypi.example", "tool"]},
     "Argument '--index-url' is not allowed for MCP stdio command 'uvx'"),
    ({"command": "uvx", "args": ["--from", "git+https://example.test/tool", "tool"]},
     "Argument 'git+https://example.test/tool' is not allowed for MCP stdio command 'uvx'"),
    ({"command": "npx", "args": ["--registry", "https://npm.example", "tool"]},
     "Argument '--registry' is not allowed for MCP stdio command 'npx'"),
    ({"command": "docker", "args": ["ps"]}, "Argument 'ps' is not allowed for MCP stdio command 'docker'"),
    ({"command": "docker", "args": ["run", "-v", "/:/host", "image"]},
     "Argument '-v' is not allowed for MCP stdio command 'docker'"),
    ({"command": "docker", "args": ["run", "--net=bridge", "image"]},
     "Docker argument '--net=bridge' is not allowed for security reasons"),
    ({"command": "python", "args": ["-c", "print(1)"]},
     "Flag -c or /c is only allowed with shell wrappers (cmd/sh/bash), not with 'python'"),
    ({"command": "sh", "args": ["-c", "rm -rf /"]},
     "Shell wrapper 'sh' cannot execute 'rm'. Only these commands can be wrapped: docker, node, npx, python, "
     "python3, uvx"),
    ({"command": "sh", "args": ["-c", "uvx tool*"]},
     "Shell wrapper 'sh' contains unsupported character '*' and is not allowed for MCP stdio; set the executable "
     "directly as 'command' (for example, 'uvx') and pass its arguments separately in 'args'"),
    ({"command": "node", "args": ["server.js", "a;b"]}, "Argument contains dangerous shell metacharacter ';': a;b"),
    ({"command": "node", "args": ["server.js", "pip install evil"]},
     "Argument 'pip install evil' contains dangerous keyword 'pip' and is not allowed"),
    ({"command": "uvx", "args": ["tool"], "env": {"LD_PRELOAD": "/tmp/x.so"}},
     "Environment variable 'LD_PRELOAD' is not allowed for security reasons"),
    ({"command": "uvx", "args": ["tool"], "env": {"OPENSSL_CONF": "/tmp/x.cnf"}},
     "Environment variable 'OPENSSL_CONF' is not allowed for security reasons"),
    ({"args": ["-e"]}, "Argument '-e' contains dangerous keyword '-e' and is not allowed"),
], ids=lambda v: v.get("command", "no-command") if isinstance(v, dict) else None)
def test_a_stdio_config_outside_the_policy_is_a_422_and_is_not_added(client: TestClient, key_headers: dict[str, str],
                                                                     body: dict[str, Any], msg: str) -> None:
    response = client.post(PATH, headers=key_headers, json=body)
    assert (response.status_code, response.json()) == (422, refused(msg, body))
    assert client.get(PATH, headers=key_headers).status_code == 404


def test_a_value_sent_of_8_characters_or_more_is_redacted_from_the_422(client: TestClient,
                                                                      key_headers: dict[str, str]) -> None:
    """1.13's 422 handler keeps a validator's message but puts "[redacted]" in place of every string of 8
    characters or more that the body holds (a real 1.13.0 answered these)."""
    long = client.post(PATH, headers=key_headers, json={"command": "not-a-uuid"})
    assert long.json()["detail"][0]["msg"] == (
        f"Value error, Command '[redacted]' is not allowed for security reasons. Allowed commands: {ALLOWED}")
    short = client.post(PATH, headers=key_headers, json={"command": "curl"})
    assert short.json()["detail"][0]["msg"] == (
        f"Value error, Command 'curl' is not allowed for security reasons. Allowed commands: {ALLOWED}")


@pytest.mark.parametrize("body", [
    {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
    {"command": "uvx", "args": ["--with", "mcp~=1.28", "mcp-proxy", "--headers", "x-api-key", "k",
                                "http://localhost:7860/api/v1/mcp/project/p/streamable"]},
    {"command": "sh", "args": ["-c", "uvx mcp-server-fetch"]},
    {"command": "cmd", "args": ["/c", "uvx", "mcp-server-fetch"]},
    {"command": "/usr/bin/node", "args": ["server.js"], "env": {"GITHUB_TOKEN": "t", "PYTHONUNBUFFERED": "1"}},
    {"command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch"]},
    {"url": "http://example.test/mcp"},
], ids=["npx", "mcp-proxy", "sh", "cmd", "node", "docker", "url"])
def test_configs_within_the_policy_are_added(client: TestClient, key_headers: dict[str, str],
                                             body: dict[str, Any]) -> None:
    assert client.post(PATH, headers=key_headers, json=body).status_code == 200


APPROVED = "@modelcontextprotocol/server-filesystem, mcp-proxy, mcp-server-fetch"


@pytest.mark.parametrize(("body", "msg"), [
    ({"command": "uvx", "args": ["mcp-server-git"]},
     f"Package 'mcp-server-git' is not allowed for MCP uvx. Server-approved packages: {APPROVED}"),
    ({"command": "uvx", "args": ["--with", "requests", "mcp-server-fetch"]},
     f"Package 'requests' is not allowed for MCP uvx. Server-approved packages: {APPROVED}"),
    ({"command": "uvx", "args": ["--from", "mcp-server-fetch", "fetch-cli"]},
     "Entrypoint 'fetch-cli' is not allowed for MCP uvx package 'mcp-server-fetch'. Allowed entrypoints: "
     "mcp-server-fetch"),
    ({"command": "uvx", "args": ["--from", "mcp-proxy", "--from", "mcp-server-fetch", "mcp-proxy"]},
     "Multiple --from packages are not allowed for MCP uvx"),
    ({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"]},
     f"Package '@modelcontextprotocol/server-github' is not allowed for MCP npx. Server-approved packages: "
     f"{APPROVED}"),
    ({"command": "npx", "args": ["--package", "@modelcontextprotocol/server-filesystem", "server-filesystem"]},
     "Package '@modelcontextprotocol/server-filesystem' has no verified entrypoint for explicit MCP npx package "
     "selection; use the direct npx package form"),
    ({"command": "npx", "args": ["-p", "mcp-proxy", "other-tool"]},
     "Entrypoint 'other-tool' is not allowed for MCP npx packages 'mcp-proxy'. Allowed entrypoints: mcp-proxy"),
    ({"command": "sh", "args": ["-c", "uvx mcp-server-git"]},
     f"Package 'mcp-server-git' is not allowed for MCP uvx. Server-approved packages: {APPROVED}"),
], ids=["uvx", "uvx-with", "uvx-from-entrypoint", "uvx-two-froms", "npx", "npx-package-unverified",
        "npx-package-entrypoint", "wrapped"])
def test_with_a_package_allowlist_only_its_packages_run(make_client: Callable[..., TestClient], body: dict[str, Any],
                                                       msg: str) -> None:
    """LANGFLOW_MCP_SERVER_ALLOWED_PACKAGES (1.13): uvx and npx install and run only the listed packages (names
    compared without versions or extras, in any case), a package named apart from what runs only with an
    entrypoint Langflow knows it to have."""
    client = make_client(
        mcp_server_allowed_packages="mcp-server-fetch,MCP-Proxy, @modelcontextprotocol/server-filesystem@1.2")
    headers = {"x-api-key": new_api_key(client)}
    response = client.post(PATH, headers=headers, json=body)
    assert (response.status_code, response.json()) == (422, refused(msg, body))


def test_an_allowlist_lets_its_packages_and_langflows_own_sdk_pin_through(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(mcp_server_allowed_packages="mcp-server-fetch,mcp-proxy")
    headers = {"x-api-key": new_api_key(client)}
    for i, body in enumerate((
            {"command": "uvx", "args": ["mcp-server-fetch==2025.1.1"]},
            {"command": "uvx", "args": ["--with", "mcp~=1.28", "mcp-proxy", "--headers", "x-api-key", "k",
                                        "http://localhost:7860/api/v1/mcp/project/p/streamable"]},
            {"command": "npx", "args": ["-y", "mcp-proxy@1"]},
            {"command": "npx", "args": ["--package", "mcp-proxy", "mcp-proxy"]},
            {"command": "node", "args": ["server.js"]})):
        assert client.post(f"{PATH}{i}", headers=headers, json=body).status_code == 200, body
    nothing = make_client(mcp_server_allowed_packages="")  # set, but empty: no package at all
    refusal = nothing.post(PATH, headers={"x-api-key": new_api_key(nothing)},
                           json={"command": "uvx", "args": ["mcp-server-fetch"]})
    assert refusal.json() == refused("Package '[redacted]' is not allowed for MCP uvx. Server-approved packages: "
                                     "<none>")
    sent = upload_servers_file(client, headers, {"mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}})
    assert sent.status_code == 422
    assert "Value error, Package 'mcp-server-git' is not allowed for MCP uvx" in sent.json()["detail"]
    anything = make_client()  # without the setting, any package of the index
    assert anything.post(PATH, headers={"x-api-key": new_api_key(anything)},
                         json={"command": "uvx", "args": ["mcp-server-git"]}).status_code == 200


def test_with_an_env_allowlist_a_config_sets_only_the_names_it_lists(make_client: Callable[..., TestClient]) -> None:
    """LANGFLOW_MCP_SERVER_ENV_ALLOWLIST (1.13): names outside it are refused (compared trimmed, in any case), and
    it replaces the default policy's families, so a name of one of them that the list names passes."""
    client = make_client(mcp_server_env_allowlist="GITHUB_TOKEN, node_env,PYTHONPATH")
    headers = {"x-api-key": new_api_key(client)}
    refusal = client.post(PATH, headers=headers, json={"command": "uvx", "args": ["tool"],
                                                        "env": {"GITHUB_TOKEN": "t", "BRAVE_API_KEY": "k"}})
    assert refusal.json() == refused("Environment variable 'BRAVE_API_KEY' is not allowed: this deployment restricts "
                                     "MCP stdio environments to LANGFLOW_MCP_SERVER_ENV_ALLOWLIST")
    allowed = {"command": "uvx", "args": ["tool"], "env": {"github_token": "t", "NODE_ENV": "x", "PYTHONPATH": "/p"}}
    assert client.post(PATH, headers=headers, json=allowed).status_code == 200
    none = make_client(mcp_server_env_allowlist="")
    assert none.post(PATH, headers={"x-api-key": new_api_key(none)},
                     json={"command": "uvx", "args": ["tool"], "env": {"GITHUB_TOKEN": "t"}}).status_code == 422


HARDENED_INTERPRETER = ("Interpreter command '{}' is not allowed when LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING=true. "
                        "Use an operator-approved package runner instead.")
HARDENED_SHELL = ("Shell command '{}' must wrap an approved MCP command when LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING="
                  "true. Direct shell scripts are not allowed.")
DIRECT_SHELL = "Direct shell scripts are not allowed for MCP command 'sh'"


@pytest.mark.parametrize(("body", "msg"), [
    ({"command": "python", "args": ["server.py"]}, HARDENED_INTERPRETER.format("python")),
    ({"command": "python3", "args": ["-m", "my_mcp_server"]}, HARDENED_INTERPRETER.format("python3")),
    ({"command": "node", "args": ["server.js"]}, HARDENED_INTERPRETER.format("node")),
    ({"command": "node.EXE", "args": ["--require", "x", "s.js"]}, HARDENED_INTERPRETER.format("node")),
    ({"command": "bash", "args": ["script.sh"]}, HARDENED_SHELL.format("bash")),
    ({"command": "cmd", "args": ["/d", "uvx", "x"]}, HARDENED_SHELL.format("cmd")),
    # cmd's switch leads for sh too, but sh runs no command line after it
    ({"command": "sh", "args": ["/c", "uvx mcp-server-fetch"]}, DIRECT_SHELL),
    ({"command": "sh", "args": ["-c"]}, DIRECT_SHELL),
    ({"command": "sh", "args": ["-c", "python server.py"]}, HARDENED_INTERPRETER.format("python")),
    ({"command": "sh", "args": ["-c", "node server.js"], "env": {"LD_PRELOAD": "x"}},
     HARDENED_INTERPRETER.format("node")),  # the wrapped launcher first
], ids=["python", "python3-module", "node", "node-option", "bash-script", "cmd-no-run", "sh-cmd-switch", "sh-empty",
        "sh-python", "sh-node-before-env"])
def test_with_interpreter_hardening_python_and_node_run_only_langflows_agentic_module(
        make_client: Callable[..., TestClient], body: dict[str, Any], msg: str) -> None:
    """LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING (1.13): python and node only as `python -m
    langflow.agentic.mcp[.server]`, a shell only to wrap a command line, wrapped ones held to the same rules."""
    client = make_client(mcp_server_interpreter_hardening=True)
    headers = {"x-api-key": new_api_key(client)}
    response = client.post(PATH, headers=headers, json=body)
    assert (response.status_code, response.json()) == (422, refused(msg, body))


def test_interpreter_hardening_keeps_the_agentic_module_and_the_launchers(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(mcp_server_interpreter_hardening=True)
    headers = {"x-api-key": new_api_key(client)}
    for i, body in enumerate(({"command": "python", "args": ["-m", "langflow.agentic.mcp"]},
                              {"command": "python3", "args": ["-m", "langflow.agentic.mcp.server", "--stdio"]},
                              {"command": "uvx", "args": ["mcp-server-fetch"]},
                              {"command": "sh", "args": ["-c", "uvx mcp-server-fetch"]},
                              {"command": "cmd", "args": ["/d", "/c", "uvx", "mcp-proxy"]})):
        assert client.post(f"{PATH}{i}", headers=headers, json=body).status_code == 200, body
    assert client.post(f"{PATH}x", headers=headers, json={"command": "python", "args": ["s.py"]}).status_code == 422
    default = make_client()
    assert default.post(PATH, headers={"x-api-key": new_api_key(default)},
                        json={"command": "python", "args": ["s.py"]}).status_code == 200


DOCKER_ARGUMENT = "Argument '{}' is not allowed for MCP stdio command 'docker'"


@pytest.mark.parametrize(("body", "msg"), [
    ({"command": "docker", "args": ["run", "-i", "--rm", "--gpus", "all", "mcp/fs"]}, DOCKER_ARGUMENT.format("--gpus")),
    ({"command": "docker", "args": ["run", "-i", "-p", "8080:80", "img"]}, DOCKER_ARGUMENT.format("-p")),
    ({"command": "docker", "args": ["run", "-itp8080:80", "img"]}, DOCKER_ARGUMENT.format("-itp8080:80")),
    ({"command": "docker", "args": ["run", "--env-file", ".env", "img"]}, DOCKER_ARGUMENT.format("--env-file")),
    ({"command": "docker", "args": ["run", "--use-api-socket", "img"]}, DOCKER_ARGUMENT.format("--use-api-socket")),
    ({"command": "docker", "args": ["run", "--restart=always", "img"]}, DOCKER_ARGUMENT.format("--restart=always")),
    ({"command": "docker", "args": ["run", "--network", "internal", "img"]}, DOCKER_ARGUMENT.format("--network")),
    ({"command": "docker", "args": ["run", "--userns=host", "img"]}, DOCKER_ARGUMENT.format("--userns=host")),
    ({"command": "sh", "args": ["-c", "docker run -p 80:80 img"]},
     "Docker argument '-p' is not allowed for security reasons"),
    ({"command": "bash", "args": ["-c", "docker run --restart=always img"], "env": {"LD_PRELOAD": "x"}},
     "Docker argument '--restart=always' is not allowed for security reasons"),  # what it wraps, before the env
], ids=["gpus", "publish", "publish-cluster", "env-file", "api-socket", "restart", "named-network", "host-userns",
        "wrapped-publish", "wrapped-before-env"])
def test_with_docker_hardening_a_container_gets_no_host_access(make_client: Callable[..., TestClient],
                                                                body: dict[str, Any], msg: str) -> None:
    """LANGFLOW_MCP_SERVER_DOCKER_HARDENING (1.13): beyond the default rules (no volumes, devices, privileges), no
    GPUs, ports, host files, API socket, restarts or
    namespaces shared with the host, and only the default networks; by default a docker server may have them."""
    client = make_client(mcp_server_docker_hardening=True)
    response = client.post(PATH, headers={"x-api-key": new_api_key(client)}, json=body)
    assert (response.status_code, response.json()) == (422, refused(msg, body))
    default = make_client()
    without_env = {k: v for k, v in body.items() if k != "env"}
    assert default.post(PATH, headers={"x-api-key": new_api_key(default)}, json=without_env).status_code == 200


def test_docker_hardening_keeps_an_isolated_container(make_client: Callable[..., TestClient]) -> None:
    client = make_client(mcp_server_docker_hardening=True)
    headers = {"x-api-key": new_api_key(client)}
    for i, body in enumerate((
            {"command": "docker", "args": ["run", "-i", "--rm", "--network", "none", "--user", "1000",
                                           "--security-opt", "no-new-privileges", "mcp/fetch"]},
            {"command": "docker", "args": ["run", "--network=BRIDGE", "img"]},
            {"command": "sh", "args": ["-c", "docker run -i --network=bridge img"]})):
        assert client.post(f"{PATH}{i}", headers=headers, json=body).status_code == 200, body
    assert client.get(f"{PATH}0", headers=headers).json()["args"][-1] == "mcp/fetch"


def test_a_patch_is_judged_by_what_it_sends_and_a_refused_one_changes_nothing(
        client: TestClient, key_headers: dict[str, str]) -> None:
    assert client.post(PATH, headers=key_headers, json={"command": "uvx", "args": ["tool"]}).status_code == 200
    response = client.patch(PATH, headers=key_headers, json={"args": ["tool", "exec"]})
    assert (response.status_code, response.json()) == (
        422, refused("Argument 'exec' contains dangerous keyword 'exec' and is not allowed"))
    assert client.get(PATH, headers=key_headers).json() == {"command": "uvx", "args": ["tool"]}
    # the command stored is not looked at: these args alone pass
    assert client.patch(PATH, headers=key_headers, json={"args": ["--anything"]}).status_code == 200


def test_the_policy_comes_before_the_lock_and_the_name_checks(make_client: Callable[..., TestClient]) -> None:
    client = make_client(mcp_servers_locked=True)
    bob = {"x-api-key": other_user_key(client, {"x-api-key": new_api_key(client)})}
    body = {"name": "other", "command": "rm"}
    msg = f"Command 'rm' is not allowed for security reasons. Allowed commands: {ALLOWED}"
    for response in (client.post(PATH, headers=bob, json=body), client.patch(PATH, headers=bob, json=body)):
        assert (response.status_code, response.json()) == (422, refused(msg, body))


def test_before_1_13_any_command_is_kept(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    response = client.post(PATH, headers=headers, json={"command": "rm", "args": ["-rf", "/"], "env": {"PATH": "/"}})
    assert (response.status_code, response.json()) == (200, {"command": "rm", "args": ["-rf", "/"],
                                                             "env": {"PATH": "/"}})


STDIO_RESTRICTED = {"detail": "MCP stdio servers are restricted to administrators when custom code execution is "
                              "restricted."}


@pytest.mark.parametrize("setting", [{"allow_custom_components": False}, {"custom_component_admin_only": True},
                                     {"block_code_interpreter_components": True}])
def test_restricted_custom_code_leaves_stdio_servers_to_superusers(make_client: Callable[..., TestClient],
                                                                   setting: dict[str, bool]) -> None:
    """1.13 with custom code restricted (any of three settings): a stdio config (a command, or mode "stdio") is
    a superuser's only; anyone else gets a 403 adding one, patching into one, or counting the tools of a list
    that holds one. A URL server stays open."""
    client = make_client(add_projects_to_mcp_servers=False, **setting)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    assert client.post(PATH, headers=admin, json={"command": "uvx", "args": ["tool"]}).status_code == 200
    assert client.post("/api/v2/mcp/servers/web", headers=bob, json={"url": "http://x"}).status_code == 200
    answers = [client.post(PATH, headers=bob, json={"command": "uvx", "args": ["tool"]}),
               client.post("/api/v2/mcp/servers/other", headers=bob, json={"url": "http://x", "mode": "Stdio"}),
               client.patch("/api/v2/mcp/servers/web", headers=bob, json={"command": "uvx"}),
               client.patch("/api/v2/mcp/servers/gone", headers=bob, json={"command": "uvx"})]
    assert [(r.status_code, r.json()) for r in answers] == [(403, STDIO_RESTRICTED)] * 4
    assert client.get("/api/v2/mcp/servers", params={"action_count": True}, headers=bob).status_code == 200
    assert client.get("/api/v2/mcp/servers", params={"action_count": True}, headers=admin).status_code == 200


def test_a_stored_stdio_server_is_refused_when_patched_or_counted(make_client: Callable[..., TestClient]) -> None:
    """The merged config is judged too: a PATCH that sends no command still refuses a stored stdio server (one
    kept from before the setting), once the 404 check passed; counting a list with one is refused, its names
    alone are not."""
    client = make_client(add_projects_to_mcp_servers=False, custom_component_admin_only=True)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    bob_id = client.get("/api/v1/users/whoami", headers=bob).json()["id"]
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    store.mcp.put_server(user_id=uuid.UUID(bob_id), name="tool", config={"command": "uvx", "args": ["tool"]})
    response = client.patch(PATH, headers=bob, json={"env": {"A": "1"}})
    assert (response.status_code, response.json()) == (403, STDIO_RESTRICTED)
    response = client.patch("/api/v2/mcp/servers/gone", headers=bob, json={"env": {"A": "1"}})
    assert response.status_code == 404
    response = client.get("/api/v2/mcp/servers", params={"action_count": True}, headers=bob)
    assert (response.status_code, response.json()) == (403, STDIO_RESTRICTED)
    assert client.get("/api/v2/mcp/servers", headers=bob).status_code == 200
    assert client.get("/api/v1/config", headers=bob).json()["custom_component_admin_only"] is True


def test_by_default_anyone_keeps_stdio_servers(client: TestClient, key_headers: dict[str, str]) -> None:
    bob = {"x-api-key": other_user_key(client, key_headers)}
    assert client.post(PATH, headers=bob, json={"command": "uvx", "args": ["tool"]}).status_code == 200
    assert client.get("/api/v2/mcp/servers", params={"action_count": True}, headers=bob).status_code == 200


def project_named(client: TestClient, headers: dict[str, str], name: str) -> dict[str, Any] | None:
    return next((p for p in client.get("/api/v1/projects/", headers=headers).json() if p["name"] == name), None)


def servers(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    names = [s["name"] for s in client.get("/api/v2/mcp/servers", headers=headers).json()]
    return {n: client.get(f"/api/v2/mcp/servers/{n}", headers=headers).json() for n in names}


@pytest.mark.parametrize("setting", [{"allow_custom_components": False}, {"block_code_interpreter_components": True}])
def test_restricted_custom_code_refuses_the_project_entry_of_a_new_project(
        make_client: Callable[..., TestClient], setting: dict[str, bool]) -> None:
    """1.13 writes each project's `uvx mcp-proxy ...` entry through the same check: with custom code restricted,
    a user who is no superuser creating a project (POST, or a PUT of a new id) gets the 403 and no project; an
    OAuth project (which gets no entry) is made. The superuser's are made, and so are anyone's when projects
    get no entries."""
    client = make_client(**setting)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    answers = [client.post("/api/v1/projects/", headers=bob, json={"name": "Mine"}),
               client.put(f"/api/v1/projects/{uuid.UUID(int=7)}", headers=bob, json={"name": "Mine"}),
               client.post("/api/v1/projects/", headers=bob, json={"name": "Mine", "auth_settings": {
                   "auth_type": "apikey"}})]
    assert [(r.status_code, r.json()) for r in answers] == [(403, STDIO_RESTRICTED)] * 3
    assert project_named(client, bob, "Mine") is None
    assert servers(client, bob) == {}
    assert client.get("/api/v1/api_key/", headers=bob).json()["api_keys"][-1]["name"] == "bob"  # no key was made
    oauth = {"auth_type": "oauth", "oauth_host": "localhost", "oauth_port": "9000",
             "oauth_server_url": "http://localhost:9000", "oauth_client_id": "c", "oauth_client_secret": "s",
             "oauth_auth_url": "http://a", "oauth_token_url": "http://t"}
    made = client.post("/api/v1/projects/", headers=bob, json={"name": "Sso", "auth_settings": oauth})
    assert made.status_code == 201
    assert client.post("/api/v1/projects/", headers=admin, json={"name": "Mine"}).status_code == 201
    assert "lf-mine" in servers(client, admin)
    unlisted = make_client(add_projects_to_mcp_servers=False, **setting)
    bob = {"x-api-key": other_user_key(unlisted, {"x-api-key": new_api_key(unlisted)})}
    assert unlisted.post("/api/v1/projects/", headers=bob, json={"name": "Mine"}).status_code == 201


def test_restricted_custom_code_refuses_rewriting_or_renaming_a_project_entry(
        make_client: Callable[..., TestClient]) -> None:
    """A project's auth set to "apikey" or "none" (PATCH of the project or of its MCP settings) rewrites its entry,
    and a rename writes it under the new name: with custom code restricted a user who is no superuser gets the
    403 and nothing changes; a change that leaves the entry as it is passes."""
    client = make_client(custom_component_admin_only=True)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    starter = project_named(client, bob, "Starter Project")
    assert starter is not None and servers(client, bob) == {}  # made at bob's login, without an entry
    path = f"/api/v1/projects/{starter['id']}"
    answers = [client.patch(path, headers=bob, json={"auth_settings": {"auth_type": "none"}}),
               client.patch(f"/api/v1/mcp/project/{starter['id']}", headers=bob,
                            json={"settings": [], "auth_settings": {"auth_type": "apikey"}})]
    assert [(r.status_code, r.json()) for r in answers] == [(403, STDIO_RESTRICTED)] * 2
    assert project_named(client, bob, "Starter Project")["auth_settings"] is None  # type: ignore[index]
    assert servers(client, bob) == {}
    # an entry this project already has (from before the setting) that matches its auth is left alone
    url = f"http://127.0.0.1:7860/api/v1/mcp/project/{starter['id']}/streamable"
    entry = {"command": "uvx", "args": ["--with", "mcp~=1.28", "mcp-proxy", "--transport", "streamablehttp", url]}
    bob_id = uuid.UUID(client.get("/api/v1/users/whoami", headers=bob).json()["id"])
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    store.mcp.put_server(user_id=bob_id, name="lf-starter_project", config=entry)
    patched = client.patch(path, headers=bob, json={"auth_settings": {"auth_type": "none"}})
    assert patched.status_code == 200
    renamed = client.patch(path, headers=bob, json={"name": "Renamed"})
    assert (renamed.status_code, renamed.json()) == (403, STDIO_RESTRICTED)
    assert project_named(client, bob, "Renamed") is None
    assert servers(client, bob) == {"lf-starter_project": entry}


def test_a_start_with_custom_code_restricted_writes_no_entry_of_a_user_who_is_no_superuser(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """At a start 1.13 rewrites each project's entry that no longer matches its auth, and gives each user's Starter
    Project one: with custom code restricted, a user who is no superuser gets neither (1.13 logs the refusal and
    goes on); the superuser's Starter Project gets its entry."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    admin = {"x-api-key": new_api_key(first)}
    bob = {"x-api-key": other_user_key(first, admin)}
    made = first.post("/api/v1/projects/", headers=bob, json={"name": "Mine", "auth_settings": {"auth_type": "none"}})
    assert made.status_code == 201
    url = f"http://127.0.0.1:7860/api/v1/mcp/project/{made.json()['id']}/sse"
    stale = {"command": "uvx", "args": ["mcp-proxy", url]}
    bob_id = uuid.UUID(first.get("/api/v1/users/whoami", headers=bob).json()["id"])
    store = first.app.state.mock.store  # type: ignore[attr-defined]
    store.mcp.put_server(user_id=bob_id, name="lf-mine", config=stale)
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir, allow_custom_components=False, auto_login=False,
                        superuser_password="pw")
    assert servers(again, bob) == {"lf-mine": stale}
    assert "lf-starter_project" in servers(again, admin)
    # with auto-login off the start moves "none" projects to API keys; the refused entry undoes that too
    mine, admins = project_named(again, bob, "Mine"), project_named(again, admin, "Starter Project")
    assert mine is not None and mine["auth_settings"] == {"auth_type": "none"}
    assert admins is not None and admins["auth_settings"] == {"auth_type": "apikey"}


def upload_servers_file(client: TestClient, headers: dict[str, str], content: bytes | dict[str, Any] | list[Any],
                        name: str | None = None) -> Any:
    """A v2 upload named as the caller's MCP servers file (or as `name`)."""
    user_id = client.get("/api/v1/users/whoami", headers=headers).json()["id"]
    body = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post("/api/v2/files", headers=headers,
                       files={"file": (name or f"_mcp_servers_{user_id}.json", body, "application/json")})


def test_an_upload_of_the_mcp_servers_file_is_checked_as_an_entry_edit(make_client: Callable[..., TestClient]) -> None:
    """1.13 checks a v2 upload named as the caller's MCP servers file: text that is no JSON or has no mcpServers
    object is a 422, an entry its request model refuses a 422 with pydantic's text, and with custom code
    restricted a stdio entry of a user who is no superuser a 403; a good one, or the superuser's, is stored. A
    file of another name is any file."""
    client = make_client(add_projects_to_mcp_servers=False, allow_custom_components=False)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    rm, web, uvx = {"command": "rm", "args": ["-rf", "/"]}, {"url": "http://x"}, {"command": "uvx"}
    answers = [upload_servers_file(client, bob, b"{not json"), upload_servers_file(client, bob, {"servers": {}}),
               upload_servers_file(client, bob, {"mcpServers": {"web": web, "bad": rm}}),
               upload_servers_file(client, bob, {"mcpServers": {"web": web, "tool": uvx}})]
    pydantic_text = ("1 validation error for MCPServerConfig\n  Value error, Command 'rm' is not allowed for security "
                     f"reasons. Allowed commands: {ALLOWED} [type=value_error, input_value={rm}, input_type=dict]\n"
                     "    For further information visit https://errors.pydantic.dev/2.13/v/value_error")
    assert [(r.status_code, r.json()) for r in answers] == [
        (422, {"detail": "Invalid MCP servers config: not valid JSON"}),
        (422, {"detail": "Invalid MCP servers config: expected an 'mcpServers' object"}),
        (422, {"detail": f"Invalid MCP server 'bad': {pydantic_text}"}),
        (403, STDIO_RESTRICTED)]
    assert client.get("/api/v2/files", headers=bob).json() == []
    assert upload_servers_file(client, bob, {"mcpServers": {"web": {"url": "http://x"}}}).status_code == 201
    assert upload_servers_file(client, admin, {"mcpServers": {"tool": {"command": "uvx"}}}).status_code == 201
    assert upload_servers_file(client, bob, b"{not json", name="_mcp_servers_someone.json").status_code == 201
    assert [f["name"] for f in client.get("/api/v2/files", headers=bob).json()] == ["_mcp_servers_someone"]


@pytest.mark.parametrize("version", ["1.13.0", "1.8"])
def test_the_mcp_servers_file_is_replaced_on_upload_and_left_out_of_the_list(
        make_client: Callable[..., TestClient], version: str) -> None:
    """Langflow keeps one MCP servers file per user: an upload of it takes the place of the one before (a new id,
    the same unnumbered name) and the file list never shows it."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    first = upload_servers_file(client, headers, {"mcpServers": {}}).json()
    second = upload_servers_file(client, headers, {"mcpServers": {"web": {"url": "http://x"}}}).json()
    assert second["name"] == first["name"] and second["id"] != first["id"]
    assert client.get(f"/api/v2/files/{first['id']}", headers=headers).status_code == 404
    content = client.get(f"/api/v2/files/{second['id']}", headers=headers, params={"return_content": True})
    assert json.loads(content.json()) == {"mcpServers": {"web": {"url": "http://x"}}}
    assert client.get("/api/v2/files", headers=headers).json() == []


def test_a_locked_server_list_refuses_an_upload_of_the_mcp_servers_file(make_client: Callable[..., TestClient]) -> None:
    """With LANGFLOW_MCP_SERVERS_LOCKED on, 1.13 refuses the upload to anyone but a superuser first, 403."""
    client = make_client(add_projects_to_mcp_servers=False, mcp_servers_locked=True)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    response = upload_servers_file(client, bob, b"{not json")
    assert (response.status_code, response.json()) == (403, {"detail": "MCP server configuration is locked. Contact "
                                                                       "an administrator to manage external MCP "
                                                                       "servers."})
    assert upload_servers_file(client, admin, {"mcpServers": {}}).status_code == 201


def test_before_1_13_the_mcp_servers_file_name_is_not_checked(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8", add_projects_to_mcp_servers=False, mcp_servers_locked=True)
    headers = {"x-api-key": new_api_key(client)}
    assert upload_servers_file(client, headers, b"{not json").status_code == 201


# --- before 1.13 the uploaded MCP servers file is the user's server list ----------------------------------

SERVERS = {"web": {"url": "http://x"}, "tool": {"command": "uvx", "args": ["tool"]}}


def downloadable(client: TestClient, headers: dict[str, str], file_id: str) -> bool:
    """Whether the file is still there (1.7.1 answers an API 404 with its frontend page)."""
    response = client.get(f"/api/v2/files/{file_id}", headers=headers)
    return response.headers.get("content-type", "").startswith("application/octet-stream")


def server_names(client: TestClient, headers: dict[str, str]) -> list[str]:
    response = client.get("/api/v2/mcp/servers", headers=headers)
    assert response.status_code == 200, response.text
    return [s["name"] for s in response.json()]


@pytest.mark.parametrize("version", ["1.13.0", "1.8", "1.7.1"])
def test_an_uploaded_mcp_servers_file_is_the_server_list_before_1_13(make_client: Callable[..., TestClient],
                                                                     version: str) -> None:
    """Langflow 1.8 and 1.7.1 read /api/v2/mcp/servers from the user's _mcp_servers_<id>.json: after an upload of
    it the routes see its servers, and each edit writes the file anew (a new id); 1.13 reads its own table."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    uploaded = upload_servers_file(client, headers, {"mcpServers": SERVERS}).json()
    if version == "1.13.0":
        assert server_names(client, headers) == []
        return
    assert server_names(client, headers) == ["web", "tool"]
    assert client.get("/api/v2/mcp/servers/tool", headers=headers).json() == SERVERS["tool"]
    assert client.post("/api/v2/mcp/servers/more", headers=headers, json={"url": "http://y"}).status_code == 200
    assert server_names(client, headers) == ["web", "tool", "more"]
    assert not downloadable(client, headers, uploaded["id"])  # written anew
    assert client.delete("/api/v2/mcp/servers/web", headers=headers).status_code == 200
    replaced = upload_servers_file(client, headers, {"mcpServers": {"only": {"url": "http://z"}}, "x": 1}).json()
    assert server_names(client, headers) == ["only"]
    assert client.patch("/api/v2/mcp/servers/only", headers=headers, json={"url": "http://w"}).status_code == 200
    assert client.get("/api/v2/files", headers=headers).json() == []
    assert client.delete("/api/v2/files", headers=headers).json() == {"message": "All 1 files deleted successfully"}
    assert not downloadable(client, headers, replaced["id"])


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
@pytest.mark.parametrize("how", ["delete", "batch", "rename"])
def test_deleting_or_renaming_the_mcp_servers_file_empties_the_list_before_1_13(
        make_client: Callable[..., TestClient], version: str, how: str) -> None:
    """The list is the file: deleted (by id, in a batch) or renamed through /api/v2/files, the next read finds
    no file and starts an empty one."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    file_id = upload_servers_file(client, headers, {"mcpServers": SERVERS}).json()["id"]
    assert server_names(client, headers) == ["web", "tool"]
    if how == "delete":
        assert client.delete(f"/api/v2/files/{file_id}", headers=headers).status_code == 200
    elif how == "batch":
        assert client.request("DELETE", "/api/v2/files/batch/", headers=headers, json=[file_id]).status_code == 200
    else:
        assert client.put(f"/api/v2/files/{file_id}", headers=headers, params={"name": "saved"}).status_code == 200
    assert server_names(client, headers) == []
    listed = [f["name"] for f in client.get("/api/v2/files", headers=headers).json()]
    assert listed == (["saved"] if how == "rename" else [])


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_an_unreadable_mcp_servers_file_before_1_13(make_client: Callable[..., TestClient], version: str) -> None:
    """Text that is no JSON: every server route is Langflow's 500 "Invalid server configuration file format.";
    JSON without mcpServers: the 500 of its failed lookup; bytes that are no UTF-8 read as an empty list, which
    1.7.1 also writes over the file."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    upload_servers_file(client, headers, b"{not json")
    for response in (client.get("/api/v2/mcp/servers", headers=headers),
                     client.post("/api/v2/mcp/servers/web", headers=headers, json={"url": "http://x"})):
        assert (response.status_code, response.json()) == (500, {"detail": "Invalid server configuration file "
                                                                           "format."})
    upload_servers_file(client, headers, {"servers": {}})
    response = client.get("/api/v2/mcp/servers/web", headers=headers)
    assert (response.status_code, response.json()) == (500, {"message": "'mcpServers'"})
    binary = upload_servers_file(client, headers, b"\xff\xfe{}").json()
    assert server_names(client, headers) == []
    assert downloadable(client, headers, binary["id"]) is (version == "1.8")


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
@pytest.mark.parametrize(("entry", "taken"), [("x", False), (None, False), ({"command": "uvx", "args": 5}, False),
                                              ({"url": "http://x"}, True), ({"command": "uvx", "args": None}, True)],
                         ids=["text", "null", "args-number", "no-args", "args-null"])
def test_an_entry_of_the_projects_name_that_langflows_check_cannot_read_is_written_over_before_1_13(
        make_client: Callable[..., TestClient], version: str, entry: Any, taken: bool) -> None:
    """1.8.4's and 1.7.1's validate_mcp_server_for_project fails quietly on an entry of that name that is no
    object or whose args cannot be walked, so it finds no conflict and the project's entry replaces it; an
    object it can read that is not the project's is the 409."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    upload_servers_file(client, headers, {"mcpServers": {"lf-mine": entry}})
    made = client.post("/api/v1/projects/", headers=headers, json={"name": "mine"})
    assert made.status_code == (409 if taken else 201), made.text
    stored = client.get("/api/v2/mcp/servers/lf-mine", headers=headers).json()
    if taken:
        assert stored == entry
    else:
        assert stored["command"] == "uvx" and stored["args"][-1].endswith(f"/{made.json()['id']}/streamable")


LIST_INDEX = "list indices must be integers or slices, not str"


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
@pytest.mark.parametrize(("servers", "answers"), [
    (["web", "tool"], {
        "list": (200, [{"name": "web", "mode": None, "toolsCount": None},
                       {"name": "tool", "mode": None, "toolsCount": None}]),
        "count": (200, [{"name": n, "mode": None, "toolsCount": None,
                         "error": f"Configuration data error: {LIST_INDEX}"} for n in ("web", "tool")]),
        "get web": (500, {"message": LIST_INDEX}), "get other": (200, None),
        "post web": (500, {"detail": "Server already exists."}), "post other": (500, {"message": LIST_INDEX}),
        "patch web": (500, {"message": LIST_INDEX}),
        "delete web": (500, {"message": LIST_INDEX}), "delete other": (500, {"detail": "Server not found."})}),
    ("web", {
        "list": (200, [{"name": c, "mode": None, "toolsCount": None} for c in "web"]),
        "get web": (500, {"message": "string indices must be integers, not 'str'"}), "get other": (200, None),
        "patch web": (500, {"message": "'str' object does not support item assignment"}),
        "delete web": (500, {"message": "'str' object does not support item deletion"})}),
    (None, {
        "list": (500, {"message": "'NoneType' object is not iterable"}),
        "get web": (500, {"message": "argument of type 'NoneType' is not iterable"}),
        "post web": (500, {"message": "argument of type 'NoneType' is not iterable"}),
        "patch web": (500, {"message": "'NoneType' object does not support item assignment"})}),
], ids=["list", "text", "null"])
def test_each_server_route_fails_its_own_way_on_an_mcp_servers_value_that_is_no_object_before_1_13(
        make_client: Callable[..., TestClient], version: str, servers: Any,
        answers: dict[str, tuple[int, Any]]) -> None:
    """1.8.4's and 1.7.1's server routes use the file's mcpServers as it is: a list's items or a text's characters
    are the names listed, a name found in it is looked up (Python's TypeError, a 500 with its text), `in` on null
    fails; ?action_count=true reports each name's failed lookup as that server's error. Nothing is written."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    uploaded = upload_servers_file(client, headers, {"mcpServers": servers}).json()["id"]
    calls = {"list": ("GET", "", None), "count": ("GET", "?action_count=true", None),
             "get web": ("GET", "/web", None), "get other": ("GET", "/other", None),
             "post web": ("POST", "/web", {"url": "http://x"}), "post other": ("POST", "/other", {"url": "http://x"}),
             "patch web": ("PATCH", "/web", {"url": "http://x"}),
             "delete web": ("DELETE", "/web", None), "delete other": ("DELETE", "/other", None)}
    for name, expected in answers.items():
        method, path, body = calls[name]
        response = client.request(method, "/api/v2/mcp/servers" + path, headers=headers, json=body)
        assert (response.status_code, response.json()) == expected, name
    assert downloadable(client, headers, uploaded)  # never written anew


INVALID_MODE = "Configuration error: Invalid mode: {}. Must be either 'Stdio', 'Streamable_HTTP', or 'SSE'"


def unloaded(name: Any, error: str) -> dict[str, Any]:
    return {"name": name, "mode": None, "toolsCount": None, "error": error}


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_action_count_reports_what_langflow_fails_before_connecting_before_1_13(
        make_client: Callable[..., TestClient], version: str) -> None:
    """1.8.4's and 1.7.1's ?action_count=true hands each name and its lookup to update_tools, which loads nothing
    for a falsy name (a list's item 0: mode "", 0 tools, "No tools found"), fails on a config that is no object
    (its .get) and checks the transport before starting or connecting to anything."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    upload_servers_file(client, headers, {"mcpServers": [0, 1, "x", True]})
    response = client.get("/api/v2/mcp/servers?action_count=true", headers=headers)
    assert response.status_code == 200
    assert response.json() == [{"name": 0, "mode": "", "toolsCount": 0, "error": "No tools found"},
                               unloaded(1, "Error loading server: 'int' object has no attribute 'get'"),
                               unloaded("x", f"Configuration data error: {LIST_INDEX}"),
                               unloaded(True, "Error loading server: 'int' object has no attribute 'get'")]
    upload_servers_file(client, headers, {"mcpServers": {
        "": {"url": "http://x"}, "null": None, "text": "s", "empty": {}, "lower": {"mode": "stdio", "command": "uvx"},
        "no-command": {"mode": "Stdio"}, "no-url": {"mode": "SSE", "command": "uvx"}}})
    response = client.get("/api/v2/mcp/servers?action_count=true", headers=headers)
    assert response.json() == [{"name": "", "mode": "", "toolsCount": 0, "error": "No tools found"},
                               unloaded("null", INVALID_MODE.format("")),
                               unloaded("text", "Error loading server: 'str' object has no attribute 'get'"),
                               unloaded("empty", INVALID_MODE.format("")),
                               unloaded("lower", INVALID_MODE.format("stdio")),
                               unloaded("no-command", "Configuration error: Command is required for Stdio mode"),
                               unloaded("no-url", "Configuration error: URL is required for SSE mode")]


def test_action_count_reports_a_config_whose_transport_cannot_be_chosen(
        make_client: Callable[..., TestClient]) -> None:
    """1.13 stores what a POST sends (extra keys too): update_tools then refuses a transport it cannot choose or
    that lacks its URL, a configuration error, before connecting to anything."""
    client = make_client(add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    for name, config in (("empty", {}), ("http", {"mode": "http", "url": "http://x"}), ("no-url", {"url": None})):
        assert client.post(f"/api/v2/mcp/servers/{name}", headers=headers, json=config).status_code == 200
    response = client.get("/api/v2/mcp/servers?action_count=true", headers=headers)
    assert response.json() == [unloaded("empty", INVALID_MODE.format("")),
                               unloaded("http", INVALID_MODE.format("http")),
                               unloaded("no-url", "Configuration error: URL is required for Streamable_HTTP mode")]


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
@pytest.mark.parametrize("document", [{"servers": {}}, {"mcpServers": ["lf-mine"]}, {"mcpServers": "lf-mine"},
                                      {"mcpServers": None}, ["x"]], ids=["no-key", "list", "text", "null", "array"])
def test_a_project_is_made_without_its_entry_when_the_servers_file_has_no_server_object_before_1_13(
        make_client: Callable[..., TestClient], version: str, document: Any) -> None:
    """1.8.4's and 1.7.1's project create: the name check passes over a list it cannot read, and the entry's
    failed write is logged; the project (and, with auto-login off, its "MCP Project <name> - default" key, made
    before) stays. Text that is no JSON is the list's 500 and nothing is made."""
    client = make_client(langflow_version=version, auto_login=False, superuser="admin", superuser_password="pw",
                         api_key="sk-" + "M" * 43)
    headers = {"x-api-key": "sk-" + "M" * 43}
    upload_servers_file(client, headers, b"{not json")
    refused = client.post("/api/v1/projects/", headers=headers, json={"name": "mine"})
    assert (refused.status_code, refused.json()) == (500, {"detail": "Invalid server configuration file format."})
    assert "mine" not in [p["name"] for p in client.get("/api/v1/projects/", headers=headers).json()]
    upload_servers_file(client, headers, document)
    made = client.post("/api/v1/projects/", headers=headers, json={"name": "mine"})
    assert made.status_code == 201, made.text
    assert made.json()["name"] == "mine" and made.json()["auth_settings"] == {"auth_type": "apikey"}
    keys = [k["name"] for k in client.get("/api/v1/api_key/", headers=headers).json()["api_keys"]]
    assert keys.count("MCP Project mine - default") == 1


def file_names(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [f["name"] for f in client.get("/api/v2/files", headers=headers).json()]


def test_a_1_13_start_imports_the_entries_of_the_users_mcp_servers_files(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13's start (backfill_mcp_servers_from_files) adds each entry of a user's _mcp_servers_<id>.json (a file
    "_mcp_servers" renamed to it first) whose name the user's list lacks, before the Starter Project's entry is
    made: an upload of the file shows at the next start, and a server deleted since comes back at each start."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    admin = {"x-api-key": new_api_key(first)}
    bob = {"x-api-key": other_user_key(first, admin)}
    assert upload_servers_file(first, admin, {"mcpServers": SERVERS}).status_code == 201
    upload_servers_file(first, bob, {"mcpServers": {"old": {"url": "http://y"}}}, name="_mcp_servers.json")
    assert server_names(first, admin) == ["lf-starter_project"]
    assert file_names(first, bob) == ["_mcp_servers"]
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir)
    assert server_names(again, admin) == ["lf-starter_project", "web", "tool"]
    assert again.get("/api/v2/mcp/servers/tool", headers=admin).json() == SERVERS["tool"]
    assert server_names(again, bob)[0] == "old"
    assert file_names(again, bob) == []  # renamed to the user's servers file, which no list shows
    assert again.delete("/api/v2/mcp/servers/web", headers=admin).status_code == 200
    again.__exit__(None, None, None)
    third = make_client(ephemeral=False, data_dir=data_dir)
    assert server_names(third, admin) == ["lf-starter_project", "tool", "web"]


def test_a_1_13_start_stops_importing_at_a_servers_file_it_cannot_walk(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """A file whose JSON is no object ends the whole backfill (Langflow logs it): users before keep what was
    imported, that user's rename of "_mcp_servers" is undone, and the users after import nothing."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    admin = {"x-api-key": new_api_key(first)}
    bob = {"x-api-key": other_user_key(first, admin)}
    carol = {"x-api-key": other_user_key(first, admin, "carol")}
    upload_servers_file(first, admin, {"mcpServers": SERVERS})
    upload_servers_file(first, bob, ["x"], name="_mcp_servers.json")
    upload_servers_file(first, carol, {"mcpServers": {"old": {"url": "http://y"}}}, name="_mcp_servers.json")
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir)
    assert server_names(again, admin) == ["lf-starter_project", "web", "tool"]
    assert "old" not in server_names(again, carol)
    assert file_names(again, bob) == file_names(again, carol) == ["_mcp_servers"]


def test_the_1_13_backfill_opens_no_session_for_a_user_without_a_servers_file(
        make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-up time: the users with a servers file are found in one query, so the others cost nothing; a file
    named as another user's list is nobody's list."""
    client = make_client()
    admin = {"x-api-key": new_api_key(client)}
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    others = [other_user_key(client, admin, name) for name in ("bob", "carol", "dave")]
    admin_id = client.get("/api/v1/users/whoami", headers=admin).json()["id"]
    upload_servers_file(client, {"x-api-key": others[0]}, {"mcpServers": {"old": {"url": "http://y"}}},
                        name=f"_mcp_servers_{admin_id}.json")
    upload_servers_file(client, {"x-api-key": others[1]}, {"mcpServers": {"mine": {"url": "http://z"}}})
    users = [u.id for u in store.users.list(skip=0, limit=None)[1]]
    opened: list[None] = []
    session = store.db.session
    monkeypatch.setattr(store.db, "session", lambda: (opened.append(None), session())[1])
    store.mcp.backfill_from_files(users)
    monkeypatch.undo()
    assert len(opened) == 1 + 3  # the query, then carol's file: its two look-ups and her entries
    assert "old" not in server_names(client, admin) + server_names(client, {"x-api-key": others[0]})
    assert "mine" in server_names(client, {"x-api-key": others[1]})


def test_an_uploaded_file_of_the_old_name_becomes_the_server_list_before_1_13(
        make_client: Callable[..., TestClient]) -> None:
    """A file named "_mcp_servers" (Langflow's older name for the list) is renamed the user's list at its next
    read, and leaves the file list."""
    client = make_client(langflow_version="1.8", add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    upload_servers_file(client, headers, {"mcpServers": SERVERS}, name="_mcp_servers.json")
    assert [f["name"] for f in client.get("/api/v2/files", headers=headers).json()] == ["_mcp_servers"]
    assert server_names(client, headers) == ["web", "tool"]
    assert client.get("/api/v2/files", headers=headers).json() == []


# --- 1.13: an MCP Tools node applies the stdio policy when a run loads its tools --------------------------

def mcp_tools_flow(selection: Any, output: str = "response", tool: str | None = None) -> dict[str, Any]:
    """Chat Input -> MCP Tools (its `mcp_server` field holding `selection`, its `tool` field `tool` when given) ->
    Chat Output, through `output`."""
    flow = copy.deepcopy(load_json("flow_chat_io.json"))
    nodes, [edge] = flow["data"]["nodes"], flow["data"]["edges"]
    tools = {"id": "MCPTools-m1", "type": "genericNode", "position": {"x": 0, "y": 0}, "data": {
        "id": "MCPTools-m1", "type": "MCPTools", "node": {
            "display_name": "MCP Tools", "outputs": [{"name": output, "types": ["DataFrame"], "method": "x"}],
            "template": {"_type": "Component",
                         "mcp_server": {"type": "mcp", "name": "mcp_server", "show": True, "value": selection},
                         "input_value": {"type": "str", "name": "input_value", "show": True, "value": ""}}}}}
    if tool is not None:
        tools["data"]["node"]["template"]["tool"] = {"type": "str", "name": "tool", "show": True, "value": tool}
    into, out = copy.deepcopy(edge), copy.deepcopy(edge)
    into["target"] = into["data"]["targetHandle"]["id"] = "MCPTools-m1"
    into["data"]["targetHandle"]["fieldName"] = "input_value"
    out["source"] = out["data"]["sourceHandle"]["id"] = "MCPTools-m1"
    out["data"]["sourceHandle"]["name"] = output
    for e in (into, out):
        e.pop("sourceHandle", None), e.pop("targetHandle", None)
        e["id"] = f"{e['source']}-{e['target']}"
    nodes.append(tools)
    flow["data"]["edges"] = [into, out]
    return dict(flow)


def run_detail(client: TestClient, headers: dict[str, str], flow: dict[str, Any]) -> Any:
    flow_id = create_flow(client, headers, {**flow, "name": f"mcp {uuid.uuid5(uuid.NAMESPACE_DNS, str(flow))}"})["id"]
    response = client.post(f"/api/v1/run/{flow_id}", headers=headers, json={"input_value": "hi"})
    return response.status_code, response.json()


def refused_run(reason: str) -> tuple[int, dict[str, Any]]:
    message = f"Error running graph: Error building Component MCP Tools: \n\n{reason}403: {STDIO_RESTRICTED['detail']}"
    payload = {"message": message, "traceback": None, "description": None, "code": None, "suggestion": None}
    return 500, {"detail": json.dumps(payload, separators=(",", ":"))}


def test_a_run_of_an_mcp_tools_node_with_a_stdio_server_is_refused_when_custom_code_is_restricted(
        make_client: Callable[..., TestClient]) -> None:
    """1.13's MCP Tools component re-applies ensure_mcp_stdio_access to the config it resolves (the user's server
    of that name first, else the node's own), so with custom code restricted a user who is no superuser cannot run
    a flow whose MCP Tools node selects a stdio server: the vertex fails with the 403 in its text, worded by the
    output that loads the tools. A remote server, a superuser, and unrestricted settings run as before."""
    client = make_client(add_projects_to_mcp_servers=False, allow_custom_components=False)
    admin = {"x-api-key": new_api_key(client)}
    bob = {"x-api-key": other_user_key(client, admin)}
    assert client.post("/api/v2/mcp/servers/web", headers=bob, json={"url": "http://x"}).status_code == 200
    inline = {"name": "tool", "config": {"command": "uvx", "args": ["tool"]}}
    assert run_detail(client, bob, mcp_tools_flow(inline)) == refused_run("Error in build_output: Error updating "
                                                                          "tool list: ")
    assert run_detail(client, bob, mcp_tools_flow(inline, "component_as_tool")) == refused_run(
        "Error updating tool list: ")
    stored_first = {"name": "web", "config": {"command": "uvx"}}  # the user's server "web" is a URL one
    assert run_detail(client, bob, mcp_tools_flow(stored_first))[0] == 200
    assert run_detail(client, admin, mcp_tools_flow(inline))[0] == 200
    assert run_detail(client, bob, mcp_tools_flow({"name": "web2", "config": {"url": "http://y"}}))[0] == 200
    open_client = make_client(add_projects_to_mcp_servers=False)
    assert run_detail(open_client, {"x-api-key": new_api_key(open_client)}, mcp_tools_flow(inline))[0] == 200
    old = make_client(langflow_version="1.8", add_projects_to_mcp_servers=False, allow_custom_components=False)
    old_admin = {"x-api-key": new_api_key(old)}
    assert run_detail(old, {"x-api-key": other_user_key(old, old_admin)}, mcp_tools_flow(inline))[0] == 200


def test_a_start_refusing_the_starter_projects_entry_keeps_its_key_and_auth(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13's start gives a user's Starter Project without auth settings API keys (auto-login off) and makes its
    key before it writes the entry; when the stdio check refuses the entry, both are kept (Langflow commits them
    with the rest of its start), so each such start leaves the user one more key."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    admin = {"x-api-key": new_api_key(first)}
    bob = {"x-api-key": other_user_key(first, admin)}
    first.__exit__(None, None, None)
    key_name = "MCP Project Starter Project - bob"
    for starts in (1, 2):
        again = make_client(ephemeral=False, data_dir=data_dir, allow_custom_components=False, auto_login=False,
                            superuser_password="pw")
        starter = project_named(again, bob, "Starter Project")
        assert starter is not None and starter["auth_settings"] == {"auth_type": "apikey"}
        assert "lf-starter_project" not in servers(again, bob)
        names = [k["name"] for k in again.get("/api/v1/api_key/", headers=bob).json()["api_keys"]]
        assert names.count(key_name) == starts
        again.__exit__(None, None, None)


def test_a_start_makes_the_key_of_a_starter_project_left_on_oauth(make_client: Callable[..., TestClient],
                                                                  tmp_path: Path) -> None:
    """A Starter Project whose OAuth fallback the stdio check undid is still OAuth when 1.13's start comes to its
    entry: the key is made, then the entry is "not yet implemented" (logged): one more key at each start."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    admin = {"x-api-key": new_api_key(first)}
    bob = {"x-api-key": other_user_key(first, admin)}
    starter = project_named(first, bob, "Starter Project")
    assert starter is not None
    oauth = {"auth_type": "oauth", "oauth_client_id": "app"}
    assert first.patch(f"/api/v1/mcp/project/{starter['id']}", headers=bob,
                       json={"settings": [], "auth_settings": oauth}).status_code == 200
    first.__exit__(None, None, None)
    key_name = "MCP Project Starter Project - bob"
    for starts in (1, 2):
        again = make_client(ephemeral=False, data_dir=data_dir, allow_custom_components=False)
        kept = project_named(again, bob, "Starter Project")
        assert kept is not None and kept["auth_settings"]["auth_type"] == "oauth"
        names = [k["name"] for k in again.get("/api/v1/api_key/", headers=bob).json()["api_keys"]]
        assert names.count(key_name) == starts
        again.__exit__(None, None, None)


def test_a_server_list_an_older_mock_kept_in_rows_becomes_the_file_before_1_13(
        make_client: Callable[..., TestClient]) -> None:
    """A data dir from a mock that kept 1.8's lists in rows: the first read moves the list into the file."""
    from mock_langflow.store.models import McpServerRow

    client = make_client(langflow_version="1.8", add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    user_id = uuid.UUID(client.get("/api/v1/users/whoami", headers=headers).json()["id"])
    store = client.app.state.mock.store  # type: ignore[attr-defined]
    with store.db.session() as s:
        s.add(McpServerRow(user_id=user_id, name="web", config={"url": "http://x"}))
        s.add(McpServerRow(user_id=user_id, name="", config={}))  # that mock's mark of an empty file
    assert server_names(client, headers) == ["web"]
    assert client.delete("/api/v2/mcp/servers/web", headers=headers).status_code == 200
    assert server_names(client, headers) == []


def failed_run(reason: str) -> tuple[int, dict[str, Any]]:
    message = f"Error running graph: Error building Component MCP Tools: \n\n{reason}"
    payload = {"message": message, "traceback": None, "description": None, "code": None, "suggestion": None}
    return 500, {"detail": json.dumps(payload, separators=(",", ":"))}


NOT_CONFIGURED = ("MCP server 'gone' is not configured. Add a server with this name in Settings > MCP Servers "
                  "before running this flow.")


@pytest.mark.parametrize("selection", [{"name": "gone"}, {"name": "gone", "config": {}}, "gone"],
                         ids=["no-config", "empty-config", "name-only"])
def test_a_run_of_an_mcp_tools_node_whose_server_is_not_configured_fails_in_1_13(
        make_client: Callable[..., TestClient], selection: Any) -> None:
    """1.13's MCP Tools component resolves its server's config (the user's server of that name, else the node's
    own) and, with none, fails its tool list: "MCP server '<name>' is not configured. ...", worded by the output
    that loads the tools. 1.8's component (and 1.7.1's) then loads no tools and goes on."""
    client = make_client(add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    assert run_detail(client, headers, mcp_tools_flow(selection)) == failed_run(
        f"Error in build_output: Error updating tool list: {NOT_CONFIGURED}")
    assert run_detail(client, headers, mcp_tools_flow(selection, "component_as_tool")) == failed_run(
        f"Error updating tool list: {NOT_CONFIGURED}")
    assert client.post("/api/v2/mcp/servers/gone", headers=headers, json={"url": "http://x"}).status_code == 200
    assert run_detail(client, headers, mcp_tools_flow(selection))[0] == 200
    for version in ("1.8", "1.7.1"):
        old = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
        assert run_detail(old, {"x-api-key": new_api_key(old)}, mcp_tools_flow(selection))[0] == 200


def test_a_1_13_start_imports_header_values_as_its_encryption_reads_them_back(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    """1.13's backfill stores each entry through encrypt_mcp_config, which takes a value after `--headers NAME`
    that is no text, and any text starting like a Fernet token, for sealed already; decrypt_mcp_config then reads
    the first as "" and the second as what it holds ("" when the server cannot open it). Values of the `headers`
    and `env` maps that are no text are kept as they are (and masked when truthy)."""
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    admin = {"x-api-key": new_api_key(first)}
    sealed = first.app.state.mock.store.mcp.sealer.seal("opened")  # type: ignore[attr-defined]
    args = ["mcp-proxy", "--headers", "a", 5, "--headers", "b", ["x"], "--headers", "c", None,
            "--headers", "d", "gAAAAAnot-a-token", "--headers", "e", sealed, "--headers", "f", "plain", "http://x"]
    entry = {"command": "uvx", "args": args, "headers": {"n": 5, "l": [1], "z": None, "t": "gAAAAAx"},
             "env": {"K": sealed}}
    upload_servers_file(first, admin, {"mcpServers": {"proxy": entry}}, name="_mcp_servers.json")
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir)
    shown = again.get("/api/v2/mcp/servers/proxy", headers=admin).json()
    assert shown["args"] == ["mcp-proxy", "--headers", "a", "", "--headers", "b", "", "--headers", "c", None,
                             "--headers", "d", "", "--headers", "e", "********", "--headers", "f", "********",
                             "http://x"]
    assert shown["headers"] == {"n": "********", "l": "********", "z": None, "t": ""}
    assert shown["env"] == {"K": "********"}


def test_a_1_13_server_value_that_looks_sealed_reads_back_as_what_it_holds(
        make_client: Callable[..., TestClient]) -> None:
    """1.13's POST and PATCH store a config through encrypt_mcp_config, which keeps a text starting like a Fernet
    token as it is; reads open it: "" when this server cannot, so the answer shows no mask for it."""
    client = make_client(add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    sealed = client.app.state.mock.store.mcp.sealer.seal("opened")  # type: ignore[attr-defined]
    made = client.post("/api/v2/mcp/servers/web", headers=headers,
                       json={"url": "http://x", "headers": {"authorization": "gAAAAAbogus", "x": sealed}})
    assert (made.status_code, made.json()["headers"]) == (200, {"authorization": "", "x": "********"})
    patched = client.patch("/api/v2/mcp/servers/web", headers=headers, json={"env": {"K": "gAAAAAbogus"}})
    assert patched.json()["env"] == {"K": ""}
    assert client.get("/api/v2/mcp/servers/web", headers=headers).json()["headers"] == {"authorization": "",
                                                                                         "x": "********"}


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_a_project_url_among_the_keys_of_an_args_object_makes_the_entry_the_projects_before_1_13(
        make_client: Callable[..., TestClient], version: str) -> None:
    """Langflow's validate_mcp_server_for_project finds the project's URLs by walking `args`, which for an object
    walks its keys: an entry of the project's name whose `args` object has a key holding the project's URL is
    the project's, so a rename moves it (no 409) and a delete removes it."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    made = client.post("/api/v1/projects/", headers=headers, json={"name": "mine"}).json()
    url = f"http://localhost:7860/api/v1/mcp/project/{made['id']}/sse"
    other = client.post("/api/v1/projects/", headers=headers, json={"name": "other"}).json()
    entries = {"lf-mine": {"command": "uvx", "args": {url: 1}},
               "lf-other": {"command": "uvx", "args": {f"http://localhost:7860/api/v1/mcp/project/{other['id']}": 1}}}
    upload_servers_file(client, headers, {"mcpServers": entries})
    renamed = client.patch(f"/api/v1/projects/{made['id']}", headers=headers, json={"name": "yours"})
    assert renamed.status_code == 200, renamed.text
    assert server_names(client, headers) == ["lf-other", "lf-yours"]
    assert client.get("/api/v2/mcp/servers/lf-yours", headers=headers).json() == entries["lf-mine"]
    assert client.delete(f"/api/v1/projects/{other['id']}", headers=headers).status_code == 204
    assert server_names(client, headers) == ["lf-yours"]


@pytest.mark.parametrize(("version", "shape", "kept"), [
    ("1.8", "object", True), ("1.7.1", "object", True), ("1.8", "sse", False), ("1.7.1", "sse", True)])
def test_a_start_leaves_the_starter_projects_own_entry_before_1_13(
        make_client: Callable[..., TestClient], tmp_path: Path, version: str, shape: str, kept: bool) -> None:
    """1.8.4's start leaves the Starter Project's entry of its own alone when its streamable HTTP URL is among
    those Langflow finds in `args` (an object's keys too), and otherwise writes it anew with a new key; 1.7.1's
    leaves any entry of its own alone, whatever its URL."""
    data_dir = tmp_path / "kept"
    first = make_client(langflow_version=version, ephemeral=False, data_dir=data_dir)
    headers = {"x-api-key": new_api_key(first)}
    url = first.get("/api/v2/mcp/servers/lf-starter_project", headers=headers).json()["args"][-1]
    assert url.endswith("/streamable")
    args: Any = {url: True} if shape == "object" else ["mcp-proxy", url.removesuffix("streamable") + "sse"]
    entry = {"command": "uvx", "args": args}
    upload_servers_file(first, headers, {"mcpServers": {"lf-starter_project": entry}})
    first.__exit__(None, None, None)
    again = make_client(langflow_version=version, ephemeral=False, data_dir=data_dir)
    shown = again.get("/api/v2/mcp/servers/lf-starter_project", headers=headers).json()
    assert (shown == entry) is kept
    keys = [k["name"] for k in again.get("/api/v1/api_key/", headers=headers).json()["api_keys"]]
    assert keys.count("MCP Project Starter Project - langflow") == (1 if kept else 2)


@pytest.mark.parametrize("version", ["1.13", "1.8", "1.7.1"])
def test_an_mcp_tools_node_that_loads_no_tools_fails_on_the_tool_it_selects(
        make_client: Callable[..., TestClient], version: str) -> None:
    """An MCP Tools node whose tool list stays empty (no server name in every release; before 1.13 also a server
    neither in the user's list nor configured by the node) fails its Response output when it selects a tool:
    build_output's lookup of the tool in the loaded ones is a KeyError. Without a tool, or in tool mode only, the
    run goes on."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    selections: list[Any] = [{"name": ""}] + ([] if version == "1.13" else [{"name": "gone"}])
    for selection in selections:
        assert run_detail(client, headers, mcp_tools_flow(selection, tool="echo")) == failed_run(
            "Error in build_output: 'echo'")
        assert run_detail(client, headers, mcp_tools_flow(selection, tool=""))[0] == 200
        assert run_detail(client, headers, mcp_tools_flow(selection, "component_as_tool", tool="echo"))[0] == 200


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_an_mcp_tools_node_fails_on_a_servers_file_langflow_cannot_read_before_1_13(
        make_client: Callable[..., TestClient], version: str) -> None:
    """1.8.4's and 1.7.1's component reads its server through get_server, the server routes' own read of the
    servers file: what that raises fails the tool list, with the exception's text."""
    client = make_client(langflow_version=version, add_projects_to_mcp_servers=False)
    headers = {"x-api-key": new_api_key(client)}
    for content, text in ((b"{not json", "500: Invalid server configuration file format."),
                          ({"servers": {}}, "'mcpServers'"),
                          ({"mcpServers": None}, "argument of type 'NoneType' is not iterable"),
                          ({"mcpServers": ["web"]}, "list indices must be integers or slices, not str")):
        upload_servers_file(client, headers, content)
        assert run_detail(client, headers, mcp_tools_flow({"name": "web"})) == failed_run(
            f"Error in build_output: Error updating tool list: {text}")
