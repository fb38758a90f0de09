"""The `log` entries 1.13's Agent makes as its LangGraph agent runs: lfx's AgentAsyncHandler logs LangChain's
on_chain_start (each graph node's run: "Chain Start"), on_tool_start and on_tool_end ("Tool Start", "Tool End")
through Component.log, which keeps each entry in the vertex's build logs and, with an event manager, sends it as a
`log` event naming the output being built and the component. Made from the scripted model's turns, in the order a
live 1.13.0 with an OpenAI model on loopback logged them: the graph's own chain (its input messages without ids),
then per model turn the ModelCallLimitMiddleware's before_model chain, the "model" chain, the human-in-the-loop
middleware's after_model chain (a gated tool) and the call limit's after_model chain; a turn that calls tools then
starts a "tools" chain per call (LangGraph sends each call as a task of its own) and runs them one after another,
each tool's start and end. Every node's input is the graph's state: its messages as LangGraph's add_messages
gave them ids, and the call limit's counts once one model call is done."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from mock_langflow.engine.scripts import ToolCall

# nanoid's alphabet, whose five characters end the id of a component lfx makes (Component's `_id`)
NANOID = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

ROOT = "LangGraph"
BEFORE_MODEL = "ModelCallLimitMiddleware.before_model"
AFTER_MODEL = "ModelCallLimitMiddleware.after_model"
APPROVAL_AFTER_MODEL = "HumanInTheLoopMiddleware.after_model"
INTEGRATION = {"ls_integration": "langchain_create_agent"}  # the metadata create_agent tags its graph's runs with
# what each model provider's LangChain integration says of itself in an answer's response_metadata
MODEL_PROVIDERS = {"OpenAI": "openai", "Azure OpenAI": "openai", "Anthropic": "anthropic",
                   "Google Generative AI": "google_genai", "Ollama": "ollama"}
# the descriptions of the Agent's own tools, as their components give them
OWN_TOOLS = {"get_current_date": ("CurrentDateComponent",
                                  "Returns the current date and time in the selected timezone."),
             "evaluate_expression": ("CalculatorComponent",
                                     "Perform basic arithmetic operations on a given expression.")}


def lc_message(kind: str, content: Any, message_id: str | None, **extra: Any) -> dict[str, Any]:
    """A LangChain message as Langflow serializes it (pydantic's model_dump, langchain-core 1.x): an AI message
    with its calls, invalid calls and usage (none unless given)."""
    dumped: dict[str, Any] = {"content": content, "additional_kwargs": {}, "response_metadata": {}, "type": kind,
                              "name": None, "id": message_id}
    if kind == "ai":
        dumped |= {"tool_calls": [], "invalid_tool_calls": [], "usage_metadata": None}
    return dumped | extra


class AgentLog:
    """One Agent build's log entries, made as its run goes; the run takes them as they are made (its build logs,
    and a `log` event each where it has an event manager)."""

    def __init__(self, *, base: str, now: Callable[[], datetime],
                 provider: str | None, model: str | None, call_limit: bool, gated: bool,
                 tool_sources: dict[str, tuple[str | None, str]]) -> None:
        self.base, self.now = base, now
        # entries made and not yet taken: each as sent when made, and as the build logs keep it (the objects it
        # holds, which LangGraph gives their ids later: the graph's input messages, a tool's ToolMessage)
        self.made: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.provider, self.model = provider, model
        self.call_limit, self.gated, self.tool_sources = call_limit, gated, tool_sources
        self.drawn = 0
        self.step = 0
        self.model_calls = 0
        self.state: list[dict[str, Any]] = []
        self.root: str | None = None
        self.pending: list[dict[str, Any]] = []  # tool entries made ahead of the announcements they precede

    # --- ids: time-ordered run ids (uuid7) and message ids (uuid4), from the run's own ids, drawing none ------

    def _bits(self) -> int:
        self.drawn += 1
        digest = hashlib.sha256(f"{self.base}:{self.drawn}".encode()).digest()
        return int.from_bytes(digest[:16], "big")

    def run_id(self) -> str:
        """A LangChain run id: a uuid7 of the clock's millisecond."""
        ms = int(self.now().timestamp() * 1000) & ((1 << 48) - 1)
        bits = self._bits()
        value = (ms << 80) | (0x7 << 76) | (((bits >> 64) & 0xFFF) << 64) | (0b10 << 62) | (bits & ((1 << 62) - 1))
        return str(UUID(int=value))

    def message_id(self) -> str:
        return str(UUID(int=self._bits(), version=4))

    def node_id(self, component: str) -> str:
        """The id of a component the Agent makes for a tool of its own: its class and five nanoid characters."""
        bits = self._bits()
        letters = "".join(NANOID[(bits >> (6 * i)) % len(NANOID)] for i in range(5))
        return f"{component}-{letters}"

    # --- the entries ------------------------------------------------------------------------------------------

    def take(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        made, self.made = self.made, []
        return made

    def _send(self, name: str, message: dict[str, Any], kept: dict[str, Any] | None = None) -> None:
        entry = {"name": name, "message": message, "type": "object"}
        self.made.append((entry, entry if kept is None else {**entry, "message": kept}))

    def _chain(self, node: str, inputs: Any, *, push: int | None = None) -> tuple[str, dict[str, Any]]:
        """A graph node's chain start (a step of its own; a tool call's task, `push`ed by the model's turn, shares
        the step of the turn's other calls): its run id and LangGraph's metadata, which the tool it runs gets too."""
        if push is None or push == 0:
            self.step += 1
        metadata = {**INTEGRATION, "langgraph_step": self.step, "langgraph_node": node,
                    "langgraph_triggers": ["__pregel_push"] if push is not None else [f"branch:to:{node}"],
                    "langgraph_path": ["__pregel_push", push, False] if push is not None else ["__pregel_pull", node],
                    # (LangGraph's task id: a hash, no uuid version)
                    "langgraph_checkpoint_ns": f"{node}:{UUID(int=self._bits())}"}
        run_id = self.run_id()
        self._send("Chain Start", {"type": "chain_start", "serialized": None, "inputs": inputs, "run_id": run_id,
                                   "parent_run_id": self.root, "tags": [f"graph:step:{self.step}"],
                                   "metadata": metadata, "name": node})
        return run_id, metadata

    def _state(self) -> dict[str, Any]:
        counts = {"thread_model_call_count": self.model_calls, "run_model_call_count": self.model_calls}
        return {"messages": list(self.state), **(counts if self.call_limit and self.model_calls else {})}

    def start(self, history: list[tuple[str, str]], user_input: str) -> None:
        """The graph's own chain, given the chat history and the input (no ids yet), which add_messages then ids."""
        given = [lc_message(kind, text, None) for kind, text in history] + [lc_message("human", user_input, None)]
        self.root = self.run_id()
        self.state = [{**m, "id": self.message_id()} for m in given]
        started = {"type": "chain_start", "serialized": None, "inputs": {"messages": given}, "run_id": self.root,
                   "parent_run_id": None, "tags": [], "metadata": INTEGRATION, "name": ROOT}
        self._send("Chain Start", started, {**started, "inputs": {"messages": list(self.state)}})

    def turn_start(self) -> None:
        """A model turn: the call limit's check, then the model node."""
        if self.call_limit:
            self._chain(BEFORE_MODEL, self._state())
        self._chain("model", self._state())

    def turn_end(self, said: str, calls: list[tuple[ToolCall, dict[str, Any]]],
                 usage: dict[str, int] | None) -> None:
        """The model's answer joins the state (its calls with the ids of the ToolMessages they get), then the
        after_model chains: the approval middleware's, and the call limit's, which counts the call."""
        tool_calls = [_tool_call(call, given) for call, given in calls]
        metadata = {"finish_reason": "tool_calls" if calls else "stop", "model_name": self.model,
                    "model_provider": MODEL_PROVIDERS.get(self.provider or "", self.provider)}
        usage_metadata = None if usage is None or calls else {
            "input_tokens": usage.get("input_tokens", 0), "output_tokens": usage.get("output_tokens", 0),
            "total_tokens": usage.get("input_tokens", 0) + usage.get("output_tokens", 0),
            "input_token_details": {}, "output_token_details": {}}
        self.state.append(lc_message("ai", said, f"lc_run--{self.run_id()}", response_metadata=metadata,
                                     tool_calls=tool_calls, invalid_tool_calls=[], usage_metadata=usage_metadata))
        if self.gated:
            self._chain(APPROVAL_AFTER_MODEL, self._state())

    def turn_counted(self) -> None:
        """The call limit's after_model chain (not reached when the approval middleware paused the graph)."""
        if self.call_limit:
            self._chain(AFTER_MODEL, self._state())
            self.model_calls += 1

    def called(self, said: str, calls: list[tuple[ToolCall, dict[str, Any]]]) -> None:
        """A tool-calling turn's end (its text, its calls with what they gave back), then its calls' chains and
        tools (kept back for `tools_shown`)."""
        self.turn_end(said, calls, None)
        self.turn_counted()
        self.tools(calls)

    def answered(self, text: str, usage: dict[str, int] | None) -> None:
        """The answering turn's end: the model's answer joins the state, and the after_model chains run."""
        self.turn_end(text, [], usage)
        self.turn_counted()

    def tools(self, calls: list[tuple[ToolCall, dict[str, Any]]]) -> None:
        """A turn's calls: a "tools" chain each (one step), then each tool's start and end in turn. The entries
        are kept back (`pending`) for `tools_shown` to send as the announcements of the calls go."""
        if not calls:
            return
        starts = [self._chain("tools", [_tool_call(call, given)], push=number)
                  for number, (call, given) in enumerate(calls)]
        held: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for (call, given), (parent, chained) in zip(calls, starts, strict=True):
            run_id = self.run_id()
            tags = ["seq:step:1", call.name]
            source, description = self._source(call.name)
            metadata = {**chained, "checkpoint_ns": chained["langgraph_checkpoint_ns"], "display_name": call.name,
                        "display_description": description, "source_id": source}
            start = {"name": "Tool Start", "message": {
                "type": "tool_start", "serialized": {"name": call.name, "description": description},
                "input_str": str(call.input), "run_id": run_id, "parent_run_id": parent, "tags": tags,
                "metadata": metadata, "inputs": call.input, "color": "green", "name": None,
                "tool_call_id": given["tool_call_id"]}, "type": "object"}
            ended = {"type": "tool_end", "output": given, "run_id": run_id, "parent_run_id": parent, "tags": tags,
                     "color": "green", "name": call.name}
            end = {"name": "Tool End", "message": {**ended, "output": {**given, "id": None}}, "type": "object"}
            held += [(start, start), (end, {**end, "message": ended})]
            self.state.append(given)
        self.pending = held

    def tools_shown(self, number: int) -> None:
        """Before the announcements of the turn's call `number`: the tool entries the graph made by then, which
        run one call ahead of them (the first call's start and end and the next call's start; then each next
        call's end and the one after it's start)."""
        upto = 3 if number == 0 else 2
        self.made += self.pending[:upto]
        self.pending = self.pending[upto:]

    def _source(self, name: str) -> tuple[str | None, str]:
        """A tool's component (its node id) and description: a connected component's, else one the Agent makes
        for a tool of its own (the same for the whole build)."""
        if name not in self.tool_sources and name in OWN_TOOLS:
            component, description = OWN_TOOLS[name]
            self.tool_sources[name] = (self.node_id(component), description)
        found = self.tool_sources.get(name)
        return (found[0], found[1]) if found is not None else (None, "")

    def flush(self) -> None:
        self.made += self.pending
        self.pending = []


def _tool_call(call: ToolCall, given: dict[str, Any]) -> dict[str, Any]:
    """A call as the model's answer (and its task's input) holds it: its id the one its ToolMessage answers."""
    return {"name": call.name, "args": call.input, "id": given["tool_call_id"], "type": "tool_call"}
