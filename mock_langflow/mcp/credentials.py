"""The credentials in a user's MCP server configs (/api/v2/mcp/servers), as Langflow 1.13 shows and takes them.

Its answers mask every value of `env` and `headers`, and the value after each `--headers NAME` in `args`.
An editor sends a masked config back as it got it: a mask then means "keep the value stored", which only an
existing value can be (a 422 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any

from mock_langflow import errors
from mock_langflow.tokens import FERNET_PREFIX

MASK = "********"
SECRET_MAPS = ("env", "headers")


def header_values(args: Any) -> dict[str, list[int]]:
    """Where the values of mcp-proxy's repeated `--headers NAME VALUE` options are in `args`, by name (ignoring
    case), in order."""
    found: dict[str, list[int]] = {}
    if not isinstance(args, list):
        return found
    i = 0
    while i + 2 < len(args):
        if args[i] == "--headers" and isinstance(args[i + 1], str):
            found.setdefault(args[i + 1].casefold(), []).append(i + 2)
            i += 3
        else:
            i += 1
    return found


def _with_secrets(config: Any, in_map: Callable[[Any], Any], in_args: Callable[[Any], Any]) -> Any:
    """A copy of `config` with each value of its `env` and `headers` maps replaced by in_map(value), and each
    value after `--headers NAME` in `args` by in_args(value)."""
    if not config or not isinstance(config, dict):
        return config
    changed = deepcopy(config)
    for name in SECRET_MAPS:
        values = changed.get(name)
        if isinstance(values, dict):
            for key, value in values.items():
                values[key] = in_map(value)
    args = changed.get("args")
    for positions in header_values(args).values():
        for i in positions:
            args[i] = in_args(args[i])
    return changed


def masked(config: dict[str, Any] | None) -> dict[str, Any] | None:
    """The config as an answer shows it: credentials replaced by the mask."""
    def mask(value: Any) -> Any:
        return MASK if value else value

    return _with_secrets(config, mask, mask)


def as_read_back(config: Any, opened: Callable[[str], str]) -> Any:
    """A config as 1.13 reads it back once stored: its encrypt_mcp_config seals each text value of `env` and
    `headers` and each truthy value after `--headers NAME` in `args`, but takes a text that starts like a Fernet
    token, and any value of `args` there that is no text, for sealed already and keeps it; its decrypt_mcp_config
    then opens those (`opened`: what a token holds, "" when this server cannot open it) and reads a value of
    `args` there that is no text as "". The mock stores the config as it would be read."""
    def in_map(value: Any) -> Any:
        return opened(value) if isinstance(value, str) and value.startswith(FERNET_PREFIX) else value

    def in_args(value: Any) -> Any:
        return "" if value and not isinstance(value, str) else in_map(value)

    return _with_secrets(config, in_map, in_args)


def unmasked(config: dict[str, Any], stored: dict[str, Any] | None) -> dict[str, Any]:
    """`config` with each mask replaced by the value `stored` has there; a mask with nothing to keep is a 422."""
    resolved = deepcopy(config)
    for name in SECRET_MAPS:
        values = resolved.get(name)
        if not isinstance(values, dict):
            continue
        before = (stored or {}).get(name) or {}
        for key, value in values.items():
            if value == MASK:
                if key not in before:
                    raise errors.UnprocessableEntity(errors.MCP_MASK_WITHOUT_VALUE)
                values[key] = before[key]
    args = resolved.get("args")
    if isinstance(args, list) and MASK in args:
        old_args = (stored or {}).get("args") or []
        old = header_values(old_args)
        kept: set[int] = set()
        for name, positions in header_values(args).items():
            for nth, i in enumerate(positions):
                if args[i] != MASK:
                    continue
                if len(positions) != len(old.get(name, [])):
                    raise errors.UnprocessableEntity(errors.MCP_MASKED_HEADERS_CHANGED)
                args[i] = old_args[old[name][nth]]
                kept.add(i)
        if any(value == MASK and i not in kept for i, value in enumerate(args)):
            raise errors.UnprocessableEntity(errors.MCP_MASKED_ARG_WITHOUT_VALUE)
    return resolved
