"""The handler of POST /api/v1/validate/code (routers/validate.py declares the route): imported, with its shapes,
when the route is first analysed (routing.Later)."""

from __future__ import annotations

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.custom_code import resolve_code, validate_code
from mock_langflow.deps import StateDep
from mock_langflow.schemas.validate_code import Code, CodeValidationResponse


async def post_validate_code(code: Code, user: CurrentUser, state: StateDep) -> CodeValidationResponse:
    """POST /api/v1/validate/code: the posted source's imports and function definitions checked (custom_code),
    after 1.13's custom-code policy (its 403s name code validation).

    Deviation: nothing posted is imported or executed (README, "Deliberate differences")."""
    checked = resolve_code(state, user, code.code, disabled_detail=errors.CODE_VALIDATION_DISABLED,
                           admin_only_detail=errors.CODE_VALIDATION_ADMIN_ONLY)
    found = validate_code(state, checked)
    return CodeValidationResponse(imports=found["imports"], function=found["function"])
