"""Scripted custom components without HTTP: the script format, how a node is named, and the templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mock_langflow.engine.components import component_names, fill_template, scripted_for, seconds
from mock_langflow.engine.graph import parse_graph
from mock_langflow.engine.scripts import ComponentScript, ScriptError, load_script_file, parse_script
from tests.conftest import load_json

CONTRACT_SCRIPT = Path(__file__).parents[2] / "fixtures" / "scripts" / "contract-1.8-components.yaml"


def nodes(flow: dict[str, Any]) -> dict[str, Any]:
    return {n.id: n for n in parse_graph(flow["data"]).nodes}


def test_the_shipped_contract_script_scripts_slow_echo_and_boom() -> None:
    script = load_script_file(CONTRACT_SCRIPT)
    assert [(c.component, c.delay_from, c.output) for c in script.components] == [
        ("SlowEcho", "delay", "slow echo: {input_value}"), ("Boom", None, None)]
    boom = script.components[1].error
    assert boom is not None and (boom.type, boom.message) == ("ValueError", "contract boom: {input_value}")
    assert script.rules == []


def test_a_custom_node_is_named_by_its_class_its_name_its_type_and_its_display_name() -> None:
    slow = nodes(load_json("flow_slow_echo.json"))["CustomComponent-sL0w1"]
    assert component_names(slow) == {"SlowEcho", "CustomComponent", "Slow Echo"}
    # an input's name="input_value" argument is not the component's name
    assert "input_value" not in component_names(slow)


def test_the_first_script_that_names_the_node_stands_in_for_it() -> None:
    graph = nodes(load_json("flow_boom.json"))
    first = ComponentScript(component="Boom", output="first")
    second = ComponentScript(component="Boom", output="second")
    assert scripted_for(graph["CustomComponent-bO0m1"], [first, second]) is first
    assert scripted_for(graph["CustomComponent-bO0m1"], [ComponentScript(component="Other", output="x")]) is None
    assert scripted_for(graph["ChatInput-aB1cD"], [first]) is None


def test_templates_fill_known_fields_and_keep_the_rest() -> None:
    known = {"input_value": "hi", "n": "3"}
    assert fill_template("echo: {input_value} x{n}", known.get) == "echo: hi x3"
    assert fill_template("{unknown} stays, {{literal}} braces", known.get) == "{unknown} stays, {literal} braces"


@pytest.mark.parametrize(("raw", "expected"), [("3", 3.0), ("0.25", 0.25), ("", 0.0), ("soon", 0.0), ("-2", 0.0),
                                               ("inf", 0.0), ("nan", 0.0)])
def test_a_delay_from_an_input_is_a_number_of_seconds_or_none(raw: str, expected: float) -> None:
    assert seconds(raw) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("components:\n  - component: X\n", "<t>, line 2: component: a component needs one of output or error"),
    ("components:\n  - component: X\n    output: a\n    error: {message: b}\n",
     "<t>, line 2: component: a component needs one of output or error"),
    ("rules: []\ncomponents:\n  - component: X\n    output: a\n  - component: Y\n    output: b\n    delay: 1\n"
     "    delay_from: n\n", "<t>, line 5: component: give either delay or delay_from, not both"),
    ("components:\n  - component: X\n    output: a\n    delay: -1\n",
     "<t>, line 2: delay: Input should be greater than or equal to 0"),
    ("components:\n  - component: X\n    reply: a\n", "<t>, line 2: reply: Extra inputs are not permitted"),
])
def test_a_bad_component_entry_says_where_and_what(text: str, message: str) -> None:
    with pytest.raises(ScriptError) as raised:
        parse_script(text, source="<t>")
    assert str(raised.value) == message
