"""Users, API keys and tokens (facts 1-8)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import BeforeValidator, Field, ValidatorFunctionWrapHandler, field_serializer, field_validator

from mock_langflow.clock import wire_time
from mock_langflow.profiles import current
from mock_langflow.schemas import Profiled, RequestShape, Shape


class Token(Shape):
    access_token: str
    refresh_token: str | None
    token_type: str  # required in Langflow's documents: no default there


class UserRead(Shape):
    id: UUID
    username: str
    profile_image: str | None
    store_api_key: str | None
    is_active: bool
    is_superuser: bool
    create_at: datetime
    updated_at: datetime
    last_login_at: datetime | None
    optins: dict[str, Any] | None = None

    # No return annotation: /openapi.json keeps the field's date-time type, as Langflow's document has it.
    @field_serializer("create_at", "updated_at", "last_login_at")
    def _times(self, value):  # type: ignore[no-untyped-def]
        return wire_time(value, "users")


class UsersResponse(Profiled):
    shape: ClassVar[str] = "UsersResponse"

    total_count: int
    users: list[UserRead]
    # 1.13: the listed users' open account deletion requests' statuses, by user id
    deletion_requests: dict[str, str] = Field(default_factory=dict)


class UserCreate(RequestShape):
    username: str
    password: str
    # Langflow's default; a null sent is stored as null.
    optins: dict[str, Any] | None = {"github_starred": False, "dialog_dismissed": False, "discord_clicked": False}


class UserUpdate(RequestShape):
    username: str | None = None
    profile_image: str | None = None
    password: str | None = None
    is_active: bool | None = None
    is_superuser: bool | None = None
    last_login_at: datetime | None = None
    optins: dict[str, Any] | None = None

    @field_validator("last_login_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """A time without a zone is UTC, as Langflow's UserUpdate reads it. One at the ends of the calendar with
        no UTC equivalent is a 422 (Langflow fails on it with a 500)."""
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("last_login_at has no UTC equivalent") from exc


class PasswordResetRequest(RequestShape):
    current_password: str
    password: str


class SessionInfo(Shape):
    authenticated: bool
    user: UserRead | None
    store_api_key: str | None


def _text_uuid(value: object) -> object:
    """Langflow's UUIDstr: text must parse as a UUID (else a 422 `value_error`, not pydantic's `uuid_parsing`)."""
    return UUID(value) if isinstance(value, str) else value


class ApiKeyCreate(RequestShape):
    """Langflow's ApiKeyCreate: every field is checked (a bad type is a 422), but its create keeps only `name`,
    `created_at` and (1.13) `expires_at`. The key, its owner, use count, last use and `is_active` are the
    server's, whatever the body says."""

    name: str | None = None
    last_used_at: datetime | None = None
    total_uses: int = 0
    is_active: bool = True
    expires_at: datetime | None = None
    api_key: str | None = None
    user_id: Annotated[UUID, BeforeValidator(_text_uuid)] | None = None
    created_at: datetime | None = None

    @field_validator("created_at", mode="before")
    @classmethod
    def _now_when_empty(cls, value: object) -> object:
        """An empty value (null, "", 0, false, [], {}) means "now", as Langflow's `v or utc_now()`: None here,
        the store's clock then."""
        return value or None

    @field_validator("expires_at", mode="wrap")
    @classmethod
    def _expiry_of_the_release(cls, value: object, handler: ValidatorFunctionWrapHandler) -> object:
        """Before 1.13 the model has no `expires_at`: whatever is sent is ignored, never a 422."""
        if "expires_at" in current().shapes.hidden.get("ApiKey", ()):
            return None
        return handler(value)


class ApiKeyFields(Profiled):
    shape = "ApiKey"

    name: str | None
    last_used_at: datetime | None
    total_uses: int
    is_active: bool
    expires_at: datetime | None
    id: UUID
    api_key: str
    user_id: UUID

    # No return annotation: /openapi.json keeps the field's date-time type, as Langflow's document has it.
    @field_serializer("last_used_at", "expires_at")
    def _times(self, value):  # type: ignore[no-untyped-def]
        return wire_time(value, "api_keys")


class UnmaskedApiKeyRead(ApiKeyFields):
    """The create answer: the only place the whole key is ever shown."""


class ApiKeyRead(ApiKeyFields):
    """A listed key: masked, with its creation time."""

    created_at: datetime

    # No return annotation: /openapi.json keeps the field's date-time type, as Langflow's document has it.
    @field_serializer("created_at")
    def _created(self, value):  # type: ignore[no-untyped-def]
        return wire_time(value, "api_keys")


class ApiKeyCreateRequest(RequestShape):
    """A Langflow Store key to keep (encrypted) on the user (Langflow names the shape so too)."""

    api_key: str


class ApiKeysResponse(Shape):
    total_count: int
    user_id: UUID
    api_keys: list[ApiKeyRead]


class DetailResponse(Shape):
    detail: str
