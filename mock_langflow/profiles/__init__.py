"""Version profiles: what differs between the Langflow releases the mock emulates, as data.

A handler never asks "which version is this?"; it reads the profile's value for the one thing that varies
(model.py). Adding a release means adding a module here with its Profile (and its recording), not editing
routers.
"""

from __future__ import annotations

from contextvars import ContextVar

from mock_langflow.profiles import v1_7_1, v1_8, v1_13
from mock_langflow.profiles.model import Profile

DEFAULT_VERSION = v1_13.PROFILE.version
PROFILES: dict[str, Profile] = {p.version: p for p in (v1_13.PROFILE, v1_8.PROFILE, v1_7_1.PROFILE)}

# The profile of the server handling the current request (set by middleware.ProfileScope, inherited by the
# tasks a request starts). Wire serialisers deep inside shapes and messages read it, so a process can host
# servers of several versions at once (tests do) without passing the profile through every call.
_CURRENT: ContextVar[Profile] = ContextVar("mock_langflow_profile", default=v1_13.PROFILE)


def current() -> Profile:
    return _CURRENT.get()


def activate(profile: Profile) -> None:
    """Make `profile` the current one for this context (a request, or the app's lifespan)."""
    _CURRENT.set(profile)


def get_profile(name: str) -> Profile:
    for profile in PROFILES.values():
        if name == profile.version or name in profile.aliases:
            return profile
    known = ", ".join(PROFILES)
    raise ValueError(f"unknown Langflow version {name!r}; the mock emulates: {known}")


__all__ = ["DEFAULT_VERSION", "PROFILES", "Profile", "activate", "current", "get_profile"]
