"""What Langflow 1.13 takes out of a stored flow before a visitor runs it (a public build, a tool call of an auth
"none" MCP project): its read scrubber, in the mode that keeps no variable name.

Per field of every node (inlined group flows too):
- a connection reference keeps only a well-formed "<provider>/<name>" handle, else becomes null;
- a field marked `password` or named like a secret loses its value (null), a variable's name too;
- an MCP server field keeps only the server's name ({"name": ...}, null without one): its config goes;
- a table whose schema has columns loading a variable loses every cell of those columns (null), and its rows
  are scrubbed as below;
- any other value is scrubbed: in dicts and lists at any depth, an entry under a secret-like key is nulled, a
  dict whose "key", "name" or "header" is secret-like loses its "value", and a text that is a URL carrying
  credentials (user info, or a secret-like query or fragment parameter) is nulled, the field's own value too.
An MCP component's Headers box (a node with an `mcp_server` field) is scrubbed as a value only. A tool call that
hands over request variables gets back each variable name a field or table cell loaded, where the request has a
variable of that name.

A download (exported_graph) scrubs the same way but keeps the bindings to the owner's global variables: a field
loading a variable (`load_from_db`, a value that is no object or list) keeps a value that names one of them and
could be a name (a non-blank text of at most 256 characters, no control characters, no credential-shaped token
such as "sk-...", no URL with credentials), else loses it; so does a table cell of a column loading a variable,
unless its row says the cell does not load one. (Deviation: the names Langflow generates for an MCP Headers box
are not kept either.)
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mock_langflow.engine.runner import ROW_LOAD_FLAGS, raw_nodes, refused_for_visitors, with_server_code

# Names 1.13 reads as holding a secret (snake, kebab and camel case alike): these words as a part of the name, a
# name that is or ends in "token", one with both "api" and "key" parts, or one of the compound names.
_SECRET_PARTS = frozenset({"credential", "credentials", "passwd", "password", "secret"})
_SECRET_COMPOUNDS = frozenset({"access_key", "api_key", "apikey", "authorization", "client_secret",
                               "connection_string", "cookie", "database_uri", "database_url", "dsn", "private_key",
                               "proxy_authorization", "set_cookie"})
# Token shapes of well-known credential issuers (OpenAI-style keys, GitHub, GitLab, Hugging Face, Slack, AWS access
# key ids): a bound field holding one is a secret, never a variable name.
_CREDENTIAL_TOKEN = re.compile(r"sk-[\w-]{8,}|gh[posu]_[A-Za-z0-9]{8,}|github_pat_\w{8,}|glpat-[\w-]{8,}"
                               r"|hf_[A-Za-z0-9]{8,}|xox[abps]-[A-Za-z0-9-]{8,}|A[KS]IA[0-9A-Z]{16}", re.ASCII)
_NAME_MAX = 256
# lfx's ConnectionRef handle: "<provider>/<name>"
_PROVIDER = re.compile(r"[a-z0-9][a-z0-9._-]*")
_CONNECTION = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")


def is_secret_name(name: object) -> bool:
    words = re.sub(r"[^a-zA-Z0-9]+", "_", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name or "")))
    words = words.strip("_").lower()
    parts = set(words.split("_"))
    return (words in _SECRET_COMPOUNDS or bool(parts & _SECRET_PARTS) or words == "token" or words.endswith("_token")
            or {"api", "key"} <= parts)


def url_with_credentials(value: object) -> bool:
    """A text without inner whitespace that parses as a URL with user info or a secret-like query or fragment
    parameter (code and prose, which have whitespace, never count)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
        if parts.username is not None or parts.password is not None:
            return True
        return any(is_secret_name(key) for part in (parts.query, parts.fragment)
                   for key, _ in parse_qsl(part, keep_blank_values=True))
    except ValueError:
        return False


def kept_name(value: object, known: frozenset[str]) -> bool:
    """Whether a download keeps a bound value: one of the owner's variable names, shaped like a name."""
    if not isinstance(value, str) or not value.strip() or len(value) > _NAME_MAX:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):  # noqa: PLR2004 (ASCII controls and DEL)
        return False
    return (_CREDENTIAL_TOKEN.fullmatch(value.strip()) is None and not url_with_credentials(value)
            and value in known)


def _cell_loads(flags: object, column: str) -> bool | None:
    """A table row's own say on whether a cell loads a variable (None: the row says nothing)."""
    if isinstance(flags, dict):
        return bool(flags[column]) if column in flags else None
    if isinstance(flags, list):
        return column in flags
    return None


def scrub(value: Any) -> Any:
    """The value with what looks secret nulled at any depth (changed in place; a URL with credentials: None)."""
    if url_with_credentials(value):
        return None
    left = [value] if isinstance(value, dict | list) else []
    while left:
        current = left.pop()
        if isinstance(current, dict):
            if "value" in current and any(is_secret_name(current.get(k)) for k in ("key", "name", "header")):
                current["value"] = None
            keys: Any = list(current)
        else:
            keys = range(len(current))
        for key in keys:
            if isinstance(current, dict) and is_secret_name(key):
                current[key] = None
                continue
            item = current[key]
            if url_with_credentials(item):
                current[key] = None
            elif isinstance(item, dict | list):
                left.append(item)
    return value


def _table_columns(entry: dict[str, Any]) -> frozenset[str]:
    schema = entry.get("table_schema")
    return frozenset(c["name"] for c in schema if isinstance(c, dict) and c.get("load_from_db")
                     and isinstance(c.get("name"), str)) if isinstance(schema, list) else frozenset()


def _connection_handle(value: object) -> str | None:
    if not isinstance(value, str) or value.count("/") != 1:
        return None
    provider, name = value.split("/")
    ok = (len(provider) <= 120 and _PROVIDER.fullmatch(provider) is not None
          and len(name) <= 64 and _CONNECTION.fullmatch(name) is not None)
    return value if ok else None


def _scrub_field(entry: dict[str, Any], known: frozenset[str] | None = None) -> None:
    """Scrub one template field in place; `known`: a download's variable names, whose bindings are kept (None:
    a visitor's run, which keeps none)."""
    kind = str(entry.get("type") or "").lower()
    if kind == "connection_ref":
        if entry.get("value") not in (None, ""):
            entry["value"] = _connection_handle(entry["value"])
        return
    if known is not None and entry.get("load_from_db") and not isinstance(entry.get("value"), dict | list):
        if not kept_name(entry.get("value"), known):
            entry["value"] = None
        return
    if entry.get("password") or is_secret_name(entry.get("name")):
        if entry.get("value") not in (None, ""):
            entry["value"] = None
        return
    if kind == "mcp" or str(entry.get("_input_type") or "").lower() == "mcpinput":
        server = entry.get("value")
        name = server.get("name") if isinstance(server, dict) else None
        entry["value"] = {"name": name} if name else None
        return
    columns = _table_columns(entry)
    rows = entry.get("value")
    if not columns or not isinstance(rows, list):
        entry["value"] = scrub(rows)
        return
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            rows[index] = scrub(row)
            continue
        flags = row.pop(ROW_LOAD_FLAGS, None)
        hidden = columns & row.keys()
        kept = {c: row[c] for c in hidden
                if known is not None and _cell_loads(flags, c) is not False and kept_name(row[c], known)}
        scrub(row)
        row.update(dict.fromkeys(hidden))
        row.update(kept)
        if flags is not None:
            row[ROW_LOAD_FLAGS] = flags


def _headers_box(template: dict[str, Any]) -> dict[str, Any] | None:
    """An MCP component's Headers field, scrubbed as a value and nothing else (None: the node has none)."""
    server, headers = template.get("mcp_server"), template.get("headers")
    if (not isinstance(server, dict) or not isinstance(headers, dict) or not isinstance(server.get("value"), dict)
            or not isinstance(headers.get("value"), dict | list)):
        return None
    scrub(headers["value"])
    return headers


def _scrubbed(data: dict[str, Any], known: frozenset[str] | None) -> dict[str, Any]:
    """A copy of a flow's graph with every node's fields scrubbed (`known`: variable names whose bindings stay)."""
    graph = copy.deepcopy(data)
    for _, inner in raw_nodes(graph.get("nodes")):
        template = inner.get("template")
        if not isinstance(template, dict):
            continue
        handled = _headers_box(template)
        for entry in template.values():
            if isinstance(entry, dict) and entry is not handled:
                _scrub_field(entry, known)
    return graph


def without_secret_values(data: dict[str, Any], variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A scrubbed copy of a flow's graph (see the module); `variables`: the request's variables an MCP tool call
    hands over, whose names the fields and table cells loading them keep."""
    graph = _scrubbed(data, None)
    if variables:
        _restore_variable_names(data, graph, variables)
    return graph


def visitor_graph(data: Any, variables: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The graph 1.13 runs for a visitor of a public flow (the public build, a public MCP project's tool, a public
    A2A agent): the server's code in place of the flow's, without secret values; None when it will not run one
    (no graph, a component that runs code or another flow, one whose code it cannot serve)."""
    if not isinstance(data, dict) or refused_for_visitors(data.get("nodes")):
        return None
    served = with_server_code(data)
    return without_secret_values(served, variables) if served is not None else None


def exported_graph(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """A scrubbed copy of a flow's graph as 1.13's download has it: `known`, the owner's variable names, whose
    bindings are kept (see the module)."""
    return _scrubbed(data, known)


def _restore_variable_names(source: Any, scrubbed: Any, variables: Mapping[str, Any]) -> None:
    """Put back, anywhere in the graph, a variable name a field (load_from_db) or a table cell (its row's
    `__load_from_db_fields`: a list of columns, or {column: true}) loads, when the request has that variable."""
    left = [(source, scrubbed)]
    while left:
        was, now = left.pop()
        if isinstance(was, dict) and isinstance(now, dict):
            name = was.get("value")
            if was.get("load_from_db") is True and isinstance(name, str) and name in variables:
                now["value"] = name
            flags = was.get(ROW_LOAD_FLAGS)
            columns = ([c for c, on in flags.items() if on is True] if isinstance(flags, dict)
                       else flags if isinstance(flags, list) else [])
            for column in columns:
                cell = was.get(column) if isinstance(column, str) else None
                if isinstance(cell, str) and cell in variables:
                    now[column] = cell
            left.extend((item, now[key]) for key, item in was.items() if key in now)
        elif isinstance(was, list) and isinstance(now, list):
            left.extend(zip(was, now, strict=False))


def bound_names(data: dict[str, Any]) -> set[str]:
    """The variable names a graph's fields and table cells load (`load_from_db`), as a download keeps them: 1.13's
    deployment snapshot lists them as the variables its target must hold."""
    names: set[str] = set()
    for _, inner in raw_nodes(data.get("nodes")):
        template = inner.get("template")
        for entry in template.values() if isinstance(template, dict) else ():
            if not isinstance(entry, dict):
                continue
            value = entry.get("value")
            if entry.get("load_from_db") and isinstance(value, str) and value:
                names.add(value)
            columns = _table_columns(entry)
            for row in value if columns and isinstance(value, list) else ():
                if isinstance(row, dict):
                    flags = row.get(ROW_LOAD_FLAGS)
                    names.update(row[c] for c in columns & row.keys()
                                 if isinstance(row[c], str) and row[c] and _cell_loads(flags, c) is not False)
    return names


def connection_refs(data: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """The connections a graph's connection_ref fields name ((provider, name) -> their required scopes); None
    when one is no well-formed handle, names another provider than it declares, or has a blank scope."""
    found: dict[tuple[str, str], set[str]] = {}
    for _, inner in raw_nodes(data.get("nodes")):
        template = inner.get("template")
        for entry in template.values() if isinstance(template, dict) else ():
            if not isinstance(entry, dict) or entry.get("type") != "connection_ref" or entry.get("value") in (None, ""):
                continue
            handle, declared = _connection_handle(entry["value"]), entry.get("provider")
            scopes = entry.get("required_scopes", [])
            if handle is None or not isinstance(scopes, list) or not all(isinstance(x, str) and x.strip()
                                                                         for x in scopes):
                raise ValueError("invalid connection reference")
            provider, name = handle.split("/")
            if declared is not None and declared != provider:
                raise ValueError("connection reference of another provider")
            found.setdefault((provider, name), set()).update(x.strip() for x in scopes)
    return found
