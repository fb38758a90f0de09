"""Secrets as Langflow keeps them: encrypted. A project's MCP auth settings, and Credential variables.

Langflow stores `api_key` and `oauth_client_secret` as Fernet tokens made with its secret key, so a project read
from /api/v1/projects shows the token ("gAAAAAB..."), never the secret; the MCP tool listing shows a mask
instead. The mock makes real Fernet tokens with a key of its own (tokens.fernet_key), each from the next id, so
a seeded server's tokens repeat.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mock_langflow import tokens
from mock_langflow.clock import Clock, Ids, as_utc

SECRET_FIELDS = ("oauth_client_secret", "api_key")
MASK = "*******"  # a set secret in the MCP tool listing; sent back by an editor, it means "keep the stored one"


class Sealer:
    def __init__(self, secret: str, ids: Ids, clock: Clock, *, on_create: bool = True,
                 foreign_kept: bool = True) -> None:
        """`on_create`: a project created with auth settings stores them sealed (1.13), or as sent (1.8.4,
        1.7.1). `foreign_kept`: a secret that already looks like a Fernet token is stored as it is (1.13, 1.8.4,
        which take anything starting "gAAAAA" as sealed), or sealed again unless this server can open it
        (1.7.1)."""
        self.key = tokens.fernet_key(secret)
        self.ids, self.clock = ids, clock
        self.on_create, self.foreign_kept = on_create, foreign_kept

    def opened(self, value: Any) -> Any:
        """A stored secret in the clear: a token of this server opened, anything else as it is."""
        if isinstance(value, str) and value.startswith(tokens.FERNET_PREFIX):
            plain = tokens.fernet_open(value, self.key)
            if plain is not None:
                return plain.decode()
        return value

    def opened_or_empty(self, value: str) -> str:
        """What Langflow's decrypt_api_key makes of a text that starts like a Fernet token: what it holds, or ""
        when this server cannot open it (or it holds no UTF-8 text)."""
        plain = tokens.fernet_open(value, self.key)
        try:
            return plain.decode() if plain is not None else ""
        except UnicodeDecodeError:
            return ""

    def seal(self, value: str, *, iv: bytes | None = None, at: datetime | None = None) -> str:
        """`value` as a new Fernet token (its IV the next id's bytes, its time now, unless given)."""
        return tokens.fernet_seal(value.encode(), self.key, iv=iv if iv is not None else self.ids.uuid().bytes,
                                  at=int(as_utc(at or self.clock.now()).timestamp()))

    def _sealed(self, value: Any) -> Any:
        if not isinstance(value, str):  # Langflow keeps a secret that is not a string as it is
            return value
        if value.startswith(tokens.FERNET_PREFIX) and (self.foreign_kept or self.opened(value) != value):
            return value
        return self.seal(value)

    def sealed(self, settings: dict[str, Any] | None) -> dict[str, Any] | None:
        """The settings to store: each secret that is set, sealed."""
        if settings is None:
            return None
        return {k: (self._sealed(v) if k in SECRET_FIELDS and v else v) for k, v in settings.items()}

    def created(self, settings: dict[str, Any] | None) -> dict[str, Any] | None:
        """The settings a new project stores."""
        return self.sealed(settings) if self.on_create else settings

    def replaced(self, current: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
        """The settings a project stores when `new` replaces `current`: None clears them, and while the project
        uses OAuth or API keys a secret sent as the mask keeps the stored one."""
        if new is None:
            return None
        kept = dict(new)
        if current and current.get("auth_type") in ("oauth", "apikey"):
            for name in SECRET_FIELDS:
                if kept.get(name) == MASK and name in current:
                    kept[name] = self.opened(current[name])
        return self.sealed(kept)
