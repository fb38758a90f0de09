"""What the live-recorded component tests (test_parser, test_type_convert) keep of a flow stored, built and run on
the mock, or on a live Langflow server (scripts/record-live records the same thing)."""

from __future__ import annotations

from typing import Any

from tests.api.test_if_else import Http, _repr
from tests.conftest import build_job_events, failure_text


def seen(client: Http, headers: dict[str, str], name: str, data: dict[str, Any], text: str, vertex: str, *,
         build: bool) -> dict[str, Any]:
    """The flow (`data`) stored as `name`, built (where `build`) and run with `text` as its input: what summary()
    keeps of it, `vertex` the component under test."""
    created = client.post("/api/v1/flows/", json={"name": name, "data": data}, headers=headers)
    assert created.status_code == 201, created.text
    flow_id = created.json()["id"]
    events = build_job_events(client, headers, flow_id, {"inputs": {"input_value": text}}) if build else None
    run = client.post(f"/api/v1/run/{flow_id}", json={"input_value": text}, headers=headers)
    answer = (200, [[o["component_id"], o["results"]["message"]["text"]]
                    for o in run.json()["outputs"][0]["outputs"]]) \
        if run.status_code == 200 else (run.status_code, failure_text(run.json()["detail"]))
    messages = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    return summary(events, answer, messages, vertex)


def summary(events: list[dict[str, Any]] | None, run: tuple[int, Any], messages: list[dict[str, Any]],
            vertex: str) -> dict[str, Any]:
    """What a user of the flow sees, ids and times left out: the build's messages and errors and the vertex's
    build (valid, outputs, logs, artifacts; a failed output's error text without its stack trace), the run's
    answer, the stored messages."""
    built: list[Any] = []
    for event in events or []:
        data = event["data"]
        if event["event"] == "end_vertex" and data["build_data"]["id"] == vertex:
            bd = data["build_data"]
            outputs = {name: ({**entry, "message": entry["message"]["errorMessage"]}
                              if isinstance(entry.get("message"), dict) and "errorMessage" in entry["message"]
                              else entry) for name, entry in bd["data"]["outputs"].items()}
            artifacts = bd["data"]["artifacts"]
            built.append({"valid": bd["valid"], "outputs": outputs, "logs": bd["data"]["logs"],
                          "artifacts": {k: {**a, "repr": _repr(a["repr"])} for k, a in (artifacts or {}).items()}})
        elif event["event"] in ("add_message", "error"):
            built.append({event["event"]: data.get("text") or data.get("error")})
    return {"build": None if events is None else built, "run": list(run),
            "messages": [[m["sender_name"], m["text"]] for m in messages]}

