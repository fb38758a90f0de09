"""Langflow's MCP server: flows as Model Context Protocol tools, served with the `mcp` SDK (fact 42).

- naming.py: how Langflow turns flow, action and project names into MCP names;
- tools.py: the tool list (names, descriptions, input schemas) and tool calls through the run engine;
- runtime.py: the SDK objects one app needs (SSE transports, streamable HTTP managers), kept on app.state;
- projects.py: project URLs, editor installs and the per-user MCP server list seeded at start-up.
"""
