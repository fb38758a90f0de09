"""A stored flow's graph (`data.nodes` / `data.edges`) as the interpreter walks it.

Nodes are recognised by what they are, not by a fixed list of names: the catalog's components by name,
and anything else by its outputs and fields (a `LanguageModel` output or a model-name field makes a model,
an agent's fields make an agent, ...). Whatever is not recognised passes its input through.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mock_langflow import errors
from mock_langflow.catalog import components
from mock_langflow.engine.edges import Unsure, edge_fault
from mock_langflow.profiles import current

# What each kind of node does in a run; see engine/runner.py.
INPUT_KINDS = {"chat_input", "text_input", "webhook"}
# Langflow's output components: a vertex whose type, or id before its first "-", is one of these
OUTPUT_TYPES = frozenset({"ChatOutput", "DataOutput", "TextOutput"})
# and its input components, told the same way
INPUT_TYPES = frozenset({"ChatInput", "TextInput", "Webhook"})
MODEL_KINDS = {"model", "agent"}
HUMAN_INPUT = "HumanInput"
_UNKNOWN = object()


@dataclass
class Node:
    """A vertex of a flow's graph: its component and what the run needs of its template."""

    id: str
    type: str
    display_name: str
    kind: str
    template: dict[str, Any]
    outputs: list[dict[str, Any]]
    position: int  # order in data.nodes
    output: bool = False  # an output component, as Langflow tells one (parse_graph)
    input: bool = False  # an input component, as Langflow tells one (parse_graph)
    tool_mode: bool = False  # the node's own `tool_mode` flag: its component is offered as a tool
    # the fields the frontend added to the template that the component declares no input for (a prompt's
    # variables, listed in the node's custom_fields): a component gets their values, its tracer never sees them
    custom_fields: frozenset[str] = frozenset()
    # the node's `frozen` flag: a run reuses the result its last build left (runner.FrozenResults) instead of
    # building it again, unless it is a loop (lfx: a vertex named Loop, or one whose output allows a loop)
    frozen: bool = False
    # A run's clone (Graph.clone): the template of the graph parsed from the stored flow, whose entries the clone
    # shares until the run replaces them, and what runs worked out from those entries, shared by every clone of it
    stored: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def value(self, name: str, default: Any = None) -> Any:
        entry = self.template.get(name)
        if isinstance(entry, dict):
            value = entry.get("value", default)
            return default if value is None else value
        return default

    def clone(self) -> Node:
        """The node with a template dict of its own (the entries shared, as parse_graph shares them)."""
        return Node(self.id, self.type, self.display_name, self.kind, dict(self.template), self.outputs,
                    self.position, self.output, self.input, self.tool_mode, self.custom_fields, self.frozen,
                    self.template, self.derived)

    def derive(self, name: str, entry: dict[str, Any], make: Callable[[], Any]) -> Any:
        """make(), which must depend on nothing but the field's name and entry: worked out once for the entry the
        stored flow has (and every clone shares), each time for an entry the run replaced."""
        if self.stored is None or self.stored.get(name) is not entry:
            return make()
        found = self.derived.get(name, _UNKNOWN)
        if found is _UNKNOWN:
            found = self.derived[name] = make()
        return found

    def has_field(self, name: str) -> bool:
        return isinstance(self.template.get(name), dict)

    def set(self, name: str, value: Any) -> None:
        """Replaces the field's entry (never changes it in place: entries are shared with the stored flow)."""
        entry = self.template.get(name)
        if isinstance(entry, dict):
            self.template[name] = {**entry, "value": value}
        else:
            self.template[name] = {"name": name, "value": value, "show": True, "type": "str"}

    @property
    def first_output(self) -> str:
        return str(self.outputs[0].get("name", "output")) if self.outputs else "output"

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    @property
    def is_output(self) -> bool:
        return self.output


@dataclass(frozen=True)
class Edge:
    """An edge: one vertex's output feeding a field of another."""

    source: str
    source_output: str
    target: str
    target_field: str


@dataclass
class Graph:
    """A flow's graph as a run reads it: its vertices in the data's order, and its edges."""

    nodes: list[Node]
    edges: list[Edge]
    by_id: dict[str, Node] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {n.id: n for n in self.nodes}
        # each node's edges in, and out, in the edges' order: a run asks for them a few dozen times
        self._incoming: dict[str, list[Edge]] = {}
        self._outgoing: dict[str, list[Edge]] = {}
        for e in self.edges:
            self._incoming.setdefault(e.target, []).append(e)
            self._outgoing.setdefault(e.source, []).append(e)
        self._successors: dict[str, list[str]] = {}  # filled as asked

    def clone(self) -> Graph:
        """The graph with nodes of its own (Node.clone), for a run to set fields on; the edges are shared (a graph's
        edges never change)."""
        graph = Graph.__new__(Graph)
        graph.nodes = [n.clone() for n in self.nodes]
        graph.edges = self.edges
        graph.by_id = {n.id: n for n in graph.nodes}
        graph._incoming, graph._outgoing, graph._successors = self._incoming, self._outgoing, self._successors
        return graph

    def incoming(self, node_id: str) -> list[Edge]:
        return list(self._incoming.get(node_id, ()))

    def outgoing(self, node_id: str) -> list[Edge]:
        return list(self._outgoing.get(node_id, ()))

    def successors(self, node_id: str) -> list[str]:
        found = self._successors.get(node_id)
        if found is None:
            found = self._successors[node_id] = list(dict.fromkeys(e.target for e in self._outgoing.get(node_id, ())))
        return list(found)

    def sinks(self) -> list[Node]:
        """The nodes no edge leaves (a flow's terminal components), in the graph's order."""
        return [n for n in self.nodes if not self.outgoing(n.id)]

    def order(self, only: set[str] | None = None) -> list[Node]:
        """Dependency order (Kahn), ties broken by position in data.nodes; a cycle is broken where it closes."""
        ids = [n.id for n in self.nodes if only is None or n.id in only]
        wanted = set(ids)
        indegree = dict.fromkeys(ids, 0)
        for e in self.edges:
            if e.source in wanted and e.target in wanted and e.source != e.target:
                indegree[e.target] += 1
        ready = deque(i for i in ids if indegree[i] == 0)
        done: list[str] = []
        while len(done) < len(ids):
            if not ready:  # a cycle: start from the earliest node still waiting
                ready.append(next(i for i in ids if i not in done))
            current = ready.popleft()
            if current in done:
                continue
            done.append(current)
            for target in self.successors(current):
                if target in indegree and target not in done:
                    indegree[target] -= 1
                    if indegree[target] <= 0:
                        ready.append(target)
        return [self.by_id[i] for i in done]

    def upstream(self, node_id: str, within: set[str] | None = None) -> set[str]:
        """The node and everything it depends on (only through nodes of `within`, when given)."""
        seen, todo = {node_id}, [node_id]
        while todo:
            for e in self.incoming(todo.pop()):
                if e.source not in seen and (within is None or e.source in within):
                    seen.add(e.source)
                    todo.append(e.source)
        return seen

    def first_input(self) -> str | None:
        """The vertex a run of Langflow's own graph loop starts from: the first input vertex whose id has
        "webhook" in it, else the first whose id has "chat" in it (None: the run starts from every root)."""
        for marker in ("webhook", "chat"):
            found = next((n.id for n in self.nodes if n.input and marker in n.id.lower()), None)
            if found is not None:
                return found
        return None

    def reached(self, node_id: str, outputs: set[str]) -> set[str]:
        """The vertices the node's given outputs feed, and everything downstream of them."""
        seen: set[str] = set()
        todo = [e.target for e in self.outgoing(node_id) if e.source_output in outputs]
        while todo:
            current = todo.pop()
            if current in seen or current == node_id:
                continue
            seen.add(current)
            todo.extend(self.successors(current))
        return seen

    def branches(self, node_id: str, off: set[str], *, merges: bool = True) -> set[str]:
        """What switching off the node's outputs `off` switches off (lfx's exclude_branches_conditionally, and
        mark_branch with its protected vertices): all that is downstream of them, except what another output of
        the node also reaches (a merge point), unless `merges` is off (lfx 0.3/0.2 protect none)."""
        reached = self.reached(node_id, off)
        if not merges:
            return reached
        outputs = {e.source_output for e in self.outgoing(node_id)}
        return reached - self.reached(node_id, outputs - off)

    def downstream(self, node_id: str, within: set[str] | None = None) -> set[str]:
        """The node and everything that depends on it (only through nodes of `within`, when given)."""
        seen, todo = {node_id}, [node_id]
        while todo:
            for target in self.successors(todo.pop()):
                if target not in seen and (within is None or target in within):
                    seen.add(target)
                    todo.append(target)
        return seen


def _handle(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw.replace("\u0153", '"'))
            return parsed if isinstance(parsed, dict) else {}
        except (ValueError, RecursionError):
            return {}
    return {}


def types_of(outputs: list[dict[str, Any]]) -> list[str]:
    """The type names a node's outputs declare, in order, once each (a `types` that is no list of names
    declares none)."""
    names: dict[str, None] = {}
    for output in outputs:
        types = output.get("types")
        if isinstance(types, list):
            names.update((t, None) for t in types if isinstance(t, str))
    return list(names)


def classify(node_type: str, template: dict[str, Any], outputs: list[dict[str, Any]]) -> str:
    """What a node does in a run, from its component name or else its shape."""
    known = components().get(node_type)
    if known is not None:
        return known.runs_as
    if node_type == HUMAN_INPUT:
        return "human_input"
    name = node_type.lower()
    output_types = set(types_of(outputs))
    fields = set(template)
    if "chatinput" in name:
        return "chat_input"
    if "chatoutput" in name:
        return "chat_output"
    if "webhook" in name:
        return "webhook"
    if name.startswith("textinput"):
        return "text_input"
    if name.startswith("textoutput"):
        return "text_output"
    if "agent" in name and ({"agent_llm", "system_prompt", "tools"} & fields or "Message" in output_types):
        return "agent"
    if "LanguageModel" in output_types or {"model_name", "model"} & fields and "Message" in output_types:
        return "model"
    if "prompt" in name and "template" in fields:
        return "prompt"
    if name in ("file", "filecomponent") or ("path" in fields and "file" in name):
        return "file"
    if "memory" in name or name == "messagehistory":
        return "memory"
    return "passthrough"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The dicts of a list; anything else (a stored flow's data is whatever a client saved) holds none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def asks_a_human(data: Any, graph: Graph | None = None) -> bool:
    """Whether a run of the flow would pause for a person, as 1.13 tells before a v1 run: a Human Input node
    whose output feeds another node (one on its own is skipped), or an agent tool that needs approval (a
    `tools_metadata` row with `approval_actions`) in `graph`, the flow as tweaked (the stored flow if None)."""
    if not isinstance(data, dict):
        return False
    # Only text ids can name a node (a stored flow's edges and ids may be anything a client saved).
    sources = {source for edge in _dicts(data.get("edges")) if isinstance(source := edge.get("source"), str)}
    for raw in _dicts(data.get("nodes")):
        node_data = _dict(raw.get("data"))
        node_id = node_data.get("id") or raw.get("id")
        if node_data.get("type") == HUMAN_INPUT and isinstance(node_id, str) and node_id in sources:
            return True
    for node in (graph or parse_graph(data)).nodes:
        rows = node.value("tools_metadata")
        if isinstance(rows, list) and any(isinstance(row, dict) and row.get("approval_actions") for row in rows):
            return True
    return False


def _custom_fields(spec: dict[str, Any]) -> frozenset[str]:
    fields = spec.get("custom_fields")
    if not isinstance(fields, dict):
        return frozenset()
    return frozenset(str(name) for names in fields.values() if isinstance(names, list) for name in names)


def parse_graph(data: dict[str, Any]) -> Graph:
    """Build the graph of a flow's `data`. Each node gets its own template dict whose field entries are the
    stored flow's: Node.set replaces an entry instead of changing it, so tweaks never touch the stored flow,
    and a run does not pay for a deep copy of every template (a third of a /run's time).

    Flows are stored as clients send them, so any part may be of the wrong type: what is not the shape a
    Langflow export has (a list of node dicts, a dict template, ...) counts as absent rather than failing
    the run with our own error."""
    nodes: list[Node] = []
    seen: set[str] = set()
    raw_nodes = data.get("nodes") if isinstance(data, dict) else None
    for position, raw in enumerate(raw_nodes if isinstance(raw_nodes, list) else []):
        if not isinstance(raw, dict) or raw.get("type") == "noteNode":
            continue
        node_data = raw.get("data") or {}
        if not isinstance(node_data, dict) or node_data.get("type") == "note":
            continue
        spec = _dict(node_data.get("node"))
        template = dict(_dict(spec.get("template")))
        outputs = _dicts(spec.get("outputs"))
        node_id = str(raw.get("id") or node_data.get("id") or f"node-{position}")
        if node_id in seen:
            continue  # the same id twice: the first node of it is the one edges and tweaks name
        seen.add(node_id)
        node_type = str(node_data.get("type") or node_id.split("-")[0])
        display = str(spec.get("display_name") or node_data.get("display_name") or node_type)
        # Langflow's output vertices: by type or id prefix (not by what the node does), or the node's own flag
        output = (node_type in OUTPUT_TYPES or node_id.split("-")[0] in OUTPUT_TYPES
                  or bool(spec.get("is_output")))
        is_input = (node_type in INPUT_TYPES or node_id.split("-")[0] in INPUT_TYPES or bool(spec.get("is_input")))
        nodes.append(Node(node_id, node_type, display, classify(node_type, template, outputs), template, outputs,
                          position, output, is_input, bool(spec.get("tool_mode")), _custom_fields(spec),
                          bool(spec.get("frozen")) and display != "Loop"
                          and not any(o.get("allows_loop") for o in outputs)))
    known = {n.id for n in nodes}
    edges: list[Edge] = []
    for raw in _dicts(data.get("edges") if isinstance(data, dict) else None):
        handles = _dict(raw.get("data"))
        src = _handle(handles.get("sourceHandle") or raw.get("sourceHandle"))
        dst = _handle(handles.get("targetHandle") or raw.get("targetHandle"))
        source, target = str(raw.get("source") or src.get("id") or ""), str(raw.get("target") or dst.get("id") or "")
        if source in known and target in known:
            edges.append(Edge(source, str(src.get("name") or ""), target, str(dst.get("fieldName") or "input_value")))
    return Graph(nodes, edges)


class ByIdentity:
    """What was worked out from a graph's data, kept by the identity of that object (and a variant), the latest
    `size` of them. A stored flow's data is decoded once per change of its text (store/flows.py) and never
    changed in place (see parse_graph), so the same object means the same graph and a flow's new text, a new
    object, is worked out anew. Each entry holds its object, so that its id is not reused while it is here;
    servers in threads of one process share the lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, Any], tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, data: Any, work: Callable[[Any], Any], variant: Any = None) -> Any:
        key = (id(data), variant)
        with self._lock:
            found = self._kept.get(key)
            if found is not None and found[0] is data:
                self._kept.move_to_end(key)
                return found[1]
        value = work(data)
        with self._lock:
            self._kept[key] = (data, value)
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return value


# The graphs parse_graph made for the latest runs: a run gets a clone of the graph parsed from the same object.
_PARSED = ByIdentity(32)


def run_graph(data: dict[str, Any]) -> Graph:
    """parse_graph(data) for a run to set fields on: a clone of the graph parsed from this same object last time."""
    graph: Graph = _PARSED.get(data, parse_graph)
    return graph.clone()


class _Unsure(Exception):
    """A part of the graph of the wrong type: Langflow fails on it with an error the mock does not tell."""


def _key(container: Any, key: str) -> Any:
    """container[key] as Langflow reads it: a missing key is the loader's KeyError; a container that is no dict
    is a part of the wrong type."""
    if not isinstance(container, dict):
        raise _Unsure
    if key not in container:
        raise _KeyMissing(key)
    return container[key]


class _KeyMissing(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(errors.GRAPH_KEY_MISSING.format(key=key))


class _Fault(Exception):
    """A ValueError of Langflow's graph loader, its text."""


def graph_fault(data: Any) -> str | None:
    """The error Langflow's graph loader (lfx Graph.from_payload) stops at for a graph that lacks a part it reads,
    or None. Wrapped flow data ({"data": ...}) is unwrapped first; then, in this order:
    - without `nodes` and `edges`, the payload's keys; without one of them, that key;
    - before 1.13 (profile build.edge_handles), as it adds the nodes (if any), every edge's data.sourceHandle.id and
      data.targetHandle.id;
    - each node that is no noteNode: its id, data, data.type, data.node, the node's template and its _type, the
      data's own id (without it, the error names the data's display_name, which must be there), base_classes
      when _type is not "Component", and each output's types;
    - each edge: its source, naming a node, then its target; in 1.13 the first edge whose ends are found reads
      every edge's handles (as above).
    A part of the wrong type (a string where a dict belongs, an id that is no text, ...) ends the check with None:
    Langflow fails on it too, but with a TypeError or the like the mock does not reproduce, so it builds as before
    (flows are stored as clients send them). So does a group node, which Langflow first replaces with the nodes
    it holds."""
    try:
        _graph_fault(data, handles_first=current().build.handles_first)
    except (_KeyMissing, _Fault) as fault:
        return str(fault)
    except _Unsure:
        return None
    return None


def _graph_fault(payload: Any, *, handles_first: bool) -> None:
    if isinstance(payload, dict) and "data" in payload:
        payload = payload["data"]
    if not isinstance(payload, dict):
        raise _Unsure
    if "nodes" not in payload and "edges" not in payload:
        raise _Fault(f"Invalid payload. Expected keys 'nodes' and 'edges'. Found {list(payload.keys())}")
    nodes, edges = _key(payload, "nodes"), _key(payload, "edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise _Unsure
    if any(isinstance(node, dict) and isinstance(node.get("data"), dict) and isinstance(node["data"].get("node"), dict)
           and node["data"]["node"].get("flow") for node in nodes):
        raise _Unsure  # a group node (lfx process_flow ungroups it before any node is read)
    if handles_first and nodes:
        if not isinstance(nodes[0], dict):
            raise _Unsure
        _edge_handles(edges)
    known: set[str] = set()
    for node in nodes:
        if not isinstance(node, dict):
            raise _Unsure
        if node.get("type") == "noteNode":
            continue
        node_id = _key(node, "id")
        if not isinstance(node_id, str):
            raise _Unsure
        _vertex_fault(_key(node, "data"))
        known.add(node_id)
    handles_read = handles_first
    by_id = {node["id"]: node for node in nodes if node.get("type") != "noteNode"}
    profile = current()
    for edge in edges:
        for end in ("source", "target"):
            name = _key(edge, end)
            if not isinstance(name, str | None):
                raise _Unsure
            if name not in known:
                raise _Fault(errors.VERTEX_NOT_FOUND.format(vertex_id=name))
        if not handles_read:
            _edge_handles(edges)
            handles_read = True
        try:
            fault = edge_fault(edge, by_id[edge["source"]], by_id[edge["target"]],
                               migrated=profile.build.edge_types == "migrated",
                               pydantic_docs=profile.validation.pydantic_docs)
        except KeyError as missing:  # (a handle without a key lfx's Edge reads without a default)
            raise _KeyMissing(missing.args[0]) from None
        except (Unsure, TypeError, AttributeError):  # (a part of a type lfx fails on otherwise)
            raise _Unsure from None
        if fault is not None:
            raise _Fault(fault)
    _table_faults(nodes, edges)


def _table_faults(nodes: list[Any], edges: list[Any]) -> None:
    """What making each vertex's parameters reads of its table fields, once the graph has its edges (lfx's
    ParameterHandler._handle_table_field): a shown one no edge feeds holds None or a list of rows that are mappings."""
    fed = set()
    for edge in edges:
        handle = edge["data"].get("targetHandle") if isinstance(edge.get("data"), dict) else None
        if isinstance(handle, dict) and isinstance(handle.get("fieldName"), str):
            fed.add((edge.get("target"), handle["fieldName"]))
    for node in nodes:
        if node.get("type") == "noteNode":
            continue
        for name, entry in node["data"]["node"]["template"].items():
            if not isinstance(entry, dict) or entry.get("type") != "table" or (node["id"], name) in fed:
                continue
            if not entry.get("show") and not entry.get("override_skip"):
                continue
            value = entry.get("value")
            if value is not None and not (isinstance(value, list) and all(isinstance(row, dict) for row in value)):
                raise _Fault(errors.TABLE_VALUE_REFUSED.format(kind=type(value), name=name))


def _vertex_fault(data: Any) -> None:
    """What making a node's vertex reads of its data (lfx Graph._create_vertex, Vertex.parse_data)."""
    _key(data, "type")
    spec = _key(data, "node")
    template = _key(spec, "template")
    kind = _key(template, "_type")
    if "id" not in data:
        raise _Fault(errors.VERTEX_DATA_WITHOUT_ID.format(display_name=_key(data, "display_name")))
    if not isinstance(data["id"], str):
        raise _Unsure
    if kind == "Component":
        if "outputs" not in spec:
            raise _Unsure  # Langflow's message for it names an attribute it has not set yet
        outputs = spec["outputs"]
    else:
        _key(spec, "base_classes")
        outputs = spec.get("outputs", [])
    for entry in template.values():
        if isinstance(entry, dict) and not isinstance(entry.get("input_types", []), list):
            raise _Unsure
    if not isinstance(outputs, list):
        raise _Unsure
    for output in outputs:
        types = _key(output, "types")
        if not isinstance(types, list) or "Tool" in types and not isinstance(kind, str):
            raise _Unsure


def _edge_handles(edges: list[Any]) -> None:
    """Every edge's data.sourceHandle.id and data.targetHandle.id, as Langflow lists them to find cycles."""
    for edge in edges:
        _key(_key(_key(edge, "data"), "sourceHandle"), "id")
        _key(_key(_key(edge, "data"), "targetHandle"), "id")


# The last graphs run_graph_fault judged, by identity and the loader's order of reading handles (the profile's):
# as many as Flows keeps decoded graphs, so a graph made afresh for one call (an MCP tool call's) holds its place
# no longer than a stored one.
_JUDGED = ByIdentity(32)


def run_graph_fault(data: Any) -> str | None:
    """The error a v1 run (/run, /run/advanced, a webhook) stops at before any vertex for a flow's graph lacking a
    part, or None: every release first hands the graph to lfx's process_tweaks, whose validate_input wants a list
    of nodes under data.nodes or nodes (a TypeError), then to the graph loader (graph_fault). A graph judged
    before, the same object, is not judged again: a run's graph is the flow's, shared and never changed in place."""
    return _JUDGED.get(data, _run_fault, current().build.handles_first)  # type: ignore[no-any-return]


def _run_fault(data: Any) -> str | None:
    fault = _tweaks_fault(data)
    return fault if fault is not None else graph_fault(data)


def _tweaks_fault(data: Any) -> str | None:
    """process_tweaks' check of the graph (lfx validate_input): data.nodes, else nodes, must be a list (an empty
    data.nodes falls back to nodes); a graph or data that is no dict fails otherwise (left to the run)."""
    if not isinstance(data, dict):
        return None
    inner = data.get("data", {})
    if not isinstance(inner, dict):
        return None
    nodes = inner.get("nodes") or data.get("nodes")
    return None if isinstance(nodes, list) else errors.TWEAKS_WITHOUT_NODES
