"""Scripts for the scripted LLM: the rule format, and loading it from YAML or JSON with clear errors.

PyYAML is imported only for a script that is not plain JSON: the shipped default script is JSON, so a server
started without YAML scripts never imports it (15 ms and 0.9 MiB of every start-up, benchmarks/README.md).

A script file holds `rules` (and optional `defaults`, `jobs` and `components`). Every criterion a rule's
`match` names must hold; a rule with no criteria matches every call. `components` stand in for custom
components, whose Python code the mock never runs. See fixtures/README.md for the format with examples.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from mock_langflow.clock import LONGEST_WAIT_MS
from mock_langflow.jsonsafety import lone_surrogate_in


class ScriptError(ValueError):
    """A script that cannot be used; the message says which file, which line and what is wrong."""


# Every part of a script: unknown keys are errors, and so are infinities and NaN (YAML's .inf, .nan), which the
# database's JSON cannot keep: stored, they came back as null and broke every later model call and listing.
STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)


class StreamShape(BaseModel):
    """How a reply is delivered token by token."""

    model_config = STRICT

    chunking: Literal["words", "chars", "fixed"] = "words"
    chunk_size: int = Field(default=4, ge=1, description="characters per token when chunking is 'fixed'")
    first_token_delay_ms: float = Field(default=0, ge=0, le=LONGEST_WAIT_MS)
    tokens_per_second: float = Field(default=0, ge=0, description="0: as fast as possible")
    error_after: int | None = Field(default=None, ge=0, description="raise `error` after this many tokens")
    disconnect_after: int | None = Field(default=None, ge=0, description="drop the connection after this many tokens")

    @field_validator("tokens_per_second")
    @classmethod
    def _a_token_a_day_at_least(cls, value: float) -> float:
        if 0 < value < 1000 / LONGEST_WAIT_MS:
            raise ValueError("a pace slower than one token a day; 0 is as fast as possible")
        return value


class Match(BaseModel):
    model_config = STRICT

    input: str | None = None
    input_contains: str | None = None
    input_regex: str | None = None
    prompt_contains: str | None = None
    prompt_regex: str | None = None
    flow: str | None = Field(default=None, description="flow id, endpoint_name or name")
    component: str | None = Field(default=None, description="node id, e.g. LanguageModelComponent-aB1cD")
    session: str | None = None
    turn: int | None = Field(default=None, ge=1, description="the Nth model call of the session (from 1)")
    file_contains: str | None = Field(default=None, description="text of a file given to the run")
    file_name: str | None = None

    @field_validator("input_regex", "prompt_regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value


class ToolCall(BaseModel):
    """A tool an agent calls before it answers: the tool's name (one the agent has), what the model passes it, and
    what the tool returns (text, as a component's Message output gives it, or a Data output's object), or the
    error it fails with (the text of the exception the component raises)."""

    model_config = STRICT

    name: str = Field(min_length=1, description="a tool the agent has, e.g. get_current_date")
    input: dict[str, Any] = Field(default_factory=dict, description="the arguments the model calls it with")
    output: str | dict[str, Any] | list[Any] | None = Field(default=None, description="what the tool returns")
    error: str | None = Field(default=None, min_length=1, description="the tool fails with this message instead")

    @model_validator(mode="after")
    def _one_result(self) -> ToolCall:
        if (self.output is None) == (self.error is None):
            raise ValueError("a tool call needs one of output or error" if self.output is None
                             else "give either output or error, not both")
        return self

    def shown(self) -> dict[str, Any]:
        """The call as /_mock/llm-calls lists it: its name, input, and output or error (not the one it lacks)."""
        return {key: value for key, value in self.model_dump(mode="json").items()
                if key not in ("output", "error") or value is not None}


class ModelTurn(BaseModel):
    """One model turn of an agent that asks for several tools at once (OpenAI's parallel tool calls, Anthropic's
    several tool_use blocks), or says something before it calls (`say`: the text the turn streams before its
    calls, Anthropic's "I'll look that up." text block)."""

    model_config = STRICT

    say: str | None = Field(default=None, min_length=1, description="the turn's text, before its calls")
    calls: list[ToolCall] = Field(min_length=1, description="the tools the turn calls, which run side by side")

    def shown(self) -> dict[str, Any]:
        """The turn as /_mock/llm-calls lists it: its text if any and its calls (each as ToolCall.shown)."""
        return {**({"say": self.say} if self.say is not None else {}), "calls": [c.shown() for c in self.calls]}


# A rule's `tool_calls` entry: a mapping with `calls` or `say` is a model turn, any other one call in a turn of its own.
CALL_TAG, TURN_TAG = "tool call", "model turn"  # (with a space: no field is so named; the error path leaves them out)


def _entry_kind(entry: Any) -> str | None:
    if isinstance(entry, (ToolCall, ModelTurn)):
        return TURN_TAG if isinstance(entry, ModelTurn) else CALL_TAG
    if not isinstance(entry, dict):
        return None
    return TURN_TAG if "calls" in entry or "say" in entry else CALL_TAG


ToolCallEntry = Annotated[
    Annotated[ToolCall, Tag(CALL_TAG)] | Annotated[ModelTurn, Tag(TURN_TAG)],
    Discriminator(_entry_kind, custom_error_type="tool_call_entry",
                  custom_error_message="an entry is a tool call {name, input, output} or a model turn "
                                       "{calls: [...], say: ...} (several calls of one turn go in its calls)")]


def model_turns(entries: list[ToolCall | ModelTurn] | None) -> tuple[ModelTurn, ...]:
    """A rule's `tool_calls` as the agent's model turns: a lone call is a turn of its own with no text."""
    return tuple(e if isinstance(e, ModelTurn) else ModelTurn(calls=[e]) for e in entries or ())


def shown_turns(turns: tuple[ModelTurn, ...]) -> list[dict[str, Any]]:
    """The turns as a rule's `tool_calls` would give them (a lone call as itself), as /_mock/llm-calls lists
    them and a paused run keeps them: read back by a Rule's tool_calls field."""
    return [t.calls[0].shown() if t.say is None and len(t.calls) == 1 else t.shown() for t in turns]


class TokenUsage(BaseModel):
    """The token usage the model reports for a call, as a provider's response metadata does (OpenAI's
    prompt/completion tokens, Anthropic's input/output tokens); Langflow makes the total their sum."""

    model_config = STRICT

    input_tokens: int = Field(ge=0, strict=True, description="tokens the model read")
    output_tokens: int = Field(ge=0, strict=True, description="tokens the model wrote")

    def reported(self) -> dict[str, int]:
        """lfx's Usage as a message's properties and a result's token_usage show it."""
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
                "total_tokens": self.input_tokens + self.output_tokens}


class Rule(BaseModel):
    """One scripted behaviour: when `match` holds, answer with `reply`, the next of `replies`, or `error`."""

    model_config = STRICT

    name: str | None = None
    match: Match = Field(default_factory=Match)
    reply: str | None = None
    replies: list[str] | None = Field(default=None, min_length=1)
    sequence: Literal["ordered", "cycle"] = Field(
        default="ordered", description="after the last of `replies`: keep the last (ordered) or start over (cycle)")
    mode: Literal["always", "once", "ordered"] = Field(
        default="always",
        description="always: permanent; once: spent after one use; ordered: used once each, in file order")
    times: int | None = Field(default=None, ge=1, description="spent after this many uses")
    error: str | None = None
    stream: StreamShape | None = None
    tool_calls: list[ToolCallEntry] | None = Field(
        default=None, min_length=1,
        description="an agent calls these tools, in order, before it answers: each call in a model turn of its own, "
                    "or several (and the text said before them) in one turn {say, calls}")
    usage: TokenUsage | None = Field(
        default=None, description="the token usage the model reports with its reply (none: it reports none)")

    @model_validator(mode="after")
    def _one_answer(self) -> Rule:
        given = [k for k in ("reply", "replies", "error") if getattr(self, k) is not None]
        if not given:
            raise ValueError("a rule needs one of reply, replies or error")
        if "reply" in given and "replies" in given:
            raise ValueError("give either reply or replies, not both")
        if self.stream and self.stream.error_after is not None and self.error is None:
            raise ValueError("stream.error_after needs an `error` message to raise")
        if self.tool_calls is not None and self.error is not None:
            raise ValueError("tool_calls need the reply the agent gives after them (reply or replies), not error")
        if self.usage is not None and self.error is not None:
            raise ValueError("usage comes with a reply (reply or replies): a call that fails reports none")
        return self

    @property
    def uses_allowed(self) -> int | None:
        if self.mode in ("once", "ordered"):
            return 1 if self.replies is None else len(self.replies)
        return self.times


class Defaults(BaseModel):
    model_config = STRICT

    stream: StreamShape = Field(default_factory=StreamShape)
    fallback: str | None = Field(default=None, description="reply when no rule matches (default: see README)")
    strict: bool | None = Field(default=None, description="no match is an error instead of the fallback reply")


class JobTiming(BaseModel):
    """How long a job of a flow (or of every flow) waits queued, and how long it takes beyond its model calls,
    so clients can test their polling loops."""

    model_config = STRICT

    flow: str | None = Field(default=None, description="flow id, endpoint_name or name; none: every flow")
    queued_ms: float = Field(default=0, ge=0, le=LONGEST_WAIT_MS)
    run_ms: float = Field(default=0, ge=0, le=LONGEST_WAIT_MS)


class ComponentError(BaseModel):
    """What a scripted component raises: Langflow reports `message` and the exception's class name."""

    model_config = STRICT

    type: str = Field(default="ValueError",
                      description="the exception class its traceback names (the v2 API's error_type is always "
                                  "ValueError: Langflow wraps the component's error in one)")
    message: str = Field(description="a template like `output`")


class ComponentScript(BaseModel):
    """What a custom component does in a run: the mock never executes a flow's code, so a script says what
    the component's output is (a template over its inputs), how long it takes, or how it fails."""

    model_config = STRICT

    component: str = Field(description="class name (in the node's code), node type, or display name")
    flow: str | None = Field(default=None, description="only in this flow (id, endpoint_name or name)")
    output: str | None = Field(default=None, description="the output text; {field} is the node's input `field`")
    delay: float | None = Field(default=None, ge=0, le=LONGEST_WAIT_MS / 1000,
                                 description="seconds the component takes")
    delay_from: str | None = Field(default=None, description="take the seconds from this input of the node")
    error: ComponentError | None = Field(default=None, description="fail like a component that raises")

    @model_validator(mode="after")
    def _one_result(self) -> ComponentScript:
        if (self.output is None) == (self.error is None):
            raise ValueError("a component needs one of output or error")
        if self.delay is not None and self.delay_from is not None:
            raise ValueError("give either delay or delay_from, not both")
        return self


class Script(BaseModel):
    model_config = STRICT

    defaults: Defaults | None = None
    # Plain [] defaults (pydantic copies them per instance): a default_factory of a builtin has pydantic read its
    # signature, which at start-up compiled the tokenizer's patterns for 5 ms.
    rules: list[Rule] = []
    jobs: list[JobTiming] = []
    components: list[ComponentScript] = []


ITEM_NAMES = {"rules": "rule", "components": "component", "jobs": "job"}


def _line_of(text: str, section: str, index: int) -> int | None:
    """The 1-based line where the section[index] item (rules[2], components[0]) starts, for error messages."""
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value == section and isinstance(value, yaml.SequenceNode) and index < len(value.value):
            return int(value.value[index].start_mark.line) + 1
    return None


def _not_yaml(constant: str) -> Any:
    """NaN and Infinity are JSON to Python's json module, and strings to YAML: YAML decides."""
    raise ValueError(constant)


def _parsed(text: str, source: str) -> Any:
    """The document: JSON read as JSON (it is YAML too, and reads the same), anything else by PyYAML, whose
    errors say where the text goes wrong."""
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text, parse_constant=_not_yaml)
        except (ValueError, RecursionError):
            pass  # YAML's flow style ({rules: []}), or a broken document that YAML's error explains
    import yaml

    try:
        return yaml.safe_load(text)
    except RecursionError as exc:  # PyYAML builds nested collections recursively
        raise ScriptError(f"{source}: not a script (nested too deeply)") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        raise ScriptError(f"{source}, {where}: not valid YAML or JSON ({getattr(exc, 'problem', exc)})") from exc


def parse_script(text: str, *, source: str = "<script>") -> Script:
    """Parse YAML or JSON into a Script; a list at the top is taken as the rules."""
    raw = _parsed(text, source)
    lone = lone_surrogate_in(raw)
    if lone is not None:  # YAML's "\ud800", or JSON's read from a file: no reply, message or row can hold it
        raise ScriptError(f"{source}: a string holds a lone surrogate ({lone}), which is not text")
    if raw is None:
        raw = {}
    if isinstance(raw, list):
        raw = {"rules": raw}
    if not isinstance(raw, dict):
        raise ScriptError(f"{source}: a script is a mapping with `rules` (or a list of rules)")
    try:
        return Script.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        listed = len(loc) > 1 and loc[0] in ITEM_NAMES and isinstance(loc[1], int)
        line = _line_of(text, str(loc[0]), int(loc[1])) if listed else None
        where = f"line {line}" if line else "at " + ".".join(str(p) for p in loc)
        field = ".".join(str(p) for p in loc[2:] if not str(p).startswith("function-")
                         and p not in (CALL_TAG, TURN_TAG)) or ITEM_NAMES.get(
            str(loc[0]), "rule")
        message = err["msg"].removeprefix("Value error, ")
        raise ScriptError(f"{source}, {where}: {field}: {message}") from exc


def load_script_file(path: Path) -> Script:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"{path}: cannot read it ({exc})") from exc
    return parse_script(text, source=str(path))


def script_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        raise ScriptError(f"{folder}: no such scripts file or directory")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json"))


def rule_json(rule: Rule) -> str:
    return json.dumps(rule.model_dump(exclude_none=True, exclude_defaults=True), sort_keys=True)
