"""HS256 JSON Web Tokens, the kind Langflow hands out, in a few lines of standard library.

(A JWT library would bring in cryptography for algorithms the mock never uses, and costs start-up time.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any


class TokenError(ValueError):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_HEADER = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())


def encode(payload: dict[str, Any], secret: str) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{_HEADER}.{body}".encode(), hashlib.sha256).digest()
    return f"{_HEADER}.{body}.{_b64(signature)}"


def decode(token: str, secret: str, *, now: float | None = None) -> dict[str, Any]:
    """The payload of a token signed with `secret` that has not expired; TokenError otherwise."""
    try:
        header, body, signature = token.split(".")
        if json.loads(_unb64(header)).get("alg") != "HS256":
            raise TokenError("unsupported algorithm")
        expected = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise TokenError("bad signature")
        payload: dict[str, Any] = json.loads(_unb64(body))
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise TokenError(str(exc)) from exc
    if not isinstance(payload, dict):
        raise TokenError("payload is not an object")
    exp = payload.get("exp")
    if isinstance(exp, (int, float)) and exp < (time.time() if now is None else now):
        raise TokenError("expired")
    return payload
