"""LangflowMock: what a test holds to script a running mock, break it, and check what its client sent.

It speaks the control API over HTTP, so it works the same against an in-process server (the pytest
fixture) and a container started by CI.
"""

from __future__ import annotations

import functools
import json
import ssl
from typing import Any

import httpx


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CA bundle, SSL_CERT_FILE / SSL_CERT_DIR honoured), made once per
    process: an httpx client left to make its own reads the CA bundle again, about 20 ms, and the fixture
    makes a LangflowMock for every test."""
    return httpx.create_ssl_context()


class LangflowMock:
    def __init__(self, url: str, api_key: str, *, timeout: float = 30.0) -> None:
        self.url, self.api_key = url.rstrip("/"), api_key
        self.headers = {"x-api-key": api_key}
        self._http = httpx.Client(base_url=self.url, headers=self.headers, timeout=timeout, verify=_tls())

    def close(self) -> None:
        self._http.close()

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client for the Langflow API, already carrying the API key (and the shared TLS context,
        unless given TLS settings of its own)."""
        if not {"verify", "cert", "trust_env"} & kwargs.keys():
            kwargs["verify"] = _tls()
        return httpx.Client(base_url=self.url, headers=self.headers, **kwargs)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise AssertionError(f"mock-langflow control API {method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    # --- state -------------------------------------------------------------------------------------------

    def reset(self, *parts: str) -> list[str]:
        """Back to the start-up state: everything, or some of flows, files, messages, jobs, scripts, journal,
        faults. Users and API keys stay."""
        done: list[str] = self._call("POST", "/_mock/reset", json={"parts": list(parts) or None})["reset"]
        return done

    def seed(self, export: Any, *, project: str | None = None) -> dict[str, int]:
        """Load a Langflow export: a flow, {"flows": [...]}, or a project export."""
        counts: dict[str, int] = self._call("POST", "/_mock/seed", json={"export": export, "project": project})
        return counts

    def create_flow(self, body: dict[str, Any] | None = None, *, example: str | None = None,
                    **fields: Any) -> dict[str, Any]:
        """Create a flow from a body, or from one of the shipped examples (e.g. "Basic Prompting")."""
        if example is not None:
            found = next((f for f in self._call("GET", "/api/v1/flows/basic_examples/") if f["name"] == example),
                         None)
            if found is None:
                raise AssertionError(f"no example flow named {example!r}")
            body = {k: found[k] for k in ("name", "description", "data", "tags")}
        created: dict[str, Any] = self._call("POST", "/api/v1/flows/", json={**(body or {}), **fields})
        return created

    # --- the scripted LLM --------------------------------------------------------------------------------

    def script(self, script: str | dict[str, Any] | list[dict[str, Any]] | None = None, **rule: Any) -> list[int]:
        """Add rules: a script (YAML text, or a dict / list of rules), or one rule as keyword arguments:
        `mock.script(match={"input_contains": "weather"}, reply="Sunny")`; an Agent that calls a tool first
        (on 1.13 an OpenAI, Anthropic, Google Generative AI, Ollama or Azure OpenAI agent):
        `tool_calls=[{"name": "get_current_date", "input": {}, "output": "..."}]` with the reply (several calls,
        and a text, in one model turn: `{"say": "...", "calls": [...]}`)."""
        if script is None:
            script = {"rules": [rule]}
        body = script if isinstance(script, str) else json.dumps(script)
        ids: list[int] = self._call("POST", "/_mock/scripts", content=body.encode())["ids"]
        return ids

    def llm_calls(self, *, flow: str | None = None, session: str | None = None) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = self._call("GET", "/_mock/llm-calls", params=_params(flow=flow,
                                                                                          session=session))["calls"]
        return calls

    # --- faults ------------------------------------------------------------------------------------------

    def fault(self, kind: str, route: str = "*", **spec: Any) -> int:
        """Inject a fault: latency, error (status=429|500|503|504), drop, cut_stream (after_events=N) or
        never_finish; `count=N` for the next N matching requests, `rate=0.3` for a share of them."""
        fault_id: int = self._call("POST", "/_mock/faults", json={"kind": kind, "route": route, **spec})["id"]
        return fault_id

    def clear_faults(self) -> None:
        self._call("DELETE", "/_mock/faults")

    # --- the journal -------------------------------------------------------------------------------------

    def requests(self, *, method: str | None = None, path: str | None = None, flow: str | None = None,
                 session: str | None = None, status: int | None = None) -> list[dict[str, Any]]:
        """The requests the mock received (secrets redacted). `path` is exact, a glob or `re:<regex>`."""
        found: list[dict[str, Any]] = self._call("GET", "/_mock/requests", params=_params(
            method=method, path=path, flow=flow, session=session, status=status))["requests"]
        return found

    def verify(self, *, method: str | None = None, path: str | None = None, count: int | None = None,
               flow: str | None = None, session: str | None = None, status: int | None = None,
               body_contains: str | None = None, json_body: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/_mock/verify", json={
            "method": method, "path": path, "count": count, "flow": flow, "session": session, "status": status,
            "body_contains": body_contains, "json_body": json_body})
        return result

    def assert_called(self, method: str | None = None, path: str | None = None, *, count: int | None = None,
                      **criteria: Any) -> dict[str, Any]:
        """Fail (listing the near misses) unless matching requests were received (exactly `count`, if given)."""
        result = self.verify(method=method, path=path, count=count, **criteria)
        if not result["ok"]:
            wanted = " ".join(str(x) for x in (method, path) if x) or "a request"
            lines = [f"expected {wanted} {'x' + str(count) if count is not None else 'at least once'}, "
                     f"received {result['matched']}"]
            for miss in result.get("near_misses", []):
                lines.append(f"  near miss: {miss['request']} -> {miss['status']}: {'; '.join(miss['differences'])}")
            raise AssertionError("\n".join(lines))
        return result

    def assert_not_called(self, method: str | None = None, path: str | None = None, **criteria: Any) -> None:
        self.assert_called(method, path, count=0, **criteria)


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
