"""Human in the loop (1.13): what lfx's Human Input node asks for, how a decision routes its branches, and what a
paused run keeps so that it can go on.

A v2 background run (the only run 1.13 arms its pause for) stops before the vertex after a Human Input node that
feeds another one; the job is suspended with a checkpoint (JobRow.checkpoint, in SQLite) holding the graph, what
each built vertex output and the decisions taken so far. POST /resume continues the same job from there: the Human
Input node is built again with the decision, the branches it did not choose are never built, and the vertices
built before the pause are not built again.

An Agent (1.13, lfx's ToolApprovalMixin and LangChain's HumanInTheLoopMiddleware) asks the same way before it
calls a tool whose tools_metadata row lists `approval_actions`: its request (kind "tool_approval") names the
call, the run pauses before the vertex after the Agent, and the resumed run builds the Agent again (and the
tools it is given, which a checkpoint cannot keep), going on from that call with the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from mock_langflow.engine.graph import Graph, Node
from mock_langflow.engine.scripts import StreamShape, ToolCall, ToolCallEntry, model_turns, shown_turns

if TYPE_CHECKING:
    from mock_langflow.engine.llm import LlmReply

# a paused Agent's model turns, kept as a rule's tool_calls give them (a pause kept before turns: its calls alone)
KEPT_TURNS: TypeAdapter[list[Any]] = TypeAdapter(list[ToolCallEntry])
HUMAN_INPUT_REQUIRED = "human_input_required"  # the pause's event, as the job's log keeps it
CARD_TITLE = "Human input required"  # the title of the card message a pause stores
EXPIRED_ACTION = "__expired__"  # a late answer with no fallback branch: it takes no branch at all
FALLBACK_ACTION = "fallback"
DEFAULT_DECISIONS = ("Approve", "Reject")  # the node's User Choices when the flow holds none
DEFAULT_TIMEOUT = {"value": 3, "unit": "Days"}
_UNIT_SECONDS = {"Minutes": 60, "Hours": 3600, "Days": 86400}
KIND_TOOL_APPROVAL = "tool_approval"
# the labels of a tool approval's options (lfx's DECISION_LABELS; any other action is its id in title case)
DECISION_LABELS = {"approve": "Approve", "edit": "Edit", "reject": "Reject", "respond": "Respond"}
# HumanInTheLoopMiddleware's description of a call it stops (its description_prefix, then the tool and its args)
APPROVAL_PREFIX = "Tool execution requires approval"


class Paused(Exception):  # noqa: N818 (a pause, not an error)
    """A run that stopped for a person: the Human Input's request, and what the run did before it (each built
    vertex's outputs, encoded; the results themselves; the vertices its decisions so far switched off; the
    decisions; the vertices that failed)."""

    def __init__(self, request: dict[str, Any], built: dict[str, dict[str, Any]], results: list[Any],
                 excluded: set[str], decisions: dict[str, dict[str, Any]], failures: list[Any],
                 replies: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__(HUMAN_INPUT_REQUIRED)
        self.request, self.built, self.results = request, built, results
        self.excluded, self.decisions, self.failures = excluded, decisions, failures
        # the scripted model's reply of each Agent that asked for a tool approval (kept_reply): its resumed run
        # goes on with the same conversation
        self.replies = replies or {}


@dataclass
class Resumed:
    """What a resumed run starts from: the outputs of the vertices built before the pause (encoded), the vertices
    switched off by earlier decisions, every decision taken, by request id, and the gate this resume passed:
    (the Human Input's id, the request id, the action taken, its label), which its trace records."""

    built: dict[str, dict[str, Any]] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    gate: tuple[str, str, str, str] | None = None
    replies: dict[str, dict[str, Any]] = field(default_factory=dict)  # by Agent id (Paused.replies)

    @classmethod
    def going_on(cls, checkpoint: dict[str, Any], request_id: str, decision: dict[str, Any],
                 gate: tuple[str, str, str, str] | None = None) -> Resumed:
        """What a paused run's checkpoint (jobs.pause_checkpoint) goes on from, with the person's decision on
        the request it waited on."""
        return cls(built=checkpoint.get("built") or {}, excluded=set(checkpoint.get("excluded") or []),
                   decisions={**(checkpoint.get("decisions") or {}), request_id: decision}, gate=gate,
                   replies=checkpoint.get("replies") or {})


def gate_label(action: str, options: Any) -> str:
    """How a resumed run's trace names the gate passed: the chosen option's label, else the action id in words."""
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict) and str(option.get("action_id")) == action:
            label = str(option.get("label") or "").strip()
            if label:
                return label
    return action.replace("_", " ").strip().title() or "Resolved"


def action_id(label: Any) -> str:
    """A branch's id from its label, as lfx makes it ('Request Changes' -> 'request_changes')."""
    return str(label).strip().lower().replace(" ", "_")


def actions(node: Node) -> list[tuple[str, str]]:
    """The node's User Choices as (action id, label), once each id, in order."""
    labels = node.value("decisions", list(DEFAULT_DECISIONS))
    found: dict[str, str] = {}
    for label in labels if isinstance(labels, list) else []:
        key = action_id(label)
        if key and key not in found:
            found[key] = str(label).strip()
    return list(found.items())


def allowed_decisions(node: Node) -> list[str]:
    ids = [key for key, _ in actions(node)]
    return [*ids, FALLBACK_ACTION] if node.value("enable_fallback", False) else ids


def timeout_seconds(node: Node) -> int:
    timeout = node.value("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, dict):
        return 0
    unit = timeout.get("unit") or "Days"
    try:
        amount = int(timeout.get("value") or 0)
    except (TypeError, ValueError):
        return 0
    return amount * _UNIT_SECONDS.get(unit, _UNIT_SECONDS["Days"])


def pause_request(node: Node, request_id: str, prompt: str, now: datetime) -> dict[str, Any]:
    """The request the node pauses with (its human_input_required event's data)."""
    fallback = bool(node.value("enable_fallback", False))
    return {"request_id": request_id, "kind": "node_input", "prompt": prompt,
            "options": [{"action_id": key, "label": label} for key, label in actions(node)],
            "allowed_decisions": allowed_decisions(node), "timeout_seconds": timeout_seconds(node),
            "fallback_action": FALLBACK_ACTION if fallback else None, "paused_at": now.astimezone(UTC).isoformat()}


def rerouted(pending: dict[str, Any] | None, decision: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A decision that came after the pause's timeout goes to the fallback branch (no branch at all when the node
    has none); one in time is kept as it is."""
    pending = pending or {}
    timeout = pending.get("timeout_seconds") or 0
    paused_at = pending.get("paused_at")
    if not (isinstance(timeout, int) and timeout > 0 and isinstance(paused_at, str)):
        return decision
    try:
        moment = datetime.fromisoformat(paused_at)
    except ValueError:
        return decision
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    if now - moment > timedelta(seconds=timeout):
        return {**decision, "action_id": pending.get("fallback_action") or EXPIRED_ACTION}
    return decision


def stopped_by(graph: Graph, node: Node, chosen: Any) -> set[str]:
    """The vertices a decision switches off: lfx stops each branch the human did not choose, all that is
    downstream of it, except what another output of the node also reaches."""
    off: set[str] = set()
    for key in allowed_decisions(node):
        if key != chosen:
            off |= graph.branches(node.id, {f"branch_{key}"})
    return off


def excluded_by(graph: Graph, node: Node, chosen: Any) -> set[str]:
    """The vertices a decision keeps off for good once a later pause checkpoints the run (lfx's
    exclude_branches_conditionally of the branches not chosen): all that is downstream of them, except what a
    chosen branch also reaches."""
    return graph.branches(node.id, {f"branch_{key}" for key in allowed_decisions(node) if key != chosen})


def card_blocks(request: dict[str, Any], job_id: str) -> list[dict[str, Any]]:
    """The card message's content blocks: one group titled "Human input required" around the request."""
    leaf = {"type": "human_input", "id": None, "duration": None, "header": {}, "contents": [],
            "request_id": request.get("request_id", ""), "job_id": job_id, "kind": request.get("kind", "node_input"),
            "prompt": request.get("prompt"), "options": request.get("options") or [],
            "fields": request.get("schema") or [], "allowed_decisions": request.get("allowed_decisions") or [],
            "submitted_action": None, "superseded": False}
    return [{"type": "group", "id": None, "duration": None, "header": {}, "contents": [leaf], "title": CARD_TITLE,
             "allow_markdown": True, "media_url": None}]


def stamped(blocks: list[Any], *, action: Any = None, request_id: str | None = None,
            superseded: bool = False) -> list[Any] | None:
    """The card's blocks with the answer stamped on its human_input content (only the one of `request_id`), or,
    with `superseded`, every still open one marked superseded; None when nothing changed."""
    changed = False
    out: list[Any] = []
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get("contents"), list):
            out.append(block)
            continue
        contents = []
        for leaf in block["contents"]:
            if isinstance(leaf, dict) and leaf.get("type") == "human_input":
                if superseded and leaf.get("submitted_action") is None:
                    leaf, changed = {**leaf, "superseded": True}, True
                elif not superseded and (request_id is None or leaf.get("request_id") == request_id):
                    leaf, changed = {**leaf, "submitted_action": action}, True
            contents.append(leaf)
        out.append({**block, "contents": contents})
    return out if changed else None


def approval_gates(rows_of_tools: list[Any]) -> dict[str, list[str]]:
    """The tools an Agent must ask about, by name, with the decisions each allows: every tools_metadata row (of
    the components connected to its tools) that is not switched off and lists `approval_actions` (lfx's
    _gated_interrupt_on, the row's tool metadata as update_tools_metadata carries it)."""
    gates: dict[str, list[str]] = {}
    for rows in rows_of_tools:
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or row.get("status", True) is False or not row.get("name"):
                continue
            allowed = row.get("approval_actions")
            if isinstance(allowed, list) and allowed:
                gates[str(row["name"])] = list(dict.fromkeys(str(a) for a in allowed))
    return gates


def approval_request(request_id: str, calls: list[ToolCall], gates: dict[str, list[str]]) -> dict[str, Any]:
    """The request an Agent pauses with after a model turn calling gated tools (lfx's _map_interrupt_to_request
    of the middleware's one interrupt for the turn): an action request per gated call, the decisions any of
    them allows (in order, once each), the first call's description as the prompt."""
    actions = [{"name": call.name, "args": call.input,
                "description": f"{APPROVAL_PREFIX}\n\nTool: {call.name}\nArgs: {call.input}"} for call in calls]
    allowed = list(dict.fromkeys(key for call in calls for key in gates[call.name]))
    return {"request_id": request_id, "kind": KIND_TOOL_APPROVAL, "prompt": actions[0]["description"],
            "options": [{"action_id": key, "label": DECISION_LABELS.get(key, key.title())} for key in allowed],
            "allowed_decisions": allowed, "action_requests": actions}


def decided_calls(calls: tuple[ToolCall, ...], gates: dict[str, list[str]],
                  decision: dict[str, Any]) -> list[ToolCall]:
    """The calls of a paused model turn that run once a person decided (the middleware's revised tool calls, in
    the turn's order): the one decision answers each gated call (lfx's _build_resume_decisions): "approve" runs
    it, "edit" runs it with the decision's arguments, "reject" and "respond" answer the model for it without a
    run; the turn's other calls run as made."""
    action = decision.get("action_id")
    kept: list[ToolCall] = []
    for call in calls:
        if call.name in gates and action in ("reject", "respond"):
            continue
        if call.name in gates and action == "edit":
            call = call.model_copy(update={"input": edited_input(decision, call.input)})
        kept.append(call)
    return kept


def edited_input(decision: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The arguments an "edit" decision calls the tool with: its values' `args`, else the values themselves (lfx's
    _to_langgraph_decision); what is no object keeps the call's own."""
    values = decision.get("values") or {}
    args = values.get("args", values) if isinstance(values, dict) else None
    return args if isinstance(args, dict) else current


def kept_reply(reply: LlmReply) -> dict[str, Any]:
    """A scripted model reply as a paused run keeps it (JSON)."""
    return {"text": reply.text, "error": reply.error, "stream": reply.stream.model_dump(mode="json"),
            "rule_id": reply.rule_id, "turn": reply.turn, "usage": reply.usage,
            "tool_calls": shown_turns(reply.turns)}


def restored_reply(kept: dict[str, Any]) -> LlmReply:
    from mock_langflow.engine.llm import LlmReply  # (the store the model module imports imports the runner)

    stream = StreamShape.model_validate(kept.get("stream") or {})
    turns = model_turns(KEPT_TURNS.validate_python(kept.get("tool_calls") or []))
    return LlmReply(str(kept.get("text") or ""), kept.get("error"), stream, kept.get("rule_id"),
                    int(kept.get("turn") or 0), turns, kept.get("usage"))
