"""1.13's project deployment snapshot (GET /projects/{id}/deployment-snapshot): every flow of a project with what a
deploy target needs to serve it, captured only when nothing secret would have to be left out, within Langflow's
limits. Imported by the route's first call."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from uuid import UUID

from mock_langflow import errors
from mock_langflow.engine.runner import PROVIDER_NAMES, raw_nodes
from mock_langflow.engine.scrubbing import bound_names, connection_refs, exported_graph
from mock_langflow.schemas.documented import (
    DeploymentSnapshot,
    DeploymentSnapshotFlow,
    DeploymentSnapshotProject,
    DeploymentSnapshotRequiredConnection,
    DeploymentSnapshotRequiredModel,
)
from mock_langflow.store.flows import flow_read
from mock_langflow.store.models import FlowRow, FolderRow

# Langflow's ProjectArtifactLimits and structural bounds
MAX_FLOWS = 500
MAX_FLOW_BYTES = 8 * 1024 * 1024
MAX_EXPANDED_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 128
MAX_ITEMS = 500_000
MAX_TOTAL_ITEMS = 2_000_000
# What a snapshot flow leaves out: its owner, places, times and version (the access type and gradient are read
# from the flow as stored)
VOLATILE = ("updated_at", "created_at", "user_id", "folder_id", "workspace_id", "access_type", "gradient",
            "version_token")
# The fields that name a memory base or knowledge base a flow needs provisioned (none exists in the mock)
DEPENDENCY_FIELDS = ("memory_base", "knowledge_base", "new_kb_name")
MODEL_TYPES = {"language": "llm", "embedding": "embeddings"}
WIRED_MODEL = "connect_other_models"  # a model field fed by an edge: the connected component speaks for it


def _unsafe() -> errors.MockHTTPError:
    return errors.coded(errors.UnprocessableEntity, errors.SNAPSHOT_UNSAFE, "snapshot_unsafe")


def _too_large(detail: str) -> errors.MockHTTPError:
    return errors.coded(errors.ContentTooLarge, detail, "snapshot_too_large")


def canonical_size(value: Any) -> int:
    """The bytes of `value` as canonical JSON (sorted keys, compact, UTF-8)."""
    return len(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def _text_size(text: str) -> int:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):  # noqa: PLR2004 (surrogates)
        raise _unsafe()
    return canonical_size(text)


def _bounded(value: Any, flow_id: UUID) -> tuple[int, int]:
    """(JSON size, items) of a flow's value, refused past the per-flow size, item and nesting limits."""
    items, left = 0, [(value, 0)]
    while left:
        current, depth = left.pop()
        items += 1
        if items > MAX_ITEMS:
            raise _too_large(f"flow file {flow_id} exceeds the {MAX_ITEMS}-item structural limit")
        if depth > MAX_DEPTH:
            raise _too_large(f"flow file {flow_id} exceeds the {MAX_DEPTH}-level nesting limit")
        if isinstance(current, dict):
            left.extend((item, depth + 1) for item in current.values())
        elif isinstance(current, list):
            left.extend((item, depth + 1) for item in current)
    size = canonical_size(value)
    if size > MAX_FLOW_BYTES:
        raise _too_large(f"flow file {flow_id} exceeds the {MAX_FLOW_BYTES}-byte preflight limit")
    return size, items


def _payloads(rows: list[FlowRow]) -> list[dict[str, Any]]:
    """Each flow as read (FlowRead's JSON), bounded: its graph, then the whole flow, then all of them."""
    total = items = 0
    payloads = []
    for row in rows:
        _bounded(row.data, row.id)
        payload = flow_read(row).model_dump(mode="json")
        size, count = _bounded(payload, row.id)
        total, items = total + size, items + count
        if total > MAX_EXPANDED_BYTES:
            raise _too_large(f"artifact expanded size exceeds the {MAX_EXPANDED_BYTES}-byte limit")
        if items > MAX_TOTAL_ITEMS:
            raise _too_large(f"artifact exceeds the {MAX_TOTAL_ITEMS}-item structural limit")
        payloads.append(payload)
    return payloads


def _provider_id(provider: str) -> str:
    """lfx's provider identity: a known provider's id (its name in lower case, hyphenated), else the same slug."""
    name = PROVIDER_NAMES.get(provider.casefold(), provider)
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-._")
    return slug or f"legacy-{hashlib.sha256(name.strip().casefold().encode()).hexdigest()}"


def _selection(entry: Any) -> tuple[str, str | None, str | None] | None:
    """(provider, model, model type) one entry of a model field selects; None when it names no provider."""
    if not isinstance(entry, dict):
        return None
    provider, name = entry.get("provider"), entry.get("name")
    if isinstance(provider, str) and provider.strip() and provider.strip().casefold() != "unknown":
        meta = entry.get("metadata")
        kind = meta.get("model_type") if isinstance(meta, dict) else None
        return (provider.strip(), name.strip() if isinstance(name, str) and name.strip() else None,
                kind.strip() if isinstance(kind, str) and kind.strip() else None)
    if isinstance(name, str) and name.strip().startswith(("[", "{")):  # a selection written into the name
        try:
            inner = json.loads(name)
        except (ValueError, RecursionError):
            return None
        if isinstance(inner, list):
            if len(inner) != 1:
                return None
            inner = inner[0]
        return _selection(inner)
    return None


def _selections(value: Any) -> tuple[list[tuple[str, str | None, str | None]], bool] | None:
    """What a model field selects and whether part of it cannot be read; None: it selects nothing itself."""
    if isinstance(value, str):
        if not value.strip():
            return [], True
        if value.strip() == WIRED_MODEL:
            return None
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return [], True  # a bare model name: the catalog decides its provider
        entries = value if isinstance(value, list) else [value]
    elif isinstance(value, dict | list):
        entries = [value] if isinstance(value, dict) else value
    else:
        return [], True
    readable = [found for found in map(_selection, entries) if found is not None]
    return readable, not entries or len(readable) < len(entries)


def _model_needs(data: dict[str, Any], providers: set[str], models: set[tuple[str, str, str | None]]) -> int:
    """Add the providers and models a graph's model fields select; returns how many fields cannot be read whole."""
    unresolved = 0
    for _, inner in raw_nodes(data.get("nodes")):
        template = inner.get("template")
        for entry in template.values() if isinstance(template, dict) else ():
            if not isinstance(entry, dict) or entry.get("type") != "model":
                continue
            found = _selections(entry.get("value"))
            if found is None:
                continue
            unresolved += found[1]
            declared = entry.get("model_type")
            for provider, name, kind in found[0]:
                providers.add(_provider_id(provider))
                if name is not None:
                    models.add((_provider_id(provider), name,
                                kind or (MODEL_TYPES.get(declared) if isinstance(declared, str) else None)))
    return unresolved


def _needs_dependency(data: Any) -> bool:
    """Whether a graph names a memory base or knowledge base to provision (its own nodes, not a group's inner
    flow, as Langflow's _collect_dependency_refs reads them)."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    for node in nodes if isinstance(nodes, list) else ():
        inner = (node.get("data") or {}).get("node") if isinstance(node, dict) else None
        template = inner.get("template") if isinstance(inner, dict) else None
        for field in DEPENDENCY_FIELDS if isinstance(template, dict) else ():
            entry = template.get(field)
            value = entry.get("value") if isinstance(entry, dict) else None
            if isinstance(value, str) and value.strip():
                return True
    return False


def build_snapshot(project: FolderRow, rows: list[FlowRow], known: frozenset[str]) -> DeploymentSnapshot:
    """The snapshot of `project` holding `rows` (its flows), `known` its owner's variable names."""
    rows = sorted(rows, key=lambda row: str(row.id))
    if not rows:
        raise errors.coded(errors.UnprocessableEntity, errors.SNAPSHOT_EMPTY, "snapshot_empty")
    if len(rows) > MAX_FLOWS:  # Langflow reads one flow past the limit, and counts those
        raise _too_large(f"project flow count {MAX_FLOWS + 1} exceeds the {MAX_FLOWS}-flow limit")
    if any(row.fs_path for row in rows):
        raise _unsafe()
    payloads = _payloads(rows)
    expanded = _text_size(project.name) + (_text_size(project.description) if project.description is not None else 0)
    flows, variables, connections = [], set(), {}
    providers: set[str] = set()
    models: set[tuple[str, str, str | None]] = set()
    unresolved = 0
    for row, payload in zip(rows, payloads, strict=True):
        data = payload.get("data")
        if isinstance(data, dict) and exported_graph(data, known) != data:
            raise _unsafe()  # a secret, or a binding to no variable of the owner's, would have to go
        envelope = {k: v for k, v in payload.items() if k not in VOLATILE}
        size = canonical_size(envelope)
        if size > MAX_FLOW_BYTES:
            raise _too_large(f"flow file {row.id} is {size} bytes, exceeding the {MAX_FLOW_BYTES}-byte limit")
        expanded += size
        if expanded > MAX_EXPANDED_BYTES:
            raise _too_large(f"artifact expanded size exceeds the {MAX_EXPANDED_BYTES}-byte limit")
        if not isinstance(data, dict):
            raise _unsafe()
        try:
            for handle, scopes in connection_refs(data).items():
                connections.setdefault(handle, set()).update(scopes)
        except ValueError as exc:
            raise _unsafe() from exc
        variables |= bound_names(data)
        unresolved += _model_needs(data, providers, models)
        flows.append(DeploymentSnapshotFlow.model_validate(
            {**envelope, "access_type": payload.get("access_type") or "PRIVATE", "gradient": payload.get("gradient")}))
    if any(_needs_dependency(payload.get("data")) for payload in payloads):
        # Langflow resolves the bases named once every flow is packed, and refuses one it cannot find and one in a
        # local store, which cannot be provisioned on the deployment target: every base of the mock's is in SQLite
        raise _unsafe()
    return DeploymentSnapshot(
        project=DeploymentSnapshotProject(id=project.id, name=project.name, description=project.description),
        flows=flows, dependencies={}, required_variables=sorted(variables),
        required_connections=[DeploymentSnapshotRequiredConnection(provider=p, name=n, scopes=sorted(s))
                              for (p, n), s in sorted(connections.items())],
        required_providers=sorted(providers),
        required_models=[DeploymentSnapshotRequiredModel(provider=p, name=n, model_type=t)
                         for p, n, t in sorted(models, key=lambda m: (m[0], m[1], m[2] or ""))],
        unresolved_model_fields=unresolved)
