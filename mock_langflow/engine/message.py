"""Langflow's Message: the one object that runs pass along, store, stream and return.

Each wire form is built here, once: the run-result form (`payload`), the event form (payload plus a
trailing "id"), and the stored form /monitor/messages lists (with `files` as a JSON *string*, fact 40).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from mock_langflow.clock import ts_message, ts_message_seconds
from mock_langflow.profiles import current

SENDER_USER, SENDER_AI = "User", "Machine"
NAME_USER, NAME_AI = "User", "AI"


ARTIFACT_FILE_TYPES = ("txt", "md", "mdx", "csv", "json", "yaml", "yml", "xml", "html", "htm", "pdf", "docx", "py",
                       "sh", "sql", "js", "ts", "tsx", "jpg", "jpeg", "png", "bmp", "image")


def artifact_file(path: str) -> dict[str, str]:
    """A file in a chat vertex's artifacts, as every release's ChatOutputResponse fills it in: its `name` the part
    after the last "/", its `type` the text after the last "." when that is a known type, else the first known
    type the path holds anywhere (Langflow tries them in a set's order, which varies from run to run, and fails
    the vertex when none fits: _Run._artifact_files raises then)."""
    extension = path.split(".")[-1]
    kind = extension if extension in ARTIFACT_FILE_TYPES else next(
        (known for known in ARTIFACT_FILE_TYPES if known in path), None)
    entry = {"path": path, "name": path.split("/")[-1]}
    return entry if kind is None else {**entry, "type": kind}


def unsent_agent_dump(text: str, *, sender_name: str, session_id: str, at: datetime,
                      flow_id: Any = None) -> dict[str, Any]:
    """The message lfx 1.13's Agent answers with when it sends none (no Chat Output connected to it, or building its
    Structured Response), as the Agent's status shows it: the keys it set, in their order; state "partial"; a flow id
    only when the Agent had one to give (its own answer's, not its Structured Response's)."""
    return {"sender": SENDER_AI, "sender_name": sender_name, "properties": {"icon": "Bot", "state": "partial"},
            "text": text, "content_blocks": [], "session_id": session_id, "files": [], "context_id": "",
            "run_id": None, "timestamp": ts_message(at), "flow_id": str(flow_id) if flow_id else None,
            "error": False, "edit": False, "category": "message", "duration": None, "session_metadata": None}


@dataclass(frozen=True)
class Source:
    """Which vertex produced a message: id, display name, and `source` (a model's name, else the display name)."""

    id: str | None = None
    display_name: str | None = None
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "display_name": self.display_name, "source": self.source}


class ModelFields(dict[str, Any]):
    """A pydantic model's fields as JSON carries them, which str() writes as pydantic writes the model: each
    `name=repr(value)`, apart by spaces; a nested ModelFields as `Class(name=value, ...)`. What a component shows
    of a Message's properties it made itself (Read File's), where a message read back holds a plain dict."""

    def __init__(self, class_name: str, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.class_name = class_name

    def __str__(self) -> str:
        return " ".join(f"{name}={value!r}" for name, value in self.items())

    def __repr__(self) -> str:
        return f"{self.class_name}({', '.join(f'{name}={value!r}' for name, value in self.items())})"


def properties_model(props: dict[str, Any]) -> ModelFields:
    """A Message's properties as lfx's Properties model (its source a Source model)."""
    fields = dict(props)
    if isinstance(fields.get("source"), dict):
        fields["source"] = ModelFields("Source", fields["source"])
    return ModelFields("Properties", fields)


def properties(source: Source, *, state: str = "complete", error: bool = False,
               usage: dict[str, Any] | None = None, icon: str | None = None) -> dict[str, Any]:
    props = {"text_color": "red" if error else None, "background_color": "red" if error else None, "edited": False,
             "source": source.as_dict(), "icon": "error" if error else icon, "allow_markdown": False,
             "positive_feedback": None, "state": state, "targets": []}
    if current().messages.property_usage:
        props.update(usage=usage, build_duration=None)
    return props


def text_block(text: str, *, duration: int | None = None) -> dict[str, Any]:
    """A text content block (1.13's TextContent) as a message's dump holds it; an Agent's model text (1.13's
    handle_on_chat_model_end) has a duration, 0 in the mock."""
    return {"type": "text", "id": None, "duration": duration, "header": {}, "contents": [], "text": text}


AGENT_STEPS = "Agent Steps"


def agent_steps(*steps: tuple[str, str] | dict[str, Any]) -> list[dict[str, Any]]:
    """An Agent's content blocks before 1.13: one "Agent Steps" group of its steps, each a (title, text) step (lfx's
    TextContent with that header) or a tool step (tool_step); the mock's steps take no time, so every duration
    is 0."""
    contents = [step if isinstance(step, dict) else
                {"type": "text", "duration": 0, "header": {"title": step[0], "icon": "MessageSquare"}, "text": step[1]}
                for step in steps]
    return [{"title": AGENT_STEPS, "contents": contents, "allow_markdown": True, "media_url": None}]


def tool_step(name: str, tool_input: dict[str, Any], output: Any = None, *, done: bool = False) -> dict[str, Any]:
    """A tool call among an Agent's steps before 1.13 (lfx's ToolContent, dumped under its field names): "Accessing"
    the tool while it runs (no output yet), "Executed" with what it returned once it is done."""
    title = f"{'Executed' if done else 'Accessing'} **{name}**"
    return {"type": "tool_use", "duration": 0, "header": {"title": title, "icon": "Hammer"}, "name": name,
            "tool_input": tool_input, "output": output if done else None, "error": None}


TOOL_BLOCK_TYPES = ("text", "image_url", "image", "json", "search_result", "custom_tool_call_output", "document",
                    "file")


def tool_message(name: str, output: Any, *, call_id: str, message_id: str, failed: bool = False) -> dict[str, Any]:
    """1.13: what an Agent's tool gave back, as its log keeps it: LangChain's ToolMessage dumped. A component's
    tool returns its content and, unless that is text, the same value as its artifact (lfx's
    ComponentStructuredTool); LangChain keeps text or a list of content blocks as the content and makes anything
    else JSON text (tools/base.py _format_output, langgraph's msg_content_output); the call's id is the one
    the model gave it, and the message's own id the one LangGraph's add_messages sets. A component's tool that
    fails (`failed`, `output` the error's text) raises ToolException with that text, which the tool handles:
    the text is the content, with no artifact and status "error"."""
    blocks = isinstance(output, list) and all(isinstance(b, dict) and b.get("type") in TOOL_BLOCK_TYPES
                                              for b in output)
    content = output if isinstance(output, str) or blocks else json.dumps(output, ensure_ascii=False)
    return {"content": content, "additional_kwargs": {}, "response_metadata": {}, "type": "tool", "name": name,
            "id": message_id, "tool_call_id": call_id, "artifact": None if isinstance(output, str) else output,
            "status": "error" if failed else "success"}


def error_blocks(text: str, reason: str, traceback: str, *, component: str | None = None,
                 title: str = "Error") -> list[dict[str, Any]]:
    """An error message's content blocks: its text, then a group holding the error (its markdown `reason` and
    `traceback`; `component`: the display name of the component that failed); before 1.13, the group alone."""
    if not current().messages.run_fields:
        return [{"title": title, "contents": [
            {"type": "error", "duration": None, "header": {}, "component": component, "field": None,
             "reason": reason, "solution": None, "traceback": traceback}], "allow_markdown": True, "media_url": None}]
    return [
        text_block(text),
        {"type": "group", "id": None, "duration": None, "header": {},
         "contents": [{"type": "error", "id": None, "duration": None, "header": {}, "contents": [],
                       "component": component, "field": None, "reason": reason, "solution": None, "code": None,
                       "traceback": traceback}],
         "title": title, "allow_markdown": True, "media_url": None},
    ]


OUTPUT_HEADER = {"title": "Output", "icon": "MessageSquare"}


def _is_group(block: dict[str, Any]) -> bool:
    """A group of content blocks: tagged so (the new shape), or untagged with a title and contents (the old)."""
    return block.get("type") == "group" or ("title" in block and "contents" in block and "type" not in block)


def _old_leaf(leaf: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in leaf.items() if k not in ("id", "contents")}


def new_leaf(leaf: dict[str, Any]) -> dict[str, Any]:
    """An old-shape leaf (tool_step's) in 1.13's shape: `id` right after `type`, `contents` right after `header`
    (what _old_leaf takes away)."""
    shaped: dict[str, Any] = {}
    for key, value in leaf.items():
        shaped[key] = value
        if key == "type":
            shaped["id"] = None
        elif key == "header":
            shaped["contents"] = []
    return shaped


def v1_blocks(blocks: list[Any]) -> list[dict[str, Any]]:
    """Content blocks as 1.13 shows them to a v1 client (profile messages.v1_blocks; lfx's legacy_render): groups
    only, each with its title, contents (leaves without the new shape's id and contents), allow_markdown and
    media_url; top-level leaves dropped, except that an answer's text leaves are folded into an "Agent Steps"
    group as its closing Output step, and tool-use leaves with no group around them are put in one."""
    dicts = [b for b in blocks if isinstance(b, dict)]
    groups = [b for b in dicts if _is_group(b)]
    leaves = [b for b in dicts if not _is_group(b)]
    if not groups and any(leaf.get("type") == "tool_use" for leaf in leaves):
        return [{"title": AGENT_STEPS, "contents": [_old_leaf(leaf) for leaf in leaves], "allow_markdown": True,
                 "media_url": None}]
    answer = "".join(str(leaf.get("text") or "") for leaf in leaves if leaf.get("type") == "text")
    shown: list[dict[str, Any]] = []
    for group in groups:
        contents = [_old_leaf(c) if isinstance(c, dict) else c for c in group.get("contents") or []]
        if answer and group.get("title") == AGENT_STEPS:
            contents.append({"type": "text", "duration": None, "header": dict(OUTPUT_HEADER), "text": answer})
            answer = ""
        shown.append({"title": group.get("title"), "contents": contents,
                      "allow_markdown": group.get("allow_markdown", True), "media_url": group.get("media_url")})
    return shown


def stored_blocks(blocks: list[Any]) -> list[Any]:
    """Content blocks as 1.13 hands on a message it stored: the database keeps their v1 projection (v1_blocks),
    which lfx's Message.create reads back into the new shape (groups tagged "group", each leaf with its `id` and
    `contents`). An Agent's flat log so becomes its "Agent Steps" group, and a text leaf beside a group (the
    answer a Chat Output set on it) that group's closing Output step."""
    return [{"type": "group", "id": None, "duration": None, "header": {},
             "contents": [new_leaf(leaf) if isinstance(leaf, dict) else leaf for leaf in group["contents"]],
             "title": group["title"], "allow_markdown": group["allow_markdown"], "media_url": group["media_url"]}
            for group in v1_blocks(blocks)]


def _old_shape(blocks: list[Any]) -> bool:
    """Whether v1_blocks would give `blocks` back as they are: groups of the old shape only."""
    return all(isinstance(b, dict) and list(b) == ["title", "contents", "allow_markdown", "media_url"]
               and all(not isinstance(c, dict) or not ("id" in c or "contents" in c) for c in b["contents"] or [])
               for b in blocks)


def as_v1(blocks: list[Any]) -> list[Any]:
    """v1_blocks of `blocks`, or `blocks` themselves when they are already of the old shape."""
    return blocks if _old_shape(blocks) else v1_blocks(blocks)


def project_v1(value: Any) -> Any:
    """`value` (an answer or event body) with every `content_blocks` list in it as v1_blocks shows it, and a
    text beside one that is not a string made "" (lfx's project_payload_to_v1); `value` itself when nothing in
    it changes, which is what an answer without content blocks costs: one walk."""
    if isinstance(value, dict):
        changed: dict[str, Any] | None = None
        blocks = False
        for key, item in value.items():
            if key == "content_blocks" and isinstance(item, list):
                blocks = True
                new = as_v1(item)
            elif isinstance(item, (dict, list)):
                new = project_v1(item)
            else:
                continue
            if new is not item:
                changed = changed if changed is not None else dict(value)
                changed[key] = new
        if blocks and "text" in value and not isinstance(value["text"], str):
            changed = changed if changed is not None else dict(value)
            changed["text"] = ""
        return value if changed is None else changed
    if isinstance(value, list):
        items = [project_v1(item) if isinstance(item, (dict, list)) else item for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def saved_properties(saved: dict[str, Any]) -> dict[str, Any]:
    """A stored message's properties as Langflow reads them back: the saved fields over the model's defaults.
    A run saves every field; an edit saves only the fields it sets, so the others read back as defaults."""
    shown = properties(Source())
    for key in shown.keys() & saved.keys():
        value = saved[key]
        if key == "source" and isinstance(value, dict):
            value = {k: value.get(k) for k in shown["source"]}
        elif key == "usage" and isinstance(value, dict):
            value = {k: value.get(k) for k in ("input_tokens", "output_tokens", "total_tokens")}
        shown[key] = value
    return shown


def response_text(text: str, sender: str | None) -> str:
    """A text as lfx's ChatOutputResponse holds it (a vertex's artifacts and `messages`): one the machine sends
    has its line breaks made markdown's, each run of two one, then every one two."""
    if sender != SENDER_AI:
        return text
    return text.replace("\n\n", "\n").replace("\n", "\n\n")


# The fields a chat component sets on the Message it makes, in its order (lfx's ChatInput creates the Message
# with them; ChatOutput, Text Input and Text Output make Message(text=...), ChatOutput then setting the others).
UNSTORED_LEAD = {"chat_input": ("text", "sender", "sender_name", "session_id", "context_id", "files"),
                 "chat_output": ("text", "files", "sender", "sender_name", "session_id", "context_id")}
UNSTORED_LEAD["text"] = UNSTORED_LEAD["chat_output"]


def made_message(text: str, flow_id: UUID | None, moment: datetime) -> Message:
    """The Message(text=...) a component returns, its flow id set: see Message.made_payload."""
    return Message(id=UUID(int=0), flow_id=flow_id, session_id="", text=text, sender=None, sender_name=None,
                   timestamp=moment, run_id=None)


@dataclass(frozen=True)
class Message:
    """A chat message a run made, as the store keeps it and Langflow's answers and events show it."""

    id: UUID
    flow_id: UUID | None
    session_id: str
    text: str
    sender: str | None
    sender_name: str | None
    timestamp: datetime
    run_id: UUID | None
    source: Source = field(default_factory=Source)
    files: list[str] = field(default_factory=list)
    # the files a run's events and results show as Langflow's Image objects ({"path", "url": null}): an image
    # at a path Langflow can open (a stored message's image kept as its full path; all of an unstored one's)
    images: frozenset[str] = frozenset()
    context_id: str | None = ""  # Langflow's error messages have none (null); chat components store ""
    state: str = "complete"
    category: str = "message"
    error: bool = False
    edit: bool = False
    content_blocks: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, Any] | None = None
    icon: str | None = None  # an Agent's own message: "Bot"
    # A stored message's properties as read back (store/messages.py from_row); they stand in for those made
    # from source, state, error and usage, which only a message of the run at hand has.
    saved: dict[str, Any] | None = None
    # A stored message's session_metadata, which an edit may have replaced; None: the run's own.
    saved_metadata: dict[str, Any] | None = None
    # Which component made this message and did not store it (UNSTORED_LEAD: a Chat Input or Output with no session
    # or should_store_message off; "text": a Text Input's or Output's Message(text=...)): Langflow's Message as the
    # component made it, with no id, run or session metadata, its fields in the order the component set them.
    # None: a stored message.
    unstored: str | None = None
    # Read back from Langflow's message table (as_stored, restored): its `data` holds the blocks as a read shows them.
    read_back: bool = False
    # 1.13's Agent's own message, whose content blocks are its log, added after it was made: its `data` keeps the
    # blocks it was made with (none)
    logged: bool = False
    # the announcement of a message its store gave back the first time it stored it complete: 1.13's `data` then
    # shows the blocks' leaves without their null keys
    first_read: bool = False
    # 1.13's Chat Output that set its text on a Message it was handed (lfx's Message.text setter): the message table
    # keeps a text leaf of it at the end of its blocks, which only a read of the table's rows shows (a Message
    # History's table); every other answer shows the message as made
    answer_leaf: bool = False

    def table_blocks(self) -> list[Any]:
        """The content blocks the message table keeps."""
        blocks = list(self.content_blocks)
        return [*blocks, text_block(self.text)] if self.answer_leaf and self.text else blocks

    def as_stored(self) -> Message:
        """The message as Langflow's message table gives it back, which is what a component's stored error message
        goes out as: the table keeps no `error` flag (false), and holds only the blocks that are groups (an error's
        text block is not one); its properties as made."""
        return replace(self, error=False, saved=self.properties, read_back=True,
                       content_blocks=[b for b in self.content_blocks if _is_group(b)])

    def restored(self, *, answer: bool = False) -> Message:
        """The message as 1.13's store gives a component back what it stored (stored_blocks; profile
        messages.v1_blocks), its text set on it first with `answer` (lfx's Message.text setter: its text leaves
        replaced by one at the end); itself when it has no content blocks or the release keeps them as they are."""
        if not self.content_blocks or not current().messages.v1_blocks:
            return self
        blocks = list(self.content_blocks)
        if answer:
            blocks = [b for b in blocks if not (isinstance(b, dict) and b.get("type") == "text")]
            blocks += [text_block(self.text)] if self.text else []
        return replace(self, content_blocks=stored_blocks(blocks), read_back=True)

    def with_text(self, text: str, *, state: str | None = None) -> Message:
        return replace(self, text=text, state=state or self.state)

    @property
    def properties(self) -> dict[str, Any]:
        if self.saved is not None:
            return self.saved
        return properties(self.source, state=self.state, error=self.error, usage=self.usage, icon=self.icon)

    @property
    def session_metadata(self) -> dict[str, Any] | None:
        if self.unstored is not None:
            return None
        if self.saved_metadata is not None:
            return self.saved_metadata
        return {"graph_run_id": str(self.run_id)} if self.run_id else None

    def _timestamp(self) -> str:
        if current().messages.timestamps == "seconds":
            return ts_message_seconds(self.timestamp)
        return ts_message(self.timestamp)

    def _data(self) -> dict[str, Any]:
        """The message's own fields, as Message.data holds them (and 1.7.1's flat events send them)."""
        run_fields = current().messages.run_fields
        flow_id = str(self.flow_id) if self.flow_id else None
        if self.unstored is not None:
            return self._unstored_data(run_fields, flow_id)
        data = {"timestamp": self._timestamp(), "sender": self.sender, "sender_name": self.sender_name,
                "session_id": self.session_id, "context_id": self.context_id, "text": self.text,
                "files": self.shown_files(), "error": self.error, "edit": self.edit, "properties": self.properties,
                "category": self.category,
                "content_blocks": self._data_blocks()}
        if run_fields:
            data["session_metadata"] = self.session_metadata
        data.update(id=str(self.id), flow_id=flow_id)
        if run_fields:
            data["run_id"] = str(self.run_id) if self.run_id else None
        data["duration"] = None
        return data

    def table_row(self, user_id: UUID | None) -> dict[str, Any]:
        """The message as a row of the Message History's table (profile messages.table_columns): read from the
        message table, which keeps no error flag and no output mark, and whose rows name their user."""
        values = {"sender_name": self.sender_name, "timestamp": self._timestamp(), "session_id": self.session_id,
                  "text": self.text, "error": False, "id": str(self.id),
                  "run_id": str(self.run_id) if self.run_id else None, "is_output": False,
                  "category": self.category, "sender": self.sender, "context_id": self.context_id, "edit": self.edit,
                  "flow_id": str(self.flow_id) if self.flow_id else None,
                  "user_id": str(user_id) if user_id else None, "files": list(self.files),
                  "properties": self.properties, "content_blocks": list(self.content_blocks),
                  "session_metadata": self.session_metadata, "duration": None}
        return {column: values[column] for column in current().messages.table_columns}

    def _data_blocks(self) -> list[Any]:
        """The content blocks Message.data holds: as a read shows them when read back, those it was made with when
        logged, else its own."""
        if not self.read_back:
            return [] if self.logged else list(self.content_blocks)
        blocks = self.read_blocks()
        if not self.first_read:
            return blocks
        return [{**group, "contents": [{k: v for k, v in leaf.items() if v is not None} if isinstance(leaf, dict)
                                       else leaf for leaf in group["contents"]]} if isinstance(group, dict) else group
                for group in blocks]

    def _unstored_data(self, run_fields: bool, flow_id: str | None) -> dict[str, Any]:
        """Message.data of a message no store gave an id: what its component set, then the model's defaults."""
        own = {"text": self.text, "sender": self.sender, "sender_name": self.sender_name,
               "session_id": self.session_id, "context_id": self.context_id, "files": self.shown_files()}
        data = {key: own[key] for key in UNSTORED_LEAD[self.unstored]}
        if run_fields:
            data["run_id"] = None
        data.update(timestamp=self._timestamp(), flow_id=flow_id, error=self.error, edit=self.edit,
                    properties=self.properties, category=self.category, content_blocks=list(self.content_blocks),
                    duration=None)
        if run_fields:
            data["session_metadata"] = None
        return data

    def shown_files(self) -> list[Any]:
        """`files` as Message.model_dump() has them: an image as an Image object, anything else as its path."""
        return [{"path": f, "url": None} if f in self.images else f for f in self.files]

    def payload(self) -> dict[str, Any]:
        """Message.model_dump() as a run result carries it: the data dict, then the same fields flat. A run shows
        each message's dump three times or so (its result, its vertex build, its trace span): made once per
        profile and kept on the message, which is frozen (`replace` makes a new one, with none kept); each call
        gets its own top-level and `data` dicts, the values inside shared, as within one dump already."""
        profile = current()
        kept = self.__dict__.get("_dumped")
        if kept is None or kept[0] is not profile:
            kept = (profile, self._payload())
            self.__dict__["_dumped"] = kept  # (frozen: set past the dataclass's __setattr__)
        dumped = dict(kept[1])
        dumped["data"] = dict(dumped["data"])
        return dumped

    def _payload(self) -> dict[str, Any]:
        data = self._data()
        top = {k: v for k, v in data.items() if k not in ("id", "session_metadata")}
        if self.read_back or self.logged:  # the blocks as the message holds them (its data: as read, or as made)
            top["content_blocks"] = list(self.content_blocks)
        if not current().messages.run_fields:
            # Before 1.13: `text` right after default_value, and the top-level timestamp as ISO +00:00.
            top = {"text": top.pop("text"), **top,
                   "timestamp": self.timestamp.astimezone(UTC).replace(microsecond=0).isoformat()}
            order = ("text", "sender", "sender_name", "files", "session_id", "context_id", "timestamp", "flow_id",
                     "error", "edit", "properties", "category", "content_blocks", "duration")
            return {"text_key": "text", "data": data, "default_value": "", **{k: top[k] for k in order}}
        order = ("sender", "sender_name", "files", "session_id", "context_id", "run_id", "timestamp", "flow_id",
                 "error", "edit", "properties", "category", "content_blocks", "duration")
        return {"text_key": "text", "data": data, "default_value": "", **{k: top[k] for k in order},
                "session_metadata": self.session_metadata, "text": self.text}

    def made_payload(self) -> dict[str, Any]:
        """Message.model_dump() of the bare Message(text=...) a component makes and returns (a language model's
        answer, Text Input's and Text Output's): its data holds only the text and the flow id lfx sets on a
        component's result; no sender, session or run."""
        dumped = self.payload()
        dumped["data"] = {"text": self.text, **({"flow_id": str(self.flow_id)} if self.flow_id else {})}
        return dumped

    # lfx's Message fields in their declared order, as its JSON dump lists them (no id)
    DUMP_ORDER = ("text", "files", "sender", "sender_name", "session_id", "context_id", "run_id", "timestamp",
                  "flow_id", "error", "edit", "properties", "category", "content_blocks", "duration",
                  "session_metadata")

    def data_repr(self, **extra: Any) -> str:
        """The message as lfx's Data.__str__ writes it (serialize_data: its data as 4-space JSON, non-ASCII
        escaped), a component's artifact repr when its status is a Message; `extra` keys go first."""
        return json.dumps({**extra, **self.payload()["data"]}, indent=4, default=str)

    def dump_order(self) -> dict[str, Any]:
        """The message as lfx's Message.model_dump_json lists it (a model's artifact shows it): the fields the
        release's Message has (before 1.13 no run_id nor session_metadata)."""
        data = self.payload()["data"]
        return {key: data[key] for key in self.DUMP_ORDER if key in data}

    def event_payload(self) -> dict[str, Any]:
        """An add_message event's data: the payload plus a trailing top-level "id" (fact 14); in 1.7.1 the
        flat message dict."""
        if current().messages.event == "flat":
            return self._data()
        return {**self.payload(), "id": str(self.id)}

    def stored(self) -> dict[str, Any]:
        """As /api/v1/monitor/messages lists it."""
        stored = {"id": str(self.id), "flow_id": str(self.flow_id) if self.flow_id else None,
                  "timestamp": self._timestamp(), "sender": self.sender, "sender_name": self.sender_name,
                  "session_id": self.session_id, "context_id": self.context_id, "text": self.text,
                  "files": json.dumps(self.files), "edit": self.edit, "duration": None,
                  "properties": self.properties, "category": self.category,
                  "content_blocks": self.read_blocks()}
        if current().messages.run_fields:
            stored["session_metadata"] = self.session_metadata
        return stored

    def read_blocks(self) -> list[dict[str, Any]]:
        """The content blocks as the monitor's reads show them (1.13: projected, profile messages.v1_blocks)."""
        blocks = list(self.content_blocks)
        return as_v1(blocks) if current().messages.v1_blocks else blocks

    def read(self) -> dict[str, Any]:
        """As PUT /api/v1/monitor/messages/{id} answers it (MessageRead): `files` a list, `error` but no
        `duration`; since 1.13 also session_metadata and the run's id."""
        data = {**self._data(), "files": list(self.files), "content_blocks": self.read_blocks()}
        del data["duration"]
        return data

    @property
    def response_text(self) -> str:
        return response_text(self.text, self.sender)

    def artifacts(self) -> dict[str, Any]:
        return {"message": self.response_text, "sender": self.sender, "sender_name": self.sender_name,
                "files": list(self.files), "type": "object"}

    def chat_response(self, component_id: str) -> dict[str, Any]:
        """One entry of a result's `messages` list (ChatOutputResponse)."""
        return {"message": self.response_text, "sender": self.sender, "sender_name": self.sender_name,
                "session_id": self.session_id, "stream_url": None, "component_id": component_id,
                "files": [artifact_file(f) for f in self.files], "type": "text"}
