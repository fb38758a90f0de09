"""GET /api/v1/config's answers as Langflow's document types them, for /openapi.json only: the route builds its
answer from the profile (config_full, config_public) and the settings. Older releases' documents list fewer of
these fields (profile schema_absent)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from mock_langflow.schemas import Shape


class FeatureFlags(Shape):
    model_config = ConfigDict(extra="forbid")

    wxo_deployments: bool = False
    mvp_components: bool = False
    instance_migration: bool = False
    data_subject_requests: bool = False


class _Shared(Shape):
    """What both answers carry."""

    feature_flags: FeatureFlags
    max_file_size_upload: int
    event_delivery: Literal["polling", "streaming", "direct"]
    voice_mode_available: bool
    frontend_timeout: int
    mcp_base_url: str
    enable_extension_reload: bool
    authz_enabled: bool = False
    catalog_governance_enabled: bool = False
    substitute_outdated_component_code: bool


class PublicConfigResponse(_Shared):
    """A caller without credentials."""

    type: Literal["public"] = "public"
    allow_custom_components: bool


class ConfigResponse(_Shared):
    """An authenticated caller."""

    type: Literal["full"] = "full"
    serialization_max_items_length: int
    serialization_max_text_length: int
    auto_saving: bool
    auto_saving_interval: int
    health_check_max_retries: int
    webhook_polling_interval: int
    public_flow_cleanup_interval: int
    public_flow_expiration: int
    webhook_auth_enable: bool
    default_folder_name: str
    hide_getting_started_progress: bool
    allow_custom_components: bool
    embedded_mode: bool
    hide_logout_button: bool
    hide_new_project_button: bool
    hide_new_flow_button: bool
    hide_starter_projects: bool
    mcp_servers_locked: bool
    custom_component_admin_only: bool
    a2a_enabled: bool = False
    agentic_experience: bool = True
    assistant_max_message_length: int = 2000
    local_vector_store_available: bool = True
    default_vector_store_backend: str = "sqlite"
    configured_vector_store_backends: list[str] = Field(default_factory=list)
    blocked_component_types: list[str] = []
