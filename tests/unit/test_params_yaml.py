"""A chat vertex's build `params` is PyYAML's dump of its artifacts: the mock writes the common case itself (short
words and sentences) and must agree with PyYAML on every text, the ones it hands to PyYAML included."""

from __future__ import annotations

import random
import string

import yaml

import mock_langflow.app  # noqa: F401  (the engine's modules in their import order)
from mock_langflow.streaming.events import params_text

ALPHABET = string.ascii_letters + string.digits + " .,!?'()/;-" * 3 + ":#\"[]{}&*|>%@`~\té\n"


def pyyaml(artifacts: dict[str, object]) -> str:
    shown = {key.title().replace("_", " "): value for key, value in artifacts.items() if value is not None}
    return yaml.dump([shown], default_flow_style=False, allow_unicode=True) if shown else ""


def test_params_agree_with_pyyaml_on_generated_texts() -> None:
    rnd = random.Random(20261206)
    for _ in range(5_000):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 70)))
        artifacts = {"message": text.strip() if rnd.random() < 0.3 else text, "sender": rnd.choice(["Machine", "yes"]),
                     "sender_name": rnd.choice(["AI", None, "on"]), "files": rnd.choice([[], ["a.txt"]]),
                     "type": "object"}
        assert params_text(artifacts) == pyyaml(artifacts), artifacts


def test_params_of_common_answers_are_pyyamls() -> None:
    for text in ("A short scripted answer for the benchmark.", "Hello, world!", "it's (maybe) fine; yes/no - ok?",
                 "Yes", "Null.", "", "a: b", "x " * 40, "two\nlines"):
        artifacts = {"message": text, "sender": "Machine", "sender_name": "AI", "files": [], "type": "object"}
        assert params_text(artifacts) == pyyaml(artifacts), text
