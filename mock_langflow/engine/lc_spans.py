"""The LangChain spans Langflow's native tracer nests under a component's span (its NativeCallbackHandler): a
language model's call, and an Agent's run with its model turns and tool calls, made from what the scripted model
answered."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

from mock_langflow.engine.graph import Node
from mock_langflow.engine.llm import LlmReply
from mock_langflow.engine.scripts import ModelTurn, ToolCall
from mock_langflow.store.traces import INPUT_TOKENS, OUTPUT_TOKENS

# The LangChain chat model class each provider's component builds, whose name (with the model's) names the span
CHAT_CLASSES = {"OpenAI": "ChatOpenAI", "Anthropic": "ChatAnthropic", "Google Generative AI": "ChatGoogleGenerativeAI",
                "Ollama": "ChatOllama", "Groq": "ChatGroq", "Azure OpenAI": "AzureChatOpenAI",
                "IBM WatsonX": "ChatWatsonx", "OpenRouter": "ChatOpenAI", "Mistral": "ChatMistralAI"}
CHAT_MODEL = "ChatModel"  # the handler's name for a chat model it cannot name
CHAIN = "Chain"  # the handler's name for every chain LangChain starts without a serialized form (all of them now)
# lfx's detect_provider_from_model: gen_ai.provider.name, guessed from the model's name, the first that fits
PROVIDER_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("openai", ("gpt", "o1")), ("anthropic", ("claude",)), ("google", ("gemini", "palm")), ("meta", ("llama",)),
    ("mistral", ("mistral", "mixtral")), ("cohere", ("command", "coral")), ("amazon", ("titan", "nova")),
    ("azure", ("azure",)))
AgentTrace = Literal["langgraph", "executor"]


@dataclass
class LcSpan:
    """A LangChain run as the native tracer keeps it: `parent` None for one right under the component's span."""

    id: UUID
    parent: UUID | None
    name: str
    span_type: str
    inputs: Any
    outputs: Any = None
    error: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ModelCall:
    """What a model or Agent node asked the scripted model, and what it answered (an Agent: after `tools`, the
    calls it made, each with what its tool gave back: 1.13's ToolMessage dump, or the tool's own output)."""

    node_id: str
    reply: LlmReply
    system: str
    user_input: str
    provider: str | None
    model: str | None
    tools: list[tuple[ToolCall, Any]] = field(default_factory=list)
    paused: ToolCall | None = None  # 1.13: the call of a tool needing approval that paused the Agent
    history: list[tuple[str, str]] = field(default_factory=list)  # an Agent's chat history: (message type, text)


def identity(node: Node, provider_names: dict[str, str]) -> tuple[str | None, str | None]:
    """The provider and model a model or Agent node runs: its `model` field's first choice (1.13), else its
    `model_name` with its `agent_llm` or `provider` field, or the provider its component type names."""
    model = node.value("model")
    if isinstance(model, list) and model and isinstance(model[0], dict):
        provider, name = model[0].get("provider"), model[0].get("name")
    else:
        name = node.value("model_name") or (model if isinstance(model, str) else None)
        provider = node.value("agent_llm") or node.value("provider") or node.type.removesuffix("Model")
    given = str(provider or "")
    return provider_names.get(given.casefold(), given) or None, (str(name) if name else None)


def component_spans(kind: str, call: ModelCall, new_id: Callable[[], UUID], trace: AgentTrace, *,
                    call_limit: bool, gated: bool) -> list[LcSpan]:
    """The LangChain spans of a model's (`kind` "model") or an Agent's ("agent") build."""
    if kind != "agent":
        return model_spans(call, new_id, trace)
    if trace == "executor":
        return executor_agent_spans(call, new_id)
    return langgraph_agent_spans(call, new_id, call_limit=call_limit, gated=gated)


def provider_of(model: str | None) -> str | None:
    """gen_ai.provider.name: the provider the model's name suggests (lfx's detect_provider_from_model)."""
    lowered = (model or "").lower()
    if lowered.startswith("text-"):
        return "openai"
    return next((name for name, hints in PROVIDER_HINTS if any(h in lowered for h in hints)), None)


def _token_attributes(usage: dict[str, int] | None) -> dict[str, int]:
    """The usage keys the tracer sets: only counts that are not 0 (a model reporting none sets neither)."""
    if not usage:
        return {}
    found = {INPUT_TOKENS: usage.get("input_tokens", 0), OUTPUT_TOKENS: usage.get("output_tokens", 0)}
    return {key: value for key, value in found.items() if value}


def rolled_up(spans: Sequence[LcSpan]) -> dict[str, int]:
    """The component span's attributes: its model calls' token counts summed (NativeTracer._component_tokens),
    each key only when not 0."""
    summed = {INPUT_TOKENS: 0, OUTPUT_TOKENS: 0}
    for span in spans:
        for key in summed:
            summed[key] += span.attributes.get(key, 0)
    return {key: value for key, value in summed.items() if value}


def _message(kind: str, content: Any, *, example: bool, **extra: Any) -> dict[str, Any]:
    """A LangChain message as Langflow serializes it (pydantic's model_dump); langchain-core 0.3's human and AI
    messages still carry `example`."""
    dumped: dict[str, Any] = {"content": content, "additional_kwargs": {}, "response_metadata": {}, "type": kind,
                              "name": extra.pop("name", None), "id": None}
    if example and kind in ("human", "ai"):
        dumped["example"] = False
    if kind == "ai":
        dumped |= {"tool_calls": extra.pop("tool_calls", []), "invalid_tool_calls": [],
                   "usage_metadata": extra.pop("usage_metadata", None)}
    return dumped | extra


class _Spans:
    """The spans one component's LangChain run makes, in the order they start."""

    def __init__(self, call: ModelCall, new_id: Callable[[], UUID], trace: AgentTrace) -> None:
        self.call, self.new_id, self.trace = call, new_id, trace
        self.example = trace == "executor"
        self.made: list[LcSpan] = []
        self.chat = CHAT_CLASSES.get(call.provider or "", CHAT_MODEL)

    def add(self, parent: LcSpan | None, name: str, span_type: str, inputs: Any, outputs: Any = None) -> LcSpan:
        span = LcSpan(self.new_id(), parent.id if parent is not None else None, name, span_type, inputs, outputs)
        self.made.append(span)
        return span

    def llm(self, parent: LcSpan | None, conversation: list[dict[str, Any]], *, final: bool, said: str = "") -> LcSpan:
        """on_chat_model_start/on_llm_end: "<class> <model>", the messages' types and contents, the generation
        (a turn that calls tools: what it `said`), the model's OTel attributes and the usage it reported (the
        script's usage stands for the answering turn; a turn that calls tools reports none)."""
        reply, model = self.call.reply, self.call.model
        name = f"{self.chat} {model}" if model else self.chat
        messages = [[{"type": m["type"], "content": m["content"]} for m in conversation]]
        span = self.add(parent, name, "llm", {"messages": messages})
        attributes: dict[str, Any] = {}
        if model:
            attributes["gen_ai.response.model"] = model
        if provider := provider_of(model):
            attributes["gen_ai.provider.name"] = provider
        attributes["gen_ai.operation.name"] = "chat"
        if final and reply.error is not None:
            span.error = reply.error
        else:
            text = reply.text if final else said
            span.outputs = {"generations": [[{"text": text, "generation_info": None}]]}
            attributes |= _token_attributes(reply.usage if final else None)
        span.attributes = attributes
        return span

    def failed(self, *spans: LcSpan) -> bool:
        """The answering turn's error, which each enclosing chain ends with too (on_chain_error)."""
        if self.call.reply.error is None:
            return False
        for span in spans:
            span.error, span.outputs = self.call.reply.error, None
        return True

    def opening(self) -> list[dict[str, Any]]:
        """The model's first conversation: the system prompt, the chat history, the input."""
        return self.system() + self.given()

    def system(self) -> list[dict[str, Any]]:
        call = self.call
        return [_message("system", call.system, example=self.example)] if call.system.strip() else []

    def given(self) -> list[dict[str, Any]]:
        """The conversation the agent is given: its chat history, then the input."""
        return [*self.history(), _message("human", self.call.user_input, example=self.example)]

    def history(self) -> list[dict[str, Any]]:
        return [_message(kind, text, example=self.example) for kind, text in self.call.history]

    def turns(self) -> list[tuple[ModelTurn, int]]:
        """The Agent's model turns whose tools all ran, then the one that paused it, each with its first call's
        rank among all the calls."""
        out, first = [], 0
        for turn in self.call.reply.turns:
            done = first + len(turn.calls) <= len(self.call.tools)
            if done or self.call.paused is not None:
                out.append((turn, first))
            if not done:
                break
            first += len(turn.calls)
        return out

    def tool_turn(self, turn: ModelTurn, first: int) -> dict[str, Any]:
        """The AI message of a turn that calls tools: what it says, and its calls."""
        return _message("ai", turn.say or "", example=self.example, tool_calls=[
            {"name": call.name, "args": call.input, "id": self.call_id(first + n), "type": "tool_call"}
            for n, call in enumerate(turn.calls)])

    def call_id(self, index: int) -> str | None:
        """The id the model gave a tool call, as 1.13's ToolMessage keeps it (the mock gives 1.8's calls none)."""
        if self.trace != "langgraph" or index >= len(self.call.tools):
            return None
        given = self.call.tools[index][1]
        return str(given["tool_call_id"]) if isinstance(given, dict) and given.get("tool_call_id") else None


def model_spans(call: ModelCall, new_id: Callable[[], UUID], trace: AgentTrace) -> list[LcSpan]:
    """A language model component's call (LCModelComponent.get_chat_result): one llm span."""
    spans = _Spans(call, new_id, trace)
    spans.llm(None, spans.opening(), final=True)
    return spans.made


def _ai_repr(said: dict[str, Any]) -> str:
    """An AI message as LangChain prints it (its fields that are set)."""
    usage = f", usage_metadata={said['usage_metadata']!r}" if said.get("usage_metadata") else ""
    return (f"AIMessage(content={said['content']!r}, additional_kwargs={{}}, response_metadata={{}}, "
            f"tool_calls={said['tool_calls']!r}, invalid_tool_calls=[]{usage})")


def _printed(call: ToolCall, message: dict[str, Any]) -> str:
    """What 1.13's tools hand on_tool_end, LangChain's ToolMessage, as the handler keeps it (str(): pydantic's
    print of the fields that differ from their defaults)."""
    shown = [f"content={message['content']!r}", f"name={call.name!r}", f"tool_call_id={message['tool_call_id']!r}"]
    if message.get("artifact") is not None:
        shown.append(f"artifact={message['artifact']!r}")
    if message.get("status") == "error":
        shown.append("status='error'")
    return " ".join(shown)


def _observed(given: Any) -> Any:
    """What 1.8's tools hand on_tool_end, their own output, as the handler keeps it: a dict as it is, else str()."""
    return given if isinstance(given, dict | str) else str(given)


def langgraph_agent_spans(call: ModelCall, new_id: Callable[[], UUID], *, call_limit: bool,
                          gated: bool) -> list[LcSpan]:
    """1.13's Agent (LangChain's create_agent graph, run through astream_events): the graph's chain, then for each
    model turn the ModelCallLimitMiddleware's before_model chain (`call_limit`: a max_iterations is set), the
    "model" chain with the llm span, the HumanInTheLoopMiddleware's after_model chain (`gated`: a tool needs
    approval) and the call limit's; a turn that calls tools is followed by a "tools" chain per call (LangGraph
    sends each call to the tools node as a task of its own), each with its tool's span. LangChain starts every
    chain without a serialized form, so each is "Chain". A call that needs approval interrupts the graph in the
    human-in-the-loop chain: a suspension, which ends it and the graph's with no error and no outputs of its
    own."""
    spans = _Spans(call, new_id, "langgraph")
    state = spans.given()  # the graph's messages: the system prompt is the model node's own
    root = spans.add(None, CHAIN, "chain", {"messages": list(state)})
    turns = spans.turns()
    counts: dict[str, int] = {}
    for number in range(len(turns) + 1):
        final = number == len(turns)
        if call_limit:
            spans.add(root, CHAIN, "chain", {"messages": list(state)})
        model = spans.add(root, CHAIN, "chain", {"messages": list(state)})
        spans.llm(model, spans.system() + state, final=final, said="" if final else turns[number][0].say or "")
        if final and spans.failed(model, root):
            return spans.made
        said = (_message("ai", call.reply.text, example=False, usage_metadata=call.reply.usage) if final
                else spans.tool_turn(*turns[number]))
        model.outputs = [f"Command(update={{'messages': [{_ai_repr(said)}]}})"]  # a dataclass: Langflow str()s it
        state.append(said)
        if gated:
            spans.add(root, CHAIN, "chain", {"messages": list(state)})
        if not final and call.paused is not None and turns[number][1] + len(turns[number][0].calls) > len(call.tools):
            root.outputs = {"messages": state}
            return spans.made
        counts = {"thread_model_call_count": number + 1, "run_model_call_count": number + 1} if call_limit else {}
        if call_limit:
            spans.add(root, CHAIN, "chain", {"messages": list(state)}, counts)
        if final:
            break
        turn, first = turns[number]
        for rank, tool_call in enumerate(turn.calls, start=first):
            given = call.tools[rank][1]
            tools = spans.add(root, CHAIN, "chain", [said["tool_calls"][rank - first]])
            spans.add(tools, tool_call.name, "tool", tool_call.input, {"output": _printed(tool_call, given)})
            result = dict(given)
            tools.outputs = {"messages": [result]}
            state.append(result)
    root.outputs = {"messages": state, **counts}
    return spans.made


def executor_agent_spans(call: ModelCall, new_id: Callable[[], UUID]) -> list[LcSpan]:
    """1.8's Agent (a tool-calling agent run by langchain's AgentExecutor through astream_events): the
    "AgentExecutor" chain; each model turn a RunnableSequence chain holding the scratchpad's assign, parallel and
    lambda chains, the ChatPromptTemplate, the llm span and the output parser's chain (a turn's calls: an action
    each, its log saying what the turn said); each tool's span right under the executor's. The chains other than
    the prompt's start without a serialized form: "Chain"."""
    spans = _Spans(call, new_id, "executor")
    given_in: dict[str, Any] = {"input": call.user_input}
    if call.system.strip():
        given_in["system_prompt"] = call.system
    if call.history:
        given_in["chat_history"] = spans.history()
    root = spans.add(None, "AgentExecutor", "chain", given_in)
    steps: list[Any] = []
    scratchpad: list[dict[str, Any]] = []
    turns = spans.turns()
    for number in range(len(turns) + 1):
        final = number == len(turns)
        sequence = spans.add(root, CHAIN, "chain", {"input": ""})
        filled = {**given_in, "intermediate_steps": list(steps), "agent_scratchpad": list(scratchpad)}
        assign = spans.add(sequence, CHAIN, "chain", {"input": ""}, filled)
        parallel = spans.add(assign, CHAIN, "chain", {"input": ""}, {"agent_scratchpad": list(scratchpad)})
        spans.add(parallel, CHAIN, "chain", {"input": ""}, list(scratchpad) or None)
        conversation = spans.opening() + scratchpad
        spans.add(sequence, "ChatPromptTemplate", "chain", filled, {"messages": conversation})
        spans.llm(sequence, conversation, final=final, said="" if final else turns[number][0].say or "")
        if final and spans.failed(sequence, root):
            return spans.made
        if final:
            said = _message("ai", call.reply.text, example=True)
            decided: Any = {"return_values": {"output": call.reply.text}, "log": call.reply.text,
                            "type": "AgentFinish"}
            spans.add(sequence, CHAIN, "chain", said, decided)
            sequence.outputs = decided
            break
        turn, first = turns[number]
        said = spans.tool_turn(turn, first)
        responded = f"responded: {turn.say}\n" if turn.say else "\n"
        decided = [{"tool": c.name, "tool_input": c.input,
                    "log": f"\nInvoking: `{c.name}` with `{c.input}`\n{responded}\n",
                    "type": "AgentActionMessageLog", "message_log": [said], "tool_call_id": spans.call_id(rank)}
                   for rank, c in enumerate(turn.calls, start=first)]
        spans.add(sequence, CHAIN, "chain", said, decided)
        sequence.outputs = decided
        scratchpad.append(said)
        for action, (rank, tool_call) in zip(decided, enumerate(turn.calls, start=first), strict=True):
            given = call.tools[rank][1]
            spans.add(root, tool_call.name, "tool", tool_call.input, {"output": _observed(given)})
            steps.append([action, given])
            # the scratchpad's ToolMessage: the observation, as JSON text unless it is text
            content = given if isinstance(given, str) else json.dumps(given, ensure_ascii=False)
            scratchpad.append(_message("tool", content, example=True, additional_kwargs={"name": tool_call.name},
                                       tool_call_id=spans.call_id(rank), artifact=None, status="success"))
    # AgentExecutor's stream adds the answer as a bare AI message
    root.outputs = {"output": call.reply.text, "messages": [_message("ai", call.reply.text, example=True)]}
    return spans.made
