"""1.13's custom-code policy for the routes that take a component's source (Langflow's
resolve_component_code_for_action): with custom components disabled, or limited to administrators and the caller
not one, posted source is refused with the route's own text. Minimal form: the catalog-hash exception (a known
server template stays allowed) is not applied here."""

from __future__ import annotations

from typing import Any

from mock_langflow import errors
from mock_langflow.state import AppState


def resolve_code(state: AppState, user: Any, code: str, *, disabled_detail: str, admin_only_detail: str) -> str:
    """The source the route may build: `code` itself, or a 403 with `disabled_detail` (custom components off) or
    `admin_only_detail` (limited to superusers, the caller not one)."""
    settings = state.settings
    disabled = not settings.allow_custom_components
    admin_only = settings.custom_component_admin_only and not user.is_superuser
    if disabled or admin_only:
        raise errors.Forbidden(disabled_detail if disabled else admin_only_detail)
    return code
