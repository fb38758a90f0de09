"""Shapes of the MCP routes: /api/v1/mcp/project/... and /api/v2/mcp/servers (fact 42, openapi.json)."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import ConfigDict, SecretStr

from mock_langflow.schemas import RequestShape, Shape

AuthType = Literal["none", "apikey", "oauth"]
Transport = Literal["sse", "streamablehttp"]


class MCPSettings(Shape):
    """Model representing MCP settings for a flow."""

    id: UUID
    mcp_enabled: bool | None = None
    action_name: str | None = None
    action_description: str | None = None
    name: str | None = None
    description: str | None = None


class AuthSettings(Shape):
    """Model representing authentication settings for MCP."""

    auth_type: AuthType = "none"
    oauth_host: str | None = None
    oauth_port: str | None = None
    oauth_server_url: str | None = None
    oauth_callback_path: str | None = None
    oauth_callback_url: str | None = None
    oauth_client_id: str | None = None
    oauth_client_secret: SecretStr | None = None
    oauth_auth_url: str | None = None
    oauth_token_url: str | None = None
    oauth_mcp_scope: str | None = None
    oauth_provider_scope: str | None = None

    def model_post_init(self, context: Any, /) -> None:
        """Langflow's: an older client's oauth_callback_path stands for oauth_callback_url when that is unset."""
        if self.oauth_callback_url is None and self.oauth_callback_path is not None:
            self.oauth_callback_url = self.oauth_callback_path

    def stored(self) -> dict[str, Any]:
        """What a project keeps: the fields that are set, secrets in the clear (the store seals them)."""
        values = self.model_dump(exclude_none=True)
        if self.oauth_client_secret is not None:
            values["oauth_client_secret"] = self.oauth_client_secret.get_secret_value()
        return values


class MCPProjectUpdateRequest(RequestShape):
    """Request model for updating MCP project settings including auth."""

    settings: list[MCPSettings]
    auth_settings: AuthSettings | None = None


class MCPProjectResponse(Shape):
    """GET /api/v1/mcp/project/{id}: the project's tools, its (masked) auth settings and MCP server name."""

    tools: list[MCPSettings]
    auth_settings: AuthSettings | None = None
    server_name: str


class MCPInstallRequest(RequestShape):
    client: str
    transport: Transport | None = None


class ComposerUrlResponse(Shape):
    """Response model for MCP Composer connection details."""

    project_id: str
    uses_composer: bool
    streamable_http_url: str | None = None
    legacy_sse_url: str | None = None
    error_message: str | None = None


class MCPServerConfig(RequestShape):
    """Pydantic model for MCP server configuration."""

    model_config = ConfigDict(extra="allow")

    command: str | None = None
    args: list[str] | None = None
    env: dict[str, str] | None = None
    headers: dict[str, str] | None = None
    url: str | None = None


class McpClientStatus(Shape):
    """One entry of GET /api/v1/mcp/project/{id}/installed."""

    name: str
    installed: bool
    available: bool


class McpServerSummary(Shape):
    """One entry of GET /api/v2/mcp/servers; `error` only when ?action_count=true could not count."""

    name: str
    mode: str | None = None
    toolsCount: int | None = None  # Langflow's camelCase key
    error: str | None = None
