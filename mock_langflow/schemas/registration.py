"""The body and answer of /api/v2/registration/ (Langflow's api/v2/registration.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from mock_langflow.schemas import RequestShape


def _email_fault(value: str) -> str | None:
    """Why `value` is no email address, in email-validator's words, for the faults clients commonly make (a
    subset of its syntax checks: the mock does not bundle it); None when it passes them."""
    if value.count("@") != 1:
        return "The email address is not valid. It must have exactly one @-sign."
    local, _, domain = value.partition("@")
    if not local:
        return "There must be something before the @-sign."
    if not domain:
        return "There must be something after the @-sign."
    if any(c.isspace() for c in local):
        return "The email address contains invalid characters before the @-sign: SPACE."
    if any(c.isspace() for c in domain):
        return "The part after the @-sign contains invalid characters: SPACE."
    if local.startswith(".") or domain.startswith("."):
        return ("An email address cannot start with a period." if local.startswith(".")
                else "An email address cannot have a period immediately after the @-sign.")
    if local.endswith("."):
        return "An email address cannot have a period immediately before the @-sign."
    if domain.endswith("."):
        return "An email address cannot end with a period."
    if ".." in value:
        return "An email address cannot have two periods in a row."
    if "." not in domain:
        return "The part after the @-sign is not valid. It should have a period."
    return None


def email_address(value: str) -> str:
    """pydantic's EmailStr as Langflow validates it: a 422 value_error naming the fault, else the address with
    its domain lowercased (email-validator's normalized form, for ASCII domains)."""
    fault = _email_fault(value)
    if fault is not None:
        raise PydanticCustomError("value_error", "value is not a valid email address: {reason}", {"reason": fault})
    local, _, domain = value.partition("@")
    return f"{local}@{domain.lower()}"


class RegisterRequest(RequestShape):
    email: Annotated[str, AfterValidator(email_address), Field(json_schema_extra={"format": "email"})]
