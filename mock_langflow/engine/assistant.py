"""Langflow 1.8's assistant (langflow/agentic): the model providers it may use, and its flows, answered by the
scripted model. Each flow makes one model call, journaled as any other: rules match it by `flow` (the flow's
name: LangflowAssistant, TranslationFlow for the stream's intent check, or the /execute name) and `component`.

Nothing runs the code the assistant writes: a component it answers is checked without running it
(check_component), which catches what Python's parser refuses and a missing Component class only."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from mock_langflow import errors
from mock_langflow.engine.llm import LlmRequest
from mock_langflow.engine.runner import Disconnect, RunError, deliver
from mock_langflow.streaming.framing import sse_frame

if TYPE_CHECKING:
    from mock_langflow.schemas.agentic import AssistantRequest
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
# The named flows /execute runs (the JSON files of langflow/agentic/flows): (its answering Agent, its Chat Output).
NAMED_FLOWS = {"LangflowAssistant": ("Agent-YqjkC", "ChatOutput-j1nFF"),
               "SystemMessageGen": ("Agent-G853c", "ChatOutput-2wtkk"),
               "TemplateAssistant": ("Agent-hmAIg", "ChatOutput-jo5bj")}
_CLASS_PATTERN = re.compile(r"class\s+(\w+)\s*\([^)]*Component[^)]*\)")


class FlowFailed(Exception):
    """The flow's model call failed: Langflow answers its flow runner's 500 text."""


@dataclass(frozen=True)
class Context:
    """What an assistant request runs with: its provider, session and retries (the model it names, or the
    provider's default, is the scripted model's to play)."""

    provider: str
    session_id: str
    max_retries: int


def enabled_providers(state: AppState, user_id: UUID) -> list[str]:
    """The providers all of whose variables the user holds as Credentials (whatever their values)."""
    credentials = {name for name, (kind, _) in state.store.users.held_variables(user_id).items()
                   if kind == "Credential"}
    return [name for name, keys in PROVIDERS if credentials and all(k in credentials for k in keys)]


def missing_values(state: AppState, user_id: UUID, provider: str) -> list[str]:
    """The provider's variables whose value is blank. (lfx reads the environment for a variable the user does
    not hold; an enabled provider's are all held.)"""
    held = state.store.users.held_variables(user_id)
    return [key for key in dict(PROVIDERS)[provider] if not held.get(key, ("", ""))[1].strip()]


def check_config(state: AppState, user_id: UUID) -> dict[str, Any]:
    """GET /agentic/check-config. lfx 0.3's model catalog lists no model of the type the route asks for
    ("language"; its models are "llm"), so no provider is ever listed and there is no default."""
    enabled = enabled_providers(state, user_id)
    return {"configured": bool(enabled), "configured_providers": enabled, "providers": [],
            "default_provider": None, "default_model": None}


def resolve(state: AppState, body: AssistantRequest, user_id: UUID) -> Context:
    """The provider and model the assistant uses, or Langflow's 400 saying why there is none."""
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
                   MAX_RETRIES if body.max_retries is None else body.max_retries)


async def run_flow(state: AppState, *, flow: str, text: str, session_id: str, prompt: str = "",
                   ids: tuple[str, str] | None = None) -> AsyncIterator[str | dict[str, Any]]:
    """One run of an assistant flow: the model's tokens, then the flow's result (lfx's structured result of its
    Chat Output). `prompt`: the model's system message; `ids`: (model component, Chat Output) ids, else new
    ones, as a flow built in Python gets."""
    model_id, output_id = ids or (f"LanguageModelComponent-{state.ids.node_suffix()}",
                                  f"ChatOutput-{state.ids.node_suffix()}")
    reply = state.llm.reply(LlmRequest(flow_id=None, flow_name=flow, endpoint_name=None, component_id=model_id,
                                       session_id=session_id, input=text,
                                       prompt=f"{prompt}\n\n{text}" if prompt else text))
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
    """The (model, Chat Output) ids of a named flow; 404 for a name that has no flow file."""
    ids = NAMED_FLOWS.get(name)
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
    """(class name, error) of generated component code, parsed but never run: the first class of the module
    whose base names Component (or LC), else one the pattern finds; the parser's refusal as lfx words it."""
    fallback = _CLASS_PATTERN.search(code)
    try:
        module = ast.parse(code)
    except SyntaxError as exc:
        name = fallback.group(1) if fallback else None
        return name, ("ValueError: Could not extract class name from code" if name is None
                      else f"ValueError: Syntax error in code: {exc}")
    name = next((node.name for node in module.body if isinstance(node, ast.ClassDef)
                 and any(isinstance(b, ast.Name) and ("Component" in b.id or "LC" in b.id) for b in node.bases)),
                fallback.group(1) if fallback else None)
    return name, None if name else "ValueError: Could not extract class name from code"


async def assist(state: AppState, body: AssistantRequest, ctx: Context) -> dict[str, Any]:
    """POST /agentic/assist: the assistant flow, run again with the error while its code does not check."""
    text = body.input_value or ""
    if ctx.max_retries < 0:
        raise errors.RecordedServerBug(errors.ASSISTANT_NO_ATTEMPT)
    for attempt in range(1, ctx.max_retries + 2):
        result = await flow_result(state, flow=ASSISTANT_FLOW, text=text, session_id=ctx.session_id,
                                   prompt=ASSISTANT_PROMPT)
        code = component_code(str(result["result"]))
        if code is None:
            return result
        class_name, error = check_component(code)
        if error is None:
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


async def _intent(state: AppState, text: str, session_id: str) -> str:
    """The intent the translation flow's answer gives (JSON {"translation", "intent"}); "question" when it
    answers otherwise or fails."""
    if not text:
        return "question"
    try:
        result = await flow_result(state, flow=INTENT_FLOW, text=text, session_id=session_id, prompt=INTENT_PROMPT)
        parsed = json.loads(str(result["result"]))
    except (errors.ServerError, ValueError):
        return "question"
    return str(parsed.get("intent", "question")) if isinstance(parsed, dict) else "question"


async def assist_stream(state: AppState, body: AssistantRequest, ctx: Context) -> AsyncIterator[bytes]:
    """POST /agentic/assist/stream: `data:` frames of progress steps, tokens (answers to a question only) and
    then complete or error. Attempts count from 0 and max_attempts is the number of retries, as Langflow's."""
    text = body.input_value or ""
    generating = "generating_component" if await _intent(state, text, ctx.session_id) == "generate_component" \
        else "generating"
    retries = ctx.max_retries
    for attempt in range(retries + 1):
        yield _progress(generating, attempt, retries, "Generating response...")
        result: dict[str, Any] | None = None
        try:
            async for item in run_flow(state, flow=ASSISTANT_FLOW, text=text, session_id=ctx.session_id,
                                       prompt=ASSISTANT_PROMPT):
                if isinstance(item, dict):
                    result = item
                elif generating == "generating":
                    yield _event("token", chunk=item)
        except FlowFailed:
            yield _event("error", message=errors.ASSISTANT_FLOW_FAILED)
            return
        if result is None:  # (the loop above answered or returned)
            raise RuntimeError("the assistant's flow gave no result")
        yield _progress("generation_complete", attempt, retries, "Response ready")
        code = component_code(str(result["result"])) if generating != "generating" else None
        if code is None:
            yield _event("complete", data=result)
            return
        yield _progress("extracting_code", attempt, retries, "Extracting Python code from response...")
        yield _progress("validating", attempt, retries, "Validating component code...")
        class_name, error = check_component(code)
        if error is None:
            yield _progress("validated", attempt, retries, f"Component '{class_name}' validated successfully!")
            yield _event("complete", data={**result, "validated": True, "class_name": class_name,
                                           "component_code": code, "validation_attempts": attempt})
            return
        yield _progress("validation_failed", attempt, retries, "Validation failed", error=error,
                        class_name=class_name, component_code=code)
        if attempt >= retries:
            yield _event("complete", data={**result, "validated": False, "validation_error": error,
                                           "validation_attempts": attempt, "component_code": code})
            return
        yield _progress("retrying", attempt, retries,
                        f"Retrying with error context (attempt {attempt + 1}/{retries})...", error=error)
        text = RETRY_INPUT.format(error=error, code=code)
