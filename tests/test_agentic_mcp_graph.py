"""The agentic MCP server's graph tools (discovery, components, connections, specs, layout): what they answer and
the flows they write, against what Langflow 1.13's own tools (lfx 1.13.0) answered and wrote on the same calls
(tests/data/agentic_mcp/lfx_graph_tools.json, recorded from graph_steps.json). The tools run through a test
context whose client is the app's TestClient; the MCP transport is tested in test_agentic_mcp.py."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_langflow.agentic_mcp import flow_builder, registry, spec, tools_graph
from mock_langflow.agentic_mcp.context import ToolContext, ToolError
from tests.conftest import new_api_key

DATA = Path(__file__).parent / "data" / "agentic_mcp"
STEPS = json.loads((DATA / "graph_steps.json").read_text(encoding="utf-8"))
RECORDED = json.loads((DATA / "lfx_graph_tools.json").read_text(encoding="utf-8"))
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
FULL_SNAPSHOTS = {"flow_after_connects", "spec_flow_updated"}  # the rest were recorded with field values only


class FakeClient:
    """The loopback client's API (paths under /api/v1, lfx's error texts) over a TestClient."""

    def __init__(self, http: TestClient, headers: dict[str, str]) -> None:
        self.http, self.headers, self.calls = http, headers, []

    async def _call(self, method: str, path: str, json_data: Any = None, params: Any = None) -> Any:
        self.calls.append((method, path, json_data))
        response = self.http.request(method, f"/api/v1{path}", json=json_data, params=params, headers=self.headers)
        if response.is_error:
            raise ToolError(f"{method} {path} failed ({response.status_code})")
        return response.json() if response.content else None

    async def get(self, path: str, params: Any = None) -> Any:
        return await self._call("GET", path, params=params)

    async def post(self, path: str, json_data: Any = None) -> Any:
        return await self._call("POST", path, json_data)

    async def patch(self, path: str, json_data: Any = None) -> Any:
        return await self._call("PATCH", path, json_data)

    async def delete(self, path: str) -> Any:
        return await self._call("DELETE", path)

    async def stream_post(self, path: str, json_data: Any = None) -> AsyncIterator[dict[str, Any]]:
        with self.http.stream("POST", f"/api/v1{path}", json=json_data, headers=self.headers) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if line := line.strip().removeprefix("data:").strip():
                    yield json.loads(line)

    async def post_event(self, flow_id: str, event_type: str, summary: str = "") -> None:
        try:
            await self.post(f"/flows/{flow_id}/events", {"type": event_type, "summary": summary})
        except ToolError:
            pass


def context_over(http: TestClient, headers: dict[str, str]) -> ToolContext:
    """The server's ToolContext, its client the TestClient above, its ids the app's."""
    return ToolContext(FakeClient(http, headers), ids=http.app.state.mock.ids)  # type: ignore[arg-type]


@pytest.fixture
def ctx(client: TestClient) -> ToolContext:
    return context_over(client, {"x-api-key": new_api_key(client)})


def call(ctx: ToolContext, tool: str, **arguments: Any) -> Any:
    return asyncio.run(_tool(tool)(ctx, **arguments))


def _tool(name: str) -> Any:
    return tools_graph.TOOLS.get(name) or tools_graph.other_tool(name)


def refused(ctx: ToolContext, tool: str, **arguments: Any) -> str:
    with pytest.raises(ToolError) as caught:
        call(ctx, tool, **arguments)
    return str(caught.value)


def stored(ctx: ToolContext, flow_id: str) -> dict[str, Any]:
    return ctx.client.http.get(f"/api/v1/flows/{flow_id}", headers=ctx.client.headers).json()


def field_values(data: dict[str, Any]) -> dict[str, Any]:
    """A flow's data with each template field reduced to its value (and load_from_db), as the recording keeps."""
    data = copy.deepcopy(data)
    for node in data.get("nodes", []):
        template = node.get("data", {}).get("node", {}).get("template")
        for name, field in (template or {}).items():
            if isinstance(field, dict):
                template[name] = {"value": field.get("value"),
                                  **({"load_from_db": field["load_from_db"]} if "load_from_db" in field else {})}
    return data


def run_steps(ctx: ToolContext) -> dict[str, Any]:
    """graph_steps.json through our tools, answers kept as the recorder kept lfx's."""
    out: dict[str, Any] = {}
    saved: dict[str, Any] = {}

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if value == "$SPEC":
            return STEPS["spec"]
        if isinstance(value, str) and value.startswith("$"):
            name, key = value[1:].split(".")
            return saved[name][key]
        return value

    for step in STEPS["steps"]:
        label = step["label"]
        if step.get("snapshot"):
            flow = stored(ctx, saved["flow" if step["snapshot"] is True else step["snapshot"]]["id"])
            data = flow["data"] if label in FULL_SNAPSHOTS else field_values(flow["data"])
            out[label] = {"name": flow["name"], "description": flow["description"], "data": data}
        elif step.get("describe_every_type"):
            out[label] = {name: call(ctx, "describe_component_type", component_type=name)
                          for name in sorted(asyncio.run(ctx.registry()))}
        elif step.get("flow_names"):
            listed = ctx.client.http.get("/api/v1/flows/", params={"get_all": True, "header_flows": True},
                                         headers=ctx.client.headers).json()
            out[label] = sorted(flow["name"] for flow in listed)
        else:
            try:
                out[label] = {"result": call(ctx, step["tool"], **resolve(step["args"]))}
            except ToolError as exc:
                out[label] = {"error": str(exc)}
                continue
            if label == "export":
                out[label]["result"]["data"] = field_values(out[label]["result"]["data"])
            saved[step.get("save", "")] = out[label]["result"]
    return out


def normalized(value: Any, types_: list[str]) -> str:
    """The JSON text of an answer (keys in their order: an MCP client reads the text), ids made by either side
    written alike: `<Type>-#` for a node id, <uuid> for a flow's."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    text = UUID.sub("<uuid>", text)
    pattern = "|".join(re.escape(name) for name in sorted(types_, key=len, reverse=True))
    return re.sub(rf"({pattern})-[A-Za-z0-9]{{5}}(?![A-Za-z0-9])", r"\1-#", text)


def without_graph(answer: Any) -> Any:
    """An answer without get_flow_info's ASCII `graph` (drawn by the flow tools' half, grandalf's layout)."""
    if isinstance(answer, dict) and isinstance(answer.get("result"), dict):
        return {**answer, "result": {k: v for k, v in answer["result"].items() if k != "graph"}}
    return answer


# --- the recorded calls, answer by answer ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    from mock_langflow import Settings, create_app

    with TestClient(create_app(Settings(ephemeral=True, random_seed=7))) as http:
        return run_steps(context_over(http, {"x-api-key": new_api_key(http)}))


@pytest.mark.parametrize("label", list(RECORDED))
def test_each_call_answers_and_writes_what_lfx_does(ours: dict[str, Any], label: str) -> None:
    types_ = list(RECORDED["describe_all"])
    assert normalized(without_graph(ours[label]), types_) == normalized(without_graph(RECORDED[label]), types_)


# --- behaviour a caller notices --------------------------------------------------------------------------------


def test_node_ids_are_the_type_and_five_letters_and_repeat_with_the_seed(make_client: Any) -> None:
    made = []
    for _ in range(2):
        http = make_client(random_seed=11)
        context = context_over(http, {"x-api-key": new_api_key(http)})
        flow_id = call(context, "create_flow", name="Seeded")["id"]
        made.append(call(context, "add_component", flow_id=flow_id, component_type="ChatInput")["id"])
    assert re.fullmatch(r"ChatInput-[A-Za-z0-9]{5}", made[0])
    assert made[0] == made[1]


def test_an_edge_is_written_as_the_flow_editor_reads_it(ctx: ToolContext) -> None:
    flow_id = call(ctx, "create_flow", name="Edges")["id"]
    chat_in = call(ctx, "add_component", flow_id=flow_id, component_type="ChatInput")["id"]
    model = call(ctx, "add_component", flow_id=flow_id, component_type="OpenAIModel")["id"]
    call(ctx, "connect_components", flow_id=flow_id, source_id=chat_in, source_output="message", target_id=model,
         target_input="input_value")
    (edge,) = stored(ctx, flow_id)["data"]["edges"]
    source = f"{{œdataTypeœ:œChatInputœ,œidœ:œ{chat_in}œ,œnameœ:œmessageœ,œoutput_typesœ:[œMessageœ]}}"
    target = f"{{œfieldNameœ:œinput_valueœ,œidœ:œ{model}œ,œinputTypesœ:[œMessageœ],œtypeœ:œstrœ}}"
    assert (edge["sourceHandle"], edge["targetHandle"]) == (source, target)
    assert edge["id"] == f"reactflow__edge-{chat_in}{source}-{model}{target}"
    assert edge["data"]["targetHandle"] == {"fieldName": "input_value", "id": model, "inputTypes": ["Message"],
                                            "type": "str"}


def test_every_change_is_patched_back_and_announced(ctx: ToolContext) -> None:
    flow_id = call(ctx, "create_flow", name="Events")["id"]
    ctx.client.calls.clear()
    call(ctx, "add_component", flow_id=flow_id, component_type="ChatInput")
    methods = [(method, path) for method, path, _ in ctx.client.calls]
    assert methods == [("GET", f"/flows/{flow_id}"), ("GET", "/all"), ("PATCH", f"/flows/{flow_id}"),
                       ("POST", f"/flows/{flow_id}/events")]
    assert list(ctx.client.calls[2][2]) == ["data"]
    assert ctx.client.calls[3][2] == {"type": "component_added", "summary": "Added ChatInput"}


def test_a_refused_value_changes_nothing(ctx: ToolContext) -> None:
    flow_id = call(ctx, "create_flow", name="Atomic")["id"]
    model = call(ctx, "add_component", flow_id=flow_id, component_type="LanguageModelComponent")["id"]
    before = stored(ctx, flow_id)["data"]
    message = refused(ctx, "configure_component", flow_id=flow_id, component_id=model,
                      params={"system_message": "kept?", "temperature": 5})
    assert message == "Invalid value for parameter 'temperature': 5. Expected a value in 0.0..1.0"
    assert stored(ctx, flow_id)["data"] == before


def test_values_are_coerced_to_their_field_type() -> None:
    assert [flow_builder.coerce(v, "str") for v in (True, 3, 0.5, "x", None)] == ["true", "3", "0.5", "x", None]
    assert [flow_builder.coerce(v, "int") for v in (True, 2.0, 2.5, "7", "x")] == [1, 2, 2.5, 7, "x"]
    assert [flow_builder.coerce(v, "float") for v in (False, 2, "0.5", "x")] == [0.0, 2.0, 0.5, "x"]
    assert [flow_builder.coerce(v, "bool") for v in ("Yes", "off", 0, "maybe")] == [True, False, False, "maybe"]
    assert flow_builder.coerce([1], "str") == [1] and flow_builder.coerce(1, "slider") == 1


def test_a_model_field_takes_its_spec_as_text() -> None:
    flow = flow_builder.empty_flow()
    entry = {"template": {"model": {"type": "model", "value": []}}}
    node = flow_builder.add_component(flow, "M", {"M": entry}, lambda: "abcde")["id"]
    flow_builder.configure(flow, node, {"model": '[{"provider": "OpenAI", "name": "gpt-4o"}]'})
    assert flow["data"]["nodes"][0]["data"]["node"]["template"]["model"]["value"] == [
        {"provider": "OpenAI", "name": "gpt-4o"}]
    flow_builder.configure(flow, node, {"model": "provider: Anthropic\nname: claude"})
    assert flow["data"]["nodes"][0]["data"]["node"]["template"]["model"]["value"] == [
        {"provider": "Anthropic", "name": "claude"}]


def test_a_loop_output_is_an_input_and_a_tab_follows_the_wired_output() -> None:
    converter = {"outputs": [{"name": "message_output", "types": ["Message"]},
                             {"name": "data_output", "types": ["JSON"]}],
                 "template": {"input_data": {"type": "other", "input_types": ["Message", "JSON"]},
                              "output_type": {"type": "tab", "options": ["Message", "JSON"], "value": "Message"}}}
    loop = {"outputs": [{"name": "item", "types": ["JSON"], "allows_loop": True, "loop_types": ["Message"]},
                        {"name": "done", "types": ["Table"]}], "template": {}}
    known = {"TypeConverter": converter, "Loop": loop}
    flow = flow_builder.empty_flow()
    conv = flow_builder.add_component(flow, "TypeConverter", known, lambda: "aaaaa")["id"]
    looping = flow_builder.add_component(flow, "Loop", known, lambda: "bbbbb")["id"]
    edge = flow_builder.connect(flow, conv, "data_output", looping, "item")
    assert edge["data"]["targetHandle"] == {"dataType": "Loop", "id": looping, "name": "item",
                                            "output_types": ["JSON", "Message"]}
    node = flow["data"]["nodes"][0]["data"]
    assert node["selected_output"] == "data_output" and node["node"]["template"]["output_type"]["value"] == "JSON"
    described = registry.describe(registry_with_categories(known), "Loop")
    assert described["inputs"][-1]["type"] == "loop" and described["outputs"][0]["allows_loop"] is True


def registry_with_categories(known: dict[str, dict]) -> dict[str, dict]:
    return {name: {**entry, "category": "test"} for name, entry in known.items()}


def test_layout_puts_each_node_one_column_after_its_inputs() -> None:
    flow = {"data": {"nodes": [{"id": n, "data": {"id": n}} for n in "abcd"],
                     "edges": [{"source": "a", "target": "b"}, {"source": "a", "target": "c"},
                               {"source": "b", "target": "c"}]}}
    flow_builder.layout(flow)
    assert [node["position"] for node in flow["data"]["nodes"]] == [
        {"x": 0, "y": -175.0}, {"x": 480, "y": 0.0}, {"x": 960, "y": 0.0}, {"x": 0, "y": 175.0}]


def test_a_spec_reads_blocks_scalars_and_round_trips(ctx: ToolContext) -> None:
    parsed = spec.parse(STEPS["spec"])
    assert parsed["config"]["B"] == {"system_message": "Be brief.\nVery brief.", "temperature": 0.2,
                                     "model_name": "gpt-4o"}
    assert [spec.scalar(t) for t in ("TRUE", "none", "3", "1e3", "x")] == [True, None, 3, 1000.0, "x"]
    created = call(ctx, "create_flow_from_spec", spec=STEPS["spec"], validate=False)
    exported = call(ctx, "export_flow", flow_id=created["id"])
    ids = {real: name for name, real in created["node_id_map"].items()}
    again = spec.summary(exported)
    for real, name in ids.items():
        again = again.replace(real, name)
    assert again == ("name: Spec Flow\n\ncomponents:\n  A: ChatInput\n  B: LanguageModelComponent\n  C: ChatOutput"
                     "\n\nconnections:\n  A.message -> B.input_value\n  B.text_output -> C.input_value")
    model = flow_builder.component_info(exported, created["node_id_map"]["B"])["params"]
    assert (model["system_message"], model["temperature"], model["model_name"]) == (
        "Be brief.\nVery brief.", 0.2, "gpt-4o")


def test_a_flow_built_from_a_spec_runs_and_answers_from_the_script(ctx: ToolContext) -> None:
    # the recorded spec overrides the model name without selecting a model, which 1.13's build refuses: this one
    # selects it by a name the model catalog knows
    spec = STEPS["spec"].replace("  B.model_name: gpt-4o\n", "  B.model: gpt-4o\n")
    assert spec != STEPS["spec"]
    created = call(ctx, "create_flow_from_spec", spec=spec)
    assert created["node_count"] == 3 and created["edge_count"] == 2
    response = ctx.client.http.post(f"/api/v1/run/{created['id']}", headers=ctx.client.headers,
                                    json={"input_value": "hello", "input_type": "chat", "output_type": "chat"})
    assert response.status_code == 200, response.text
    message = response.json()["outputs"][0]["outputs"][0]["results"]["message"]
    assert message["text"] == "Hello! This is mock-langflow's scripted model. How can I help?"


def test_a_spec_that_fails_leaves_no_flow_behind(ctx: ToolContext) -> None:
    before = len(ctx.client.http.get("/api/v1/flows/", headers=ctx.client.headers).json())
    message = refused(ctx, "create_flow_from_spec", spec="nodes:\n  A: Webhook\n  B: TextOutput\n"
                                                        "edges:\n  A.output_data -> B.input_value\n")
    assert message.startswith("Type mismatch: output 'output_data' on 'Webhook-")
    assert len(ctx.client.http.get("/api/v1/flows/", headers=ctx.client.headers).json()) == before


def test_a_credential_is_never_shown(ctx: ToolContext) -> None:
    flow_id = call(ctx, "create_flow", name="Secret")["id"]
    model = call(ctx, "add_component", flow_id=flow_id, component_type="OpenAIModel")["id"]
    call(ctx, "configure_component", flow_id=flow_id, component_id=model, params={"api_key": "sk-live"})
    exported = call(ctx, "export_flow", flow_id=flow_id)
    assert "sk-live" not in json.dumps(exported)
    assert call(ctx, "get_component_info", flow_id=flow_id, component_id=model)["params"]["api_key"] == (
        "***REDACTED***")
    assert "default" not in next(f for f in registry.describe(asyncio.run(ctx.registry()), "OpenAIModel")["fields"]
                                 if f["name"] == "api_key")
    template = stored(ctx, flow_id)["data"]["nodes"][0]["data"]["node"]["template"]["api_key"]
    assert (template["value"], template["load_from_db"]) == ("sk-live", False)


def test_every_tool_of_this_half_is_listed() -> None:
    assert sorted(tools_graph.TOOLS) == sorted([
        "add_component", "remove_component", "configure_component", "list_components", "get_component_info",
        "search_component_types", "describe_component_type", "components", "connect_components",
        "disconnect_components", "create_flow_from_spec", "update_flow_from_spec", "export_flow",
        "freeze_component", "unfreeze_component", "layout_flow"])


def test_the_toolset_output_asks_the_server_for_tool_mode_and_a_failed_refresh_only_warns(
        ctx: ToolContext, monkeypatch: pytest.MonkeyPatch) -> None:
    known = dict(asyncio.run(ctx.registry()))
    known["Tooly"] = {"display_name": "Tooly", "category": "test", "outputs": [{"name": "out", "types": ["Message"]}],
                      "template": {"code": {"type": "code", "value": "class Tooly: ..."},
                                   "query": {"type": "str", "tool_mode": True, "value": ""},
                                   "mode": {"type": "str", "real_time_refresh": True, "value": "a"}}}
    ctx._registry = known
    posted: list[dict[str, Any]] = []

    async def post(path: str, json_data: Any = None) -> Any:
        if path != "/custom_component/update":
            return await FakeClient._call(ctx.client, "POST", path, json_data)
        posted.append(json_data)
        if json_data["field"] != "tool_mode":
            raise ToolError("POST /custom_component/update failed (400)")
        rebuilt = copy.deepcopy(known["Tooly"])
        rebuilt["template"]["tools_metadata"] = {"type": "table", "value": []}
        return {**rebuilt, "tool_mode": True}

    monkeypatch.setattr(ctx.client, "post", post)
    flow_id = call(ctx, "create_flow", name="Tools")["id"]
    tool = call(ctx, "add_component", flow_id=flow_id, component_type="Tooly")["id"]
    agent = call(ctx, "add_component", flow_id=flow_id, component_type="Agent")["id"]
    call(ctx, "connect_components", flow_id=flow_id, source_id=tool, source_output="component_as_tool",
         target_id=agent, target_input="tools")
    assert posted[0] == {"code": "class Tooly: ...", "template": known["Tooly"]["template"], "field": "tool_mode",
                         "field_value": True, "tool_mode": True}
    node = stored(ctx, flow_id)["data"]["nodes"][0]["data"]["node"]
    assert node["tool_mode"] is True and "tools_metadata" in node["template"]
    assert [(o["name"], o["types"], o["display_name"]) for o in node["outputs"]] == [
        ("component_as_tool", ["Tool"], "Toolset")]
    (edge,) = stored(ctx, flow_id)["data"]["edges"]
    assert edge["data"]["sourceHandle"]["output_types"] == ["Tool"]

    answer = call(ctx, "configure_component", flow_id=flow_id, component_id=tool, params={"mode": "b"})
    assert answer["warnings"] == [
        "Field 'mode' was set to 'b' but the server-side refresh failed. This usually means a required credential "
        "(like an API key) is not configured on the component yet. Set the credential first, then reconfigure "
        "'mode'."]
    assert stored(ctx, flow_id)["data"]["nodes"][0]["data"]["node"]["template"]["mode"]["value"] == "b"


# What lfx 1.13's tools raised on a flow stored without data (POST /flows/ with a name only): Python's own errors,
# which the MCP server reports as any tool error.
ON_A_FLOW_WITHOUT_DATA = [
    ("add_component", {"component_type": "ChatInput"}, "'NoneType' object is not subscriptable"),
    ("list_components", {}, "'NoneType' object has no attribute 'get'"),
    ("layout_flow", {}, "'NoneType' object has no attribute 'get'"),
    ("export_flow", {}, "argument of type 'NoneType' is not iterable"),
    ("freeze_component", {"component_id": "X-1"}, "'NoneType' object has no attribute 'get'"),
    ("disconnect_components", {"source_id": "A", "target_id": "B"}, "'NoneType' object is not subscriptable"),
    ("update_flow_from_spec", {"spec": "nodes:\n  A: ChatInput\n"},
     "'NoneType' object does not support item assignment"),
    ("configure_component", {"component_id": "X", "params": {}}, "'NoneType' object has no attribute 'get'"),
]


@pytest.mark.parametrize(("tool", "arguments", "text"), ON_A_FLOW_WITHOUT_DATA)
def test_a_flow_without_data_fails_as_in_lfx(ctx: ToolContext, tool: str, arguments: dict[str, Any],
                                             text: str) -> None:
    flow_id = ctx.client.http.post("/api/v1/flows/", json={"name": "No data"}, headers=ctx.client.headers).json()["id"]
    assert stored(ctx, flow_id)["data"] is None
    with pytest.raises(Exception) as caught:  # noqa: B017 - lfx raises Python's own errors here
        call(ctx, tool, flow_id=flow_id, **arguments)
    assert str(caught.value) == text
    assert stored(ctx, flow_id)["data"] is None
