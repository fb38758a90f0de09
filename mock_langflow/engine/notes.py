"""The texts GET /api/v1/flows/{flow_id}/note_translations (1.13) answers for a flow's note nodes.

Langflow's starter templates give each of their notes an `i18n_key` (`template_notes.<template>.<hash>`, the
hash being the first 8 hex digits of the SHA-256 of the note's English text), and the route answers, for each
top-level note whose key its locale files know, that key's text in the caller's locale (English where a
locale has none). The mock ships no locale files, only the keys Langflow's 1.13 templates carry
(data/template_note_keys.json): a note with one of them whose text is still the text its key was made from
is answered with that text, which is what Langflow's English file holds for the key. A note edited since (its
text no longer hashes to its key) is left out, as are notes with any other key: Langflow would answer the
template's original text, which the mock does not have (README, "Deliberate differences").
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def template_note_keys() -> frozenset[str]:
    text = resources.files("mock_langflow.data").joinpath("template_note_keys.json").read_text("utf-8")
    return frozenset(json.loads(text))


def note_texts(data: Any) -> dict[str, str]:
    """Node id -> text, for the top-level note nodes of a flow's graph `data` that answer (module docstring)."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    answer: dict[str, str] = {}
    for node in nodes if isinstance(nodes, list) else []:
        if not isinstance(node, dict) or node.get("type") != "noteNode" or not isinstance(node.get("id"), str):
            continue
        inner = node.get("data")
        info = inner.get("node") if isinstance(inner, dict) else None
        key = info.get("i18n_key") if isinstance(info, dict) else None
        text = info.get("description") if isinstance(info, dict) else None
        if (isinstance(key, str) and isinstance(text, str) and text and key in template_note_keys()
                and key.rsplit(".", 1)[-1] == hashlib.sha256(text.encode()).hexdigest()[:8]):
            answer[node["id"]] = text
    return answer
