"""The variables of a prompt template, as the prompt editor's check (POST /api/v1/validate/prompt) finds them, and
the fields it gives a frontend node for them (lfx base/prompts/api_utils.py).

A template's variables are its str.format fields ({name}; {{ and }} are literal braces), each once, in order. From
1.8 on, a name that is also a mustache tag of the template is dropped ({{{name}}} is both), and a template checked
as mustache (the request's `mustache`) may hold only simple {{name}} tags, whose names are its variables. Each
name is then "fixed" (leading digits and the characters in _INVALID_CHARACTERS taken out) and the check fails
unless every name was already fixed; Langflow's report of the failure lists what its bookkeeping collected, which
this module reproduces as it is (see _fixed). Every failure is a ValueError whose text is Langflow's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from string import Formatter
from typing import Any

from mock_langflow import errors
from mock_langflow.profiles.model import Prompts

_INVALID_CHARACTERS = frozenset(" ,.:;!?/\\()[]")
_INVALID_NAMES = frozenset({"code", "input_variables", "output_parser", "partial_variables", "template",
                            "template_format", "validate_template"})
# The tags a template checked as mustache may not hold: only {{name}} is allowed.
_COMPLEX_TAGS = ("{{{", "{{#", "{{/", "{{^", "{{&", "{{>", "{{!", "{{.")
_SIMPLE_TAG = re.compile(r"\{\{([a-zA-Z_][a-zA-Z0-9_]*)\}\}")
_TAG_AT_1_8 = re.compile(r"\{\{[^}]*\}\}")
# A mustache tag's kind by its first character (anything else names a variable).
_TAG_KINDS = {"!": "comment", "#": "section", "^": "inverted section", "/": "end", ">": "partial",
              "=": "set delimiter", "{": "triple", "&": "no escape"}
# Stand-ins for {{ and }} while a name's characters are checked (neither holds a character checked).
_OPEN, _CLOSE = "\x00open\x00", "\x00close\x00"
# The fields of a variable's new template entry, in Langflow's order; its value is "" unless the node had one.
_FIELD_HEAD = {"type": "str", "required": False, "placeholder": "", "list": False, "show": True, "multiline": True}


def format_fields(template: str) -> list[str]:
    """The str.format field names of `template`, each once, in order (Python's own errors for a bad one)."""
    names: list[str] = []
    for _, name, _, _ in Formatter().parse(template):
        if name and name not in names:
            names.append(name)
    return names


def _mustache_tags(template: str) -> Iterator[tuple[str, str]]:
    """(kind, key) of each {{...}} tag; a tag left open is the tokenizer's "unclosed tag at line N"."""
    pos, line = 0, 1
    while (start := template.find("{{", pos)) >= 0:
        line += template.count("\n", pos, start)
        end = template.find("}}", start + 2)
        if end < 0:
            raise ValueError(errors.MUSTACHE_UNCLOSED.format(line=line))
        tag, pos = template[start + 2:end], end + 2
        kind = _TAG_KINDS.get(tag[:1], "variable")
        if kind != "variable":
            tag = tag[1:]
        if kind == "triple":  # {{{name}}} when a third brace closes it
            kind = "no escape" if template.startswith("}", pos) else "other"
            pos += kind == "no escape"
        yield kind, tag.strip()


def mustache_names(template: str) -> list[str]:
    """The top-level names of the template's mustache tags (a dotted name's first part), each once, in order;
    names inside a section are not top-level. (Langflow keeps them in a set, whose order varies per process.)"""
    names: list[str] = []
    depth = 0
    for kind, key in _mustache_tags(template):
        if kind == "end":
            depth -= 1
        elif kind in ("variable", "section", "inverted section", "no escape") and key != "." and depth == 0:
            name = key.split(".")[0]
            if name not in names:
                names.append(name)
        if kind in ("section", "inverted section"):
            depth += 1
    return names


def _check_simple_tags(template: str, finder: str) -> None:
    """A template checked as mustache: no section, comment, partial, triple-brace or other complex tag, and
    each {{...}} a simple name (1.13 finds a tag up to the next }}; 1.8 only one without a } inside)."""
    if not template:
        return
    if any(marker in template for marker in _COMPLEX_TAGS):
        raise ValueError(errors.MUSTACHE_COMPLEX)
    if finder == "regex":
        tags = _TAG_AT_1_8.findall(template)
    else:
        tags, pos = [], 0
        while (start := template.find("{{", pos)) >= 0 and (end := template.find("}}", start + 2)) >= 0:
            tags.append(template[start:end + 2])
            pos = end + 2
    for tag in tags:
        if not _SIMPLE_TAG.match(tag):
            raise ValueError(errors.MUSTACHE_BAD_TAG.format(tag=tag))


def _json_like(name: str) -> bool:
    compact = name.strip().replace("\n", "").replace(" ", "")
    return compact.startswith("{{") and compact.endswith("}}")


def _fix(name: str, invalid: list[str], wrong: list[str]) -> tuple[str, list[str], list[str]]:
    """`name` without its leading digits and invalid characters; each character taken out is noted in
    `invalid` (a leading digit too), and the name in `wrong` once it had an invalid character."""
    if not name:
        return name, invalid, wrong
    fixed = name
    if name[0].isdigit():
        invalid.append(name[0])
        fixed, invalid, wrong = _fix(name[1:], invalid, wrong)
    fixed = fixed.replace("{{", _OPEN).replace("}}", _CLOSE)
    for char in fixed:
        if char in _INVALID_CHARACTERS:
            invalid.append(char)
            fixed = fixed.replace(char, "")
            if name not in wrong:
                wrong.append(name)
    return fixed.replace(_OPEN, "{{").replace(_CLOSE, "}}"), invalid, wrong


def _fixed(names: list[str], prefix: str) -> list[str]:
    """Every name fixed, or Langflow's report. Its bookkeeping is reproduced as it is: it takes _fix's
    (fixed, invalid characters, wrong names) as (fixed, wrong names, empty names), so the report's "Invalid
    variables" list the characters taken out and the names holding one, and its "Empty variables" the wrong
    names, which from the second name on are that same list."""
    invalid: list[str] = []
    fixed: list[str] = []
    wrong: list[str] = []
    empty: list[str] = []
    checked: list[str] = []
    for name in names:
        if _json_like(name):
            continue
        new, wrong, empty = _fix(name, invalid, wrong)
        if any(char in _INVALID_CHARACTERS for char in name):
            wrong.append(name)
        elif name == "":
            empty.append(name)
        fixed.append(new)
        checked.append(name)
    if any(name not in fixed for name in checked):
        raise ValueError(prefix + errors.PROMPT_BAD_VARIABLES.format(
            wrong=", ".join(wrong), empty=", ".join(empty), fixed=", ".join(fixed)))
    return fixed


def render_mustache(template: str, value: Callable[[str], str], prompts: Prompts) -> str:
    """A template run in double-bracket mode (lfx's safe_mustache_render): checked as the prompt check checks a
    mustache template (a ValueError with Langflow's text), then each {{name}} replaced, in one pass, by its
    variable's value; single braces stay as written."""
    _check_simple_tags(template, prompts.mustache)
    return _SIMPLE_TAG.sub(lambda tag: value(tag.group(1)), template)


def template_variables(template: str, *, mustache: bool, prompts: Prompts) -> list[str]:
    """The template's variables as the release checks them (lfx validate_prompt), or a ValueError."""
    if mustache and prompts.mustache != "none":
        _check_simple_tags(template, prompts.mustache)
        try:
            names = mustache_names(template)
        except ValueError as exc:  # the tokenizer's "unclosed tag", which lfx words as a syntax error (its other
            raise ValueError(errors.MUSTACHE_BAD_SYNTAX) from exc  # branch, for parser errors, never comes here)
        plain = format_fields(template)
        names = [name for name in names if name not in plain or "{{" + name + "}}" in template]
    else:
        names = format_fields(template)
        if prompts.mustache != "none":
            tags = set(mustache_names(template))
            names = [name for name in names if name not in tags]
    names = _fixed(names, prompts.invalid_prefix)
    if prompts.reserved_prefix and (reserved := [name for name in names if name.startswith("_")]):
        raise ValueError(errors.PROMPT_RESERVED_NAMES.format(names=", ".join(f"`{name}`" for name in reserved)))
    if any(name in _INVALID_NAMES for name in names):
        raise ValueError(errors.PROMPT_FORBIDDEN_NAMES.format(names=", ".join(names)))
    return names


def prompt_field(name: str, value: Any, *, api_editable: bool) -> dict[str, Any]:
    """A variable's template entry: a multiline text field taking Messages (no `value` key for a null one)."""
    entry: dict[str, Any] = {**_FIELD_HEAD, "value": value, "fileTypes": [], "file_path": "", "name": name,
                             "display_name": name, "advanced": False}
    if value is None:
        del entry["value"]
    if api_editable:
        entry["api_editable"] = False
    return {**entry, "input_types": ["Message"], "dynamic": False, "info": "", "load_from_db": False,
            "title_case": False}


def _wrapped(exc: Exception) -> ValueError:
    """Langflow raises an HTTPException(500) inside the step and the route wraps its text: "500: <text>"."""
    return ValueError(f"500: {exc}")


def apply_to_node(names: list[str], name: str, custom_fields: dict[str, Any] | None, template: dict[str, Any],
                  *, api_editable: bool) -> None:
    """Give the node's template a field for each variable (keeping a value it had), drop the fields of the
    variables it listed under `name` before and no longer has, list the new ones there, and set the
    template's input_variables value (lfx process_prompt_template). `custom_fields` None: a list of its own,
    the node's stays None."""
    fields: dict[str, Any] = custom_fields if custom_fields is not None else defaultdict(list)
    key = name
    try:
        if len(fields) == 1 and name == "":  # a new node's first check: its only list, whatever its key
            key = next(iter(fields))
        old = fields[key] or []
        old = old.copy()
    except KeyError:
        old = []
    fields[key] = []
    for variable in names:
        try:
            value = template[variable]["value"] if variable in template else ""
            template[variable] = prompt_field(variable, value, api_editable=api_editable)
            if variable not in fields[name]:
                fields[name].append(variable)
        except Exception as exc:  # noqa: BLE001 (Langflow turns any failure here into its 500)
            raise _wrapped(exc) from exc
    for variable in old:
        if variable not in names:
            try:
                if variable in fields[name]:
                    fields[name].remove(variable)
                template.pop(variable, None)
            except Exception as exc:  # noqa: BLE001
                raise _wrapped(exc) from exc
    if "input_variables" in template:
        template["input_variables"]["value"] = names
