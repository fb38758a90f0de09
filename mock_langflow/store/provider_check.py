"""Langflow's check of a model provider's variable when it is stored (create, PATCH), where its outcome needs
no network: the release tries the value against the provider, and some values fail before any connection is
made. Only those are answered here (a 400 with the release's text); any other value is stored as sent, as if
the provider had accepted it (the mock never calls a provider)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal
from urllib.parse import urlparse

from mock_langflow import errors

OLLAMA_URL = "OLLAMA_BASE_URL"
AZURE_AI_FOUNDRY_KEY = "AZURE_AI_FOUNDRY_API_KEY"
WATSONX_KEY = "WATSONX_APIKEY"
WATSONX_PROJECT = "WATSONX_PROJECT_ID"
WATSONX_URL = "WATSONX_URL"
WATSONX_DEFAULT_URL = "https://us-south.ml.cloud.ibm.com"  # what 1.13's WatsonX check uses without a stored URL
# A host requests' URL parser (urllib3's) takes as it is: ASCII letters, digits and -._~
_PLAIN_HOST = re.compile(r"[A-Za-z0-9._~-]*")
_AUTHORITY_END = re.compile(r"[/?#]")
# The addresses 1.13's SSRF guard refuses (lfx's blocked ranges): private, loopback, link-local, reserved...
_BLOCKED_RANGES = (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
    "240.0.0.0/4", "255.255.255.255/32", "::1/128", "::/128", "::ffff:0:0/96", "100::/64", "2001::/23",
    "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8")
# These two carry an IPv4 address, judged as that address.
_SIX_TO_FOUR, _NAT64 = "2002::/16", "64:ff9b::/96"


@cache
def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A range, parsed when a check first needs it (not at start-up)."""
    return ipaddress.ip_network(text)


Check = Literal["none", "requests", "connector"]
# The value a check reads for another of the provider's variables: the user's, else the server's environment.
StoredReader = Callable[[str], "str | None"]


@dataclass(frozen=True)
class SsrfPolicy:
    """1.13's SSRF settings as its connector guard reads them: LANGFLOW_SSRF_PROTECTION_ENABLED and
    LANGFLOW_CONNECTOR_SSRF_VALIDATION_ENABLED (either off: no guard), LANGFLOW_CONNECTOR_SSRF_ALLOW_LOOPBACK
    (a literal loopback host passes) and LANGFLOW_SSRF_ALLOWED_HOSTS (names, *.domains, addresses, CIDR ranges
    that pass)."""
    protection: bool = True
    connector: bool = True
    loopback: bool = True
    allowed_hosts: tuple[str, ...] = ()

    @property
    def guarded(self) -> bool:
        return self.protection and self.connector


def provider_value_refusal(name: str, value: str | None, check: Check, *, stored: StoredReader,
                           ssrf: SsrfPolicy) -> str | None:
    """The 400 detail the release answers for storing `value` in the provider variable `name`, or None.
    1.13 (connector) checks a provider's primary variable together with the provider's other ones (`stored`):
    WatsonX's key with its project and URL. Its check of Azure AI Foundry's key refuses every one, as it needs a
    package langflow-base 1.13 does not install. (Its check of OpenAI's key guards the stored base URL too, but only
    where langchain-openai is installed, which langflow-base 1.13 does not require: without it the key is stored
    unchecked, as here.)"""
    if not value or check == "none":
        return None
    if check == "requests":
        return _requests_refusal(_tags_url(value)) if name == OLLAMA_URL else None
    if name == AZURE_AI_FOUNDRY_KEY:  # its check first imports langchain-azure-ai, absent from langflow-base 1.13
        return errors.AZURE_AI_FOUNDRY_UNCHECKABLE
    if name == OLLAMA_URL:
        tags_url = _tags_url(value)
        # without the guard, requests gets the URL; its refusal is a ValueError the check passes on
        return _connector_refusal(tags_url, ssrf) if ssrf.guarded else _requests_refusal(tags_url)
    if name == WATSONX_KEY and stored(WATSONX_PROJECT):  # without a project the check stops before the URL
        url = stored(WATSONX_URL) or WATSONX_DEFAULT_URL
        if ssrf.guarded:
            return _connector_refusal(url, ssrf)
        # unguarded, it asks the URL for the models to try the key with; requests refusing the URL leaves it none
        if _requests_refusal(f"{url}/ml/v1/foundation_model_specs") is not None:
            return errors.WATSONX_NO_MODEL
    return None


def _tags_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/api/tags"  # Ollama's check asks the server for its models there


def _requests_refusal(url: str) -> str | None:
    """requests' own refusal of the URL, raised before it connects (a ValueError the check passes on)."""
    url = url.lstrip()
    if ":" in url:
        # requests leaves a URL with a colon that does not start with "http" unparsed; then no transport
        # (http://, https://) matches it. One starting with "http" is parsed: left to the provider.
        return None if url.lower().startswith("http") else errors.url_without_adapter(url)
    if url.startswith("//"):
        authority = _AUTHORITY_END.split(url[2:], maxsplit=1)[0]
    else:
        authority = "" if url.startswith("/") else _AUTHORITY_END.split(url, maxsplit=1)[0]
    if not _PLAIN_HOST.fullmatch(authority) or any(c.isspace() or not c.isprintable() for c in url):
        return None  # requests' parser decides on such a host (its refusal's text varies by version)
    return errors.url_without_scheme(url)


def _connector_refusal(url: str, ssrf: SsrfPolicy) -> str | None:
    """1.13's connector SSRF guard, which runs before the request: a URL that is not http(s) with a host is
    refused, and so is a host written as an address in a blocked range (unless allowed). A host name passes or
    not by its addresses (DNS), and a host that passes leaves the outcome to a server answering there: left to
    the provider."""
    authority = _AUTHORITY_END.split(url.partition("://")[2], maxsplit=1)[0]
    if "\\" in authority:
        return errors.CONNECTOR_URL_BACKSLASH
    try:
        parsed = urlparse(url)
        host = parsed.hostname
    except ValueError as exc:  # Python's own refusal (an unclosed IPv6 bracket), passed on as the detail
        return str(exc)
    if parsed.scheme not in ("http", "https") or not host:
        return errors.connector_url_refused(url)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if ssrf.loopback and (host.lower() == "localhost" or (address is not None and address.is_loopback)):
        return None
    if address is None or _allowed(host, address, ssrf.allowed_hosts) or not blocked_address(address):
        return None
    return errors.ssrf_address_blocked(host)


def _allowed(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address, allowed: tuple[str, ...]) -> bool:
    """LANGFLOW_SSRF_ALLOWED_HOSTS lets the host through: its name, a *.domain it is in (or the domain itself),
    its address, or a CIDR range holding it."""
    if host in allowed or str(address) in allowed:
        return True
    if any(entry.startswith("*.") and (host.endswith(entry[1:]) or host == entry[2:]) for entry in allowed):
        return True
    for entry in allowed:
        if "/" in entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


def blocked_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """In one of lfx's blocked ranges (an IPv6 address carrying an IPv4 one judged as that)."""
    if any(address in _network(network) for network in _BLOCKED_RANGES):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        if address in _network(_SIX_TO_FOUR):
            return blocked_address(ipaddress.IPv4Address(address.packed[2:6]))
        if address in _network(_NAT64):
            return blocked_address(ipaddress.IPv4Address(address.packed[12:16]))
    return False
