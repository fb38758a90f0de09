"""The editors' MCP configs that POST /mcp/project/{id}/install writes (the mcp_client_config table), defined here
and imported on the first install or config read (store/mcp.py), not at every start (store/models.py
LAZY_TABLE_MODULES)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field

from mock_langflow.schemas import SQLShape
from mock_langflow.store.models import MCP_CLIENT_CONFIGS


class McpClientConfigRow(SQLShape, table=True):
    """The `mcpServers` an editor's MCP config file would hold after POST /mcp/project/{id}/install.

    Real Langflow writes ~/.cursor/mcp.json and the like; the mock records the same content here instead,
    so it never touches a user's real editor configuration.
    """

    __tablename__ = MCP_CLIENT_CONFIGS

    client: str = Field(primary_key=True)
    servers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
