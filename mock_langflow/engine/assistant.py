"""Langflow's assistant (langflow/agentic), 1.8's and 1.13's (profile assistant.dialect): the model providers it may
use, and its flows, answered by the scripted model. Each flow makes one model call, journaled as any other: rules
match it by `flow` (the flow's name: LangflowAssistant, TranslationFlow for the stream's intent check, or the
/execute name) and `component`.

Nothing runs the code the assistant writes: a component it answers is checked without running it
(check_component), which catches what Python's parser refuses and a missing Component class only."""

from __future__ import annotations

import ast
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from mock_langflow import errors
from mock_langflow.engine.llm import LlmRequest
from mock_langflow.engine.runner import Disconnect, RunError, deliver
from mock_langflow.streaming.framing import sse_frame

if TYPE_CHECKING:
    from mock_langflow.schemas.agentic import AssistantRequest, HeadlessAssistantRequest
    from mock_langflow.state import AppState

# Each model provider lfx 0.3 knows, with its variables (all required; the first names its key), in its order.
PROVIDERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("OpenAI", ("OPENAI_API_KEY",)), ("Anthropic", ("ANTHROPIC_API_KEY",)),
    ("Google Generative AI", ("GOOGLE_API_KEY",)), ("Ollama", ("OLLAMA_BASE_URL",)),
    ("IBM WatsonX", ("WATSONX_APIKEY", "WATSONX_PROJECT_ID", "WATSONX_URL")))
PREFERRED = ("Anthropic", "OpenAI", "Google Generative AI", "Groq")
MAX_RETRIES = 3
ASSISTANT_FLOW = "LangflowAssistant"
INTENT_FLOW = "TranslationFlow"
# What the mock's model is told (its own words): the prompt a rule's prompt_contains can match.
ASSISTANT_PROMPT = ("You are the Langflow Assistant: answer questions about Langflow, and write a custom "
                    "component's Python code when asked to create one.")
INTENT_PROMPT = ('Translate the text to English and classify it; answer JSON only: {"translation": "...", '
                 '"intent": "generate_component" | "question"}.')
RETRY_INPUT = "The component code has an error; fix it.\n\nError:\n{error}\n\nCode:\n```python\n{code}\n```"
# The named flows /execute runs (the JSON files of langflow/agentic/flows), per dialect: (its answering Agent or
# model, its Chat Output).
NAMED_FLOWS = {"flows": {"LangflowAssistant": ("Agent-YqjkC", "ChatOutput-j1nFF"),
                         "SystemMessageGen": ("Agent-G853c", "ChatOutput-2wtkk"),
                         "TemplateAssistant": ("Agent-hmAIg", "ChatOutput-jo5bj")},
               "agent": {"LangflowAssistant": ("Agent-M69JY", "ChatOutput-Ob09T"),
                         "TranslationFlow": ("LanguageModelComponent-G3Ezd", "ChatOutput-2PomB")}}
# 1.13's assistant default model per provider, the first its catalog offers (agentic provider_service.py)
PREFERRED_MODELS = {"OpenAI": ("gpt-5.4", "gpt-5.2", "gpt-5.1", "gpt-5", "gpt-4o"),
                    "Anthropic": ("claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-4-5-20251101"),
                    "Google Generative AI": ("gemini-2.5-pro", "gemini-3.1-pro-preview"),
                    "Azure AI Foundry": ("gpt-4o",), "OpenRouter": ("anthropic/claude-opus-4.7", "openai/gpt-5.4")}
# 1.13's deterministic check that the user asks to run the flow (the `complete` event's continuation_expected)
_RUN_FLOW = re.compile(r"\b(run|execute|rode|roda|rodar|executa|executar|test|testa|testar|teste)\b"
                       r"[^.\n]{0,40}\b(flow|fluxo)\b", re.IGNORECASE)
_CLASS_PATTERN = re.compile(r"class\s+(\w+)\s*\([^)]*Component[^)]*\)")


class FlowFailed(Exception):
    """The flow's model call failed: Langflow answers its flow runner's 500 text."""


@dataclass(frozen=True)
class Context:
    """What an assistant request runs with: its provider, session and retries (the model it names, or the
    provider's default, is the scripted model's to play), its caller and, in 1.13, how much history it sends."""

    provider: str
    session_id: str
    max_retries: int
    user_id: UUID | None = None
    history_limit: int | None = None
    usage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(USAGE_KEYS, 0))


USAGE_KEYS = ("input_tokens", "output_tokens", "total_tokens")


def agent(state: AppState) -> bool:
    """Whether the release's assistant is 1.13's."""
    return state.profile.assistant.dialect == "agent"


def _model_settings(state: AppState) -> Any:
    from mock_langflow.store.model_settings import ModelSettings

    return ModelSettings.of(state)


def enabled_providers(state: AppState, user_id: UUID) -> list[str]:
    """1.13: the providers whose required variables hold values (its model settings'). 1.8: the providers all of
    whose variables the user holds as Credentials (whatever their values)."""
    if agent(state):
        return list(_model_settings(state).enabled_providers(user_id)["enabled_providers"])
    credentials = {name for name, (kind, _) in state.store.users.held_variables(user_id).items()
                   if kind == "Credential"}
    return [name for name, keys in PROVIDERS if credentials and all(k in credentials for k in keys)]


def missing_values(state: AppState, user_id: UUID, provider: str) -> list[str]:
    """The provider's variables whose value is blank. (lfx reads the environment for a variable the user does
    not hold; an enabled provider's are all held.)"""
    if agent(state):
        settings = _model_settings(state)
        keys = settings.catalog.required_keys(provider)
        values = settings.provider_values(user_id, keys)
        return [key for key in keys if not values.get(key)]
    held = state.store.users.held_variables(user_id)
    return [key for key in dict(PROVIDERS)[provider] if not held.get(key, ("", ""))[1].strip()]


def check_config(state: AppState, user_id: UUID) -> dict[str, Any]:
    """GET /agentic/check-config. 1.8: lfx 0.3's model catalog lists no model of the type the route asks for
    ("language"; its models are "llm"), so no provider is ever listed and there is no default. 1.13: whether the
    agentic experience is on, and each configured provider with its current language models and its default
    (a live provider's installed models are not fetched: the catalog's are listed)."""
    enabled = enabled_providers(state, user_id)
    if not agent(state):
        return {"configured": bool(enabled), "configured_providers": enabled, "providers": [],
                "default_provider": None, "default_model": None}
    catalog = _model_settings(state).catalog
    providers = []
    for group in catalog.detailed(providers=enabled, model_type="llm") if enabled else []:
        models = [{"name": m["model_name"], "display_name": m["model_name"]} for m in group["models"]]
        names = [m["name"] for m in models]
        default = default_model(catalog, group["provider"], names)
        if models:
            providers.append({"name": group["provider"], "configured": True,
                              "default_model": default if default in names else names[0], "models": models})
    first = next((p for name in PREFERRED for p in providers if p["name"] == name), providers[0] if providers else None)
    return {"enabled": state.settings.agentic_on(state.profile.variables.agentic_default),
            "configured": bool(enabled), "configured_providers": enabled, "providers": providers,
            "default_provider": first and first["name"], "default_model": first and first["default_model"]}


def default_model(catalog: Any, provider: str, names: list[str] | None = None) -> str | None:
    """1.13's assistant default for a provider: its strongest agent model the catalog offers (among `names`, else
    among the provider's language models), else the catalog's first current model."""
    if names is None:
        names = [m["model_name"] for group in catalog.detailed(providers=[provider], model_type="llm")
                 for m in group["models"]]
    preferred = next((m for m in PREFERRED_MODELS.get(provider, ()) if m in names), None)
    if preferred is not None:
        return preferred
    groups = catalog.detailed(providers=[provider])
    return groups[0]["models"][0]["model_name"] if groups and groups[0]["models"] else None


def check_flow(state: AppState, flow_id: str, user_id: UUID) -> None:
    """1.13: the request's flow_id names a flow of the caller's (or nobody's); 422 when it is no UUID, else 404."""
    try:
        wanted = UUID(flow_id)
    except ValueError:
        raise errors.UnprocessableEntity(errors.ASSISTANT_INVALID_FLOW_ID) from None
    row = state.store.flows.find_any(str(wanted))
    if row is None or row.user_id not in (None, user_id):
        raise errors.NotFound(errors.ASSISTANT_FLOW_NOT_FOUND)


def resolve(state: AppState, body: AssistantRequest, user_id: UUID) -> Context:
    """The provider and model the assistant uses, or Langflow's 400 saying why there is none (1.13 first checks
    the flow)."""
    if agent(state):
        check_flow(state, body.flow_id, user_id)
    enabled = enabled_providers(state, user_id)
    if not enabled:
        raise errors.BadRequest(errors.ASSISTANT_NO_PROVIDER)
    provider = body.provider or next((p for p in PREFERRED if p in enabled), enabled[0])
    if provider not in enabled:
        raise errors.BadRequest(errors.ASSISTANT_PROVIDER_NOT_CONFIGURED.format(provider=provider,
                                                                               available=enabled))
    missing = missing_values(state, user_id, provider)
    if missing:
        raise errors.BadRequest(errors.ASSISTANT_MISSING_CONFIGURATION.format(provider=provider,
                                                                             keys=", ".join(missing)))
    return Context(provider, body.session_id or str(state.ids.uuid()),
                   MAX_RETRIES if body.max_retries is None else body.max_retries, user_id, body.history_limit)


async def run_flow(state: AppState, *, flow: str, text: str, session_id: str, prompt: str = "",
                   ids: tuple[str, str] | None = None,
                   usage: dict[str, int] | None = None) -> AsyncIterator[str | dict[str, Any]]:
    """One run of an assistant flow: the model's tokens, then the flow's result (lfx's structured result of its
    Chat Output). `prompt`: the model's system message; `ids`: (model component, Chat Output) ids, else new
    ones, as a flow built in Python gets; `usage`: where the model's reported token counts add up."""
    model_id, output_id = ids or (f"LanguageModelComponent-{state.ids.node_suffix()}",
                                  f"ChatOutput-{state.ids.node_suffix()}")
    reply = state.llm.reply(LlmRequest(flow_id=None, flow_name=flow, endpoint_name=None, component_id=model_id,
                                       session_id=session_id, input=text,
                                       prompt=f"{prompt}\n\n{text}" if prompt else text))
    if usage is not None and reply.usage:
        for key in USAGE_KEYS:
            usage[key] += int(reply.usage.get(key, 0) or 0)
    if reply.error is not None and reply.stream.error_after is None:
        raise FlowFailed(reply.error)
    try:
        async for token in deliver(reply, None):
            yield token
    except (RunError, Disconnect) as exc:  # a dropped model connection fails the flow, as in a build
        raise FlowFailed(str(exc)) from exc
    yield {"result": reply.text, "type": "message", "component": "Chat Output", "component_id": output_id,
           "success": True}


async def flow_result(state: AppState, **run: Any) -> dict[str, Any]:
    """The result of run_flow, its tokens left out; a failed model call is Langflow's 500."""
    try:
        async for item in run_flow(state, **run):
            if isinstance(item, dict):
                return item
    except FlowFailed as exc:
        raise errors.ServerError(errors.ASSISTANT_FLOW_FAILED) from exc
    raise errors.ServerError(errors.ASSISTANT_FLOW_FAILED)


def execute_named(state: AppState, name: str) -> tuple[str, str]:
    """The (model, Chat Output) ids of a named flow; 404 for a name that has no flow file (1.13: 400 for one that
    would leave the flows' directory)."""
    if agent(state) and (".." in name or "\\" in name):
        raise errors.BadRequest(errors.ASSISTANT_INVALID_FLOW_FILENAME.format(name=f"{name}.json"))
    ids = NAMED_FLOWS[state.profile.assistant.dialect].get(name)
    if ids is None:
        raise errors.NotFound(errors.ASSISTANT_FLOW_FILE_NOT_FOUND.format(name=f"{name}.json"))
    return ids


def component_code(text: str) -> str | None:
    """The Python code of a reply's markdown: its ```python blocks, else any ``` blocks, else an unclosed one;
    the first that defines a Component class, else the first."""
    blocks = re.findall(r"```python\s*([\s\S]*?)```", text, re.IGNORECASE) or re.findall(r"```\s*([\s\S]*?)```", text)
    if not blocks:
        for pattern, flags in ((r"```python\s*([\s\S]*)$", re.IGNORECASE), (r"```\s*([\s\S]*)$", 0)):
            found = re.search(pattern, text, flags)
            if found:
                code = found.group(1).rstrip("`").strip()
                blocks = [code] if code else []
                break
    if not blocks:
        return None
    return next((b.strip() for b in blocks if "class " in b and "Component" in b), blocks[0].strip())


def check_component(code: str) -> tuple[str | None, str | None]:
    """(class name, error) of generated component code, parsed but never run: the first component class as lfx's
    extract_class_name finds it (custom_source.component_classes), else one the pattern finds; the parser's refusal
    as lfx words it."""
    fallback = _CLASS_PATTERN.search(code)
    try:
        module = ast.parse(code)
    except SyntaxError as exc:
        name = fallback.group(1) if fallback else None
        return name, ("ValueError: Could not extract class name from code" if name is None
                      else f"ValueError: Syntax error in code: {exc}")
    from mock_langflow.custom_source import component_classes

    _, first = component_classes(module)
    name = first.name if first is not None else fallback.group(1) if fallback else None
    return name, None if name else "ValueError: Could not extract class name from code"


def assistant_ids(state: AppState) -> tuple[str, str] | None:
    """The assistant flow's (Agent, Chat Output) ids: 1.13 runs its JSON file; 1.8's flow is built in Python, its
    ids new on each run."""
    return NAMED_FLOWS["agent"][ASSISTANT_FLOW] if agent(state) else None


def register(state: AppState, ctx: Context, class_name: str | None, code: str) -> None:
    """1.13 keeps a validated component in the caller's sandbox until the session's reset; 1.8 keeps nothing."""
    if agent(state) and ctx.user_id is not None:
        from mock_langflow.store.assistant import Sandbox

        Sandbox(state.settings.data_dir, ctx.user_id).register(class_name, code)


async def assist(state: AppState, body: AssistantRequest, ctx: Context) -> dict[str, Any]:
    """POST /agentic/assist: the assistant flow, run again with the error while its code does not check."""
    text = body.input_value or ""
    if ctx.max_retries < 0:
        raise errors.RecordedServerBug(errors.ASSISTANT_NO_ATTEMPT)
    for attempt in range(1, ctx.max_retries + 2):
        result = await flow_result(state, flow=ASSISTANT_FLOW, text=text, session_id=ctx.session_id,
                                   prompt=ASSISTANT_PROMPT, ids=assistant_ids(state))
        code = component_code(str(result["result"]))
        if code is None:
            return result
        class_name, error = check_component(code)
        if error is None:
            register(state, ctx, class_name, code)
            return {**result, "validated": True, "class_name": class_name, "component_code": code,
                    "validation_attempts": attempt}
        if attempt > ctx.max_retries:
            return {**result, "validated": False, "validation_error": error, "validation_attempts": attempt}
        text = RETRY_INPUT.format(error=error, code=code)
    raise AssertionError("unreachable")


def _event(event: str, **data: Any) -> bytes:
    return sse_frame({"event": event, **data})


def _progress(step: str, attempt: int, retries: int, message: str, **extra: str | None) -> bytes:
    return _event("progress", step=step, attempt=attempt, max_attempts=retries, message=message,
                  **{k: v for k, v in extra.items() if v})


async def _intent(state: AppState, text: str, ctx: Context) -> str:
    """The intent the translation flow's answer gives (JSON {"translation", "intent"}); "question" when it
    answers otherwise or fails."""
    if not text:
        return "question"
    try:
        result = await flow_result(state, flow=INTENT_FLOW, text=text, session_id=ctx.session_id,
                                   prompt=INTENT_PROMPT, usage=ctx.usage)
        parsed = json.loads(str(result["result"]))
    except (errors.ServerError, ValueError):
        return "question"
    return str(parsed.get("intent", "question")) if isinstance(parsed, dict) else "question"


class _Turn:
    """One stream's framing, by release. 1.13 counts attempts from 1 out of the attempts (but its `validated` step,
    counted as 1.8 counts), streams every intent's tokens, and puts the turn's usage and duration on `complete`;
    1.8 counts from 0 out of the retries."""

    def __init__(self, state: AppState, ctx: Context) -> None:
        self.new, self.retries, self.ctx = agent(state), ctx.max_retries, ctx
        self.started = time.perf_counter()
        self.answer = ""  # (the last answer, which 1.13 keeps in the session's conversation)

    def step(self, name: str, attempt: int, message: str, **extra: str | None) -> bytes:
        if self.new:
            return _progress(name, attempt + 1, self.retries + 1, message, **extra)
        return _progress(name, attempt, self.retries, message, **extra)

    def attempts(self, attempt: int) -> int:
        return attempt + 1 if self.new else attempt

    def complete(self, data: dict[str, Any]) -> bytes:
        if self.new:
            data = {**data, "usage": dict(self.ctx.usage),
                    "duration_seconds": round(time.perf_counter() - self.started, 3)}
        return _event("complete", data=data)


async def assist_stream(state: AppState, body: AssistantRequest, ctx: Context) -> AsyncIterator[bytes]:
    """POST /agentic/assist/stream: `data:` frames of progress steps, tokens and then complete or error (_Turn).
    1.13 refuses an off-topic request, sends the session's earlier turns with the first attempt and keeps the
    turn's answer in the session's conversation."""
    typed = body.input_value or ""
    turn = _Turn(state, ctx)
    intent = await _intent(state, typed, ctx)
    if turn.new and intent == "off_topic":
        yield turn.complete({"result": errors.ASSISTANT_OFF_TOPIC})
        return
    turns = state.store.assistant_turns if turn.new and ctx.user_id is not None else None
    history = turns.history(ctx.user_id, ctx.session_id, ctx.history_limit) if turns and ctx.user_id else ""
    try:
        async for frame in _attempts(state, typed, ctx, turn, intent == "generate_component", history):
            yield frame
    finally:
        if turns is not None and ctx.user_id is not None and turn.answer:
            turns.push(ctx.user_id, ctx.session_id, typed, turn.answer)


async def _attempts(state: AppState, typed: str, ctx: Context, turn: _Turn, component: bool,
                    history: str) -> AsyncIterator[bytes]:
    """The stream's attempts: the assistant flow, run again with the error while its code does not check. The
    first attempt's prompt carries the session's earlier turns (`history`) before the user's message (Langflow
    prefixes them to its agent's input; the scripted model's rules see them in `prompt`)."""
    text = typed
    generating = "generating_component" if component else "generating"
    message = "Generating component..." if component and turn.new else "Generating response..."
    retries = ctx.max_retries
    for attempt in range(retries + 1):
        yield turn.step(generating, attempt, message)
        result: dict[str, Any] | None = None
        try:
            async for item in run_flow(state, flow=ASSISTANT_FLOW, text=text, session_id=ctx.session_id,
                                       prompt=f"{ASSISTANT_PROMPT}\n\n{history}" if history else ASSISTANT_PROMPT,
                                       ids=assistant_ids(state), usage=ctx.usage):
                if isinstance(item, dict):
                    result = item
                elif turn.new or not component:
                    yield _event("token", chunk=item)
        except FlowFailed:
            yield _event("error", message=errors.ASSISTANT_FLOW_FAILED)
            return
        if result is None:  # (the loop above answered or returned)
            raise RuntimeError("the assistant's flow gave no result")
        turn.answer = str(result["result"]) or turn.answer
        yield turn.step("generation_complete", attempt, "Response ready")
        if not component:
            yield turn.complete({**result, "continuation_expected": bool(_RUN_FLOW.search(typed))}
                                if turn.new else result)
            return
        code = component_code(str(result["result"]))
        if code is None:
            yield turn.complete(result)
            return
        yield turn.step("extracting_code", attempt, "Extracting Python code from response...")
        yield turn.step("validating", attempt, "Validating component code...",
                        component_code=code if turn.new else None)
        class_name, error = check_component(code)
        if error is None:
            register(state, ctx, class_name, code)
            extra = {"class_name": class_name, "component_code": code} if turn.new else {}
            yield _progress("validated", attempt, retries, f"Component '{class_name}' validated successfully!",
                            **extra)
            yield turn.complete({**result, "validated": True, "class_name": class_name, "component_code": code,
                                 "validation_attempts": turn.attempts(attempt)})
            return
        yield turn.step("validation_failed", attempt, "Validation failed", error=error, class_name=class_name,
                        component_code=code)
        if attempt >= retries:
            yield turn.complete({**result, "validated": False, "validation_error": error,
                                 "validation_attempts": turn.attempts(attempt), "component_code": code})
            return
        yield turn.step("retrying", attempt, "Retrying with error context..." if turn.new else
                        f"Retrying with error context (attempt {attempt + 1}/{retries})...", error=error)
        text, history = RETRY_INPUT.format(error=error, code=code), ""


HEADLESS_FLOW = {"name": "Assistant Flow", "description": "Created by the Langflow Assistant via MCP"}


def _headless_flow(state: AppState, flow_id: str | None, user_id: UUID) -> str:
    """The flow a headless run works on: the one named (checked before the stream; a locked one refused), else a
    new empty "Assistant Flow" in the caller's default project, kept whatever happens next."""
    if flow_id:
        row = state.store.flows.find_any(flow_id)
        if row is not None and row.locked is True:
            raise FlowFailed(errors.FLOW_LOCKED)
        return flow_id
    from mock_langflow.schemas.flows import FlowCreate

    folder = state.store.projects.default_for(user_id).id
    created = FlowCreate(**HEADLESS_FLOW, data={"nodes": [], "edges": []}, folder_id=folder)
    return str(state.store.flows.create(created, user_id=user_id, default_folder=folder).id)


async def assist_headless(state: AppState, body: HeadlessAssistantRequest, user_id: UUID) -> AsyncIterator[bytes]:
    """POST /agentic/assist/run (1.13): the assistant's stream on a flow of the caller's (made when none is named),
    of which only the progress steps are passed on, then `complete` with the run's outcome (its reply, else its
    error, and whether the canvas changed: never, as the mock's assistant proposes no canvas change). A refusal
    once the stream has begun (the model provider's checks, a locked flow) is an `error` frame of Langflow's
    HTTP error text ("400: ...")."""
    from mock_langflow.schemas.agentic import AssistantRequest

    try:
        flow_id = _headless_flow(state, body.flow_id, user_id)
        request = AssistantRequest(flow_id=flow_id, input_value=body.instruction, provider=body.provider,
                                   model_name=body.model_name, session_id=body.session_id)
        ctx = resolve(state, request, user_id)
    except FlowFailed as exc:
        yield _event("error", message=str(exc))
        return
    except errors.MockHTTPError as exc:
        yield _event("error", message=f"{exc.status_code}: {exc.detail}")
        return
    result: str | None = None
    failure: str | None = None
    async for frame in assist_stream(state, request, ctx):
        event = json.loads(frame.decode()[len("data: "):])
        if event["event"] == "progress":
            yield frame
        elif event["event"] == "complete":
            result = event["data"].get("result")
        elif event["event"] == "error":
            failure = event.get("message")
    model = body.model_name or default_model(_model_settings(state).catalog, ctx.provider) or ""
    yield _event("complete", data={"flow_id": flow_id, "link": f"/flow/{flow_id}", "result": result or failure,
                                   "error": failure, "flow_changed": False, "session_id": ctx.session_id,
                                   "provider": ctx.provider, "model_name": model})
