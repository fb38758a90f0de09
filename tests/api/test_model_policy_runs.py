"""1.13's model-provider policy at run time: a model or Agent vertex whose provider the approved list leaves out,
or whose model a blocked key names, fails as lfx fails it (Vertex._build's arequire_model_provider_policy before
the vertex builds; get_llm as the component builds its model), on every run path; earlier releases have none."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from mock_langflow import errors
from tests.api.test_workflows import wait_status
from tests.conftest import copy_of_example, create_flow, new_api_key

Make = Callable[..., TestClient]
EMPTY = {"approved_provider_ids": [], "blocked_component_keys": [], "blocked_template_keys": [],
         "blocked_model_keys": []}
UNAVAILABLE = "The requested model provider is not available"
BLOCKED_MINI = ("The requested model is not available: 'gpt-4o-mini' (openai) is blocked by the current model "
                "provider policy. Ask an administrator to enable it.")


def govern(client: TestClient, headers: dict[str, str], **lists: list[str]) -> None:
    """The policy bundle's next revision with these lists (the others empty)."""
    revision = client.get("/api/v1/policy-bundle", headers=headers).json()["revision"]
    written = client.put("/api/v1/policy-bundle", json={"expected_revision": revision, **EMPTY, **lists},
                         headers=headers)
    assert written.status_code == 200, written.text


def run(client: TestClient, headers: dict[str, str], flow_id: str, **params: str) -> Any:
    return client.post(f"/api/v1/run/{flow_id}", params=params, json={"input_value": "hi"}, headers=headers)


GRAPH_FAILED = "Error running graph: "  # how the graph behind /run wraps what a vertex raised


def failure(answer: Any) -> str:
    """A /run's 500 detail: the failing component's text, which the graph's wrapper leads."""
    assert answer.status_code == 500, answer.text
    text: str = json.loads(answer.json()["detail"])["message"]
    assert text.startswith(GRAPH_FAILED), text
    return text[len(GRAPH_FAILED):]


def stored(client: TestClient, headers: dict[str, str], flow_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id},
                                             headers=headers).json()
    return found


def with_node(flow: dict[str, Any], prefix: str, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """The flow's graph with the node whose id starts with `prefix` changed (its `data`)."""
    data = json.loads(json.dumps(flow["data"]))
    change(next(n for n in data["nodes"] if n["id"].startswith(prefix))["data"])
    return {"name": f"{flow['name']} changed", "data": data}


def test_a_blocked_model_fails_the_language_model_as_it_builds(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    flow_id = copy_of_example(client, key_headers, "Basic Prompting")["id"]
    govern(client, key_headers, blocked_model_keys=["gpt-4o"])  # an exact name: gpt-4o-mini still runs
    assert run(client, key_headers, flow_id).status_code == 200
    govern(client, key_headers, blocked_model_keys=["gpt-4o-mini"])
    before = len(stored(client, key_headers, flow_id))
    assert failure(run(client, key_headers, flow_id)) == f"Error building Component Language Model: \n\n{BLOCKED_MINI}"
    # the component raised it: its error message names the reason code, as lfx's ErrorMessage shows a coded error
    user, error = stored(client, key_headers, flow_id)[before:]
    assert (user["text"], error["sender"], error["category"], error["text"]) == (
        "hi", "Language Model", "error", f"{BLOCKED_MINI}\n")
    [group] = [block for block in error["content_blocks"] if block.get("title") == "Error"]
    reason = group["contents"][0]["reason"]
    assert reason == f"**{BLOCKED_MINI}**\n - **Code: policy_blocked**\n"
    streamed = run(client, key_headers, flow_id, stream="true")
    assert streamed.status_code == 200
    detail = {"message": f"{GRAPH_FAILED}Error building Component Language Model: \n\n{BLOCKED_MINI}",
              "traceback": None, "description": None, "code": None, "suggestion": None}
    assert streamed.text.rstrip().endswith(json.dumps({"event": "error", "data": {
        "error": "500: " + json.dumps(detail, separators=(",", ":"))}}))
    # a typed or provider-qualified key (the provider named by its name too) blocks it as well
    for key in ("openai::llm::gpt-4o-mini", "OpenAI::gpt-4o-mini"):
        govern(client, key_headers, blocked_model_keys=[key])
        assert BLOCKED_MINI in failure(run(client, key_headers, flow_id)), key
    govern(client, key_headers, blocked_model_keys=["openai::embeddings::gpt-4o-mini"])
    assert run(client, key_headers, flow_id).status_code == 200


def test_a_provider_left_out_fails_the_agent_before_it_builds(client: TestClient,
                                                              key_headers: dict[str, str]) -> None:
    flow_id = copy_of_example(client, key_headers, "Simple Agent")["id"]
    govern(client, key_headers, approved_provider_ids=["anthropic"])
    # checked before the vertex builds: the text alone, and no error message of the Agent's
    assert failure(run(client, key_headers, flow_id)) == UNAVAILABLE
    assert [m["sender"] for m in stored(client, key_headers, flow_id)] == ["User"]
    govern(client, key_headers, approved_provider_ids=["openai", "anthropic"])
    assert run(client, key_headers, flow_id).status_code == 200
    # the Agent's legacy model (agent_llm with model_name) is checked as its get_llm gets it
    govern(client, key_headers, blocked_model_keys=["gpt-4o-mini"])
    assert failure(run(client, key_headers, flow_id)) == f"Error building Component Agent: \n\n{BLOCKED_MINI}"


def test_a_model_selection_names_the_provider_checked(client: TestClient, key_headers: dict[str, str]) -> None:
    """1.13's model field: its first choice's provider before the vertex builds, its model as it builds."""
    example = copy_of_example(client, key_headers, "Basic Prompting")

    def select(data: dict[str, Any]) -> None:
        template = data["node"]["template"]
        del template["provider"], template["model_name"]
        template["model"] = {"type": "model", "show": True, "value": [
            {"name": "claude-sonnet-4-5", "provider": "Anthropic", "metadata": {}}]}

    flow_id = create_flow(client, key_headers, with_node(example, "LanguageModelComponent", select))["id"]
    govern(client, key_headers, approved_provider_ids=["openai"])
    assert failure(run(client, key_headers, flow_id)) == UNAVAILABLE
    govern(client, key_headers, blocked_model_keys=["anthropic::claude-sonnet-4-5"])
    assert failure(run(client, key_headers, flow_id)) == (
        "Error building Component Language Model: \n\nThe requested model is not available: 'claude-sonnet-4-5' "
        "(anthropic) is blocked by the current model provider policy. Ask an administrator to enable it.")


def test_a_standalone_model_component_is_checked_before_it_builds(client: TestClient,
                                                                  key_headers: dict[str, str]) -> None:
    example = copy_of_example(client, key_headers, "Basic Prompting")

    def standalone(data: dict[str, Any]) -> None:
        data["type"], data["node"]["display_name"] = "OpenAIModel", "OpenAI"
        data["node"]["template"]["model_name"]["value"] = "gpt-4o-mini"  # (the standalone component's field)

    flow_id = create_flow(client, key_headers, with_node(example, "LanguageModelComponent", standalone))["id"]
    govern(client, key_headers, blocked_model_keys=["openai::llm::gpt-4o-mini"])
    assert failure(run(client, key_headers, flow_id)) == BLOCKED_MINI
    assert [m["sender"] for m in stored(client, key_headers, flow_id)] == ["User"]  # no error message


def test_a_build_fails_the_vertex_and_a_v2_run_reports_it(client: TestClient, key_headers: dict[str, str]) -> None:
    flow_id = copy_of_example(client, key_headers, "Simple Agent")["id"]
    govern(client, key_headers, approved_provider_ids=["groq"])
    built = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                        json={"inputs": {"input_value": "hi"}}, headers=key_headers)
    assert built.status_code == 200
    events = [json.loads(line) for line in built.text.split("\n\n") if line.strip()]
    failed = next(e["data"]["build_data"] for e in events
                  if e["event"] == "end_vertex" and not e["data"]["build_data"]["valid"])
    assert (failed["id"], failed["params"]) == ("Agent-tGjX5", UNAVAILABLE)
    assert failed["data"]["outputs"]["response"]["message"]["stackTrace"].endswith(
        f"\n{errors.MODEL_POLICY_ERROR}: {UNAVAILABLE}\n")
    assert events[-1]["event"] == "end"
    v2 = client.post("/api/v2/workflows", json={"flow_id": flow_id, "input_value": "hi", "mode": "sync"},
                     headers=key_headers)
    assert (v2.status_code, v2.json()["status"], v2.json()["outputs"]) == (200, "failed", {})
    assert v2.json()["errors"][0]["error"] == f"Error running graph: {UNAVAILABLE}"
    # a background job refused there sends no `error` event, and 1.13's runner fails a job only on one
    job = client.post("/api/v2/workflows", json={"flow_id": flow_id, "input_value": "hi", "mode": "background"},
                      headers=key_headers).json()["job_id"]
    assert wait_status(client, key_headers, job, {"completed", "failed"})["status"] == "completed"
    text = client.get(f"/api/v2/workflows/{job}/events", headers=key_headers).text
    sent = [json.loads(line.removeprefix("data: "))["event"] for line in text.splitlines() if line.startswith("data: ")]
    assert "error" not in sent and sent[-1] == "end", sent


def test_a_kept_policy_binds_after_a_restart_but_not_earlier_releases(make_client: Make, tmp_path: Path) -> None:
    data_dir = tmp_path / "kept"
    first = make_client(ephemeral=False, data_dir=data_dir)
    headers = {"x-api-key": new_api_key(first)}
    flow_id = copy_of_example(first, headers, "Basic Prompting")["id"]
    govern(first, headers, approved_provider_ids=["anthropic"])
    first.__exit__(None, None, None)
    again = make_client(ephemeral=False, data_dir=data_dir)
    assert failure(run(again, headers, flow_id)) == UNAVAILABLE  # its model selection's provider, before it builds
    again.__exit__(None, None, None)
    older = make_client(ephemeral=False, data_dir=data_dir, langflow_version="1.8.4")
    assert run(older, headers, flow_id).status_code == 200


def test_a_triggers_run_meets_both_policies(client: TestClient,
                                                                       key_headers: dict[str, str]) -> None:
    """A trigger's run is a background job the dispatcher starts: a blocked component fails the job as its graph is
    made (the build's 500), a blocked model as the Agent builds (its error message fails the job: the event is failed
    "job_failed"); a provider left out fails the vertex before it builds, and the job completes."""
    from tests.api.test_triggers import URL, make_trigger, settle

    flow_id = copy_of_example(client, key_headers, "Simple Agent")["id"]
    trigger = make_trigger(client, key_headers, flow_id, state="active")

    fires: list[str] = []

    def fire() -> tuple[tuple[str, str | None], str]:
        """The event's state and error, and what polling its job answers."""
        fired = client.post(f"{URL}/{trigger['id']}/test", json={}, headers=key_headers)
        assert fired.status_code == 202
        fires.append(fired.json()["id"])
        rows = settle(client, key_headers, trigger["id"], count=len(fires))
        event = next(row for row in rows if row["id"] == fires[-1])
        job = client.get("/api/v2/workflows", params={"job_id": event["job_id"]}, headers=key_headers)
        return (event["state"], event["error"]), job.text

    govern(client, key_headers, blocked_component_keys=["Agent"])
    event, job = fire()
    assert event == ("failed", "job_failed")
    assert json.loads(job)["detail"]["code"] == "JOB_FAILED"
    assert json.loads(job)["detail"]["error_detail"]["text"] == (
        "Flow build blocked: catalog policy blocks components: Agent\n")
    govern(client, key_headers, blocked_model_keys=["gpt-4o-mini"])
    event, job = fire()  # the Agent raised it: its error message fails the job
    assert event == ("failed", "job_failed")
    assert json.loads(job)["detail"]["error_detail"]["text"] == f"{BLOCKED_MINI}\n"
    govern(client, key_headers, approved_provider_ids=["groq"])
    event, job = fire()  # refused before the Agent built: no error message, the job completes
    assert event == ("completed", None)
    replayed = client.get(f"/api/v2/workflows/{json.loads(job)['job_id']}/events", headers=key_headers).text
    assert f'"params": "{UNAVAILABLE}"' in replayed
    govern(client, key_headers)
    assert fire()[0] == ("completed", None)


def test_an_a2a_task_fails_under_either_policy(make_client: Make) -> None:
    """An A2A agent's run meets the catalog policy (the graph is refused) and the model policy (its model's vertex
    fails): either way a failed task that keeps the error to itself."""
    from tests.api.test_a2a import message, rpc

    on = make_client(a2a_enabled=True)
    headers = {"x-api-key": new_api_key(on)}
    example = copy_of_example(on, headers, "Simple Agent")
    flow_id = create_flow(on, headers, {"name": "Agent", "data": example["data"], "flow_type": "agent",
                                        "a2a_enabled": True})["id"]

    def task_state() -> tuple[str, list[Any]]:
        status = rpc(on, flow_id, "message/send", message("go"), **headers).json()["result"]["status"]
        return status["state"], status["message"]["parts"] if "message" in status else []

    failed = ("failed", [{"kind": "text", "text": "Flow execution failed"}])
    govern(on, headers, blocked_component_keys=["Agent"])
    assert task_state() == failed
    govern(on, headers, blocked_model_keys=["gpt-4o-mini"])
    assert task_state() == failed
    govern(on, headers)
    assert task_state()[0] == "completed"


def test_a_provider_policy_kept_without_a_bundle_binds_runs(make_client: Make, tmp_path: Path) -> None:
    """A data dir an earlier mock kept with 1.13's provider policy and no bundle tables: a run meets that policy
    (its bundle is made from it, as Langflow's migration makes it)."""
    data_dir = tmp_path / "older"
    first = make_client(ephemeral=False, data_dir=data_dir)
    headers = {"x-api-key": new_api_key(first)}
    flow_id = copy_of_example(first, headers, "Basic Prompting")["id"]
    first.put("/api/v1/model-provider-policy", json={"approved_provider_ids": ["groq"]}, headers=headers)
    first.__exit__(None, None, None)
    with closing(sqlite3.connect(data_dir / "mock-langflow.db")) as db, db:
        db.execute("DROP TABLE policy_bundle_revision")
        db.execute("DROP TABLE policy_bundle_active")
    again = make_client(ephemeral=False, data_dir=data_dir)
    assert failure(run(again, headers, flow_id)) == UNAVAILABLE
    assert again.get("/api/v1/policy-bundle", headers=headers).json()["approved_provider_ids"] == ["groq"]


def test_a_standalone_model_is_checked_by_every_model_its_settings_name(client: TestClient,
                                                                        key_headers: dict[str, str]) -> None:
    # lfx reads the models a standalone component would send before it builds: its visible model field, then the
    # models its model_kwargs (or their extra_body, or a list of key/value pairs) name over it
    example = copy_of_example(client, key_headers, "Basic Prompting")
    govern(client, key_headers, blocked_model_keys=["openai::llm::gpt-4o-mini"])
    for kwargs in ({"extra_body": {"model": "gpt-4o-mini"}}, [{"key": "model", "value": "gpt-4o-mini"}],
                   {"model_name": "gpt-4o"}):
        def standalone(data: dict[str, Any], kwargs: Any = kwargs) -> None:
            data["type"], data["node"]["display_name"] = "OpenAIModel", "OpenAI"
            data["node"]["template"]["model_name"]["value"] = "gpt-4o"
            data["node"]["template"]["model_kwargs"] = {"type": "dict", "value": kwargs, "show": True}

        flow_id = create_flow(client, key_headers, with_node(example, "LanguageModelComponent", standalone))["id"]
        answer = run(client, key_headers, flow_id)
        if kwargs == {"model_name": "gpt-4o"}:  # the same model as the field's: allowed
            assert answer.status_code == 200, answer.text
        else:
            assert failure(answer) == BLOCKED_MINI


def test_every_policy_write_binds_the_next_run_and_a_reset_frees_it(client: TestClient,
                                                                    key_headers: dict[str, str]) -> None:
    # a write, a rollback, a catalog-policy write and a reset each change what the very next run is checked by
    flow_id = copy_of_example(client, key_headers, "Simple Agent")["id"]
    assert run(client, key_headers, flow_id).status_code == 200
    govern(client, key_headers, approved_provider_ids=["anthropic"])
    assert failure(run(client, key_headers, flow_id)) == UNAVAILABLE
    revision = client.get("/api/v1/policy-bundle", headers=key_headers).json()["revision"]
    rolled = client.post(f"/api/v1/policy-bundle/rollback/{revision - 1}", json={"expected_revision": revision},
                         headers=key_headers)
    assert rolled.status_code == 200, rolled.text
    assert run(client, key_headers, flow_id).status_code == 200
    blocked = client.put("/api/v1/catalog-policy/components", json={"blocked": ["Agent"]}, headers=key_headers)
    assert blocked.status_code == 200, blocked.text
    assert run(client, key_headers, flow_id).status_code != 200
    govern(client, key_headers, approved_provider_ids=["anthropic"])
    assert client.post("/_mock/reset", json={"parts": ["variables"]}, headers=key_headers).status_code == 200
    assert run(client, key_headers, flow_id).status_code == 200
