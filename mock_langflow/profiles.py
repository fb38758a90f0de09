"""Version profiles: what differs between the Langflow releases the mock emulates, as data.

A handler never asks "which version is this?"; it reads the profile's value for the one thing that
varies. Adding a release means adding a Profile here (and its recording), not editing routers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_FEATURE_FLAGS = {"wxo_deployments": False, "mvp_components": False, "instance_migration": False,
                  "data_subject_requests": False}


@dataclass(frozen=True)
class Profile:
    version: str
    # /api/v1/config: what anyone sees, and what an authenticated caller sees on top (fact 5).
    config_public: dict[str, Any]
    config_full: dict[str, Any]
    # Routes (by handler name) whose 422 lists every validation error twice, as Langflow 1.13 does.
    duplicated_422: frozenset[str] = frozenset()
    # 422 items keep pydantic's `input` (and `ctx` with an error object) in older releases.
    validation_input: bool = False
    aliases: tuple[str, ...] = field(default=())

    @property
    def version_body(self) -> dict[str, str]:
        return {"version": self.version, "main_version": self.version, "package": "Langflow"}


def _config_113(max_mb: int) -> tuple[dict[str, Any], dict[str, Any]]:
    public = {
        "feature_flags": dict(_FEATURE_FLAGS), "max_file_size_upload": max_mb, "event_delivery": "streaming",
        "voice_mode_available": False, "frontend_timeout": 0, "mcp_base_url": "", "enable_extension_reload": False,
        "authz_enabled": False, "catalog_governance_enabled": False, "substitute_outdated_component_code": True,
        "type": "public", "allow_custom_components": True,
    }
    full = {
        **{k: v for k, v in public.items() if k != "allow_custom_components"}, "type": "full",
        "serialization_max_items_length": 1000, "serialization_max_text_length": 6000, "auto_saving": True,
        "auto_saving_interval": 5000, "health_check_max_retries": 5, "webhook_polling_interval": 0,
        "public_flow_cleanup_interval": 3600, "public_flow_expiration": 86400, "webhook_auth_enable": True,
        "default_folder_name": "Starter Project", "hide_getting_started_progress": False,
        "allow_custom_components": True, "embedded_mode": False, "hide_logout_button": False,
        "hide_new_project_button": False, "hide_new_flow_button": False, "hide_starter_projects": False,
        "mcp_servers_locked": False, "custom_component_admin_only": False, "a2a_enabled": False,
        "agentic_experience": True, "assistant_max_message_length": 2000, "local_vector_store_available": True,
        "default_vector_store_backend": "sqlite", "configured_vector_store_backends": [],
        "blocked_component_types": [],
    }
    return public, full


def _profile_113() -> Profile:
    public, full = _config_113(1024)
    return Profile(version="1.13.0", config_public=public, config_full=full,
                   duplicated_422=frozenset({"create_flow", "read_flow"}), aliases=("1.13",))


PROFILES: dict[str, Profile] = {p.version: p for p in (_profile_113(),)}


def get_profile(name: str) -> Profile:
    for profile in PROFILES.values():
        if name == profile.version or name in profile.aliases:
            return profile
    known = ", ".join(PROFILES)
    raise ValueError(f"unknown Langflow version {name!r}; the mock emulates: {known}")
