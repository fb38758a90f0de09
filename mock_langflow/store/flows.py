"""Flows: the rules of create, rename, update, list and delete (facts 31-36)."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Literal
from uuid import UUID

import orjson
from sqlalchemy import Text, bindparam, func, literal_column, or_, type_coerce
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids, as_utc, as_uuid, naive_utc
from mock_langflow.jsonsafety import load_stored, splicable
from mock_langflow.profiles import current
from mock_langflow.profiles.model import Flows as FlowRules
from mock_langflow.responses import json_body
from mock_langflow.schemas.flows import (
    AccessTypeEnum,
    FlowCreate,
    FlowDownload,
    FlowRead,
    FlowUpdate,
    FlowVersionRead,
    FlowVersionReadWithData,
    FlowVersionState,
)
from mock_langflow.store.db import Database, sql_int, table
from mock_langflow.store.models import MAX_VERSIONS_PER_FLOW, FlowRow, FolderRow, UserRow

# The description of the version an overwrite keeps (Langflow's overwrite_flow).
REPLACED_VERSION = "Replaced by a newer edit"
ROWID = literal_column("flow.rowid")
_FLOWS = table(FlowRow)
# /run resolves its flow on every call: one Core query for what a run needs (no ORM session, no FlowRow
# to build), with the graph's JSON text, decoded only when it is not the text decoded last time (decoding a
# flow's graph cost more than the rest of a run).
_RUN_COLUMNS = (_FLOWS.c.id, _FLOWS.c.user_id, _FLOWS.c.name, _FLOWS.c.endpoint_name,
                type_coerce(_FLOWS.c.data, Text).label("data_json"))
# A listing's columns: FlowRead's fields but the graph, which comes as the text it is stored as.
LISTED = core_select(*(c for c in _FLOWS.c if c.name in FlowRead.model_fields and c.name != "data"),
                     type_coerce(_FLOWS.c.data, Text).label("graph"))
RUN_TARGET_BY_ID = core_select(*_RUN_COLUMNS).where(_FLOWS.c.id == bindparam("flow_id"))
RUN_TARGET_BY_ENDPOINT = (core_select(*_RUN_COLUMNS)
                          .where(_FLOWS.c.endpoint_name == bindparam("endpoint"),
                                 or_(_FLOWS.c.user_id == bindparam("user_id"), _FLOWS.c.user_id.is_(None)))
                          .order_by(_FLOWS.c.user_id.is_(None)).limit(1))
# Before 1.13 an endpoint name is looked up among everyone's flows, the first made with it first, or among one
# user's when the request names one (the lookup's `user_id` query parameter).
RUN_TARGET_BY_ENDPOINT_ANYONE = (core_select(*_RUN_COLUMNS).where(_FLOWS.c.endpoint_name == bindparam("endpoint"))
                                 .order_by(ROWID).limit(1))
RUN_TARGET_BY_ENDPOINT_OF = (core_select(*_RUN_COLUMNS)
                             .where(_FLOWS.c.endpoint_name == bindparam("endpoint"),
                                    _FLOWS.c.user_id == bindparam("owner"))
                             .order_by(ROWID).limit(1))


@dataclass(frozen=True)
class RunTarget:
    """What a run needs of its flow. `data` is shared by every run of this version of the flow: never
    changed in place (runs copy what they change: engine/graph.py parse_graph)."""

    id: UUID
    user_id: UUID | None
    name: str
    endpoint_name: str | None
    data: dict[str, Any] | None


def flow_read(row: FlowRow) -> FlowRead:
    return FlowRead.model_validate(row, from_attributes=True)


@dataclass(frozen=True)
class ListedFlow:
    """A flow of a listing: its FlowRead without its graph (`data` is None) and the graph as the JSON text it
    is stored as. Parsing fifty graphs and writing them out again was most of the time of a page of flows; a
    graph stored as strict JSON goes out as it is (listed_json)."""

    read: FlowRead
    graph: str | None


def listed_json(flows: Sequence[ListedFlow], frame: Callable[[list[Any]], Any] = lambda items: items) -> bytes:
    """The JSON answer of a listing: each flow as FlowRead writes it (the profile's fields), its graph
    spliced in as stored; `frame` puts the list of items where the answer has it (a Page)."""
    items = [flow.read.model_dump(mode="json", by_alias=True) for flow in flows]

    def framed(splice: bool) -> Any:
        for item, flow in zip(items, flows, strict=True):
            if "data" in item and flow.graph is not None:
                item["data"] = (orjson.Fragment(flow.graph) if splice and splicable(flow.graph)
                                else load_stored(flow.graph))
        return frame(items)

    try:
        return orjson.dumps(framed(splice=True))
    except TypeError:  # what orjson cannot write elsewhere in an item: json_body's way, graphs parsed
        return json_body(framed(splice=False))


# Editor-only node state, and secrets: a downloaded flow carries neither (flows_download_single; 1.13's
# normalize_flow_for_export drops positionAbsolute too).
EXPORT_DROPPED_NODE_KEYS = ("selected", "dragging", "positionAbsolute")
# What 1.13's export leaves out of a flow besides: owner, folder, times, access type and gradient.
EXPORT_DROPPED_FIELDS = frozenset({"updated_at", "created_at", "user_id", "folder_id", "access_type", "gradient"})
# Windows device names, with or without an extension: 1.13 puts "_" before such a zip entry's name.
WINDOWS_DEVICE = re.compile(r"(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..+)?", re.IGNORECASE)


def export_graph(data: dict[str, Any] | None, *, as_1_13: bool = True,
                 known: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """A flow's graph as a download carries it. 1.13: secrets scrubbed as its export scrubs them, keeping the
    bindings to `known`, the owner's variable names (engine/scrubbing.py exported_graph), and without the
    editor's selected/dragging/positionAbsolute state, with code as a list of lines. Before 1.13 the graph is
    as stored but for API credentials: remove_api_keys empties a password field whose name holds "api" and
    "key", or "api" and "token" but not "tokens"."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        return data
    if not as_1_13:
        return without_api_keys(data)
    from mock_langflow.engine.scrubbing import exported_graph  # noqa: PLC0415 (the engine imports the store)

    data = exported_graph(data, known)
    nodes = []
    for node in data["nodes"]:
        if not isinstance(node, dict):
            nodes.append(node)
            continue
        node = {k: v for k, v in node.items() if k not in EXPORT_DROPPED_NODE_KEYS}
        if isinstance(_template(node), dict):
            node = copy.deepcopy(node)
            for field in _template(node).values():
                if isinstance(field, dict) and field.get("type") == "code" and isinstance(field.get("value"), str):
                    # exported code is a list of lines, so downloaded flows diff well (flows_download_single)
                    field["value"] = field["value"].split("\n")
        nodes.append(node)
    return {**data, "nodes": nodes}


def without_api_keys(data: Any) -> Any:
    """A graph as Langflow's remove_api_keys leaves it (a copy; anything but a graph as it is): the value of each
    password field whose name holds "api" and "key", or "api" and "token" but not "tokens", emptied (null)."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        return data
    nodes = []
    for node in data["nodes"]:
        template = _template(node) if isinstance(node, dict) else None
        if isinstance(template, dict) and any(_api_credential(field) for field in template.values()):
            node = copy.deepcopy(node)
            for field in _template(node).values():
                if _api_credential(field):
                    field["value"] = None
        nodes.append(node)
    return {**data, "nodes": nodes}


def _api_credential(field: Any) -> bool:
    return isinstance(field, dict) and bool(field.get("password")) and names_api_credential(field.get("name"))


def names_api_credential(name: Any) -> bool:
    """Langflow's has_api_terms: whether a field name names an API key or token."""
    return isinstance(name, str) and "api" in name and ("key" in name or ("token" in name and "tokens" not in name))


def _template(node: dict[str, Any]) -> Any:
    """A node's data.node.template, None where a level is missing or no dict (a flow's data is stored as sent)."""
    inner = node.get("data")
    spec = inner.get("node") if isinstance(inner, dict) else None
    return spec.get("template") if isinstance(spec, dict) else None


def flow_download(row: FlowRow, known: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One flow as a download carries it: 1.13's export shape (`known`: the owner's variable names, whose
    bindings it keeps), or before 1.13 the read shape plus fs_path (profile shapes.download)."""
    if current().shapes.download == "read":
        return {**flow_read(row).model_dump(mode="json"), "data": export_graph(row.data, as_1_13=False),
                "fs_path": None}
    values = {name: getattr(row, name) for name in FlowDownload.model_fields if name != "last_modified_by"}
    values["data"] = export_graph(row.data, known=known)
    return FlowDownload.model_validate({**values, "last_modified_by": row.user_id}).model_dump(mode="json")


def project_download(row: FlowRow, known: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One flow as a project's download carries it: its FlowRead, which 1.13 exports as it exports a flow
    (export_graph, EXPORT_DROPPED_FIELDS), and older releases as read, API credentials emptied."""
    read = flow_read(row).model_dump(mode="json")
    if current().shapes.download == "read":
        return {**read, "data": export_graph(row.data, as_1_13=False)}
    return {**{k: v for k, v in read.items() if k not in EXPORT_DROPPED_FIELDS},
            "data": export_graph(row.data, known=known)}


def archive_name(row: FlowRow) -> str:
    """A flow's file name in 1.13's zips: its name with "/" and "\\" as "_", NULs dropped, ".." as "_", trimmed; a
    Windows device name gets a "_" before it, and a name left empty is the flow's id."""
    name = row.name.replace("/", "_").replace("\\", "_").replace("\x00", "").replace("..", "_").strip()
    if WINDOWS_DEVICE.fullmatch(name):
        name = f"_{name}"
    return name or str(row.id)


def flows_archive(rows: Sequence[FlowRow], entry: Callable[[FlowRow], Any] = flow_download) -> bytes:
    """A zip with one "<flow name>.json" per flow (`entry` of it), stored uncompressed as Langflow's downloads
    are. 1.13 writes each indented with sorted keys (flows_download_multi.zip) under a name safe for a file system
    (archive_name), as its orjson writes it (floats 1e-7, 0.00001); older releases as json.dumps writes it, under
    the flow's name as it is."""
    legacy = current().shapes.download == "read"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            if legacy:
                archive.writestr(f"{row.name}.json", json.dumps(entry(row)))
            else:
                archive.writestr(f"{archive_name(row)}.json", _exported(entry(row)))
    return buffer.getvalue()


def _exported(value: Any) -> bytes:
    """A flow file of 1.13's zips: orjson, indented by two, keys sorted; what orjson cannot write (an integer past
    64 bits) json.dumps writes the same way, but for its floats."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    except TypeError:
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).encode()


def has_webhook_component(data: dict[str, Any] | None) -> bool:
    """Whether a graph has a webhook component, as Langflow tells it: a node whose id holds "Webhook"."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    return isinstance(nodes, list) and any(isinstance(n, dict) and "Webhook" in str(n.get("id") or "")
                                           for n in nodes)


def first_unused(name: str, taken: Collection[str]) -> str:
    """`name` if not in `taken`, else the first of "Name (1)", "Name (2)"... that is not: how Langflow's
    upload numbers a project's name and its flows' (generate_unique_folder_name, generate_unique_flow_name),
    filling a gap where a create takes one past the highest."""
    candidate, n = name, 1
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _next_free(taken: Iterable[str], base: str, pattern: str, fmt: str) -> str:
    """`base` itself if free, else the next numbered variant after the highest one in use."""
    taken = set(taken)
    if base not in taken:
        return base
    numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(pattern, t))]
    return fmt.format(base=base, n=max(numbers, default=0) + 1)


GRAPH_CACHE_SIZE = 32
ID_CHUNK = 500  # ids per IN (...) query: SQLite binds a limited number of parameters


class Flows:
    def __init__(self, db: Database, ids: Ids, clock: Clock, *, max_versions: int = MAX_VERSIONS_PER_FLOW,
                 remove_api_keys: bool = False) -> None:
        """`max_versions`: how many versions of a flow are kept (1.13's LANGFLOW_MAX_FLOW_VERSION_ENTRIES_PER_FLOW);
        `remove_api_keys`: an update of a flow's graph empties its API key fields (LANGFLOW_REMOVE_API_KEYS)."""
        self.db, self.ids, self.clock, self.max_versions = db, ids, clock, max_versions
        self.remove_api_keys = remove_api_keys
        # flow id -> (the graph's JSON text, its decoded graph), for run_target()
        self._graphs: OrderedDict[UUID, tuple[str, Any]] = OrderedDict()

    def _graph(self, flow_id: UUID, text: str | None) -> Any:
        if text is None:
            return None
        cached = self._graphs.get(flow_id)
        if cached is not None and cached[0] == text:
            self._graphs.move_to_end(flow_id)
            return cached[1]
        graph = load_stored(text)
        self._graphs[flow_id] = (text, graph)
        if len(self._graphs) > GRAPH_CACHE_SIZE:
            self._graphs.popitem(last=False)
        return graph

    # --- reads ------------------------------------------------------------------------------------------

    def get(self, flow_id: UUID, *, user_id: UUID | None) -> FlowRow:
        """The caller's flow; anything else, an example flow included (nobody's), is 'Flow not found', as
        Langflow's owner-scoped query answers."""
        with self.db.session() as s:
            return self._owned_row(s, flow_id, user_id)

    @staticmethod
    def _owned_row(s: Session, flow_id: UUID, user_id: UUID | None) -> FlowRow:
        row = s.get(FlowRow, flow_id)
        if row is None or row.user_id is None or row.user_id != user_id:
            raise errors.FlowNotFound()
        return row

    def owns(self, flow_id: UUID, user_id: UUID) -> bool:
        """Whether the flow is this user's own (an example flow is nobody's)."""
        with self.db.session() as s:
            owner = s.exec(select(FlowRow.user_id).where(FlowRow.id == flow_id)).first()
        return owner is not None and owner == user_id

    def in_folder(self, folder_id: UUID) -> list[FlowRow]:
        """Every flow in the project, whoever's, as created."""
        with self.db.session() as s:
            return list(s.exec(select(FlowRow).where(FlowRow.folder_id == folder_id).order_by(ROWID)).all())

    def folder_of(self, flow_id: UUID) -> UUID | None:
        """The project the flow is in (None: none, or no such flow)."""
        with self.db.session() as s:
            return s.exec(select(FlowRow.folder_id).where(FlowRow.id == flow_id)).first()

    def find(self, id_or_endpoint: str, *, user_id: UUID | None, examples: bool) -> FlowRow | None:
        """Resolve a /run-style path segment: a UUID or an endpoint_name, never a flow name (fact 10); the
        caller's flow, or with `examples` also an example flow (nobody's)."""
        flow_id = as_uuid(id_or_endpoint)
        with self.db.session() as s:
            if flow_id is not None:
                row = s.get(FlowRow, flow_id)
            else:
                row = s.exec(select(FlowRow).where(FlowRow.endpoint_name == id_or_endpoint)
                             .where(or_(FlowRow.user_id == user_id, col(FlowRow.user_id).is_(None)))
                             .order_by(col(FlowRow.user_id).is_(None))).first()
        if row is None or row.user_id != user_id and not (examples and row.user_id is None):
            return None
        return row

    def run_target(self, id_or_endpoint: str, *, user_id: UUID | None) -> RunTarget | None:
        """A flow by id, whoever owns it (the caller decides what a flow not the caller's is), or by endpoint
        name the caller's or else an example's; as much of it as a run needs."""
        flow_id = as_uuid(id_or_endpoint)
        if flow_id is not None:
            found = self.db.first(RUN_TARGET_BY_ID, {"flow_id": flow_id})
        else:
            found = self.db.first(RUN_TARGET_BY_ENDPOINT, {"endpoint": id_or_endpoint, "user_id": user_id})
        return self._run_target(found)

    def run_target_of(self, id_or_endpoint: str, *, owner: UUID | None) -> RunTarget | None:
        """Before 1.13: a flow by id, or by endpoint name the first flow made with it, whoever owns it (the
        caller decides), or `owner`'s when given."""
        flow_id = as_uuid(id_or_endpoint)
        if flow_id is not None:
            found = self.db.first(RUN_TARGET_BY_ID, {"flow_id": flow_id})
        elif owner is None:
            found = self.db.first(RUN_TARGET_BY_ENDPOINT_ANYONE, {"endpoint": id_or_endpoint})
        else:
            found = self.db.first(RUN_TARGET_BY_ENDPOINT_OF, {"endpoint": id_or_endpoint, "owner": owner})
        return self._run_target(found)

    def _run_target(self, found: tuple[Any, ...] | None) -> RunTarget | None:
        if found is None:
            return None
        id_, owner, name, endpoint_name, data_json = found
        return RunTarget(id_, owner, name, endpoint_name, self._graph(id_, data_json))

    def find_any(self, id_or_endpoint: str, *, owner: UUID | None = None) -> FlowRow | None:
        """Resolve a webhook path segment before anyone is authenticated, or a v2 workflow's flow_id: by id any
        owner's flow; by endpoint name the first made with it, or `owner`'s."""
        flow_id = as_uuid(id_or_endpoint)
        with self.db.session() as s:
            if flow_id is not None:
                return s.get(FlowRow, flow_id)
            query = select(FlowRow).where(FlowRow.endpoint_name == id_or_endpoint)
            if owner is not None:
                query = query.where(FlowRow.user_id == owner)
            return s.exec(query.order_by(ROWID)).first()

    def public(self, flow_id: UUID) -> FlowRow | None:
        """A PUBLIC flow by id, whoever's (the shareable playground's read and build); None for any other."""
        with self.db.session() as s:
            row = s.get(FlowRow, flow_id)
        return row if row is not None and row.access_type == AccessTypeEnum.PUBLIC else None

    def list(self, *, user_id: UUID, include_examples: bool, folder_id: UUID | None = None,
             components_only: bool = False, flow_type: str | None = None, offset: int = 0,
             limit: int | None = None, in_a_folder: bool | None = None) -> tuple[int, list[FlowRow]]:
        """(total, rows) in creation order: the examples first, then the caller's own flows. `in_a_folder`: only
        flows in some project (True) or in none (False)."""
        where, order = self._listed(user_id, include_examples, folder_id, components_only, flow_type, in_a_folder)
        return self._page(select(FlowRow), where, order, offset, limit)

    def listing(self, *, user_id: UUID, include_examples: bool, folder_id: UUID | None = None,
                components_only: bool = False, flow_type: str | None = None, offset: int = 0,
                limit: int | None = None, in_a_folder: bool | None = None) -> tuple[int, list[ListedFlow]]:
        """list(), each graph left as the JSON text it is stored as (ListedFlow)."""
        where, order = self._listed(user_id, include_examples, folder_id, components_only, flow_type, in_a_folder)
        total, rows = self._page(LISTED, where, order, offset, limit)
        # Rows straight from the driver, typed by the columns' own types as the ORM would type them, into
        # FlowRead without validating them again: a fifth of a page's time went to loading ORM objects and
        # validating them (FlowRead's serializer still writes every field as a single read does).
        return total, [ListedFlow(FlowRead.model_construct(**{k: v for k, v in row._mapping.items() if k != "graph"}),
                                  row.graph) for row in rows]

    def _page(self, query: Any, where: list[Any], order: list[Any], offset: int,
              limit: int | None) -> tuple[int, list[Any]]:
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(FlowRow).where(*where)).one()
            query = query.where(*where).order_by(*order)
            if limit is not None:
                query = query.offset(sql_int(offset)).limit(sql_int(limit))
            return total, list(s.exec(query).all())

    @staticmethod
    def _listed(user_id: UUID, include_examples: bool, folder_id: UUID | None, components_only: bool,
                flow_type: str | None, in_a_folder: bool | None = None) -> tuple[list[Any], list[Any]]:
        """(where, order by) of a listing. Without the examples the order is the rowid alone, which SQLite
        reads straight off the owner index: sorting by "is an example" first made it sort every flow of the
        owner for each page (3.4 ms of a page at 10k flows, 0.3 ms without)."""
        owner = FlowRow.user_id == user_id
        where: list[Any] = [or_(owner, col(FlowRow.user_id).is_(None)) if include_examples else owner]
        if folder_id is not None:
            where.append(FlowRow.folder_id == folder_id)
        if in_a_folder is not None:
            where.append(col(FlowRow.folder_id).is_not(None) if in_a_folder else col(FlowRow.folder_id).is_(None))
        if components_only:
            where.append(FlowRow.is_component == True)  # noqa: E712  (SQL expression)
        if flow_type is not None:  # in the query, as Langflow's: a page and its total count only that kind
            where.append(FlowRow.flow_type == flow_type)
        return where, [col(FlowRow.user_id).is_not(None), ROWID] if include_examples else [ROWID]

    def ids_by_name(self, *, user_id: UUID, folder_id: UUID) -> dict[str, UUID]:
        """The user's flows in one folder, by name (seeding matches flows that have no id by their name)."""
        with self.db.session() as s:
            rows = s.exec(select(FlowRow.name, FlowRow.id).where(FlowRow.user_id == user_id,
                                                                 FlowRow.folder_id == folder_id)).all()
        return dict(rows)  # type: ignore[arg-type]

    @staticmethod
    def load_match(s: Session, *, flow_id: UUID | None, endpoint_name: str | None, name: str | None, owner: UUID,
                   scoped: bool) -> FlowRow | None:
        """The flow a LANGFLOW_LOAD_FLOWS_PATH file updates, as Langflow's find_existing_flow looks: the flow of
        its endpoint name (with `scoped`, 1.13, the owner's only; else the first of anyone's), else any flow of
        its id, else (`scoped` only) the owner's flow of its name."""
        if endpoint_name:
            query = select(FlowRow).where(FlowRow.endpoint_name == endpoint_name)
            found = s.exec(query.where(FlowRow.user_id == owner) if scoped else query.order_by(ROWID)).first()
            if found is not None:
                return found
        found = s.get(FlowRow, flow_id) if flow_id is not None else None
        if found is None and scoped and name:
            found = s.exec(select(FlowRow).where(FlowRow.user_id == owner, FlowRow.name == name)).first()
        return found

    def apply_loaded(self, s: Session, row: FlowRow, values: dict[str, Any], *, user_id: UUID,
                     default_folder: UUID) -> FlowRow:
        """A LANGFLOW_LOAD_FLOWS_PATH update of the flow it matched: `values` set as they are (a folder only when
        it is one of the user's projects), the flow made `user_id`'s (the superuser's), in that user's default
        project when in none. A name or endpoint name
        another of the user's flows has is `Conflict` (Langflow's start fails on its unique index); the version
        token stays, as Langflow's loader sets the columns alone."""
        values = {**values, "user_id": user_id}
        if values.get("folder_id") is not None and not self._owns_folder(s, user_id, values["folder_id"]):
            del values["folder_id"]  # (before 1.13 a file's folder is set: one of the user's projects only)
        if values.get("folder_id", row.folder_id) is None:
            values["folder_id"] = default_folder
        self._refuse_clashes(s, row, user_id, values,
                             (("name", errors.NAME_TAKEN), ("endpoint_name", errors.ENDPOINT_NAME_TAKEN)),
                             errors.Conflict)
        return self.write(s, row, values, errors.Conflict(errors.NAME_TAKEN), triggers=False)

    def by_ids(self, ids: Sequence[UUID], *, user_id: UUID) -> list[FlowRow]:
        with self.db.session() as s:
            return list(s.exec(select(FlowRow).where(col(FlowRow.id).in_(ids), FlowRow.user_id == user_id)
                               .order_by(ROWID)).all())

    # --- writes -----------------------------------------------------------------------------------------

    def create(self, data: FlowCreate, *, user_id: UUID | None, default_folder: UUID | None,
               anyones: bool = False) -> FlowRow:
        with self.db.session() as s:
            return self.insert(s, data, user_id=user_id, default_folder=default_folder, anyones=anyones)

    def create_many(self, flows: Sequence[FlowCreate], *, user_id: UUID, default_folder: UUID | None,
                    folder_id: UUID | None = None, update_own: bool = False, anyones: bool = False) -> list[FlowRow]:
        """All or nothing: a failing flow leaves none of the others behind. `update_own` (1.13's upload, "upsert
        semantics for flows with stable IDs"): a flow whose id the caller owns updates that flow in place; an id
        of someone else's flow gets a new one."""
        with self.db.session() as s:
            rows = []
            for flow in flows:
                own = s.get(FlowRow, flow.id) if update_own and flow.id is not None else None
                if own is not None and own.user_id == user_id:
                    rows.append(self._update_existing(s, own, flow, user_id=user_id, folder_override=folder_id,
                                                      fallback_folder=default_folder))
                else:
                    rows.append(self.insert(s, flow, user_id=user_id, default_folder=default_folder,
                                            folder_override=folder_id, anyones=anyones))
            return rows

    def create_batch(self, flows: Sequence[FlowCreate], *, user_id: UUID, default_folder: UUID | None,
                     clash: type[errors.MockHTTPError] = errors.Conflict, anyones: bool = False) -> list[FlowRow]:
        """POST /flows/batch/, as Langflow's create_flows; all or nothing (insert_batch)."""
        with self.db.session() as s:
            return self.insert_batch(s, flows, user_id=user_id, default_folder=default_folder, clash=clash,
                                     anyones=anyones)

    def insert_batch(self, s: Session, flows: Sequence[FlowCreate], *, user_id: UUID, default_folder: UUID | None,
                     folder_id: UUID | None = None, number_names: Literal["file", "stored"] | None = None,
                     clash: type[errors.MockHTTPError] = errors.Conflict, anyones: bool = False) -> list[FlowRow]:
        """Langflow's create_flows: an id that any flow already has is a 422 naming them (in id order, as 1.13's
        SQLite query returns them) before anything is written (before 1.13 the flows come with no id: profile
        flows.body_ids); names, endpoint names and ids are taken as given: one the caller has (any flow has, for
        an id), or one given twice, is `clash` with the column's text where Langflow's insert fails on it (1.13's
        409; before, the mock's 400 for the release's 500), checked flow by flow as the insert goes.
        `number_names`: names are first made free (upload_names), as a project upload does before it calls
        create_flows: "file" against the stored names and those of the file's earlier flows, "stored" against
        the stored names alone (a name given twice then fails); endpoint names never are."""
        requested = [flow.id for flow in flows if flow.id is not None]
        if requested:
            existing: set[UUID] = set()
            for start in range(0, len(requested), ID_CHUNK):
                chunk = requested[start:start + ID_CHUNK]
                existing.update(s.exec(select(FlowRow.id).where(col(FlowRow.id).in_(chunk))).all())
            if existing:
                raise errors.UnprocessableEntity(errors.flow_ids_exist(sorted(existing, key=str)))
        if number_names is not None:
            names = self.upload_names(s, user_id, [f.name for f in flows], within_file=number_names == "file")
            flows = [flow.model_copy(update={"name": name}) for flow, name in zip(flows, names, strict=True)]
        rows = []
        for flow in flows:
            rows.append(self.insert(s, flow, user_id=user_id, default_folder=default_folder,
                                    folder_override=folder_id, rename=False, clash=clash, anyones=anyones,
                                    as_sent=True, id_clash=clash))
        return rows

    def _update_existing(self, s: Session, row: FlowRow, data: FlowCreate, *, user_id: UUID,
                         folder_override: UUID | None = None, fallback_folder: UUID | None = None,
                         expected: UUID | None = None) -> FlowRow:
        """PUT's update path and an upload of a flow the caller owns, as Langflow's _update_existing_flow: a folder
        that is not the caller's is 400 (an upload's goes to `fallback_folder`, the caller's default project,
        instead), a name or endpoint name another of the caller's flows has is 409; a field sent as null keeps its
        value (an endpoint name sent as null is cleared, in 1.8 also one left out, as its PATCH); the flow keeps
        its folder when none is given; `webhook` says whether the graph has a webhook component. `expected`: PUT's
        If-Match token, checked after the folder, before the names."""
        folder = folder_override or data.folder_id
        if folder is not None and not self._owns_folder(s, user_id, folder):
            if fallback_folder is None:
                raise errors.BadRequest(errors.FOLDER_NOT_FOUND)
            folder = fallback_folder
        self._ensure_version(s, row, expected)
        self._refuse_clashes(s, row, user_id, {"name": data.name, "endpoint_name": data.endpoint_name},
                             (("name", errors.NAME_TAKEN), ("endpoint_name", errors.ENDPOINT_NAME_TAKEN)),
                             errors.Conflict)
        values = data.model_dump(exclude_unset=True, exclude_none=True,
                                 exclude={"id", "user_id", "updated_at", "workspace_id"})
        if data.endpoint_name is None and ("endpoint_name" in data.model_fields_set
                                           or current().flows.patch_missing_endpoint == "clear"):
            values["endpoint_name"] = None
        if folder is not None:
            values["folder_id"] = folder
        # A time sent never equals the stored one (Langflow's is naive, to the microsecond): always a change.
        self.refuse_locked(row, values, current().flows,
                            stamped="updated_at" in data.model_fields_set and data.updated_at is not None)
        if self.remove_api_keys and "data" in values:
            values["data"] = without_api_keys(values["data"])
        values["webhook"] = has_webhook_component(values.get("data", row.data))
        if "data" in values and values["data"] != row.data:  # a new version only when the graph changes
            values["version_token"] = self.ids.uuid()
        return self.write(s, row, values, errors.Conflict(errors.NAME_TAKEN))

    @staticmethod
    def refuse_locked(row: Any, values: dict[str, Any], rules: FlowRules, *, stamped: bool = False) -> None:
        """1.13's guard of a locked flow (`locked` true): a write whose `values` change any field is a 423, unless
        the one change is `locked` to false; a write that changes nothing passes, as a client re-sending the flow
        it read does. `stamped`: the write sent an update time, which counts as a change."""
        if not rules.locked_guard or row.locked is not True:
            return
        changed = {key for key, value in values.items() if getattr(row, key, None) != value}
        if stamped:
            changed.add("updated_at")
        if changed and not (changed == {"locked"} and values["locked"] is False):
            raise errors.Locked(errors.FLOW_LOCKED)

    @staticmethod
    def _ensure_version(s: Session, row: FlowRow, expected: UUID | None) -> None:
        """1.13's If-Match precondition: a token the flow no longer has is a 409 naming the current one and who
        wrote it last (_version_state). A flow without a token, or a write without If-Match, passes."""
        if expected is None or row.version_token is None or row.version_token == expected:
            return
        state = Flows._version_state(s, row)
        raise errors.FlowVersionConflict(
            flow_id=row.id, expected=expected, current=row.version_token, author_id=state.last_modified_by,
            author_name=state.last_modified_by_username,
            modified_at=state.updated_at.isoformat() if state.updated_at is not None else None)

    @staticmethod
    def _version_state(s: Session, row: FlowRow) -> FlowVersionState:
        """The flow's version token, who changed its graph last (in the mock always the owner: nobody else writes
        a flow) and when it was last written, as Langflow's SQLite hands the time back: naive, with
        microseconds."""
        # a flow without a token (a batch create's) has had no graph change recorded, so no author either
        author_id = row.user_id if row.version_token is not None else None
        author = s.get(UserRow, author_id) if author_id is not None else None
        updated = naive_utc(row.updated_at) if row.updated_at else None
        return FlowVersionState(version_token=row.version_token, last_modified_by=author_id,
                                last_modified_by_username=author.username if author else None, updated_at=updated)

    def version_state(self, row: FlowRow) -> FlowVersionState:
        """GET /flows/{id}/version-state (1.13) of a flow the caller may read."""
        with self.db.session() as s:
            return self._version_state(s, row)

    def write(self, s: Session, row: FlowRow, values: dict[str, Any], clash: errors.MockHTTPError, *,
               triggers: bool = True) -> FlowRow:
        """Set `values` on the row, stamp its update and flush; a name a concurrent writer took first is `clash`.
        `triggers`: a save that reconciles the flow's trigger nodes (not a version's activation, in Langflow)."""
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = self.clock.now()
        s.add(row)
        try:
            s.flush()
        except IntegrityError as exc:
            raise clash from exc
        if triggers:
            self._reconcile_triggers(s, row)
        return row

    def _reconcile_triggers(self, s: Session, row: FlowRow) -> None:
        """1.13's every flow save keeps a trigger per trigger node of the graph (store/trigger_nodes.py)."""
        if row.user_id is not None and "create_trigger" not in current().routes_absent:
            from mock_langflow.store.trigger_nodes import reconcile  # (light; the trigger store loads when needed)

            reconcile(s, flow_id=row.id, owner_id=row.user_id, data=row.data, ids=self.ids, now=self.clock.now())

    def insert(self, s: Session, data: FlowCreate, *, user_id: UUID | None, default_folder: UUID | None,
               folder_override: UUID | None = None, rename: bool = True,
               clash: type[errors.MockHTTPError] = errors.BadRequest,
               endpoint_clash: type[errors.MockHTTPError] | None = None, anyones: bool = False,
               as_sent: bool = False, id_clash: type[errors.MockHTTPError] | None = None) -> FlowRow:
        """A new flow in session `s`: an id in use is replaced, a folder not the owner's (with `anyones`, not any
        user's) becomes `default_folder`. `as_sent`: an updated_at the body sends is stored, and the flow gets
        no version token (Langflow's batch create, which a project upload goes through, stores the row as sent,
        so 1.13 leaves its version_token and last_modified_by null until a write changes its graph; its other
        creates stamp the time and a first token).
        `rename`: a name or endpoint name the owner already has becomes "Name (1)" / "name-1", as a create does;
        without it (the batch create) it is `clash` (_refuse_clashes). `endpoint_clash`: an endpoint name the
        owner has is that error instead of being numbered (a PUT that creates). `id_clash`: an id any flow has (one
        an earlier flow of the same batch took included) is that error with "Id must be unique" instead of being
        replaced (the batch create, whose insert fails on it after the names)."""
        values = data.model_dump(exclude={"id", "user_id", "folder_id", "updated_at", "workspace_id"})
        if rename:
            values["name"] = self._free_name(s, user_id, data.name)
            if data.endpoint_name and endpoint_clash is not None:
                self._refuse_clashes(s, None, user_id, values, (("endpoint_name", errors.ENDPOINT_NAME_TAKEN),),
                                     endpoint_clash)
            elif data.endpoint_name:
                values["endpoint_name"] = self._free_endpoint(s, user_id, data.endpoint_name)
        else:
            self._refuse_clashes(s, None, user_id, values,
                                 (("name", errors.NAME_TAKEN), ("endpoint_name", errors.ENDPOINT_NAME_TAKEN)),
                                 clash)
        taken = data.id is not None and s.get(FlowRow, data.id) is not None
        if id_clash is not None and taken:
            raise id_clash(errors.ID_TAKEN)
        folder = folder_override or data.folder_id
        if folder is None or not (self._owns_folder(s, user_id, folder) or anyones and self._users_folder(s, folder)):
            folder = default_folder
        flow_id = data.id if data.id is not None and not taken else self.ids.uuid()
        now = self.clock.now()
        updated = now
        if as_sent and data.updated_at is not None:  # in UTC, as Langflow's model reads it (naive: UTC)
            updated = as_utc(data.updated_at).astimezone(UTC)
        row = FlowRow(**values, id=flow_id, user_id=user_id, folder_id=folder, updated_at=updated, created_at=now,
                      version_token=None if as_sent else self.ids.uuid())
        s.add(row)
        s.flush()
        self._reconcile_triggers(s, row)
        return row

    @staticmethod
    def _owns_folder(s: Session, user_id: UUID | None, folder_id: UUID) -> bool:
        folder = s.get(FolderRow, folder_id)
        return folder is not None and folder.user_id == user_id

    @staticmethod
    def _users_folder(s: Session, folder_id: UUID) -> bool:
        """Whether the folder is some user's project (not the examples')."""
        folder = s.get(FolderRow, folder_id)
        return folder is not None and folder.user_id is not None

    @staticmethod
    def _free_name(s: Session, user_id: UUID | None, name: str) -> str:
        like = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " (%"
        taken = s.exec(select(FlowRow.name).where(FlowRow.user_id == user_id)
                       .where(or_(FlowRow.name == name, col(FlowRow.name).like(like, escape="\\")))).all()
        return _next_free(taken, name, rf"{re.escape(name)} \((\d+)\)", "{base} ({n})")

    @staticmethod
    def upload_names(s: Session, user_id: UUID, names: Sequence[str], *, within_file: bool = True) -> list[str]:
        """The names a project upload gives its flows, all chosen before any is stored, as Langflow's
        upload_project_flows does: a name the user has becomes the first of "Name (1)", "Name (2)"... that the
        user does not have (a gap is filled, unlike a create); `within_file` (1.13), one an earlier flow of the
        file was given becomes "<that free name> (n)", each candidate made free again the same way (so "Taken",
        "Taken" next to a flow "Taken" are "Taken (1)" and "Taken (1) (1)"); without it (1.8.4's and 1.7.1's
        generate_unique_flow_name, which asks the database alone) both are "Taken (1)". One query reads the
        user's flow names for them all."""
        taken = set(s.exec(select(FlowRow.name).where(FlowRow.user_id == user_id)).all())
        if not within_file:
            return [first_unused(name, taken) for name in names]
        given: list[str] = []
        for name in names:
            free = base = first_unused(name, taken)
            n = 1
            while free in given:
                free, n = first_unused(f"{base} ({n})", taken), n + 1
            given.append(free)
        return given

    @staticmethod
    def _free_endpoint(s: Session, user_id: UUID | None, endpoint: str) -> str:
        """An endpoint name the owner has gets "-<n>": one more than the highest number ending any of the owner's
        endpoint names that match `<endpoint>-%` as Langflow's LIKE has it (unescaped, so `_` and `%` match
        anything, and ASCII case is ignored), "chat-3" beside "chat-bot-2". One not ending in a number ("chat-bot")
        is passed over, or (before 1.13, profile flows.endpoint_numbers) fails the write."""
        mine = select(FlowRow.endpoint_name).where(FlowRow.user_id == user_id)
        if s.exec(mine.where(FlowRow.endpoint_name == endpoint)).first() is None:
            return endpoint
        numbers = []
        for taken in s.exec(mine.where(col(FlowRow.endpoint_name).like(f"{endpoint}-%"))).all():
            try:
                numbers.append(int(str(taken).split("-")[-1]))
            except ValueError as exc:
                if current().flows.endpoint_numbers == "strict":  # Deliberate: 1.8's _new_flow answers it, a 500
                    raise errors.ServerError(str(exc)) from exc
        return f"{endpoint}-{max(numbers, default=0) + 1}"

    @staticmethod
    def _refuse_clashes(s: Session, row: FlowRow | None, user_id: UUID | None, fields: dict[str, Any],
                        checks: Sequence[tuple[str, str]], error: type[errors.MockHTTPError]) -> None:
        """A flow may not take a name or endpoint name another of the owner's flows has (the row itself aside:
        None for a new flow). `checks`: the fields to check, in the route's order, with the text each answers;
        `error`: PATCH's and a batch's 400 or PUT's 409. An empty name is a name too."""
        for field, taken in checks:
            value = fields.get(field)
            if value is not None and (row is None or value != getattr(row, field)) and s.exec(
                    select(FlowRow.id).where(FlowRow.user_id == user_id, getattr(FlowRow, field) == value)
            ).first() is not None:
                raise error(taken)

    def update(self, flow_id: UUID, data: FlowUpdate, *, user_id: UUID, fields: dict[str, Any],
               rules: FlowRules, expected: UUID | None = None,
               check: Callable[[], None] = lambda: None) -> FlowRow:
        """PATCH: `fields` are the ones the request set to a value (None never overwrites, but an endpoint name
        sent as null is cleared, in every release). `rules`: the release's PATCH semantics (an endpoint name the
        body leaves out is cleared before 1.13; a flow without data cannot be patched before 1.13; 1.13's guard of a
        locked flow; their error texts). `expected`: 1.13's If-Match token, checked once the flow is found,
        whatever the body changes; only a changed graph makes a new token. `check`: the route's own refusals (the
        fs_path), made where Langflow's update makes them: after the version and lock checks, before it reads
        the graph."""
        if data.endpoint_name is None and ("endpoint_name" in data.model_fields_set
                                           or rules.patch_missing_endpoint == "clear"):
            fields = {**fields, "endpoint_name": None}
        with self.db.session() as s:
            row = s.get(FlowRow, flow_id)
            if row is None or row.user_id != user_id:
                raise errors.NotFound(rules.patch_unknown)
            self._ensure_version(s, row, expected)
            self.refuse_locked(row, fields, rules)
            check()
            if row.data is None and rules.patch_null_data == "server-error":
                # Deliberate: Langflow before 1.13 fails reading the missing graph (flows_patch_empty).
                raise errors.ServerError(errors.PATCH_NULL_DATA)
            self._refuse_clashes(s, row, user_id, fields,
                                 (("endpoint_name", rules.endpoint_taken), ("name", errors.NAME_TAKEN)),
                                 errors.BadRequest)
            if "folder_id" in fields and not self._owns_folder(s, user_id, fields["folder_id"]) and not (
                    rules.foreign_folder == "kept" and self._users_folder(s, fields["folder_id"])):
                fields = {k: v for k, v in fields.items() if k != "folder_id"}
            if self.remove_api_keys and "data" in fields:
                fields = {**fields, "data": without_api_keys(fields["data"])}
            # Every PATCH sets `webhook` from the graph the flow is left with, sent or stored.
            fields = {**fields, "webhook": has_webhook_component(fields.get("data", row.data))}
            if "data" in fields and fields["data"] != row.data:
                fields["version_token"] = self.ids.uuid()
            return self.write(s, row, fields, errors.BadRequest(rules.endpoint_taken))

    def versions(self, flow_id: UUID, *, user_id: UUID, limit: int, offset: int) -> list[FlowVersionRead]:
        """GET /flows/{id}/versions/ (1.13): the flow's kept versions that are the caller's (a page); the route has
        checked the flow is the caller's."""
        from mock_langflow.store import flow_versions as versions  # (its table: defined on first use)

        with self.db.session() as s:
            return versions.versions_by(s, flow_id, user_id, limit=limit, offset=offset)

    def version_graphs(self, version_ids: list[UUID], *, user_id: UUID) -> dict[UUID, Any]:
        """POST /variables/detections (1.13): the graphs of those of the versions that are the caller's."""
        from mock_langflow.store import flow_versions as versions  # (its table: defined on first use)

        with self.db.session() as s:
            return versions.graphs_of(s, version_ids, user_id=user_id)

    def snapshot(self, flow_id: UUID, *, user_id: UUID, data: dict[str, Any] | None,
                 description: str | None) -> FlowVersionRead:
        """POST /flows/{id}/versions/ (1.13): the caller's flow's next version, of the graph sent (any object, kept
        as sent) or else of the flow's own (none when it has none), credited to the caller; the newest
        max_versions of the flow stay (keep_version). The flow itself is not touched."""
        from mock_langflow.store import flow_versions as versions  # (its table: defined on first use)

        with self.db.session() as s:
            row = self._owned_row(s, flow_id, user_id)
            kept = copy.deepcopy(row.data if data is None else data)
            entry = versions.keep_version(s, self.max_versions, entry_id=self.ids.uuid(), flow_id=row.id,
                                          user_id=user_id, data=kept, description=description, now=self.clock.now())
            return versions.version_read(entry)

    def version(self, flow_id: UUID, version_id: UUID, *, user_id: UUID) -> FlowVersionReadWithData:
        """GET /flows/{id}/versions/{version_id} (1.13): one of the caller's versions of the caller's flow, with
        its graph as stored (the route scrubs it) and no author's name; else 404 "Version entry not found"."""
        from mock_langflow.store import flow_versions as versions  # (its table: defined on first use)

        with self.db.session() as s:
            self._owned_row(s, flow_id, user_id)
            entry = versions.version_of(s, version_id, flow_id=flow_id, user_id=user_id)
            if entry is None:
                raise errors.NotFound(errors.VERSION_NOT_FOUND)
            return FlowVersionReadWithData.model_validate({**dict(versions.version_read(entry)), "data": entry.data})

    def activate(self, row: FlowRow, version_id: UUID, *, user_id: UUID, expected: UUID | None,
                 save_draft: bool, blocked: frozenset[str] = frozenset()) -> FlowRow:
        """POST /flows/{id}/versions/{version_id}/activate (1.13), of a flow the route found the caller's: the
        If-Match check of a PATCH (409 when stale), then one of the caller's versions of the flow (404 "Version
        entry not found"; 400 when it has no graph). With `save_draft` (the default) the flow's graph, when it
        has one, is kept first as the next version ("Auto-saved before activating v<n>"), unless the graph uses a
        component the catalog policy `blocked` (a 400 naming them); then the flow takes
        the version's graph, a new token and update time, and the caller as its author. Nothing else changes:
        not `webhook`, and a locked flow is not refused, as Langflow writes the row directly. Nothing is written
        when it is refused."""
        from mock_langflow.store import flow_versions as versions  # (its table: defined on first use)

        with self.db.session() as s:
            row = self._owned_row(s, row.id, user_id)
            self._ensure_version(s, row, expected)
            target = versions.version_of(s, version_id, flow_id=row.id, user_id=user_id)
            if target is None:
                raise errors.NotFound(errors.VERSION_NOT_FOUND)
            if target.data is None:
                raise errors.BadRequest(errors.VERSION_WITHOUT_DATA)
            graph = copy.deepcopy(target.data)
            versions.unreadable_graph(graph)
            if blocked:
                from mock_langflow.store.policy_bundle import refuse

                refuse([graph], blocked)
            if save_draft and row.data is not None:
                versions.keep_version(s, self.max_versions, entry_id=self.ids.uuid(), flow_id=row.id, user_id=user_id,
                                      data=copy.deepcopy(row.data), now=self.clock.now(),
                                      description=f"Auto-saved before activating v{target.version_number}")
            return self.write(s, row, {"data": graph, "version_token": self.ids.uuid()},
                               errors.Conflict(errors.VERSION_ACTIVATE_CLASH), triggers=False)

    def delete_version(self, flow_id: UUID, version_id: UUID, *, user_id: UUID) -> None:
        """DELETE /flows/{id}/versions/{version_id} (1.13): one of the caller's versions of the caller's flow
        goes (the mock has no deployments or retained versions, which Langflow refuses to delete); one a trigger
        is pinned to stays (409); else 404 naming the version. The numbers of the others stay, and the next
        version still takes the highest number kept plus one."""
        from mock_langflow.store import flow_versions as versions  # (its table: defined on first use)

        with self.db.session() as s:
            self._owned_row(s, flow_id, user_id)
            entry = versions.version_of(s, version_id, flow_id=flow_id, user_id=user_id)
            if entry is None:
                raise errors.NotFound(errors.version_entry_not_found(version_id))
            if version_id in versions.pinned_versions(s, flow_id):
                raise errors.Conflict(errors.version_entry_pinned(version_id))
            s.delete(entry)

    def overwrite(self, flow_id: UUID, data: dict[str, Any], *, user_id: UUID, expected: UUID,
                  rules: FlowRules) -> FlowRow:
        """POST /flows/{id}/overwrite (1.13): the flow's graph replaced by `data` when `expected` (If-Match) is
        still its token, else the 409 of a stale PATCH. The graph replaced is kept as the flow's next version
        ("Replaced by a newer edit"), credited to whoever wrote it last; then the write goes as a PATCH of the
        graph alone (a locked flow refuses a changed graph, 423). The token always changes: Langflow claims a
        new one before it writes. Only a flow without a token (a batch create's) keeps none when the graph
        is the same. Nothing is written when the write is refused."""
        from mock_langflow.store import flow_versions as versions  # (its table: defined on first use)

        with self.db.session() as s:
            row = self._owned_row(s, flow_id, user_id)
            self._ensure_version(s, row, expected)
            values: dict[str, Any] = {"data": data}
            self.refuse_locked(row, values, rules)
            versions.keep_version(s, self.max_versions, entry_id=self.ids.uuid(), flow_id=row.id, user_id=row.user_id,
                                  data=row.data, description=REPLACED_VERSION, now=self.clock.now())
            if row.version_token is not None or data != row.data:
                values["version_token"] = self.ids.uuid()
            values["webhook"] = has_webhook_component(data)
            return self.write(s, row, values, errors.BadRequest(rules.endpoint_taken))

    def upsert(self, flow_id: UUID, data: FlowCreate, *, user_id: UUID, default_folder: UUID | None,
               expected: UUID | None = None) -> tuple[FlowRow, bool]:
        """PUT /flows/{id}: (row, created). `expected`: 1.13's If-Match token, for an existing flow only. A flow
        PUT creates keeps what it was sent, as Langflow's _new_flow is told to for a PUT: a folder not the caller's
        is a 400, an endpoint name the caller has a 409; only its name is numbered, as a create numbers it."""
        with self.db.session() as s:
            row = s.get(FlowRow, flow_id)
            if row is None:
                if data.folder_id is not None and not self._owns_folder(s, user_id, data.folder_id):
                    raise errors.BadRequest(errors.FOLDER_NOT_FOUND)
                created = self.insert(s, data.model_copy(update={"id": flow_id}), user_id=user_id,
                                      default_folder=default_folder, endpoint_clash=errors.Conflict)
                return created, True
            if row.user_id != user_id:
                raise errors.FlowNotFound()
            return self._update_existing(s, row, data, user_id=user_id, expected=expected), False

    @staticmethod
    def delete(s: Session, flow_ids: Sequence[UUID], *, user_id: UUID) -> list[UUID]:
        """Delete the caller's flows among `flow_ids` (in the caller's transaction); returns the deleted ids. By
        id: loading the rows would decode every graph only to drop it."""
        ids = list(s.exec(select(FlowRow.id).where(col(FlowRow.id).in_(flow_ids), FlowRow.user_id == user_id)).all())
        if ids:
            s.exec(delete(FlowRow).where(col(FlowRow.id).in_(ids)))
        return ids
