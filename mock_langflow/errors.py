"""Langflow's error answers: one class per error, each string copied verbatim from the recordings.

Handlers raise these and nothing else; `install_error_handlers` renders every one of them, FastAPI's own
HTTP errors and validation errors in the body shapes real Langflow 1.13 sends.
"""

from __future__ import annotations

import json
from typing import Any

# --- auth (facts 1-8) --------------------------------------------------------------------------------
AUTO_LOGIN_NEEDS_KEY = (
    "Since v1.5, LANGFLOW_AUTO_LOGIN requires a valid API key. Set LANGFLOW_SKIP_AUTH_AUTO_LOGIN=true to skip "
    "this check. Please update your authentication method."
)
API_KEY_MUST_BE_PASSED = "An API key must be passed as query or header"
INVALID_OR_MISSING_API_KEY = "Invalid or missing API key"
NO_CREDENTIALS = "No authentication credentials provided"
INVALID_API_KEY = "Invalid API key"
INVALID_TOKEN = "Invalid token"
INCORRECT_LOGIN = "Incorrect username or password"
INVALID_REFRESH_TOKEN = "Invalid refresh token"
WEBHOOK_KEY_REQUIRED = "API key required when webhook authentication is enabled"
API_KEY_NOT_FOUND = "API Key not found"
# --- flows and projects (facts 31-36, 41) -------------------------------------------------------------
FLOW_NOT_FOUND = "Flow not found"
ENDPOINT_NAME_TAKEN = "Endpoint name must be unique"
NO_FLOWS_FOUND = "No flows found."
NO_FILE_PROVIDED = "No file provided"
PROJECT_NOT_FOUND = "Project not found"
NO_FLOWS_IN_PROJECT = "No flows found in project"
PROJECT_NAME_TAKEN = "Project name must be unique"
VARIABLE_NOT_FOUND = "Variable not found"
USER_NOT_FOUND = "User not found"
# --- files v1 and v2 (facts 37-39) ---------------------------------------------------------------------
FILE_NOT_FOUND = "File not found"
NO_FILES_FOUND = "No files found"
# Langflow's own texts for refusals the recordings do not show (api/v1/files.py, api/v2/files.py).
FLOW_ACCESS_DENIED = "You don't have access to this flow"
FILE_ACCESS_DENIED = "You don't have access to this file"
MULTIPART_REQUIRED = "Content-Type header must be 'multipart/form-data' with a boundary parameter."
INVALID_FILE_ENCODING = "Invalid file encoding"
# --- generic -----------------------------------------------------------------------------------------
NOT_FOUND = "Not Found"
METHOD_NOT_ALLOWED = "Method Not Allowed"
TASK_DEPRECATED = (
    "The /task endpoint is deprecated and will be removed in a future version. Please use /run instead."
)
PROCESS_DEPRECATED = (
    "The /process endpoint is deprecated and will be removed in a future version. Please use /run instead."
)


def flow_file_missing(file_name: str, flow_id: object) -> str:
    """files_v1_download_missing: the storage error's text."""
    return f"File {file_name} not found in flow {flow_id}"


def not_an_image(content_type: str) -> str:
    return f"Content type {content_type} is not an image"


def profile_picture_not_found(folder_name: str, file_name: str) -> str:
    return f"Profile picture {folder_name}/{file_name} not found"


def content_too_large(limit_mb: int, got_bytes: int) -> str:
    """Fact 39: 'Maximum allowed is 1MB and got 1.0MB.'"""
    return f"Content size limit exceeded. Maximum allowed is {limit_mb}MB and got {got_bytes / 1024 / 1024:.1f}MB."


class MockHTTPError(Exception):
    """An error answer. `detail` goes under a "detail" key unless `top_level` puts the dict at the top."""

    status_code: int = 500
    detail: Any = "Internal Server Error"
    headers: dict[str, str] | None = None
    top_level: bool = False

    def __init__(self, detail: Any = None, *, headers: dict[str, str] | None = None) -> None:
        if detail is not None:
            self.detail = detail
        if headers is not None:
            self.headers = headers
        super().__init__(str(self.detail))

    def body(self) -> Any:
        if self.top_level and isinstance(self.detail, dict):
            return self.detail
        return {"detail": self.detail}


class BadRequest(MockHTTPError):
    status_code = 400


class Unauthorized(MockHTTPError):
    status_code = 401


class Forbidden(MockHTTPError):
    status_code = 403


class NotFound(MockHTTPError):
    status_code = 404
    detail = NOT_FOUND


class ContentTooLarge(MockHTTPError):
    status_code = 413


class UnprocessableEntity(MockHTTPError):
    status_code = 422


class BearerUnauthorized(Unauthorized):
    """401 answers that carry `www-authenticate: Bearer` (login, refresh)."""

    headers = {"WWW-Authenticate": "Bearer"}


class FlowNotFound(NotFound):
    detail = FLOW_NOT_FOUND


class ProjectNotFound(NotFound):
    detail = PROJECT_NOT_FOUND


class FileNotFound(NotFound):
    detail = FILE_NOT_FOUND


class FlowFileMissing(MockHTTPError):
    """Emulated: real Langflow 1.13 answers a v1 download of a file that is not there with 500 and its storage
    error's text in `detail` (files_v1_download_missing), not with a 404. A client must see that here too."""

    status_code = 500

    def __init__(self, file_name: str, flow_id: object) -> None:
        super().__init__(flow_file_missing(file_name, flow_id))


class LangflowServerError(MockHTTPError):
    """A 500 exactly as real Langflow sends it for a failure inside a component run (fact 15):
    the error's fields serialised as a JSON string inside `detail`."""

    status_code = 500

    def __init__(self, message: str) -> None:
        payload = {"message": message, "traceback": None, "description": None, "code": None, "suggestion": None}
        super().__init__(json.dumps(payload, separators=(",", ":")))


class RecordedServerBug(MockHTTPError):
    """A 500 that real Langflow answers because of a bug of its own, reproduced on purpose (and named in the
    handler) so that a client that trips on it against the mock trips on it in production too."""

    status_code = 500
    top_level = True

    def __init__(self, message: str) -> None:
        super().__init__({"message": message})


class DropConnection(Exception):
    """Not an answer: the connection is closed mid-response (a scripted disconnect, or a fault)."""
