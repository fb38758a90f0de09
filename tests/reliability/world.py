"""A mock with some of everything stored in it, and a snapshot of all of it to compare with later."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.conftest import create_flow, new_api_key

# What a snapshot leaves out: the journal records every request, and a key counts its own uses.
# Not compared: the control journal; 1.13's extension events, where any caller's failed reload queues its own
# event and drops everyone's expired ones, as Langflow's queue does.
UNCOMPARED = {"journal": None, "extension_event": None, "apikey": {"total_uses", "last_used_at"},
              "user": {"last_login_at"}}


class World:
    """An app with data in it (a flow with a v1 file and a kept version, a v2 file, a project, messages, a
    finished job, an MCP server), on disk, with a way to snapshot all of it."""

    def __init__(self, client: TestClient, chat_flow: dict[str, Any], *, marker: str = "w0rld") -> None:
        """Everything stored carries `marker` (names, bytes, message text), so an answer that leaks any of it
        to someone else shows it."""
        self.client, self.marker = client, marker
        self.headers = {"x-api-key": new_api_key(client)}
        self.flow = create_flow(client, self.headers, {**chat_flow, "name": f"flow {marker}"})
        flow_id = self.flow["id"]
        v1 = client.post(f"/api/v1/files/upload/{flow_id}", files={"file": (f"{marker}.txt", f"v1 {marker}")},
                         headers=self.headers)
        self.v1_name = v1.json()["file_path"].split("/", 1)[1]
        self.v2 = client.post("/api/v2/files", files={"file": (f"{marker}.txt", f"v2 {marker}")},
                              headers=self.headers).json()
        self.project = client.post("/api/v1/projects/", json={"name": f"project {marker}", "description": ""},
                                   headers=self.headers).json()
        client.post(f"/api/v1/run/{flow_id}", json={"input_value": f"said {marker}", "session_id": f"s-{marker}"},
                    headers=self.headers)
        self.job = client.post("/api/v2/workflows", json={"flow_id": flow_id, "input_value": f"wf {marker}"},
                               headers=self.headers).json()["job_id"]
        self.build_job = client.post(f"/api/v1/build/{flow_id}/flow", json={"inputs": {"input_value": marker}},
                                     headers=self.headers).json()["job_id"]
        client.post(f"/api/v2/mcp/servers/srv-{marker}", json={"command": "uvx", "args": [f"echo-{marker}"]},
                    headers=self.headers)
        # A kept version of the flow (1.13's version history), for the version routes to aim at.
        self.version = client.post(f"/api/v1/flows/{flow_id}/versions/", json={"description": f"v {marker}"},
                                   headers=self.headers).json()
        self.me = client.get("/api/v1/users/whoami", headers=self.headers).json()
        self.message = client.get("/api/v1/monitor/messages", headers=self.headers).json()[0]["id"]

    def sample(self, name: str, path: str = "") -> str:
        """A real value of this world for a path parameter."""
        if name == "job_id":
            return self.build_job if path.startswith("/api/v1/build/") else self.job
        return {"flow_id": self.flow["id"], "flow_id_or_name": self.flow["id"], "file_name": self.v1_name,
                "file_id": self.v2["id"], "project_id": self.project["id"], "folder_id": self.project["id"],
                "user_id": self.me["id"], "message_id": self.message, "server_name": f"srv-{self.marker}",
                "session_id": f"s-{self.marker}", "old_session_id": f"s-{self.marker}",
                "version_id": self.version["id"], "folder_name": "People"}.get(name, str(uuid4()))

    def fill(self, template: str) -> str:
        """A route's path with this world's values in every parameter."""
        for name in re.findall(r"{(\w+)}", template):
            template = template.replace("{" + name + "}", self.sample(name, template))
        return template

    def snapshot(self) -> dict[str, Any]:
        state = self.client.app.state.mock  # type: ignore[attr-defined]
        assert state.store.authz is not None  # 1.13's authorization tables, made and seeded on first use: now
        tables: dict[str, Any] = {}
        with state.store.db.engine.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
            for name in sorted(names):
                if name in UNCOMPARED and UNCOMPARED[name] is None:
                    continue
                result = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY rowid'))  # noqa: S608 (table names)
                skip = UNCOMPARED.get(name) or set()
                tables[name] = [{k: v for k, v in row._mapping.items() if k not in skip} for row in result]
        root: Path = state.store.files.blobs.root
        blobs = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.iterdir()} if root.is_dir() else {}
        return {"tables": tables, "blobs": blobs}

    def assert_unchanged(self, before: dict[str, Any]) -> None:
        after = self.snapshot()
        for name in sorted(set(before["tables"]) | set(after["tables"])):
            # (a table made by the request, as 1.13's authorization tables are on first use, changed nothing empty)
            old, new = before["tables"].get(name, []), after["tables"].get(name, [])
            if old != new:
                changed = [(o, n) for o, n in zip(old or [], new or [], strict=False) if o != n]
                raise AssertionError(f"table {name} changed: {len(old or [])} -> {len(new or [])} rows; "
                                     f"first change: {changed[:1]!r:.1500}")
        assert after["blobs"] == before["blobs"], "stored bytes changed"

    def send(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)


