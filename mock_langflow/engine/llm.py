"""The scripted LLM: every model or agent in a flow answers from rules a test author writes.

Rules live in SQLite (table script_rule) with their use counts, and every call is journaled (llm_call),
so sequences and turn numbers survive restarts and a test can see what its flow asked the model.
Precedence follows pytest-httpserver: `ordered` rules first (only the next unspent one), then `once`
rules, then `always` rules; within each, a later script wins over an earlier one and, inside a script,
the first matching rule wins. No match: the fallback reply, or in strict mode an error.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, col, delete, select

from mock_langflow.clock import Clock, Ids
from mock_langflow.engine.scripts import (
    ComponentScript,
    Defaults,
    JobTiming,
    ModelTurn,
    Rule,
    Script,
    StreamShape,
    ToolCall,
    load_script_file,
    model_turns,
    script_files,
    shown_turns,
)
from mock_langflow.store.db import Database, clear_tables, table
from mock_langflow.store.models import LLM_CALLS, ScriptDefaultsRow, ScriptRuleRow

if TYPE_CHECKING:
    from mock_langflow.store.llm_calls import LlmCallRow

FALLBACK_REPLY = "Scripted reply to: {input}"
STRICT_NO_MATCH = "No scripted reply matches this call (strict mode). Input: {input!r}"
_PLACEHOLDER = re.compile(r"\{(input|session_id|turn|flow_id|flow_name|component_id)\}")
_MODE_ORDER = {"ordered": 0, "once": 1, "always": 2}
_RULES = table(ScriptRuleRow)
COUNT_USE = update(_RULES).where(_RULES.c.id == bindparam("rule_id")).values(uses=_RULES.c.uses + 1)
TURN_CACHE_SIZE = 10_000  # sessions whose call count is kept in memory (others are counted again)


@dataclass(frozen=True)
class LlmRequest:
    """What a model node of a running flow asks."""

    flow_id: UUID | None
    flow_name: str
    endpoint_name: str | None
    component_id: str
    session_id: str
    input: str
    prompt: str
    files: tuple[tuple[str, str], ...] = ()  # (name, text) of files given to the run


@dataclass(frozen=True)
class LlmReply:
    """What the scripted model answers one call: the text (or an error), how it streams, the rule that made it."""

    text: str
    error: str | None
    stream: StreamShape
    rule_id: int | None
    turn: int
    turns: tuple[ModelTurn, ...] = ()  # an agent's model turns that call tools, before it answers `text`
    # the token usage the model reports ({input_tokens, output_tokens, total_tokens}); None: it reports none
    usage: dict[str, int] | None = None

    def tokens(self) -> list[str]:
        return chunk(self.text, self.stream)

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        """Every tool call of the turns, in order."""
        return tuple(call for turn in self.turns for call in turn.calls)


@dataclass
class _Candidate:
    """A stored rule that may answer a call, ranked by its mode."""

    row: ScriptRuleRow
    rule: Rule
    mode_rank: int = field(init=False)
    # the rule's uses as the snapshot counts them (the database's are counted with the deferred writes): a plain
    # number, where counting on the detached row went through SQLModel's and SQLAlchemy's attribute machinery
    uses: int = field(init=False)
    # where it stands among the eligible rules (ScriptedLLM._choose), read off the row once
    rank: tuple[int, int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.mode_rank = _MODE_ORDER[self.rule.mode]
        self.uses = self.row.uses
        self.rank = (self.mode_rank, -self.row.batch, self.row.id or 0)


def _rank(candidate: _Candidate) -> tuple[int, int, int]:
    return candidate.rank


def chunk(text: str, shape: StreamShape) -> list[str]:
    """Split a reply into tokens; joined, they are the reply again."""
    if not text:
        return []
    if shape.chunking == "chars":
        return list(text)
    if shape.chunking == "fixed":
        return [text[i: i + shape.chunk_size] for i in range(0, len(text), shape.chunk_size)]
    lead = text[: len(text) - len(text.lstrip())]
    words = re.findall(r"\S+\s*", text)
    if not words:
        return [text]
    words[0] = lead + words[0]
    return words


def fill(template: str, request: LlmRequest, turn: int) -> str:
    values = {"input": request.input, "session_id": request.session_id, "turn": str(turn),
              "flow_id": str(request.flow_id or ""), "flow_name": request.flow_name,
              "component_id": request.component_id}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def _matches(rule: Rule, request: LlmRequest, turn: int) -> bool:
    m = rule.match
    checks = [
        m.input is None or request.input == m.input,
        m.input_contains is None or m.input_contains in request.input,
        m.input_regex is None or re.search(m.input_regex, request.input) is not None,
        m.prompt_contains is None or m.prompt_contains in request.prompt,
        m.prompt_regex is None or re.search(m.prompt_regex, request.prompt) is not None,
        m.flow is None or m.flow in {str(request.flow_id), request.flow_name, request.endpoint_name},
        m.component is None or m.component == request.component_id,
        m.session is None or m.session == request.session_id,
        m.turn is None or m.turn == turn,
        m.file_contains is None or any(m.file_contains in text for _, text in request.files),
        m.file_name is None or any(m.file_name == name for name, _ in request.files),
    ]
    return all(checks)


class ScriptedLLM:
    def __init__(self, db: Database, ids: Ids, clock: Clock, *, strict: bool = False) -> None:
        self.db, self.ids, self.clock, self.strict_setting = db, ids, clock, strict
        # What a call would otherwise read from the database each time: the rules (parsed, with their use
        # counts) and defaults, and how many calls each session made so far (counting them grows with the
        # session). Every change to the rules or the calls goes through this class or calls forget(); this
        # server owns its data dir, so nothing else changes them.
        self._snapshot: tuple[list[_Candidate], Defaults] | None = None
        self._components: list[ComponentScript] | None = None  # every scripted component, the weakest first
        self._turns: OrderedDict[tuple[UUID | None, str], int] = OrderedDict()

    def forget(self) -> None:
        """Rules, defaults or calls changed in the database (a reset, a script added): read them again."""
        self._snapshot = None
        self._components = None
        self._turns.clear()

    # --- rules ----------------------------------------------------------------------------------------

    def load_files(self, folders: list[Path]) -> int:
        """Replace the rules that came from files with the scripts in these files or folders."""
        # A path's bytes that are not UTF-8 read as lone surrogates, which the source column cannot store.
        loaded = [(str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace"), load_script_file(path))
                  for folder in folders for path in script_files(folder)]
        with self.db.session() as s:
            if not self.db.new:  # (a database this start made has no earlier server's rules)
                s.exec(delete(ScriptRuleRow).where(col(ScriptRuleRow.source).like("file:%")))
                s.exec(delete(ScriptDefaultsRow).where(col(ScriptDefaultsRow.source).like("file:%")))
            for path, script in loaded:
                self._insert(s, script, f"file:{path}")
        self.forget()
        return sum(len(script.rules) for _, script in loaded)

    def add(self, script: Script, *, source: str = "api") -> list[int]:
        with self.db.session() as s:
            ids = self._insert(s, script, source)
        self.forget()
        return ids

    @staticmethod
    def _insert(s: Session, script: Script, source: str) -> list[int]:
        batch = 1 + (s.exec(select(func.max(ScriptRuleRow.batch))).one() or 0)
        rows = [ScriptRuleRow(source=source, batch=batch, spec=r.model_dump(mode="json", exclude_none=True))
                for r in script.rules]
        for row in rows:
            s.add(row)
        if script.defaults is not None or script.jobs or script.components:
            existing = s.get(ScriptDefaultsRow, source)
            spec = dict(existing.spec) if existing is not None else {}
            if script.defaults is not None:
                spec["defaults"] = script.defaults.model_dump(mode="json", exclude_none=True)
            if script.jobs:
                spec["jobs"] = [*spec.get("jobs", []), *(j.model_dump(mode="json") for j in script.jobs)]
            if script.components:
                spec["components"] = [*spec.get("components", []),
                                      *(c.model_dump(mode="json", exclude_none=True) for c in script.components)]
            if existing is None:
                s.add(ScriptDefaultsRow(source=source, spec=spec))
            else:
                existing.spec = spec
                s.add(existing)
        s.flush()
        return [int(r.id or 0) for r in rows]

    def rules(self) -> list[dict[str, Any]]:
        with self.db.session() as s:
            rows = s.exec(select(ScriptRuleRow).order_by(col(ScriptRuleRow.id))).all()
        return [{"id": r.id, "source": r.source, "uses": r.uses, **r.spec} for r in rows]

    def clear(self, *, source: str | None = None) -> int:
        """Remove rules (all, or those of one source such as "api"); file rules come back on restart."""
        with self.db.session() as s:
            query = delete(ScriptRuleRow)
            defaults = delete(ScriptDefaultsRow)
            if source is not None:
                query = query.where(ScriptRuleRow.source == source)
                defaults = defaults.where(ScriptDefaultsRow.source == source)
            result = s.exec(query)
            s.exec(defaults)
        self.forget()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def reset_uses(self) -> None:
        with self.db.session() as s:
            for row in s.exec(select(ScriptRuleRow)).all():
                row.uses = 0
                s.add(row)
            clear_tables(s, LLM_CALLS)
        self.forget()

    def defaults(self, s: Session | None = None) -> Defaults:
        """Merged defaults: file scripts first, then the control API's (a later source wins per key)."""
        def load(sess: Session) -> Defaults:
            merged: dict[str, Any] = {}
            for row in sess.exec(select(ScriptDefaultsRow)).all():
                for key, value in row.spec.get("defaults", {}).items():
                    merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
            return Defaults.model_validate(merged)
        if s is not None:
            return load(s)
        with self.db.session() as sess:
            return load(sess)

    def job_timing(self, *, flow_id: UUID | None, names: tuple[str | None, ...]) -> JobTiming:
        """The scripted queue and run time of a job of this flow (the last matching entry wins)."""
        found = JobTiming()
        keys = {str(flow_id), *(n for n in names if n)}
        with self.db.session() as s:
            for row in s.exec(select(ScriptDefaultsRow)).all():
                for entry in row.spec.get("jobs", []):
                    timing = JobTiming.model_validate(entry)
                    if timing.flow is None or timing.flow in keys:
                        found = timing
        return found

    def _component_entries(self) -> list[tuple[str, dict[str, Any]]]:
        """(source, entry) of every scripted component, the weakest first: files, then the control API's;
        within a source in the order they were added."""
        with self.db.session() as s:
            rows = s.exec(select(ScriptDefaultsRow)).all()
        rows = sorted(rows, key=lambda r: (not r.source.startswith("file:"), r.source))
        return [(row.source, entry) for row in rows for entry in row.spec.get("components", [])]

    def components(self) -> list[dict[str, Any]]:
        """The scripted components, for listings: the entry and where it came from."""
        return [{"source": source, **entry} for source, entry in self._component_entries()]

    def component_scripts(self, *, flow_id: UUID | None, names: tuple[str | None, ...]) -> list[ComponentScript]:
        """The scripted components that apply in this flow, the one that wins first: as for `jobs`, the last
        matching entry wins, so a control-API script overrides the files."""
        keys = {str(flow_id), *(n for n in names if n)}
        if self._components is None:  # read once per change, not once per run
            self._components = [ComponentScript.model_validate(entry) for _, entry in self._component_entries()]
        return [c for c in reversed(self._components) if c.flow is None or c.flow in keys]

    # --- calls ----------------------------------------------------------------------------------------

    def calls(self, *, flow_id: UUID | None = None, session_id: str | None = None) -> list[LlmCallRow]:
        from mock_langflow.store.llm_calls import LlmCallRow  # (its table: defined on first use)

        query = select(LlmCallRow).order_by(col(LlmCallRow.timestamp))
        if flow_id is not None:
            query = query.where(LlmCallRow.flow_id == flow_id)
        if session_id is not None:
            query = query.where(LlmCallRow.session_id == session_id)
        with self.db.session() as s:
            return list(s.exec(query).all())

    def reply(self, request: LlmRequest) -> LlmReply:
        """Pick the answer for one model call; the rule's use and the call itself are written with the next
        batch of deferred writes, which every later read sees."""
        from mock_langflow.store.llm_calls import INSERT_CALL, LlmCallRow

        key = (request.flow_id, request.session_id)
        made = self._turns.get(key)
        if made is None or self._snapshot is None:
            with self.db.session() as s:
                if made is None:
                    made = s.exec(select(func.count()).select_from(LlmCallRow)
                                  .where(LlmCallRow.flow_id == request.flow_id,
                                         LlmCallRow.session_id == request.session_id)).one()
                if self._snapshot is None:
                    rows = s.exec(select(ScriptRuleRow).order_by(col(ScriptRuleRow.id))).all()
                    self._snapshot = ([_Candidate(r, Rule.model_validate(r.spec)) for r in rows], self.defaults(s))
        candidates, defaults = self._snapshot
        turn = 1 + made
        chosen = self._choose(candidates, request, turn)
        strict = self.strict_setting if defaults.strict is None else defaults.strict
        if chosen is None:
            text = fill(defaults.fallback or FALLBACK_REPLY, request, turn)
            error = STRICT_NO_MATCH.format(input=request.input) if strict else None
            reply = LlmReply("" if strict else text, error, defaults.stream, None, turn)
        else:
            rule, row = chosen.rule, chosen.row
            if rule.replies is not None:
                index = chosen.uses % len(rule.replies) if rule.sequence == "cycle" else min(
                    chosen.uses, len(rule.replies) - 1)
                text = rule.replies[index]
            else:
                text = rule.reply or ""
            chosen.uses += 1  # the snapshot's count; the database's is counted with the deferred writes
            self.db.defer(COUNT_USE, {"rule_id": row.id})
            stream = defaults.stream.model_copy(update=rule.stream.model_dump(exclude_unset=True)) \
                if rule.stream else defaults.stream
            # `error` raises: at once, or after stream.error_after tokens of the reply
            reply = LlmReply(fill(text, request, turn), rule.error, stream, row.id, turn, model_turns(rule.tool_calls),
                             rule.usage.reported() if rule.usage is not None else None)
        self.db.defer(INSERT_CALL, {"id": self.ids.uuid(), "flow_id": request.flow_id,
                                    "session_id": request.session_id, "component_id": request.component_id,
                                    "rule_id": reply.rule_id, "input": request.input, "prompt": request.prompt,
                                    "reply": None if reply.error and not reply.text else reply.text,
                                    "error": reply.error, "timestamp": self.clock.now(),
                                    "tool_calls": shown_turns(reply.turns) or None,
                                    "usage": reply.usage})
        self._turns[key] = turn
        self._turns.move_to_end(key)
        if len(self._turns) > TURN_CACHE_SIZE:
            self._turns.popitem(last=False)
        return reply

    @staticmethod
    def _choose(candidates: list[_Candidate], request: LlmRequest, turn: int) -> _Candidate | None:
        live = [c for c in candidates if c.rule.uses_allowed is None or c.uses < c.rule.uses_allowed]
        next_ordered = next((c for c in live if c.rule.mode == "ordered"), None)
        eligible = [c for c in live if c.rule.mode != "ordered" or c is next_ordered]
        # Later scripts win over earlier ones (a test's rules over the shipped defaults, rules added at run
        # time over files); inside one script, the first matching rule wins.
        eligible.sort(key=_rank)
        return next((c for c in eligible if _matches(c.rule, request, turn)), None)
