"""Component source a client posts (Langflow's api/v1/custom_component_policy.py and lfx's custom/validate.py):
1.13's policy gate in front of it, and the check of it that POST /api/v1/validate/code answers. The mock never
imports a posted module nor executes posted code: it parses and compiles, and knows which modules Langflow's
install has from data (data/importable_modules.json: the standard library and each release's top-level modules
of langflow-base's dependencies)."""

from __future__ import annotations

import ast
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from mock_langflow import errors
from mock_langflow.catalog import code_hash, server_sources

if TYPE_CHECKING:
    from mock_langflow.state import AppState
    from mock_langflow.store.models import UserRow


def resolve_code(state: AppState, user: UserRow, code: str, *, disabled_detail: str, admin_only_detail: str) -> str:
    """The source a route acting on posted component code works with, after 1.13's policy (profile
    custom_code.gate; none before): the catalog policy refuses the code of a component it blocks, superusers
    too (403 naming them); then with custom code off (LANGFLOW_ALLOW_CUSTOM_COMPONENTS false), or left to
    superusers (LANGFLOW_CUSTOM_COMPONENT_ADMIN_ONLY) for anyone else, only a server template's code passes
    (the server's copy of it is returned), anything else is a 403 with the route's `disabled_detail`, or its
    `admin_only_detail` when only the admin-only setting refuses it."""
    if not state.profile.custom_code.gate:
        return code
    from mock_langflow.routers.flows import component_blocks

    blocks = component_blocks(state)
    settings = state.settings
    disabled = not settings.allow_custom_components
    restricted = disabled or (settings.custom_component_admin_only and not user.is_superuser)
    if not blocks and not restricted:
        return code
    template = server_sources().get(code_hash(code))
    if blocked := blocks & (template[1] if template else frozenset()):
        raise errors.Forbidden(errors.CODE_BLOCKS_COMPONENTS + ", ".join(sorted(blocked)))
    if not restricted:
        return code
    if template is None:
        raise errors.Forbidden(disabled_detail if disabled else admin_only_detail)
    return template[0]


@cache
def _modules() -> dict[str, frozenset[str]]:
    text = resources.files("mock_langflow.data").joinpath("importable_modules.json").read_text("utf-8")
    lists: dict[str, list[str]] = json.loads(text)
    stdlib = frozenset(lists.pop("stdlib"))
    return {release: stdlib | frozenset(names) for release, names in lists.items()}


def importable(name: str, release: str) -> bool:
    """Whether Langflow's install of `release` (profile custom_code.modules) finds top-level module `name`."""
    return name in _modules()[release]


def validate_code(state: AppState, code: str) -> dict[str, Any]:
    """lfx's validate_code as the release runs it (profile custom_code): {"imports": {"errors": [...]},
    "function": {"errors": [...]}}. Code that does not parse is one function error, its parser's text. Each
    top-level `import` of a module the install lacks is an import error; each top-level function definition is
    compiled alone, a failure a function error (1.13), or the 500 of the route (before 1.13, which compiled
    outside its guard and went on to execute the definition: the mock does not)."""
    found: dict[str, Any] = {"imports": {"errors": []}, "function": {"errors": []}}
    try:
        tree = ast.parse(code)
    except Exception as exc:  # noqa: BLE001 (lfx lists any failure to parse: SyntaxError, ValueError, ...)
        found["function"]["errors"].append(str(exc))
        return found
    check = state.profile.custom_code
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if not importable(top, check.modules):
                    # find_spec on the top-level name reports the whole name; import_module the first part missing
                    found["imports"]["errors"].append(
                        f"No module named '{alias.name if check.check == 'find-spec' else top}'")
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            try:
                compile(ast.Module(body=[node], type_ignores=[]), "<string>", "exec")
            except Exception as exc:  # noqa: BLE001 (what compiling raised is the answer's text)
                if check.check != "find-spec":
                    raise errors.ServerError(str(exc)) from exc
                found["function"]["errors"].append(str(exc))
    return found
