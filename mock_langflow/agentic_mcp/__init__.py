"""Langflow 1.13's agentic MCP server (/api/v1/agentic/mcp): lfx's `langflow-mcp` toolkit, every tool a REST call
back into this app with the caller's own credentials. Imported on the first request to its route, never at start-up."""
