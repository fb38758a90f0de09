"""Request bodies of /api/v1/run and /api/v1/run/advanced (facts 9-16), and the advanced run's answer as
Langflow's document types it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, RootModel

from mock_langflow.schemas import RequestShape


class Tweaks(RootModel[dict[str, bool | int | float | str | dict[str, Any]]]):
    """Per-component (or top-level) parameter overrides, as Langflow 1.13's Tweaks: each value a boolean, a
    number, a string or an object; a list or null is refused."""

    model_config = ConfigDict(defer_build=True)  # built with the body that holds it (schemas.RequestShape)


class LegacyTweaks(RootModel[dict[str, str | dict[str, Any]]]):
    """Tweaks as Langflow 1.8 and 1.7.1 take them: each value a string or an object."""

    model_config = ConfigDict(defer_build=True)


def tweak_map(tweaks: Tweaks | dict[str, Any] | None) -> dict[str, Any]:
    if tweaks is None:
        return {}
    return dict(tweaks.root) if isinstance(tweaks, Tweaks) else dict(tweaks)


class SimplifiedAPIRequest(RequestShape):
    input_value: str | None = None
    input_type: Literal["chat", "text", "any"] | None = "chat"
    output_type: Literal["chat", "text", "any", "debug"] | None = "chat"
    output_component: str | None = ""  # the one to answer from, when a flow has several
    tweaks: Tweaks | None = None
    session_id: str | None = None
    user_id: str | None = None  # an end-user id for tracing; it does not affect auth


class InputValueRequest(RequestShape):
    model_config = ConfigDict(extra="forbid")  # as Langflow's: a field it does not know is a 422
    components: list[str] | None = []
    input_value: str | None = None
    session: str | None = None
    type: Literal["chat", "text", "any"] | None = "any"  # which input components get the value ('any': all)
    client_request_time: int | None = None


