"""1.13's canvas side of triggers: a saved flow's trigger nodes (Schedule Trigger, Inbound Webhook Trigger) keep a
trigger row each, as Langflow's flow-save reconciliation keeps them. A node added makes a `pending` trigger (a
canvas is no consent to run unattended); its fields are copied onto the row's config on every save; a node removed
pauses its trigger ("trigger node removed from the flow"), the ledger kept. The row's state, pin and binding stay
the owner's. Called by every flow save (store/flows.py); the trigger store is imported only for a flow that has
trigger nodes or had them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel import Session

from mock_langflow.clock import Ids
from mock_langflow.store.models import TRIGGERS

# component type -> kind; node field, config key and default of each kind's config
NODE_KINDS = {"InboundWebhookTrigger": "inbound_webhook", "ScheduleTrigger": "schedule"}
CONFIG_FIELDS: dict[str, tuple[tuple[str, str, Any], ...]] = {
    "schedule": (("cron_expression", "cron", ""), ("timezone", "timezone", "UTC"),
                 ("catchup_policy", "catchup_policy", "coalesce"), ("share_session", "share_session", False)),
    "inbound_webhook": (("payload_schema", "payload_schema", ""), ("share_session", "share_session", False)),
}
# Langflow's texts for a payload schema it cannot store
SCHEMA_NOT_OBJECT = "The payload schema must be a JSON object, or empty to accept any body."
SCHEMA_NOT_JSON = "The payload schema must be valid JSON, or empty to accept any body."
SCHEMA_NOT_DICT = "The payload schema must be a JSON object."


def _value(node_data: dict[str, Any], name: str, default: Any) -> Any:
    node = node_data.get("node")
    template = node.get("template") if isinstance(node, dict) else None
    entry = template.get(name) if isinstance(template, dict) else None
    value = entry.get("value") if isinstance(entry, dict) else None
    return default if value is None else value


def trigger_nodes(data: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    """{node id: (kind, config as its fields read)} for the graph's trigger nodes."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for node in nodes if isinstance(nodes, list) else ():
        node_data = node.get("data") if isinstance(node, dict) else None
        node_type = node_data.get("type") if isinstance(node_data, dict) else None
        kind = NODE_KINDS.get(node_type) if isinstance(node_type, str) else None
        node_id = node.get("id") if kind else None
        if kind and isinstance(node_id, str) and node_id:
            found[node_id] = kind, {key: _value(node_data, name, default)  # type: ignore[arg-type]
                                    for name, key, default in CONFIG_FIELDS[kind]}
    return found


def webhook_config(config: dict[str, Any]) -> dict[str, Any]:
    """An inbound webhook node's config as stored: the schema's text parsed to an object (or left out when
    empty); a ValueError with Langflow's text for one it cannot store."""
    stored: dict[str, Any] = {"share_session": bool(config.get("share_session"))}
    raw = config.get("payload_schema")
    if isinstance(raw, dict):
        return {**stored, "payload_schema": raw}
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return stored
    if not isinstance(raw, str):
        raise ValueError(SCHEMA_NOT_OBJECT)
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValueError(SCHEMA_NOT_JSON) from exc
    if not isinstance(parsed, dict):
        raise ValueError(SCHEMA_NOT_DICT)
    return {**stored, "payload_schema": parsed}


def reconcile(s: Session, *, flow_id: UUID, owner_id: UUID | None, data: Any, ids: Ids, now: datetime) -> None:
    """Bring the flow's node-bound trigger rows in line with its saved graph (in the save's transaction)."""
    nodes = trigger_nodes(data)
    if owner_id is None or not nodes and s.connection().exec_driver_sql(
            f'SELECT 1 FROM "{TRIGGERS}" WHERE flow_id = ? AND node_id IS NOT NULL LIMIT 1',  # nosec B608
            (flow_id.hex,)).first() is None:
        return
    from mock_langflow.store.triggers import reconcile_nodes  # noqa: PLC0415 (only flows with trigger nodes)

    reconcile_nodes(s, flow_id=flow_id, owner_id=owner_id, nodes=nodes, ids=ids, now=now)
