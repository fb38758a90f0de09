"""Scripted custom components: what a flow's own Python components do in a run, since the mock never runs code.

A script's `components:` entries (engine/scripts.py ComponentScript) name a component by the class in its
`code` field (`class SlowEcho(...)` or its `name = "SlowEcho"`), by node type or by display name, and say
what it outputs, how long it takes and whether it raises. The runner asks `scripted_for` before it falls
back to its own handling of a node, so a script applies on every run path (/run, build, webhook, v2).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from mock_langflow.engine.graph import Node
from mock_langflow.engine.scripts import ComponentScript

_CLASS = re.compile(r"^class\s+(\w+)\s*[(:]", re.MULTILINE)
# A class attribute `name = "..."` (one indentation level), not an input's `name="..."` argument.
_NAME = re.compile(r"""^(?: {4}|\t)name\s*=\s*["']([^"']+)["']""", re.MULTILINE)
# {field} but not {{literal}}, as in Langflow's prompt templates
_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def component_names(node: Node) -> set[str]:
    """Every name a script may use for this node: its code's class and `name`, its type and display name."""
    names = {node.type, node.display_name}
    code = node.value("code", "")
    if isinstance(code, str):
        names.update(_CLASS.findall(code))
        names.update(_NAME.findall(code))
    return names


def scripted_for(node: Node, scripts: list[ComponentScript]) -> ComponentScript | None:
    """The script that stands in for this node: the first in `scripts` (winner first) that names it."""
    if not scripts:
        return None
    names = component_names(node)
    return next((script for script in scripts if script.component in names), None)


def fill_template(template: str, lookup: Callable[[str], str | None]) -> str:
    """Replace each {name} with lookup(name), keeping placeholders it does not know; {{ and }} are braces."""

    def one(match: re.Match[str]) -> str:
        found = lookup(match.group(1))
        return match.group(0) if found is None else found

    return _PLACEHOLDER.sub(one, template).replace("{{", "{").replace("}}", "}")


def seconds(raw: str) -> float:
    """A delay taken from a node's input: a number of seconds; anything else (or a negative number) is none."""
    try:
        value = float(raw)
    except ValueError:
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0
