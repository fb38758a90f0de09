"""1.13's serving-plane end-user identity: a trusted gateway names the end user a run is for in a header.

Langflow reads three settings (LANGFLOW_SERVING_END_USER_HEADER, _TRUST_PROXY_HEADERS, _END_USER_REQUIRED;
Settings.serving_*). Unset header name: the feature is off and nothing here changes a run. On, a run's session
becomes "<end user>::<session or flow id>" (not re-prefixed when the client sends that key back), its messages
are stored under the end user's owner UUID and its job records the end user; a run without a (trusted) end user
runs in a fresh "anon::<uuid>" session and stores no message, transaction or vertex build. When one is required
and none is trusted, the run door answers 401 with END_USER_IDENTITY_REQUIRED.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_DNS, UUID, uuid5

from mock_langflow import errors

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mock_langflow.state import AppState

SCOPE_SEPARATOR = "::"
ANONYMOUS_PREFIX = "anon"
# the namespace a non-UUID end-user id's message owner is a uuid5 in (lfx memory/flow_context.py)
END_USER_NAMESPACE = uuid5(NAMESPACE_DNS, "end-user.serving.langflow.ai")
TRUST_OFF = ("End-user identity is required but LANGFLOW_SERVING_TRUST_PROXY_HEADERS is false, so the identity "
             "header is never trusted; no request can be identified.")


class IdentityRequired(errors.Unauthorized):
    """A run door's 401 for a required end user that no trusted header names."""

    def __init__(self, message: str) -> None:
        super().__init__({"error": "End-user identity required", "code": "END_USER_IDENTITY_REQUIRED",
                          "message": message})


def end_user_of_session(session_id: str | None) -> str | None:
    """The end user a scoped session id names ("<end user>::<session>", split at the first separator), or None
    for an anonymous or unscoped one (lfx's end_user_id_from_scoped_session, with the feature on)."""
    prefix, separator, _ = (session_id or "").partition(SCOPE_SEPARATOR)
    return prefix if separator and prefix and prefix != ANONYMOUS_PREFIX else None


def message_owner(end_user_id: str) -> UUID:
    """The owner an end user's messages are stored under: the id itself when it reads as a UUID, else a uuid5."""
    try:
        return UUID(end_user_id)
    except ValueError:
        return uuid5(END_USER_NAMESPACE, end_user_id)


def header_name(state: AppState) -> str | None:
    """The end-user header while the feature is on (its name set, in a release that has it), else None."""
    return state.settings.serving_end_user_header if state.profile.run.serving_identity else None


def end_user_of(state: AppState, headers: Mapping[str, str], *, gate: bool = False) -> str | None:
    """The trusted end user a request names (stripped), or None: feature off, header untrusted or absent.
    `gate`: a run door, which refuses a request without one when one is required (IdentityRequired)."""
    name = header_name(state)
    if not name:
        return None
    settings = state.settings
    required = gate and settings.serving_end_user_required
    if not settings.serving_trust_proxy_headers:
        if required:
            raise IdentityRequired(TRUST_OFF)
        return None
    value = (headers.get(name) or "").strip()
    if not value and required:
        raise IdentityRequired(f"End-user identity is required but the {name!r} header is missing.")
    return value or None


@dataclass(frozen=True)
class Scope:
    session_id: str
    persist: bool
    end_user_id: str | None


def scope_of(state: AppState, headers: Mapping[str, str], requested: str | None, default: str) -> Scope | None:
    """A run's session for its end user (None: the feature is off, the session as the client sent it): theirs
    prefixed with the id once, or a fresh anonymous one that persists nothing (the client's session ignored)."""
    if not header_name(state):
        return None
    end_user = end_user_of(state, headers, gate=True)
    if end_user is None:
        return Scope(f"{ANONYMOUS_PREFIX}{SCOPE_SEPARATOR}{state.ids.uuid()}", False, None)
    prefix = end_user + SCOPE_SEPARATOR
    return Scope(prefix + (requested or default).removeprefix(prefix), True, end_user)


def owns_job(state: AppState, held: Any, headers: Mapping[str, str], *, superuser: bool) -> bool:
    """Whether a request may see or act on a job recorded for end user `held` (1.13's _caller_owns_job_end_user):
    a superuser any while the feature is off; else only the same end user's (their owner UUIDs equal), and
    without a trusted end user only a job recorded for none."""
    if superuser and not header_name(state):
        return True
    asked = end_user_of(state, headers)
    if asked is None or not isinstance(held, str):
        return asked is None and held is None
    return message_owner(asked) == message_owner(held)
