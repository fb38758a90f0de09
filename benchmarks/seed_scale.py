"""Bulk seeding for the scale step: flows and messages go straight into the data dir's SQLite database
through the store's engine (SQLAlchemy Core executemany), not through 110k HTTP requests.

Each seeded flow is the shipped "Basic Prompting" example with its node templates cut down to what a run
reads (each field's type, value and whether it is shown, the template's `_type`, the base classes), about 2 KB
instead of 31 KB, so 100k flows stay a few hundred MB on disk; it still runs (Chat Input -> Prompt -> Language
Model -> Chat Output) when called by endpoint name.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

# (`show`: a hidden field hands its component nothing, so a Prompt Template without it has no template and fails)
KEEP_FIELD_KEYS = ("type", "value", "list", "load_from_db", "password", "show")


def compact_graph(data: dict[str, Any]) -> dict[str, Any]:
    nodes = []
    for raw in data["nodes"]:
        spec = raw["data"]["node"]
        template = {name: {k: v for k, v in field.items() if k in KEEP_FIELD_KEYS}
                    for name, field in spec["template"].items() if isinstance(field, dict)}
        template["_type"] = spec["template"].get("_type", "Component")  # what a run's graph loader reads first
        outputs = [{"name": o.get("name"), "types": o.get("types")} for o in spec.get("outputs", [])]
        nodes.append({"id": raw["id"], "type": raw.get("type", "genericNode"), "position": raw.get("position"),
                      "data": {"id": raw["data"]["id"], "type": raw["data"]["type"],
                               "node": {"display_name": spec.get("display_name"), "template": template,
                                        "base_classes": spec.get("base_classes", []), "outputs": outputs}}})
    edges = [{"id": e.get("id"), "source": e["source"], "target": e["target"], "data": e.get("data")}
             for e in data["edges"]]
    return {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}


def example_graph(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "fixtures" / "flows" / "basic_prompting.json").read_text())["data"]
    return data


class Seeder:
    """Adds flows and messages to one data dir, for the superuser, in its default project."""

    def __init__(self, data_dir: Path, api_key: str, root: Path) -> None:
        from mock_langflow.app import build_state
        from mock_langflow.settings import Settings

        # A one-shot writer, as `mock-langflow seed` is: it leaves the data dir free for the server started next.
        self.state = build_state(Settings(data_dir=data_dir, api_key=api_key), serving=False)
        self.user_id = self.state.superuser_id
        self.folder_id = self.state.store.projects.default_for(self.user_id).id
        self.graph = compact_graph(example_graph(root))
        self.engine = self.state.store.db.engine

    def count(self, table: Any) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def flows_to(self, total: int) -> None:
        from mock_langflow.store.models import FlowRow

        table = FlowRow.__table__  # type: ignore[attr-defined]
        have = self.count(table.select().where(table.c.user_id == self.user_id).subquery())
        now = datetime.now(UTC)
        rows = []
        for i in range(have, total):
            stamp = now + timedelta(microseconds=i)
            rows.append({"id": uuid.uuid4(), "name": f"Scale flow {i:06d}", "description": "seeded for the benchmark",
                         "data": self.graph, "is_component": False, "updated_at": stamp, "webhook": False,
                         "endpoint_name": f"scale-{i:06d}", "locked": False, "mcp_enabled": False,
                         "access_type": "PRIVATE", "flow_type": "workflow", "a2a_enabled": False,
                         "user_id": self.user_id, "folder_id": self.folder_id, "created_at": stamp,
                         "version_token": uuid.uuid4(), "tags": None, "icon": None, "icon_bg_color": None,
                         "gradient": None, "action_name": None, "action_description": None,
                         "a2a_card_overrides": None, "workspace_id": None, "name_key": None, "fs_path": None})
        self._insert(table, rows)

    def flow_ids(self, limit: int) -> list[uuid.UUID]:
        from mock_langflow.store.models import FlowRow

        table = FlowRow.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            return list(conn.execute(select(table.c.id).where(table.c.user_id == self.user_id).limit(limit))
                        .scalars())

    def messages_to(self, total: int) -> None:
        """Messages spread over up to 1,000 flows, ten per session, alternating user and AI."""
        from mock_langflow.store.models import MessageRow

        table = MessageRow.__table__  # type: ignore[attr-defined]
        have = self.count(table)
        flows = self.flow_ids(1000)
        now = datetime.now(UTC)
        rows = []
        for i in range(have, total):
            flow_id = flows[i % len(flows)]
            user = i % 2 == 0
            rows.append({"id": uuid.uuid4(), "flow_id": flow_id, "user_id": self.user_id,
                         "session_id": f"{flow_id}-{i // 10}", "timestamp": now + timedelta(microseconds=i),
                         "sender": "User" if user else "Machine", "sender_name": "User" if user else "AI",
                         "text": f"seeded message {i}", "files": [], "context_id": "",
                         "properties": {"source": {"id": None, "display_name": None, "source": None},
                                        "state": "complete"},
                         "category": "message", "content_blocks": [], "run_id": None, "edit": False,
                         "error": False})
        self._insert(table, rows)

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), 5000):
            with self.engine.begin() as conn:
                conn.execute(insert(table), rows[start:start + 5000])

    def close(self) -> None:
        self.state.store.db.dispose()
