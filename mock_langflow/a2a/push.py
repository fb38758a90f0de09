"""A2A push notifications as 1.13 serves them (api/v1/a2a.py _SafePushConfigStore and _SafePushNotificationSender,
a2a_utils.validate_webhook_url, over the a2a SDK's in-memory config store and BasePushNotificationSender): a
task's webhook configs are kept in memory, and each event of its run is POSTed to every one of them, in the SDK's
protocol 1.0 JSON (not the 0.3 shapes the JSON-RPC answers use).

Deviation: after its own checks 1.13 runs a webhook URL through lfx's SSRF framework too (its allowlist and
extra range checks, and it pins the addresses it checked for the connection); the mock stops at 1.13's own
checks: http(s) with a host, and unless LANGFLOW_A2A_ALLOW_PRIVATE_WEBHOOKS none of its addresses blocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from typing import Any
from urllib.parse import urlparse

from mock_langflow import errors
from mock_langflow.store.provider_check import blocked_address

TOKEN_HEADER = "X-A2A-Notification-Token"  # nosec B105: a header's name, not a secret
TIMEOUT_SECONDS = 10.0  # 1.13's webhook client's timeout


def _host(url: str) -> str:
    """The host the HTTP client connects to (IDNA for a name that is not ASCII)."""
    import httpx  # noqa: PLC0415 - only when a webhook is set

    return httpx.URL(url).raw_host.decode("ascii")


def _addresses(host: str) -> list[str]:
    """The host's addresses as lfx's resolve_hostname lists them (each once, in the resolver's order)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise ValueError(errors.A2A_WEBHOOK_NOT_ALLOWED.format(
            reason=f"DNS resolution failed for {host}: {exc}")) from exc
    found: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%")[0]
        if address not in found:
            found.append(address)
    return found


def _blocked(address: str) -> bool:
    try:
        return blocked_address(ipaddress.ip_address(address))
    except ValueError:
        return True  # an address lfx cannot read is treated as blocked


async def webhook_refusal(url: str, *, allow_private: bool) -> str | None:
    """Why 1.13 refuses this webhook URL (its -32602 text), or None: not http(s), no host, or (unless private
    webhooks are allowed) a host with an address in a blocked range (a DNS look-up for a name)."""
    try:
        parsed = urlparse(url)
    except ValueError as exc:  # "Invalid IPv6 URL": 1.13 answers urlparse's error as its refusal
        return str(exc)
    if parsed.scheme not in ("http", "https"):
        return errors.A2A_WEBHOOK_SCHEME
    if not parsed.hostname:
        return errors.A2A_WEBHOOK_NO_HOST
    if allow_private:
        return None
    try:
        host = _host(url)
    except Exception as exc:  # noqa: BLE001 - httpx's InvalidURL for a host IDNA refuses
        return errors.A2A_WEBHOOK_INVALID_HOST.format(reason=exc)
    try:
        addresses = await asyncio.to_thread(_addresses, host)
    except ValueError as exc:
        return str(exc)
    blocked = [address for address in addresses if _blocked(address)]
    if blocked:
        return errors.A2A_WEBHOOK_BLOCKED.format(addresses=", ".join(blocked))
    return None


# --- the protocol 1.0 JSON of an event ------------------------------------------------------------------


def _v1_part(part: dict[str, Any]) -> dict[str, Any]:
    if part.get("kind") == "text":
        return {"text": part["text"]}
    data = part["data"]
    if (part.get("metadata") or {}).get("data_part_compat"):
        data = data["value"]  # the 0.3 adapter's wrapping of a value that is not an object
    return {"data": data, "mediaType": "application/json"}


def _v1_status(status: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {"state": "TASK_STATE_" + status["state"].upper().replace("-", "_")}
    if message := status.get("message"):
        shown["message"] = {"messageId": message["messageId"], "contextId": message["contextId"],
                            "taskId": message["taskId"], "role": "ROLE_" + message["role"].upper(),
                            "parts": [_v1_part(p) for p in message["parts"]]}
    if "timestamp" in status:
        shown["timestamp"] = status["timestamp"]
    return shown


def v1_event(result: dict[str, Any]) -> dict[str, Any]:
    """A stream result (0.3 shape) as the SDK POSTs it to a webhook: its protocol 1.0 StreamResponse JSON."""
    kind = result["kind"]
    if kind == "task":
        return {"task": {"id": result["id"], "contextId": result["contextId"],
                         "status": _v1_status(result["status"])}}
    if kind == "status-update":
        return {"statusUpdate": {"taskId": result["taskId"], "contextId": result["contextId"],
                                 "status": _v1_status(result["status"])}}
    artifact = result["artifact"]
    return {"artifactUpdate": {"taskId": result["taskId"], "contextId": result["contextId"],
                               "artifact": {"artifactId": artifact["artifactId"], "name": artifact["name"],
                                            "parts": [_v1_part(p) for p in artifact["parts"]]}}}


async def deliver(config: dict[str, Any], payload: dict[str, Any], *, allow_private: bool) -> None:
    """POST one event to one webhook, as the SDK's sender: the config's token in X-A2A-Notification-Token, its
    authentication as an Authorization header; the URL checked again first. Best effort: a failure is dropped."""
    import httpx  # noqa: PLC0415 - only when a webhook is set

    if await webhook_refusal(config["url"], allow_private=allow_private) is not None:
        return
    headers: dict[str, str] = {}
    if config.get("token"):
        headers[TOKEN_HEADER] = config["token"]
    authentication = config.get("authentication")
    if authentication and authentication.get("schemes") and authentication.get("credentials"):
        headers["Authorization"] = f"{authentication['schemes'][0]} {authentication['credentials']}"
    with contextlib.suppress(Exception):
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
            (await client.post(config["url"], json=payload, headers=headers)).raise_for_status()
