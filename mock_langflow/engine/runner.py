"""The flow interpreter: runs a stored flow's graph node by node, in dependency order, with no model.

One run, many presentations: the runner reports what happens to an observer (messages added, tokens,
vertices finished) and returns every vertex's result; /run, its stream, build jobs and the v2 Workflow
API each turn that into their own wire format (streaming/), so one script gives one answer everywhere.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import copy
import functools
import json
import logging
import posixpath
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from uuid import UUID

from mock_langflow import errors
from mock_langflow.catalog import (
    CODE_PLACEHOLDER,
    CUSTOM_TEMPLATE,
    CUSTOM_TEMPLATE_CODE,
    component_code,
    components,
    known_types,
    read_file_types,
)
from mock_langflow.clock import Clock, Ids
from mock_langflow.engine import conditional
from mock_langflow.engine.components import fill_template, scripted_for, seconds
from mock_langflow.engine.environment import EnvironmentReader
from mock_langflow.engine.graph import (
    MODEL_KINDS,
    Graph,
    Node,
    asks_a_human,
    parse_graph,
    run_graph,
    run_graph_fault,
    types_of,
)
from mock_langflow.engine.hitl import (
    Paused,
    Resumed,
    approval_gates,
    approval_request,
    decided_calls,
    excluded_by,
    kept_reply,
    pause_request,
    restored_reply,
    stopped_by,
)
from mock_langflow.engine.llm import LlmReply, LlmRequest, ScriptedLLM
from mock_langflow.engine.message import (
    NAME_AI,
    NAME_USER,
    SENDER_AI,
    SENDER_USER,
    Message,
    Source,
    agent_steps,
    artifact_file,
    error_blocks,
    made_message,
    new_leaf,
    text_block,
    tool_message,
    tool_step,
    unsent_agent_dump,
)
from mock_langflow.engine.prompt_template import render_mustache
from mock_langflow.engine.scripts import ComponentScript, ModelTurn, ToolCall
from mock_langflow.errors import (
    FILE_LOG_OUTSIDE_COMPONENT,
    FILE_VALUE_NOT_A_PATH,
    HITL_UNSUPPORTED,
    LOCAL_FILE_ACCESS_DENIED,
    LOCAL_PATH_NUL,
    LOCAL_UNC_PATH_DENIED,
    MESSAGE_FIELDS_MISSING,
    MODEL_POLICY_CODE,
    MODEL_POLICY_ERROR,
    NO_FILES_TO_PROCESS,
    RELATIVE_FILE_PATH_INVALID,
    RUNTIME_FILE_NOT_A_PATH,
    SAFE_WORKFLOW_ERROR,
    SCRIPT_TOOL_CALLS_UNSUPPORTED,
    SCRIPT_TOOL_ERROR_UNSUPPORTED,
    SCRIPT_TOOL_UNKNOWN,
    STORAGE_FILE_NAME_INVALID,
    STORAGE_NAMESPACE_DENIED,
    TWEAKS_WITHOUT_NODES,
    VariableUndecryptable,
    chat_file_type_missing,
    credential_in_plain_field,
    credential_in_session_id,
    credential_refusal_type,
    file_not_found,
    storage_path_invalid,
    variable_not_found,
)
from mock_langflow.errors import tweak_conflict as tweak_conflict_text
from mock_langflow.jsonsafety import dump_pretty, jsonable, serde_floats
from mock_langflow.profiles import current

if TYPE_CHECKING:
    from mock_langflow.engine.agent_log import AgentLog
    from mock_langflow.engine.lc_spans import LcSpan, ModelCall
    from mock_langflow.model_catalog import ProviderPolicy
    from mock_langflow.state import AppState

NOT_SIMULATED = "mock-langflow does not simulate {type}; it passed its input through unchanged."
MEMORY_TEMPLATE = "{sender_name}: {text}"  # a Message History's default template
# the text of a secret (pydantic's SecretStr) a 1.13 component was handed; bandit B105 takes it for a password
MASKED_SECRET = "**********"  # nosec B105

logger = logging.getLogger(__name__)


def _paths(value: Any) -> list[str]:
    """A file field's paths: a list of them, or one path (a field that is no list, as a tweak may set it)."""
    if isinstance(value, list):
        return [str(p) for p in value if p]
    return [str(value)] if value else []


_ABSENT = object()
# lfx's DIRECT_TYPES whose values its parameter handler converts; every other one keeps only a truthy value.
_KEPT_FALSY = frozenset({"str", "int", "float", "slider", "bool", "dict", "NestedDict", "table", "code", "tools"})


def _primitive(value: Any) -> Any:
    """What a transaction keeps of a parameter: JSON values only (None is left out), in lists too."""
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return _ABSENT if value is None else value


def _direct_value(kind: Any, value: Any) -> Any:
    """lfx's ParameterHandler conversion of a field's value by its type; _ABSENT where it sets no parameter."""
    if value is None:
        return None if kind in ("dict", "NestedDict") else ([] if kind == "table" else _ABSENT)
    if kind in ("int", "float", "slider"):
        try:
            return int(value) if kind == "int" else float(value)
        except (TypeError, ValueError):
            return value
    if kind == "str":
        if isinstance(value, str):
            return value.replace("\\n", "\n")
        if isinstance(value, list):
            return [v.replace("\\n", "\n") if isinstance(v, str) else _text_of(v) for v in value]
        return _ABSENT
    if kind == "bool":
        return bool(value) if isinstance(value, bool | str) else _ABSENT
    if kind in ("dict", "NestedDict") and isinstance(value, list):
        if value and all(isinstance(i, dict) and "key" in i and "value" in i for i in value):
            return {i["key"]: i["value"] for i in value}
        return {k: v for i in value if isinstance(i, dict) for k, v in i.items()}
    if kind == "code":
        try:
            return ast.literal_eval(value) if value else None
        except Exception:  # noqa: BLE001  (lfx keeps the text when it is no literal)
            return value
    if kind == "tools":  # a DataFrame: no JSON value, never logged
        return _ABSENT
    if isinstance(kind, str) and kind in _KEPT_FALSY:  # a stored type may be any JSON (lfx compares with a list)
        return value
    return value if value else _ABSENT


def _text_of(value: Any) -> str:
    """lfx's _coerce_str_value for a str field's list item that is no string: a serialised Message or Data's text."""
    if isinstance(value, dict):
        data = value.get("data")
        text = value.get("text", data.get("text", "") if isinstance(data, dict) else "")
        return text.replace("\\n", "\n") if isinstance(text, str) else str(value)
    return str(value)


@dataclass(frozen=True)
class StoragePaths:
    """Where a run's file fields point once Langflow has resolved them: a "<folder>/<file name>" (a v1 upload's
    flow id or a v2 upload's user id) is joined to Langflow's storage directory, `root`, as pathlib joins (an
    empty folder adds nothing, a name starting with "/" replaces what comes before it); a value without "/"
    stays as it is.
    `restricted`: 1.13's LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS, on by default: a file field the flow left without
    `file_path` is resolved from its `value`, and a file value the run sets (its files, a stream's tweak) is
    resolved too, the path normalised; before 1.13 (and in 1.13 with it off) only a field's `file_path` is, and
    what a run sets stays as it came.
    `scoped_keys`: 1.13 with the restriction off: any path may be read, but a relative storage key must still
    name one of the run's folders, compared case-folded (the restriction compares the joined paths, in which
    case counts)."""

    root: str
    restricted: bool = True
    scoped_keys: bool = False

    @property
    def checked(self) -> bool:
        """Whether the release checks a run's file values at all (1.13, the restriction on or off)."""
        return self.restricted or self.scoped_keys

    def outside(self, value: Any, scopes: set[str], *, is_list: bool) -> str | None:
        """1.13's check of a file value: why it may not be read, or None when it may. Either way it must be text
        (a list of texts for a list field); then, restricted, the path it resolves to must lie in the storage
        folder of one of `scopes` (traversal resolved); else a relative storage key must name one of them."""
        if is_list:
            paths = [value] if isinstance(value, str) else value
            if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
                return FILE_VALUE_NOT_A_PATH
        elif not isinstance(value, str):
            return FILE_VALUE_NOT_A_PATH
        else:
            paths = [value]
        check = self._contained if self.restricted else _scoped_key
        for path in paths:
            if (refusal := check(path, scopes)) is not None:
                return refusal
        return None

    def _joined(self, path: str) -> str | None:
        """Where local storage puts a "<folder>/<name>" value (pathlib's join), None for a value without "/"."""
        folder, sep, name = path.partition("/")
        return str(PurePosixPath(self.root) / folder / name) if sep else None

    def _contained(self, path: str, scopes: set[str]) -> str | None:
        joined = self._joined(path)
        # a value without "/" is checked as it is; pathlib keeps exactly two leading slashes of a joined one.
        # Langflow takes a path starting with two of either slash for UNC, then resolves it (a NUL fails that)
        raw = path if joined is None else joined
        if raw.replace("\\", "/").startswith("//"):
            return LOCAL_UNC_PATH_DENIED
        if "\x00" in raw:
            return LOCAL_PATH_NUL
        if joined is None:  # relative to the server's working directory, which is no storage folder
            return LOCAL_FILE_ACCESS_DENIED
        return self._within(joined, scopes)

    def _within(self, path: str, scopes: set[str]) -> str | None:
        """An absolute path in the storage folder of one of `scopes` (traversal resolved), or the refusal."""
        where, root = posixpath.normpath(path), posixpath.normpath(self.root)
        if any(where == f"{root}/{scope}" or where.startswith(f"{root}/{scope}/") for scope in scopes):
            return None
        return LOCAL_FILE_ACCESS_DENIED

    def handed(self, path: str, scopes: set[str]) -> str | None:
        """1.13's File component given a path by an edge (lfx's BaseFileComponent): a "<namespace>/<name>" key
        must be well formed and name one of `scopes` whatever the restriction (enforce_storage_key_scope), and is
        read from the storage directory; restricted, what it reads must lie in one of their folders (any other
        path as it is: a relative one is the server's working directory's)."""
        namespace, sep, name = path.partition("/")
        where = path
        if sep and namespace and name:
            if (refusal := _key_refusal(namespace, name, scopes)) is not None:
                return refusal
            where = posixpath.join(self.root, namespace, name)
        if not self.restricted:
            return None
        if where.replace("\\", "/").startswith("//"):
            return LOCAL_UNC_PATH_DENIED
        if "\x00" in where:
            return LOCAL_PATH_NUL
        return self._within(where, scopes) if where.startswith("/") else LOCAL_FILE_ACCESS_DENIED

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, str) or (joined := self._joined(value)) is None:
            return value
        return posixpath.normpath(joined) if self.restricted else joined

    def key_of(self, path: str) -> str | None:
        """The storage key ("<folder>/<name>") an absolute path under the storage directory names (the file the
        mock keeps there), or None for any other path."""
        if not path.startswith("/"):
            return None
        where, root = PurePosixPath(path), PurePosixPath(self.root)
        if ".." in where.parts or not where.is_relative_to(root):
            return None
        return where.relative_to(root).as_posix()


_FIELD_VALUES = ("value", "file_path")  # what a field hands its component, unless hidden


def _scoped_key(path: str, scopes: set[str]) -> str | None:
    """1.13 with LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS off: an absolute path (POSIX or Windows) or a bare name is
    read as it is; a relative "<namespace>/<name>" must be well formed and its namespace, compared case-folded,
    one of `scopes`."""
    if path.startswith("/") or PureWindowsPath(path).is_absolute():
        return None
    if "\\" in path:
        return RELATIVE_FILE_PATH_INVALID
    namespace, sep, name = path.partition("/")
    if not sep:
        return None
    if not namespace or not name:
        return storage_path_invalid(path)
    return _key_refusal(namespace, name, scopes)


def _key_refusal(namespace: str, name: str, scopes: set[str]) -> str | None:
    """lfx's check of a storage key's parts: a file name that is one path segment, a namespace (compared
    case-folded) that is one of `scopes`."""
    if ".." in name or any(char in name for char in ("/", "\\", "\x00")):
        return STORAGE_FILE_NAME_INVALID
    folded = {scope.strip().casefold() for scope in scopes} - {""}
    return STORAGE_NAMESPACE_DENIED if folded and namespace.casefold() not in folded else None


def file_value(value: Any) -> Any:
    """A file field's value as a tweak or a run sets it: a {"file_path": ...} or {"value": ...} object unwrapped."""
    if isinstance(value, dict):
        if "file_path" in value:
            return value["file_path"]
        if set(value) == {"value"}:
            return value["value"]
    return value


def logged_param(name: str, entry: dict[str, Any], storage: StoragePaths | None = None) -> Any:
    """One field as a vertex's parameter, as lfx's ParameterHandler builds it and a transaction logs it; _ABSENT
    when it has none: a field of type "other", a hidden one (show false) and `_type` are skipped unless
    `override_skip`; an optional field left without a value takes its `default` when it has one, else is
    dropped; None is never logged."""
    kind = entry.get("type")
    if _skipped(name, entry):  # (a hidden `code` is never logged: the transaction log passes over `code`)
        return _ABSENT
    value = entry.get("value")
    if kind == "file":
        # the parameter is the field's file_path (1.13: or its value), resolved under the storage directory
        source = entry.get("file_path") if storage is not None else value
        if not source and storage is not None and storage.restricted:
            source = value
        if entry.get("list"):  # list file inputs log as lists
            source = source if isinstance(source, list) else ([source] if source else [])
        value = (storage.resolve(source) if storage is not None else source) or ([] if entry.get("list") else None)
    else:
        value = _direct_value(kind, value)
    if (value is _ABSENT or value is None) and not entry.get("required"):
        value = entry.get("default") or _ABSENT
    return _ABSENT if value is _ABSENT else _primitive(value)


# lfx's ChatOutputResponse: the file types it names a file's "type" from (utils/schemas.py TEXT_ and IMG_FILE_TYPES)
def short_file_path(path: str) -> str:
    """One file path as every release's chat vertex shows it in its artifacts when its `files` parameter is a
    single path, not a list (lfx graph/utils.py rewrite_file_path): backslashes made slashes, anything up to the
    first ":" dropped, then only its last two non-empty parts kept."""
    path = path.replace("\\", "/")
    path = path.split(":", 1)[1] if ":" in path else path
    return "/".join([part for part in path.split("/") if part][-2:])


# How Langflow's tracer hides secrets in a component's traced inputs: (1.13) a password field's value, then any key
# that holds one of these words, at any depth of a field's dict or list value.
TRACE_PASSWORD, TRACE_SECRET = "*" * 10, "*" * 5
TRACE_SECRET_WORDS = ("api_key", "password", "server_url")
# The input types whose validation turns a Message (or Data) handed to them along an edge into its text (lfx's
# MessageTextInput and its subclasses, SecretStrInput): a component's traced input of that field is the text.
TEXT_INPUT_TYPES = frozenset({"MessageTextInput", "MultilineInput", "MultilineSecretInput", "QueryInput",
                              "SecretStrInput"})


@functools.lru_cache(maxsize=4096)
def _secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in TRACE_SECRET_WORDS)


def trace_masked(value: Any) -> Any:
    """Langflow's tracing service's clean-up of a component's inputs: a dict's value under a key holding api_key,
    password or server_url becomes five asterisks, in nested dicts and lists too (a Message or Data is no dict to
    it: left whole, then dumped)."""
    if isinstance(value, dict):
        return {k: TRACE_SECRET if _secret_key(str(k)) else trace_masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [trace_masked(item) for item in value]
    if isinstance(value, _Traced):
        return value.value.traced()
    return value


# Python's own words for `None in "chatoutput-..."`: a /run sent `"output_type": null`
OUTPUT_TYPE_NONE = "'in <string>' requires string as left operand, not NoneType"


# The artifact of a Webhook that read an empty object (or null) from its data text: that Data is its status
EMPTY_DATA_STATUS = {"repr": "{}", "raw": {}, "type": "object"}


class RunError(Exception):
    """A component failed: Langflow words it "Error building Component <name>: \\n\\n<reason>"; `error_type` is
    the class of the exception the component raised, which the v2 API reports."""

    def __init__(self, reason: str, node: Node | None = None, *, error_type: str = "ValueError",
                 announced: bool = True, component_name: str | None = None, before_build: bool = False,
                 code: str | None = None, said: str | None = None) -> None:
        # announced: the component itself raised, so it stored and sent its error message; a failure before it
        # ran (its fields' global variables not found) sends none. component_name: the display name the raising
        # component's class gives itself, which its error message shows, where that is not the node's.
        # before_build: the vertex failed as the run set its values (lfx's update_raw_params), before its
        # component was built, or the vertex itself raised outside its component (a Chat Input's file with no type
        # its ChatOutputResponse can name): no error message, no error transaction, and its text is the reason alone
        self.reason, self.node, self.error_type, self.announced = reason, node, error_type, announced
        self.component_name, self.before_build = component_name, before_build
        # code: the reason code of an exception carrying one (lfx's ModelProviderPolicyError), which its error
        # message's markdown shows in place of the exception's class
        self.code = code
        # said: the exception's first argument where its text differs (a KeyError's key, which str() quotes), which
        # its error message's text and markdown show (lfx's ErrorMessage reads args[0])
        self.said = reason if said is None else said
        prefix = f"Error building Component {node.display_name}: \n\n" if node is not None and not before_build else ""
        super().__init__(prefix + reason)


class FailedBeforeGraph(RunError):
    """A v1 run's failure Langflow meets as it sets the run up, before its graph runs (graph_error_text)."""


class FileAccessDenied(RunError):
    """1.13: a file field names a path outside the caller's and the flow's storage; Langflow's graph is not built."""


def unbuilt_status(reason: str) -> int:
    """The status of the HTTPException a 1.13 build raises for a file field it refuses as it makes the graph: 400
    for a file access refusal, 500 for any other error, such as pathlib's on a NUL byte (LOCAL_PATH_NUL)."""
    return 500 if reason == LOCAL_PATH_NUL else 400


def unbuilt_text(reason: str) -> str:
    """"<status>: <reason>" as a 1.13 build answers a graph it would not make (its HTTPException)."""
    return f"{unbuilt_status(reason)}: {reason}"


def file_access_refusal(graph: Graph, storage: StoragePaths | None, scopes: set[str],
                        runtime: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(), *,
                        only_runtime: bool = False) -> str | None:
    """Why 1.13 will not build the graph, or None: a file field it hands a component (a shown one's file_path,
    else, with LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS on, its value; a value the run set, in `runtime`) names a path
    the release's check refuses (StoragePaths.outside: restricted, one outside the storage folders of `scopes`,
    the caller and the flow; else a storage key of another folder), or is no path; a value the run set may also
    be an object naming no path. `only_runtime`: the values the run set alone."""
    if storage is None or not storage.checked:
        return None
    for node in graph.nodes:
        for name, entry in node.template.items():
            if not isinstance(entry, dict) or entry.get("type") != "file":
                continue
            if only_runtime and (node.id, name) not in runtime:
                continue
            if (node.id, name) in runtime:
                value = file_value(entry.get("value"))
                if value is None or (isinstance(value, str | list) and not value):
                    continue
                if isinstance(value, dict):  # an object naming no file_path (nor a lone value)
                    return RUNTIME_FILE_NOT_A_PATH
                is_list = bool(entry.get("list")) or isinstance(value, list)
            elif not entry.get("override_skip") and not entry.get("show"):
                continue
            else:  # Langflow takes no falsy value (0, false, {}) for a path
                value = entry.get("file_path") or (entry.get("value") if storage.restricted else None)
                if not value:
                    continue
                is_list = bool(entry.get("list"))
            refusal = storage.outside(value, scopes, is_list=is_list)
            if refusal is not None:
                return refusal
    return None


class FlowHasNoData(RunError):
    def __init__(self, flow_id: UUID) -> None:
        super().__init__(f"Flow {flow_id} has no data")


class GraphFault(RunError):
    """A v1 run of a graph lacking a part Langflow reads as it makes the graph (engine/graph.py run_graph_fault):
    the run fails before any vertex with the error's text alone, no message stored."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, announced=False, before_build=True)


class CatalogBlocked(GraphFault):
    """A run of a graph using a component 1.13's catalog policy blocks (RunRequest.catalog_blocked): refused as
    Langflow refuses to make the graph, before any vertex; its text names them. /run answers it with a 400."""


class VertexCrash(RunError):
    """A vertex that raised outside its component after the component failed (its error message already sent
    and stored): 1.13's logging of an XML file's ParseError raises a TypeError (engine/read_file.crash_text), which
    no vertex catches. A build ends at it with the run's own error events (no end_vertex); a v1 run fails with its
    text alone, no "Error running graph: " before it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, announced=False, before_build=True, error_type="TypeError")


class NeedsHuman(RunError):
    """A v1 run of a flow that would pause for a person (1.13): a 400 with `reason` as its detail, and in a
    stream the error event Langflow words from that 400."""

    def __init__(self) -> None:
        super().__init__(HITL_UNSUPPORTED)

    def __str__(self) -> str:
        return f"400: {self.reason}"


def graph_error_text(exc: RunError) -> str:
    """A run's failure as Langflow's Graph.arun lets it out (every release; the graph behind /run, /run/advanced,
    /responses and an MCP tool call): whatever a vertex raised is wrapped in ValueError("Error running graph:
    ..."); what fails before the graph runs (a flow without data, a file refused or a part missing as the graph is
    made, a flow that would pause for a person) keeps its own text."""
    return str(exc) if failed_before_graph(exc) or isinstance(exc, VertexCrash) else f"Error running graph: {exc}"


def simple_run_failure(exc: RunError) -> str:
    """The text a failed v1 run is shown with where its exception is (a /run stream's error event, a /responses
    error, an MCP tool's 500): 1.13's simple_run_flow raises a failure of the graph's run as the HTTPException /run
    answers with ("500: {...}"); what fails before the graph runs, and every failure before 1.13, as it is
    (profile run.responses_errors)."""
    text = graph_error_text(exc)
    if current().run.responses_errors == "plain" or failed_before_graph(exc):
        return text
    return errors.LangflowServerError(text).exception_text


def failed_before_graph(exc: RunError) -> bool:
    """Whether a run failed before its graph ran (graph_error_text): no "Error running graph: " wrapper."""
    return isinstance(exc, FailedBeforeGraph | FlowHasNoData | FileAccessDenied | GraphFault | NeedsHuman)


class Disconnect(Exception):
    """A script asked for the connection to drop mid-reply (`node`: the model whose reply it was)."""

    def __init__(self, node: Node | None = None) -> None:
        super().__init__(MODEL_DROPPED)
        self.node = node

    def as_error(self) -> RunError:
        """The drop as the model's component sees it where a failing component fails only its own vertex (a
        build, a v2 stream or background run): its model client raises a connection error."""
        return RunError(MODEL_DROPPED, self.node, error_type="APIConnectionError")


MODEL_DROPPED = "The connection to the model was dropped"


class Observer:
    """What a presenter hears while a flow runs; every hook is optional."""

    # whether the run has Langflow's event manager (a build, a streamed /run, a v2 stream or background run, a
    # webhook's events), which a 1.13 model streaming to a Chat Output sends its reply through as it builds
    event_manager: bool = False

    async def vertices_sorted(self, first: list[str], to_run: list[str]) -> None: ...

    async def message(self, message: Message) -> None: ...

    async def token(self, message_id: UUID, chunk: str) -> None: ...

    async def message_removed(self, message_id: UUID) -> None:
        """A component took back a message it had announced (an Agent whose model failed); only a build's
        event manager has an event for it."""

    async def vertex_started(self, node: Node) -> None:
        """A vertex's build begins (lfx's vertex build announces it to the webhook event stream)."""

    async def vertex_done(self, result: VertexResult) -> None: ...

    async def layer_built(self, results: list[VertexResult], *, raised: bool = False) -> None:
        """A layer of vertices is done: those built before the first of them that raised (all of them when none
        did; `raised`: one did, and the run fails with its error), in the order the layer ran them; a build hears
        of each vertex alone, as soon as it is done."""

    async def component_error(self, message: Message) -> None:
        """A component that raised announced its error message."""

    async def vertex_failed(self, failure: VertexFailure) -> None:
        """A vertex whose component raised is done (RunRequest.vertex_failures only)."""

    async def vertex_raised(self, failure: VertexFailure) -> None:
        """A vertex whose component raised stops the run (every run but one with RunRequest.vertex_failures)."""

    async def tool_run(self, component_id: str, *, done: bool) -> None:
        """An Agent runs a tool of a connected component (lfx's component_tool): it starts, then it is `done`."""

    async def log(self, entry: dict[str, Any]) -> None:
        """A component logged an entry while it built (lfx's Component.log: `name`, `message`, `type`, the output
        it was building and its id): the event manager's `log` event."""


@dataclass
class StreamingText:
    """A model's reply on its way to a Chat Output, delivered token by token."""

    reply: LlmReply
    node: Node


@dataclass
class Value:
    """What one output of a vertex holds."""

    message: Message | None = None
    data: dict[str, Any] | None = None
    text: str | None = None
    stream: StreamingText | None = None
    # the bare Message(text=...) the component returned (a model's answer, Text Input's, Text Output's), which
    # only the tracer shows as it is: the run's results and events show `text` or `message`
    made: Message | None = None
    # the token usage that returned Message carries (its properties.usage: a model's, or 1.13's Agent's), which a
    # Chat Output taking that Message over keeps
    usage: dict[str, int] | None = None
    # the type its output entry shows when not its value's own (an Agent's Structured Response: "data" while the
    # component has no status), and its artifact when the component's status is not the value (an Agent's)
    shown_as: str | None = None
    artifact: dict[str, Any] | None = None
    # a table's rows (Langflow's DataFrame: engine/table.py), the Message History's `dataframe` output
    table: list[dict[str, Any]] | None = None
    # the entry its output shows where not its text: a Message made of a value that is no text (1.13 keeps it as
    # the Message's pending stream; engine/convert.py pending)
    entry: dict[str, Any] | None = None
    # a Message whose text is None (lfx 0.3/0.2: a Chat Output handed it finds no text)
    no_text: bool = False
    # the fields (Message.data, in order) of a Message the mock hands on as its text: Read File's, which a
    # component reading JSON (a Parser, Split Text) reads them from
    fields: dict[str, Any] | None = None

    @property
    def message_fields(self) -> dict[str, Any] | None:
        """A Message's fields (Message.data), None where the value is no Message."""
        return self.message.payload()["data"] if self.message is not None else self.fields

    @property
    def json_fields(self) -> dict[str, Any] | None:
        """What a component reading JSON reads of the value: a Message's fields, or JSON itself."""
        fields = self.message_fields
        return fields if fields is not None else self.data

    def traced(self) -> Any:
        """The value as Langflow's tracer serialises it: a message as its model dump, data as itself, a table as
        its records."""
        if self.made is not None:
            return self.made.made_payload()
        if self.message is not None:
            return self.message.payload()
        if self.data is not None:
            return jsonable(self.data)
        if self.table is not None:
            return jsonable(self.table)
        return self.text or ""

    @property
    def as_text(self) -> str:
        if self.message is not None:
            return self.message.text
        if self.table is not None:
            return self.table_text()
        if self.data is not None:
            text = dump_pretty(self.data)
            if current().run.data_text == "orjson-3.10":
                text = serde_floats(text.encode()).decode()
            return "```json\n" + text + "\n```"
        return self.text or ""

    def table_text(self, *, clean: bool = False) -> str:
        """The table as lfx's safe_convert writes it (`clean`: with a Chat Output's Basic Clean Data on)."""
        from mock_langflow.engine import table  # (not imported at start-up: a table alone uses it)

        rules = current().run
        return table.markdown(self.table or [], clean=clean, breaks=rules.table_text == "tidied",
                              numbers=rules.table_numbers)


@dataclass(frozen=True)
class _Traced:
    """A value a component got along an edge, as the tracer's clean-up sees it: an object (a Message or Data)
    whose insides it does not mask; dumped once it is done."""

    value: Value


def _text_value(value: Value) -> Any:
    """What a text input's validation keeps of a Message or Data handed to it: its text (a Data's `text` key)."""
    if value.message is not None:
        return value.message.text
    if value.data is not None:
        return value.data.get("text", "")
    return value.text or ""


@dataclass
class VertexResult:
    """What one vertex of a run produced: its outputs, artifacts, logs and the message it stored."""

    node: Node
    outputs: dict[str, Value]
    artifacts: dict[str, Any]
    logs: list[dict[str, Any]]
    duration_s: float
    stored: Message | None = None  # the chat message this vertex stored and announced, if any
    successors: list[str] = field(default_factory=list)  # the vertices this one feeds, in this run
    sink: bool = False  # no edge leaves it in the flow's graph, whatever this run builds (Langflow's terminal node)
    # 1.13: the token usage its component reports as its own (a model's or an Agent's _token_usage), which its
    # result's token_usage shows unless it is an output vertex
    usage: dict[str, int] | None = None
    # the vertices its build data shows switched off (1.13: the branches a person's decision stopped, and those a
    # resumed run's earlier decisions keep off)
    inactivated: list[str] = field(default_factory=list)
    frozen: bool = False  # a frozen vertex's result reused from its last build (used_frozen_result)
    # what its `results` show at the run's end, when a Chat Output took over the Message it handed on (_finished)
    shown: Value | None = None
    # the logs of the outputs it built other than its primary one, by name (an Agent's Structured Response's)
    output_logs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def primary(self) -> Value:
        return next(iter(self.outputs.values()), Value(text=""))

    @property
    def output_name(self) -> str:
        return next(iter(self.outputs), self.node.first_output)


MemoryCapture = Literal["never", "ran", "clean"]


def memory_capture(owner_id: UUID | None, runner_id: UUID | None, *, fires: bool = True,
                   clean_only: bool = False) -> MemoryCapture:
    """A run's RunRequest.memory_capture: 1.13 captures only after a run of the runner's own flow (the flow's
    owner is the user it runs as), and only where the site fires a capture at all (`fires`); `clean_only`: only
    when no component raised (a v2 background run)."""
    if not fires or owner_id != runner_id:
        return "never"
    return "clean" if clean_only else "ran"


@dataclass
class RunRequest:
    """One run of a flow: its graph, inputs, caller and session, and how the calling route wants it run."""

    flow_id: UUID | None
    flow_name: str
    endpoint_name: str | None
    data: dict[str, Any] | None
    user_id: UUID | None
    session_id: str | None = None
    input_value: str | None = None
    input_type: str = "chat"
    output_type: str | None = "chat"  # None: a client's explicit null, which fails a run with output vertices
    output_component: str | None = None
    tweaks: dict[str, Any] = field(default_factory=dict)
    global_vars: dict[str, str] = field(default_factory=dict)
    # 1.13's /run, webhooks and MCP tools: {field display name: variable name} from the user's variables'
    # default_fields, bound to the flow's empty text fields of that display name before the run
    variable_fields: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    webhook_payload: Any = None
    start_component_id: str | None = None
    stop_component_id: str | None = None
    # every run but a build (Langflow's graph.arun): with no start or stop component, the run starts from the
    # graph's first input vertex (Graph.first_input), so a component neither it nor what it leads to needs never
    # runs; a build (and a 1.13 v2 stream or background run) runs every vertex
    starts_at_input: bool = True
    run_id: UUID | None = None  # the graph_run_id messages carry; a fresh one when None
    refuse_hitl: bool = False  # a v1 run in 1.13: a flow that would pause for a person is refused (NeedsHuman)
    # which vertices take input_value and files: those input_type names, or (a build) every Chat Input
    inputs_to: Literal["input_type", "chat_input"] = "input_type"
    # a build: a component that raises fails its own vertex (Observer.vertex_failed) and the run goes on
    # without what depends on it, where other runs stop with the RunError
    vertex_failures: bool = False
    # a vertex failure fails the run's native trace even where no component raised (its vertex failed before its
    # component built: no span of its own failed). False: a v1 build whose events the POST's response does not
    # carry, which Langflow ends that trace's error on the POST's background tasks, run before the build got there
    failures_fail_trace: bool = True
    # every run but a build (Langflow's graph.arun): each vertex's own session_id field, unless connected, takes
    # the run's session, whatever it held; a build fills in only an empty one
    session_everywhere: bool = True
    # a failed vertex's build data carries the component's error text and traceback; False (1.13's public build):
    # a fixed "Workflow execution failed." and no traceback (the component's own error message keeps both)
    error_details: bool = True
    # a vertex's build data (its end_vertex and its logged build) carries its params; False (1.13's build of
    # another user's PUBLIC flow, redact_build_params): null
    build_params: bool = True
    # a build: a field's global variable that neither the request nor the user's variables hold fails its vertex
    # ("<name> variable not found."); other runs read the server's environment variable of that name (Runner
    # read_environment; with the fallback off they fail as a build does)
    variables_required: bool = False
    # a visitor's run (1.13: a tool call of an MCP project whose auth is "none"), which Langflow runs as an
    # anonymous principal: no user's global variable is found, though its messages stay the flow owner's
    anonymous: bool = False
    # a v2 stream or background run (1.13): the tweaks go onto the graph once it is built (tweaks_on_built_graph)
    tweaks_on_built_graph: bool = False
    # the user whose global variables and files the run reads, when not user_id (the flow's owner, whose
    # messages they are): a webhook before 1.13 whose `user_id` chose another owner's flow of a shared endpoint
    # name runs as the first such flow's owner
    runs_as: UUID | None = None
    # 1.13's restricted local file access, checked as Langflow builds a v1 run's graph (/run, /run/advanced,
    # webhooks, MCP tools): a file field naming a path outside the caller's and the flow's storage fails the run
    # before any component (FileAccessDenied); a build loop checks its own before it starts, and the files it
    # hands a Chat Input as it builds that vertex (_check_files_set)
    file_access_check: bool = False
    # 1.13: the memory-base capture Langflow fires, as a task with a job queue of its own, after a run of the
    # caller's own flow: "ran" once the run is done (a v1 run, each /run/advanced request's last input, a v2 sync
    # run, a build loop that reached its end, a v2 live stream), "clean" only if no component raised (a v2
    # background run, whose stream then held no error event); "never" for anyone else's run
    memory_capture: MemoryCapture = "never"
    # 1.13: whether the capture counts the run toward a memory base's threshold (a run with a workflow job: all
    # but /run/advanced, whose capture only tracks the session)
    capture_counted: bool = True
    # a v1 run (/run, /run/advanced, a webhook, an MCP tool): its graph lacking a part lfx's process_tweaks or
    # graph loader reads fails it before any vertex (GraphFault; a build checks its graph before it starts)
    graph_check: bool = False
    # 1.13's catalog policy: the component keys it blocks, which the graph must not use (CatalogBlocked, checked
    # first, as Langflow does on the graph it is handed before it reads the tweaks)
    catalog_blocked: frozenset[str] = frozenset()
    # 1.13: the text of the refusal of tweaks the route makes of a request (a webhook body to its nodes, under
    # LANGFLOW_TWEAKS_POLICY): the run fails with it before its graph is made, as process_tweaks raises
    tweaks_refused: str | None = None
    # a public build's flow, whose id flow_id is not (the visitor's virtual one): its storage folder is one a
    # file field may name too, as Langflow's graph keeps it as its source_flow_id
    source_flow_id: UUID | None = None
    # 1.13's v2 background run (the build loop given a job id arms the graph's checkpointing) and an A2A run (its
    # sync executor is given a checkpoint store): a Human Input node that feeds a vertex pauses the run before its
    # next vertex (a build) or layer (Langflow's graph loop) (Paused); any other run goes on through it
    pauses: bool = False
    # a paused run going on after a person's decision: what its first part built, and the decisions so far
    resume: Resumed | None = None
    # a run given no session takes its flow's id as its session; False (a graph the vertex-by-vertex build made
    # from the graph a client sent, which Langflow gives no session): none, so its chat messages are not stored
    flow_session: bool = True
    # 1.13's serving-plane end user (engine/end_users.py): the run's messages are stored under their owner UUID;
    # `persist` False (an anonymous serving run): no message, transaction or vertex build is stored
    end_user_id: str | None = None
    persist: bool = True

    @property
    def reader_id(self) -> UUID | None:
        return self.runs_as or self.user_id

    def scoped(self, scope: Any) -> None:
        """Run in a serving-plane end-user scope (engine/end_users.Scope; None: as sent)."""
        if scope is not None:
            self.session_id, self.persist, self.end_user_id = scope.session_id, scope.persist, scope.end_user_id

    @property
    def message_owner(self) -> UUID | None:
        """Whom the run's stored messages belong to: the end user's owner UUID, else the user who ran it."""
        if self.end_user_id:
            from mock_langflow.engine.end_users import message_owner

            return message_owner(self.end_user_id)
        return self.user_id

    def file_scopes(self) -> set[str]:
        """The storage folders 1.13 lets the run's file fields name: the flow's (a public build's real one too)
        and the caller's, unless the run is an anonymous principal's."""
        scopes = {str(i) for i in (self.flow_id, self.source_flow_id) if i is not None}
        if self.reader_id is not None and not self.anonymous:
            scopes.add(str(self.reader_id))
        return scopes


def serving_scope(state: AppState, headers: Mapping[str, str], session_id: str | None, default: str) -> Any:
    """1.13's serving-plane end-user scope of a run at its door (engine/end_users.scope_of, `default` the session
    of a run sent none); None, and nothing loaded, while the feature is off."""
    if not state.settings.serving_end_user_header:
        return None
    from mock_langflow.engine.end_users import scope_of

    return scope_of(state, headers, session_id, default)


@dataclass
class VertexFailure:
    """A vertex whose component raised, as a build reports it."""

    node: Node
    error: RunError
    stack_trace: str
    duration_s: float
    successors: list[str] = field(default_factory=list)  # the vertices it would have fed, in this run
    sink: bool = False  # no edge leaves it in the flow's graph (Langflow's terminal node)
    detailed: bool = True  # RunRequest.error_details: False keeps the text and traceback from the build data

    @property
    def params(self) -> str:
        """Langflow's text for the failure: "Error building Component <name>: \n\n<reason>"."""
        if not self.detailed:
            return SAFE_WORKFLOW_ERROR
        return str(self.error) if self.error.before_build else \
            f"Error building Component {self.node.display_name}: \n\n{self.error.reason}"


def component_traceback(node: Node, error: RunError) -> str:
    """The traceback a failed component reports. The mock runs no component code, so it makes one up, shaped as
    Python prints one and always the same for the same failure."""
    return ("Traceback (most recent call last):\n"
            '  File "<mock-langflow>/engine/runner.py", line 1, in build_vertex\n'
            "    result = await component.build_results()\n"
            f'  File "<component {node.id}>", line 1, in build_results\n'
            f"    raise {error.error_type}(message)\n"
            f"{error.error_type}: {error.reason}\n")


@dataclass
class RunResult:
    """A finished run: its vertices' results, the output vertices and the failures it went on past."""

    session_id: str
    run_id: UUID
    graph: Graph
    vertices: list[VertexResult]
    output_ids: list[str]
    failures: list[VertexFailure] = field(default_factory=list)  # RunRequest.vertex_failures only

    def outputs(self) -> list[VertexResult]:
        by_id = {v.node.id: v for v in self.vertices}
        return [by_id[i] for i in self.output_ids if i in by_id]


@dataclass
class RunSpan:
    """A component's build as the run's native trace records it: its inputs as the component saw them, and its
    outputs or the error it raised."""

    node: Node
    ended: datetime
    duration_s: float
    inputs: dict[str, Any]
    outputs: dict[str, Any] | None = None
    error: str | None = None
    # a span that is no component's build (1.13: a resumed run's Human In The Loop gate): its own key and name
    key: str | None = None
    name: str | None = None
    children: list[LcSpan] = field(default_factory=list)  # the LangChain runs its model call made (lc_spans)


@dataclass
class RunTrace:
    """What Langflow's native tracer keeps of one run (of a flow with an id): each component built, in order."""

    request: RunRequest
    run_id: UUID
    session_id: str
    started: datetime
    ended: datetime
    spans: list[RunSpan]
    failed: bool


FileReader = Callable[[str, UUID | None], Awaitable[tuple[str, bytes] | None]]
ImageCheck = Callable[[str], Awaitable[bool]]  # whether a storage key names a stored image file (anyone's)
MessageSink = Callable[[Message, UUID | None], Awaitable[None]]
MessageEraser = Callable[[UUID], Awaitable[None]]  # a stored message dropped again (by its id)
MemoryHook = Callable[[UUID, str, bool], None]  # a capture of a run's session into the flow's memory bases
@dataclass(frozen=True)
class HistoryScope:
    """Which of a session's messages a Message History component or an Agent reads: the flow's, of the run's
    user if known (1.13's aget_messages with the graph's flow and user), or (`of_flow` false) every flow's, as
    before 1.13; of the component's context id if it has one."""

    of_flow: bool
    user_id: UUID | None
    context_id: str = ""


# A session's messages in order, as a Message History component or an Agent reads them (HistoryScope)
HistoryReader = Callable[[UUID | None, str, HistoryScope], Awaitable[list[Message]]]
# An MCP Tools node's tool list as a run loads it for (user, its `mcp_server` value): why loading it fails (1.13's
# stdio refusal, "not configured"; before 1.13 a server list that cannot be read), or None; and whether it is
# known to stay empty (no server name, or before 1.13 no config found), else unknown (the mock connects nowhere)
McpServerCheck = Callable[[UUID, Any], Awaitable[tuple[str | None, bool]]]
# (user, name) -> (value, None: not found or unreadable; whether the variable found is a Credential)
VariableReader = Callable[[UUID | None, str], Awaitable[tuple[str | None, bool]]]
# a vertex's transaction: its result, or the error its component raised
TransactionSink = Callable[[UUID | None, "Node", dict[str, Any], "VertexResult | RunError"], Awaitable[None]]
TraceSink = Callable[[RunTrace], Awaitable[None]]
# 1.13's model-provider policy as a run reads it (None: nothing restricted)
ModelPolicyReader = Callable[[], "ProviderPolicy | None"]


def apply_tweaks(graph: Graph, tweaks: dict[str, Any]) -> None:
    """Tweaks by node id or display name ({node: {field: value}}); plain {field: value} entries apply to every
    node with that field. Keys that name nothing are ignored, as Langflow ignores them (fact 12)."""
    by_display = {n.display_name: n for n in graph.nodes}
    for key, value in (tweaks or {}).items():
        node = graph.by_id.get(key) or by_display.get(key)
        if isinstance(value, dict):
            if node is not None:
                for name, field_value in value.items():
                    if node.has_field(name) or name in ("input_value", "session_id"):
                        _tweak(node, name, field_value)
        elif node is None:
            for candidate in graph.nodes:
                if candidate.has_field(key):
                    _tweak(candidate, key, value)


def _tweak(node: Node, name: str, value: Any) -> None:
    """A sync run's tweak of one field, as lfx's apply_tweaks writes it into the flow's data: a file field's goes
    to its file_path (an object's values too, the last one winning), which is what the vertex's parameter is made
    from; an object's keys go onto any other field but a dict-like one (its "value" the value, so {"value": x} sets
    x and {"load_from_db": true} keeps a variable's name loading); anything else is the value. Since 1.8 the field
    then stops loading a global variable unless the object says it does; in 1.13 a str field's value that is no
    text nor list makes no parameter, the component's default standing (profile run.tweak_writes)."""
    entry = node.template.get(name)
    if not isinstance(entry, dict):
        node.set(name, value)
        return
    kind = entry.get("type")
    if kind == "file":
        path = list(value.values())[-1] if isinstance(value, dict) and value else value
        node.template[name] = {**entry, "value": path, "file_path": path}
        return
    writes = current().run.tweak_writes
    if isinstance(value, dict) and kind not in ("NestedDict", "mcp", "dict"):
        new = {**entry, **value}
    else:
        if writes != "1.7.1" and kind == "dict" and isinstance(value, dict) and len(value) == 1 and "value" in value:
            value = value["value"]
        new = {**entry, "value": value}
    if writes != "1.7.1" and "load_from_db" in entry and not (isinstance(value, dict) and "load_from_db" in value):
        new["load_from_db"] = False
    if writes == "1.13" and kind == "str" and not isinstance(new.get("value"), str | list):
        new["value"] = None
    node.template[name] = new


def tweaks_on_built_graph(graph: Graph, tweaks: dict[str, Any]) -> set[tuple[str, str]]:
    """1.13's tweaks of a graph already built (a v2 stream or background run): only {node id: {field: value}}
    entries, each onto a field the node declares, its value as sent (no conversion by the field's type, as the
    sync run's parameter handler does); display names and plain {field: value} entries name nothing. Returns the
    (node id, field) pairs set, which the vertex then holds (and logs) as they are. A node with a tweak of a field
    an edge feeds (one vertex, as lfx's parameter handler makes it of a field that is no list) keeps none of its
    tweaks: lfx's update_raw_params leaves such a vertex's parameters alone, and its build remakes them."""
    applied: set[tuple[str, str]] = set()
    for key, value in (tweaks or {}).items():
        node = graph.by_id.get(key)
        if node is None or not isinstance(value, dict):
            continue
        if any(node.has_field(name) and _fed_by_one_vertex(node, name) and any(
                e.target_field == name for e in graph.incoming(node.id)) for name in value):
            continue
        for name, field_value in value.items():
            if node.has_field(name):
                entry = node.template[name]
                file_field = entry.get("type") == "file"
                node.set(name, file_value(field_value) if file_field else field_value)
                if field_value and _has_param(name, entry):
                    # lfx's apply_tweaks_on_vertex: a value given to a field the vertex has a parameter for takes it
                    # off the fields that load a global variable (a {"load_from_db": true} object puts it on)
                    node.template[name]["load_from_db"] = isinstance(field_value, dict) and bool(
                        field_value.get("load_from_db"))
                applied.add((node.id, name))
    return applied


def _cyclic(graph: Graph, order: list[Node]) -> bool:
    """Whether an edge among the ordered vertices goes back in the order (graph.order breaks a cycle so)."""
    position = {n.id: i for i, n in enumerate(order)}
    return any(e.source in position and e.target in position and position[e.source] >= position[e.target]
               for e in graph.edges)


def chat_input_first(first: list[str], graph: Graph) -> list[str]:
    """A build's first layer as lfx sorts chat inputs first: the one Chat Input (its id holds "ChatInput") that no
    vertex feeds gets a layer of its own when it shares the first one; unchanged where a Chat Input is fed or none
    is in the first layer. (Two Chat Inputs fail Langflow's sort: not emulated, the layer stays.)"""
    chats = [n.id for n in graph.nodes if "ChatInput" in n.id]
    if len(chats) != 1 or chats[0] not in first or len(first) == 1 or graph.incoming(chats[0]):
        return first
    return chats


def tweaks_not_a_mapping(graph: Graph, tweaks: dict[str, Any] | None) -> str | None:
    """1.13's check of a stream or background run's tweaks reads each node's entry (by node id, in graph order) as
    a mapping: the AttributeError of the first that is something else but not empty (a number, a string, a list,
    true), or None. (A sync run, whose tweaks go onto the flow's data, passes over such an entry.)"""
    for node in graph.nodes:
        value = (tweaks or {}).get(node.id)
        if value and not isinstance(value, dict):
            return f"'{type(value).__name__}' object has no attribute 'items'"
    return None


def _skipped(name: str, entry: Any) -> bool:
    """lfx's should_skip_field: a field the parameter handler makes no parameter of (type "other", `_type`, or hidden
    but `code`), unless override_skip; such a field never loads a global variable, whatever the run sets on it."""
    return isinstance(entry, dict) and not entry.get("override_skip") and (
        entry.get("type") == "other" or name == "_type" or (not entry.get("show") and name != "code"))


def _has_param(name: str, entry: dict[str, Any]) -> bool:
    """Whether lfx's parameter handler gives the vertex a parameter for this field as the flow holds it: not skipped,
    and (an optional field) a value or default left once its value is converted."""
    return logged_param(name, entry) is not _ABSENT or (bool(entry.get("required")) and not _skipped(name, entry))


def _fed_by_one_vertex(node: Node, name: str) -> bool:
    """Whether an edge into this field makes its parameter the source vertex itself (lfx: not a list field, nor one
    whose value is a one-key dict, which gets {key: vertex})."""
    entry = node.template[name]
    value = entry.get("value")
    return not entry.get("list") and not (isinstance(value, dict) and len(value) == 1)


# 1.13 refuses a run's tweak of these fields (lfx's protected-tweak floor): any field named or typed "code"; the
# inputs that hold code on components that run code; and the fields that point a component somewhere else.
CODE_RUNNING_TYPES = frozenset({
    "CSVAgent", "CodeAct Agent (Smolagents)", "CodeActAgentSmolagents", "Cuga", "LambdaFilterComponent",
    "OpenDsStar Agent", "OpenDsStarAgent", "Python Code Structured", "PythonCodeStructuredTool", "Python Function",
    "PythonFunction", "PythonFunctionComponent", "Python Interpreter", "PythonREPLComponent", "Python REPL",
    "PythonREPLToolComponent", "PythonREPLTool", "Smart Transform"})
CODE_FIELDS = frozenset({"allow_dangerous_code", "function_code", "python_code", "tool_code", "filter_instruction",
                         "global_imports"})
_BING = frozenset({"bing_search_url"})
PROTECTED_BY_TYPE: dict[str, frozenset[str]] = {
    "SQLComponent": frozenset({"database_url", "query"}),
    **dict.fromkeys(("BingSearchAPI", "BingSearchAPIComponent", "Bing Search API",
                     "ext:bing:BingSearchAPIComponent@official", "ext:bing:BingSearchAPIComponent@official-pre-a",
                     "lfx.components.bing.bing_search_api.BingSearchAPIComponent",
                     "lfx.components.bing.BingSearchAPIComponent"), _BING)}


# 1.13 never runs these for a visitor (a public build; a tool call of an MCP project whose auth is "none"):
# components that run code, that run another flow, or that start a local MCP server process (lfx
# flow_validation's public blocklists, matched by node type or display name).
PUBLIC_REFUSED_TYPES = CODE_RUNNING_TYPES | {"RunFlow", "SubFlow", "FlowTool", "MCPStdio",
                                             "MCP Tools (stdio) [DEPRECATED]"}


# lfx's MCPToolsComponent: its node type, its one output of its own, and the toolkit's that tool mode adds
MCP_TOOLS_TYPE = "MCPTools"
CHAT_OUTPUT_TYPE = "ChatOutput"
# Langflow's Agent: its own message's icon, the input it gives the model when the user's is blank, and the class of
# the error it raises when the model fails (lfx's ExceptionWithMessageError)
AGENT_ICON = "Bot"
AGENT_EMPTY_INPUT = "Continue the conversation."
AGENT_ERROR_TYPE = "ExceptionWithMessageError"
STRUCTURED_METHOD = "json_response"  # the method of 1.13's Agent output that builds its Structured Response
MCP_RESPONSE_OUTPUT = "response"
TOOL_OUTPUT = "component_as_tool"
# Read File's output methods, of the outputs Langflow's editor gives it (lfx's update_outputs)
FILE_MESSAGE, FILE_PATH, FILE_TABLE, FILE_JSON, FILE_ROWS = (
    "load_files_message", "load_files_path", "load_files_structured", "load_files_json", "load_files")
FILE_METHODS = (FILE_MESSAGE, FILE_PATH, FILE_TABLE, FILE_JSON, FILE_ROWS)


@dataclass(frozen=True)
class ToolTurn:
    """How lfx 1.13's events.py logs a model provider's tool-calling turn in an Agent's flat log: whether the
    turn's message holds the call as a tool_use content block (`in_content`: handle_on_chat_model_end adds it
    "Accessing" the tool and announces it, its input empty as the streamed turn's last snapshot has it, and
    handle_on_tool_start fills the input in unannounced; else the message holds no block and
    handle_on_tool_start's fallback adds the call with its input and announces it), and the id the provider
    gives the call, which the tool's ToolMessage carries: `id_prefix` and `id_length` letters or digits, or
    (`id_length` 0) a uuid4 in its text form, which the provider's LangChain integration makes for each call
    whatever the model's API sends."""

    in_content: bool
    id_prefix: str = ""
    id_length: int = 0

    def call_id(self, ids: Ids) -> str:
        if not self.id_length:
            return str(ids.uuid())
        return ids.tool_call_id(self.id_prefix, self.id_length)


# The providers whose tool-call turns 1.13's agent log is emulated for, by the names lfx 1.13's model registry
# (base/models/model_metadata.py) gives them. OpenAI (langchain-openai) keeps the calls in the message's
# tool_calls, its content "" on such a turn; so does Azure OpenAI (langchain-openai's AzureChatOpenAI, the same
# chat completions, its calls' ids OpenAI's). Anthropic (langchain-anthropic 1.4, with tools bound) keeps each
# as a tool_use content block whose streamed `input` stays {} (the arguments come as input_json_delta chunks),
# its id "toolu_01" and 22 letters or digits. Google Generative AI (langchain-google-genai 4.1) keeps the calls
# outside the content ("", [] for Gemini 3, whose thinking blocks the log skips) and gives each a uuid4;
# Ollama (langchain-ollama 0.3) likewise, its content the text the model streamed ("" on a call's turn).
# Not emulated, the call id being the serving backend's and not the integration's: Groq, IBM WatsonX (its
# deployments' vLLM parsers differ), Azure AI Foundry and OpenRouter (the routed model's).
TOOL_TURNS = {"OpenAI": ToolTurn(in_content=False, id_prefix="call_", id_length=24),
              "Anthropic": ToolTurn(in_content=True, id_prefix="toolu_01", id_length=22),
              "Google Generative AI": ToolTurn(in_content=False),
              "Ollama": ToolTurn(in_content=False),
              "Azure OpenAI": ToolTurn(in_content=False, id_prefix="call_", id_length=24)}
TOOL_TURN_PROVIDERS = f"{', '.join(list(TOOL_TURNS)[:-1])} or {list(TOOL_TURNS)[-1]}"
# lfx 1.13's get_llm reads a selection's provider through the registry's resolve_provider_id: a provider's name,
# its id and its aliases, in any case, name it (provider_registry.py _core_aliases)
PROVIDER_NAMES = {alias.casefold(): name for name, aliases in {
    "OpenAI": ("openai",), "Anthropic": ("anthropic",), "Google Generative AI": ("google-generative-ai",),
    "Ollama": ("ollama",), "Groq": ("groq",), "Azure OpenAI": ("azure-openai",),
    "Azure AI Foundry": ("azure-ai-foundry",), "IBM WatsonX": ("ibm-watsonx", "IBM watsonx.ai"),
    "OpenRouter": ("openrouter",)}.items() for alias in (name, *aliases)}


LANGUAGE_MODEL_TYPE = "LanguageModelComponent"  # lfx's unified Language Model, whose get_llm checks its model
AGENT_TYPE = "Agent"


MODEL_NAME_FIELDS = ("model_name", "model", "model_id")


def _standalone_model_names(node: Node) -> tuple[str, ...]:
    """The models a standalone model component would ask its provider for, as lfx's policy reads them before the
    component builds: its model fields (a `model_id` of "custom" adds its `custom_model`), then any model its
    `model_kwargs` or their `extra_body` name (the SDK sends those over the visible field), each once."""
    names: list[str] = []
    for name in MODEL_NAME_FIELDS:
        value = node.value(name)
        if isinstance(value, str) and value:
            names.append(value)
            custom = node.value("custom_model") if name == "model_id" and value == "custom" else None
            if isinstance(custom, str) and custom:
                names.append(custom)
    entry = node.template.get("model_kwargs")  # as lfx's parameters hold it (a list of pairs is a dict there)
    kwargs = _direct_value(entry.get("type"), entry.get("value")) if isinstance(entry, dict) else None
    if isinstance(kwargs, dict):
        for overrides in (kwargs, kwargs.get("extra_body")):
            if isinstance(overrides, dict):
                names += [v for f in MODEL_NAME_FIELDS
                          if isinstance(v := overrides.get(f), str) and v and v not in names]
    return tuple(names)


def _selected_provider(selection: Any, override: Any) -> str | None:
    """The provider a `model` field's selection names (its first choice's; a `provider` text overrides it), as
    lfx 1.13 reads it before it builds the vertex (Component._selected_model_provider_policy_ids)."""
    if isinstance(selection, dict):
        selection = [selection]
    if not isinstance(selection, list) or not selection or not isinstance(selection[0], dict):
        return None
    for given in (override, selection[0].get("provider")):
        if isinstance(given, str) and given.strip():
            return given.strip()
    return None


def component_icon(node: Node) -> str | None:
    """The icon a catalog component's own class names (what its messages carry), None for another type."""
    spec = components().get(node.type)
    icon = spec.template.get("icon") if spec is not None else None
    return icon if isinstance(icon, str) and icon else None


def _set(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _chosen_name(selection: Any) -> str | None:
    """The model name a `model` selection chooses: its first choice's (a choice given as text, the text)."""
    first = selection[0] if isinstance(selection, list) and selection else selection
    name = first.get("name") if isinstance(first, dict) else first
    return name if isinstance(name, str) and name else None


def model_selection_refusal(node: Node, *, connected: bool, provider_of: Callable[[str], str | None],
                            method: str) -> tuple[str, str] | None:
    """Why a 1.13 Language Model (LANGUAGE_MODEL_TYPE) or Agent cannot build the model its `model` field selects,
    as (reason, exception class), else None (lfx's unified models, as found against a live 1.13.0): a model name
    (text, or a list's text item) is looked up in the model catalog (`provider_of`); a Language Model's provider
    and model name overrides replace the first choice's, and need a choice to replace (a list), where a model
    connected to the field is an object; an Agent with no selection runs its legacy `agent_llm` with `model_name`.
    `method`: the output method the Language Model builds."""
    selection = node.value("model")
    if isinstance(selection, str):
        selection = [selection] if selection else []
    agent = node.type == AGENT_TYPE
    overrides = not agent and (_set(node.value("provider")) or _set(node.value("model_name")))
    if connected or not isinstance(selection, list) or not selection:
        if overrides:
            return errors.OVERRIDES_WITHOUT_SELECTION.format(method=method), "TypeError"
        if connected:
            return None
        if agent:
            legacy = _set(node.value("agent_llm")) and _set(node.value("model_name"))
            return None if legacy else (errors.AGENT_NO_MODEL, "ValueError")
        return errors.MODEL_SELECTION_REQUIRED, "ValueError"
    first = selection[0]
    override = node.value("provider") if overrides and _set(node.value("provider")) else None
    if isinstance(first, str):
        return None if override or provider_of(first) else (errors.UNKNOWN_MODEL_NAME, "ValueError")
    if not isinstance(first, dict):
        return None
    if agent:
        chosen = _set(first.get("name")) and _set(first.get("provider"))
        return None if chosen else (errors.AGENT_NO_MODEL, "ValueError")
    return None if override or _set(first.get("provider")) else (errors.SELECTION_WITHOUT_PROVIDER, "ValueError")


def raw_nodes(nodes: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each node of a flow's stored `nodes` list, the nodes of inlined group flows included, as (its `data`, its
    `data.node`, {} when missing); what is not a dict is skipped. Edits through the dicts change the graph."""
    left = [nodes]
    while left:
        current = left.pop()
        for node in current if isinstance(current, list) else []:
            data = node.get("data") if isinstance(node, dict) else None
            if not isinstance(data, dict):
                continue
            info = data.get("node") if isinstance(data.get("node"), dict) else {}
            yield data, info
            nested = info.get("flow")
            inner = nested.get("data") if isinstance(nested, dict) else None
            if isinstance(inner, dict):
                left.append(inner.get("nodes"))


def refused_for_visitors(nodes: Any) -> bool:
    """Whether a node (or one inside an inlined group's flow) is of a kind 1.13 runs for no visitor, or selects
    an MCP server it would start as a local process (an MCP Tools node pointed at a stdio server)."""
    return any(data.get("type") in PUBLIC_REFUSED_TYPES or info.get("display_name") in PUBLIC_REFUSED_TYPES
               or _selects_stdio_server(info.get("template")) for data, info in raw_nodes(nodes))


def _selects_stdio_server(template: Any) -> bool:
    """lfx 1.13's public check of MCP server selections: a field of type "mcp", named "mcp_server", or whose value
    is a selection ({"config": ...} or {"mcpServers": ...}), any config reachable from its value choosing stdio."""
    if not isinstance(template, dict):
        return False
    for key, entry in template.items():
        if not isinstance(entry, dict):
            continue
        value = entry.get("value")
        selection = entry.get("type") == "mcp" or "mcp_server" in (key, entry.get("name")) or (
            isinstance(value, dict) and ("config" in value or "mcpServers" in value))
        if selection and any(_is_stdio(config) for config in _server_configs(value)):
            return True
    return False


def _server_configs(value: Any) -> Iterator[Any]:
    """Every MCP server config a selection value reaches: itself, its `config`, its `mcpServers` entries; a list's
    items each."""
    left = [value]
    while left:
        current = left.pop()
        if isinstance(current, dict):
            yield current
            left.append(current.get("config"))
            servers = current.get("mcpServers")
            if isinstance(servers, dict):
                left.extend(servers.values())
        elif isinstance(current, list):
            left.extend(current)


def _is_stdio(config: Any) -> bool:
    """The transport lfx picks: a non-blank `mode` decides (stdio, any case), else a `command` means stdio."""
    if not isinstance(config, dict):
        return False
    mode = config.get("mode")
    if isinstance(mode, str) and mode.strip():
        return mode.strip().casefold() == "stdio"
    return bool(config.get("command"))


TEMPLATE_METHOD = "build_output"
TEMPLATE_NAME = "Custom Component"  # the template's display name, which its error messages carry


def with_server_code(data: dict[str, Any]) -> dict[str, Any] | None:
    """A copy of a flow's graph as 1.13 builds it for a visitor: every node (inlined group flows too) carrying code
    gets the server's code for its type instead, so none of a flow's own code runs; None when a node carrying
    code is of a type the server has no code for (the build is refused)."""
    graph = copy.deepcopy(data)
    known = known_types()
    for info, inner in raw_nodes(graph.get("nodes")):
        template = inner.get("template")
        code = template.get("code") if isinstance(template, dict) else None
        if isinstance(code, dict) and code.get("value"):
            kind = info.get("type")
            if not isinstance(kind, str) or kind not in known:
                return None
            code["value"] = (CUSTOM_TEMPLATE_CODE if kind == CUSTOM_TEMPLATE
                             else component_code(kind) if kind in components() else CODE_PLACEHOLDER)
    return graph


def runs_custom_template(node: Node) -> bool:
    """Whether the node is a Custom Component that runs Langflow's template rather than code of its own."""
    return node.type == CUSTOM_TEMPLATE and node.value("code") == CUSTOM_TEMPLATE_CODE


def _protected(node: Node, name: str) -> bool:
    entry = node.template.get(name)
    if not isinstance(entry, dict):
        return False  # a tweak of a field the node does not have changes nothing, so it is no refusal either
    return (name == "code" or entry.get("type") == "code" or (node.type in CODE_RUNNING_TYPES and name in CODE_FIELDS)
            or name in PROTECTED_BY_TYPE.get(node.type, ()))


def declares_api_editable(nodes: Iterable[Node]) -> bool:
    """Whether a flow's author marked any field `api_editable` (the allowlist of MCP schemas and of 1.13's
    LANGFLOW_TWEAKS_POLICY=declared)."""
    return any(isinstance(f, dict) and f.get("api_editable") is True for n in nodes for f in n.template.values())


def _refusal_reason(node: Node, name: str, policy: str, allowlist: bool) -> str | None:
    """Why 1.13 refuses a caller's tweak of a node's field under a tweaks policy, None if it does not. `off`
    refuses every field the node has with one reason (the floor unnamed); else the floor, then `declared`'s
    allowlist when the flow has one."""
    entry = node.template.get(name)
    if not isinstance(entry, dict):
        return None  # a field the node lacks is skipped, in every policy
    if policy == "off":
        return errors.OFF_TWEAK
    if _protected(node, name):
        return errors.PROTECTED_TWEAK
    if policy == "declared" and allowlist and entry.get("api_editable") is not True:
        return errors.DECLARED_TWEAK
    return None


def refused_tweaks(data: dict[str, Any] | None, tweaks: dict[str, Any], *, built: bool = False,
                   policy: str = "permissive") -> errors.TweaksRefused | None:
    """The 422 1.13 answers a run's tweaks with (None: none refused): the refused fields sorted, each reason once
    in lfx's order. Nodes are matched as apply_tweaks matches them; `built`: as a stream or background run applies
    its tweaks to the graph it built, by node id only. `policy`: LANGFLOW_TWEAKS_POLICY (permissive: the floor)."""
    if not tweaks or not isinstance(data, dict):
        return None
    graph = parse_graph(data)
    by_display = {} if built else {n.display_name: n for n in graph.nodes}
    allowlist = policy == "declared" and declares_api_editable(graph.nodes)
    targets: list[tuple[Node, Iterable[str]]] = []
    for key, value in tweaks.items():
        if isinstance(value, dict):
            node = graph.by_id.get(key) or by_display.get(key)
            if node is not None:
                targets.append((node, value))
        elif not built:
            targets.extend((node, (key,)) for node in graph.nodes)
    refused = {(name, reason) for node, names in targets for name in names
               if (reason := _refusal_reason(node, name, policy, allowlist)) is not None}
    if not refused:
        return None
    reasons = {reason for _, reason in refused}
    return errors.TweaksRefused(sorted({name for name, _ in refused}),
                                " ".join(r for r in errors.TWEAK_REASONS if r in reasons))


def refused_inputs(components: Iterable[str], policy: str) -> errors.TweaksRefused | None:
    """1.13 under LANGFLOW_TWEAKS_POLICY=off: inputs aimed at named components are refused as tweaks are."""
    targeted = sorted(set(components))
    return errors.TweaksRefused(targeted, errors.TARGETED_INPUTS_REFUSED) if policy == "off" and targeted else None


GLOBAL_VAR_PREFIX = "x-langflow-global-var-"


def global_var_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A request's X-LANGFLOW-GLOBAL-VAR-<NAME> headers as request variables, by upper-case NAME (fact 48)."""
    return {k[len(GLOBAL_VAR_PREFIX):].upper(): v for k, v in headers.items()
            if k.lower().startswith(GLOBAL_VAR_PREFIX)}


def apply_global_vars(graph: Graph, variables: dict[str, str], *, protected: bool = False) -> None:
    """Fields that load a global variable by name take the request's value of that exact name (Langflow matches
    case: a header's name is upper-cased, a v2 body global's kept as sent). `protected`: a field a tweak may not
    change (1.13) ignores the request's value and loads the user's variable. A field filled is no longer loaded."""
    if not variables:
        return
    for node in graph.nodes:
        for name, entry in list(node.template.items()):
            if isinstance(entry, dict) and entry.get("load_from_db") and isinstance(entry.get("value"), str):
                found = variables.get(entry["value"])
                if found is not None and not (protected and _protected_from_request(node, name)):
                    node.template[name] = {**entry, "value": found, "load_from_db": False}


ROW_LOAD_FLAGS = "__load_from_db_fields"  # 1.13: a table row's own choice of the cells that load a variable


def _row_wants(marks: Any, column: str) -> bool | None:
    """Whether a table row's flags ask `column` to load a variable: a dict says so per column, a list names the
    columns that do; None when they do not say."""
    if isinstance(marks, dict):
        return bool(marks[column]) if column in marks else None
    if isinstance(marks, list):
        return column in marks
    return None


def bind_variable_fields(graph: Graph, bindings: dict[str, str]) -> None:
    """A shown text field (type "str") that is empty and not already loading a variable loads the variable whose
    default_fields name its display name, as Langflow 1.13's /run does for a flow the frontend never opened."""
    if not bindings:
        return
    for node in graph.nodes:
        for name, entry in list(node.template.items()):
            if (not isinstance(entry, dict) or entry.get("show") is False or entry.get("type") != "str"
                    or entry.get("load_from_db") is True or entry.get("value") not in (None, "")):
                continue
            variable = bindings.get(entry["display_name"]) if isinstance(entry.get("display_name"), str) else None
            if variable is not None:
                node.template[name] = {**entry, "value": variable, "load_from_db": True}


def _protected_from_request(node: Node, name: str) -> bool:
    """1.13's floor for a request variable: as a tweak's, by the field's name alone (a `code`-typed field named
    otherwise is not protected here)."""
    return (name == "code" or (node.type in CODE_RUNNING_TYPES and name in CODE_FIELDS)
            or name in PROTECTED_BY_TYPE.get(node.type, ()))


def tweak_conflict(input_value: str | None, input_type: str | None, tweaks: dict[str, Any] | None) -> str | None:
    """Fact 12, as Langflow's rule has it: with an input_value in the request, a tweak giving an input_value
    (not null) to a key that names "ChatInput" or "Chat Input" is refused when input_type is "chat", and to one
    that names "TextInput" or "Text Input" when it is "text". The refusal's text, or None."""
    if input_value is None or not tweaks:
        return None
    for key, value in tweaks.items():
        if not isinstance(value, dict) or value.get("input_value") is None:
            continue
        if "ChatInput" in key or "Chat Input" in key:
            if input_type == "chat":
                return tweak_conflict_text("chat")
        elif ("TextInput" in key or "Text Input" in key) and input_type == "text":
            return tweak_conflict_text("text")
    return None


async def _no_variable(user_id: UUID | None, name: str) -> tuple[str | None, bool]:
    return None, False


# How long Langflow's in-memory job queue keeps a finished job's queue (its cleanup marks it at a periodic sweep,
# then drops it once this grace period has passed).
QUEUE_GRACE = timedelta(seconds=300)


class CaptureQueues:
    """The job queues of 1.13's memory-base capture tasks (RunRequest.memory_capture), which Langflow keeps in
    its process's memory, as the mock does: each is done at once, and its queue stays for the grace period."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.fired: deque[datetime] = deque()

    def add(self) -> None:
        now = self.clock.now()
        self._drop_before(now - QUEUE_GRACE)
        self.fired.append(now)

    def count(self) -> int:
        self._drop_before(self.clock.now() - QUEUE_GRACE)
        return len(self.fired)

    def clear(self) -> None:
        self.fired.clear()

    def _drop_before(self, since: datetime) -> None:
        while self.fired and self.fired[0] < since:
            self.fired.popleft()


# Langflow's cache keeps an entry an hour after it was set (its cache_expire default)
FROZEN_EXPIRY_S = 3600.0
FROZEN_LIMIT = 1_000
Kept = TypeVar("Kept")


class FrozenResults(Generic[Kept]):
    """What Langflow's chat service keeps in its process's memory for an hour each, by key: the last build of each
    vertex, which a frozen vertex's later runs take instead of building it (lfx's Graph.build_vertex puts every build
    in that cache; a frozen vertex takes its result from there while there is one), and each flow's graph a client
    builds vertex by vertex (Runner.vertex_graphs). A restart forgets them as there (and a reset of the runs); past
    1,000 the oldest go (Langflow: no limit). A write starts the key's hour again, as Langflow's upsert does."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, tuple[float, Kept]] = OrderedDict()

    def get(self, key: str) -> Kept | None:
        found = self._kept.get(key)
        if found is not None and time.perf_counter() - found[0] >= FROZEN_EXPIRY_S:
            del self._kept[key]
            return None
        return found[1] if found is not None else None

    def put(self, key: str, result: Kept) -> None:
        self._kept.pop(key, None)
        self._kept[key] = (time.perf_counter(), result)
        if len(self._kept) > FROZEN_LIMIT:
            self._kept.popitem(last=False)

    def forget(self, key: str) -> None:
        self._kept.pop(key, None)

    def clear(self) -> None:
        self._kept.clear()


class Runner:
    """Runs flows. One instance per app; every run gets its own graph copy and Run state."""

    def __init__(self, llm: ScriptedLLM, ids: Ids, clock: Clock, *, store_message: MessageSink,
                 discard_message: MessageEraser, read_file: FileReader, history: HistoryReader,
                 log_transaction: TransactionSink, read_variable: VariableReader | None = None,
                 read_environment: EnvironmentReader | None = None, protected_globals: bool = True,
                 secret_credentials: bool = True, table_row_flags: bool = True,
                 storage: StoragePaths | None = None, orphaned_tools: bool = False,
                 field_fallback: bool = True, human_input: bool = False,
                 check_mcp_server: McpServerCheck | None = None,
                 image_file: ImageCheck | None = None, stored_files: str = "all", pydantic_docs: str = "2.13",
                 log_trace: TraceSink | None = None, capture_memory: MemoryHook | None = None,
                 model_policy: ModelPolicyReader | None = None, tweaks_policy: str = "permissive") -> None:
        self.llm, self.ids, self.clock = llm, ids, clock
        # 1.13's LANGFLOW_TWEAKS_POLICY: what a caller's tweaks may set beyond the protected floor (refused_tweaks)
        self.tweaks_policy = tweaks_policy
        self.model_policy = model_policy  # 1.13: the model-provider policy a model or Agent vertex is checked by
        self.capture_memory = capture_memory  # 1.13's memory bases: what a capture feeds (None: nothing)
        self.pydantic_docs = pydantic_docs  # the pydantic release a validation error's docs link names
        # 1.13: an MCP Tools node re-checks, as it loads its tools, that its user may start its (stdio) server
        self.check_mcp_server = check_mcp_server
        # 1.13: a run skips a tool-mode component that feeds nothing (Graph.sort_vertices)
        self.orphaned_tools = orphaned_tools
        self.human_input = human_input  # 1.13: the Human Input node is lfx's (else a component the release lacks)
        self.storage = storage  # None: file fields are logged as the flow holds them
        # which of a Chat Input's files are images (None: none are), and what a stored message keeps of its files
        # when some are (Messages.stored_files)
        self.image_file, self.stored_files = image_file, stored_files
        self.read_variable = read_variable or _no_variable
        # the environment fallback of a field's global variable the user does not hold; None: turned off
        self.read_environment = read_environment
        # False (1.7.1): a field's variable not found fails its vertex even with the fallback on (a table's
        # cell still reads the environment)
        self.field_fallback = field_fallback
        # 1.13: a Credential's value reaches a component as a secret, refused by a field that is not a password one,
        # and a component's shown results mask the secrets it holds
        self.secret_credentials = self.masked_results = secret_credentials
        self.table_row_flags = table_row_flags
        self.protected_globals = protected_globals
        self.store_message, self.discard_message = store_message, discard_message
        self.read_file, self.history = read_file, history
        self.log_transaction = log_transaction
        self.log_trace = log_trace  # None: runs leave no native trace (profile messages.traces)
        self.captures = CaptureQueues(clock)
        self.frozen_results: FrozenResults[VertexResult] = FrozenResults()
        # each flow's run a client builds vertex by vertex (POST /build/{flow_id}/vertices), by the flow's id
        self.vertex_graphs: FrozenResults[_Run] = FrozenResults()
        # the flows whose graph a build loop made (Langflow's build_graph_and_get_order caches it by flow id)
        self.built_graphs: FrozenResults[bool] = FrozenResults()

    def graph_cached(self, key: str) -> bool:
        """Whether Langflow's chat cache would hold a flow's graph under `key`: one a build loop made, or a client
        builds vertex by vertex, in the last hour."""
        return self.built_graphs.get(key) is not None or self.vertex_graphs.get(key) is not None

    async def keep(self, request: RunRequest, message: Message) -> None:
        """Store a run's message under its owner, unless the run persists nothing (an anonymous serving run)."""
        if request.persist:
            await self.store_message(message, request.message_owner)

    async def run(self, request: RunRequest, observer: Observer | None = None) -> RunResult:
        if request.data is None:
            raise FlowHasNoData(request.flow_id) if request.flow_id else RunError("Flow has no data")
        started = self.clock.now()
        run: _Run | None = None
        try:
            run = _Run(self, request, observer or Observer())
            if request.vertex_failures and request.flow_id is not None:
                self.built_graphs.put(str(request.flow_id), True)
            result = await run.execute()
        except RunError:
            if run is not None:
                await self._trace(run, started, failed=True)
            raise
        except Disconnect:
            raise
        except Paused as pause:
            # 1.13's build loop (a background run) writes the trace of what ran before a pause (a resume merges its
            # own into it); its graph loop (an A2A run) does not: only the resumed pass's trace is written. Its
            # background run fires its memory-base capture as its pass ends, a pause too; a capture once the run
            # is done ("ran": an A2A run's sync executor) waits, as a paused run is not done
            if run is not None and request.vertex_failures:
                await self._trace(run, started, failed=bool(pause.failures) and request.failures_fail_trace)
            if request.memory_capture == "clean":
                self._capture(request, pause.failures, run.session_id if run is not None else request.session_id)
            raise
        except Exception as exc:
            # A flow's data is whatever a client stored; a shape the interpreter trips on fails this run as a
            # component's error does (a 500 of /run, an error event, a failed job), never a job left running
            # for ever or a stream cut short. The traceback is the mock's defect to fix: logged.
            logger.exception("running flow %s failed in the mock", request.flow_id)
            raise RunError(f"{type(exc).__name__}: {exc}", error_type=type(exc).__name__) from exc
        await self._trace(run, started, failed=bool(result.failures) and request.failures_fail_trace)
        self._capture(request, result.failures, result.session_id)
        return result

    def vertex_run(self, request: RunRequest, *, sort: bool = True) -> tuple[_Run, list[str], list[str]]:
        """A run whose vertices a client builds one request at a time (the vertex-by-vertex build), prepared, none
        built (_Run.build_vertex builds each), with its first layer and the vertices it builds (`sort`: False, a
        graph made without Langflow's prepare, which hands out no vertex). A graph shape the interpreter trips on is
        a RunError, as in run()."""
        try:
            run = _Run(self, request, Observer())
            first, to_run = run.prepare(sort=sort)
        except Exception as exc:
            logger.exception("preparing flow %s failed in the mock", request.flow_id)
            raise RunError(f"{type(exc).__name__}: {exc}", error_type=type(exc).__name__) from exc
        return run, first, to_run

    def _capture(self, request: RunRequest, failures: list[VertexFailure], session_id: str | None) -> None:
        """The memory-base capture a run ends with (RunRequest.memory_capture): its task's queue, and what it
        feeds the flow's memory bases."""
        if request.memory_capture == "ran" or request.memory_capture == "clean" and not any(
                not f.error.before_build for f in failures):
            self.captures.add()
            if self.capture_memory is not None and request.flow_id is not None and session_id:
                self.capture_memory(request.flow_id, session_id, request.capture_counted)

    async def _trace(self, run: _Run, started: datetime, *, failed: bool) -> None:
        """The run's native trace, once its graph has started (Langflow starts its tracers as the graph's run
        begins: a run refused before, by a file access check or a flow that needs a person, leaves none); a
        run of a flow without an id leaves none either."""
        if self.log_trace is None or not run.walking or run.request.flow_id is None:
            return
        await self.log_trace(RunTrace(run.request, run.run_id, run.session_id, started, self.clock.now(),
                                      run.spans, failed))


def masked(value: Any, secrets: set[str]) -> Any:
    """`value` as 1.13 shows a component's results: every secret's text, the longest first, replaced by
    "**********" (in strings, a message's text, nested data); never changed in place."""
    if isinstance(value, str):
        for secret in sorted(secrets, key=len, reverse=True):
            value = value.replace(secret, MASKED_SECRET)
        return value
    if isinstance(value, Message):
        # lfx sets the masked copy's text, which makes it one text block after the message's other blocks
        text = masked(value.text, secrets)
        blocks = [b for b in value.content_blocks if not (isinstance(b, dict) and b.get("type") == "text")]
        return replace(value, text=text, content_blocks=[*blocks, text_block(text)] if text else blocks)
    if isinstance(value, Value):
        return Value(message=masked(value.message, secrets), data=masked(value.data, secrets),
                     text=masked(value.text, secrets), stream=value.stream, made=masked(value.made, secrets),
                     usage=value.usage)
    if isinstance(value, dict):
        return {key: masked(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(masked(item, secrets) for item in value)
    return value


class _Run:
    def __init__(self, runner: Runner, request: RunRequest, observer: Observer) -> None:
        self.runner, self.request, self.observer = runner, request, observer
        self.graph = run_graph(request.data or {})
        self.session_id = request.session_id or (str(request.flow_id) if request.flow_id and request.flow_session
                                                 else "")
        self.run_id = request.run_id or runner.ids.uuid()
        self.values: dict[str, dict[str, Value]] = {}
        # Messages a Chat Output took over (lfx sets its fields on the Message object it gets): by the original's
        # identity, the original and what it became, for the run's results (RunResult)
        self.taken_over: dict[int, tuple[Message, Message]] = {}
        # 1.13: the secret texts each built vertex's component holds, its password fields' and its sources'
        self.secrets: dict[str, set[str]] = {}
        self.files: list[tuple[str, str]] = []
        # the Data of each file Read File read (server path, its fields, its bytes), which its other outputs use
        self.file_values: list[tuple[str, dict[str, Any], bytes]] = []
        # (node id, field) the run itself set: Langflow writes these onto a vertex's parameters as they are
        # (update_raw_params), past the parameter handler that converts the fields' own values
        self.runtime: set[tuple[str, str]] = set()
        # (node id, field) -> the field as the flow has it, before its global variable was loaded: Langflow loads
        # into the component's copy of the parameters, so the vertex's own (its transaction's inputs) keep the name
        self.loaded: dict[tuple[str, str], dict[str, Any]] = {}
        self.scripted = runner.llm.component_scripts(flow_id=request.flow_id,
                                                     names=(request.flow_name, request.endpoint_name))
        self.spans: list[RunSpan] = []  # the components built so far, for the run's native trace
        self.asked: ModelCall | None = None  # the last model call, for its component's LangChain spans
        # each 1.13 Agent's log of its LangChain callbacks while it builds, and the entries made so far
        self.agent_logs: dict[str, tuple[list[dict[str, Any]], AgentLog, str | None]] = {}
        # each Agent's chat history as its last model call read it (1.13; or traced), for its log
        self.histories: dict[str, list[tuple[str, str]]] = {}
        # 1.13: each built vertex's token usage as its result holds it (an output vertex's holds none)
        self.usage: dict[str, dict[str, int]] = {}
        self.walking = False  # the graph's run has begun (what Langflow starts its tracers at)
        # the vertex-by-vertex build, as lfx's RunnableVerticesManager keeps its state between requests: the
        # vertices the run builds, those handed out (or being built) and not built yet, and each vertex's sources
        # not built yet
        self.to_run: list[str] = []
        self.being_run: set[str] = set()
        self.pending: dict[str, set[str]] = {}
        # human in the loop (1.13): the request a Human Input node paused the run with, the vertices its decisions
        # switched off, the decisions by request id, and (a resumed run) the vertices built before the pause
        self.pause: dict[str, Any] | None = None
        # the vertices a pause does not keep, built again once the person decided: the node that asked, and an
        # Agent's tools (1.13 cannot checkpoint a tool: build.py's _rerun_non_input_predecessors builds it again)
        self.rebuilt: set[str] = set()
        resume = request.resume or Resumed()
        # the scripted reply of each Agent that asked for a tool approval, which its resumed build goes on with
        self.replies: dict[str, dict[str, Any]] = dict(resume.replies)
        # the vertices left out: those earlier decisions excluded for good (kept with the pause, shown in every
        # build's inactivated_vertices) and those this part's decisions stopped
        self.persisted: set[str] = set(resume.excluded)
        self.excluded: set[str] = set(resume.excluded)
        self.decisions: dict[str, dict[str, Any]] = dict(resume.decisions)
        self.restored: set[str] = set(resume.built)
        for node_id, outputs in resume.built.items():
            self.values[node_id] = {name: _decoded(value) for name, value in outputs.items()}

    # --- the walk -------------------------------------------------------------------------------------

    def _selection(self) -> tuple[set[str] | None, list[str]]:
        """Which vertices run (start/stop component), and which are the run's outputs."""
        g, r = self.graph, self.request
        only: set[str] | None = None
        start = r.start_component_id
        if start is None and r.stop_component_id is None and r.starts_at_input:
            start = g.first_input()
        # As Langflow sorts a partial run: a stop component keeps itself and what it depends on; a start
        # component, what it leads to and everything those depend on; an id the graph lacks leaves nothing.
        if r.stop_component_id is not None:
            only = g.upstream(r.stop_component_id) if r.stop_component_id in g.by_id else set()
        if start is not None:
            pool = set(g.by_id) if only is None else only
            reached = g.downstream(start, pool) if start in pool else set()
            only = set[str]().union(*(g.upstream(vertex, pool) for vertex in reached))
        if self.runner.orphaned_tools:
            # 1.13 leaves out a tool-mode vertex with no successor (a tool whose agent is gone), unless the run starts
            # or stops at it
            orphans = {n.id for n in g.nodes if n.tool_mode and not g.successors(n.id)}
            orphans -= {r.start_component_id, r.stop_component_id}
            if orphans:
                only = (set(g.by_id) if only is None else only) - orphans
        if r.output_component:
            # Langflow asks for that vertex by id or display name: one that names none gives no outputs
            outputs = [n.id for n in g.nodes if r.output_component in (n.id, n.display_name)]
        else:
            if r.output_type is None and any(n.is_output for n in g.nodes):
                # Langflow tests `output_type in vertex.id` on each output vertex, before any vertex runs
                raise FailedBeforeGraph(OUTPUT_TYPE_NONE, error_type="TypeError", announced=False)
            kind = (r.output_type or "chat").lower()
            # Langflow picks outputs by type name inside the node id ("chat" in "ChatOutput-...")
            outputs = [n.id for n in g.nodes
                       if kind == "debug" or (n.is_output and (kind == "any" or kind in n.id.lower()))]
            if not outputs:  # none asked for: every output vertex
                outputs = [n.id for n in g.nodes if n.is_output]
        if only is not None:
            outputs = [o for o in outputs if o in only]
        return only, outputs

    def _apply_inputs(self) -> None:
        r = self.request
        if r.tweaks_on_built_graph:
            self.runtime |= tweaks_on_built_graph(self.graph, r.tweaks)
        else:
            apply_tweaks(self.graph, r.tweaks)
        bind_variable_fields(self.graph, r.variable_fields)
        apply_global_vars(self.graph, r.global_vars, protected=self.runner.protected_globals)
        if r.session_everywhere:
            # lfx's update_raw_params without overwrite: a vertex with no session_id parameter (hidden) gets none
            for node in self.graph.nodes:
                if (node.has_field("session_id") and _has_param("session_id", node.template["session_id"])
                        and not any(e.target_field == "session_id" for e in self.graph.incoming(node.id))):
                    self._set_by_request(node, "session_id", self.session_id)
        kind = (r.input_type or "chat").lower()
        for node in self.graph.nodes:
            if r.inputs_to == "chat_input":
                # a build: Langflow hands the input to Chat Input vertices alone, whatever `type` says
                wanted = node.type == "ChatInput"
            else:
                wanted = node.kind in ("chat_input", "text_input") and (kind == "any" or kind in node.id.lower())
            if wanted:
                if r.input_value is not None:
                    self._set_by_request(node, "input_value", r.input_value)
                if r.files and (r.inputs_to == "chat_input" or node.kind == "chat_input"):
                    self._set_by_request(node, "files", list(r.files))

    def _check_file_access(self) -> None:
        """1.13's local file access check (StoragePaths.checked), for the runs that ask for it: each vertex's file
        fields as Langflow builds the graph's parameters, and each value the run sets; a refusal fails the run
        before any component."""
        r = self.request
        if not r.file_access_check:
            return
        refusal = file_access_refusal(self.graph, self.runner.storage, r.file_scopes(), self.runtime)
        if refusal is not None:
            raise FileAccessDenied(refusal)

    def _check_files_set(self, node: Node) -> None:
        """1.13, a build loop's vertex: the file values the run sets on it as it builds it (a build's or a v2
        stream or background run's `files`, on its Chat Input) are resolved and checked then, so a refusal fails
        that vertex alone, before its component is built (FileAccessDenied, before_build). A v1 run checked every
        value it set before its first vertex (_check_file_access): nothing is left to check here."""
        storage = self.runner.storage
        if self.request.file_access_check or not self.runtime or storage is None or not storage.checked:
            return
        mine = {(node_id, name) for node_id, name in self.runtime if node_id == node.id}
        scopes = self.request.file_scopes()
        if mine and (refusal := file_access_refusal(Graph([node], []), storage, scopes, mine, only_runtime=True)):
            raise FileAccessDenied(refusal, node, announced=False, before_build=True)

    async def execute(self) -> RunResult:
        r = self.request
        if r.catalog_blocked:
            from mock_langflow.store.policy_bundle import refusal

            if blocked := refusal([r.data], r.catalog_blocked):
                raise CatalogBlocked(blocked)
        fault = run_graph_fault(r.data) if r.graph_check else None
        if fault == TWEAKS_WITHOUT_NODES:  # process_tweaks' own check, before the person check
            raise GraphFault(fault)
        if r.tweaks_refused is not None:
            raise GraphFault(r.tweaks_refused)
        self._apply_inputs()
        # as a v1 run: a flow that would pause for a person is refused before its graph is built
        if r.refuse_hitl and asks_a_human(r.data, self.graph):
            raise NeedsHuman()
        if fault is not None:
            raise GraphFault(fault)
        self._check_file_access()
        self.walking = True
        gate = (r.resume.gate if r.resume is not None else None)
        if gate is not None and gate[0] in self.graph.by_id and self.runner.log_trace is not None:
            # 1.13 records the gate a resume passed as a span of its own as the resumed run starts
            node_id, request_id, action, label = gate
            self.spans.append(RunSpan(self.graph.by_id[node_id], self.runner.clock.now(), 0.0, {},
                                      outputs={"decision": action}, key=f"hitl-{request_id}",
                                      name=f"Human In The Loop \u2014 {label}"))
        order, output_ids, first = self._sorted()
        to_run = [n.id for n in order]
        # (a graph with a cycle is built in order: lfx's walk has cycle handling of its own the mock does not copy)
        walked = self.request.vertex_failures and not self.restored and not self.excluded and not _cyclic(
            self.graph, order)
        if self.restored:  # resumed: the vertices not built yet, not switched off, all of whose sources were built
            first = sorted(i for i in to_run if i not in self.restored and i not in self.excluded
                           and all(e.source in self.restored for e in self.graph.incoming(i)))
        elif walked and r.start_component_id is None:
            first = chat_input_first(first, self.graph)
        await self.observer.vertices_sorted(first, list(reversed(to_run)))
        results: list[VertexResult] = []
        failures: list[VertexFailure] = []
        running = set(to_run)
        if not self.request.vertex_failures:
            for layer in self._layers(order):
                if self.restored or self.excluded:  # what was built before a pause, or a decision switched off
                    layer = [n for n in layer if n.id not in self.restored and n.id not in self.excluded]
                    if not layer:
                        continue
                if self.pause is not None:  # lfx's graph loop checks for a pause before it builds each layer
                    raise self._paused(self.pause, results, failures)
                await self._run_layer(layer, running, results)
            return self._finished(results, output_ids, failures)
        if walked:
            await self._walk(order, first, running, results, failures)
            return self._finished(results, output_ids, failures)
        # a resumed run builds what is left in order
        stopped: set[str] = set()  # vertices that failed, or depend on one that did: never built
        for node in order:
            if node.id in self.restored or node.id in self.excluded:
                continue  # built before the pause, or on a branch a person's decision switched off
            if stopped and any(e.source in stopped for e in self.graph.incoming(node.id)):
                stopped.add(node.id)
                continue
            built = await self._build_step(node, running, results, failures)
            if built is None:
                stopped.add(node.id)
                continue
            await self._built(node, built[0], built[1], running, results)
            await self.observer.layer_built([built[0]])
        return self._finished(results, output_ids, failures)

    def _finished(self, results: list[VertexResult], output_ids: list[str],
                  failures: list[VertexFailure]) -> RunResult:
        """The run's result. Langflow makes its vertices' results once the run is done, so a Message a Chat Output
        took over shows as it became in the `results` of each vertex that handed it on (a Text Input's, a Chat
        Input's through a Pass); its artifacts and messages, and what was sent as it was built, stay as they were."""
        if self.taken_over:
            results = [self._as_taken_over(result) for result in results]
        return RunResult(self.session_id, self.run_id, self.graph, results, output_ids, failures)

    def _as_taken_over(self, result: VertexResult) -> VertexResult:
        value = result.primary
        found = self.taken_over.get(id(value.message)) if value.message is not None else None
        if found is None or found[0] is not value.message:
            return result
        return replace(result, shown=replace(value, message=found[1]))

    async def _build_step(self, node: Node, running: set[str], results: list[VertexResult],
                          failures: list[VertexFailure]) -> tuple[VertexResult, float] | None:
        """One vertex of the build loop: 1.13's pause check, then its build, as (its result, when it started); a
        component that raises fails the vertex (reported and kept in `failures`): None."""
        if self.pause is not None:  # 1.13 checks for a pause before it builds each vertex
            raise self._paused(self.pause, results, failures)
        started = time.perf_counter()
        try:
            try:
                self._check_files_set(node)
                await self.observer.vertex_started(node)
                return await self._build(node), started
            except Disconnect as drop:
                raise drop.as_error() from drop
        except VertexCrash:
            raise
        except RunError as exc:
            successors = [t for t in self.graph.successors(node.id) if t in running]
            failures.append(await self._fail(node, exc, time.perf_counter() - started, successors))
            return None

    async def _walk(self, order: list[Node], first: list[str], running: set[str], results: list[VertexResult],
                    failures: list[VertexFailure]) -> None:
        """lfx's build loop (a build, a 1.13 v2 stream or background run): it builds the first layer, then what
        each built vertex hands out as runnable next (_next_runnable: its successors once all they wait for is
        built, else the vertices they still wait for), which its end_vertex names as its next vertices. A vertex
        nothing hands out is never built (a part of the graph the first layer does not lead to); a failed vertex
        hands out nothing."""
        self.to_run = [n.id for n in order]
        self.being_run = set(first)
        self.pending = {n.id: {e.source for e in self.graph.incoming(n.id)} for n in self.graph.nodes}
        queue = deque(first)
        while queue:
            node = self.graph.by_id[queue.popleft()]
            built = await self._build_step(node, running, results, failures)
            if built is None:
                continue
            handed = self._next_runnable(node.id)
            await self._built(node, built[0], built[1], running, results, successors=handed)
            await self.observer.layer_built([built[0]])
            queue.extend(handed)

    def _sorted(self) -> tuple[list[Node], list[str], list[str]]:
        """The vertices the run builds in order, its output vertices, and its first layer (those fed by none of
        the others)."""
        only, output_ids = self._selection()
        order = self.graph.order(only)
        to_run = {n.id for n in order}
        first = [n.id for n in order if not any(e.source in to_run for e in self.graph.incoming(n.id))]
        return order, output_ids, first

    # --- the vertex-by-vertex build: a kept run whose vertices a client builds one request at a time -------

    def prepare(self, *, sort: bool = True) -> tuple[list[str], list[str]]:
        """Set the run's inputs and sort its vertices, building none (lfx's Graph.prepare): its first layer, sorted,
        and the vertices it builds, in the order a build's `vertices_sorted` lists them. Unsorted (`sort` False:
        lfx's graph that was never prepared), it builds no vertex of its own accord: none is ever handed out."""
        self._apply_inputs()
        self.walking = True
        if not sort:
            return [], []
        order, _, first = self._sorted()
        self.to_run = [n.id for n in order]
        self.being_run = set(first)
        self.pending = {n.id: {e.source for e in self.graph.incoming(n.id)} for n in self.graph.nodes}
        return sorted(first), list(reversed(self.to_run))

    async def build_vertex(self, node: Node, *, input_value: str | None = None, files: list[str] | None = None,
                           session: str | None = None) -> VertexResult | VertexFailure:
        """Build one vertex of a prepared run from what its sources built earlier, as lfx's Graph.build_vertex does
        for the vertex-by-vertex build: `session` fills its empty session_id, a Chat Input takes `input_value` and
        `files`. A source not built yet fails it before its component ("Component <name> has not been built
        yet"); a component that raises fails it as in a build. A built vertex's result lists as its successors
        the vertices to build next (_next_runnable); a failed one stays handed out, so no later build lists it."""
        self.being_run.add(node.id)
        if session is not None and node.has_field("session_id") and not node.value("session_id"):
            self._set_by_request(node, "session_id", session)
        if node.type == "ChatInput" and node.is_input:
            if input_value is not None:
                self._set_by_request(node, "input_value", input_value)
            if files:
                self._set_by_request(node, "files", list(files))
        started = time.perf_counter()
        try:
            unbuilt = next((e.source for e in self.graph.incoming(node.id) if e.source not in self.values), None)
            if unbuilt is not None:
                source = self.graph.by_id[unbuilt].display_name
                raise RunError(f"Component {source} has not been built yet", node, before_build=True)
            self._check_files_set(node)
            result = await self._build(node)
        except RunError as exc:
            return await self._fail(node, exc, time.perf_counter() - started, [])
        except Exception as exc:  # a shape the interpreter trips on fails the vertex, as in run(); logged
            logger.exception("building vertex %s failed in the mock", node.id)
            error = RunError(f"{type(exc).__name__}: {exc}", node, error_type=type(exc).__name__)
            return await self._fail(node, error, time.perf_counter() - started, [])
        await self._built(node, result, started, set(self.to_run), [])
        result.successors = self._next_runnable(node.id)
        return result

    def _next_runnable(self, node_id: str) -> list[str]:
        """What lfx's Graph.get_next_runnable_vertices answers once the vertex is built: it is no longer being
        built nor pending for its successors; each successor that is now runnable, else the runnable vertices
        among what it still waits for (searched back through what those wait for), are handed out, sorted (only
        the stop component, when it is one of them)."""
        self.being_run.discard(node_id)
        for successor in self.graph.successors(node_id):
            self.pending.get(successor, set()).discard(node_id)
        found: set[str] = set()
        for successor in sorted(self.graph.successors(node_id)):
            if self._runnable(successor):
                found.add(successor)
            else:
                self._runnable_sources(successor, found, set())
        found.discard(node_id)
        self.being_run |= found
        stop = self.request.stop_component_id
        return [stop] if stop in found else sorted(found)

    def _runnable(self, node_id: str) -> bool:
        return (node_id in self.to_run and node_id not in self.being_run and node_id not in self.excluded
                and not self.pending.get(node_id))

    def _runnable_sources(self, node_id: str, found: set[str], seen: set[str]) -> None:
        for source in self.pending.get(node_id, set()):
            if source not in seen:
                seen.add(source)
                if self._runnable(source):
                    found.add(source)
                else:
                    self._runnable_sources(source, found, seen)

    def _set_by_request(self, node: Node, name: str, value: Any) -> None:
        node.set(name, value)
        self.runtime.add((node.id, name))

    def _paused(self, request: dict[str, Any], results: list[VertexResult], failures: list[VertexFailure]) -> Paused:
        """The pause a Human Input node or an Agent asked for (`request`), with what the run did before it."""
        return Paused(request, self._checkpoint(results), results, self._kept_off(), self.decisions, failures,
                      self.replies)

    def _kept_off(self) -> set[str]:
        """What a pause keeps switched off for good: 1.13 turns the branches every decided Human Input of this run
        did not choose into conditional exclusions, which a checkpoint keeps."""
        kept = set(self.persisted)
        for node in self.graph.nodes:
            decision = self.decisions.get(f"{node.id}:{self.run_id}") if node.kind == "human_input" else None
            if decision:
                kept |= excluded_by(self.graph, node, decision.get("action_id"))
        return kept

    def _checkpoint(self, results: list[VertexResult]) -> dict[str, dict[str, Any]]:
        """What each vertex built so far (before this part of the run too) output, as a paused run keeps it."""
        built = dict((self.request.resume or Resumed()).built)
        for result in results:
            if result.node.id not in self.rebuilt:
                built[result.node.id] = {name: _encoded(value) for name, value in result.outputs.items()}
        return built

    async def _built(self, node: Node, result: VertexResult, started: float, running: set[str],
                     results: list[VertexResult], *, successors: list[str] | None = None) -> None:
        result.duration_s = time.perf_counter() - started
        # (not those a person's decision switched off: 1.13 never makes them runnable); `successors`: what the
        # build loop handed out next
        result.successors = successors if successors is not None else [
            t for t in self.graph.successors(node.id) if t in running and t not in self.excluded]
        result.sink = not self.graph.successors(node.id)
        result.inactivated = sorted(set(result.inactivated) | self.persisted)
        logged = None  # a reused result (frozen): nothing was built, so nothing is kept, logged or traced
        if not result.frozen:
            if not any(value.stream is not None for value in result.outputs.values()):
                # what a frozen vertex reuses: the build as it was made, before its shown results are masked (a
                # streamed reply is read once: a build that streams is never kept)
                self.runner.frozen_results.put(self._frozen_key(node), replace(result))
            logged = self._logged_inputs(node)
            await self._log_transaction(node, logged, result)
        self.values[node.id] = result.outputs
        if result.usage is not None and not node.is_output:
            self.usage[node.id] = result.usage
        if self.runner.masked_results:
            self._mask(node, result)
        if logged is not None:
            self._span(node, logged, result.duration_s, result=result)  # 1.13 traces the results it shows: masked
        results.append(result)
        await self.observer.vertex_done(result)

    def _mask(self, node: Node, result: VertexResult) -> None:
        """1.13 shows a component's results (run outputs, build data) with the text of every secret it holds
        masked: its password fields' values and those its sources held. What it passes on along edges, stores and
        announces keeps them."""
        secrets = {value for entry in node.template.values() if isinstance(entry, dict) and entry.get("password")
                   and isinstance(value := entry.get("value"), str) and value}
        for edge in self.graph.incoming(node.id):
            secrets |= self.secrets.get(edge.source, set())
        self.secrets[node.id] = secrets
        if secrets:
            result.outputs = masked(result.outputs, secrets)
            result.artifacts = masked(result.artifacts, secrets)

    def _layers(self, order: list[Node]) -> list[list[Node]]:
        """The layers Langflow's graph loop runs a flow in: a vertex runs in the layer after the last of its
        predecessors (the first layer: those with none), and a layer after the first holds, for each vertex of
        the one before in turn, the successors it made runnable, sorted by id."""
        position = {n.id: i for i, n in enumerate(order)}
        level: dict[str, int] = {}
        for node in order:  # a predecessor later in the order closes a cycle: it does not hold the vertex back
            earlier = [level[e.source] for e in self.graph.incoming(node.id)
                       if e.source in level and position[e.source] < position[node.id]]
            level[node.id] = max(earlier) + 1 if earlier else 0
        layers = [[n.id for n in order if level[n.id] == 0]]
        for depth in range(1, max(level.values(), default=0) + 1):
            layer = [t for previous in layers[-1] for t in sorted(self.graph.successors(previous))
                     if level.get(t) == depth]
            layers.append(list(dict.fromkeys(layer)))
        return [[self.graph.by_id[i] for i in layer] for layer in layers if layer]

    async def _run_layer(self, layer: list[Node], running: set[str], results: list[VertexResult]) -> None:
        """One layer of Langflow's graph loop (every run but a build). Its vertices run side by side, so one that
        raises stops none of the others; once all are done, the layer's results are reported, up to the first
        that raised, and the run fails with that one's error (a component that raises still stores and announces
        its error message, and its vertex logs an error transaction, as it fails)."""
        done: list[VertexResult] = []
        raised: tuple[RunError, VertexFailure] | None = None
        for node in layer:
            started = time.perf_counter()
            await self.observer.vertex_started(node)
            try:
                result = await self._build(node)
            except VertexCrash:
                raise
            except RunError as exc:
                trace = component_traceback(node, exc)
                await self._report(node, exc, trace, time.perf_counter() - started)
                if raised is None:
                    raised = exc, VertexFailure(node, exc, trace, time.perf_counter() - started,
                                                sink=not self.graph.successors(node.id))
                continue
            await self._built(node, result, started, running, results)
            if raised is None:
                done.append(result)
        await self.observer.layer_built(done, raised=raised is not None)
        if raised is not None:
            await self.observer.vertex_raised(raised[1])
            raise raised[0]

    async def _fail(self, node: Node, error: RunError, duration_s: float, successors: list[str]) -> VertexFailure:
        """What Langflow does when a vertex's component raises during a build: the component stores and
        announces an error message (when the run has a session), the vertex logs an error transaction, and
        the build reports the vertex as invalid."""
        trace = component_traceback(node, error)
        detailed = self.request.error_details
        failure = VertexFailure(node, error, trace if detailed else "", duration_s, successors,
                                sink=not self.graph.successors(node.id), detailed=detailed)
        await self._report(node, error, trace, duration_s)
        await self.observer.vertex_failed(failure)
        return failure

    async def _report(self, node: Node, error: RunError, stack_trace: str, duration_s: float) -> None:
        """A raising component's error message (stored and announced when the run has a session) and its vertex's
        error transaction, as every run path has them; none for a vertex that failed before or outside its
        component (before_build)."""
        if error.before_build:
            return
        if self.session_id and error.announced:
            # A model's reply that fails while a Chat Output streams it is reported from the message's source.
            streamed = node.kind == "chat_output" and error.node is not None and error.node.id != node.id
            name = error.component_name or node.display_name
            source = self._source_of(node) if streamed else Source(node.id, name, name)
            text = f"{error.said}\n"
            if error.code:
                markdown = f"**{error.reason}**\n - **Code: {error.code}**\n"
            elif error.error_type == "ValidationError":  # pydantic's, which has no args: its text as a code block
                markdown = f"**ValidationError**\n - **Details:**\n\n```python\n{error.reason}\n```\n"
            else:
                markdown = f"**{error.error_type}**\n - **Details: {error.said}**\n"
            blocks = error_blocks(text, markdown,
                                  stack_trace, component=source.display_name)
            message = Message(id=self.runner.ids.uuid(), flow_id=self.request.flow_id, session_id=self.session_id,
                              text=text, sender=source.display_name, sender_name=source.display_name,
                              timestamp=self.runner.clock.now(), run_id=self.run_id, source=source,
                              category="error", error=True, content_blocks=blocks, context_id=None).as_stored()
            await self.runner.keep(self.request, message)
            await self.observer.component_error(message)
        logged = self._logged_inputs(node)
        await self._log_transaction(node, logged, error)
        if error.announced:  # Langflow traces a component's build only: a failure loading its fields has no span
            self._span(node, logged, duration_s, error=error)

    async def _log_transaction(self, node: Node, logged: dict[str, Any], result: VertexResult | RunError) -> None:
        if self.request.persist:  # an anonymous serving run logs none (lfx log_transaction)
            await self.runner.log_transaction(self.request.flow_id, node, logged, result)

    def _span(self, node: Node, logged: dict[str, Any], duration_s: float, *, result: VertexResult | None = None,
              error: RunError | None = None) -> None:
        """The component's span for the run's native trace (when runs leave one): its traced inputs, and its
        outputs or the error it raised."""
        if self.runner.log_trace is None:
            return
        outputs = {name: value.traced() for name, value in result.outputs.items()} if result is not None else None
        asked, self.asked = self.asked, None
        from mock_langflow.engine.lc_spans import component_spans  # (the first model call imports it)

        children = [] if asked is None or asked.node_id != node.id else component_spans(
            node.kind, asked, self.runner.ids.uuid, current().messages.agent_trace,
            call_limit=node.value("max_iterations") is not None, gated=bool(self._approval_gates(node)))
        self.spans.append(RunSpan(node, self.runner.clock.now(), duration_s, self._traced_inputs(node, logged),
                                  outputs=outputs, error=error.reason if error is not None else None,
                                  children=children))

    def _traced_inputs(self, node: Node, logged: dict[str, Any]) -> dict[str, Any]:
        """A component's inputs as Langflow's tracer records them: the value each input the component declares
        holds as it builds (get_trace_as_inputs), not the fields it declares no input for (a prompt's variables).
        A field's value as its transaction logs it (`logged`); a field that loads a global variable, the variable's
        value (the transaction logs its name); a field with no parameter (hidden, of type "other", optional
        without a value), the value its input keeps, the one the template holds; a connected field's, what came
        along the edge (a text field's: the text, as its input type validates it). 1.13 shows a password field's
        as ten asterisks (1.8 its value); then any key holding api_key, password or server_url, at any depth of a
        field's own value, as five."""
        raw: dict[str, Any] = {k: v for k, v in logged.items() if k not in node.custom_fields}
        edges = {e.target_field for e in self.graph.incoming(node.id)}
        for name, entry in node.template.items():
            if name in edges or name in node.custom_fields or name == "code" or not isinstance(entry, dict):
                continue
            if (node.id, name) in self.loaded and (node.id, name) not in self.runtime:
                raw[name] = entry.get("value")
            elif name not in raw:
                raw[name] = entry.get("value", "")  # (an input declared without a value holds "")
        for name, values in self._inputs(node).items():
            if name in node.custom_fields:
                continue
            entry = node.template.get(name)
            kind = entry.get("_input_type") if isinstance(entry, dict) else None
            text = isinstance(kind, str) and kind in TEXT_INPUT_TYPES  # a stored graph may hold anything there
            found = [_text_value(v) if text else _Traced(v) for v in values]
            raw[name] = found[0] if len(found) == 1 else found
        passwords = self.runner.secret_credentials  # 1.13's get_trace_as_inputs: a password input's value is hidden
        traced: dict[str, Any] = {}
        for name, value in raw.items():
            if _secret_key(name):
                traced[name] = TRACE_SECRET
            elif passwords and isinstance(entry := node.template.get(name), dict) and entry.get("password"):
                traced[name] = TRACE_PASSWORD
            elif value.__class__ in (dict, list, _Traced):
                traced[name] = trace_masked(value)
            else:
                traced[name] = value
        return traced

    def _logged_inputs(self, node: Node) -> dict[str, Any]:
        """A transaction's inputs: the vertex's parameters as Langflow builds them from the node's own fields
        (logged_param), without `code` and the connected fields; what the run itself set (its input, files and
        session) as it was set. Secret fields are logged too: Langflow logs every field's value, then masks some by
        their names (app.py _transactions)."""
        connected = {e.target_field for e in self.graph.incoming(node.id)}
        logged = {}
        for name, entry in sorted(node.template.items()):
            entry = self.loaded.get((node.id, name), entry)
            if not isinstance(entry, dict) or name in connected or name == "code":
                continue
            value = entry.get("value")
            # a build fills an empty session_id (hidden too) with the run's before logging; other runs set it already
            if name == "session_id" and not value and not self.request.session_everywhere:
                logged[name] = self.session_id
            elif (node.id, name) in self.runtime:
                value = self._set_by_run(entry)
                if value is not None:
                    logged[name] = _primitive(value)
            elif (param := self._logged_param(node, name, entry)) is not _ABSENT:
                logged[name] = param
        return logged

    def _logged_param(self, node: Node, name: str, entry: dict[str, Any]) -> Any:
        """logged_param of the field, which for a field of any type but "file" (the storage's paths) depends on its
        name and entry alone: worked out once per stored entry (Node.derive), shared by the runs' transactions,
        which copy it as they mask it, and their traces, as they clean it up."""
        storage = self.runner.storage
        if entry.get("type") == "file":
            return logged_param(name, entry, storage)
        return node.derive(name, entry, lambda: logged_param(name, entry, storage))

    def _inputs(self, node: Node) -> dict[str, list[Value]]:
        """Each field's incoming values, from the outputs of the vertices connected to it."""
        found: dict[str, list[Value]] = {}
        for edge in self.graph.incoming(node.id):
            outputs = self.values.get(edge.source)
            if not outputs:
                continue
            value = outputs.get(edge.source_output) or next(iter(outputs.values()), None)
            if value is not None:
                found.setdefault(edge.target_field, []).append(value)
        return found

    def _text(self, node: Node, field_name: str, inputs: dict[str, list[Value]]) -> str:
        connected = inputs.get(field_name)
        if connected:
            return "\n".join(v.as_text for v in connected)
        value = node.value(field_name, "")
        return value if isinstance(value, str) else str(value)

    def _source_of(self, node: Node) -> Source:
        """Chat Output's message source: the vertex feeding it (a model reports its model name: its `model_name`,
        else the name its `model` selection chooses, as a live 1.13.0 shows)."""
        for edge in self.graph.incoming(node.id):
            if edge.target_field == "input_value":
                src = self.graph.by_id[edge.source]
                name = (src.value("model_name") or _chosen_name(src.value("model"))) \
                    if src.kind in ("model", "agent") else None
                return Source(src.id, src.display_name, str(name) if name else src.display_name)
        return Source()

    def _message(self, text: str, *, sender: str | None, sender_name: str | None, session: str, source: Source,
                 node: Node, files: Iterable[str] = (), state: str = "complete",
                 usage: dict[str, int] | None = None) -> Message:
        return Message(id=self.runner.ids.uuid(), flow_id=self.request.flow_id, session_id=session, text=text,
                       sender=sender, sender_name=sender_name, timestamp=self.runner.clock.now(),
                       run_id=self.run_id, source=source, files=list(files),
                       context_id=str(node.value("context_id", "")), state=state, usage=usage)

    async def _announce(self, node: Node, message: Message, *, made: bool = True) -> Message:
        """Store (when the node keeps history and the run has a session) and announce a chat message. One the node
        `made` and does not store comes back as Langflow shows a Message no store gave an id (Message.unstored)."""
        if message.session_id and node.value("should_store_message", True):
            await self.runner.keep(self.request, message)
            await self.observer.message(message)
            return message
        return replace(message, unstored=node.kind) if made else message

    # --- what each kind of node does ------------------------------------------------------------------

    async def _load_variables(self, node: Node) -> None:
        """Langflow fills a vertex's fields that load a global variable (the field's value names it) just before
        its component builds: from the user's variables (an anonymous run's: none), else from the server's
        environment variable of that name (None when unset), else (a build, or the fallback turned off) the
        vertex fails. A Credential a Session ID field names fails it too, and in 1.13 one that a field other
        than a password field loads. A connected field takes its edge's value instead."""
        connected = {e.target_field for e in self.graph.incoming(node.id)}
        refusal: str | None = None  # the component validates its fields once every variable is loaded
        refusal_type = "ValidationError"
        for name, entry in list(node.template.items()):
            # lfx lists the fields to load as it makes the graph's parameters: one it makes none of loads nothing,
            # even when the run sets its value
            if _skipped(name, entry):
                continue
            if (isinstance(entry, dict) and entry.get("table_schema") and name not in connected
                    and (rows := await self._load_table(entry, node))):
                self.loaded[(node.id, name)] = entry
                node.template[name] = {**entry, "value": rows}
                continue
            if (not isinstance(entry, dict) or not entry.get("load_from_db") or name in connected
                    or not isinstance(entry.get("value"), str) or not entry["value"]):
                continue
            whose = None if self.request.anonymous else self.request.reader_id
            found, credential = await self._read_variable(whose, entry["value"], node, name)
            if credential and name == "session_id":
                raise RunError(credential_in_session_id(entry["value"]), node, error_type="TypeError",
                               announced=False)
            if credential and found is not None and self.runner.secret_credentials and not entry.get("password"):
                # 1.13: the component gets a secret, which a field that is not a password one either refuses or
                # keeps wrapped, its text masked (a prompt variable fills in "**********")
                kind = str(entry.get("_input_type") or "")
                if refusal is None and (refusal := credential_in_plain_field(kind, name, entry)):
                    refusal_type = credential_refusal_type(kind)
                found = MASKED_SECRET
            environment = None if self.request.variables_required or not self.runner.field_fallback \
                else self.runner.read_environment
            if found is None and environment is not None:
                found = environment(entry["value"])
            elif found is None and not credential:  # a Credential that does not decrypt reads as None
                raise RunError(variable_not_found(entry["value"]), node, announced=False)
            self.loaded[(node.id, name)] = entry
            node.template[name] = {**entry, "value": found, "load_from_db": False}
        if refusal is not None:
            raise RunError(refusal, node, error_type=refusal_type, announced=False)

    async def _read_variable(self, whose: UUID | None, name: str, node: Node,
                             field_name: str | None = None) -> tuple[str | None, bool]:
        """The run's read of a global variable; a value the release cannot decrypt and fails on (1.7.1's
        InvalidToken) fails the vertex, before its component runs (a Credential in a Session ID field is refused
        first, as ever)."""
        try:
            return await self.runner.read_variable(whose, name)
        except VariableUndecryptable as exc:
            if exc.credential and field_name == "session_id":
                return None, True
            raise RunError(exc.reason, node, error_type=exc.error_type, announced=False) from None

    async def _load_table(self, entry: dict[str, Any], node: Node) -> list[Any] | None:
        """A table field's rows with the cells of its `load_from_db` columns (table_schema) holding the variables
        they name, or None when it has none. A cell's variable not found reads the environment, else is None; a
        table never fails its vertex. 1.13 (run.table_row_flags): a row's `__load_from_db_fields` (a list of
        columns, or {column: bool}) chooses its cells, is dropped from the row, and a cell it does not mention keeps
        its text when no variable is found."""
        schema, rows = entry.get("table_schema"), entry.get("value")
        columns = [c["name"] for c in schema if isinstance(c, dict) and c.get("load_from_db") and c.get("name")] \
            if isinstance(schema, list) else []
        if not columns or not isinstance(rows, list) or not rows:
            return None
        flagged = self.runner.table_row_flags
        environment = None if self.request.variables_required else self.runner.read_environment
        loaded: list[Any] = []
        for row in rows:
            if not isinstance(row, dict):
                loaded.append(row)
                continue
            row = dict(row)
            marks = row.pop(ROW_LOAD_FLAGS, None) if flagged else None
            for column in columns:
                if column not in row or not row[column]:
                    continue
                wanted = _row_wants(marks, column) if flagged else True
                if wanted is False:
                    continue
                name = row[column]
                whose = None if self.request.anonymous else self.request.reader_id
                found, credential = (await self._read_variable(whose, name, node)
                                     if isinstance(name, str) else (None, False))
                if credential and found is not None and self.runner.secret_credentials:
                    found = MASKED_SECRET
                if found is None and environment is not None and isinstance(name, str):
                    found = environment(name)
                if found is not None or wanted is True:
                    row[column] = found
            loaded.append(row)
        return loaded

    def _unescape(self, node: Node) -> None:
        """lfx's parameter handler turns the text `\\n` of a str field's value (and of each text in a list one)
        into a newline before the component reads it; what the run itself set (update_raw_params: the request's
        input, a stream run's tweaks) and the global variables loaded afterwards reach it as they are."""
        for name, entry in list(node.template.items()):
            if (not isinstance(entry, dict) or entry.get("type") != "str" or (node.id, name) in self.runtime
                    or not (entry.get("show") or entry.get("override_skip"))):
                continue
            value = entry.get("value")
            if isinstance(value, str) and "\\n" in value:
                node.template[name] = {**entry, "value": value.replace("\\n", "\n")}
            elif isinstance(value, list) and any(isinstance(v, str) and "\\n" in v for v in value):
                node.template[name] = {**entry, "value": [v.replace("\\n", "\n") if isinstance(v, str) else v
                                                          for v in value]}

    def _hidden(self, node: Node, name: str, entry: Any) -> bool:
        """lfx's parameter handler skips a hidden field (show false or absent) other than `code`, unless it is
        override_skip: its value (stored or a /run tweak's) is no parameter and loads no global variable, so the
        component keeps its own default. What the run sets on the vertex (its input, files, session, a v2 stream's
        tweaks) reaches it whatever `show` says, as it is: it loads no variable either (_skipped). Every release
        does this."""
        return (isinstance(entry, dict) and not entry.get("show") and not entry.get("override_skip")
                and name != "code" and (node.id, name) not in self.runtime)

    def _shown(self, node: Node) -> Node:
        """The vertex as its component sees it: its hidden fields without their values or file paths (the call
        sites' defaults are the components' own)."""
        hidden = {name for name, entry in node.template.items() if self._hidden(node, name, entry)}
        if not any(key in node.template[name] for name in hidden for key in _FIELD_VALUES):
            return node
        template = {name: ({k: v for k, v in entry.items() if k not in _FIELD_VALUES} if name in hidden else entry)
                    for name, entry in node.template.items()}
        return replace(node, template=template)

    async def _build(self, node: Node) -> VertexResult:
        self._unescape(node)
        self._check_model_policy(node, preflight=True)
        if node.frozen and (kept := self.runner.frozen_results.get(self._frozen_key(node))) is not None:
            # (1.13 checks the model policy first: a result kept from before a policy change is not reused)
            return replace(kept, node=node, duration_s=0.0, stored=None, successors=[], inactivated=[], frozen=True)
        await self._load_variables(node)
        inputs = self._inputs(node)
        if runs_custom_template(node):
            return await self._run_custom_template(node, inputs)
        await self._check_mcp_server(node)
        script = scripted_for(node, self.scripted)
        if script is not None:
            return await self._run_scripted(node, inputs, script)
        self._check_model_selection(node)
        self._check_model_policy(node, preflight=False)
        handler = getattr(self, f"_run_{node.kind}", self._run_passthrough)
        result: VertexResult = await handler(self._shown(node), inputs)
        return result

    def _frozen_key(self, node: Node) -> str:
        return self._frozen_owner + node.id

    @functools.cached_property
    def _frozen_owner(self) -> str:
        """Whose last build of a vertex a frozen one reuses (profile run.frozen_results): the run's user's (a run
        without one: its flow's), or anyone's (the vertex id alone). A serving-plane run on behalf of an end user
        reuses that end user's only (lfx's _vertex_result_cache_key)."""
        if current().run.frozen_results == "shared":
            return ""
        if self.request.user_id is not None:
            end_user = (self.request.end_user_id or "").strip()
            return f"user:{self.request.user_id}:end-user:{end_user}:" if end_user else f"user:{self.request.user_id}:"
        return f"flow:{self.request.flow_id}:"

    @functools.cached_property
    def _provider_policy(self) -> ProviderPolicy | None:
        """1.13's model-provider policy, read once a run, as its first model or Agent vertex builds."""
        read = self.runner.model_policy
        return read() if read is not None else None

    def _check_model_policy(self, node: Node, *, preflight: bool) -> None:
        """1.13's model-provider policy on a model or Agent vertex. As the vertex starts to build, before its
        global variables load (lfx's Vertex._build, arequire_model_provider_policy: not announced, its text
        alone): the providers its `model` selection and its legacy `agent_llm` name, and a standalone model
        component's (OpenAIModel, ...) provider and models. As the component builds its model (get_llm: an
        announced component error): the model a Language Model's or an Agent's selection names."""
        if node.kind not in MODEL_KINDS or self.runner.model_policy is None:
            return
        policy = self._provider_policy
        if policy is None:
            return
        connected = self._model_connected(node)
        standalone = node.kind == "model" and node.type != LANGUAGE_MODEL_TYPE and node.type.endswith("Model")
        refusal = self._policy_refusal(node, policy, connected=connected, standalone=standalone) if preflight \
            else self._model_refusal(node, policy, connected=connected, standalone=standalone)
        if refusal is not None:
            raise RunError(refusal, node, error_type=MODEL_POLICY_ERROR, announced=not preflight,
                           before_build=preflight, code=MODEL_POLICY_CODE)

    def _model_connected(self, node: Node) -> bool:
        """Whether a model component is connected to the node's `model` field (its selection is that model)."""
        return any(edge.target_field == "model" for edge in self.graph.incoming(node.id))

    def _check_model_selection(self, node: Node) -> None:
        """1.13's check of a Language Model's or an Agent's `model` selection as the component builds its model
        (profile run.model_selection): an announced component error, before the model is asked (an Agent's own
        message is not made)."""
        if node.type not in (LANGUAGE_MODEL_TYPE, AGENT_TYPE) or not current().run.model_selection:
            return
        if node.kind == "agent" and self._built_outputs(node) == [self._structured_output(node)]:
            return  # its Structured Response gives the refusal as its error (_structured_response)
        refusal = self._selection_refusal(node)
        if refusal is not None:
            raise RunError(refusal[0], node, error_type=refusal[1])

    def _selection_refusal(self, node: Node) -> tuple[str, str] | None:
        """Why the node's model cannot be built from its `model` selection (model_selection_refusal), if it cannot."""
        from mock_langflow.model_catalog import catalog_for  # (only the runs of models and Agents read it)

        models = current().models
        return model_selection_refusal(
            node, connected=self._model_connected(node),
            provider_of=catalog_for(models.catalog, models.dialect).provider_of,
            method="build_model" if self._built_outputs(node) == ["model_output"] else "text_response")

    @staticmethod
    def _policy_refusal(node: Node, policy: ProviderPolicy, *, connected: bool, standalone: bool) -> str | None:
        providers = [] if connected else [p for p in [_selected_provider(node.value("model"), node.value(
            "provider"))] if p]
        legacy = node.value("agent_llm")
        if isinstance(legacy, str) and legacy.strip() and legacy.strip() != "Custom":
            providers.append(legacy.strip())
        refusal = next((r for p in providers if (r := policy.refusal(p)) is not None), None)
        if refusal is not None or not standalone:
            return refusal
        # lfx names a standalone component's provider by its display name when the registry knows it, else by its
        # package (the mock: its type without "Model")
        provider = node.display_name if policy.catalog.provider_id(node.display_name) \
            else node.type.removesuffix("Model")
        return policy.refusal(provider, _standalone_model_names(node))

    @staticmethod
    def _model_refusal(node: Node, policy: ProviderPolicy, *, connected: bool, standalone: bool) -> str | None:
        """The model get_llm is handed: a `model` selection's first choice (a Language Model's provider and model
        name overrides replacing its own), or an Agent's legacy `agent_llm` with its `model_name` (a Language Model
        without a selection failed its selection check before)."""
        if connected or standalone:
            return None
        selection, name = node.value("model"), node.value("model_name")
        if isinstance(selection, dict):
            selection = [selection]
        language_model = node.type == LANGUAGE_MODEL_TYPE
        if provider := _selected_provider(selection, node.value("provider") if language_model else None):
            name = name if language_model and _set(name) else selection[0].get("name")
        elif node.kind == "agent" and name:
            provider = node.value("agent_llm")
        else:
            return None
        if not isinstance(provider, str) or not provider.strip() or provider.strip() == "Custom":
            return None
        return policy.refusal(provider.strip(), (name,) if isinstance(name, str) and name else ())

    async def _check_mcp_server(self, node: Node) -> None:
        """1.13's MCP Tools component loads its server's tools as it builds (its Response output's build_output, or
        in tool mode to_toolkit) from the config it resolves (the user's server of that name, else the node's own
        config): with none it fails as "not configured", else it first applies the stdio policy, whose refusal
        fails the vertex with the 403 in its text. Before 1.13 a list that cannot be read fails it, and with no
        config the list stays empty. An empty list (no server name, in every release) fails the Response output
        of a node that selects a tool: its lookup in the loaded tools is a KeyError. Nothing else of the
        component is simulated. A visitor's run never gets here with a stdio config in the node."""
        user_id = self.request.reader_id
        if (self.runner.check_mcp_server is None or node.type != MCP_TOOLS_TYPE or user_id is None
                or self.request.anonymous):
            return
        wanted = self._processed(node)
        if wanted and not wanted & {MCP_RESPONSE_OUTPUT, TOOL_OUTPUT}:
            return  # no output of the component that loads tools is built
        refusal, empty = await self.runner.check_mcp_server(user_id, node.value("mcp_server"))
        response = not wanted or MCP_RESPONSE_OUTPUT in wanted
        if refusal is not None:
            tool_list = f"Error updating tool list: {refusal}"
            raise RunError(f"Error in build_output: {tool_list}" if response else tool_list, node)
        tool = node.value("tool", "")
        if empty and response and isinstance(tool, str) and tool:
            raise RunError(f"Error in build_output: {tool!r}", node)  # (the KeyError's text)

    def _result(self, node: Node, value: Value, *, stored: Message | None = None,
                artifacts: dict[str, Any] | None = None, logs: list[dict[str, Any]] | None = None,
                output: str | None = None, usage: dict[str, int] | None = None) -> VertexResult:
        """The vertex's result: `value` under its output (`output`, else its first); `usage`: the token usage its
        component reports as its own."""
        name = output or node.first_output
        if artifacts is None:
            artifacts = value.message.artifacts() if value.message else {"message": value.as_text, "type": "text"}
        return VertexResult(node, {name: value}, artifacts, logs or [], 0.0, stored, usage=usage)

    async def _run_chat_input(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        if "input_value" not in inputs and not isinstance(node.value("input_value", ""), str):
            raise RunError(MESSAGE_FIELDS_MISSING, node)  # a tweak set a number or a list: Message(text=42) fails
        text = self._text(node, "input_value", inputs)
        param = self._file_param(node, "files")
        paths = [] if param is _ABSENT else _paths(param)
        await self._load_files(paths)
        session = str(node.value("session_id", "") or self.session_id)
        files, images = await self._message_files(paths, node, session)
        message = self._message(text, sender=str(node.value("sender", SENDER_USER)),
                                sender_name=str(node.value("sender_name", NAME_USER)), session=session,
                                source=Source(), node=node, files=files)
        message = await self._announce(node, replace(message, images=images))
        # the vertex reports the files it was handed, every one, as lfx's ChatOutputResponse shapes them
        # a `files` parameter that is one path (a field that is no list) is shown cut to its last two parts
        shown = [short_file_path(param)] if isinstance(param, str) else paths
        artifacts = {**message.artifacts(), "files": self._artifact_files(node, shown)}
        return self._result(node, Value(message=message), stored=message, artifacts=artifacts)

    def _artifact_files(self, node: Node, paths: list[str]) -> list[dict[str, str]]:
        """A Chat Input's files as its vertex's ChatOutputResponse names them. One whose type cannot be named
        fails the vertex after its component ran (its message stored and sent): pydantic's validation error,
        raised by the vertex itself, so no error message and no transaction (before_build: the same handling)."""
        named = [artifact_file(path) for path in paths]
        for position, entry in enumerate(named):
            if "type" not in entry:
                shown = [*named[:position + 1], *({"path": path} for path in paths[position + 1:])]
                raise RunError(chat_file_type_missing(shown, self.runner.pydantic_docs), node,
                               error_type="ValidationError", announced=False, before_build=True)
        return named

    async def _run_text_input(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        text = self._text(node, "input_value", inputs)
        return self._result(node, Value(message=self._made_message(text, node), made=self._made(text)),
                            artifacts={"text": text, "type": "text"})

    async def _run_webhook(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        payload = self.request.webhook_payload
        artifact = None
        if payload is None:
            raw = node.value("data", "")
            payload = raw if raw else {}
            if raw and isinstance(raw, str):  # a typed or tweaked text: lfx's build_data reads it as JSON
                payload, artifact = self._webhook_text(node, raw)
        elif payload == {}:  # a posted "{}" is a text lfx reads, not "No data provided."
            artifact = dict(EMPTY_DATA_STATUS)
        data = payload if isinstance(payload, dict) else {"payload": payload}
        return self._result(node, Value(data=data, artifact=artifact), artifacts={"data": data, "type": "object"})

    def _webhook_text(self, node: Node, raw: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The Data a Webhook makes of a `data` text (its build_data): the JSON object it holds (a quote, a line
        break and a quote taken for an escaped line break; null: empty); text that is no JSON as {"payload": text},
        its status saying so (the artifact); JSON that is no object fails as lfx's Data does."""
        try:
            body = json.loads(raw.replace('"\n"', '"\\n"'))
        except json.JSONDecodeError:
            data = {"payload": raw}
            return data, {"repr": errors.WEBHOOK_INVALID_JSON.format(data=raw), "raw": data, "type": "text"}
        if body is None or body == {}:  # Data(data=None) holds {}: its status is that Data, not "No data provided."
            return {}, dict(EMPTY_DATA_STATUS)
        if isinstance(body, int | float):  # (bool too) Data's check of its data for a text key
            raise RunError(f'Error running method "build_data": argument of type \'{type(body).__name__}\' is not '
                           "iterable", node, error_type="TypeError")
        profile = current()  # (lfx renamed Data to JSON in 1.13, the release that has the JSON type)
        refused = errors.data_refused(body, "Data" if "JSON" in profile.catalog.unknown_types else "JSON",
                                      profile.validation.pydantic_docs)
        if refused is not None:
            raise RunError(refused, node, error_type="ValidationError")
        return body, None

    async def _run_prompt(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        template = str(node.value("template", "") or "")
        if not template:  # lfx leaves an empty prompt field out of the component's parameters: its template is None
            raise RunError(errors.PROMPT_TEMPLATE_NONE, node, error_type="TypeError")

        def variable(name: str) -> str:
            if name in inputs:
                return "\n".join(v.as_text for v in inputs[name])
            if node.has_field(name) and node.value(name) not in (None, ""):
                return str(node.value(name))
            return self.request.global_vars.get(name.upper(), "")

        prompts = current().prompts
        if node.value("use_double_brackets", False) is True and prompts.mustache != "none":
            try:
                text = render_mustache(template, variable, prompts)
            except ValueError as exc:
                raise RunError(str(exc), node) from None
        else:
            text = fill_template(template, variable)
        return self._result(node, Value(text=text), artifacts={"prompt": text, "type": "text"})

    async def _ask_model(self, node: Node, inputs: dict[str, list[Value]]) -> tuple[LlmReply, str]:
        """The scripted model's reply to a model or agent node, and the user's input it was given; a reply that
        fails at once (no token first) is returned too: each kind raises it where its component would."""
        user_input = self._text(node, "input_value", inputs)
        system = ""
        for name in ("system_message", "system_prompt"):
            system = system or self._text(node, name, inputs)
        if node.kind == "agent" and current().run.agent_prompt_values:
            system = self._prompt_values(node, system)
        prompt = f"{system}\n\n{user_input}" if system else user_input
        request = LlmRequest(flow_id=self.request.flow_id, flow_name=self.request.flow_name,
                             endpoint_name=self.request.endpoint_name, component_id=node.id,
                             session_id=self.session_id, input=user_input, prompt=prompt, files=tuple(self.files))
        kept = self.replies.get(node.id)
        # an Agent resumed after a tool approval: the conversation it paused in goes on (no new model call)
        reply = restored_reply(kept) if kept is not None else self.runner.llm.reply(request)
        if reply.tool_calls and node.kind == "agent" and current().run.agent_steps != "group":
            provider = self._agent_provider(node)
            if provider not in TOOL_TURNS:
                raise RunError(SCRIPT_TOOL_CALLS_UNSUPPORTED.format(
                    version=current().version, providers=TOOL_TURN_PROVIDERS, provider=provider or "none"), node)
        if reply.tool_calls:
            tools = self._agent_tools(node)
            lacking = next((c.name for c in reply.tool_calls if tools is not None and c.name not in tools), None)
            if lacking is not None:
                raise RunError(SCRIPT_TOOL_UNKNOWN.format(name=lacking, component=node.id,
                                                          tools=", ".join(sorted(tools or ())) or "none"), node)
            for failing in dict.fromkeys(c.name for c in reply.tool_calls if c.error is not None):
                what = (f"Langflow {current().version}" if not current().run.tool_errors
                        else self._mcp_tool_source(node, failing))
                if what is not None:
                    raise RunError(SCRIPT_TOOL_ERROR_UNSUPPORTED.format(name=failing, what=what), node)
        from mock_langflow.engine.lc_spans import ModelCall, identity  # (not imported at start: 0.05 MiB)

        self.asked = ModelCall(node.id, reply, system, user_input, *identity(node, PROVIDER_NAMES))
        if node.kind == "agent" and (self.runner.log_trace is not None or current().run.agent_steps != "group"):
            # the conversation the Agent's model gets, read once per model call: its trace and its log show it
            self.asked.history = self.histories[node.id] = await self._chat_history(node, inputs)
        return reply, user_input

    def _prompt_values(self, node: Node, system: str) -> str:
        """1.13's Agent instructions with their placeholders filled (lfx's _inject_dynamic_prompt_values, plain
        replacement, so other braces stay): {current_date} the UTC date, {model_name} the model's name (the class
        of a connected model, else the first selected model's name, else the legacy `model_name`; else empty),
        {optional_user_context} empty."""
        from mock_langflow.engine.lc_spans import CHAT_CLASSES, identity  # (not imported at start-up)

        selection, legacy = node.value("model"), node.value("model_name")
        first = selection[0] if isinstance(selection, list) and selection else None
        chosen = first.get("name") if isinstance(first, dict) else None
        if self._model_connected(node):
            source = next(self.graph.by_id[e.source] for e in self.graph.incoming(node.id) if e.target_field == "model")
            name = CHAT_CLASSES.get(identity(source, PROVIDER_NAMES)[0] or "", "")
        elif isinstance(chosen, str) and chosen:
            name = chosen
        else:
            name = legacy if isinstance(legacy, str) else ""
        values = {"{current_date}": self.runner.clock.now().astimezone(UTC).date().isoformat(),
                  "{model_name}": name, "{optional_user_context}": ""}
        for placeholder, value in values.items():
            system = system.replace(placeholder, value)
        return system

    async def _chat_history(self, node: Node, inputs: dict[str, list[Value]]) -> list[tuple[str, str]]:
        """The conversation an Agent's model gets before its input, as (LangChain message type, text): the
        session's last messages (_remembered) but the one it is given, those without text left out, a User's (or
        sender-less) message the human's, any other the AI's (lfx's get_memory_data, Message.to_lc_message)."""
        given = {value.message.id for value in inputs.get("input_value", []) if value.message is not None}
        return [("human" if m.sender in (SENDER_USER, "") else "ai", m.text)
                for m in await self._remembered(node, self.session_id) if m.id not in given and m.text.strip()]

    async def _remembered(self, node: Node, session: str) -> list[Message]:
        """The session's last `n_messages` messages (0: none) an Agent reads."""
        count = node.value("n_messages", 100)
        if count == 0:
            return []
        messages = await self._session_messages(node, session)
        return messages[-count:] if isinstance(count, int) and count > 0 else messages

    async def _session_messages(self, node: Node, session: str) -> list[Message]:
        """The session's messages, oldest first, as a Message History component or an Agent reads them: none that
        failed; 1.13 the run's user's of the flow, 1.8 and 1.7.1 every flow's (profile history_scope); of the
        node's context id if it has one."""
        scope = HistoryScope(current().messages.history_scope == "flow", self.request.message_owner,
                             str(node.value("context_id", "") or ""))
        return await self.runner.history(self.request.flow_id, session, scope)

    def _agent_provider(self, node: Node) -> str | None:
        """The model provider an Agent runs, as lfx 1.13's AgentComponent._resolve_selected_model picks its model:
        the first model its `model` field selects, else its legacy `agent_llm` (with a `model_name`), by the name
        its get_llm resolves it to (PROVIDER_NAMES; another is kept as given); None for a model connected to it,
        whose provider the mock does not tell."""
        if self._model_connected(node):
            return None
        model = node.value("model")
        provider: Any = None
        if isinstance(model, list) and model:
            first = model[0]
            provider = first.get("provider") if isinstance(first, dict) else None
        elif node.value("model_name"):
            provider = node.value("agent_llm")
        if not provider:
            return None
        return PROVIDER_NAMES.get(str(provider).casefold(), str(provider))

    def _tool_sources(self, node: Node) -> list[Node]:
        """The components connected to the node's `tools` field (an Agent's tools)."""
        return [self.graph.by_id[e.source] for e in self.graph.incoming(node.id) if e.target_field == "tools"]

    def _agent_tools(self, node: Node) -> set[str] | None:
        """The names of the tools an Agent gives its model (None: some cannot be named): each connected tool-mode
        component's, as its `tools_metadata` rows name them (a row whose status is false is left out), and the
        Agent's own Current Date tool (lfx's get_current_date) unless `add_current_date_tool` is off, and 1.13's
        Calculator (evaluate_expression) when `add_calculator_tool` is on (off when the node lacks it, as lfx's
        getattr default). A model node has none. A connected component with no `tools_metadata` rows names its
        tools after its output methods, which a tool-mode node's saved outputs no longer show: its tools cannot be
        checked."""
        if node.kind != "agent":
            return set()
        names = {"get_current_date"} if node.value("add_current_date_tool", True) else set()
        if current().run.agent_calculator and node.value("add_calculator_tool", False):
            names.add("evaluate_expression")
        for source in self._tool_sources(node):
            value = source.value("tools_metadata")
            rows = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
            if not rows:
                return None
            names |= {str(row["name"]) for row in rows if row.get("name") and row.get("status", True) is not False}
        return names

    def _tool_source(self, node: Node, name: str) -> Node | None:
        """The component connected to the node's tools whose tools_metadata names the tool, if any."""
        for source in self._tool_sources(node):
            rows = source.value("tools_metadata")
            if isinstance(rows, list) and any(isinstance(row, dict) and row.get("name") == name for row in rows):
                return source
        return None

    def _mcp_tool_source(self, node: Node, name: str) -> str | None:
        """"an MCP tool of <node id>" when a connected MCP Tools component's tools_metadata names the tool, else
        None: lfx's MCP tools raise their failures (base/mcp/util.py), which LangChain does not hand back as the
        tool's answer (an on_tool_error, retried by ToolRetryMiddleware), unlike a component's tool."""
        source = self._tool_source(node, name)
        return f"an MCP tool of {source.id}" if source is not None and source.type == MCP_TOOLS_TYPE else None

    def _message_output(self, node: Node) -> str | None:
        """The name of the node's first output of type Message."""
        name = next((o.get("name") for o in node.outputs if "Message" in types_of([o])), None)
        return None if name is None else str(name)

    def _reported(self, node: Node, reply: LlmReply) -> dict[str, int] | None:
        """The token usage the node's answer carries from the model's report (a rule's `usage`): a model's since
        1.8 (lfx's LCModelComponent.get_chat_result sets it on its Message), an Agent's since 1.13 (the sum its
        TokenUsageCallbackHandler keeps of its model calls: the mock makes one, whose usage stands for them all);
        1.7.1's Message has no usage."""
        if reply.usage is None or not current().messages.property_usage:
            return None
        if node.kind == "agent" and not current().run.usage_totals:
            return None
        return reply.usage

    async def _run_model(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        reply, user_input = await self._ask_model(node, inputs)
        # an Agent feeding no Chat Output logs its LangChain callbacks too, and runs its tools unseen
        logs = node.kind == "agent" and not self._approval_gates(node)
        if logs:
            await self._agent_log(node, user_input)
            await self._unseen_tools(node, reply)
            await self._logged(node, lambda log: log.turn_start())
        if reply.error is not None and reply.stream.error_after is None:
            raise RunError(reply.error, node)
        usage = self._reported(node, reply)
        streams_to_chat = bool(node.value("stream", False)) and any(
            self.graph.by_id[t].kind == "chat_output" for t in self.graph.successors(node.id))
        if streams_to_chat and node.kind == "model" and current().run.model_streams == "own-build" \
                and self.observer.event_manager:
            # 1.13's model sends its reply itself, as it builds (lfx's send_message on its event manager): its own
            # message (Langflow's AI, its component's icon, no model name yet), which the Chat Output takes over
            message = await self._stream_reply(node, StreamingText(reply, node), SENDER_AI, NAME_AI, self.session_id,
                                               Source(node.id, node.display_name, ""), icon=component_icon(node))
            return self._result(node, Value(message=message, usage=usage), stored=message,
                                artifacts={"text": message.text, "type": "text"}, output=self._message_output(node),
                                usage=usage)
        if streams_to_chat:
            value = Value(stream=StreamingText(reply, node), usage=usage)
        else:
            text = "".join([chunk async for chunk in deliver(reply, node)])
            if node.kind == "agent" and current().run.agent_steps != "group":
                text = "".join(turn.say or "" for turn in reply.turns) + text  # (1.13: its log's text leaves)
            value = Value(text=text, made=self._made(text, usage, shown=True) if node.kind == "model" else None,
                          usage=usage, artifact=self._unsent_artifact(node, text, self.request.flow_id, text)
                          if node.kind == "agent" else None)
        await self._logged(node, lambda log: log.answered(reply.text, usage))
        return self._result(node, value, artifacts={"text": reply.text, "type": "text"},
                            output=self._message_output(node), usage=usage,
                            logs=self._agent_entries(node) if logs else None)

    async def _unseen_tools(self, node: Node, reply: LlmReply) -> None:
        """1.13's Agent that sends no message running its model's tool-calling turns: logged (engine/agent_log.py),
        each tool run (a connected component's reported as its build), nothing announced."""
        if not reply.tool_calls or node.id not in self.agent_logs or current().run.agent_steps == "group":
            return
        turn = TOOL_TURNS[self._agent_provider(node) or ""]
        for model_turn in reply.turns:
            await self._logged(node, lambda log: log.turn_start())
            given = self._tool_messages(model_turn.calls, turn)
            await self._logged(node, lambda log, said=model_turn.say or "", given=given: log.called(said, given))
            await self._logged(node, lambda log: log.flush())
            for call, output in given:
                await self._report_tool(node, call)
                if self.asked is not None:
                    self.asked.tools.append((call, output))

    def _tool_messages(self, calls: list[ToolCall], turn: ToolTurn) -> list[tuple[ToolCall, dict[str, Any]]]:
        """What each of a turn's tools gives back, as LangChain hands it on (1.13's ToolMessage, with the model's
        id for the call and LangGraph's for the message)."""
        return [(call, tool_message(call.name, call.output if call.error is None else call.error,
                                    call_id=turn.call_id(self.runner.ids), message_id=str(self.runner.ids.uuid()),
                                    failed=call.error is not None)) for call in calls]

    def _connected(self, node: Node, neighbour: Callable[[Node], bool]) -> bool:
        """Whether a node `neighbour` tells is connected to the node, either way."""
        return any(neighbour(self.graph.by_id[e.target]) for e in self.graph.outgoing(node.id)) or any(
            neighbour(self.graph.by_id[e.source]) for e in self.graph.incoming(node.id))

    def _chat_neighbour(self, node: Node) -> bool:
        """Whether a Chat Output is connected to the node, either way (lfx's is_connected_to_chat_output)."""
        return self._connected(node, lambda other: other.type == CHAT_OUTPUT_TYPE)

    def _agent_sender_name(self, node: Node) -> str:
        """Who an Agent's own message is from: the first Chat Output's sender name in the flow, else the
        Agent's display name (lfx's get_chat_output_sender_name)."""
        name = next((n.value("sender_name") for n in self.graph.nodes if n.type == CHAT_OUTPUT_TYPE), None)
        return str(name or node.display_name or NAME_AI)

    def _unsent_artifact(self, node: Node, text: str, flow_id: Any, raw: Any) -> dict[str, Any]:
        """An Agent output's artifact while its status is the message it answered with and did not send: that
        message's dump (unsent_agent_dump), of type "message" when it holds a Structured Response (`raw`)."""
        dump = unsent_agent_dump(text, sender_name=self._agent_sender_name(node), session_id=self.session_id,
                                 at=self.runner.clock.now(), flow_id=flow_id)
        return {"repr": json.dumps(dump, indent=4, ensure_ascii=False), "raw": raw,
                "type": "text" if isinstance(raw, str) else "message"}

    def _built_outputs(self, node: Node) -> list[str]:
        """The outputs a component builds, in its outputs' order (lfx's _get_outputs_to_process): those _processed
        names, then any its edges take that its node does not list; feeding nothing, every one."""
        names = [str(o.get("name")) for o in node.outputs]
        processed = self._processed(node)
        if not processed:
            return names
        taken = {edge.source_output for edge in self.graph.outgoing(node.id)}
        return [name for name in names if name in processed] + sorted(taken - set(names))

    def _processed(self, node: Node) -> set[str]:
        """The output names lfx builds of a component that feeds something (_should_process_output): the source
        outputs of every edge at its vertex, the edges into it too (edges_source_names), so a component handed
        another's output of a name its own outputs have builds that one as well (an If-Else fed an If-Else's
        true_result, a Type Convert fed a Type Convert's table). Empty when it feeds nothing: every output."""
        if not self.graph.outgoing(node.id):
            return set()
        return {edge.source_output for edge in (*self.graph.incoming(node.id), *self.graph.outgoing(node.id))}

    def _structured_output(self, node: Node) -> str | None:
        """The name of the Agent's Structured Response output (its method json_response), when it has one and the
        release's Agent builds it (profile run.structured_response)."""
        if not current().run.structured_response:
            return None
        return next((str(o.get("name")) for o in node.outputs if o.get("method") == STRUCTURED_METHOD), None)

    async def _run_agent(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """An Agent: its answer (_answer_agent) when an output other than its Structured Response is built, then its
        Structured Response when that is built too (_structured_response, 1.13)."""
        structured = self._structured_output(node)
        built = self._built_outputs(node)
        if structured is None or structured not in built:
            return await self._answer_agent(node, inputs)
        answered = await self._answer_agent(node, inputs) if len(built) > 1 else None
        value, usage = await self._structured_response(node, inputs, answered)
        logs = self._agent_entries(node)
        if answered is None:
            return VertexResult(node, {structured: value}, {}, logs, 0.0, usage=usage)
        return replace(answered, outputs={**answered.outputs, structured: value}, output_logs={structured: logs})

    async def _structured_response(self, node: Node, inputs: dict[str, list[Value]],
                                   answered: VertexResult | None) -> tuple[Value, dict[str, int] | None]:
        """lfx 1.13's AgentComponent.json_response, as a live 1.13.0 showed it (_structured_data), and the token
        usage the Agent reports with it (its model's as the Agent, which the Data does not carry). Its output entry
        shows "data" unless the component has a status (the message of the Agent's own run, or its answer when that
        was built first), whose dump or text is then the artifact's repr."""
        data, ran = await self._structured_data(node, inputs)
        if ran is not None:
            artifact: dict[str, Any] | None = self._unsent_artifact(node, ran[0], None, data)
        elif answered is not None:
            artifact = {"repr": answered.primary.as_text, "raw": data, "type": "text"}
        else:
            artifact = None
        shown_as = None if artifact is not None else "data"
        return Value(data=data, shown_as=shown_as, artifact=artifact), ran[1] if ran is not None else None

    async def _structured_data(self, node: Node, inputs: dict[str, list[Value]]
                               ) -> tuple[dict[str, Any], tuple[str, dict[str, int] | None] | None]:
        """The Data of an Agent's Structured Response (engine/structured.py), and the text and usage of the Agent's
        own run when it ran as an Agent. A model it cannot build gives {"content": "", "error": <why>}, an empty
        output schema the input's text as "content", a schema no model can be made of its error: no model call.
        Else the model answers: as the Agent (tools: its own Current Date or Calculator, or connected ones), sending
        no message, whose answer text holds the objects (a failing model an error, as lfx catches it); or (no tools)
        as a model that answers with the objects alone."""
        from mock_langflow.engine import structured  # (not imported at start-up: Agents alone use it)

        refusal = self._selection_refusal(node) if current().run.model_selection else None
        if refusal is not None:
            return {"content": "", "error": refusal[0]}, None
        schema = node.value("output_schema")
        if not schema:
            return {"content": self._text(node, "input_value", inputs)}, None
        try:
            if not isinstance(schema, list | str | dict):
                raise structured.SchemaError(f"'{type(schema).__name__}' object is not iterable")
            record = structured.record_model(list(schema))
        except structured.SchemaError as exc:
            return {"content": "", "error": str(exc)}, None
        except NameError as exc:  # (lfx lets it fail the vertex)
            raise RunError(str(exc), node, error_type="NameError") from None
        tools = self._agent_tools(node)
        as_agent = tools is None or bool(tools)
        reply, user_input = await self._ask_model(node, inputs)
        # run as an Agent, it logs its LangChain callbacks as it builds this output (its tool calls: not emulated)
        logs = as_agent and not reply.tool_calls and not self._approval_gates(node)
        if logs:
            await self._agent_log(node, user_input, output=self._structured_output(node))
            await self._logged(node, lambda log: log.turn_start())
        try:
            if reply.error is not None and reply.stream.error_after is None:
                raise RunError(reply.error, node)
            text = "".join([chunk async for chunk in deliver(reply, node)])
        except RunError as exc:
            if not as_agent:
                raise
            return {"content": "", "error": f"{exc.reason}."}, ("", None)  # the Agent's failure, which lfx catches
        if not as_agent:
            return structured.from_model(text, record, self.runner.pydantic_docs), None
        if logs:
            await self._logged(node, lambda log: log.answered(text, self._reported(node, reply)))
        text = "".join(turn.say or "" for turn in reply.turns) + text
        try:
            data = structured.from_answer(text, record, self.runner.pydantic_docs)
        except RecursionError as exc:  # (JSON nested past Python's limit: lfx lets it fail the vertex)
            raise RunError(str(exc), node, error_type="RecursionError") from None
        return data, (text, self._reported(node, reply))

    async def _answer_agent(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """Langflow's Agent answering without calling a tool. It sends its own message while it works: stored and
        announced at once (state partial, icon "Bot", from the Chat Output's sender name), the model's chunks
        announced as tokens carrying that message's id, the answer announced and stored complete at the end; the
        Chat Output it feeds then stores that same message (ChatOutput._run_chat_output). Before 1.13
        (Run.agent_steps "group") its content blocks are one "Agent Steps" group, the Input step announced before
        the model answers and the Output step added with the answer; 1.13 logs what the model said as content
        blocks that a v1 client never sees for a tool-less answer, and announces the answer as the model ends,
        still partial. A model that fails deletes the message and fails the Agent (lfx's ExceptionWithMessageError,
        whose text ends in "."). An Agent no Chat Output is connected to stores and announces nothing (lfx's
        _should_skip_message): it answers as a model does. Scripted tool calls come before the answer, in the
        model turns the script gives (_end_turn, _run_tools; 1.13's log is the model provider's, TOOL_TURNS); 1.13's
        message text is its log's text leaves, so what a turn says before its calls comes before the answer."""
        if not self._chat_neighbour(node):
            return await self._run_model(node, inputs)
        rules = current().run
        reply, user_input = await self._ask_model(node, inputs)
        grouped = rules.agent_steps == "group"
        # 1.13's v2 background run: a call of a tool that needs approval stops the Agent (_ask_approval); a
        # resumed build goes on from the call its latest decision answered
        gates = self._approval_gates(node) if self.request.pauses and not grouped else {}
        asked = user_input if user_input.strip() else AGENT_EMPTY_INPUT
        message = Message(id=self.runner.ids.uuid(), flow_id=self.request.flow_id,
                          session_id=self.session_id or str(self.runner.ids.uuid()), text="", sender=SENDER_AI,
                          sender_name=self._agent_sender_name(node), timestamp=self.runner.clock.now(),
                          run_id=self.run_id, state="partial", icon=AGENT_ICON,
                          content_blocks=agent_steps() if grouped else [], logged=not grouped)
        await self.runner.keep(self.request, message)
        await self.observer.message(message)
        text = ""
        # the steps: before 1.13 the "Agent Steps" group's, 1.13 its flat log's (the message's content blocks)
        steps: list[tuple[str, str] | dict[str, Any]] = [("Input", asked)] if grouped else []
        # 1.13: how the model's tool-calling turns are logged (_ask_model refused a provider TOOL_TURNS lacks);
        # None before 1.13, whose steps are the "Agent Steps" group's whatever the provider
        turn = TOOL_TURNS[self._agent_provider(node) or ""] if reply.tool_calls and not grouped else None

        def logged(message: Message) -> Message:
            """The message as its steps now stand; 1.13's text is its log's text leaves (lfx's Message.text)."""
            if grouped:
                return replace(message, content_blocks=agent_steps(*steps))
            leaves = [step for step in steps if isinstance(step, dict)]
            return replace(message, content_blocks=leaves,
                           text="".join(leaf["text"] for leaf in leaves if leaf.get("type") == "text"))

        first, stop, decision = self._approval_point(node, reply.turns, gates)
        if not grouped and not gates:  # 1.13's LangChain callbacks (not emulated around a pause for approval)
            await self._agent_log(node, user_input)
        try:
            if grouped:
                message = logged(message)
                await self.observer.message(message)
            for number, model_turn in enumerate(reply.turns):
                if stop is not None and number >= stop:
                    break  # the turn that calls a gated tool: _ask_approval logs its end
                if number < first:
                    continue  # made before an earlier pause, in a message that is gone
                if number == first and decision is not None and turn is not None:
                    # the turn ended before the pause, in the removed message: each call's tool start adds it to
                    # this one (handle_on_tool_start's fallback), whatever the provider
                    calls = decided_calls(model_turn.calls, gates, decision)
                    message = await self._run_tools(node, message, steps, calls, logged,
                                                    replace(turn, in_content=False))
                    continue
                await self._logged(node, lambda log: log.turn_start())
                message = await self._end_turn(message, steps, model_turn, logged, turn, reply, node)
                message = await self._run_tools(node, message, steps, model_turn.calls, logged, turn,
                                                said=model_turn.say or "")
            if stop is None:
                await self._logged(node, lambda log: log.turn_start())
                if reply.error is not None and reply.stream.error_after is None:
                    raise RunError(reply.error, node)
                async for chunk in deliver(reply, node):
                    text += chunk
                    if chunk and (rules.agent_blank_tokens or chunk.strip()):
                        await self.observer.token(message.id, chunk)
        except RunError as exc:
            await self._take_back(message)
            raise RunError(f"{exc.reason}.", node, error_type=AGENT_ERROR_TYPE) from exc
        except Disconnect:
            await self._take_back(message)
            raise
        if stop is not None:
            return await self._ask_approval(node, message, steps, logged, turn, reply, stop, gates)
        if text and grouped:
            steps.append(("Output", text))
        elif text:  # 1.13: the model's end adds its text to the log, announced at once
            steps.append(text_block(text, duration=0))
            await self.observer.message(logged(message))
        usage = self._reported(node, reply)
        await self._logged(node, lambda log: log.answered(text, usage))
        # stored complete, it is handed on as the store gives it back (1.13: its log becomes a group)
        message = logged(replace(message, text=text, state="complete")).restored()
        await self.runner.keep(self.request, message)
        await self.observer.message(replace(message, first_read=True) if message.read_back else message)
        if usage is not None:  # 1.13: the usage set on the stored message, which is announced again
            message = replace(message, usage=usage)
            await self.runner.keep(self.request, message)
            await self.observer.message(message)
        logs = self._agent_entries(node)
        return self._result(node, Value(message=message, usage=usage), artifacts={"text": message.text, "type": "text"},
                            output=self._message_output(node), usage=usage, logs=logs)

    async def _agent_log(self, node: Node, user_input: str, output: str | None = None) -> None:
        """1.13's Agent's log of its LangChain callbacks (engine/agent_log.py) begins, as it builds `output` (its
        message's, unless given): its graph's chain, given the chat history its model call read (before 1.13: no
        log)."""
        if current().run.agent_steps == "group":
            return
        from mock_langflow.engine.agent_log import AgentLog  # (not imported at start-up: Agents alone use it)
        from mock_langflow.engine.lc_spans import identity

        provider, model = identity(node, PROVIDER_NAMES)
        sources: dict[str, tuple[str | None, str]] = {}
        for source in self._tool_sources(node):
            rows = source.value("tools_metadata")
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict) and row.get("name"):
                    sources[str(row["name"])] = (source.id, str(row.get("description") or ""))
        log = AgentLog(base=f"{self.run_id}:{node.id}", now=self.runner.clock.now, provider=provider, model=model,
                       call_limit=node.value("max_iterations") is not None,
                       gated=bool(self._approval_gates(node)), tool_sources=sources)
        self.agent_logs[node.id] = ([], log, output or self._message_output(node))
        history = self.histories.pop(node.id, [])
        await self._logged(node, lambda made: made.start(history, user_input))

    async def _logged(self, node: Node, make: Callable[[AgentLog], None]) -> None:
        """The Agent's log entries `make` makes: kept for its build logs, and sent as `log` events (with the
        output it builds and its id) where the run has an event manager."""
        if node.id not in self.agent_logs:
            return
        kept, log, output = self.agent_logs[node.id]
        make(log)
        for entry, keeping in log.take():
            kept.append(keeping)
            await self._log_event(node, output, entry)

    async def _log_event(self, node: Node, output: str | None, entry: dict[str, Any]) -> None:
        """A component's log entry as its event manager sends it (lfx's Component.log): with the output it was
        building and its id; no event where the run has no event manager, nor before 1.13 (profile
        messages.log_events)."""
        if self.observer.event_manager and current().messages.log_events:
            await self.observer.log({**entry, "output": output, "component_id": node.id})

    def _agent_entries(self, node: Node) -> list[dict[str, Any]]:
        """The Agent's log entries of the build just done (none when it kept no log), its log ended."""
        return self.agent_logs.pop(node.id, ([], None, None))[0]

    async def _run_chat_output(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        if not any(edge.target_field == "input_value" for edge in self.graph.incoming(node.id)):
            # a handle field only an edge fills (lfx's parameters skip an "other" field's value): None
            raise RunError(errors.CHAT_OUTPUT_NO_INPUT, node)
        incoming = inputs.get("input_value") or []
        if any(value.no_text for value in incoming):
            raise RunError(MESSAGE_FIELDS_MISSING, node)
        session = str(node.value("session_id", "") or self.session_id)
        source = self._source_of(node)
        sender = str(node.value("sender", SENDER_AI))
        sender_name = str(node.value("sender_name", NAME_AI))
        streaming = next((v.stream for v in incoming if v.stream is not None), None)
        if (taken := self._taken_message(node, incoming)) is not None:
            # Langflow's Chat Output takes the Message it gets, unless a Chat Input is connected to it: one already
            # stored, which it stores again under the same id (an update) with its own fields set
            # (its text set on it again, and stored: 1.13 folds an Agent's answer into its steps as their Output)
            message = replace(taken, sender=sender, sender_name=sender_name, source=source,
                              flow_id=self.request.flow_id,
                              session_id=str(node.value("session_id", "") or taken.session_id or self.session_id),
                              context_id=str(node.value("context_id", ""))).restored(answer=True)
            await self._announce(node, message, made=False)
            message = await self._upstream_usage(node, message)
            self._took_over(self._handed(node, incoming), message)
            return self._result(node, Value(message=message), stored=message)
        if streaming is None:
            text = "\n".join(self._shown_text(node, v, len(incoming)) for v in incoming)
            handed = self._handed(node, incoming)
            # the usage of the Message it takes over (a model's answer: since 1.8); 1.13's text setter leaves a text
            # leaf of it in the stored blocks
            message = self._message(text, sender=sender, sender_name=sender_name, session=session, source=source,
                                    node=node, usage=handed.usage if handed is not None else None)
            if handed is not None and handed.message is not None and current().messages.v1_blocks:
                message = replace(message, answer_leaf=True)
            message = await self._announce(node, message)
            message = await self._upstream_usage(node, message)
            self._took_over(handed, message)
            return self._result(node, Value(message=message), stored=message)
        message = await self._stream_reply(node, streaming, sender, sender_name, session, source)
        message = await self._upstream_usage(node, message)
        return self._result(node, Value(message=message), stored=message)

    @staticmethod
    def _shown_text(node: Node, value: Value, count: int) -> str:
        """What a Chat Output writes of one of its inputs: a table as lfx's safe_convert writes it, cleaned when
        its Basic Clean Data is on (lfx 0.3/0.2: never, for a single input); anything else its text."""
        if value.table is None:
            return value.as_text
        clean = bool(node.value("clean_data", True)) and (current().run.table_text == "tidied" or count > 1)
        return value.table_text(clean=clean)

    def _handed(self, node: Node, incoming: list[Value]) -> Value | None:
        """The one input a Chat Output no Chat Input is connected to takes over (lfx's
        ChatOutput.message_response: a Message, its fields and text set; its token usage kept), else None."""
        return incoming[0] if len(incoming) == 1 and not self._next_to_chat_input(node) else None

    def _took_over(self, handed: Value | None, message: Message) -> None:
        """The Message a Chat Output took over (_handed) is `message` now, wherever the run's results show it."""
        if handed is not None and (given := handed.message) is not None:
            self.taken_over[id(given)] = (given, message)

    def _next_to_chat_input(self, node: Node) -> bool:
        """Whether a Chat Input is connected to the node, either way (lfx's is_connected_to_chat_input)."""
        return self._connected(node, lambda other: other.kind == "chat_input")

    async def _upstream_usage(self, node: Node, message: Message) -> Message:
        """1.13's Chat Output, once its message is sent: the token usage of every component upstream of it that
        reported some (lfx's Vertex._accumulate_upstream_token_usage over each built predecessor's result, its
        models' and Agents'), summed, replaces the message's; a stored message is stored and announced again."""
        if not self.usage or not current().run.usage_totals:  # (no walk upstream when no model reported any)
            return message
        found = [self.usage[vertex] for vertex in self.graph.upstream(node.id) if vertex in self.usage]
        if not found:
            return message
        read = sum(usage["input_tokens"] for usage in found)
        written = sum(usage["output_tokens"] for usage in found)
        message = replace(message, usage={"input_tokens": read, "output_tokens": written,
                                          "total_tokens": read + written})
        if message.session_id and node.value("should_store_message", True):
            await self.runner.keep(self.request, message)
            await self.observer.message(message)
        return message

    async def _end_turn(self, message: Message, steps: list[tuple[str, str] | dict[str, Any]], model_turn: ModelTurn,
                        logged: Callable[[Message], Message], turn: ToolTurn | None, reply: LlmReply,
                        node: Node) -> Message:
        """A model turn of an Agent up to its end: what it says before its calls streams as tokens of the agent's
        message (lfx's handle_on_chain_stream, at the reply's pace); 1.13's handle_on_chat_model_end then logs the
        turn's message as its provider shapes it (`turn`) and announces it once: its text a text leaf, and, where
        the calls are content blocks (Anthropic's tool_use), a leaf "Accessing" each tool with the streamed
        snapshot's empty input, in the turn's order; a turn with neither (OpenAI's that says nothing) logs
        nothing. Before 1.13 the turn's end logs nothing (AgentExecutor's agent has no such handler)."""
        if model_turn.say:
            pace = reply.stream.model_copy(update={"disconnect_after": None})  # (a drop is the answer's)
            said = replace(reply, text=model_turn.say, stream=pace)
            async for chunk in deliver(said, node):
                if chunk and (current().run.agent_blank_tokens or chunk.strip()):
                    await self.observer.token(message.id, chunk)
        if turn is None:
            return message
        ended = [text_block(model_turn.say, duration=0)] if model_turn.say else []
        if turn.in_content:
            ended += [new_leaf(tool_step(call.name, {})) for call in model_turn.calls]
        if not ended:
            return message
        steps += ended
        message = logged(message)
        await self.observer.message(message)
        return message

    async def _run_tools(self, node: Node, message: Message, steps: list[tuple[str, str] | dict[str, Any]],
                         calls: list[ToolCall], logged: Callable[[Message], Message], turn: ToolTurn | None, *,
                         said: str = "") -> Message:
        """A model turn's scripted tool calls among an Agent's steps (lfx's handle_on_tool_start/_end). A start
        fills in the input of the call's leaf that the turn's end logged, unannounced (Anthropic), else adds a step
        "Accessing" the tool and announces it (OpenAI's calls outside the content; before 1.13 every call). An end
        announces the message, and only then is a step of that tool name and input made "Executed" with what the
        tool returned, which later announcements show. Before 1.13 that is the first such step (a second like call
        leaves its own "Accessing"), in the "Agent Steps" group, with the tool's output, and the turn's calls run
        side by side as AgentExecutor's asyncio.gather runs them: every tool starts, in order, then every tool
        ends. 1.13 runs them one after another (LangGraph's ToolNode, a task per call, each scripted tool done at
        once, as a live 1.13.0's Current Date tool is) and marks the unexecuted one with LangChain's ToolMessage (a
        failing component tool's of status "error": the tool handles its ToolException, so it ends as any call
        does); its log (engine/agent_log.py) records the turn's end and the tools ahead of their announcements. A
        connected component's tool runs just before its end (tool_run)."""
        if turn is None:
            for call in calls:
                steps.append(tool_step(call.name, call.input))
                message = logged(message)
                await self.observer.message(message)
            for call in calls:
                message = await self._tool_ran(node, message, logged, call)
                index = next(i for i, step in enumerate(steps) if isinstance(step, dict)
                             and step.get("name") == call.name and step["tool_input"] == call.input)
                steps[index] = tool_step(call.name, call.input, call.output, done=True)
                if self.asked is not None:
                    self.asked.tools.append((call, call.output))
            return message
        given = self._tool_messages(calls, turn)
        if calls:
            await self._logged(node, lambda log: log.called(said, given))
        placed = len(steps) - len(calls)  # where the turn's end put the calls' leaves, when it did
        for number, (call, output) in enumerate(given):
            await self._logged(node, lambda log, number=number: log.tools_shown(number))
            if turn.in_content:
                steps[placed + number] = new_leaf(tool_step(call.name, call.input))
                message = logged(message)
            else:
                steps.append(new_leaf(tool_step(call.name, call.input)))
                message = logged(message)
                await self.observer.message(message)
            message = await self._tool_ran(node, message, logged, call)
            index = next(i for i, step in enumerate(steps) if isinstance(step, dict) and step.get("name") == call.name
                         and step["tool_input"] == call.input and step["output"] is None)
            steps[index] = new_leaf(tool_step(call.name, call.input, output, done=True))
            if self.asked is not None:
                self.asked.tools.append((call, output))
        await self._logged(node, lambda log: log.flush())
        return message

    async def _tool_ran(self, node: Node, message: Message, logged: Callable[[Message], Message],
                        call: ToolCall) -> Message:
        """A tool's run ends (_report_tool), then the message is announced as it stands."""
        await self._report_tool(node, call)
        message = logged(message)
        await self.observer.message(message)
        return message

    async def _report_tool(self, node: Node, call: ToolCall) -> None:
        """A connected component's tool runs a copy of its component, which lfx's component_tool reports as that
        component's build (its build_end whether or not the tool fails: 1.13; a failing tool is 1.13's only); an
        MCP tool and the Agent's own tools report nothing."""
        source = self._tool_source(node, call.name)
        if source is not None and source.type != MCP_TOOLS_TYPE:
            await self.observer.tool_run(source.id, done=False)
            await self.observer.tool_run(source.id, done=True)

    def _approval_gates(self, node: Node) -> dict[str, list[str]]:
        """The Agent's tools that need approval, by name, with the decisions each allows (hitl.approval_gates of
        the tools_metadata rows of the components connected to its tools)."""
        return approval_gates([source.value("tools_metadata") for source in self._tool_sources(node)])

    def _approval_point(self, node: Node, turns: tuple[ModelTurn, ...],
                        gates: dict[str, list[str]]) -> tuple[int, int | None, dict[str, Any] | None]:
        """Where this build of an Agent stands among its scripted model turns: the first turn it goes on from (the
        one its latest decision answered; 0 before any), the turn calling a gated tool it stops after (None: it
        answers), and the decision on its first turn. The human-in-the-loop middleware asks once for all of a
        turn's gated calls, so each such turn paused the run once, and the Agent's decisions (keyed by its
        request ids, "<agent>:<run>:<interrupt>", in the order they came) answer those turns in turn."""
        gated = [number for number, turn in enumerate(turns) if any(call.name in gates for call in turn.calls)]
        prefix = f"{node.id}:{self.run_id}:"
        answered = [d for key, d in self.decisions.items() if key.startswith(prefix) and isinstance(d, dict)]
        done = min(len(answered), len(gated))
        stop = gated[done] if done < len(gated) else None
        return (gated[done - 1], stop, answered[done - 1]) if done else (0, stop, None)

    async def _ask_approval(self, node: Node, message: Message, steps: list[tuple[str, str] | dict[str, Any]],
                            logged: Callable[[Message], Message], turn: ToolTurn | None, reply: LlmReply,
                            number: int, gates: dict[str, list[str]]) -> VertexResult:
        """1.13's Agent whose model calls a tool that needs approval (LangChain's HumanInTheLoopMiddleware
        interrupts after that model turn, asking once about all of its gated calls): the turn ends as any does
        (_end_turn: its text, and Anthropic's tool_use blocks "Accessing" each tool with its input empty, logged
        and announced; OpenAI's calls: nothing), no tool of the turn starts; the Agent deletes its message and has
        it removed from the chat (AgentPausedError), asks for the approval (_suspend_for_tool_approval: the run
        pauses before its next vertex) and ends with that partial message. Its resumed build (with its tools,
        which a checkpoint cannot keep) makes a new message."""
        model_turn = reply.turns[number]
        gated = [call for call in model_turn.calls if call.name in gates]
        if self.asked is not None:
            self.asked.paused = gated[0]
        message = await self._end_turn(message, steps, model_turn, logged, turn, reply, node)
        await self._take_back(message)
        request_id = f"{node.id}:{self.run_id}:{self.runner.ids.hex32()}"
        self.pause = approval_request(request_id, gated, gates)
        self.rebuilt |= {node.id} | {source.id for source in self._tool_sources(node)}
        self.replies[node.id] = kept_reply(reply)
        return self._result(node, Value(message=message), artifacts={"text": message.text, "type": "text"},
                            output=self._message_output(node))

    async def _take_back(self, message: Message) -> None:
        """An Agent whose model failed deletes its message and has it removed from the chat."""
        await self.runner.discard_message(message.id)
        await self.observer.message_removed(message.id)

    def _taken_message(self, node: Node, incoming: list[Value]) -> Message | None:
        """The stored Message a Chat Output no Chat Input is connected to takes over from its one source, which it
        then stores again under the same id (an update): an Agent's, or any other that was stored (a Chat
        Input's a Pass hands on, a Message History's)."""
        sources = [self.graph.by_id[e.source] for e in self.graph.incoming(node.id) if e.target_field == "input_value"]
        if (len(incoming) != 1 or (message := incoming[0].message) is None or len(sources) != 1
                or self._next_to_chat_input(node)):
            return None
        stored = message.unstored is None and message.category == "message" and self.request.persist
        return message if sources[0].kind == "agent" or stored else None

    async def _stream_reply(self, node: Node, streaming: StreamingText, sender: str, sender_name: str, session: str,
                            source: Source, *, icon: str | None = None) -> Message:
        """Langflow's streaming path: the message is announced with its first chunk, then every chunk goes out
        as a `token` event carrying that message's id; the stored message gets the whole text at the end, and is
        announced again then, complete, where the release does (profile messages.stream_complete)."""
        store = bool(session) and bool(node.value("should_store_message", True))
        message = replace(self._message("", sender=sender, sender_name=sender_name, session=session, source=source,
                                        node=node, state="partial"), icon=icon)
        if store:
            await self.runner.keep(self.request, message)
        text = ""
        try:
            async for chunk in deliver(streaming.reply, streaming.node):
                if not text and store:
                    await self.observer.message(message.with_text(chunk))
                text += chunk
                if store:
                    await self.observer.token(message.id, chunk)
        except RunError:
            # Langflow deletes the reply's message when its stream fails (the error message stands for it);
            # a stop (cancellation) leaves it as it got.
            if store:
                await self.runner.discard_message(message.id)
            raise
        # the model's usage reported as it streamed (lfx's _stream_message reads it off the chunks)
        final = replace(message.with_text(text, state="complete"), usage=self._reported(streaming.node,
                                                                                          streaming.reply))
        if store:
            await self.runner.keep(self.request, final)
            if current().messages.stream_complete:
                await self.observer.message(final)
        return final

    async def _run_text_output(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        text = self._text(node, "input_value", inputs)
        return self._result(node, Value(message=self._made_message(text, node), made=self._made(text)))

    def _made_message(self, text: str, node: Node) -> Message:
        """The Message(text=...) Text Input and Text Output return: no sender, no session, never stored."""
        return replace(self._message(text, sender=None, sender_name=None, session="", source=Source(), node=node),
                       unstored="text")

    def _made(self, text: str, usage: dict[str, int] | None = None, *, shown: bool = False) -> Message | None:
        """The bare Message(text=...) a component returns, for the run's trace; None when the run leaves none,
        unless `shown` (a model's: its artifact shows it)."""
        if self.runner.log_trace is None and not shown:
            return None
        return replace(made_message(text, self.request.flow_id, self.runner.clock.now()), usage=usage)

    def _component_files(self, node: Node, name: str) -> list[str]:
        """A file field's paths as its component gets them: the vertex's parameter as a transaction logs it (its
        file_path resolved under the storage directory), or what the run set (1.13 restricted: resolved too)."""
        value = self._file_param(node, name)
        return [] if value is _ABSENT else _paths(value)

    def _file_param(self, node: Node, name: str) -> Any:
        """A file field's parameter as the vertex holds it: a list of paths, one path (a field that is no list)
        or _ABSENT."""
        entry = self.loaded.get((node.id, name), node.template.get(name))
        if not isinstance(entry, dict):
            return _ABSENT
        if (node.id, name) in self.runtime:
            return file_value(self._set_by_run(entry))
        return logged_param(name, entry, self.runner.storage)

    async def _message_files(self, paths: list[str], node: Node, session: str) -> tuple[list[str], frozenset[str]]:
        """A Chat Input message's `files` and which of them a run shows as Image objects. Langflow's Message
        makes an Image of each path that opens as an image; storing the message, it keeps an image's path from
        the session id on when the path holds it (else the whole path), and, before 1.13, drops the files that
        are no images when any is; the stored message read back shows as Images the image paths still whole."""
        images = {p for p in paths if await self._is_image(p)}
        if not session or not node.value("should_store_message", True) or not self.request.persist:  # never stored
            return paths, frozenset(images)
        if not images:
            return paths, frozenset()
        stored = []
        for path in paths:
            if path in images:
                stored.append(f"{session}{path.split(session)[1]}" if session in path else path)
            elif self.runner.stored_files == "all":
                stored.append(path)
        return stored, frozenset(images.intersection(stored))

    def _set_by_run(self, entry: dict[str, Any]) -> Any:
        """A value the run set on a field, as its component gets it: 1.13 (restricted) resolves a file field's."""
        value = entry.get("value")
        storage = self.runner.storage
        if entry.get("type") == "file" and storage is not None and storage.restricted:
            value = storage.resolve(file_value(value))
        return value

    def _storage_key(self, path: str) -> str:
        """The storage key a path under the storage directory names; any other path as it is."""
        storage = self.runner.storage
        return (storage.key_of(path) if storage is not None else None) or path

    def _resolved(self, path: str) -> str:
        """Where a File component looks for a path: a storage key "<folder>/<name>" under the storage directory,
        an absolute path as it is, a bare name under the server's working directory."""
        if path.startswith("/"):
            return str(PurePosixPath(path))
        folder, sep, name = path.partition("/")
        if sep and folder and name and self.runner.storage is not None:
            return str(PurePosixPath(self.runner.storage.root) / folder / name)
        return str(Path(path).resolve())

    async def _is_image(self, path: str) -> bool:
        """Whether Langflow opens `path` as an image: a stored image file at its path under the storage
        directory (a storage key left unresolved is no path the server opens)."""
        storage, check = self.runner.storage, self.runner.image_file
        key = storage.key_of(path) if storage is not None else None
        return key is not None and check is not None and await check(key)

    async def _load_files(self, paths: list[str]) -> None:
        """A Chat Input's files as the scripted model's rules match them (file_name, file_contains): each one's name
        and text, a PDF's or a Word file's as Read File extracts it (as UTF-8 where that fails)."""
        from mock_langflow.engine import read_file  # (not imported at start-up)

        for path in paths:
            found = await self.runner.read_file(self._storage_key(path), self.request.reader_id)
            if found is None:
                continue
            name, data = found
            text = data.decode("utf-8", "replace")
            if path.endswith((".pdf", ".docx")):
                with contextlib.suppress(Exception):  # (not a PDF or Word file after all: its bytes as text)
                    text = (await asyncio.to_thread(read_file.decoded, data, path))[0]
            self.files.append((name, text))

    async def _run_file(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """Langflow's File component: the files handed to its `file_path` by edges, else those its `path` field
        hands it (the field's file_path resolved under the storage directory; 1.13, its local file access
        restricted, its value too), a missing one failing it with the path as it got it and where that resolves
        (with silent_errors: passed over); no file at all (none left) fails it too. 1.13 checks a handed path as
        lfx's BaseFileComponent does (StoragePaths.handed) and passes over a handed file that is gone, taking it
        for one a concurrent build read and deleted (delete_server_file_after_processing, on by default)."""
        storage = self.runner.storage
        checked = storage is not None and storage.checked  # 1.13
        handed = [value.as_text for value in inputs.get("file_path", [])]
        for path in handed:
            if storage is not None and checked and (refusal := storage.handed(path, self.request.file_scopes())):
                raise RunError(refusal, node)
        paths = handed or self._component_files(node, "path") or _paths(node.value("file_path", []))
        skipped = bool(handed) and checked and node.value("delete_server_file_after_processing", True) is not False
        silent = node.value("silent_errors", False)
        read = []
        for path in paths:
            found = await self.runner.read_file(self._storage_key(path), self.request.reader_id)
            if found is None:
                if silent or skipped:
                    continue
                raise RunError(file_not_found(path, self._resolved(path)), node)
            read.append((path, found))
        kept = []
        for path, found in read:
            # then each file's extension, as lfx's _validate_and_filter_files checks them: one Read File does not
            # read is passed over (ignore_unsupported_extensions, on by default) or fails it
            suffix = PurePosixPath(path).suffix
            if suffix[1:].lower() not in read_file_types():
                if node.value("ignore_unsupported_extensions", True) or silent:
                    continue
                raise RunError(errors.UNSUPPORTED_FILE_EXTENSION.format(suffix=suffix), node)
            kept.append((path, found))
        if not kept:  # no file, or (silent_errors) every one missing and filtered out
            raise RunError(NO_FILES_TO_PROCESS, node)
        methods = {str(o.get("name")): o.get("method") for o in node.outputs}
        built = [(name, methods[name]) for name in self._built_outputs(node) if methods.get(name) in FILE_METHODS]
        if [method for _, method in built] in ([], [FILE_MESSAGE]):
            return await self._read_files(node, kept)
        return await self._file_outputs(node, kept, built)

    async def _file_outputs(self, node: Node, kept: list[tuple[str, tuple[str, bytes]]],
                            built: list[tuple[str, Any]]) -> VertexResult:
        """Read File building the outputs Langflow's editor gives it (lfx's update_outputs), each by its method:
        load_files_path (File Path) the server paths of its files, a line each, reading none; the others read and
        parse the files once (their log entries kept by the first built): load_files_message (Raw Content) as
        _read_files; load_files_structured (a CSV's Structured Content) the table pandas' read_csv makes of the
        first file (of another file, a row of its Data's fields); load_files (several files' Files) a row of each
        file's Data fields; load_files_json (a JSON file's Structured Content) its text as an object (lfx's
        parse_string_to_dict: JSON, else a Python literal, a mapping; else {"value": text})."""
        from mock_langflow.engine import read_file, table

        loading = any(method != FILE_PATH for _, method in built)
        loaded = await self._read_files(node, kept) if loading else None
        outputs: dict[str, Value] = {}
        class_name, whole = current().run.table_class, current().run.table_cells == "whole"
        for name, method in built:
            if method == FILE_PATH:
                text = "\n".join(self._resolved(path) for path, _ in kept)
                made = self._made_message(text, node)
                outputs[name] = Value(message=made, made=self._made(text),
                                      artifact={"repr": made.data_repr(), "raw": text, "type": "text"})
                continue
            if method == FILE_MESSAGE:
                if loaded is not None:  # (always: every output but the path reads the files)
                    outputs[name] = loaded.primary
                continue
            if method == FILE_ROWS:
                rows, shown = table.made([fields for _, fields, _ in self.file_values], class_name, whole=whole)
                outputs[name] = Value(table=rows, artifact={"repr": shown, "raw": jsonable(rows), "type": "array"})
                continue
            first = self.file_values[0] if self.file_values else None
            if method == FILE_TABLE:
                if first is not None and first[0].lower().endswith(".csv"):
                    try:
                        records = await asyncio.to_thread(table.csv_file_records, first[2])
                    except Exception as exc:  # noqa: BLE001 - pandas' error fails the output, as in lfx
                        # (its error message shows args[0]: a UnicodeDecodeError's is the codec's name)
                        said = str(exc.args[0]) if exc.args else None
                        raise RunError(str(exc), node, error_type=type(exc).__name__, said=said) from None
                else:
                    records = [first[1]] if first is not None else [{}]
                rows, shown = table.made(records, class_name, whole=whole)
                outputs[name] = Value(table=rows, artifact={"repr": shown, "raw": jsonable(rows), "type": "array"})
                continue
            value = first[1].get("text") if first is not None else None
            try:
                outputs[name] = Value(data=read_file.as_mapping(value))
            except TypeError as exc:  # (orjson given no text: a YAML document)
                raise RunError(str(exc), node, error_type="TypeError") from None
        logs = loaded.logs if loaded is not None else []
        return VertexResult(node, outputs, loaded.artifacts if loaded is not None else {}, logs, 0.0,
                            output_logs={name: [] for name, _ in built[1:]})

    async def _read_files(self, node: Node, kept: list[tuple[str, tuple[str, bytes]]]) -> VertexResult:
        """Read File reading its files (engine/read_file.py): a log entry for the files it starts on (kept in its
        build logs; sent in 1.13 alone), then each file decoded (1.13: as its encoding detection decodes it, a log
        entry naming the encoding; earlier releases: as UTF-8) and parsed by its type (read_file.structured), the
        texts of what that made joined by its `separator` into the Message it returns, which its artifact shows
        with the first file's metadata. A file that fails is passed over with silent_errors (none left: the text
        "{}", an empty Data's); else 1.13 logs it and fails ("Error loading file <path>: <why>"), its logging of
        an XML ParseError raising a TypeError the vertex does not catch (VertexCrash), and earlier releases fail
        logging it from the worker thread that read it (FILE_LOG_OUTSIDE_COMPONENT)."""
        from mock_langflow.engine import read_file  # (not imported at start-up: Read File alone uses it)

        separator = str(node.value("separator", "") or "\n\n")
        report = current().run.read_file_report
        explicit = (str(node.value("text_encoding", "") or "").strip() or None) if report else None
        silent = node.value("silent_errors", False)
        entries: list[dict[str, Any]] = []

        async def logged(text: str) -> None:  # (lfx's Component.log: kept in its build logs, and sent in 1.13)
            entries.append({"name": f"Log {len(entries) + 1}", "message": text, "type": "text"})
            if report:
                await self._log_event(node, node.first_output, entries[-1])
        # before reading, lfx checks each image's bytes against its extension (a mismatch logged, and failing it
        # unless silent_errors), then refuses any file only Docling reads unless the Advanced Parser is on
        resolved = [self._resolved(path) for path, _ in kept]
        names = [(PurePosixPath(server).name, PurePosixPath(path).suffix[1:].lower(), data)
                 for server, (path, (_, data)) in zip(resolved, kept, strict=True)]
        for name, extension, data in names:
            if refusal := read_file.image_refusal(name, extension, data):
                await logged(refusal)
                if not silent:
                    raise RunError(refusal, node)
        for name, extension, _ in names if not node.value("advanced_mode", False) else []:
            if extension in read_file.DOCLING_ONLY:
                await logged(refusal := read_file.DOCLING_NEEDED.format(name=name, extension=extension))
                raise RunError(refusal, node)
        await logged(read_file.started(len(kept), node.value("concurrency_multithreading", 1)))
        read: list[tuple[str, int, str | None, str]] = []
        values: list[tuple[str, dict[str, Any], bytes]] = []  # each file's Data: its path, fields and bytes
        failed: tuple[RunError, Exception] | None = None  # the first file that failed, and why (1.13)
        for server, (_, (name, data)) in zip(resolved, kept, strict=True):
            try:  # (off the event loop, as lfx reads them: a large PDF takes a while)
                encoding, value = await asyncio.to_thread(read_file.parsed, data, server, explicit, detect=report)
            except Exception as exc:  # noqa: BLE001 - any parser's error fails the file, as lfx's loader catches it
                if silent:
                    continue
                if not report:
                    raise RunError(FILE_LOG_OUTSIDE_COMPONENT, node, error_type="RuntimeError") from None
                # 1.13 reads every file (each logged) before the first failure, in their order, fails the component
                failure = f"Error loading file {server}: {exc}"
                await logged(f"Unexpected error processing {server}: {failure}")
                failed = failed or (RunError(failure, node, error_type="ValueError"), exc)
                continue
            if encoding is not None:
                await logged(read_file.read_entry(server, encoding, explicit=explicit is not None))
            fields = {"file_path": server, "text": value, **({"encoding": encoding} if encoding else {})}
            read.append((server, len(data), encoding, read_file.part(value, fields)))
            values.append((server, fields, data))
            self.files.append((name, read[-1][3]))
        if failed is not None:
            error, cause = failed
            if read_file.xml_parse_error(cause):
                await self._report(node, error, component_traceback(node, error), 0.0)
                raise VertexCrash(read_file.crash_text(cause))
            raise error
        # each file gets the Data of every file read at its path (lfx's rollup_data): a file listed twice, twice
        read = [entry for path in resolved for entry in read if entry[0] == path]
        self.file_values = [entry for path in resolved for entry in values if entry[0] == path]
        text = separator.join(part for *_, part in read) if read else read_file.part(None, {})
        dump = read_file.message_dump(text, read, separator=separator, at=self.runner.clock.now(),
                                      flow_id=self.request.flow_id, report=report)
        artifact = {"repr": json.dumps(dump, indent=4, ensure_ascii=False), "raw": text, "type": "text"}
        return self._result(node, Value(text=text, artifact=artifact, fields=dump),
                            artifacts={"text": text, "type": "text"}, logs=entries)

    async def _run_memory(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx's Message History. What it does is the output built (its `mode` only picks the outputs the editor
        shows): `stored_messages` stores its `message`; `messages_text` and `dataframe` read the session's
        messages, filtered by sender type and name, n_messages of them in their `order` (profile
        messages.history_window): `messages_text` writes each by its `template` (lfx's data_to_text: the message's
        fields, a field it lacks empty), `dataframe` makes a table of them, a row each (Message.table_row)."""
        built = self._built_outputs(node) or [node.first_output]
        if "stored_messages" in built:
            return await self._store_memory(node, inputs)
        session = str(node.value("session_id", "") or self.session_id)
        messages = await self._history_read(node, session, inputs)
        outputs: dict[str, Value] = {}
        text = ""
        if any(name != "dataframe" for name in built):
            text = self._history_text(node, messages, inputs)
            # (the Message it returns: its artifact's repr is that Message's dump)
            outputs = dict.fromkeys(built, Value(text=text, made=self._made(text, shown=True)))
        if "dataframe" in built:  # (lfx's DataFrame of the messages)
            owner = self.request.message_owner
            outputs["dataframe"] = Value(table=[message.table_row(owner) for message in messages])
        return VertexResult(node, outputs, {"text": text, "type": "text"}, [], 0.0)

    def _history_text(self, node: Node, messages: list[Message], inputs: dict[str, list[Value]]) -> str:
        """The messages as a Message History's `messages_text` writes them, each by its template."""
        connected = inputs.get("template")
        template = "\n".join(v.as_text for v in connected) if connected else node.value("template", MEMORY_TEMPLATE)
        lines = []
        for message in messages:
            fields = message.payload()["data"]
            try:
                lines.append(str(template).format_map(defaultdict(str, {**fields, "data": fields})))
            except ValueError as exc:
                raise RunError(f"Error formatting template: {exc}", node) from None
            except (AttributeError, IndexError, KeyError, TypeError) as exc:
                raise RunError(str(exc), node, error_type=type(exc).__name__) from None
        return "\n".join(lines)

    async def _history_read(self, node: Node, session: str, inputs: dict[str, list[Value]]) -> list[Message]:
        """The messages a Message History reads, oldest first unless its order is Descending."""
        count = node.value("n_messages", 100)
        if count == 0:
            return []
        messages = await self._session_messages(node, session)
        sender = self._text(node, "sender_type", inputs)
        if sender and sender != "Machine and User":
            messages = [m for m in messages if m.sender == sender]
        if name := self._text(node, "sender_name", inputs):
            messages = [m for m in messages if m.sender_name == name]
        descending = node.value("order", "Ascending") == "Descending"
        limited = isinstance(count, int) and count > 0
        if current().messages.history_window == "newest":
            messages = messages[-count:] if limited else messages
            return messages[::-1] if descending else messages
        messages = messages[::-1] if descending else messages
        return messages[-count:] if limited else messages

    async def _store_memory(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx's Message History storing: its `message` (a text field: a connected Message's text, or the text
        typed) kept as a new message of the run's session, sent by its sender and sender name (else the machine's),
        handed on as the store gives it back."""
        text = self._text(node, "message", inputs)
        session = str(node.value("session_id", "") or self.session_id)
        sender = self._text(node, "sender", inputs) or SENDER_AI
        name = self._text(node, "sender_name", inputs) or NAME_AI
        message = self._message(text, sender=sender, sender_name=name, session=session, source=Source(), node=node)
        if self.request.persist:
            await self.runner.keep(self.request, message)
            message = await self._stored_back(node, message)
        # its status: the message read back, as the message table's row (the Message History table's columns), whose
        # Message(text=...) it stored had no run id or session metadata (a Chat Output taking it over sets them)
        row = message.table_row(self.request.message_owner)
        row.update({key: None for key in ("run_id", "session_metadata") if key in row})
        artifact = {"repr": json.dumps(row, indent=4, default=str), "raw": message.text, "type": "text"}
        value = Value(message=message, made=self._made(message.text), artifact=artifact)
        return VertexResult(node, {"stored_messages": value}, message.artifacts(), [], 0.0)

    async def _stored_back(self, node: Node, message: Message) -> Message:
        """The message lfx's store_message hands on: the first the store reads back of the session's messages from
        the same sender and sender name, newest first (ordered by their timestamps: before 1.13 those keep whole
        seconds, so of several stored within the newest one's second the earliest stored comes first)."""
        if current().messages.timestamps != "seconds":  # (microseconds: the message just stored is the newest)
            return message
        same = [m for m in await self._session_messages(node, message.session_id)
                if m.sender == message.sender and m.sender_name == message.sender_name] or [message]
        newest = max(m.timestamp.replace(microsecond=0) for m in same)
        first = next(m for m in same if m.timestamp.replace(microsecond=0) == newest)
        return message if first.id == message.id else first

    async def _run_scripted(self, node: Node, inputs: dict[str, list[Value]], script: ComponentScript) -> VertexResult:
        """A custom component as a script describes it (engine/components.py): wait, then output or raise."""
        run_values = {"session_id": self.session_id, "flow_id": str(self.request.flow_id or ""),
                      "flow_name": self.request.flow_name, "component_id": node.id}

        def field(name: str) -> str | None:
            if name in inputs or node.has_field(name):
                return self._text(node, name, inputs)
            return run_values.get(name)

        delay = script.delay if script.delay_from is None else seconds(field(script.delay_from) or "")
        if delay:
            await asyncio.sleep(delay)  # a stop cancels the run here, as it cancels a real component's await
        if script.error is not None:
            raise RunError(fill_template(script.error.message, field), node, error_type=script.error.type)
        text = fill_template(script.output or "", field)
        return self._result(node, Value(text=text), artifacts={"message": text, "type": "text"})

    async def _run_custom_template(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """A Custom Component running Langflow's template (a public flow's, in 1.13): no script stands in for it,
        and an output the build needs whose method the template lacks fails as Langflow's component lookup does
        (the template's own `output` first, then the node's outputs in order)."""
        wanted = self._processed(node)
        needed = [o for o in node.outputs if not wanted or o.get("name") in wanted]
        for output in sorted(needed, key=lambda o: o.get("name") != "output"):
            method = output.get("method")
            if not method:
                raise RunError(f'Output "{output.get("name")}" does not have a method defined.', node,
                               component_name=TEMPLATE_NAME)
            if method != TEMPLATE_METHOD:
                raise RunError(f"Attribute {method} not found in {CUSTOM_TEMPLATE}", node, error_type="AttributeError",
                               component_name=TEMPLATE_NAME)
        return await self._run_passthrough(node, inputs)

    async def _run_human_input(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx 1.13's Human Input: each connected branch output answers the prompt's text once a person chose
        (the other branches are switched off), an empty text before; a run that pauses (RunRequest.pauses) asks
        for the decision before its next vertex. A node that feeds nothing answers its prompt and asks nothing."""
        if not self.runner.human_input:
            return await self._run_passthrough(node, inputs)
        prompt = self._text(node, "prompt", inputs)
        wanted = self._processed(node)
        names = self._built_outputs(node) if wanted else []
        request_id = f"{node.id}:{self.run_id}"
        decision = self.decisions.get(request_id)
        text = prompt
        if decision is None and wanted:
            text = ""
            if self.request.pauses:
                self.pause = pause_request(node, request_id, prompt, self.runner.clock.now())
                self.rebuilt.add(node.id)
        stopped: set[str] = set()
        if decision is not None:
            stopped = stopped_by(self.graph, node, decision.get("action_id"))
            self.excluded |= stopped
        message = self._message(text, sender=None, sender_name=None, session=self.session_id, source=Source(),
                                node=node)
        value = Value(message=message, made=self._made(text))
        result = VertexResult(node, dict.fromkeys(names or [node.first_output], value), message.artifacts(), [], 0.0)
        # its build shows the stopped vertices that are no merge point (fed by one edge) as inactivated
        result.inactivated = sorted(v for v in stopped if len(self.graph.incoming(v)) <= 1)
        return result

    async def _run_pass(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx's Pass: its input message handed on as it came (an ignored message is waited for, then dropped)."""
        connected = inputs.get("input_message")
        if connected:
            value = connected[0]
        else:  # a typed text: the input makes it a Message of its own
            text = self._text(node, "input_message", inputs)
            value = Value(message=self._made_message(text, node), made=self._made(text))
        return self._result(node, value, artifacts={"message": value.as_text, "type": "text"})

    async def _run_conditional_router(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx's If-Else: its Text Input compared with its Match Text (engine/conditional.py), then each output lfx
        processes (_processed: those its edges name, every one when it feeds nothing) built in turn: the output of
        the result hands on its case message, the other an empty Message. The route not taken is switched off for
        the rest of the run: a conditional exclusion, which every later build lists among its inactivated vertices
        and a pause keeps; only stopped (for this build's own list) when max_iterations is reached on the default
        route. Each output's artifact shows the component's status as lfx's custom_repr reads it then (profile
        run.sticky_repr)."""
        rules = current().run
        text = self._text(node, "input_text", inputs)
        routing = conditional.Routing(
            conditional.holds(text, self._text(node, "match_text", inputs), str(node.value("operator", "equals")),
                              case_sensitive=bool(node.value("case_sensitive", True))),
            conditional.whole(node.value("max_iterations", 10), 10),
            str(node.value("default_route", conditional.FALSE)))
        outputs: dict[str, Value] = {}
        status: Value | str | None = None  # the case message a method set, then each output's text (extract_data)
        kept: list[Value | str | None] = []  # lfx 0.3/0.2's repr_value: the status the first output saw
        # the outputs its component has (whatever the node lists), those lfx processes
        wanted = self._processed(node)
        for name in [n for n in (conditional.TRUE, conditional.FALSE) if n in wanted or not wanted]:
            empty = not routing.answer(name)
            value = Value(message=self._made_message("", node), made=self._made("")) if empty \
                else self._case_message(node, name, text, inputs)
            if not empty:
                status = value
            if rules.sticky_repr and not kept:
                kept.append(status)
            shown = kept[0] if kept else status
            shown = value if shown is None else shown  # custom_repr: the status, else the value itself
            if isinstance(shown, str) or shown.message is None:
                repr_text = shown if isinstance(shown, str) else shown.as_text
            elif shown is value and empty and rules.if_else_cases == "raw":  # Message(content=""): content first
                repr_text = shown.message.data_repr(content="", files=[])
            else:
                repr_text = shown.message.data_repr()
            outputs[name] = replace(value, artifact={"repr": repr_text, "raw": value.as_text, "type": "text"})
            status = value.as_text
        off = self.graph.branches(node.id, {routing.stopped}, merges=rules.branch_merges == "kept") \
            if routing.stopped else set()
        self.excluded |= off
        if routing.excluded:
            self.persisted |= off
        for waiting in self.pending.values():  # lfx's remove_from_predecessors: a merge point waits for them no more
            waiting -= off
        first = next(iter(outputs.values()), None)  # (none when its edges take only outputs it does not have)
        result = VertexResult(node, outputs, first.message.artifacts() if first and first.message else {}, [], 0.0)
        result.inactivated = sorted(off)
        return result

    def _case_message(self, node: Node, output: str, text: str, inputs: dict[str, list[Value]]) -> Value:
        """What an If-Else output hands on when its case holds: its Case True/False message (connected, or typed:
        a Message of that text), the Text Input instead when that is blank (1.13; before, the blank message)."""
        field_name = "true_case_message" if output == conditional.TRUE else "false_case_message"
        resolved = current().run.if_else_cases == "resolved"
        connected = inputs.get(field_name)
        if connected:
            value = connected[0]
            if not resolved or value.as_text or (value.message is not None and value.message.files):
                return value
        else:
            typed = node.value(field_name, "")
            typed = typed if isinstance(typed, str) else str(typed)
            if typed or not resolved:
                return Value(message=self._made_message(typed, node), made=self._made(typed))
        return Value(message=self._made_message(text, node), made=self._made(text))

    async def _run_parser(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx's Parser (engine/parser.py). Parser mode: its template filled from the JSON handed to it (a
        Message is JSON too: its fields), or from each row of a table, the rows' texts joined by its Separator; the
        Message of that text handed on, the text its status. Stringify: the input written out (JSON as a fenced
        block of 2-space JSON, a table as its pipe table, a Message as its text, nothing as "None"), a log entry
        giving the length, the Message handed on its status too."""
        from mock_langflow.engine import parser  # (not imported at start-up: the Parser alone uses it)

        rules = current().run
        handed = inputs.get("input_data")
        value = handed[0] if handed else None
        if node.value("mode", "Parser") == "Stringify":
            return await self._stringified(node, value)
        if value is None or (value.json_fields is None and value.table is None):
            kind = "NoneType" if value is None else "str"
            expected = parser.EXPECTED if rules.parser_lists else parser.EXPECTED_SINGLE
            raise RunError(parser.UNSUPPORTED.format(kind=kind, expected=expected), node)
        pattern = self._text(node, "pattern", inputs) if node.value("pattern") is not None else "Text: {text}"
        if value.table is not None:  # each row's columns as keywords: a column no row has is a KeyError
            items, fill = value.table, parser.filled_row
        else:
            items = [value.json_fields or {}]
            fill = parser.filled
        if any(parser.too_wide(pattern, item) for item in items):
            raise RunError(parser.TOO_WIDE, node)
        try:
            texts = [fill(pattern, item) for item in items]
        except TypeError as exc:  # lfx's Component wraps a TypeError its output method raises
            raise RunError(f'Error running method "parse_combined_text": {exc}', node, error_type="TypeError") \
                from None
        except (ValueError, AttributeError, IndexError, KeyError) as exc:
            raise RunError(str(exc), node, error_type=type(exc).__name__,
                           said=str(exc.args[0]) if exc.args else None) from None
        separator = self._text(node, "sep", inputs) if node.value("sep") is not None else "\n"
        text = separator.join(texts)
        return self._result(node, Value(message=self._made_message(text, node), made=self._made(text)),
                            artifacts={"text": text, "type": "text"})

    async def _stringified(self, node: Node, value: Value | None) -> VertexResult:
        """A Parser's Stringify (see _run_parser); lfx 0.3/0.2 take no input (or an empty text, or a table of no
        rows) as False."""
        from mock_langflow.engine import parser

        lists = current().run.parser_lists
        if value is not None and value.table is not None:
            # (lfx 0.3/0.2: `input_data or False`, an empty table False, and no Clean Data)
            text = value.table_text(clean=bool(node.value("clean_data", False))) if lists \
                else value.table_text() if value.table else "False"
        elif value is None or (not lists and value.message is None and value.data is None and not value.text):
            text = "None" if lists else "False"
        elif value.message is not None:
            text = value.message.text
        else:
            text = parser.clean(value.as_text)
        entry = {"name": "Log 1", "message": parser.CONVERTED.format(length=len(text)), "type": "text"}
        await self._log_event(node, node.first_output, entry)
        made = self._made_message(text, node)
        artifact = {"repr": made.data_repr(), "raw": text, "type": "text"}
        return self._result(node, Value(message=made, made=self._made(text), artifact=artifact),
                            artifacts={"text": text, "type": "text"}, logs=[entry])

    async def _run_type_converter(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx's Type Convert (engine/convert.py): its input as a Message, JSON or a table, one output each. The
        outputs lfx processes are built (_built_outputs; every one its node lists when it feeds nothing), each
        showing what it made as its status: a Message's JSON dump, JSON indented by four, a table as pandas' repr.
        Nothing handed in fails it, as lfx's method calls the conversion on None."""
        from mock_langflow.engine import convert, table  # (not imported at start-up: Type Convert alone uses them)

        handed = inputs.get("input_data")
        value = handed[0] if handed else None
        auto_parse = bool(node.value("auto_parse", False))
        built = self._built_outputs(node)
        outputs: dict[str, Value] = {}
        for name in [n for n in convert.OUTPUTS if n in built]:
            if value is None:
                raise RunError(convert.NOTHING_HANDED.format(method=convert.METHODS[name]), node,
                               error_type="AttributeError")
            text = value.message.text if value.message is not None else value.text or ""
            if name == convert.MESSAGE:
                if value.fields is not None:  # Read File's Message, handed on with the artifact it came with
                    outputs[name] = value
                    continue
                if value.message is not None:  # handed on as it came
                    outputs[name] = replace(value, artifact={"repr": value.message.data_repr(), "raw": text,
                                                             "type": "text"})
                    continue
                if value.table is not None:
                    text = table.message_markdown(value.table, numbers=current().run.table_numbers)
                elif value.data is not None:
                    said = convert.message_text(value.data)
                    if not isinstance(said, str):  # ({"text": 5}: Message(text=5))
                        outputs[name] = self._message_of_value(node, said)
                        continue
                    text = said
                made = self._made_message(text, node)
                outputs[name] = Value(message=made, made=self._made(text),
                                      artifact={"repr": made.data_repr(), "raw": text, "type": "text"})
                continue
            if value.table is not None:
                data = {"results": value.table}
            elif value.data is not None:
                data = value.data
            else:
                data = convert.as_data(text, auto_parse=auto_parse)
            if name == convert.DATA:
                outputs[name] = Value(data=data)
                continue
            class_name, whole = current().run.table_class, current().run.table_cells == "whole"
            if value.table is not None:
                rows, shown = value.table, table.shown(value.table, class_name, whole=whole)
            else:
                rows, shown = table.made(convert.table_records(data), class_name, whole=whole)
            outputs[name] = Value(table=rows, artifact={"repr": shown, "raw": jsonable(rows), "type": "array"})
        return VertexResult(node, outputs, {}, [], 0.0)

    async def _run_split_text(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        """lfx's Split Text (engine/split_text.py): the text of its input cut at its Separator into chunks of up to
        Chunk Size characters sharing up to Chunk Overlap, a table of a row per chunk handed on. The component sets
        no status: its artifact shows "None" and the rows. A TypeError it raises lfx prefixes with the method."""
        from mock_langflow.engine import conditional, split_text  # (not imported at start-up: Split Text alone)

        rules = current().run
        handed = inputs.get("data_inputs")
        value = handed[0] if handed else Value()
        text_key = self._text(node, "text_key", inputs) if node.has_field("text_key") else "text"
        try:
            items = split_text.documents(
                value.message_fields, value.data, value.table, given=bool(handed), text_key=text_key,
                table_class=rules.table_class)
            rows = split_text.chunk_rows(
                items, sep=split_text.separator(self._text(node, "separator", inputs)),
                chunk_size=conditional.whole(node.value("chunk_size", 1000), 0),
                chunk_overlap=conditional.whole(node.value("chunk_overlap", 200), 0),
                keep=split_text.keep_mode(node.value("keep_separator", "False"), lowered=rules.split_text == "1.13"),
                clean=rules.split_text != "1.7.1" and bool(node.value("clean_output", False)),
                ordered=rules.split_text != "1.7.1")
        except split_text.Refused as exc:
            reason = f'Error running method "split_text": {exc.text}' if exc.error_type == "TypeError" else exc.text
            raise RunError(reason, node, error_type=exc.error_type) from None
        artifact = {"repr": "None", "raw": jsonable(rows), "type": "array"}
        return VertexResult(node, {node.first_output: Value(table=rows, artifact=artifact)}, {}, [], 0.0)

    def _message_of_value(self, node: Node, value: Any) -> Value:
        """Message(text=value) of a value that is no text (Type Convert's JSON whose "text" is a number, a list, an
        object or null). 1.13 keeps the value as the Message's pending text stream: its status shows the dump with
        `_text_stream` and an empty text, its output lfx's artifact of the value (convert.pending), and a Chat
        Output writes str() of it if truthy. Before 1.13 pydantic refuses any such value but None, which it
        takes: then a Chat Output finds no text. None's status shows its text null."""
        from mock_langflow.engine import convert

        refused = current().run.message_text_values == "refused"
        if refused and value is not None:
            raise RunError(errors.message_text_refused(value, self.runner.pydantic_docs) or "", node,
                           error_type="ValidationError")
        text, entry, raw = convert.pending(value)
        made = self._made_message(text, node)
        shown = json.loads(made.data_repr())
        if value is None:
            shown["text"] = None
        else:  # (the value kept aside, the text emptied: last in the dump)
            del shown["text"]
            shown.update({"_text_stream": jsonable(value), "text": ""})
        artifact = {"repr": json.dumps(shown, indent=4, default=str), **raw}
        return Value(message=made, made=self._made(text), artifact=artifact, entry=entry,
                     no_text=refused and value is None)

    async def _run_passthrough(self, node: Node, inputs: dict[str, list[Value]]) -> VertexResult:
        values = [v for vs in inputs.values() for v in vs]
        value = values[0] if values else Value(text="")
        log = {"name": "mock-langflow", "message": NOT_SIMULATED.format(type=node.type), "type": "text"}
        return self._result(node, value, logs=[log], artifacts={"message": value.as_text, "type": "text"})


def _encoded(value: Value) -> dict[str, Any]:
    """A built output as a paused run keeps it: its data, else its text."""
    return {"data": value.data} if value.data is not None and value.message is None else {"text": value.as_text}


def _decoded(kept: dict[str, Any]) -> Value:
    data = kept.get("data")
    return Value(data=data) if isinstance(data, dict) else Value(text=str(kept.get("text") or ""))


async def deliver(reply: LlmReply, node: Node):  # type: ignore[no-untyped-def]
    """The reply's tokens at the script's pace; an error or a dropped connection where the script says."""
    shape = reply.stream
    if shape.first_token_delay_ms:
        await asyncio.sleep(shape.first_token_delay_ms / 1000)
    interval = 1 / shape.tokens_per_second if shape.tokens_per_second else 0
    start = time.perf_counter()
    for index, token in enumerate(reply.tokens()):
        if shape.error_after is not None and index >= shape.error_after:
            raise RunError(reply.error or "Scripted error", node)
        if shape.disconnect_after is not None and index >= shape.disconnect_after:
            raise Disconnect(node)
        if interval:
            # pace against the clock, not per sleep, so many small sleeps do not drift
            delay = start + (index + 1) * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        yield token
    if shape.error_after is not None:
        raise RunError(reply.error or "Scripted error", node)
    if shape.disconnect_after is not None:
        raise Disconnect(node)
