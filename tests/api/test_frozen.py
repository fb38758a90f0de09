"""A frozen component (its node's `frozen` flag, set from the canvas): later runs and builds take the result its
last build left instead of building it again (lfx's Graph.build_vertex and the chat service's cache): no model
call, no transaction, `used_frozen_result` in its result; whose builds count is the profile's."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.api.test_build import ndjson
from tests.api.test_model_policy_runs import UNAVAILABLE, failure, govern
from tests.conftest import copy_of_example, create_flow, new_api_key, other_user_key

Make = Callable[..., TestClient]
MODEL = "LanguageModelComponent"


def frozen_copy(client: TestClient, headers: dict[str, str], name: str = "Frozen", *, frozen: bool = True,
                selection: bool = False) -> dict[str, Any]:
    """The caller's copy of Basic Prompting with its Language Model frozen, scripted to answer in turn;
    `selection`: the model chosen in 1.13's model field (its provider checked before the vertex builds)."""
    example = copy_of_example(client, headers, "Basic Prompting")
    data = json.loads(json.dumps(example["data"]))
    model = next(n for n in data["nodes"] if n["id"].startswith(MODEL))
    model["data"]["node"]["frozen"] = frozen
    template = model["data"]["node"]["template"]
    template["stream"]["value"] = False
    if selection:
        del template["provider"], template["model_name"]
        template["model"] = {"type": "model", "show": True, "value": [
            {"name": "gpt-4o-mini", "provider": "OpenAI", "metadata": {}}]}
    return create_flow(client, headers, {"name": name, "data": data})


def script(client: TestClient, headers: dict[str, str]) -> None:
    rules = {"rules": [{"match": {"flow": "Frozen"}, "replies": ["first answer", "second answer", "third answer"]}]}
    assert client.post("/_mock/scripts", json=rules, headers=headers).status_code in (200, 201)


def answer(client: TestClient, headers: dict[str, str], flow_id: str, text: str = "hi") -> tuple[str, bool]:
    """A direct build's reply (its Chat Output's build data) and whether the model's result was a frozen one."""
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": text}}, headers=headers)
    assert response.status_code == 200, response.text
    built = {e["data"]["build_data"]["id"]: e["data"]["build_data"] for e in ndjson(response.text)
             if e["event"] == "end_vertex"}
    model = next(v for k, v in built.items() if k.startswith(MODEL))
    output = next(v for k, v in built.items() if k.startswith("ChatOutput"))
    return output["data"]["results"]["message"]["text"], model["data"]["used_frozen_result"]


def run_text(client: TestClient, headers: dict[str, str], flow_id: str) -> str:
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi"}, headers=headers)
    assert response.status_code == 200, response.text
    text: str = response.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"]
    return text


def model_calls(client: TestClient, headers: dict[str, str]) -> int:
    return len(client.get("/_mock/llm-calls", headers=headers).json()["calls"])


def test_a_frozen_model_answers_its_first_build_again(client: TestClient, key_headers: dict[str, str]) -> None:
    script(client, key_headers)
    flow_id = frozen_copy(client, key_headers)["id"]
    assert answer(client, key_headers, flow_id) == ("first answer", False)  # nothing kept yet: built
    assert answer(client, key_headers, flow_id, "something else") == ("first answer", True)
    assert run_text(client, key_headers, flow_id) == "first answer"
    assert model_calls(client, key_headers) == 1
    # no transaction for the reused result: the model logged one, at its only build
    logged = client.get("/api/v1/monitor/transactions", params={"flow_id": flow_id},
                        headers=key_headers).json()["items"]
    assert sum(t["vertex_id"].startswith(MODEL) for t in logged) == 1
    # the run's result says so too
    response = client.post(f"/api/v1/run/{flow_id}", params={"stream": "false"}, json={"input_value": "hi"},
                           headers=key_headers)
    assert response.json()["outputs"][0]["outputs"][0]["used_frozen_result"] is False  # (the Chat Output built)


def test_unfrozen_it_builds_again_and_a_freeze_reuses_the_last_build(client: TestClient,
                                                                     key_headers: dict[str, str]) -> None:
    script(client, key_headers)
    flow = frozen_copy(client, key_headers, frozen=False)
    assert answer(client, key_headers, flow["id"]) == ("first answer", False)
    assert answer(client, key_headers, flow["id"]) == ("second answer", False)
    data = flow["data"]
    next(n for n in data["nodes"] if n["id"].startswith(MODEL))["data"]["node"]["frozen"] = True
    assert client.patch(f"/api/v1/flows/{flow['id']}", json={"data": data}, headers=key_headers).status_code == 200
    assert answer(client, key_headers, flow["id"]) == ("second answer", True)  # the build before the freeze
    assert model_calls(client, key_headers) == 2


def test_a_reset_of_the_jobs_forgets_what_frozen_vertices_reuse(client: TestClient,
                                                                key_headers: dict[str, str]) -> None:
    script(client, key_headers)
    flow_id = frozen_copy(client, key_headers)["id"]
    assert answer(client, key_headers, flow_id)[0] == "first answer"
    assert client.post("/_mock/reset", json={"parts": ["jobs"]}, headers=key_headers).status_code == 200
    assert answer(client, key_headers, flow_id) == ("second answer", False)


def test_a_provider_the_policy_leaves_out_since_is_not_reused(client: TestClient,
                                                             key_headers: dict[str, str]) -> None:
    # 1.13 checks the providers before it looks for a frozen vertex's result; a blocked model is checked as the
    # component makes its model (get_llm), which a reused result never does
    script(client, key_headers)
    flow_id = frozen_copy(client, key_headers, selection=True)["id"]
    assert run_text(client, key_headers, flow_id) == "first answer"
    govern(client, key_headers, blocked_model_keys=["openai::llm::gpt-4o-mini"])
    assert run_text(client, key_headers, flow_id) == "first answer"
    govern(client, key_headers, approved_provider_ids=["anthropic"])
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi"}, headers=key_headers)
    assert failure(response) == UNAVAILABLE


def test_each_user_reuses_only_their_own_builds_in_1_13(client: TestClient, key_headers: dict[str, str]) -> None:
    script(client, key_headers)
    mine = frozen_copy(client, key_headers)
    assert answer(client, key_headers, mine["id"])[0] == "first answer"
    bob = {"x-api-key": other_user_key(client, key_headers)}
    theirs = create_flow(client, bob, {"name": "Frozen", "data": mine["data"]})  # the same vertex ids
    assert answer(client, bob, theirs["id"]) == ("second answer", False)
    assert answer(client, bob, theirs["id"]) == ("second answer", True)
    assert answer(client, key_headers, mine["id"]) == ("first answer", True)


def test_before_1_13_a_vertex_id_reuses_anyones_last_build(make_client: Make) -> None:
    # lfx 0.3 and 0.2 key the cache by the vertex id alone: another flow, another user, with the same vertex ids
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    script(client, headers)
    first = frozen_copy(client, headers)
    assert answer(client, headers, first["id"]) == ("first answer", False)
    second = create_flow(client, headers, {"name": "Frozen too", "data": first["data"]})
    assert answer(client, headers, second["id"]) == ("first answer", True)
