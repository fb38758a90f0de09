"""Langflow's check of a model provider's variable when it is stored (create, PATCH), where its outcome needs
no network: the release tries the value against the provider, and some values fail before any connection is
made. Only those are answered here (a 400 with the release's text); any other value is stored as sent, as if
the provider had accepted it (the mock never calls a provider)."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlparse

from mock_langflow import errors

OLLAMA_URL = "OLLAMA_BASE_URL"
# A host requests' URL parser (urllib3's) takes as it is: ASCII letters, digits and -._~
_PLAIN_HOST = re.compile(r"[A-Za-z0-9._~-]*")
_AUTHORITY_END = re.compile(r"[/?#]")

Check = Literal["none", "requests", "connector"]


def provider_value_refusal(name: str, value: str | None, check: Check) -> str | None:
    """The 400 detail the release answers for storing `value` in the provider variable `name`, or None."""
    if name != OLLAMA_URL or not value or check == "none":
        return None
    tags_url = f"{value.rstrip('/')}/api/tags"  # Ollama's check asks the server for its models there
    return _requests_refusal(tags_url) if check == "requests" else _connector_refusal(tags_url)


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


def _connector_refusal(url: str) -> str | None:
    """1.13's connector SSRF guard (its defaults: SSRF protection and connector validation on), which runs before
    the request: a URL that is not http(s) with a host is refused. Whether an http(s) host may be reached
    depends on its address (DNS) or on a server answering there: left to the provider."""
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
    return None
