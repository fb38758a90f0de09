"""MCP names as Langflow derives them: tool names from flow or action names, server names from projects.

Tool names are contract strings: a client calls `tools/call` with the name `tools/list` gave it
(mcp_project_streamable_tools_call calls "contract_chat_io"), so the rules must be Langflow's exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from uuid import UUID

MAX_MCP_TOOL_NAME_LENGTH = 46
MAX_MCP_SERVER_NAME_LENGTH = 30
SERVER_NAME_PREFIX = "lf-"
# What the API keys a project's MCP entry gets are named after: "MCP Project <project> - <user or default>"
KEY_NAME_PREFIX = "MCP Project "
UNNAMED = "unnamed"

# Langflow drops emoji before anything else. Its emoji ranges, taken together, cover these few
# characters and every code point from U+24C2 upwards, so CJK, Hangul and fullwidth letters go too.
# Written as "not below U+24C2": the same set (checked over every code point), but the range U+24C2-U+10FFFF
# spelt out took 6 ms of every start-up to compile, this 0.6 ms.
_DROPPED = re.compile("[\u200d\u231a\u23cf\u23e9]|[^\x00-\u24c1]")
_NOT_WORD = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")
_UNDERSCORES = re.compile(r"_+")


def sanitize_mcp_name(name: str | None, max_length: int = MAX_MCP_TOOL_NAME_LENGTH) -> str:
    """"Contract Chat IO" -> "contract_chat_io": no emoji or accents, words joined by "_", lower case,
    never starting with a digit, at most `max_length` characters; "unnamed" when nothing is left."""
    if not name or not name.strip():
        return ""
    text = _DROPPED.sub("", name)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    text = _UNDERSCORES.sub("_", _SEPARATORS.sub("_", _NOT_WORD.sub("", text))).strip("_")
    if text[:1].isdigit():
        text = "_" + text
    text = text.lower()
    if len(text) > max_length:
        text = text[:max_length].rstrip("_")
    return text or UNNAMED


def unique_name(base: str, max_length: int, taken: Collection[str]) -> str:
    """`base` cut to `max_length`, or the first free "<base>_<n>" that fits when that is taken."""
    name = base[:max_length]
    n = 0
    while name in taken:
        n += 1
        suffix = f"_{n}"
        name = base[: max_length - len(suffix)] + suffix
    return name


def _server_stem(name: str) -> str:
    """1.13's server-name rules: as the tool-name rules, but letters of every script stay (a server name is
    only a config key), a combining mark stays after a letter that is not ASCII, and emoji go; "" when
    nothing is left."""
    kept: list[str] = []
    for original in unicodedata.normalize("NFC", name):
        base = unicodedata.normalize("NFD", original)[0]
        char = base if base.isascii() else original  # Latin letters lose their diacritics
        if char.isalnum() or char in "_-" or char.isspace():
            kept.append(char)
        elif unicodedata.category(char).startswith("M") and kept and not kept[-1].isascii():
            kept.append(char)
    text = _UNDERSCORES.sub("_", _SEPARATORS.sub("_", "".join(kept))).strip("_")
    if text[:1].isdigit():
        text = "_" + text
    text = text.lower()
    if len(text) > MAX_MCP_SERVER_NAME_LENGTH - 4:
        text = text[: MAX_MCP_SERVER_NAME_LENGTH - 4].rstrip("_")
    return text


def project_server_name(project_name: str, *, any_script: bool) -> str:
    """The MCP server name of a project: "Starter Project" -> "lf-starter_project" (mcp_v2_servers). With
    `any_script` (1.13), by 1.13's server-name rules; else by the tool-name rules, cut to 26 characters."""
    if any_script:
        return SERVER_NAME_PREFIX + (_server_stem(project_name or "") or UNNAMED)
    # Langflow reserves four characters for the prefix, one more than "lf-" needs.
    return SERVER_NAME_PREFIX + sanitize_mcp_name(project_name)[: MAX_MCP_SERVER_NAME_LENGTH - 4]


def project_server_names(project_id: UUID, project_name: str, *, any_script: bool) -> list[str]:
    """The names a project's server may have, the preferred first. 1.13 falls back to one that ends in the
    project id's first 8 hex digits when another project holds the first (sanitized names have no hyphen, so
    it is never another project's first choice); before 1.13 there is only the one."""
    base = project_server_name(project_name, any_script=any_script)
    if not any_script:
        return [base]
    stem = base.removeprefix(SERVER_NAME_PREFIX)[: MAX_MCP_SERVER_NAME_LENGTH - 4 - 8 - 1].rstrip("_")
    return [base, f"{SERVER_NAME_PREFIX}{stem}-{project_id.hex[:8]}"]
