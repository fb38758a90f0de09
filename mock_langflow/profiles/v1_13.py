"""Langflow 1.13.0, the default: the values every section's defaults already hold, plus its /config."""

from __future__ import annotations

from typing import Any

from mock_langflow.profiles.model import Cors, Http, Profile, Validation

FEATURE_FLAGS = {"wxo_deployments": False, "mvp_components": False, "instance_migration": False,
                 "data_subject_requests": False}

CONFIG_PUBLIC: dict[str, Any] = {
    "feature_flags": FEATURE_FLAGS, "max_file_size_upload": 1024, "event_delivery": "streaming",
    "voice_mode_available": False, "frontend_timeout": 0, "mcp_base_url": "", "enable_extension_reload": False,
    "authz_enabled": False, "catalog_governance_enabled": False, "substitute_outdated_component_code": True,
    "type": "public", "allow_custom_components": True,
}
CONFIG_FULL: dict[str, Any] = {
    **{k: v for k, v in CONFIG_PUBLIC.items() if k != "allow_custom_components"}, "type": "full",
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

PROFILE = Profile(
    version="1.13.0", aliases=("1.13",),
    summary="the current release (default): the Workflow API with mode sync | stream | background",
    config_public=CONFIG_PUBLIC, config_full=CONFIG_FULL,
    # Earlier releases' handlers for the same paths (a user-update body on reset-password, a 200 delete, a users
    # list without bounds).
    routes_absent=frozenset({"reset_password_with_update", "delete_user_at_once", "read_all_users_unbounded",
                           "get_transactions_paged", "read_public_flow_unguarded"}),
    http=Http(cors=Cors(
        preflight_vary="Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
                       "Access-Control-Request-Private-Network",
        preflight_methods="DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY")),
    validation=Validation(duplicated=frozenset({"create_flow", "read_flow"}),
                          path_twice=frozenset({"update_flow", "delete_flow", "get_note_translations"})),
)
