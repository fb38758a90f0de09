"""HS256 JSON Web Tokens, the kind Langflow hands out, in a few lines of standard library; and the Fernet tokens
Langflow stores secrets as.

(A JWT library would bring in cryptography for algorithms the mock never uses, and costs start-up time: the
Fernet tokens import it when the first one is made.)
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


class TokenExpired(TokenError):
    """A good token whose `exp` has passed."""


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
        raise TokenExpired("expired")
    return payload


# --- Fernet tokens: how Langflow keeps the secrets of a project's MCP auth settings ----------------------
# (AES comes from `cryptography`, imported on the first secret sealed or opened, never at start-up.)

FERNET_PREFIX = "gAAAAA"  # a Fernet token's version byte and the top of its timestamp, base64-encoded


def fernet_key(secret: str) -> bytes:
    """The 32-byte Fernet key (16 to sign, 16 to encrypt) the mock derives from its secret key. Langflow derives
    its own from its SECRET_KEY; nobody outside a server can open either server's tokens."""
    return hashlib.sha256(b"mock-langflow fernet\0" + secret.encode()).digest()


def fernet_seal(plain: bytes, key: bytes, *, iv: bytes, at: int) -> str:
    """A Fernet token (version 0x80, timestamp, IV, AES-128-CBC, HMAC-SHA256) that any Fernet implementation
    opens with `key`. The IV is the caller's, so that a seeded server's tokens repeat."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.padding import PKCS7

    padder = PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key[16:]), modes.CBC(iv)).encryptor()
    body = (b"\x80" + at.to_bytes(8, "big") + iv
            + encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize())
    return base64.urlsafe_b64encode(body + hmac.new(key[:16], body, hashlib.sha256).digest()).decode()


def fernet_open(token: str, key: bytes) -> bytes | None:
    """What a Fernet token sealed with `key` holds; None for anything else."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.padding import PKCS7

    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (ValueError, UnicodeEncodeError):
        return None
    body, signature = raw[:-32], raw[-32:]
    if len(body) < 41 or (len(body) - 25) % 16 or body[0] != 0x80:
        return None
    if not hmac.compare_digest(signature, hmac.new(key[:16], body, hashlib.sha256).digest()):
        return None
    decryptor = Cipher(algorithms.AES(key[16:]), modes.CBC(body[9:25])).decryptor()
    unpadder = PKCS7(128).unpadder()
    try:
        return unpadder.update(decryptor.update(body[25:]) + decryptor.finalize()) + unpadder.finalize()
    except ValueError:
        return None
