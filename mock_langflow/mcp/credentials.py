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


def masked(config: dict[str, Any] | None) -> dict[str, Any] | None:
    """The config as an answer shows it: credentials replaced by the mask."""
    if not config:
        return config
    shown = deepcopy(config)
    for name in SECRET_MAPS:
        values = shown.get(name)
        if isinstance(values, dict):
            for key, value in values.items():
                if value:
                    values[key] = MASK
    args = shown.get("args")
    for positions in header_values(args).values():
        for i in positions:
            if args[i]:
                args[i] = MASK
    return shown


def as_read_back(config: Any, opened: Callable[[str], str]) -> Any:
    """A config as 1.13 reads it back once stored: its encrypt_mcp_config seals each text value of `env` and
    `headers` and each truthy value after `--headers NAME` in `args`, but takes a text that starts like a Fernet
    token, and any value of `args` there that is no text, for sealed already and keeps it; its decrypt_mcp_config
    then opens those (`opened`: what a token holds, "" when this server cannot open it) and reads a value of
    `args` there that is no text as "". The mock stores the config as it would be read."""
    if not config or not isinstance(config, dict):
        return config
    read = deepcopy(config)
    for name in SECRET_MAPS:
        values = read.get(name)
        if isinstance(values, dict):
            for key, value in values.items():
                if isinstance(value, str) and value.startswith(FERNET_PREFIX):
                    values[key] = opened(value)
    args = read.get("args")
    for positions in header_values(args).values():
        for i in positions:
            value = args[i]
            if value and not isinstance(value, str):
                args[i] = ""
            elif isinstance(value, str) and value.startswith(FERNET_PREFIX):
                args[i] = opened(value)
    return read


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
