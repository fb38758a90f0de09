"""An Agent's Structured Response (lfx 1.13's AgentComponent.json_response), as found against a live 1.13.0: the
objects a model's answer holds, checked against the fields the Agent's output schema table lists.

Two ways, as Langflow takes them. An Agent with tools (its own Current Date or Calculator included) runs as it
always does and the objects are looked for in its answer's text (`from_answer`): each is checked alone, one that
fails kept beside its validation error. An Agent without tools asks its model for the objects themselves, as a
JSON object that lists them under "objects" (`from_model`), which pydantic checks as a whole: one failure is the
answer's error. pydantic writes the validation errors, so their texts are pydantic's own.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from pydantic import BaseModel, Field, ValidationError, create_model

from mock_langflow import errors

# the field of the JSON object a model answers with that lists the objects (a name of the schema's own gets a "_")
LIST_FIELD = "objects"
MODEL_NAME = "OutputModel"  # the name of both pydantic models, which validation errors show
_TYPES: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool, "boolean": bool, "list": list[Any],
                          "dict": dict[str, Any], "number": float, "text": str}
_TRUE_TEXTS = frozenset({"true", "1", "t", "y", "yes"})


class SchemaError(ValueError):
    """An output schema no model can be made of (the Structured Response's error text)."""


def _as_bool(value: Any) -> bool:
    """A schema row's `multiple` (a bool, or a text such as the table's "False")."""
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_TEXTS
    return bool(value)


def record_model(schema: list[Any]) -> type[BaseModel]:
    """The model of one object: a field per schema row (its name, type and description; a list of that type when
    `multiple`). SchemaError for a row that is no mapping, names a type Langflow does not know or a field pydantic
    refuses; pydantic's NameError (a name with a leading underscore) is raised as it is, as Langflow lets it fail the
    vertex."""
    fields: dict[str, Any] = {}
    for row in schema:
        if not isinstance(row, dict):
            raise SchemaError(f"'{type(row).__name__}' object has no attribute 'get'")
        kind = str(row.get("type", "str"))
        if kind not in _TYPES:
            raise SchemaError(f"Invalid type: {kind}")
        annotation = list[_TYPES[kind]] if _as_bool(row.get("multiple", False)) else _TYPES[kind]  # type: ignore[index]
        fields[str(row.get("name", "field"))] = (annotation, Field(description=str(row.get("description", ""))))
    try:
        with warnings.catch_warnings():  # (a field that shadows a BaseModel attribute, such as "schema")
            warnings.simplefilter("ignore")
            return create_model(MODEL_NAME, **fields)
    except (TypeError, ValueError) as exc:
        raise SchemaError(str(exc)) from None


def list_field(record: type[BaseModel]) -> str:
    """The name the objects are listed under: "objects", with "_" added while the schema has a field of that name."""
    name = LIST_FIELD
    while name in record.model_fields:
        name += "_"
    return name


def _envelope(record: type[BaseModel], name: str) -> type[BaseModel]:
    """The model of a model's whole answer: at least one object under `name`."""
    return create_model(MODEL_NAME, **{name: (list[record], Field(min_length=1))})  # type: ignore[valid-type]


def from_model(text: str, record: type[BaseModel], docs: str) -> dict[str, Any]:
    """The Structured Response of an Agent without tools, from the model's answer `text`: its JSON (parsed as the
    provider's client parses it) checked as a whole, the objects it lists unwrapped (wrap); a text that is no JSON or
    fails the check gives {"content": "", "error": ...} with the parser's or pydantic's text (`docs`: the pydantic
    version its error links name)."""
    from pydantic_core import from_json

    name = list_field(record)
    try:
        payload = _envelope(record, name).model_validate(from_json(text)).model_dump()
    except ValidationError as exc:
        return {"content": "", "error": errors.pydantic_text(exc, docs)}
    except ValueError as exc:  # no JSON
        return {"content": "", "error": str(exc)}
    return wrap(payload, name)


def from_answer(text: str, record: type[BaseModel], docs: str) -> dict[str, Any]:
    """The Structured Response of an Agent with tools, from its answer `text`: the first JSON object or array in it
    (the whole text when it parses), the objects it lists under the list field, else itself, each object checked
    alone (one that fails: {"data": ..., "validation_error": ...}), then unwrapped (wrap). No JSON in the text:
    {"content": text, "error": ...}."""
    name = list_field(record)
    parsed = first_json(text)
    if parsed is None:
        return {"content": text, "error": errors.STRUCTURED_NO_JSON}
    if isinstance(parsed, dict) and isinstance(parsed.get(name), list):
        parsed = parsed[name]
    items = parsed if isinstance(parsed, list) else [parsed]
    return wrap([_checked(item, record, docs) for item in items], name)


def _checked(item: Any, record: type[BaseModel], docs: str) -> dict[str, Any]:
    try:
        return record.model_validate(item).model_dump()
    except ValidationError as exc:
        return {"data": item, "validation_error": errors.pydantic_text(exc, docs)}


def first_json(text: str) -> dict[str, Any] | list[Any] | None:
    """The text as JSON when it is an object or array, else the first object or array that starts at one of its
    "{" or "[" (and may end before the text does); None when there is none."""
    decoder = json.JSONDecoder()
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
    if isinstance(whole, dict | list):
        return whole
    for index, char in enumerate(text):
        if char not in "{[":
            continue
        try:
            value, _ = decoder.raw_decode(text, index)
        except ValueError:
            continue
        if isinstance(value, dict | list):
            return value
    return None


def wrap(payload: dict[str, Any] | list[Any], name: str = LIST_FIELD) -> dict[str, Any]:
    """The Data an answer's payload becomes: a mapping that lists its objects under `name` those objects, any other
    mapping itself; one object alone itself, else {"results": [...]}."""
    if isinstance(payload, dict):
        listed = payload.get(name)
        return wrap(listed, name) if isinstance(listed, list) else payload
    if len(payload) == 1 and isinstance(payload[0], dict):
        return dict(payload[0])
    return {"results": payload}
