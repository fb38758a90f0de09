"""The body and answer of /api/v2/registration/ (Langflow's api/v2/registration.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from mock_langflow.schemas import RequestShape


def email_address(value: str) -> str:
    """pydantic's EmailStr as Langflow validates it (mock_langflow.emails, imported at the first address): a 422
    value_error naming the fault, else email-validator's normalized form of the address."""
    from mock_langflow.emails import NotAnEmail, normalized_email

    try:
        return normalized_email(value)
    except NotAnEmail as e:
        raise PydanticCustomError("value_error", "value is not a valid email address: {reason}",
                                  {"reason": str(e)}) from None


class RegisterRequest(RequestShape):
    email: Annotated[str, AfterValidator(email_address), Field(json_schema_extra={"format": "email"})]
