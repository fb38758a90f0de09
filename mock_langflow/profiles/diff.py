"""What a client sees change between two emulated releases, read from the profiles' data: the report of
`mock-langflow diff-versions A B`, the page a team reads before upgrading Langflow."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from mock_langflow.profiles.model import Profile

Route = tuple[str, str]  # (method, path)


def _show(value: Any) -> str:
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(value)) or "(none)"
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value) or "(none)"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def knob_changes(old: Any, new: Any, prefix: str = "") -> Iterator[tuple[str, str, Any, Any]]:
    """(dotted name, description, old value, new value) for every profile value that differs."""
    for f in dataclasses.fields(old):
        if f.name in ("version", "aliases", "summary", "config_public", "config_full", "routes_absent"):
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        name = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
            yield from knob_changes(a, b, f"{name}.")
        elif f.name == "hidden":
            continue  # reported field by field under "Body fields"
        elif a != b:
            yield name, f.metadata.get("doc", ""), a, b


def field_changes(old: Profile, new: Profile) -> Iterator[str]:
    shapes = sorted(set(old.shapes.hidden) | set(new.shapes.hidden))
    for shape in shapes:
        a, b = old.shapes.hidden.get(shape, frozenset()), new.shapes.hidden.get(shape, frozenset())
        if added := a - b:
            yield f"{shape}: gains {', '.join(sorted(added))}"
        if removed := b - a:
            yield f"{shape}: loses {', '.join(sorted(removed))}"


def config_changes(old: Profile, new: Profile) -> Iterator[str]:
    for label, a, b in (("without credentials", old.config_public, new.config_public),
                        ("with credentials", old.config_full, new.config_full)):
        if a is None or b is None:
            if a != b:
                yield f"GET /api/v1/config {label}: " + ("now answers" if a is None else "now refused (403)")
            continue
        if added := sorted(set(b) - set(a)):
            yield f"GET /api/v1/config {label}: new keys {', '.join(added)}"
        if removed := sorted(set(a) - set(b)):
            yield f"GET /api/v1/config {label}: keys gone {', '.join(removed)}"
        changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
        for key in changed:
            yield f"GET /api/v1/config {label}: {key} {a[key]!r} -> {b[key]!r}"


def build_events(profile: Profile) -> str:
    """The event order of a two-vertex build, as the profile's build section makes it."""
    names = ["vertices_sorted", *(["build_start"] if profile.build.build_start else []),
             "add_message", "end_vertex", "add_message", "end_vertex"]
    end = "end {build_duration}" if profile.build.end == "duration" else "end {}"
    add = "add_message (flat dict)" if profile.messages.event == "flat" else "add_message"
    return ", ".join(add if n == "add_message" else n for n in names) + f", {end}"


def report(old: Profile, new: Profile, old_routes: set[Route], new_routes: set[Route]) -> str:
    lines = [f"Langflow {old.version} -> {new.version}: what a client sees change", ""]

    def section(title: str, items: list[str]) -> None:
        lines.append(f"## {title}")
        lines.extend(f"- {i}" for i in items) if items else lines.append("- nothing")
        lines.append("")

    section("Routes added", [f"{m} {p}" for p, m in sorted((p, m) for m, p in new_routes - old_routes)])
    section("Routes removed", [f"{m} {p}" for p, m in sorted((p, m) for m, p in old_routes - new_routes)])
    behaviour = [f"{name}: {doc}\n    {old.version}: {_show(a)}\n    {new.version}: {_show(b)}"
                 for name, doc, a, b in knob_changes(old, new)]
    section("Behaviour, status codes and error strings", behaviour)
    section("Body fields", [*field_changes(old, new), *config_changes(old, new)])
    a, b = build_events(old), build_events(new)
    section("Stream events", [] if a == b else [f"build events {old.version}: {a}", f"build events {new.version}: {b}"])
    return "\n".join(lines).rstrip() + "\n"
